/* The NT heap of Windows XP SP2/SP3 (x86), as a client of the simulated
 * memory manager: HeapCreate / HeapAlloc / HeapReAlloc / HeapFree /
 * HeapSize / HeapDestroy / GetProcessHeap(s) / HeapWalk / HeapValidate,
 * with segments reserved and committed through the same code VirtualAlloc
 * uses, 8-byte HEAP_ENTRY headers written into the process's simulated
 * memory, FreeLists[128] and coalescing, blocks above the virtual-memory
 * threshold in a region of their own and decommit of free space at the
 * end of a segment. On top of it, the C runtime (malloc, calloc, realloc,
 * free over the process heap, as XP's msvcrt.dll does) and Delphi 7's
 * memory manager for large blocks (GetMemory / FreeMemory).
 *
 * The heap's handle is its base address, as on Windows. Every call returns
 * the GetLastError code the call leaves (0 when it succeeds or when Windows
 * does not set one) and, when why is not NULL, one or two sentences on the
 * rule that decided. In simulated memory (see docs/heap.md):
 *
 *   HEAP_ENTRY (8 bytes, before every block)
 *     +0 u16 Size          the block in 8-byte units, header included
 *     +2 u16 PreviousSize  the block before it, in units
 *     +4 u8  SmallTagIndex the cookie: (address >> 3) ^ the heap's cookie
 *     +5 u8  Flags         HEAP_ENTRY_* below
 *     +6 u8  UnusedBytes   units * 8 - the bytes asked for
 *     +7 u8  SegmentIndex
 *   a free block continues with FLINK, BLINK (+8, +12): the next and the
 *   previous free entry's list entry, or the list head in the HEAP
 *   structure (FreeLists[i] at heap + 0x178 + 8 i).
 */
#ifndef PAGESIM_HEAP_H
#define PAGESIM_HEAP_H

#include "pagesim/mm.h"
#include <stdbool.h>
#include <stdint.h>

/* HEAP_ENTRY.Flags. */
#define HEAP_ENTRY_BUSY          0x01u
#define HEAP_ENTRY_EXTRA_PRESENT 0x02u
#define HEAP_ENTRY_VIRTUAL_ALLOC 0x08u
#define HEAP_ENTRY_LAST_ENTRY    0x10u

/* Sizes and thresholds of XP's heap (PEB defaults; see docs/heap.md). */
#define HEAP_GRANULARITY        8u          /* one unit                        */
#define HEAP_SEGMENT_RESERVE    0x100000u   /* PEB HeapSegmentReserve          */
#define HEAP_SEGMENT_COMMIT     0x2000u     /* PEB HeapSegmentCommit           */
#define HEAP_DECOMMIT_BLOCK     0x1000u     /* HeapDeCommitFreeBlockThreshold  */
#define HEAP_DECOMMIT_TOTAL     0x10000u    /* HeapDeCommitTotalFreeThreshold  */
#define HEAP_MAX_BLOCK_UNITS    0xFE00u     /* VirtualMemoryThreshold, units   */
#define HEAP_MAX_FIXED_ALLOC    0x7FFF8u    /* largest request a fixed heap takes */
#define HEAP_MAX_SEGMENTS       64u
#define HEAP_MAX_HEAPS          1024u
#define HEAP_FIRST_BLOCK        0x680u      /* first entry after HEAP + HEAP_SEGMENT */
#define HEAP_SEGMENT_HEADER     0x40u       /* a later segment's HEAP_SEGMENT  */
#define HEAP_VIRTUAL_HEADER     0x20u       /* HEAP_VIRTUAL_ALLOC_ENTRY        */
#define HEAP_LOOKASIDE_BYTES    0x1800u     /* 128 HEAP_LOOKASIDE lists        */
#define HEAP_SIGNATURE          0xEEFFEEFFu
#define HEAP_FREELISTS_OFFSET   0x178u

