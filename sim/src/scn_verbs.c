/* The statement table: one row per statement of the scenario language. The
 * parser reads its syntax, --help its usage and summary, and the error
 * messages both. */
#include "scn_int.h"
#include <string.h>

#define E(n) { PK_EXPR, n, NULL, false }
#define OE(n) { PK_EXPR, n, NULL, true }
#define ARR(a) a, (unsigned)(sizeof a / sizeof a[0])

static const scn_param_t p_addr[] = { E("addr") };
static const scn_param_t p_paddr[] = { E("paddr") };
static const scn_param_t p_poke[] = { E("paddr"), E("value") };
static const scn_param_t p_value[] = { E("value") };
static const scn_param_t p_translate[] = {
    E("addr"), { PK_KEYWORD, "access", "read|write|exec", true }, { PK_KEYWORD, "mode", "user|kernel", true },
};
static const scn_param_t p_flush[] = { { PK_KEYWORD, "what", "tlb", false } };
static const scn_param_t p_process[] = { { PK_IDENT, "name", NULL, false } };
static const scn_param_t p_valloc[] = { E("addr"), E("size"), E("type"), E("protect") };
static const scn_param_t p_vfree[] = { E("addr"), E("size"), E("type") };
static const scn_param_t p_vprotect[] = { E("addr"), E("size"), E("protect") };
static const scn_param_t p_cfm[] = {
    E("file"), E("attributes"), E("protect"), E("sizeHigh"), E("sizeLow"), { PK_NAME_STR, "name", NULL, false },
};
static const scn_param_t p_mvof[] = { E("handle"), E("access"), E("offHigh"), E("offLow"), E("size") };
static const scn_param_t p_mvofex[] = { E("handle"), E("access"), E("offHigh"), E("offLow"), E("size"), E("base") };
static const scn_param_t p_handle[] = { E("handle") };
static const scn_param_t p_read[] = { E("addr"), OE("count") };
static const scn_param_t p_write[] = { E("addr"), { PK_BYTES, "value", NULL, false }, OE("count") };
static const scn_param_t p_touch[] = { E("addr"), E("size"), { PK_KEYWORD, "access", "read|write", true } };

static const scn_param_t p_address[] = { { PK_DASHWORD, "-summary", "summary", true }, OE("addr") };

static const char *const k_machine[] = { "ram", "tlb", NULL };
static const char *const k_config[] = {
    "ram", "pagefile", "tlb", "policy=fifo|clock|lru", "layout=empty|typical", "split", "wsmax", NULL,
};

enum { BOTH = SCN_ON_BARE | SCN_ON_PROCESS, PROC = SCN_ON_PROCESS, W32 = SCN_ON_PROCESS | SCN_ON_WIN32 };

