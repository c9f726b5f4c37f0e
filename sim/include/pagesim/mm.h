/* The Windows NT x86 memory manager, on top of the simulated machine: one
 * address space per process, the partitions of a 32-bit process, the VAD
 * tree of allocations, VirtualAlloc / VirtualFree / VirtualProtect /
 * VirtualQuery with the Win32 rounding rules and GetLastError codes, real
 * page tables (software PTEs for demand-zero and guard pages, page tables
 * allocated on demand, the self-map at 0xC0300000), demand-zero faults,
 * working sets and commit charge.
 *
 * Every Win32-style call returns the GetLastError code (0 on success) and,
 * when why is not NULL, one or two sentences saying which rule decided the
 * outcome and with which numbers. */
#ifndef PAGESIM_MM_H
#define PAGESIM_MM_H

#include "pagesim/core.h"
#include "pagesim/mmu.h"
#include "pagesim/strbuf.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct mm mm_t;
typedef struct mm_process mm_process_t;

/* Partitions of a 32-bit process (2 GB split; split_3g moves the top of
 * user space to 0xBFFEFFFF). */
#define MM_NULL_END        0x00010000u /* 0 - 0xFFFF: the NULL region        */
#define MM_USER_LOW        0x00010000u /* lowest application address        */
#define MM_USER_HIGH_2G    0x7FFEFFFFu /* highest application address       */
#define MM_USER_HIGH_3G    0xBFFEFFFFu
#define MM_SELFMAP_PDE     0x300u      /* PDE index of the self-map          */
#define MM_PTE_BASE        0xC0000000u /* page tables through the self-map   */
#define MM_PDE_BASE        0xC0300000u /* the page directory itself          */
#define MM_SHARED_USER     0x7FFE0000u /* KUSER_SHARED_DATA, user view       */
#define MM_SHARED_KERNEL   0xFFDF0000u /* KUSER_SHARED_DATA, kernel view     */
#define MM_KERNEL_BASE     0x80000000u /* the kernel image (a 4 MB page)       */
#define MM_KERNEL_BASE_3G  0xC0400000u /* ... with /3GB, above the self-map    */

typedef enum { MM_POLICY_FIFO = 0, MM_POLICY_CLOCK, MM_POLICY_LRU } mm_policy_t;

typedef struct mm_config {
    uint64_t ram;          /* bytes of physical memory                       */
    uint64_t pagefile;     /* bytes of page file                             */
    uint32_t tlb;          /* TLB entries, 0 = none                          */
    mm_policy_t policy;
    bool layout_empty;     /* no image, stack, heap, PEB/TEB                 */
    bool split_3g;         /* the /3GB switch                                */
    uint32_t ws_max;       /* working-set limit per process, pages (0: none) */
    /* The image header's SizeOfStackReserve and SizeOfStackCommit: the main
     * thread's stack, and a new thread's when CreateThread leaves them 0. */
    uint32_t stack_reserve, stack_commit;
    bool lock_pages;       /* the process holds SeLockMemoryPrivilege ("Lock
                              pages in memory"), which AWE needs             */
} mm_config_t;

/* The defaults: seed 004's machine (1 GB of RAM, a 1.5 GB page file, so a
 * commit limit of 2.5 GB), a 64-entry TLB, clock replacement, the typical
 * layout, a 2 GB user space, a linker's default stack (1 MB reserved, one
 * page committed). */
void mm_config_default(mm_config_t *cfg);

/* The first process's name, the process a scenario starts in (and, on the
 * Win32 backend, the host process). */
#define MM_FIRST_PROCESS "main"
/* Creates the machine and its first process, named "main". PS_EINVAL for a
 * configuration the machine cannot have (RAM under 8 MB, over 4 GB, ...). */
ps_result_t mm_new(const ps_alloc_t *a, const mm_config_t *cfg, mm_t **out);
void mm_free(mm_t *mm);
/* A deep copy of the whole machine: memory, page tables, TLB, processes. */
mm_t *mm_clone(const mm_t *mm);

mmu_t *mm_mmu(mm_t *mm);
const mm_config_t *mm_config(const mm_t *mm);

