/* Loading checklists: parse with cJSON, check every field, apply inheritance and variables.
 * All problems are collected and printed at once; nothing is half-loaded. */
#include "ms/checklist.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms/buf.h"
#include "ms/fileio.h"
#include "ms/hash.h"
#include "ms/jsonpos.h"
#include "ms/jsontext.h"
#include "ms/util.h"

typedef struct {
    char *name;
    char *value;
    char *display; /* *** where the value came from the environment */
} var;

/* What the loading of all the files of a run shares: indexes that keep it linear. */
typedef struct {
    ms_hindex ids;   /* hash of an id -> its place in ids_seen */
    char **ids_seen; /* the check and section ids of the run so far (copies) */
    size_t nids, ids_cap;
    size_t checks_cap; /* of plan->checks */
} run_index;

/* One file being loaded. */
typedef struct {
    const char *file;
    ms_jsonpos *pos;
    ms_problem *problems; /* this file's, moved to the plan in file order at the end */
    size_t nproblems, problems_cap;
    ms_hindex problem_index; /* hash of a problem -> its place in problems, to say it once */
    int errors;
    var *vars;
    size_t nvars, vars_cap;
    ms_hindex var_index; /* hash of a variable's name -> its place in vars */
    ms_plan *plan;
    run_index *run;
    bool nomem;
} ctx;

/* Grow array, of *cap elements of size each, to hold at least n, doubling. Returns the array
 * (moved or not), or NULL when out of memory (array is unchanged then). */
static void *grow_array(void *array, size_t *cap, size_t n, size_t size)
{
    if (n <= *cap)
        return array;
    size_t want = *cap ? *cap : 16;
    while (want < n)
        want = want > SIZE_MAX / 2 ? n : want * 2;
    if (want > SIZE_MAX / size)
        return NULL;
    void *p = realloc(array, want * size);
    if (p)
        *cap = want;
    return p;
}

static const char *const TOP_FIELDS[] = {"format", "id",       "title",    "description",
                                         "vars",   "defaults", "sections", NULL};
/* Fields that defaults and sections pass down to checks. */
static const char *const INHERITED[] = {
    "samples",  "timeout_ms", "connection", "headers", "budget", "stat", "factor",
    "audience", "weight",     "critical",   "effort",  "owner",  NULL};
static const char *const SECTION_OWN[] = {"id", "title", "description", "checks", NULL};
static const char *const CHECK_COMMON[] = {
    "id",   "kind",  "title",  "description", "weight",  "critical",   "factor",     "audience",
    "fix",  "owner", "effort", "tags",        "prompt",  "request",    "expect",     "budget",
    "stat", "scale", "pass",   "good",        "samples", "timeout_ms", "connection", NULL};
static const char *const REQUEST_FIELDS[] = {"method",           "url",           "headers", "body",
                                             "follow_redirects", "max_redirects", NULL};
static const char *const EXPECT_FIELDS[] = {
    "status", "headers", "body_contains", "body_not_contains", "json", NULL};
static const char *const BUDGET_FIELDS[] = {"dns_ms",    "connect_ms",  "tls_ms",
                                            "server_ms", "transfer_ms", "ttfb_ms",
                                            "total_ms",  "redirect_ms", NULL};
static const char *const KINDS[] = {"http", "stopwatch", "rating", "yesno", NULL};
static const char *const FACTORS[] = {"product", "people", "convenience", NULL};
static const char *const AUDIENCES[] = {"external", "internal", NULL};
static const char *const STATS[] = {"median", "p90", "p95", "max", "mean", "min", NULL};
static const char *const EFFORTS[] = {"s", "m", "l", NULL};
static const char *const CONNECTIONS[] = {"cold", "warm", NULL};

static uint64_t problem_hash(int line, int col, const char *path, const char *message)
{
    uint64_t h = ms_hash_add(MS_HASH_INIT, &line, sizeof line);
    h = ms_hash_add(h, &col, sizeof col);
    h = ms_hash_add(h, path, strlen(path) + 1);
    return ms_hash_add(h, message, strlen(message));
}

static void add_problem(ctx *c, int line, int col, const char *path, char *message)
{
    ms_problem *grown =
        grow_array(c->problems, &c->problems_cap, c->nproblems + 1, sizeof *c->problems);
    bool room = grown != NULL;
    if (grown)
        c->problems = grown;
    char *file = strdup(c->file), *p = strdup(path);
    if (!room || !file || !p || !message ||
        ms_hindex_add(&c->problem_index, problem_hash(line, col, path, message), c->nproblems) !=
            MS_OK) {
        c->nomem = true;
        free(file);
        free(p);
        free(message);
        return;
    }
    c->problems[c->nproblems++] = (ms_problem){file, line, col, p, message};
    c->errors++;
}

/* Record a problem at the place indexed as where (usually path itself), once. */
static void vreport(ctx *c, const char *where, const char *path, bool key, const char *fmt,
                    va_list ap)
{
    ms_buf msg;
    int line = 1, col = 1;
    if (!where || !path) {
        c->nomem = true; /* a path could not be made: out of memory */
        return;
    }
    ms_buf_init(&msg, 0);
    ms_jsonpos_find(c->pos, where, key, &line, &col);
    ms_buf_vprintf(&msg, fmt, ap);
    /* Inherited fields are checked once per check that inherits them: say each thing once. */
    size_t it = 0, i;
    uint64_t h = problem_hash(line, col, path, ms_buf_str(&msg));
    while (ms_hindex_next(&c->problem_index, h, &it, &i)) {
        const ms_problem *q = &c->problems[i];
        if (q->line == line && q->col == col && strcmp(q->path, path) == 0 &&
            strcmp(q->message, ms_buf_str(&msg)) == 0) {
            ms_buf_cleanup(&msg);
            return;
        }
    }
    add_problem(c, line, col, path, ms_buf_take(&msg));
}

typedef struct {
    ms_problem p;
    size_t found; /* the order it was found in, for ties */
} sorted_problem;

static int problem_cmp(const void *a, const void *b)
{
    const sorted_problem *x = a, *y = b;
    if (x->p.line != y->p.line)
        return x->p.line < y->p.line ? -1 : 1;
    if (x->p.col != y->p.col)
        return x->p.col < y->p.col ? -1 : 1;
    return (x->found > y->found) - (x->found < y->found);
}

/* Move the file's problems to the plan, in file order (on a tie, in the order they were
 * found). */
