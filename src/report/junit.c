/* The JUnit XML report: one testsuite per checklist, one testcase per check. */
#include <stdint.h>
#include <stdlib.h>

#include "ms/buf.h"
#include "ms/report.h"
#include "ms/stats.h"

static void attr(ms_buf *b, const char *name, const char *value)
{
    ms_buf_printf(b, " %s=\"", name);
    ms_buf_add_xml(b, value ? value : "");
    ms_buf_addc(b, '"');
}

/* Seconds a check took, for the time attribute: the sum of its samples' totals (a sample that
 * broke off counts the time until it did). */
static double check_seconds(const ms_run_check *ck)
{
    double us = 0;
    if (ck->kind != MS_KIND_HTTP)
        return ck->answer.state == MS_ANS_VALUE && ck->kind == MS_KIND_STOPWATCH
                   ? (double)ck->answer.elapsed_us / 1e6
                   : 0;
    for (int i = 0; i < ck->nsamples; i++)
        us += (double)ck->samples[i].ph[MS_PH_TOTAL];
    return us / 1e6;
}

static void testcase(ms_buf *b, const ms_run_list *cl, const ms_run_section *sec,
                     const ms_run_check *ck)
{
    ms_buf classname; /* growable: long ids are never cut */
    ms_buf_init(&classname, 0);
    ms_buf_printf(&classname, "%s.%s", cl->id ? cl->id : "", sec->id ? sec->id : "");
    ms_buf_adds(b, "    <testcase");
    attr(b, "classname", ms_buf_str(&classname));
    if (classname.failed)
        b->failed = true; /* the report would be incomplete */
    ms_buf_cleanup(&classname);
    attr(b, "name", ck->title);
    ms_buf_printf(b, " time=\"%.3f\"", check_seconds(ck));
    const char *evidence = ck->evidence ? ck->evidence : "";
    switch (ck->status) {
    case MS_ST_PASS:
        ms_buf_adds(b, ">\n      <system-out>");
        ms_buf_add_xml(b, evidence);
        ms_buf_adds(b, "</system-out>\n    </testcase>\n");
        return;
    case MS_ST_FAIL:
        ms_buf_adds(b, ">\n      <failure");
        attr(b, "message", evidence);
        attr(b, "type", ck->critical ? "critical" : "failed");
        ms_buf_adds(b, ">");
        ms_buf_add_xml(b, evidence);
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
        ms_buf_adds(b, "</failure>\n    </testcase>\n");
        return;
    default:
        ms_buf_adds(b, ">\n      <skipped");
        attr(b, "message", evidence);
        ms_buf_adds(b, "/>\n    </testcase>\n");
        return;
    }
}

ms_status ms_report_junit(const ms_run *run, char **out)
{
    ms_buf b;
    ms_buf_init(&b, SIZE_MAX); /* a report is as large as the run: no cap but memory */
    size_t tests = run->nchecks;
    ms_buf_adds(&b,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"mystery-shopper\"");
    ms_buf_printf(
        &b, " tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\" errors=\"0\" time=\"%.3f\">\n", tests,
        run->scores.failed, run->scores.na + run->scores.unanswered + run->scores.not_run,
        (double)run->duration_us / 1e6);
    for (size_t l = 0; l < run->nlists; l++) {
        const ms_run_list *cl = &run->lists[l];
        size_t n = 0, failed = 0, skipped = 0;
        double secs = 0;
        for (size_t s = 0; s < cl->nsections; s++) {
            const ms_run_section *sec = &cl->sections[s];
            for (size_t k = sec->first; k < sec->first + sec->n; k++) {
                const ms_run_check *ck = &run->checks[k];
                n++;
                failed += ck->status == MS_ST_FAIL;
                skipped += ck->status != MS_ST_FAIL && ck->status != MS_ST_PASS;
                secs += check_seconds(ck);
            }
        }
        ms_buf_adds(&b, "  <testsuite");
        attr(&b, "name", cl->title ? cl->title : cl->id);
        attr(&b, "id", cl->id);
        ms_buf_printf(&b, " tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\" errors=\"0\"", n, failed,
                      skipped);
        ms_buf_printf(&b, " time=\"%.3f\"", secs);
        attr(&b, "timestamp", run->started_at);
        ms_buf_adds(&b, ">\n    <properties>\n");
        ms_buf_adds(&b, "      <property name=\"file\"");
        attr(&b, "value", cl->path);
        ms_buf_adds(&b, "/>\n");
        if (run->label) {
            ms_buf_adds(&b, "      <property name=\"label\"");
            attr(&b, "value", run->label);
            ms_buf_adds(&b, "/>\n");
        }
        if (run->insecure) /* TLS was not verified: a CI reader must see it too */
            ms_buf_adds(&b, "      <property name=\"insecure\" value=\"true\"/>\n");
        for (size_t i = 0; i < run->net.nproxies; i++) { /* what carried the requests */
            ms_buf_adds(&b, "      <property name=\"proxy\"");
            attr(&b, "value", run->net.proxies[i].url);
            ms_buf_adds(&b, "/>\n");
        }
        if (run->scores.has_overall)
            ms_buf_printf(&b, "      <property name=\"overall_score\" value=\"%.1f\"/>\n",
                          run->scores.overall);
        ms_buf_adds(&b, "    </properties>\n");
        for (size_t s = 0; s < cl->nsections; s++) {
            const ms_run_section *sec = &cl->sections[s];
            for (size_t k = sec->first; k < sec->first + sec->n; k++)
                testcase(&b, cl, sec, &run->checks[k]);
        }
        ms_buf_adds(&b, "  </testsuite>\n");
    }
    ms_status rc = ms_buf_adds(&b, "</testsuites>\n");
    if (rc != MS_OK) {
        ms_buf_cleanup(&b);
        return rc;
    }
    *out = ms_buf_take(&b);
    return *out ? MS_OK : MS_ERR_NOMEM;
}
