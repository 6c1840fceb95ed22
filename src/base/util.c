#include "ms/util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ms/buf.h"

ms_status ms_parse_long(const char *s, long lo, long hi, long *out)
{
    char *end = NULL;
    if (!s || !*s || isspace((unsigned char)*s))
        return MS_ERR_USAGE;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return MS_ERR_USAGE;
    *out = v;
    return MS_OK;
}

ms_status ms_parse_double(const char *s, double lo, double hi, double *out)
{
    char *end = NULL;
    if (!s || !*s || isspace((unsigned char)*s))
        return MS_ERR_USAGE;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || !isfinite(v) || v < lo || v > hi)
        return MS_ERR_USAGE;
    *out = v;
    return MS_OK;
}

ms_status ms_parse_duration(const char *s, int64_t *out_us)
{
    return ms_parse_duration_unit(s, 1000, out_us);
}

ms_status ms_parse_duration_unit(const char *s, int64_t bare_unit_us, int64_t *out_us)
{
    const char *p = s;
    double total_us = 0;
    bool any = false;
    if (!s || !*s)
        return MS_ERR_USAGE;
    while (*p) {
        char *end = NULL;
        if (!isdigit((unsigned char)*p) && *p != '.')
            return MS_ERR_USAGE;
        errno = 0;
        double v = strtod(p, &end);
        if (errno || end == p || !isfinite(v) || v < 0)
            return MS_ERR_USAGE;
        p = end;
        double unit;
        if (strncmp(p, "ms", 2) == 0) {
            unit = 1e3;
            p += 2;
        } else if (*p == 's') {
            unit = 1e6;
            p++;
        } else if (*p == 'm') {
            unit = 60e6;
            p++;
        } else if (*p == 'h') {
            unit = 3600e6;
            p++;
        } else if (*p == 'd') {
            unit = 86400e6;
            p++;
        } else if (*p == 'w') {
            unit = 604800e6;
            p++;
        } else if (*p == '\0' && !any && bare_unit_us > 0) {
            unit = (double)bare_unit_us; /* a bare number: the caller's unit */
        } else {
            return MS_ERR_USAGE;
        }
        total_us += v * unit;
        any = true;
    }
    if (total_us > 9e15)
        return MS_ERR_USAGE;
    *out_us = ms_llround(total_us);
    return MS_OK;
}

double ms_round(double x)
{
    /* From 2^52 on (and NaN, the infinities) a double is whole already. */
    if (!(fabs(x) < 4503599627370496.0))
        return x;
    double whole = (double)(int64_t)x; /* toward zero, exact */
    double frac = x - whole;           /* exact too */
    if (frac >= 0.5)
        whole += 1.0;
    else if (frac <= -0.5)
        whole -= 1.0;
    return signbit(x) ? -fabs(whole) : fabs(whole); /* -0.4 is -0.0, as round() has it */
}

bool ms_is_whole(double x)
{
    if (!(fabs(x) < 4503599627370496.0)) /* 2^52 */
        return !isnan(x);
    return x == (double)(int64_t)x;
}

int64_t ms_llround(double x)
{
    if (isnan(x))
        return 0;
    if (x >= 9223372036854775808.0) /* 2^63 */
        return INT64_MAX;
    if (x <= -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)ms_round(x);
}

void ms_format_ms(int64_t us, char *out, size_t outlen)
{
    if (us < 1000)
        snprintf(out, outlen, "%.2f", (double)us / 1000.0);
    else if (us < 10000)
        snprintf(out, outlen, "%.1f", (double)us / 1000.0);
    else
        snprintf(out, outlen, "%lld", (long long)ms_llround((double)us / 1000.0));
}

void ms_format_duration(int64_t us, char *out, size_t outlen)
{
    if (us < 1000000) {
        snprintf(out, outlen, "%lldms", (long long)ms_llround((double)us / 1000.0));
        return;
    }
    long long s = (long long)ms_llround((double)us / 1e6);
    long long h = s / 3600, m = s % 3600 / 60, sec = s % 60;
    int n = 0;
    out[0] = '\0';
    if (h && n >= 0 && (size_t)n < outlen)
        n += snprintf(out + n, outlen - (size_t)n, "%lldh", h);
    if (m && n >= 0 && (size_t)n < outlen)
        n += snprintf(out + n, outlen - (size_t)n, "%lldm", m);
    if ((sec || s == 0) && n >= 0 && (size_t)n < outlen)
        snprintf(out + n, outlen - (size_t)n, "%llds", sec);
}

