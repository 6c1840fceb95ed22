/* The run record (see ms/run.h). */
#include "ms/i18n.h"
#include "ms/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms/compare.h"
#include "ms/redact.h"
#include "ms/stats.h"
#include "ms/util.h"

ms_status ms_run_set(char **dst, const char *src)
{
    char *copy = NULL;
    if (src && !(copy = strdup(src)))
        return MS_ERR_NOMEM;
    free(*dst);
    *dst = copy;
    return MS_OK;
}

/* *dst = src with every secret replaced by "***" (NULL for NULL). */
static ms_status set_clean(char **dst, const ms_secrets *secrets, const char *src)
{
    char *clean = NULL;
    if (!src || secrets->n == 0)
        return ms_run_set(dst, src);
    if (ms_secrets_redact_str(secrets, src, &clean) != MS_OK)
        return MS_ERR_NOMEM;
    free(*dst);
    *dst = clean;
    return MS_OK;
}

ms_status ms_run_new(ms_run **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? MS_OK : MS_ERR_NOMEM;
}

ms_status ms_run_add_checks(ms_run *run, size_t n)
{
    if (n == 0)
        return MS_OK;
    if (n > SIZE_MAX / sizeof *run->checks - run->nchecks)
        return MS_ERR_NOMEM;
    ms_run_check **grown = realloc(run->checks, (run->nchecks + n) * sizeof *grown);
    if (!grown)
        return MS_ERR_NOMEM;
    run->checks = grown;
    for (size_t i = 0; i < n; i++) {
        if (!(run->checks[run->nchecks] = calloc(1, sizeof **run->checks)))
            return MS_ERR_NOMEM;
        run->nchecks++;
    }
    return MS_OK;
}

/* A fixed-size field of a sample, redacted in place ("***" is shorter than any secret). */
static ms_status clean_fixed(char *field, size_t size, const ms_secrets *secrets)
{
    char *clean = NULL;
    ms_status rc = set_clean(&clean, secrets, field);
    if (rc == MS_OK)
        snprintf(field, size, "%s", clean);
    free(clean);
    return rc;
}

/* The samples of r moved into rc_ (r is left with none), redacted in place. */
static ms_status move_samples(ms_run_check *rc_, ms_result *r, const ms_secrets *secrets)
{
    ms_status rc = MS_OK;
    rc_->samples = r->samples;
    rc_->nsamples = r->nsamples; /* owned from here on, freed with the record */
    r->samples = NULL;
    r->nsamples = 0;
    for (int i = 0; i < rc_->nsamples; i++) {
        ms_sample *x = &rc_->samples[i];
        if (x->error && secrets->n && (rc = set_clean(&x->error, secrets, x->error)) != MS_OK)
            return rc;
        /* a secret host name may resolve to its own text (an address given as a secret) */
        if ((rc = clean_fixed(x->remote_ip, sizeof x->remote_ip, secrets)) != MS_OK ||
            (rc = clean_fixed(x->http_version, sizeof x->http_version, secrets)) != MS_OK)
            return rc;
    }
    return MS_OK;
}

/* A string to copy into the record, redacted. */
typedef struct {
    char **dst;
    const char *src;
} copy_row;

static ms_status copy_all(const copy_row *rows, size_t n, const ms_secrets *secrets)
{
    ms_status rc = MS_OK;
    for (size_t i = 0; i < n && rc == MS_OK; i++)
        rc = set_clean(rows[i].dst, secrets, rows[i].src);
    return rc;
}

#define COUNT(a) (sizeof(a) / sizeof *(a))

/* The definition fields and answer of ck copied into a zeroed x, its samples moved; file is its
 * list's path in the record, which x shares, and its budgets the record's (budgets). */
