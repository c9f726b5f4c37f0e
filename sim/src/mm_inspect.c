/* Looking at the memory manager's state for front ends: page states, the
 * frames and the page-file slots. Reads only: no fault, no A/D update, no
 * TLB change. */
#include "pagesim/inspect.h"
#include "pagesim/winsdk.h"
#include "mm_int.h"
#include "pagesim/phys.h"
#include "pagesim/x86.h"
#include <string.h>


static const char *const k_page_state[MM_PAGE_STATE_COUNT] = {
    "free", "reserved", "committed", "resident", "dirty", "guard", "mapped", "copy-on-write", "page table",
    "system", "image", "locked", "file", "shared", "awe",
};

const char *mm_page_state_str(mm_page_state_t s)
{
    return (unsigned)s < MM_PAGE_STATE_COUNT ? k_page_state[s] : "?";
}

/* Where kernel space starts: past user space and the 64 KB no-access
 * region above it (which counts as free). */
static uint32_t kernel_start(const mm_t *mm)
{
    return mm_user_high(mm) + 1u + VAD_GRANULE;
}

/* Kernel space: a page table seen through the self-map when its PDE is
 * present, else system. */
static mm_page_state_t kernel_state(const mm_process_t *p, uint32_t va)
{
    if (va >= MM_PTE_BASE && va < MM_PTE_BASE + 0x400000u) {
        uint32_t pde_index = (va - MM_PTE_BASE) >> 12;
        uint32_t pde = phys_read32(mmu_phys_const(p->mm->mmu), p->pd + pde_index * 4);
        if ((pde & X86_P) && !(pde & X86_PS)) return MM_PAGE_PAGE_TABLE;
    }
    return MM_PAGE_SYSTEM;
}

/* A view's page by what backs its section: an image, a file, the page file. */
static mm_page_state_t view_state(uint32_t type, bool file)
{
    if (type == MEM_IMAGE) return MM_PAGE_IMAGE;
    return file ? MM_PAGE_FILE : MM_PAGE_MAPPED;
}

/* A committed page from its PTE and its region's type, protection and
 * section (file: the section is file-backed). A private copy of a view's
 * page (copy-on-write done) shows as a private page. */
static mm_page_state_t committed_state(const mm_process_t *p, uint32_t pte, uint32_t type, uint32_t protect, bool file)
{
    if (protect & PAGE_GUARD) return MM_PAGE_GUARD;
    if (pte & X86_P) {
        if (pte & PTE_COW) return MM_PAGE_COPY_ON_WRITE;
        const pfn_t *e = mm_pfn_peek(p->mm, pte >> 12);
        if (e && (e->flags & PFN_SECTION)) return e->share > 1 ? MM_PAGE_SHARED : view_state(type, file);
        if (e && (e->flags & PFN_LOCKED)) return MM_PAGE_LOCKED;
        if (e && (e->flags & PFN_AWE)) return MM_PAGE_AWE;
        return (pte & X86_D) ? MM_PAGE_DIRTY : MM_PAGE_RESIDENT;
    }
    if (type == MEM_IMAGE || type == MEM_MAPPED) return view_state(type, file);
    return MM_PAGE_COMMITTED;
}

/* Whether the view holding va in p is of a file-backed section. */
static bool file_view(const mm_process_t *p, uint32_t va)
{
    const vad_t *v = vad_find(&p->vads, va);
    return v && v->section && v->section->file;
}

static uint32_t pte_slot(uint32_t pte)
{
    if (!pte || (pte & (X86_P | SPTE_PROTOTYPE | SPTE_TRANSITION))) return 0;
    return pte >> SPTE_SLOT_SHIFT;
}

void mm_page_info(mm_process_t *p, uint32_t va, mm_page_info_t *out)
{
    memset(out, 0, sizeof *out);
    va &= X86_FRAME_MASK;
    out->pde = mm_pde(p, va);
    out->pte = mm_pte(p, va);
    if ((out->pde & X86_P) && (out->pde & X86_PS)) {
        out->present = true;
        out->frame = ((out->pde & X86_LARGE_FRAME_MASK) >> 12) + X86_PTE_INDEX(va);
    } else if (out->pte & X86_P) {
        out->present = true;
        out->frame = out->pte >> 12;
    }
    out->slot = pte_slot(out->pte);
    if (va >= kernel_start(p->mm)) {
        out->state = kernel_state(p, va);
        return;
    }
    mm_mbi_t mbi;
    if (mm_virtual_query(p, va, &mbi, NULL) != 0) {
        out->state = MM_PAGE_FREE; /* the no-access region above user space */
        return;
    }
    out->state_mem = mbi.State;
    out->type = mbi.Type;
    out->alloc_base = mbi.AllocationBase;
    if (mbi.State == MEM_FREE) out->state = MM_PAGE_FREE;
    else if (mbi.State == MEM_RESERVE) out->state = MM_PAGE_RESERVED;
    else {
        out->protect = mbi.Protect;
        out->state = committed_state(p, out->pte, mbi.Type, mbi.Protect, file_view(p, va));
    }
}

static void fill(uint8_t *states, uint32_t from, uint32_t to, mm_page_state_t s)
{
    if (to > from) memset(states + from, (int)s, to - from);
}

