/* The network options of run (--proxy, --noproxy, --cert, --key, --http1.1, --http2, --http3,
 * --resolve, --connect-to): their syntax, the proxy each check's URL goes through (chosen from
 * the options and the environment as libcurl chooses it), and their record for the reports. */
#ifndef MS_NETOPTS_H
#define MS_NETOPTS_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>

#include "ms/plan.h"
#include "ms/run.h"
#include "ms/status.h"

typedef enum { MS_HTTP_DEFAULT, MS_HTTP_1_1, MS_HTTP_2, MS_HTTP_3 } ms_http_version;

/* The options as given; strings are borrowed (from argv). */
typedef struct {
    const char *proxy;   /* --proxy URL ("" for none at all), or NULL: the environment's */
    const char *noproxy; /* --noproxy HOSTS, or NULL: the environment's no_proxy */
    const char *cert;    /* --cert FILE, or NULL */
    const char *key;     /* --key FILE, or NULL */
    ms_http_version http_version;
    const char **resolve; /* --resolve HOST:PORT:ADDR[,ADDR]... (owned array) */
    size_t nresolve;
    const char **connect_to; /* --connect-to HOST1:PORT1:HOST2:PORT2 (owned array) */
    size_t nconnect_to;
} ms_net_opts;

/* The proxy a URL goes through. */
typedef struct {
    const char *proxy; /* the proxy URL as given (the option's or the variable's value, borrowed);
                        * NULL: straight to the host */
    const char *from;  /* "--proxy" or the environment variable's name (static); NULL with no
                        * proxy */
} ms_proxy_choice;

/* Which proxy url goes through, as libcurl decides it: --noproxy, else no_proxy (or NO_PROXY)
 * from the environment, lists the hosts that go straight; otherwise --proxy, else the
 * environment's SCHEME_proxy (upper case too, but for http_proxy, which libcurl never reads in
 * upper case), else all_proxy (ALL_PROXY). An empty variable counts as unset; --proxy "" means
 * no proxy. A URL that cannot be read goes straight (libcurl refuses to send it). MS_OK, or
 * MS_ERR_NOMEM (then *out says no proxy: the caller must not send). */
ms_status ms_proxy_for(const char *url, const ms_net_opts *o, ms_proxy_choice *out);

/* Add to secrets the credentials of every proxy the run could use (--proxy, and http_proxy,
 * https_proxy, HTTPS_PROXY, all_proxy, ALL_PROXY unless --proxy is given): a proxy value that
 * holds a user name (an '@') is itself a secret, and so is its password when libcurl reads one
 * of MS_SECRET_MIN characters or more. libcurl quotes the whole value in some errors ("Unsupported
 * proxy scheme for '...'"), which become a sample's error. MS_OK or MS_ERR_NOMEM. */
ms_status ms_proxy_secrets(const ms_net_opts *o, ms_secrets *secrets);

/* Whether host (as in a URL: a name, an IPv4 address or a bracketed IPv6 one) is in list, a
 * no_proxy value: comma-separated names, each matching itself and its subdomains (a leading dot
 * is ignored), addresses with an optional /BITS, or "*" for every host. */
bool ms_noproxy_match(const char *host, const char *list);

/* proxy as the reports show it: its scheme, host and port, without user name or password (and
 * http:// when it names no scheme, as libcurl reads it). A value libcurl cannot read as a URL is
 * shown as "(not a URL)". *out is new (caller frees); MS_OK or MS_ERR_NOMEM. */
ms_status ms_proxy_display(const char *proxy, char **out);

/* A URL as messages may show it: its scheme, host and port only (a path, query or user may hold
 * a secret), "http://" assumed before one without a scheme when default_http; "(not a URL)"
 * for one libcurl cannot parse. *out is new; MS_OK or MS_ERR_NOMEM. */
ms_status ms_url_origin(const char *url, bool default_http, char **out);

/* Whether proxy reads as a URL of a proxy scheme libcurl knows (a bare host:port is one, http);
 * *why says why not (static). */
bool ms_proxy_valid(const char *proxy, const char **why);

/* Check the syntax of a --resolve value: [+]HOST:PORT:ADDR[,ADDR]..., ADDR an IPv4 or IPv6
 * address ([brackets] allowed). MS_OK, or MS_ERR_USAGE with *why saying what is wrong (static). */
ms_status ms_resolve_check(const char *arg, const char **why);

/* Check the syntax of a --connect-to value: HOST1:PORT1:HOST2:PORT2, each part possibly empty
 * (any host or port; the same host or port), IPv6 hosts in [brackets]. MS_OK, or MS_ERR_USAGE
 * with *why set (static). */
ms_status ms_connect_to_check(const char *arg, const char **why);

/* Whether the libcurl the tool runs on can speak HTTP/3. */
bool ms_curl_has_http3(void);

/* The record of the options for the reports: the proxies the selected http checks of plan go
 * through (each with the ids of its checks, in plan order), the HTTP version asked for, the
 * --resolve and --connect-to entries and the --cert file. *out is zeroed first; free it with
 * ms_run_net_cleanup whatever this returns. MS_OK or MS_ERR_NOMEM. */
ms_status ms_net_record(const ms_plan *plan, const ms_net_opts *o, ms_run_net *out);

/* The network options o (NULL: none) on the easy handle e for a request to url: the proxy
 * chosen as ms_proxy_for says (libcurl then decides nothing from the environment), the client
 * certificate and key, the HTTP version, and the --resolve and --connect-to lists, made into
 * *resolve and *connect_to (start NULL; the caller frees them with curl_slist_free_all after
 * the transfer, also on failure). The probe and the notification both use it. MS_OK or
 * MS_ERR_NOMEM. */
ms_status ms_net_setup(CURL *e, const char *url, const ms_net_opts *o, struct curl_slist **resolve,
                       struct curl_slist **connect_to);

#endif
