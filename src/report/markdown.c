/* The Markdown report (see ms/report.h and docs/markdown-report.md): GitHub-flavoured Markdown for
 * CI job pages ($GITHUB_STEP_SUMMARY) and merge request notes. The verdict, the scores, the fix
 * list and the regressions as tables, then each section's checks folded in <details>. Every text
 * that came from a checklist, an answers file or a server goes through md_text (Markdown) or
 * html_text (inside HTML), so that it cannot add a table cell, a raw HTML element, a link or an
 * image. The whole stays under MD_LIMIT bytes (GitHub's job summary takes 1 MiB): rows that would
 * pass it are left out, and the report says how many. The sentences and headings are in the
 * language of the messages; the tables' keys (their header rows) and their cells' names stay
 * English, as the JSON's. */
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

/* The most bytes the report takes: under GitHub's 1 MiB (1048576 bytes) job summary limit, with
 * room left for what a workflow adds around it. */
#define MD_LIMIT ((size_t)1000 * 1000)
/* Room kept for what follows a cut (the notes that say what was left out, the verdict). */
#define MD_RESERVE ((size_t)8 * 1024)
/* The most bytes of one untrusted text in a cell or a line, before escaping. */
#define MD_CELL_MAX ((size_t)600)

typedef struct {
    ms_buf out;     /* the report */
    ms_buf row;     /* scratch: one row or line, added to out when it fits */
    ms_buf clean;   /* scratch: a text cleaned to one line (md_text, html_text) */
    size_t omitted; /* rows and checks left out to keep under MD_LIMIT */
} md;

/* Clean s (NULL: nothing) into one line of valid UTF-8 in m->clean, cut at max bytes on a
 * character boundary with an ellipsis; leading and trailing spaces dropped. */
static const char *clean_line(md *m, ms_buf *b, const char *s, size_t max)
{
    ms_buf_reset(&m->clean);
    if (ms_buf_add_clean(&m->clean, s ? s : "") != MS_OK)
        b->failed = true;
    const char *c = ms_buf_str(&m->clean);
    size_t len = strlen(c), start = strspn(c, " ");
    while (len > start && c[len - 1] == ' ')
        len--;
    if (len - start > max) {
        len = start + ms_utf8_prefix(c + start, len - start, max);
        m->clean.len = len;
        m->clean.data[len] = '\0';
        ms_buf_adds(&m->clean, "\xE2\x80\xA6"); /* an ellipsis */
        len = m->clean.len;
    } else if (m->clean.data) {
        m->clean.len = len;
        m->clean.data[len] = '\0';
    }
    if (m->clean.failed)
        b->failed = true;
    return ms_buf_str(&m->clean) + start;
}

static bool ieq3(const char *s, const char *w)
{
    for (int i = 0; i < 3; i++)
        if ((s[i] | 0x20) != w[i])
            return false;
    return true;
}

/* Append untrusted text s as Markdown inline text, for a table cell or a line that has its own
 * start: one line; the characters that mean something to GFM backslash-escaped (a table's `|`,
 * emphasis, code, links and images, strikethrough, headings, GitHub's $ math); `&`, `<` and `>`
 * as entities (no raw HTML, no <autolink>); the extended autolinks broken (`\:` before `/`,
 * "www\.", an empty comment after `@`); a leading list or heading marker escaped. */
