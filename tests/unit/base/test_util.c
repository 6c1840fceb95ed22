#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms/util.h"

static void test_durations(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        ms_status rc;
        int64_t us;
        int64_t bare; /* what a bare number counts, in us: ms (ms_parse_duration), or seconds */
    } rows[] = {
        {"500ms", MS_OK, 500000, 1000},
        {"10s", MS_OK, 10000000, 1000},
        {"1m13s", MS_OK, 73000000, 1000},
        {"1m", MS_OK, 60000000, 1000},
        {"1.5s", MS_OK, 1500000, 1000},
        {"250", MS_OK, 250000, 1000},
        {"1h", MS_OK, 3600000000LL, 1000},
        {"0s", MS_OK, 0, 1000},
        {"", MS_ERR_USAGE, 0, 1000},
        {"-5s", MS_ERR_USAGE, 0, 1000},
        {"5 s", MS_ERR_USAGE, 0, 1000},
        {"5x", MS_ERR_USAGE, 0, 1000},
        {"s", MS_ERR_USAGE, 0, 1000},
        {"1m13", MS_ERR_USAGE, 0, 1000},
        {"ms", MS_ERR_USAGE, 0, 1000},
        /* --timeout counts a bare number in seconds; the units still mean what they say */
        {"2", MS_OK, 2000000, 1000000},
        {"0.5", MS_OK, 500000, 1000000},
        {"500ms", MS_OK, 500000, 1000000},
        {"10s", MS_OK, 10000000, 1000000},
        {"1m", MS_OK, 60000000, 1000000},
        {"1m13", MS_ERR_USAGE, 0, 1000000},
        {"-1", MS_ERR_USAGE, 0, 1000000},
        {"", MS_ERR_USAGE, 0, 1000000},
        /* history's ages: days and weeks, and a bare number refused (bare 0) */
        {"90d", MS_OK, 90 * 86400000000LL, 0},
        {"2w", MS_OK, 2 * 604800000000LL, 0},
        {"1d12h", MS_OK, 129600000000LL, 0},
        {"45s", MS_OK, 45000000, 0},
        {"90", MS_ERR_USAGE, 0, 0},
        {"d", MS_ERR_USAGE, 0, 0},
        {"1y", MS_ERR_USAGE, 0, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int64_t us = -1;
        ms_status rc = rows[i].bare == 1000 ? ms_parse_duration(rows[i].in, &us)
                                            : ms_parse_duration_unit(rows[i].in, rows[i].bare, &us);
        assert_int_equal(rc, rows[i].rc);
        if (rows[i].rc == MS_OK)
            assert_int_equal(us, rows[i].us);
    }
}

/* Durations as an auditor types them at the stopwatch's prompt (ms_parse_spoken_duration). */
static void test_spoken_durations(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        ms_status rc;
        int64_t us;
    } rows[] = {
        {"1m13s", MS_OK, 73000000},
        {"45s", MS_OK, 45000000},
        {"3h20m", MS_OK, 12000000000LL},
        {"250", MS_OK, 250000}, /* a bare number: milliseconds, as ms_parse_duration */
        {"1 phút 13 giây", MS_OK, 73000000},
        {"45 giây", MS_OK, 45000000},
        {"2 giờ 5 phút", MS_OK, 7500000000LL},
        {"2 tiếng", MS_OK, 7200000000LL},
        {"1 phut 13 giay", MS_OK, 73000000}, /* without the marks */
        {"1 PHÚT 13 GIÂY", MS_OK, 73000000}, /* any case */
        {"1 phu\xCC\x81t", MS_OK, 60000000}, /* decomposed: u + U+0301 */
        {"1phút13giây", MS_OK, 73000000},    /* no spaces */
        {"  2 phút  ", MS_OK, 120000000},    /* spaces around */
        {"1 m 13 s", MS_OK, 73000000},
        {"1.5 phút", MS_OK, 90000000},
        {"500 ms", MS_OK, 500000},
        {"phút", MS_ERR_USAGE, 0},
        {"1 phút 13", MS_ERR_USAGE, 0},
        {"13 giây 1", MS_ERR_USAGE, 0},
        {"1 phúta", MS_ERR_USAGE, 0},
        {"1 ngày", MS_ERR_USAGE, 0},
        {"-1 phút", MS_ERR_USAGE, 0},
        {"", MS_ERR_USAGE, 0},
        {"   ", MS_ERR_USAGE, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int64_t us = -1;
        ms_status rc = ms_parse_spoken_duration(rows[i].in, &us);
        if (rc != rows[i].rc)
            fail_msg("row %zu (%s): status %d", i, rows[i].in, (int)rc);
        if (rows[i].rc == MS_OK && us != rows[i].us)
            fail_msg("row %zu (%s): %lld us", i, rows[i].in, (long long)us);
    }
}