static const scn_verb_t verbs[SCN_VERB_COUNT] = {
    { SCN_MACHINE, "machine", "machine bare ram=SIZE [tlb=N]",
      "first statement only: a bare x86 machine, no operating system", SCN_ON_BARE },
    { SCN_CONFIG, "config", "config KEY=VALUE ...",
      "before any other statement: ram= pagefile= tlb= policy= layout= split= wsmax=", SCN_ON_PROCESS },
    { SCN_PROCESS, "process", "process NAME", "create, or switch to, a process with its own page directory", PROC },
    { SCN_CR3, "cr3", "cr3 = PADDR", "load CR3 (the page directory base); flushes non-global TLB entries", SCN_ON_BARE },
    { SCN_CR0_WP, "cr0.wp", "cr0.wp = 0|1", "CR0.WP: whether supervisor writes obey read-only pages", SCN_ON_BARE },
    { SCN_CR4_PSE, "cr4.pse", "cr4.pse = 0|1", "CR4.PSE: whether PDE.PS maps 4 MB pages", SCN_ON_BARE },
    { SCN_CR4_PGE, "cr4.pge", "cr4.pge = 0|1", "CR4.PGE: global pages; a change flushes the whole TLB", SCN_ON_BARE },
    { SCN_POKE32, "poke32", "poke32 PADDR VALUE", "write a 32-bit little-endian word of physical memory", SCN_ON_BARE },
    { SCN_PEEK32, "peek32", "peek32 PADDR", "read a 32-bit little-endian word of physical memory", BOTH },
    { SCN_INVLPG, "invlpg", "invlpg ADDR", "invalidate the TLB entries for ADDR's page", BOTH },
    { SCN_FLUSH, "flush", "flush tlb", "empty the TLB, global entries too", BOTH },
    { SCN_TRANSLATE, "translate", "translate ADDR [read|write|exec] [user|kernel]",
      "the two-level walk of ADDR, step by step", BOTH },
    { SCN_STATS, "stats", "stats", "counters: faults, TLB hits and misses, walks, ...", BOTH },
    { SCN_MEMSTATUS, "memstatus", "memstatus", "GlobalMemoryStatus of the simulated machine", PROC },
    { SCN_EXPECT, "expect", "expect LHS == RHS",
      "check the previous statement (ret, error, old, exception, bytes, mbi.FIELD, phys, fault, tlb, pde, pte, "
      "value, stats.FIELD)", BOTH | SCN_ON_WIN32 },
    { SCN_VIRTUALALLOC, "VirtualAlloc", "[NAME =] VirtualAlloc(addr, size, type, protect)",
      "reserve and/or commit pages", W32 },
    { SCN_VIRTUALFREE, "VirtualFree", "VirtualFree(addr, size, type)", "decommit or release pages", W32 },
    { SCN_VIRTUALPROTECT, "VirtualProtect", "VirtualProtect(addr, size, protect)",
      "change the protection of committed pages", W32 },
    { SCN_VIRTUALQUERY, "VirtualQuery", "VirtualQuery(addr)", "MEMORY_BASIC_INFORMATION of the region at addr", W32 },
    { SCN_CREATEFILEMAPPING, "CreateFileMapping",
      "[NAME =] CreateFileMapping(INVALID_HANDLE_VALUE, NULL, protect, sizeHigh, sizeLow, \"name\"|NULL)",
      "a page-file-backed section", W32 },
    { SCN_MAPVIEWOFFILE, "MapViewOfFile", "[NAME =] MapViewOfFile(handle, access, offHigh, offLow, size)",
      "map a view of a section", W32 },
    { SCN_MAPVIEWOFFILEEX, "MapViewOfFileEx", "[NAME =] MapViewOfFileEx(handle, access, offHigh, offLow, size, base)",
      "map a view of a section at base", W32 },
    { SCN_UNMAPVIEWOFFILE, "UnmapViewOfFile", "UnmapViewOfFile(addr)", "unmap a view", W32 },
    { SCN_CLOSEHANDLE, "CloseHandle", "CloseHandle(handle)", "close a section handle", W32 },
    { SCN_GETSYSTEMINFO, "GetSystemInfo", "GetSystemInfo()",
      "page size, allocation granularity, application address range", W32 },
    { SCN_READ, "read", "read ADDR [COUNT]", "read COUNT bytes (default 1), one at a time", W32 },
    { SCN_WRITE, "write", "write ADDR VALUE [COUNT]", "write a byte COUNT times, or a string", W32 },
    { SCN_TOUCH, "touch", "touch ADDR SIZE [read|write]", "one access to every page of [ADDR, ADDR+SIZE)", W32 },
    { SCN_ADDRESS, "!address", "!address [-summary] [ADDR]",
      "the region list as WinDbg's !address prints it (one region with ADDR; totals with -summary)", PROC },
    { SCN_PTE, "!pte", "!pte ADDR", "the PDE and PTE of ADDR through the self-map, as WinDbg's !pte prints them",
      PROC },
    { SCN_VAD, "!vad", "!vad", "the allocation (VAD) tree, as WinDbg's !vad prints it", PROC },
};

