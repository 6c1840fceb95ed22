/* Loading checklists: read each file, check its top fields, apply the defaults and the sections'
 * inherited fields to each check, and assemble the plan. The kinds of checks are read by
 * load/http.c and load/manual.c, variables by load/vars.c; every problem is added to the
 * diagnostics (load/diag.c), all of them at once; nothing is half-loaded, nothing printed. */
#include "ms/checklist.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ms/alloc.h"
#include "ms/buf.h"
#include "ms/checkload.h"
#include "ms/fileio.h"
#include "ms/hash.h"
#include "ms/i18n.h"
#include "ms/jsontext.h"
#include "ms/util.h"

/* What the loading of all the files of a run shares: indexes that keep it linear. */
typedef struct {
    /* hash of an id -> the id: the plan's own string (a section's or a check's), which lives as
     * long as the plan; no copy */
    ms_hindex ids;
    bool ids_lost; /* a check whose id is in ids could not be kept: ids is not looked at again */
    size_t checks_cap; /* of plan->checks */
    ms_var_refs refs;  /* the {{name}} the files use */
    bool refs_unknown; /* a file could not be read as a JSON object: what it uses is not known */
} run_index;

/* One file being loaded. */
typedef struct {
    ms_fields f; /* the file, its positions and its problems */
    ms_vars vars;
    ms_plan *plan;
    run_index *run;
    /* The checks are parsed one at a time, each from its place in the text, and freed once
     * loaded: the tree of the file (parsed without them) and of one check are all there is, not
     * a tree of every check at once. */
    const char *text;
    const ms_json_span *spans; /* where each check is, in text order */
    size_t nspans, next_span;  /* the next one to load */
    bool strip_http;           /* ms_load_opts' */
} ctx;

/* The paths of the checks in a checklist. */
static const char *const CHECK_PARTS[MS_JSONPOS_SHALLOW] = {"sections", NULL, "checks", NULL};

/* Grow array, of *cap elements of size each, to hold at least n, doubling. MS_OK with *array
 * moved or not, or MS_ERR_NOMEM (the array is unchanged then). */
static ms_status grow_array(void **array, size_t *cap, size_t n, size_t size)
{
    if (n <= *cap)
        return MS_OK;
    size_t want = *cap ? *cap : 16;
    while (want < n)
        want = want > SIZE_MAX / 2 ? n : want * 2;
    if (want > SIZE_MAX / size)
        return MS_ERR_NOMEM;
    void *p = realloc(*array, want * size);
    if (!p)
        return MS_ERR_NOMEM;
    *array = p;
    *cap = want;
    return MS_OK;
}

/* Substitute the variables of a text that is shown, never sent (a title, a fix, an owner): *s
 * becomes its display form (secrets as ***). The field at path, name. On a problem (reported)
 * *s stays as written. */
static void subst_shown(ctx *c, char **s, const char *path, const char *name)
{
    if (!*s || !strstr(*s, "{{"))
        return;
    char *value = NULL, *display = NULL;
    char *p = name ? ms_fields_path(&c->f, path, name) : ms_fields_strdup(&c->f, path);
    if (p && ms_vars_substitute(&c->vars, &c->f, *s, p, MS_SUBST_TEXT, &value, &display)) {
        free(*s);
        *s = display;
        display = NULL;
    }
    free(value);
    free(display);
    free(p);
}

/* "$schema" is for editors (the checklist's JSON Schema): the tool reads nothing from it. */
static const char *const TOP_FIELDS[] = {"format",   "id",       "title",   "description", "vars",
                                         "defaults", "sections", "$schema", NULL};
