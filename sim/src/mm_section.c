/* Page-file-backed sections: CreateFileMapping(INVALID_HANDLE_VALUE, ...),
 * MapViewOfFile(Ex), UnmapViewOfFile and CloseHandle, and what VirtualAlloc
 * and VirtualProtect do inside a view.
 *
 * The rules are those Wine's conformance tests pin down and Windows passes
 * (dlls/kernel32/tests/virtual.c: test_MapViewOfFile, test_mapping,
 * test_CreateFileMapping_protection), with the check order Wine's
 * implementation shows where the tests are silent:
 *   - a section is sized in whole pages (NtQuerySection reports 0x4000 for
 *     a page-file section of 0x3457 bytes); SEC_NOCACHE, SEC_WRITECOMBINE
 *     and SEC_LARGE_PAGES need SEC_COMMIT (or SEC_RESERVE for the first
 *     two), SEC_IMAGE needs a file (ERROR_BAD_EXE_FORMAT without one);
 *   - SEC_RESERVE sections commit page by page with VirtualAlloc in any
 *     view, and every view then sees the page committed;
 *   - a view's protection comes from its FILE_MAP_* access (file_access_to_
 *     prot: FILE_MAP_COPY alone is copy-on-write, FILE_MAP_EXECUTE adds
 *     execute, no read or write access is PAGE_NOACCESS; other bits are
 *     ignored) and must be within what the section allows, else
 *     ERROR_ACCESS_DENIED;
 *   - VirtualProtect and VirtualAlloc(MEM_COMMIT) in a view take only a
 *     protection whose access fits the view's (is_compatible_protection),
 *     else ERROR_INVALID_PARAMETER;
 *   - a base or an offset off the 64 KB granularity is ERROR_MAPPED_
 *     ALIGNMENT, before the handle is looked at;
 *   - a name goes with the last handle: views keep the section, not its
 *     name.
 *
 * A section owns one entry per page (its prototype PTEs, in NT's words):
 * the frame that holds the page once it was touched. A view's PTEs start
 * as prototype software PTEs; the first touch makes the section's frame
 * present in that view, so every view, in any process, shares the frame.
 * A copy-on-write view (FILE_MAP_COPY) maps the shared frame read-only with
 * the copy-on-write bit; the first write gives the process its own copy. */
#include "mem.h"
#include "pagesim/winsdk.h"
#include "pagesim/winconst.h"
#include "mm_int.h"
#include <stdio.h>
#include <string.h>

/* Handles. ---------------------------------------------------------------- */

static uint32_t handle_value(uint32_t index) { return (index + 1) * 4; }

handle_entry_t *mm_handle_find(const mm_process_t *p, uint32_t h)
{
    mm_t *mm = p->mm;
    if (h == 0 || h % 4 || h / 4 > mm->nhandles) return NULL;
    handle_entry_t *e = &mm->handles[h / 4 - 1];
    return (e->section || e->file || e->target) && e->process == p->id ? e : NULL;
}

/* A section's handle of process p, or NULL. */
static handle_entry_t *lookup(const mm_process_t *p, uint32_t h)
{
    handle_entry_t *e = mm_handle_find(p, h);
    return e && e->section ? e : NULL;
}

/* A handle slot: a closed one (a list through the free slots), else a
 * new one at the end. */
bool mm_handle_new(mm_process_t *p, const handle_entry_t *proto, uint32_t *h)
{
    mm_t *mm = p->mm;
    uint32_t i;
    if (mm->free_handle) {
        i = mm->free_handle - 1;
        mm->free_handle = mm->handles[i].process;
    } else {
        if (!ps_grow(mm->alloc, (void **)&mm->handles, &mm->caphandles, mm->nhandles + 1, sizeof *mm->handles))
            return mm_oom(mm);
        i = mm->nhandles++;
    }
    mm->handles[i] = *proto;
    mm->handles[i].process = p->id;
    *h = handle_value(i);
    return true;
}

static bool new_handle(mm_process_t *p, section_t *s, uint32_t *h)
{
    handle_entry_t proto = { .section = s };
    if (!mm_handle_new(p, &proto, h)) return false;
    s->refs++;
    s->handles++;
    return true;
}