/* Processes. mm_process_find returns NULL when there is none of that name
 * (constant time). mm_process_create makes one: PS_EINVAL when the name is
 * taken or too long (31 bytes at most), PS_ENOMEM when the host is out of
 * memory, PS_ESTATE when the simulated machine has no frame or commit left
 * for its address space (why says which); on failure nothing of it is
 * left. Switching loads the process's page directory into CR3. */
mm_process_t *mm_process_find(mm_t *mm, const char *name);
ps_result_t mm_process_create(mm_t *mm, const char *name, strbuf_t *why, mm_process_t **out);
/* The process's index (0 for the first, "main"). */
uint32_t mm_process_id(const mm_process_t *p);
void mm_switch(mm_t *mm, mm_process_t *p);
mm_process_t *mm_current(mm_t *mm);
const char *mm_process_name(const mm_process_t *p);
uint32_t mm_process_count(const mm_t *mm);
mm_process_t *mm_process_at(mm_t *mm, uint32_t i);
/* Physical address of the process's page directory. */
uint32_t mm_process_cr3(const mm_process_t *p);
uint32_t mm_user_high(const mm_t *mm);
/* Where the kernel image is mapped (0x80000000, or 0xC0400000 with /3GB). */
uint32_t mm_kernel_base(const mm_t *mm);

/* Hooks: front ends and tests see every change of a page-table entry (all
 * go through one function, which calls on_pte after the write). */
typedef struct mm_hooks {
    void (*on_pte)(void *ud, const mm_process_t *p, uint32_t va, uint32_t old_pte, uint32_t new_pte);
    void *ud;
} mm_hooks_t;
/* Installs h (NULL removes them). Clones do not inherit hooks. */
void mm_set_hooks(mm_t *mm, const mm_hooks_t *h);

/* True once a host allocation failed inside the memory manager: the last
 * call could not finish, and the machine is not to be used further. */
bool mm_host_oom(const mm_t *mm);

/* Ends the explanation of one statement: when notes repeated (one per page
 * of a long run), says how many more there were than were shown. */
void mm_explain_end(strbuf_t *why);

/* Names for allocations in explanations: the host tags an allocation with
 * mm_tag and supplies a function from tag to name. */
typedef const char *(*mm_namer_fn)(void *ud, uint32_t tag);
void mm_set_namer(mm_t *mm, mm_namer_fn fn, void *ud);
/* Tags the allocation that contains addr; returns false when none does. */
bool mm_tag(mm_process_t *p, uint32_t addr, uint32_t tag);

/* Win32 calls. --------------------------------------------------------- */

typedef struct mm_mbi {
    uint32_t BaseAddress, AllocationBase, AllocationProtect, RegionSize, State, Protect, Type;
} mm_mbi_t;

typedef struct mm_sysinfo {
    uint32_t page_size, granularity, min_app, max_app, processors;
} mm_sysinfo_t;

typedef struct mm_memstatus {
    uint32_t memory_load;                  /* percent of RAM in use           */
    uint64_t total_phys, avail_phys;
    uint64_t total_pagefile, avail_pagefile; /* commit limit, and what is left */
    uint64_t total_virtual, avail_virtual;
} mm_memstatus_t;

/* out: *base. */
uint32_t mm_virtual_alloc(mm_process_t *p, uint32_t addr, uint32_t size, uint32_t type, uint32_t protect,
                          uint32_t *base, strbuf_t *why);
uint32_t mm_virtual_free(mm_process_t *p, uint32_t addr, uint32_t size, uint32_t type, strbuf_t *why);
/* out: *old, the first page's protection before the call. */
uint32_t mm_virtual_protect(mm_process_t *p, uint32_t addr, uint32_t size, uint32_t protect, uint32_t *old,
                            strbuf_t *why);
/* out: *mbi. Returns 0 on success (VirtualQuery then returns 28). */
uint32_t mm_virtual_query(mm_process_t *p, uint32_t addr, mm_mbi_t *mbi, strbuf_t *why);
void mm_system_info(const mm_t *mm, mm_sysinfo_t *si);

/* Page-file-backed sections (CreateFileMapping(INVALID_HANDLE_VALUE, ...)).
 * Handles belong to the process that opened them; a name opens the section
 * that already has it, as Windows does. */
