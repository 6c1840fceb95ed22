#include "ms/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ms/compare.h"
#include "ms/fileio.h"
#include "ms/history.h"
#include "ms/i18n.h"
#include "ms/probe.h"
#include "ms/push.h"
#include "ms/util.h"

static const char *const USAGE =
    N_("Usage: mystery-shopper COMMAND [options] CHECKLIST...\n"
       "\n"
       "The king's walk in disguise: look at your company the way an ordinary\n"
       "customer does.\n"
       "\n"
       "Commands:\n"
       "  run [options] CHECKLIST...   run an audit\n"
       "  validate CHECKLIST...        check files, print every problem, run nothing\n"
       "  list CHECKLIST...            the checks: id, kind, factor, weight, critical\n"
       "  init --url URL... [options]  write a starter checklist for a site\n"
       "  init --from NAME [-o FILE]   start from a bundled checklist\n"
       "                               (website, api...) or a file\n"
       "  history [options]            the runs recorded, newest first; prune, import\n"
       "  compare BASE NEW [options]   what changed between two runs: slowdowns,\n"
       "                               checks that started or stopped failing, scores\n"
       "  report REF [options]         render a run's reports again (HTML, Markdown,\n"
       "                               JUnit, metrics, JSON) from a report or history\n"
       "  help [COMMAND]               this text, or the options of a command\n"
       "  --help, -h                   this text (after a command: that\n"
       "                               command's options)\n"
       "  --version                    the tool's and libcurl's versions\n"
       "\n"
       "Exit codes: 0 passed, 1 failed its gate, 2 usage or invalid input (nothing run),\n"
       "3 could not finish or write results, 4 manual checks unanswered\n"
       "(--require-complete), 130 interrupted (results so far are written, marked\n"
       "interrupted). When several apply, the first of 130, 3, 4, 1 wins, and every\n"
       "report written says that code. A run with nothing scored is NO SCORE: exit 1,\n"
       "unless --fail-on none.\n");

static const char *const RUN_HELP =
    N_("Usage: mystery-shopper run [options] CHECKLIST...\n"
       "\n"
       "Times the http checks, asks the auditor the manual ones (on a terminal), scores\n"
       "it all and prints the prioritised fixes.\n"
       "\n"
       "On a terminal the questions start at once; the http checks are timed in the\n"
       "background meanwhile. At a question: a score or yes/no, na (not applicable),\n"
       "s (skip), b (back: change the previous answer), q (stop, answers kept), ? (the\n"
       "check in full). A running stopwatch shows its time against the budget; type a\n"
       "note while it runs, Enter stops it.\n"
       "\n"
       "  -a, --answers FILE      manual answers; answers typed at prompts\n"
       "                          are saved into it\n"
       "      --auditor NAME      who audited (default: from the answers file)\n"
       "      --label TEXT        a free label such as prod or eu-west\n"
       "                          (default: the answers file's)\n"
       "      --no-input          never prompt (implied when stdin is not a terminal)\n"
       "  -D, --var NAME=VALUE    set or override a checklist variable (repeatable)\n"
       "      --vars-file FILE    variables from a JSON object of names to\n"
       "                          strings (before -D)\n"
       "  -n, --samples N         samples per http check (default: the\n"
       "                          checklist's, else 5)\n"
       "  -j, --parallel N        http checks in flight at once (default 4)\n"
       "      --per-host N        connections at once to one host (default 2)\n"
       "      --timeout DURATION  per-request limit such as 500ms, 10s or 10 (a bare\n"
       "                          number is seconds, as curl's -m; default: the\n"
       "                          checklist's, else 10s)\n"
       "      --only ID           run only these checks or sections (repeatable)\n"
       "      --json FILE         write the results as JSON (- for stdout)\n"
       "      --junit FILE        write the results as JUnit XML (- for stdout)\n"
       "      --html FILE         write one self-contained HTML page (- for stdout)\n"
       "      --markdown FILE     write GitHub-flavoured Markdown (- for stdout)\n"
       "      --metrics FILE      write Prometheus metrics (- for stdout), for\n"
       "                          node_exporter's textfile collector\n"
       "  -q, --quiet             no text report on stdout; a run that does not pass\n"
       "                          says its verdict and first three fixes on stderr\n"
       "  -v, --verbose           each http check's phase waterfall, and its samples\n"
       "      --color WHEN        auto, always or never (NO_COLOR is honoured)\n"
       "      --fail-on WHAT      any failed check, critical ones only, or\n"
       "                          none (default any)\n"
       "      --fail-under SCORE  also fail when the overall score (0-100, compared and\n"
       "                          shown to two decimals) is below SCORE\n"
       "      --require-complete  exit 4 when a manual check is left unanswered\n"
       "      --cacert FILE       trust this CA file\n"
       "      --insecure          skip TLS verification (loudly)\n"
       "      --proxy URL         send every request through this proxy (\"\" for none);\n"
       "                          without it, http_proxy, https_proxy, all_proxy (and\n"
       "                          upper case but HTTP_PROXY) are used as libcurl uses\n"
       "                          them; the report says so\n"
       "      --noproxy HOSTS     hosts that go straight, comma-separated\n"
       "                          (default: no_proxy)\n"
       "      --cert FILE         client certificate (PEM; it may hold the key too)\n"
       "      --key FILE          the client certificate's private key\n"
       "      --http1.1           use HTTP/1.1 only\n"
       "      --http2             ask for HTTP/2 (h2c upgrade over plain\n"
       "                          http, as curl does)\n"
       "      --http3             ask for HTTP/3 (only when libcurl has it)\n"
       "      --resolve HOST:PORT:ADDR[,ADDR]...\n"
       "                          connect to ADDR for HOST:PORT, asking no\n"
       "                          DNS (repeatable)\n"
       "      --connect-to HOST1:PORT1:HOST2:PORT2\n"
       "                          connect to HOST2:PORT2 for HOST1:PORT1 (repeatable)\n");

/* The rest of run's help: the history, alerts and the baseline (one string would pass the 4095
 * characters C guarantees). */
static const char *const RUN_HELP_MORE =
    N_("      --push URL          PUT the metrics to this Prometheus Pushgateway\n"
       "                          (http://host:9091); a failed push is exit 3\n"
       "      --history FILE      record the run in this history database\n"
       "                          (default: MS_HISTORY, else\n"
       "                          $XDG_STATE_HOME/mystery-shopper/history.db)\n"
       "      --no-history        do not record the run\n"
       "      --notify URL        POST a JSON message (Slack-compatible text) to this\n"
       "                          webhook; a failed post is exit 3 (10 s at most)\n"
       "      --notify-on WHEN    change (default: the verdict differs from the\n"
       "                          previous run of the same checklists and label in\n"
       "                          the history; needs the history), fail or always\n"
       "      --baseline REF      compare with the run REF (a JSON report, @last,\n"
       "                          @last-pass, @ID or @label:NAME; see help compare)\n"
       "      --max-slowdown PCT  a regression is slower by more than PCT of the\n"
       "                          base median (default 20%)\n"
       "      --min-slowdown DURATION  ... and by more than DURATION (default 10ms);\n"
       "                          a regression is a fix and fails the run (exit 1)\n"
       "                          unless --fail-on none; the score is not changed\n");

