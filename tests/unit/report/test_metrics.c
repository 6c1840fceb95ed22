/* The metrics report: families, values in base units, label escaping, the run's time, and
 * allocation failures (the test is linked with --wrap=malloc,--wrap=calloc,--wrap=realloc). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "ms/report.h"

#include "failalloc.h"

/* A title, a label and a check id with everything the format escapes, Vietnamese, and a byte
 * that is not UTF-8. */
#define TRICKY "T\xE1\xBB\x95ng \xC4\x91\xC3\xA0i \"1900\" back\\slash\nline \xC3"
#define TRICKY_PROM                                                                                \
    "T\xE1\xBB\x95ng \xC4\x91\xC3\xA0i \\\"1900\\\" back\\\\slash\\nline \xEF\xBF\xBD"

static void set(char **dst, const char *s)
{
    assert_int_equal(ms_run_set(dst, s), MS_OK);
}

/* A run of two checklists: an http check (passed), a stopwatch (failed), a rating not
 * answered; scores for overall, one factor, one audience and a section. */
static ms_run *hand_run(const char *label, const char *started_at)
{
    ms_run *run = NULL;
    assert_int_equal(ms_run_new(&run), MS_OK);
    set(&run->label, label);
    set(&run->started_at, started_at);
    run->duration_us = 2500000;
    run->verdict.exit_code = 1;
    run->lists = calloc(2, sizeof *run->lists);
    run->nlists = 2;
    set(&run->lists[0].id, "shop");
    set(&run->lists[1].id, "hotline");
    for (size_t l = 0; l < 2; l++) {
        run->lists[l].sections = calloc(1, sizeof *run->lists[l].sections);
        run->lists[l].nsections = 1;
    }
    set(&run->lists[0].sections[0].id, "web");
    run->lists[0].sections[0] = (ms_run_section){
        .id = run->lists[0].sections[0].id, .first = 0, .n = 1, .has_score = true, .score = 87.5};
    set(&run->lists[1].sections[0].id, "call");
    run->lists[1].sections[0].first = 1;
    run->lists[1].sections[0].n = 2;
    assert_int_equal(ms_run_add_checks(run, 3), MS_OK);
    ms_run_check *h = run->checks[0], *sw = run->checks[1], *r = run->checks[2];
    set(&h->id, "home");
    set(&h->title, TRICKY);
    set(&h->owner, "web team");
    h->kind = MS_KIND_HTTP;
    h->critical = true;
    h->status = MS_ST_PASS;
    h->has_score = true;
    h->score = 0.35;
    h->stat = MS_STAT_P95;
    h->budget_us = ms_no_budgets;
    h->budget_us = with_budget(&run->budgets, h->budget_us, MS_PH_TOTAL, 800000);
    assert_non_null(h->st = calloc(MS_PH_COUNT, sizeof *h->st));
    h->st[MS_PH_TOTAL] = (ms_stats){
        .n = 3, .min = 1000, .median = 1234, .p90 = 2000000, .p95 = 2000001, .max = 2000001};
    h->st[MS_PH_TOTAL].mean = 667411;
    set(&sw->id, TRICKY);
    sw->kind = MS_KIND_STOPWATCH;
    sw->factor = MS_FACTOR_PEOPLE;
    sw->status = MS_ST_FAIL;
    sw->has_score = true;
    sw->score = 0;
    sw->answer = (ms_answer){.state = MS_ANS_VALUE, .elapsed_us = 73500000};
    sw->budget_us = ms_no_budgets;
    sw->budget_us = with_budget(&run->budgets, sw->budget_us, MS_PH_TOTAL, 60000000);
    set(&r->id, "friendly");
    r->kind = MS_KIND_RATING;
    r->status = MS_ST_UNANSWERED;
    r->budget_us = ms_no_budgets;
    run->scores = (ms_scores){.has_overall = true,
                              .overall = 41.18,
                              .has_factor = {false, true, false},
                              .factor = {0, 12.5, 0},
                              .has_audience = {true, false},
                              .audience = {41.18, 0},
                              .passed = 1,
                              .failed = 1,
                              .unanswered = 1};
    return run;
}

