/* The history in SQLite (see ms/store.h).
 *
 * Schema version 1: runs, checklists, checks, stats, samples, answers (one row each, keyed by
 * the run and the check's position in it). Version 2 adds runs.started_unix (the start as a
 * Unix time, so that runs started under different UTC offsets sort and prune correctly) and the
 * indexes the queries use. Version 3 moves each run's JSON report into a table of its own,
 * reports, whose last column it is: it is then written in pieces as it is made (incremental BLOB
 * I/O into a zeroblob, which SQLite keeps as it is only in a row's last column), not bound whole
 * as text, which SQLite copied whole again into the row. A new database is made as version 1 and
 * migrated, so the migration path is the one every database takes. */
#include "ms/store.h"

#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ms/buf.h"
#include "ms/i18n.h"
#include "ms/model.h"
#include "ms/stats.h"

struct ms_store {
    sqlite3 *db;
};

static const char SCHEMA_V1[] =
    "CREATE TABLE runs ("
    " id INTEGER PRIMARY KEY,"
    " started_at TEXT NOT NULL, finished_at TEXT, duration_us INTEGER NOT NULL,"
    " tool_version TEXT, libcurl TEXT, label TEXT, auditor TEXT, host TEXT,"
    " source TEXT NOT NULL, answers_file TEXT, visited_at TEXT, options TEXT,"
    " samples INTEGER, parallel INTEGER NOT NULL, per_host INTEGER NOT NULL,"
    " insecure INTEGER NOT NULL, interrupted INTEGER NOT NULL,"
    " overall REAL, product REAL, people REAL, convenience REAL, external REAL, internal REAL,"
    " passed INTEGER NOT NULL, reason TEXT, incomplete INTEGER NOT NULL,"
    " exit_code INTEGER NOT NULL, nchecks INTEGER NOT NULL, report TEXT NOT NULL);"
    "CREATE TABLE checklists (run_id INTEGER NOT NULL, pos INTEGER NOT NULL, id TEXT NOT NULL,"
    " title TEXT, path TEXT, hash TEXT, PRIMARY KEY (run_id, pos));"
    "CREATE TABLE checks (run_id INTEGER NOT NULL, pos INTEGER NOT NULL,"
    " checklist TEXT NOT NULL, section TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL,"
    " factor TEXT NOT NULL, critical INTEGER NOT NULL, status TEXT NOT NULL, score REAL,"
    " stat TEXT, judged_phase TEXT, measure TEXT, value REAL, evidence TEXT,"
    " PRIMARY KEY (run_id, pos));"
    "CREATE TABLE stats (run_id INTEGER NOT NULL, check_pos INTEGER NOT NULL,"
    " phase TEXT NOT NULL, n INTEGER NOT NULL, min_us INTEGER, median_us INTEGER,"
    " p90_us INTEGER, p95_us INTEGER, max_us INTEGER, mean_us INTEGER, budget_us INTEGER,"
    " PRIMARY KEY (run_id, check_pos, phase));"
    "CREATE TABLE samples (run_id INTEGER NOT NULL, check_pos INTEGER NOT NULL,"
    " idx INTEGER NOT NULL, ok INTEGER NOT NULL, error TEXT, status INTEGER NOT NULL,"
    " http_version TEXT, remote_ip TEXT, remote_port INTEGER, redirects INTEGER,"
    " connects INTEGER, bytes INTEGER, body_cut INTEGER, completed INTEGER NOT NULL,"
    " dns_us INTEGER, connect_us INTEGER, tls_us INTEGER, server_us INTEGER,"
    " transfer_us INTEGER, ttfb_us INTEGER, total_us INTEGER, redirect_us INTEGER,"
    " elapsed_us INTEGER NOT NULL, PRIMARY KEY (run_id, check_pos, idx));"
    "CREATE TABLE answers (run_id INTEGER NOT NULL, check_pos INTEGER NOT NULL,"
    " na INTEGER NOT NULL, value REAL, elapsed_us INTEGER, note TEXT, at TEXT,"
    " PRIMARY KEY (run_id, check_pos));"
    "PRAGMA user_version = 1;";

static const char MIGRATE_V2[] =
    "ALTER TABLE runs ADD COLUMN started_unix INTEGER;"
    "UPDATE runs SET started_unix = CAST(strftime('%s', started_at) AS INTEGER);"
    "CREATE INDEX runs_started ON runs (started_unix);"
    "CREATE INDEX checks_id ON checks (id);"
    "CREATE INDEX checklists_id ON checklists (id);"
    "PRAGMA user_version = 2;";

/* The reports are BLOBs (what the pieces are written into), the old ones made so too, so that a
 * report is found by comparing bytes (ms_store_find_report). runs is made again without its
 * report, as SQLite's "other kinds of table schema changes" say (ALTER TABLE DROP COLUMN would do
 * it in one line, but only from SQLite 3.35). */
#define RUNS_COLUMNS_V3                                                                            \
    "id, started_at, finished_at, duration_us, tool_version, libcurl, label, auditor, host,"       \
    " source, answers_file, visited_at, options, samples, parallel, per_host, insecure,"           \
    " interrupted, overall, product, people, convenience, external, internal, passed, reason,"     \
    " incomplete, exit_code, nchecks, started_unix"
static const char MIGRATE_V3[] =
    "CREATE TABLE reports (run_id INTEGER PRIMARY KEY, report BLOB NOT NULL);"
    "INSERT INTO reports (run_id, report) SELECT id, CAST(report AS BLOB) FROM runs;"
    "CREATE TABLE runs_v3 ("
    " id INTEGER PRIMARY KEY,"
    " started_at TEXT NOT NULL, finished_at TEXT, duration_us INTEGER NOT NULL,"
    " tool_version TEXT, libcurl TEXT, label TEXT, auditor TEXT, host TEXT,"
    " source TEXT NOT NULL, answers_file TEXT, visited_at TEXT, options TEXT,"
    " samples INTEGER, parallel INTEGER NOT NULL, per_host INTEGER NOT NULL,"
    " insecure INTEGER NOT NULL, interrupted INTEGER NOT NULL,"
    " overall REAL, product REAL, people REAL, convenience REAL, external REAL, internal REAL,"
    " passed INTEGER NOT NULL, reason TEXT, incomplete INTEGER NOT NULL,"
    " exit_code INTEGER NOT NULL, nchecks INTEGER NOT NULL, started_unix INTEGER);"
    "INSERT INTO runs_v3 (" RUNS_COLUMNS_V3 ") SELECT " RUNS_COLUMNS_V3 " FROM runs;"
    "DROP TABLE runs;"
    "ALTER TABLE runs_v3 RENAME TO runs;"
    "CREATE INDEX runs_started ON runs (started_unix);"
    "PRAGMA user_version = 3;";

