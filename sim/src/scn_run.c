/* The scenario runner: executes parsed statements one at a time against the
 * simulated machine and describes each outcome as an scn_result_t. */
#include "mem.h"
#include "scn_check.h"
#include "scn_int.h"
#include "scn_lex.h"
#include "scn_run_int.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static ps_result_t runner_new(const ps_alloc_t *a, const scn_script_t *s, const ps_backend_ops_t *ops, void *ctx,
                              scn_runner_t **out)
{
    *out = NULL;
    if (!a) a = ps_default_alloc();
    if (!ops || ops->version != PS_BACKEND_VERSION) return PS_EINVAL;
    scn_runner_t *r = ps_calloc(a, sizeof *r);
    if (!r) return PS_ENOMEM;
    r->alloc = a;
    r->s = s;
    r->be.ops = ops;
    r->be.ctx = ctx;
    mm_config_default(&r->cfg);
    strbuf_init(&r->why, a);
    strbuf_init(&r->text, a);
    strbuf_init(&r->watch, a);
    names_init(r);
    r->values = ps_calloc(a, (s->nnames + 1) * sizeof *r->values);
    r->stack = ps_calloc(a, (s->max_depth + 1) * sizeof *r->stack);
    if (!r->values || !r->stack) {
        scn_runner_free(r);
        return PS_ENOMEM;
    }
    *out = r;
    return PS_OK;
}

ps_result_t scn_runner_new(const ps_alloc_t *a, const scn_script_t *s, scn_runner_t **out)
{
    return runner_new(a, s, ps_backend_sim(), NULL, out);
}

ps_result_t scn_runner_new_backend(const ps_alloc_t *a, const scn_script_t *s, const ps_backend_ops_t *ops,
                                   void *ctx, scn_runner_t **out)
{
    return runner_new(a, s, ops, ctx, out);
}

void scn_runner_free(scn_runner_t *r)
{
    if (!r) return;
    if (r->mm) mm_free(r->mm);
    else mmu_free(r->mmu);
    ps_free(r->alloc, r->values, (r->s->nnames + 1) * sizeof *r->values);
    ps_free(r->alloc, r->stack, (r->s->max_depth + 1) * sizeof *r->stack);
    names_fini(r);
    ps_free(r->alloc, r->bytes, r->capbytes);
    strbuf_fini(&r->why);
    strbuf_fini(&r->text);
    strbuf_fini(&r->watch);
    ps_free(r->alloc, r, sizeof *r);
}

scn_runner_t *scn_runner_clone(const scn_runner_t *r)
{
    if (!r->be.ops->simulated) return NULL;
    scn_runner_t *c;
    if (runner_new(r->alloc, r->s, r->be.ops, NULL, &c) != PS_OK) return NULL;
    c->pc = r->pc;
    c->cfg = r->cfg;
    c->cr3_loaded = r->cr3_loaded;
    c->process = r->process;
    c->next_alloc = r->next_alloc;
    c->next_handle = r->next_handle;
    c->failed_expects = r->failed_expects;
    c->last = r->last;
    memcpy(c->values, r->values, (r->s->nnames + 1) * sizeof *c->values);
    bool ok = true;
    if (r->mm) {
        c->mm = mm_clone(r->mm);
        ok = c->mm != NULL;
        if (ok) {
            c->mmu = mm_mmu(c->mm);
            c->be.ctx = c->mm;
            mm_set_namer(c->mm, names_for_tag, c);
        }
    } else if (r->mmu) {
        c->mmu = mmu_clone(r->mmu);
        ok = c->mmu != NULL;
    }
    if (ok) ok = names_copy(c, r);
    if (ok && r->last.bytes && r->last.nbytes) {
        ok = (c->bytes = ps_malloc(c->alloc, r->last.nbytes)) != NULL;
        if (ok) {
            c->capbytes = r->last.nbytes;
            memcpy(c->bytes, r->last.bytes, r->last.nbytes);
            c->last.bytes = c->bytes;
        }
    }
    c->last.why = NULL;
    c->last.text = NULL;
    if (r->last.addresses) {
        strbuf_puts(&c->watch, r->last.addresses);
        ok = ok && !strbuf_failed(&c->watch);
        c->last.addresses = strbuf_str(&c->watch);
    }
    if (!ok) {
        scn_runner_free(c);
        return NULL;
    }
    return c;
}

