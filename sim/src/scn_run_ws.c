/* Statements of the working set: GetCurrentProcess (its pseudo-handle),
 * SetProcessWorkingSetSize, GetProcessWorkingSetSize and EmptyWorkingSet,
 * whose handler calls the backend through its checked wrapper, so the
 * simulator and real Windows answer the same statement; and
 * QueryWorkingSet, in the simulator only. The handlers are named in their
 * rows of the statement table (scn_verbs.c). */
#include "mem.h"
#include "pagesim/winsdk.h"
#include "scn_lex.h"
#include "scn_run_int.h"

bool run_working_set(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)err;
    if (st->verb == SCN_GETCURRENTPROCESS) {
        /* MSDN GetCurrentProcess: "a pseudo handle ... (HANDLE)-1". */
        if (st->bind >= 0) r->values[st->bind] = 0xFFFFFFFFu;
        res->has |= SCN_HAS_RET;
        res->ret = 0xFFFFFFFFu;
        return true;
    }
    uint32_t process = (uint32_t)run_eval(r, &st->arg[0].expr), min = 0, max = 0;
    ps_ws_op_t op = st->verb == SCN_EMPTYWORKINGSET ? PS_WS_EMPTY : st->verb == SCN_GETPROCESSWORKINGSETSIZE ? PS_WS_GET
                                                                                                          : PS_WS_SET;
    if (op == PS_WS_SET) {
        min = (uint32_t)run_eval(r, &st->arg[1].expr);
        max = (uint32_t)run_eval(r, &st->arg[2].expr);
    }
    ps_call_t c = ps_working_set(&r->be, op, process, &min, &max, &r->why);
    set_call(res, c);
    res->has |= SCN_HAS_RET;
    res->ret = c.error == 0;
    if (op == PS_WS_GET && !c.error) {
        res->has |= SCN_HAS_WSSIZE;
        res->ws_min = min;
        res->ws_max = max;
    }
    return true;
}

/* QueryWorkingSet's entries into r->watch: ADDR:PROTECTION:SHARED:COUNT. */
static bool format_entries(scn_runner_t *r, const mm_ws_entry_t *w, uint32_t n)
{
    char name[SCN_ADDR_STR];
    strbuf_clear(&r->watch);
    for (uint32_t i = 0; i < n; i++) {
        names_addr(r, w[i].va, name, sizeof name);
        strbuf_printf(&r->watch, "%s%s:%u:%u:%u", i ? " " : "", name, (unsigned)w[i].protection,
                      (unsigned)w[i].shared, (unsigned)w[i].share_count);
    }
    return !strbuf_failed(&r->watch);
}

bool run_query_working_set(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    uint32_t process = (uint32_t)run_eval(r, &st->arg[0].expr), count = (uint32_t)run_eval(r, &st->arg[1].expr);
    /* MSDN QueryWorkingSet asks for PROCESS_VM_READ too, but the call is
     * NtQueryVirtualMemory (MemoryWorkingSetList), which checks
     * PROCESS_QUERY_INFORMATION alone, as for GetProcessMemoryInfo. */
    mm_process_t *p;
    uint32_t e = mm_process_handle(mm_current(r->mm), process, PROCESS_QUERY_INFORMATION, &p, &r->why);
    mm_pmc_t pmc = { 0 };
    if (!e) mm_process_memory_info(p, &pmc, NULL);
    /* Room for no more than the working set holds: a count of 0xFFFFFFFF
     * costs no more than the pages there are. */
    uint32_t room = count < pmc.WorkingSetSize / X86_PAGE_SIZE ? count : pmc.WorkingSetSize / X86_PAGE_SIZE, total = 0;
    mm_ws_entry_t *w = ps_malloc(r->alloc, (room ? room : 1) * sizeof *w);
    if (!w) {
        scn_error_set(err, st->line, st->col, "out of memory");
        return false;
    }
    if (!e) e = mm_query_ws(p, w, room, &total, &r->why);
    bool ok = format_entries(r, w, e ? 0 : total);
    ps_free(r->alloc, w, (room ? room : 1) * sizeof *w);
    if (!ok) {
        scn_error_set(err, st->line, st->col, "out of memory");
        return false;
    }
    set_call(res, (ps_call_t){ e, false });
    res->has |= SCN_HAS_RET | SCN_HAS_WSLIST;
    res->ret = e == 0;
    res->count = total;
    res->addresses = strbuf_str(&r->watch);
    return true;
}
