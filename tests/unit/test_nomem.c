/* Allocation failures: the N-th allocation fails, for every N that a pass makes. Four passes:
 * a whole audit without a network (load, answers, synthetic samples with expectations and
 * redaction, the prompt, scoring, every report); a checklist full of problems (every message
 * and validate --json); the probe against a server on loopback; and the run command end to
 * end. A pass where an allocation failed must either say so (MS_ERR_NOMEM) or give the clean
 * pass's status with exactly its output: the same scores, verdict, fixes, reports, prompt
 * output and saved answers. A crash, another status or another output fails the test (and,
 * under ASan, so does a leak on any failure path).
 * malloc, calloc, realloc and strdup are wrapped at link time (-Wl,--wrap); cJSON reaches them
 * through the hooks that ms_alloc_init installs (libcurl's own allocations do not).
 * To look into a failure: MS_NOMEM_ONLY=N runs only the passes that fail allocation N,
 * MS_NOMEM_LOG=FILE lists every outcome, MS_NOMEM_DUMP=FILE writes the clean output,
 * MS_NOMEM_VERBOSE=1 keeps stderr. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <ctype.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "ms/alloc.h"
#include "ms/answers.h"
#include "ms/audit.h"
#include "ms/checklist.h"
#include "ms/cli.h"
#include "ms/expect.h"
#include "ms/init.h"
#include "ms/probe.h"
#include "ms/prompt.h"
#include "ms/ref.h"
#include "ms/report.h"
#include "ms/score.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);

static long g_countdown = -1; /* fail when it reaches 0; -1: never */
static long g_calls;

/* A place for a debugger's breakpoint: the allocation that is made to fail. */
__attribute__((noinline)) static void failing_now(void)
{
    __asm__ volatile("");
}

static int should_fail(void)
{
    g_calls++;
    if (g_countdown < 0)
        return 0;
    if (g_countdown-- != 0)
        return 0;
    failing_now();
    return 1;
}

void *__wrap_malloc(size_t n)
{
    return should_fail() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return should_fail() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    return should_fail() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    return should_fail() ? NULL : __real_strdup(s);
}

#define SECRET "s3cret-value-42"

static const char CHECKLIST[] =
    "{\"format\": 1, \"id\": \"t\", \"title\": \"OOM\", \"vars\": {\"base\": "
    "\"http://127.0.0.1:9\"},\n"
    " \"defaults\": {\"budget\": {\"total_ms\": 100},\n"
    "   \"headers\": {\"A\": \"1\", \"Authorization\": \"Bearer {{env.MS_NOMEM_TOKEN}}\"}},\n"
    " \"sections\": [{\"id\": \"s\", \"owner\": \"web\", \"checks\": [\n"
    "  {\"id\": \"h\", \"kind\": \"http\", \"title\": \"T\xE1\xBB\x95ng\", \"critical\": true,\n"
    "   \"request\": {\"url\": \"{{base}}/\", \"body\": {\"a\": 1}},\n"
    "   \"expect\": {\"status\": [200], \"headers\": {\"X-A\": \"b\"}, \"json\": {\"a\": 1, "
    "\"b.0\": 1},\n"
    "              \"body_contains\": [\"x\"], \"body_not_contains\": [\"a\"]}},\n"
    "  {\"id\": \"e\", \"kind\": \"http\", \"title\": \"Down\", \"tags\": [\"x\", \"y\"],\n"
    "   \"request\": {\"url\": \"{{base}}/down?k={{env.MS_NOMEM_TOKEN}}\"}},\n"
    "  {\"id\": \"r\", \"kind\": \"rating\", \"scale\": [1, 5], \"fix\": \"be kind\"},\n"
    "  {\"id\": \"y\", \"kind\": \"yesno\", \"title\": \"Greeted?\", \"description\": \"d\"},\n"
    "  {\"id\": \"w\", \"kind\": \"stopwatch\", \"budget\": {\"total_ms\": 1000}}]}]}\n";

static const char ANSWERS[] =
    "{\"format\": 1, \"auditor\": \"Ann\", \"label\": \"L\",\n"
    " \"answers\": {\"w\": {\"elapsed_ms\": 900, \"note\": \"quick\", \"at\": \"x\"},\n"
    "             \"other\": {\"value\": 1}}}\n";

/* What the auditor types at the prompt: r is rated 4 with a note, y is answered yes. */
static const char TYPED[] = "4\nfriendly\nyes\n\n";

/* A response for the expectations: every kind of problem at once. */
static const char BODY[] = "{\"a\": 2, \"b\": [3]}";

#define NSAMPLES 70 /* more than stats.c keeps on its stack */

static ms_status lookup(void *ud, const char *name, const char **value)
{
    (void)ud;
    *value = strcasecmp(name, "X-A") == 0 ? "c" : NULL;
    return MS_OK;
}

static int put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

/* The answers file is saved (with fsync) twice a pass: on tmpfs when there is one, so that
 * thousands of passes stay quick. Caller frees and unlinks. */
static char *answers_temp(void)
{
    char *path = strdup("/dev/shm/ms-nomem-XXXXXX.json");
    int fd = path ? mkstemps(path, 5) : -1;
    if (fd < 0) {
        free(path);
        return write_temp(ANSWERS);
    }
    close(fd);
    return path;
}

/* What the probe would leave: samples, an expectation that failed, an error quoting a secret,
 * all redacted as the run redacts them. */
static ms_status fake_probe(ms_plan *plan)
{
    ms_status rc = MS_OK;
    ms_check *h = ms_plan_find_check(plan, "h"), *e = ms_plan_find_check(plan, "e");
    h->res.samples = calloc(NSAMPLES, sizeof *h->res.samples);
    e->res.samples = calloc(1, sizeof *e->res.samples);
    if (!h->res.samples || !e->res.samples)
        return MS_ERR_NOMEM;
    h->res.nsamples = NSAMPLES;
    for (int i = 0; i < NSAMPLES; i++) {
        ms_sample *s = &h->res.samples[i];
        s->completed = true;
        s->status = 200;
        s->ph[MS_PH_DNS] = 1000 + i;
        s->ph[MS_PH_CONNECT] = 2000;
        s->ph[MS_PH_SERVER] = 140000 + 10 * i;
        s->ph[MS_PH_TRANSFER] = 3000;
        s->ph[MS_PH_TTFB] = 143000 + 11 * i;
        s->ph[MS_PH_TOTAL] = 150000 + 100 * i;
    }
    ms_sample *bad = &h->res.samples[0];
    bad->status = 500;
    if ((rc = ms_expect_check(h, bad->status, BODY, strlen(BODY), false, lookup, NULL,
                              &plan->secrets, &bad->error)) != MS_OK)
        return rc;
    bad->failed = bad->error != NULL;
    e->res.nsamples = 1;
    e->res.samples[0].failed = true;
    e->res.samples[0].error = strdup("Failed to connect to 127.0.0.1 port 9: /down?k=" SECRET);
    if (!e->res.samples[0].error)
        return MS_ERR_NOMEM;
    ms_check *both[] = {h, e};
    for (size_t i = 0; i < 2; i++)
        for (int k = 0; k < both[i]->res.nsamples; k++) {
            ms_sample *s = &both[i]->res.samples[k];
            if (!s->error)
                continue;
            char *clean = NULL;
            if (ms_plan_redact(plan, s->error, &clean) != MS_OK)
                return MS_ERR_NOMEM;
            free(s->error);
            s->error = clean;
        }
    return MS_OK;
}

