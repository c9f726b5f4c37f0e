/* Page faults as the memory manager resolves them, and user-mode accesses
 * that go through the simulated MMU and retry after a resolved fault, as the
 * faulting instruction would. */
#include "mm_int.h"
#include "pagesim/winsdk.h"
#include "pagesim/winconst.h"
#include <string.h>


const char *mm_resolution_str(mm_resolution_t r)
{
    switch (r) {
    case MM_RES_NONE: return "none";
    case MM_RES_DEMAND_ZERO: return "demand_zero";
    case MM_RES_SOFT: return "soft";
    case MM_RES_PAGEFILE: return "pagefile";
    case MM_RES_COPY_ON_WRITE: return "copy_on_write";
    case MM_RES_ACCESS_VIOLATION: return "access_violation";
    case MM_RES_GUARD: return "guard";
    case MM_RES_STACK_GROWTH: return "stack_growth";
    case MM_RES_STACK_OVERFLOW: return "stack_overflow";
    case MM_RES_FILE: return "file";
    }
    return "unknown";
}


static bool violation(mm_process_t *p, uint32_t va, mmu_access_t acc, mm_access_t *res)
{
    res->exception = STATUS_ACCESS_VIOLATION;
    res->access = acc;
    res->fault_addr = va;
    res->resolved = MM_RES_ACCESS_VIOLATION;
    p->av++;
    return false;
}

/* Why va is not accessible when its PTE says nothing is committed. */
static void explain_uncommitted(mm_process_t *p, uint32_t va, mm_access_t *res)
{
    const vad_t *v = vad_find(&p->vads, va);
    if (va < MM_NULL_END) {
        mm_say(res->why, "0x%08X is in the NULL region (0x00000000-0x0000FFFF), which is never allocated", va);
    } else if (va > mm_user_high(p->mm)) {
        if (va < mm_user_high(p->mm) + 1 + VAD_GRANULE)
            mm_say(res->why, "0x%08X is in the 64 KB no-access region below system space", va);
        else
            mm_say(res->why, "0x%08X is in system space, which user mode cannot touch", va);
    } else if (v) {
        mm_say(res->why, "0x%08X is reserved in ", va);
        if (res->why) mm_describe_vad(p->mm, res->why, v);
        mm_say(res->why, " but not committed");
    } else {
        mm_say(res->why, "0x%08X is free: no allocation contains it", va);
    }
}

static bool allows(uint32_t prot, mmu_access_t acc)
{
    uint32_t b = MM_BASE(prot);
    if (b == 0) return false;
    if (acc == MMU_WRITE)
        return b == MM_READWRITE || b == MM_EXECUTE_READWRITE || b == MM_WRITECOPY || b == MM_EXECUTE_WRITECOPY;
    return true; /* without NX every protection that is not no-access reads and executes */
}

static void show_prot(mm_access_t *res, uint32_t prot)
{
    if (res->why) wc_format_protect(res->why, mm_to_win32(prot));
}

/* Makes the committed page va present with frame, a private frame of p's
 * (its PFN entry is filled in first, so that mm_set_pte sees whose it is). */
static void make_valid(mm_process_t *p, uint32_t va, uint32_t frame, uint32_t prot)
{
    pfn_t *e = mm_pfn(p->mm, frame);
    e->owner = (uint16_t)(p->id + 1);
    e->va = va & X86_FRAME_MASK;
    e->prot = (uint8_t)prot;
    mm_set_pte(p, va, (frame << X86_PAGE_SHIFT) | mm_hw_bits(prot));
}

/* Under a working-set limit, a process that is full gives up a page of its
 * own before it takes another frame. */
static void make_room(mm_process_t *p, strbuf_t *why)
{
    uint32_t max = p->mm->cfg.ws_max;
    while (max && p->ws >= max && mm_evict(p->mm, p, why)) {}
}

