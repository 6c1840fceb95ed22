#include "ms/status.h"

#include <stdarg.h>
#include <stdio.h>

#include "ms/buf.h"
#include "ms/i18n.h"

const char *ms_status_text(ms_status st)
{
    switch (st) {
    case MS_OK:
        return _("ok");
    case MS_ERR_USAGE:
        return _("usage error");
    case MS_ERR_INVALID:
        return _("invalid input: nothing was run");
    case MS_ERR_IO:
        return _("input/output error");
    case MS_ERR_NOMEM:
        return _("out of memory");
    case MS_ERR_NET:
        return _("the network library could not be set up");
    case MS_ERR_INTERRUPTED:
        return _("interrupted");
    case MS_ERR_INCOMPLETE:
        return _("manual checks were left unanswered");
    case MS_ERR_GATE:
        return _("the audit failed its gate");
    }
    return _("unknown status");
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
    /* TRANSLATORS: the word after "mystery-shopper: " that starts an error line */
    vreport(_("error"), fmt, ap);
    va_end(ap);
}

void ms_warnf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    /* TRANSLATORS: the word after "mystery-shopper: " that starts a warning line */
    vreport(_("warning"), fmt, ap);
    va_end(ap);
}
