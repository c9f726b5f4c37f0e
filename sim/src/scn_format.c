/* Results as JSON Lines (the contract) and as prose. */
#include "pagesim/format.h"
#include "pagesim/winsdk.h"
#include "pagesim/winconst.h"
#include "scn_int.h"
#include <inttypes.h>
#include <string.h>

static void json_hex(strbuf_t *b, const char *key, uint32_t v)
{
    strbuf_printf(b, ",\"%s\":\"0x%08" PRIX32 "\"", key, v);
}

static void json_walk(strbuf_t *b, const mmu_walk_t *w)
{
    strbuf_printf(b, ",\"va\":\"0x%08" PRIX32 "\",\"access\":\"%s\",\"mode\":\"%s\"", w->va, mmu_access_str(w->access),
                  mmu_mode_str(w->mode));
    strbuf_printf(b, ",\"pde_index\":%" PRIu32 ",\"pte_index\":%" PRIu32 ",\"offset\":%" PRIu32, X86_PDE_INDEX(w->va),
                  X86_PTE_INDEX(w->va), w->large ? X86_LARGE_OFFSET(w->va) : X86_PAGE_OFFSET(w->va));
    if (w->nlevels >= 1) {
        json_hex(b, "pde_addr", w->level[0].entry_addr);
        json_hex(b, "pde", w->level[0].value);
    }
    if (w->nlevels >= 2) {
        json_hex(b, "pte_addr", w->level[1].entry_addr);
        json_hex(b, "pte", w->level[1].value);
    }
    strbuf_printf(b, ",\"large\":%s,\"tlb\":\"%s\"", w->large ? "true" : "false", mmu_tlb_use_str(w->tlb));
    if (w->dirty_rewalk) strbuf_puts(b, ",\"tlb_dirty_rewalk\":true");
    if (w->reason == MMU_OK) {
        json_hex(b, "phys", w->phys);
    } else {
        strbuf_printf(b, ",\"fault\":{\"vector\":\"#PF\",\"error_code\":%" PRIu32 "},\"reason\":", w->error_code);
        const char *r = mmu_reason_str(w->reason);
        strbuf_json_str(b, r, strlen(r));
    }
}

static void json_protect(strbuf_t *b, const char *key, uint32_t prot)
{
    strbuf_printf(b, ",\"%s\":\"", key);
    wc_format_protect(b, prot);
    strbuf_putc(b, '"');
}

static void json_mem(strbuf_t *b, const char *key, uint32_t v)
{
    strbuf_printf(b, ",\"%s\":\"", key);
    wc_format_mem(b, v);
    strbuf_putc(b, '"');
}

static void json_mbi(strbuf_t *b, const scn_result_t *res)
{
    const mm_mbi_t *m = &res->mbi;
    strbuf_puts(b, ",\"mbi\":{\"BaseAddress\":");
    strbuf_json_str(b, res->mbi_base, strlen(res->mbi_base));
    strbuf_puts(b, ",\"AllocationBase\":");
    strbuf_json_str(b, res->mbi_alloc, strlen(res->mbi_alloc));
    json_protect(b, "AllocationProtect", m->AllocationProtect);
    strbuf_printf(b, ",\"RegionSize\":\"0x%" PRIX32 "\"", m->RegionSize);
    json_mem(b, "State", m->State);
    json_protect(b, "Protect", m->Protect);
    json_mem(b, "Type", m->Type);
    strbuf_putc(b, '}');
}

/* An exception code by its SDK name, else as the number it is. */
static void put_exception(strbuf_t *b, uint32_t code)
{
    const char *name = wc_exception_name(code);
    if (name) strbuf_puts(b, name);
    else strbuf_printf(b, "0x%08" PRIX32, code);
}

static const char *access_name(mmu_access_t a)
{
    return a == MMU_WRITE ? "write" : a == MMU_EXEC ? "execute" : "read";
}

/* n bytes as lower-case hex digits, a block at a time (a read may be 16 MB). */
static void put_hex(strbuf_t *b, const uint8_t *bytes, uint32_t n)
{
    static const char digits[] = "0123456789abcdef";
    char block[512];
    for (uint32_t i = 0; i < n;) {
        size_t k = 0;
        for (; i < n && k < sizeof block; i++) {
            block[k++] = digits[bytes[i] >> 4];
            block[k++] = digits[bytes[i] & 15];
        }
        strbuf_append(b, block, k);
    }
}