void ms_now_iso8601(char *out, size_t outlen)
{
    time_t t = time(NULL);
    struct tm tm;
    char tz[8];
    localtime_r(&t, &tm);
    strftime(out, outlen, "%Y-%m-%dT%H:%M:%S", &tm);
    strftime(tz, sizeof tz, "%z", &tm); /* +0700 */
    size_t n = strlen(out);
    if (strlen(tz) == 5 && n + 7 <= outlen)
        snprintf(out + n, outlen - n, "%c%c%c:%c%c", tz[0], tz[1], tz[2], tz[3], tz[4]);
}

/* (ms/util.h) Howard Hinnant's days_from_civil. */
int64_t ms_days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

ms_status ms_parse_iso8601(const char *s, int64_t *epoch)
{
    /* The fixed shape, digit by digit: sscanf would take a sign, a space or a short field. */
    static const char shape[] = "dddd-dd-ddTdd:dd:dd";
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    *epoch = 0;
    if (!s)
        return MS_ERR_USAGE;
    for (size_t i = 0; shape[i]; i++) {
        bool ok = shape[i] == 'd'   ? isdigit((unsigned char)s[i]) != 0
                  : shape[i] == 'T' ? s[i] == 'T' || s[i] == ' '
                                    : s[i] == shape[i];
        if (!ok)
            return MS_ERR_USAGE;
    }
    int y = atoi(s), mo = atoi(s + 5), d = atoi(s + 8), h = atoi(s + 11), mi = atoi(s + 14),
        sec = atoi(s + 17);
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) ||
        h > 23 || mi > 59 || sec > 59)
        return MS_ERR_USAGE;
    const char *p = s + sizeof shape - 1;
    if (*p == '.' || *p == ',') {
        p++;
        if (!isdigit((unsigned char)*p))
            return MS_ERR_USAGE;
        while (isdigit((unsigned char)*p))
            p++;
    }
    int64_t off = 0;
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1;
        p++;
        if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
            return MS_ERR_USAGE;
        int oh = (p[0] - '0') * 10 + (p[1] - '0'), om = 0;
        p += 2;
        bool colon = *p == ':';
        p += colon;
        if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1])) {
            om = (p[0] - '0') * 10 + (p[1] - '0');
            p += 2;
        } else if (colon) {
            return MS_ERR_USAGE; /* "+07:" */
        }
        if (oh > 23 || om > 59)
            return MS_ERR_USAGE;
        off = sign * (oh * 3600 + om * 60);
    }
    if (*p)
        return MS_ERR_USAGE;
    *epoch = ms_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
    return MS_OK;
}

void ms_now_stamp(char *out, size_t outlen)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, outlen, "%Y%m%d-%H%M%S", &tm);
}

int64_t ms_monotonic_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

bool ms_throttle(int64_t *last_us, int64_t now_us, int64_t interval_us)
{
    /* Compared without overflow: INT64_MIN is always long ago. */
    if (*last_us != INT64_MIN && now_us >= *last_us && now_us - *last_us < interval_us)
        return false;
    *last_us = now_us;
    return true;
}

typedef struct {
    long lo, hi;
} ms_cp_range;

#include "width_table.inc"

static bool in_ranges(const ms_cp_range *r, size_t n, long cp)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < r[mid].lo)
            hi = mid;
        else if (cp > r[mid].hi)
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

/* The columns a code point takes in a terminal, from our own tables (width_table.inc), never
 * wcwidth(): its answer depends on the locale, and the C locale knows no wide or combining
 * character, so the same report would be laid out differently by the tool and by a reader. */
static int char_width(long cp)
{
    if (cp < 0)
        return 1; /* an invalid byte: shown as one replacement character */
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
        return 0;
    if (cp < 0x300)
        return 1;
    if (in_ranges(ZERO_WIDTH, sizeof ZERO_WIDTH / sizeof ZERO_WIDTH[0], cp))
        return 0;
    if (in_ranges(DOUBLE_WIDTH, sizeof DOUBLE_WIDTH / sizeof DOUBLE_WIDTH[0], cp))
        return 2;
    return 1;
}

