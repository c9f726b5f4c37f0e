/* Backends: who carries out the statements that both the simulator and real
 * Windows can run. A backend is a versioned const table of functions, in the
 * manner of SQLite's VFS; the simulator and Win32 are sibling
 * implementations, and the scenario runner calls them only through
 * wrappers that check arguments.
 *
 * Every call returns the GetLastError code (0 for success). why, when not
 * NULL, receives an explanation (the simulator gives one; Win32 cannot). */
#ifndef PAGESIM_BACKEND_H
#define PAGESIM_BACKEND_H

#include "pagesim/mm.h"
#include "pagesim/strbuf.h"
#include <stdbool.h>
#include <stdint.h>

#define PS_BACKEND_VERSION 1

/* An exception raised by a user-mode access. */
typedef struct ps_exception {
    uint32_t code;     /* EXCEPTION_ACCESS_VIOLATION, STATUS_GUARD_PAGE_VIOLATION */
    mmu_access_t access;
    uint32_t addr;     /* the faulting address                                   */
} ps_exception_t;

typedef struct ps_backend_ops {
    int version;       /* PS_BACKEND_VERSION                                     */
    const char *name;  /* "sim", "win32"                                         */
    bool simulated;    /* runs the simulator-only statements too                 */
    uint32_t (*virtual_alloc)(void *ctx, uint32_t addr, uint32_t size, uint32_t type, uint32_t protect,
                              uint32_t *base, strbuf_t *why);
    uint32_t (*virtual_free)(void *ctx, uint32_t addr, uint32_t size, uint32_t type, strbuf_t *why);
    uint32_t (*virtual_protect)(void *ctx, uint32_t addr, uint32_t size, uint32_t protect, uint32_t *old,
                                strbuf_t *why);
    uint32_t (*virtual_query)(void *ctx, uint32_t addr, mm_mbi_t *mbi, strbuf_t *why);
    /* Page-file-backed sections. Handles are the backend's own numbers. */
    uint32_t (*create_mapping)(void *ctx, uint32_t protect, uint32_t size_high, uint32_t size_low, const char *name,
                               uint32_t *handle, strbuf_t *why);
    uint32_t (*map_view)(void *ctx, uint32_t handle, uint32_t access, uint32_t off_high, uint32_t off_low,
                         uint32_t size, uint32_t base, uint32_t *addr, strbuf_t *why);
    uint32_t (*unmap_view)(void *ctx, uint32_t addr, strbuf_t *why);
    uint32_t (*close_handle)(void *ctx, uint32_t handle, strbuf_t *why);
    void (*system_info)(void *ctx, mm_sysinfo_t *si);
    /* One user-mode access of one byte; false with *exc when it raised one.
     * touch with write set makes a write access that changes nothing. */
    bool (*read8)(void *ctx, uint32_t addr, uint8_t *value, ps_exception_t *exc, strbuf_t *why);
    bool (*write8)(void *ctx, uint32_t addr, uint8_t value, ps_exception_t *exc, strbuf_t *why);
    bool (*touch)(void *ctx, uint32_t addr, bool write, ps_exception_t *exc, strbuf_t *why);
    /* True when the last VirtualAlloc or MapViewOfFileEx at a fixed address
     * failed because the host process already uses the range (an
     * environment conflict, not a difference of behaviour). */
    bool (*conflict)(void *ctx);
} ps_backend_ops_t;

/* The simulator's backend; its context is the mm_t whose current process
 * makes the calls. */
const ps_backend_ops_t *ps_backend_sim(void);

#endif
