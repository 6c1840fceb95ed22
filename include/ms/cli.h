/* The command line: commands, options and the help texts. */
#ifndef MS_CLI_H
#define MS_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "ms/checklist.h"
#include "ms/mwu.h"
#include "ms/netopts.h"
#include "ms/notify.h"
#include "ms/score.h"
#include "ms/status.h"

typedef enum {
    MS_CMD_RUN,
    MS_CMD_VALIDATE,
    MS_CMD_LIST,
    MS_CMD_INIT,
    MS_CMD_HELP,
    MS_CMD_VERSION,
    MS_CMD_HISTORY,
    MS_CMD_COMPARE,
    MS_CMD_REPORT
} ms_command;
typedef enum { MS_HIST_LIST, MS_HIST_PRUNE, MS_HIST_IMPORT } ms_history_action;
typedef enum { MS_COLOR_AUTO, MS_COLOR_ALWAYS, MS_COLOR_NEVER } ms_color;

typedef struct {
    ms_command command;
    const char *help_topic; /* help COMMAND */
    const char **files;     /* checklists (borrowed from argv) */
    size_t nfiles;
    const char *answers;
    const char *auditor;
    const char *label;
    bool no_input;
    ms_var *vars; /* owned array; names and values point into owned strings */
    char **var_storage;
    size_t nvars;
    int samples;
    long parallel;
    long per_host;
    int64_t timeout_us;
    const char **only;
    size_t nonly;
    const char *json;
    const char *junit;
    const char *html;     /* --html FILE */
    const char *markdown; /* --markdown FILE */
    const char *metrics;  /* --metrics FILE */
    const char *push; /* --push URL: a Pushgateway (may hold credentials: never printed whole) */
    bool quiet;
    bool verbose; /* -v: waterfalls and samples in the text report */
    ms_color color;
    ms_fail_on fail_on;
    double fail_under; /* < 0: none */
    bool require_complete;
    const char *cacert;
    bool insecure;
    ms_net_opts net; /* --proxy, --noproxy, --cert, --key, --http1.1/2/3, --resolve, --connect-to */
    bool validate_json; /* validate --json: problems as JSON on stdout */
    /* init */
    const char **urls;
    size_t nurls;
    const char *init_id;
    const char *init_title;
    bool with_hotline;
    const char *output; /* -o FILE; NULL: stdout */
    bool force;
    const char *init_from; /* init --from NAME: a checklist file or a bundled one's name */
    const char *vars_file; /* --vars-file FILE: variables before -D (run, validate, list) */
    /* the history (run and history) */
    const char *history; /* --history FILE; NULL: MS_HISTORY, else the default */
    bool no_history;
    ms_history_action history_action;
    const char *history_check;     /* history --check ID */
    const char *history_checklist; /* history --checklist ID */
    long history_last;             /* --last N; 0: all */
    const char *history_since;     /* --since DATE */
    const char *older_than;        /* prune --older-than DURATION */
    bool history_json;             /* history --json */
    /* run --notify */
    const char *notify;     /* --notify URL (a secret: never printed whole); NULL: none */
    ms_notify_on notify_on; /* --notify-on; default change */
    bool notify_on_given;
    /* comparing runs (compare, and run --baseline) */
    const char *baseline;     /* run --baseline REF (ms/ref.h); NULL: none */
    const char *compare_base; /* compare BASE NEW */
    const char *compare_new;
    ms_regression_limits limits; /* --max-slowdown, --min-slowdown (defaults: ms/compare.h) */
    bool compare_json;           /* compare --json */
    const char *report_ref;      /* report REF */
} ms_options;

/* The report files run and report write, in the order they are written. */
#define MS_NREPORTS 5
typedef struct {
    const char *option; /* "--json" */
    const char *format; /* the writer's name (ms_report_find): "json" */
    const char *what;   /* as messages name it: "JSON" */
    const char *path;   /* the option's value; NULL: not asked for */
} ms_report_out;

/* The report files of the options, every one, asked for or not. */
void ms_report_outputs(const ms_options *o, ms_report_out out[MS_NREPORTS]);

/* Parse argv into opts (after ms_options_init). Prints what is wrong and returns
 * MS_ERR_USAGE on a bad command line. */
ms_status ms_cli_parse(int argc, char **argv, ms_options *opts);
void ms_options_init(ms_options *opts);
void ms_options_cleanup(ms_options *opts);

/* The width of text on stdout: the terminal's when stdout is one, else COLUMNS when it is set to
 * a number, else 80. */
int ms_cli_text_width(void);
/* The same for the file descriptor fd (the interview's output). */
int ms_cli_width_of(int fd);

/* Print the general usage, or the help of one command (NULL: general). Returns MS_ERR_USAGE
 * for an unknown topic. */
ms_status ms_cli_help(const char *topic, FILE *out);

#endif
