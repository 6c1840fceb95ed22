#include "ms/alloc.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

/* Per thread: the probe's thread and the prompt's both parse JSON, and each compares the count
 * before and after its own parse (a failure of the other thread's is not its own). */
static _Thread_local unsigned long g_failures;

/* malloc named here, in this program, so that a link-time wrapper of malloc sees cJSON's
 * allocations too (cJSON is a shared library: its own calls are out of the wrapper's reach). */
static void *json_malloc(size_t n)
{
    void *p = malloc(n);
    if (!p)
        g_failures++;
    return p;
}

static void json_free(void *p)
{
    free(p);
}

void ms_alloc_init(void)
{
    cJSON_Hooks hooks = {json_malloc, json_free};
    cJSON_InitHooks(&hooks);
}

unsigned long ms_alloc_failures(void)
{
    return g_failures;
}
