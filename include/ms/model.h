/* The plain structs every module shares: checklists and their checks, what was measured or
 * answered for each check, and the scores. No library types appear here (the hash index is the
 * project's own). */
#ifndef MS_MODEL_H
#define MS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ms/hash.h"

typedef enum { MS_KIND_HTTP, MS_KIND_STOPWATCH, MS_KIND_RATING, MS_KIND_YESNO } ms_kind;
typedef enum {
    MS_FACTOR_PRODUCT,
    MS_FACTOR_PEOPLE,
    MS_FACTOR_CONVENIENCE,
    MS_FACTOR_COUNT
} ms_factor;
typedef enum { MS_AUD_EXTERNAL, MS_AUD_INTERNAL, MS_AUD_COUNT } ms_audience;
typedef enum {
    MS_STAT_MEDIAN,
    MS_STAT_P90,
    MS_STAT_P95,
    MS_STAT_MAX,
    MS_STAT_MEAN,
    MS_STAT_MIN
} ms_stat;

/* Phases of one HTTP sample. The first five do not overlap; ttfb and total are cumulative;
 * redirect is the time spent on redirects before the final request. */
typedef enum {
    MS_PH_DNS,
    MS_PH_CONNECT,
    MS_PH_TLS,
    MS_PH_SERVER,
    MS_PH_TRANSFER,
    MS_PH_TTFB,
    MS_PH_TOTAL,
    MS_PH_REDIRECT,
    MS_PH_COUNT
} ms_phase;

/* The outcome of one check. */
typedef enum {
    MS_ST_PASS,
    MS_ST_FAIL,
    MS_ST_NA,         /* not applicable: answered "na" */
    MS_ST_UNANSWERED, /* a manual check nobody answered */
    MS_ST_NOT_RUN     /* not measured: the run was interrupted first */
} ms_check_status;

typedef struct {
    char *name;
    char *value;   /* as sent */
    char *display; /* as shown in reports: secrets replaced by *** */
} ms_header;

typedef struct {
    char *path;  /* dot path */
    char *value; /* the expected value as JSON text */
} ms_json_expect;

/* Only the first 8 MiB of a response body are kept and examined by body_contains,
 * body_not_contains and json (the rest is counted, not read). */
#define MS_BODY_EXAMINED_MAX ((size_t)8 * 1024 * 1024)
/* The longest stopwatch answer, typed or timed, as the answers file takes it: 24 hours. */
#define MS_STOPWATCH_MAX_US ((int64_t)86400 * 1000000)
/* What every report says of a body cut at MS_BODY_EXAMINED_MAX. */
#define MS_BODY_CUT_NOTE "only the first 8 MiB were examined"

/* One HTTP sample. Phases are in microseconds; a failed sample has error set. A completed one
 * (its whole response arrived, also when it failed an expectation) counts in the statistics; one
 * whose transfer failed has no phases but its total (how long it took) and does not. */
/* 160 bytes (a run holds one for each sample of each check): the counts in an int, the address
 * in as many bytes as libcurl's longest (an IPv6 address with an IPv4 tail, and its NUL). */
typedef struct {
    char *error; /* why it failed; NULL when it passed */
    int64_t ph[MS_PH_COUNT];
    int64_t bytes; /* body bytes received */
    int status;    /* HTTP status of the final response, 0 when none */
    int redirects;
    int connects; /* new connections libcurl opened for this sample */
    int remote_port;
    char http_version[8];
    char remote_ip[46];
    bool failed;
    bool completed; /* a whole response arrived (it may still have failed an expectation) */
    bool body_cut;  /* the body was longer than the expectations examine (MS_BODY_EXAMINED_MAX) */
} ms_sample;

typedef struct {
    int n; /* samples that count (the completed ones) */
    int64_t min, median, p90, p95, max, mean;
} ms_stats;

typedef enum { MS_ANS_NONE, MS_ANS_VALUE, MS_ANS_NA } ms_answer_state;

typedef struct {
    double value;       /* rating */
    int64_t elapsed_us; /* stopwatch */
    char *note;
    char *at;
    /* In a run record (ms_run_answer_ages): whole days from at to the run's start, -1 when
     * either is missing or unreadable; stale when more than MS_STALE_DAYS. */
    int64_t age_days;
    ms_answer_state state;
    bool yes; /* yesno */
    bool stale;
} ms_answer;

/* An answer older than this (days before the run's start) is stale: marked in the reports. */
#define MS_STALE_DAYS 7

/* What the probe measured for one http check of the plan. Scoring happens on the run record
 * (ms/run.h), not here. */
typedef struct {
    ms_sample *samples;
    int nsamples;
} ms_result;

/* What an http check expects of a response beyond its budgets, its "expect" in the checklist:
 * made when it has one, NULL in one that has none (then a status below 400 passes), so that
 * the many plain checks of a large run do not carry ten empty fields (80 bytes a check). */
typedef struct {
    long *status; /* any of these passes; none: a status below 400 */
    size_t nstatus;
    ms_header *headers; /* name and substring */
    size_t nheaders;
    char **body_contains;
    size_t nbody_contains;
    char **body_not_contains;
    size_t nbody_not_contains;
    ms_json_expect *json;
    size_t njson;
} ms_expects;

/* What only a manual check (stopwatch, rating, yesno) has: made with the check, NULL in an http
 * check, so that the many http checks of a large run do not carry it (80 bytes a check). */
typedef struct {
    char *prompt;
    double scale_lo, scale_hi, pass; /* rating */
    ms_answer answer;                /* what the auditor answered */
    bool good_yes;                   /* yesno */
} ms_manual;

