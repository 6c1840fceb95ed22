#include "ms/status.h"

#include <stdarg.h>
#include <stdio.h>

#include "ms/buf.h"

const char *ms_status_text(ms_status st)
{
    switch (st) {
    case MS_OK:
        return "ok";
    case MS_ERR_USAGE:
        return "usage error";
    case MS_ERR_INVALID:
        return "invalid input: nothing was run";
    case MS_ERR_IO:
        return "input/output error";
    case MS_ERR_NOMEM:
        return "out of memory";
    case MS_ERR_NET:
        return "the network library could not be set up";
    case MS_ERR_INTERRUPTED:
        return "interrupted";
    case MS_ERR_INCOMPLETE:
        return "manual checks were left unanswered";
    case MS_ERR_GATE:
        return "the audit failed its gate";
    }
    return "unknown status";
}

int ms_status_exit_code(ms_status st)
{
    switch (st) {
    case MS_OK:
        return 0;
    case MS_ERR_GATE:
        return 1;
    case MS_ERR_USAGE:
    case MS_ERR_INVALID:
        return 2;
    case MS_ERR_INCOMPLETE:
        return 4;
    case MS_ERR_INTERRUPTED:
        return 130;
    case MS_ERR_IO:
    case MS_ERR_NOMEM:
    case MS_ERR_NET:
        return 3;
    }
    return 3;
}

/* Messages quote users' text (ids, paths, values): cleaned, so that no escape sequence or
 * line break in them reaches the terminal. */
static void vreport(const char *what, const char *fmt, va_list ap)
{
    fprintf(stderr, "mystery-shopper: %s: ", what);
    ms_vfprintf_line(stderr, fmt, ap);
}

void ms_errorf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("error", fmt, ap);
    va_end(ap);
}

void ms_warnf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("warning", fmt, ap);
    va_end(ap);
}