/* The protection a copy-on-write page has once it is private. */
static uint32_t cow_target(uint32_t prot)
{
    uint32_t b = MM_BASE(prot);
    if (b == MM_WRITECOPY) return (prot & ~7u) | MM_READWRITE;
    if (b == MM_EXECUTE_WRITECOPY) return (prot & ~7u) | MM_EXECUTE_READWRITE;
    return prot;
}

/* A write to a present copy-on-write page: the process gets its own copy
 * of the frame, writable, and the shared frame loses one user. */
static bool copy_on_write(mm_process_t *p, uint32_t va, uint32_t pte, uint32_t prot, mm_access_t *res)
{
    mm_t *mm = p->mm;
    uint32_t old = pte >> X86_PAGE_SHIFT, frame;
    make_room(p, res->why);
    if (!mm_frame_alloc(mm, p, res->why, &frame)) {
        mm_say(res->why, "no free physical frame for a private copy of 0x%08X", va);
        return violation(p, va, MMU_WRITE, res);
    }
    uint8_t buf[X86_PAGE_SIZE];
    phys_read(mmu_phys_const(mm->mmu), old << X86_PAGE_SHIFT, buf, X86_PAGE_SIZE);
    if (phys_write(mmu_phys(mm->mmu), frame << X86_PAGE_SHIFT, buf, X86_PAGE_SIZE) != PS_OK) {
        mm_frame_free(mm, frame);
        res->host_oom = true;
        return mm_oom(mm);
    }
    make_valid(p, va, frame, cow_target(prot));
    mm_release_frame_if_unused(mm, old);
    mm_note(res->why, MM_NOTE_COPY, "0x%08X: copy-on-write: frame 0x%05X copied to frame 0x%05X, now private and "
            "writable. ", va, old, frame);
    res->resolved = MM_RES_COPY_ON_WRITE;
    p->cow++;
    return true;
}

