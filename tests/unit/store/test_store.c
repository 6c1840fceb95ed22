/* The history store (store/store.c) over a run record built in memory: what a run leaves in
 * each table, the listings and a check's history, prune, the migration from a version-1
 * database built here with SQL, databases it must refuse, and a failure halfway through a run
 * that must leave nothing. Every database is a temporary file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "ms/run.h"
#include "ms/score.h"
#include "ms/store.h"

static char *temp_db(void)
{
    char *path = strdup("/tmp/ms-store-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path); /* the store makes it */
    return path;
}

static void remove_db(char *path)
{
    char side[300];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    free(path);
}

/* An http check of run's (its budgets are the run's) */
static ms_run_check http_check(ms_run *run, const char *id, int64_t total_budget_us)
{
    ms_run_check ck = {0};
    ck.id = strdup(id);
    ck.title = strdup(id);
    ck.kind = MS_KIND_HTTP;
    ck.factor = MS_FACTOR_PRODUCT;
    ck.weight = 1;
    ck.effort = 2;
    ck.method = strdup("GET");
    ck.url = strdup("http://127.0.0.1/");
    ck.budget_us = with_budget(&run->budgets, NULL, MS_PH_TOTAL, total_budget_us);
    ck.samples = calloc(2, sizeof *ck.samples);
    ck.nsamples = 2;
    for (int i = 0; i < 2; i++) {
        ms_sample *s = &ck.samples[i];
        s->completed = true;
        s->status = 200;
        s->ph[MS_PH_SERVER] = 1000 + i;
        s->ph[MS_PH_TTFB] = 1000 + i;
        s->ph[MS_PH_TOTAL] = 12000 + 1000 * i;
        snprintf(s->http_version, sizeof s->http_version, "1.1");
        snprintf(s->remote_ip, sizeof s->remote_ip, "127.0.0.1");
    }
    return ck;
}

/* A run of one checklist "shop" with an http check "home" (two samples, a total budget of
 * budget_us) and a yes/no check "first-call" answered no with a note; scored and judged. */
static ms_run *make_run(const char *started_at, const char *label, int64_t budget_us)
{
    ms_run *run = NULL;
    assert_int_equal(ms_run_new(&run), MS_OK);
    run->tool_version = strdup("0.1.0");
    run->started_at = strdup(started_at);
    run->finished_at = strdup(started_at);
    run->label = label ? strdup(label) : NULL;
    run->parallel = 4;
    run->per_host = 2;
    assert_int_equal(ms_run_add_checks(run, 2), MS_OK);
    *run->checks[0] = http_check(run, "home", budget_us);
    ms_run_check *yn = run->checks[1];
    yn->id = strdup("first-call");
    yn->title = strdup("Resolved on the first call");
    yn->kind = MS_KIND_YESNO;
    yn->factor = MS_FACTOR_PEOPLE;
    yn->weight = 1;
    yn->effort = 2;
    yn->good_yes = true;
    yn->budget_us = ms_no_budgets;
    yn->answer.state = MS_ANS_VALUE;
    yn->answer.yes = false;
    yn->answer.note = strdup("told to call another number");
    run->lists = calloc(1, sizeof *run->lists);
    run->nlists = 1;
    run->lists[0].id = strdup("shop");
    run->lists[0].title = strdup("The shop");
    run->lists[0].path = strdup("shop.json");
    run->lists[0].sections = calloc(1, sizeof *run->lists[0].sections);
    run->lists[0].nsections = 1;
    run->lists[0].sections[0].id = strdup("web");
    run->lists[0].sections[0].title = strdup("web");
    run->lists[0].sections[0].n = 2;
    assert_int_equal(ms_score_run(run), MS_OK);
    assert_int_equal(ms_run_judge(run, MS_FAIL_ON_ANY, -1, false), MS_OK);
    return run;
}

static ms_store *open_ok(const char *path)
{
    ms_store *st = NULL;
    char why[256] = "";
    ms_status rc = ms_store_open(path, true, &st, NULL, why, sizeof why);
    if (rc != MS_OK)
        fail_msg("open %s: %s", path, why);
    return st;
}

static void add_ok(ms_store *st, const char *started_at, const char *label, int64_t budget_us,
                   int64_t *id)
{
    char why[256] = "";
    ms_run *run = make_run(started_at, label, budget_us);
    const char *hashes[] = {"fnv1a64:0123456789abcdef"};
    ms_store_extra x = {.host = "box", .hashes = hashes, .options = "{}", .source = "run"};
    if (ms_store_add_run(st, run, &(ms_store_text){.text = "{\"report\": 1}"}, &x, id, why,
                         sizeof why) != MS_OK)
        fail_msg("add: %s", why);
    ms_run_free(run);
}