static void json_exception(strbuf_t *b, const scn_result_t *res)
{
    strbuf_puts(b, ",\"exception\":\"");
    put_exception(b, res->exc.code);
    strbuf_printf(b, "\",\"access\":\"%s\",\"fault_addr\":", access_name(res->exc.access));
    strbuf_json_str(b, res->exc_addr, strlen(res->exc_addr));
}

/* The counters expect knows as stats.NAME, as "NAME":value. */
/* The current thread's stack (thread, push, pop, alloca). */
static void json_stack(strbuf_t *b, const scn_result_t *res)
{
    strbuf_puts(b, ",\"thread\":");
    strbuf_json_str(b, res->name, strlen(res->name));
    if (res->verb == SCN_THREAD) strbuf_printf(b, ",\"created\":%s", res->created ? "true" : "false");
    json_hex(b, "StackBase", res->stack_base);
    json_hex(b, "StackLimit", res->stack_limit);
    json_hex(b, "DeallocationStack", res->dealloc_stack);
    if (res->guard) json_hex(b, "guard", res->guard);
    else strbuf_puts(b, ",\"guard\":null");
    json_hex(b, "esp", res->esp);
}

static void json_counters(strbuf_t *b, const scn_result_t *res, unsigned result)
{
    for (unsigned k = 0; k < scn_nfields; k++)
        if (scn_fields[k].result == result)
            strbuf_printf(b, ",\"%s\":%" PRIu64, strchr(scn_fields[k].name, '.') + 1,
                          scn_field_count(&scn_fields[k], res));
}

/* GetProcessMemoryInfo's counters, by their PROCESS_MEMORY_COUNTERS_EX
 * names. */
static void json_pmc(strbuf_t *b, const mm_pmc_t *m)
{
    strbuf_printf(b, ",\"PageFaultCount\":%" PRIu32 ",\"PeakWorkingSetSize\":%" PRIu32 ",\"WorkingSetSize\":%" PRIu32
                  ",\"QuotaPeakPagedPoolUsage\":%" PRIu32 ",\"QuotaPagedPoolUsage\":%" PRIu32
                  ",\"QuotaPeakNonPagedPoolUsage\":%" PRIu32 ",\"QuotaNonPagedPoolUsage\":%" PRIu32
                  ",\"PagefileUsage\":%" PRIu32 ",\"PeakPagefileUsage\":%" PRIu32 ",\"PrivateUsage\":%" PRIu32,
                  m->PageFaultCount, m->PeakWorkingSetSize, m->WorkingSetSize, m->QuotaPeakPagedPoolUsage,
                  m->QuotaPagedPoolUsage, m->QuotaPeakNonPagedPoolUsage, m->QuotaNonPagedPoolUsage, m->PagefileUsage,
                  m->PeakPagefileUsage, m->PrivateUsage);
}

/* GetWriteWatch's addresses: the address strings, one space apart (as
 * expect compares them). */
static void json_watch(strbuf_t *b, const scn_result_t *res)
{
    strbuf_printf(b, ",\"granularity\":%" PRIu32 ",\"addresses\":", res->granularity);
    strbuf_json_str(b, res->addresses, strlen(res->addresses));
}

