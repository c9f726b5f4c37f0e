/* Statements in a Windows process: the Win32 calls, made through the
 * backend's checked wrappers (so the simulator and real Windows answer the
 * same statement), reads, writes and touches, and the simulator's own views
 * of the process (translate with fault resolution, !address, !pte, !vad).
 * Each handler is named in its row of the statement table (scn_verbs.c). */
#include "mem.h"
#include "pagesim/format.h"
#include "pagesim/winsdk.h"
#include "scn_check.h"
#include "scn_lex.h"
#include "scn_run_int.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static void bind(scn_runner_t *r, const scn_stmt_t *st, uint32_t value)
{
    if (st->bind >= 0) r->values[st->bind] = value;
}

void set_call(scn_result_t *res, ps_call_t c)
{
    res->has |= SCN_HAS_OK;
    res->ok = c.error == 0;
    res->error = c.error;
    if (c.conflict) res->has |= SCN_HAS_CONFLICT;
}

/* A BOOL result. */
static void set_bool(scn_result_t *res, ps_call_t c)
{
    set_call(res, c);
    res->has |= SCN_HAS_RET;
    res->ret = c.error == 0;
}

static void set_addr_ret(scn_runner_t *r, scn_result_t *res, uint32_t addr)
{
    res->has |= SCN_HAS_RET | SCN_HAS_ADDR;
    res->ret = addr;
    names_addr(r, addr, res->ret_str, sizeof res->ret_str);
}

bool out_of_memory(const scn_stmt_t *st, scn_error_t *err)
{
    scn_error_set(err, st->line, st->col, "out of memory");
    return false;
}

bool name_handle(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, uint32_t h, scn_error_t *err)
{
    const char *n = names_add(r, st->bind, true, 0, 0, h);
    if (!n) return out_of_memory(st, err);
    res->has |= SCN_HAS_NAME;
    res->name = n;
    snprintf(res->ret_str, sizeof res->ret_str, "%s", n);
    return true;
}

/* Records a new allocation's name (and tags it in the simulator). */
static bool name_alloc(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, uint32_t base, uint32_t size,
                       scn_error_t *err)
{
    const char *name = names_add(r, st->bind, false, base, size, 0);
    if (!name) return out_of_memory(st, err);
    res->has |= SCN_HAS_NAME;
    res->name = name;
    if (r->mm) mm_tag(mm_current(r->mm), base, r->nnames);
    return true;
}

bool run_virtual_alloc(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    uint32_t addr = arg32(r, st, 0), size = arg32(r, st, 1), type = arg32(r, st, 2), prot = arg32(r, st, 3);
    uint32_t base;
    ps_call_t c = ps_virtual_alloc(&r->be, addr, size, type, prot, &base, &r->why);
    set_call(res, c);
    bind(r, st, base);
    if (c.error) {
        set_addr_ret(r, res, 0);
        return true;
    }
    if ((type & MEM_RESERVE) || addr == 0) { /* a new allocation */
        uint32_t asize = addr ? (uint32_t)((((uint64_t)addr + size - 1) | 0xFFFu) + 1 - base)
                              : (uint32_t)((((uint64_t)size + 0xFFFu) & ~0xFFFull));
        if (!name_alloc(r, st, res, base, asize, err)) return false;
    }
    set_addr_ret(r, res, base);
    return true;
}

bool run_virtual_free(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)err;
    uint32_t addr = arg32(r, st, 0), type = arg32(r, st, 2);
    ps_call_t c = ps_virtual_free(&r->be, addr, arg32(r, st, 1), type, &r->why);
    set_bool(res, c);
    if (!c.error && type == MEM_RELEASE) names_kill(r, addr);
    return true;
}

bool run_virtual_protect(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)err;
    set_bool(res, ps_virtual_protect(&r->be, arg32(r, st, 0), arg32(r, st, 1), arg32(r, st, 2), &res->old, &r->why));
    res->has |= SCN_HAS_OLD;
    return true;
}

