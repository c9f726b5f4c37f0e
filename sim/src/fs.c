/* The simulated file system: files a scenario creates with CreateFile and
 * reads and writes with ReadFile, WriteFile, SetFilePointer, SetEndOfFile
 * and GetFileSize, with the errors Windows gives (Microsoft's CreateFile
 * documentation, "Creating and Opening Files"; Wine dlls/kernel32/tests/
 * file.c: test_CreateFileA, test_file_sharing, test_SetFilePointer):
 *   - a disposition decides what an existing or missing file does:
 *     CREATE_NEW fails with ERROR_FILE_EXISTS on one, OPEN_EXISTING and
 *     TRUNCATE_EXISTING with ERROR_FILE_NOT_FOUND without one, CREATE_ALWAYS
 *     and TRUNCATE_EXISTING empty it (the documentation asks GENERIC_WRITE
 *     of TRUNCATE_EXISTING but names no error; Wine empties the file without
 *     it, and so does this model); emptying a file that a section maps is
 *     ERROR_USER_MAPPED_FILE;
 *   - sharing (sharing_check): every open handle of a file must allow the
 *     access the new one asks for, and the new one must allow the access
 *     every open one has, else ERROR_SHARING_VIOLATION (GENERIC_ALL
 *     includes DELETE, which FILE_SHARE_DELETE allows); an open without
 *     data access is neither checked against the handles nor recorded
 *     (IoSetShareAccess records only read, write and delete); a file that a
 *     writable section maps opens only with FILE_SHARE_WRITE;
 *   - ReadFile needs GENERIC_READ and WriteFile GENERIC_WRITE on the handle
 *     (ERROR_ACCESS_DENIED); a read at or past the end reads 0 bytes and
 *     succeeds; a write past the end extends the file with zeros between;
 *   - SetFilePointer before the start is ERROR_NEGATIVE_SEEK; SetEndOfFile
 *     below the size of a section of the file is ERROR_USER_MAPPED_FILE.
 *
 * File data: a file's bytes are on its disk, except the pages the file
 * cache holds (mm_file.c): ReadFile and WriteFile use the cached frame when
 * there is one, so a view's write is seen by ReadFile at once and a
 * WriteFile by every view, one copy of each page in memory. */
#include "mem.h"
#include "pagesim/winsdk.h"
#include "mm_int.h"
#include <stdio.h>
#include <string.h>

#define FS_MAX_SIZE 0xFFFFFFFFu

static bool same_name(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
        if (x != y) return false;
    }
    return *a == *b;
}

uint32_t fs_find(const mm_t *mm, const char *name)
{
    for (uint32_t i = 0; i < mm->nfiles; i++)
        if (same_name(mm->files[i]->name, name)) return i + 1;
    return 0;
}

/* A plain file name: 1 to 63 characters, no path, no wildcard. */
static bool valid_name(const char *name)
{
    size_t n = strlen(name);
    if (!n || n >= sizeof ((ps_file_t *)0)->name) return false;
    for (const char *c = name; *c; c++)
        if (*c < ' ' || strchr("\\/:*?\"<>|", *c)) return false;
    return true;
}

static uint32_t pages_of(uint32_t size)
{
    return (uint32_t)(((uint64_t)size + 0xFFF) >> X86_PAGE_SHIFT);
}

static uint32_t new_file(mm_t *mm, const char *name, strbuf_t *why)
{
    if (!ps_grow(mm->alloc, (void **)&mm->files, &mm->capfiles, mm->nfiles + 1, sizeof *mm->files)) {
        mm_oom(mm);
        return 0;
    }
    ps_file_t *f = ps_calloc(mm->alloc, sizeof *f);
    if (!f || phys_new(mm->alloc, PHYS_MAX_SIZE, &f->disk) != PS_OK) {
        ps_free(mm->alloc, f, sizeof *f);
        mm_oom(mm);
        return 0;
    }
    snprintf(f->name, sizeof f->name, "%s", name);
    mm->files[mm->nfiles++] = f;
    mm_say(why, "a new empty file");
    return mm->nfiles;
}

