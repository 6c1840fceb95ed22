#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "ms/checklist.h"
#include "ms/compare.h"
#include "ms/report.h"
#include "ms/score.h"
#include "ms/util.h"

/* A title with everything that needs escaping, in JSON and XML. */
#define TRICKY "T\xE1\xBB\x95ng \xC4\x91\xC3\xA0i \"1900\" <ngay> & 'nhanh'\\tab\tnew\nline"
#define TRICKY_JSON                                                                                \
    "T\xE1\xBB\x95ng \xC4\x91\xC3\xA0i \\\"1900\\\" <ngay> & 'nhanh'\\\\tab\\tnew\\nline"

typedef struct {
    ms_plan plan;
    ms_run *run;
    char *path;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->path =
        write_temp("{\"format\": 1, \"id\": \"vi\", \"title\": \"H\xC3\xA0nh tr\xC3\xACnh\",\n"
                   " \"sections\": [{\"id\": \"s\", \"checks\": [\n"
                   "  {\"id\": \"ok\", \"kind\": \"yesno\", \"title\": \"" TRICKY_JSON "\"},\n"
                   "  {\"id\": \"bad\", \"kind\": \"yesno\", \"title\": \"x\", "
                   "\"critical\": true, \"owner\": \"support <team>\"},\n"
                   "  {\"id\": \"none\", \"kind\": \"yesno\"}]}]}\n");
    const char *paths[] = {f->path};
    ms_diag d;
    ms_diag_init(&d);
    assert_int_equal(ms_plan_load(&f->plan, paths, 1, NULL, 0, &d), MS_OK);
    ms_diag_cleanup(&d);
    for (size_t i = 0; i < f->plan.nchecks; i++)
        f->plan.checks[i]->selected = true;
    ms_plan_find_check(&f->plan, "ok")->manual->answer =
        (ms_answer){.state = MS_ANS_VALUE, .yes = true, .note = strdup(TRICKY)};
    ms_plan_find_check(&f->plan, "bad")->manual->answer = (ms_answer){
        .state = MS_ANS_VALUE, .yes = false, .note = strdup("said \"not my job\" & left")};
    ms_run_meta meta = {
        .tool_version = "9.9", .label = "prod & <eu>", .started_at = "2026-11-20T09:30:00+07:00"};
    assert_int_equal(ms_run_from_plan(&f->plan, &meta, &f->run), MS_OK);
    assert_int_equal(ms_score_run(f->run), MS_OK);
    assert_int_equal(ms_run_judge(f->run, MS_FAIL_ON_ANY, -1, false), MS_OK);
    assert_int_equal(ms_run_set(&f->run->finished_at, "2026-11-20T09:31:00+07:00"), MS_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ms_run_free(f->run);
    ms_plan_cleanup(&f->plan);
    unlink(f->path);
    free(f->path);
    free(f);
    return 0;
}

/* ms_json_number_text writes what cJSON's print_number writes, for integers, thousandths (the
 * fast paths) and any other double: compared with cJSON_PrintUnformatted of the same number. */
static void expect_cjson_number(double d)
{
    char got[MS_JSON_NUMBER_MAX];
    cJSON *n = cJSON_CreateNumber(d);
    char *want = cJSON_PrintUnformatted(n);
    size_t len = ms_json_number_text(d, got);
    if (strcmp(got, want) != 0)
        print_error("%.17g: got %s, cJSON prints %s\n", d, got, want);
    assert_string_equal(got, want);
    assert_int_equal(len, strlen(want));
    free(want);
    cJSON_Delete(n);
}

static void test_number_text(void **state)
{
    (void)state;
    static const double fixed[] = {0,
                                   -0.0,
                                   1,
                                   -1,
                                   0.5,
                                   0.001,
                                   -0.001,
                                   0.024,
                                   4.859,
                                   1e-3,
                                   1.5e-5,
                                   1e-7,
                                   0.1,
                                   0.2,
                                   1.0 / 3,
                                   2.0 / 3,
                                   1e12,
                                   1e15,
                                   1e16,
                                   1e17,
                                   1e300,
                                   5e-324,
                                   2147483647.0,
                                   2147483648.0,
                                   -2147483648.0,
                                   -2147483649.0,
                                   2147483647.5,
                                   999999999999.999,
                                   123456789012.345,
                                   0.0005,
                                   0.9995,
                                   86400000};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        expect_cjson_number(fixed[i]);
    expect_cjson_number(NAN);
    expect_cjson_number(INFINITY);
    expect_cjson_number(-INFINITY);
    uint64_t x = 88172645463325252ULL; /* xorshift: the same numbers every run */
    for (int i = 0; i < 200000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int64_t k = (int64_t)(x % 2000000000001ULL) - 1000000000000LL;
        expect_cjson_number((double)(k >> (i % 40)) / 1000.0); /* microseconds to ms */
        expect_cjson_number((double)(k % 10001) / 100.0);      /* scores */
        double any;
        memcpy(&any, &x, sizeof any); /* any bit pattern: the slow path */
        expect_cjson_number(any);
    }
}

static void test_json_round_trip(void **state)
{
    fixture *f = *state;
    char *text = NULL;
    assert_int_equal(ms_report_json(f->run, &text), MS_OK);
    cJSON *doc = cJSON_Parse(text);
    assert_non_null(doc);
    cJSON *check = cJSON_GetArrayItem(
        cJSON_GetObjectItem(
            cJSON_GetArrayItem(
                cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "checklists"), 0),
                                    "sections"),
                0),
            "checks"),
        0);
    assert_string_equal(cJSON_GetObjectItem(check, "title")->valuestring, TRICKY);
    assert_string_equal(
        cJSON_GetObjectItem(cJSON_GetObjectItem(check, "answer"), "note")->valuestring, TRICKY);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "run"), "label")->valuestring,
                        "prod & <eu>");
    assert_int_equal(cJSON_GetObjectItem(doc, "format")->valueint, MS_REPORT_FORMAT);
    /* The checks are written straight into the text, the rest printed by cJSON: the whole is
     * cJSON_Print's layout, byte for byte (and a newline). */
    char *again = cJSON_Print(doc);
    size_t n = strlen(again);
    assert_int_equal(strlen(text), n + 1);
    assert_memory_equal(text, again, n);
    free(again);
    cJSON *fix = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "fixes"), 0);
    assert_string_equal(cJSON_GetObjectItem(fix, "check")->valuestring, "bad");
    assert_string_equal(cJSON_GetObjectItem(fix, "severity")->valuestring, "critical");
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "verdict"), "passed")));
    cJSON_Delete(doc);
    free(text);
}