/* A check's budgets: one for each phase, in microseconds, -1 where it has none. Checks with the
 * same budgets share one array, made once and never written after (ms_budgets_intern); those
 * with none share this one. */
extern const int64_t ms_no_budgets[MS_PH_COUNT];

/* The budget arrays checks share: one of each set of budgets, for as long as the pool lives. */
typedef struct {
    int64_t **sets;
    size_t n, cap;
    ms_hindex index; /* the hash of a set -> its place in sets */
} ms_budget_pool;

/* The pool's array of the budgets b (MS_PH_COUNT of them; NULL: none), made when it has none
 * like it; ms_no_budgets when b has no budget. NULL when out of memory. */
const int64_t *ms_budgets_intern(ms_budget_pool *pool, const int64_t *b);
/* Free the arrays of the pool (the checks that share them go first). Harmless on a zeroed one. */
void ms_budget_pool_cleanup(ms_budget_pool *pool);

/* Its fields in order of size, so that none pads another (488 bytes a check were 440); what only
 * some checks have is a part of its own (ms_manual, ms_expects), and the budgets are shared:
 * 240 bytes. */
typedef struct ms_check {
    char *id;
    char *title; /* the id itself (the same string) when the checklist gives none */
    char *description;
    char *fix;
    char *owner;
    char **tags;
    size_t ntags;
    double weight;
    const int64_t *budget_us; /* MS_PH_COUNT of them, shared: the plan's (ms_plan.budgets) */
    /* http */
    char *method;      /* NULL for GET when the checklist names none */
    char *url;         /* with variables substituted */
    char *url_display; /* secrets replaced by ***; url itself when it holds none */
    ms_header *headers;
    size_t nheaders;
    char *body;
    char *body_display;
    long max_redirects;
    int64_t timeout_us;
    ms_expects *expect; /* its "expect"; NULL when it has none */
    ms_manual *manual;  /* a manual check's prompt, scale and answer; NULL in an http check */
    /* where it is */
    size_t checklist_index;
    size_t section_index;
    size_t order; /* position in the run, across checklists */
    ms_result res;
    int line; /* 1-based line of the check's object in its checklist file (0: not known) */
    ms_kind kind;
    ms_factor factor;
    ms_audience audience;
    int effort; /* 1 (s), 2 (m), 4 (l) */
    ms_stat stat;
    int samples;
    int max_failed_samples; /* failed samples tolerated before the check fails */
    bool critical;
    bool follow_redirects;
    bool warm;
    bool selected; /* false when --only left it out */
} ms_check;

typedef struct {
    char *id;
    char *title;
    ms_check **checks; /* borrowed from the checklist's flat list */
    size_t nchecks;
} ms_section;

typedef struct {
    char *path;
    char *id;
    char *title;
    char *description;
    ms_section *sections;
    size_t nsections;
} ms_checklist;

/* Scores and the verdict of a whole run. */
typedef struct {
    bool has_overall;
    double overall;
    bool has_factor[MS_FACTOR_COUNT];
    double factor[MS_FACTOR_COUNT];
    bool has_audience[MS_AUD_COUNT];
    double audience[MS_AUD_COUNT];
    size_t passed, failed, na, unanswered, not_run, critical_failed;
} ms_scores;

/* MS_SEV_NONE: a "could be better" entry, a check that passed (no failure has a severity). */
typedef enum {
    MS_SEV_CRITICAL,
    MS_SEV_SERIOUS,
    MS_SEV_MODERATE,
    MS_SEV_MINOR,
    MS_SEV_NONE
} ms_severity;

/* Names for enums, as written in checklists and reports. */
const char *ms_kind_name(ms_kind k);
const char *ms_factor_name(ms_factor f);
const char *ms_audience_name(ms_audience a);
const char *ms_stat_name(ms_stat s);
const char *ms_phase_name(ms_phase p);
const char *ms_status_name(ms_check_status s);
const char *ms_severity_name(ms_severity s);
const char *ms_effort_name(int effort);

/* The same names for people, in the language of the messages (ms/i18n.h): static strings, never
 * freed. The *_name() functions above stay English: they feed JSON, JUnit and the metrics. */
const char *ms_kind_label(ms_kind k);
/* A check's status by its stored name (ms_status_name: "pass", "fail", "na", "unanswered",
 * "not-run") as a word in a sentence ("pass -> fail"); an unknown name as it is. */
const char *ms_status_word(const char *name);
const char *ms_factor_label(ms_factor f);
const char *ms_audience_label(ms_audience a);
const char *ms_stat_label(ms_stat s);
const char *ms_phase_label(ms_phase p);
/* A check's status in a report's status column: "PASS", "FAIL", "N/A", "----", "SKIP". */
const char *ms_status_label(ms_check_status s);
/* A fix's severity; MS_SEV_NONE is "passed" (a check that passed has no severity). */
const char *ms_severity_label(ms_severity s);
const char *ms_effort_label(int effort);

/* Free a check's own memory and its results (not the struct itself). */
void ms_check_cleanup(ms_check *c);
/* Free all a check holds but its id, and zero it but for its id, kind and place (line, indexes,
 * order, selected): what validate keeps of an http check once it is loaded. */
void ms_check_strip(ms_check *c);
/* The method an http check sends: its own, or GET when its checklist names none (stored NULL). */
const char *ms_check_method(const ms_check *c);
/* Is c a manual check with no answer yet (none in the answers file, none typed)? */
bool ms_check_unanswered(const ms_check *c);
/* Free a result's samples, and reset it. */
void ms_result_cleanup(ms_result *r);

#endif