uint32_t mm_create_section(mm_process_t *p, uint32_t protect, uint32_t size_high, uint32_t size_low,
                           const char *name, uint32_t *handle, strbuf_t *why);
uint32_t mm_map_view(mm_process_t *p, uint32_t handle, uint32_t access, uint32_t off_high, uint32_t off_low,
                     uint32_t size, uint32_t base, uint32_t *addr, strbuf_t *why);
uint32_t mm_unmap_view(mm_process_t *p, uint32_t addr, strbuf_t *why);
uint32_t mm_close_handle(mm_process_t *p, uint32_t handle, strbuf_t *why);

/* Files and file-backed sections (fs.c, mm_file.c). Each returns 0 or the
 * GetLastError code, with why explaining. A file is named by a plain file
 * name (no path); names compare without case, as on Windows.
 * mm_create_file: CreateFile(name, access, share, NULL, disposition,
 * attributes, NULL); out: *handle. */
uint32_t mm_create_file(mm_process_t *p, const char *name, uint32_t access, uint32_t share, uint32_t disposition,
                        uint32_t attributes, uint32_t *handle, strbuf_t *why);
/* ReadFile: up to count bytes at the file pointer into buf (count at most
 * the caller's buffer); out: *done, the bytes read (0 at the end). */
uint32_t mm_read_file(mm_process_t *p, uint32_t handle, uint8_t *buf, uint32_t count, uint32_t *done, strbuf_t *why);
/* WriteFile: count bytes of buf at the file pointer (the file grows);
 * out: *done. */
uint32_t mm_write_file(mm_process_t *p, uint32_t handle, const uint8_t *buf, uint32_t count, uint32_t *done,
                       strbuf_t *why);
/* SetFilePointer(handle, distance, NULL, method); out: *pos, the new file
 * pointer. */
uint32_t mm_set_file_pointer(mm_process_t *p, uint32_t handle, int32_t distance, uint32_t method, uint32_t *pos,
                             strbuf_t *why);
/* SetEndOfFile: the file ends at the file pointer. */
uint32_t mm_set_end_of_file(mm_process_t *p, uint32_t handle, strbuf_t *why);
/* GetFileSize; out: *size. */
uint32_t mm_get_file_size(mm_process_t *p, uint32_t handle, uint32_t *size, strbuf_t *why);
/* CreateFileMapping with a file handle (INVALID_HANDLE_VALUE goes to
 * mm_create_section). */
uint32_t mm_create_file_mapping(mm_process_t *p, uint32_t file, uint32_t protect, uint32_t size_high,
                                uint32_t size_low, const char *name, uint32_t *handle, strbuf_t *why);
/* FlushViewOfFile(addr, size): the modified pages of the view's range
 * written to its file (size 0: to the end of the view). */
uint32_t mm_flush_view(mm_process_t *p, uint32_t addr, uint32_t size, strbuf_t *why);
void mm_global_memory_status(const mm_t *mm, mm_memstatus_t *ms);

/* Write watch (allocations reserved with MEM_WRITE_WATCH). GetWriteWatch:
 * the pages of [addr, addr + size) written since the last reset, in
 * address order, at most *count of them into addrs (room for *count);
 * out: *count, the number returned, and *granularity (4096). flags is 0 or
 * WRITE_WATCH_FLAG_RESET, which resets the pages returned (only those).
 * ERROR_INVALID_PARAMETER for other flags, a size or count of 0, or a range
 * not inside one write-watch allocation. ResetWriteWatch: no page of the
 * range counts as written any more; the same errors. */
uint32_t mm_get_write_watch(mm_process_t *p, uint32_t flags, uint32_t addr, uint32_t size, uint32_t *addrs,
                            uint32_t *count, uint32_t *granularity, strbuf_t *why);
uint32_t mm_reset_write_watch(mm_process_t *p, uint32_t addr, uint32_t size, strbuf_t *why);

/* VirtualLock and VirtualUnlock: [addr, addr + size) rounded out to pages
 * (size 0: the page of addr). Every page must be a committed, accessible
 * page of a private allocation (ERROR_NOACCESS; views and images:
 * ERROR_NOT_SUPPORTED, not modelled). VirtualLock brings the pages in and
 * keeps them in the working set, up to the working-set minimum less 8
 * pages (ERROR_WORKING_SET_QUOTA); VirtualUnlock unlocks them, or, for
 * pages that were not locked, takes them out of the working set and fails
 * with ERROR_NOT_LOCKED. */
