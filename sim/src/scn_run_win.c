/* Statements in a Windows process: the Win32 calls (through the backend),
 * reads, writes and touches, and the simulator's views of the process. */
#include "mem.h"
#include "pagesim/format.h"
#include "pagesim/winconst.h"
#include "scn_check.h"
#include "scn_lex.h"
#include "scn_run_int.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>


enum { MEM_RESERVE_ = 0x2000, MEM_RELEASE_ = 0x8000 };

static uint32_t arg32(const scn_runner_t *r, const scn_stmt_t *st, unsigned i)
{
    return (uint32_t)run_eval(r, &st->arg[i].expr);
}

static void bind(scn_runner_t *r, const scn_stmt_t *st, uint32_t value)
{
    if (st->bind >= 0) r->values[st->bind] = value;
}

static void set_call(scn_runner_t *r, scn_result_t *res, uint32_t err)
{
    res->has |= SCN_HAS_OK;
    res->ok = err == 0;
    res->error = err;
    (void)r;
}

static void set_addr_ret(scn_runner_t *r, scn_result_t *res, uint32_t addr)
{
    res->has |= SCN_HAS_RET | SCN_HAS_ADDR;
    res->ret = addr;
    names_addr(r, addr, res->ret_str, sizeof res->ret_str);
}

/* Records a new allocation's name (and tags it in the simulator). */
static bool name_alloc(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, uint32_t base, uint32_t size,
                       scn_error_t *err)
{
    const char *name = names_add(r, st->bind, false, base, size, 0);
    if (!name) {
        scn_error_set(err, st->line, st->col, "out of memory");
        return false;
    }
    res->has |= SCN_HAS_NAME;
    res->name = name;
    if (r->mm) mm_tag(mm_current(r->mm), base, r->nnames);
    return true;
}

static bool do_virtual_alloc(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    uint32_t addr = arg32(r, st, 0), size = arg32(r, st, 1), type = arg32(r, st, 2), prot = arg32(r, st, 3);
    uint32_t base = 0;
    uint32_t e = r->ops->virtual_alloc(r->ctx, addr, size, type, prot, &base, &r->why);
    set_call(r, res, e);
    bind(r, st, e ? 0 : base);
    if (e) {
        if (r->ops->conflict(r->ctx)) res->has |= SCN_HAS_CONFLICT;
        set_addr_ret(r, res, 0);
        return true;
    }
    bool creates = (type & MEM_RESERVE_) || addr == 0;
    if (creates) {
        uint32_t asize = addr ? (uint32_t)((((uint64_t)addr + size - 1) | 0xFFFu) + 1 - base)
                              : (uint32_t)((((uint64_t)size + 0xFFFu) & ~0xFFFull));
        if (!name_alloc(r, st, res, base, asize, err)) return false;
    }
    set_addr_ret(r, res, base);
    return true;
}

static bool do_virtual_free(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res)
{
    uint32_t addr = arg32(r, st, 0), size = arg32(r, st, 1), type = arg32(r, st, 2);
    uint32_t e = r->ops->virtual_free(r->ctx, addr, size, type, &r->why);
    set_call(r, res, e);
    res->has |= SCN_HAS_RET;
    res->ret = e == 0;
    if (!e && type == MEM_RELEASE_) names_kill(r, addr);
    return true;
}

static bool do_virtual_protect(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res)
{
    uint32_t old = 0;
    uint32_t e = r->ops->virtual_protect(r->ctx, arg32(r, st, 0), arg32(r, st, 1), arg32(r, st, 2), &old, &r->why);
    set_call(r, res, e);
    res->has |= SCN_HAS_RET | SCN_HAS_OLD;
    res->ret = e == 0;
    res->old = old;
    return true;
}

static bool do_virtual_query(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res)
{
    uint32_t e = r->ops->virtual_query(r->ctx, arg32(r, st, 0), &res->mbi, &r->why);
    set_call(r, res, e);
    res->has |= SCN_HAS_RET;
    res->ret = e ? 0 : 28; /* sizeof(MEMORY_BASIC_INFORMATION) */
    if (!e) {
        res->has |= SCN_HAS_MBI;
        names_addr(r, res->mbi.BaseAddress, res->mbi_base, sizeof res->mbi_base);
        if (res->mbi.AllocationBase) names_addr(r, res->mbi.AllocationBase, res->mbi_alloc, sizeof res->mbi_alloc);
        else snprintf(res->mbi_alloc, sizeof res->mbi_alloc, "0x00000000");
    }
    return true;
}