static void test_junit_escaping(void **state)
{
    fixture *f = *state;
    char *xml = NULL;
    assert_int_equal(ms_report_junit(f->run, &xml), MS_OK);
    assert_non_null(strstr(xml,
                           "name=\"T\xE1\xBB\x95ng \xC4\x91\xC3\xA0i &quot;1900&quot; &lt;ngay&gt; "
                           "&amp; &apos;nhanh&apos;\\tab&#9;new&#10;line\""));
    assert_non_null(strstr(xml,
                           "<testsuite name=\"H\xC3\xA0nh tr\xC3\xACnh\" id=\"vi\" tests=\"3\" "
                           "failures=\"1\" skipped=\"1\""));
    assert_non_null(strstr(xml, "type=\"critical\""));
    assert_non_null(strstr(xml, "owner: support &lt;team&gt;"));
    assert_non_null(strstr(xml, "said &quot;not my job&quot; &amp; left"));
    assert_non_null(strstr(xml, "<skipped message=\"not answered\"/>"));
    assert_non_null(strstr(xml, "<property name=\"label\" value=\"prod &amp; &lt;eu&gt;\"/>"));
    free(xml);
}

/* A report larger than the buffers' default limit (64 MiB) is written whole: a run with that
 * much to say must not end in "out of memory" with its results lost. */
static void test_large_reports(void **state)
{
    fixture *f = *state;
    size_t big = (size_t)65 * 1024 * 1024;
    ms_run_check *r = f->run->checks[1]; /* "bad", failed: in every report */
    assert_string_equal(r->id, "bad");
    free(r->evidence);
    r->evidence = malloc(big + 1);
    assert_non_null(r->evidence);
    memset(r->evidence, 'e', big);
    r->evidence[big] = '\0';
    char *json = NULL, *xml = NULL;
    assert_int_equal(ms_report_json(f->run, &json), MS_OK);
    assert_true(strlen(json) > big);
    assert_int_equal(ms_report_junit(f->run, &xml), MS_OK);
    assert_true(strlen(xml) > big);
    free(json);
    free(xml);
}

