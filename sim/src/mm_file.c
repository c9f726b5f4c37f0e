/* File-backed sections: CreateFileMapping on a file handle, the file cache
 * that every view of a file maps, page-in from the file (a hard fault),
 * write-back to the file (FlushViewOfFile, unmap, eviction), and
 * FlushViewOfFile.
 *
 * The rules, from Microsoft's CreateFileMapping documentation and Wine's
 * conformance tests (dlls/kernel32/tests/virtual.c: test_MapViewOfFile,
 * test_CreateFileMapping_protection; ntdll/tests/file.c):
 *   - the protection must be one a section takes (PAGE_READONLY,
 *     PAGE_READWRITE, PAGE_WRITECOPY and their EXECUTE_ forms), and the
 *     file handle must allow it: reading needs GENERIC_READ, PAGE_READWRITE
 *     also GENERIC_WRITE, an EXECUTE_ one GENERIC_EXECUTE (PAGE_WRITECOPY
 *     only reads the file), else ERROR_ACCESS_DENIED;
 *   - sizeHigh:sizeLow of 0 is the file's size, and an empty file then
 *     gives ERROR_FILE_INVALID; a larger size extends the file when the
 *     protection writes (PAGE_READWRITE, PAGE_EXECUTE_READWRITE), else it is
 *     ERROR_NOT_ENOUGH_MEMORY (NT's STATUS_SECTION_TOO_BIG);
 *   - a file-backed section is not charged against the commit limit: the
 *     file is its backing store. A FILE_MAP_COPY view's page becomes a
 *     private, page-file-backed (and charged) page when it is written.
 *
 * The file cache: page i of a file is in at most one frame (file->cache),
 * marked PFN_SECTION | PFN_FILE, which every view of every section of the
 * file maps, in any process, and which ReadFile and WriteFile read and
 * write (fs.c). The frame is modified (PFN_MODIFIED) when a view's PTE with
 * the dirty bit leaves it (mm_set_pte, the one door, sees to it) or a
 * WriteFile wrote it; a write-back first takes the dirty bits of the views'
 * PTEs, then writes the modified pages to the file's disk. Cached frames
 * are in the replacement policy: under memory pressure one leaves memory
 * after every view's PTE went back to its prototype PTE, written to its
 * file when modified, never to the page file. */
#include "mem.h"
#include "pagesim/winsdk.h"
#include "pagesim/winconst.h"
#include "mm_int.h"
#include <stdio.h>
#include <string.h>

/* What a section protection needs of its file's handle (GENERIC_*). */
static uint32_t needed_access(uint32_t page_prot)
{
    uint32_t need = GENERIC_READ;
    if (page_prot == PAGE_READWRITE || page_prot == PAGE_EXECUTE_READWRITE) need |= GENERIC_WRITE;
    if (page_prot & (PAGE_EXECUTE_READ | PAGE_EXECUTE_READWRITE | PAGE_EXECUTE_WRITECOPY)) need |= GENERIC_EXECUTE;
    return need;
}

static bool writes(uint32_t page_prot)
{
    return page_prot == PAGE_READWRITE || page_prot == PAGE_EXECUTE_READWRITE;
}

static uint32_t check_protect(uint32_t page_prot, uint32_t attrs, strbuf_t *why)
{
    switch (page_prot) {
    case PAGE_READONLY: case PAGE_READWRITE: case PAGE_WRITECOPY: case PAGE_EXECUTE_READ:
    case PAGE_EXECUTE_READWRITE: case PAGE_EXECUTE_WRITECOPY: break;
    default:
        return mm_fail(why, ERROR_INVALID_PARAMETER, "0x%X is not a section protection (PAGE_READONLY, PAGE_READWRITE, "
                       "PAGE_WRITECOPY or an EXECUTE_ one of them)", page_prot);
    }
    const uint32_t known = SEC_COMMIT | SEC_RESERVE | SEC_NOCACHE | SEC_WRITECOMBINE | SEC_LARGE_PAGES | SEC_IMAGE | SEC_FILE;
    if (attrs & ~known) return mm_fail(why, ERROR_INVALID_PARAMETER, "unknown SEC_ attributes 0x%X", attrs & ~known);
    if (attrs & ~(uint32_t)(SEC_COMMIT | SEC_FILE))
        return mm_fail(why, ERROR_NOT_SUPPORTED, "not modelled: SEC_ attributes 0x%X on a file-backed section (only "
                       "SEC_COMMIT, the default)", attrs & ~(uint32_t)(SEC_COMMIT | SEC_FILE));
    return 0;
}

