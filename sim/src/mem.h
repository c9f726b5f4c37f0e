/* Internal allocation helpers over the host's ps_alloc_t. */
#ifndef PAGESIM_MEM_H
#define PAGESIM_MEM_H

#include "pagesim/core.h"
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

static inline void ps_free(const ps_alloc_t *a, void *p, size_t n)
{
    if (p) a->fn(a->ud, p, n, 0);
}

#endif
