/* Heap internals: the host-side model of every heap of a process, which
 * decides, and the simulated memory it mirrors into (the HEAP_ENTRY
 * headers and free-list links a program or WinDbg would read).
 *
 * The model. A process has one heap_set: its heaps, one pool of block
 * records shared by them, and a hash index from a block's header address
 * to its record (so HeapFree finds a pointer in O(1) and tells a foreign
 * one). A heap has up to 64 segments; the blocks of a segment tile
 * [first, commit_end) in address order through prev/next, and every free
 * block sits in exactly one free list: lists 1..127 hold blocks of exactly
 * that many units (XP's FreeLists[1..127]), lists 128..135 hold larger
 * ones by power of two (XP keeps them in FreeLists[0], sorted; bins give
 * the same smallest-fit choice without a linear insert). A bitmap says
 * which lists are not empty, and each list keeps its last block. A bit
 * for each 8 bytes of address space says where a busy block starts.
 * Blocks above the threshold are records of their own with
 * HEAP_ENTRY_VIRTUAL_ALLOC, in a region of their own.
 *
 * Invariants (heap_check): the blocks of a segment tile it with no gap;
 * no two free blocks are neighbours (coalescing); prev_units agrees with
 * the neighbour; every free block is in the list its size names, every
 * listed block is free, and the links run both ways to the kept last
 * block; the bitmap matches the lists; the busy bits are the busy blocks'
 * starts and nothing else; the index finds every live record and nothing
 * else, and the records free for reuse are the rest; the totals agree. */
#ifndef PAGESIM_HEAP_INT_H
#define PAGESIM_HEAP_INT_H

#include "mm_int.h"
#include "pagesim/heap.h"
#include <string.h>

#define HEAP_EXACT_LISTS 128u
#define HEAP_BIG_BINS    9u
#define HEAP_NLISTS      (HEAP_EXACT_LISTS + HEAP_BIG_BINS)
#define HEAP_NONE        0u   /* "no block": indexes are stored + 1 */

/* A block record is a cache line of its own (the pool is aligned to 64
 * bytes): a HeapAlloc/HeapFree pair reaches a dozen records at random, and
 * one that straddled two lines would cost two misses. */
typedef struct hblk {
    _Alignas(64) uint32_t addr; /* the HEAP_ENTRY's address                   */
    uint32_t units;           /* Size; a virtual block: its region's bytes / 8 */
    uint32_t req;             /* bytes asked for (busy)                        */
    uint32_t prev, next;      /* neighbours in the segment (index + 1)         */
    uint32_t fprev, fnext;    /* free-list links (index + 1; 0 past the
                                 list's first and last blocks)              */
    uint16_t heap;            /* index in the set                              */
    uint8_t flags;            /* HEAP_ENTRY_*; 0 and units 0: a dead record    */
    uint8_t seg;              /* SegmentIndex                                  */
    uint16_t prev_units;      /* PreviousSize: the units of prev (0: none), so
                                 a header is written without reaching it     */
    uint32_t flink, blink;    /* a free block's FreeList links as memory holds
                                 them (heap_link_addr of fnext and fprev, or
                                 the list head), kept by the list functions so
                                 that writing its entry reaches no other record */
} hblk_t;

typedef struct hseg {
    uint32_t base, first;     /* the region, and its first block's header      */
    uint32_t commit_end, reserve_end;
    uint32_t head, tail;      /* first and last block (index + 1)              */
} hseg_t;

typedef struct heap {
    uint32_t base;            /* the handle                                    */
    uint32_t flags;           /* HEAP_* the heap was made with (GROWABLE ...)  */
    uint32_t maximum;         /* the fixed size (0: growable)                  */
    uint32_t next_reserve;    /* what the next segment reserves                */
    uint8_t cookie;
    bool process_heap;
    uint32_t nseg;
    hseg_t seg[HEAP_MAX_SEGMENTS];
    uint32_t list[HEAP_NLISTS];       /* first block of each list (index + 1)  */
    uint32_t last[HEAP_NLISTS];       /* its last block (index + 1)            */
    uint32_t last_link[HEAP_NLISTS];  /* the last block's user area: the link a
                                         block put after it holds (so that an
                                         insert reaches no other record)       */
    uint32_t in_use[(HEAP_NLISTS + 31) / 32];
    uint32_t nvirt, capvirt;
    uint32_t *virt;           /* the large blocks (index + 1), in order made   */
    uint64_t free_bytes;      /* TotalFreeSize * 8                             */
} heap_t;

/* A slot of the index: the address is kept beside the record so that a
 * probe compares without reaching into the pool (b 0: an empty slot). */
