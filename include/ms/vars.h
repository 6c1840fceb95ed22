/* Checklist variables: {{name}} from "vars" and --var, {{env.NAME}} from the environment (a
 * secret, shown as ***), substituted with the escaping the text around them needs. */
#ifndef MS_VARS_H
#define MS_VARS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "ms/checklist.h"
#include "ms/fields.h"
#include "ms/hash.h"
#include "ms/plan.h"

/* Where a substituted value goes, which says how it is written. */
typedef enum {
    MS_SUBST_TEXT,   /* text shown or sent as it is (a prompt, a body that is not JSON) */
    MS_SUBST_URL,    /* a URL: as it is (libcurl sends it; control characters are refused) */
    MS_SUBST_HEADER, /* a header value: as it is (line breaks and control characters refused) */
    MS_SUBST_JSON,   /* JSON text: inside a JSON string a value is escaped as one */
    MS_SUBST_VAR     /* a variable's own value: only {{env.NAME}} may be used */
} ms_subst;

typedef struct {
    char *name;
    char *value;
    char *display; /* *** where the value came from the environment */
} ms_var_value;

/* The names that the strings of a run's checklists use as {{name}} (not {{env.NAME}}), each
 * once, defined or not: which -D and --vars-file names are used, and near ones to suggest. */
typedef struct {
    char **names;    /* owned copies, NULL-terminated once one is added (ms_did_you_mean) */
    size_t n, cap;   /* names has room for cap + 1 */
    ms_hindex index; /* hash of a name -> its place in names */
} ms_var_refs;

/* Start an empty set (allocates nothing). */
void ms_var_refs_init(ms_var_refs *r);
/* Free every name; harmless on an initialised or zeroed set. */
void ms_var_refs_cleanup(ms_var_refs *r);
/* Whether some string used {{name}}. */
bool ms_var_refs_has(const ms_var_refs *r, const char *name);

/* The variables of one checklist file. */
typedef struct {
    ms_var_value *items; /* owned */
    size_t n, cap;
    ms_hindex index;   /* hash of a name -> its place in items */
    ms_plan *plan;     /* where the values from the environment are kept as secrets */
    size_t unset_env;  /* {{env.NAME}} left as written: unset, and a warning (f->warnings) */
    size_t suggested;  /* "did you mean" lookups made (each scans every name: they are capped) */
    ms_var_refs *refs; /* borrowed; NULL: none. Each {{name}} substituted is added to it */
} ms_vars;

/* Start an empty set whose secrets go to plan (borrowed). */
void ms_vars_init(ms_vars *v, ms_plan *plan);
void ms_vars_cleanup(ms_vars *v);

/* Read the file's "vars" object (NULL: none), reporting its problems through f, then apply the
 * command line's over them. */
void ms_vars_load(ms_vars *v, ms_fields *f, const cJSON *vars, const ms_var *cli, size_t ncli);

/* Substitute {{name}} and {{env.NAME}} in s for a text that goes where ctx says, reporting
 * unknown variables and bad syntax at path. An unset environment variable is a problem, or,
 * when the reader f has warnings (validate, list: they never need secrets), a warning: then
 * {{env.NAME}} stays as written and v->unset_env counts it. Sets *value (as sent) and *display
 * (secrets as ***), new strings the caller frees in every case. Every {{env.NAME}} used is kept in
 * the plan as a secret, every {{name}} in v->refs (when set). Returns false when something was
 * reported or memory ran out (f->nomem). */
bool ms_vars_substitute(ms_vars *v, ms_fields *f, const char *s, const char *path, ms_subst ctx,
                        char **value, char **display);

/* Variables from a --vars-file: a JSON object of names to strings, taken as they are (as -D
 * takes them). vars points into doc. */
typedef struct {
    cJSON *doc;
    ms_var *vars; /* owned array */
    size_t n;
} ms_vars_file;

/* Read the vars file at path into *out (cleaned up with ms_vars_file_cleanup in every case). A
 * file that cannot be read: MS_ERR_USAGE, with why in why[0, whylen). A file that
 * is not such an object (not JSON, a value that is not a string, a name that is not a variable
 * name or that says env., a name given twice): MS_ERR_INVALID with every problem in diag, each
 * with its line, column and field. Or MS_ERR_NOMEM. */
ms_status ms_vars_file_read(const char *path, ms_diag *diag, ms_vars_file *out, char *why,
                            size_t whylen);
void ms_vars_file_cleanup(ms_vars_file *vf);

#endif
