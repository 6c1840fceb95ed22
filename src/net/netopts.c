/* The network options of run (see ms/netopts.h). */
#include "ms/netopts.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ms/buf.h"
#include "ms/i18n.h"
#include "ms/url.h"

/* A variable as libcurl's curl_getenv reads it: an empty one is unset. */
static const char *env(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

/* The first n bytes of a and b are the same, case aside. */
static bool same_ci(const char *a, const char *b, size_t n)
{
    return strncasecmp(a, b, n) == 0;
}

/* host (n bytes, an address without brackets) is in the network token (an address with an
 * optional /BITS, n bytes) of its family. */
static bool cidr_match(const char *host, size_t hn, const char *token, size_t tn, int family)
{
    char h[64], t[64];
    unsigned char ha[16], ta[16];
    const char *slash = memchr(token, '/', tn);
    size_t an = slash ? (size_t)(slash - token) : tn;
    long bits = family == AF_INET ? 32 : 128;
    if (hn >= sizeof h || an >= sizeof t)
        return false;
    memcpy(h, host, hn);
    h[hn] = '\0';
    memcpy(t, token, an);
    t[an] = '\0';
    if (slash) {
        char b[8];
        char *end = NULL;
        size_t bn = tn - an - 1;
        if (bn == 0 || bn >= sizeof b)
            return false;
        memcpy(b, slash + 1, bn);
        b[bn] = '\0';
        bits = strtol(b, &end, 10);
        if (*end || bits < 0 || bits > (family == AF_INET ? 32 : 128))
            return false;
    }
    if (inet_pton(family, h, ha) != 1 || inet_pton(family, t, ta) != 1)
        return false;
    for (long i = 0; i < bits; i++) {
        unsigned char m = (unsigned char)(0x80u >> (i % 8));
        if ((ha[i / 8] & m) != (ta[i / 8] & m))
            return false;
    }
    return true;
}

bool ms_noproxy_match(const char *host, const char *list)
{
    unsigned char addr[16];
    char h[64];
    size_t hn = host ? strlen(host) : 0;
    int family = 0;
    if (!host || !*host || !list || !*list)
        return false;
    if (strcmp(list, "*") == 0)
        return true;
    if (host[0] == '[' && hn > 2 && host[hn - 1] == ']') {
        host++;
        hn -= 2;
    }
    if (hn < sizeof h) {
        memcpy(h, host, hn);
        h[hn] = '\0';
        family = inet_pton(AF_INET, h, addr) == 1    ? AF_INET
                 : inet_pton(AF_INET6, h, addr) == 1 ? AF_INET6
                                                     : 0;
    }
    if (!family && hn > 0 && host[hn - 1] == '.')
        hn--; /* a trailing dot is the same name */
    for (const char *p = list; *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *tok = p;
        while (*p && *p != ' ' && *p != '\t' && *p != ',')
            p++;
        size_t tn = (size_t)(p - tok);
        if (tn == 0)
            continue;
        if (family) {
            if (tok[0] == '[' && tn > 2 && memchr(tok, ']', tn)) { /* [::1] or [::1]/64 */
                const char *close = memchr(tok, ']', tn);
                char t[80];
                size_t a = (size_t)(close - tok - 1), rest = tn - (size_t)(close - tok) - 1;
                if (a + rest < sizeof t) {
                    memcpy(t, tok + 1, a);
                    memcpy(t + a, close + 1, rest);
                    if (cidr_match(h, hn, t, a + rest, family))
                        return true;
                }
            } else if (cidr_match(h, hn, tok, tn, family)) {
                return true;
            }
            continue;
        }
        if (tok[tn - 1] == '.')
            tn--;
        if (tn && tok[0] == '.') {
            tok++;
            tn--;
        }
        if (tn == 0)
            continue;
        if (tn == hn && same_ci(tok, host, hn))
            return true;
        if (tn < hn && host[hn - tn - 1] == '.' && same_ci(tok, host + hn - tn, tn))
            return true;
    }
    return false;
}

ms_status ms_proxy_for(const char *url, const ms_net_opts *o, ms_proxy_choice *out)
{
    static const struct {
        const char *scheme, *lower, *upper;
    } vars[] = {{"http", "http_proxy", NULL}, /* never HTTP_PROXY: libcurl's CGI precaution */
                {"https", "https_proxy", "HTTPS_PROXY"}};
    ms_url u;
    const char *noproxy = o->noproxy;
    out->proxy = out->from = NULL;
    if (o->proxy && !*o->proxy)
        return MS_OK; /* --proxy "": none, whatever the environment says */
    if (!o->proxy && !env("http_proxy") && !env("https_proxy") && !env("HTTPS_PROXY") &&
        !env("all_proxy") && !env("ALL_PROXY"))
        return MS_OK; /* no proxy anywhere: nothing to take the URL apart for */
    ms_status rc = ms_url_parse(url, &u, NULL);
    if (rc != MS_OK) {
        ms_url_cleanup(&u);
        return rc == MS_ERR_NOMEM ? MS_ERR_NOMEM : MS_OK;
    }
    if (!noproxy && !(noproxy = env("no_proxy")))
        noproxy = env("NO_PROXY");
    if (!ms_noproxy_match(u.host, noproxy)) {
        if (o->proxy) {
            out->proxy = o->proxy;
            out->from = "--proxy";
        }
        for (size_t i = 0; !out->proxy && i < sizeof vars / sizeof vars[0]; i++) {
            if (strcmp(u.scheme, vars[i].scheme) != 0)
                continue;
            if ((out->proxy = env(vars[i].lower)))
                out->from = vars[i].lower;
            else if (vars[i].upper && (out->proxy = env(vars[i].upper)))
                out->from = vars[i].upper;
        }
        if (!out->proxy && (out->proxy = env("all_proxy")))
            out->from = "all_proxy";
        if (!out->proxy && (out->proxy = env("ALL_PROXY")))
            out->from = "ALL_PROXY";
    }
    ms_url_cleanup(&u);
    return MS_OK;
}

/* The proxy as a handle of libcurl's URL API, read as libcurl reads a proxy: http:// when it
 * names no scheme (the URL API's own default would be https), socks schemes too. NULL with *uc
 * set when it cannot be read. */
/* url parsed by libcurl (any scheme; "http://" put before one without a scheme when
 * default_http), or NULL with *uc saying why. */
static CURLU *parse_url(const char *url, bool default_http, CURLUcode *uc)
{
    CURLU *u = curl_url();
    ms_buf text;
    ms_buf_init(&text, 0);
    if (default_http && !strstr(url, "://"))
        ms_buf_adds(&text, "http://");
    ms_buf_adds(&text, url);
    if (!u || text.failed)
        *uc = CURLUE_OUT_OF_MEMORY;
    else
        *uc = curl_url_set(u, CURLUPART_URL, ms_buf_str(&text), CURLU_NON_SUPPORT_SCHEME);
    ms_buf_cleanup(&text);
    if (*uc != CURLUE_OK) {
        curl_url_cleanup(u);
        return NULL;
    }
    return u;
}

static CURLU *proxy_url(const char *proxy, CURLUcode *uc)
{
    return parse_url(proxy, true, uc);
}

bool ms_proxy_valid(const char *proxy, const char **why)
{
    static const char *const schemes[] = {"http",    "https",  "socks4",
                                          "socks4a", "socks5", "socks5h"};
    CURLUcode uc = CURLUE_OK;
    CURLU *u = proxy_url(proxy, &uc);
    char *scheme = NULL;
    bool known = false;
    if (!u) {
        if (why)
            *why = curl_url_strerror(uc);
        return uc == CURLUE_OUT_OF_MEMORY; /* not the value's fault: libcurl will say */
    }
    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK)
        known = true; /* out of memory: not the value's fault either */
    for (size_t i = 0; scheme && i < sizeof schemes / sizeof schemes[0]; i++)
        known = known || strcmp(scheme, schemes[i]) == 0;
    if (!known && why)
        *why = _("libcurl's proxies are http, https, socks4, socks4a, socks5 and socks5h");
    curl_free(scheme);
    curl_url_cleanup(u);
    return known;
}