void mm_page_states(mm_process_t *p, uint32_t first, uint32_t count, uint8_t *states)
{
    uint64_t end = (uint64_t)first + count;
    if (end > 0x100000u) end = 0x100000u;
    uint32_t user_end = kernel_start(p->mm) >> 12;
    uint32_t page = first;
    /* User space, a VirtualQuery region at a time. */
    while (page < end && page < user_end) {
        mm_mbi_t mbi;
        uint32_t stop = (uint32_t)(end < user_end ? end : user_end);
        if ((page << 12) > mm_user_high(p->mm)) {
            fill(states, page - first, stop - first, MM_PAGE_FREE);
            page = stop;
            break;
        }
        mm_query_upto(p, page << 12, (uint64_t)stop << 12, &mbi);
        uint64_t region_end = ((uint64_t)mbi.BaseAddress + mbi.RegionSize) >> 12;
        if (region_end <= page) region_end = page + 1u;
        if (region_end < stop) stop = (uint32_t)region_end;
        if (mbi.State == MEM_FREE || mbi.State == MEM_RESERVE) {
            fill(states, page - first, stop - first, mbi.State == MEM_FREE ? MM_PAGE_FREE : MM_PAGE_RESERVED);
        } else {
            mm_pte_cursor_t c;
            mm_pte_cursor_init(&c, p);
            bool file = file_view(p, page << 12);
            for (uint32_t q = page; q < stop; q++)
                states[q - first] = (uint8_t)committed_state(p, mm_pte_next(&c, q << 12), mbi.Type, mbi.Protect, file);
        }
        page = stop;
    }
    /* Kernel space: system, but for the page tables in the self-map. */
    for (; page < end; page++) {
        uint32_t va = page << 12;
        if (va < MM_PTE_BASE || va >= MM_PTE_BASE + 0x400000u) {
            uint32_t stop = va < MM_PTE_BASE ? MM_PTE_BASE >> 12 : (uint32_t)end;
            if (stop > end) stop = (uint32_t)end;
            fill(states, page - first, stop - first, MM_PAGE_SYSTEM);
            page = stop - 1;
            continue;
        }
        states[page - first] = (uint8_t)kernel_state(p, va);
    }
}

static const char *const k_frame_kind[] = {
    "free", "kernel", "user", "section", "page table", "page directory", "system", "locked", "file", "image", "awe",
};

const char *mm_frame_kind_str(mm_frame_kind_t k)
{
    return (unsigned)k < sizeof k_frame_kind / sizeof *k_frame_kind ? k_frame_kind[k] : "?";
}

uint32_t mm_frame_count(const mm_t *mm) { return mm->nframes; }

void mm_frame_info(const mm_t *mm, uint32_t frame, mm_frame_info_t *out)
{
    memset(out, 0, sizeof *out);
    out->owner = -1;
    if (frame >= mm->nframes) return;
    if (frame < mm->first_free_frame) {
        out->kind = MM_FRAME_KERNEL;
        return;
    }
    const pfn_t *e = mm_pfn_peek(mm, frame);
    if (!e || !(e->flags & PFN_USED)) return;
    if (e->flags & PFN_DIRECTORY) out->kind = MM_FRAME_DIRECTORY;
    else if (e->flags & PFN_PAGE_TABLE) out->kind = MM_FRAME_PAGE_TABLE;
    else if (e->flags & PFN_SYSTEM) out->kind = MM_FRAME_SYSTEM;
    else if (e->flags & PFN_FILE) out->kind = mm_file_is_image(mm, e->file) ? MM_FRAME_IMAGE : MM_FRAME_FILE;
    else if (e->flags & PFN_SECTION) out->kind = MM_FRAME_SECTION;
    else if (e->flags & PFN_AWE) out->kind = MM_FRAME_AWE;
    else out->kind = (e->flags & PFN_LOCKED) ? MM_FRAME_LOCKED : MM_FRAME_USER;
    out->owner = e->owner ? (int)e->owner - 1 : -1;
    out->va = e->va;
    out->share = e->share;
    out->slot = e->slot;
}

uint32_t mm_slot_count(const mm_t *mm) { return mm->nslots; }

void mm_slot_infos(mm_t *mm, uint32_t first, uint32_t count, mm_slot_info_t *out)
{
    for (uint32_t i = 0; i < count; i++) {
        uint32_t slot = first + i;
        out[i].used = slot >= 1 && slot <= mm->nslots && mm->slot_used[slot - 1];
        out[i].owner = -1;
        out[i].va = 0;
    }
    /* Resident pages whose frame still has a current copy in a slot. */
    for (uint32_t f = mm->first_free_frame; f < mm->nframes; f++) {
        const pfn_t *e = mm_pfn_peek(mm, f);
        if (!e || !(e->flags & PFN_USED) || !e->slot || e->slot < first || e->slot - first >= count) continue;
        out[e->slot - first].owner = e->owner ? (int)e->owner - 1 : -1;
        out[e->slot - first].va = e->va;
    }
    /* Pages out in the page file: their PTEs name the slot. */
    for (uint32_t k = 0; k < mm->nprocs; k++) {
        const mm_process_t *p = mm->procs[k];
        mm_pte_cursor_t c;
        mm_pte_cursor_init(&c, p);
        for (uint32_t d = 0; d < (kernel_start(mm) >> 22); d++) {
            mm_pte_next(&c, d << 22);
            if (!c.table) continue; /* no page table, a 4 MB page, or a table of zeros */
            for (uint32_t t = 0; t < 1024; t++) {
                uint32_t slot = pte_slot(mm_pte_next(&c, d << 22 | t << 12));
                if (slot < first || slot - first >= count) continue;
                out[slot - first].owner = (int)p->id;
                out[slot - first].va = d << 22 | t << 12;
            }
        }
    }
}
