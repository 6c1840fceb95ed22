/* The run record: a finished (or interrupted) run as a value of its own, apart from the
 * checklist definitions. It is made once from the plan after the probe and the interview
 * (ms_run_from_plan), with every string already redacted, then scored (ms/score.h), and it is
 * all a report writer sees. The JSON report writes it and reads it back losslessly
 * (ms/report.h). Plain data: libc only. */
#ifndef MS_RUN_H
#define MS_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ms/plan.h"
#include "ms/model.h"
#include "ms/status.h"

/* One check: its identity, the definition fields reports need, what was measured or answered,
 * and (after scoring) its outcome. Strings are owned; NULL where the checklist has none. */
/* Its fields in order of size, so that none pads another (360 bytes a check were 312), the small
 * ones in a byte each: 296 bytes, no more than the plan's check (ms_check), so that the record
 * made check by check from the plan (ms_run_from_plan) takes the memory each check it frees
 * leaves, not more (a run of 1,000 checks: 24 page faults fewer than at 312 bytes). */
typedef struct {
    char *id;
    char *title; /* the id itself (the same string) when they are the same */
    char *description;
    char **tags;
    size_t ntags;
    double weight;
    char *owner;
    char *fix;
    const int64_t *budget_us; /* MS_PH_COUNT of them, -1 where no budget: ms_no_budgets or the
                               * run's (ms_run.budgets), shared by the checks with the same */
    char *file; /* the checklist file it was defined in: in a record made from a plan, its
                 * list's path itself (the same string) */
    /* http */
    char *method;
    char *url; /* secrets replaced by *** */
    /* manual */
    double scale_lo, scale_hi, pass; /* rating */
    /* measured or answered */
    ms_sample *samples;
    ms_answer answer;
    /* the outcome, filled in by ms_score_run */
    double score;   /* s in [0, 1] */
    ms_stats *st;   /* http: the statistics of each phase (MS_PH_COUNT of them, owned) as read from
                     * a report, or once it is scored with more than MS_RUN_STATS_MADE samples;
                     * NULL otherwise: ms_run_stats reads them, or makes them from the samples. */
    char *evidence; /* one line: why it passed or failed */
    int nsamples;
    ms_kind kind;
    ms_factor factor;
    ms_audience audience;
    ms_stat stat;
    int line;               /* of its definition in file; 0 when unknown */
    int max_failed_samples; /* http: failed samples it tolerates before it fails */
    int8_t effort;          /* 1 (s), 2 (m), 4 (l) */
    uint8_t status;         /* an ms_check_status */
    int8_t judged_phase; /* the budgeted phase whose statistic decided (furthest over or nearest to
                          * its budget); -1 without a budget */
    int8_t worst_phase;  /* the phase to blame when judged_phase is over budget (its largest part
                          * when it is ttfb or total); -1 when none is */
    bool critical;
    bool warm;
    bool body_not_contains; /* it has body_not_contains expectations (for body_cut_held) */
    bool good_yes;          /* yesno */
    bool has_score;
    bool body_cut_held; /* a body_not_contains held on a sample whose body was cut, so only for
                         * the part that was examined */
} ms_run_check;

/* A section: a range of the run's checks, and its score. */
typedef struct {
    char *id;
    char *title;
    size_t first, n; /* checks[first .. first + n) */
    bool has_score;
    double score; /* 0-100 */
    size_t answered, applicable;
} ms_run_section;

typedef struct {
    char *id;
    char *title;
    char *path;
    ms_run_section *sections;
    size_t nsections;
} ms_run_list;

/* One entry of the prioritised fix list (or of the "could be better" list): a check's fix, or a
 * host fix, one for several http checks every sample of which failed to reach the same host. The
 * fields shown are the entry's own: a check's fix has copies of its check's. */
typedef struct {
    size_t check;  /* index into the run's checks: the check, or a host fix's first */
    double impact; /* points the overall score would gain if its checks scored 1 */
    ms_severity severity;
    char *hint;     /* for the phase most over budget, or NULL */
    size_t *checks; /* the checks it stands for (indexes), nchecks of them: 1 but for a host fix */
    size_t nchecks;
    char *host;  /* a host fix: the host that could not be reached; NULL otherwise */
    char *error; /* a host fix: the error of its checks' first sample; NULL otherwise */
    char *title, *owner, *evidence, *fix;
    ms_factor factor;
    ms_audience audience;
    int effort;
} ms_run_fix;

/* --fail-on: which failed checks fail the run. */
typedef enum { MS_FAIL_ON_ANY, MS_FAIL_ON_CRITICAL, MS_FAIL_ON_NONE } ms_fail_on;

