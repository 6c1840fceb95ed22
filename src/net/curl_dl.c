/* libcurl, loaded when the tool first needs it (see ms/probe.h, ms_curl_load).
 *
 * The binary does not link libcurl: it defines here the libcurl functions it calls, each of which
 * loads libcurl with dlopen on its first use and calls the real one. libcurl needs some 30 shared
 * libraries (OpenSSL, GnuTLS, Kerberos, LDAP, SASL, libssh2, nghttp2, ...) whose loading and
 * relocation was 93% of a 1-check validate (13.8 M of 14.9 M instructions) and most of the 1,000
 * -check one's floor: validate, list, report, history and compare send nothing and now load none
 * of them. curl.h's type checks stay on everywhere else; here the calls are passed on as they
 * come. */
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "ms/dl.h"
#include "ms/i18n.h"
#include "ms/probe.h"
#include "ms/status.h"

#ifndef MS_LIBCURL_SONAME
#define MS_LIBCURL_SONAME "libcurl.so.4"
#endif

/* The functions the tool calls: name, return type, parameters, arguments (the variadic setopt
 * and getinfo are below). */
#define MS_CURL_FUNCTIONS(X)                                                                       \
    X(global_init, CURLcode, (long flags), (flags))                                                \
    X(version, char *, (void), ())                                                                 \
    X(version_info, curl_version_info_data *, (CURLversion v), (v))                                \
    X(getenv, char *, (const char *name), (name))                                                  \
    X(easy_init, CURL *, (void), ())                                                               \
    X(easy_perform, CURLcode, (CURL * e), (e))                                                     \
    X(easy_strerror, const char *, (CURLcode c), (c))                                              \
    X(easy_header, CURLHcode,                                                                      \
      (CURL * e, const char *name, size_t index, unsigned int origin, int request,                 \
       struct curl_header **hout),                                                                 \
      (e, name, index, origin, request, hout))                                                     \
    X(slist_append, struct curl_slist *, (struct curl_slist * l, const char *s), (l, s))           \
    X(multi_init, CURLM *, (void), ())                                                             \
    X(multi_cleanup, CURLMcode, (CURLM * m), (m))                                                  \
    X(multi_add_handle, CURLMcode, (CURLM * m, CURL * e), (m, e))                                  \
    X(multi_remove_handle, CURLMcode, (CURLM * m, CURL * e), (m, e))                               \
    X(multi_perform, CURLMcode, (CURLM * m, int *running), (m, running))                           \
    X(multi_poll, CURLMcode,                                                                       \
      (CURLM * m, struct curl_waitfd extra[], unsigned int nextra, int timeout_ms, int *numfds),   \
      (m, extra, nextra, timeout_ms, numfds))                                                      \
    X(multi_info_read, CURLMsg *, (CURLM * m, int *left), (m, left))                               \
    X(url, CURLU *, (void), ())                                                                    \
    X(url_get, CURLUcode, (CURLU * u, CURLUPart what, char **part, unsigned int flags),            \
      (u, what, part, flags))                                                                      \
    X(url_set, CURLUcode, (CURLU * u, CURLUPart what, const char *part, unsigned int flags),       \
      (u, what, part, flags))                                                                      \
    X(url_strerror, const char *, (CURLUcode c), (c))

/* Those that return nothing. */
#define MS_CURL_PROCEDURES(X)                                                                      \
    X(global_cleanup, void, (void), ())                                                            \
    X(free, void, (void *p), (p))                                                                  \
    X(easy_cleanup, void, (CURL * e), (e))                                                         \
    X(slist_free_all, void, (struct curl_slist * l), (l))                                          \
    X(url_cleanup, void, (CURLU * u), (u))

typedef void (*any_fn)(void); /* a function pointer given to setopt, passed on as it came */

/* How many: those above, setopt and getinfo. */
#define X(name, ret, params, args) +1
enum { NFN = 2 MS_CURL_FUNCTIONS(X) MS_CURL_PROCEDURES(X) };
#undef X

/* The functions as dlsym finds them (slot), in the order of their names (NAMES), and as they
 * are called (f). */
