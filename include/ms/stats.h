/* Statistics over samples: nearest-rank percentiles, so that every figure is a real sample. */
#ifndef MS_STATS_H
#define MS_STATS_H

#include <stdint.h>

#include "ms/model.h"
#include "ms/status.h"

/* The nearest-rank p-th percentile (0 < p <= 100) of n sorted values (n >= 1). */
int64_t ms_percentile(const int64_t *sorted, int n, double p);

/* Statistics of n values (any order; values is not changed). With n == 0 all are 0.
 * MS_ERR_NOMEM when there was no memory to sort them (then *out is all 0 and n is 0: never to be
 * taken for a result). */
ms_status ms_stats_compute(const int64_t *values, int n, ms_stats *out);

/* The same over values the caller lets it sort in place: it cannot fail. */
void ms_stats_sort(int64_t *values, int n, ms_stats *out);

/* The statistic named by s. */
int64_t ms_stats_get(const ms_stats *st, ms_stat s);

#endif