static void md_text(md *m, ms_buf *b, const char *s)
{
    const char *c = clean_line(m, b, s, MD_CELL_MAX);
    size_t digits = strspn(c, "0123456789");
    if (*c == '-' || *c == '+' || *c == '=')
        ms_buf_addc(b, '\\');
    for (size_t i = 0; c[i]; i++) {
        char ch = c[i];
        switch (ch) {
        case '&':
            ms_buf_adds(b, "&amp;");
            continue;
        case '<':
            ms_buf_adds(b, "&lt;");
            continue;
        case '>':
            ms_buf_adds(b, "&gt;");
            continue;
        case '@': /* an email autolink needs its '@' in one text with the name and domain */
            ms_buf_adds(b, "@<!-- -->");
            continue;
        case '\\':
        case '`':
        case '*':
        case '_':
        case '[':
        case ']':
        case '!':
        case '|':
        case '~':
        case '#':
        case '$':
            ms_buf_addc(b, '\\');
            break;
        case ':':
            if (c[i + 1] == '/')
                ms_buf_addc(b, '\\');
            break;
        case '.':
            if ((i >= 3 && ieq3(c + i - 3, "www")) || (digits && i == digits))
                ms_buf_addc(b, '\\');
            break;
        case ')':
            if (digits && i == digits)
                ms_buf_addc(b, '\\');
            break;
        default:
            break;
        }
        ms_buf_addc(b, ch);
    }
}

/* Append untrusted text s for the inside of an HTML element (a <summary>): one line, escaped as
 * XML, which HTML reads the same. */
static void html_text(md *m, ms_buf *b, const char *s)
{
    ms_buf_add_xml(b, clean_line(m, b, s, MD_CELL_MAX));
}

/* Add the row built in m->row to the report when it fits under the limit (keeping reserve bytes
 * free); count it as left out when it does not. Returns whether it was added. */
static bool put_row(md *m, size_t reserve)
{
    bool fits = m->out.len + m->row.len + reserve <= MD_LIMIT;
    if (m->row.failed)
        m->out.failed = true;
    if (fits)
        ms_buf_add(&m->out, m->row.data ? m->row.data : "", m->row.len);
    else
        m->omitted++;
    ms_buf_reset(&m->row);
    return fits;
}

/* A score with one decimal, or two (bold: the overall score the gate compares), or a dash. */
static void score_cell(ms_buf *b, bool has, double v, int decimals)
{
    if (has && decimals == 2)
        ms_buf_printf(b, "%.2f", v);
    else if (has)
        ms_buf_printf(b, "%.1f", v);
    else
        ms_buf_adds(b, "\xE2\x80\x94"); /* an em dash: none */
}

static void ms_cell(ms_buf *b, int64_t us)
{
    char v[32];
    ms_format_ms(us, v, sizeof v);
    ms_buf_printf(b, "%s ms", v);
}

/* The verdict line: the word, the exit code, and every reason; then end. */
static void verdict(md *m, const ms_run *run, const char *end)
{
    const ms_verdict *v = &run->verdict;
    ms_buf *b = &m->out;
    ms_buf_adds(b, "**");
    ms_buf_printf(b, _("Verdict: %s"), ms_verdict_label(run));
    ms_buf_adds(b, "** (");
    /* TRANSLATORS: the Markdown report's exit status, after the verdict */
    ms_buf_printf(b, _("exit %d"), v->exit_code);
    ms_buf_adds(b, ")");
    for (size_t i = 0; i < v->nreasons; i++) {
        ms_buf_adds(b, i ? "; " : ": ");
        md_text(m, b, v->reasons[i].text);
    }
    if (!v->nreasons && !run->scores.has_overall)
        ms_buf_adds(b, _(": nothing could be scored (--fail-on none passes it)"));
    ms_buf_adds(b, end);
}

