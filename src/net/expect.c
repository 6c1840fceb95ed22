#include "ms/expect.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ms/alloc.h"
#include "ms/buf.h"
#include "ms/i18n.h"

/* What a check without an "expect" expects: nothing but a status below 400. */
static const ms_expects NOTHING;

bool ms_expect_needs_body(const ms_check *ck)
{
    const ms_expects *x = ck->expect;
    return x && (x->nbody_contains || x->nbody_not_contains || x->njson);
}

/* memmem for a NUL-terminated needle in a body that may hold NULs. */
static bool contains(const char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0)
        return true;
    for (size_t i = 0; i + n <= len; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0)
            return true;
    return false;
}

/* Follow a dot path ("a.0.b") from node. *out is the node found, or NULL when the path leads
 * nowhere; MS_ERR_NOMEM when the path could not be copied. */
static ms_status walk(const cJSON *node, const char *path, const cJSON **out)
{
    char *copy = strdup(path);
    char *save = NULL;
    *out = NULL;
    if (!copy)
        return MS_ERR_NOMEM;
    for (char *part = strtok_r(copy, ".", &save); part && node; part = strtok_r(NULL, ".", &save)) {
        if (cJSON_IsArray(node)) {
            char *end = NULL;
            long i = strtol(part, &end, 10);
            node =
                (*end || !isdigit((unsigned char)*part)) ? NULL : cJSON_GetArrayItem(node, (int)i);
        } else if (cJSON_IsObject(node)) {
            node = cJSON_GetObjectItemCaseSensitive(node, part);
        } else {
            node = NULL;
        }
    }
    free(copy);
    *out = node;
    return MS_OK;
}

/* Append a quote of text at most max bytes long: secrets hidden first (a secret cut in two
 * would not be found whole afterwards), then cut on a character boundary, with "..." when cut. */
static void add_quote(ms_buf *why, const char *text, size_t max, const ms_secrets *secrets)
{
    ms_buf clean;
    ms_buf_init(&clean, 0);
    ms_status rc = secrets ? ms_secrets_redact(secrets, text, strlen(text), false, &clean)
                           : ms_buf_adds(&clean, text);
    const char *s = ms_buf_str(&clean);
    size_t n = ms_utf8_prefix(s, clean.len, max);
    ms_buf_add(why, s, n);
    if (n < clean.len)
        ms_buf_adds(why, "...");
    if (rc != MS_OK || clean.failed)
        why->failed = true; /* the caller reports out of memory */
    ms_buf_cleanup(&clean);
}

static void status_problem(const ms_expects *x, long status, ms_buf *why)
{
    if (x->nstatus == 0) {
        if (status >= 400)
            ms_buf_printf(why, _("HTTP %ld (expected a status below 400)"), status);
        return;
    }
    for (size_t i = 0; i < x->nstatus; i++)
        if (x->status[i] == status)
            return;
    ms_buf want;
    ms_buf_init(&want, 0);
    for (size_t i = 0; i < x->nstatus; i++)
        /* TRANSLATORS: between the statuses a check takes: HTTP 500 (expected 200 or 204) */
        ms_buf_printf(&want, "%s%ld", i ? _(" or ") : "", x->status[i]);
    /* TRANSLATORS: the status received, then the statuses the check takes (200 or 204) */
    ms_buf_printf(why, _("HTTP %ld (expected %s)"), status, ms_buf_str(&want));
    if (want.failed)
        why->failed = true; /* the caller reports out of memory */
    ms_buf_cleanup(&want);
}

/* cJSON says only NULL when it fails: a document it could not parse and memory it could not
 * get look the same, so the allocation failures are counted around each call (ms/alloc.h). */
