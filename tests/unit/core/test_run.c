/* The run record made from a plan (core/run.c): the selected checks only, in report order, with
 * every string redacted; and the one mapping from a verdict to a status. Built in memory: no
 * loader, no file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ms/plan.h"
#include "ms/run.h"

#define SECRET "s3cret-token"

/* One checklist of two sections: "a" (http, with a failed sample) and "b" (yesno) in the first,
 * "c" (rating, not selected) in the second. */
typedef struct {
    ms_plan plan;
    ms_checklist list;
    ms_section sections[2];
    ms_check *checks[3];
    ms_check *first[2], *second[1];
} fixture;

static ms_check *new_check(const char *id, const char *title, ms_kind kind)
{
    ms_check *ck = calloc(1, sizeof *ck);
    ck->id = strdup(id);
    ck->title = strdup(title);
    ck->kind = kind;
    ck->weight = 1;
    ck->effort = 2;
    ck->selected = true;
    ck->budget_us = ms_no_budgets;
    return ck;
}

static void fixture_init(fixture *f)
{
    memset(f, 0, sizeof *f);
    assert_int_equal(ms_secrets_add(&f->plan.secrets, SECRET), MS_OK);
    ms_check *a = new_check("a", "Page with " SECRET, MS_KIND_HTTP);
    a->url_display = strdup("http://127.0.0.1/?t=" SECRET);
    a->owner = strdup("web " SECRET " team");
    a->description = strdup("about " SECRET);
    a->fix = strdup("rotate " SECRET);
    a->tags = calloc(1, sizeof *a->tags);
    a->tags[0] = strdup("t-" SECRET);
    a->ntags = 1;
    a->line = 12;
    a->res.samples = calloc(1, sizeof *a->res.samples);
    a->res.nsamples = 1;
    a->res.samples[0].failed = true;
    a->res.samples[0].error = strdup("Failed to connect to /?t=" SECRET);
    strcpy(a->res.samples[0].remote_ip, SECRET);
    ms_check *b = new_check("b", "Asked", MS_KIND_YESNO);
    free(b->title);
    b->title = b->id; /* no title in its checklist: the loader shares the id */
    b->manual = calloc(1, sizeof *b->manual);
    b->manual->good_yes = true;
    b->manual->answer = (ms_answer){
        .state = MS_ANS_VALUE, .yes = false, .note = strdup(SECRET), .at = strdup("at " SECRET)};
    ms_check *c = new_check("c", "Not run", MS_KIND_RATING);
    c->selected = false;
    f->checks[0] = f->first[0] = a;
    f->checks[1] = f->first[1] = b;
    f->checks[2] = f->second[0] = c;
    for (size_t i = 0; i < 3; i++)
        f->checks[i]->order = i;
    f->sections[0] = (ms_section){
        .id = strdup("s1"), .title = strdup("One " SECRET), .checks = f->first, .nchecks = 2};
    f->sections[1] = (ms_section){.id = strdup("s2"), .checks = f->second, .nchecks = 1};
    f->list = (ms_checklist){.path = strdup("lists/" SECRET ".json"),
                             .id = strdup("l"),
                             .title = strdup("List " SECRET),
                             .sections = f->sections,
                             .nsections = 2};
    f->plan.lists = &f->list;
    f->plan.nlists = 1;
    f->plan.checks = f->checks;
    f->plan.nchecks = 3;
}

static void fixture_free(fixture *f)
{
    for (size_t i = 0; i < 3; i++) {
        if (f->checks[i])
            ms_check_cleanup(f->checks[i]);
        free(f->checks[i]);
    }
    for (size_t s = 0; s < 2; s++) {
        free(f->sections[s].id);
        free(f->sections[s].title);
    }
    free(f->list.path);
    free(f->list.id);
    free(f->list.title);
    ms_secrets_cleanup(&f->plan.secrets);
}

