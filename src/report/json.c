/* The JSON report (docs/report-format.md), written with cJSON from the run record and read back
 * into one. Format 3; every sample of every check.
 *
 * Out of memory: a cJSON_Add* or cJSON_Create* that fails returns NULL, and the calls after it
 * on a NULL parent do nothing, so a report built regardless would be a shorter, valid-looking
 * report. Rather than test every one of some hundred results, each writer counts cJSON's failed
 * allocations (ms/alloc.h) around the whole build and says MS_ERR_NOMEM when any failed; an item
 * made apart and then added goes through put()/push(), which free it when it cannot be added. */
#include <cjson/cJSON.h>
#include <float.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms/alloc.h"
#include "ms/buf.h"
#include "ms/cmpjson.h"
#include "ms/jsontext.h"
#include "ms/report.h"
#include "ms/score.h"

static double ms(int64_t us)
{
    return (double)us / 1000.0;
}

/* Digits of v (>= 0) ending at end, backwards; returns where they start. */
static char *digits_back(char *end, unsigned long long v)
{
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return end;
}

/* The text from p to end into out, NUL-terminated; its length. */
static size_t copy_out(char *out, const char *p, const char *end)
{
    size_t n = (size_t)(end - p);
    memcpy(out, p, n);
    out[n] = '\0';
    return n;
}

size_t ms_json_number_text(double d, char out[MS_JSON_NUMBER_MAX])
{
    if (isnan(d) || isinf(d))
        return (size_t)snprintf(out, MS_JSON_NUMBER_MAX, "null");
    char tmp[MS_JSON_NUMBER_MAX], *end = tmp + sizeof tmp, *p;
    /* an integer below 10^15: %1.15g writes its digits (and the sign of -0) */
    if (fabs(d) < 1e15 && d == (double)(long long)d) {
        long long v = (long long)d;
        p = digits_back(end, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v);
        if (signbit(d))
            *--p = '-';
        return copy_out(out, p, end);
    }
    /* k / 1000 for an integer k (milliseconds from microseconds, scores, weights): %1.15g
     * gives k's digits with the point three from the right and the trailing zeros cut (d is the
     * double nearest k / 1000, which has at most 15 digits, so no other 15-digit decimal is
     * nearer), and reading that back gives d, so cJSON keeps it. */
    if (fabs(d) < 1e12) {
        long long k = (long long)(d * 1000.0 + (d < 0 ? -0.5 : 0.5));
        if ((double)k / 1000.0 == d) {
            unsigned long long a = k < 0 ? 0ULL - (unsigned long long)k : (unsigned long long)k;
            unsigned frac = (unsigned)(a % 1000);
            char f[4] = {(char)('0' + frac / 100), (char)('0' + frac / 10 % 10),
                         (char)('0' + frac % 10), '\0'};
            size_t nf = 3;
            while (nf > 0 && f[nf - 1] == '0')
                nf--;
            p = digits_back(end - nf - 1, a / 1000);
            memcpy(end - nf, f, nf);
            end[-(ptrdiff_t)nf - 1] = '.';
            if (k < 0)
                *--p = '-';
            return copy_out(out, p, end);
        }
    }
    /* cJSON's own way: 15 digits when they read back as d, else 17 */
    int n = snprintf(out, MS_JSON_NUMBER_MAX, "%1.15g", d);
    double back = strtod(out, NULL);
    double most = fabs(back) > fabs(d) ? fabs(back) : fabs(d);
    if (!(fabs(back - d) <= most * DBL_EPSILON))
        n = snprintf(out, MS_JSON_NUMBER_MAX, "%1.17g", d);
    char point = *localeconv()->decimal_point; /* as cJSON: '.' whatever LC_NUMERIC says */
    for (char *c = out; point != '.' && *c; c++)
        if (*c == point)
            *c = '.';
    return (size_t)n;
}

/* A number as cJSON would print it, made by ms_json_number_text (cJSON's print_number costs a
 * sprintf and an sscanf a number: with some 70 numbers a check, 70% of a 1,000-check run's
 * instructions went to the JSON report). */
