/* Reading whole files and writing files atomically. */
#ifndef MS_FILEIO_H
#define MS_FILEIO_H

#include <stddef.h>

#include "ms/status.h"

/* Read the whole file at path ("-" is stdin) into *out (NUL-terminated, caller frees).
 * On failure returns MS_ERR_IO (with a reason such as "cannot open: No such file or directory"
 * in why) or MS_ERR_NOMEM. Prints nothing. */
ms_status ms_read_file(const char *path, char **out, size_t *len, char *why, size_t whylen);

/* Write len bytes to path atomically: a temporary file beside it, fsync, then rename, so a
 * reader sees the old file or the new one, never half of one. "-" writes to stdout.
 * Prints a message naming the file on failure and returns MS_ERR_IO. */
ms_status ms_write_file_atomic(const char *path, const char *data, size_t len);

#endif
