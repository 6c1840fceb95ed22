/* run --notify URL: when a run alerts (--notify-on) and the POST of its message to a webhook.
 * The message itself is made by report/ (ms_report_notify); this sends it with libcurl, through
 * the same TLS and network options as the probe. The webhook URL is a secret (Slack's carry a
 * token in their path): nothing here writes it but its scheme, host and port (ms_notify_where). */
#ifndef MS_NOTIFY_H
#define MS_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "ms/netopts.h"
#include "ms/status.h"

/* How long the POST may take in all (connect, TLS, send, answer), in milliseconds. */
#define MS_NOTIFY_TIMEOUT_MS 10000

/* --notify-on: change (the exit code differs from the previous run's of the same checklists and
 * label), fail (every run that does not pass), always. */
typedef enum { MS_NOTIFY_CHANGE, MS_NOTIFY_FAIL, MS_NOTIFY_ALWAYS } ms_notify_on;

/* How the message is sent; strings are borrowed. */
typedef struct {
    const char *cacert;     /* --cacert FILE, or NULL */
    bool insecure;          /* --insecure */
    const ms_net_opts *net; /* --proxy, --cert, --resolve, ...; NULL: none */
    long timeout_ms;        /* 0: MS_NOTIFY_TIMEOUT_MS */
} ms_notify_opts;

/* Whether a run whose verdict is exit_code alerts under on: the exit code of the gate's verdict
 * (0 passed, 1 failed, 4 incomplete; the caller leaves out exit 3, the tool's own I/O trouble).
 * has_prev: the history holds an earlier run of the same checklists and label, whose verdict was
 * prev_exit; without one, the previous run counts as passed (a first run alerts when it does not
 * pass). */
bool ms_notify_due(ms_notify_on on, int exit_code, bool has_prev, int prev_exit);

/* Whether url can be a webhook: an http or https URL with a host. *why says why not (static;
 * it never quotes the URL). */
bool ms_notify_url_valid(const char *url, const char **why);

/* url as messages show it: scheme, host and port only ("https://hooks.slack.com"), never its
 * user, path or query; "(not a URL)" when it is not one. *out is new (caller frees); MS_OK or
 * MS_ERR_NOMEM. */
ms_status ms_notify_where(const char *url, char **out);

/* One request of a report client (--notify, --push). Strings are borrowed. */
typedef struct {
    const char *method;       /* "POST", "PUT" */
    const char *content_type; /* the Content-Type header's value */
    const char *body;
    const char *peer;  /* who answers, in the cause of a failure: N_("the webhook"), translated */
    bool quote_answer; /* the cause of an answer of 300 or more quotes its first line (when it
                        * holds nothing of the URL's path, user or password) */
} ms_notify_request;

/* Send req to url within o->timeout_ms, through the probe's TLS and network options
 * (ms_net_setup), following no redirect. MS_OK when the peer answered below 300; MS_ERR_IO when
 * the request could not be sent or was answered 300 or more, with the cause in why (never the
 * URL's user, password, path or query); MS_ERR_NOMEM. Prints nothing. */
ms_status ms_notify_send(const char *url, const ms_notify_request *req, const ms_notify_opts *o,
                         char *why, size_t whylen);

/* POST body (JSON) to url with Content-Type application/json, within o->timeout_ms. MS_OK when
 * the webhook answered below 300; MS_ERR_IO when it could not be sent or answered 300 or more,
 * with the cause in why (never the URL's path or query); MS_ERR_NOMEM. Prints nothing. */
ms_status ms_notify_post(const char *url, const char *body, const ms_notify_opts *o, char *why,
                         size_t whylen);

#endif
