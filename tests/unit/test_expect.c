#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ms/expect.h"

static const char *lookup(void *ud, const char *name)
{
    (void)ud;
    return strcasecmp(name, "content-type") == 0 ? "text/html; charset=utf-8" : NULL;
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
    const struct {
        ms_check ck;
        long status;
        const char *body;
        const char *problem; /* NULL: passes */
    } rows[] = {
        {{0}, 200, html, NULL},
        {{0}, 302, html, NULL},
        {{0}, 404, html, "HTTP 404 (expected a status below 400)"},
        {{.expect_status = ok200, .nexpect_status = 1}, 500, html, "HTTP 500 (expected 200)"},
        {{.expect_status = two, .nexpect_status = 2}, 204, html, NULL},
        {{.expect_status = two, .nexpect_status = 2}, 201, html, "HTTP 201 (expected 200 or 204)"},
        {{.expect_headers = &ct, .nexpect_headers = 1}, 200, html, NULL},
        {{.expect_headers = &json_ct, .nexpect_headers = 1},
         200,
         html,
         "content-type is \"text/html; charset=utf-8\" (expected it to contain "
         "\"application/json\")"},
        {{.expect_headers = &missing, .nexpect_headers = 1}, 200, html, "no x-cache header"},
        {{.body_contains = welcome, .nbody_contains = 1}, 200, html, NULL},
        {{.body_contains = welcome, .nbody_contains = 1}, 200, json, "the body lacks \"Welcome\""},
        {{.body_not_contains = error, .nbody_not_contains = 1},
         200,
         "Error 42",
         "the body contains \"Error\""},
        {{.expect_json = js, .nexpect_json = 2}, 200, json, NULL},
        {{.expect_json = js_bad, .nexpect_json = 2},
         200,
         json,
         "json items.5 is missing; json status is \"ok\" (expected \"down\")"},
        {{.expect_json = js, .nexpect_json = 1}, 200, html, "the body is not JSON"},
        {{.expect_json = js_deep, .nexpect_json = 2}, 200, deep, NULL},
        /* a name into an array, a step past a string, a missing key */
        {{.expect_json = js_deep_bad, .nexpect_json = 3},
         200,
         deep,
         "json a.b.z is missing; json a.b.0.c.d is missing; json a.x is missing"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *why = NULL;
        assert_int_equal(ms_expect_check(&rows[i].ck, rows[i].status, rows[i].body,
                                         strlen(rows[i].body), lookup, NULL, &why),
                         MS_OK);
        if (rows[i].problem == NULL && why)
            fail_msg("row %zu: unexpected problem %s", i, why);
        if (rows[i].problem && (!why || strcmp(why, rows[i].problem) != 0))
            fail_msg("row %zu: got %s, expected %s", i, why ? why : "(none)", rows[i].problem);
        free(why);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_expectations)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
