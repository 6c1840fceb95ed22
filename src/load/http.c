/* Loading an http check: its request (method, URL, headers, body, redirects) and what the
 * response must show (status, headers, body text, JSON values). */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ms/checkload.h"
#include "ms/hash.h"
#include "ms/i18n.h"

static const char *const REQUEST_FIELDS[] = {"method",           "url",           "headers", "body",
                                             "follow_redirects", "max_redirects", NULL};
static const char *const EXPECT_FIELDS[] = {
    "status", "headers", "body_contains", "body_not_contains", "json", NULL};

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

static uint64_t header_hash(const char *name)
{
    return ms_hash_add_lower(MS_HASH_INIT, name, strlen(name));
}

/* Headers from an object of strings; merged over what *h already holds (same name: replaced).
 * subst: substitute variables (the headers the tool adds itself have none). */
static void merge_headers(ms_fields *f, ms_vars *vars, const cJSON *obj, const char *path,
                          ms_header **h, size_t *n, bool subst)
{
    if (!ms_field_object(f, obj, path))
        return;
    /* The headers so far by name, without regard to case. */
    ms_hindex names;
    ms_hindex_init(&names);
    for (size_t k = 0; k < *n; k++)
        if (ms_hindex_add(&names, header_hash((*h)[k].name), k) != MS_OK)
            f->nomem = true;
    for (const cJSON *it = obj->child; it; it = it->next) {
        char *p = ms_fields_path(f, path, it->string);
        char *value = NULL, *display = NULL;
        if (!*it->string || has_control(it->string, false) || strpbrk(it->string, ": ")) {
            ms_fields_err(f, p, true, N_("\"%s\" is not a valid header name"), it->string);
        } else if (ms_field_string(f, it, p)) {
            if (!subst) {
                value = ms_fields_strdup(f, it->valuestring);
                display = ms_fields_strdup(f, it->valuestring);
            } else if (!ms_vars_substitute(vars, f, it->valuestring, p, MS_SUBST_HEADER, &value,
                                           &display)) {
                free(value);
                free(display);
                value = display = NULL;
            }
            /* Checked as sent, after substitution: a variable must not add a header. */
            if (value && strpbrk(value, "\r\n"))
                ms_fields_err(f, p, false, N_("a header value cannot contain a line break"));
            else if (value && has_control(value, true))
                ms_fields_err(f, p, false, N_("a header value cannot contain control characters"));
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
                    f->nomem = true;
                    free(value);
                    free(display);
                    free(p);
                    break;
                }
                *h = grown;
                (*h)[k] = (ms_header){strdup(it->string), NULL, NULL};
                if (!(*h)[k].name || ms_hindex_add(&names, hh, k) != MS_OK) {
                    f->nomem = true;
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

void ms_load_headers(ms_fields *f, ms_vars *v, const cJSON *obj, const char *path, ms_header **h,
                     size_t *n)
{
    merge_headers(f, v, obj, path, h, n, true);
}

/* The request's body: text (JSON text when the content type says so) or a JSON value. */
static void load_body(ms_fields *f, ms_vars *vars, const cJSON *v, const char *p, ms_check *ck)
{
    if (cJSON_IsString(v)) {
        /* Text with a JSON content type is JSON: values inside its strings are escaped. */
        ms_subst ctx = json_content_type(ck->headers, ck->nheaders) ? MS_SUBST_JSON : MS_SUBST_TEXT;
        ms_vars_substitute(vars, f, v->valuestring, p, ctx, &ck->body, &ck->body_display);
    } else if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
        /* A JSON body: sent compact, with a JSON content type unless one is given; every
         * variable in it sits in a string, and is escaped as one. */
        char *text = ms_fields_alloc(f, cJSON_PrintUnformatted(v));
        if (text)
            ms_vars_substitute(vars, f, text, p, MS_SUBST_JSON, &ck->body, &ck->body_display);
        free(text);
        bool has_ct = false;
        for (size_t i = 0; i < ck->nheaders; i++)
            has_ct = has_ct || strcasecmp(ck->headers[i].name, "content-type") == 0;
        if (!has_ct) {
            cJSON *ct = cJSON_CreateObject();
            if (!cJSON_AddStringToObject(ct, "Content-Type", "application/json"))
                f->nomem = true; /* also when ct is NULL */
            else
                merge_headers(f, vars, ct, p, &ck->headers, &ck->nheaders, false);
            cJSON_Delete(ct);
        }
    } else {
        ms_fields_type_err(f, p, N_("must be a string, a JSON object or array, or null, not %s"),
                           v);
    }
}

static void load_request(ms_fields *f, ms_vars *vars, const cJSON *r, const char *path,
                         ms_check *ck)
{
    char *p = NULL;
    if (!ms_field_object(f, r, path))
        return;
    ms_fields_check(f, r, path, REQUEST_FIELDS, NULL);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(r, "method");
    if (v) { /* else NULL: GET, the string not made for each of a large run's checks */
        p = ms_fields_path(f, path, "method");
        if (ms_field_string(f, v, p)) {
            bool ok = *v->valuestring != '\0';
            for (const char *s = v->valuestring; *s; s++)
                ok = ok && isupper((unsigned char)*s);
            if (ok) {
                ck->method = ms_fields_strdup(f, v->valuestring);
            } else {
                ms_fields_err(f, p, false,
                              N_("\"%s\" is not an HTTP method (GET, POST, ... in capitals)"),
                              v->valuestring);
            }
        }
        free(p);
    }
    v = cJSON_GetObjectItemCaseSensitive(r, "url");
    p = ms_fields_path(f, path, "url");
    size_t unset = vars->unset_env;
    if (!v) {
        ms_fields_err(f, path, false, N_("\"url\" is required"));
    } else if (ms_field_string(f, v, p) &&
               ms_vars_substitute(vars, f, v->valuestring, p, MS_SUBST_URL, &ck->url,
                                  &ck->url_display)) {
        /* With an unset {{env.NAME}} (a warning) what the URL will be is not known. */
        bool known = vars->unset_env == unset;
        if (known && strncasecmp(ck->url, "http://", 7) != 0 &&
            strncasecmp(ck->url, "https://", 8) != 0)
            ms_fields_err(f, p, false, N_("\"%s\" is not an http:// or https:// URL"),
                          ck->url_display);
        else if (has_control(ck->url, false))
            ms_fields_err(f, p, false, N_("a URL cannot contain control characters"));
    }
    /* Most URLs hold no secret: what is shown is the URL itself, not a copy of it. */
    if (ck->url && ck->url_display && strcmp(ck->url, ck->url_display) == 0) {
        free(ck->url_display);
        ck->url_display = ck->url;
    }
    free(p);
    v = cJSON_GetObjectItemCaseSensitive(r, "headers");
    if (v) {
        p = ms_fields_path(f, path, "headers");
        merge_headers(f, vars, v, p, &ck->headers, &ck->nheaders, true);
        free(p);
    }
    v = cJSON_GetObjectItemCaseSensitive(r, "body");
    if (v && !cJSON_IsNull(v)) {
        p = ms_fields_path(f, path, "body");
        load_body(f, vars, v, p, ck);
        free(p);
    }
    ck->follow_redirects = true;
    v = cJSON_GetObjectItemCaseSensitive(r, "follow_redirects");
    if (v) {
        p = ms_fields_path(f, path, "follow_redirects");
        ms_field_bool(f, v, p, &ck->follow_redirects);
        free(p);
    }
    ck->max_redirects = 5;
    v = cJSON_GetObjectItemCaseSensitive(r, "max_redirects");
    if (v) {
        double d;
        p = ms_fields_path(f, path, "max_redirects");
        if (ms_field_number(f, v, p, 0, 50, true, &d))
            ck->max_redirects = (long)d;
        free(p);
    }
}

/* Substitute the variables of the strings expected in a body (*list, n of them, given as v at
 * path p: one string, or an array of them): each becomes the text compared, as sent (the run
 * record redacts what reports show). One with a problem (reported) stays as written. */
static void subst_strings(ms_fields *f, ms_vars *vars, const cJSON *v, const char *p, char **list,
                          size_t n)
{
    const cJSON *it = cJSON_IsArray(v) ? v->child : v;
    for (size_t i = 0, k = 0; it && k < n; it = it->next, i++) {
        if (!cJSON_IsString(it))
            continue; /* reported and left out of the list */
        char *ip = cJSON_IsArray(v) ? ms_fields_path_index(f, p, i) : ms_fields_strdup(f, p);
        char *value = NULL, *display = NULL;
        if (ip && strstr(list[k], "{{") &&
            ms_vars_substitute(vars, f, list[k], ip, MS_SUBST_TEXT, &value, &display)) {
            free(list[k]);
            list[k] = value;
            value = NULL;
        }
        free(value);
        free(display);
        free(ip);
        k++;
    }
}

/* "json": dot paths and the values expected there. */
static void load_expect_json(ms_fields *f, ms_vars *vars, const cJSON *v, const char *p,
                             ms_expects *x)
{
    if (!ms_field_object(f, v, p))
        return;
    x->json = ms_fields_alloc(f, calloc((size_t)cJSON_GetArraySize(v) + 1, sizeof *x->json));
    for (const cJSON *it = v->child; it && x->json; it = it->next) {
        char *ip = ms_fields_path(f, p, it->string);
        bool ok = *it->string != '\0';
        for (const char *s = it->string; *s; s++)
            ok = ok && !(s[0] == '.' && (s[1] == '.' || s[1] == '\0'));
        if (!ok || it->string[0] == '.') {
            ms_fields_err(f, ip, true, N_("\"%s\" is not a dot path such as \"items.0.id\""),
                          it->string);
        } else {
            ms_json_expect je = {ms_fields_strdup(f, it->string),
                                 ms_fields_alloc(f, cJSON_PrintUnformatted(it))};
            /* A variable in an expected string is escaped as one (the value is JSON text). */
            char *value = NULL, *display = NULL;
            if (je.value && strstr(je.value, "{{") &&
                ms_vars_substitute(vars, f, je.value, ip, MS_SUBST_JSON, &value, &display)) {
                free(je.value);
                je.value = value;
                value = NULL;
            }
            free(value);
            free(display);
            if (je.path && je.value) {
                x->json[x->njson++] = je;
            } else {
                free(je.path);
                free(je.value);
            }
        }
        free(ip);
    }
}

static void load_expect(ms_fields *f, ms_vars *vars, const cJSON *e, const char *path, ms_check *ck)
{
    char *p = NULL;
    if (!ms_field_object(f, e, path))
        return;
    ms_expects *x = ck->expect = ms_fields_alloc(f, calloc(1, sizeof *x));
    if (!x)
        return;
    ms_fields_check(f, e, path, EXPECT_FIELDS, NULL);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, "status");
    if (v) {
        p = ms_fields_path(f, path, "status");
        size_t n = cJSON_IsArray(v) ? (size_t)cJSON_GetArraySize(v) : 1;
        x->status = ms_fields_alloc(f, calloc(n ? n : 1, sizeof *x->status));
        if (cJSON_IsArray(v) && n == 0)
            ms_fields_err(f, p, false, N_("must list at least one status"));
        const cJSON *it = cJSON_IsArray(v) ? v->child : v;
        for (size_t i = 0; i < n && it && x->status; i++, it = it->next) {
            char *ip = cJSON_IsArray(v) ? ms_fields_path_index(f, p, i)
                       : p              ? ms_fields_strdup(f, p)
                                        : NULL;
            double d;
            if (ms_field_number(f, it, ip, 100, 599, true, &d))
                x->status[x->nstatus++] = (long)d;
            free(ip);
        }
        free(p);
    }
    v = cJSON_GetObjectItemCaseSensitive(e, "headers");
    if (v) {
        p = ms_fields_path(f, path, "headers");
        merge_headers(f, vars, v, p, &x->headers, &x->nheaders, true);
        free(p);
    }
    v = cJSON_GetObjectItemCaseSensitive(e, "body_contains");
    if (v) {
        p = ms_fields_path(f, path, "body_contains");
        if (ms_field_strings(f, v, p, &x->body_contains, &x->nbody_contains))
            subst_strings(f, vars, v, p, x->body_contains, x->nbody_contains);
        free(p);
    }
    v = cJSON_GetObjectItemCaseSensitive(e, "body_not_contains");
    if (v) {
        p = ms_fields_path(f, path, "body_not_contains");
        if (ms_field_strings(f, v, p, &x->body_not_contains, &x->nbody_not_contains))
            subst_strings(f, vars, v, p, x->body_not_contains, x->nbody_not_contains);
        free(p);
    }
    v = cJSON_GetObjectItemCaseSensitive(e, "json");
    if (v) {
        p = ms_fields_path(f, path, "json");
        load_expect_json(f, vars, v, p, x);
        free(p);
    }
}

void ms_load_http(ms_fields *f, ms_vars *v, const cJSON *o, const char *path, ms_check *ck)
{
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(o, "request");
    char *p = ms_fields_path(f, path, "request");
    if (!r)
        ms_fields_err(f, path, false, N_("an http check needs a \"request\" with a \"url\""));
    else
        load_request(f, v, r, p, ck);
    free(p);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "expect");
    if (e) {
        p = ms_fields_path(f, path, "expect");
        load_expect(f, v, e, p, ck);
        free(p);
    }
}
