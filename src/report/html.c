/* The HTML report (--html, docs/html-report.md): one self-contained page. Inline CSS only, a
 * Content-Security-Policy that lets the page fetch nothing, no JavaScript; readable in a narrow
 * window and printable on A4. Every text that came from a checklist, an answers file or a server
 * is escaped (ms_buf_add_xml: & < > " ' and the control characters); URLs are shown as text, never
 * as links. Pure: the same record gives the same bytes in one language of the messages (no clock,
 * no locale for numbers: LC_NUMERIC is "C"); the labels are in the language of the messages and
 * <html lang> names it. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms/buf.h"
#include "ms/compare.h"
#include "ms/i18n.h"
#include "ms/report.h"
#include "ms/stats.h"
#include "ms/util.h"

/* The five phases that follow one another in a sample: the stacked bars of the waterfall. */
#define NBARS 5

static const char *const BAR_CLASS[NBARS] = {"dns", "connect", "tls", "server", "transfer"};

/* The style sheet, in parts (C99 compilers need only take 4095 characters in one string). */
static const char *const CSS[] = {
    ":root{--fg:#1c2430;--muted:#5b6675;--line:#d5dbe3;--bg:#fff;--card:#f6f8fa;"
    "--pass:#1a7f37;--fail:#c62828;--na:#6e7781;--warn:#9a6700;"
    "--dns:#0e8a9e;--connect:#2f6fdb;--tls:#8250df;--server:#e07b00;--transfer:#2da44e}\n",
    "*{box-sizing:border-box}\n",
    "body{margin:0 auto;max-width:64rem;padding:1rem 1.25rem 3rem;color:var(--fg);"
    "background:var(--bg);font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",\"DejaVu Sans\","
    "\"Noto Sans\",sans-serif;overflow-wrap:anywhere}\n",
    "h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.3rem;margin:2rem 0 .6rem;"
    "border-bottom:2px solid var(--line);padding-bottom:.2rem}"
    "h3{font-size:1.1rem;margin:1.4rem 0 .5rem}h4{font-size:1rem;margin:0}\n",
    "p{margin:.3rem 0}.muted,.meta{color:var(--muted)}.meta{margin:0 0 1rem}\n",
    "code{font:.9em ui-monospace,\"DejaVu Sans Mono\",monospace;background:var(--card);"
    "padding:0 .2em;border-radius:3px}\n",
    "table{border-collapse:collapse;margin:.4rem 0}th,td{padding:.25rem .6rem;"
    "border-bottom:1px solid var(--line);text-align:left;vertical-align:top}"
    "thead th{font-size:.85rem;color:var(--muted);font-weight:600}\n",
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n",
    ".verdict{border:2px solid var(--fail);border-left-width:.6rem;border-radius:6px;"
    "padding:.7rem 1rem;margin:1rem 0;background:#fdf1f1}"
    ".verdict.pass{border-color:var(--pass);background:#effaf2}"
    ".verdict .word{font-size:1.5rem;font-weight:700}"
    ".verdict ul{margin:.3rem 0 0;padding-left:1.2rem}\n",
    ".warning{border-left:.4rem solid var(--warn);background:#fff8e5;padding:.4rem .8rem}\n",
    ".scores{display:flex;flex-wrap:wrap;gap:.5rem 2rem;align-items:flex-start}"
    ".scores>div{max-width:19rem}.scores table{margin:0}"
    "tbody.group{border-top:2px solid var(--line)}"
    ".overall{font-size:2.4rem;font-weight:700;line-height:1}"
    ".overall small{font-size:1rem;color:var(--muted);font-weight:400}\n",
    ".st{display:inline-block;min-width:4.6em;text-align:center;font-weight:700;"
    "font-size:.8rem;padding:.05rem .4rem;border-radius:3px;color:#fff;background:var(--na)}"
    ".st.pass{background:var(--pass)}.st.fail{background:var(--fail)}"
    ".st.critical{background:#8e1111}.st.serious{background:var(--fail)}"
    ".st.moderate{background:var(--warn)}.st.minor,.st.none{background:var(--na)}\n",
    "ol.fixes{list-style:none;padding:0;margin:0}"
    ".fix{border:1px solid var(--line);border-radius:6px;padding:.6rem .9rem;margin:.6rem 0;"
    "background:var(--card)}"
    ".fix .fh{display:flex;gap:.6rem;align-items:baseline;flex-wrap:wrap;font-size:1rem;"
    "margin:0}"
    ".fix .rank{color:var(--muted)}.fix .impact{margin-left:auto;font-weight:600}\n",
    ".facts{display:flex;flex-wrap:wrap;gap:.1rem 1.4rem;margin:.2rem 0 0}"
    ".facts .k,dl.kv dt{color:var(--muted)}.fix .fh a,.fix .fh a:visited{color:inherit}\n"
    "dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;margin:.4rem 0 0}"
    "dl.kv dt{color:var(--muted)}dl.kv dd{margin:0}\n",
    ".check{border:1px solid var(--line);border-left:.35rem solid var(--na);border-radius:6px;"
    "padding:.5rem .9rem;margin:.6rem 0}"
    ".check.pass{border-left-color:var(--pass)}.check.fail{border-left-color:var(--fail)}"
    ".check h4{display:flex;gap:.6rem;align-items:baseline;flex-wrap:wrap}"
    ".check .id{color:var(--muted);font-weight:400;font-size:.85rem}"
    ".title,code,.failbar{unicode-bidi:isolate}"
    ".figure{font-variant-numeric:tabular-nums}\n",
    "table.wf{width:100%;table-layout:fixed;font-size:.85rem}"
    "table.wf col.n{width:2.2rem}table.wf col.r{width:6.5rem}table.wf col.t{width:5.5rem}\n",
    ".track{position:relative;height:1.1rem;background:repeating-linear-gradient(90deg,"
    "transparent 0,transparent calc(25% - 1px),var(--line) calc(25% - 1px),var(--line) 25%);"
    "border-left:1px solid var(--muted)}\n",
    ".seg{position:absolute;top:.15rem;bottom:.15rem;min-width:1px}"
    ".seg.dns{background:var(--dns)}.seg.connect{background:var(--connect)}"
    ".seg.tls{background:var(--tls)}.seg.server{background:var(--server)}"
    ".seg.transfer{background:var(--transfer)}\n",
    ".budget{position:absolute;top:-.15rem;bottom:-.15rem;width:0;"
    "border-left:2px dashed var(--fail)}\n",
    ".failbar{position:absolute;inset:.1rem 0;background:repeating-linear-gradient(135deg,"
    "#fbe0e0 0,#fbe0e0 6px,#f3b8b8 6px,#f3b8b8 12px);border:1px solid var(--fail);"
    "color:var(--fail);font-weight:700;font-size:.75rem;line-height:.9rem;padding:0 .3rem;"
    "overflow:hidden;white-space:nowrap;text-overflow:ellipsis}\n",
    ".err{color:var(--fail);font-size:.8rem}\n",
    ".legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;font-size:.8rem;color:var(--muted);"
    "list-style:none;padding:0;margin:.3rem 0}"
    ".sw{display:inline-block;width:.8rem;height:.8rem;vertical-align:-.1rem;margin-right:.3rem}"
    ".sw.dns{background:var(--dns)}.sw.connect{background:var(--connect)}"
    ".sw.tls{background:var(--tls)}.sw.server{background:var(--server)}"
    ".sw.transfer{background:var(--transfer)}"
    ".sw.line{border-left:2px dashed var(--fail);width:.4rem;height:1rem}"
    ".sw.failed{background:#f3b8b8;border:1px solid var(--fail)}\n",
    "svg.spark{vertical-align:middle;stroke:var(--connect);stroke-width:1.5;fill:none}"
    "svg.spark circle{fill:var(--connect);stroke:none}\n",
    "footer{margin-top:2.5rem;color:var(--muted);font-size:.8rem}\n",
    "@media (max-width:40rem){body{padding:.6rem;font-size:14px}"
    "table.wf col.r{width:4.5rem}table.wf col.t{width:4.2rem}"
    "th,td{padding:.2rem .3rem}.overall{font-size:1.8rem}"
    "dl.kv{grid-template-columns:1fr}dl.kv dt{margin-top:.2rem}}\n",
    "@page{size:A4;margin:14mm 12mm}\n",
    "@media print{html{font-size:10pt}body{max-width:none;padding:0;font-size:9.5pt}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "h2,h3,h4{break-after:avoid}.check,.fix,.verdict,table.wf tr{break-inside:avoid}"
    "section.checklist{break-before:page}}\n",
};

