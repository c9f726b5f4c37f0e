/* The heap calls as a backend operation: the checked wrapper every caller
 * goes through, and the simulator's side, which hands each call to the
 * heap model of the current process. */
#include "pagesim/backend.h"
#include "pagesim/heap.h"
#include "pagesim/winsdk.h"
#include <string.h>

void ps_heap(const ps_backend_t *b, ps_heap_op_t op, const uint32_t args[4], ps_heap_out_t *out, strbuf_t *why)
{
    memset(out, 0, sizeof *out);
    if ((unsigned)op >= PS_HEAP_OP_COUNT || !b->ops->heap) {
        out->error = ERROR_INVALID_FUNCTION;
        return;
    }
    b->ops->heap(b->ctx, op, args, out, why);
    /* A call that raised returned nothing. */
    if (out->exception) out->ret = 0;
}

static void from_result(const heap_result_t *r, ps_heap_out_t *out)
{
    out->ret = r->ptr;
    out->error = r->error;
    out->exception = r->exception;
}

/* A BOOL call: TRUE when err is 0. */
static void from_bool(uint32_t err, ps_heap_out_t *out)
{
    out->ret = err == 0;
    out->error = err;
}

static void walk(mm_process_t *p, uint32_t heap, ps_heap_out_t *out)
{
    heap_walk_entry_t e;
    memset(&e, 0, sizeof e);
    uint32_t err;
    while ((err = heap_walk(p, heap, &e)) == 0)
        if (e.flags & PS_PROCESS_HEAP_ENTRY_BUSY) {
            out->ret++;
            out->bytes += e.size;
        }
    if (err != ERROR_NO_MORE_ITEMS) {
        out->ret = out->bytes = 0;
        out->error = err;
    }
}

void ps_sim_heap(void *ctx, ps_heap_op_t op, const uint32_t a[4], ps_heap_out_t *out, strbuf_t *why)
{
    mm_process_t *p = mm_current((mm_t *)ctx);
    heap_result_t r = { 0, 0, 0 };
    uint32_t list[1];
    switch (op) {
    case PS_HEAP_CREATE: heap_create(p, a[0], a[1], a[2], &r, why); break;
    case PS_HEAP_DESTROY: from_bool(heap_destroy(p, a[0], why), out); return;
    case PS_HEAP_ALLOC: heap_alloc(p, a[0], a[1], a[2], &r, why); break;
    case PS_HEAP_REALLOC: heap_realloc(p, a[0], a[1], a[2], a[3], &r, why); break;
    case PS_HEAP_FREE: from_bool(heap_free(p, a[0], a[1], a[2], why), out); return;
    case PS_HEAP_SIZE: out->error = heap_size(p, a[0], a[1], a[2], &out->ret, why); return;
    case PS_HEAP_VALIDATE: out->ret = heap_validate(p, a[0], a[2], why); return;
    case PS_HEAP_GET_PROCESS_HEAP: out->ret = heap_process_heap(p); return;
    case PS_HEAP_GET_PROCESS_HEAPS: out->ret = heap_list(p, list, 0); return;
    case PS_HEAP_WALK: walk(p, a[0], out); return;
    case PS_CRT_MALLOC: crt_malloc(p, a[0], &r, why); break;
    case PS_CRT_CALLOC: crt_calloc(p, a[0], a[1], &r, why); break;
    case PS_CRT_REALLOC: crt_realloc(p, a[0], a[1], &r, why); break;
    case PS_CRT_FREE: out->error = crt_free(p, a[0], why); return;
    case PS_DELPHI_GETMEMORY: delphi_get_memory(p, a[0], &r, why); break;
    case PS_DELPHI_FREEMEMORY:
        out->error = delphi_free_memory(p, a[0], why);
        out->ret = out->error != 0; /* FreeMemory's Integer: 0 when freed */
        return;
    default: out->error = ERROR_INVALID_FUNCTION; return;
    }
    from_result(&r, out);
}
