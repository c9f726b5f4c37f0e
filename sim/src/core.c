/* Result names and the default allocator. */
#include "pagesim/core.h"
#include <stdlib.h>

const char *ps_result_str(ps_result_t r)
{
    switch (r) {
    case PS_OK: return "ok";
    case PS_ENOMEM: return "out of memory";
    case PS_EINVAL: return "invalid argument";
    case PS_ERANGE: return "outside the simulated machine";
    case PS_ESTATE: return "not allowed in the current state";
    }
    return "unknown result";
}

static void *default_fn(void *ud, void *ptr, size_t osize, size_t nsize)
{
    (void)ud;
    (void)osize;
    if (nsize == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, nsize);
}

static const ps_alloc_t default_alloc = { default_fn, NULL };

const ps_alloc_t *ps_default_alloc(void)
{
    return &default_alloc;
}