static const char *const COMPARE_HELP =
    N_("Usage: mystery-shopper compare BASE NEW [--json] [--max-slowdown PCT]\n"
       "                               [--min-slowdown DURATION] [--history FILE]\n"
       "\n"
       "Compares two runs. BASE and NEW are references: a JSON report file, or a run of\n"
       "the history: @last (the newest), @last-pass (the newest that passed), @ID (the\n"
       "run of that id, as history lists them) or @label:NAME (the newest with that\n"
       "label). For each http check in both runs, per budgeted phase of NEW's check (or\n"
       "total without a budget): both medians of the completed samples, the change in\n"
       "ms and %, and whether it is a regression: slower by more than both thresholds,\n"
       "and a one-sided Mann-Whitney U test says it is not noise (p < 0.05). With too\n"
       "few samples for the test (fewer than 3 a side, or 3 against 3, which can never\n"
       "give p < 0.05) the thresholds alone decide (\"thresholds only\").\n"
       "Also: checks that started or stopped failing, the scores overall and by\n"
       "factor, and the checks on one side only.\n"
       "\n"
       "Exit codes: 0 no regression, 1 some phase regressed or some check started\n"
       "failing, 2 usage (a bad or unknown reference, an unreadable report).\n"
       "\n"
       "      --json              print the comparison as JSON on stdout\n"
       "      --max-slowdown PCT  slower by more than PCT of the base median, such as\n"
       "                          20% (the % is required; default 20%)\n"
       "      --min-slowdown DURATION  and by more than DURATION, such as 10ms, 0.5s or\n"
       "                          a bare number of ms (default 10ms)\n"
       "      --history FILE      the history the @ references read (default:\n"
       "                          MS_HISTORY, else the default location); never created\n");

static const char *const HISTORY_HELP =
    N_("Usage: mystery-shopper history [--label L] [--checklist ID] [--last N]\n"
       "                               [--since DATE] [--json] [--history FILE]\n"
       "       mystery-shopper history --check ID [same options]\n"
       "       mystery-shopper history prune --older-than DURATION [--history FILE]\n"
       "       mystery-shopper history import [--history FILE] REPORT.json...\n"
       "\n"
       "Every run is recorded in a SQLite database: --history FILE, else MS_HISTORY,\n"
       "else $XDG_STATE_HOME/mystery-shopper/history.db (~/.local/state/... when unset).\n"
       "\n"
       "      --label L           only runs with this label\n"
       "      --checklist ID      only runs of this checklist\n"
       "      --last N            only the newest N runs\n"
       "      --since DATE        only runs started since DATE (2026-11-20, an ISO 8601\n"
       "                          time, or a duration ago such as 7d or 12h)\n"
       "      --json              print the result as JSON on stdout\n"
       "      --check ID          one check over time: its figure per run\n"
       "                          with a sparkline, pass or fail, and the runs\n"
       "                          where it changed state\n"
       "      --older-than DURATION  prune: remove runs older than this (90d, 12h, 2w)\n"
       "      --history FILE      the history database to read or write\n");

static const char *const VALIDATE_HELP =
    N_("Usage: mystery-shopper validate [--json] [-a FILE] [--vars-file FILE]\n"
       "                                [-D NAME=VALUE]... CHECKLIST...\n"
       "\n"
       "Checks the files and prints every problem as FILE:LINE:COLUMN: PATH: MESSAGE, in\n"
       "file order, all at once. Runs nothing. Exit 0 when all are valid, 2 otherwise.\n"
       "\n"
       "  -a, --answers FILE      also check this answers file (against the\n"
       "                          checklists' checks)\n"
       "  -D, --var NAME=VALUE    set or override a checklist variable (repeatable)\n"
       "      --vars-file FILE    variables from a JSON object of names to\n"
       "                          strings (before -D)\n"
       "      --json              print the result as JSON on stdout, for editors and CI\n"
       "\n"
       "Secrets are not needed: an unset {{env.NAME}} is a warning here\n"
       "(run refuses it).\n");

static const char *const INIT_HELP =
    N_("Usage: mystery-shopper init --url URL... [--id ID] [--title TITLE]\n"
       "                            [--with-hotline] [-o FILE] [--force]\n"
       "       mystery-shopper init --from NAME [-o FILE] [--force]\n"
       "\n"
       "Writes a starter checklist that validates and runs as it is: one timed check\n"
       "a URL, templated on {{base}}, with budgets from web.dev's guidance (time to\n"
       "first byte 800 ms, the whole page in 1 s), and a section of hotline checks\n"
       "with --with-hotline.\n"
       "\n"
       "      --url URL           a page to time (repeatable; the first one\n"
       "                          sets {{base}})\n"
       "      --id ID             the checklist's id (default: from the\n"
       "                          first URL's host)\n"
       "      --title TITLE       its title\n"
       "      --with-hotline      add the hotline walk: wait, friendliness,\n"
       "                          first-call resolution\n"
       "  -o, --output FILE       write to FILE (default: stdout); never over a file\n"
       "                          without --force\n"
       "      --force             overwrite FILE\n"
       "      --from NAME         instead, copy the checklist file NAME or, when there\n"
       "                          is none, the bundled checklist NAME (website, api,\n"
       "                          hotline, vi/hotline, seven-sins, three-factors,\n"
       "                          internal-customers) from the data directory\n"
       "                          (MS_DATA_DIR, else where the tool is installed)\n");

static const char *const REPORT_HELP =
    N_("Usage: mystery-shopper report REF [--html FILE] [--markdown FILE] [--junit FILE]\n"
       "                           [--metrics FILE] [--json FILE] [--history FILE]\n"
       "\n"
       "Renders the reports of the run REF again, byte for byte as the run wrote them:\n"
       "REF is a JSON report file, or @last, @last-pass, @ID or @label:NAME of the\n"
       "history. Each file is written atomically (- for stdout); without one, the text\n"
       "report goes to stdout. The HTML report's trends and the text report's \"failing\n"
       "since\" come from the runs the history held before REF (a report file is looked\n"
       "up in the history by its content).\n"
       "\n"
       "      --html FILE         one self-contained HTML page\n"
       "      --markdown FILE     GitHub-flavoured Markdown\n"
       "      --junit FILE        JUnit XML\n"
       "      --metrics FILE      Prometheus metrics (node_exporter's textfile format)\n"
       "      --json FILE         the JSON report\n"
       "      --history FILE      the history database (default: MS_HISTORY, else\n"
       "                          $XDG_STATE_HOME/mystery-shopper/history.db)\n"
       "  -v, --verbose           the text report with each http check's waterfall\n"
       "      --color WHEN        the text report in colour: auto, always or never\n"
       "\n"
       "Exit codes: 0 written, 2 REF cannot be read or a bad option, 3 a file could\n"
       "not be written (the others are).\n");