/* Migrations, one a version: MIGRATIONS[v] takes a database of version v to v + 1. */
static const char *const MIGRATIONS[MS_STORE_VERSION] = {SCHEMA_V1, MIGRATE_V2, MIGRATE_V3};

/* The reason of the last failure on db, and its status (out of memory or an I/O error). */
static ms_status fail(sqlite3 *db, const char *what, char *why, size_t whylen)
{
    int code = db ? sqlite3_errcode(db) : SQLITE_NOMEM;
    snprintf(why, whylen, "%s: %s", _(what), db ? sqlite3_errmsg(db) : _("out of memory"));
    return code == SQLITE_NOMEM ? MS_ERR_NOMEM : MS_ERR_IO;
}

static ms_status exec(sqlite3 *db, const char *sql, const char *what, char *why, size_t whylen)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return fail(db, what, why, whylen);
    return MS_OK;
}

/* One integer from a query without parameters. */
static ms_status query_int(sqlite3 *db, const char *sql, int64_t *out, char *why, size_t whylen)
{
    ms_status rc = MS_OK;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK || sqlite3_step(q) != SQLITE_ROW)
        rc = fail(db, sql, why, whylen);
    else
        *out = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return rc;
}

/* WAL mode. Changing the mode needs a lock the busy handler does not wait for everywhere, so a
 * database that many runs open at once for the first time is retried for the busy timeout. */
static ms_status set_wal(sqlite3 *db, char *why, size_t whylen)
{
    ms_status rc = MS_OK;
    for (int waited = 0;; waited += 10) {
        int e = sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
        if (e == SQLITE_OK)
            break;
        if ((e != SQLITE_BUSY && e != SQLITE_LOCKED) || waited >= MS_STORE_BUSY_MS) {
            rc = fail(db, N_("cannot use WAL mode"), why, whylen);
            break;
        }
        sqlite3_sleep(10);
    }
    return rc;
}

/* Create or migrate the schema in one transaction: either the whole migration lands or none. */
static ms_status migrate(sqlite3 *db, char *why, size_t whylen)
{
    ms_status rc = MS_OK;
    int64_t version = 0, tables = 0;
    if ((rc = exec(db, "BEGIN IMMEDIATE", N_("cannot start a transaction"), why, whylen)) != MS_OK)
        return rc;
    if ((rc = query_int(db, "PRAGMA user_version", &version, why, whylen)) != MS_OK)
        goto out;
    if (version > MS_STORE_VERSION) {
        snprintf(why, whylen,
                 _("its schema version %lld is newer than this mystery-shopper knows (%d)"),
                 (long long)version, MS_STORE_VERSION);
        rc = MS_ERR_IO;
        goto out;
    }
    if (version == 0) {
        /* Some other SQLite database: never add our tables to it. */
        if ((rc = query_int(db, "SELECT count(*) FROM sqlite_master", &tables, why, whylen)) !=
            MS_OK)
            goto out;
        if (tables != 0) {
            snprintf(why, whylen, _("it is a SQLite database, but not a mystery-shopper history"));
            rc = MS_ERR_IO;
            goto out;
        }
    }
    for (int64_t v = version; v < MS_STORE_VERSION; v++)
        if ((rc = exec(db, MIGRATIONS[v], N_("cannot migrate the schema"), why, whylen)) != MS_OK)
            goto out;
    rc = exec(db, "COMMIT", N_("cannot commit"), why, whylen);
out:
    if (rc != MS_OK)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

ms_status ms_store_load(char *why, size_t whylen)
{
    const char *cannot = NULL;
    if (ms_sqlite_load(&cannot))
        return MS_OK;
    snprintf(why, whylen, _("cannot load SQLite: %s"), cannot);
    return MS_ERR_IO;
}

ms_status ms_store_open(const char *path, bool create, ms_store **out, bool *missing, char *why,
                        size_t whylen)
{
    ms_status rc = MS_OK;
    ms_store *st = NULL;
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    *out = NULL;
    if (missing)
        *missing = false;
    if (!create && access(path, F_OK) != 0) {
        if (missing)
            *missing = true;
        snprintf(why, whylen, _("no history yet (the file does not exist)"));
        return MS_ERR_IO;
    }
    if ((rc = ms_store_load(why, whylen)) != MS_OK)
        return rc;
    if (!(st = calloc(1, sizeof *st)))
        return MS_ERR_NOMEM;
    if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
        rc = fail(st->db, N_("cannot open it"), why, whylen);
        goto out;
    }
    sqlite3_extended_result_codes(st->db, 0);
    sqlite3_busy_timeout(st->db, MS_STORE_BUSY_MS);
    /* Before any table exists, so that prune can give pages back; a no-op later. */
    if ((rc = exec(st->db, "PRAGMA auto_vacuum = INCREMENTAL", N_("cannot read it"), why,
                   whylen)) != MS_OK)
        goto out;
    if ((rc = set_wal(st->db, why, whylen)) != MS_OK)
        goto out;
    if ((rc = migrate(st->db, why, whylen)) != MS_OK)
        goto out;
    *out = st;
    st = NULL;
out:
    ms_store_close(st);
    return rc;
}

void ms_store_close(ms_store *st)
{
    if (!st)
        return;
    sqlite3_close(st->db);
    free(st);
}

