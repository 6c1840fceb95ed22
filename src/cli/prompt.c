#include "ms/prompt.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ms/buf.h"
#include "ms/util.h"

/* Read one line without its newline into *out (caller frees); *out is NULL at end of input or
 * on a signal. MS_ERR_NOMEM when the line could not be held: never taken for the end. */
static ms_status read_line(FILE *in, char **out)
{
    char *line = NULL;
    size_t cap = 0;
    *out = NULL;
    errno = 0;
    ssize_t n = getline(&line, &cap, in);
    if (n < 0) {
        bool nomem = errno == ENOMEM;
        free(line);
        clearerr(in);
        return nomem ? MS_ERR_NOMEM : MS_OK;
    }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    /* trim */
    char *s = line;
    while (isspace((unsigned char)*s))
        s++;
    memmove(line, s, strlen(s) + 1);
    n = (ssize_t)strlen(line);
    while (n > 0 && isspace((unsigned char)line[n - 1]))
        line[--n] = '\0';
    *out = line;
    return MS_OK;
}

ms_status ms_prompt_parse_reply(const ms_check *ck, const char *reply, ms_answer *ans, char *why,
                                size_t whylen)
{
    memset(ans, 0, sizeof *ans);
    if (strcasecmp(reply, "na") == 0 || strcasecmp(reply, "n/a") == 0) {
        ans->state = MS_ANS_NA;
        return MS_OK;
    }
    switch (ck->kind) {
    case MS_KIND_RATING:
        if (ms_parse_double(reply, ck->scale_lo, ck->scale_hi, &ans->value) != MS_OK) {
            snprintf(why, whylen, "type a number from %g to %g, na, skip or ?", ck->scale_lo,
                     ck->scale_hi);
            return MS_ERR_USAGE;
        }
        break;
    case MS_KIND_YESNO:
        if (strcasecmp(reply, "yes") == 0 || strcasecmp(reply, "y") == 0)
            ans->yes = true;
        else if (strcasecmp(reply, "no") == 0 || strcasecmp(reply, "n") == 0)
            ans->yes = false;
        else {
            snprintf(why, whylen, "type yes or no, na, skip or ?");
            return MS_ERR_USAGE;
        }
        break;
    case MS_KIND_STOPWATCH:
        if (ms_parse_duration(reply, &ans->elapsed_us) != MS_OK) {
            snprintf(why, whylen, "type a duration such as 1m13s or 45s, na, skip or ?");
            return MS_ERR_USAGE;
        }
        if (ans->elapsed_us > MS_STOPWATCH_MAX_US) { /* what the answers file takes back */
            snprintf(why, whylen, "a stopwatch answer is at most 24h: type a shorter duration");
            return MS_ERR_USAGE;
        }
        break;
    default:
        snprintf(why, whylen, "an http check is measured, not answered");
        return MS_ERR_USAGE;
    }
    ans->state = MS_ANS_VALUE;
    return MS_OK;
}

static void describe(const ms_check *ck, FILE *out)
{
    char b[32];
    switch (ck->kind) {
    case MS_KIND_RATING:
        fprintf(out, "  A number from %g to %g; %g or more passes.\n", ck->scale_lo, ck->scale_hi,
                ck->pass);
        break;
    case MS_KIND_YESNO:
        fprintf(out, "  yes or no; %s passes.\n", ck->good_yes ? "yes" : "no");
        break;
    default:
        if (ck->budget_us[MS_PH_TOTAL] > 0) {
            ms_format_duration(ck->budget_us[MS_PH_TOTAL], b, sizeof b);
            fprintf(out,
                    "  Press Enter when you start and Enter again when it is done, or type "
                    "how long it took (1m13s). Within %s passes.\n",
                    b);
        } else {
            fprintf(out, "  Press Enter when you start and Enter again when it is done, or type "
                         "how long it took (1m13s).\n");
        }
        break;
    }
    fprintf(out, "  na: not applicable here; skip: answer later; q: stop asking (answers so far "
                 "are saved).\n");
    if (ck->description)
        ms_fprintf_line(out, "  %s", ck->description);
    if (ck->fix)
        ms_fprintf_line(out, "  If it falls short: %s", ck->fix);
}

static const char *choices(const ms_check *ck, char *buf, size_t len)
{
    switch (ck->kind) {
    case MS_KIND_RATING:
        snprintf(buf, len, "score %g-%g (pass %g), na, skip, ?", ck->scale_lo, ck->scale_hi,
                 ck->pass);
        break;
    case MS_KIND_YESNO:
        snprintf(buf, len, "yes/no, na, skip, ?");
        break;
    default:
        snprintf(buf, len, "Enter to start the stopwatch, or a duration (1m13s), na, skip, ?");
        break;
    }
    return buf;
}

typedef enum { ASK_ANSWERED, ASK_SKIPPED, ASK_QUIT, ASK_INTERRUPTED, ASK_NOMEM } ask_result;

