/* What backs a page or a frame, for !pfn and the front ends' detail text:
 * a private page, a page of a page-file-backed section, of a file, of the
 * image (which of its sections), a private copy made by copy-on-write, or
 * the system's; and which PTEs of which processes map its frame. Reads
 * only: no fault, no A/D update, no TLB change. */
#include "pagesim/inspect.h"
#include "pagesim/winsdk.h"
#include "pagesim/x86.h"
#include "mm_int.h"
#include <string.h>

static const char *const k_backing[] = {
    "none", "private", "page-file section", "file", "image", "copy", "system", "AWE",
};

const char *mm_backing_kind_str(mm_backing_kind_t k)
{
    return (unsigned)k < sizeof k_backing / sizeof *k_backing ? k_backing[k] : "?";
}

static void clear(mm_backing_t *out)
{
    memset(out, 0, sizeof *out);
    out->section = -1;
}

static void copy_name(char *dst, size_t n, const char *src)
{
    size_t len = strlen(src);
    if (len >= n) len = n - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

bool mm_file_is_image(const mm_t *mm, uint32_t file1)
{
    for (uint32_t i = 0; i < mm->nsections; i++)
        if (mm->sections[i]->file == file1 && (mm->sections[i]->attributes & SEC_IMAGE)) return true;
    return false;
}

/* Page i of file1: an image's page (with its section's name) or a file's. */
static void set_file_page(const mm_t *mm, uint32_t file1, uint32_t i, mm_backing_t *out)
{
    out->kind = mm_file_is_image(mm, file1) ? MM_BACK_IMAGE : MM_BACK_FILE;
    out->page = i;
    copy_name(out->file, sizeof out->file, mm_file(mm, file1)->name);
    if (out->kind == MM_BACK_IMAGE) out->image_section = mm_image_section_name(i);
}

static void set_section_page(const section_t *s, uint32_t i, mm_backing_t *out)
{
    out->kind = MM_BACK_PAGEFILE;
    out->section = (int)s->index;
    out->page = i;
    copy_name(out->section_name, sizeof out->section_name, s->name);
}

/* The page-file-backed section and page whose frame is frame. */
static void find_section_page(const mm_t *mm, uint32_t frame, mm_backing_t *out)
{
    out->kind = MM_BACK_PAGEFILE;
    for (uint32_t k = 0; k < mm->nsections; k++) {
        const section_t *s = mm->sections[k];
        for (uint32_t i = 0; s->page && i < s->npages; i++)
            if (section_frame1(s, i) == frame + 1) {
                set_section_page(s, i, out);
                return;
            }
    }
}

static void add_mapping(mm_backing_t *out, int process, uint32_t va, int *last)
{
    if (out->nsharers < MM_SHARERS_MAX) out->sharers[out->nsharers++] = (mm_sharer_t){ process, va };
    out->mappings++;
    if (*last != process) out->processes++;
    *last = process;
}

/* Every valid PTE of a view (views only: no private frame is shared) that
 * maps frame, process by process; modified when one of them is dirty. */
static void find_view_mappings(const mm_t *mm, uint32_t frame, mm_backing_t *out)
{
    for (uint32_t k = 0; k < mm->nprocs; k++) {
        const mm_process_t *p = mm->procs[k];
        int last = -1;
        mm_pte_cursor_t c;
        mm_pte_cursor_init(&c, p);
        for (vad_t *v = vad_first(&p->vads); v; v = vad_next(&p->vads, v)) {
            if (!v->section) continue;
            for (uint32_t va = v->start; va < v->end; va += X86_PAGE_SIZE) {
                uint32_t pte = mm_pte_next(&c, va);
                if (!(pte & X86_P) || (pte >> X86_PAGE_SHIFT) != frame) continue;
                add_mapping(out, (int)p->id, va, &last);
                if (pte & X86_D) out->modified = true;
                if (pte & X86_A) out->accessed = true;
            }
        }
    }
}

void mm_frame_backing(const mm_t *mm, uint32_t frame, mm_backing_t *out)
{
    clear(out);
    out->frame = frame;
    if (frame >= mm->nframes) return;
    if (frame < mm->first_free_frame) {
        out->kind = MM_BACK_SYSTEM;
        out->resident = true;
        return;
    }
    const pfn_t *e = mm_pfn_peek(mm, frame);
    if (!e || !(e->flags & PFN_USED)) return;
    out->resident = true;
    out->locked = (e->flags & PFN_LOCKED) != 0;
    if (e->flags & (PFN_DIRECTORY | PFN_PAGE_TABLE | PFN_SYSTEM)) {
        out->kind = MM_BACK_SYSTEM;
        out->mappings = e->share;
        return;
    }
    if (e->flags & PFN_SECTION) {
        if (e->flags & PFN_FILE) set_file_page(mm, e->file, e->va, out);
        else find_section_page(mm, frame, out);
        out->modified = (e->flags & PFN_MODIFIED) != 0;
        out->slot = (e->flags & PFN_FILE) ? 0 : e->slot;
        find_view_mappings(mm, frame, out);
        return;
    }
    /* A private or AWE frame: one mapping at most, its owner's. */
    const mm_process_t *p = e->owner ? mm->procs[e->owner - 1] : NULL;
    if (e->flags & PFN_AWE) {
        /* No backing store: the page stays in its frame until freed. */
        out->kind = MM_BACK_AWE;
        out->page = e->share ? e->va >> X86_PAGE_SHIFT : 0;
        int last = -1;
        if (p && e->share) add_mapping(out, (int)p->id, e->va, &last);
        uint32_t pte = p && e->share ? mm_pte(p, e->va) : 0;
        out->accessed = (pte & X86_A) != 0;
        out->modified = (pte & X86_D) != 0;
        return;
    }
    const vad_t *v = p ? vad_find(&p->vads, e->va) : NULL;
    out->kind = v && v->section ? MM_BACK_COPY : MM_BACK_PRIVATE;
    out->page = e->va >> X86_PAGE_SHIFT;
    out->slot = e->slot;
    if (p) {
        int last = -1;
        add_mapping(out, (int)p->id, e->va, &last);
        uint32_t pte = mm_pte(p, e->va);
        out->modified = (pte & X86_D) != 0 || !e->slot;
        out->accessed = (pte & X86_A) != 0;
    }
}

/* A view's page that no valid PTE of p maps: the section's page (resident
 * when the section or the file cache holds it), or p's private copy out in
 * the page file. */
static void view_page(const mm_process_t *p, const vad_t *v, uint32_t va, uint32_t pte, mm_backing_t *out)
{
    const mm_t *mm = p->mm;
    const section_t *s = v->section;
    uint32_t i = (v->section_offset + (va - v->start)) >> X86_PAGE_SHIFT;
    if (pte && !(pte & SPTE_PROTOTYPE)) { /* a private copy in the page file */
        clear(out);
        out->kind = MM_BACK_COPY;
        out->page = va >> X86_PAGE_SHIFT;
        out->slot = pte >> SPTE_SLOT_SHIFT;
        return;
    }
    uint32_t frame1 = 0;
    if (s->file) {
        const ps_file_t *f = mm_file(mm, s->file);
        if (i < f->ncache) frame1 = f->cache[i];
    } else if (s->page && i < s->npages) {
        frame1 = section_frame1(s, i);
    }
    if (frame1) {
        mm_frame_backing(mm, frame1 - 1, out);
        return;
    }
    clear(out);
    if (s->file) set_file_page(mm, s->file, i, out);
    else set_section_page(s, i, out);
}

void mm_page_backing(mm_process_t *p, uint32_t va, mm_backing_t *out)
{
    mm_page_info_t pi;
    mm_page_info(p, va, &pi);
    clear(out);
    const vad_t *v = vad_find(&p->vads, va & X86_FRAME_MASK);
    bool transition = !pi.present && (pi.pte & SPTE_TRANSITION) && !(pi.pte & SPTE_PROTOTYPE);
    if (pi.present || transition) {
        mm_frame_backing(p->mm, pi.present ? pi.frame : pi.pte >> X86_PAGE_SHIFT, out);
    } else if (pi.state_mem == MEM_COMMIT && v && v->section) {
        view_page(p, v, va & X86_FRAME_MASK, pi.pte, out);
    } else if (pi.state_mem == MEM_COMMIT) {
        out->kind = MM_BACK_PRIVATE;
        out->page = va >> X86_PAGE_SHIFT;
        out->slot = pi.slot;
    }
    out->copy_on_write = (pi.present && (pi.pte & PTE_COW)) ||
                         (!pi.present && v && v->section && out->kind != MM_BACK_COPY &&
                          (pi.protect & (PAGE_WRITECOPY | PAGE_EXECUTE_WRITECOPY)));
}
