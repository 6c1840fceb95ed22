#include "ms/buf.h"

#include <stdarg.h>
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

/* Room for extra more bytes and the NUL: by doubling, or exactly that (ms_buf_reserve). */
static ms_status grow_by(ms_buf *b, size_t extra, bool exact)
{
    if (extra > b->max - b->len) {
        b->failed = true;
        return MS_ERR_NOMEM;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return MS_OK;
    size_t cap = exact ? need : b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return MS_ERR_NOMEM;
    }
    b->data = p;
    b->cap = cap;
    b->data[b->len] = '\0';
    return MS_OK;
}

static ms_status grow(ms_buf *b, size_t extra)
{
    return grow_by(b, extra, false);
}

ms_status ms_buf_reserve(ms_buf *b, size_t extra)
{
    return grow_by(b, extra, true);
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

size_t ms_utf8_decode(const char *str, size_t len, long *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t n;
    long v;
    *cp = -1;
    if (len == 0)
        return 0;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        n = 2;
        v = s[0] & 0x1F;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        n = 3;
        v = s[0] & 0x0F;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        n = 4;
        v = s[0] & 0x07;
    } else {
        return 1; /* a continuation byte, an overlong lead (C0, C1) or beyond U+10FFFF */
    }
    if (len < n)
        return 1;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 1;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
        (v >= 0xD800 && v <= 0xDFFF))
        return 1; /* overlong, out of range, or a surrogate */
    *cp = v;
    return n;
}

size_t ms_utf8_length(const char *s, size_t len)
{
    size_t n = 0;
    long cp;
    for (size_t i = 0; i < len; n++)
        i += ms_utf8_decode(s + i, len - i, &cp);
    return n;
}

size_t ms_utf8_prefix(const char *s, size_t len, size_t max)
{
    size_t i = 0;
    while (i < len) {
        long cp;
        size_t n = ms_utf8_decode(s + i, len - i, &cp);
        if (i + n > max)
            break;
        i += n;
    }
    return i;
}

bool ms_utf8_valid(const char *s, size_t len, size_t *bad)
{
    for (size_t i = 0; i < len;) {
        long cp;
        size_t n = ms_utf8_decode(s + i, len - i, &cp);
        if (cp < 0) {
            if (bad)
                *bad = i;
            return false;
        }
        i += n;
    }
    return true;
}

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

/* Characters a terminal acts on instead of showing: C0 controls (escape sequences start with
 * ESC), DEL, the C1 controls (U+009B is a one-character CSI) and the Unicode line breaks. */