/* Bind helpers: NULL strings and absent numbers are SQL NULL. */
static int bind_text(sqlite3_stmt *q, int i, const char *s)
{
    return s ? sqlite3_bind_text(q, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(q, i);
}

static int bind_real(sqlite3_stmt *q, int i, bool has, double v)
{
    return has ? sqlite3_bind_double(q, i, v) : sqlite3_bind_null(q, i);
}

/* Run a prepared insert once and make it ready for the next row. */
static ms_status step_reset(sqlite3 *db, sqlite3_stmt *q, const char *what, char *why,
                            size_t whylen)
{
    ms_status rc = MS_OK;
    if (sqlite3_step(q) != SQLITE_DONE)
        rc = fail(db, what, why, whylen);
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return rc;
}

/* The Unix time of an ISO 8601 text as SQLite reads it; *ok false when it reads none. */
static ms_status unix_time(sqlite3 *db, const char *s, int64_t *out, bool *ok, char *why,
                           size_t whylen)
{
    ms_status rc = MS_OK;
    sqlite3_stmt *q = NULL;
    *ok = false;
    if (sqlite3_prepare_v2(db, "SELECT CAST(strftime('%s', ?1) AS INTEGER)", -1, &q, NULL) !=
            SQLITE_OK ||
        bind_text(q, 1, s) != SQLITE_OK || sqlite3_step(q) != SQLITE_ROW) {
        rc = fail(db, N_("cannot read a time"), why, whylen);
        goto out;
    }
    if (sqlite3_column_type(q, 0) != SQLITE_NULL) {
        *ok = true;
        *out = sqlite3_column_int64(q, 0);
    }
out:
    sqlite3_finalize(q);
    return rc;
}

ms_status ms_store_parse_time(const char *s, int64_t *out)
{
    ms_status rc = MS_OK;
    sqlite3 *db = NULL;
    bool ok = false;
    char why[256];
    /* A date first ("2026-11-20"): strftime would also take "now" or a Julian day number. */
    if (strlen(s) < 10 || s[4] != '-' || s[7] != '-')
        return MS_ERR_USAGE;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return MS_ERR_USAGE;
    if (!ms_sqlite_load(NULL))
        return MS_ERR_IO;
    if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    if ((rc = unix_time(db, s, out, &ok, why, sizeof why)) == MS_OK && !ok)
        rc = MS_ERR_USAGE;
out:
    sqlite3_close(db);
    return rc;
}

/* (ms/store.h) An http check's statistic of total when
 * total is budgeted or nothing is (else of its first budgeted phase), so that it is the same
 * figure in every run of an unchanged checklist; a stopwatch's time; a rating; yes (1) or no
 * (0). *has is false when there is none (all samples failed, not answered, n/a). */
void ms_store_check_figure(const ms_run_check *ck, char *measure, size_t len, bool *has,
                           double *value)
{
    *has = false;
    *value = 0;
    if (ck->kind == MS_KIND_HTTP) {
        int phase = MS_PH_TOTAL;
        bool any = false;
        for (int p = 0; p < MS_PH_COUNT; p++)
            any = any || ck->budget_us[p] >= 0;
        if (any && ck->budget_us[MS_PH_TOTAL] < 0)
            for (int p = MS_PH_COUNT - 1; p >= 0; p--)
                if (ck->budget_us[p] >= 0)
                    phase = p;
        snprintf(measure, len, "%s %s ms", ms_stat_name(ck->stat), ms_phase_name((ms_phase)phase));
        if (ms_run_stats(ck, phase).n > 0) {
            *has = true;
            *value = (double)ms_run_stat(ck, phase, ck->stat) / 1000.0;
        }
        return;
    }
    bool answered = ck->answer.state == MS_ANS_VALUE;
    if (ck->kind == MS_KIND_STOPWATCH) {
        snprintf(measure, len, "elapsed ms");
        *value = (double)ck->answer.elapsed_us / 1000.0;
    } else if (ck->kind == MS_KIND_RATING) {
        snprintf(measure, len, "rating");
        *value = ck->answer.value;
    } else {
        snprintf(measure, len, "yes/no");
        *value = ck->answer.yes ? 1 : 0;
    }
    *has = answered;
}

static const char INSERT_RUN[] =
    "INSERT INTO runs (started_at, started_unix, finished_at, duration_us, tool_version, libcurl,"
    " label, auditor, host, source, answers_file, visited_at, options, samples, parallel,"
    " per_host, insecure, interrupted, overall, product, people, convenience, external,"
    " internal, passed, reason, incomplete, exit_code, nchecks) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
    " ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24,"
    " ?25, ?26, ?27, ?28, ?29)";

static ms_status insert_run(sqlite3 *db, const ms_run *run, const ms_store_extra *x,
                            int64_t started, char *why, size_t whylen)
{
    ms_status rc = MS_OK;
    sqlite3_stmt *q = NULL;
    const ms_scores *sc = &run->scores;
    int e = sqlite3_prepare_v2(db, INSERT_RUN, -1, &q, NULL);
    if (e != SQLITE_OK)
        return fail(db, N_("cannot record the run"), why, whylen);
    bind_text(q, 1, run->started_at);
    sqlite3_bind_int64(q, 2, started);
    bind_text(q, 3, run->finished_at);
    sqlite3_bind_int64(q, 4, run->duration_us);
    bind_text(q, 5, run->tool_version);
    bind_text(q, 6, run->libcurl);
    bind_text(q, 7, run->label);
    bind_text(q, 8, run->auditor);
    bind_text(q, 9, x ? x->host : NULL);
    bind_text(q, 10, x && x->source ? x->source : "run");
    bind_text(q, 11, run->answers_path);
    bind_text(q, 12, run->visited_at);
    bind_text(q, 13, x ? x->options : NULL);
    if (run->samples > 0)
        sqlite3_bind_int(q, 14, run->samples);
    sqlite3_bind_int64(q, 15, run->parallel);
    sqlite3_bind_int64(q, 16, run->per_host);
    sqlite3_bind_int(q, 17, run->insecure);
    sqlite3_bind_int(q, 18, run->interrupted);
    bind_real(q, 19, sc->has_overall, sc->overall);
    for (int f = 0; f < MS_FACTOR_COUNT; f++)
        bind_real(q, 20 + f, sc->has_factor[f], sc->factor[f]);
    for (int a = 0; a < MS_AUD_COUNT; a++)
        bind_real(q, 23 + a, sc->has_audience[a], sc->audience[a]);
    sqlite3_bind_int(q, 25, run->verdict.passed);
    bind_text(q, 26, run->verdict.reason);
    sqlite3_bind_int(q, 27, run->verdict.incomplete);
    sqlite3_bind_int(q, 28, run->verdict.exit_code);
    sqlite3_bind_int64(q, 29, (sqlite3_int64)run->nchecks);
    rc = step_reset(db, q, N_("cannot record the run"), why, whylen);
    sqlite3_finalize(q);
    return rc;
}

/* Where a report's pieces go: the BLOB, from its start. */
typedef struct {
    sqlite3_blob *blob;
    size_t off, len;
    bool longer; /* the producer gave more than len bytes */
} report_sink;

static ms_status put_report(void *sink, const char *data, size_t n)
{
    report_sink *r = sink;
    if (n > r->len - r->off) {
        r->longer = true;
        return MS_ERR_IO;
    }
    /* len is at most INT_MAX (insert_report), so that both fit in an int */
    if (n && sqlite3_blob_write(r->blob, data, (int)n, (int)r->off) != SQLITE_OK)
        return MS_ERR_IO;
    r->off += n;
    return MS_OK;
}

/* The run's report, as a BLOB of t->len zero bytes that its pieces are then written into. */
static ms_status insert_report(sqlite3 *db, int64_t id, const ms_store_text *t, char *why,
                               size_t whylen)
{
    ms_status rc = MS_OK;
    sqlite3_stmt *q = NULL;
    report_sink r = {.len = t->text ? strlen(t->text) : t->len};
    if (r.len > INT_MAX) {
        snprintf(why, whylen, _("the report is too large for the history (%zu bytes)"), r.len);
        return MS_ERR_IO;
    }
    if (sqlite3_prepare_v2(db, "INSERT INTO reports (run_id, report) VALUES (?1, zeroblob(?2))", -1,
                           &q, NULL) != SQLITE_OK)
        return fail(db, N_("cannot record the report"), why, whylen);
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)r.len);
    rc = step_reset(db, q, N_("cannot record the report"), why, whylen);
    sqlite3_finalize(q);
    if (rc != MS_OK)
        return rc;
    if (sqlite3_blob_open(db, "main", "reports", "report", id, 1, &r.blob) != SQLITE_OK)
        return fail(db, N_("cannot record the report"), why, whylen);
    rc = t->text ? put_report(&r, t->text, r.len) : t->produce(t->ud, put_report, &r);
    if (rc == MS_ERR_IO && r.longer) {
        snprintf(why, whylen, _("the report came out longer than the %zu bytes it was counted"),
                 r.len);
    } else if (rc == MS_ERR_IO) {
        rc = fail(db, N_("cannot record the report"), why, whylen);
    } else if (rc == MS_OK && r.off != r.len) {
        snprintf(why, whylen, _("the report came out at %zu bytes, not the %zu it was counted"),
                 r.off, r.len);
        rc = MS_ERR_IO;
    }
    if (sqlite3_blob_close(r.blob) != SQLITE_OK && rc == MS_OK)
        rc = fail(db, N_("cannot record the report"), why, whylen);
    return rc;
}

