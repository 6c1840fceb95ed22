#include "ms/audit.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ms/answers.h"
#include "ms/buf.h"
#include "ms/checklist.h"
#include "ms/diag.h"
#include "ms/fileio.h"
#include "ms/history.h"
#include "ms/probe.h"
#include "ms/prompt.h"
#include "ms/report.h"
#include "ms/run.h"
#include "ms/score.h"
#include "ms/util.h"

static volatile sig_atomic_t g_stop;

/* Print the problems found (on stderr); with summary, then how many there were. */
static void print_problems(const ms_diag *diag, bool summary)
{
    ms_diag_print(diag, stderr);
    if (summary && diag->n)
        fprintf(stderr, "%zu problem%s found; nothing was run\n", diag->n, diag->n == 1 ? "" : "s");
}

/* Load the options' checklists; on problems, print them (on stderr). */
static ms_status load(ms_plan *plan, const ms_options *o)
{
    ms_diag diag;
    ms_diag_init(&diag);
    ms_status rc = ms_plan_load(plan, o->files, o->nfiles, o->vars, o->nvars, &diag);
    if (rc == MS_ERR_INVALID)
        print_problems(&diag, true);
    ms_diag_cleanup(&diag);
    return rc;
}

/* Read an answers file (it is made on the first save when it does not exist) and, unless plan
 * is NULL, apply it to plan; on problems, print them (on stderr). */
static ms_status read_answers(ms_plan *plan, const char *path, ms_answers **answers)
{
    ms_diag diag;
    ms_diag_init(&diag);
    ms_status rc = ms_answers_open(path, true, &diag, answers);
    if (rc == MS_OK && plan)
        rc = ms_answers_apply(*answers, plan, &diag);
    if (rc == MS_ERR_INVALID)
        print_problems(&diag, false);
    ms_diag_cleanup(&diag);
    return rc;
}

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

/* No SA_RESTART: a read at the prompt returns, so the prompt sees the stop at once. */
static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

static void show_progress(void *ud, size_t done, size_t total)
{
    (void)ud;
    if (done < total)
        fprintf(stderr, "\rmystery-shopper: http checks %zu/%zu done", done, total);
    else
        fprintf(stderr, "\r\033[K");
    fflush(stderr);
}

/* A secret shorter than MS_SECRET_MIN cannot be hidden without mangling other text ("x" in
 * "expected"): refuse to run with one, naming the variable, never the value. */
static ms_status refuse_short_secrets(const ms_plan *plan)
{
    for (size_t i = 0; i < plan->nshort_secrets; i++)
        ms_errorf("environment variable %s is a secret shorter than %d characters, which cannot "
                  "be hidden in reports without hiding other text too: use a longer value",
                  plan->short_secrets[i], MS_SECRET_MIN);
    return plan->nshort_secrets ? MS_ERR_USAGE : MS_OK;
}

/* --only: choose the checks; an id that names nothing is refused. */
static ms_status select_checks(ms_plan *plan, const ms_options *o)
{
    const char *bad = NULL;
    ms_status rc = ms_plan_select(plan, o->only, o->nonly, &bad);
    if (rc == MS_ERR_USAGE)
        ms_errorf("--only %s: no check or section has that id", bad);
    return rc;
}

static bool wants_answers(const ms_plan *plan)
{
    for (size_t i = 0; i < plan->nchecks; i++) {
        const ms_check *ck = plan->checks[i];
        if (ck->selected && ck->kind != MS_KIND_HTTP && ck->res.answer.state == MS_ANS_NONE)
            return true;
    }
    return false;
}

