/* The one URL parser (see ms/url.h): a thin layer over libcurl's URL API. */
#include "ms/url.h"

#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Read text into a new handle (*out, caller cleans up). The path is kept as written. */
static ms_status parse(const char *text, CURLU **out, const char **why)
{
    CURLU *u = curl_url();
    CURLUcode uc =
        u ? curl_url_set(u, CURLUPART_URL, text, CURLU_PATH_AS_IS) : CURLUE_OUT_OF_MEMORY;
    *out = NULL;
    if (uc == CURLUE_OK) {
        *out = u;
        return MS_OK;
    }
    curl_url_cleanup(u);
    if (uc == CURLUE_OUT_OF_MEMORY)
        return MS_ERR_NOMEM;
    if (why)
        *why = curl_url_strerror(uc);
    return MS_ERR_INVALID;
}

/* One part into *out; an absent optional part leaves it NULL. */
static ms_status get(CURLU *u, CURLUPart what, char **out)
{
    char *s = NULL;
    CURLUcode uc = curl_url_get(u, what, &s, 0);
    *out = NULL;
    switch (uc) {
    case CURLUE_OK:
        *out = strdup(s);
        curl_free(s);
        return *out ? MS_OK : MS_ERR_NOMEM;
    case CURLUE_NO_HOST: /* file:///x */
    case CURLUE_NO_PORT:
    case CURLUE_NO_QUERY:
    case CURLUE_NO_FRAGMENT:
        return MS_OK;
    default:
        /* The scheme and the path exist after a successful parse: only memory can fail. */
        return MS_ERR_NOMEM;
    }
}

ms_status ms_url_parse(const char *text, ms_url *out, const char **why)
{
    ms_status rc = MS_OK;
    CURLU *u = NULL;
    char *port = NULL;
    memset(out, 0, sizeof *out);
    if ((rc = parse(text, &u, why)) != MS_OK)
        goto out;
    if ((rc = get(u, CURLUPART_SCHEME, &out->scheme)) != MS_OK ||
        (rc = get(u, CURLUPART_HOST, &out->host)) != MS_OK ||
        (rc = get(u, CURLUPART_PORT, &out->port)) != MS_OK ||
        (rc = get(u, CURLUPART_PATH, &out->path)) != MS_OK ||
        (rc = get(u, CURLUPART_QUERY, &out->query)) != MS_OK ||
        (rc = get(u, CURLUPART_FRAGMENT, &out->fragment)) != MS_OK)
        goto out;
    CURLUcode uc = curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
    if (uc != CURLUE_OK && uc != CURLUE_NO_PORT) { /* none: a scheme libcurl has no port for */
        rc = MS_ERR_NOMEM;
        goto out;
    }
    out->port_number = port ? (unsigned)strtoul(port, NULL, 10) : 0; /* 0 to 65535 */
    if (!out->host) { /* file:///x: libcurl 7.88 would write "file://(nil)/" */
        size_t len = strlen(out->scheme) + 4;
        if (!(out->origin = malloc(len)))
            rc = MS_ERR_NOMEM;
        else
            snprintf(out->origin, len, "%s://", out->scheme);
        goto out;
    }
    /* The origin as libcurl writes the URL without the rest: it always ends in the path's "/". */
    if (curl_url_set(u, CURLUPART_PATH, NULL, 0) != CURLUE_OK ||
        curl_url_set(u, CURLUPART_QUERY, NULL, 0) != CURLUE_OK ||
        curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0) != CURLUE_OK ||
        (rc = get(u, CURLUPART_URL, &out->origin)) != MS_OK) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    size_t n = strlen(out->origin);
    if (n > 0 && out->origin[n - 1] == '/')
        out->origin[n - 1] = '\0';
out:
    curl_free(port);
    curl_url_cleanup(u);
    if (rc != MS_OK)
        ms_url_cleanup(out);
    return rc;
}

