/* A shared library loaded when it is first needed (dlopen), so that the commands that do not use
 * it do not pay for its loading and relocation: libcurl (src/net/curl_dl.c) and SQLite
 * (src/store/sqlite_dl.c). Each of those defines the library's functions it calls; each loads
 * the library on first use and passes the call on. */
#ifndef MS_DL_H
#define MS_DL_H

#include <stdbool.h>
#include <stddef.h>

/* Any function: what dlsym finds, before its caller gives it its type. */
typedef void (*ms_dl_fn)(void);

/* Loads the library named by the environment variable env (for the tests; not honoured when
 * set-user-ID) or, when that is unset or empty, by soname, and looks up names[0 .. n) into
 * fns[0 .. n). True with *lib its handle and *name the name loaded. False when it cannot be
 * loaded or lacks one of the functions: then nothing stays loaded and why holds the reason, a
 * phrase, which for a missing function ends with older in parentheses when it is not NULL (what
 * a library too old to have it should be replaced with). */
bool ms_dl_load(const char *env, const char *soname, const char *const *names, ms_dl_fn *fns,
                size_t n, const char *older, void **lib, const char **name, char *why,
                size_t whylen);

#endif
