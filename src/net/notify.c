/* The webhook POST of run --notify (see ms/notify.h). */
#include "ms/notify.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms/buf.h"
#include "ms/i18n.h"

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
        *why = _("not a URL (an http:// or https:// URL is needed)");
        goto out;
    }
    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
        ok = true;
        goto out;
    }
    ok = strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0;
    if (!ok)
        *why = _("only http:// and https:// URLs can be posted to");
out:
    curl_free(scheme);
    curl_url_cleanup(u);
    return ok;
}

ms_status ms_notify_where(const char *url, char **out)
{
    return ms_url_origin(url, false, out);
}

/* What is kept of the answer's body: its start, for the cause of a failure when the peer's
 * answer may say it (the Pushgateway says why it refused a push). Never allocated. */
typedef struct {
    char text[256];
    size_t len;
} answer;

static size_t keep_start(char *data, size_t size, size_t nmemb, void *ud)
{
    answer *a = ud;
    size_t n = size * nmemb, room = sizeof a->text - 1 - a->len;
    memcpy(a->text + a->len, data, n < room ? n : room);
    a->len += n < room ? n : room;
    a->text[a->len] = '\0';
    return n;
}

/* Whether text quotes the URL, a part of it after the host (a webhook's token), or its user
 * name or password. */
static bool quotes_url(const char *text, const char *url)
{
    const char *p = strstr(url, "://");
    const char *path = p ? strchr(p + 3, '/') : NULL;
    bool quoted = strstr(text, url) || (path && path[1] && strstr(text, path));
    CURLU *u = curl_url();
    char *part = NULL;
    if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
        quoted = quoted || !u; /* out of memory: say nothing of it */
    for (int i = 0; i < 2 && u && !quoted; i++) {
        if (curl_url_get(u, i ? CURLUPART_PASSWORD : CURLUPART_USER, &part, 0) == CURLUE_OK &&
            part[0] && strstr(text, part))
            quoted = true;
        curl_free(part);
        part = NULL;
    }
    curl_url_cleanup(u);
    return quoted;
}

ms_status ms_notify_send(const char *url, const ms_notify_request *req, const ms_notify_opts *o,
                         char *why, size_t whylen)
{
    ms_status rc = MS_OK;
    CURL *e = curl_easy_init();
    struct curl_slist *headers = NULL, *resolve = NULL, *connect_to = NULL;
    char err[CURL_ERROR_SIZE] = "", ctype[128];
    answer ans = {.len = 0};
    long status = 0;
    CURLcode res = CURLE_OK;
    snprintf(ctype, sizeof ctype, "Content-Type: %s", req->content_type);
    if (!e || !(headers = curl_slist_append(NULL, ctype))) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    /* No "Expect: 100-continue" on a big body: the answer comes at once or not at all. */
    struct curl_slist *h = curl_slist_append(headers, "Expect:");
    if (!h) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    headers = h;
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, err);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, req->body);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(req->body));
    if (strcmp(req->method, "POST") != 0)
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, req->method);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, keep_start);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &ans);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L); /* a redirect is an answer of 300 or more */
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
        /* The answer's first line, when it may be shown (it could echo the request). */
        size_t n = strcspn(ans.text, "\r\n");
        ans.text[n] = '\0';
        bool say = req->quote_answer && n > 0 && !quotes_url(ans.text, url);
        if (say)
            /* TRANSLATORS: the webhook or the Pushgateway, the HTTP status it answered, the first
               line of its answer */
            snprintf(why, whylen, _("%s answered HTTP %ld: %s"), _(req->peer), status, ans.text);
        else
            /* TRANSLATORS: the webhook or the Pushgateway, the HTTP status it answered */
            snprintf(why, whylen, _("%s answered HTTP %ld"), _(req->peer), status);
        rc = MS_ERR_IO;
    }
out:
    curl_slist_free_all(headers);
    curl_slist_free_all(resolve);
    curl_slist_free_all(connect_to);
    curl_easy_cleanup(e);
    return rc;
}

ms_status ms_notify_post(const char *url, const char *body, const ms_notify_opts *o, char *why,
                         size_t whylen)
{
    /* A webhook's answer is not quoted: an error page may echo its path, which holds the token. */
    ms_notify_request req = {.method = "POST",
                             .content_type = "application/json",
                             .body = body,
                             /* TRANSLATORS: who answered: "the webhook answered HTTP 500" */
                             .peer = N_("the webhook"),
                             .quote_answer = false};
    return ms_notify_send(url, &req, o, why, whylen);
}
