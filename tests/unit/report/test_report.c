#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "ms/report.h"
#include "ms/util.h"

/* A title with everything that needs escaping, in JSON and XML. */
#define TRICKY "T\xE1\xBB\x95ng \xC4\x91\xC3\xA0i \"1900\" <ngay> & 'nhanh'\\tab\tnew\nline"
#define TRICKY_JSON                                                                                \
    "T\xE1\xBB\x95ng \xC4\x91\xC3\xA0i \\\"1900\\\" <ngay> & 'nhanh'\\\\tab\\tnew\\nline"

typedef struct {
    ms_plan plan;
    ms_run run;
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
    ms_plan_find_check(&f->plan, "ok")->res.answer =
        (ms_answer){.state = MS_ANS_VALUE, .yes = true, .note = strdup(TRICKY)};
    ms_plan_find_check(&f->plan, "bad")->res.answer = (ms_answer){
        .state = MS_ANS_VALUE, .yes = false, .note = strdup("said \"not my job\" & left")};
    assert_int_equal(ms_score_plan(&f->plan, &f->run.scores), MS_OK);
    assert_int_equal(ms_fixes_build(&f->plan, &f->run.fixes, &f->run.nfixes), MS_OK);
    f->run.plan = &f->plan;
    f->run.label = "prod & <eu>";
    strcpy(f->run.started_at, "2026-11-20T09:30:00+07:00");
    strcpy(f->run.finished_at, "2026-11-20T09:31:00+07:00");
    f->run.passed = ms_gate(&f->run.scores, MS_FAIL_ON_ANY, -1, f->run.why, sizeof f->run.why);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    free(f->run.fixes);
    ms_plan_cleanup(&f->plan);
    unlink(f->path);
    free(f->path);
    free(f);
    return 0;
}

static void test_json_round_trip(void **state)
{
    fixture *f = *state;
    char *text = NULL;
    assert_int_equal(ms_report_json(&f->run, &text), MS_OK);
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
    assert_int_equal(cJSON_GetObjectItem(doc, "format")->valueint, 1);
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
    assert_int_equal(ms_report_junit(&f->run, &xml), MS_OK);
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
    ms_result *r = &ms_plan_find_check(&f->plan, "bad")->res; /* failed: in every report */
    free(r->evidence);
    r->evidence = malloc(big + 1);
    assert_non_null(r->evidence);
    memset(r->evidence, 'e', big);
    r->evidence[big] = '\0';
    char *json = NULL, *xml = NULL;
    assert_int_equal(ms_report_json(&f->run, &json), MS_OK);
    assert_true(strlen(json) > big);
    assert_int_equal(ms_report_junit(&f->run, &xml), MS_OK);
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
    assert_int_equal(ms_report_text(&f->run, out, false), MS_OK);
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

int main(void)
{
    setlocale(LC_CTYPE, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_json_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_junit_escaping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_alignment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_large_reports, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