void scn_format_json(strbuf_t *b, const scn_result_t *res)
{
    strbuf_printf(b, "{\"line\":%" PRIu32 ",\"op\":", res->line);
    strbuf_json_str(b, res->op, strlen(res->op));
    if (res->has & SCN_HAS_SKIPPED) {
        strbuf_puts(b, ",\"skipped\":");
        strbuf_json_str(b, res->skipped, strlen(res->skipped));
    }
    if (res->has & SCN_HAS_MACHINE)
        strbuf_printf(b, ",\"ram\":%" PRIu64 ",\"tlb\":%" PRIu32, res->ram, res->tlb_entries);
    if (res->has & SCN_HAS_REG) {
        if (res->verb == SCN_CR3) json_hex(b, "value", res->reg_value);
        else strbuf_printf(b, ",\"value\":%" PRIu32, res->reg_value);
    }
    if (res->has & SCN_HAS_VALUE) {
        json_hex(b, "paddr", res->paddr);
        json_hex(b, "value", res->value);
    }
    if (res->has & SCN_HAS_OK) {
        strbuf_printf(b, ",\"ok\":%s", res->ok ? "true" : "false");
        if (!res->ok) {
            const char *en = wc_error_name(res->error);
            strbuf_printf(b, ",\"error\":%" PRIu32 ",\"error_name\":", res->error);
            if (en) strbuf_json_str(b, en, strlen(en));
            else strbuf_puts(b, "null");
        }
    }
    if (res->has & (SCN_HAS_ADDR | SCN_HAS_HANDLE)) {
        strbuf_puts(b, ",\"ret\":");
        strbuf_json_str(b, res->ret_str, strlen(res->ret_str));
    } else if ((res->has & SCN_HAS_RET) && res->verb != SCN_PEEK32) {
        strbuf_printf(b, ",\"ret\":%" PRIu32, res->ret);
    }
    if (res->has & SCN_HAS_CONFLICT) strbuf_puts(b, ",\"conflict\":true");
    if (res->has & SCN_HAS_TEXT) {
        strbuf_puts(b, ",\"text\":");
        strbuf_json_str(b, res->text, strlen(res->text));
    }
    if (res->has & SCN_HAS_STACK) json_stack(b, res);
    if (res->has & SCN_HAS_NAME) {
        strbuf_puts(b, ",\"name\":");
        strbuf_json_str(b, res->name, strlen(res->name));
    }
    if (res->has & SCN_HAS_PROCESS) {
        strbuf_puts(b, ",\"process\":");
        strbuf_json_str(b, res->name, strlen(res->name));
        strbuf_printf(b, ",\"created\":%s", res->created ? "true" : "false");
    }
    if (res->has & SCN_HAS_OLD) json_protect(b, "old", res->old);
    if (res->has & SCN_HAS_MBI) json_mbi(b, res);
    if (res->has & SCN_HAS_BYTES) {
        strbuf_puts(b, ",\"bytes\":\"");
        put_hex(b, res->bytes, res->nbytes);
        strbuf_putc(b, '"');
    }
    if (res->has & SCN_HAS_COUNT) strbuf_printf(b, ",\"count\":%" PRIu32, res->count);
    if (res->has & SCN_HAS_WATCH) json_watch(b, res);
    if (res->has & SCN_HAS_PMC) json_pmc(b, &res->pmc);
    if (res->has & SCN_HAS_WSLIST) {
        strbuf_printf(b, ",\"NumberOfEntries\":%" PRIu32 ",\"entries\":", res->count);
        strbuf_json_str(b, res->addresses, strlen(res->addresses));
    }
    if (res->has & SCN_HAS_WSSIZE)
        strbuf_printf(b, ",\"MinimumWorkingSetSize\":%" PRIu32 ",\"MaximumWorkingSetSize\":%" PRIu32, res->ws_min,
                      res->ws_max);
    if (res->has & SCN_HAS_SYSINFO) {
        const mm_sysinfo_t *si = &res->sysinfo;
        strbuf_printf(b, ",\"dwPageSize\":%" PRIu32 ",\"dwAllocationGranularity\":%" PRIu32, si->page_size,
                      si->granularity);
        strbuf_printf(b, ",\"lpMinimumApplicationAddress\":\"%s\",\"lpMaximumApplicationAddress\":\"%s\"",
                      res->min_app, res->max_app);
    }
    if (res->has & SCN_HAS_MEMSTATUS) {
        const mm_memstatus_t *m = &res->memstatus;
        strbuf_printf(b, ",\"dwMemoryLoad\":%" PRIu32 ",\"dwTotalPhys\":%" PRIu64 ",\"dwAvailPhys\":%" PRIu64
                      ",\"dwTotalPageFile\":%" PRIu64 ",\"dwAvailPageFile\":%" PRIu64 ",\"dwTotalVirtual\":%" PRIu64
                      ",\"dwAvailVirtual\":%" PRIu64, m->memory_load, m->total_phys, m->avail_phys,
                      m->total_pagefile, m->avail_pagefile, m->total_virtual, m->avail_virtual);
    }
    if (res->has & SCN_HAS_WALK) json_walk(b, &res->walk);
    if (res->has & SCN_HAS_RESOLVED) {
        const char *rs = mm_resolution_str(res->resolved);
        strbuf_printf(b, ",\"resolved\":\"%s\"", rs);
        if (res->retried) {
            strbuf_puts(b, ",\"after\":{");
            if (res->retry.nlevels >= 2) strbuf_printf(b, "\"pte\":\"0x%08" PRIX32 "\",", res->retry.level[1].value);
            if (res->retry.reason == MMU_OK) strbuf_printf(b, "\"phys\":\"0x%08" PRIX32 "\"}", res->retry.phys);
            else strbuf_printf(b, "\"error_code\":%" PRIu32 "}", res->retry.error_code);
        }
    }
    if (res->has & SCN_HAS_EXC) json_exception(b, res);
    if (res->has & SCN_HAS_INVAL) strbuf_printf(b, ",\"invalidated\":%" PRIu32, res->invalidated);
    if (res->has & SCN_HAS_MMSTATS) json_counters(b, res, SCN_R_MMSTATS);
    if (res->has & SCN_HAS_STATS) json_counters(b, res, SCN_R_STATS);
    if (res->has & SCN_HAS_EXPECT) {
        strbuf_printf(b, ",\"ok\":%s", res->expect_ok ? "true" : "false");
        if (!res->expect_ok) {
            strbuf_puts(b, ",\"actual\":");
            strbuf_json_str(b, res->actual, strlen(res->actual));
            strbuf_puts(b, ",\"expected\":");
            strbuf_json_str(b, res->expected, strlen(res->expected));
        }
    }
    strbuf_puts(b, "}\n");
}

