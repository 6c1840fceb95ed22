/* The probe: times every selected http check with libcurl's multi interface in one thread. */
#ifndef MS_PROBE_H
#define MS_PROBE_H

#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "ms/netopts.h"
#include "ms/plan.h"
#include "ms/status.h"

typedef struct {
    long parallel;          /* checks in flight at once */
    long per_host;          /* connections at once to one host */
    int samples;            /* > 0: overrides every check's samples */
    int64_t timeout_us;     /* > 0: overrides every check's timeout */
    const char *cacert;     /* CA file to trust, or NULL */
    bool insecure;          /* skip TLS verification */
    const ms_net_opts *net; /* proxy, client certificate, HTTP version, resolve; or NULL */
    const atomic_int *stop; /* set (by a signal handler, or another thread): stop and keep
                             * what was measured; an atomic, as the probe may run on a
                             * thread of its own */
    void (*progress)(void *ud, size_t done, size_t total);
    void *progress_ud;
} ms_probe_opts;

/* Run every selected http check of plan, filling in each check's res.samples. Samples of one
 * check run one after another; checks run in parallel. A failed request is recorded in its
 * sample, not returned. Returns MS_ERR_INTERRUPTED when *stop was set (what was measured is
 * kept), MS_ERR_NET or MS_ERR_NOMEM when the probe could not run. */
ms_status ms_probe_run(ms_plan *plan, const ms_probe_opts *opts);

/* Turn libcurl's cumulative times (microseconds) into phases (see ms_phase): dns, connect, tls,
 * server (end of the handshake to the first byte, so the request's sending included) and
 * transfer always add up to total, whatever the inputs (zeros of a reused connection, a
 * time out of order, hops added up by redirects). Exposed for the tests. */
void ms_phases_from_curl(int64_t namelookup, int64_t connect, int64_t appconnect,
                         int64_t starttransfer, int64_t total, int64_t redirect,
                         int64_t ph[MS_PH_COUNT]);

/* "libcurl/7.88.1 OpenSSL/3.0.19 ..." (static). */
const char *ms_curl_version(void);

/* Load libcurl (once: the binary does not link it, src/net/curl_dl.c). true when it is there;
 * else false with the loader's reason in *why (static; why may be NULL). main asks this before
 * a command that sends something and ends it with that reason (exit 3); a libcurl function
 * called when libcurl cannot be loaded is a bug (abort). MS_LIBCURL names another library to
 * load (the tests). */
bool ms_curl_load(const char **why);

#endif
