/* Page-table primitives, and the one door through which a PTE changes.
 *
 * The memory manager keeps several summaries of its page tables: each
 * table's count of non-zero entries, each process's working set (its valid
 * user PTEs) and peak, each frame's count of PTEs that map it, which frames
 * the replacement policy may take (private frames mapped by a valid PTE),
 * and the TLB, which may cache a present entry. A summary kept by hand in
 * many places drifts; so every PTE is written by mm_set_pte, which reads
 * the old value, compares it with the new one, and derives all of them.
 * No other code changes a use count, the working set, a share count or
 * replacement membership. A caller sets up a frame's PFN entry (owner,
 * address, flags) before mapping it, and frees a frame only after the PTE
 * that mapped it has moved off it. mm_check (mm_check.c) recomputes every
 * summary from the tables, so a wrong derivation shows at once.
 *
 * Page-directory entries for user tables change only in table_install and
 * mm_release_table_if_empty, which keep the count of page tables. Their
 * commit charge is kept per 4 MB block (pt_charged): a block is charged
 * while an allocation reaches into it or its table exists, so a
 * reservation pays for the tables it will need when it is made
 * (mm_vad_add), and making the table later costs no more commit. */
#include "mm_int.h"
#include "pagesim/winsdk.h"

/* Reading. ---------------------------------------------------------------- */

uint32_t mm_pde(const mm_process_t *p, uint32_t va)
{
    return phys_read32(mmu_phys_const(p->mm->mmu), p->pd + X86_PDE_INDEX(va) * 4);
}

void mm_pte_cursor_init(mm_pte_cursor_t *c, const mm_process_t *p)
{
    c->p = p;
    c->pdi = 0x400u;
    c->table = NULL;
    c->stored = 0;
}

uint32_t mm_pte_next(mm_pte_cursor_t *c, uint32_t va)
{
    if (X86_PDE_INDEX(va) != c->pdi) {
        c->pdi = X86_PDE_INDEX(va);
        uint32_t pde = mm_pde(c->p, va);
        c->stored = 0;
        c->table = (pde & X86_P) && !(pde & X86_PS)
                       ? phys_frame_peek(mmu_phys_const(c->p->mm->mmu), pde >> X86_PAGE_SHIFT, &c->stored)
                       : NULL;
    }
    uint32_t at = X86_PTE_INDEX(va) * 4;
    return c->table && at < c->stored ? phys_le32(c->table + at) : 0;
}

uint32_t mm_pte(const mm_process_t *p, uint32_t va)
{
    mm_pte_cursor_t c;
    mm_pte_cursor_init(&c, p);
    return mm_pte_next(&c, va);
}

uint32_t mm_pte_frame(uint32_t pte)
{
    return (pte & (X86_P | SPTE_TRANSITION)) ? pte >> X86_PAGE_SHIFT : MM_NO_FRAME;
}

bool mm_pte_charged(const mm_t *mm, uint32_t pte)
{
    if (!mm_pte_live(pte) || (!(pte & X86_P) && (pte & SPTE_PROTOTYPE))) return false;
    uint32_t f = mm_pte_frame(pte);
    if (f == MM_NO_FRAME) return true;
    const pfn_t *e = mm_pfn_peek(mm, f);
    return !e || mm_pfn_private(e);
}

/* The one door. ----------------------------------------------------------- */

/* A valid user PTE of a frame that is not the system's (the shared data
 * page) nor an AWE frame: one page of the working set. */
bool mm_in_working_set(const mm_t *mm, uint32_t va, uint32_t pte)
{
    if (!(pte & X86_P) || va > mm_user_high(mm)) return false;
    const pfn_t *e = mm_pfn_peek(mm, pte >> X86_PAGE_SHIFT);
    return !e || !(e->flags & (PFN_SYSTEM | PFN_AWE));
}

/* A private frame mapped by a valid or a transition PTE: the policy may
 * take it (a transition frame, out of every working set, is reclaimed
 * before any resident page, mm_paging.c). */
