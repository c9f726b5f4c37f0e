/* Statements of the heap and the C runtime: HeapCreate ... HeapWalk,
 * malloc, calloc, realloc, free, Delphi's GetMemory and FreeMemory (both
 * backends, through ps_heap), and WinDbg's !heap (the simulator's view). */
#include "pagesim/format.h"
#include "pagesim/heap.h"
#include "pagesim/winsdk.h"
#include "scn_lex.h"
#include "scn_run_int.h"
#include <stdio.h>
#include <string.h>

/* How a statement maps onto a heap call, and what its return value is. */
typedef enum { RET_PTR, RET_BOOL, RET_SIZE, RET_COUNT, RET_VOID, RET_ZERO_OK } ret_kind_t;

typedef struct heap_stmt {
    scn_verb_id_t verb;
    ps_heap_op_t op;
    ret_kind_t kind;
} heap_stmt_t;

static const heap_stmt_t stmts[] = {
    { SCN_HEAPCREATE, PS_HEAP_CREATE, RET_PTR },       { SCN_HEAPDESTROY, PS_HEAP_DESTROY, RET_BOOL },
    { SCN_HEAPALLOC, PS_HEAP_ALLOC, RET_PTR },         { SCN_HEAPREALLOC, PS_HEAP_REALLOC, RET_PTR },
    { SCN_HEAPFREE, PS_HEAP_FREE, RET_BOOL },          { SCN_HEAPSIZE, PS_HEAP_SIZE, RET_SIZE },
    { SCN_HEAPVALIDATE, PS_HEAP_VALIDATE, RET_BOOL },  { SCN_GETPROCESSHEAP, PS_HEAP_GET_PROCESS_HEAP, RET_PTR },
    { SCN_GETPROCESSHEAPS, PS_HEAP_GET_PROCESS_HEAPS, RET_COUNT }, { SCN_HEAPWALK, PS_HEAP_WALK, RET_COUNT },
    { SCN_MALLOC, PS_CRT_MALLOC, RET_PTR },            { SCN_CALLOC, PS_CRT_CALLOC, RET_PTR },
    { SCN_REALLOC, PS_CRT_REALLOC, RET_PTR },          { SCN_FREE, PS_CRT_FREE, RET_VOID },
    { SCN_GETMEMORY, PS_DELPHI_GETMEMORY, RET_PTR },   { SCN_FREEMEMORY, PS_DELPHI_FREEMEMORY, RET_ZERO_OK },
};

static const heap_stmt_t *find(scn_verb_id_t v)
{
    for (size_t i = 0; i < sizeof stmts / sizeof stmts[0]; i++)
        if (stmts[i].verb == v) return &stmts[i];
    return NULL;
}

/* The size a new block's name covers (for NAME+0xOFF): what was asked. */
static uint32_t name_size(const heap_stmt_t *h, const uint32_t a[4])
{
    switch (h->op) {
    case PS_HEAP_ALLOC: return a[2] ? a[2] : 1;
    case PS_HEAP_REALLOC: return a[3] ? a[3] : 1;
    case PS_CRT_MALLOC: case PS_DELPHI_GETMEMORY: return a[0] ? a[0] : 1;
    case PS_CRT_CALLOC: return a[0] && a[1] ? a[0] * a[1] : 1;
    case PS_CRT_REALLOC: return a[1] ? a[1] : 1;
    default: return 1;
    }
}

/* The block ptr of a call that frees or moves it. */
static bool releases(const heap_stmt_t *h, const uint32_t a[4], uint32_t *ptr)
{
    switch (h->op) {
    case PS_HEAP_FREE: *ptr = a[2]; return true;
    case PS_HEAP_REALLOC: *ptr = a[2]; return true;
    case PS_CRT_FREE: case PS_DELPHI_FREEMEMORY: *ptr = a[0]; return true;
    case PS_CRT_REALLOC: *ptr = a[0]; return true;
    default: return false;
    }
}

static bool succeeded(const heap_stmt_t *h, const ps_heap_out_t *o)
{
    switch (h->kind) {
    case RET_PTR: case RET_BOOL: return o->ret != 0;
    case RET_SIZE: return o->ret != 0xFFFFFFFFu;
    case RET_ZERO_OK: return o->ret == 0 && !o->error;
    default: return !o->error && !o->exception;
    }
}

bool run_heap_call(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    const heap_stmt_t *h = find(st->verb);
    uint32_t a[4] = { 0, 0, 0, 0 };
    for (unsigned i = 0; i < st->nargs && i < 4; i++) a[i] = eval32(r, &st->arg[i].expr);
    ps_heap_out_t o;
    ps_heap(&r->be, h->op, a, &o, &r->why);
    bool ok = succeeded(h, &o);
    res->has |= SCN_HAS_OK | SCN_HAS_RET;
    res->ok = ok;
    res->error = o.error;
    res->ret = o.ret;
    if (h->op == PS_HEAP_WALK) {
        res->has |= SCN_HAS_COUNT;
        res->count = o.bytes;
    }
    if (o.exception) {
        res->has |= SCN_HAS_EXC;
        res->exc = (ps_exception_t){ o.exception, MMU_WRITE, 0 };
        snprintf(res->exc_addr, sizeof res->exc_addr, "the heap call");
    }
    uint32_t gone;
    bool moved = h->op == PS_HEAP_REALLOC || h->op == PS_CRT_REALLOC;
    if (releases(h, a, &gone) && gone && (ok || (moved && !a[h->op == PS_CRT_REALLOC ? 1 : 3])) &&
        (!moved || o.ret != gone))
        names_kill(r, gone);
    if (h->kind == RET_PTR) {
        if (st->bind >= 0) r->values[st->bind] = o.ret;
        if (o.ret && st->bind >= 0) {
            const char *name = names_add(r, st->bind, false, o.ret, name_size(h, a), 0);
            if (!name) {
                scn_error_set(err, st->line, st->col, "out of memory");
                return false;
            }
            res->has |= SCN_HAS_NAME;
            res->name = name;
        }
        res->has |= SCN_HAS_ADDR;
        names_addr(r, o.ret, res->ret_str, sizeof res->ret_str);
    } else if (st->bind >= 0) {
        r->values[st->bind] = o.ret;
    }
    return true;
}

bool run_heap_view(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)res;
    (void)err;
    bool all = st->arg[0].present, one = st->arg[1].present;
    fmt_heap(&r->text, mm_current(r->mm), all, one, one ? eval32(r, &st->arg[1].expr) : 0);
    return true;
}
