/* Where each value of a JSON text begins, so that a message about a field can name its line
 * and column. cJSON keeps no positions; this index is built by one scan of a text that cJSON
 * has already accepted. Paths are dot paths with numeric array indexes: "sections.0.id";
 * the root is "". A key repeated in one object is indexed as "path#2", "path#3"... */
#ifndef MS_JSONPOS_H
#define MS_JSONPOS_H

#include <stdbool.h>
#include <stddef.h>

#include "ms/status.h"

typedef struct ms_jsonpos ms_jsonpos;

/* Index a valid JSON text. The caller frees the index with ms_jsonpos_free. */
ms_status ms_jsonpos_build(const char *text, size_t len, ms_jsonpos **out);
void ms_jsonpos_free(ms_jsonpos *idx);

/* Line and column (1-based) of the value at path, or of its key when key is true and the
 * value is an object member. Falls back to the nearest indexed parent; false when none. */
bool ms_jsonpos_find(const ms_jsonpos *idx, const char *path, bool key, int *line, int *col);

/* Line and column (1-based, columns in bytes) of a byte offset into text. */
void ms_offset_linecol(const char *text, size_t off, int *line, int *col);

#endif
