#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "ms/compare.h"

#include "failalloc.h"

static const ms_regression_limits LIMITS = {MS_COMPARE_MAX_SLOWDOWN, MS_COMPARE_MIN_SLOWDOWN_US};

static ms_run *new_run(void)
{
    ms_run *run = NULL;
    assert_int_equal(ms_run_new(&run), MS_OK);
    return run;
}

/* Add a check of that kind and status; an http one gets the samples' totals (ms), each phase
 * the same value; a negative value is a failed sample that did not complete. */
static ms_run_check *add_check(ms_run *run, const char *id, ms_kind kind, ms_check_status st,
                               const int *ms, int n)
{
    assert_int_equal(ms_run_add_checks(run, 1), MS_OK);
    ms_run_check *c = run->checks[run->nchecks - 1];
    c->id = strdup(id);
    c->title = strdup(id);
    c->kind = kind;
    c->status = st;
    c->has_score = true;
    c->score = st == MS_ST_FAIL ? 0 : 1;
    c->budget_us = ms_no_budgets;
    if (kind == MS_KIND_HTTP && n > 0) {
        c->samples = calloc((size_t)n, sizeof *c->samples);
        assert_non_null(c->samples);
        c->nsamples = n;
        for (int i = 0; i < n; i++) {
            ms_sample *s = &c->samples[i];
            s->completed = ms[i] >= 0;
            s->failed = ms[i] < 0;
            for (int ph = 0; ph < MS_PH_COUNT; ph++)
                s->ph[ph] = ms[i] >= 0 ? (int64_t)ms[i] * 1000 : 5000000;
        }
    }
    return c;
}

static const ms_cmp_check *find(const ms_comparison *c, const char *id)
{
    for (size_t i = 0; i < c->nchecks; i++)
        if (strcmp(c->checks[i].id, id) == 0)
            return &c->checks[i];
    fail_msg("no check %s in the comparison", id);
    return NULL;
}

static void test_regression_and_noise(void **state)
{
    (void)state;
    ms_run *base = new_run(), *new_ = new_run();
    int b[] = {20, 21, 22, 20, 21}, slow[] = {40, 41, 42, 40, 43}, same[] = {21, 20, 22, 21, 20};
    add_check(base, "slow", MS_KIND_HTTP, MS_ST_PASS, b, 5);
    add_check(new_, "slow", MS_KIND_HTTP, MS_ST_PASS, slow, 5);
    add_check(base, "same", MS_KIND_HTTP, MS_ST_PASS, b, 5);
    add_check(new_, "same", MS_KIND_HTTP, MS_ST_PASS, same, 5);
    ms_comparison c;
    assert_int_equal(ms_compare_runs(base, new_, &LIMITS, &c), MS_OK);
    assert_int_equal(c.nchecks, 2);
    assert_string_equal(c.checks[0].id, "slow");
    const ms_cmp_check *s = find(&c, "slow"), *n = find(&c, "same");
    /* no budget: total alone */
    assert_int_equal(s->nphases, 1);
    assert_int_equal(s->phases[0].phase, MS_PH_TOTAL);
    assert_false(s->phases[0].budgeted);
    assert_true(s->regressed);
    assert_false(s->thresholds_only);
    assert_int_equal(s->phases[0].r.base_median_us, 21000);
    assert_int_equal(s->phases[0].r.new_median_us, 41000);
    assert_true(s->phases[0].r.p < MS_MWU_ALPHA);
    assert_false(n->regressed);
    assert_int_equal(c.nregressed, 1);
    assert_int_equal(c.nbase_only + c.nnew_only + c.nstarted + c.nstopped, 0);
    ms_comparison_cleanup(&c);
    assert_int_equal(c.nchecks, 0);
    ms_run_free(base);
    ms_run_free(new_);
}

static void test_budgeted_phases(void **state)
{
    (void)state;
    ms_run *base = new_run(), *new_ = new_run();
    int b[] = {20, 21, 22}, x[] = {40, 41, 42};
    add_check(base, "a", MS_KIND_HTTP, MS_ST_PASS, b, 3);
    ms_run_check *c1 = add_check(new_, "a", MS_KIND_HTTP, MS_ST_PASS, x, 3);
    c1->budget_us = with_budget(&new_->budgets, c1->budget_us, MS_PH_TTFB, 100000);
    c1->budget_us = with_budget(&new_->budgets, c1->budget_us, MS_PH_DNS, 100000);
    ms_comparison c;
    assert_int_equal(ms_compare_runs(base, new_, &LIMITS, &c), MS_OK);
    assert_int_equal(c.checks[0].nphases, 2);
    assert_int_equal(c.checks[0].phases[0].phase, MS_PH_DNS);
    assert_int_equal(c.checks[0].phases[1].phase, MS_PH_TTFB);
    assert_true(c.checks[0].phases[1].budgeted);
    ms_comparison_cleanup(&c);
    ms_run_free(base);
    ms_run_free(new_);
}