static bool is_control(long cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
           /* bidirectional controls reorder what follows them on screen ("Trojan Source") */
           cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

/* The length of the prefix of s (len bytes) that goes out as it is: valid UTF-8 and, when
 * controls is set, no control character. What stops it (when anything does) is *skip bytes
 * long and goes out as *repl: U+FFFD for an invalid byte, a space for a control character.
 * The one loop behind the UTF-8 repair and the cleaning for a terminal. */
static size_t clean_span(const char *s, size_t len, bool controls, const char **repl, size_t *skip)
{
    size_t i = 0;
    *skip = 0;
    while (i < len) {
        long cp;
        size_t n = ms_utf8_decode(s + i, len - i, &cp);
        if (cp < 0 || (controls && is_control(cp))) {
            *repl = cp < 0 ? REPLACEMENT : " ";
            *skip = n;
            break;
        }
        i += n;
    }
    return i;
}

/* Append s (len bytes) repaired, and cleaned of control characters when controls is set. */
static ms_status add_spans(ms_buf *b, const char *s, size_t len, bool controls)
{
    ms_status rc = MS_OK;
    for (size_t i = 0; i < len && rc == MS_OK;) {
        const char *repl = NULL;
        size_t skip, n = clean_span(s + i, len - i, controls, &repl, &skip);
        rc = ms_buf_add(b, s + i, n);
        if (rc == MS_OK && skip)
            rc = ms_buf_adds(b, repl);
        i += n + skip;
    }
    return rc;
}

ms_status ms_buf_add_utf8(ms_buf *b, const char *s, size_t len)
{
    return add_spans(b, s, len, false);
}

ms_status ms_buf_add_clean(ms_buf *b, const char *s)
{
    return s ? add_spans(b, s, strlen(s), true) : MS_OK;
}

ms_status ms_fputs_clean(const char *s, FILE *out)
{
    /* Streamed, with no allocation: a message is never lost to a lack of memory. Runs of text
     * that need no cleaning go out in one write (stderr is unbuffered). */
    size_t len = s ? strlen(s) : 0;
    for (size_t i = 0; i < len;) {
        const char *repl = NULL;
        size_t skip, n = clean_span(s + i, len - i, true, &repl, &skip);
        fwrite(s + i, 1, n, out);
        if (skip)
            fputs(repl, out);
        i += n + skip;
    }
    return ferror(out) ? MS_ERR_IO : MS_OK;
}

ms_status ms_vfprintf_line(FILE *out, const char *fmt, va_list ap)
{
    ms_status rc = MS_OK;
    char small[1024]; /* most messages fit: no allocation, so nothing to run out of */
    char *big = NULL;
    const char *text = small;
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n < 0) {
        rc = MS_ERR_IO;
        small[0] = '\0';
    } else if ((size_t)n >= sizeof small) {
        if ((big = malloc((size_t)n + 1))) {
            vsnprintf(big, (size_t)n + 1, fmt, again);
            text = big;
        } else {
            rc = MS_ERR_NOMEM; /* the first 1023 bytes still go out */
        }
    }
    va_end(again);
    ms_status wrc = ms_fputs_clean(text, out);
    if (big == NULL && rc == MS_ERR_NOMEM)
        fputs(" [...]", out);
    if (fputc('\n', out) == EOF)
        wrc = MS_ERR_IO;
    free(big);
    return rc != MS_OK ? rc : wrc;
}

ms_status ms_fprintf_line(FILE *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ms_status rc = ms_vfprintf_line(out, fmt, ap);
    va_end(ap);
    return rc;
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

ms_status ms_buf_add_prom(ms_buf *b, const char *s, bool quote)
{
    ms_status rc = MS_OK;
    size_t left = strlen(s);
    for (const char *p = s; *p && rc == MS_OK;) {
        long cp;
        size_t n = ms_utf8_decode(p, left, &cp);
        left -= n;
        if (cp < 0)
            rc = ms_buf_adds(b, REPLACEMENT); /* the format is UTF-8: a parser refuses the rest */
        else if (*p == '\\')
            rc = ms_buf_adds(b, "\\\\");
        else if (*p == '\n')
            rc = ms_buf_adds(b, "\\n");
        else if (*p == '"' && quote)
            rc = ms_buf_adds(b, "\\\"");
        else
            rc = ms_buf_add(b, p, n);
        p += n;
    }
    return rc;
}

ms_status ms_buf_add_xml(ms_buf *b, const char *s)
{
    ms_status rc = MS_OK;
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s);
    while (*p && rc == MS_OK) {
        long cp;
        size_t n = ms_utf8_decode((const char *)p, left, &cp);
        left -= n;
        if (cp < 0) {
            rc = ms_buf_adds(b, REPLACEMENT);
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

void ms_buf_add_sparkline(ms_buf *b, const double *v, const bool *has, size_t n)
{
    static const char *const bars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    double lo = 0, hi = 0;
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        if (!has[i])
            continue;
        lo = any && lo < v[i] ? lo : v[i];
        hi = any && hi > v[i] ? hi : v[i];
        any = true;
    }
    for (size_t i = 0; i < n; i++) {
        int k = 3;
        if (!has[i]) {
            ms_buf_adds(b, "·");
            continue;
        }
        if (hi > lo)
            k = (int)((v[i] - lo) / (hi - lo) * 7.0 + 0.5);
        ms_buf_adds(b, bars[k < 0 ? 0 : k > 7 ? 7 : k]);
    }
}