static const scn_syntax_t syntax[SCN_VERB_COUNT] = {
    [SCN_MACHINE] = { FORM_KEYVAL, NULL, 0, false, k_machine, "bare" },
    [SCN_CONFIG] = { FORM_KEYVAL, NULL, 0, false, k_config, NULL },
    [SCN_PROCESS] = { FORM_COMMAND, ARR(p_process), false, NULL, NULL },
    [SCN_CR3] = { FORM_ASSIGN, ARR(p_value), false, NULL, NULL },
    [SCN_CR0_WP] = { FORM_ASSIGN, ARR(p_value), false, NULL, NULL },
    [SCN_CR4_PSE] = { FORM_ASSIGN, ARR(p_value), false, NULL, NULL },
    [SCN_CR4_PGE] = { FORM_ASSIGN, ARR(p_value), false, NULL, NULL },
    [SCN_POKE32] = { FORM_COMMAND, ARR(p_poke), false, NULL, NULL },
    [SCN_PEEK32] = { FORM_COMMAND, ARR(p_paddr), false, NULL, NULL },
    [SCN_INVLPG] = { FORM_COMMAND, ARR(p_addr), false, NULL, NULL },
    [SCN_FLUSH] = { FORM_COMMAND, ARR(p_flush), false, NULL, NULL },
    [SCN_TRANSLATE] = { FORM_COMMAND, ARR(p_translate), false, NULL, NULL },
    [SCN_STATS] = { FORM_COMMAND, NULL, 0, false, NULL, NULL },
    [SCN_MEMSTATUS] = { FORM_COMMAND, NULL, 0, false, NULL, NULL },
    [SCN_EXPECT] = { FORM_EXPECT, NULL, 0, false, NULL, NULL },
    [SCN_VIRTUALALLOC] = { FORM_CALL, ARR(p_valloc), true, NULL, NULL },
    [SCN_VIRTUALFREE] = { FORM_CALL, ARR(p_vfree), false, NULL, NULL },
    [SCN_VIRTUALPROTECT] = { FORM_CALL, ARR(p_vprotect), false, NULL, NULL },
    [SCN_VIRTUALQUERY] = { FORM_CALL, ARR(p_addr), false, NULL, NULL },
    [SCN_CREATEFILEMAPPING] = { FORM_CALL, ARR(p_cfm), true, NULL, NULL },
    [SCN_MAPVIEWOFFILE] = { FORM_CALL, ARR(p_mvof), true, NULL, NULL },
    [SCN_MAPVIEWOFFILEEX] = { FORM_CALL, ARR(p_mvofex), true, NULL, NULL },
    [SCN_UNMAPVIEWOFFILE] = { FORM_CALL, ARR(p_addr), false, NULL, NULL },
    [SCN_CLOSEHANDLE] = { FORM_CALL, ARR(p_handle), false, NULL, NULL },
    [SCN_GETSYSTEMINFO] = { FORM_CALL, NULL, 0, false, NULL, NULL },
    [SCN_READ] = { FORM_COMMAND, ARR(p_read), false, NULL, NULL },
    [SCN_WRITE] = { FORM_COMMAND, ARR(p_write), false, NULL, NULL },
    [SCN_TOUCH] = { FORM_COMMAND, ARR(p_touch), false, NULL, NULL },
    [SCN_ADDRESS] = { FORM_COMMAND, ARR(p_address), false, NULL, NULL },
    [SCN_PTE] = { FORM_COMMAND, ARR(p_addr), false, NULL, NULL },
    [SCN_VAD] = { FORM_COMMAND, NULL, 0, false, NULL, NULL },
};

#define MMU_FIELD(f) \
    static uint64_t get_##f(const scn_result_t *r) { return r->stats.f; }
#define MM_FIELD(f) \
    static uint64_t get_##f(const scn_result_t *r) { return r->mm_stats.f; }
