/* The Win32 backend. Each call is the real one; reads and writes are single
 * byte accesses made by tiny probe routines, so that an access violation or
 * a guard-page exception can be caught by a vectored exception handler,
 * which records it and resumes at a routine that reports the failure, with
 * the stack exactly as the probe left it (the probes are leaf functions).
 * With MSVC the same is done with __try/__except. */
#ifdef _WIN32
#include "pagesim/backend_win32.h"
#include "backend_win32_int.h"
#include "w32_files.h"
#include <stdlib.h>
#include <string.h>
#include <windows.h>

/* Allocations made by this backend, to tell an environment conflict (the
 * host process uses the range) from a real difference. */
typedef struct w32 {
    struct { uintptr_t base, size; } *own;
    size_t n, cap;
    w32_files_t *files;
} w32_t;

static void own_add(w32_t *w, uintptr_t base, uintptr_t size)
{
    if (w->n == w->cap) {
        size_t ncap = w->cap ? w->cap * 2 : 64;
        void *p = realloc(w->own, ncap * sizeof *w->own);
        if (!p) return;
        w->own = p;
        w->cap = ncap;
    }
    w->own[w->n].base = base;
    w->own[w->n].size = size;
    w->n++;
}

static void own_remove(w32_t *w, uintptr_t base)
{
    for (size_t i = 0; i < w->n; i++)
        if (w->own[i].base == base) {
            w->own[i] = w->own[--w->n];
            return;
        }
}

static int own_overlaps(const w32_t *w, uintptr_t start, uintptr_t end)
{
    for (size_t i = 0; i < w->n; i++)
        if (start < w->own[i].base + w->own[i].size && w->own[i].base < end) return 1;
    return 0;
}

/* True when [start, end) holds memory the host process uses. */
static int host_uses(const w32_t *w, uintptr_t start, uintptr_t end)
{
    MEMORY_BASIC_INFORMATION m;
    for (uintptr_t a = start; a < end; a = (uintptr_t)m.BaseAddress + m.RegionSize) {
        if (!VirtualQuery((void *)a, &m, sizeof m) || !m.RegionSize) return 0;
        if (m.State != MEM_FREE && !own_overlaps(w, (uintptr_t)m.AllocationBase, (uintptr_t)m.AllocationBase + 1))
            return 1;
        if ((uintptr_t)m.BaseAddress + m.RegionSize <= a) return 0;
    }
    return 0;
}

void *ps_win32_open(void)
{
    w32_t *w = calloc(1, sizeof(w32_t));
    if (w && !(w->files = w32_files_open())) {
        free(w);
        w = NULL;
    }
    return w;
}

w32_files_t *w32_files_of(void *ctx)
{
    return ctx ? ((w32_t *)ctx)->files : NULL;
}

void ps_win32_close(void *ctx)
{
    w32_t *w = ctx;
    if (!w) return;
    /* Views still mapped hold their files open: unmap them, so that the
     * files can be removed. */
    MEMORY_BASIC_INFORMATION m;
    for (size_t i = 0; i < w->n; i++)
        if (VirtualQuery((void *)w->own[i].base, &m, sizeof m) && m.Type == MEM_MAPPED &&
            (uintptr_t)m.AllocationBase == w->own[i].base)
            UnmapViewOfFile((void *)w->own[i].base);
    w32_files_close(w->files);
    free(w->own);
    free(w);
}

static ps_call_t last_error(BOOL ok)
{
    ps_call_t c = { ok ? 0 : (uint32_t)GetLastError(), false };
    return c;
}