static const char *const LIST_HELP =
    N_("Usage: mystery-shopper list [--vars-file FILE] [-D NAME=VALUE]... CHECKLIST...\n"
       "\n"
       "Prints the checks, one a line: id, kind, factor, audience, weight, critical,\n"
       "title; under an http check its method and URL (secrets as ***), and under a\n"
       "check with budgets the budgets. Fits 80 columns (a long title gets a line of its\n"
       "own). An unset {{env.NAME}} is a warning here (run refuses it).\n");

/* The width of the text report: the terminal's when stdout is one, else COLUMNS when it is set
 * to a number, else 80 (the report keeps it within 40 to 1000). */
int ms_cli_text_width(void)
{
    return ms_cli_width_of(STDOUT_FILENO);
}

int ms_cli_width_of(int fd)
{
    struct winsize ws;
    long cols = 0;
    const char *env = getenv("COLUMNS");
    if (fd >= 0 && isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    if (env && ms_parse_long(env, 1, 100000, &cols) == MS_OK)
        return (int)cols;
    return 80;
}

ms_status ms_cli_help(const char *topic, FILE *out)
{
    if (!topic)
        fputs(_(USAGE), out);
    else if (strcmp(topic, "run") == 0) {
        fputs(_(RUN_HELP), out);
        fputs(_(RUN_HELP_MORE), out);
    } else if (strcmp(topic, "validate") == 0)
        fputs(_(VALIDATE_HELP), out);
    else if (strcmp(topic, "list") == 0)
        fputs(_(LIST_HELP), out);
    else if (strcmp(topic, "init") == 0)
        fputs(_(INIT_HELP), out);
    else if (strcmp(topic, "history") == 0)
        fputs(_(HISTORY_HELP), out);
    else if (strcmp(topic, "compare") == 0)
        fputs(_(COMPARE_HELP), out);
    else if (strcmp(topic, "report") == 0)
        fputs(_(REPORT_HELP), out);
    else if (strcmp(topic, "help") == 0)
        fputs(_(USAGE), out);
    else {
        ms_errorf(_("no help for \"%s\": the commands are run, validate, list, init, history, "
                    "compare, report and help"),
                  topic);
        return MS_ERR_USAGE;
    }
    return MS_OK;
}

void ms_options_init(ms_options *o)
{
    memset(o, 0, sizeof *o);
    o->parallel = 4;
    o->per_host = 2;
    o->fail_under = -1;
    o->limits.max_slowdown = MS_COMPARE_MAX_SLOWDOWN;
    o->limits.min_slowdown_us = MS_COMPARE_MIN_SLOWDOWN_US;
}

void ms_options_cleanup(ms_options *o)
{
    for (size_t i = 0; i < o->nvars; i++)
        free(o->var_storage[i]);
    free(o->var_storage);
    free(o->vars);
    free(o->only);
    free(o->files);
    free(o->urls);
    free(o->net.resolve);
    free(o->net.connect_to);
    memset(o, 0, sizeof *o);
}

enum {
    OPT_AUDITOR = 256,
    OPT_LABEL,
    OPT_NO_INPUT,
    OPT_PER_HOST,
    OPT_TIMEOUT,
    OPT_ONLY,
    OPT_JSON,
    OPT_JUNIT,
    OPT_COLOR,
    OPT_FAIL_ON,
    OPT_FAIL_UNDER,
    OPT_REQUIRE_COMPLETE,
    OPT_CACERT,
    OPT_INSECURE,
    OPT_VERSION,
    OPT_HELP,
    OPT_JSON_FLAG,
    OPT_URL,
    OPT_ID,
    OPT_TITLE,
    OPT_WITH_HOTLINE,
    OPT_FORCE,
    OPT_FROM,
    OPT_PROXY,
    OPT_NOPROXY,
    OPT_CERT,
    OPT_KEY,
    OPT_HTTP1_1,
    OPT_HTTP2,
    OPT_HTTP3,
    OPT_RESOLVE,
    OPT_CONNECT_TO,
    OPT_VARS_FILE,
    OPT_HISTORY,
    OPT_NO_HISTORY,
    OPT_CHECK,
    OPT_CHECKLIST,
    OPT_LAST,
    OPT_SINCE,
    OPT_OLDER_THAN,
    OPT_NOTIFY,
    OPT_NOTIFY_ON,
    OPT_BASELINE,
    OPT_MAX_SLOWDOWN,
    OPT_MIN_SLOWDOWN,
    OPT_HTML,
    OPT_MARKDOWN,
    OPT_METRICS,
    OPT_PUSH
};

static const struct option LONG_OPTS[] = {
    {"answers", required_argument, NULL, 'a'},
    {"auditor", required_argument, NULL, OPT_AUDITOR},
    {"label", required_argument, NULL, OPT_LABEL},
    {"no-input", no_argument, NULL, OPT_NO_INPUT},
    {"var", required_argument, NULL, 'D'},
    {"samples", required_argument, NULL, 'n'},
    {"parallel", required_argument, NULL, 'j'},
    {"per-host", required_argument, NULL, OPT_PER_HOST},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"only", required_argument, NULL, OPT_ONLY},
    {"json", required_argument, NULL, OPT_JSON},
    {"junit", required_argument, NULL, OPT_JUNIT},
    {"html", required_argument, NULL, OPT_HTML},
    {"markdown", required_argument, NULL, OPT_MARKDOWN},
    {"metrics", required_argument, NULL, OPT_METRICS},
    {"push", required_argument, NULL, OPT_PUSH},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"color", required_argument, NULL, OPT_COLOR},
    {"colour", required_argument, NULL, OPT_COLOR},
    {"fail-on", required_argument, NULL, OPT_FAIL_ON},
    {"fail-under", required_argument, NULL, OPT_FAIL_UNDER},
    {"require-complete", no_argument, NULL, OPT_REQUIRE_COMPLETE},
    {"cacert", required_argument, NULL, OPT_CACERT},
    {"insecure", no_argument, NULL, OPT_INSECURE},
    {"proxy", required_argument, NULL, OPT_PROXY},
    {"noproxy", required_argument, NULL, OPT_NOPROXY},
    {"cert", required_argument, NULL, OPT_CERT},
    {"key", required_argument, NULL, OPT_KEY},
    {"http1.1", no_argument, NULL, OPT_HTTP1_1},
    {"http2", no_argument, NULL, OPT_HTTP2},
    {"http3", no_argument, NULL, OPT_HTTP3},
    {"resolve", required_argument, NULL, OPT_RESOLVE},
    {"connect-to", required_argument, NULL, OPT_CONNECT_TO},
    {"history", required_argument, NULL, OPT_HISTORY},
    {"no-history", no_argument, NULL, OPT_NO_HISTORY},
    {"notify", required_argument, NULL, OPT_NOTIFY},
    {"notify-on", required_argument, NULL, OPT_NOTIFY_ON},
    {"version", no_argument, NULL, OPT_VERSION},
    {"help", no_argument, NULL, OPT_HELP},
    {"vars-file", required_argument, NULL, OPT_VARS_FILE},
    {"baseline", required_argument, NULL, OPT_BASELINE},
    {"max-slowdown", required_argument, NULL, OPT_MAX_SLOWDOWN},
    {"min-slowdown", required_argument, NULL, OPT_MIN_SLOWDOWN},
    {NULL, 0, NULL, 0}};