static ms_status copy_check(ms_run_check *x, ms_check *ck, const ms_plan *plan, char *file,
                            ms_budget_pool *budgets)
{
    ms_status rc = MS_OK;
    const ms_secrets *s = &plan->secrets;
    x->kind = ck->kind;
    x->factor = ck->factor;
    x->audience = ck->audience;
    x->weight = ck->weight;
    x->critical = ck->critical;
    x->effort = ck->effort;
    x->stat = ck->stat;
    if (!(x->budget_us = ms_budgets_intern(budgets, ck->budget_us)))
        return MS_ERR_NOMEM;
    x->line = ck->line;
    x->max_failed_samples = ck->max_failed_samples;
    x->warm = ck->warm;
    x->body_not_contains = ck->expect && ck->expect->nbody_not_contains > 0;
    x->judged_phase = x->worst_phase = -1;
    const ms_manual *m = ck->manual;
    if (m) {
        x->scale_lo = m->scale_lo;
        x->scale_hi = m->scale_hi;
        x->pass = m->pass;
        x->good_yes = m->good_yes;
        x->answer.state = m->answer.state;
        x->answer.value = m->answer.value;
        x->answer.yes = m->answer.yes;
        x->answer.elapsed_us = m->answer.elapsed_us;
    }
    bool http = ck->kind == MS_KIND_HTTP;
    bool title_is_id = ck->title == ck->id; /* then the record's is the same string too */
    x->file = file;
    copy_row rows[] = {
        {&x->id, ck->id},
        {&x->title, title_is_id ? NULL : ck->title},
        {&x->description, ck->description},
        {&x->owner, ck->owner},
        {&x->fix, ck->fix},
        {&x->answer.note, m ? m->answer.note : NULL},
        {&x->answer.at, m ? m->answer.at : NULL},
        {&x->method, http ? ms_check_method(ck) : NULL},
        {&x->url, http ? ck->url_display : NULL},
    };
    if ((rc = copy_all(rows, COUNT(rows), s)) != MS_OK)
        return rc;
    if (title_is_id)
        x->title = x->id;
    if (ck->ntags && !(x->tags = calloc(ck->ntags, sizeof *x->tags)))
        return MS_ERR_NOMEM;
    for (size_t i = 0; i < ck->ntags; i++) {
        x->ntags = i + 1;
        if ((rc = set_clean(&x->tags[i], s, ck->tags[i])) != MS_OK)
            return rc;
    }
    return move_samples(x, &ck->res, s);
}

/* The checklists, sections and selected checks of plan into run; each check is freed once it is
 * copied, so that the run's record and the plan's checks are never held at once. */
static ms_status copy_lists(ms_run *run, ms_plan *plan)
{
    ms_status rc = MS_OK;
    const ms_secrets *s = &plan->secrets;
    size_t n = 0;
    for (size_t l = 0; l < plan->nlists; l++) /* counted as they are copied below */
        for (size_t k = 0; k < plan->lists[l].nsections; k++)
            for (size_t c = 0; c < plan->lists[l].sections[k].nchecks; c++)
                n += plan->lists[l].sections[k].checks[c]->selected;
    if (n && !(run->checks = calloc(n, sizeof *run->checks)))
        return MS_ERR_NOMEM;
    if (plan->nlists && !(run->lists = calloc(plan->nlists, sizeof *run->lists)))
        return MS_ERR_NOMEM;
    for (size_t l = 0; l < plan->nlists; l++) {
        const ms_checklist *cl = &plan->lists[l];
        ms_run_list *rl = &run->lists[run->nlists++];
        copy_row rows[] = {{&rl->id, cl->id}, {&rl->title, cl->title}, {&rl->path, cl->path}};
        if ((rc = copy_all(rows, COUNT(rows), s)) != MS_OK)
            return rc;
        if (cl->nsections && !(rl->sections = calloc(cl->nsections, sizeof *rl->sections)))
            return MS_ERR_NOMEM;
        for (size_t k = 0; k < cl->nsections; k++) {
            ms_section *sec = &cl->sections[k];
            ms_run_section *rs = &rl->sections[rl->nsections++];
            rs->first = run->nchecks;
            copy_row srows[] = {{&rs->id, sec->id}, {&rs->title, sec->title}};
            if ((rc = copy_all(srows, COUNT(srows), s)) != MS_OK)
                return rc;
            for (size_t c = 0; c < sec->nchecks; c++) {
                if (!sec->checks[c]->selected)
                    continue;
                /* made apart, in the memory the checks copied before this one left */
                ms_run_check *ck = calloc(1, sizeof *ck);
                if (!ck)
                    return MS_ERR_NOMEM;
                run->checks[run->nchecks++] = ck;
                rc = copy_check(ck, sec->checks[c], plan, rl->path, &run->budgets);
                ms_plan_drop_check(plan, sec, c);
                if (rc != MS_OK)
                    return rc;
                rs->n++;
            }
        }
    }
    return MS_OK;
}

