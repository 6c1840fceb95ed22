#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "ms/alloc.h"
#include "ms/checklist.h"

#define HEAD "{\"format\": 1, \"id\": \"t\", \"sections\": [{\"id\": \"s\", \"checks\": [\n"
#define TAIL "\n]}]}\n"
#define URL  "\"request\": {\"url\": \"http://127.0.0.1/\"}"

/* Load text as a checklist; returns the status and what was printed (caller frees). */
static ms_status load_text(const char *text, char **messages, ms_plan *plan, const ms_var *vars,
                           size_t nvars)
{
    char *path = write_temp(text);
    const char *paths[] = {path};
    capture cap;
    ms_diag d;
    ms_diag_init(&d);
    ms_status rc = ms_plan_load(plan, paths, 1, vars, nvars, &d);
    capture_begin(&cap);
    ms_diag_print(&d, stderr);
    *messages = capture_end(&cap);
    ms_diag_cleanup(&d);
    /* Strip the temporary path so rows can say ":line:col: ...". */
    size_t pl = strlen(path);
    char *p;
    while ((p = strstr(*messages, path)))
        memmove(p, p + pl, strlen(p + pl) + 1);
    unlink(path);
    free(path);
    return rc;
}

static void test_error_messages(void **state)
{
    (void)state;
    static const struct {
        const char *check; /* the second line of the file */
        const char *message;
    } rows[] = {
        {"{\"id\": \"c\", \"kind\": \"yesno\", \"wieght\": 2}",
         ":2:30: check \"c\": wieght: unknown field \"wieght\" (did you mean \"weight\"?)"},
        {"{\"id\": \"c\", \"kind\": \"htp\"}",
         ":2:21: check \"c\": kind: \"htp\" is not one of \"http\", \"stopwatch\", "
         "\"rating\", \"yesno\" (did you mean \"http\"?)"},
        {"{\"id\": \"c\", \"kind\": \"yesno\", \"factor\": \"prodcut\"}",
         ":2:40: check \"c\": factor: \"prodcut\" is not one of \"product\", \"people\", "
         "\"convenience\" (did you mean \"product\"?)"},
        {"{\"id\": \"c\", \"kind\": \"http\", " URL ", \"budget\": {\"total_ms\": -5}}",
         ":2:93: check \"c\": budget.total_ms: a budget must be more than 0 ms, not -5"},
        {"{\"id\": \"c\", \"kind\": \"rating\", \"scale\": [5, 1]}",
         ":2:40: check \"c\": scale: the low end (5) must be below the high end (1)"},
        {"{\"id\": \"c\", \"kind\": \"rating\", \"scale\": [1, 5], \"pass\": 7}",
         ":2:56: check \"c\": pass: 7 is outside the scale [1, 5]"},
        {"{\"id\": \"c\", \"kind\": \"http\", \"request\": {\"url\": \"{{nope}}/x\"}}",
         ":2:48: check \"c\": request.url: unknown variable {{nope}} (define it in "
         "\"vars\" or with --var)"},
        {"{\"id\": \"c\"}", ":2:1: check \"c\": \"kind\" is required (http, stopwatch, "
                            "rating or yesno)"},
        {"{\"id\": \"c\", \"kind\": \"yesno\"}, {\"id\": \"c\", \"kind\": \"yesno\"}",
         ":2:38: check \"c\": id: id \"c\" is used twice in this run"},
        {"{\"id\": \"c\", \"kind\": \"yesno\", \"scale\": [1, 5]}",
         ":2:30: check \"c\": scale: field \"scale\" does not apply to a yesno check"},
        {"{\"id\": \"c\", \"kind\": \"http\", \"request\": {\"url\": \"ftp://x/\"}}",
         ":2:48: check \"c\": request.url: \"ftp://x/\" is not an http:// or https:// URL"},
        {"{\"id\": \"c\", \"kind\": \"http\", \"request\": {\"url\": \"{{env.MS_UNSET_X}}\"}}",
         ":2:48: check \"c\": request.url: environment variable MS_UNSET_X is not set"},
        {"{\"id\": \"c\", \"kind\": \"yesno\", \"weight\": 0}",
         ":2:40: check \"c\": weight: a weight must be more than 0, not 0"},
        {"{\"id\": \"c\", \"kind\": \"http\", " URL ", \"samples\": 0}",
         ":2:81: check \"c\": samples: must be a whole number from 1 to 1000, not 0"},
        {"{\"id\": \"c\", \"kind\": \"http\", " URL ", \"expect\": {\"status\": 999}}",
         ":2:91: check \"c\": expect.status: must be a whole number from 100 to 599, not "
         "999"},
        {"{\"id\": \"c\", \"kind\": \"yesno\", \"kind\": \"yesno\"}",
         ":2:30: check \"c\": kind: field \"kind\" is given twice"},
        {"{\"id\": \"c d\", \"kind\": \"yesno\"}",
         ":2:8: sections.0.checks.0.id: \"c d\" is not a valid id"},
        {"{\"id\": \"c\", \"kind\": \"stopwatch\", \"budget\": {\"ttfb_ms\": 5}}",
         ":2:45: check \"c\": budget.ttfb_ms: a stopwatch check has only a \"total_ms\" "
         "budget"},
        {"{\"id\": \"c\", \"kind\": \"yesno\", \"good\": \"maybe\"}",
         ":2:38: check \"c\": good: \"maybe\" is not one of \"yes\", \"no\""},
        {"{\"id\": \"c\", \"kind\": \"http\", \"request\": {\"url\": \"http://x/\", \"method\": "
         "\"get\"}}",
         ":2:71: check \"c\": request.method: \"get\" is not an HTTP method"},
        {"{\"id\": \"c\", \"kind\": \"http\", " URL ", \"stat\": \"p99\"}",
         ":2:78: check \"c\": stat: \"p99\" is not one of \"median\", \"p90\", \"p95\", "
         "\"max\", \"mean\", \"min\""},
        {"{\"id\": \"c\", \"kind\": \"http\"}",
         ":2:1: check \"c\": an http check needs a \"request\" with a \"url\""},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char text[1024], *msgs = NULL;
        ms_plan plan;
        snprintf(text, sizeof text, HEAD "%s" TAIL, rows[i].check);
        ms_status rc = load_text(text, &msgs, &plan, NULL, 0);
        if (!strstr(msgs, rows[i].message))
            fail_msg("row %zu: expected\n  %s\ngot\n%s", i, rows[i].message, msgs);
        assert_int_equal(rc, MS_ERR_INVALID);
        free(msgs);
        ms_plan_cleanup(&plan);
    }
}