void query_result(scn_runner_t *r, scn_result_t *res, ps_call_t c, uint32_t process)
{
    set_call(res, c);
    res->has |= SCN_HAS_RET;
    res->ret = c.error ? 0 : 28; /* sizeof(MEMORY_BASIC_INFORMATION) */
    if (!c.error) {
        res->has |= SCN_HAS_MBI;
        names_addr_in(r, process, res->mbi.BaseAddress, res->mbi_base, sizeof res->mbi_base);
        if (res->mbi.AllocationBase) names_addr_in(r, process, res->mbi.AllocationBase, res->mbi_alloc, sizeof res->mbi_alloc);
        else snprintf(res->mbi_alloc, sizeof res->mbi_alloc, "0x00000000");
    }
}

bool run_virtual_query(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)err;
    query_result(r, res, ps_virtual_query(&r->be, arg32(r, st, 0), &res->mbi, &r->why), r->process);
    return true;
}

const char *arg_str(const scn_runner_t *r, const scn_stmt_t *st, unsigned i, char *buf, size_t size)
{
    const scn_arg_t *a = &st->arg[i];
    if (!a->is_string || !size) return NULL;
    size_t n = a->str_len < size ? a->str_len : size - 1;
    memcpy(buf, scn_str(r->s, a->str_off), n);
    buf[n] = 0;
    return buf;
}

bool handle_result(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, ps_call_t c, uint32_t h, scn_error_t *err)
{
    set_call(res, c);
    bind(r, st, h);
    res->has |= SCN_HAS_RET | SCN_HAS_HANDLE;
    res->ret = h;
    if (c.error) {
        snprintf(res->ret_str, sizeof res->ret_str, "0x00000000"); /* NULL */
        return true;
    }
    return name_handle(r, st, res, h, err);
}

bool run_create_mapping(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    /* The file, the security attributes and the name were checked
     * (scn_check.c) before the statement ran. */
    char name[256];
    const char *pname = arg_str(r, st, 5, name, sizeof name);
    uint32_t h;
    ps_call_t c = ps_create_file_mapping(&r->be, arg32(r, st, 0), arg32(r, st, 2), arg32(r, st, 3), arg32(r, st, 4), pname,
                                         &h, &r->why);
    return handle_result(r, st, res, c, h, err);
}

bool run_map_view(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    uint32_t base = st->verb == SCN_MAPVIEWOFFILEEX ? arg32(r, st, 5) : 0, addr;
    ps_call_t c = ps_map_view(&r->be, arg32(r, st, 0), arg32(r, st, 1), arg32(r, st, 2), arg32(r, st, 3),
                              arg32(r, st, 4), base, &addr, &r->why);
    set_call(res, c);
    bind(r, st, addr);
    if (c.error) {
        set_addr_ret(r, res, 0);
        return true;
    }
    mm_mbi_t mbi;
    uint32_t size = ps_virtual_query(&r->be, addr, &mbi, NULL).error == 0 ? mbi.RegionSize : X86_PAGE_SIZE;
    if (!name_alloc(r, st, res, addr, size, err)) return false;
    set_addr_ret(r, res, addr);
    return true;
}

bool run_unmap_view(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)err;
    uint32_t addr = arg32(r, st, 0);
    ps_call_t c = ps_unmap_view(&r->be, addr, &r->why);
    set_bool(res, c);
    if (!c.error) names_kill(r, addr);
    return true;
}

bool run_close_handle(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)err;
    uint32_t h = arg32(r, st, 0);
    ps_call_t c = ps_close_handle(&r->be, h, &r->why);
    set_bool(res, c);
    if (!c.error) names_close_handle(r, h);
    return true;
}

bool run_system_info(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)st;
    (void)err;
    ps_system_info(&r->be, &res->sysinfo);
    res->has |= SCN_HAS_SYSINFO;
    names_addr(r, res->sysinfo.min_app, res->min_app, sizeof res->min_app);
    names_addr(r, res->sysinfo.max_app, res->max_app, sizeof res->max_app);
    return true;
}

bool run_memstatus(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)st;
    (void)err;
    ps_memory_status(&r->be, &res->memstatus);
    res->has |= SCN_HAS_MEMSTATUS;
    return true;
}

/* Accesses. --------------------------------------------------------------- */

