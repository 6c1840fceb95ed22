/* A growable byte buffer with a size limit (after curl's dynbuf); the one UTF-8 decoder; the
 * cleaning of text for a terminal and the escaping of text for XML (JSON is written by cJSON,
 * which escapes on its own; ms_json_print makes its output valid UTF-8). The buffer is always
 * NUL-terminated once anything was added. */
#ifndef MS_BUF_H
#define MS_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ms/status.h"

typedef struct {
    char *data;  /* owned; NULL until the first append */
    size_t len;  /* bytes used, not counting the terminating NUL */
    size_t cap;  /* bytes allocated */
    size_t max;  /* the most len may grow to */
    bool failed; /* an append failed: the contents are incomplete (sticky until reset) */
} ms_buf;

/* A sink of bytes: put(sink, data, len) takes the next len bytes. MS_OK or its failure. */
typedef ms_status (*ms_put_fn)(void *sink, const char *data, size_t len);

#define MS_BUF_DEFAULT_MAX ((size_t)64 * 1024 * 1024)

/* Start an empty buffer that may hold up to max bytes (0: MS_BUF_DEFAULT_MAX). */
void ms_buf_init(ms_buf *b, size_t max);
/* Free the contents; the buffer may be used again after ms_buf_init. */
void ms_buf_cleanup(ms_buf *b);
/* Forget the contents (and any failure) but keep the memory. */
void ms_buf_reset(ms_buf *b);
/* Take the contents (caller frees) and leave the buffer empty. NULL when an append failed
 * (the contents would be incomplete) or when out of memory; "" when nothing was added. */
char *ms_buf_take(ms_buf *b);
/* The contents as a string; "" when empty. Owned by the buffer. */
const char *ms_buf_str(const ms_buf *b);

/* Append bytes; MS_ERR_NOMEM when memory or the limit runs out (the buffer keeps what it had
 * and remembers the failure). */
ms_status ms_buf_add(ms_buf *b, const void *mem, size_t len);
/* Make room for extra more bytes now, so that appending them allocates nothing: a buffer that
 * grows by doubling holds up to twice what it needs. Fails as ms_buf_add would. */
ms_status ms_buf_reserve(ms_buf *b, size_t extra);
ms_status ms_buf_adds(ms_buf *b, const char *s);
ms_status ms_buf_addc(ms_buf *b, char c);
ms_status ms_buf_printf(ms_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
ms_status ms_buf_vprintf(ms_buf *b, const char *fmt, va_list ap);

/* Append s escaped as the inside of a JSON string (no quotes around it), as cJSON escapes:
 * \" \\ \b \f \n \r \t, other control characters as \u00xx; everything else as it is. */
ms_status ms_buf_add_json(ms_buf *b, const char *s);
/* Append s escaped for the Prometheus text format (version 0.0.4): a label value (quote true:
 * backslash, double quote and line feed escaped as \\, \" and \n) or a HELP text (quote
 * false: backslash and line feed only); invalid UTF-8 becomes U+FFFD, everything else is kept. */
ms_status ms_buf_add_prom(ms_buf *b, const char *s, bool quote);
/* UTF-8: the one decoder of the project. Decode the character at s (at most len bytes, which
 * may hold NULs). Returns its length (1-4) and sets *cp to the code point; for an invalid,
 * overlong, surrogate or cut-off sequence returns 1 (skip one byte) with *cp = -1. Returns 0
 * only when len is 0. */
size_t ms_utf8_decode(const char *s, size_t len, long *cp);
/* The byte length of the longest prefix of s (len bytes) of at most max bytes that does not
 * split a character. */
size_t ms_utf8_prefix(const char *s, size_t len, size_t max);
/* The number of characters in s (len bytes); an invalid byte counts as one. */
size_t ms_utf8_length(const char *s, size_t len);
/* Is s (len bytes) valid UTF-8? When not, *bad (if not NULL) is the offset of the first bad
 * byte. */
bool ms_utf8_valid(const char *s, size_t len, size_t *bad);
/* Append s (len bytes) with every invalid byte replaced by U+FFFD: always valid UTF-8. */
ms_status ms_buf_add_utf8(ms_buf *b, const char *s, size_t len);

/* Text for a terminal: append s (NULL: nothing) as one line of valid UTF-8 that a terminal
 * shows as it is. Control characters (C0 such as newline, tab and ESC, DEL, C1 such as U+009B,
 * U+2028 and U+2029, bidirectional controls such as U+202E) become spaces, invalid UTF-8
 * becomes U+FFFD. Every user or network text that reaches the terminal goes through here. */
ms_status ms_buf_add_clean(ms_buf *b, const char *s);
/* Append a sparkline of n values: one bar (▁ to █) a value, scaled from the lowest to the
 * highest of those that have one (has[i]), a dot for one that has none; all equal is a row of ▄.
 * The history's and the text report's trends. */
void ms_buf_add_sparkline(ms_buf *b, const double *v, const bool *has, size_t n);
/* Write s cleaned as ms_buf_add_clean does, streamed without allocating. MS_ERR_IO when the
 * write fails. */
ms_status ms_fputs_clean(const char *s, FILE *out);
/* Format a message, write it cleaned as ms_buf_add_clean does, then a newline. A message under
 * 1 KiB needs no allocation; a longer one that memory cannot hold is written cut, with " [...]",
 * and MS_ERR_NOMEM is returned. */
ms_status ms_vfprintf_line(FILE *out, const char *fmt, va_list ap);
ms_status ms_fprintf_line(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Append s escaped for XML text and attribute values; control characters that XML 1.0 cannot
 * hold are dropped, invalid UTF-8 becomes U+FFFD. */
ms_status ms_buf_add_xml(ms_buf *b, const char *s);

#endif