/* Append a whole FILE's text (a memory stream) and close it. */
static void put_stream(FILE *out, const char *what, FILE *f, char **text, size_t *len)
{
    fclose(f);
    fprintf(out, "== %s\n%s", what, *text ? *text : "(none)");
    if (*len == 0 || (*text)[*len - 1] != '\n')
        fputc('\n', out);
    free(*text);
    *text = NULL;
    *len = 0;
}

/* Everything a pass produced that a user or a later run could see. */
static void put_results(FILE *out, const ms_run *run)
{
    const ms_scores *s = &run->scores;
    fprintf(out,
            "== scores\npassed %zu failed %zu critical %zu na %zu unanswered %zu not_run %zu\n",
            s->passed, s->failed, s->critical_failed, s->na, s->unanswered, s->not_run);
    fprintf(out, "overall %d %.6f\n", s->has_overall, s->overall);
    for (int f = 0; f < MS_FACTOR_COUNT; f++)
        fprintf(out, "factor %d %d %.6f\n", f, s->has_factor[f], s->factor[f]);
    for (size_t i = 0; i < run->nchecks; i++) {
        const ms_run_check *ck = run->checks[i];
        fprintf(out, "check %s %s %d %.6f [%s] n=%d median=%lld\n", ck->id,
                ms_status_name(ck->status), ck->has_score, ck->score,
                ck->evidence ? ck->evidence : "(null)", ms_run_stats(ck, MS_PH_TOTAL).n,
                (long long)ms_run_stats(ck, MS_PH_TOTAL).median);
    }
    const ms_run_fix *lists[] = {run->fixes, run->better};
    size_t counts[] = {run->nfixes, run->nbetter};
    for (size_t l = 0; l < 2; l++)
        for (size_t i = 0; i < counts[l]; i++) {
            const ms_run_fix *fx = &lists[l][i];
            fprintf(out, "%s %s %s %.6f %s [%s] [%s] [%s] %zu\n", l ? "better" : "fix",
                    run->checks[fx->check]->id, ms_severity_name(fx->severity), fx->impact,
                    fx->hint ? fx->hint : "", fx->title ? fx->title : "",
                    fx->owner ? fx->owner : "", fx->evidence ? fx->evidence : "", fx->nchecks);
        }
    fprintf(out, "verdict %s: %s (exit %d)\n", run->verdict.passed ? "pass" : "fail",
            run->verdict.reason ? run->verdict.reason : "", run->verdict.exit_code);
}

/* Timestamps taken during the pass (answers' "at") differ from pass to pass: digits of
 * anything shaped like 2026-11-23T13:14:09 become D. */
static void mask_times(char *s)
{
    for (; *s; s++) {
        static const char shape[] = "dddd-dd-ddTdd:dd:dd";
        size_t k = 0;
        while (shape[k] && s[k] &&
               (shape[k] == 'd' ? isdigit((unsigned char)s[k]) != 0 : s[k] == shape[k]))
            k++;
        if (shape[k])
            continue;
        for (k = 0; shape[k]; k++)
            if (shape[k] == 'd')
                s[k] = 'D';
    }
}

/* The test's own reading of what a pass wrote: never failed, not counted. */
static char *read_untouched(const char *path)
{
    long countdown = g_countdown, calls = g_calls;
    g_countdown = -1;
    char *s = read_all(path);
    g_countdown = countdown;
    g_calls = calls;
    return s;
}

/* One whole pass. Returns the first status that was not MS_OK; *out gets what the pass
 * produced (libc's memory streams: not counted, never failed). */
static ms_status one_pass(const char *cl, const char *answers, char **out)
{
    ms_plan plan;
    ms_diag diag;
    ms_answers *a = NULL;
    ms_run *run = NULL, *back = NULL;
    char *json = NULL, *json2 = NULL, *xml = NULL, *vjson = NULL, *saved = NULL;
    char *md = NULL;
    ms_diag rdiag;
    ms_diag_init(&rdiag);
    char *stext = NULL;
    size_t slen = 0, olen = 0;
    const char *paths[] = {cl};
    FILE *o = open_memstream(out, &olen);
    ms_status rc = MS_OK;

    if (!o || put_file(answers, ANSWERS) != 0)
        return MS_ERR_IO;
    ms_diag_init(&diag);
    rc = ms_plan_load(&plan, paths, 1, NULL, 0, &diag);
    if (rc == MS_OK)
        for (size_t i = 0; i < plan.nchecks; i++)
            plan.checks[i]->selected = true;
    if (rc == MS_OK)
        rc = ms_answers_open(answers, true, &diag, &a);
    if (rc == MS_OK)
        rc = ms_answers_apply(a, &plan, &diag);
    if (rc == MS_OK)
        rc = fake_probe(&plan);
    if (rc == MS_OK) {
        FILE *in = fmemopen((void *)TYPED, strlen(TYPED), "r");
        FILE *talk = open_memstream(&stext, &slen);
        rc = ms_prompt_run(&plan, a, in, talk, NULL);
        fclose(in);
        put_stream(o, "prompt", talk, &stext, &slen);
    }
    ms_run_meta meta = {.tool_version = "0.0",
                        .started_at = "2026-11-23T00:00:00+00:00",
                        .auditor = a ? ms_answers_auditor(a) : NULL,
                        .label = a ? ms_answers_label(a) : NULL,
                        .answers_path = "answers.json"};
    if (rc == MS_OK)
        rc = ms_run_from_plan(&plan, &meta, &run);
    if (rc == MS_OK)
        rc = ms_score_run(run);
    if (rc == MS_OK)
        rc = ms_run_judge(run, MS_FAIL_ON_ANY, 50, false);
    if (rc == MS_OK)
        put_results(o, run);
    if (rc == MS_OK) {
        FILE *t = open_memstream(&stext, &slen);
        rc = ms_report_text(run, t, false);
        put_stream(o, "text", t, &stext, &slen);
    }
    if (rc == MS_OK && (rc = ms_report_json(run, &json)) == MS_OK)
        fprintf(o, "== json\n%s", json);
    /* read back and written again: the same bytes */
    if (rc == MS_OK &&
        (rc = ms_run_from_json("r.json", json, strlen(json), &rdiag, &back)) == MS_OK &&
        (rc = ms_report_json(back, &json2)) == MS_OK)
        fprintf(o, "== json read back: %s\n", strcmp(json, json2) == 0 ? "same" : json2);
    if (rc == MS_OK && (rc = ms_report_junit(run, &xml)) == MS_OK)
        fprintf(o, "== junit\n%s", xml);
    if (rc == MS_OK && (rc = ms_report_markdown(run, NULL, &md)) == MS_OK)
        fprintf(o, "== markdown\n%s", md);
    if (rc == MS_OK && (rc = ms_validate_json(&diag, paths, 1, &vjson)) == MS_OK)
        fprintf(o, "== validate\n%s", vjson);
    if (rc == MS_OK) {
        saved = read_untouched(answers);
        fprintf(o, "== saved answers\n%s", saved ? saved : "(unreadable)\n");
    }
    fclose(o);
    mask_times(*out);
    free(saved);
    free(json);
    free(xml);
    free(md);
    free(vjson);
    free(json2);
    ms_diag_cleanup(&rdiag);
    ms_run_free(back);
    ms_run_free(run);
    ms_answers_free(a);
    ms_plan_cleanup(&plan);
    ms_diag_cleanup(&diag);
    return rc;
}