/* The title, the checklists, and what the run was. */
static void header(md *m, const ms_run *run)
{
    ms_buf *b = &m->out;
    char dur[32];
    ms_buf_printf(b, "## mystery-shopper: %s\n\n", ms_verdict_label(run));
    verdict(m, run, "\n\n");
    for (size_t l = 0; l < run->nlists; l++) {
        ms_buf_adds(b, l ? ", " : _("Checklists: "));
        md_text(m, b, run->lists[l].title ? run->lists[l].title : run->lists[l].id);
        ms_buf_adds(b, " (");
        md_text(m, b, run->lists[l].path);
        ms_buf_adds(b, ")");
    }
    if (run->nlists)
        ms_buf_adds(b, "  \n");
    ms_format_duration(run->duration_us, dur, sizeof dur);
    /* TRANSLATORS: "Started TIME, took 2s, label LABEL, auditor NAME": one item each */
    ms_buf_adds(b, _("Started "));
    md_text(m, b, run->started_at ? run->started_at : "?");
    ms_buf_adds(b, ", ");
    ms_buf_printf(b, _("took %s"), dur);
    if (run->label) {
        ms_buf_adds(b, ", ");
        ms_buf_adds(b, _("label "));
        md_text(m, b, run->label);
    }
    if (run->auditor) {
        ms_buf_adds(b, ", ");
        ms_buf_adds(b, _("auditor "));
        md_text(m, b, run->auditor);
    }
    ms_buf_adds(b, ", mystery-shopper ");
    md_text(m, b, run->tool_version ? run->tool_version : "?");
    ms_buf_adds(b, "\n\n");
    if (run->insecure)
        ms_buf_printf(b, "**%s** %s\n\n", _("Warning:"),
                      _("TLS certificates were not verified (--insecure)."));
    if (run->interrupted)
        ms_buf_printf(b, "**%s** %s\n\n", _("Interrupted:"),
                      _("the results are what was measured before the stop."));
}

/* The scores: overall, by factor, by audience, and the counts of checks. */
static void scores(md *m, const ms_run *run)
{
    const ms_scores *s = &run->scores;
    ms_buf *b = &m->out;
    ms_buf_printf(b, "### %s\n\n| scope | score |\n|---|---:|\n| **overall** | **", _("Scores"));
    score_cell(b, s->has_overall, s->overall, 2);
    ms_buf_adds(b, "** |\n");
    for (int f = 0; f < MS_FACTOR_COUNT; f++) {
        ms_buf_printf(b, "| factor %s | ", ms_factor_name((ms_factor)f));
        score_cell(b, s->has_factor[f], s->factor[f], 1);
        ms_buf_adds(b, " |\n");
    }
    for (int a = 0; a < MS_AUD_COUNT; a++) {
        ms_buf_printf(b, "| audience %s | ", ms_audience_name((ms_audience)a));
        score_cell(b, s->has_audience[a], s->audience[a], 1);
        ms_buf_adds(b, " |\n");
    }
    ms_buf_printf(b, "\n%s ",
                  _("Scores are 0-100; overall weights product x3, people x2, convenience x1."));
    /* TRANSLATORS: the counts of the run's checks by their outcome */
    if (s->not_run)
        ms_buf_printf(b,
                      _("Checks: %zu passed, %zu failed (%zu critical), %zu n/a, %zu unanswered, "
                        "%zu not run."),
                      s->passed, s->failed, s->critical_failed, s->na, s->unanswered, s->not_run);
    else
        ms_buf_printf(b,
                      _("Checks: %zu passed, %zu failed (%zu critical), %zu n/a, %zu unanswered."),
                      s->passed, s->failed, s->critical_failed, s->na, s->unanswered);
    ms_buf_adds(b, "\n\n");
}