/* Sections. --------------------------------------------------------------- */

static const char *section_key(const void *ud, uint32_t index, size_t *n)
{
    const mm_t *mm = ud;
    *n = strlen(mm->sections[index]->name);
    return mm->sections[index]->name;
}

void mm_sections_init(mm_t *mm)
{
    strmap_init(&mm->section_names, mm->alloc, section_key, mm);
}

/* The name goes with the last handle (Wine's test_MapViewOfFile: "close
 * named mapping handle without unmapping"): the same name then makes a new
 * section, while the views keep this one. */
static void drop_name(mm_t *mm, section_t *s)
{
    if (!s->name[0]) return;
    strmap_remove(&mm->section_names, s->name, strlen(s->name), s->index);
    s->name[0] = 0;
}

void mm_section_release(mm_t *mm, section_t *s)
{
    if (--s->refs) return;
    if (s->file) mm_file(mm, s->file)->sections--; /* its pages stay in the file cache */
    for (uint32_t i = 0; s->page && i < s->npages; i++)
        if (section_frame1(s, i)) mm_frame_free(mm, section_frame1(s, i) - 1);
    mm->commit_pages -= s->committed;
    ps_free(mm->alloc, s->page, s->npages * sizeof *s->page);
    if (s->name[0]) strmap_remove(&mm->section_names, s->name, strlen(s->name), s->index);
    section_t *last = mm->sections[--mm->nsections];
    if (last != s && last->name[0]) strmap_rename(&mm->section_names, last->name, strlen(last->name), last->index, s->index);
    mm->sections[s->index] = last;
    last->index = s->index;
    ps_free(mm->alloc, s, sizeof *s);
}

static bool valid_section_protect(uint32_t w)
{
    switch (w) {
    case PAGE_READONLY: case PAGE_READWRITE: case PAGE_WRITECOPY: case PAGE_EXECUTE_READ: case PAGE_EXECUTE_READWRITE:
    case PAGE_EXECUTE_WRITECOPY: return true;
    default: return false;
    }
}

/* The SEC_* attributes a page-file-backed section can have: 0 when they
 * are valid, else the error (with its reason in why). */
static uint32_t check_attributes(uint32_t attrs, strbuf_t *why)
{
    const uint32_t known = SEC_COMMIT | SEC_RESERVE | SEC_NOCACHE | SEC_WRITECOMBINE | SEC_LARGE_PAGES | SEC_IMAGE | SEC_FILE;
    if (attrs & ~known) return mm_fail(why, ERROR_INVALID_PARAMETER, "unknown SEC_ attributes 0x%X", attrs & ~known);
    if ((attrs & SEC_IMAGE) && attrs != SEC_IMAGE)
        return mm_fail(why, ERROR_INVALID_PARAMETER, "SEC_IMAGE goes with no other SEC_ attribute");
    if (attrs & SEC_FILE) return mm_fail(why, ERROR_INVALID_PARAMETER, "SEC_FILE needs a file, not INVALID_HANDLE_VALUE");
    if ((attrs & SEC_COMMIT) && (attrs & SEC_RESERVE))
        return mm_fail(why, ERROR_INVALID_PARAMETER, "SEC_COMMIT and SEC_RESERVE exclude each other");
    if ((attrs & (SEC_NOCACHE | SEC_WRITECOMBINE | SEC_LARGE_PAGES)) && !(attrs & (SEC_COMMIT | SEC_RESERVE)))
        return mm_fail(why, ERROR_INVALID_PARAMETER,
                       "SEC_NOCACHE, SEC_WRITECOMBINE and SEC_LARGE_PAGES modify SEC_COMMIT (or SEC_RESERVE), which is "
                       "not given");
    if ((attrs & SEC_LARGE_PAGES) && !(attrs & SEC_COMMIT))
        return mm_fail(why, ERROR_INVALID_PARAMETER, "SEC_LARGE_PAGES needs SEC_COMMIT");
    if (attrs & SEC_IMAGE)
        return mm_fail(why, ERROR_BAD_EXE_FORMAT, "SEC_IMAGE maps an executable file, and INVALID_HANDLE_VALUE is none");
    if (attrs & SEC_LARGE_PAGES)
        return mm_fail(why, ERROR_PRIVILEGE_NOT_HELD, "SEC_LARGE_PAGES needs the SeLockMemoryPrivilege");
    return ERROR_SUCCESS;
}

