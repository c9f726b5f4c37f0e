/* The simulator as a backend: each call goes to the current process of the
 * simulated machine. */
#include "pagesim/backend.h"
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

static const ps_backend_ops_t sim_ops = {
    PS_BACKEND_VERSION, "sim", true,
    sim_alloc, sim_free, sim_protect, sim_query,
    sim_create_mapping, sim_map_view, sim_unmap_view, sim_close_handle,
    sim_system_info, sim_memory_status, sim_read8, sim_write8, sim_touch,
    ps_sim_heap,
};

const ps_backend_ops_t *ps_backend_sim(void)
{
    return &sim_ops;
}
