/* The html report (see ms/report.h). Not written yet: issue 10 builds it. */
#include <stdlib.h>
#include <string.h>

#include "ms/report.h"

ms_status ms_report_html(const ms_run *run, const ms_report_style *style, char **out)
{
    (void)run;
    (void)style;
    *out = strdup("");
    return *out ? MS_OK : MS_ERR_NOMEM;
}