static cJSON *number(double d)
{
    char text[MS_JSON_NUMBER_MAX];
    ms_json_number_text(d, text);
    return cJSON_CreateRaw(text);
}

/* Add item to obj as name, or free it when that fails (obj NULL, or the name not copied). */
static void put(cJSON *obj, const char *name, cJSON *item)
{
    if (!cJSON_AddItemToObject(obj, name, item))
        cJSON_Delete(item);
}

/* Append item to arr, or free it when that fails. */
static void push(cJSON *arr, cJSON *item)
{
    if (!cJSON_AddItemToArray(arr, item))
        cJSON_Delete(item);
}

/* Scores come published to two decimals (ms_score_run). */
static cJSON *score_or_null(bool has, double v)
{
    return has ? number(v) : cJSON_CreateNull();
}

static void add_str(cJSON *o, const char *name, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, name, v);
    else
        cJSON_AddNullToObject(o, name);
}

/* A check's object is written straight into the text, in cJSON_Print's layout, instead of being
 * built as a tree, printed and freed: with some 150 items a check that was four fifths of a run's
 * instructions (at 1,000 checks the report cost three times the probe). The layout (cJSON 1.7):
 * an object is "{", a newline, each member on its line indented by its depth in tabs as
 * "key":<tab>value, with "," after all but the last, then the closing "}" one tab less; an empty
 * one "{", a newline and its closing line. An array is "[" and its values joined by ", ", then
 * "]"; it counts as a level for the objects in it. Strings escape '"', '\', \b \f \n \r \t
 * and other control characters as \u00xx (lower-case hex) and are then made valid UTF-8 (as
 * ms_json_print does to the whole text). The goldens and the old writer's output hold it to
 * that, byte for byte. */
typedef struct {
    ms_buf *b;
    int depth;      /* of the innermost open container */
    bool first[16]; /* per depth: nothing written in it yet */
    bool array[16]; /* per depth: it is an array */
} jw;

static const char TABS[] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t"; /* as deep as w goes */

/* The separator before a value, and its key when the container is an object: one append (a
 * line of a report is mostly its indent). */
static void jw_key(jw *w, const char *key)
{
    char line[sizeof TABS + 48];
    size_t n = 0, klen = key ? strlen(key) : 0;
    bool first = w->first[w->depth];
    w->first[w->depth] = false;
    if (w->array[w->depth]) {
        if (!first)
            ms_buf_add(w->b, ", ", 2);
        return;
    }
    if (klen > 40) { /* the keys are the format's own, short and plain ASCII: cannot be */
        w->b->failed = true;
        return;
    }
    if (!first) {
        line[n++] = ',';
        line[n++] = '\n';
    }
    memcpy(line + n, TABS, (size_t)w->depth);
    n += (size_t)w->depth;
    line[n++] = '"';
    memcpy(line + n, key, klen);
    n += klen;
    memcpy(line + n, "\":\t", 3);
    ms_buf_add(w->b, line, n + 3);
}

static void jw_open(jw *w, const char *key, bool array)
{
    jw_key(w, key);
    ms_buf_addc(w->b, array ? '[' : '{');
    if (w->depth + 1 >= (int)(sizeof w->first / sizeof *w->first) ||
        w->depth + 1 >= (int)sizeof TABS) {
        w->b->failed = true; /* deeper than a check goes: cannot be */
        return;
    }
    w->depth++;
    w->first[w->depth] = true;
    w->array[w->depth] = array;
    if (!array)
        ms_buf_addc(w->b, '\n');
}

static void jw_close(jw *w)
{
    if (w->array[w->depth]) {
        ms_buf_addc(w->b, ']');
    } else {
        if (!w->first[w->depth])
            ms_buf_addc(w->b, '\n');
        ms_buf_add(w->b, TABS, (size_t)(w->depth - 1));
        ms_buf_addc(w->b, '}');
    }
    w->depth--;
}

