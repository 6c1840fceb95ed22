#include "ms/model.h"

#include <stdlib.h>
#include <string.h>

#include "ms/i18n.h"

const int64_t ms_no_budgets[MS_PH_COUNT] = {-1, -1, -1, -1, -1, -1, -1, -1};

const int64_t *ms_budgets_intern(ms_budget_pool *pool, const int64_t *b)
{
    size_t it = 0, k;
    if (!b || memcmp(b, ms_no_budgets, sizeof ms_no_budgets) == 0)
        return ms_no_budgets;
    uint64_t h = ms_hash_add(MS_HASH_INIT, b, sizeof ms_no_budgets);
    while (ms_hindex_next(&pool->index, h, &it, &k))
        if (memcmp(pool->sets[k], b, sizeof ms_no_budgets) == 0)
            return pool->sets[k];
    if (pool->n == pool->cap) {
        size_t cap = pool->cap ? pool->cap * 2 : 4;
        int64_t **p = realloc(pool->sets, cap * sizeof *p);
        if (!p)
            return NULL;
        pool->sets = p;
        pool->cap = cap;
    }
    int64_t *set = malloc(sizeof ms_no_budgets);
    if (!set || ms_hindex_add(&pool->index, h, pool->n) != MS_OK) {
        free(set);
        return NULL;
    }
    memcpy(set, b, sizeof ms_no_budgets);
    pool->sets[pool->n++] = set;
    return set;
}

void ms_budget_pool_cleanup(ms_budget_pool *pool)
{
    for (size_t i = 0; i < pool->n; i++)
        free(pool->sets[i]);
    free(pool->sets);
    ms_hindex_cleanup(&pool->index);
    *pool = (ms_budget_pool){0};
}

const char *ms_kind_name(ms_kind k)
{
    static const char *const names[] = {"http", "stopwatch", "rating", "yesno"};
    return names[k];
}

const char *ms_factor_name(ms_factor f)
{
    static const char *const names[] = {"product", "people", "convenience"};
    return f < MS_FACTOR_COUNT ? names[f] : "?";
}

const char *ms_audience_name(ms_audience a)
{
    static const char *const names[] = {"external", "internal"};
    return a < MS_AUD_COUNT ? names[a] : "?";
}

const char *ms_stat_name(ms_stat s)
{
    static const char *const names[] = {"median", "p90", "p95", "max", "mean", "min"};
    return names[s];
}

const char *ms_phase_name(ms_phase p)
{
    static const char *const names[] = {"dns",      "connect", "tls",   "server",
                                        "transfer", "ttfb",    "total", "redirect"};
    return p < MS_PH_COUNT ? names[p] : "?";
}

const char *ms_status_name(ms_check_status s)
{
    static const char *const names[] = {"pass", "fail", "na", "unanswered", "not-run"};
    return names[s];
}

const char *ms_severity_name(ms_severity s)
{
    static const char *const names[] = {"critical", "serious", "moderate", "minor", "none"};
    return names[s];
}

const char *ms_effort_name(int effort)
{
    return effort == 1 ? "s" : effort == 4 ? "l" : "m";
}

const char *ms_status_word(const char *name)
{
    static const char *const words[][2] = {{"pass", N_("pass")},
                                           {"fail", N_("fail")},
                                           {"na", N_("n/a")},
                                           {"unanswered", N_("unanswered")},
                                           {"not-run", N_("not run")}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(name, words[i][0]) == 0)
            return _(words[i][1]);
    return name;
}

const char *ms_kind_label(ms_kind k)
{
    /* TRANSLATORS: the kinds of check, as the interview names them beside a question */
    static const char *const labels[] = {N_("http"), N_("stopwatch"), N_("rating"), N_("yes/no")};
    return _(labels[k]);
}

const char *ms_factor_label(ms_factor f)
{
    static const char *const labels[] = {N_("product"), N_("people"), N_("convenience")};
    return f < MS_FACTOR_COUNT ? _(labels[f]) : "?";
}