static ps_call_t w_alloc(void *ctx, uint32_t addr, uint32_t size, uint32_t type, uint32_t protect, uint32_t *base,
                         strbuf_t *why)
{
    w32_t *w = ctx;
    void *p = VirtualAlloc((void *)(uintptr_t)addr, size, type, protect);
    *base = (uint32_t)(uintptr_t)p;
    ps_call_t c = last_error(p != NULL);
    if (p && ((type & MEM_RESERVE) || !addr)) {
        MEMORY_BASIC_INFORMATION m;
        uintptr_t sz = VirtualQuery(p, &m, sizeof m) ? m.RegionSize : 0x1000;
        own_add(w, (uintptr_t)p, sz);
    }
    if (!p && addr && (type & MEM_RESERVE) && c.error == ERROR_INVALID_ADDRESS) {
        uintptr_t start = addr & ~(uintptr_t)0xFFFF;
        uintptr_t end = ((uintptr_t)addr + size + 0xFFF) & ~(uintptr_t)0xFFF;
        if (!own_overlaps(w, start, end) && host_uses(w, start, end)) {
            c.conflict = true;
            if (why) strbuf_printf(why, "environment conflict: the host process already uses memory in 0x%08X-0x%08X",
                                   (unsigned)start, (unsigned)(end - 1));
        }
    }
    return c;
}

static ps_call_t w_free(void *ctx, uint32_t addr, uint32_t size, uint32_t type, strbuf_t *why)
{
    (void)why;
    BOOL ok = VirtualFree((void *)(uintptr_t)addr, size, type);
    if (ok && type == MEM_RELEASE) own_remove(ctx, addr);
    return last_error(ok);
}

static ps_call_t w_protect(void *ctx, uint32_t addr, uint32_t size, uint32_t protect, uint32_t *old, strbuf_t *why)
{
    (void)ctx;
    (void)why;
    DWORD o = 0;
    BOOL ok = VirtualProtect((void *)(uintptr_t)addr, size, protect, &o);
    *old = o;
    return last_error(ok);
}

void ps_w32_mbi(const MEMORY_BASIC_INFORMATION *m, mm_mbi_t *mbi)
{
    mbi->BaseAddress = (uint32_t)(uintptr_t)m->BaseAddress;
    mbi->AllocationBase = (uint32_t)(uintptr_t)m->AllocationBase;
    mbi->AllocationProtect = m->AllocationProtect;
    mbi->RegionSize = (uint32_t)m->RegionSize;
    mbi->State = m->State;
    mbi->Protect = m->Protect;
    mbi->Type = m->Type;
}

static ps_call_t w_query(void *ctx, uint32_t addr, mm_mbi_t *mbi, strbuf_t *why)
{
    (void)ctx;
    (void)why;
    MEMORY_BASIC_INFORMATION m;
    memset(mbi, 0, sizeof *mbi);
    if (!VirtualQuery((void *)(uintptr_t)addr, &m, sizeof m)) return last_error(FALSE);
    ps_w32_mbi(&m, mbi);
    return last_error(TRUE);
}

static ps_call_t w_create_mapping(void *ctx, uint32_t protect, uint32_t size_high, uint32_t size_low, const char *name,
                                 uint32_t *handle, strbuf_t *why)
{
    (void)ctx;
    (void)why;
    HANDLE h = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, protect, size_high, size_low, name);
    *handle = (uint32_t)(uintptr_t)h;
    return last_error(h != NULL);
}

static ps_call_t w_map_view(void *ctx, uint32_t handle, uint32_t access, uint32_t off_high, uint32_t off_low,
                           uint32_t size, uint32_t base, uint32_t *addr, strbuf_t *why)
{
    w32_t *w = ctx;
    void *p = MapViewOfFileEx((HANDLE)(uintptr_t)handle, access, off_high, off_low, size, (void *)(uintptr_t)base);
    *addr = (uint32_t)(uintptr_t)p;
    ps_call_t c = last_error(p != NULL);
    if (p) {
        MEMORY_BASIC_INFORMATION m;
        own_add(w, (uintptr_t)p, VirtualQuery(p, &m, sizeof m) ? m.RegionSize : 0x1000);
    } else if (base && c.error == ERROR_INVALID_ADDRESS &&
               !own_overlaps(w, base, (uintptr_t)base + (size ? size : 0x1000)) &&
               host_uses(w, base, (uintptr_t)base + (size ? size : 0x1000))) {
        c.conflict = true;
        if (why) strbuf_printf(why, "environment conflict: the host process already uses memory at 0x%08X", base);
    }
    return c;
}