/* Where two outputs first differ: the part ("== json") in key, the line in msg. */
static void first_difference(const char *want, const char *got, char *key, size_t keylen, char *msg,
                             size_t len)
{
    size_t i = 0, line = 1, start = 0;
    snprintf(key, keylen, "output");
    while (want[i] && want[i] == got[i]) {
        if (want[i] == '\n') {
            line++;
            start = i + 1;
            if (strncmp(want + start, "== ", 3) == 0)
                snprintf(key, keylen, "%.*s", (int)strcspn(want + start, "\n"), want + start);
        }
        i++;
    }
    const char *w = want + start, *g = got + start;
    snprintf(msg, len, "line %zu: want \"%.*s\" got \"%.*s\"", line, (int)strcspn(w, "\n"), w,
             (int)strcspn(g, "\n"), g);
}

/* A pass over some input: its status, and in *out all it produced (libc's memory streams). */
typedef ms_status (*pass_fn)(void *ud, char **out);

/* The clean pass: it must give want. Returns its output (caller frees); *total is how many
 * allocations it made. */
static char *clean_pass(const char *what, pass_fn pass, void *ud, ms_status want, long *total)
{
    char *clean = NULL;
    g_countdown = -1;
    g_calls = 0;
    ms_status rc = pass(ud, &clean);
    *total = g_calls;
    if (rc != want)
        fail_msg("%s: the clean pass gave status %d:\n%s", what, rc, clean);
    if (getenv("MS_NOMEM_DUMP")) /* MS_NOMEM_DUMP=FILE: the clean pass's output, to read */
        put_file(getenv("MS_NOMEM_DUMP"), clean);
    print_message("%s: a pass makes %ld allocations; each is made to fail in turn\n", what, *total);
    return clean;
}

/* Run the pass once for every allocation the clean pass made, that allocation failing. Each
 * must give MS_ERR_NOMEM, or want with exactly the clean output. */
static void fail_each(const char *what, pass_fn pass, void *ud, ms_status want, const char *clean,
                      long total)
{
    capture cap;
    if (!getenv("MS_NOMEM_VERBOSE"))
        capture_begin(&cap); /* the loader says what failed; keep the test output readable */
    /* The wrong outcomes, grouped: one line each, with how often and where it was seen. */
    struct {
        char key[40], why[240]; /* the part of the output, and the first example */
        long count, first, last;
    } kinds[40];
    int nkinds = 0;
    long nbad = 0, nomem = 0, same = 0;
    /* MS_NOMEM_ONLY=N runs only the pass that fails allocation N (for a debugger). */
    long first = getenv("MS_NOMEM_ONLY") ? atol(getenv("MS_NOMEM_ONLY")) : 0;
    long last = getenv("MS_NOMEM_ONLY") ? first + 1 : total;
    FILE *log = getenv("MS_NOMEM_LOG") ? fopen(getenv("MS_NOMEM_LOG"), "a") : NULL;
    for (long n = first; n < last; n++) {
        char *got = NULL, key[40] = "", why[240] = "";
        g_countdown = n;
        ms_status rc = pass(ud, &got);
        g_countdown = -1;
        if (rc == MS_ERR_NOMEM)
            nomem++;
        else if (rc != want) {
            snprintf(key, sizeof key, "status %d", rc);
            snprintf(why, sizeof why, "%s", ms_status_text(rc));
        } else if (strcmp(got, clean) != 0)
            first_difference(clean, got, key, sizeof key, why, sizeof why);
        else
            same++;
        free(got);
        if (log) /* MS_NOMEM_LOG=FILE: every outcome, one a line */
            fprintf(log, "%s %ld %s: %s\n", what, n, why[0] ? key : "ok", why);
        if (!why[0])
            continue;
        nbad++;
        int k = 0;
        while (k < nkinds && strcmp(kinds[k].key, key) != 0)
            k++;
        if (k == nkinds && nkinds < 40) {
            snprintf(kinds[k].key, sizeof kinds[k].key, "%s", key);
            snprintf(kinds[k].why, sizeof kinds[k].why, "%s", why);
            kinds[k].count = 0;
            kinds[k].first = n;
            nkinds++;
        }
        if (k < nkinds) {
            kinds[k].count++;
            kinds[k].last = n;
        }
    }
    if (log)
        fclose(log);
    if (!getenv("MS_NOMEM_VERBOSE"))
        free(capture_end(&cap));
    print_message("%s: %ld passes said out of memory, %ld gave the clean outcome, %ld did "
                  "neither\n",
                  what, nomem, same, nbad);
    for (int k = 0; k < nkinds; k++)
        print_message("  %s: %ld x (allocations %ld..%ld), first: %s\n", kinds[k].key,
                      kinds[k].count, kinds[k].first, kinds[k].last, kinds[k].why);
    if (nbad)
        fail_msg("%s: %ld of %ld failing allocations gave another status or another output", what,
                 nbad, last - first);
}

typedef struct {
    const char *checklist, *answers;
} audit_files;

static ms_status audit_pass(void *ud, char **out)
{
    const audit_files *f = ud;
    return one_pass(f->checklist, f->answers, out);
}

static void test_every_allocation_fails_once(void **state)
{
    (void)state;
    setenv("MS_NOMEM_TOKEN", SECRET, 1);
    char *cl = write_temp(CHECKLIST);
    char *answers = answers_temp();
    audit_files files = {cl, answers};
    long total = 0;
    char *clean = clean_pass("audit", audit_pass, &files, MS_OK, &total);
    assert_true(total > 100);
    /* The clean pass is what the checks say it is (else equal outputs would prove little). */
    assert_non_null(strstr(clean, "check h fail"));
    /* the 500 is a whole response: it counts in the statistics */
    assert_non_null(strstr(clean, "n=70 median=153400"));
    assert_non_null(strstr(clean, "HTTP 500 (expected 200)"));
    assert_non_null(strstr(clean, "verdict fail"));
    assert_null(strstr(clean, SECRET));
    assert_non_null(strstr(clean, "\"note\":\t\"friendly\""));
    assert_non_null(strstr(clean, "== json read back: same\n"));
    fail_each("audit", audit_pass, &files, MS_OK, clean, total);
    unlink(cl);
    unlink(answers);
    free(cl);
    free(answers);
    free(clean);
}

