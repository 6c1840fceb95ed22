/* The typed field readers the checklist and answers loaders share: each row reads the value of
 * "v" in {"v": VALUE} and gives what it read or the problem, with its place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ms/fields.h"
#include "ms/jsontext.h"

typedef enum { STRING, OBJECT, BOOL, NUMBER, WHOLE, MS, ENUM, STRINGS, ID, CHECK, UNKNOWN } reader;

static const char *const NAMES[] = {"median", "p90", "max", NULL};

/* Read v with r; *got is what was read as text (caller frees), or "-" when nothing was. */
static bool read_one(ms_fields *f, reader r, const cJSON *root, char **got)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "v");
    char buf[64] = "-";
    bool ok = false, b;
    double d;
    int64_t us;
    int i;
    char *s = NULL, **list = NULL;
    size_t n = 0;
    switch (r) {
    case STRING:
        if ((ok = ms_field_string(f, v, "v")))
            snprintf(buf, sizeof buf, "%s", v->valuestring);
        break;
    case OBJECT:
        ok = ms_field_object(f, v, "v");
        break;
    case BOOL:
        if ((ok = ms_field_bool(f, v, "v", &b)))
            snprintf(buf, sizeof buf, "%s", b ? "true" : "false");
        break;
    case NUMBER:
    case WHOLE:
        if ((ok = ms_field_number(f, v, "v", 1, 10, r == WHOLE, &d)))
            snprintf(buf, sizeof buf, "%g", d);
        break;
    case MS:
        if ((ok = ms_field_ms(f, v, "v", 0, 1000, false, &us)))
            snprintf(buf, sizeof buf, "%lld us", (long long)us);
        break;
    case ENUM:
        if ((ok = ms_field_enum(f, v, "v", NAMES, &i)))
            snprintf(buf, sizeof buf, "%d", i);
        break;
    case STRINGS:
        ok = ms_field_strings(f, v, "v", &list, &n);
        if (list) {
            size_t off = 0;
            buf[0] = '\0';
            for (size_t k = 0; k < n; k++) {
                if (off < sizeof buf)
                    off += (size_t)snprintf(buf + off, sizeof buf - off, "%s;", list[k]);
                free(list[k]);
            }
        }
        free(list);
        break;
    case ID:
        if ((ok = ms_field_id(f, cJSON_GetObjectItemCaseSensitive(v, "id"), "v", &s)))
            snprintf(buf, sizeof buf, "%s", s);
        free(s);
        break;
    case CHECK:
        ms_fields_check(f, v, "v", NAMES, NULL);
        ok = f->errors == 0;
        break;
    case UNKNOWN:
        ms_fields_unknown(f, v, "v", NAMES);
        ok = f->errors == 0;
        break;
    }
    *got = strdup(buf);
    return ok;
}