/* Ask the manual checks at the terminal, creating an answers file when none was given. */
static ms_status interview(ms_plan *plan, const ms_options *o, ms_answers **answers,
                           const char *started_at)
{
    ms_status rc = MS_OK;
    if (!*answers) {
        char stamp[32];
        ms_buf path; /* growable: a long checklist id is never cut */
        ms_buf_init(&path, 0);
        ms_now_stamp(stamp, sizeof stamp);
        rc = ms_buf_printf(&path, "%s-answers-%s.json",
                           plan->lists[0].id ? plan->lists[0].id : "audit", stamp);
        if (rc == MS_OK && (rc = read_answers(NULL, ms_buf_str(&path), answers)) == MS_OK)
            ms_fprintf_line(stderr,
                            "mystery-shopper: answers are saved to %s (resume with --answers %s)",
                            ms_buf_str(&path), ms_buf_str(&path));
        ms_buf_cleanup(&path);
        if (rc != MS_OK)
            return rc;
    }
    /* One prompting session at a time on a file; answers saved meanwhile are taken in. */
    ms_diag diag;
    ms_diag_init(&diag);
    if ((rc = ms_answers_lock(*answers, &g_stop, &diag)) == MS_OK)
        rc = ms_answers_apply(*answers, plan, &diag);
    if (rc == MS_ERR_INVALID)
        print_problems(&diag, false);
    ms_diag_cleanup(&diag);
    if (rc != MS_OK)
        return rc;
    if ((rc = ms_answers_set_auditor(*answers, o->auditor, started_at)) != MS_OK)
        return rc;
    if ((rc = ms_answers_save(*answers)) != MS_OK)
        return rc;
    return ms_prompt_run(plan, *answers, stdin, stderr, &g_stop);
}

static bool use_color(const ms_options *o)
{
    if (o->color == MS_COLOR_ALWAYS)
        return true;
    if (o->color == MS_COLOR_NEVER)
        return false;
    const char *no = getenv("NO_COLOR");
    return isatty(STDOUT_FILENO) && !(no && *no);
}

/* The report files the options ask for, then the text report on stdout unless a report goes
 * there or -q. *json keeps the JSON report's text when one was made (caller frees), so that the
 * history need not make it again. */
static ms_status write_reports(const ms_run *run, const ms_options *o, char **json)
{
    ms_status rc = MS_OK;
    const struct {
        const char *format, *path;
    } files[] = {{"json", o->json}, {"junit", o->junit}};
    ms_report_style style = {.color = false};
    bool to_stdout = false;
    for (size_t i = 0; i < sizeof files / sizeof files[0] && rc == MS_OK; i++) {
        char *text = NULL;
        if (!files[i].path)
            continue;
        to_stdout = to_stdout || strcmp(files[i].path, "-") == 0;
        if ((rc = ms_report_find(files[i].format)->write(run, &style, &text)) == MS_OK)
            rc = ms_write_file_atomic(files[i].path, text, strlen(text));
        if (strcmp(files[i].format, "json") == 0 && !*json)
            *json = text;
        else
            free(text);
    }
    if (rc != MS_OK)
        return rc;
    if (!o->quiet && !to_stdout && (rc = ms_report_text(run, stdout, use_color(o))) == MS_ERR_IO)
        ms_errorf("stdout: write error: %s", strerror(errno)); /* EPIPE: the reader went away */
    return rc;
}

