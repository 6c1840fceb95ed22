#include "ms/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ms_buf_init(ms_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max ? max : MS_BUF_DEFAULT_MAX;
    b->failed = false;
}

void ms_buf_cleanup(ms_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void ms_buf_reset(ms_buf *b)
{
    b->len = 0;
    b->failed = false;
    if (b->data)
        b->data[0] = '\0';
}

char *ms_buf_take(ms_buf *b)
{
    char *s = b->data;
    if (b->failed) {
        free(s);
        s = NULL;
    } else if (!s) {
        s = calloc(1, 1);
    }
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = false;
    return s;
}

const char *ms_buf_str(const ms_buf *b)
{
    return b->data ? b->data : "";
}

static ms_status grow(ms_buf *b, size_t extra)
{
    if (extra > b->max - b->len) {
        b->failed = true;
        return MS_ERR_NOMEM;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return MS_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return MS_ERR_NOMEM;
    }
    b->data = p;
    b->cap = cap;
    return MS_OK;
}

ms_status ms_buf_add(ms_buf *b, const void *mem, size_t len)
{
    ms_status rc = grow(b, len);
    if (rc != MS_OK)
        return rc;
    if (len)
        memcpy(b->data + b->len, mem, len);
    b->len += len;
    b->data[b->len] = '\0';
    return MS_OK;
}

ms_status ms_buf_adds(ms_buf *b, const char *s)
{
    return ms_buf_add(b, s, strlen(s));
}

ms_status ms_buf_addc(ms_buf *b, char c)
{
    return ms_buf_add(b, &c, 1);
}

ms_status ms_buf_vprintf(ms_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        b->failed = true;
        return MS_ERR_NOMEM;
    }
    ms_status rc = grow(b, (size_t)n);
    if (rc != MS_OK)
        return rc;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return MS_OK;
}

ms_status ms_buf_printf(ms_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ms_status rc = ms_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when it is not valid. */
static size_t utf8_seq(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        return (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if (s[0] == 0xE0 && s[1] < 0xA0)
            return 0; /* overlong */
        if (s[0] == 0xED && s[1] >= 0xA0)
            return 0; /* surrogate */
        return 3;
    }
    if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        if (s[0] == 0xF0 && s[1] < 0x90)
            return 0;
        if (s[0] == 0xF4 && s[1] >= 0x90)
            return 0;
        return 4;
    }
    return 0;
}

ms_status ms_buf_add_json(ms_buf *b, const char *s)
{
    ms_status rc = MS_OK;
    for (const unsigned char *p = (const unsigned char *)s; *p && rc == MS_OK; p++) {
        switch (*p) {
        case '"':
            rc = ms_buf_adds(b, "\\\"");
            break;
        case '\\':
            rc = ms_buf_adds(b, "\\\\");
            break;
        case '\b':
            rc = ms_buf_adds(b, "\\b");
            break;
        case '\f':
            rc = ms_buf_adds(b, "\\f");
            break;
        case '\n':
            rc = ms_buf_adds(b, "\\n");
            break;
        case '\r':
            rc = ms_buf_adds(b, "\\r");
            break;
        case '\t':
            rc = ms_buf_adds(b, "\\t");
            break;
        default:
            rc = *p < 0x20 ? ms_buf_printf(b, "\\u%04x", *p) : ms_buf_addc(b, (char)*p);
        }
    }
    return rc;
}

ms_status ms_buf_add_xml(ms_buf *b, const char *s)
{
    ms_status rc = MS_OK;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && rc == MS_OK) {
        size_t n = utf8_seq(p);
        if (n == 0) {
            rc = ms_buf_adds(b, "\xEF\xBF\xBD");
            p++;
            continue;
        }
        if (n > 1) {
            rc = ms_buf_add(b, p, n);
            p += n;
            continue;
        }
        switch (*p) {
        case '&':
            rc = ms_buf_adds(b, "&amp;");
            break;
        case '<':
            rc = ms_buf_adds(b, "&lt;");
            break;
        case '>':
            rc = ms_buf_adds(b, "&gt;");
            break;
        case '"':
            rc = ms_buf_adds(b, "&quot;");
            break;
        case '\'':
            rc = ms_buf_adds(b, "&apos;");
            break;
        case '\n':
        case '\r':
        case '\t':
            rc = ms_buf_printf(b, "&#%d;", *p);
            break;
        default:
            if (*p >= 0x20)
                rc = ms_buf_addc(b, (char)*p);
            /* other C0 controls are not allowed in XML 1.0: dropped */
            break;
        }
        p++;
    }
    return rc;
}
