/* The failing allocator. */
#include "failing_alloc.h"
#include <stdlib.h>

static void *fn(void *ud, void *ptr, size_t osize, size_t nsize)
{
    failing_alloc_t *fa = ud;
    (void)osize;
    if (nsize == 0) {
        if (ptr) fa->live--;
        free(ptr);
        return NULL;
    }
    if (fa->count++ == fa->fail_at) return NULL;
    void *p = realloc(ptr, nsize);
    if (p && !ptr) fa->live++;
    return p;
}

void failing_alloc_init(failing_alloc_t *fa, long fail_at)
{
    fa->alloc.fn = fn;
    fa->alloc.ud = fa;
    fa->fail_at = fail_at;
    fa->count = 0;
    fa->live = 0;
}
