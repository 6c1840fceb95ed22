/* ms-testserver: a scripted HTTP(S) server on loopback for the tests, the demo and the
 * benchmark. It binds 127.0.0.1 only, writes its port to --port-file, and exits by itself after
 * --lifetime seconds (or on SIGTERM/SIGINT).
 *
 * Routes (every route also takes ?delay=MS before answering and ?status=CODE):
 *   /json              {"status":"ok","items":[1,2,3],"shop":{"open":true}}
 *   /redirect/N        a chain of N 302 redirects ending at /
 *   /goto?to=URL       one 302 redirect to URL
 *   /drip?bytes=N&ms=M N bytes, one byte every M ms
 *   /hang              answers nothing for a long time
 *   /reset             closes the connection without an answer
 *   /large?bytes=N     a body of N bytes
 *   /echo, /echo/...   the request's method, headers, body and raw request target as JSON
 *   /echo-json         the request's body back (200) when it is valid JSON, else 400
 *   /stats             {"connections": N, "requests": M, "max_inflight": K} since the start or
 *                      the last /stats/reset, not counting the /stats request itself
 *                      (K: the most requests delayed at once)
 *   /private           200 with "Authorization: Bearer SECRET" (--secret SECRET), else 401
 *   /stats/reset       zero the counters
 *   /flaky?every=N     every Nth request to /flaky (since the start or the last /stats/reset)
 *                      is answered 500, the others with the page that says "Welcome"
 *   /api/health        {"status":"ok"}; /api/search?q=Q {"query":Q,"results":[...]};
 *   /api/orders        POST: 201 {"id":1001,"status":"received"} (needs a JSON body)
 *   /bigheader?bytes=N an X-Big response header whose value is N bytes ("hhh...")
 *   /raw?h=HEX&b=HEX   an X-Raw header and a body of exactly those bytes (invalid UTF-8, ...);
 *                      &ct=TYPE sets the Content-Type (default application/json)
 *   /client-cert       200 "client certificate verified" when the TLS client sent a certificate
 *                      that --client-ca FILE signed, else 403 saying why
 *   /shop/...          the demo shop: /shop/, /shop/products, /shop/search, /shop/checkout
 *                      (slow), /shop/api/health, /shop/api/orders (fails), /shop/contact
 *   anything else      a small HTML page that says "Welcome"
 *
 * With --event-loop the server is one epoll thread instead of a thread per connection, and
 * ?delay=MS suspends the request (libmicrohttpd's suspend/resume) and a timer thread resumes it
 * when its delay is up: a delayed request costs no thread and a connection a small memory pool
 * (see MEMORY_LIMIT), so a benchmark of many requests in flight measures the client, not the
 * server (0.86 ms of CPU a connection otherwise, which on a 2-core machine made the server the
 * bottleneck at -j 64). For benchmarks: the
 * routes that wait inside their answer (/drip, /hang, the shop's slow pages) hold up the loop.
 *
 * With --https-redirect PORT every request is answered with a 301 to the same path on
 * https://127.0.0.1:PORT, as a site that moves plain HTTP to HTTPS does.
 *
 * A request in absolute form ("GET http://host/path", as a client sends to a proxy) is
 * answered as the path, so the server can stand in for a proxy: tests use that to see the host
 * name a client sends without resolving it.
 */
#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <gnutls/gnutls.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Room for the /bigheader route's megabyte header (libmicrohttpd's default is 32 KiB). A
 * connection's pool is cleared when it is made: 3 MB is 750 page faults, 0.7 ms of CPU a
 * connection, so --event-loop (benchmarks) keeps 64 KiB and has no megabyte headers. */
#define MEMORY_LIMIT            ((size_t)3 * 1024 * 1024)
#define EVENT_LOOP_MEMORY_LIMIT ((size_t)64 * 1024)

static atomic_long g_connections;
static atomic_long g_requests;
static atomic_long g_inflight;
static atomic_long g_max_inflight;
static atomic_long g_flaky; /* requests to /flaky */
static const char *g_secret;
static long g_https_redirect;
static bool g_client_ca;           /* --client-ca: client certificates are asked for and checked */
static volatile atomic_int g_quit; /* set by a signal, read by the connection threads */
static bool g_event_loop;          /* --event-loop: delays suspend the request (see above) */

