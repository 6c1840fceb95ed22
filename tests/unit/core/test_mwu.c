#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ms/mwu.h"

#include "mwu_reference.h"

#include "failalloc.h"

static void assert_close(double got, double want, double rel)
{
    double tol = rel * fabs(want) + 1e-15;
    if (fabs(got - want) > tol)
        fail_msg("p = %.17g, expected %.17g (tolerance %.3g)", got, want, tol);
}

/* The p-value by brute force, independently of the module: every way of taking n_new of the
 * pooled values for the new sample, with U counted pair by pair (ties a half), and the share of
 * those whose U is at least the observed one. Up to 20 values. */
static double brute_p(const int64_t *base, int n_base, const int64_t *new_, int n_new)
{
    int64_t v[20];
    int n = n_base + n_new;
    assert_true(n <= 20);
    memcpy(v, base, (size_t)n_base * sizeof *v);
    memcpy(v + n_base, new_, (size_t)n_new * sizeof *v);
    long observed = -1, total = 0, tail = 0;
    uint32_t obs_mask = ((1u << n_new) - 1) << n_base;
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t mask = 0; mask < (1u << n); mask++) {
            if (__builtin_popcount(mask) != n_new || (pass == 0 && mask != obs_mask))
                continue;
            long u2 = 0; /* twice U */
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    if ((mask >> i & 1) && !(mask >> j & 1))
                        u2 += v[i] > v[j] ? 2 : v[i] == v[j] ? 1 : 0;
            if (pass == 0) {
                observed = u2;
            } else {
                total++;
                tail += u2 >= observed;
            }
        }
    }
    return (double)tail / (double)total;
}

/* Reference p-values made by tests/unit/core/mwu_reference.py (scipy's exact and asymptotic
 * mannwhitneyu, scipy's permutation_test, and an exact-fraction enumeration). */
static void test_reference_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof mwu_refs / sizeof mwu_refs[0]; i++) {
        const struct mwu_ref *r = &mwu_refs[i];
        ms_mwu_result res;
        assert_int_equal(ms_mwu_greater(r->base, r->n_base, r->new_, r->n_new, &res), MS_OK);
        if (res.method != r->method || res.u != r->u)
            fail_msg("row %zu (%s, %d by %d): method %d U %.1f, expected %d U %.1f", i, r->source,
                     r->n_base, r->n_new, res.method, res.u, r->method, r->u);
        assert_int_equal(res.ties, r->ties);
        /* The normal approximation's erfc and scipy's norm.sf agree to about 1e-12 relative;
         * the exact distributions to rounding. */
        assert_close(res.p, r->p, r->method == MS_MWU_NORMAL ? 1e-9 : 1e-10);
    }
}

/* Small samples with and without ties against the brute-force enumeration: a different
 * algorithm than either of the module's exact ones. */
static void test_brute_force(void **state)
{
    (void)state;
    uint64_t seed = 88172645463325252u;
    int ties = 0, exact = 0;
    for (int trial = 0; trial < 400; trial++) {
        int64_t base[10], new_[10];
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        int n_base = 1 + (int)(seed % 8), n_new = 1 + (int)(seed / 8 % 8);
        /* A quarter of the trials at microsecond resolution (rarely a tie); the others on a
         * coarse grid, many ties; the new side shifted up in some. */
        int64_t grid = trial % 4 == 0 ? 1 : trial % 4 == 1 ? 10 : 3;
        int64_t shift = (int64_t)(seed >> 40) % 3;
        for (int i = 0; i < n_base + n_new; i++) {
            seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
            int64_t x = (int64_t)(seed % (uint64_t)(grid == 1 ? 1000000 : grid));
            if (i < n_base)
                base[i] = x;
            else
                new_[i - n_base] = x + shift * (grid == 1 ? 100000 : 1);
        }
        ms_mwu_result res;
        assert_int_equal(ms_mwu_greater(base, n_base, new_, n_new, &res), MS_OK);
        assert_true(res.method == (res.ties ? MS_MWU_EXACT_TIES : MS_MWU_EXACT));
        ties += res.ties;
        exact += !res.ties;
        assert_close(res.p, brute_p(base, n_base, new_, n_new), 1e-12);
    }
    /* Both exact algorithms were exercised. */
    assert_true(ties > 100);
    assert_true(exact > 50);
}