/* Fields that defaults and sections pass down to checks, named by index where they are read. */
enum {
    IN_SAMPLES,
    IN_TIMEOUT_MS,
    IN_CONNECTION,
    IN_HEADERS,
    IN_BUDGET,
    IN_STAT,
    IN_FACTOR,
    IN_AUDIENCE,
    IN_WEIGHT,
    IN_CRITICAL,
    IN_EFFORT,
    IN_OWNER,
    IN_MAX_FAILED_SAMPLES,
    NINHERITED
};
static const char *const INHERITED[NINHERITED + 1] = {[IN_SAMPLES] = "samples",
                                                      [IN_TIMEOUT_MS] = "timeout_ms",
                                                      [IN_CONNECTION] = "connection",
                                                      [IN_HEADERS] = "headers",
                                                      [IN_BUDGET] = "budget",
                                                      [IN_STAT] = "stat",
                                                      [IN_FACTOR] = "factor",
                                                      [IN_AUDIENCE] = "audience",
                                                      [IN_WEIGHT] = "weight",
                                                      [IN_CRITICAL] = "critical",
                                                      [IN_EFFORT] = "effort",
                                                      [IN_OWNER] = "owner",
                                                      [IN_MAX_FAILED_SAMPLES] =
                                                          "max_failed_samples",
                                                      [NINHERITED] = NULL};
static const char *const SECTION_OWN[] = {"id", "title", "description", "checks", NULL};
static const char *const CHECK_COMMON[] = {
    "id",     "kind",     "title",   "description", "weight",     "critical",
    "factor", "audience", "fix",     "owner",       "effort",     "tags",
    "prompt", "request",  "expect",  "budget",      "stat",       "scale",
    "pass",   "good",     "samples", "timeout_ms",  "connection", "max_failed_samples",
    NULL};
static const char *const BUDGET_FIELDS[] = {"dns_ms",    "connect_ms",  "tls_ms",
                                            "server_ms", "transfer_ms", "ttfb_ms",
                                            "total_ms",  "redirect_ms", NULL};
static const char *const KINDS[] = {"http", "stopwatch", "rating", "yesno", NULL};
static const char *const FACTORS[] = {"product", "people", "convenience", NULL};
static const char *const AUDIENCES[] = {"external", "internal", NULL};
static const char *const STATS[] = {"median", "p90", "p95", "max", "mean", "min", NULL};
static const char *const EFFORTS[] = {"s", "m", "l", NULL};
static const char *const CONNECTIONS[] = {"cold", "warm", NULL};

/* ---- inheritance ---- */

/* The inherited fields of a section or of the defaults, looked up once for all their checks
 * (looking them up again for each check would take checks times fields). */
typedef struct {
    const cJSON *field[NINHERITED]; /* by index in INHERITED; the first one given */
} inherited;

static void find_inherited(const cJSON *obj, inherited *out)
{
    memset(out, 0, sizeof *out);
    for (const cJSON *it = obj ? obj->child : NULL; it; it = it->next) {
        int i = ms_list_index(it->string, INHERITED);
        if (i >= 0 && !out->field[i])
            out->field[i] = it;
    }
}

/* The layers a check's fields come from, most specific first: the check, its section, the
 * defaults. */
typedef struct {
    const cJSON *obj[3];
    const char *path[3];
    const inherited *fields[3]; /* each layer's inherited fields, found once */
} layers;

/* Inherited field k (index in INHERITED) of layer i, or NULL. */
static const cJSON *layer_field(const layers *l, int i, int k)
{
    return l->obj[i] ? l->fields[i]->field[k] : NULL;
}

/* The value of inherited field k and the path it was found at (*path, caller frees), or NULL
 * when no layer gives it. */
static const cJSON *inherit(ctx *c, const layers *l, int k, char **path)
{
    for (int i = 0; i < 3; i++) {
        const cJSON *v = layer_field(l, i, k);
        if (v) {
            *path = ms_fields_path(&c->f, l->path[i], INHERITED[k]);
            return v;
        }
    }
    *path = NULL;
    return NULL;
}

/* The budgets at b into budget (MS_PH_COUNT of them), for a check of kind k. */
static void load_budget(ctx *c, const cJSON *b, const char *path, ms_kind k, int64_t *budget)
{
    ms_fields *f = &c->f;
    if (!ms_field_object(f, b, path))
        return;
    ms_fields_check(f, b, path, BUDGET_FIELDS, NULL);
    for (const cJSON *it = b->child; it; it = it->next) {
        int ph = ms_list_index(it->string, BUDGET_FIELDS);
        char *p = ms_fields_path(f, path, it->string);
        if (ph >= 0 && cJSON_IsNumber(it) && it->valuedouble <= 0)
            ms_fields_err(f, p, false, N_("a budget must be more than 0 ms, not %g"),
                          it->valuedouble);
        else if (ph >= 0)
            ms_field_ms(f, it, p, 0, 86400000, false, &budget[ph]);
        if (ph >= 0 && k != MS_KIND_HTTP && ph != MS_PH_TOTAL)
            /* TRANSLATORS: %s is the check's kind as the file writes it (stopwatch, rating) */
            ms_fields_err(f, p, true, N_("a %s check has only a \"total_ms\" budget"),
                          ms_kind_name(k));
        free(p);
    }
}

