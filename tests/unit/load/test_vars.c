/* Variables and their substitution: each context writes a value its own way, secrets from the
 * environment are shown as *** and kept in the plan, and what is wrong is said with its place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms/jsontext.h"
#include "ms/vars.h"

/* The variables of {"vars": VARS} with --var user=... over them. */
static const char VARS[] = "{\"vars\": {\"base\": \"http://127.0.0.1:9\", \"user\": \"x\",\n"
                           " \"token\": \"{{env.MS_VARS_TOKEN}}\"}}";

static void test_substitute(void **state)
{
    (void)state;
    static const struct {
        ms_subst ctx;
        const char *text;
        const char *value, *display; /* NULL: refused */
        const char *problem;         /* the message, or NULL */
    } rows[] = {
        {MS_SUBST_URL, "{{base}}/a?t={{token}}", "http://127.0.0.1:9/a?t=tok-123456",
         "http://127.0.0.1:9/a?t=***", NULL},
        {MS_SUBST_HEADER, "Bearer {{ env.MS_VARS_TOKEN }}", "Bearer tok-123456", "Bearer ***",
         NULL},
        {MS_SUBST_TEXT, "name={{user}}", "name=say \"hi\" \\", "name=say \"hi\" \\", NULL},
        /* JSON text: escaped inside a string, as it is outside one */
        {MS_SUBST_JSON, "{\"u\": \"{{user}}\", \"n\": {{n}}}",
         "{\"u\": \"say \\\"hi\\\" \\\\\", \"n\": 42}",
         "{\"u\": \"say \\\"hi\\\" \\\\\", \"n\": 42}", NULL},
        {MS_SUBST_JSON, "{\"a\": \"\\\"{{n}}\"}", "{\"a\": \"\\\"42\"}", "{\"a\": \"\\\"42\"}",
         NULL},
        {MS_SUBST_URL, "{{nope}}/x", NULL, NULL,
         "unknown variable {{nope}} (define it in \"vars\" or with --var)"},
        {MS_SUBST_TEXT, "{{base", NULL, NULL, "\"{{\" without a closing \"}}\""},
        {MS_SUBST_TEXT, "{{env.MS_VARS_UNSET}}", NULL, NULL,
         "environment variable MS_VARS_UNSET is not set"},
        {MS_SUBST_VAR, "{{base}}", NULL, NULL,
         "a variable's value may use only {{env.NAME}}, not {{base}}"},
        {MS_SUBST_VAR, "k{{env.MS_VARS_TOKEN}}", "ktok-123456", "k***", NULL},
        /* one trailing slash of a value goes when the text goes on with one, in every context */
        {MS_SUBST_URL, "{{slash}}/a", "http://h/a", "http://h/a", NULL},
        {MS_SUBST_URL, "{{slash}}?q", "http://h/?q", "http://h/?q", NULL},
        {MS_SUBST_URL, "{{slash}}//a", "http://h//a", "http://h//a", NULL},
        {MS_SUBST_JSON, "\"{{slash}}/x\"", "\"http://h/x\"", "\"http://h/x\"", NULL},
        {MS_SUBST_TEXT, "{{base}}/", "http://127.0.0.1:9/", "http://127.0.0.1:9/", NULL},
        /* a known name close by */
        {MS_SUBST_URL, "{{bsae}}/x", NULL, NULL,
         "unknown variable {{bsae}} (did you mean {{base}}?)"},
    };
    setenv("MS_VARS_TOKEN", "tok-123456", 1);
    unsetenv("MS_VARS_UNSET");
    cJSON *root = NULL;
    ms_jsonpos *pos = NULL;
    ms_json_error err = {0, 0, NULL, NULL};
    assert_int_equal(ms_json_parse(VARS, strlen(VARS), &root, &pos, &err), MS_OK);
    const ms_var cli[] = {{"user", "say \"hi\" \\"}, {"n", "42"}, {"slash", "http://h/"}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ms_plan plan = {0};
        ms_diag d;
        ms_vars v;
        ms_diag_init(&d);
        ms_vars_init(&v, &plan);
        ms_fields f = {.file = "f.json", .pos = pos, .diag = &d};
        ms_vars_load(&v, &f, cJSON_GetObjectItemCaseSensitive(root, "vars"), cli,
                     sizeof cli / sizeof cli[0]);
        assert_int_equal(d.n, 0);
        char *value = NULL, *display = NULL;
        bool ok =
            ms_vars_substitute(&v, &f, rows[i].text, "vars.base", rows[i].ctx, &value, &display);
        assert_false(f.nomem);
        if (rows[i].value) {
            if (!ok)
                fail_msg("row %zu: refused: %s", i, d.n ? d.items[0].message : "?");
            if (strcmp(value, rows[i].value) != 0 || strcmp(display, rows[i].display) != 0)
                fail_msg("row %zu: %s / %s, expected %s / %s", i, value, display, rows[i].value,
                         rows[i].display);
        } else {
            assert_false(ok);
        }
        if (rows[i].problem) {
            assert_int_equal(d.n, 1);
            assert_string_equal(d.items[0].message, rows[i].problem);
            assert_string_equal(d.items[0].path, "vars.base");
            assert_int_equal(d.items[0].line, 1); /* where the path is */
            assert_int_equal(d.items[0].col, 19);
        } else {
            assert_int_equal(d.n, 0);
        }
        /* the token, from the environment, was kept as a secret (by the vars, or the row) */
        assert_true(plan.secrets.nvalues == 1);
        free(value);
        free(display);
        ms_vars_cleanup(&v);
        ms_diag_cleanup(&d);
        ms_plan_cleanup(&plan);
    }
    ms_jsonpos_free(pos);
    cJSON_Delete(root);
}

