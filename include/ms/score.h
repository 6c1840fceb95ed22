/* The scoring model: pure functions over the plan's checks and their results. No I/O. */
#ifndef MS_SCORE_H
#define MS_SCORE_H

#include <stdbool.h>
#include <stddef.h>

#include "ms/checklist.h"
#include "ms/model.h"
#include "ms/status.h"

/* The rank of a factor in the overall score: product 3, people 2, convenience 1. */
double ms_factor_rank(ms_factor f);

/* Score one check from its samples or answer: sets res.status, res.score/has_score,
 * res.st, res.worst_phase and res.evidence (a new string). A check with no samples and no
 * answer is unanswered (manual) or not run (http). */
ms_status ms_score_check(ms_check *ck);

/* Score every selected check, then the sections, factors, audiences and the overall score. */
ms_status ms_score_plan(ms_plan *plan, ms_scores *out);

/* The prioritised fix list: one entry per selected check scored below 1 or failed, in order
 * (failed critical first, then impact / effort, external before internal, checklist order).
 * *out is an array the caller frees (entries borrow the checks). */
ms_status ms_fixes_build(const ms_plan *plan, ms_fix **out, size_t *n);

/* Did a body_not_contains of ck hold on a sample whose body was cut, so only for the part that
 * was examined? */
bool ms_held_on_cut(const ms_check *ck);

/* The hint for a phase that is over budget (static text), or NULL. */
const char *ms_phase_hint(int phase);

typedef enum { MS_FAIL_ON_ANY, MS_FAIL_ON_CRITICAL, MS_FAIL_ON_NONE } ms_fail_on;

/* The gate: true when the audit passes. fail_under < 0 means no score gate. why receives a
 * short reason when it fails ("2 checks failed", "score 61.0 below 70"). */
bool ms_gate(const ms_scores *sc, ms_fail_on fail_on, double fail_under, char *why, size_t whylen);

#endif