ms_status ms_url_endpoint(const char *text, char **out, const char **why)
{
    CURLU *u = NULL;
    char *scheme = NULL, *host = NULL, *port = NULL;
    *out = NULL;
    ms_status rc = parse(text, &u, why);
    if (rc != MS_OK)
        return rc;
    CURLUcode hc = curl_url_get(u, CURLUPART_HOST, &host, 0);
    CURLUcode pc = curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        (hc != CURLUE_OK && hc != CURLUE_NO_HOST) || (pc != CURLUE_OK && pc != CURLUE_NO_PORT)) {
        rc = MS_ERR_NOMEM; /* the scheme exists after a successful parse: only memory can fail */
    } else {
        size_t len = strlen(scheme) + (host ? strlen(host) : 0) + (port ? strlen(port) : 1) + 5;
        if ((*out = malloc(len)))
            snprintf(*out, len, "%s://%s:%s", scheme, host ? host : "", port ? port : "0");
        else
            rc = MS_ERR_NOMEM;
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return rc;
}

void ms_url_cleanup(ms_url *u)
{
    free(u->scheme);
    free(u->origin);
    free(u->host);
    free(u->port);
    free(u->path);
    free(u->query);
    free(u->fragment);
    memset(u, 0, sizeof *u);
}

/* The length of the label separator at p, or 0: IDNA (UTS #46) reads the ideographic and
 * full-width full stops as '.' too. */
static size_t dot_len(const char *p)
{
    static const char *const dots[] = {".", "\xE3\x80\x82", "\xEF\xBC\x8E", "\xEF\xBD\xA1"};
    for (size_t i = 0; i < sizeof dots / sizeof dots[0]; i++)
        if (strncmp(p, dots[i], strlen(dots[i])) == 0)
            return strlen(dots[i]);
    return 0;
}

/* The number of labels of host. */
static size_t count_labels(const char *host)
{
    size_t n = 1;
    for (const char *p = host; *p;) {
        size_t d = dot_len(p);
        n += d > 0;
        p += d ? d : 1;
    }
    return n;
}

ms_status ms_secrets_add_host(ms_secrets *s, const char *url)
{
    ms_status rc = MS_OK;
    CURLU *u = NULL;
    char *host = NULL, *ace = NULL;
    bool *held = NULL;
    if (s->n == 0)
        return MS_OK;
    if ((rc = parse(url, &u, NULL)) != MS_OK) {
        rc = rc == MS_ERR_INVALID ? MS_OK : rc; /* libcurl sends nothing for it */
        goto out;
    }
    if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    size_t len = strlen(host);
    bool ascii = true;
    for (size_t i = 0; i < len; i++)
        ascii = ascii && (unsigned char)host[i] < 0x80;
    if (ascii) /* libcurl sends an ASCII host as it is */
        goto out;
    /* libcurl 7.88 says "out of memory" also when libidn2 refuses the host; then libcurl
     * cannot send it either, and there is no form to hide. */
    if (curl_url_get(u, CURLUPART_HOST, &ace, CURLU_PUNYCODE) != CURLUE_OK)
        goto out;
    held = calloc(len + 1, sizeof *held);
    if (!held) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    /* Which bytes of the host belong to a secret? */
    size_t nforms = s->n;
    for (size_t f = 0; f < nforms; f++) {
        size_t fl = strlen(s->forms[f]);
        for (const char *p = host; (p = strstr(p, s->forms[f])); p++)
            for (size_t k = 0; k < fl; k++)
                held[(size_t)(p - host) + k] = true;
    }
    /* Each label that holds any of a secret is converted as a whole: add that label of the
     * converted host. Should the labels not pair up (a mapping this code does not know), the
     * whole converted host is kept instead, rather than a label leaked. */
    if (count_labels(host) != count_labels(ace)) {
        rc = strlen(ace) >= MS_SECRET_MIN ? ms_secrets_add_form(s, ace, strlen(ace)) : MS_OK;
        goto out;
    }
    const char *a = ace;
    for (size_t start = 0;;) {
        size_t end = start;
        bool secret = false;
        for (; end < len && !dot_len(host + end); end++)
            secret = secret || held[end];
        size_t alen = strcspn(a, ".");
        bool same = alen == end - start && memcmp(a, host + start, alen) == 0;
        if (secret && !same && alen >= MS_SECRET_MIN &&
            (rc = ms_secrets_add_form(s, a, alen)) != MS_OK)
            goto out;
        if (!a[alen])
            break;
        a += alen + 1;
        start = end + dot_len(host + end);
    }
out:
    curl_free(host);
    curl_free(ace);
    free(held);
    curl_url_cleanup(u);
    return rc;
}