static void flush_problems(ctx *c)
{
    ms_plan *plan = c->plan;
    ms_hindex_cleanup(&c->problem_index);
    if (c->nproblems > 1) {
        sorted_problem *tmp = malloc(c->nproblems * sizeof *tmp);
        if (tmp) {
            for (size_t i = 0; i < c->nproblems; i++)
                tmp[i] = (sorted_problem){c->problems[i], i};
            qsort(tmp, c->nproblems, sizeof *tmp, problem_cmp);
            for (size_t i = 0; i < c->nproblems; i++)
                c->problems[i] = tmp[i].p;
            free(tmp);
        } else {
            c->nomem = true; /* the problems stay in the order they were found */
        }
    }
    ms_problem *all = c->nproblems
                          ? realloc(plan->problems, (plan->nproblems + c->nproblems) * sizeof *all)
                          : plan->problems;
    if (c->nproblems && !all) {
        c->nomem = true;
        for (size_t i = 0; i < c->nproblems; i++) {
            free(c->problems[i].file);
            free(c->problems[i].path);
            free(c->problems[i].message);
        }
    } else if (c->nproblems) {
        memcpy(all + plan->nproblems, c->problems, c->nproblems * sizeof *all);
        plan->problems = all;
        plan->nproblems += c->nproblems;
    }
    free(c->problems);
    c->problems = NULL;
    c->nproblems = 0;
    c->problems_cap = 0;
}

