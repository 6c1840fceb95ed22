/* The metrics report (see ms/report.h and docs/metrics.md): the Prometheus text exposition format,
 * version 0.0.4, for node_exporter's textfile collector and for the Pushgateway (run --push puts
 * these very bytes). Every family is a gauge (a run is a snapshot: nothing here only goes up),
 * with HELP and TYPE once, its series together, in a fixed order: the run's, then the checks' in
 * report order. No sample has a timestamp (the textfile collector and the Pushgateway refuse
 * them). Every series carries checklist (the run's checklist ids joined by ',', as the
 * Pushgateway's grouping key names it: the Pushgateway overwrites a pushed label of a grouping
 * key's name with the key's value) and label (the run's, "" when none). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms/buf.h"
#include "ms/report.h"
#include "ms/util.h"
#include "ms/stats.h"

/* A family whose HELP and TYPE lines are written before its first series: one without any
 * series (no score at all, no http check) leaves no empty family behind. */
typedef struct {
    const char *name;
    const char *help;
    bool started;
} family;

/* What every series of a run carries. */
typedef struct {
    ms_buf *b;
    const char *ids;   /* the run's checklist ids, joined by ',' */
    const char *label; /* the run's label, "" when none */
} writer;

static void label(ms_buf *b, const char *name, const char *value)
{
    ms_buf_printf(b, ",%s=\"", name);
    ms_buf_add_prom(b, value ? value : "", true);
    ms_buf_addc(b, '"');
}

/* Start a series of f: its family's lines when it is the first, the name and the run's labels;
 * the caller adds its own labels (label()) and ends it with value() or seconds(). */
static void series(const writer *w, family *f)
{
    if (!f->started) {
        ms_buf_printf(w->b, "# HELP %s ", f->name);
        ms_buf_add_prom(w->b, f->help, false);
        ms_buf_printf(w->b, "\n# TYPE %s gauge\n", f->name);
        f->started = true;
    }
    ms_buf_printf(w->b, "%s{checklist=\"", f->name);
    ms_buf_add_prom(w->b, w->ids, true);
    ms_buf_addc(w->b, '"');
    label(w->b, "label", w->label);
}

/* End a series with a number: the shortest of %.15g and %.17g that reads back as v, so that the
 * same record gives the same bytes and the value is exact. */
static void value(ms_buf *b, double v)
{
    char text[32];
    snprintf(text, sizeof text, "%.15g", v);
    if (strtod(text, NULL) != v)
        snprintf(text, sizeof text, "%.17g", v);
    ms_buf_printf(b, "} %s\n", text);
}

/* End a series with microseconds as seconds, in exact decimal ("0.001234", "2"). */
static void seconds(ms_buf *b, int64_t us)
{
    char frac[8];
    const char *sign = us < 0 ? "-" : "";
    uint64_t u = us < 0 ? (uint64_t)0 - (uint64_t)us : (uint64_t)us;
    int n = snprintf(frac, sizeof frac, "%06u", (unsigned)(u % 1000000));
    while (n > 0 && frac[n - 1] == '0')
        frac[--n] = '\0';
    ms_buf_printf(b, "} %s%llu%s%s\n", sign, (unsigned long long)(u / 1000000), n ? "." : "", frac);
}

/* Read n digits at s into *v. */
static bool digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        *v = *v * 10 + (s[i] - '0');
    }
    return true;
}

/* The Unix time of an ISO 8601 time as the run records it, "2026-11-20T09:30:00+07:00" (a
 * fraction of the second, "Z", and an offset without the colon are read too). Pure: no time
 * zone database, no locale. false when s is not such a time. */
static bool unix_time(const char *s, int64_t *out)
{
    int y, mo, d, h, mi, sec, oh = 0, om = 0;
    if (!s || strlen(s) < 19 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
        s[7] != '-' || !digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != ' ') ||
        !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' ||
        !digits(s + 17, 2, &sec))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return false;
    const char *p = s + 19;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            ;
    int sign = 0;
    if (*p == 'Z' && !p[1]) {
        sign = 1;
    } else if ((*p == '+' || *p == '-') && digits(p + 1, 2, &oh)) {
        sign = *p == '+' ? 1 : -1;
        const char *q = p + 3 + (p[3] == ':');
        if (!digits(q, 2, &om) || q[2] || oh > 23 || om > 59)
            return false;
    } else {
        return false;
    }
    *out = ms_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
           sign * (oh * 3600 + om * 60);
    return true;
}

