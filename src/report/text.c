#include <stdio.h>
#include <string.h>

#include "ms/buf.h"
#include "ms/report.h"
#include "ms/stats.h"
#include "ms/util.h"

#define TITLE_COLS 44

typedef struct {
    FILE *out;
    bool color;
    bool nomem; /* a line could not be built: the report is not whole */
} pen;

static const char *col(const pen *p, const char *code)
{
    return p->color ? code : "";
}

#define RESET  "\033[0m"
#define BOLD   "\033[1m"
#define DIM    "\033[2m"
#define RED    "\033[31m"
#define GREEN  "\033[32m"
#define YELLOW "\033[33m"

/* Write user or network text (a title, an owner, evidence) cleaned for the terminal: one line,
 * no control characters, valid UTF-8 (the shared ms_buf_add_clean). */
static void put_text(FILE *out, const char *s)
{
    ms_fputs_clean(s ? s : "", out);
}

/* Print s cleaned, padded (or cut with an ellipsis on a character boundary) to exactly cols
 * terminal columns. */
static void put_cols(pen *p, const char *raw, size_t cols)
{
    FILE *out = p->out;
    ms_buf clean;
    ms_buf_init(&clean, 0);
    if (ms_buf_add_clean(&clean, raw ? raw : "") != MS_OK)
        p->nomem = true;
    const char *s = ms_buf_str(&clean);
    size_t w = ms_display_width(s);
    if (w > cols) {
        size_t n = ms_prefix_for_width(s, cols - 1);
        fwrite(s, 1, n, out);
        fputs("\xE2\x80\xA6", out); /* an ellipsis, one column */
        clean.data[n] = '\0';
        w = ms_display_width(s) + 1;
    } else {
        fputs(s, out);
    }
    for (; w < cols; w++)
        fputc(' ', out);
    ms_buf_cleanup(&clean);
}

/* A short description of a check's measured statistic or answer, for its report line. */
static void detail_of(const ms_run_check *ck, ms_buf *out)
{
    const ms_run_check *r = ck;
    char v[32], b[32];
    if (ck->kind != MS_KIND_HTTP || r->status == MS_ST_NOT_RUN || !r->has_score) {
        ms_buf_adds(out, r->evidence ? r->evidence : "");
        return;
    }
    int failed = 0;
    const char *err = NULL;
    for (int i = 0; i < r->nsamples; i++) {
        if (r->samples[i].failed) {
            failed++;
            err = err ? err : r->samples[i].error;
        }
    }
    if (failed == r->nsamples) {
        ms_buf_printf(out, "%d/%d failed: %s", failed, r->nsamples, err ? err : "?");
        return;
    }
    int p = r->judged_phase >= 0 ? r->judged_phase : MS_PH_TOTAL;
    ms_format_ms(ms_stats_get(&r->st[p], ck->stat), v, sizeof v);
    ms_buf_printf(out, "%s %s %s ms", ms_stat_name(ck->stat), ms_phase_name((ms_phase)p), v);
    if (ck->budget_us[p] > 0) {
        ms_format_ms(ck->budget_us[p], b, sizeof b);
        ms_buf_printf(out, " / %s ms", b);
    }
    if (failed)
        ms_buf_printf(out, ", %d/%d failed: %s", failed, r->nsamples, err ? err : "?");
    if (ck->body_cut_held)
        ms_buf_adds(out, " (body_not_contains: " MS_BODY_CUT_NOTE ")");
}

static const char *status_label(const ms_run_check *ck)
{
    switch (ck->status) {
    case MS_ST_PASS:
        return "PASS";
    case MS_ST_FAIL:
        return "FAIL";
    case MS_ST_NA:
        return "N/A ";
    case MS_ST_UNANSWERED:
        return "----";
    default:
        return "SKIP";
    }
}

static const char *status_color(const ms_run_check *ck)
{
    switch (ck->status) {
    case MS_ST_PASS:
        return GREEN;
    case MS_ST_FAIL:
        return RED;
    default:
        return DIM;
    }
}

static void put_score(FILE *out, bool has, double v)
{
    if (has)
        fprintf(out, "%5.1f", v);
    else
        fputs("    -", out);
}

