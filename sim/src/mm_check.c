/* The memory manager's invariants, checked over the whole machine.
 *
 * Every counter the memory manager keeps is a summary of the page tables,
 * and this file recomputes each summary from the tables and compares:
 *
 *   working set       a process's ws = its valid user PTEs (the shared
 *                     KUSER_SHARED_DATA page, a system frame, not counted)
 *   page tables       a table exists for a present PDE, is a page-table
 *                     frame of that process, and its use count is the
 *                     number of its non-zero entries; pt_pages = tables
 *   PFN database      a private frame is mapped by exactly one PTE (valid
 *                     or transition) at the PFN entry's address in its
 *                     owner; a shared frame's share count is the number of
 *                     PTEs that map it; no used frame is unaccounted for,
 *                     no free frame is mapped, the free list is exact
 *   replacement       the policy holds exactly the evictable frames (an
 *                     unlocked private frame mapped by a valid or a
 *                     transition PTE)
 *   page-file slots   a slot is in use exactly when one page names it (a
 *                     software PTE, or a resident page's current copy)
 *   commit charge     the system charge is the sum of every process's
 *                     committed private pages and page tables, and of the
 *                     sections' pages; a process's private charge counts
 *                     its committed PTEs outside mapped views
 *   sections          a section's references are its handles and views;
 *                     a handle is of one kind (section, file or process)
 *                     and a process handle names a process
 *   files             a cached page of a file is in a frame of its own,
 *                     marked for that file and page, in the replacement
 *                     policy; every PTE that maps it is in a view of that
 *                     file at that page (the cache and every view share
 *                     the one frame, its share count the PTEs); a file's
 *                     counts of sections and handles are right
 *   VAD tree          (vad_check) ordered, balanced, gaps right
 *   locked pages      (mm_lock_check) a locked frame is a private page
 *                     mapped by a valid PTE of its owner (resident, in the
 *                     working set, out of the policy); the counts right
 *   AWE               (mm_awe_check) a physical page of AllocateUserPhysical-
 *                     Pages belongs to a process, is mapped at most once,
 *                     only in an AWE region, never in a working set or the
 *                     policy; an AWE region maps nothing else; counts right
 *   write watch       (mm_watch_check) bitmaps on write-watch allocations
 *                     only, no bit past the last page, the count right
 *   TLB               an entry for a user page of the running process
 *                     agrees with its PTE (the entry was invalidated when
 *                     the PTE changed)
 *
 * Reads only; allocates scratch arrays with the machine's allocator. */
#include "mem.h"
#include "mm_int.h"
#include "pagesim/heap.h"
#include "pagesim/winsdk.h"
#include "pagesim/winconst.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum { HOW_VALID = 1, HOW_TRANSITION = 2, HOW_TABLE = 4, HOW_DIRECTORY = 8, HOW_SECTION = 16, HOW_FREE = 0x80 };

typedef struct chk {
    const mm_t *mm;
    char *msg;
    size_t n;
    uint32_t *maps;       /* per frame: PTEs (and PDEs) that map it        */
    uint8_t *how;         /* per frame: HOW_*                              */
    uint8_t *slot_owner;  /* per slot: pages that name it (saturating)     */
    uint64_t charged;     /* private commit summed over the processes     */
} chk_t;

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static bool bad(chk_t *c, const char *inv, const mm_process_t *p, uint32_t va, const char *fmt, ...)
{
    int k = snprintf(c->msg, c->n, "invariant '%s' broken at 0x%08X%s%s: ", inv, va, p ? " in process " : "",
                     p ? p->name : "");
    if (k > 0 && (size_t)k < c->n) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->msg + k, c->n - (size_t)k, fmt, ap);
        va_end(ap);
    }
    return false;
}

static void own_slot(chk_t *c, uint32_t slot)
{
    if (c->slot_owner[slot - 1] < 255) c->slot_owner[slot - 1]++;
}

/* A PTE that maps a file's cached frame lies in a view of that file, at
 * the frame's page. */
