#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "ms/cmpjson.h"
#include "ms/jsontext.h"

static const ms_regression_limits LIMITS = {MS_COMPARE_MAX_SLOWDOWN, MS_COMPARE_MIN_SLOWDOWN_US};

static ms_run *new_run(void)
{
    ms_run *run = NULL;
    assert_int_equal(ms_run_new(&run), MS_OK);
    return run;
}

/* A check with samples of those totals in µs (each phase the same; -1: a failed transfer). */
static ms_run_check *add_check(ms_run *run, const char *id, const char *title, ms_kind kind,
                               ms_check_status st, const int64_t *us, int n)
{
    assert_int_equal(ms_run_add_checks(run, 1), MS_OK);
    ms_run_check *c = run->checks[run->nchecks - 1];
    c->id = strdup(id);
    c->title = title ? strdup(title) : NULL;
    c->kind = kind;
    c->status = st;
    c->has_score = st != MS_ST_UNANSWERED;
    c->score = st == MS_ST_FAIL ? 0 : 1;
    c->budget_us = ms_no_budgets;
    if (n > 0) {
        c->samples = calloc((size_t)n, sizeof *c->samples);
        c->nsamples = n;
        for (int i = 0; i < n; i++) {
            c->samples[i].completed = us[i] >= 0;
            for (int ph = 0; ph < MS_PH_COUNT; ph++)
                c->samples[i].ph[ph] = us[i] >= 0 ? us[i] : 0;
        }
    }
    return c;
}

/* A comparison with every kind of member: a regression, thresholds only, a base median of 0
 * (delta_pct null), budgeted phases, one-side checks, started and stopped failing. */
static void make(ms_comparison *c)
{
    ms_run *b = new_run(), *n = new_run();
    int64_t fast[] = {20001, 21002, 22003, 20500, 21500},
            slow[] = {40001, 41002, 42003, 40500, 43333};
    int64_t two[] = {20000, 21000}, twoslow[] = {40000, 41000}, zero[] = {0, 0, 0};
    int64_t some[] = {15000, 16000, 17000};
    add_check(b, "slow", "Slow \"page\"", MS_KIND_HTTP, MS_ST_PASS, fast, 5);
    add_check(n, "slow", "Slow \"page\"", MS_KIND_HTTP, MS_ST_PASS, slow, 5);
    add_check(b, "two", NULL, MS_KIND_HTTP, MS_ST_PASS, two, 2);
    ms_run_check *t = add_check(n, "two", NULL, MS_KIND_HTTP, MS_ST_FAIL, twoslow, 2);
    t->budget_us = with_budget(&n->budgets, t->budget_us, MS_PH_TTFB, 30000);
    t->budget_us = with_budget(&n->budgets, t->budget_us, MS_PH_TOTAL, 30000);
    add_check(b, "zero", "Zero", MS_KIND_HTTP, MS_ST_FAIL, zero, 3);
    add_check(n, "zero", "Zero", MS_KIND_HTTP, MS_ST_PASS, some, 3);
    add_check(b, "gone", "Gone", MS_KIND_YESNO, MS_ST_PASS, NULL, 0);
    add_check(n, "new", "New", MS_KIND_RATING, MS_ST_UNANSWERED, NULL, 0);
    b->scores.has_overall = n->scores.has_overall = true;
    b->scores.overall = 75.5;
    n->scores.overall = 50.25;
    b->scores.has_factor[MS_FACTOR_PRODUCT] = n->scores.has_factor[MS_FACTOR_PRODUCT] = true;
    b->scores.factor[MS_FACTOR_PRODUCT] = 80;
    n->scores.factor[MS_FACTOR_PRODUCT] = 60;
    assert_int_equal(ms_compare_runs(b, n, &LIMITS, c), MS_OK);
    ms_run_free(b);
    ms_run_free(n);
}

static char *to_text(const ms_comparison *c)
{
    cJSON *o = cJSON_CreateObject();
    char *text = NULL;
    assert_int_equal(ms_comparison_json(c, o), MS_OK);
    assert_int_equal(ms_json_print(o, &text), MS_OK);
    cJSON_Delete(o);
    return text;
}

static void test_round_trip(void **state)
{
    (void)state;
    ms_comparison c, back;
    char why[256];
    make(&c);
    char *text = to_text(&c);
    /* NaN is never a number */
    assert_null(strstr(text, "\tnan"));
    assert_null(strstr(text, "NaN"));
    assert_non_null(strstr(text, "\"delta_pct\":\tnull"));
    assert_non_null(strstr(text, "\"p\":\tnull"));
    assert_non_null(strstr(text, "\"method\":\t\"thresholds only\""));
    assert_non_null(strstr(text, "\"method\":\t\"mann-whitney\""));
    assert_non_null(strstr(text, "\"base_median_ms\":\t21.002"));
    cJSON *doc = cJSON_Parse(text);
    assert_non_null(doc);
    assert_int_equal(ms_comparison_from_json(doc, "baseline", &back, why, sizeof why), MS_OK);
    char *again = to_text(&back);
    assert_string_equal(text, again);
    assert_int_equal(back.nchecks, c.nchecks);
    assert_int_equal(back.nregressed, c.nregressed);
    assert_true(isnan(back.checks[2].phases[0].r.delta_pct));
    free(again);
    ms_comparison_cleanup(&back);
    cJSON_Delete(doc);
    free(text);
    ms_comparison_cleanup(&c);
}

