/* Reports of a finished (or interrupted) run: text, JSON and JUnit XML. */
#ifndef MS_REPORT_H
#define MS_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ms/checklist.h"
#include "ms/diag.h"
#include "ms/model.h"
#include "ms/score.h"
#include "ms/status.h"

/* Everything a report shows about one run. */
typedef struct {
    const ms_plan *plan;
    const char *libcurl; /* the version string of the libcurl that measured */
    ms_scores scores;
    ms_fix *fixes; /* owned by whoever built the run */
    size_t nfixes;
    const char *auditor;
    const char *label;
    const char *answers_path;
    const char *visited_at; /* from the answers file, or NULL */
    char started_at[40];
    char finished_at[40];
    int64_t duration_us;
    int samples; /* --samples override, 0 when none */
    long parallel;
    long per_host;
    bool interrupted;
    bool passed;     /* the gate */
    char why[160];   /* why the gate failed */
    bool incomplete; /* --require-complete and something unanswered */
    bool insecure;   /* TLS was not verified */
    int exit_code;
} ms_run;

/* Write the text report to out; colour with ANSI escapes when color is true. */
ms_status ms_report_text(const ms_run *run, FILE *out, bool color);

/* The JSON report (format 1) as a new string (caller frees). */
ms_status ms_report_json(const ms_run *run, char **out);

/* The JUnit XML report as a new string (caller frees). */
ms_status ms_report_junit(const ms_run *run, char **out);

/* validate --json: every file read (checklists, then the answers file when one was given) and
 * every problem found in them, as a new string (caller frees). */
ms_status ms_validate_json(const ms_diag *diag, const char *const *paths, size_t npaths,
                           char **out);

#endif