static void section_lines(pen *p, const ms_run *run, const ms_run_section *sec)
{
    ms_buf detail;
    if (!sec->n)
        return;
    fprintf(p->out, "\n  %s", col(p, BOLD));
    put_cols(p, sec->title ? sec->title : "", TITLE_COLS + 8);
    fprintf(p->out, "%s score ", col(p, RESET));
    put_score(p->out, sec->has_score, sec->score);
    fprintf(p->out, "  coverage %zu/%zu\n", sec->answered, sec->applicable);
    for (size_t k = sec->first; k < sec->first + sec->n; k++) {
        const ms_run_check *ck = &run->checks[k];
        fprintf(p->out, "    %s%s%s  ", col(p, status_color(ck)), status_label(ck), col(p, RESET));
        put_cols(p, ck->title ? ck->title : ck->id, TITLE_COLS);
        ms_buf_init(&detail, 0);
        detail_of(ck, &detail);
        if (detail.failed)
            p->nomem = true;
        fprintf(p->out, "  %s", ck->critical && ck->status == MS_ST_FAIL ? "[critical] " : "");
        put_text(p->out, ms_buf_str(&detail));
        fputc('\n', p->out);
        ms_buf_cleanup(&detail);
    }
}

static void scores(const pen *p, const ms_run *run)
{
    const ms_scores *s = &run->scores;
    fprintf(p->out, "\n%sScores%s (0-100; overall weights product x3, people x2, convenience x1)\n",
            col(p, BOLD), col(p, RESET));
    fprintf(p->out, "  overall      ");
    put_score(p->out, s->has_overall, s->overall);
    fputc('\n', p->out);
    fprintf(p->out, "  by factor    product ");
    put_score(p->out, s->has_factor[MS_FACTOR_PRODUCT], s->factor[MS_FACTOR_PRODUCT]);
    fprintf(p->out, "   people ");
    put_score(p->out, s->has_factor[MS_FACTOR_PEOPLE], s->factor[MS_FACTOR_PEOPLE]);
    fprintf(p->out, "   convenience ");
    put_score(p->out, s->has_factor[MS_FACTOR_CONVENIENCE], s->factor[MS_FACTOR_CONVENIENCE]);
    fprintf(p->out, "\n  by audience  external ");
    put_score(p->out, s->has_audience[MS_AUD_EXTERNAL], s->audience[MS_AUD_EXTERNAL]);
    fprintf(p->out, "  internal ");
    put_score(p->out, s->has_audience[MS_AUD_INTERNAL], s->audience[MS_AUD_INTERNAL]);
    fprintf(p->out,
            "\n  checks       %zu passed, %zu failed (%zu critical), %zu n/a, %zu unanswered",
            s->passed, s->failed, s->critical_failed, s->na, s->unanswered);
    if (s->not_run)
        fprintf(p->out, ", %zu not run", s->not_run);
    fputc('\n', p->out);
}

static void fixes(pen *p, const ms_run *run)
{
    if (run->nfixes == 0) {
        fprintf(p->out, "\n%sFixes%s: none; every scored check is at its best.\n", col(p, BOLD),
                col(p, RESET));
        return;
    }
    fprintf(p->out, "\n%sFixes, most important first%s\n", col(p, BOLD), col(p, RESET));
    for (size_t i = 0; i < run->nfixes; i++) {
        const ms_run_fix *f = &run->fixes[i];
        const ms_run_check *ck = &run->checks[f->check];
        const char *sc = f->severity == MS_SEV_CRITICAL  ? RED
                         : f->severity == MS_SEV_SERIOUS ? YELLOW
                                                         : "";
        fprintf(p->out, "  %2zu. %s%-8s%s  ", i + 1, col(p, sc), ms_severity_name(f->severity),
                col(p, RESET));
        put_cols(p, ck->title ? ck->title : ck->id, TITLE_COLS);
        fprintf(p->out, "  +%.1f points\n", f->impact);
        fprintf(p->out, "      %s, %s; owner: ", ms_factor_name(ck->factor),
                ms_audience_name(ck->audience));
        put_text(p->out, ck->owner ? ck->owner : "nobody named");
        fprintf(p->out, "; effort %s; check ", ms_effort_name(ck->effort));
        put_text(p->out, ck->id);
        fputs("\n      evidence: ", p->out);
        put_text(p->out, ck->evidence);
        fputc('\n', p->out);
        if (ck->fix) {
            fputs("      fix: ", p->out);
            put_text(p->out, ck->fix);
            fputc('\n', p->out);
        }
        if (f->hint) {
            fputs("      hint: ", p->out);
            put_text(p->out, f->hint);
            fputc('\n', p->out);
        }
    }
}