ms_status ms_url_origin(const char *url, bool default_http, char **out)
{
    ms_status rc = MS_OK;
    CURLUcode uc = CURLUE_OK;
    CURLU *u = parse_url(url, default_http, &uc);
    char *scheme = NULL, *host = NULL, *port = NULL;
    ms_buf b;
    ms_buf_init(&b, 0);
    *out = NULL;
    if (!u) {
        if (uc == CURLUE_OUT_OF_MEMORY)
            rc = MS_ERR_NOMEM;
        else
            ms_buf_adds(&b, "(not a URL)"); /* never the text: it may hold a secret */
        goto out;
    }
    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    uc = curl_url_get(u, CURLUPART_PORT, &port, 0);
    if (uc != CURLUE_OK && uc != CURLUE_NO_PORT) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    ms_buf_printf(&b, "%s://%s%s%s", scheme, host, port ? ":" : "", port ? port : "");
out:
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    if (rc == MS_OK && !(*out = ms_buf_take(&b)))
        rc = MS_ERR_NOMEM;
    ms_buf_cleanup(&b);
    return rc;
}

ms_status ms_proxy_display(const char *proxy, char **out)
{
    return ms_url_origin(proxy, true, out);
}

/* The credentials of one proxy value into secrets (see ms_proxy_secrets). */
static ms_status proxy_secret(const char *proxy, ms_secrets *secrets)
{
    ms_status rc = MS_OK;
    CURLUcode uc = CURLUE_OK;
    CURLU *u = NULL;
    char *pw = NULL;
    if (!proxy || !strchr(proxy, '@'))
        return MS_OK;
    if ((rc = ms_secrets_add(secrets, proxy)) != MS_OK)
        return rc;
    if (!(u = proxy_url(proxy, &uc)))
        return uc == CURLUE_OUT_OF_MEMORY ? MS_ERR_NOMEM : MS_OK;
    uc = curl_url_get(u, CURLUPART_PASSWORD, &pw, CURLU_URLDECODE);
    if (uc == CURLUE_OUT_OF_MEMORY)
        rc = MS_ERR_NOMEM;
    else if (uc == CURLUE_OK && strlen(pw) >= MS_SECRET_MIN)
        rc = ms_secrets_add(secrets, pw);
    curl_free(pw);
    curl_url_cleanup(u);
    return rc;
}

