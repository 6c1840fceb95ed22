/* The history on the command line (see ms/history.h): where the database is, recording a run,
 * and the history command. */
#include "ms/i18n.h"
#include "ms/history.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ms/buf.h"
#include "ms/cli.h"
#include "ms/diag.h"
#include "ms/fileio.h"
#include "ms/hash.h"
#include "ms/report.h"
#include "ms/store.h"
#include "ms/util.h"

/* Where the history is: --history, else MS_HISTORY (both named by the user: *named), else
 * $XDG_STATE_HOME/mystery-shopper/history.db (an absolute XDG_STATE_HOME only, as the XDG
 * specification says), else ~/.local/state/mystery-shopper/history.db. *path is "" when there is
 * no default (no HOME). */
ms_status ms_history_path(const ms_options *o, ms_buf *path, bool *named)
{
    const char *env = getenv("MS_HISTORY");
    const char *xdg = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    *named = true;
    if (o->history)
        return ms_buf_adds(path, o->history);
    if (env && *env)
        return ms_buf_adds(path, env);
    *named = false;
    if (xdg && xdg[0] == '/')
        return ms_buf_printf(path, "%s/mystery-shopper/history.db", xdg);
    if (home && home[0] == '/')
        return ms_buf_printf(path, "%s/.local/state/mystery-shopper/history.db", home);
    return ms_buf_adds(path, "");
}

/* Make the directories above the file at path (0700: runs hold notes and URLs). */
static ms_status make_parents(const char *path, char *why, size_t whylen)
{
    ms_status rc = MS_OK;
    char *dir = strdup(path);
    if (!dir)
        return MS_ERR_NOMEM;
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
            snprintf(why, whylen, _("cannot make the directory %s: %s"), dir, strerror(errno));
            rc = MS_ERR_IO;
            break;
        }
        *p = '/';
    }
    free(dir);
    return rc;
}

/* The content hash of the regular file at path, "fnv1a64:" and 16 hex digits, in out; "" when it
 * is not a regular file or cannot be read (a FIFO or /dev/stdin cannot be read twice: opened
 * without waiting for a writer and never read). */
static void file_hash(const char *path, char *out, size_t outlen)
{
    uint64_t h = MS_HASH_INIT;
    struct stat st;
    char chunk[65536];
    ssize_t n = 0;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    out[0] = '\0';
    if (fd < 0)
        return;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        while ((n = read(fd, chunk, sizeof chunk)) > 0)
            h = ms_hash_add(h, chunk, (size_t)n);
        if (n == 0)
            snprintf(out, outlen, "fnv1a64:%016llx", (unsigned long long)h);
    }
    close(fd);
}

/* The content hash of each checklist file of the run (NULL where file_hash has none): it
 * identifies a checklist's version, it is not a security measure. */
static ms_status checklist_hashes(const ms_run *run, char ***out)
{
    char **h = calloc(run->nlists + 1, sizeof *h);
    if (!h)
        return MS_ERR_NOMEM;
    *out = h;
    for (size_t i = 0; i < run->nlists; i++) {
        char hash[32];
        const char *p = run->lists[i].path;
        if (!p || strcmp(p, "-") == 0)
            continue;
        file_hash(p, hash, sizeof hash);
        if (hash[0] && !(h[i] = strdup(hash)))
            return MS_ERR_NOMEM;
    }
    return MS_OK;
}

static void free_hashes(char **h, size_t n)
{
    for (size_t i = 0; h && i < n; i++)
        free(h[i]);
    free(h);
}

static void add_json_str(ms_buf *b, const char *s)
{
    if (!s) {
        ms_buf_adds(b, "null");
        return;
    }
    /* Valid UTF-8 first: a --label from the command line, or an id from an imported report, may
     * hold any bytes, and JSON is UTF-8 (as the JSON report makes it). */
    ms_buf u;
    ms_buf_init(&u, 0);
    if (ms_buf_add_utf8(&u, s, strlen(s)) != MS_OK)
        b->failed = true;
    ms_buf_addc(b, '"');
    ms_buf_add_json(b, ms_buf_str(&u));
    ms_buf_addc(b, '"');
    ms_buf_cleanup(&u);
}

/* The options of a run that its record does not hold, as a JSON object (variables are left
 * out: they are the checklist's business, and their values may be private). */