bool mm_section_open_named(mm_process_t *p, const char *name, uint32_t *handle, uint32_t *err, strbuf_t *why)
{
    mm_t *mm = p->mm;
    *err = 0;
    if (!name || !*name) return false;
    uint32_t i = strmap_find(&mm->section_names, name, strlen(name));
    if (i == STRMAP_NONE) return false;
    if (!new_handle(p, mm->sections[i], handle))
        *err = mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "out of memory for a handle");
    else if (why)
        strbuf_printf(why, "the section \"%s\" exists already: this is a new handle to it", name);
    return true;
}

uint32_t mm_section_make(mm_process_t *p, const char *name, uint32_t npages, uint32_t page_prot, uint32_t attrs,
                         uint32_t file1, section_t **out, uint32_t *handle, strbuf_t *why)
{
    mm_t *mm = p->mm;
    bool commit = !file1 && (attrs & SEC_COMMIT);
    if (!ps_grow(mm->alloc, (void **)&mm->sections, &mm->capsections, mm->nsections + 1, sizeof *mm->sections)) {
        mm_oom(mm);
        return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
    }
    section_t *s = ps_calloc(mm->alloc, sizeof *s);
    if (s && !file1) s->page = ps_calloc(mm->alloc, npages * sizeof *s->page);
    if (!s || (!file1 && !s->page)) {
        mm_oom(mm);
        ps_free(mm->alloc, s, sizeof *s);
        return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
    }
    snprintf(s->name, sizeof s->name, "%s", name ? name : "");
    s->size = (uint64_t)npages << 12;
    s->npages = npages;
    s->protect = page_prot;
    s->attributes = attrs;
    s->file = file1;
    s->index = mm->nsections;
    if (s->name[0] && strmap_add(&mm->section_names, s->name, strlen(s->name), s->index) != PS_OK) {
        ps_free(mm->alloc, s->page, npages * sizeof *s->page);
        ps_free(mm->alloc, s, sizeof *s);
        mm_oom(mm);
        return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
    }
    mm->sections[mm->nsections++] = s;
    if (file1) mm_file(mm, file1)->sections++;
    if (commit) {
        for (uint32_t i = 0; i < npages; i++) s->page[i] = SECTION_COMMITTED;
        s->committed = npages;
        mm->commit_pages += npages;
    }
    if (!new_handle(p, s, handle)) {
        s->refs = 1;
        s->handles = 0;
        drop_name(mm, s);
        mm_section_release(mm, s);
        return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "out of memory for a handle");
    }
    *out = s;
    return 0;
}

uint32_t mm_create_section(mm_process_t *p, uint32_t protect, uint32_t size_high, uint32_t size_low,
                           const char *name, uint32_t *handle, strbuf_t *why)
{
    mm_t *mm = p->mm;
    *handle = 0;
    uint32_t page_prot = protect & WC_SECTION_PAGE_BITS, attrs = protect & WC_SECTION_ATTR_BITS;
    if (!valid_section_protect(page_prot))
        return mm_fail(why, ERROR_INVALID_PARAMETER,
                    "0x%X is not a section protection (PAGE_READONLY, PAGE_READWRITE, PAGE_WRITECOPY or an "
                    "EXECUTE_ one of them)", page_prot);
    if (!size_high && !size_low)
        return mm_fail(why, ERROR_INVALID_PARAMETER, "a page-file-backed section needs a size (sizeHigh:sizeLow is 0)");
    uint32_t err = check_attributes(attrs, why);
    if (err) return err;
    if (!(attrs & SEC_RESERVE)) attrs |= SEC_COMMIT;
    if (mm_section_open_named(p, name, handle, &err, why)) return err;
    /* Sized in whole pages: a section of 0x3457 bytes has 0x4000. */
    uint64_t bytes = ((uint64_t)size_high << 32 | size_low), pages = (bytes + 0xFFF) >> 12;
    bool commit = attrs & SEC_COMMIT;
    if (commit && mm->commit_pages + pages > mm->commit_limit_pages)
        return mm_fail(why, ERROR_COMMITMENT_LIMIT, "the section's %llu pages would take the commit charge over the limit",
                       (unsigned long long)pages);
    if (pages > 0x100000u)
        return mm_fail(why, ERROR_NOT_SUPPORTED,
                       "not modelled: a section over 4 GB (a 32-bit process maps at most 2 or 3 GB of it at a time)");
    section_t *s;
    err = mm_section_make(p, name, (uint32_t)pages, page_prot, attrs, 0, &s, handle, why);
    if (err) return err;
    if (why && bytes & 0xFFF)
        strbuf_printf(why, "0x%llX bytes, sized in whole pages: 0x%llX", (unsigned long long)bytes,
                      (unsigned long long)s->size);
    if (why && !commit)
        strbuf_printf(why, "%sSEC_RESERVE: no page is committed (nor charged) until VirtualAlloc(MEM_COMMIT) in a view "
                           "commits it", bytes & 0xFFF ? "; " : "");
    return 0;
}