static const struct option COMPARE_OPTS[] = {
    {"json", no_argument, NULL, OPT_JSON_FLAG},
    {"max-slowdown", required_argument, NULL, OPT_MAX_SLOWDOWN},
    {"min-slowdown", required_argument, NULL, OPT_MIN_SLOWDOWN},
    {"history", required_argument, NULL, OPT_HISTORY},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0}};

static const struct option REPORT_OPTS[] = {{"html", required_argument, NULL, OPT_HTML},
                                            {"markdown", required_argument, NULL, OPT_MARKDOWN},
                                            {"junit", required_argument, NULL, OPT_JUNIT},
                                            {"metrics", required_argument, NULL, OPT_METRICS},
                                            {"json", required_argument, NULL, OPT_JSON},
                                            {"history", required_argument, NULL, OPT_HISTORY},
                                            {"verbose", no_argument, NULL, 'v'},
                                            {"color", required_argument, NULL, OPT_COLOR},
                                            {"colour", required_argument, NULL, OPT_COLOR},
                                            {"help", no_argument, NULL, OPT_HELP},
                                            {NULL, 0, NULL, 0}};

static const struct option VALIDATE_OPTS[] = {{"answers", required_argument, NULL, 'a'},
                                              {"var", required_argument, NULL, 'D'},
                                              {"json", no_argument, NULL, OPT_JSON_FLAG},
                                              {"help", no_argument, NULL, OPT_HELP},
                                              {"vars-file", required_argument, NULL, OPT_VARS_FILE},
                                              {NULL, 0, NULL, 0}};

static const struct option LIST_OPTS[] = {{"var", required_argument, NULL, 'D'},
                                          {"help", no_argument, NULL, OPT_HELP},
                                          {"vars-file", required_argument, NULL, OPT_VARS_FILE},
                                          {NULL, 0, NULL, 0}};

static const struct option INIT_OPTS[] = {{"url", required_argument, NULL, OPT_URL},
                                          {"id", required_argument, NULL, OPT_ID},
                                          {"title", required_argument, NULL, OPT_TITLE},
                                          {"with-hotline", no_argument, NULL, OPT_WITH_HOTLINE},
                                          {"output", required_argument, NULL, 'o'},
                                          {"force", no_argument, NULL, OPT_FORCE},
                                          {"from", required_argument, NULL, OPT_FROM},
                                          {"help", no_argument, NULL, OPT_HELP},
                                          {NULL, 0, NULL, 0}};

static const struct option HISTORY_OPTS[] = {
    {"history", required_argument, NULL, OPT_HISTORY},
    {"label", required_argument, NULL, OPT_LABEL},
    {"checklist", required_argument, NULL, OPT_CHECKLIST},
    {"last", required_argument, NULL, OPT_LAST},
    {"since", required_argument, NULL, OPT_SINCE},
    {"json", no_argument, NULL, OPT_JSON_FLAG},
    {"check", required_argument, NULL, OPT_CHECK},
    {"older-than", required_argument, NULL, OPT_OLDER_THAN},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0}};

static ms_status add_ptr(const char ***v, size_t *n, const char *s)
{
    const char **p = realloc(*v, (*n + 1) * sizeof *p);
    if (!p)
        return MS_ERR_NOMEM;
    p[(*n)++] = s;
    *v = p;
    return MS_OK;
}

static ms_status add_var(ms_options *o, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg) {
        ms_errorf(_("--var takes NAME=VALUE, not \"%s\""), arg);
        return MS_ERR_USAGE;
    }
    if (strncmp(arg, "env.", 4) == 0) { /* {{env.NAME}} reads the environment, not a --var */
        int n = (int)(eq - arg - 4);
        ms_errorf(_("--var %.*s: {{env.%.*s}} comes from the environment, not from --var: run with "
                    "%.*s=VALUE in the environment"),
                  (int)(eq - arg), arg, n, arg + 4, n, arg + 4);
        return MS_ERR_USAGE;
    }
    char *copy = strdup(arg);
    ms_var *v = realloc(o->vars, (o->nvars + 1) * sizeof *v);
    char **st = v ? realloc(o->var_storage, (o->nvars + 1) * sizeof *st) : NULL;
    if (v)
        o->vars = v;
    if (st)
        o->var_storage = st;
    if (!copy || !v || !st) {
        free(copy);
        return MS_ERR_NOMEM;
    }
    copy[eq - arg] = '\0';
    o->var_storage[o->nvars] = copy;
    o->vars[o->nvars++] = (ms_var){copy, copy + (eq - arg) + 1};
    return MS_OK;
}

/* want: what the value must be, translated ("a whole number from 1 to 1000"). */
static ms_status bad_value(const char *opt, const char *arg, const char *want)
{
    /* TRANSLATORS: an option, the value given, then what the value must be (such as "a whole
     * number from 1 to 1000") */
    ms_errorf(_("%s: \"%s\" is not %s"), opt, arg, want);
    return MS_ERR_USAGE;
}

/* The network options (ms/netopts.h): each value's syntax is checked here, so that a bad one
 * is a usage error before anything is sent. A proxy URL is never quoted back: it may hold a
 * password. The last of --http1.1, --http2 and --http3 wins, as with curl. */
