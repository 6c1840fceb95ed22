/* A shared library loaded when it is first needed (dlopen), so that the commands that do not use
 * it do not pay for its loading and relocation: libcurl (src/net/curl_dl.c) and SQLite
 * (src/store/sqlite_dl.c). Each of those defines the library's functions it calls; each loads
 * the library on first use and passes the call on. */
#ifndef MS_DL_H
#define MS_DL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

/* Any function: what dlsym finds, before its caller gives it its type. */
typedef void (*ms_dl_fn)(void);

/* Loads the library named by the environment variable env (for the tests; not honoured when
 * set-user-ID) or, when that is unset or empty, by soname, and looks up names[0 .. n) into
 * fns[0 .. n). True with *lib its handle and *name the name loaded (each when not NULL: what a
 * caller that checks the library's version needs). False when it cannot be
 * loaded or lacks one of the functions: then nothing stays loaded and why holds the reason, a
 * phrase, which for a missing function ends with older in parentheses when it is not NULL (what
 * a library too old to have it should be replaced with). */
bool ms_dl_load(const char *env, const char *soname, const char *const *names, ms_dl_fn *fns,
                size_t n, const char *older, void **lib, const char **name, char *why,
                size_t whylen);

/* A library loaded once, when it is first needed: its load function (which calls ms_dl_load,
 * then sets loaded, or leaves why saying why not) runs once, on whichever thread needs it first. */
typedef struct {
    pthread_once_t once;
    atomic_bool loaded;
    char why[512];
} ms_dl_lib;

#define MS_DL_LIB_INIT                                                                             \
    {                                                                                              \
        PTHREAD_ONCE_INIT, false, ""                                                               \
    }

/* Load lib (load, once): true when it is loaded; else false, and *why (when why is not NULL)
 * says why. */
bool ms_dl_ready(ms_dl_lib *lib, void (*load)(void), const char **why);

/* ms_dl_ready for a function of lib called by the tool: its callers load lib first and stop
 * cleanly when they cannot, so that a call without it is a bug, said ("cannot load NAME: why")
 * and stopped (abort). */
void ms_dl_need(ms_dl_lib *lib, void (*load)(void), const char *name);

#endif
