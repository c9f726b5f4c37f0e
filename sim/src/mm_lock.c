/* VirtualLock and VirtualUnlock: pages that stay in the working set.
 *
 * A locked page is a private page whose frame carries PFN_LOCKED: it is
 * resident, counted in its process's working set, and out of the
 * replacement policy, so memory pressure evicts other pages around it
 * (mm_pte.c's mm_set_locked keeps the policy's membership). What a process
 * may lock is bounded by its working-set minimum less a small overhead
 * (MSDN VirtualLock), else ERROR_WORKING_SET_QUOTA. Every page of the range
 * must be committed and accessible (MSDN: "All pages in the specified
 * region must be committed. Memory protected with PAGE_NOACCESS cannot be
 * locked"); the simulator answers ERROR_NOACCESS for either, the error of
 * the probe that fails. There is no lock count: one VirtualUnlock unlocks.
 * VirtualUnlock of a page that is not locked takes it out of the working
 * set and fails with ERROR_NOT_LOCKED (MSDN VirtualUnlock). A lock lasts
 * while the page stays valid: a decommit, a release or a protection that
 * allows no access (a transition page here) drops it.
 *
 * mm_lock_check states the invariant: each locked frame is a private,
 * used frame mapped by a valid PTE at its address in its owner, and each
 * process's count is its locked frames. */
#include "mem.h"
#include "mm_int.h"
#include "pagesim/winsdk.h"
#include <stdio.h>

#define PAGE 0x1000u

static bool count_locked(const mm_t *mm, uint32_t *counted, char *msg, size_t n);

/* Whether every page of [start, end] is a committed, accessible page of a
 * private allocation; else the error, explained. */
static uint32_t lockable(mm_process_t *p, uint32_t start, uint32_t end, strbuf_t *why)
{
    for (uint64_t va = start; va <= end; va += PAGE) {
        const vad_t *v = vad_find(&p->vads, (uint32_t)va);
        uint32_t prot = v ? mm_page_prot(p, (uint32_t)va) : 0;
        if (v && (v->flags & VAD_PHYSICAL))
            return mm_fail(why, ERROR_NOT_SUPPORTED, "not modelled: locking the pages of an AWE region (0x%08X); they "
                                                     "are out of the working set already", (uint32_t)va);
        if (v && v->type != MEM_PRIVATE)
            return mm_fail(why, ERROR_NOT_SUPPORTED, "not modelled: locking the pages of a view or an image "
                                                     "(0x%08X); the simulator locks private pages", (uint32_t)va);
        if (!prot || !mm_prot_accessible(prot))
            return mm_fail(why, ERROR_NOACCESS, "0x%08X is %s: only committed pages that allow access can be locked",
                           (uint32_t)va, !prot ? "not committed" : "no-access or a guard page");
    }
    return ERROR_SUCCESS;
}

uint32_t mm_virtual_lock(mm_process_t *p, uint32_t addr, uint32_t size, strbuf_t *why)
{
    uint32_t start = addr & ~(PAGE - 1);
    uint64_t last = (uint64_t)addr + (size ? size : 1) - 1;
    if (last > mm_user_high(p->mm))
        return mm_fail(why, ERROR_NOACCESS, "the range runs past the top of user space");
    uint32_t end = (uint32_t)(last | (PAGE - 1)), err = lockable(p, start, end, why);
    if (err) return err;
    uint32_t fresh = 0;
    for (uint64_t va = start; va <= end; va += PAGE) {
        pfn_t *e = (mm_pte(p, (uint32_t)va) & X86_P) ? mm_pfn(p->mm, mm_pte(p, (uint32_t)va) >> 12) : NULL;
        if (!e || !(e->flags & PFN_LOCKED)) fresh++;
    }
    uint32_t quota = p->ws_min > MM_LOCK_OVERHEAD ? p->ws_min - MM_LOCK_OVERHEAD : 0;
    if (p->locked + fresh > quota)
        return mm_fail(why, ERROR_WORKING_SET_QUOTA,
                       "%u more locked page%s would make %u, over the %u a working-set minimum of %u pages allows "
                       "(the minimum less %u pages of overhead)", fresh, fresh == 1 ? "" : "s", p->locked + fresh, quota,
                       p->ws_min, MM_LOCK_OVERHEAD);
    /* Each page is brought in as a read would, then locked. */
    for (uint64_t va = start; va <= end; va += PAGE) {
        uint8_t b;
        mm_access_t acc = { .why = why };
        if (!mm_read8(p, (uint32_t)va, &b, &acc))
            return acc.host_oom ? ERROR_NOT_ENOUGH_MEMORY
                                : mm_fail(why, ERROR_NOACCESS, "0x%08X could not be brought in", (uint32_t)va);
        mm_set_locked(p, (uint32_t)va, true);
    }
    mm_say(why, "locked 0x%08X-0x%08X (%u page%s newly): they stay in the working set; the process has %u locked of "
                "%u it may lock", start, end, fresh, fresh == 1 ? "" : "s", p->locked, quota);
    return ERROR_SUCCESS;
}

