#include "ms/i18n.h"
#include "ms/audit.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ms/answers.h"
#include "ms/buf.h"
#include "ms/checklist.h"
#include "ms/compare.h"
#include "ms/diag.h"
#include "ms/fileio.h"
#include "ms/history.h"
#include "ms/notify.h"
#include "ms/push.h"
#include "ms/probe.h"
#include "ms/prompt.h"
#include "ms/ref.h"
#include "ms/report.h"
#include "ms/run.h"
#include "ms/score.h"
#include "ms/util.h"
#include "ms/vars.h"

static volatile sig_atomic_t g_stop;
/* The same stop for the probe, which may run on its own thread: a lock-free atomic, which a
 * signal handler may set too. */
static atomic_int g_probe_stop;
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "a signal handler may only set a lock-free atomic");

/* Print the problems found (on stderr); with summary, then how many there were, and for run
 * (ran) that nothing was run: validate and list never run anything, and do not say so. */
static void print_problems(const ms_diag *diag, bool summary, bool ran)
{
    ms_diag_print(diag, stderr);
    if (summary && diag->n)
        fprintf(stderr,
                ran ? ngettext("%zu problem found; nothing was run\n",
                               "%zu problems found; nothing was run\n", diag->n)
                    : ngettext("%zu problem found\n", "%zu problems found\n", diag->n),
                diag->n);
}

/* Warn of each variable of vars (n; the first nfile from the vars file) that no checklist uses:
 * likely a typo, which leaves the checklist's own value in use (docs/decisions.md). On stderr,
 * or into warnings for validate --json. */
static ms_status warn_unused_vars(const ms_options *o, const ms_var *vars, const ms_var_use *uses,
                                  size_t n, size_t nfile, ms_diag *warnings)
{
    ms_status rc = MS_OK;
    ms_buf msg;
    ms_buf_init(&msg, 0);
    for (size_t i = 0; i < n && rc == MS_OK; i++) {
        bool again = false; /* -D NAME given again: said once */
        for (size_t j = i + 1; j < n && i >= nfile; j++)
            again = again || strcmp(vars[i].name, vars[j].name) == 0;
        if (uses[i].used || again)
            continue;
        ms_buf_reset(&msg);
        /* TRANSLATORS: %s is a variable's name; then the name it was likely meant to be */
        if (uses[i].near)
            ms_buf_printf(&msg, _("no checklist uses {{%s}} (did you mean \"%s\"?)"), vars[i].name,
                          uses[i].near);
        else
            ms_buf_printf(&msg, _("no checklist uses {{%s}}"), vars[i].name);
        if (msg.failed)
            rc = MS_ERR_NOMEM;
        else if (o->command == MS_CMD_VALIDATE && o->validate_json)
            rc = ms_diag_add(warnings, i < nfile ? o->vars_file : "-D", 0, 0, vars[i].name,
                             ms_buf_str(&msg));
        else if (i < nfile)
            ms_warnf("--vars-file %s: %s: %s", o->vars_file, vars[i].name, ms_buf_str(&msg));
        else
            ms_warnf("-D %s: %s", vars[i].name, ms_buf_str(&msg));
    }
    ms_buf_cleanup(&msg);
    return rc;
}

/* The checklists of the options into plan, their problems into diag and, for validate and list
 * (which never need secrets: an unset {{env.NAME}} is a warning there), the warnings into
 * warnings. The variables are --vars-file's, then -D's (a later one wins); a vars file that
 * cannot be read is a usage error (said here), one with problems has them in diag. A variable
 * no checklist uses is a warning. */
static ms_status load_plan(ms_plan *plan, const ms_options *o, ms_diag *diag, ms_diag *warnings)
{
    ms_status rc = MS_OK;
    ms_vars_file vf = {0};
    ms_var *vars = NULL;
    ms_var_use *uses = NULL;
    size_t nvars = 0;
    char why[256] = "";
    if (o->vars_file &&
        (rc = ms_vars_file_read(o->vars_file, diag, &vf, why, sizeof why)) != MS_OK) {
        if (rc == MS_ERR_USAGE)
            ms_errorf(_("--vars-file %s: cannot read it: %s"), o->vars_file, why);
        goto out;
    }
    nvars = vf.n + o->nvars;
    vars = calloc(nvars + 1, sizeof *vars);
    uses = calloc(nvars + 1, sizeof *uses);
    if (!vars || !uses) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < vf.n; i++)
        vars[i] = vf.vars[i];
    for (size_t i = 0; i < o->nvars; i++)
        vars[vf.n + i] = o->vars[i];
    ms_load_opts lo = {.vars = vars,
                       .nvars = nvars,
                       .env_optional = o->command != MS_CMD_RUN,
                       .warnings = warnings,
                       .uses = uses,
                       .strip_http = o->command == MS_CMD_VALIDATE};
    rc = ms_plan_load_opts(plan, o->files, o->nfiles, &lo, diag);
    if (rc == MS_OK || rc == MS_ERR_INVALID) {
        ms_status wrc = warn_unused_vars(o, vars, uses, nvars, vf.n, warnings);
        if (wrc != MS_OK)
            rc = wrc;
    }
out:
    for (size_t i = 0; uses && i < nvars; i++)
        free(uses[i].near);
    free(uses);
    free(vars);
    ms_vars_file_cleanup(&vf);
    return rc;
}

/* Load the options' checklists; print the warnings, and the problems when there are (on
 * stderr). */
static ms_status load(ms_plan *plan, const ms_options *o)
{
    ms_diag diag, warnings;
    ms_diag_init(&diag);
    ms_diag_init(&warnings);
    ms_status rc = load_plan(plan, o, &diag, &warnings);
    ms_diag_print_as(&warnings, stderr, "warning: ");
    if (rc == MS_ERR_INVALID)
        print_problems(&diag, true, o->command == MS_CMD_RUN);
    ms_diag_cleanup(&warnings);
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
        print_problems(&diag, false, true);
    ms_diag_cleanup(&diag);
    return rc;
}

/* An answers file none of whose answers is for a check of plan is likely another checklist's:
 * say so (a warning on stderr, or one in warnings for validate --json), with the checklists
 * it says it is for. */
