/* The statement table: one row per statement of the scenario language, with
 * everything about it: its name, usage and summary (for --help, the language
 * reference and the error messages), where it runs, its syntax (for the
 * parser), what expect may check after it, and its handler. Adding a
 * statement is one row here and one handler. */
#include "scn_check.h"
#include "scn_run_int.h"
#include <stdio.h>
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

/* Heaps. */
static const scn_param_t p_heapcreate[] = { E("options"), E("initialSize"), E("maximumSize") };
static const scn_param_t p_heap1[] = { E("heap") };
static const scn_param_t p_heapalloc[] = { E("heap"), E("flags"), E("size") };
static const scn_param_t p_heaprealloc[] = { E("heap"), E("flags"), E("ptr"), E("size") };
static const scn_param_t p_heapptr[] = { E("heap"), E("flags"), E("ptr") };
static const scn_param_t p_size[] = { E("size") };
static const scn_param_t p_calloc[] = { E("count"), E("size") };
static const scn_param_t p_realloc[] = { E("ptr"), E("size") };
static const scn_param_t p_ptr[] = { E("ptr") };
static const scn_param_t p_heapview[] = { { PK_DASHWORD, "-a", "a", true }, OE("addr") };

static const scn_param_t p_address[] = { { PK_DASHWORD, "-summary", "summary", true }, OE("addr") };

static const scn_key_t k_machine[] = {
    { "ram", NULL, "physical memory: a multiple of 4K, from 4K to 4G (required)" },
    { "tlb", NULL, "TLB entries, 0 for none (default 64, at most 65536)" },
    { NULL, NULL, NULL },
};
/* In the order of SCN_CONFIG_* (scn_check.h). */
static const scn_key_t k_config[] = {
    { "ram", NULL, "physical memory: a multiple of 4K from 8M to 4G (default 1G)" },
    { "pagefile", NULL, "page-file size: a multiple of 4K up to 4G (default 1.5G; the commit limit is RAM plus it)" },
    { "tlb", NULL, "TLB entries, 0 for none (default 64)" },
    { "policy", "fifo|clock|lru", "which resident page leaves memory when no frame is free (default clock)" },
    { "layout", "empty|typical", "an empty address space, or a typical process with image, stack, heap, PEB/TEB and "
                                 "KUSER_SHARED_DATA (default typical)" },
    { "split", NULL, "2G, or 3G for the /3GB switch (user space up to 0xBFFEFFFF)" },
    { "wsmax", NULL, "a working-set limit in pages for every process; 0, the default, for none" },
    { "compare", "yes|no", "no: the scenario needs this simulated machine (its configuration or its layout), so "
                           "`pagesim compare` does not run it on real Windows (default yes)" },
    { NULL, NULL, NULL },
};

enum { BOTH = SCN_ON_BARE | SCN_ON_PROCESS, PROC = SCN_ON_PROCESS, W32 = SCN_ON_PROCESS | SCN_ON_WIN32 };

#define CALL(p, binds) { FORM_CALL, p, sizeof p / sizeof p[0], binds, NULL, NULL }
#define CALL0 { FORM_CALL, NULL, 0, false, NULL, NULL }
#define CMD(p) { FORM_COMMAND, p, sizeof p / sizeof p[0], false, NULL, NULL }
#define CMD0 { FORM_COMMAND, NULL, 0, false, NULL, NULL }
#define ASSIGN { FORM_ASSIGN, p_value, 1, false, NULL, NULL }

