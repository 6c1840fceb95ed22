/* libcurl lives here only. One multi handle, polled in one thread; each easy handle carries
 * its job through CURLOPT_PRIVATE and has its own error buffer (as curl's tool_operate.c). */
#include "ms/probe.h"

#include <curl/curl.h>
#include <pthread.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ms/buf.h"
#include "ms/expect.h"
#include "ms/hash.h"
#include "ms/i18n.h"
#include "ms/url.h"

#define BODY_KEEP_MAX MS_BODY_EXAMINED_MAX

#define NOT_READY SIZE_MAX

/* The checks of one scheme, host and port. The checks waiting for their next sample are a
 * min-heap of job indexes, so that the first in checklist order starts first. */
typedef struct {
    char *key; /* scheme://host:port (owned) */
    long active;
    size_t *waiting; /* the heap: a slice of the probe's one array, room for all its jobs */
    size_t nwaiting;
    size_t ready_at; /* its place in the ready heap, or NOT_READY */
} host;

/* The hosts that may start a sample now (one waits, and fewer than per_host are in flight): a
 * min-heap by each host's first waiting job. Starting the first of all is then the next
 * sample in checklist order, without scanning every job on every pass. */
typedef struct {
    host *hosts;
    size_t *ready;
    size_t nready;
    long per_host;
} sched;

/* What a check holds from its first sample to its last: most checks of a large run wait for
 * their first, or are done. */
typedef struct {
    CURL *easy;
    const ms_secrets *secrets; /* the plan's, hidden in what a sample's error quotes */
    struct curl_slist *headers;
    struct curl_slist *resolve;    /* --resolve */
    struct curl_slist *connect_to; /* --connect-to */
    ms_buf body;
    int64_t body_bytes;
    char errbuf[CURL_ERROR_SIZE];
} live;

/* A check to measure: 32 bytes while it waits. */
typedef struct {
    ms_check *ck;
    live *lv; /* while it has a handle (setup_job, release_job) */
    size_t host;
    int samples; /* how many to take */
    bool keep_body;
    bool active;
    bool done;
} job;

/* Built from curl_version_info, not curl_version(): the latter also asks OpenLDAP its version,
 * which initialises LDAP and SASL (reads /etc/ldap/ldap.conf, dlopens every SASL plugin): 1.2 MB
 * of peak RSS and some 200 page faults in every run, for a record that needs none of it. Same
 * words as curl_version() for the parts that shape a request (TLS, compression, IDN, HTTP/2
 * and /3); libpsl, librtmp and LDAP are left out. */
static char g_version[512];

static void make_version(void)
{
    char *text = g_version;
    const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
    const struct {
        const char *prefix, *value;
    } parts[] = {
        {"", v->ssl_version},
        {"zlib/", v->libz_version},
        {"brotli/", v->age >= CURLVERSION_FIFTH ? v->brotli_version : NULL},
        {"zstd/", v->age >= CURLVERSION_EIGHTH ? v->zstd_version : NULL},
        {"libidn2/", v->age >= CURLVERSION_THIRD ? v->libidn : NULL},
        {"", v->age >= CURLVERSION_FOURTH ? v->libssh_version : NULL},
        {"nghttp2/", v->age >= CURLVERSION_SIXTH ? v->nghttp2_version : NULL},
        {"", v->age >= CURLVERSION_SIXTH ? v->quic_version : NULL},
    };
    size_t n = (size_t)snprintf(text, sizeof g_version, "libcurl/%s", v->version);
    for (size_t i = 0; i < sizeof parts / sizeof *parts && n < sizeof g_version; i++)
        if (parts[i].value && *parts[i].value)
            n += (size_t)snprintf(text + n, sizeof g_version - n, " %s%s", parts[i].prefix,
                                  parts[i].value);
}

const char *ms_curl_version(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, make_version); /* the probe's thread may ask too */
    return g_version;
}

static int64_t at_least(int64_t v, int64_t floor)
{
    return v < floor ? floor : v;
}