/* A secret too short to hide is remembered by the name of its variable, once. */
static void test_short_secrets(void **state)
{
    (void)state;
    ms_plan plan = {0};
    ms_diag d;
    ms_vars v;
    ms_diag_init(&d);
    ms_vars_init(&v, &plan);
    ms_fields f = {.file = "f.json", .diag = &d};
    setenv("MS_VARS_SHORT", "\xC3\xA9\xC3\xA9\xC3\xA9", 1); /* 6 bytes, 3 characters */
    char *value = NULL, *display = NULL;
    assert_true(ms_vars_substitute(&v, &f, "{{env.MS_VARS_SHORT}}{{env.MS_VARS_SHORT}}", "x",
                                   MS_SUBST_TEXT, &value, &display));
    assert_string_equal(display, "******");
    assert_int_equal(plan.nshort_secrets, 1);
    assert_string_equal(plan.short_secrets[0], "MS_VARS_SHORT");
    free(value);
    free(display);
    ms_vars_cleanup(&v);
    ms_diag_cleanup(&d);
    ms_plan_cleanup(&plan);
}

/* Each {{name}} substituted is recorded once, known or not; {{env.NAME}} and a variable's own
 * value (which may use only {{env.NAME}}) are not. */
static void test_refs(void **state)
{
    (void)state;
    static const struct {
        ms_subst ctx;
        const char *text;
        const char *names; /* the set after the row, space-separated */
    } rows[] = {
        {MS_SUBST_URL, "{{base}}/x", "base"},
        {MS_SUBST_TEXT, "{{ base }} and {{base}}", "base"},
        {MS_SUBST_TEXT, "{{env.MS_VARS_TOKEN}}", "base"},
        {MS_SUBST_VAR, "{{user}}", "base"},
        {MS_SUBST_JSON, "{\"a\": \"{{nope}}\"}", "base nope"},
        {MS_SUBST_HEADER, "{{user}}", "base nope user"},
    };
    setenv("MS_VARS_TOKEN", "tok-123456", 1);
    ms_plan plan = {0};
    ms_diag d;
    ms_vars v;
    ms_var_refs refs;
    ms_diag_init(&d);
    ms_vars_init(&v, &plan);
    ms_var_refs_init(&refs);
    assert_false(ms_var_refs_has(&refs, "base"));
    v.refs = &refs;
    ms_fields f = {.file = "f.json", .diag = &d};
    const ms_var cli[] = {{"base", "http://h"}, {"user", "u"}};
    ms_vars_load(&v, &f, NULL, cli, 2);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *value = NULL, *display = NULL;
        ms_vars_substitute(&v, &f, rows[i].text, "x", rows[i].ctx, &value, &display);
        assert_false(f.nomem);
        char want[64];
        snprintf(want, sizeof want, "%s", rows[i].names);
        size_t n = 0;
        for (char *w = strtok(want, " "); w; w = strtok(NULL, " "), n++)
            if (!ms_var_refs_has(&refs, w))
                fail_msg("row %zu: {{%s}} not recorded", i, w);
        assert_int_equal(refs.n, n);
        assert_null(refs.names[refs.n]); /* a list for ms_did_you_mean */
        free(value);
        free(display);
    }
    assert_false(ms_var_refs_has(&refs, "bsae"));
    ms_var_refs_cleanup(&refs);
    ms_var_refs_cleanup(&refs); /* harmless again */
    ms_vars_cleanup(&v);
    ms_diag_cleanup(&d);
    ms_plan_cleanup(&plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_substitute),
        cmocka_unit_test(test_short_secrets),
        cmocka_unit_test(test_refs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
