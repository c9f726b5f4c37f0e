/* The Win32 backend's memory-manager calls beyond VirtualAlloc and friends:
 * write watch, the process's memory counters, VirtualLock, the working-set
 * calls. Each is the real call; the results are copied into the backend's
 * 32-bit form. */
#ifdef _WIN32
#include "backend_win32_int.h"
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <psapi.h>

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

ps_call_t ps_w32_virtual_lock(void *ctx, uint32_t addr, uint32_t size, bool lock, strbuf_t *why)
{
    (void)ctx;
    (void)why;
    void *p = (void *)(uintptr_t)addr;
    BOOL ok = lock ? VirtualLock(p, size) : VirtualUnlock(p, size);
    ps_call_t c = { ok ? 0 : (uint32_t)GetLastError(), false };
    return c;
}

static uint32_t clamp(SIZE_T v)
{
    return v > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)v;
}

ps_call_t ps_w32_process_memory_info(void *ctx, uint32_t process, mm_pmc_t *pmc, strbuf_t *why)
{
    (void)ctx;
    (void)why;
    PROCESS_MEMORY_COUNTERS_EX m;
    memset(&m, 0, sizeof m);
    m.cb = sizeof m;
    BOOL ok = GetProcessMemoryInfo((HANDLE)(uintptr_t)process, (PROCESS_MEMORY_COUNTERS *)&m, sizeof m);
    ps_call_t c = { ok ? 0 : (uint32_t)GetLastError(), false };
    if (!ok) return c;
    pmc->PageFaultCount = m.PageFaultCount;
    pmc->PeakWorkingSetSize = clamp(m.PeakWorkingSetSize);
    pmc->WorkingSetSize = clamp(m.WorkingSetSize);
    pmc->QuotaPeakPagedPoolUsage = clamp(m.QuotaPeakPagedPoolUsage);
    pmc->QuotaPagedPoolUsage = clamp(m.QuotaPagedPoolUsage);
    pmc->QuotaPeakNonPagedPoolUsage = clamp(m.QuotaPeakNonPagedPoolUsage);
    pmc->QuotaNonPagedPoolUsage = clamp(m.QuotaNonPagedPoolUsage);
    pmc->PagefileUsage = clamp(m.PagefileUsage);
    pmc->PeakPagefileUsage = clamp(m.PeakPagefileUsage);
    pmc->PrivateUsage = clamp(m.PrivateUsage);
    return c;
}

ps_call_t ps_w32_working_set(void *ctx, ps_ws_op_t op, uint32_t process, uint32_t *min, uint32_t *max, strbuf_t *why)
{
    (void)ctx;
    (void)why;
    HANDLE h = (HANDLE)(uintptr_t)process;
    SIZE_T lo = 0, hi = 0;
    BOOL ok;
    if (op == PS_WS_SET) ok = SetProcessWorkingSetSize(h, *min == 0xFFFFFFFFu ? (SIZE_T)-1 : *min,
                                                       *max == 0xFFFFFFFFu ? (SIZE_T)-1 : *max);
    else if (op == PS_WS_GET) ok = GetProcessWorkingSetSize(h, &lo, &hi);
    else ok = EmptyWorkingSet(h);
    ps_call_t c = { ok ? 0 : (uint32_t)GetLastError(), false };
    if (ok && op == PS_WS_GET) {
        *min = clamp(lo);
        *max = clamp(hi);
    }
    return c;
}

ps_call_t ps_w32_open_process(void *ctx, uint32_t access, bool inherit, const char *name, uint32_t *handle,
                              strbuf_t *why)
{
    (void)ctx;
    if (strcmp(name, MM_FIRST_PROCESS) != 0) {
        /* The ID of no process (Windows PIDs are multiples of 4). */
        if (why) strbuf_printf(why, "the host runs one process of the scenario's, \"main\"; \"%s\" is none", name);
        SetLastError(ERROR_INVALID_PARAMETER);
        return (ps_call_t){ ERROR_INVALID_PARAMETER, false };
    }
    HANDLE h = OpenProcess(access, inherit, GetCurrentProcessId());
    *handle = (uint32_t)(uintptr_t)h;
    return (ps_call_t){ h ? 0 : (uint32_t)GetLastError(), false };
}

ps_call_t ps_w32_query_ex(void *ctx, uint32_t process, uint32_t addr, mm_mbi_t *mbi, strbuf_t *why)
{
    (void)ctx;
    (void)why;
    MEMORY_BASIC_INFORMATION m;
    if (!VirtualQueryEx((HANDLE)(uintptr_t)process, (void *)(uintptr_t)addr, &m, sizeof m))
        return (ps_call_t){ (uint32_t)GetLastError(), false };
    ps_w32_mbi(&m, mbi);
    return (ps_call_t){ 0, false };
}
#endif