static bool do_create_mapping(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    /* The file, the security attributes and the name were checked
     * (scn_check.c) before the statement ran. */
    const scn_arg_t *na = &st->arg[5];
    char name[256];
    const char *pname = NULL;
    if (na->is_string) {
        memcpy(name, scn_str(r->s, na->str_off), na->str_len);
        name[na->str_len] = 0;
        pname = name;
    }
    uint32_t h = 0;
    uint32_t e = r->ops->create_mapping(r->ctx, arg32(r, st, 2), arg32(r, st, 3), arg32(r, st, 4), pname, &h, &r->why);
    set_call(r, res, e);
    bind(r, st, e ? 0 : h);
    res->has |= SCN_HAS_RET | SCN_HAS_HANDLE;
    res->ret = e ? 0 : h;
    if (e) {
        snprintf(res->ret_str, sizeof res->ret_str, "0x00000000");
        return true;
    }
    const char *n = names_add(r, st->bind, true, 0, 0, h);
    if (!n) {
        scn_error_set(err, st->line, st->col, "out of memory");
        return false;
    }
    res->has |= SCN_HAS_NAME;
    res->name = n;
    snprintf(res->ret_str, sizeof res->ret_str, "%s", n);
    return true;
}

static bool do_map_view(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    uint32_t base = st->verb == SCN_MAPVIEWOFFILEEX ? arg32(r, st, 5) : 0, addr = 0;
    uint32_t e = r->ops->map_view(r->ctx, arg32(r, st, 0), arg32(r, st, 1), arg32(r, st, 2), arg32(r, st, 3),
                                  arg32(r, st, 4), base, &addr, &r->why);
    set_call(r, res, e);
    bind(r, st, e ? 0 : addr);
    if (e) {
        if (r->ops->conflict(r->ctx)) res->has |= SCN_HAS_CONFLICT;
        set_addr_ret(r, res, 0);
        return true;
    }
    mm_mbi_t mbi;
    uint32_t size = r->ops->virtual_query(r->ctx, addr, &mbi, NULL) == 0 ? mbi.RegionSize : 0x1000;
    if (!name_alloc(r, st, res, addr, size, err)) return false;
    set_addr_ret(r, res, addr);
    return true;
}

static bool do_unmap_or_close(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res)
{
    uint32_t v = arg32(r, st, 0);
    uint32_t e = st->verb == SCN_UNMAPVIEWOFFILE ? r->ops->unmap_view(r->ctx, v, &r->why)
                                                 : r->ops->close_handle(r->ctx, v, &r->why);
    set_call(r, res, e);
    res->has |= SCN_HAS_RET;
    res->ret = e == 0;
    if (!e && st->verb == SCN_UNMAPVIEWOFFILE) names_kill(r, v);
    if (!e && st->verb == SCN_CLOSEHANDLE) names_close_handle(r, v);
    return true;
}

static void set_exception(scn_runner_t *r, scn_result_t *res, const ps_exception_t *exc)
{
    res->has |= SCN_HAS_EXC;
    res->exc = *exc;
    names_addr(r, exc->addr, res->exc_addr, sizeof res->exc_addr);
}

static bool grow_bytes(scn_runner_t *r, uint32_t n)
{
    if (n <= r->capbytes) return true;
    uint8_t *b = ps_realloc(r->alloc, r->bytes, r->capbytes, n);
    if (!b) return false;
    r->bytes = b;
    r->capbytes = n;
    return true;
}

static bool do_read(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    uint32_t addr = arg32(r, st, 0);
    uint32_t count = st->arg[1].present ? arg32(r, st, 1) : 1; /* at most 16M (scn_check) */
    if (!grow_bytes(r, count ? count : 1)) {
        scn_error_set(err, st->line, st->col, "out of memory");
        return false;
    }
    res->has |= SCN_HAS_BYTES;
    res->bytes = r->bytes;
    ps_exception_t exc;
    for (uint32_t i = 0; i < count; i++) {
        if (!r->ops->read8(r->ctx, addr + i, &r->bytes[i], &exc, &r->why)) {
            set_exception(r, res, &exc);
            break;
        }
        res->nbytes++;
    }
    return true;
}

