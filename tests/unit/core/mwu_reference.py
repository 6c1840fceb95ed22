#!/usr/bin/python3
"""Make tests/unit/core/mwu_reference.h: reference p-values of the one-sided Mann-Whitney U test
(alternative: new is stochastically larger than base) for test_mwu.c, so that the test needs no
scipy when it runs.

    /usr/bin/python3 tests/unit/core/mwu_reference.py > tests/unit/core/mwu_reference.h

Needs Debian's python3-scipy (1.10 made the committed table). The samples come from a seeded
generator, so the output is the same on every run. Sources of the p-values:
  scipy-exact       mannwhitneyu(new, base, alternative='greater', method='exact'): samples
                    without ties, n_base * n_new <= 2500 (the module's exact range)
  scipy-asymptotic  method='asymptotic', use_continuity=True (tie-corrected variance): samples
                    beyond the exact range, with and without ties
  scipy-permutation permutation_test over every split of the values (exact enumeration, the
                    statistic U with mid-ranks): small samples with ties
  exact-fractions   the permutation distribution with ties in exact integer arithmetic, by
                    enumerating how many values of each tie group the new sample takes (counted
                    with binomial coefficients): larger samples with ties, where enumerating
                    every split is too slow for permutation_test
"""

import math
import sys
from fractions import Fraction

import numpy as np
import scipy
import scipy.stats as ss

rng = np.random.default_rng(20261201)


def u_stat(new, base):
    """U of new: pairs with new > base, plus half the ties."""
    u = 0.0
    for x in new:
        for b in base:
            u += 1.0 if x > b else 0.5 if x == b else 0.0
    return u


def durations(n, median_us, spread, quantum):
    """n log-normal durations around median_us, rounded to a multiple of quantum us."""
    v = np.exp(rng.normal(math.log(median_us), spread, n))
    return [int(max(quantum, round(x / quantum) * quantum)) for x in v]


def distinct(n, median_us, spread, taken):
    """Like durations, every value new (not in taken), at microsecond resolution."""
    out = []
    while len(out) < n:
        x = durations(1, median_us, spread, 1)[0]
        if x not in taken:
            taken.add(x)
            out.append(x)
    return out


def tied(nb, nn, slow, quantum):
    """Samples on a grid of quantum us that have at least one tie."""
    while True:
        base = durations(nb, 100000, 0.2, quantum)
        new = durations(nn, 100000 * slow, 0.2, quantum)
        if len(set(base + new)) < nb + nn:
            return base, new


def exact_fractions(base, new):
    """P(U_new >= u) over every split of the pooled values, in exact arithmetic: the number of
    splits taking j_g values of tie group g (sizes t_g) is the product of C(t_g, j_g); the
    statistic is the new sample's sum of mid-ranks."""
    pooled = sorted(base + new)
    groups = []  # (value, size, mid-rank as a Fraction)
    i = 0
    while i < len(pooled):
        j = i
        while j < len(pooled) and pooled[j] == pooled[i]:
            j += 1
        groups.append((pooled[i], j - i, Fraction(i + 1 + j, 2)))
        i = j
    mid = {v: r for v, _, r in groups}
    observed = sum(mid[x] for x in new)
    k = len(new)
    states = {(0, Fraction(0)): 1}  # (values taken, their rank sum) -> number of splits
    for _, t, r in groups:
        nxt = {}
        for (j, s), c in states.items():
            for x in range(0, min(t, k - j) + 1):
                key = (j + x, s + x * r)
                nxt[key] = nxt.get(key, 0) + c * math.comb(t, x)
        states = nxt
    total = sum(c for (j, _), c in states.items() if j == k)
    tail = sum(c for (j, s), c in states.items() if j == k and s >= observed)
    assert total == math.comb(len(pooled), k)
    return float(Fraction(tail, total))


def permutation(base, new):
    def stat(x, y, axis):
        # U of x, pair by pair (ties a half), over the last axis of a batch of resamples.
        x = np.moveaxis(x, axis, -1)[..., :, None]
        y = np.moveaxis(y, axis, -1)[..., None, :]
        return ((x > y) + 0.5 * (x == y)).sum(axis=(-1, -2))

    total = math.comb(len(base) + len(new), len(new))
    res = ss.permutation_test((new, base), stat, permutation_type='independent', vectorized=True,
                              alternative='greater', n_resamples=total + 1)
    return float(res.pvalue)


rows = []  # (source, method, base, new, p)


