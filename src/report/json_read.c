/* Reading a JSON report (formats 1 to 3, docs/report-format.md) back into a run record, so that
 * ms_report_json writes the same bytes again and every other writer renders it as the run did.
 *
 * Strict about what it knows: an unknown field, a field of the wrong type or a value out of
 * range is an error naming the line, column and field, never a silent default (a silent
 * default would write a different report). Fields that format 2 added take their format-1
 * meaning when a format-1 report lacks them. */
#include <cjson/cJSON.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms/alloc.h"
#include "ms/buf.h"
#include "ms/cmpjson.h"
#include "ms/i18n.h"
#include "ms/compare.h"
#include "ms/diag.h"
#include "ms/fields.h"
#include "ms/jsontext.h"
#include "ms/report.h"
#include "ms/score.h"
#include "ms/util.h"

/* The reader's state: where the text came from and its positions (in f), the format, and how
 * it went: the first problem ends the reading (a later one would only follow from it). */
typedef struct {
    ms_fields f;
    int format;
    bool baseline; /* the report has one (run --baseline): a fix's evidence may say a regression */
    ms_status rc;
    ms_budget_pool *budgets; /* the run's: its checks' budgets are shared */
} reader;

/* The path of a field: its parent's path and its key (or index). */
typedef struct {
    char s[160];
} path;

/* The path of p's member key. Paths are made of the report's own field names and indexes; a key
 * too long to add (an unknown one, quoted in full by the message) leaves p as it is, so the
 * message points at the object that holds it. */
static path sub(const path *p, const char *key)
{
    path r = *p;
    size_t n = strlen(p->s), k = strlen(key), dot = n > 0;
    if (n + dot + k >= sizeof r.s)
        return r;
    if (dot)
        r.s[n] = '.';
    memcpy(r.s + n + dot, key, k + 1);
    return r;
}

static path idx(const path *p, size_t i)
{
    char n[24];
    snprintf(n, sizeof n, "%zu", i);
    return sub(p, n);
}

/* Record the first problem, at the value at p (its key when key is true). Returns false, for
 * the callers' "return fail(...)". */
static bool fail(reader *r, const path *p, bool key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static bool fail(reader *r, const path *p, bool key, const char *fmt, ...)
{
    va_list ap;
    ms_buf msg;
    if (r->rc != MS_OK)
        return false;
    ms_buf_init(&msg, 0);
    va_start(ap, fmt);
    ms_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    if (!msg.failed)
        ms_fields_err(&r->f, p->s, key, "%s", ms_buf_str(&msg));
    r->rc = msg.failed || r->f.nomem ? MS_ERR_NOMEM : MS_ERR_INVALID;
    ms_buf_cleanup(&msg);
    return false;
}

static bool nomem(reader *r)
{
    if (r->rc == MS_OK)
        r->rc = MS_ERR_NOMEM;
    return false;
}

/* obj at p must be an object whose every key is in keys (NULL-terminated), each once (the
 * loaders' check: an unknown field is named with the nearest known one). */
static bool only(reader *r, const cJSON *obj, const path *p, const char *const *keys)
{
    size_t errors = r->f.errors;
    if (!cJSON_IsObject(obj))
        return fail(r, p, false, _("expected an object"));
    ms_fields_check(&r->f, obj, p->s, keys, NULL);
    if (r->f.nomem)
        return nomem(r);
    if (r->f.errors != errors && r->rc == MS_OK)
        r->rc = MS_ERR_INVALID;
    return r->rc == MS_OK;
}

/* Up to 40 keys: the lists given, joined. */
typedef struct {
    const char *k[41];
} keyset;

static keyset keys_of(const char *const *a, const char *const *b, const char *const *c)
{
    keyset ks = {{0}};
    size_t n = 0;
    const char *const *lists[] = {a, b, c};
    for (size_t l = 0; l < 3; l++)
        for (size_t i = 0; lists[l] && lists[l][i] && n < 40; i++)
            ks.k[n++] = lists[l][i];
    return ks;
}

/* The member key of obj, or NULL; a missing member is an error unless optional. */
static const cJSON *member(reader *r, const cJSON *obj, const path *p, const char *key,
                           bool optional)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!x && !optional)
        fail(r, p, false, _("missing field \"%s\""), key);
    return x;
}

/* A string or null into *dst (owned). */
static bool str_at(reader *r, const cJSON *obj, const path *p, const char *key, char **dst)
{
    const cJSON *x = member(r, obj, p, key, false);
    path q = sub(p, key);
    if (!x)
        return false;
    if (cJSON_IsNull(x))
        return true;
    if (!cJSON_IsString(x))
        return fail(r, &q, false, _("expected a string or null"));
    return ms_run_set(dst, x->valuestring) == MS_OK || nomem(r);
}

/* A string member that may be absent (then *dst stays NULL). */
static bool str_at_opt(reader *r, const cJSON *obj, const path *p, const char *key, char **dst)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(obj, key);
    path q = sub(p, key);
    if (x && !cJSON_IsString(x)) /* the writer leaves it out rather than write null */
        return fail(r, &q, false, _("expected a string"));
    return !x || str_at(r, obj, p, key, dst);
}

/* A number in [lo, hi]; integral when whole is true. */
static bool num_of(reader *r, const cJSON *x, const path *p, double lo, double hi, bool whole,
                   double *dst)
{
    if (!cJSON_IsNumber(x))
        return fail(r, p, false, _("expected a number"));
    double v = x->valuedouble;
    if (!(v >= lo && v <= hi) || (whole && !ms_is_whole(v)))
        return whole ? fail(r, p, false, _("expected a whole number from %g to %g"), lo, hi)
                     : fail(r, p, false, _("expected a number from %g to %g"), lo, hi);
    /* cJSON writes a number with 15 significant digits when these read back within a rounding
     * step of it (else with 17, exactly): a number 15 digits come that near to without being it
     * would be written as another one. */
    char digits[32];
    snprintf(digits, sizeof digits, "%1.15g", v);
    double back = strtod(digits, NULL);
    if (back != v && fabs(back - v) <= (fabs(back) > fabs(v) ? fabs(back) : fabs(v)) * DBL_EPSILON)
        return fail(r, p, false, _("a digit more precise than a report is written with"));
    *dst = v;
    return true;
}

static bool num_at(reader *r, const cJSON *obj, const path *p, const char *key, double lo,
                   double hi, bool whole, double *dst)
{
    const cJSON *x = member(r, obj, p, key, false);
    path q = sub(p, key);
    return x && num_of(r, x, &q, lo, hi, whole, dst);
}

static bool long_at(reader *r, const cJSON *obj, const path *p, const char *key, long lo, long hi,
                    long *dst)
{
    double v = 0;
    if (!num_at(r, obj, p, key, (double)lo, (double)hi, true, &v))
        return false;
    *dst = (long)v;
    return true;
}

static bool int_at(reader *r, const cJSON *obj, const path *p, const char *key, int lo, int hi,
                   int *dst)
{
    long v = 0;
    if (!long_at(r, obj, p, key, lo, hi, &v))
        return false;
    *dst = (int)v;
    return true;
}

static bool size_at(reader *r, const cJSON *obj, const path *p, const char *key, size_t *dst)
{
    long v = 0;
    if (!long_at(r, obj, p, key, 0, 1L << 30, &v))
        return false;
    *dst = (size_t)v;
    return true;
}