/* A checklist with many problems: every message, its place and validate --json. */
static const char BAD_CHECKLIST[] =
    "{\"format\": 1, \"id\": \"bad\", \"titel\": \"x\", \"vars\": {\"base\": "
    "\"http://127.0.0.1:9\"},\n"
    " \"sections\": [{\"id\": \"s\", \"checks\": [\n"
    "  {\"id\": \"a\", \"kind\": \"http\", \"request\": {\"url\": \"{{bse}}/\"}, \"budjet\": {}},\n"
    "  {\"id\": \"a\", \"kind\": \"rating\", \"scale\": [5, 1], \"weight\": \"x\"},\n"
    "  {\"id\": \"c\", \"kind\": \"http\", \"request\": {\"url\": \"{{env.MS_NOMEM_UNSET}}\"}},\n"
    "  {\"id\": \"e\", \"kind\": \"htp\"},\n"
    "  {\"id\": \"d\", \"kind\": \"yesno\", \"good\": \"maybe\", \"good\": \"yes\"}]}]}\n";

static ms_status invalid_pass(void *ud, char **out)
{
    const char *paths[] = {ud};
    ms_plan plan;
    ms_diag diag;
    size_t len = 0;
    char *vjson = NULL;
    FILE *o = open_memstream(out, &len);
    if (!o)
        return MS_ERR_IO;
    ms_diag_init(&diag);
    ms_status rc = ms_plan_load(&plan, paths, 1, NULL, 0, &diag);
    if (rc == MS_ERR_INVALID) {
        ms_diag_print(&diag, o);
        ms_status vrc = ms_validate_json(&diag, paths, 1, &vjson);
        if (vrc != MS_OK)
            rc = vrc;
        else
            fprintf(o, "== validate\n%s", vjson);
    }
    fclose(o);
    free(vjson);
    ms_plan_cleanup(&plan);
    ms_diag_cleanup(&diag);
    return rc;
}

static void test_problems_survive_every_failure(void **state)
{
    (void)state;
    unsetenv("MS_NOMEM_UNSET");
    char *cl = write_temp(BAD_CHECKLIST);
    long total = 0;
    char *clean = clean_pass("invalid checklist", invalid_pass, cl, MS_ERR_INVALID, &total);
    assert_true(total > 50);
    assert_non_null(strstr(clean, "did you mean \"title\""));
    assert_non_null(strstr(clean, "MS_NOMEM_UNSET is not set"));
    assert_non_null(strstr(clean, "\"valid\":\tfalse"));
    fail_each("invalid checklist", invalid_pass, cl, MS_ERR_INVALID, clean, total);
    unlink(cl);
    free(cl);
    free(clean);
}

/* A server on loopback that answers every request with the same response: the probe's own
 * path (setup, samples, kept bodies, expectations, libcurl's errors) under every failure. */
static const char RESPONSE[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-A: c\r\n"
                               "Content-Length: 18\r\nConnection: close\r\n\r\n"
                               "{\"a\": 2, \"b\": [3]}";

static pid_t serve(int *port)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t salen = sizeof sa;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 64) != 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &salen) != 0)
        return -1;
    *port = ntohs(sa.sin_port);
    pid_t pid = fork();
    if (pid != 0) {
        close(fd);
        return pid;
    }
    /* The server dies with the test, however the test ends, and holds none of its output. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    /* A run before it caught SIGTERM (ms_cmd_run does, and the handler is inherited): back to
     * the default, though stop_server uses SIGKILL (a SIGTERM sent before this line ran was
     * caught by that handler, and the test waited for ever). */
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    int null = open("/dev/null", O_RDWR);
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    signal(SIGPIPE, SIG_IGN);
    for (;;) {
        int c = accept(fd, NULL, NULL);
        char req[4096];
        size_t got = 0;
        if (c < 0)
            continue;
        /* read the request head (the probe sends no body here) */
        while (got < sizeof req - 1) {
            ssize_t n = read(c, req + got, sizeof req - 1 - got);
            if (n <= 0)
                break;
            got += (size_t)n;
            req[got] = '\0';
            if (strstr(req, "\r\n\r\n"))
                break;
        }
        if (write(c, RESPONSE, strlen(RESPONSE)) < 0)
            (void)0; /* the client went away: nothing to do */
        close(c);
    }
}

static pid_t g_server = -1;

/* Stop the server also when the test failed (a failed assertion leaves the test at once). */
static int stop_server(void **state)
{
    (void)state;
    if (g_server > 0) {
        kill(g_server, SIGKILL);
        waitpid(g_server, NULL, 0);
        g_server = -1;
    }
    return 0;
}

static ms_status probe_pass(void *ud, char **out)
{
    const char *paths[] = {ud};
    ms_plan plan;
    ms_diag diag;
    size_t len = 0;
    FILE *o = open_memstream(out, &len);
    if (!o)
        return MS_ERR_IO;
    ms_diag_init(&diag);
    ms_status rc = ms_plan_load(&plan, paths, 1, NULL, 0, &diag);
    ms_diag_cleanup(&diag);
    if (rc == MS_OK) {
        for (size_t i = 0; i < plan.nchecks; i++)
            plan.checks[i]->selected = true;
        ms_probe_opts po = {.parallel = 2, .per_host = 2};
        rc = ms_probe_run(&plan, &po);
    }
    /* What the probe found; not its timings, which differ from pass to pass. */
    for (size_t i = 0; rc == MS_OK && i < plan.nchecks; i++) {
        const ms_result *r = &plan.checks[i]->res;
        for (int k = 0; k < r->nsamples; k++)
            fprintf(o, "%s %d: HTTP %d, %s, %lld bytes, %s\n", plan.checks[i]->id, k,
                    r->samples[k].status, r->samples[k].failed ? "failed" : "ok",
                    (long long)r->samples[k].bytes,
                    r->samples[k].error ? r->samples[k].error : "(no error)");
    }
    fclose(o);
    ms_plan_cleanup(&plan);
    return rc;
}

