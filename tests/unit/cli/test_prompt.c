#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "ms/checklist.h"
#include "ms/prompt.h"

static void test_parse_reply(void **state)
{
    (void)state;
    ms_manual scale = {.scale_lo = 1, .scale_hi = 5};
    ms_check rating = {.kind = MS_KIND_RATING, .manual = &scale};
    ms_check yesno = {.kind = MS_KIND_YESNO};
    ms_check watch = {.kind = MS_KIND_STOPWATCH};
    const struct {
        const ms_check *ck;
        const char *reply;
        ms_status rc;
        ms_answer_state st;
        double value;
        bool yes;
        int64_t us;
    } rows[] = {
        {&rating, "4", MS_OK, MS_ANS_VALUE, 4, false, 0},
        {&rating, "4.5", MS_OK, MS_ANS_VALUE, 4.5, false, 0},
        {&rating, "6", MS_ERR_USAGE, MS_ANS_NONE, 0, false, 0},
        {&rating, "four", MS_ERR_USAGE, MS_ANS_NONE, 0, false, 0},
        {&rating, "na", MS_OK, MS_ANS_NA, 0, false, 0},
        {&yesno, "yes", MS_OK, MS_ANS_VALUE, 0, true, 0},
        {&yesno, "N", MS_OK, MS_ANS_VALUE, 0, false, 0},
        {&yesno, "maybe", MS_ERR_USAGE, MS_ANS_NONE, 0, false, 0},
        /* Vietnamese: có/không and c/k, any case, with or without the marks, and decomposed */
        {&yesno, "có", MS_OK, MS_ANS_VALUE, 0, true, 0},
        {&yesno, "Có", MS_OK, MS_ANS_VALUE, 0, true, 0},
        {&yesno, "co", MS_OK, MS_ANS_VALUE, 0, true, 0},
        {&yesno, "c", MS_OK, MS_ANS_VALUE, 0, true, 0},
        {&yesno, "co\xCC\x81", MS_OK, MS_ANS_VALUE, 0, true, 0},
        {&yesno, "không", MS_OK, MS_ANS_VALUE, 0, false, 0},
        {&yesno, "KHÔNG", MS_OK, MS_ANS_VALUE, 0, false, 0},
        {&yesno, "khong", MS_OK, MS_ANS_VALUE, 0, false, 0},
        {&yesno, "K", MS_OK, MS_ANS_VALUE, 0, false, 0},
        {&yesno, "có lẽ", MS_ERR_USAGE, MS_ANS_NONE, 0, false, 0},
        {&yesno, "ko", MS_ERR_USAGE, MS_ANS_NONE, 0, false, 0},
        {&yesno, "cóc", MS_ERR_USAGE, MS_ANS_NONE, 0, false, 0},
        {&watch, "1m13s", MS_OK, MS_ANS_VALUE, 0, false, 73000000},
        {&watch, "45s", MS_OK, MS_ANS_VALUE, 0, false, 45000000},
        {&watch, "1 phút 13 giây", MS_OK, MS_ANS_VALUE, 0, false, 73000000},
        {&watch, "45 giây", MS_OK, MS_ANS_VALUE, 0, false, 45000000},
        {&watch, "2 giờ 5 phút", MS_OK, MS_ANS_VALUE, 0, false, 7500000000},
        {&watch, "3h20m", MS_OK, MS_ANS_VALUE, 0, false, 12000000000},
        {&watch, "1 phút rưỡi", MS_ERR_USAGE, MS_ANS_NONE, 0, false, 0},
        {&watch, "N/A", MS_OK, MS_ANS_NA, 0, false, 0},
        {&watch, "soon", MS_ERR_USAGE, MS_ANS_NONE, 0, false, 0},
        /* at most what the answers file takes back (24h), so that a resumed audit reads it */
        {&watch, "24h", MS_OK, MS_ANS_VALUE, 0, false, 86400000000},
        {&watch, "24h1s", MS_ERR_USAGE, MS_ANS_NONE, 0, false, 0},
        {&watch, "4000h", MS_ERR_USAGE, MS_ANS_NONE, 0, false, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ms_answer a;
        char why[160] = "";
        assert_int_equal(ms_prompt_parse_reply(rows[i].ck, rows[i].reply, &a, why, sizeof why),
                         rows[i].rc);
        if (rows[i].rc != MS_OK) {
            assert_true(strlen(why) > 0);
            continue;
        }
        assert_int_equal(a.state, rows[i].st);
        assert_true(a.value == rows[i].value);
        assert_int_equal(a.yes, rows[i].yes);
        assert_int_equal(a.elapsed_us, rows[i].us);
    }
}

static void test_budget_text(void **state)
{
    (void)state;
    const struct {
        int64_t elapsed, budget;
        const char *want;
    } rows[] = {
        {73000000, 60000000, "1m13s: over the 1m budget"},
        {45000000, 60000000, "45s: within the 1m budget"},
        {60000000, 60000000, "1m: within the 1m budget"}, /* the budget itself passes */
        {60000001, 60000000, "1m: over the 1m budget"},
        {45000000, 0, "took 45s (no budget)"},
        {45000000, -1, "took 45s (no budget)"},
        {300000, 90000000, "300ms: within the 1m30s budget"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char out[96];
        ms_prompt_budget_text(rows[i].elapsed, rows[i].budget, out, sizeof out);
        assert_string_equal(out, rows[i].want);
    }
}

/* A prompting session: the checklist text loaded with every check selected, a new answers file,
 * and ms_prompt_run on input (which must return MS_OK); what it wrote in *out (caller frees). */
typedef struct {
    char *cl;
    char apath[40];
    ms_plan plan;
    ms_answers *a;
    char *out;
} session;

static void session_run(session *se, const char *checklist, const char *input)
{
    const char *paths[1];
    ms_diag d;
    size_t out_len = 0;
    se->cl = write_temp(checklist);
    paths[0] = se->cl;
    ms_diag_init(&d);
    assert_int_equal(ms_plan_load(&se->plan, paths, 1, NULL, 0, &d), MS_OK);
    for (size_t i = 0; i < se->plan.nchecks; i++)
        se->plan.checks[i]->selected = true;
    snprintf(se->apath, sizeof se->apath, "/tmp/ms-unit-prompt-XXXXXX");
    close(mkstemp(se->apath));
    unlink(se->apath);
    se->a = NULL;
    assert_int_equal(ms_answers_open(se->apath, true, &d, &se->a), MS_OK);
    ms_diag_cleanup(&d);
    FILE *in = fmemopen((void *)input, strlen(input), "r");
    FILE *out = open_memstream(&se->out, &out_len);
    assert_int_equal(ms_prompt_run(&se->plan, se->a, in, out, NULL), MS_OK);
    fclose(in);
    fclose(out);
}

static void session_end(session *se)
{
    ms_answers_free(se->a);
    free(se->out);
    unlink(se->apath);
    ms_plan_cleanup(&se->plan);
    unlink(se->cl);
    free(se->cl);
}

/* A whole session from scripted input: help, a wrong reply, answers, a skip, a stop. */
static void test_session(void **state)
{
    (void)state;
    session se;
    session_run(&se,
                "{\"format\": 1, \"id\": \"t\", \"sections\": [{\"id\": \"s\", \"checks\": [\n"
                "  {\"id\": \"friendly\", \"kind\": \"rating\", \"scale\": [1, 5]},\n"
                "  {\"id\": \"wait\", \"kind\": \"stopwatch\"},\n"
                "  {\"id\": \"first-call\", \"kind\": \"yesno\"},\n"
                "  {\"id\": \"callback\", \"kind\": \"yesno\"},\n"
                "  {\"id\": \"listened\", \"kind\": \"yesno\"}\n"
                "]}]}\n",
                "?\n9\n4\npolite\n1m13s\n\nskip\nna\nno store\nq\n");
    assert_non_null(strstr(se.out, "[1/5] friendly"));
    assert_non_null(strstr(se.out, "A number from 1 to 5; 4 or more passes."));
    assert_non_null(strstr(se.out, "type a number from 1 to 5"));
    assert_non_null(strstr(se.out, "run again with --answers"));

    const ms_answer *f = &ms_plan_find_check(&se.plan, "friendly")->manual->answer;
    assert_true(f->state == MS_ANS_VALUE && f->value == 4);
    assert_string_equal(f->note, "polite");
    assert_int_equal(ms_plan_find_check(&se.plan, "wait")->manual->answer.elapsed_us, 73000000);
    assert_int_equal(ms_plan_find_check(&se.plan, "first-call")->manual->answer.state, MS_ANS_NONE);
    assert_int_equal(ms_plan_find_check(&se.plan, "callback")->manual->answer.state, MS_ANS_NA);
    assert_int_equal(ms_plan_find_check(&se.plan, "listened")->manual->answer.state, MS_ANS_NONE);

    /* Everything answered is already on disk. */
    char *text = read_all(se.apath);
    assert_non_null(strstr(text, "\"friendly\""));
    assert_non_null(strstr(text, "\"elapsed_ms\":\t73000"));
    assert_non_null(strstr(text, "\"no store\""));
    assert_null(strstr(text, "\"first-call\""));
    free(text);
    session_end(&se);
}

/* A note typed while the stopwatch runs stops it and is its note: never lost. */
static void test_stopwatch_note(void **state)
{
    (void)state;
    session se;
    session_run(&se,
                "{\"format\": 1, \"id\": \"t\", \"sections\": [{\"id\": \"s\", \"checks\": [\n"
                "  {\"id\": \"w\", \"kind\": \"stopwatch\", \"budget\": {\"total_ms\": 60000}},\n"
                "  {\"id\": \"y\", \"kind\": \"yesno\"}\n"
                "]}]}\n",
                "\nline was busy\nyes\n\n");
    const ms_answer *w = &ms_plan_find_check(&se.plan, "w")->manual->answer;
    assert_int_equal(w->state, MS_ANS_VALUE);
    assert_non_null(w->note);
    assert_string_equal(w->note, "line was busy");
    assert_non_null(strstr(se.out, "within the 1m budget"));
    const ms_answer *y = &ms_plan_find_check(&se.plan, "y")->manual->answer;
    assert_true(y->state == MS_ANS_VALUE && y->yes);
    session_end(&se);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_reply), cmocka_unit_test(test_budget_text),
        cmocka_unit_test(test_session), cmocka_unit_test(test_stopwatch_note)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
