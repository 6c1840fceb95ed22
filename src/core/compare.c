/* Comparing two runs (see ms/compare.h). */
#include "ms/compare.h"

#include <stdlib.h>
#include <string.h>

/* The first check of run with that id, or NULL. */
static const ms_run_check *find_check(const ms_run *run, const char *id)
{
    for (size_t i = 0; i < run->nchecks; i++)
        if (run->checks[i]->id && id && strcmp(run->checks[i]->id, id) == 0)
            return run->checks[i];
    return NULL;
}

/* Whether checks[0 .. i) of run already has the id of checks[i] (a repeated id). */
static bool seen_before(const ms_run *run, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (run->checks[k]->id && run->checks[i]->id &&
            strcmp(run->checks[k]->id, run->checks[i]->id) == 0)
            return true;
    return false;
}

/* A copy of src (NULL for NULL) with malloc, so that the tests' wrapper can fail it. */
static ms_status dup_str(char **dst, const char *src)
{
    *dst = NULL;
    if (!src)
        return MS_OK;
    size_t n = strlen(src) + 1;
    *dst = malloc(n);
    if (!*dst)
        return MS_ERR_NOMEM;
    memcpy(*dst, src, n);
    return MS_OK;
}

/* The completed samples' phase ph of c into a new array (*out, *n); MS_OK or MS_ERR_NOMEM. */
static ms_status completed_phase(const ms_run_check *c, ms_phase ph, int64_t **out, int *n)
{
    *out = NULL;
    *n = 0;
    if (c->nsamples <= 0)
        return MS_OK;
    int64_t *v = malloc((size_t)c->nsamples * sizeof *v);
    if (!v)
        return MS_ERR_NOMEM;
    for (int i = 0; i < c->nsamples; i++)
        if (c->samples[i].completed)
            v[(*n)++] = c->samples[i].ph[ph];
    *out = v;
    return MS_OK;
}

/* Compare the phases of two http checks into cc. */
static ms_status compare_phases(const ms_run_check *b, const ms_run_check *n,
                                const ms_regression_limits *limits, ms_cmp_check *cc)
{
    ms_status rc = MS_OK;
    int64_t *bv = NULL, *nv = NULL;
    ms_phase list[MS_PH_COUNT];
    size_t count = 0;
    for (int ph = 0; ph < MS_PH_COUNT; ph++)
        if (n->budget_us[ph] >= 0)
            list[count++] = (ms_phase)ph;
    bool budgeted = count > 0;
    if (!budgeted)
        list[count++] = MS_PH_TOTAL;
    cc->phases = calloc(count, sizeof *cc->phases);
    if (!cc->phases) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    for (size_t k = 0; k < count; k++) {
        int nb = 0, nn = 0;
        rc = completed_phase(b, list[k], &bv, &nb);
        if (rc != MS_OK)
            goto out;
        rc = completed_phase(n, list[k], &nv, &nn);
        if (rc != MS_OK)
            goto out;
        ms_cmp_phase *p = &cc->phases[cc->nphases];
        p->phase = list[k];
        p->budgeted = budgeted;
        rc = ms_regression_check(bv, nb, nv, nn, limits, &p->r);
        free(bv);
        free(nv);
        bv = nv = NULL;
        if (rc != MS_OK)
            goto out;
        cc->nphases++;
        if (p->r.regressed)
            cc->regressed = true;
        if (p->r.thresholds_only)
            cc->thresholds_only = true;
    }
out:
    free(bv);
    free(nv);
    return rc;
}

/* Fill cc from the check on each side (either may be NULL, not both). */
static ms_status compare_check(const ms_run_check *b, const ms_run_check *n,
                               const ms_regression_limits *limits, ms_cmp_check *cc)
{
    ms_status rc = MS_OK;
    const ms_run_check *c = n ? n : b;
    rc = dup_str(&cc->id, c->id);
    if (rc == MS_OK)
        rc = dup_str(&cc->title, c->title);
    if (rc != MS_OK)
        goto out;
    cc->kind = c->kind;
    cc->side = b && n ? MS_CMP_BOTH : b ? MS_CMP_BASE_ONLY : MS_CMP_NEW_ONLY;
    if (b) {
        cc->base_status = b->status;
        cc->has_base_score = b->has_score;
        cc->base_score = b->score;
    }
    if (n) {
        cc->new_status = n->status;
        cc->has_new_score = n->has_score;
        cc->new_score = n->score;
    }
    if (b && n) {
        cc->started_failing = n->status == MS_ST_FAIL && b->status != MS_ST_FAIL;
        cc->stopped_failing = b->status == MS_ST_FAIL && n->status != MS_ST_FAIL;
        if (b->kind == MS_KIND_HTTP && n->kind == MS_KIND_HTTP)
            rc = compare_phases(b, n, limits, cc);
    }
out:
    return rc;
}

static void free_check(ms_cmp_check *cc)
{
    free(cc->id);
    free(cc->title);
    free(cc->phases);
}

ms_status ms_compare_runs(const ms_run *base, const ms_run *new_,
                          const ms_regression_limits *limits, ms_comparison *out)
{
    ms_status rc = MS_OK;
    memset(out, 0, sizeof *out);
    out->limits = *limits;
    size_t cap = base->nchecks + new_->nchecks;
    if (cap > 0) {
        out->checks = calloc(cap, sizeof *out->checks);
        if (!out->checks) {
            rc = MS_ERR_NOMEM;
            goto out;
        }
    }
    for (size_t i = 0; i < new_->nchecks; i++) {
        if (seen_before(new_, i))
            continue;
        const ms_run_check *n = new_->checks[i];
        const ms_run_check *b = find_check(base, n->id);
        ms_cmp_check *cc = &out->checks[out->nchecks++];
        rc = compare_check(b, n, limits, cc);
        if (rc != MS_OK)
            goto out;
    }
    for (size_t i = 0; i < base->nchecks; i++) {
        if (seen_before(base, i) || find_check(new_, base->checks[i]->id))
            continue;
        ms_cmp_check *cc = &out->checks[out->nchecks++];
        rc = compare_check(base->checks[i], NULL, limits, cc);
        if (rc != MS_OK)
            goto out;
    }
    for (size_t i = 0; i < out->nchecks; i++) {
        const ms_cmp_check *cc = &out->checks[i];
        out->nregressed += cc->regressed;
        out->nstarted += cc->started_failing;
        out->nstopped += cc->stopped_failing;
        out->nbase_only += cc->side == MS_CMP_BASE_ONLY;
        out->nnew_only += cc->side == MS_CMP_NEW_ONLY;
    }
    out->overall = (ms_cmp_score){base->scores.has_overall, new_->scores.has_overall,
                                  base->scores.overall, new_->scores.overall};
    for (int f = 0; f < MS_FACTOR_COUNT; f++)
        out->factor[f] = (ms_cmp_score){base->scores.has_factor[f], new_->scores.has_factor[f],
                                        base->scores.factor[f], new_->scores.factor[f]};
out:
    if (rc != MS_OK)
        ms_comparison_cleanup(out);
    return rc;
}

void ms_comparison_cleanup(ms_comparison *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nchecks; i++)
        free_check(&c->checks[i]);
    free(c->checks);
    memset(c, 0, sizeof *c);
}

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