/* Milliseconds (as written, ms = us / 1000) back into whole microseconds. */
static bool ms_of(reader *r, const cJSON *x, const path *p, int64_t *dst)
{
    double v = 0;
    /* Times are never negative; 1e10 ms (115 days) keeps every microsecond in the 15 digits
     * cJSON writes a number with. */
    if (!num_of(r, x, p, 0, 1e10, false, &v))
        return false;
    *dst = ms_llround(v * 1000.0);
    if ((double)*dst / 1000.0 != v) /* what the writer would write for it */
        return fail(r, p, false, _("finer than a microsecond"));
    return true;
}

static bool ms_at(reader *r, const cJSON *obj, const path *p, const char *key, int64_t *dst)
{
    const cJSON *x = member(r, obj, p, key, false);
    path q = sub(p, key);
    return x && ms_of(r, x, &q, dst);
}

static bool bool_at(reader *r, const cJSON *obj, const path *p, const char *key, bool optional,
                    bool *dst)
{
    const cJSON *x = member(r, obj, p, key, optional);
    path q = sub(p, key);
    if (!x)
        return optional;
    if (!cJSON_IsBool(x))
        return fail(r, &q, false, _("expected true or false"));
    *dst = cJSON_IsTrue(x);
    return true;
}

/* A score: a number from 0 to max, or null (has false). */
static bool score_at(reader *r, const cJSON *obj, const path *p, const char *key, double max,
                     bool *has, double *dst)
{
    const cJSON *x = member(r, obj, p, key, false);
    path q = sub(p, key);
    if (!x)
        return false;
    *has = !cJSON_IsNull(x);
    return !*has || num_of(r, x, &q, 0, max, false, dst);
}

/* One of the names an enum's name function gives for 0 .. n-1, into *dst. */
typedef const char *(*namer)(int);

static const char *kind_n(int v)
{
    return ms_kind_name((ms_kind)v);
}
static const char *factor_n(int v)
{
    return ms_factor_name((ms_factor)v);
}
static const char *audience_n(int v)
{
    return ms_audience_name((ms_audience)v);
}
static const char *stat_n(int v)
{
    return ms_stat_name((ms_stat)v);
}
static const char *phase_n(int v)
{
    return ms_phase_name((ms_phase)v);
}
static const char *status_n(int v)
{
    return ms_status_name((ms_check_status)v);
}
static const char *severity_n(int v)
{
    return ms_severity_name((ms_severity)v);
}
static const char *effort_n(int v)
{
    return ms_effort_name(v);
}

/* nullable: null gives -1. */
static bool name_of(reader *r, const cJSON *x, const path *p, namer fn, int lo, int hi,
                    bool nullable, int *dst)
{
    if (nullable && cJSON_IsNull(x)) {
        *dst = -1;
        return true;
    }
    if (cJSON_IsString(x))
        for (int v = lo; v <= hi; v++)
            if (strcmp(fn(v), x->valuestring) == 0) {
                *dst = v;
                return true;
            }
    return nullable ? fail(r, p, false, "%s", _("not a known name or null"))
                    : fail(r, p, false, "%s", _("not a known name"));
}

static bool name_at(reader *r, const cJSON *obj, const path *p, const char *key, namer fn, int lo,
                    int hi, int *dst)
{
    const cJSON *x = member(r, obj, p, key, false);
    path q = sub(p, key);
    return x && name_of(r, x, &q, fn, lo, hi, false, dst);
}

/* An array member, with its length; *arr NULL for an empty one. */
static bool array_at(reader *r, const cJSON *obj, const path *p, const char *key, const cJSON **arr,
                     size_t *n)
{
    const cJSON *x = member(r, obj, p, key, false);
    path q = sub(p, key);
    if (!x)
        return false;
    if (!cJSON_IsArray(x))
        return fail(r, &q, false, _("expected an array"));
    *arr = x;
    *n = (size_t)cJSON_GetArraySize(x);
    return true;
}

/* The phase names as a NULL-terminated key list. */
static const char *const *phase_keys(void)
{
    static const char *keys[MS_PH_COUNT + 1];
    for (int i = 0; i < MS_PH_COUNT; i++)
        keys[i] = ms_phase_name((ms_phase)i);
    return keys;
}

static const char *const SAMPLE_KEYS[] = {
    "ok",        "error",           "status", "http_version", "remote_ip", "remote_port",
    "redirects", "new_connections", "bytes",  "phases_ms",    NULL};
static const char *const SAMPLE_KEYS_2[] = {"body_cut", "elapsed_ms", NULL}; /* format 2 */

/* Copy a string member into a fixed field of a sample, refusing one that would not fit. */
static bool fixed_at(reader *r, const cJSON *obj, const path *p, const char *key, char *dst,
                     size_t size)
{
    char *v = NULL;
    path q = sub(p, key);
    if (!str_at(r, obj, p, key, &v))
        return false;
    bool fits = !v || strlen(v) < size, empty = v && !*v;
    if (fits)
        snprintf(dst, size, "%s", v ? v : "");
    free(v);
    if (empty) /* the writer writes none as null */
        return fail(r, &q, false, _("empty: null when there is none"));
    return fits || fail(r, &q, false, _("longer than %zu bytes"), size - 1);
}

static bool read_sample(reader *r, const cJSON *o, const path *p, ms_sample *s)
{
    bool ok = false;
    const cJSON *ph = NULL;
    keyset ks = keys_of(SAMPLE_KEYS, r->format >= 2 ? SAMPLE_KEYS_2 : NULL, NULL);
    if (!only(r, o, p, ks.k) || !bool_at(r, o, p, "ok", false, &ok) ||
        !str_at(r, o, p, "error", &s->error) || !int_at(r, o, p, "status", 0, 999, &s->status) ||
        !fixed_at(r, o, p, "http_version", s->http_version, sizeof s->http_version) ||
        !fixed_at(r, o, p, "remote_ip", s->remote_ip, sizeof s->remote_ip) ||
        !int_at(r, o, p, "remote_port", 0, 65535, &s->remote_port) ||
        !int_at(r, o, p, "redirects", 0, 1 << 30, &s->redirects) ||
        !int_at(r, o, p, "new_connections", 0, 1 << 30, &s->connects) ||
        !(ph = member(r, o, p, "phases_ms", false)))
        return false;
    s->failed = !ok;
    double bytes = 0; /* below 1e15: cJSON writes 15 significant digits */
    if (!num_at(r, o, p, "bytes", 0, 1e15, true, &bytes))
        return false;
    s->bytes = (int64_t)bytes;
    if (r->format >= 2 && (!bool_at(r, o, p, "body_cut", false, &s->body_cut) ||
                           !ms_at(r, o, p, "elapsed_ms", &s->ph[MS_PH_TOTAL])))
        return false;
    path q = sub(p, "phases_ms");
    if (cJSON_IsNull(ph)) {
        if (ok) /* a sample that counts has its timings */
            return fail(r, &q, false, _("null in a sample that is ok"));
        return true; /* broke off: no phases (format 1: no elapsed time either) */
    }
    int64_t elapsed = s->ph[MS_PH_TOTAL];
    if (!only(r, ph, &q, phase_keys()))
        return false;
    s->completed = true;
    for (int i = 0; i < MS_PH_COUNT; i++)
        if (!ms_at(r, ph, &q, ms_phase_name((ms_phase)i), &s->ph[i]))
            return false;
    path qe = sub(p, "elapsed_ms");
    if (r->format >= 2 && elapsed != s->ph[MS_PH_TOTAL])
        return fail(r, &qe, false, _("differs from phases_ms.total"));
    return true;
}