static void test_file_level_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *message;
    } rows[] = {
        /* the strict scan names the stray comma itself */
        {"{\"format\": 1,,}", ":1:14: not valid JSON: expected a field name in double quotes"},
        {"{\"format\": 1,\n  \"id\": \"t\",\n  \"sections\": [\n",
         ":4:1: not valid JSON: the text ends too early (expected a value)"},
        {"{\"format\": 1, \"id\": \"t\x01\"}",
         ":1:23: not valid JSON: control character U+0001 inside a string"},
        {"{\"format\": 2, \"id\": \"t\", \"sections\": []}",
         ":1:12: format: this tool reads format 1 only"},
        {"{\"format\": 1, \"id\": \"t\", \"sections\": []}",
         ":1:38: sections: must be an array of at least one section"},
        {"{\"format\": 1, \"id\": \"t\", \"secions\": []}",
         ":1:26: secions: unknown field \"secions\" (did you mean \"sections\"?)"},
        {"[1, 2]", ":1:1: must be an object, not an array"},
        {"{\"format\": 1, \"id\": \"t\", \"defaults\": {\"budjet\": {}}, \"sections\": [{\"id\": "
         "\"s\", \"checks\": [{\"id\": \"c\", \"kind\": \"yesno\"}]}]}",
         ":1:39: defaults.budjet: unknown field \"budjet\" (did you mean \"budget\"?)"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *msgs = NULL;
        ms_plan plan;
        ms_status rc = load_text(rows[i].text, &msgs, &plan, NULL, 0);
        if (!strstr(msgs, rows[i].message))
            fail_msg("row %zu: expected\n  %s\ngot\n%s", i, rows[i].message, msgs);
        assert_int_equal(rc, MS_ERR_INVALID);
        free(msgs);
        ms_plan_cleanup(&plan);
    }
}