/* ck's budgets: the plan's array of these (most checks of a plan have the same). */
static void share_budget(ctx *c, ms_check *ck, const int64_t *budget)
{
    const int64_t *shared = ms_budgets_intern(&c->plan->budgets, budget);
    if (!shared)
        c->f.nomem = true;
    ck->budget_us = shared ? shared : ms_no_budgets;
}

/* Apply the fields a check inherits (defaults, then section, then its own). */
static void load_inherited(ctx *c, const layers *l, ms_check *ck)
{
    ms_fields *f = &c->f;
    char *p = NULL;
    const cJSON *v;
    double d;
    int i;

    ck->factor = MS_FACTOR_CONVENIENCE;
    if ((v = inherit(c, l, IN_FACTOR, &p)) && ms_field_enum(f, v, p, FACTORS, &i))
        ck->factor = (ms_factor)i;
    free(p);
    ck->audience = MS_AUD_EXTERNAL;
    if ((v = inherit(c, l, IN_AUDIENCE, &p)) && ms_field_enum(f, v, p, AUDIENCES, &i))
        ck->audience = (ms_audience)i;
    free(p);
    ck->weight = 1;
    if ((v = inherit(c, l, IN_WEIGHT, &p))) {
        if (cJSON_IsNumber(v) && v->valuedouble <= 0)
            ms_fields_err(f, p, false, N_("a weight must be more than 0, not %g"), v->valuedouble);
        else if (ms_field_number(f, v, p, 0, 1e6, false, &d))
            ck->weight = d;
    }
    free(p);
    if ((v = inherit(c, l, IN_CRITICAL, &p)))
        ms_field_bool(f, v, p, &ck->critical);
    free(p);
    ck->effort = 2;
    if ((v = inherit(c, l, IN_EFFORT, &p)) && ms_field_enum(f, v, p, EFFORTS, &i))
        ck->effort = i == 0 ? 1 : i == 1 ? 2 : 4;
    free(p);
    if ((v = inherit(c, l, IN_OWNER, &p)) && ms_field_string(f, v, p)) {
        ck->owner = ms_fields_strdup(f, v->valuestring);
        subst_shown(c, &ck->owner, p, NULL);
    }
    free(p);

    /* The rest are about HTTP requests: a stopwatch check keeps its own budget only. */
    int64_t budget[MS_PH_COUNT];
    for (size_t k = 0; k < MS_PH_COUNT; k++)
        budget[k] = -1;
    if (ck->kind != MS_KIND_HTTP) {
        v = cJSON_GetObjectItemCaseSensitive(l->obj[0], "budget");
        if (v) {
            p = ms_fields_path(f, l->path[0], "budget");
            load_budget(c, v, p, ck->kind, budget);
            free(p);
        }
        share_budget(c, ck, budget);
        return;
    }
    if ((v = inherit(c, l, IN_BUDGET, &p)))
        load_budget(c, v, p, ck->kind, budget);
    free(p);
    share_budget(c, ck, budget);
    ck->stat = MS_STAT_MEDIAN;
    if ((v = inherit(c, l, IN_STAT, &p)) && ms_field_enum(f, v, p, STATS, &i))
        ck->stat = (ms_stat)i;
    free(p);
    ck->samples = 5;
    if ((v = inherit(c, l, IN_SAMPLES, &p)) && ms_field_number(f, v, p, 1, 1000, true, &d))
        ck->samples = (int)d;
    free(p);
    /* Failed samples the check tolerates; at most as many as a check may take. */
    ck->max_failed_samples = 0;
    if ((v = inherit(c, l, IN_MAX_FAILED_SAMPLES, &p)) &&
        ms_field_number(f, v, p, 0, 1000, true, &d))
        ck->max_failed_samples = (int)d;
    free(p);
    ck->timeout_us = 10 * 1000000;
    if ((v = inherit(c, l, IN_TIMEOUT_MS, &p)))
        ms_field_ms(f, v, p, 1, 3600000, true, &ck->timeout_us);
    free(p);
    if ((v = inherit(c, l, IN_CONNECTION, &p)) && ms_field_enum(f, v, p, CONNECTIONS, &i))
        ck->warm = i == 1;
    free(p);
    /* Headers merge: defaults, then section, then the request's own. */
    for (int k = 2; k >= 1; k--) {
        v = layer_field(l, k, IN_HEADERS);
        if (v) {
            p = ms_fields_path(f, l->path[k], "headers");
            ms_load_headers(f, &c->vars, v, p, &ck->headers, &ck->nheaders);
            free(p);
        }
    }
}

