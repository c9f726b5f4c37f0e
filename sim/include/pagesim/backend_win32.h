/* The Win32 backend: the scenario's calls made for real, in this process,
 * against the VirtualAlloc family. Built only for 32-bit x86 Windows targets
 * (natively, or with mingw-w64 and run under Wine); the build then defines
 * PAGESIM_WIN32_BACKEND (sim/CMakeLists.txt). */
#ifndef PAGESIM_BACKEND_WIN32_H
#define PAGESIM_BACKEND_WIN32_H

#include "pagesim/backend.h"

#ifdef PAGESIM_WIN32_BACKEND
const ps_backend_ops_t *ps_backend_win32(void);
/* The context: the allocations this backend made (to tell a conflict with
 * the host process from a difference). NULL when out of memory. */
void *ps_win32_open(void);
void ps_win32_close(void *ctx);
/* The heap and C-runtime calls, made for real (backend_win32_heap.c). */
void ps_win32_heap(void *ctx, ps_heap_op_t op, const uint32_t args[4], ps_heap_out_t *out, strbuf_t *why);
#endif

#endif