static void jw_raw(jw *w, const char *key, const char *text)
{
    jw_key(w, key);
    ms_buf_adds(w->b, text);
}

static void jw_num(jw *w, const char *key, double d)
{
    char text[MS_JSON_NUMBER_MAX];
    ms_json_number_text(d, text);
    jw_raw(w, key, text);
}

static void jw_bool(jw *w, const char *key, bool v)
{
    jw_raw(w, key, v ? "true" : "false");
}

/* s as a JSON string, null when s is NULL. */
static void jw_str(jw *w, const char *key, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    jw_key(w, key);
    if (!s) {
        ms_buf_adds(w->b, "null");
        return;
    }
    ms_buf_addc(w->b, '"');
    const char *run = s; /* the bytes since the last escape, cleaned as UTF-8 in one go */
    for (const char *p = s;; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 32 && c != '"' && c != '\\')
            continue;
        ms_buf_add_utf8(w->b, run, (size_t)(p - run));
        if (!c)
            break;
        char esc[7] = {'\\', 0};
        switch (c) {
        case '"':
        case '\\':
            esc[1] = (char)c;
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
        }
        ms_buf_adds(w->b, esc);
        run = p + 1;
    }
    ms_buf_addc(w->b, '"');
}

static void sample_write(jw *w, const ms_sample *s)
{
    jw_open(w, NULL, false);
    jw_bool(w, "ok", !s->failed);
    jw_str(w, "error", s->error);
    jw_num(w, "status", (double)s->status);
    jw_str(w, "http_version", s->http_version[0] ? s->http_version : NULL);
    jw_str(w, "remote_ip", s->remote_ip[0] ? s->remote_ip : NULL);
    jw_num(w, "remote_port", (double)s->remote_port);
    jw_num(w, "redirects", (double)s->redirects);
    jw_num(w, "new_connections", (double)s->connects);
    jw_num(w, "bytes", (double)s->bytes);
    jw_bool(w, "body_cut", s->body_cut);
    jw_num(w, "elapsed_ms", ms(s->ph[MS_PH_TOTAL]));
    /* A transfer that broke off has no timings worth a number: null, never a few ms. */
    if (!s->completed) {
        jw_raw(w, "phases_ms", "null");
    } else {
        jw_open(w, "phases_ms", false);
        for (int p = 0; p < MS_PH_COUNT; p++)
            jw_num(w, ms_phase_name((ms_phase)p), ms(s->ph[p]));
        jw_close(w);
    }
    jw_close(w);
}

static void http_write(jw *w, const ms_run_check *ck)
{
    jw_open(w, "request", false);
    jw_str(w, "method", ck->method);
    jw_str(w, "url", ck->url);
    jw_str(w, "connection", ck->warm ? "warm" : "cold");
    jw_close(w);
    jw_str(w, "stat", ms_stat_name(ck->stat));
    jw_num(w, "max_failed_samples", ck->max_failed_samples);
    jw_open(w, "stats_ms", false);
    for (int p = 0; p < MS_PH_COUNT; p++) {
        const ms_stats st = ms_run_stats(ck, p);
        jw_open(w, ms_phase_name((ms_phase)p), false);
        jw_num(w, "n", st.n);
        if (st.n > 0) {
            jw_num(w, "min", ms(st.min));
            jw_num(w, "median", ms(st.median));
            jw_num(w, "p90", ms(st.p90));
            jw_num(w, "p95", ms(st.p95));
            jw_num(w, "max", ms(st.max));
            jw_num(w, "mean", ms(st.mean));
        }
        jw_close(w);
    }
    jw_close(w);
    jw_open(w, "samples", true);
    for (int i = 0; i < ck->nsamples; i++)
        sample_write(w, &ck->samples[i]);
    jw_close(w);
}