static void test_text_alignment(void **state)
{
    fixture *f = *state;
    char *out_text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&out_text, &len);
    assert_int_equal(ms_report_text(f->run, out, false), MS_OK);
    fclose(out);
    /* Every check line puts its detail at the same display column, whatever the title. */
    size_t col = 0;
    int lines = 0;
    for (char *line = strtok(out_text, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "    PASS  ", 10) != 0 && strncmp(line, "    FAIL  ", 10) != 0 &&
            strncmp(line, "    ----  ", 10) != 0)
            continue;
        char *detail = strstr(line, "  [critical] answered");
        if (!detail)
            detail = strstr(line, "  answered");
        if (!detail)
            detail = strstr(line, "  not answered");
        assert_non_null(detail);
        *detail = '\0';
        size_t w = ms_display_width(line);
        if (col == 0)
            col = w;
        assert_int_equal(w, col);
        lines++;
    }
    assert_int_equal(lines, 3);
    free(out_text);
}

/* The JSON report read back into a record writes the same bytes, and the other writers render
 * the record read back as they rendered the run. */
static void test_read_back(void **state)
{
    fixture *f = *state;
    char *json = NULL, *again = NULL, *xml = NULL, *xml2 = NULL;
    ms_run *back = NULL;
    ms_diag diag;
    ms_diag_init(&diag);
    assert_int_equal(ms_report_json(f->run, &json), MS_OK);
    assert_int_equal(ms_run_from_json("r.json", json, strlen(json), &diag, &back), MS_OK);
    assert_int_equal(diag.n, 0);
    assert_int_equal(ms_report_json(back, &again), MS_OK);
    assert_string_equal(again, json);
    assert_int_equal(ms_report_junit(f->run, &xml), MS_OK);
    assert_int_equal(ms_report_junit(back, &xml2), MS_OK);
    assert_string_equal(xml2, xml);
    char *t1 = NULL, *t2 = NULL;
    size_t l1 = 0, l2 = 0;
    FILE *o1 = open_memstream(&t1, &l1), *o2 = open_memstream(&t2, &l2);
    assert_int_equal(ms_report_text(f->run, o1, true), MS_OK);
    assert_int_equal(ms_report_text(back, o2, true), MS_OK);
    fclose(o1);
    fclose(o2);
    assert_string_equal(t2, t1);
    free(t1);
    free(t2);
    assert_int_equal(back->checks[0]->line, f->run->checks[0]->line);
    assert_true(back->checks[0]->line > 1);
    ms_run_free(back);
    ms_diag_cleanup(&diag);
    free(json);
    free(again);
    free(xml);
    free(xml2);
}

