/* ms-roundtrip [--width N] [--verbose] FORMAT FILE [--judge FAIL_ON FAIL_UNDER REQUIRE_COMPLETE]:
 * read the JSON report FILE into a run record (ms_run_from_json) and write it again as FORMAT (a
 * writer of ms_report_find: text, json, junit) on stdout; --width and --verbose are the text
 * report's (default 80 columns, not verbose). The CLI tests run it on every JSON report they
 * make: written again as JSON it must give the same bytes. Exit 0, 1 when the report is refused
 * (the reason on stderr), 2 on a usage error, 3 on any other failure. With --judge (any|critical|
 * none, a score or -, 0 or 1), the run is judged again with those gate options first
 * (ms_run_judge): tests/golden/runs made their format-3 reports so from the format-2 ones, with
 * each run's options. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms/alloc.h"
#include "ms/fileio.h"
#include "ms/report.h"
#include "ms/score.h"

int main(int argc, char **argv)
{
    ms_status rc = MS_OK;
    char *text = NULL, *out = NULL, why[200] = "";
    ms_diag diag;
    size_t len = 0;
    ms_run *run = NULL;
    ms_report_style style = {.color = false};
    ms_alloc_init();
    ms_diag_init(&diag);
    while (argc > 3 && strncmp(argv[1], "--", 2) == 0) {
        if (strcmp(argv[1], "--width") == 0 && argc > 4) {
            style.width = atoi(argv[2]);
            argv += 2;
            argc -= 2;
        } else if (strcmp(argv[1], "--verbose") == 0) {
            style.verbose = true;
            argv++;
            argc--;
        } else {
            break;
        }
    }
    bool judge = argc == 7 && strcmp(argv[3], "--judge") == 0;
    const ms_report_writer *w = argc == 3 || judge ? ms_report_find(argv[1]) : NULL;
    ms_fail_on fail_on = MS_FAIL_ON_ANY;
    if (judge)
        fail_on = strcmp(argv[4], "critical") == 0 ? MS_FAIL_ON_CRITICAL
                  : strcmp(argv[4], "none") == 0   ? MS_FAIL_ON_NONE
                                                   : MS_FAIL_ON_ANY;
    if (!w) {
        fprintf(stderr, "usage: ms-roundtrip [--width N] [--verbose] json|text|junit REPORT.json "
                        "[--judge FAIL_ON FAIL_UNDER|- 0|1]\n");
        return 2;
    }
    if ((rc = ms_read_file(argv[2], &text, &len, why, sizeof why)) != MS_OK) {
        fprintf(stderr, "ms-roundtrip: %s: %s\n", argv[2], why[0] ? why : ms_status_text(rc));
        goto out;
    }
    if ((rc = ms_run_from_json(argv[2], text, len, &diag, &run)) != MS_OK)
        goto out;
    if (judge && (rc = ms_run_judge(run, fail_on, strcmp(argv[5], "-") ? atof(argv[5]) : -1,
                                    strcmp(argv[6], "1") == 0)) != MS_OK)
        goto out;
    if ((rc = w->write(run, &style, &out)) == MS_OK)
        fputs(out, stdout);
out:
    if (diag.n)
        ms_diag_print(&diag, stderr);
    else if (rc != MS_OK && !why[0])
        fprintf(stderr, "ms-roundtrip: %s: %s\n", argv[2], ms_status_text(rc));
    free(text);
    ms_diag_cleanup(&diag);
    free(out);
    ms_run_free(run);
    if (fflush(stdout) != 0)
        rc = MS_ERR_IO;
    return rc == MS_OK ? 0 : rc == MS_ERR_INVALID ? 1 : 3;
}
