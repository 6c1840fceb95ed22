/* Fuzz the answers loader: open an answers file and apply it to a checklist that has a check
 * of every manual kind under the ids the seed answers files use. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ms/answers.h"
#include "ms/checklist.h"

static const char CHECKLIST[] =
    "{\"format\": 1, \"id\": \"fuzz\", \"sections\": [{\"id\": \"s\", \"checks\": [\n"
    "  {\"id\": \"friendly\", \"kind\": \"rating\", \"scale\": [1, 5], \"pass\": 4},\n"
    "  {\"id\": \"hotline-friendly\", \"kind\": \"rating\", \"scale\": [-10, 10]},\n"
    "  {\"id\": \"c\", \"kind\": \"rating\"},\n"
    "  {\"id\": \"callback\", \"kind\": \"yesno\"},\n"
    "  {\"id\": \"first-call\", \"kind\": \"yesno\", \"good\": \"no\"},\n"
    "  {\"id\": \"hotline-listened\", \"kind\": \"yesno\"},\n"
    "  {\"id\": \"store-visit\", \"kind\": \"yesno\"},\n"
    "  {\"id\": \"wait\", \"kind\": \"stopwatch\", \"budget\": {\"total_ms\": 60000}},\n"
    "  {\"id\": \"hotline-wait\", \"kind\": \"stopwatch\"},\n"
    "  {\"id\": \"home\", \"kind\": \"http\", \"request\": {\"url\": \"http://127.0.0.1:9/\"}}\n"
    "]}]}\n";

static fuzz_file g_checklist, g_answers;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_file_open(&g_checklist);
    fuzz_file_open(&g_answers);
    fuzz_file_set(&g_checklist, (const uint8_t *)CHECKLIST, strlen(CHECKLIST));
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *paths[] = {g_checklist.path};
    ms_answers *a = NULL;
    ms_plan plan;
    ms_diag diag;

    /* A fresh plan each time: applying answers fills in the checks' results. */
    ms_diag_init(&diag);
    if (ms_plan_load(&plan, paths, 1, NULL, 0, &diag) != MS_OK)
        fuzz_fail(__FILE__, __LINE__, "the fixed checklist does not load");
    fuzz_file_set(&g_answers, data, size);
    ms_status rc = ms_answers_open(g_answers.path, true, &diag, &a);
    FUZZ_ASSERT(rc == MS_OK || rc == MS_ERR_INVALID || rc == MS_ERR_NOMEM);
    FUZZ_ASSERT((rc == MS_OK) == (a != NULL));
    /* An answers file refused says why; one read says nothing. */
    FUZZ_ASSERT(rc == MS_ERR_NOMEM || (rc == MS_OK) == (diag.n == 0));
    ms_diag_print(&diag, fuzz_null_stream());
    if (rc != MS_OK)
        goto out;
    FUZZ_ASSERT(strcmp(ms_answers_path(a), g_answers.path) == 0);
    (void)ms_answers_auditor(a);
    (void)ms_answers_label(a);
    (void)ms_answers_visited_at(a);
    rc = ms_answers_apply(a, &plan, &diag);
    FUZZ_ASSERT(rc == MS_OK || rc == MS_ERR_INVALID || rc == MS_ERR_NOMEM);
    FUZZ_ASSERT(rc == MS_ERR_NOMEM || (rc == MS_OK) == (diag.n == 0));
    for (size_t i = 0; rc == MS_OK && i < plan.nchecks; i++) {
        const ms_check *ck = plan.checks[i];
        if (ck->kind == MS_KIND_HTTP)
            continue;
        FUZZ_ASSERT(ck->manual); /* every manual check of a loaded plan has its part */
        const ms_answer *ans = &ck->manual->answer;
        if (ck->kind == MS_KIND_RATING && ans->state == MS_ANS_VALUE)
            FUZZ_ASSERT(ans->value >= ck->manual->scale_lo && ans->value <= ck->manual->scale_hi);
        if (ck->kind == MS_KIND_STOPWATCH && ans->state == MS_ANS_VALUE)
            FUZZ_ASSERT(ans->elapsed_us >= 0);
    }
    /* Setting the auditor changes the document that a save would write. */
    rc = ms_answers_set_auditor(a, "fuzz", "2026-11-20T09:30:00+07:00");
    FUZZ_ASSERT(rc == MS_OK || rc == MS_ERR_NOMEM);
out:
    ms_answers_free(a);
    ms_plan_cleanup(&plan);
    ms_diag_cleanup(&diag);
    return 0;
}
