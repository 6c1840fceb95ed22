#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ms/buf.h"

static void test_xml_escaping(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } rows[] = {
        {"plain", "plain"},
        {"a & b", "a &amp; b"},
        {"<tag attr=\"v\">", "&lt;tag attr=&quot;v&quot;&gt;"},
        {"it's", "it&apos;s"},
        {"line\nbreak\ttab", "line&#10;break&#9;tab"},
        {"bell\x07gone", "bellgone"},
        {"T\xE1\xBB\x95ng \xC4\x91\xC3\xA0i", "T\xE1\xBB\x95ng \xC4\x91\xC3\xA0i"}, /* Tổng đài */
        {"bad \xC3 byte", "bad \xEF\xBF\xBD byte"},
        {"surrogate \xED\xA0\x80", "surrogate \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ms_buf b;
        ms_buf_init(&b, 0);
        assert_int_equal(ms_buf_add_xml(&b, rows[i].in), MS_OK);
        assert_string_equal(ms_buf_str(&b), rows[i].out);
        ms_buf_cleanup(&b);
    }
}

/* Escaped as the inside of a JSON string, as cJSON writes one (and so as cJSON reads it back). */
static void test_json_escaping(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } rows[] = {
        {"plain", "plain"},
        {"say \"hi\"", "say \\\"hi\\\""},
        {"back\\slash", "back\\\\slash"},
        {"\b\f\n\r\t", "\\b\\f\\n\\r\\t"},
        {"bell\x07 esc\x1b del\x7f", "bell\\u0007 esc\\u001b del\x7f"},
        {"T\xE1\xBB\x95ng /", "T\xE1\xBB\x95ng /"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ms_buf b;
        ms_buf_init(&b, 0);
        assert_int_equal(ms_buf_add_json(&b, rows[i].in), MS_OK);
        assert_string_equal(ms_buf_str(&b), rows[i].out);
        ms_buf_cleanup(&b);
    }
}

static void test_limit_keeps_contents(void **state)
{
    (void)state;
    ms_buf b;
    ms_buf_init(&b, 8);
    assert_int_equal(ms_buf_adds(&b, "12345678"), MS_OK);
    assert_int_equal(ms_buf_adds(&b, "9"), MS_ERR_NOMEM);
    assert_string_equal(ms_buf_str(&b), "12345678");
    assert_int_equal(ms_buf_printf(&b, "%d", 1), MS_ERR_NOMEM);
    assert_int_equal(b.len, 8);
    /* The failure is remembered: the contents are incomplete, so they cannot be taken. */
    assert_true(b.failed);
    assert_null(ms_buf_take(&b));
    assert_false(b.failed);
    assert_int_equal(ms_buf_adds(&b, "ok"), MS_OK);
    char *s = ms_buf_take(&b);
    assert_string_equal(s, "ok");
    free(s);
    ms_buf_cleanup(&b);
}

static void test_printf_and_take(void **state)
{
    (void)state;
    ms_buf b;
    ms_buf_init(&b, 0);
    assert_string_equal(ms_buf_str(&b), "");
    for (int i = 0; i < 1000; i++)
        assert_int_equal(ms_buf_printf(&b, "%03d,", i), MS_OK);
    assert_int_equal(b.len, 4000);
    assert_memory_equal(b.data + 3996, "999,", 4);
    char *s = ms_buf_take(&b);
    assert_null(b.data);
    assert_int_equal(strlen(s), 4000);
    free(s);
    s = ms_buf_take(&b); /* empty: still a string */
    assert_string_equal(s, "");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xml_escaping),
        cmocka_unit_test(test_json_escaping),
        cmocka_unit_test(test_limit_keeps_contents),
        cmocka_unit_test(test_printf_and_take),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