static ps_call_t w_unmap_view(void *ctx, uint32_t addr, strbuf_t *why)
{
    (void)why;
    BOOL ok = UnmapViewOfFile((void *)(uintptr_t)addr);
    if (ok) own_remove(ctx, addr);
    return last_error(ok);
}

static ps_call_t w_close_handle(void *ctx, uint32_t handle, strbuf_t *why)
{
    (void)why;
    BOOL ok = CloseHandle((HANDLE)(uintptr_t)handle);
    if (ok) w32_files_closed(w32_files_of(ctx), handle);
    return last_error(ok);
}

static void w_system_info(void *ctx, mm_sysinfo_t *si)
{
    (void)ctx;
    SYSTEM_INFO s;
    GetSystemInfo(&s);
    si->page_size = s.dwPageSize;
    si->granularity = s.dwAllocationGranularity;
    si->min_app = (uint32_t)(uintptr_t)s.lpMinimumApplicationAddress;
    si->max_app = (uint32_t)(uintptr_t)s.lpMaximumApplicationAddress;
    si->processors = s.dwNumberOfProcessors;
}

static void w_memory_status(void *ctx, mm_memstatus_t *ms)
{
    (void)ctx;
    MEMORYSTATUS m;
    m.dwLength = sizeof m;
    GlobalMemoryStatus(&m);
    ms->memory_load = m.dwMemoryLoad;
    ms->total_phys = m.dwTotalPhys;
    ms->avail_phys = m.dwAvailPhys;
    ms->total_pagefile = m.dwTotalPageFile;
    ms->avail_pagefile = m.dwAvailPageFile;
    ms->total_virtual = m.dwTotalVirtual;
    ms->avail_virtual = m.dwAvailVirtual;
}

/* Probes. ------------------------------------------------------------------ */

static volatile LONG probe_code;
static volatile ULONG_PTR probe_info[2];

#ifdef _MSC_VER
static int filter(EXCEPTION_POINTERS *ep)
{
    DWORD c = ep->ExceptionRecord->ExceptionCode;
    if (c != EXCEPTION_ACCESS_VIOLATION && c != STATUS_GUARD_PAGE_VIOLATION) return EXCEPTION_CONTINUE_SEARCH;
    probe_code = (LONG)c;
    probe_info[0] = ep->ExceptionRecord->ExceptionInformation[0];
    probe_info[1] = ep->ExceptionRecord->ExceptionInformation[1];
    return EXCEPTION_EXECUTE_HANDLER;
}

static uint32_t probe_read(const volatile uint8_t *p)
{
    __try { return *p; } __except (filter(GetExceptionInformation())) { return 0xFFFFFFFFu; }
}

static uint32_t probe_write(volatile uint8_t *p, uint32_t v)
{
    __try { *p = (uint8_t)v; return 0; } __except (filter(GetExceptionInformation())) { return 0xFFFFFFFFu; }
}

static uint32_t probe_touchw(volatile uint8_t *p)
{
    __try { _InterlockedOr8((volatile char *)p, 0); return 0; }
    __except (filter(GetExceptionInformation())) { return 0xFFFFFFFFu; }
}
static void probes_init(void) {}
#else
/* cdecl leaf routines; the *_at labels mark the one instruction that may
 * fault. probe_failed returns 0xFFFFFFFF to the probe's caller. */