/* Resolves a fault at va. Returns true when the access can be retried. */
static bool resolve(mm_process_t *p, uint32_t va, mmu_access_t acc, mmu_mode_t mode, mm_access_t *res)
{
    mm_t *mm = p->mm;
    if (va > mm_user_high(mm) || va < MM_NULL_END) {
        explain_uncommitted(p, va, res);
        return violation(p, va, acc, res);
    }
    uint32_t pte = mm_pte(p, va);
    if (!mm_pte_live(pte)) {
        explain_uncommitted(p, va, res);
        if (pte == MM_DECOMMITTED_PTE) mm_say(res->why, " (decommitted: its PTE says so)");
        return violation(p, va, acc, res);
    }
    if (!(pte & X86_P) && (pte & SPTE_PROTOTYPE) && !mm_view_page_committed(vad_find(&p->vads, va), va)) {
        mm_say(res->why, "0x%08X is in a view of a SEC_RESERVE section whose page is not committed (VirtualAlloc "
                         "MEM_COMMIT in a view commits it)", va);
        return violation(p, va, acc, res);
    }
    if (pte & X86_P) {
        uint32_t prot = mm_page_prot(p, va);
        if (acc == MMU_WRITE && (pte & PTE_COW)) return copy_on_write(p, va, pte, prot, res);
        mm_say(res->why, "0x%08X is committed ", va);
        show_prot(res, prot);
        mm_say(res->why, ": a %s-mode %s is not allowed", mode == MMU_USER ? "user" : "kernel", mmu_access_str(acc));
        return violation(p, va, acc, res);
    }
    uint32_t prot = spte_prot(pte);
    if (mm_prot_guard(prot)) {
        /* The page takes its protection without PAGE_GUARD, and the
         * allocation's caching attribute again (a guard page cannot hold
         * one: NT's protection mask has no room for both). */
        const vad_t *v = vad_find(&p->vads, va);
        uint32_t plain = prot & ~(uint32_t)MM_GUARD_PAGE;
        if (v) plain = mm_alloc_page_prot(v, mm_to_win32(plain));
        mm_set_pte(p, va, (pte & ~SPTE_PROT_MASK) | spte_make(plain));
        p->guard++;
        mm_resolution_t grown = mm_stack_guard_fault(p, va, acc, res);
        if (grown == MM_RES_STACK_GROWTH) {
            /* The page is plain read-write now: resolve its own fault
             * (demand-zero, or its frame back) before the retry. */
            bool ok = resolve(p, va, acc, mode, res);
            if (ok) res->resolved = MM_RES_STACK_GROWTH;
            return ok;
        }
        if (grown == MM_RES_STACK_OVERFLOW) return false;
        res->exception = STATUS_GUARD_PAGE_VIOLATION;
        res->access = acc;
        res->fault_addr = va;
        res->resolved = MM_RES_GUARD;
        mm_say(res->why, "0x%08X is a guard page: the first access raises STATUS_GUARD_PAGE_VIOLATION and clears "
                     "PAGE_GUARD, so the next access goes through", va);
        if (v && v->label && strcmp(v->label, "stack") == 0)
            mm_say(res->why, " (the page is in a thread stack, but not in the current thread's own: only the "
                             "faulting thread's stack grows)");
        return false;
    }
    if (!allows(prot, acc)) {
        mm_say(res->why, "0x%08X is committed ", va);
        show_prot(res, prot);
        mm_say(res->why, ", which does not allow a %s", mmu_access_str(acc));
        return violation(p, va, acc, res);
    }
    if (pte & SPTE_PROTOTYPE) {
        if (acc == MMU_WRITE && (MM_BASE(prot) == MM_WRITECOPY || MM_BASE(prot) == MM_EXECUTE_WRITECOPY)) {
            /* Map the shared page first; the retried write copies it. */
            if (!mm_section_fault(p, va, prot, false, res)) return violation(p, va, acc, res);
            return true;
        }
        if (!mm_section_fault(p, va, prot, acc == MMU_WRITE, res)) {
            mm_say(res->why, "no free physical frame for the section page at 0x%08X", va);
            return violation(p, va, acc, res);
        }
        return true;
    }
    if (pte & SPTE_TRANSITION) {
        make_valid(p, va, pte >> X86_PAGE_SHIFT, prot);
        res->resolved = MM_RES_SOFT;
        p->soft++;
        return true;
    }
    uint32_t frame, slot = pte >> SPTE_SLOT_SHIFT;
    make_room(p, res->why);
    if (!mm_frame_alloc(mm, p, res->why, &frame)) {
        mm_say(res->why, "no free physical frame for 0x%08X", va);
        return violation(p, va, acc, res);
    }
    if (slot) {
        /* A hard fault: the page is in the page file. */
        if (!mm_slot_read(mm, slot, frame)) {
            mm_frame_free(mm, frame);
            res->host_oom = true;
            return false;
        }
        make_valid(p, va, frame, prot);
        mm_pfn(mm, frame)->slot = slot;
        res->resolved = MM_RES_PAGEFILE;
        p->hard++;
        mm_note(res->why, MM_NOTE_HARD, "0x%08X: hard fault, read back from page-file slot %u into frame 0x%05X. ",
                va, slot - 1, frame);
        return true;
    }
    /* A first write to a copy-on-write page that was never read makes the
     * private copy at once. */
    if (acc == MMU_WRITE) prot = cow_target(prot);
    make_valid(p, va, frame, prot);
    res->resolved = MM_RES_DEMAND_ZERO;
    p->demand_zero++;
    if (res->why && strbuf_tally(res->why, MM_NOTE_DEMAND_ZERO, MM_NOTES_SHOWN)) {
        mm_say(res->why, "0x%08X: software PTE 0x%08X says demand-zero, ", va, pte);
        show_prot(res, prot);
        mm_say(res->why, ": frame 0x%05X taken and zeroed, the PTE is now 0x%08X. ", frame,
               (frame << X86_PAGE_SHIFT) | mm_hw_bits(prot));
    }
    return true;
}

static void reset(mm_access_t *res)
{
    strbuf_t *why = res->why;
    memset(res, 0, sizeof *res);
    res->why = why;
}