MMU_FIELD(translations) MMU_FIELD(tlb_hits) MMU_FIELD(tlb_misses) MMU_FIELD(walks) MMU_FIELD(page_faults)
MMU_FIELD(accessed_sets) MMU_FIELD(dirty_sets) MMU_FIELD(tlb_fills) MMU_FIELD(tlb_evictions) MMU_FIELD(tlb_flushes)
MMU_FIELD(invlpgs)
MM_FIELD(demand_zero_faults) MM_FIELD(soft_faults) MM_FIELD(hard_faults) MM_FIELD(cow_faults)
MM_FIELD(access_violations) MM_FIELD(guard_faults) MM_FIELD(pagefile_reads) MM_FIELD(pagefile_writes)
MM_FIELD(page_table_pages) MM_FIELD(working_set) MM_FIELD(peak_working_set) MM_FIELD(private_commit)
MM_FIELD(commit_charge) MM_FIELD(commit_limit) MM_FIELD(free_frames) MM_FIELD(allocations)
static uint64_t get_page_size(const scn_result_t *r) { return r->sysinfo.page_size; }
static uint64_t get_granularity(const scn_result_t *r) { return r->sysinfo.granularity; }
static uint64_t get_min_app(const scn_result_t *r) { return r->sysinfo.min_app; }
static uint64_t get_max_app(const scn_result_t *r) { return r->sysinfo.max_app; }
static uint64_t get_load(const scn_result_t *r) { return r->memstatus.memory_load; }
static uint64_t get_total_phys(const scn_result_t *r) { return r->memstatus.total_phys; }
static uint64_t get_avail_phys(const scn_result_t *r) { return r->memstatus.avail_phys; }
static uint64_t get_total_pf(const scn_result_t *r) { return r->memstatus.total_pagefile; }
static uint64_t get_avail_pf(const scn_result_t *r) { return r->memstatus.avail_pagefile; }
static uint64_t get_total_virt(const scn_result_t *r) { return r->memstatus.total_virtual; }
static uint64_t get_avail_virt(const scn_result_t *r) { return r->memstatus.avail_virtual; }

#define S(f) { "stats", #f, SCN_HAS_STATS, get_##f }
#define M(f) { "stats", #f, SCN_HAS_MMSTATS, get_##f }
const scn_field_t scn_fields[] = {
    S(translations), S(tlb_hits), S(tlb_misses), S(walks), S(page_faults), S(accessed_sets), S(dirty_sets),
    S(tlb_fills), S(tlb_evictions), S(tlb_flushes), S(invlpgs),
    M(demand_zero_faults), M(soft_faults), M(hard_faults), M(cow_faults), M(access_violations), M(guard_faults),
    M(pagefile_reads), M(pagefile_writes), M(page_table_pages), M(working_set), M(peak_working_set),
    M(private_commit), M(commit_charge), M(commit_limit), M(free_frames), M(allocations),
    { "si", "dwPageSize", SCN_HAS_SYSINFO, get_page_size },
    { "si", "dwAllocationGranularity", SCN_HAS_SYSINFO, get_granularity },
    { "si", "lpMinimumApplicationAddress", SCN_HAS_SYSINFO, get_min_app },
    { "si", "lpMaximumApplicationAddress", SCN_HAS_SYSINFO, get_max_app },
    { "ms", "dwMemoryLoad", SCN_HAS_MEMSTATUS, get_load },
    { "ms", "dwTotalPhys", SCN_HAS_MEMSTATUS, get_total_phys },
    { "ms", "dwAvailPhys", SCN_HAS_MEMSTATUS, get_avail_phys },
    { "ms", "dwTotalPageFile", SCN_HAS_MEMSTATUS, get_total_pf },
    { "ms", "dwAvailPageFile", SCN_HAS_MEMSTATUS, get_avail_pf },
    { "ms", "dwTotalVirtual", SCN_HAS_MEMSTATUS, get_total_virt },
    { "ms", "dwAvailVirtual", SCN_HAS_MEMSTATUS, get_avail_virt },
};
const unsigned scn_nfields = sizeof scn_fields / sizeof scn_fields[0];

const scn_verb_t *scn_verbs(void)
{
    return verbs;
}

const scn_syntax_t *scn_syntax(scn_verb_id_t id)
{
    return &syntax[id];
}

const scn_verb_t *scn_verb_find(const char *name, size_t n)
{
    for (unsigned i = 0; i < SCN_VERB_COUNT; i++)
        if (strlen(verbs[i].name) == n && memcmp(verbs[i].name, name, n) == 0) return &verbs[i];
    return NULL;
}