static bool evictable(const mm_t *mm, uint32_t pte)
{
    uint32_t f = pte >> X86_PAGE_SHIFT;
    if (!(pte & (X86_P | SPTE_TRANSITION)) || f < mm->first_free_frame || f >= mm->nframes) return false;
    const pfn_t *e = mm_pfn_peek(mm, f);
    return e && (e->flags & PFN_USED) && !(e->flags & PFN_LOCKED) && mm_pfn_private(e);
}

/* The lock of the frame old maps goes when the new PTE stops mapping that
 * frame validly; returns whether it went. */
static bool drop_lock(mm_process_t *p, uint32_t old, uint32_t pte)
{
    if (!(old & X86_P) || ((pte & X86_P) && (pte >> X86_PAGE_SHIFT) == (old >> X86_PAGE_SHIFT))) return false;
    pfn_t *e = mm_pfn(p->mm, old >> X86_PAGE_SHIFT);
    if (!e || !(e->flags & PFN_LOCKED)) return false;
    e->flags = (uint16_t)(e->flags & ~PFN_LOCKED);
    p->locked--;
    return true;
}

void mm_set_pte(mm_process_t *p, uint32_t va, uint32_t pte)
{
    mm_t *mm = p->mm;
    uint32_t addr = (mm_pde(p, va) & X86_FRAME_MASK) + X86_PTE_INDEX(va) * 4;
    uint32_t old = phys_read32(mmu_phys_const(mm->mmu), addr);
    if (old == pte) return;
    /* A frame stores its bytes only up to the last one written non-zero,
     * so this write may grow the table's store and find the host out of
     * memory: then nothing changed, and the machine says so (mm_host_oom). */
    if (phys_write32(mmu_phys(mm->mmu), addr, pte) != PS_OK) {
        mm_oom(mm);
        return;
    }
    uint32_t i = X86_PDE_INDEX(va);
    if (!old) p->pt_used[i]++;
    else if (!pte) p->pt_used[i]--;
    bool was = mm_in_working_set(mm, va, old), is = mm_in_working_set(mm, va, pte);
    if (was && !is) p->ws--;
    if (is && !was && ++p->ws > p->peak_ws) p->peak_ws = p->ws;
    uint32_t fo = mm_pte_frame(old), fn = mm_pte_frame(pte);
    bool eo = evictable(mm, old);
    (void)drop_lock(p, old, pte); /* a locked frame was not evictable: eo stays */
    bool en = evictable(mm, pte);
    if (eo && (!en || fo != fn)) repl_removed(&mm->repl, fo - mm->first_free_frame);
    if (en && (!eo || fo != fn)) repl_loaded(&mm->repl, fn - mm->first_free_frame, 0);
    /* A file page's dirty bit leaving a PTE: the cached frame is modified
     * (mm_file.c writes it to its file). */
    if ((old & (X86_P | X86_D)) == (X86_P | X86_D) && !((pte & (X86_P | X86_D)) == (X86_P | X86_D) && fn == fo)) {
        pfn_t *e = mm_pfn(mm, fo);
        if (e && (e->flags & PFN_FILE)) e->flags |= PFN_MODIFIED;
    }
    if (fo != fn) {
        pfn_t *e = fo == MM_NO_FRAME ? NULL : mm_pfn(mm, fo);
        if (e && e->share) e->share--;
        e = fn == MM_NO_FRAME ? NULL : mm_pfn(mm, fn);
        if (e) e->share++;
    }
    /* Only a present entry can be cached; the TLB holds the running
     * process's translations alone (CR3 loads flush the rest). */
    if ((old & X86_P) && mm->current == p) mmu_invlpg(mm->mmu, va);
    if (p->heaps) heap_page_forget(p->heaps, va);
    if (mm->hooks.on_pte) mm->hooks.on_pte(mm->hooks.ud, p, va, old, pte);
}