static bool check_file_pte(chk_t *c, const mm_process_t *p, const vad_t *v, uint32_t va, const pfn_t *e)
{
    if (!(e->flags & PFN_FILE)) {
        if (v->section && v->section->file && (v->alloc_protect & WC_PAGE_BASE_BITS) != PAGE_WRITECOPY &&
            (v->alloc_protect & WC_PAGE_BASE_BITS) != PAGE_EXECUTE_WRITECOPY && (e->flags & PFN_SECTION))
            return bad(c, "files", p, va, "a view of a file maps a frame that is not the file's");
        return true;
    }
    uint32_t page = (uint32_t)(((uint64_t)v->section_offset + (va - v->start)) >> X86_PAGE_SHIFT);
    if (!v->section || v->section->file != e->file || page != e->va)
        return bad(c, "files", p, va, "frame of page %u of file %u mapped where that page is not", e->va, e->file);
    return true;
}

/* One non-zero PTE of a user page table. */
static bool check_pte(chk_t *c, const mm_process_t *p, uint32_t va, uint32_t pte, uint32_t *ws, uint64_t *charged)
{
    const mm_t *mm = c->mm;
    if (va > mm_user_high(mm)) return bad(c, "page tables", p, va, "a PTE (0x%08X) above user space", pte);
    const vad_t *v = vad_find(&p->vads, va);
    if (!v) return bad(c, "page tables", p, va, "a PTE (0x%08X) outside every allocation", pte);
    bool mapped_view = v->section != NULL;
    if (pte & (X86_P | SPTE_TRANSITION)) {
        uint32_t f = pte >> X86_PAGE_SHIFT;
        const pfn_t *e = mm_pfn_peek(mm, f);
        if (!e || !(e->flags & PFN_USED))
            return bad(c, "PFN database", p, va, "the PTE 0x%08X maps frame 0x%05X, which is free", pte, f);
        c->maps[f]++;
        c->how[f] |= (pte & X86_P) ? HOW_VALID : HOW_TRANSITION;
        if ((pte & X86_P) && !(e->flags & (PFN_SYSTEM | PFN_AWE))) (*ws)++;
        if (mm_pfn_private(e) && (e->owner != p->id + 1 || e->va != va))
            return bad(c, "PFN database", p, va, "frame 0x%05X is recorded for process %d at 0x%08X", f,
                       (int)e->owner - 1, e->va);
        if (!(pte & X86_P) && (e->flags & PFN_SECTION))
            return bad(c, "PFN database", p, va, "a transition PTE for the section frame 0x%05X", f);
        if ((pte & X86_P) && !(e->flags & PFN_SECTION) && (pte & (PTE_VIEW_EXEC | PTE_VIEW_XONLY)))
            return bad(c, "page tables", p, va, "view protection bits in the PTE 0x%08X of a private frame", pte);
        if ((e->flags & PFN_SECTION) && !mapped_view)
            return bad(c, "PFN database", p, va, "the section frame 0x%05X mapped outside a view", f);
        if ((pte & X86_P) && (e->flags & PFN_SECTION) && !check_file_pte(c, p, v, va, e)) return false;
        bool awe_frame = e->flags & PFN_AWE, awe_page = (v->flags & VAD_PHYSICAL) && (pte & X86_P);
        if (awe_frame != awe_page)
            return bad(c, "AWE", p, va, "the PTE 0x%08X %s", pte,
                       awe_frame ? "maps a physical page outside an AWE region" : "of an AWE region maps another frame");
        if (!(e->flags & (PFN_SYSTEM | PFN_AWE)) && !mapped_view) (*charged)++;
        return true;
    }
    if (pte & SPTE_PROTOTYPE) {
        if (!mapped_view) return bad(c, "page tables", p, va, "a prototype PTE outside a mapped view");
        return true;
    }
    if (pte == MM_DECOMMITTED_PTE) {
        if (mapped_view || v->type != MEM_PRIVATE)
            return bad(c, "page tables", p, va, "a decommitted PTE outside private memory");
        return true;
    }
    if (!spte_prot(pte)) return bad(c, "page tables", p, va, "a software PTE 0x%08X without a protection", pte);
    uint32_t slot = pte >> SPTE_SLOT_SHIFT;
    if (slot) {
        if (slot > mm->nslots || !mm->slot_used[slot - 1])
            return bad(c, "page-file slots", p, va, "the PTE names slot %u, which is not in use", slot - 1);
        own_slot(c, slot);
    }
    if (!mapped_view) (*charged)++;
    return true;
}