uint32_t probe_read(const volatile uint8_t *p);
uint32_t probe_write(volatile uint8_t *p, uint32_t v);
uint32_t probe_touchw(volatile uint8_t *p);
extern char probe_read_at[], probe_write_at[], probe_touchw_at[], probe_failed[];
__asm__(".text\n"
        ".globl _probe_read, _probe_write, _probe_touchw, _probe_read_at, _probe_write_at, _probe_touchw_at, "
        "_probe_failed\n"
        "_probe_read:\n  movl 4(%esp), %ecx\n_probe_read_at:\n  movzbl (%ecx), %eax\n  ret\n"
        "_probe_write:\n  movl 4(%esp), %ecx\n  movl 8(%esp), %edx\n_probe_write_at:\n  movb %dl, (%ecx)\n"
        "  xorl %eax, %eax\n  ret\n"
        "_probe_touchw:\n  movl 4(%esp), %ecx\n_probe_touchw_at:\n  lock orb $0, (%ecx)\n  xorl %eax, %eax\n  ret\n"
        "_probe_failed:\n  movl $0xFFFFFFFF, %eax\n  ret\n");

static LONG CALLBACK handler(EXCEPTION_POINTERS *ep)
{
    void *at = ep->ExceptionRecord->ExceptionAddress;
    DWORD c = ep->ExceptionRecord->ExceptionCode;
    if (at != (void *)probe_read_at && at != (void *)probe_write_at && at != (void *)probe_touchw_at)
        return EXCEPTION_CONTINUE_SEARCH;
    if (c != EXCEPTION_ACCESS_VIOLATION && c != STATUS_GUARD_PAGE_VIOLATION) return EXCEPTION_CONTINUE_SEARCH;
    probe_code = (LONG)c;
    probe_info[0] = ep->ExceptionRecord->ExceptionInformation[0];
    probe_info[1] = ep->ExceptionRecord->ExceptionInformation[1];
    ep->ContextRecord->Eip = (DWORD)(uintptr_t)probe_failed;
    return EXCEPTION_CONTINUE_EXECUTION;
}

static void probes_init(void)
{
    static int done;
    if (!done) {
        AddVectoredExceptionHandler(1, handler);
        done = 1;
    }
}
#endif

static bool failed(uint32_t r, ps_exception_t *exc)
{
    if (r != 0xFFFFFFFFu) return false;
    exc->code = (uint32_t)probe_code;
    exc->access = probe_info[0] == 1 ? MMU_WRITE : probe_info[0] == 8 ? MMU_EXEC : MMU_READ;
    exc->addr = (uint32_t)probe_info[1];
    return true;
}

static bool w_read8(void *ctx, uint32_t addr, uint8_t *value, ps_exception_t *exc, strbuf_t *why)
{
    (void)ctx;
    (void)why;
    probes_init();
    uint32_t r = probe_read((const volatile uint8_t *)(uintptr_t)addr);
    if (failed(r, exc)) return false;
    *value = (uint8_t)r;
    return true;
}

static bool w_write8(void *ctx, uint32_t addr, uint8_t value, ps_exception_t *exc, strbuf_t *why)
{
    (void)ctx;
    (void)why;
    probes_init();
    return !failed(probe_write((volatile uint8_t *)(uintptr_t)addr, value), exc);
}

static bool w_touch(void *ctx, uint32_t addr, bool write, ps_exception_t *exc, strbuf_t *why)
{
    (void)ctx;
    (void)why;
    probes_init();
    uint32_t r = write ? probe_touchw((volatile uint8_t *)(uintptr_t)addr)
                       : probe_read((const volatile uint8_t *)(uintptr_t)addr);
    return !failed(r, exc);
}

static const ps_backend_ops_t win32_ops = {
    PS_BACKEND_VERSION, "win32", false,
    w_alloc, w_free, w_protect, w_query,
    w_create_mapping, w_map_view, w_unmap_view, w_close_handle,
    w_system_info, w_memory_status, w_read8, w_write8, w_touch,
    ps_w32_get_write_watch, ps_w32_reset_write_watch, ps_w32_process_memory_info, ps_w32_virtual_lock,
    &w32_file_ops,
    ps_win32_heap,
    ps_w32_working_set,
    ps_w32_open_process,
    ps_w32_query_ex,
};

const ps_backend_ops_t *ps_backend_win32(void)
{
    return &win32_ops;
}
#endif