static void text_stats(strbuf_t *b, const mmu_stats_t *s)
{
    strbuf_printf(b, "    translations %" PRIu64 ": TLB hits %" PRIu64 ", misses %" PRIu64 ", walks through memory %" PRIu64
                  "\n", s->translations, s->tlb_hits, s->tlb_misses, s->walks);
    strbuf_printf(b, "    page faults %" PRIu64 "; accessed flags set %" PRIu64 ", dirty flags set %" PRIu64 "\n",
                  s->page_faults, s->accessed_sets, s->dirty_sets);
    strbuf_printf(b, "    TLB fills %" PRIu64 ", evictions %" PRIu64 ", flushes %" PRIu64 ", invlpg %" PRIu64 "\n",
                  s->tlb_fills, s->tlb_evictions, s->tlb_flushes, s->invlpgs);
}

static void text_mbi(strbuf_t *b, const scn_result_t *res)
{
    const mm_mbi_t *m = &res->mbi;
    strbuf_printf(b, "    BaseAddress       %s (0x%08" PRIX32 ")\n", res->mbi_base, m->BaseAddress);
    strbuf_printf(b, "    AllocationBase    %s\n    AllocationProtect ", res->mbi_alloc);
    wc_format_protect(b, m->AllocationProtect);
    strbuf_printf(b, "\n    RegionSize        0x%" PRIX32 " (%" PRIu32 " pages, 0x%08" PRIX32 "-0x%08" PRIX32 ")\n",
                  m->RegionSize, m->RegionSize / 4096, m->BaseAddress, m->BaseAddress + m->RegionSize - 1);
    strbuf_puts(b, "    State             ");
    wc_format_mem(b, m->State);
    strbuf_puts(b, "\n    Protect           ");
    wc_format_protect(b, m->Protect);
    strbuf_puts(b, "\n    Type              ");
    wc_format_mem(b, m->Type);
    strbuf_putc(b, '\n');
}

