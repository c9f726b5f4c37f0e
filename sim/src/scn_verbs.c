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
static const scn_param_t p_frame[] = { E("frame") };
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

/* Thread stacks. */
static const scn_param_t p_thread[] = { { PK_IDENT, "name", NULL, false }, OE("dwStackSize"), OE("dwCreationFlags") };
static const scn_param_t p_size[] = { E("size") };
static const scn_param_t p_getww[] = { E("flags"), E("addr"), E("size"), E("count") };
static const scn_param_t p_resetww[] = { E("addr"), E("size") }; /* and VirtualLock, VirtualUnlock */
/* Files. */
static const scn_param_t p_createfile[] = {
    { PK_NAME_STR, "name", NULL, false }, E("access"), E("share"), E("security"), E("disposition"), E("attributes"),
    E("template"),
};
static const scn_param_t p_readfile[] = { E("handle"), E("count"), E("lpOverlapped") };
static const scn_param_t p_writefile[] = { E("handle"), { PK_BYTES, "buffer", NULL, false }, E("count"), E("lpOverlapped") };
static const scn_param_t p_setfilepointer[] = { E("handle"), E("distance"), E("lpDistanceToMoveHigh"), E("method") };
static const scn_param_t p_getfilesize[] = { E("handle"), E("lpFileSizeHigh") };
static const scn_param_t p_flushview[] = { E("addr"), E("size") };
/* Heaps. */
static const scn_param_t p_heapcreate[] = { E("options"), E("initialSize"), E("maximumSize") };
static const scn_param_t p_heap1[] = { E("heap") };
static const scn_param_t p_heapalloc[] = { E("heap"), E("flags"), E("size") };
static const scn_param_t p_heaprealloc[] = { E("heap"), E("flags"), E("ptr"), E("size") };
static const scn_param_t p_heapptr[] = { E("heap"), E("flags"), E("ptr") };
static const scn_param_t p_calloc[] = { E("count"), E("size") };
static const scn_param_t p_realloc[] = { E("ptr"), E("size") };
static const scn_param_t p_ptr[] = { E("ptr") };
static const scn_param_t p_heapview[] = { { PK_DASHWORD, "-a", "a", true }, OE("addr") };

/* Address Windowing Extensions. */
static const scn_param_t p_aweprocess[] = { E("process"), E("count"), E("array") };
static const scn_param_t p_awealloc[] = { E("process"), E("count") };
static const scn_param_t p_awemap[] = { E("addr"), E("count"), E("array") };
/* The working set. */
static const scn_param_t p_process1[] = { E("process") };
static const scn_param_t p_pmc[] = { OE("process") };
static const scn_param_t p_queryws[] = { E("process"), E("count") };
static const scn_param_t p_setws[] = { E("process"), E("min"), E("max") };

