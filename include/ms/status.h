/* Status codes shared by every module, and the messages printed for them. */
#ifndef MS_STATUS_H
#define MS_STATUS_H

typedef enum {
    MS_OK = 0,
    MS_ERR_USAGE,       /* bad command line */
    MS_ERR_INVALID,     /* a checklist or answers file is invalid */
    MS_ERR_IO,          /* a file could not be read or written */
    MS_ERR_NOMEM,       /* out of memory */
    MS_ERR_NET,         /* libcurl could not be set up */
    MS_ERR_INTERRUPTED, /* SIGINT or SIGTERM arrived */
    MS_ERR_INCOMPLETE,  /* --require-complete and manual checks unanswered */
    MS_ERR_GATE         /* the audit ran and failed its gate */
} ms_status;

/* A sentence for a status; never NULL, never to be freed. */
const char *ms_status_text(ms_status st);

/* The documented exit code for a status (0, 1, 2, 3, 4 or 130). */
int ms_status_exit_code(ms_status st);

/* Print "mystery-shopper: error: ..." / "warning: ..." to stderr. */
void ms_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ms_warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
