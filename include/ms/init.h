/* mystery-shopper init: a starter checklist for a site. */
#ifndef MS_INIT_H
#define MS_INIT_H

#include "ms/cli.h"
#include "ms/status.h"

/* Write a starter checklist for opts->urls to opts->output (stdout when NULL), or with
 * opts->init_from, a copy of that checklist file or, when there is no such file, of the bundled
 * checklist of that name (ms_data_dir()/checklists/NAME.json). Refuses to
 * replace an existing file unless opts->force. MS_ERR_USAGE for a bad URL or an existing file,
 * MS_ERR_IO when it cannot be written. */
ms_status ms_cmd_init(const ms_options *opts);

/* The directory of the tool's data (checklists/ with the bundled checklists and the schemas),
 * in *out (caller frees): $MS_DATA_DIR when set and not empty; else, when it has a checklists/
 * folder, BINDIR/../share/mystery-shopper beside the running executable (an installed tree,
 * wherever its prefix was moved to), or EXEDIR/share/mystery-shopper (the build tree, which
 * CMake links to the sources' checklists/); else the compile-time MS_DATADIR
 * (CMAKE_INSTALL_FULL_DATADIR/mystery-shopper). MS_ERR_NOMEM when out of memory. */
ms_status ms_data_dir(char **out);

/* An id made from text: lower case letters and digits, other runs turned into one '-'; at
 * most 40 characters; dflt when nothing is left. Writes into out. Exposed for the tests. */
void ms_slug(const char *text, const char *dflt, char *out, size_t outlen);

#endif
