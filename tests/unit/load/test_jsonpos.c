#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms/buf.h"
#include "ms/jsonpos.h"
#include "ms/jsontext.h"

static void test_positions(void **state)
{
    (void)state;
    const char *text = "{\n"
                       "  \"a\": 1,\n"
                       "  \"list\": [10, {\"k\": \"v\\\"x\"}],\n"
                       "  \"o\": {\"deep\": {\"x\": true}},\n"
                       "  \"a\": 2,\n"
                       "  \"a.b\": {\"c\": 3},\n"
                       "  \"\\u00e9t\\u00e9\": [],\n"
                       "  \"r\": {\"x\": 1, \"x\": 2, \"x\": 3},\n"
                       "  \"r\": {\"y\": 4, \"x\": 5}\n"
                       "}\n";
    static const struct {
        const char *path;
        bool key;
        int line, col;
    } rows[] = {
        {"", false, 1, 1},
        {"a", false, 2, 8},
        {"a", true, 2, 3},
        {"list.0", false, 3, 12},
        {"list.1", false, 3, 16},
        {"list.1.k", true, 3, 17},
        {"list.1.k", false, 3, 22},
        {"o.deep.x", true, 4, 18},
        {"a#2", true, 5, 3},
        {"a#2", false, 5, 8},
        /* a key with a dot in it */
        {"a.b", true, 6, 3},
        {"a.b.c", false, 6, 16},
        /* keys are found decoded, as cJSON gives them */
        {"\xc3\xa9t\xc3\xa9", true, 7, 3},
        /* repeats are numbered in their object; a repeated key's insides keep the first */
        {"r.x", false, 8, 14},
        {"r.x#2", true, 8, 17},
        {"r.x#3", false, 8, 30},
        {"r#2", true, 9, 3},
        {"r.y", false, 9, 14},
        /* unknown paths fall back to the nearest parent's value */
        {"o.deep.missing", true, 4, 17},
        {"nothing.at.all", true, 1, 1},
        {"list.7", false, 3, 11},
    };
    ms_jsonpos *idx = NULL;
    ms_json_error err;
    assert_int_equal(ms_jsonpos_build(text, strlen(text), &idx, &err), MS_OK);
    assert_null(err.message);
    /* the same places from the index as built, and from one made again after each shedding
     * (ms_jsonpos_shed: a lookup scans the text again) */
    for (int pass = 0; pass < 3; pass++) {
        if (pass > 0)
            ms_jsonpos_shed(idx);
        for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
            int line = 0, col = 0;
            assert_true(ms_jsonpos_find(idx, rows[i].path, rows[i].key, &line, &col));
            if (line != rows[i].line || col != rows[i].col)
                fail_msg("pass %d, %s: %d:%d, expected %d:%d", pass, rows[i].path, line, col,
                         rows[i].line, rows[i].col);
        }
    }
    /* a byte's place, with the index shed: forward, then back */
    ms_jsonpos_shed(idx);
    static const struct {
        size_t off;
        int line, col;
    } at[] = {{4, 2, 3}, {sizeof "{\n  \"a\": 1,\n  \"li" - 1, 3, 6}, {0, 1, 1}, {1, 1, 2}};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        int line = 0, col = 0;
        ms_jsonpos_linecol(idx, at[i].off, &line, &col);
        if (line != at[i].line || col != at[i].col)
            fail_msg("offset %zu: %d:%d, expected %d:%d", at[i].off, line, col, at[i].line,
                     at[i].col);
    }
    ms_jsonpos_free(idx);
    ms_jsonpos_free(NULL);
    ms_jsonpos_shed(NULL);
}

/* Texts the strict scan refuses: where, and the message. Every one of them ends: before the
 * scan was strict, the first rows looped allocating forever. */
