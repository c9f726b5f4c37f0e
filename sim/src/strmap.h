/* A string-keyed hash index over values the caller stores elsewhere: the
 * map keeps each value (a uint32_t, an index into the caller's array) and
 * its key's hash, and asks the caller for a value's key to compare. Open
 * addressing with linear probing; removal shifts later entries back, so no
 * tombstones pile up. Finding, adding and removing take constant time on
 * average: 65,536 names cost 65,536 steps, not 2 billion. */
#ifndef PAGESIM_STRMAP_H
#define PAGESIM_STRMAP_H

#include "pagesim/core.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STRMAP_NONE UINT32_MAX

/* The key of a stored value (n bytes in *n), for comparisons. */
typedef const char *(*strmap_key_fn)(const void *ud, uint32_t value, size_t *n);

typedef struct strmap {
    const ps_alloc_t *alloc;
    uint32_t *value;   /* per slot: value + 1, 0 for an empty slot         */
    uint32_t *hash;    /* per slot: the key's hash                          */
    uint32_t cap;      /* slots: 0 or a power of two                        */
    uint32_t count;
    strmap_key_fn key;
    const void *ud;
} strmap_t;

void strmap_init(strmap_t *m, const ps_alloc_t *a, strmap_key_fn key, const void *ud);
void strmap_fini(strmap_t *m);
/* A deep copy that asks key(ud, ...) for keys. */
ps_result_t strmap_copy(strmap_t *dst, const strmap_t *src, const void *ud);

/* The value stored under key (n bytes), or STRMAP_NONE. */
uint32_t strmap_find(const strmap_t *m, const char *key, size_t n);
/* Stores value under key, which must not be there yet (value < UINT32_MAX - 1).
 * PS_ENOMEM when the table cannot grow (the map is unchanged). */
ps_result_t strmap_add(strmap_t *m, const char *key, size_t n, uint32_t value);
/* Removes the entry whose value is value (stored under key); nothing when
 * there is none. */
void strmap_remove(strmap_t *m, const char *key, size_t n, uint32_t value);
/* Replaces the value of the entry stored as old (under key) by value. */
void strmap_rename(strmap_t *m, const char *key, size_t n, uint32_t old, uint32_t value);

#endif