/* One table of fix entries (the fix list, or "could be better"), rows while they fit. */
static void fix_table(md *m, const ms_run *run, const ms_run_fix *fixes, size_t n)
{
    size_t left = 0;
    ms_buf_adds(&m->out, "| # | severity | check | factor | owner | impact | effort | evidence |\n"
                         "|---:|---|---|---|---|---:|---|---|\n");
    for (size_t i = 0; i < n; i++) {
        const ms_run_fix *f = &fixes[i];
        ms_buf *r = &m->row;
        ms_buf_printf(r, "| %zu | %s | ", i + 1,
                      f->severity == MS_SEV_NONE ? "passed" : ms_severity_name(f->severity));
        md_text(m, r, f->title ? f->title : run->checks[f->check]->id);
        if (f->nchecks > 1)
            ms_buf_printf(r, ngettext(" (%zu check)", " (%zu checks)", f->nchecks), f->nchecks);
        ms_buf_printf(r, " | %s | ", ms_factor_name(f->factor));
        md_text(m, r, f->owner ? f->owner : _("nobody named"));
        ms_buf_printf(r, " | +%.1f | %s | ", f->impact, ms_effort_name(f->effort));
        md_text(m, r, f->evidence);
        if (f->fix) {
            ms_buf_printf(r, "<br>**%s** ", _("fix:"));
            md_text(m, r, f->fix);
        }
        if (f->hint) {
            ms_buf_printf(r, "<br>**%s** ", _("hint:"));
            md_text(m, r, f->hint);
        }
        ms_buf_adds(r, " |\n");
        if (!put_row(m, MD_RESERVE))
            left++;
    }
    if (left) {
        ms_buf_adds(&m->out, "\n");
        ms_buf_printf(&m->out,
                      _("%zu more not shown here: this report keeps under 1 MiB (the JSON report "
                        "has every one)."),
                      left);
        ms_buf_adds(&m->out, "\n");
    }
    ms_buf_adds(&m->out, "\n");
}

static void fixes(md *m, const ms_run *run)
{
    ms_buf *b = &m->out;
    if (run->nfixes == 0)
        ms_buf_printf(b, "### %s\n\n%s\n\n", _("Fixes"),
                      !run->scores.has_overall ? _("None: nothing was scored.")
                      : run->nbetter           ? _("None: every scored check passed.")
                                               : _("None: every scored check is at its best."));
    else {
        ms_buf_printf(b, "### %s\n\n", _("Fixes, most important first"));
        fix_table(m, run, run->fixes, run->nfixes);
    }
    if (run->nbetter) {
        ms_buf_printf(b, "### %s\n\n", _("Could be better (these checks passed)"));
        fix_table(m, run, run->better, run->nbetter);
    }
}

/* A compared phase's p value: "0.004", "< 0.001", or why there is none. */
static void p_cell(ms_buf *b, const ms_regression *r)
{
    if (r->n_base == 0 || r->n_new == 0)
        ms_buf_adds(b, "no samples on a side");
    else if (r->thresholds_only || isnan(r->p))
        ms_buf_adds(b, "thresholds only");
    else if (r->p < 0.001)
        ms_buf_adds(b, "< 0.001");
    else
        ms_buf_printf(b, "%.2g", r->p);
}

/* One line per compared check of a kind (started or stopped failing). */
static void cmp_list(md *m, const ms_comparison *c, bool started)
{
    for (size_t i = 0; i < c->nchecks; i++) {
        const ms_cmp_check *cc = &c->checks[i];
        if (started ? !cc->started_failing : !cc->stopped_failing)
            continue;
        ms_buf_printf(&m->row, "- %s: ", started ? _("now fails") : _("now passes"));
        md_text(m, &m->row, cc->title ? cc->title : cc->id);
        ms_buf_adds(&m->row, " (");
        md_text(m, &m->row, cc->id);
        ms_buf_adds(&m->row, ")\n");
        put_row(m, MD_RESERVE);
    }
}

/* run --baseline: the comparison, its regressions as a table (check, phase, base, new, change,
 * p), the checks that started or stopped failing, the overall score on both sides. */