static void on_signal(int sig)
{
    (void)sig;
    g_quit = 1;
}

static void nap_ms(long ms)
{
    while (ms > 0 && !g_quit) {
        long step = ms > 50 ? 50 : ms;
        struct timespec ts = {step / 1000, (step % 1000) * 1000000L};
        nanosleep(&ts, NULL);
        ms -= step;
    }
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    (void)c;
    (void)socket_context;
    if (code == MHD_CONNECTION_NOTIFY_STARTED)
        atomic_fetch_add(&g_connections, 1);
}

typedef struct {
    bool started; /* the handler has seen the request's headers */
    bool counted; /* counted in /stats, its delay taken or being taken */
    char *target; /* the request target as received, before any decoding */
    char *body;
    size_t len, cap;
} upload;

/* Called with the raw request target before libmicrohttpd decodes it: keep it for /echo. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    (void)c;
    upload *u = calloc(1, sizeof *u);
    if (u)
        u->target = strdup(uri ? uri : "");
    return u;
}

static void upload_add(upload *u, const char *data, size_t n)
{
    if (u->len + n + 1 > u->cap) {
        size_t cap = (u->len + n + 1) * 2;
        char *p = realloc(u->body, cap);
        if (!p)
            return;
        u->body = p;
        u->cap = cap;
    }
    memcpy(u->body + u->len, data, n);
    u->len += n;
    u->body[u->len] = '\0';
}

static long qnum(struct MHD_Connection *c, const char *name, long dflt)
{
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
    return v ? strtol(v, NULL, 10) : dflt;
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned int status, const char *type,
                                 const char *body, size_t len)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "X-Test-Server", "ms-testserver");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* send_text for a NUL-terminated string. */
static enum MHD_Result send_lit(struct MHD_Connection *c, unsigned int status, const char *type,
                                const char *body)
{
    return send_text(c, status, type, body, strlen(body));
}

/* JSON string escaping for the echo route. */
static void json_str(char *out, size_t cap, size_t *n, const char *s)
{
    if (*n < cap)
        out[(*n)++] = '"';
    for (; *s && *n + 8 < cap; s++) {
        if (*s == '"' || *s == '\\') {
            out[(*n)++] = '\\';
            out[(*n)++] = *s;
        } else if ((unsigned char)*s < 0x20) {
            *n += (size_t)snprintf(out + *n, cap - *n, "\\u%04x", *s);
        } else {
            out[(*n)++] = *s;
        }
    }
    if (*n < cap)
        out[(*n)++] = '"';
}

typedef struct {
    char *out;
    size_t cap, n;
    int count;
} echo_ctx;

static enum MHD_Result echo_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    echo_ctx *e = cls;
    (void)kind;
    if (e->count++)
        e->out[e->n++] = ',';
    json_str(e->out, e->cap, &e->n, key);
    e->out[e->n++] = ':';
    json_str(e->out, e->cap, &e->n, value ? value : "");
    return MHD_YES;
}

static enum MHD_Result route_echo(struct MHD_Connection *c, const char *method, const upload *u)
{
    static const size_t cap = 65536;
    char *out = malloc(cap);
    echo_ctx e = {out, cap - 64, 0, 0};
    if (!out)
        return MHD_NO;
    e.n = (size_t)snprintf(out, cap, "{\"method\":");
    json_str(out, e.cap, &e.n, method);
    e.n += (size_t)snprintf(out + e.n, cap - e.n, ",\"headers\":{");
    MHD_get_connection_values(c, MHD_HEADER_KIND, echo_header, &e);
    e.n += (size_t)snprintf(out + e.n, cap - e.n, "},\"body\":");
    json_str(out, e.cap, &e.n, u && u->body ? u->body : "");
    e.n += (size_t)snprintf(out + e.n, cap - e.n, ",\"target\":");
    json_str(out, e.cap, &e.n, u && u->target ? u->target : "");
    e.n += (size_t)snprintf(out + e.n, cap - e.n, "}");
    enum MHD_Result ret = send_text(c, 200, "application/json", out, e.n);
    free(out);
    return ret;
}

typedef struct {
    long left;
    long ms;
} drip;

