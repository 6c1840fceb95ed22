#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ms/buf.h"
#include "ms/compare.h"
#include "ms/i18n.h"
#include "ms/report.h"
#include "ms/stats.h"
#include "ms/util.h"

/* The layout (docs/decisions.md, "The text report"): every line fits the width, titles are
 * shortened to their column, the figure stays on the check's line, and longer text is wrapped
 * at spaces with a hanging indent. */
#define DEFAULT_WIDTH 80
#define MIN_WIDTH     40
#define MAX_WIDTH     1000
#define MIN_TITLE     10

typedef struct {
    FILE *out;
    bool color;
    bool verbose;
    size_t width;   /* no line is wider */
    size_t title_w; /* the title column of check lines (section titles have 8 more) */
    size_t fix_w;   /* the title column of the fix list */
    /* The columns of the labels, as wide as the widest in the language of the messages (the
     * English widths at least): a translated label is padded by its display width. */
    size_t status_w; /* the status column: "PASS", "N/A " */
    size_t indent;   /* where a check's title starts: "    PASS  " (10 in English) */
    size_t sev_w;    /* the severity column of the fix list: "critical" */
    size_t key_w;    /* the labels of the scores block: "by audience  " (13 in English) */
    size_t cmp_w;    /* the words of the baseline comparison: "now passes  " (12 in English) */
    bool nomem;      /* a line could not be built: the report is not whole */
    ms_buf part;     /* scratch: a part of a string (add_text_n, figure_width) */
    ms_buf clean;    /* scratch: a string cleaned for the terminal (add_cols, clean_width) */
    const ms_report_history *history; /* the earlier runs of the series, or NULL */
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

/* The bytes of the unit at s (len bytes left): one of our colour escapes ("\033[...m", no
 * columns) or one character; its columns in *w. */
static size_t unit_at(const char *s, size_t len, size_t *w)
{
    long cp;
    if (len >= 2 && s[0] == '\033' && s[1] == '[') {
        size_t n = 2;
        while (n < len && s[n] != 'm')
            n++;
        *w = 0;
        return n < len ? n + 1 : n;
    }
    size_t n = ms_utf8_decode(s, len, &cp);
    *w = ms_display_width_n(s, n);
    return n;
}

/* The columns of the len bytes at s, colour escapes counting none. */
static size_t vis_width(const char *s, size_t len)
{
    size_t w = 0, cw;
    for (size_t i = 0; i < len;) {
        i += unit_at(s + i, len - i, &cw);
        w += cw;
    }
    return w;
}

static void spaces(FILE *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fputc(' ', out);
}

/* Write the line s (text already cleaned, with our colour escapes) wrapped at spaces to the
 * width: a continuation line starts with hang spaces; a word wider than a line is broken between
 * characters. Runs of spaces inside a line are kept, trailing ones dropped. */
static void emit(pen *p, const char *s, size_t hang)
{
    FILE *out = p->out;
    size_t len = strlen(s), i = 0, col = 0, cw;
    bool any = false; /* a word is on the current line */
    while (i < len) {
        size_t sp = i;
        while (i < len && s[i] == ' ')
            i++;
        size_t nsp = i - sp, w0 = i;
        while (i < len && s[i] != ' ')
            i++;
        if (i == w0)
            break; /* trailing spaces */
        size_t ww = vis_width(s + w0, i - w0);
        if (any && col + nsp + ww > p->width) {
            fputc('\n', out);
            spaces(out, hang);
            col = hang;
            nsp = 0;
        }
        if (col + nsp >= p->width)
            nsp = 0;
        spaces(out, nsp);
        col += nsp;
        if (col + ww <= p->width) {
            fwrite(s + w0, 1, i - w0, out);
            col += ww;
        } else {
            for (size_t j = w0; j < i;) { /* too wide for any line: cut between characters */
                size_t n = unit_at(s + j, i - j, &cw);
                if (col + cw > p->width && col > hang) {
                    fputc('\n', out);
                    spaces(out, hang);
                    col = hang;
                }
                fwrite(s + j, 1, n, out);
                col += cw;
                j += n;
            }
        }
        any = true;
    }
    fputc('\n', out);
}

/* Start b again, noting first when something could not be added to it. */
static void reset(pen *p, ms_buf *b)
{
    if (b->failed)
        p->nomem = true;
    ms_buf_reset(b);
}

/* Emit the line built in b (and start b again); a line that could not be built is noted. */
static void emit_buf(pen *p, ms_buf *b, size_t hang)
{
    emit(p, ms_buf_str(b), hang);
    reset(p, b);
}

/* Append user or network text (a title, an owner, evidence) cleaned for the terminal: one line,
 * no control characters, valid UTF-8 (the shared ms_buf_add_clean). */
static void add_text(ms_buf *b, const char *s)
{
    ms_buf_add_clean(b, s ? s : "");
}

/* The same for the first n bytes of s. */
static void add_text_n(pen *p, ms_buf *b, const char *s, size_t n)
{
    reset(p, &p->part);
    if (ms_buf_add(&p->part, s, n) != MS_OK)
        b->failed = true;
    add_text(b, ms_buf_str(&p->part));
}

/* Append raw cleaned, padded (or cut with an ellipsis on a character boundary) to exactly cols
 * terminal columns. */
static void add_cols(pen *p, ms_buf *b, const char *raw, size_t cols)
{
    reset(p, &p->clean);
    if (ms_buf_add_clean(&p->clean, raw ? raw : "") != MS_OK)
        b->failed = true;
    const char *s = ms_buf_str(&p->clean);
    size_t w = ms_display_width(s);
    if (w > cols) {
        size_t n = ms_prefix_for_width(s, cols - 1);
        ms_buf_add(b, s, n);
        ms_buf_adds(b, "\xE2\x80\xA6"); /* an ellipsis, one column */
        w = ms_display_width_n(s, n) + 1;
    } else {
        ms_buf_adds(b, s);
    }
    for (; w < cols; w++)
        ms_buf_addc(b, ' ');
}

/* Append the label s (our own text, a translated message) padded with spaces to cols columns of
 * the terminal (by display width, not bytes: "KHÔNG ĐẠT" is 9 columns and 12 bytes). */
static void add_label(ms_buf *b, const char *s, size_t cols)
{
    ms_buf_adds(b, s);
    for (size_t w = ms_display_width(s); w < cols; w++)
        ms_buf_addc(b, ' ');
}

/* The widest of n labels, never narrower than least. */
static size_t widest(const char *const *labels, size_t n, size_t least)
{
    for (size_t i = 0; i < n; i++) {
        size_t w = ms_display_width(labels[i]);
        least = w > least ? w : least;
    }
    return least;
}

/* The columns raw takes once cleaned for the terminal. */
static size_t clean_width(pen *p, const char *raw)
{
    reset(p, &p->clean);
    if (ms_buf_add_clean(&p->clean, raw ? raw : "") != MS_OK)
        p->nomem = true;
    size_t w = ms_display_width(ms_buf_str(&p->clean));
    return w;
}

/* A check's detail for its report line: the measured statistic against the budget, or the
 * answer. The first *fig bytes are the figure, which stays on the check's line; the rest may go
 * to lines of its own. */
static void detail_of(const ms_run_check *ck, ms_buf *out, size_t *fig)
{
    const ms_run_check *r = ck;
    char v[32], b[32];
    if (ck->critical && ck->status == MS_ST_FAIL)
        /* TRANSLATORS: before the evidence of a critical check that failed */
        ms_buf_adds(out, _("[critical] "));
    if (ck->kind != MS_KIND_HTTP || r->status == MS_ST_NOT_RUN || !r->has_score) {
        const char *ev = r->evidence ? r->evidence : "";
        const char *colon = strstr(ev, ": ");
        ms_buf_adds(out, ev);
        *fig = out->len - strlen(ev) + (colon ? (size_t)(colon - ev) : strlen(ev));
        if (ck->answer.stale && ck->answer.age_days >= 0)
            ms_buf_printf(out,
                          ngettext(" (answered %lld day before the run)",
                                   " (answered %lld days before the run)",
                                   (unsigned long)ck->answer.age_days),
                          (long long)ck->answer.age_days);
        else if (ck->answer.stale)
            ms_buf_adds(out, _(" (answered more than a week ago)"));
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
        /* TRANSLATORS: samples of an http check: "3/5 failed" */
        ms_buf_printf(out, _("%d/%d failed"), failed, r->nsamples);
        *fig = out->len;
        ms_buf_printf(out, ": %s", err ? err : "?");
        return;
    }
    int p = r->judged_phase >= 0 ? r->judged_phase : MS_PH_TOTAL;
    ms_format_ms(ms_run_stat(r, p, ck->stat), v, sizeof v);
    if (ck->budget_us[p] > 0) {
        ms_format_ms(ck->budget_us[p], b, sizeof b);
        /* TRANSLATORS: a check's figure: statistic, phase, the value and the budget in ms,
         * "median total 12.3 ms / 200 ms" */
        ms_buf_printf(out, _("%s %s %s ms / %s ms"), ms_stat_label(ck->stat),
                      ms_phase_label((ms_phase)p), v, b);
    } else {
        /* TRANSLATORS: a check's figure without a budget: "median total 12.3 ms" */
        ms_buf_printf(out, _("%s %s %s ms"), ms_stat_label(ck->stat), ms_phase_label((ms_phase)p),
                      v);
    }
    if (failed)
        ms_buf_printf(out, _(", %d/%d failed"), failed, r->nsamples);
    *fig = out->len;
    if (failed)
        ms_buf_printf(out, ": %s", err ? err : "?");
    if (ck->body_cut_held)
        /* TRANSLATORS: after a check's figure; keep body_not_contains (a checklist field) */
        ms_buf_adds(out, _(" (body_not_contains: only the first 8 MiB were examined)"));
}

/* The columns of the figure of the detail in d (fig bytes of it), cleaned as it is shown. */
static size_t figure_width(pen *p, const ms_buf *d, size_t fig)
{
    reset(p, &p->clean);
    add_text_n(p, &p->clean, ms_buf_str(d), fig);
    if (p->clean.failed)
        p->nomem = true;
    size_t w = ms_display_width(ms_buf_str(&p->clean));
    return w;
}

static const char *status_label(const ms_run_check *ck)
{
    return ms_status_label(ck->status <= MS_ST_NOT_RUN ? ck->status : MS_ST_NOT_RUN);
}

static const char *status_color(const ms_run_check *ck)
{
    switch ((ms_check_status)ck->status) {
    case MS_ST_PASS:
        return GREEN;
    case MS_ST_FAIL:
        return RED;
    default:
        return DIM;
    }
}

static void add_score(ms_buf *b, bool has, double v)
{
    if (has)
        ms_buf_printf(b, "%5.1f", v);
    else
        ms_buf_adds(b, "    -");
}

static void section_tail(ms_buf *b, const ms_run_section *sec)
{
    char score[16];
    if (sec->has_score)
        snprintf(score, sizeof score, "%5.1f", sec->score);
    else
        snprintf(score, sizeof score, "    -");
    /* TRANSLATORS: after a section's title: its score (0-100, 5 columns) and how many of its
     * applicable checks were answered or measured, "score  80.0  coverage 4/5" */
    ms_buf_printf(b, _("score %s  coverage %zu/%zu"), score, sec->answered, sec->applicable);
}

/* The title columns: as wide as the widest title, but leaving room for the widest figure (and
 * section score) on the same line; never narrower than a third of the line. */
static void measure(pen *p, const ms_run *run)
{
    size_t fig_w = 0, title_w = 1, fix_w = 1, pts_w = 0;
    ms_buf d;
    ms_buf_init(&d, 0);
    for (size_t l = 0; l < run->nlists; l++) {
        for (size_t s = 0; s < run->lists[l].nsections; s++) {
            const ms_run_section *sec = &run->lists[l].sections[s];
            size_t w;
            if (!sec->n)
                continue;
            section_tail(&d, sec);
            w = vis_width(ms_buf_str(&d), d.len);
            fig_w = w > fig_w ? w : fig_w;
            reset(p, &d);
            w = clean_width(p, sec->title);
            title_w = w > title_w + p->indent - 2 ? w - (p->indent - 2) : title_w;
        }
    }
    for (size_t k = 0; k < run->nchecks; k++) {
        const ms_run_check *ck = run->checks[k];
        size_t fig = 0, w = clean_width(p, ck->title ? ck->title : ck->id);
        detail_of(ck, &d, &fig);
        size_t fw = figure_width(p, &d, fig);
        reset(p, &d);
        fig_w = fw > fig_w ? fw : fig_w;
        title_w = w > title_w ? w : title_w;
    }
    for (size_t i = 0; i < run->nfixes + run->nbetter; i++) {
        const ms_run_fix *f = i < run->nfixes ? &run->fixes[i] : &run->better[i - run->nfixes];
        size_t w = clean_width(p, f->title ? f->title : run->checks[f->check]->id);
        ms_buf_printf(&d, _("+%.1f points"), f->impact);
        size_t pw = vis_width(ms_buf_str(&d), d.len);
        pts_w = pw > pts_w ? pw : pts_w;
        reset(p, &d);
        fix_w = w > fix_w ? w : fix_w;
    }
    if (d.failed)
        p->nomem = true;
    ms_buf_cleanup(&d);
    size_t third = (p->width - p->indent) / 3;
    size_t room = p->width - p->indent - 2;
    room = fig_w + third < room ? room - fig_w : third;
    p->title_w = title_w < room ? title_w : room;
    /* "  NN. severity  " before the title, "  +N.N points" after it */
    size_t most = run->nfixes > run->nbetter ? run->nfixes : run->nbetter;
    size_t before = 2 + (most >= 100 ? 5 : 3) + 1 + p->sev_w + 2;
    room = p->width - before - 2;
    room = pts_w + third < room ? room - pts_w : third;
    p->fix_w = fix_w < room ? fix_w : room;
    p->title_w = p->title_w < MIN_TITLE ? MIN_TITLE : p->title_w;
    p->fix_w = p->fix_w < MIN_TITLE ? MIN_TITLE : p->fix_w;
}

/* -v: the phases of an http check as a waterfall to one scale (the check's statistic of each
 * phase, the budgets marked with '|'), then every sample with its phases, and the statistic. */
static void waterfall(pen *p, const ms_run_check *ck, ms_buf *line)
{
    static const char MARK[] = "dctsx"; /* dns, connect, tls, server, transfer */
    char v[32];
    int64_t ph[5], start[MS_PH_COUNT] = {0}, sum = 0, full = 0;
    const char *sep = ": ";
    if (ms_run_stats(ck, MS_PH_TOTAL).n == 0) {
        ms_buf_printf(line, "%*s%s", (int)p->indent, "", _("no waterfall: every sample failed"));
        emit_buf(p, line, p->indent);
        return;
    }
    ms_buf_printf(line, "%*s", (int)p->indent, "");
    /* TRANSLATORS: the legend of the waterfall; %s is the statistic (median, p95, ...). Keep the
     * letters d, c, t, s, x: they draw the bars */
    ms_buf_printf(line, _("waterfall of the %s: d=dns c=connect t=tls s=server x=transfer"),
                  ms_stat_label(ck->stat));
    emit_buf(p, line, p->indent + 2);
    for (int k = 0; k < 5; k++) {
        ph[k] = ms_run_stat(ck, k, ck->stat);
        start[k] = sum;
        sum += ph[k];
    }
    full = sum;
    ms_buf_printf(line, "%*s%s", (int)p->indent, "", _("budgets (|)"));
    for (int k = 0; k < MS_PH_REDIRECT; k++) {
        if (ck->budget_us[k] <= 0)
            continue;
        int64_t at = (k < 5 ? start[k] : 0) + ck->budget_us[k];
        full = at > full ? at : full;
        ms_format_ms(ck->budget_us[k], v, sizeof v);
        ms_buf_adds(line, sep);
        ms_buf_printf(line, _("%s %s ms"), ms_phase_label((ms_phase)k), v);
        sep = ", ";
    }
    full = full > 0 ? full : 1;
    ms_format_ms(full, v, sizeof v);
    size_t label = strlen(v) + 3; /* " ms" */
    size_t bar = p->width - p->indent - 3 - label;
    char cells[MAX_WIDTH];
    memset(cells, ' ', bar);
    int64_t at = 0;
    for (int k = 0; k < 5; k++) {
        size_t a = (size_t)((double)at * (double)bar / (double)full + 0.5);
        at += ph[k];
        size_t b = (size_t)((double)at * (double)bar / (double)full + 0.5);
        for (size_t c = a; c < b && c < bar; c++)
            cells[c] = MARK[k];
    }
    for (int k = 0; k < MS_PH_REDIRECT; k++) {
        if (ck->budget_us[k] <= 0)
            continue;
        int64_t end = (k < 5 ? start[k] : 0) + ck->budget_us[k];
        size_t c = (size_t)((double)end * (double)bar / (double)full + 0.5);
        cells[c >= bar ? bar - 1 : c] = '|';
    }
    ms_buf printed;
    ms_buf_init(&printed, 0);
    ms_buf_printf(&printed, "%*s[%.*s] %s ms", (int)p->indent, "", (int)bar, cells, v);
    emit_buf(p, &printed, p->indent);
    ms_buf_cleanup(&printed);
    if (!strcmp(sep, ", "))
        emit_buf(p, line, p->indent + 2);
    else
        reset(p, line);
}

static const ms_phase COLS[] = {MS_PH_DNS,    MS_PH_CONNECT,  MS_PH_TLS,
                                MS_PH_SERVER, MS_PH_TRANSFER, MS_PH_TOTAL};

/* Append the label s right-aligned in cols columns (by display width). */
static void add_label_right(ms_buf *b, const char *s, size_t cols)
{
    for (size_t w = ms_display_width(s); w < cols; w++)
        ms_buf_addc(b, ' ');
    ms_buf_adds(b, s);
}

/* -v: every sample of an http check, one a line under a header, then the statistic. The columns
 * are as wide as their (translated) headers, 8 at least. */
static void samples(pen *p, const ms_run_check *ck, ms_buf *line)
{
    char v[32], n[16];
    size_t cw[sizeof COLS / sizeof COLS[0]];
    /* TRANSLATORS: the headers of the samples' table: a sample's result (ok or failed) and its
     * HTTP status (3 columns at most) */
    const char *result = _("result"), *st = _("st"), *ok = _("ok"), *bad = _("failed");
    const char *words[] = {result, ok, bad};
    size_t res_w = widest(words, 3, 6), stat_w = ms_display_width(ms_stat_label(ck->stat));
    ms_buf_printf(line, "%*s  #  ", (int)p->indent, "");
    add_label(line, result, res_w);
    ms_buf_addc(line, ' ');
    add_label_right(line, st, 3);
    for (size_t c = 0; c < sizeof COLS / sizeof COLS[0]; c++) {
        const char *label = ms_phase_label(COLS[c]);
        cw[c] = widest(&label, 1, 8);
        ms_buf_addc(line, ' ');
        add_label_right(line, label, cw[c]);
    }
    emit_buf(p, line, p->indent);
    for (int i = 0; i < ck->nsamples; i++) {
        const ms_sample *s = &ck->samples[i];
        ms_buf_printf(line, "%*s%3d  ", (int)p->indent, "", i + 1);
        add_label(line, s->failed ? bad : ok, res_w);
        ms_buf_addc(line, ' ');
        if (s->status > 0)
            ms_buf_printf(line, "%3d", s->status);
        else
            ms_buf_adds(line, "  -");
        for (size_t c = 0; c < sizeof COLS / sizeof COLS[0] && s->completed; c++) {
            ms_format_ms(s->ph[COLS[c]], v, sizeof v);
            ms_buf_printf(line, " %*s", (int)cw[c], v);
        }
        if (!s->completed) {
            ms_buf_adds(line, "  ");
            ms_buf_adds(line, _("no timings: the transfer broke off"));
        }
        emit_buf(p, line, p->indent + 5);
        if (s->failed) {
            /* TRANSLATORS: before a failed sample's error */
            const char *label = _("failed: ");
            ms_buf_printf(line, "%*s%s", (int)p->indent + 5, "", label);
            add_text(line, s->error ? s->error : "?");
            emit_buf(p, line, p->indent + 5 + ms_display_width(label));
        }
    }
    if (ms_run_stats(ck, MS_PH_TOTAL).n == 0)
        return;
    /* the statistic and its n under "  #  result  st" */
    snprintf(n, sizeof n, "n=%d", ms_run_stats(ck, MS_PH_TOTAL).n);
    ms_buf_printf(line, "%*s%s ", (int)p->indent, "", ms_stat_label(ck->stat));
    add_label(line, n, res_w + 8 > stat_w ? res_w + 8 - stat_w : 0);
    for (size_t c = 0; c < sizeof COLS / sizeof COLS[0]; c++) {
        ms_format_ms(ms_run_stat(ck, COLS[c], ck->stat), v, sizeof v);
        ms_buf_printf(line, " %*s", (int)cw[c], v);
    }
    emit_buf(p, line, p->indent + 5);
}

static void section_lines(pen *p, const ms_run *run, const ms_run_section *sec)
{
    ms_buf line, detail, head;
    if (!sec->n)
        return;
    ms_buf_init(&line, 0);
    ms_buf_init(&head, 0);
    ms_buf_init(&detail, 0);
    fputc('\n', p->out);
    ms_buf_printf(&line, "  %s", col(p, BOLD));
    add_cols(p, &line, sec->title ? sec->title : "", p->title_w + p->indent - 2);
    ms_buf_printf(&line, "%s  ", col(p, RESET));
    section_tail(&line, sec);
    emit_buf(p, &line, p->indent);
    for (size_t k = sec->first; k < sec->first + sec->n; k++) {
        const ms_run_check *ck = run->checks[k];
        size_t fig = 0;
        ms_buf_printf(&head, "    %s", col(p, status_color(ck)));
        add_label(&head, status_label(ck), p->status_w);
        ms_buf_printf(&head, "%s  ", col(p, RESET));
        add_cols(p, &head, ck->title ? ck->title : ck->id, p->title_w);
        ms_buf_adds(&head, "  ");
        detail_of(ck, &detail, &fig);
        ms_buf_adds(&line, ms_buf_str(&head));
        add_text(&line, ms_buf_str(&detail));
        if (vis_width(ms_buf_str(&line), line.len) <= p->width) {
            emit_buf(p, &line, p->indent);
        } else {
            /* The figure on the check's line, the rest (an error, a note) below it. */
            const char *rest = ms_buf_str(&detail) + fig;
            reset(p, &line);
            ms_buf_adds(&line, ms_buf_str(&head));
            add_text_n(p, &line, ms_buf_str(&detail), fig);
            emit_buf(p, &line, p->indent);
            rest += strspn(rest, ":, ");
            if (*rest) {
                ms_buf_printf(&line, "%*s", (int)p->indent, "");
                add_text(&line, rest);
                emit_buf(p, &line, p->indent);
            }
        }
        reset(p, &head);
        reset(p, &detail);
        if (p->verbose && ck->kind == MS_KIND_HTTP && ck->nsamples > 0) {
            waterfall(p, ck, &line);
            samples(p, ck, &line);
        }
    }
    if (detail.failed)
        p->nomem = true;
    ms_buf_cleanup(&detail);
    ms_buf_cleanup(&head);
    ms_buf_cleanup(&line);
}

/* "failing since 09:05, 14 runs" for the failed check (an index into run->checks), from the
 * history: the start of the first run of its streak as that run recorded it (the local time of the
 * machine that ran it), HH:MM when on this run's date, else the date. */
static void failing_since(pen *p, ms_buf *b, const ms_run *run, size_t check)
{
    const ms_report_history *h = p->history;
    const ms_report_streak *st = h && check < h->nstreaks ? &h->streaks[check] : NULL;
    if (!st || st->runs == 0)
        return;
    if (st->runs <= 1) {
        ms_buf_adds(b, "      ");
        ms_buf_adds(b, _("failing since this run (it did not fail in the one before)"));
    } else {
        const char *since = st->since ? st->since : "";
        bool today =
            run->started_at && strlen(since) >= 16 && strncmp(since, run->started_at, 10) == 0;
        size_t runs = st->runs - st->more;
        ms_buf when;
        ms_buf_init(&when, 0);
        add_text_n(p, &when, today ? since + 11 : since,
                   today                ? 5
                   : strlen(since) < 10 ? strlen(since)
                                        : 10);
        ms_buf_adds(b, "      ");
        /* TRANSLATORS: %s is a time (09:05) or a date (2026-11-20), then the number of runs */
        if (st->more)
            ms_buf_printf(b,
                          ngettext("failing since before %s, more than %zu run",
                                   "failing since before %s, more than %zu runs", runs),
                          ms_buf_str(&when), runs);
        else
            ms_buf_printf(b,
                          ngettext("failing since %s, %zu run", "failing since %s, %zu runs", runs),
                          ms_buf_str(&when), runs);
        if (when.failed)
            p->nomem = true;
        ms_buf_cleanup(&when);
    }
    emit_buf(p, b, 8);
}

/* "  trend        91.50 ▇▇█▅▃▁▁▁ 42.00 (the last 8 runs)": the trend of the series' overall score,
 * scaled from its lowest to its highest value, a dot for a run without one (as history --check). */
static void trend(pen *p)
{
    const ms_report_history *h = p->history;
    ms_buf b;
    if (!h || h->noverall < 2)
        return;
    ms_buf_init(&b, 0);
    ms_buf_adds(&b, "  ");
    add_label(&b, _("trend"), p->key_w);
    if (h->has_overall[0])
        ms_buf_printf(&b, "%.2f ", h->overall[0]);
    else
        ms_buf_adds(&b, "- ");
    ms_buf_add_sparkline(&b, h->overall, h->has_overall, h->noverall);
    if (h->has_overall[h->noverall - 1])
        ms_buf_printf(&b, " %.2f", h->overall[h->noverall - 1]);
    else
        ms_buf_adds(&b, " -");
    ms_buf_printf(&b, ngettext(" (the last %zu run)", " (the last %zu runs)", h->noverall),
                  h->noverall);
    emit_buf(p, &b, 2 + p->key_w);
    ms_buf_cleanup(&b);
}

/* "  LABEL" of the scores block, the label padded to the block's key column. */
static void key(pen *p, ms_buf *b, const char *label)
{
    ms_buf_adds(b, "  ");
    add_label(b, label, p->key_w);
}

static void scores(pen *p, const ms_run *run)
{
    const ms_scores *s = &run->scores;
    ms_buf b;
    ms_buf_init(&b, 0);
    fputc('\n', p->out);
    ms_buf_printf(&b, "%s%s%s %s", col(p, BOLD), _("Scores"), col(p, RESET),
                  _("(0-100; overall weights product x3, people x2, convenience x1)"));
    emit_buf(p, &b, 2);
    key(p, &b, _("overall"));
    if (s->has_overall) /* two decimals: the figure the gate compares and the verdict shows */
        ms_buf_printf(&b, "%6.2f", s->overall);
    else
        ms_buf_adds(&b, "     -");
    emit_buf(p, &b, 2 + p->key_w);
    key(p, &b, _("by factor"));
    for (int f = 0; f < MS_FACTOR_COUNT; f++) {
        ms_buf_printf(&b, "%s%s ", f ? "   " : "", ms_factor_label((ms_factor)f));
        add_score(&b, s->has_factor[f], s->factor[f]);
    }
    emit_buf(p, &b, 2 + p->key_w);
    key(p, &b, _("by audience"));
    for (int a = 0; a < MS_AUD_COUNT; a++) {
        ms_buf_printf(&b, "%s%s ", a ? "  " : "", ms_audience_label((ms_audience)a));
        add_score(&b, s->has_audience[a], s->audience[a]);
    }
    emit_buf(p, &b, 2 + p->key_w);
    key(p, &b, _("checks"));
    /* TRANSLATORS: the counts of the run's checks by their outcome */
    if (s->not_run)
        ms_buf_printf(&b,
                      _("%zu passed, %zu failed (%zu critical), %zu n/a, %zu unanswered, %zu not "
                        "run"),
                      s->passed, s->failed, s->critical_failed, s->na, s->unanswered, s->not_run);
    else
        ms_buf_printf(&b, _("%zu passed, %zu failed (%zu critical), %zu n/a, %zu unanswered"),
                      s->passed, s->failed, s->critical_failed, s->na, s->unanswered);
    emit_buf(p, &b, 2 + p->key_w);
    ms_buf_cleanup(&b);
    trend(p);
}

/* One compared phase: "total 20.1 ms -> 40.3 ms, +100%, p = 0.004" (and "slower" when it is a
 * regression and all is not), in b. */
static void cmp_phase(ms_buf *b, const ms_cmp_phase *ph, bool all)
{
    const ms_regression *r = &ph->r;
    char from[32], to[32];
    ms_format_ms(r->base_median_us, from, sizeof from);
    ms_format_ms(r->new_median_us, to, sizeof to);
    /* TRANSLATORS: a phase's median in the baseline and now, "total 20.1 ms -> 40.3 ms" */
    ms_buf_printf(b, _("%s %s ms -> %s ms"), ms_phase_label(ph->phase), from, to);
    if (!isnan(r->delta_pct))
        ms_buf_printf(b, ", %+.0f%%", r->delta_pct);
    if (r->n_base == 0 || r->n_new == 0)
        ms_buf_adds(b, _(", no samples on a side"));
    else if (r->thresholds_only || isnan(r->p))
        ms_buf_adds(b, _(", thresholds only"));
    else if (r->p < 0.001)
        ms_buf_adds(b, ", p < 0.001");
    else
        ms_buf_printf(b, ", p = %.2g", r->p);
    if (all && r->regressed)
        ms_buf_adds(b, _(": slower"));
}

/* The words of cmp_head, translated: their column is as wide as the widest (12 in English). */
#define CMP_SLOWER   N_("slower")
#define CMP_FAILS    N_("now fails")
#define CMP_PASSES   N_("now passes")
#define CMP_COMPARED N_("compared")

/* "  WORD  TITLE" of a compared check, the word padded to the words' column. */
static void cmp_head(pen *p, ms_buf *b, const char *word, const char *color, const ms_cmp_check *cc)
{
    ms_buf_printf(b, "  %s", col(p, color));
    add_label(b, _(word), p->cmp_w);
    ms_buf_adds(b, col(p, RESET));
    add_text(b, cc->title ? cc->title : cc->id);
    ms_buf_adds(b, " (");
    add_text(b, cc->id);
    ms_buf_adds(b, ")");
}

/* A score on both sides: "80.00 -> 72.50 (-7.50)", or a side's dash. */
static void cmp_score(ms_buf *b, const char *name, const ms_cmp_score *sc)
{
    ms_buf_printf(b, "%s ", name);
    add_score(b, sc->has_base, sc->base);
    ms_buf_adds(b, " -> ");
    add_score(b, sc->has_new, sc->new_);
    if (sc->has_base && sc->has_new && fabs(sc->new_ - sc->base) >= 0.05)
        ms_buf_printf(b, " (%+.1f)", sc->new_ - sc->base);
}

/* run --baseline: "Compared with REF (started ..., label ...)": the regressions first (each
 * regressed phase), the checks that started or stopped failing, the score changes, the checks
 * on one side only; -v: every compared phase of every check. */
/* Whether a regressed check of c was judged by the thresholds alone (too few samples). */
static bool thresholds_only(const ms_comparison *c)
{
    for (size_t i = 0; i < c->nchecks; i++)
        if (c->checks[i].regressed && c->checks[i].thresholds_only)
            return true;
    return false;
}

static void baseline_lines(pen *p, const ms_run *run)
{
    const ms_run_baseline *base = run->baseline;
    const ms_comparison *c = &base->cmp;
    ms_buf b;
    ms_buf_init(&b, 0);
    fputc('\n', p->out);
    ms_buf what, when;
    ms_buf_init(&what, 0);
    ms_buf_init(&when, 0);
    add_text(&what, base->ref ? base->ref : _("the baseline"));
    add_text(&when, base->started_at ? base->started_at : "?");
    ms_buf_adds(&b, col(p, BOLD));
    /* TRANSLATORS: %s is the baseline run's reference (@last, a file) */
    ms_buf_printf(&b, _("Compared with %s"), ms_buf_str(&what));
    ms_buf_printf(&b, "%s ", col(p, RESET));
    if (base->label) {
        reset(p, &what);
        add_text(&what, base->label);
        /* TRANSLATORS: the baseline's start time and its label */
        ms_buf_printf(&b, _("(started %s, label %s)"), ms_buf_str(&when), ms_buf_str(&what));
    } else {
        ms_buf_printf(&b, _("(started %s)"), ms_buf_str(&when));
    }
    if (what.failed || when.failed)
        p->nomem = true;
    ms_buf_cleanup(&what);
    ms_buf_cleanup(&when);
    emit_buf(p, &b, 2);
    ms_buf_adds(&b, "  ");
    if (c->nregressed == 0)
        ms_buf_printf(&b, _("no check got slower (by more than %.15g%% and %.15g ms, p < %.2g)"),
                      100 * c->limits.max_slowdown, (double)c->limits.min_slowdown_us / 1000,
                      MS_MWU_ALPHA);
    else if (thresholds_only(c))
        ms_buf_printf(&b,
                      ngettext("%zu check got slower (by more than %.15g%% and %.15g ms, p < 0.05 "
                               "where the samples allow a test):",
                               "%zu checks got slower (by more than %.15g%% and %.15g ms, p < 0.05 "
                               "where the samples allow a test):",
                               c->nregressed),
                      c->nregressed, 100 * c->limits.max_slowdown,
                      (double)c->limits.min_slowdown_us / 1000);
    else
        ms_buf_printf(
            &b,
            ngettext("%zu check got slower (by more than %.15g%% and %.15g ms, p < 0.05):",
                     "%zu checks got slower (by more than %.15g%% and %.15g ms, p < 0.05):",
                     c->nregressed),
            c->nregressed, 100 * c->limits.max_slowdown, (double)c->limits.min_slowdown_us / 1000);
    emit_buf(p, &b, 4);
    for (size_t i = 0; i < c->nchecks; i++) {
        const ms_cmp_check *cc = &c->checks[i];
        if (!cc->regressed)
            continue;
        cmp_head(p, &b, CMP_SLOWER, RED, cc);
        emit_buf(p, &b, 2 + p->cmp_w);
        for (size_t k = 0; k < cc->nphases; k++) {
            if (!cc->phases[k].r.regressed)
                continue;
            ms_buf_printf(&b, "%*s", (int)(2 + p->cmp_w), "");
            cmp_phase(&b, &cc->phases[k], false);
            emit_buf(p, &b, 4 + p->cmp_w);
        }
    }
    for (size_t i = 0; i < c->nchecks; i++) {
        const ms_cmp_check *cc = &c->checks[i];
        if (cc->started_failing || cc->stopped_failing) {
            cmp_head(p, &b, cc->started_failing ? CMP_FAILS : CMP_PASSES,
                     cc->started_failing ? RED : "", cc);
            emit_buf(p, &b, 2 + p->cmp_w);
        }
    }
    ms_buf_adds(&b, "  ");
    add_label(&b, _("scores"), p->cmp_w);
    cmp_score(&b, _("overall"), &c->overall);
    for (int f = 0; f < MS_FACTOR_COUNT; f++) {
        if (!c->factor[f].has_base && !c->factor[f].has_new)
            continue; /* scored on neither side */
        ms_buf_adds(&b, "; ");
        cmp_score(&b, ms_factor_label((ms_factor)f), &c->factor[f]);
    }
    emit_buf(p, &b, 2 + p->cmp_w);
    for (int side = MS_CMP_BASE_ONLY; side <= MS_CMP_NEW_ONLY; side++) {
        size_t n = side == MS_CMP_BASE_ONLY ? c->nbase_only : c->nnew_only, k = 0;
        if (!n)
            continue;
        ms_buf_printf(&b, "  %s: ",
                      side == MS_CMP_BASE_ONLY ? _("only in the baseline")
                                               : _("not in the baseline"));
        for (size_t i = 0; i < c->nchecks; i++)
            if (c->checks[i].side == (ms_cmp_side)side) {
                ms_buf_adds(&b, k++ ? ", " : "");
                add_text(&b, c->checks[i].id);
            }
        emit_buf(p, &b, 4);
    }
    for (size_t i = 0; p->verbose && i < c->nchecks; i++) {
        const ms_cmp_check *cc = &c->checks[i];
        if (cc->side != MS_CMP_BOTH || cc->nphases == 0)
            continue;
        cmp_head(p, &b, CMP_COMPARED, "", cc);
        emit_buf(p, &b, 2 + p->cmp_w);
        for (size_t k = 0; k < cc->nphases; k++) {
            ms_buf_printf(&b, "%*sn=%d/%d ", (int)(2 + p->cmp_w), "", cc->phases[k].r.n_base,
                          cc->phases[k].r.n_new);
            cmp_phase(&b, &cc->phases[k], true);
            emit_buf(p, &b, 4 + p->cmp_w);
        }
    }
    ms_buf_cleanup(&b);
}

/* "      LABEL TEXT" of a fix, wrapped under the text. */
static void labelled(pen *p, ms_buf *b, const char *label, const char *text)
{
    ms_buf_printf(b, "      %s", label);
    add_text(b, text);
    emit_buf(p, b, 6 + ms_display_width(label));
}

/* One entry of a fix list, a check's fix or a host fix naming the checks it took down, as
 * number rank of n. */
static void fix_entry(pen *p, ms_buf *b, const ms_run *run, const ms_run_fix *f, size_t rank,
                      size_t n)
{
    const char *sc = f->severity == MS_SEV_CRITICAL  ? RED
                     : f->severity == MS_SEV_SERIOUS ? YELLOW
                                                     : "";
    /* A check that passed has no severity (its label is "passed"): it never looks like a
     * failure. */
    const char *word = ms_severity_label(f->severity);
    ms_buf owner, ids;
    ms_buf_printf(b, "  %*zu. %s", n >= 100 ? 4 : 2, rank, col(p, sc));
    add_label(b, word, p->sev_w);
    ms_buf_printf(b, "%s  ", col(p, RESET));
    add_cols(p, b, f->title ? f->title : run->checks[f->check]->id, p->fix_w);
    ms_buf_adds(b, "  ");
    ms_buf_printf(b, _("+%.1f points"), f->impact);
    emit_buf(p, b, 6);
    ms_buf_init(&owner, 0);
    ms_buf_init(&ids, 0);
    add_text(&owner, f->owner ? f->owner : _("nobody named"));
    for (size_t k = 0; k < f->nchecks; k++) {
        if (k)
            ms_buf_adds(&ids, ", ");
        add_text(&ids, run->checks[f->checks[k]]->id);
    }
    ms_buf_adds(b, "      ");
    /* TRANSLATORS: a fix's factor and audience, its owner, its effort (s, m or l) and the ids of
     * the checks it fixes: "product, external; owner: web team; effort s; check home" */
    ms_buf_printf(b,
                  ngettext("%s, %s; owner: %s; effort %s; check %s",
                           "%s, %s; owner: %s; effort %s; checks %s", f->nchecks),
                  ms_factor_label(f->factor), ms_audience_label(f->audience), ms_buf_str(&owner),
                  ms_effort_label(f->effort), ms_buf_str(&ids));
    if (owner.failed || ids.failed)
        p->nomem = true;
    ms_buf_cleanup(&owner);
    ms_buf_cleanup(&ids);
    emit_buf(p, b, 8);
    labelled(p, b, _("evidence: "), f->evidence);
    if (f->fix)
        labelled(p, b, _("fix: "), f->fix);
    if (f->hint)
        labelled(p, b, _("hint: "), f->hint);
    if (f->severity != MS_SEV_NONE)
        failing_since(p, b, run, f->check);
}

static void fixes(pen *p, const ms_run *run)
{
    ms_buf b;
    ms_buf_init(&b, 0);
    fputc('\n', p->out);
    if (run->nfixes == 0 && run->nbetter == 0)
        ms_buf_printf(&b, "%s%s%s%s", col(p, BOLD), _("Fixes"), col(p, RESET),
                      run->scores.has_overall ? _(": none; every scored check is at its best.")
                                              : _(": none; nothing was scored."));
    else if (run->nfixes == 0)
        ms_buf_printf(&b, "%s%s%s%s", col(p, BOLD), _("Fixes"), col(p, RESET),
                      _(": none; every scored check passed."));
    else
        ms_buf_printf(&b, "%s%s%s", col(p, BOLD), _("Fixes, most important first"), col(p, RESET));
    emit_buf(p, &b, 2);
    for (size_t i = 0; i < run->nfixes; i++)
        fix_entry(p, &b, run, &run->fixes[i], i + 1, run->nfixes);
    /* Checks that passed but scored below 1: after the fixes, never among them. */
    if (run->nbetter) {
        fputc('\n', p->out);
        ms_buf_printf(&b, "%s%s%s %s", col(p, BOLD), _("Could be better"), col(p, RESET),
                      _("(these checks passed)"));
        emit_buf(p, &b, 2);
    }
    for (size_t i = 0; i < run->nbetter; i++)
        fix_entry(p, &b, run, &run->better[i], i + 1, run->nbetter);
    ms_buf_cleanup(&b);
}

/* "Verdict: WORD: every reason that applies", wrapped to the width. */
static void verdict_line(pen *p, const ms_run *run, ms_buf *b)
{
    const ms_verdict *v = &run->verdict;
    /* TRANSLATORS: %s is the verdict: PASS, FAIL, NO SCORE, ... */
    const char *head = _("Verdict: %s");
    ms_buf_adds(b, col(p, BOLD));
    ms_buf_printf(b, _("Verdict: %s"), ms_verdict_label(run));
    ms_buf_adds(b, col(p, RESET));
    for (size_t i = 0; i < v->nreasons; i++) {
        ms_buf_adds(b, i ? "; " : ": ");
        add_text(b, v->reasons[i].text);
    }
    if (!v->nreasons && !run->scores.has_overall)
        ms_buf_adds(b, _(": nothing could be scored (--fail-on none passes it)"));
    /* wrapped under the verdict's word: the columns of the heading before its %s */
    const char *word = strstr(head, "%s");
    emit_buf(p, b, word ? ms_display_width_n(head, (size_t)(word - head)) : 2);
}

/* The pen for out: its scratch buffers empty; free with pen_cleanup. */
static void pen_init(pen *p, FILE *out, const ms_report_style *style)
{
    *p =
        (pen){.out = out, .color = style->color, .verbose = style->verbose, .width = DEFAULT_WIDTH};
    p->history = style->history;
    {
        const char *st[] = {ms_status_label(MS_ST_PASS), ms_status_label(MS_ST_FAIL),
                            ms_status_label(MS_ST_NA), ms_status_label(MS_ST_UNANSWERED),
                            ms_status_label(MS_ST_NOT_RUN)};
        const char *sev[] = {ms_severity_label(MS_SEV_CRITICAL), ms_severity_label(MS_SEV_SERIOUS),
                             ms_severity_label(MS_SEV_MODERATE), ms_severity_label(MS_SEV_MINOR),
                             ms_severity_label(MS_SEV_NONE)};
        const char *keys[] = {_("overall"), _("by factor"), _("by audience"), _("checks"),
                              _("trend")};
        const char *cmp[] = {_(CMP_SLOWER), _(CMP_FAILS), _(CMP_PASSES), _(CMP_COMPARED),
                             _("scores")};
        p->status_w = widest(st, 5, 4);
        p->indent = 4 + p->status_w + 2;
        p->sev_w = widest(sev, 5, 8);
        p->key_w = widest(keys, 5, 11) + 2; /* two spaces after the widest key */
        p->cmp_w = widest(cmp, 5, 10) + 2;
    }
    ms_buf_init(&p->part, 0);
    ms_buf_init(&p->clean, 0);
    if (style->width > 0)
        p->width = style->width < MIN_WIDTH   ? MIN_WIDTH
                   : style->width > MAX_WIDTH ? MAX_WIDTH
                                              : (size_t)style->width;
}

static void pen_cleanup(pen *p)
{
    reset(p, &p->part);
    reset(p, &p->clean);
    ms_buf_cleanup(&p->part);
    ms_buf_cleanup(&p->clean);
}

ms_status ms_report_verdict(const ms_run *run, FILE *out, bool color, size_t nfixes)
{
    ms_report_style style = {.color = color};
    pen p;
    ms_buf b;
    pen_init(&p, out, &style);
    ms_buf_init(&b, 0);
    verdict_line(&p, run, &b);
    for (size_t i = 0; i < run->nfixes && i < nfixes; i++) {
        const ms_run_fix *f = &run->fixes[i];
        ms_buf_printf(&b, "  %zu. %s  ", i + 1, ms_severity_label(f->severity));
        add_text(&b, f->title ? f->title : run->checks[f->check]->id);
        ms_buf_adds(&b, ": ");
        add_text(&b, f->evidence);
        emit_buf(&p, &b, 5);
    }
    ms_buf_cleanup(&b);
    pen_cleanup(&p);
    if (ferror(out))
        return MS_ERR_IO;
    return p.nomem ? MS_ERR_NOMEM : MS_OK;
}

/* The network options of the run: each proxy the http checks went through (and for how many of
 * them, when not all), then what was asked of libcurl, one line each. */
static void network_lines(pen *p, const ms_run *run, ms_buf *b)
{
    const ms_run_net *n = &run->net;
    size_t nhttp = 0;
    for (size_t i = 0; i < run->nchecks; i++)
        nhttp += run->checks[i]->kind == MS_KIND_HTTP;
    for (size_t i = 0; i < n->nproxies; i++) {
        ms_buf url, from;
        ms_buf_init(&url, 0);
        ms_buf_init(&from, 0);
        add_text(&url, n->proxies[i].url);
        add_text(&from, n->proxies[i].from);
        /* TRANSLATORS: a proxy's URL and where it was set (--proxy, HTTPS_PROXY, ...) */
        if (n->proxies[i].nchecks != nhttp)
            ms_buf_printf(b,
                          ngettext("via proxy %s (from %s) for %zu of %zu http check",
                                   "via proxy %s (from %s) for %zu of %zu http checks", nhttp),
                          ms_buf_str(&url), ms_buf_str(&from), n->proxies[i].nchecks, nhttp);
        else
            ms_buf_printf(b, _("via proxy %s (from %s)"), ms_buf_str(&url), ms_buf_str(&from));
        if (url.failed || from.failed)
            p->nomem = true;
        ms_buf_cleanup(&url);
        ms_buf_cleanup(&from);
        emit_buf(p, b, 2);
    }
    if (!n->http_version && !n->nresolve && !n->nconnect_to && !n->client_cert)
        return;
    /* TRANSLATORS: before the libcurl options of the run (--http2, --resolve, ...) */
    const char *sep = _("network options: ");
    if (n->http_version) {
        ms_buf_printf(b, "%s--http", sep);
        add_text(b, n->http_version);
        sep = ", ";
    }
    for (size_t i = 0; i < n->nresolve; i++, sep = ", ") {
        ms_buf_printf(b, "%s--resolve ", sep);
        add_text(b, n->resolve[i]);
    }
    for (size_t i = 0; i < n->nconnect_to; i++, sep = ", ") {
        ms_buf_printf(b, "%s--connect-to ", sep);
        add_text(b, n->connect_to[i]);
    }
    if (n->client_cert) {
        ms_buf_printf(b, "%s--cert ", sep);
        add_text(b, n->client_cert);
    }
    emit_buf(p, b, 2);
}

ms_status ms_report_text(const ms_run *run, FILE *out, bool color)
{
    ms_report_style style = {.color = color};
    return ms_report_text_style(run, out, &style);
}

ms_status ms_report_text_style(const ms_run *run, FILE *out, const ms_report_style *style)
{
    pen p;
    ms_buf b;
    char dur[32];
    pen_init(&p, out, style);
    measure(&p, run);
    ms_buf_init(&b, 0);
    ms_format_duration(run->duration_us, dur, sizeof dur);
    ms_buf_printf(&b, "%smystery-shopper %s%s: %s", col(&p, BOLD),
                  run->tool_version ? run->tool_version : "?", col(&p, RESET),
                  _("the king's walk in disguise"));
    emit_buf(&p, &b, 2);
    /* The run's facts, "started TIME, took 2s, auditor NAME, label LABEL": one item each. */
    /* TRANSLATORS: "started TIME, took 2s, auditor NAME, label LABEL": each item is one message,
     * the time, auditor and label follow "started ", "auditor " and "label " */
    ms_buf_adds(&b, _("started "));
    add_text(&b, run->started_at);
    ms_buf_adds(&b, ", ");
    ms_buf_printf(&b, _("took %s"), dur);
    if (run->auditor) {
        ms_buf_adds(&b, ", ");
        ms_buf_adds(&b, _("auditor "));
        add_text(&b, run->auditor);
    }
    if (run->label) {
        ms_buf_adds(&b, ", ");
        ms_buf_adds(&b, _("label "));
        add_text(&b, run->label);
    }
    emit_buf(&p, &b, 2);
    network_lines(&p, run, &b);
    if (run->insecure) {
        ms_buf_printf(&b, "%s%s%s", col(&p, RED),
                      _("WARNING: TLS certificates were not verified (--insecure)"),
                      col(&p, RESET));
        emit_buf(&p, &b, 2);
    }
    if (run->interrupted) {
        ms_buf_printf(&b, "%s%s%s", col(&p, RED),
                      _("INTERRUPTED: the results below are what was measured before the stop"),
                      col(&p, RESET));
        emit_buf(&p, &b, 2);
    }
    for (size_t l = 0; l < run->nlists; l++) {
        const ms_run_list *cl = &run->lists[l];
        fputc('\n', out);
        ms_buf_adds(&b, col(&p, BOLD));
        add_text(&b, cl->title ? cl->title : cl->id);
        ms_buf_printf(&b, "%s  (", col(&p, RESET));
        add_text(&b, cl->path);
        ms_buf_adds(&b, ")");
        emit_buf(&p, &b, 2);
        for (size_t s = 0; s < cl->nsections; s++)
            section_lines(&p, run, &cl->sections[s]);
    }
    scores(&p, run);
    if (run->baseline)
        baseline_lines(&p, run);
    fixes(&p, run);
    fputc('\n', out);
    verdict_line(&p, run, &b);
    ms_buf_cleanup(&b);
    pen_cleanup(&p);
    if (ferror(out))
        return MS_ERR_IO;
    return p.nomem ? MS_ERR_NOMEM : MS_OK;
}