/* Other processes. */
static const scn_param_t p_openprocess[] = { E("access"), E("inherit"), { PK_NAME_STR, "process", NULL, false } };
static const scn_param_t p_queryex[] = { E("process"), E("addr") };

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
    { "stackreserve", NULL, "the image header's SizeOfStackReserve: the main thread's stack, and a new thread's by "
                            "default (default 1M; rounded up to 64K)" },
    { "stackcommit", NULL, "the image header's SizeOfStackCommit: what a stack commits when made, a guard page "
                           "besides (default 4K; rounded up to 4K)" },
    { "lockpages", "yes|no", "yes: the process holds the \"Lock pages in memory\" privilege (SeLockMemoryPrivilege) "
                             "that AllocateUserPhysicalPages needs (default no)" },
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
      { FORM_KEYVAL, NULL, 0, false, k_machine, "bare" }, 0, run_machine, scn_check_machine, scn_text_machine },
    [SCN_CONFIG] = { { SCN_CONFIG, "config", "config KEY=VALUE ...",
        "before any other statement: the simulated machine's settings", SCN_ON_PROCESS },
      { FORM_KEYVAL, NULL, 0, false, k_config, NULL }, 0, run_config, scn_check_config, NULL },
    [SCN_PROCESS] = { { SCN_PROCESS, "process", "process NAME", "create, or switch to, a process with its own page directory", PROC },
      CMD(p_process), SCN_R_ERROR, run_process, NULL, NULL },
    [SCN_CR3] = { { SCN_CR3, "cr3", "cr3 = PADDR", "load CR3 (the page directory base); flushes non-global TLB entries",
        SCN_ON_BARE }, ASSIGN, 0, run_register, scn_check_register, scn_text_cr3 },
    [SCN_CR0_WP] = { { SCN_CR0_WP, "cr0.wp", "cr0.wp = 0|1", "CR0.WP: whether supervisor writes obey read-only pages", SCN_ON_BARE },
      ASSIGN, 0, run_register, scn_check_register, scn_text_cr0_wp },
    [SCN_CR4_PSE] = { { SCN_CR4_PSE, "cr4.pse", "cr4.pse = 0|1", "CR4.PSE: whether PDE.PS maps 4 MB pages", SCN_ON_BARE },
      ASSIGN, 0, run_register, scn_check_register, scn_text_cr4_pse },
    [SCN_CR4_PGE] = { { SCN_CR4_PGE, "cr4.pge", "cr4.pge = 0|1", "CR4.PGE: global pages; a change flushes the whole TLB",
        SCN_ON_BARE }, ASSIGN, 0, run_register, scn_check_register, scn_text_cr4_pge },
    [SCN_POKE32] = { { SCN_POKE32, "poke32", "poke32 PADDR VALUE", "write a 32-bit little-endian word of physical memory",
        SCN_ON_BARE }, CMD(p_poke), 0, run_poke_peek, scn_check_phys, scn_text_poke32 },
    [SCN_PEEK32] = { { SCN_PEEK32, "peek32", "peek32 PADDR", "read a 32-bit little-endian word of physical memory", BOTH },
      CMD(p_paddr), SCN_R_RET | SCN_R_VALUE, run_poke_peek, scn_check_phys, scn_text_peek32 },
    [SCN_INVLPG] = { { SCN_INVLPG, "invlpg", "invlpg ADDR", "invalidate the TLB entries for ADDR's page", BOTH }, CMD(p_addr), 0,
      run_tlb, NULL, scn_text_tlb },
    [SCN_FLUSH] = { { SCN_FLUSH, "flush", "flush tlb", "empty the TLB, global entries too", BOTH }, CMD(p_flush), 0, run_tlb, NULL,
      scn_text_tlb },
    [SCN_TRANSLATE] = { { SCN_TRANSLATE, "translate", "translate ADDR [read|write|exec] [user|kernel]",
        "the two-level walk of ADDR, step by step", BOTH },
      CMD(p_translate), SCN_R_WALK | SCN_R_RESOLVED, run_translate, scn_check_translate, scn_text_translate },
    [SCN_STATS] = { { SCN_STATS, "stats", "stats", "counters: faults, TLB hits and misses, walks, ...", BOTH }, CMD0,
      SCN_R_STATS | SCN_R_MMSTATS, run_stats, NULL, scn_text_stats },
    [SCN_MEMSTATUS] = { { SCN_MEMSTATUS, "memstatus", "memstatus",
        "GlobalMemoryStatus() of the simulated machine, in the simulator only", PROC }, CMD0, SCN_R_MEMSTATUS,
      run_memstatus, NULL, NULL },
    [SCN_EXPECT] = { { SCN_EXPECT, "expect", "expect LHS == RHS",
        "check a result of the statement before it (the fields are listed in the language reference)",
        BOTH | SCN_ON_WIN32 }, { FORM_EXPECT, NULL, 0, false, NULL, NULL }, 0, run_expect, NULL, scn_text_expect },
    [SCN_VIRTUALALLOC] = { { SCN_VIRTUALALLOC, "VirtualAlloc", "[NAME =] VirtualAlloc(addr, size, type, protect)",
        "reserve and/or commit pages", W32 }, CALL(p_valloc, true), SCN_R_RET | SCN_R_ERROR, run_virtual_alloc, NULL, NULL },
    [SCN_VIRTUALFREE] = { { SCN_VIRTUALFREE, "VirtualFree", "VirtualFree(addr, size, type)", "decommit or release pages", W32 },
      CALL(p_vfree, false), SCN_R_RET | SCN_R_ERROR, run_virtual_free, NULL, NULL },
    [SCN_VIRTUALPROTECT] = { { SCN_VIRTUALPROTECT, "VirtualProtect", "VirtualProtect(addr, size, protect)",
        "change the protection of committed pages", W32 },
      CALL(p_vprotect, false), SCN_R_RET | SCN_R_ERROR | SCN_R_OLD, run_virtual_protect, NULL, NULL },
    [SCN_VIRTUALQUERY] = { { SCN_VIRTUALQUERY, "VirtualQuery", "VirtualQuery(addr)", "MEMORY_BASIC_INFORMATION of the region at addr",
        W32 }, CALL(p_addr, false), SCN_R_RET | SCN_R_ERROR | SCN_R_MBI, run_virtual_query, NULL, NULL },
    [SCN_CREATEFILEMAPPING] = { { SCN_CREATEFILEMAPPING, "CreateFileMapping",
        "[NAME =] CreateFileMapping(file|INVALID_HANDLE_VALUE, NULL, protect, sizeHigh, sizeLow, \"name\"|NULL)",
        "a section: page-file backed, or of a file (a handle CreateFile opened)", W32 }, CALL(p_cfm, true),
      SCN_R_RET | SCN_R_ERROR, run_create_mapping, scn_check_mapping, NULL },
    [SCN_MAPVIEWOFFILE] = { { SCN_MAPVIEWOFFILE, "MapViewOfFile", "[NAME =] MapViewOfFile(handle, access, offHigh, offLow, size)",
        "map a view of a section", W32 }, CALL(p_mvof, true), SCN_R_RET | SCN_R_ERROR, run_map_view, NULL, NULL },
    [SCN_MAPVIEWOFFILEEX] = { { SCN_MAPVIEWOFFILEEX, "MapViewOfFileEx",
        "[NAME =] MapViewOfFileEx(handle, access, offHigh, offLow, size, base)", "map a view of a section at base",
        W32 }, CALL(p_mvofex, true), SCN_R_RET | SCN_R_ERROR, run_map_view, NULL, NULL },
    [SCN_UNMAPVIEWOFFILE] = { { SCN_UNMAPVIEWOFFILE, "UnmapViewOfFile", "UnmapViewOfFile(addr)", "unmap a view", W32 },
      CALL(p_addr, false), SCN_R_RET | SCN_R_ERROR, run_unmap_view, NULL, NULL },
    [SCN_CLOSEHANDLE] = { { SCN_CLOSEHANDLE, "CloseHandle", "CloseHandle(handle)", "close a section or file handle", W32 },
      CALL(p_handle, false), SCN_R_RET | SCN_R_ERROR, run_close_handle, NULL, NULL },
    [SCN_GLOBALMEMORYSTATUS] = { { SCN_GLOBALMEMORYSTATUS, "GlobalMemoryStatus", "GlobalMemoryStatus()",
        "memory load, physical memory, page file (the commit limit) and address space, as MEMORYSTATUS", W32 },
      CALL0, SCN_R_MEMSTATUS, run_memstatus, NULL, NULL },
    [SCN_GETSYSTEMINFO] = { { SCN_GETSYSTEMINFO, "GetSystemInfo", "GetSystemInfo()",
        "page size, allocation granularity, application address range", W32 }, CALL0, SCN_R_SYSINFO,
      run_system_info, NULL, NULL },
    [SCN_READ] = { { SCN_READ, "read", "read ADDR [COUNT]", "read COUNT bytes (default 1), one at a time", W32 }, CMD(p_read),
      SCN_R_EXCEPTION | SCN_R_BYTES, run_read, scn_check_transfer, NULL },
    [SCN_WRITE] = { { SCN_WRITE, "write", "write ADDR VALUE [COUNT]", "write a byte COUNT times, or a string", W32 },
      CMD(p_write), SCN_R_EXCEPTION, run_write, scn_check_transfer, NULL },
    [SCN_TOUCH] = { { SCN_TOUCH, "touch", "touch ADDR SIZE [read|write]", "one access to every page of [ADDR, ADDR+SIZE)", W32 },
      CMD(p_touch), SCN_R_EXCEPTION, run_touch, NULL, NULL },
    [SCN_ADDRESS] = { { SCN_ADDRESS, "!address", "!address [-summary] [ADDR]",
        "the region list as WinDbg's !address prints it (one region with ADDR; totals with -summary)", PROC },
      CMD(p_address), 0, run_address, NULL, NULL },
    [SCN_PTE] = { { SCN_PTE, "!pte", "!pte ADDR", "the PDE and PTE of ADDR through the self-map, as WinDbg's !pte prints them",
        PROC }, CMD(p_addr), 0, run_pte, NULL, NULL },
    [SCN_VAD] = { { SCN_VAD, "!vad", "!vad", "the allocation (VAD) tree, as WinDbg's !vad prints it", PROC }, CMD0, 0, run_vad,
      NULL, NULL },
    [SCN_PFN] = { { SCN_PFN, "!pfn", "!pfn FRAME",
        "a physical frame's PFN entry as WinDbg's !pfn shows it: its state, share count, flags, the file page, section "
        "page or page-file slot behind it, and every PTE that maps it", PROC }, CMD(p_frame), 0, run_pfn, NULL, NULL },
    /* Thread stacks. */
    [SCN_THREAD] = { { SCN_THREAD, "thread", "thread NAME [dwStackSize [dwCreationFlags]]",
        "switch to a thread of the process (main is the first), or create one as CreateThread(NULL, dwStackSize, "
        "..., dwCreationFlags) does, with its own stack and TEB", PROC },
      CMD(p_thread), SCN_R_ERROR | SCN_R_STACK, run_thread, scn_check_stack, NULL },
    [SCN_PUSH] = { { SCN_PUSH, "push", "push SIZE",
        "move the thread's stack pointer down SIZE bytes, writing each page on the way from the top down", PROC },
      CMD(p_size), SCN_R_EXCEPTION | SCN_R_STACK, run_push_pop, scn_check_stack, NULL },
    [SCN_POP] = { { SCN_POP, "pop", "pop SIZE", "move the thread's stack pointer up SIZE bytes (the pages stay committed)",
        PROC }, CMD(p_size), SCN_R_STACK, run_push_pop, scn_check_stack, NULL },
    [SCN_ALLOCA] = { { SCN_ALLOCA, "alloca", "[NAME =] alloca(size)",
        "size bytes on the thread's stack, 4-byte aligned, probed a page at a time as _chkstk does (a local array "
        "such as char a[size])", PROC }, CALL(p_size, true), SCN_R_RET | SCN_R_EXCEPTION | SCN_R_STACK, run_alloca,
      scn_check_stack, NULL },
    /* Write watch. */
    [SCN_GETWRITEWATCH] = { { SCN_GETWRITEWATCH, "GetWriteWatch", "GetWriteWatch(flags, addr, size, count)",
        "the pages of a MEM_WRITE_WATCH allocation written since the last reset, at most count of them (flags 0 or "
        "WRITE_WATCH_FLAG_RESET)", W32 }, CALL(p_getww, false), SCN_R_RET | SCN_R_ERROR | SCN_R_WATCH,
      run_get_write_watch, NULL, NULL },
    [SCN_RESETWRITEWATCH] = { { SCN_RESETWRITEWATCH, "ResetWriteWatch", "ResetWriteWatch(addr, size)",
        "no page of the range counts as written any more", W32 }, CALL(p_resetww, false), SCN_R_RET | SCN_R_ERROR,
      run_reset_write_watch, NULL, NULL },
    /* The working set. */
    [SCN_GETPROCESSMEMORYINFO] = { { SCN_GETPROCESSMEMORYINFO, "GetProcessMemoryInfo",
        "GetProcessMemoryInfo([process])",
        "the PROCESS_MEMORY_COUNTERS_EX of the process a handle names (without one, the process making the calls): "
        "page faults, working set, page-file use, private bytes (on real Windows the host process's, so `pagesim "
        "compare` does not compare them)", W32 },
      CALL(p_pmc, false), SCN_R_RET | SCN_R_ERROR | SCN_R_PMC, run_process_memory_info, NULL, NULL },
    [SCN_VIRTUALLOCK] = { { SCN_VIRTUALLOCK, "VirtualLock", "VirtualLock(addr, size)",
        "keep committed pages in the working set (up to the working-set minimum less 8 pages)", W32 },
      CALL(p_resetww, false), SCN_R_RET | SCN_R_ERROR, run_virtual_lock, NULL, NULL },
    [SCN_VIRTUALUNLOCK] = { { SCN_VIRTUALUNLOCK, "VirtualUnlock", "VirtualUnlock(addr, size)",
        "unlock pages (pages that were not locked leave the working set: ERROR_NOT_LOCKED)", W32 },
      CALL(p_resetww, false), SCN_R_RET | SCN_R_ERROR, run_virtual_lock, NULL, NULL },
    /* Files and file-backed sections. */
    [SCN_CREATEFILE] = { { SCN_CREATEFILE, "CreateFile",
        "[NAME =] CreateFile(\"name\", access, share, NULL, disposition, attributes, NULL)",
        "create or open a file (a plain file name) of the simulated file system", W32 },
      CALL(p_createfile, true), SCN_R_RET | SCN_R_ERROR, run_create_file, scn_check_create_file, NULL },
    [SCN_READFILE] = { { SCN_READFILE, "ReadFile", "ReadFile(handle, count, NULL)",
        "read count bytes at the file pointer (the buffer and the count read are the results)", W32 },
      CALL(p_readfile, false), SCN_R_RET | SCN_R_ERROR | SCN_R_BYTES | SCN_R_COUNT, run_read_file, scn_check_file_io, NULL },
    [SCN_WRITEFILE] = { { SCN_WRITEFILE, "WriteFile", "WriteFile(handle, \"text\"|BYTE, count, NULL)",
        "write count bytes at the file pointer: the first count of a string, or a byte count times", W32 },
      CALL(p_writefile, false), SCN_R_RET | SCN_R_ERROR | SCN_R_COUNT, run_write_file, scn_check_file_io, NULL },
    [SCN_SETFILEPOINTER] = { { SCN_SETFILEPOINTER, "SetFilePointer", "SetFilePointer(handle, distance, NULL, method)",
        "move the file pointer (FILE_BEGIN, FILE_CURRENT, FILE_END); returns the new position", W32 },
      CALL(p_setfilepointer, false), SCN_R_RET | SCN_R_ERROR, run_set_file_pointer, scn_check_file_io, NULL },
    [SCN_SETENDOFFILE] = { { SCN_SETENDOFFILE, "SetEndOfFile", "SetEndOfFile(handle)",
        "the file ends at the file pointer (it grows or shrinks)", W32 },
      CALL(p_handle, false), SCN_R_RET | SCN_R_ERROR, run_set_end_of_file, NULL, NULL },
    [SCN_GETFILESIZE] = { { SCN_GETFILESIZE, "GetFileSize", "GetFileSize(handle, NULL)", "the file's size in bytes", W32 },
      CALL(p_getfilesize, false), SCN_R_RET | SCN_R_ERROR, run_get_file_size, scn_check_file_io, NULL },
    [SCN_FLUSHVIEWOFFILE] = { { SCN_FLUSHVIEWOFFILE, "FlushViewOfFile", "FlushViewOfFile(addr, size)",
        "write the modified pages of a view's range to its file (size 0: to the view's end)", W32 },
      CALL(p_flushview, false), SCN_R_RET | SCN_R_ERROR, run_flush_view, NULL, NULL },
    /* Heaps, the C runtime and Delphi's memory manager. */