static ssize_t drip_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    drip *d = cls;
    (void)pos;
    if (d->left <= 0 || g_quit)
        return MHD_CONTENT_READER_END_OF_STREAM;
    if (max < 1)
        return 0;
    nap_ms(d->ms);
    buf[0] = 'x';
    d->left--;
    return 1;
}

static enum MHD_Result route_drip(struct MHD_Connection *c)
{
    drip *d = malloc(sizeof *d);
    if (!d)
        return MHD_NO;
    d->left = qnum(c, "bytes", 10);
    d->ms = qnum(c, "ms", 50);
    struct MHD_Response *r =
        MHD_create_response_from_callback((uint64_t)d->left, 1, drip_read, d, free);
    MHD_add_response_header(r, "Content-Type", "text/plain");
    enum MHD_Result ret = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result route_api(struct MHD_Connection *c, const char *url, const char *method,
                                 const upload *u)
{
    char buf[512];
    if (strcmp(url, "/api/health") == 0)
        return send_lit(c, 200, "application/json", "{\"status\":\"ok\",\"version\":\"1.2.3\"}");
    if (strcmp(url, "/api/search") == 0) {
        const char *q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "q");
        int n = snprintf(buf, sizeof buf,
                         "{\"query\":\"%.100s\",\"results\":[{\"id\":7,\"name\":\"Ao dai\"}],"
                         "\"total\":1}",
                         q ? q : "");
        return send_text(c, 200, "application/json", buf, (size_t)n);
    }
    if (strcmp(url, "/api/orders") == 0 && strcmp(method, "POST") == 0) {
        if (!u->body || u->body[0] != '{')
            return send_lit(c, 400, "application/json", "{\"error\":\"a JSON body please\"}");
        const char *j = "{\"id\":1001,\"status\":\"received\"}";
        return send_text(c, 201, "application/json", j, strlen(j));
    }
    return send_lit(c, 404, "application/json", "{\"error\":\"not found\"}");
}

static enum MHD_Result route_shop(struct MHD_Connection *c, const char *url)
{
    static const char page[] =
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Test shop</title>"
        "</head><body><h1>Welcome to the test shop</h1><p>Hotline: 1900 1234</p>%s</body></html>";
    char body[2048];
    if (strcmp(url, "/shop/checkout") == 0)
        nap_ms(450); /* a slow backend: the demo's finding */
    if (strcmp(url, "/shop/api/health") == 0)
        return send_lit(c, 200, "application/json", "{\"status\":\"ok\",\"db\":\"up\"}");
    if (strcmp(url, "/shop/api/orders") == 0)
        return send_lit(c, 500, "application/json", "{\"error\":\"database timeout\"}");
    if (strcmp(url, "/shop/search") == 0) {
        nap_ms(60);
        snprintf(body, sizeof body, page, "<ul><li>Ao dai</li><li>Non la</li></ul>");
    } else if (strcmp(url, "/shop/") == 0 || strcmp(url, "/shop/products") == 0 ||
               strcmp(url, "/shop/contact") == 0 || strcmp(url, "/shop/checkout") == 0) {
        snprintf(body, sizeof body, page, "");
    } else {
        return send_lit(c, 404, "text/html", "<h1>Not found</h1>");
    }
    return send_text(c, 200, "text/html; charset=utf-8", body, strlen(body));
}

/* Decode hex into bytes; returns the count, 0 on bad input. */
static size_t unhex(const char *hex, char *out, size_t cap)
{
    size_t n = 0;
    while (hex && hex[0] && hex[1] && n < cap) {
        unsigned int v;
        if (sscanf(hex, "%2x", &v) != 1)
            return 0;
        out[n++] = (char)v;
        hex += 2;
    }
    return n;
}

