/* The Win32 backend's memory-manager calls beyond VirtualAlloc and friends:
 * write watch. Each is the real call; the results are copied into the
 * backend's 32-bit form. */
#ifdef _WIN32
#include "backend_win32_int.h"
#include <stdlib.h>
#include <windows.h>

ps_call_t ps_w32_get_write_watch(void *ctx, uint32_t flags, uint32_t addr, uint32_t size, uint32_t *addrs,
                                 uint32_t *count, uint32_t *granularity, strbuf_t *why)
{
    (void)ctx;
    (void)why;
    /* PVOID entries: the caller's array has room for *count of them. */
    PVOID *found = calloc(*count ? *count : 1, sizeof *found);
    ps_call_t c = { ERROR_NOT_ENOUGH_MEMORY, false };
    if (!found) return c;
    ULONG_PTR n = *count;
    ULONG gran = 0;
    UINT r = GetWriteWatch(flags, (void *)(uintptr_t)addr, size, found, &n, &gran);
    c.error = r ? (uint32_t)GetLastError() : 0;
    if (!r) {
        for (ULONG_PTR i = 0; i < n && i < *count; i++) addrs[i] = (uint32_t)(uintptr_t)found[i];
        *count = (uint32_t)n;
        *granularity = gran;
    }
    /* A failure that set no error still fails: the one error the
     * documentation gives for it. */
    if (r && !c.error) c.error = ERROR_INVALID_PARAMETER;
    free(found);
    return c;
}

ps_call_t ps_w32_reset_write_watch(void *ctx, uint32_t addr, uint32_t size, strbuf_t *why)
{
    (void)ctx;
    (void)why;
    UINT r = ResetWriteWatch((void *)(uintptr_t)addr, size);
    ps_call_t c = { r ? (uint32_t)GetLastError() : 0, false };
    if (r && !c.error) c.error = ERROR_INVALID_PARAMETER;
    return c;
}
#endif