const char *ms_audience_label(ms_audience a)
{
    static const char *const labels[] = {N_("external"), N_("internal")};
    return a < MS_AUD_COUNT ? _(labels[a]) : "?";
}

const char *ms_stat_label(ms_stat s)
{
    /* TRANSLATORS: the statistic of a check's samples (median, 90th and 95th percentile, ...) */
    static const char *const labels[] = {N_("median"), N_("p90"),  N_("p95"),
                                         N_("max"),    N_("mean"), N_("min")};
    return _(labels[s]);
}

const char *ms_phase_label(ms_phase p)
{
    /* TRANSLATORS: the phases of an HTTP request: name lookup, TCP connect, TLS handshake, the
     * server's think time, the body's transfer, time to first byte, total, redirects */
    static const char *const labels[] = {N_("dns"),    N_("connect"),  N_("tls"),
                                         N_("server"), N_("transfer"), N_("ttfb"),
                                         N_("total"),  N_("redirect")};
    return p < MS_PH_COUNT ? _(labels[p]) : "?";
}

const char *ms_status_label(ms_check_status s)
{
    /* TRANSLATORS: a check's status in the report's status column (capitals in English: keep
     * them short, the column is as wide as the widest) */
    static const char *const labels[] = {N_("PASS"), N_("FAIL"), N_("N/A"), N_("----"), N_("SKIP")};
    return _(labels[s]);
}

const char *ms_severity_label(ms_severity s)
{
    /* TRANSLATORS: how bad a failure is, in the fix list; "passed" for a check that passed but
     * could be better */
    static const char *const labels[] = {N_("critical"), N_("serious"), N_("moderate"), N_("minor"),
                                         N_("passed")};
    return _(labels[s]);
}

const char *ms_effort_label(int effort)
{
    /* TRANSLATORS: the effort a fix takes: small, medium, large (one letter in English) */
    return effort == 1 ? _("s") : effort == 4 ? _("l") : _("m");
}

const char *ms_check_method(const ms_check *c)
{
    return c->method ? c->method : "GET";
}

bool ms_check_unanswered(const ms_check *c)
{
    return c->kind != MS_KIND_HTTP && c->manual && c->manual->answer.state == MS_ANS_NONE;
}

void ms_result_cleanup(ms_result *r)
{
    for (int i = 0; i < r->nsamples; i++)
        free(r->samples[i].error);
    free(r->samples);
    *r = (ms_result){0};
}

static void free_headers(ms_header *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(h[i].name);
        free(h[i].value);
        free(h[i].display);
    }
    free(h);
}

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void ms_check_cleanup(ms_check *c)
{
    if (c->title != c->id) /* the same string when the checklist gave no title */
        free(c->title);
    free(c->id);
    free(c->description);
    free(c->fix);
    free(c->owner);
    free_strv(c->tags, c->ntags);
    free(c->method);
    if (c->url_display != c->url) /* the same string when the URL holds no secret */
        free(c->url_display);
    free(c->url);
    free_headers(c->headers, c->nheaders);
    free(c->body);
    free(c->body_display);
    ms_expects *x = c->expect;
    if (x) {
        free(x->status);
        free_headers(x->headers, x->nheaders);
        free_strv(x->body_contains, x->nbody_contains);
        free_strv(x->body_not_contains, x->nbody_not_contains);
        for (size_t i = 0; i < x->njson; i++) {
            free(x->json[i].path);
            free(x->json[i].value);
        }
        free(x->json);
        free(x);
    }
    if (c->manual) {
        free(c->manual->prompt);
        free(c->manual->answer.note);
        free(c->manual->answer.at);
        free(c->manual);
    }
    ms_result_cleanup(&c->res);
}

void ms_check_strip(ms_check *c)
{
    ms_check kept = {.id = c->id,
                     .kind = c->kind,
                     .budget_us = c->budget_us,
                     .line = c->line,
                     .checklist_index = c->checklist_index,
                     .section_index = c->section_index,
                     .order = c->order,
                     .selected = c->selected};
    if (c->title == c->id)
        c->title = NULL;
    c->id = NULL;
    ms_check_cleanup(c);
    *c = kept;
}
