/* The working-set and process-counter calls of psapi and kernel32:
 * GetProcessMemoryInfo, from the counters the memory manager keeps for a
 * process (mm_pte.c's one door keeps the working set and its peak; commits
 * keep the private commit and its peak). */
#include "mm_int.h"

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