void ms_phases_from_curl(int64_t namelookup, int64_t connect, int64_t appconnect,
                         int64_t starttransfer, int64_t total, int64_t redirect,
                         int64_t ph[MS_PH_COUNT])
{
    /* The ends of the phases, each no earlier than the one before, so that the phases are
     * differences of one rising sequence and add up to the total whatever libcurl says (a
     * reused connection reports 0 or tiny connect and no TLS times; redirects add the hops). */
    int64_t dns_end = at_least(namelookup, 0);
    int64_t connect_end = at_least(connect, dns_end);
    int64_t handshake_end = appconnect > 0 ? at_least(appconnect, connect_end) : connect_end;
    /* From the end of the handshake to the request sent (libcurl's pretransfer) is some tens
     * of microseconds of libcurl's own work on the request: it goes to server (the time the
     * request waited for its answer), so that nothing falls between the phases. */
    int64_t first_byte = at_least(starttransfer, handshake_end);
    int64_t last_byte = at_least(total, first_byte);
    ph[MS_PH_DNS] = dns_end;
    ph[MS_PH_CONNECT] = connect_end - dns_end;
    ph[MS_PH_TLS] = handshake_end - connect_end;
    ph[MS_PH_SERVER] = first_byte - handshake_end;
    ph[MS_PH_TRANSFER] = last_byte - first_byte;
    ph[MS_PH_TTFB] = first_byte;
    ph[MS_PH_TOTAL] = last_byte;
    ph[MS_PH_REDIRECT] = at_least(redirect, 0);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
    job *j = ud;
    live *lv = j->lv;
    size_t n = size * nmemb;
    lv->body_bytes += (int64_t)n;
    if (j->keep_body && lv->body.len < BODY_KEEP_MAX) {
        size_t room = BODY_KEEP_MAX - lv->body.len;
        if (ms_buf_add(&lv->body, data, n < room ? n : room) != MS_OK)
            return 0;
    }
    return n;
}

/* Into *out (caller frees) the scheme, host and port of url, or the whole URL when libcurl
 * cannot read it. MS_OK or MS_ERR_NOMEM. */
static ms_status host_key(const char *url, char **out)
{
    ms_status rc = ms_url_endpoint(url, out, NULL);
    if (rc == MS_ERR_INVALID && !(*out = strdup(url)))
        rc = MS_ERR_NOMEM;
    return rc == MS_ERR_INVALID ? MS_OK : rc;
}

/* The network options (ms/netopts.h) on the easy handle of j (ms_net_setup). */
static ms_status setup_net(job *j, const ms_net_opts *n)
{
    return ms_net_setup(j->lv->easy, j->ck->url, n, &j->lv->resolve, &j->lv->connect_to);
}

/* A check's first sample: its handle, its lists and room for its samples. */
static ms_status setup_job(job *j, const ms_secrets *secrets, const ms_probe_opts *o)
{
    ms_check *ck = j->ck;
    ms_buf line; /* growable: a long header value is sent whole */
    bool own_connection = false;
    live *lv = j->lv = calloc(1, sizeof *lv);
    if (!lv)
        return MS_ERR_NOMEM;
    lv->secrets = secrets;
    ms_buf_init(&lv->body, BODY_KEEP_MAX);
    /* made here, not before the run, so that they take the memory of the checks done */
    if (!(ck->res.samples = calloc((size_t)j->samples, sizeof *ck->res.samples)))
        return MS_ERR_NOMEM;
    CURL *e = lv->easy = curl_easy_init();
    if (!e)
        return MS_ERR_NOMEM;
    ms_buf_init(&line, 0);
    for (size_t i = 0; i < ck->nheaders; i++) {
        ms_buf_reset(&line);
        struct curl_slist *l = NULL;
        if (ms_buf_printf(&line, "%s: %s", ck->headers[i].name, ck->headers[i].value) == MS_OK)
            l = curl_slist_append(lv->headers, ms_buf_str(&line));
        if (!l) {
            ms_buf_cleanup(&line);
            return MS_ERR_NOMEM;
        }
        lv->headers = l;
        if (strcasecmp(ck->headers[i].name, "Connection") == 0)
            own_connection = true;
    }
    ms_buf_cleanup(&line);
    /* A cold customer will not come back on this connection: say so, as curl does with -H
     * 'Connection: close', so that the server closes it at once. Otherwise the server holds it
     * open until it notices libcurl's close (FORBID_REUSE), a slot of its own lost per sample:
     * 1,000 cold checks took 1.7x longer at -j 8 on the test server. HTTP/2 and /3 have no such
     * header: libcurl leaves it out there. A check's own Connection header is sent as written. */
    if (!ck->warm && !own_connection) {
        struct curl_slist *l = curl_slist_append(lv->headers, "Connection: close");
        if (!l)
            return MS_ERR_NOMEM;
        lv->headers = l;
    }
    curl_easy_setopt(e, CURLOPT_URL, ck->url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, j);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, lv->errbuf);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, lv->headers);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "mystery-shopper/" MS_VERSION);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ""); /* what a browser accepts */
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, ck->follow_redirects ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, ck->max_redirects);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS,
                     (long)((o->timeout_us > 0 ? o->timeout_us : ck->timeout_us) / 1000));
    /* A POST is libcurl's own (its fields, even empty), so that a 301, 302 or 303 turns it into
     * a GET as browsers and curl -L do; a custom "POST" would be sent again as POST. */
    const char *method = ms_check_method(ck);
    bool post = strcmp(method, "POST") == 0;
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    else if (!post && (ck->body || strcmp(method, "GET") != 0))
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
    if (ck->body || post) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, ck->body ? ck->body : "");
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
                         (curl_off_t)(ck->body ? strlen(ck->body) : 0));
    }
    if (!ck->warm) {
        /* A new customer: fresh DNS, TCP and TLS on every sample. */
        curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
        curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
        curl_easy_setopt(e, CURLOPT_DNS_CACHE_TIMEOUT, 0L);
        curl_easy_setopt(e, CURLOPT_SSL_SESSIONID_CACHE, 0L);
    }
    if (o->cacert)
        curl_easy_setopt(e, CURLOPT_CAINFO, o->cacert);
    if (o->insecure) {
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    return setup_net(j, o->net);
}

