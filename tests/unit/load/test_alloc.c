#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms/alloc.h"
#include "ms/buf.h"
#include "ms/jsontext.h"

/* Keys and strings of every kind cJSON allocates for: empty, escaped, \u and surrogate pairs,
 * long, in objects and arrays, beside numbers and literals. */
static const char TEXT[] =
    "{\"format\": 1, \"\": \"\", \"esc\": \"a\\\"b\\\\c\\n\\t\\u00e9\\ud83d\\ude00\",\n"
    " \"list\": [1, -2.5e3, true, false, null, \"x\", [], {}],\n"
    " \"deep\": {\"a\": {\"b\": {\"c\": [\"yes\", {\"\\u00e9t\\u00e9\": \"long long long long long "
    "long long long long long long long long long text\"}]}}}}";

static char *print(const cJSON *doc)
{
    char *text = cJSON_PrintUnformatted(doc);
    assert_non_null(text);
    return text;
}

/* The tree made in an arena reads as cJSON's own; short strings are all carved. */
static void test_same_tree(void **state)
{
    (void)state;
    cJSON *plain = cJSON_Parse(TEXT), *doc = NULL;
    ms_jsonpos *pos = NULL;
    ms_json_error err;
    assert_int_equal(ms_json_parse_read_only(TEXT, strlen(TEXT), &doc, &pos, &err), MS_OK);
    char *want = print(plain), *got = print(doc);
    assert_string_equal(got, want);
    assert_true(ms_alloc_in_arena(doc));
    assert_int_equal(ms_alloc_outside(doc), 0);
    free(want);
    free(got);
    ms_jsonpos_free(pos);
    ms_alloc_delete(doc);
    cJSON_Delete(plain);
}

/* Strings longer than a quarter of a chunk are made with malloc and freed with the document, the
 * carved pieces around them left to their chunks (ASan and valgrind see a leak or a bad free). */
static void test_long_strings(void **state)
{
    (void)state;
    ms_buf b;
    ms_buf_init(&b, 0);
    ms_buf_adds(&b, "[");
    for (int i = 0; i < 40; i++) {
        ms_buf_printf(&b, "%s{\"n\": %d, \"s\": \"", i ? ", " : "", i);
        for (int k = 0; k < (i % 3 == 0 ? 20000 : 10); k++)
            ms_buf_addc(&b, (char)('a' + k % 26));
        ms_buf_adds(&b, "\"}");
    }
    ms_buf_adds(&b, "]");
    cJSON *plain = cJSON_Parse(ms_buf_str(&b));
    cJSON *doc = ms_alloc_parse(ms_buf_str(&b), b.len);
    assert_non_null(doc);
    assert_int_equal(ms_alloc_outside(doc), 14); /* the strings of elements 0, 3, ... 39 */
    char *want = print(plain), *got = print(doc);
    assert_string_equal(got, want);
    free(want);
    free(got);
    ms_alloc_delete(doc);
    cJSON_Delete(plain);
    ms_buf_cleanup(&b);
}

/* Several documents live at once, freed in any order, beside documents cJSON makes the usual
 * way. */
static void test_live_together(void **state)
{
    (void)state;
    cJSON *a = ms_alloc_parse(TEXT, strlen(TEXT));
    cJSON *b = ms_alloc_parse("[1, 2, 3]", 9);
    cJSON *made = cJSON_CreateObject();
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(cJSON_AddStringToObject(made, "k", "made while two arenas live"));
    assert_true(ms_alloc_in_arena(a) && ms_alloc_in_arena(b));
    assert_false(ms_alloc_in_arena(made));
    assert_int_equal(cJSON_GetArraySize(b), 3);
    ms_alloc_delete(a);
    assert_int_equal(cJSON_GetArrayItem(b, 2)->valueint, 3);
    ms_alloc_delete(made); /* not from an arena: cJSON_Delete */
    cJSON *c = ms_alloc_parse("{}", 2);
    ms_alloc_delete(b);
    assert_true(cJSON_IsObject(c));
    ms_alloc_delete(c);
    ms_alloc_delete(NULL);
}

/* A large checklist-like document, over many chunks: every value where it belongs. */
static void test_large(void **state)
{
    (void)state;
    ms_buf b;
    ms_buf_init(&b, 0);
    ms_buf_adds(&b, "{\"checks\": [");
    for (int i = 0; i < 20000; i++)
        ms_buf_printf(&b, "%s{\"id\": \"c%d\", \"title\": \"Check \\u00e9 %d\", \"n\": %d}",
                      i ? ", " : "", i, i, i);
    ms_buf_adds(&b, "]}");
    cJSON *doc = NULL;
    ms_jsonpos *pos = NULL;
    ms_json_error err;
    assert_int_equal(ms_json_parse_read_only(ms_buf_str(&b), b.len, &doc, &pos, &err), MS_OK);
    assert_true(ms_alloc_in_arena(doc));
    assert_int_equal(ms_alloc_outside(doc), 0);
    const cJSON *checks = cJSON_GetObjectItem(doc, "checks");
    int i = 0;
    for (const cJSON *c = checks->child; c; c = c->next, i++) {
        char want[64];
        snprintf(want, sizeof want, "Check \xc3\xa9 %d", i);
        assert_string_equal(cJSON_GetObjectItem(c, "title")->valuestring, want);
        assert_int_equal(cJSON_GetObjectItem(c, "n")->valueint, i);
    }
    assert_int_equal(i, 20000);
    ms_alloc_delete(doc);
    ms_jsonpos_free(pos);
    ms_buf_cleanup(&b);
}

int main(void)
{
    ms_alloc_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_tree),
        cmocka_unit_test(test_long_strings),
        cmocka_unit_test(test_live_together),
        cmocka_unit_test(test_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