static void err(ctx *c, const char *path, bool key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void err(ctx *c, const char *path, bool key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(c, path, path, key, fmt, ap);
    va_end(ap);
}

static void err_at(ctx *c, const char *where, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void err_at(ctx *c, const char *where, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(c, where, path, true, fmt, ap);
    va_end(ap);
}

/* "base.name" (caller frees); NULL when out of memory or when base is NULL. */
/* strdup that records running out of memory in the load, so that a load with a missing
 * string never passes for a good one. NULL for NULL. */
static char *xstrdup(ctx *c, const char *s)
{
    char *d = s ? strdup(s) : NULL;
    if (s && !d)
        c->nomem = true;
    return d;
}

/* Note an allocation that came back NULL; returns p. */
static void *xcheck(ctx *c, void *p)
{
    if (!p)
        c->nomem = true;
    return p;
}

static char *path_join(const char *base, const char *name)
{
    ms_buf b;
    if (!base)
        return NULL;
    ms_buf_init(&b, 0);
    if (*base)
        ms_buf_printf(&b, "%s.%s", base, name);
    else
        ms_buf_adds(&b, name);
    return ms_buf_take(&b);
}

static char *path_index(const char *base, size_t i)
{
    ms_buf b;
    if (!base)
        return NULL;
    ms_buf_init(&b, 0);
    ms_buf_printf(&b, "%s.%zu", base, i);
    return ms_buf_take(&b);
}

static bool in_list(const char *s, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

static int index_of(const char *s, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(s, list[i]) == 0)
            return i;
    return -1;
}

/* Report fields of obj that are not in any of the allowed lists, and duplicated keys. */
static void check_fields(ctx *c, const cJSON *obj, const char *path, const char *const *a,
                         const char *const *b)
{
    /* How often each key was given so far: the first child with the key counts them all. */
    size_t n = 0;
    for (const cJSON *it = obj->child; it; it = it->next)
        n++;
    const cJSON **kids = calloc(n ? n : 1, sizeof *kids);
    size_t *times = calloc(n ? n : 1, sizeof *times);
    ms_hindex index;
    ms_hindex_init(&index);
    if (!kids || !times)
        c->nomem = true;
    size_t k = 0;
    for (const cJSON *it = obj->child; it && kids && times; it = it->next, k++) {
        char *p = path_join(path, it->string);
        if (!p) {
            c->nomem = true; /* else a repeated field would go unreported */
            continue;
        }
        uint64_t h = ms_hash_str(it->string);
        size_t cur = 0, j, first = k;
        while (first == k && ms_hindex_next(&index, h, &cur, &j))
            if (strcmp(kids[j]->string, it->string) == 0)
                first = j;
        kids[k] = it;
        if (first == k && ms_hindex_add(&index, h, k) != MS_OK)
            c->nomem = true;
        size_t seen = ++times[first];
        if (seen > 1) {
            ms_buf where;
            ms_buf_init(&where, 0);
            ms_buf_printf(&where, "%s#%zu", p, seen);
            char *w = xcheck(c, ms_buf_take(&where));
            if (w)
                err_at(c, w, p, "field \"%s\" is given twice", it->string);
            free(w);
        }
        if (!in_list(it->string, a) && !(b && in_list(it->string, b))) {
            const char *near = ms_did_you_mean(it->string, a);
            if (!near && b)
                near = ms_did_you_mean(it->string, b);
            if (near)
                err(c, p, true, "unknown field \"%s\" (did you mean \"%s\"?)", it->string, near);
            else
                err(c, p, true, "unknown field \"%s\"", it->string);
        }
        free(p);
    }
    ms_hindex_cleanup(&index);
    free(kids);
    free(times);
}

static const char *type_name(const cJSON *v)
{
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsBool(v))
        return "true or false";
    if (cJSON_IsNull(v))
        return "null";
    if (cJSON_IsArray(v))
        return "an array";
    return "an object";
}

static bool want_string(ctx *c, const cJSON *v, const char *path)
{
    if (cJSON_IsString(v))
        return true;
    err(c, path, false, "must be a string, not %s", type_name(v));
    return false;
}

static bool want_object(ctx *c, const cJSON *v, const char *path)
{
    if (cJSON_IsObject(v))
        return true;
    err(c, path, false, "must be an object, not %s", type_name(v));
    return false;
}

static bool want_number(ctx *c, const cJSON *v, const char *path, double lo, double hi, bool whole,
                        double *out)
{
    if (!cJSON_IsNumber(v)) {
        err(c, path, false, "must be a number, not %s", type_name(v));
        return false;
    }
    double d = v->valuedouble;
    if ((whole && d != floor(d)) || d < lo || d > hi) {
        err(c, path, false, "must be %s from %g to %g, not %g",
            whole ? "a whole number" : "a number", lo, hi, d);
        return false;
    }
    *out = d;
    return true;
}

static int want_enum(ctx *c, const cJSON *v, const char *path, const char *const *names)
{
    if (!want_string(c, v, path))
        return -1;
    int i = index_of(v->valuestring, names);
    if (i >= 0)
        return i;
    ms_buf opts;
    ms_buf_init(&opts, 0);
    for (size_t k = 0; names[k]; k++)
        ms_buf_printf(&opts, "%s\"%s\"", k ? ", " : "", names[k]);
    if (opts.failed) {
        c->nomem = true; /* else a message that lists none or some of the names */
        ms_buf_cleanup(&opts);
        return -1;
    }
    const char *near = ms_did_you_mean(v->valuestring, names);
    if (near)
        err(c, path, false, "\"%s\" is not one of %s (did you mean \"%s\"?)", v->valuestring,
            ms_buf_str(&opts), near);
    else
        err(c, path, false, "\"%s\" is not one of %s", v->valuestring, ms_buf_str(&opts));
    ms_buf_cleanup(&opts);
    return -1;
}

static bool valid_id(const char *s)
{
    if (!isalnum((unsigned char)*s))
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
            return false;
    return true;
}

static char *want_id(ctx *c, const cJSON *v, const char *path)
{
    if (!v) {
        err(c, path, false, "\"id\" is required");
        return NULL;
    }
    char *p = path_join(path, "id");
    char *id = NULL;
    if (want_string(c, v, p)) {
        if (valid_id(v->valuestring))
            id = xstrdup(c, v->valuestring);
        else
            err(c, p, false,
                "\"%s\" is not a valid id (letters, digits, '.', '_', '-'; "
                "starting with a letter or digit)",
                v->valuestring);
    }
    free(p);
    return id;
}

/* ---- variables ---- */

static var *find_var(const ctx *c, const char *name, size_t len)
{
    size_t it = 0, i;
    uint64_t h = ms_hash_add(MS_HASH_INIT, name, len);
    while (ms_hindex_next(&c->var_index, h, &it, &i))
        if (strlen(c->vars[i].name) == len && strncmp(c->vars[i].name, name, len) == 0)
            return &c->vars[i];
    return NULL;
}

/* Keep an environment variable's value as a secret; remember the names of those too short to
 * hide, which run refuses. */
static void add_secret(ctx *c, const char *name, const char *value)
{
    ms_plan *p = c->plan;
    if (ms_secrets_add(&p->secrets, value) != MS_OK)
        c->nomem = true;
    if (ms_utf8_length(value, strlen(value)) >= MS_SECRET_MIN)
        return; /* characters, not bytes: "ééé" is as short as "abc" */
    for (size_t i = 0; i < p->nshort_secrets; i++)
        if (strcmp(p->short_secrets[i], name) == 0)
            return;
    char **v = realloc(p->short_secrets, (p->nshort_secrets + 1) * sizeof *v);
    if (!v) {
        c->nomem = true;
        return;
    }
    p->short_secrets = v;
    if ((p->short_secrets[p->nshort_secrets] = strdup(name)))
        p->nshort_secrets++;
    else
        c->nomem = true;
}

/* How a substituted value is written into the text around it. */
typedef enum {
    SUBST_RAW, /* as it is */
    SUBST_JSON /* the text is JSON: inside a JSON string, the value is escaped as one */
} subst_mode;

/* Follow the JSON string state over the literal text s[0, n). */
static void json_state(const char *s, size_t n, bool *in_string, bool *escaped)
{
    for (size_t i = 0; i < n; i++) {
        if (!*in_string)
            *in_string = s[i] == '"';
        else if (*escaped)
            *escaped = false;
        else if (s[i] == '\\')
            *escaped = true;
        else if (s[i] == '"')
            *in_string = false;
    }
}

/* Substitute {{name}} and {{env.NAME}} in s, writing each value as mode says. Sets *value and
 * *display (caller frees both). env_only: only {{env.NAME}} is allowed (inside "vars" values). */
static bool substitute_as(ctx *c, const char *s, const char *path, bool env_only, subst_mode mode,
                          char **value, char **display)
{
    ms_buf v, d, envname;
    bool ok = true, in_string = false, escaped = false;
    ms_buf_init(&v, 0);
    ms_buf_init(&d, 0);
    ms_buf_init(&envname, 0);
    const char *p = s;
    while (*p) {
        const char *open = strstr(p, "{{");
        if (!open) {
            ms_buf_adds(&v, p);
            ms_buf_adds(&d, p);
            break;
        }
        ms_buf_add(&v, p, (size_t)(open - p));
        ms_buf_add(&d, p, (size_t)(open - p));
        json_state(p, (size_t)(open - p), &in_string, &escaped);
        const char *close = strstr(open + 2, "}}");
        if (!close) {
            err(c, path, false, "\"{{\" without a closing \"}}\"");
            ok = false;
            break;
        }
        const char *name = open + 2;
        size_t len = (size_t)(close - name);
        while (len && isspace((unsigned char)*name)) {
            name++;
            len--;
        }
        while (len && isspace((unsigned char)name[len - 1]))
            len--;
        const char *val = NULL, *shown = NULL;
        if (len > 4 && strncmp(name, "env.", 4) == 0) {
            ms_buf_reset(&envname);
            ms_buf_add(&envname, name + 4, len - 4);
            const char *ev = getenv(ms_buf_str(&envname));
            if (!ev) {
                err(c, path, false, "environment variable %s is not set", ms_buf_str(&envname));
                ok = false;
            } else {
                val = ev;
                shown = "***";
                add_secret(c, ms_buf_str(&envname), ev);
            }
        } else {
            const var *x = env_only ? NULL : find_var(c, name, len);
            if (env_only) {
                err(c, path, false, "a variable's value may use only {{env.NAME}}, not {{%.*s}}",
                    (int)len, name);
                ok = false;
            } else if (!x) {
                err(c, path, false,
                    "unknown variable {{%.*s}} (define it in \"vars\" or with --var)", (int)len,
                    name);
                ok = false;
            } else {
                val = x->value;
                shown = x->display;
            }
        }
        if (val && mode == SUBST_JSON && in_string) {
            ms_buf_add_json(&v, val);
            ms_buf_add_json(&d, shown);
        } else if (val) {
            ms_buf_adds(&v, val);
            ms_buf_adds(&d, shown);
        }
        p = close + 2;
    }
    *value = ms_buf_take(&v);
    *display = ms_buf_take(&d);
    if (!*value || !*display || envname.failed) {
        c->nomem = true;
        ok = false;
    }
    ms_buf_cleanup(&envname);
    return ok;
}

/* substitute_as for text that is not JSON. */
static bool substitute(ctx *c, const char *s, const char *path, bool env_only, char **value,
                       char **display)
{
    return substitute_as(c, s, path, env_only, SUBST_RAW, value, display);
}

static void free_vars(var *vars, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(vars[i].name);
        free(vars[i].value);
        free(vars[i].display);
    }
    free(vars);
}

static void set_var(ctx *c, const char *name, char *value, char *display)
{
    var *old = find_var(c, name, strlen(name));
    if (old) {
        free(old->value);
        free(old->display);
        old->value = value;
        old->display = display;
        return;
    }
    char *copy = strdup(name);
    var *grown = grow_array(c->vars, &c->vars_cap, c->nvars + 1, sizeof *grown);
    if (grown)
        c->vars = grown;
    if (!copy || !value || !display || !grown ||
        ms_hindex_add(&c->var_index, ms_hash_str(name), c->nvars) != MS_OK) {
        c->nomem = true;
        free(copy);
        free(value);
        free(display);
        return;
    }
    c->vars[c->nvars++] = (var){copy, value, display};
}

