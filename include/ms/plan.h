/* The plan of a run: every checklist with its checks in order, the secrets to hide, and what can
 * be done with it without reading a file (finding a check or section, choosing the checks with
 * --only, redacting, freeing). Filled in by the checklist loader (ms/checklist.h). */
#ifndef MS_PLAN_H
#define MS_PLAN_H

#include <stddef.h>

#include "ms/model.h"
#include "ms/redact.h"
#include "ms/status.h"

/* Every checklist of a run, with all their checks in order. */
typedef struct {
    ms_checklist *lists;
    size_t nlists;
    ms_check **checks; /* owned, in checklist order (checks[i]->order == i); NULL once dropped */
    size_t nchecks;
    ms_budget_pool budgets; /* the checks' budgets, shared */
    ms_secrets secrets;     /* values that came from the environment, to redact */
    char **short_secrets;   /* names of environment variables too short to hide (run refuses) */
    size_t nshort_secrets;
} ms_plan;

/* Free everything the plan holds. Harmless on a zeroed plan. */
void ms_plan_cleanup(ms_plan *plan);

/* Free the check sec->checks[c] now (the run record has taken what it needs): it is NULL in the
 * section and in plan->checks from here on. Harmless when it is NULL already. */
void ms_plan_drop_check(ms_plan *plan, ms_section *sec, size_t c);

/* s with every secret, in every encoded form, replaced by "***" (ms_secrets_redact): a new string
 * in *out (caller frees). MS_OK or MS_ERR_NOMEM (*out is NULL then). */
ms_status ms_plan_redact(const ms_plan *plan, const char *s, char **out);

/* Find a check or section by id; NULL when none. */
ms_check *ms_plan_find_check(const ms_plan *plan, const char *id);
ms_section *ms_plan_find_section(const ms_plan *plan, const char *id);

/* Choose the checks to run: those with the ids in only (a check's, or a section's for all its
 * checks), or every check when nonly is 0. MS_OK, or MS_ERR_USAGE with *bad set to the first id
 * that names no check or section (a pointer into only). Prints nothing. */
ms_status ms_plan_select(ms_plan *plan, const char *const *only, size_t nonly, const char **bad);

#endif