static ms_status insert_lists(sqlite3 *db, int64_t id, const ms_run *run, const ms_store_extra *x,
                              char *why, size_t whylen)
{
    ms_status rc = MS_OK;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO checklists (run_id, pos, id, title, path, hash)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                           -1, &q, NULL) != SQLITE_OK)
        return fail(db, N_("cannot record the checklists"), why, whylen);
    for (size_t l = 0; l < run->nlists && rc == MS_OK; l++) {
        sqlite3_bind_int64(q, 1, id);
        sqlite3_bind_int64(q, 2, (sqlite3_int64)l);
        bind_text(q, 3, run->lists[l].id ? run->lists[l].id : "");
        bind_text(q, 4, run->lists[l].title);
        bind_text(q, 5, run->lists[l].path);
        bind_text(q, 6, x && x->hashes ? x->hashes[l] : NULL);
        rc = step_reset(db, q, N_("cannot record the checklists"), why, whylen);
    }
    sqlite3_finalize(q);
    return rc;
}

/* The prepared inserts of the per-check tables. */
typedef struct {
    sqlite3_stmt *check, *stat, *sample, *answer;
} inserts;

static const char INSERT_CHECK[] =
    "INSERT INTO checks (run_id, pos, checklist, section, id, kind, factor, critical, status,"
    " score, stat, judged_phase, measure, value, evidence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
    " ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
static const char INSERT_STAT[] =
    "INSERT INTO stats (run_id, check_pos, phase, n, min_us, median_us, p90_us, p95_us, max_us,"
    " mean_us, budget_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
static const char INSERT_SAMPLE[] =
    "INSERT INTO samples (run_id, check_pos, idx, ok, error, status, http_version, remote_ip,"
    " remote_port, redirects, connects, bytes, body_cut, completed, dns_us, connect_us, tls_us,"
    " server_us, transfer_us, ttfb_us, total_us, redirect_us, elapsed_us) VALUES (?1, ?2, ?3,"
    " ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22,"
    " ?23)";
static const char INSERT_ANSWER[] =
    "INSERT INTO answers (run_id, check_pos, na, value, elapsed_us, note, at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

