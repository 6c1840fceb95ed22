/* run --push: the Pushgateway URL and its grouping key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "ms/push.h"

/* The grouping key: job, the checklist ids joined by ',', the label; @base64 for a value that
 * is empty, holds a '/' or is "." or "..", percent-encoding otherwise. */
static void test_url(void **state)
{
    (void)state;
    static const struct {
        const char *base;
        const char *ids[2];
        const char *label;
        const char *want;
    } rows[] = {
        {"http://127.0.0.1:9091",
         {"shop", NULL},
         "prod",
         "http://127.0.0.1:9091/metrics/job/mystery_shopper/checklist/shop/label/prod"},
        {"http://127.0.0.1:9091/",
         {"shop", NULL},
         NULL,
         "http://127.0.0.1:9091/metrics/job/mystery_shopper/checklist/shop/label@base64/="},
        {"https://u:p@gw.example/push//",
         {"shop", "hotline"},
         "",
         "https://u:p@gw.example/push/metrics/job/mystery_shopper/checklist/shop%2Chotline/"
         "label@base64/="},
        {"http://gw:9091",
         {"a.b_c-d", NULL},
         "eu-west 1",
         "http://gw:9091/metrics/job/mystery_shopper/checklist/a.b_c-d/label/eu-west%201"},
        {"http://gw:9091",
         {"shop", NULL},
         "a/b",
         "http://gw:9091/metrics/job/mystery_shopper/checklist/shop/label@base64/YS9i"},
        /* dot segments: a URL parser would remove them ("label/." is another group) */
        {"http://gw:9091",
         {"shop", NULL},
         ".",
         "http://gw:9091/metrics/job/mystery_shopper/checklist/shop/label@base64/Lg"},
        {"http://gw:9091",
         {"..", NULL},
         "..",
         "http://gw:9091/metrics/job/mystery_shopper/checklist@base64/Li4/label@base64/Li4"},
        {"http://gw:9091",
         {"shop", NULL},
         "...",
         "http://gw:9091/metrics/job/mystery_shopper/checklist/shop/label/..."},
        {"http://gw:9091",
         {"shop", NULL},
         "x/?>~",
         "http://gw:9091/metrics/job/mystery_shopper/checklist/shop/label@base64/eC8_Pn4"},
        {"http://gw:9091",
         {"shop", NULL},
         "T\xE1\xBB\x95ng \"\xC4\x91\xC3\xA0i\"",
         "http://gw:9091/metrics/job/mystery_shopper/checklist/shop/label/"
         "T%E1%BB%95ng%20%22%C4%91%C3%A0i%22"},
        {"http://gw:9091",
         {"shop", NULL},
         "bad \xC3", /* as the metrics say it: U+FFFD */
         "http://gw:9091/metrics/job/mystery_shopper/checklist/shop/label/bad%20%EF%BF%BD"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ms_run *run = NULL;
        char *got = NULL;
        assert_int_equal(ms_run_new(&run), MS_OK);
        run->lists = calloc(2, sizeof *run->lists);
        for (size_t l = 0; l < 2 && rows[i].ids[l]; l++)
            assert_int_equal(ms_run_set(&run->lists[run->nlists++].id, rows[i].ids[l]), MS_OK);
        assert_int_equal(ms_run_set(&run->label, rows[i].label), MS_OK);
        assert_int_equal(ms_push_url(rows[i].base, run, &got), MS_OK);
        if (strcmp(got, rows[i].want) != 0)
            fail_msg("row %zu: %s, expected %s", i, got, rows[i].want);
        free(got);
        ms_run_free(run);
    }
}

/* What --push takes: http(s) with a host, no query or fragment; the reason never quotes it. */
static void test_valid(void **state)
{
    (void)state;
    static const struct {
        const char *url;
        bool valid;
    } rows[] = {
        {"http://127.0.0.1:9091", true},
        {"https://user:secret@gw.example/prefix/", true},
        {"http://[::1]:9091", true},
        {"ftp://gw.example/secret", false},
        {"http://gw.example/?secret=1", false},
        {"http://gw.example/#secret", false},
        {"not a url /secret", false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const char *why = NULL;
        bool got = ms_push_url_valid(rows[i].url, &why);
        if (got != rows[i].valid)
            fail_msg("row %zu (%s): %d, expected %d", i, rows[i].url, got, rows[i].valid);
        if (!got) {
            assert_non_null(why);
            assert_null(strstr(why, "secret"));
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_url), cmocka_unit_test(test_valid)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
