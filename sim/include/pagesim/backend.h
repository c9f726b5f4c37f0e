/* Backends: who carries out the statements that both the simulator and real
 * Windows can run. A backend is a versioned const table of functions, in the
 * manner of SQLite's VFS; the simulator and Win32 are sibling
 * implementations, and the scenario runner calls them only through the
 * wrappers below, which check arguments and results.
 *
 * Every call returns a ps_call_t: the GetLastError code (0 for success) and
 * whether a failure was a conflict with the host process. why, when not
 * NULL, receives an explanation (the simulator gives one; Win32 cannot). */
#ifndef PAGESIM_BACKEND_H
#define PAGESIM_BACKEND_H

#include "pagesim/mm.h"
#include "pagesim/strbuf.h"
#include <stdbool.h>
#include <stdint.h>

#define PS_BACKEND_VERSION 3

/* An exception raised by a user-mode access. */
typedef struct ps_exception {
    uint32_t code;     /* EXCEPTION_ACCESS_VIOLATION, STATUS_GUARD_PAGE_VIOLATION;
                          0: the host ran out of memory (nothing happened)       */
    mmu_access_t access;
    uint32_t addr;     /* the faulting address                                   */
} ps_exception_t;

/* What one call gave besides its out-parameters. */
typedef struct ps_call {
    uint32_t error;    /* GetLastError after the call; 0 when it succeeded       */
    bool conflict;     /* it failed because the host process already uses the
                          range asked for: an environment conflict, not a
                          difference of behaviour                                */
} ps_call_t;

/* Files and file-backed sections, as the SDK declares the calls (out-
 * parameters last). File handles are the backend's own numbers, like
 * section handles; CloseHandle closes either. A backend names files by a
 * plain file name and keeps them where the scenario cannot reach anything
 * else (the simulator's file system; a temporary directory on Windows). */
typedef struct ps_file_ops {
    ps_call_t (*create_file)(void *ctx, const char *name, uint32_t access, uint32_t share, uint32_t disposition,
                             uint32_t attributes, uint32_t *handle, strbuf_t *why);
    /* ReadFile of count bytes into buf; *done: the bytes read. */
    ps_call_t (*read_file)(void *ctx, uint32_t handle, uint8_t *buf, uint32_t count, uint32_t *done, strbuf_t *why);
    ps_call_t (*write_file)(void *ctx, uint32_t handle, const uint8_t *buf, uint32_t count, uint32_t *done,
                            strbuf_t *why);
    /* SetFilePointer(handle, distance, NULL, method); *pos: the result. */
    ps_call_t (*set_file_pointer)(void *ctx, uint32_t handle, int32_t distance, uint32_t method, uint32_t *pos,
                                  strbuf_t *why);
    ps_call_t (*set_end_of_file)(void *ctx, uint32_t handle, strbuf_t *why);
    ps_call_t (*get_file_size)(void *ctx, uint32_t handle, uint32_t *size, strbuf_t *why);
    /* CreateFileMapping on a file handle (never INVALID_HANDLE_VALUE). */
    ps_call_t (*create_file_mapping)(void *ctx, uint32_t file, uint32_t protect, uint32_t size_high, uint32_t size_low,
                                     const char *name, uint32_t *handle, strbuf_t *why);
    ps_call_t (*flush_view)(void *ctx, uint32_t addr, uint32_t size, strbuf_t *why);
} ps_file_ops_t;
/* Heaps and the C runtime (pagesim/heap.h), one entry for them all. */
typedef enum {
    PS_HEAP_CREATE,        /* HeapCreate(options, initial, maximum)           */
    PS_HEAP_DESTROY,       /* HeapDestroy(heap)                               */
    PS_HEAP_ALLOC,         /* HeapAlloc(heap, flags, size)                    */
    PS_HEAP_REALLOC,       /* HeapReAlloc(heap, flags, ptr, size)             */
    PS_HEAP_FREE,          /* HeapFree(heap, flags, ptr)                      */
    PS_HEAP_SIZE,          /* HeapSize(heap, flags, ptr)                      */
    PS_HEAP_VALIDATE,      /* HeapValidate(heap, flags, ptr)                  */
    PS_HEAP_GET_PROCESS_HEAP,  /* GetProcessHeap()                            */
    PS_HEAP_GET_PROCESS_HEAPS, /* GetProcessHeaps(): the count               */
    PS_HEAP_WALK,          /* HeapWalk(heap) to the end: busy entries         */
    PS_CRT_MALLOC,         /* malloc(size)                                    */
    PS_CRT_CALLOC,         /* calloc(count, size)                             */
    PS_CRT_REALLOC,        /* realloc(ptr, size)                              */
    PS_CRT_FREE,           /* free(ptr)                                       */
    PS_DELPHI_GETMEMORY,   /* GetMemory(size)                                 */
    PS_DELPHI_FREEMEMORY,  /* FreeMemory(ptr)                                 */
    PS_HEAP_OP_COUNT
} ps_heap_op_t;