typedef struct hslot {
    uint32_t addr, b;
} hslot_t;

/* A page of the store cache: the host bytes of the frame behind a virtual
 * page, for stores that need nothing but the copy (see heap_poke). */
typedef struct hpage {
    uint32_t page;            /* va >> 12, plus 1 (0: an empty entry)          */
    uint32_t gen;             /* phys_generation when it was looked up         */
    uint8_t *data;            /* the frame's 4096 bytes, held by this memory alone */
} hpage_t;

#define HEAP_BUSY_LEAF   0x10000u /* bytes of address space a leaf covers */
#define HEAP_BUSY_LEAVES (1u << (32 - 16))
#define HEAP_BUSY_WORDS  (HEAP_BUSY_LEAF / 8u / 64u)

#define HEAP_PAGE_CACHE_BITS 14u
#define HEAP_PAGE_CACHE (1u << HEAP_PAGE_CACHE_BITS) /* entries, one per slot  */
/* The slot of a virtual page (va >> 12): by a multiplicative hash, since a
 * heap's segments are often a power of two apart, and a slot taken from
 * the page's low bits would give theirs the same slots. */
static inline uint32_t heap_page_slot(uint32_t page)
{
    return (page * 0x9E3779B1u) >> (32u - HEAP_PAGE_CACHE_BITS);
}

struct heap_set {
    heap_t **heaps;
    uint32_t nheaps, capheaps;
    hblk_t *blk;              /* the records, in blk_mem on a 64-byte boundary */
    void *blk_mem;
    uint32_t nblk, capblk;
    uint32_t *dead;           /* the records free for reuse (index + 1), a stack */
    uint32_t ndead, capdead;
    hslot_t *index;           /* open addressing: addr -> index + 1           */
    uint32_t icap, icount;    /* icap: a power of two (0: none yet)            */
    uint32_t crt_heap;        /* msvcrt's heap, made by the first CRT call     */
    uint32_t *delphi;         /* Delphi's large-block regions (bases)          */
    uint32_t ndelphi, capdelphi;
    bool direct;              /* writes go straight to resident frames (the
                                 layout making the process heap)              */
    hpage_t *pages;           /* the store cache (NULL: none yet, or no host
                                 memory for it: every store looks up)         */
    uint64_t **busy;          /* a bit for each 8 bytes of the address space,
                                 set where a busy block of a segment starts:
                                 HEAP_BUSY_LEAVES leaves of HEAP_BUSY_LEAF
                                 bytes' bits (NULL: none set there), so that
                                 HeapFree tells a busy neighbour without
                                 reaching its record                          */
    const uint32_t *gen;      /* the generation of the memory its entries are
                                 of (set with the first entry)                */
};

/* The set (heap_store.c). */
heap_set_t *heap_set_of(mm_process_t *p);   /* made on first use; NULL: OOM  */
heap_t *heap_find(const mm_process_t *p, uint32_t handle, uint32_t *index);
uint32_t heap_blk_new(mm_process_t *p, heap_set_t *s);  /* index + 1, 0: OOM */
void heap_blk_dead(heap_set_t *s, uint32_t b);
uint32_t heap_index_find(const heap_set_t *s, uint32_t addr);
bool heap_index_add(mm_process_t *p, heap_set_t *s, uint32_t addr, uint32_t b);
void heap_index_remove(heap_set_t *s, uint32_t addr);
static inline hblk_t *B(heap_set_t *s, uint32_t b) { return &s->blk[b - 1]; }

/* Whether a busy block of a segment starts at addr. */
static inline bool heap_busy_at(const heap_set_t *s, uint32_t addr)
{
    const uint64_t *leaf = s->busy ? s->busy[addr / HEAP_BUSY_LEAF] : NULL;
    uint32_t g = (addr % HEAP_BUSY_LEAF) / 8u;
    return leaf && ((leaf[g / 64u] >> (g % 64u)) & 1u);
}
/* Sets or clears that bit; false when the host has no memory for it. */
bool heap_busy_mark(mm_process_t *p, heap_set_t *s, uint32_t addr, bool on);

/* Free lists. */
uint32_t heap_list_of(uint32_t units);
void heap_list_insert(heap_set_t *s, heap_t *h, uint32_t b);
void heap_list_remove(heap_set_t *s, heap_t *h, uint32_t b);
/* The smallest free block of at least units (0: none). */
uint32_t heap_list_fit(heap_set_t *s, const heap_t *h, uint32_t units);

