/* Statements of Address Windowing Extensions: AllocateUserPhysicalPages,
 * MapUserPhysicalPages and FreeUserPhysicalPages, run on the simulated
 * process (mm_awe.c has the rules). The array AllocateUserPhysicalPages
 * fills is bound to the statement's name: its value names the array's
 * first element for the other two calls (array + k its element k), and
 * NAME[k], wherever the scenario writes it, is the frame number it holds
 * (0 past the count the call got, as an unwritten element of a zeroed
 * array would be). Each handler is named in its row of the statement
 * table (scn_verbs.c). */
#include "pagesim/winsdk.h"
#include "scn_run_int.h"

/* The pseudo handle GetCurrentProcess() returns, (HANDLE)-1. */
#define CURRENT_PROCESS 0xFFFFFFFFu

static uint32_t arg(const scn_runner_t *r, const scn_stmt_t *st, unsigned i)
{
    return (uint32_t)run_eval(r, &st->arg[i].expr);
}

/* A BOOL call's outcome. */
static void set_bool(scn_result_t *res, uint32_t error)
{
    set_call(res, (ps_call_t){ error, false });
    res->has |= SCN_HAS_RET;
    res->ret = error == 0;
}

/* The process a handle names: the current one's pseudo handle only. */
static mm_process_t *process_of(scn_runner_t *r, uint32_t handle)
{
    if (handle != CURRENT_PROCESS) {
        strbuf_printf(&r->why, "0x%08X is not a process handle the simulator knows: pass GetCurrentProcess()",
                      handle);
        return NULL;
    }
    return mm_current(r->mm);
}

/* The elements of the array the statement bound, as the scenario names
 * them. */
static void fill_elements(scn_runner_t *r, const scn_stmt_t *st, const mm_process_t *p, uint32_t array, uint32_t got)
{
    for (uint32_t i = 0; st->bind >= 0 && i < r->s->nelems; i++) {
        const scn_elem_t *e = &r->s->elems[i];
        if (e->array != (uint32_t)st->bind) continue;
        uint32_t pfn = 0;
        if (e->index < got) (void)mm_awe_element(p, array + e->index, &pfn);
        r->values[e->slot] = pfn;
    }
}

bool run_awe_alloc(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)err;
    mm_process_t *p = process_of(r, arg(r, st, 0));
    uint32_t got = 0, array = 0;
    uint32_t e = p ? mm_awe_alloc(p, arg(r, st, 1), &got, &array, &r->why) : ERROR_INVALID_HANDLE;
    set_bool(res, e);
    res->has |= SCN_HAS_COUNT;
    res->count = got;
    if (st->bind >= 0) r->values[st->bind] = array;
    if (p) fill_elements(r, st, p, array, got);
    return true;
}

bool run_awe_map(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)err;
    set_bool(res, mm_awe_map(mm_current(r->mm), arg(r, st, 0), arg(r, st, 1), arg(r, st, 2), &r->why));
    return true;
}

bool run_awe_free(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)err;
    mm_process_t *p = process_of(r, arg(r, st, 0));
    uint32_t freed = 0;
    set_bool(res, p ? mm_awe_free(p, arg(r, st, 1), arg(r, st, 2), &freed, &r->why) : ERROR_INVALID_HANDLE);
    res->has |= SCN_HAS_COUNT;
    res->count = freed;
    return true;
}
