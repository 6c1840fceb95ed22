/* mystery-shopper init: a starter checklist for a site. */
#ifndef MS_INIT_H
#define MS_INIT_H

#include "ms/cli.h"
#include "ms/status.h"

/* Write a starter checklist for opts->urls to opts->output (stdout when NULL). Refuses to
 * replace an existing file unless opts->force. MS_ERR_USAGE for a bad URL or an existing file,
 * MS_ERR_IO when it cannot be written. */
ms_status ms_cmd_init(const ms_options *opts);

/* An id made from text: lower case letters and digits, other runs turned into one '-'; at
 * most 40 characters; dflt when nothing is left. Writes into out. Exposed for the tests. */
void ms_slug(const char *text, const char *dflt, char *out, size_t outlen);

#endif