/* Why a run is not a plain pass. The gate (ms_run_judge) fills the list, one entry a reason
 * that applies, in this order; a report that cannot be written adds its own (ms_run_add_reason).
 * MS_REASON_GATE is a format-1 or -2 report's one reason, whose kind it did not say. */
typedef enum {
    MS_REASON_FAILED,      /* --fail-on any: checks failed */
    MS_REASON_CRITICAL,    /* --fail-on critical: critical checks failed */
    MS_REASON_NO_SCORE,    /* nothing could be scored (unless --fail-on none) */
    MS_REASON_SCORE,       /* --fail-under: the score is below it, or there is none */
    MS_REASON_REGRESSION,  /* --baseline: checks got slower (unless --fail-on none) */
    MS_REASON_INCOMPLETE,  /* --require-complete: manual checks unanswered */
    MS_REASON_INTERRUPTED, /* SIGINT or SIGTERM */
    MS_REASON_REPORT,      /* a report could not be written */
    MS_REASON_GATE,        /* an older report's reason */
    MS_REASON_COUNT
} ms_reason_kind;

typedef struct {
    ms_reason_kind kind;
    char *text; /* one line, as every report shows it */
} ms_reason;

/* The verdict: the gate's options, what it decided, and the exit code that says it. */
typedef struct {
    bool passed;     /* the gate (--fail-on, --fail-under) passed and the run was not interrupted */
    char *reason;    /* the texts of the gate's reasons (failed, critical, no score, score,
                      * regression, an older report's) joined by "; ", or NULL when it passed */
    bool incomplete; /* --require-complete and something unanswered */
    int exit_code;   /* ms_status_exit_code(ms_run_status(run)): what every report states */
    ms_reason *reasons; /* every reason that applies; none when the run passed */
    size_t nreasons;
    ms_fail_on fail_on;
    bool has_fail_under;
    double fail_under;
    bool require_complete;
} ms_verdict;

/* A proxy that http checks of the run went through (format 3). Strings are owned. */
typedef struct {
    char *url;     /* scheme, host and port: never a user name or password */
    char *from;    /* "--proxy", or the environment variable it came from ("http_proxy") */
    char **checks; /* the ids of the checks it carried, in report order */
    size_t nchecks;
} ms_run_proxy;

/* The network options of the run (format 3): the proxies used, and what was asked of libcurl.
 * Strings are owned; a zeroed value is a run without any of them. */
typedef struct {
    ms_run_proxy *proxies;
    size_t nproxies;
    char *http_version; /* "1.1", "2" or "3" (--http1.1, --http2, --http3); NULL: libcurl's */
    char **resolve;     /* --resolve entries as given */
    size_t nresolve;
    char **connect_to; /* --connect-to entries as given */
    size_t nconnect_to;
    char *client_cert; /* --cert FILE as given, or NULL */
} ms_run_net;

/* Free what net holds and zero it. Harmless on a zeroed value. */
void ms_run_net_cleanup(ms_run_net *net);

/* run --baseline: the run compared with and the comparison (ms/compare.h). */
typedef struct ms_run_baseline ms_run_baseline;

/* What the command line and the answers file say about a run; strings are borrowed. */
typedef struct {
    const char *tool_version;
    const char *libcurl;
    const char *started_at;
    const char *auditor;
    const char *label;
    const char *answers_path;
    const char *visited_at;
    int samples; /* --samples override, 0 when none */
    long parallel;
    long per_host;
    bool insecure;
    bool interrupted;
    const ms_run_net *net; /* the network options (copied, redacted); NULL: none */
} ms_run_meta;

typedef struct {
    char *tool_version;
    char *libcurl; /* the libcurl that measured */
    char *started_at;
    char *finished_at;
    int64_t duration_us;
    char *auditor;
    char *label;
    char *answers_path;
    char *visited_at; /* from the answers file */
    bool interrupted;
    bool insecure; /* TLS was not verified */
    long parallel;
    long per_host;
    int samples; /* --samples override, 0 when none */
    /* the network options (format 3) */
    ms_run_net net;
    ms_run_list *lists;
    size_t nlists;
    /* in report order: checklist, section, check; each made apart, so that a run's record takes
     * the memory of the plan's checks it is copied from (ms_run_from_plan) */
    ms_run_check **checks;
    size_t nchecks;
    ms_budget_pool budgets; /* the checks' budgets, shared */
    ms_scores scores;
    ms_run_fix *fixes; /* failed checks, and host fixes */
    size_t nfixes;
    ms_run_fix *better; /* checks that passed with a score below 1 ("could be better") */
    size_t nbetter;
    ms_verdict verdict;
    ms_run_baseline *baseline; /* run --baseline: owned; NULL without one */
} ms_run;