void mm_set_locked(mm_process_t *p, uint32_t va, bool locked)
{
    mm_t *mm = p->mm;
    uint32_t pte = mm_pte(p, va), f = pte >> X86_PAGE_SHIFT;
    pfn_t *e = (pte & X86_P) && f >= mm->first_free_frame && f < mm->nframes ? mm_pfn(mm, f) : NULL;
    if (!e || !mm_pfn_private(e) || !(e->flags & PFN_USED) || !(e->flags & PFN_LOCKED) == !locked) return;
    bool was = evictable(mm, pte);
    e->flags = (uint16_t)(locked ? e->flags | PFN_LOCKED : e->flags & ~PFN_LOCKED);
    if (locked) p->locked++;
    else p->locked--;
    bool is = evictable(mm, pte);
    if (was && !is) repl_removed(&mm->repl, f - mm->first_free_frame);
    if (is && !was) repl_loaded(&mm->repl, f - mm->first_free_frame, 0);
}

/* A frame of the file cache enters the replacement policy when the cache
 * takes it and leaves when the cache gives it back: it is evicted as a
 * page of its file, mapped by views or not, so no PTE change moves it. */
void mm_cache_frame(mm_t *mm, uint32_t frame, bool in)
{
    if (in) repl_loaded(&mm->repl, frame - mm->first_free_frame, 0);
    else repl_removed(&mm->repl, frame - mm->first_free_frame);
}

/* Page tables. ------------------------------------------------------------ */

/* Makes frame f the page table for PDE index i of p. */
static void table_install(mm_process_t *p, uint32_t i, uint32_t f)
{
    mm_t *mm = p->mm;
    pfn_t *e = mm_pfn(mm, f);
    e->flags |= PFN_PAGE_TABLE;
    e->owner = (uint16_t)(p->id + 1);
    e->va = MM_PTE_BASE + i * X86_PAGE_SIZE;
    e->share = 1;
    /* Store the table's frame now (a zero word), so that no PTE write into
     * it allocates later; then the PDE. */
    if (phys_write32(mmu_phys(mm->mmu), f << X86_PAGE_SHIFT, 0) != PS_OK ||
        phys_write32(mmu_phys(mm->mmu), p->pd + i * 4, (f << X86_PAGE_SHIFT) | X86_P | X86_RW | X86_US) != PS_OK) {
        mm_frame_free(mm, f);
        mm_oom(mm);
        return;
    }
    p->pt_pages++;
    p->pt_used[i] = 0;
    if (!p->pde_vads[i]) {
        p->pt_charged++;
        mm->commit_pages++;
    }
    /* The PDE was not present, so no translation through it (nor of the
     * table in the self-map at 0xC0000000 + i * 4K) can be cached. */
}

bool mm_ensure_table(mm_process_t *p, uint32_t va, strbuf_t *why)
{
    mm_t *mm = p->mm;
    if (mm_pde(p, va) & X86_P) return true;
    uint32_t f;
    if (!mm_frame_alloc(mm, p, why, &f)) return false;
    table_install(p, X86_PDE_INDEX(va), f);
    return (mm_pde(p, va) & X86_P) != 0;
}

bool mm_ensure_tables(mm_process_t *p, uint32_t start, uint32_t end, strbuf_t *why)
{
    for (uint32_t i = X86_PDE_INDEX(start); i <= X86_PDE_INDEX(end); i++) {
        if (mm_ensure_table(p, i << 22, why)) continue;
        /* Undo: the tables made here are still empty. */
        for (uint32_t k = X86_PDE_INDEX(start); k < i; k++) mm_release_table_if_empty(p, k << 22);
        return false;
    }
    return true;
}

void mm_release_table_if_empty(mm_process_t *p, uint32_t va)
{
    uint32_t i = X86_PDE_INDEX(va);
    uint32_t pde = mm_pde(p, va);
    if (!(pde & X86_P) || p->pt_used[i] || va > mm_user_high(p->mm)) return;
    mm_t *mm = p->mm;
    (void)phys_write32(mmu_phys(mm->mmu), p->pd + i * 4, 0);
    p->pt_pages--;
    if (!p->pde_vads[i]) {
        p->pt_charged--;
        mm->commit_pages--;
    }
    /* The table itself was reachable through the self-map. */
    if (mm->current == p) mmu_invlpg(mm->mmu, MM_PTE_BASE + i * X86_PAGE_SIZE);
    mm_frame_free(mm, pde >> X86_PAGE_SHIFT);
}

