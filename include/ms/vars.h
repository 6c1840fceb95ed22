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

/* The variables of one checklist file. */
typedef struct {
    ms_var_value *items; /* owned */
    size_t n, cap;
    ms_hindex index; /* hash of a name -> its place in items */
    ms_plan *plan;   /* where the values from the environment are kept as secrets */
} ms_vars;

/* Start an empty set whose secrets go to plan (borrowed). */
void ms_vars_init(ms_vars *v, ms_plan *plan);
void ms_vars_cleanup(ms_vars *v);

/* Read the file's "vars" object (NULL: none), reporting its problems through f, then apply the
 * command line's over them. */
void ms_vars_load(ms_vars *v, ms_fields *f, const cJSON *vars, const ms_var *cli, size_t ncli);

/* Substitute {{name}} and {{env.NAME}} in s for a text that goes where ctx says, reporting
 * unknown variables and bad syntax at path. Sets *value (as sent) and *display (secrets as ***),
 * new strings the caller frees in every case. Every {{env.NAME}} used is kept in the plan as a
 * secret. Returns false when something was reported or memory ran out (f->nomem). */
bool ms_vars_substitute(ms_vars *v, ms_fields *f, const char *s, const char *path, ms_subst ctx,
                        char **value, char **display);

#endif
