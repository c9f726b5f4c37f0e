/* Address Windowing Extensions: physical pages a process owns and maps
 * into MEM_PHYSICAL regions itself.
 *
 * AllocateUserPhysicalPages takes frames from free memory for the process
 * (MSDN: the pages are "physically present in memory", "not part of the
 * working set" and may be fewer than asked); they carry PFN_AWE, belong to
 * the process, and are never in a working set or the replacement policy,
 * so memory pressure cannot take them. The frame numbers go into the
 * program's array (here the process's log of them, mm.h). The call needs
 * the "Lock pages in memory" privilege (MSDN: SeLockMemoryPrivilege; the
 * simulator's `config lockpages=yes`), else ERROR_PRIVILEGE_NOT_HELD.
 *
 * MapUserPhysicalPages maps frames, page by page, into a region reserved
 * with MEM_RESERVE | MEM_PHYSICAL, replacing what was mapped there; with a
 * NULL array it unmaps (MSDN MapUserPhysicalPages). A frame is mapped at
 * one address at most; the bytes stay in the frame, so data follows the
 * frame from one address to another (seed 004's point). A mapped page is a
 * valid read/write PTE: no fault, no working set, no commit charge.
 * FreeUserPhysicalPages unmaps and frees (MSDN FreeUserPhysicalPages).
 *
 * mm_awe_check states the invariant: each AWE frame is owned by a live
 * process and mapped once (at its recorded address, in an AWE region of
 * its owner) or not at all; every page of an AWE region is unmapped or
 * maps such a frame; each process's count is its frames. */
#include "mem.h"
#include "mm_int.h"
#include "pagesim/winsdk.h"
#include <stdio.h>

#define PAGE 0x1000u
/* A scratch mark while a call checks its array (each frame once). */
#define PFN_AWE_MARK 1024u

static bool own_frame(const mm_process_t *p, uint32_t f)
{
    const pfn_t *e = f >= p->mm->first_free_frame ? mm_pfn_peek(p->mm, f) : NULL;
    return e && (e->flags & (PFN_USED | PFN_AWE)) == (PFN_USED | PFN_AWE) && e->owner == p->id + 1;
}

bool mm_awe_element(const mm_process_t *p, uint32_t v, uint32_t *pfn)
{
    if (v < MM_AWE_ARRAY_BASE || v - MM_AWE_ARRAY_BASE >= p->mm->nawe_log) return false;
    *pfn = p->mm->awe_log[v - MM_AWE_ARRAY_BASE];
    return true;
}

uint32_t mm_awe_alloc(mm_process_t *p, uint32_t want, uint32_t *got, uint32_t *array, strbuf_t *why)
{
    mm_t *mm = p->mm;
    *got = 0;
    *array = 0;
    if (!mm->cfg.lock_pages)
        return mm_fail(why, ERROR_PRIVILEGE_NOT_HELD, "AllocateUserPhysicalPages needs the \"Lock pages in memory\" "
                                                      "privilege (SeLockMemoryPrivilege), which the process does not "
                                                      "hold (config lockpages=yes gives it)");
    uint32_t free = mm_free_frames(mm), n = want < free ? want : free;
    if (want && !n) return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "no frame of physical memory is free");
    if (n > ~MM_AWE_ARRAY_BASE - p->mm->nawe_log ||
        !ps_grow(mm->alloc, (void **)&mm->awe_log, &mm->capawe_log, mm->nawe_log + n, sizeof *p->mm->awe_log))
        return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "the host is out of memory for the array");
    *array = MM_AWE_ARRAY_BASE + p->mm->nawe_log;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t f;
        if (!mm_frame_alloc(mm, p, NULL, &f)) return ERROR_NOT_ENOUGH_MEMORY; /* host out of memory */
        pfn_t *e = mm_pfn(mm, f);
        e->flags = PFN_USED | PFN_AWE;
        e->owner = (uint16_t)(p->id + 1);
        e->prot = MM_READWRITE;
        p->mm->awe_log[p->mm->nawe_log++] = f;
        p->awe_frames++;
        (*got)++;
    }
    mm_say(why, "%u of %u page%s of physical memory taken for the process, out of the %u free; they belong to it, "
                "outside its working set, until FreeUserPhysicalPages", n, want, want == 1 ? "" : "s", free);
    return ERROR_SUCCESS;
}

/* The AWE region holding [start, start + count pages), or NULL. */
static const vad_t *awe_region(const mm_process_t *p, uint32_t start, uint32_t count)
{
    const vad_t *v = vad_find(&p->vads, start);
    if (!v || !(v->flags & VAD_PHYSICAL)) return NULL;
    return (uint64_t)start + (uint64_t)count * PAGE <= v->end ? v : NULL;
}

