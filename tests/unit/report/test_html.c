/* The HTML report (src/report/html.c): escaping of everything from outside, the waterfall's
 * widths proportional to the phases on one scale, a failed sample shown as failed (never a bar of
 * no width), the sparklines, the same bytes for the same record, and every allocation failure.
 * The test is linked with --wrap=malloc,calloc,realloc,strdup (tests/CMakeLists.txt), so the
 * module's allocations come here; fail_at > 0 makes the fail_at-th one from now fail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "ms/report.h"
#include "ms/score.h"

#include "failalloc.h"

#define SCRIPT "<script>alert(1)</script>"
#define VI     "\xC4\x90\xE1\xBA\xB7t h\xC3\xA0ng" /* Đặt hàng */

/* A run of one checklist, one section: an http check with a completed sample (dns 1 ms, connect
 * 2 ms, server 6 ms, transfer 1 ms: 10 ms) and one that could not connect; a yesno check with a
 * note; one fix and one reason. Everything from outside holds characters that need escaping. */
static ms_run *make_run(void)
{
    ms_run *run = NULL;
    assert_int_equal(ms_run_new(&run), MS_OK);
    run->tool_version = strdup("9.9");
    run->started_at = strdup("2026-11-20T09:30:00+07:00");
    run->label = strdup("prod & <eu>");
    run->nlists = 1;
    run->lists = calloc(1, sizeof *run->lists);
    run->lists[0].id = strdup("shop");
    run->lists[0].title = strdup("C\xE1\xBB\xAD"
                                 "a h\xC3\xA0ng <b>");
    run->lists[0].path = strdup("shop.json");
    run->lists[0].nsections = 1;
    run->lists[0].sections = calloc(1, sizeof *run->lists[0].sections);
    run->lists[0].sections[0] = (ms_run_section){.id = strdup("s"),
                                                 .title = strdup("Web & \"API\""),
                                                 .n = 2,
                                                 .has_score = true,
                                                 .score = 25};
    assert_int_equal(ms_run_add_checks(run, 2), MS_OK);
    ms_run_check *h = run->checks[0], *m = run->checks[1];
    h->id = strdup("order");
    h->title = strdup(SCRIPT " " VI);
    h->kind = MS_KIND_HTTP;
    h->method = strdup("GET");
    h->url = strdup("http://127.0.0.1:1/o?a=1&b=\"2\"");
    h->budget_us = ms_no_budgets;
    h->budget_us = with_budget(&run->budgets, h->budget_us, MS_PH_TOTAL, 8000);
    h->status = MS_ST_FAIL;
    h->has_score = true;
    h->evidence = strdup("1 of 2 samples failed: it's <broken>");
    h->judged_phase = MS_PH_TOTAL;
    h->nsamples = 2;
    h->samples = calloc(2, sizeof *h->samples);
    ms_sample *ok = &h->samples[0], *bad = &h->samples[1];
    ok->completed = true;
    ok->status = 200;
    ok->ph[MS_PH_DNS] = 1000;
    ok->ph[MS_PH_CONNECT] = 2000;
    ok->ph[MS_PH_SERVER] = 6000;
    ok->ph[MS_PH_TRANSFER] = 1000;
    ok->ph[MS_PH_TTFB] = 9000;
    ok->ph[MS_PH_TOTAL] = 10000;
    bad->failed = true;
    bad->error = strdup("Couldn't connect to \"server\" <x>");
    bad->ph[MS_PH_TOTAL] = 300;
    m->id = strdup("listen");
    m->title = strdup("Listens");
    m->kind = MS_KIND_YESNO;
    m->good_yes = true;
    m->status = MS_ST_PASS;
    m->evidence = strdup("answered yes");
    m->answer = (ms_answer){.state = MS_ANS_VALUE, .yes = true, .note = strdup("said 'hi' & <b>")};
    m->budget_us = ms_no_budgets;
    run->nfixes = 1;
    run->fixes = calloc(1, sizeof *run->fixes);
    run->fixes[0] = (ms_run_fix){.check = 0,
                                 .impact = 12.5,
                                 .severity = MS_SEV_SERIOUS,
                                 .nchecks = 1,
                                 .checks = calloc(1, sizeof(size_t)),
                                 .title = strdup(SCRIPT),
                                 .owner = strdup("ops <on-call>"),
                                 .evidence = strdup("ev & <ev>"),
                                 .fix = strdup("fix \"it\""),
                                 .hint = strdup("hint <h>"),
                                 .effort = 2};
    run->verdict.nreasons = 1;
    run->verdict.reasons = calloc(1, sizeof *run->verdict.reasons);
    run->verdict.reasons[0] = (ms_reason){MS_REASON_FAILED, strdup("1 check failed <really>")};
    run->verdict.exit_code = 1;
    return run;
}

static char *html_of(const ms_run *run, const ms_report_style *style)
{
    char *out = NULL;
    assert_int_equal(ms_report_html(run, style, &out), MS_OK);
    assert_non_null(out);
    return out;
}

