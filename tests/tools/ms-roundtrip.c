/* ms-roundtrip [--width N] [--verbose] FORMAT FILE: read the JSON report FILE into a run record
 * (ms_run_from_json) and write it again as FORMAT (a writer of ms_report_find: text, json, junit)
 * on stdout; --width and --verbose are the text report's (default 80 columns, not verbose). The CLI
 * tests run it on every JSON report they make: written again as JSON it must give the same bytes.
 * Exit 0, 1 when the report is refused (the reason on stderr), 2 on a usage error, 3 on any other
 * failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms/alloc.h"
#include "ms/fileio.h"
#include "ms/report.h"

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
    const ms_report_writer *w = argc == 3 ? ms_report_find(argv[1]) : NULL;
    if (!w) {
        fprintf(stderr,
                "usage: ms-roundtrip [--width N] [--verbose] json|text|junit REPORT.json\n");
        return 2;
    }
    if ((rc = ms_read_file(argv[2], &text, &len, why, sizeof why)) != MS_OK) {
        fprintf(stderr, "ms-roundtrip: %s: %s\n", argv[2], why[0] ? why : ms_status_text(rc));
        goto out;
    }
    if ((rc = ms_run_from_json(argv[2], text, len, &diag, &run)) != MS_OK)
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