/* Hostile responses: a huge header, raw bytes in a header and the body. */
static enum MHD_Result route_hostile(struct MHD_Connection *c, const char *url, unsigned int status)
{
    struct MHD_Response *r = NULL;
    char *big = NULL;
    if (strcmp(url, "/bigheader") == 0) {
        long n = qnum(c, "bytes", 1000000);
        big = malloc((size_t)n + 1);
        if (!big)
            return MHD_NO;
        memset(big, 'h', (size_t)n);
        big[n] = '\0';
        r = MHD_create_response_from_buffer(2, (void *)"ok", MHD_RESPMEM_PERSISTENT);
        MHD_add_response_header(r, "X-Big", big);
    } else {
        const char *h = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "h");
        const char *b = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "b");
        const char *ct = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "ct");
        big = calloc(1, 8192);
        if (!big)
            return MHD_NO;
        size_t hn = unhex(h, big, 4095), bn = unhex(b, big + 4096, 4095);
        r = MHD_create_response_from_buffer(bn, big + 4096, MHD_RESPMEM_MUST_COPY);
        if (hn)
            MHD_add_response_header(r, "X-Raw", big);
        MHD_add_response_header(r, "Content-Type", ct ? ct : "application/json");
    }
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    free(big);
    return ret;
}

/* /client-cert: whether the client's certificate is one the --client-ca signed (libmicrohttpd
 * asks for one with MHD_OPTION_HTTPS_MEM_TRUST, and leaves the verdict to the server). */
static enum MHD_Result route_client_cert(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    gnutls_session_t tls = ci ? (gnutls_session_t)ci->tls_session : NULL;
    unsigned int n = 0, status = 0;
    if (!g_client_ca || !tls)
        return send_lit(c, 403, "text/plain", "not a TLS server with --client-ca\n");
    if (!gnutls_certificate_get_peers(tls, &n) || n == 0)
        return send_lit(c, 403, "text/plain", "no client certificate\n");
    if (gnutls_certificate_verify_peers2(tls, &status) != GNUTLS_E_SUCCESS || status != 0)
        return send_lit(c, 403, "text/plain", "client certificate not trusted\n");
    return send_lit(c, 200, "text/plain", "client certificate verified\n");
}

/* --event-loop: the suspended requests, a min-heap by the time they are due (CLOCK_MONOTONIC),
 * and the thread that resumes each when it is due. */
typedef struct {
    struct timespec at;
    struct MHD_Connection *c;
} wake;

static pthread_mutex_t g_wake_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_wake_cond;
static wake *g_wakes;
static size_t g_nwakes, g_wake_cap;