/* Flags of HeapCreate / HeapAlloc (winnt.h values). */
#define PS_HEAP_NO_SERIALIZE         0x00000001u
#define PS_HEAP_GROWABLE             0x00000002u
#define PS_HEAP_GENERATE_EXCEPTIONS  0x00000004u
#define PS_HEAP_ZERO_MEMORY          0x00000008u
#define PS_HEAP_REALLOC_IN_PLACE_ONLY 0x00000010u
#define PS_HEAP_CREATE_ENABLE_EXECUTE 0x00040000u

/* The outcome of an allocating call: the pointer (0 when it failed), the
 * GetLastError code, and the exception raised instead of returning NULL
 * (STATUS_NO_MEMORY with HEAP_GENERATE_EXCEPTIONS; 0: none). */
typedef struct heap_result {
    uint32_t ptr;
    uint32_t error;
    uint32_t exception;
} heap_result_t;

/* HeapCreate(options, initial, maximum). out: r->ptr, the handle. */
void heap_create(mm_process_t *p, uint32_t options, uint32_t initial, uint32_t maximum, heap_result_t *r,
                 strbuf_t *why);
/* HeapDestroy: releases every segment and large block. The process heap
 * cannot be destroyed (FALSE, as on XP). Returns the error (0: TRUE). */
uint32_t heap_destroy(mm_process_t *p, uint32_t heap, strbuf_t *why);
/* HeapAlloc(heap, flags, size). */
void heap_alloc(mm_process_t *p, uint32_t heap, uint32_t flags, uint32_t size, heap_result_t *r, strbuf_t *why);
/* HeapReAlloc(heap, flags, ptr, size). */
void heap_realloc(mm_process_t *p, uint32_t heap, uint32_t flags, uint32_t ptr, uint32_t size, heap_result_t *r,
                  strbuf_t *why);
/* HeapFree(heap, flags, ptr): 0 when it returns TRUE (a NULL ptr too). */
uint32_t heap_free(mm_process_t *p, uint32_t heap, uint32_t flags, uint32_t ptr, strbuf_t *why);
/* HeapSize: out *size, 0xFFFFFFFF ((SIZE_T)-1) when it fails. */
uint32_t heap_size(mm_process_t *p, uint32_t heap, uint32_t flags, uint32_t ptr, uint32_t *size, strbuf_t *why);
/* HeapValidate(heap, flags, ptr): the whole heap when ptr is 0; it reads
 * the headers in simulated memory, so a block overwritten by the program
 * makes it fail. Returns true for TRUE. */
bool heap_validate(mm_process_t *p, uint32_t heap, uint32_t ptr, strbuf_t *why);
/* GetProcessHeap: 0 when the process has none (the empty layout). */
uint32_t heap_process_heap(const mm_process_t *p);
/* GetProcessHeaps: the number of heaps; their handles, in creation
 * order, into out (up to n of them). */
uint32_t heap_list(const mm_process_t *p, uint32_t *out, uint32_t n);
/* Makes the process heap at base (the typical layout's 0x00140000). */
bool heap_create_process_heap(mm_process_t *p, uint32_t base, uint32_t reserve, uint32_t commit, strbuf_t *why);

/* Queries for HeapWalk, !heap and the front ends. -------------------- */

/* One entry of HeapWalk (PROCESS_HEAP_ENTRY's fields). */
#define PS_PROCESS_HEAP_REGION            0x0001u
#define PS_PROCESS_HEAP_UNCOMMITTED_RANGE 0x0002u
#define PS_PROCESS_HEAP_ENTRY_BUSY        0x0004u
typedef struct heap_walk_entry {
    uint32_t data;       /* lpData                                         */
    uint32_t size;       /* cbData                                         */
    uint32_t overhead;   /* cbOverhead                                     */
    uint32_t region;     /* iRegionIndex                                   */
    uint32_t flags;      /* PS_PROCESS_HEAP_*                              */
    uint32_t committed, uncommitted, first, last; /* a region's            */
    uint32_t cursor[2];  /* where the walk is: 0, 0 before the first entry  */
} heap_walk_entry_t;