bool scn_runner_check(const scn_runner_t *r, char *msg, size_t n)
{
    if (n) msg[0] = 0;
    return !r->mm || mm_check(r->mm, msg, n);
}

uint32_t scn_runner_failed_expects(const scn_runner_t *r) { return r->failed_expects; }
size_t scn_runner_position(const scn_runner_t *r) { return r->pc; }
mmu_t *scn_runner_mmu(scn_runner_t *r) { return r->mmu; }
mm_t *scn_runner_mm(scn_runner_t *r) { return r->mm; }

/* Expressions: 64-bit wrapping arithmetic; callers that need 32 bits take
 * the low half, which equals 32-bit wrapping arithmetic for + - * and |. */
uint64_t run_eval(const scn_runner_t *r, const scn_expr_t *e)
{
    uint64_t v = 0;
    (void)scn_eval(r->s, e, r->values, r->stack, &v);
    return v;
}

uint32_t eval32(const scn_runner_t *r, const scn_expr_t *e)
{
    return (uint32_t)run_eval(r, e);
}

static const scn_arg_t *keyval(const scn_stmt_t *st, int key)
{
    for (unsigned k = 0; k < st->nargs; k++)
        if (st->arg[k].key == key) return &st->arg[k];
    return NULL;
}

/* Statement handlers: each fills res, or fills err and returns false. */

bool run_machine(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    const scn_arg_t *ram = keyval(st, 0), *tlb = keyval(st, 1);
    uint64_t size = run_eval(r, &ram->expr);
    uint64_t entries = tlb ? run_eval(r, &tlb->expr) : MMU_TLB_DEFAULT;
    mmu_config_t cfg = { size, (uint32_t)entries };
    if (mmu_new(r->alloc, &cfg, &r->mmu) != PS_OK) {
        scn_error_set(err, st->line, st->col, "out of memory");
        return false;
    }
    res->has |= SCN_HAS_MACHINE;
    res->ram = size;
    res->tlb_entries = (uint32_t)entries;
    return true;
}

bool run_register(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)err;
    uint32_t v = eval32(r, &st->arg[0].expr);
    uint32_t before = mmu_tlb_count(r->mmu);
    if (st->verb == SCN_CR3) {
        mmu_set_cr3(r->mmu, v);
        r->cr3_loaded = true;
        res->reg_value = v;
    } else {
        if (st->verb == SCN_CR0_WP) {
            uint32_t cr0 = mmu_cr0(r->mmu);
            mmu_set_cr0(r->mmu, v ? cr0 | X86_CR0_WP : cr0 & ~X86_CR0_WP);
        } else {
            uint32_t bit = st->verb == SCN_CR4_PSE ? X86_CR4_PSE : X86_CR4_PGE;
            uint32_t cr4 = mmu_cr4(r->mmu);
            mmu_set_cr4(r->mmu, v ? cr4 | bit : cr4 & ~bit);
        }
        res->reg_value = v;
    }
    res->has |= SCN_HAS_REG | SCN_HAS_INVAL;
    res->invalidated = before - mmu_tlb_count(r->mmu);
    return true;
}

bool run_poke_peek(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    uint32_t addr = eval32(r, &st->arg[0].expr);
    res->has |= SCN_HAS_VALUE;
    res->paddr = addr;
    if (st->verb == SCN_POKE32) {
        res->value = eval32(r, &st->arg[1].expr);
        if (phys_write32(mmu_phys(r->mmu), addr, res->value) != PS_OK) {
            scn_error_set(err, st->line, st->col, "out of memory");
            return false;
        }
    } else {
        res->value = phys_read32(mmu_phys_const(r->mmu), addr);
        res->has |= SCN_HAS_RET;
        res->ret = res->value;
    }
    return true;
}

