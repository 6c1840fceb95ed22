#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ms/jsonpos.h"

static void test_positions(void **state)
{
    (void)state;
    const char *text = "{\n"
                       "  \"a\": 1,\n"
                       "  \"list\": [10, {\"k\": \"v\\\"x\"}],\n"
                       "  \"o\": {\"deep\": {\"x\": true}},\n"
                       "  \"a\": 2\n"
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
        /* unknown paths fall back to the nearest parent's value */
        {"o.deep.missing", true, 4, 17},
    };
    ms_jsonpos *idx = NULL;
    assert_int_equal(ms_jsonpos_build(text, strlen(text), &idx), MS_OK);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int line = 0, col = 0;
        assert_true(ms_jsonpos_find(idx, rows[i].path, rows[i].key, &line, &col));
        if (line != rows[i].line || col != rows[i].col)
            fail_msg("%s: %d:%d, expected %d:%d", rows[i].path, line, col, rows[i].line,
                     rows[i].col);
    }
    ms_jsonpos_free(idx);
    ms_jsonpos_free(NULL);
}

static void test_offsets(void **state)
{
    (void)state;
    int line, col;
    ms_offset_linecol("ab\ncd\n", 4, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_positions),
                                       cmocka_unit_test(test_offsets)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
