/* compare BASE NEW (see ms/ref.h): two runs by reference, compared (ms/compare.h) and printed
 * as text or JSON (ms/cmpjson.h). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

#include "ms/buf.h"
#include "ms/cmpjson.h"
#include "ms/jsontext.h"
#include "ms/ref.h"

/* Load one side; errors are said here. */
static ms_status load_side(const char *ref, const ms_options *o, ms_run **run, int64_t *id)
{
    char why[1024] = "";
    ms_status rc = ms_ref_load(ref, o, run, id, why, sizeof why);
    if (rc != MS_OK && rc != MS_ERR_NOMEM)
        ms_errorf("%s", why);
    return rc;
}

static ms_status print_json(const ms_comparison *c, const char *base_desc, const char *new_desc)
{
    ms_status rc = MS_OK;
    char *text = NULL;
    cJSON *root = cJSON_CreateObject();
    if (!root) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    if (!cJSON_AddStringToObject(root, "base", base_desc) ||
        !cJSON_AddStringToObject(root, "new", new_desc)) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    if ((rc = ms_comparison_json(c, root)) != MS_OK)
        goto out;
    if (!cJSON_AddBoolToObject(root, "regression", ms_comparison_regressed(c))) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    if ((rc = ms_json_print(root, &text)) != MS_OK)
        goto out;
    if (fputs(text, stdout) == EOF)
        rc = MS_ERR_IO;
out:
    free(text);
    cJSON_Delete(root);
    return rc;
}

ms_status ms_cmd_compare(const ms_options *o)
{
    ms_status rc = MS_OK;
    ms_run *base = NULL, *new_ = NULL;
    int64_t base_id = 0, new_id = 0;
    ms_comparison c = {0};
    ms_buf bd, nd, text;
    ms_buf_init(&bd, 0);
    ms_buf_init(&nd, 0);
    ms_buf_init(&text, 0);
    if ((rc = load_side(o->compare_base, o, &base, &base_id)) != MS_OK)
        goto out;
    if ((rc = load_side(o->compare_new, o, &new_, &new_id)) != MS_OK)
        goto out;
    if ((rc = ms_compare_runs(base, new_, &o->limits, &c)) != MS_OK)
        goto out;
    if ((rc = ms_ref_describe(o->compare_base, base, base_id, &bd)) != MS_OK ||
        (rc = ms_ref_describe(o->compare_new, new_, new_id, &nd)) != MS_OK)
        goto out;
    if (o->compare_json) {
        rc = print_json(&c, ms_buf_str(&bd), ms_buf_str(&nd));
    } else {
        rc = ms_comparison_text(&c, ms_buf_str(&bd), ms_buf_str(&nd), &text);
        if (rc == MS_OK && fputs(ms_buf_str(&text), stdout) == EOF)
            rc = MS_ERR_IO;
    }
    if (rc == MS_OK && ms_comparison_regressed(&c))
        rc = MS_ERR_GATE;
out:
    ms_comparison_cleanup(&c);
    ms_buf_cleanup(&bd);
    ms_buf_cleanup(&nd);
    ms_buf_cleanup(&text);
    ms_run_free(base);
    ms_run_free(new_);
    return rc;
}