ms_status ms_proxy_secrets(const ms_net_opts *o, ms_secrets *secrets)
{
    static const char *const vars[] = {"http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy",
                                       "ALL_PROXY"};
    ms_status rc = MS_OK;
    if (o->proxy)
        return proxy_secret(o->proxy, secrets);
    for (size_t i = 0; i < sizeof vars / sizeof vars[0] && rc == MS_OK; i++)
        rc = proxy_secret(env(vars[i]), secrets);
    return rc;
}

/* The port at *p (digits up to the next ':' or the end): 1 to 65535. Advances *p past it. */
static bool port_at(const char **p, bool empty_ok)
{
    const char *s = *p;
    long v = 0;
    while (isdigit((unsigned char)*s) && v <= 65535)
        v = v * 10 + (*s++ - '0');
    if (s == *p) {
        *p = s;
        return empty_ok && (*s == ':' || !*s);
    }
    bool ok = (*s == ':' || !*s) && v >= 1 && v <= 65535;
    *p = s;
    return ok;
}

/* A host part at *p up to the next ':' (or the end): a name or a [bracketed IPv6 address], or
 * nothing when empty_ok. Advances *p past it. */
static bool host_at(const char **p, bool empty_ok)
{
    const char *s = *p;
    if (*s == '[') {
        const char *close = strchr(s, ']');
        char a[64];
        unsigned char buf[16];
        size_t n = close ? (size_t)(close - s - 1) : 0;
        if (!close || n == 0 || n >= sizeof a)
            return false;
        memcpy(a, s + 1, n);
        a[n] = '\0';
        *p = close + 1;
        return inet_pton(AF_INET6, a, buf) == 1 && (**p == ':' || !**p);
    }
    while (*s && *s != ':') {
        if ((unsigned char)*s <= ' ' || *s == '/' || *s == '[' || *s == ']' || *s == 0x7f)
            return false;
        s++;
    }
    bool ok = s > *p || empty_ok;
    *p = s;
    return ok;
}