uint32_t mm_virtual_lock(mm_process_t *p, uint32_t addr, uint32_t size, strbuf_t *why);
uint32_t mm_virtual_unlock(mm_process_t *p, uint32_t addr, uint32_t size, strbuf_t *why);

/* Address Windowing Extensions (mm_awe.c). The page-frame-number arrays
 * AllocateUserPhysicalPages fills are kept by the machine, end to end, as
 * the programs' memory would hold them; a program names element i of the
 * whole sequence by the value MM_AWE_ARRAY_BASE + i (an array is its first
 * element's value, and array + k its element k, as in C). An array handed
 * to another process's call holds frames that are not that process's.
 *
 * mm_awe_alloc: up to want frames from free memory (never by evicting a
 * page; fewer when fewer are free, MSDN AllocateUserPhysicalPages), *got of
 * them, *array the value naming the first; ERROR_PRIVILEGE_NOT_HELD without
 * the lock_pages setting, ERROR_NOT_ENOUGH_MEMORY when no frame is free.
 * mm_awe_map: maps count pages at addr (in one MEM_PHYSICAL region) to the
 * frames the array value names, or unmaps them when array is 0 (NULL); all
 * or nothing (ERROR_INVALID_PARAMETER for an address outside such a region,
 * a frame that is not the process's AWE frame, or one mapped elsewhere).
 * mm_awe_free: unmaps and frees the count frames array names (all must be
 * the process's, else ERROR_INVALID_PARAMETER and nothing freed); *freed.
 * mm_awe_element: the frame number at value v of the process's arrays;
 * false when v names no element. */
#define MM_AWE_ARRAY_BASE 0xA0000000u
uint32_t mm_awe_alloc(mm_process_t *p, uint32_t want, uint32_t *got, uint32_t *array, strbuf_t *why);
uint32_t mm_awe_map(mm_process_t *p, uint32_t addr, uint32_t count, uint32_t array, strbuf_t *why);
uint32_t mm_awe_free(mm_process_t *p, uint32_t count, uint32_t array, uint32_t *freed, strbuf_t *why);
bool mm_awe_element(const mm_process_t *p, uint32_t v, uint32_t *pfn);

/* GetProcessMemoryInfo's PROCESS_MEMORY_COUNTERS_EX, in bytes but for
 * PageFaultCount. */
typedef struct mm_pmc {
    uint32_t PageFaultCount;
    uint32_t PeakWorkingSetSize, WorkingSetSize;
    uint32_t QuotaPeakPagedPoolUsage, QuotaPagedPoolUsage;
    uint32_t QuotaPeakNonPagedPoolUsage, QuotaNonPagedPoolUsage;
    uint32_t PagefileUsage, PeakPagefileUsage;
    uint32_t PrivateUsage;
} mm_pmc_t;

/* The counters of process p, from what the memory manager keeps: the page
 * faults its accesses resolved (demand-zero, soft, hard, copy-on-write,
 * guard) plus those that raised an access violation; its working set (its
 * resident user pages) and peak; its private committed bytes and their
 * peak (PagefileUsage and PrivateUsage alike, as on XP). The pool quotas
 * are 0: the simulator has no kernel pools (why, when not NULL, says so). */
void mm_process_memory_info(const mm_process_t *p, mm_pmc_t *pmc, strbuf_t *why);

/* GetProcessWorkingSetSize: p's working-set minimum and maximum, bytes. */
void mm_get_ws_size(const mm_process_t *p, uint32_t *min, uint32_t *max);
/* SetProcessWorkingSetSize with Windows's rules (MSDN): both 0xFFFFFFFF
 * ((SIZE_T)-1) empties the working set (mm_empty_ws); else both must be
 * above 0, min <= max, the maximum at least 13 pages and under the user
 * frames less 512, or ERROR_INVALID_PARAMETER; a minimum under 20 pages
 * becomes 20. The minimum bounds what VirtualLock may lock. 0 or the error
 * (why says which rule). */