/* Text from outside (checklist, answers file, server): escaped for HTML text and attributes. */
static void esc(ms_buf *b, const char *s)
{
    ms_buf_add_xml(b, s ? s : "");
}

static void add_ms(ms_buf *b, int64_t us)
{
    char v[32];
    ms_format_ms(us, v, sizeof v);
    ms_buf_printf(b, "%s&nbsp;ms", v);
}

/* A percentage of the waterfall's scale, as a CSS length. */
static void add_pct(ms_buf *b, const char *prop, int64_t us, int64_t scale)
{
    double pct = 100.0 * (double)us / (double)scale;
    ms_buf_printf(b, "%s:%.3f%%", prop, pct > 100.0 ? 100.0 : pct < 0 ? 0.0 : pct);
}

static const char *status_word(ms_check_status s)
{
    switch (s) {
    case MS_ST_PASS:
        return ms_status_label(MS_ST_PASS);
    case MS_ST_FAIL:
        return ms_status_label(MS_ST_FAIL);
    case MS_ST_NA:
        return ms_status_label(MS_ST_NA);
    case MS_ST_UNANSWERED:
        /* TRANSLATORS: a check's status in the HTML report */
        return _("UNANSWERED");
    default:
        return _("NOT RUN");
    }
}

/* What a sparkline shows, in words: its label and tooltip. */
static void spark_label(ms_buf *b, const double *v, const bool *has, size_t n, const char *what)
{
    /* TRANSLATORS: %s is what the sparkline shows: "the overall score", "this check" */
    ms_buf_printf(b,
                  ngettext("%s over the last %zu run, oldest first:",
                           "%s over the last %zu runs, oldest first:", n),
                  what, n);
    for (size_t i = 0; i < n; i++) {
        if (has[i])
            ms_buf_printf(b, " %.15g", v[i]);
        else
            ms_buf_adds(b, " -");
    }
}

/* An inline SVG sparkline of n values (a gap where has[i] is false), scaled from the lowest to
 * the highest; a dot on the last value. Its label says the values, for screen readers. */
static void sparkline(ms_buf *b, const double *v, const bool *has, size_t n, const char *what)
{
    const double W = 120, H = 24, PAD = 3;
    double lo = 0, hi = 0;
    bool any = false, open = false;
    for (size_t i = 0; i < n; i++) {
        if (!has[i])
            continue;
        lo = !any || v[i] < lo ? v[i] : lo;
        hi = !any || v[i] > hi ? v[i] : hi;
        any = true;
    }
    if (!any || n < 2)
        return;
    ms_buf_printf(b,
                  "<svg class=\"spark\" role=\"img\" width=\"%.0f\" height=\"%.0f\" "
                  "viewBox=\"0 0 %.0f %.0f\" aria-label=\"",
                  W, H, W, H);
    spark_label(b, v, has, n, what);
    ms_buf_adds(b, "\"><title>");
    spark_label(b, v, has, n, what);
    ms_buf_adds(b, "</title>");
    double lx = 0, ly = 0;
    for (size_t i = 0; i < n; i++) {
        if (!has[i]) {
            if (open)
                ms_buf_adds(b, "\"/>");
            open = false;
            continue;
        }
        double x = PAD + (W - 2 * PAD) * (double)i / (double)(n - 1);
        double y = hi > lo ? PAD + (H - 2 * PAD) * (hi - v[i]) / (hi - lo) : H / 2;
        ms_buf_printf(b, "%s%.2f,%.2f", open ? " " : "<polyline points=\"", x, y);
        open = true;
        lx = x;
        ly = y;
    }
    if (open)
        ms_buf_adds(b, "\"/>");
    if (has[n - 1])
        ms_buf_printf(b, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"2.5\"/>", lx, ly);
    ms_buf_adds(b, "</svg>");
}