uint32_t fs_create(mm_t *mm, const char *name)
{
    return new_file(mm, name, NULL);
}

/* The access bits that sharing is about; GENERIC_ALL (kept in a handle's
 * access beside the rights it gives) is the only one with DELETE. */
static uint32_t reads(uint32_t access) { return access & (GENERIC_READ | GENERIC_EXECUTE); }
static uint32_t writes(uint32_t access) { return access & GENERIC_WRITE; }
static uint32_t deletes(uint32_t access) { return access & GENERIC_ALL; }

/* Whether a section of file1 writes it. */
static bool writable_section(const mm_t *mm, uint32_t file1)
{
    for (uint32_t i = 0; i < mm->nsections; i++) {
        const section_t *s = mm->sections[i];
        if (s->file == file1 && (s->protect == PAGE_READWRITE || s->protect == PAGE_EXECUTE_READWRITE)) return true;
    }
    return false;
}

static uint64_t mapped_size(const mm_t *mm, uint32_t file1);

/* Whether file1 can be opened with access and share (0), else the error,
 * in the order the checks are made (Wine server/fd.c check_sharing; the
 * same rules as Windows's IoCheckShareAccess with its user-writable-
 * mapping check): the new access against every handle's sharing; a file
 * with a writable section only with FILE_SHARE_WRITE; emptying a mapped
 * file is ERROR_USER_MAPPED_FILE; an open with no data access is not
 * checked further; every handle's access against the new sharing. */
static uint32_t sharing_check(const mm_t *mm, uint32_t file1, uint32_t access, uint32_t share, bool truncate,
                              strbuf_t *why)
{
    uint32_t shared = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, held = 0;
    for (uint32_t h = 0; h < mm->nhandles; h++) {
        const handle_entry_t *e = &mm->handles[h];
        /* An open without data access is not recorded for sharing. */
        if (e->file != file1 || (!reads(e->access) && !writes(e->access) && !deletes(e->access))) continue;
        shared &= e->share;
        held |= e->access;
    }
    if ((reads(access) && !(shared & FILE_SHARE_READ)) || (writes(access) && !(shared & FILE_SHARE_WRITE)) ||
        (deletes(access) && !(shared & FILE_SHARE_DELETE)))
        return mm_fail(why, ERROR_SHARING_VIOLATION, "an open handle does not share the access 0x%08X", access);
    if (!(share & FILE_SHARE_WRITE) && writable_section(mm, file1))
        return mm_fail(why, ERROR_SHARING_VIOLATION, "a section writes the file: an open must share writing");
    if (truncate && mapped_size(mm, file1))
        return mm_fail(why, ERROR_USER_MAPPED_FILE, "a file cannot be emptied while a section maps it");
    if (!reads(access) && !writes(access) && !deletes(access)) return 0;
    if ((reads(held) && !(share & FILE_SHARE_READ)) || (writes(held) && !(share & FILE_SHARE_WRITE)) ||
        (deletes(held) && !(share & FILE_SHARE_DELETE)))
        return mm_fail(why, ERROR_SHARING_VIOLATION, "the share mode 0x%X does not allow what an open handle does "
                       "(access 0x%08X)", share, held);
    return 0;
}

/* The largest section made on file1, in bytes (0: none). */
static uint64_t mapped_size(const mm_t *mm, uint32_t file1)
{
    uint64_t n = 0;
    for (uint32_t i = 0; i < mm->nsections; i++)
        if (mm->sections[i]->file == file1 && mm->sections[i]->size > n) n = mm->sections[i]->size;
    return n;
}