static void test_every_problem_at_once(void **state)
{
    (void)state;
    char *msgs = NULL;
    ms_plan plan;
    ms_status rc = load_text(HEAD "{\"id\": \"a\", \"kind\": \"yesno\", \"wieght\": 1},\n"
                                  "{\"id\": \"b\", \"kind\": \"rating\", \"scale\": [3, 3]},\n"
                                  "{\"id\": \"c\", \"kind\": \"http\", \"request\": {\"url\": "
                                  "\"{{x}}\"}}" TAIL,
                             &msgs, &plan, NULL, 0);
    assert_int_equal(rc, MS_ERR_INVALID);
    assert_non_null(strstr(msgs, ":2:30: "));
    assert_non_null(strstr(msgs, ":3:40: "));
    assert_non_null(strstr(msgs, ":4:48: "));
    size_t lines = 0;
    for (const char *m = msgs; *m; m++)
        lines += *m == '\n';
    assert_int_equal(lines, 3); /* each problem once */
    free(msgs);
    ms_plan_cleanup(&plan);
}

/* Checks are parsed one at a time from where they stand (ms_jsonpos_hollow): a repeated
 * "checks" key, whose later value is not loaded, must not shift the checks of the sections after
 * it; every check is the one written at its place. */
static void test_checks_one_at_a_time(void **state)
{
    (void)state;
    char *msgs = NULL;
    ms_plan plan;
    ms_status rc = load_text("{\"format\": 1, \"id\": \"t\", \"sections\": [\n"
                             "{\"id\": \"s\", \"checks\": [{\"id\": \"a\", \"kind\": \"yesno\"}],\n"
                             " \"checks\": [{\"id\": \"later\", \"kind\": \"yesno\"}]},\n"
                             "{\"id\": \"s2\", \"checks\": [{\"id\": \"b\", \"kind\": \"yesno\"},\n"
                             "  {\"id\": \"d\", \"kind\": \"yesno\", \"wieght\": 2}]}]}\n",
                             &msgs, &plan, NULL, 0);
    assert_int_equal(rc, MS_ERR_INVALID);
    if (!strstr(msgs, ":3:2: section \"s\": checks: field \"checks\" is given twice") ||
        !strstr(msgs, ":5:32: check \"d\": wieght: unknown field \"wieght\"") ||
        strstr(msgs, "is required"))
        fail_msg("got\n%s", msgs);
    assert_int_equal(plan.nchecks, 3);
    assert_string_equal(plan.checks[0]->id, "a");
    assert_string_equal(plan.checks[1]->id, "b");
    assert_string_equal(plan.checks[2]->id, "d");
    assert_int_equal(plan.checks[2]->line, 5);
    free(msgs);
    ms_plan_cleanup(&plan);
}

static void test_duplicate_ids_across_files(void **state)
{
    (void)state;
    char *a = write_temp(HEAD "{\"id\": \"same\", \"kind\": \"yesno\"}" TAIL);
    char *b = write_temp("{\"format\": 1, \"id\": \"u\", \"sections\": [{\"id\": \"s2\", "
                         "\"checks\": [{\"id\": \"same\", \"kind\": \"yesno\"}]}]}");
    const char *paths[] = {a, b};
    ms_plan plan;
    ms_diag d;
    capture cap;
    ms_diag_init(&d);
    ms_status rc = ms_plan_load(&plan, paths, 2, NULL, 0, &d);
    capture_begin(&cap);
    ms_diag_print(&d, stderr);
    char *msgs = capture_end(&cap);
    ms_diag_cleanup(&d);
    assert_int_equal(rc, MS_ERR_INVALID);
    char want[512];
    snprintf(want, sizeof want, "%s:1:70: check \"same\": id: id \"same\" is used twice", b);
    if (!strstr(msgs, want))
        fail_msg("expected %s\ngot %s", want, msgs);
    free(msgs);
    ms_plan_cleanup(&plan);
    unlink(a);
    unlink(b);
    free(a);
    free(b);
}