/* n strings of src into a new array at *dst (*ndst counts what is there), redacted. */
static ms_status copy_strs(char ***dst, size_t *ndst, char *const *src, size_t n,
                           const ms_secrets *secrets)
{
    ms_status rc = MS_OK;
    if (n && !(*dst = calloc(n, sizeof **dst)))
        return MS_ERR_NOMEM;
    for (size_t i = 0; i < n && rc == MS_OK; i++) {
        *ndst = i + 1;
        rc = set_clean(&(*dst)[i], secrets, src[i]);
    }
    return rc;
}

/* The network options into run, redacted like every other string of the record. */
static ms_status copy_net(ms_run_net *dst, const ms_run_net *src, const ms_secrets *s)
{
    ms_status rc = MS_OK;
    if (!src)
        return MS_OK;
    copy_row rows[] = {{&dst->http_version, src->http_version},
                       {&dst->client_cert, src->client_cert}};
    if ((rc = copy_all(rows, COUNT(rows), s)) != MS_OK ||
        (rc = copy_strs(&dst->resolve, &dst->nresolve, src->resolve, src->nresolve, s)) != MS_OK ||
        (rc = copy_strs(&dst->connect_to, &dst->nconnect_to, src->connect_to, src->nconnect_to,
                        s)) != MS_OK)
        return rc;
    if (src->nproxies && !(dst->proxies = calloc(src->nproxies, sizeof *dst->proxies)))
        return MS_ERR_NOMEM;
    for (size_t i = 0; i < src->nproxies && rc == MS_OK; i++) {
        ms_run_proxy *d = &dst->proxies[dst->nproxies++];
        const ms_run_proxy *p = &src->proxies[i];
        copy_row prow[] = {{&d->url, p->url}, {&d->from, p->from}};
        if ((rc = copy_all(prow, COUNT(prow), s)) == MS_OK)
            rc = copy_strs(&d->checks, &d->nchecks, p->checks, p->nchecks, s);
    }
    return rc;
}

void ms_run_net_cleanup(ms_run_net *net)
{
    for (size_t i = 0; i < net->nproxies; i++) {
        free(net->proxies[i].url);
        free(net->proxies[i].from);
        for (size_t k = 0; k < net->proxies[i].nchecks; k++)
            free(net->proxies[i].checks[k]);
        free(net->proxies[i].checks);
    }
    free(net->proxies);
    free(net->http_version);
    for (size_t i = 0; i < net->nresolve; i++)
        free(net->resolve[i]);
    free(net->resolve);
    for (size_t i = 0; i < net->nconnect_to; i++)
        free(net->connect_to[i]);
    free(net->connect_to);
    free(net->client_cert);
    memset(net, 0, sizeof *net);
}

void ms_run_answer_ages(ms_run *run, bool set_stale)
{
    int64_t start = 0;
    bool known = ms_parse_iso8601(run->started_at, &start) == MS_OK;
    for (size_t i = 0; i < run->nchecks; i++) {
        ms_answer *a = &run->checks[i]->answer;
        int64_t at = 0;
        a->age_days = -1;
        if (known && a->state != MS_ANS_NONE && ms_parse_iso8601(a->at, &at) == MS_OK)
            a->age_days = start > at ? (start - at) / 86400 : 0;
        if (set_stale)
            a->stale = known && a->age_days >= 0 && start - at > MS_STALE_DAYS * 86400;
    }
}

/* Each check of the record is made as its plan's check is freed (copy_lists): no larger, it takes
 * that one's memory instead of more of it. */
_Static_assert(sizeof(ms_run_check) <= sizeof(ms_check),
               "a record's check is no larger than a plan's (see ms_run_check)");