static ms_status insert_http(sqlite3 *db, const inserts *ins, int64_t id, size_t pos,
                             const ms_run_check *ck, char *why, size_t whylen)
{
    ms_status rc = MS_OK;
    for (int p = 0; p < MS_PH_COUNT && rc == MS_OK; p++) {
        const ms_stats s = ms_run_stats(ck, p);
        sqlite3_stmt *q = ins->stat;
        sqlite3_bind_int64(q, 1, id);
        sqlite3_bind_int64(q, 2, (sqlite3_int64)pos);
        bind_text(q, 3, ms_phase_name((ms_phase)p));
        sqlite3_bind_int(q, 4, s.n);
        if (s.n > 0) {
            const int64_t v[] = {s.min, s.median, s.p90, s.p95, s.max, s.mean};
            for (int k = 0; k < 6; k++)
                sqlite3_bind_int64(q, 5 + k, v[k]);
        }
        if (ck->budget_us[p] >= 0)
            sqlite3_bind_int64(q, 11, ck->budget_us[p]);
        rc = step_reset(db, q, N_("cannot record the statistics"), why, whylen);
    }
    for (int i = 0; i < ck->nsamples && rc == MS_OK; i++) {
        const ms_sample *s = &ck->samples[i];
        sqlite3_stmt *q = ins->sample;
        sqlite3_bind_int64(q, 1, id);
        sqlite3_bind_int64(q, 2, (sqlite3_int64)pos);
        sqlite3_bind_int(q, 3, i);
        sqlite3_bind_int(q, 4, !s->failed);
        bind_text(q, 5, s->error);
        sqlite3_bind_int64(q, 6, s->status);
        bind_text(q, 7, s->http_version[0] ? s->http_version : NULL);
        bind_text(q, 8, s->remote_ip[0] ? s->remote_ip : NULL);
        sqlite3_bind_int64(q, 9, s->remote_port);
        sqlite3_bind_int64(q, 10, s->redirects);
        sqlite3_bind_int64(q, 11, s->connects);
        sqlite3_bind_int64(q, 12, s->bytes);
        sqlite3_bind_int(q, 13, s->body_cut);
        sqlite3_bind_int(q, 14, s->completed);
        /* A transfer that broke off has no phases (as in the JSON report): NULL. */
        for (int p = 0; p < MS_PH_COUNT && s->completed; p++)
            sqlite3_bind_int64(q, 15 + p, s->ph[p]);
        sqlite3_bind_int64(q, 23, s->ph[MS_PH_TOTAL]);
        rc = step_reset(db, q, N_("cannot record a sample"), why, whylen);
    }
    return rc;
}

static ms_status insert_answer(sqlite3 *db, const inserts *ins, int64_t id, size_t pos,
                               const ms_run_check *ck, char *why, size_t whylen)
{
    const ms_answer *a = &ck->answer;
    sqlite3_stmt *q = ins->answer;
    if (a->state == MS_ANS_NONE)
        return MS_OK;
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)pos);
    sqlite3_bind_int(q, 3, a->state == MS_ANS_NA);
    if (a->state == MS_ANS_VALUE && ck->kind == MS_KIND_RATING)
        sqlite3_bind_double(q, 4, a->value);
    else if (a->state == MS_ANS_VALUE && ck->kind == MS_KIND_YESNO)
        sqlite3_bind_double(q, 4, a->yes ? 1 : 0);
    else if (a->state == MS_ANS_VALUE)
        sqlite3_bind_int64(q, 5, a->elapsed_us);
    bind_text(q, 6, a->note);
    bind_text(q, 7, a->at);
    return step_reset(db, q, N_("cannot record an answer"), why, whylen);
}

static ms_status insert_check(sqlite3 *db, const inserts *ins, int64_t id, size_t pos,
                              const ms_run_list *list, const ms_run_section *sec,
                              const ms_run_check *ck, char *why, size_t whylen)
{
    ms_status rc = MS_OK;
    sqlite3_stmt *q = ins->check;
    char measure[64];
    bool has = false;
    double value = 0;
    ms_store_check_figure(ck, measure, sizeof measure, &has, &value);
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)pos);
    bind_text(q, 3, list->id ? list->id : "");
    bind_text(q, 4, sec->id ? sec->id : "");
    bind_text(q, 5, ck->id);
    bind_text(q, 6, ms_kind_name(ck->kind));
    bind_text(q, 7, ms_factor_name(ck->factor));
    sqlite3_bind_int(q, 8, ck->critical);
    bind_text(q, 9, ms_status_name(ck->status));
    bind_real(q, 10, ck->has_score, ck->score);
    bind_text(q, 11, ck->kind == MS_KIND_HTTP ? ms_stat_name(ck->stat) : NULL);
    bind_text(q, 12, ck->judged_phase >= 0 ? ms_phase_name((ms_phase)ck->judged_phase) : NULL);
    bind_text(q, 13, measure);
    bind_real(q, 14, has, value);
    bind_text(q, 15, ck->evidence);
    if ((rc = step_reset(db, q, N_("cannot record a check"), why, whylen)) != MS_OK)
        return rc;
    if (ck->kind == MS_KIND_HTTP)
        return insert_http(db, ins, id, pos, ck, why, whylen);
    return insert_answer(db, ins, id, pos, ck, why, whylen);
}

static ms_status insert_checks(sqlite3 *db, int64_t id, const ms_run *run, char *why, size_t whylen)
{
    ms_status rc = MS_OK;
    inserts ins = {0};
    if (sqlite3_prepare_v2(db, INSERT_CHECK, -1, &ins.check, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, INSERT_STAT, -1, &ins.stat, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, INSERT_SAMPLE, -1, &ins.sample, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, INSERT_ANSWER, -1, &ins.answer, NULL) != SQLITE_OK) {
        rc = fail(db, N_("cannot record the checks"), why, whylen);
        goto out;
    }
    for (size_t l = 0; l < run->nlists && rc == MS_OK; l++) {
        const ms_run_list *list = &run->lists[l];
        for (size_t s = 0; s < list->nsections && rc == MS_OK; s++) {
            const ms_run_section *sec = &list->sections[s];
            for (size_t i = sec->first; i < sec->first + sec->n && rc == MS_OK; i++)
                rc = insert_check(db, &ins, id, i, list, sec, run->checks[i], why, whylen);
        }
    }
out:
    sqlite3_finalize(ins.check);
    sqlite3_finalize(ins.stat);
    sqlite3_finalize(ins.sample);
    sqlite3_finalize(ins.answer);
    return rc;
}

