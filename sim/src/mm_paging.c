/* Paging: when no frame is free, a user page leaves memory through the
 * replacement policy (FIFO, Clock or LRU, the same module traces use). A
 * page written since it was loaded goes to a page-file slot; a clean page
 * whose slot still holds its copy is dropped without a write; a page reset
 * with MEM_RESET and not written since is dropped and comes back as zeros;
 * a page of a mapped file goes to its file (mm_file.c), never the page file.
 * Its PTE becomes a software PTE naming the slot, and the next touch is a
 * hard fault that reads it back. A frame in transition (a page trimmed by
 * EmptyWorkingSet or VirtualUnlock, or made no-access) is in the policy
 * too and, never referenced, is taken before resident pages: written to
 * the page file first unless its copy there is current. Clock's referenced bit is the PTE's
 * accessed flag, cleared (with the TLB entry) as the hand passes. */
#include "mem.h"
#include "mm_int.h"
#include <stdio.h>
#include <string.h>

static uint32_t idx(const mm_t *mm, uint32_t frame) { return frame - mm->first_free_frame; }

static mm_process_t *owner(mm_t *mm, const pfn_t *e)
{
    return e && e->owner && e->owner <= mm->nprocs ? mm->procs[e->owner - 1] : NULL;
}

/* Clock: the PTE's A bit is the referenced bit; clearing it is a PTE
 * change like any other (mm_set_pte drops the TLB entry). */
static bool test_clear(void *ud, uint32_t i)
{
    mm_t *mm = ud;
    pfn_t *e = mm_pfn(mm, i + mm->first_free_frame);
    mm_process_t *p = owner(mm, e);
    if (!p) return false;
    uint32_t pte = mm_pte(p, e->va);
    if (!(pte & X86_P) || !(pte & X86_A)) return false;
    mm_set_pte(p, e->va, pte & ~X86_A);
    return true;
}

ps_result_t mm_paging_init(mm_t *mm)
{
    static const repl_policy_t policies[] = { REPL_FIFO, REPL_CLOCK, REPL_LRU };
    ps_result_t r = repl_init(&mm->repl, mm->alloc, policies[mm->cfg.policy], mm->nframes - mm->first_free_frame);
    if (r != PS_OK) return r;
    mm->repl.test_clear = test_clear;
    mm->repl.ud = mm;
    mm->nslots = (uint32_t)(mm->cfg.pagefile >> X86_PAGE_SHIFT);
    if (!mm->nslots) return PS_OK;
    mm->slot_used = ps_calloc(mm->alloc, mm->nslots);
    if (!mm->slot_used) return PS_ENOMEM;
    return phys_new(mm->alloc, mm->cfg.pagefile, &mm->pagefile);
}

void mm_paging_fini(mm_t *mm)
{
    repl_fini(&mm->repl);
    ps_free(mm->alloc, mm->slot_used, mm->nslots);
    phys_free(mm->pagefile);
}

ps_result_t mm_paging_clone(mm_t *dst, const mm_t *src)
{
    memset(&dst->repl, 0, sizeof dst->repl);
    dst->slot_used = NULL;
    dst->pagefile = NULL;
    ps_result_t r = repl_copy(&dst->repl, &src->repl);
    if (r != PS_OK) return r;
    dst->repl.ud = dst;
    if (!src->nslots) return PS_OK;
    dst->slot_used = ps_malloc(dst->alloc, src->nslots);
    dst->pagefile = phys_clone(src->pagefile);
    if (!dst->slot_used || !dst->pagefile) return PS_ENOMEM;
    memcpy(dst->slot_used, src->slot_used, src->nslots);
    return PS_OK;
}

void mm_page_used(mm_t *mm, uint32_t frame)
{
    if (mm->repl.policy == REPL_LRU && frame >= mm->first_free_frame && frame < mm->nframes)
        repl_used(&mm->repl, idx(mm, frame), 0);
}

static uint32_t slot_alloc(mm_t *mm)
{
    if (mm->slots_used >= mm->nslots) return 0;
    for (uint32_t n = 0; n < mm->nslots; n++) {
        uint32_t s = (mm->slot_hint + n) % mm->nslots;
        if (!mm->slot_used[s]) {
            mm->slot_used[s] = 1;
            mm->slots_used++;
            mm->slot_hint = s + 1;
            return s + 1;
        }
    }
    return 0;
}

void mm_slot_free(mm_t *mm, uint32_t slot)
{
    if (!slot || slot > mm->nslots || !mm->slot_used[slot - 1]) return;
    mm->slot_used[slot - 1] = 0;
    mm->slots_used--;
    phys_discard_frame(mm->pagefile, (slot - 1) << X86_PAGE_SHIFT);
}

bool mm_slot_read(mm_t *mm, uint32_t slot, uint32_t frame)
{
    uint8_t buf[X86_PAGE_SIZE];
    phys_read(mm->pagefile, (slot - 1) << X86_PAGE_SHIFT, buf, X86_PAGE_SIZE);
    if (phys_write(mmu_phys(mm->mmu), frame << X86_PAGE_SHIFT, buf, X86_PAGE_SIZE) != PS_OK) return mm_oom(mm);
    mm->pagefile_reads++;
    return true;
}

typedef struct accept_ctx {
    mm_t *mm;
    const mm_process_t *only;
    bool slots_left;
} accept_ctx_t;

