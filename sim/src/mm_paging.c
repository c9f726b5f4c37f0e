/* Paging: when no frame is free, a user page leaves memory through the
 * replacement policy (FIFO, Clock or LRU, the same module traces use). A
 * page written since it was loaded goes to a page-file slot; a clean page
 * whose slot still holds its copy is dropped without a write; a page reset
 * with MEM_RESET and not written since is dropped and comes back as zeros.
 * Its PTE becomes a software PTE naming the slot, and the next touch is a
 * hard fault that reads it back. Clock's referenced bit is the PTE's
 * accessed flag, cleared (with the TLB entry) as the hand passes. */
#include "mem.h"
#include "mm_int.h"
#include <string.h>

static uint32_t idx(const mm_t *mm, uint32_t frame) { return frame - mm->first_free_frame; }

static mm_process_t *owner(mm_t *mm, const pfn_t *e)
{
    return e && e->owner && e->owner <= mm->nprocs ? mm->procs[e->owner - 1] : NULL;
}

/* Clock: the PTE's A bit is the referenced bit. */
static bool test_clear(void *ud, uint32_t i)
{
    mm_t *mm = ud;
    uint32_t frame = i + mm->first_free_frame;
    pfn_t *e = mm_pfn(mm, frame);
    mm_process_t *p = owner(mm, e);
    if (!p) return false;
    uint32_t pte = mm_pte(p, e->va);
    if (!(pte & X86_P) || !(pte & X86_A)) return false;
    uint32_t pde = mm_pde(p, e->va);
    (void)phys_write32(mmu_phys(mm->mmu), (pde & X86_FRAME_MASK) + X86_PTE_INDEX(e->va) * 4, pte & ~X86_A);
    if (mm->current == p) mmu_invlpg(mm->mmu, e->va);
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

void mm_resident(mm_t *mm, uint32_t frame)
{
    if (frame >= mm->first_free_frame) repl_loaded(&mm->repl, idx(mm, frame), 0);
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

void mm_slot_read(mm_t *mm, uint32_t slot, uint32_t frame)
{
    uint8_t buf[X86_PAGE_SIZE];
    phys_read(mm->pagefile, (slot - 1) << X86_PAGE_SHIFT, buf, X86_PAGE_SIZE);
    (void)phys_write(mmu_phys(mm->mmu), frame << X86_PAGE_SHIFT, buf, X86_PAGE_SIZE);
    mm->pagefile_reads++;
}

typedef struct accept_ctx {
    mm_t *mm;
    const mm_process_t *only;
} accept_ctx_t;

/* A private user page, mapped once, of the given process if any. */
static bool evictable(void *ud, uint32_t i)
{
    accept_ctx_t *c = ud;
    const pfn_t *e = mm_pfn_peek(c->mm, i + c->mm->first_free_frame);
    if (!e || !e->owner || (e->flags & (PFN_PAGE_TABLE | PFN_DIRECTORY | PFN_SYSTEM | PFN_SECTION)) || e->share > 1)
        return false;
    return !c->only || owner(c->mm, e) == c->only;
}

bool mm_evict(mm_t *mm, mm_process_t *only)
{
    accept_ctx_t ctx = { mm, only };
    uint32_t hand = mm->repl.hand;
    uint32_t i = repl_victim_if(&mm->repl, evictable, &ctx);
    if (i == UINT32_MAX) return false;
    uint32_t frame = i + mm->first_free_frame;
    pfn_t *e = mm_pfn(mm, frame);
    mm_process_t *p = owner(mm, e);
    uint32_t va = e->va, pte = mm_pte(p, va), prot = e->prot, slot = e->slot;
    const char *policy = repl_policy_str(mm->repl.policy);
    if (mm->why && mm->why->len < 2048) {
        if (mm->repl.policy == REPL_CLOCK)
            mm_say(mm->why, "memory is full: the clock hand at frame 0x%05X passed %u referenced frame%s (clearing "
                            "their A bits) -> evict frame 0x%05X", hand + mm->first_free_frame, mm->repl.skipped,
                   mm->repl.skipped == 1 ? "" : "s", frame);
        else
            mm_say(mm->why, "memory is full: %s evicts frame 0x%05X (%s)", policy, frame,
                   mm->repl.policy == REPL_FIFO ? "loaded longest ago" : "used longest ago");
        mm_say(mm->why, ", VPN 0x%05X of process %s", va >> X86_PAGE_SHIFT, p->name);
    }
    uint32_t npte;
    if ((e->flags & PFN_RESET) && !(pte & X86_D)) {
        mm_slot_free(mm, slot);
        npte = spte_make(prot);
        mm_say(mm->why, ", reset by MEM_RESET and not written since: dropped, it will read back as zeros. ");
    } else if (!(pte & X86_D) && slot) {
        npte = (slot << SPTE_SLOT_SHIFT) | spte_make(prot);
        mm_say(mm->why, ", clean and its page-file copy (slot %u) current: dropped without a write. ", slot - 1);
    } else {
        if (!slot) slot = slot_alloc(mm);
        if (!slot) {
            repl_loaded(&mm->repl, i, 0); /* it stays: the page file is full */
            mm_say(mm->why, ", but the page file is full. ");
            return false;
        }
        uint8_t buf[X86_PAGE_SIZE];
        phys_read(mmu_phys_const(mm->mmu), frame << X86_PAGE_SHIFT, buf, X86_PAGE_SIZE);
        if (phys_write(mm->pagefile, (slot - 1) << X86_PAGE_SHIFT, buf, X86_PAGE_SIZE) != PS_OK) {
            repl_loaded(&mm->repl, i, 0);
            return false;
        }
        mm->pagefile_writes++;
        npte = (slot << SPTE_SLOT_SHIFT) | spte_make(prot);
        mm_say(mm->why, ", dirty: written to page-file slot %u. ", slot - 1);
    }
    mm_set_pte(p, va, npte);
    p->ws--;
    e->slot = 0; /* the slot now belongs to the PTE */
    mm_frame_free(mm, frame);
    return true;
}
