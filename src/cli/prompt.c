#include "ms/prompt.h"

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "ms/buf.h"
#include "ms/cli.h"
#include "ms/i18n.h"
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
        /* TRANSLATORS: %s is a duration such as 1m13s */
        snprintf(out, len, _("took %s (no budget)"), e);
        return;
    }
    ms_format_duration(budget_us, b, sizeof b);
    /* TRANSLATORS: the time the stopwatch measured, then the check's budget (1m13s, 1m) */
    if (elapsed_us <= budget_us)
        snprintf(out, len, _("%s: within the %s budget"), e, b);
    else
        snprintf(out, len, _("%s: over the %s budget"), e, b);
}

/* Is the reply (folded: ms_fold_marks) one of words (NULL-terminated)? */
static bool reply_is(const char *folded, const char *const *words)
{
    for (size_t i = 0; words[i]; i++)
        if (strcmp(folded, words[i]) == 0)
            return true;
    return false;
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
        if (ms_parse_double(reply, ck->manual->scale_lo, ck->manual->scale_hi, &ans->value) !=
            MS_OK) {
            snprintf(why, whylen, _("type a number from %g to %g, na, skip or ?"),
                     ck->manual->scale_lo, ck->manual->scale_hi);
            return MS_ERR_USAGE;
        }
        break;
    case MS_KIND_YESNO: {
        /* English always; Vietnamese có/không and c/k in any case, with or without their marks
         * ("co", "khong"), precomposed or typed decomposed. */
        static const char *const yes[] = {"yes", "y", "co", "c", NULL};
        static const char *const no[] = {"no", "n", "khong", "k", NULL};
        char f[32];
        bool folded = ms_fold_marks(reply, f, sizeof f) == MS_OK;
        if (folded && reply_is(f, yes))
            ans->yes = true;
        else if (folded && reply_is(f, no))
            ans->yes = false;
        else {
            snprintf(why, whylen, "%s", _("type yes or no, na, skip or ?"));
            return MS_ERR_USAGE;
        }
        break;
    }
    case MS_KIND_STOPWATCH:
        if (ms_parse_spoken_duration(reply, &ans->elapsed_us) != MS_OK) {
            snprintf(why, whylen, "%s", _("type a duration such as 1m13s or 45s, na, skip or ?"));
            return MS_ERR_USAGE;
        }
        if (ans->elapsed_us > MS_STOPWATCH_MAX_US) { /* what the answers file takes back */
            snprintf(why, whylen, "%s",
                     _("a stopwatch answer is at most 24h: type a shorter duration"));
            return MS_ERR_USAGE;
        }
        break;
    default:
        snprintf(why, whylen, "%s", _("an http check is measured, not answered"));
        return MS_ERR_USAGE;
    }
    ans->state = MS_ANS_VALUE;
    return MS_OK;
}

/* The width the interview wraps to: the terminal's when out is one, else COLUMNS, else 80. */
static size_t out_cols(FILE *out)
{
    return (size_t)ms_cli_width_of(fileno(out));
}

/* One paragraph of the interview, indented by two and wrapped to the width. */
static ms_status say(FILE *out, size_t cols, const char *text)
{
    return ms_fprint_wrapped(out, "  ", text, cols, NULL);
}

/* "?": the check in full: its title and prompt, what passes (and the budget), the fix, the
 * owner, and every key the prompt takes. */
static ms_status describe(const ms_check *ck, FILE *out)
{
    ms_status rc = MS_OK, r;
    char b[32], line[512];
    size_t cols = out_cols(out);
    fputc('\n', out);
    if ((r = say(out, cols, ck->title ? ck->title : ck->id)) != MS_OK)
        rc = r;
    if (ck->manual && ck->manual->prompt)
        if ((r = say(out, cols, ck->manual->prompt)) != MS_OK)
            rc = r;
    if (ck->description)
        if ((r = say(out, cols, ck->description)) != MS_OK)
            rc = r;
    switch (ck->kind) {
    case MS_KIND_RATING:
        snprintf(line, sizeof line, _("A number from %g to %g; %g or more passes."),
                 ck->manual->scale_lo, ck->manual->scale_hi, ck->manual->pass);
        if ((r = say(out, cols, line)) != MS_OK)
            rc = r;
        break;
    case MS_KIND_YESNO:
        rc = say(out, cols,
                 ck->manual->good_yes ? _("yes or no; yes passes.") : _("yes or no; no passes."));
        break;
    default:
        if ((r = say(
                 out, cols,
                 _("Press Enter to start the stopwatch; type a note while it runs if you like, and "
                   "Enter stops it (the note is kept). Or type how long it took (1m13s)."))) !=
            MS_OK)
            rc = r;
        if (ck->budget_us[MS_PH_TOTAL] > 0) {
            ms_format_duration(ck->budget_us[MS_PH_TOTAL], b, sizeof b);
            /* TRANSLATORS: %s is the budget, a duration such as 1m */
            snprintf(line, sizeof line, _("Within the %s budget passes."), b);
            if ((r = say(out, cols, line)) != MS_OK)
                rc = r;
        } else {
            if ((r = say(out, cols, _("It has no budget: any time passes."))) != MS_OK)
                rc = r;
        }
        break;
    }
    ms_buf more; /* the checklist's texts, of any length */
    ms_buf_init(&more, 0);
    if (ck->fix) {
        /* TRANSLATORS: %s is the check's fix, from the checklist */
        ms_buf_printf(&more, _("If it falls short: %s"), ck->fix);
        if ((r = say(out, cols, more.len ? ms_buf_str(&more) : ck->fix)) != MS_OK)
            rc = r;
        ms_buf_reset(&more);
    }
    if (ck->owner) {
        ms_buf_printf(&more, _("Owner: %s"), ck->owner);
        if ((r = say(out, cols, more.len ? ms_buf_str(&more) : ck->owner)) != MS_OK)
            rc = r;
    }
    if (more.failed)
        rc = MS_ERR_NOMEM;
    ms_buf_cleanup(&more);
    if ((r = say(out, cols,
                 _("Keys: na: not applicable here; s or skip: answer later; b: back, change the "
                   "previous answer; q: stop asking (the answers so far are saved); ?: this "
                   "help."))) != MS_OK)
        rc = r;
    return rc;
}