static void test_probe_under_every_failure(void **state)
{
    (void)state;
    int port = 0;
    g_server = serve(&port);
    assert_true(g_server > 0);
    char text[2048];
    snprintf(
        text, sizeof text,
        "{\"format\": 1, \"id\": \"p\", \"vars\": {\"base\": \"http://127.0.0.1:%d\"},\n"
        " \"defaults\": {\"samples\": 2},\n"
        " \"sections\": [{\"id\": \"s\", \"checks\": [\n"
        "  {\"id\": \"bad\", \"kind\": \"http\", \"request\": {\"url\": \"{{base}}/x\"},\n"
        "   \"expect\": {\"status\": [201], \"headers\": {\"X-A\": \"b\"}, \"json\": {\"a\": 1,\n"
        "              \"b.0\": 3, \"z\": 1}, \"body_contains\": [\"q\"]}},\n"
        "  {\"id\": \"good\", \"kind\": \"http\", \"request\": {\"url\": \"{{base}}/y\"},\n"
        "   \"expect\": {\"status\": [200], \"json\": {\"a\": 2}, \"body_not_contains\": "
        "[\"q\"]}}]}]}\n",
        port);
    char *cl = write_temp(text);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    long total = 0;
    char *clean = clean_pass("probe", probe_pass, cl, MS_OK, &total);
    assert_non_null(
        strstr(clean, "bad 1: HTTP 200, failed, 18 bytes, HTTP 200 (expected 201); X-A"));
    assert_non_null(strstr(clean, "json z is missing"));
    assert_non_null(strstr(clean, "good 1: HTTP 200, ok, 18 bytes, (no error)"));
    fail_each("probe", probe_pass, cl, MS_OK, clean, total);
    curl_global_cleanup();
    unlink(cl);
    free(cl);
    free(clean);
}

/* The run command end to end (audit.c: load, answers, probe, redaction, scoring, the three
 * reports written to files and stdout). Timings and times differ from run to run: every digit
 * number of the output is masked, and what it says is compared, with the status. */
typedef struct {
    ms_options opts;
    const char *json, *junit;
} run_setup;

/* Every number (a run of digits and dots) becomes one '#', with the units of a duration written
 * into it ("900ms", "1.2s" and "1m13s" are all "#": a slow pass crosses from one to the next). */
static void mask_numbers(char *s)
{
    char *w = s;
    while (s && *s) {
        if (!isdigit((unsigned char)*s)) {
            *w++ = *s++;
            continue;
        }
        while (isdigit((unsigned char)*s) || *s == '.' || (*s && strchr("mshu", *s)))
            s++;
        *w++ = '#'; /* after the skip: w may stand on the number's first digit */
    }
    if (w)
        *w = '\0';
}

static ms_status run_pass(void *ud, char **out)
{
    const run_setup *r = ud;
    size_t len = 0;
    FILE *o = open_memstream(out, &len);
    char stdout_path[] = "/tmp/ms-nomem-out-XXXXXX";
    int fd = mkstemp(stdout_path);
    if (!o || fd < 0)
        return MS_ERR_IO;
    unlink(r->json);
    unlink(r->junit);
    fflush(stdout);
    int saved = dup(1);
    dup2(fd, 1);
    close(fd);
    ms_status rc = ms_cmd_run(&r->opts);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    const char *parts[][2] = {{"stdout", stdout_path}, {"json", r->json}, {"junit", r->junit}};
    for (size_t i = 0; i < 3; i++) {
        char *text = read_untouched(parts[i][1]);
        mask_numbers(text);
        fprintf(o, "== %s\n%s", parts[i][0], text ? text : "(none)\n");
        free(text);
    }
    unlink(stdout_path);
    fclose(o);
    return rc;
}

static void test_run_under_every_failure(void **state)
{
    (void)state;
    int port = 0;
    g_server = serve(&port);
    assert_true(g_server > 0);
    /* A port with a socket bound and not listening: connecting is refused, on loopback. */
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t salen = sizeof sa;
    int closed = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(closed >= 0 && bind(closed, (struct sockaddr *)&sa, sizeof sa) == 0 &&
                getsockname(closed, (struct sockaddr *)&sa, &salen) == 0);
    char text[2048];
    snprintf(text, sizeof text,
             "{\"format\": 1, \"id\": \"r\", \"vars\": {\"base\": \"http://127.0.0.1:%d\"},\n"
             " \"defaults\": {\"samples\": 2, \"headers\": {\"Authorization\": \"Bearer "
             "{{env.MS_NOMEM_TOKEN}}\"}},\n"
             " \"sections\": [{\"id\": \"s\", \"checks\": [\n"
             "  {\"id\": \"ok\", \"kind\": \"http\", \"request\": {\"url\": \"{{base}}/a\"},\n"
             "   \"expect\": {\"status\": [200], \"json\": {\"a\": 2}}},\n"
             "  {\"id\": \"no\", \"kind\": \"http\", \"request\": {\"url\": \"{{base}}/b\"},\n"
             "   \"expect\": {\"json\": {\"a\": 1}}},\n"
             "  {\"id\": \"down\", \"kind\": \"http\", \"request\": {\"url\": "
             "\"http://127.0.0.1:%d/\"}},\n"
             "  {\"id\": \"y\", \"kind\": \"yesno\", \"title\": \"Greeted?\"}]}]}\n",
             port, ntohs(sa.sin_port));
    setenv("MS_NOMEM_TOKEN", SECRET, 1);
    char *cl = write_temp(text);
    char *answers = write_temp("{\"format\": 1, \"auditor\": \"Ann\", \"answers\": "
                               "{\"y\": {\"value\": \"yes\", \"note\": \"warm\"}}}\n");
    char json[64], junit[64];
    snprintf(json, sizeof json, "%s.report.json", cl);
    snprintf(junit, sizeof junit, "%s.junit.xml", cl);
    /* The network options are recorded (no check goes to x.invalid: nothing else changes). */
    char *argv[] = {"mystery-shopper",
                    "run",
                    "--no-input",
                    "--color",
                    "never",
                    "--answers",
                    answers,
                    "--json",
                    json,
                    "--junit",
                    junit,
                    "--http1.1",
                    "--resolve",
                    "x.invalid:1:127.0.0.1",
                    "--connect-to",
                    "x.invalid:1:127.0.0.1:2",
                    "--cert",
                    answers,
                    "--no-history",
                    cl,
                    NULL};
    run_setup r = {.json = json, .junit = junit};
    ms_options_init(&r.opts);
    assert_int_equal(ms_cli_parse(20, argv, &r.opts), MS_OK);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    long total = 0;
    char *clean = clean_pass("run", run_pass, &r, MS_ERR_GATE, &total);
    assert_non_null(strstr(clean, "Verdict: FAIL: # checks failed"));
    assert_non_null(strstr(clean, "json a is # (expected #)"));
    assert_non_null(strstr(clean, "answered yes, good is yes: 'warm'"));
    assert_non_null(strstr(clean, "<testsuites"));
    assert_non_null(strstr(clean, "network options: --http#, --resolve x.invalid:#:#"));
    assert_null(strstr(clean, SECRET));
    fail_each("run", run_pass, &r, MS_ERR_GATE, clean, total);
    /* run --baseline: the report just written is the baseline (loaded, compared, reported). */
    char base[80];
    snprintf(base, sizeof base, "%s.base.json", cl);
    assert_int_equal(rename(json, base), 0);
    r.opts.baseline = base;
    free(clean);
    clean = clean_pass("run --baseline", run_pass, &r, MS_ERR_GATE, &total);
    assert_non_null(strstr(clean, "Compared with "));
    fail_each("run --baseline", run_pass, &r, MS_ERR_GATE, clean, total);
    unlink(base);
    curl_global_cleanup();
    ms_options_cleanup(&r.opts);
    close(closed);
    unlink(json);
    unlink(junit);
    unlink(cl);
    unlink(answers);
    free(cl);
    free(answers);
    free(clean);
}

