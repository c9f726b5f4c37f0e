/* Page-file-backed sections: CreateFileMapping(INVALID_HANDLE_VALUE, ...),
 * MapViewOfFile(Ex), UnmapViewOfFile and CloseHandle.
 *
 * A section owns one entry per page (its prototype PTEs, in NT's words):
 * the frame that holds the page once it was touched. A view's PTEs start
 * as prototype software PTEs; the first touch makes the section's frame
 * present in that view, so every view, in any process, shares the frame.
 * A copy-on-write view (FILE_MAP_COPY) maps the shared frame read-only with
 * the copy-on-write bit; the first write gives the process its own copy. */
#include "mem.h"
#include "pagesim/winsdk.h"
#include "mm_int.h"
#include <stdio.h>
#include <string.h>

/* Handles. ---------------------------------------------------------------- */

static uint32_t handle_value(uint32_t index) { return (index + 1) * 4; }

static handle_entry_t *lookup(mm_process_t *p, uint32_t h)
{
    mm_t *mm = p->mm;
    if (h == 0 || h % 4 || h / 4 > mm->nhandles) return NULL;
    handle_entry_t *e = &mm->handles[h / 4 - 1];
    return e->section && e->process == p->id ? e : NULL;
}

/* A handle slot: a closed one (a list through the free slots), else a
 * new one at the end. */
static bool new_handle(mm_process_t *p, section_t *s, uint32_t *h)
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
    mm->handles[i].section = s;
    mm->handles[i].process = p->id;
    s->refs++;
    *h = handle_value(i);
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

void mm_section_release(mm_t *mm, section_t *s)
{
    if (--s->refs) return;
    for (uint32_t i = 0; i < s->npages; i++)
        if (s->page[i]) mm_frame_free(mm, s->page[i] - 1);
    mm->commit_pages -= s->npages;
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

uint32_t mm_create_section(mm_process_t *p, uint32_t protect, uint32_t size_high, uint32_t size_low,
                           const char *name, uint32_t *handle, strbuf_t *why)
{
    mm_t *mm = p->mm;
    *handle = 0;
    uint32_t page_prot = protect & 0xFFFFu, attrs = protect & 0xFFFF0000u;
    if (!valid_section_protect(page_prot))
        return mm_fail(why, ERROR_INVALID_PARAMETER,
                    "0x%X is not a section protection (PAGE_READONLY, PAGE_READWRITE, PAGE_WRITECOPY or an "
                    "EXECUTE_ one of them)", page_prot);
    if (attrs & ~(uint32_t)(SEC_COMMIT | SEC_RESERVE | SEC_NOCACHE | SEC_WRITECOMBINE | SEC_LARGE_PAGES | SEC_IMAGE | SEC_FILE))
        return mm_fail(why, ERROR_INVALID_PARAMETER, "unknown SEC_ attributes 0x%X", attrs);
    if (attrs & (SEC_IMAGE | SEC_FILE))
        return mm_fail(why, ERROR_INVALID_PARAMETER, "SEC_IMAGE and SEC_FILE need a file, not INVALID_HANDLE_VALUE");
    if ((attrs & SEC_COMMIT) && (attrs & SEC_RESERVE))
        return mm_fail(why, ERROR_INVALID_PARAMETER, "SEC_COMMIT and SEC_RESERVE exclude each other");
    if (attrs & SEC_LARGE_PAGES)
        return mm_fail(why, ERROR_PRIVILEGE_NOT_HELD, "SEC_LARGE_PAGES needs the SeLockMemoryPrivilege");
    if (attrs & SEC_RESERVE)
        return mm_fail(why, ERROR_INVALID_PARAMETER, "SEC_RESERVE sections are not simulated");
    if (name && *name) {
        uint32_t i = strmap_find(&mm->section_names, name, strlen(name));
        if (i != STRMAP_NONE) {
            if (!new_handle(p, mm->sections[i], handle))
                return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "out of memory for a handle");
            if (why) strbuf_printf(why, "the section \"%s\" exists already: this is a new handle to it", name);
            return 0;
        }
    }
    if (size_high || !size_low)
        return mm_fail(why, ERROR_INVALID_PARAMETER,
                    size_high ? "a page-file-backed section over 4 GB cannot be mapped by a 32-bit process"
                              : "a page-file-backed section needs a size (sizeHigh:sizeLow is 0)");
    uint32_t npages = (uint32_t)(((uint64_t)size_low + 0xFFF) >> 12);
    if (mm->commit_pages + npages > mm->commit_limit_pages)
        return mm_fail(why, ERROR_COMMITMENT_LIMIT, "the section's %u pages would take the commit charge over the limit",
                    npages);
    if (!ps_grow(mm->alloc, (void **)&mm->sections, &mm->capsections, mm->nsections + 1, sizeof *mm->sections)) {
        mm_oom(mm);
        return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
    }
    section_t *s = ps_calloc(mm->alloc, sizeof *s);
    if (s) s->page = ps_calloc(mm->alloc, npages * sizeof *s->page);
    if (!s || !s->page) {
        mm_oom(mm);
        ps_free(mm->alloc, s, sizeof *s);
        return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
    }
    snprintf(s->name, sizeof s->name, "%s", name ? name : "");
    s->size = size_low;
    s->npages = npages;
    s->protect = page_prot;
    s->attributes = attrs;
    s->index = mm->nsections;
    if (s->name[0] && strmap_add(&mm->section_names, s->name, strlen(s->name), s->index) != PS_OK) {
        ps_free(mm->alloc, s->page, npages * sizeof *s->page);
        ps_free(mm->alloc, s, sizeof *s);
        mm_oom(mm);
        return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "out of memory");
    }
    mm->sections[mm->nsections++] = s;
    mm->commit_pages += npages;
    if (!new_handle(p, s, handle)) {
        s->refs = 1;
        mm_section_release(mm, s);
        return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "out of memory for a handle");
    }
    return 0;
}

