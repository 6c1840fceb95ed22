/* The statistics of the regression gate: a one-sided Mann-Whitney U test ("are the new samples
 * slower than the base ones?") and the regression decision built on it. Pure functions over
 * arrays of durations: no I/O; libc, and libm loaded for the normal approximation (ms/libm.h). */
#ifndef MS_MWU_H
#define MS_MWU_H

#include <stdbool.h>
#include <stdint.h>

#include "ms/status.h"

/* The significance level of the gate: a slowdown counts when p < MS_MWU_ALPHA. */
#define MS_MWU_ALPHA 0.05

/* Below this many samples on either side the test is not made: the thresholds alone decide. */
#define MS_MWU_MIN_SAMPLES 3

/* Whether the test over samples of these sizes can give p < MS_MWU_ALPHA at all: at least
 * MS_MWU_MIN_SAMPLES a side, and a smallest exact p-value 1 / C(n_base + n_new, n_base) below
 * alpha. 3 against 3 cannot (1/20 = 0.05): there, as with fewer, the thresholds alone decide,
 * else a gate at 3 samples could never fire. 3 against 4 can (1/35). */
bool ms_mwu_can_pass(int n_base, int n_new);

/* The exact distribution is used while n_base * n_new <= MS_MWU_EXACT_MAX (50 by 50, or 10 by
 * 250); beyond, the normal approximation. */
#define MS_MWU_EXACT_MAX 2500

typedef enum {
    MS_MWU_EXACT,      /* no ties: the exact null distribution of U */
    MS_MWU_EXACT_TIES, /* ties: the exact permutation distribution of U over the mid-ranks */
    MS_MWU_NORMAL      /* the normal approximation, tie and continuity corrected */
} ms_mwu_method;

typedef struct {
    /* U of the new sample: the pairs (base b, new x) with x > b, plus half of those with
     * x == b; between 0 and n_base * n_new. */
    double u;
    /* P(U >= u) when both samples come from one distribution: small when the new samples are
     * larger (slower). 1 when a sample is empty. */
    double p;
    ms_mwu_method method;
    bool ties; /* some value occurs more than once among the n_base + n_new values */
} ms_mwu_result;

/* The one-sided Mann-Whitney U test of the alternative "new is stochastically larger than base"
 * over n_base and n_new values (any order; neither array is changed; a count <= 0 is an empty
 * sample, whose array may then be NULL). Ties get mid-ranks. The p-value is exact while
 * n_base * n_new <= MS_MWU_EXACT_MAX: without ties from the null distribution of U, with ties
 * from the permutation distribution of the mid-rank statistic (the exact conditional test:
 * every way of splitting these very values into samples of these sizes is equally likely);
 * beyond that, from the normal approximation with the tie-corrected variance and a continuity
 * correction of 1/2 (as R's wilcox.test(new, base, alternative = "greater", correct = TRUE) and
 * scipy's mannwhitneyu(new, base, alternative = "greater", method = "asymptotic")).
 * MS_OK, or MS_ERR_NOMEM, or MS_ERR_IO when the normal approximation needs libm and it cannot be
 * loaded (ms/libm.h); then *out is zeroed with p 1: never to be taken for a result. */
ms_status ms_mwu_greater(const int64_t *base, int n_base, const int64_t *new_, int n_new,
                         ms_mwu_result *out);

/* The thresholds of the gate: a slowdown counts only when it passes both. */
typedef struct {
    double max_slowdown;     /* a fraction of the base median (0.2 for 20%), >= 0 */
    int64_t min_slowdown_us; /* microseconds, >= 0 */
} ms_regression_limits;

typedef struct {
    int n_base, n_new;
    int64_t base_median_us, new_median_us; /* nearest-rank medians, as every report shows */
    int64_t delta_us;                      /* new_median_us - base_median_us */
    double delta_pct; /* 100 * delta_us / base_median_us; NaN when the base median is 0 */
    double p;         /* the test's p-value (ms_mwu_greater); NaN when not computed */
    /* Too few samples for the test to pass (!ms_mwu_can_pass: fewer than MS_MWU_MIN_SAMPLES on
     * a side, or 3 against 3): no test was made (p is NaN) and the thresholds alone decided;
     * reports say so. */
    bool thresholds_only;
    bool regressed;
} ms_regression;

/* Decide whether new is a regression of base: both medians' change passes both thresholds
 * (delta_us > min_slowdown_us, and delta_us > max_slowdown * base_median_us, compared exactly
 * in parts per million of the base median, so that "20%" is not a regression at exactly +20%)
 * and either p < MS_MWU_ALPHA or thresholds_only. A base median of 0 is passed by any slowdown
 * relatively. With no sample on a side nothing is compared: medians and delta 0, delta_pct
 * and p NaN, thresholds_only set, not regressed. The samples are the completed ones, in
 * microseconds, any order; neither array is changed. MS_OK, MS_ERR_NOMEM or MS_ERR_IO (as
 * ms_mwu_greater; then *out says not regressed, p NaN: never to be taken for a result). */
ms_status ms_regression_check(const int64_t *base, int n_base, const int64_t *new_, int n_new,
                              const ms_regression_limits *limits, ms_regression *out);

#endif