/* Where each of a completed sample's phases starts (the sum of those before it). */
static void starts_of(const ms_sample *s, int64_t start[NBARS + 1])
{
    start[0] = 0;
    for (int k = 0; k < NBARS; k++)
        start[k + 1] = start[k] + s->ph[k];
}

/* Where a budget's line is in a sample: a phase's budget from the phase's start, ttfb's and
 * total's from the request's; -1 for a phase without one. */
static int64_t budget_at(const ms_run_check *ck, int p, const int64_t start[NBARS + 1])
{
    if (ck->budget_us[p] <= 0)
        return -1;
    return (p < NBARS ? start[p] : 0) + ck->budget_us[p];
}

/* The scale of a check's waterfall: the longest sample (its phases, or the time until it broke
 * off), stretched to take in the budget lines that are within twice that. A budget further out
 * would squeeze the bars to slivers: it is named under the waterfall instead (off the scale). */
static int64_t wf_scale(const ms_run_check *ck)
{
    int64_t longest = 1, scale, start[NBARS + 1] = {0};
    for (int i = 0; i < ck->nsamples; i++) {
        const ms_sample *s = &ck->samples[i];
        memset(start, 0, sizeof start);
        if (s->completed)
            starts_of(s, start);
        int64_t end = s->completed ? start[NBARS] : s->ph[MS_PH_TOTAL];
        longest = end > longest ? end : longest;
    }
    scale = longest;
    for (int i = 0; i < ck->nsamples; i++) {
        const ms_sample *s = &ck->samples[i];
        memset(start, 0, sizeof start);
        if (s->completed)
            starts_of(s, start);
        for (int p = 0; p < MS_PH_REDIRECT; p++) {
            if (p >= NBARS || s->completed) {
                int64_t at = budget_at(ck, p, start);
                scale = at > scale && at <= 2 * longest ? at : scale;
            }
        }
    }
    return scale;
}

/* Whether phase p's budget line is on the scale in some sample of the check. */
static bool budget_shown(const ms_run_check *ck, int p, int64_t scale)
{
    int64_t start[NBARS + 1] = {0};
    for (int i = 0; i < ck->nsamples; i++) {
        const ms_sample *s = &ck->samples[i];
        memset(start, 0, sizeof start);
        if (s->completed)
            starts_of(s, start);
        if ((p >= NBARS || s->completed) && budget_at(ck, p, start) <= scale)
            return true;
    }
    return false;
}

static void budget_lines(ms_buf *b, const ms_run_check *ck, const ms_sample *s,
                         const int64_t start[NBARS + 1], int64_t scale)
{
    for (int p = 0; p < MS_PH_REDIRECT; p++) {
        if (p < NBARS && !s->completed)
            continue;
        int64_t at = budget_at(ck, p, start);
        if (at < 0 || at > scale)
            continue;
        ms_buf_adds(b, "<span class=\"budget\" style=\"");
        add_pct(b, "left", at, scale);
        ms_buf_adds(b, "\" title=\"");
        /* TRANSLATORS: the tooltip of a budget's line in the waterfall, the budget follows */
        ms_buf_printf(b, _("%s budget "), ms_phase_label((ms_phase)p));
        add_ms(b, ck->budget_us[p]);
        ms_buf_adds(b, "\"></span>");
    }
}

/* The bars of a sample in words, for those who do not see them: "dns 0.40 ms, connect 1.2 ms,
 * ..." or "failed: ERROR". */
static void track_label(ms_buf *b, const ms_sample *s)
{
    const char *sep = "";
    if (!s->completed) {
        ms_buf_adds(b, s->failed ? _("failed: ") : _("no timings: "));
        esc(b, s->error ? s->error : _("no response"));
        return;
    }
    for (int k = 0; k < NBARS; k++) {
        if (s->ph[k] <= 0)
            continue;
        ms_buf_printf(b, "%s%s ", sep, ms_phase_label((ms_phase)k));
        add_ms(b, s->ph[k]);
        sep = ", ";
    }
}

/* One sample: its phases as stacked bars to the check's scale; a failed sample without timings
 * as a failed bar with its error (never a bar of no width). */