static bool ts_before(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* t plus ms milliseconds. */
static void ts_add_ms(struct timespec *t, long ms)
{
    t->tv_sec += ms / 1000;
    t->tv_nsec += (ms % 1000) * 1000000L;
    if (t->tv_nsec >= 1000000000L) {
        t->tv_sec++;
        t->tv_nsec -= 1000000000L;
    }
}

static bool wake_before(const wake *a, const wake *b)
{
    return ts_before(&a->at, &b->at);
}

static void wake_swap(size_t i, size_t j)
{
    wake t = g_wakes[i];
    g_wakes[i] = g_wakes[j];
    g_wakes[j] = t;
}

/* Resume c when ms milliseconds have passed (the lock held by the caller). */
static bool wake_add(struct MHD_Connection *c, long ms)
{
    if (g_nwakes == g_wake_cap) {
        size_t cap = g_wake_cap ? 2 * g_wake_cap : 256;
        wake *w = realloc(g_wakes, cap * sizeof *w);
        if (!w)
            return false;
        g_wakes = w;
        g_wake_cap = cap;
    }
    wake w = {{0, 0}, c};
    clock_gettime(CLOCK_MONOTONIC, &w.at);
    ts_add_ms(&w.at, ms);
    size_t i = g_nwakes++;
    g_wakes[i] = w;
    while (i > 0 && wake_before(&g_wakes[i], &g_wakes[(i - 1) / 2])) {
        wake_swap(i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
    pthread_cond_signal(&g_wake_cond);
    return true;
}

static struct MHD_Connection *wake_pop(void)
{
    struct MHD_Connection *c = g_wakes[0].c;
    g_wakes[0] = g_wakes[--g_nwakes];
    for (size_t i = 0;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < g_nwakes && wake_before(&g_wakes[l], &g_wakes[m]))
            m = l;
        if (r < g_nwakes && wake_before(&g_wakes[r], &g_wakes[m]))
            m = r;
        if (m == i)
            break;
        wake_swap(i, m);
        i = m;
    }
    return c;
}

/* Resume each request when it is due; when the server stops, every one left (libmicrohttpd
 * must not be stopped with connections suspended). */
static void *wake_thread(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&g_wake_lock);
    for (;;) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (g_nwakes && (g_quit || !ts_before(&now, &g_wakes[0].at))) {
            struct MHD_Connection *c = wake_pop();
            pthread_mutex_unlock(&g_wake_lock);
            MHD_resume_connection(c);
            pthread_mutex_lock(&g_wake_lock);
        } else if (g_quit) {
            break;
        } else if (g_nwakes) {
            pthread_cond_timedwait(&g_wake_cond, &g_wake_lock, &g_wakes[0].at);
        } else {
            struct timespec soon = now;
            ts_add_ms(&soon, 100); /* to see g_quit */
            pthread_cond_timedwait(&g_wake_cond, &g_wake_lock, &soon);
        }
    }
    pthread_mutex_unlock(&g_wake_lock);
    return NULL;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *data,
                              size_t *data_size, void **con_cls)
{
    (void)cls;
    (void)version;
    upload *u = *con_cls;
    if (!u || !u->started) {
        if (!u && !(u = calloc(1, sizeof *u)))
            return MHD_NO;
        u->started = true;
        *con_cls = u;
        return MHD_YES;
    }
    if (strncmp(url, "http://", 7) == 0) { /* absolute form: as a proxy would be asked */
        const char *path = strchr(url + 7, '/');
        url = path ? path : "/";
    }
    if (*data_size) {
        upload_add(u, data, *data_size);
        *data_size = 0;
        return MHD_YES;
    }
    if (u->counted)
        goto delayed; /* resumed: its delay is over */
    u->counted = true;
    atomic_fetch_add(&g_requests, 1);
    if (g_https_redirect) {
        char to[600];
        snprintf(to, sizeof to, "https://127.0.0.1:%ld%.500s", g_https_redirect, url);
        struct MHD_Response *r =
            MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        MHD_add_response_header(r, "Location", to);
        enum MHD_Result ret = MHD_queue_response(c, 301, r);
        MHD_destroy_response(r);
        return ret;
    }
    /* Requests being worked on at once (libmicrohttpd reports closed connections late, so
     * this, not open connections, is what measures a client's concurrency). */
    long now = atomic_fetch_add(&g_inflight, 1) + 1;
    long max = atomic_load(&g_max_inflight);
    while (now > max && !atomic_compare_exchange_weak(&g_max_inflight, &max, now))
        ;
    long delay = qnum(c, "delay", 0);
    if (g_event_loop && delay > 0) {
        /* Suspended only while the timer thread runs: it leaves when g_quit is set and it has
         * resumed every request (read under the lock here, so none is suspended after it). A
         * request that cannot be suspended (stopping, or no memory for its wake) waits here. */
        pthread_mutex_lock(&g_wake_lock);
        bool added = !g_quit && wake_add(c, delay);
        if (added)
            MHD_suspend_connection(c);
        pthread_mutex_unlock(&g_wake_lock);
        if (added)
            return MHD_YES;
    }
    nap_ms(delay);
delayed:
    atomic_fetch_sub(&g_inflight, 1);
    unsigned int status = (unsigned int)qnum(c, "status", 200);
    char buf[256];

    if (strcmp(url, "/stats") == 0) {
        int n =
            snprintf(buf, sizeof buf, "{\"connections\":%ld,\"requests\":%ld,\"max_inflight\":%ld}",
                     atomic_load(&g_connections) - 1, atomic_load(&g_requests) - 1,
                     atomic_load(&g_max_inflight));
        return send_text(c, 200, "application/json", buf, (size_t)n);
    }
    if (strcmp(url, "/stats/reset") == 0) {
        atomic_store(&g_connections, 0);
        atomic_store(&g_requests, 0);
        atomic_store(&g_max_inflight, 0);
        atomic_store(&g_flaky, 0);
        return send_lit(c, 200, "text/plain", "reset\n");
    }
    if (strcmp(url, "/flaky") == 0) {
        long every = qnum(c, "every", 2), k = atomic_fetch_add(&g_flaky, 1) + 1;
        if (every > 0 && k % every == 0)
            return send_lit(c, 500, "text/plain", "flaky: failed this time\n");
    }
    if (strcmp(url, "/private") == 0) {
        const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
        char want[512];
        snprintf(want, sizeof want, "Bearer %s", g_secret ? g_secret : "");
        if (g_secret && auth && strcmp(auth, want) == 0)
            return send_lit(c, 200, "text/plain", "welcome back\n");
        return send_lit(c, 401, "text/plain", "who are you?\n");
    }
    if (strcmp(url, "/json") == 0) {
        const char *j = "{\"status\":\"ok\",\"items\":[1,2,3],\"shop\":{\"open\":true}}";
        return send_text(c, status, "application/json", j, strlen(j));
    }
    if (strncmp(url, "/redirect/", 10) == 0) {
        long n = strtol(url + 10, NULL, 10);
        struct MHD_Response *r =
            MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        if (n > 1)
            snprintf(buf, sizeof buf, "/redirect/%ld", n - 1);
        else
            snprintf(buf, sizeof buf, "/");
        MHD_add_response_header(r, "Location", buf);
        enum MHD_Result ret = MHD_queue_response(c, 302, r);
        MHD_destroy_response(r);
        return ret;
    }
    if (strcmp(url, "/goto") == 0) {
        const char *to = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "to");
        struct MHD_Response *r =
            MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        MHD_add_response_header(r, "Location", to ? to : "/");
        enum MHD_Result ret = MHD_queue_response(c, 302, r);
        MHD_destroy_response(r);
        return ret;
    }
    if (strcmp(url, "/drip") == 0)
        return route_drip(c);
    if (strcmp(url, "/client-cert") == 0)
        return route_client_cert(c);
    if (strcmp(url, "/hang") == 0) {
        nap_ms(120000);
        return MHD_NO;
    }
    if (strcmp(url, "/reset") == 0)
        return MHD_NO; /* libmicrohttpd closes the connection without an answer */
    if (strcmp(url, "/large") == 0) {
        long n = qnum(c, "bytes", 1000000);
        char *big = malloc((size_t)n + 1);
        if (!big)
            return MHD_NO;
        memset(big, 'a', (size_t)n);
        enum MHD_Result ret = send_text(c, status, "application/octet-stream", big, (size_t)n);
        free(big);
        return ret;
    }
    if (strcmp(url, "/echo") == 0 || strncmp(url, "/echo/", 6) == 0)
        return route_echo(c, method, u);
    if (strcmp(url, "/echo-json") == 0) {
        cJSON *doc = u->body ? cJSON_ParseWithLength(u->body, u->len) : NULL;
        cJSON_Delete(doc);
        if (!doc)
            return send_lit(c, 400, "application/json", "{\"error\":\"the body is not JSON\"}");
        return send_text(c, 200, "application/json", u->body, u->len);
    }
    if (strcmp(url, "/bigheader") == 0 || strcmp(url, "/raw") == 0)
        return route_hostile(c, url, status);
    if (strncmp(url, "/shop/", 6) == 0)
        return route_shop(c, url);
    if (strncmp(url, "/api/", 5) == 0)
        return route_api(c, url, method, u);
    int n = snprintf(buf, sizeof buf,
                     "<!doctype html><html><body><h1>Welcome</h1><p>%.100s</p></body></html>", url);
    return send_text(c, status, "text/html; charset=utf-8", buf, (size_t)n);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    upload *u = *con_cls;
    if (u) {
        free(u->target);
        free(u->body);
        free(u);
    }
    *con_cls = NULL;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s && fread(s, 1, (size_t)n, f) == (size_t)n)
        s[n] = '\0';
    else {
        free(s);
        s = NULL;
    }
    fclose(f);
    return s;
}