uint32_t mm_close_handle(mm_process_t *p, uint32_t h, strbuf_t *why)
{
    if (h == 0xFFFFFFFFu || h == 0xFFFFFFFEu) {
        /* GetCurrentProcess() and GetCurrentThread(): pseudo-handles, which
         * CloseHandle accepts and leaves as they are. */
        mm_say(why, "0x%X is a pseudo-handle (the current %s): closing it does nothing", h,
               h == 0xFFFFFFFFu ? "process" : "thread");
        return 0;
    }
    handle_entry_t *e = mm_handle_find(p, h);
    if (!e) return mm_fail(why, ERROR_INVALID_HANDLE, "0x%X is not an open handle of this process", h);
    if (e->file) fs_handle_closed(p->mm, e);
    section_t *s = e->section;
    memset(e, 0, sizeof *e);
    e->process = p->mm->free_handle;
    p->mm->free_handle = (uint32_t)(e - p->mm->handles) + 1;
    if (!s) return 0;
    if (!--s->handles) {
        if (why && s->name[0] && s->refs > 1)
            strbuf_printf(why, "the last handle: the name \"%s\" goes, the views keep the section", s->name);
        drop_name(p->mm, s);
    }
    mm_section_release(p->mm, s);
    return 0;
}

/* Views. ------------------------------------------------------------------ */

/* The view's protection for a FILE_MAP_* access, as kernel32 converts it
 * (Wine's test_mapping, file_access_to_prot): FILE_MAP_COPY alone is
 * copy-on-write, any write access read-write, read access read-only,
 * FILE_MAP_EXECUTE adds execute to each; with neither read nor write the
 * view is PAGE_NOACCESS. Other bits are not looked at. */
static uint32_t view_protect(uint32_t access)
{
    bool exec = access & FILE_MAP_EXECUTE;
    access &= ~(uint32_t)FILE_MAP_EXECUTE;
    if (access == FILE_MAP_COPY) return exec ? PAGE_EXECUTE_WRITECOPY : PAGE_WRITECOPY;
    if (access & FILE_MAP_WRITE) return exec ? PAGE_EXECUTE_READWRITE : PAGE_READWRITE;
    if (access & FILE_MAP_READ) return exec ? PAGE_EXECUTE_READ : PAGE_READONLY;
    return PAGE_NOACCESS;
}

/* A section's pages take its caching attribute (SEC_NOCACHE,
 * SEC_WRITECOMBINE) whatever protection a view gives them. */
static uint32_t cache_modifier(const section_t *s)
{
    return (s->attributes & SEC_NOCACHE) ? PAGE_NOCACHE : (s->attributes & SEC_WRITECOMBINE) ? PAGE_WRITECOMBINE : 0;
}

bool mm_view_prot_fits(uint32_t view_protect, uint32_t protect)
{
    uint32_t want = mm_prot_access(protect);
    return (mm_prot_access(view_protect) & want) == want;
}