static void wf_row(ms_buf *b, const ms_run_check *ck, int i, int64_t scale)
{
    const ms_sample *s = &ck->samples[i];
    int64_t start[NBARS + 1] = {0};
    ms_buf_printf(b, "<tr class=\"%s\"><th scope=\"row\" class=\"num\">%d</th><td>",
                  s->failed ? "failed" : "ok", i + 1);
    if (s->failed)
        ms_buf_printf(b, "<strong>%s</strong>", _("failed"));
    else
        ms_buf_adds(b, _("ok"));
    if (s->status > 0)
        ms_buf_printf(b, " %d", s->status);
    ms_buf_adds(b, "</td><td><div class=\"track\" role=\"img\" aria-label=\"");
    track_label(b, s);
    ms_buf_adds(b, "\">");
    if (s->completed) {
        starts_of(s, start);
        for (int k = 0; k < NBARS; k++) {
            if (s->ph[k] <= 0)
                continue;
            ms_buf_printf(b, "<span class=\"seg %s\" data-phase=\"%s\" data-us=\"%lld\" style=\"",
                          BAR_CLASS[k], BAR_CLASS[k], (long long)s->ph[k]);
            add_pct(b, "left", start[k], scale);
            ms_buf_addc(b, ';');
            add_pct(b, "width", s->ph[k], scale);
            ms_buf_printf(b, "\" title=\"%s ", ms_phase_label((ms_phase)k));
            add_ms(b, s->ph[k]);
            ms_buf_adds(b, "\"></span>");
        }
    } else {
        ms_buf_adds(b, "<span class=\"failbar\" title=\"");
        esc(b, s->error ? s->error : _("no timings"));
        /* TRANSLATORS: the bar of a sample without timings in the HTML waterfall */
        ms_buf_printf(b, "\">%s</span>", s->failed ? _("FAILED") : _("NO TIMINGS"));
    }
    budget_lines(b, ck, s, start, scale);
    ms_buf_adds(b, "</div>");
    if (s->failed) {
        ms_buf_adds(b, "<div class=\"err\">");
        if (s->completed) {
            ms_buf_adds(b, _("failed: "));
        } else {
            /* TRANSLATORS: the time follows ("12.3&nbsp;ms"), then ": " and the error */
            ms_buf_adds(b, _("no timings, the transfer broke off after "));
            add_ms(b, s->ph[MS_PH_TOTAL]);
            ms_buf_adds(b, ": ");
        }
        esc(b, s->error ? s->error : "?");
        ms_buf_adds(b, "</div>");
    }
    ms_buf_adds(b, "</td><td class=\"num\">");
    add_ms(b, s->ph[MS_PH_TOTAL]);
    ms_buf_adds(b, "</td></tr>\n");
}

static void waterfall(ms_buf *b, const ms_run_check *ck)
{
    int64_t scale = wf_scale(ck);
    char v[32];
    ms_format_ms(scale, v, sizeof v);
    ms_buf_printf(b, "<table class=\"wf\" data-scale-us=\"%lld\"><caption class=\"muted\">",
                  (long long)scale);
    /* TRANSLATORS: the caption of a check's waterfall in the HTML report; %s is a number of ms */
    ms_buf_printf(b, _("Waterfall, one row a sample, to one scale from 0 to %s&nbsp;ms"), v);
    ms_buf_printf(b,
                  "</caption>\n"
                  "<colgroup><col class=\"n\"><col class=\"r\"><col><col class=\"t\">"
                  "</colgroup>\n<thead><tr><th scope=\"col\" class=\"num\">#</th>"
                  "<th scope=\"col\">%s</th><th scope=\"col\">",
                  _("result"));
    ms_buf_printf(b, _("phases (0 to %s&nbsp;ms)"), v);
    ms_buf_printf(b, "</th><th scope=\"col\" class=\"num\">%s</th></tr></thead>\n<tbody>\n",
                  ms_phase_label(MS_PH_TOTAL));
    for (int i = 0; i < ck->nsamples; i++)
        wf_row(b, ck, i, scale);
    ms_buf_adds(b, "</tbody></table>\n");
    bool any = false;
    for (int p = 0; p < MS_PH_REDIRECT; p++) {
        if (ck->budget_us[p] <= 0)
            continue;
        if (any)
            ms_buf_adds(b, ", ");
        else
            ms_buf_printf(b, "<p class=\"muted\">%s ", _("budget:"));
        ms_buf_printf(b, "%s ", ms_phase_label((ms_phase)p));
        add_ms(b, ck->budget_us[p]);
        ms_buf_adds(b,
                    budget_shown(ck, p, scale) ? _(" (the dashed line)") : _(" (off the scale)"));
        any = true;
    }
    if (any)
        ms_buf_adds(b, "</p>\n");
}

static void legend(ms_buf *b)
{
    ms_buf_printf(b, "<ul class=\"legend\" aria-label=\"%s\">", _("waterfall legend"));
    for (int k = 0; k < NBARS; k++)
        ms_buf_printf(b, "<li><span class=\"sw %s\"></span>%s</li>", BAR_CLASS[k],
                      ms_phase_label((ms_phase)k));
    ms_buf_printf(b,
                  "<li><span class=\"sw line\"></span>%s</li>"
                  "<li><span class=\"sw failed\"></span>%s</li></ul>\n",
                  _("budget"), _("failed sample"));
}

static void answer(ms_buf *b, const ms_run_check *ck)
{
    const ms_answer *a = &ck->answer;
    ms_buf_printf(b, "<dl class=\"kv\"><dt>%s</dt><dd>", _("answer"));
    if (a->state == MS_ANS_NONE) {
        ms_buf_adds(b, _("not answered"));
    } else if (a->state == MS_ANS_NA) {
        ms_buf_adds(b, _("not applicable"));
    } else if (ck->kind == MS_KIND_YESNO) {
        /* TRANSLATORS: a yes/no answer and the answer that passes */
        ms_buf_printf(b, _("%s (good: %s)"), a->yes ? _("yes") : _("no"),
                      ck->good_yes ? _("yes") : _("no"));
    } else if (ck->kind == MS_KIND_RATING) {
        /* TRANSLATORS: a rating, its scale and the lowest rating that passes */
        ms_buf_printf(b, _("%.15g on %.15g to %.15g (passes at %.15g)"), a->value, ck->scale_lo,
                      ck->scale_hi, ck->pass);
    } else {
        char d[32];
        ms_format_duration(a->elapsed_us, d, sizeof d);
        ms_buf_printf(b, _("%s timed"), d);
        if (ck->budget_us[MS_PH_TOTAL] > 0) {
            ms_format_duration(ck->budget_us[MS_PH_TOTAL], d, sizeof d);
            ms_buf_printf(b, _(" (budget %s)"), d);
        }
    }
    ms_buf_adds(b, "</dd>");
    if (a->note) {
        ms_buf_printf(b, "<dt>%s</dt><dd>", _("note"));
        esc(b, a->note);
        ms_buf_adds(b, "</dd>");
    }
    if (a->at) {
        ms_buf_printf(b, "<dt>%s</dt><dd>", _("answered at"));
        esc(b, a->at);
        ms_buf_adds(b, a->stale ? " <strong>" : "");
        if (a->stale && a->age_days >= 0)
            ms_buf_printf(b,
                          ngettext("(stale: answered %lld day before the run)",
                                   "(stale: answered %lld days before the run)",
                                   (unsigned long)a->age_days),
                          (long long)a->age_days);
        else if (a->stale)
            ms_buf_adds(b, _("(stale: answered more than a week before the run)"));
        ms_buf_adds(b, a->stale ? "</strong>" : "");
        ms_buf_adds(b, "</dd>");
    }
    ms_buf_adds(b, "</dl>\n");
}