static uint32_t check_create(uint32_t access, uint32_t share, uint32_t disposition, uint32_t attributes,
                             strbuf_t *why)
{
    const uint32_t generic = GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL;
    const uint32_t attrs = FILE_ATTRIBUTE_NORMAL | FILE_ATTRIBUTE_ARCHIVE | FILE_ATTRIBUTE_TEMPORARY;
    if (access & ~generic)
        return mm_fail(why, ERROR_NOT_SUPPORTED, "not modelled: access rights other than GENERIC_READ, GENERIC_WRITE, "
                       "GENERIC_EXECUTE and GENERIC_ALL (0x%08X)", access & ~generic);
    if (share & ~(uint32_t)(FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE))
        return mm_fail(why, ERROR_INVALID_PARAMETER, "0x%X is not a share mode (FILE_SHARE_READ, _WRITE, _DELETE)", share);
    if (disposition < CREATE_NEW || disposition > TRUNCATE_EXISTING)
        return mm_fail(why, ERROR_INVALID_PARAMETER, "%u is not a creation disposition (CREATE_NEW .. TRUNCATE_EXISTING)",
                       disposition);
    if (attributes & ~attrs)
        return mm_fail(why, ERROR_NOT_SUPPORTED, "not modelled: file attributes other than FILE_ATTRIBUTE_NORMAL, "
                       "_ARCHIVE and _TEMPORARY (0x%X)", attributes & ~attrs);
    return 0;
}

uint32_t mm_create_file(mm_process_t *p, const char *name, uint32_t access, uint32_t share, uint32_t disposition,
                        uint32_t attributes, uint32_t *handle, strbuf_t *why)
{
    mm_t *mm = p->mm;
    *handle = 0;
    if (!name || !valid_name(name))
        return mm_fail(why, ERROR_INVALID_PARAMETER, "a file is named by a plain file name under 64 characters, without "
                       "a path");
    uint32_t err = check_create(access, share, disposition, attributes, why);
    if (err) return err;
    if (access & GENERIC_ALL) access |= GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE; /* and DELETE */
    uint32_t file1 = fs_find(mm, name);
    if (file1 && disposition == CREATE_NEW)
        return mm_fail(why, ERROR_FILE_EXISTS, "CREATE_NEW: the file \"%s\" exists", name);
    if (!file1 && (disposition == OPEN_EXISTING || disposition == TRUNCATE_EXISTING))
        return mm_fail(why, ERROR_FILE_NOT_FOUND, "there is no file \"%s\"", name);
    bool truncate = file1 && (disposition == CREATE_ALWAYS || disposition == TRUNCATE_EXISTING);
    err = file1 ? sharing_check(mm, file1, access, share, truncate, why) : 0;
    if (err) return err;
    if (!file1 && !(file1 = new_file(mm, name, why)))
        return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "out of memory for a file");
    ps_file_t *f = mm_file(mm, file1);
    if (truncate && !fs_set_size(mm, f, 0)) return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
    handle_entry_t proto = { .file = file1, .access = access, .share = share };
    if (!mm_handle_new(p, &proto, handle)) return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "out of memory for a handle");
    f->handles++;
    if (truncate) mm_say(why, "\"%s\" emptied", f->name);
    else mm_say(why, "%s\"%s\", %u bytes", why && why->len ? ": " : "", f->name, f->size);
    return 0;
}

void fs_handle_closed(mm_t *mm, handle_entry_t *e)
{
    mm_file(mm, e->file)->handles--;
}

/* The open file handle h of p, or NULL with *err. */
/* The open file handle h of p with the GENERIC_* right `need` (0: any),
 * or NULL with *err: ERROR_INVALID_HANDLE, or ERROR_ACCESS_DENIED when the
 * handle was opened without that right. */
static handle_entry_t *file_handle(const mm_process_t *p, uint32_t h, uint32_t need, uint32_t *err, strbuf_t *why)
{
    handle_entry_t *e = mm_handle_find(p, h);
    if (!e || !e->file) {
        *err = mm_fail(why, ERROR_INVALID_HANDLE, "0x%X is not an open file handle of this process", h);
        return NULL;
    }
    if (need && !(e->access & need)) {
        *err = mm_fail(why, ERROR_ACCESS_DENIED, "the handle was opened without %s",
                       need == GENERIC_READ ? "GENERIC_READ" : "GENERIC_WRITE");
        return NULL;
    }
    return e;
}

/* Copies part of page i of f (offset off, n bytes) out of (or into) the
 * cached frame, or the disk when the page is not cached. */
