#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ms/probe.h"

/* libcurl's cumulative times turned into phases that do not overlap and add up to the total. */
static void test_phases(void **state)
{
    (void)state;
    static const struct {
        int64_t q, c, a, s, t, r;
        int64_t dns, connect, tls, server, transfer, ttfb, total, redirect;
    } rows[] = {
        /* plain HTTP: no TLS; the 100 us from connect to the request sent go to server */
        {1000, 3000, 0, 23100, 25000, 0, 1000, 2000, 0, 20100, 1900, 23100, 25000, 0},
        /* HTTPS: the 50 us after the handshake go to server */
        {1000, 3000, 9000, 29050, 30000, 0, 1000, 2000, 6000, 20050, 950, 29050, 30000, 0},
        /* a reused connection: libcurl reports near-zero connect and no TLS */
        {5, 5, 0, 1020, 1100, 0, 5, 0, 0, 1015, 80, 1020, 1100, 0},
        /* a reused connection reported as zeros */
        {0, 0, 0, 1040, 1100, 0, 0, 0, 0, 1040, 60, 1040, 1100, 0},
        /* connect before the name lookup ended (reused): no connect time, nothing negative */
        {300, 0, 0, 1300, 1400, 0, 300, 0, 0, 1000, 100, 1300, 1400, 0},
        /* reused TLS connection: appconnect 0 although the URL is https */
        {10, 20, 0, 2020, 2500, 0, 10, 10, 0, 2000, 480, 2020, 2500, 0},
        /* redirects followed: the hops are added up; the redirect time is kept on its own */
        {2000, 4000, 0, 8100, 12000, 5000, 2000, 2000, 0, 4100, 3900, 8100, 12000, 5000},
        /* an http hop then an https one: the TLS time summed is less than the connects summed */
        {2000, 6000, 4000, 9000, 10000, 3000, 2000, 4000, 0, 3000, 1000, 9000, 10000, 3000},
        /* first byte before the handshake's end, total before the first byte, negatives */
        {-5, 100, 400, 300, 200, -1, 0, 100, 300, 0, 0, 400, 400, 0},
        /* nothing measured at all */
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int64_t ph[MS_PH_COUNT];
        ms_phases_from_curl(rows[i].q, rows[i].c, rows[i].a, rows[i].s, rows[i].t, rows[i].r, ph);
        assert_int_equal(ph[MS_PH_DNS], rows[i].dns);
        assert_int_equal(ph[MS_PH_CONNECT], rows[i].connect);
        assert_int_equal(ph[MS_PH_TLS], rows[i].tls);
        assert_int_equal(ph[MS_PH_SERVER], rows[i].server);
        assert_int_equal(ph[MS_PH_TRANSFER], rows[i].transfer);
        assert_int_equal(ph[MS_PH_TTFB], rows[i].ttfb);
        assert_int_equal(ph[MS_PH_TOTAL], rows[i].total);
        assert_int_equal(ph[MS_PH_REDIRECT], rows[i].redirect);
        /* the phases add up to the total, and to ttfb up to the first byte */
        int64_t sum = 0;
        for (int p = MS_PH_DNS; p <= MS_PH_TRANSFER; p++) {
            assert_true(ph[p] >= 0);
            sum += ph[p];
        }
        assert_int_equal(sum, ph[MS_PH_TOTAL]);
        assert_int_equal(sum - ph[MS_PH_TRANSFER], ph[MS_PH_TTFB]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_phases)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