/* What a heap call gave: its return value, GetLastError after it (the
 * caller cleared it first: 0 when the call set none), the exception it
 * raised instead of returning (STATUS_NO_MEMORY; 0: none), and for
 * HeapWalk the busy bytes besides the count in ret. */
typedef struct ps_heap_out {
    uint32_t ret, error, exception, bytes;
} ps_heap_out_t;

/* The working-set calls of a process handle (0xFFFFFFFF, GetCurrentProcess()'s
 * pseudo-handle, is the process making the calls). */
typedef enum {
    PS_WS_SET,    /* SetProcessWorkingSetSize(process, *min, *max)          */
    PS_WS_GET,    /* GetProcessWorkingSetSize(process, min, max): out       */
    PS_WS_EMPTY,  /* EmptyWorkingSet(process)                               */
} ps_ws_op_t;

typedef struct ps_backend_ops {
    int version;       /* PS_BACKEND_VERSION                                     */
    const char *name;  /* "sim", "win32"                                         */
    bool simulated;    /* runs the simulator-only statements too                 */
    ps_call_t (*virtual_alloc)(void *ctx, uint32_t addr, uint32_t size, uint32_t type, uint32_t protect,
                               uint32_t *base, strbuf_t *why);
    ps_call_t (*virtual_free)(void *ctx, uint32_t addr, uint32_t size, uint32_t type, strbuf_t *why);
    ps_call_t (*virtual_protect)(void *ctx, uint32_t addr, uint32_t size, uint32_t protect, uint32_t *old,
                                 strbuf_t *why);
    ps_call_t (*virtual_query)(void *ctx, uint32_t addr, mm_mbi_t *mbi, strbuf_t *why);
    /* Page-file-backed sections. Handles are the backend's own numbers. */
    ps_call_t (*create_mapping)(void *ctx, uint32_t protect, uint32_t size_high, uint32_t size_low, const char *name,
                                uint32_t *handle, strbuf_t *why);
    ps_call_t (*map_view)(void *ctx, uint32_t handle, uint32_t access, uint32_t off_high, uint32_t off_low,
                          uint32_t size, uint32_t base, uint32_t *addr, strbuf_t *why);
    ps_call_t (*unmap_view)(void *ctx, uint32_t addr, strbuf_t *why);
    ps_call_t (*close_handle)(void *ctx, uint32_t handle, strbuf_t *why);
    void (*system_info)(void *ctx, mm_sysinfo_t *si);
    void (*memory_status)(void *ctx, mm_memstatus_t *ms);
    /* One user-mode access of one byte; false with *exc when it raised one.
     * touch with write set makes a write access that changes nothing. */
    bool (*read8)(void *ctx, uint32_t addr, uint8_t *value, ps_exception_t *exc, strbuf_t *why);
    bool (*write8)(void *ctx, uint32_t addr, uint8_t value, ps_exception_t *exc, strbuf_t *why);
    bool (*touch)(void *ctx, uint32_t addr, bool write, ps_exception_t *exc, strbuf_t *why);
    /* Write watch: GetWriteWatch (room for *count addresses in addrs; out:
     * *count returned, *granularity) and ResetWriteWatch. */
    ps_call_t (*get_write_watch)(void *ctx, uint32_t flags, uint32_t addr, uint32_t size, uint32_t *addrs,
                                 uint32_t *count, uint32_t *granularity, strbuf_t *why);
    ps_call_t (*reset_write_watch)(void *ctx, uint32_t addr, uint32_t size, strbuf_t *why);
    /* GetProcessMemoryInfo of the process a handle names (0xFFFFFFFF:
     * the process making the calls). */
    ps_call_t (*process_memory_info)(void *ctx, uint32_t process, mm_pmc_t *pmc, strbuf_t *why);
    /* VirtualLock, VirtualUnlock. */
    ps_call_t (*virtual_lock)(void *ctx, uint32_t addr, uint32_t size, bool lock, strbuf_t *why);
    const ps_file_ops_t *files;
    /* Heaps and the C runtime: op with its arguments (unused ones 0). */
    void (*heap)(void *ctx, ps_heap_op_t op, const uint32_t args[4], ps_heap_out_t *out, strbuf_t *why);
    /* The working set: op on process; min and max in bytes (in for
     * PS_WS_SET, out for PS_WS_GET, unused for PS_WS_EMPTY). */
    ps_call_t (*working_set)(void *ctx, ps_ws_op_t op, uint32_t process, uint32_t *min, uint32_t *max, strbuf_t *why);
    /* OpenProcess(access, inherit, the ID of the process named name) and
     * VirtualQueryEx(process, addr). */
    ps_call_t (*open_process)(void *ctx, uint32_t access, bool inherit, const char *name, uint32_t *handle,
                              strbuf_t *why);
    ps_call_t (*virtual_query_ex)(void *ctx, uint32_t process, uint32_t addr, mm_mbi_t *mbi, strbuf_t *why);
} ps_backend_ops_t;

