#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ms/stats.h"

static void test_nearest_rank(void **state)
{
    (void)state;
    int64_t one[] = {42};
    int64_t five[] = {50, 10, 40, 20, 30}; /* unsorted on purpose */
    int64_t twenty[20];
    for (int i = 0; i < 20; i++)
        twenty[i] = (20 - i) * 10; /* 200, 190, ..., 10 */
    const struct {
        int64_t *v;
        int n;
        int64_t min, median, p90, p95, max, mean;
    } rows[] = {
        {one, 1, 42, 42, 42, 42, 42, 42},
        /* n=5: median is rank 3, p90 rank ceil(4.5)=5, p95 rank 5 (the max) */
        {five, 5, 10, 30, 50, 50, 50, 30},
        /* n=20: median rank 10 = 100, p90 rank 18 = 180, p95 rank 19 = 190 */
        {twenty, 20, 10, 100, 180, 190, 200, 105},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ms_stats st;
        assert_int_equal(ms_stats_compute(rows[i].v, rows[i].n, &st), MS_OK);
        assert_int_equal(st.n, rows[i].n);
        assert_int_equal(st.min, rows[i].min);
        assert_int_equal(st.median, rows[i].median);
        assert_int_equal(st.p90, rows[i].p90);
        assert_int_equal(st.p95, rows[i].p95);
        assert_int_equal(st.max, rows[i].max);
        assert_int_equal(st.mean, rows[i].mean);
        assert_int_equal(ms_stats_get(&st, MS_STAT_P95), rows[i].p95);
    }
    assert_int_equal(five[0], 50); /* input left as it was */
}

static void test_p95_is_max_below_20(void **state)
{
    (void)state;
    int64_t v[19];
    for (int i = 0; i < 19; i++)
        v[i] = i + 1;
    ms_stats st;
    assert_int_equal(ms_stats_compute(v, 19, &st), MS_OK);
    assert_int_equal(st.p95, 19);
    assert_int_equal(ms_stats_compute(v, 0, &st), MS_OK);
    assert_int_equal(st.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nearest_rank),
        cmocka_unit_test(test_p95_is_max_below_20),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