/* What the reader refuses, each with the place and the field. */
static void test_read_errors(void **state)
{
    fixture *f = *state;
    char *json = NULL;
    assert_int_equal(ms_report_json(f->run, &json), MS_OK);
    static const struct {
        const char *from, *to; /* the first occurrence of from becomes to */
        const char *message;
    } rows[] = {
        {"\"format\":\t3", "\"format\":\t4",
         "r.json:2:12: format: expected a whole number from 1 to 3"},
        {"\"name\":\t\"mystery-shopper\"", "\"name\":\t\"other\"",
         "r.json:4:11: tool.name: not a mystery-shopper report"},
        {"\"interrupted\":", "\"interrupted2\":",
         "r.json:16:3: run.interrupted2: unknown field \"interrupted2\""},
        {"\"parallel\":\t0", "\"parallel\":\t\"0\"",
         "r.json:18:15: run.parallel: expected a number"},
        {"\"kind\":\t\"yesno\"", "\"kind\":\t\"phone\"",
         "checklists.0.sections.0.checks.0.kind: not a known name"},
        {"\"check\":\t\"bad\"", "\"check\":\t\"nope\"",
         "fixes.0.check: names no check of the report"},
        {"\"severity\":\t\"critical\"", "\"severity\":\t\"urgent\"",
         "fixes.0.severity: not a known name"},
        {"\"verdict\":", "\"verdikt\":", "unknown field \"verdikt\""},
        {"\n}", "\n", "r.json:"},
        /* what would not be written again is refused, not dropped */
        {"\"critical\":\tfalse", "\"critical\":\tfalse, \"critical\":\tfalse",
         "checks.0.critical: field \"critical\" is given twice"},
        {"\"good\":\t\"yes\"", "\"good\":\t\"yes\", \"samples\": []",
         "checks.0.samples: unknown field \"samples\""},
        /* formats 1 and 2 have none of format 3's fields: the top level's come first */
        {"\"format\":\t3", "\"format\":\t1", "could_be_better: unknown field \"could_be_better\""},
        {"\"format\":\t3", "\"format\":\t2", "could_be_better: unknown field \"could_be_better\""},
        {"\"network\":", "\"netwerk\":", "run.netwerk: unknown field \"netwerk\""},
        {"\"http_version\":\tnull", "\"http_version\":\t\"1.0\"",
         "run.network.http_version: expected \"1.1\", \"2\", \"3\" or null"},
        {"\"client_cert\":\tnull", "\"client_cert\":\t7",
         "run.network.client_cert: expected a string or null"},
        {"\"resolve\":\t[]", "\"resolve\":\t[1]", "run.network.resolve.0: expected a string"},
        {"\"proxies\":\t[]", "\"proxies\":\t[{\"url\": null, \"from\": \"x\", \"checks\": []}]",
         "run.network.proxies.0.url: expected a string"},
        {"\"proxies\":\t[]", "\"proxies\":\t[{\"url\": \"http://p\", \"from\": \"x\"}]",
         "run.network.proxies.0: missing field \"checks\""},
        /* format 3: a fix names its checks; a check's fix has no host; a failure has a severity */
        {"\"host\":\tnull", "\"host\":\t\"h\"", "fixes.0.host: null but in a host fix"},
        {"\"checks\":\t[\"bad\"]", "\"checks\":\t[]",
         "fixes.0.checks: a check's fix names its check alone"},
        {"\"severity\":\t\"critical\"", "\"severity\":\t\"none\"",
         "fixes.0.severity: \"none\" is for a check that passed"},

        /* format 3's verdict: its reasons and options, which must agree with the rest of it */
        {"\"fail_on\":\t\"any\"", "\"fail_on\":\t\"some\"", "verdict.fail_on: not a known name"},
        {"\"fail_under\":\tnull", "\"fail_under\":\t101", "verdict.fail_under: expected a number"},
        {"\"kind\":\t\"failed\"", "\"kind\":\t\"late\"",
         "verdict.reasons.0.kind: not a known name"},
        {"\"kind\":\t\"failed\"", "\"kind\":\t\"report\"",
         "verdict.reason: is not the texts of the gate's reasons"},
        {"\"text\":\t\"1 check failed\"", "\"text\":\t\"2 checks failed\"",
         "verdict.reason: is not the texts of the gate's reasons"},
        {"\"incomplete\":\tfalse", "\"incomplete\":\ttrue",
         "verdict.reasons: disagree with run.interrupted or verdict.incomplete"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const char *at = strstr(json, rows[i].from);
        assert_non_null(at);
        size_t pre = (size_t)(at - json), fl = strlen(rows[i].from), tl = strlen(rows[i].to);
        char *bad = calloc(strlen(json) - fl + tl + 1, 1);
        memcpy(bad, json, pre);
        memcpy(bad + pre, rows[i].to, tl);
        strcpy(bad + pre + tl, at + fl);
        ms_run *run = NULL;
        ms_diag diag;
        char *err = NULL;
        size_t len = 0;
        ms_diag_init(&diag);
        assert_int_equal(ms_run_from_json("r.json", bad, strlen(bad), &diag, &run), MS_ERR_INVALID);
        assert_null(run);
        assert_true(diag.n >= 1); /* the first object with problems: all of its unknown fields */
        FILE *o = open_memstream(&err, &len);
        assert_int_equal(ms_diag_print(&diag, o), MS_OK);
        fclose(o);
        if (!strstr(err, rows[i].message))
            fail_msg("row %zu: \"%s\" does not say \"%s\"", i, err, rows[i].message);
        free(err);
        ms_diag_cleanup(&diag);
        free(bad);
    }
    free(json);
}

/* The network options (format 3) are written, read back to the same bytes, and shown in the text
 * report (the proxy without its password, which ms_net_record has already dropped) and JUnit. */
static void test_network(void **state)
{
    fixture *f = *state;
    ms_run_net *n = &f->run->net;
    char *json = NULL, *again = NULL, *xml = NULL, *text = NULL;
    size_t len = 0;
    ms_run *back = NULL;
    ms_diag diag;
    n->proxies = calloc(1, sizeof *n->proxies);
    n->nproxies = 1;
    n->proxies[0].url = strdup("http://127.0.0.1:3128");
    n->proxies[0].from = strdup("http_proxy");
    n->proxies[0].checks = calloc(1, sizeof(char *));
    n->proxies[0].checks[0] = strdup("home");
    n->proxies[0].nchecks = 1;
    n->http_version = strdup("1.1");
    n->resolve = calloc(1, sizeof(char *));
    n->resolve[0] = strdup("shop.invalid:443:127.0.0.1");
    n->nresolve = 1;
    n->client_cert = strdup("client.pem");
    ms_diag_init(&diag);
    assert_int_equal(ms_report_json(f->run, &json), MS_OK);
    assert_non_null(strstr(json, "\"from\":\t\"http_proxy\""));
    assert_int_equal(ms_run_from_json("r.json", json, strlen(json), &diag, &back), MS_OK);
    assert_int_equal(ms_report_json(back, &again), MS_OK);
    assert_string_equal(again, json);
    FILE *o = open_memstream(&text, &len);
    ms_report_style wide = {.width = 1000}; /* what the lines say; cli_text checks the layout */
    assert_int_equal(ms_report_text_style(back, o, &wide), MS_OK);
    fclose(o);
    /* the fixture has no http check: the proxy carried 1 of 0, and the text says the counts */
    assert_non_null(strstr(text, "via proxy http://127.0.0.1:3128 (from http_proxy) for 1 of 0"));
    assert_non_null(strstr(text,
                           "network options: --http1.1, --resolve shop.invalid:443:127.0.0.1, "
                           "--cert client.pem\n"));
    assert_int_equal(ms_report_junit(back, &xml), MS_OK);
    assert_non_null(strstr(xml, "<property name=\"proxy\" value=\"http://127.0.0.1:3128\"/>"));
    ms_run_free(back);
    ms_diag_cleanup(&diag);
    free(json);
    free(again);
    free(xml);
    free(text);
}

/* The table of writers: each name gives the writer of that format, and nothing else does. */
static void test_writer_table(void **state)
{
    fixture *f = *state;
    ms_report_style style = {.color = false};
    char *want = NULL, *got = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&want, &len);
    assert_int_equal(ms_report_text(f->run, o, false), MS_OK);
    fclose(o);
    assert_int_equal(ms_report_find("text")->write(f->run, &style, &got), MS_OK);
    assert_string_equal(got, want);
    free(want);
    free(got);
    assert_int_equal(ms_report_json(f->run, &want), MS_OK);
    assert_int_equal(ms_report_find("json")->write(f->run, &style, &got), MS_OK);
    assert_string_equal(got, want);
    free(want);
    free(got);
    assert_int_equal(ms_report_junit(f->run, &want), MS_OK);
    assert_int_equal(ms_report_find("junit")->write(f->run, &style, &got), MS_OK);
    assert_string_equal(got, want);
    free(want);
    free(got);
    for (size_t i = 0; i < 3; i++) {
        static const char *const more[] = {"html", "markdown", "metrics"};
        assert_non_null(ms_report_find(more[i]));
        assert_string_equal(ms_report_find(more[i])->name, more[i]);
    }
    static const char *const none[] = {"",      "JSON", "HTML", "xml",
                                       "json ", "md",   "prom", "prometheus"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
        assert_null(ms_report_find(none[i]));
}

/* A hand-built baseline for f's run: "ok" (passed) got slower in total, 120 -> 190 ms, p 0.01;
 * "bad" (failed) got slower with too few samples for the test. */
static ms_run_baseline *hand_baseline(void)
{
    ms_run_baseline *b = calloc(1, sizeof *b);
    b->ref = strdup("main.json");
    b->started_at = strdup("2026-11-19T09:30:00+07:00");
    b->label = strdup("prod");
    ms_comparison *c = &b->cmp;
    c->limits = (ms_regression_limits){MS_COMPARE_MAX_SLOWDOWN, MS_COMPARE_MIN_SLOWDOWN_US};
    c->checks = calloc(2, sizeof *c->checks);
    c->nchecks = 2;
    c->nregressed = 2;
    const char *ids[] = {"ok", "bad"};
    for (size_t i = 0; i < 2; i++) {
        ms_cmp_check *cc = &c->checks[i];
        cc->id = strdup(ids[i]);
        cc->title = strdup(ids[i]);
        cc->kind = MS_KIND_HTTP;
        cc->side = MS_CMP_BOTH;
        cc->regressed = true;
        cc->thresholds_only = i == 1;
        cc->phases = calloc(1, sizeof *cc->phases);
        cc->nphases = 1;
        cc->phases[0].phase = MS_PH_TOTAL;
        cc->phases[0].r = (ms_regression){.n_base = i ? 2 : 5,
                                          .n_new = i ? 2 : 5,
                                          .base_median_us = 120000,
                                          .new_median_us = 190000,
                                          .delta_us = 70000,
                                          .delta_pct = 100.0 * 70000 / 120000,
                                          .p = i ? NAN : 0.01,
                                          .thresholds_only = i == 1,
                                          .regressed = true};
    }
    c->overall = (ms_cmp_score){true, true, 80, 50};
    return b;
}

static char *render_text(const ms_run *run, bool verbose)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    ms_report_style style = {.width = 80, .verbose = verbose};
    assert_int_equal(ms_report_text_style(run, out, &style), MS_OK);
    fclose(out);
    return text;
}