static ms_status options_json(const ms_options *o, ms_buf *b)
{
    ms_buf_printf(b, "{\"fail_on\": \"%s\", \"fail_under\": ", ms_fail_on_name(o->fail_on));
    if (o->fail_under >= 0)
        ms_buf_printf(b, "%.17g", o->fail_under);
    else
        ms_buf_adds(b, "null");
    ms_buf_printf(
        b, ", \"require_complete\": %s, \"timeout_ms\": ", o->require_complete ? "true" : "false");
    if (o->timeout_us > 0)
        ms_buf_printf(b, "%.3f", (double)o->timeout_us / 1000.0);
    else
        ms_buf_adds(b, "null");
    ms_buf_adds(b, ", \"only\": [");
    for (size_t i = 0; i < o->nonly; i++) {
        if (i)
            ms_buf_adds(b, ", ");
        add_json_str(b, o->only[i]);
    }
    ms_buf_adds(b, "], \"no_input\": ");
    ms_buf_adds(b, o->no_input ? "true" : "false");
    return ms_buf_adds(b, "}");
}

/* The run's JSON report for the history: counted first (count_bytes), then made again as the
 * history writes it (produce_json), so that it is never whole in memory. */
typedef struct {
    const ms_run *run;
} json_job;

static ms_status count_bytes(void *sink, const char *data, size_t len)
{
    (void)data;
    *(size_t *)sink += len;
    return MS_OK;
}

static ms_status produce_json(void *ud, ms_put_fn put, void *sink)
{
    return ms_report_json_write(((const json_job *)ud)->run, put, sink);
}

ms_status ms_history_record(const ms_run *run, const ms_options *o)
{
    ms_status rc = MS_OK;
    ms_buf path, opts;
    bool named = false;
    ms_store *st = NULL;
    char **hashes = NULL, host[256] = "", why[512] = "";
    size_t len = 0;
    json_job job = {run};
    if (o->no_history)
        return MS_OK;
    ms_buf_init(&path, 0);
    ms_buf_init(&opts, 0);
    if ((rc = ms_history_path(o, &path, &named)) != MS_OK)
        goto out;
    if (!*ms_buf_str(&path)) {
        ms_warnf(_("the run is not recorded: HOME is not set, so there is no default history "
                   "(name one with --history FILE)"));
        goto out;
    }
    if ((rc = ms_report_json_write(run, count_bytes, &len)) != MS_OK)
        goto out;
    ms_store_text report = {.len = len, .produce = produce_json, .ud = &job};
    if ((rc = checklist_hashes(run, &hashes)) != MS_OK)
        goto out;
    if ((rc = options_json(o, &opts)) != MS_OK)
        goto out;
    if (gethostname(host, sizeof host - 1) != 0)
        host[0] = '\0';
    ms_store_extra extra = {.host = host[0] ? host : NULL,
                            .hashes = (const char *const *)hashes,
                            .options = ms_buf_str(&opts),
                            .source = "run"};
    /* the default history's directory is made only for a history that can be opened */
    if ((rc = ms_store_load(why, sizeof why)) == MS_OK && !named)
        rc = make_parents(ms_buf_str(&path), why, sizeof why);
    if (rc == MS_OK)
        rc = ms_store_open(ms_buf_str(&path), true, &st, NULL, why, sizeof why);
    if (rc == MS_OK)
        rc = ms_store_add_run(st, run, &report, &extra, NULL, why, sizeof why);
    if (rc == MS_ERR_IO && named) {
        ms_errorf(_("history %s: the run could not be recorded: %s"), ms_buf_str(&path), why);
    } else if (rc == MS_ERR_IO) {
        ms_warnf(_("history %s: the run could not be recorded: %s"), ms_buf_str(&path), why);
        rc = MS_OK;
    }
out:
    ms_store_close(st);
    free_hashes(hashes, run->nlists);
    ms_buf_cleanup(&opts);
    ms_buf_cleanup(&path);
    return rc;
}

