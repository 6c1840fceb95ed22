/* Diagnostics as data: problems said once, put in file order, counted, placed by the position
 * index, and printed in one style. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ms/diag.h"

typedef struct {
    const char *file;
    int line, col;
    const char *path, *message;
} row_problem;

/* Add, then print to a memory stream; "|" in the input ends the file being read (sorted when
 * sort). Returns what was printed (caller frees). */
static char *add_and_print(const row_problem *ps, bool sort, ms_diag *d)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    for (size_t i = 0; ps[i].file; i++) {
        if (strcmp(ps[i].file, "|") == 0)
            assert_int_equal(ms_diag_end_file(d, sort), MS_OK);
        else
            assert_int_equal(
                ms_diag_add(d, ps[i].file, ps[i].line, ps[i].col, ps[i].path, ps[i].message),
                MS_OK);
    }
    assert_int_equal(ms_diag_end_file(d, sort), MS_OK);
    assert_int_equal(ms_diag_print(d, out), MS_OK);
    fclose(out);
    return text;
}

static void test_add_sort_print(void **state)
{
    (void)state;
    static const struct {
        row_problem in[6];
        bool sort;
        const char *printed;
    } rows[] = {
        /* file order, a tie in the order found */
        {{{"a.json", 3, 1, "x", "third"},
          {"a.json", 1, 9, "y", "second"},
          {"a.json", 1, 2, "z", "first"},
          {"a.json", 1, 9, "w", "second too"}},
         true,
         "a.json:1:2: z: first\na.json:1:9: y: second\na.json:1:9: w: second too\n"
         "a.json:3:1: x: third\n"},
        /* the order found, when not sorted */
        {{{"a.json", 3, 1, "x", "late"}, {"a.json", 1, 1, "y", "early"}},
         false,
         "a.json:3:1: x: late\na.json:1:1: y: early\n"},
        /* said once in a file; again in another file, and in the same file read again */
        {{{"a.json", 2, 5, "k", "twice"},
          {"a.json", 2, 5, "k", "twice"},
          {"b.json", 2, 5, "k", "twice"},
          {"|", 0, 0, NULL, NULL},
          {"a.json", 2, 5, "k", "twice"}},
         true,
         "a.json:2:5: k: twice\nb.json:2:5: k: twice\na.json:2:5: k: twice\n"},
        /* the root has no path; a file that cannot be read has no place */
        {{{"a.json", 1, 1, "", "not an object"},
          {"|", 0, 0, NULL, NULL},
          {"b.json", 0, 0, "", "cannot open: gone"}},
         true,
         "a.json:1:1: not an object\nb.json: cannot open: gone\n"},
        /* the file's own text is cleaned on the terminal */
        {{{"a.json", 1, 4, "f\x1b[2J", "unknown field \"f\x1b[2J\""}},
         true,
         "a.json:1:4: f [2J: unknown field \"f [2J\"\n"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ms_diag d;
        ms_diag_init(&d);
        char *got = add_and_print(rows[i].in, rows[i].sort, &d);
        if (strcmp(got, rows[i].printed) != 0)
            fail_msg("row %zu: printed\n%s\nexpected\n%s", i, got, rows[i].printed);
        free(got);
        ms_diag_cleanup(&d);
    }
}

static void test_count(void **state)
{
    (void)state;
    ms_diag d;
    ms_diag_init(&d);
    assert_int_equal(ms_diag_add(&d, "a.json", 1, 1, "", "one"), MS_OK);
    assert_int_equal(ms_diag_add(&d, "b.json", 1, 1, "", "one"), MS_OK);
    assert_int_equal(ms_diag_add(&d, "a.json", 2, 1, "", "two"), MS_OK);
    assert_int_equal(ms_diag_count(&d, "a.json"), 2);
    assert_int_equal(ms_diag_count(&d, "b.json"), 1);
    assert_int_equal(ms_diag_count(&d, "c.json"), 0);
    ms_diag_cleanup(&d);
    ms_diag_cleanup(&d); /* harmless twice */
    assert_int_equal(d.n, 0);
}

static ms_status addf(ms_diag *d, ms_jsonpos *pos, const char *where, bool key, const char *fmt,
                      ...)
{
    va_list ap;
    va_start(ap, fmt);
    ms_status rc = ms_diag_vaddf(d, "f.json", pos, where, key, where, fmt, ap);
    va_end(ap);
    return rc;
}

/* A problem is placed where the index finds its value, or its key. */
static void test_positions(void **state)
{
    (void)state;
    static const char TEXT[] = "{\"a\": 1,\n  \"list\": [true,\n    {\"k\": \"v\"}]}";
    static const struct {
        const char *where;
        bool key;
        int line, col;
    } rows[] = {
        {"a", false, 1, 7},       {"a", true, 1, 2},
        {"list.0", false, 2, 12}, {"list.1.k", false, 3, 11},
        {"list.1.k", true, 3, 6}, {"list.1.nope", false, 3, 5}, /* not there: its nearest parent */
        {"", false, 1, 1},
    };
    ms_jsonpos *pos = NULL;
    ms_json_error err = {0, 0, NULL, NULL};
    assert_int_equal(ms_jsonpos_build(TEXT, strlen(TEXT), &pos, &err), MS_OK);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ms_diag d;
        ms_diag_init(&d);
        assert_int_equal(addf(&d, pos, rows[i].where, rows[i].key, "row %zu", i), MS_OK);
        assert_int_equal(d.n, 1);
        if (d.items[0].line != rows[i].line || d.items[0].col != rows[i].col)
            fail_msg("row %zu: %d:%d, expected %d:%d", i, d.items[0].line, d.items[0].col,
                     rows[i].line, rows[i].col);
        assert_string_equal(d.items[0].path, rows[i].where);
        assert_string_equal(d.items[0].file, "f.json");
        ms_diag_cleanup(&d);
    }
    ms_jsonpos_free(pos);
}

/* A problem keeps its English message (the machine form) and prints its translation; a
 * translation that is the message itself (English) is not copied. */
static void test_text(void **state)
{
    (void)state;
    static const struct {
        const char *message, *text; /* text NULL: ms_diag_add */
        bool has_text;
        const char *printed;
    } rows[] = {
        {"unknown field \"x\"", "trường \"x\" không hợp lệ", true,
         "a.json:1:2: p: trường \"x\" không hợp lệ\n"},
        {"unknown field \"x\"", "unknown field \"x\"", false,
         "a.json:1:2: p: unknown field \"x\"\n"},
        {"unknown field \"x\"", NULL, false, "a.json:1:2: p: unknown field \"x\"\n"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ms_diag d;
        char *printed = NULL;
        size_t len = 0;
        ms_diag_init(&d);
        assert_int_equal(
            rows[i].text ? ms_diag_add_text(&d, "a.json", 1, 2, "p", rows[i].message, rows[i].text)
                         : ms_diag_add(&d, "a.json", 1, 2, "p", rows[i].message),
            MS_OK);
        /* said once: the same problem again, translated or not */
        assert_int_equal(ms_diag_add(&d, "a.json", 1, 2, "p", rows[i].message), MS_OK);
        assert_int_equal(d.n, 1);
        assert_string_equal(d.items[0].message, rows[i].message);
        assert_int_equal(d.items[0].text != NULL, rows[i].has_text);
        FILE *out = open_memstream(&printed, &len);
        assert_int_equal(ms_diag_print(&d, out), MS_OK);
        fclose(out);
        assert_string_equal(printed, rows[i].printed);
        free(printed);
        ms_diag_cleanup(&d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_sort_print),
        cmocka_unit_test(test_count),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