/* The labels of a check's series after the run's: its section and id. */
static void check_labels(const writer *w, const ms_run_section *sec, const ms_run_check *ck)
{
    label(w->b, "section", sec ? sec->id : "");
    label(w->b, "check", ck->id);
}

static void run_families(const writer *w, const ms_run *run)
{
    ms_buf *b = w->b;
    int64_t t;
    family ts = {"mystery_shopper_run_timestamp_seconds", "When the run started, in Unix time.",
                 false};
    family dur = {"mystery_shopper_run_duration_seconds", "How long the run took.", false};
    family ok = {"mystery_shopper_run_success",
                 "1 when the run passed (exit code 0), 0 when it did not.", false};
    family code = {"mystery_shopper_run_exit_code",
                   "The run's exit code: 0 passed, 1 failed its gate, 3 error (a report or the "
                   "push not written), 4 incomplete, 130 interrupted.",
                   false};
    if (unix_time(run->started_at, &t)) {
        series(w, &ts);
        value(b, (double)t);
    }
    series(w, &dur);
    seconds(b, run->duration_us);
    series(w, &ok);
    value(b, run->verdict.exit_code == 0);
    series(w, &code);
    value(b, run->verdict.exit_code);

    const ms_scores *sc = &run->scores;
    family score = {"mystery_shopper_score",
                    "Scores 0-100 (as --fail-under takes them): scope overall, factor (name "
                    "product, people, convenience), audience (name external, internal) and "
                    "section (name its id). None where nothing was scored.",
                    false};
    if (sc->has_overall) {
        series(w, &score);
        label(b, "scope", "overall");
        value(b, sc->overall);
    }
    for (int i = 0; i < MS_FACTOR_COUNT; i++) {
        if (!sc->has_factor[i])
            continue;
        series(w, &score);
        label(b, "scope", "factor");
        label(b, "name", ms_factor_name((ms_factor)i));
        value(b, sc->factor[i]);
    }
    for (int i = 0; i < MS_AUD_COUNT; i++) {
        if (!sc->has_audience[i])
            continue;
        series(w, &score);
        label(b, "scope", "audience");
        label(b, "name", ms_audience_name((ms_audience)i));
        value(b, sc->audience[i]);
    }
    for (size_t l = 0; l < run->nlists; l++) {
        for (size_t s = 0; s < run->lists[l].nsections; s++) {
            const ms_run_section *sec = &run->lists[l].sections[s];
            if (!sec->has_score)
                continue;
            series(w, &score);
            label(b, "scope", "section");
            label(b, "name", sec->id); /* section ids are unique within a run */
            value(b, sec->score);
        }
    }

    family checks = {"mystery_shopper_checks", "The run's checks by status.", false};
    const struct {
        ms_check_status st;
        size_t n;
    } counts[] = {{MS_ST_PASS, sc->passed},
                  {MS_ST_FAIL, sc->failed},
                  {MS_ST_NA, sc->na},
                  {MS_ST_UNANSWERED, sc->unanswered},
                  {MS_ST_NOT_RUN, sc->not_run}};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        series(w, &checks);
        label(b, "status", ms_status_name(counts[i].st));
        value(b, (double)counts[i].n);
    }
}

/* The statistics every duration is given in, as the JSON report's stats_ms has them. */
static const ms_stat STATS[] = {MS_STAT_MIN, MS_STAT_MEDIAN, MS_STAT_P90,
                                MS_STAT_P95, MS_STAT_MAX,    MS_STAT_MEAN};
#define NSTATS (sizeof STATS / sizeof STATS[0])

