#include "ms/mwu.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ms/libm.h"
#include "ms/stats.h"
#include "ms/util.h"

typedef struct {
    int64_t v;
    bool is_new;
} mwu_item;

static int cmp_item(const void *a, const void *b)
{
    int64_t x = ((const mwu_item *)a)->v, y = ((const mwu_item *)b)->v;
    return (x > y) - (x < y);
}

/* The exact null distribution of U for samples of m and n values without ties, as the number
 * of orderings giving each U, into dist[0..mn] (mn + 1 doubles). The largest of the a + b
 * values belongs either to the first sample, and then it is above all b values of the other
 * one, or to the second: N_ab(u) = N_(a-1)b(u - b) + N_a(b-1)(u). Counts are whole numbers,
 * exact in doubles below 2^53 (every C(N, n) with N <= 56) and only ever added, so a p-value
 * is the correctly rounded share while they are exact (1/20 is exactly the double 0.05, never
 * just below it) and within rounding beyond. U has the same distribution for either sample,
 * so the larger one is the outer loop and the rows kept are those of the smaller:
 * (min + 1) * (mn + 1) doubles. MS_OK or MS_ERR_NOMEM. */
static ms_status exact_dist(int m, int n, double *dist)
{
    ms_status rc = MS_OK;
    int big = m > n ? m : n, small = m > n ? n : m;
    size_t width = (size_t)big * (size_t)small + 1;
    double *rows = calloc(((size_t)small + 1) * width, sizeof *rows);
    if (!rows) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    for (int b = 0; b <= small; b++)
        rows[(size_t)b * width] = 1; /* a = 0: U is 0 */
    for (int a = 1; a <= big; a++) {
        for (int b = 1; b <= small; b++) {
            /* rows[b] holds N_(a-1)b and becomes N_ab; rows[b - 1] already holds N_a(b-1).
             * Descending u: cur[u - b] is still N_(a-1)b when it is read. */
            double *cur = rows + (size_t)b * width, *left = rows + (size_t)(b - 1) * width;
            for (size_t u = (size_t)a * (size_t)b + 1; u-- > 0;)
                cur[u] = (u >= (size_t)b ? cur[u - (size_t)b] : 0) + left[u];
        }
    }
    memcpy(dist, rows + (size_t)small * width, width * sizeof *dist);
out:
    free(rows);
    return rc;
}

/* C(n, k) as a double (exact while it fits in 53 bits, close beyond). */
static double binom(int n, int k)
{
    double c = 1;
    for (int i = 1; i <= k; i++)
        c = c * (n - k + i) / i;
    return c;
}

/* The exact permutation p-value with ties. Each group of equal values has a doubled mid-rank
 * (first rank + last rank, an integer); every choice of k of the N positions for the smaller
 * sample is equally likely, so a DP over the groups counts the choices by the number taken so
 * far and their doubled rank sum, taking x of a group of t in C(t, x) ways. The smaller sample
 * keeps the table small: (k + 1) * (2kN + 1) doubles. The p-value is the share of choices whose
 * new-sample rank sum is at least the observed one (for the base sample: whose rank sum is at
 * most the observed one's, the total being N(N + 1) / 2). MS_OK or MS_ERR_NOMEM. */
static ms_status exact_ties_p(const mwu_item *it, int n, int n_new, int64_t sum2_new, double *p)
{
    ms_status rc = MS_OK;
    bool of_new = n_new <= n - n_new;
    int k = of_new ? n_new : n - n_new;
    size_t width = (size_t)k * 2 * (size_t)n + 1;
    double *dp = calloc(((size_t)k + 1) * width, sizeof *dp);
    if (!dp) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    dp[0] = 1;
    int done = 0;  /* positions of the groups so far */
    size_t hi = 0; /* the largest doubled rank sum reached so far */
    for (int lo = 0; lo < n;) {
        int end = lo;
        while (end < n && it[end].v == it[lo].v)
            end++;
        int t = end - lo;
        size_t d = (size_t)(lo + 1) + (size_t)end; /* doubled mid-rank of ranks lo+1 .. end */
        int jmax = done + t < k ? done + t : k;
        /* Descending j: the rows read (j - x) have not been updated for this group yet. */
        for (int j = jmax; j >= 1; j--) {
            for (int x = 1; x <= t && x <= j; x++) {
                int src = j - x;
                if (src > done)
                    continue;
                double w = binom(t, x);
                const double *from = dp + (size_t)src * width;
                double *to = dp + (size_t)j * width + (size_t)x * d;
                for (size_t s = 0; s <= hi; s++)
                    if (from[s] != 0)
                        to[s] += w * from[s];
            }
        }
        hi += (size_t)(t < k ? t : k) * d;
        if (hi > width - 1)
            hi = width - 1;
        done += t;
        lo = end;
    }
    int64_t obs = of_new ? sum2_new : (int64_t)n * (n + 1) - sum2_new;
    const double *last = dp + (size_t)k * width;
    double total = 0, tail = 0;
    for (size_t s = 0; s < width; s++) {
        total += last[s];
        if (of_new ? (int64_t)s >= obs : (int64_t)s <= obs)
            tail += last[s];
    }
    *p = tail / total;
out:
    free(dp);
    return rc;
}

