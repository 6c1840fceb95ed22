#include "ms/hash.h"

#include <stdlib.h>
#include <string.h>

#define FNV_PRIME UINT64_C(0x100000001b3)

uint64_t ms_hash_add(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= FNV_PRIME;
    }
    return h;
}

uint64_t ms_hash_add_lower(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        h ^= c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
        h *= FNV_PRIME;
    }
    return h;
}

uint64_t ms_hash_str(const char *s)
{
    return ms_hash_add(MS_HASH_INIT, s, strlen(s));
}

/* The slot a hash starts probing at: FNV's low bits are weak, so mix all 64 bits first
 * (the finalizer of splitmix64). */
static size_t home(uint64_t hash, size_t cap)
{
    hash ^= hash >> 30;
    hash *= UINT64_C(0xbf58476d1ce4e5b9);
    hash ^= hash >> 27;
    hash *= UINT64_C(0x94d049bb133111eb);
    hash ^= hash >> 31;
    return (size_t)hash & (cap - 1);
}

void ms_hindex_init(ms_hindex *h)
{
    h->slots = NULL;
    h->cap = 0;
    h->n = 0;
}

void ms_hindex_cleanup(ms_hindex *h)
{
    free(h->slots);
    ms_hindex_init(h);
}

static void place(ms_hslot *slots, size_t cap, uint64_t hash, size_t stored)
{
    size_t i = home(hash, cap);
    while (slots[i].val)
        i = (i + 1) & (cap - 1);
    slots[i] = (ms_hslot){hash, stored};
}

ms_status ms_hindex_add(ms_hindex *h, uint64_t hash, size_t val)
{
    if (val == SIZE_MAX)
        return MS_ERR_NOMEM; /* cannot be stored as val + 1 */
    if ((h->n + 1) * 2 > h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 16;
        if (cap <= h->cap || cap > SIZE_MAX / sizeof(ms_hslot))
            return MS_ERR_NOMEM;
        ms_hslot *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return MS_ERR_NOMEM;
        for (size_t i = 0; i < h->cap; i++)
            if (h->slots[i].val)
                place(slots, cap, h->slots[i].hash, h->slots[i].val);
        free(h->slots);
        h->slots = slots;
        h->cap = cap;
    }
    place(h->slots, h->cap, hash, val + 1);
    h->n++;
    return MS_OK;
}

bool ms_hindex_next(const ms_hindex *h, uint64_t hash, size_t *it, size_t *val)
{
    if (!h->cap)
        return false;
    /* *it counts the slots already probed: the probe sequence is the same on every call. */
    size_t start = home(hash, h->cap);
    for (size_t k = *it; k < h->cap; k++) {
        const ms_hslot *s = &h->slots[(start + k) & (h->cap - 1)];
        if (!s->val)
            return false; /* the end of the run: no value with this hash lies beyond */
        if (s->hash == hash) {
            *it = k + 1;
            *val = s->val - 1;
            return true;
        }
    }
    return false;
}
