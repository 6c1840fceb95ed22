/* SQLite, loaded when the history is first opened (see ms/store.h, ms_sqlite_load).
 *
 * The binary does not link SQLite: it defines here the SQLite functions the store calls, each of
 * which passes the call on to the library loaded by ms_sqlite_load. Its loading and relocation
 * were 1.0 M instructions, 0.6 MB of resident memory and 22 page faults in every start of the
 * tool; validate, list, report, compare and a run with --no-history now pay none of it. sqlite3.h
 * declares every function defined here, so their types are checked against it. */
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "ms/dl.h"
#include "ms/i18n.h"
#include "ms/store.h"

#ifndef MS_SQLITE_SONAME
#define MS_SQLITE_SONAME "libsqlite3.so.0"
#endif

/* The functions the store calls: name, return type, parameters, arguments. */
#define MS_SQLITE_FUNCTIONS(X)                                                                     \
    X(open_v2, int, (const char *file, sqlite3 **db, int flags, const char *vfs),                  \
      (file, db, flags, vfs))                                                                      \
    X(extended_result_codes, int, (sqlite3 * db, int on), (db, on))                                \
    X(busy_timeout, int, (sqlite3 * db, int ms), (db, ms))                                         \
    X(exec, int,                                                                                   \
      (sqlite3 * db, const char *sql, int (*cb)(void *, int, char **, char **), void *arg,         \
       char **err),                                                                                \
      (db, sql, cb, arg, err))                                                                     \
    X(errmsg, const char *, (sqlite3 * db), (db))                                                  \
    X(errcode, int, (sqlite3 * db), (db))                                                          \
    X(changes, int, (sqlite3 * db), (db))                                                          \
    X(last_insert_rowid, sqlite3_int64, (sqlite3 * db), (db))                                      \
    X(sleep, int, (int ms), (ms))                                                                  \
    X(prepare_v2, int,                                                                             \
      (sqlite3 * db, const char *sql, int n, sqlite3_stmt **q, const char **tail),                 \
      (db, sql, n, q, tail))                                                                       \
    X(bind_int, int, (sqlite3_stmt * q, int i, int v), (q, i, v))                                  \
    X(bind_int64, int, (sqlite3_stmt * q, int i, sqlite3_int64 v), (q, i, v))                      \
    X(bind_double, int, (sqlite3_stmt * q, int i, double v), (q, i, v))                            \
    X(bind_null, int, (sqlite3_stmt * q, int i), (q, i))                                           \
    X(bind_text, int, (sqlite3_stmt * q, int i, const char *s, int n, void (*d)(void *)),          \
      (q, i, s, n, d))                                                                             \
    X(clear_bindings, int, (sqlite3_stmt * q), (q))                                                \
    X(step, int, (sqlite3_stmt * q), (q))                                                          \
    X(reset, int, (sqlite3_stmt * q), (q))                                                         \
    X(column_type, int, (sqlite3_stmt * q, int i), (q, i))                                         \
    X(column_int, int, (sqlite3_stmt * q, int i), (q, i))                                          \
    X(column_int64, sqlite3_int64, (sqlite3_stmt * q, int i), (q, i))                              \
    X(column_double, double, (sqlite3_stmt * q, int i), (q, i))                                    \
    X(column_text, const unsigned char *, (sqlite3_stmt * q, int i), (q, i))                       \
    X(blob_open, int,                                                                              \
      (sqlite3 * db, const char *dbname, const char *table, const char *column, sqlite3_int64 row, \
       int flags, sqlite3_blob **b),                                                               \
      (db, dbname, table, column, row, flags, b))                                                  \
    X(blob_write, int, (sqlite3_blob * b, const void *data, int n, int off), (b, data, n, off))

/* Those that free: harmless on NULL, as SQLite's own are. */
#define MS_SQLITE_FREEING(X)                                                                       \
    X(close, int, (sqlite3 * db), (db))                                                            \
    X(finalize, int, (sqlite3_stmt * q), (q))                                                      \
    X(blob_close, int, (sqlite3_blob * b), (b))

#define X(name, ret, params, args) +1
enum { NFN = 0 MS_SQLITE_FUNCTIONS(X) MS_SQLITE_FREEING(X) };
#undef X

/* The functions as dlsym finds them (slot), in the order of their names (NAMES), and as they
 * are called (f). */
static union {
    struct {
#define X(name, ret, params, args) ret(*name) params;
        MS_SQLITE_FUNCTIONS(X)
        MS_SQLITE_FREEING(X)
#undef X
    } f;
    ms_dl_fn slot[NFN];
} fn;

static const char *const NAMES[NFN] = {
#define X(name, ret, params, args) "sqlite3_" #name,
    MS_SQLITE_FUNCTIONS(X) MS_SQLITE_FREEING(X)
#undef X
};
_Static_assert(sizeof fn.f == sizeof fn.slot, "a slot and a name for every function");

static ms_dl_lib g_lib = MS_DL_LIB_INIT;

static void load(void)
{
    /* the tests name a library that is not there, or one that is not SQLite (MS_LIBSQLITE) */
    if (ms_dl_load("MS_LIBSQLITE", MS_SQLITE_SONAME, NAMES, fn.slot, NFN, NULL, NULL, NULL,
                   g_lib.why, sizeof g_lib.why))
        atomic_store(&g_lib.loaded, true);
}

bool ms_sqlite_load(const char **why)
{
    return ms_dl_ready(&g_lib, load, why);
}

/* The store loads SQLite before it opens a database (store.c) and stops cleanly when it cannot:
 * a call without that is a bug, said and stopped here. */
static void need(void)
{
    ms_dl_need(&g_lib, load, "SQLite");
}

#define X(name, ret, params, args)                                                                 \
    ret sqlite3_##name params                                                                      \
    {                                                                                              \
        need();                                                                                    \
        return fn.f.name args;                                                                     \
    }
MS_SQLITE_FUNCTIONS(X)
#undef X
/* What they free came from a loaded SQLite: with none loaded there is nothing (NULL). */
#define X(name, ret, params, args)                                                                 \
    ret sqlite3_##name params                                                                      \
    {                                                                                              \
        return atomic_load(&g_lib.loaded) ? fn.f.name args : SQLITE_OK;                            \
    }
MS_SQLITE_FREEING(X)
#undef X
