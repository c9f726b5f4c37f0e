/* Statements of the working set: GetCurrentProcess (its pseudo-handle),
 * SetProcessWorkingSetSize, GetProcessWorkingSetSize and EmptyWorkingSet.
 * The handler is named in their rows of the statement table (scn_verbs.c)
 * and calls the backend through its checked wrapper, so the simulator and
 * real Windows answer the same statement. */
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
