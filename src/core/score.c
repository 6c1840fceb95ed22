#include "ms/score.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms/buf.h"
#include "ms/compare.h"
#include "ms/i18n.h"
#include "ms/stats.h"
#include "ms/util.h"

double ms_factor_rank(ms_factor f)
{
    switch (f) {
    case MS_FACTOR_PRODUCT:
        return 3;
    case MS_FACTOR_PEOPLE:
        return 2;
    default:
        return 1;
    }
}

const char *ms_phase_hint(int phase)
{
    switch (phase) {
    case MS_PH_DNS:
        return _("dns is slow: check the resolver and raise the record's TTL");
    case MS_PH_CONNECT:
        return _("connect is slow: the server is far from customers; serve from a CDN or nearer");
    case MS_PH_TLS:
        return _("tls is slow: enable session resumption, OCSP stapling and HTTP/2");
    case MS_PH_SERVER:
        return _("server is slow: reduce backend work or cache the response");
    case MS_PH_TRANSFER:
        return _("transfer is slow: compress the response, make it smaller or serve it from a CDN");
    case MS_PH_REDIRECT:
        return _("redirects cost time: link straight to the final address");
    default:
        return NULL;
    }
}

static bool cumulative(int ph)
{
    return ph == MS_PH_TTFB || ph == MS_PH_TOTAL;
}

/* The component phase that contributes most to a cumulative phase's statistic. */
static int largest_component(const ms_run_check *ck, int ph)
{
    int last = ph == MS_PH_TTFB ? MS_PH_SERVER : MS_PH_TRANSFER;
    int best = MS_PH_DNS;
    int64_t most = ms_run_stat(ck, best, ck->stat);
    for (int p = MS_PH_DNS + 1; p <= last; p++) {
        int64_t v = ms_run_stat(ck, p, ck->stat);
        if (v > most) {
            best = p;
            most = v;
        }
    }
    return best;
}

int ms_judged_phase(const ms_run_check *ck, double *ratio)
{
    int judged = -1;
    *ratio = 0;
    if (ms_run_stats(ck, MS_PH_TOTAL).n == 0)
        return -1; /* every sample failed: no statistic to judge */
    for (int p = 0; p < MS_PH_COUNT; p++) {
        if (ck->budget_us[p] <= 0)
            continue;
        double x = (double)ms_run_stat(ck, p, ck->stat) / (double)ck->budget_us[p];
        if (judged < 0 || x > *ratio) {
            *ratio = x;
            judged = p;
        }
    }
    return judged;
}

/* Score an http check from its samples. MS_ERR_NOMEM when its statistics could not be computed:
 * then it is not scored at all (a check with no statistics would pass, "median 0.00 ms, n=0").
 *
 * The statistics are over the completed samples: those whose whole response arrived, also when it
 * failed an expectation (a slow 500 is still slow). A sample whose transfer failed (refused,
 * timeout, reset, TLS) has no phase times and is left out of them. Every failed sample is
 * frustrated in the Apdex score, tolerated by max_failed_samples or not: only pass/fail
 * tolerates. */
