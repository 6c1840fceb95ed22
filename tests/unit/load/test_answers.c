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

static const char CHECKLIST[] =
    "{\"format\": 1, \"id\": \"t\", \"sections\": [{\"id\": \"s\", \"checks\": [\n"
    "  {\"id\": \"friendly\", \"kind\": \"rating\", \"scale\": [1, 5]},\n"
    "  {\"id\": \"first-call\", \"kind\": \"yesno\"},\n"
    "  {\"id\": \"wait\", \"kind\": \"stopwatch\"},\n"
    "  {\"id\": \"home\", \"kind\": \"http\", \"request\": {\"url\": \"http://127.0.0.1/\"}}\n"
    "]}]}\n";

static void load_plan(ms_plan *plan, char **path)
{
    ms_diag d;
    ms_diag_init(&d);
    *path = write_temp(CHECKLIST);
    const char *paths[] = {*path};
    assert_int_equal(ms_plan_load(plan, paths, 1, NULL, 0, &d), MS_OK);
    ms_diag_cleanup(&d);
}

/* Open path (it may be new) and apply it to plan when it opens; the problems in *d. */
static ms_status open_apply(const char *path, ms_plan *plan, ms_diag *d, ms_answers **a)
{
    ms_diag_init(d);
    ms_status rc = ms_answers_open(path, true, d, a);
    if (rc == MS_OK && plan)
        rc = ms_answers_apply(*a, plan, d);
    return rc;
}

static void test_apply(void **state)
{
    (void)state;
    ms_plan plan;
    char *cl;
    load_plan(&plan, &cl);
    char *path = write_temp("{\"format\": 1, \"auditor\": \"Lan\", \"answers\": {\n"
                            "  \"friendly\": {\"value\": 4, \"note\": \"polite but rushed\"},\n"
                            "  \"first-call\": {\"value\": \"no\"},\n"
                            "  \"wait\": {\"elapsed_ms\": 73000},\n"
                            "  \"other-checklist\": {\"value\": 1}}}\n");
    ms_answers *a = NULL;
    ms_diag d;
    assert_int_equal(open_apply(path, &plan, &d, &a), MS_OK);
    assert_int_equal(d.n, 0);
    ms_diag_cleanup(&d);
    assert_string_equal(ms_answers_auditor(a), "Lan");
    const ms_answer *f = &ms_plan_find_check(&plan, "friendly")->manual->answer;
    assert_int_equal(f->state, MS_ANS_VALUE);
    assert_true(f->value == 4);
    assert_string_equal(f->note, "polite but rushed");
    assert_false(ms_plan_find_check(&plan, "first-call")->manual->answer.yes);
    assert_int_equal(ms_plan_find_check(&plan, "wait")->manual->answer.elapsed_us, 73000000);
    ms_answers_free(a);
    ms_plan_cleanup(&plan);
    unlink(path);
    unlink(cl);
    free(path);
    free(cl);
}

static void test_record_keeps_everything(void **state)
{
    (void)state;
    ms_plan plan;
    char *cl;
    load_plan(&plan, &cl);
    char *path = write_temp("{\"format\": 1, \"auditor\": \"Lan\", \"answers\": {\n"
                            "  \"other-checklist\": {\"value\": 1, \"note\": \"keep me\"}}}\n");
    ms_answers *a = NULL;
    ms_diag d;
    assert_int_equal(open_apply(path, NULL, &d, &a), MS_OK);
    ms_diag_cleanup(&d);
    ms_answer ans = {.state = MS_ANS_VALUE, .value = 2, .note = "rude"};
    assert_int_equal(ms_answers_record(a, ms_plan_find_check(&plan, "friendly"), &ans), MS_OK);
    ms_answer na = {.state = MS_ANS_NA};
    assert_int_equal(ms_answers_record(a, ms_plan_find_check(&plan, "first-call"), &na), MS_OK);
    ms_answers_free(a);
    /* What is on disk now: both new answers and the one the tool did not know. */
    char *text = read_all(path);
    assert_non_null(strstr(text, "\"keep me\""));
    assert_non_null(strstr(text, "\"rude\""));
    assert_non_null(strstr(text, "\"na\":\ttrue"));
    free(text);
    assert_int_equal(open_apply(path, &plan, &d, &a), MS_OK);
    ms_diag_cleanup(&d);
    assert_true(ms_plan_find_check(&plan, "friendly")->manual->answer.value == 2);
    assert_int_equal(ms_plan_find_check(&plan, "first-call")->manual->answer.state, MS_ANS_NA);
    ms_answers_free(a);
    ms_plan_cleanup(&plan);
    unlink(path);
    unlink(cl);
    free(path);
    free(cl);
}