static void test_thresholds_only(void **state)
{
    (void)state;
    ms_run *base = new_run(), *new_ = new_run();
    int b[] = {20, 21}, x[] = {40, 41}, y[] = {22, 23};
    add_check(base, "big", MS_KIND_HTTP, MS_ST_PASS, b, 2);
    add_check(new_, "big", MS_KIND_HTTP, MS_ST_PASS, x, 2);
    add_check(base, "small", MS_KIND_HTTP, MS_ST_PASS, b, 2);
    add_check(new_, "small", MS_KIND_HTTP, MS_ST_PASS, y, 2);
    ms_comparison c;
    assert_int_equal(ms_compare_runs(base, new_, &LIMITS, &c), MS_OK);
    const ms_cmp_check *big = find(&c, "big"), *small = find(&c, "small");
    assert_true(big->thresholds_only && big->regressed);
    assert_true(isnan(big->phases[0].r.p));
    /* +2 ms: below --min-slowdown 10ms */
    assert_true(small->thresholds_only);
    assert_false(small->regressed);
    ms_comparison_cleanup(&c);
    ms_run_free(base);
    ms_run_free(new_);
}

static void test_sides_and_failing(void **state)
{
    (void)state;
    ms_run *base = new_run(), *new_ = new_run();
    int b[] = {20, 21, 22};
    add_check(base, "gone", MS_KIND_YESNO, MS_ST_PASS, NULL, 0);
    add_check(base, "starts", MS_KIND_HTTP, MS_ST_PASS, b, 3);
    add_check(base, "stops", MS_KIND_RATING, MS_ST_FAIL, NULL, 0);
    add_check(base, "still", MS_KIND_YESNO, MS_ST_FAIL, NULL, 0);
    add_check(base, "kind", MS_KIND_HTTP, MS_ST_PASS, b, 3);
    add_check(new_, "added", MS_KIND_HTTP, MS_ST_PASS, b, 3);
    add_check(new_, "starts", MS_KIND_HTTP, MS_ST_FAIL, b, 3);
    add_check(new_, "stops", MS_KIND_RATING, MS_ST_PASS, NULL, 0);
    add_check(new_, "still", MS_KIND_YESNO, MS_ST_FAIL, NULL, 0);
    add_check(new_, "kind", MS_KIND_STOPWATCH, MS_ST_PASS, NULL, 0);
    add_check(new_, "added", MS_KIND_HTTP, MS_ST_FAIL, b, 3); /* a repeated id: the first */
    base->scores.has_overall = new_->scores.has_overall = true;
    base->scores.overall = 80;
    new_->scores.overall = 70;
    new_->scores.has_factor[MS_FACTOR_PEOPLE] = true;
    new_->scores.factor[MS_FACTOR_PEOPLE] = 50;
    ms_comparison c;
    assert_int_equal(ms_compare_runs(base, new_, &LIMITS, &c), MS_OK);
    assert_int_equal(c.nchecks, 6);
    /* the new run's order, then the base's only */
    const char *order[] = {"added", "starts", "stops", "still", "kind", "gone"};
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(c.checks[i].id, order[i]);
    assert_int_equal(c.checks[0].side, MS_CMP_NEW_ONLY);
    assert_int_equal(c.checks[0].new_status, MS_ST_PASS);
    assert_int_equal(c.checks[0].nphases, 0);
    assert_false(c.checks[0].started_failing);
    assert_int_equal(c.checks[5].side, MS_CMP_BASE_ONLY);
    assert_int_equal(c.checks[5].kind, MS_KIND_YESNO);
    assert_true(c.checks[1].started_failing && !c.checks[1].stopped_failing);
    assert_true(c.checks[2].stopped_failing && !c.checks[2].started_failing);
    assert_false(c.checks[3].started_failing || c.checks[3].stopped_failing);
    /* http in one run, manual in the other: no phases, the new run's kind */
    assert_int_equal(c.checks[4].side, MS_CMP_BOTH);
    assert_int_equal(c.checks[4].kind, MS_KIND_STOPWATCH);
    assert_int_equal(c.checks[4].nphases, 0);
    assert_true(c.checks[2].has_base_score && c.checks[2].base_score == 0);
    assert_true(c.checks[2].new_score == 1);
    assert_int_equal(c.nstarted, 1);
    assert_int_equal(c.nstopped, 1);
    assert_int_equal(c.nbase_only, 1);
    assert_int_equal(c.nnew_only, 1);
    assert_true(c.overall.has_base && c.overall.has_new);
    assert_true(c.overall.base == 80 && c.overall.new_ == 70);
    assert_false(c.factor[MS_FACTOR_PEOPLE].has_base);
    assert_true(c.factor[MS_FACTOR_PEOPLE].has_new && c.factor[MS_FACTOR_PEOPLE].new_ == 50);
    ms_comparison_cleanup(&c);
    ms_run_free(base);
    ms_run_free(new_);
}

