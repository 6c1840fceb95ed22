/* Hashing and a hash index, so that finding a key among many (a field of an object, a variable,
 * an id, a position) takes constant time and loading stays linear in the size of the input.
 *
 * The hash is 64-bit FNV-1a and can be continued: the hash of "a.b" is the hash of "a" continued
 * over ".b", so a path's hash extends its parent's. The index maps hashes to values (usually an
 * index into the caller's own array); it does not hold the keys, so a lookup gives every value
 * stored under a hash and the caller compares its keys. */
#ifndef MS_HASH_H
#define MS_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ms/status.h"

/* The hash of no bytes; continue it with ms_hash_add. */
#define MS_HASH_INIT UINT64_C(0xcbf29ce484222325)

/* h continued over n bytes at p. */
uint64_t ms_hash_add(uint64_t h, const void *p, size_t n);
/* h continued over n bytes at p with ASCII letters in lower case (for names compared without
 * regard to case, such as HTTP header names). */
uint64_t ms_hash_add_lower(uint64_t h, const void *p, size_t n);
/* The hash of a string. */
uint64_t ms_hash_str(const char *s);

typedef struct {
    uint64_t hash;
    size_t val; /* the value + 1; 0 marks an empty slot */
} ms_hslot;

/* Open addressing with linear probing, kept at most half full; no removal. */
typedef struct {
    ms_hslot *slots;
    size_t cap; /* a power of two, or 0 */
    size_t n;
} ms_hindex;

/* Start an empty index (allocates nothing). */
void ms_hindex_init(ms_hindex *h);
/* Free the index; it may be used again after ms_hindex_init. */
void ms_hindex_cleanup(ms_hindex *h);
/* Store val (< SIZE_MAX) under hash; a hash may hold any number of values. MS_ERR_NOMEM when
 * the index cannot grow (it is unchanged then). */
ms_status ms_hindex_add(ms_hindex *h, uint64_t hash, size_t val);
/* The values stored under hash, one a call, in no particular order: set *it to 0 before the
 * first call. Returns false when there are no more. */
bool ms_hindex_next(const ms_hindex *h, uint64_t hash, size_t *it, size_t *val);

#endif