static const ms_header *header(const ms_check *ck, const char *name)
{
    for (size_t i = 0; i < ck->nheaders; i++)
        if (strcasecmp(ck->headers[i].name, name) == 0)
            return &ck->headers[i];
    return NULL;
}

static void test_inheritance(void **state)
{
    (void)state;
    const char *text =
        "{\"format\": 1, \"id\": \"t\",\n"
        " \"defaults\": {\"samples\": 3, \"budget\": {\"total_ms\": 1000}, \"owner\": \"web\",\n"
        "   \"headers\": {\"Accept-Language\": \"vi-VN\", \"X-A\": \"defaults\"}, \"stat\": "
        "\"p90\"},\n"
        " \"sections\": [{\"id\": \"s\", \"factor\": \"people\", \"samples\": 4,\n"
        "   \"headers\": {\"X-A\": \"section\", \"X-B\": \"section\"},\n"
        "   \"checks\": [\n"
        "     {\"id\": \"own\", \"kind\": \"http\", \"budget\": {\"ttfb_ms\": 300}, \"samples\": "
        "7,\n"
        "      \"request\": {\"url\": \"http://127.0.0.1/\", \"headers\": {\"x-b\": \"check\"}}},\n"
        "     {\"id\": \"inherits\", \"title\": \"Inherits\", \"kind\": \"http\", \"factor\": "
        "\"product\", \"request\": "
        "{\"url\": \"http://127.0.0.1/\"}},\n"
        "     {\"id\": \"also\", \"kind\": \"http\", \"request\": {\"url\": "
        "\"http://127.0.0.1/\"}},\n"
        "     {\"id\": \"manual\", \"kind\": \"stopwatch\"}\n"
        "   ]}]}\n";
    char *msgs = NULL;
    ms_plan plan;
    assert_int_equal(load_text(text, &msgs, &plan, NULL, 0), MS_OK);
    free(msgs);
    ms_check *own = ms_plan_find_check(&plan, "own");
    ms_check *inh = ms_plan_find_check(&plan, "inherits");
    ms_check *man = ms_plan_find_check(&plan, "manual");
    /* a URL without a secret is shown as it is: the same string, not a copy */
    assert_ptr_equal(own->url_display, own->url);
    /* no title: the id is the title, the same string */
    assert_ptr_equal(own->title, own->id);
    assert_string_equal(inh->title, "Inherits");
    assert_ptr_not_equal(inh->title, inh->id);
    /* only a manual check has a manual part */
    assert_null(own->manual);
    assert_non_null(man->manual);
    /* own fields win; a budget given is the whole budget */
    assert_int_equal(own->samples, 7);
    assert_int_equal(own->budget_us[MS_PH_TTFB], 300000);
    assert_int_equal(own->budget_us[MS_PH_TOTAL], -1);
    assert_int_equal(own->factor, MS_FACTOR_PEOPLE);
    assert_int_equal(own->stat, MS_STAT_P90);
    assert_string_equal(own->owner, "web");
    /* headers merge by name, case-insensitively: defaults, section, then the request */
    assert_string_equal(header(own, "Accept-Language")->value, "vi-VN");
    assert_string_equal(header(own, "X-A")->value, "section");
    assert_string_equal(header(own, "X-B")->value, "check");
    assert_int_equal(own->nheaders, 3);
    /* the section's fields over the defaults */
    assert_int_equal(inh->samples, 4);
    assert_int_equal(inh->budget_us[MS_PH_TOTAL], 1000000);
    assert_int_equal(inh->factor, MS_FACTOR_PRODUCT);
    assert_true(inh->follow_redirects);
    assert_int_equal(inh->max_redirects, 5);
    assert_null(inh->method); /* GET: not a string made for each check */
    assert_string_equal(ms_check_method(inh), "GET");
    /* HTTP defaults do not reach a manual check */
    assert_int_equal(man->budget_us[MS_PH_TOTAL], -1);
    assert_int_equal(man->factor, MS_FACTOR_PEOPLE);
    /* the same budgets are one array, the plan's; none are ms_no_budgets */
    const ms_check *also = ms_plan_find_check(&plan, "also");
    assert_non_null(also);
    assert_ptr_equal(also->budget_us, inh->budget_us);
    assert_ptr_not_equal(own->budget_us, inh->budget_us);
    assert_ptr_equal(man->budget_us, ms_no_budgets);
    assert_int_equal(plan.budgets.n, 2);
    ms_plan_cleanup(&plan);
}

