/* Internal allocation helpers over the host's ps_alloc_t. */
#ifndef PAGESIM_MEM_H
#define PAGESIM_MEM_H

#include "pagesim/core.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline void *ps_malloc(const ps_alloc_t *a, size_t n)
{
    return a->fn(a->ud, NULL, 0, n);
}

static inline void *ps_calloc(const ps_alloc_t *a, size_t n)
{
    void *p = a->fn(a->ud, NULL, 0, n);
    if (p) memset(p, 0, n);
    return p;
}

static inline void *ps_realloc(const ps_alloc_t *a, void *p, size_t o, size_t n)
{
    return a->fn(a->ud, p, o, n);
}

/* Grows *arr (of elem-byte items, *cap of them) to hold need items,
 * doubling. Returns false (leaving it as it was) when the allocator fails. */
static inline bool ps_grow(const ps_alloc_t *a, void **arr, uint32_t *cap, uint32_t need, size_t elem)
{
    if (need <= *cap) return true;
    uint32_t ncap = *cap ? *cap : 16;
    while (ncap < need) ncap *= 2;
    void *n = a->fn(a->ud, *arr, *cap * elem, ncap * elem);
    if (!n) return false;
    *arr = n;
    *cap = ncap;
    return true;
}

static inline void ps_free(const ps_alloc_t *a, void *p, size_t n)
{
    if (p) a->fn(a->ud, p, n, 0);
}

#endif