static void load_vars(ctx *c, const cJSON *vars, const ms_var *cli, size_t ncli)
{
    if (vars && want_object(c, vars, "vars")) {
        for (const cJSON *it = vars->child; it; it = it->next) {
            char *p = path_join("vars", it->string);
            char *value = NULL, *display = NULL;
            if (!valid_id(it->string))
                err(c, p, true, "\"%s\" is not a valid variable name", it->string);
            else if (want_string(c, it, p) &&
                     substitute(c, it->valuestring, p, true, &value, &display))
                set_var(c, it->string, value, display);
            else {
                free(value);
                free(display);
            }
            free(p);
        }
    }
    for (size_t i = 0; i < ncli; i++)
        set_var(c, cli[i].name, xstrdup(c, cli[i].value), xstrdup(c, cli[i].value));
}

/* ---- inheritance ---- */

#define NINHERITED (sizeof INHERITED / sizeof INHERITED[0] - 1)

/* The inherited fields of a section or of the defaults, looked up once for all their checks
 * (looking them up again for each check would take checks times fields). */
typedef struct {
    const cJSON *field[NINHERITED]; /* by index in INHERITED; the first one given */
} inherited;

static void find_inherited(const cJSON *obj, inherited *out)
{
    memset(out, 0, sizeof *out);
    for (const cJSON *it = obj ? obj->child : NULL; it; it = it->next) {
        int i = index_of(it->string, INHERITED);
        if (i >= 0 && !out->field[i])
            out->field[i] = it;
    }
}

/* The layers a check's fields come from, most specific first: the check, its section, the
 * defaults. */
typedef struct {
    const cJSON *obj[3];
    const char *path[3];
    const inherited *fields[3]; /* for the section and the defaults; NULL for the check */
} layers;

/* Field name of layer i, or NULL. */
static const cJSON *layer_field(const layers *l, int i, const char *name)
{
    if (!l->obj[i])
        return NULL;
    int k = l->fields[i] ? index_of(name, INHERITED) : -1;
    if (k >= 0)
        return l->fields[i]->field[k];
    return cJSON_GetObjectItemCaseSensitive(l->obj[i], name);
}

/* The value of an inherited field and the path it was found at, or NULL. */
static const cJSON *inherit(const layers *l, const char *name, char **path)
{
    for (int i = 0; i < 3; i++) {
        const cJSON *v = layer_field(l, i, name);
        if (v) {
            *path = path_join(l->path[i], name);
            return v;
        }
    }
    *path = NULL;
    return NULL;
}

static char **string_list(ctx *c, const cJSON *v, const char *path, size_t *n)
{
    char **out = NULL;
    *n = 0;
    if (cJSON_IsString(v)) {
        out = xcheck(c, malloc(sizeof *out));
        if (out && (out[0] = xstrdup(c, v->valuestring)))
            *n = 1;
        return out;
    }
    if (!cJSON_IsArray(v)) {
        err(c, path, false, "must be a string or an array of strings, not %s", type_name(v));
        return NULL;
    }
    out = calloc((size_t)cJSON_GetArraySize(v) + 1, sizeof *out);
    if (!out) {
        c->nomem = true;
        return NULL;
    }
    size_t i = 0;
    for (const cJSON *it = v->child; it; it = it->next, i++) {
        char *p = path_index(path, i);
        if (want_string(c, it, p))
            if ((out[*n] = xstrdup(c, it->valuestring)))
                (*n)++;
        free(p);
    }
    return out;
}

/* Does s hold a control character (tab allowed when tab)? A line break in a header value or a
 * URL would let a value write more of the request than its own field. */
static bool has_control(const char *s, bool tab)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && !(tab && *p == '\t')) || *p == 0x7f)
            return true;
    return false;
}

/* Does the content type in headers say JSON (application/json, application/ld+json, ...)? */
static bool json_content_type(const ms_header *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strcasecmp(h[i].name, "content-type") != 0)
            continue;
        for (const char *v = h[i].value; *v; v++)
            if (strncasecmp(v, "json", 4) == 0)
                return true;
    }
    return false;
}

/* Headers from an object of strings; merged over what *h already holds (same name: replaced). */
static uint64_t header_hash(const char *name)
{
    return ms_hash_add_lower(MS_HASH_INIT, name, strlen(name));
}

static void merge_headers(ctx *c, const cJSON *obj, const char *path, ms_header **h, size_t *n,
                          bool subst)
{
    if (!want_object(c, obj, path))
        return;
    /* The headers so far by name, without regard to case. */
    ms_hindex names;
    ms_hindex_init(&names);
    for (size_t k = 0; k < *n; k++)
        if (ms_hindex_add(&names, header_hash((*h)[k].name), k) != MS_OK)
            c->nomem = true;
    for (const cJSON *it = obj->child; it; it = it->next) {
        char *p = path_join(path, it->string);
        char *value = NULL, *display = NULL;
        if (!*it->string || has_control(it->string, false) || strpbrk(it->string, ": ")) {
            err(c, p, true, "\"%s\" is not a valid header name", it->string);
        } else if (want_string(c, it, p)) {
            if (!subst) {
                value = xstrdup(c, it->valuestring);
                display = xstrdup(c, it->valuestring);
            } else if (!substitute(c, it->valuestring, p, false, &value, &display)) {
                free(value);
                free(display);
                value = display = NULL;
            }
            /* Checked as sent, after substitution: a variable must not add a header. */
            if (value && strpbrk(value, "\r\n"))
                err(c, p, false, "a header value cannot contain a line break");
            else if (value && has_control(value, true))
                err(c, p, false, "a header value cannot contain control characters");
            if (value && has_control(value, true)) {
                free(value);
                value = NULL;
            }
        }
        if (!value || !display) {
            free(value);
            free(display);
            value = display = NULL;
        }
        if (value) {
            uint64_t hh = header_hash(it->string);
            size_t cur = 0, j, k = *n;
            while (k == *n && ms_hindex_next(&names, hh, &cur, &j))
                if (strcasecmp((*h)[j].name, it->string) == 0)
                    k = j;
            if (k == *n) {
                /* Only this function grows header lists, to 4, 8, 16... entries: the
                 * capacity follows from the count (growing one at a time could copy the list
                 * each time, quadratically). */
                bool full = *n == 0 || (*n >= 4 && (*n & (*n - 1)) == 0);
                size_t cap = *n == 0 ? 4 : *n * 2;
                ms_header *grown = !full                         ? *h
                                   : cap > SIZE_MAX / sizeof **h ? NULL
                                                                 : realloc(*h, cap * sizeof **h);
                if (!grown) {
                    c->nomem = true;
                    free(value);
                    free(display);
                    free(p);
                    break;
                }
                *h = grown;
                (*h)[k] = (ms_header){xstrdup(c, it->string), NULL, NULL};
                if (!(*h)[k].name || ms_hindex_add(&names, hh, k) != MS_OK) {
                    c->nomem = true;
                    free((*h)[k].name);
                    free(value);
                    free(display);
                    free(p);
                    break;
                }
                (*n)++;
            }
            free((*h)[k].value);
            free((*h)[k].display);
            (*h)[k].value = value;
            (*h)[k].display = display;
        }
        free(p);
    }
    ms_hindex_cleanup(&names);
}