static ms_status warn_unmatched(const ms_answers *answers, const ms_plan *plan, ms_diag *warnings)
{
    ms_status rc = MS_OK;
    size_t n = ms_answers_count(answers), matching = 0;
    char *lists = NULL;
    ms_buf msg;
    ms_buf_init(&msg, 0);
    if (n == 0 || (rc = ms_answers_matching(answers, plan, &matching)) != MS_OK || matching > 0)
        goto out;
    if ((rc = ms_answers_checklists(answers, &lists)) != MS_OK)
        goto out;
    /* TRANSLATORS: the number of answers in the file; then the ids of the checklists it says it
     * is for */
    if (lists && strchr(lists, ','))
        ms_buf_printf(&msg,
                      _("none of its answers (%zu) is for a check of this run: it seems to be for "
                        "checklists %s"),
                      n, lists);
    else if (lists)
        ms_buf_printf(&msg,
                      _("none of its answers (%zu) is for a check of this run: it seems to be for "
                        "checklist %s"),
                      n, lists);
    else
        ms_buf_printf(&msg,
                      _("none of its answers (%zu) is for a check of this run: is it another "
                        "checklist's?"),
                      n);
    if (msg.failed)
        rc = MS_ERR_NOMEM;
    else if (warnings)
        rc = ms_diag_add(warnings, ms_answers_path(answers), 0, 0, "", ms_buf_str(&msg));
    else
        ms_warnf("%s: %s", ms_answers_path(answers), ms_buf_str(&msg));
out:
    free(lists);
    ms_buf_cleanup(&msg);
    return rc;
}