/* An ms_header_lookup over the easy handle ud: the last response's header (after
 * redirects). A header that is not there is NULL; libcurl failing to look is a failure. */
static ms_status lookup_header(void *ud, const char *name, const char **value)
{
    struct curl_header *h = NULL;
    *value = NULL;
    switch (curl_easy_header((CURL *)ud, name, 0, CURLH_HEADER, -1, &h)) {
    case CURLHE_OK:
        *value = h->value;
        return MS_OK;
    case CURLHE_MISSING:
    case CURLHE_NOHEADERS:
        return MS_OK;
    case CURLHE_OUT_OF_MEMORY:
        return MS_ERR_NOMEM;
    default:
        return MS_ERR_NET; /* a bad index or request, or libcurl built without the header API */
    }
}

static int64_t info_time(CURL *e, CURLINFO what)
{
    curl_off_t v = 0;
    curl_easy_getinfo(e, what, &v);
    return (int64_t)v;
}

/* Why a transfer failed, for its sample. libcurl before 8 says "Out of memory" (with an empty
 * error buffer) when one response header passes its 100 KB limit; once the status line has
 * arrived, that is what it means: say so. */
static const char *failure_text(const live *lv, CURLcode result, long status)
{
    if (result == CURLE_OUT_OF_MEMORY && !lv->errbuf[0] && status > 0)
        return _("response header too large (libcurl's limit is 100 KB)");
    return lv->errbuf[0] ? lv->errbuf : curl_easy_strerror(result);
}

