#include "ms/alloc.h"

#include <cjson/cJSON.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* Per thread: the probe's thread and the prompt's both parse JSON, and each compares the count
 * before and after its own parse (a failure of the other thread's is not its own). */
static _Thread_local unsigned long g_failures;

/* The chunks a document's tree is carved from (see ms_alloc_parse). A chunk is smaller than
 * glibc's threshold for mmap, so that it comes from the heap and, once freed, serves the
 * allocations that follow: one block mapped for the whole tree and unmapped after it cost a page
 * fault for every page of it, again for what came next. */
#define CHUNK ((size_t)60 * 1024)
/* larger requests are made with malloc, outside the chunks: a long string wastes no chunk */
#define BIG      (CHUNK / 4)
#define ALIGN    alignof(max_align_t)
#define ROUND(n) (((n) + ALIGN - 1) / ALIGN * ALIGN)

typedef struct arena {
    const cJSON *root; /* the document */
    char **chunks;     /* each CHUNK bytes, in address order */
    size_t nchunks, cap;
    char *next, *end;      /* the free part of the chunk being filled */
    unsigned long outside; /* allocations made with malloc */
    struct arena *up;      /* the arena made before it in this thread, still live */
} arena;

static _Thread_local arena *g_live;    /* this thread's live arenas, the newest first */
static _Thread_local arena *g_filling; /* where json_malloc carves from, during a parse */
static _Thread_local arena *g_owner;   /* whose pieces json_free leaves alone, while set */

/* Is p inside one of a's chunks? */
static bool owns(const arena *a, const void *p)
{
    size_t lo = 0, hi = a->nchunks;
    while (lo < hi) { /* the last chunk that starts at or before p */
        size_t mid = (lo + hi) / 2;
        if ((uintptr_t)a->chunks[mid] <= (uintptr_t)p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && (uintptr_t)p < (uintptr_t)a->chunks[lo - 1] + CHUNK;
}

/* A new chunk for a to carve from; false when out of memory. */
static bool add_chunk(arena *a)
{
    if (a->nchunks == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 16;
        char **p = realloc(a->chunks, cap * sizeof *p);
        if (!p)
            return false;
        a->chunks = p;
        a->cap = cap;
    }
    char *c = malloc(CHUNK);
    if (!c)
        return false;
    size_t at = a->nchunks++;
    while (at > 0 && (uintptr_t)a->chunks[at - 1] > (uintptr_t)c) {
        a->chunks[at] = a->chunks[at - 1];
        at--;
    }
    a->chunks[at] = c;
    a->next = c;
    a->end = c + CHUNK;
    return true;
}

/* malloc named here, in this program, so that a link-time wrapper of malloc sees cJSON's
 * allocations too (cJSON is a shared library: its own calls are out of the wrapper's reach). */
static void *json_malloc(size_t n)
{
    arena *a = g_filling;
    void *p;
    if (a && n <= BIG) {
        if (ROUND(n) > (size_t)(a->end - a->next) && !add_chunk(a)) {
            g_failures++;
            return NULL;
        }
        p = a->next;
        a->next += ROUND(n);
        return p;
    }
    if (a)
        a->outside++;
    if (!(p = malloc(n)))
        g_failures++;
    return p;
}

/* A piece of an arena goes with the arena, not by itself. */
static void json_free(void *p)
{
    if (g_owner && owns(g_owner, p))
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

static void arena_free(arena *a)
{
    for (size_t i = 0; i < a->nchunks; i++)
        free(a->chunks[i]);
    free(a->chunks);
    free(a);
}

cJSON *ms_alloc_parse(const char *text, size_t len)
{
    arena *a = calloc(1, sizeof *a);
    if (!a) {
        g_failures++;
        return NULL;
    }
    g_filling = g_owner = a;
    /* exactly len bytes: the text may be a value inside a larger one (ms_jsonpos_hollow) */
    cJSON *doc = cJSON_ParseWithLength(text, len);
    g_filling = g_owner = NULL;
    if (!doc || a->nchunks == 0) {
        /* failed (cJSON freed what it made outside), or nothing carved (the hooks are not
         * installed, as in a unit test that does not call ms_alloc_init): a plain document */
        arena_free(a);
        return doc;
    }
    a->root = doc;
    a->up = g_live;
    g_live = a;
    return doc;
}

/* The live arena of doc in this thread, or NULL. */
static arena *arena_of(const cJSON *doc)
{
    for (arena *a = g_live; a; a = a->up)
        if (a->root == doc)
            return a;
    return NULL;
}

bool ms_alloc_in_arena(const cJSON *doc)
{
    return doc && arena_of(doc) != NULL;
}

unsigned long ms_alloc_outside(const cJSON *doc)
{
    const arena *a = arena_of(doc);
    return a ? a->outside : 0;
}

void ms_alloc_delete(cJSON *doc)
{
    if (!doc)
        return;
    for (arena **at = &g_live; *at; at = &(*at)->up) {
        arena *a = *at;
        if (a->root != doc)
            continue;
        if (a->outside) { /* what was made outside is freed piece by piece */
            g_owner = a;
            cJSON_Delete(doc);
            g_owner = NULL;
        }
        *at = a->up;
        arena_free(a);
        return;
    }
    cJSON_Delete(doc);
}
