#include "ms/prompt.h"

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "ms/buf.h"
#include "ms/util.h"

/* Wait until in has something to read, or *stop: poll, so that a signal that came just before
 * the read is seen within a quarter second rather than never. A stream without a descriptor (a
 * string, in the tests) is always ready. False when stopped. */
static bool wait_input(FILE *in, volatile sig_atomic_t *stop)
{
    int fd = fileno(in);
    for (;;) {
        if (stop && *stop)
            return false;
        if (fd < 0)
            return true;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int n = poll(&p, 1, 250);
        if (n > 0 || (n < 0 && errno != EINTR))
            return true; /* ready, or the read says what is wrong */
    }
}

/* Read one line without its newline into *out (caller frees); *out is NULL at end of input or
 * on a signal. MS_ERR_NOMEM when the line could not be held: never taken for the end. */
static ms_status read_line(FILE *in, volatile sig_atomic_t *stop, char **out)
{
    char *line = NULL;
    size_t cap = 0;
    *out = NULL;
    if (!wait_input(in, stop))
        return MS_OK;
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

void ms_prompt_budget_text(int64_t elapsed_us, int64_t budget_us, char *out, size_t len)
{
    char e[32], b[32];
    ms_format_duration(elapsed_us, e, sizeof e);
    if (budget_us <= 0) {
        snprintf(out, len, "took %s (no budget)", e);
        return;
    }
    ms_format_duration(budget_us, b, sizeof b);
    if (elapsed_us <= budget_us)
        snprintf(out, len, "%s: within the %s budget", e, b);
    else
        snprintf(out, len, "%s: over the %s budget", e, b);
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

/* "?": the check in full: its title and prompt, what passes (and the budget), the fix, the
 * owner, and every key the prompt takes. */
static void describe(const ms_check *ck, FILE *out)
{
    char b[32];
    fputc('\n', out);
    ms_fprintf_line(out, "  %s", ck->title ? ck->title : ck->id);
    if (ck->prompt)
        ms_fprintf_line(out, "  %s", ck->prompt);
    if (ck->description)
        ms_fprintf_line(out, "  %s", ck->description);
    switch (ck->kind) {
    case MS_KIND_RATING:
        fprintf(out, "  A number from %g to %g; %g or more passes.\n", ck->scale_lo, ck->scale_hi,
                ck->pass);
        break;
    case MS_KIND_YESNO:
        fprintf(out, ck->good_yes ? "  yes or no; yes passes.\n" : "  yes or no; no passes.\n");
        break;
    default:
        fprintf(out, "  Press Enter to start the stopwatch; type a note while it runs if you "
                     "like, and Enter stops it (the note is kept). Or type how long it took "
                     "(1m13s).\n");
        if (ck->budget_us[MS_PH_TOTAL] > 0) {
            ms_format_duration(ck->budget_us[MS_PH_TOTAL], b, sizeof b);
            fprintf(out, "  Within the %s budget passes.\n", b);
        } else {
            fprintf(out, "  It has no budget: any time passes.\n");
        }
        break;
    }
    if (ck->fix)
        ms_fprintf_line(out, "  If it falls short: %s", ck->fix);
    if (ck->owner)
        ms_fprintf_line(out, "  Owner: %s", ck->owner);
    fprintf(out, "  Keys: na: not applicable here; s or skip: answer later; b: back, change the "
                 "previous answer; q: stop asking (the answers so far are saved); ?: this "
                 "help.\n");
}

static const char *choices(const ms_check *ck, char *buf, size_t len)
{
    switch (ck->kind) {
    case MS_KIND_RATING:
        snprintf(buf, len, "score %g-%g (pass %g), na, s skip, b back, q quit, ? help",
                 ck->scale_lo, ck->scale_hi, ck->pass);
        break;
    case MS_KIND_YESNO:
        snprintf(buf, len, "yes/no, na, s skip, b back, q quit, ? help");
        break;
    default:
        snprintf(buf, len,
                 "Enter to start the stopwatch, or a duration (1m13s), na, s skip, "
                 "b back, q quit, ? help");
        break;
    }
    return buf;
}

typedef enum {
    ASK_ANSWERED,
    ASK_SKIPPED,
    ASK_BACK,
    ASK_QUIT,
    ASK_INTERRUPTED,
    ASK_NOMEM
} ask_result;

/* The terminal's width in columns, 80 when it does not say. */
static size_t term_cols(int fd)
{
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col;
    return 80;
}

/* Redraw the running stopwatch's line in place: the elapsed whole seconds against the budget,
 * then the end of the note typed so far that fits the line (a line that wrapped could not be
 * redrawn with \r). */
static void draw_stopwatch(const ms_check *ck, int64_t elapsed_us, const ms_buf *note, size_t cols,
                           FILE *out)
{
    char e[32], b[32], head[192];
    int64_t whole = elapsed_us / 1000000 * 1000000; /* whole seconds, "0s" at the start */
    ms_format_duration(whole > 0 ? whole : 0, e, sizeof e);
    if (whole <= 0)
        snprintf(e, sizeof e, "0s");
    if (ck->budget_us[MS_PH_TOTAL] > 0) {
        ms_format_duration(ck->budget_us[MS_PH_TOTAL], b, sizeof b);
        snprintf(head, sizeof head, "  stopwatch %s of the %s budget; Enter stops it; note > ", e,
                 b);
    } else {
        snprintf(head, sizeof head, "  stopwatch %s; Enter stops it; note > ", e);
    }
    ms_buf clean;
    ms_buf_init(&clean, 0);
    ms_buf_add_clean(&clean, note->len ? ms_buf_str(note) : "");
    const char *tail = ms_buf_str(&clean);
    size_t hw = ms_display_width(head), room = cols > hw + 1 ? cols - hw - 1 : 0;
    while (*tail && ms_display_width(tail) > room) {
        tail++;
        while ((*tail & 0xC0) == 0x80)
            tail++;
    }
    fprintf(out, "\r\033[K%s%s", head, tail);
    fflush(out);
    ms_buf_cleanup(&clean);
}

/* Take the bytes typed while the stopwatch runs (the terminal in non-canonical mode, no echo):
 * printable text and UTF-8 go into note, backspace takes the last character back, escape
 * sequences (arrow keys) are dropped. *esc carries a sequence across reads. True on Enter. */
static bool take_keys(const unsigned char *k, size_t n, ms_buf *note, int *esc, bool *eof)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = k[i];
        if (*esc == 1) {
            *esc = c == '[' || c == 'O' ? 2 : 0;
            continue;
        }
        if (*esc == 2) {
            if (c >= 0x40 && c <= 0x7E)
                *esc = 0;
            continue;
        }
        if (c == '\n' || c == '\r')
            return true;
        if (c == 0x1B) {
            *esc = 1;
        } else if (c == 0x7F || c == 0x08) {
            while (note->len && (note->data[note->len - 1] & 0xC0) == 0x80)
                note->data[--note->len] = '\0';
            if (note->len)
                note->data[--note->len] = '\0';
        } else if (c == 0x04 && note->len == 0) {
            *eof = true;
            return true;
        } else if (c >= 0x20 || c == '\t') {
            ms_buf_addc(note, c == '\t' ? ' ' : (char)c);
        }
    }
    return false;
}