ms_status ms_history_series(const ms_run *run, const ms_options *o, long last, int64_t before,
                            size_t checks, ms_store_rows *rows)
{
    ms_status rc = MS_OK;
    ms_buf path;
    bool named = false, missing = false;
    ms_store *st = NULL;
    char why[512] = "";
    int64_t *ids = NULL;
    if (o->no_history)
        return MS_OK;
    ms_buf_init(&path, 0);
    if ((rc = ms_history_path(o, &path, &named)) != MS_OK || !*ms_buf_str(&path))
        goto out;
    rc = ms_store_open(ms_buf_str(&path), false, &st, &missing, why, sizeof why);
    if (rc == MS_OK)
        rc = ms_store_series(st, run, last, before, rows, why, sizeof why);
    if (rc == MS_OK && checks > rows->nruns)
        checks = rows->nruns;
    if (rc == MS_OK && checks > 0 && !(ids = calloc(checks, sizeof *ids)))
        rc = MS_ERR_NOMEM;
    for (size_t i = 0; rc == MS_OK && i < checks; i++)
        ids[i] = rows->runs[i].id;
    if (rc == MS_OK && checks > 0)
        rc = ms_store_series_checks(st, ids, checks, rows, why, sizeof why);
    if (rc == MS_ERR_IO) {
        if (!missing) /* a first run: nothing to read yet */
            ms_warnf(_("history %s: the earlier runs cannot be read: %s"), ms_buf_str(&path), why);
        ms_store_rows_cleanup(rows);
        rc = MS_OK;
    }
out:
    free(ids);
    ms_store_close(st);
    ms_buf_cleanup(&path);
    return rc;
}

ms_status ms_history_find(const ms_run *run, const ms_options *o, int64_t *id, bool *unread)
{
    ms_status rc = MS_OK;
    ms_buf path;
    bool named = false, missing = false;
    ms_store *st = NULL;
    char why[512] = "", *json = NULL;
    *id = 0;
    *unread = false;
    ms_buf_init(&path, 0);
    if ((rc = ms_history_path(o, &path, &named)) != MS_OK || !*ms_buf_str(&path))
        goto out;
    if ((rc = ms_report_json(run, &json)) != MS_OK)
        goto out;
    rc = ms_store_open(ms_buf_str(&path), false, &st, &missing, why, sizeof why);
    if (rc == MS_OK)
        rc = ms_store_find_report(st, run->started_at, json, id, why, sizeof why);
    if (rc == MS_ERR_IO) {
        if (!missing)
            ms_warnf(_("history %s: cannot be read: %s"), ms_buf_str(&path), why);
        *unread = !missing;
        *id = 0;
        rc = MS_OK;
    }
out:
    free(json);
    ms_store_close(st);
    ms_buf_cleanup(&path);
    return rc;
}

/* A duration with its unit, as --older-than and --since take it (90d, 12h, 2w, 30m, 45s): a
 * bare number is ambiguous. Whole seconds. */
static ms_status parse_age(const char *s, int64_t *secs)
{
    int64_t us = 0;
    ms_status rc = ms_parse_duration_unit(s, 0, &us);
    if (rc == MS_OK)
        *secs = us / 1000000;
    return rc;
}

/* --since: a date or time, or a duration ago. */
static ms_status parse_since(const char *s, int64_t *out)
{
    int64_t age = 0;
    if (parse_age(s, &age) == MS_OK) {
        *out = (int64_t)time(NULL) - age;
        return MS_OK;
    }
    const char *why = NULL;
    ms_status rc = ms_store_parse_time(s, out);
    if (rc == MS_OK)
        return MS_OK;
    if (rc == MS_ERR_IO && !ms_sqlite_load(&why)) {
        ms_errorf(_("--since: cannot load SQLite, which reads the date: %s"), why);
        return rc;
    }
    ms_errorf(_("--since: \"%s\" is not a date (2026-11-20), a time (2026-11-20T09:30:00+07:00) or "
                "a duration ago (7d, 12h)"),
              s);
    return MS_ERR_USAGE;
}

/* Open the history the options name for the history command; *st stays NULL (and MS_OK) when
 * the database does not exist yet and create is false: nothing was recorded. */
