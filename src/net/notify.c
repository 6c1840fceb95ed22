/* The webhook POST of run --notify (see ms/notify.h). */
#include "ms/notify.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms/buf.h"

bool ms_notify_due(ms_notify_on on, int exit_code, bool has_prev, int prev_exit)
{
    if (on == MS_NOTIFY_ALWAYS)
        return true;
    if (on == MS_NOTIFY_FAIL)
        return exit_code != 0;
    return exit_code != (has_prev ? prev_exit : 0);
}

bool ms_notify_url_valid(const char *url, const char **why)
{
    CURLU *u = curl_url();
    char *scheme = NULL;
    bool ok = false;
    if (!u) {
        ok = true; /* out of memory: the post will say so */
        goto out;
    }
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
        *why = "not a URL (an http:// or https:// URL is needed)";
        goto out;
    }
    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
        ok = true;
        goto out;
    }
    ok = strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0;
    if (!ok)
        *why = "only http:// and https:// URLs can be posted to";
out:
    curl_free(scheme);
    curl_url_cleanup(u);
    return ok;
}

ms_status ms_notify_where(const char *url, char **out)
{
    return ms_url_origin(url, false, out);
}

/* The answer's body is not read: only its status counts. */
static size_t discard(char *data, size_t size, size_t nmemb, void *ud)
{
    (void)data;
    (void)ud;
    return size * nmemb;
}

/* Whether libcurl's error text quotes the URL or a part of it after the host (its token). */
static bool quotes_url(const char *err, const char *url)
{
    const char *p = strstr(url, "://");
    const char *path = p ? strchr(p + 3, '/') : NULL;
    return strstr(err, url) || (path && path[1] && strstr(err, path));
}

ms_status ms_notify_post(const char *url, const char *body, const ms_notify_opts *o, char *why,
                         size_t whylen)
{
    ms_status rc = MS_OK;
    CURL *e = curl_easy_init();
    struct curl_slist *headers = NULL, *resolve = NULL, *connect_to = NULL, *h = NULL;
    char err[CURL_ERROR_SIZE] = "";
    long status = 0;
    CURLcode res = CURLE_OK;
    if (!e || !(h = curl_slist_append(NULL, "Content-Type: application/json"))) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    headers = h;
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, err);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "mystery-shopper/" MS_VERSION);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS,
                     o->timeout_ms > 0 ? o->timeout_ms : (long)MS_NOTIFY_TIMEOUT_MS);
    if (o->cacert)
        curl_easy_setopt(e, CURLOPT_CAINFO, o->cacert);
    if (o->insecure) {
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if ((rc = ms_net_setup(e, url, o->net, &resolve, &connect_to)) != MS_OK)
        goto out;
    res = curl_easy_perform(e);
    if (res == CURLE_OUT_OF_MEMORY) {
        rc = MS_ERR_NOMEM;
    } else if (res != CURLE_OK) {
        snprintf(why, whylen, "%s",
                 err[0] && !quotes_url(err, url) ? err : curl_easy_strerror(res));
        rc = MS_ERR_IO;
    } else if (curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK || status >= 300 ||
               status < 100) {
        snprintf(why, whylen, "the webhook answered HTTP %ld", status);
        rc = MS_ERR_IO;
    }
out:
    curl_slist_free_all(headers);
    curl_slist_free_all(resolve);
    curl_slist_free_all(connect_to);
    curl_easy_cleanup(e);
    return rc;
}
