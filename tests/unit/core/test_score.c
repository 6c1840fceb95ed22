#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "ms/score.h"

/* A run record of one checklist and one section, built in memory: scoring needs no file, no
 * network and no plan. */
typedef struct {
    ms_run *run;
} fixture;

static ms_run_check *add_check(fixture *f, const char *id, ms_kind kind, ms_factor factor)
{
    assert_int_equal(ms_run_add_checks(f->run, 1), MS_OK);
    ms_run_check *ck = f->run->checks[f->run->nchecks - 1];
    ck->id = strdup(id);
    ck->title = strdup(id);
    ck->kind = kind;
    ck->factor = factor;
    ck->weight = 1;
    ck->effort = 2;
    ck->judged_phase = ck->worst_phase = -1;
    ck->budget_us = ms_no_budgets;
    f->run->lists[0].sections[0].n++;
    return ck;
}

static void fixture_init(fixture *f)
{
    assert_int_equal(ms_run_new(&f->run), MS_OK);
    f->run->lists = calloc(1, sizeof *f->run->lists);
    f->run->nlists = 1;
    f->run->lists[0].sections = calloc(1, sizeof *f->run->lists[0].sections);
    f->run->lists[0].nsections = 1;
}

static void fixture_free(fixture *f)
{
    ms_run_free(f->run);
}

static const ms_run_section *the_section(const fixture *f)
{
    return &f->run->lists[0].sections[0];
}

/* Give an http check samples with these totals in ms. -1: a transfer that failed (refused: no
 * response, no phase times); below -1: a whole response that failed an expectation (an HTTP 500)
 * after -ms ms. */
static void set_totals(ms_run_check *ck, const double *ms, int n)
{
    ck->samples = calloc((size_t)n, sizeof *ck->samples);
    ck->nsamples = n;
    for (int i = 0; i < n; i++) {
        ms_sample *s = &ck->samples[i];
        double took = ms[i] < -1 ? -ms[i] : ms[i];
        if (ms[i] == -1) {
            s->failed = true;
            s->error = strdup("Connection refused");
            continue;
        }
        s->completed = true;
        s->status = 200;
        if (ms[i] < -1) {
            s->failed = true;
            s->status = 500;
            s->error = strdup("HTTP 500 (expected a status below 400)");
        }
        int64_t us = (int64_t)(took * 1000);
        s->ph[MS_PH_SERVER] = us * 9 / 10;
        s->ph[MS_PH_TRANSFER] = us - s->ph[MS_PH_SERVER];
        s->ph[MS_PH_TTFB] = s->ph[MS_PH_SERVER];
        s->ph[MS_PH_TOTAL] = us;
    }
}

