/* The Win32 backend's files (backend_win32_files.c): scenario file names
 * mapped into a temporary directory of this run, the handles the backend
 * opened on them, and the cleanup that removes them at the end. */
#ifndef PAGESIM_W32_FILES_H
#define PAGESIM_W32_FILES_H

#include "pagesim/backend.h"

typedef struct w32_files w32_files_t;

/* The files of a backend context (NULL when out of memory). */
w32_files_t *w32_files_open(void);
/* Closes the handles still open on the files, deletes them and the
 * directory (views of them must be unmapped first). */
void w32_files_close(w32_files_t *f);
/* The files of the context ctx (backend_win32.c). */
w32_files_t *w32_files_of(void *ctx);
/* A handle was closed by the scenario: no longer the backend's to close. */
void w32_files_closed(w32_files_t *f, uint32_t handle);
/* The file operations (ctx is the backend's context). */
extern const ps_file_ops_t w32_file_ops;

#endif
