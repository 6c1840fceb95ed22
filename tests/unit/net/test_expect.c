#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ms/expect.h"

/* 79 ASCII letters, then a three-byte character across the 80-byte quote limit. */
#define A79    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define X58    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
#define O_HOOK "\xE1\xBB\x95" /* ổ */

/* A header lookup that cannot fail: MS_OK, NULL for a header the response lacks. */
static ms_status lookup(void *ud, const char *name, const char **value)
{
    (void)ud;
    if (strcasecmp(name, "x-viet") == 0)
        *value = A79 O_HOOK "b";
    else
        *value = strcasecmp(name, "content-type") == 0 ? "text/html; charset=utf-8" : NULL;
    return MS_OK;
}

/* Row i: ck against a response with status and body (cut: only its first 8 MiB kept) has
 * problem (NULL: none). */
static void check_row(size_t i, const ms_expects *x, long status, const char *body, bool cut,
                      const char *problem)
{
    char *why = NULL;
    const ms_check check = {.expect = (ms_expects *)x}, *ck = &check;
    assert_int_equal(ms_expect_check(ck, status, body, strlen(body), cut, lookup, NULL, NULL, &why),
                     MS_OK);
    if (problem == NULL && why)
        fail_msg("row %zu: unexpected problem %s", i, why);
    if (problem && (!why || strcmp(why, problem) != 0))
        fail_msg("row %zu: got %s, expected %s", i, why ? why : "(none)", problem);
    free(why);
}