static bool do_write(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res)
{
    uint32_t addr = arg32(r, st, 0);
    const scn_arg_t *val = &st->arg[1];
    const uint8_t *data;
    uint8_t byte = 0;
    uint32_t len;
    if (val->is_string) {
        data = scn_str(r->s, val->str_off);
        len = val->str_len;
    } else {
        /* A byte, in 32-bit arithmetic (0xFFFFFFFF+0x42 is 0x41), and a
         * count of at most 16M: both checked (scn_check). */
        byte = (uint8_t)arg32(r, st, 1);
        data = &byte;
        len = st->arg[2].present ? arg32(r, st, 2) : 1;
    }
    ps_exception_t exc;
    for (uint32_t i = 0; i < len; i++) {
        if (!r->ops->write8(r->ctx, addr + i, val->is_string ? data[i] : byte, &exc, &r->why)) {
            set_exception(r, res, &exc);
            break;
        }
        res->count++;
    }
    res->has |= SCN_HAS_COUNT;
    return true;
}

static bool do_touch(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res)
{
    uint32_t addr = arg32(r, st, 0), size = arg32(r, st, 1);
    bool write = st->arg[2].present && st->arg[2].keyword == 1;
    uint64_t end = (uint64_t)addr + size;
    if (end > 0x100000000ull) end = 0x100000000ull;
    ps_exception_t exc;
    res->has |= SCN_HAS_COUNT;
    for (uint64_t a = addr; a < end; a = (a | 0xFFFu) + 1) {
        if (!r->ops->touch(r->ctx, (uint32_t)a, write, &exc, &r->why)) {
            set_exception(r, res, &exc);
            break;
        }
        res->count++;
    }
    return true;
}

static bool do_translate(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res)
{
    uint32_t va = arg32(r, st, 0);
    mmu_access_t acc = st->arg[1].present ? (mmu_access_t)st->arg[1].keyword : MMU_READ;
    mmu_mode_t mode = st->arg[2].present ? (st->arg[2].keyword ? MMU_KERNEL : MMU_USER) : MMU_USER;
    mm_access_t ma = { .why = &r->why };
    mm_translate(mm_current(r->mm), va, acc, mode, &res->walk, &res->retry, &res->retried, &ma);
    res->has |= SCN_HAS_WALK;
    if (res->walk.reason != MMU_OK) {
        res->has |= SCN_HAS_RESOLVED;
        res->resolved = ma.resolved;
        if (ma.exception) {
            ps_exception_t exc = { ma.exception, ma.access, ma.fault_addr };
            set_exception(r, res, &exc);
        }
    }
    return true;
}

bool run_win_statement(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    switch (st->verb) {
    case SCN_VIRTUALALLOC: return do_virtual_alloc(r, st, res, err);
    case SCN_VIRTUALFREE: return do_virtual_free(r, st, res);
    case SCN_VIRTUALPROTECT: return do_virtual_protect(r, st, res);
    case SCN_VIRTUALQUERY: return do_virtual_query(r, st, res);
    case SCN_CREATEFILEMAPPING: return do_create_mapping(r, st, res, err);
    case SCN_MAPVIEWOFFILE:
    case SCN_MAPVIEWOFFILEEX: return do_map_view(r, st, res, err);
    case SCN_UNMAPVIEWOFFILE:
    case SCN_CLOSEHANDLE: return do_unmap_or_close(r, st, res);
    case SCN_GETSYSTEMINFO:
        r->ops->system_info(r->ctx, &res->sysinfo);
        res->has |= SCN_HAS_SYSINFO;
        names_addr(r, res->sysinfo.min_app, res->min_app, sizeof res->min_app);
        names_addr(r, res->sysinfo.max_app, res->max_app, sizeof res->max_app);
        return true;
    case SCN_READ: return do_read(r, st, res, err);
    case SCN_WRITE: return do_write(r, st, res);
    case SCN_TOUCH: return do_touch(r, st, res);
    case SCN_TRANSLATE: return do_translate(r, st, res);
    case SCN_MEMSTATUS:
        mm_global_memory_status(r->mm, &res->memstatus);
        res->has |= SCN_HAS_MEMSTATUS;
        return true;
    case SCN_ADDRESS: {
        bool summary = st->arg[0].present;
        bool one = st->arg[1].present;
        fmt_address(&r->text, mm_current(r->mm), summary, one, one ? arg32(r, st, 1) : 0);
        return true;
    }
    case SCN_PTE:
        fmt_pte(&r->text, mm_current(r->mm), arg32(r, st, 0));
        return true;
    case SCN_VAD:
        fmt_vad(&r->text, mm_current(r->mm));
        return true;
    default:
        scn_error_set(err, st->line, st->col, "%s cannot run here", scn_verbs()[st->verb].name);
        return false;
    }
}