/* A sample of n_base and n_new distinct values whose U (of new) is u. */
static void make_u(int n_base, int n_new, int u, int64_t *base, int64_t *new_)
{
    for (int i = 0; i < n_base; i++)
        base[i] = (int64_t)(i + 1) * 1000;
    for (int j = 0; j < n_new; j++) {
        int c = u > n_base ? n_base : u; /* the number of base values this one is above */
        u -= c;
        new_[j] = (int64_t)c * 1000 + 1 + j;
    }
    assert_int_equal(u, 0);
}

/* The textbook table of critical values of U for a one-sided test at alpha 0.05, as statistics
 * texts print it (every entry also checked against scipy's exact distribution): the largest U
 * for which P(U <= c) <= 0.05, for sample sizes 3 to 10. At 3 by 9, P(U <= 4) = 11 / 220 is
 * exactly 0.05: the p-value must not round above it. For the new sample's U,
 * P(U >= n1 n2 - c) <= 0.05 < P(U >= n1 n2 - c - 1). */
static void test_critical_values(void **state)
{
    (void)state;
    static const int crit[8][8] = {
        /* n2:  3  4  5  6  7  8  9  10 */
        {0, 0, 1, 2, 2, 3, 4, 4},       /* n1 = 3 */
        {0, 1, 2, 3, 4, 5, 6, 7},       /* 4 */
        {1, 2, 4, 5, 6, 8, 9, 11},      /* 5 */
        {2, 3, 5, 7, 8, 10, 12, 14},    /* 6 */
        {2, 4, 6, 8, 11, 13, 15, 17},   /* 7 */
        {3, 5, 8, 10, 13, 15, 18, 20},  /* 8 */
        {4, 6, 9, 12, 15, 18, 21, 24},  /* 9 */
        {4, 7, 11, 14, 17, 20, 24, 27}, /* 10 */
    };
    for (int n1 = 3; n1 <= 10; n1++) {
        for (int n2 = 3; n2 <= 10; n2++) {
            int c = crit[n1 - 3][n2 - 3];
            int64_t base[10], new_[10];
            ms_mwu_result in, out;
            make_u(n1, n2, n1 * n2 - c, base, new_);
            assert_int_equal(ms_mwu_greater(base, n1, new_, n2, &in), MS_OK);
            assert_true(in.u == n1 * n2 - c);
            make_u(n1, n2, n1 * n2 - c - 1, base, new_);
            assert_int_equal(ms_mwu_greater(base, n1, new_, n2, &out), MS_OK);
            if (!(in.p <= 0.05 && out.p > 0.05))
                fail_msg("n1 %d n2 %d: P(U >= %d) = %g, P(U >= %d) = %g", n1, n2, n1 * n2 - c, in.p,
                         n1 * n2 - c - 1, out.p);
            assert_int_equal(in.method, MS_MWU_EXACT);
        }
    }
}

/* The example of R's ?wilcox.test (Hollander & Wolfe 1973, p. 69: permeability constants of
 * the human chorioamnion, at term x against 12 to 26 weeks y): wilcox.test(x, y, alternative =
 * "greater") prints W = 35, p-value = 0.1272. */
static void test_r_example(void **state)
{
    (void)state;
    const int64_t x[] = {800000,  830000,  1890000, 1040000, 1450000,
                         1380000, 1910000, 1640000, 730000,  1460000};
    const int64_t y[] = {1150000, 880000, 900000, 740000, 1210000};
    ms_mwu_result res;
    assert_int_equal(ms_mwu_greater(y, 5, x, 10, &res), MS_OK);
    assert_true(res.u == 35);
    assert_true(fabs(res.p - 0.1272) < 0.00005);
    assert_int_equal(res.method, MS_MWU_EXACT);
    assert_false(res.ties);
}