static void usage(void)
{
    fprintf(stderr, "usage: ms-testserver [--port N] [--port-file FILE] [--lifetime SECONDS]\n"
                    "                     [--tls-cert FILE --tls-key FILE] [--secret TOKEN]\n"
                    "                     [--https-redirect PORT] [--client-ca FILE]\n"
                    "                     [--event-loop]\n");
}

int main(int argc, char **argv)
{
    long port = 0, lifetime = 300;
    const char *port_file = NULL, *cert_file = NULL, *key_file = NULL, *ca_file = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--event-loop") == 0) {
            g_event_loop = true;
            continue;
        }
        if (i + 1 >= argc) {
            usage();
            return 2;
        }
        if (strcmp(argv[i], "--port") == 0)
            port = strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--port-file") == 0)
            port_file = argv[++i];
        else if (strcmp(argv[i], "--lifetime") == 0)
            lifetime = strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--tls-cert") == 0)
            cert_file = argv[++i];
        else if (strcmp(argv[i], "--tls-key") == 0)
            key_file = argv[++i];
        else if (strcmp(argv[i], "--secret") == 0)
            g_secret = argv[++i];
        else if (strcmp(argv[i], "--client-ca") == 0)
            ca_file = argv[++i];
        else if (strcmp(argv[i], "--https-redirect") == 0)
            g_https_redirect = strtol(argv[++i], NULL, 10);
        else {
            usage();
            return 2;
        }
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);

    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    unsigned int flags =
        g_event_loop
            ? MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG
            : MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG;
    size_t memory_limit = g_event_loop ? EVENT_LOOP_MEMORY_LIMIT : MEMORY_LIMIT;
    pthread_t waker;
    if (g_event_loop) {
        pthread_condattr_t ca_attr;
        pthread_condattr_init(&ca_attr);
        pthread_condattr_setclock(&ca_attr, CLOCK_MONOTONIC);
        pthread_cond_init(&g_wake_cond, &ca_attr);
        if (pthread_create(&waker, NULL, wake_thread, NULL) != 0) {
            fprintf(stderr, "ms-testserver: cannot start the timer thread\n");
            return 1;
        }
    }
    char *cert = NULL, *key = NULL, *ca = NULL;
    if (ca_file && !(ca = slurp(ca_file))) {
        fprintf(stderr, "ms-testserver: cannot read the client CA\n");
        return 1;
    }
    g_client_ca = ca != NULL;
    if (cert_file || key_file) {
        cert = cert_file ? slurp(cert_file) : NULL;
        key = key_file ? slurp(key_file) : NULL;
        if (!cert || !key) {
            fprintf(stderr, "ms-testserver: cannot read the TLS certificate or key\n");
            return 1;
        }
        flags |= MHD_USE_TLS;
    }
    struct MHD_Daemon *d;
    if (cert && ca)
        d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, handle, NULL, MHD_OPTION_SOCK_ADDR,
                             &addr, MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
                             MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
                             MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_HTTPS_MEM_CERT,
                             cert, MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_HTTPS_MEM_TRUST, ca,
                             MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
                             MHD_OPTION_CONNECTION_MEMORY_LIMIT, memory_limit, MHD_OPTION_END);
    else if (cert)
        d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, handle, NULL, MHD_OPTION_SOCK_ADDR,
                             &addr, MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
                             MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
                             MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_HTTPS_MEM_CERT,
                             cert, MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_CONNECTION_TIMEOUT,
                             (unsigned int)30, MHD_OPTION_CONNECTION_MEMORY_LIMIT, memory_limit,
                             MHD_OPTION_END);
    else
        d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, handle, NULL, MHD_OPTION_SOCK_ADDR,
                             &addr, MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
                             MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
                             MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
                             MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
                             MHD_OPTION_CONNECTION_MEMORY_LIMIT, memory_limit, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "ms-testserver: cannot start on 127.0.0.1:%ld\n", port);
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned int bound = info ? info->port : (unsigned int)port;
    if (port_file) {
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp", port_file);
        FILE *f = fopen(tmp, "w");
        if (!f || fprintf(f, "%u\n", bound) < 0 || fclose(f) != 0 || rename(tmp, port_file) != 0) {
            fprintf(stderr, "ms-testserver: cannot write %s\n", port_file);
            MHD_stop_daemon(d);
            return 1;
        }
    } else {
        printf("%u\n", bound);
        fflush(stdout);
    }
    for (long waited = 0; !g_quit && waited < lifetime * 10; waited++)
        nap_ms(100);
    g_quit = 1;
    if (g_event_loop) {
        pthread_mutex_lock(&g_wake_lock);
        pthread_cond_signal(&g_wake_cond);
        pthread_mutex_unlock(&g_wake_lock);
        pthread_join(waker, NULL);
    }
    MHD_stop_daemon(d);
    free(g_wakes);
    free(cert);
    free(key);
    free(ca);
    return 0;
}