ms_status ms_store_add_run(ms_store *st, const ms_run *run, const ms_store_text *report,
                           const ms_store_extra *extra, int64_t *id, char *why, size_t whylen)
{
    ms_status rc = MS_OK;
    int64_t started = 0, rowid = 0;
    bool ok = false;
    if ((rc = unix_time(st->db, run->started_at, &started, &ok, why, whylen)) != MS_OK)
        return rc;
    if (!ok) {
        snprintf(why, whylen, _("the run's start \"%s\" is not a time"),
                 run->started_at ? run->started_at : "");
        return MS_ERR_IO;
    }
    /* IMMEDIATE: take the write lock now (waiting for the busy timeout), never upgrade a read
     * lock halfway through, which could fail at once when another run writes. */
    if ((rc = exec(st->db, "BEGIN IMMEDIATE", N_("cannot start a transaction"), why, whylen)) !=
        MS_OK)
        return rc;
    if ((rc = insert_run(st->db, run, extra, started, why, whylen)) != MS_OK)
        goto out;
    rowid = sqlite3_last_insert_rowid(st->db);
    if ((rc = insert_report(st->db, rowid, report, why, whylen)) != MS_OK)
        goto out;
    if ((rc = insert_lists(st->db, rowid, run, extra, why, whylen)) != MS_OK)
        goto out;
    if ((rc = insert_checks(st->db, rowid, run, why, whylen)) != MS_OK)
        goto out;
    rc = exec(st->db, "COMMIT", N_("cannot commit the run"), why, whylen);
out:
    if (rc != MS_OK)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    else if (id)
        *id = rowid;
    return rc;
}

ms_status ms_store_find_report(ms_store *st, const char *started_at, const char *json, int64_t *id,
                               char *why, size_t whylen)
{
    ms_status rc = MS_OK;
    sqlite3_stmt *q = NULL;
    int e = SQLITE_OK;
    *id = 0;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT id FROM runs JOIN reports ON run_id = id"
                           " WHERE started_at = ?1 AND report = CAST(?2 AS BLOB) LIMIT 1",
                           -1, &q, NULL) != SQLITE_OK) {
        rc = fail(st->db, N_("cannot read the history"), why, whylen);
        goto out;
    }
    bind_text(q, 1, started_at);
    bind_text(q, 2, json);
    if ((e = sqlite3_step(q)) == SQLITE_ROW)
        *id = sqlite3_column_int64(q, 0);
    else if (e != SQLITE_DONE)
        rc = fail(st->db, N_("cannot read the history"), why, whylen);
out:
    sqlite3_finalize(q);
    return rc;
}

/* A copy of column i as a string (NULL for NULL); false when out of memory. */
static bool column_str(sqlite3_stmt *q, int i, char **out)
{
    const unsigned char *s = sqlite3_column_text(q, i);
    *out = NULL;
    if (!s)
        return sqlite3_column_type(q, i) == SQLITE_NULL;
    *out = strdup((const char *)s);
    return *out != NULL;
}

/* The filter's WHERE over runs r, with ?1 label, ?2 checklist, ?3 since. */
#define RUN_FILTER                                                                                 \
    " (?1 IS NULL OR r.label = ?1) AND (?2 IS NULL OR EXISTS (SELECT 1 FROM checklists l"          \
    " WHERE l.run_id = r.id AND l.id = ?2)) AND coalesce(r.started_unix, 0) >= ?3"

static void bind_filter(sqlite3_stmt *q, const ms_store_filter *f)
{
    bind_text(q, 1, f ? f->label : NULL);
    bind_text(q, 2, f ? f->checklist : NULL);
    sqlite3_bind_int64(q, 3, f && f->since ? f->since : INT64_MIN);
    sqlite3_bind_int64(q, 4, f && f->last > 0 ? f->last : -1);
}

/* The columns of a run row (read by step_runs). */
#define RUN_COLUMNS                                                                                \
    "SELECT r.id, r.started_at, r.label,"                                                          \
    " (SELECT group_concat(id, char(31)) FROM (SELECT id FROM checklists WHERE run_id = r.id"      \
    " ORDER BY pos)),"                                                                             \
    " r.overall, r.passed, r.reason, r.interrupted, r.incomplete, r.exit_code,"                    \
    " (SELECT group_concat(id, char(31)) FROM (SELECT id FROM checks WHERE run_id = r.id"          \
    " AND status = 'fail' ORDER BY pos)),"                                                         \
    " (SELECT count(*) FROM checks WHERE run_id = r.id AND status = 'fail')"

static const char LIST_RUNS[] =
    RUN_COLUMNS " FROM runs r WHERE" RUN_FILTER " ORDER BY r.started_unix DESC, r.id DESC LIMIT ?4";

static ms_status grow(void **v, size_t n, size_t size)
{
    void *p = realloc(*v, (n + 1) * size);
    if (!p)
        return MS_ERR_NOMEM;
    *v = p;
    return MS_OK;
}