ms_status ms_run_from_plan(ms_plan *plan, const ms_run_meta *meta, ms_run **out)
{
    ms_status rc = MS_OK;
    const ms_secrets *s = &plan->secrets;
    ms_run *run = NULL;
    *out = NULL;
    if ((rc = ms_run_new(&run)) != MS_OK)
        return rc;
    run->interrupted = meta->interrupted;
    run->insecure = meta->insecure;
    run->parallel = meta->parallel;
    run->per_host = meta->per_host;
    run->samples = meta->samples;
    copy_row rows[] = {
        {&run->tool_version, meta->tool_version},
        {&run->libcurl, meta->libcurl},
        {&run->started_at, meta->started_at},
        {&run->auditor, meta->auditor},
        {&run->label, meta->label},
        {&run->answers_path, meta->answers_path},
        {&run->visited_at, meta->visited_at},
    };
    if ((rc = copy_all(rows, COUNT(rows), s)) == MS_OK &&
        (rc = copy_net(&run->net, meta->net, s)) == MS_OK)
        rc = copy_lists(run, plan);
    if (rc == MS_OK)
        ms_run_answer_ages(run, true);
    if (rc != MS_OK)
        ms_run_free(run);
    else
        *out = run;
    return rc;
}

bool ms_verdict_has(const ms_verdict *v, ms_reason_kind kind)
{
    for (size_t i = 0; i < v->nreasons; i++)
        if (v->reasons[i].kind == kind)
            return true;
    return false;
}

/* The documented precedence (docs/decisions.md): 130, then 3, then 4, then 1. */
ms_status ms_run_status(const ms_run *run)
{
    if (run->interrupted)
        return MS_ERR_INTERRUPTED;
    if (ms_verdict_has(&run->verdict, MS_REASON_REPORT))
        return MS_ERR_IO;
    if (run->verdict.incomplete)
        return MS_ERR_INCOMPLETE;
    return run->verdict.passed ? MS_OK : MS_ERR_GATE;
}

ms_status ms_run_add_reason(ms_run *run, ms_reason_kind kind, const char *text)
{
    ms_verdict *v = &run->verdict;
    ms_reason *grown = realloc(v->reasons, (v->nreasons + 1) * sizeof *grown);
    char *copy = strdup(text ? text : "");
    if (grown)
        v->reasons = grown;
    if (!grown || !copy) {
        free(copy);
        return MS_ERR_NOMEM;
    }
    v->reasons[v->nreasons++] = (ms_reason){kind, copy};
    v->exit_code = ms_status_exit_code(ms_run_status(run));
    return MS_OK;
}

const char *ms_verdict_word(const ms_run *run)
{
    switch (ms_run_status(run)) {
    case MS_ERR_INTERRUPTED:
        return "INTERRUPTED";
    case MS_ERR_INCOMPLETE:
        return "INCOMPLETE";
    case MS_OK:
    case MS_ERR_GATE:
        if (!run->scores.has_overall)
            return "NO SCORE";
        return run->verdict.passed ? "PASS" : "FAIL";
    default:
        return "ERROR";
    }
}

const char *ms_verdict_label(const ms_run *run)
{
    const char *w = ms_verdict_word(run);
    /* TRANSLATORS: the verdict of a run, as the reports show it */
    static const char *const words[][2] = {{"INTERRUPTED", N_("INTERRUPTED")},
                                           {"INCOMPLETE", N_("INCOMPLETE")},
                                           {"NO SCORE", N_("NO SCORE")},
                                           {"PASS", N_("PASS")},
                                           {"FAIL", N_("FAIL")},
                                           {"ERROR", N_("ERROR")}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(w, words[i][0]) == 0)
            return _(words[i][1]);
    return w;
}

const char *ms_reason_kind_name(ms_reason_kind k)
{
    static const char *const names[MS_REASON_COUNT] = {"failed",      "critical",   "no_score",
                                                       "score",       "regression", "incomplete",
                                                       "interrupted", "report",     "gate"};
    return (unsigned)k < MS_REASON_COUNT ? names[k] : "gate";
}

const char *ms_fail_on_name(ms_fail_on f)
{
    return f == MS_FAIL_ON_CRITICAL ? "critical" : f == MS_FAIL_ON_NONE ? "none" : "any";
}