static void test_readers(void **state)
{
    (void)state;
    static const struct {
        reader r;
        const char *value;
        const char *got;     /* what was read ("-": nothing) */
        const char *problem; /* "LINE:COL: PATH: MESSAGE", or NULL */
    } rows[] = {
        {STRING, "\"x\"", "x", NULL},
        {STRING, "5", "-", "1:7: v: must be a string, not a number"},
        {OBJECT, "[]", "-", "1:7: v: must be an object, not an array"},
        {BOOL, "false", "false", NULL},
        {BOOL, "null", "-", "1:7: v: must be true or false, not null"},
        {NUMBER, "2.5", "2.5", NULL},
        {NUMBER, "\"2\"", "-", "1:7: v: must be a number, not a string"},
        {NUMBER, "11", "-", "1:7: v: must be a number from 1 to 10, not 11"},
        {WHOLE, "2.5", "-", "1:7: v: must be a whole number from 1 to 10, not 2.5"},
        {MS, "250.5", "250500 us", NULL},
        {MS, "-1", "-", "1:7: v: must be a number from 0 to 1000, not -1"},
        {ENUM, "\"max\"", "2", NULL},
        {ENUM, "\"p99\"", "-",
         "1:7: v: \"p99\" is not one of \"median\", \"p90\", \"max\" (did you mean \"p90\"?)"},
        {ENUM, "\"zzzzzz\"", "-", "1:7: v: \"zzzzzz\" is not one of \"median\", \"p90\", \"max\""},
        {STRINGS, "\"one\"", "one;", NULL},
        {STRINGS, "[\"a\", 1, \"b\"]", "a;b;", "1:13: v.1: must be a string, not a number"},
        {STRINGS, "{}", "-", "1:7: v: must be a string or an array of strings, not an object"},
        {ID, "{\"id\": \"a.b-c_1\"}", "a.b-c_1", NULL},
        {ID, "{\"id\": \"-a\"}", "-", "1:14: v.id: \"-a\" is not a valid id"},
        {ID, "{}", "-", "1:7: v: \"id\" is required"},
        {CHECK, "{\"max\": 1, \"p90\": 2}", "-", NULL},
        {CHECK, "{\"medain\": 1}", "-",
         "1:8: v.medain: unknown field \"medain\" (did you mean \"median\"?)"},
        {CHECK, "{\"max\": 1, \"max\": 2}", "-", "1:18: v.max: field \"max\" is given twice"},
        {UNKNOWN, "{\"max\": 1, \"max\": 2}", "-", NULL}, /* the answers file's reading */
        {UNKNOWN, "{\"mx\": 1}", "-", "1:8: v.mx: unknown field \"mx\" (did you mean \"max\"?)"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char text[256], *got = NULL;
        snprintf(text, sizeof text, "{\"v\": %s}", rows[i].value);
        cJSON *root = NULL;
        ms_jsonpos *pos = NULL;
        ms_json_error err = {0, 0, NULL, NULL};
        assert_int_equal(ms_json_parse(text, strlen(text), &root, &pos, &err), MS_OK);
        ms_diag d;
        ms_diag_init(&d);
        ms_fields f = {.file = "f.json", .pos = pos, .diag = &d};
        bool ok = read_one(&f, rows[i].r, root, &got);
        assert_false(f.nomem);
        if (strcmp(got, rows[i].got) != 0)
            fail_msg("row %zu: read %s, expected %s", i, got, rows[i].got);
        if (!rows[i].problem) {
            if (d.n)
                fail_msg("row %zu: unexpected problem %s", i, d.items[0].message);
            assert_true(ok || rows[i].r == STRINGS);
        } else {
            char line[300];
            assert_true(d.n >= 1);
            assert_int_equal(f.errors, d.n);
            snprintf(line, sizeof line, "%d:%d: %s: %s", d.items[0].line, d.items[0].col,
                     d.items[0].path, d.items[0].message);
            if (strncmp(line, rows[i].problem, strlen(rows[i].problem)) != 0)
                fail_msg("row %zu: problem\n  %s\nexpected\n  %s", i, line, rows[i].problem);
        }
        free(got);
        ms_diag_cleanup(&d);
        ms_jsonpos_free(pos);
        cJSON_Delete(root);
    }
}

static void test_paths(void **state)
{
    (void)state;
    ms_diag d;
    ms_diag_init(&d);
    ms_fields f = {.file = "f.json", .diag = &d};
    char *a = ms_fields_path(&f, "", "sections");
    char *b = ms_fields_path_index(&f, a, 3);
    char *c = ms_fields_path(&f, b, "id");
    assert_string_equal(a, "sections");
    assert_string_equal(b, "sections.3");
    assert_string_equal(c, "sections.3.id");
    assert_false(f.nomem);
    /* made by copying, not printf: the edges of the digits and of the empty base */
    static const struct {
        const char *base;
        size_t i;
        const char *want;
    } rows[] = {{"a", 0, "a.0"},
                {"a", 9, "a.9"},
                {"a", 10, "a.10"},
                {"", 7, ".7"},
                {"x.y", 4294967295u, "x.y.4294967295"}};
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        char *p = ms_fields_path_index(&f, rows[k].base, rows[k].i);
        assert_string_equal(p, rows[k].want);
        free(p);
    }
    char *e = ms_fields_path(&f, "a", "");
    assert_string_equal(e, "a.");
    free(e);
    /* a path that could not be made before (NULL) is memory that ran out: said, not hidden */
    assert_null(ms_fields_path(&f, NULL, "id"));
    assert_true(f.nomem);
    free(a);
    free(b);
    free(c);
    ms_diag_cleanup(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_readers),
        cmocka_unit_test(test_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
