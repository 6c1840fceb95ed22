/* The answers file: the auditor's answers to manual checks, read at the start of a run and
 * saved after every answer typed at a prompt, so that an interrupted audit loses nothing. */
#ifndef MS_ANSWERS_H
#define MS_ANSWERS_H

#include <signal.h>
#include <stdbool.h>

#include "ms/diag.h"
#include "ms/model.h"
#include "ms/plan.h"
#include "ms/status.h"

typedef struct ms_answers ms_answers;

/* Read the answers file at path. When may_be_new, a file that does not exist gives an empty set
 * that will be created on the first save; otherwise it is a problem as any file that cannot be
 * read. Problems (a file that cannot be read, not JSON, unknown fields, wrong types) are added to
 * diag with their file, line, column and path, in the order found; nothing is printed.
 * MS_ERR_INVALID then, MS_ERR_NOMEM, or MS_OK with *out to free with ms_answers_free. */
ms_status ms_answers_open(const char *path, bool may_be_new, ms_diag *diag, ms_answers **out);
void ms_answers_free(ms_answers *a);

/* How many answers the file holds (to any checklist's checks). */
size_t ms_answers_count(const ms_answers *a);
/* The file's path; owned by a. */
const char *ms_answers_path(const ms_answers *a);
/* The auditor named in the file, or NULL. Owned by a. */
const char *ms_answers_auditor(const ms_answers *a);
/* The label written in the file, or NULL. Owned by a. */
const char *ms_answers_label(const ms_answers *a);
/* When the visit began, as written in the file, or NULL. Owned by a. */
const char *ms_answers_visited_at(const ms_answers *a);
/* Set the auditor and, when the file has none, the visit time (saved on the next save). */
ms_status ms_answers_set_auditor(ms_answers *a, const char *auditor, const char *visited_at);

/* Record in the file (its "checklists") the ids of plan's checklists, after those it names
 * already: which checklists its answers are for (saved on the next save). */
ms_status ms_answers_set_checklists(ms_answers *a, const ms_plan *plan);
/* The checklist ids the file names, as "a, b" in *out (caller frees), NULL when it names none.
 * MS_OK or MS_ERR_NOMEM. */
ms_status ms_answers_checklists(const ms_answers *a, char **out);
/* How many of the file's answers are for one of plan's checks (selected or not), in *n.
 * MS_OK or MS_ERR_NOMEM. */
ms_status ms_answers_matching(const ms_answers *a, const ms_plan *plan, size_t *n);

/* Copy each answer into the result of its manual check in plan, checking it against the
 * check (a rating within its scale, yes or no, a duration). Answers to checks the plan does not
 * have are kept in the file untouched. Problems are added to diag (nothing is printed);
 * MS_ERR_INVALID then, or MS_ERR_NOMEM. */
ms_status ms_answers_apply(const ms_answers *a, ms_plan *plan, ms_diag *diag);

/* Record ans as the answer to check ck and save the whole file atomically at once. */
ms_status ms_answers_record(ms_answers *a, const ms_check *ck, const ms_answer *ans);

/* Save the file atomically (also when nothing changed, to create it). */
ms_status ms_answers_save(ms_answers *a);

/* Hold the answers file for this session until ms_answers_free, so that two sessions that
 * prompt cannot overwrite each other's answers (a file that does not exist yet is created).
 * When another session holds it, a message naming the file says so on stderr and this waits
 * until it is free or *stop is set (by a signal): MS_ERR_INTERRUPTED then. Then the file is read
 * again, as the other session may have saved answers: apply them with ms_answers_apply.
 * MS_ERR_INVALID, with the problems in diag, when the file read again is invalid. */
ms_status ms_answers_lock(ms_answers *a, volatile sig_atomic_t *stop, ms_diag *diag);

#endif
