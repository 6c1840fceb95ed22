/* Typed field readers for the JSON files the tool loads (checklists and answers): each checks a
 * value's type and range and, when it is wrong, adds a problem that names the file, line, column
 * and JSON path (ms/diag.h). Paths are dot paths with numeric array indexes ("sections.0.id").
 *
 * Running out of memory is recorded in the reader (nomem), never mistaken for a bad value: a
 * reader that returns false or NULL has either added a problem or set nomem, and the load that
 * owns the reader ends with MS_ERR_NOMEM when nomem is set. */
#ifndef MS_FIELDS_H
#define MS_FIELDS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ms/diag.h"
#include "ms/jsonpos.h"

/* Reading one file. */
typedef struct {
    const char *file;  /* named in every problem */
    ms_jsonpos *pos;   /* where each value is; NULL: every problem at 1:1 */
    ms_diag *diag;     /* where the problems go */
    size_t errors;     /* problems found through this reader (said once or not) */
    bool nomem;        /* an allocation failed */
    ms_diag *warnings; /* where warnings go (ms_fields_warn); NULL: the reader has none */
} ms_fields;

/* Add a problem about the value at path (its key when key is true). fmt is English (the machine
 * form, validate --json) and is printed translated: mark it with N_() where it is written. Sets
 * nomem when the problem
 * cannot be added, or when path is NULL (a path that could not be made). */
void ms_fields_err(ms_fields *f, const char *path, bool key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The same, placed at the key indexed as where (a key given again: "path#2"). */
void ms_fields_err_at(ms_fields *f, const char *where, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Add a problem about the value v at path: fmt (marked with N_()) has one %s, v's JSON type
 * (ms_json_type_name), which is translated with the message where it is printed. */
void ms_fields_type_err(ms_fields *f, const char *path, const char *fmt, const cJSON *v);

/* Add a warning about the value at path to f->warnings: it is not a problem (errors is not
 * counted). Sets nomem when it cannot be added. */
void ms_fields_warn(ms_fields *f, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "base.name" ("name" when base is ""): a new string (caller frees), or NULL only when out of
 * memory (nomem is set; a NULL base is a path that could not be made before). */
char *ms_fields_path(ms_fields *f, const char *base, const char *name);
/* "base.i", as ms_fields_path. */
char *ms_fields_path_index(ms_fields *f, const char *base, size_t i);
/* A copy of s (not NULL), or NULL only when out of memory (nomem is set). */
char *ms_fields_strdup(ms_fields *f, const char *s);
/* p, noting in nomem that it is NULL (an allocation that failed). */
void *ms_fields_alloc(ms_fields *f, void *p);

/* Is s one of the NULL-ended list? Its place in it, or -1. */
bool ms_in_list(const char *s, const char *const *list);
int ms_list_index(const char *s, const char *const *list);
/* "a string", "a number", "true or false", "null", "an array" or "an object" (English: translate
 * it with _() where it is shown). */
const char *ms_json_type_name(const cJSON *v);
/* Letters, digits, '.', '_', '-', beginning with a letter or digit. */
bool ms_valid_id(const char *s);

/* Report the fields of obj that are in neither list a nor b (b may be NULL), with the nearest
 * known name ("did you mean"), and the fields given twice. */
void ms_fields_check(ms_fields *f, const cJSON *obj, const char *path, const char *const *a,
                     const char *const *b);
/* Report the fields of obj that are not in allowed, as ms_fields_check, without looking for
 * fields given twice. */
void ms_fields_unknown(ms_fields *f, const cJSON *obj, const char *path,
                       const char *const *allowed);

/* Each reader returns true when v is what it wants (and sets *out); otherwise it reports why
 * and returns false. */
bool ms_field_string(ms_fields *f, const cJSON *v, const char *path);
bool ms_field_object(ms_fields *f, const cJSON *v, const char *path);
bool ms_field_bool(ms_fields *f, const cJSON *v, const char *path, bool *out);
/* A number from lo to hi, a whole one when whole. */
bool ms_field_number(ms_fields *f, const cJSON *v, const char *path, double lo, double hi,
                     bool whole, double *out);
/* A duration in milliseconds (a number from lo_ms to hi_ms, whole when whole), in microseconds. */
bool ms_field_ms(ms_fields *f, const cJSON *v, const char *path, double lo_ms, double hi_ms,
                 bool whole, int64_t *out_us);
/* One of the NULL-ended names: its index. */
bool ms_field_enum(ms_fields *f, const cJSON *v, const char *path, const char *const *names,
                   int *out);
/* The "id" of the object at path, given as v (NULL: not given, which is a problem): a new
 * string in *out (caller frees). */
bool ms_field_id(ms_fields *f, const cJSON *v, const char *path, char **out);
/* The string field name of obj, when given: a new string in *out (caller frees); *out stays
 * NULL when the field is not given or not a string (reported). */
void ms_field_opt_string(ms_fields *f, const cJSON *obj, const char *path, const char *name,
                         char **out);
/* A string or an array of strings: a new array of *n new strings in *out (the caller frees
 * each and the array); the strings that are not strings are reported and left out. */
bool ms_field_strings(ms_fields *f, const cJSON *v, const char *path, char ***out, size_t *n);

#endif
