/* validate --json: the files read and their problems (ms/diag.h) as JSON, for editors and CI.
 * Format 1: {"format": 1, "valid": ..., "files": [{"path", "valid", "problems"}], "problems":
 * [{"file", "line", "column", "path", "message"}], "warnings": [the same]}; line and column are
 * null for a problem with the whole file. Warnings (an unset {{env.NAME}}) do not make a file
 * invalid. */
#include <cjson/cJSON.h>

#include "ms/alloc.h"
#include "ms/jsontext.h"
#include "ms/report.h"

/* Append item to arr, or free it when that fails. */
static void push(cJSON *arr, cJSON *item)
{
    if (!cJSON_AddItemToArray(arr, item))
        cJSON_Delete(item);
}

/* Each problem of d as an object in a new array key of root. */
static void add_problems(cJSON *root, const char *key, const ms_diag *d)
{
    cJSON *problems = cJSON_AddArrayToObject(root, key);
    for (size_t k = 0; d && k < d->n; k++) {
        const ms_problem *p = &d->items[k];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "file", p->file);
        if (p->line > 0) {
            cJSON_AddNumberToObject(o, "line", p->line);
            cJSON_AddNumberToObject(o, "column", p->col);
        } else {
            cJSON_AddNullToObject(o, "line");
            cJSON_AddNullToObject(o, "column");
        }
        cJSON_AddStringToObject(o, "path", p->path);
        cJSON_AddStringToObject(o, "message", p->message);
        push(problems, o);
    }
}

ms_status ms_validate_json(const ms_diag *diag, const char *const *paths, size_t npaths, char **out)
{
    return ms_validate_json_warn(diag, NULL, paths, npaths, out);
}

ms_status ms_validate_json_warn(const ms_diag *diag, const ms_diag *warnings,
                                const char *const *paths, size_t npaths, char **out)
{
    /* cJSON's failed allocations are counted around the whole build (ms/alloc.h): a NULL from
     * any call below makes the result MS_ERR_NOMEM, never a shorter document. */
    unsigned long failures = ms_alloc_failures();
    ms_status rc = MS_OK;
    cJSON *root = cJSON_CreateObject();
    *out = NULL;
    if (!root)
        return MS_ERR_NOMEM;
    cJSON_AddNumberToObject(root, "format", 1);
    cJSON_AddBoolToObject(root, "valid", diag->n == 0);
    cJSON *files = cJSON_AddArrayToObject(root, "files");
    for (size_t i = 0; i < npaths; i++) {
        size_t n = ms_diag_count(diag, paths[i]);
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "path", paths[i]);
        cJSON_AddBoolToObject(f, "valid", n == 0);
        cJSON_AddNumberToObject(f, "problems", (double)n);
        push(files, f);
    }
    add_problems(root, "problems", diag);
    add_problems(root, "warnings", warnings);
    if (ms_alloc_failures() != failures)
        rc = MS_ERR_NOMEM;
    else
        rc = ms_json_print(root, out);
    cJSON_Delete(root);
    return rc;
}
