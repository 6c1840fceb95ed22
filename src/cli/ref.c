/* References to a run (see ms/ref.h): a JSON report file or a run of the history. */
#include "ms/i18n.h"
#include "ms/ref.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms/diag.h"
#include "ms/fileio.h"
#include "ms/history.h"
#include "ms/report.h"
#include "ms/store.h"

/* What kind of reference ref is, and its argument. */
typedef enum { REF_FILE, REF_LAST, REF_LAST_PASS, REF_ID, REF_LABEL } ref_kind;

static ms_status parse_ref(const char *ref, ref_kind *kind, int64_t *id, const char **label,
                           char *why, size_t whylen)
{
    ms_status rc = MS_OK;
    *kind = REF_FILE;
    *id = 0;
    *label = NULL;
    if (ref[0] != '@')
        goto out;
    if (strcmp(ref, "@last") == 0) {
        *kind = REF_LAST;
    } else if (strcmp(ref, "@last-pass") == 0) {
        *kind = REF_LAST_PASS;
    } else if (strncmp(ref, "@label:", 7) == 0 && ref[7]) {
        *kind = REF_LABEL;
        *label = ref + 7;
    } else if (ref[1] >= '0' && ref[1] <= '9') {
        int64_t v = 0;
        for (const char *p = ref + 1; *p; p++) {
            if (*p < '0' || *p > '9' || v > (INT64_MAX - 9) / 10) {
                rc = MS_ERR_USAGE;
                goto out;
            }
            v = v * 10 + (*p - '0');
        }
        *kind = REF_ID;
        *id = v;
    } else {
        rc = MS_ERR_USAGE;
    }
out:
    if (rc == MS_ERR_USAGE)
        snprintf(
            why, whylen,
            _("%s: not a reference (@last, @last-pass, @ID, @label:NAME or a JSON report file)"),
            ref);
    return rc;
}

/* Read the JSON report text (named name in problems) into *out; why names the first problem. */
static ms_status read_report(const char *name, const char *text, size_t len, ms_run **out,
                             char *why, size_t whylen)
{
    ms_diag diag;
    ms_diag_init(&diag);
    ms_status rc = ms_run_from_json(name, text, len, &diag, out);
    if (rc == MS_ERR_INVALID && diag.n) {
        const ms_problem *p = &diag.items[0];
        const char *path = p->shown ? p->shown : p->path;
        snprintf(why, whylen, _("%s:%d:%d: %s%s%s: not a JSON report"), p->file ? p->file : name,
                 p->line, p->col, path && *path ? path : "", path && *path ? ": " : "",
                 p->message ? p->message : "");
    } else if (rc == MS_ERR_INVALID) {
        snprintf(why, whylen, _("%s: not a JSON report"), name);
    }
    ms_diag_cleanup(&diag);
    return rc;
}

static ms_status load_file(const char *path, ms_run **out, char *why, size_t whylen)
{
    ms_status rc = MS_OK;
    char *text = NULL;
    size_t len = 0;
    char reason[512] = "";
    rc = ms_read_file(path, &text, &len, reason, sizeof reason);
    if (rc == MS_ERR_IO) {
        snprintf(why, whylen, "%s: %s", path, reason);
        rc = MS_ERR_USAGE;
        goto out;
    }
    if (rc != MS_OK)
        goto out;
    rc = read_report(path, text, len, out, why, whylen);
out:
    free(text);
    return rc;
}

/* The id of the run kind names in the store, or 0 when there is none. */
static ms_status find_run(ms_store *st, ref_kind kind, const char *label, int64_t *id, char *why,
                          size_t whylen)
{
    ms_store_rows rows = {0};
    ms_store_filter f = {.label = label, .last = kind == REF_LAST_PASS ? 0 : 1};
    ms_status rc = ms_store_list_runs(st, &f, &rows, why, whylen);
    *id = 0;
    for (size_t i = 0; rc == MS_OK && i < rows.nruns && !*id; i++)
        if (kind != REF_LAST_PASS || rows.runs[i].exit_code == 0) /* PASS, as history says */
            *id = rows.runs[i].id;
    ms_store_rows_cleanup(&rows);
    return rc;
}