/* An access that raised an exception; false (out of memory) when it was
 * the host that failed. */
static bool set_exception(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, const ps_exception_t *exc,
                          scn_error_t *err)
{
    if (!exc->code) return out_of_memory(st, err);
    res->has |= SCN_HAS_EXC;
    res->exc = *exc;
    names_addr(r, exc->addr, res->exc_addr, sizeof res->exc_addr);
    return true;
}

/* Room for n bytes of read results in r->bytes. */
bool grow_bytes(scn_runner_t *r, uint32_t n)
{
    if (n <= r->capbytes) return true;
    uint8_t *b = ps_realloc(r->alloc, r->bytes, r->capbytes, n);
    if (!b) return false;
    r->bytes = b;
    r->capbytes = n;
    return true;
}

bool run_read(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    uint32_t addr = arg32(r, st, 0);
    uint32_t count = st->arg[1].present ? arg32(r, st, 1) : 1; /* at most 16M (scn_check) */
    if (!grow_bytes(r, count ? count : 1)) return out_of_memory(st, err);
    res->has |= SCN_HAS_BYTES;
    res->bytes = r->bytes;
    ps_exception_t exc;
    for (uint32_t i = 0; i < count; i++) {
        if (!ps_read8(&r->be, addr + i, &r->bytes[i], &exc, &r->why)) return set_exception(r, st, res, &exc, err);
        res->nbytes++;
    }
    return true;
}

bool run_write(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
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
    res->has |= SCN_HAS_COUNT;
    ps_exception_t exc;
    for (uint32_t i = 0; i < len; i++) {
        if (!ps_write8(&r->be, addr + i, val->is_string ? data[i] : byte, &exc, &r->why))
            return set_exception(r, st, res, &exc, err);
        res->count++;
    }
    return true;
}

bool run_touch(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    uint32_t addr = arg32(r, st, 0), size = arg32(r, st, 1);
    bool write = st->arg[2].present && st->arg[2].keyword == 1;
    uint64_t end = (uint64_t)addr + size;
    if (end > 0x100000000ull) end = 0x100000000ull;
    ps_exception_t exc;
    res->has |= SCN_HAS_COUNT;
    for (uint64_t a = addr; a < end; a = (a | 0xFFFu) + 1) {
        if (!ps_touch(&r->be, (uint32_t)a, write, &exc, &r->why)) return set_exception(r, st, res, &exc, err);
        res->count++;
    }
    return true;
}

/* The simulator's views of the process. ----------------------------------- */

bool run_process_translate(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    uint32_t va = arg32(r, st, 0);
    mmu_access_t acc = st->arg[1].present ? (mmu_access_t)st->arg[1].keyword : MMU_READ;
    mmu_mode_t mode = st->arg[2].present ? (st->arg[2].keyword ? MMU_KERNEL : MMU_USER) : MMU_USER;
    mm_access_t ma = { .why = &r->why };
    mm_translate(mm_current(r->mm), va, acc, mode, &res->walk, &res->retry, &res->retried, &ma);
    res->has |= SCN_HAS_WALK;
    if (res->walk.reason == MMU_OK) return true;
    res->has |= SCN_HAS_RESOLVED;
    res->resolved = ma.resolved;
    if (!ma.exception) return true;
    ps_exception_t exc = { ma.exception, ma.access, ma.fault_addr };
    return set_exception(r, st, res, &exc, err);
}

bool run_address(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)res;
    (void)err;
    bool summary = st->arg[0].present, one = st->arg[1].present;
    fmt_address(&r->text, mm_current(r->mm), summary, one, one ? arg32(r, st, 1) : 0);
    return true;
}

bool run_pte(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)res;
    (void)err;
    fmt_pte(&r->text, mm_current(r->mm), arg32(r, st, 0));
    return true;
}

bool run_pfn(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)res;
    (void)err;
    fmt_pfn(&r->text, r->mm, arg32(r, st, 0));
    return true;
}

bool run_vad(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)st;
    (void)res;
    (void)err;
    fmt_vad(&r->text, mm_current(r->mm));
    return true;
}
