/* Fuzz the JSON report reader (ms_run_from_json), which will read reports from anywhere (history
 * imports, a baseline given on the command line). Whatever it accepts must render in every
 * format; written again it must hold what it was given (format 2), and be a fixed point: read
 * back and written once more, the same bytes. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fuzz.h"
#include "ms/alloc.h"
#include "ms/report.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ms_alloc_init(); /* as main does: the report's tree in an arena */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_strndup(data, size), *once = NULL, *twice = NULL;
    ms_run *run = NULL, *again = NULL;
    ms_report_style style = {.color = true};
    ms_diag diag, diag2;
    ms_diag_init(&diag);
    ms_diag_init(&diag2);
    ms_status rc = ms_run_from_json("fuzz.json", text, size, &diag, &run);
    FUZZ_ASSERT(rc == MS_OK || rc == MS_ERR_INVALID || rc == MS_ERR_NOMEM);
    FUZZ_ASSERT((rc == MS_OK) == (run != NULL));
    FUZZ_ASSERT((rc == MS_ERR_INVALID) == (diag.n > 0));
    if (rc != MS_OK)
        goto out;
    static const char *const formats[] = {"text", "junit"};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        char *out = NULL;
        rc = ms_report_find(formats[i])->write(run, &style, &out);
        FUZZ_ASSERT(rc == MS_OK || rc == MS_ERR_NOMEM);
        free(out);
    }
    if (ms_report_json(run, &once) != MS_OK)
        goto out;
    rc = ms_run_from_json("once.json", once, strlen(once), &diag2, &again);
    if (rc == MS_ERR_INVALID) /* the reader refused what the writer wrote */
        fuzz_fail(__FILE__, __LINE__, diag2.items[0].message);
    FUZZ_ASSERT(rc == MS_OK || rc == MS_ERR_NOMEM);
    if (rc == MS_OK && ms_report_json(again, &twice) == MS_OK)
        FUZZ_ASSERT(strcmp(once, twice) == 0);
    /* A report of the format the tool writes is written back with the same content (an older
     * one gains the fields later formats added): nothing accepted is changed or dropped. */
    cJSON *in = cJSON_ParseWithLength(text, size), *out = cJSON_Parse(once);
    const cJSON *format = cJSON_GetObjectItemCaseSensitive(in, "format");
    if (in && out && cJSON_IsNumber(format) && format->valuedouble == MS_REPORT_FORMAT)
        FUZZ_ASSERT(cJSON_Compare(in, out, true));
    cJSON_Delete(in);
    cJSON_Delete(out);
out:
    ms_run_free(run);
    ms_run_free(again);
    free(text);
    ms_diag_cleanup(&diag);
    ms_diag_cleanup(&diag2);
    free(once);
    free(twice);
    return 0;
}
