/* Statements of a Windows process beyond allocation and access: write watch
 * (GetWriteWatch, ResetWriteWatch), the process's memory counters
 * (GetProcessMemoryInfo) and locked pages (VirtualLock, VirtualUnlock). Each handler is named in its row of the
 * statement table (scn_verbs.c) and calls the backend through its checked
 * wrapper, so the simulator and real Windows answer the same statement. */
#include "mem.h"
#include "scn_lex.h"
#include "scn_run_int.h"

/* A UINT result that is 0 on success and ~0u on failure. */
static void set_uint_status(scn_result_t *res, ps_call_t c)
{
    set_call(res, c);
    res->has |= SCN_HAS_RET;
    res->ret = c.error ? 0xFFFFFFFFu : 0;
}

/* Room for the addresses GetWriteWatch may return: no more than count, and
 * no more than the pages of the range (so a count of 0xFFFFFFFF costs no
 * more than the range; nothing beyond it could be returned anyway). At
 * least one entry, except for a count of 0, which is an error to pass on. */
static uint32_t watch_room(uint32_t addr, uint32_t size, uint32_t count)
{
    uint64_t pages = ((uint64_t)(addr & 0xFFFu) + size + 0xFFFu) >> 12;
    if (!count) return 0;
    if (!pages) pages = 1;
    return count < pages ? count : (uint32_t)pages;
}

bool run_get_write_watch(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    uint32_t flags = arg32(r, st, 0), addr = arg32(r, st, 1), size = arg32(r, st, 2);
    uint32_t room = watch_room(addr, size, arg32(r, st, 3));
    uint32_t *found = ps_malloc(r->alloc, (room ? room : 1) * sizeof *found);
    if (!found) {
        scn_error_set(err, st->line, st->col, "out of memory");
        return false;
    }
    uint32_t count = room, gran = 0;
    ps_call_t c = ps_get_write_watch(&r->be, flags, addr, size, found, &count, &gran, &r->why);
    set_uint_status(res, c);
    strbuf_clear(&r->watch);
    char name[SCN_ADDR_STR];
    for (uint32_t i = 0; i < count; i++) {
        names_addr(r, found[i], name, sizeof name);
        if (i) strbuf_putc(&r->watch, ' ');
        strbuf_puts(&r->watch, name);
    }
    ps_free(r->alloc, found, (room ? room : 1) * sizeof *found);
    if (strbuf_failed(&r->watch)) {
        scn_error_set(err, st->line, st->col, "out of memory");
        return false;
    }
    res->has |= SCN_HAS_WATCH | SCN_HAS_COUNT;
    res->count = count;
    res->granularity = gran;
    res->addresses = strbuf_str(&r->watch);
    return true;
}

bool run_reset_write_watch(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)err;
    set_uint_status(res, ps_reset_write_watch(&r->be, arg32(r, st, 0), arg32(r, st, 1), &r->why));
    return true;
}

bool run_process_memory_info(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)err;
    uint32_t process = st->nargs > 0 && st->arg[0].present ? arg32(r, st, 0) : 0xFFFFFFFFu; /* GetCurrentProcess() */
    ps_call_t c = ps_process_memory_info(&r->be, process, &res->pmc, &r->why);
    set_call(res, c);
    res->has |= SCN_HAS_RET | (c.error ? 0u : SCN_HAS_PMC);
    res->ret = c.error == 0;
    return true;
}

bool run_virtual_lock(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)err;
    ps_call_t c = ps_virtual_lock(&r->be, arg32(r, st, 0), arg32(r, st, 1), st->verb == SCN_VIRTUALLOCK, &r->why);
    set_call(res, c);
    res->has |= SCN_HAS_RET;
    res->ret = c.error == 0;
    return true;
}