ms_status ms_resolve_check(const char *arg, const char **why)
{
    const char *p = arg + (arg[0] == '+');
    *why = _("not HOST:PORT:ADDRESS");
    /* libcurl takes the host up to the first ':': a name, never a bracketed IPv6 address */
    if (*p == '[' || !host_at(&p, false) || *p != ':')
        return MS_ERR_USAGE;
    p++;
    if (!port_at(&p, false) || *p != ':') {
        *why = _("not HOST:PORT:ADDRESS (PORT a number from 1 to 65535)");
        return MS_ERR_USAGE;
    }
    p++;
    *why = _("not HOST:PORT:ADDRESS[,ADDRESS]... (each an IPv4 or IPv6 address, IPv6 in [brackets] "
             "or not)");
    if (!*p)
        return MS_ERR_USAGE;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        const char *a0 = p;
        char a[64];
        unsigned char buf[16];
        if (n >= 2 && p[0] == '[' && p[n - 1] == ']') {
            a0++;
            n -= 2;
        }
        if (n == 0 || n >= sizeof a)
            return MS_ERR_USAGE;
        memcpy(a, a0, n);
        a[n] = '\0';
        if (inet_pton(AF_INET, a, buf) != 1 && inet_pton(AF_INET6, a, buf) != 1)
            return MS_ERR_USAGE;
        if (!end)
            break;
        p = end + 1;
    }
    return MS_OK;
}

ms_status ms_connect_to_check(const char *arg, const char **why)
{
    const char *p = arg;
    *why = _("not HOST1:PORT1:HOST2:PORT2 (any part may be empty; IPv6 addresses in [brackets], "
             "ports from 1 to 65535)");
    if (!host_at(&p, true) || *p++ != ':' || !port_at(&p, true) || *p++ != ':' ||
        !host_at(&p, true) || *p++ != ':' || !port_at(&p, true) || *p)
        return MS_ERR_USAGE;
    return MS_OK;
}

bool ms_curl_has_http3(void)
{
    const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
    return v && (v->features & CURL_VERSION_HTTP3);
}

/* dst = a copy of the n strings of src; MS_OK or MS_ERR_NOMEM. */
static ms_status dup_strs(char ***dst, size_t *ndst, const char *const *src, size_t n)
{
    if (n && !(*dst = calloc(n, sizeof **dst)))
        return MS_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        if (!((*dst)[i] = strdup(src[i])))
            return MS_ERR_NOMEM;
        *ndst = i + 1;
    }
    return MS_OK;
}

/* Add check id to the proxy of display url and origin from, new or found in net. */
static ms_status add_proxied(ms_run_net *net, const char *url, const char *from, const char *id)
{
    ms_run_proxy *p = NULL;
    for (size_t i = 0; i < net->nproxies && !p; i++)
        if (strcmp(net->proxies[i].url, url) == 0 && strcmp(net->proxies[i].from, from) == 0)
            p = &net->proxies[i];
    if (!p) {
        ms_run_proxy *g = realloc(net->proxies, (net->nproxies + 1) * sizeof *g);
        if (!g)
            return MS_ERR_NOMEM;
        net->proxies = g;
        p = &g[net->nproxies];
        memset(p, 0, sizeof *p);
        p->url = strdup(url);
        p->from = strdup(from);
        net->nproxies++;
        if (!p->url || !p->from)
            return MS_ERR_NOMEM;
    }
    char **c = realloc(p->checks, (p->nchecks + 1) * sizeof *c);
    if (!c)
        return MS_ERR_NOMEM;
    p->checks = c;
    if (!(c[p->nchecks] = strdup(id)))
        return MS_ERR_NOMEM;
    p->nchecks++;
    return MS_OK;
}

