/* Reports of a finished (or interrupted) run: text, JSON and JUnit XML. Every writer takes only
 * the run record (ms/run.h); the JSON report is also read back into one. */
#ifndef MS_REPORT_H
#define MS_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ms/plan.h"
#include "ms/diag.h"
#include "ms/run.h"
#include "ms/status.h"

/* The format number of the JSON report this version writes. */
#define MS_REPORT_FORMAT 3

/* Write the text report to out, 80 columns wide; colour with ANSI escapes when color is true.
 * (ms_report_text_style with only the colour set.) */
ms_status ms_report_text(const ms_run *run, FILE *out, bool color);

/* The verdict line of the text report ("Verdict: FAIL: every reason"), then the first nfixes
 * fixes, one line each with its evidence: what -q says on stderr when a run does not pass. */
ms_status ms_report_verdict(const ms_run *run, FILE *out, bool color, size_t nfixes);

/* The JSON report (format 2, docs/report-format.md) as a new string (caller frees). */
ms_status ms_report_json(const ms_run *run, char **out);
/* Room for any number's text below. */
#define MS_JSON_NUMBER_MAX 32
/* d as cJSON 1.7.15 prints a number (print_number: "null" for NaN and infinities, else %1.15g
 * when that reads back as d, else %1.17g), into out; its length. The report's numbers are made
 * with it: integers and thousandths without printf. Exposed for the tests, which hold it to
 * cJSON's own output. */
size_t ms_json_number_text(double d, char out[MS_JSON_NUMBER_MAX]);
/* The same text handed to emit a piece at a time (about 64 KB each) as it is made: the report
 * is never whole in memory. MS_OK, emit's failure, or MS_ERR_NOMEM. */
ms_status ms_report_json_write(const ms_run *run, ms_put_fn emit, void *sink);

/* Read a JSON report (format 1 or 2; len bytes of text, named name in problems) back into a new
 * record (free with ms_run_free): what ms_report_json wrote, so that writing it again gives the
 * same bytes. MS_OK; MS_ERR_INVALID with the problem (file, line, column, field) added to diag;
 * or MS_ERR_NOMEM. */
ms_status ms_run_from_json(const char *name, const char *text, size_t len, ms_diag *diag,
                           ms_run **out);

/* The JUnit XML report as a new string (caller frees). */
ms_status ms_report_junit(const ms_run *run, char **out);

/* The message of run --notify (docs/report-format.md, The notification) as a new string (caller
 * frees): a JSON object with a Slack-compatible "text" (the verdict, checklists, label, overall
 * score, reasons and the first fixes) and the same as fields. MS_OK or MS_ERR_NOMEM. */
ms_status ms_report_notify(const ms_run *run, char **out);

/* A failed check's current streak of failing runs in its series (ms_store_series). */
typedef struct {
    const char *since; /* started_at of the streak's first run (borrowed) */
    size_t runs;       /* failing runs in a row, this one included; 0: the check did not fail */
    bool more;         /* it failed in every earlier run that was read: the streak may be longer */
} ms_report_streak;

/* One check's figure over its series: the value history --check shows (ms_store_check_row:
 * median total ms of an http check, elapsed ms of a stopwatch, the rating, 1 yes / 0 no), for
 * each of the last runs that had the check, oldest first, this run last. Arrays borrowed. */
typedef struct {
    const double *values;
    const bool *has; /* values[i] is a value (the check was measured or answered in that run) */
    size_t n;        /* 0: the check is in no earlier run */
} ms_report_trend;

/* What the text report shows of the earlier runs of the run's series: given only when the
 * history has earlier runs. Arrays borrowed. */
typedef struct {
    const ms_report_streak *streaks; /* one a check of the run, as run->checks (nstreaks) */
    size_t nstreaks;
    const double *overall; /* the overall scores of the last runs, oldest first, this run last */
    const bool *has_overall;
    size_t noverall;
    const ms_report_trend *trends; /* one a check, as run->checks (ntrends; NULL: none): the
                                    * HTML report's sparkline per check */
    size_t ntrends;
} ms_report_history;

/* How a writer is asked to write. */
typedef struct {
    bool color;   /* ANSI colours (text) */
    int width;    /* text: no line is wider (0: 80; it is kept within 40 to 1000) */
    bool verbose; /* text: each http check's phases as a waterfall, and every sample (-v) */
    const ms_report_history *history; /* text: "failing since" and the trend; NULL: none */
} ms_report_style;

/* Write the text report to out as style says: MS_OK; MS_ERR_IO when out failed; MS_ERR_NOMEM
 * when a line could not be built (the report is not whole). */
ms_status ms_report_text_style(const ms_run *run, FILE *out, const ms_report_style *style);

/* The HTML report (--html): one self-contained page, docs/html-report.md. The style's history
 * (when given) adds each check's trend; nothing else of the style is read. New string in *out
 * (caller frees): MS_OK or MS_ERR_NOMEM. */
ms_status ms_report_html(const ms_run *run, const ms_report_style *style, char **out);

/* The Markdown report (--markdown): GitHub-flavoured, for CI job pages. As ms_report_html. */
ms_status ms_report_markdown(const ms_run *run, const ms_report_style *style, char **out);

/* The metrics (--metrics, --push): the Prometheus text format, docs/metrics.md. As
 * ms_report_html; the style is not read. */
ms_status ms_report_metrics(const ms_run *run, const ms_report_style *style, char **out);

/* A writer: the report of run as a new string in *out (caller frees). MS_OK or MS_ERR_NOMEM. */
typedef ms_status (*ms_report_fn)(const ms_run *run, const ms_report_style *style, char **out);

/* A writer that hands the report to emit a piece at a time as it makes it (see
 * ms_report_json_write). */
typedef ms_status (*ms_report_stream_fn)(const ms_run *run, const ms_report_style *style,
                                         ms_put_fn emit, void *sink);

typedef struct {
    const char *name; /* "text", "json", "junit", "html", "markdown", "metrics" */
    ms_report_fn write;
    ms_report_stream_fn stream; /* NULL: the format is made whole (write) */
} ms_report_writer;

/* The writer of a format by its name, or NULL when there is none. A new format is one entry of
 * the table in src/report/report.c and an option. */
const ms_report_writer *ms_report_find(const char *name);

/* validate --json: every file read (checklists, then the answers file when one was given) and
 * every problem found in them, as a new string (caller frees). */
ms_status ms_validate_json(const ms_diag *diag, const char *const *paths, size_t npaths,
                           char **out);
/* The same with the warnings found (NULL: none), as "warnings" beside "problems". */
ms_status ms_validate_json_warn(const ms_diag *diag, const ms_diag *warnings,
                                const char *const *paths, size_t npaths, char **out);

#endif
