/* The Win32 backend's heap calls: the real HeapCreate ... HeapWalk of
 * this process and the real msvcrt malloc family, with the last error
 * cleared before each call so that a call that sets none reports 0.
 *
 * HEAP_GENERATE_EXCEPTIONS is taken off the real call and the exception it
 * would raise (STATUS_NO_MEMORY, exactly when the call would return NULL:
 * MSDN HeapAlloc) is reported instead, so that the scenario goes on; the
 * heaps created with it are remembered for that. Delphi's GetMemory is not
 * a Win32 call: it is reimplemented over the real VirtualAlloc with
 * getmem.inc's rules (crt.c gives them). */
#ifdef _WIN32
#include "pagesim/backend_win32.h"
#include "pagesim/heap.h"
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#define MAX_RAISING 64
static HANDLE raising[MAX_RAISING]; /* heaps made with HEAP_GENERATE_EXCEPTIONS */

static bool raises(HANDLE h, uint32_t flags)
{
    if (flags & HEAP_GENERATE_EXCEPTIONS) return true;
    for (int i = 0; i < MAX_RAISING; i++)
        if (raising[i] == h && h) return true;
    return false;
}

static void remember(HANDLE h, bool on)
{
    for (int i = 0; i < MAX_RAISING; i++) {
        if (on && !raising[i]) {
            raising[i] = h;
            return;
        }
        if (!on && raising[i] == h) raising[i] = NULL;
    }
}

static uint32_t u32(const void *p) { return (uint32_t)(uintptr_t)p; }
static void *ptr(uint32_t v) { return (void *)(uintptr_t)v; }

static void walk(HANDLE h, ps_heap_out_t *out)
{
    PROCESS_HEAP_ENTRY e;
    memset(&e, 0, sizeof e);
    if (!HeapLock(h)) {
        out->error = GetLastError();
        return;
    }
    while (HeapWalk(h, &e))
        if (e.wFlags & PROCESS_HEAP_ENTRY_BUSY) {
            out->ret++;
            out->bytes += (uint32_t)e.cbData;
        }
    DWORD err = GetLastError();
    HeapUnlock(h);
    if (err != ERROR_NO_MORE_ITEMS) {
        out->ret = out->bytes = 0;
        out->error = err;
    }
}

static void get_memory(uint32_t size, ps_heap_out_t *out)
{
    uint64_t block = ((uint64_t)size + 4 + DELPHI_ALIGN - 1) & ~(uint64_t)(DELPHI_ALIGN - 1);
    if (block > 0x7FFF0000u) {
        out->error = ERROR_NOT_ENOUGH_MEMORY;
        return;
    }
    if (block < DELPHI_SPACE_ALLOC) {
        out->error = ERROR_CALL_NOT_IMPLEMENTED;
        return;
    }
    SIZE_T reserve = (SIZE_T)((block + DELPHI_SPACE_ALLOC - 1) & ~(uint64_t)(DELPHI_SPACE_ALLOC - 1));
    SIZE_T commit = (SIZE_T)((block + DELPHI_COMMIT_ALLOC - 1) & ~(uint64_t)(DELPHI_COMMIT_ALLOC - 1));
    uint8_t *base = VirtualAlloc(NULL, reserve, MEM_RESERVE, PAGE_READWRITE);
    if (!base || !VirtualAlloc(base, commit, MEM_COMMIT, PAGE_READWRITE)) {
        out->error = GetLastError();
        if (base) VirtualFree(base, 0, MEM_RELEASE);
        return;
    }
    uint32_t hdr = (uint32_t)block | DELPHI_USED_FLAG;
    memcpy(base, &hdr, 4);
    out->ret = u32(base) + 4;
}

static void free_memory(uint32_t p, ps_heap_out_t *out)
{
    uint32_t hdr = 0;
    MEMORY_BASIC_INFORMATION m;
    if (!p) return; /* FreeMemory(nil) is 0 */
    /* Only a pointer 4 bytes into a region, whose header says in use. */
    if (p < 4 || !VirtualQuery(ptr(p - 4), &m, sizeof m) || u32(m.AllocationBase) != p - 4 || m.State != MEM_COMMIT ||
        (memcpy(&hdr, ptr(p - 4), 4), !(hdr & DELPHI_USED_FLAG)) || (hdr & ~3u) < DELPHI_SPACE_ALLOC) {
        out->ret = 1;
        out->error = ERROR_INVALID_PARAMETER;
        return;
    }
    VirtualFree(ptr(p - 4), 0, MEM_RELEASE);
}

static void heap_ops(ps_heap_op_t op, const uint32_t a[4], ps_heap_out_t *out)
{
    HANDLE h = ptr(a[0]);
    DWORD nothrow = (DWORD)a[1] & ~(DWORD)HEAP_GENERATE_EXCEPTIONS;
    switch (op) {
    case PS_HEAP_CREATE:
        h = HeapCreate(a[0] & ~(DWORD)HEAP_GENERATE_EXCEPTIONS, a[1], a[2]);
        if (h && (a[0] & HEAP_GENERATE_EXCEPTIONS)) remember(h, true);
        out->ret = u32(h);
        break;
    case PS_HEAP_DESTROY:
        out->ret = HeapDestroy(h) != 0;
        if (out->ret) remember(h, false);
        break;
    case PS_HEAP_ALLOC:
        out->ret = u32(HeapAlloc(h, nothrow, a[2]));
        if (!out->ret && raises(h, a[1])) out->exception = STATUS_NO_MEMORY;
        break;
    case PS_HEAP_REALLOC:
        out->ret = u32(HeapReAlloc(h, nothrow, ptr(a[2]), a[3]));
        if (!out->ret && raises(h, a[1])) out->exception = STATUS_NO_MEMORY;
        break;
    case PS_HEAP_FREE: out->ret = HeapFree(h, a[1], ptr(a[2])) != 0; break;
    case PS_HEAP_SIZE: out->ret = (uint32_t)HeapSize(h, a[1], ptr(a[2])); break;
    case PS_HEAP_VALIDATE: out->ret = HeapValidate(h, a[1], ptr(a[2])) != 0; break;
    case PS_HEAP_GET_PROCESS_HEAP: out->ret = u32(GetProcessHeap()); break;
    case PS_HEAP_GET_PROCESS_HEAPS: out->ret = GetProcessHeaps(0, NULL); break;
    default: break;
    }
}

void ps_win32_heap(void *ctx, ps_heap_op_t op, const uint32_t a[4], ps_heap_out_t *out, strbuf_t *why)
{
    (void)ctx;
    (void)why;
    SetLastError(0);
    switch (op) {
    case PS_HEAP_WALK: walk(ptr(a[0]), out); return;
    case PS_CRT_MALLOC: out->ret = u32(malloc(a[0])); break;
    case PS_CRT_CALLOC: out->ret = u32(calloc(a[0], a[1])); break;
    case PS_CRT_REALLOC: out->ret = u32(realloc(ptr(a[0]), a[1])); break;
    case PS_CRT_FREE: free(ptr(a[0])); break;
    case PS_DELPHI_GETMEMORY: get_memory(a[0], out); return;
    case PS_DELPHI_FREEMEMORY: free_memory(a[0], out); return;
    default: heap_ops(op, a, out); break;
    }
    out->error = GetLastError();
}
#endif