/* Each of the n strings is in the page. */
static void expect_all(const char *html, const char *const *want, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!strstr(html, want[i]))
            fail_msg("not in the page: %s", want[i]);
    }
}

static void test_escapes(void **state)
{
    (void)state;
    ms_run *run = make_run();
    char *html = html_of(run, NULL);
    /* Only our own markup: no script element, the title as text. */
    assert_null(strstr(html, "<script"));
    assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt; " VI));
    static const char *const want[] = {
        "C\xE1\xBB\xAD"
        "a h\xC3\xA0ng &lt;b&gt;",
        "Web &amp; &quot;API&quot;",
        "prod &amp; &lt;eu&gt;",
        "said &apos;hi&apos; &amp; &lt;b&gt;",
        "ops &lt;on-call&gt;",
        "ev &amp; &lt;ev&gt;",
        "fix &quot;it&quot;",
        "hint &lt;h&gt;",
        "1 check failed &lt;really&gt;",
        "it&apos;s &lt;broken&gt;",
        "http://127.0.0.1:1/o?a=1&amp;b=&quot;2&quot;",
        /* in an attribute too */
        "title=\"Couldn&apos;t connect to &quot;server&quot; &lt;x&gt;\"",
    };
    expect_all(html, want, sizeof want / sizeof want[0]);
    assert_null(strstr(html, "<b>"));
    assert_null(strstr(html, "<x>"));
    /* Self-contained: a policy that fetches nothing; no URL to fetch. */
    assert_non_null(strstr(html, "<html lang=\"en\">"));
    assert_non_null(strstr(html, "<meta charset=\"utf-8\">"));
    assert_non_null(strstr(html, "content=\"default-src 'none'; style-src 'unsafe-inline'; "
                                 "img-src data:"));
    assert_null(strstr(html, "href=\"http"));
    assert_null(strstr(html, "src="));
    assert_null(strstr(html, "url("));
    free(html);
    ms_run_free(run);
}

static void test_waterfall_widths(void **state)
{
    (void)state;
    ms_run *run = make_run();
    char *html = html_of(run, NULL);
    /* One scale across the check, 10 ms (the longest sample; the budget of 8 ms is inside it):
     * each phase starts where the one before ends, widths in proportion to the durations. */
    static const char *const want[] = {
        "data-scale-us=\"10000\"",
        "class=\"seg dns\" data-phase=\"dns\" data-us=\"1000\" style=\"left:0.000%;width:10.000%\"",
        "class=\"seg connect\" data-phase=\"connect\" data-us=\"2000\" "
        "style=\"left:10.000%;width:20.000%\"",
        "class=\"seg server\" data-phase=\"server\" data-us=\"6000\" "
        "style=\"left:30.000%;width:60.000%\"",
        "class=\"seg transfer\" data-phase=\"transfer\" data-us=\"1000\" "
        "style=\"left:90.000%;width:10.000%\"",
        "<span class=\"budget\" style=\"left:80.000%\" title=\"total budget 8.0&nbsp;ms\">",
        "budget: total 8.0&nbsp;ms (the dashed line)",
    };
    expect_all(html, want, sizeof want / sizeof want[0]);
    /* A phase that took no time has no bar (tls). */
    assert_null(strstr(html, "seg tls"));
    free(html);
    /* A budget beyond twice the longest sample is off the scale, not a line squeezing the
     * bars. */
    run->checks[0]->budget_us =
        with_budget(&run->budgets, run->checks[0]->budget_us, MS_PH_TOTAL, 50000);
    html = html_of(run, NULL);
    assert_non_null(strstr(html, "data-scale-us=\"10000\""));
    assert_non_null(strstr(html, "budget: total 50&nbsp;ms (off the scale)"));
    assert_null(strstr(html, "class=\"budget\""));
    free(html);
    ms_run_free(run);
}

/* The row of sample n (1-based) of the page's first waterfall, as a new string. */
static char *row_of(const char *html, int n)
{
    char head[64];
    snprintf(head, sizeof head, "class=\"num\">%d</th>", n);
    const char *at = strstr(html, head);
    assert_non_null(at);
    const char *start = at;
    while (start > html && strncmp(start, "<tr", 3) != 0)
        start--;
    const char *end = strstr(at, "</tr>");
    assert_non_null(end);
    return strndup(start, (size_t)(end - start));
}

