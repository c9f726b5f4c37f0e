/* The Win32 backend's calls kept outside backend_win32.c (one file per
 * group of calls), for its ops table. */
#ifndef PAGESIM_BACKEND_WIN32_INT_H
#define PAGESIM_BACKEND_WIN32_INT_H

#include "pagesim/backend.h"
#include <windows.h>

/* MEMORY_BASIC_INFORMATION as the backends report it (backend_win32.c). */
void ps_w32_mbi(const MEMORY_BASIC_INFORMATION *m, mm_mbi_t *mbi);

/* GetWriteWatch and ResetWriteWatch (backend_win32_mm.c). */
ps_call_t ps_w32_get_write_watch(void *ctx, uint32_t flags, uint32_t addr, uint32_t size, uint32_t *addrs,
                                 uint32_t *count, uint32_t *granularity, strbuf_t *why);
ps_call_t ps_w32_reset_write_watch(void *ctx, uint32_t addr, uint32_t size, strbuf_t *why);
/* GetProcessMemoryInfo of the host process (psapi). */
ps_call_t ps_w32_process_memory_info(void *ctx, uint32_t process, mm_pmc_t *pmc, strbuf_t *why);
/* VirtualLock (lock) or VirtualUnlock. */
ps_call_t ps_w32_virtual_lock(void *ctx, uint32_t addr, uint32_t size, bool lock, strbuf_t *why);
/* SetProcessWorkingSetSize, GetProcessWorkingSetSize, EmptyWorkingSet of the
 * handle as given (0xFFFFFFFF is GetCurrentProcess()). */
ps_call_t ps_w32_working_set(void *ctx, ps_ws_op_t op, uint32_t process, uint32_t *min, uint32_t *max, strbuf_t *why);
/* OpenProcess of the host process for "main" (the simulator's name for the
 * process making the calls; the host runs no other), VirtualQueryEx. */
ps_call_t ps_w32_open_process(void *ctx, uint32_t access, bool inherit, const char *name, uint32_t *handle,
                              strbuf_t *why);
ps_call_t ps_w32_query_ex(void *ctx, uint32_t process, uint32_t addr, mm_mbi_t *mbi, strbuf_t *why);

#endif
