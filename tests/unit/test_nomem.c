/* Allocation failures: the N-th allocation fails, for every N a whole load, score and report
 * makes. Each must end in MS_OK or MS_ERR_NOMEM, never a crash (and, under ASan, never a leak).
 * malloc, calloc, realloc and strdup are wrapped at link time (-Wl,--wrap). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "ms/answers.h"
#include "ms/checklist.h"
#include "ms/report.h"
#include "ms/score.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);

static long g_countdown = -1; /* fail when it reaches 0; -1: never */
static long g_calls;

/* A place for a debugger's breakpoint: the allocation that is made to fail. */
__attribute__((noinline)) static void failing_now(void)
{
    __asm__ volatile("");
}

static int should_fail(void)
{
    g_calls++;
    if (g_countdown < 0)
        return 0;
    if (g_countdown-- != 0)
        return 0;
    failing_now();
    return 1;
}

void *__wrap_malloc(size_t n)
{
    return should_fail() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return should_fail() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    return should_fail() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    return should_fail() ? NULL : __real_strdup(s);
}

static const char CHECKLIST[] =
    "{\"format\": 1, \"id\": \"t\", \"vars\": {\"base\": \"http://127.0.0.1:9\"},\n"
    " \"defaults\": {\"budget\": {\"total_ms\": 100}, \"headers\": {\"A\": \"1\"}},\n"
    " \"sections\": [{\"id\": \"s\", \"owner\": \"web\", \"checks\": [\n"
    "  {\"id\": \"h\", \"kind\": \"http\", \"title\": \"T\xE1\xBB\x95ng\", \"request\": {\"url\": "
    "\"{{base}}/\", \"body\": {\"a\": 1}},\n"
    "   \"expect\": {\"status\": [200], \"json\": {\"a\": 1}, \"body_contains\": [\"x\"]}},\n"
    "  {\"id\": \"r\", \"kind\": \"rating\", \"scale\": [1, 5], \"fix\": \"be kind\"},\n"
    "  {\"id\": \"w\", \"kind\": \"stopwatch\", \"budget\": {\"total_ms\": 1000}}]}]}\n";

/* One whole pass; returns the first status that was not MS_OK. */
static ms_status one_pass(const char *cl, const char *answers)
{
    ms_plan plan;
    ms_answers *a = NULL;
    ms_run run = {0};
    char *json = NULL, *xml = NULL;
    const char *paths[] = {cl};
    ms_status rc = ms_plan_load(&plan, paths, 1, NULL, 0);
    if (rc == MS_OK)
        for (size_t i = 0; i < plan.nchecks; i++)
            plan.checks[i]->selected = true;
    if (rc == MS_OK)
        rc = ms_answers_open(answers, &a);
    if (rc == MS_OK)
        rc = ms_answers_apply(a, &plan);
    if (rc == MS_OK) {
        /* a measured sample, as the probe would leave it */
        ms_check *h = ms_plan_find_check(&plan, "h");
        h->res.samples = calloc(1, sizeof *h->res.samples);
        if (!h->res.samples)
            rc = MS_ERR_NOMEM;
        else {
            h->res.nsamples = 1;
            h->res.samples[0].ph[MS_PH_TOTAL] = 150000;
            h->res.samples[0].ph[MS_PH_SERVER] = 140000;
        }
    }
    if (rc == MS_OK)
        rc = ms_score_plan(&plan, &run.scores);
    if (rc == MS_OK)
        rc = ms_fixes_build(&plan, &run.fixes, &run.nfixes);
    run.plan = &plan;
    if (rc == MS_OK)
        rc = ms_report_json(&run, &json);
    if (rc == MS_OK)
        rc = ms_report_junit(&run, &xml);
    if (rc == MS_OK) {
        ms_answer ans = {.state = MS_ANS_VALUE, .value = 3};
        rc = ms_answers_record(a, ms_plan_find_check(&plan, "r"), &ans);
    }
    free(json);
    free(xml);
    free(run.fixes);
    ms_answers_free(a);
    ms_plan_cleanup(&plan);
    return rc;
}

static void test_every_allocation_fails_once(void **state)
{
    (void)state;
    char *cl = write_temp(CHECKLIST);
    char *answers = write_temp("{\"format\": 1, \"answers\": {\"w\": {\"elapsed_ms\": 900}}}\n");
    g_countdown = -1;
    g_calls = 0;
    assert_int_equal(one_pass(cl, answers), MS_OK);
    long total = g_calls;
    assert_true(total > 50);
    capture cap;
    if (!getenv("MS_NOMEM_VERBOSE"))
        capture_begin(&cap); /* the loader says what failed; keep the test output readable */
    char bad[2048] = "";
    int nbad = 0;
    /* MS_NOMEM_ONLY=N runs only the pass that fails allocation N (for a debugger). */
    long first = getenv("MS_NOMEM_ONLY") ? atol(getenv("MS_NOMEM_ONLY")) : 0;
    long last = getenv("MS_NOMEM_ONLY") ? first + 1 : total;
    for (long n = first; n < last; n++) {
        g_countdown = n;
        ms_status rc = one_pass(cl, answers);
        g_countdown = -1;
        if (rc != MS_OK && rc != MS_ERR_NOMEM && nbad++ < 40) {
            size_t len = strlen(bad);
            snprintf(bad + len, sizeof bad - len, " %ld:%d", n, rc);
        }
    }
    if (!getenv("MS_NOMEM_VERBOSE"))
        free(capture_end(&cap));
    if (nbad)
        fail_msg("%d of %ld failing allocations gave another status (allocation:status):%s", nbad,
                 total, bad);
    unlink(cl);
    unlink(answers);
    free(cl);
    free(answers);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_every_allocation_fails_once)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
