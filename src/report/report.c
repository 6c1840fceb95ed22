/* The table of report writers (see ms/report.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ms/report.h"

static ms_status json_writer(const ms_run *run, const ms_report_style *style, char **out)
{
    (void)style;
    return ms_report_json(run, out);
}

static ms_status json_stream(const ms_run *run, const ms_report_style *style, ms_put_fn emit,
                             void *sink)
{
    (void)style;
    return ms_report_json_write(run, emit, sink);
}

static ms_status junit_writer(const ms_run *run, const ms_report_style *style, char **out)
{
    (void)style;
    return ms_report_junit(run, out);
}

/* The text report into a string (a memory stream). */
static ms_status text_writer(const ms_run *run, const ms_report_style *style, char **out)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    *out = NULL;
    if (!f)
        return MS_ERR_NOMEM;
    ms_status rc = ms_report_text_style(run, f, style);
    if (fclose(f) != 0 && rc == MS_OK)
        rc = MS_ERR_NOMEM; /* a memory stream fails only for want of memory */
    if (rc == MS_OK)
        *out = text;
    else
        free(text);
    return rc;
}

static const ms_report_writer WRITERS[] = {
    {"text", text_writer, NULL},
    {"json", json_writer, json_stream},
    {"junit", junit_writer, NULL},
    {"html", ms_report_html, NULL},
    {"markdown", ms_report_markdown, NULL},
    {"metrics", ms_report_metrics, NULL},
};

const ms_report_writer *ms_report_find(const char *name)
{
    for (size_t i = 0; i < sizeof WRITERS / sizeof WRITERS[0]; i++)
        if (strcmp(WRITERS[i].name, name) == 0)
            return &WRITERS[i];
    return NULL;
}