/* run --baseline: a regression is a finding: a fix entry (one for a check that also failed,
 * with the evidence of both), a reason of the gate unless --fail-on none, a section of the text
 * report, a failing regression testcase in JUnit's gate suite; the score is unchanged. */
static void test_baseline(void **state)
{
    fixture *f = *state;
    double score = f->run->scores.overall;
    size_t nfixes = f->run->nfixes;
    f->run->baseline = hand_baseline();
    assert_int_equal(ms_score_regressions(f->run), MS_OK);
    assert_int_equal(ms_run_judge(f->run, MS_FAIL_ON_ANY, -1, false), MS_OK);
    assert_true(f->run->scores.overall == score);
    assert_int_equal(f->run->nfixes, nfixes + 1);
    const ms_run_fix *bad = &f->run->fixes[0], *ok = &f->run->fixes[nfixes];
    assert_string_equal(f->run->checks[bad->check]->id, "bad");
    assert_non_null(strstr(bad->evidence, "; got slower since main.json: median total 120 ms -> "
                                          "190 ms, +58%, thresholds only"));
    assert_string_equal(f->run->checks[ok->check]->id, "ok");
    assert_string_equal(
        ok->evidence, "got slower since main.json: median total 120 ms -> 190 ms, +58%, p = 0.01");
    assert_int_equal(ok->severity, MS_SEV_MODERATE);
    assert_true(ms_verdict_has(&f->run->verdict, MS_REASON_REGRESSION));
    assert_false(f->run->verdict.passed);
    assert_non_null(strstr(f->run->verdict.reason, "2 checks got slower since main.json"));
    assert_int_equal(f->run->verdict.exit_code, 1);

    char *text = render_text(f->run, false);
    assert_non_null(strstr(text, "Compared with main.json (started 2026-11-19T09:30:00+07:00, "
                                 "label prod)"));
    assert_non_null(strstr(text, "2 checks got slower"));
    assert_non_null(strstr(text, "total 120 ms -> 190 ms, +58%, p = 0.01"));
    assert_non_null(strstr(text, "overall  80.0 ->  50.0 (-30.0)"));
    assert_null(strstr(text, "n=5/5")); /* every compared phase: -v only */
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
        assert_true(ms_display_width(line) <= 80);
    free(text);
    text = render_text(f->run, true);
    assert_non_null(strstr(text, "n=5/5 total 120 ms -> 190 ms, +58%, p = 0.01: slower"));
    free(text);

    char *xml = NULL;
    assert_int_equal(ms_report_junit(f->run, &xml), MS_OK);
    char *gate = strstr(xml, "<testcase classname=\"gate\" name=\"regression\"");
    assert_non_null(gate);
    assert_non_null(strstr(gate, "<failure message=\"2 checks got slower since main.json\""));
    assert_non_null(strstr(gate, "ok: got slower since main.json: median total"));
    free(xml);

    /* JSON: the baseline member, read back losslessly (and strictly). */
    char *json = NULL, *again = NULL;
    ms_run *back = NULL;
    ms_diag d;
    ms_diag_init(&d);
    assert_int_equal(ms_report_json(f->run, &json), MS_OK);
    assert_non_null(strstr(json, "\"baseline\""));
    assert_non_null(strstr(json, "\"regression\""));
    ms_status rrc = ms_run_from_json("r.json", json, strlen(json), &d, &back);
    if (rrc != MS_OK)
        ms_diag_print(&d, stderr);
    assert_int_equal(rrc, MS_OK);
    assert_non_null(back->baseline);
    assert_string_equal(back->baseline->ref, "main.json");
    assert_int_equal(back->baseline->cmp.nregressed, 2);
    assert_int_equal(ms_report_json(back, &again), MS_OK);
    assert_string_equal(json, again);
    ms_run_free(back);
    free(again);
    /* A regression reason without a baseline is refused. */
    cJSON *doc = cJSON_Parse(json);
    cJSON_DeleteItemFromObject(doc, "baseline");
    free(json);
    json = cJSON_Print(doc);
    cJSON_Delete(doc);
    back = NULL;
    assert_int_equal(ms_run_from_json("r.json", json, strlen(json), &d, &back), MS_ERR_INVALID);
    assert_null(back);
    ms_diag_cleanup(&d);
    free(json);

    /* --fail-on none: still reported and in the fix list, but it does not fail the run. */
    assert_int_equal(ms_run_judge(f->run, MS_FAIL_ON_NONE, -1, false), MS_OK);
    assert_false(ms_verdict_has(&f->run->verdict, MS_REASON_REGRESSION));
    assert_true(f->run->verdict.passed);
    assert_int_equal(ms_report_junit(f->run, &xml), MS_OK);
    gate = strstr(xml, "<testcase classname=\"gate\" name=\"regression\"");
    assert_non_null(gate);
    assert_null(strstr(gate, "<failure"));
    assert_non_null(strstr(gate, "2 checks got slower since main.json (--fail-on none)"));
    free(xml);

    /* Nothing regressed: a passing testcase; no baseline: no testcase. */
    ms_comparison *c = &f->run->baseline->cmp;
    c->nregressed = 0;
    for (size_t i = 0; i < c->nchecks; i++)
        c->checks[i].regressed = c->checks[i].phases[0].r.regressed = false;
    assert_int_equal(ms_run_judge(f->run, MS_FAIL_ON_ANY, -1, false), MS_OK);
    assert_false(ms_verdict_has(&f->run->verdict, MS_REASON_REGRESSION));
    assert_int_equal(ms_report_junit(f->run, &xml), MS_OK);
    gate = strstr(xml, "<testcase classname=\"gate\" name=\"regression\"");
    assert_non_null(gate);
    assert_non_null(strstr(gate, "<system-out>no check got slower since main.json</system-out>"));
    free(xml);
    ms_run_baseline_free(f->run->baseline);
    f->run->baseline = NULL;
    assert_int_equal(ms_report_junit(f->run, &xml), MS_OK);
    assert_null(strstr(xml, "name=\"regression\""));
    free(xml);
}

int main(void)
{
    setlocale(LC_CTYPE, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_text),
        cmocka_unit_test_setup_teardown(test_json_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_junit_escaping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_alignment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_large_reports, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_network, setup, teardown),
        cmocka_unit_test_setup_teardown(test_baseline, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
