/* Secrets and their redaction (see ms/redact.h). */
#include "ms/redact.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The list stays sorted longest first, so the first form that matches at a position is the
 * longest. */
ms_status ms_secrets_add_form(ms_secrets *s, const char *form, size_t len)
{
    if (len == 0)
        return MS_OK;
    size_t at = 0;
    for (; at < s->n; at++) {
        size_t fl = strlen(s->forms[at]);
        if (fl == len && memcmp(s->forms[at], form, len) == 0)
            return MS_OK;
        if (fl < len)
            break;
    }
    char **grown = realloc(s->forms, (s->n + 1) * sizeof *grown);
    if (!grown)
        return MS_ERR_NOMEM;
    s->forms = grown;
    char *copy = malloc(len + 1);
    if (!copy)
        return MS_ERR_NOMEM;
    memcpy(copy, form, len);
    copy[len] = '\0';
    memmove(s->forms + at + 1, s->forms + at, (s->n - at) * sizeof *s->forms);
    s->forms[at] = copy;
    s->n++;
    return MS_OK;
}

/* A derived form: kept when it is long enough to hide without mangling other text. */
static ms_status add_derived(ms_secrets *s, ms_buf *b)
{
    if (b->failed)
        return MS_ERR_NOMEM;
    return b->len >= MS_SECRET_MIN ? ms_secrets_add_form(s, ms_buf_str(b), b->len) : MS_OK;
}

/* Percent-encode value: all: every byte but the unreserved ones (as a form encoder does);
 * otherwise only what libcurl encodes in a URL (bytes above 0x7e and below 0x21). */
static ms_status add_percent(ms_secrets *s, const char *value, bool all, bool upper)
{
    static const char unreserved[] = "-._~";
    const char *hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    ms_buf b;
    ms_buf_init(&b, 0);
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        bool keep = all ? ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
                           (*p >= 'A' && *p <= 'Z') || strchr(unreserved, *p))
                        : (*p > 0x20 && *p < 0x7f);
        if (keep) {
            ms_buf_addc(&b, (char)*p);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            ms_buf_add(&b, e, 3);
        }
    }
    ms_status rc = add_derived(s, &b);
    ms_buf_cleanup(&b);
    return rc;
}

ms_status ms_secrets_add(ms_secrets *s, const char *value)
{
    ms_status rc = MS_OK;
    ms_buf b;
    ms_buf_init(&b, 0);
    if (!*value)
        goto out;
    for (size_t i = 0; i < s->nvalues; i++)
        if (strcmp(s->values[i], value) == 0)
            goto out; /* its forms are kept already */
    char **grown = realloc(s->values, (s->nvalues + 1) * sizeof *grown);
    if (!grown) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    s->values = grown;
    if (!(s->values[s->nvalues] = strdup(value))) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    s->nvalues++;
    if ((rc = ms_secrets_add_form(s, value, strlen(value))) != MS_OK)
        goto out;
    for (int all = 0; all < 2; all++)
        for (int upper = 0; upper < 2; upper++)
            if ((rc = add_percent(s, value, all, upper)) != MS_OK)
                goto out;
    ms_buf_add_json(&b, value);
    rc = add_derived(s, &b);
out:
    ms_buf_cleanup(&b);
    return rc;
}

ms_status ms_secrets_redact(const ms_secrets *s, const char *text, size_t len, bool cut,
                            ms_buf *out)
{
    size_t i = 0, plain = 0; /* text[plain, i) is not yet copied */
    while (i < len) {
        size_t hit = 0;
        for (size_t f = 0; f < s->n && !hit; f++) {
            const char *form = s->forms[f];
            if (form[0] != text[i])
                continue;
            size_t fl = strlen(form);
            if (fl <= len - i && memcmp(text + i, form, fl) == 0)
                hit = fl;
            else if (cut && fl > len - i && memcmp(text + i, form, len - i) == 0)
                hit = len - i; /* the text ends inside this form */
        }
        if (!hit) {
            i++;
            continue;
        }
        ms_buf_add(out, text + plain, i - plain);
        ms_buf_adds(out, "***");
        i += hit;
        plain = i;
    }
    ms_buf_add(out, text + plain, len - plain);
    return out->failed ? MS_ERR_NOMEM : MS_OK;
}

ms_status ms_secrets_redact_str(const ms_secrets *s, const char *text, char **out)
{
    ms_buf b;
    ms_buf_init(&b, 0);
    *out = NULL;
    ms_status rc = ms_secrets_redact(s, text, strlen(text), false, &b);
    if (rc == MS_OK && !(*out = ms_buf_take(&b)))
        rc = MS_ERR_NOMEM;
    ms_buf_cleanup(&b);
    return rc;
}

void ms_secrets_cleanup(ms_secrets *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->forms[i]);
    free(s->forms);
    for (size_t i = 0; i < s->nvalues; i++)
        free(s->values[i]);
    free(s->values);
    *s = (ms_secrets){0};
}