static char *render(const ms_run *run)
{
    char *out = NULL;
    assert_int_equal(ms_report_metrics(run, NULL, &out), MS_OK);
    assert_non_null(out);
    return out;
}

/* Every line the report must hold, and what it must not. */
static void test_families_and_values(void **state)
{
    (void)state;
    ms_run *run = hand_run("prod", "2026-11-20T09:30:00+07:00");
    char *m = render(run);
#define RUN  "{checklist=\"shop,hotline\",label=\"prod\""
#define HOME RUN ",section=\"web\",check=\"home\""
#define SW   RUN ",section=\"call\",check=\"" TRICKY_PROM "\""
    static const char *const want[] = {
        "# TYPE mystery_shopper_run_timestamp_seconds gauge\n",
        "mystery_shopper_run_timestamp_seconds" RUN "} 1795141800\n",
        "mystery_shopper_run_duration_seconds" RUN "} 2.5\n",
        "mystery_shopper_run_success" RUN "} 0\n",
        "mystery_shopper_run_exit_code" RUN "} 1\n",
        "mystery_shopper_score" RUN ",scope=\"overall\"} 41.18\n",
        "mystery_shopper_score" RUN ",scope=\"factor\",name=\"people\"} 12.5\n",
        "mystery_shopper_score" RUN ",scope=\"audience\",name=\"external\"} 41.18\n",
        "mystery_shopper_score" RUN ",scope=\"section\",name=\"web\"} 87.5\n",
        "mystery_shopper_checks" RUN ",status=\"pass\"} 1\n",
        "mystery_shopper_checks" RUN ",status=\"not-run\"} 0\n",
        "mystery_shopper_check_info" HOME ",title=\"" TRICKY_PROM
        "\",kind=\"http\",factor=\"product\","
        "audience=\"external\",critical=\"true\",owner=\"web team\",stat=\"p95\"} 1\n",
        "mystery_shopper_check_status" HOME ",status=\"pass\"} 1\n",
        "mystery_shopper_check_status" HOME ",status=\"fail\"} 0\n",
        "mystery_shopper_check_status" RUN
        ",section=\"call\",check=\"friendly\",status=\"unanswered\"} 1\n",
        "mystery_shopper_check_success" HOME "} 1\n",
        "mystery_shopper_check_success" SW "} 0\n",
        "mystery_shopper_check_score" HOME "} 0.35\n",
        "mystery_shopper_check_score" SW "} 0\n",
        "mystery_shopper_check_duration_seconds" HOME ",phase=\"total\",stat=\"min\"} 0.001\n",
        "mystery_shopper_check_duration_seconds" HOME
        ",phase=\"total\",stat=\"median\"} 0.001234\n",
        "mystery_shopper_check_duration_seconds" HOME ",phase=\"total\",stat=\"p90\"} 2\n",
        "mystery_shopper_check_duration_seconds" HOME ",phase=\"total\",stat=\"max\"} 2.000001\n",
        "mystery_shopper_check_duration_seconds" HOME ",phase=\"total\",stat=\"mean\"} 0.667411\n",
        "mystery_shopper_check_duration_seconds" SW ",phase=\"total\",stat=\"median\"} 73.5\n",
        "mystery_shopper_check_budget_seconds" HOME ",phase=\"total\"} 0.8\n",
        "mystery_shopper_check_budget_seconds" SW ",phase=\"total\"} 60\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(m, want[i]))
            fail_msg("missing: %s\nin:\n%s", want[i], m);
    static const char *const unwanted[] = {
        "check=\"friendly\"} ",     /* unanswered: no success, no score */
        "phase=\"dns\"",            /* nothing measured: never a 0 */
        "check=\"friendly\",phase", /* a rating has no duration */
        "mystery_shopper_score" RUN ",scope=\"section\",name=\"call\"", /* no score */
        "name=\"product\"", /* a factor without a score */
        "\xC3\"",           /* the bad byte */
    };
    for (size_t i = 0; i < sizeof unwanted / sizeof unwanted[0]; i++)
        if (strstr(m, unwanted[i]))
            fail_msg("unexpected: %s\nin:\n%s", unwanted[i], m);
    /* HELP and TYPE once a family, each family's series together, no timestamps: every sample
     * line is NAME{...} VALUE with nothing after the value. */
    char *copy = strdup(m), *save = NULL, last[128] = "";
    size_t types = 0, helps = 0;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strncmp(line, "# HELP ", 7) == 0) {
            helps++;
            continue;
        }
        if (strncmp(line, "# TYPE ", 7) == 0) {
            char name[128];
            types++;
            assert_int_equal(sscanf(line + 7, "%127s", name), 1);
            assert_string_not_equal(name, last);
            snprintf(last, sizeof last, "%s", name);
            continue;
        }
        size_t n = strcspn(line, "{");
        assert_int_equal(strncmp(line, last, n), 0); /* after its family's TYPE line */
        assert_int_equal(strlen(last), n);
        const char *end = strrchr(line, '}');
        assert_non_null(end);
        assert_int_equal(end[1], ' ');
        assert_null(strchr(end + 2, ' '));
    }
    assert_int_equal(types, 12);
    assert_int_equal(helps, types);
    free(copy);
    /* The same record gives the same bytes. */
    char *again = render(run);
    assert_string_equal(m, again);
    free(again);
    free(m);
    ms_run_free(run);