static ms_status parse_net_option(ms_net_opts *n, int c, const char *arg)
{
    const char *why = NULL;
    switch (c) {
    case OPT_PROXY:
        if (*arg && !ms_proxy_valid(arg, &why)) {
            ms_errorf(_("--proxy: libcurl cannot read the value as a proxy URL: %s"), why);
            return MS_ERR_USAGE;
        }
        n->proxy = arg;
        return MS_OK;
    case OPT_NOPROXY:
        n->noproxy = arg;
        return MS_OK;
    case OPT_CERT:
        n->cert = arg;
        return MS_OK;
    case OPT_KEY:
        n->key = arg;
        return MS_OK;
    case OPT_HTTP1_1:
        n->http_version = MS_HTTP_1_1;
        return MS_OK;
    case OPT_HTTP2:
        n->http_version = MS_HTTP_2;
        return MS_OK;
    case OPT_HTTP3:
        if (!ms_curl_has_http3()) {
            ms_errorf(_("--http3: the libcurl this tool runs on (%s) cannot speak HTTP/3"),
                      ms_curl_version());
            return MS_ERR_USAGE;
        }
        n->http_version = MS_HTTP_3;
        return MS_OK;
    case OPT_RESOLVE:
        if (ms_resolve_check(arg, &why) != MS_OK) {
            ms_errorf("--resolve \"%s\": %s", arg, why);
            return MS_ERR_USAGE;
        }
        return add_ptr(&n->resolve, &n->nresolve, arg);
    default: /* OPT_CONNECT_TO */
        if (ms_connect_to_check(arg, &why) != MS_OK) {
            ms_errorf("--connect-to \"%s\": %s", arg, why);
            return MS_ERR_USAGE;
        }
        return add_ptr(&n->connect_to, &n->nconnect_to, arg);
    }
}

/* --max-slowdown: a percentage with its sign ("20%", "12.5%"), from 0% to 1000%, as a
 * fraction of the base median. A bare number is refused: "0.2" and "20" would each be read
 * one way by some and the other way by others. */
static ms_status parse_max_slowdown(const char *arg, double *out)
{
    ms_status rc = MS_OK;
    size_t n = strlen(arg);
    char num[64];
    double d = 0;
    if (n < 2 || n >= sizeof num || arg[n - 1] != '%') {
        rc = bad_value("--max-slowdown", arg, _("a percentage such as 20% (the % is required)"));
        goto out;
    }
    memcpy(num, arg, n - 1);
    num[n - 1] = '\0';
    if (ms_parse_double(num, 0, 1000, &d) != MS_OK) {
        rc = bad_value("--max-slowdown", arg, _("a percentage from 0% to 1000% such as 20%"));
        goto out;
    }
    *out = d / 100.0;
out:
    return rc;
}

static ms_status parse_option(ms_options *o, int c, const char *arg)
{
    long l;
    double d;
    switch (c) {
    case 'a':
        o->answers = arg;
        return MS_OK;
    case OPT_AUDITOR:
        o->auditor = arg;
        return MS_OK;
    case OPT_LABEL:
        o->label = arg;
        return MS_OK;
    case OPT_NO_INPUT:
        o->no_input = true;
        return MS_OK;
    case 'D':
        return add_var(o, arg);
    case 'n':
        if (ms_parse_long(arg, 1, 1000, &l) != MS_OK)
            return bad_value("--samples", arg, _("a whole number from 1 to 1000"));
        o->samples = (int)l;
        return MS_OK;
    case 'j':
        if (ms_parse_long(arg, 1, 1000, &o->parallel) != MS_OK)
            return bad_value("--parallel", arg, _("a whole number from 1 to 1000"));
        return MS_OK;
    case OPT_PER_HOST:
        if (ms_parse_long(arg, 1, 1000, &o->per_host) != MS_OK)
            return bad_value("--per-host", arg, _("a whole number from 1 to 1000"));
        return MS_OK;
    case OPT_TIMEOUT:
        /* A bare number is seconds, as curl's -m. */
        if (ms_parse_duration_unit(arg, 1000000, &o->timeout_us) != MS_OK || o->timeout_us < 1000 ||
            o->timeout_us > (int64_t)3600 * 1000000)
            return bad_value("--timeout", arg,
                             _("a duration from 1ms to 1h such as 500ms, 10s or 10 (seconds)"));
        return MS_OK;
    case OPT_ONLY:
        return add_ptr(&o->only, &o->nonly, arg);
    case OPT_JSON:
        o->json = arg;
        return MS_OK;
    case OPT_JUNIT:
        o->junit = arg;
        return MS_OK;
    case OPT_HTML:
        o->html = arg;
        return MS_OK;
    case OPT_MARKDOWN:
        o->markdown = arg;
        return MS_OK;
    case OPT_METRICS:
        o->metrics = arg;
        return MS_OK;
    case OPT_PUSH: {
        const char *why = NULL;
        if (!ms_push_url_valid(arg, &why)) { /* never the URL: it may hold a password */
            ms_errorf("--push: %s", why);
            return MS_ERR_USAGE;
        }
        o->push = arg;
        return MS_OK;
    }
    case 'q':
        o->quiet = true;
        return MS_OK;
    case 'v':
        o->verbose = true;
        return MS_OK;
    case OPT_COLOR:
        if (strcmp(arg, "auto") == 0)
            o->color = MS_COLOR_AUTO;
        else if (strcmp(arg, "always") == 0)
            o->color = MS_COLOR_ALWAYS;
        else if (strcmp(arg, "never") == 0)
            o->color = MS_COLOR_NEVER;
        else
            return bad_value("--color", arg, _("auto, always or never"));
        return MS_OK;
    case OPT_FAIL_ON:
        if (strcmp(arg, "any") == 0)
            o->fail_on = MS_FAIL_ON_ANY;
        else if (strcmp(arg, "critical") == 0)
            o->fail_on = MS_FAIL_ON_CRITICAL;
        else if (strcmp(arg, "none") == 0)
            o->fail_on = MS_FAIL_ON_NONE;
        else
            return bad_value("--fail-on", arg, _("any, critical or none"));
        return MS_OK;
    case OPT_FAIL_UNDER:
        if (ms_parse_double(arg, 0, 100, &d) != MS_OK)
            return bad_value("--fail-under", arg, _("a score from 0 to 100"));
        o->fail_under = d;
        return MS_OK;
    case OPT_REQUIRE_COMPLETE:
        o->require_complete = true;
        return MS_OK;
    case OPT_CACERT:
        o->cacert = arg;
        return MS_OK;
    case OPT_INSECURE:
        o->insecure = true;
        return MS_OK;
    case OPT_PROXY:
    case OPT_NOPROXY:
    case OPT_CERT:
    case OPT_KEY:
    case OPT_HTTP1_1:
    case OPT_HTTP2:
    case OPT_HTTP3:
    case OPT_RESOLVE:
    case OPT_CONNECT_TO:
        return parse_net_option(&o->net, c, arg);
    case OPT_JSON_FLAG:
        o->validate_json = true;
        return MS_OK;
    case OPT_URL:
        return add_ptr(&o->urls, &o->nurls, arg);
    case OPT_ID:
        o->init_id = arg;
        return MS_OK;
    case OPT_TITLE:
        o->init_title = arg;
        return MS_OK;
    case OPT_WITH_HOTLINE:
        o->with_hotline = true;
        return MS_OK;
    case 'o':
        o->output = arg;
        return MS_OK;
    case OPT_FORCE:
        o->force = true;
        return MS_OK;
    case OPT_FROM:
        o->init_from = arg;
        return MS_OK;
    case OPT_VARS_FILE:
        o->vars_file = arg;
        return MS_OK;
    case OPT_HISTORY:
        o->history = arg;
        return MS_OK;
    case OPT_NO_HISTORY:
        o->no_history = true;
        return MS_OK;
    case OPT_NOTIFY: {
        const char *why = NULL;
        if (!ms_notify_url_valid(arg, &why)) { /* never the URL: it holds a token */
            ms_errorf("--notify: %s", why);
            return MS_ERR_USAGE;
        }
        o->notify = arg;
        return MS_OK;
    }
    case OPT_NOTIFY_ON:
        o->notify_on_given = true;
        if (strcmp(arg, "change") == 0)
            o->notify_on = MS_NOTIFY_CHANGE;
        else if (strcmp(arg, "fail") == 0)
            o->notify_on = MS_NOTIFY_FAIL;
        else if (strcmp(arg, "always") == 0)
            o->notify_on = MS_NOTIFY_ALWAYS;
        else
            return bad_value("--notify-on", arg, _("change, fail or always"));
        return MS_OK;
    case OPT_CHECK:
        o->history_check = arg;
        return MS_OK;
    case OPT_CHECKLIST:
        o->history_checklist = arg;
        return MS_OK;
    case OPT_LAST:
        if (ms_parse_long(arg, 1, 1000000, &o->history_last) != MS_OK)
            return bad_value("--last", arg, _("a whole number from 1 to 1000000"));
        return MS_OK;
    case OPT_SINCE:
        o->history_since = arg;
        return MS_OK;
    case OPT_OLDER_THAN:
        o->older_than = arg;
        return MS_OK;
    case OPT_BASELINE:
        o->baseline = arg;
        return MS_OK;
    case OPT_MAX_SLOWDOWN:
        return parse_max_slowdown(arg, &o->limits.max_slowdown);
    case OPT_MIN_SLOWDOWN:
        if (ms_parse_duration(arg, &o->limits.min_slowdown_us) != MS_OK ||
            o->limits.min_slowdown_us > (int64_t)3600 * 1000000)
            return bad_value("--min-slowdown", arg,
                             _("a duration from 0 to 1h such as 10ms, 0.5s or 10 (milliseconds)"));
        return MS_OK;
    default:
        return MS_ERR_USAGE;
    }
}