static ms_status score_http(ms_run_check *ck, ms_buf *ev)
{
    ms_run_check *r = ck;
    int n = r->nsamples, failed = 0, satisfied = 0, tolerating = 0;
    bool budgeted = false;
    const char *first_error = NULL;
    for (int p = 0; p < MS_PH_COUNT; p++)
        budgeted = budgeted || ck->budget_us[p] > 0;
    for (int i = 0; i < n; i++) {
        const ms_sample *s = &r->samples[i];
        if (s->failed) {
            failed++;
            if (!first_error)
                first_error = s->error;
            continue;
        }
        double worst = 0;
        for (int p = 0; p < MS_PH_COUNT; p++)
            if (ck->budget_us[p] > 0 && (double)s->ph[p] / (double)ck->budget_us[p] > worst)
                worst = (double)s->ph[p] / (double)ck->budget_us[p];
        if (worst <= 1)
            satisfied++;
        else if (worst <= 4)
            tolerating++;
    }
    /* Statistics over the samples whose whole response arrived: kept for many samples (or made
     * again where a report's were read), else made from the samples when asked (ms_run_stats). */
    if (!r->st && n > MS_RUN_STATS_MADE && !(r->st = calloc(MS_PH_COUNT, sizeof *r->st)))
        return MS_ERR_NOMEM;
    for (int p = 0; r->st && p < MS_PH_COUNT; p++)
        if (ms_run_make_stats(r, p, &r->st[p]) != MS_OK)
            return MS_ERR_NOMEM;
    r->has_score = true;
    r->score = budgeted ? (satisfied + tolerating / 2.0) / n : (double)(n - failed) / n;

    /* Pass: no more failed samples than it tolerates, at least one that did not fail (nothing
     * measured never passes), and the statistic of every budgeted phase within budget. */
    double worst_ratio = 0;
    r->judged_phase = ms_judged_phase(ck, &worst_ratio);
    r->status = failed <= ck->max_failed_samples && failed < n && worst_ratio <= 1 ? MS_ST_PASS
                                                                                   : MS_ST_FAIL;

    if (failed)
        /* TRANSLATORS: failed samples of n, then the first error (libcurl's, in English) */
        ms_buf_printf(ev, _("%d of %d samples failed: %s"), failed, n,
                      first_error ? first_error : "?");
    if (failed && ck->max_failed_samples > 0)
        /* TRANSLATORS: max_failed_samples is the checklist's field: kept as it is */
        ms_buf_printf(ev, _(" (max_failed_samples %d)"), ck->max_failed_samples);
    if (ms_run_stats(r, MS_PH_TOTAL).n == 0)
        return MS_OK; /* no response arrived: no statistic to show */
    if (failed)
        ms_buf_adds(ev, "; ");
    int p = r->judged_phase >= 0 ? r->judged_phase : MS_PH_TOTAL;
    char v[32], b[32], c[32];
    ms_format_ms(ms_run_stat(r, p, ck->stat), v, sizeof v);
    const char *stat = ms_stat_name(ck->stat), *phase = ms_phase_name((ms_phase)p);
    /* TRANSLATORS (these four): the statistic (median, p95, max) and the phase (dns, connect,
     * tls, server, transfer, total) are the checklist's words, kept as they are; then the
     * milliseconds measured, the budget, how many times the budget, the number of samples */
    if (r->judged_phase < 0) {
        ms_buf_printf(ev, _("%s %s %s ms (no budget), n=%d"), stat, phase, v, ms_run_stats(r, p).n);
        return MS_OK;
    }
    ms_format_ms(ck->budget_us[p], b, sizeof b);
    if (worst_ratio < 0.005) /* "0.00x" would say nothing: far within */
        ms_buf_printf(ev, _("%s %s %s ms vs budget %s ms (<0.01x), n=%d"), stat, phase, v, b,
                      ms_run_stats(r, p).n);
    else
        ms_buf_printf(ev,
                      worst_ratio < 1 ? _("%s %s %s ms vs budget %s ms (%.2fx), n=%d")
                                      : _("%s %s %s ms vs budget %s ms (%.1fx), n=%d"),
                      stat, phase, v, b, worst_ratio, ms_run_stats(r, p).n);
    if (worst_ratio <= 1)
        return MS_OK; /* within budget: no phase to blame */
    r->worst_phase = p;
    if (cumulative(p)) {
        int comp = largest_component(ck, p);
        ms_format_ms(ms_run_stat(r, comp, ck->stat), c, sizeof c);
        /* TRANSLATORS: the phase (dns, connect, tls, server, transfer) that took most of it */
        ms_buf_printf(ev, _("; %s %s ms of it"), ms_phase_name((ms_phase)comp), c);
        r->worst_phase = comp;
    }
    return MS_OK;
}

static void add_note(ms_buf *ev, const char *note)
{
    if (note && *note)
        /* TRANSLATORS: the auditor's note after the evidence */
        ms_buf_printf(ev, _(": '%s'"), note);
}

static void score_manual(ms_run_check *ck, ms_buf *ev)
{
    ms_run_check *r = ck;
    const ms_answer *a = &r->answer;
    if (a->state == MS_ANS_NA) {
        r->status = MS_ST_NA;
        ms_buf_adds(ev, _("not applicable"));
        add_note(ev, a->note);
        return;
    }
    if (a->state == MS_ANS_NONE) {
        r->status = MS_ST_UNANSWERED;
        ms_buf_adds(ev, _("not answered"));
        return;
    }
    r->has_score = true;
    char v[32], b[32];
    switch (ck->kind) {
    case MS_KIND_STOPWATCH: {
        int64_t budget = ck->budget_us[MS_PH_TOTAL];
        ms_format_duration(a->elapsed_us, v, sizeof v);
        if (budget <= 0) {
            r->score = 1;
            r->status = MS_ST_PASS;
            /* TRANSLATORS: %s is a duration such as 1m13s */
            ms_buf_printf(ev, _("took %s (no budget)"), v);
        } else {
            double ratio = (double)a->elapsed_us / (double)budget;
            r->score = ratio <= 1 ? 1 : ratio <= 4 ? 0.5 : 0;
            r->status = ratio <= 1 ? MS_ST_PASS : MS_ST_FAIL;
            ms_format_duration(budget, b, sizeof b);
            /* TRANSLATORS: the time taken, the budget, how many times the budget */
            ms_buf_printf(ev, _("took %s vs budget %s (%.1fx)"), v, b, ratio);
        }
        break;
    }
    case MS_KIND_RATING:
        r->score = (a->value - ck->scale_lo) / (ck->scale_hi - ck->scale_lo);
        r->status = a->value >= ck->pass ? MS_ST_PASS : MS_ST_FAIL;
        /* TRANSLATORS: the rating given, the scale's top, the rating that passes */
        ms_buf_printf(ev, _("rated %g/%g, pass %g"), a->value, ck->scale_hi, ck->pass);
        break;
    default:
        r->score = a->yes == ck->good_yes ? 1 : 0;
        r->status = a->yes == ck->good_yes ? MS_ST_PASS : MS_ST_FAIL;
        /* Four whole sentences: "yes" and "no" are words of the sentence in another language. */
        if (a->yes)
            ms_buf_adds(ev, ck->good_yes ? _("answered yes, good is yes")
                                         : _("answered yes, good is no"));
        else
            ms_buf_adds(ev, ck->good_yes ? _("answered no, good is yes")
                                         : _("answered no, good is no"));
        break;
    }
    add_note(ev, a->note);
}

/* Did a body_not_contains of ck hold on a sample whose body was cut, so only for the part that
 * was examined? */