static void test_http_apdex(void **state)
{
    (void)state;
    static const struct {
        double totals[6];
        int n;
        double budget_ms; /* 0: none */
        double score;
        ms_check_status status;
    } rows[] = {
        /* satisfied, tolerating (1.5x), tolerating (3x), frustrated (5x), failed */
        {{50, 150, 300, 500, -1}, 5, 100, (1 + 2 / 2.0) / 5, MS_ST_FAIL},
        /* exactly 4x still tolerates */
        {{400}, 1, 100, 0.5, MS_ST_FAIL},
        /* median within budget and nothing failed: passes, though one sample tolerates */
        {{50, 60, 200}, 3, 100, (2 + 0.5) / 3, MS_ST_PASS},
        /* without a budget: passing samples / samples */
        {{10, 10, 10, 10, -1}, 5, 0, 0.8, MS_ST_FAIL},
        {{10, 20}, 2, 0, 1, MS_ST_PASS},
        /* all failed */
        {{-1, -1}, 2, 100, 0, MS_ST_FAIL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        fixture f;
        fixture_init(&f);
        ms_run_check *ck = add_check(&f, "c", MS_KIND_HTTP, MS_FACTOR_PRODUCT);
        if (rows[i].budget_ms > 0)
            ck->budget_us = with_budget(&f.run->budgets, ck->budget_us, MS_PH_TOTAL,
                                        (int64_t)(rows[i].budget_ms * 1000));
        set_totals(ck, rows[i].totals, rows[i].n);
        assert_int_equal(ms_score_check(ck), MS_OK);
        assert_true(ck->has_score);
        assert_true(fabs(ck->score - rows[i].score) < 1e-9);
        assert_int_equal(ck->status, rows[i].status);
        fixture_free(&f);
    }
}

static void yes_no(ms_run_check *ck, bool yes, double weight, int effort, ms_audience aud)
{
    ck->good_yes = true;
    ck->weight = weight;
    ck->effort = effort;
    ck->audience = aud;
    ck->answer = (ms_answer){.state = MS_ANS_VALUE, .yes = yes};
}

/* The statistics are over the completed samples, a response that failed an expectation
 * included (a slow 500 is still slow); a transfer that failed is left out. Both failed samples
 * are frustrated in the score. */
static void test_http_stats_over_completed(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    ms_run_check *ck = add_check(&f, "c", MS_KIND_HTTP, MS_FACTOR_PRODUCT);
    ck->budget_us = with_budget(&f.run->budgets, ck->budget_us, MS_PH_TOTAL, 200000);
    double totals[] = {-150, -1, 100};
    set_totals(ck, totals, 3);
    assert_int_equal(ms_score_check(ck), MS_OK);
    assert_null(ck->st); /* 3 samples: made from them when asked */
    assert_int_equal(ms_run_stats(ck, MS_PH_TOTAL).n, 2);
    assert_int_equal(ms_run_stats(ck, MS_PH_TOTAL).max, 150000);
    assert_int_equal(ms_run_stats(ck, MS_PH_TOTAL).min, 100000);
    assert_int_equal(ms_run_stat(ck, MS_PH_TOTAL, MS_STAT_MEDIAN), 100000);
    assert_int_equal(ms_run_stats(ck, MS_PH_SERVER).n, 2);
    assert_true(fabs(ck->score - 1 / 3.0) < 1e-9);
    assert_int_equal(ck->status, MS_ST_FAIL);
    assert_int_equal(ck->judged_phase, MS_PH_TOTAL);
    assert_string_equal(ck->evidence, "2 of 3 samples failed: HTTP 500 (expected a status below "
                                      "400); median total 100 ms vs budget 200 ms (0.50x), n=2");
    fixture_free(&f);
}

/* The statistics a check keeps: none up to MS_RUN_STATS_MADE samples (made from the samples
 * each time), its own beyond, the same figures either way; a report's (ck->st) win. */
static void test_stats_kept_or_made(void **state)
{
    (void)state;
    for (int n = MS_RUN_STATS_MADE; n <= MS_RUN_STATS_MADE + 1; n++) {
        fixture f;
        fixture_init(&f);
        ms_run_check *ck = add_check(&f, "c", MS_KIND_HTTP, MS_FACTOR_PRODUCT);
        double *totals = calloc((size_t)n, sizeof *totals);
        assert_non_null(totals);
        for (int i = 0; i < n; i++)
            totals[i] = i % 7 == 3 ? -1 : 10 + (i * 37) % 101; /* some failed transfers */
        set_totals(ck, totals, n);
        free(totals);
        assert_int_equal(ms_score_check(ck), MS_OK);
        assert_int_equal(ck->st != NULL, n > MS_RUN_STATS_MADE);
        /* the figures, worked out here from the totals: the completed ones, sorted by counting */
        int64_t want_min = INT64_MAX, want_max = 0, sum = 0, sorted[MS_RUN_STATS_MADE + 1];
        int k = 0;
        for (int v = 0; v <= 200; v++)
            for (int i = 0; i < n; i++)
                if (!(i % 7 == 3) && 10 + (i * 37) % 101 == v)
                    sorted[k++] = (int64_t)v * 1000;
        for (int i = 0; i < k; i++) {
            want_min = sorted[i] < want_min ? sorted[i] : want_min;
            want_max = sorted[i] > want_max ? sorted[i] : want_max;
            sum += sorted[i];
        }
        ms_stats got = ms_run_stats(ck, MS_PH_TOTAL);
        assert_int_equal(got.n, k);
        assert_int_equal(got.min, want_min);
        assert_int_equal(got.max, want_max);
        assert_int_equal(got.median, sorted[(k + 1) / 2 - 1]); /* nearest rank: ceil(k / 2) */
        assert_int_equal(got.p90, sorted[(9 * k + 9) / 10 - 1]);
        assert_int_equal(got.mean, (sum + k / 2) / k);
        for (int p = 0; p < MS_PH_COUNT; p++) { /* every phase as its own statistic */
            ms_stats made = {0}, st = ms_run_stats(ck, p);
            assert_int_equal(ms_run_make_stats(ck, p, &made), MS_OK);
            assert_memory_equal(&st, &made, sizeof made);
        }
        if (ck->st) {
            ck->st[MS_PH_TOTAL].max = 1; /* as a report read back may say */
            assert_int_equal(ms_run_stat(ck, MS_PH_TOTAL, MS_STAT_MAX), 1);
        }
        fixture_free(&f);
    }
}

/* max_failed_samples: failed samples tolerated for pass/fail, never in the score; a check with
 * no sample that succeeded never passes; the statistic is over the completed samples. */
static void test_max_failed_samples(void **state)
{
    (void)state;
    static const struct {
        double totals[4];
        int n, max_failed;
        double budget_ms; /* 0: none */
        ms_stat stat;
        double score;
        ms_check_status status;
        const char *evidence;
    } rows[] = {
        {{10, 10, -1},
         3,
         1,
         0,
         MS_STAT_MEDIAN,
         2 / 3.0,
         MS_ST_PASS,
         "1 of 3 samples failed: Connection refused (max_failed_samples 1); median total 10 ms "
         "(no budget), n=2"},
        {{10, 10, -1}, 3, 0, 0, MS_STAT_MEDIAN, 2 / 3.0, MS_ST_FAIL, NULL},
        {{10, -1, -1}, 3, 1, 0, MS_STAT_MEDIAN, 1 / 3.0, MS_ST_FAIL, NULL},
        {{10, -1, -1}, 3, 2, 100, MS_STAT_MEDIAN, 1 / 3.0, MS_ST_PASS, NULL},
        /* every sample failed: nothing measured never passes, whatever it tolerates */
        {{-1, -1},
         2,
         2,
         0,
         MS_STAT_MEDIAN,
         0,
         MS_ST_FAIL,
         "2 of 2 samples failed: Connection refused (max_failed_samples 2)"},
        {{-150, -150}, 2, 5, 0, MS_STAT_MEDIAN, 0, MS_ST_FAIL, NULL},
        /* the tolerated 500's 150 ms is in the statistic: the max is over budget */
        {{-150, 10, 10}, 3, 1, 100, MS_STAT_MAX, 2 / 3.0, MS_ST_FAIL, NULL},
        {{-150, 10, 10}, 3, 1, 100, MS_STAT_MEDIAN, 2 / 3.0, MS_ST_PASS, NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        fixture f;
        fixture_init(&f);
        ms_run_check *ck = add_check(&f, "c", MS_KIND_HTTP, MS_FACTOR_PRODUCT);
        ck->max_failed_samples = rows[i].max_failed;
        ck->stat = rows[i].stat;
        if (rows[i].budget_ms > 0)
            ck->budget_us = with_budget(&f.run->budgets, ck->budget_us, MS_PH_TOTAL,
                                        (int64_t)(rows[i].budget_ms * 1000));
        set_totals(ck, rows[i].totals, rows[i].n);
        assert_int_equal(ms_score_check(ck), MS_OK);
        assert_true(fabs(ck->score - rows[i].score) < 1e-9);
        assert_int_equal(ck->status, rows[i].status);
        if (rows[i].evidence)
            assert_string_equal(ck->evidence, rows[i].evidence);
        fixture_free(&f);
    }
}

static void http_check(fixture *f, const char *id, const char *url, const double *totals, int n,
                       const char *owner)
{
    ms_run_check *ck = add_check(f, id, MS_KIND_HTTP, MS_FACTOR_CONVENIENCE);
    ck->url = strdup(url);
    ck->owner = owner ? strdup(owner) : NULL;
    ck->fix = strdup("Cache the page");
    set_totals(ck, totals, n);
}

/* One cause, one fix: the checks every sample of which failed to reach the same host are one fix
 * for them all; a bad status, or a host only one check failed to reach, is a fix of its own. */
static void test_host_fix(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    double refused[] = {-1, -1}, bad[] = {-150, -150}, ok[] = {10, 10}, some[] = {-1, 10};
    http_check(&f, "home", "http://Shop.example:81/", refused, 2, "web team");
    http_check(&f, "ok", "http://up.example/ok", ok, 2, NULL);
    http_check(&f, "status", "http://up.example/500", bad, 2, NULL);
    http_check(&f, "cart", "http://user:pw@shop.example:81/cart?x=1", refused, 2, "shop team");
    http_check(&f, "alone", "https://other.example/", refused, 2, NULL);
    http_check(&f, "api", "http://shop.example:81#top", refused, 2, "web team");
    http_check(&f, "some", "http://up.example/some", some, 2, NULL);
    f.run->checks[3]->critical = true; /* cart */
    assert_int_equal(ms_score_run(f.run), MS_OK);
    /* 7 checks of weight 1: a check scoring 0 is worth 100 / 7 = 14.29 points */
    assert_int_equal(f.run->nfixes, 4);
    const ms_run_fix *h = &f.run->fixes[0];
    assert_string_equal(h->host, "shop.example:81");
    assert_string_equal(h->title, "shop.example:81 cannot be reached");
    assert_string_equal(h->error, "Connection refused");
    assert_int_equal(h->nchecks, 3);
    assert_string_equal(f.run->checks[h->checks[0]]->id, "home");
    assert_string_equal(f.run->checks[h->checks[1]]->id, "cart");
    assert_string_equal(f.run->checks[h->checks[2]]->id, "api");
    assert_int_equal(h->severity, MS_SEV_CRITICAL);
    assert_true(fabs(h->impact - 42.86) < 1e-9);
    assert_string_equal(h->owner, "web team, shop team"); /* each once, in run order */
    assert_string_equal(h->evidence,
                        "every sample of 3 checks failed without a response: Connection refused");
    assert_null(h->hint);
    assert_true(strstr(h->fix, "reachable") != NULL);
    /* the others are their checks' own, in the usual order */
    static const char *const rest[] = {"status", "alone", "some"};
    for (size_t i = 1; i < 4; i++) {
        assert_null(f.run->fixes[i].host);
        assert_int_equal(f.run->fixes[i].nchecks, 1);
        assert_string_equal(f.run->checks[f.run->fixes[i].check]->id, rest[i - 1]);
        assert_string_equal(f.run->fixes[i].fix, "Cache the page");
    }
    assert_int_equal(f.run->nbetter, 0);
    fixture_free(&f);

    /* A host that answered another check can be reached: its refused checks keep their fixes
     * (a reset or a timeout on one page is not a host that is down). */
    fixture_init(&f);
    http_check(&f, "a", "http://up.example/a", refused, 2, NULL);
    http_check(&f, "b", "http://up.example/b", refused, 2, NULL);
    http_check(&f, "c", "http://UP.example/c", bad, 2, NULL);
    assert_int_equal(ms_score_run(f.run), MS_OK);
    assert_int_equal(f.run->nfixes, 3);
    for (size_t i = 0; i < 3; i++)
        assert_null(f.run->fixes[i].host);
    fixture_free(&f);
}

/* A check that passed with s < 1 is not a fix: it is in the "could be better" list, with no
 * severity, in the fix order. */
static void test_could_be_better(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    ms_run_check *r = add_check(&f, "rated", MS_KIND_RATING, MS_FACTOR_PEOPLE);
    r->scale_lo = 1;
    r->scale_hi = 5;
    r->pass = 4;
    r->answer = (ms_answer){.state = MS_ANS_VALUE, .value = 4};
    ms_run_check *y = add_check(&f, "no", MS_KIND_YESNO, MS_FACTOR_CONVENIENCE);
    yes_no(y, false, 1, 2, MS_AUD_EXTERNAL);
    double tol[] = {10, 150};
    http_check(&f, "tolerated", "http://h/", tol, 2, NULL);
    f.run->checks[2]->budget_us =
        with_budget(&f.run->budgets, f.run->checks[2]->budget_us, MS_PH_TOTAL, 100000);
    f.run->checks[2]->stat = MS_STAT_MIN;
    assert_int_equal(ms_score_run(f.run), MS_OK);
    assert_int_equal(f.run->nfixes, 1);
    assert_string_equal(f.run->checks[f.run->fixes[0].check]->id, "no");
    assert_int_equal(f.run->nbetter, 2);
    assert_string_equal(f.run->checks[f.run->better[0].check]->id, "rated");     /* 0.25 x 2 x 1 */
    assert_string_equal(f.run->checks[f.run->better[1].check]->id, "tolerated"); /* 0.25 x 1 */
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(f.run->better[i].severity, MS_SEV_NONE);
        assert_int_equal(f.run->checks[f.run->better[i].check]->status, MS_ST_PASS);
    }
    assert_string_equal(ms_severity_name(MS_SEV_NONE), "none");
    fixture_free(&f);
}

static void test_http_evidence_names_the_phase(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    ms_run_check *ck = add_check(&f, "c", MS_KIND_HTTP, MS_FACTOR_PRODUCT);
    ck->budget_us = with_budget(&f.run->budgets, ck->budget_us, MS_PH_TOTAL, 800000);
    double totals[] = {1800, 1840, 1900};
    set_totals(ck, totals, 3);
    assert_int_equal(ms_score_run(f.run), MS_OK);
    assert_string_equal(ck->evidence,
                        "median total 1840 ms vs budget 800 ms (2.3x), n=3; server 1656 ms of it");
    assert_int_equal(ck->judged_phase, MS_PH_TOTAL);
    assert_int_equal(ck->worst_phase, MS_PH_SERVER);
    assert_non_null(strstr(ms_phase_hint(ck->worst_phase), "backend"));
    /* its fix carries the hint of the phase to blame */
    assert_int_equal(f.run->nfixes, 1);
    assert_string_equal(f.run->fixes[0].hint, ms_phase_hint(MS_PH_SERVER));
    fixture_free(&f);
}

/* A check that failed on a sample but is fast gets no "it is slow" hint. */
static void test_no_hint_within_budget(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    ms_run_check *ck = add_check(&f, "c", MS_KIND_HTTP, MS_FACTOR_PRODUCT);
    ck->budget_us = with_budget(&f.run->budgets, ck->budget_us, MS_PH_TOTAL, 800000);
    double totals[] = {100, 120, 140, -1};
    set_totals(ck, totals, 4);
    ms_score_check(ck);
    assert_int_equal(ck->status, MS_ST_FAIL);
    assert_int_equal(ck->judged_phase, MS_PH_TOTAL);
    assert_int_equal(ck->worst_phase, -1);
    assert_string_equal(ck->evidence, "1 of 4 samples failed: Connection refused; median total "
                                      "120 ms vs budget 800 ms (0.15x), n=3");
    fixture_free(&f);
}

/* Far within its budget, the ratio says so rather than "0.00x". */
static void test_ratio_far_within(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    ms_run_check *ck = add_check(&f, "c", MS_KIND_HTTP, MS_FACTOR_PRODUCT);
    ck->budget_us = with_budget(&f.run->budgets, ck->budget_us, MS_PH_TOTAL, 800000);
    double totals[] = {2, 3, 4};
    set_totals(ck, totals, 3);
    ms_score_check(ck);
    assert_int_equal(ck->status, MS_ST_PASS);
    assert_string_equal(ck->evidence, "median total 3.0 ms vs budget 800 ms (<0.01x), n=3");
    fixture_free(&f);
}

static void test_manual_scores(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    ms_run_check *r = add_check(&f, "friendly", MS_KIND_RATING, MS_FACTOR_PEOPLE);
    r->scale_lo = 1;
    r->scale_hi = 5;
    r->pass = 4;
    r->answer =
        (ms_answer){.state = MS_ANS_VALUE, .value = 2, .note = strdup("said it was not their job")};
    ms_run_check *y = add_check(&f, "first-call", MS_KIND_YESNO, MS_FACTOR_PRODUCT);
    y->good_yes = true;
    y->answer = (ms_answer){.state = MS_ANS_VALUE, .yes = true};
    ms_run_check *w = add_check(&f, "wait", MS_KIND_STOPWATCH, MS_FACTOR_CONVENIENCE);
    w->budget_us = with_budget(&f.run->budgets, w->budget_us, MS_PH_TOTAL, 60000000);
    w->answer = (ms_answer){.state = MS_ANS_VALUE, .elapsed_us = 73000000};
    ms_run_check *na = add_check(&f, "store", MS_KIND_RATING, MS_FACTOR_PEOPLE);
    na->scale_lo = 1;
    na->scale_hi = 5;
    na->answer = (ms_answer){.state = MS_ANS_NA};
    ms_run_check *un = add_check(&f, "callback", MS_KIND_YESNO, MS_FACTOR_PEOPLE);

    assert_int_equal(ms_score_run(f.run), MS_OK);
    const ms_scores sc = f.run->scores;
    assert_true(fabs(r->score - 0.25) < 1e-9);
    assert_int_equal(r->status, MS_ST_FAIL);
    assert_string_equal(r->evidence, "rated 2/5, pass 4: 'said it was not their job'");
    assert_true(y->score == 1 && y->status == MS_ST_PASS);
    assert_true(w->score == 0.5 && w->status == MS_ST_FAIL);
    assert_string_equal(w->evidence, "took 1m13s vs budget 1m (1.2x)");
    assert_false(na->has_score);
    assert_int_equal(na->status, MS_ST_NA);
    assert_false(un->has_score);
    assert_int_equal(un->status, MS_ST_UNANSWERED);

    /* Scores leave na and unanswered out of every denominator. */
    assert_int_equal(sc.passed, 1);
    assert_int_equal(sc.failed, 2);
    assert_int_equal(sc.na, 1);
    assert_int_equal(sc.unanswered, 1);
    assert_true(fabs(sc.factor[MS_FACTOR_PEOPLE] - 25) < 1e-9);
    assert_true(fabs(sc.factor[MS_FACTOR_PRODUCT] - 100) < 1e-9);
    assert_true(fabs(sc.factor[MS_FACTOR_CONVENIENCE] - 50) < 1e-9);
    /* overall = 100 (2*0.25 + 3*1 + 1*0.5) / (2 + 3 + 1) = 66.666..., published as 66.67 */
    assert_true(fabs(sc.overall - 66.67) < 1e-9);
    assert_true(fabs(sc.audience[MS_AUD_EXTERNAL] - 58.33) < 1e-9); /* 100 * 1.75 / 3 */
    assert_false(sc.has_audience[MS_AUD_INTERNAL]);
    /* coverage: 4 applicable (na left out), 3 answered */
    assert_int_equal(the_section(&f)->applicable, 4);
    assert_int_equal(the_section(&f)->answered, 3);
    assert_true(the_section(&f)->has_score);
    assert_true(fabs(the_section(&f)->score - 58.33) < 1e-9); /* 100 * (0.25 + 1 + 0.5) / 3 */
    fixture_free(&f);
}

static void test_fix_order(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    /* All convenience (rank 1), all failing (s = 0): impact is proportional to weight. */
    ms_run_check *big_l = add_check(&f, "big-l", MS_KIND_YESNO, MS_FACTOR_CONVENIENCE);
    yes_no(big_l, false, 9, 4, MS_AUD_EXTERNAL); /* the largest impact, 9u, / 4 = 2.25u */
    ms_run_check *mid_s = add_check(&f, "mid-s", MS_KIND_YESNO, MS_FACTOR_CONVENIENCE);
    yes_no(mid_s, false, 3, 1, MS_AUD_EXTERNAL); /* 3u */
    ms_run_check *internal = add_check(&f, "internal", MS_KIND_YESNO, MS_FACTOR_CONVENIENCE);
    yes_no(internal, false, 2, 1, MS_AUD_INTERNAL); /* 2u, internal */
    ms_run_check *external = add_check(&f, "external", MS_KIND_YESNO, MS_FACTOR_CONVENIENCE);
    yes_no(external, false, 2, 1, MS_AUD_EXTERNAL); /* 2u, external: before internal */
    ms_run_check *tie_a = add_check(&f, "tie-a", MS_KIND_YESNO, MS_FACTOR_CONVENIENCE);
    yes_no(tie_a, false, 1, 2, MS_AUD_EXTERNAL); /* 0.5u */
    ms_run_check *tie_b = add_check(&f, "tie-b", MS_KIND_YESNO, MS_FACTOR_CONVENIENCE);
    yes_no(tie_b, false, 1, 2, MS_AUD_EXTERNAL); /* 0.5u, after tie-a by order */
    ms_run_check *crit = add_check(&f, "crit", MS_KIND_YESNO, MS_FACTOR_CONVENIENCE);
    yes_no(crit, false, 0.1, 4, MS_AUD_INTERNAL); /* tiny, but a failed critical: first */
    crit->critical = true;
    ms_run_check *fine = add_check(&f, "fine", MS_KIND_YESNO, MS_FACTOR_CONVENIENCE);
    yes_no(fine, true, 100, 2, MS_AUD_EXTERNAL); /* passes at 1: no fix */

    assert_int_equal(ms_score_run(f.run), MS_OK);
    const ms_run_fix *fx = f.run->fixes;
    size_t n = f.run->nfixes;
    static const char *const order[] = {"crit",     "mid-s", "big-l", "external",
                                        "internal", "tie-a", "tie-b"};
    assert_int_equal(n, 7);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(f.run->checks[fx[i].check]->id, order[i]);
    /* total weight 118.1; mid-s gains 100 * 3 / 118.1 = 2.540... points, published as 2.54 */
    assert_true(fabs(fx[1].impact - 2.54) < 1e-9);
    assert_int_equal(fx[0].severity, MS_SEV_CRITICAL);
    assert_int_equal(fx[1].severity, MS_SEV_MODERATE); /* 2.54 */
    assert_int_equal(fx[2].severity, MS_SEV_SERIOUS);  /* big-l: 7.62 */
    assert_int_equal(fx[5].severity, MS_SEV_MINOR);    /* 0.85 */
    assert_null(fx[0].hint);                           /* manual checks have no phase to blame */
    fixture_free(&f);
}

/* The gate names every reason that applies, in order, each once; the score gate prints the
 * figure it compares (two decimals). */
static void test_gate(void **state)
{
    (void)state;
    static const struct {
        bool has_overall;
        double overall;
        size_t failed, critical, unanswered;
        ms_fail_on fail_on;
        double fail_under;
        bool require_complete;
        const char *reasons; /* kind=text|... */
        const char *reason;  /* the gate's, joined */
        int exit_code;
    } rows[] = {
        {true, 61, 2, 0, 0, MS_FAIL_ON_ANY, -1, false, "failed=2 checks failed", "2 checks failed",
         1},
        {true, 61, 2, 0, 0, MS_FAIL_ON_CRITICAL, -1, false, "", NULL, 0},
        {true, 61, 2, 0, 0, MS_FAIL_ON_NONE, 60, false, "", NULL, 0},
        {true, 61, 2, 0, 0, MS_FAIL_ON_NONE, 70, false, "score=score 61.00 is below 70",
         "score 61.00 is below 70", 1},
        {true, 61, 2, 1, 0, MS_FAIL_ON_CRITICAL, 80, false,
         "critical=1 critical check failed|score=score 61.00 is below 80",
         "1 critical check failed; score 61.00 is below 80", 1},
        /* 69.96 is below 70, and says so with the figure compared (it printed 70.0) */
        {true, 69.96, 0, 0, 0, MS_FAIL_ON_ANY, 70, false, "score=score 69.96 is below 70",
         "score 69.96 is below 70", 1},
        {true, 69.96, 0, 0, 0, MS_FAIL_ON_ANY, 69.96, false, "", NULL, 0},
        /* nothing scored is not a pass, unless --fail-on none */
        {false, 0, 0, 0, 3, MS_FAIL_ON_ANY, -1, false,
         "no_score=nothing could be scored (every check is unanswered, n/a or not run)",
         "nothing could be scored (every check is unanswered, n/a or not run)", 1},
        {false, 0, 0, 0, 3, MS_FAIL_ON_NONE, -1, false, "", NULL, 0},
        {false, 0, 0, 0, 3, MS_FAIL_ON_NONE, 50, true,
         "score=no score to compare with 50|incomplete=3 manual checks unanswered "
         "(--require-complete)",
         "no score to compare with 50", 4},
        {true, 90, 1, 0, 1, MS_FAIL_ON_ANY, 95, true,
         "failed=1 check failed|score=score 90.00 is below 95|incomplete=1 manual check "
         "unanswered (--require-complete)",
         "1 check failed; score 90.00 is below 95", 4},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ms_run *run = NULL;
        char got[512] = "";
        assert_int_equal(ms_run_new(&run), MS_OK);
        run->scores = (ms_scores){.has_overall = rows[i].has_overall,
                                  .overall = rows[i].overall,
                                  .failed = rows[i].failed,
                                  .critical_failed = rows[i].critical,
                                  .unanswered = rows[i].unanswered};
        assert_int_equal(
            ms_run_judge(run, rows[i].fail_on, rows[i].fail_under, rows[i].require_complete),
            MS_OK);
        for (size_t k = 0; k < run->verdict.nreasons; k++)
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s=%s", k ? "|" : "",
                     ms_reason_kind_name(run->verdict.reasons[k].kind),
                     run->verdict.reasons[k].text);
        assert_string_equal(got, rows[i].reasons);
        if (rows[i].reason)
            assert_string_equal(run->verdict.reason, rows[i].reason);
        else
            assert_null(run->verdict.reason);
        assert_int_equal(run->verdict.exit_code, rows[i].exit_code);
        assert_int_equal(run->verdict.passed, rows[i].reason == NULL);
        /* judged again, the same: the list is replaced, not added to */
        assert_int_equal(
            ms_run_judge(run, rows[i].fail_on, rows[i].fail_under, rows[i].require_complete),
            MS_OK);
        assert_int_equal(run->verdict.exit_code, rows[i].exit_code);
        ms_run_free(run);
    }
}