/* ---- checks and sections ---- */

/* Fields that belong to one kind only. */
static bool field_fits_kind(const char *f, ms_kind k)
{
    static const char *const http_only[] = {
        "request", "expect", "stat", "samples", "timeout_ms", "connection", "max_failed_samples",
        NULL};
    if (ms_in_list(f, http_only))
        return k == MS_KIND_HTTP;
    if (strcmp(f, "prompt") == 0)
        return k != MS_KIND_HTTP;
    if (strcmp(f, "budget") == 0)
        return k == MS_KIND_HTTP || k == MS_KIND_STOPWATCH;
    if (strcmp(f, "scale") == 0 || strcmp(f, "pass") == 0)
        return k == MS_KIND_RATING;
    if (strcmp(f, "good") == 0)
        return k == MS_KIND_YESNO;
    return true;
}

/* The check at path (object o, parsed from span sp when it was cut out of the file, else NULL)
 * with its parent layers: a new check in *out (NULL only when out of memory, then c->f.nomem is
 * set), however much of it was valid. */
static void load_check(ctx *c, const cJSON *o, const ms_json_span *sp, const char *path,
                       const layers *parent, ms_check **out)
{
    ms_fields *f = &c->f;
    ms_check *ck = *out = ms_fields_alloc(f, calloc(1, sizeof *ck));
    if (!ck)
        return;
    ck->budget_us = ms_no_budgets; /* until its own are known */
    /* Where the check is defined, for the reports that name it: its span says, without the
     * index (shed while the checks load, see load_file). */
    int col = 0;
    if (sp)
        ms_jsonpos_linecol(f->pos, sp->off, &ck->line, &col);
    else if (path)
        ms_jsonpos_find(f->pos, path, false, &ck->line, &col);
    if (ms_jsonpos_nomem(f->pos))
        f->nomem = true;
    if (!ms_field_object(f, o, path))
        return;
    ms_field_id(f, cJSON_GetObjectItemCaseSensitive(o, "id"), path, &ck->id);
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(o, "kind");
    char *p = ms_fields_path(f, path, "kind");
    int k = -1;
    if (!kind)
        ms_fields_err(f, path, false,
                      N_("\"kind\" is required (http, stopwatch, rating or yesno)"));
    else
        ms_field_enum(f, kind, p, KINDS, &k);
    free(p);
    ms_fields_check(f, o, path, CHECK_COMMON, NULL);
    if (k < 0)
        return; /* the rest depends on the kind */
    ck->kind = (ms_kind)k;
    for (const cJSON *it = o->child; it; it = it->next) {
        if (ms_in_list(it->string, CHECK_COMMON) && !field_fits_kind(it->string, ck->kind)) {
            p = ms_fields_path(f, path, it->string);
            /* TRANSLATORS: a field name, then the check's kind as the file writes it (http,
               stopwatch, rating, yesno) */
            ms_fields_err(f, p, true, N_("field \"%s\" does not apply to a %s check"), it->string,
                          ms_kind_name(ck->kind));
            free(p);
        }
    }
    ms_field_opt_string(f, o, path, "title", &ck->title);
    subst_shown(c, &ck->title, path, "title");
    if (!ck->title)
        ck->title = ck->id; /* shared, not copied: ms_check_cleanup frees it once */
    ms_field_opt_string(f, o, path, "description", &ck->description);
    subst_shown(c, &ck->description, path, "description");
    ms_field_opt_string(f, o, path, "fix", &ck->fix);
    subst_shown(c, &ck->fix, path, "fix");
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(o, "tags");
    if (tags) {
        p = ms_fields_path(f, path, "tags");
        ms_field_strings(f, tags, p, &ck->tags, &ck->ntags);
        free(p);
    }
    inherited own;
    find_inherited(o, &own);
    layers l = *parent;
    l.obj[0] = o;
    l.path[0] = path;
    l.fields[0] = &own;
    load_inherited(c, &l, ck);
    if (ck->kind == MS_KIND_HTTP)
        ms_load_http(f, &c->vars, o, path, ck);
    else
        ms_load_manual(f, &c->vars, o, path, ck);
}