#undef RUN
#undef HOME
#undef SW
}

/* The run's start in Unix time, from the ISO 8601 time the run records; none when unreadable. */
static void test_timestamp(void **state)
{
    (void)state;
    static const struct {
        const char *at, *want; /* NULL: no series */
    } rows[] = {
        {"2026-11-20T09:30:00+07:00", "} 1795141800\n"},
        {"2026-11-20T02:30:00Z", "} 1795141800\n"},
        {"2026-11-20T02:30:00.250Z", "} 1795141800\n"},
        {"2024-02-29T23:59:59-05:30", "} 1709270999\n"},
        {"2024-02-29T23:59:59-0530", "} 1709270999\n"},
        {"1999-12-31T23:59:59+00:00", "} 946684799\n"},
        {"2026-11-20", NULL},
        {"2026-13-20T02:30:00Z", NULL},
        {"2026-11-20T02:30:00", NULL},
        {"2026-11-20T02:30:00+7", NULL},
        {"yesterday", NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ms_run *run = hand_run("", rows[i].at);
        char *m = render(run);
        const char *ts = strstr(m, "mystery_shopper_run_timestamp_seconds{");
        if (!rows[i].want && ts)
            fail_msg("%s: a timestamp: %.80s", rows[i].at, ts);
        if (rows[i].want && (!ts || strncmp(strchr(ts, '}'), rows[i].want, strlen(rows[i].want))))
            fail_msg("%s: %.80s, expected %s", rows[i].at, ts ? ts : "none", rows[i].want);
        assert_non_null(strstr(m, "{checklist=\"shop,hotline\",label=\"\"}")); /* no label */
        free(m);
        ms_run_free(run);
    }
}

/* Every allocation fails in turn: MS_ERR_NOMEM and nothing, never a shorter report. */
static void test_nomem(void **state)
{
    (void)state;
    ms_run *run = hand_run("prod", "2026-11-20T09:30:00+07:00");
    char *whole = render(run);
    for (int k = 1;; k++) {
        char *out = NULL;
        fail_at = k;
        ms_status rc = ms_report_metrics(run, NULL, &out);
        bool failed = fail_at == 0;
        fail_at = 0;
        if (!failed) {
            assert_int_equal(rc, MS_OK);
            assert_string_equal(out, whole);
            free(out);
            assert_true(k > 2);
            break;
        }
        if (rc != MS_ERR_NOMEM || out)
            fail_msg("allocation %d failed: status %d, out %s", k, rc, out ? "set" : "NULL");
    }
    free(whole);
    ms_run_free(run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_families_and_values),
                                       cmocka_unit_test(test_timestamp),
                                       cmocka_unit_test(test_nomem)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
