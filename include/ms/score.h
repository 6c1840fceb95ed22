/* The scoring model and the gate: pure functions over the run record. No I/O. */
#ifndef MS_SCORE_H
#define MS_SCORE_H

#include <stdbool.h>
#include <stddef.h>

#include "ms/buf.h"
#include "ms/compare.h"
#include "ms/model.h"
#include "ms/run.h"
#include "ms/status.h"

/* The rank of a factor in the overall score: product 3, people 2, convenience 1. */
double ms_factor_rank(ms_factor f);

/* Score one check of a run from its samples or answer: sets status, score/has_score, st,
 * judged_phase, worst_phase, body_cut_held and evidence (a new string). A check with no samples
 * and no answer is unanswered (manual) or not run (http). MS_OK or MS_ERR_NOMEM. */
ms_status ms_score_check(ms_run_check *ck);

/* The budgeted phase whose statistic (ck->st, ck->stat) is furthest over, or nearest to, its
 * budget, with that ratio in *ratio (0 when none); -1 without a budget or when every sample
 * failed. */
int ms_judged_phase(const ms_run_check *ck, double *ratio);

/* Score a run: every check, then the sections, factors, audiences and the overall score, then
 * the prioritised fix list (failed critical first, then impact / effort, external before
 * internal, run order): one entry per failed check, but one host fix for the failed http checks
 * that got no response from a host no check got one from, when there are two or more; then the
 * "could be better" list (run->better) of the checks that passed with a score below 1. A pure
 * function of the record's definitions, samples and answers: no I/O. Every score and impact is
 * computed exactly, then published rounded to two decimals (as every report shows them). MS_OK or
 * MS_ERR_NOMEM. */
ms_status ms_score_run(ms_run *run);

/* run --baseline, after ms_score_run and before ms_run_judge: each check run->baseline found
 * regressed takes its place in the fix list. A check that failed keeps its one entry, whose
 * evidence gets the regression's ("...; got slower since REF: median total 120 ms -> 190 ms,
 * +58%, p = 0.01"); any other gets an entry of its own after the failed checks' (out of the
 * "could be better" list), ordered as they are among themselves, severity critical for a
 * critical check, else serious or moderate by its impact, the hint for the phase that grew
 * most. The score is not changed. Nothing without a baseline. MS_OK or MS_ERR_NOMEM. */
ms_status ms_score_regressions(ms_run *run);

/* The evidence of a regressed check (ms/compare.h) into b: "got slower since REF: median total
 * 120 ms -> 190 ms, +58%, p = 0.01", a clause a regressed phase joined by "; ", "thresholds
 * only" in place of p when a side had fewer than MS_MWU_MIN_SAMPLES samples. */
void ms_regression_evidence(const char *ref, const ms_cmp_check *cc, ms_buf *b);

/* The hint for a phase that is over budget (static text), or NULL. */
const char *ms_phase_hint(int phase);

/* The run's verdict from its scores and the gate's options (recorded in the verdict): the list
 * of every reason that applies (--fail-on; nothing scored, unless --fail-on none; --fail-under,
 * comparing the published overall score, which the reason prints with its two decimals;
 * run->baseline's regressions, "2 checks got slower since REF", unless --fail-on none;
 * --require-complete; interrupted), passed, the gate's reason, and the exit code
 * (ms_status_exit_code of ms_run_status), the one mapping from a run to its exit code.
 * fail_under < 0 means no score gate. Any reasons the verdict had are replaced. MS_OK or
 * MS_ERR_NOMEM. */
ms_status ms_run_judge(ms_run *run, ms_fail_on fail_on, double fail_under, bool require_complete);

#endif
