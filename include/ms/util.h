/* Small helpers: parsing numbers and durations from users, times, UTF-8 display width,
 * "did you mean" suggestions. */
#ifndef MS_UTIL_H
#define MS_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ms/status.h"

/* Parse a whole decimal integer in [lo, hi]; MS_ERR_USAGE when it is not one. */
ms_status ms_parse_long(const char *s, long lo, long hi, long *out);
/* Parse a whole finite number in [lo, hi]. */
ms_status ms_parse_double(const char *s, double lo, double hi, double *out);
/* Parse a duration such as "500ms", "10s", "1m13s", "1m", "1.5s" or a bare number of
 * milliseconds into microseconds. Negative values are refused. */
ms_status ms_parse_duration(const char *s, int64_t *out_us);
/* The same, with a bare number counted in bare_unit_us microseconds (1000000 for seconds, as
 * --timeout takes them like curl's -m), or refused when bare_unit_us is 0. Units: ms, s, m, h,
 * d, w, in any sequence ("1d12h"). */
ms_status ms_parse_duration_unit(const char *s, int64_t bare_unit_us, int64_t *out_us);
/* The same as ms_parse_duration, and as an auditor says it: Vietnamese unit words with or
 * without their marks and spaces ("1 phút 13 giây", "45 giây", "2 giờ 5 phút", "2 tiếng",
 * "1p 30s"), ms, s, m and h words apart ("1 m 13 s"). Negative values are refused. */
ms_status ms_parse_spoken_duration(const char *s, int64_t *out_us);
/* Fold s for comparing what a person typed: ASCII letters lower case, the Vietnamese and Latin-1
 * letters with marks as their base letter ("Có" "co", "KHÔNG" "khong", "đ" "d"), combining marks
 * dropped; other bytes kept. Into out (outlen bytes, always terminated); MS_ERR_USAGE when it
 * does not fit (out is then ""). */
ms_status ms_fold_marks(const char *s, char *out, size_t outlen);

/* round() and llround() without the C maths library, which the binary does not link (see
 * ms/libm.h): to the nearest whole number, halves away from zero, exact for every double.
 * ms_llround clamps to the range of int64_t, and gives 0 for NaN. */
double ms_round(double x);
int64_t ms_llround(double x);
/* x == floor(x): true for the infinities, false for NaN. */
bool ms_is_whole(double x);

/* Format microseconds as milliseconds for reports: "0.4", "12.3", "1840". */
void ms_format_ms(int64_t us, char *out, size_t outlen);
/* Format microseconds as a human duration: "73s", "1m13s", "850ms". */
void ms_format_duration(int64_t us, char *out, size_t outlen);
/* The current wall time as ISO 8601 with the local offset, "2026-11-20T09:30:00+07:00". */
void ms_now_iso8601(char *out, size_t outlen);
/* Days from 1970-01-01 to the date y-m-d (m 1 to 12) in the proleptic Gregorian calendar: no time
 * zone, no libc. */
int64_t ms_days_from_civil(int64_t y, int64_t m, int64_t d);

/* Seconds since the epoch of an ISO 8601 time as the tool writes it: "2026-11-20T09:30:00+07:00";
 * also with "Z", "+0700", no offset (UTC), a space for the T and fractional seconds (dropped).
 * MS_ERR_USAGE when s is not one. */
ms_status ms_parse_iso8601(const char *s, int64_t *epoch);
/* The current wall time for file names, "20261120-093000". */
void ms_now_stamp(char *out, size_t outlen);
/* A monotonic clock in microseconds. */
int64_t ms_monotonic_us(void);
/* Is it time (now_us, from ms_monotonic_us) to do again what is done at most once every
 * interval_us, last done at *last_us (INT64_MIN: never)? When it is, *last_us becomes now_us.
 * A clock that went back (now before *last_us) counts as due. */
bool ms_throttle(int64_t *last_us, int64_t now_us, int64_t interval_us);

/* The number of terminal columns s takes (UTF-8; wide characters count 2, combining 0), from the
 * project's own Unicode tables (scripts/gen-width-table), the same in every locale.
 * Invalid bytes count 1. */
size_t ms_display_width(const char *s);
/* The same for the len bytes at s (which may hold NULs). */
size_t ms_display_width_n(const char *s, size_t len);
/* The byte length of the longest prefix of s that fits in cols columns. */
size_t ms_prefix_for_width(const char *s, size_t cols);
/* Write text (cleaned as ms_buf_add_clean does) as lines of at most cols display columns,
 * each starting with indent, broken at spaces (a word wider than a line is cut between two
 * characters, never inside one), then last (NULL: a newline) after the last line, on it when
 * it fits there ("  choices > "). MS_ERR_NOMEM when the text could not be cleaned, MS_ERR_IO
 * when a write failed. */
ms_status ms_fprint_wrapped(FILE *out, const char *indent, const char *text, size_t cols,
                            const char *last);

/* Edit distance between a and b, capped at cap + 1. */
size_t ms_edit_distance(const char *a, const char *b, size_t cap);
/* The candidate closest to word within a small edit distance, or NULL. */
const char *ms_did_you_mean(const char *word, const char *const *candidates);

#endif
