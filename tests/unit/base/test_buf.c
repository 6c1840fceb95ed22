#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "ms/buf.h"

static void test_sparkline(void **state)
{
    (void)state;
    const double v[] = {1, 2, 3, 9, 5};
    const bool all[] = {true, true, true, true, true}, gap[] = {true, false, true, true, true};
    ms_buf b;
    ms_buf_init(&b, 0);
    ms_buf_add_sparkline(&b, v, all, 3); /* 2 is half way: 0.5 * 7 + 0.5 rounds to bar 4 */
    assert_string_equal(ms_buf_str(&b), "▁▅█");
    ms_buf_reset(&b);
    ms_buf_add_sparkline(&b, v, gap, 5); /* a dot for no value; scaled over those that have one */
    assert_string_equal(ms_buf_str(&b), "▁·▃█▅");
    ms_buf_reset(&b);
    ms_buf_add_sparkline(&b, v + 3, all, 1); /* all equal */
    assert_string_equal(ms_buf_str(&b), "▄");
    ms_buf_cleanup(&b);
}

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

/* The Prometheus text format: label values escape backslash, double quote and line feed; HELP
 * texts backslash and line feed; both stay valid UTF-8. */
static void test_prom_escaping(void **state)
{
    (void)state;
    static const struct {
        const char *in, *label, *help;
    } rows[] = {
        {"plain", "plain", "plain"},
        {"say \"hi\"", "say \\\"hi\\\"", "say \"hi\""},
        {"back\\slash", "back\\\\slash", "back\\\\slash"},
        {"two\nlines", "two\\nlines", "two\\nlines"},
        {"tab\there", "tab\there", "tab\there"},
        {"T\xE1\xBB\x95ng \xC4\x91\xC3\xA0i", "T\xE1\xBB\x95ng \xC4\x91\xC3\xA0i",
         "T\xE1\xBB\x95ng \xC4\x91\xC3\xA0i"}, /* Tổng đài */
        {"bad \xC3 byte", "bad \xEF\xBF\xBD byte", "bad \xEF\xBF\xBD byte"},
        {"\\\"\n", "\\\\\\\"\\n", "\\\\\"\\n"},
        {"", "", ""},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ms_buf b;
        ms_buf_init(&b, 0);
        assert_int_equal(ms_buf_add_prom(&b, rows[i].in, true), MS_OK);
        assert_string_equal(ms_buf_str(&b), rows[i].label);
        ms_buf_reset(&b);
        assert_int_equal(ms_buf_add_prom(&b, rows[i].in, false), MS_OK);
        assert_string_equal(ms_buf_str(&b), rows[i].help);
        ms_buf_cleanup(&b);
    }
    ms_buf b; /* out of room: the failure is said and remembered */
    ms_buf_init(&b, 4);
    assert_int_equal(ms_buf_add_prom(&b, "a\"b\"c", true), MS_ERR_NOMEM);
    assert_true(b.failed);
    ms_buf_cleanup(&b);
}

#define FFFD "\xEF\xBF\xBD"

/* The one decoder: what is a character, what is one bad byte. */
static void test_utf8_decode(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        size_t len, n;
        long cp;
    } rows[] = {
        {"A", 1, 1, 'A'},
        {"\xC3\xA0", 2, 2, 0xE0},            /* à */
        {"\xE1\xBB\x95", 3, 3, 0x1ED5},      /* ổ */
        {"\xF0\x9F\x98\x80", 4, 4, 0x1F600}, /* an emoji */
        {"\xC2\x9B", 2, 2, 0x9B},            /* C1 CSI: valid, cleaned elsewhere */
        {"\x80", 1, 1, -1},                  /* a lone continuation byte */
        {"\xC0\xAF", 2, 1, -1},              /* overlong "/" */
        {"\xE0\x80\xAF", 3, 1, -1},          /* overlong "/" */
        {"\xED\xA0\x80", 3, 1, -1},          /* a surrogate */
        {"\xF4\x90\x80\x80", 4, 1, -1},      /* beyond U+10FFFF */
        {"\xE1\xBB", 2, 1, -1},              /* cut off by the length */
        {"\xE1\xBB\x95", 2, 1, -1},          /* the length ends inside the character */
        {"\xC3"
         "A",
         2, 1, -1}, /* a lead byte without its continuation */
        {"", 0, 0, -1},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        long cp = 0;
        assert_int_equal(ms_utf8_decode(rows[i].in, rows[i].len, &cp), rows[i].n);
        assert_int_equal(cp, rows[i].cp);
    }
}