ms_status ms_cmd_run(const ms_options *o)
{
    ms_status rc = MS_OK;
    ms_plan plan = {0};
    ms_answers *answers = NULL;
    ms_run *run = NULL;
    char started_at[40], finished_at[40];
    bool interrupted = false;
    ms_status hrc = MS_OK;
    char *json = NULL;
    int64_t t0 = ms_monotonic_us();

    /* First of all: a signal while a large checklist loads still ends the run as interrupted
     * (130), never kills it (143). */
    catch_signals();
    ms_now_iso8601(started_at, sizeof started_at);
    if ((rc = load(&plan, o)) != MS_OK) {
        if (g_stop)
            rc = MS_ERR_INTERRUPTED; /* the read was cut short by the signal */
        goto out;
    }
    if ((rc = refuse_short_secrets(&plan)) != MS_OK)
        goto out;
    if ((rc = select_checks(&plan, o)) != MS_OK)
        goto out;
    if (o->answers) {
        /* A new file is fine when answers will be typed; otherwise it is likely a typo. */
        bool asking = !o->no_input && isatty(STDIN_FILENO);
        if (!asking && access(o->answers, F_OK) != 0)
            ms_warnf("%s does not exist: the manual checks are unanswered", o->answers);
        if ((rc = read_answers(&plan, o->answers, &answers)) != MS_OK)
            goto out;
    }
    if (o->insecure)
        ms_warnf("--insecure: TLS certificates are NOT verified; timings are real, trust is not");
    ms_probe_opts po = {.parallel = o->parallel,
                        .per_host = o->per_host,
                        .samples = o->samples,
                        .timeout_us = o->timeout_us,
                        .cacert = o->cacert,
                        .insecure = o->insecure,
                        .stop = &g_stop,
                        .progress = isatty(STDERR_FILENO) ? show_progress : NULL};
    rc = ms_probe_run(&plan, &po);
    if (rc == MS_ERR_INTERRUPTED)
        interrupted = true;
    else if (rc != MS_OK)
        goto out;
    if (!interrupted && !o->no_input && isatty(STDIN_FILENO) && wants_answers(&plan)) {
        rc = interview(&plan, o, &answers, started_at);
        if (rc == MS_ERR_INTERRUPTED)
            interrupted = true;
        else if (rc != MS_OK)
            goto out;
    }
    if (g_stop)
        interrupted = true; /* a signal after the probe and the prompts: still a stop */
    /* The run record, redacted; from here on nothing reads the plan. */
    ms_run_meta meta = {
        .tool_version = MS_VERSION,
        .libcurl = ms_curl_version(),
        .started_at = started_at,
        .auditor = o->auditor ? o->auditor
                   : answers  ? ms_answers_auditor(answers)
                              : NULL,
        .label = o->label  ? o->label
                 : answers ? ms_answers_label(answers)
                           : NULL,
        .answers_path = answers ? ms_answers_path(answers) : NULL,
        .visited_at = answers ? ms_answers_visited_at(answers) : NULL,
        .samples = o->samples,
        .parallel = o->parallel,
        .per_host = o->per_host,
        .insecure = o->insecure,
        .interrupted = interrupted,
    };
    if ((rc = ms_run_from_plan(&plan, &meta, &run)) != MS_OK)
        goto out;
    if ((rc = ms_score_run(run)) != MS_OK)
        goto out;
    if ((rc = ms_run_judge(run, o->fail_on, o->fail_under, o->require_complete)) != MS_OK)
        goto out;
    ms_now_iso8601(finished_at, sizeof finished_at);
    if ((rc = ms_run_set(&run->finished_at, finished_at)) != MS_OK)
        goto out;
    run->duration_us = ms_monotonic_us() - t0;
    rc = write_reports(run, o, &json);
    /* Recorded after the reports, also when one could not be written: the run happened. A
     * history that cannot be written is exit 3 when named, a warning by default. */
    hrc = ms_history_record(run, json, o);
    if (rc != MS_OK)
        goto out;
    /* 130 wins over 3 (the documented order): an interrupted run stays interrupted. */
    rc = ms_run_status(run);
    if (rc != MS_ERR_INTERRUPTED && hrc != MS_OK)
        rc = hrc;
out:
    free(json);
    ms_run_free(run);
    ms_answers_free(answers);
    ms_plan_cleanup(&plan);
    return rc;
}

/* validate -a: read the answers file (it must exist), and check its answers against the checks
 * when these are all valid (else a check's kind or scale may not be the one meant). */
static ms_status validate_answers(ms_plan *plan, ms_status loaded, const char *path, ms_diag *diag,
                                  ms_answers **answers)
{
    ms_status rc = ms_answers_open(path, false, diag, answers);
    if (rc == MS_OK && loaded == MS_OK)
        rc = ms_answers_apply(*answers, plan, diag);
    return rc;
}

