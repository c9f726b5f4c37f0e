/* The rules a statement's values must follow before it can run (a bare
 * machine's size, a physical address inside memory, a byte, a transfer of
 * at most 16M, ...), written once and used twice: by the parser, for every
 * argument that is a constant, so that a scenario with a bad value is
 * refused whole before anything runs or prints; and by the runner, for the
 * values known only then (those computed from names). */
#include "scn_check.h"
#include "scn_lex.h"
#include "pagesim/stack.h"
#include "pagesim/winsdk.h"
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

bool scn_eval(const scn_script_t *s, const scn_expr_t *e, const uint64_t *values, uint64_t *stack, uint64_t *out)
{
    uint32_t sp = 0;
    for (uint32_t k = e->first; k < e->first + e->count; k++) {
        const expr_op_t *op = &s->ops[k];
        switch (op->kind) {
        case OP_NUM: stack[sp++] = op->num; break;
        case OP_NAME:
            if (!values) return false;
            stack[sp++] = values[op->slot];
            break;
        case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case OP_MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case OP_OR: sp--; stack[sp - 1] |= stack[sp]; break;
        }
    }
    *out = stack[0];
    return true;
}

/* The value of argument i when it is known (a constant, or at run time). */
static bool known(const scn_check_ctx_t *c, const scn_stmt_t *st, unsigned i, uint64_t *v)
{
    const scn_arg_t *a = &st->arg[i];
    return a->present && !a->is_string && scn_eval(c->s, &a->expr, c->values, c->stack, v);
}

