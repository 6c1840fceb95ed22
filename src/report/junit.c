/* The JUnit XML report: one testsuite per checklist, one testcase per check. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ms/buf.h"
#include "ms/compare.h"
#include "ms/report.h"
#include "ms/score.h"
#include "ms/stats.h"

static void attr(ms_buf *b, const char *name, const char *value)
{
    ms_buf_printf(b, " %s=\"", name);
    ms_buf_add_xml(b, value ? value : "");
    ms_buf_addc(b, '"');
}

/* Milliseconds a check took, for the time attribute: the sum of its samples' totals (a sample
 * that broke off counts the time until it did), or -1 for a manual check, which has no measured
 * time (a stopwatch answer is what the auditor timed, not how long the test ran). Whole
 * milliseconds, so that a suite's time is exactly the sum of its testcases'. */
static int64_t check_ms(const ms_run_check *ck)
{
    int64_t us = 0;
    if (ck->kind != MS_KIND_HTTP)
        return -1;
    for (int i = 0; i < ck->nsamples; i++)
        us += ck->samples[i].ph[MS_PH_TOTAL];
    return (us + 500) / 1000;
}

/* The host fix that stands for check k, or NULL: its cause is shared with other checks. */
static const ms_run_fix *host_fix_of(const ms_run *run, size_t k)
{
    for (size_t i = 0; i < run->nfixes; i++)
        for (size_t j = 0; run->fixes[i].host && j < run->fixes[i].nchecks; j++)
            if (run->fixes[i].checks[j] == k)
                return &run->fixes[i];
    return NULL;
}

/* A failed check the gate counts (--fail-on): a <failure>. One the gate ignores is not. */
static bool gated(const ms_run *run, const ms_run_check *ck)
{
    return ck->status == MS_ST_FAIL &&
           (run->verdict.fail_on == MS_FAIL_ON_ANY ||
            (run->verdict.fail_on == MS_FAIL_ON_CRITICAL && ck->critical));
}

/* A failed check's evidence, id, factor, owner and fix, and the cause it shares with other
 * checks (one host fix for them in the fix list), or NULL. */
static void failure_body(ms_buf *b, const ms_run *run, const ms_run_check *ck,
                         const ms_run_fix *cause)
{
    ms_buf_add_xml(b, ck->evidence ? ck->evidence : "");
    ms_buf_printf(b, "\n%s", "check: ");
    ms_buf_add_xml(b, ck->id);
    ms_buf_printf(b, "\nfactor: %s, audience: %s", ms_factor_name(ck->factor),
                  ms_audience_name(ck->audience));
    ms_buf_adds(b, "\nowner: ");
    ms_buf_add_xml(b, ck->owner ? ck->owner : "nobody named");
    if (ck->fix) {
        ms_buf_adds(b, "\nfix: ");
        ms_buf_add_xml(b, ck->fix);
    }
    if (cause) { /* one cause took down several checks: the fix list has one fix for them */
        ms_buf_adds(b, "\ncause: ");
        ms_buf_add_xml(b, cause->title);
        ms_buf_printf(b, " (shared by %zu checks; fix ", cause->nchecks);
        ms_buf_printf(b, "%zu of the list): ", (size_t)(cause - run->fixes) + 1);
        ms_buf_add_xml(b, cause->error);
    }
}

