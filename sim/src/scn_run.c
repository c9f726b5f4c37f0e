/* The scenario runner: executes parsed statements one at a time against the
 * simulated machine and describes each outcome as an scn_result_t. */
#include "mem.h"
#include "scn_int.h"
#include "scn_lex.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct scn_runner {
    const ps_alloc_t *alloc;
    const scn_script_t *s;
    size_t pc;
    mmu_t *mmu;
    bool cr3_loaded;
    uint64_t *values;          /* per name slot                               */
    uint64_t *stack;           /* expression evaluation                       */
    scn_result_t last;         /* the last statement expect may check         */
    uint32_t failed_expects;
};

ps_result_t scn_runner_new(const ps_alloc_t *a, const scn_script_t *s, scn_runner_t **out)
{
    *out = NULL;
    if (!a) a = ps_default_alloc();
    scn_runner_t *r = ps_calloc(a, sizeof *r);
    if (!r) return PS_ENOMEM;
    r->alloc = a;
    r->s = s;
    r->values = ps_calloc(a, (s->nnames + 1) * sizeof *r->values);
    r->stack = ps_calloc(a, (s->max_depth + 1) * sizeof *r->stack);
    if (!r->values || !r->stack) {
        scn_runner_free(r);
        return PS_ENOMEM;
    }
    *out = r;
    return PS_OK;
}

void scn_runner_free(scn_runner_t *r)
{
    if (!r) return;
    mmu_free(r->mmu);
    ps_free(r->alloc, r->values, (r->s->nnames + 1) * sizeof *r->values);
    ps_free(r->alloc, r->stack, (r->s->max_depth + 1) * sizeof *r->stack);
    ps_free(r->alloc, r, sizeof *r);
}

uint32_t scn_runner_failed_expects(const scn_runner_t *r) { return r->failed_expects; }
size_t scn_runner_position(const scn_runner_t *r) { return r->pc; }
mmu_t *scn_runner_mmu(scn_runner_t *r) { return r->mmu; }

/* Expressions: 64-bit wrapping arithmetic; callers that need 32 bits take
 * the low half, which equals 32-bit wrapping arithmetic for + - * and |. */
static uint64_t eval(const scn_runner_t *r, const scn_expr_t *e)
{
    uint32_t sp = 0;
    for (uint32_t k = e->first; k < e->first + e->count; k++) {
        const expr_op_t *op = &r->s->ops[k];
        switch (op->kind) {
        case OP_NUM: r->stack[sp++] = op->num; break;
        case OP_NAME: r->stack[sp++] = r->values[op->slot]; break;
        case OP_ADD: sp--; r->stack[sp - 1] += r->stack[sp]; break;
        case OP_SUB: sp--; r->stack[sp - 1] -= r->stack[sp]; break;
        case OP_MUL: sp--; r->stack[sp - 1] *= r->stack[sp]; break;
        case OP_OR: sp--; r->stack[sp - 1] |= r->stack[sp]; break;
        }
    }
    return r->stack[0];
}

static uint32_t eval32(const scn_runner_t *r, const scn_expr_t *e)
{
    return (uint32_t)eval(r, e);
}

static const scn_arg_t *keyval(const scn_stmt_t *st, int key)
{
    for (unsigned k = 0; k < st->nargs; k++)
        if (st->arg[k].key == key) return &st->arg[k];
    return NULL;
}

/* Statement handlers: each fills res, or fills err and returns false. */

