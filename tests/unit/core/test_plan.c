/* The plan without a file: finding, --only selection, redaction, what validate keeps of a check.
 * The plan is built by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ms/plan.h"

/* One checklist: section "web" with checks a and b, section "desk" with check c. */
static void make_plan(ms_plan *plan)
{
    static const char *const ids[] = {"a", "b", "c"};
    memset(plan, 0, sizeof *plan);
    plan->lists = calloc(1, sizeof *plan->lists);
    plan->nlists = 1;
    ms_checklist *cl = &plan->lists[0];
    cl->sections = calloc(2, sizeof *cl->sections);
    cl->nsections = 2;
    cl->sections[0].id = strdup("web");
    cl->sections[1].id = strdup("desk");
    cl->sections[0].checks = calloc(2, sizeof(ms_check *));
    cl->sections[1].checks = calloc(1, sizeof(ms_check *));
    plan->checks = calloc(3, sizeof *plan->checks);
    for (size_t i = 0; i < 3; i++) {
        ms_check *ck = calloc(1, sizeof *ck);
        ck->id = strdup(ids[i]);
        ck->order = i;
        ck->section_index = i < 2 ? 0 : 1;
        ms_section *sec = &cl->sections[ck->section_index];
        sec->checks[sec->nchecks++] = ck;
        plan->checks[plan->nchecks++] = ck;
    }
}

static void test_select(void **state)
{
    (void)state;
    static const struct {
        const char *only[3];
        size_t nonly;
        ms_status rc;
        const char *selected; /* the ids selected, in order */
        const char *bad;      /* the id refused, or NULL */
    } rows[] = {
        {{NULL}, 0, MS_OK, "abc", NULL},       {{"b"}, 1, MS_OK, "b", NULL},
        {{"web"}, 1, MS_OK, "ab", NULL},       {{"c", "web"}, 2, MS_OK, "abc", NULL},
        {{"desk", "a"}, 2, MS_OK, "ac", NULL}, {{"a", "nope", "c"}, 3, MS_ERR_USAGE, NULL, "nope"},
        {{"A"}, 1, MS_ERR_USAGE, NULL, "A"}, /* ids are case-sensitive */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ms_plan plan;
        const char *bad = "unset";
        make_plan(&plan);
        ms_status rc = ms_plan_select(&plan, rows[i].only, rows[i].nonly, &bad);
        if (rc != rows[i].rc)
            fail_msg("row %zu: status %d, expected %d", i, rc, rows[i].rc);
        if (rows[i].bad) {
            assert_string_equal(bad, rows[i].bad);
        } else {
            char got[4] = "";
            size_t n = 0;
            assert_null(bad);
            for (size_t k = 0; k < plan.nchecks; k++)
                if (plan.checks[k]->selected)
                    got[n++] = plan.checks[k]->id[0];
            if (strcmp(got, rows[i].selected) != 0)
                fail_msg("row %zu: selected %s, expected %s", i, got, rows[i].selected);
        }
        ms_plan_cleanup(&plan);
    }
}

static void test_find(void **state)
{
    (void)state;
    ms_plan plan;
    make_plan(&plan);
    assert_ptr_equal(ms_plan_find_check(&plan, "b"), plan.checks[1]);
    assert_null(ms_plan_find_check(&plan, "web"));
    assert_ptr_equal(ms_plan_find_section(&plan, "desk"), &plan.lists[0].sections[1]);
    assert_null(ms_plan_find_section(&plan, "a"));
    ms_plan_cleanup(&plan);
    ms_plan_cleanup(&plan); /* harmless on a zeroed plan */
}

static void test_redact(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } rows[] = {
        {"token s3cret-value here", "token *** here"},
        {"", ""}, /* nothing to say is an empty string, not NULL */
        {"no secret", "no secret"},
        {"s3cret-value%20", "***%20"},
    };
    ms_plan plan;
    make_plan(&plan);
    assert_int_equal(ms_secrets_add(&plan.secrets, "s3cret-value"), MS_OK);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *out = NULL;
        assert_int_equal(ms_plan_redact(&plan, rows[i].text, &out), MS_OK);
        assert_non_null(out);
        if (strcmp(out, rows[i].want) != 0)
            fail_msg("row %zu: %s, expected %s", i, out, rows[i].want);
        free(out);
    }
    ms_plan_cleanup(&plan);
}