static const scn_row_t rows[SCN_VERB_COUNT] = {
    [SCN_MACHINE] = { { SCN_MACHINE, "machine", "machine bare ram=SIZE [tlb=N]",
        "first statement only: a bare x86 machine, no operating system", SCN_ON_BARE },
      { FORM_KEYVAL, NULL, 0, false, k_machine, "bare" }, 0, run_machine, scn_check_machine },
    [SCN_CONFIG] = { { SCN_CONFIG, "config", "config KEY=VALUE ...",
        "before any other statement: the simulated machine's settings", SCN_ON_PROCESS },
      { FORM_KEYVAL, NULL, 0, false, k_config, NULL }, 0, run_config, scn_check_config },
    [SCN_PROCESS] = { { SCN_PROCESS, "process", "process NAME", "create, or switch to, a process with its own page directory", PROC },
      CMD(p_process), SCN_R_ERROR, run_process, NULL },
    [SCN_CR3] = { { SCN_CR3, "cr3", "cr3 = PADDR", "load CR3 (the page directory base); flushes non-global TLB entries",
        SCN_ON_BARE }, ASSIGN, 0, run_register, scn_check_register },
    [SCN_CR0_WP] = { { SCN_CR0_WP, "cr0.wp", "cr0.wp = 0|1", "CR0.WP: whether supervisor writes obey read-only pages", SCN_ON_BARE },
      ASSIGN, 0, run_register, scn_check_register },
    [SCN_CR4_PSE] = { { SCN_CR4_PSE, "cr4.pse", "cr4.pse = 0|1", "CR4.PSE: whether PDE.PS maps 4 MB pages", SCN_ON_BARE },
      ASSIGN, 0, run_register, scn_check_register },
    [SCN_CR4_PGE] = { { SCN_CR4_PGE, "cr4.pge", "cr4.pge = 0|1", "CR4.PGE: global pages; a change flushes the whole TLB",
        SCN_ON_BARE }, ASSIGN, 0, run_register, scn_check_register },
    [SCN_POKE32] = { { SCN_POKE32, "poke32", "poke32 PADDR VALUE", "write a 32-bit little-endian word of physical memory",
        SCN_ON_BARE }, CMD(p_poke), 0, run_poke_peek, scn_check_phys },
    [SCN_PEEK32] = { { SCN_PEEK32, "peek32", "peek32 PADDR", "read a 32-bit little-endian word of physical memory", BOTH },
      CMD(p_paddr), SCN_R_RET | SCN_R_VALUE, run_poke_peek, scn_check_phys },
    [SCN_INVLPG] = { { SCN_INVLPG, "invlpg", "invlpg ADDR", "invalidate the TLB entries for ADDR's page", BOTH }, CMD(p_addr), 0,
      run_tlb, NULL },
    [SCN_FLUSH] = { { SCN_FLUSH, "flush", "flush tlb", "empty the TLB, global entries too", BOTH }, CMD(p_flush), 0, run_tlb, NULL },
    [SCN_TRANSLATE] = { { SCN_TRANSLATE, "translate", "translate ADDR [read|write|exec] [user|kernel]",
        "the two-level walk of ADDR, step by step", BOTH },
      CMD(p_translate), SCN_R_WALK | SCN_R_RESOLVED, run_translate, scn_check_translate },
    [SCN_STATS] = { { SCN_STATS, "stats", "stats", "counters: faults, TLB hits and misses, walks, ...", BOTH }, CMD0,
      SCN_R_STATS | SCN_R_MMSTATS, run_stats, NULL },
    [SCN_MEMSTATUS] = { { SCN_MEMSTATUS, "memstatus", "memstatus",
        "GlobalMemoryStatus() of the simulated machine, in the simulator only", PROC }, CMD0, SCN_R_MEMSTATUS,
      run_memstatus, NULL },
    [SCN_EXPECT] = { { SCN_EXPECT, "expect", "expect LHS == RHS",
        "check a result of the statement before it (the fields are listed in the language reference)",
        BOTH | SCN_ON_WIN32 }, { FORM_EXPECT, NULL, 0, false, NULL, NULL }, 0, run_expect, NULL },
    [SCN_VIRTUALALLOC] = { { SCN_VIRTUALALLOC, "VirtualAlloc", "[NAME =] VirtualAlloc(addr, size, type, protect)",
        "reserve and/or commit pages", W32 }, CALL(p_valloc, true), SCN_R_RET | SCN_R_ERROR, run_virtual_alloc, NULL },
    [SCN_VIRTUALFREE] = { { SCN_VIRTUALFREE, "VirtualFree", "VirtualFree(addr, size, type)", "decommit or release pages", W32 },
      CALL(p_vfree, false), SCN_R_RET | SCN_R_ERROR, run_virtual_free, NULL },
    [SCN_VIRTUALPROTECT] = { { SCN_VIRTUALPROTECT, "VirtualProtect", "VirtualProtect(addr, size, protect)",
        "change the protection of committed pages", W32 },
      CALL(p_vprotect, false), SCN_R_RET | SCN_R_ERROR | SCN_R_OLD, run_virtual_protect, NULL },
    [SCN_VIRTUALQUERY] = { { SCN_VIRTUALQUERY, "VirtualQuery", "VirtualQuery(addr)", "MEMORY_BASIC_INFORMATION of the region at addr",
        W32 }, CALL(p_addr, false), SCN_R_RET | SCN_R_ERROR | SCN_R_MBI, run_virtual_query, NULL },
    [SCN_CREATEFILEMAPPING] = { { SCN_CREATEFILEMAPPING, "CreateFileMapping",
        "[NAME =] CreateFileMapping(INVALID_HANDLE_VALUE, NULL, protect, sizeHigh, sizeLow, \"name\"|NULL)",
        "a page-file-backed section", W32 }, CALL(p_cfm, true), SCN_R_RET | SCN_R_ERROR, run_create_mapping, scn_check_mapping },
    [SCN_MAPVIEWOFFILE] = { { SCN_MAPVIEWOFFILE, "MapViewOfFile", "[NAME =] MapViewOfFile(handle, access, offHigh, offLow, size)",
        "map a view of a section", W32 }, CALL(p_mvof, true), SCN_R_RET | SCN_R_ERROR, run_map_view, NULL },
    [SCN_MAPVIEWOFFILEEX] = { { SCN_MAPVIEWOFFILEEX, "MapViewOfFileEx",
        "[NAME =] MapViewOfFileEx(handle, access, offHigh, offLow, size, base)", "map a view of a section at base",
        W32 }, CALL(p_mvofex, true), SCN_R_RET | SCN_R_ERROR, run_map_view, NULL },
    [SCN_UNMAPVIEWOFFILE] = { { SCN_UNMAPVIEWOFFILE, "UnmapViewOfFile", "UnmapViewOfFile(addr)", "unmap a view", W32 },
      CALL(p_addr, false), SCN_R_RET | SCN_R_ERROR, run_unmap_view, NULL },
    [SCN_CLOSEHANDLE] = { { SCN_CLOSEHANDLE, "CloseHandle", "CloseHandle(handle)", "close a section handle", W32 },
      CALL(p_handle, false), SCN_R_RET | SCN_R_ERROR, run_close_handle, NULL },
    [SCN_GLOBALMEMORYSTATUS] = { { SCN_GLOBALMEMORYSTATUS, "GlobalMemoryStatus", "GlobalMemoryStatus()",
        "memory load, physical memory, page file (the commit limit) and address space, as MEMORYSTATUS", W32 },
      CALL0, SCN_R_MEMSTATUS, run_memstatus, NULL },
    [SCN_GETSYSTEMINFO] = { { SCN_GETSYSTEMINFO, "GetSystemInfo", "GetSystemInfo()",
        "page size, allocation granularity, application address range", W32 }, CALL0, SCN_R_SYSINFO,
      run_system_info, NULL },
    [SCN_READ] = { { SCN_READ, "read", "read ADDR [COUNT]", "read COUNT bytes (default 1), one at a time", W32 }, CMD(p_read),
      SCN_R_EXCEPTION | SCN_R_BYTES, run_read, scn_check_transfer },
    [SCN_WRITE] = { { SCN_WRITE, "write", "write ADDR VALUE [COUNT]", "write a byte COUNT times, or a string", W32 },
      CMD(p_write), SCN_R_EXCEPTION, run_write, scn_check_transfer },
    [SCN_TOUCH] = { { SCN_TOUCH, "touch", "touch ADDR SIZE [read|write]", "one access to every page of [ADDR, ADDR+SIZE)", W32 },
      CMD(p_touch), SCN_R_EXCEPTION, run_touch, NULL },
    [SCN_ADDRESS] = { { SCN_ADDRESS, "!address", "!address [-summary] [ADDR]",
        "the region list as WinDbg's !address prints it (one region with ADDR; totals with -summary)", PROC },
      CMD(p_address), 0, run_address, NULL },
    [SCN_PTE] = { { SCN_PTE, "!pte", "!pte ADDR", "the PDE and PTE of ADDR through the self-map, as WinDbg's !pte prints them",
        PROC }, CMD(p_addr), 0, run_pte, NULL },
    [SCN_VAD] = { { SCN_VAD, "!vad", "!vad", "the allocation (VAD) tree, as WinDbg's !vad prints it", PROC }, CMD0, 0, run_vad, NULL },
#define HEAPR (SCN_R_RET | SCN_R_ERROR | SCN_R_EXCEPTION)
    [SCN_HEAPCREATE] = { { SCN_HEAPCREATE, "HeapCreate", "[NAME =] HeapCreate(options, initialSize, maximumSize)",
        "a private heap: growable when maximumSize is 0", W32 }, CALL(p_heapcreate, true), HEAPR, run_heap_call, NULL },
    [SCN_HEAPDESTROY] = { { SCN_HEAPDESTROY, "HeapDestroy", "HeapDestroy(heap)", "release a heap and all its blocks", W32 },
      CALL(p_heap1, false), HEAPR, run_heap_call, NULL },
    [SCN_HEAPALLOC] = { { SCN_HEAPALLOC, "HeapAlloc", "[NAME =] HeapAlloc(heap, flags, size)",
        "a block of a heap (NULL and ERROR_NOT_ENOUGH_MEMORY when it fails)", W32 }, CALL(p_heapalloc, true), HEAPR,
      run_heap_call, NULL },
    [SCN_HEAPREALLOC] = { { SCN_HEAPREALLOC, "HeapReAlloc", "[NAME =] HeapReAlloc(heap, flags, ptr, size)",
        "resize a block, in place or by moving it", W32 }, CALL(p_heaprealloc, true), HEAPR, run_heap_call, NULL },
    [SCN_HEAPFREE] = { { SCN_HEAPFREE, "HeapFree", "HeapFree(heap, flags, ptr)", "free a block (coalescing)", W32 },
      CALL(p_heapptr, false), HEAPR, run_heap_call, NULL },
    [SCN_HEAPSIZE] = { { SCN_HEAPSIZE, "HeapSize", "HeapSize(heap, flags, ptr)",
        "the size asked for a block, or 0xFFFFFFFF", W32 }, CALL(p_heapptr, false), HEAPR, run_heap_call, NULL },
    [SCN_HEAPVALIDATE] = { { SCN_HEAPVALIDATE, "HeapValidate", "HeapValidate(heap, flags, ptr)",
        "check a block's header, or the whole heap when ptr is 0", W32 }, CALL(p_heapptr, false), HEAPR, run_heap_call,
      NULL },
    [SCN_GETPROCESSHEAP] = { { SCN_GETPROCESSHEAP, "GetProcessHeap", "[NAME =] GetProcessHeap()",
        "the process heap's handle", W32 }, { FORM_CALL, NULL, 0, true, NULL, NULL }, HEAPR, run_heap_call, NULL },
    [SCN_GETPROCESSHEAPS] = { { SCN_GETPROCESSHEAPS, "GetProcessHeaps", "GetProcessHeaps()",
        "how many heaps the process has", W32 }, CALL0, HEAPR, run_heap_call, NULL },
    [SCN_HEAPWALK] = { { SCN_HEAPWALK, "HeapWalk", "HeapWalk(heap)",
        "walk a heap to its end: ret counts its busy entries, count their bytes", W32 }, CALL(p_heap1, false), HEAPR,
      run_heap_call, NULL },
    [SCN_MALLOC] = { { SCN_MALLOC, "malloc", "[NAME =] malloc(size)", "msvcrt's malloc: its own heap's HeapAlloc",
        W32 }, CALL(p_size, true), HEAPR, run_heap_call, NULL },
    [SCN_CALLOC] = { { SCN_CALLOC, "calloc", "[NAME =] calloc(count, size)", "msvcrt's calloc: zeroed", W32 },
      CALL(p_calloc, true), HEAPR, run_heap_call, NULL },
    [SCN_REALLOC] = { { SCN_REALLOC, "realloc", "[NAME =] realloc(ptr, size)", "msvcrt's realloc", W32 },
      CALL(p_realloc, true), HEAPR, run_heap_call, NULL },
    [SCN_FREE] = { { SCN_FREE, "free", "free(ptr)", "msvcrt's free", W32 }, CALL(p_ptr, false), HEAPR, run_heap_call,
      NULL },
    [SCN_GETMEMORY] = { { SCN_GETMEMORY, "GetMemory", "[NAME =] GetMemory(size)",
        "Delphi 7's memory manager: a block of 1 MB or more, in a region of its own", W32 }, CALL(p_size, true), HEAPR,
      run_heap_call, NULL },
    [SCN_FREEMEMORY] = { { SCN_FREEMEMORY, "FreeMemory", "FreeMemory(ptr)", "Delphi 7's FreeMemory: 0 when freed",
        W32 }, CALL(p_ptr, false), HEAPR, run_heap_call, NULL },
    [SCN_HEAP] = { { SCN_HEAP, "!heap", "!heap [-a] [ADDR]",
        "the heaps as WinDbg's !heap lists them; -a or ADDR: segments and entries", PROC }, CMD(p_heapview), 0,
      run_heap_view, NULL },
};

const scn_verb_t *scn_verb(scn_verb_id_t id)
{
    return (unsigned)id < SCN_VERB_COUNT ? &rows[id].verb : NULL;
}

const scn_row_t *scn_row(scn_verb_id_t id)
{
    return &rows[id];
}

const scn_row_t *scn_row_find(const char *name, size_t n)
{
    for (unsigned i = 0; i < SCN_VERB_COUNT; i++)
        if (strlen(rows[i].verb.name) == n && memcmp(rows[i].verb.name, name, n) == 0) return &rows[i];
    return NULL;
}

void scn_rows_list(char *buf, size_t n, bool (*pick)(const scn_row_t *row))
{
    unsigned total = 0, seen = 0;
    for (unsigned i = 0; i < SCN_VERB_COUNT; i++) total += pick(&rows[i]);
    size_t k = 0;
    buf[0] = 0;
    for (unsigned i = 0; i < SCN_VERB_COUNT && k < n; i++) {
        if (!pick(&rows[i])) continue;
        const char *sep = seen == 0 ? "" : seen + 1 == total ? " and " : ", ";
        int w = snprintf(buf + k, n - k, "%s%s", sep, rows[i].verb.name);
        if (w < 0) break;
        k += (size_t)w;
        seen++;
    }
}
