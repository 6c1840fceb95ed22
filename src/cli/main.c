/* mystery-shopper: parse the command line, dispatch, map the status to the exit code. */
#include <curl/curl.h>
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ms/alloc.h"
#include "ms/audit.h"
#include "ms/cli.h"
#include "ms/history.h"
#include "ms/i18n.h"
#include "ms/init.h"
#include "ms/probe.h"
#include "ms/ref.h"
#include "ms/status.h"

/* run, and init with --url (its URL is read with libcurl's parser). */
static bool needs_curl(int argc, char **argv)
{
    if (argc < 2)
        return false;
    if (strcmp(argv[1], "run") == 0)
        return true;
    if (strcmp(argv[1], "init") != 0)
        return false;
    for (int i = 2; i < argc; i++)
        if (strncmp(argv[i], "--url", 5) == 0)
            return true;
    return false;
}

int main(int argc, char **argv)
{
    ms_options opts;
    ms_status rc;
    const char *why = NULL;

    ms_alloc_init(); /* before anything uses cJSON */
    /* Only character types follow the locale (display widths of UTF-8 titles); numbers are
     * always written the C way. C.UTF-8 when the environment names no UTF-8 locale. */
    if (!setlocale(LC_CTYPE, "") || !strstr(setlocale(LC_CTYPE, NULL), "UTF-8"))
        setlocale(LC_CTYPE, "C.UTF-8");
    ms_i18n_init(); /* the messages in the auditor's language (docs/translating.md) */
    /* A reader that went away (| head) is a write error (exit 3), not a silent death; libcurl
     * with CURLOPT_NOSIGNAL also needs SIGPIPE ignored. */
    signal(SIGPIPE, SIG_IGN);
    ms_options_init(&opts);
    /* libcurl is loaded (src/net/curl_dl.c) by the commands that send something, before their
     * options are read (some are checked with libcurl's URL parser): run, and init --url. */
    if (needs_curl(argc, argv) && !ms_curl_load(&why)) {
        ms_errorf(_("cannot load libcurl: %s"), why);
        ms_options_cleanup(&opts);
        return ms_status_exit_code(MS_ERR_NET);
    }
    rc = ms_cli_parse(argc, argv, &opts);
    if (rc == MS_OK) {
        switch (opts.command) {
        case MS_CMD_VERSION:
            printf("mystery-shopper %s\n", MS_VERSION);
            if (ms_curl_load(&why))
                printf("%s\n", ms_curl_version());
            else /* TRANSLATORS: %s is the reason the dynamic loader gives */
                printf(_("libcurl: cannot be loaded: %s\n"), why);
            break;
        case MS_CMD_HELP:
            rc = ms_cli_help(opts.help_topic, stdout);
            break;
        case MS_CMD_VALIDATE:
            rc = ms_cmd_validate(&opts);
            break;
        case MS_CMD_LIST:
            rc = ms_cmd_list(&opts);
            break;
        case MS_CMD_INIT:
            rc = ms_cmd_init(&opts);
            break;
        case MS_CMD_HISTORY:
            rc = ms_cmd_history(&opts);
            break;
        case MS_CMD_COMPARE:
            rc = ms_cmd_compare(&opts);
            break;
        case MS_CMD_REPORT:
            rc = ms_cmd_report(&opts);
            break;
        case MS_CMD_RUN:
            if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
                ms_errorf("%s", _("libcurl could not be initialised"));
                rc = MS_ERR_NET;
                break;
            }
            rc = ms_cmd_run(&opts);
            curl_global_cleanup();
            break;
        }
    }
    ms_options_cleanup(&opts);
    /* A report on stdout that could not be written completely is a failed run (as jq does),
     * unless it was interrupted: 130 comes first (run has put this in its verdict already). */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (rc != MS_ERR_IO && rc != MS_ERR_INTERRUPTED) /* else said already */
            ms_errorf(_("stdout: write error: %s"), strerror(errno));
        if (rc != MS_ERR_INTERRUPTED)
            rc = MS_ERR_IO;
    }
    if (rc == MS_ERR_NOMEM || rc == MS_ERR_NET)
        ms_errorf("%s", ms_status_text(rc));
    return ms_status_exit_code(rc);
}
