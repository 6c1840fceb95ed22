/* run --push URL: the run's metrics (ms_report_metrics) sent to a Prometheus Pushgateway with a
 * PUT to URL/metrics/job/mystery_shopper/checklist/IDS/label/LABEL, through the same TLS and
 * network options as the probe (ms_net_setup). URL may hold credentials (user:password@): nothing
 * here writes more of it than its scheme, host and port (ms_notify_where). */
#ifndef MS_PUSH_H
#define MS_PUSH_H

#include <stdbool.h>
#include <stddef.h>

#include "ms/notify.h"
#include "ms/run.h"
#include "ms/status.h"

/* Whether url can be a Pushgateway: an http or https URL with a host and no query or fragment.
 * *why says why not (static; it never quotes the URL). */
bool ms_push_url_valid(const char *url, const char **why);

/* The URL the metrics of run are put to: base (without a trailing '/') followed by the grouping
 * key /metrics/job/mystery_shopper/checklist/IDS/label/LABEL, IDS the run's checklist ids joined
 * by ',' and LABEL the run's label (a value that is empty or holds '/' is sent base64url-encoded,
 * as the Pushgateway's "label@base64" form; others percent-encoded), each made valid UTF-8 as the
 * metrics' label values are, so that the grouping key and the pushed labels agree. *out is new
 * (caller frees). MS_OK or MS_ERR_NOMEM. */
ms_status ms_push_url(const char *base, const ms_run *run, char **out);

/* PUT body (the Prometheus text format) to url (ms_push_url's) within o->timeout_ms, as
 * ms_notify_send does: MS_OK when the Pushgateway answered below 300; MS_ERR_IO when it could not
 * be sent or answered 300 or more, with the cause in why (with the first line of its answer,
 * which says why it refused a push; never the URL's user, password, path or query);
 * MS_ERR_NOMEM. Prints nothing. */
ms_status ms_push_put(const char *url, const char *body, const ms_notify_opts *o, char *why,
                      size_t whylen);

#endif