static void answer_write(jw *w, const ms_run_check *ck)
{
    const ms_answer *a = &ck->answer;
    if (a->state == MS_ANS_NONE) {
        jw_raw(w, "answer", "null");
    } else {
        jw_open(w, "answer", false);
        if (a->state == MS_ANS_NA)
            jw_bool(w, "na", true);
        else if (ck->kind == MS_KIND_STOPWATCH)
            jw_num(w, "elapsed_ms", ms(a->elapsed_us));
        else if (ck->kind == MS_KIND_RATING)
            jw_num(w, "value", a->value);
        else
            jw_str(w, "value", a->yes ? "yes" : "no");
        if (a->note)
            jw_str(w, "note", a->note);
        if (a->at)
            jw_str(w, "at", a->at);
        jw_bool(w, "stale", a->stale);
        jw_close(w);
    }
    if (ck->kind == MS_KIND_RATING) {
        jw_open(w, "scale", true);
        jw_num(w, NULL, ck->scale_lo);
        jw_num(w, NULL, ck->scale_hi);
        jw_close(w);
        jw_num(w, "pass", ck->pass);
    } else if (ck->kind == MS_KIND_YESNO) {
        jw_str(w, "good", ck->good_yes ? "yes" : "no");
    }
}

/* Check ck's object into b as an element of an array depth levels deep. */
static void check_write(ms_buf *b, const ms_run_check *ck, int depth)
{
    jw w = {b, depth, {false}, {false}};
    if (depth < 0 || depth + 8 >= (int)(sizeof w.first / sizeof *w.first)) {
        b->failed = true; /* a check is some six levels deep in a report of three: cannot be */
        return;
    }
    w.array[depth] = true;
    w.first[depth] = true;
    jw_open(&w, NULL, false);
    jw_str(&w, "id", ck->id);
    jw_str(&w, "kind", ms_kind_name(ck->kind));
    jw_str(&w, "title", ck->title);
    jw_str(&w, "description", ck->description);
    jw_open(&w, "tags", true);
    for (size_t i = 0; i < ck->ntags; i++)
        jw_str(&w, NULL, ck->tags[i]);
    jw_close(&w);
    jw_str(&w, "factor", ms_factor_name(ck->factor));
    jw_str(&w, "audience", ms_audience_name(ck->audience));
    jw_num(&w, "weight", ck->weight);
    jw_bool(&w, "critical", ck->critical);
    jw_str(&w, "effort", ms_effort_name(ck->effort));
    jw_str(&w, "owner", ck->owner);
    jw_str(&w, "fix", ck->fix);
    jw_str(&w, "file", ck->file);
    if (ck->line > 0)
        jw_num(&w, "line", ck->line);
    else
        jw_raw(&w, "line", "null");
    jw_str(&w, "status", ms_status_name(ck->status));
    if (ck->has_score)
        jw_num(&w, "score", ck->score);
    else
        jw_raw(&w, "score", "null");
    jw_str(&w, "evidence", ck->evidence);
    jw_str(&w, "judged_phase",
           ck->judged_phase >= 0 ? ms_phase_name((ms_phase)ck->judged_phase) : NULL);
    jw_bool(&w, "body_cut_held", ck->body_cut_held);
    jw_open(&w, "budget_ms", false);
    for (int p = 0; p < MS_PH_COUNT; p++)
        if (ck->budget_us[p] > 0)
            jw_num(&w, ms_phase_name((ms_phase)p), ms(ck->budget_us[p]));
    jw_close(&w);
    if (ck->kind == MS_KIND_HTTP)
        http_write(&w, ck);
    else
        answer_write(&w, ck);
    jw_close(&w);
}