/* HeapWalk: the entry after *e (the first when e is all zeros; change
 * nothing in it between calls, as with PROCESS_HEAP_ENTRY). Returns 0
 * with *e filled, ERROR_NO_MORE_ITEMS at the end, ERROR_INVALID_HANDLE for
 * a heap that is not one. */
uint32_t heap_walk(mm_process_t *p, uint32_t heap, heap_walk_entry_t *e);

/* What the front ends and !heap show. */
typedef struct heap_info {
    uint32_t handle, flags, maximum;
    uint32_t segments, reserved, committed;  /* bytes of segments           */
    uint32_t busy_blocks, busy_bytes, free_blocks, free_bytes;
    uint32_t virtual_blocks, virtual_bytes;
    bool process_heap;
} heap_info_t;
bool heap_info(const mm_process_t *p, uint32_t heap, heap_info_t *out);

/* A segment or a large block's region; false past the end. */
typedef struct heap_segment_info {
    uint32_t heap, base, first_block, commit_end, reserve_end;
    bool virtual_block;  /* a block above the threshold, alone in its region */
} heap_segment_info_t;
bool heap_segment_at(const mm_process_t *p, uint32_t i, heap_segment_info_t *out);
/* The heap segment (or large block region) that holds addr; false if none. */
bool heap_segment_of(const mm_process_t *p, uint32_t addr, heap_segment_info_t *out);

/* The blocks of the segment holding addr, in address order, from the one
 * at or after from: the i-th block found. */
typedef struct heap_block_info {
    uint32_t header;     /* the HEAP_ENTRY's address                        */
    uint32_t units;      /* Size                                            */
    uint32_t prev_units; /* PreviousSize                                    */
    uint32_t flags;      /* HEAP_ENTRY_*                                    */
    uint32_t requested;  /* bytes asked for (busy blocks)                   */
} heap_block_info_t;
/* The first block of the segment holding seg_addr whose header is at or
 * after from; false when there is none. */
bool heap_block_from(const mm_process_t *p, uint32_t seg_addr, uint32_t from, heap_block_info_t *out);

/* Checks the invariants of every heap of p (free lists consistent, the
 * blocks tiling each segment's committed space, sizes agreeing, the index
 * finding every block); false with a sentence in msg. Reads only. */
bool heap_check(const mm_process_t *p, char *msg, size_t n);

/* The C runtime and Delphi's memory manager. ----------------------------- */

/* malloc, calloc, realloc, free of msvcrt.dll: its own heap, made with
 * HeapCreate(0, 0, 0) by the first call (crt.c says why), and
 * HeapAlloc(that heap, 0, size ? size : 1). A failure returns 0 with the
 * last error HeapAlloc / HeapReAlloc left (errno is not modelled). */
void crt_malloc(mm_process_t *p, uint32_t size, heap_result_t *r, strbuf_t *why);
void crt_calloc(mm_process_t *p, uint32_t count, uint32_t size, heap_result_t *r, strbuf_t *why);
void crt_realloc(mm_process_t *p, uint32_t ptr, uint32_t size, heap_result_t *r, strbuf_t *why);
uint32_t crt_free(mm_process_t *p, uint32_t ptr, strbuf_t *why);

/* Delphi 7's memory manager (getmem.inc) for a block larger than any of
 * its free space: the request plus its 4-byte header, rounded up to 4
 * (cAlign), is the block's size; the header holds it with cThisUsedFlag
 * (2) set. The space comes from a new region reserved in 1 MB steps
 * (cSpaceAlloc) and committed in 16 KB steps (cCommitAlloc), so 1000 MB
 * gives the header 0x3E800006 and a committed region of 0x3E804000 bytes
 * (seed 000). See docs/heap.md. */
#define DELPHI_ALIGN         4u
#define DELPHI_USED_FLAG     2u
#define DELPHI_SPACE_ALLOC   0x100000u
#define DELPHI_COMMIT_ALLOC  0x4000u
void delphi_get_memory(mm_process_t *p, uint32_t size, heap_result_t *r, strbuf_t *why);
uint32_t delphi_free_memory(mm_process_t *p, uint32_t ptr, strbuf_t *why);

#endif