/* Each change of the JSON must be refused, naming the member. */
static void test_strict(void **state)
{
    (void)state;
    static const struct {
        const char *path; /* dot path of the member to change, under the root */
        const char *json; /* its new value, or NULL to delete it */
        const char *why;  /* what the error must say */
    } cases[] = {
        {"extra", "1", "baseline.extra: unknown member"},
        {"limits", NULL, "baseline.limits: missing"},
        {"limits.max_slowdown", "\"20%\"", "baseline.limits.max_slowdown: expected a number"},
        {"checks.0.side", "\"left\"", "baseline.checks.0.side: not one of the names"},
        {"checks.0.phases.0.p", "2", "baseline.checks.0.phases.0.p: out of range"},
        {"checks.0.phases.0.delta_ms", "1", "baseline.checks.0.phases.0.delta_ms: is not"},
        {"checks.0.phases.0.method", "\"t-test\"", "baseline.checks.0.phases.0.method: not one"},
        {"checks.0.regressed", "false", "baseline.checks.0.regressed: does not agree"},
        {"checks.0.base_status", "null", "baseline.checks.0.base_status: null exactly when"},
        {"checks.0.phases.0.n_base", "1.5", "baseline.checks.0.phases.0.n_base: expected a whole"},
        {"counts.regressed", "0", "baseline.counts.regressed: does not agree"},
        {"factor.people", NULL, "baseline.factor.people: missing"},
        {"overall.base", "101", "baseline.overall.base: out of range"},
        {"checks.1.title", "3", "baseline.checks.1.title: expected a string or null"},
    };
    ms_comparison c, back;
    make(&c);
    char *text = to_text(&c);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cJSON *doc = cJSON_Parse(text), *parent = doc;
        char path[128], why[256] = "";
        snprintf(path, sizeof path, "%s", cases[i].path);
        char *key = path, *dot;
        while ((dot = strchr(key, '.'))) {
            *dot = '\0';
            parent = cJSON_IsArray(parent) ? cJSON_GetArrayItem(parent, atoi(key))
                                           : cJSON_GetObjectItemCaseSensitive(parent, key);
            assert_non_null(parent);
            key = dot + 1;
        }
        cJSON_DeleteItemFromObjectCaseSensitive(parent, key);
        if (cases[i].json)
            cJSON_AddItemToObject(parent, key, cJSON_Parse(cases[i].json));
        ms_status st = ms_comparison_from_json(doc, "baseline", &back, why, sizeof why);
        if (st != MS_ERR_INVALID || !strstr(why, cases[i].why))
            fail_msg("%s: status %d, \"%s\"; expected \"%s\"", cases[i].path, st, why,
                     cases[i].why);
        assert_int_equal(back.nchecks, 0);
        assert_null(back.checks);
        cJSON_Delete(doc);
    }
    free(text);
    ms_comparison_cleanup(&c);
}

static void test_text(void **state)
{
    (void)state;
    ms_comparison c;
    ms_buf out;
    make(&c);
    ms_buf_init(&out, 0);
    assert_int_equal(ms_comparison_text(&c,
                                        "run 1 (@1), started 2026-12-01T10:00:00+00:00, label a "
                                        "rather long label that goes on",
                                        "new.json, started 2026-12-01T11:00:00+00:00", &out),
                     MS_OK);
    const char *s = ms_buf_str(&out);
    if (getenv("MS_SHOW_TEXT"))
        print_message("%s", s);
    for (const char *l = s; *l;) {
        const char *e = strchr(l, '\n');
        size_t len = e ? (size_t)(e - l) : strlen(l);
        if (len > 80)
            fail_msg("a line of %zu columns: %.*s", len, (int)len, l);
        l += len + (e != NULL);
    }
    assert_non_null(strstr(s, "\nslow  Slow \"page\"  REGRESSED\n"));
    assert_non_null(strstr(s, "thresholds only*  REGRESSED\n"));
    assert_non_null(strstr(
        s, "  * thresholds only: too few samples for the test (under 3 a side, or 3 by 3)\n"));
    assert_non_null(strstr(
        s, "    total       0.00 ->      16        +16      n/a  thresholds only*  REGRESSED\n"));
    assert_non_null(strstr(s, "Started failing\n  two  pass -> fail\n"));
    assert_non_null(strstr(s, "Stopped failing\n  zero  Zero  fail -> pass\n"));
    assert_non_null(strstr(s, "  overall        75.50 ->   50.25  -25.25\n"));
    assert_non_null(strstr(s, "Only in the base run\n  gone  Gone  pass\n"));
    assert_non_null(strstr(s, "Only in the new run\n  new  New  unanswered\n"));
    assert_non_null(strstr(s, "\nREGRESSION: 3 checks compared, 3 slower, 1 started failing, 1 "
                              "stopped failing,\n  1 only in base, 1 only in new\n"));
    assert_true(ms_comparison_regressed(&c));
    ms_buf_cleanup(&out);
    ms_comparison_cleanup(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_strict),
        cmocka_unit_test(test_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