uint32_t mm_virtual_unlock(mm_process_t *p, uint32_t addr, uint32_t size, strbuf_t *why)
{
    uint32_t start = addr & ~(PAGE - 1);
    uint64_t last = (uint64_t)addr + (size ? size : 1) - 1;
    if (last > mm_user_high(p->mm))
        return mm_fail(why, ERROR_NOACCESS, "the range runs past the top of user space");
    uint32_t end = (uint32_t)(last | (PAGE - 1)), err = lockable(p, start, end, why), unlocked = 0, trimmed = 0;
    if (err) return err;
    for (uint64_t va = start; va <= end; va += PAGE) {
        uint32_t pte = mm_pte(p, (uint32_t)va);
        pfn_t *e = (pte & X86_P) ? mm_pfn(p->mm, pte >> 12) : NULL;
        if (e && (e->flags & PFN_LOCKED)) {
            mm_set_locked(p, (uint32_t)va, false);
            unlocked++;
        } else if (e && mm_pfn_private(e)) {
            /* Out of the working set; the frame stays (a soft fault). */
            mm_ws_trim(p, (uint32_t)va, pte, e);
            trimmed++;
        } else {
            trimmed++;
        }
    }
    if (unlocked != (end - start) / PAGE + 1)
        return mm_fail(why, ERROR_NOT_LOCKED, "%u page%s of 0x%08X-0x%08X %s not locked: taken out of the working set "
                       "(%u unlocked)", trimmed, trimmed == 1 ? "" : "s", start, end, trimmed == 1 ? "was" : "were",
                       unlocked);
    mm_say(why, "unlocked 0x%08X-0x%08X (%u page%s): they may leave memory again", start, end, unlocked,
           unlocked == 1 ? "" : "s");
    return ERROR_SUCCESS;
}

bool mm_lock_check(const mm_t *mm, char *msg, size_t n)
{
    uint32_t *counted = ps_calloc(mm->alloc, (mm->nprocs ? mm->nprocs : 1) * sizeof *counted);
    if (!counted) {
        snprintf(msg, n, "the invariants could not be checked: out of memory");
        return false;
    }
    bool ok = count_locked(mm, counted, msg, n);
    for (uint32_t i = 0; ok && i < mm->nprocs; i++)
        if (counted[i] != mm->procs[i]->locked) {
            snprintf(msg, n, "locked pages: process %s has %u locked frames, its count says %u", mm->procs[i]->name,
                     counted[i], mm->procs[i]->locked);
            ok = false;
        }
    ps_free(mm->alloc, counted, (mm->nprocs ? mm->nprocs : 1) * sizeof *counted);
    return ok;
}

/* Counts each process's locked frames into counted, checking each. */
static bool count_locked(const mm_t *mm, uint32_t *counted, char *msg, size_t n)
{
    for (uint32_t f = mm->first_free_frame; f < mm->nframes; f++) {
        const pfn_t *e = mm_pfn_peek(mm, f);
        if (!e || !(e->flags & PFN_LOCKED)) continue;
        const mm_process_t *p = e->owner && e->owner <= mm->nprocs ? mm->procs[e->owner - 1] : NULL;
        uint32_t pte = p ? mm_pte(p, e->va) : 0;
        if (!p || !(e->flags & PFN_USED) || !mm_pfn_private(e) || !(pte & X86_P) || (pte >> 12) != f) {
            snprintf(msg, n, "locked pages: frame 0x%05X is locked but is not a resident private page of its owner "
                             "(PTE 0x%08X)", f, pte);
            return false;
        }
        counted[p->id]++;
    }
    return true;
}