/* Pages. ------------------------------------------------------------------ */

uint32_t mm_page_prot(const mm_process_t *p, uint32_t va)
{
    return mm_page_prot_of(p, va, mm_pte(p, va));
}

uint32_t mm_page_prot_of(const mm_process_t *p, uint32_t va, uint32_t pte)
{
    if (!mm_pte_live(pte)) return 0;
    if (!(pte & X86_P)) {
        /* A view's page is committed when its section page is (a SEC_RESERVE
         * section commits page by page). */
        if ((pte & SPTE_PROTOTYPE) && !mm_view_page_committed(vad_find(&p->vads, va), va)) return 0;
        return spte_prot(pte);
    }
    const pfn_t *e = mm_pfn_peek(p->mm, pte >> X86_PAGE_SHIFT);
    if (!e) return 0;
    if (!(e->flags & PFN_SECTION)) return e->prot;
    /* A shared section page: the view's PTE bits say what this mapping
     * allows (the frame may be mapped differently elsewhere). */
    bool exec = pte & PTE_VIEW_EXEC;
    uint32_t base = (pte & PTE_VIEW_XONLY) ? MM_EXECUTE
                    : (pte & PTE_COW)      ? (exec ? MM_EXECUTE_WRITECOPY : MM_WRITECOPY)
                    : (pte & X86_RW)       ? (exec ? MM_EXECUTE_READWRITE : MM_READWRITE)
                                           : (exec ? MM_EXECUTE_READ : MM_READONLY);
    if ((pte & (X86_PCD | X86_PWT)) == (X86_PCD | X86_PWT)) return base | MM_WRITECOMBINE;
    if (pte & X86_PCD) return base | MM_NOCACHE;
    return base;
}

uint32_t mm_count_committed(const mm_process_t *p, uint32_t start, uint32_t end)
{
    uint32_t n = 0;
    mm_pte_cursor_t c;
    mm_pte_cursor_init(&c, p);
    const vad_t *v = vad_find(&p->vads, start);
    bool sparse_view = v && v->section && (v->section->attributes & SEC_RESERVE);
    for (uint64_t va = start; va < end; va += X86_PAGE_SIZE) {
        uint32_t pte = mm_pte_next(&c, (uint32_t)va);
        if (mm_pte_live(pte) && (!sparse_view || mm_view_page_committed(v, (uint32_t)va))) n++;
        else if (!c.table) va = (va | 0x3FFFFFu) - X86_PAGE_SIZE + 1; /* no table: nothing in these 4 MB */
    }
    return n;
}

void mm_unmap_page(mm_process_t *p, uint32_t va, uint32_t pte, uint32_t to)
{
    mm_t *mm = p->mm;
    uint32_t f = mm_pte_frame(pte);
    if (mm_pte_charged(mm, pte)) {
        p->private_commit--;
        mm->commit_pages--;
    }
    if (f == MM_NO_FRAME && !(pte & SPTE_PROTOTYPE)) mm_slot_free(mm, pte >> SPTE_SLOT_SHIFT);
    mm_set_pte(p, va, to);
    mm_release_frame_if_unused(mm, f);
}

void mm_drop_page(mm_process_t *p, uint32_t va)
{
    uint32_t pte = mm_pte(p, va);
    if (pte) mm_unmap_page(p, va, pte, 0);
}

void mm_decommit_range(mm_process_t *p, uint32_t start, uint32_t end, bool release)
{
    for (uint64_t va = start; va <= end; va += X86_PAGE_SIZE) {
        if (!(mm_pde(p, (uint32_t)va) & X86_P)) {
            va = (va | 0x3FFFFFu) - X86_PAGE_SIZE + 1; /* no table: nothing committed in these 4 MB */
            continue;
        }
        uint32_t pte = mm_pte(p, (uint32_t)va);
        if (release ? pte != 0 : mm_pte_live(pte))
            mm_unmap_page(p, (uint32_t)va, pte, release ? 0 : MM_DECOMMITTED_PTE);
    }
    for (uint64_t va = start & ~0x3FFFFFu; va <= end; va += 0x400000u) mm_release_table_if_empty(p, (uint32_t)va);
}

