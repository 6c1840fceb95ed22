/* A comparison as JSON and text (see ms/cmpjson.h).
 *
 * Out of memory in the writer: as in json.c, cJSON's failed allocations are counted around the
 * whole build (ms/alloc.h) rather than testing each result. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms/alloc.h"
#include "ms/cmpjson.h"
#include "ms/i18n.h"
#include "ms/util.h"

static double ms(int64_t us)
{
    return (double)us / 1000.0;
}

static void put(cJSON *obj, const char *name, cJSON *item)
{
    if (!cJSON_AddItemToObject(obj, name, item))
        cJSON_Delete(item);
}

static void push(cJSON *arr, cJSON *item)
{
    if (!cJSON_AddItemToArray(arr, item))
        cJSON_Delete(item);
}

/* A number, or null for NaN (JSON has none). */
static cJSON *num_or_null(double v)
{
    return isnan(v) ? cJSON_CreateNull() : cJSON_CreateNumber(v);
}

static cJSON *opt_num(bool has, double v)
{
    return has ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

static const char *side_name(ms_cmp_side s)
{
    return s == MS_CMP_BOTH ? "both" : s == MS_CMP_BASE_ONLY ? "base" : "new";
}

static const char *method_name(bool thresholds_only)
{
    return thresholds_only ? "thresholds only" : "mann-whitney";
}

/* delta_pct to 2 decimals: what a report shows; the same again when read back and written. */
static double pct2(double v)
{
    return isnan(v) ? v : ms_round(v * 100.0) / 100.0;
}

static cJSON *phase_json(const ms_cmp_phase *p)
{
    cJSON *o = cJSON_CreateObject();
    const ms_regression *r = &p->r;
    cJSON_AddStringToObject(o, "phase", ms_phase_name(p->phase));
    cJSON_AddBoolToObject(o, "budgeted", p->budgeted);
    cJSON_AddNumberToObject(o, "n_base", r->n_base);
    cJSON_AddNumberToObject(o, "n_new", r->n_new);
    cJSON_AddNumberToObject(o, "base_median_ms", ms(r->base_median_us));
    cJSON_AddNumberToObject(o, "new_median_ms", ms(r->new_median_us));
    cJSON_AddNumberToObject(o, "delta_ms", ms(r->delta_us));
    put(o, "delta_pct", num_or_null(pct2(r->delta_pct)));
    put(o, "p", num_or_null(r->p));
    cJSON_AddStringToObject(o, "method", method_name(r->thresholds_only));
    cJSON_AddBoolToObject(o, "regressed", r->regressed);
    return o;
}

static cJSON *check_json(const ms_cmp_check *c)
{
    cJSON *o = cJSON_CreateObject();
    bool base = c->side != MS_CMP_NEW_ONLY, new_ = c->side != MS_CMP_BASE_ONLY;
    cJSON_AddStringToObject(o, "id", c->id ? c->id : "");
    if (c->title)
        cJSON_AddStringToObject(o, "title", c->title);
    else
        cJSON_AddNullToObject(o, "title");
    cJSON_AddStringToObject(o, "kind", ms_kind_name(c->kind));
    cJSON_AddStringToObject(o, "side", side_name(c->side));
    if (base)
        cJSON_AddStringToObject(o, "base_status", ms_status_name(c->base_status));
    else
        cJSON_AddNullToObject(o, "base_status");
    if (new_)
        cJSON_AddStringToObject(o, "new_status", ms_status_name(c->new_status));
    else
        cJSON_AddNullToObject(o, "new_status");
    cJSON_AddBoolToObject(o, "started_failing", c->started_failing);
    cJSON_AddBoolToObject(o, "stopped_failing", c->stopped_failing);
    put(o, "base_score", opt_num(c->has_base_score, c->base_score));
    put(o, "new_score", opt_num(c->has_new_score, c->new_score));
    cJSON_AddBoolToObject(o, "regressed", c->regressed);
    cJSON_AddBoolToObject(o, "thresholds_only", c->thresholds_only);
    cJSON *ph = cJSON_AddArrayToObject(o, "phases");
    for (size_t i = 0; i < c->nphases; i++)
        push(ph, phase_json(&c->phases[i]));
    return o;
}

static cJSON *score_json(const ms_cmp_score *s)
{
    cJSON *o = cJSON_CreateObject();
    put(o, "base", opt_num(s->has_base, s->base));
    put(o, "new", opt_num(s->has_new, s->new_));
    return o;
}

ms_status ms_comparison_json(const ms_comparison *c, cJSON *into)
{
    unsigned long failures = ms_alloc_failures();
    cJSON *lim = cJSON_AddObjectToObject(into, "limits");
    cJSON_AddNumberToObject(lim, "max_slowdown", c->limits.max_slowdown);
    cJSON_AddNumberToObject(lim, "min_slowdown_ms", ms(c->limits.min_slowdown_us));
    cJSON_AddNumberToObject(lim, "alpha", MS_MWU_ALPHA);
    cJSON_AddNumberToObject(lim, "min_samples", MS_MWU_MIN_SAMPLES);
    cJSON *checks = cJSON_AddArrayToObject(into, "checks");
    for (size_t i = 0; i < c->nchecks; i++)
        push(checks, check_json(&c->checks[i]));
    put(into, "overall", score_json(&c->overall));
    cJSON *f = cJSON_AddObjectToObject(into, "factor");
    for (int i = 0; i < MS_FACTOR_COUNT; i++)
        put(f, ms_factor_name((ms_factor)i), score_json(&c->factor[i]));
    cJSON *n = cJSON_AddObjectToObject(into, "counts");
    cJSON_AddNumberToObject(n, "checks", (double)c->nchecks);
    cJSON_AddNumberToObject(n, "regressed", (double)c->nregressed);
    cJSON_AddNumberToObject(n, "started_failing", (double)c->nstarted);
    cJSON_AddNumberToObject(n, "stopped_failing", (double)c->nstopped);
    cJSON_AddNumberToObject(n, "base_only", (double)c->nbase_only);
    cJSON_AddNumberToObject(n, "new_only", (double)c->nnew_only);
    return ms_alloc_failures() != failures ? MS_ERR_NOMEM : MS_OK;
}

/* ---- the reader ---- */

typedef struct {
    ms_status rc;
    char *why;
    size_t whylen;
} rd;

typedef struct {
    char s[160];
} rpath;

static rpath sub(const rpath *p, const char *key)
{
    rpath r = *p;
    size_t n = strlen(p->s), k = strlen(key), dot = n > 0;
    if (n + dot + k < sizeof r.s) {
        if (dot)
            r.s[n] = '.';
        memcpy(r.s + n + dot, key, k + 1);
    }
    return r;
}

static rpath idx(const rpath *p, size_t i)
{
    char n[24];
    snprintf(n, sizeof n, "%zu", i);
    return sub(p, n);
}

static bool fail(rd *r, const rpath *p, const char *msg)
{
    if (r->rc == MS_OK) {
        r->rc = MS_ERR_INVALID;
        snprintf(r->why, r->whylen, "%s: %s", p->s[0] ? p->s : "(comparison)", msg);
    }
    return false;
}

/* obj is an object whose members are all among names (NULL-terminated) and has each of them. */
static bool members(rd *r, const cJSON *obj, const rpath *p, const char *const *names)
{
    if (!cJSON_IsObject(obj))
        return fail(r, p, "expected an object");
    for (const cJSON *m = obj->child; m; m = m->next) {
        bool known = false;
        for (const char *const *n = names; *n && !known; n++)
            known = m->string && strcmp(m->string, *n) == 0;
        if (!known) {
            rpath q = sub(p, m->string ? m->string : "");
            return fail(r, &q, "unknown member");
        }
    }
    for (const char *const *n = names; *n; n++)
        if (!cJSON_GetObjectItemCaseSensitive(obj, *n)) {
            rpath q = sub(p, *n);
            return fail(r, &q, "missing");
        }
    return true;
}

static const cJSON *get(const cJSON *o, const char *name)
{
    return cJSON_GetObjectItemCaseSensitive(o, name);
}

static bool get_bool(rd *r, const cJSON *o, const rpath *p, const char *name, bool *out)
{
    const cJSON *v = get(o, name);
    rpath q = sub(p, name);
    if (!cJSON_IsBool(v))
        return fail(r, &q, "expected true or false");
    *out = cJSON_IsTrue(v);
    return true;
}

/* A finite number in [lo, hi], or null (then *has false) when nullable. */
static bool get_num(rd *r, const cJSON *o, const rpath *p, const char *name, bool nullable,
                    double lo, double hi, bool *has, double *out)
{
    const cJSON *v = get(o, name);
    rpath q = sub(p, name);
    *out = NAN;
    if (has)
        *has = false;
    if (nullable && cJSON_IsNull(v))
        return true;
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
        return fail(r, &q, nullable ? "expected a number or null" : "expected a number");
    if (v->valuedouble < lo || v->valuedouble > hi)
        return fail(r, &q, "out of range");
    *out = v->valuedouble;
    if (has)
        *has = true;
    return true;
}

static bool get_count(rd *r, const cJSON *o, const rpath *p, const char *name, double hi,
                      size_t *out)
{
    double v = 0;
    if (!get_num(r, o, p, name, false, 0, hi, NULL, &v))
        return false;
    if (!ms_is_whole(v)) {
        rpath q = sub(p, name);
        return fail(r, &q, "expected a whole number");
    }
    *out = (size_t)v;
    return true;
}

/* Microseconds from milliseconds of up to 3 decimals. */
static bool get_ms(rd *r, const cJSON *o, const rpath *p, const char *name, double lo, int64_t *out)
{
    double v = 0;
    if (!get_num(r, o, p, name, false, lo, 9.2e12, NULL, &v))
        return false;
    *out = ms_llround(v * 1000.0);
    return true;
}

/* A string that one of n names (by name(i)) matches: its index in *out. */
static bool get_enum(rd *r, const cJSON *o, const rpath *p, const char *key, bool nullable,
                     const char *(*name)(int), int n, int *out)
{
    const cJSON *v = get(o, key);
    rpath q = sub(p, key);
    *out = -1;
    if (nullable && cJSON_IsNull(v))
        return true;
    if (!cJSON_IsString(v))
        return fail(r, &q, nullable ? "expected a string or null" : "expected a string");
    for (int i = 0; i < n; i++)
        if (strcmp(v->valuestring, name(i)) == 0) {
            *out = i;
            return true;
        }
    return fail(r, &q, "not one of the names it may have");
}

static const char *phase_name_i(int i)
{
    return ms_phase_name((ms_phase)i);
}
static const char *kind_name_i(int i)
{
    return ms_kind_name((ms_kind)i);
}
static const char *status_name_i(int i)
{
    return ms_status_name((ms_check_status)i);
}
static const char *side_name_i(int i)
{
    return side_name((ms_cmp_side)i);
}
static const char *method_name_i(int i)
{
    return method_name(i == 1);
}

static bool read_phase(rd *r, const cJSON *o, const rpath *p, ms_cmp_phase *out)
{
    static const char *const names[] = {
        "phase",    "budgeted",  "n_base", "n_new",  "base_median_ms", "new_median_ms",
        "delta_ms", "delta_pct", "p",      "method", "regressed",      NULL};
    int ph = 0, method = 0;
    size_t nb = 0, nn = 0;
    ms_regression *g = &out->r;
    if (!members(r, o, p, names) ||
        !get_enum(r, o, p, "phase", false, phase_name_i, MS_PH_COUNT, &ph) ||
        !get_bool(r, o, p, "budgeted", &out->budgeted) || !get_count(r, o, p, "n_base", 1e9, &nb) ||
        !get_count(r, o, p, "n_new", 1e9, &nn) ||
        !get_ms(r, o, p, "base_median_ms", 0, &g->base_median_us) ||
        !get_ms(r, o, p, "new_median_ms", 0, &g->new_median_us) ||
        !get_ms(r, o, p, "delta_ms", -9.2e12, &g->delta_us) ||
        !get_num(r, o, p, "delta_pct", true, -1e300, 1e300, NULL, &g->delta_pct) ||
        !get_num(r, o, p, "p", true, 0, 1, NULL, &g->p) ||
        !get_enum(r, o, p, "method", false, method_name_i, 2, &method) ||
        !get_bool(r, o, p, "regressed", &g->regressed))
        return false;
    out->phase = (ms_phase)ph;
    g->n_base = (int)nb;
    g->n_new = (int)nn;
    g->thresholds_only = method == 1;
    if (g->delta_us != g->new_median_us - g->base_median_us) {
        rpath q = sub(p, "delta_ms");
        return fail(r, &q, "is not new_median_ms - base_median_ms");
    }
    if (!g->thresholds_only && isnan(g->p)) {
        rpath q = sub(p, "p");
        return fail(r, &q, "null, but the method is mann-whitney");
    }
    return true;
}

static ms_status copy_str(char **dst, const cJSON *v)
{
    *dst = NULL;
    if (!cJSON_IsString(v))
        return MS_OK;
    *dst = strdup(v->valuestring);
    return *dst ? MS_OK : MS_ERR_NOMEM;
}

static bool read_check(rd *r, const cJSON *o, const rpath *p, ms_cmp_check *c)
{
    static const char *const names[] = {"id",
                                        "title",
                                        "kind",
                                        "side",
                                        "base_status",
                                        "new_status",
                                        "started_failing",
                                        "stopped_failing",
                                        "base_score",
                                        "new_score",
                                        "regressed",
                                        "thresholds_only",
                                        "phases",
                                        NULL};
    int kind = 0, side = 0, bs = -1, ns = -1;
    if (!members(r, o, p, names))
        return false;
    const cJSON *id = get(o, "id"), *title = get(o, "title"), *phases = get(o, "phases");
    rpath q = sub(p, "id");
    if (!cJSON_IsString(id))
        return fail(r, &q, "expected a string");
    q = sub(p, "title");
    if (!cJSON_IsString(title) && !cJSON_IsNull(title))
        return fail(r, &q, "expected a string or null");
    if (copy_str(&c->id, id) != MS_OK || copy_str(&c->title, title) != MS_OK) {
        r->rc = MS_ERR_NOMEM;
        return false;
    }
    if (!get_enum(r, o, p, "kind", false, kind_name_i, MS_KIND_YESNO + 1, &kind) ||
        !get_enum(r, o, p, "side", false, side_name_i, MS_CMP_NEW_ONLY + 1, &side) ||
        !get_enum(r, o, p, "base_status", true, status_name_i, MS_ST_NOT_RUN + 1, &bs) ||
        !get_enum(r, o, p, "new_status", true, status_name_i, MS_ST_NOT_RUN + 1, &ns) ||
        !get_bool(r, o, p, "started_failing", &c->started_failing) ||
        !get_bool(r, o, p, "stopped_failing", &c->stopped_failing) ||
        !get_num(r, o, p, "base_score", true, 0, 1, &c->has_base_score, &c->base_score) ||
        !get_num(r, o, p, "new_score", true, 0, 1, &c->has_new_score, &c->new_score) ||
        !get_bool(r, o, p, "regressed", &c->regressed) ||
        !get_bool(r, o, p, "thresholds_only", &c->thresholds_only))
        return false;
    c->kind = (ms_kind)kind;
    c->side = (ms_cmp_side)side;
    if ((bs < 0) != (c->side == MS_CMP_NEW_ONLY)) {
        q = sub(p, "base_status");
        return fail(r, &q, "null exactly when the check is on the new side only");
    }
    if ((ns < 0) != (c->side == MS_CMP_BASE_ONLY)) {
        q = sub(p, "new_status");
        return fail(r, &q, "null exactly when the check is on the base side only");
    }
    c->base_status = bs < 0 ? MS_ST_PASS : (ms_check_status)bs;
    c->new_status = ns < 0 ? MS_ST_PASS : (ms_check_status)ns;
    if (!c->has_base_score)
        c->base_score = 0;
    if (!c->has_new_score)
        c->new_score = 0;
    q = sub(p, "phases");
    if (!cJSON_IsArray(phases))
        return fail(r, &q, "expected an array");
    int n = cJSON_GetArraySize(phases);
    if (n > 0 && !(c->phases = calloc((size_t)n, sizeof *c->phases))) {
        r->rc = MS_ERR_NOMEM;
        return false;
    }
    bool regressed = false, thr = false;
    for (const cJSON *e = phases->child; e; e = e->next) {
        rpath ep = idx(&q, c->nphases);
        if (!read_phase(r, e, &ep, &c->phases[c->nphases]))
            return false;
        regressed |= c->phases[c->nphases].r.regressed;
        thr |= c->phases[c->nphases].r.thresholds_only;
        c->nphases++;
    }
    if (regressed != c->regressed || thr != c->thresholds_only) {
        rpath rp = sub(p, regressed != c->regressed ? "regressed" : "thresholds_only");
        return fail(r, &rp, "does not agree with the phases");
    }
    return true;
}

static bool read_score(rd *r, const cJSON *o, const rpath *p, double hi, ms_cmp_score *s)
{
    static const char *const names[] = {"base", "new", NULL};
    return members(r, o, p, names) &&
           get_num(r, o, p, "base", true, 0, hi, &s->has_base, &s->base) &&
           get_num(r, o, p, "new", true, 0, hi, &s->has_new, &s->new_);
}

static bool read_all(rd *r, const cJSON *obj, const rpath *p, ms_comparison *c)
{
    static const char *const names[] = {"limits", "checks", "overall", "factor", "counts", NULL};
    static const char *const lnames[] = {"max_slowdown", "min_slowdown_ms", "alpha", "min_samples",
                                         NULL};
    static const char *const cnames[] = {
        "checks", "regressed", "started_failing", "stopped_failing", "base_only", "new_only", NULL};
    const char *fnames[MS_FACTOR_COUNT + 1];
    if (!members(r, obj, p, names))
        return false;
    const cJSON *lim = get(obj, "limits"), *checks = get(obj, "checks");
    rpath lp = sub(p, "limits"), cp = sub(p, "checks"), op = sub(p, "overall"),
          fp = sub(p, "factor"), np = sub(p, "counts");
    double alpha = 0, mins = 0;
    if (!members(r, lim, &lp, lnames) ||
        !get_num(r, lim, &lp, "max_slowdown", false, 0, 1e6, NULL, &c->limits.max_slowdown) ||
        !get_ms(r, lim, &lp, "min_slowdown_ms", 0, &c->limits.min_slowdown_us) ||
        !get_num(r, lim, &lp, "alpha", false, 0, 1, NULL, &alpha) ||
        !get_num(r, lim, &lp, "min_samples", false, 0, 1e9, NULL, &mins))
        return false;
    if (!cJSON_IsArray(checks))
        return fail(r, &cp, "expected an array");
    int n = cJSON_GetArraySize(checks);
    if (n > 0 && !(c->checks = calloc((size_t)n, sizeof *c->checks))) {
        r->rc = MS_ERR_NOMEM;
        return false;
    }
    for (const cJSON *e = checks->child; e; e = e->next) {
        rpath ep = idx(&cp, c->nchecks);
        ms_cmp_check *ck = &c->checks[c->nchecks++];
        if (!read_check(r, e, &ep, ck))
            return false;
        c->nregressed += ck->regressed;
        c->nstarted += ck->started_failing;
        c->nstopped += ck->stopped_failing;
        c->nbase_only += ck->side == MS_CMP_BASE_ONLY;
        c->nnew_only += ck->side == MS_CMP_NEW_ONLY;
    }
    if (!read_score(r, get(obj, "overall"), &op, 100, &c->overall))
        return false;
    for (int i = 0; i < MS_FACTOR_COUNT; i++)
        fnames[i] = ms_factor_name((ms_factor)i);
    fnames[MS_FACTOR_COUNT] = NULL;
    const cJSON *f = get(obj, "factor");
    if (!members(r, f, &fp, fnames))
        return false;
    for (int i = 0; i < MS_FACTOR_COUNT; i++) {
        rpath q = sub(&fp, fnames[i]);
        if (!read_score(r, get(f, fnames[i]), &q, 100, &c->factor[i]))
            return false;
    }
    const cJSON *cn = get(obj, "counts");
    size_t want[6] = {c->nchecks,  c->nregressed, c->nstarted,
                      c->nstopped, c->nbase_only, c->nnew_only};
    if (!members(r, cn, &np, cnames))
        return false;
    for (int i = 0; i < 6; i++) {
        size_t v = 0;
        if (!get_count(r, cn, &np, cnames[i], 1e12, &v))
            return false;
        if (v != want[i]) {
            rpath q = sub(&np, cnames[i]);
            return fail(r, &q, "does not agree with the checks");
        }
    }
    return true;
}

ms_status ms_comparison_from_json(const cJSON *obj, const char *prefix, ms_comparison *out,
                                  char *why, size_t whylen)
{
    rd r = {MS_OK, why, whylen};
    rpath p = {""};
    memset(out, 0, sizeof *out);
    if (prefix && strlen(prefix) < sizeof p.s)
        memcpy(p.s, prefix, strlen(prefix) + 1);
    if (why && whylen)
        why[0] = '\0';
    if (!read_all(&r, obj, &p, out) && r.rc == MS_OK)
        r.rc = MS_ERR_INVALID;
    if (r.rc != MS_OK)
        ms_comparison_cleanup(out);
    return r.rc;
}

/* ---- the text report ---- */

bool ms_comparison_regressed(const ms_comparison *c)
{
    return c->nregressed > 0 || c->nstarted > 0;
}

/* A signed change in ms: "+20.0", "-3.1". */
static void signed_ms(int64_t us, char *out, size_t len)
{
    char v[24];
    ms_format_ms(us < 0 ? -us : us, v, sizeof v);
    snprintf(out, len, "%s%s", us < 0 ? "-" : "+", v);
}

static void pct_text(double pct, char *out, size_t len)
{
    if (isnan(pct))
        snprintf(out, len, "n/a");
    else
        snprintf(out, len, "%+.1f%%", pct);
}

static void score_text(bool has, double v, bool percent, char *out, size_t len)
{
    if (!has)
        snprintf(out, len, "-");
    else
        snprintf(out, len, percent ? "%.2f" : "%.2f", v);
}

/* lead, "id  title" (cleaned for the terminal) cut to fit the line with tail, then tail. */
static ms_status check_line(ms_buf *out, const char *lead, const ms_cmp_check *c, const char *tail)
{
    ms_buf line;
    ms_status rc = MS_OK;
    ms_buf_init(&line, 0);
    rc = ms_buf_adds(&line, lead);
    if (rc == MS_OK)
        rc = ms_buf_add_clean(&line, c->id ? c->id : "");
    if (rc == MS_OK && c->title && (!c->id || strcmp(c->title, c->id) != 0) &&
        (rc = ms_buf_adds(&line, "  ")) == MS_OK)
        rc = ms_buf_add_clean(&line, c->title);
    if (rc != MS_OK)
        goto out;
    size_t tw = tail ? ms_display_width(tail) + 2 : 0, room = 80 > tw ? 80 - tw : 0;
    const char *s = ms_buf_str(&line);
    if ((rc = ms_buf_add(out, s, ms_prefix_for_width(s, room))) == MS_OK && tail)
        rc = ms_buf_printf(out, "  %s", tail);
    if (rc == MS_OK)
        rc = ms_buf_addc(out, '\n');
out:
    ms_buf_cleanup(&line);
    return rc;
}

/* Append the label s padded with spaces to cols columns of the terminal (by display width), on
 * the right (right) or the left. */
static ms_status padded(ms_buf *out, const char *s, size_t cols, bool right)
{
    ms_status rc = MS_OK;
    size_t w = ms_display_width(s);
    if (!right)
        rc = ms_buf_adds(out, s);
    for (; w < cols && rc == MS_OK; w++)
        rc = ms_buf_addc(out, ' ');
    if (right && rc == MS_OK)
        rc = ms_buf_adds(out, s);
    return rc;
}

static const char *status_word(ms_check_status s)
{
    return ms_status_word(ms_status_name(s));
}

static ms_status timings(const ms_comparison *c, ms_buf *out, size_t *nthr)
{
    ms_status rc = MS_OK;
    bool any = false;
    for (size_t i = 0; i < c->nchecks && rc == MS_OK; i++)
        any |= c->checks[i].nphases > 0;
    if (!any)
        return MS_OK;
    rc = ms_buf_printf(out, "\n%s\n    ", _("Timings (medians of the completed samples, ms)"));
    /* the phases' column: 8 wide, or as wide as its widest translated label */
    size_t ph_w = ms_display_width(_("phase"));
    for (int p = 0; p < MS_PH_COUNT; p++) {
        size_t w = ms_display_width(ms_phase_label((ms_phase)p));
        ph_w = w > ph_w ? w : ph_w;
    }
    ph_w = ph_w > 8 ? ph_w : 8;
    if (rc == MS_OK)
        rc = padded(out, _("phase"), ph_w, false);
    if (rc == MS_OK)
        rc = ms_buf_addc(out, ' ');
    if (rc == MS_OK)
        rc = padded(out, _("base"), 7, true);
    if (rc == MS_OK)
        rc = ms_buf_adds(out, "    ");
    if (rc == MS_OK)
        rc = padded(out, _("new"), 7, true);
    if (rc == MS_OK)
        rc = ms_buf_adds(out, "   ");
    if (rc == MS_OK)
        rc = padded(out, _("change"), 8, true);
    if (rc == MS_OK)
        rc = ms_buf_printf(out, " %8s  %s\n", "%", "p");
    for (size_t i = 0; i < c->nchecks && rc == MS_OK; i++) {
        const ms_cmp_check *ck = &c->checks[i];
        if (!ck->nphases)
            continue;
        rc = check_line(out, "", ck, ck->regressed ? _("REGRESSED") : NULL);
        for (size_t k = 0; k < ck->nphases && rc == MS_OK; k++) {
            const ms_regression *r = &ck->phases[k].r;
            char b[32], n[32], d[40], pc[32], p[64];
            ms_format_ms(r->base_median_us, b, sizeof b);
            ms_format_ms(r->new_median_us, n, sizeof n);
            signed_ms(r->delta_us, d, sizeof d);
            pct_text(r->delta_pct, pc, sizeof pc);
            if (r->n_base == 0 || r->n_new == 0)
                snprintf(p, sizeof p, "%s", _("not compared (no completed sample on a side)"));
            else if (r->thresholds_only)
                snprintf(p, sizeof p, "%s", _("thresholds only*"));
            else
                snprintf(p, sizeof p, "p = %.3g", r->p);
            *nthr += r->thresholds_only && r->n_base && r->n_new;
            rc = ms_buf_adds(out, "    ");
            if (rc == MS_OK)
                rc = padded(out, ms_phase_label(ck->phases[k].phase), ph_w, false);
            if (rc != MS_OK)
                break;
            if (r->n_base == 0 || r->n_new == 0)
                rc = ms_buf_printf(out, " %s\n", p);
            else
                rc = ms_buf_printf(out, " %7s -> %7s   %8s %8s  %s%s%s\n", b, n, d, pc, p,
                                   r->regressed ? "  " : "", r->regressed ? _("REGRESSED") : "");
        }
    }
    if (rc == MS_OK && *nthr)
        rc = ms_buf_printf(out, "%s\n",
                           _("  * thresholds only: too few samples for the test (under 3 a side, "
                             "or 3 by 3)"));
    return rc;
}

static ms_status failing(const ms_comparison *c, ms_buf *out, bool started)
{
    ms_status rc = MS_OK;
    if (started ? !c->nstarted : !c->nstopped)
        return MS_OK;
    rc = ms_buf_printf(out, "\n%s\n", started ? _("Started failing") : _("Stopped failing"));
    for (size_t i = 0; i < c->nchecks && rc == MS_OK; i++) {
        const ms_cmp_check *ck = &c->checks[i];
        char t[64];
        if (started ? !ck->started_failing : !ck->stopped_failing)
            continue;
        snprintf(t, sizeof t, "%s -> %s", status_word(ck->base_status),
                 status_word(ck->new_status));
        rc = check_line(out, "  ", ck, t);
    }
    return rc;
}

static ms_status score_row(ms_buf *out, const char *name, const ms_cmp_score *s)
{
    char b[32], n[32], d[32] = "";
    score_text(s->has_base, s->base, true, b, sizeof b);
    score_text(s->has_new, s->new_, true, n, sizeof n);
    if (s->has_base && s->has_new)
        snprintf(d, sizeof d, "%+.2f", s->new_ - s->base);
    ms_status rc = ms_buf_adds(out, "  ");
    if (rc == MS_OK)
        rc = padded(out, name, 12, false);
    if (rc == MS_OK)
        rc = ms_buf_printf(out, " %7s -> %7s  %s\n", b, n, d);
    return rc;
}

static ms_status scores(const ms_comparison *c, ms_buf *out)
{
    ms_status rc = ms_buf_printf(out, "\n%s\n", _("Scores (0-100)"));
    if (rc == MS_OK)
        rc = score_row(out, _("overall"), &c->overall);
    for (int i = 0; i < MS_FACTOR_COUNT && rc == MS_OK; i++)
        if (c->factor[i].has_base || c->factor[i].has_new)
            rc = score_row(out, ms_factor_label((ms_factor)i), &c->factor[i]);
    return rc;
}

static ms_status one_side(const ms_comparison *c, ms_buf *out, ms_cmp_side side)
{
    ms_status rc = MS_OK;
    if (side == MS_CMP_BASE_ONLY ? !c->nbase_only : !c->nnew_only)
        return MS_OK;
    rc = ms_buf_printf(out, "\n%s\n",
                       side == MS_CMP_BASE_ONLY ? _("Only in the base run")
                                                : _("Only in the new run"));
    for (size_t i = 0; i < c->nchecks && rc == MS_OK; i++) {
        const ms_cmp_check *ck = &c->checks[i];
        if (ck->side == side)
            rc = check_line(
                out, "  ", ck,
                status_word(side == MS_CMP_BASE_ONLY ? ck->base_status : ck->new_status));
    }
    return rc;
}

/* lead and desc (cleaned) on lines of 80 columns: broken after a ", " that fits, the rest
 * indented by indent; a part too long for a line stays whole. */
static ms_status wrap_line(ms_buf *out, const char *lead, const char *desc, size_t indent)
{
    ms_status rc = MS_OK;
    ms_buf clean;
    size_t col = ms_display_width(lead);
    ms_buf_init(&clean, 0);
    if ((rc = ms_buf_add_clean(&clean, desc ? desc : "")) != MS_OK ||
        (rc = ms_buf_adds(out, lead)) != MS_OK)
        goto out;
    const char *s = ms_buf_str(&clean);
    bool first = true;
    while (*s && rc == MS_OK) {
        const char *sep = strstr(s, ", ");
        size_t len = sep ? (size_t)(sep - s) + 1 : strlen(s), w = ms_display_width_n(s, len);
        if (!first && col + 1 + w > 80) {
            rc = ms_buf_printf(out, "\n%*s", (int)indent, "");
            col = indent;
        } else if (!first) {
            rc = ms_buf_addc(out, ' ');
            col++;
        }
        if (rc == MS_OK)
            rc = ms_buf_add(out, s, len);
        col += w;
        first = false;
        s += len;
        if (*s == ' ')
            s++;
    }
    if (rc == MS_OK)
        rc = ms_buf_addc(out, '\n');
out:
    ms_buf_cleanup(&clean);
    return rc;
}

ms_status ms_comparison_text(const ms_comparison *c, const char *base_desc, const char *new_desc,
                             ms_buf *out)
{
    ms_status rc = MS_OK;
    size_t nthr = 0, ncompared = 0;
    char lim[32];
    ms_format_ms(c->limits.min_slowdown_us, lim, sizeof lim);
    /* TRANSLATORS: the leads of the two runs' lines, "base: " and "new:  ", padded to one width */
    const char *leads[] = {_("base: "), _("new:  ")};
    size_t lw = ms_display_width(leads[0]), nw = ms_display_width(leads[1]);
    lw = nw > lw ? nw : lw;
    ms_buf lead;
    ms_buf_init(&lead, 0);
    for (int i = 0; i < 2 && rc == MS_OK; i++) {
        ms_buf_reset(&lead);
        rc = padded(&lead, leads[i], lw, false);
        if (rc == MS_OK)
            rc = wrap_line(out, ms_buf_str(&lead), i ? new_desc : base_desc, lw);
    }
    ms_buf_cleanup(&lead);
    if (rc == MS_OK)
        rc = ms_buf_printf(out,
                           _("A regression: slower by more than %g%% and more than %s ms, p < %g"),
                           c->limits.max_slowdown * 100.0, lim, MS_MWU_ALPHA);
    if (rc == MS_OK)
        rc = ms_buf_addc(out, '\n');
    if (rc == MS_OK)
        rc = timings(c, out, &nthr);
    if (rc == MS_OK)
        rc = failing(c, out, true);
    if (rc == MS_OK)
        rc = failing(c, out, false);
    if (rc == MS_OK)
        rc = scores(c, out);
    if (rc == MS_OK)
        rc = one_side(c, out, MS_CMP_BASE_ONLY);
    if (rc == MS_OK)
        rc = one_side(c, out, MS_CMP_NEW_ONLY);
    for (size_t i = 0; i < c->nchecks; i++)
        ncompared += c->checks[i].side == MS_CMP_BOTH;
    /* the summary: the counts that are not zero */
    ms_buf sum;
    ms_buf_init(&sum, 0);
    if (rc == MS_OK)
        rc = ms_buf_printf(
            &sum, "%s: ", ms_comparison_regressed(c) ? _("REGRESSION") : _("No regression"));
    if (rc == MS_OK)
        rc = ms_buf_printf(&sum, ngettext("%zu check compared", "%zu checks compared", ncompared),
                           ncompared);
    const size_t counts[] = {c->nregressed, c->nstarted, c->nstopped, c->nbase_only, c->nnew_only};
    /* TRANSLATORS: the counts of the compare command's summary, ", 2 slower" */
    if (rc == MS_OK && counts[0])
        rc = ms_buf_printf(&sum, _(", %zu slower"), counts[0]);
    if (rc == MS_OK && counts[1])
        rc = ms_buf_printf(&sum, _(", %zu started failing"), counts[1]);
    if (rc == MS_OK && counts[2])
        rc = ms_buf_printf(&sum, _(", %zu stopped failing"), counts[2]);
    if (rc == MS_OK && counts[3])
        rc = ms_buf_printf(&sum, _(", %zu only in base"), counts[3]);
    if (rc == MS_OK && counts[4])
        rc = ms_buf_printf(&sum, _(", %zu only in new"), counts[4]);
    if (rc == MS_OK)
        rc = ms_buf_addc(out, '\n');
    if (rc == MS_OK)
        rc = wrap_line(out, "", ms_buf_str(&sum), 2);
    ms_buf_cleanup(&sum);
    return rc;
}
