/* The history on the command line: where the database is, recording a run, and the history
 * command (listings, a check over time, prune, import). The store itself is ms/store.h. */
#ifndef MS_HISTORY_H
#define MS_HISTORY_H

#include <stdbool.h>

#include "ms/buf.h"
#include "ms/cli.h"
#include "ms/run.h"
#include "ms/status.h"
#include "ms/store.h"

/* Where the history is: --history, else MS_HISTORY (both named by the user: *named), else
 * $XDG_STATE_HOME/mystery-shopper/history.db, else ~/.local/state/mystery-shopper/history.db.
 * Appended to path, which stays "" when there is no default (no HOME). MS_OK or MS_ERR_NOMEM. */
ms_status ms_history_path(const ms_options *opts, ms_buf *path, bool *named);

/* Record a finished run (scored and judged), with its JSON report (made here), in the history
 * the options name: none with --no-history; else --history, else MS_HISTORY, else the default
 * location, whose directory is made. A failure is a warning for the default location and an error
 * (MS_ERR_IO, said on stderr) for a named one; MS_ERR_NOMEM when out of memory. Prints nothing on
 * success. */
ms_status ms_history_record(const ms_run *run, const ms_options *opts);

/* The newest last runs (0: all) of run's series in the history the options name (as
 * ms_history_record finds it), newest first, into rows (ms_store_series): before run is recorded
 * (before 0), or the runs before the recorded run before (report REF). With checks, also the
 * checks of the newest checks of those runs (ms_store_series_checks). None with --no-history or
 * when the history does not exist yet; one that cannot be read is a warning and none. MS_OK or
 * MS_ERR_NOMEM. Free rows with ms_store_rows_cleanup. */
ms_status ms_history_series(const ms_run *run, const ms_options *o, long last, int64_t before,
                            size_t checks, ms_store_rows *rows);

/* The history's id of run (read from a report file) in *id: the recorded run whose report is the
 * one run gives (ms_report_json), or 0 when there is none, no history, or it cannot be read (then
 * a warning says why and *unread is true). MS_OK or MS_ERR_NOMEM. */
ms_status ms_history_find(const ms_run *run, const ms_options *o, int64_t *id, bool *unread);

/* history [--check ID] | history prune | history import: as the options say. MS_OK;
 * MS_ERR_USAGE (a bad --since or --older-than); MS_ERR_INVALID (a report import cannot read:
 * nothing is imported); MS_ERR_IO (the database); MS_ERR_NOMEM. */
ms_status ms_cmd_history(const ms_options *opts);

#endif
