/* The IDNA forms of secret-holding host names (see ms/idna.h). The one user of libidn2, in
 * load/ because secrets are gathered while checklists load; core/ keeps to libc. */
#include "ms/idna.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <idn2.h>

/* The IDNA form of one label, as libcurl computes it (libidn2, non-transitional, NFC, falling
 * back to transitional processing); NULL when libidn2 refuses it. Caller frees with idn2_free. */
static char *to_ace(const char *label)
{
    char *ace = NULL;
    if (idn2_to_ascii_8z(label, &ace, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL) == IDN2_OK)
        return ace;
    if (idn2_to_ascii_8z(label, &ace, IDN2_NFC_INPUT | IDN2_TRANSITIONAL) == IDN2_OK)
        return ace;
    return NULL;
}

ms_status ms_secrets_add_host(ms_secrets *s, const char *url)
{
    ms_status rc = MS_OK;
    const char *h = strstr(url, "://");
    char *host = NULL;
    bool *held = NULL;
    if (!h || s->n == 0)
        return MS_OK;
    h += 3;
    size_t len = strcspn(h, "/?#");
    for (size_t i = len; i > 0; i--) /* after the userinfo */
        if (h[i - 1] == '@') {
            h += i;
            len -= i;
            break;
        }
    if (len && *h == '[') /* an IPv6 address */
        return MS_OK;
    for (size_t i = len; i > 0; i--) /* before the port */
        if (h[i - 1] == ':') {
            len = i - 1;
            break;
        }
    bool ascii = true;
    for (size_t i = 0; i < len; i++)
        ascii = ascii && (unsigned char)h[i] < 0x80;
    if (ascii) /* libcurl sends an ASCII host as it is */
        return MS_OK;
    host = malloc(len + 1);
    held = calloc(len + 1, sizeof *held);
    if (!host || !held) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    memcpy(host, h, len);
    host[len] = '\0';
    /* Which bytes of the host belong to a secret? */
    size_t nforms = s->n;
    for (size_t f = 0; f < nforms; f++) {
        size_t fl = strlen(s->forms[f]);
        for (const char *p = host; (p = strstr(p, s->forms[f])); p++)
            for (size_t k = 0; k < fl; k++)
                held[(size_t)(p - host) + k] = true;
    }
    /* Each label that holds any of a secret is converted as a whole: add that form. */
    for (size_t start = 0; start <= len;) {
        size_t end = start;
        bool secret = false;
        for (; end < len && host[end] != '.'; end++)
            secret = secret || held[end];
        host[end] = '\0';
        if (secret) {
            char *ace = to_ace(host + start);
            if (ace && strcmp(ace, host + start) != 0 && strlen(ace) >= MS_SECRET_MIN)
                rc = ms_secrets_add_form(s, ace, strlen(ace));
            idn2_free(ace);
            if (rc != MS_OK)
                goto out;
        }
        start = end + 1;
    }
out:
    free(host);
    free(held);
    return rc;
}

