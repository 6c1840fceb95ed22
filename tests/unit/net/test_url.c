#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms/url.h"

/* "-" for a part the URL does not have. */
static const char *or_dash(const char *s)
{
    return s ? s : "-";
}

/* URLs taken apart as libcurl reads them; a bad one gives libcurl's reason. */
static void test_parse(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        ms_status rc;
        /* scheme origin host port port_number path query fragment, or the reason */
        const char *want;
    } rows[] = {
        {"http://127.0.0.1:8080/a/b", MS_OK,
         "http http://127.0.0.1:8080 127.0.0.1 8080 8080 /a/b - -"},
        {"https://shop.example", MS_OK, "https https://shop.example shop.example - 443 / - -"},
        {"http://user:pw@shop.example:8080/a?b#c", MS_OK,
         "http http://user:pw@shop.example:8080 shop.example 8080 8080 /a b c"},
        {"HTTP://Shop.Example/Path", MS_OK, "http http://Shop.Example Shop.Example - 80 /Path - -"},
        {"http://[::1]:8080/x", MS_OK, "http http://[::1]:8080 [::1] 8080 8080 /x - -"},
        {"http://user@[::1]/", MS_OK, "http http://user@[::1] [::1] - 80 / - -"},
        {"http://shop.example?q=1", MS_OK, "http http://shop.example shop.example - 80 / q=1 -"},
        {"http://shop.example#top", MS_OK, "http http://shop.example shop.example - 80 / - top"},
        {"http://shop.example:/", MS_OK, "http http://shop.example shop.example - 80 / - -"},
        /* the path as written: libcurl removes dot segments only when it sends */
        {"http://a/b/../c", MS_OK, "http http://a a - 80 /b/../c - -"},
        {"http://b\xC3\xBC"
         "cher.example/",
         MS_OK,
         "http http://b\xC3\xBC"
         "cher.example b\xC3\xBC"
         "cher.example - 80 / - -"},
        /* libcurl reads one to three slashes after the scheme */
        {"http:/x", MS_OK, "http http://x x - 80 / - -"},
        /* no host, no port: parts that are absent, not a failure */
        {"file:///tmp/x", MS_OK, "file file:// - - 0 /tmp/x - -"},
        {"http://shop.example:abc/", MS_ERR_INVALID,
         "Port number was not a decimal number between 0 and 65535"},
        {"http://shop.example:99999/", MS_ERR_INVALID,
         "Port number was not a decimal number between 0 and 65535"},
        {"http://[::1", MS_ERR_INVALID, "Bad IPv6 address"},
        {"http://:80/", MS_ERR_INVALID, "No host part in the URL"},
        {"http://u@/", MS_ERR_INVALID, "No host part in the URL"},
        {"http://sh op/", MS_ERR_INVALID, "Bad hostname"},
        {"http://a:b@c@d/", MS_ERR_INVALID, "Bad hostname"},
        {"shop.example/x", MS_ERR_INVALID, "Bad scheme"},
        {"", MS_ERR_INVALID, "Bad scheme"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ms_url u;
        const char *why = NULL;
        char got[512];
        ms_status rc = ms_url_parse(rows[i].text, &u, &why);
        if (rc == MS_OK)
            snprintf(got, sizeof got, "%s %s %s %s %u %s %s %s", u.scheme, u.origin,
                     or_dash(u.host), or_dash(u.port), u.port_number, u.path, or_dash(u.query),
                     or_dash(u.fragment));
        else
            snprintf(got, sizeof got, "%s", or_dash(why));
        if (rc != rows[i].rc || strcmp(got, rows[i].want) != 0)
            fail_msg("row %zu (%s): status %d, %s; expected %d, %s", i, rows[i].text, rc, got,
                     rows[i].rc, rows[i].want);
        ms_url_cleanup(&u);
        ms_url_cleanup(&u); /* twice: harmless */
    }
}

