/* The checked wrappers every caller of a backend goes through (backend.h):
 * out-parameters cleared before the call and again after a failure, and a
 * conflict reported only for a failed call, so that no caller reads what a
 * backend left behind. */
#include "pagesim/backend.h"
#include "pagesim/winsdk.h"
#include <string.h>

static ps_call_t settle(ps_call_t c)
{
    if (!c.error) c.conflict = false;
    return c;
}

ps_call_t ps_virtual_alloc(const ps_backend_t *b, uint32_t addr, uint32_t size, uint32_t type, uint32_t protect,
                           uint32_t *base, strbuf_t *why)
{
    *base = 0;
    ps_call_t c = settle(b->ops->virtual_alloc(b->ctx, addr, size, type, protect, base, why));
    if (c.error) *base = 0;
    return c;
}

ps_call_t ps_virtual_free(const ps_backend_t *b, uint32_t addr, uint32_t size, uint32_t type, strbuf_t *why)
{
    return settle(b->ops->virtual_free(b->ctx, addr, size, type, why));
}

ps_call_t ps_virtual_protect(const ps_backend_t *b, uint32_t addr, uint32_t size, uint32_t protect, uint32_t *old,
                             strbuf_t *why)
{
    *old = 0;
    return settle(b->ops->virtual_protect(b->ctx, addr, size, protect, old, why));
}

ps_call_t ps_virtual_query(const ps_backend_t *b, uint32_t addr, mm_mbi_t *mbi, strbuf_t *why)
{
    memset(mbi, 0, sizeof *mbi);
    ps_call_t c = settle(b->ops->virtual_query(b->ctx, addr, mbi, why));
    if (c.error) memset(mbi, 0, sizeof *mbi);
    return c;
}

ps_call_t ps_create_mapping(const ps_backend_t *b, uint32_t protect, uint32_t size_high, uint32_t size_low,
                            const char *name, uint32_t *handle, strbuf_t *why)
{
    *handle = 0;
    ps_call_t c = settle(b->ops->create_mapping(b->ctx, protect, size_high, size_low, name, handle, why));
    if (c.error) *handle = 0;
    return c;
}

ps_call_t ps_map_view(const ps_backend_t *b, uint32_t handle, uint32_t access, uint32_t off_high, uint32_t off_low,
                      uint32_t size, uint32_t base, uint32_t *addr, strbuf_t *why)
{
    *addr = 0;
    ps_call_t c = settle(b->ops->map_view(b->ctx, handle, access, off_high, off_low, size, base, addr, why));
    if (c.error) *addr = 0;
    return c;
}

ps_call_t ps_unmap_view(const ps_backend_t *b, uint32_t addr, strbuf_t *why)
{
    return settle(b->ops->unmap_view(b->ctx, addr, why));
}

ps_call_t ps_close_handle(const ps_backend_t *b, uint32_t handle, strbuf_t *why)
{
    return settle(b->ops->close_handle(b->ctx, handle, why));
}

void ps_system_info(const ps_backend_t *b, mm_sysinfo_t *si)
{
    memset(si, 0, sizeof *si);
    b->ops->system_info(b->ctx, si);
}

void ps_memory_status(const ps_backend_t *b, mm_memstatus_t *ms)
{
    memset(ms, 0, sizeof *ms);
    b->ops->memory_status(b->ctx, ms);
}

bool ps_read8(const ps_backend_t *b, uint32_t addr, uint8_t *value, ps_exception_t *exc, strbuf_t *why)
{
    *value = 0;
    memset(exc, 0, sizeof *exc);
    return b->ops->read8(b->ctx, addr, value, exc, why);
}

bool ps_write8(const ps_backend_t *b, uint32_t addr, uint8_t value, ps_exception_t *exc, strbuf_t *why)
{
    memset(exc, 0, sizeof *exc);
    return b->ops->write8(b->ctx, addr, value, exc, why);
}

bool ps_touch(const ps_backend_t *b, uint32_t addr, bool write, ps_exception_t *exc, strbuf_t *why)
{
    memset(exc, 0, sizeof *exc);
    return b->ops->touch(b->ctx, addr, write, exc, why);
}

ps_call_t ps_get_write_watch(const ps_backend_t *b, uint32_t flags, uint32_t addr, uint32_t size, uint32_t *addrs,
                             uint32_t *count, uint32_t *granularity, strbuf_t *why)
{
    uint32_t cap = *count;
    *granularity = 0;
    ps_call_t c = settle(b->ops->get_write_watch(b->ctx, flags, addr, size, addrs, count, granularity, why));
    if (c.error || *count > cap) {
        *count = 0;
        *granularity = 0;
    }
    return c;
}

ps_call_t ps_reset_write_watch(const ps_backend_t *b, uint32_t addr, uint32_t size, strbuf_t *why)
{
    return settle(b->ops->reset_write_watch(b->ctx, addr, size, why));
}