void mm_set_page_prot(mm_process_t *p, uint32_t va, uint32_t pte, uint32_t prot)
{
    if (!(pte & (X86_P | SPTE_TRANSITION)) || (!(pte & X86_P) && (pte & SPTE_PROTOTYPE))) {
        mm_set_pte(p, va, (pte & ~SPTE_PROT_MASK) | spte_make(prot));
        return;
    }
    uint32_t f = pte >> X86_PAGE_SHIFT;
    pfn_t *e = mm_pfn(p->mm, f);
    if (e && (e->flags & PFN_SECTION)) {
        /* A view's page of a shared frame: the new rights go into this PTE
         * alone; a protection that allows no access drops the mapping back
         * to the prototype PTE (the frame stays the section's), and the
         * next access maps it again. */
        if (mm_prot_accessible(prot))
            mm_set_pte(p, va, (pte & (X86_FRAME_MASK | X86_A | X86_D)) | mm_view_hw_bits(prot));
        else
            mm_set_pte(p, va, SPTE_PROTOTYPE | spte_make(prot));
        return;
    }
    if (e && mm_pfn_private(e)) e->prot = (uint8_t)prot;
    if (mm_prot_accessible(prot)) {
        uint32_t kept = (pte & X86_P) ? pte & (X86_A | X86_D) : 0;
        mm_set_pte(p, va, (pte & X86_FRAME_MASK) | kept | mm_hw_bits(prot));
    } else {
        /* Not accessible: the frame stays, in transition (a written page's
         * page-file copy is stale, as the transition PTE keeps no dirty
         * bit: mm_ws_trim drops it). */
        if ((pte & X86_P) && e && mm_pfn_private(e)) mm_ws_trim(p, va, pte, e);
        else mm_set_pte(p, va, (pte & X86_FRAME_MASK) | SPTE_TRANSITION | spte_make(prot));
    }
}

/* Allocations and the commit for their page tables. ------------------------ */

static bool table_present(const mm_process_t *p, uint32_t i)
{
    return (mm_pde(p, i << 22) & X86_P) != 0;
}

uint32_t mm_vad_table_charge(const mm_process_t *p, uint32_t start, uint32_t end)
{
    uint32_t n = 0;
    for (uint32_t i = X86_PDE_INDEX(start); i <= X86_PDE_INDEX(end - 1); i++)
        if (!p->pde_vads[i] && !table_present(p, i)) n++;
    return n;
}

uint32_t mm_vad_add(mm_process_t *p, const vad_t *proto, vad_t **out, strbuf_t *why)
{
    mm_t *mm = p->mm;
    uint32_t n = mm_vad_table_charge(p, proto->start, proto->end);
    if (mm->commit_pages + n > mm->commit_limit_pages)
        return mm_fail(why, ERROR_COMMITMENT_LIMIT,
                       "the %u page-table page%s this range needs would take the commit charge over the limit", n,
                       n == 1 ? "" : "s");
    vad_t *v = vad_insert(&p->vads, proto);
    if (v && (v->flags & VAD_WRITE_WATCH)) p->watched++;
    if (!v) {
        mm_oom(mm);
        return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "out of memory for the VAD");
    }
    for (uint32_t i = X86_PDE_INDEX(proto->start); i <= X86_PDE_INDEX(proto->end - 1); i++) {
        if (!p->pde_vads[i]++ && !table_present(p, i)) {
            p->pt_charged++;
            mm->commit_pages++;
        }
    }
    if (out) *out = v;
    return ERROR_SUCCESS;
}

void mm_vad_remove(mm_process_t *p, vad_t *v)
{
    mm_t *mm = p->mm;
    uint32_t first = X86_PDE_INDEX(v->start), last = X86_PDE_INDEX(v->end - 1);
    if (v->flags & VAD_WRITE_WATCH) p->watched--;
    vad_remove(&p->vads, v);
    for (uint32_t i = first; i <= last; i++) {
        if (!--p->pde_vads[i] && !table_present(p, i)) {
            p->pt_charged--;
            mm->commit_pages--;
        }
    }
}