static const char *const STATS_KEYS[] = {"n", "min", "median", "p90", "p95", "max", "mean", NULL};

static bool read_stats(reader *r, const cJSON *o, const path *p, ms_stats *st)
{
    static const char *const NONE[] = {"n", NULL}; /* no sample counted: no figures */
    long n = 0;
    if (!long_at(r, o, p, "n", 0, 1L << 30, &n) || !only(r, o, p, n ? STATS_KEYS : NONE))
        return false;
    st->n = (int)n;
    if (n == 0)
        return true;
    return ms_at(r, o, p, "min", &st->min) && ms_at(r, o, p, "median", &st->median) &&
           ms_at(r, o, p, "p90", &st->p90) && ms_at(r, o, p, "p95", &st->p95) &&
           ms_at(r, o, p, "max", &st->max) && ms_at(r, o, p, "mean", &st->mean);
}

static const char *const REQUEST_KEYS[] = {"method", "url", "connection", NULL};

static bool read_http(reader *r, const cJSON *o, const path *p, ms_run_check *ck)
{
    const cJSON *req = member(r, o, p, "request", false), *stats = NULL, *arr = NULL;
    path q = sub(p, "request");
    int stat = 0;
    char *conn = NULL;
    size_t n = 0;
    if (!req || !only(r, req, &q, REQUEST_KEYS) || !str_at(r, req, &q, "method", &ck->method) ||
        !str_at(r, req, &q, "url", &ck->url) || !str_at(r, req, &q, "connection", &conn))
        return false;
    ck->warm = conn && strcmp(conn, "warm") == 0;
    bool known = conn && (ck->warm || strcmp(conn, "cold") == 0);
    free(conn);
    path qc = sub(&q, "connection");
    if (!known)
        return fail(r, &qc, false, _("expected \"warm\" or \"cold\""));
    if (!name_at(r, o, p, "stat", stat_n, 0, MS_STAT_MIN, &stat))
        return false;
    ck->stat = (ms_stat)stat;
    long tolerated = 0; /* format 3; before it, no failed sample was tolerated */
    if (r->format >= 3 && !long_at(r, o, p, "max_failed_samples", 0, 1000, &tolerated))
        return false;
    ck->max_failed_samples = (int)tolerated;
    if (!(stats = member(r, o, p, "stats_ms", false)))
        return false;
    path qs = sub(p, "stats_ms");
    if (!only(r, stats, &qs, phase_keys()))
        return false;
    if (!ck->st && !(ck->st = calloc(MS_PH_COUNT, sizeof *ck->st)))
        return nomem(r);
    for (int i = 0; i < MS_PH_COUNT; i++) {
        const cJSON *x = member(r, stats, &qs, ms_phase_name((ms_phase)i), false);
        path qp = sub(&qs, ms_phase_name((ms_phase)i));
        if (!x || !read_stats(r, x, &qp, &ck->st[i]))
            return false;
    }
    if (!array_at(r, o, p, "samples", &arr, &n))
        return false;
    if (n && !(ck->samples = calloc(n, sizeof *ck->samples)))
        return nomem(r);
    path qa = sub(p, "samples");
    size_t i = 0;
    for (const cJSON *x = arr->child; x; x = x->next, i++) {
        path qi = idx(&qa, i);
        ck->nsamples = (int)i + 1;
        if (!read_sample(r, x, &qi, &ck->samples[i]))
            return false;
    }
    return true;
}

/* An answer's fields: a value of its kind's, or "na": true; a note and a time either way. */
static const char *const ANSWER_NA_KEYS[] = {"na", "note", "at", NULL};
static const char *const ANSWER_STOPWATCH_KEYS[] = {"elapsed_ms", "note", "at", NULL};
static const char *const ANSWER_VALUE_KEYS[] = {"value", "note", "at", NULL};
static const char *const ANSWER_KEYS_3[] = {"stale", NULL}; /* format 3 */

static bool read_answer(reader *r, const cJSON *o, const path *p, ms_run_check *ck)
{
    const cJSON *a = member(r, o, p, "answer", false);
    path q = sub(p, "answer");
    ms_answer *ans = &ck->answer;
    if (!a)
        return false;
    if (ck->kind == MS_KIND_RATING) {
        const cJSON *scale = member(r, o, p, "scale", r->format < 2);
        path qs = sub(p, "scale");
        if (scale && (cJSON_GetArraySize(scale) != 2 || !cJSON_IsArray(scale)))
            return fail(r, &qs, false, _("expected [low, high]"));
        if (scale && (!num_of(r, scale->child, &qs, -1e9, 1e9, false, &ck->scale_lo) ||
                      !num_of(r, scale->child->next, &qs, -1e9, 1e9, false, &ck->scale_hi) ||
                      !num_at(r, o, p, "pass", -1e9, 1e9, false, &ck->pass)))
            return false;
    } else if (ck->kind == MS_KIND_YESNO) {
        const cJSON *good = member(r, o, p, "good", r->format < 2);
        path qg = sub(p, "good");
        bool yes = good && cJSON_IsString(good) && strcmp(good->valuestring, "yes") == 0;
        if (good && !yes && !(cJSON_IsString(good) && strcmp(good->valuestring, "no") == 0))
            return fail(r, &qg, false, _("expected \"yes\" or \"no\""));
        ck->good_yes = good ? yes : true;
    }
    if (cJSON_IsNull(a)) {
        ans->state = MS_ANS_NONE;
        return true;
    }
    bool na = cJSON_GetObjectItemCaseSensitive(a, "na") != NULL;
    const char *const *keys = na                              ? ANSWER_NA_KEYS
                              : ck->kind == MS_KIND_STOPWATCH ? ANSWER_STOPWATCH_KEYS
                                                              : ANSWER_VALUE_KEYS;
    path qn = sub(&q, "na");
    if (!only(r, a, &q, keys_of(keys, r->format >= 3 ? ANSWER_KEYS_3 : NULL, NULL).k) ||
        !str_at_opt(r, a, &q, "note", &ans->note) || !str_at_opt(r, a, &q, "at", &ans->at) ||
        (na && !bool_at(r, a, &q, "na", false, &na)) ||
        (r->format >= 3 && !bool_at(r, a, &q, "stale", false, &ans->stale)))
        return false;
    if (cJSON_GetObjectItemCaseSensitive(a, "na") && !na)
        return fail(r, &qn, false, _("is true when given"));
    if (na) {
        ans->state = MS_ANS_NA;
        return true;
    }
    ans->state = MS_ANS_VALUE;
    if (ck->kind == MS_KIND_STOPWATCH)
        return ms_at(r, a, &q, "elapsed_ms", &ans->elapsed_us);
    if (ck->kind == MS_KIND_RATING)
        return num_at(r, a, &q, "value", -1e9, 1e9, false, &ans->value);
    const cJSON *v = member(r, a, &q, "value", false);
    path qv = sub(&q, "value");
    if (!v)
        return false;
    ans->yes = cJSON_IsString(v) && strcmp(v->valuestring, "yes") == 0;
    if (!ans->yes && !(cJSON_IsString(v) && strcmp(v->valuestring, "no") == 0))
        return fail(r, &qv, false, _("expected \"yes\" or \"no\""));
    return true;
}