static void text_mm_stats(strbuf_t *b, const mm_stats_t *s)
{
    strbuf_printf(b, "    page faults: demand-zero %" PRIu64 ", soft %" PRIu64 ", hard %" PRIu64 ", copy-on-write %" PRIu64
                  "; access violations %" PRIu64 ", guard pages %" PRIu64 " (stack growths %" PRIu64
                  ", stack overflows %" PRIu64 ")\n",
                  s->demand_zero_faults, s->soft_faults, s->hard_faults, s->cow_faults, s->access_violations,
                  s->guard_faults, s->stack_growths, s->stack_overflows);
    strbuf_printf(b, "    page file: %" PRIu64 " reads, %" PRIu64 " writes\n", s->pagefile_reads, s->pagefile_writes);
    if (s->file_reads || s->file_writes)
        strbuf_printf(b, "    mapped files: %" PRIu64 " pages read, %" PRIu64 " written back\n", s->file_reads,
                      s->file_writes);
    strbuf_printf(b, "    working set %" PRIu32 " pages (peak %" PRIu32 "), page tables %" PRIu32 " pages, %" PRIu32
                  " allocations\n", s->working_set, s->peak_working_set, s->page_table_pages, s->allocations);
    strbuf_printf(b, "    commit: this process 0x%" PRIX64 " bytes; system 0x%" PRIX64 " of a 0x%" PRIX64
                  " limit; %" PRIu32 " free frames\n", s->private_commit, s->commit_charge, s->commit_limit,
                  s->free_frames);
}