/* One integer from SQL over the file, through a connection of the test's own. */
static int64_t sql_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    int64_t v = -1;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    if (sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

static void sql_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    char *err = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                     SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err);
    sqlite3_close(db);
}

static void test_a_run_in_every_table(void **state)
{
    (void)state;
    char *path = temp_db();
    ms_store *st = open_ok(path);
    int64_t id = 0;
    char *json = NULL;
    char why[256];
    add_ok(st, "2026-11-20T09:30:00+07:00", "prod", 20000, &id);
    assert_true(id > 0);
    assert_int_equal(ms_store_report(st, id, &json, why, sizeof why), MS_OK);
    assert_string_equal(json, "{\"report\": 1}");
    free(json);
    assert_int_equal(ms_store_report(st, id + 1, &json, why, sizeof why), MS_ERR_USAGE);
    ms_store_close(st);
    static const struct {
        const char *sql;
        int64_t want;
    } rows[] = {
        {"PRAGMA user_version", MS_STORE_VERSION},
        {"PRAGMA journal_mode = WAL", 0}, /* checked apart below */
        {"SELECT count(*) FROM runs WHERE host = 'box' AND label = 'prod' AND nchecks = 2", 1},
        {"SELECT started_unix FROM runs", 1795141800},
        {"SELECT count(*) FROM checklists WHERE id = 'shop' AND hash LIKE 'fnv1a64:%'", 1},
        {"SELECT count(*) FROM checks", 2},
        {"SELECT count(*) FROM checks WHERE id = 'first-call' AND status = 'fail'", 1},
        {"SELECT count(*) FROM stats WHERE check_pos = 0", MS_PH_COUNT},
        {"SELECT budget_us FROM stats WHERE phase = 'total'", 20000},
        {"SELECT median_us FROM stats WHERE phase = 'total'", 12000},
        {"SELECT count(*) FROM samples WHERE total_us IS NOT NULL AND remote_ip = '127.0.0.1'", 2},
        {"SELECT count(*) FROM answers WHERE value = 0 AND note LIKE 'told%'", 1},
        {"SELECT CAST(value AS INTEGER) FROM checks WHERE id = 'home'", 12},
        {"SELECT count(*) FROM reports WHERE length(report) = 13", 1},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (i == 1)
            continue;
        int64_t got = sql_int(path, rows[i].sql);
        if (got != rows[i].want)
            fail_msg("%s: %lld, expected %lld", rows[i].sql, (long long)got,
                     (long long)rows[i].want);
    }
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), "wal");
    sqlite3_finalize(q);
    sqlite3_close(db);
    remove_db(path);
}

