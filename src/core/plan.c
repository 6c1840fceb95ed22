/* The plan of a run and what needs no file to do with it: find, select, redact, free. */
#include "ms/plan.h"

#include <stdlib.h>
#include <string.h>

void ms_plan_cleanup(ms_plan *plan)
{
    for (size_t i = 0; i < plan->nchecks; i++) {
        if (plan->checks[i])
            ms_check_cleanup(plan->checks[i]);
        free(plan->checks[i]);
    }
    free(plan->checks);
    ms_budget_pool_cleanup(&plan->budgets);
    for (size_t i = 0; i < plan->nlists; i++) {
        ms_checklist *cl = &plan->lists[i];
        for (size_t s = 0; s < cl->nsections; s++) {
            free(cl->sections[s].id);
            free(cl->sections[s].title);
            free(cl->sections[s].checks);
        }
        free(cl->sections);
        free(cl->path);
        free(cl->id);
        free(cl->title);
        free(cl->description);
    }
    free(plan->lists);
    ms_secrets_cleanup(&plan->secrets);
    for (size_t i = 0; i < plan->nshort_secrets; i++)
        free(plan->short_secrets[i]);
    free(plan->short_secrets);
    memset(plan, 0, sizeof *plan);
}

void ms_plan_drop_check(ms_plan *plan, ms_section *sec, size_t c)
{
    ms_check *ck = sec->checks[c];
    if (!ck)
        return;
    if (ck->order < plan->nchecks)
        plan->checks[ck->order] = NULL;
    sec->checks[c] = NULL;
    ms_check_cleanup(ck);
    free(ck);
}

ms_status ms_plan_redact(const ms_plan *plan, const char *s, char **out)
{
    return ms_secrets_redact_str(&plan->secrets, s, out);
}

ms_check *ms_plan_find_check(const ms_plan *plan, const char *id)
{
    for (size_t i = 0; i < plan->nchecks; i++)
        if (plan->checks[i]->id && strcmp(plan->checks[i]->id, id) == 0)
            return plan->checks[i];
    return NULL;
}

ms_section *ms_plan_find_section(const ms_plan *plan, const char *id)
{
    for (size_t i = 0; i < plan->nlists; i++)
        for (size_t s = 0; s < plan->lists[i].nsections; s++)
            if (plan->lists[i].sections[s].id && strcmp(plan->lists[i].sections[s].id, id) == 0)
                return &plan->lists[i].sections[s];
    return NULL;
}

ms_status ms_plan_select(ms_plan *plan, const char *const *only, size_t nonly, const char **bad)
{
    *bad = NULL;
    for (size_t i = 0; i < plan->nchecks; i++)
        plan->checks[i]->selected = nonly == 0;
    for (size_t k = 0; k < nonly; k++) {
        ms_check *ck = ms_plan_find_check(plan, only[k]);
        ms_section *sec = ms_plan_find_section(plan, only[k]);
        if (ck) {
            ck->selected = true;
        } else if (sec) {
            for (size_t i = 0; i < sec->nchecks; i++)
                sec->checks[i]->selected = true;
        } else {
            *bad = only[k];
            return MS_ERR_USAGE;
        }
    }
    return MS_OK;
}
