/* JSON text in and out, for the modules that own a cJSON document (the checklist and answers
 * loaders, the JSON report). */
#ifndef MS_JSONTEXT_H
#define MS_JSONTEXT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "ms/status.h"

/* Parse text (len bytes, NUL-terminated). On a syntax error returns MS_ERR_INVALID with the
 * line and column where it stopped; MS_ERR_NOMEM when memory ran out (ms_alloc_init must have
 * been called to tell the two apart). The caller frees *out with cJSON_Delete. */
ms_status ms_json_parse(const char *text, size_t len, cJSON **out, int *line, int *col);

/* The document as indented text ending in a newline (caller frees); always valid UTF-8
 * (invalid bytes in strings become U+FFFD). */
ms_status ms_json_print(const cJSON *doc, char **out);

#endif