uint32_t mm_set_ws_size(mm_process_t *p, uint32_t min, uint32_t max, strbuf_t *why);
/* EmptyWorkingSet: every valid private page of p that is not locked leaves
 * the working set to transition (its frame keeps its contents), and every
 * valid page of a view or an image goes back to its prototype PTE (the
 * frame stays the section's or the file cache's); the next touch of either
 * is a soft fault. Locked and AWE pages stay. Always 0. */
uint32_t mm_empty_ws(mm_process_t *p, strbuf_t *why);
/* One PSAPI_WORKING_SET_BLOCK: a page of the working set. */
typedef struct mm_ws_entry {
    uint32_t va;          /* VirtualPage << 12                              */
    uint32_t protection;  /* the page's protection, as the 5-bit Protection
                             field (1 read-only ... 4 read/write ...)       */
    bool shared;          /* a section's frame, which views may share       */
    uint32_t share_count; /* the PTEs that map the frame, at most 7; 0 for
                             a page that is not shared                      */
} mm_ws_entry_t;
/* QueryWorkingSet: p's working-set pages in address order (its valid user
 * PTEs but the shared data page), the first room of them into out; *total
 * is how many there are. ERROR_BAD_LENGTH when room is too small (*total
 * still says how many), else 0. Not modelled (why says so): the page
 * tables and the system pages Windows lists too. */
uint32_t mm_query_ws(const mm_process_t *p, mm_ws_entry_t *out, uint32_t room, uint32_t *total, strbuf_t *why);

/* Process handles (mm_prochandle.c). ---------------------------------- */

/* GetCurrentProcess()'s pseudo-handle, (HANDLE)-1. */
#define MM_CURRENT_PROCESS 0xFFFFFFFFu
/* OpenProcess(access, inherit, pid) for the process named name (the
 * simulator's processes have names where Windows has IDs): a handle of p
 * with the rights access asks for, generic rights mapped to the process
 * object's (GENERIC_READ: PROCESS_VM_READ | PROCESS_QUERY_INFORMATION |
 * READ_CONTROL, ...; GENERIC_ALL and MAXIMUM_ALLOWED: PROCESS_ALL_ACCESS),
 * every right granted (the scenario's user owns every process).
 * ERROR_INVALID_PARAMETER when no process has that name; 0 and *handle on
 * success. inherit is kept by no one (no child processes). */
uint32_t mm_open_process(mm_process_t *p, uint32_t access, const char *name, uint32_t *handle, strbuf_t *why);
/* The process a handle of p names with the rights `need` (all of them):
 * MM_CURRENT_PROCESS is p itself, with every right; else an open process
 * handle of p. ERROR_INVALID_HANDLE for anything else (a closed handle, a
 * section's or a file's), ERROR_ACCESS_DENIED when the handle lacks a
 * right; 0 and *out on success. */
uint32_t mm_process_handle(mm_process_t *p, uint32_t handle, uint32_t need, mm_process_t **out, strbuf_t *why);
/* VirtualQueryEx(process, addr): VirtualQuery in the process the handle
 * names, which must have PROCESS_QUERY_INFORMATION (MSDN VirtualQueryEx). */
uint32_t mm_virtual_query_ex(mm_process_t *p, uint32_t process, uint32_t addr, mm_mbi_t *mbi, strbuf_t *why);

/* Accesses from user mode. -------------------------------------------- */

/* How the memory manager resolved a page fault. */
typedef enum {
    MM_RES_NONE = 0,        /* no fault                                      */
    MM_RES_DEMAND_ZERO,     /* a committed page touched for the first time   */
    MM_RES_SOFT,            /* the page was in memory (transition)           */
    MM_RES_PAGEFILE,        /* read back from the page file (hard fault)     */
    MM_RES_COPY_ON_WRITE,   /* a private copy of a shared page               */
    MM_RES_ACCESS_VIOLATION,
    MM_RES_GUARD,           /* guard page: STATUS_GUARD_PAGE_VIOLATION       */
    MM_RES_STACK_GROWTH,    /* the thread's stack guard page: the stack grew */
    MM_RES_STACK_OVERFLOW,  /* ... at the end of the stack: STATUS_STACK_OVERFLOW */
    MM_RES_FILE,            /* read from a mapped file (hard fault)          */
} mm_resolution_t;

