#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ms/probe.h"

/* libcurl's cumulative times turned into phases that do not overlap. */
static void test_phases(void **state)
{
    (void)state;
    static const struct {
        int64_t q, c, a, p, s, t, r;
        int64_t dns, connect, tls, server, transfer, ttfb, total, redirect;
    } rows[] = {
        /* plain HTTP: no TLS */
        {1000, 3000, 0, 3100, 23100, 25000, 0, 1000, 2000, 0, 20000, 1900, 23100, 25000, 0},
        /* HTTPS */
        {1000, 3000, 9000, 9050, 29050, 30000, 0, 1000, 2000, 6000, 20000, 950, 29050, 30000, 0},
        /* a reused connection: libcurl reports near-zero connect and no TLS */
        {5, 5, 0, 20, 1020, 1100, 0, 5, 0, 0, 1000, 80, 1020, 1100, 0},
        /* redirects followed: the redirect time is kept on its own */
        {2000, 4000, 0, 4100, 8100, 12000, 5000, 2000, 2000, 0, 4000, 3900, 8100, 12000, 5000},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int64_t ph[MS_PH_COUNT];
        ms_phases_from_curl(rows[i].q, rows[i].c, rows[i].a, rows[i].p, rows[i].s, rows[i].t,
                            rows[i].r, ph);
        assert_int_equal(ph[MS_PH_DNS], rows[i].dns);
        assert_int_equal(ph[MS_PH_CONNECT], rows[i].connect);
        assert_int_equal(ph[MS_PH_TLS], rows[i].tls);
        assert_int_equal(ph[MS_PH_SERVER], rows[i].server);
        assert_int_equal(ph[MS_PH_TRANSFER], rows[i].transfer);
        assert_int_equal(ph[MS_PH_TTFB], rows[i].ttfb);
        assert_int_equal(ph[MS_PH_TOTAL], rows[i].total);
        assert_int_equal(ph[MS_PH_REDIRECT], rows[i].redirect);
        /* the phases never add up to more than the total */
        int64_t sum = 0;
        for (int p = MS_PH_DNS; p <= MS_PH_TRANSFER; p++)
            sum += ph[p];
        assert_true(sum <= ph[MS_PH_TOTAL]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_phases)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