static const char *const CHECK_KEYS[] = {
    "id",       "kind",   "title",    "description", "tags",  "factor",
    "audience", "weight", "critical", "effort",      "owner", "fix",
    "status",   "score",  "evidence", "budget_ms",   NULL};
static const char *const CHECK_KEYS_2[] = {"file", "line", "judged_phase", "body_cut_held", NULL};
static const char *const HTTP_KEYS[] = {"request", "stat", "stats_ms", "samples", NULL};
static const char *const HTTP_KEYS_3[] = {
    "request", "stat", "stats_ms", "samples", "max_failed_samples", NULL}; /* format 3 */
static const char *const STOPWATCH_KEYS[] = {"answer", NULL};
static const char *const RATING_KEYS[] = {"answer", "scale", "pass", NULL};
static const char *const YESNO_KEYS[] = {"answer", "good", NULL};

static bool read_budget(reader *r, const cJSON *o, const path *p, ms_run_check *ck)
{
    const cJSON *b = member(r, o, p, "budget_ms", false);
    path q = sub(p, "budget_ms");
    int64_t budget[MS_PH_COUNT];
    ck->budget_us = ms_no_budgets;
    for (int i = 0; i < MS_PH_COUNT; i++)
        budget[i] = -1;
    if (!b || !only(r, b, &q, phase_keys()))
        return false;
    for (int i = 0; i < MS_PH_COUNT; i++) {
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(b, ms_phase_name((ms_phase)i));
        path qp = sub(&q, ms_phase_name((ms_phase)i));
        if (x && !ms_of(r, x, &qp, &budget[i]))
            return false;
        if (x && budget[i] <= 0) /* a budget is positive; none is no key */
            return fail(r, &qp, false, _("expected a budget above 0"));
    }
    if (!(ck->budget_us = ms_budgets_intern(r->budgets, budget))) {
        ck->budget_us = ms_no_budgets;
        return nomem(r);
    }
    return true;
}

/* An array of strings at key into a new *dst, *n counting the strings it holds. */
static bool strs_at(reader *r, const cJSON *obj, const path *p, const char *key, char ***dst,
                    size_t *n)
{
    const cJSON *arr = NULL;
    size_t len = 0, i = 0;
    path q = sub(p, key);
    if (!array_at(r, obj, p, key, &arr, &len))
        return false;
    if (len && !(*dst = calloc(len, sizeof **dst)))
        return nomem(r);
    for (const cJSON *x = arr->child; x; x = x->next, i++) {
        path qi = idx(&q, i);
        if (!cJSON_IsString(x))
            return fail(r, &qi, false, _("expected a string"));
        *n = i + 1;
        if (ms_run_set(&(*dst)[i], x->valuestring) != MS_OK)
            return nomem(r);
    }
    return true;
}

static bool read_tags(reader *r, const cJSON *o, const path *p, ms_run_check *ck)
{
    return strs_at(r, o, p, "tags", &ck->tags, &ck->ntags);
}

/* The fields of format 2 that a format-1 report lacks. */
static bool read_v2_check(reader *r, const cJSON *o, const path *p, ms_run_check *ck)
{
    const cJSON *line = NULL, *judged = NULL;
    path ql = sub(p, "line"), qj = sub(p, "judged_phase");
    double v = 0;
    if (r->format < 2)
        return true;
    if (!str_at(r, o, p, "file", &ck->file) || !(line = member(r, o, p, "line", false)) ||
        !(judged = member(r, o, p, "judged_phase", false)) ||
        !bool_at(r, o, p, "body_cut_held", false, &ck->body_cut_held))
        return false;
    if (!cJSON_IsNull(line)) {
        if (!num_of(r, line, &ql, 1, 1e9, true, &v))
            return false;
        ck->line = (int)v;
    }
    int phase = -1;
    if (!name_of(r, judged, &qj, phase_n, 0, MS_PH_COUNT - 1, true, &phase))
        return false;
    ck->judged_phase = (int8_t)phase;
    return true;
}

static bool read_check(reader *r, const cJSON *o, const path *p, ms_run_check *ck)
{
    int kind = 0, factor = 0, audience = 0, effort = 0, status = 0;
    ck->judged_phase = ck->worst_phase = -1;
    if (!name_at(r, o, p, "kind", kind_n, 0, MS_KIND_YESNO, &kind))
        return false;
    const char *const *kind_keys = kind == MS_KIND_HTTP ? r->format >= 3 ? HTTP_KEYS_3 : HTTP_KEYS
                                   : kind == MS_KIND_STOPWATCH ? STOPWATCH_KEYS
                                   : kind == MS_KIND_RATING    ? RATING_KEYS
                                                               : YESNO_KEYS;
    keyset ks = keys_of(CHECK_KEYS, r->format >= 2 ? CHECK_KEYS_2 : NULL, kind_keys);
    if (!only(r, o, p, ks.k) || !str_at(r, o, p, "id", &ck->id) ||
        !str_at(r, o, p, "title", &ck->title) ||
        !str_at(r, o, p, "description", &ck->description) || !read_tags(r, o, p, ck) ||
        !name_at(r, o, p, "factor", factor_n, 0, MS_FACTOR_COUNT - 1, &factor) ||
        !name_at(r, o, p, "audience", audience_n, 0, MS_AUD_COUNT - 1, &audience) ||
        !num_at(r, o, p, "weight", 0, 1e9, false, &ck->weight) ||
        !bool_at(r, o, p, "critical", false, &ck->critical) ||
        !name_at(r, o, p, "effort", effort_n, 1, 4, &effort) ||
        !str_at(r, o, p, "owner", &ck->owner) || !str_at(r, o, p, "fix", &ck->fix) ||
        !read_v2_check(r, o, p, ck) ||
        !name_at(r, o, p, "status", status_n, 0, MS_ST_NOT_RUN, &status) ||
        !score_at(r, o, p, "score", 1, &ck->has_score, &ck->score) ||
        !str_at(r, o, p, "evidence", &ck->evidence) || !read_budget(r, o, p, ck))
        return false;
    if (ck->title && ck->id && strcmp(ck->title, ck->id) == 0) { /* one string, as in a run */
        free(ck->title);
        ck->title = ck->id;
    }
    ck->kind = (ms_kind)kind;
    ck->factor = (ms_factor)factor;
    ck->audience = (ms_audience)audience;
    ck->effort = effort;
    ck->status = (ms_check_status)status;
    path qj = sub(p, "judged_phase");
    if (ck->judged_phase >= 0 && ck->budget_us[ck->judged_phase] <= 0)
        return fail(r, &qj, false, _("names a phase without a budget"));
    if (ck->kind != MS_KIND_HTTP)
        return read_answer(r, o, p, ck);
    if (!read_http(r, o, p, ck))
        return false;
    if (r->format < 2) {
        /* Format 1 did not say which phase was judged, nor whether a body_not_contains held on
         * a cut body: the statistics and budgets decide the one as scoring did, the evidence
         * says the other. */
        double ratio = 0;
        size_t el = ck->evidence ? strlen(ck->evidence) : 0, nl = strlen(MS_BODY_CUT_NOTE);
        ck->judged_phase = ms_judged_phase(ck, &ratio);
        ck->body_cut_held = el >= nl && strcmp(ck->evidence + el - nl, MS_BODY_CUT_NOTE) == 0;
    }
    return true;
}

