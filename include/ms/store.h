/* The history: every run kept in an embedded SQLite database (docs/decisions.md, History).
 * A run is stored in one transaction, with its JSON report made by report/ (so the store need
 * not link the writers), written into the database piece by piece as it is made: read back with
 * ms_run_from_json, any run renders again.
 * The database is in WAL mode with a busy timeout, so runs started at once all land, and its
 * schema has a version (PRAGMA user_version) that migrates forward when it is opened.
 * Links core only and loads SQLite (sqlite_dl.c). Prints nothing: failures come back as a status
 * and a reason. */
#ifndef MS_STORE_H
#define MS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ms/fileio.h"
#include "ms/run.h"
#include "ms/status.h"

/* The schema version this build writes (PRAGMA user_version). */
#define MS_STORE_VERSION 3
/* How long a writer waits for another one to finish, in milliseconds. */
#define MS_STORE_BUSY_MS 10000

typedef struct ms_store ms_store;

/* What separates the ids of a list in a row: the unit separator, which no id the tool writes
 * holds (an imported report's ids are not checked). */
#define MS_STORE_SEP '\x1f'

/* Open (create == true: create when missing, but not its directory) the database at path,
 * set WAL mode and the busy timeout, and create or migrate its schema to MS_STORE_VERSION in
 * one transaction. *out is new (close with ms_store_close). MS_OK; MS_ERR_IO with a reason in
 * why (it cannot be opened or written, it is not a database, its version is newer than this
 * build knows, or create is false and it does not exist: then *missing is true when missing is
 * not NULL); MS_ERR_NOMEM. */
ms_status ms_store_open(const char *path, bool create, ms_store **out, bool *missing, char *why,
                        size_t whylen);

/* Loads SQLite, which the binary does not link (src/store/sqlite_dl.c), once: true when it is
 * loaded; else false and *why (when why is not NULL) says why, a phrase. ms_store_open and
 * ms_store_parse_time call it. */
bool ms_sqlite_load(const char **why);

/* ms_sqlite_load as a status: MS_OK, or MS_ERR_IO with why ("cannot load SQLite: ..."). For a
 * caller that would make something (a directory) for a history only when it can be opened. */
ms_status ms_store_load(char *why, size_t whylen);

/* Close the database; harmless on NULL. */
void ms_store_close(ms_store *st);

/* What the record does not hold about a run; every field may be NULL. Strings are borrowed. */
typedef struct {
    const char *host;          /* the machine that ran it */
    const char *const *hashes; /* per run->lists[i]: the checklist file's content hash */
    const char *options;       /* the run's options as a JSON object (text) */
    const char *source;        /* "run" or "import" (NULL: "run") */
} ms_store_extra;

/* A run's JSON report for the history: text, whole, or len bytes that produce(ud, put, sink)
 * gives put in pieces, once, when text is NULL (so that it is never whole in memory: at 10,000
 * checks it is 28 MB). */
typedef struct {
    const char *text;
    size_t len;
    ms_produce_fn produce;
    void *ud;
} ms_store_text;

/* Record a scored and judged run with its JSON report (what ms_report_json makes of it, or the
 * report file it was read from) in one transaction: the run, its checklists, each check's
 * outcome, score and statistics, every sample with its phases, every answer with its note, and
 * the report. Either all of it lands or none. *id (when not NULL) is the run's id. MS_OK;
 * MS_ERR_IO with a reason in why (a report whose producer gave other than len bytes is one);
 * MS_ERR_NOMEM, or the producer's own failure. */
ms_status ms_store_add_run(ms_store *st, const ms_run *run, const ms_store_text *report,
                           const ms_store_extra *extra, int64_t *id, char *why, size_t whylen);

/* The run whose report is exactly json, started at started_at, if any: *id is its id, or 0. */
ms_status ms_store_find_report(ms_store *st, const char *started_at, const char *json, int64_t *id,
                               char *why, size_t whylen);

/* Which runs a query is about; every field may be NULL / 0. */
typedef struct {
    const char *label;     /* runs with this label */
    const char *checklist; /* runs that include the checklist with this id */
    long last;             /* only the newest N (0: all) */
    int64_t since;         /* runs started at or after this Unix time (0: all) */
} ms_store_filter;

/* One run in a listing. Strings are owned by the list. */
typedef struct {
    int64_t id;
    char *started_at;
    char *label;      /* NULL when none */
    char *checklists; /* ids, each after the first preceded by MS_STORE_SEP */
    bool has_overall;
    double overall;
    bool passed;
    char *reason; /* the verdict's reason, NULL when it passed */
    bool interrupted, incomplete;
    int exit_code;
    char *failed; /* ids of the failed checks in run order, as checklists; "" when none */
    size_t nfailed;
} ms_store_run_row;