static void test_fold_marks(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } rows[] = {
        {"có", "co"},           {"CÓ", "co"},         {"Không", "khong"},
        {"KHÔNG", "khong"},     {"khong", "khong"},   {"đường", "duong"},
        {"Yes", "yes"},         {"co\xCC\x81", "co"}, {"ngày giờ", "ngay gio"},
        {"ỹ ậ ợ ự", "y a o u"}, {"€", "€"},
    };
    char out[32];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        assert_int_equal(ms_fold_marks(rows[i].in, out, sizeof out), MS_OK);
        assert_string_equal(out, rows[i].out);
    }
    char small[4];
    assert_int_equal(ms_fold_marks("khong", small, sizeof small), MS_ERR_USAGE);
    assert_string_equal(small, "");
}

/* ms_fprint_wrapped: lines within the width in display columns, broken at spaces. */
static void test_wrapped(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        size_t cols;
        const char *last, *want;
    } rows[] = {
        {"short", 80, NULL, "  short\n"},
        {"one two three four", 12, NULL, "  one two\n  three four\n"},
        /* Vietnamese: 2 or 3 bytes a letter, one column each */
        {"Bạn chờ bao lâu thì có người nghe máy", 22, NULL,
         "  Bạn chờ bao lâu thì\n  có người nghe máy\n"},
        /* a word wider than the line is cut between characters */
        {"ờờờờờờờờờờờờ", 12, NULL, "  ờờờờờờờờờờ\n  ờờ\n"},
        /* the end mark stays on the last line when it fits, else the last word goes down */
        {"yes/no, na", 20, " > ", "  yes/no, na > "},
        {"yes/no, na, s skip", 20, " > ", "  yes/no, na, s\n  skip > "},
        {"a\x1b[31mb", 80, NULL, "  a [31mb\n"}, /* cleaned */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        assert_non_null(f);
        assert_int_equal(ms_fprint_wrapped(f, "  ", rows[i].text, rows[i].cols, rows[i].last),
                         MS_OK);
        fclose(f);
        if (strcmp(buf, rows[i].want) != 0)
            fail_msg("row %zu: got [%s]", i, buf);
        free(buf);
    }
}

static void test_numbers(void **state)
{
    (void)state;
    long l;
    double d;
    assert_int_equal(ms_parse_long("8", 1, 1000, &l), MS_OK);
    assert_int_equal(l, 8);
    assert_int_equal(ms_parse_long("0", 1, 1000, &l), MS_ERR_USAGE);
    assert_int_equal(ms_parse_long("8x", 1, 1000, &l), MS_ERR_USAGE);
    assert_int_equal(ms_parse_long(" 8", 1, 1000, &l), MS_ERR_USAGE);
    assert_int_equal(ms_parse_long("99999999999999999999", 1, 1000, &l), MS_ERR_USAGE);
    assert_int_equal(ms_parse_double("72.5", 0, 100, &d), MS_OK);
    assert_true(d == 72.5);
    assert_int_equal(ms_parse_double("101", 0, 100, &d), MS_ERR_USAGE);
    assert_int_equal(ms_parse_double("nan", 0, 100, &d), MS_ERR_USAGE);
}

static void test_format(void **state)
{
    (void)state;
    static const struct {
        int64_t us;
        const char *ms, *dur;
    } rows[] = {
        {450, "0.45", "0ms"},      {1840000, "1840", "2s"}, {73000000, "73000", "1m13s"},
        {60000000, "60000", "1m"}, {5500, "5.5", "6ms"},
    };
    char a[32], b[32];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ms_format_ms(rows[i].us, a, sizeof a);
        ms_format_duration(rows[i].us, b, sizeof b);
        assert_string_equal(a, rows[i].ms);
        assert_string_equal(b, rows[i].dur);
    }
}

