/* JSON text in and out, for the modules that own a cJSON document (the checklist and answers
 * loaders, the JSON report). */
#ifndef MS_JSONTEXT_H
#define MS_JSONTEXT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "ms/jsonpos.h"
#include "ms/status.h"

/* Parse text (len bytes, NUL-terminated) after checking it strictly (see ms/jsonpos.h): only a
 * text the strict scan accepts reaches cJSON. Returns MS_OK with the document in *out (free it
 * with cJSON_Delete) and the position index in *pos (free it with ms_jsonpos_free);
 * MS_ERR_INVALID with where and why in *err (clean it up with ms_json_error_cleanup); or
 * MS_ERR_NOMEM. */
ms_status ms_json_parse(const char *text, size_t len, cJSON **out, ms_jsonpos **pos,
                        ms_json_error *err);
/* The same for a document that is only read (a checklist, a report): its tree is made in an
 * arena (ms_alloc_parse); free it with ms_alloc_delete. */
ms_status ms_json_parse_read_only(const char *text, size_t len, cJSON **out, ms_jsonpos **pos,
                                  ms_json_error *err);

/* The document as indented text ending in a newline (caller frees); always valid UTF-8
 * (invalid bytes in strings become U+FFFD). */
ms_status ms_json_print(const cJSON *doc, char **out);
/* The same indented by two spaces a level, "key": value, and arrays of numbers, strings, true,
 * false or null on one line ([1, 5]): JSON as people write it, for the files they edit (init). */
ms_status ms_json_print_2(const cJSON *doc, char **out);

#endif
