/* Loading and validating checklists (format 1) into a plan (ms/plan.h). Includes no cJSON: the
 * modules that only use a plan need not see it. */
#ifndef MS_CHECKLIST_H
#define MS_CHECKLIST_H

#include <stdbool.h>
#include <stddef.h>

#include "ms/diag.h"
#include "ms/plan.h"
#include "ms/status.h"

/* A variable given on the command line with --var NAME=VALUE. */
typedef struct {
    const char *name;
    const char *value;
} ms_var;

/* Load and validate the checklists at paths, applying vars over each file's "vars". Every
 * problem found is added to diag (all of them, file by file, each file's in file order); nothing
 * is printed. Returns MS_OK, MS_ERR_INVALID when any problem was found, or MS_ERR_NOMEM. The
 * checks are usable only on MS_OK; free the plan with ms_plan_cleanup in every case. Each check's
 * line is where its object begins in plan->lists[ck->checklist_index].path. */
ms_status ms_plan_load(ms_plan *plan, const char *const *paths, size_t npaths, const ms_var *vars,
                       size_t nvars, ms_diag *diag);

/* Whether a variable given on the command line is used by the checklists loaded. */
typedef struct {
    bool used;  /* some checklist string uses {{name}} (all are, when a file could not be read as
                   a JSON object: what it uses is not known) */
    char *near; /* unused: the name used as {{name}} nearest to it ("did you mean"), or NULL;
                   the caller frees it */
} ms_var_use;

/* How to load: the variables given on the command line (applied over each file's "vars", in
 * order: a later one wins), and whether an unset {{env.NAME}} is only a warning (validate and
 * list never need secrets), added to warnings (required then), not to the problems. uses, when
 * not NULL, has room for nvars: each is set for the variable of vars at its place (a mistyped
 * -D is used by none), on MS_OK and MS_ERR_INVALID. */
typedef struct {
    const ms_var *vars;
    size_t nvars;
    bool env_optional;
    ms_diag *warnings;
    ms_var_use *uses;
    bool strip_http; /* validate: each http check is stripped (ms_check_strip) once it is loaded:
                      * only its id, kind and place are read after, and the checks of a large
                      * file are not all held at once (manual ones stay whole, for answers) */
} ms_load_opts;

/* ms_plan_load with options. */
ms_status ms_plan_load_opts(ms_plan *plan, const char *const *paths, size_t npaths,
                            const ms_load_opts *opts, ms_diag *diag);

#endif