/* The running stopwatch on a terminal: redrawn once a second; what is typed is its note, Enter
 * stops it. *elapsed and *note (new, NULL when none typed; the caller frees). */
static ask_result stopwatch_tty(const ms_check *ck, int fd, FILE *out, volatile sig_atomic_t *stop,
                                int64_t *elapsed, char **note)
{
    ask_result r = ASK_ANSWERED;
    struct termios saved, raw;
    bool restore = tcgetattr(fd, &saved) == 0;
    ms_buf typed;
    ms_buf_init(&typed, 0);
    int esc = 0;
    bool done = false, eof = false;
    size_t cols = term_cols(fd);
    int64_t t0 = ms_monotonic_us();
    if (restore) {
        raw = saved;
        raw.c_lflag &= (tcflag_t) ~(ICANON | ECHO);
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        tcsetattr(fd, TCSANOW, &raw);
    }
    while (!done) {
        int64_t now = ms_monotonic_us() - t0;
        draw_stopwatch(ck, now, &typed, cols, out);
        if (stop && *stop) {
            r = ASK_INTERRUPTED;
            goto out;
        }
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int wait_ms = (int)((1000000 - now % 1000000) / 1000) + 1; /* to the next whole second */
        int n = poll(&p, 1, wait_ms);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            continue;
        unsigned char k[64];
        ssize_t got = read(fd, k, sizeof k);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            eof = true;
            break;
        }
        done = take_keys(k, (size_t)got, &typed, &esc, &eof);
    }
    *elapsed = ms_monotonic_us() - t0;
    draw_stopwatch(ck, *elapsed, &typed, cols, out);
    fputc('\n', out);
    if (typed.failed) {
        r = ASK_NOMEM;
        goto out;
    }
    if (eof) {
        r = ASK_QUIT;
        goto out;
    }
    /* Trimmed as a typed line is. */
    const char *t = typed.len ? ms_buf_str(&typed) : "";
    while (isspace((unsigned char)*t))
        t++;
    size_t len = strlen(t);
    while (len && isspace((unsigned char)t[len - 1]))
        len--;
    if (len && !(*note = strndup(t, len)))
        r = ASK_NOMEM;