static void regressions(md *m, const ms_run *run)
{
    const ms_run_baseline *base = run->baseline;
    const ms_comparison *c = &base->cmp;
    ms_buf *b = &m->out;
    ms_buf what, when, label;
    ms_buf_init(&what, 0);
    ms_buf_init(&when, 0);
    ms_buf_init(&label, 0);
    md_text(m, &what, base->ref ? base->ref : _("the baseline"));
    md_text(m, &when, base->started_at ? base->started_at : "?");
    if (base->label)
        md_text(m, &label, base->label);
    ms_buf_printf(b, "### %s\n\n", _("Regressions"));
    /* TRANSLATORS: the baseline (@last, a file), when it started (and its label), then whether
     * a check got slower */
    if (base->label)
        ms_buf_printf(b, _("Compared with %s (started %s, label %s): "), ms_buf_str(&what),
                      ms_buf_str(&when), ms_buf_str(&label));
    else
        ms_buf_printf(b, _("Compared with %s (started %s): "), ms_buf_str(&what),
                      ms_buf_str(&when));
    if (what.failed || when.failed || label.failed)
        b->failed = true;
    ms_buf_cleanup(&what);
    ms_buf_cleanup(&when);
    ms_buf_cleanup(&label);
    if (c->nregressed)
        ms_buf_printf(
            b,
            ngettext("%zu check got slower (by more than %.15g%% and %.15g ms, p < %.2g).",
                     "%zu checks got slower (by more than %.15g%% and %.15g ms, p < %.2g).",
                     c->nregressed),
            c->nregressed, 100 * c->limits.max_slowdown, (double)c->limits.min_slowdown_us / 1000,
            MS_MWU_ALPHA);
    else
        ms_buf_printf(b, _("no check got slower (by more than %.15g%% and %.15g ms, p < %.2g)."),
                      100 * c->limits.max_slowdown, (double)c->limits.min_slowdown_us / 1000,
                      MS_MWU_ALPHA);
    ms_buf_adds(b, "\n\n");
    if (c->nregressed) {
        ms_buf_adds(b, "| check | phase | base | new | change | p |\n"
                       "|---|---|---:|---:|---:|---:|\n");
        for (size_t i = 0; i < c->nchecks; i++) {
            const ms_cmp_check *cc = &c->checks[i];
            for (size_t k = 0; cc->regressed && k < cc->nphases; k++) {
                const ms_regression *r = &cc->phases[k].r;
                if (!r->regressed)
                    continue;
                ms_buf_adds(&m->row, "| ");
                md_text(m, &m->row, cc->title ? cc->title : cc->id);
                ms_buf_printf(&m->row, " | %s | ", ms_phase_name(cc->phases[k].phase));
                ms_cell(&m->row, r->base_median_us);
                ms_buf_adds(&m->row, " | ");
                ms_cell(&m->row, r->new_median_us);
                ms_buf_adds(&m->row, " | ");
                if (isnan(r->delta_pct))
                    ms_buf_adds(&m->row, "\xE2\x80\x94");
                else
                    ms_buf_printf(&m->row, "%+.0f%%", r->delta_pct);
                ms_buf_adds(&m->row, " | ");
                p_cell(&m->row, r);
                ms_buf_adds(&m->row, " |\n");
                put_row(m, MD_RESERVE);
            }
        }
        ms_buf_adds(b, "\n");
    }
    if (c->nstarted || c->nstopped) {
        cmp_list(m, c, true);
        cmp_list(m, c, false);
        ms_buf_adds(b, "\n");
    }
    ms_buf_adds(b, _("Overall score: "));
    score_cell(b, c->overall.has_base, c->overall.base, 2);
    ms_buf_adds(b, " -> ");
    score_cell(b, c->overall.has_new, c->overall.new_, 2);
    ms_buf_adds(b, ".\n\n");
}

static const char *status_cell(const ms_run_check *ck)
{
    switch ((ms_check_status)ck->status) {
    case MS_ST_PASS:
        return "pass";
    case MS_ST_FAIL:
        return ck->critical ? "**FAIL** (critical)" : "**FAIL**";
    case MS_ST_NA:
        return "n/a";
    case MS_ST_UNANSWERED:
        return "unanswered";
    default:
        return "not run";
    }
}

/* A check's figure and what it is judged against, as two cells ("figure | budget"): an http
 * check's statistic of its judged phase and that phase's budget; a stopwatch's time and budget;
 * a rating and its pass mark; a yes or no and the good answer. A dash where there is none. */