static ms_status push_check(ctx *c, ms_check *ck)
{
    ms_plan *plan = c->plan;
    void *checks = plan->checks;
    if (grow_array(&checks, &c->run->checks_cap, plan->nchecks + 1, sizeof *plan->checks) != MS_OK)
        return MS_ERR_NOMEM;
    plan->checks = checks;
    ck->order = plan->nchecks;
    plan->checks[plan->nchecks++] = ck;
    return MS_OK;
}

/* Is id already used by a check or section of the run? Records it when it is not. */
static bool id_taken(ctx *c, const char *id)
{
    run_index *r = c->run;
    uint64_t h = ms_hash_str(id);
    size_t it = 0, seen;
    if (r->ids_lost)
        return false; /* out of memory: the load fails anyway */
    while (ms_hindex_next(&r->ids, h, &it, &seen))
        if (strcmp((const char *)(uintptr_t)seen, id) == 0)
            return true;
    if (ms_hindex_add(&r->ids, h, (size_t)(uintptr_t)id) != MS_OK)
        c->f.nomem = true;
    return false;
}

/* Where check ci of section si is in the text, or NULL when it was not cut out of the file
 * (ms_jsonpos_hollow). Spans and checks go in the same order; a span not taken is passed by. */
static const ms_json_span *span_of(ctx *c, size_t si, size_t ci)
{
    for (; c->next_span < c->nspans; c->next_span++) {
        const ms_json_span *sp = &c->spans[c->next_span];
        if (sp->index[1] > si || (sp->index[1] == si && sp->index[3] > ci))
            return NULL;
        if (sp->index[1] == si && sp->index[3] == ci)
            return &c->spans[c->next_span++];
    }
    return NULL;
}

/* The checks of the section s at sp, each with its layers. */
static void load_section_checks(ctx *c, const cJSON *checks, const char *cp, const layers *l,
                                ms_section *sec, size_t list_index, size_t si)
{
    ms_fields *f = &c->f;
    sec->checks =
        ms_fields_alloc(f, calloc((size_t)cJSON_GetArraySize(checks), sizeof *sec->checks));
    size_t ci = 0;
    for (const cJSON *o = checks->child; o && sec->checks; o = o->next, ci++) {
        char *op = ms_fields_path_index(f, cp, ci);
        ms_check *ck = NULL;
        const ms_json_span *sp = span_of(c, si, ci);
        cJSON *own = NULL; /* the check, parsed from its span */
        if (sp) {
            if (!(own = ms_alloc_parse(c->text + sp->off, sp->len))) {
                f->nomem = true; /* the scan found it valid: only memory can fail */
                free(op);
                continue;
            }
        }
        load_check(c, own ? own : o, own ? sp : NULL, op, l, &ck);
        ms_alloc_delete(own);
        if (ck && ck->id && id_taken(c, ck->id)) {
            char *ip = ms_fields_path(f, op, "id");
            ms_fields_err(f, ip, false, N_("id \"%s\" is used twice in this run"), ck->id);
            free(ip);
        }
        if (ck) {
            ck->checklist_index = list_index;
            ck->section_index = si;
            if (c->strip_http && ck->kind == MS_KIND_HTTP)
                ms_check_strip(ck);
            sec->checks[sec->nchecks++] = ck;
            if (push_check(c, ck) != MS_OK) {
                c->run->ids_lost = true; /* its id may be in the index */
                ms_check_cleanup(ck);
                free(ck);
                sec->nchecks--;
                f->nomem = true;
            }
        }
        free(op);
    }
}

