/* The one URL parser: libcurl's URL API (curl_url), so a URL is taken apart exactly as libcurl
 * reads it when it sends the request. */
#ifndef MS_URL_H
#define MS_URL_H

#include "ms/redact.h"
#include "ms/status.h"

/* The parts of a URL, each a new string (freed by ms_url_cleanup), as libcurl has them: not
 * decoded, the scheme in lower case, the path as written (libcurl removes "." and ".." segments
 * only when it sends). */
typedef struct {
    char *scheme;         /* "http" */
    char *origin;         /* "http://user:pw@shop.example:8080": the URL without path, query
                           * and fragment, as libcurl writes it */
    char *host;           /* "shop.example", "bücher.example" as written; "[::1]"; NULL: none */
    char *port;           /* "8080", or NULL when the URL names none */
    unsigned port_number; /* the port libcurl connects to: the scheme's default when none; 0
                           * for a scheme without ports (file:) */
    char *path;           /* "/a/b", "/" at least */
    char *query;          /* without the "?", or NULL when none */
    char *fragment;       /* without the "#", or NULL when none */
} ms_url;

/* Take text apart into *out (zeroed first; ms_url_cleanup frees it whatever this returns).
 * MS_OK; MS_ERR_INVALID when libcurl cannot read text as a URL of a scheme it knows, with *why
 * set to its reason ("Port number was not a decimal number between 0 and 65535", static);
 * MS_ERR_NOMEM. why may be NULL. */
ms_status ms_url_parse(const char *text, ms_url *out, const char **why);

/* "scheme://host:port" of text into *out (caller frees), the port libcurl connects to (the
 * scheme's default when the URL names none): what makes two URLs one server for the probe's
 * --per-host limit. Only these parts are asked of libcurl (ms_url_parse asks for all of them:
 * three times the work, once a check). Errors as ms_url_parse. */
ms_status ms_url_endpoint(const char *text, char **out, const char **why);

/* Free the parts and zero *u. Harmless on a zeroed value. */
void ms_url_cleanup(ms_url *u);

/* Add to s the IDNA forms of the labels of url's host that hold a secret already in s, as
 * libcurl sends such a host when it has non-ASCII characters (its CURLU_PUNYCODE form, so the
 * same conversion libcurl makes). Nothing when s holds no secret, when the host is ASCII, when
 * url is not a URL or when libcurl cannot convert the host (then it cannot send it either).
 * The forms are needed to hide the host in libcurl's own messages. MS_OK or MS_ERR_NOMEM. */
ms_status ms_secrets_add_host(ms_secrets *s, const char *url);

#endif