static ms_status json_problems(const ms_expects *x, const char *body, size_t len, bool cut,
                               ms_buf *why, const ms_secrets *secrets)
{
    ms_status rc = MS_OK;
    unsigned long failures = ms_alloc_failures();
    cJSON *doc = cJSON_ParseWithLength(body, len);
    cJSON *want = NULL;
    char *text = NULL;
    if (ms_alloc_failures() != failures) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    if (!doc) {
        if (cut)
            /* MS_BODY_CUT_NOTE written out: xgettext reads no macro */
            ms_buf_printf(why, "%s%s", why->len ? "; " : "",
                          _("the body is longer than 8 MiB and only the first 8 MiB were examined, "
                            "which are not JSON on their own"));
        else
            ms_buf_printf(why, "%s%s", why->len ? "; " : "", _("the body is not JSON"));
        goto out;
    }
    for (size_t i = 0; i < x->njson && why->len < 400; i++) {
        const ms_json_expect *e = &x->json[i];
        const cJSON *got = NULL;
        if ((rc = walk(doc, e->path, &got)) != MS_OK)
            goto out;
        want = cJSON_Parse(e->value);
        if (ms_alloc_failures() != failures) {
            rc = MS_ERR_NOMEM;
            goto out;
        }
        if (!got) {
            ms_buf_adds(why, why->len ? "; " : "");
            /* TRANSLATORS: a dot path in the response's JSON (items.0.id) */
            ms_buf_printf(why, _("json %s is missing"), e->path);
        } else if (!want || !cJSON_Compare(got, want, true)) {
            if (!(text = cJSON_PrintUnformatted(got))) {
                rc = MS_ERR_NOMEM;
                goto out;
            }
            ms_buf got_text, want_text;
            ms_buf_init(&got_text, 0);
            ms_buf_init(&want_text, 0);
            add_quote(&got_text, text, 60, secrets);
            add_quote(&want_text, e->value, 60, secrets);
            ms_buf_adds(why, why->len ? "; " : "");
            /* TRANSLATORS: a dot path in the response's JSON, the JSON value found there, the
               value expected */
            ms_buf_printf(why, _("json %s is %s (expected %s)"), e->path, ms_buf_str(&got_text),
                          ms_buf_str(&want_text));
            if (got_text.failed || want_text.failed)
                why->failed = true; /* the caller reports out of memory */
            ms_buf_cleanup(&got_text);
            ms_buf_cleanup(&want_text);
            free(text);
            text = NULL;
        }
        cJSON_Delete(want);
        want = NULL;
    }
out:
    free(text);
    cJSON_Delete(want);
    cJSON_Delete(doc);
    return rc;
}

ms_status ms_expect_check(const ms_check *ck, long status, const char *body, size_t body_len,
                          bool body_cut, ms_header_lookup lookup, void *ud,
                          const ms_secrets *secrets, char **problems)
{
    ms_status rc = MS_OK;
    ms_buf why;
    const ms_expects *x = ck->expect ? ck->expect : &NOTHING;
    *problems = NULL;
    ms_buf_init(&why, 0);
    status_problem(x, status, &why);
    for (size_t i = 0; i < x->nheaders; i++) {
        const ms_header *h = &x->headers[i];
        const char *got = NULL;
        if ((rc = lookup(ud, h->name, &got)) != MS_OK)
            goto out;
        if (!got) {
            ms_buf_adds(&why, why.len ? "; " : "");
            /* TRANSLATORS: a header name (Content-Type) the response lacks */
            ms_buf_printf(&why, _("no %s header"), h->name);
        } else if (!strstr(got, h->value)) {
            ms_buf got_text;
            ms_buf_init(&got_text, 0);
            add_quote(&got_text, got, 80, secrets);
            ms_buf_adds(&why, why.len ? "; " : "");
            /* TRANSLATORS: a header name, its value in the response, the text it must contain */
            ms_buf_printf(&why, _("%s is \"%s\" (expected it to contain \"%s\")"), h->name,
                          ms_buf_str(&got_text), h->display);
            if (got_text.failed)
                why.failed = true; /* the caller reports out of memory */
            ms_buf_cleanup(&got_text);
        }
    }
    for (size_t i = 0; i < x->nbody_contains; i++)
        if (!contains(body ? body : "", body_len, x->body_contains[i])) {
            ms_buf_adds(&why, why.len ? "; " : "");
            if (body_cut)
                ms_buf_printf(&why, _("the body lacks \"%s\" (only the first 8 MiB were examined)"),
                              x->body_contains[i]);
            else
                ms_buf_printf(&why, _("the body lacks \"%s\""), x->body_contains[i]);
        }
    for (size_t i = 0; i < x->nbody_not_contains; i++)
        if (contains(body ? body : "", body_len, x->body_not_contains[i])) {
            ms_buf_adds(&why, why.len ? "; " : "");
            ms_buf_printf(&why, _("the body contains \"%s\""), x->body_not_contains[i]);
        }
    if (x->njson &&
        (rc = json_problems(x, body ? body : "", body_len, body_cut, &why, secrets)) != MS_OK)
        goto out;
    /* An append that failed leaves the buffer marked: never a shorter list of problems, and
     * never "no problem" (a buffer that failed on its first append is still empty). */
    if (why.failed) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    if (why.len == 0)
        goto out;
    if (!(*problems = ms_buf_take(&why)))
        rc = MS_ERR_NOMEM;
out:
    ms_buf_cleanup(&why);
    return rc;
}