static void text_process(strbuf_t *b, const scn_result_t *res)
{
    if (res->has & SCN_HAS_SKIPPED) {
        strbuf_printf(b, "    skipped: %s\n", res->skipped);
        return;
    }
    if ((res->has & SCN_HAS_PROCESS) && (!(res->has & SCN_HAS_OK) || res->ok))
        strbuf_printf(b, "    %s process %s (its own page directory; CR3 loaded)\n",
                      res->created ? "created" : "switched to", res->name);
    else if (res->has & SCN_HAS_PROCESS)
        strbuf_printf(b, "    process %s could not be created; the current process stays\n", res->name);
    if (res->has & SCN_HAS_OK) {
        if (res->ok) {
            strbuf_puts(b, "    succeeded");
            if (res->has & (SCN_HAS_ADDR | SCN_HAS_HANDLE)) strbuf_printf(b, ": returned %s", res->ret_str);
            if ((res->has & SCN_HAS_ADDR) && res->ret) strbuf_printf(b, " (0x%08" PRIX32 ")", res->ret);
            if (res->verb == SCN_SETFILEPOINTER || res->verb == SCN_GETFILESIZE)
                strbuf_printf(b, ": returned %" PRIu32 " (0x%" PRIX32 ")", res->ret, res->ret);
            if (res->has & SCN_HAS_OLD) {
                strbuf_puts(b, ", old protection ");
                wc_format_protect(b, res->old);
            }
            strbuf_putc(b, '\n');
        } else {
            const char *en = wc_error_name(res->error);
            strbuf_printf(b, "    FAILED with %s (%" PRIu32 ")\n", en ? en : "an error", res->error);
        }
    }
    if (res->has & SCN_HAS_MBI) text_mbi(b, res);
    if (res->has & SCN_HAS_STACK) {
        strbuf_printf(b, "    thread %s%s: StackBase 0x%08" PRIX32 ", StackLimit 0x%08" PRIX32 ", DeallocationStack 0x%08"
                      PRIX32 ", ", res->name, res->created ? " (created)" : "", res->stack_base, res->stack_limit,
                      res->dealloc_stack);
        if (res->guard) strbuf_printf(b, "guard page 0x%08" PRIX32, res->guard);
        else strbuf_puts(b, "no guard page left");
        strbuf_printf(b, ", esp 0x%08" PRIX32 "\n", res->esp);
    }
    if (res->has & SCN_HAS_BYTES) {
        strbuf_printf(b, "    %" PRIu32 " byte%s:", res->nbytes, res->nbytes == 1 ? "" : "s");
        for (uint32_t i = 0; i < res->nbytes && i < 64; i++) strbuf_printf(b, " %02x", res->bytes[i]);
        if (res->nbytes > 64) strbuf_puts(b, " ...");
        strbuf_putc(b, '\n');
    }
    if ((res->has & SCN_HAS_COUNT) && res->verb == SCN_TOUCH)
        strbuf_printf(b, "    touched %" PRIu32 " page%s\n", res->count, res->count == 1 ? "" : "s");
    if ((res->has & SCN_HAS_COUNT) && (res->verb == SCN_READFILE || res->verb == SCN_WRITEFILE))
        strbuf_printf(b, "    %s %" PRIu32 " byte%s\n", res->verb == SCN_READFILE ? "read" : "wrote", res->count,
                      res->count == 1 ? "" : "s");
    if ((res->has & SCN_HAS_COUNT) &&
        (res->verb == SCN_ALLOCATEUSERPHYSICALPAGES || res->verb == SCN_FREEUSERPHYSICALPAGES))
        strbuf_printf(b, "    %" PRIu32 " page%s %s\n", res->count, res->count == 1 ? "" : "s",
                      res->verb == SCN_FREEUSERPHYSICALPAGES ? "freed" : "of physical memory");
    if ((res->has & SCN_HAS_COUNT) && res->verb == SCN_WRITE)
        strbuf_printf(b, "    wrote %" PRIu32 " byte%s\n", res->count, res->count == 1 ? "" : "s");
    if (res->has & SCN_HAS_PMC)
        strbuf_printf(b, "    PageFaultCount %" PRIu32 "\n    WorkingSetSize 0x%" PRIX32 " (peak 0x%" PRIX32
                      ")\n    PagefileUsage 0x%" PRIX32 " (peak 0x%" PRIX32 "), PrivateUsage 0x%" PRIX32 "\n",
                      res->pmc.PageFaultCount, res->pmc.WorkingSetSize, res->pmc.PeakWorkingSetSize,
                      res->pmc.PagefileUsage, res->pmc.PeakPagefileUsage, res->pmc.PrivateUsage);
    if (res->has & SCN_HAS_WSLIST)
        strbuf_printf(b, "    %" PRIu32 " page%s in the working set%s%s\n", res->count, res->count == 1 ? "" : "s",
                      res->ok && res->count ? ": " : "", res->ok ? res->addresses : "");
    if (res->has & SCN_HAS_WSSIZE)
        strbuf_printf(b, "    minimum 0x%" PRIX32 " (%" PRIu32 " pages), maximum 0x%" PRIX32 " (%" PRIu32 " pages)\n", res->ws_min,
                      res->ws_min / 4096u, res->ws_max, res->ws_max / 4096u);
    if ((res->has & SCN_HAS_WATCH) && res->ok)
        strbuf_printf(b, "    %" PRIu32 " page%s written%s%s\n", res->count, res->count == 1 ? "" : "s",
                      res->count ? ": " : "", res->addresses);
    if (res->has & SCN_HAS_EXC)
    {
        strbuf_puts(b, "    ");
        put_exception(b, res->exc.code);
        strbuf_printf(b, ": %s at %s\n", access_name(res->exc.access), res->exc_addr);
    }
    if (res->has & SCN_HAS_SYSINFO)
        strbuf_printf(b, "    dwPageSize 0x%" PRIX32 ", dwAllocationGranularity 0x%" PRIX32
                      ", application addresses %s-%s\n", res->sysinfo.page_size, res->sysinfo.granularity,
                      res->min_app, res->max_app);
    if (res->has & SCN_HAS_MEMSTATUS) {
        const mm_memstatus_t *m = &res->memstatus;
        strbuf_printf(b, "    dwMemoryLoad %" PRIu32 "%%\n    dwTotalPhys     %12" PRIu64 "  dwAvailPhys     %12" PRIu64
                      "\n    dwTotalPageFile %12" PRIu64 "  dwAvailPageFile %12" PRIu64 "\n    dwTotalVirtual  %12" PRIu64
                      "  dwAvailVirtual  %12" PRIu64 "\n", m->memory_load, m->total_phys, m->avail_phys,
                      m->total_pagefile, m->avail_pagefile, m->total_virtual, m->avail_virtual);
    }
    if (res->has & SCN_HAS_TEXT) strbuf_puts(b, res->text);
}

/* Prose for the statements whose results need words of their own: each
 * statement's row names its function (scn_verbs.c); the others are told
 * by text_process from what their results have. ---------------------------- */

void scn_text_machine(strbuf_t *b, const scn_result_t *res)
{
    strbuf_printf(b, "    a bare x86 machine: %" PRIu64 " KB of physical memory, ", res->ram / 1024);
    if (res->tlb_entries) strbuf_printf(b, "a %" PRIu32 "-entry TLB", res->tlb_entries);
    else strbuf_puts(b, "no TLB");
    strbuf_puts(b, "; paging on, CR0.WP=0, CR4.PSE=0, CR4.PGE=0\n");
}

