/* cJSON's allocations, routed through this program's malloc and free. Then they are made the
 * same way as every other allocation (the OOM test wraps malloc at link time and can make any
 * of them fail), and a failure inside cJSON, which cJSON reports only as a NULL result, can be
 * told from bad input.
 *
 * A document that is only read can be parsed into an arena: its thousands of nodes and strings
 * cost a malloc and a free every 60 KiB instead of one each, which was a fifth of what validate
 * did for a large checklist. */
#ifndef MS_ALLOC_H
#define MS_ALLOC_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* Install the hooks: call once at start, before anything uses cJSON. */
void ms_alloc_init(void);

/* How many allocations cJSON asked for and did not get since the start. A caller that built or
 * parsed a document compares the count before and after to know whether a NULL or a missing
 * member was memory running out. */
unsigned long ms_alloc_failures(void);

/* Parse the value in text's first len bytes (no NUL needed) with cJSON into chunks of 60 KiB
 * carved in turn; a string longer than a quarter of a chunk is made with malloc. The text is one
 * the strict scan accepted (ms/jsonpos.h), which cJSON reads: NULL is out of memory. The
 * document is read, never changed (no item added, replaced or detached), and freed with
 * ms_alloc_delete in the thread that parsed it. */
cJSON *ms_alloc_parse(const char *text, size_t len);

/* Was doc made in an arena by ms_alloc_parse (not when the hooks are not installed)? */
bool ms_alloc_in_arena(const cJSON *doc);

/* How many of doc's allocations were made with malloc, outside its chunks; 0 for a document not
 * from ms_alloc_parse. */
unsigned long ms_alloc_outside(const cJSON *doc);

/* Free a document from ms_alloc_parse, or any other with cJSON_Delete. NULL is harmless. */
void ms_alloc_delete(cJSON *doc);

#endif