static void test_edges(void **state)
{
    (void)state;
    const int64_t a[] = {5, 1, 4, 2, 3}, b[] = {9, 7, 8, 6, 10}, same[] = {7, 7, 7, 7};
    ms_mwu_result res;
    /* An empty side: nothing says new is larger. */
    assert_int_equal(ms_mwu_greater(NULL, 0, b, 5, &res), MS_OK);
    assert_true(res.p == 1 && res.u == 0);
    assert_int_equal(ms_mwu_greater(a, 5, NULL, 0, &res), MS_OK);
    assert_true(res.p == 1);
    /* Every new value above every base one: 1 / C(10, 5); below: certain. */
    assert_int_equal(ms_mwu_greater(a, 5, b, 5, &res), MS_OK);
    assert_true(res.u == 25);
    assert_close(res.p, 1.0 / 252, 1e-14);
    assert_int_equal(ms_mwu_greater(b, 5, a, 5, &res), MS_OK);
    assert_true(res.u == 0 && res.p == 1);
    /* One against one. */
    assert_int_equal(ms_mwu_greater(a, 1, b, 1, &res), MS_OK);
    assert_close(res.p, 0.5, 1e-15);
    /* All the same value: U is half the pairs, with certainty. */
    assert_int_equal(ms_mwu_greater(same, 2, same, 4, &res), MS_OK);
    assert_true(res.ties && res.u == 4 && res.method == MS_MWU_EXACT_TIES);
    assert_close(res.p, 1, 1e-15);
    /* The order of the values does not matter and the arrays are left as they were. */
    const int64_t a2[] = {1, 2, 3, 4, 5}, b2[] = {6, 10, 7, 9, 8};
    ms_mwu_result r2;
    assert_int_equal(ms_mwu_greater(a2, 5, b2, 5, &r2), MS_OK);
    assert_int_equal(ms_mwu_greater(a, 5, b, 5, &res), MS_OK);
    assert_true(res.p == r2.p && res.u == r2.u);
    assert_true(a[0] == 5 && b[0] == 9);
    /* Large samples go to the normal approximation; all equal there is p 1 too. */
    int64_t *big = calloc(200, sizeof *big);
    assert_non_null(big);
    assert_int_equal(ms_mwu_greater(big, 100, big + 100, 100, &res), MS_OK);
    assert_true(res.method == MS_MWU_NORMAL && res.ties && res.p == 1);
    free(big);
}

#define MS(x) ((int64_t)(x)*1000)
#define END   INT64_MIN

/* The regression decision, row by row (limits 20% and 10 ms unless a row says otherwise). */
/* ms_mwu_can_pass agrees with the test itself: the smallest p it gives for those sizes (every new
 * value above every base one) is below alpha exactly when it says the test can pass. */
static void test_can_pass(void **state)
{
    (void)state;
    int64_t base[40], new_[40];
    for (int i = 0; i < 40; i++) {
        base[i] = i;
        new_[i] = 1000 + i;
    }
    for (int nb = 1; nb <= 12; nb++)
        for (int nn = 1; nn <= 12; nn++) {
            ms_mwu_result t;
            assert_int_equal(ms_mwu_greater(base, nb, new_, nn, &t), MS_OK);
            bool want = nb >= MS_MWU_MIN_SAMPLES && nn >= MS_MWU_MIN_SAMPLES && t.p < MS_MWU_ALPHA;
            if (ms_mwu_can_pass(nb, nn) != want)
                fail_msg("%d by %d: can_pass %d, smallest p %g", nb, nn, !want, t.p);
        }
    assert_false(ms_mwu_can_pass(3, 3));
    assert_true(ms_mwu_can_pass(3, 4));
    assert_true(ms_mwu_can_pass(4, 3));
    assert_true(ms_mwu_can_pass(40, 40));
    assert_false(ms_mwu_can_pass(2, 1000));
}