/* Whether taking frame e (mapped by pte at its address) needs a page-file
 * write: a valid page when it is dirty, or clean with neither a current
 * copy nor a MEM_RESET; a transition page (no dirty bit: mm_ws_trim and
 * mm_set_page_prot drop a stale copy) when it has no copy. */
static bool needs_write(const pfn_t *e, uint32_t pte)
{
    if (!(pte & X86_P)) return !e->slot;
    return (pte & X86_D) || !(e->slot || (e->flags & PFN_RESET));
}

/* The policy holds exactly the evictable frames (mm_set_pte sees to it);
 * of those, a resident page of `only` when set (a transition page is in no
 * working set), and while the page file is full only a page that needs no
 * write. */
static bool acceptable(void *ud, uint32_t i)
{
    accept_ctx_t *c = ud;
    const pfn_t *e = mm_pfn_peek(c->mm, i + c->mm->first_free_frame);
    if (e && (e->flags & PFN_FILE)) return !c->only; /* written to its file, in no one's working set alone */
    mm_process_t *p = owner(c->mm, e);
    if (!p || (c->only && p != c->only)) return false;
    uint32_t pte = mm_pte(p, e->va);
    if (c->only && !(pte & X86_P)) return false;
    return c->slots_left || !needs_write(e, pte);
}

/* Writes frame's page to a page-file slot (its own, or a new one); 0 when
 * the page file is full. */
static uint32_t page_out(mm_t *mm, uint32_t frame, uint32_t slot)
{
    if (!slot) slot = slot_alloc(mm);
    if (!slot) return 0;
    uint8_t buf[X86_PAGE_SIZE];
    phys_read(mmu_phys_const(mm->mmu), frame << X86_PAGE_SHIFT, buf, X86_PAGE_SIZE);
    if (phys_write(mm->pagefile, (slot - 1) << X86_PAGE_SHIFT, buf, X86_PAGE_SIZE) != PS_OK) {
        mm_slot_free(mm, slot);
        mm_oom(mm);
        return 0;
    }
    mm->pagefile_writes++;
    return slot;
}

bool mm_evict(mm_t *mm, mm_process_t *only, strbuf_t *why)
{
    accept_ctx_t ctx = { mm, only, mm->slots_used < mm->nslots };
    uint32_t hand = mm->repl.hand;
    uint32_t i = repl_victim_if(&mm->repl, acceptable, &ctx);
    if (i == UINT32_MAX) {
        mm_say(why, "%s no page can leave memory%s. ", only ? "the working set is at its limit, and" : "memory is full:",
               ctx.slots_left ? "" : mm->nslots ? " (the page file is full)" : " (there is no page file)");
        return false;
    }
    uint32_t frame = i + mm->first_free_frame;
    pfn_t *e = mm_pfn(mm, frame);
    char head[240], tail[160], cause[96];
    if (only)
        snprintf(cause, sizeof cause, "process %s's working set is at its limit of %u pages (wsmax)", only->name,
                 mm->cfg.ws_max);
    else
        snprintf(cause, sizeof cause, "memory is full");
    if (mm->repl.policy == REPL_CLOCK)
        snprintf(head, sizeof head, "%s: the clock hand at frame 0x%05X passed %u referenced frame%s (clearing their A "
                 "bits) -> evict frame 0x%05X", cause, hand + mm->first_free_frame, mm->repl.skipped,
                 mm->repl.skipped == 1 ? "" : "s", frame);
    else
        snprintf(head, sizeof head, "%s: %s evicts frame 0x%05X (%s)", cause, repl_policy_str(mm->repl.policy), frame,
                 mm->repl.policy == REPL_FIFO ? "loaded longest ago" : "used longest ago");
    if (e->flags & PFN_FILE) {
        mm_file_evict(mm, frame, why, head);
        return true;
    }
    mm_process_t *p = owner(mm, e);
    uint32_t va = e->va, pte = mm_pte(p, va), prot = e->prot, slot = e->slot;
    uint32_t npte;
    bool transition = !(pte & X86_P);
    if (!transition && (e->flags & PFN_RESET) && !(pte & X86_D)) {
        mm_slot_free(mm, slot);
        e->slot = 0;
        npte = spte_make(prot);
        snprintf(tail, sizeof tail, "reset by MEM_RESET and not written since: dropped, it will read back as zeros");
    } else if (!needs_write(e, pte)) {
        npte = (slot << SPTE_SLOT_SHIFT) | spte_make(prot);
        snprintf(tail, sizeof tail, "%s and its page-file copy (slot %u) current: dropped without a write",
                 transition ? "in transition" : "clean", slot - 1);
    } else {
        uint32_t wrote = page_out(mm, frame, slot);
        if (!wrote) {
            mm_say(why, "%s, but the page file is full. ", head);
            return false;
        }
        npte = (wrote << SPTE_SLOT_SHIFT) | spte_make(prot);
        snprintf(tail, sizeof tail, "%s: written to page-file slot %u",
                 transition ? "in transition, its page-file copy gone" : "dirty", wrote - 1);
    }
    mm_note(why, MM_NOTE_EVICT, "%s, VPN 0x%05X of process %s, %s. ", head, va >> X86_PAGE_SHIFT, p->name, tail);
    e->slot = 0; /* the slot now belongs to the PTE */
    mm_set_pte(p, va, npte);
    mm_frame_free(mm, frame);
    return true;
}