/* Every row of q, a run query of RUN_COLUMNS (bound), into rows->runs. */
static ms_status step_runs(ms_store *st, sqlite3_stmt *q, ms_store_rows *rows, char *why,
                           size_t whylen)
{
    ms_status rc = MS_OK;
    int e = SQLITE_OK;
    while ((e = sqlite3_step(q)) == SQLITE_ROW) {
        ms_store_run_row *r = NULL;
        if ((rc = grow((void **)&rows->runs, rows->nruns, sizeof *rows->runs)) != MS_OK)
            goto out;
        r = &rows->runs[rows->nruns++];
        memset(r, 0, sizeof *r);
        r->id = sqlite3_column_int64(q, 0);
        r->has_overall = sqlite3_column_type(q, 4) != SQLITE_NULL;
        r->overall = sqlite3_column_double(q, 4);
        r->passed = sqlite3_column_int(q, 5) != 0;
        r->interrupted = sqlite3_column_int(q, 7) != 0;
        r->incomplete = sqlite3_column_int(q, 8) != 0;
        r->exit_code = sqlite3_column_int(q, 9);
        r->nfailed = (size_t)sqlite3_column_int64(q, 11);
        if (!column_str(q, 1, &r->started_at) || !column_str(q, 2, &r->label) ||
            !column_str(q, 3, &r->checklists) || !column_str(q, 6, &r->reason) ||
            !column_str(q, 10, &r->failed) || (!r->failed && !(r->failed = strdup(""))) ||
            (!r->checklists && !(r->checklists = strdup("")))) {
            rc = MS_ERR_NOMEM;
            goto out;
        }
    }
    if (e != SQLITE_DONE)
        rc = fail(st->db, N_("cannot read the history"), why, whylen);
out:
    return rc;
}

ms_status ms_store_list_runs(ms_store *st, const ms_store_filter *filter, ms_store_rows *rows,
                             char *why, size_t whylen)
{
    ms_status rc = MS_OK;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(st->db, LIST_RUNS, -1, &q, NULL) != SQLITE_OK) {
        rc = fail(st->db, N_("cannot read the history"), why, whylen);
        goto out;
    }
    bind_filter(q, filter);
    rc = step_runs(st, q, rows, why, whylen);
out:
    sqlite3_finalize(q);
    return rc;
}

/* The runs of one series: the same label (IS: both NULL too) and the same set of checklist ids
 * (sorted, as the caller joins them). */
static const char SERIES_RUNS[] = RUN_COLUMNS
    " FROM runs r WHERE r.label IS ?1 AND coalesce((SELECT group_concat(id, char(31)) FROM"
    " (SELECT id FROM checklists WHERE run_id = r.id ORDER BY id)), '') = ?2"
    " AND (?4 = 0 OR (coalesce(r.started_unix, 0), r.id) < (SELECT coalesce(started_unix, 0), id"
    " FROM runs WHERE id = ?4))"
    " ORDER BY r.started_unix DESC, r.id DESC LIMIT ?3";

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

ms_status ms_store_series(ms_store *st, const ms_run *run, long last, int64_t before,
                          ms_store_rows *rows, char *why, size_t whylen)
{
    ms_status rc = MS_OK;
    sqlite3_stmt *q = NULL;
    const char **ids = calloc(run->nlists + 1, sizeof *ids);
    ms_buf set;
    ms_buf_init(&set, 0);
    if (!ids) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < run->nlists; i++)
        ids[i] = run->lists[i].id ? run->lists[i].id : "";
    qsort(ids, run->nlists, sizeof *ids, cmp_str);
    for (size_t i = 0; i < run->nlists; i++) {
        if (i)
            ms_buf_addc(&set, MS_STORE_SEP);
        ms_buf_adds(&set, ids[i]);
    }
    if (set.failed) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    if (sqlite3_prepare_v2(st->db, SERIES_RUNS, -1, &q, NULL) != SQLITE_OK) {
        rc = fail(st->db, N_("cannot read the history"), why, whylen);
        goto out;
    }
    bind_text(q, 1, run->label);
    bind_text(q, 2, ms_buf_str(&set));
    sqlite3_bind_int64(q, 3, last > 0 ? last : -1);
    sqlite3_bind_int64(q, 4, before);
    rc = step_runs(st, q, rows, why, whylen);
out:
    sqlite3_finalize(q);
    ms_buf_cleanup(&set);
    free(ids);
    return rc;
}

ms_status ms_store_series_checks(ms_store *st, const int64_t *ids, size_t n, ms_store_rows *rows,
                                 char *why, size_t whylen)
{
    ms_status rc = MS_OK;
    sqlite3_stmt *q = NULL;
    int e = SQLITE_OK;
    if (sqlite3_prepare_v2(st->db, "SELECT run_id, id, status, value FROM checks WHERE run_id = ?1",
                           -1, &q, NULL) != SQLITE_OK) {
        rc = fail(st->db, N_("cannot read the history"), why, whylen);
        goto out;
    }
    for (size_t i = 0; i < n && rc == MS_OK; i++) {
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, ids[i]);
        while ((e = sqlite3_step(q)) == SQLITE_ROW) {
            ms_store_check_row *r = NULL;
            if ((rc = grow((void **)&rows->checks, rows->nchecks, sizeof *rows->checks)) != MS_OK)
                goto out;
            r = &rows->checks[rows->nchecks++];
            memset(r, 0, sizeof *r);
            r->run_id = sqlite3_column_int64(q, 0);
            r->has_value = sqlite3_column_type(q, 3) != SQLITE_NULL;
            r->value = sqlite3_column_double(q, 3);
            if (!column_str(q, 1, &r->check) || !column_str(q, 2, &r->status)) {
                rc = MS_ERR_NOMEM;
                goto out;
            }
        }
        if (e != SQLITE_DONE)
            rc = fail(st->db, N_("cannot read the history"), why, whylen);
    }
out:
    sqlite3_finalize(q);
    return rc;
}

static const char CHECK_HISTORY[] =
    "SELECT id, started_at, label, status, measure, value, score FROM ("
    " SELECT r.id, r.started_at, r.label, k.status, k.measure, k.value, k.score, r.started_unix"
    " FROM checks k JOIN runs r ON r.id = k.run_id WHERE k.id = ?5 AND" RUN_FILTER
    " ORDER BY r.started_unix DESC, r.id DESC LIMIT ?4) ORDER BY started_unix, id";