static void test_variables_and_secrets(void **state)
{
    (void)state;
    setenv("MS_TEST_TOKEN", "s3cret-token", 1);
    const char *text =
        "{\"format\": 1, \"id\": \"t\",\n"
        " \"vars\": {\"base\": \"http://example.invalid\", \"token\": \"{{env.MS_TEST_TOKEN}}\"},\n"
        " \"sections\": [{\"id\": \"s\", \"checks\": [\n"
        "   {\"id\": \"c\", \"kind\": \"http\", \"request\": {\"url\": "
        "\"{{base}}/a?t={{token}}\",\n"
        "    \"headers\": {\"Authorization\": \"Bearer {{ env.MS_TEST_TOKEN }}\"},\n"
        "    \"method\": \"POST\", \"body\": {\"q\": \"{{base}}\"}}},\n"
        "   {\"id\": \"r\", \"kind\": \"rating\", \"prompt\": \"Open {{base}} with "
        "{{token}}\"}]}]}\n";
    ms_var vars[] = {{"base", "http://127.0.0.1:9"}};
    char *msgs = NULL;
    ms_plan plan;
    assert_int_equal(load_text(text, &msgs, &plan, vars, 1), MS_OK);
    free(msgs);
    ms_check *c = ms_plan_find_check(&plan, "c");
    assert_string_equal(c->url, "http://127.0.0.1:9/a?t=s3cret-token");
    assert_string_equal(c->url_display, "http://127.0.0.1:9/a?t=***");
    assert_ptr_not_equal(c->url_display, c->url);
    assert_string_equal(header(c, "Authorization")->value, "Bearer s3cret-token");
    assert_string_equal(header(c, "Authorization")->display, "Bearer ***");
    assert_string_equal(c->body, "{\"q\":\"http://127.0.0.1:9\"}");
    assert_string_equal(header(c, "Content-Type")->value, "application/json");
    assert_int_equal(plan.secrets.n, 1);
    /* prompts are shown, never sent: they show no secret */
    assert_string_equal(ms_plan_find_check(&plan, "r")->manual->prompt,
                        "Open http://127.0.0.1:9 with ***");
    char *red = NULL;
    assert_int_equal(ms_plan_redact(&plan, "could not reach s3cret-token and s3cret-token", &red),
                     MS_OK);
    assert_string_equal(red, "could not reach *** and ***");
    free(red);
    ms_plan_cleanup(&plan);
}

/* A variable inside a string of a JSON body is escaped as a JSON string; elsewhere, and in a
 * body that is not JSON, it goes in as it is. */
static void test_json_bodies(void **state)
{
    (void)state;
    static const struct {
        const char *request; /* the request object's fields after the URL */
        const char *body;    /* as sent */
    } rows[] = {
        {"\"body\": {\"name\": \"{{user}}\", \"{{user}}\": [\"<{{user}}>\"]}",
         "{\"name\":\"say \\\"hi\\\" \\\\ \\n\",\"say \\\"hi\\\" \\\\ \\n\":[\"<say \\\"hi\\\" "
         "\\\\ \\n>\"]}"},
        {"\"headers\": {\"content-type\": \"application/ld+json\"}, "
         "\"body\": \"{\\\"a\\\": \\\"\\\\\\\"{{user}}\\\", \\\"n\\\": {{n}}}\"",
         "{\"a\": \"\\\"say \\\"hi\\\" \\\\ \\n\", \"n\": 42}"},
        {"\"body\": \"name={{user}}&n={{n}}\"", "name=say \"hi\" \\ \n&n=42"},
    };
    ms_var vars[] = {{"user", "say \"hi\" \\ \n"}, {"n", "42"}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text,
                 HEAD "{\"id\": \"c\", \"kind\": \"http\", \"request\": {\"url\": "
                      "\"http://127.0.0.1/\", \"method\": \"POST\", %s}}" TAIL,
                 rows[i].request);
        char *msgs = NULL;
        ms_plan plan;
        if (load_text(text, &msgs, &plan, vars, 2) != MS_OK)
            fail_msg("row %zu: %s", i, msgs);
        const char *body = ms_plan_find_check(&plan, "c")->body;
        if (strcmp(body, rows[i].body) != 0)
            fail_msg("row %zu: sent %s, expected %s", i, body, rows[i].body);
        free(msgs);
        ms_plan_cleanup(&plan);
    }
}

