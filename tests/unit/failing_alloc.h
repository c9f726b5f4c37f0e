/* A host allocator for tests that fails the Nth allocation (counting from
 * 0), so that every out-of-memory path of the core can be made to run. */
#ifndef PAGESIM_FAILING_ALLOC_H
#define PAGESIM_FAILING_ALLOC_H

#include "pagesim/core.h"
#include <stddef.h>

typedef struct failing_alloc {
    ps_alloc_t alloc;     /* pass &fa.alloc to the core                     */
    long fail_at;         /* the allocation that fails; -1: none fails      */
    long count;           /* allocations (and growths) made so far          */
    long live;            /* blocks not yet freed                           */
} failing_alloc_t;

void failing_alloc_init(failing_alloc_t *fa, long fail_at);

#endif