/* run --notify with a history of earlier runs (notify.c, the series read from the store, the
 * text report's "failing since" and trend): each pass starts from the same history, a copy of
 * the one a first run made, so that each says the same. */
typedef struct {
    run_setup run;
    const char *seed, *history;
} notify_setup;

static ms_status copy_file(const char *from, const char *to)
{
    size_t len = 0;
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    ms_status rc = in && out ? MS_OK : MS_ERR_IO;
    char buf[8192];
    while (rc == MS_OK && (len = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, len, out) != len)
            rc = MS_ERR_IO;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        rc = MS_ERR_IO;
    return rc;
}

static ms_status notify_pass(void *ud, char **out)
{
    const notify_setup *r = ud;
    char wal[128], shm[128];
    snprintf(wal, sizeof wal, "%s-wal", r->history);
    snprintf(shm, sizeof shm, "%s-shm", r->history);
    unlink(wal);
    unlink(shm);
    if (copy_file(r->seed, r->history) != MS_OK)
        return MS_ERR_IO;
    return run_pass((void *)&r->run, out);
}

static void test_notify_under_every_failure(void **state)
{
    (void)state;
    int port = 0;
    g_server = serve(&port);
    assert_true(g_server > 0);
    char text[1024], hook[128];
    snprintf(text, sizeof text,
             "{\"format\": 1, \"id\": \"n\", \"vars\": {\"base\": \"http://127.0.0.1:%d\"},\n"
             " \"sections\": [{\"id\": \"s\", \"checks\": [\n"
             "  {\"id\": \"ok\", \"kind\": \"http\", \"samples\": 1,"
             " \"request\": {\"url\": \"{{base}}/a\"}},\n"
             "  {\"id\": \"no\", \"kind\": \"http\", \"samples\": 1,"
             " \"request\": {\"url\": \"{{base}}/b\"}, \"expect\": {\"json\": {\"a\": 1}}}]}]}\n",
             port);
    snprintf(hook, sizeof hook, "http://127.0.0.1:%d/hook/T0/B0/token", port);
    char *cl = write_temp(text);
    char json[64], junit[64], seed[64], history[64];
    snprintf(json, sizeof json, "%s.report.json", cl);
    snprintf(junit, sizeof junit, "%s.junit.xml", cl);
    snprintf(seed, sizeof seed, "%s.seed.db", cl);
    snprintf(history, sizeof history, "%s.history.db", cl);
    char *argv[] = {
        "mystery-shopper", "run", "--no-input", "--color", "never",    "--json", json,
        "--junit",         junit, "--history",  seed,      "--notify", hook,     "--notify-on",
        "always",          cl,    NULL};
    notify_setup r = {.run = {.json = json, .junit = junit}, .seed = seed, .history = history};
    ms_options_init(&r.run.opts);
    assert_int_equal(ms_cli_parse(16, argv, &r.run.opts), MS_OK);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    /* The seed: one earlier failing run. */
    char *first = NULL;
    assert_int_equal(run_pass(&r.run, &first), MS_ERR_GATE);
    free(first);
    r.run.opts.history = history;
    long total = 0;
    char *clean = clean_pass("notify", notify_pass, &r, MS_ERR_GATE, &total);
    assert_non_null(strstr(clean, "failing since #:#, # runs"));
    assert_non_null(strstr(clean, "trend"));
    fail_each("notify", notify_pass, &r, MS_ERR_GATE, clean, total);
    curl_global_cleanup();
    ms_options_cleanup(&r.run.opts);
    unlink(json);
    unlink(junit);
    unlink(seed);
    unlink(history);
    unlink(cl);
    free(cl);
    free(clean);
}

/* cJSON's allocations reach the wrapped allocator, and its failures are noticed. */
static void test_cjson_allocations_are_counted(void **state)
{
    (void)state;
    long before = g_calls;
    cJSON *doc = cJSON_Parse("{\"a\": [1, \"two\", {\"b\": null}]}");
    long parsed = g_calls - before;
    char *text = cJSON_Print(doc);
    long printed = g_calls - before - parsed;
    print_message("cJSON: %ld wrapped allocations to parse, %ld to print\n", parsed, printed);
    assert_non_null(doc);
    assert_non_null(text);
    assert_true(parsed > 0);
    assert_true(printed > 0);
    free(text);
    cJSON_Delete(doc);

    unsigned long failures = ms_alloc_failures();
    g_countdown = 0;
    doc = cJSON_Parse("{\"a\": 1}");
    g_countdown = -1;
    assert_null(doc);
    assert_int_equal(ms_alloc_failures(), failures + 1);
}

/* init under every failure: the starter it writes is whole, or it says out of memory (a title
 * or URL buffer that failed wrote a starter with an empty title or URL, and exit 0). */
typedef struct {
    ms_options opts;
    const char *output;
} init_setup;

static ms_status init_pass(void *ud, char **out)
{
    const init_setup *r = ud;
    unlink(r->output);
    ms_status rc = ms_cmd_init(&r->opts);
    char *text = read_untouched(r->output);
    *out = text ? text : strdup("(none)");
    return rc;
}

static void test_init_under_every_failure(void **state)
{
    (void)state;
    char output[] = "/tmp/ms-nomem-init-XXXXXX";
    int fd = mkstemp(output);
    assert_true(fd >= 0);
    close(fd);
    char *argv[] = {"mystery-shopper",
                    "init",
                    "--url",
                    "https://shop.example/",
                    "--url",
                    "https://shop.example/cart?x=T\xE1\xBB\x95ng",
                    "--url",
                    "https://other.example/a/b",
                    "--with-hotline",
                    "--force",
                    "-o",
                    output,
                    NULL};
    init_setup r = {.output = output};
    ms_options_init(&r.opts);
    assert_int_equal(ms_cli_parse(12, argv, &r.opts), MS_OK);
    long total = 0;
    char *clean = clean_pass("init", init_pass, &r, MS_OK, &total);
    assert_non_null(strstr(clean, "\"{{base}}/cart?x=T\xE1\xBB\x95ng\""));
    assert_non_null(strstr(clean, "\"https://other.example/a/b opens quickly\""));
    fail_each("init", init_pass, &r, MS_OK, clean, total);
    ms_options_cleanup(&r.opts);
    unlink(output);
    free(clean);
}

/* init --from a bundled checklist under every failure: the copy is whole, or out of memory
 * (a buffer that failed while the data directory was looked for moved on to the next place,
 * and said there was no such checklist: exit 2). Once from MS_DATA_DIR, once from beside the
 * executable: tests/test_nomem's ../share/mystery-shopper is the build tree's link to the
 * sources' checklists/, where an installed binary finds BINDIR/../share/mystery-shopper. */