static void load_budget(ctx *c, const cJSON *b, const char *path, ms_check *ck)
{
    if (!want_object(c, b, path))
        return;
    check_fields(c, b, path, BUDGET_FIELDS, NULL);
    for (const cJSON *it = b->child; it; it = it->next) {
        int ph = index_of(it->string, BUDGET_FIELDS);
        char *p = path_join(path, it->string);
        double ms;
        if (ph >= 0 && cJSON_IsNumber(it) && it->valuedouble <= 0)
            err(c, p, false, "a budget must be more than 0 ms, not %g", it->valuedouble);
        else if (ph >= 0 && want_number(c, it, p, 0, 86400000, false, &ms))
            ck->budget_us[ph] = (int64_t)llround(ms * 1000.0);
        if (ph >= 0 && ck->kind != MS_KIND_HTTP && ph != MS_PH_TOTAL)
            err(c, p, true, "a %s check has only a \"total_ms\" budget", ms_kind_name(ck->kind));
        free(p);
    }
}

static void load_request(ctx *c, const cJSON *r, const char *path, ms_check *ck)
{
    char *p = NULL;
    if (!want_object(c, r, path))
        return;
    check_fields(c, r, path, REQUEST_FIELDS, NULL);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(r, "method");
    ck->method = xstrdup(c, "GET");
    if (v) {
        p = path_join(path, "method");
        if (want_string(c, v, p)) {
            bool ok = *v->valuestring != '\0';
            for (const char *s = v->valuestring; *s; s++)
                ok = ok && isupper((unsigned char)*s);
            if (ok) {
                free(ck->method);
                ck->method = xstrdup(c, v->valuestring);
            } else {
                err(c, p, false, "\"%s\" is not an HTTP method (GET, POST, ... in capitals)",
                    v->valuestring);
            }
        }
        free(p);
    }
    v = cJSON_GetObjectItemCaseSensitive(r, "url");
    p = path_join(path, "url");
    if (!v) {
        err(c, path, false, "\"url\" is required");
    } else if (want_string(c, v, p) &&
               substitute(c, v->valuestring, p, false, &ck->url, &ck->url_display)) {
        if (strncasecmp(ck->url, "http://", 7) != 0 && strncasecmp(ck->url, "https://", 8) != 0)
            err(c, p, false, "\"%s\" is not an http:// or https:// URL", ck->url_display);
        else if (has_control(ck->url, false))
            err(c, p, false, "a URL cannot contain control characters");
    }
    free(p);
    v = cJSON_GetObjectItemCaseSensitive(r, "headers");
    if (v) {
        p = path_join(path, "headers");
        merge_headers(c, v, p, &ck->headers, &ck->nheaders, true);
        free(p);
    }
    v = cJSON_GetObjectItemCaseSensitive(r, "body");
    if (v && !cJSON_IsNull(v)) {
        p = path_join(path, "body");
        if (cJSON_IsString(v)) {
            /* Text with a JSON content type is JSON: values inside its strings are escaped. */
            subst_mode mode = json_content_type(ck->headers, ck->nheaders) ? SUBST_JSON : SUBST_RAW;
            substitute_as(c, v->valuestring, p, false, mode, &ck->body, &ck->body_display);
        } else if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
            /* A JSON body: sent compact, with a JSON content type unless one is given; every
             * variable in it sits in a string, and is escaped as one. */
            char *text = xcheck(c, cJSON_PrintUnformatted(v));
            if (text)
                substitute_as(c, text, p, false, SUBST_JSON, &ck->body, &ck->body_display);
            free(text);
            bool has_ct = false;
            for (size_t i = 0; i < ck->nheaders; i++)
                has_ct = has_ct || strcasecmp(ck->headers[i].name, "content-type") == 0;
            if (!has_ct) {
                cJSON *ct = cJSON_CreateObject();
                if (!cJSON_AddStringToObject(ct, "Content-Type", "application/json"))
                    c->nomem = true; /* also when ct is NULL */
                else
                    merge_headers(c, ct, p, &ck->headers, &ck->nheaders, false);
                cJSON_Delete(ct);
            }
        } else {
            err(c, p, false, "must be a string, a JSON object or array, or null, not %s",
                type_name(v));
        }
        free(p);
    }
    ck->follow_redirects = true;
    v = cJSON_GetObjectItemCaseSensitive(r, "follow_redirects");
    if (v) {
        p = path_join(path, "follow_redirects");
        if (cJSON_IsBool(v))
            ck->follow_redirects = cJSON_IsTrue(v);
        else
            err(c, p, false, "must be true or false, not %s", type_name(v));
        free(p);
    }
    ck->max_redirects = 5;
    v = cJSON_GetObjectItemCaseSensitive(r, "max_redirects");
    if (v) {
        double d;
        p = path_join(path, "max_redirects");
        if (want_number(c, v, p, 0, 50, true, &d))
            ck->max_redirects = (long)d;
        free(p);
    }
}