static bool held_on_cut(const ms_run_check *ck)
{
    for (int i = 0; i < ck->nsamples && ck->body_not_contains; i++)
        if (ck->samples[i].body_cut && !ck->samples[i].failed)
            return true;
    return false;
}

ms_status ms_score_check(ms_run_check *ck)
{
    ms_status rc = MS_OK;
    ms_buf ev;
    ms_run_check *r = ck;
    ms_buf_init(&ev, 0);
    r->has_score = false;
    r->score = 0;
    r->worst_phase = -1;
    r->judged_phase = -1;
    r->body_cut_held = false;
    if (ck->kind == MS_KIND_HTTP) {
        if (r->nsamples == 0) {
            r->status = MS_ST_NOT_RUN;
            ms_buf_adds(&ev, _("not measured: the run was interrupted"));
        } else {
            rc = score_http(ck, &ev);
            if ((r->body_cut_held = held_on_cut(ck)))
                /* TRANSLATORS: body_not_contains is the checklist's field: kept as it is */
                ms_buf_adds(&ev, _("; body_not_contains: only the first 8 MiB were examined"));
        }
    } else {
        score_manual(ck, &ev);
    }
    free(r->evidence);
    r->evidence = rc == MS_OK ? ms_buf_take(&ev) : NULL;
    ms_buf_cleanup(&ev);
    return r->evidence ? MS_OK : MS_ERR_NOMEM;
}

typedef struct {
    double ws, w;
} acc;

static void acc_add(acc *a, double w, double s)
{
    a->ws += w * s;
    a->w += w;
}

static bool acc_get(const acc *a, double *out)
{
    if (a->w <= 0)
        return false;
    *out = 100.0 * a->ws / a->w;
    return true;
}

/* Score every check, then the sections, factors, audiences and the overall score. */
static ms_status score_all(ms_run *run)
{
    ms_scores *out = &run->scores;
    acc overall = {0}, factor[MS_FACTOR_COUNT] = {{0}}, aud[MS_AUD_COUNT] = {{0}};
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < run->nchecks; i++) {
        ms_run_check *ck = run->checks[i];
        if (ms_score_check(ck) != MS_OK)
            return MS_ERR_NOMEM;
        switch ((ms_check_status)ck->status) {
        case MS_ST_PASS:
            out->passed++;
            break;
        case MS_ST_FAIL:
            out->failed++;
            out->critical_failed += ck->critical;
            break;
        case MS_ST_NA:
            out->na++;
            break;
        case MS_ST_UNANSWERED:
            out->unanswered++;
            break;
        case MS_ST_NOT_RUN:
            out->not_run++;
            break;
        }
        if (!ck->has_score)
            continue;
        acc_add(&overall, ck->weight * ms_factor_rank(ck->factor), ck->score);
        acc_add(&factor[ck->factor], ck->weight, ck->score);
        acc_add(&aud[ck->audience], ck->weight, ck->score);
    }
    out->has_overall = acc_get(&overall, &out->overall);
    for (int f = 0; f < MS_FACTOR_COUNT; f++)
        out->has_factor[f] = acc_get(&factor[f], &out->factor[f]);
    for (int a = 0; a < MS_AUD_COUNT; a++)
        out->has_audience[a] = acc_get(&aud[a], &out->audience[a]);
    for (size_t l = 0; l < run->nlists; l++) {
        for (size_t s = 0; s < run->lists[l].nsections; s++) {
            ms_run_section *sec = &run->lists[l].sections[s];
            acc a = {0};
            sec->answered = sec->applicable = 0;
            for (size_t k = sec->first; k < sec->first + sec->n; k++) {
                const ms_run_check *ck = run->checks[k];
                if (ck->status == MS_ST_NA)
                    continue;
                sec->applicable++;
                if (ck->has_score) {
                    sec->answered++;
                    acc_add(&a, ck->weight, ck->score);
                }
            }
            sec->has_score = acc_get(&a, &sec->score);
        }
    }
    return MS_OK;
}

/* The fix lists are sorted with their sort keys at hand. */
typedef struct {
    ms_run_fix fix;
    bool critical;  /* a failed critical check, or a host fix that took one down */
    double urgency; /* impact / effort */
    ms_audience audience;
    size_t order; /* of its (first) check in the run */
    char host[256];
    bool unreachable; /* a failed http check none of whose samples got a response */
} fix_entry;

static bool failed_critical(const ms_run_check *ck)
{
    return ck->critical && ck->status == MS_ST_FAIL;
}

static int fix_cmp(const void *pa, const void *pb)
{
    const fix_entry *a = pa, *b = pb;
    if (a->critical != b->critical)
        return a->critical ? -1 : 1;
    if (fabs(a->urgency - b->urgency) > 1e-9)
        return a->urgency > b->urgency ? -1 : 1;
    if (a->audience != b->audience)
        return a->audience == MS_AUD_EXTERNAL ? -1 : 1;
    return (a->order > b->order) - (a->order < b->order);
}

static ms_severity severity_of(bool critical, double impact)
{
    return critical      ? MS_SEV_CRITICAL
           : impact >= 5 ? MS_SEV_SERIOUS
           : impact >= 1 ? MS_SEV_MODERATE
                         : MS_SEV_MINOR;
}

/* The host of an http(s) URL as written (user and password left out, the port kept when given),
 * in lower case, into out; "" when it has none. The URL is the record's, secrets shown as ***. */
