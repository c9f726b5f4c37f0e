/* Physical frames and the PFN database: one entry per frame, in groups of
 * 1024 allocated as frames are first used. A frame is taken from the free
 * list, else from the never-used ones above next_fresh, else by evicting a
 * user page through the replacement policy. The free list runs through the
 * PFN entries of free frames (va holds the next one + 1), so freeing a
 * frame never allocates. */
#include "mem.h"
#include "mm_int.h"
#include <string.h>

pfn_t *mm_pfn(mm_t *mm, uint32_t frame)
{
    uint32_t g = frame / PFN_GROUP;
    if (!mm->pfn_group[g]) {
        mm->pfn_group[g] = ps_calloc(mm->alloc, PFN_GROUP * sizeof(pfn_t));
        if (!mm->pfn_group[g]) {
            mm_oom(mm);
            return NULL;
        }
    }
    return &mm->pfn_group[g][frame % PFN_GROUP];
}

const pfn_t *mm_pfn_peek(const mm_t *mm, uint32_t frame)
{
    if (frame >= mm->nframes) return NULL;
    const pfn_t *g = mm->pfn_group[frame / PFN_GROUP];
    return g ? &g[frame % PFN_GROUP] : NULL;
}

static bool take(mm_t *mm, uint32_t *frame)
{
    if (mm->free_head) {
        *frame = mm->free_head - 1;
        pfn_t *e = mm_pfn(mm, *frame); /* its group exists: the frame was used */
        mm->free_head = e->va;
        e->va = 0;
        mm->nfree--;
    } else if (mm->next_fresh < mm->nframes) {
        *frame = mm->next_fresh++;
    } else {
        return false;
    }
    return true;
}

bool mm_frame_alloc(mm_t *mm, mm_process_t *p, strbuf_t *why, uint32_t *frame)
{
    (void)p;
    uint32_t f;
    if (!take(mm, &f) && !(mm_evict(mm, NULL, why) && take(mm, &f))) return false;
    pfn_t *e = mm_pfn(mm, f);
    if (!e) { /* the host is out of memory for the PFN group */
        if (f == mm->next_fresh - 1) mm->next_fresh--;
        return false;
    }
    memset(e, 0, sizeof *e);
    e->flags = PFN_USED;
    phys_discard_frame(mmu_phys(mm->mmu), f << X86_PAGE_SHIFT); /* reads as zeros */
    *frame = f;
    return true;
}

void mm_frame_free(mm_t *mm, uint32_t frame)
{
    pfn_t *e = mm_pfn(mm, frame); /* exists: the frame was in use */
    memset(e, 0, sizeof *e);
    e->va = mm->free_head;
    mm->free_head = frame + 1;
    mm->nfree++;
    phys_discard_frame(mmu_phys(mm->mmu), frame << X86_PAGE_SHIFT);
}

void mm_release_frame_if_unused(mm_t *mm, uint32_t f)
{
    if (f == MM_NO_FRAME) return;
    pfn_t *e = mm_pfn(mm, f);
    if (!e || !(e->flags & PFN_USED) || !mm_pfn_private(e) || e->share) return;
    mm_slot_free(mm, e->slot);
    mm_frame_free(mm, f);
}

uint32_t mm_free_frames(const mm_t *mm)
{
    return mm->nframes - mm->next_fresh + mm->nfree;
}