#define HEAPR (SCN_R_RET | SCN_R_ERROR | SCN_R_EXCEPTION)
    [SCN_HEAPCREATE] = { { SCN_HEAPCREATE, "HeapCreate", "[NAME =] HeapCreate(options, initialSize, maximumSize)",
        "a private heap: growable when maximumSize is 0", W32 }, CALL(p_heapcreate, true), HEAPR, run_heap_call, NULL, NULL },
    [SCN_HEAPDESTROY] = { { SCN_HEAPDESTROY, "HeapDestroy", "HeapDestroy(heap)", "release a heap and all its blocks", W32 },
      CALL(p_heap1, false), HEAPR, run_heap_call, NULL, NULL },
    [SCN_HEAPALLOC] = { { SCN_HEAPALLOC, "HeapAlloc", "[NAME =] HeapAlloc(heap, flags, size)",
        "a block of a heap (NULL and ERROR_NOT_ENOUGH_MEMORY when it fails)", W32 }, CALL(p_heapalloc, true), HEAPR,
      run_heap_call, NULL, NULL },
    [SCN_HEAPREALLOC] = { { SCN_HEAPREALLOC, "HeapReAlloc", "[NAME =] HeapReAlloc(heap, flags, ptr, size)",
        "resize a block, in place or by moving it", W32 }, CALL(p_heaprealloc, true), HEAPR, run_heap_call, NULL, NULL },
    [SCN_HEAPFREE] = { { SCN_HEAPFREE, "HeapFree", "HeapFree(heap, flags, ptr)", "free a block (coalescing)", W32 },
      CALL(p_heapptr, false), HEAPR, run_heap_call, NULL, NULL },
    [SCN_HEAPSIZE] = { { SCN_HEAPSIZE, "HeapSize", "HeapSize(heap, flags, ptr)",
        "the size asked for a block, or 0xFFFFFFFF", W32 }, CALL(p_heapptr, false), HEAPR, run_heap_call, NULL, NULL },
    [SCN_HEAPVALIDATE] = { { SCN_HEAPVALIDATE, "HeapValidate", "HeapValidate(heap, flags, ptr)",
        "check a block's header, or the whole heap when ptr is 0", W32 }, CALL(p_heapptr, false), HEAPR, run_heap_call,
      NULL, NULL },
    [SCN_GETPROCESSHEAP] = { { SCN_GETPROCESSHEAP, "GetProcessHeap", "[NAME =] GetProcessHeap()",
        "the process heap's handle", W32 }, { FORM_CALL, NULL, 0, true, NULL, NULL }, HEAPR, run_heap_call, NULL, NULL },
    [SCN_GETPROCESSHEAPS] = { { SCN_GETPROCESSHEAPS, "GetProcessHeaps", "GetProcessHeaps()",
        "how many heaps the process has", W32 }, CALL0, HEAPR, run_heap_call, NULL, NULL },
    [SCN_HEAPWALK] = { { SCN_HEAPWALK, "HeapWalk", "HeapWalk(heap)",
        "walk a heap to its end: ret counts its busy entries, count their bytes", W32 }, CALL(p_heap1, false), HEAPR,
      run_heap_call, NULL, NULL },
    [SCN_MALLOC] = { { SCN_MALLOC, "malloc", "[NAME =] malloc(size)", "msvcrt's malloc: its own heap's HeapAlloc",
        W32 }, CALL(p_size, true), HEAPR, run_heap_call, NULL, NULL },
    [SCN_CALLOC] = { { SCN_CALLOC, "calloc", "[NAME =] calloc(count, size)", "msvcrt's calloc: zeroed", W32 },
      CALL(p_calloc, true), HEAPR, run_heap_call, NULL, NULL },
    [SCN_REALLOC] = { { SCN_REALLOC, "realloc", "[NAME =] realloc(ptr, size)", "msvcrt's realloc", W32 },
      CALL(p_realloc, true), HEAPR, run_heap_call, NULL, NULL },
    [SCN_FREE] = { { SCN_FREE, "free", "free(ptr)", "msvcrt's free", W32 }, CALL(p_ptr, false), HEAPR, run_heap_call,
      NULL, NULL },
    [SCN_GETMEMORY] = { { SCN_GETMEMORY, "GetMemory", "[NAME =] GetMemory(size)",
        "Delphi 7's memory manager: a block of 1 MB or more, in a region of its own", W32 }, CALL(p_size, true), HEAPR,
      run_heap_call, NULL, NULL },
    [SCN_FREEMEMORY] = { { SCN_FREEMEMORY, "FreeMemory", "FreeMemory(ptr)", "Delphi 7's FreeMemory: 0 when freed",
        W32 }, CALL(p_ptr, false), HEAPR, run_heap_call, NULL, NULL },
    [SCN_HEAP] = { { SCN_HEAP, "!heap", "!heap [-a] [ADDR]",
        "the heaps as WinDbg's !heap lists them; -a or ADDR: segments and entries", PROC }, CMD(p_heapview), 0,
      run_heap_view, NULL, NULL },
    /* Address Windowing Extensions. */
    [SCN_ALLOCATEUSERPHYSICALPAGES] = { { SCN_ALLOCATEUSERPHYSICALPAGES, "AllocateUserPhysicalPages",
        "NAME = AllocateUserPhysicalPages(GetCurrentProcess(), count)",
        "up to count pages of physical memory for the process (needs config lockpages=yes); NAME is the array of "
        "their frame numbers: NAME[i] an element, NAME + i the array from element i; count the pages got", PROC },
      CALL(p_awealloc, true), SCN_R_RET | SCN_R_ERROR | SCN_R_COUNT, run_awe_alloc, NULL, NULL },
    [SCN_MAPUSERPHYSICALPAGES] = { { SCN_MAPUSERPHYSICALPAGES, "MapUserPhysicalPages",
        "MapUserPhysicalPages(addr, count, array|NULL)",
        "map count physical pages of the array at addr, in a MEM_RESERVE | MEM_PHYSICAL region (NULL: unmap)", PROC },
      CALL(p_awemap, false), SCN_R_RET | SCN_R_ERROR, run_awe_map, NULL, NULL },
    [SCN_FREEUSERPHYSICALPAGES] = { { SCN_FREEUSERPHYSICALPAGES, "FreeUserPhysicalPages",
        "FreeUserPhysicalPages(GetCurrentProcess(), count, array)",
        "free count physical pages of the array, unmapping them; count the pages freed", PROC },
      CALL(p_aweprocess, false), SCN_R_RET | SCN_R_ERROR | SCN_R_COUNT, run_awe_free, NULL, NULL },
    /* The working set. */
    [SCN_GETCURRENTPROCESS] = { { SCN_GETCURRENTPROCESS, "GetCurrentProcess", "[NAME =] GetCurrentProcess()",
        "the pseudo-handle of the process making the calls, 0xFFFFFFFF", W32 }, { FORM_CALL, NULL, 0, true, NULL, NULL },
      SCN_R_RET, run_working_set, NULL, NULL },
    [SCN_SETPROCESSWORKINGSETSIZE] = { { SCN_SETPROCESSWORKINGSETSIZE, "SetProcessWorkingSetSize",
        "SetProcessWorkingSetSize(process, min, max)",
        "the working-set minimum and maximum in bytes (the minimum bounds VirtualLock); -1, -1 empties the working set",
        W32 }, CALL(p_setws, false), SCN_R_RET | SCN_R_ERROR, run_working_set, NULL, NULL },
    [SCN_GETPROCESSWORKINGSETSIZE] = { { SCN_GETPROCESSWORKINGSETSIZE, "GetProcessWorkingSetSize",
        "GetProcessWorkingSetSize(process)",
        "the working-set minimum and maximum in bytes (the results ws.MinimumWorkingSetSize and "
        "ws.MaximumWorkingSetSize)", W32 },
      CALL(p_process1, false), SCN_R_RET | SCN_R_ERROR | SCN_R_WSSIZE, run_working_set, NULL, NULL },
    [SCN_EMPTYWORKINGSET] = { { SCN_EMPTYWORKINGSET, "EmptyWorkingSet", "EmptyWorkingSet(process)",
        "every page that is not locked leaves the working set (its frame keeps it: the next touch is a soft fault)",
        W32 }, CALL(p_process1, false), SCN_R_RET | SCN_R_ERROR, run_working_set, NULL, NULL },
    [SCN_QUERYWORKINGSET] = { { SCN_QUERYWORKINGSET, "QueryWorkingSet", "QueryWorkingSet(process, count)",
        "the working set's pages, room for count of them (fewer: ERROR_BAD_LENGTH), as NumberOfEntries and entries; "
        "in the simulator only (the host process's working set holds the runtime's own pages)", PROC },
      CALL(p_queryws, false), SCN_R_RET | SCN_R_ERROR | SCN_R_WSLIST, run_query_working_set, NULL, NULL },
    /* Other processes. */
    [SCN_OPENPROCESS] = { { SCN_OPENPROCESS, "OpenProcess", "[NAME =] OpenProcess(access, inherit, \"process\")",
        "a handle to the process of that name (the simulator's processes have names where Windows has IDs) with "
        "the PROCESS_* rights asked for", W32 },
      CALL(p_openprocess, true), SCN_R_RET | SCN_R_ERROR, run_open_process, scn_check_open_process, NULL },
    [SCN_VIRTUALQUERYEX] = { { SCN_VIRTUALQUERYEX, "VirtualQueryEx", "VirtualQueryEx(process, addr)",
        "VirtualQuery in the process a handle names (GetCurrentProcess() or OpenProcess with "
        "PROCESS_QUERY_INFORMATION)", W32 },
      CALL(p_queryex, false), SCN_R_RET | SCN_R_ERROR | SCN_R_MBI, run_virtual_query_ex, NULL, NULL },
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