static void test_refused(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        size_t len; /* 0: strlen */
        int line, col;
        const char *message;
    } rows[] = {
        {"[\x01{}]", 0, 1, 2, "not valid JSON: control character U+0001 between values"},
        {"{\"sections\": [\f{}]}", 0, 1, 15, "control character U+000C between values"},
        {"{\"a\": 1}\x0b", 0, 1, 9, "control character U+000B between values"},
        {"[1, 2]\0", 7, 1, 7, "control character U+0000 between values"},
        {"{\"t\": \"a\tb\"}", 0, 1, 9,
         "control character U+0009 inside a string (write it as \\t)"},
        {"{\"t\": \"a\x1f\"}", 0, 1, 9, "U+001F inside a string (write it as \\u001F)"},
        {"{\"t\": \"a\nb\"}", 0, 1, 9, "a line break inside a string"},
        {"{\"t\": \"caf\xe9\"}", 0, 1, 11, "not valid UTF-8 (byte 0xE9)"},
        {"{\"t\": \"\xc0\xaf\"}", 0, 1, 8, "not valid UTF-8 (byte 0xC0)"},         /* overlong */
        {"{\"t\": \"\xed\xa0\x80\"}", 0, 1, 8, "not valid UTF-8 (byte 0xED)"},     /* surrogate */
        {"{\"t\": \"\xf4\x90\x80\x80\"}", 0, 1, 8, "not valid UTF-8 (byte 0xF4)"}, /* > U+10FFFF */
        {"{\"t\": \"\xe2\x82\"}", 0, 1, 8, "not valid UTF-8 (byte 0xE2)"},         /* cut short */
        {"{\"\xff\": 1}", 0, 1, 3, "not valid UTF-8 (byte 0xFF)"},
        {"{\"t\": \"\\uD800\"}", 0, 1, 8, "\\uD800 is the first half of a UTF-16 surrogate pair"},
        {"{\"t\": \"\\ud83d\\u0041\"}", 0, 1, 8, "\\uD83D is the first half"},
        {"{\"t\": \"\\uDC00x\"}", 0, 1, 8, "\\uDC00 is the second half"},
        {"{\"t\": \"a\\u0000\"}", 0, 1, 9, "\\u0000 (the NUL character) cannot be used"},
        {"{\"t\": \"\\u12G4\"}", 0, 1, 8, "\\u must be followed by four hexadecimal digits"},
        {"{\"t\": \"\\x\"}", 0, 1, 8, "\\x is not an escape"},
        {"{\"t\": \"abc", 0, 1, 7, "a string without its closing quote"},
        {"{\"format\": 1,,}", 0, 1, 14, "not valid JSON: expected a field name in double quotes"},
        {"{\"a\": 1,}", 0, 1, 9, "a comma before '}'"},
        {"[1,]", 0, 1, 4, "a comma before ']'"},
        {"{\"a\" 1}", 0, 1, 6, "expected ':' after the field name"},
        {"{\"a\": 1 \"b\": 2}", 0, 1, 9, "expected ',' or '}'"},
        {"[1 2]", 0, 1, 4, "expected ',' or ']'"},
        {"{\"format\": 1,\n  \"id\": \"t\",\n  \"sections\": [\n", 0, 4, 1,
         "the text ends too early (expected a value)"},
        {"", 0, 1, 1, "not valid JSON: the text is empty"},
        {" \n ", 0, 2, 2, "not valid JSON: the text is empty"},
        {"{} {}", 0, 1, 4, "more text after the end of the JSON value"},
        {"[tru]", 0, 1, 2, "expected a value"},
        {"[+1]", 0, 1, 2, "expected a value"},
        {"[.5]", 0, 1, 2, "expected a value"},
        {"[01]", 0, 1, 2, "a number cannot start with 0 and another digit"},
        {"[-]", 0, 1, 3, "expected a digit after '-'"},
        {"[1.]", 0, 1, 4, "expected a digit after the decimal point"},
        {"[1e+]", 0, 1, 5, "expected a digit in the exponent"},
        {"[NaN]", 0, 1, 2, "expected a value"},
        {"[1234567890123456789012345678901234567890123456789012345678901234]", 0, 1, 2,
         "a number longer than 63 characters"},
        {"\xef\xbb\xbf\xef\xbb\xbf{}", 0, 1, 4, "expected a value"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ms_jsonpos *idx = NULL;
        ms_json_error err;
        size_t len = rows[i].len ? rows[i].len : strlen(rows[i].text);
        ms_status rc = ms_jsonpos_build(rows[i].text, len, &idx, &err);
        if (rc != MS_ERR_INVALID || err.line != rows[i].line || err.col != rows[i].col ||
            !strstr(err.message, rows[i].message))
            fail_msg("row %zu: status %d at %d:%d: %s; expected %d:%d: %s", i, rc, err.line,
                     err.col, err.message ? err.message : "(none)", rows[i].line, rows[i].col,
                     rows[i].message);
        assert_null(idx);
        ms_json_error_cleanup(&err);
    }
    ms_json_error_cleanup(NULL);
}