static bool check_table(chk_t *c, const mm_process_t *p, uint32_t i, uint32_t pde, uint32_t *ws, uint64_t *charged)
{
    const mm_t *mm = c->mm;
    uint32_t va0 = i << 22;
    uint32_t f = pde >> X86_PAGE_SHIFT;
    const pfn_t *e = (pde & X86_PS) || f >= mm->nframes ? NULL : mm_pfn_peek(mm, f);
    if (!e || (e->flags & (PFN_USED | PFN_PAGE_TABLE)) != (PFN_USED | PFN_PAGE_TABLE) || e->owner != p->id + 1 ||
        e->va != MM_PTE_BASE + i * X86_PAGE_SIZE)
        return bad(c, "page tables", p, va0, "the PDE 0x%08X does not name a page table of this process", pde);
    c->maps[f]++;
    c->how[f] |= HOW_TABLE;
    uint32_t stored;
    const uint8_t *t = phys_frame_peek(mmu_phys_const(mm->mmu), f, &stored);
    uint32_t used = 0;
    for (uint32_t k = 0; t && k < stored / 4; k++) {
        uint32_t pte = phys_le32(t + k * 4);
        if (!pte) continue;
        used++;
        if (!check_pte(c, p, va0 | k << 12, pte, ws, charged)) return false;
    }
    if (used != p->pt_used[i])
        return bad(c, "page tables", p, va0, "the table has %u non-zero entries, its use count says %u", used,
                   (unsigned)p->pt_used[i]);
    return true;
}

static bool check_process(chk_t *c, const mm_process_t *p, uint32_t index)
{
    const mm_t *mm = c->mm;
    if (p->id != index) return bad(c, "processes", p, 0, "id %u at index %u", p->id, index);
    uint32_t df = p->pd >> X86_PAGE_SHIFT;
    const pfn_t *de = df < mm->nframes ? mm_pfn_peek(mm, df) : NULL;
    if (!de || !(de->flags & PFN_DIRECTORY) || de->owner != p->id + 1)
        return bad(c, "PFN database", p, MM_PDE_BASE, "the page directory's frame 0x%05X is not recorded as one", df);
    c->maps[df]++;
    c->how[df] |= HOW_DIRECTORY;
    uint32_t self = phys_read32(mmu_phys_const(mm->mmu), p->pd + MM_SELFMAP_PDE * 4);
    if ((self & X86_FRAME_MASK) != p->pd || !(self & X86_P))
        return bad(c, "page tables", p, MM_PDE_BASE, "the self-map PDE is 0x%08X", self);
    uint32_t ws = 0, tables = 0;
    uint64_t charged = 0;
    for (uint32_t i = 0; i <= X86_PDE_INDEX(mm_user_high(mm)); i++) {
        uint32_t pde = phys_read32(mmu_phys_const(mm->mmu), p->pd + i * 4);
        if (!(pde & X86_P)) {
            if (pde || p->pt_used[i])
                return bad(c, "page tables", p, i << 22, "a not-present PDE 0x%08X with a use count of %u", pde,
                           (unsigned)p->pt_used[i]);
            continue;
        }
        tables++;
        if (!check_table(c, p, i, pde, &ws, &charged)) return false;
    }
    if (tables != p->pt_pages)
        return bad(c, "page tables", p, 0, "%u page tables present, %u counted", tables, p->pt_pages);
    if (ws != p->ws) return bad(c, "working set", p, 0, "%u valid user PTEs, the working set says %u", ws, p->ws);
    if (p->peak_ws < p->ws) return bad(c, "working set", p, 0, "the peak %u is below the working set %u", p->peak_ws, p->ws);
    if (charged != p->private_commit)
        return bad(c, "commit charge", p, 0, "%llu committed private pages, the process is charged %llu",
                   (unsigned long long)charged, (unsigned long long)p->private_commit);
    /* The page-table charge: each 4 MB block an allocation reaches into
     * or a table is in. */
    uint16_t reach[1024] = { 0 };
    for (const vad_t *v = vad_first(&p->vads); v; v = vad_next(&p->vads, v))
        for (uint32_t i = X86_PDE_INDEX(v->start); i <= X86_PDE_INDEX(v->end - 1); i++) reach[i]++;
    uint32_t blocks = 0;
    for (uint32_t i = 0; i < 1024; i++) {
        if (reach[i] != p->pde_vads[i])
            return bad(c, "commit charge", p, i << 22, "%u allocations reach into these 4 MB, the count says %u",
                       (unsigned)reach[i], (unsigned)p->pde_vads[i]);
        if (reach[i] || (i <= X86_PDE_INDEX(mm_user_high(mm)) &&
                         (phys_read32(mmu_phys_const(mm->mmu), p->pd + i * 4) & X86_P)))
            blocks++;
    }
    if (blocks != p->pt_charged)
        return bad(c, "commit charge", p, 0, "%u blocks need a page table, %u are charged", blocks, p->pt_charged);
    if (p->peak_commit < p->private_commit)
        return bad(c, "commit charge", p, 0, "the peak of private commit (%llu pages) is below it (%llu)",
                   (unsigned long long)p->peak_commit, (unsigned long long)p->private_commit);
    c->charged += p->private_commit + p->pt_charged;
    if (!vad_check(&p->vads, c->msg, c->n)) return false;
    if (!mm_watch_check(p, c->msg, c->n)) return false;
    return mm_stack_check(p, c->msg, c->n);
}