static void test_new_file(void **state)
{
    (void)state;
    char path[] = "/tmp/ms-unit-new-answers-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    ms_answers *a = NULL;
    ms_diag d;
    assert_int_equal(open_apply(path, NULL, &d, &a), MS_OK);
    ms_diag_cleanup(&d);
    assert_int_equal(ms_answers_set_auditor(a, "Minh", "2026-11-20T09:30:00+07:00"), MS_OK);
    assert_int_equal(ms_answers_save(a), MS_OK);
    ms_answers_free(a);
    char *text = read_all(path);
    assert_non_null(strstr(text, "\"auditor\":\t\"Minh\""));
    assert_non_null(strstr(text, "\"visited_at\""));
    free(text);
    unlink(path);
}

static void test_invalid_answers(void **state)
{
    (void)state;
    static const struct {
        const char *entry, *message;
    } rows[] = {
        {"\"friendly\": {\"value\": 9}",
         ":2:25: answers.friendly.value: must be a number from 1 to 5 (the check's scale)"},
        {"\"first-call\": {\"value\": \"maybe\"}",
         ":2:27: answers.first-call.value: must be \"yes\" or \"no\""},
        {"\"friendly\": {\"vale\": 3}",
         ":2:16: answers.friendly.vale: unknown field \"vale\" (did you mean \"value\"?)"},
        {"\"home\": {\"value\": 1}",
         ":2:3: answers.home: home is an http check: it is measured, not answered"},
        {"\"wait\": {\"elapsed_ms\": -1}",
         ":2:26: answers.wait.elapsed_ms: must be a number of milliseconds from 0 to 86400000"},
        {"\"friendly\": {\"elapsed_ms\": 5}",
         ":2:16: answers.friendly.elapsed_ms: only a stopwatch check takes \"elapsed_ms\""},
        {"\"friendly\": 4", ":2:15: answers.friendly: an answer is an object such as"},
    };
    ms_plan plan;
    char *cl;
    load_plan(&plan, &cl);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char text[512];
        snprintf(text, sizeof text, "{\"format\": 1, \"answers\": {\n  %s}}\n", rows[i].entry);
        char *path = write_temp(text);
        ms_answers *a = NULL;
        ms_diag d;
        capture cap;
        ms_status rc = open_apply(path, &plan, &d, &a);
        capture_begin(&cap);
        ms_diag_print(&d, stderr);
        char *msgs = capture_end(&cap);
        ms_diag_cleanup(&d);
        char want[600];
        snprintf(want, sizeof want, "%s%s", path, rows[i].message);
        if (!strstr(msgs, want))
            fail_msg("row %zu: expected %s\ngot %s", i, want, msgs);
        assert_int_equal(rc, MS_ERR_INVALID);
        free(msgs);
        ms_answers_free(a);
        unlink(path);
        free(path);
    }
    ms_plan_cleanup(&plan);
    unlink(cl);
    free(cl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_apply),
        cmocka_unit_test(test_record_keeps_everything),
        cmocka_unit_test(test_new_file),
        cmocka_unit_test(test_invalid_answers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