static void test_expectations(void **state)
{
    (void)state;
    long ok200[] = {200};
    long two[] = {200, 204};
    ms_header ct = {"content-type", "text/html", "text/html"};
    ms_header json_ct = {"content-type", "application/json", "application/json"};
    ms_header missing = {"x-cache", "HIT", "HIT"};
    char *welcome[] = {"Welcome"};
    char *error[] = {"Error"};
    ms_json_expect js[] = {{"status", "\"ok\""}, {"items.0", "1"}};
    ms_json_expect js_bad[] = {{"items.5", "1"}, {"status", "\"down\""}};
    ms_json_expect js_deep[] = {{"a.b.1.c", "null"}, {"a.b.0.c", "\"x\""}};
    ms_json_expect js_deep_bad[] = {{"a.b.z", "1"}, {"a.b.0.c.d", "1"}, {"a.x", "1"}};
    const char *deep = "{\"a\":{\"b\":[{\"c\":\"x\"},{\"c\":null}]}}";
    const char *html = "<h1>Welcome</h1>";
    const char *json = "{\"status\":\"ok\",\"items\":[1,2]}";
    ms_header viet = {"x-viet", "nope", "nope"};
    ms_json_expect js_viet[] = {{"v", "1"}};
    const char *viet_json = "{\"v\":\"" X58 O_HOOK "y\"}";
    const struct {
        ms_expects x;
        long status;
        const char *body;
        const char *problem; /* NULL: passes */
    } rows[] = {
        {{0}, 200, html, NULL},
        {{0}, 302, html, NULL},
        {{0}, 404, html, "HTTP 404 (expected a status below 400)"},
        {{.status = ok200, .nstatus = 1}, 500, html, "HTTP 500 (expected 200)"},
        {{.status = two, .nstatus = 2}, 204, html, NULL},
        {{.status = two, .nstatus = 2}, 201, html, "HTTP 201 (expected 200 or 204)"},
        {{.headers = &ct, .nheaders = 1}, 200, html, NULL},
        {{.headers = &json_ct, .nheaders = 1},
         200,
         html,
         "content-type is \"text/html; charset=utf-8\" (expected it to contain "
         "\"application/json\")"},
        {{.headers = &missing, .nheaders = 1}, 200, html, "no x-cache header"},
        {{.body_contains = welcome, .nbody_contains = 1}, 200, html, NULL},
        {{.body_contains = welcome, .nbody_contains = 1}, 200, json, "the body lacks \"Welcome\""},
        {{.body_not_contains = error, .nbody_not_contains = 1},
         200,
         "Error 42",
         "the body contains \"Error\""},
        {{.json = js, .njson = 2}, 200, json, NULL},
        {{.json = js_bad, .njson = 2},
         200,
         json,
         "json items.5 is missing; json status is \"ok\" (expected \"down\")"},
        {{.json = js, .njson = 1}, 200, html, "the body is not JSON"},
        {{.json = js_deep, .njson = 2}, 200, deep, NULL},
        /* a name into an array, a step past a string, a missing key */
        {{.json = js_deep_bad, .njson = 3},
         200,
         deep,
         "json a.b.z is missing; json a.b.0.c.d is missing; json a.x is missing"},
        /* quotes are cut on a character boundary, and say that they were cut */
        {{.headers = &viet, .nheaders = 1},
         200,
         html,
         "x-viet is \"" A79 "...\" (expected it to contain \"nope\")"},
        {{.json = js_viet, .njson = 1}, 200, viet_json, "json v is \"" X58 "... (expected 1)"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        check_row(i, &rows[i].x, rows[i].status, rows[i].body, false, rows[i].problem);
    /* a check without an "expect" (no part made for it): a status below 400 passes */
    const ms_check plain = {.expect = NULL};
    assert_false(ms_expect_needs_body(&plain));
    static const long statuses[] = {200, 404};
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
        long status = statuses[i];
        char *why = NULL;
        assert_int_equal(
            ms_expect_check(&plain, status, html, strlen(html), false, lookup, NULL, NULL, &why),
            MS_OK);
        if (status < 400)
            assert_null(why);
        else
            assert_string_equal(why, "HTTP 404 (expected a status below 400)");
        free(why);
    }
}

/* A body cut at 8 MiB: the problems say that only the first 8 MiB were examined. */
static void test_cut_body(void **state)
{
    (void)state;
    char *welcome[] = {"Welcome"};
    char *error[] = {"Error"};
    ms_json_expect js[] = {{"status", "\"ok\""}};
    const struct {
        ms_expects x;
        const char *body;
        const char *problem; /* NULL: passes */
    } rows[] = {
        {{.body_contains = welcome, .nbody_contains = 1},
         "<h1>Hello",
         "the body lacks \"Welcome\" (only the first 8 MiB were examined)"},
        {{.body_contains = welcome, .nbody_contains = 1}, "<h1>Welcome", NULL},
        {{.body_not_contains = error, .nbody_not_contains = 1}, "<h1>Welcome", NULL},
        {{.json = js, .njson = 1},
         "{\"status\":\"o",
         "the body is longer than 8 MiB and only the first 8 MiB were examined, which are not "
         "JSON on their own"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        check_row(i, &rows[i].x, 200, rows[i].body, true, rows[i].problem);
}

#define TOKEN "Tk-0123456789abcdefghijklmnopqrstuvwxyz-0123456789ABCDEFGHIJKLMNOP"

static ms_status auth_lookup(void *ud, const char *name, const char **value)
{
    (void)ud;
    *value = strcasecmp(name, "authorization") == 0 ? "Bearer " TOKEN : NULL;
    return MS_OK;
}

/* A lookup that fails (ud: with which status) is that failure, never "no such header". */
static ms_status failing_lookup(void *ud, const char *name, const char **value)
{
    (void)name;
    *value = NULL;
    return *(const ms_status *)ud;
}

static void test_lookup_fails(void **state)
{
    (void)state;
    static const ms_status fails[] = {MS_ERR_NOMEM, MS_ERR_NET};
    ms_header h = {"x-cache", "HIT", "HIT"};
    ms_expects x = {.headers = &h, .nheaders = 1};
    ms_check ck = {.expect = &x};
    for (size_t i = 0; i < sizeof fails / sizeof fails[0]; i++) {
        char *why = NULL;
        assert_int_equal(
            ms_expect_check(&ck, 200, "", 0, false, failing_lookup, (void *)&fails[i], NULL, &why),
            fails[i]);
        assert_null(why);
    }
}

/* A quote of a response value hides secrets before it is cut (a cut secret is no longer found
 * whole), and cuts on a character boundary. */
static void test_quotes_hide_secrets(void **state)
{
    (void)state;
    ms_secrets secrets = {0};
    assert_int_equal(ms_secrets_add(&secrets, TOKEN), MS_OK);
    ms_header auth = {"authorization", "Basic", "Basic"};
    ms_json_expect js[] = {{"h.Authorization", "\"Bearer nope\""}, {"long", "1"}};
    /* 70 characters of three bytes each: a quote of 60 bytes must not split one */
    char body[512] = "{\"h\":{\"Authorization\":\"Bearer " TOKEN "\"},\"long\":\"";
    for (int i = 0; i < 70; i++)
        strcat(body, "\xE1\xBB\x87");
    strcat(body, "\"}");
    char want_long[512] = "json long is \"";
    for (int i = 0; i < 19; i++) /* the quote's '"' and 19 of them: 58 bytes */
        strcat(want_long, "\xE1\xBB\x87");
    strcat(want_long, "... (expected 1)");
    const struct {
        ms_expects x;
        const ms_secrets *secrets;
        const char *problem;
    } rows[] = {
        {{.headers = &auth, .nheaders = 1},
         &secrets,
         "authorization is \"Bearer ***\" (expected it to contain \"Basic\")"},
        {{.json = js, .njson = 1},
         &secrets,
         "json h.Authorization is \"Bearer ***\" (expected \"Bearer nope\")"},
        {{.json = js + 1, .njson = 1}, &secrets, want_long},
        /* without secrets: cut, and marked as cut */
        {{.headers = &auth, .nheaders = 1},
         NULL,
         "authorization is \"Bearer " TOKEN "\" (expected it to contain \"Basic\")"},
        {{.json = js, .njson = 1},
         NULL,
         "json h.Authorization is \"Bearer Tk-0123456789abcdefghijklmnopqrstuvwxyz-0123456789AB... "
         "(expected \"Bearer nope\")"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *why = NULL;
        const ms_check ck = {.expect = (ms_expects *)&rows[i].x};
        assert_int_equal(ms_expect_check(&ck, 200, body, strlen(body), false, auth_lookup, NULL,
                                         rows[i].secrets, &why),
                         MS_OK);
        if (!why || strcmp(why, rows[i].problem) != 0)
            fail_msg("row %zu: got %s, expected %s", i, why ? why : "(none)", rows[i].problem);
        free(why);
    }
    ms_secrets_cleanup(&secrets);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expectations), cmocka_unit_test(test_quotes_hide_secrets),
        cmocka_unit_test(test_cut_body), cmocka_unit_test(test_lookup_fails)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