/* The IDNA forms of the host labels that hold a secret, as libcurl sends them. */
static void test_hosts(void **state)
{
    (void)state;
    static const struct {
        const char *secret, *url, *text, *want;
    } rows[] = {
        {"b\xC3\xAD-m\xE1\xBA\xAD"
         "t",
         "http://b\xC3\xAD-m\xE1\xBA\xAD"
         "t.invalid/",
         "xn--b-mt-vpa2186b.invalid", "***.invalid"},
        /* uppercase non-ASCII: mapped as libcurl maps it */
        {"B\xC3\x8D-M\xE1\xBA\xAC"
         "T",
         "https://B\xC3\x8D-M\xE1\xBA\xAC"
         "T.invalid:8443/x",
         "xn--b-mt-vpa2186b.invalid", "***.invalid"},
        /* in the userinfo too: only the host counts */
        {"b\xC3\xAD-m\xE1\xBA\xAD"
         "t",
         "http://u:p@b\xC3\xAD-m\xE1\xBA\xAD"
         "t.invalid:81/",
         "xn--b-mt-vpa2186b.invalid", "***.invalid"},
        /* a label as libcurl sends it, whole or with more around it */
        {"b\xC3\xAD-m\xE1\xBA\xAD"
         "t-kh\xE1\xBA\xA9u",
         "http://b\xC3\xAD-m\xE1\xBA\xAD"
         "t-kh\xE1\xBA\xA9u.invalid/",
         "Could not resolve host: xn--b-mt-khu-c2a0427eeba.invalid",
         "Could not resolve host: ***.invalid"},
        {"b\xC3\xAD-m\xE1\xBA\xAD"
         "t-kh\xE1\xBA\xA9u",
         "http://user:pw@shop-b\xC3\xAD-m\xE1\xBA\xAD"
         "t-kh\xE1\xBA\xA9u.invalid:8080/x",
         "Could not resolve host: xn--shop-b-mt-khu-1ib0035iyba.invalid",
         "Could not resolve host: ***.invalid"},
        /* IDNA reads an ideographic or full-width full stop as a dot: the labels still pair */
        {"b\xC3\xAD-m\xE1\xBA\xAD"
         "t",
         "http://b\xC3\xAD-m\xE1\xBA\xAD"
         "t\xE3\x80\x82invalid\xEF\xBC\x8E"
         "example/",
         "xn--b-mt-vpa2186b.invalid.example", "***.invalid.example"},
        /* an ASCII host is sent as it is: nothing to add */
        {"abcdefg", "http://abcdefg.invalid/", "abcdefg.invalid", "***.invalid"},
        /* an ASCII label holding a secret, in a host that is not ASCII, is sent in lower case */
        {"ABCDEFG", "http://ABCDEFG.b\xC3\xAD.invalid/", "abcdefg.xn--b-yja.invalid",
         "***.xn--b-yja.invalid"},
        /* a label holding no secret is left alone */
        {"abcdefg", "http://abcdefg.b\xC3\xAD.invalid/", "abcdefg.xn--b-yja.invalid",
         "***.xn--b-yja.invalid"},
        {"abcdefg", "http://[::1]:80/abcdefg", "[::1]", "[::1]"},
        /* not a URL: libcurl sends nothing, nothing to add */
        {"b\xC3\xAD-m\xE1\xBA\xAD"
         "t",
         "http://b\xC3\xAD-m\xE1\xBA\xAD"
         "t.invalid:x/",
         "xn--b-mt-vpa2186b.invalid", "xn--b-mt-vpa2186b.invalid"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ms_secrets s = {0};
        ms_buf out;
        ms_buf_init(&out, 0);
        assert_int_equal(ms_secrets_add(&s, rows[i].secret), MS_OK);
        assert_int_equal(ms_secrets_add_host(&s, rows[i].url), MS_OK);
        assert_int_equal(ms_secrets_redact(&s, rows[i].text, strlen(rows[i].text), false, &out),
                         MS_OK);
        if (strcmp(ms_buf_str(&out), rows[i].want) != 0)
            fail_msg("row %zu: got %s, expected %s", i, ms_buf_str(&out), rows[i].want);
        ms_buf_cleanup(&out);
        ms_secrets_cleanup(&s);
    }
}

/* ms_url_endpoint gives what ms_url_parse's scheme, host and port number make, for every kind
 * of URL (default and named ports, IPv6, IDN, user info, upper case), and its errors. */
static void test_endpoint(void **state)
{
    (void)state;
    static const char *const urls[] = {
        "http://shop.example/a?b#c",
        "https://shop.example:8443/",
        "HTTP://Shop.Example",
        "http://user:pw@127.0.0.1:8080/x",
        "https://[::1]/",
        "http://b\xc3\xbc"
        "cher.example/",
        "https://shop.example:443/",
        "http://shop.example:0/",
    };
    for (size_t i = 0; i < sizeof urls / sizeof *urls; i++) {
        ms_url u;
        char want[512], *got = NULL;
        assert_int_equal(ms_url_parse(urls[i], &u, NULL), MS_OK);
        snprintf(want, sizeof want, "%s://%s:%u", u.scheme, u.host, u.port_number);
        ms_url_cleanup(&u);
        assert_int_equal(ms_url_endpoint(urls[i], &got, NULL), MS_OK);
        assert_string_equal(got, want);
        free(got);
    }
    const char *why = NULL;
    char *got = NULL;
    assert_int_equal(ms_url_endpoint("http://shop.example:99999/", &got, &why), MS_ERR_INVALID);
    assert_null(got);
    assert_non_null(why);
}

int main(void)
{
    /* libcurl converts a host from the locale's character set, as main.c sets it */
    setlocale(LC_CTYPE, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_hosts),
        cmocka_unit_test(test_endpoint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