size_t ms_display_width(const char *s)
{
    return ms_display_width_n(s, strlen(s));
}

size_t ms_display_width_n(const char *s, size_t len)
{
    size_t w = 0;
    for (size_t i = 0; i < len;) {
        long cp;
        i += ms_utf8_decode(s + i, len - i, &cp);
        w += (size_t)char_width(cp);
    }
    return w;
}

size_t ms_prefix_for_width(const char *s, size_t cols)
{
    size_t w = 0;
    size_t len = strlen(s), i = 0;
    while (i < len) {
        long cp;
        size_t n = ms_utf8_decode(s + i, len - i, &cp);
        size_t cw = (size_t)char_width(cp);
        if (w + cw > cols)
            break;
        w += cw;
        i += n;
    }
    return i;
}

size_t ms_edit_distance(const char *a, const char *b, size_t cap)
{
    /* Optimal string alignment: insertions, deletions, substitutions and swaps of two
     * neighbours ("rnu" for "run") each cost one. Case is ignored. */
    size_t la = strlen(a), lb = strlen(b);
    size_t d[65][65];
    if (la > 64 || lb > 64)
        return cap + 1;
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
            size_t v = d[i - 1][j - 1] + (ca != cb);
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[la][lb] > cap ? cap + 1 : d[la][lb];
}

