/* The Win32 backend: the scenario's calls made for real, in this process,
 * against the VirtualAlloc family. Built only for Windows targets (natively,
 * or with mingw-w64 and run under Wine). */
#ifndef PAGESIM_BACKEND_WIN32_H
#define PAGESIM_BACKEND_WIN32_H

#include "pagesim/backend.h"

#ifdef _WIN32
const ps_backend_ops_t *ps_backend_win32(void);
/* The context: the allocations this backend made (to tell a conflict with
 * the host process from a difference). NULL when out of memory. */
void *ps_win32_open(void);
void ps_win32_close(void *ctx);
#endif

#endif