ms_status ms_mwu_greater(const int64_t *base, int n_base, const int64_t *new_, int n_new,
                         ms_mwu_result *out)
{
    ms_status rc = MS_OK;
    mwu_item *it = NULL;
    double *dist = NULL;
    memset(out, 0, sizeof *out);
    out->p = 1;
    out->method = MS_MWU_EXACT;
    if (n_base <= 0 || n_new <= 0)
        goto out;
    int n = n_base + n_new;
    it = malloc((size_t)n * sizeof *it);
    if (!it) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    for (int i = 0; i < n_base; i++)
        it[i] = (mwu_item){base[i], false};
    for (int i = 0; i < n_new; i++)
        it[n_base + i] = (mwu_item){new_[i], true};
    qsort(it, (size_t)n, sizeof *it, cmp_item);

    /* Doubled mid-ranks keep every rank sum an integer; ties_term is sum(t^3 - t). */
    int64_t sum2_new = 0;
    double ties_term = 0;
    for (int lo = 0; lo < n;) {
        int end = lo;
        while (end < n && it[end].v == it[lo].v)
            end++;
        int64_t d = (int64_t)(lo + 1) + end;
        for (int i = lo; i < end; i++)
            if (it[i].is_new)
                sum2_new += d;
        double t = end - lo;
        ties_term += t * t * t - t;
        lo = end;
    }
    out->ties = ties_term > 0;
    double u2 = (double)(sum2_new - (int64_t)n_new * (n_new + 1));
    out->u = u2 / 2;
    double p = 1;
    if ((int64_t)n_base * n_new > MS_MWU_EXACT_MAX) {
        out->method = MS_MWU_NORMAL;
        double nn = (double)n_base * n_new;
        double var = nn / 12 * ((n + 1) - ties_term / ((double)n * (n - 1)));
        if (var > 0) {
            double sd = 0, tail = 0;
            if ((rc = ms_sqrt(var, &sd)) != MS_OK)
                goto out;
            double z = (out->u - nn / 2 - 0.5) / sd;
            if ((rc = ms_erfc(z / 1.41421356237309504880, &tail)) != MS_OK) /* sqrt(2) */
                goto out;
            p = 0.5 * tail;
        }
    } else if (out->ties) {
        out->method = MS_MWU_EXACT_TIES;
        if ((rc = exact_ties_p(it, n, n_new, sum2_new, &p)) != MS_OK)
            goto out;
    } else {
        size_t mn = (size_t)n_base * (size_t)n_new;
        dist = malloc((mn + 1) * sizeof *dist);
        if (!dist) {
            rc = MS_ERR_NOMEM;
            goto out;
        }
        if ((rc = exact_dist(n_base, n_new, dist)) != MS_OK)
            goto out;
        double total = 0, tail = 0;
        for (size_t v = 0; v <= mn; v++) {
            total += dist[v];
            if ((double)v >= out->u)
                tail += dist[v];
        }
        p = tail / total;
    }
    out->p = p > 1 ? 1 : p < 0 ? 0 : p;
out:
    if (rc != MS_OK) {
        memset(out, 0, sizeof *out);
        out->p = 1;
    }
    free(it);
    free(dist);
    return rc;
}

/* delta > fraction * base, with the fraction in parts per million so that a threshold given in
 * whole percents is compared exactly; in doubles only where the products would overflow (hours
 * of delay, where one part in 2^53 does not matter). */
static bool over_fraction(int64_t delta, int64_t base, double fraction)
{
    if (delta <= 0)
        return false;
    if (base <= 0)
        return true;
    double f = fraction * 1e6;
    int64_t ppm = f <= 0 ? 0 : f >= 1e15 ? (int64_t)1e15 : ms_llround(f);
    if (delta <= INT64_MAX / 1000000 && (ppm == 0 || base <= INT64_MAX / ppm))
        return delta * 1000000 > ppm * base;
    return (double)delta * 1e6 > (double)ppm * (double)base;
}

bool ms_mwu_can_pass(int n_base, int n_new)
{
    if (n_base < MS_MWU_MIN_SAMPLES || n_new < MS_MWU_MIN_SAMPLES)
        return false;
    /* The smallest p of the exact test is 1 / C(n_base + n_new, n_base): every new value above
     * every base value. The binomial coefficient grows fast: stop once it passes 1 / alpha. */
    double c = 1;
    for (int k = 1; k <= n_base && c * MS_MWU_ALPHA <= 1; k++)
        c = c * (n_new + k) / k;
    return 1 / c < MS_MWU_ALPHA;
}

ms_status ms_regression_check(const int64_t *base, int n_base, const int64_t *new_, int n_new,
                              const ms_regression_limits *limits, ms_regression *out)
{
    ms_status rc = MS_OK;
    memset(out, 0, sizeof *out);
    out->n_base = n_base > 0 ? n_base : 0;
    out->n_new = n_new > 0 ? n_new : 0;
    out->delta_pct = NAN;
    out->p = NAN;
    out->thresholds_only = !ms_mwu_can_pass(out->n_base, out->n_new);
    if (out->n_base == 0 || out->n_new == 0)
        goto out;
    ms_stats sb, sn;
    if ((rc = ms_stats_compute(base, n_base, &sb)) != MS_OK)
        goto out;
    if ((rc = ms_stats_compute(new_, n_new, &sn)) != MS_OK)
        goto out;
    out->base_median_us = sb.median;
    out->new_median_us = sn.median;
    out->delta_us = sn.median - sb.median;
    if (sb.median != 0)
        out->delta_pct = 100.0 * (double)out->delta_us / (double)sb.median;
    if (!out->thresholds_only) {
        ms_mwu_result t;
        if ((rc = ms_mwu_greater(base, n_base, new_, n_new, &t)) != MS_OK)
            goto out;
        out->p = t.p;
    }
    bool slower = out->delta_us > limits->min_slowdown_us &&
                  over_fraction(out->delta_us, sb.median, limits->max_slowdown);
    out->regressed = slower && (out->thresholds_only || out->p < MS_MWU_ALPHA);
out:
    if (rc != MS_OK) {
        out->regressed = false;
        out->p = NAN;
    }
    return rc;
}