static ms_status open_history(const ms_options *o, bool create, ms_store **st, ms_buf *path)
{
    ms_status rc = MS_OK;
    bool named = false, missing = false;
    char why[512] = "";
    if ((rc = ms_history_path(o, path, &named)) != MS_OK)
        return rc;
    if (!*ms_buf_str(path)) {
        ms_errorf(_("HOME is not set, so there is no default history: name one with --history"));
        return MS_ERR_USAGE;
    }
    if (create && !named) { /* its directory, for a history that can be opened */
        if ((rc = ms_store_load(why, sizeof why)) == MS_OK)
            rc = make_parents(ms_buf_str(path), why, sizeof why);
        if (rc != MS_OK) {
            ms_errorf(_("history %s: %s"), ms_buf_str(path), why);
            return rc;
        }
    }
    rc = ms_store_open(ms_buf_str(path), create, st, &missing, why, sizeof why);
    if (rc == MS_ERR_IO && missing) {
        ms_fprintf_line(stderr, _("mystery-shopper: no runs recorded yet in %s"), ms_buf_str(path));
        return MS_OK;
    }
    if (rc == MS_ERR_IO)
        ms_errorf(_("history %s: %s"), ms_buf_str(path), why);
    return rc;
}

/* The run's verdict, as the JSON says it (English; marked so that the text can translate it). */
static const char *verdict_word(const ms_store_run_row *r)
{
    if (r->interrupted)
        return N_("INTERRUPTED");
    if (r->exit_code == 3) /* a report, the history or the notification was not written */
        return N_("ERROR");
    if (r->incomplete)
        return N_("INCOMPLETE");
    return r->passed ? N_("PASS") : N_("FAIL");
}

/* s, then spaces to the display width w (before s when right): columns of text in any
 * language line up (Vietnamese letters are two or three bytes, one column). */
static void put_col(const char *s, size_t w, bool right)
{
    size_t n = ms_display_width(s);
    for (; right && n < w; n++)
        putchar(' ');
    fputs(s, stdout);
    for (; !right && n < w; n++)
        putchar(' ');
}

/* The wider of w and the display width of s. */
static size_t at_least(size_t w, const char *s)
{
    size_t n = ms_display_width(s);
    return n > w ? n : w;
}

/* A list of ids (MS_STORE_SEP between them) as a JSON array. */
static void add_id_array(ms_buf *b, const char *ids)
{
    ms_buf_addc(b, '[');
    for (const char *p = ids; p && *p;) {
        const char *end = strchr(p, MS_STORE_SEP);
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char *id = strndup(p, n);
        if (!id) {
            b->failed = true;
            return;
        }
        add_json_str(b, id);
        free(id);
        p += n;
        if (*p == MS_STORE_SEP) {
            p++;
            ms_buf_adds(b, ", ");
        }
    }
    ms_buf_addc(b, ']');
}

/* s cleaned for the terminal (an imported report's text is the user's) into b, reset first. */
static const char *clean(ms_buf *b, const char *s)
{
    ms_buf_reset(b);
    ms_buf_add_clean(b, s ? s : "");
    return ms_buf_str(b);
}

static ms_status print_buf(ms_buf *b)
{
    ms_status rc = MS_OK;
    if (b->failed)
        return MS_ERR_NOMEM;
    if ((rc = ms_write_file_atomic("-", ms_buf_str(b), b->len)) != MS_OK)
        return rc;
    return MS_OK;
}

static ms_status runs_json(const ms_store_rows *rows)
{
    ms_status rc = MS_OK;
    ms_buf b;
    ms_buf_init(&b, 0);
    ms_buf_adds(&b, "{\"runs\": [");
    for (size_t i = 0; i < rows->nruns; i++) {
        const ms_store_run_row *r = &rows->runs[i];
        ms_buf_printf(&b, "%s\n\t{\"id\": %lld, \"started_at\": ", i ? "," : "", (long long)r->id);
        add_json_str(&b, r->started_at);
        ms_buf_adds(&b, ", \"label\": ");
        add_json_str(&b, r->label);
        ms_buf_adds(&b, ", \"checklists\": ");
        add_id_array(&b, r->checklists);
        ms_buf_adds(&b, ", \"overall\": ");
        if (r->has_overall)
            ms_buf_printf(&b, "%.15g", r->overall);
        else
            ms_buf_adds(&b, "null");
        ms_buf_printf(&b, ", \"verdict\": \"%s\", \"passed\": %s, \"reason\": ", verdict_word(r),
                      r->passed ? "true" : "false");
        add_json_str(&b, r->reason);
        ms_buf_printf(&b, ", \"exit_code\": %d, \"failed\": ", r->exit_code);
        add_id_array(&b, r->failed);
        ms_buf_addc(&b, '}');
    }
    ms_buf_adds(&b, rows->nruns ? "\n]}\n" : "]}\n");
    rc = print_buf(&b);
    ms_buf_cleanup(&b);
    return rc;
}

