/* cJSON's allocations, routed through this program's malloc and free. Then they are made the
 * same way as every other allocation (the OOM test wraps malloc at link time and can make any
 * of them fail), and a failure inside cJSON, which cJSON reports only as a NULL result, can be
 * told from bad input. */
#ifndef MS_ALLOC_H
#define MS_ALLOC_H

/* Install the hooks: call once at start, before anything uses cJSON. */
void ms_alloc_init(void);

/* How many allocations cJSON asked for and did not get since the start. A caller that built or
 * parsed a document compares the count before and after to know whether a NULL or a missing
 * member was memory running out. */
unsigned long ms_alloc_failures(void);

#endif
