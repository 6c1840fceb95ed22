/* Typed field readers shared by the checklist and answers loaders: types, ranges, enums, ids,
 * string lists, unknown fields with "did you mean", and the paths and problems they report. */
#include "ms/fields.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ms/buf.h"
#include "ms/hash.h"
#include "ms/i18n.h"
#include "ms/util.h"

static void verr(ms_fields *f, const char *where, const char *path, bool key, const char *fmt,
                 va_list ap)
{
    if (!where || !path) {
        f->nomem = true; /* a path could not be made: out of memory */
        return;
    }
    f->errors++;
    if (ms_diag_vaddf(f->diag, f->file, f->pos, where, key, path, fmt, ap) != MS_OK)
        f->nomem = true;
}

void ms_fields_err(ms_fields *f, const char *path, bool key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verr(f, path, path, key, fmt, ap);
    va_end(ap);
}

void ms_fields_err_at(ms_fields *f, const char *where, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verr(f, where, path, true, fmt, ap);
    va_end(ap);
}

/* ms_buf_vprintf through "...": fmt is a message of this file with one %s (its translation too) */
static void put(ms_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ms_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void ms_fields_type_err(ms_fields *f, const char *path, const char *fmt, const cJSON *v)
{
    const char *type = ms_json_type_name(v);
    ms_buf en, text;
    if (!path) {
        f->nomem = true;
        return;
    }
    ms_buf_init(&en, 0);
    ms_buf_init(&text, 0);
    put(&en, fmt, type);
    put(&text, _(fmt), _(type));
    f->errors++;
    if (en.failed || text.failed ||
        ms_diag_add_at(f->diag, f->file, f->pos, path, false, path, ms_buf_str(&en),
                       ms_buf_str(&text)) != MS_OK)
        f->nomem = true;
    ms_buf_cleanup(&en);
    ms_buf_cleanup(&text);
}

void ms_fields_warn(ms_fields *f, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (!path || !f->warnings)
        f->nomem = f->nomem || !path;
    else if (ms_diag_vaddf(f->warnings, f->file, f->pos, path, false, path, fmt, ap) != MS_OK)
        f->nomem = true;
    va_end(ap);
}

char *ms_fields_strdup(ms_fields *f, const char *s)
{
    char *d = strdup(s);
    if (!d)
        f->nomem = true;
    return d;
}

void *ms_fields_alloc(ms_fields *f, void *p)
{
    if (!p)
        f->nomem = true;
    return p;
}

/* "base.name" of n bytes of name (a new string); name alone when base is "" and not dot. The
 * loaders make a path for nearly every value they read, problem or not: copied, never formatted
 * (printf was a third of loading a large valid checklist). */
static char *join_path(ms_fields *f, const char *base, const char *name, size_t n, bool dot)
{
    if (!base) {
        f->nomem = true;
        return NULL;
    }
    size_t b = strlen(base), d = dot || b > 0;
    char *p = b > SIZE_MAX - n - 2 ? NULL : malloc(b + d + n + 1);
    if (!p) {
        f->nomem = true;
        return NULL;
    }
    memcpy(p, base, b);
    p[b] = '.';
    memcpy(p + b + d, name, n);
    p[b + d + n] = '\0';
    return p;
}

char *ms_fields_path(ms_fields *f, const char *base, const char *name)
{
    return join_path(f, base, name, strlen(name), false);
}

char *ms_fields_path_index(ms_fields *f, const char *base, size_t i)
{
    char digits[24];
    size_t at = sizeof digits;
    do
        digits[--at] = (char)('0' + i % 10);
    while ((i /= 10) > 0);
    return join_path(f, base, digits + at, sizeof digits - at, true);
}

bool ms_in_list(const char *s, const char *const *list)
{
    return ms_list_index(s, list) >= 0;
}

int ms_list_index(const char *s, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (s[0] == list[i][0] && strcmp(s, list[i]) == 0) /* most differ at once: no call */
            return i;
    return -1;
}

const char *ms_json_type_name(const cJSON *v)
{
    if (cJSON_IsString(v))
        return N_("a string");
    if (cJSON_IsNumber(v))
        return N_("a number");
    if (cJSON_IsBool(v))
        return N_("true or false");
    if (cJSON_IsNull(v))
        /* TRANSLATORS: the JSON value null (a value of the wrong type: "must be a string, not
           null"); keep the word null */
        return N_("null");
    if (cJSON_IsArray(v))
        return N_("an array");
    return N_("an object");
}

bool ms_valid_id(const char *s)
{
    if (!isalnum((unsigned char)*s))
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
            return false;
    return true;
}

/* Report it when it is in neither list a nor b; its path (path.key) is made only then. */
static void unknown_field(ms_fields *f, const cJSON *it, const char *path, const char *const *a,
                          const char *const *b)
{
    if (ms_in_list(it->string, a) || (b && ms_in_list(it->string, b)))
        return;
    char *p = ms_fields_path(f, path, it->string);
    if (!p)
        return; /* nomem is set */
    const char *near = ms_did_you_mean(it->string, a);
    if (!near && b)
        near = ms_did_you_mean(it->string, b);
    if (near)
        ms_fields_err(f, p, true, N_("unknown field \"%s\" (did you mean \"%s\"?)"), it->string,
                      near);
    else
        ms_fields_err(f, p, true, N_("unknown field \"%s\""), it->string);
    free(p);
}

void ms_fields_unknown(ms_fields *f, const cJSON *obj, const char *path, const char *const *allowed)
{
    for (const cJSON *it = obj->child; it; it = it->next)
        unknown_field(f, it, path, allowed, NULL);
}

void ms_fields_check(ms_fields *f, const cJSON *obj, const char *path, const char *const *a,
                     const char *const *b)
{
    /* How often each key was given so far: the first child with the key counts them all. An
     * object of a few keys (nearly every one) is checked on the stack, by comparing each key with
     * those before it; a larger one through a hash index, so that its cost stays linear. */
    enum { FEW = 16 };
    const cJSON *few_kids[FEW];
    size_t few_times[FEW];
    size_t n = 0;
    for (const cJSON *it = obj->child; it; it = it->next)
        n++;
    bool few = n <= FEW;
    const cJSON **kids = few ? few_kids : calloc(n, sizeof *kids);
    size_t *times = few ? few_times : calloc(n, sizeof *times);
    ms_hindex index;
    ms_hindex_init(&index);
    if (!kids || !times)
        f->nomem = true;
    size_t k = 0;
    for (const cJSON *it = obj->child; it && kids && times; it = it->next, k++) {
        size_t first = k;
        times[k] = 0;
        if (few) {
            for (size_t j = 0; j < k && first == k; j++)
                if (kids[j]->string[0] == it->string[0] && strcmp(kids[j]->string, it->string) == 0)
                    first = j;
        } else {
            uint64_t h = ms_hash_str(it->string);
            size_t cur = 0, j;
            while (first == k && ms_hindex_next(&index, h, &cur, &j))
                if (strcmp(kids[j]->string, it->string) == 0)
                    first = j;
            if (first == k && ms_hindex_add(&index, h, k) != MS_OK)
                f->nomem = true;
        }
        kids[k] = it;
        size_t seen = ++times[first];
        if (seen > 1) {
            /* the paths only for a problem */
            char *p = ms_fields_path(f, path, it->string);
            ms_buf where;
            ms_buf_init(&where, 0);
            if (p)
                ms_buf_printf(&where, "%s#%zu", p, seen);
            char *w = p ? ms_fields_alloc(f, ms_buf_take(&where)) : NULL;
            if (w)
                ms_fields_err_at(f, w, p, N_("field \"%s\" is given twice"), it->string);
            free(w);
            free(p);
            ms_buf_cleanup(&where);
        }
        unknown_field(f, it, path, a, b);
    }
    ms_hindex_cleanup(&index);
    if (!few) {
        free(kids);
        free(times);
    }
}

bool ms_field_string(ms_fields *f, const cJSON *v, const char *path)
{
    if (cJSON_IsString(v))
        return true;
    ms_fields_type_err(f, path, N_("must be a string, not %s"), v);
    return false;
}

bool ms_field_object(ms_fields *f, const cJSON *v, const char *path)
{
    if (cJSON_IsObject(v))
        return true;
    ms_fields_type_err(f, path, N_("must be an object, not %s"), v);
    return false;
}

bool ms_field_bool(ms_fields *f, const cJSON *v, const char *path, bool *out)
{
    if (!cJSON_IsBool(v)) {
        ms_fields_type_err(f, path, N_("must be true or false, not %s"), v);
        return false;
    }
    *out = cJSON_IsTrue(v);
    return true;
}

bool ms_field_number(ms_fields *f, const cJSON *v, const char *path, double lo, double hi,
                     bool whole, double *out)
{
    if (!cJSON_IsNumber(v)) {
        ms_fields_type_err(f, path, N_("must be a number, not %s"), v);
        return false;
    }
    double d = v->valuedouble;
    if ((whole && !ms_is_whole(d)) || d < lo || d > hi) {
        if (whole)
            ms_fields_err(f, path, false, N_("must be a whole number from %g to %g, not %g"), lo,
                          hi, d);
        else
            ms_fields_err(f, path, false, N_("must be a number from %g to %g, not %g"), lo, hi, d);
        return false;
    }
    *out = d;
    return true;
}

bool ms_field_ms(ms_fields *f, const cJSON *v, const char *path, double lo_ms, double hi_ms,
                 bool whole, int64_t *out_us)
{
    double ms;
    if (!ms_field_number(f, v, path, lo_ms, hi_ms, whole, &ms))
        return false;
    *out_us = ms_llround(ms * 1000.0);
    return true;
}

bool ms_field_enum(ms_fields *f, const cJSON *v, const char *path, const char *const *names,
                   int *out)
{
    if (!ms_field_string(f, v, path))
        return false;
    int i = ms_list_index(v->valuestring, names);
    if (i >= 0) {
        *out = i;
        return true;
    }
    ms_buf opts;
    ms_buf_init(&opts, 0);
    for (size_t k = 0; names[k]; k++)
        ms_buf_printf(&opts, "%s\"%s\"", k ? ", " : "", names[k]);
    if (opts.failed) {
        f->nomem = true; /* else a message that lists none or some of the names */
        ms_buf_cleanup(&opts);
        return false;
    }
    const char *near = ms_did_you_mean(v->valuestring, names);
    if (near)
        ms_fields_err(f, path, false, N_("\"%s\" is not one of %s (did you mean \"%s\"?)"),
                      v->valuestring, ms_buf_str(&opts), near);
    else
        ms_fields_err(f, path, false, N_("\"%s\" is not one of %s"), v->valuestring,
                      ms_buf_str(&opts));
    ms_buf_cleanup(&opts);
    return false;
}

bool ms_field_id(ms_fields *f, const cJSON *v, const char *path, char **out)
{
    *out = NULL;
    if (!v) {
        ms_fields_err(f, path, false, N_("\"id\" is required"));
        return false;
    }
    if (cJSON_IsString(v) && ms_valid_id(v->valuestring)) {
        *out = ms_fields_strdup(f, v->valuestring);
        return *out != NULL;
    }
    char *p = ms_fields_path(f, path, "id"); /* a problem: not a string, or not an id */
    if (ms_field_string(f, v, p)) {
        ms_fields_err(f, p, false,
                      N_("\"%s\" is not a valid id (letters, digits, '.', '_', '-'; "
                         "starting with a letter or digit)"),
                      v->valuestring);
    }
    free(p);
    return *out != NULL;
}

void ms_field_opt_string(ms_fields *f, const cJSON *obj, const char *path, const char *name,
                         char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    *out = NULL;
    if (!v)
        return;
    if (cJSON_IsString(v)) {
        *out = ms_fields_strdup(f, v->valuestring);
        return;
    }
    char *p = ms_fields_path(f, path, name);
    ms_field_string(f, v, p); /* reports it */
    free(p);
}

bool ms_field_strings(ms_fields *f, const cJSON *v, const char *path, char ***out, size_t *n)
{
    char **list = NULL;
    *out = NULL;
    *n = 0;
    if (cJSON_IsString(v)) {
        list = ms_fields_alloc(f, malloc(sizeof *list));
        if (list && (list[0] = ms_fields_strdup(f, v->valuestring)))
            *n = 1;
        *out = list;
        return *n == 1;
    }
    if (!cJSON_IsArray(v)) {
        ms_fields_type_err(f, path, N_("must be a string or an array of strings, not %s"), v);
        return false;
    }
    list = ms_fields_alloc(f, calloc((size_t)cJSON_GetArraySize(v) + 1, sizeof *list));
    if (!list)
        return false;
    size_t i = 0;
    for (const cJSON *it = v->child; it; it = it->next, i++) {
        if (cJSON_IsString(it)) {
            if ((list[*n] = ms_fields_strdup(f, it->valuestring)))
                (*n)++;
            continue;
        }
        char *p = ms_fields_path_index(f, path, i);
        ms_field_string(f, it, p); /* reports it */
        free(p);
    }
    *out = list;
    return true;
}