static bool run_machine(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    const scn_arg_t *ram = keyval(st, 0), *tlb = keyval(st, 1);
    uint64_t size = eval(r, &ram->expr);
    uint64_t entries = tlb ? eval(r, &tlb->expr) : MMU_TLB_DEFAULT;
    if (size == 0 || size > PHYS_MAX_SIZE || size % X86_PAGE_SIZE) {
        scn_error_set(err, st->line, ram->col,
                      "machine bare: ram=%" PRIu64 " must be a multiple of 4K between 4K and 4G", size);
        return false;
    }
    if (entries > MMU_TLB_MAX) {
        scn_error_set(err, st->line, tlb->col, "machine bare: tlb=%" PRIu64 " is more than %u entries", entries,
                      MMU_TLB_MAX);
        return false;
    }
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

static bool check_phys(const scn_runner_t *r, const scn_stmt_t *st, uint32_t addr, scn_error_t *err)
{
    const phys_t *ph = mmu_phys_const(r->mmu);
    if (phys_contains(ph, addr, 4)) return true;
    scn_error_set(err, st->line, st->arg[0].col,
                  "%s 0x%08" PRIX32 ": outside physical memory (ram=0x%" PRIX64 ": the last word starts at 0x%08" PRIX64
                  ")",
                  scn_verbs()[st->verb].name, addr, phys_size(ph), phys_size(ph) - 4);
    return false;
}

static bool run_register(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    uint32_t v = eval32(r, &st->arg[0].expr);
    uint32_t before = mmu_tlb_count(r->mmu);
    if (st->verb == SCN_CR3) {
        uint64_t dir = v & X86_CR3_BASE;
        if (!phys_contains(mmu_phys_const(r->mmu), dir, X86_PAGE_SIZE)) {
            scn_error_set(err, st->line, st->arg[0].col,
                          "cr3 = 0x%08" PRIX32 ": the page directory would lie outside physical memory (ram=0x%" PRIX64
                          ")", v, phys_size(mmu_phys_const(r->mmu)));
            return false;
        }
        mmu_set_cr3(r->mmu, v);
        r->cr3_loaded = true;
        res->reg_value = v;
    } else {
        if (v > 1) {
            scn_error_set(err, st->line, st->arg[0].col, "%s takes 0 or 1, not %" PRIu32, scn_verbs()[st->verb].name, v);
            return false;
        }
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

static bool run_poke_peek(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    uint32_t addr = eval32(r, &st->arg[0].expr);
    if (!check_phys(r, st, addr, err)) return false;
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

static bool run_tlb(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res)
{
    uint32_t before = mmu_tlb_count(r->mmu);
    if (st->verb == SCN_INVLPG) mmu_invlpg(r->mmu, eval32(r, &st->arg[0].expr));
    else mmu_flush_tlb(r->mmu, true);
    res->has |= SCN_HAS_INVAL;
    res->invalidated = before - mmu_tlb_count(r->mmu);
    return true;
}

static bool run_translate(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    if (!r->cr3_loaded) {
        scn_error_set(err, st->line, st->col,
                      "translate before cr3 =: load CR3 with the page directory's physical address first");
        return false;
    }
    uint32_t va = eval32(r, &st->arg[0].expr);
    mmu_access_t acc = st->arg[1].present ? (mmu_access_t)st->arg[1].keyword : MMU_READ;
    mmu_mode_t mode = st->arg[2].present ? (st->arg[2].keyword ? MMU_KERNEL : MMU_USER) : MMU_USER;
    mmu_translate(r->mmu, va, acc, mode, &res->walk);
    res->has |= SCN_HAS_WALK;
    return true;
}

/* expect. */

static void show_hex(char *buf, size_t n, uint64_t v)
{
    snprintf(buf, n, "0x%08" PRIX64, v);
}

static void run_expect(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res)
{
    const scn_result_t *prev = &r->last;
    const scn_arg_t *a = &st->arg[0];
    bool is_none = false, has_actual = true;
    uint64_t actual = 0;
    const char *actual_str = NULL;
    switch (st->lhs) {
    case LHS_RET: actual = prev->ret; break;
    case LHS_VALUE: actual = prev->value; break;
    case LHS_PHYS:
        is_none = prev->walk.reason != MMU_OK;
        actual = prev->walk.phys;
        break;
    case LHS_FAULT:
        is_none = prev->walk.reason == MMU_OK;
        actual = prev->walk.error_code;
        break;
    case LHS_PDE: actual = prev->walk.level[0].value; break;
    case LHS_PTE:
        is_none = prev->walk.nlevels < 2;
        actual = prev->walk.level[1].value;
        break;
    case LHS_TLB: actual_str = mmu_tlb_use_str(prev->walk.tlb); break;
    case LHS_STATS: actual = scn_stats_value(&prev->stats, (unsigned)st->stats_field); break;
    default: has_actual = false; break; /* results of the memory manager */
    }
    bool ok;
    if (!has_actual) {
        ok = false;
        snprintf(res->actual, sizeof res->actual, "unavailable");
    } else if (actual_str) {
        ok = a->str_len == strlen(actual_str) && memcmp(r->s->strs + a->str_off, actual_str, a->str_len) == 0;
        snprintf(res->actual, sizeof res->actual, "%s", actual_str);
    } else if (st->rhs == RHS_NONE) {
        ok = is_none;
    } else {
        uint64_t want = eval(r, &a->expr);
        bool wide = st->lhs == LHS_STATS;
        ok = !is_none && (wide ? actual == want : (uint32_t)actual == (uint32_t)want);
    }
    if (!actual_str) {
        if (is_none) snprintf(res->actual, sizeof res->actual, "none");
        else if (st->lhs == LHS_STATS || st->lhs == LHS_FAULT) snprintf(res->actual, sizeof res->actual, "%" PRIu64, actual);
        else show_hex(res->actual, sizeof res->actual, actual);
    }
    if (st->rhs == RHS_NONE) snprintf(res->expected, sizeof res->expected, "none");
    else if (st->rhs == RHS_STRING) snprintf(res->expected, sizeof res->expected, "\"%.*s\"", (int)(a->str_len < 60 ? a->str_len : 60), (const char *)r->s->strs + a->str_off);
    else if (st->lhs == LHS_STATS || st->lhs == LHS_FAULT) snprintf(res->expected, sizeof res->expected, "%" PRIu64, eval(r, &a->expr));
    else show_hex(res->expected, sizeof res->expected, (uint32_t)eval(r, &a->expr));
    res->has |= SCN_HAS_EXPECT;
    res->expect_ok = ok;
    if (!ok) r->failed_expects++;
}

scn_step_t scn_step(scn_runner_t *r, scn_result_t *res, scn_error_t *err)
{
    memset(res, 0, sizeof *res);
    memset(err, 0, sizeof *err);
    if (r->pc >= r->s->nstmt) return SCN_STEP_END;
    const scn_stmt_t *st = &r->s->stmt[r->pc];
    res->verb = st->verb;
    res->op = scn_verbs()[st->verb].name;
    res->line = st->line;
    res->index = r->pc;
    bool ok = true;
    switch (st->verb) {
    case SCN_MACHINE: ok = run_machine(r, st, res, err); break;
    case SCN_CR3: case SCN_CR0_WP: case SCN_CR4_PSE: case SCN_CR4_PGE: ok = run_register(r, st, res, err); break;
    case SCN_POKE32: case SCN_PEEK32: ok = run_poke_peek(r, st, res, err); break;
    case SCN_INVLPG: case SCN_FLUSH: ok = run_tlb(r, st, res); break;
    case SCN_TRANSLATE: ok = run_translate(r, st, res, err); break;
    case SCN_STATS:
        res->has |= SCN_HAS_STATS;
        res->stats = *mmu_stats(r->mmu);
        break;
    case SCN_EXPECT: run_expect(r, st, res); break;
    default:
        /* The parser refuses the memory-manager statements for now. */
        scn_error_set(err, st->line, st->col, "%s needs a Windows process", res->op);
        ok = false;
        break;
    }
    if (!ok) return SCN_STEP_ERROR;
    if (st->verb != SCN_EXPECT) r->last = *res;
    r->pc++;
    return SCN_STEP_OK;
}