bool run_tlb(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)err;
    uint32_t before = mmu_tlb_count(r->mmu);
    if (st->verb == SCN_INVLPG) mmu_invlpg(r->mmu, eval32(r, &st->arg[0].expr));
    else mmu_flush_tlb(r->mmu, true);
    res->has |= SCN_HAS_INVAL;
    res->invalidated = before - mmu_tlb_count(r->mmu);
    return true;
}

/* translate on a bare machine: the walk alone (in a process, the memory
 * manager resolves a fault too: run_process_translate). */
bool run_translate(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    if (r->mm) return run_process_translate(r, st, res, err);
    uint32_t va = eval32(r, &st->arg[0].expr);
    mmu_access_t acc = st->arg[1].present ? (mmu_access_t)st->arg[1].keyword : MMU_READ;
    mmu_mode_t mode = st->arg[2].present ? (st->arg[2].keyword ? MMU_KERNEL : MMU_USER) : MMU_USER;
    mmu_translate(r->mmu, va, acc, mode, &res->walk);
    res->has |= SCN_HAS_WALK;
    return true;
}

bool run_stats(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)st;
    (void)err;
    res->has |= SCN_HAS_STATS;
    res->stats = *mmu_stats(r->mmu);
    if (r->mm) {
        res->has |= SCN_HAS_MMSTATS;
        mm_stats(mm_current(r->mm), &res->mm_stats);
    }
    return true;
}

/* A Windows machine: config, process, and the machine made on demand. */

/* config: its values were checked (scn_check) before it runs. */
bool run_config(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)res;
    (void)err;
    mm_config_t *c = &r->cfg;
    for (unsigned k = 0; k < st->nargs; k++) {
        const scn_arg_t *a = &st->arg[k];
        bool word = a->key == SCN_CONFIG_POLICY || a->key == SCN_CONFIG_LAYOUT || a->key == SCN_CONFIG_COMPARE ||
                    a->key == SCN_CONFIG_LOCKPAGES;
        uint64_t v = word ? 0 : run_eval(r, &a->expr);
        switch (a->key) {
        case SCN_CONFIG_RAM: c->ram = v; break;
        case SCN_CONFIG_PAGEFILE: c->pagefile = v; break;
        case SCN_CONFIG_TLB: c->tlb = (uint32_t)v; break;
        case SCN_CONFIG_POLICY: c->policy = (mm_policy_t)a->keyword; break;
        case SCN_CONFIG_LAYOUT: c->layout_empty = a->keyword == 0; break;
        case SCN_CONFIG_SPLIT: c->split_3g = v == (3ull << 30); break;
        case SCN_CONFIG_WSMAX: c->ws_max = (uint32_t)v; break;
        case SCN_CONFIG_STACKRESERVE: c->stack_reserve = (uint32_t)v; break;
        case SCN_CONFIG_STACKCOMMIT: c->stack_commit = (uint32_t)v; break;
        case SCN_CONFIG_LOCKPAGES: c->lock_pages = a->keyword == 0; break;
        }
    }
    return true;
}

static bool ensure_machine(scn_runner_t *r, const scn_stmt_t *st, scn_error_t *err)
{
    if (r->s->bare || r->mm || !r->be.ops->simulated) return true;
    ps_result_t pr = mm_new(r->alloc, &r->cfg, &r->mm);
    if (pr != PS_OK) {
        scn_error_set(err, st->line, st->col, "%s", pr == PS_ENOMEM ? "out of memory" : "the configured machine is invalid");
        return false;
    }
    r->mmu = mm_mmu(r->mm);
    r->be.ctx = r->mm;
    r->cr3_loaded = true;
    mm_set_namer(r->mm, names_for_tag, r);
    return true;
}

