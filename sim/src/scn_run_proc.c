/* Statements on other processes by handle: OpenProcess, which names the
 * process by the name the `process` statement gave it where Windows takes
 * its ID, and VirtualQueryEx. The handlers call the backend through its
 * checked wrappers, so the simulator and real Windows answer the same
 * statement; their rows are in scn_verbs.c. */
#include "scn_run_int.h"
#include <stdio.h>
#include <string.h>

bool run_open_process(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    char name[64]; /* under 64 bytes (scn_check_open_process) */
    uint32_t h;
    ps_call_t c = ps_open_process(&r->be, arg32(r, st, 0), arg32(r, st, 1) != 0, arg_str(r, st, 2, name, sizeof name),
                                  &h, &r->why);
    return handle_result(r, st, res, c, h, err);
}

bool run_virtual_query_ex(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)err;
    uint32_t process = arg32(r, st, 0), in = r->process;
    ps_call_t c = ps_virtual_query_ex(&r->be, process, arg32(r, st, 1), &res->mbi, &r->why);
    /* The simulator's handle names one of its processes, whose names the
     * MBI's addresses take; the host's is the process making the calls. */
    mm_process_t *target;
    if (!c.error && r->mm && !mm_process_handle(mm_current(r->mm), process, 0, &target, NULL))
        in = mm_process_id(target);
    query_result(r, res, c, in);
    return true;
}
