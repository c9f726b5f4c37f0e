/* A map of disjoint ranges of 64-bit keys to values, as an AVL tree: find
 * the range holding a key, insert a range (cutting away what it overlaps of
 * older ranges, so the newest range wins), remove a range. Each operation
 * is logarithmic in the number of ranges (plus the ranges an insertion
 * cuts away, each once). The scenario runner's names use it: which name an
 * address shows as, among 32,768 allocations, in 15 steps. */
#ifndef PAGESIM_RMAP_H
#define PAGESIM_RMAP_H

#include "pagesim/core.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct rmap_node {
    uint64_t lo, hi;            /* [lo, hi)                                  */
    uint32_t value;
    int height;
    struct rmap_node *left, *right;
} rmap_node_t;

typedef struct rmap {
    const ps_alloc_t *alloc;
    rmap_node_t *root;
    uint32_t count;
} rmap_t;

void rmap_init(rmap_t *m, const ps_alloc_t *a);
void rmap_fini(rmap_t *m);
ps_result_t rmap_copy(rmap_t *dst, const rmap_t *src);

/* The range holding key, or NULL. */
const rmap_node_t *rmap_find(const rmap_t *m, uint64_t key);
/* Maps [lo, hi) (lo < hi) to value; the parts of older ranges inside it are
 * removed (a range cut in two keeps both ends). PS_ENOMEM when the host
 * allocator fails (the map then holds a subset of what it held). */
ps_result_t rmap_set(rmap_t *m, uint64_t lo, uint64_t hi, uint32_t value);
/* Removes the range that starts at lo, if any. */
void rmap_remove(rmap_t *m, uint64_t lo);

#endif