/* One user-mode access: translate, resolve a fault, retry once resolved. */
static bool access(mm_process_t *p, uint32_t va, mmu_access_t acc, uint32_t *pa, mm_access_t *res)
{
    mm_t *mm = p->mm;
    mmu_t *m = mm->mmu;
    reset(res);
    mm_switch(mm, p);
    /* A fault resolves in at most two rounds (a copy-on-write page is first
     * mapped, then copied), so the third try always translates. */
    for (int tries = 0; tries < 3; tries++) {
        if (mmu_access(m, va, acc, MMU_USER, pa) == 0) {
            mm_page_used(mm, *pa >> X86_PAGE_SHIFT);
            if (acc == MMU_WRITE) mm_watch_written(p, va);
            return true;
        }
        if (!resolve(p, va, acc, MMU_USER, res)) return false;
    }
    mm_say(res->why, "0x%08X: the fault was resolved but the access still faults", va);
    return violation(p, va, acc, res);
}

bool mm_read8(mm_process_t *p, uint32_t addr, uint8_t *value, mm_access_t *res)
{
    uint32_t pa;
    if (!access(p, addr, MMU_READ, &pa, res)) return false;
    *value = phys_read8(mmu_phys_const(p->mm->mmu), pa);
    return true;
}

bool mm_write8(mm_process_t *p, uint32_t addr, uint8_t value, mm_access_t *res)
{
    uint32_t pa;
    if (!access(p, addr, MMU_WRITE, &pa, res)) return false;
    if (phys_write8(mmu_phys(p->mm->mmu), pa, value) == PS_OK) return true;
    res->host_oom = true;
    return mm_oom(p->mm);
}

bool mm_touch_write(mm_process_t *p, uint32_t addr, mm_access_t *res)
{
    uint32_t pa;
    return access(p, addr, MMU_WRITE, &pa, res);
}

void mm_translate(mm_process_t *p, uint32_t va, mmu_access_t acc, mmu_mode_t mode, mmu_walk_t *first,
                  mmu_walk_t *retry, bool *retried, mm_access_t *res)
{
    reset(res);
    *retried = false;
    mm_switch(p->mm, p);
    if (mmu_translate(p->mm->mmu, va, acc, mode, first) == MMU_OK) return;
    if (mode == MMU_KERNEL && va > mm_user_high(p->mm)) {
        res->resolved = MM_RES_ACCESS_VIOLATION;
        res->exception = STATUS_ACCESS_VIOLATION;
        res->access = acc;
        res->fault_addr = va;
        mm_say(res->why, "nothing is mapped at 0x%08X in system space: in a real kernel this fault is a bug check "
                     "(PAGE_FAULT_IN_NONPAGED_AREA)", va);
        return;
    }
    if (!resolve(p, va, acc, mode, res)) return;
    *retried = true;
    mmu_translate(p->mm->mmu, va, acc, mode, retry);
}

void mm_stats(const mm_process_t *p, mm_stats_t *out)
{
    const mm_t *mm = p->mm;
    memset(out, 0, sizeof *out);
    out->demand_zero_faults = p->demand_zero;
    out->soft_faults = p->soft;
    out->hard_faults = p->hard;
    out->file_reads = p->mm->file_reads;
    out->file_writes = p->mm->file_writes;
    out->cow_faults = p->cow;
    out->access_violations = p->av;
    out->guard_faults = p->guard;
    out->stack_growths = p->stack_growths;
    out->stack_overflows = p->stack_overflows;
    out->pagefile_reads = mm->pagefile_reads;
    out->pagefile_writes = mm->pagefile_writes;
    out->page_table_pages = p->pt_pages;
    out->working_set = p->ws;
    out->peak_working_set = p->peak_ws;
    out->private_commit = p->private_commit * X86_PAGE_SIZE;
    out->commit_charge = mm->commit_pages * X86_PAGE_SIZE;
    out->commit_limit = mm->commit_limit_pages * X86_PAGE_SIZE;
    out->free_frames = mm_free_frames(mm);
    out->allocations = p->vads.count;
}