void scn_text_cr3(strbuf_t *b, const scn_result_t *res)
{
    strbuf_printf(b, "    CR3 = 0x%08" PRIX32 ": the page directory is at physical 0x%08" PRIX32
                  "; %" PRIu32 " non-global TLB entr%s flushed\n",
                  res->reg_value, res->reg_value & X86_CR3_BASE, res->invalidated, res->invalidated == 1 ? "y" : "ies");
}

void scn_text_cr0_wp(strbuf_t *b, const scn_result_t *res)
{
    strbuf_printf(b, "    CR0.WP = %" PRIu32 ": supervisor writes %s read-only pages\n", res->reg_value,
                  res->reg_value ? "fault on" : "may write");
}

void scn_text_cr4_pse(strbuf_t *b, const scn_result_t *res)
{
    strbuf_printf(b, "    CR4.PSE = %" PRIu32 ": a PDE with PS=1 %s\n", res->reg_value,
                  res->reg_value ? "maps a 4 MB page" : "is an ordinary PDE (PS ignored)");
}

void scn_text_cr4_pge(strbuf_t *b, const scn_result_t *res)
{
    strbuf_printf(b, "    CR4.PGE = %" PRIu32 ": global entries %s a CR3 load; the change flushed %" PRIu32
                  " TLB entr%s\n", res->reg_value, res->reg_value ? "survive" : "do not survive",
                  res->invalidated, res->invalidated == 1 ? "y" : "ies");
}

void scn_text_poke32(strbuf_t *b, const scn_result_t *res)
{
    strbuf_printf(b, "    physical [0x%08" PRIX32 "] <- 0x%08" PRIX32 "\n", res->paddr, res->value);
}

void scn_text_peek32(strbuf_t *b, const scn_result_t *res)
{
    strbuf_printf(b, "    physical [0x%08" PRIX32 "] = 0x%08" PRIX32 "\n", res->paddr, res->value);
}

void scn_text_tlb(strbuf_t *b, const scn_result_t *res)
{
    strbuf_printf(b, "    %" PRIu32 " TLB entr%s invalidated\n", res->invalidated, res->invalidated == 1 ? "y" : "ies");
}

void scn_text_translate(strbuf_t *b, const scn_result_t *res)
{
    fmt_walk_text(b, &res->walk, "    ");
    if (!(res->has & SCN_HAS_RESOLVED)) return;
    strbuf_printf(b, "    memory manager: %s\n", mm_resolution_str(res->resolved));
    if (res->has & SCN_HAS_EXC) {
        strbuf_puts(b, "    the process gets ");
        put_exception(b, res->exc.code);
        strbuf_putc(b, '\n');
    }
    if (res->retried) {
        strbuf_puts(b, "    the access is retried:\n");
        fmt_walk_text(b, &res->retry, "      ");
    }
}

void scn_text_stats(strbuf_t *b, const scn_result_t *res)
{
    if (res->has & SCN_HAS_MMSTATS) text_mm_stats(b, &res->mm_stats);
    text_stats(b, &res->stats);
}

void scn_text_expect(strbuf_t *b, const scn_result_t *res)
{
    if (res->expect_ok) strbuf_puts(b, "    ok\n");
    else strbuf_printf(b, "    FAILED: expected %s, got %s\n", res->expected, res->actual);
}

void scn_format_text(strbuf_t *b, const scn_script_t *s, const scn_result_t *res)
{
    size_t n;
    const char *src = scn_script_source(s, res->index, &n);
    while (n && (*src == ' ' || *src == '\t')) {
        src++;
        n--;
    }
    strbuf_printf(b, "%4" PRIu32 " | ", res->line);
    strbuf_put_safe(b, src, n, 200);
    strbuf_putc(b, '\n');
    const scn_row_t *row = scn_row(res->verb);
    if (row->text) row->text(b, res);
    else text_process(b, res);
    if (res->why) {
        bool failed = ((res->has & SCN_HAS_OK) && !res->ok) || (res->has & SCN_HAS_EXC);
        strbuf_printf(b, "    %s: %s\n", failed ? "why" : "note", res->why);
    }
}
