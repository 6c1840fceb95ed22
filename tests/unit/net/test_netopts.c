#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms/netopts.h"

/* no_proxy matching as libcurl documents it: names and their subdomains, addresses and
 * networks, "*". */
static void test_noproxy(void **state)
{
    (void)state;
    static const struct {
        const char *host, *list;
        bool match;
    } rows[] = {
        {"shop.example", "shop.example", true},
        {"SHOP.example", "shop.EXAMPLE", true},
        {"www.shop.example", "shop.example", true},
        {"www.shop.example", ".shop.example", true},
        {"noshop.example", "shop.example", false},
        {"shop.example", "www.shop.example", false},
        {"shop.example.", "shop.example", true},
        {"shop.example", "shop.example.", true},
        {"shop.example", "a.example, shop.example", true},
        {"shop.example", "a.example shop.example", true},
        {"shop.example", "a.example,,b.example", false},
        {"anything", "*", true},
        {"anything", "*.example", false},
        {"shop.example", "", false},
        {"shop.example", NULL, false},
        {"127.0.0.1", "127.0.0.1", true},
        {"127.0.0.1", "127.0.0.0/8", true},
        {"127.0.0.1", "10.0.0.0/8", false},
        {"127.0.0.1", "localhost", false},
        {"127.0.0.1", "127.0.0.10", false},
        {"localhost", "127.0.0.1", false},
        {"[::1]", "::1", true},
        {"[::1]", "[::1]", true},
        {"[2001:db8::5]", "2001:db8::/32", true},
        {"[2001:db9::5]", "2001:db8::/32", false},
        {"127.0.0.1", "127.0.0.1/33", false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (ms_noproxy_match(rows[i].host, rows[i].list) != rows[i].match)
            fail_msg("row %zu: %s in \"%s\": expected %d", i, rows[i].host,
                     rows[i].list ? rows[i].list : "(null)", rows[i].match);
}

/* The proxy a URL goes through: the option, else the environment as libcurl reads it. */
static void test_proxy_for(void **state)
{
    (void)state;
    static const char *const vars[] = {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
                                       "all_proxy",  "ALL_PROXY",  "no_proxy",    "NO_PROXY"};
    static const struct {
        const char *env; /* NAME=VALUE;NAME=VALUE */
        const char *proxy, *noproxy, *url;
        const char *want; /* "FROM VALUE", or "-" for none */
    } rows[] = {
        {"", NULL, NULL, "http://shop.example/", "-"},
        {"http_proxy=http://p:1", NULL, NULL, "http://shop.example/", "http_proxy http://p:1"},
        {"HTTP_PROXY=http://p:1", NULL, NULL, "http://shop.example/", "-"},
        {"http_proxy=", NULL, NULL, "http://shop.example/", "-"},
        {"http_proxy=http://p:1", NULL, NULL, "https://shop.example/", "-"},
        {"HTTPS_PROXY=http://q:2", NULL, NULL, "https://shop.example/", "HTTPS_PROXY http://q:2"},
        {"https_proxy=http://a:1;HTTPS_PROXY=http://q:2", NULL, NULL, "https://shop.example/",
         "https_proxy http://a:1"},
        {"ALL_PROXY=http://r:3", NULL, NULL, "http://shop.example/", "ALL_PROXY http://r:3"},
        {"all_proxy=http://s:4;ALL_PROXY=http://r:3", NULL, NULL, "https://x/",
         "all_proxy http://s:4"},
        {"http_proxy=http://p:1;all_proxy=http://s:4", NULL, NULL, "http://x/",
         "http_proxy http://p:1"},
        {"http_proxy=http://p:1", "http://o:9", NULL, "http://shop.example/", "--proxy http://o:9"},
        {"http_proxy=http://p:1", "", NULL, "http://shop.example/", "-"},
        {"http_proxy=http://p:1;no_proxy=shop.example", NULL, NULL, "http://www.shop.example/",
         "-"},
        {"http_proxy=http://p:1;NO_PROXY=shop.example", NULL, NULL, "http://shop.example/", "-"},
        {"http_proxy=http://p:1;no_proxy=other", NULL, NULL, "http://shop.example/",
         "http_proxy http://p:1"},
        /* --noproxy replaces no_proxy, and applies to --proxy too */
        {"http_proxy=http://p:1;no_proxy=shop.example", NULL, "other", "http://shop.example/",
         "http_proxy http://p:1"},
        {"", "http://o:9", "shop.example", "http://shop.example/", "-"},
        {"no_proxy=127.0.0.1", "http://o:9", NULL, "http://127.0.0.1:8080/", "-"},
        {"http_proxy=http://p:1", NULL, NULL, "not a url", "-"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char env[200], want[200];
        for (size_t k = 0; k < sizeof vars / sizeof vars[0]; k++)
            unsetenv(vars[k]);
        snprintf(env, sizeof env, "%s", rows[i].env);
        for (char *tok = strtok(env, ";"); tok; tok = strtok(NULL, ";")) {
            char *eq = strchr(tok, '=');
            *eq = '\0';
            setenv(tok, eq + 1, 1);
        }
        ms_net_opts o = {.proxy = rows[i].proxy, .noproxy = rows[i].noproxy};
        ms_proxy_choice pc;
        assert_int_equal(ms_proxy_for(rows[i].url, &o, &pc), MS_OK);
        if (pc.proxy)
            snprintf(want, sizeof want, "%s %s", pc.from, pc.proxy);
        else
            snprintf(want, sizeof want, "-");
        if (strcmp(want, rows[i].want) != 0)
            fail_msg("row %zu: got \"%s\", expected \"%s\"", i, want, rows[i].want);
    }
    for (size_t k = 0; k < sizeof vars / sizeof vars[0]; k++)
        unsetenv(vars[k]);
}

/* A proxy as the reports show it: never its user name or password. */
static void test_proxy_display(void **state)
{
    (void)state;
    static const struct {
        const char *proxy, *want;
    } rows[] = {
        {"http://127.0.0.1:3128", "http://127.0.0.1:3128"},
        {"http://user:pa55word@127.0.0.1:3128/", "http://127.0.0.1:3128"},
        {"user:pa55word@proxy.example:8080", "http://proxy.example:8080"},
        {"proxy.example", "http://proxy.example"},
        {"socks5h://u:p@[::1]:1080", "socks5h://[::1]:1080"},
        {"http://us er:pw@x:99999", "(not a URL)"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *shown = NULL;
        assert_int_equal(ms_proxy_display(rows[i].proxy, &shown), MS_OK);
        if (strcmp(shown, rows[i].want) != 0)
            fail_msg("row %zu: got \"%s\", expected \"%s\"", i, shown, rows[i].want);
        free(shown);
    }
}

/* --resolve and --connect-to as curl takes them. */
static void test_syntax(void **state)
{
    (void)state;
    static const struct {
        bool resolve; /* else connect-to */
        const char *arg;
        bool ok;
    } rows[] = {
        {true, "shop.invalid:443:127.0.0.1", true},
        {true, "+shop.invalid:443:127.0.0.1", true},
        {true, "shop.invalid:443:127.0.0.1,127.0.0.2", true},
        {true, "shop.invalid:443:::1", true},
        {true, "shop.invalid:443:[::1]", true},
        {true, "shop.invalid:443:[::1],10.0.0.1", true},
        {true, "*:443:127.0.0.1", true},
        {true, "shop.invalid:443", false},
        {true, "shop.invalid:443:", false},
        {true, "shop.invalid::127.0.0.1", false},
        {true, ":443:127.0.0.1", false},
        {true, "shop.invalid:http:127.0.0.1", false},
        {true, "shop.invalid:70000:127.0.0.1", false},
        {true, "shop.invalid:0:127.0.0.1", false},
        {true, "shop.invalid:443:localhost", false},
        {true, "shop.invalid:443:127.0.0.1,", false},
        {true, "shop.invalid:443:127.0.0.1.5", false},
        {true, "-shop.invalid:443", false},
        {true, "sh op:443:127.0.0.1", false},
        {true, "[::1]:443:127.0.0.1", false},
        {false, "shop.invalid:443:127.0.0.1:8443", true},
        {false, "shop.invalid:443:origin.invalid:", true},
        {false, "::127.0.0.1:8443", true},
        {false, "shop.invalid:::8443", true},
        {false, "[::1]:443:[::2]:8443", true},
        {false, ":::", true},
        {false, "shop.invalid:443:127.0.0.1", false},
        {false, "shop.invalid:443:127.0.0.1:8443:9", false},
        {false, "shop.invalid:x:127.0.0.1:8443", false},
        {false, "shop.invalid:443:127.0.0.1:99999", false},
        {false, "[::1:443:127.0.0.1:8443", false},
        {false, "[nothex]:443:127.0.0.1:8443", false},
        {false, "", false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const char *why = NULL;
        ms_status rc = rows[i].resolve ? ms_resolve_check(rows[i].arg, &why)
                                       : ms_connect_to_check(rows[i].arg, &why);
        if ((rc == MS_OK) != rows[i].ok)
            fail_msg("row %zu: %s \"%s\": expected %s", i,
                     rows[i].resolve ? "--resolve" : "--connect-to", rows[i].arg,
                     rows[i].ok ? "ok" : "a usage error");
        if (rc != MS_OK)
            assert_non_null(why);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_noproxy),
        cmocka_unit_test(test_proxy_for),
        cmocka_unit_test(test_proxy_display),
        cmocka_unit_test(test_syntax),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