static void load_sections(ctx *c, const cJSON *root, ms_checklist *cl, size_t list_index)
{
    ms_fields *f = &c->f;
    const cJSON *defaults = cJSON_GetObjectItemCaseSensitive(root, "defaults");
    const cJSON *sections = cJSON_GetObjectItemCaseSensitive(root, "sections");
    if (defaults && ms_field_object(f, defaults, "defaults"))
        ms_fields_check(f, defaults, "defaults", INHERITED, NULL);
    else
        defaults = NULL;
    inherited dfields, sfields;
    find_inherited(defaults, &dfields);
    if (!sections) {
        ms_fields_err(f, "", false, N_("\"sections\" is required"));
        return;
    }
    if (!cJSON_IsArray(sections) || cJSON_GetArraySize(sections) == 0) {
        ms_fields_err(f, "sections", false, N_("must be an array of at least one section"));
        return;
    }
    cl->sections =
        ms_fields_alloc(f, calloc((size_t)cJSON_GetArraySize(sections), sizeof *cl->sections));
    if (!cl->sections)
        return;
    size_t si = 0;
    for (const cJSON *s = sections->child; s; s = s->next, si++) {
        char *sp = ms_fields_path_index(f, "sections", si);
        ms_section *sec = &cl->sections[cl->nsections++];
        if (!ms_field_object(f, s, sp)) {
            free(sp);
            continue;
        }
        ms_fields_check(f, s, sp, SECTION_OWN, INHERITED);
        ms_field_id(f, cJSON_GetObjectItemCaseSensitive(s, "id"), sp, &sec->id);
        if (sec->id && id_taken(c, sec->id)) {
            char *ip = ms_fields_path(f, sp, "id");
            ms_fields_err(f, ip, false, N_("id \"%s\" is used twice in this run"), sec->id);
            free(ip);
        }
        ms_field_opt_string(f, s, sp, "title", &sec->title);
        subst_shown(c, &sec->title, sp, "title");
        if (!sec->title && sec->id)
            sec->title = ms_fields_strdup(f, sec->id);
        const cJSON *checks = cJSON_GetObjectItemCaseSensitive(s, "checks");
        char *cp = ms_fields_path(f, sp, "checks");
        if (!checks || !cJSON_IsArray(checks) || cJSON_GetArraySize(checks) == 0) {
            ms_fields_err(f, checks ? cp : sp, false,
                          N_("\"checks\" must be an array of at least one check"));
        } else {
            find_inherited(s, &sfields);
            layers l = {{NULL, s, defaults}, {NULL, sp, "defaults"}, {NULL, &sfields, &dfields}};
            load_section_checks(c, checks, cp, &l, sec, list_index, si);
        }
        free(cp);
        free(sp);
    }
}

/* The checklist's own fields (format, id, title, description). */
static void load_top(ctx *c, const cJSON *root, ms_checklist *cl)
{
    ms_fields *f = &c->f;
    ms_plan *plan = c->plan;
    ms_fields_check(f, root, "", TOP_FIELDS, NULL);
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "$schema");
    if (schema)
        ms_field_string(f, schema, "$schema");
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(root, "format");
    if (!fmt)
        ms_fields_err(f, "", false, N_("\"format\" is required (1)"));
    else if (!cJSON_IsNumber(fmt) || fmt->valuedouble != 1)
        ms_fields_err(f, "format", false, N_("this tool reads format 1 only"));
    ms_field_id(f, cJSON_GetObjectItemCaseSensitive(root, "id"), "", &cl->id);
    for (size_t i = 0; cl->id && i + 1 < plan->nlists; i++)
        if (plan->lists[i].id && strcmp(plan->lists[i].id, cl->id) == 0)
            /* TRANSLATORS: an id, then the file of the other checklist */
            ms_fields_err(f, "id", false, N_("checklist id \"%s\" is also the id of %s"), cl->id,
                          plan->lists[i].path);
    ms_field_opt_string(f, root, "", "title", &cl->title);
    subst_shown(c, &cl->title, "", "title");
    if (!cl->title && cl->id)
        cl->title = ms_fields_strdup(f, cl->id);
    ms_field_opt_string(f, root, "", "description", &cl->description);
    subst_shown(c, &cl->description, "", "description");
}

/* The number at *s (moved past it) into *n; false when there is none. */
static bool path_index(const char **s, size_t *n)
{
    char *end = NULL;
    if (**s < '0' || **s > '9')
        return false;
    *n = (size_t)strtoull(*s, &end, 10);
    *s = end;
    return true;
}