static void check_html(ms_buf *b, const ms_run *run, size_t k, const ms_report_history *h)
{
    const ms_run_check *ck = run->checks[k];
    const char *cls = ck->status == MS_ST_PASS ? "pass" : ck->status == MS_ST_FAIL ? "fail" : "na";
    ms_buf_printf(b, "<article class=\"check %s\" id=\"check-%zu\" data-check=\"", cls, k + 1);
    esc(b, ck->id);
    ms_buf_printf(b, "\"><h4><span class=\"st %s\">%s</span> <span class=\"title\">", cls,
                  status_word(ck->status));
    esc(b, ck->title ? ck->title : ck->id);
    ms_buf_adds(b, "</span> <span class=\"id\">");
    esc(b, ck->id);
    ms_buf_printf(b, " &middot; %s &middot; %s, %s", ms_kind_name(ck->kind),
                  ms_factor_label(ck->factor), ms_audience_label(ck->audience));
    if (ck->critical)
        ms_buf_printf(b, " &middot; <strong>%s</strong>", ms_severity_label(MS_SEV_CRITICAL));
    ms_buf_adds(b, "</span></h4>\n<p class=\"figure\">");
    esc(b, ck->evidence ? ck->evidence : _("no evidence"));
    ms_buf_adds(b, "</p>\n");
    if (h && h->trends && k < h->ntrends && h->trends[k].n >= 2) {
        ms_buf_printf(b, "<p class=\"muted\">%s ", _("trend"));
        sparkline(b, h->trends[k].values, h->trends[k].has, h->trends[k].n, _("this check"));
        ms_buf_adds(b, " ");
        ms_buf_printf(b, ngettext("the last %zu run", "the last %zu runs", h->trends[k].n),
                      h->trends[k].n);
        ms_buf_adds(b, "</p>\n");
    }
    if (ck->kind == MS_KIND_HTTP) {
        ms_buf_adds(b, "<p><code>");
        esc(b, ck->method ? ck->method : "GET");
        ms_buf_adds(b, " ");
        esc(b, ck->url);
        ms_buf_adds(b, "</code></p>\n");
        if (ck->nsamples > 0)
            waterfall(b, ck);
        if (ck->body_cut_held)
            ms_buf_adds(b, "<p class=\"muted\">body_not_contains: " MS_BODY_CUT_NOTE "</p>\n");
    } else {
        answer(b, ck);
    }
    ms_buf_adds(b, "</article>\n");
}

static void score_cell(ms_buf *b, bool has, double v)
{
    if (has)
        ms_buf_printf(b, "<td class=\"num\">%.1f</td>", v);
    else
        ms_buf_adds(b, "<td class=\"num\">&ndash;</td>");
}

static void scores(ms_buf *b, const ms_run *run, const ms_report_history *h)
{
    const ms_scores *s = &run->scores;
    ms_buf_printf(b,
                  "<section aria-labelledby=\"scores\"><h2 id=\"scores\">%s</h2>\n"
                  "<div class=\"scores\"><div><div class=\"overall\">",
                  _("Scores"));
    if (s->has_overall)
        ms_buf_printf(b, "%.2f", s->overall);
    else
        ms_buf_adds(b, "&ndash;");
    ms_buf_printf(b, " <small>%s</small></div>", _("/ 100 overall"));
    if (h && h->noverall >= 2) {
        ms_buf_printf(b, "<p class=\"muted\">%s ", _("trend"));
        sparkline(b, h->overall, h->has_overall, h->noverall, _("the overall score"));
        ms_buf_printf(b, ngettext(" the last %zu run</p>", " the last %zu runs</p>", h->noverall),
                      h->noverall);
    }
    ms_buf_adds(b, "<p class=\"muted\">");
    if (s->not_run)
        ms_buf_printf(b,
                      _("%zu passed, %zu failed (%zu critical), %zu n/a, %zu unanswered, %zu not "
                        "run"),
                      s->passed, s->failed, s->critical_failed, s->na, s->unanswered, s->not_run);
    else
        ms_buf_printf(b, _("%zu passed, %zu failed (%zu critical), %zu n/a, %zu unanswered"),
                      s->passed, s->failed, s->critical_failed, s->na, s->unanswered);
    ms_buf_printf(b,
                  "</p><p class=\"muted\">%s</p></div>\n<table><caption class=\"muted\">%s"
                  "</caption><tbody>",
                  _("0-100; the overall score weights product x3, people x2, convenience x1"),
                  _("by factor and audience"));
    for (int f = 0; f < MS_FACTOR_COUNT; f++) {
        ms_buf_printf(b, "<tr><th scope=\"row\">%s</th>", ms_factor_label((ms_factor)f));
        score_cell(b, s->has_factor[f], s->factor[f]);
        ms_buf_adds(b, "</tr>");
    }
    ms_buf_adds(b, "</tbody><tbody class=\"group\">");
    for (int a = 0; a < MS_AUD_COUNT; a++) {
        ms_buf_printf(b, "<tr><th scope=\"row\">%s</th>", ms_audience_label((ms_audience)a));
        score_cell(b, s->has_audience[a], s->audience[a]);
        ms_buf_adds(b, "</tr>");
    }
    ms_buf_printf(b,
                  "</tbody></table>\n<table><caption class=\"muted\">%s</caption>\n"
                  "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\" class=\"num\">"
                  "%s</th><th scope=\"col\" class=\"num\">%s</th></tr></thead><tbody>",
                  _("by section"), _("section"), _("score"), _("coverage"));
    for (size_t l = 0; l < run->nlists; l++) {
        for (size_t i = 0; i < run->lists[l].nsections; i++) {
            const ms_run_section *sec = &run->lists[l].sections[i];
            if (!sec->n)
                continue;
            ms_buf_adds(b, "<tr><th scope=\"row\">");
            esc(b, sec->title ? sec->title : sec->id);
            ms_buf_adds(b, "</th>");
            score_cell(b, sec->has_score, sec->score);
            ms_buf_printf(b, "<td class=\"num\">%zu/%zu</td></tr>", sec->answered, sec->applicable);
        }
    }
    ms_buf_adds(b, "</tbody></table></div></section>\n");
}