static bool check_sections(chk_t *c)
{
    const mm_t *mm = c->mm;
    for (uint32_t k = 0; k < mm->nsections; k++) {
        const section_t *s = mm->sections[k];
        uint32_t refs = 0;
        for (uint32_t h = 0; h < mm->nhandles; h++) refs += mm->handles[h].section == s;
        for (uint32_t i = 0; i < mm->nprocs; i++)
            for (const vad_t *v = vad_first(&mm->procs[i]->vads); v; v = vad_next(&mm->procs[i]->vads, v))
                refs += v->section == s;
        if (refs != s->refs)
            return bad(c, "sections", NULL, 0, "section %u (\"%s\") has %u handles and views, its count says %u", k,
                       s->name, refs, s->refs);
        uint32_t committed = 0;
        if (s->file && (s->page || s->file > mm->nfiles || s->committed ||
                        s->size > mm_file(mm, s->file)->size))
            return bad(c, "files", NULL, 0, "section %u of file %u is not one a file can have (past its end, or with "
                       "pages of its own)", k, s->file);
        for (uint32_t i = 0; s->page && i < s->npages; i++) {
            committed += (s->page[i] & SECTION_COMMITTED) != 0;
            if (!section_frame1(s, i)) continue;
            if (!(s->page[i] & SECTION_COMMITTED))
                return bad(c, "sections", NULL, 0, "page %u of section %u has a frame but is not committed", i, k);
            uint32_t f = section_frame1(s, i) - 1;
            const pfn_t *e = mm_pfn_peek(mm, f);
            if (!e || (e->flags & (PFN_USED | PFN_SECTION)) != (PFN_USED | PFN_SECTION) || (c->how[f] & HOW_SECTION))
                return bad(c, "PFN database", NULL, 0, "page %u of section %u names frame 0x%05X, not one of its own",
                           i, k, f);
            c->how[f] |= HOW_SECTION;
        }
        if (s->index != k || (s->name[0] && strmap_find(&mm->section_names, s->name, strlen(s->name)) != k))
            return bad(c, "sections", NULL, 0, "section %u (\"%s\") is not found at its place by its name", k, s->name);
        if (committed != s->committed)
            return bad(c, "sections", NULL, 0, "section %u has %u committed pages, its count says %u", k, committed,
                       s->committed);
        uint32_t handles = 0;
        for (uint32_t h = 0; h < mm->nhandles; h++) handles += mm->handles[h].section == s;
        if (handles != s->handles)
            return bad(c, "sections", NULL, 0, "section %u has %u handles, its count says %u", k, handles, s->handles);
        if (!handles && s->name[0])
            return bad(c, "sections", NULL, 0, "section %u keeps its name \"%s\" without a handle", k, s->name);
        c->charged += s->committed;
    }
    for (uint32_t h = 0; h < mm->nhandles; h++) {
        const handle_entry_t *e = &mm->handles[h];
        uint32_t kinds = (e->section ? 1u : 0u) + (e->file ? 1u : 0u) + (e->target ? 1u : 0u);
        if (kinds > 1 || (e->target && (e->target > mm->nprocs || e->process >= mm->nprocs)))
            return bad(c, "sections", NULL, 0, "handle 0x%X is of %u kinds, or names process %u of %u", (h + 1) * 4,
                       kinds, e->target, mm->nprocs);
    }
    if (mm->section_names.count > mm->nsections)
        return bad(c, "sections", NULL, 0, "%u section names for %u sections", mm->section_names.count, mm->nsections);
    if (c->charged != mm->commit_pages)
        return bad(c, "commit charge", NULL, 0, "the charges add up to %llu pages, the system charge is %llu",
                   (unsigned long long)c->charged, (unsigned long long)mm->commit_pages);
    return true;
}