static void test_failed_sample(void **state)
{
    (void)state;
    ms_run *run = make_run();
    char *html = html_of(run, NULL);
    char *row = row_of(html, 2);
    /* Shown as failed, with its error, by a bar across the track: not a bar of no width. */
    assert_non_null(strstr(row, "<tr class=\"failed\">"));
    assert_non_null(strstr(row, "<strong>failed</strong>"));
    assert_non_null(strstr(row, "<span class=\"failbar\""));
    assert_non_null(strstr(row, ">FAILED</span>"));
    assert_non_null(strstr(row, "Couldn&apos;t connect to &quot;server&quot; &lt;x&gt;"));
    assert_non_null(strstr(row, "after 0.30&nbsp;ms"));
    assert_null(strstr(row, "class=\"seg"));
    assert_null(strstr(row, "width:0.000%"));
    assert_non_null(strstr(row, "role=\"img\" aria-label=\"failed: Couldn&apos;t connect"));
    free(row);
    row = row_of(html, 1);
    assert_non_null(strstr(row, "<tr class=\"ok\">"));
    /* The bars in words too. */
    assert_non_null(strstr(row, "aria-label=\"dns 1.0&nbsp;ms, connect 2.0&nbsp;ms, server "
                                "6.0&nbsp;ms, transfer 1.0&nbsp;ms\""));
    assert_null(strstr(row, "failbar"));
    free(row);
    free(html);
    /* A sample that completed but failed an expectation keeps its bars and says why. */
    run->checks[0]->samples[0].failed = true;
    run->checks[0]->samples[0].error = strdup("HTTP 500 (expected 200)");
    html = html_of(run, NULL);
    row = row_of(html, 1);
    assert_non_null(strstr(row, "<tr class=\"failed\">"));
    assert_non_null(strstr(row, "width:60.000%"));
    assert_non_null(strstr(row, "failed: HTTP 500 (expected 200)"));
    free(row);
    free(html);
    ms_run_free(run);
}

static void test_statuses_and_answers(void **state)
{
    (void)state;
    ms_run *run = make_run();
    char *html = html_of(run, NULL);
    assert_non_null(strstr(html, "<span class=\"st fail\">FAIL</span>"));
    assert_non_null(strstr(html, "<span class=\"st pass\">PASS</span>"));
    assert_non_null(strstr(html, "<dt>answer</dt><dd>yes (good: yes)</dd>"));
    assert_non_null(strstr(html, "Verdict: <span class=\"word\">"));
    assert_non_null(strstr(html, "+12.5 points"));
    free(html);
    run->checks[1]->status = MS_ST_UNANSWERED;
    run->checks[1]->answer.state = MS_ANS_NONE;
    html = html_of(run, NULL);
    assert_non_null(strstr(html, ">UNANSWERED</span>"));
    assert_non_null(strstr(html, "not answered"));
    free(html);
    ms_run_free(run);
}

static void test_sparklines(void **state)
{
    (void)state;
    ms_run *run = make_run();
    static const double v[] = {10, 20, 0, 30}, ov[] = {50, 40};
    static const bool has[] = {true, true, false, true}, hov[] = {true, true};
    ms_report_trend trends[2] = {{v, has, 4}, {0}};
    ms_report_history hist = {
        .overall = ov, .has_overall = hov, .noverall = 2, .trends = trends, .ntrends = 2};
    ms_report_style style = {.history = &hist};
    char *html = html_of(run, &style);
    /* The check's: 4 runs, a gap at the third, from highest (y 3) to lowest (y 21). */
    assert_non_null(
        strstr(html, "aria-label=\"this check over the last 4 runs, oldest first: 10 "
                     "20 - 30\"><title>this check over the last 4 runs, "
                     "oldest first: 10 20 - 30</title><polyline points=\"3.00,21.00 41.00,12.00\"/>"
                     "<polyline points=\"117.00,3.00\"/><circle cx=\"117.00\" "
                     "cy=\"3.00\" r=\"2.5\"/></svg>"));
    assert_non_null(strstr(html, "the overall score over the last 2 runs"));
    /* The check without a trend has none. */
    const char *second = strstr(html, "data-check=\"listen\"");
    assert_non_null(second);
    assert_null(strstr(second, "this check over"));
    free(html);
    ms_run_free(run);
}

static void test_same_bytes(void **state)
{
    (void)state;
    ms_run *run = make_run();
    char *a = html_of(run, NULL), *b = html_of(run, NULL);
    assert_string_equal(a, b);
    free(a);
    free(b);
    ms_run_free(run);
}

/* Fail each allocation of the writer in turn: MS_ERR_NOMEM and nothing given, or (when the
 * failure did not matter) the same page. */
static void test_nomem(void **state)
{
    (void)state;
    ms_run *run = make_run();
    char *clean = html_of(run, NULL);
    long n = 1;
    for (;; n++) {
        char *out = (char *)1;
        fail_count = 0;
        fail_at = n;
        ms_status rc = ms_report_html(run, NULL, &out);
        bool hit = fail_count > 0;
        fail_at = 0;
        if (!hit) {
            assert_int_equal(rc, MS_OK);
            assert_string_equal(out, clean);
            free(out);
            break;
        }
        if (rc == MS_OK) {
            assert_string_equal(out, clean);
            free(out);
        } else {
            assert_int_equal(rc, MS_ERR_NOMEM);
            assert_null(out);
        }
    }
    assert_true(n > 1); /* the writer allocates: the loop failed something */
    free(clean);
    ms_run_free(run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escapes),       cmocka_unit_test(test_waterfall_widths),
        cmocka_unit_test(test_failed_sample), cmocka_unit_test(test_statuses_and_answers),
        cmocka_unit_test(test_sparklines),    cmocka_unit_test(test_same_bytes),
        cmocka_unit_test(test_nomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
