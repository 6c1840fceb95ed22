/* Asking the auditor the manual checks at a terminal. */
#ifndef MS_PROMPT_H
#define MS_PROMPT_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "ms/answers.h"
#include "ms/plan.h"
#include "ms/status.h"

/* Ask each selected manual check of plan that has no answer yet, reading lines from in and
 * writing to out. Each answer is saved into a at once (atomically), so an interruption loses
 * nothing. "skip" leaves a check unanswered, "b" asks the previous check again (its new answer
 * replaces the saved one), "q" (or end of input) stops asking. A stopwatch started on a
 * terminal (in a tty) redraws its elapsed time in place and takes what is typed while it runs
 * as its note; elsewhere the line that stops it is its note.
 * Returns MS_ERR_INTERRUPTED when *stop was set, MS_ERR_IO when an answer could not be saved. */
ms_status ms_prompt_run(ms_plan *plan, ms_answers *a, FILE *in, FILE *out,
                        volatile sig_atomic_t *stop);

/* Parse one typed reply to a manual check: a score, yes/no, a duration, "na". Exposed for the
 * tests. Returns MS_OK and fills ans, or MS_ERR_USAGE with a reason in why. */
ms_status ms_prompt_parse_reply(const ms_check *ck, const char *reply, ms_answer *ans, char *why,
                                size_t whylen);

/* What a stopwatch answer says at once: "1m13s: over the 1m budget", "45s: within the 1m
 * budget", "took 45s (no budget)" when budget_us <= 0. Exposed for the tests. */
void ms_prompt_budget_text(int64_t elapsed_us, int64_t budget_us, char *out, size_t len);

#endif