/* ms_check_strip: the id, kind and place stay; everything else is freed (the sanitizer build and
 * valgrind see a leak) and zeroed. */
static void test_strip(void **state)
{
    (void)state;
    ms_check ck = {.id = strdup("home"),
                   .title = strdup("Home"),
                   .kind = MS_KIND_HTTP,
                   .url = strdup("http://127.0.0.1/"),
                   .url_display = strdup("http://127.0.0.1/"),
                   .line = 7,
                   .checklist_index = 1,
                   .section_index = 2,
                   .order = 3,
                   .selected = true,
                   .samples = 5,
                   .nheaders = 1};
    ck.headers = calloc(1, sizeof *ck.headers);
    assert_non_null(ck.headers);
    ck.headers[0] = (ms_header){strdup("Accept"), strdup("*/*"), strdup("*/*")};
    ck.tags = calloc(1, sizeof *ck.tags);
    assert_non_null(ck.tags);
    ck.tags[0] = strdup("web");
    ck.ntags = 1;
    ms_check_strip(&ck);
    assert_string_equal(ck.id, "home");
    assert_int_equal(ck.kind, MS_KIND_HTTP);
    assert_int_equal(ck.line, 7);
    assert_int_equal(ck.checklist_index, 1);
    assert_int_equal(ck.section_index, 2);
    assert_int_equal(ck.order, 3);
    assert_true(ck.selected);
    assert_null(ck.title);
    assert_null(ck.url);
    assert_null(ck.url_display);
    assert_null(ck.headers);
    assert_int_equal(ck.nheaders, 0);
    assert_null(ck.tags);
    assert_int_equal(ck.ntags, 0);
    assert_int_equal(ck.samples, 0);
    ms_check_cleanup(&ck);
}

/* Budgets are made once for each set and shared; a set without a budget is ms_no_budgets. */
static void test_budgets_shared(void **state)
{
    (void)state;
    ms_budget_pool pool = {0};
    int64_t a[MS_PH_COUNT], b[MS_PH_COUNT], none[MS_PH_COUNT];
    for (int p = 0; p < MS_PH_COUNT; p++)
        a[p] = b[p] = none[p] = -1;
    a[MS_PH_TOTAL] = 800000;
    b[MS_PH_TTFB] = 800000;
    assert_ptr_equal(ms_budgets_intern(&pool, none), ms_no_budgets);
    assert_ptr_equal(ms_budgets_intern(&pool, NULL), ms_no_budgets);
    const int64_t *first = ms_budgets_intern(&pool, a), *other = ms_budgets_intern(&pool, b);
    assert_non_null(first);
    assert_non_null(other);
    assert_ptr_not_equal(first, a); /* the pool's own copy */
    assert_ptr_not_equal(first, other);
    assert_memory_equal(first, a, sizeof a);
    assert_memory_equal(other, b, sizeof b);
    a[MS_PH_DNS] = 5; /* the copy does not change with the caller's array */
    assert_int_equal(first[MS_PH_DNS], -1);
    a[MS_PH_DNS] = -1;
    for (int i = 1; i <= 10; i++) { /* the pool grows past its first room */
        int64_t c[MS_PH_COUNT];
        memcpy(c, none, sizeof c);
        c[MS_PH_CONNECT] = i;
        assert_non_null(ms_budgets_intern(&pool, c));
    }
    assert_ptr_equal(ms_budgets_intern(&pool, a), first); /* the same set again */
    assert_ptr_equal(ms_budgets_intern(&pool, b), other);
    assert_int_equal(pool.n, 12);
    ms_budget_pool_cleanup(&pool);
    assert_int_equal(pool.n, 0);
    ms_budget_pool_cleanup(&pool);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_select), cmocka_unit_test(test_find),
        cmocka_unit_test(test_redact), cmocka_unit_test(test_budgets_shared),
        cmocka_unit_test(test_strip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