bool mm_view_page_committed(const vad_t *v, uint32_t va)
{
    if (!v || !v->section || v->section->file) return true;
    const section_t *s = v->section;
    uint32_t i = (uint32_t)(((uint64_t)v->section_offset + (va - v->start)) >> X86_PAGE_SHIFT);
    return i < s->npages && (s->page[i] & SECTION_COMMITTED);
}

uint32_t mm_map_view(mm_process_t *p, uint32_t h, uint32_t access, uint32_t off_high, uint32_t off_low,
                     uint32_t size, uint32_t base, uint32_t *addr, strbuf_t *why)
{
    mm_t *mm = p->mm;
    *addr = 0;
    if (base % VAD_GRANULE)
        return mm_fail(why, ERROR_MAPPED_ALIGNMENT, "the base 0x%08X is not a multiple of the 64 KB allocation granularity",
                       base);
    if (off_low % VAD_GRANULE)
        return mm_fail(why, ERROR_MAPPED_ALIGNMENT, "the offset 0x%X is not a multiple of the 64 KB allocation granularity",
                    off_low);
    handle_entry_t *e = lookup(p, h);
    if (!e) return mm_fail(why, ERROR_INVALID_HANDLE, "0x%X is not an open section handle of this process", h);
    section_t *s = e->section;
    uint32_t prot = view_protect(access);
    /* A no-access view still needs the right to map the section for reading. */
    uint32_t need = prot == PAGE_NOACCESS ? MM_ACCESS_READ : mm_prot_access(prot);
    if ((mm_prot_access(s->protect) & need) != need) {
        mm_say(why, "the access 0x%X asks for a ", access);
        if (why) wc_format_protect(why, prot);
        mm_say(why, " view; the section, created ");
        if (why) wc_format_protect(why, s->protect);
        mm_say(why, ", does not allow it");
        return ERROR_ACCESS_DENIED;
    }
    if (base > mm_user_high(mm))
        return mm_fail(why, ERROR_INVALID_PARAMETER, "the base 0x%08X is above the highest application address 0x%08X",
                       base, mm_user_high(mm));
    if (off_high || off_low >= s->size || (size && (uint64_t)off_low + size > s->size))
        return mm_fail(why, ERROR_ACCESS_DENIED, "the view 0x%llX+0x%X lies outside the section's 0x%llX bytes",
                       (unsigned long long)off_high << 32 | off_low, size, (unsigned long long)s->size);
    uint32_t vsize = size ? size : (uint32_t)(s->size - off_low);
    uint32_t span = (uint32_t)(((uint64_t)vsize + 0xFFF) & ~0xFFFull);
    uint32_t start;
    if (base) {
        if ((uint64_t)base + span > (uint64_t)mm_user_high(mm) + 1)
            return mm_fail(why, ERROR_INVALID_PARAMETER, "0x%08X-0x%08llX runs past the highest application address",
                           base, (unsigned long long)base + span - 1);
        if (!vad_range_free(&p->vads, base, base + span)) {
            if (why) {
                strbuf_printf(why, "0x%08X-0x%08X overlaps ", base, base + span - 1);
                mm_describe_vad(mm, why, vad_next_from(&p->vads, base));
            }
            return ERROR_INVALID_ADDRESS;
        }
        start = base;
    } else if (!vad_find_space(&p->vads, span, false, &start)) {
        return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "no free range of 0x%X bytes is left in user space", span);
    }
    uint32_t alloc_protect = prot == PAGE_NOACCESS ? prot : prot | cache_modifier(s);
    vad_t proto = { .start = start, .end = start + span, .type = MEM_MAPPED, .alloc_protect = alloc_protect,
                    .section = s, .section_offset = off_low, .view_access = access };
    vad_t *v;
    uint32_t err = mm_vad_add(p, &proto, &v, why);
    if (err) return err;
    if (!mm_ensure_tables(p, start, start + span - 1, why)) {
        mm_vad_remove(p, v);
        return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "no physical frame is left for the view's page tables");
    }
    s->refs++;
    uint32_t mprot = mm_from_win32(alloc_protect);
    for (uint32_t va = start; va < start + span; va += X86_PAGE_SIZE) mm_set_pte(p, va, SPTE_PROTOTYPE | spte_make(mprot));
    if (prot == PAGE_NOACCESS)
        mm_say(why, "the access 0x%X has neither FILE_MAP_READ nor FILE_MAP_WRITE: the view is PAGE_NOACCESS until "
                    "VirtualProtect gives it more (it can give none)", access);
    *addr = start;
    return 0;
}