static void test_listings(void **state)
{
    (void)state;
    char *path = temp_db();
    ms_store *st = open_ok(path);
    ms_store_rows rows = {0};
    char why[256];
    int64_t id[4];
    /* Started in this order in UTC, though the texts sort otherwise. */
    add_ok(st, "2026-11-20T09:00:00+07:00", "prod", 20000, &id[0]); /* 02:00Z */
    add_ok(st, "2026-11-20T03:00:00+00:00", "staging", 20000, &id[1]);
    add_ok(st, "2026-11-20T05:00:00+01:00", "prod", 5000, &id[2]); /* 04:00Z, home fails */
    add_ok(st, "2026-11-20T05:00:00+00:00", "prod", 20000, &id[3]);
    assert_int_equal(ms_store_list_runs(st, NULL, &rows, why, sizeof why), MS_OK);
    assert_int_equal(rows.nruns, 4);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(rows.runs[i].id, id[3 - i]);
    assert_string_equal(rows.runs[1].failed, "home\x1f"
                                             "first-call");
    assert_int_equal(rows.runs[1].nfailed, 2);
    assert_string_equal(rows.runs[0].failed, "first-call");
    assert_string_equal(rows.runs[0].checklists, "shop");
    assert_false(rows.runs[0].passed);
    assert_int_equal(rows.runs[0].exit_code, 1);
    ms_store_rows_cleanup(&rows);

    static const struct {
        ms_store_filter f;
        size_t n;
        int64_t first; /* index into id[] of the newest */
    } cases[] = {
        {{.label = "prod"}, 3, 3},      {{.label = "staging"}, 1, 1},
        {{.label = "none"}, 0, 0},      {{.checklist = "shop", .last = 2}, 2, 3},
        {{.checklist = "other"}, 0, 0}, {{.since = 1795147200 /* 04:00Z */}, 2, 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(ms_store_list_runs(st, &cases[i].f, &rows, why, sizeof why), MS_OK);
        assert_int_equal(rows.nruns, cases[i].n);
        if (cases[i].n)
            assert_int_equal(rows.runs[0].id, id[cases[i].first]);
        ms_store_rows_cleanup(&rows);
    }

    /* A check's history: oldest first, the newest N with last. */
    ms_store_filter last3 = {.last = 3};
    assert_int_equal(ms_store_check_history(st, "home", &last3, &rows, why, sizeof why), MS_OK);
    assert_int_equal(rows.nchecks, 3);
    assert_int_equal(rows.checks[0].run_id, id[1]);
    assert_string_equal(rows.checks[1].status, "fail");
    assert_string_equal(rows.checks[2].status, "pass");
    assert_string_equal(rows.checks[0].measure, "median total ms");
    assert_true(rows.checks[0].has_value);
    assert_true(rows.checks[0].value > 11.9 && rows.checks[0].value < 12.1);
    ms_store_rows_cleanup(&rows);
    assert_int_equal(ms_store_check_history(st, "nope", NULL, &rows, why, sizeof why), MS_OK);
    assert_int_equal(rows.nchecks, 0);
    ms_store_rows_cleanup(&rows);
    ms_store_close(st);
    remove_db(path);
}

static void test_prune(void **state)
{
    (void)state;
    char *path = temp_db();
    ms_store *st = open_ok(path);
    char why[256];
    int64_t id = 0, removed = -1;
    add_ok(st, "2026-01-01T00:00:00+00:00", NULL, 20000, &id);
    add_ok(st, "2026-06-01T00:00:00+00:00", NULL, 20000, &id);
    add_ok(st, "2026-12-01T00:00:00+00:00", NULL, 20000, &id);
    assert_int_equal(ms_store_prune(st, 1780272000 /* 2026-06-01Z */, &removed, why, sizeof why),
                     MS_OK);
    assert_int_equal(removed, 1);
    ms_store_close(st);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM runs"), 2);
    /* Nothing of the pruned run is left in any table. */
    assert_int_equal(sql_int(path, "SELECT count(*) FROM (SELECT run_id FROM checks UNION"
                                   " SELECT run_id FROM samples UNION SELECT run_id FROM stats"
                                   " UNION SELECT run_id FROM answers UNION SELECT run_id FROM"
                                   " checklists UNION SELECT run_id FROM reports)"
                                   " WHERE run_id NOT IN (SELECT id FROM runs)"),
                     0);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM reports"), 2);
    /* The newest pruned, its id is taken again by the next run, which lands whole. */
    st = open_ok(path);
    assert_int_equal(
        ms_store_prune(st, 1796083200 /* 2026-12-01Z */ + 1, &removed, why, sizeof why), MS_OK);
    assert_int_equal(removed, 2);
    add_ok(st, "2026-12-02T00:00:00+00:00", NULL, 20000, &id);
    ms_store_close(st);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM runs JOIN reports ON run_id = id"), 1);
    remove_db(path);
}

/* The version-1 schema as the first release made it, with one run in it. */
static const char V1[] =
    "CREATE TABLE runs (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT,"
    " duration_us INTEGER NOT NULL, tool_version TEXT, libcurl TEXT, label TEXT, auditor TEXT,"
    " host TEXT, source TEXT NOT NULL, answers_file TEXT, visited_at TEXT, options TEXT,"
    " samples INTEGER, parallel INTEGER NOT NULL, per_host INTEGER NOT NULL,"
    " insecure INTEGER NOT NULL, interrupted INTEGER NOT NULL, overall REAL, product REAL,"
    " people REAL, convenience REAL, external REAL, internal REAL, passed INTEGER NOT NULL,"
    " reason TEXT, incomplete INTEGER NOT NULL, exit_code INTEGER NOT NULL,"
    " nchecks INTEGER NOT NULL, report TEXT NOT NULL);"
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
    "INSERT INTO runs VALUES (7, '2026-11-20T09:30:00+07:00', NULL, 0, '0.1.0', NULL, 'old',"
    " NULL, NULL, 'run', NULL, NULL, NULL, NULL, 4, 2, 0, 0, 50, NULL, NULL, NULL, NULL, NULL,"
    " 0, '1 check failed', 0, 1, 1, '{}');"
    "INSERT INTO checklists VALUES (7, 0, 'shop', 'The shop', 'shop.json', NULL);"
    "INSERT INTO checks VALUES (7, 0, 'shop', 'web', 'home', 'http', 'product', 0, 'fail', 0.5,"
    " 'median', 'total', 'median total ms', 30.5, 'slow');"
    /* a start SQLite cannot read (hand-made): still listed, as the oldest */
    "INSERT INTO runs VALUES (5, 'sometime', NULL, 0, '0.1.0', NULL, NULL, NULL, NULL, 'run',"
    " NULL, NULL, NULL, NULL, 4, 2, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, 1, NULL, 0, 0, 0,"
    " '{}');"
    "PRAGMA user_version = 1;";

static void test_migrates_version_1(void **state)
{
    (void)state;
    char *path = temp_db();
    ms_store_rows rows = {0};
    char why[256];
    int64_t id = 0;
    sql_exec(path, V1);
    ms_store *st = open_ok(path);
    assert_int_equal(sql_int(path, "PRAGMA user_version"), MS_STORE_VERSION);
    assert_int_equal(sql_int(path, "SELECT started_unix FROM runs WHERE id = 7"), 1795141800);
    /* version 3: each report in reports, a BLOB of the same bytes; runs has none */
    assert_int_equal(sql_int(path, "SELECT count(*) FROM reports WHERE typeof(report) = 'blob'"
                                   " AND CAST(report AS TEXT) = '{}'"),
                     2);
    assert_int_equal(sql_int(path, "SELECT count(*) FROM pragma_table_info('runs')"
                                   " WHERE name = 'report'"),
                     0);
    char *json = NULL;
    assert_int_equal(ms_store_report(st, 7, &json, why, sizeof why), MS_OK);
    assert_string_equal(json, "{}");
    free(json);
    assert_int_equal(ms_store_check_history(st, "home", NULL, &rows, why, sizeof why), MS_OK);
    assert_int_equal(rows.nchecks, 1);
    assert_int_equal(rows.checks[0].run_id, 7);
    assert_true(rows.checks[0].value > 30.4 && rows.checks[0].value < 30.6);
    ms_store_rows_cleanup(&rows);
    /* and it takes new runs after the old one */
    add_ok(st, "2026-11-21T09:30:00+07:00", "old", 20000, &id);
    assert_int_equal(id, 8);
    assert_int_equal(ms_store_list_runs(st, NULL, &rows, why, sizeof why), MS_OK);
    assert_int_equal(rows.nruns, 3);
    assert_int_equal(rows.runs[1].id, 7);
    assert_string_equal(rows.runs[1].failed, "home");
    assert_int_equal(rows.runs[2].id, 5);
    ms_store_rows_cleanup(&rows);
    ms_store_close(st);
    remove_db(path);
}

/* Databases the store must not use, each refused with its reason and left as it was. */
static void test_refused(void **state)
{
    (void)state;
    static const struct {
        const char *sql;
        const char *why;
    } cases[] = {
        {"PRAGMA user_version = 99", "newer than this mystery-shopper knows"},
        {"CREATE TABLE notes (x)", "not a mystery-shopper history"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *path = temp_db();
        ms_store *st = NULL;
        char why[256] = "";
        sql_exec(path, cases[i].sql);
        assert_int_equal(ms_store_open(path, true, &st, NULL, why, sizeof why), MS_ERR_IO);
        assert_null(st);
        assert_non_null(strstr(why, cases[i].why));
        assert_int_equal(sql_int(path, "SELECT count(*) FROM sqlite_master WHERE name = 'runs'"),
                         0);
        remove_db(path);
    }
    /* Not a database at all */
    char *path = temp_db();
    FILE *f = fopen(path, "w");
    ms_store *st = NULL;
    char why[256] = "";
    assert_non_null(f);
    fputs("this is not a database, but a text file long enough to have a header ...........\n"
          "................................................................................\n",
          f);
    fclose(f);
    assert_int_equal(ms_store_open(path, true, &st, NULL, why, sizeof why), MS_ERR_IO);
    assert_non_null(strstr(why, "not a database"));
    remove_db(path);
    /* Missing, when it must exist */
    bool missing = false;
    path = temp_db();
    assert_int_equal(ms_store_open(path, false, &st, &missing, why, sizeof why), MS_ERR_IO);
    assert_true(missing);
    assert_int_equal(access(path, F_OK), -1);
    remove_db(path);
}

/* A failure halfway through a run (here the samples table refuses a row) leaves no part of it. */
static void test_failure_leaves_nothing(void **state)
{
    (void)state;
    char *path = temp_db();
    ms_store *st = open_ok(path);
    char why[256] = "";
    int64_t id = 0;
    sql_exec(path, "CREATE TRIGGER no_samples BEFORE INSERT ON samples BEGIN"
                   " SELECT RAISE(ABORT, 'injected fault'); END;");
    ms_run *run = make_run("2026-11-20T09:30:00+07:00", NULL, 20000);
    assert_int_equal(
        ms_store_add_run(st, run, &(ms_store_text){.text = "{}"}, NULL, &id, why, sizeof why),
        MS_ERR_IO);
    assert_non_null(strstr(why, "injected fault"));
    ms_run_free(run);
    ms_store_close(st);
    assert_int_equal(sql_int(path, "SELECT (SELECT count(*) FROM runs) + (SELECT count(*) FROM"
                                   " checks) + (SELECT count(*) FROM stats) + (SELECT count(*)"
                                   " FROM checklists)"),
                     0);
    remove_db(path);
}

/* A report made in pieces as it is stored: the pieces land whole and in order; a producer that
 * gives more or fewer bytes than it counted, or fails, leaves no part of the run. */
typedef struct {
    const char *piece; /* given this many times */
    int times;
    ms_status fails; /* then returned (MS_OK: none) */
} pieces;

static ms_status produce_pieces(void *ud, ms_put_fn put, void *sink)
{
    const pieces *p = ud;
    for (int i = 0; i < p->times; i++) {
        ms_status rc = put(sink, p->piece, strlen(p->piece));
        if (rc != MS_OK)
            return rc;
    }
    return p->fails;
}

static void test_report_in_pieces(void **state)
{
    (void)state;
    static const struct {
        pieces p;
        size_t len; /* counted */
        ms_status want;
        const char *why; /* part of the reason, or the report stored */
    } rows[] = {
        {{"[1,2]", 3, MS_OK}, 15, MS_OK, "[1,2][1,2][1,2]"},
        {{"x", 0, MS_OK}, 0, MS_OK, ""},
        {{"[1,2]", 3, MS_OK}, 14, MS_ERR_IO, "came out longer than the 14 bytes"},
        {{"[1,2]", 3, MS_OK}, 16, MS_ERR_IO, "came out at 15 bytes, not the 16"},
        {{"[1,2]", 1, MS_ERR_NOMEM}, 15, MS_ERR_NOMEM, ""},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *path = temp_db();
        ms_store *st = open_ok(path);
        char why[256] = "";
        int64_t id = 0;
        ms_run *run = make_run("2026-11-20T09:30:00+07:00", NULL, 20000);
        pieces p = rows[i].p;
        ms_store_text t = {.len = rows[i].len, .produce = produce_pieces, .ud = &p};
        ms_status rc = ms_store_add_run(st, run, &t, NULL, &id, why, sizeof why);
        ms_run_free(run);
        if (rc != rows[i].want)
            fail_msg("row %zu: status %d, expected %d (%s)", i, rc, rows[i].want, why);
        if (rc == MS_OK) {
            char *json = NULL;
            assert_int_equal(ms_store_report(st, id, &json, why, sizeof why), MS_OK);
            assert_string_equal(json, rows[i].why);
            free(json);
        } else {
            if (!strstr(why, rows[i].why))
                fail_msg("row %zu: \"%s\" lacks \"%s\"", i, why, rows[i].why);
            assert_int_equal(sql_int(path, "SELECT (SELECT count(*) FROM runs) +"
                                           " (SELECT count(*) FROM reports) +"
                                           " (SELECT count(*) FROM checks)"),
                             0);
        }
        ms_store_close(st);
        remove_db(path);
    }
}

static void test_parse_time(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        ms_status rc;
        int64_t want;
    } cases[] = {
        {"2026-11-20", MS_OK, 1795132800},
        {"2026-11-20T09:30:00+07:00", MS_OK, 1795141800},
        {"2026-11-20T09:30:00Z", MS_OK, 1795167000},
        {"2026-11-20 09:30", MS_OK, 1795167000},
        {"now", MS_ERR_USAGE, 0},
        {"2460000", MS_ERR_USAGE, 0},
        {"2026-13-45", MS_ERR_USAGE, 0},
        {"", MS_ERR_USAGE, 0},
        {"yesterday", MS_ERR_USAGE, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t t = 0;
        ms_status rc = ms_store_parse_time(cases[i].in, &t);
        if (rc != cases[i].rc || (rc == MS_OK && t != cases[i].want))
            fail_msg("%s: status %d time %lld", cases[i].in, rc, (long long)t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_run_in_every_table),
        cmocka_unit_test(test_listings),
        cmocka_unit_test(test_prune),
        cmocka_unit_test(test_migrates_version_1),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_failure_leaves_nothing),
        cmocka_unit_test(test_report_in_pieces),
        cmocka_unit_test(test_parse_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