static bool page_io(mm_t *mm, ps_file_t *f, uint32_t i, uint32_t off, uint8_t *buf, uint32_t n, bool write)
{
    uint32_t frame1 = i < f->ncache ? f->cache[i] : 0;
    phys_t *where = frame1 ? mmu_phys(mm->mmu) : f->disk;
    uint32_t addr = frame1 ? ((frame1 - 1) << X86_PAGE_SHIFT) + off : (i << X86_PAGE_SHIFT) + off;
    if (!write) {
        phys_read(where, addr, buf, n);
        return true;
    }
    if (phys_write(where, addr, buf, n) != PS_OK) return mm_oom(mm);
    if (frame1) mm_pfn(mm, frame1 - 1)->flags |= PFN_MODIFIED;
    return true;
}

static bool transfer(mm_t *mm, ps_file_t *f, uint32_t pos, uint8_t *buf, uint32_t n, bool write)
{
    for (uint32_t done = 0; done < n;) {
        uint32_t at = pos + done, off = at & 0xFFF, k = X86_PAGE_SIZE - off;
        if (k > n - done) k = n - done;
        if (!page_io(mm, f, at >> X86_PAGE_SHIFT, off, buf + done, k, write)) return false;
        done += k;
    }
    return true;
}

uint32_t mm_read_file(mm_process_t *p, uint32_t h, uint8_t *buf, uint32_t count, uint32_t *done, strbuf_t *why)
{
    uint32_t err = 0;
    *done = 0;
    handle_entry_t *e = file_handle(p, h, GENERIC_READ, &err, why);
    if (!e) return err;
    ps_file_t *f = mm_file(p->mm, e->file);
    uint32_t n = e->pos >= f->size ? 0 : f->size - e->pos < count ? f->size - e->pos : count;
    transfer(p->mm, f, e->pos, buf, n, false);
    mm_say(why, "%u bytes of \"%s\" read at offset 0x%X%s", n, f->name, e->pos,
           n < count ? " (the file ends there)" : "");
    e->pos += n;
    *done = n;
    return 0;
}

uint32_t mm_write_file(mm_process_t *p, uint32_t h, const uint8_t *buf, uint32_t count, uint32_t *done,
                       strbuf_t *why)
{
    uint32_t err = 0;
    *done = 0;
    handle_entry_t *e = file_handle(p, h, GENERIC_WRITE, &err, why);
    if (!e) return err;
    ps_file_t *f = mm_file(p->mm, e->file);
    if ((uint64_t)e->pos + count > FS_MAX_SIZE)
        return mm_fail(why, ERROR_NOT_SUPPORTED, "not modelled: a file of 4 GB or more");
    if (e->pos + count > f->size && !fs_set_size(p->mm, f, e->pos + count))
        return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
    if (!transfer(p->mm, f, e->pos, (uint8_t *)(uintptr_t)buf, count, true))
        return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
    mm_say(why, "%u bytes written to \"%s\" at offset 0x%X (now %u bytes long)", count, f->name, e->pos, f->size);
    e->pos += count;
    *done = count;
    return 0;
}

uint32_t mm_set_file_pointer(mm_process_t *p, uint32_t h, int32_t distance, uint32_t method, uint32_t *pos,
                             strbuf_t *why)
{
    uint32_t err = 0;
    *pos = INVALID_SET_FILE_POINTER;
    handle_entry_t *e = file_handle(p, h, 0, &err, why);
    if (!e) return err;
    if (method > FILE_END) return mm_fail(why, ERROR_INVALID_PARAMETER, "%u is not FILE_BEGIN, FILE_CURRENT or FILE_END", method);
    int64_t base = method == FILE_BEGIN ? 0 : method == FILE_CURRENT ? e->pos : mm_file(p->mm, e->file)->size;
    int64_t at = base + distance;
    if (at < 0) return mm_fail(why, ERROR_NEGATIVE_SEEK, "the file pointer would move before the start (%lld)", (long long)at);
    if (at > (int64_t)FS_MAX_SIZE)
        return mm_fail(why, ERROR_INVALID_PARAMETER, "the position does not fit in 32 bits (lpDistanceToMoveHigh is NULL)");
    e->pos = (uint32_t)at;
    *pos = e->pos;
    mm_say(why, "the file pointer is at 0x%X", e->pos);
    return 0;
}