/* *clash is true when the output out (given as opt) is the file at path, an input (what).
 * Prints the refusal. */
static ms_status output_is_input(const char *opt, const char *out, const char *what,
                                 const char *path, bool *clash)
{
    ms_status rc = MS_OK;
    *clash = false;
    if (strcmp(path, "-") == 0)
        return MS_OK;
    if ((rc = ms_same_file(out, path, clash)) != MS_OK)
        return rc;
    if (*clash)
        /* TRANSLATORS: an option and its file, then what the file is (such as "checklist" or
         * "answers file") and its path */
        ms_errorf(_("%s %s is the %s %s; refusing to write over it"), opt, out, _(what), path);
    return MS_OK;
}

/* The files options name for reading (--cacert, --cert, --key): one that cannot be read is a usage
 * error, said before anything is sent, not a failed HTTPS check each. */
static ms_status check_inputs(const ms_options *o)
{
    if (o->net.key && !o->net.cert) {
        ms_errorf(_("--key %s: a key needs its certificate: give --cert FILE too"), o->net.key);
        return MS_ERR_USAGE;
    }
    const char *opts[] = {"--cacert", "--cert", "--key"};
    const char *ins[] = {o->cacert, o->net.cert, o->net.key};
    for (size_t i = 0; i < sizeof ins / sizeof ins[0]; i++) {
        struct stat st;
        FILE *f = ins[i] ? fopen(ins[i], "r") : NULL;
        int err = f ? 0 : errno;
        if (f && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode))
            err = EISDIR;
        if (f)
            fclose(f);
        if (ins[i] && err) {
            ms_errorf(_("%s %s: cannot read it: %s"), opts[i], ins[i], strerror(err));
            return MS_ERR_USAGE;
        }
    }
    return MS_OK;
}

void ms_report_outputs(const ms_options *o, ms_report_out out[MS_NREPORTS])
{
    const ms_report_out all[MS_NREPORTS] = {{"--json", "json", "JSON", o->json},
                                            {"--junit", "junit", "JUnit", o->junit},
                                            {"--html", "html", "HTML", o->html},
                                            {"--markdown", "markdown", "Markdown", o->markdown},
                                            {"--metrics", "metrics", "metrics", o->metrics}};
    memcpy(out, all, sizeof all);
}

/* At most one report on stdout, and no two reports in one file (both through one device such
 * as /dev/null is fine: nothing is replaced). */
static ms_status check_reports(const ms_options *o)
{
    ms_status rc = MS_OK;
    ms_report_out r[MS_NREPORTS];
    ms_report_outputs(o, r);
    for (size_t i = 0; i < MS_NREPORTS; i++) {
        for (size_t k = i + 1; k < MS_NREPORTS && r[i].path; k++) {
            bool clash = false;
            struct stat st;
            if (!r[k].path)
                continue;
            if (strcmp(r[i].path, "-") == 0 || strcmp(r[k].path, "-") == 0) {
                if (strcmp(r[i].path, r[k].path) == 0) {
                    ms_errorf(_("%s and %s cannot both write to stdout"), r[i].option, r[k].option);
                    return MS_ERR_USAGE;
                }
                continue;
            }
            if ((rc = ms_same_file(r[i].path, r[k].path, &clash)) != MS_OK)
                return rc;
            if (clash && stat(r[i].path, &st) == 0 && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)))
                clash = false;
            if (clash) {
                ms_errorf(_("%s %s and %s %s are the same file"), r[i].option, r[i].path,
                          r[k].option, r[k].path);
                return MS_ERR_USAGE;
            }
        }
    }
    return MS_OK;
}

/* The files a command reads (what each is, in what[]; at most MAX_INPUTS): an output must be
 * none of them. The history's path, and those of SQLite's files beside it (one written over would
 * be taken for the database's log), go into hist[0..NHIST). */