static union {
    struct {
#define X(name, ret, params, args) ret(*name) params;
        MS_CURL_FUNCTIONS(X)
        MS_CURL_PROCEDURES(X)
#undef X
        CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
        CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    } f;
    ms_dl_fn slot[NFN];
} fn;

static const char *const NAMES[NFN] = {
#define X(name, ret, params, args) "curl_" #name,
    MS_CURL_FUNCTIONS(X) MS_CURL_PROCEDURES(X) "curl_easy_setopt",
    "curl_easy_getinfo",
#undef X
};
_Static_assert(sizeof fn.f == sizeof fn.slot, "a slot and a name for every function");

static ms_dl_lib g_lib = MS_DL_LIB_INIT;

static void load(void)
{
    void *lib = NULL;
    const char *name = NULL;
    /* the tests name a libcurl that is not there, or one that is not libcurl (MS_LIBCURL) */
    if (!ms_dl_load("MS_LIBCURL", MS_LIBCURL_SONAME, NAMES, fn.slot, NFN,
                    _("libcurl 7.85 or later is needed"), &lib, &name, g_lib.why, sizeof g_lib.why))
        return;
    /* 7.83 and 7.84 have every function but not CURLOPT_PROTOCOLS_STR, which would then be
     * refused: the checks would not be held to http and https */
    const curl_version_info_data *v = fn.f.version_info(CURLVERSION_NOW);
    if (!v || v->version_num < 0x075500) {
        /* TRANSLATORS: %s is the library's file, then its version */
        snprintf(g_lib.why, sizeof g_lib.why, _("%s is libcurl %s: 7.85 or later is needed"), name,
                 v ? v->version : "?");
        dlclose(lib);
        return;
    }
    atomic_store(&g_lib.loaded, true);
}

bool ms_curl_load(const char **why)
{
    return ms_dl_ready(&g_lib, load, why);
}

/* The commands that send something load libcurl first (main.c) and stop cleanly when they
 * cannot: a libcurl function called without that is a bug, said and stopped here. */
static void need(void)
{
    ms_dl_need(&g_lib, load, "libcurl");
}

#define X(name, ret, params, args)                                                                 \
    ret curl_##name params                                                                         \
    {                                                                                              \
        need();                                                                                    \
        return fn.f.name args;                                                                     \
    }
MS_CURL_FUNCTIONS(X)
#undef X
/* What they free came from a loaded libcurl: with none loaded there is nothing to free (NULL),
 * and no reason to load it. */
#define X(name, ret, params, args)                                                                 \
    ret curl_##name params                                                                         \
    {                                                                                              \
        if (atomic_load(&g_lib.loaded))                                                            \
            fn.f.name args;                                                                        \
    }
MS_CURL_PROCEDURES(X)
#undef X

/* One argument follows the option; its type is told by the option's number (curl.h's
 * CURLOPTTYPE_*), as libcurl itself reads it. */
CURLcode curl_easy_setopt(CURL *e, CURLoption option, ...)
{
    va_list ap;
    CURLcode rc;
    need();
    va_start(ap, option);
    if (option < CURLOPTTYPE_OBJECTPOINT)
        rc = fn.f.easy_setopt(e, option, va_arg(ap, long));
    else if (option < CURLOPTTYPE_FUNCTIONPOINT)
        rc = fn.f.easy_setopt(e, option, va_arg(ap, void *));
    else if (option < CURLOPTTYPE_OFF_T)
        rc = fn.f.easy_setopt(e, option, va_arg(ap, any_fn));
    else if (option < CURLOPTTYPE_BLOB)
        rc = fn.f.easy_setopt(e, option, va_arg(ap, curl_off_t));
    else
        rc = fn.f.easy_setopt(e, option, va_arg(ap, void *));
    va_end(ap);
    return rc;
}

/* Every CURLINFO takes a pointer to where the answer goes. */
CURLcode curl_easy_getinfo(CURL *e, CURLINFO info, ...)
{
    va_list ap;
    need();
    va_start(ap, info);
    void *out = va_arg(ap, void *);
    va_end(ap);
    return fn.f.easy_getinfo(e, info, out);
}