/* Is file the path of one of run's lists (a check's file is, when the record was made from a
 * plan: the same string, not a copy)? */
static bool is_list_path(const ms_run *run, const char *file)
{
    for (size_t l = 0; file && l < run->nlists; l++)
        if (run->lists[l].path == file)
            return true;
    return false;
}

static void free_check(const ms_run *run, ms_run_check *x)
{
    if (!x)
        return;
    if (x->title != x->id) /* the same string when they are the same */
        free(x->title);
    free(x->id);
    free(x->description);
    for (size_t i = 0; i < x->ntags; i++)
        free(x->tags[i]);
    free(x->tags);
    free(x->owner);
    free(x->fix);
    if (!is_list_path(run, x->file))
        free(x->file);
    free(x->method);
    free(x->url);
    for (int i = 0; i < x->nsamples; i++)
        free(x->samples[i].error);
    free(x->samples);
    free(x->answer.note);
    free(x->answer.at);
    free(x->evidence);
    free(x->st);
    free(x);
}

ms_status ms_run_make_stats(const ms_run_check *ck, int p, ms_stats *out)
{
    int64_t small[MS_RUN_STATS_MADE], *vals = small;
    int k = 0;
    if (ck->nsamples > MS_RUN_STATS_MADE && !(vals = malloc((size_t)ck->nsamples * sizeof *vals))) {
        memset(out, 0, sizeof *out);
        return MS_ERR_NOMEM;
    }
    for (int i = 0; i < ck->nsamples; i++)
        if (ck->samples[i].completed)
            vals[k++] = ck->samples[i].ph[p];
    ms_stats_sort(vals, k, out); /* gathered here: sorted where they are */
    if (vals != small)
        free(vals);
    return MS_OK;
}

ms_stats ms_run_stats(const ms_run_check *ck, int p)
{
    ms_stats st = {0};
    if (ck->st)
        return ck->st[p];
    /* on the stack up to MS_RUN_STATS_MADE samples (a scored check with more keeps them); for
     * more, before it is scored, all 0 when memory runs out */
    if (ck->kind == MS_KIND_HTTP)
        ms_run_make_stats(ck, p, &st);
    return st;
}

int64_t ms_run_stat(const ms_run_check *ck, int p, ms_stat s)
{
    ms_stats st = ms_run_stats(ck, p);
    return ms_stats_get(&st, s);
}

void ms_run_fix_cleanup(ms_run_fix *f)
{
    free(f->hint);
    free(f->checks);
    free(f->host);
    free(f->error);
    free(f->title);
    free(f->owner);
    free(f->evidence);
    free(f->fix);
    memset(f, 0, sizeof *f);
}

void ms_run_free(ms_run *run)
{
    if (!run)
        return;
    free(run->tool_version);
    free(run->libcurl);
    free(run->started_at);
    free(run->finished_at);
    free(run->auditor);
    free(run->label);
    free(run->answers_path);
    free(run->visited_at);
    ms_run_net_cleanup(&run->net);
    for (size_t i = 0; i < run->nchecks; i++) /* before the lists, whose paths they share */
        free_check(run, run->checks[i]);
    free(run->checks);
    ms_budget_pool_cleanup(&run->budgets);
    for (size_t l = 0; l < run->nlists; l++) {
        ms_run_list *rl = &run->lists[l];
        free(rl->id);
        free(rl->title);
        free(rl->path);
        for (size_t k = 0; k < rl->nsections; k++) {
            free(rl->sections[k].id);
            free(rl->sections[k].title);
        }
        free(rl->sections);
    }
    free(run->lists);
    for (size_t i = 0; i < run->nfixes; i++)
        ms_run_fix_cleanup(&run->fixes[i]);
    free(run->fixes);
    for (size_t i = 0; i < run->nbetter; i++)
        ms_run_fix_cleanup(&run->better[i]);
    free(run->better);
    free(run->verdict.reason);
    for (size_t i = 0; i < run->verdict.nreasons; i++)
        free(run->verdict.reasons[i].text);
    free(run->verdict.reasons);
    ms_run_baseline_free(run->baseline);
    free(run);
}