static void load_expect(ctx *c, const cJSON *e, const char *path, ms_check *ck)
{
    char *p = NULL;
    if (!want_object(c, e, path))
        return;
    check_fields(c, e, path, EXPECT_FIELDS, NULL);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, "status");
    if (v) {
        p = path_join(path, "status");
        size_t n = cJSON_IsArray(v) ? (size_t)cJSON_GetArraySize(v) : 1;
        ck->expect_status = xcheck(c, calloc(n ? n : 1, sizeof *ck->expect_status));
        if (cJSON_IsArray(v) && n == 0)
            err(c, p, false, "must list at least one status");
        const cJSON *it = cJSON_IsArray(v) ? v->child : v;
        for (size_t i = 0; i < n && it && ck->expect_status; i++, it = it->next) {
            char *ip = cJSON_IsArray(v) ? path_index(p, i) : xstrdup(c, p);
            double d;
            if (want_number(c, it, ip, 100, 599, true, &d))
                ck->expect_status[ck->nexpect_status++] = (long)d;
            free(ip);
        }
        free(p);
    }
    v = cJSON_GetObjectItemCaseSensitive(e, "headers");
    if (v) {
        p = path_join(path, "headers");
        merge_headers(c, v, p, &ck->expect_headers, &ck->nexpect_headers, true);
        free(p);
    }
    v = cJSON_GetObjectItemCaseSensitive(e, "body_contains");
    if (v) {
        p = path_join(path, "body_contains");
        ck->body_contains = string_list(c, v, p, &ck->nbody_contains);
        free(p);
    }
    v = cJSON_GetObjectItemCaseSensitive(e, "body_not_contains");
    if (v) {
        p = path_join(path, "body_not_contains");
        ck->body_not_contains = string_list(c, v, p, &ck->nbody_not_contains);
        free(p);
    }
    v = cJSON_GetObjectItemCaseSensitive(e, "json");
    if (v) {
        p = path_join(path, "json");
        if (want_object(c, v, p)) {
            ck->expect_json =
                xcheck(c, calloc((size_t)cJSON_GetArraySize(v) + 1, sizeof *ck->expect_json));
            for (const cJSON *it = v->child; it && ck->expect_json; it = it->next) {
                char *ip = path_join(p, it->string);
                bool ok = *it->string != '\0';
                for (const char *s = it->string; *s; s++)
                    ok = ok && !(s[0] == '.' && (s[1] == '.' || s[1] == '\0'));
                if (!ok || it->string[0] == '.')
                    err(c, ip, true, "\"%s\" is not a dot path such as \"items.0.id\"", it->string);
                else {
                    ms_json_expect je = {xstrdup(c, it->string),
                                         xcheck(c, cJSON_PrintUnformatted(it))};
                    if (je.path && je.value)
                        ck->expect_json[ck->nexpect_json++] = je;
                    else {
                        free(je.path);
                        free(je.value);
                    }
                }
                free(ip);
            }
        }
        free(p);
    }
}

/* Fields that belong to one kind only. */
static bool field_fits_kind(const char *f, ms_kind k)
{
    static const char *const http_only[] = {"request",    "expect",     "stat", "samples",
                                            "timeout_ms", "connection", NULL};
    if (in_list(f, http_only))
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

static char *opt_string(ctx *c, const cJSON *obj, const char *path, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    char *out = NULL;
    if (!v)
        return NULL;
    char *p = path_join(path, name);
    if (want_string(c, v, p))
        out = xstrdup(c, v->valuestring);
    free(p);
    return out;
}

/* Apply the fields a check inherits (defaults, then section, then its own). */
static void load_inherited(ctx *c, const layers *l, ms_check *ck)
{
    char *p = NULL;
    const cJSON *v;
    double d;
    int i;

    ck->factor = MS_FACTOR_CONVENIENCE;
    if ((v = inherit(l, "factor", &p)) && (i = want_enum(c, v, p, FACTORS)) >= 0)
        ck->factor = (ms_factor)i;
    free(p);
    ck->audience = MS_AUD_EXTERNAL;
    if ((v = inherit(l, "audience", &p)) && (i = want_enum(c, v, p, AUDIENCES)) >= 0)
        ck->audience = (ms_audience)i;
    free(p);
    ck->weight = 1;
    if ((v = inherit(l, "weight", &p))) {
        if (cJSON_IsNumber(v) && v->valuedouble <= 0)
            err(c, p, false, "a weight must be more than 0, not %g", v->valuedouble);
        else if (want_number(c, v, p, 0, 1e6, false, &d))
            ck->weight = d;
    }
    free(p);
    if ((v = inherit(l, "critical", &p))) {
        if (cJSON_IsBool(v))
            ck->critical = cJSON_IsTrue(v);
        else
            err(c, p, false, "must be true or false, not %s", type_name(v));
    }
    free(p);
    ck->effort = 2;
    if ((v = inherit(l, "effort", &p)) && (i = want_enum(c, v, p, EFFORTS)) >= 0)
        ck->effort = i == 0 ? 1 : i == 1 ? 2 : 4;
    free(p);
    if ((v = inherit(l, "owner", &p)) && want_string(c, v, p))
        ck->owner = xstrdup(c, v->valuestring);
    free(p);

    /* The rest are about HTTP requests: a stopwatch check keeps its own budget only. */
    for (size_t k = 0; k < MS_PH_COUNT; k++)
        ck->budget_us[k] = -1;
    if (ck->kind != MS_KIND_HTTP) {
        v = cJSON_GetObjectItemCaseSensitive(l->obj[0], "budget");
        if (v) {
            p = path_join(l->path[0], "budget");
            load_budget(c, v, p, ck);
            free(p);
        }
        return;
    }
    if ((v = inherit(l, "budget", &p)))
        load_budget(c, v, p, ck);
    free(p);
    ck->stat = MS_STAT_MEDIAN;
    if ((v = inherit(l, "stat", &p)) && (i = want_enum(c, v, p, STATS)) >= 0)
        ck->stat = (ms_stat)i;
    free(p);
    ck->samples = 5;
    if ((v = inherit(l, "samples", &p)) && want_number(c, v, p, 1, 1000, true, &d))
        ck->samples = (int)d;
    free(p);
    ck->timeout_us = 10 * 1000000;
    if ((v = inherit(l, "timeout_ms", &p)) && want_number(c, v, p, 1, 3600000, true, &d))
        ck->timeout_us = (int64_t)d * 1000;
    free(p);
    if ((v = inherit(l, "connection", &p)) && (i = want_enum(c, v, p, CONNECTIONS)) >= 0)
        ck->warm = i == 1;
    free(p);
    /* Headers merge: defaults, then section, then the request's own. */
    for (int k = 2; k >= 1; k--) {
        v = layer_field(l, k, "headers");
        if (v) {
            p = path_join(l->path[k], "headers");
            merge_headers(c, v, p, &ck->headers, &ck->nheaders, true);
            free(p);
        }
    }
}

static void load_manual(ctx *c, const cJSON *o, const char *path, ms_check *ck)
{
    const cJSON *v;
    char *p = NULL;
    ck->prompt = opt_string(c, o, path, "prompt");
    if (ck->kind == MS_KIND_RATING) {
        ck->scale_lo = 1;
        ck->scale_hi = 5;
        bool scale_ok = true;
        if ((v = cJSON_GetObjectItemCaseSensitive(o, "scale"))) {
            p = path_join(path, "scale");
            double lo, hi;
            char *p0 = path_index(p, 0), *p1 = path_index(p, 1);
            if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2) {
                err(c, p, false, "must be two numbers [low, high]");
                scale_ok = false;
            } else if (want_number(c, v->child, p0, -1e6, 1e6, false, &lo) &&
                       want_number(c, v->child->next, p1, -1e6, 1e6, false, &hi)) {
                if (lo >= hi) {
                    err(c, p, false, "the low end (%g) must be below the high end (%g)", lo, hi);
                    scale_ok = false;
                } else {
                    ck->scale_lo = lo;
                    ck->scale_hi = hi;
                }
            } else {
                scale_ok = false;
            }
            free(p0);
            free(p1);
            free(p);
        }
        /* Without "pass": three quarters of the way up the scale (4 on 1-5). */
        ck->pass = ck->scale_lo + 0.75 * (ck->scale_hi - ck->scale_lo);
        if ((v = cJSON_GetObjectItemCaseSensitive(o, "pass"))) {
            p = path_join(path, "pass");
            double d;
            if (cJSON_IsNumber(v) && scale_ok &&
                (v->valuedouble < ck->scale_lo || v->valuedouble > ck->scale_hi))
                err(c, p, false, "%g is outside the scale [%g, %g]", v->valuedouble, ck->scale_lo,
                    ck->scale_hi);
            else if (want_number(c, v, p, -1e6, 1e6, false, &d))
                ck->pass = d;
            free(p);
        }
    } else if (ck->kind == MS_KIND_YESNO) {
        ck->good_yes = true;
        if ((v = cJSON_GetObjectItemCaseSensitive(o, "good"))) {
            static const char *const yn[] = {"yes", "no", NULL};
            p = path_join(path, "good");
            int i = want_enum(c, v, p, yn);
            if (i >= 0)
                ck->good_yes = i == 0;
            free(p);
        }
    }
}