static void check_families(const writer *w, const ms_run *run, const ms_run_section **secof)
{
    ms_buf *b = w->b;
    family info = {"mystery_shopper_check_info",
                   "Always 1: what the checklist says of a check (title, kind, factor, audience, "
                   "critical, owner, and stat for http checks).",
                   false};
    family status = {"mystery_shopper_check_status",
                     "1 for the check's status (pass, fail, na, unanswered, not-run), 0 for the "
                     "others.",
                     false};
    family success = {"mystery_shopper_check_success",
                      "1 when the check passed, 0 when it failed; none when it was not applicable, "
                      "unanswered or not run.",
                      false};
    family score = {"mystery_shopper_check_score",
                    "The check's score, 0 to 1; none when it has none (not applicable, "
                    "unanswered, not run).",
                    false};
    family dur = {"mystery_shopper_check_duration_seconds",
                  "A statistic (stat) of a phase of the check's samples that completed; a "
                  "stopwatch check's time as phase total, every stat the same.",
                  false};
    family budget = {"mystery_shopper_check_budget_seconds", "The check's budget for a phase.",
                     false};
    for (size_t k = 0; k < run->nchecks; k++) {
        const ms_run_check *ck = run->checks[k];
        series(w, &info);
        check_labels(w, secof[k], ck);
        label(b, "title", ck->title);
        label(b, "kind", ms_kind_name(ck->kind));
        label(b, "factor", ms_factor_name(ck->factor));
        label(b, "audience", ms_audience_name(ck->audience));
        label(b, "critical", ck->critical ? "true" : "false");
        label(b, "owner", ck->owner);
        if (ck->kind == MS_KIND_HTTP)
            label(b, "stat", ms_stat_name(ck->stat));
        value(b, 1);
    }
    for (size_t k = 0; k < run->nchecks; k++) {
        for (int s = MS_ST_PASS; s <= MS_ST_NOT_RUN; s++) {
            series(w, &status);
            check_labels(w, secof[k], run->checks[k]);
            label(b, "status", ms_status_name((ms_check_status)s));
            value(b, run->checks[k]->status == (ms_check_status)s);
        }
    }
    for (size_t k = 0; k < run->nchecks; k++) {
        const ms_run_check *ck = run->checks[k];
        if (ck->status != MS_ST_PASS && ck->status != MS_ST_FAIL)
            continue;
        series(w, &success);
        check_labels(w, secof[k], ck);
        value(b, ck->status == MS_ST_PASS);
    }
    for (size_t k = 0; k < run->nchecks; k++) {
        const ms_run_check *ck = run->checks[k];
        if (!ck->has_score)
            continue;
        series(w, &score);
        check_labels(w, secof[k], ck);
        value(b, ck->score);
    }
    for (size_t k = 0; k < run->nchecks; k++) {
        const ms_run_check *ck = run->checks[k];
        bool timed = ck->kind == MS_KIND_STOPWATCH && ck->answer.state == MS_ANS_VALUE;
        for (int p = 0; p < MS_PH_COUNT; p++) {
            /* made once a phase: a check without kept statistics makes them each time */
            ms_stats st = ck->kind == MS_KIND_HTTP ? ms_run_stats(ck, p) : (ms_stats){0};
            if (ck->kind == MS_KIND_HTTP ? st.n == 0 : !timed || p != MS_PH_TOTAL)
                continue; /* nothing completed: no figure, never a 0 */
            for (size_t i = 0; i < NSTATS; i++) {
                series(w, &dur);
                check_labels(w, secof[k], ck);
                label(b, "phase", ms_phase_name((ms_phase)p));
                label(b, "stat", ms_stat_name(STATS[i]));
                seconds(b, ck->kind == MS_KIND_HTTP ? ms_stats_get(&st, STATS[i])
                                                    : ck->answer.elapsed_us);
            }
        }
    }
    for (size_t k = 0; k < run->nchecks; k++) {
        const ms_run_check *ck = run->checks[k];
        for (int p = 0; p < MS_PH_COUNT; p++) {
            if (ck->budget_us[p] <= 0)
                continue;
            series(w, &budget);
            check_labels(w, secof[k], ck);
            label(b, "phase", ms_phase_name((ms_phase)p));
            seconds(b, ck->budget_us[p]);
        }
    }
}

ms_status ms_report_metrics(const ms_run *run, const ms_report_style *style, char **out)
{
    ms_status rc = MS_OK;
    ms_buf b, ids;
    const ms_run_section **secof = NULL;
    (void)style;
    *out = NULL;
    ms_buf_init(&b, SIZE_MAX); /* a run with that much to say is written whole */
    ms_buf_init(&ids, 0);
    if (!(secof = calloc(run->nchecks + 1, sizeof *secof))) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    for (size_t l = 0; l < run->nlists; l++) {
        const ms_run_list *cl = &run->lists[l];
        if (l > 0)
            ms_buf_addc(&ids, ',');
        ms_buf_adds(&ids, cl->id ? cl->id : "");
        for (size_t s = 0; s < cl->nsections; s++)
            for (size_t k = cl->sections[s].first;
                 k < cl->sections[s].first + cl->sections[s].n && k < run->nchecks; k++)
                secof[k] = &cl->sections[s];
    }
    if (ids.failed) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    writer w = {&b, ms_buf_str(&ids), run->label ? run->label : ""};
    run_families(&w, run);
    check_families(&w, run, secof);
    if (!(*out = ms_buf_take(&b)))
        rc = MS_ERR_NOMEM;
out:
    free(secof);
    ms_buf_cleanup(&ids);
    ms_buf_cleanup(&b);
    return rc;
}