/* Each answer's age (answer.age_days) from its at to run->started_at; with set_stale, also
 * answer.stale: answered more than MS_STALE_DAYS days before the run started. An answer without
 * a readable time is never stale. */
void ms_run_answer_ages(ms_run *run, bool set_stale);

/* Make the record of a run from plan: the selected checks (an unselected one is not part of the
 * run), their definitions, samples and answers, with every string redacted of plan's secrets.
 * Not yet scored (ms_score_run). *out is new (free with ms_run_free); MS_OK or MS_ERR_NOMEM (then
 * *out is NULL). The plan's selected checks are taken: each is freed as soon as it is in the
 * record (ms_plan_drop_check), so that a run never holds two copies of its checks; after this
 * only ms_plan_cleanup may use the plan, whatever the outcome. */
ms_status ms_run_from_plan(ms_plan *plan, const ms_run_meta *meta, ms_run **out);

/* A zeroed record to fill in field by field (the JSON reader); MS_OK or MS_ERR_NOMEM. */
ms_status ms_run_new(ms_run **out);

/* n zeroed checks more at the end of run's (nchecks grows by n); MS_OK or MS_ERR_NOMEM (then
 * run is as it was, but for the checks that could be made). */
ms_status ms_run_add_checks(ms_run *run, size_t n);

/* The status a finished run ends with, the first that applies: interrupted, a report could not
 * be written (MS_ERR_IO), incomplete, the gate failed, or OK. Its exit code
 * (ms_status_exit_code) is the run's exit code. */
ms_status ms_run_status(const ms_run *run);

/* Add a reason to the verdict (text is copied) and set its exit code again; MS_OK or
 * MS_ERR_NOMEM. */
ms_status ms_run_add_reason(ms_run *run, ms_reason_kind kind, const char *text);

/* Whether the verdict has a reason of that kind. */
bool ms_verdict_has(const ms_verdict *v, ms_reason_kind kind);

/* The verdict in one word for people (static text): INTERRUPTED (130), ERROR (3), INCOMPLETE
 * (4), NO SCORE (nothing was scored: exit 1, or 0 with --fail-on none), FAIL (1) or PASS (0). */
const char *ms_verdict_word(const ms_run *run);
/* The same word for people, in the language of the messages (the word above stays English: it
 * feeds JSON and the webhook's "verdict"). */
const char *ms_verdict_label(const ms_run *run);

/* Names in reports: "failed", "critical", "no_score", "score", "regression", "incomplete",
 * "interrupted", "report", "gate"; and "any", "critical", "none". Static text. */
const char *ms_reason_kind_name(ms_reason_kind k);
const char *ms_fail_on_name(ms_fail_on f);

/* Set *dst to a copy of src (NULL for NULL), freeing what it held; MS_OK or MS_ERR_NOMEM. */
ms_status ms_run_set(char **dst, const char *src);

/* A check scored with up to this many samples keeps no statistics: ms_run_stats makes them from
 * its samples each time, on its stack (ms_stats_sort). They were 448 bytes a check, most of what
 * a run's record added once it was made. */
#define MS_RUN_STATS_MADE 64

/* The statistics of phase p (0 <= p < MS_PH_COUNT) of ck over its completed samples: those it
 * keeps (read from a report, or scored with more than MS_RUN_STATS_MADE samples), else made from
 * its samples (a caller that reads several of one phase makes them once); all 0 (n == 0) when it
 * has none or is not an http check, and when memory ran out making them for more than
 * MS_RUN_STATS_MADE samples before it was scored. */
ms_stats ms_run_stats(const ms_run_check *ck, int p);

/* ms_stats_get of ms_run_stats(ck, p). */
int64_t ms_run_stat(const ms_run_check *ck, int p, ms_stat s);

/* The statistics of phase p of ck made from its completed samples, whatever it keeps: MS_OK,
 * or MS_ERR_NOMEM (more than 64 samples to sort; then *out is all 0). */
ms_status ms_run_make_stats(const ms_run_check *ck, int p, ms_stats *out);

/* Free what a fix entry holds and zero it. Harmless on a zeroed one. */
void ms_run_fix_cleanup(ms_run_fix *f);

/* Free everything the record holds, and the record. Harmless on NULL. */
void ms_run_free(ms_run *run);

#endif
