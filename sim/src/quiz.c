/* Which questions a statement gets, and their answers. The statement runs
 * on a copy of the machine with the memory manager's page-table hook
 * watching, and the rules read what it did, never its name:
 *   - a walk in its result: the walk's questions (quiz_walk.c);
 *   - a value read (a row with SCN_R_VALUE): the value;
 *   - TLB entries invalidated: how many;
 *   - a call (ok/error in its result): whether it succeeds, GetLastError,
 *     the address it returns when it was asked for one, the old protection,
 *     what VirtualQuery says of the region (its own result, or a query on
 *     the copy afterwards), the commit charge afterwards;
 *   - an access (a row that may raise an exception or resolve a fault):
 *     the exception, how many pages became resident, which page left
 *     memory first (none when none did).
 * So a statement added to the table later gets questions by these rules. */
#include "mem.h"
#include "pagesim/mm.h"
#include "pagesim/winconst.h"
#include "pagesim/winsdk.h"
#include "pagesim/x86.h"
#include "quiz_int.h"
#include "scn_run_int.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

quiz_question_t *qz_add(quiz_set_t *s, const char *id, quiz_type_t t, uint32_t answer, const char *explain,
                        const char *fmt, ...)
{
    if (s->n >= QUIZ_MAX) return NULL;
    quiz_question_t *q = &s->q[s->n++];
    memset(q, 0, sizeof *q);
    q->id = id;
    q->type = t;
    q->linear = t == QUIZ_PAGE;
    q->answer = answer;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(q->text, sizeof q->text, fmt, ap);
    va_end(ap);
    qz_format(t, answer, q->shown, sizeof q->shown);
    snprintf(q->explain, sizeof q->explain, "%s", explain ? explain : "");
    return q;
}

/* What the page-table hook saw while the statement ran: user pages made
 * present and pages that left memory (the first of them). */
typedef struct watch {
    uint32_t user_high;
    uint32_t resident, evicted, first_evicted;
} watch_t;

static void on_pte(void *ud, const mm_process_t *p, uint32_t va, uint32_t old_pte, uint32_t new_pte)
{
    (void)p;
    watch_t *w = ud;
    if (va > w->user_high) return;
    bool was = (old_pte & X86_P) != 0, is = (new_pte & X86_P) != 0;
    if (!was && is) w->resident++;
    if (was && !is) {
        if (!w->evicted) w->first_evicted = va & ~0xFFFu;
        w->evicted++;
    }
}

/* The address the statement names (its addr or base argument), read
 * before it runs; false when it names none. */
static bool named_address(const scn_runner_t *r, uint32_t *addr)
{
    const scn_stmt_t *st = &r->s->stmt[r->pc];
    const scn_row_t *row = scn_row(st->verb);
    for (unsigned i = 0; i < row->syntax.nparams && i < st->nargs; i++) {
        const scn_param_t *p = &row->syntax.params[i];
        if (p->kind != PK_EXPR || !st->arg[i].present) continue;
        if (strcmp(p->name, "addr") == 0 || strcmp(p->name, "base") == 0) {
            *addr = eval32(r, &st->arg[i].expr);
            return true;
        }
    }
    return false;
}

/* VirtualQuery's State, Protect (of committed memory) and RegionSize. */
static void region(quiz_set_t *s, const mm_mbi_t *m, uint32_t addr, const char *when, const char *why)
{
    qz_add(s, "state", QUIZ_STATE, m->State, why, "%s, what State does VirtualQuery(0x%08X) report?", when,
           (unsigned)addr);
    if (m->State == MEM_COMMIT) qz_add(s, "protect", QUIZ_PROTECT, m->Protect, why, "... and Protect?");
    qz_add(s, "region_size", QUIZ_NUMBER, m->RegionSize, why, "... and RegionSize (bytes from 0x%08X)?",
           (unsigned)m->BaseAddress);
}

/* A call's questions (the result has ok/error). */
static void call(quiz_set_t *s, const scn_result_t *res, mm_t *mm, bool named, uint32_t addr,
                 const mm_stats_t *before)
{
    const char *why = res->why ? res->why : "";
    qz_add(s, "ok", QUIZ_BOOL, res->ok, why, "Does %s succeed?", res->op);
    if (!res->ok) {
        qz_add(s, "error", QUIZ_ERROR, res->error, why, "What does GetLastError return?");
        return;
    }
    if ((res->has & SCN_HAS_ADDR) && named && addr) {
        quiz_question_t *q = qz_add(s, "ret", QUIZ_ADDRESS, res->ret, why, "What address does it return?");
        if (q) q->linear = true;
    }
    if (res->has & SCN_HAS_OLD) qz_add(s, "old_protect", QUIZ_PROTECT, res->old, why, "What old protection does it report?");
    if (res->has & SCN_HAS_MBI) {
        region(s, &res->mbi, addr, "Then", why);
    } else if (mm) {
        uint32_t at = (res->has & SCN_HAS_ADDR) ? res->ret : addr;
        mm_mbi_t m;
        if ((named || (res->has & SCN_HAS_ADDR)) && mm_virtual_query(mm_current(mm), at, &m, NULL) == 0)
            region(s, &m, at, "Afterwards", why);
    }
    if (mm) {
        mm_stats_t after;
        mm_stats(mm_current(mm), &after);
        qz_add(s, "commit_charge", QUIZ_NUMBER, (uint32_t)after.commit_charge, NULL,
               "The commit charge was 0x%X bytes; what is it afterwards?", (unsigned)before->commit_charge);
    }
}

