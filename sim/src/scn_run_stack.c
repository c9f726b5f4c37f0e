/* Statements on thread stacks, in the simulator only: thread (switch to or
 * create a thread, as CreateThread makes its stack), push and pop (move the
 * stack pointer, a push writing each page from the top down) and alloca (a
 * local array, probed a page at a time as _chkstk does). Each result carries
 * the current thread's stack as its TEB describes it. */
#include "pagesim/stack.h"
#include "scn_lex.h"
#include "scn_run_int.h"
#include <string.h>

/* The current thread's stack into res (its name in res->name). */
static void put_stack(scn_result_t *res, const mm_process_t *p)
{
    mm_thread_info_t t;
    if (!mm_thread_at(p, mm_thread_current(p), &t)) return;
    res->has |= SCN_HAS_STACK;
    res->name = t.name;
    res->stack_base = t.stack_base;
    res->stack_limit = t.stack_limit;
    res->dealloc_stack = t.deallocation_stack;
    res->guard = t.guard;
    res->esp = t.sp;
}

/* The current process, which must have a thread (not in an empty layout). */
static mm_process_t *with_thread(scn_runner_t *r, const scn_stmt_t *st, scn_error_t *err)
{
    mm_process_t *p = mm_current(r->mm);
    if (mm_thread_count(p)) return p;
    scn_error_set(err, st->line, st->col, "%s: process %s has no thread and no stack (config layout=empty)",
                  scn_verb(st->verb)->name, mm_process_name(p));
    return NULL;
}

static void put_exception(scn_runner_t *r, scn_result_t *res, const mm_access_t *acc)
{
    res->has |= SCN_HAS_EXC;
    res->exc.code = acc->exception;
    res->exc.access = acc->access;
    res->exc.addr = acc->fault_addr;
    names_addr(r, acc->fault_addr, res->exc_addr, sizeof res->exc_addr);
}

bool run_thread(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    mm_process_t *p = with_thread(r, st, err);
    if (!p) return false;
    const char *name = (const char *)scn_str(r->s, st->arg[0].str_off);
    uint32_t index;
    if (mm_thread_find(p, name, &index)) {
        if (st->arg[1].present) {
            scn_error_set(err, st->line, st->arg[1].col, "thread %s exists: a stack size is given only to create one",
                          name);
            return false;
        }
        mm_thread_switch(p, index);
        put_stack(res, p);
        return true;
    }
    uint32_t size = st->arg[1].present ? eval32(r, &st->arg[1].expr) : 0;
    uint32_t flags = st->arg[2].present ? eval32(r, &st->arg[2].expr) : 0;
    uint32_t e = mm_thread_create(p, name, size, flags, &r->why);
    if (mm_host_oom(r->mm)) {
        scn_error_set(err, st->line, st->col, "out of memory");
        return false;
    }
    res->has |= SCN_HAS_OK;
    res->ok = e == 0;
    res->error = e;
    if (e) return true;
    res->created = true;
    mm_thread_find(p, name, &index);
    mm_thread_switch(p, index);
    put_stack(res, p);
    return true;
}

bool run_push_pop(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    mm_process_t *p = with_thread(r, st, err);
    if (!p) return false;
    uint32_t size = eval32(r, &st->arg[0].expr);
    if (st->verb == SCN_POP) {
        if (!mm_stack_free(p, size, &r->why)) {
            scn_error_set(err, st->line, st->arg[0].col, "pop %u: %s", size, strbuf_str(&r->why));
            return false;
        }
    } else {
        uint32_t addr;
        mm_access_t acc = { .why = &r->why };
        if (!mm_stack_alloc(p, size, 1, &addr, &acc)) {
            if (acc.host_oom) {
                scn_error_set(err, st->line, st->col, "out of memory");
                return false;
            }
            put_exception(r, res, &acc);
        }
    }
    put_stack(res, p);
    return true;
}

bool run_alloca(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    mm_process_t *p = with_thread(r, st, err);
    if (!p) return false;
    uint32_t addr = 0;
    mm_access_t acc = { .why = &r->why };
    if (!mm_stack_alloc(p, eval32(r, &st->arg[0].expr), 4, &addr, &acc)) {
        if (acc.host_oom) {
            scn_error_set(err, st->line, st->col, "out of memory");
            return false;
        }
        put_exception(r, res, &acc);
    }
    if (st->bind >= 0) r->values[st->bind] = addr;
    res->has |= SCN_HAS_RET | SCN_HAS_ADDR;
    res->ret = addr;
    names_addr(r, addr, res->ret_str, sizeof res->ret_str);
    put_stack(res, p);
    return true;
}