static void url_host(const char *url, char *out, size_t size)
{
    const char *s = url ? strstr(url, "://") : NULL;
    size_t n = 0;
    out[0] = '\0';
    if (!s)
        return;
    s += 3;
    size_t len = strcspn(s, "/?#");
    for (size_t i = 0; i < len; i++)
        if (s[i] == '@') { /* user information ends at the last @ of the authority */
            len -= i + 1;
            s += i + 1;
            i = (size_t)-1;
        }
    for (size_t i = 0; i < len && n + 1 < size; i++)
        out[n++] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
    out[n] = '\0';
}

/* Did the host answer sample s at all: a whole response, or a status before it was cut short? */
static bool answered(const ms_sample *s)
{
    return s->completed || s->status != 0;
}

/* Did every sample of ck fail without any response (DNS, refused, TLS, timeout, reset)? A bad
 * status, or a response cut short, means the host was reached. */
static bool unreachable(const ms_run_check *ck)
{
    if (ck->kind != MS_KIND_HTTP || ck->status != MS_ST_FAIL || ck->nsamples == 0)
        return false;
    for (int i = 0; i < ck->nsamples; i++)
        if (!ck->samples[i].failed || answered(&ck->samples[i]))
            return false;
    return true;
}

/* Set the strings a fix shows (copies; NULL for NULL). MS_OK or MS_ERR_NOMEM. */
static ms_status set_all(ms_run_fix *f, const char *hint, const char *title, const char *owner,
                         const char *evidence, const char *fix)
{
    ms_status rc = MS_OK;
    struct {
        char **dst;
        const char *src;
    } rows[] = {{&f->hint, hint},
                {&f->title, title},
                {&f->owner, owner},
                {&f->evidence, evidence},
                {&f->fix, fix}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0] && rc == MS_OK; i++)
        rc = ms_run_set(rows[i].dst, rows[i].src);
    return rc;
}

/* The entry of check i (a copy of the fields it shows) into e. */
static ms_status check_entry(const ms_run *run, size_t i, double total_w, bool better, fix_entry *e)
{
    const ms_run_check *ck = run->checks[i];
    ms_run_fix *f = &e->fix;
    f->check = i;
    f->impact = 100.0 * ck->weight * ms_factor_rank(ck->factor) * (1 - ck->score) / total_w;
    f->severity = better ? MS_SEV_NONE : severity_of(failed_critical(ck), f->impact);
    f->factor = ck->factor;
    f->audience = ck->audience;
    f->effort = ck->effort;
    e->critical = failed_critical(ck);
    e->urgency = f->impact / ck->effort;
    e->audience = ck->audience;
    e->order = i;
    e->unreachable = !better && unreachable(ck);
    if (e->unreachable)
        url_host(ck->url, e->host, sizeof e->host);
    if (!(f->checks = calloc(1, sizeof *f->checks)))
        return MS_ERR_NOMEM;
    f->checks[0] = i;
    f->nchecks = 1;
    const char *hint = ck->kind == MS_KIND_HTTP ? ms_phase_hint(ck->worst_phase) : NULL;
    return set_all(f, hint, ck->title, ck->owner, ck->evidence, ck->fix);
}

#define HOST_FIX                                                                                   \
    "Make the host reachable for customers: its DNS record, the server and its firewall, its "     \
    "TLS certificate"

