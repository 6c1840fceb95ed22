/* Loading and validating checklists (format 1). */
#ifndef MS_CHECKLIST_H
#define MS_CHECKLIST_H

#include <stddef.h>
#include <stdio.h>

#include "ms/model.h"
#include "ms/redact.h"
#include "ms/status.h"

/* A variable given on the command line with --var NAME=VALUE. */
typedef struct {
    const char *name;
    const char *value;
} ms_var;

/* A problem found in a checklist. */
typedef struct {
    char *file;
    int line, col; /* 1-based; 0 when it concerns the whole file (it cannot be read) */
    char *path;    /* the JSON dot path, "" for the root */
    char *message;
} ms_problem;

/* Every checklist of a run, with all their checks in order. */
typedef struct {
    ms_checklist *lists;
    size_t nlists;
    ms_check **checks; /* owned, in checklist order */
    size_t nchecks;
    ms_secrets secrets;   /* values that came from the environment, to redact */
    char **short_secrets; /* names of environment variables too short to hide (run refuses) */
    size_t nshort_secrets;
    ms_problem *problems; /* what was wrong, file by file, in file order */
    size_t nproblems;
} ms_plan;

/* Load and validate the checklists at paths, applying vars over each file's "vars".
 * Every problem found is kept in plan->problems (all of them, in file order); nothing is
 * printed. Returns MS_OK, MS_ERR_INVALID when any problem was found, or MS_ERR_NOMEM. The
 * checks are usable only on MS_OK; free the plan with ms_plan_cleanup in every case. */
ms_status ms_plan_load(ms_plan *plan, const char *const *paths, size_t npaths, const ms_var *vars,
                       size_t nvars);

/* Print the plan's problems as "file:line:col: path: message" lines, then how many there
 * were. */
void ms_plan_print_problems(const ms_plan *plan, FILE *out);

/* Free everything the plan holds. Harmless on a zeroed plan. */
void ms_plan_cleanup(ms_plan *plan);

/* Replace every secret in s, in every encoded form, by "***" (ms_secrets_redact). Returns a new
 * string (caller frees) or NULL when out of memory. */
char *ms_plan_redact(const ms_plan *plan, const char *s);

/* Find a check or section by id; NULL when none. */
ms_check *ms_plan_find_check(const ms_plan *plan, const char *id);
ms_section *ms_plan_find_section(const ms_plan *plan, const char *id);

#endif