static ms_status load_history(const char *ref, ref_kind kind, int64_t want, const char *label,
                              const ms_options *opts, ms_run **out, int64_t *id, char *why,
                              size_t whylen)
{
    ms_status rc = MS_OK;
    ms_store *st = NULL;
    ms_buf path;
    bool named = false, missing = false;
    char reason[512] = "", name[64];
    char *json = NULL;
    ms_buf_init(&path, 0);
    if ((rc = ms_history_path(opts, &path, &named)) != MS_OK)
        goto out;
    if (!*ms_buf_str(&path)) {
        snprintf(why, whylen,
                 _("%s: HOME is not set, so there is no default history: name one "
                   "with --history"),
                 ref);
        rc = MS_ERR_USAGE;
        goto out;
    }
    rc = ms_store_open(ms_buf_str(&path), false, &st, &missing, reason, sizeof reason);
    if (rc == MS_ERR_IO && missing) {
        snprintf(why, whylen, _("%s: no runs recorded yet in %s"), ref, ms_buf_str(&path));
        rc = MS_ERR_USAGE;
        goto out;
    }
    if (rc == MS_ERR_IO)
        snprintf(why, whylen, _("history %s: %s"), ms_buf_str(&path), reason);
    if (rc != MS_OK)
        goto out;
    if (kind != REF_ID) {
        rc = find_run(st, kind, label, &want, reason, sizeof reason);
        if (rc == MS_ERR_IO)
            snprintf(why, whylen, _("history %s: %s"), ms_buf_str(&path), reason);
        if (rc != MS_OK)
            goto out;
        if (!want) {
            if (kind == REF_LAST_PASS)
                snprintf(why, whylen, _("%s: no run that passed in the history %s"), ref,
                         ms_buf_str(&path));
            else if (kind == REF_LABEL)
                snprintf(why, whylen, _("%s: no run with that label in the history %s"), ref,
                         ms_buf_str(&path));
            else
                snprintf(why, whylen, _("%s: no run in the history %s"), ref, ms_buf_str(&path));
            rc = MS_ERR_USAGE;
            goto out;
        }
    }
    rc = ms_store_report(st, want, &json, reason, sizeof reason);
    if (rc == MS_ERR_USAGE)
        snprintf(why, whylen, _("%s: no run %lld in the history %s"), ref, (long long)want,
                 ms_buf_str(&path));
    else if (rc == MS_ERR_IO)
        snprintf(why, whylen, _("history %s: %s"), ms_buf_str(&path), reason);
    if (rc != MS_OK)
        goto out;
    snprintf(name, sizeof name, "history run %lld", (long long)want);
    rc = read_report(name, json, strlen(json), out, why, whylen);
    if (rc == MS_OK && id)
        *id = want;
out:
    free(json);
    ms_store_close(st);
    ms_buf_cleanup(&path);
    return rc;
}

ms_status ms_ref_load(const char *ref, const ms_options *opts, ms_run **out, int64_t *id, char *why,
                      size_t whylen)
{
    ms_status rc = MS_OK;
    ref_kind kind = REF_FILE;
    int64_t want = 0;
    const char *label = NULL;
    *out = NULL;
    if (id)
        *id = 0;
    if (why && whylen)
        why[0] = '\0';
    if ((rc = parse_ref(ref, &kind, &want, &label, why, whylen)) != MS_OK)
        goto out;
    if (kind == REF_FILE)
        rc = load_file(ref, out, why, whylen);
    else
        rc = load_history(ref, kind, want, label, opts, out, id, why, whylen);
out:
    return rc;
}

ms_status ms_ref_describe(const char *ref, const ms_run *run, int64_t id, ms_buf *out)
{
    ms_status rc = MS_OK;
    if (id)
        rc = ms_buf_printf(out, "run %lld (%s)", (long long)id, ref);
    else
        rc = ms_buf_adds(out, ref);
    if (rc == MS_OK)
        rc = ms_buf_printf(out, ", started %s", run->started_at ? run->started_at : "(unknown)");
    if (rc == MS_OK && run->label)
        rc = ms_buf_printf(out, ", label %s", run->label);
    return rc;
}

static ms_status copy_str(char **dst, const char *src)
{
    *dst = NULL;
    if (src && !(*dst = strdup(src)))
        return MS_ERR_NOMEM;
    return MS_OK;
}

ms_status ms_ref_baseline_new(const char *ref, const ms_run *base, ms_run_baseline **out)
{
    ms_status rc = MS_OK;
    ms_run_baseline *b = calloc(1, sizeof *b);
    if (!b) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    if ((rc = copy_str(&b->ref, ref)) == MS_OK &&
        (rc = copy_str(&b->started_at, base->started_at)) == MS_OK)
        rc = copy_str(&b->label, base->label);
out:
    if (rc != MS_OK) {
        ms_run_baseline_free(b);
        b = NULL;
    }
    *out = b;
    return rc;
}