static void test_display_width(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t width;
    } rows[] = {
        {"abc", 3},
        {"T\xE1\xBB\x95ng \xC4\x91\xC3\xA0i", 8}, /* Tổng đài, precomposed */
        {"To\xCC\x82\xCC\x89ng", 4},              /* Tổng with combining marks */
        {"\xE6\x97\xA5\xE6\x9C\xAC", 4},          /* 日本: wide */
        {"Nh\xC3\xA2n vi\xC3\xAAn th\xC3\xA2n thi\xE1\xBB\x87n", 20}, /* Nhân viên thân thiện */
        {"", 0},
        /* Beyond the old fallback for the C locale (no setlocale here, as in ms-roundtrip): */
        {"\xF0\xA0\x80\x80\xF0\xA0\x80\x81", 4}, /* two ideographs of plane 2: wide */
        {"\xE0\xB8\x81\xE0\xB8\xB1", 1},         /* Thai ko kai with mai han-akat (Mn): 1 */
        {"\xE1\x84\x80\xE1\x85\xA1", 2},         /* Hangul jamo: a medial vowel is 0 */
        {"a\xE2\x80\x8D\xE2\x81\xA0"
         "b",
         2},                      /* zero width joiner, word joiner (Cf) */
        {"\xC2\xAD", 1},          /* a soft hyphen is shown */
        {"e\xCC\xA3\xCC\x82", 1}, /* e, dot below, circumflex: one column */
        {"\xEF\xBC\xA1", 2},      /* fullwidth A */
        {"\xF0\x9F\xA6\x80", 2},  /* an emoji */
        {"\xC2\x85", 0},          /* a C1 control */
        {"\x80", 1},              /* an invalid byte */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        assert_int_equal(ms_display_width(rows[i].s), rows[i].width);
    /* A prefix never cuts a character in half. */
    const char *s = "\xC4\x91\xC3\xA0i"; /* đài */
    assert_int_equal(ms_prefix_for_width(s, 1), 2);
    assert_int_equal(ms_prefix_for_width(s, 2), 4);
    assert_int_equal(ms_prefix_for_width("\xE6\x97\xA5\xE6\x9C\xAC", 3), 3);
}

static void test_iso8601(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        ms_status rc;
        int64_t epoch;
    } rows[] = {
        {"1970-01-01T00:00:00Z", MS_OK, 0},
        {"1970-01-01T00:00:00", MS_OK, 0},
        {"2026-11-20T09:30:00+07:00", MS_OK, 1795141800},
        {"2026-11-20T02:30:00Z", MS_OK, 1795141800},
        {"2026-11-20T09:30:00+0700", MS_OK, 1795141800},
        {"2026-11-19T21:30:00-05:00", MS_OK, 1795141800},
        {"2026-11-20 02:30:00.123456Z", MS_OK, 1795141800},
        {"2024-02-29T00:00:00Z", MS_OK, 1709164800},
        {"2026-13-01T00:00:00Z", MS_ERR_USAGE, 0},
        /* what sscanf took: a day past the month's, short fields, a space, a sign, ":60" */
        {"2026-02-31T00:00:00Z", MS_ERR_USAGE, 0},
        {"2025-02-29T00:00:00Z", MS_ERR_USAGE, 0},
        {"2026-1-5T1:2:3Z", MS_ERR_USAGE, 0},
        {" 2026-11-20T09:30:00Z", MS_ERR_USAGE, 0},
        {"-001-11-20T09:30:00Z", MS_ERR_USAGE, 0},
        {"2026-11-20T09:30:60Z", MS_ERR_USAGE, 0},
        {"2026-11-20T09:30:00+07:", MS_ERR_USAGE, 0},
        {"2026-11-20", MS_ERR_USAGE, 0},
        {"2026-11-20T09:30:00+07:00x", MS_ERR_USAGE, 0},
        {"yesterday", MS_ERR_USAGE, 0},
        {"", MS_ERR_USAGE, 0},
        {NULL, MS_ERR_USAGE, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int64_t t = -1;
        assert_int_equal(ms_parse_iso8601(rows[i].in, &t), rows[i].rc);
        if (rows[i].rc == MS_OK)
            assert_int_equal(t, rows[i].epoch);
    }
}