/* Whether the count elements at array name distinct frames of the process,
 * none mapped outside [lo, hi); else the error, explained. */
static uint32_t check_array(mm_process_t *p, uint32_t count, uint32_t array, uint32_t lo, uint32_t hi, strbuf_t *why)
{
    uint32_t err = ERROR_SUCCESS, i, f = 0;
    for (i = 0; i < count && !err; i++) {
        if (!mm_awe_element(p, array + i, &f)) {
            err = mm_fail(why, ERROR_INVALID_PARAMETER, "element %u of the array is past the page-frame numbers "
                                                       "AllocateUserPhysicalPages wrote", i);
            break;
        }
        pfn_t *e = own_frame(p, f) ? mm_pfn(p->mm, f) : NULL;
        if (!e)
            err = mm_fail(why, ERROR_INVALID_PARAMETER, "frame 0x%05X (element %u) is not a physical page of this "
                                                       "process (freed, or never its own)", f, i);
        else if (e->flags & PFN_AWE_MARK)
            err = mm_fail(why, ERROR_INVALID_PARAMETER, "frame 0x%05X is in the array twice", f);
        else if (e->share && (e->va < lo || e->va >= hi))
            err = mm_fail(why, ERROR_INVALID_PARAMETER, "frame 0x%05X is mapped at 0x%08X already; a physical page "
                                                       "is mapped at one address at most", f, e->va);
        else e->flags = (uint16_t)(e->flags | PFN_AWE_MARK);
    }
    for (uint32_t k = 0; k < i; k++) { /* the marks go */
        uint32_t g;
        if (mm_awe_element(p, array + k, &g) && own_frame(p, g)) {
            pfn_t *e = mm_pfn(p->mm, g);
            e->flags = (uint16_t)(e->flags & ~PFN_AWE_MARK);
        }
    }
    return err;
}

/* Unmaps the AWE page at va, if one is mapped there. */
static void unmap_page(mm_process_t *p, uint32_t va)
{
    uint32_t pte = mm_pte(p, va);
    if (!(pte & X86_P)) return;
    mm_set_pte(p, va, 0);
    mm_pfn(p->mm, pte >> X86_PAGE_SHIFT)->va = 0;
}

static void unmap_range(mm_process_t *p, uint32_t start, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++)
        if (mm_pde(p, start + i * PAGE) & X86_P) unmap_page(p, start + i * PAGE);
    for (uint64_t va = start; va < (uint64_t)start + (uint64_t)count * PAGE; va += 0x400000)
        mm_release_table_if_empty(p, (uint32_t)va);
    if (count) mm_release_table_if_empty(p, start + (count - 1) * PAGE);
}

uint32_t mm_awe_map(mm_process_t *p, uint32_t addr, uint32_t count, uint32_t array, strbuf_t *why)
{
    uint32_t start = addr & ~(PAGE - 1);
    const vad_t *v = awe_region(p, start, count);
    if (!v)
        return mm_fail(why, ERROR_INVALID_PARAMETER, "%u page%s from 0x%08X are not inside one region reserved with "
                                                     "MEM_PHYSICAL", count, count == 1 ? "" : "s", addr);
    uint32_t hi = (uint32_t)((uint64_t)start + (uint64_t)count * PAGE - 1) + 1;
    if (!array) {
        unmap_range(p, start, count);
        mm_say(why, "unmapped %u page%s from 0x%08X: the frames stay the process's", count, count == 1 ? "" : "s",
               start);
        return ERROR_SUCCESS;
    }
    uint32_t err = check_array(p, count, array, start, hi, why);
    if (err) return err;
    if (count && !mm_ensure_tables(p, start, hi - 1, why))
        return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "no frame for a page table");
    for (uint32_t i = 0; i < count; i++) unmap_page(p, start + i * PAGE);
    for (uint32_t i = 0; i < count; i++) {
        uint32_t f = 0, va = start + i * PAGE;
        (void)mm_awe_element(p, array + i, &f);
        mm_pfn(p->mm, f)->va = va;
        mm_set_pte(p, va, f << X86_PAGE_SHIFT | mm_hw_bits(MM_READWRITE));
    }
    mm_say(why, "mapped %u physical page%s at 0x%08X-0x%08X (first frame 0x%05X): valid at once, outside the working "
                "set", count, count == 1 ? "" : "s", start, hi - 1, count ? p->mm->awe_log[array - MM_AWE_ARRAY_BASE] : 0);
    return ERROR_SUCCESS;
}