static void figure_cells(ms_buf *b, const ms_run_check *ck)
{
    static const char DASH[] = "\xE2\x80\x94";
    char v[32];
    const ms_answer *a = &ck->answer;
    if (ck->kind == MS_KIND_HTTP) {
        int failed = 0;
        int p = ck->judged_phase >= 0 ? ck->judged_phase : MS_PH_TOTAL;
        for (int i = 0; i < ck->nsamples; i++)
            failed += ck->samples[i].failed;
        if (ms_run_stats(ck, MS_PH_TOTAL).n == 0) {
            if (ck->nsamples)
                ms_buf_printf(b, "%d/%d failed", failed, ck->nsamples);
            else
                ms_buf_adds(b, DASH);
        } else {
            ms_buf_printf(b, "%s %s ", ms_stat_name(ck->stat), ms_phase_name((ms_phase)p));
            ms_cell(b, ms_run_stat(ck, p, ck->stat));
            if (failed)
                ms_buf_printf(b, ", %d/%d failed", failed, ck->nsamples);
        }
        ms_buf_adds(b, " | ");
        if (ck->budget_us[p] > 0)
            ms_cell(b, ck->budget_us[p]);
        else
            ms_buf_adds(b, DASH);
        return;
    }
    if (a->state != MS_ANS_VALUE)
        ms_buf_printf(b, "%s", a->state == MS_ANS_NA ? "n/a" : DASH);
    else if (ck->kind == MS_KIND_STOPWATCH) {
        ms_format_duration(a->elapsed_us, v, sizeof v);
        ms_buf_adds(b, v);
    } else if (ck->kind == MS_KIND_RATING)
        ms_buf_printf(b, "%g of %g-%g", a->value, ck->scale_lo, ck->scale_hi);
    else
        ms_buf_adds(b, a->yes ? "yes" : "no");
    ms_buf_adds(b, " | ");
    if (ck->kind == MS_KIND_STOPWATCH && ck->budget_us[MS_PH_TOTAL] > 0) {
        ms_format_duration(ck->budget_us[MS_PH_TOTAL], v, sizeof v);
        ms_buf_adds(b, v);
    } else if (ck->kind == MS_KIND_RATING)
        ms_buf_printf(b, "pass %g", ck->pass);
    else if (ck->kind == MS_KIND_YESNO)
        ms_buf_printf(b, "good: %s", ck->good_yes ? "yes" : "no");
    else
        ms_buf_adds(b, DASH);
}

/* One section folded in <details>: its title, score, coverage and failures in the summary, a
 * table of its checks inside (status, check, figure, budget, evidence, note; a trend with
 * history). Checks that would pass the limit are left out and counted. */