out:
    if (restore)
        tcsetattr(fd, TCSANOW, &saved);
    ms_buf_cleanup(&typed);
    return r;
}

/* The stopwatch, started: on a terminal it runs in place; otherwise the next line stops it and
 * is its note. Fills ans (and its note) on ASK_ANSWERED. */
static ask_result stopwatch(const ms_check *ck, FILE *in, FILE *out, volatile sig_atomic_t *stop,
                            ms_answer *ans)
{
    ask_result r = ASK_ANSWERED;
    int64_t elapsed = 0;
    char *note = NULL;
    int fd = fileno(in);
    if (fd >= 0 && isatty(fd)) {
        r = stopwatch_tty(ck, fd, out, stop, &elapsed, &note);
    } else {
        int64_t t0 = ms_monotonic_us();
        fprintf(out, "  stopwatch running; type a note if you like, Enter stops it > ");
        fflush(out);
        char *line = NULL;
        if (read_line(in, stop, &line) != MS_OK)
            return ASK_NOMEM;
        if (!line)
            return (stop && *stop) ? ASK_INTERRUPTED : ASK_QUIT;
        elapsed = ms_monotonic_us() - t0;
        if (*line)
            note = line;
        else
            free(line);
    }
    if (r != ASK_ANSWERED) {
        free(note);
        return r;
    }
    memset(ans, 0, sizeof *ans);
    ans->state = MS_ANS_VALUE;
    ans->elapsed_us = elapsed;
    ans->note = note;
    return r;
}

/* Ask one check until a valid reply; fills ans on ASK_ANSWERED (with a note when one was typed
 * while the stopwatch ran). ASK_BACK only when back is true. */
static ask_result ask(const ms_check *ck, bool back, FILE *in, FILE *out,
                      volatile sig_atomic_t *stop, ms_answer *ans)
{
    char buf[192], why[160];
    for (;;) {
        if (stop && *stop)
            return ASK_INTERRUPTED; /* a signal that came while we were printing */
        fprintf(out, "  %s > ", choices(ck, buf, sizeof buf));
        fflush(out);
        char *line = NULL;
        if (read_line(in, stop, &line) != MS_OK)
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
        } else if (strcasecmp(line, "b") == 0 || strcasecmp(line, "back") == 0) {
            if (back)
                r = ASK_BACK;
            else {
                fprintf(out, "  nothing to go back to: this is the first question\n");
                again = true;
            }
        } else if (ck->kind == MS_KIND_STOPWATCH && !*line) {
            r = stopwatch(ck, in, out, stop, ans);
            if (r == ASK_ANSWERED) {
                ms_prompt_budget_text(ans->elapsed_us, ck->budget_us[MS_PH_TOTAL], buf, sizeof buf);
                fprintf(out, "  %s\n", buf);
                if (ans->elapsed_us > MS_STOPWATCH_MAX_US) {
                    fprintf(out,
                            "  a stopwatch answer is at most 24h: type the duration instead\n");
                    free(ans->note);
                    memset(ans, 0, sizeof *ans);
                    again = true;
                }
            }
        } else if (!*line) {
            again = true;
        } else if (ms_prompt_parse_reply(ck, line, ans, why, sizeof why) != MS_OK) {
            fprintf(out, "  %s\n", why);
            again = true;
        } else if (ck->kind == MS_KIND_STOPWATCH && ans->state == MS_ANS_VALUE) {
            ms_prompt_budget_text(ans->elapsed_us, ck->budget_us[MS_PH_TOTAL], buf, sizeof buf);
            fprintf(out, "  %s\n", buf);
        }
        free(line);
        if (!again)
            return r;
    }
}