/* A backend and its context. */
typedef struct ps_backend {
    const ps_backend_ops_t *ops;
    void *ctx;
} ps_backend_t;

/* Checked wrappers, one per operation: every caller goes through them. Each
 * clears the out-parameters first, calls the backend, and makes sure that a
 * failed call leaves them cleared and that a conflict is only reported for
 * a failure; the result carries the error and the conflict together. */
ps_call_t ps_virtual_alloc(const ps_backend_t *b, uint32_t addr, uint32_t size, uint32_t type, uint32_t protect,
                           uint32_t *base, strbuf_t *why);
ps_call_t ps_virtual_free(const ps_backend_t *b, uint32_t addr, uint32_t size, uint32_t type, strbuf_t *why);
ps_call_t ps_virtual_protect(const ps_backend_t *b, uint32_t addr, uint32_t size, uint32_t protect, uint32_t *old,
                             strbuf_t *why);
ps_call_t ps_virtual_query(const ps_backend_t *b, uint32_t addr, mm_mbi_t *mbi, strbuf_t *why);
ps_call_t ps_create_mapping(const ps_backend_t *b, uint32_t protect, uint32_t size_high, uint32_t size_low,
                            const char *name, uint32_t *handle, strbuf_t *why);
ps_call_t ps_map_view(const ps_backend_t *b, uint32_t handle, uint32_t access, uint32_t off_high, uint32_t off_low,
                      uint32_t size, uint32_t base, uint32_t *addr, strbuf_t *why);
ps_call_t ps_unmap_view(const ps_backend_t *b, uint32_t addr, strbuf_t *why);
ps_call_t ps_close_handle(const ps_backend_t *b, uint32_t handle, strbuf_t *why);
/* Files: the same contract; ps_create_file_mapping goes to create_mapping
 * for INVALID_HANDLE_VALUE, to the file ops otherwise. A read's buf holds
 * count bytes; *done and *pos are cleared after a failure (*pos is then
 * INVALID_SET_FILE_POINTER, *size INVALID_FILE_SIZE, as the SDK returns). */