/* A file's cache: each cached page's frame is a file frame recorded for
 * that page, and every PTE that maps it (counted in maps) lies in a view of
 * the file at that page; sections of the file are counted in it. */
static bool check_files(chk_t *c)
{
    const mm_t *mm = c->mm;
    for (uint32_t k = 0; k < mm->nfiles; k++) {
        const ps_file_t *f = mm->files[k];
        uint32_t pages = (uint32_t)(((uint64_t)f->size + 0xFFF) >> X86_PAGE_SHIFT), sections = 0, handles = 0;
        if (pages > f->ncache) return bad(c, "files", NULL, 0, "file \"%s\" has %u pages, its cache %u", f->name, pages, f->ncache);
        for (uint32_t i = 0; i < f->ncache; i++) {
            if (!f->cache[i]) continue;
            uint32_t fr = f->cache[i] - 1;
            const pfn_t *e = mm_pfn_peek(mm, fr);
            if (i >= pages || !e || (e->flags & (PFN_USED | PFN_SECTION | PFN_FILE)) != (PFN_USED | PFN_SECTION | PFN_FILE) ||
                e->file != k + 1 || e->va != i || (c->how[fr] & HOW_SECTION))
                return bad(c, "files", NULL, 0, "page %u of file \"%s\" names frame 0x%05X, not its own", i, f->name, fr);
            c->how[fr] |= HOW_SECTION;
        }
        for (uint32_t i = 0; i < mm->nsections; i++) sections += mm->sections[i]->file == k + 1;
        for (uint32_t h = 0; h < mm->nhandles; h++) handles += mm->handles[h].file == k + 1;
        if (sections != f->sections || handles != f->handles)
            return bad(c, "files", NULL, 0, "file \"%s\" has %u sections and %u handles, its counts say %u and %u",
                       f->name, sections, handles, f->sections, f->handles);
    }
    return true;
}

/* A used frame: accounted for by what maps it, in the policy exactly when
 * it may be evicted. */
static bool check_used_frame(chk_t *c, uint32_t f, const pfn_t *e)
{
    const mm_t *mm = c->mm;
    bool in = mm->repl.in && mm->repl.in[f - mm->first_free_frame];
    bool system = f == mm->shared_frame || f == mm->kernel_pt;
    if ((e->flags & PFN_SYSTEM) && !system) return bad(c, "PFN database", NULL, 0, "frame 0x%05X is marked system", f);
    if ((e->flags & (PFN_FILE | PFN_MODIFIED)) == PFN_MODIFIED)
        return bad(c, "files", NULL, 0, "frame 0x%05X is marked modified but holds no file's page", f);
    if (system) {
        if (f == mm->shared_frame && e->share != c->maps[f])
            return bad(c, "PFN database", NULL, 0, "the shared data frame is mapped %u times, shared %u", c->maps[f],
                       e->share);
    } else if (e->flags & PFN_DIRECTORY) {
        if (c->maps[f] != 1 || c->how[f] != HOW_DIRECTORY)
            return bad(c, "PFN database", NULL, 0, "page directory frame 0x%05X is used %u times", f, c->maps[f]);
    } else if (e->flags & PFN_PAGE_TABLE) {
        if (c->maps[f] != 1 || c->how[f] != HOW_TABLE)
            return bad(c, "PFN database", NULL, 0, "page table frame 0x%05X is named by %u PDEs", f, c->maps[f]);
    } else if (e->flags & PFN_AWE) {
        if (c->maps[f] != e->share || (c->maps[f] && c->how[f] != HOW_VALID))
            return bad(c, "AWE", NULL, e->va, "physical page 0x%05X is mapped %u times, its share count is %u", f,
                       c->maps[f], e->share);
    } else if (e->flags & PFN_SECTION) {
        if (!(c->how[f] & HOW_SECTION))
            return bad(c, "PFN database", NULL, 0, "section frame 0x%05X belongs to no section", f);
        if (e->share != c->maps[f])
            return bad(c, "PFN database", NULL, 0, "section frame 0x%05X is mapped %u times, its share count is %u",
                       f, c->maps[f], e->share);
        if (((e->flags & PFN_FILE) != 0) != in)
            return bad(c, "replacement", NULL, 0, "file frame 0x%05X is %s the policy", f, in ? "in" : "not in");
        if (e->flags & PFN_FILE) return true;
    } else {
        if (c->maps[f] != 1)
            return bad(c, "PFN database", NULL, e->va, "private frame 0x%05X is mapped by %u PTEs", f, c->maps[f]);
        if (e->share != 1)
            return bad(c, "PFN database", NULL, e->va, "private frame 0x%05X has a share count of %u", f, e->share);
        if (e->slot) {
            if (e->slot > mm->nslots || !mm->slot_used[e->slot - 1])
                return bad(c, "page-file slots", NULL, e->va, "frame 0x%05X keeps slot %u, which is not in use", f,
                           e->slot - 1);
            own_slot(c, e->slot);
        }
        bool evictable = (c->how[f] & (HOW_VALID | HOW_TRANSITION)) && !(e->flags & PFN_LOCKED);
        if (in != evictable)
            return bad(c, "replacement", NULL, e->va, "frame 0x%05X (%s) is %s the %s policy", f,
                       (e->flags & PFN_LOCKED) ? "locked" : evictable ? "resident" : "in transition",
                       in ? "in" : "not in", repl_policy_str(mm->repl.policy));
        return true;
    }
    if (in) return bad(c, "replacement", NULL, e->va, "frame 0x%05X is in the policy but cannot be evicted", f);
    return true;
}

