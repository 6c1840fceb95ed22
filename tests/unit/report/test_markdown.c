/* The Markdown report: the escaping of untrusted text (table-driven, one row a title and what
 * the details table shows of it), the summary's HTML escaping, the 1 MiB cut, the trend column,
 * the same bytes twice, and every allocation failing in turn. Rendering is checked end to end by
 * tests/cli/test_markdown.sh with cmark-gfm. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "ms/buf.h"
#include "ms/checklist.h"
#include "ms/report.h"
#include "ms/score.h"

#include "failalloc.h"

typedef struct {
    ms_plan plan;
    ms_run *run;
    char *path;
} fixture;

/* A run of the checklist text, every check answered answer ("yes" passes, "no" fails). */
static fixture *make(const char *checklist, bool yes)
{
    fixture *f = calloc(1, sizeof *f);
    f->path = write_temp(checklist);
    assert_non_null(f->path);
    const char *paths[] = {f->path};
    ms_diag d;
    ms_diag_init(&d);
    assert_int_equal(ms_plan_load(&f->plan, paths, 1, NULL, 0, &d), MS_OK);
    ms_diag_cleanup(&d);
    for (size_t i = 0; i < f->plan.nchecks; i++) {
        f->plan.checks[i]->selected = true;
        f->plan.checks[i]->manual->answer = (ms_answer){.state = MS_ANS_VALUE, .yes = yes};
    }
    ms_run_meta meta = {.tool_version = "9.9", .started_at = "2026-11-20T09:30:00+07:00"};
    assert_int_equal(ms_run_from_plan(&f->plan, &meta, &f->run), MS_OK);
    assert_int_equal(ms_score_run(f->run), MS_OK);
    assert_int_equal(ms_run_judge(f->run, MS_FAIL_ON_ANY, -1, false), MS_OK);
    return f;
}

static void destroy(fixture *f)
{
    ms_run_free(f->run);
    ms_plan_cleanup(&f->plan);
    unlink(f->path);
    free(f->path);
    free(f);
}

static const char ONE[] =
    "{\"format\": 1, \"id\": \"md\", \"title\": \"Markdown\",\n"
    " \"sections\": [{\"id\": \"s\", \"title\": \"<b>Sales</b> & \\\"more\\\"\", \"checks\": [\n"
    "  {\"id\": \"c\", \"kind\": \"yesno\", \"title\": \"x\", \"owner\": \"team\"}]}]}\n";

/* Not inlined: GCC 12 takes the address of its local for one that dangles in the callers. */
__attribute__((noinline)) static char *markdown(const ms_run *run, const ms_report_style *style)
{
    char *md = NULL;
    assert_int_equal(ms_report_markdown(run, style, &md), MS_OK);
    assert_non_null(md);
    return md;
}