ms_status ms_prompt_run(ms_plan *plan, ms_answers *a, FILE *in, FILE *out,
                        volatile sig_atomic_t *stop)
{
    ms_status rc = MS_OK;
    size_t total = 0, pos = 0, *pending = NULL;
    for (size_t i = 0; i < plan->nchecks; i++) {
        const ms_check *ck = plan->checks[i];
        total += ck->selected && ck->kind != MS_KIND_HTTP && ck->res.answer.state == MS_ANS_NONE;
    }
    if (total == 0)
        goto out;
    if (!(pending = calloc(total, sizeof *pending))) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0, n = 0; i < plan->nchecks; i++) {
        const ms_check *ck = plan->checks[i];
        if (ck->selected && ck->kind != MS_KIND_HTTP && ck->res.answer.state == MS_ANS_NONE)
            pending[n++] = i;
    }
    /* Unbuffered, so that poll sees every line not yet read (a terminal's stdin, before any
     * read of it). */
    if (fileno(in) >= 0)
        setvbuf(in, NULL, _IONBF, 0);
    ms_fprintf_line(out, "%zu manual check%s to answer; each answer is saved at once to %s", total,
                    total == 1 ? "" : "s", ms_answers_path(a));
    while (pos < total) {
        ms_check *ck = plan->checks[pending[pos]];
        /* The checklist's text is cleaned: no escape sequence reaches the auditor's terminal. */
        fputc('\n', out);
        ms_fprintf_line(out, "[%zu/%zu] %s  (%s, %s)", pos + 1, total, ck->title,
                        ms_kind_name(ck->kind), ms_factor_name(ck->factor));
        if (ck->prompt)
            ms_fprintf_line(out, "  %s", ck->prompt);
        if (ck->res.answer.state != MS_ANS_NONE)
            fprintf(out, "  (answered already: a new answer replaces the one saved)\n");
        ms_answer ans = {0};
        ask_result r = ask(ck, pos > 0, in, out, stop, &ans);
        if (r == ASK_INTERRUPTED) {
            fputc('\n', out); /* the report must not start on the prompt's line */
            rc = MS_ERR_INTERRUPTED;
            goto out;
        }
        if (r == ASK_NOMEM) {
            rc = MS_ERR_NOMEM;
            goto out;
        }
        if (r == ASK_QUIT) {
            fputc('\n', out);
            ms_fprintf_line(out, "Stopped asking; run again with --answers %s to go on.",
                            ms_answers_path(a));
            goto out;
        }
        if (r == ASK_BACK) {
            pos--;
            continue;
        }
        pos++;
        if (r == ASK_SKIPPED)
            continue;
        bool ended = false; /* end of input or a signal: save the answer, then stop */
        if (!ans.note) {    /* none typed while the stopwatch ran */
            fprintf(out, "  note (Enter for none) > ");
            fflush(out);
            char *note = NULL;
            if (read_line(in, stop, &note) != MS_OK) {
                rc = MS_ERR_NOMEM;
                goto out;
            }
            ended = note == NULL;
            ans.note = note && *note ? note : NULL;
            if (!ans.note)
                free(note);
        }
        char at[40];
        ms_now_iso8601(at, sizeof at);
        ans.at = strdup(at);
        /* Never an answer saved without its time. */
        rc = ans.at ? ms_answers_record(a, ck, &ans) : MS_ERR_NOMEM;
        if (rc != MS_OK) {
            free(ans.note);
            free(ans.at);
            goto out;
        }
        free(ck->res.answer.note);
        free(ck->res.answer.at);
        ck->res.answer = ans;
        if (ended) {
            fputc('\n', out);
            rc = (stop && *stop) ? MS_ERR_INTERRUPTED : MS_OK;
            goto out;
        }
    }
out:
    free(pending);
    return rc;
}
