/* The parts of the checklist loader that read one kind of check (load/http.c, load/manual.c);
 * load/checklist.c reads the files, the inherited fields and the sections, and calls them. */
#ifndef MS_CHECKLOAD_H
#define MS_CHECKLOAD_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "ms/fields.h"
#include "ms/model.h"
#include "ms/vars.h"

/* An http check's own fields: its "request" (required) and its "expect", from the check object
 * o at path. Problems go through f. */
void ms_load_http(ms_fields *f, ms_vars *v, const cJSON *o, const char *path, ms_check *ck);

/* Merge the headers of the object obj at path over what *h (*n of them) holds: a name given
 * again, in any case, replaces the value. Variables are substituted; a name or value a request
 * cannot carry is reported. */
void ms_load_headers(ms_fields *f, ms_vars *v, const cJSON *obj, const char *path, ms_header **h,
                     size_t *n);

/* A stopwatch, rating or yesno check's own fields (prompt, scale, pass, good). */
void ms_load_manual(ms_fields *f, ms_vars *v, const cJSON *o, const char *path, ms_check *ck);

#endif