static void section(md *m, const ms_run *run, const ms_run_section *sec, const ms_report_history *h)
{
    ms_buf *b = &m->out;
    size_t nfailed = 0, left = 0;
    bool trends = h && h->trends && h->ntrends == run->nchecks;
    for (size_t k = sec->first; k < sec->first + sec->n; k++)
        nfailed += run->checks[k]->status == MS_ST_FAIL;
    ms_buf_adds(b, "<details><summary>");
    html_text(m, b, sec->title ? sec->title : sec->id);
    char score[32] = "\xE2\x80\x94"; /* an em dash: none */
    if (sec->has_score)
        snprintf(score, sizeof score, "%.1f", sec->score);
    ms_buf_printf(b,
                  ngettext(": score %s, coverage %zu/%zu, %zu check",
                           ": score %s, coverage %zu/%zu, %zu checks", sec->n),
                  score, sec->answered, sec->applicable, sec->n);
    if (nfailed)
        ms_buf_printf(b, _(", %zu failed"), nfailed);
    ms_buf_printf(b,
                  "</summary>\n\n| status | check | figure | budget | evidence | note |%s\n"
                  "|---|---|---|---|---|---|%s\n",
                  trends ? " trend |" : "", trends ? "---|" : "");
    for (size_t k = sec->first; k < sec->first + sec->n; k++) {
        const ms_run_check *ck = run->checks[k];
        ms_buf *r = &m->row;
        ms_buf_printf(r, "| %s | ", status_cell(ck));
        md_text(m, r, ck->title ? ck->title : ck->id);
        ms_buf_adds(r, " | ");
        figure_cells(r, ck);
        ms_buf_adds(r, " | ");
        md_text(m, r, ck->evidence);
        if (ck->answer.stale && ck->answer.age_days >= 0)
            ms_buf_printf(r,
                          ngettext(" (answered %lld day before the run)",
                                   " (answered %lld days before the run)",
                                   (unsigned long)ck->answer.age_days),
                          (long long)ck->answer.age_days);
        else if (ck->answer.stale)
            ms_buf_adds(r, _(" (answered more than a week ago)"));
        ms_buf_adds(r, " | ");
        md_text(m, r, ck->kind == MS_KIND_HTTP ? NULL : ck->answer.note);
        if (trends) {
            const ms_report_trend *t = &h->trends[k];
            ms_buf_adds(r, " | ");
            if (t->n > 1)
                ms_buf_add_sparkline(r, t->values, t->has, t->n);
        }
        ms_buf_adds(r, " |\n");
        if (!put_row(m, MD_RESERVE))
            left++;
    }
    if (left)
        ms_buf_printf(b,
                      "\n%zu of the %zu checks not shown here: this report keeps under 1 MiB "
                      "(the JSON report has every one).\n",
                      left, sec->n);
    ms_buf_adds(b, "\n</details>\n\n");
}

static void details(md *m, const ms_run *run, const ms_report_history *h)
{
    ms_buf *b = &m->out;
    ms_buf_printf(b, "### %s\n\n", _("Checks"));
    for (size_t l = 0; l < run->nlists; l++) {
        const ms_run_list *cl = &run->lists[l];
        ms_buf_adds(b, "#### ");
        md_text(m, b, cl->title ? cl->title : cl->id);
        ms_buf_adds(b, "\n\n");
        for (size_t s = 0; s < cl->nsections; s++) {
            if (!cl->sections[s].n)
                continue;
            if (m->out.len + MD_RESERVE > MD_LIMIT)
                m->omitted += cl->sections[s].n; /* no room left even for its summary */
            else
                section(m, run, &cl->sections[s], h);
        }
    }
}

ms_status ms_report_markdown(const ms_run *run, const ms_report_style *style, char **out)
{
    ms_status rc = MS_OK;
    md m = {0};
    *out = NULL;
    ms_buf_init(&m.out, 0);
    ms_buf_init(&m.row, 0);
    ms_buf_init(&m.clean, 0);
    header(&m, run);
    scores(&m, run);
    fixes(&m, run);
    if (run->baseline)
        regressions(&m, run);
    details(&m, run, style ? style->history : NULL);
    if (m.omitted) {
        ms_buf_printf(&m.out, "**%s** ", _("Cut:"));
        ms_buf_printf(&m.out,
                      ngettext("%zu row was left out to keep this report under 1 MiB (GitHub's "
                               "job summary limit); the JSON and HTML reports have everything.",
                               "%zu rows were left out to keep this report under 1 MiB (GitHub's "
                               "job summary limit); the JSON and HTML reports have everything.",
                               m.omitted),
                      m.omitted);
        ms_buf_adds(&m.out, "\n\n");
    }
    verdict(&m, run, "\n"); /* again at the end, after the details */
    if (m.row.failed || m.clean.failed)
        m.out.failed = true;
    *out = ms_buf_take(&m.out);
    if (!*out)
        rc = MS_ERR_NOMEM;
    ms_buf_cleanup(&m.out);
    ms_buf_cleanup(&m.row);
    ms_buf_cleanup(&m.clean);
    return rc;
}