/* Ask one check until a valid reply; fills ans on ASK_ANSWERED. */
static ask_result ask(const ms_check *ck, FILE *in, FILE *out, volatile sig_atomic_t *stop,
                      ms_answer *ans)
{
    char buf[160], why[160];
    for (;;) {
        if (stop && *stop)
            return ASK_INTERRUPTED; /* a signal that came while we were printing */
        fprintf(out, "  %s > ", choices(ck, buf, sizeof buf));
        fflush(out);
        char *line = NULL;
        if (read_line(in, &line) != MS_OK)
            return ASK_NOMEM;
        if (!line)
            return (stop && *stop) ? ASK_INTERRUPTED : ASK_QUIT;
        ask_result r = ASK_ANSWERED;
        bool again = false;
        if (strcmp(line, "?") == 0 || strcasecmp(line, "help") == 0) {
            describe(ck, out);
            again = true;
        } else if (strcasecmp(line, "skip") == 0 || strcasecmp(line, "s") == 0) {
            r = ASK_SKIPPED;
        } else if (strcasecmp(line, "q") == 0 || strcasecmp(line, "quit") == 0) {
            r = ASK_QUIT;
        } else if (ck->kind == MS_KIND_STOPWATCH && !*line) {
            int64_t t0 = ms_monotonic_us();
            fprintf(out, "  stopwatch running... Enter to stop > ");
            fflush(out);
            char *stopline = NULL;
            if (read_line(in, &stopline) != MS_OK) {
                free(line);
                return ASK_NOMEM;
            }
            if (!stopline) {
                free(line);
                return (stop && *stop) ? ASK_INTERRUPTED : ASK_QUIT;
            }
            free(stopline);
            memset(ans, 0, sizeof *ans);
            ans->state = MS_ANS_VALUE;
            ans->elapsed_us = ms_monotonic_us() - t0;
            ms_format_duration(ans->elapsed_us, buf, sizeof buf);
            fprintf(out, "  took %s\n", buf);
            if (ans->elapsed_us > MS_STOPWATCH_MAX_US) {
                fprintf(out, "  a stopwatch answer is at most 24h: type the duration instead\n");
                memset(ans, 0, sizeof *ans);
                again = true;
            }
        } else if (!*line) {
            again = true;
        } else if (ms_prompt_parse_reply(ck, line, ans, why, sizeof why) != MS_OK) {
            fprintf(out, "  %s\n", why);
            again = true;
        }
        free(line);
        if (!again)
            return r;
    }
}

ms_status ms_prompt_run(ms_plan *plan, ms_answers *a, FILE *in, FILE *out,
                        volatile sig_atomic_t *stop)
{
    size_t total = 0, k = 0;
    for (size_t i = 0; i < plan->nchecks; i++) {
        const ms_check *ck = plan->checks[i];
        total += ck->selected && ck->kind != MS_KIND_HTTP && ck->res.answer.state == MS_ANS_NONE;
    }
    if (total == 0)
        return MS_OK;
    ms_fprintf_line(out, "%zu manual check%s to answer; each answer is saved at once to %s", total,
                    total == 1 ? "" : "s", ms_answers_path(a));
    for (size_t i = 0; i < plan->nchecks; i++) {
        ms_check *ck = plan->checks[i];
        if (!ck->selected || ck->kind == MS_KIND_HTTP || ck->res.answer.state != MS_ANS_NONE)
            continue;
        k++;
        /* The checklist's text is cleaned: no escape sequence reaches the auditor's terminal. */
        fputc('\n', out);
        ms_fprintf_line(out, "[%zu/%zu] %s  (%s, %s)", k, total, ck->title, ms_kind_name(ck->kind),
                        ms_factor_name(ck->factor));
        if (ck->prompt)
            ms_fprintf_line(out, "  %s", ck->prompt);
        ms_answer ans = {0};
        ask_result r = ask(ck, in, out, stop, &ans);
        if (r == ASK_INTERRUPTED)
            return MS_ERR_INTERRUPTED;
        if (r == ASK_NOMEM)
            return MS_ERR_NOMEM;
        if (r == ASK_QUIT) {
            fputc('\n', out);
            ms_fprintf_line(out, "Stopped asking; run again with --answers %s to go on.",
                            ms_answers_path(a));
            return MS_OK;
        }
        if (r == ASK_SKIPPED)
            continue;
        fprintf(out, "  note (Enter for none) > ");
        fflush(out);
        char *note = NULL;
        if (read_line(in, &note) != MS_OK)
            return MS_ERR_NOMEM;
        bool ended = note == NULL; /* end of input or a signal: save the answer, then stop */
        ans.note = note && *note ? note : NULL;
        if (!ans.note)
            free(note);
        char at[40];
        ms_now_iso8601(at, sizeof at);
        ans.at = strdup(at);
        /* Never an answer saved without its time. */
        ms_status rc = ans.at ? ms_answers_record(a, ck, &ans) : MS_ERR_NOMEM;
        if (rc != MS_OK) {
            free(ans.note);
            free(ans.at);
            return rc;
        }
        free(ck->res.answer.note);
        free(ck->res.answer.at);
        ck->res.answer = ans;
        if (ended) {
            fputc('\n', out);
            return (stop && *stop) ? MS_ERR_INTERRUPTED : MS_OK;
        }
    }
    return MS_OK;
}