/* Every secret is hidden whole, longest first, in every form the tool or libcurl writes it. */
static void test_redaction(void **state)
{
    (void)state;
    static const struct {
        const char *env[2][2]; /* names and values */
        const char *url;       /* the check's URL */
        const char *text, *want;
    } rows[] = {
        /* one secret that begins another, either way round */
        {{{"MS_A", "abcdef1"}, {"MS_B", "abcdef1ghXYZ"}},
         "http://{{env.MS_A}}.{{env.MS_B}}/",
         "abcdef1.abcdef1ghXYZ.invalid abcdef1ghXYZabcdef1",
         "***.***.invalid ******"},
        {{{"MS_A", "abcdef1ghXYZ"}, {"MS_B", "abcdef1"}},
         "http://{{env.MS_A}}.{{env.MS_B}}/",
         "abcdef1.abcdef1ghXYZ.invalid",
         "***.***.invalid"},
        /* escaped in a JSON string, as cJSON and servers write it */
        {{{"MS_A", "q\"uo\\te-secret"}, {NULL, NULL}},
         "http://127.0.0.1/?{{env.MS_A}}",
         "{\"x\":\"q\\\"uo\\\\te-secret\"} q\"uo\\te-secret",
         "{\"x\":\"***\"} ***"},
        {{{"MS_A", "line\nbreak\x01"}, {NULL, NULL}},
         "http://127.0.0.1/",
         "[\"line\\nbreak\\u0001\"]",
         "[\"***\"]"},
        /* percent-encoded: libcurl's lower-case hex, upper case, and every reserved byte */
        {{{"MS_A", "p\xC3\xA4/ss w\xC3\xB6rd"}, {NULL, NULL}},
         "http://127.0.0.1/",
         "/p%c3%a4/ss%20w%c3%b6rd /p%C3%A4/ss%20w%C3%B6rd /p%C3%A4%2Fss%20w%C3%B6rd "
         "/p%c3%a4%2fss%20w%c3%b6rd",
         "/*** /*** /*** /***"},
        /* what is no secret stays */
        {{{"MS_A", "abcdef1"}, {NULL, NULL}},
         "http://127.0.0.1/",
         "abcdef abcdef2",
         "abcdef abcdef2"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char text[1024];
        for (int k = 0; k < 2; k++)
            if (rows[i].env[k][0])
                setenv(rows[i].env[k][0], rows[i].env[k][1], 1);
        snprintf(text, sizeof text,
                 HEAD "{\"id\": \"c\", \"kind\": \"http\", \"request\": {\"url\": \"%s\", "
                      "\"method\": \"POST\", \"body\": \"{{env.MS_A}}%s\"}}" TAIL,
                 rows[i].url, rows[i].env[1][0] ? "{{env.MS_B}}" : "");
        char *msgs = NULL;
        ms_plan plan;
        ms_status rc = load_text(text, &msgs, &plan, NULL, 0);
        if (rc != MS_OK)
            fail_msg("row %zu: %s", i, msgs);
        char *red = NULL;
        assert_int_equal(ms_plan_redact(&plan, rows[i].text, &red), MS_OK);
        if (strcmp(red, rows[i].want) != 0)
            fail_msg("row %zu: got %s, expected %s", i, red, rows[i].want);
        free(red);
        free(msgs);
        ms_plan_cleanup(&plan);
        unsetenv("MS_A");
        unsetenv("MS_B");
    }
}

/* Each check knows the line where its object begins in its checklist file. */
/* A file of whole pages is mapped with no byte after its last: it is read to its end and no
 * further, whether it is whole (padded with spaces) or ends too early. */
static void test_page_sized_file(void **state)
{
    (void)state;
    size_t size = 2 * (size_t)sysconf(_SC_PAGESIZE);
    const char *checks = HEAD "{\"id\": \"c\", \"kind\": \"yesno\"}\n]}]";
    char *text = malloc(size + 1), *messages = NULL;
    assert_non_null(text);
    memset(text, ' ', size);
    text[size] = '\0';
    memcpy(text, checks, strlen(checks));
    ms_plan plan;
    assert_int_equal(load_text(text, &messages, &plan, NULL, 0), MS_ERR_INVALID);
    /* at the end of the text: on line 3, past the last of its bytes */
    const char *line3 = strchr(strchr(checks, '\n') + 1, '\n') + 1;
    char want[128];
    snprintf(want, sizeof want, ":3:%zu: not valid JSON: the text ends too early",
             size - (size_t)(line3 - checks) + 1);
    if (!strstr(messages, want))
        fail_msg("%s lacks %s", messages, want);
    free(messages);
    ms_plan_cleanup(&plan);

    text[strlen(checks)] = '}';
    assert_int_equal(load_text(text, &messages, &plan, NULL, 0), MS_OK);
    assert_int_equal(plan.nchecks, 1);
    assert_string_equal(plan.checks[0]->id, "c");
    free(messages);
    ms_plan_cleanup(&plan);
    free(text);
}

static void test_check_lines(void **state)
{
    (void)state;
    static const struct {
        const char *id;
        int line;
        size_t file;
    } rows[] = {
        {"first", 3, 0},
        {"second", 4, 0},
        {"third", 8, 0},
        {"other", 2, 1},
    };
    char *a = write_temp("{\"format\": 1, \"id\": \"t\",\n"
                         " \"sections\": [{\"id\": \"s\", \"checks\": [\n"
                         "   {\"id\": \"first\", \"kind\": \"yesno\"},\n"
                         "   {\"id\": \"second\",\n"
                         "    \"kind\": \"rating\"}]},\n"
                         "  {\"id\": \"s2\", \"checks\": [\n"
                         "\n"
                         "      { \"id\": \"third\", \"kind\": \"stopwatch\" }]}]}\n");
    char *b =
        write_temp("{\"format\": 1, \"id\": \"u\", \"sections\": [{\"id\": \"s3\", \"checks\": [\n"
                   "{\"id\": \"other\", \"kind\": \"yesno\"}]}]}\n");
    const char *paths[] = {a, b};
    ms_plan plan;
    ms_diag d;
    ms_diag_init(&d);
    assert_int_equal(ms_plan_load(&plan, paths, 2, NULL, 0, &d), MS_OK);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const ms_check *ck = ms_plan_find_check(&plan, rows[i].id);
        assert_non_null(ck);
        if (ck->line != rows[i].line)
            fail_msg("row %zu: %s at line %d, expected %d", i, rows[i].id, ck->line, rows[i].line);
        assert_string_equal(plan.lists[ck->checklist_index].path, paths[rows[i].file]);
    }
    ms_diag_cleanup(&d);
    ms_plan_cleanup(&plan);
    unlink(a);
    unlink(b);
    free(a);
    free(b);
}

int main(void)
{
    ms_alloc_init(); /* as main does: the trees in arenas */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_messages),
        cmocka_unit_test(test_file_level_errors),
        cmocka_unit_test(test_every_problem_at_once),
        cmocka_unit_test(test_checks_one_at_a_time),
        cmocka_unit_test(test_duplicate_ids_across_files),
        cmocka_unit_test(test_inheritance),
        cmocka_unit_test(test_variables_and_secrets),
        cmocka_unit_test(test_redaction),
        cmocka_unit_test(test_json_bodies),
        cmocka_unit_test(test_page_sized_file),
        cmocka_unit_test(test_check_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