/* Simulated memory (heap_mem.c). heap_poke writes bytes as the program's
 * heap code would (faulting pages in); false when an access raised an
 * exception or the host ran out of memory. */
bool heap_poke(mm_process_t *p, uint32_t va, const void *data, uint32_t n);
bool heap_peek(mm_process_t *p, uint32_t va, void *data, uint32_t n);
bool heap_fill(mm_process_t *p, uint32_t va, uint8_t value, uint32_t n);
/* The bytes at va in the frame the store cache has for its page (NULL:
 * not cached, or no longer valid). */
static inline uint8_t *heap_cached(const heap_set_t *s, uint32_t va)
{
    const hpage_t *e = s->pages ? &s->pages[heap_page_slot(va >> X86_PAGE_SHIFT)] : NULL;
    if (!e || e->page != (va >> X86_PAGE_SHIFT) + 1 || e->gen != *s->gen) return NULL;
    return e->data + (va & 0xFFFu);
}
/* A store of 2, 4, 8 or 16 bytes, as heap_poke: a copy when the cache has
 * the page (the usual case, so it is made here, without a call). */
static inline bool heap_store(mm_process_t *p, uint32_t va, const void *data, uint32_t n)
{
    heap_set_t *s = p->heaps;
    uint8_t *at = s && !s->direct && (va & 0xFFFu) + n <= X86_PAGE_SIZE ? heap_cached(s, va) : NULL;
    if (!at) return heap_poke(p, va, data, n);
    switch (n) {
    case 2: memcpy(at, data, 2); break;
    case 4: memcpy(at, data, 4); break;
    case 8: memcpy(at, data, 8); break;
    case 16: memcpy(at, data, 16); break;
    default: memcpy(at, data, n); break;
    }
    return true;
}
#if defined(__GNUC__) || defined(__clang__)
#define HEAP_PREFETCH(addr) __builtin_prefetch(addr)
#else
#define HEAP_PREFETCH(addr) ((void)(addr))
#endif
/* Asks the host to bring the bytes at va into its cache, when the store
 * cache has va's page (a hint: nothing observable changes). */
void heap_prefetch(heap_set_t *s, const mm_process_t *p, uint32_t va);
/* Empties the store cache (its frames are shared with a copy now). */
void heap_pages_drop(heap_set_t *s);
/* The HEAP_ENTRY of b as it should be in memory, and writing it (with the
 * free links of a free block). */
void heap_entry_bytes(const heap_set_t *s, const heap_t *h, uint32_t b, uint8_t out[16], uint32_t *n);
bool heap_write_entry(mm_process_t *p, heap_set_t *s, const heap_t *h, uint32_t b);
/* The list entry address a free link points to: the block's user area, or
 * the list head in the HEAP structure. */
uint32_t heap_link_addr(const heap_set_t *s, const heap_t *h, uint32_t b, uint32_t list);

/* Blocks (heap_block.c). */
/* Makes block b free, coalescing with free neighbours. fresh: b's size is
 * new to the block after it (a split left it), whose PreviousSize is then
 * written even when nothing merges. */
bool heap_free_range(mm_process_t *p, heap_set_t *s, heap_t *h, bool fresh, uint32_t b);
/* Takes need units of free block b for a busy block (splitting). */
/* Splits block b of h after its first need units: the rest becomes a new
 * record, linked after b, with flags (0: free, not yet listed). Returns
 * the new record, 0 when none could be had (b unchanged). */
uint32_t heap_split(mm_process_t *p, heap_set_t *s, heap_t *h, uint32_t b, uint32_t need, uint8_t flags);
bool heap_take(mm_process_t *p, heap_set_t *s, heap_t *h, uint32_t b, uint32_t need, uint32_t req);
/* Grows a heap so that a free block of need units exists: commits more of
 * a segment or makes a new one. */
bool heap_extend(mm_process_t *p, heap_set_t *s, heap_t *h, uint32_t need, strbuf_t *why);
/* Decommits the pages past a free block at the end of a segment, when the
 * thresholds say so. */
void heap_maybe_decommit(mm_process_t *p, heap_set_t *s, heap_t *h, uint32_t b);
/* Units for a request of size bytes (header included, 8-byte granules). */
static inline uint32_t heap_units(uint32_t size)
{
    return (uint32_t)((((uint64_t)(size ? size : 1) + 15u) & ~7ull) / 8u);
}

/* Deep copies and release, for mm_clone and process teardown. */
heap_set_t *heap_set_clone(const ps_alloc_t *a, const heap_set_t *src);
void heap_set_free(const ps_alloc_t *a, heap_set_t *s);

#endif