static cJSON *scores_json(const ms_scores *s)
{
    cJSON *o = cJSON_CreateObject();
    put(o, "overall", score_or_null(s->has_overall, s->overall));
    cJSON *f = cJSON_AddObjectToObject(o, "factor");
    for (int i = 0; i < MS_FACTOR_COUNT; i++)
        put(f, ms_factor_name((ms_factor)i), score_or_null(s->has_factor[i], s->factor[i]));
    cJSON *a = cJSON_AddObjectToObject(o, "audience");
    for (int i = 0; i < MS_AUD_COUNT; i++)
        put(a, ms_audience_name((ms_audience)i), score_or_null(s->has_audience[i], s->audience[i]));
    cJSON *c = cJSON_AddObjectToObject(o, "checks");
    cJSON_AddNumberToObject(c, "passed", (double)s->passed);
    cJSON_AddNumberToObject(c, "failed", (double)s->failed);
    cJSON_AddNumberToObject(c, "critical_failed", (double)s->critical_failed);
    cJSON_AddNumberToObject(c, "na", (double)s->na);
    cJSON_AddNumberToObject(c, "unanswered", (double)s->unanswered);
    cJSON_AddNumberToObject(c, "not_run", (double)s->not_run);
    return o;
}

/* A fix list (the fixes, or the checks that could be better): each entry shows its own fields;
 * a host fix names no one check (check null) but its checks, host and error. */
static cJSON *fixes_json(const ms_run *run, const ms_run_fix *fixes, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) {
        const ms_run_fix *f = &fixes[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "rank", (double)(i + 1));
        add_str(o, "check", f->host ? NULL : run->checks[f->check]->id);
        cJSON_AddStringToObject(o, "severity", ms_severity_name(f->severity));
        cJSON_AddNumberToObject(o, "impact", f->impact);
        add_str(o, "title", f->title);
        cJSON_AddStringToObject(o, "factor", ms_factor_name(f->factor));
        cJSON_AddStringToObject(o, "audience", ms_audience_name(f->audience));
        add_str(o, "owner", f->owner);
        cJSON_AddStringToObject(o, "effort", ms_effort_name(f->effort));
        add_str(o, "evidence", f->evidence);
        add_str(o, "fix", f->fix);
        add_str(o, "hint", f->hint);
        cJSON *checks = cJSON_AddArrayToObject(o, "checks");
        for (size_t k = 0; k < f->nchecks; k++)
            push(checks, cJSON_CreateString(run->checks[f->checks[k]]->id));
        add_str(o, "host", f->host);
        add_str(o, "error", f->error);
        push(arr, o);
    }
    return arr;
}

static cJSON *strs_json(char *const *v, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        push(arr, cJSON_CreateString(v[i]));
    return arr;
}

/* The network options (format 3): the proxies used and what was asked of libcurl. */
static cJSON *net_json(const ms_run_net *net)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *proxies = cJSON_AddArrayToObject(o, "proxies");
    for (size_t i = 0; i < net->nproxies; i++) {
        const ms_run_proxy *p = &net->proxies[i];
        cJSON *x = cJSON_CreateObject();
        add_str(x, "url", p->url);
        add_str(x, "from", p->from);
        put(x, "checks", strs_json(p->checks, p->nchecks));
        push(proxies, x);
    }
    add_str(o, "http_version", net->http_version);
    put(o, "resolve", strs_json(net->resolve, net->nresolve));
    put(o, "connect_to", strs_json(net->connect_to, net->nconnect_to));
    add_str(o, "client_cert", net->client_cert);
    return o;
}

/* run --baseline (format 3, only when there is one): the run compared with and the comparison
 * object (ms_comparison_json, as compare --json writes it). */
static ms_status baseline_json(const ms_run_baseline *b, cJSON *root)
{
    cJSON *o = cJSON_AddObjectToObject(root, "baseline");
    if (!o)
        return MS_ERR_NOMEM;
    add_str(o, "ref", b->ref);
    add_str(o, "started_at", b->started_at);
    add_str(o, "label", b->label);
    cJSON *c = cJSON_AddObjectToObject(o, "comparison");
    return c ? ms_comparison_json(&b->cmp, c) : MS_ERR_NOMEM;
}

/* Where a section's checks go in the printed skeleton: a raw byte no printed JSON holds (cJSON
 * escapes control characters in strings). */
#define CHECKS_MARK "\001"

/* The text is handed to emit in pieces of about this size (to a file as it is made). */
#define PIECE ((size_t)64 * 1024)