ps_call_t ps_process_memory_info(const ps_backend_t *b, uint32_t process, mm_pmc_t *pmc, strbuf_t *why)
{
    memset(pmc, 0, sizeof *pmc);
    ps_call_t c = settle(b->ops->process_memory_info(b->ctx, process, pmc, why));
    if (c.error) memset(pmc, 0, sizeof *pmc);
    return c;
}

ps_call_t ps_virtual_lock(const ps_backend_t *b, uint32_t addr, uint32_t size, bool lock, strbuf_t *why)
{
    return settle(b->ops->virtual_lock(b->ctx, addr, size, lock, why));
}

ps_call_t ps_create_file(const ps_backend_t *b, const char *name, uint32_t access, uint32_t share, uint32_t disposition,
                         uint32_t attributes, uint32_t *handle, strbuf_t *why)
{
    *handle = 0;
    ps_call_t c = settle(b->ops->files->create_file(b->ctx, name, access, share, disposition, attributes, handle, why));
    if (c.error) *handle = 0;
    return c;
}

ps_call_t ps_read_file(const ps_backend_t *b, uint32_t handle, uint8_t *buf, uint32_t count, uint32_t *done,
                       strbuf_t *why)
{
    *done = 0;
    ps_call_t c = settle(b->ops->files->read_file(b->ctx, handle, buf, count, done, why));
    if (c.error || *done > count) *done = 0;
    return c;
}

ps_call_t ps_write_file(const ps_backend_t *b, uint32_t handle, const uint8_t *buf, uint32_t count, uint32_t *done,
                        strbuf_t *why)
{
    *done = 0;
    ps_call_t c = settle(b->ops->files->write_file(b->ctx, handle, buf, count, done, why));
    if (c.error || *done > count) *done = 0;
    return c;
}

ps_call_t ps_set_file_pointer(const ps_backend_t *b, uint32_t handle, int32_t distance, uint32_t method, uint32_t *pos,
                              strbuf_t *why)
{
    *pos = INVALID_SET_FILE_POINTER;
    ps_call_t c = settle(b->ops->files->set_file_pointer(b->ctx, handle, distance, method, pos, why));
    if (c.error) *pos = INVALID_SET_FILE_POINTER;
    return c;
}

ps_call_t ps_set_end_of_file(const ps_backend_t *b, uint32_t handle, strbuf_t *why)
{
    return settle(b->ops->files->set_end_of_file(b->ctx, handle, why));
}

ps_call_t ps_get_file_size(const ps_backend_t *b, uint32_t handle, uint32_t *size, strbuf_t *why)
{
    *size = INVALID_FILE_SIZE;
    ps_call_t c = settle(b->ops->files->get_file_size(b->ctx, handle, size, why));
    if (c.error) *size = INVALID_FILE_SIZE;
    return c;
}

ps_call_t ps_create_file_mapping(const ps_backend_t *b, uint32_t file, uint32_t protect, uint32_t size_high,
                                 uint32_t size_low, const char *name, uint32_t *handle, strbuf_t *why)
{
    if (file == INVALID_HANDLE_VALUE) return ps_create_mapping(b, protect, size_high, size_low, name, handle, why);
    *handle = 0;
    ps_call_t c = settle(b->ops->files->create_file_mapping(b->ctx, file, protect, size_high, size_low, name, handle, why));
    if (c.error) *handle = 0;
    return c;
}

ps_call_t ps_flush_view(const ps_backend_t *b, uint32_t addr, uint32_t size, strbuf_t *why)
{
    return settle(b->ops->files->flush_view(b->ctx, addr, size, why));
}

ps_call_t ps_working_set(const ps_backend_t *b, ps_ws_op_t op, uint32_t process, uint32_t *min, uint32_t *max,
                         strbuf_t *why)
{
    if ((unsigned)op > (unsigned)PS_WS_EMPTY) return (ps_call_t){ ERROR_INVALID_FUNCTION, false };
    if (op == PS_WS_GET) *min = *max = 0;
    ps_call_t c = settle(b->ops->working_set(b->ctx, op, process, min, max, why));
    if (c.error && op == PS_WS_GET) *min = *max = 0;
    return c;
}

ps_call_t ps_open_process(const ps_backend_t *b, uint32_t access, bool inherit, const char *name, uint32_t *handle,
                          strbuf_t *why)
{
    *handle = 0;
    ps_call_t c = settle(b->ops->open_process(b->ctx, access, inherit, name, handle, why));
    if (c.error) *handle = 0;
    return c;
}

ps_call_t ps_virtual_query_ex(const ps_backend_t *b, uint32_t process, uint32_t addr, mm_mbi_t *mbi, strbuf_t *why)
{
    memset(mbi, 0, sizeof *mbi);
    ps_call_t c = settle(b->ops->virtual_query_ex(b->ctx, process, addr, mbi, why));
    if (c.error) memset(mbi, 0, sizeof *mbi);
    return c;
}