/* One check in one run, for its history. Strings are owned by the list. */
typedef struct {
    int64_t run_id;
    char *check; /* the check's id (ms_store_series_checks only; NULL otherwise) */
    char *started_at;
    char *label;
    char *status;  /* pass, fail, na, unanswered, not-run */
    char *measure; /* what value is: "median total ms", "elapsed ms", "rating", "yes/no" */
    bool has_value;
    double value; /* milliseconds for http and stopwatch checks; the rating; 1 yes, 0 no */
    bool has_score;
    double score;
} ms_store_check_row;

typedef struct {
    ms_store_run_row *runs;
    size_t nruns;
    ms_store_check_row *checks;
    size_t nchecks;
} ms_store_rows;

/* The runs that filter selects, newest first, into rows->runs. MS_OK; MS_ERR_IO (why);
 * MS_ERR_NOMEM. Free rows with ms_store_rows_cleanup. */
ms_status ms_store_list_runs(ms_store *st, const ms_store_filter *filter, ms_store_rows *rows,
                             char *why, size_t whylen);

/* The newest last runs (0: all) of run's series, newest first, into rows->runs: the runs with
 * the same label as run (or, when it has none, without one) and the same set of checklist ids
 * (in any order). before: 0, or the id of a recorded run, whose earlier runs are read (report REF
 * renders a run again with what the history held when it ran: the runs started before it, and
 * of the same second, recorded before it). run --notify-on change and the text report's "failing
 * since" read it before run is recorded. MS_OK; MS_ERR_IO (why); MS_ERR_NOMEM. Free rows with
 * ms_store_rows_cleanup. */
ms_status ms_store_series(ms_store *st, const ms_run *run, long last, int64_t before,
                          ms_store_rows *rows, char *why, size_t whylen);

/* The checks of the runs ids[0..n), each with its id, figure (ms_store_check_figure) and status,
 * appended to rows->checks in no particular order. MS_OK; MS_ERR_IO (why); MS_ERR_NOMEM. */
ms_status ms_store_series_checks(ms_store *st, const int64_t *ids, size_t n, ms_store_rows *rows,
                                 char *why, size_t whylen);

/* The figure a check's history follows (the value of ms_store_check_row), and its name
 * ("median total ms", "elapsed ms", "rating", "yes/no") in measure: *has is false when there is
 * none (every sample failed, not answered, n/a). */
void ms_store_check_figure(const ms_run_check *ck, char *measure, size_t len, bool *has,
                           double *value);

/* The check check_id in each run that filter selects and that has it, oldest first, into
 * rows->checks (the newest filter->last of them when last is set). */
ms_status ms_store_check_history(ms_store *st, const char *check_id, const ms_store_filter *filter,
                                 ms_store_rows *rows, char *why, size_t whylen);

/* The ids of the checks any recorded run has, in id order, as a new NULL-terminated array of
 * new strings (*n of them; free with ms_strv_free). MS_OK; MS_ERR_IO (why); MS_ERR_NOMEM. */
ms_status ms_store_check_ids(ms_store *st, char ***ids, size_t *n, char *why, size_t whylen);

/* Free a NULL-terminated array of strings and the array; harmless on NULL. */
void ms_strv_free(char **v);

/* Free what the rows hold and zero them. Harmless on zeroed rows. */
void ms_store_rows_cleanup(ms_store_rows *rows);

/* Remove, in one transaction, every run started before the Unix time before, with all it
 * holds; *removed is how many. Freed pages are given back to the file system when the
 * database allows it (auto_vacuum). */
ms_status ms_store_prune(ms_store *st, int64_t before, int64_t *removed, char *why, size_t whylen);

/* The JSON report of run id as a new string (caller frees): MS_OK; MS_ERR_USAGE when there is
 * no such run; MS_ERR_IO; MS_ERR_NOMEM. */
ms_status ms_store_report(ms_store *st, int64_t id, char **json, char *why, size_t whylen);

/* The Unix time of an ISO 8601 date or time ("2026-11-20", "2026-11-20T09:30:00+07:00"), as
 * SQLite reads it (the time is UTC without an offset). MS_ERR_USAGE when it is not one; MS_ERR_IO
 * when SQLite cannot be loaded (ms_sqlite_load says whether it could) or cannot read it. */
ms_status ms_store_parse_time(const char *s, int64_t *out);

#endif