uint32_t mm_view_commit(mm_process_t *p, vad_t *v, uint32_t start, uint32_t end, uint32_t protect, strbuf_t *why)
{
    mm_t *mm = p->mm;
    section_t *s = v->section;
    if (!mm_view_prot_fits(v->alloc_protect, protect)) {
        mm_say(why, "in a view, a protection must allow no more than the view does: ");
        if (why) wc_format_protect(why, protect);
        mm_say(why, " does not fit the view's ");
        if (why) wc_format_protect(why, v->alloc_protect);
        return ERROR_INVALID_PARAMETER;
    }
    uint32_t first = (v->section_offset + (start - v->start)) >> X86_PAGE_SHIFT;
    uint32_t last = (v->section_offset + (end - v->start)) >> X86_PAGE_SHIFT;
    uint32_t fresh = 0;
    for (uint32_t i = first; s->page && i <= last; i++) fresh += !(s->page[i] & SECTION_COMMITTED);
    if (mm->commit_pages + fresh > mm->commit_limit_pages)
        return mm_fail(why, ERROR_COMMITMENT_LIMIT,
                       "committing %u more pages of the section would take the commit charge over the limit", fresh);
    for (uint32_t i = first; s->page && i <= last; i++) s->page[i] |= SECTION_COMMITTED;
    s->committed += fresh;
    mm->commit_pages += fresh;
    uint32_t prot = mm_alloc_page_prot(v, protect);
    for (uint32_t va = start; va <= end && va >= start; va += X86_PAGE_SIZE) mm_set_page_prot(p, va, mm_pte(p, va), prot);
    mm_say(why, "0x%08X-0x%08X of the view is now ", start, end);
    if (why) wc_format_protect(why, mm_to_win32(prot));
    if (fresh)
        mm_say(why, "; %u page%s of the section newly committed (and charged), for every view of it", fresh,
               fresh == 1 ? "" : "s");
    return 0;
}

uint32_t mm_alloc_page_prot(const vad_t *v, uint32_t protect)
{
    uint32_t m = mm_from_win32(protect & ~(uint32_t)(PAGE_NOCACHE | PAGE_WRITECOMBINE));
    if (MM_MODS(m) || !MM_BASE(m)) return m;
    uint32_t cache = v->alloc_protect & (PAGE_NOCACHE | PAGE_WRITECOMBINE);
    return cache ? mm_from_win32(protect & WC_PAGE_BASE_BITS) | (cache == PAGE_NOCACHE ? MM_NOCACHE : MM_WRITECOMBINE) : m;
}

void mm_unmap_pages(mm_process_t *p, vad_t *v)
{
    mm_t *mm = p->mm;
    for (uint32_t va = v->start; va < v->end; va += X86_PAGE_SIZE) {
        if (!(mm_pde(p, va) & X86_P)) continue;
        uint32_t pte = mm_pte(p, va);
        if (!pte) continue;
        /* A view's pages are never charged to the process. */
        uint32_t f = mm_pte_frame(pte);
        mm_set_pte(p, va, 0);
        mm_release_frame_if_unused(mm, f); /* a private copy made on write */
    }
    for (uint32_t va = v->start & ~0x3FFFFFu; va < v->end && va >= (v->start & ~0x3FFFFFu); va += 0x400000u)
        mm_release_table_if_empty(p, va);
    /* A file view's pages written through it go to the file now (Windows'
     * modified page writer would write them soon after). */
    if (v->section->file) {
        uint32_t first = v->section_offset >> X86_PAGE_SHIFT;
        mm_file_write_back(mm, v->section->file, first, first + ((v->end - v->start) >> X86_PAGE_SHIFT) - 1);
    }
}