static int size_cmp(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* An owner and the first check (in run order) that names it. */
typedef struct {
    const char *owner;
    size_t check;
} owner_at;

static int owner_name_cmp(const void *a, const void *b)
{
    const owner_at *x = a, *y = b;
    int c = strcmp(x->owner, y->owner);
    return c ? c : (x->check > y->check) - (x->check < y->check);
}

static int owner_check_cmp(const void *a, const void *b)
{
    const owner_at *x = a, *y = b;
    return (x->check > y->check) - (x->check < y->check);
}

/* The owners of the checks (k of them, in run order), each once, in run order, joined by ", "
 * into b; *count of them. Sorted by name to find each once, so many checks take n log n. */
static ms_status join_owners(const ms_run *run, const size_t *checks, size_t k, ms_buf *b,
                             size_t *count)
{
    owner_at *o = calloc(k + 1, sizeof *o);
    size_t n = 0, u = 0;
    *count = 0;
    if (!o)
        return MS_ERR_NOMEM;
    for (size_t i = 0; i < k; i++)
        if (run->checks[checks[i]]->owner)
            o[n++] = (owner_at){run->checks[checks[i]]->owner, checks[i]};
    qsort(o, n, sizeof *o, owner_name_cmp);
    for (size_t i = 0; i < n; i++)
        if (u == 0 || strcmp(o[u - 1].owner, o[i].owner) != 0)
            o[u++] = o[i];
    qsort(o, u, sizeof *o, owner_check_cmp);
    for (size_t i = 0; i < u; i++)
        ms_buf_printf(b, "%s%s", i ? ", " : "", o[i].owner);
    *count = u;
    free(o);
    return b->failed ? MS_ERR_NOMEM : MS_OK;
}

/* One fix for the k entries of e at pos (in fix order, so pos[0] leads), whose host is the same:
 * their impacts summed, the highest severity, the leading check's factor, audience and effort,
 * the owners joined, in run order. The entries it takes are cleaned (nchecks 0: taken). */
static ms_status host_fix(const ms_run *run, fix_entry *e, const size_t *pos, size_t k,
                          fix_entry *out)
{
    ms_status rc = MS_OK;
    ms_run_fix *f = &out->fix;
    ms_buf owners, title, text;
    size_t count = 0;
    const fix_entry *lead = &e[pos[0]];
    ms_buf_init(&owners, 0);
    ms_buf_init(&title, 0);
    ms_buf_init(&text, 0);
    *out = *lead;
    out->fix = (ms_run_fix){0};
    out->unreachable = false;
    f->check = lead->fix.check;
    f->factor = lead->fix.factor;
    f->audience = lead->fix.audience;
    f->effort = lead->fix.effort;
    f->severity = MS_SEV_MINOR;
    if (!(f->checks = calloc(k, sizeof *f->checks))) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < k; i++) {
        const fix_entry *x = &e[pos[i]];
        f->checks[f->nchecks++] = x->fix.check;
        f->impact += x->fix.impact;
        f->severity = x->fix.severity < f->severity ? x->fix.severity : f->severity;
        out->critical = out->critical || x->critical;
        out->order = x->order < out->order ? x->order : out->order;
    }
    qsort(f->checks, f->nchecks, sizeof *f->checks, size_cmp); /* run order */
    if ((rc = join_owners(run, f->checks, f->nchecks, &owners, &count)) != MS_OK)
        goto out;
    if (severity_of(false, f->impact) < f->severity)
        f->severity = severity_of(false, f->impact);
    out->urgency = f->impact / f->effort;
    const ms_run_check *first = run->checks[lead->fix.check];
    const char *err = first->samples[0].error ? first->samples[0].error : "?";
    /* TRANSLATORS: %s is a host name */
    ms_buf_printf(&title, _("%s cannot be reached"), lead->host);
    /* TRANSLATORS: the number of checks (always two or more), then the first error (libcurl's) */
    ms_buf_printf(&text, _("every sample of %zu checks failed without a response: %s"), f->nchecks,
                  err);
    if (title.failed || text.failed) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    if ((rc = set_all(f, NULL, ms_buf_str(&title), count ? ms_buf_str(&owners) : NULL,
                      ms_buf_str(&text), _(HOST_FIX))) != MS_OK)
        goto out;
    if ((rc = ms_run_set(&f->host, lead->host)) != MS_OK)
        goto out;
    if ((rc = ms_run_set(&f->error, err)) != MS_OK)
        goto out;
    for (size_t i = 0; i < k; i++)
        ms_run_fix_cleanup(&e[pos[i]].fix);
out:
    ms_buf_cleanup(&owners);
    ms_buf_cleanup(&title);
    ms_buf_cleanup(&text);
    return rc;
}

typedef char host_name[sizeof((fix_entry *)0)->host];

static int host_cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* The hosts some http check of the run got a response from (any status), sorted, as a new
 * array in *out (*n of them). */
static ms_status answered_hosts(const ms_run *run, host_name **out, size_t *n)
{
    *n = 0;
    if (!(*out = calloc(run->nchecks + 1, sizeof **out)))
        return MS_ERR_NOMEM;
    for (size_t i = 0; i < run->nchecks; i++) {
        const ms_run_check *ck = run->checks[i];
        bool any = false;
        for (int k = 0; k < ck->nsamples && ck->kind == MS_KIND_HTTP && !any; k++)
            any = answered(&ck->samples[k]);
        if (any)
            url_host(ck->url, (*out)[(*n)++], sizeof **out);
    }
    qsort(*out, *n, sizeof **out, host_cmp);
    return MS_OK;
}

/* An entry's host and its position in the fix order, to sort by host. */
typedef struct {
    const char *host;
    size_t pos;
} host_at;

