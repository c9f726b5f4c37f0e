/* The working-set and process-counter calls of psapi and kernel32:
 * GetProcessMemoryInfo, from the counters the memory manager keeps for a
 * process (mm_pte.c's one door keeps the working set and its peak; commits
 * keep the private commit and its peak); SetProcessWorkingSetSize and
 * GetProcessWorkingSetSize (the minimum bounds VirtualLock, mm_lock.c); and
 * EmptyWorkingSet, which trims every private page that is not locked to a
 * transition PTE: the frame keeps its contents and the next touch is a soft
 * fault; and QueryWorkingSet, the pages of the working set. */
#include "mm_int.h"
#include "pagesim/winsdk.h"

static uint32_t bytes(uint64_t pages)
{
    uint64_t b = pages * X86_PAGE_SIZE;
    return b > UINT32_MAX ? UINT32_MAX : (uint32_t)b;
}

void mm_process_memory_info(const mm_process_t *p, mm_pmc_t *pmc, strbuf_t *why)
{
    uint64_t faults = p->demand_zero + p->soft + p->hard + p->cow + p->guard + p->av;
    pmc->PageFaultCount = faults > UINT32_MAX ? UINT32_MAX : (uint32_t)faults;
    pmc->WorkingSetSize = bytes(p->ws);
    pmc->PeakWorkingSetSize = bytes(p->peak_ws);
    pmc->QuotaPeakPagedPoolUsage = pmc->QuotaPagedPoolUsage = 0;
    pmc->QuotaPeakNonPagedPoolUsage = pmc->QuotaNonPagedPoolUsage = 0;
    pmc->PagefileUsage = pmc->PrivateUsage = bytes(p->private_commit);
    pmc->PeakPagefileUsage = bytes(p->peak_commit);
    mm_say(why, "working set %u pages (its resident user pages; peak %u), private commit %llu pages (peak %llu), "
                "%llu page faults; not modelled: the pool quotas (the simulator has no kernel pools), shown as 0",
           p->ws, p->peak_ws, (unsigned long long)p->private_commit, (unsigned long long)p->peak_commit,
           (unsigned long long)faults);
}

/* MSDN SetProcessWorkingSetSize: a minimum above 0 but under 20 pages is
 * raised to 20; the maximum must be 13 pages or more and under the
 * system-wide maximum, the available pages less 512. */
#define WS_MIN_FLOOR 20u
#define WS_MAX_FLOOR 13u
#define WS_SYSTEM_RESERVE 512u

void mm_get_ws_size(const mm_process_t *p, uint32_t *min, uint32_t *max)
{
    *min = p->ws_min * X86_PAGE_SIZE;
    *max = p->ws_max * X86_PAGE_SIZE;
}

uint32_t mm_set_ws_size(mm_process_t *p, uint32_t min, uint32_t max, strbuf_t *why)
{
    if (min == 0xFFFFFFFFu && max == 0xFFFFFFFFu) return mm_empty_ws(p, why);
    uint32_t lo = min / X86_PAGE_SIZE, hi = max / X86_PAGE_SIZE;
    uint32_t frames = p->mm->nframes - p->mm->first_free_frame;
    uint32_t top = frames > WS_SYSTEM_RESERVE ? frames - WS_SYSTEM_RESERVE : 0;
    if (!min || !max)
        return mm_fail(why, ERROR_INVALID_PARAMETER, "the minimum and the maximum must be above 0 (both (SIZE_T)-1 "
                                                     "empties the working set)");
    if (min > max)
        return mm_fail(why, ERROR_INVALID_PARAMETER, "the minimum (0x%X) is above the maximum (0x%X)", min, max);
    if (hi < WS_MAX_FLOOR)
        return mm_fail(why, ERROR_INVALID_PARAMETER, "the maximum (%u pages) is under the %u pages Windows requires",
                       hi, WS_MAX_FLOOR);
    if (hi >= top)
        return mm_fail(why, ERROR_INVALID_PARAMETER, "the maximum (%u pages) is not under the system-wide maximum, "
                       "%u pages (the %u pages of user memory less %u)", hi, top, frames, WS_SYSTEM_RESERVE);
    if (lo < WS_MIN_FLOOR) lo = WS_MIN_FLOOR;
    p->ws_min = lo;
    p->ws_max = hi > lo ? hi : lo;
    mm_say(why, "working-set minimum %u pages%s, maximum %u pages: it may lock %u pages; not modelled: the maximum "
                "trims nothing (the simulator trims only at a wsmax= limit or when memory is full)",
           lo, min / X86_PAGE_SIZE < WS_MIN_FLOOR ? " (raised to the floor of 20)" : "", p->ws_max,
           lo > MM_LOCK_OVERHEAD ? lo - MM_LOCK_OVERHEAD : 0);
    return ERROR_SUCCESS;
}

