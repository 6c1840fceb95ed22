#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ms/notify.h"

/* When a run alerts: its exit code against the previous run's of the series. */
static void test_due(void **state)
{
    (void)state;
    static const struct {
        ms_notify_on on;
        int exit_code;
        bool has_prev;
        int prev_exit;
        bool want;
    } rows[] = {
        {MS_NOTIFY_CHANGE, 0, false, 0, false}, /* a first run that passes */
        {MS_NOTIFY_CHANGE, 1, false, 0, true},  /* a first run that fails: as after a pass */
        {MS_NOTIFY_CHANGE, 0, true, 0, false},  {MS_NOTIFY_CHANGE, 1, true, 0, true},
        {MS_NOTIFY_CHANGE, 1, true, 1, false},  {MS_NOTIFY_CHANGE, 0, true, 1, true},
        {MS_NOTIFY_CHANGE, 1, true, 3, true}, /* after a post that failed: again */
        {MS_NOTIFY_CHANGE, 4, true, 1, true},   {MS_NOTIFY_FAIL, 0, true, 1, false},
        {MS_NOTIFY_FAIL, 1, true, 1, true},     {MS_NOTIFY_FAIL, 4, false, 0, true},
        {MS_NOTIFY_ALWAYS, 0, true, 0, true},   {MS_NOTIFY_ALWAYS, 0, false, 0, true},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        bool got =
            ms_notify_due(rows[i].on, rows[i].exit_code, rows[i].has_prev, rows[i].prev_exit);
        if (got != rows[i].want)
            fail_msg("row %zu: %d, expected %d", i, got, rows[i].want);
    }
}

/* The webhook as messages show it: never its user, path or query. */
static void test_where(void **state)
{
    (void)state;
    static const struct {
        const char *url, *want;
        bool valid;
    } rows[] = {
        {"https://hooks.slack.com/services/T0/B0/secret", "https://hooks.slack.com", true},
        {"http://user:pw@127.0.0.1:8080/hook?token=x", "http://127.0.0.1:8080", true},
        {"ftp://example.com/x", "ftp://example.com", false},
        {"not a url /secret", "(not a URL)", false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *got = NULL;
        const char *why = NULL;
        assert_int_equal(ms_notify_where(rows[i].url, &got), MS_OK);
        assert_string_equal(got, rows[i].want);
        free(got);
        assert_int_equal(ms_notify_url_valid(rows[i].url, &why), rows[i].valid);
        if (!rows[i].valid)
            assert_null(strstr(why, "secret"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_due), cmocka_unit_test(test_where)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