static const scn_arg_t *keyval(const scn_stmt_t *st, int key, unsigned *index)
{
    for (unsigned k = 0; k < st->nargs; k++)
        if (st->arg[k].key == key) {
            *index = k;
            return &st->arg[k];
        }
    return NULL;
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static bool bad(scn_error_t *err, const scn_stmt_t *st, uint32_t col, const char *fmt, ...)
{
    char raw[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    err->line = st->line;
    err->col = col;
    scn_error_safe(err, raw);
    return false;
}

bool scn_check_machine(scn_check_ctx_t *c, const scn_stmt_t *st, scn_error_t *err)
{
    unsigned i;
    uint64_t v;
    if (keyval(st, 0, &i) && known(c, st, i, &v)) {
        if (v == 0 || v > PHYS_MAX_SIZE || v % X86_PAGE_SIZE)
            return bad(err, st, st->arg[i].col, "machine bare: ram=%" PRIu64 " must be a multiple of 4K between 4K and 4G",
                       v);
        c->ram = v;
    }
    if (keyval(st, 1, &i) && known(c, st, i, &v) && v > MMU_TLB_MAX)
        return bad(err, st, st->arg[i].col, "machine bare: tlb=%" PRIu64 " is more than %u entries", v, MMU_TLB_MAX);
    return true;
}

bool scn_check_config(scn_check_ctx_t *c, const scn_stmt_t *st, scn_error_t *err)
{
    for (unsigned k = 0; k < st->nargs; k++) {
        const scn_arg_t *a = &st->arg[k];
        uint64_t v;
        if (a->key == SCN_CONFIG_LAYOUT && a->keyword == 0) c->no_threads = true;
        if (a->key == SCN_CONFIG_POLICY || a->key == SCN_CONFIG_LAYOUT || a->key == SCN_CONFIG_COMPARE ||
            a->key == SCN_CONFIG_LOCKPAGES || !known(c, st, k, &v))
            continue;
        switch (a->key) {
        case SCN_CONFIG_RAM:
            if (v < (8u << 20) || v > PHYS_MAX_SIZE || v % X86_PAGE_SIZE)
                return bad(err, st, a->col, "config: ram=%" PRIu64 " must be a multiple of 4K from 8M to 4G", v);
            break;
        case SCN_CONFIG_PAGEFILE:
            if (v > (4ull << 30) || v % X86_PAGE_SIZE)
                return bad(err, st, a->col, "config: pagefile=%" PRIu64 " must be a multiple of 4K up to 4G", v);
            break;
        case SCN_CONFIG_TLB:
            if (v > MMU_TLB_MAX) return bad(err, st, a->col, "config: tlb=%" PRIu64 " is more than %u entries", v, MMU_TLB_MAX);
            break;
        case SCN_CONFIG_SPLIT:
            if (v != (2ull << 30) && v != (3ull << 30)) return bad(err, st, a->col, "config: split= takes 2G or 3G");
            break;
        case SCN_CONFIG_WSMAX:
            if (v > 0xFFFFFFFFu) return bad(err, st, a->col, "config: wsmax= is a number of pages");
            break;
        case SCN_CONFIG_STACKRESERVE:
        case SCN_CONFIG_STACKCOMMIT:
            if (v == 0 || v > MM_STACK_MAX)
                return bad(err, st, a->col, "config: %s=%" PRIu64 " must be from 1 byte to 1G",
                           a->key == SCN_CONFIG_STACKRESERVE ? "stackreserve" : "stackcommit", v);
            break;
        }
    }
    return true;
}

/* A 32-bit word at addr lies inside the bare machine's memory. */
bool scn_check_phys(scn_check_ctx_t *c, const scn_stmt_t *st, scn_error_t *err)
{
    uint64_t addr;
    if (!c->ram || !known(c, st, 0, &addr)) return true;
    addr = (uint32_t)addr;
    if (addr + 4 <= c->ram) return true;
    return bad(err, st, st->arg[0].col,
               "%s 0x%08" PRIX64 ": outside physical memory (ram=0x%" PRIX64 ": the last word starts at 0x%08" PRIX64 ")",
               scn_verb(st->verb)->name, addr, c->ram, c->ram - 4);
}

bool scn_check_register(scn_check_ctx_t *c, const scn_stmt_t *st, scn_error_t *err)
{
    uint64_t v;
    if (st->verb == SCN_CR3) c->cr3_loaded = true;
    if (!known(c, st, 0, &v)) return true;
    v = (uint32_t)v;
    if (st->verb == SCN_CR3) {
        uint64_t dir = v & X86_CR3_BASE;
        if (c->ram && dir + X86_PAGE_SIZE > c->ram)
            return bad(err, st, st->arg[0].col,
                       "cr3 = 0x%08" PRIX64 ": the page directory would lie outside physical memory (ram=0x%" PRIX64 ")",
                       v, c->ram);
        return true;
    }
    if (v > 1) return bad(err, st, st->arg[0].col, "%s takes 0 or 1, not %" PRIu64, scn_verb(st->verb)->name, v);
    return true;
}

bool scn_check_mapping(scn_check_ctx_t *c, const scn_stmt_t *st, scn_error_t *err)
{
    uint64_t v;
    if (known(c, st, 1, &v) && (uint32_t)v != 0)
        return bad(err, st, st->arg[1].col, "CreateFileMapping: the security attributes must be NULL");
    const scn_arg_t *na = &st->arg[5];
    if (na->is_string) {
        if (na->str_len >= 256 || memchr(scn_str(c->s, na->str_off), 0, na->str_len))
            return bad(err, st, na->col, "CreateFileMapping: the name must be under 256 bytes, without NUL");
    } else if (known(c, st, 5, &v) && (uint32_t)v != 0) {
        return bad(err, st, na->col, "CreateFileMapping: the name is a string or NULL");
    }
    return true;
}

/* Files. ----------------------------------------------------------------- */

bool scn_check_create_file(scn_check_ctx_t *c, const scn_stmt_t *st, scn_error_t *err)
{
    uint64_t v;
    const scn_arg_t *na = &st->arg[0];
    if (!na->is_string) return bad(err, st, na->col, "CreateFile: the file's name is a string");
    const char *name = (const char *)scn_str(c->s, na->str_off);
    if (!na->str_len || na->str_len >= 64)
        return bad(err, st, na->col, "CreateFile: a file name of 1 to 63 characters");
    for (uint32_t i = 0; i < na->str_len; i++)
        if ((unsigned char)name[i] < ' ' || strchr("\\/:*?\"<>|", name[i]))
            return bad(err, st, na->col, "CreateFile: a plain file name, without a path, a wildcard or a control "
                       "character (the files live in the scenario's own directory)");
    if (known(c, st, 3, &v) && (uint32_t)v != 0)
        return bad(err, st, st->arg[3].col, "CreateFile: the security attributes must be NULL");
    if (known(c, st, 6, &v) && (uint32_t)v != 0)
        return bad(err, st, st->arg[6].col, "CreateFile: the template file must be NULL");
    return true;
}

bool scn_check_open_process(scn_check_ctx_t *c, const scn_stmt_t *st, scn_error_t *err)
{
    (void)c;
    const scn_arg_t *na = &st->arg[2];
    if (!na->is_string || !na->str_len || na->str_len >= 64)
        return bad(err, st, na->col, "OpenProcess: the process is named by a string of 1 to 63 characters (as the "
                   "process statement named it), in place of its ID");
    return true;
}

/* The argument that must be NULL (an out-parameter or lpOverlapped). */
static bool null_arg(scn_check_ctx_t *c, const scn_stmt_t *st, unsigned i, scn_error_t *err)
{
    uint64_t v;
    if (known(c, st, i, &v) && (uint32_t)v != 0)
        return bad(err, st, st->arg[i].col, "%s: the %s must be NULL", scn_verb(st->verb)->name,
                   scn_row(st->verb)->syntax.params[i].name);
    return true;
}

bool scn_check_file_io(scn_check_ctx_t *c, const scn_stmt_t *st, scn_error_t *err)
{
    uint64_t v;
    switch (st->verb) {
    case SCN_READFILE:
        if (known(c, st, 1, &v) && (uint32_t)v > SCN_MAX_TRANSFER)
            return bad(err, st, st->arg[1].col, "ReadFile: at most 16M bytes a call");
        return null_arg(c, st, 2, err);
    case SCN_WRITEFILE: {
        const scn_arg_t *buf = &st->arg[1];
        bool count = known(c, st, 2, &v);
        if (count && (uint32_t)v > SCN_MAX_TRANSFER)
            return bad(err, st, st->arg[2].col, "WriteFile: at most 16M bytes a call");
        if (buf->is_string && count && (uint32_t)v > buf->str_len)
            return bad(err, st, st->arg[2].col, "WriteFile: %" PRIu32 " bytes from a string of %" PRIu32,
                       (uint32_t)v, buf->str_len);
        if (!buf->is_string && known(c, st, 1, &v) && (uint32_t)v > 0xFF)
            return bad(err, st, buf->col, "WriteFile: 0x%" PRIX32 " is not a byte (0..0xFF); use a string for several "
                       "bytes", (uint32_t)v);
        return null_arg(c, st, 3, err);
    }
    case SCN_SETFILEPOINTER: return null_arg(c, st, 2, err);
    case SCN_GETFILESIZE: return null_arg(c, st, 1, err);
    default: return true;
    }
}

bool scn_check_transfer(scn_check_ctx_t *c, const scn_stmt_t *st, scn_error_t *err)
{
    uint64_t v;
    if (st->verb == SCN_READ) {
        if (known(c, st, 1, &v) && (uint32_t)v > SCN_MAX_TRANSFER)
            return bad(err, st, st->arg[1].col, "read: %" PRIu32 " bytes is more than the 16M a read may take",
                       (uint32_t)v);
        return true;
    }
    const scn_arg_t *val = &st->arg[1];
    if (val->is_string) {
        if (st->arg[2].present)
            return bad(err, st, st->arg[2].col, "write: a COUNT goes with a byte value, not a string");
        return true;
    }
    if (known(c, st, 1, &v) && (uint32_t)v > 0xFF)
        return bad(err, st, val->col, "write: 0x%" PRIX32 " is not a byte (0..0xFF); use a string for several bytes",
                   (uint32_t)v);
    if (known(c, st, 2, &v) && (uint32_t)v > SCN_MAX_TRANSFER)
        return bad(err, st, st->arg[2].col, "write: a COUNT of at most 16M");
    return true;
}

bool scn_check_translate(scn_check_ctx_t *c, const scn_stmt_t *st, scn_error_t *err)
{
    if (c->s->bare && !c->cr3_loaded)
        return bad(err, st, st->col, "translate before cr3 =: load CR3 with the page directory's physical address first");
    return true;
}

/* The statements on thread stacks need a process with threads. */
bool scn_check_stack(scn_check_ctx_t *c, const scn_stmt_t *st, scn_error_t *err)
{
    if (!c->no_threads) return true;
    return bad(err, st, st->col, "%s: with config layout=empty a process has no thread and no stack",
               scn_verb(st->verb)->name);
}

bool scn_check(scn_check_ctx_t *c, const scn_stmt_t *st, scn_error_t *err)
{
    const scn_row_t *row = scn_row(st->verb);
    return !row->check || row->check(c, st, err);
}