#define NHIST      4
#define MAX_INPUTS (7 + NHIST)
static ms_status inputs(const ms_options *o, const char *what[], const char *paths[], size_t *n,
                        ms_buf hist[NHIST])
{
    ms_status rc = MS_OK;
    bool named = false;
    const char *w[] = {N_("answers file"), N_("vars file"), N_("--cacert file"), N_("--cert file"),
                       N_("--key file"),   N_("baseline"),  N_("report")};
    const char *p[] = {o->answers, o->vars_file, o->cacert,    o->net.cert,
                       o->net.key, o->baseline,  o->report_ref};
    static const char *const suffix[NHIST] = {"", "-wal", "-shm", "-journal"};
    *n = 0;
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) {
        if (p[i] && p[i][0] != '@' && strcmp(p[i], "-") != 0) { /* @: a history reference */
            what[*n] = w[i];
            paths[(*n)++] = p[i];
        }
    }
    if (o->no_history || (rc = ms_history_path(o, &hist[0], &named)) != MS_OK ||
        !*ms_buf_str(&hist[0]))
        return rc;
    for (size_t i = 0; i < NHIST; i++) {
        if (i > 0 && ms_buf_printf(&hist[i], "%s%s", ms_buf_str(&hist[0]), suffix[i]) != MS_OK)
            return MS_ERR_NOMEM;
        what[*n] = i == 0 ? N_("history") : N_("history's SQLite file");
        paths[(*n)++] = ms_buf_str(&hist[i]);
    }
    return MS_OK;
}

/* The report files (and, for run, the answers file) must be files (or FIFOs, devices) and none
 * may be an input (a checklist, the answers, vars, --cacert, --cert or --key file, the baseline or
 * REF's report, the history and its SQLite files), nor two reports one file (check_reports):
 * refused before anything is run or written. */
static ms_status check_outputs(const ms_options *o)
{
    ms_status rc = MS_OK;
    bool clash = false;
    ms_report_out r[MS_NREPORTS];
    const char *what[MAX_INPUTS], *paths[MAX_INPUTS];
    size_t n = 0;
    ms_buf hist[NHIST];
    for (size_t i = 0; i < NHIST; i++)
        ms_buf_init(&hist[i], 0);
    ms_report_outputs(o, r);
    if ((rc = inputs(o, what, paths, &n, hist)) != MS_OK)
        goto out;
    for (size_t i = 0; i < MS_NREPORTS + 1; i++) {
        /* the answers file is written too: by run only, and it is an input of its own */
        const char *opt = i < MS_NREPORTS ? r[i].option : "--answers";
        const char *path = i < MS_NREPORTS ? r[i].path : NULL;
        if (i == MS_NREPORTS && o->command == MS_CMD_RUN)
            path = o->answers;
        if (!path || strcmp(path, "-") == 0)
            continue;
        if ((rc = ms_check_writable(path)) != MS_OK)
            goto out;
        for (size_t k = 0; k < o->nfiles && !clash; k++)
            if ((rc = output_is_input(opt, path, N_("checklist"), o->files[k], &clash)) != MS_OK)
                goto out;
        for (size_t k = 0; k < n && !clash; k++) {
            if (paths[k] == o->answers && i == MS_NREPORTS)
                continue; /* --answers is itself */
            if ((rc = output_is_input(opt, path, what[k], paths[k], &clash)) != MS_OK)
                goto out;
        }
        if (clash) {
            rc = MS_ERR_USAGE;
            goto out;
        }
    }
out:
    for (size_t i = 0; i < NHIST; i++)
        ms_buf_cleanup(&hist[i]);
    return rc;
}

/* Say that the option bad (given to cmd) is unknown, with the nearest of longopts' names when
 * one is close ("did you mean"). */
static ms_status unknown_option(const char *bad, const struct option *longopts, const char *cmd)
{
    const char *names[64] = {NULL};
    char word[64];
    size_t n = 0;
    for (size_t i = 0; longopts[i].name && n + 1 < sizeof names / sizeof names[0]; i++)
        names[n++] = longopts[i].name;
    /* the name alone: without its dashes and a value after '=' */
    snprintf(word, sizeof word, "%s", bad + strspn(bad, "-"));
    word[strcspn(word, "=")] = '\0';
    const char *near = strncmp(bad, "--", 2) == 0 ? ms_did_you_mean(word, names) : NULL;
    if (near)
        ms_errorf(_("unknown option \"%s\" (did you mean \"--%s\"?)"), bad, near);
    else
        ms_errorf(_("unknown option \"%s\"; see mystery-shopper help %s"), bad, cmd);
    return MS_ERR_USAGE;
}

/* history: what each action takes; import's files are the reports. */
static ms_status check_history(ms_options *o, int nargs, char **args)
{
    ms_status rc = MS_OK;
    bool listing = o->history_action == MS_HIST_LIST;
    o->history_json = o->validate_json; /* --json is a flag here, as for validate */
    if (o->history_action != MS_HIST_IMPORT && nargs > 0) {
        if (listing)
            ms_errorf(_("history takes no files (\"%s\"); see mystery-shopper help history"),
                      args[0]);
        else
            ms_errorf(_("history prune takes no files (\"%s\"); see mystery-shopper help history"),
                      args[0]);
        return MS_ERR_USAGE;
    }
    if (o->history_action == MS_HIST_IMPORT && nargs == 0) {
        ms_errorf(_("history import needs at least one JSON report"));
        return MS_ERR_USAGE;
    }
    if (o->history_action == MS_HIST_PRUNE && !o->older_than) {
        ms_errorf(_("history prune needs --older-than, such as --older-than 90d"));
        return MS_ERR_USAGE;
    }
    if (!listing && (o->label || o->history_checklist || o->history_last || o->history_since ||
                     o->history_json || o->history_check)) {
        if (o->history_action == MS_HIST_PRUNE)
            ms_errorf(_("history prune takes only --history and --older-than"));
        else
            ms_errorf(_("history import takes only --history"));
        return MS_ERR_USAGE;
    }
    if (o->history_action != MS_HIST_PRUNE && o->older_than) {
        ms_errorf(_("--older-than is an option of history prune"));
        return MS_ERR_USAGE;
    }
    for (int i = 0; i < nargs; i++)
        if ((rc = add_ptr(&o->files, &o->nfiles, args[i])) != MS_OK)
            return rc;
    return o->history ? ms_check_writable(o->history) : MS_OK;
}

/* report REF: one reference, and files that can be written, none of them REF's file or the
 * history. */
static ms_status check_report(ms_options *o, int nargs, char **args)
{
    ms_status rc = MS_OK;
    if (nargs != 1) {
        ms_errorf(_("report takes one run, REF (a JSON report file, @last, @last-pass, @ID or "
                    "@label:NAME), not %d; see mystery-shopper help report"),
                  nargs);
        return MS_ERR_USAGE;
    }
    o->report_ref = args[0];
    if ((rc = check_reports(o)) != MS_OK)
        return rc;
    return check_outputs(o);
}