static ms_check *load_check(ctx *c, const cJSON *o, const char *path, const layers *parent)
{
    ms_check *ck = calloc(1, sizeof *ck);
    if (!ck) {
        c->nomem = true;
        return NULL;
    }
    int col = 0;
    ms_jsonpos_find(c->pos, path, false, &ck->line, &col);
    if (!want_object(c, o, path))
        return ck;
    ck->id = want_id(c, cJSON_GetObjectItemCaseSensitive(o, "id"), path);
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(o, "kind");
    char *p = path_join(path, "kind");
    int k = -1;
    if (!kind)
        err(c, path, false, "\"kind\" is required (http, stopwatch, rating or yesno)");
    else
        k = want_enum(c, kind, p, KINDS);
    free(p);
    check_fields(c, o, path, CHECK_COMMON, NULL);
    if (k < 0)
        return ck; /* the rest depends on the kind */
    ck->kind = (ms_kind)k;
    for (const cJSON *it = o->child; it; it = it->next) {
        if (in_list(it->string, CHECK_COMMON) && !field_fits_kind(it->string, ck->kind)) {
            p = path_join(path, it->string);
            err(c, p, true, "field \"%s\" does not apply to a %s check", it->string,
                ms_kind_name(ck->kind));
            free(p);
        }
    }
    ck->title = opt_string(c, o, path, "title");
    if (!ck->title && ck->id)
        ck->title = xstrdup(c, ck->id);
    ck->description = opt_string(c, o, path, "description");
    ck->fix = opt_string(c, o, path, "fix");
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(o, "tags");
    if (tags) {
        p = path_join(path, "tags");
        ck->tags = string_list(c, tags, p, &ck->ntags);
        free(p);
    }
    layers l = *parent;
    l.obj[0] = o;
    l.path[0] = path;
    load_inherited(c, &l, ck);
    if (ck->kind == MS_KIND_HTTP) {
        const cJSON *r = cJSON_GetObjectItemCaseSensitive(o, "request");
        p = path_join(path, "request");
        if (!r)
            err(c, path, false, "an http check needs a \"request\" with a \"url\"");
        else
            load_request(c, r, p, ck);
        free(p);
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "expect");
        if (e) {
            p = path_join(path, "expect");
            load_expect(c, e, p, ck);
            free(p);
        }
    } else {
        load_manual(c, o, path, ck);
        if (ck->prompt) {
            char *value = NULL, *display = NULL;
            p = path_join(path, "prompt");
            if (substitute(c, ck->prompt, p, false, &value, &display)) {
                free(ck->prompt);
                ck->prompt = display; /* a prompt is shown, never sent: show no secret */
                display = NULL;
            }
            free(value);
            free(display);
            free(p);
        }
    }
    return ck;
}

static ms_status push_check(ctx *c, ms_check *ck)
{
    ms_plan *plan = c->plan;
    ms_check **grown =
        grow_array(plan->checks, &c->run->checks_cap, plan->nchecks + 1, sizeof *grown);
    if (!grown)
        return MS_ERR_NOMEM;
    plan->checks = grown;
    ck->order = plan->nchecks;
    plan->checks[plan->nchecks++] = ck;
    return MS_OK;
}

/* Is id already used by a check or section of the run? Records it when it is not. */
static bool id_taken(ctx *c, const char *id)
{
    run_index *r = c->run;
    uint64_t h = ms_hash_str(id);
    size_t it = 0, i;
    while (ms_hindex_next(&r->ids, h, &it, &i))
        if (strcmp(r->ids_seen[i], id) == 0)
            return true;
    char *copy = strdup(id);
    char **grown = grow_array(r->ids_seen, &r->ids_cap, r->nids + 1, sizeof *grown);
    if (grown)
        r->ids_seen = grown;
    if (!copy || !grown || ms_hindex_add(&r->ids, h, r->nids) != MS_OK) {
        free(copy);
        c->nomem = true;
        return false;
    }
    r->ids_seen[r->nids++] = copy;
    return false;
}

static void load_sections(ctx *c, const cJSON *root, ms_checklist *cl, size_t list_index)
{
    const cJSON *defaults = cJSON_GetObjectItemCaseSensitive(root, "defaults");
    const cJSON *sections = cJSON_GetObjectItemCaseSensitive(root, "sections");
    if (defaults && want_object(c, defaults, "defaults"))
        check_fields(c, defaults, "defaults", INHERITED, NULL);
    else
        defaults = NULL;
    inherited dfields, sfields;
    find_inherited(defaults, &dfields);
    if (!sections) {
        err(c, "", false, "\"sections\" is required");
        return;
    }
    if (!cJSON_IsArray(sections) || cJSON_GetArraySize(sections) == 0) {
        err(c, "sections", false, "must be an array of at least one section");
        return;
    }
    cl->sections = xcheck(c, calloc((size_t)cJSON_GetArraySize(sections), sizeof *cl->sections));
    if (!cl->sections) {
        c->nomem = true;
        return;
    }
    size_t si = 0;
    for (const cJSON *s = sections->child; s; s = s->next, si++) {
        char *sp = path_index("sections", si);
        ms_section *sec = &cl->sections[cl->nsections++];
        if (!want_object(c, s, sp)) {
            free(sp);
            continue;
        }
        check_fields(c, s, sp, SECTION_OWN, INHERITED);
        sec->id = want_id(c, cJSON_GetObjectItemCaseSensitive(s, "id"), sp);
        if (sec->id && id_taken(c, sec->id)) {
            char *ip = path_join(sp, "id");
            err(c, ip, false, "id \"%s\" is used twice in this run", sec->id);
            free(ip);
        }
        sec->title = opt_string(c, s, sp, "title");
        if (!sec->title && sec->id)
            sec->title = xstrdup(c, sec->id);
        const cJSON *checks = cJSON_GetObjectItemCaseSensitive(s, "checks");
        char *cp = path_join(sp, "checks");
        if (!checks || !cJSON_IsArray(checks) || cJSON_GetArraySize(checks) == 0) {
            err(c, checks ? cp : sp, false, "\"checks\" must be an array of at least one check");
        } else {
            sec->checks =
                xcheck(c, calloc((size_t)cJSON_GetArraySize(checks), sizeof *sec->checks));
            find_inherited(s, &sfields);
            layers l = {{NULL, s, defaults}, {NULL, sp, "defaults"}, {NULL, &sfields, &dfields}};
            size_t ci = 0;
            for (const cJSON *o = checks->child; o && sec->checks; o = o->next, ci++) {
                char *op = path_index(cp, ci);
                ms_check *ck = load_check(c, o, op, &l);
                if (ck && ck->id && id_taken(c, ck->id)) {
                    char *ip = path_join(op, "id");
                    err(c, ip, false, "id \"%s\" is used twice in this run", ck->id);
                    free(ip);
                }
                if (ck) {
                    ck->checklist_index = list_index;
                    ck->section_index = si;
                    sec->checks[sec->nchecks++] = ck;
                    if (push_check(c, ck) != MS_OK) {
                        ms_check_cleanup(ck);
                        free(ck);
                        sec->nchecks--;
                        c->nomem = true;
                    }
                }
                free(op);
            }
        }
        free(cp);
        free(sp);
    }
}