/* A report that cannot be written is a reason too: exit 3, after 130 and before 4 and 1. */
static void test_exit_precedence(void **state)
{
    (void)state;
    static const struct {
        bool interrupted, report, incomplete, gate_failed;
        int exit_code;
        const char *word;
    } rows[] = {
        {true, true, true, true, 130, "INTERRUPTED"},
        {false, true, true, true, 3, "ERROR"},
        {false, false, true, true, 4, "INCOMPLETE"},
        {false, false, false, true, 1, "FAIL"},
        {false, false, false, false, 0, "PASS"},
        {true, false, false, false, 130, "INTERRUPTED"},
        {false, true, false, false, 3, "ERROR"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ms_run *run = NULL;
        assert_int_equal(ms_run_new(&run), MS_OK);
        run->interrupted = rows[i].interrupted;
        run->scores = (ms_scores){.has_overall = true,
                                  .overall = 80,
                                  .failed = rows[i].gate_failed,
                                  .unanswered = rows[i].incomplete};
        assert_int_equal(ms_run_judge(run, MS_FAIL_ON_ANY, -1, true), MS_OK);
        if (rows[i].report)
            assert_int_equal(ms_run_add_reason(run, MS_REASON_REPORT, "x could not be written"),
                             MS_OK);
        assert_int_equal(run->verdict.exit_code, rows[i].exit_code);
        assert_int_equal(ms_status_exit_code(ms_run_status(run)), rows[i].exit_code);
        assert_string_equal(ms_verdict_word(run), rows[i].word);
        ms_run_free(run);
    }
}

/* The one mapping from a scored run to its verdict and exit code. */
static void test_verdict(void **state)
{
    (void)state;
    static const struct {
        bool interrupted;
        size_t failed, critical, unanswered;
        ms_fail_on fail_on;
        bool require_complete;
        bool passed, incomplete;
        int exit_code;
        const char *reason;
    } rows[] = {
        {false, 0, 0, 0, MS_FAIL_ON_ANY, false, true, false, 0, NULL},
        {false, 2, 0, 0, MS_FAIL_ON_ANY, false, false, false, 1, "2 checks failed"},
        {false, 2, 0, 0, MS_FAIL_ON_CRITICAL, false, true, false, 0, NULL},
        {false, 2, 1, 0, MS_FAIL_ON_CRITICAL, false, false, false, 1, "1 critical check failed"},
        {false, 0, 0, 3, MS_FAIL_ON_ANY, false, true, false, 0, NULL},
        {false, 0, 0, 3, MS_FAIL_ON_ANY, true, true, true, 4, NULL},
        {false, 1, 0, 3, MS_FAIL_ON_ANY, true, false, true, 4, "1 check failed"},
        {true, 0, 0, 0, MS_FAIL_ON_ANY, false, false, false, 130, NULL},
        {true, 1, 0, 3, MS_FAIL_ON_ANY, true, false, true, 130, "1 check failed"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ms_run *run = NULL;
        assert_int_equal(ms_run_new(&run), MS_OK);
        run->interrupted = rows[i].interrupted;
        run->scores = (ms_scores){.has_overall = true,
                                  .overall = 80,
                                  .failed = rows[i].failed,
                                  .critical_failed = rows[i].critical,
                                  .unanswered = rows[i].unanswered};
        assert_int_equal(ms_run_judge(run, rows[i].fail_on, -1, rows[i].require_complete), MS_OK);
        assert_int_equal(run->verdict.passed, rows[i].passed);
        assert_int_equal(run->verdict.incomplete, rows[i].incomplete);
        assert_int_equal(run->verdict.exit_code, rows[i].exit_code);
        assert_int_equal(run->verdict.exit_code, ms_status_exit_code(ms_run_status(run)));
        if (rows[i].reason)
            assert_string_equal(run->verdict.reason, rows[i].reason);
        else
            assert_null(run->verdict.reason);
        ms_run_free(run);
    }
}

/* The gate compares the published overall score (two decimals), the one every report shows. */
static void test_gate_on_published_score(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    yes_no(add_check(&f, "small", MS_KIND_YESNO, MS_FACTOR_PRODUCT), false, 1, 2, MS_AUD_EXTERNAL);
    yes_no(add_check(&f, "big", MS_KIND_YESNO, MS_FACTOR_PRODUCT), true, 3000, 2, MS_AUD_EXTERNAL);
    assert_int_equal(ms_score_run(f.run), MS_OK);
    assert_true(fabs(f.run->scores.overall - 99.97) < 1e-9); /* exactly 99.9667 */
    assert_int_equal(ms_run_judge(f.run, MS_FAIL_ON_NONE, 99.97, false), MS_OK);
    assert_true(f.run->verdict.passed);
    assert_int_equal(ms_run_judge(f.run, MS_FAIL_ON_NONE, 99.98, false), MS_OK);
    assert_false(f.run->verdict.passed);
    assert_non_null(f.run->verdict.reason);
    fixture_free(&f);
}

/* body_not_contains held on a body cut at the examined size: said in the evidence and kept. */
static void test_body_cut_held(void **state)
{
    (void)state;
    static const struct {
        bool body_not_contains, cut, failed, held;
    } rows[] = {
        {true, true, false, true},
        {true, false, false, false},
        {false, true, false, false},
        {true, true, true, false}, /* a failed sample proved nothing */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        fixture f;
        fixture_init(&f);
        ms_run_check *ck = add_check(&f, "c", MS_KIND_HTTP, MS_FACTOR_PRODUCT);
        double totals[] = {10, rows[i].failed ? -1 : 10};
        set_totals(ck, totals, 2);
        ck->body_not_contains = rows[i].body_not_contains;
        ck->samples[rows[i].failed ? 1 : 0].body_cut = rows[i].cut;
        assert_int_equal(ms_score_run(f.run), MS_OK);
        assert_int_equal(ck->body_cut_held, rows[i].held);
        assert_int_equal(strstr(ck->evidence, MS_BODY_CUT_NOTE) != NULL, rows[i].held);
        fixture_free(&f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_http_apdex),
        cmocka_unit_test(test_http_stats_over_completed),
        cmocka_unit_test(test_max_failed_samples),
        cmocka_unit_test(test_stats_kept_or_made),
        cmocka_unit_test(test_host_fix),
        cmocka_unit_test(test_could_be_better),
        cmocka_unit_test(test_http_evidence_names_the_phase),
        cmocka_unit_test(test_no_hint_within_budget),
        cmocka_unit_test(test_manual_scores),
        cmocka_unit_test(test_fix_order),
        cmocka_unit_test(test_ratio_far_within),
        cmocka_unit_test(test_gate),
        cmocka_unit_test(test_exit_precedence),
        cmocka_unit_test(test_verdict),
        cmocka_unit_test(test_gate_on_published_score),
        cmocka_unit_test(test_body_cut_held),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