/* Texts the strict scan accepts: cJSON must accept every one (ms_json_parse says NOMEM if it
 * does not), with the same strings. */
static void test_accepted(void **state)
{
    (void)state;
    static const struct {
        const char *text, *t; /* the value of "t", when there is one */
    } rows[] = {
        {"{\"t\": \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}",
         "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"},
        {"{\"t\": \"\\u00e9\\u20AC\\uD83D\\uDE00\"}", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"},
        {"{\"t\": \"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}", "\"\\/\b\f\n\r\t"},
        {"{\"t\": \"del \x7f ok\"}", "del \x7f ok"},
        {"\xef\xbb\xbf{\"t\": \"bom\"}", "bom"},
        {"\r\n\t {\"t\" : \"ws\" } \r\n", "ws"},
        {"[0, -0, 1.5, -2e10, 3E-2, 4e+1, 123456789012345678901234567890]", NULL},
        {"[true, false, null, {}, [], \"\", {\"\": 1}]", NULL},
        {"7", NULL},
        {"\"s\"", NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        cJSON *doc = NULL;
        ms_jsonpos *idx = NULL;
        ms_json_error err;
        ms_status rc = ms_json_parse(rows[i].text, strlen(rows[i].text), &doc, &idx, &err);
        if (rc != MS_OK)
            fail_msg("row %zu: status %d: %s", i, rc, err.message ? err.message : "(none)");
        assert_non_null(idx);
        if (rows[i].t) {
            const cJSON *t = cJSON_GetObjectItemCaseSensitive(doc, "t");
            assert_true(cJSON_IsString(t));
            assert_string_equal(t->valuestring, rows[i].t);
        }
        cJSON_Delete(doc);
        ms_jsonpos_free(idx);
    }
}

/* One depth limit: MS_JSON_MAX_DEPTH levels are read (by the scan and by cJSON), one more is
 * refused with its place, however deep the text goes (cJSON alone would stop at 1000). */
static void test_depth(void **state)
{
    (void)state;
    static const struct {
        size_t depth;
        bool ok;
    } rows[] = {
        {MS_JSON_MAX_DEPTH, true}, {MS_JSON_MAX_DEPTH + 1, false}, {201, false}, {5000, false}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        /* {"a": [[[...]]]}: the object is the first level */
        ms_buf b;
        ms_buf_init(&b, 0);
        ms_buf_adds(&b, "{\"a\": ");
        for (size_t d = 1; d < rows[i].depth; d++)
            ms_buf_addc(&b, '[');
        for (size_t d = 1; d < rows[i].depth; d++)
            ms_buf_addc(&b, ']');
        ms_buf_adds(&b, "}");
        cJSON *doc = NULL;
        ms_jsonpos *idx = NULL;
        ms_json_error err;
        ms_status rc = ms_json_parse(ms_buf_str(&b), b.len, &doc, &idx, &err);
        if (rows[i].ok) {
            assert_int_equal(rc, MS_OK);
            assert_non_null(doc);
        } else {
            assert_int_equal(rc, MS_ERR_INVALID);
            assert_int_equal(err.line, 1);
            assert_int_equal(err.col, 7 + MS_JSON_MAX_DEPTH - 1);
            assert_non_null(strstr(err.message, "nested more than 100 deep"));
        }
        cJSON_Delete(doc);
        ms_jsonpos_free(idx);
        ms_json_error_cleanup(&err);
        ms_buf_cleanup(&b);
    }
}

/* Many keys in one object, the same key many times, many lookups: each found at its place. */
static void test_many_keys(void **state)
{
    (void)state;
    enum { N = 20000 };
    ms_buf b;
    ms_buf_init(&b, 0);
    ms_buf_adds(&b, "{\"v\": {\n");
    for (int i = 0; i < N; i++)
        ms_buf_printf(&b, "\"k%d\": %d,\n", i, i);
    for (int i = 0; i < N; i++)
        ms_buf_printf(&b, "\"same\": {\"x\": %d},\n", i);
    ms_buf_adds(&b, "\"end\": 0}}\n");
    ms_jsonpos *idx = NULL;
    ms_json_error err;
    assert_int_equal(ms_jsonpos_build(ms_buf_str(&b), b.len, &idx, &err), MS_OK);
    for (int i = 0; i < N; i += 997) {
        char path[64];
        int line, col;
        snprintf(path, sizeof path, "v.k%d", i);
        assert_true(ms_jsonpos_find(idx, path, true, &line, &col));
        assert_int_equal(line, i + 2);
        assert_int_equal(col, 1);
        if (i)
            snprintf(path, sizeof path, "v.same#%d", i + 1);
        else
            snprintf(path, sizeof path, "v.same");
        assert_true(ms_jsonpos_find(idx, path, false, &line, &col));
        assert_int_equal(line, N + i + 2);
        assert_int_equal(col, 9);
    }
    int line, col;
    assert_true(ms_jsonpos_find(idx, "v.same.x", false, &line, &col)); /* the first one's */
    assert_int_equal(line, N + 2);
    ms_jsonpos_free(idx);
    ms_buf_cleanup(&b);
}

/* Values deeper than the first scan indexes are found by a second scan on the first lookup that
 * needs one, with the answers a full index gives; shallower lookups before and after agree. */
static void test_deep(void **state)
{
    (void)state;
    const char *text = "{\"sections\": [\n"
                       " {\"checks\": [\n"
                       "  {\"id\": \"a\",\n"
                       "   \"request\": {\"headers\": {\"X\": 1, \"X\": 2}},\n"
                       "   \"r\": {\"deep\": {\"er\": [0, {\"k\": true}]}}},\n"
                       "  {\"a.b.c.d.e\": 5}\n"
                       " ]}\n"
                       "]}\n";
    static const struct {
        const char *path;
        bool key;
        int line, col;
    } rows[] = {
        /* within MS_JSONPOS_SHALLOW (4): answered by the first scan */
        {"sections.0.checks.0", false, 3, 3},
        {"sections.0.checks.1", false, 6, 3},
        /* deeper: the whole text is indexed now */
        {"sections.0.checks.0.id", true, 3, 4},
        {"sections.0.checks.0.request.headers.X#2", true, 4, 36},
        {"sections.0.checks.0.request.headers.X", false, 4, 33},
        {"sections.0.checks.0.r.deep.er.1.k", false, 5, 35},
        {"sections.0.checks.0.r.deep.er.7", false, 5, 25},
        /* a key with dots: more parts than its depth, found as before */
        {"sections.0.checks.1.a.b.c.d.e", true, 6, 4},
        {"sections.0.checks.1", false, 6, 3},
        {"sections.0.checks.0", false, 3, 3},
    };
    for (int pass = 0; pass < 2; pass++) {
        /* pass 1 asks the deep path first, so the shallow lookups come after the second scan */
        ms_jsonpos *idx = NULL;
        ms_json_error err;
        assert_int_equal(ms_jsonpos_build(text, strlen(text), &idx, &err), MS_OK);
        size_t n = sizeof rows / sizeof rows[0];
        for (size_t k = 0; k < n; k++) {
            size_t i = pass ? n - 1 - k : k;
            int line = 0, col = 0;
            assert_true(ms_jsonpos_find(idx, rows[i].path, rows[i].key, &line, &col));
            if (line != rows[i].line || col != rows[i].col)
                fail_msg("%s: %d:%d, expected %d:%d", rows[i].path, line, col, rows[i].line,
                         rows[i].col);
        }
        assert_false(ms_jsonpos_nomem(idx));
        ms_jsonpos_free(idx);
    }
}

/* A deep lookup indexes the check it goes through, and every other value at that check's path
 * (in a repeated key's later value), as the whole index would: a field only the later one has is
 * found there. */
static void test_deep_repeated(void **state)
{
    (void)state;
    const char *text = "{\"sections\": [{\"checks\": [{\"id\": \"a\"}]}],\n"
                       " \"sections\": [{\"checks\": [{\"id\": \"b\",\n"
                       "   \"title\": {\"x\": 1}}]}]}";
    ms_jsonpos *idx = NULL;
    ms_json_error err;
    int line, col;
    assert_int_equal(ms_jsonpos_build(text, strlen(text), &idx, &err), MS_OK);
    assert_true(ms_jsonpos_find(idx, "sections.0.checks.0.id", true, &line, &col));
    assert_int_equal(line, 1); /* the first one's */
    assert_int_equal(col, 28);
    assert_true(ms_jsonpos_find(idx, "sections.0.checks.0.title.x", false, &line, &col));
    assert_int_equal(line, 3);
    assert_int_equal(col, 19);
    ms_jsonpos_free(idx);
}

/* The values at a path written as {}, with where they were: a checklist without its checks. A
 * repeated key's later value, and values elsewhere, stay as they are. */
static void test_hollow(void **state)
{
    (void)state;
    const char *text = "{\"sections\": [{\"id\": \"s\", \"checks\": [{\"id\": \"a\"}, \"x\",\n"
                       "  {\"id\": \"b\", \"deep\": [1, {\"k\": [2]}]}],\n"
                       "  \"checks\": [{\"id\": \"later\"}]}, {\"checks\": [[]]}],\n"
                       " \"other\": [{\"checks\": [{}]}], \"sections\": [{\"checks\": [7]}]}";
    const char *want = "{\"sections\": [{\"id\": \"s\", \"checks\": [{}, {},\n"
                       "  {}],\n"
                       "  \"checks\": [{\"id\": \"later\"}]}, {\"checks\": [{}]}],\n"
                       " \"other\": [{\"checks\": [{}]}], \"sections\": [{\"checks\": [7]}]}";
    static const struct {
        size_t section, check;
        const char *value;
    } spans[] = {
        {0, 0, "{\"id\": \"a\"}"},
        {0, 1, "\"x\""},
        {0, 2, "{\"id\": \"b\", \"deep\": [1, {\"k\": [2]}]}"},
        {1, 0, "[]"},
    };
    static const char *const parts[MS_JSONPOS_SHALLOW] = {"sections", NULL, "checks", NULL};
    ms_jsonpos *idx = NULL;
    ms_json_error err;
    assert_int_equal(ms_jsonpos_build(text, strlen(text), &idx, &err), MS_OK);
    for (int pass = 0; pass < 2; pass++) {
        /* the second time with the whole text indexed (a deep lookup before): the same */
        char *out = NULL;
        size_t len = 0, n = 0;
        ms_json_span *sp = NULL;
        assert_int_equal(ms_jsonpos_hollow(idx, parts, &out, &len, &sp, &n), MS_OK);
        assert_string_equal(out, want);
        assert_int_equal(len, strlen(want));
        assert_int_equal(n, sizeof spans / sizeof spans[0]);
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(sp[i].index[1], spans[i].section);
            assert_int_equal(sp[i].index[3], spans[i].check);
            assert_int_equal(sp[i].len, strlen(spans[i].value));
            assert_memory_equal(text + sp[i].off, spans[i].value, sp[i].len);
        }
        free(out);
        free(sp);
        int line, col;
        assert_true(ms_jsonpos_find(idx, "sections.0.checks.2.deep.1.k", false, &line, &col));
        assert_int_equal(line, 2);
    }
    ms_jsonpos_free(idx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions), cmocka_unit_test(test_refused),
        cmocka_unit_test(test_accepted),  cmocka_unit_test(test_depth),
        cmocka_unit_test(test_many_keys), cmocka_unit_test(test_deep),
        cmocka_unit_test(test_hollow),    cmocka_unit_test(test_deep_repeated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
