#include "ms/alloc.h"

#include <cjson/cJSON.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* Per thread: the probe's thread and the prompt's both parse JSON, and each compares the count
 * before and after its own parse (a failure of the other thread's is not its own). */
static _Thread_local unsigned long g_failures;

/* One block a document's tree is carved from (see ms_alloc_parse), starting with this header. */
typedef struct arena {
    const cJSON *root;      /* the document */
    char *lo, *hi, *next;   /* what is carved from: [lo, hi), next free at next */
    unsigned long outside;  /* allocations that did not fit, made with malloc */
    struct arena *up;       /* the arena made before it in this thread, still live */
} arena;

#define ALIGN alignof(max_align_t)
#define ROUND(n) (((n) + ALIGN - 1) / ALIGN * ALIGN)

static _Thread_local arena *g_live;    /* this thread's live arenas, the newest first */
static _Thread_local arena *g_filling; /* where json_malloc carves from, during a parse */

/* malloc named here, in this program, so that a link-time wrapper of malloc sees cJSON's
 * allocations too (cJSON is a shared library: its own calls are out of the wrapper's reach). */
static void *json_malloc(size_t n)
{
    arena *a = g_filling;
    if (a) {
        if (n <= (size_t)(a->hi - a->next) && ROUND(n) <= (size_t)(a->hi - a->next)) {
            void *p = a->next;
            a->next += ROUND(n);
            return p;
        }
        a->outside++;
    }
    void *p = malloc(n);
    if (!p)
        g_failures++;
    return p;
}

/* What an arena holds is freed with the arena, not piece by piece. */
static void json_free(void *p)
{
    for (const arena *a = g_live; a; a = a->up)
        if ((uintptr_t)p >= (uintptr_t)a->lo && (uintptr_t)p < (uintptr_t)a->hi)
            return;
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

size_t ms_alloc_bound(size_t values, size_t strings, size_t string_bytes)
{
    size_t node = ROUND(sizeof(cJSON)), str = 2 + ALIGN - 1;
    if (values > SIZE_MAX / 2 / node || strings > SIZE_MAX / 4 / str || string_bytes > SIZE_MAX / 4)
        return SIZE_MAX;
    return values * node + strings * str + string_bytes;
}

cJSON *ms_alloc_parse(const char *text, size_t len, size_t bound)
{
    size_t head = ROUND(sizeof(arena));
    if (bound > SIZE_MAX - head - ALIGN)
        return NULL;
    bound = ROUND(bound);
    char *block = malloc(head + bound);
    if (!block) {
        g_failures++;
        return NULL;
    }
    arena *a = (arena *)(void *)block;
    *a = (arena){NULL, block + head, block + head + bound, block + head, 0, g_live};
    g_live = a;
    g_filling = a;
    /* With require_null_terminated, cJSON wants the length to count the NUL. */
    cJSON *doc = cJSON_ParseWithLengthOpts(text, len + 1, NULL, 1);
    g_filling = NULL;
    if (!doc || a->next == a->lo) {
        /* failed (cJSON freed what it made), or nothing carved (the hooks are not installed,
         * as in a unit test that does not call ms_alloc_init): a plain document or none */
        g_live = a->up;
        free(block);
        return doc;
    }
    a->root = doc;
    return doc;
}

unsigned long ms_alloc_outside(const cJSON *doc)
{
    for (const arena *a = g_live; a; a = a->up)
        if (a->root == doc)
            return a->outside;
    return 0;
}

void ms_alloc_delete(cJSON *doc)
{
    if (!doc)
        return;
    for (arena **at = &g_live; *at; at = &(*at)->up) {
        arena *a = *at;
        if (a->root != doc)
            continue;
        if (a->outside)
            cJSON_Delete(doc); /* frees what was made outside; the rest goes with the block */
        *at = a->up;
        free(a);
        return;
    }
    cJSON_Delete(doc);
}