static void test_from_plan(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f);
    ms_run *run = NULL;
    char *checks[] = {"a"}, *resolve[] = {SECRET ".invalid:443:127.0.0.1"};
    ms_run_proxy proxy = {
        .url = "http://" SECRET ":3128", .from = "http_proxy", .checks = checks, .nchecks = 1};
    ms_run_net net = {.proxies = &proxy,
                      .nproxies = 1,
                      .http_version = "2",
                      .resolve = resolve,
                      .nresolve = 1,
                      .connect_to = resolve,
                      .nconnect_to = 1,
                      .client_cert = SECRET ".pem"};
    ms_run_meta meta = {.tool_version = "1.2",
                        .net = &net,
                        .auditor = "Lan " SECRET,
                        .label = "l-" SECRET,
                        .answers_path = SECRET ".json",
                        .visited_at = "v " SECRET,
                        .interrupted = true};
    assert_int_equal(ms_run_from_plan(&f.plan, &meta, &run), MS_OK);
    /* the selected checks only, in report order; the section of none still there, empty */
    assert_int_equal(run->nchecks, 2);
    assert_string_equal(run->checks[0]->id, "a");
    assert_string_equal(run->checks[1]->id, "b");
    assert_int_equal(run->nlists, 1);
    assert_int_equal(run->lists[0].nsections, 2);
    assert_int_equal(run->lists[0].sections[0].first, 0);
    assert_int_equal(run->lists[0].sections[0].n, 2);
    assert_int_equal(run->lists[0].sections[1].first, 2);
    assert_int_equal(run->lists[0].sections[1].n, 0);
    /* definitions, measurements and metadata carried over */
    assert_int_equal(run->checks[0]->line, 12);
    assert_string_equal(run->checks[0]->method, "GET");
    assert_null(run->checks[1]->method);
    assert_true(run->checks[1]->good_yes);
    assert_int_equal(run->checks[0]->nsamples, 1);
    assert_int_equal(run->checks[1]->answer.state, MS_ANS_VALUE);
    assert_true(run->interrupted);
    assert_string_equal(run->tool_version, "1.2");
    /* one string where the plan had one: a title that is the id, each check's file its list's
     * path; a title of its own stays its own */
    assert_ptr_equal(run->checks[1]->title, run->checks[1]->id);
    assert_ptr_not_equal(run->checks[0]->title, run->checks[0]->id);
    assert_ptr_equal(run->checks[0]->file, run->lists[0].path);
    assert_ptr_equal(run->checks[1]->file, run->lists[0].path);
    /* every string redacted */
    const struct {
        const char *got, *want;
    } strings[] = {
        {run->checks[0]->title, "Page with ***"},
        {run->checks[0]->owner, "web *** team"},
        {run->checks[0]->file, "lists/***.json"},
        {run->checks[0]->samples[0].error, "Failed to connect to /?t=***"},
        {run->checks[1]->answer.note, "***"},
        {run->auditor, "Lan ***"},
        {run->lists[0].path, "lists/***.json"},
        {run->checks[0]->url, "http://127.0.0.1/?t=***"},
        {run->checks[0]->description, "about ***"},
        {run->checks[0]->fix, "rotate ***"},
        {run->checks[0]->tags[0], "t-***"},
        {run->checks[0]->samples[0].remote_ip, "***"},
        {run->checks[1]->answer.at, "at ***"},
        {run->lists[0].title, "List ***"},
        {run->lists[0].sections[0].title, "One ***"},
        {run->label, "l-***"},
        {run->answers_path, "***.json"},
        {run->visited_at, "v ***"},
        {run->net.proxies[0].url, "http://***:3128"},
        {run->net.proxies[0].from, "http_proxy"},
        {run->net.proxies[0].checks[0], "a"},
        {run->net.http_version, "2"},
        {run->net.resolve[0], "***.invalid:443:127.0.0.1"},
        {run->net.connect_to[0], "***.invalid:443:127.0.0.1"},
        {run->net.client_cert, "***.pem"},
    };
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        assert_string_equal(strings[i].got, strings[i].want);
    /* the selected checks were taken from the plan, in its list and in their sections (a run
     * holds one copy of its checks, not two); the one not selected is still there */
    assert_null(f.checks[0]);
    assert_null(f.checks[1]);
    assert_null(f.first[0]);
    assert_null(f.first[1]);
    assert_non_null(f.checks[2]);
    assert_ptr_equal(f.second[0], f.checks[2]);
    assert_string_equal(f.checks[2]->title, "Not run");
    ms_run_free(run);
    fixture_free(&f);
}

/* The status a run ends with, from its verdict: interrupted, incomplete, failed, passed. */
/* An answer more than a week older than the run's start is stale; its age in whole days. */
static void test_answer_ages(void **state)
{
    (void)state;
    static const struct {
        ms_answer_state st;
        const char *at;
        int64_t days;
        bool stale;
    } rows[] = {
        {MS_ANS_VALUE, "2026-11-20T09:00:00+07:00", 0, false},
        {MS_ANS_VALUE, "2026-11-13T09:00:00+07:00", 7, false}, /* exactly a week: not yet */
        {MS_ANS_VALUE, "2026-11-13T08:59:59+07:00", 7, true},  /* a second more */
        {MS_ANS_NA, "2026-11-08T02:00:00Z", 12, true},         /* n/a is an answer too */
        {MS_ANS_VALUE, "2026-11-21T09:00:00+07:00", 0, false}, /* after the start (a clock) */
        {MS_ANS_VALUE, NULL, -1, false},                       /* no time: never stale */
        {MS_ANS_VALUE, "last week", -1, false},
        {MS_ANS_NONE, "2026-01-01T00:00:00Z", -1, false}, /* unanswered */
    };
    size_t n = sizeof rows / sizeof rows[0];
    ms_run *run = NULL;
    assert_int_equal(ms_run_new(&run), MS_OK);
    run->started_at = strdup("2026-11-20T09:00:00+07:00");
    assert_int_equal(ms_run_add_checks(run, n), MS_OK);
    for (size_t i = 0; i < n; i++) {
        run->checks[i]->answer.state = rows[i].st;
        run->checks[i]->answer.at = rows[i].at ? strdup(rows[i].at) : NULL;
    }
    ms_run_answer_ages(run, true);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(run->checks[i]->answer.age_days, rows[i].days);
        assert_int_equal(run->checks[i]->answer.stale, rows[i].stale);
    }
    /* Without set_stale the ages only: a stale read from a report stays as it was. */
    run->checks[0]->answer.stale = true;
    ms_run_answer_ages(run, false);
    assert_true(run->checks[0]->answer.stale);
    ms_run_free(run);
}

static void test_status(void **state)
{
    (void)state;
    static const struct {
        bool interrupted, incomplete, passed;
        ms_status want;
    } rows[] = {
        {false, false, true, MS_OK},
        {false, false, false, MS_ERR_GATE},
        {false, true, true, MS_ERR_INCOMPLETE},
        {false, true, false, MS_ERR_INCOMPLETE},
        {true, true, false, MS_ERR_INTERRUPTED},
        {true, false, false, MS_ERR_INTERRUPTED},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ms_run run = {.interrupted = rows[i].interrupted,
                      .verdict = {.incomplete = rows[i].incomplete, .passed = rows[i].passed}};
        assert_int_equal(ms_run_status(&run), rows[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_from_plan),
        cmocka_unit_test(test_answer_ages),
        cmocka_unit_test(test_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
