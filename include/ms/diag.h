/* Diagnostics as data: the problems found in the files a command reads (checklists, answers), each
 * with its file, line, column, JSON path and message. Loaders add problems here and never print;
 * the command line prints them with ms_diag_print, or writes them as JSON (ms/report.h). */
#ifndef MS_DIAG_H
#define MS_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ms/hash.h"
#include "ms/jsonpos.h"
#include "ms/status.h"

/* One problem. */
typedef struct {
    char *file;
    int line, col; /* 1-based; 0 when it concerns the whole file (it cannot be read) */
    char *path;    /* the JSON dot path, "" for the root */
    char *message; /* English, as written in the code: the machine form (validate --json) */
    char *text;    /* the message in the auditor's language as printed; NULL: message */
    char *shown;   /* the path as printed, naming things by id (check "home": budget); NULL: path */
} ms_problem;

/* The problems of a command, file after file. The problems of the file being read (from start
 * on) are said once each and may be put in file order when the file ends (ms_diag_end_file). */
typedef struct {
    ms_problem *items; /* owned */
    size_t n, cap;
    size_t start;    /* the first problem of the file being read */
    ms_hindex index; /* hash of a problem of that file -> its place in items */
} ms_diag;

/* Start an empty list (allocates nothing). */
void ms_diag_init(ms_diag *d);
/* Free every problem. Harmless on an initialised or zeroed list; it may be used again after
 * ms_diag_init. */
void ms_diag_cleanup(ms_diag *d);

/* Add a problem (copies of file, path and message) unless the file being read has it already
 * at the same place. MS_OK or MS_ERR_NOMEM (the list is unchanged then). */
ms_status ms_diag_add(ms_diag *d, const char *file, int line, int col, const char *path,
                      const char *message);

/* The same with the message in the auditor's language as printed (a copy; NULL or equal to
 * message: message is printed). */
ms_status ms_diag_add_text(ms_diag *d, const char *file, int line, int col, const char *path,
                           const char *message, const char *text);

/* Add a problem about the value at path (its key when key is true and it is an object member),
 * placed where the position index pos finds where (usually path itself; the nearest indexed
 * parent, else 1:1), with the message fmt formats: in English as the machine form, and with fmt's
 * translation (gettext) as printed, so mark fmt with N_() where it is written. MS_OK or
 * MS_ERR_NOMEM. */
ms_status ms_diag_vaddf(ms_diag *d, const char *file, ms_jsonpos *pos, const char *where, bool key,
                        const char *path, const char *fmt, va_list ap);

/* The same with the two messages formatted already (text NULL: message is printed). */
ms_status ms_diag_add_at(ms_diag *d, const char *file, ms_jsonpos *pos, const char *where, bool key,
                         const char *path, const char *message, const char *text);

/* Print problem i's path as shown (a copy) instead. MS_OK or MS_ERR_NOMEM (unchanged then). */
ms_status ms_diag_show_path(ms_diag *d, size_t i, const char *shown);

/* End the file being read: when sort, put its problems in file order (by line, then column; in
 * the order they were found on a tie). MS_OK, or MS_ERR_NOMEM when they could not be sorted
 * (they stay in the order they were found). The next problem begins another file. */
ms_status ms_diag_end_file(ms_diag *d, bool sort);

/* How many problems name file. */
size_t ms_diag_count(const ms_diag *d, const char *file);

/* Print each problem on a line: FILE:LINE:COL: PATH: MESSAGE (the message in the auditor's
 * language; PATH as shown when it was given
 * another form; "FILE: MESSAGE" for a problem with
 * the whole file, no "PATH: " at the root), with control characters from the files made visible
 * as spaces. MS_OK, or MS_ERR_IO / MS_ERR_NOMEM as ms_fprintf_line says. */
ms_status ms_diag_print(const ms_diag *d, FILE *out);
/* The same with prefix before each message ("warning: "). */
ms_status ms_diag_print_as(const ms_diag *d, FILE *out, const char *prefix);

#endif