/* At most once an interval: one row a call, in order, over one *last. */
static void test_throttle(void **state)
{
    (void)state;
    static const struct {
        int64_t now;
        bool due;
    } rows[] = {
        {1000, true},                     /* never done: due */
        {1001, false},   {100999, false}, /* within the interval */
        {101000, true},                   /* the interval is over */
        {101000, false},                  /* the same instant again */
        {50, true},                       /* the clock went back: due, and counted from there */
        {100049, false}, {100050, true},  {INT64_MAX, true}, /* far later, without overflow */
    };
    int64_t last = INT64_MIN;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        assert_int_equal(ms_throttle(&last, rows[i].now, 100000), rows[i].due);
        if (rows[i].due)
            assert_int_equal(last, rows[i].now);
    }
}

static void test_did_you_mean(void **state)
{
    (void)state;
    static const char *const fields[] = {"budget", "request", "expect", "weight", "critical", NULL};
    assert_string_equal(ms_did_you_mean("budjet", fields), "budget");
    assert_string_equal(ms_did_you_mean("reqest", fields), "request");
    assert_string_equal(ms_did_you_mean("wieght", fields), "weight");
    assert_string_equal(ms_did_you_mean("Critical", fields), "critical");
    assert_null(ms_did_you_mean("colour", fields));
    static const char *const cmds[] = {"run", "validate", "list", NULL};
    assert_string_equal(ms_did_you_mean("rnu", cmds), "run");
    assert_string_equal(ms_did_you_mean("lsit", cmds), "list");
    assert_int_equal(ms_edit_distance("budget", "budjet", 5), 1);
    assert_int_equal(ms_edit_distance("abc", "xyz", 1), 2); /* capped at cap + 1 */
    assert_null(ms_did_you_mean("x", fields));
}

/* ms_round and ms_llround against the C library's round and llround (this test links libm;
 * the tool does not): halves away from zero, the double just below a half, negative zero, the
 * edges of exactness (2^52, 2^53) and of int64_t, which ms_llround clamps, as NaN gives 0. */
static void test_rounding(void **state)
{
    (void)state;
    static const double values[] = {0.0,
                                    -0.0,
                                    0.4,
                                    -0.4,
                                    0.5,
                                    -0.5,
                                    1.5,
                                    -1.5,
                                    2.5,
                                    -2.5,
                                    0.49999999999999994,
                                    -0.49999999999999994,
                                    1234.5000000000002,
                                    1e6 + 0.5,
                                    4503599627370495.5,
                                    -4503599627370495.5,
                                    4503599627370496.0,
                                    9007199254740993.0,
                                    1e18,
                                    -1e18,
                                    3.7e-300};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        double v = values[i], want = round(v), got = ms_round(v);
        assert_true(got == want);
        assert_int_equal(signbit(got) != 0, signbit(want) != 0);
        assert_int_equal(ms_llround(v), llround(v));
    }
    for (int i = -2000; i <= 2000; i++) { /* every quarter from -500 to 500, halves among them */
        double v = i / 4.0;
        assert_true(ms_round(v) == round(v));
        assert_int_equal(ms_llround(v), llround(v));
        assert_int_equal(ms_llround(v / 1000.0 * 1000.0), llround(v / 1000.0 * 1000.0));
        assert_int_equal(ms_is_whole(v), v == floor(v));
    }
    static const double whole[] = {0.0,
                                   -0.0,
                                   0.5,
                                   -0.5,
                                   4503599627370495.5,
                                   4503599627370496.0,
                                   9007199254740992.0,
                                   1e300,
                                   -1e300,
                                   INFINITY,
                                   -INFINITY,
                                   NAN};
    for (size_t i = 0; i < sizeof whole / sizeof *whole; i++)
        assert_int_equal(ms_is_whole(whole[i]), whole[i] == floor(whole[i]));
    assert_true(isinf(ms_round(INFINITY)) && isnan(ms_round(NAN)));
    assert_int_equal(ms_llround(1e19), INT64_MAX);
    assert_int_equal(ms_llround(-1e19), INT64_MIN);
    assert_int_equal(ms_llround(INFINITY), INT64_MAX);
    assert_int_equal(ms_llround(NAN), 0);
}

int main(void)
{
    setlocale(LC_CTYPE, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_durations),     cmocka_unit_test(test_spoken_durations),
        cmocka_unit_test(test_fold_marks),    cmocka_unit_test(test_wrapped),
        cmocka_unit_test(test_numbers),       cmocka_unit_test(test_format),
        cmocka_unit_test(test_display_width), cmocka_unit_test(test_did_you_mean),
        cmocka_unit_test(test_iso8601),       cmocka_unit_test(test_throttle),
        cmocka_unit_test(test_rounding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