/* One row a title: what the details table's check cell holds. */
static const struct {
    const char *title, *shown;
} ESCAPES[] = {
    {"a | b", "a \\| b"},
    {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
    {"<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"},
    {"[link](http://x)", "\\[link\\](http\\://x)"},
    {"![i](y.png)", "\\!\\[i\\](y.png)"},
    {"<http://x>", "&lt;http\\://x&gt;"},
    {"see https://evil.example/p", "see https\\://evil.example/p"},
    {"go www.evil.example", "go www\\.evil.example"},
    {"WWW.EVIL.EXAMPLE", "WWW\\.EVIL.EXAMPLE"},
    {"mail me@evil.example", "mail me@<!-- -->evil.example"},
    {"line\nnext\r\tend", "line next  end"},
    {"back\\slash `code`", "back\\\\slash \\`code\\`"},
    {"*em* _u_ ~~s~~ $m$", "\\*em\\* \\_u\\_ \\~\\~s\\~\\~ \\$m\\$"},
    {"# heading", "\\# heading"},
    {"- item", "\\- item"},
    {"+ item", "\\+ item"},
    {"> quote", "&gt; quote"},
    {"12. ordered", "12\\. ordered"},
    {"3) ordered", "3\\) ordered"},
    {"version 1.2", "version 1.2"},
    {"&amp; &lt;", "&amp;amp; &amp;lt;"},
    {"   padded   ", "padded"},
    {"T\xE1\xBB\x95ng \xC4\x91\xC3\xA0i", "T\xE1\xBB\x95ng \xC4\x91\xC3\xA0i"},
    {"bad \xFF byte", "bad \xEF\xBF\xBD byte"},
    {"[^1] [ ] [x]", "\\[^1\\] \\[ \\] \\[x\\]"},
};

static void test_escaping(void **state)
{
    (void)state;
    fixture *f = make(ONE, true);
    ms_report_style style = {0};
    for (size_t i = 0; i < sizeof ESCAPES / sizeof ESCAPES[0]; i++) {
        char want[512];
        assert_int_equal(ms_run_set(&f->run->checks[0]->title, ESCAPES[i].title), MS_OK);
        char *md = markdown(f->run, &style);
        snprintf(want, sizeof want, "\n| pass | %s | yes | good: yes |", ESCAPES[i].shown);
        if (!strstr(md, want))
            fail_msg("row %zu: %s\nnot in:\n%s", i, want, md);
        free(md);
    }
    destroy(f);
}

/* Inside <summary> the text is HTML (GitHub reads no Markdown there): entities, no backslashes. */
static void test_summary_is_html(void **state)
{
    (void)state;
    fixture *f = make(ONE, false);
    char *md = markdown(f->run, NULL);
    assert_non_null(strstr(md, "<details><summary>&lt;b&gt;Sales&lt;/b&gt; &amp; &quot;more&quot;: "
                               "score 0.0, coverage 1/1, 1 check, 1 failed</summary>\n\n"));
    assert_non_null(strstr(md, "**Verdict: FAIL** (exit 1): 1 check failed\n"));
    assert_non_null(strstr(md, "| 1 | serious | x | convenience | team | +100.0 | m | answered no, "
                               "good is yes |\n"));
    assert_non_null(strstr(md, "| **overall** | **0.00** |\n"));
    /* the same record, the same bytes */
    char *again = markdown(f->run, NULL);
    assert_string_equal(md, again);
    free(again);
    free(md);
    destroy(f);
}

/* A text longer than a cell takes is cut on a character boundary, with an ellipsis. */
static void test_long_text_cut(void **state)
{
    (void)state;
    fixture *f = make(ONE, true);
    char title[2001];
    for (size_t i = 0; i < 2000; i += 2)
        memcpy(title + i, "\xC3\xA0", 2); /* à: a cut must not split it */
    title[2000] = '\0';
    assert_int_equal(ms_run_set(&f->run->checks[0]->title, title), MS_OK);
    char *md = markdown(f->run, NULL);
    char want[700] = "| pass | ";
    memcpy(want + 9, title, 600);
    memcpy(want + 609, "\xE2\x80\xA6 | yes |", sizeof "\xE2\x80\xA6 | yes |");
    assert_non_null(strstr(md, want));
    assert_true(ms_utf8_valid(md, strlen(md), NULL));
    free(md);
    destroy(f);
}

static size_t count(const char *s, const char *what)
{
    size_t n = 0, at = 0, len = strlen(s);
    while (at < len && strstr(s + at, what)) {
        at = (size_t)(strstr(s + at, what) - s) + 1;
        n++;
    }
    return n;
}

/* 3000 failed checks with long titles would make 4 MB: the report stays under 1 MiB, says how
 * much it left out, closes every <details>, and still ends with the verdict. */
static void test_one_mib(void **state)
{
    (void)state;
    ms_buf b;
    ms_buf_init(&b, 0);
    ms_buf_adds(&b, "{\"format\": 1, \"id\": \"big\", \"title\": \"Big\", \"sections\": [");
    for (int s = 0; s < 3; s++) {
        ms_buf_printf(&b, "%s{\"id\": \"s%d\", \"title\": \"Section %d\", \"checks\": [",
                      s ? "," : "", s, s);
        for (int c = 0; c < 1000; c++) {
            ms_buf_printf(&b, "%s{\"id\": \"c%d-%d\", \"kind\": \"yesno\", \"title\": \"",
                          c ? "," : "", s, c);
            for (int k = 0; k < 50; k++)
                ms_buf_adds(&b, "a | b <c> ");
            ms_buf_adds(&b, "\"}");
        }
        ms_buf_adds(&b, "]}");
    }
    ms_buf_adds(&b, "]}\n");
    assert_false(b.failed);
    fixture *f = make(ms_buf_str(&b), false);
    ms_buf_cleanup(&b);
    char *md = markdown(f->run, NULL);
    size_t len = strlen(md);
    assert_true(len <= (size_t)1000 * 1000);
    assert_true(len > (size_t)900 * 1000); /* it fills what it may */
    assert_non_null(strstr(md, " more not shown here: this report keeps under 1 MiB"));
    assert_non_null(strstr(md, "rows were left out to keep this report under 1 MiB"));
    assert_int_equal(count(md, "<details>"), count(md, "</details>"));
    const char *tail = "**Verdict: FAIL** (exit 1): 3000 checks failed\n";
    assert_true(len > strlen(tail));
    assert_string_equal(md + len - strlen(tail), tail);
    free(md);
    destroy(f);
}

/* With history, a trend column: the check's sparkline (ms_buf_add_sparkline). */
static void test_trend(void **state)
{
    (void)state;
    fixture *f = make(ONE, true);
    const double v[] = {1, 2, 3};
    const bool has[] = {true, false, true};
    ms_report_trend t = {.values = v, .has = has, .n = 3};
    ms_report_history h = {.trends = &t, .ntrends = 1};
    ms_report_style style = {.history = &h};
    char *md = markdown(f->run, &style);
    ms_buf spark;
    ms_buf_init(&spark, 0);
    ms_buf_add_sparkline(&spark, v, has, 3);
    char want[256];
    snprintf(want, sizeof want, "| evidence | note | trend |\n");
    assert_non_null(strstr(md, want));
    snprintf(want, sizeof want, "| answered yes, good is yes |  | %s |\n", ms_buf_str(&spark));
    assert_non_null(strstr(md, want));
    ms_buf_cleanup(&spark);
    free(md);
    destroy(f);
}

/* Every allocation of the writer failing in turn: MS_ERR_NOMEM and no output, until the pass that
 * fails none gives the clean report. */
static void test_nomem(void **state)
{
    (void)state;
    fixture *f = make(ONE, false);
    assert_int_equal(ms_run_set(&f->run->checks[0]->title, "a | <b> [c](http://d) e@f.g"), MS_OK);
    char *clean = markdown(f->run, NULL);
    for (long k = 1;; k++) {
        char *md = (char *)1;
        fail_at = k;
        ms_status rc = ms_report_markdown(f->run, NULL, &md);
        bool failed = fail_at == 0; /* the k-th allocation was made, and failed */
        fail_at = 0;
        if (!failed) {
            assert_int_equal(rc, MS_OK);
            assert_string_equal(md, clean);
            free(md);
            assert_true(k > 3);
            break;
        }
        assert_int_equal(rc, MS_ERR_NOMEM);
        assert_null(md);
    }
    free(clean);
    destroy(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escaping),      cmocka_unit_test(test_summary_is_html),
        cmocka_unit_test(test_long_text_cut), cmocka_unit_test(test_one_mib),
        cmocka_unit_test(test_trend),         cmocka_unit_test(test_nomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