ps_call_t ps_create_file(const ps_backend_t *b, const char *name, uint32_t access, uint32_t share, uint32_t disposition,
                         uint32_t attributes, uint32_t *handle, strbuf_t *why);
ps_call_t ps_read_file(const ps_backend_t *b, uint32_t handle, uint8_t *buf, uint32_t count, uint32_t *done,
                       strbuf_t *why);
ps_call_t ps_write_file(const ps_backend_t *b, uint32_t handle, const uint8_t *buf, uint32_t count, uint32_t *done,
                        strbuf_t *why);
ps_call_t ps_set_file_pointer(const ps_backend_t *b, uint32_t handle, int32_t distance, uint32_t method, uint32_t *pos,
                              strbuf_t *why);
ps_call_t ps_set_end_of_file(const ps_backend_t *b, uint32_t handle, strbuf_t *why);
ps_call_t ps_get_file_size(const ps_backend_t *b, uint32_t handle, uint32_t *size, strbuf_t *why);
ps_call_t ps_create_file_mapping(const ps_backend_t *b, uint32_t file, uint32_t protect, uint32_t size_high,
                                 uint32_t size_low, const char *name, uint32_t *handle, strbuf_t *why);
ps_call_t ps_flush_view(const ps_backend_t *b, uint32_t addr, uint32_t size, strbuf_t *why);
void ps_system_info(const ps_backend_t *b, mm_sysinfo_t *si);
void ps_memory_status(const ps_backend_t *b, mm_memstatus_t *ms);
bool ps_read8(const ps_backend_t *b, uint32_t addr, uint8_t *value, ps_exception_t *exc, strbuf_t *why);
bool ps_write8(const ps_backend_t *b, uint32_t addr, uint8_t value, ps_exception_t *exc, strbuf_t *why);
bool ps_touch(const ps_backend_t *b, uint32_t addr, bool write, ps_exception_t *exc, strbuf_t *why);
/* addrs has room for *count entries (its contents past the returned count
 * are left as they were); on failure *count and *granularity are 0. */
ps_call_t ps_get_write_watch(const ps_backend_t *b, uint32_t flags, uint32_t addr, uint32_t size, uint32_t *addrs,
                             uint32_t *count, uint32_t *granularity, strbuf_t *why);
ps_call_t ps_reset_write_watch(const ps_backend_t *b, uint32_t addr, uint32_t size, strbuf_t *why);
ps_call_t ps_process_memory_info(const ps_backend_t *b, uint32_t process, mm_pmc_t *pmc, strbuf_t *why);
/* VirtualLock (lock) or VirtualUnlock. */
ps_call_t ps_virtual_lock(const ps_backend_t *b, uint32_t addr, uint32_t size, bool lock, strbuf_t *why);
/* A heap or C-runtime call; an op out of range gives ERROR_INVALID_FUNCTION. */
void ps_heap(const ps_backend_t *b, ps_heap_op_t op, const uint32_t args[4], ps_heap_out_t *out, strbuf_t *why);
/* A working-set call; PS_WS_GET's outputs are 0 after a failure, and an op
 * out of range gives ERROR_INVALID_FUNCTION. */
ps_call_t ps_working_set(const ps_backend_t *b, ps_ws_op_t op, uint32_t process, uint32_t *min, uint32_t *max,
                         strbuf_t *why);
/* *handle is 0 after a failure; *mbi cleared after one. */
ps_call_t ps_open_process(const ps_backend_t *b, uint32_t access, bool inherit, const char *name, uint32_t *handle,
                          strbuf_t *why);
ps_call_t ps_virtual_query_ex(const ps_backend_t *b, uint32_t process, uint32_t addr, mm_mbi_t *mbi, strbuf_t *why);

/* The simulator's backend; its context is the mm_t whose current process
 * makes the calls. */
const ps_backend_ops_t *ps_backend_sim(void);
/* The simulator's heap entry (heap_calls.c), for its ops table. */
void ps_sim_heap(void *ctx, ps_heap_op_t op, const uint32_t args[4], ps_heap_out_t *out, strbuf_t *why);

#endif