/* The path of a problem as shown: its section or check named by id (check "home": budget),
 * into b; false when it names none (then it is shown as it is). */
static bool shown_path(const ms_checklist *cl, const char *path, ms_buf *b)
{
    size_t si, ci;
    const char *s = path;
    if (strncmp(s, "sections.", 9) != 0)
        return false;
    s += 9;
    if (!path_index(&s, &si) || si >= cl->nsections || (*s && *s != '.'))
        return false;
    const ms_section *sec = &cl->sections[si];
    const char *rest = s;
    const ms_check *ck = NULL;
    if (strncmp(s, ".checks.", 8) == 0) {
        s += 8;
        if (path_index(&s, &ci) && ci < sec->nchecks && (!*s || *s == '.')) {
            ck = sec->checks[ci];
            rest = s;
        }
    }
    if (ck && !ck->id)
        return false; /* a check without an id (the problem may be that): the path says it */
    if (!ck && !sec->id)
        return false;
    if (ck)
        /* TRANSLATORS: where a problem is: the check's id (a path may follow: check "home":
           budget) */
        ms_buf_printf(b, _("check \"%s\""), ck->id);
    else
        /* TRANSLATORS: where a problem is: the section's id */
        ms_buf_printf(b, _("section \"%s\""), sec->id);
    if (*rest)
        ms_buf_printf(b, ": %s", rest + 1);
    return true;
}

/* Show the paths of the file's problems from first on with their sections and checks named by
 * id: sections.0.checks.5.budget is check "home": budget. */
static void name_paths(ms_fields *f, const ms_checklist *cl, ms_diag *d, size_t first)
{
    ms_buf b;
    ms_buf_init(&b, 0);
    for (size_t i = first; i < d->n && cl->sections; i++) {
        ms_buf_reset(&b);
        if (!shown_path(cl, d->items[i].path, &b))
            continue;
        if (b.failed || ms_diag_show_path(d, i, ms_buf_str(&b)) != MS_OK)
            f->nomem = true;
    }
    ms_buf_cleanup(&b);
}

/* Load one file into plan->lists[plan->nlists], its problems into diag (in file order). Sets
 * *invalid when the file has problems and *nomem when memory ran out. */