ms_status ms_net_record(const ms_plan *plan, const ms_net_opts *o, ms_run_net *out)
{
    static const char *const versions[] = {NULL, "1.1", "2", "3"};
    ms_status rc = MS_OK;
    memset(out, 0, sizeof *out);
    if (versions[o->http_version] && !(out->http_version = strdup(versions[o->http_version])))
        return MS_ERR_NOMEM;
    if (o->cert && !(out->client_cert = strdup(o->cert)))
        return MS_ERR_NOMEM;
    if ((rc = dup_strs(&out->resolve, &out->nresolve, o->resolve, o->nresolve)) != MS_OK ||
        (rc = dup_strs(&out->connect_to, &out->nconnect_to, o->connect_to, o->nconnect_to)) !=
            MS_OK)
        return rc;
    /* Checks in report order: checklist, section, check (the record's order). */
    for (size_t l = 0; l < plan->nlists && rc == MS_OK; l++)
        for (size_t s = 0; s < plan->lists[l].nsections && rc == MS_OK; s++)
            for (size_t c = 0; c < plan->lists[l].sections[s].nchecks && rc == MS_OK; c++) {
                const ms_check *ck = plan->lists[l].sections[s].checks[c];
                ms_proxy_choice pc;
                char *shown = NULL;
                if (!ck->selected || ck->kind != MS_KIND_HTTP || !ck->url)
                    continue;
                if ((rc = ms_proxy_for(ck->url, o, &pc)) != MS_OK || !pc.proxy)
                    continue;
                if ((rc = ms_proxy_display(pc.proxy, &shown)) == MS_OK)
                    rc = add_proxied(out, shown, pc.from, ck->id);
                free(shown);
            }
    return rc;
}

/* A list of libcurl strings (--resolve, --connect-to) into *list; MS_OK or MS_ERR_NOMEM. */
static ms_status slist_of(const char *const *v, size_t n, struct curl_slist **list)
{
    for (size_t i = 0; i < n; i++) {
        struct curl_slist *l = curl_slist_append(*list, v[i]);
        if (!l)
            return MS_ERR_NOMEM;
        *list = l;
    }
    return MS_OK;
}

/* The proxy is chosen here, as ms_net_record reports it, and given to libcurl as the one to use
 * ("" for none) with an empty no-proxy list: libcurl then takes no other decision from the
 * environment, and the report says what carried the request. */
ms_status ms_net_setup(CURL *e, const char *url, const ms_net_opts *n, struct curl_slist **resolve,
                       struct curl_slist **connect_to)
{
    static const long versions[] = {CURL_HTTP_VERSION_NONE, CURL_HTTP_VERSION_1_1,
                                    CURL_HTTP_VERSION_2_0, CURL_HTTP_VERSION_3};
    ms_status rc = MS_OK;
    ms_proxy_choice pc;
    ms_net_opts none = {0};
    if (!n)
        n = &none;
    if ((rc = ms_proxy_for(url, n, &pc)) != MS_OK)
        return rc;
    curl_easy_setopt(e, CURLOPT_PROXY, pc.proxy ? pc.proxy : "");
    curl_easy_setopt(e, CURLOPT_NOPROXY, "");
    if (n->cert)
        curl_easy_setopt(e, CURLOPT_SSLCERT, n->cert);
    if (n->key)
        curl_easy_setopt(e, CURLOPT_SSLKEY, n->key);
    if (n->http_version != MS_HTTP_DEFAULT)
        curl_easy_setopt(e, CURLOPT_HTTP_VERSION, versions[n->http_version]);
    if ((rc = slist_of(n->resolve, n->nresolve, resolve)) != MS_OK ||
        (rc = slist_of(n->connect_to, n->nconnect_to, connect_to)) != MS_OK)
        return rc;
    if (*resolve)
        curl_easy_setopt(e, CURLOPT_RESOLVE, *resolve);
    if (*connect_to)
        curl_easy_setopt(e, CURLOPT_CONNECT_TO, *connect_to);
    return MS_OK;
}