static void verdict(ms_buf *b, const ms_run *run)
{
    const ms_verdict *v = &run->verdict;
    const char *word = ms_verdict_word(run);
    ms_buf_printf(b,
                  "<section class=\"verdict%s\" aria-labelledby=\"verdict\">"
                  "<h2 id=\"verdict\" style=\"border:0;margin:0;padding:0\">"
                  "%s <span class=\"word\">%s</span></h2>\n<p>%s %d</p>\n",
                  strcmp(word, "PASS") == 0 ? " pass" : "", _("Verdict:"), ms_verdict_label(run),
                  _("exit code"), v->exit_code);
    if (v->nreasons) {
        ms_buf_adds(b, "<ul>");
        for (size_t i = 0; i < v->nreasons; i++) {
            ms_buf_adds(b, "<li>");
            esc(b, v->reasons[i].text);
            ms_buf_adds(b, "</li>");
        }
        ms_buf_adds(b, "</ul>\n");
    } else if (!run->scores.has_overall) {
        ms_buf_printf(b, "<p>%s</p>\n", _("nothing could be scored (--fail-on none passes it)"));
    }
    ms_buf_adds(b, "</section>\n");
}

static void kv(ms_buf *b, const char *name, const char *value)
{
    if (!value)
        return;
    ms_buf_printf(b, "<dt>%s</dt><dd>", name);
    esc(b, value);
    ms_buf_adds(b, "</dd>");
}

/* One entry of a fix list, number rank, under a heading of that level (3 in the fix list, 4 under
 * "Could be better"). */
static void fix_entry(ms_buf *b, const ms_run *run, const ms_run_fix *f, size_t rank,
                      const ms_report_history *h, int level)
{
    const char *sev = ms_severity_label(f->severity);
    ms_buf_printf(b,
                  "<li class=\"fix\"><h%d class=\"fh\"><span class=\"rank\">%zu.</span> "
                  "<span class=\"st %s\">%s</span> <a href=\"#check-%zu\">",
                  level, rank, ms_severity_name(f->severity), sev, f->check + 1);
    esc(b, f->title ? f->title : run->checks[f->check]->id);
    ms_buf_adds(b, "</a> <span class=\"impact\">");
    ms_buf_printf(b, _("+%.1f points"), f->impact);
    ms_buf_printf(b,
                  "</span></h%d>\n<p class=\"facts\">"
                  "<span><span class=\"k\">%s</span> %s, %s</span> "
                  "<span><span class=\"k\">%s</span> ",
                  level, _("factor"), ms_factor_label(f->factor), ms_audience_label(f->audience),
                  _("owner"));
    esc(b, f->owner ? f->owner : _("nobody named"));
    ms_buf_printf(b, "</span> <span><span class=\"k\">%s</span> %s</span> ", _("effort"),
                  ms_effort_label(f->effort));
    /* TRANSLATORS: before the ids of the checks a fix is for */
    ms_buf_printf(b, "<span><span class=\"k\">%s</span> ", ngettext("check", "checks", f->nchecks));
    for (size_t i = 0; i < f->nchecks; i++) {
        ms_buf_printf(b, "%s<code>", i ? ", " : "");
        esc(b, run->checks[f->checks[i]]->id);
        ms_buf_adds(b, "</code>");
    }
    ms_buf_adds(b, "</span></p>\n<dl class=\"kv\">");
    kv(b, _("evidence"), f->evidence);
    kv(b, _("error"), f->error);
    kv(b, _("fix"), f->fix);
    kv(b, _("hint"), f->hint);
    const ms_report_streak *st = h && f->check < h->nstreaks ? &h->streaks[f->check] : NULL;
    if (f->severity != MS_SEV_NONE && st && st->runs > 1) {
        size_t runs = st->runs - st->more;
        ms_buf_printf(b, "<dt>%s</dt><dd>", _("failing"));
        /* TRANSLATORS: how long a check has failed; the time or date follows */
        if (st->more)
            ms_buf_printf(
                b,
                ngettext("for more than %zu run, since ", "for more than %zu runs, since ", runs),
                runs);
        else
            ms_buf_printf(b, ngettext("for %zu run, since ", "for %zu runs, since ", runs), runs);
        esc(b, st->since ? st->since : "?");
        ms_buf_adds(b, "</dd>");
    }
    ms_buf_adds(b, "</dl></li>\n");
}

static void fixes(ms_buf *b, const ms_run *run, const ms_report_history *h)
{
    ms_buf_printf(b, "<section aria-labelledby=\"fixes\"><h2 id=\"fixes\">%s</h2>\n",
                  _("Fixes, most important first"));
    if (run->nfixes == 0)
        ms_buf_printf(b, "<p>%s</p>\n",
                      run->nbetter              ? _("None: every scored check passed.")
                      : run->scores.has_overall ? _("None: every scored check is at its best.")
                                                : _("None: nothing was scored."));
    else
        ms_buf_adds(b, "<ol class=\"fixes\">\n");
    for (size_t i = 0; i < run->nfixes; i++)
        fix_entry(b, run, &run->fixes[i], i + 1, h, 3);
    if (run->nfixes)
        ms_buf_adds(b, "</ol>\n");
    if (run->nbetter) {
        ms_buf_printf(b, "<h3>%s</h3>\n<ol class=\"fixes\">\n",
                      _("Could be better (these checks passed)"));
        for (size_t i = 0; i < run->nbetter; i++)
            fix_entry(b, run, &run->better[i], i + 1, h, 4);
        ms_buf_adds(b, "</ol>\n");
    }
    ms_buf_adds(b, "</section>\n");
}