static void testcase(ms_buf *b, const ms_run *run, const ms_run_list *cl, const ms_run_section *sec,
                     size_t k)
{
    const ms_run_check *ck = run->checks[k];
    const ms_run_fix *cause = host_fix_of(run, k);
    ms_buf classname; /* growable: long ids are never cut */
    ms_buf_init(&classname, 0);
    ms_buf_printf(&classname, "%s.%s", cl->id ? cl->id : "", sec->id ? sec->id : "");
    ms_buf_adds(b, "    <testcase");
    attr(b, "classname", ms_buf_str(&classname));
    if (classname.failed)
        b->failed = true; /* the report would be incomplete */
    ms_buf_cleanup(&classname);
    attr(b, "name", ck->title);
    if (ck->file)
        attr(b, "file", ck->file);
    if (ck->line > 0)
        ms_buf_printf(b, " line=\"%d\"", ck->line);
    int64_t ms = check_ms(ck);
    if (ms >= 0)
        ms_buf_printf(b, " time=\"%.3f\"", (double)ms / 1000);
    const char *evidence = ck->evidence ? ck->evidence : "";
    if (ck->status == MS_ST_FAIL && gated(run, ck)) {
        ms_buf_adds(b, ">\n      <failure");
        if (cause) { /* the message a CI page shows names the shared cause too */
            ms_buf msg;
            ms_buf_init(&msg, SIZE_MAX);
            ms_buf_printf(&msg, "%s; cause: %s", evidence, cause->title ? cause->title : "");
            attr(b, "message", ms_buf_str(&msg));
            if (msg.failed)
                b->failed = true; /* the report would be incomplete */
            ms_buf_cleanup(&msg);
        } else {
            attr(b, "message", evidence);
        }
        attr(b, "type", ck->critical ? "critical" : "failed");
        ms_buf_adds(b, ">");
        failure_body(b, run, ck, cause);
        ms_buf_adds(b, "</failure>\n    </testcase>\n");
    } else if (ck->status == MS_ST_FAIL) {
        ms_buf_printf(b, ">\n      <system-out>failed, which --fail-on %s does not count: ",
                      ms_fail_on_name(run->verdict.fail_on));
        failure_body(b, run, ck, cause);
        ms_buf_adds(b, "</system-out>\n    </testcase>\n");
    } else if (ck->status == MS_ST_PASS) {
        ms_buf_adds(b, ">\n      <system-out>");
        ms_buf_add_xml(b, evidence);
        ms_buf_adds(b, "</system-out>\n    </testcase>\n");
    } else {
        ms_buf_adds(b, ">\n      <skipped");
        attr(b, "message", evidence);
        ms_buf_adds(b, "/>\n    </testcase>\n");
    }
}

/* One testcase of the gate suite: an option given, or a reason of the run's own. */
typedef struct {
    const char *name;
    bool failed;
    const char *text;
    const char *body; /* the testcase's text when it is longer than text (the message), or NULL */
} gate_case;

static const char *reason_text(const ms_verdict *v, ms_reason_kind kind)
{
    for (size_t i = 0; i < v->nreasons; i++)
        if (v->reasons[i].kind == kind)
            return v->reasons[i].text;
    return NULL;
}

/* The text of the regression testcase (run --baseline): how many checks got slower since the
 * baseline, then a line per regressed check, "ID: got slower since REF: ..."; "no check got
 * slower since REF" when none did. MS_OK or MS_ERR_NOMEM. */
static ms_status regression_text(const ms_run *run, ms_buf *b)
{
    const ms_run_baseline *base = run->baseline;
    if (!base)
        return MS_OK;
    const char *ref = base->ref ? base->ref : "the baseline";
    const ms_comparison *c = &base->cmp;
    if (c->nregressed == 0)
        ms_buf_printf(b, "no check got slower since %s", ref);
    else
        ms_buf_printf(b, "%zu check%s got slower since %s%s", c->nregressed,
                      c->nregressed == 1 ? "" : "s", ref,
                      run->verdict.fail_on == MS_FAIL_ON_NONE ? " (--fail-on none)" : "");
    for (size_t i = 0; i < c->nchecks; i++) {
        if (!c->checks[i].regressed)
            continue;
        ms_buf_printf(b, "\n%s: ", c->checks[i].id ? c->checks[i].id : "?");
        ms_regression_evidence(base->ref, &c->checks[i], b);
    }
    return b->failed ? MS_ERR_NOMEM : MS_OK;
}

/* The gate's testcases, in the verdict's order: --fail-under and --require-complete when given
 * (failing when their reason applies), and each reason that is no check's failure (nothing
 * scored, interrupted, a report not written). fu_name (48 bytes) and passed_score hold texts
 * they point to. *out is new (caller frees); its length in *n. */