static int host_at_cmp(const void *a, const void *b)
{
    const host_at *x = a, *y = b;
    int c = strcmp(x->host, y->host);
    return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

/* Sort the n entries of e, make one host fix of each host that two or more of them failed to
 * reach and no check of the run got a response from, and give them in order as *out (*nout of
 * them). */
static ms_status finish_list(const ms_run *run, fix_entry *e, size_t n, ms_run_fix **out,
                             size_t *nout)
{
    ms_status rc = MS_OK;
    size_t k = 0, nanswered = 0;
    host_name *answered = NULL;
    bool any = false;
    for (size_t i = 0; i < n; i++)
        any = any || e[i].unreachable;
    if (any && (rc = answered_hosts(run, &answered, &nanswered)) != MS_OK)
        nanswered = 0;
    /* A host that answered another check of the run can be reached: its checks keep their own
     * fixes. */
    for (size_t i = 0; i < n; i++)
        if (e[i].unreachable && nanswered && /* no bsearch over NULL, even of none */
            bsearch(e[i].host, answered, nanswered, sizeof *answered, host_cmp) != NULL)
            e[i].unreachable = false;
    free(answered);
    if (n)
        qsort(e, n, sizeof *e, fix_cmp);
    /* The unreachable entries by host, each host's in fix order: groups side by side. */
    host_at *by = calloc(n + 1, sizeof *by);
    size_t *pos = calloc(n + 1, sizeof *pos), np = 0;
    if ((!by || !pos) && rc == MS_OK)
        rc = MS_ERR_NOMEM;
    for (size_t i = 0; by && pos && i < n; i++)
        if (e[i].unreachable && e[i].host[0])
            by[np++] = (host_at){e[i].host, i};
    if (np)
        qsort(by, np, sizeof *by, host_at_cmp);
    for (size_t i = 0; pos && i < np; i++)
        pos[i] = by[i].pos;
    for (size_t i = 0, j = 0; rc == MS_OK && i < np; i = j) {
        for (j = i + 1; j < np && strcmp(by[j].host, by[i].host) == 0; j++)
            ;
        if (j - i < 2)
            continue;
        fix_entry g;
        size_t lead = pos[i];
        if ((rc = host_fix(run, e, pos + i, j - i, &g)) != MS_OK) {
            ms_run_fix_cleanup(&g.fix);
            break;
        }
        e[lead] = g; /* the leading entry, cleaned by host_fix, becomes the host fix */
    }
    free(by);
    free(pos);
    for (size_t i = 0; i < n; i++)
        if (e[i].fix.nchecks > 0)
            e[k++] = e[i];
    if (k)
        qsort(e, k, sizeof *e, fix_cmp);
    if (rc == MS_OK && !(*out = calloc(k + 1, sizeof **out)))
        rc = MS_ERR_NOMEM;
    for (size_t i = 0; i < k; i++) {
        if (rc == MS_OK)
            (*out)[(*nout)++] = e[i].fix;
        else
            ms_run_fix_cleanup(&e[i].fix);
    }
    return rc;
}

/* The prioritised fix list: one entry per failed check (the checks that every sample of which
 * failed to reach the same host, when there are several, one entry for them all), in order
 * (failed critical first, then impact / effort, external before internal, run order); then the
 * "could be better" list: the checks that passed with a score below 1, in the same order. */
static ms_status build_fixes(ms_run *run)
{
    ms_status rc = MS_OK;
    double total_w = 0;
    size_t nf = 0, nb = 0, wf = 0, wb = 0;
    for (size_t i = 0; i < run->nchecks; i++) { /* how many of each: an entry is not small */
        const ms_run_check *ck = run->checks[i];
        wf += ck->has_score && ck->status == MS_ST_FAIL;
        wb += ck->has_score && ck->status != MS_ST_FAIL && ck->score < 1;
    }
    fix_entry *fe = calloc(wf + 1, sizeof *fe);
    fix_entry *be = calloc(wb + 1, sizeof *be);
    if (!fe || !be) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < run->nchecks; i++)
        if (run->checks[i]->has_score)
            total_w += run->checks[i]->weight * ms_factor_rank(run->checks[i]->factor);
    for (size_t i = 0; i < run->nchecks && rc == MS_OK; i++) {
        const ms_run_check *ck = run->checks[i];
        if (!ck->has_score || (ck->score >= 1 && ck->status != MS_ST_FAIL))
            continue;
        bool better = ck->status != MS_ST_FAIL;
        fix_entry *x = better ? &be[nb++] : &fe[nf++];
        rc = check_entry(run, i, total_w, better, x);
    }
    if (rc == MS_OK)
        rc = finish_list(run, fe, nf, &run->fixes, &run->nfixes);
    else
        for (size_t i = 0; i < nf; i++)
            ms_run_fix_cleanup(&fe[i].fix);
    if (rc == MS_OK)
        rc = finish_list(run, be, nb, &run->better, &run->nbetter);
    else
        for (size_t i = 0; i < nb; i++)
            ms_run_fix_cleanup(&be[i].fix);
out:
    free(fe);
    free(be);
    return rc;
}

/* Scores and impacts as published: to two decimals (more would be noise). Rounded once, after
 * everything was computed from the exact values, so that every report, and a report made again
 * from the JSON one, shows the same figures. */
static double round2(double v)
{
    return ms_round(v * 100.0) / 100.0;
}

static void publish(ms_run *run)
{
    ms_scores *sc = &run->scores;
    for (size_t i = 0; i < run->nchecks; i++)
        run->checks[i]->score = round2(run->checks[i]->score);
    for (size_t l = 0; l < run->nlists; l++)
        for (size_t s = 0; s < run->lists[l].nsections; s++)
            run->lists[l].sections[s].score = round2(run->lists[l].sections[s].score);
    sc->overall = round2(sc->overall);
    for (int f = 0; f < MS_FACTOR_COUNT; f++)
        sc->factor[f] = round2(sc->factor[f]);
    for (int a = 0; a < MS_AUD_COUNT; a++)
        sc->audience[a] = round2(sc->audience[a]);
    for (size_t i = 0; i < run->nfixes; i++)
        run->fixes[i].impact = round2(run->fixes[i].impact);
    for (size_t i = 0; i < run->nbetter; i++)
        run->better[i].impact = round2(run->better[i].impact);
}

ms_status ms_score_run(ms_run *run)
{
    ms_status rc = MS_OK;
    for (size_t i = 0; i < run->nfixes; i++)
        ms_run_fix_cleanup(&run->fixes[i]);
    free(run->fixes);
    run->fixes = NULL;
    run->nfixes = 0;
    for (size_t i = 0; i < run->nbetter; i++)
        ms_run_fix_cleanup(&run->better[i]);
    free(run->better);
    run->better = NULL;
    run->nbetter = 0;
    if ((rc = score_all(run)) != MS_OK)
        return rc;
    if ((rc = build_fixes(run)) != MS_OK)
        return rc;
    publish(run);
    return MS_OK;
}

/* The evidence of a regressed check cc: "got slower since REF: median total 120 ms -> 190 ms,
 * +58%, p = 0.01", one clause a regressed phase ("thresholds only" for p when a side had fewer
 * than MS_MWU_MIN_SAMPLES samples; no percentage over a base median of 0). */