ms_status ms_store_check_history(ms_store *st, const char *check_id, const ms_store_filter *filter,
                                 ms_store_rows *rows, char *why, size_t whylen)
{
    ms_status rc = MS_OK;
    sqlite3_stmt *q = NULL;
    int e = SQLITE_OK;
    if (sqlite3_prepare_v2(st->db, CHECK_HISTORY, -1, &q, NULL) != SQLITE_OK) {
        rc = fail(st->db, N_("cannot read the history"), why, whylen);
        goto out;
    }
    bind_filter(q, filter);
    bind_text(q, 5, check_id);
    while ((e = sqlite3_step(q)) == SQLITE_ROW) {
        ms_store_check_row *r = NULL;
        if ((rc = grow((void **)&rows->checks, rows->nchecks, sizeof *rows->checks)) != MS_OK)
            goto out;
        r = &rows->checks[rows->nchecks++];
        memset(r, 0, sizeof *r);
        r->run_id = sqlite3_column_int64(q, 0);
        r->has_value = sqlite3_column_type(q, 5) != SQLITE_NULL;
        r->value = sqlite3_column_double(q, 5);
        r->has_score = sqlite3_column_type(q, 6) != SQLITE_NULL;
        r->score = sqlite3_column_double(q, 6);
        if (!column_str(q, 1, &r->started_at) || !column_str(q, 2, &r->label) ||
            !column_str(q, 3, &r->status) || !column_str(q, 4, &r->measure)) {
            rc = MS_ERR_NOMEM;
            goto out;
        }
    }
    if (e != SQLITE_DONE)
        rc = fail(st->db, N_("cannot read the history"), why, whylen);
out:
    sqlite3_finalize(q);
    return rc;
}

ms_status ms_store_check_ids(ms_store *st, char ***ids, size_t *n, char *why, size_t whylen)
{
    ms_status rc = MS_OK;
    sqlite3_stmt *q = NULL;
    char **v = NULL;
    size_t nv = 0;
    int e = SQLITE_OK;
    *ids = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(st->db, "SELECT DISTINCT id FROM checks ORDER BY id", -1, &q, NULL) !=
        SQLITE_OK) {
        rc = fail(st->db, N_("cannot read the history"), why, whylen);
        goto out;
    }
    if (!(v = calloc(1, sizeof *v))) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    while ((e = sqlite3_step(q)) == SQLITE_ROW) {
        if ((rc = grow((void **)&v, nv + 1, sizeof *v)) != MS_OK)
            goto out;
        v[nv + 1] = NULL;
        if (!column_str(q, 0, &v[nv]) || !v[nv]) {
            rc = MS_ERR_NOMEM;
            goto out;
        }
        nv++;
    }
    if (e != SQLITE_DONE)
        rc = fail(st->db, N_("cannot read the history"), why, whylen);
out:
    sqlite3_finalize(q);
    if (rc != MS_OK) {
        ms_strv_free(v);
    } else {
        *ids = v;
        *n = nv;
    }
    return rc;
}

void ms_strv_free(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

void ms_store_rows_cleanup(ms_store_rows *rows)
{
    for (size_t i = 0; i < rows->nruns; i++) {
        free(rows->runs[i].started_at);
        free(rows->runs[i].label);
        free(rows->runs[i].checklists);
        free(rows->runs[i].reason);
        free(rows->runs[i].failed);
    }
    for (size_t i = 0; i < rows->nchecks; i++) {
        free(rows->checks[i].started_at);
        free(rows->checks[i].label);
        free(rows->checks[i].status);
        free(rows->checks[i].measure);
        free(rows->checks[i].check);
    }
    free(rows->runs);
    free(rows->checks);
    memset(rows, 0, sizeof *rows);
}

ms_status ms_store_prune(ms_store *st, int64_t before, int64_t *removed, char *why, size_t whylen)
{
    ms_status rc = MS_OK;
    static const char *const tables[] = {"samples", "stats",      "answers",
                                         "checks",  "checklists", "reports"};
    sqlite3_stmt *q = NULL;
    char sql[160];
    *removed = 0;
    if ((rc = exec(st->db, "BEGIN IMMEDIATE", N_("cannot start a transaction"), why, whylen)) !=
        MS_OK)
        return rc;
    for (size_t t = 0; t <= sizeof tables / sizeof tables[0]; t++) {
        bool runs = t == sizeof tables / sizeof tables[0];
        if (runs)
            snprintf(sql, sizeof sql, "DELETE FROM runs WHERE started_unix < ?1");
        else
            snprintf(sql, sizeof sql,
                     "DELETE FROM %s WHERE run_id IN (SELECT id FROM runs WHERE started_unix < ?1)",
                     tables[t]);
        if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK) {
            rc = fail(st->db, N_("cannot prune"), why, whylen);
            goto out;
        }
        sqlite3_bind_int64(q, 1, before);
        if ((rc = step_reset(st->db, q, N_("cannot prune"), why, whylen)) != MS_OK)
            goto out;
        if (runs)
            *removed = sqlite3_changes(st->db);
        sqlite3_finalize(q);
        q = NULL;
    }
    rc = exec(st->db, "COMMIT", N_("cannot commit"), why, whylen);
out:
    sqlite3_finalize(q);
    if (rc != MS_OK) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        *removed = 0;
    } else {
        /* Give the freed pages back (a no-op in a database made without auto_vacuum). */
        sqlite3_exec(st->db, "PRAGMA incremental_vacuum", NULL, NULL, NULL);
    }
    return rc;
}

ms_status ms_store_report(ms_store *st, int64_t id, char **json, char *why, size_t whylen)
{
    ms_status rc = MS_OK;
    sqlite3_stmt *q = NULL;
    int e = SQLITE_OK;
    *json = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT report FROM reports WHERE run_id = ?1", -1, &q, NULL) !=
        SQLITE_OK) {
        rc = fail(st->db, N_("cannot read the history"), why, whylen);
        goto out;
    }
    sqlite3_bind_int64(q, 1, id);
    if ((e = sqlite3_step(q)) == SQLITE_ROW) {
        if (!column_str(q, 0, json) || !*json)
            rc = MS_ERR_NOMEM;
    } else if (e == SQLITE_DONE) {
        snprintf(why, whylen, _("no run %lld in the history"), (long long)id);
        rc = MS_ERR_USAGE;
    } else {
        rc = fail(st->db, N_("cannot read the history"), why, whylen);
    }
out:
    sqlite3_finalize(q);
    return rc;
}
