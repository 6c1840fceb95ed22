#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ms/redact.h"

/* The forms kept for one secret: the value, its percent-encodings and its JSON escaping, each
 * once, longest first; derived forms shorter than MS_SECRET_MIN are not kept. */
static void test_forms(void **state)
{
    (void)state;
    static const struct {
        const char *value;
        const char *forms[6]; /* longest first; ties in the order added */
    } rows[] = {
        {"plain-token", {"plain-token"}},
        {"a b/c", {"a%20b%2fc", "a%20b%2Fc", "a%20b/c", "a b/c"}},
        {"q\"uo\\te", {"q%22uo%5cte", "q%22uo%5Cte", "q\\\"uo\\\\te", "q\"uo\\te"}},
        {"\xC3\xA4", {"%c3%a4", "%C3%A4", "\xC3\xA4"}},
        {"x", {"x"}},
        {"", {NULL}},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ms_secrets s = {0};
        assert_int_equal(ms_secrets_add(&s, rows[i].value), MS_OK);
        assert_int_equal(ms_secrets_add(&s, rows[i].value), MS_OK); /* twice: kept once */
        size_t n = 0;
        while (n < 6 && rows[i].forms[n])
            n++;
        if (s.n != n)
            fail_msg("row %zu: %zu forms, expected %zu", i, s.n, n);
        for (size_t k = 0; k < n; k++)
            if (strcmp(s.forms[k], rows[i].forms[k]) != 0)
                fail_msg("row %zu: form %zu is %s, expected %s", i, k, s.forms[k],
                         rows[i].forms[k]);
        ms_secrets_cleanup(&s);
    }
}

/* One pass: at each position the longest form that matches; a cut text hides a form's start. */
static void test_redact(void **state)
{
    (void)state;
    static const struct {
        const char *secrets[3];
        const char *text;
        bool cut;
        const char *want;
    } rows[] = {
        {{"abcdef", "abcdefghXYZ"}, "abcdef.abcdefghXYZ.invalid", false, "***.***.invalid"},
        {{"abcdefghXYZ", "abcdef"}, "abcdefghXYZabcdef", false, "******"},
        {{"abcdef", "cdefgh"}, "abcdefgh", false, "***gh"},
        {{"abcdef"}, "abcdeabcdef abcdef", false, "abcde*** ***"},
        {{"abcdef"}, "no secret here", false, "no secret here"},
        {{"abcdef"}, "", false, ""},
        {{NULL}, "abcdef", false, "abcdef"},
        /* cut short by someone else's buffer: the secret's beginning at the end is hidden */
        {{"s3cret-token"}, "host: s3cret-to", true, "host: ***"},
        {{"s3cret-token"}, "host: s3cret-to", false, "host: s3cret-to"},
        {{"s3cret-token"}, "host: s3cret-token", true, "host: ***"},
        {{"s3cret-token"}, "host: s3cret-tokex", true, "host: s3cret-tokex"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ms_secrets s = {0};
        ms_buf out;
        ms_buf_init(&out, 0);
        for (size_t k = 0; k < 3 && rows[i].secrets[k]; k++)
            assert_int_equal(ms_secrets_add(&s, rows[i].secrets[k]), MS_OK);
        assert_int_equal(
            ms_secrets_redact(&s, rows[i].text, strlen(rows[i].text), rows[i].cut, &out), MS_OK);
        if (strcmp(ms_buf_str(&out), rows[i].want) != 0)
            fail_msg("row %zu: got %s, expected %s", i, ms_buf_str(&out), rows[i].want);
        ms_buf_cleanup(&out);
        ms_secrets_cleanup(&s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_redact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