const char *ms_did_you_mean(const char *word, const char *const *candidates)
{
    const char *best = NULL;
    size_t cap = strlen(word) <= 4 ? 1 : strlen(word) <= 8 ? 2 : 3;
    size_t best_d = cap + 1;
    for (size_t i = 0; candidates[i]; i++) {
        size_t d = ms_edit_distance(word, candidates[i], cap);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    return best;
}

/* The base letter of a Vietnamese (or Latin-1) letter with its marks, lower case; 0 when cp is
 * not one. U+1EA0 to U+1EF9 are the Vietnamese letters with a tone mark, upper and lower in
 * turn: ạ to ặ are a's, ẹ to ệ e's, ỉ ị i's, ọ to ợ o's, ụ to ự u's, ỳ to ỹ y's. */
static char fold_letter(long cp)
{
    static const char latin1[] = "aaaaaa\0ceeeeiiiidnooooo\0ouuuuy\0\0"; /* U+00C0 to U+00DF */
    if (cp >= 'A' && cp <= 'Z')
        return (char)(cp - 'A' + 'a');
    if (cp >= 0xC0 && cp <= 0xFF && cp != 0xF7)
        return latin1[(cp & ~0x20L) - 0xC0];
    switch (cp) {
    case 0x102:
    case 0x103:
        return 'a'; /* ă */
    case 0x110:
    case 0x111:
        return 'd'; /* đ */
    case 0x128:
    case 0x129:
        return 'i'; /* ĩ */
    case 0x168:
    case 0x169:
        return 'u'; /* ũ */
    case 0x1A0:
    case 0x1A1:
        return 'o'; /* ơ */
    case 0x1AF:
    case 0x1B0:
        return 'u'; /* ư */
    default:
        break;
    }
    if (cp >= 0x1EA0 && cp <= 0x1EB7)
        return 'a';
    if (cp >= 0x1EB8 && cp <= 0x1EC7)
        return 'e';
    if (cp >= 0x1EC8 && cp <= 0x1ECB)
        return 'i';
    if (cp >= 0x1ECC && cp <= 0x1EE3)
        return 'o';
    if (cp >= 0x1EE4 && cp <= 0x1EF1)
        return 'u';
    if (cp >= 0x1EF2 && cp <= 0x1EF9)
        return 'y';
    return 0;
}

ms_status ms_fold_marks(const char *s, char *out, size_t outlen)
{
    size_t len = strlen(s), n = 0;
    if (outlen == 0)
        return MS_ERR_USAGE;
    for (size_t i = 0; i < len;) {
        long cp;
        size_t k = ms_utf8_decode(s + i, len - i, &cp);
        char base = fold_letter(cp);
        if (cp >= 0x300 && cp <= 0x36F) { /* a combining mark (typed decomposed): dropped */
            i += k;
            continue;
        }
        size_t add = base ? 1 : k;
        if (n + add >= outlen) {
            out[0] = '\0';
            return MS_ERR_USAGE;
        }
        if (base)
            out[n] = base;
        else
            memcpy(out + n, s + i, k);
        n += add;
        i += k;
    }
    out[n] = '\0';
    return MS_OK;
}

ms_status ms_parse_spoken_duration(const char *s, int64_t *out_us)
{
    /* The words after folding (ms_fold_marks): giờ and tiếng are hours, phút minutes, giây
     * seconds; the longer word first where one begins another. */
    static const struct {
        const char *word;
        double us;
    } units[] = {
        {"mili giay", 1e3}, {"ms", 1e3},   {"giay", 1e6}, {"gio", 3600e6}, {"tieng", 3600e6},
        {"phut", 60e6},     {"h", 3600e6}, {"m", 60e6},   {"s", 1e6},
    };
    const size_t nunits = sizeof units / sizeof units[0];
    char f[128];
    double total_us = 0;
    bool ok = s && *s;
    if (ok && ms_parse_duration(s, out_us) == MS_OK)
        return MS_OK;
    ok = ok && ms_fold_marks(s, f, sizeof f) == MS_OK;
    const char *p = ok ? f + strspn(f, " ") : "";
    ok = ok && *p;
    /* NUMBER [spaces] UNIT [spaces], again and again */
    while (ok && *p) {
        char *end = NULL;
        errno = 0;
        double v = isdigit((unsigned char)*p) ? strtod(p, &end) : -1;
        ok = !errno && end && end != p && isfinite(v) && v >= 0;
        p = ok ? end + strspn(end, " ") : p;
        size_t u = 0, wl = 0;
        for (; ok && u < nunits; u++) {
            wl = strlen(units[u].word);
            /* the whole word: then a space, a digit or the end */
            if (strncmp(p, units[u].word, wl) == 0 &&
                (p[wl] == '\0' || p[wl] == ' ' || isdigit((unsigned char)p[wl])))
                break;
        }
        ok = ok && u < nunits;
        if (ok) {
            total_us += v * units[u].us;
            p += wl + strspn(p + wl, " ");
        }
    }
    ok = ok && total_us <= 9e15;
    if (ok)
        *out_us = ms_llround(total_us);
    return ok ? MS_OK : MS_ERR_USAGE;
}

ms_status ms_fprint_wrapped(FILE *out, const char *indent, const char *text, size_t cols,
                            const char *last)
{
    ms_status rc = MS_OK;
    ms_buf clean;
    ms_buf_init(&clean, 0);
    size_t iw = ms_display_width(indent);
    size_t room = cols > iw + 10 ? cols - iw : 10; /* a narrow terminal: lines of 10 at least */
    if ((rc = ms_buf_add_clean(&clean, text ? text : "")) != MS_OK)
        goto out;
    const char *p = clean.len ? ms_buf_str(&clean) : "";
    size_t lastw = last ? ms_display_width(last) : 0;
    do {
        while (*p == ' ')
            p++;
        size_t rest = ms_display_width(p);
        size_t n;
        if (rest + lastw <= room) {
            n = strlen(p);
        } else {
            /* the longest run of whole words that fits; a word wider than the line is cut at a
             * character, never inside one */
            size_t fit = ms_prefix_for_width(p, room);
            n = fit;
            while (n > 0 && p[n] != ' ' && p[n] != '\0')
                n--;
            while (n > 0 && p[n - 1] == ' ')
                n--;
            if (n == 0)
                n = fit > 0 ? fit : strlen(p);
            if (p[n] == '\0' && rest + lastw > room && n > 0) {
                /* all of it fits but not with the end mark: the last word goes down */
                size_t m = n;
                while (m > 0 && p[m - 1] != ' ')
                    m--;
                while (m > 0 && p[m - 1] == ' ')
                    m--;
                if (m > 0)
                    n = m;
            }
        }
        if (fprintf(out, "%s%.*s", indent, (int)n, p) < 0) {
            rc = MS_ERR_IO;
            goto out;
        }
        p += n;
        while (*p == ' ')
            p++;
        if (*p)
            fputc('\n', out);
    } while (*p);
    if (fputs(last ? last : "\n", out) == EOF)
        rc = MS_ERR_IO;
out:
    ms_buf_cleanup(&clean);
    return rc;
}