/* The free list: each frame once, each unused, nfree of them. */
static bool check_free_list(chk_t *c)
{
    const mm_t *mm = c->mm;
    uint32_t listed = 0;
    for (uint32_t link = mm->free_head; link; listed++) {
        uint32_t f = link - 1;
        const pfn_t *e = f >= mm->first_free_frame && f < mm->next_fresh ? mm_pfn_peek(mm, f) : NULL;
        if (!e || e->flags || (c->how[f] & HOW_FREE) || listed >= mm->nfree)
            return bad(c, "PFN database", NULL, 0, "free-list entry %u (frame 0x%05X) is not a free frame", listed, f);
        c->how[f] |= HOW_FREE;
        link = e->va;
    }
    if (listed != mm->nfree)
        return bad(c, "PFN database", NULL, 0, "%u frames on the free list, %u counted", listed, mm->nfree);
    return true;
}

static bool check_frames(chk_t *c)
{
    const mm_t *mm = c->mm;
    if (!check_free_list(c)) return false;
    uint32_t used = 0, in = 0;
    for (uint32_t f = mm->first_free_frame; f < mm->nframes; f++) {
        const pfn_t *e = mm_pfn_peek(mm, f);
        if (mm->repl.in && mm->repl.in[f - mm->first_free_frame]) in++;
        if (e && (e->flags & PFN_USED)) {
            used++;
            if (!check_used_frame(c, f, e)) return false;
            continue;
        }
        bool listed = c->how[f] & HOW_FREE;
        if (!listed && f < mm->next_fresh)
            return bad(c, "PFN database", NULL, 0, "frame 0x%05X is neither used nor free", f);
        if (e && (e->flags || e->share || e->slot || e->owner || e->prot || (e->va && !listed)))
            return bad(c, "PFN database", NULL, 0, "free frame 0x%05X has a PFN entry", f);
        if (c->maps[f]) return bad(c, "PFN database", NULL, 0, "free frame 0x%05X is mapped", f);
        if (mm->repl.in && mm->repl.in[f - mm->first_free_frame])
            return bad(c, "replacement", NULL, 0, "free frame 0x%05X is in the policy", f);
    }
    uint32_t free_frames = mm->nfree + (mm->nframes - mm->next_fresh);
    if (used + free_frames != mm->nframes - mm->first_free_frame)
        return bad(c, "PFN database", NULL, 0, "%u used and %u free frames of %u", used, free_frames,
                   mm->nframes - mm->first_free_frame);
    /* FIFO and LRU keep a list of exactly the frames in the policy. */
    const repl_t *r = &mm->repl;
    if (r->prev && r->next) {
        uint32_t steps = 0, prev = UINT32_MAX;
        for (uint32_t f = r->head; f != UINT32_MAX; f = r->next[f]) {
            if (f >= r->n || !r->in[f] || r->prev[f] != prev || ++steps > in)
                return bad(c, "replacement", NULL, 0, "the %s list is broken at frame 0x%05X",
                           repl_policy_str(r->policy), f + mm->first_free_frame);
            prev = f;
        }
        if (steps != in || r->tail != prev)
            return bad(c, "replacement", NULL, 0, "the %s list holds %u of the %u frames in the policy",
                       repl_policy_str(r->policy), steps, in);
    }
    return true;
}

