/* The Win32 backend's files: CreateFile, ReadFile, WriteFile,
 * SetFilePointer, SetEndOfFile, GetFileSize, CreateFileMapping on a file
 * and FlushViewOfFile, made for real on files in a temporary directory of
 * this run (a scenario names a plain file; the directory is made on first
 * use and removed, with every file in it, when the backend is closed). */
#ifdef _WIN32
#include "w32_files.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

struct w32_files {
    char dir[MAX_PATH];   /* "" until the first file is made             */
    HANDLE *open;         /* handles the backend returned, still open     */
    size_t n, cap;
};

w32_files_t *w32_files_open(void)
{
    return calloc(1, sizeof(w32_files_t));
}

static void track(w32_files_t *f, HANDLE h)
{
    if (!f) return;
    if (f->n == f->cap) {
        size_t ncap = f->cap ? f->cap * 2 : 16;
        void *p = realloc(f->open, ncap * sizeof *f->open);
        if (!p) return;
        f->open = p;
        f->cap = ncap;
    }
    f->open[f->n++] = h;
}

void w32_files_closed(w32_files_t *f, uint32_t handle)
{
    for (size_t i = 0; f && i < f->n; i++)
        if ((uint32_t)(uintptr_t)f->open[i] == handle) {
            f->open[i] = f->open[--f->n];
            return;
        }
}

void w32_files_close(w32_files_t *f)
{
    if (!f) return;
    for (size_t i = 0; i < f->n; i++) CloseHandle(f->open[i]);
    if (f->dir[0]) {
        char pat[MAX_PATH + 4], path[2 * MAX_PATH];
        snprintf(pat, sizeof pat, "%s\\*", f->dir);
        WIN32_FIND_DATAA d;
        HANDLE s = FindFirstFileA(pat, &d);
        if (s != INVALID_HANDLE_VALUE) {
            do {
                if (d.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) continue;
                snprintf(path, sizeof path, "%s\\%s", f->dir, d.cFileName);
                DeleteFileA(path);
            } while (FindNextFileA(s, &d));
            FindClose(s);
        }
        RemoveDirectoryA(f->dir);
    }
    free(f->open);
    free(f);
}

/* The directory, made on first use. */
static bool directory(w32_files_t *f)
{
    if (f->dir[0]) return true;
    char tmp[MAX_PATH];
    DWORD n = GetTempPathA(sizeof tmp, tmp);
    if (!n || n >= sizeof tmp) return false;
    for (unsigned k = 0; k < 1000; k++) {
        snprintf(f->dir, sizeof f->dir, "%spagesim-%lu-%u", tmp, (unsigned long)GetCurrentProcessId(), k);
        if (CreateDirectoryA(f->dir, NULL)) return true;
    }
    f->dir[0] = 0;
    return false;
}

static ps_call_t result(BOOL ok)
{
    ps_call_t c = { ok ? 0 : (uint32_t)GetLastError(), false };
    return c;
}

static ps_call_t w_create_file(void *ctx, const char *name, uint32_t access, uint32_t share, uint32_t disposition,
                               uint32_t attributes, uint32_t *handle, strbuf_t *why)
{
    (void)why;
    w32_files_t *f = w32_files_of(ctx);
    char path[2 * MAX_PATH];
    if (!f || !directory(f)) {
        ps_call_t c = { ERROR_NOT_ENOUGH_MEMORY, false };
        return c;
    }
    snprintf(path, sizeof path, "%s\\%s", f->dir, name);
    HANDLE h = CreateFileA(path, access, share, NULL, disposition, attributes, NULL);
    ps_call_t c = result(h != INVALID_HANDLE_VALUE);
    if (h == INVALID_HANDLE_VALUE) return c;
    *handle = (uint32_t)(uintptr_t)h;
    track(f, h);
    return c;
}

static ps_call_t w_read_file(void *ctx, uint32_t handle, uint8_t *buf, uint32_t count, uint32_t *done, strbuf_t *why)
{
    (void)ctx;
    (void)why;
    DWORD n = 0;
    BOOL ok = ReadFile((HANDLE)(uintptr_t)handle, buf, count, &n, NULL);
    *done = n;
    return result(ok);
}

static ps_call_t w_write_file(void *ctx, uint32_t handle, const uint8_t *buf, uint32_t count, uint32_t *done,
                              strbuf_t *why)
{
    (void)ctx;
    (void)why;
    DWORD n = 0;
    BOOL ok = WriteFile((HANDLE)(uintptr_t)handle, buf, count, &n, NULL);
    *done = n;
    return result(ok);
}

static ps_call_t w_set_file_pointer(void *ctx, uint32_t handle, int32_t distance, uint32_t method, uint32_t *pos,
                                    strbuf_t *why)
{
    (void)ctx;
    (void)why;
    SetLastError(NO_ERROR);
    DWORD r = SetFilePointer((HANDLE)(uintptr_t)handle, distance, NULL, method);
    *pos = r;
    return result(r != INVALID_SET_FILE_POINTER || GetLastError() == NO_ERROR);
}

static ps_call_t w_set_end_of_file(void *ctx, uint32_t handle, strbuf_t *why)
{
    (void)ctx;
    (void)why;
    return result(SetEndOfFile((HANDLE)(uintptr_t)handle));
}

static ps_call_t w_get_file_size(void *ctx, uint32_t handle, uint32_t *size, strbuf_t *why)
{
    (void)ctx;
    (void)why;
    SetLastError(NO_ERROR);
    DWORD r = GetFileSize((HANDLE)(uintptr_t)handle, NULL);
    *size = r;
    return result(r != INVALID_FILE_SIZE || GetLastError() == NO_ERROR);
}

static ps_call_t w_create_file_mapping(void *ctx, uint32_t file, uint32_t protect, uint32_t size_high,
                                       uint32_t size_low, const char *name, uint32_t *handle, strbuf_t *why)
{
    (void)why;
    HANDLE h = CreateFileMappingA((HANDLE)(uintptr_t)file, NULL, protect, size_high, size_low, name);
    *handle = (uint32_t)(uintptr_t)h;
    if (h) track(w32_files_of(ctx), h);
    return result(h != NULL);
}

static ps_call_t w_flush_view(void *ctx, uint32_t addr, uint32_t size, strbuf_t *why)
{
    (void)ctx;
    (void)why;
    return result(FlushViewOfFile((const void *)(uintptr_t)addr, size));
}

const ps_file_ops_t w32_file_ops = {
    w_create_file, w_read_file, w_write_file, w_set_file_pointer,
    w_set_end_of_file, w_get_file_size, w_create_file_mapping, w_flush_view,
};
#endif