static ms_status gate_cases(const ms_run *run, char *fu_name, char *passed_score, size_t len,
                            const ms_buf *reg, gate_case **out, size_t *n)
{
    const ms_verdict *v = &run->verdict;
    gate_case *g = calloc(v->nreasons + 4, sizeof *g);
    *n = 0;
    *out = g;
    if (!g)
        return MS_ERR_NOMEM;
    if (ms_verdict_has(v, MS_REASON_NO_SCORE))
        g[(*n)++] = (gate_case){"scored checks", true, reason_text(v, MS_REASON_NO_SCORE), NULL};
    if (v->has_fail_under) {
        gate_case *c = &g[(*n)++];
        snprintf(fu_name, 48, "--fail-under %.15g", v->fail_under);
        c->name = fu_name;
        c->failed = ms_verdict_has(v, MS_REASON_SCORE);
        snprintf(passed_score, len, "score %.2f is not below %.15g", run->scores.overall,
                 v->fail_under);
        c->text = c->failed ? reason_text(v, MS_REASON_SCORE) : passed_score;
    }
    if (run->baseline) /* --baseline: failing when a regression fails the run */
        g[(*n)++] = (gate_case){"regression", ms_verdict_has(v, MS_REASON_REGRESSION),
                                ms_verdict_has(v, MS_REASON_REGRESSION)
                                    ? reason_text(v, MS_REASON_REGRESSION)
                                    : ms_buf_str(reg),
                                ms_buf_str(reg)};
    if (v->require_complete)
        g[(*n)++] = (gate_case){"--require-complete", v->incomplete,
                                v->incomplete ? reason_text(v, MS_REASON_INCOMPLETE)
                                              : "every manual check was answered",
                                NULL};
    for (size_t i = 0; i < v->nreasons; i++)
        if (v->reasons[i].kind == MS_REASON_INTERRUPTED)
            g[(*n)++] = (gate_case){"interrupted", true, v->reasons[i].text, NULL};
        else if (v->reasons[i].kind == MS_REASON_REPORT) /* named by the report it says */
            g[(*n)++] = (gate_case){v->reasons[i].text, true, v->reasons[i].text, NULL};
        else if (v->reasons[i].kind == MS_REASON_GATE) /* an older report's: it named no kind */
            g[(*n)++] = (gate_case){"gate", true, v->reasons[i].text, NULL};
    return MS_OK;
}

static void suite_head(ms_buf *b, const char *name, const char *id, size_t n, size_t failed,
                       size_t skipped, int64_t ms, const char *timestamp)
{
    ms_buf_adds(b, "  <testsuite");
    attr(b, "name", name);
    attr(b, "id", id);
    ms_buf_printf(b, " tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\" errors=\"0\"", n, failed,
                  skipped);
    ms_buf_printf(b, " time=\"%.3f\"", (double)ms / 1000);
    attr(b, "timestamp", timestamp);
    ms_buf_adds(b, ">\n");
}