bool scn_runner_prepare(scn_runner_t *r)
{
    if (r->pc >= r->s->nstmt || r->s->stmt[r->pc].verb == SCN_CONFIG) return true;
    scn_error_t err;
    return ensure_machine(r, &r->s->stmt[r->pc], &err);
}

bool run_process(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    const char *name = (const char *)scn_str(r->s, st->arg[0].str_off);
    res->has |= SCN_HAS_PROCESS;
    res->name = name;
    mm_process_t *p = mm_process_find(r->mm, name);
    if (!p) {
        ps_result_t pr = mm_process_create(r->mm, name, &r->why, &p);
        if (pr == PS_ESTATE) {
            /* The simulated machine is full: CreateProcess would fail. */
            res->has |= SCN_HAS_OK;
            res->ok = false;
            res->error = 8; /* ERROR_NOT_ENOUGH_MEMORY */
            return true;
        }
        if (pr != PS_OK) {
            scn_error_set(err, st->line, st->arg[0].col, "process %s: %s", name,
                          pr == PS_ENOMEM ? "out of memory" : "too many processes (65,534 at most)");
            return false;
        }
        res->created = true;
    }
    mm_switch(r->mm, p);
    r->process = mm_process_id(p);
    return true;
}

scn_step_t scn_step(scn_runner_t *r, scn_result_t *res, scn_error_t *err)
{
    memset(res, 0, sizeof *res);
    memset(err, 0, sizeof *err);
    strbuf_clear(&r->why);
    strbuf_clear(&r->text);
    if (r->pc >= r->s->nstmt) return SCN_STEP_END;
    const scn_stmt_t *st = &r->s->stmt[r->pc];
    const scn_verb_t *v = scn_verb(st->verb);
    res->verb = st->verb;
    res->op = v->name;
    res->line = st->line;
    res->index = r->pc;
    scn_check_ctx_t check = { r->s, r->values, r->stack, r->s->bare && r->mmu ? phys_size(mmu_phys_const(r->mmu)) : 0,
                              r->cr3_loaded, r->cfg.layout_empty };
    bool simulated = r->be.ops->simulated;
    bool ok = true;
    if (st->verb == SCN_EXPECT && (r->last.has & SCN_HAS_SKIPPED)) {
        res->has |= SCN_HAS_SKIPPED;
        res->skipped = "checks a skipped statement";
    } else if (!simulated && !(v->on & SCN_ON_WIN32)) {
        res->has |= SCN_HAS_SKIPPED;
        bool stack = st->verb == SCN_THREAD || st->verb == SCN_PUSH || st->verb == SCN_POP || st->verb == SCN_ALLOCA;
        res->skipped = stack ? "simulator only: the stack a real thread runs on is its own program's, which a "
                               "scenario cannot move"
                             : "simulator only";
    } else {
        /* The values known only now are checked, then the machine is made
         * when the configuration is complete, then the row's handler. */
        bool needs_machine = st->verb != SCN_EXPECT && st->verb != SCN_CONFIG;
        ok = (st->verb == SCN_EXPECT || scn_check(&check, st, err)) && (!needs_machine || ensure_machine(r, st, err)) &&
             scn_row(st->verb)->run(r, st, res, err);
    }
    if (ok && r->mm && mm_host_oom(r->mm)) {
        scn_error_set(err, st->line, st->col, "out of memory");
        ok = false;
    }
    if (!ok) return SCN_STEP_ERROR;
    if (r->mm) mm_explain_end(&r->why);
    if (r->why.len) {
        res->why = strbuf_str(&r->why);
    }
    if (r->text.len) {
        res->has |= SCN_HAS_TEXT;
        res->text = strbuf_str(&r->text);
    }
    if (strbuf_failed(&r->why) || strbuf_failed(&r->text)) {
        scn_error_set(err, st->line, st->col, "out of memory");
        return SCN_STEP_ERROR;
    }
    if (st->verb != SCN_EXPECT) r->last = *res;
    r->pc++;
    return SCN_STEP_OK;
}