uint32_t mm_awe_free(mm_process_t *p, uint32_t count, uint32_t array, uint32_t *freed, strbuf_t *why)
{
    *freed = 0;
    uint32_t err = check_array(p, count, array, 0, UINT32_MAX, why);
    if (err) return err;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t f = 0;
        (void)mm_awe_element(p, array + i, &f);
        uint32_t va = mm_pfn(p->mm, f)->va;
        if (mm_pfn(p->mm, f)->share) {
            unmap_page(p, va);
            mm_release_table_if_empty(p, va);
        }
        mm_frame_free(p->mm, f);
        p->awe_frames--;
        (*freed)++;
    }
    mm_say(why, "freed %u physical page%s (unmapped where mapped); the process has %u left", count,
           count == 1 ? "" : "s", p->awe_frames);
    return ERROR_SUCCESS;
}

void mm_awe_release_region(mm_process_t *p, const vad_t *v)
{
    unmap_range(p, v->start, (v->end - v->start) / PAGE);
}

static bool chk_fail(char *msg, size_t n, uint32_t va, const char *what, uint32_t f)
{
    snprintf(msg, n, "invariant 'AWE' broken at 0x%08X: frame 0x%05X %s", va, f, what);
    return false;
}

/* The pages of p's AWE regions: unmapped, or mapping p's frame recorded
 * there; returns how many are mapped through *mapped. */
static bool check_regions(const mm_process_t *p, uint32_t *mapped, char *msg, size_t n)
{
    for (const vad_t *v = vad_first(&p->vads); v; v = vad_next(&p->vads, v)) {
        if (!(v->flags & VAD_PHYSICAL)) continue;
        for (uint64_t va = v->start; va < v->end; va += PAGE) {
            uint32_t pte = (mm_pde(p, (uint32_t)va) & X86_P) ? mm_pte(p, (uint32_t)va) : 0, f = pte >> X86_PAGE_SHIFT;
            if (!pte) continue;
            const pfn_t *e = mm_pfn_peek(p->mm, f);
            if (!(pte & X86_P) || !own_frame(p, f) || !e || e->va != va || e->share != 1)
                return chk_fail(msg, n, (uint32_t)va, "is not the process's physical page mapped here", f);
            (*mapped)++;
        }
    }
    return true;
}

/* One pass over the frames: each AWE frame sound, counted for its owner
 * (owned[k], and mapped ones in shared[k]). */
static bool check_frames(const mm_t *mm, uint32_t *owned, uint32_t *shared, char *msg, size_t n)
{
    for (uint32_t f = mm->first_free_frame; f < mm->nframes; f++) {
        const pfn_t *e = mm_pfn_peek(mm, f);
        if (!e || !(e->flags & PFN_AWE)) continue;
        if (!e->owner || e->owner > mm->nprocs) return chk_fail(msg, n, e->va, "belongs to no process", f);
        owned[e->owner - 1]++;
        shared[e->owner - 1] += e->share;
        if (e->flags & (PFN_LOCKED | PFN_AWE_MARK | PFN_SECTION | PFN_SYSTEM) || !(e->flags & PFN_USED))
            return chk_fail(msg, n, e->va, "carries flags an AWE frame cannot", f);
        if (e->share > 1 || (!e->share && e->va)) return chk_fail(msg, n, e->va, "is mapped more than once", f);
        if (mm->repl.in && mm->repl.in[f - mm->first_free_frame])
            return chk_fail(msg, n, e->va, "is in the replacement policy", f);
    }
    return true;
}

bool mm_awe_check(const mm_t *mm, char *msg, size_t n)
{
    size_t bytes = (size_t)(mm->nprocs ? mm->nprocs : 1) * sizeof(uint32_t);
    uint32_t *owned = ps_calloc(mm->alloc, bytes), *shared = ps_calloc(mm->alloc, bytes);
    bool ok = owned && shared;
    if (!ok) snprintf(msg, n, "the AWE invariant could not be checked: out of memory");
    ok = ok && check_frames(mm, owned, shared, msg, n);
    for (uint32_t i = 0; ok && i < mm->nprocs; i++) {
        const mm_process_t *p = mm->procs[i];
        uint32_t mapped = 0;
        ok = check_regions(p, &mapped, msg, n);
        if (ok && (owned[i] != p->awe_frames || mapped != shared[i])) {
            snprintf(msg, n, "invariant 'AWE' broken in process %s: %u AWE frames (%u mapped), its count says %u and "
                             "its regions map %u", p->name, owned[i], shared[i], p->awe_frames, mapped);
            ok = false;
        }
    }
    ps_free(mm->alloc, owned, bytes);
    ps_free(mm->alloc, shared, bytes);
    return ok;
}