static void load_file(ms_plan *plan, run_index *run, ms_diag *diag, const char *path,
                      const ms_load_opts *opts, bool *invalid, bool *nomem)
{
    const ms_var *cli = opts->vars;
    size_t ncli = opts->nvars;
    ms_mapped file = {.fd = -1};
    cJSON *root = NULL;
    ms_jsonpos *pos = NULL;
    char *hollow = NULL;
    size_t hollow_len = 0;
    ms_json_span *spans = NULL;
    ctx c = {
        .f = {.file = path, .diag = diag, .warnings = opts->env_optional ? opts->warnings : NULL},
        .plan = plan,
        .run = run,
        .strip_http = opts->strip_http};
    ms_vars_init(&c.vars, plan);
    c.vars.refs = &run->refs;
    ms_checklist *cl = &plan->lists[plan->nlists];

    char why[256] = "";
    ms_json_error jerr = {0, 0, NULL, NULL};
    ms_status rc = ms_map_file(path, &file, why, sizeof why);
    if (rc == MS_ERR_NOMEM) {
        c.f.nomem = true;
        goto out;
    }
    if (rc != MS_OK) {
        c.f.errors++;
        if (ms_diag_add(diag, path, 0, 0, "", why) != MS_OK)
            c.f.nomem = true;
        goto out;
    }
    rc = ms_jsonpos_build(file.text, file.len, &pos, &jerr);
    if (rc == MS_ERR_INVALID) {
        c.f.errors++;
        if (ms_diag_add_text(diag, path, jerr.line, jerr.col, "", jerr.message, jerr.text) != MS_OK)
            c.f.nomem = true;
        goto out;
    }
    /* the file without its checks, each loaded from its span (see ctx) */
    if (rc == MS_OK)
        rc = ms_jsonpos_hollow(pos, CHECK_PARTS, &hollow, &hollow_len, &spans, &c.nspans);
    if (rc == MS_OK)
        root = ms_alloc_parse(hollow, hollow_len);
    free(hollow); /* the tree has what it holds */
    hollow = NULL;
    if (!root) {
        c.f.nomem = true;
        goto out;
    }
    /* A node for every check and what is above them is not needed again unless a problem is
     * found: the index is made again then. Each check's place is its span's. A valid file of
     * 1,000 checks loads its checks without the 135 KB the index held. */
    ms_jsonpos_shed(pos);
    c.text = file.text;
    c.spans = spans;
    c.f.pos = pos;
    cl->path = ms_fields_strdup(&c.f, path);
    plan->nlists++;
    if (!ms_field_object(&c.f, root, ""))
        goto out;
    /* The variables first: the checklist's own title may use them. */
    ms_vars_load(&c.vars, &c.f, cJSON_GetObjectItemCaseSensitive(root, "vars"), cli, ncli);
    load_top(&c, root, cl);
    load_sections(&c, root, cl, plan->nlists - 1);
    name_paths(&c.f, cl, diag, diag->start);
    if (c.f.warnings)
        name_paths(&c.f, cl, c.f.warnings, c.f.warnings->start);
out:
    /* What was read of a file written to meanwhile may be no version of it: say so. */
    if (ms_mapped_changed(&file)) {
        c.f.errors++;
        if (ms_diag_add(diag, path, 0, 0, "",
                        _("it changed while it was read: run again once it is written")) != MS_OK)
            c.f.nomem = true;
    }
    if (!root || !cJSON_IsObject(root))
        run->refs_unknown = true;
    if (ms_diag_end_file(diag, true) != MS_OK)
        c.f.nomem = true; /* the problems stay in the order they were found */
    if (c.f.warnings && ms_diag_end_file(c.f.warnings, true) != MS_OK)
        c.f.nomem = true;
    *invalid = *invalid || c.f.errors > 0;
    *nomem = *nomem || c.f.nomem;
    ms_json_error_cleanup(&jerr);
    ms_vars_cleanup(&c.vars);
    ms_jsonpos_free(pos);
    ms_alloc_delete(root);
    free(hollow);
    free(spans);
    ms_mapped_close(&file);
}

ms_status ms_plan_load(ms_plan *plan, const char *const *paths, size_t npaths, const ms_var *vars,
                       size_t nvars, ms_diag *diag)
{
    ms_load_opts opts = {.vars = vars, .nvars = nvars};
    return ms_plan_load_opts(plan, paths, npaths, &opts, diag);
}

/* "Did you mean" lookups for the variables given that no file uses: each scans every name used,
 * so they are capped, as for unknown variables (load/vars.c): a vars file of many other
 * checklists' names stays linear. */
#define MS_UNUSED_MAX_SUGGESTIONS 100

ms_status ms_plan_load_opts(ms_plan *plan, const char *const *paths, size_t npaths,
                            const ms_load_opts *opts, ms_diag *diag)
{
    bool invalid = false, nomem = false;
    run_index run = {.ids_lost = false};
    memset(plan, 0, sizeof *plan);
    plan->lists = calloc(npaths ? npaths : 1, sizeof *plan->lists);
    if (!plan->lists)
        return MS_ERR_NOMEM;
    ms_hindex_init(&run.ids);
    ms_var_refs_init(&run.refs);
    for (size_t i = 0; i < npaths; i++)
        load_file(plan, &run, diag, paths[i], opts, &invalid, &nomem);
    size_t suggested = 0;
    for (size_t i = 0; opts->uses && i < opts->nvars && !nomem; i++) {
        ms_var_use *u = &opts->uses[i];
        u->used = run.refs_unknown || ms_var_refs_has(&run.refs, opts->vars[i].name);
        u->near = NULL;
        if (!u->used && run.refs.n > 0 && suggested++ < MS_UNUSED_MAX_SUGGESTIONS) {
            const char *near =
                ms_did_you_mean(opts->vars[i].name, (const char *const *)run.refs.names);
            if (near && !(u->near = strdup(near)))
                nomem = true;
        }
    }
    ms_var_refs_cleanup(&run.refs);
    ms_hindex_cleanup(&run.ids);
    if (nomem)
        return MS_ERR_NOMEM;
    return invalid ? MS_ERR_INVALID : MS_OK;
}