static void test_init_from_under_every_failure(void **state)
{
    (void)state;
    char output[] = "/tmp/ms-nomem-from-XXXXXX", data[] = "/tmp/ms-nomem-data-XXXXXX";
    char dir[64], file[96];
    int fd = mkstemp(output);
    assert_true(fd >= 0);
    close(fd);
    assert_non_null(mkdtemp(data));
    snprintf(dir, sizeof dir, "%s/checklists", data);
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(file, sizeof file, "%s/shop.json", dir);
    assert_int_equal(put_file(file, CHECKLIST), 0);
    for (int from_env = 1; from_env >= 0; from_env--) {
        if (from_env)
            setenv("MS_DATA_DIR", data, 1);
        else
            unsetenv("MS_DATA_DIR");
        char *argv[] = {"mystery-shopper", "init", "--from", from_env ? "shop" : "website",
                        "--force",         "-o",   output,   NULL};
        init_setup r = {.output = output};
        ms_options_init(&r.opts);
        assert_int_equal(ms_cli_parse(7, argv, &r.opts), MS_OK);
        long total = 0;
        char *clean = clean_pass("init --from", init_pass, &r, MS_OK, &total);
        if (from_env)
            assert_string_equal(clean, CHECKLIST);
        else
            assert_non_null(strstr(clean, "\"id\": \"website\""));
        fail_each("init --from", init_pass, &r, MS_OK, clean, total);
        ms_options_cleanup(&r.opts);
        free(clean);
    }
    unlink(output);
    unlink(file);
    rmdir(dir);
    rmdir(data);
}

/* A bad answers file under every failure: every problem, each at its place, or out of memory
 * (a problem that lost its path or its text, or problems skipped, looked like a whole list). */
static ms_status answers_problems_pass(void *ud, char **out)
{
    char *const *paths = ud; /* checklist, answers with open problems, answers with apply ones */
    const char *cl[] = {paths[0]};
    ms_plan plan;
    ms_diag diag;
    ms_answers *a = NULL, *b = NULL;
    size_t len = 0;
    FILE *o = open_memstream(out, &len);
    if (!o)
        return MS_ERR_IO;
    ms_diag_init(&diag);
    ms_status rc = ms_plan_load(&plan, cl, 1, NULL, 0, &diag), rc2 = MS_OK;
    if (rc == MS_OK) {
        rc = ms_answers_open(paths[1], true, &diag, &a);
        rc2 = ms_answers_open(paths[2], true, &diag, &b);
        if (rc2 == MS_OK)
            rc2 = ms_answers_apply(b, &plan, &diag);
    }
    /* The problems as the command line prints them, and as validate --json writes them. */
    char *vjson = NULL;
    ms_status prc = ms_diag_print(&diag, o);
    if (prc == MS_OK &&
        (prc = ms_validate_json(&diag, (const char *const *)paths, 3, &vjson)) == MS_OK)
        fprintf(o, "== validate\n%s", vjson);
    free(vjson);
    fclose(o);
    ms_answers_free(a);
    ms_answers_free(b);
    ms_plan_cleanup(&plan);
    ms_diag_cleanup(&diag);
    if (prc == MS_ERR_NOMEM)
        return MS_ERR_NOMEM;
    if (rc == MS_ERR_NOMEM || rc2 == MS_ERR_NOMEM)
        return MS_ERR_NOMEM;
    return rc != MS_OK ? rc : rc2;
}

static void test_answers_problems_survive_every_failure(void **state)
{
    (void)state;
    char *paths[] = {
        write_temp(CHECKLIST),
        write_temp("{\"format\": 2, \"auditr\": \"Ann\",\n \"answers\": {\"r\": {\"valu\": 1}, "
                   "\"w\": 3}}\n"),
        write_temp("{\"format\": 1, \"answers\": {\"r\": {\"value\": 9},\n \"w\": {\"value\": 1}, "
                   "\"h\": {\"value\": 1}}}\n")};
    long total = 0;
    char *clean =
        clean_pass("invalid answers", answers_problems_pass, paths, MS_ERR_INVALID, &total);
    assert_non_null(strstr(clean, "format: this tool reads format 1 only"));
    assert_non_null(strstr(clean, "auditr: unknown field \"auditr\" (did you mean \"auditor\"?)"));
    assert_non_null(strstr(clean, "answers.r.valu: unknown field"));
    assert_non_null(strstr(clean, "answers.w: an answer is an object"));
    assert_non_null(strstr(clean, "answers.r.value: must be a number from 1 to 5"));
    assert_non_null(strstr(clean, "answers.w.value: a stopwatch answer is"));
    assert_non_null(strstr(clean, "answers.h: h is an http check"));
    fail_each("invalid answers", answers_problems_pass, paths, MS_ERR_INVALID, clean, total);
    for (size_t i = 0; i < 3; i++) {
        unlink(paths[i]);
        free(paths[i]);
    }
    free(clean);
}

/* compare under every failure: two runs recorded in a history (manual checks only, so nothing
 * is timed), compared by reference (@1, a report file) as text and as JSON. */
typedef struct {
    ms_options opts;
} compare_setup;

static ms_status compare_pass(void *ud, char **out)
{
    const compare_setup *r = ud;
    char path[] = "/tmp/ms-nomem-cmp-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return MS_ERR_IO;
    fflush(stdout);
    int saved = dup(1);
    dup2(fd, 1);
    close(fd);
    ms_status rc = ms_cmd_compare(&r->opts);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    char *text = read_untouched(path);
    unlink(path);
    *out = text ? text : strdup("(none)");
    return rc;
}

/* Run ms_cmd_run on argv (n of them) once, cleanly, with stdout and stderr to /dev/null. */
static void run_once(int n, char **argv)
{
    ms_options o;
    ms_options_init(&o);
    assert_int_equal(ms_cli_parse(n, argv, &o), MS_OK);
    fflush(stdout);
    fflush(stderr);
    int saved = dup(1), saved_err = dup(2), null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2); /* -q says a failed verdict on stderr */
    close(null);
    ms_status rc = ms_cmd_run(&o);
    fflush(stdout);
    fflush(stderr);
    dup2(saved, 1);
    dup2(saved_err, 2);
    close(saved);
    close(saved_err);
    assert_true(rc == MS_OK || rc == MS_ERR_GATE);
    ms_options_cleanup(&o);
}