static const char *choices(const ms_check *ck, char *buf, size_t len)
{
    switch (ck->kind) {
    case MS_KIND_RATING:
        /* TRANSLATORS: the prompt of a rating; the keys na, s, b, q and ? stay as they are */
        snprintf(buf, len, _("score %g-%g (pass %g), na, s skip, b back, q quit, ? help"),
                 ck->manual->scale_lo, ck->manual->scale_hi, ck->manual->pass);
        break;
    case MS_KIND_YESNO:
        /* TRANSLATORS: the prompt of a yes/no check: show the words the auditor types for yes
         * and no in your language (the English ones are always taken too) */
        snprintf(buf, len, "%s", _("yes/no, na, s skip, b back, q quit, ? help"));
        break;
    default:
        snprintf(buf, len, "%s",
                 _("Enter to start the stopwatch, or a duration (1m13s), na, s skip, b back, q "
                   "quit, ? help"));
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
    char e[32], b[32], head[256];
    int64_t whole = elapsed_us / 1000000 * 1000000; /* whole seconds, "0s" at the start */
    ms_format_duration(whole > 0 ? whole : 0, e, sizeof e);
    if (whole <= 0)
        snprintf(e, sizeof e, "0s");
    if (ck->budget_us[MS_PH_TOTAL] > 0) {
        ms_format_duration(ck->budget_us[MS_PH_TOTAL], b, sizeof b);
        /* TRANSLATORS: the running stopwatch, redrawn in place on one line: the elapsed time,
         * then the budget; keep it short (a 60-column terminal), then what is typed follows */
        snprintf(head, sizeof head, _("  stopwatch %s of the %s budget; Enter stops it; note > "),
                 e, b);
    } else {
        snprintf(head, sizeof head, _("  stopwatch %s; Enter stops it; note > "), e);
    }
    /* A line that wrapped could not be redrawn: the head cut to the width too. */
    head[ms_prefix_for_width(head, cols > 1 ? cols - 1 : 1)] = '\0';
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

/* Set when the process is continued (fg after Ctrl-Z): the shell may have put the terminal back in
 * its own mode meanwhile. */
static volatile sig_atomic_t g_continued;

static void on_continue(int sig)
{
    (void)sig;
    g_continued = 1;
}

/* The running stopwatch on a terminal: redrawn once a second; what is typed is its note, Enter
 * stops it. Stopped (Ctrl-Z) and continued, it keeps running (the call went on) and takes its
 * keys again. *elapsed and *note (new, NULL when none typed; the caller frees). */
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
    struct sigaction cont = {.sa_handler = on_continue}, prev_cont;
    sigemptyset(&cont.sa_mask); /* no SA_RESTART: poll returns at once */
    sigaction(SIGCONT, &cont, &prev_cont);
    g_continued = 0;
    if (restore) {
        raw = saved;
        raw.c_lflag &= (tcflag_t) ~(ICANON | ECHO);
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        tcsetattr(fd, TCSANOW, &raw);
    }
    while (!done) {
        if (g_continued) {
            g_continued = 0;
            if (restore)
                tcsetattr(fd, TCSANOW, &raw);
        }
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
    sigaction(SIGCONT, &prev_cont, NULL);
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
        fputs(_("  stopwatch running; type a note if you like, Enter stops it > "), out);
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
    char buf[256], why[256];
    for (;;) {
        if (stop && *stop)
            return ASK_INTERRUPTED; /* a signal that came while we were printing */
        /* Room left on the line for the reply echoed after " > " ("1 phút 13 giây"). */
        size_t cols = out_cols(out);
        if (ms_fprint_wrapped(out, "  ", choices(ck, buf, sizeof buf), cols > 40 ? cols - 16 : cols,
                              " > ") == MS_ERR_NOMEM)
            return ASK_NOMEM;
        fflush(out);
        char *line = NULL;
        if (read_line(in, stop, &line) != MS_OK)
            return ASK_NOMEM;
        if (!line)
            return (stop && *stop) ? ASK_INTERRUPTED : ASK_QUIT;
        ask_result r = ASK_ANSWERED;
        bool again = false;
        if (strcmp(line, "?") == 0 || strcasecmp(line, "help") == 0) {
            if (describe(ck, out) == MS_ERR_NOMEM)
                r = ASK_NOMEM;
            else
                again = true;
        } else if (strcasecmp(line, "skip") == 0 || strcasecmp(line, "s") == 0) {
            r = ASK_SKIPPED;
        } else if (strcasecmp(line, "q") == 0 || strcasecmp(line, "quit") == 0) {
            r = ASK_QUIT;
        } else if (strcasecmp(line, "b") == 0 || strcasecmp(line, "back") == 0) {
            if (back)
                r = ASK_BACK;
            else {
                fprintf(out, "  %s\n", _("nothing to go back to: this is the first question"));
                again = true;
            }
        } else if (ck->kind == MS_KIND_STOPWATCH && !*line) {
            r = stopwatch(ck, in, out, stop, ans);
            if (r == ASK_ANSWERED) {
                ms_prompt_budget_text(ans->elapsed_us, ck->budget_us[MS_PH_TOTAL], buf, sizeof buf);
                fprintf(out, "  %s\n", buf);
                if (ans->elapsed_us > MS_STOPWATCH_MAX_US) {
                    fprintf(out, "  %s\n",
                            _("a stopwatch answer is at most 24h: type the duration instead"));
                    free(ans->note);
                    memset(ans, 0, sizeof *ans);
                    again = true;
                }
            }
        } else if (!*line) {
            again = true;
        } else if (ms_prompt_parse_reply(ck, line, ans, why, sizeof why) != MS_OK) {
            if (ms_fprint_wrapped(out, "  ", why, out_cols(out), NULL) == MS_ERR_NOMEM)
                r = ASK_NOMEM;
            else
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
    ms_buf line;
    ms_buf_init(&line, 0);
    for (size_t i = 0; i < plan->nchecks; i++) {
        const ms_check *ck = plan->checks[i];
        total += ck->selected && ms_check_unanswered(ck);
    }
    if (total == 0)
        goto out;
    if (!(pending = calloc(total, sizeof *pending))) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0, n = 0; i < plan->nchecks; i++) {
        const ms_check *ck = plan->checks[i];
        if (ck->selected && ms_check_unanswered(ck))
            pending[n++] = i;
    }
    /* Unbuffered, so that poll sees every line not yet read (a terminal's stdin, before any
     * read of it). */
    if (fileno(in) >= 0)
        setvbuf(in, NULL, _IONBF, 0);
    size_t cols = out_cols(out);
    /* TRANSLATORS: %s is the answers file's path */
    ms_buf_printf(&line,
                  ngettext("%zu manual check to answer; each answer is saved at once to %s",
                           "%zu manual checks to answer; each answer is saved at once to %s",
                           total),
                  total, ms_answers_path(a));
    if (line.failed) {
        rc = MS_ERR_NOMEM;
        goto out;
    }
    ms_fprintf_line(out, "%s", ms_buf_str(&line)); /* not wrapped: a path is copied whole */
    while (pos < total) {
        ms_check *ck = plan->checks[pending[pos]];
        /* The checklist's text is cleaned: no escape sequence reaches the auditor's terminal. */
        fputc('\n', out);
        ms_buf_reset(&line);
        /* TRANSLATORS: [position/total] the check's title (its kind, its factor), the kind and
         * factor as their own messages translate them */
        ms_buf_printf(&line, _("[%zu/%zu] %s  (%s, %s)"), pos + 1, total, ck->title,
                      ms_kind_label(ck->kind), ms_factor_label(ck->factor));
        if (line.failed) {
            rc = MS_ERR_NOMEM;
            goto out;
        }
        ms_manual *m = ck->manual; /* a pending check is a manual one */
        if ((rc = ms_fprint_wrapped(out, "", ms_buf_str(&line), cols, NULL)) == MS_OK && m->prompt)
            rc = say(out, cols, m->prompt);
        if (rc == MS_OK && m->answer.state != MS_ANS_NONE)
            rc = say(out, cols, _("(answered already: a new answer replaces the one saved)"));
        if (rc == MS_ERR_IO)
            rc = MS_OK; /* a terminal that went away: the next read says so */
        if (rc != MS_OK)
            goto out;
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
            ms_buf_reset(&line);
            ms_buf_printf(&line, _("Stopped asking; run again with --answers %s to go on."),
                          ms_answers_path(a));
            if (line.failed) {
                rc = MS_ERR_NOMEM;
                goto out;
            }
            ms_fprintf_line(out, "%s", ms_buf_str(&line)); /* as the first line, for the path */
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
            fputs(_("  note (Enter for none) > "), out);
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
        free(m->answer.note);
        free(m->answer.at);
        m->answer = ans;
        if (ended) {
            fputc('\n', out);
            rc = (stop && *stop) ? MS_ERR_INTERRUPTED : MS_OK;
            goto out;
        }
    }
out:
    ms_buf_cleanup(&line);
    free(pending);
    return rc;
}
