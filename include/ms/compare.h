/* Comparing two runs (compare BASE NEW, run --baseline REF): per check in both runs and per
 * phase, both medians, the change, and whether it is a regression (ms/mwu.h decides); the checks
 * that started or stopped failing; the score changes by factor; the checks on one side only.
 * A pure function over two run records: libc only, no I/O (docs/decisions.md, Comparing runs). */
#ifndef MS_COMPARE_H
#define MS_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "ms/model.h"
#include "ms/mwu.h"
#include "ms/run.h"
#include "ms/status.h"

/* The gate's default thresholds: --max-slowdown 20%, --min-slowdown 10ms. */
#define MS_COMPARE_MAX_SLOWDOWN    0.2
#define MS_COMPARE_MIN_SLOWDOWN_US ((int64_t)10000)

/* One phase of one http check, compared over the completed samples of both runs. */
typedef struct {
    ms_phase phase;
    bool budgeted; /* the new run's check has a budget for it (else it is total, unbudgeted) */
    ms_regression r;
} ms_cmp_phase;

/* Where a check is: in both runs, or on one side only. */
typedef enum { MS_CMP_BOTH, MS_CMP_BASE_ONLY, MS_CMP_NEW_ONLY } ms_cmp_side;

/* One check, matched by id. Strings are owned (copies of the run's, already redacted). */
typedef struct {
    char *id;
    char *title; /* the new run's, or the base's when only there */
    ms_kind kind;
    ms_cmp_side side;
    ms_check_status base_status, new_status; /* meaningful on the sides it is on */
    bool started_failing;                    /* both sides: failed now, did not before */
    bool stopped_failing;                    /* both sides: failed before, does not now */
    bool has_base_score, has_new_score;
    double base_score, new_score; /* s in [0, 1] */
    /* http checks on both sides: each budgeted phase of the new run's check, in phase order, or
     * total alone when it has no budget */
    ms_cmp_phase *phases;
    size_t nphases;
    bool regressed;       /* some phase regressed */
    bool thresholds_only; /* some phase had fewer than MS_MWU_MIN_SAMPLES samples on a side */
} ms_cmp_check;

/* A score on both sides: overall (0-100) or one factor's. */
typedef struct {
    bool has_base, has_new;
    double base, new_;
} ms_cmp_score;

typedef struct {
    ms_regression_limits limits;
    /* the new run's checks in its order, then those only in the base, in its order */
    ms_cmp_check *checks;
    size_t nchecks;
    ms_cmp_score overall;
    ms_cmp_score factor[MS_FACTOR_COUNT];
    size_t nregressed, nstarted, nstopped, nbase_only, nnew_only;
} ms_comparison;

/* Compare new_ with base under limits into *out (zeroed first; free with
 * ms_comparison_cleanup). Checks are matched by id (the first of a repeated id). MS_OK or
 * MS_ERR_NOMEM (then *out is empty). */
ms_status ms_compare_runs(const ms_run *base, const ms_run *new_,
                          const ms_regression_limits *limits, ms_comparison *out);

/* Free what c holds and zero it. Harmless on a zeroed one. */
void ms_comparison_cleanup(ms_comparison *c);

/* A run's baseline (run --baseline REF): which run it was compared with, and the comparison.
 * Strings are owned. */
struct ms_run_baseline {
    char *ref;        /* the reference as given: "@last", "@label:prod", "main-report.json" */
    char *started_at; /* the base run's start */
    char *label;      /* the base run's label, NULL when none */
    ms_comparison cmp;
};

/* Free a baseline and what it holds; harmless on NULL. */
void ms_run_baseline_free(ms_run_baseline *b);

#endif