static void test_regression_rows(void **state)
{
    (void)state;
    const struct {
        const char *what;
        int64_t base[8], new_[8]; /* END-terminated */
        double max_slowdown;
        int64_t min_slowdown_us;
        int64_t base_median, new_median, delta;
        double pct; /* NAN: expected NaN */
        double p;   /* NAN: not computed */
        bool thresholds_only, regressed;
    } rows[] = {
        {"clearly slower",
         {MS(100), MS(104), MS(98), MS(101), MS(99), END},
         {MS(190), MS(185), MS(195), MS(188), MS(192), END},
         0.2,
         MS(10),
         MS(100),
         MS(190),
         MS(90),
         90,
         1.0 / 252,
         false,
         true},
        {"the same, noisy",
         {MS(100), MS(110), MS(95), MS(105), MS(120), END},
         {MS(102), MS(98), MS(115), MS(108), MS(99), END},
         0.2,
         MS(10),
         MS(105),
         MS(102),
         MS(-3),
         -3.0 / 105 * 100,
         165.0 / 252,
         false,
         false},
        /* Medians 110 -> 140 ms (+27%) but the samples overlap: U = 17 of 25, P(U >= 17) =
         * 53 / 252: noise. */
        {"over both thresholds, not significant",
         {MS(100), MS(300), MS(110), MS(290), MS(105), END},
         {MS(140), MS(135), MS(310), MS(145), MS(138), END},
         0.2,
         MS(10),
         MS(110),
         MS(140),
         MS(30),
         30.0 / 110 * 100,
         53.0 / 252,
         false,
         false},
        {"significant, under the relative threshold",
         {MS(1000), MS(1001), MS(1002), MS(1003), MS(1004), END},
         {MS(1050), MS(1051), MS(1052), MS(1053), MS(1054), END},
         0.2,
         MS(10),
         MS(1002),
         MS(1052),
         MS(50),
         50.0 / 1002 * 100,
         1.0 / 252,
         false,
         false},
        {"significant, under the absolute threshold",
         {1000, 1100, 1200, 1300, 1400, END},
         {2000, 2100, 2200, 2300, 2400, END},
         0.2,
         MS(10),
         1200,
         2200,
         1000,
         1000.0 / 1200 * 100,
         1.0 / 252,
         false,
         false},
        {"exactly +20% is not more than 20%",
         {MS(96), MS(98), MS(100), MS(102), MS(104), END},
         {MS(116), MS(118), MS(120), MS(122), MS(124), END},
         0.2,
         MS(10),
         MS(100),
         MS(120),
         MS(20),
         20,
         1.0 / 252,
         false,
         false},
        {"just over 19%",
         {MS(96), MS(98), MS(100), MS(102), MS(104), END},
         {MS(116), MS(118), MS(120), MS(122), MS(124), END},
         0.19,
         MS(10),
         MS(100),
         MS(120),
         MS(20),
         20,
         1.0 / 252,
         false,
         true},
        /* 0.29 * 100000 is 28999.999999999996 in doubles: compared in parts per million. */
        {"exactly +29% with 29%",
         {MS(96), MS(98), MS(100), MS(102), MS(104), END},
         {MS(125), MS(127), MS(129), MS(131), MS(133), END},
         0.29,
         MS(10),
         MS(100),
         MS(129),
         MS(29),
         29,
         1.0 / 252,
         false,
         false},
        {"exactly +10 ms is not more than 10 ms",
         {MS(38), MS(39), MS(40), MS(41), MS(42), END},
         {MS(48), MS(49), MS(50), MS(51), MS(52), END},
         0.2,
         MS(10),
         MS(40),
         MS(50),
         MS(10),
         25,
         1.0 / 252,
         false,
         false},
        {"10.001 ms is",
         {MS(38), MS(39), MS(40), MS(41), MS(42), END},
         {MS(48), MS(49), 50001, MS(51), MS(52), END},
         0.2,
         MS(10),
         MS(40),
         50001,
         10001,
         25.0025,
         1.0 / 252,
         false,
         true},
        /* A phase that took no time in the base (tls over http): any slowdown is relative. */
        {"from zero",
         {0, 0, 0, 0, 0, END},
         {MS(15), MS(16), MS(17), MS(18), MS(19), END},
         0.2,
         MS(10),
         0,
         MS(17),
         MS(17),
         NAN,
         1.0 / 252,
         false,
         true},
        {"zero both sides",
         {0, 0, 0, 0, END},
         {0, 0, 0, 0, END},
         0.2,
         MS(10),
         0,
         0,
         0,
         NAN,
         1,
         false,
         false},
        {"faster",
         {MS(190), MS(185), MS(195), MS(188), MS(192), END},
         {MS(100), MS(104), MS(98), MS(101), MS(99), END},
         0.2,
         MS(10),
         MS(190),
         MS(100),
         MS(-90),
         -90.0 / 190 * 100,
         1,
         false,
         false},
        /* Fewer than 3 samples a side: no test; the thresholds alone decide. The median of two
         * is the lower one (nearest rank), as the reports show. */
        {"thresholds only, slower",
         {MS(100), MS(101), END},
         {MS(200), MS(201), MS(202), END},
         0.2,
         MS(10),
         MS(100),
         MS(201),
         MS(101),
         101,
         NAN,
         true,
         true},
        {"thresholds only, the same",
         {MS(100), END},
         {MS(105), END},
         0.2,
         MS(10),
         MS(100),
         MS(105),
         MS(5),
         5,
         NAN,
         true,
         false},
        {"no base sample",
         {END},
         {MS(100), MS(200), MS(300), END},
         0.2,
         MS(10),
         0,
         0,
         0,
         NAN,
         NAN,
         true,
         false},
        {"3 a side cannot pass the test (p >= 1/20): the thresholds decide",
         {MS(100), MS(101), MS(102), END},
         {MS(200), MS(201), MS(202), END},
         0.2,
         MS(10),
         MS(101),
         MS(201),
         MS(100),
         100.0 / 101 * 100,
         NAN,
         true,
         true},
        {"and 3 by 4 can be significant",
         {MS(100), MS(101), MS(102), END},
         {MS(200), MS(201), MS(202), MS(203), END},
         0.2,
         MS(10),
         MS(101),
         MS(201),
         MS(100),
         100.0 / 101 * 100,
         1.0 / 35,
         false,
         true},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int nb = 0, nn = 0;
        while (rows[i].base[nb] != END)
            nb++;
        while (rows[i].new_[nn] != END)
            nn++;
        ms_regression_limits lim = {rows[i].max_slowdown, rows[i].min_slowdown_us};
        ms_regression r;
        assert_int_equal(ms_regression_check(rows[i].base, nb, rows[i].new_, nn, &lim, &r), MS_OK);
        if (r.regressed != rows[i].regressed || r.thresholds_only != rows[i].thresholds_only ||
            r.base_median_us != rows[i].base_median || r.new_median_us != rows[i].new_median ||
            r.delta_us != rows[i].delta || r.n_base != nb || r.n_new != nn)
            fail_msg("%s: regressed %d thresholds_only %d medians %lld %lld delta %lld",
                     rows[i].what, r.regressed, r.thresholds_only, (long long)r.base_median_us,
                     (long long)r.new_median_us, (long long)r.delta_us);
        if (isnan(rows[i].pct))
            assert_true(isnan(r.delta_pct));
        else
            assert_close(r.delta_pct, rows[i].pct, 1e-12);
        if (isnan(rows[i].p))
            assert_true(isnan(r.p));
        else
            assert_close(r.p, rows[i].p, 1e-12);
    }
}

