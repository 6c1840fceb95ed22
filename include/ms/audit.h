/* The commands: run, report, validate and list. */
#ifndef MS_AUDIT_H
#define MS_AUDIT_H

#include "ms/cli.h"
#include "ms/status.h"

/* Run an audit as the options say. Returns MS_OK (passed), MS_ERR_GATE, MS_ERR_INCOMPLETE,
 * MS_ERR_INTERRUPTED, or an error status when nothing could be run or written. */
ms_status ms_cmd_run(const ms_options *opts);

/* report REF: the reports of the run REF rendered again, as the options say (ms/ref.h for REF).
 * MS_OK; MS_ERR_USAGE or MS_ERR_INVALID (REF cannot be loaded: said on stderr); MS_ERR_IO (a file
 * could not be written: said, the others are written); MS_ERR_NOMEM. */
ms_status ms_cmd_report(const ms_options *opts);

/* Validate the checklists; prints every problem. MS_OK or MS_ERR_INVALID. */
ms_status ms_cmd_validate(const ms_options *opts);

/* Print the checks of the checklists, one a line. */
ms_status ms_cmd_list(const ms_options *opts);

#endif