/* An access's questions. */
static void access(quiz_set_t *s, const scn_result_t *res, const scn_row_t *row, bool process, const watch_t *w)
{
    const char *why = res->why ? res->why : "";
    if (row->results & SCN_R_EXCEPTION) {
        uint32_t code = (res->has & SCN_HAS_EXC) ? res->exc.code : 0;
        qz_add(s, "exception", QUIZ_EXCEPTION, code, why, "Which exception does it raise (none if it raises none)?");
    }
    if (!process) return;
    qz_add(s, "resident", QUIZ_NUMBER, w->resident, NULL, "How many pages become resident (PTE made valid)?");
    char why_evicted[96] = "no page left memory";
    if (w->evicted)
        snprintf(why_evicted, sizeof why_evicted, "%u page%s left memory, 0x%08X first", (unsigned)w->evicted,
                 w->evicted == 1 ? "" : "s", (unsigned)w->first_evicted);
    qz_add(s, "evicted_page", QUIZ_PAGE, w->evicted ? w->first_evicted : 0, why_evicted,
           "Which page does the policy evict first (none if none)?");
}

/* The rules, on the result of the statement the copy just ran. */
static void rules(quiz_set_t *s, const scn_result_t *res, mm_t *mm, bool named, uint32_t addr, const watch_t *w,
                  const mm_stats_t *before)
{
    const scn_row_t *row = scn_row(res->verb);
    if (res->has & SCN_HAS_SKIPPED) return;
    if (res->has & SCN_HAS_WALK)
        qz_walk(s, &res->walk, mm != NULL, (res->has & SCN_HAS_RESOLVED) ? (int)res->resolved : 0);
    if ((row->results & SCN_R_VALUE) && (res->has & SCN_HAS_VALUE))
        qz_add(s, "value", QUIZ_ADDRESS, res->value, NULL, "What 32-bit value does it read at 0x%08X?",
               (unsigned)res->paddr);
    if (res->has & SCN_HAS_INVAL)
        qz_add(s, "invalidated", QUIZ_NUMBER, res->invalidated, NULL, "How many TLB entries does it remove?");
    if (res->has & SCN_HAS_OK) call(s, res, mm, named, addr, before);
    if (row->results & (SCN_R_EXCEPTION | SCN_R_RESOLVED)) access(s, res, row, mm != NULL, w);
}

ps_result_t quiz_ask(const scn_runner_t *r, quiz_set_t *out)
{
    memset(out, 0, sizeof *out);
    if (r->pc >= r->s->nstmt) return PS_ESTATE;
    if (r->be.ops != ps_backend_sim()) return PS_ESTATE;
    scn_runner_t *copy = scn_runner_clone(r);
    if (!copy) return PS_ENOMEM;
    out->index = copy->pc;
    out->line = copy->s->stmt[copy->pc].line;
    scn_runner_prepare(copy);
    uint32_t addr = 0;
    bool named = named_address(copy, &addr);
    watch_t w = { 0, 0, 0, 0 };
    mm_stats_t before;
    memset(&before, 0, sizeof before);
    mm_t *mm = scn_runner_mm(copy);
    if (mm) {
        w.user_high = mm_user_high(mm);
        mm_hooks_t h = { on_pte, &w };
        mm_set_hooks(mm, &h);
        mm_stats(mm_current(mm), &before);
    }
    scn_result_t res;
    scn_error_t err;
    ps_result_t rc = PS_ESTATE;
    scn_step_t step = scn_step(copy, &res, &err);
    if (step == SCN_STEP_OK) {
        rc = PS_OK;
        rules(out, &res, scn_runner_mm(copy), named, addr, &w, &before);
    } else if (step == SCN_STEP_ERROR && strcmp(err.msg, "out of memory") == 0) {
        rc = PS_ENOMEM;
    }
    if (mm) mm_set_hooks(mm, NULL);
    scn_runner_free(copy);
    return rc;
}
