/* The Pushgateway PUT of run --push (see ms/push.h): the request is the notification's
 * (ms_notify_send) with another method and content type. */
#include "ms/push.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms/buf.h"
#include "ms/i18n.h"
#include "ms/url.h"

bool ms_push_url_valid(const char *url, const char **why)
{
    ms_url u;
    bool ok = false;
    ms_status rc = ms_url_parse(url, &u, NULL);
    if (rc == MS_ERR_NOMEM) {
        ok = true; /* the push will say so */
    } else if (rc != MS_OK) {
        *why = _("not a URL (an http:// or https:// URL is needed)");
    } else if (strcmp(u.scheme, "http") != 0 && strcmp(u.scheme, "https") != 0) {
        *why = _("only http:// and https:// URLs can be pushed to");
    } else if (!u.host || !u.host[0]) {
        *why = _("the URL names no host");
    } else if (u.query || u.fragment) {
        *why =
            _("a Pushgateway URL has no query or fragment (the grouping key is added to its path)");
    } else {
        ok = true;
    }
    ms_url_cleanup(&u);
    return ok;
}

/* Append v (len bytes) in base64url (RFC 4648, section 5) without padding. */
static void add_base64url(ms_buf *b, const unsigned char *v, size_t len)
{
    static const char A[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (size_t i = 0; i < len; i += 3) {
        unsigned long n = (unsigned long)v[i] << 16;
        if (i + 1 < len)
            n |= (unsigned long)v[i + 1] << 8;
        if (i + 2 < len)
            n |= v[i + 2];
        ms_buf_addc(b, A[(n >> 18) & 63]);
        ms_buf_addc(b, A[(n >> 12) & 63]);
        if (i + 1 < len)
            ms_buf_addc(b, A[(n >> 6) & 63]);
        if (i + 2 < len)
            ms_buf_addc(b, A[n & 63]);
    }
}

/* Append "/NAME/VALUE" of a grouping key: VALUE percent-encoded but for unreserved characters;
 * "/NAME@base64/..." for a value that is empty ("="), holds a '/', which the Pushgateway
 * would take for the end of the value even percent-encoded, or is "." or "..", which libcurl (as
 * any URL parser) removes as a dot segment, putting the metrics in another group. value is made
 * valid UTF-8 first, as the metrics' label values are (ms_buf_add_prom), so that both say the same.
 */
static ms_status add_key(ms_buf *b, const char *name, const char *value)
{
    ms_status rc = MS_OK;
    ms_buf v;
    ms_buf_init(&v, 0);
    if ((rc = ms_buf_add_utf8(&v, value, strlen(value))) != MS_OK)
        goto out;
    const unsigned char *s = (const unsigned char *)ms_buf_str(&v);
    if (v.len == 0) {
        ms_buf_printf(b, "/%s@base64/=", name);
    } else if (strchr((const char *)s, '/') || strcmp((const char *)s, ".") == 0 ||
               strcmp((const char *)s, "..") == 0) {
        ms_buf_printf(b, "/%s@base64/", name);
        add_base64url(b, s, v.len);
    } else {
        ms_buf_printf(b, "/%s/", name);
        for (size_t i = 0; i < v.len; i++) {
            if ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
                (s[i] >= '0' && s[i] <= '9') || strchr("-._~", s[i]))
                ms_buf_addc(b, (char)s[i]);
            else
                ms_buf_printf(b, "%%%02X", s[i]);
        }
    }
    rc = b->failed ? MS_ERR_NOMEM : MS_OK;
out:
    ms_buf_cleanup(&v);
    return rc;
}

ms_status ms_push_url(const char *base, const ms_run *run, char **out)
{
    ms_status rc = MS_OK;
    ms_buf b, ids;
    size_t len = strlen(base);
    *out = NULL;
    ms_buf_init(&b, 0);
    ms_buf_init(&ids, 0);
    while (len > 0 && base[len - 1] == '/')
        len--;
    for (size_t l = 0; l < run->nlists; l++) {
        if (l > 0)
            ms_buf_addc(&ids, ',');
        ms_buf_adds(&ids, run->lists[l].id ? run->lists[l].id : "");
    }
    ms_buf_add(&b, base, len);
    ms_buf_adds(&b, "/metrics/job/mystery_shopper");
    if (ids.failed || b.failed) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    if ((rc = add_key(&b, "checklist", ms_buf_str(&ids))) != MS_OK ||
        (rc = add_key(&b, "label", run->label ? run->label : "")) != MS_OK)
        goto out;
    if (!(*out = ms_buf_take(&b)))
        rc = MS_ERR_NOMEM;
out:
    ms_buf_cleanup(&ids);
    ms_buf_cleanup(&b);
    return rc;
}

ms_status ms_push_put(const char *url, const char *body, const ms_notify_opts *o, char *why,
                      size_t whylen)
{
    /* The Pushgateway's answer says why it refused a push ("pushed metrics are invalid or
     * inconsistent with existing metrics: ..."): its first line is the cause. */
    ms_notify_request req = {
        .method = "PUT",
        .content_type = "text/plain; version=0.0.4",
        .body = body,
        /* TRANSLATORS: who answered: "the Pushgateway answered HTTP 400: ..." */
        .peer = N_("the Pushgateway"),
        .quote_answer = true};
    return ms_notify_send(url, &req, o, why, whylen);
}
