/* A run's baseline (ms/compare.h): what run --baseline attaches to the run record. */
#include <stdlib.h>

#include "ms/compare.h"

void ms_run_baseline_free(ms_run_baseline *b)
{
    if (!b)
        return;
    free(b->ref);
    free(b->started_at);
    free(b->label);
    ms_comparison_cleanup(&b->cmp);
    free(b);
}