static void test_compare_under_every_failure(void **state)
{
    (void)state;
    char *cl1 =
        write_temp("{\"format\": 1, \"id\": \"c\", \"sections\": [{\"id\": \"s\", \"checks\": [\n"
                   "  {\"id\": \"a\", \"kind\": \"yesno\", \"title\": \"Asked?\"},\n"
                   "  {\"id\": \"b\", \"kind\": \"rating\", \"scale\": [1, 5], \"pass\": 3},\n"
                   "  {\"id\": \"gone\", \"kind\": \"yesno\"}]}]}\n");
    char *cl2 =
        write_temp("{\"format\": 1, \"id\": \"c\", \"sections\": [{\"id\": \"s\", \"checks\": [\n"
                   "  {\"id\": \"a\", \"kind\": \"yesno\", \"title\": \"Asked?\"},\n"
                   "  {\"id\": \"b\", \"kind\": \"rating\", \"scale\": [1, 5], \"pass\": 3},\n"
                   "  {\"id\": \"added\", \"kind\": \"yesno\"}]}]}\n");
    char *a1 = write_temp("{\"format\": 1, \"answers\": {\"a\": {\"value\": \"yes\"}, \"b\": "
                          "{\"value\": 2}, \"gone\": {\"value\": \"yes\"}}}\n");
    char *a2 = write_temp("{\"format\": 1, \"answers\": {\"a\": {\"value\": \"no\"}, \"b\": "
                          "{\"value\": 4}, \"added\": {\"value\": \"yes\"}}}\n");
    char db[64], json[64];
    snprintf(db, sizeof db, "%s.db", cl1);
    snprintf(json, sizeof json, "%s.report.json", cl2);
    char *run1[] = {"mystery-shopper", "run", "--no-input", "-q", "--label", "before",
                    "--answers",       a1,    "--history",  db,   cl1,       NULL};
    char *run2[] = {"mystery-shopper", "run", "--no-input", "-q", "--answers", a2,
                    "--history",       db,    "--json",     json, cl2,         NULL};
    run_once(11, run1);
    run_once(11, run2);
    for (int as_json = 0; as_json < 2; as_json++) {
        char *argv[] = {
            "mystery-shopper",         "compare", "--history", db, "@label:before", json,
            as_json ? "--json" : NULL, NULL};
        compare_setup r;
        ms_options_init(&r.opts);
        assert_int_equal(ms_cli_parse(6 + as_json, argv, &r.opts), MS_OK);
        long total = 0;
        const char *what = as_json ? "compare --json" : "compare";
        char *clean = clean_pass(what, compare_pass, &r, MS_ERR_GATE, &total);
        if (as_json) {
            assert_non_null(strstr(clean, "\"started_failing\":\ttrue"));
            assert_non_null(strstr(clean, "\"side\":\t\"base\""));
        } else {
            assert_non_null(strstr(clean, "Started failing\n  a  Asked?  pass -> fail\n"));
            assert_non_null(strstr(clean, "Stopped failing\n  b  fail -> pass\n"));
            assert_non_null(strstr(clean, "Only in the new run\n  added  pass\n"));
        }
        fail_each(what, compare_pass, &r, MS_ERR_GATE, clean, total);
        free(clean);
        ms_options_cleanup(&r.opts);
    }
    char wal[80], shm[80];
    snprintf(wal, sizeof wal, "%s-wal", db);
    snprintf(shm, sizeof shm, "%s-shm", db);
    unlink(wal);
    unlink(shm);
    unlink(db);
    unlink(json);
    char *files[] = {cl1, cl2, a1, a2};
    for (size_t i = 0; i < 4; i++) {
        unlink(files[i]);
        free(files[i]);
    }
}

/* report under every failure: the reports of a run recorded in a history after another run of
 * its series (so the HTML page has trends and the text "failing since"), rendered again into
 * every format; the pass's output is the files' contents, in order. */
typedef struct {
    ms_options opts;
    const char *const *files;
    size_t nfiles;
} report_setup;

static ms_status report_pass(void *ud, char **out)
{
    const report_setup *r = ud;
    for (size_t i = 0; i < r->nfiles; i++)
        unlink(r->files[i]);
    ms_status rc = ms_cmd_report(&r->opts);
    size_t len = 0;
    FILE *all = open_memstream(out, &len); /* libc's: not counted, never failed */
    assert_non_null(all);
    for (size_t i = 0; i < r->nfiles; i++) {
        char *text = read_untouched(r->files[i]);
        fprintf(all, "%s\n", text ? text : "(none)");
        free(text);
    }
    fclose(all);
    return rc;
}

static void test_report_under_every_failure(void **state)
{
    (void)state;
    char *cl =
        write_temp("{\"format\": 1, \"id\": \"r\", \"title\": \"Re <render>\", \"sections\": "
                   "[{\"id\": \"s\", \"checks\": [\n"
                   "  {\"id\": \"a\", \"kind\": \"yesno\", \"title\": \"Asked?\"},\n"
                   "  {\"id\": \"b\", \"kind\": \"rating\", \"scale\": [1, 5], \"pass\": 3}]}]}\n");
    char *a = write_temp("{\"format\": 1, \"answers\": {\"a\": {\"value\": \"no\", \"note\": "
                         "\"not | <b>asked</b>\"}, \"b\": {\"value\": 4}}}\n");
    char db[64], f[5][80];
    const char *files[5];
    const char *exts[5] = {"html", "md", "prom", "xml", "json"};
    snprintf(db, sizeof db, "%s.db", cl);
    for (size_t i = 0; i < 5; i++) {
        snprintf(f[i], sizeof f[i], "%s.out.%s", cl, exts[i]);
        files[i] = f[i];
    }
    char *run[] = {"mystery-shopper", "run", "--no-input", "-q", "--label", "l",
                   "--answers",       a,     "--history",  db,   cl,        NULL};
    run_once(11, run);
    run_once(11, run);
    char *argv[] = {"mystery-shopper",
                    "report",
                    "@2",
                    "--history",
                    db,
                    "--html",
                    f[0],
                    "--markdown",
                    f[1],
                    "--metrics",
                    f[2],
                    "--junit",
                    f[3],
                    "--json",
                    f[4],
                    NULL};
    report_setup r = {.files = files, .nfiles = 5};
    ms_options_init(&r.opts);
    assert_int_equal(ms_cli_parse(15, argv, &r.opts), MS_OK);
    long total = 0;
    char *clean = clean_pass("report", report_pass, &r, MS_OK, &total);
    assert_non_null(strstr(clean, "<testsuites"));
    assert_non_null(strstr(clean, "\"format\":\t3"));
    fail_each("report", report_pass, &r, MS_OK, clean, total);
    free(clean);
    ms_options_cleanup(&r.opts);
    char wal[80], shm[80];
    snprintf(wal, sizeof wal, "%s-wal", db);
    snprintf(shm, sizeof shm, "%s-shm", db);
    unlink(wal);
    unlink(shm);
    unlink(db);
    for (size_t i = 0; i < 5; i++)
        unlink(files[i]);
    unlink(cl);
    unlink(a);
    free(cl);
    free(a);
}

int main(void)
{
    ms_alloc_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cjson_allocations_are_counted),
        cmocka_unit_test(test_every_allocation_fails_once),
        cmocka_unit_test(test_problems_survive_every_failure),
        cmocka_unit_test(test_init_under_every_failure),
        cmocka_unit_test(test_init_from_under_every_failure),
        cmocka_unit_test(test_answers_problems_survive_every_failure),
        cmocka_unit_test(test_compare_under_every_failure),
        cmocka_unit_test(test_report_under_every_failure),
        cmocka_unit_test_teardown(test_probe_under_every_failure, stop_server),
        cmocka_unit_test_teardown(test_run_under_every_failure, stop_server),
        cmocka_unit_test_teardown(test_notify_under_every_failure, stop_server)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