uint32_t mm_set_end_of_file(mm_process_t *p, uint32_t h, strbuf_t *why)
{
    uint32_t err = 0;
    handle_entry_t *e = file_handle(p, h, GENERIC_WRITE, &err, why);
    if (!e) return err;
    ps_file_t *f = mm_file(p->mm, e->file);
    if (e->pos < mapped_size(p->mm, e->file))
        return mm_fail(why, ERROR_USER_MAPPED_FILE, "a section of \"%s\" maps 0x%llX bytes: the file cannot end below",
                       f->name, (unsigned long long)mapped_size(p->mm, e->file));
    uint32_t old = f->size;
    if (!fs_set_size(p->mm, f, e->pos)) return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
    mm_say(why, "\"%s\" now ends at 0x%X (it was %u bytes)", f->name, f->size, old);
    return 0;
}

uint32_t mm_get_file_size(mm_process_t *p, uint32_t h, uint32_t *size, strbuf_t *why)
{
    uint32_t err = 0;
    *size = INVALID_FILE_SIZE;
    handle_entry_t *e = file_handle(p, h, 0, &err, why);
    if (!e) return err;
    *size = mm_file(p->mm, e->file)->size;
    return 0;
}

bool fs_set_size(mm_t *mm, ps_file_t *f, uint32_t size)
{
    uint32_t pages = pages_of(size);
    if (pages > f->ncache) {
        uint32_t cap = f->ncache;
        if (!ps_grow(mm->alloc, (void **)&f->cache, &cap, pages, sizeof *f->cache)) return mm_oom(mm);
        memset(f->cache + f->ncache, 0, (size_t)(cap - f->ncache) * sizeof *f->cache);
        f->ncache = cap;
    }
    if (size < f->size) {
        /* The bytes past the new end are gone: a later extension reads
         * zeros there. */
        mm_file_drop_cache(mm, f, pages);
        for (uint32_t i = pages; i < pages_of(f->size); i++) phys_discard_frame(f->disk, i << X86_PAGE_SHIFT);
        if (size & 0xFFF) {
            uint8_t zero[X86_PAGE_SIZE] = { 0 };
            uint32_t n = X86_PAGE_SIZE - (size & 0xFFF);
            if (!transfer(mm, f, size, zero, n, true)) return false;
        }
    }
    f->size = size;
    return true;
}

ps_result_t fs_clone(mm_t *dst, const mm_t *src)
{
    dst->files = NULL;
    dst->nfiles = dst->capfiles = 0;
    if (!src->nfiles) return PS_OK;
    dst->files = ps_calloc(dst->alloc, src->nfiles * sizeof *dst->files);
    if (!dst->files) return PS_ENOMEM;
    dst->capfiles = src->nfiles;
    for (uint32_t i = 0; i < src->nfiles; i++) {
        const ps_file_t *s = src->files[i];
        ps_file_t *f = ps_malloc(dst->alloc, sizeof *f);
        if (!f) return PS_ENOMEM;
        *f = *s;
        f->cache = NULL;
        f->disk = phys_clone(s->disk);
        dst->files[dst->nfiles++] = f;
        if (f->ncache) f->cache = ps_malloc(dst->alloc, f->ncache * sizeof *f->cache);
        if (!f->disk || (f->ncache && !f->cache)) return PS_ENOMEM;
        if (f->ncache) memcpy(f->cache, s->cache, f->ncache * sizeof *f->cache);
    }
    return PS_OK;
}

void fs_free(mm_t *mm)
{
    for (uint32_t i = 0; i < mm->nfiles; i++) {
        ps_file_t *f = mm->files[i];
        if (!f) continue;
        phys_free(f->disk);
        ps_free(mm->alloc, f->cache, f->ncache * sizeof *f->cache);
        ps_free(mm->alloc, f, sizeof *f);
    }
    ps_free(mm->alloc, mm->files, mm->capfiles * sizeof *mm->files);
    mm->files = NULL;
    mm->nfiles = mm->capfiles = 0;
}