static void cmp_score(ms_buf *b, const char *name, const ms_cmp_score *sc)
{
    ms_buf_printf(b, "<tr><th scope=\"row\">%s</th>", name);
    score_cell(b, sc->has_base, sc->base);
    score_cell(b, sc->has_new, sc->new_);
    if (sc->has_base && sc->has_new)
        ms_buf_printf(b, "<td class=\"num\">%+.1f</td></tr>", sc->new_ - sc->base);
    else
        ms_buf_adds(b, "<td class=\"num\">&ndash;</td></tr>");
}

static void baseline(ms_buf *b, const ms_run *run)
{
    const ms_run_baseline *base = run->baseline;
    const ms_comparison *c = &base->cmp;
    char from[32], to[32];
    ms_buf_printf(b, "<section aria-labelledby=\"baseline\"><h2 id=\"baseline\">%s ",
                  _("Compared with"));
    esc(b, base->ref ? base->ref : _("the baseline"));
    ms_buf_printf(b, "</h2>\n<p class=\"muted\">%s ", _("the baseline started"));
    esc(b, base->started_at ? base->started_at : "?");
    if (base->label) {
        ms_buf_adds(b, ", ");
        ms_buf_adds(b, _("label "));
        esc(b, base->label);
    }
    ms_buf_adds(b, "; ");
    /* TRANSLATORS: the HTML report's rule for a regression; &lt; is "<" in HTML */
    ms_buf_printf(
        b, _("a check is slower when a phase grew by more than %.15g%% and %.15g ms (p &lt; %.2g)"),
        100 * c->limits.max_slowdown, (double)c->limits.min_slowdown_us / 1000, MS_MWU_ALPHA);
    ms_buf_adds(b, "</p>\n");
    if (c->nregressed == 0)
        ms_buf_printf(b, "<p>%s</p>\n", _("No check got slower."));
    else
        ms_buf_printf(b,
                      "<table><caption class=\"muted\">%s</caption><thead><tr>"
                      "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                      "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" "
                      "class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
                      "</tr></thead><tbody>\n",
                      _("slower"), ngettext("check", "checks", 1), _("phase"), _("baseline"),
                      _("now"), _("change"));
    for (size_t i = 0; c->nregressed && i < c->nchecks; i++) {
        const ms_cmp_check *cc = &c->checks[i];
        for (size_t k = 0; cc->regressed && k < cc->nphases; k++) {
            const ms_regression *r = &cc->phases[k].r;
            if (!r->regressed)
                continue;
            ms_format_ms(r->base_median_us, from, sizeof from);
            ms_format_ms(r->new_median_us, to, sizeof to);
            ms_buf_printf(b, "<tr><td><span class=\"st fail\">%s</span> ", _("SLOWER"));
            esc(b, cc->title ? cc->title : cc->id);
            ms_buf_printf(b,
                          "</td><td>%s</td><td class=\"num\">%s&nbsp;ms</td>"
                          "<td class=\"num\">%s&nbsp;ms</td><td class=\"num\">",
                          ms_phase_label(cc->phases[k].phase), from, to);
            if (!isnan(r->delta_pct))
                ms_buf_printf(b, "%+.0f%%", r->delta_pct);
            ms_buf_adds(b, "</td></tr>\n");
        }
    }
    if (c->nregressed)
        ms_buf_adds(b, "</tbody></table>\n");
    if (c->nstarted || c->nstopped) {
        ms_buf_adds(b, "<ul>");
        for (size_t i = 0; i < c->nchecks; i++) {
            const ms_cmp_check *cc = &c->checks[i];
            if (!cc->started_failing && !cc->stopped_failing)
                continue;
            ms_buf_printf(b, "<li><span class=\"st %s\">%s</span> ",
                          cc->started_failing ? "fail" : "pass",
                          cc->started_failing ? _("NOW FAILS") : _("NOW PASSES"));
            esc(b, cc->title ? cc->title : cc->id);
            ms_buf_adds(b, "</li>");
        }
        ms_buf_adds(b, "</ul>\n");
    }
    ms_buf_printf(b,
                  "<table><caption class=\"muted\">%s</caption><thead><tr><th></th>"
                  "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" "
                  "class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th></tr>"
                  "</thead><tbody>",
                  _("scores"), _("baseline"), _("now"), _("change"));
    cmp_score(b, _("overall"), &c->overall);
    for (int f = 0; f < MS_FACTOR_COUNT; f++)
        if (c->factor[f].has_base || c->factor[f].has_new)
            cmp_score(b, ms_factor_label((ms_factor)f), &c->factor[f]);
    ms_buf_adds(b, "</tbody></table>\n");
    for (int side = MS_CMP_BASE_ONLY; side <= MS_CMP_NEW_ONLY; side++) {
        size_t n = side == MS_CMP_BASE_ONLY ? c->nbase_only : c->nnew_only, k = 0;
        if (!n)
            continue;
        ms_buf_printf(b, "<p>%s: ",
                      side == MS_CMP_BASE_ONLY ? _("Only in the baseline")
                                               : _("Not in the baseline"));
        for (size_t i = 0; i < c->nchecks; i++) {
            if (c->checks[i].side != (ms_cmp_side)side)
                continue;
            ms_buf_adds(b, k++ ? ", <code>" : "<code>");
            esc(b, c->checks[i].id);
            ms_buf_adds(b, "</code>");
        }
        ms_buf_adds(b, "</p>\n");
    }
    ms_buf_adds(b, "</section>\n");
}