/* Record the sample that just finished on j. */
static ms_status record_sample(job *j, CURLcode result)
{
    live *lv = j->lv;
    CURL *e = lv->easy;
    ms_result *r = &j->ck->res;
    ms_sample *s = &r->samples[r->nsamples++];
    long version = 0;
    char *ip = NULL;
    memset(s, 0, sizeof *s);
    ms_phases_from_curl(
        info_time(e, CURLINFO_NAMELOOKUP_TIME_T), info_time(e, CURLINFO_CONNECT_TIME_T),
        info_time(e, CURLINFO_APPCONNECT_TIME_T), info_time(e, CURLINFO_STARTTRANSFER_TIME_T),
        info_time(e, CURLINFO_TOTAL_TIME_T), info_time(e, CURLINFO_REDIRECT_TIME_T), s->ph);
    long status = 0, redirects = 0, connects = 0, port = 0;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(e, CURLINFO_REDIRECT_COUNT, &redirects);
    curl_easy_getinfo(e, CURLINFO_NUM_CONNECTS, &connects);
    curl_easy_getinfo(e, CURLINFO_HTTP_VERSION, &version);
    curl_easy_getinfo(e, CURLINFO_PRIMARY_IP, &ip);
    curl_easy_getinfo(e, CURLINFO_PRIMARY_PORT, &port);
    /* a status has three digits, a port five; the counts are clamped, not wrapped */
    s->status = status >= 0 && status <= 999 ? (int)status : 0;
    s->redirects = redirects > INT_MAX ? INT_MAX : (int)redirects;
    s->connects = connects > INT_MAX ? INT_MAX : (int)connects;
    s->remote_port = port >= 0 && port <= 65535 ? (int)port : 0;
    snprintf(s->remote_ip, sizeof s->remote_ip, "%s", ip ? ip : "");
    snprintf(s->http_version, sizeof s->http_version, "%s",
             version == CURL_HTTP_VERSION_1_0   ? "1.0"
             : version == CURL_HTTP_VERSION_1_1 ? "1.1"
             : version == CURL_HTTP_VERSION_2_0 ? "2"
             : version == CURL_HTTP_VERSION_3   ? "3"
                                                : "");
    s->bytes = lv->body_bytes;
    if (!s->redirects)
        s->ph[MS_PH_REDIRECT] = 0;
    s->completed = result == CURLE_OK;
    /* A transfer that failed (refused, timeout, reset, TLS) has no phase times: what libcurl
     * measured up to the break is not a phase of any response. Only how long it took is kept. */
    if (!s->completed) {
        int64_t took = s->ph[MS_PH_TOTAL];
        memset(s->ph, 0, sizeof s->ph);
        s->ph[MS_PH_TOTAL] = took;
    }
    s->body_cut = j->keep_body && lv->body_bytes > (int64_t)lv->body.len;
    /* on_body never asks for more than BODY_KEEP_MAX: a body it could not keep is memory
     * running out here, not a broken transfer to report as the server's failure. */
    if (lv->body.failed)
        return MS_ERR_NOMEM;
    if (result != CURLE_OK) {
        s->failed = true;
        /* libcurl cuts its message to fit the buffer: a secret at the cut is hidden too. */
        const char *msg = failure_text(lv, result, s->status);
        ms_buf clean;
        ms_buf_init(&clean, 0);
        ms_status rc = ms_secrets_redact(lv->secrets, msg, strlen(msg),
                                         strlen(msg) + 1 >= CURL_ERROR_SIZE, &clean);
        s->error = rc == MS_OK ? ms_buf_take(&clean) : NULL;
        ms_buf_cleanup(&clean);
        return s->error ? MS_OK : MS_ERR_NOMEM;
    }
    ms_status rc = ms_expect_check(j->ck, s->status, ms_buf_str(&lv->body), lv->body.len,
                                   s->body_cut, lookup_header, e, lv->secrets, &s->error);
    s->failed = s->error != NULL;
    return rc;
}

static void wait_push(host *x, size_t ji)
{
    size_t i = x->nwaiting++;
    while (i > 0 && x->waiting[(i - 1) / 2] > ji) {
        x->waiting[i] = x->waiting[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    x->waiting[i] = ji;
}

static size_t wait_pop(host *x)
{
    size_t top = x->waiting[0], last = x->waiting[--x->nwaiting], i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= x->nwaiting)
            break;
        if (c + 1 < x->nwaiting && x->waiting[c + 1] < x->waiting[c])
            c++;
        if (last <= x->waiting[c])
            break;
        x->waiting[i] = x->waiting[c];
        i = c;
    }
    if (x->nwaiting)
        x->waiting[i] = last;
    return top;
}

static bool ready_less(const sched *s, size_t a, size_t b)
{
    return s->hosts[s->ready[a]].waiting[0] < s->hosts[s->ready[b]].waiting[0];
}

static void ready_swap(sched *s, size_t a, size_t b)
{
    size_t t = s->ready[a];
    s->ready[a] = s->ready[b];
    s->ready[b] = t;
    s->hosts[s->ready[a]].ready_at = a;
    s->hosts[s->ready[b]].ready_at = b;
}