uint32_t mm_close_handle(mm_process_t *p, uint32_t h, strbuf_t *why)
{
    handle_entry_t *e = lookup(p, h);
    if (!e) return mm_fail(why, ERROR_INVALID_HANDLE, "0x%X is not an open handle of this process", h);
    section_t *s = e->section;
    e->section = NULL;
    e->process = p->mm->free_handle;
    p->mm->free_handle = (uint32_t)(e - p->mm->handles) + 1;
    mm_section_release(p->mm, s);
    return 0;
}

/* Views. ------------------------------------------------------------------ */

/* The view's protection for a FILE_MAP_* access, as kernel32 converts it
 * (FILE_MAP_COPY alone is copy-on-write; FILE_MAP_ALL_ACCESS, which has
 * the same bit, is read-write), or 0 when the section's protection does
 * not allow it. */
static uint32_t view_protect(uint32_t access, uint32_t sec)
{
    bool exec = access & FILE_MAP_EXECUTE;
    bool sec_writable = sec == PAGE_READWRITE || sec == PAGE_EXECUTE_READWRITE;
    bool sec_exec = sec == PAGE_EXECUTE_READ || sec == PAGE_EXECUTE_READWRITE || sec == PAGE_EXECUTE_WRITECOPY;
    if (exec && !sec_exec) return 0;
    if ((access & ~(uint32_t)FILE_MAP_EXECUTE) == FILE_MAP_COPY) return exec ? PAGE_EXECUTE_WRITECOPY : PAGE_WRITECOPY;
    if (access & FILE_MAP_WRITE) {
        if (!sec_writable) return 0;
        return exec ? PAGE_EXECUTE_READWRITE : PAGE_READWRITE;
    }
    if (access & FILE_MAP_READ) return exec ? PAGE_EXECUTE_READ : PAGE_READONLY;
    return 0;
}