static const char *const SECTION_KEYS[] = {"id", "title", "score", "coverage", "checks", NULL};
static const char *const COVERAGE_KEYS[] = {"answered", "applicable", NULL};

/* A growable array of the run's checks, filled section by section. */
static bool grow_checks(reader *r, ms_run *run, size_t more, size_t *cap)
{
    if (run->nchecks + more <= *cap)
        return true;
    size_t want = (run->nchecks + more) * 2;
    ms_run_check **g = realloc(run->checks, want * sizeof *g);
    if (!g)
        return nomem(r);
    memset(g + *cap, 0, (want - *cap) * sizeof *g);
    run->checks = g;
    *cap = want;
    return true;
}

static bool read_section(reader *r, const cJSON *o, const path *p, ms_run *run, ms_run_section *sec,
                         size_t *cap)
{
    const cJSON *cov = NULL, *arr = NULL;
    path qc = sub(p, "coverage"), qk = sub(p, "checks");
    size_t n = 0, i = 0;
    if (!only(r, o, p, SECTION_KEYS) || !str_at(r, o, p, "id", &sec->id) ||
        !str_at(r, o, p, "title", &sec->title) ||
        !score_at(r, o, p, "score", 100, &sec->has_score, &sec->score) ||
        !(cov = member(r, o, p, "coverage", false)) || !only(r, cov, &qc, COVERAGE_KEYS) ||
        !size_at(r, cov, &qc, "answered", &sec->answered) ||
        !size_at(r, cov, &qc, "applicable", &sec->applicable) ||
        !array_at(r, o, p, "checks", &arr, &n) || !grow_checks(r, run, n, cap))
        return false;
    sec->first = run->nchecks;
    for (const cJSON *x = arr->child; x; x = x->next, i++) {
        path qi = idx(&qk, i);
        ms_run_check *ck = run->checks[run->nchecks] = calloc(1, sizeof *ck);
        if (!ck)
            return nomem(r);
        ck->budget_us = ms_no_budgets;
        run->nchecks++;
        sec->n++;
        if (!read_check(r, x, &qi, ck))
            return false;
    }
    return true;
}

static const char *const LIST_KEYS[] = {"id", "title", "path", "sections", NULL};

static bool read_lists(reader *r, const cJSON *root, ms_run *run)
{
    const cJSON *arr = NULL;
    path top = {""}, q = sub(&top, "checklists");
    size_t n = 0, i = 0, cap = 0;
    if (!array_at(r, root, &top, "checklists", &arr, &n))
        return false;
    if (n && !(run->lists = calloc(n, sizeof *run->lists)))
        return nomem(r);
    for (const cJSON *x = arr->child; x; x = x->next, i++) {
        path qi = idx(&q, i), qs = sub(&qi, "sections");
        ms_run_list *cl = &run->lists[run->nlists++];
        const cJSON *secs = NULL;
        size_t ns = 0, k = 0;
        if (!only(r, x, &qi, LIST_KEYS) || !str_at(r, x, &qi, "id", &cl->id) ||
            !str_at(r, x, &qi, "title", &cl->title) || !str_at(r, x, &qi, "path", &cl->path) ||
            !array_at(r, x, &qi, "sections", &secs, &ns))
            return false;
        if (ns && !(cl->sections = calloc(ns, sizeof *cl->sections)))
            return nomem(r);
        for (const cJSON *y = secs->child; y; y = y->next, k++) {
            path qk = idx(&qs, k);
            if (!read_section(r, y, &qk, run, &cl->sections[cl->nsections++], &cap))
                return false;
        }
    }
    return true;
}

static const char *const SCORES_KEYS[] = {"overall", "factor", "audience", "checks", NULL};
static const char *const COUNTS_KEYS[] = {
    "passed", "failed", "critical_failed", "na", "unanswered", "not_run", NULL};

static bool read_scores(reader *r, const cJSON *root, ms_scores *sc)
{
    path top = {""}, q = sub(&top, "scores"), qf = sub(&q, "factor"), qa = sub(&q, "audience"),
         qc = sub(&q, "checks");
    const cJSON *o = member(r, root, &top, "scores", false), *f = NULL, *a = NULL, *c = NULL;
    const char *fkeys[MS_FACTOR_COUNT + 1] = {0}, *akeys[MS_AUD_COUNT + 1] = {0};
    for (int i = 0; i < MS_FACTOR_COUNT; i++)
        fkeys[i] = ms_factor_name((ms_factor)i);
    for (int i = 0; i < MS_AUD_COUNT; i++)
        akeys[i] = ms_audience_name((ms_audience)i);
    if (!o || !only(r, o, &q, SCORES_KEYS) ||
        !score_at(r, o, &q, "overall", 100, &sc->has_overall, &sc->overall) ||
        !(f = member(r, o, &q, "factor", false)) || !only(r, f, &qf, fkeys) ||
        !(a = member(r, o, &q, "audience", false)) || !only(r, a, &qa, akeys) ||
        !(c = member(r, o, &q, "checks", false)) || !only(r, c, &qc, COUNTS_KEYS) ||
        !size_at(r, c, &qc, "passed", &sc->passed) || !size_at(r, c, &qc, "failed", &sc->failed) ||
        !size_at(r, c, &qc, "critical_failed", &sc->critical_failed) ||
        !size_at(r, c, &qc, "na", &sc->na) || !size_at(r, c, &qc, "unanswered", &sc->unanswered) ||
        !size_at(r, c, &qc, "not_run", &sc->not_run))
        return false;
    for (int i = 0; i < MS_FACTOR_COUNT; i++)
        if (!score_at(r, f, &qf, fkeys[i], 100, &sc->has_factor[i], &sc->factor[i]))
            return false;
    for (int i = 0; i < MS_AUD_COUNT; i++)
        if (!score_at(r, a, &qa, akeys[i], 100, &sc->has_audience[i], &sc->audience[i]))
            return false;
    return true;
}

static const char *const FIX_KEYS[] = {"rank",   "check",    "severity", "impact", "title",
                                       "factor", "audience", "owner",    "effort", "evidence",
                                       "fix",    "hint",     NULL};
static const char *const FIX_KEYS_3[] = {"checks", "host", "error", NULL}; /* format 3 */

/* The check named by the string x at p, into *dst: by id, which is unique in a run. */
static bool check_named(reader *r, const ms_run *run, const cJSON *x, const path *p, size_t *dst)
{
    for (size_t i = 0; cJSON_IsString(x) && i < run->nchecks; i++)
        if (run->checks[i]->id && strcmp(run->checks[i]->id, x->valuestring) == 0) {
            *dst = i;
            return true;
        }
    return fail(r, p, false, _("names no check of the report"));
}