ms_status ms_cli_parse(int argc, char **argv, ms_options *o)
{
    ms_status rc = MS_OK;
    if (argc < 2) {
        fputs(_(USAGE), stderr);
        return MS_ERR_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        o->command = MS_CMD_VERSION;
        return MS_OK;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        o->command = MS_CMD_HELP;
        o->help_topic = argc > 2 ? argv[2] : NULL;
        return MS_OK;
    }
    if (strcmp(cmd, "run") == 0)
        o->command = MS_CMD_RUN;
    else if (strcmp(cmd, "validate") == 0)
        o->command = MS_CMD_VALIDATE;
    else if (strcmp(cmd, "list") == 0)
        o->command = MS_CMD_LIST;
    else if (strcmp(cmd, "init") == 0)
        o->command = MS_CMD_INIT;
    else if (strcmp(cmd, "history") == 0)
        o->command = MS_CMD_HISTORY;
    else if (strcmp(cmd, "compare") == 0)
        o->command = MS_CMD_COMPARE;
    else if (strcmp(cmd, "report") == 0)
        o->command = MS_CMD_REPORT;
    else {
        static const char *const cmds[] = {"run",     "validate", "list", "init", "history",
                                           "compare", "report",   "help", NULL};
        static const char *const top[] = {"version", "help", NULL};
        const char *near = ms_did_you_mean(cmd, cmds);
        const char *near_opt =
            strncmp(cmd, "--", 2) == 0 && cmd[2] ? ms_did_you_mean(cmd + 2, top) : NULL;
        if (near_opt)
            ms_errorf(_("unknown option \"%s\" (did you mean \"--%s\"?)"), cmd, near_opt);
        else if (near)
            ms_errorf(_("unknown command \"%s\" (did you mean \"%s\"?)"), cmd, near);
        else
            ms_errorf(_("unknown command \"%s\"; try mystery-shopper --help"), cmd);
        return MS_ERR_USAGE;
    }
    /* Each command has its own options. */
    const char *shortopts = "D:h";
    const struct option *longopts = LIST_OPTS;
    if (o->command == MS_CMD_RUN) {
        shortopts = "a:D:n:j:qvh";
        longopts = LONG_OPTS;
    } else if (o->command == MS_CMD_VALIDATE) {
        shortopts = "a:D:h";
        longopts = VALIDATE_OPTS;
    } else if (o->command == MS_CMD_INIT) {
        shortopts = "o:h";
        longopts = INIT_OPTS;
    } else if (o->command == MS_CMD_HISTORY) {
        shortopts = "h";
        longopts = HISTORY_OPTS;
    } else if (o->command == MS_CMD_COMPARE) {
        shortopts = "h";
        longopts = COMPARE_OPTS;
    } else if (o->command == MS_CMD_REPORT) {
        shortopts = "vh";
        longopts = REPORT_OPTS;
    }
    optind = 2;
    if (o->command == MS_CMD_HISTORY && argc > 2 && strcmp(argv[2], "prune") == 0) {
        o->history_action = MS_HIST_PRUNE;
        optind = 3;
    } else if (o->command == MS_CMD_HISTORY && argc > 2 && strcmp(argv[2], "import") == 0) {
        o->history_action = MS_HIST_IMPORT;
        optind = 3;
    }
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        if (c == OPT_HELP || c == 'h') {
            o->help_topic = cmd;
            o->command = MS_CMD_HELP;
            return MS_OK;
        }
        if (c == '?' || c == ':') {
            const char *bad = argv[optind - 1];
            if (optopt && (c == ':' || strchr(shortopts, optopt)))
                ms_errorf(_("option -%c needs a value"), optopt);
            else if (strncmp(bad, "--", 2) == 0 && strchr(bad, '='))
                return unknown_option(bad, longopts, cmd);
            else if (strncmp(bad, "--", 2) == 0) {
                /* Missing value or unknown long option. */
                bool known = false;
                for (size_t i = 0; longopts[i].name; i++)
                    known = known || strcmp(bad + 2, longopts[i].name) == 0;
                if (!known)
                    return unknown_option(bad, longopts, cmd);
                ms_errorf(_("option %s needs a value"), bad);
            } else
                ms_errorf(_("unknown option \"%s\"; see mystery-shopper help %s"), bad, cmd);
            return MS_ERR_USAGE;
        }
        if ((rc = parse_option(o, c, optarg)) != MS_OK)
            return rc;
    }
    if (o->command == MS_CMD_INIT) {
        if (optind < argc) {
            ms_errorf("%s", _("init takes no files; name the pages with --url, a checklist to copy "
                              "with --from"));
            return MS_ERR_USAGE;
        }
        if (o->init_from && (o->nurls || o->init_id || o->init_title || o->with_hotline)) {
            ms_errorf(_("init --from copies a checklist as it is: it takes no --url, --id, --title "
                        "or --with-hotline (set its variables with -D when it runs)"));
            return MS_ERR_USAGE;
        }
        if (o->nurls == 0 && !o->init_from) {
            ms_errorf(_("init needs at least one --url, or --from NAME"));
            return MS_ERR_USAGE;
        }
        return o->output ? ms_check_writable(o->output) : MS_OK;
    }
    if (o->command == MS_CMD_HISTORY)
        return check_history(o, argc - optind, argv + optind);
    if (o->command == MS_CMD_COMPARE) {
        o->compare_json = o->validate_json; /* --json is a flag here, as for validate */
        if (argc - optind != 2) {
            ms_errorf(
                _("compare takes two runs, BASE and NEW (a JSON report file, @last, "
                  "@last-pass, @ID or @label:NAME), not %d; see mystery-shopper help compare"),
                argc - optind);
            return MS_ERR_USAGE;
        }
        o->compare_base = argv[optind];
        o->compare_new = argv[optind + 1];
        return MS_OK;
    }
    if (o->command == MS_CMD_REPORT)
        return check_report(o, argc - optind, argv + optind);
    for (int i = optind; i < argc; i++)
        if ((rc = add_ptr(&o->files, &o->nfiles, argv[i])) != MS_OK)
            return rc;
    if (o->nfiles == 0) {
        ms_errorf(_("%s needs at least one checklist file"), cmd);
        return MS_ERR_USAGE;
    }
    if ((rc = check_reports(o)) != MS_OK)
        return rc;
    if (o->command == MS_CMD_RUN && (rc = check_inputs(o)) != MS_OK)
        return rc;
    if (o->command == MS_CMD_RUN && o->history && !o->no_history &&
        (rc = ms_check_writable(o->history)) != MS_OK)
        return rc;
    if (o->notify_on_given && !o->notify) {
        ms_errorf(_("--notify-on needs --notify URL"));
        return MS_ERR_USAGE;
    }
    if (o->notify && o->no_history && o->notify_on == MS_NOTIFY_CHANGE) {
        ms_errorf(_("--notify-on change compares with the history, which --no-history turns off: "
                    "use --notify-on fail or always"));
        return MS_ERR_USAGE;
    }
    return o->command == MS_CMD_RUN ? check_outputs(o) : MS_OK;
}