/* Put the ready host at i back in heap order after its key changed. */
static void ready_sift(sched *s, size_t i)
{
    while (i > 0 && ready_less(s, i, (i - 1) / 2)) {
        ready_swap(s, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= s->nready)
            break;
        if (c + 1 < s->nready && ready_less(s, c + 1, c))
            c++;
        if (!ready_less(s, c, i))
            break;
        ready_swap(s, i, c);
        i = c;
    }
}

/* Host h's waiting jobs or active count changed: in, out of or moved in the ready heap. */
static void ready_update(sched *s, size_t h)
{
    host *x = &s->hosts[h];
    bool can = x->nwaiting > 0 && x->active < s->per_host;
    if (can && x->ready_at == NOT_READY) {
        x->ready_at = s->nready++;
        s->ready[x->ready_at] = h;
        ready_sift(s, x->ready_at);
    } else if (can) {
        ready_sift(s, x->ready_at);
    } else if (x->ready_at != NOT_READY) {
        size_t i = x->ready_at, last = --s->nready;
        x->ready_at = NOT_READY;
        if (i != last) {
            s->ready[i] = s->ready[last];
            s->hosts[s->ready[i]].ready_at = i;
            ready_sift(s, i);
        }
    }
}

/* A check's libcurl handle, its lists, its error buffer and its body exist from its first sample
 * to its last (about 10 KB a check: made before the run and kept to its end, they were most of a
 * large run's memory; the error buffer, in every job, was two thirds of the probe's own). */
static void release_job(job *j)
{
    live *lv = j->lv;
    if (!lv)
        return;
    curl_easy_cleanup(lv->easy);
    curl_slist_free_all(lv->headers);
    curl_slist_free_all(lv->resolve);
    curl_slist_free_all(lv->connect_to);
    ms_buf_cleanup(&lv->body);
    free(lv);
    j->lv = NULL;
}

static ms_status start_sample(CURLM *multi, job *j, host *hosts, const ms_secrets *secrets,
                              const ms_probe_opts *o)
{
    ms_status rc = j->lv ? MS_OK : setup_job(j, secrets, o);
    if (rc != MS_OK)
        return rc;
    live *lv = j->lv;
    lv->errbuf[0] = '\0';
    lv->body_bytes = 0;
    ms_buf_reset(&lv->body);
    if (curl_multi_add_handle(multi, lv->easy) != CURLM_OK)
        return MS_ERR_NET;
    j->active = true;
    hosts[j->host].active++;
    return MS_OK;
}

/* Room for n hosts in *hosts and their places in *ready (*cap of each now). */
static ms_status grow_hosts(host **hosts, size_t **ready, size_t *cap, size_t n)
{
    if (n <= *cap)
        return MS_OK;
    size_t want = *cap ? *cap * 2 : 4;
    host *h = realloc(*hosts, want * sizeof *h);
    if (h)
        *hosts = h;
    size_t *r = h ? realloc(*ready, want * sizeof *r) : NULL;
    if (r)
        *ready = r;
    if (!h || !r)
        return MS_ERR_NOMEM;
    memset(h + *cap, 0, (want - *cap) * sizeof *h);
    *cap = want;
    return MS_OK;
}

static void cleanup_jobs(CURLM *multi, job *jobs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (jobs[i].active)
            curl_multi_remove_handle(multi, jobs[i].lv->easy);
        release_job(&jobs[i]);
    }
    free(jobs);
}