/* "N: id, id, ..." in cols columns: cut after the last id that fits, with "…" ("N: …" when
 * none does). */
static void put_failed(size_t n, const char *ids, size_t cols)
{
    char count[32];
    size_t cw = (size_t)snprintf(count, sizeof count, "%zu: ", n);
    size_t len = strlen(ids), cut = len;
    if (cw + ms_display_width(ids) > cols) {
        size_t fit = cols > cw + 1 ? ms_prefix_for_width(ids, cols - cw - 1) : 0; /* and "…" */
        cut = 0;
        for (size_t i = fit; i > 1 && cut == 0; i--)
            if (ids[i - 2] == ',' && ids[i - 1] == ' ')
                cut = i; /* keep ", " before the "…" */
    }
    printf("%s%.*s%s\n", count, (int)cut, ids, cut < len ? "…" : "");
}

/* The runs, one a line, within the width of stdout (the failed checks are cut to fit). */
static ms_status runs_text(const ms_store_rows *rows)
{
    size_t width = (size_t)ms_cli_text_width();
    size_t lw = 5;
    /* TRANSLATORS: the column headings of the history's runs: the run's id, its start, its
     * label, its overall score, its verdict and the checks that failed */
    const char *h_run = _("RUN"), *h_started = _("STARTED"), *h_label = _("LABEL");
    const char *h_overall = _("OVERALL"), *h_verdict = _("VERDICT"),
               *h_failed = C_("history column", "FAILED");
    size_t rw = at_least(5, h_run), sw = at_least(25, h_started), ow = at_least(7, h_overall);
    size_t vw = at_least(11, h_verdict);
    for (size_t i = 0; i < rows->nruns; i++) {
        if (rows->runs[i].label && ms_display_width(rows->runs[i].label) > lw)
            lw = ms_display_width(rows->runs[i].label);
        vw = at_least(vw, _(verdict_word(&rows->runs[i])));
    }
    if (lw > 16)
        lw = 16;
    lw = at_least(lw, h_label);
    /* where the failed checks start: the columns and their two-space gaps */
    size_t used = rw + sw + lw + ow + vw + 10;
    put_col(h_run, rw, true);
    fputs("  ", stdout);
    put_col(h_started, sw, false);
    fputs("  ", stdout);
    put_col(h_label, lw, false);
    fputs("  ", stdout);
    put_col(h_overall, ow, true);
    fputs("  ", stdout);
    put_col(h_verdict, vw, false);
    printf("  %s\n", h_failed);
    for (size_t i = 0; i < rows->nruns; i++) {
        const ms_store_run_row *r = &rows->runs[i];
        ms_buf label, failed, raw, when;
        char overall[16] = "-", id[32];
        ms_buf_init(&label, 0);
        ms_buf_init(&failed, 0);
        ms_buf_init(&raw, 0);
        ms_buf_init(&when, 0);
        ms_buf_add_clean(&label, r->label ? r->label : "-");
        /* shortened on a character boundary to its column */
        size_t cut = ms_prefix_for_width(ms_buf_str(&label), lw);
        size_t w = ms_display_width(ms_buf_str(&label));
        if (r->has_overall)
            snprintf(overall, sizeof overall, "%.1f", r->overall);
        for (const char *p = r->failed; *p; p++)
            if (*p == MS_STORE_SEP)
                ms_buf_adds(&raw, ", ");
            else
                ms_buf_addc(&raw, *p);
        ms_buf_add_clean(&failed, ms_buf_str(&raw));
        snprintf(id, sizeof id, "%lld", (long long)r->id);
        put_col(id, rw, true);
        fputs("  ", stdout);
        put_col(clean(&when, r->started_at), sw, false);
        fputs("  ", stdout);
        fwrite(ms_buf_str(&label), 1, cut, stdout);
        for (; w < lw; w++)
            putchar(' ');
        fputs("  ", stdout);
        put_col(overall, ow, true);
        fputs("  ", stdout);
        put_col(_(verdict_word(r)), vw, false);
        fputs("  ", stdout);
        if (r->nfailed)
            put_failed(r->nfailed, ms_buf_str(&failed), width > used ? width - used : 0);
        else
            printf("0\n");
        ms_buf_cleanup(&label);
        ms_buf_cleanup(&failed);
        ms_buf_cleanup(&raw);
        ms_buf_cleanup(&when);
    }
    return MS_OK;
}

