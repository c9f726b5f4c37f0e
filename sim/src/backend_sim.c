/* The simulator as a backend: each call goes to the current process of the
 * simulated machine. */
#include "pagesim/backend.h"
#include "pagesim/winsdk.h"
#include "pagesim/winconst.h"

static mm_process_t *cur(void *ctx)
{
    return mm_current((mm_t *)ctx);
}

/* The simulator has no host process to conflict with. */
static ps_call_t call(uint32_t error)
{
    return (ps_call_t){ error, false };
}

static ps_call_t sim_alloc(void *ctx, uint32_t addr, uint32_t size, uint32_t type, uint32_t protect, uint32_t *base,
                          strbuf_t *why)
{
    return call(mm_virtual_alloc(cur(ctx), addr, size, type, protect, base, why));
}

static ps_call_t sim_free(void *ctx, uint32_t addr, uint32_t size, uint32_t type, strbuf_t *why)
{
    return call(mm_virtual_free(cur(ctx), addr, size, type, why));
}

static ps_call_t sim_protect(void *ctx, uint32_t addr, uint32_t size, uint32_t protect, uint32_t *old, strbuf_t *why)
{
    return call(mm_virtual_protect(cur(ctx), addr, size, protect, old, why));
}

static ps_call_t sim_query(void *ctx, uint32_t addr, mm_mbi_t *mbi, strbuf_t *why)
{
    return call(mm_virtual_query(cur(ctx), addr, mbi, why));
}

static ps_call_t sim_create_mapping(void *ctx, uint32_t protect, uint32_t size_high, uint32_t size_low,
                                   const char *name, uint32_t *handle, strbuf_t *why)
{
    return call(mm_create_section(cur(ctx), protect, size_high, size_low, name, handle, why));
}

static ps_call_t sim_map_view(void *ctx, uint32_t handle, uint32_t access, uint32_t off_high, uint32_t off_low,
                             uint32_t size, uint32_t base, uint32_t *addr, strbuf_t *why)
{
    return call(mm_map_view(cur(ctx), handle, access, off_high, off_low, size, base, addr, why));
}

static ps_call_t sim_unmap_view(void *ctx, uint32_t addr, strbuf_t *why)
{
    return call(mm_unmap_view(cur(ctx), addr, why));
}

static ps_call_t sim_close_handle(void *ctx, uint32_t handle, strbuf_t *why)
{
    return call(mm_close_handle(cur(ctx), handle, why));
}

static void sim_system_info(void *ctx, mm_sysinfo_t *si)
{
    mm_system_info((mm_t *)ctx, si);
}

static void sim_memory_status(void *ctx, mm_memstatus_t *ms)
{
    mm_global_memory_status((mm_t *)ctx, ms);
}

static bool exc_out(const mm_access_t *a, ps_exception_t *exc)
{
    exc->code = a->host_oom ? 0 : a->exception;
    exc->access = a->access;
    exc->addr = a->fault_addr;
    return false;
}

static bool sim_read8(void *ctx, uint32_t addr, uint8_t *value, ps_exception_t *exc, strbuf_t *why)
{
    mm_access_t a = { .why = why };
    return mm_read8(cur(ctx), addr, value, &a) || exc_out(&a, exc);
}

static bool sim_write8(void *ctx, uint32_t addr, uint8_t value, ps_exception_t *exc, strbuf_t *why)
{
    mm_access_t a = { .why = why };
    return mm_write8(cur(ctx), addr, value, &a) || exc_out(&a, exc);
}

static bool sim_touch(void *ctx, uint32_t addr, bool write, ps_exception_t *exc, strbuf_t *why)
{
    mm_access_t a = { .why = why };
    uint8_t v;
    bool ok = write ? mm_touch_write(cur(ctx), addr, &a) : mm_read8(cur(ctx), addr, &v, &a);
    return ok || exc_out(&a, exc);
}

static ps_call_t sim_get_write_watch(void *ctx, uint32_t flags, uint32_t addr, uint32_t size, uint32_t *addrs,
                                     uint32_t *count, uint32_t *granularity, strbuf_t *why)
{
    return call(mm_get_write_watch(cur(ctx), flags, addr, size, addrs, count, granularity, why));
}

static ps_call_t sim_reset_write_watch(void *ctx, uint32_t addr, uint32_t size, strbuf_t *why)
{
    return call(mm_reset_write_watch(cur(ctx), addr, size, why));
}

/* MSDN GetProcessMemoryInfo asks for PROCESS_VM_READ besides
 * PROCESS_QUERY_INFORMATION, but the call is NtQueryInformationProcess
 * (ProcessVmCounters), which checks PROCESS_QUERY_INFORMATION alone (Wine
 * dlls/kernelbase K32GetProcessMemoryInfo; under Wine a handle with
 * PROCESS_QUERY_INFORMATION alone succeeds, one with PROCESS_VM_READ alone
 * is refused, as scenarios/wsapi/open-process-self.scn shows). */