/* The network options of the run: each proxy the http checks went through (and for how many of
 * them, when not all), then what was asked of libcurl, one line each. */
static void network_lines(const ms_run *run, FILE *out)
{
    const ms_run_net *n = &run->net;
    size_t nhttp = 0;
    for (size_t i = 0; i < run->nchecks; i++)
        nhttp += run->checks[i].kind == MS_KIND_HTTP;
    for (size_t i = 0; i < n->nproxies; i++) {
        fputs("via proxy ", out);
        put_text(out, n->proxies[i].url);
        fputs(" (from ", out);
        put_text(out, n->proxies[i].from);
        fputc(')', out);
        if (n->proxies[i].nchecks != nhttp)
            fprintf(out, " for %zu of %zu http checks", n->proxies[i].nchecks, nhttp);
        fputc('\n', out);
    }
    if (!n->http_version && !n->nresolve && !n->nconnect_to && !n->client_cert)
        return;
    const char *sep = "network options: ";
    if (n->http_version) {
        fprintf(out, "%s--http", sep);
        put_text(out, n->http_version);
        sep = ", ";
    }
    for (size_t i = 0; i < n->nresolve; i++, sep = ", ") {
        fprintf(out, "%s--resolve ", sep);
        put_text(out, n->resolve[i]);
    }
    for (size_t i = 0; i < n->nconnect_to; i++, sep = ", ") {
        fprintf(out, "%s--connect-to ", sep);
        put_text(out, n->connect_to[i]);
    }
    if (n->client_cert) {
        fprintf(out, "%s--cert ", sep);
        put_text(out, n->client_cert);
    }
    fputc('\n', out);
}

ms_status ms_report_text(const ms_run *run, FILE *out, bool color)
{
    pen p = {out, color, false};
    char dur[32];
    ms_format_duration(run->duration_us, dur, sizeof dur);
    fprintf(out, "%smystery-shopper %s%s: the king's walk in disguise\n", col(&p, BOLD),
            run->tool_version ? run->tool_version : "?", col(&p, RESET));
    fputs("started ", out);
    put_text(out, run->started_at);
    fprintf(out, ", took %s", dur);
    if (run->auditor) {
        fputs(", auditor ", out);
        put_text(out, run->auditor);
    }
    if (run->label) {
        fputs(", label ", out);
        put_text(out, run->label);
    }
    fputc('\n', out);
    network_lines(run, out);
    if (run->insecure)
        fprintf(out, "%sWARNING: TLS certificates were not verified (--insecure)%s\n", col(&p, RED),
                col(&p, RESET));
    if (run->interrupted)
        fprintf(out, "%sINTERRUPTED: the results below are what was measured before the stop%s\n",
                col(&p, RED), col(&p, RESET));
    for (size_t l = 0; l < run->nlists; l++) {
        const ms_run_list *cl = &run->lists[l];
        fprintf(out, "\n%s", col(&p, BOLD));
        put_text(out, cl->title ? cl->title : cl->id);
        fprintf(out, "%s  (", col(&p, RESET));
        put_text(out, cl->path);
        fputs(")\n", out);
        for (size_t s = 0; s < cl->nsections; s++)
            section_lines(&p, run, &cl->sections[s]);
    }
    scores(&p, run);
    fixes(&p, run);
    const ms_verdict *v = &run->verdict;
    bool said = !v->passed && v->reason; /* the gate's reason is on the line */
    fprintf(out, "\n%sVerdict: %s%s", col(&p, BOLD),
            run->interrupted ? "INTERRUPTED"
            : v->passed      ? "PASS"
                             : "FAIL",
            col(&p, RESET));
    if (said) {
        fputs(": ", out);
        put_text(out, v->reason);
    }
    if (v->incomplete)
        fprintf(out, "%s%zu manual check%s unanswered (--require-complete)", said ? "; " : ": ",
                run->scores.unanswered, run->scores.unanswered == 1 ? "" : "s");
    fputc('\n', out);
    if (ferror(out))
        return MS_ERR_IO;
    return p.nomem ? MS_ERR_NOMEM : MS_OK;
}
