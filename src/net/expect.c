#include "ms/expect.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ms/alloc.h"
#include "ms/buf.h"

bool ms_expect_needs_body(const ms_check *ck)
{
    return ck->nbody_contains || ck->nbody_not_contains || ck->nexpect_json;
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

static void status_problem(const ms_check *ck, long status, ms_buf *why)
{
    if (ck->nexpect_status == 0) {
        if (status >= 400)
            ms_buf_printf(why, "HTTP %ld (expected a status below 400)", status);
        return;
    }
    for (size_t i = 0; i < ck->nexpect_status; i++)
        if (ck->expect_status[i] == status)
            return;
    ms_buf_printf(why, "HTTP %ld (expected ", status);
    for (size_t i = 0; i < ck->nexpect_status; i++)
        ms_buf_printf(why, "%s%ld", i ? " or " : "", ck->expect_status[i]);
    ms_buf_addc(why, ')');
}

/* cJSON says only NULL when it fails: a document it could not parse and memory it could not
 * get look the same, so the allocation failures are counted around each call (ms/alloc.h). */
static ms_status json_problems(const ms_check *ck, const char *body, size_t len, bool cut,
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
            ms_buf_printf(why,
                          "%sthe body is longer than 8 MiB and " MS_BODY_CUT_NOTE
                          ", which are not JSON on their own",
                          why->len ? "; " : "");
        else
            ms_buf_printf(why, "%sthe body is not JSON", why->len ? "; " : "");
        goto out;
    }
    for (size_t i = 0; i < ck->nexpect_json && why->len < 400; i++) {
        const ms_json_expect *e = &ck->expect_json[i];
        const cJSON *got = NULL;
        if ((rc = walk(doc, e->path, &got)) != MS_OK)
            goto out;
        want = cJSON_Parse(e->value);
        if (ms_alloc_failures() != failures) {
            rc = MS_ERR_NOMEM;
            goto out;
        }
        if (!got) {
            ms_buf_printf(why, "%sjson %s is missing", why->len ? "; " : "", e->path);
        } else if (!want || !cJSON_Compare(got, want, true)) {
            if (!(text = cJSON_PrintUnformatted(got))) {
                rc = MS_ERR_NOMEM;
                goto out;
            }
            ms_buf_printf(why, "%sjson %s is ", why->len ? "; " : "", e->path);
            add_quote(why, text, 60, secrets);
            ms_buf_adds(why, " (expected ");
            add_quote(why, e->value, 60, secrets);
            ms_buf_addc(why, ')');
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
    *problems = NULL;
    ms_buf_init(&why, 0);
    status_problem(ck, status, &why);
    for (size_t i = 0; i < ck->nexpect_headers; i++) {
        const ms_header *h = &ck->expect_headers[i];
        const char *got = NULL;
        if ((rc = lookup(ud, h->name, &got)) != MS_OK)
            goto out;
        if (!got)
            ms_buf_printf(&why, "%sno %s header", why.len ? "; " : "", h->name);
        else if (!strstr(got, h->value)) {
            ms_buf_printf(&why, "%s%s is \"", why.len ? "; " : "", h->name);
            add_quote(&why, got, 80, secrets);
            ms_buf_printf(&why, "\" (expected it to contain \"%s\")", h->display);
        }
    }
    for (size_t i = 0; i < ck->nbody_contains; i++)
        if (!contains(body ? body : "", body_len, ck->body_contains[i]))
            ms_buf_printf(&why, "%sthe body lacks \"%s\"%s", why.len ? "; " : "",
                          ck->body_contains[i], body_cut ? " (" MS_BODY_CUT_NOTE ")" : "");
    for (size_t i = 0; i < ck->nbody_not_contains; i++)
        if (contains(body ? body : "", body_len, ck->body_not_contains[i]))
            ms_buf_printf(&why, "%sthe body contains \"%s\"", why.len ? "; " : "",
                          ck->body_not_contains[i]);
    if (ck->nexpect_json &&
        (rc = json_problems(ck, body ? body : "", body_len, body_cut, &why, secrets)) != MS_OK)
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