/* validate --json: the files read and their problems on stdout. */
static ms_status write_validate_json(const ms_options *o, const ms_diag *diag)
{
    char *text = NULL;
    const char **paths = calloc(o->nfiles + 1, sizeof *paths);
    if (!paths)
        return MS_ERR_NOMEM;
    for (size_t i = 0; i < o->nfiles; i++)
        paths[i] = o->files[i];
    if (o->answers)
        paths[o->nfiles] = o->answers;
    ms_status rc = ms_validate_json(diag, paths, o->nfiles + (o->answers != NULL), &text);
    if (rc == MS_OK)
        rc = ms_write_file_atomic("-", text, strlen(text));
    free(text);
    free(paths);
    return rc;
}

ms_status ms_cmd_validate(const ms_options *o)
{
    ms_plan plan = {0};
    ms_diag diag;
    ms_answers *answers = NULL;
    ms_diag_init(&diag);
    ms_status rc = ms_plan_load(&plan, o->files, o->nfiles, o->vars, o->nvars, &diag);
    if (o->answers && (rc == MS_OK || rc == MS_ERR_INVALID)) {
        ms_status arc = validate_answers(&plan, rc, o->answers, &diag, &answers);
        if (arc != MS_OK)
            rc = arc; /* invalid, or out of memory, which wins */
    }
    if (rc != MS_OK && rc != MS_ERR_INVALID)
        goto out;
    if (o->validate_json) {
        ms_status wrc = write_validate_json(o, &diag);
        if (wrc != MS_OK)
            rc = wrc;
    } else if (rc == MS_ERR_INVALID) {
        print_problems(&diag, true);
    } else {
        for (size_t l = 0; l < plan.nlists; l++) {
            size_t n = 0;
            for (size_t s = 0; s < plan.lists[l].nsections; s++)
                n += plan.lists[l].sections[s].nchecks;
            ms_fprintf_line(stdout, "%s: ok (%zu section%s, %zu check%s)", plan.lists[l].path,
                            plan.lists[l].nsections, plan.lists[l].nsections == 1 ? "" : "s", n,
                            n == 1 ? "" : "s");
        }
        if (answers) {
            size_t n = ms_answers_count(answers);
            ms_fprintf_line(stdout, "%s: ok (%zu answer%s)", o->answers, n, n == 1 ? "" : "s");
        }
    }
out:
    ms_answers_free(answers);
    ms_diag_cleanup(&diag);
    ms_plan_cleanup(&plan);
    return rc;
}

static void put_padded(const char *s, size_t cols)
{
    size_t w = ms_display_width(s);
    fputs(s, stdout);
    for (; w < cols; w++)
        putchar(' ');
}

ms_status ms_cmd_list(const ms_options *o)
{
    ms_plan plan = {0};
    ms_status rc = load(&plan, o);
    size_t idw = 2;
    if (rc != MS_OK)
        goto out;
    for (size_t i = 0; i < plan.nchecks; i++)
        if (ms_display_width(plan.checks[i]->id) > idw)
            idw = ms_display_width(plan.checks[i]->id);
    put_padded("ID", idw + 2);
    printf("%-10s %-12s %-9s %6s  %-8s  %s\n", "KIND", "FACTOR", "AUDIENCE", "WEIGHT", "CRITICAL",
           "TITLE");
    for (size_t i = 0; i < plan.nchecks; i++) {
        const ms_check *ck = plan.checks[i];
        put_padded(ck->id, idw + 2);
        printf("%-10s %-12s %-9s %6g  %-8s  ", ms_kind_name(ck->kind), ms_factor_name(ck->factor),
               ms_audience_name(ck->audience), ck->weight, ck->critical ? "yes" : "no");
        ms_fprintf_line(stdout, "%s", ck->title ? ck->title : ck->id);
    }
out:
    ms_plan_cleanup(&plan);
    return rc;
}