/* Every allocation failure is MS_ERR_NOMEM with a result never to be taken for one; the
 * failures stop once every allocation has been failed once. Samples of 70 make the medians
 * allocate too, and the ties and the size choose each exact path and then the normal one. */
static void test_nomem(void **state)
{
    (void)state;
    int64_t base[70], new_[70], tied[70];
    for (int i = 0; i < 70; i++) {
        base[i] = 1000 + i * 7;
        new_[i] = 1500 + i * 7 + 3;
        tied[i] = 1500 + i / 3 * 21;
    }
    const struct {
        const int64_t *new_;
        int n_base, n_new;
    } rows[] = {{new_, 30, 40}, {tied, 30, 40}, {new_, 70, 70}, {tied, 70, 70}};
    ms_regression_limits lim = {0.2, 10};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ms_mwu_result clean;
        ms_regression rclean;
        assert_int_equal(ms_mwu_greater(base, rows[i].n_base, rows[i].new_, rows[i].n_new, &clean),
                         MS_OK);
        assert_int_equal(
            ms_regression_check(base, rows[i].n_base, rows[i].new_, rows[i].n_new, &lim, &rclean),
            MS_OK);
        assert_true(rclean.regressed);
        int failures = 0;
        for (int k = 1;; k++) {
            ms_mwu_result res;
            fail_at = k;
            ms_status st = ms_mwu_greater(base, rows[i].n_base, rows[i].new_, rows[i].n_new, &res);
            if (st == MS_OK) {
                assert_true(res.p == clean.p && res.u == clean.u);
                break;
            }
            assert_int_equal(st, MS_ERR_NOMEM);
            assert_true(res.p == 1);
            failures++;
        }
        /* The pooled values, then the exact table (two for the distribution without ties). */
        assert_int_equal(failures, clean.method == MS_MWU_EXACT        ? 3
                                   : clean.method == MS_MWU_EXACT_TIES ? 2
                                                                       : 1);
        failures = 0;
        for (int k = 1;; k++) {
            ms_regression r;
            fail_at = k;
            ms_status st =
                ms_regression_check(base, rows[i].n_base, rows[i].new_, rows[i].n_new, &lim, &r);
            if (st == MS_OK) {
                assert_true(r.regressed && r.p == rclean.p);
                break;
            }
            assert_int_equal(st, MS_ERR_NOMEM);
            assert_true(!r.regressed && isnan(r.p));
            failures++;
        }
        /* The medians allocate for more than 64 samples, once a side. */
        assert_int_equal(failures, (clean.method == MS_MWU_EXACT        ? 3
                                    : clean.method == MS_MWU_EXACT_TIES ? 2
                                                                        : 1) +
                                       (rows[i].n_base > 64) + (rows[i].n_new > 64));
        fail_at = 0;
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_table), cmocka_unit_test(test_brute_force),
        cmocka_unit_test(test_critical_values), cmocka_unit_test(test_r_example),
        cmocka_unit_test(test_edges),           cmocka_unit_test(test_regression_rows),
        cmocka_unit_test(test_nomem),           cmocka_unit_test(test_can_pass),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