static void format_value(const ms_store_check_row *r, char *out, size_t len)
{
    if (!r->has_value)
        snprintf(out, len, "-");
    else if (r->measure && strcmp(r->measure, "yes/no") == 0)
        snprintf(out, len, "%s", r->value != 0 ? _("yes") : _("no"));
    else
        snprintf(out, len, "%.15g", r->value);
}

static ms_status check_json(const char *id, const ms_store_rows *rows)
{
    ms_status rc = MS_OK;
    ms_buf b;
    ms_buf_init(&b, 0);
    ms_buf_adds(&b, "{\"check\": ");
    add_json_str(&b, id);
    ms_buf_adds(&b, ", \"runs\": [");
    for (size_t i = 0; i < rows->nchecks; i++) {
        const ms_store_check_row *r = &rows->checks[i];
        ms_buf_printf(&b, "%s\n\t{\"id\": %lld, \"started_at\": ", i ? "," : "",
                      (long long)r->run_id);
        add_json_str(&b, r->started_at);
        ms_buf_adds(&b, ", \"label\": ");
        add_json_str(&b, r->label);
        ms_buf_adds(&b, ", \"status\": ");
        add_json_str(&b, r->status);
        ms_buf_adds(&b, ", \"measure\": ");
        add_json_str(&b, r->measure);
        ms_buf_adds(&b, ", \"value\": ");
        if (r->has_value)
            ms_buf_printf(&b, "%.15g", r->value);
        else
            ms_buf_adds(&b, "null");
        ms_buf_adds(&b, ", \"score\": ");
        if (r->has_score)
            ms_buf_printf(&b, "%.15g", r->score);
        else
            ms_buf_adds(&b, "null");
        ms_buf_printf(&b, ", \"changed\": %s}",
                      i > 0 && strcmp(r->status, rows->checks[i - 1].status) != 0 ? "true"
                                                                                  : "false");
    }
    ms_buf_adds(&b, rows->nchecks ? "\n]}\n" : "]}\n");
    rc = print_buf(&b);
    ms_buf_cleanup(&b);
    return rc;
}

static ms_status check_text(const char *id, const ms_store_rows *rows)
{
    ms_buf line, when;
    const ms_store_check_row *last = &rows->checks[rows->nchecks - 1];
    size_t changes = 0;
    /* one bar a run, within the width: the newest runs when they do not all fit */
    size_t width = (size_t)ms_cli_text_width(), fit = width > 12 ? width - 2 : 10;
    size_t first = rows->nchecks > fit ? rows->nchecks - fit : 0;
    double *vals = calloc(rows->nchecks - first, sizeof *vals);
    bool *has = calloc(rows->nchecks - first, sizeof *has);
    if (!vals || !has) {
        free(vals);
        free(has);
        return MS_ERR_NOMEM;
    }
    ms_buf_init(&line, 0);
    ms_buf_init(&when, 0);
    for (size_t i = first; i < rows->nchecks; i++) {
        vals[i - first] = rows->checks[i].value;
        has[i - first] = rows->checks[i].has_value;
    }
    ms_buf_add_sparkline(&line, vals, has, rows->nchecks - first);
    free(vals);
    free(has);
    /* TRANSLATORS: a check's id, what is measured (such as "median total ms"), the number of
     * runs */
    ms_fprintf_line(
        stdout,
        ngettext("%s: %s, %zu run, oldest first", "%s: %s, %zu runs, oldest first", rows->nchecks),
        id, last->measure, rows->nchecks);
    printf("  %s\n", ms_buf_str(&line));
    if (first)
        printf(ngettext("  (the sparkline shows the last %zu run)\n",
                        "  (the sparkline shows the last %zu runs)\n", rows->nchecks - first),
               rows->nchecks - first);
    printf("\n");
    /* TRANSLATORS: the column headings of one check's history: the run's id, its start and the
     * check's status in it (the measure follows) */
    const char *h_run = _("RUN"), *h_started = _("STARTED"), *h_status = _("STATUS");
    size_t rw = at_least(5, h_run), sw = at_least(25, h_started), tw = at_least(10, h_status);
    for (size_t i = 0; i < rows->nchecks; i++)
        tw = at_least(tw, ms_status_word(rows->checks[i].status));
    put_col(h_run, rw, true);
    fputs("  ", stdout);
    put_col(h_started, sw, false);
    fputs("  ", stdout);
    put_col(h_status, tw, false);
    printf("  %s\n", last->measure);
    for (size_t i = 0; i < rows->nchecks; i++) {
        const ms_store_check_row *r = &rows->checks[i];
        char v[64], run[32];
        format_value(r, v, sizeof v);
        snprintf(run, sizeof run, "%lld", (long long)r->run_id);
        put_col(run, rw, true);
        fputs("  ", stdout);
        put_col(clean(&when, r->started_at), sw, false);
        fputs("  ", stdout);
        put_col(ms_status_word(r->status), tw, false);
        printf("  %s\n", v);
    }
    for (size_t i = 1; i < rows->nchecks; i++) {
        const ms_store_check_row *r = &rows->checks[i];
        if (strcmp(r->status, rows->checks[i - 1].status) == 0)
            continue;
        if (changes++ == 0)
            fputs(_("\nChanged state:\n"), stdout);
        /* TRANSLATORS: a run's id, when it started, the check's status before and in it */
        printf(_("  run %lld at %s: %s -> %s\n"), (long long)r->run_id, clean(&when, r->started_at),
               ms_status_word(rows->checks[i - 1].status), ms_status_word(r->status));
    }
    if (changes == 0)
        fputs(_("\nNo change of state in these runs.\n"), stdout);
    ms_buf_cleanup(&line);
    ms_buf_cleanup(&when);
    return MS_OK;
}

