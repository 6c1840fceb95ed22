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

/* The tree made in a block reads as cJSON's own; with the bound from the strict scan's counts
 * nothing falls outside the block. */
static void test_same_tree(void **state)
{
    (void)state;
    cJSON *plain = cJSON_Parse(TEXT), *doc = NULL;
    ms_jsonpos *pos = NULL;
    ms_json_error err;
    assert_int_equal(ms_json_parse_read_only(TEXT, strlen(TEXT), &doc, &pos, &err), MS_OK);
    char *want = print(plain), *got = print(doc);
    assert_string_equal(got, want);
    assert_int_equal(ms_alloc_outside(doc), 0);
    free(want);
    free(got);
    ms_jsonpos_free(pos);
    ms_alloc_delete(doc);
    cJSON_Delete(plain);
}

/* A bound too small, at every size from nothing to enough: what does not fit is made with malloc
 * and freed with the document (ASan and valgrind see a leak or a bad free). */
static void test_every_bound(void **state)
{
    (void)state;
    cJSON *plain = cJSON_Parse(TEXT);
    char *want = print(plain);
    ms_jsonpos *pos = NULL;
    cJSON *doc = NULL;
    ms_json_error err;
    assert_int_equal(ms_json_parse_read_only(TEXT, strlen(TEXT), &doc, &pos, &err), MS_OK);
    ms_json_counts n = ms_jsonpos_counts(pos);
    size_t full = ms_alloc_bound(n.values, n.strings, n.string_bytes);
    ms_alloc_delete(doc);
    ms_jsonpos_free(pos);
    bool fell_outside = false;
    for (size_t bound = 0; bound <= full; bound += 8) {
        cJSON *d = ms_alloc_parse(TEXT, strlen(TEXT), bound);
        assert_non_null(d);
        fell_outside = fell_outside || ms_alloc_outside(d) > 0;
        char *got = print(d);
        assert_string_equal(got, want);
        free(got);
        ms_alloc_delete(d);
    }
    assert_true(fell_outside);
    free(want);
    cJSON_Delete(plain);
}

/* Several documents live at once, freed in any order, beside documents cJSON makes the usual
 * way; a text cJSON refuses gives NULL and keeps nothing. */
static void test_live_together(void **state)
{
    (void)state;
    cJSON *a = ms_alloc_parse(TEXT, strlen(TEXT), 4096);
    cJSON *b = ms_alloc_parse("[1, 2, 3]", 9, 4096);
    cJSON *made = cJSON_CreateObject();
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(cJSON_AddStringToObject(made, "k", "made while two blocks live"));
    assert_null(ms_alloc_parse("[1, 2", 5, 4096));
    assert_int_equal(cJSON_GetArraySize(b), 3);
    ms_alloc_delete(a);
    assert_int_equal(cJSON_GetArrayItem(b, 2)->valueint, 3);
    ms_alloc_delete(made); /* not from a block: cJSON_Delete */
    cJSON *c = ms_alloc_parse("{}", 2, 0);
    ms_alloc_delete(b);
    assert_true(cJSON_IsObject(c));
    ms_alloc_delete(c);
    ms_alloc_delete(NULL);
}

/* A large checklist-like document: counted right, nothing outside. */
static void test_large(void **state)
{
    (void)state;
    ms_buf b;
    ms_buf_init(&b, 0);
    ms_buf_adds(&b, "{\"checks\": [");
    for (int i = 0; i < 5000; i++)
        ms_buf_printf(&b, "%s{\"id\": \"c%d\", \"title\": \"Check \\u00e9 %d\", \"n\": %d}",
                      i ? ", " : "", i, i, i);
    ms_buf_adds(&b, "]}");
    cJSON *doc = NULL;
    ms_jsonpos *pos = NULL;
    ms_json_error err;
    assert_int_equal(ms_json_parse_read_only(ms_buf_str(&b), b.len, &doc, &pos, &err), MS_OK);
    assert_int_equal(ms_alloc_outside(doc), 0);
    const cJSON *last = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "checks"), 4999);
    assert_string_equal(cJSON_GetObjectItem(last, "title")->valuestring, "Check \xc3\xa9 4999");
    ms_alloc_delete(doc);
    ms_jsonpos_free(pos);
    ms_buf_cleanup(&b);
}

int main(void)
{
    ms_alloc_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_tree),
        cmocka_unit_test(test_every_bound),
        cmocka_unit_test(test_live_together),
        cmocka_unit_test(test_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