/* Load one file into plan->lists[plan->nlists]; returns the number of problems. */
static int load_file(ms_plan *plan, run_index *run, const char *path, const ms_var *cli,
                     size_t ncli, bool *nomem)
{
    char *text = NULL;
    size_t len = 0;
    cJSON *root = NULL;
    ctx c = {.file = path, .plan = plan, .run = run};
    ms_hindex_init(&c.problem_index);
    ms_hindex_init(&c.var_index);
    ms_checklist *cl = &plan->lists[plan->nlists];

    char why[256] = "";
    ms_json_error jerr = {0, 0, NULL};
    ms_status rc = ms_read_file(path, &text, &len, why, sizeof why);
    if (rc == MS_ERR_NOMEM) {
        c.nomem = true;
        goto out;
    }
    if (rc != MS_OK) {
        add_problem(&c, 0, 0, "", xstrdup(&c, why));
        goto out;
    }
    rc = ms_json_parse(text, len, &root, &c.pos, &jerr);
    if (rc == MS_ERR_INVALID) {
        add_problem(&c, jerr.line, jerr.col, "", jerr.message);
        jerr.message = NULL; /* add_problem took it */
        goto out;
    }
    if (rc != MS_OK) {
        c.nomem = true;
        goto out;
    }
    cl->path = xstrdup(&c, path);
    plan->nlists++;
    if (!want_object(&c, root, ""))
        goto out;
    check_fields(&c, root, "", TOP_FIELDS, NULL);
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(root, "format");
    if (!fmt)
        err(&c, "", false, "\"format\" is required (1)");
    else if (!cJSON_IsNumber(fmt) || fmt->valuedouble != 1)
        err(&c, "format", false, "this tool reads format 1 only");
    cl->id = want_id(&c, cJSON_GetObjectItemCaseSensitive(root, "id"), "");
    for (size_t i = 0; cl->id && i + 1 < plan->nlists; i++)
        if (plan->lists[i].id && strcmp(plan->lists[i].id, cl->id) == 0)
            err(&c, "id", false, "checklist id \"%s\" is also the id of %s", cl->id,
                plan->lists[i].path);
    cl->title = opt_string(&c, root, "", "title");
    if (!cl->title && cl->id)
        cl->title = xstrdup(&c, cl->id);
    cl->description = opt_string(&c, root, "", "description");
    load_vars(&c, cJSON_GetObjectItemCaseSensitive(root, "vars"), cli, ncli);
    load_sections(&c, root, cl, plan->nlists - 1);
out:
    flush_problems(&c);
    *nomem = *nomem || c.nomem;
    free_vars(c.vars, c.nvars);
    ms_hindex_cleanup(&c.var_index);
    ms_jsonpos_free(c.pos);
    cJSON_Delete(root);
    free(text);
    return c.errors;
}

ms_status ms_plan_load(ms_plan *plan, const char *const *paths, size_t npaths, const ms_var *vars,
                       size_t nvars)
{
    int errors = 0;
    bool nomem = false;
    run_index run = {.nids = 0};
    memset(plan, 0, sizeof *plan);
    plan->lists = calloc(npaths ? npaths : 1, sizeof *plan->lists);
    if (!plan->lists)
        return MS_ERR_NOMEM;
    ms_hindex_init(&run.ids);
    for (size_t i = 0; i < npaths; i++)
        errors += load_file(plan, &run, paths[i], vars, nvars, &nomem);
    for (size_t i = 0; i < run.nids; i++)
        free(run.ids_seen[i]);
    free(run.ids_seen);
    ms_hindex_cleanup(&run.ids);
    if (nomem)
        return MS_ERR_NOMEM;
    return errors ? MS_ERR_INVALID : MS_OK;
}

void ms_plan_print_problems(const ms_plan *plan, FILE *out)
{
    for (size_t i = 0; i < plan->nproblems; i++) {
        const ms_problem *p = &plan->problems[i];
        /* cleaned: a path or message quotes the file's own text */
        if (p->line > 0)
            ms_fprintf_line(out, "%s:%d:%d: %s%s%s", p->file, p->line, p->col, p->path,
                            *p->path ? ": " : "", p->message);
        else
            ms_fprintf_line(out, "%s: %s", p->file, p->message);
    }
    if (plan->nproblems)
        fprintf(out, "%zu problem%s found; nothing was run\n", plan->nproblems,
                plan->nproblems == 1 ? "" : "s");
}

void ms_plan_cleanup(ms_plan *plan)
{
    for (size_t i = 0; i < plan->nchecks; i++) {
        ms_check_cleanup(plan->checks[i]);
        free(plan->checks[i]);
    }
    free(plan->checks);
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
    for (size_t i = 0; i < plan->nproblems; i++) {
        free(plan->problems[i].file);
        free(plan->problems[i].path);
        free(plan->problems[i].message);
    }
    free(plan->problems);
    memset(plan, 0, sizeof *plan);
}

char *ms_plan_redact(const ms_plan *plan, const char *s)
{
    ms_buf b;
    ms_buf_init(&b, 0);
    if (ms_secrets_redact(&plan->secrets, s, strlen(s), false, &b) != MS_OK) {
        ms_buf_cleanup(&b);
        return NULL;
    }
    return ms_buf_take(&b);
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