/* history --check ID found no run: a check no run has is a usage error (a typo, most likely:
 * "did you mean"); one the filters left out is a plain answer. */
static ms_status no_such_check(ms_store *st, const char *id, const ms_buf *path)
{
    ms_status rc = MS_OK;
    char **ids = NULL;
    size_t n = 0;
    char why[512] = "";
    const char *near = NULL;
    bool known = false;
    if ((rc = ms_store_check_ids(st, &ids, &n, why, sizeof why)) == MS_ERR_IO)
        ms_errorf(_("history %s: %s"), ms_buf_str(path), why);
    if (rc != MS_OK)
        goto out;
    for (size_t i = 0; i < n && !known; i++)
        known = strcmp(ids[i], id) == 0;
    if (known) {
        ms_fprintf_line(stderr, _("mystery-shopper: no run that matches has a check %s"), id);
        goto out;
    }
    near = ms_did_you_mean(id, (const char *const *)ids);
    if (near)
        ms_errorf(_("history --check: no recorded run has a check %s (did you mean %s?)"), id,
                  near);
    else
        ms_errorf(_("history --check: no recorded run has a check %s"), id);
    rc = MS_ERR_USAGE;
out:
    ms_strv_free(ids);
    return rc;
}

static ms_status cmd_list(const ms_options *o)
{
    ms_status rc = MS_OK;
    ms_store *st = NULL;
    ms_store_rows rows = {0};
    ms_buf path;
    char why[512] = "";
    ms_store_filter f = {
        .label = o->label, .checklist = o->history_checklist, .last = o->history_last};
    ms_buf_init(&path, 0);
    if (o->history_since && (rc = parse_since(o->history_since, &f.since)) != MS_OK)
        goto out;
    if ((rc = open_history(o, false, &st, &path)) != MS_OK)
        goto out;
    if (st && o->history_check)
        rc = ms_store_check_history(st, o->history_check, &f, &rows, why, sizeof why);
    else if (st)
        rc = ms_store_list_runs(st, &f, &rows, why, sizeof why);
    if (rc == MS_ERR_IO)
        ms_errorf(_("history %s: %s"), ms_buf_str(&path), why);
    if (rc != MS_OK)
        goto out;
    if (o->history_check && o->history_json)
        rc = check_json(o->history_check, &rows);
    else if (o->history_json)
        rc = runs_json(&rows);
    else if (o->history_check && rows.nchecks == 0 && st)
        rc = no_such_check(st, o->history_check, &path);
    else if (o->history_check && rows.nchecks)
        rc = check_text(o->history_check, &rows);
    else if (rows.nruns == 0 && st)
        ms_fprintf_line(stderr, _("mystery-shopper: no recorded run matches"));
    else if (rows.nruns)
        rc = runs_text(&rows);
out:
    ms_store_rows_cleanup(&rows);
    ms_store_close(st);
    ms_buf_cleanup(&path);
    return rc;
}