/* b's bytes to emit when there are at least min of them; b is emptied. */
static ms_status flush(ms_buf *b, size_t min, ms_put_fn emit, void *sink)
{
    if (b->failed)
        return MS_ERR_NOMEM;
    if (b->len < min || b->len == 0)
        return MS_OK;
    ms_status rc = emit(sink, b->data, b->len);
    ms_buf_reset(b);
    return rc;
}

/* The report from the skeleton text (everything but the checks, a mark in each section's
 * checks array that has some): each mark replaced by its section's checks, one after another, as
 * cJSON would have printed the whole tree, handed to emit a piece at a time. The report of a large
 * run is neither a tree of every sample printed at once nor one string (at 10,000 checks these
 * were most of a run's memory). */
static ms_status splice_checks(const ms_run *run, const char *skeleton, ms_put_fn emit, void *sink)
{
    ms_buf b;
    ms_status rc = MS_OK;
    size_t l = 0, s = 0;
    ms_buf_init(&b, SIZE_MAX); /* a check's text is as large as its samples: no cap but memory */
    for (const char *p = skeleton, *mark; rc == MS_OK; p = mark + 1) {
        mark = strstr(p, CHECKS_MARK);
        if (!mark) {
            ms_buf_add_utf8(&b, p, strlen(p));
            break;
        }
        ms_buf_add_utf8(&b, p, (size_t)(mark - p));
        /* the next section with checks, in the order the skeleton was built */
        while (l < run->nlists && (s >= run->lists[l].nsections || !run->lists[l].sections[s].n)) {
            if (s >= run->lists[l].nsections) {
                l++;
                s = 0;
            } else {
                s++;
            }
        }
        if (l >= run->nlists) {
            rc = MS_ERR_NOMEM; /* a mark without its section: cannot be */
            break;
        }
        /* the array's elements are one level deeper than the line that opens it */
        const char *line = mark;
        while (line > skeleton && line[-1] != '\n')
            line--;
        size_t depth = 1 + strspn(line, "\t");
        const ms_run_section *sec = &run->lists[l].sections[s];
        for (size_t k = sec->first; k < sec->first + sec->n && rc == MS_OK; k++) {
            if (k > sec->first)
                ms_buf_adds(&b, ", ");
            check_write(&b, run->checks[k], (int)depth);
            rc = flush(&b, PIECE, emit, sink);
        }
        s++;
    }
    ms_buf_addc(&b, '\n');
    if (rc == MS_OK)
        rc = flush(&b, 0, emit, sink);
    ms_buf_cleanup(&b);
    return rc;
}