void mm_ws_trim(mm_process_t *p, uint32_t va, uint32_t pte, pfn_t *e)
{
    /* A transition PTE has no dirty bit: a written page's page-file copy is
     * stale from now, so it goes (the frame is written out if it is ever
     * reclaimed, mm_paging.c). */
    if ((pte & X86_P) && (pte & X86_D) && e->slot) {
        mm_slot_free(p->mm, e->slot);
        e->slot = 0;
    }
    mm_set_pte(p, va, (pte & X86_FRAME_MASK) | SPTE_TRANSITION | spte_make(e->prot));
}

uint32_t mm_empty_ws(mm_process_t *p, strbuf_t *why)
{
    uint32_t trimmed = 0, shared = 0, kept = 0, locked = 0;
    for (const vad_t *v = vad_first(&p->vads); v; v = vad_next(&p->vads, v)) {
        mm_pte_cursor_t c;
        mm_pte_cursor_init(&c, p);
        for (uint64_t va = v->start; va < v->end; va += X86_PAGE_SIZE) {
            uint32_t pte = mm_pte_next(&c, (uint32_t)va);
            if (!c.table) va |= 0x3FF000u; /* no page table: on to the next 4 MB */
            if (!mm_in_working_set(p->mm, (uint32_t)va, pte)) continue;
            pfn_t *e = mm_pfn(p->mm, pte >> X86_PAGE_SHIFT);
            if (e && (e->flags & (PFN_USED | PFN_SECTION)) == (PFN_USED | PFN_SECTION)) {
                /* A view's page: its PTE goes back to the prototype, the
                 * frame stays the section's (or the file cache's), so the
                 * next touch is a soft fault; a dirty bit leaving the PTE
                 * marks a file page modified (mm_set_pte). */
                mm_set_pte(p, (uint32_t)va, SPTE_PROTOTYPE | spte_make(mm_page_prot_of(p, (uint32_t)va, pte)));
                mm_pte_cursor_init(&c, p);
                shared++;
                continue;
            }
            if (!e || !(e->flags & PFN_USED) || !mm_pfn_private(e)) {
                kept++;
                continue;
            }
            if (e->flags & PFN_LOCKED) {
                locked++;
                continue;
            }
            mm_ws_trim(p, (uint32_t)va, pte, e);
            mm_pte_cursor_init(&c, p); /* the table may have been stored anew */
            trimmed++;
        }
    }
    mm_say(why, "%u page%s left the working set to transition (each frame keeps its contents: the next touch is a soft "
                "fault); %u locked page%s stayed",
           trimmed, trimmed == 1 ? "" : "s", locked, locked == 1 ? "" : "s");
    if (shared)
        mm_say(why, "; %u page%s of views and images left it too (their PTEs back to the prototype, the frames the "
                    "section's or the file cache's: a soft fault brings each back)",
               shared, shared == 1 ? "" : "s");
    if (kept) mm_say(why, "; %u page%s of no kind the simulator trims stayed", kept, kept == 1 ? "" : "s");
    return ERROR_SUCCESS;
}

/* The entry of the valid page va (pte) of p. */
static void ws_entry(const mm_process_t *p, uint32_t va, uint32_t pte, mm_ws_entry_t *w)
{
    const pfn_t *e = mm_pfn_peek(p->mm, pte >> X86_PAGE_SHIFT);
    w->va = va;
    w->protection = mm_page_prot_of(p, va, pte);
    w->shared = e && (e->flags & PFN_SECTION);
    w->share_count = w->shared ? (e->share > 7 ? 7u : e->share) : 0;
}

uint32_t mm_query_ws(const mm_process_t *p, mm_ws_entry_t *out, uint32_t room, uint32_t *total, strbuf_t *why)
{
    uint32_t n = 0;
    for (const vad_t *v = vad_first(&p->vads); v; v = vad_next(&p->vads, v)) {
        mm_pte_cursor_t c;
        mm_pte_cursor_init(&c, p);
        for (uint64_t va = v->start; va < v->end; va += X86_PAGE_SIZE) {
            uint32_t pte = mm_pte_next(&c, (uint32_t)va);
            if (!c.table) va |= 0x3FF000u;
            if (!mm_in_working_set(p->mm, (uint32_t)va, pte)) continue;
            if (n < room) ws_entry(p, (uint32_t)va, pte, &out[n]);
            n++;
        }
    }
    *total = n;
    if (n > room)
        return mm_fail(why, ERROR_BAD_LENGTH, "the working set has %u page%s, room was given for %u", n,
                       n == 1 ? "" : "s", room);
    mm_say(why, "%u page%s in the working set; not modelled: the page tables and system pages Windows lists too", n,
           n == 1 ? "" : "s");
    return ERROR_SUCCESS;
}