static ms_status cmd_prune(const ms_options *o)
{
    ms_status rc = MS_OK;
    ms_store *st = NULL;
    ms_buf path;
    int64_t age = 0, removed = 0;
    char why[512] = "";
    ms_buf_init(&path, 0);
    if (parse_age(o->older_than, &age) != MS_OK) {
        ms_errorf(_("--older-than: \"%s\" is not a duration such as 90d, 12h or 2w"),
                  o->older_than);
        rc = MS_ERR_USAGE;
        goto out;
    }
    if ((rc = open_history(o, false, &st, &path)) != MS_OK || !st)
        goto out;
    if ((rc = ms_store_prune(st, (int64_t)time(NULL) - age, &removed, why, sizeof why)) != MS_OK) {
        if (rc == MS_ERR_IO)
            ms_errorf(_("history %s: %s"), ms_buf_str(&path), why);
        goto out;
    }
    /* TRANSLATORS: the number of runs removed, the --older-than duration, the history file */
    ms_fprintf_line(stdout,
                    ngettext("removed %lld run older than %s from %s",
                             "removed %lld runs older than %s from %s", (unsigned long)removed),
                    (long long)removed, o->older_than, ms_buf_str(&path));
out:
    ms_store_close(st);
    ms_buf_cleanup(&path);
    return rc;
}

/* Every report is read first: one that cannot be read imports nothing (exit 2), so a retry after
 * the fix does not record the others twice. A report already in the history is skipped. */
static ms_status cmd_import(const ms_options *o)
{
    ms_status rc = MS_OK;
    ms_store *st = NULL;
    ms_buf path;
    ms_diag diag;
    char **texts = calloc(o->nfiles, sizeof *texts);
    ms_run **runs = calloc(o->nfiles, sizeof *runs);
    char why[512] = "";
    ms_buf_init(&path, 0);
    ms_diag_init(&diag);
    if (!texts || !runs) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < o->nfiles; i++) {
        size_t len = 0;
        ms_status frc = ms_read_file(o->files[i], &texts[i], &len, why, sizeof why);
        if (frc == MS_ERR_IO)
            frc = ms_diag_add(&diag, o->files[i], 0, 0, "", why);
        else if (frc == MS_OK)
            frc = ms_run_from_json(o->files[i], texts[i], len, &diag, &runs[i]);
        if (frc == MS_ERR_NOMEM) {
            rc = frc;
            goto out;
        }
    }
    if (diag.n) {
        ms_diag_print(&diag, stderr);
        ms_fprintf_line(stderr, _("mystery-shopper: nothing was imported"));
        rc = MS_ERR_INVALID;
        goto out;
    }
    if ((rc = open_history(o, true, &st, &path)) != MS_OK)
        goto out;
    for (size_t i = 0; i < o->nfiles; i++) {
        int64_t id = 0;
        ms_store_extra x = {.source = "import"};
        if ((rc = ms_store_find_report(st, runs[i]->started_at, texts[i], &id, why, sizeof why)) ==
                MS_OK &&
            id)
            ms_fprintf_line(stdout, _("%s: already recorded as run %lld"), o->files[i],
                            (long long)id);
        else if (rc == MS_OK &&
                 (rc = ms_store_add_run(st, runs[i], &(ms_store_text){.text = texts[i]}, &x, &id,
                                        why, sizeof why)) == MS_OK)
            ms_fprintf_line(stdout, _("%s: recorded as run %lld"), o->files[i], (long long)id);
        if (rc == MS_ERR_IO)
            ms_errorf(_("history %s: %s: %s"), ms_buf_str(&path), o->files[i], why);
        if (rc != MS_OK)
            goto out;
    }
out:
    for (size_t i = 0; i < o->nfiles && texts && runs; i++) {
        free(texts[i]);
        ms_run_free(runs[i]);
    }
    free(texts);
    free(runs);
    ms_diag_cleanup(&diag);
    ms_store_close(st);
    ms_buf_cleanup(&path);
    return rc;
}

ms_status ms_cmd_history(const ms_options *o)
{
    if (o->history_action == MS_HIST_PRUNE)
        return cmd_prune(o);
    if (o->history_action == MS_HIST_IMPORT)
        return cmd_import(o);
    return cmd_list(o);
}