const char *mm_resolution_str(mm_resolution_t r); /* "demand_zero", ...     */

typedef struct mm_access {
    uint32_t exception;     /* 0, EXCEPTION_ACCESS_VIOLATION,
                               STATUS_GUARD_PAGE_VIOLATION or
                               STATUS_STACK_OVERFLOW                         */
    mmu_access_t access;    /* the access that faulted                       */
    uint32_t fault_addr;
    mm_resolution_t resolved;
    bool host_oom;          /* the host ran out of memory: the access did not
                               happen and raised nothing (false returned)   */
    strbuf_t *why;          /* optional: the explanation of a fault          */
} mm_access_t;

/* One byte. Returns false when the access raised an exception (in *acc). */
bool mm_read8(mm_process_t *p, uint32_t addr, uint8_t *value, mm_access_t *acc);
bool mm_write8(mm_process_t *p, uint32_t addr, uint8_t value, mm_access_t *acc);
/* A write access that leaves the byte as it is (an interlocked OR of 0). */
bool mm_touch_write(mm_process_t *p, uint32_t addr, mm_access_t *acc);

/* translate in a process: the hardware walk, and when it faults, how the
 * memory manager resolves it (for a user-mode access the page is made
 * present and the walk retried, as the faulting instruction would be). */
void mm_translate(mm_process_t *p, uint32_t va, mmu_access_t acc, mmu_mode_t mode, mmu_walk_t *first,
                  mmu_walk_t *retry, bool *retried, mm_access_t *res);

/* Counters. ------------------------------------------------------------- */

typedef struct mm_stats {
    uint64_t demand_zero_faults, soft_faults, hard_faults, cow_faults;
    uint64_t access_violations, guard_faults;
    uint64_t stack_growths, stack_overflows; /* guard faults that grew a thread's
                                                stack, and that overflowed it */
    uint64_t pagefile_reads, pagefile_writes;
    uint64_t file_reads, file_writes; /* pages read from and written to files */
    uint32_t page_table_pages;   /* this process's, the directory excluded  */
    uint32_t working_set;        /* resident user pages of this process      */
    uint32_t peak_working_set;
    uint64_t private_commit;     /* bytes committed by this process          */
    uint64_t commit_charge;      /* bytes, system-wide                       */
    uint64_t commit_limit;
    uint32_t free_frames;
    uint32_t allocations;        /* VAD tree nodes                           */
} mm_stats_t;

void mm_stats(const mm_process_t *p, mm_stats_t *out);

/* Invariants. ----------------------------------------------------------- */

/* Checks every invariant of the memory manager over the whole machine (the
 * working sets, page-table use counts, the PFN database, the replacement
 * policy, page-file slots, commit charge, sections, the VAD trees and the
 * TLB; see mm_check.c). True when all hold; else false with one sentence in
 * msg (n bytes) naming the invariant and the address. Reads only. */
bool mm_check(const mm_t *mm, char *msg, size_t n);

/* Allocations in address order, for !vad and the front ends. ----------- */

typedef struct mm_alloc_info {
    uint32_t start, end;    /* [start, end)                                  */
    uint32_t type, alloc_protect, tag;
    bool system;            /* made by the layout (image, stack, ...)        */
    const char *label;      /* "image", "stack", ... for system ones         */
    uint32_t committed_pages;
} mm_alloc_info_t;

/* The i-th allocation (0-based) in address order; false past the end.
 * O(log n) in the number of allocations, plus the count of its committed
 * pages (tables that do not exist are skipped 4 MB at a time). */
bool mm_alloc_at(const mm_process_t *p, uint32_t i, mm_alloc_info_t *out);
/* The first allocation that ends above addr (the one holding addr, or the
 * next); false when none does. A walk in address order:
 *   for (uint32_t a = 0; mm_alloc_from(p, a, &info) && info.end; a = info.end) ...
 */
bool mm_alloc_from(const mm_process_t *p, uint32_t addr, mm_alloc_info_t *out);
uint32_t mm_alloc_count(const mm_process_t *p);

#endif
