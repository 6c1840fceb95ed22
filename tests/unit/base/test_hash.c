#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "ms/hash.h"

static void test_hash_values(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        uint64_t h;
    } rows[] = {
        /* FNV-1a 64 test vectors */
        {"", UINT64_C(0xcbf29ce484222325)},
        {"a", UINT64_C(0xaf63dc4c8601ec8c)},
        {"foobar", UINT64_C(0x85944171f73967e8)},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        assert_true(ms_hash_str(rows[i].s) == rows[i].h);
    /* continued: the hash of "a.b" extends the hash of "a" */
    assert_true(ms_hash_add(ms_hash_add(ms_hash_str("a"), ".", 1), "b", 1) == ms_hash_str("a.b"));
    assert_true(ms_hash_add_lower(MS_HASH_INIT, "Content-TYPE", 12) == ms_hash_str("content-type"));
    assert_true(ms_hash_str("ab") != ms_hash_str("ba"));
}

/* Many values, some under one hash: every value is found under its hash, and only there. */
static void test_index(void **state)
{
    (void)state;
    enum { N = 50000 };
    ms_hindex h;
    ms_hindex_init(&h);
    size_t it = 0, v;
    assert_false(ms_hindex_next(&h, 1, &it, &v)); /* empty */
    for (size_t i = 0; i < N; i++)
        assert_int_equal(ms_hindex_add(&h, ms_hash_add(MS_HASH_INIT, &i, sizeof i), i), MS_OK);
    for (size_t i = 0; i < 10; i++)
        assert_int_equal(ms_hindex_add(&h, 42, N + i), MS_OK); /* ten values, one hash */
    assert_int_equal(ms_hindex_add(&h, 7, SIZE_MAX), MS_ERR_NOMEM);
    for (size_t i = 0; i < N; i++) {
        it = 0;
        assert_true(ms_hindex_next(&h, ms_hash_add(MS_HASH_INIT, &i, sizeof i), &it, &v));
        assert_int_equal(v, i);
    }
    unsigned seen = 0;
    it = 0;
    while (ms_hindex_next(&h, 42, &it, &v)) {
        assert_true(v >= N && v < N + 10);
        seen |= 1u << (v - N);
    }
    assert_int_equal(seen, 0x3ff);
    it = 0;
    assert_false(ms_hindex_next(&h, 43, &it, &v));
    ms_hindex_cleanup(&h);
    ms_hindex_cleanup(&h); /* harmless twice */
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_hash_values),
                                       cmocka_unit_test(test_index)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