uint32_t mm_unmap_view(mm_process_t *p, uint32_t addr, strbuf_t *why)
{
    vad_t *v = vad_find(&p->vads, addr);
    if (!v || v->type != MEM_MAPPED || !v->section)
        return mm_fail(why, ERROR_INVALID_ADDRESS, "0x%08X is not in a mapped view", addr);
    section_t *s = v->section;
    mm_unmap_pages(p, v);
    mm_vad_remove(p, v);
    mm_section_release(p->mm, s);
    return 0;
}

bool mm_section_fault(mm_process_t *p, uint32_t va, uint32_t prot, bool write, mm_access_t *res)
{
    mm_t *mm = p->mm;
    vad_t *v = vad_find(&p->vads, va);
    if (!v || !v->section) return false;
    section_t *s = v->section;
    uint32_t i = (v->section_offset + (va - v->start)) >> X86_PAGE_SHIFT;
    if (i >= s->npages) return false;
    uint32_t frame;
    if (s->file) {
        if (!mm_file_page_in(p, s, i, va, &frame, res)) return false;
    } else if (section_frame1(s, i)) {
        frame = section_frame1(s, i) - 1;
        res->resolved = MM_RES_SOFT;
        p->soft++;
    } else {
        if (!mm_frame_alloc(mm, p, res->why, &frame)) return false;
        pfn_t *e = mm_pfn(mm, frame);
        e->flags |= PFN_SECTION;
        s->page[i] = (s->page[i] & SECTION_COMMITTED) | (frame + 1);
        res->resolved = MM_RES_DEMAND_ZERO;
        p->demand_zero++;
    }
    (void)write;
    mm_set_pte(p, va, (frame << X86_PAGE_SHIFT) | mm_view_hw_bits(prot));
    return true;
}

ps_result_t mm_sections_clone(mm_t *dst, const mm_t *src)
{
    dst->sections = NULL;
    dst->handles = NULL;
    dst->nsections = dst->capsections = dst->nhandles = dst->caphandles = 0;
    if (strmap_copy(&dst->section_names, &src->section_names, dst) != PS_OK) {
        mm_sections_init(dst);
        return PS_ENOMEM;
    }
    if (src->nsections) {
        dst->sections = ps_calloc(dst->alloc, src->nsections * sizeof *dst->sections);
        if (!dst->sections) return PS_ENOMEM;
        dst->capsections = src->nsections;
        for (uint32_t i = 0; i < src->nsections; i++) {
            section_t *s = ps_malloc(dst->alloc, sizeof *s);
            if (!s) return PS_ENOMEM;
            *s = *src->sections[i];
            s->index = i;
            if (!s->page) {
                dst->sections[dst->nsections++] = s;
                continue;
            }
            s->page = ps_malloc(dst->alloc, s->npages * sizeof *s->page);
            dst->sections[dst->nsections++] = s;
            if (!s->page) {
                s->npages = 0;
                return PS_ENOMEM;
            }
            memcpy(s->page, src->sections[i]->page, s->npages * sizeof *s->page);
        }
    }
    if (src->nhandles) {
        dst->handles = ps_malloc(dst->alloc, src->nhandles * sizeof *dst->handles);
        if (!dst->handles) return PS_ENOMEM;
        dst->caphandles = dst->nhandles = src->nhandles;
        for (uint32_t i = 0; i < src->nhandles; i++) {
            dst->handles[i] = src->handles[i];
            if (src->handles[i].section) dst->handles[i].section = dst->sections[src->handles[i].section->index];
        }
    }
    return PS_OK;
}

void mm_sections_free(mm_t *mm)
{
    strmap_fini(&mm->section_names);
    for (uint32_t i = 0; i < mm->nsections; i++) {
        ps_free(mm->alloc, mm->sections[i]->page, mm->sections[i]->npages * sizeof *mm->sections[i]->page);
        ps_free(mm->alloc, mm->sections[i], sizeof *mm->sections[i]);
    }
    ps_free(mm->alloc, mm->sections, mm->capsections * sizeof *mm->sections);
    ps_free(mm->alloc, mm->handles, mm->caphandles * sizeof *mm->handles);
}
