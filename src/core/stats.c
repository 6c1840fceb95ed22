#include "ms/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ms/util.h"

int64_t ms_percentile(const int64_t *sorted, int n, double p)
{
    double r = p / 100.0 * n - 1e-9;
    int rank = (int)r; /* toward zero: ceil(r) once it is below r */
    if (rank < r)
        rank++;
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return sorted[rank - 1];
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

void ms_stats_sort(int64_t *v, int n, ms_stats *out)
{
    memset(out, 0, sizeof *out);
    if (n <= 0)
        return;
    qsort(v, (size_t)n, sizeof *v, cmp_i64);
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += (double)v[i];
    out->n = n;
    out->min = v[0];
    out->max = v[n - 1];
    out->median = ms_percentile(v, n, 50);
    out->p90 = ms_percentile(v, n, 90);
    out->p95 = ms_percentile(v, n, 95);
    out->mean = ms_llround(sum / n);
}

ms_status ms_stats_compute(const int64_t *values, int n, ms_stats *out)
{
    memset(out, 0, sizeof *out);
    if (n <= 0)
        return MS_OK;
    int64_t small[64];
    int64_t *v = n <= 64 ? small : malloc((size_t)n * sizeof *v);
    if (!v)
        return MS_ERR_NOMEM;
    memcpy(v, values, (size_t)n * sizeof *v);
    ms_stats_sort(v, n, out);
    if (v != small)
        free(v);
    return MS_OK;
}

int64_t ms_stats_get(const ms_stats *st, ms_stat s)
{
    switch (s) {
    case MS_STAT_MEDIAN:
        return st->median;
    case MS_STAT_P90:
        return st->p90;
    case MS_STAT_P95:
        return st->p95;
    case MS_STAT_MAX:
        return st->max;
    case MS_STAT_MEAN:
        return st->mean;
    case MS_STAT_MIN:
        return st->min;
    }
    return st->median;
}