def add(source, method, base, new):
    if source == 'scipy-exact':
        assert len(set(base + new)) == len(base + new)
        p = ss.mannwhitneyu(new, base, alternative='greater', method='exact').pvalue
    elif source == 'scipy-asymptotic':
        p = ss.mannwhitneyu(new, base, alternative='greater', method='asymptotic',
                            use_continuity=True).pvalue
    elif source == 'scipy-permutation':
        p = permutation(base, new)
    else:
        p = exact_fractions(base, new)
    rows.append((source, method, base, new, float(p)))
    print(source, len(base), len(new), p, file=sys.stderr, flush=True)


# Exact, no ties: small and odd shapes, a slower new side and an equal one.
for nb, nn, slow in [(1, 1, 1.0), (1, 6, 1.3), (2, 2, 1.0), (3, 3, 1.5), (3, 5, 1.2),
                     (4, 4, 1.0), (5, 5, 1.3), (5, 5, 2.0), (6, 9, 1.1), (8, 8, 1.2),
                     (10, 10, 1.0), (10, 7, 1.15), (12, 15, 1.1), (20, 20, 1.05),
                     (25, 30, 1.1), (50, 50, 1.02), (50, 50, 1.0), (10, 250, 1.05),
                     (250, 10, 1.05), (1, 200, 1.0), (49, 51, 1.03)]:
    taken = set()
    base = distinct(nb, 100000, 0.2, taken)
    new = distinct(nn, 100000 * slow, 0.2, taken)
    add('scipy-exact', 'MS_MWU_EXACT', base, new)

# Normal approximation: beyond n_base * n_new = 2500, with ties (ms quanta) and without.
for nb, nn, slow, quantum in [(51, 50, 1.02, 1), (60, 70, 1.05, 1), (5, 501, 1.1, 1),
                              (200, 200, 1.0, 1), (51, 50, 1.03, 1000), (100, 100, 1.0, 5000),
                              (80, 90, 1.05, 2000), (300, 300, 1.01, 10000)]:
    if quantum == 1:
        taken = set()
        base = distinct(nb, 100000, 0.2, taken)
        new = distinct(nn, 100000 * slow, 0.2, taken)
    else:
        base, new = tied(nb, nn, slow, quantum)
    add('scipy-asymptotic', 'MS_MWU_NORMAL', base, new)

# Exact with ties, small: enumerated by scipy's permutation_test.
for nb, nn, slow, quantum in [(3, 3, 1.3, 20000), (4, 5, 1.2, 10000), (5, 5, 1.1, 10000),
                              (6, 6, 1.2, 20000), (7, 8, 1.0, 10000), (3, 12, 1.2, 20000),
                              (8, 8, 1.1, 5000), (9, 9, 1.15, 10000)]:
    base, new = tied(nb, nn, slow, quantum)
    add('scipy-permutation', 'MS_MWU_EXACT_TIES', base, new)
# All values equal: p = 1.
add('scipy-permutation', 'MS_MWU_EXACT_TIES', [50000] * 4, [50000] * 5)

# Exact with ties, larger: exact integer arithmetic.
for nb, nn, slow, quantum in [(20, 20, 1.1, 10000), (30, 40, 1.05, 5000), (50, 50, 1.03, 2000),
                              (50, 50, 1.0, 20000), (250, 10, 1.1, 10000),
                              (45, 55, 1.1, 50000)]:
    base, new = tied(nb, nn, slow, quantum)
    add('exact-fractions', 'MS_MWU_EXACT_TIES', base, new)

out = sys.stdout
out.write('/* Made by tests/unit/core/mwu_reference.py with scipy %s: do not edit. */\n'
          % scipy.__version__)
out.write('/* clang-format off */\n')
for i, (_, _, base, new, _) in enumerate(rows):
    out.write('static const int64_t ref%d_base[] = {%s};\n' % (i, ', '.join(map(str, base))))
    out.write('static const int64_t ref%d_new[] = {%s};\n' % (i, ', '.join(map(str, new))))
out.write('static const struct mwu_ref {\n'
          '    const char *source;\n'
          '    ms_mwu_method method;\n'
          '    const int64_t *base;\n'
          '    int n_base;\n'
          '    const int64_t *new_;\n'
          '    int n_new;\n'
          '    bool ties;\n'
          '    double u;\n'
          '    double p;\n'
          '} mwu_refs[] = {\n')
for i, (source, method, base, new, p) in enumerate(rows):
    ties = 'true' if len(set(base + new)) < len(base + new) else 'false'
    out.write('    {"%s", %s, ref%d_base, %d, ref%d_new, %d, %s, %.1f, %.17g},\n'
              % (source, method, i, len(base), i, len(new), ties, u_stat(new, base), p))
out.write('};\n/* clang-format on */\n')