static ps_call_t sim_process_memory_info(void *ctx, uint32_t process, mm_pmc_t *pmc, strbuf_t *why)
{
    mm_process_t *p;
    uint32_t e = mm_process_handle(cur(ctx), process, PROCESS_QUERY_INFORMATION, &p, why);
    if (!e) mm_process_memory_info(p, pmc, why);
    return call(e);
}

static ps_call_t sim_virtual_lock(void *ctx, uint32_t addr, uint32_t size, bool lock, strbuf_t *why)
{
    return call(lock ? mm_virtual_lock(cur(ctx), addr, size, why) : mm_virtual_unlock(cur(ctx), addr, size, why));
}

static ps_call_t sim_create_file(void *ctx, const char *name, uint32_t access, uint32_t share, uint32_t disposition,
                                 uint32_t attributes, uint32_t *handle, strbuf_t *why)
{
    return call(mm_create_file(cur(ctx), name, access, share, disposition, attributes, handle, why));
}

static ps_call_t sim_read_file(void *ctx, uint32_t handle, uint8_t *buf, uint32_t count, uint32_t *done, strbuf_t *why)
{
    return call(mm_read_file(cur(ctx), handle, buf, count, done, why));
}

static ps_call_t sim_write_file(void *ctx, uint32_t handle, const uint8_t *buf, uint32_t count, uint32_t *done,
                                strbuf_t *why)
{
    return call(mm_write_file(cur(ctx), handle, buf, count, done, why));
}

static ps_call_t sim_set_file_pointer(void *ctx, uint32_t handle, int32_t distance, uint32_t method, uint32_t *pos,
                                      strbuf_t *why)
{
    return call(mm_set_file_pointer(cur(ctx), handle, distance, method, pos, why));
}

static ps_call_t sim_set_end_of_file(void *ctx, uint32_t handle, strbuf_t *why)
{
    return call(mm_set_end_of_file(cur(ctx), handle, why));
}

static ps_call_t sim_get_file_size(void *ctx, uint32_t handle, uint32_t *size, strbuf_t *why)
{
    return call(mm_get_file_size(cur(ctx), handle, size, why));
}

static ps_call_t sim_create_file_mapping(void *ctx, uint32_t file, uint32_t protect, uint32_t size_high,
                                         uint32_t size_low, const char *name, uint32_t *handle, strbuf_t *why)
{
    return call(mm_create_file_mapping(cur(ctx), file, protect, size_high, size_low, name, handle, why));
}

static ps_call_t sim_flush_view(void *ctx, uint32_t addr, uint32_t size, strbuf_t *why)
{
    return call(mm_flush_view(cur(ctx), addr, size, why));
}

/* The rights each call needs of its handle (MSDN SetProcessWorkingSetSize:
 * PROCESS_SET_QUOTA; GetProcessWorkingSetSize: PROCESS_QUERY_INFORMATION;
 * EmptyWorkingSet: both). */
static ps_call_t sim_working_set(void *ctx, ps_ws_op_t op, uint32_t process, uint32_t *min, uint32_t *max,
                                 strbuf_t *why)
{
    static const uint32_t need[] = { [PS_WS_SET] = PROCESS_SET_QUOTA, [PS_WS_GET] = PROCESS_QUERY_INFORMATION,
                                     [PS_WS_EMPTY] = PROCESS_SET_QUOTA | PROCESS_QUERY_INFORMATION };
    mm_process_t *p;
    uint32_t e = mm_process_handle(cur(ctx), process, need[op], &p, why);
    if (e) return call(e);
    if (op == PS_WS_GET) {
        mm_get_ws_size(p, min, max);
        return call(0);
    }
    return call(op == PS_WS_SET ? mm_set_ws_size(p, *min, *max, why) : mm_empty_ws(p, why));
}

static ps_call_t sim_open_process(void *ctx, uint32_t access, bool inherit, const char *name, uint32_t *handle,
                                  strbuf_t *why)
{
    (void)inherit;
    return call(mm_open_process(cur(ctx), access, name, handle, why));
}

static ps_call_t sim_query_ex(void *ctx, uint32_t process, uint32_t addr, mm_mbi_t *mbi, strbuf_t *why)
{
    return call(mm_virtual_query_ex(cur(ctx), process, addr, mbi, why));
}

static const ps_file_ops_t sim_files = {
    sim_create_file, sim_read_file, sim_write_file, sim_set_file_pointer,
    sim_set_end_of_file, sim_get_file_size, sim_create_file_mapping, sim_flush_view,
};

static const ps_backend_ops_t sim_ops = {
    PS_BACKEND_VERSION, "sim", true,
    sim_alloc, sim_free, sim_protect, sim_query,
    sim_create_mapping, sim_map_view, sim_unmap_view, sim_close_handle,
    sim_system_info, sim_memory_status, sim_read8, sim_write8, sim_touch,
    sim_get_write_watch, sim_reset_write_watch, sim_process_memory_info, sim_virtual_lock,
    &sim_files,
    ps_sim_heap,
    sim_working_set,
    sim_open_process,
    sim_query_ex,
};

const ps_backend_ops_t *ps_backend_sim(void)
{
    return &sim_ops;
}