void ms_regression_evidence(const char *ref, const ms_cmp_check *cc, ms_buf *b)
{
    size_t n = 0;
    /* TRANSLATORS: %s is the baseline's name (@last-pass, a run id or a file) */
    if (ref)
        ms_buf_printf(b, _("got slower since %s: "), ref);
    else
        ms_buf_adds(b, _("got slower since the baseline: "));
    for (size_t p = 0; p < cc->nphases; p++) {
        const ms_regression *r = &cc->phases[p].r;
        char from[32], to[32];
        if (!r->regressed)
            continue;
        ms_format_ms(r->base_median_us, from, sizeof from);
        ms_format_ms(r->new_median_us, to, sizeof to);
        /* TRANSLATORS: the phase (dns, connect... total, kept as it is), the baseline's median,
         * this run's */
        ms_buf_adds(b, n++ ? "; " : "");
        ms_buf_printf(b, _("median %s %s ms -> %s ms"), ms_phase_name(cc->phases[p].phase), from,
                      to);
        if (!isnan(r->delta_pct))
            ms_buf_printf(b, ", %+.0f%%", r->delta_pct);
        if (r->thresholds_only || isnan(r->p))
            ms_buf_adds(b, _(", thresholds only"));
        else if (r->p < 0.001)
            ms_buf_adds(b, ", p < 0.001");
        else
            ms_buf_printf(b, ", p = %.2g", r->p);
    }
}

/* The hint of a regressed check: for its regressed phase that grew most (dns ... transfer, or
 * redirect), else for the phase it is blamed for over budget; NULL when none. */
static const char *regression_hint(const ms_run_check *ck, const ms_cmp_check *cc)
{
    const char *hint = NULL;
    int64_t most = 0;
    for (size_t p = 0; p < cc->nphases; p++) {
        const ms_regression *r = &cc->phases[p].r;
        const char *h = ms_phase_hint((int)cc->phases[p].phase);
        if (r->regressed && h && (!hint || r->delta_us > most)) {
            hint = h;
            most = r->delta_us;
        }
    }
    return hint ? hint : ms_phase_hint(ck->worst_phase);
}

/* The index of the run's check with id (the first of a repeated id), or nchecks. */
static size_t check_by_id(const ms_run *run, const char *id)
{
    size_t i = 0;
    while (i < run->nchecks && !(id && run->checks[i]->id && strcmp(run->checks[i]->id, id) == 0))
        i++;
    return i;
}

/* The fix entry that is check i's own (not a host fix), or NULL. */
static ms_run_fix *own_fix(ms_run_fix *fixes, size_t n, size_t i)
{
    for (size_t k = 0; k < n; k++)
        if (fixes[k].check == i && fixes[k].nchecks == 1 && !fixes[k].host)
            return &fixes[k];
    return NULL;
}

/* Take check i's entry out of the "could be better" list: it is a fix now. */
static void drop_better(ms_run *run, size_t i)
{
    ms_run_fix *f = own_fix(run->better, run->nbetter, i);
    if (!f)
        return;
    size_t k = (size_t)(f - run->better);
    ms_run_fix_cleanup(f);
    memmove(f, f + 1, (run->nbetter - k - 1) * sizeof *f);
    run->nbetter--;
}

ms_status ms_score_regressions(ms_run *run)
{
    ms_status rc = MS_OK;
    const ms_run_baseline *base = run->baseline;
    const ms_comparison *cmp = base ? &base->cmp : NULL;
    fix_entry *re = NULL;
    size_t nr = 0;
    double total_w = 0;
    ms_buf ev;
    ms_buf_init(&ev, 0);
    if (!cmp || cmp->nregressed == 0)
        goto out;
    if (!(re = calloc(cmp->nchecks + 1, sizeof *re))) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < run->nchecks; i++)
        if (run->checks[i]->has_score)
            total_w += run->checks[i]->weight * ms_factor_rank(run->checks[i]->factor);
    for (size_t c = 0; c < cmp->nchecks && rc == MS_OK; c++) {
        const ms_cmp_check *cc = &cmp->checks[c];
        size_t i = cc->regressed && cc->side == MS_CMP_BOTH ? check_by_id(run, cc->id) : SIZE_MAX;
        if (i >= run->nchecks)
            continue;
        const ms_run_check *ck = run->checks[i];
        ms_buf_reset(&ev);
        ms_regression_evidence(base->ref, cc, &ev);
        if (ev.failed) {
            rc = MS_ERR_NOMEM;
            break;
        }
        ms_run_fix *own = own_fix(run->fixes, run->nfixes, i);
        if (own) { /* failed and regressed: one entry, the evidence of both */
            ms_buf both;
            ms_buf_init(&both, 0);
            ms_buf_printf(&both, "%s; %s", own->evidence ? own->evidence : "", ms_buf_str(&ev));
            rc = both.failed ? MS_ERR_NOMEM : ms_run_set(&own->evidence, ms_buf_str(&both));
            ms_buf_cleanup(&both);
            continue;
        }
        fix_entry *e = &re[nr++];
        if ((rc = check_entry(run, i, total_w > 0 ? total_w : 1, false, e)) != MS_OK)
            break;
        e->fix.impact = round2(e->fix.impact);
        e->critical = ck->critical;
        e->unreachable = false;
        e->fix.severity = ck->critical                        ? MS_SEV_CRITICAL
                          : e->fix.severity == MS_SEV_SERIOUS ? MS_SEV_SERIOUS
                                                              : MS_SEV_MODERATE;
        if ((rc = ms_run_set(&e->fix.evidence, ms_buf_str(&ev))) == MS_OK)
            rc = ms_run_set(&e->fix.hint, regression_hint(ck, cc));
    }
    if (rc == MS_OK && nr) {
        ms_run_fix *grown = realloc(run->fixes, (run->nfixes + nr + 1) * sizeof *grown);
        if (!grown) {
            rc = MS_ERR_NOMEM;
            goto out;
        }
        run->fixes = grown;
        qsort(re, nr, sizeof *re, fix_cmp);
        for (size_t k = 0; k < nr; k++) {
            drop_better(run, re[k].fix.check);
            run->fixes[run->nfixes++] = re[k].fix;
            re[k].fix = (ms_run_fix){0};
        }
    }