ms_status ms_report_json_write(const ms_run *run, ms_put_fn emit, void *sink)
{
    unsigned long failures = ms_alloc_failures();
    cJSON *root = cJSON_CreateObject();
    char *skeleton = NULL;
    if (!root)
        return MS_ERR_NOMEM;
    cJSON_AddNumberToObject(root, "format", MS_REPORT_FORMAT);
    cJSON *tool = cJSON_AddObjectToObject(root, "tool");
    cJSON_AddStringToObject(tool, "name", "mystery-shopper");
    add_str(tool, "version", run->tool_version);
    add_str(tool, "libcurl", run->libcurl);
    cJSON *r = cJSON_AddObjectToObject(root, "run");
    add_str(r, "started_at", run->started_at);
    add_str(r, "finished_at", run->finished_at);
    cJSON_AddNumberToObject(r, "duration_ms", ms(run->duration_us));
    add_str(r, "auditor", run->auditor);
    add_str(r, "label", run->label);
    add_str(r, "answers_file", run->answers_path);
    add_str(r, "visited_at", run->visited_at);
    cJSON_AddBoolToObject(r, "interrupted", run->interrupted);
    cJSON_AddBoolToObject(r, "insecure", run->insecure); /* TLS was not verified */
    cJSON_AddNumberToObject(r, "parallel", (double)run->parallel);
    cJSON_AddNumberToObject(r, "per_host", (double)run->per_host);
    if (run->samples > 0)
        cJSON_AddNumberToObject(r, "samples", run->samples);
    put(r, "network", net_json(&run->net));
    cJSON *v = cJSON_AddObjectToObject(root, "verdict");
    cJSON_AddBoolToObject(v, "passed", run->verdict.passed);
    add_str(v, "reason", run->verdict.reason);
    cJSON_AddBoolToObject(v, "incomplete", run->verdict.incomplete);
    cJSON_AddNumberToObject(v, "exit_code", run->verdict.exit_code);
    /* format 3: every reason that applies, and the gate's options */
    cJSON *reasons = cJSON_AddArrayToObject(v, "reasons");
    for (size_t i = 0; i < run->verdict.nreasons; i++) {
        cJSON *ro = cJSON_CreateObject();
        cJSON_AddStringToObject(ro, "kind", ms_reason_kind_name(run->verdict.reasons[i].kind));
        add_str(ro, "text", run->verdict.reasons[i].text);
        push(reasons, ro);
    }
    cJSON_AddStringToObject(v, "fail_on", ms_fail_on_name(run->verdict.fail_on));
    put(v, "fail_under", score_or_null(run->verdict.has_fail_under, run->verdict.fail_under));
    cJSON_AddBoolToObject(v, "require_complete", run->verdict.require_complete);
    put(root, "scores", scores_json(&run->scores));
    cJSON *lists = cJSON_AddArrayToObject(root, "checklists");
    for (size_t l = 0; l < run->nlists; l++) {
        const ms_run_list *cl = &run->lists[l];
        cJSON *co = cJSON_CreateObject();
        add_str(co, "id", cl->id);
        add_str(co, "title", cl->title);
        add_str(co, "path", cl->path);
        cJSON *secs = cJSON_AddArrayToObject(co, "sections");
        for (size_t s = 0; s < cl->nsections; s++) {
            const ms_run_section *sec = &cl->sections[s];
            cJSON *so = cJSON_CreateObject();
            add_str(so, "id", sec->id);
            add_str(so, "title", sec->title);
            put(so, "score", score_or_null(sec->has_score, sec->score));
            cJSON *cov = cJSON_AddObjectToObject(so, "coverage");
            cJSON_AddNumberToObject(cov, "answered", (double)sec->answered);
            cJSON_AddNumberToObject(cov, "applicable", (double)sec->applicable);
            cJSON *checks = cJSON_AddArrayToObject(so, "checks");
            if (sec->n) /* the checks are printed one at a time into the text: splice_checks */
                push(checks, cJSON_CreateRaw(CHECKS_MARK));
            push(secs, so);
        }
        push(lists, co);
    }
    put(root, "fixes", fixes_json(run, run->fixes, run->nfixes));
    put(root, "could_be_better", fixes_json(run, run->better, run->nbetter));
    ms_status rc = run->baseline ? baseline_json(run->baseline, root) : MS_OK;
    if (rc == MS_OK && ms_alloc_failures() != failures)
        rc = MS_ERR_NOMEM;
    if (rc == MS_OK && !(skeleton = cJSON_Print(root)))
        rc = MS_ERR_NOMEM;
    cJSON_Delete(root);
    root = NULL;
    /* the checks are written without cJSON: a failed append is their buffer's, and splice_checks
     * says MS_ERR_NOMEM (a file being written is then not put in place) */
    if (rc == MS_OK)
        rc = splice_checks(run, skeleton, emit, sink);
    free(skeleton);
    return rc;
}

static ms_status put_buf(void *sink, const char *data, size_t len)
{
    return ms_buf_add(sink, data, len);
}

ms_status ms_report_json(const ms_run *run, char **out)
{
    ms_buf b;
    ms_buf_init(&b, SIZE_MAX); /* a report is as large as the run: no cap but memory */
    ms_status rc = ms_report_json_write(run, put_buf, &b);
    *out = rc == MS_OK ? ms_buf_take(&b) : NULL;
    ms_buf_cleanup(&b);
    return rc != MS_OK ? rc : *out ? MS_OK : MS_ERR_NOMEM;
}