static void checks(ms_buf *b, const ms_run *run, const ms_report_history *h)
{
    for (size_t l = 0; l < run->nlists; l++) {
        const ms_run_list *cl = &run->lists[l];
        ms_buf_printf(b,
                      "<section class=\"checklist\" aria-labelledby=\"list-%zu\">"
                      "<h2 id=\"list-%zu\">",
                      l + 1, l + 1);
        esc(b, cl->title ? cl->title : cl->id);
        ms_buf_adds(b, "</h2>\n<p class=\"muted\"><code>");
        esc(b, cl->path);
        ms_buf_adds(b, "</code></p>\n");
        if (l == 0)
            legend(b);
        for (size_t s = 0; s < cl->nsections; s++) {
            const ms_run_section *sec = &cl->sections[s];
            if (!sec->n)
                continue;
            ms_buf_adds(b, "<h3>");
            esc(b, sec->title ? sec->title : sec->id);
            char score[16];
            if (sec->has_score)
                snprintf(score, sizeof score, "%.1f", sec->score);
            else
                snprintf(score, sizeof score, "&ndash;");
            ms_buf_adds(b, " <span class=\"muted\">");
            /* TRANSLATORS: after a section's title in the HTML report */
            ms_buf_printf(b, _("score %s, coverage %zu/%zu"), score, sec->answered,
                          sec->applicable);
            ms_buf_adds(b, "</span></h3>\n");
            for (size_t k = sec->first; k < sec->first + sec->n; k++)
                check_html(b, run, k, h);
        }
        ms_buf_adds(b, "</section>\n");
    }
}

static void head(ms_buf *b, const ms_run *run)
{
    /* TRANSLATORS: the language of the HTML report, for <html lang>: the code of your language,
     * as the catalogue is named ("vi") */
    ms_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"");
    esc(b, _("en"));
    ms_buf_adds(b, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                   "style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri "
                   "'none'\">\n<meta name=\"viewport\" content=\"width=device-width, "
                   "initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n"
                   "<title>");
    ms_buf_printf(b, "%s: ", ms_verdict_label(run));
    for (size_t l = 0; l < run->nlists; l++) {
        ms_buf_adds(b, l ? ", " : "");
        esc(b, run->lists[l].title ? run->lists[l].title : run->lists[l].id);
    }
    ms_buf_adds(b, " (mystery-shopper)</title>\n<style>\n");
    for (size_t i = 0; i < sizeof CSS / sizeof CSS[0]; i++)
        ms_buf_adds(b, CSS[i]);
    ms_buf_adds(b, "</style>\n</head>\n<body>\n");
}

static void header(ms_buf *b, const ms_run *run)
{
    char dur[32];
    ms_format_duration(run->duration_us, dur, sizeof dur);
    ms_buf_printf(b, "<header><h1>%s</h1>\n<p class=\"meta\">", _("Mystery shopper report"));
    for (size_t l = 0; l < run->nlists; l++) {
        ms_buf_adds(b, l ? ", " : "");
        esc(b, run->lists[l].title ? run->lists[l].title : run->lists[l].id);
    }
    ms_buf_adds(b, "<br>");
    ms_buf_adds(b, _("started "));
    esc(b, run->started_at);
    ms_buf_adds(b, ", ");
    ms_buf_printf(b, _("took %s"), dur);
    if (run->auditor) {
        ms_buf_adds(b, ", ");
        ms_buf_adds(b, _("auditor "));
        esc(b, run->auditor);
    }
    if (run->label) {
        ms_buf_adds(b, ", ");
        ms_buf_adds(b, _("label "));
        esc(b, run->label);
    }
    for (size_t i = 0; i < run->net.nproxies; i++) {
        ms_buf_adds(b, "<br>via proxy ");
        esc(b, run->net.proxies[i].url);
        ms_buf_adds(b, " (from ");
        esc(b, run->net.proxies[i].from);
        ms_buf_adds(b, ")");
    }
    ms_buf_adds(b, "</p>\n");
    if (run->insecure)
        ms_buf_printf(b, "<p class=\"warning\"><strong>%s</strong> %s</p>\n", _("Warning:"),
                      _("TLS certificates were not verified (--insecure)"));
    if (run->interrupted)
        ms_buf_printf(b, "<p class=\"warning\"><strong>%s</strong> %s</p>\n", _("Interrupted:"),
                      _("the results below are what was measured before the stop"));
    ms_buf_adds(b, "</header>\n");
}

ms_status ms_report_html(const ms_run *run, const ms_report_style *style, char **out)
{
    ms_status rc = MS_OK;
    const ms_report_history *h = style ? style->history : NULL;
    ms_buf b;
    ms_buf_init(&b, SIZE_MAX); /* a report is as large as the run: no cap but memory (as junit.c) */
    *out = NULL;
    head(&b, run);
    header(&b, run);
    ms_buf_adds(&b, "<main>\n");
    verdict(&b, run);
    scores(&b, run, h);
    fixes(&b, run, h);
    if (run->baseline)
        baseline(&b, run);
    checks(&b, run, h);
    ms_buf_adds(&b, "</main>\n<footer>mystery-shopper ");
    esc(&b, run->tool_version ? run->tool_version : "?");
    if (run->libcurl) {
        ms_buf_adds(&b, ", ");
        /* TRANSLATORS: the HTML report's footer: the libcurl version follows */
        ms_buf_adds(&b, _("measured with "));
        esc(&b, run->libcurl);
    }
    ms_buf_adds(&b, ", ");
    ms_buf_adds(&b, _("finished "));
    esc(&b, run->finished_at ? run->finished_at : "?");
    ms_buf_adds(&b, "</footer>\n</body>\n</html>\n");
    /* An append that failed is remembered by the buffer: the page would not be whole. */
    *out = ms_buf_take(&b);
    if (!*out)
        rc = MS_ERR_NOMEM;
    ms_buf_cleanup(&b);
    return rc;
}