out:
    for (size_t k = 0; re && k < nr; k++)
        ms_run_fix_cleanup(&re[k].fix);
    free(re);
    ms_buf_cleanup(&ev);
    return rc;
}

/* The gate's reasons, in the order ms/run.h lists them; the text of each as every report shows
 * it. The score gate compares the published overall score (two decimals), and says it with
 * those two decimals: the figure compared is the figure printed. */
static ms_status judge_reasons(ms_run *run, char *gate, size_t gatelen)
{
    ms_status rc = MS_OK;
    const ms_scores *sc = &run->scores;
    const ms_verdict *v = &run->verdict;
    const ms_run_baseline *base = run->baseline;
    char why[512];
    gate[0] = '\0';
    for (int k = MS_REASON_FAILED; k <= MS_REASON_INTERRUPTED && rc == MS_OK; k++) {
        why[0] = '\0';
        if (k == MS_REASON_FAILED && v->fail_on == MS_FAIL_ON_ANY && sc->failed)
            snprintf(why, sizeof why, ngettext("%zu check failed", "%zu checks failed", sc->failed),
                     sc->failed);
        else if (k == MS_REASON_CRITICAL && v->fail_on == MS_FAIL_ON_CRITICAL &&
                 sc->critical_failed)
            snprintf(why, sizeof why,
                     ngettext("%zu critical check failed", "%zu critical checks failed",
                              sc->critical_failed),
                     sc->critical_failed);
        else if (k == MS_REASON_NO_SCORE && v->fail_on != MS_FAIL_ON_NONE && !sc->has_overall)
            snprintf(why, sizeof why, "%s",
                     _("nothing could be scored (every check is unanswered, n/a or not run)"));
        else if (k == MS_REASON_SCORE && v->has_fail_under && !sc->has_overall)
            snprintf(why, sizeof why, _("no score to compare with %.15g"), v->fail_under);
        else if (k == MS_REASON_SCORE && v->has_fail_under && sc->overall < v->fail_under)
            snprintf(why, sizeof why, _("score %.2f is below %.15g"), sc->overall, v->fail_under);
        else if (k == MS_REASON_REGRESSION && v->fail_on != MS_FAIL_ON_NONE && base &&
                 base->cmp.nregressed)
            snprintf(why, sizeof why,
                     base->ref ? ngettext("%zu check got slower since %s",
                                          "%zu checks got slower since %s", base->cmp.nregressed)
                               : ngettext("%zu check got slower since the baseline",
                                          "%zu checks got slower since the baseline",
                                          base->cmp.nregressed),
                     base->cmp.nregressed, base->ref ? base->ref : "");
        else if (k == MS_REASON_INCOMPLETE && v->incomplete)
            snprintf(why, sizeof why,
                     ngettext("%zu manual check unanswered (--require-complete)",
                              "%zu manual checks unanswered (--require-complete)", sc->unanswered),
                     sc->unanswered);
        else if (k == MS_REASON_INTERRUPTED && run->interrupted)
            snprintf(why, sizeof why, "%s",
                     _("stopped by a signal before the end: the results are what was done before "
                       "it"));
        if (!why[0])
            continue;
        if (k <= MS_REASON_REGRESSION) /* the gate's own: --fail-on, --fail-under, --baseline */
            snprintf(gate + strlen(gate), gatelen - strlen(gate), "%s%s", gate[0] ? "; " : "", why);
        rc = ms_run_add_reason(run, (ms_reason_kind)k, why);
    }
    return rc;
}

ms_status ms_run_judge(ms_run *run, ms_fail_on fail_on, double fail_under, bool require_complete)
{
    ms_verdict *v = &run->verdict;
    char gate[1024];
    for (size_t i = 0; i < v->nreasons; i++)
        free(v->reasons[i].text);
    free(v->reasons);
    v->reasons = NULL;
    v->nreasons = 0;
    v->fail_on = fail_on;
    v->has_fail_under = fail_under >= 0;
    v->fail_under = fail_under >= 0 ? fail_under : 0;
    v->require_complete = require_complete;
    v->incomplete = require_complete && run->scores.unanswered > 0;
    ms_status rc = judge_reasons(run, gate, sizeof gate);
    if (rc != MS_OK)
        return rc;
    v->passed = !gate[0] && !run->interrupted;
    v->exit_code = ms_status_exit_code(ms_run_status(run));
    return ms_run_set(&v->reason, gate[0] ? gate : NULL);
}