static bool check_slots(chk_t *c)
{
    const mm_t *mm = c->mm;
    uint32_t used = 0;
    for (uint32_t s = 0; s < mm->nslots; s++) {
        if (mm->slot_used[s]) used++;
        uint32_t want = mm->slot_used[s] ? 1 : 0;
        if (c->slot_owner[s] != want)
            return bad(c, "page-file slots", NULL, 0, "slot %u is %s and named by %u page%s", s,
                       mm->slot_used[s] ? "in use" : "free", c->slot_owner[s], c->slot_owner[s] == 1 ? "" : "s");
    }
    if (used != mm->slots_used)
        return bad(c, "page-file slots", NULL, 0, "%u slots in use, %u counted", used, mm->slots_used);
    return true;
}

/* Entries for user pages of the running process match their PTEs. */
static bool check_tlb(chk_t *c)
{
    const mm_t *mm = c->mm;
    const mm_process_t *p = mm->current;
    if (mmu_cr3(mm->mmu) != p->pd)
        return bad(c, "TLB", p, 0, "CR3 is 0x%08X, the running process's directory 0x%08X", mmu_cr3(mm->mmu), p->pd);
    mmu_tlb_info_t t;
    for (uint32_t s = 0; mmu_tlb_slot(mm->mmu, s, &t); s++) {
        if (!t.valid || t.global || t.va > mm_user_high(mm)) continue;
        uint32_t pte = mm_pte(p, t.va);
        if (t.large || !(pte & X86_P) || (pte & X86_FRAME_MASK) != t.frame || (t.rw && !(pte & X86_RW)) ||
            (t.dirty && !(pte & X86_D)) || (t.us && !(pte & X86_US)))
            return bad(c, "TLB", p, t.va, "a cached translation to 0x%08X%s%s, the PTE is 0x%08X", t.frame,
                       t.rw ? " writable" : "", t.dirty ? " dirty" : "", pte);
    }
    return true;
}

bool mm_check(const mm_t *mm, char *msg, size_t n)
{
    if (n) msg[0] = 0;
    chk_t c = { mm, msg, n, NULL, NULL, NULL, 0 };
    c.maps = ps_calloc(mm->alloc, (size_t)mm->nframes * sizeof *c.maps);
    c.how = ps_calloc(mm->alloc, mm->nframes);
    c.slot_owner = ps_calloc(mm->alloc, mm->nslots ? mm->nslots : 1);
    bool ok = c.maps && c.how && c.slot_owner;
    if (!ok) snprintf(msg, n, "the invariants could not be checked: out of memory");
    /* KUSER_SHARED_DATA's kernel view and the kernel's last page table. */
    if (ok) {
        c.maps[mm->shared_frame]++;
        c.maps[mm->kernel_pt]++;
    }
    for (uint32_t i = 0; ok && i < mm->nprocs; i++) ok = check_process(&c, mm->procs[i], i);
    /* The heaps, process by process (heap_query.c). */
    for (uint32_t i = 0; ok && i < mm->nprocs; i++) ok = heap_check(mm->procs[i], msg, n);
    if (ok) c.maps[mm->shared_frame]--; /* its share count counts user mappings */
    ok = ok && check_sections(&c) && check_files(&c) && check_frames(&c) && check_slots(&c) && check_tlb(&c) &&
         mm_lock_check(mm, msg, n) && mm_awe_check(mm, msg, n);
    ps_free(mm->alloc, c.maps, (size_t)mm->nframes * sizeof *c.maps);
    ps_free(mm->alloc, c.how, mm->nframes);
    ps_free(mm->alloc, c.slot_owner, mm->nslots ? mm->nslots : 1);
    return ok;
}
