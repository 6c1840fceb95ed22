/* References to a run, as compare BASE NEW and run --baseline REF take them: a JSON report file,
 * or a run of the history ("@last", "@last-pass", "@ID", "@label:NAME"). */
#ifndef MS_REF_H
#define MS_REF_H

#include <stddef.h>
#include <stdint.h>

#include "ms/buf.h"
#include "ms/cli.h"
#include "ms/compare.h"
#include "ms/run.h"
#include "ms/status.h"

/* Load the run ref names into *out (free with ms_run_free): a JSON report file (anything not
 * starting with '@'), or from the history the options name (--history, else MS_HISTORY, else
 * the default location; never created): @last the newest run, @last-pass the newest that
 * passed, @ID the run of that id (digits), @label:NAME the newest run with that label. *id (when
 * not NULL) is the history's id of the run, 0 for a file. Prints nothing. MS_OK; MS_ERR_USAGE
 * with why (bad @ syntax, no history yet, no such run, the file cannot be read); MS_ERR_INVALID
 * with why (the file or the stored report is not a JSON report: its first problem, naming the
 * file); MS_ERR_IO with why (the history cannot be read); MS_ERR_NOMEM. */
ms_status ms_ref_load(const char *ref, const ms_options *opts, ms_run **out, int64_t *id, char *why,
                      size_t whylen);

/* One line about the run a reference named, for reports: "run 12 (@last), started
 * 2026-12-01T10:00:00Z, label prod" or "base.json, started ..., no label". Appends to out.
 * id is what ms_ref_load gave (0: a file). */
ms_status ms_ref_describe(const char *ref, const ms_run *run, int64_t id, ms_buf *out);

/* A new baseline (free with ms_run_baseline_free) naming the run ref loaded: copies of ref and
 * of base's start and label; its comparison zeroed, for ms_compare_runs to fill. MS_OK or
 * MS_ERR_NOMEM (then *out is NULL). */
ms_status ms_ref_baseline_new(const char *ref, const ms_run *base, ms_run_baseline **out);

/* compare BASE NEW [--json]: the text report (or JSON) of the comparison on stdout. MS_OK when
 * nothing regressed; MS_ERR_GATE (exit 1) when some phase regressed or some check started
 * failing; MS_ERR_USAGE or MS_ERR_INVALID (exit 2) for a reference that cannot be loaded, said on
 * stderr; MS_ERR_IO; MS_ERR_NOMEM. */
ms_status ms_cmd_compare(const ms_options *opts);

#endif
