/* Fuzz the checklist loader: the whole load of one file, as `validate` and `validate --json`
 * do, with variables from the command line and from the environment. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ms/alloc.h"
#include "ms/checklist.h"
#include "ms/report.h"

static fuzz_file g_file;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ms_alloc_init(); /* as main does: the checklist's trees in arenas */
    fuzz_file_open(&g_file);
    /* The environment variables the seeds name, and two secrets where one is a prefix of the
     * other, so that the redaction paths run. */
    setenv("MS_TEST_TOKEN", "fuzz-token-0123456789", 1);
    setenv("NAME", "fuzz-name", 1);
    setenv("TOKEN", "abcdef", 1);
    setenv("TOKEN2", "abcdefghXYZ", 1);
    unsetenv("MS_SURELY_UNSET_VARIABLE");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const ms_var vars[] = {{"cli", "from-the-command-line"}, {"base", "http://127.0.0.1:9"}};
    const char *paths[] = {g_file.path};
    ms_plan plan;
    ms_diag diag;
    char *json = NULL;

    fuzz_file_set(&g_file, data, size);
    ms_diag_init(&diag);
    ms_status rc = ms_plan_load(&plan, paths, 1, vars, sizeof vars / sizeof vars[0], &diag);
    FUZZ_ASSERT(rc == MS_OK || rc == MS_ERR_INVALID || rc == MS_ERR_NOMEM);
    if (rc == MS_ERR_NOMEM)
        goto out;
    /* A load that found nothing wrong reports nothing, and one that failed says why. */
    FUZZ_ASSERT((rc == MS_OK) == (diag.n == 0));
    ms_diag_print(&diag, fuzz_null_stream());
    if (ms_validate_json(&diag, paths, 1, &json) == MS_OK) {
        cJSON *doc = cJSON_Parse(json);
        FUZZ_ASSERT(doc != NULL); /* validate --json writes JSON */
        cJSON_Delete(doc);
    }
    for (size_t i = 0; rc == MS_OK && i < plan.nchecks; i++) {
        const ms_check *ck = plan.checks[i];
        FUZZ_ASSERT(ck->id && ms_plan_find_check(&plan, ck->id) == ck);
        char *r = NULL;
        ms_status rrc = ms_plan_redact(&plan, ck->url ? ck->url : ck->id, &r);
        FUZZ_ASSERT(rrc == MS_ERR_NOMEM || (rrc == MS_OK && r != NULL));
        free(r);
        /* Where the check is defined: a line of the file. */
        FUZZ_ASSERT(ck->line >= 1);
    }
out:
    free(json);
    ms_plan_cleanup(&plan);
    ms_diag_cleanup(&diag);
    return 0;
}
