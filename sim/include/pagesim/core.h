/* Things every layer of the core shares: the result codes and the host-supplied
 * allocator. The core never allocates behind the host's back: every handle is
 * created with a ps_alloc_t, or with the C library's allocator when it is NULL. */
#ifndef PAGESIM_CORE_H
#define PAGESIM_CORE_H

#include <stddef.h>

#define PAGESIM_VERSION "0.2.0"

typedef enum {
    PS_OK = 0,
    PS_ENOMEM,   /* the host allocator returned NULL                          */
    PS_EINVAL,   /* an argument is outside what the callee accepts             */
    PS_ERANGE,   /* an address or size lies outside the simulated machine      */
    PS_ESTATE,   /* the call does not fit the object's current state           */
} ps_result_t;

/* Returns a static, human-readable name for r ("out of memory", ...). */
const char *ps_result_str(ps_result_t r);

/* Host allocator, in the manner of lua_Alloc: resize ptr from osize to nsize
 * bytes; nsize == 0 frees and returns NULL; ptr == NULL allocates. Returns
 * NULL when an allocation or a growth fails (ptr is then left untouched). */
typedef void *(*ps_alloc_fn)(void *ud, void *ptr, size_t osize, size_t nsize);

typedef struct ps_alloc {
    ps_alloc_fn fn;
    void *ud;
} ps_alloc_t;

/* The default allocator (realloc/free). */
const ps_alloc_t *ps_default_alloc(void);

#endif