/* What a fix shows, into f: its own strings and enums. */
static bool fix_fields(reader *r, const cJSON *o, const path *p, ms_run_fix *f)
{
    int factor = 0, audience = 0, effort = 0;
    if (!str_at(r, o, p, "title", &f->title) || !str_at(r, o, p, "owner", &f->owner) ||
        !str_at(r, o, p, "evidence", &f->evidence) || !str_at(r, o, p, "fix", &f->fix) ||
        !name_at(r, o, p, "factor", factor_n, 0, MS_FACTOR_COUNT - 1, &factor) ||
        !name_at(r, o, p, "audience", audience_n, 0, MS_AUD_COUNT - 1, &audience) ||
        !name_at(r, o, p, "effort", effort_n, 1, 4, &effort) || !str_at(r, o, p, "hint", &f->hint))
        return false;
    f->factor = (ms_factor)factor;
    f->audience = (ms_audience)audience;
    f->effort = effort;
    return true;
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* What a check's fix repeats of its check must be what the check says: writing it again would
 * not. */
/* A fix's evidence: its check's, or with a baseline (ms_score_regressions) the regression's
 * alone (a check that passed) or after the check's and "; " (one that failed too). */
static bool evidence_agrees(const reader *r, const char *fix, const char *check)
{
    static const char said[] = "got slower since ";
    size_t n = check ? strlen(check) : 0;
    if (same_str(fix, check))
        return true;
    if (!r->baseline || !fix)
        return false;
    if (strncmp(fix, said, sizeof said - 1) == 0)
        return true;
    return check && strncmp(fix, check, n) == 0 && strncmp(fix + n, "; ", 2) == 0 &&
           strncmp(fix + n + 2, said, sizeof said - 1) == 0;
}

static bool fix_agrees(reader *r, const ms_run_check *ck, const ms_run_fix *f, const path *p)
{
    bool ok = same_str(f->title, ck->title) && same_str(f->owner, ck->owner) &&
              evidence_agrees(r, f->evidence, ck->evidence) && same_str(f->fix, ck->fix) &&
              ck->factor == f->factor && ck->audience == f->audience && ck->effort == f->effort;
    return ok || fail(r, p, false, _("differs from its check"));
}

/* Format 3: a fix's checks, and for a host fix (check null) its host and error; a check's fix
 * lists its one check and has neither. Before format 3 every fix was a check's. */
static bool fix_checks(reader *r, const ms_run *run, const cJSON *o, const path *p, bool host,
                       ms_run_fix *f)
{
    const cJSON *arr = NULL;
    size_t n = 0, i = 0;
    path q = sub(p, "checks");
    if (r->format < 3) {
        if (!(f->checks = calloc(1, sizeof *f->checks)))
            return nomem(r);
        f->checks[f->nchecks++] = f->check;
        return true;
    }
    if (!array_at(r, o, p, "checks", &arr, &n) || !str_at(r, o, p, "host", &f->host) ||
        !str_at(r, o, p, "error", &f->error))
        return false;
    if (host ? n < 2 : n != 1)
        return fail(r, &q, false, "%s",
                    host ? _("a host fix names two checks or more")
                         : _("a check's fix names its check alone"));
    /* the first of the two that is wrong */
    path qh = sub(p, (host ? !f->host : f->host != NULL) ? "host" : "error");
    if (host ? !f->host || !f->error : f->host || f->error)
        return fail(r, &qh, false, "%s",
                    host ? _("a host fix (check null) has a host and an error")
                         : _("null but in a host fix (check null)"));
    if (!(f->checks = calloc(n, sizeof *f->checks)))
        return nomem(r);
    for (const cJSON *x = arr->child; x; x = x->next, i++) {
        path qi = idx(&q, i);
        size_t k = 0;
        if (!check_named(r, run, x, &qi, &k))
            return false;
        if (!host && k != f->check)
            return fail(r, &qi, false, _("is not the fix's check"));
        f->checks[f->nchecks++] = k;
    }
    f->check = f->checks[0];
    return true;
}

/* One fix list: "fixes" (better false) or "could_be_better". Before format 3 "fixes" held both:
 * an entry of a check that passed goes to the "could be better" list then. */
static bool read_fix_list(reader *r, const cJSON *root, ms_run *run, bool better)
{
    const cJSON *arr = NULL;
    const char *name = better ? "could_be_better" : "fixes";
    path top = {""}, q = sub(&top, name);
    size_t n = 0, i = 0;
    if (!array_at(r, root, &top, name, &arr, &n))
        return false;
    if (n && !(run->fixes = calloc(n, sizeof *run->fixes)))
        return nomem(r);
    if (n && !(run->better = calloc(n, sizeof *run->better)))
        return nomem(r);
    for (const cJSON *x = arr->child; x; x = x->next, i++) {
        path qi = idx(&q, i), qc = sub(&qi, "check"), qs = sub(&qi, "severity");
        ms_run_fix f = {0};
        double rank = 0;
        int sev = 0;
        const cJSON *id = NULL;
        bool ok =
            only(r, x, &qi, keys_of(FIX_KEYS, r->format >= 3 ? FIX_KEYS_3 : NULL, NULL).k) &&
            num_at(r, x, &qi, "rank", (double)(i + 1), (double)(i + 1), true, &rank) &&
            (id = member(r, x, &qi, "check", false)) &&
            (cJSON_IsNull(id) && r->format >= 3 ? true : check_named(r, run, id, &qc, &f.check)) &&
            name_at(r, x, &qi, "severity", severity_n, 0,
                    r->format >= 3 ? MS_SEV_NONE : MS_SEV_MINOR, &sev) &&
            num_at(r, x, &qi, "impact", 0, 100, false, &f.impact) && fix_fields(r, x, &qi, &f) &&
            fix_checks(r, run, x, &qi, cJSON_IsNull(id), &f);
        f.severity = (ms_severity)sev;
        /* with a baseline, a check that passed but got slower has its entry in fixes */
        bool slower = ok && r->baseline && !better && f.evidence &&
                      strncmp(f.evidence, "got slower since ", 17) == 0;
        bool passed = ok && run->checks[f.check]->status != MS_ST_FAIL && !slower;
        if (ok && !cJSON_IsNull(id))
            ok = fix_agrees(r, run->checks[f.check], &f, &qi);
        if (ok && r->format >= 3 && passed != better)
            ok = fail(r, &qc, false, "%s",
                      better ? _("names a check that failed: its entry is in fixes")
                             : _("names a check that passed: its entry is in could_be_better"));
        if (ok && r->format >= 3 && (f.severity == MS_SEV_NONE) != better)
            ok = fail(r, &qs, false, "%s",
                      f.severity == MS_SEV_NONE ? _("\"none\" is for a check that passed")
                                                : _("expected \"none\" for a check that passed"));
        if (ok && r->format < 3 && passed) /* written before format 3 as a fix */
            f.severity = MS_SEV_NONE;
        if (!ok) {
            ms_run_fix_cleanup(&f);
            return false;
        }
        if (passed)
            run->better[run->nbetter++] = f;
        else
            run->fixes[run->nfixes++] = f;
    }
    return true;
}

static bool read_fixes(reader *r, const cJSON *root, ms_run *run)
{
    ms_run_fix *fixes = NULL, *better = NULL;
    size_t nfixes = 0, nbetter = 0;
    bool ok = read_fix_list(r, root, run, false);
    if (ok && r->format >= 3) {
        /* the lists of "fixes", kept aside while "could_be_better" is read */
        fixes = run->fixes;
        nfixes = run->nfixes;
        free(run->better);
        run->fixes = run->better = NULL;
        run->nfixes = run->nbetter = 0;
        ok = read_fix_list(r, root, run, true);
        better = run->better;
        nbetter = run->nbetter;
        free(run->fixes);
        run->fixes = fixes;
        run->nfixes = nfixes;
        run->better = better;
        run->nbetter = nbetter;
    }
    return ok;
}

static const char *const TOP_KEYS[] = {"format", "tool",       "run",   "verdict",
                                       "scores", "checklists", "fixes", NULL};
static const char *const TOP_KEYS_3[] = {"could_be_better", "baseline", NULL}; /* format 3 */
static const char *const BASELINE_KEYS[] = {"ref", "started_at", "label", "comparison", NULL};
static const char *const TOOL_KEYS[] = {"name", "version", "libcurl", NULL};
static const char *const RUN_KEYS[] = {"started_at", "finished_at",  "duration_ms", "auditor",
                                       "label",      "answers_file", "visited_at",  "interrupted",
                                       "insecure",   "parallel",     "per_host",    "samples",
                                       NULL};
static const char *const VERDICT_KEYS[] = {"passed", "reason", "incomplete", "exit_code", NULL};
static const char *const VERDICT_KEYS_3[] = {"reasons", "fail_on", "fail_under", "require_complete",
                                             NULL}; /* format 3 */
static const char *const REASON_KEYS[] = {"kind", "text", NULL};

static const char *reason_n(int v)
{
    return ms_reason_kind_name((ms_reason_kind)v);
}
static const char *fail_on_n(int v)
{
    return ms_fail_on_name((ms_fail_on)v);
}

/* Format 3's reasons and gate options. A format-1 or -2 report did not say them: its reasons are
 * those its fields give (its gate's one reason, of kind "gate"; incomplete; interrupted), and its
 * options are --fail-on any, no --fail-under, --require-complete only when it is incomplete. */
static bool read_reasons(reader *r, const cJSON *v, const path *qv, ms_run *run)
{
    ms_verdict *vd = &run->verdict;
    const cJSON *arr = NULL, *fu = NULL;
    size_t n = 0, i = 0;
    int fo = 0;
    path q = sub(qv, "reasons");
    if (r->format < 3) {
        vd->require_complete = vd->incomplete;
        if (vd->reason && ms_run_add_reason(run, MS_REASON_GATE, vd->reason) != MS_OK)
            return nomem(r);
        if (vd->incomplete &&
            ms_run_add_reason(run, MS_REASON_INCOMPLETE,
                              "manual checks unanswered (--require-complete)") != MS_OK)
            return nomem(r);
        if (run->interrupted &&
            ms_run_add_reason(run, MS_REASON_INTERRUPTED, "interrupted") != MS_OK)
            return nomem(r);
        return true;
    }
    if (!array_at(r, v, qv, "reasons", &arr, &n) ||
        !name_at(r, v, qv, "fail_on", fail_on_n, 0, MS_FAIL_ON_NONE, &fo) ||
        !(fu = member(r, v, qv, "fail_under", false)) ||
        !bool_at(r, v, qv, "require_complete", false, &vd->require_complete))
        return false;
    vd->fail_on = (ms_fail_on)fo;
    vd->has_fail_under = !cJSON_IsNull(fu);
    path qf = sub(qv, "fail_under");
    if (vd->has_fail_under && !num_of(r, fu, &qf, 0, 100, false, &vd->fail_under))
        return false;
    for (const cJSON *x = arr->child; x; x = x->next, i++) {
        path qi = idx(&q, i);
        int kind = 0;
        char *text = NULL;
        bool good = only(r, x, &qi, REASON_KEYS) &&
                    name_at(r, x, &qi, "kind", reason_n, 0, MS_REASON_COUNT - 1, &kind) &&
                    str_at(r, x, &qi, "text", &text);
        if (good && !text)
            good = fail(r, &qi, false, _("a reason without its text"));
        if (good && ms_run_add_reason(run, (ms_reason_kind)kind, text) != MS_OK)
            good = nomem(r);
        free(text);
        if (!good)
            return false;
    }
    return true;
}

static const char *const RUN_KEYS_NET[] = {"network", NULL}; /* format 3 */
static const char *const NET_KEYS[] = {"proxies",    "http_version", "resolve",
                                       "connect_to", "client_cert",  NULL};
static const char *const PROXY_KEYS[] = {"url", "from", "checks", NULL};

/* The verdict says one thing: the gate's reason is its gate reasons' texts joined, it passed when
 * there are none (and it was not interrupted), it is incomplete and interrupted when it says so,
 * and its exit code is the one the run ends with. */
static bool verdict_agrees(reader *r, const path *qv, const ms_run *run)
{
    const ms_verdict *v = &run->verdict;
    ms_buf gate;
    bool ok = true, interrupted = ms_verdict_has(v, MS_REASON_INTERRUPTED);
    ms_buf_init(&gate, 0);
    for (size_t i = 0; i < v->nreasons; i++)
        if (v->reasons[i].kind <= MS_REASON_REGRESSION || v->reasons[i].kind == MS_REASON_GATE)
            ms_buf_printf(&gate, "%s%s", gate.len ? "; " : "", v->reasons[i].text);
    if (gate.failed)
        ok = nomem(r);
    path qs = sub(qv, "reason"), qr = sub(qv, "reasons"), qc = sub(qv, "exit_code");
    if (ok && !(v->reason ? strcmp(v->reason, ms_buf_str(&gate)) == 0 : gate.len == 0))
        ok = fail(r, &qs, false, _("is not the texts of the gate's reasons"));
    if (ok && v->passed != (!gate.len && !run->interrupted))
        ok = fail(r, &qs, false, "%s",
                  v->passed ? _("given for a verdict that passed")
                            : _("missing for a verdict that failed"));
    if (ok && (interrupted != run->interrupted ||
               ms_verdict_has(v, MS_REASON_INCOMPLETE) != v->incomplete))
        ok = fail(r, &qr, false, _("disagree with run.interrupted or verdict.incomplete"));
    if (ok && v->exit_code != ms_status_exit_code(ms_run_status(run)))
        ok = fail(r, &qc, false, _("is not the exit code of this verdict (%d)"),
                  ms_status_exit_code(ms_run_status(run)));
    ms_buf_cleanup(&gate);
    return ok;
}

/* A string at key that is never null. */
static bool text_at(reader *r, const cJSON *obj, const path *p, const char *key, char **dst)
{
    path q = sub(p, key);
    if (!str_at(r, obj, p, key, dst))
        return false;
    return *dst || fail(r, &q, false, _("expected a string"));
}

/* run.network (format 3): the proxies used and the network options. */
static bool read_net(reader *r, const cJSON *run, const path *p, ms_run_net *net)
{
    const cJSON *o = NULL, *arr = NULL;
    path q = sub(p, "network"), qp = sub(&q, "proxies"), qh = sub(&q, "http_version");
    size_t n = 0, i = 0;
    if (r->format < 3)
        return true;
    if (!(o = member(r, run, p, "network", false)) || !only(r, o, &q, NET_KEYS) ||
        !array_at(r, o, &q, "proxies", &arr, &n))
        return false;
    if (n && !(net->proxies = calloc(n, sizeof *net->proxies)))
        return nomem(r);
    for (const cJSON *x = arr->child; x; x = x->next, i++) {
        path qi = idx(&qp, i);
        ms_run_proxy *px = &net->proxies[net->nproxies++];
        if (!only(r, x, &qi, PROXY_KEYS) || !text_at(r, x, &qi, "url", &px->url) ||
            !text_at(r, x, &qi, "from", &px->from) ||
            !strs_at(r, x, &qi, "checks", &px->checks, &px->nchecks))
            return false;
    }
    if (!str_at(r, o, &q, "http_version", &net->http_version) ||
        !strs_at(r, o, &q, "resolve", &net->resolve, &net->nresolve) ||
        !strs_at(r, o, &q, "connect_to", &net->connect_to, &net->nconnect_to) ||
        !str_at(r, o, &q, "client_cert", &net->client_cert))
        return false;
    const char *v = net->http_version;
    if (v && strcmp(v, "1.1") != 0 && strcmp(v, "2") != 0 && strcmp(v, "3") != 0)
        return fail(r, &qh, false, _("expected \"1.1\", \"2\", \"3\" or null"));
    return true;
}

static bool read_head(reader *r, const cJSON *root, ms_run *run)
{
    path top = {""}, qt = sub(&top, "tool"), qr = sub(&top, "run"), qv = sub(&top, "verdict");
    const cJSON *tool = member(r, root, &top, "tool", false), *o = NULL, *v = NULL, *name = NULL;
    long code = 0, samples = 0;
    keyset vk = keys_of(VERDICT_KEYS, r->format >= 3 ? VERDICT_KEYS_3 : NULL, NULL);
    keyset run_keys = keys_of(RUN_KEYS, r->format >= 3 ? RUN_KEYS_NET : NULL, NULL);
    if (!tool || !only(r, tool, &qt, TOOL_KEYS) || !(name = member(r, tool, &qt, "name", false)))
        return false;
    if (!cJSON_IsString(name) || strcmp(name->valuestring, "mystery-shopper") != 0) {
        path qn = sub(&qt, "name");
        return fail(r, &qn, false, _("not a mystery-shopper report"));
    }
    if (!str_at(r, tool, &qt, "version", &run->tool_version) ||
        !str_at(r, tool, &qt, "libcurl", &run->libcurl) ||
        !(o = member(r, root, &top, "run", false)) || !only(r, o, &qr, run_keys.k) ||
        !str_at(r, o, &qr, "started_at", &run->started_at) ||
        !str_at(r, o, &qr, "finished_at", &run->finished_at) ||
        !ms_at(r, o, &qr, "duration_ms", &run->duration_us) ||
        !str_at(r, o, &qr, "auditor", &run->auditor) || !str_at(r, o, &qr, "label", &run->label) ||
        !str_at(r, o, &qr, "answers_file", &run->answers_path) ||
        !str_at(r, o, &qr, "visited_at", &run->visited_at) ||
        !bool_at(r, o, &qr, "interrupted", false, &run->interrupted) ||
        !bool_at(r, o, &qr, "insecure", false, &run->insecure) ||
        !long_at(r, o, &qr, "parallel", 0, 1L << 30, &run->parallel) ||
        !long_at(r, o, &qr, "per_host", 0, 1L << 30, &run->per_host) ||
        (cJSON_GetObjectItemCaseSensitive(o, "samples") &&
         !long_at(r, o, &qr, "samples", 1, 1L << 30, &samples)) ||
        !(v = member(r, root, &top, "verdict", false)) || !only(r, v, &qv, vk.k) ||
        !bool_at(r, v, &qv, "passed", false, &run->verdict.passed) ||
        !str_at(r, v, &qv, "reason", &run->verdict.reason) ||
        !bool_at(r, v, &qv, "incomplete", false, &run->verdict.incomplete) ||
        !long_at(r, v, &qv, "exit_code", 0, 255, &code))
        return false;
    if (!read_net(r, o, &qr, &run->net))
        return false;
    run->samples = (int)samples;
    if (!read_reasons(r, v, &qv, run))
        return false;
    run->verdict.exit_code = (int)code; /* as written, not as the reasons make it */
    return verdict_agrees(r, &qv, run);
}

/* "baseline" (format 3, run --baseline; optional): the run compared with, and the comparison
 * (ms_comparison_from_json, as strict). A regression reason needs one that found a regression. */
static bool read_baseline(reader *r, const cJSON *root, ms_run *run)
{
    path top = {""}, q = sub(&top, "baseline"), qc = sub(&q, "comparison"),
         qv = sub(&top, "verdict");
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(root, "baseline"), *c = NULL;
    char why[512] = "";
    bool reason = ms_verdict_has(&run->verdict, MS_REASON_REGRESSION);
    if (!o) {
        if (reason)
            return fail(r, &qv, false, _("a regression reason without a baseline"));
        return true;
    }
    if (!only(r, o, &q, BASELINE_KEYS))
        return false;
    if (!(run->baseline = calloc(1, sizeof *run->baseline)))
        return nomem(r);
    ms_run_baseline *b = run->baseline;
    if (!text_at(r, o, &q, "ref", &b->ref) || !str_at(r, o, &q, "started_at", &b->started_at) ||
        !str_at(r, o, &q, "label", &b->label) || !(c = member(r, o, &q, "comparison", false)))
        return false;
    ms_status rc = ms_comparison_from_json(c, qc.s, &b->cmp, why, sizeof why);
    if (rc == MS_ERR_NOMEM)
        return nomem(r);
    if (rc != MS_OK)
        return fail(r, &qc, false, "%s", why);
    if (reason && b->cmp.nregressed == 0)
        return fail(r, &qv, false, _("a regression reason, but the baseline found none"));
    return true;
}

ms_status ms_run_from_json(const char *name, const char *text, size_t len, ms_diag *diag,
                           ms_run **out)
{
    reader r = {.f = {.file = name, .diag = diag}, .rc = MS_OK};
    cJSON *doc = NULL;
    ms_jsonpos *pos = NULL;
    ms_json_error jerr = {0};
    ms_run *run = NULL;
    path top = {""};
    double format = 0;
    *out = NULL;
    r.rc = ms_json_parse_read_only(text, len, &doc, &pos, &jerr);
    if (r.rc == MS_ERR_INVALID)
        r.rc = ms_diag_add(diag, name, jerr.line, jerr.col, "", jerr.message) == MS_OK
                   ? MS_ERR_INVALID
                   : MS_ERR_NOMEM;
    if (r.rc != MS_OK)
        goto out;
    r.f.pos = pos;
    if ((r.rc = ms_run_new(&run)) != MS_OK)
        goto out;
    r.budgets = &run->budgets;
    if (cJSON_IsObject(doc) && num_at(&r, doc, &top, "format", 1, MS_REPORT_FORMAT, true, &format))
        r.format = (int)format;
    r.baseline = r.format >= 3 && cJSON_GetObjectItemCaseSensitive(doc, "baseline") != NULL;
    if (r.rc == MS_OK &&
        only(&r, doc, &top, keys_of(TOP_KEYS, r.format >= 3 ? TOP_KEYS_3 : NULL, NULL).k)) {
        if (read_head(&r, doc, run) && read_scores(&r, doc, &run->scores) &&
            read_lists(&r, doc, run) && read_fixes(&r, doc, run))
            read_baseline(&r, doc, run);
    }
    /* Before format 3 no answer said whether it was stale: derived as the run would. */
    if (r.rc == MS_OK)
        ms_run_answer_ages(run, r.format < 3);
out:
    ms_json_error_cleanup(&jerr);
    ms_jsonpos_free(pos);
    ms_alloc_delete(doc);
    if (r.rc == MS_OK)
        *out = run;
    else
        ms_run_free(run);
    return r.rc;
}