static void test_failed_samples_excluded(void **state)
{
    (void)state;
    ms_run *base = new_run(), *new_ = new_run();
    /* the failed samples' 5 s would be a regression if they counted */
    int b[] = {20, 21, 22, 20}, x[] = {21, -1, 20, -1, 22};
    add_check(base, "a", MS_KIND_HTTP, MS_ST_PASS, b, 4);
    add_check(new_, "a", MS_KIND_HTTP, MS_ST_FAIL, x, 5);
    ms_comparison c;
    assert_int_equal(ms_compare_runs(base, new_, &LIMITS, &c), MS_OK);
    assert_int_equal(c.checks[0].phases[0].r.n_base, 4);
    assert_int_equal(c.checks[0].phases[0].r.n_new, 3);
    assert_int_equal(c.checks[0].phases[0].r.new_median_us, 21000);
    assert_false(c.checks[0].regressed);
    assert_true(c.checks[0].started_failing);
    ms_comparison_cleanup(&c);
    /* no completed sample on a side: nothing compared, not regressed */
    int none[] = {-1, -1};
    add_check(base, "b", MS_KIND_HTTP, MS_ST_PASS, b, 4);
    add_check(new_, "b", MS_KIND_HTTP, MS_ST_FAIL, none, 2);
    assert_int_equal(ms_compare_runs(base, new_, &LIMITS, &c), MS_OK);
    assert_int_equal(c.checks[1].phases[0].r.n_new, 0);
    assert_true(c.checks[1].thresholds_only);
    assert_false(c.checks[1].regressed);
    ms_comparison_cleanup(&c);
    ms_run_free(base);
    ms_run_free(new_);
}

static void test_empty_and_nomem(void **state)
{
    (void)state;
    ms_run *base = new_run(), *new_ = new_run();
    ms_comparison c;
    assert_int_equal(ms_compare_runs(base, new_, &LIMITS, &c), MS_OK);
    assert_int_equal(c.nchecks, 0);
    ms_comparison_cleanup(&c);
    int b[] = {20, 21, 22, 20, 21}, x[] = {40, 41, 42, 40, 43};
    add_check(base, "a", MS_KIND_HTTP, MS_ST_PASS, b, 5);
    add_check(new_, "a", MS_KIND_HTTP, MS_ST_PASS, x, 5);
    add_check(base, "b", MS_KIND_YESNO, MS_ST_PASS, NULL, 0);
    add_check(new_, "c", MS_KIND_HTTP, MS_ST_PASS, x, 5);
    int failures = 0;
    for (int k = 1;; k++) {
        fail_at = k;
        ms_status st = ms_compare_runs(base, new_, &LIMITS, &c);
        fail_at = 0;
        if (st == MS_OK)
            break;
        assert_int_equal(st, MS_ERR_NOMEM);
        assert_int_equal(c.nchecks, 0);
        assert_null(c.checks);
        failures++;
    }
    assert_true(failures > 5);
    assert_int_equal(c.nregressed, 1);
    ms_comparison_cleanup(&c);
    ms_run_baseline_free(NULL);
    ms_run_free(base);
    ms_run_free(new_);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regression_and_noise),    cmocka_unit_test(test_budgeted_phases),
        cmocka_unit_test(test_thresholds_only),         cmocka_unit_test(test_sides_and_failing),
        cmocka_unit_test(test_failed_samples_excluded), cmocka_unit_test(test_empty_and_nomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