static void on_signal(int sig)
{
    (void)sig;
    int saved = errno;
    g_stop = 1;
    atomic_store(&g_probe_stop, 1);
    errno = saved;
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

/* The progress line, redrawn at most ten times a second (on every finished check it was 7-9% of
 * a large run's CPU); the first and the last (which clears it) always. One thread at a time
 * calls it: the probe's, or the background's under its lock. */
static void show_progress(void *ud, size_t done, size_t total)
{
    static int64_t last = INT64_MIN;
    (void)ud;
    if (done > 0 && done < total && !ms_throttle(&last, ms_monotonic_us(), 100000))
        return;
    if (done == 0)
        last = ms_monotonic_us();
    if (done < total) {
        fputc('\r', stderr);
        fprintf(stderr, _("mystery-shopper: http checks %zu/%zu done"), done, total);
    } else
        fprintf(stderr, "\r\033[K");
    fflush(stderr);
}

/* A secret shorter than MS_SECRET_MIN cannot be hidden without mangling other text ("x" in
 * "expected"): refuse to run with one, naming the variable, never the value. */
static ms_status refuse_short_secrets(const ms_plan *plan)
{
    for (size_t i = 0; i < plan->nshort_secrets; i++)
        ms_errorf(_("environment variable %s is a secret shorter than %d characters, which "
                    "cannot be hidden in reports without hiding other text too: use a longer "
                    "value"),
                  plan->short_secrets[i], MS_SECRET_MIN);
    return plan->nshort_secrets ? MS_ERR_USAGE : MS_OK;
}

/* --only: choose the checks; an id that names nothing is refused. */
static ms_status select_checks(ms_plan *plan, const ms_options *o)
{
    const char *bad = NULL;
    ms_status rc = ms_plan_select(plan, o->only, o->nonly, &bad);
    if (rc == MS_ERR_USAGE)
        ms_errorf(_("--only %s: no check or section has that id"), bad);
    return rc;
}

/* How many http checks the probe times. */
static size_t count_http(const ms_plan *plan)
{
    size_t n = 0;
    for (size_t i = 0; i < plan->nchecks; i++)
        n += plan->checks[i]->selected && plan->checks[i]->kind == MS_KIND_HTTP;
    return n;
}

static bool wants_answers(const ms_plan *plan)
{
    for (size_t i = 0; i < plan->nchecks; i++) {
        const ms_check *ck = plan->checks[i];
        if (ck->selected && ms_check_unanswered(ck))
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
        /* Where it is, the prompt says once, before the first question. */
        if (rc == MS_OK)
            rc = read_answers(NULL, ms_buf_str(&path), answers);
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
        print_problems(&diag, false, true);
    ms_diag_cleanup(&diag);
    if (rc != MS_OK)
        return rc;
    if ((rc = ms_answers_set_auditor(*answers, o->auditor, started_at)) != MS_OK)
        return rc;
    if ((rc = ms_answers_set_checklists(*answers, plan)) != MS_OK)
        return rc;
    if ((rc = ms_answers_save(*answers)) != MS_OK)
        return rc;
    return ms_prompt_run(plan, *answers, stdin, stderr, &g_stop);
}

/* The probe on its own thread while the auditor answers (docs/decisions.md, "The interview"):
 * that thread alone calls libcurl and writes the http checks' results; the prompt's thread
 * writes only the manual checks' answers, the answers file and the terminal. The lock guards
 * only what both read: how far the probe is, and whether it may draw its progress line. */
typedef struct {
    ms_plan *plan;
    ms_probe_opts po;
    ms_status rc;         /* the probe's status, read after the join */
    pthread_mutex_t lock; /* guards what follows */
    size_t done;          /* checks timed */
    size_t total;         /* of total: set before the thread starts, then only read */
    bool quiet;           /* the prompt has the terminal: no progress line */
    bool finished;        /* the probe has returned */
    bool tty;             /* stderr is a terminal: progress may be drawn */
} background;

static void background_progress(void *ud, size_t done, size_t total)
{
    background *bg = ud;
    pthread_mutex_lock(&bg->lock);
    bg->done = done; /* total is set before the thread starts, and the same */
    if (!bg->quiet && bg->tty)
        show_progress(NULL, done, total);
    pthread_mutex_unlock(&bg->lock);
}

static void *background_main(void *ud)
{
    background *bg = ud;
    ms_status rc = ms_probe_run(bg->plan, &bg->po);
    pthread_mutex_lock(&bg->lock);
    bg->rc = rc;
    bg->finished = true;
    pthread_mutex_unlock(&bg->lock);
    return NULL;
}

/* Time the http checks (po) on a thread of their own while the manual checks are asked, then
 * wait for the timings. *interrupted when either was stopped by a signal. A thread that cannot
 * be made leaves the probe to run first, as without a terminal. */
static ms_status probe_and_interview(ms_plan *plan, const ms_probe_opts *po, const ms_options *o,
                                     ms_answers **answers, const char *started_at,
                                     bool *interrupted)
{
    ms_status rc = MS_OK, prc = MS_OK;
    background bg = {.plan = plan,
                     .po = *po,
                     .total = count_http(plan),
                     .quiet = true,
                     .tty = po->progress != NULL};
    bool threaded = false;
    pthread_t tid;
    sigset_t block, old;
    bg.po.progress = background_progress;
    bg.po.progress_ud = &bg;
    pthread_mutex_init(&bg.lock, NULL);
    if (bg.total > 0) {
        /* Signals go to the prompt's thread, whose read they cut short; the probe sees
         * g_probe_stop. */
        sigemptyset(&block);
        sigaddset(&block, SIGINT);
        sigaddset(&block, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &block, &old);
        threaded = pthread_create(&tid, NULL, background_main, &bg) == 0;
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        if (threaded) {
            ms_fprintf_line(stderr,
                            ngettext("mystery-shopper: timing %zu http check in the background",
                                     "mystery-shopper: timing %zu http checks in the background",
                                     bg.total),
                            bg.total);
        } else {
            bg.quiet = false;
            prc = ms_probe_run(plan, &bg.po);
        }
    }
    if (prc == MS_OK)
        rc = interview(plan, o, answers, started_at);
    if (threaded) {
        pthread_mutex_lock(&bg.lock);
        bg.quiet = false;
        if (!bg.finished && rc == MS_OK)
            ms_fprintf_line(stderr, _("mystery-shopper: waiting for the timings (%zu of %zu done)"),
                            bg.done, bg.total);
        pthread_mutex_unlock(&bg.lock);
        if (rc != MS_OK && rc != MS_ERR_INTERRUPTED)
            atomic_store(&g_probe_stop, 1); /* nothing will be reported: no wait for timings */
        pthread_join(tid, NULL);
        prc = bg.rc;
    }
    pthread_mutex_destroy(&bg.lock);
    if (prc == MS_ERR_INTERRUPTED || rc == MS_ERR_INTERRUPTED)
        *interrupted = true;
    if (rc == MS_ERR_INTERRUPTED)
        rc = MS_OK;
    if (prc != MS_OK && prc != MS_ERR_INTERRUPTED && rc == MS_OK)
        rc = prc;
    return rc;
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

/* A report file the run writes. */
typedef struct {
    const char *option, *format, *what, *path;
    bool failed; /* it could not be written */
} report_file;

/* The report files the options ask for (run and report write the same ones), into files:
 * returns how many entries there are (MS_NREPORTS), given or not. */
static size_t report_files(const ms_options *o, report_file files[MS_NREPORTS])
{
    ms_report_out r[MS_NREPORTS];
    ms_report_outputs(o, r);
    for (size_t i = 0; i < MS_NREPORTS; i++)
        files[i] = (report_file){r[i].option, r[i].format, r[i].what, r[i].path, false};
    return MS_NREPORTS;
}

typedef struct {
    const ms_report_writer *w;
    const ms_run *run;
    const ms_report_style *style;
} report_job;

static ms_status produce_report(void *ud, ms_put_fn emit, void *sink)
{
    const report_job *r = ud;
    return r->w->stream(r->run, r->style, emit, sink);
}

/* Render one report and write it atomically to path. A format that can be made a piece at a
 * time (JSON) goes to its file so, and is never whole in memory (at 10,000 checks it was 28 MB,
 * most of a run's peak); the others are made whole. */
static ms_status write_one(const ms_run *run, const char *format, const char *path,
                           const ms_report_style *style)
{
    const ms_report_writer *w = ms_report_find(format);
    if (w->stream)
        return ms_write_file_stream(path, produce_report, &(report_job){w, run, style});
    char *text = NULL;
    ms_status rc = w->write(run, style, &text);
    if (rc == MS_OK)
        rc = ms_write_file_atomic(path, text, strlen(text));
    free(text);
    return rc;
}

/* Write the report files until every one that exists states the exit code the run ends with:
 * one that cannot be written is a reason of the verdict (exit 3, unless interrupted), and the
 * ones written before it are written again, saying so. Each is replaced atomically, so a reader
 * sees a whole report, and in the end one that agrees with the exit status. */
static ms_status write_files(ms_run *run, report_file *files, size_t n,
                             const ms_report_style *style)
{
    ms_status rc = MS_OK;
    bool again = true;
    while (again && rc == MS_OK) {
        again = false;
        for (size_t i = 0; i < n && rc == MS_OK && !again; i++) {
            if (!files[i].path || files[i].failed || strcmp(files[i].path, "-") == 0)
                continue;
            if ((rc = write_one(run, files[i].format, files[i].path, style)) != MS_ERR_IO)
                continue;
            ms_buf why;
            ms_buf_init(&why, 0);
            files[i].failed = again = true;
            /* TRANSLATORS: the report's format (JSON, HTML...), its option and its file */
            rc = ms_buf_printf(&why, _("the %s report (%s %s) could not be written"), files[i].what,
                               files[i].option, files[i].path);
            if (rc == MS_OK)
                rc = ms_run_add_reason(run, MS_REASON_REPORT, ms_buf_str(&why));
            ms_buf_cleanup(&why);
        }
    }
    return rc;
}

/* How many earlier runs of the series are read from the history (--notify-on change, and the
 * text report's "failing since" and trend). */
#define SERIES_LAST 100

/* What --notify-on compares: the gate's verdict (0 passed, 1 failed, 4 incomplete), not the exit
 * code. A report, the history or a notification that could not be written (exit 3) is the tool's
 * trouble, said by stderr and the exit code: were it a change of verdict, a run whose report
 * cannot be written would alert on every run. */
static int alert_state(bool passed, bool incomplete)
{
    return incomplete ? 4 : passed ? 0 : 1;
}

/* --notify: post the message when --notify-on says the run alerts. With change, the run is
 * compared with the newest earlier run of its series (series, newest first) that was not
 * interrupted. A post that fails is a warning naming its cause and the webhook's scheme and host
 * (never its path: it holds the token), and a reason of the verdict, so that every report written
 * after it and the history state exit 3. MS_OK or MS_ERR_NOMEM. */
static ms_status notify(ms_run *run, const ms_options *o, const ms_store_rows *series)
{
    ms_status rc = MS_OK;
    char *body = NULL, *where = NULL, why[512] = "";
    const ms_store_run_row *prev = NULL;
    if (!o->notify || run->interrupted)
        goto out;
    for (size_t i = 0; i < series->nruns && !prev; i++)
        if (!series->runs[i].interrupted)
            prev = &series->runs[i];
    if (!ms_notify_due(o->notify_on, alert_state(run->verdict.passed, run->verdict.incomplete),
                       prev != NULL, prev ? alert_state(prev->passed, prev->incomplete) : 0))
        goto out;
    if ((rc = ms_report_notify(run, &body)) != MS_OK)
        goto out;
    ms_notify_opts no = {.cacert = o->cacert, .insecure = o->insecure, .net = &o->net};
    rc = ms_notify_post(o->notify, body, &no, why, sizeof why);
    if (rc != MS_ERR_IO)
        goto out;
    if ((rc = ms_notify_where(o->notify, &where)) != MS_OK)
        goto out;
    ms_warnf(_("--notify %s: the notification could not be sent: %s"), where, why);
    rc = ms_run_add_reason(run, MS_REASON_REPORT, _("the notification could not be sent"));
out:
    free(where);
    free(body);
    return rc;
}

/* --push: the metrics put to the Pushgateway, before the reports are written so that every
 * report and the history state what became of it (as --notify). Not for an interrupted run (it was
 * asked to stop). A push that fails is a warning naming its cause and the Pushgateway's scheme and
 * host (never a password in the URL), and a reason of the verdict: exit 3, with every result
 * written. MS_OK or MS_ERR_NOMEM. */
static ms_status push(ms_run *run, const ms_options *o)
{
    ms_status rc = MS_OK;
    char *body = NULL, *url = NULL, *where = NULL, why[512] = "";
    if (!o->push)
        return MS_OK;
    if (run->interrupted) { /* the Pushgateway keeps the previous run's metrics: say so */
        ms_warnf("%s", _("--push: the run was interrupted: its metrics were not pushed"));
        return MS_OK;
    }
    if ((rc = ms_report_metrics(run, NULL, &body)) != MS_OK ||
        (rc = ms_push_url(o->push, run, &url)) != MS_OK)
        goto out;
    ms_notify_opts no = {.cacert = o->cacert, .insecure = o->insecure, .net = &o->net};
    if ((rc = ms_push_put(url, body, &no, why, sizeof why)) != MS_ERR_IO)
        goto out;
    if ((rc = ms_notify_where(o->push, &where)) != MS_OK)
        goto out;
    ms_warnf(_("--push %s: the metrics could not be pushed: %s"), where, why);
    rc = ms_run_add_reason(run, MS_REASON_REPORT, _("the metrics could not be pushed"));
out:
    free(where);
    free(url);
    free(body);
    return rc;
}

/* How many runs the text report's trend of the overall score shows, this one included. */
#define TREND_RUNS 20

static int cmp_id(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The ids of list (separated by MS_STORE_SEP) sorted in *ids (pointers into *copy, both new:
 * the caller frees them), *n of them. MS_OK or MS_ERR_NOMEM. */
static ms_status split_ids(const char *list, char **copy, const char ***ids, size_t *n)
{
    size_t cap = 1;
    *n = 0;
    *ids = NULL;
    if (!(*copy = strdup(list)))
        return MS_ERR_NOMEM;
    for (const char *p = list; *p; p++)
        cap += *p == MS_STORE_SEP;
    if (!(*ids = calloc(cap, sizeof **ids)))
        return MS_ERR_NOMEM;
    for (char *p = *copy; *copy[0] && p;) {
        char *end = strchr(p, MS_STORE_SEP);
        if (end)
            *end = '\0';
        (*ids)[(*n)++] = p;
        p = end ? end + 1 : NULL;
    }
    qsort(*ids, *n, sizeof **ids, cmp_id);
    return MS_OK;
}

/* A check row of the series, by check id then run id (ms_store_series_checks' rows sorted). */
static int cmp_check_row(const void *a, const void *b)
{
    const ms_store_check_row *x = a, *y = b;
    int c = strcmp(x->check, y->check);
    return c ? c : (x->run_id > y->run_id) - (x->run_id < y->run_id);
}

/* Each check's figure over the newest nt - 1 earlier runs of the series that had their checks
 * read (series->checks, sorted here), oldest first, and this run's last: the HTML report's
 * sparklines and the Markdown report's trend column. *trends, *values and *has are new (the
 * caller frees them); n of a check is 0 when no earlier run had it. MS_OK or MS_ERR_NOMEM. */
static ms_status check_trends(const ms_run *run, ms_store_rows *series, size_t nt,
                              ms_report_trend **trends, double **values, bool **has)
{
    size_t nr = nt - 1;
    if (run->nchecks == 0)
        return MS_OK;
    *trends = calloc(run->nchecks + 1, sizeof **trends);
    *values = calloc(run->nchecks * nt + 1, sizeof **values);
    *has = calloc(run->nchecks * nt + 1, sizeof **has);
    if (!*trends || !*values || !*has)
        return MS_ERR_NOMEM;
    qsort(series->checks, series->nchecks, sizeof *series->checks, cmp_check_row);
    for (size_t i = 0; i < run->nchecks; i++) {
        const ms_run_check *ck = run->checks[i];
        double *v = *values + i * nt;
        bool *h = *has + i * nt, any = false;
        char measure[64];
        for (size_t r = 0; r < nr; r++) {
            ms_store_check_row key = {.check = (char *)ck->id,
                                      .run_id = series->runs[nr - 1 - r].id};
            const ms_store_check_row *row =
                bsearch(&key, series->checks, series->nchecks, sizeof key, cmp_check_row);
            any = any || row;
            h[r] = row && row->has_value;
            v[r] = row ? row->value : 0;
        }
        ms_store_check_figure(ck, measure, sizeof measure, &h[nr], &v[nr]);
        (*trends)[i] = (ms_report_trend){.values = v, .has = h, .n = any ? nt : 0};
    }
    return MS_OK;
}

/* What the reports show of the earlier runs (series, newest first): each failed check's streak of
 * failing runs in a row (an earlier run where it did not fail ends it), the overall score of the
 * last TREND_RUNS runs, this one last, and each check's trend when the series has its checks. The
 * arrays are new (free them with history_cleanup); nothing when the series has no earlier run.
 * MS_OK or MS_ERR_NOMEM. */
static ms_status report_history(const ms_run *run, ms_store_rows *series, ms_report_history *h)
{
    ms_status rc = MS_OK;
    ms_report_streak *st = NULL;
    ms_report_trend *trends = NULL;
    double *overall = NULL, *tvalues = NULL;
    bool *has = NULL, *thas = NULL;
    char *copy = NULL;
    const char **ids = NULL;
    size_t nids = 0, alive = 0,
           nt = series->nruns < TREND_RUNS - 1 ? series->nruns + 1 : TREND_RUNS;
    memset(h, 0, sizeof *h);
    if (series->nruns == 0)
        goto out;
    st = calloc(run->nchecks + 1, sizeof *st);
    overall = calloc(nt, sizeof *overall);
    has = calloc(nt, sizeof *has);
    if (!st || !overall || !has) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < run->nchecks; i++) {
        if (run->checks[i]->status != MS_ST_FAIL)
            continue;
        st[i] = (ms_report_streak){.since = run->started_at, .runs = 1};
        alive++;
    }
    /* Back through the earlier runs, newest first, while some streak goes on: a streak goes on
     * in a run that failed its check, and is over at the first that did not. */
    for (size_t r = 0; r < series->nruns && alive; r++) {
        if ((rc = split_ids(series->runs[r].failed, &copy, &ids, &nids)) != MS_OK)
            goto out;
        for (size_t i = 0; i < run->nchecks; i++) {
            const char *id = run->checks[i]->id;
            if (st[i].runs != r + 1)
                continue; /* did not fail, or its streak is over */
            if (bsearch(&id, ids, nids, sizeof *ids, cmp_id)) {
                st[i].since = series->runs[r].started_at;
                st[i].runs++;
            } else {
                alive--;
            }
        }
        free(copy);
        free(ids);
        copy = NULL;
        ids = NULL;
    }
    /* Only the newest SERIES_LAST earlier runs are read: a streak through all of them may be
     * longer, and the report says so rather than a start that is not one. */
    for (size_t i = 0; i < run->nchecks && series->nruns >= SERIES_LAST; i++)
        st[i].more = st[i].runs == series->nruns + 1;
    for (size_t i = 0; i + 1 < nt; i++) {
        const ms_store_run_row *r = &series->runs[nt - 2 - i];
        overall[i] = r->overall;
        has[i] = r->has_overall;
    }
    overall[nt - 1] = run->scores.overall;
    has[nt - 1] = run->scores.has_overall;
    if (series->nchecks && (rc = check_trends(run, series, nt, &trends, &tvalues, &thas)) != MS_OK)
        goto out;
    *h = (ms_report_history){.streaks = st,
                             .nstreaks = run->nchecks,
                             .overall = overall,
                             .has_overall = has,
                             .noverall = nt,
                             .trends = trends,
                             .ntrends = trends ? run->nchecks : 0};
    st = NULL;
    overall = NULL;
    has = NULL;
    trends = NULL;
    tvalues = NULL;
    thas = NULL;
out:
    free(trends);
    free(tvalues);
    free(thas);
    free(copy);
    free(ids);
    free(st);
    free(overall);
    free(has);
    return rc;
}

/* How many earlier runs' checks are read for the per-check trends: the HTML and Markdown reports
 * show them, and only those are given them (a run and `report` read the same). */
static size_t trend_runs(const ms_options *o)
{
    return o->html || o->markdown ? TREND_RUNS - 1 : 0;
}

static void history_cleanup(ms_report_history *h)
{
    if (h->ntrends) { /* one block of values and one of has, for every check */
        free((void *)h->trends[0].values);
        free((void *)h->trends[0].has);
    }
    free((void *)h->trends);
    free((void *)h->streaks);
    free((void *)h->overall);
    free((void *)h->has_overall);
    memset(h, 0, sizeof *h);
}

/* The report files the options ask for, then the report on stdout: the one given "-", else the
 * text report unless -q. When stdout cannot be written, that is a reason too and the files are
 * written again. With -q, a run that does not pass says its verdict and first fixes on stderr
 * (cron mails what a job prints). A report not written is in the verdict, not the status: MS_OK
 * or MS_ERR_NOMEM. */
static ms_status write_reports(ms_run *run, const ms_options *o)
{
    report_file files[MS_NREPORTS];
    const size_t n = report_files(o, files);
    const char *std_format = NULL;
    ms_status rc = MS_OK, orc = MS_OK;
    ms_report_style text = {
        .color = use_color(o), .width = ms_cli_text_width(), .verbose = o->verbose};
    ms_report_style file = {.color = false}; /* the files: what `report` renders again */
    ms_store_rows series = {0};
    ms_report_history hist = {0};
    for (size_t i = 0; i < n; i++)
        if (files[i].path && strcmp(files[i].path, "-") == 0)
            std_format = files[i].format;
    /* The earlier runs are read before this one is recorded; the notification goes first, so
     * that every report, stdout and the history state what became of it. */
    if ((o->notify || trend_runs(o) || (!std_format && !o->quiet)) &&
        (rc = ms_history_series(run, o, SERIES_LAST, 0, trend_runs(o), &series)) != MS_OK)
        goto out;
    if ((rc = notify(run, o, &series)) != MS_OK)
        goto out;
    if ((rc = push(run, o)) != MS_OK)
        goto out;
    if ((rc = report_history(run, &series, &hist)) != MS_OK)
        goto out;
    if (hist.noverall)
        text.history = file.history = &hist;
    if ((rc = write_files(run, files, n, &file)) != MS_OK)
        goto out;
    if (std_format) {
        orc = write_one(run, std_format, "-", &file);
    } else if (!o->quiet) {
        orc = ms_report_text_style(run, stdout, &text);
        if (orc == MS_OK && fflush(stdout) != 0)
            orc = MS_ERR_IO;
    }
    if (orc == MS_ERR_IO) {
        if (!std_format)                                              /* write_one has said so */
            ms_errorf(_("stdout: write error: %s"), strerror(errno)); /* EPIPE: the reader left */
        rc = ms_run_add_reason(run, MS_REASON_REPORT,
                               _("the report on stdout could not be written"));
        if (rc == MS_OK)
            rc = write_files(run, files, n, &file);
    } else {
        rc = orc;
    }
    if (rc != MS_OK)
        goto out;
    /* Recorded last, also when a report could not be written (the run happened), so that the
     * history holds the verdict the reports state. A named history that cannot be written is a
     * reason of the verdict (exit 3, unless interrupted) and the files are written again saying
     * so (what stdout showed is gone by then: stderr says it); the default one is a warning. */
    rc = ms_history_record(run, o);
    if (rc == MS_ERR_IO) {
        rc = ms_run_add_reason(run, MS_REASON_REPORT,
                               _("the run could not be recorded in the history"));
        if (rc == MS_OK)
            rc = write_files(run, files, n, &file);
    }
out:
    history_cleanup(&hist);
    ms_store_rows_cleanup(&series);
    if (rc == MS_OK && o->quiet && run->verdict.exit_code != 0)
        ms_report_verdict(run, stderr, false, 3);
    return rc;
}

ms_status ms_cmd_report(const ms_options *o)
{
    ms_status rc = MS_OK, wrc = MS_OK;
    ms_run *run = NULL;
    int64_t id = 0;
    char why[1024] = "";
    report_file files[MS_NREPORTS];
    const size_t n = report_files(o, files);
    const char *std_format = NULL;
    ms_report_style text = {
        .color = use_color(o), .width = ms_cli_text_width(), .verbose = o->verbose};
    ms_report_style file = {.color = false}; /* as run writes its files */
    ms_store_rows series = {0};
    ms_report_history hist = {0};
    if ((rc = ms_ref_load(o->report_ref, o, &run, &id, why, sizeof why)) != MS_OK) {
        if (rc != MS_ERR_NOMEM)
            ms_errorf("%s", why);
        goto out;
    }
    /* What the history held when the run was made: the runs of its series before it. */
    /* A history that could not be read is said so, not that the run is not in it. */
    bool unread = false;
    if (id == 0 && (rc = ms_history_find(run, o, &id, &unread)) != MS_OK)
        goto out;
    bool text_only = !o->json && !o->junit && !o->html && !o->markdown && !o->metrics;
    if (id == 0 && !unread && (o->html || o->markdown || text_only)) /* they show earlier runs */
        ms_warnf(_("%s is not in the history: the earlier runs (trends, \"failing since\") are "
                   "left out, as in a run without history"),
                 o->report_ref);
    if (id && (rc = ms_history_series(run, o, SERIES_LAST, id, trend_runs(o), &series)) != MS_OK)
        goto out;
    if ((rc = report_history(run, &series, &hist)) != MS_OK)
        goto out;
    if (hist.noverall)
        text.history = file.history = &hist;
    for (size_t i = 0; i < n; i++) {
        if (!files[i].path)
            continue;
        if (strcmp(files[i].path, "-") == 0) {
            std_format = files[i].format;
            continue;
        }
        if ((rc = write_one(run, files[i].format, files[i].path, &file)) == MS_ERR_IO)
            wrc = MS_ERR_IO; /* said; the others are written */
        else if (rc != MS_OK)
            goto out;
    }
    if (std_format)
        rc = write_one(run, std_format, "-", &file);
    else if (wrc == MS_OK && text_only)
        rc = ms_report_text_style(run, stdout, &text);
    if (rc == MS_OK)
        rc = wrc;
out:
    history_cleanup(&hist);
    ms_store_rows_cleanup(&series);
    ms_run_free(run);
    return rc;
}

/* --baseline REF: the run it names into *base, before anything is run (a cron or CI mistake
 * must not cost a whole audit). A reference that cannot be loaded is a usage error, said here. */
static ms_status load_baseline(const ms_options *o, ms_run **base)
{
    char why[512] = "";
    ms_status rc = ms_ref_load(o->baseline, o, base, NULL, why, sizeof why);
    if (rc != MS_OK && rc != MS_ERR_NOMEM) {
        ms_errorf("--baseline %s: %s", o->baseline, why[0] ? why : _("cannot be loaded"));
        rc = MS_ERR_USAGE;
    }
    return rc;
}

/* run --baseline: compare the scored run with base, attach the comparison to it, and let each
 * regression take its place in the fix list (the gate, ms_run_judge, comes after). */
static ms_status compare_baseline(const ms_options *o, const ms_run *base, ms_run *run)
{
    ms_status rc = ms_ref_baseline_new(o->baseline, base, &run->baseline);
    if (rc == MS_OK)
        rc = ms_compare_runs(base, run, &o->limits, &run->baseline->cmp);
    if (rc == MS_OK)
        rc = ms_score_regressions(run);
    /* A baseline with none of the run's checks (@last was another checklist's run) gates
     * nothing: say so, or a CI gate passes without having compared anything. */
    bool any = false;
    for (size_t i = 0; rc == MS_OK && i < run->baseline->cmp.nchecks && !any; i++)
        any = run->baseline->cmp.checks[i].side == MS_CMP_BOTH;
    if (rc == MS_OK && !any)
        ms_warnf(_("--baseline %s: the baseline run has none of this run's checks: nothing was "
                   "compared"),
                 o->baseline);
    return rc;
}

ms_status ms_cmd_run(const ms_options *o)
{
    ms_status rc = MS_OK;
    ms_plan plan = {0};
    ms_answers *answers = NULL;
    ms_run *run = NULL, *base = NULL;
    ms_run_net net = {0};
    char started_at[40], finished_at[40];
    bool interrupted = false;
    int64_t t0 = ms_monotonic_us();

    /* First of all: a signal while a large checklist loads still ends the run as interrupted
     * (130), never kills it (143). */
    catch_signals();
    ms_now_iso8601(started_at, sizeof started_at);
    if (o->baseline && (rc = load_baseline(o, &base)) != MS_OK)
        goto out;
    if ((rc = load(&plan, o)) != MS_OK) {
        if (g_stop)
            rc = MS_ERR_INTERRUPTED; /* the read was cut short by the signal */
        goto out;
    }
    if ((rc = refuse_short_secrets(&plan)) != MS_OK)
        goto out;
    if ((rc = select_checks(&plan, o)) != MS_OK)
        goto out;
    /* A proxy's password is a secret: libcurl quotes some proxy values whole in its errors. */
    if ((rc = ms_proxy_secrets(&o->net, &plan.secrets)) != MS_OK)
        goto out;
    if (o->answers) {
        /* A new file is fine when answers will be typed; otherwise it is likely a typo. */
        bool asking = !o->no_input && isatty(STDIN_FILENO);
        if (!asking && access(o->answers, F_OK) != 0)
            ms_warnf(_("%s does not exist: the manual checks are unanswered"), o->answers);
        if ((rc = read_answers(&plan, o->answers, &answers)) != MS_OK)
            goto out;
        if ((rc = warn_unmatched(answers, &plan, NULL)) != MS_OK)
            goto out;
    }
    if (o->insecure)
        ms_warnf(
            "%s",
            _("--insecure: TLS certificates are NOT verified; timings are real, trust is not"));
    ms_probe_opts po = {.parallel = o->parallel,
                        .per_host = o->per_host,
                        .samples = o->samples,
                        .timeout_us = o->timeout_us,
                        .cacert = o->cacert,
                        .insecure = o->insecure,
                        .net = &o->net,
                        .stop = &g_probe_stop,
                        .progress = isatty(STDERR_FILENO) ? show_progress : NULL};
    if (!o->no_input && isatty(STDIN_FILENO) && wants_answers(&plan)) {
        /* The interview starts at once; the http checks are timed meanwhile. */
        if ((rc = probe_and_interview(&plan, &po, o, &answers, started_at, &interrupted)) != MS_OK)
            goto out;
    } else {
        rc = ms_probe_run(&plan, &po);
        if (rc == MS_ERR_INTERRUPTED)
            interrupted = true;
        else if (rc != MS_OK)
            goto out;
    }
    if (g_stop)
        interrupted = true; /* a signal after the probe and the prompts: still a stop */
    /* The proxies the checks went through, as the probe chose them, and the other options. */
    if ((rc = ms_net_record(&plan, &o->net, &net)) != MS_OK)
        goto out;
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
        .net = &net,
    };
    if ((rc = ms_run_from_plan(&plan, &meta, &run)) != MS_OK)
        goto out;
    if ((rc = ms_score_run(run)) != MS_OK)
        goto out;
    if (base && (rc = compare_baseline(o, base, run)) != MS_OK)
        goto out;
    if ((rc = ms_run_judge(run, o->fail_on, o->fail_under, o->require_complete)) != MS_OK)
        goto out;
    ms_now_iso8601(finished_at, sizeof finished_at);
    if ((rc = ms_run_set(&run->finished_at, finished_at)) != MS_OK)
        goto out;
    run->duration_us = ms_monotonic_us() - t0;
    if ((rc = write_reports(run, o)) != MS_OK)
        goto out;
    rc = ms_run_status(run);
out:
    ms_run_net_cleanup(&net);
    ms_run_free(base);
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

/* validate --json: the files read (the vars file first, when one was given) and their problems
 * and warnings on stdout. */
static ms_status write_validate_json(const ms_options *o, const ms_diag *diag,
                                     const ms_diag *warnings)
{
    char *text = NULL;
    size_t n = 0;
    const char **paths = calloc(o->nfiles + 2, sizeof *paths);
    if (!paths)
        return MS_ERR_NOMEM;
    if (o->vars_file)
        paths[n++] = o->vars_file;
    for (size_t i = 0; i < o->nfiles; i++)
        paths[n++] = o->files[i];
    if (o->answers)
        paths[n++] = o->answers;
    ms_status rc = ms_validate_json_warn(diag, warnings, paths, n, &text);
    if (rc == MS_OK)
        rc = ms_write_file_atomic("-", text, strlen(text));
    free(text);
    free(paths);
    return rc;
}

ms_status ms_cmd_validate(const ms_options *o)
{
    ms_plan plan = {0};
    ms_diag diag, warnings;
    ms_answers *answers = NULL;
    ms_diag_init(&diag);
    ms_diag_init(&warnings);
    ms_status rc = load_plan(&plan, o, &diag, &warnings);
    if (rc == MS_ERR_USAGE)
        goto out; /* the vars file cannot be read: said */
    if (o->answers && (rc == MS_OK || rc == MS_ERR_INVALID)) {
        ms_status arc = validate_answers(&plan, rc, o->answers, &diag, &answers);
        if (arc == MS_OK && rc == MS_OK)
            arc = warn_unmatched(answers, &plan, &warnings);
        if (arc != MS_OK)
            rc = arc; /* invalid, or out of memory, which wins */
    }
    if (rc != MS_OK && rc != MS_ERR_INVALID)
        goto out;
    if (o->validate_json) {
        ms_status wrc = write_validate_json(o, &diag, &warnings);
        if (wrc != MS_OK)
            rc = wrc;
    } else if (ms_diag_print_as(&warnings, stderr, "warning: ") != MS_OK) {
        rc = MS_ERR_IO;
    } else if (rc == MS_ERR_INVALID) {
        print_problems(&diag, true, false);
    } else {
        for (size_t l = 0; l < plan.nlists; l++) {
            size_t n = 0;
            for (size_t s = 0; s < plan.lists[l].nsections; s++)
                n += plan.lists[l].sections[s].nchecks;
            char secs[64], checks[64];
            size_t ns = plan.lists[l].nsections;
            snprintf(secs, sizeof secs, ngettext("%zu section", "%zu sections", ns), ns);
            snprintf(checks, sizeof checks, ngettext("%zu check", "%zu checks", n), n);
            /* TRANSLATORS: a checklist's file, then "N sections" and "N checks" */
            ms_fprintf_line(stdout, _("%s: ok (%s, %s)"), plan.lists[l].path, secs, checks);
        }
        if (answers) {
            size_t n = ms_answers_count(answers);
            ms_fprintf_line(stdout, ngettext("%s: ok (%zu answer)", "%s: ok (%zu answers)", n),
                            o->answers, n);
        }
    }
out:
    ms_answers_free(answers);
    ms_diag_cleanup(&warnings);
    ms_diag_cleanup(&diag);
    ms_plan_cleanup(&plan);
    return rc;
}

/* list fits an 80-column terminal. */
#define LIST_COLS 80
/* The widest id column; a longer id stands on a line of its own. */
#define LIST_ID_COLS 24

/* Write s cleaned for the terminal, cut with an ellipsis on a character boundary to at most
 * cols columns, then padded with spaces to pad columns (0: none). */
static void put_cut(ms_buf *line, const char *s, size_t cols, size_t pad)
{
    ms_buf clean;
    ms_buf_init(&clean, 0);
    ms_buf_add_clean(&clean, s ? s : "");
    const char *c = ms_buf_str(&clean);
    size_t w = ms_display_width(c);
    if (w > cols && cols > 0) {
        size_t n = ms_prefix_for_width(c, cols - 1);
        ms_buf_add(line, c, n);
        ms_buf_adds(line, "\xE2\x80\xA6"); /* an ellipsis, one column */
        clean.data[n] = '\0';
        w = ms_display_width(c) + 1;
    } else if (w <= cols) {
        ms_buf_adds(line, c);
    } else {
        w = 0;
    }
    for (; w < pad; w++)
        ms_buf_addc(line, ' ');
    if (clean.failed)
        line->failed = true;
    ms_buf_cleanup(&clean);
}

/* "ttfb 300 ms, total 800 ms" for the budgets of ck, and the statistic compared for an http
 * check; empty without budgets. */
static void budget_text(const ms_check *ck, ms_buf *b)
{
    size_t n = 0;
    for (int ph = 0; ph < MS_PH_COUNT; ph++) {
        if (ck->budget_us[ph] < 0)
            continue;
        ms_buf_printf(b, "%s%s %.15g ms", n++ ? ", " : "", ms_phase_name((ms_phase)ph),
                      (double)ck->budget_us[ph] / 1000.0);
    }
    if (n && ck->kind == MS_KIND_HTTP)
        /* TRANSLATORS: the statistic (median, p95, max: kept as it is) of the samples */
        ms_buf_printf(b, _(" (%s of %d samples)"), ms_stat_name(ck->stat), ck->samples);
}

/* One check of list: its line (id, kind, factor, audience, weight, critical, title cut to the
 * width left), then, indented, an http check's method and URL (secrets as ***) and the budgets,
 * each cut to fit. */
static void list_check(const ms_check *ck, size_t idw, ms_buf *line)
{
    char cols[64];
    ms_buf budget;
    ms_buf_init(&budget, 0);
    if (ms_display_width(ck->id) > idw) {
        put_cut(line, ck->id, SIZE_MAX, 0);
        ms_buf_addc(line, '\n');
        put_cut(line, "", 0, idw + 2);
    } else {
        put_cut(line, ck->id, idw, idw + 2);
    }
    snprintf(cols, sizeof cols, "%-10s %-12s %-9s %6g  %-8s  ", ms_kind_name(ck->kind),
             ms_factor_name(ck->factor), ms_audience_name(ck->audience), ck->weight,
             ck->critical ? "yes" : "no");
    ms_buf_adds(line, cols);
    /* The title ends the line when it fits there whole, else it has a line of its own. */
    const char *title = ck->title ? ck->title : ck->id;
    size_t used = idw + 2 + strlen(cols);
    if (used + ms_display_width(title) <= LIST_COLS) {
        put_cut(line, title, LIST_COLS - used, 0);
        ms_buf_addc(line, '\n');
    } else {
        while (line->len && line->data[line->len - 1] == ' ')
            line->data[--line->len] = '\0'; /* no spaces at the end of the line */
        ms_buf_adds(line, "\n    ");
        put_cut(line, title, LIST_COLS - 4, 0);
        ms_buf_addc(line, '\n');
    }
    if (ck->kind == MS_KIND_HTTP) {
        ms_buf_adds(line, "    ");
        const char *method = ms_check_method(ck);
        ms_buf_printf(line, "%s ", method);
        size_t w = 4 + strlen(method) + 1;
        put_cut(line, ck->url_display, w < LIST_COLS - 10 ? LIST_COLS - w : 10, 0);
        ms_buf_addc(line, '\n');
    }
    budget_text(ck, &budget);
    if (budget.len) {
        ms_buf_adds(line, "    budget: ");
        put_cut(line, ms_buf_str(&budget), LIST_COLS - 12, 0);
        ms_buf_addc(line, '\n');
    }
    if (budget.failed)
        line->failed = true;
    ms_buf_cleanup(&budget);
}

ms_status ms_cmd_list(const ms_options *o)
{
    ms_plan plan = {0};
    ms_buf out;
    ms_buf_init(&out, SIZE_MAX);
    ms_status rc = load(&plan, o);
    size_t idw = 2;
    if (rc != MS_OK)
        goto out;
    for (size_t i = 0; i < plan.nchecks; i++) {
        size_t w = ms_display_width(plan.checks[i]->id);
        if (w > idw && w <= LIST_ID_COLS)
            idw = w;
    }
    put_cut(&out, "ID", idw, idw + 2);
    ms_buf_printf(&out, "%-10s %-12s %-9s %6s  %-8s  %s\n", "KIND", "FACTOR", "AUDIENCE", "WEIGHT",
                  "CRITICAL", "TITLE");
    for (size_t i = 0; i < plan.nchecks; i++)
        list_check(plan.checks[i], idw, &out);
    if (out.failed)
        rc = MS_ERR_NOMEM;
    else if (fwrite(out.data, 1, out.len, stdout) != out.len)
        rc = MS_ERR_IO;
out:
    ms_buf_cleanup(&out);
    ms_plan_cleanup(&plan);
    return rc;
}