ms_status ms_probe_run(ms_plan *plan, const ms_probe_opts *o)
{
    ms_status rc = MS_OK;
    CURLM *multi = NULL;
    job *jobs = NULL;
    host *hosts = NULL;
    size_t *slots = NULL; /* the hosts' waiting heaps, one slice each */
    size_t *ready = NULL;
    ms_hindex host_index; /* hash of a host's key -> its place in hosts */
    size_t njobs = 0, nhosts = 0, done = 0;
    long active = 0;
    long parallel = o->parallel > 0 ? o->parallel : 4;
    long per_host = o->per_host > 0 ? o->per_host : 2;
    sched sc;

    ms_hindex_init(&host_index);
    size_t hosts_cap = 0; /* hosts and ready grow with the hosts found: most runs have few */
    jobs = calloc(plan->nchecks + 1, sizeof *jobs);
    slots = calloc(plan->nchecks + 1, sizeof *slots);
    multi = curl_multi_init();
    if (!jobs || !slots || !multi) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < plan->nchecks; i++) {
        ms_check *ck = plan->checks[i];
        if (!ck->selected || ck->kind != MS_KIND_HTTP)
            continue;
        job *j = &jobs[njobs++];
        j->ck = ck;
        j->samples = o->samples > 0 ? o->samples : ck->samples;
        j->keep_body = ms_expect_needs_body(ck);
        ms_result_cleanup(&ck->res);
        char *key = NULL;
        /* libcurl's messages in samples may name the host in the IDNA form it sends: the
         * secrets get that form before anything is sent. */
        if ((rc = ms_secrets_add_host(&plan->secrets, ck->url)) != MS_OK ||
            (rc = host_key(ck->url, &key)) != MS_OK)
            goto out;
        uint64_t hash = ms_hash_str(key);
        size_t it = 0, h = NOT_READY, k;
        while (h == NOT_READY && ms_hindex_next(&host_index, hash, &it, &k))
            if (strcmp(hosts[k].key, key) == 0)
                h = k;
        if (h != NOT_READY) {
            free(key);
        } else if ((rc = grow_hosts(&hosts, &ready, &hosts_cap, nhosts + 1)) != MS_OK ||
                   (rc = ms_hindex_add(&host_index, hash, nhosts)) != MS_OK) {
            free(key);
            goto out;
        } else {
            h = nhosts++;
            hosts[h].key = key;
            hosts[h].ready_at = NOT_READY;
        }
        j->host = h;
        hosts[h].nwaiting++; /* counted here, filled below */
    }
    /* Each host's heap starts as its jobs in checklist order, which is heap order. */
    for (size_t h = 0, at = 0; h < nhosts; h++) {
        hosts[h].waiting = slots + at;
        at += hosts[h].nwaiting;
        hosts[h].nwaiting = 0;
    }
    for (size_t i = 0; i < njobs; i++) {
        host *x = &hosts[jobs[i].host];
        x->waiting[x->nwaiting++] = i;
    }
    sc = (sched){hosts, ready, 0, per_host};
    for (size_t h = 0; h < nhosts; h++)
        ready_update(&sc, h);
    if (o->progress)
        o->progress(o->progress_ud, 0, njobs);
    while (done < njobs) {
        if (o->stop && atomic_load(o->stop)) {
            rc = MS_ERR_INTERRUPTED;
            goto out;
        }
        /* Start what the limits allow, in checklist order. */
        while (active < parallel && sc.nready > 0) {
            size_t h = sc.ready[0];
            job *j = &jobs[wait_pop(&hosts[h])];
            if ((rc = start_sample(multi, j, hosts, &plan->secrets, o)) != MS_OK)
                goto out;
            active++;
            ready_update(&sc, h);
        }
        int running = 0;
        if (curl_multi_perform(multi, &running) != CURLM_OK) {
            rc = MS_ERR_NET;
            goto out;
        }
        CURLMsg *msg;
        int left;
        bool finished = false;
        while ((msg = curl_multi_info_read(multi, &left))) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            job *j = NULL;
            CURL *e = msg->easy_handle;
            CURLcode result = msg->data.result;
            curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&j);
            if ((rc = record_sample(j, result)) != MS_OK)
                goto out;
            curl_multi_remove_handle(multi, e);
            j->active = false;
            finished = true;
            hosts[j->host].active--;
            active--;
            if (j->ck->res.nsamples >= j->samples) {
                j->done = true;
                release_job(j);
                done++;
                if (o->progress)
                    o->progress(o->progress_ud, done, njobs);
            } else {
                wait_push(&hosts[j->host], (size_t)(j - jobs));
            }
            ready_update(&sc, j->host);
        }
        /* When a sample finished, start the next at once rather than wait in poll. */
        if (!finished && done < njobs && curl_multi_poll(multi, NULL, 0, 100, NULL) != CURLM_OK) {
            rc = MS_ERR_NET;
            goto out;
        }
    }
out:
    if (jobs)
        cleanup_jobs(multi, jobs, njobs);
    curl_multi_cleanup(multi);
    for (size_t h = 0; h < nhosts; h++)
        free(hosts[h].key);
    free(hosts);
    free(slots);
    free(ready);
    ms_hindex_cleanup(&host_index);
    /* A check that never got a sample has none: it is reported as not run. */
    return rc;
}