/* The section's size for sizeHigh:sizeLow on file f, extending it when the
 * protection writes; 0 or the error. */
static uint32_t section_size(mm_t *mm, ps_file_t *f, uint32_t page_prot, uint32_t high, uint32_t low, uint32_t *size,
                             strbuf_t *why)
{
    if (high) return mm_fail(why, ERROR_NOT_SUPPORTED, "not modelled: a file of 4 GB or more");
    if (!low) {
        if (!f->size)
            return mm_fail(why, ERROR_FILE_INVALID, "sizeHigh:sizeLow 0 means the file's size, and \"%s\" is empty",
                           f->name);
        *size = f->size;
        return 0;
    }
    *size = low;
    if (low <= f->size) return 0;
    if (!writes(page_prot)) {
        mm_say(why, "0x%X bytes is more than \"%s\" holds (%u bytes), and a ", low, f->name, f->size);
        if (why) wc_format_protect(why, page_prot);
        mm_say(why, " section cannot extend it");
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    uint32_t old = f->size;
    if (!fs_set_size(mm, f, low)) return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
    mm_say(why, "\"%s\" extended from %u to %u bytes (zeros), as the section is larger; ", f->name, old, low);
    return 0;
}

uint32_t mm_create_file_mapping(mm_process_t *p, uint32_t fh, uint32_t protect, uint32_t size_high, uint32_t size_low,
                                const char *name, uint32_t *handle, strbuf_t *why)
{
    if (fh == INVALID_HANDLE_VALUE) return mm_create_section(p, protect, size_high, size_low, name, handle, why);
    mm_t *mm = p->mm;
    *handle = 0;
    const handle_entry_t *e = mm_handle_find(p, fh);
    if (!e || !e->file) return mm_fail(why, ERROR_INVALID_HANDLE, "0x%X is not an open file handle of this process", fh);
    uint32_t page_prot = protect & WC_SECTION_PAGE_BITS, attrs = protect & WC_SECTION_ATTR_BITS;
    uint32_t err = check_protect(page_prot, attrs, why);
    if (err) return err;
    uint32_t need = needed_access(page_prot);
    if ((e->access & need) != need) {
        mm_say(why, "a ");
        if (why) wc_format_protect(why, page_prot);
        mm_say(why, " section needs a file handle with access 0x%08X; this one has 0x%08X", need, e->access);
        return ERROR_ACCESS_DENIED;
    }
    if (mm_section_open_named(p, name, handle, &err, why)) return err;
    uint32_t file1 = e->file, size = 0;
    ps_file_t *f = mm_file(mm, file1);
    err = section_size(mm, f, page_prot, size_high, size_low, &size, why);
    if (err) return err;
    section_t *s;
    err = mm_section_make(p, name, (uint32_t)(((uint64_t)size + 0xFFF) >> X86_PAGE_SHIFT), page_prot,
                          SEC_COMMIT | SEC_FILE, file1, &s, handle, why);
    if (err) return err;
    s->size = size; /* a file-backed section is as long as asked, in bytes */
    mm_say(why, "a section of \"%s\", 0x%X bytes; its pages will be read from the file as they are touched (nothing "
                "is charged: the file is their backing store)", f->name, size);
    return 0;
}

bool mm_file_page_in(mm_process_t *p, section_t *s, uint32_t i, uint32_t va, uint32_t *frame, mm_access_t *res)
{
    mm_t *mm = p->mm;
    ps_file_t *f = mm_file(mm, s->file);
    if (f->cache[i]) {
        *frame = f->cache[i] - 1;
        res->resolved = MM_RES_SOFT;
        p->soft++;
        return true;
    }
    uint32_t fr;
    if (!mm_frame_alloc(mm, p, res->why, &fr)) return false;
    uint8_t buf[X86_PAGE_SIZE];
    phys_read(f->disk, i << X86_PAGE_SHIFT, buf, X86_PAGE_SIZE);
    if (phys_write(mmu_phys(mm->mmu), fr << X86_PAGE_SHIFT, buf, X86_PAGE_SIZE) != PS_OK) {
        mm_frame_free(mm, fr);
        res->host_oom = true;
        return mm_oom(mm);
    }
    pfn_t *e = mm_pfn(mm, fr);
    e->flags |= PFN_SECTION | PFN_FILE;
    e->va = i;
    e->file = s->file;
    f->cache[i] = fr + 1;
    mm_cache_frame(mm, fr, true);
    f->reads++;
    mm->file_reads++;
    p->hard++;
    res->resolved = MM_RES_FILE;
    mm_note(res->why, MM_NOTE_HARD, "0x%08X: hard fault, page %u of file \"%s\" read from the disk into frame 0x%05X, the "
            "file cache's copy that every view of the file maps. ", va, i, f->name, fr);
    *frame = fr;
    return true;
}

/* For each view of file1 that maps pages of [first, last] in any process:
 * fn(p, va, pte, page) for each present PTE of such a page that maps the
 * page's cached frame. */
typedef void (*view_page_fn)(mm_process_t *p, uint32_t va, uint32_t pte, uint32_t page);

static void for_each_mapping(mm_t *mm, uint32_t file1, uint32_t first, uint32_t last, view_page_fn fn)
{
    const ps_file_t *f = mm_file(mm, file1);
    for (uint32_t k = 0; k < mm->nprocs; k++) {
        mm_process_t *p = mm->procs[k];
        for (vad_t *v = vad_first(&p->vads); v; v = vad_next(&p->vads, v)) {
            if (!v->section || v->section->file != file1) continue;
            uint32_t vfirst = v->section_offset >> X86_PAGE_SHIFT;
            uint32_t vlast = vfirst + ((v->end - v->start) >> X86_PAGE_SHIFT) - 1;
            uint32_t a = first > vfirst ? first : vfirst, b = last < vlast ? last : vlast;
            for (uint32_t i = a; a <= b && i <= b; i++) {
                uint32_t va = v->start + ((i - vfirst) << X86_PAGE_SHIFT);
                uint32_t pte = mm_pte(p, va);
                if ((pte & X86_P) && i < f->ncache && f->cache[i] && (pte >> X86_PAGE_SHIFT) == f->cache[i] - 1)
                    fn(p, va, pte, i);
            }
        }
    }
}

/* Clearing the dirty bit marks the frame modified (mm_set_pte). */
static void harvest(mm_process_t *p, uint32_t va, uint32_t pte, uint32_t page)
{
    (void)page;
    if (pte & X86_D) mm_set_pte(p, va, pte & ~(uint32_t)X86_D);
}

/* The PTE goes back to its prototype, with the protection it had. */
static void unmap_one(mm_process_t *p, uint32_t va, uint32_t pte, uint32_t page)
{
    (void)page;
    mm_set_pte(p, va, SPTE_PROTOTYPE | spte_make(mm_page_prot_of(p, va, pte)));
}

static void write_page(mm_t *mm, ps_file_t *f, uint32_t i, uint32_t frame)
{
    uint8_t buf[X86_PAGE_SIZE];
    uint32_t n = f->size - (i << X86_PAGE_SHIFT);
    if (n > X86_PAGE_SIZE) n = X86_PAGE_SIZE;
    memset(buf, 0, sizeof buf);
    phys_read(mmu_phys_const(mm->mmu), frame << X86_PAGE_SHIFT, buf, n);
    /* Only the bytes before the end of the file are the file's. */
    if (phys_write(f->disk, i << X86_PAGE_SHIFT, buf, X86_PAGE_SIZE) != PS_OK) {
        mm_oom(mm);
        return;
    }
    mm_pfn(mm, frame)->flags &= (uint16_t)~PFN_MODIFIED;
    f->writes++;
    mm->file_writes++;
}

uint32_t mm_file_write_back(mm_t *mm, uint32_t file1, uint32_t first, uint32_t last)
{
    ps_file_t *f = mm_file(mm, file1);
    uint32_t pages = (uint32_t)(((uint64_t)f->size + 0xFFF) >> X86_PAGE_SHIFT);
    if (!pages || first >= pages) return 0;
    if (last >= pages) last = pages - 1;
    for_each_mapping(mm, file1, first, last, harvest);
    uint32_t n = 0;
    for (uint32_t i = first; i <= last; i++) {
        if (!f->cache[i]) continue;
        const pfn_t *e = mm_pfn_peek(mm, f->cache[i] - 1);
        if (e && (e->flags & PFN_MODIFIED)) {
            write_page(mm, f, i, f->cache[i] - 1);
            n++;
        }
    }
    return n;
}

void mm_file_evict(mm_t *mm, uint32_t frame, strbuf_t *why, const char *head)
{
    pfn_t *e = mm_pfn(mm, frame);
    uint32_t file1 = e->file, i = e->va;
    ps_file_t *f = mm_file(mm, file1);
    uint32_t views = e->share;
    for_each_mapping(mm, file1, i, i, unmap_one);
    bool modified = (e->flags & PFN_MODIFIED) != 0;
    if (modified) write_page(mm, f, i, frame);
    mm_note(why, MM_NOTE_EVICT, "%s, page %u of file \"%s\" (mapped by %u view%s), %s. ", head, i, f->name, views,
            views == 1 ? "" : "s", modified ? "modified: written to its file, not the page file" :
            "clean: dropped, the file has it");
    f->cache[i] = 0;
    mm_cache_frame(mm, frame, false);
    mm_frame_free(mm, frame);
}

void mm_file_drop_cache(mm_t *mm, ps_file_t *f, uint32_t first)
{
    for (uint32_t i = first; i < f->ncache; i++) {
        if (!f->cache[i]) continue;
        uint32_t frame = f->cache[i] - 1;
        f->cache[i] = 0;
        mm_cache_frame(mm, frame, false);
        mm_frame_free(mm, frame);
    }
}

uint32_t mm_flush_view(mm_process_t *p, uint32_t addr, uint32_t size, strbuf_t *why)
{
    mm_t *mm = p->mm;
    vad_t *v = vad_find(&p->vads, addr);
    if (!v || !v->section) return mm_fail(why, ERROR_INVALID_ADDRESS, "0x%08X is not in a mapped view", addr);
    if (!v->section->file) {
        mm_say(why, "a view of a page-file-backed section: there is no file to write to");
        return 0;
    }
    uint64_t end = size ? (uint64_t)addr + size : v->end;
    if (end > v->end) end = v->end;
    uint32_t first = (v->section_offset + ((addr & X86_FRAME_MASK) - v->start)) >> X86_PAGE_SHIFT;
    uint32_t last = (uint32_t)((v->section_offset + (end - 1 - v->start)) >> X86_PAGE_SHIFT);
    uint32_t n = mm_file_write_back(mm, v->section->file, first, last);
    mm_say(why, "%u modified page%s of \"%s\" written to the file (pages %u-%u of it looked at)", n, n == 1 ? "" : "s",
           mm_file(mm, v->section->file)->name, first, last);
    return 0;
}