static void test_utf8_repair_and_cut(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } rows[] = {
        {"T\xE1\xBB\x95ng \xC4\x91\xC3\xA0i", "T\xE1\xBB\x95ng \xC4\x91\xC3\xA0i"},
        {"bad \xC3 byte", "bad " FFFD " byte"},
        {"\xFF\xFE", FFFD FFFD},
        {"cut \xE1\xBB", "cut " FFFD FFFD},
        {"ctl \x1b[31m stays", "ctl \x1b[31m stays"}, /* valid UTF-8: the JSON escapes it */
        {"", ""},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ms_buf b;
        ms_buf_init(&b, 0);
        assert_int_equal(ms_buf_add_utf8(&b, rows[i].in, strlen(rows[i].in)), MS_OK);
        assert_string_equal(ms_buf_str(&b), rows[i].out);
        assert_true(ms_utf8_valid(b.data ? b.data : "", b.len, NULL));
        ms_buf_cleanup(&b);
    }
    size_t bad = 0;
    assert_false(ms_utf8_valid("ok \xC3", 4, &bad));
    assert_int_equal(bad, 3);
    /* A cut never splits a character: "Tổng" cut at 2 or 3 bytes keeps only "T". */
    assert_int_equal(ms_utf8_prefix("T\xE1\xBB\x95ng", 6, 2), 1);
    assert_int_equal(ms_utf8_prefix("T\xE1\xBB\x95ng", 6, 3), 1);
    assert_int_equal(ms_utf8_prefix("T\xE1\xBB\x95ng", 6, 4), 4);
    assert_int_equal(ms_utf8_prefix("T\xE1\xBB\x95ng", 6, 99), 6);
}

/* Text for a terminal: one line, no escape sequences, valid UTF-8. */
static void test_clean_for_terminal(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } rows[] = {
        {"plain", "plain"},
        {"two\nlines\ttab", "two lines tab"},
        {"\x1b]0;owned\x07title", " ]0;owned title"},     /* OSC: set the window title */
        {"red \x1b[31mtext\x1b[0m", "red  [31mtext [0m"}, /* CSI colour */
        {"c1 \xC2\x9B"
         "31m",
         "c1  31m"}, /* the one-byte CSI U+009B */
        {"del\x7f", "del "},
        {"ls\xE2\x80\xA8ps\xE2\x80\xA9", "ls ps "}, /* U+2028, U+2029 */
        /* bidirectional controls: U+202E (right-to-left override), U+2066, U+2069, U+200F */
        {"a\xE2\x80\xAE"
         "cba\xE2\x81\xA6x\xE2\x81\xA9\xE2\x80\x8F",
         "a cba x  "},
        {"bad \xC3 byte", "bad " FFFD " byte"},
        {"\x9B"
         "31m",
         FFFD "31m"}, /* a raw C1 byte is invalid UTF-8 */
        {"Nh\xC3\xA2n vi\xC3\xAAn", "Nh\xC3\xA2n vi\xC3\xAAn"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ms_buf b;
        ms_buf_init(&b, 0);
        assert_int_equal(ms_buf_add_clean(&b, rows[i].in), MS_OK);
        assert_string_equal(ms_buf_str(&b), rows[i].out);
        ms_buf_cleanup(&b);
        /* the streamed cleaner, which messages use, writes the same */
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        assert_non_null(f);
        assert_int_equal(ms_fputs_clean(rows[i].in, f), MS_OK);
        fclose(f);
        assert_string_equal(text, rows[i].out);
        free(text);
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

/* Room made ahead is exactly what was asked (a file's size: not up to twice it), appending into
 * it allocates nothing, and the limit holds as for an append. */
static void test_reserve(void **state)
{
    (void)state;
    ms_buf b;
    ms_buf_init(&b, 100);
    assert_int_equal(ms_buf_reserve(&b, 70), MS_OK);
    assert_int_equal(b.cap, 71);
    assert_string_equal(ms_buf_str(&b), "");
    char *data = b.data;
    for (int i = 0; i < 7; i++)
        assert_int_equal(ms_buf_adds(&b, "0123456789"), MS_OK);
    assert_ptr_equal(b.data, data);
    assert_int_equal(b.cap, 71);
    assert_int_equal(ms_buf_reserve(&b, 10), MS_OK); /* 80 of 100 */
    assert_int_equal(b.cap, 81);
    assert_int_equal(ms_buf_reserve(&b, 31), MS_ERR_NOMEM);
    char *t = ms_buf_take(&b);
    assert_null(t); /* it remembers the failure, as an append does */
    ms_buf_cleanup(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xml_escaping),
        cmocka_unit_test(test_prom_escaping),
        cmocka_unit_test(test_json_escaping),
        cmocka_unit_test(test_utf8_decode),
        cmocka_unit_test(test_utf8_repair_and_cut),
        cmocka_unit_test(test_clean_for_terminal),
        cmocka_unit_test(test_limit_keeps_contents),
        cmocka_unit_test(test_printf_and_take),
        cmocka_unit_test(test_sparkline),
        cmocka_unit_test(test_reserve),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