/* The suites, after the <testsuites> line that sums them (into *tests ... *ms). */
static ms_status suites(const ms_run *run, ms_buf *b, size_t *tests, size_t *failures,
                        size_t *skipped, int64_t *total_ms)
{
    char passed_score[96], fu_name[48];
    gate_case *g = NULL;
    size_t ng = 0, gfailed = 0;
    ms_buf reg;
    ms_buf_init(&reg, 0);
    ms_status rc = regression_text(run, &reg);
    if (rc == MS_OK)
        rc = gate_cases(run, fu_name, passed_score, sizeof passed_score, &reg, &g, &ng);
    if (rc != MS_OK) {
        ms_buf_cleanup(&reg);
        return rc;
    }
    for (size_t l = 0; l < run->nlists; l++) {
        const ms_run_list *cl = &run->lists[l];
        size_t n = 0, failed = 0, skip = 0;
        int64_t ms = 0;
        for (size_t s = 0; s < cl->nsections; s++) {
            const ms_run_section *sec = &cl->sections[s];
            for (size_t k = sec->first; k < sec->first + sec->n; k++) {
                const ms_run_check *ck = run->checks[k];
                n++;
                failed += gated(run, ck);
                skip += ck->status != MS_ST_FAIL && ck->status != MS_ST_PASS;
                ms += check_ms(ck) > 0 ? check_ms(ck) : 0;
            }
        }
        *tests += n;
        *failures += failed;
        *skipped += skip;
        *total_ms += ms;
        suite_head(b, cl->title ? cl->title : cl->id, cl->id, n, failed, skip, ms, run->started_at);
        ms_buf_adds(b, "    <properties>\n");
        ms_buf_adds(b, "      <property name=\"file\"");
        attr(b, "value", cl->path);
        ms_buf_adds(b, "/>\n");
        if (run->label) {
            ms_buf_adds(b, "      <property name=\"label\"");
            attr(b, "value", run->label);
            ms_buf_adds(b, "/>\n");
        }
        if (run->insecure) /* TLS was not verified: a CI reader must see it too */
            ms_buf_adds(b, "      <property name=\"insecure\" value=\"true\"/>\n");
        for (size_t i = 0; i < run->net.nproxies; i++) { /* what carried the requests */
            ms_buf_adds(b, "      <property name=\"proxy\"");
            attr(b, "value", run->net.proxies[i].url);
            ms_buf_adds(b, "/>\n");
        }
        if (run->scores.has_overall) /* as the gate compares it */
            ms_buf_printf(b, "      <property name=\"overall_score\" value=\"%.2f\"/>\n",
                          run->scores.overall);
        ms_buf_adds(b, "    </properties>\n");
        for (size_t s = 0; s < cl->nsections; s++) {
            const ms_run_section *sec = &cl->sections[s];
            for (size_t k = sec->first; k < sec->first + sec->n; k++)
                testcase(b, run, cl, sec, k);
        }
        ms_buf_adds(b, "  </testsuite>\n");
    }
    for (size_t i = 0; i < ng; i++)
        gfailed += g[i].failed;
    if (ng) {
        *tests += ng;
        *failures += gfailed;
        suite_head(b, "gate", "gate", ng, gfailed, 0, 0, run->started_at);
    }
    for (size_t i = 0; i < ng; i++) {
        ms_buf_adds(b, "    <testcase classname=\"gate\"");
        attr(b, "name", g[i].name);
        ms_buf_adds(b, " time=\"0.000\">\n");
        if (g[i].failed) {
            ms_buf_adds(b, "      <failure");
            attr(b, "message", g[i].text);
            ms_buf_adds(b, " type=\"gate\">");
            ms_buf_add_xml(b, g[i].body ? g[i].body : g[i].text ? g[i].text : "");
            ms_buf_adds(b, "</failure>\n");
        } else {
            ms_buf_adds(b, "      <system-out>");
            ms_buf_add_xml(b, g[i].body ? g[i].body : g[i].text ? g[i].text : "");
            ms_buf_adds(b, "</system-out>\n");
        }
        ms_buf_adds(b, "    </testcase>\n");
    }
    if (ng)
        ms_buf_adds(b, "  </testsuite>\n");
    free(g);
    ms_buf_cleanup(&reg);
    return MS_OK;
}

/* A CI system reading the report reaches the run's verdict: a <failure> for each failed check
 * the gate counts and for each of the gate's own reasons, none otherwise. The <testsuites> line
 * sums the suites, so it is written last, in front. */
ms_status ms_report_junit(const ms_run *run, char **out)
{
    ms_buf b, body;
    size_t tests = 0, failures = 0, skipped = 0;
    int64_t ms = 0;
    ms_buf_init(&b, SIZE_MAX); /* a report is as large as the run: no cap but memory */
    ms_buf_init(&body, SIZE_MAX);
    ms_status rc = suites(run, &body, &tests, &failures, &skipped, &ms);
    if (rc == MS_OK) {
        ms_buf_adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        "<testsuites name=\"mystery-shopper\"");
        ms_buf_printf(
            &b, " tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\" errors=\"0\" time=\"%.3f\">\n",
            tests, failures, skipped, (double)ms / 1000);
        ms_buf_adds(&b, ms_buf_str(&body));
        if (body.failed)
            b.failed = true;
        rc = ms_buf_adds(&b, "</testsuites>\n");
    }
    ms_buf_cleanup(&body);
    if (rc != MS_OK) {
        ms_buf_cleanup(&b);
        return rc;
    }
    *out = ms_buf_take(&b);
    return *out ? MS_OK : MS_ERR_NOMEM;
}