uint32_t mm_map_view(mm_process_t *p, uint32_t h, uint32_t access, uint32_t off_high, uint32_t off_low,
                     uint32_t size, uint32_t base, uint32_t *addr, strbuf_t *why)
{
    mm_t *mm = p->mm;
    *addr = 0;
    handle_entry_t *e = lookup(p, h);
    if (!e) return mm_fail(why, ERROR_INVALID_HANDLE, "0x%X is not an open section handle of this process", h);
    section_t *s = e->section;
    if (access & ~(uint32_t)(FILE_MAP_ALL_ACCESS | FILE_MAP_RESERVE | FILE_MAP_TARGETS_INVALID | FILE_MAP_LARGE_PAGES))
        return mm_fail(why, ERROR_INVALID_PARAMETER, "unknown FILE_MAP_ bits 0x%X", access);
    uint32_t prot = view_protect(access, s->protect);
    if (!prot) return mm_fail(why, ERROR_ACCESS_DENIED, "the section's protection 0x%X does not allow access 0x%X", s->protect,
                           access);
    if (off_low % VAD_GRANULE)
        return mm_fail(why, ERROR_MAPPED_ALIGNMENT, "the offset 0x%X is not a multiple of the 64 KB allocation granularity",
                    off_low);
    if (off_high || off_low >= s->size || (size && (uint64_t)off_low + size > s->size))
        return mm_fail(why, ERROR_ACCESS_DENIED, "the view 0x%X+0x%X lies outside the section's 0x%X bytes", off_low, size,
                    s->size);
    uint32_t vsize = size ? size : s->size - off_low;
    uint32_t span = (uint32_t)(((uint64_t)vsize + 0xFFF) & ~0xFFFull);
    uint32_t start;
    if (base) {
        if (base % VAD_GRANULE)
            return mm_fail(why, ERROR_INVALID_ADDRESS, "0x%08X is not on a 64 KB boundary", base);
        if (base < MM_USER_LOW || (uint64_t)base + span > (uint64_t)mm_user_high(mm) + 1)
            return mm_fail(why, ERROR_INVALID_ADDRESS, "0x%08X-0x%08llX is not inside user space", base,
                        (unsigned long long)base + span - 1);
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
    if (!mm_ensure_tables(p, start, start + span - 1, why))
        return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "no physical frame is left for the view's page tables");
    vad_t proto = { .start = start, .end = start + span, .type = MEM_MAPPED, .alloc_protect = prot, .section = s,
                    .section_offset = off_low, .view_access = access };
    vad_t *v = vad_insert(&p->vads, &proto);
    if (!v) {
        for (uint32_t va = start & ~0x3FFFFFu; va < start + span && va >= (start & ~0x3FFFFFu); va += 0x400000u)
            mm_release_table_if_empty(p, va);
        mm_oom(mm);
        return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "out of memory for the VAD");
    }
    s->refs++;
    uint32_t mprot = mm_from_win32(prot);
    for (uint32_t va = start; va < start + span; va += X86_PAGE_SIZE) mm_set_pte(p, va, SPTE_PROTOTYPE | spte_make(mprot));
    *addr = start;
    return 0;
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
}

uint32_t mm_unmap_view(mm_process_t *p, uint32_t addr, strbuf_t *why)
{
    vad_t *v = vad_find(&p->vads, addr);
    if (!v || v->type != MEM_MAPPED || !v->section)
        return mm_fail(why, ERROR_INVALID_ADDRESS, "0x%08X is not in a mapped view", addr);
    section_t *s = v->section;
    mm_unmap_pages(p, v);
    vad_remove(&p->vads, v);
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
    if (s->page[i]) {
        frame = s->page[i] - 1;
        res->resolved = MM_RES_SOFT;
        p->soft++;
    } else {
        if (!mm_frame_alloc(mm, p, res->why, &frame)) return false;
        pfn_t *e = mm_pfn(mm, frame);
        e->flags |= PFN_SECTION;
        s->page[i] = frame + 1;
        res->resolved = MM_RES_DEMAND_ZERO;
        p->demand_zero++;
    }
    (void)write;
    mm_set_pte(p, va, (frame << X86_PAGE_SHIFT) | mm_hw_bits(prot));
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
