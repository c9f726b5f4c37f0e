/* Heap internals: the host-side model of every heap of a process, which
 * decides, and the simulated memory it mirrors into (the HEAP_ENTRY
 * headers and free-list links a program or WinDbg would read).
 *
 * The model. A process has one heap_set: its heaps, and the record of
 * every block kept at the block's own address in a shadow of the address
 * space (16 bytes for each 8-byte granule, in 8 KB pages made for the 4 KB
 * pages where a block starts), so that HeapFree finds a pointer's record,
 * or learns that it is foreign, with no search, and a block's neighbours
 * are found by its size and PreviousSize. A heap has up to 64 segments;
 * the blocks of a segment tile [first, commit_end) in address order, the
 * last one kept, and every free block sits in exactly one free list:
 * lists 1..127 hold blocks of exactly that many units (XP's
 * FreeLists[1..127]), lists 128..135 hold larger ones by power of two (XP
 * keeps them in FreeLists[0], sorted; bins give the same smallest-fit
 * choice without a linear insert). A bitmap says which lists are not
 * empty, and each list keeps its last block. A bit for each 8 bytes of
 * address space says where a busy block starts. Blocks above the
 * threshold are records of their own with HEAP_ENTRY_VIRTUAL_ALLOC, in a
 * region of their own.
 *
 * Invariants (heap_check): the blocks of a segment tile it with no gap and
 * end at its kept last block; no two free blocks are neighbours
 * (coalescing); PreviousSize agrees with the neighbour; every free block
 * is in the list its size names, every listed block is free, and the links
 * run both ways to the kept last block; the bitmap matches the lists; the
 * busy bits are the busy blocks' starts and nothing else; the shadow holds
 * a record at every block's address and nowhere else, and each of its
 * pages counts its records; the totals agree. */
#ifndef PAGESIM_HEAP_INT_H
#define PAGESIM_HEAP_INT_H

#include "mm_int.h"
#include "pagesim/heap.h"
#include <string.h>

#define HEAP_EXACT_LISTS 128u
#define HEAP_BIG_BINS    9u
#define HEAP_NLISTS      (HEAP_EXACT_LISTS + HEAP_BIG_BINS)

/* A block record, at its block's address in the shadow. A busy block
 * keeps the bytes asked for, a free one its list neighbours (addresses of
 * their headers, 0 past the list's first and last blocks: the links
 * memory holds follow from them). A large block's region is too large for
 * units: its units are 0 and its region's bytes / 8 are vunits. */
typedef struct hblk {
    uint16_t units;           /* Size; 0 for a large block                    */
    uint16_t prev_units;      /* PreviousSize (0: the segment's first block)   */
    uint8_t flags;            /* HEAP_ENTRY_*                                  */
    uint8_t seg;              /* SegmentIndex                                  */
    uint16_t heap;            /* index in the set                              */
    union {
        uint32_t req;         /* busy: bytes asked for                         */
        uint32_t fprev;       /* free: the block before in its list            */
    };
    union {
        uint32_t fnext;       /* free: the block after in its list             */
        uint32_t vunits;      /* a large block: its region's bytes / 8         */
    };
} hblk_t;

/* Whether a record holds a block (a cleared one does not). */
static inline bool heap_blk_live(const hblk_t *e) { return e->units || (e->flags & HEAP_ENTRY_VIRTUAL_ALLOC); }

typedef struct hseg {
    uint32_t base, first;     /* the region, and its first block's header      */
    uint32_t commit_end, reserve_end;
    uint32_t tail;            /* the last block's address (0: none yet)        */
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
    uint32_t list[HEAP_NLISTS];       /* first block of each list (address)   */
    uint32_t last[HEAP_NLISTS];       /* its last block                       */
    uint32_t in_use[(HEAP_NLISTS + 31) / 32];
    uint32_t nvirt, capvirt;
    uint32_t *virt;           /* the large blocks' addresses, in order made    */
    uint64_t free_bytes;      /* TotalFreeSize * 8                             */
} heap_t;

/* A page's entry in the store cache: the host bytes of the frame behind
 * it, for stores that need nothing but the copy (see heap_poke). */
typedef struct hpage {
    uint32_t gen;             /* phys_generation when it was looked up         */
    uint32_t epoch;           /* the set's epoch then (heap_pages_drop)        */
    uint8_t *data;            /* the frame's 4096 bytes, held by this memory
                                 alone (NULL: none)                            */
} hpage_t;

#define HEAP_LEAF        0x10000u /* bytes of address space a leaf covers */
#define HEAP_LEAVES      (1u << (32 - 16))
#define HEAP_BUSY_WORDS  (HEAP_LEAF / 8u / 64u)
#define HEAP_LEAF_PAGES  (HEAP_LEAF / X86_PAGE_SIZE)
#define HEAP_PAGE_SLOTS  (X86_PAGE_SIZE / 8u)

/* A leaf: 64 KB of address space, its busy bits and its record pages. */
typedef struct hleaf {
    uint64_t busy[HEAP_BUSY_WORDS];   /* a bit for each 8 bytes: a busy block
                                         of a segment starts there          */
    hblk_t *page[HEAP_LEAF_PAGES];    /* HEAP_PAGE_SLOTS records (NULL: none
                                         made for the page yet)             */
    uint16_t count[HEAP_LEAF_PAGES];  /* the live records of each page       */
    hpage_t cache[HEAP_LEAF_PAGES];   /* the store cache's entry of each page */
} hleaf_t;

struct heap_set {
    heap_t **heaps;
    uint32_t nheaps, capheaps;
    hleaf_t **leaf;           /* HEAP_LEAVES leaves (NULL: none yet; a leaf
                                 NULL: no record or busy bit there)           */
    uint32_t *used;           /* the leaves made, by number, in order made     */
    uint32_t nused, capused;
    uint32_t nrec;            /* live records                                  */
    uint32_t crt_heap;        /* msvcrt's heap, made by the first CRT call     */
    uint32_t *delphi;         /* Delphi's large-block regions (bases)          */
    uint32_t ndelphi, capdelphi;
    bool direct;              /* writes go straight to resident frames (the
                                 layout making the process heap)              */
    uint32_t epoch;           /* the store cache's entries of another epoch
                                 are empty                                    */
    const uint32_t *gen;      /* the generation of the memory its entries are
                                 of (set with the first entry)                */
};

/* The set (heap_store.c). */
heap_set_t *heap_set_of(mm_process_t *p);   /* made on first use; NULL: OOM  */
heap_t *heap_find(const mm_process_t *p, uint32_t handle, uint32_t *index);

/* The record at addr (a multiple of 8), NULL when no page of records was
 * made there; a cleared record holds no block (heap_blk_live). */
static inline hblk_t *heap_blk_at(const heap_set_t *s, uint32_t addr)
{
    const hleaf_t *l = s->leaf ? s->leaf[addr / HEAP_LEAF] : NULL;
    hblk_t *pg = l ? l->page[(addr % HEAP_LEAF) / X86_PAGE_SIZE] : NULL;
    return pg ? &pg[(addr % X86_PAGE_SIZE) / 8u] : NULL;
}
/* The record at the header of the user area at ptr, when ptr could be one
 * (NULL otherwise, or when no page of records was made there). */
static inline hblk_t *heap_blk_of_ptr(const heap_set_t *s, uint32_t ptr)
{
    return s && ptr >= 8 && !(ptr & 7u) ? heap_blk_at(s, ptr - 8) : NULL;
}
/* The record of the block at b (one is there). */
static inline hblk_t *B(const heap_set_t *s, uint32_t b)
{
    return &s->leaf[b / HEAP_LEAF]->page[(b % HEAP_LEAF) / X86_PAGE_SIZE][(b % X86_PAGE_SIZE) / 8u];
}
/* The leaf of addr, made when missing (NULL: no host memory, which is the
 * machine's out-of-memory state when need says the caller cannot go on). */
hleaf_t *heap_leaf_of(mm_process_t *p, heap_set_t *s, uint32_t addr, bool need);
/* A cleared record at addr for a new block, counted live (NULL: no host
 * memory). */
hblk_t *heap_blk_new(mm_process_t *p, heap_set_t *s, uint32_t addr);
/* Clears the record of the block at b (merged away, or released). */
void heap_blk_dead(heap_set_t *s, uint32_t b);
/* Frees the record pages of [lo, hi) (a released region: none is live). */
void heap_blk_release(const ps_alloc_t *a, heap_set_t *s, uint32_t lo, uint32_t hi);

/* The record's region units (a large block's vunits). */
static inline uint32_t heap_blk_units(const hblk_t *e)
{
    return e->flags & HEAP_ENTRY_VIRTUAL_ALLOC ? e->vunits : e->units;
}
/* The first block of segment g (0: none yet). */
static inline uint32_t heap_first(const hseg_t *g) { return g->tail ? g->first : 0; }
/* The block after b in its segment (0: b is the last). */
static inline uint32_t heap_next(const heap_t *h, const hblk_t *e, uint32_t b)
{
    return h->seg[e->seg].tail == b ? 0 : b + e->units * 8u;
}
/* The block before b in its segment (0: b is the first). */
static inline uint32_t heap_prev(const hblk_t *e, uint32_t b)
{
    return e->prev_units ? b - e->prev_units * 8u : 0;
}

/* Whether a busy block of a segment starts at addr. */
static inline bool heap_busy_at(const heap_set_t *s, uint32_t addr)
{
    const hleaf_t *leaf = s->leaf ? s->leaf[addr / HEAP_LEAF] : NULL;
    uint32_t g = (addr % HEAP_LEAF) / 8u;
    return leaf && ((leaf->busy[g / 64u] >> (g % 64u)) & 1u);
}
/* Sets or clears that bit; false when the host has no memory for it. */
bool heap_busy_mark_slow(mm_process_t *p, heap_set_t *s, uint32_t addr, bool on);
static inline bool heap_busy_mark(mm_process_t *p, heap_set_t *s, uint32_t addr, bool on)
{
    hleaf_t *leaf = s->leaf ? s->leaf[addr / HEAP_LEAF] : NULL;
    if (!leaf) return heap_busy_mark_slow(p, s, addr, on);
    uint32_t g = (addr % HEAP_LEAF) / 8u;
    if (on) leaf->busy[g / 64u] |= 1ull << (g % 64u);
    else leaf->busy[g / 64u] &= ~(1ull << (g % 64u));
    return true;
}

/* Free lists. The list a free block of units belongs in. */
static inline uint32_t heap_list_of(uint32_t units)
{
    if (units < HEAP_EXACT_LISTS) return units;
    uint32_t bin = 0;
    for (uint32_t u = units >> 8; u && bin + 1 < HEAP_BIG_BINS; u >>= 1) bin++;
    return HEAP_EXACT_LISTS + bin;
}
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
    const hleaf_t *l = s->leaf ? s->leaf[va / HEAP_LEAF] : NULL;
    const hpage_t *e = l ? &l->cache[(va % HEAP_LEAF) / X86_PAGE_SIZE] : NULL;
    if (!e || !e->data || e->gen != *s->gen || e->epoch != s->epoch) return NULL;
    return e->data + (va % X86_PAGE_SIZE);
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
void heap_prefetch(const heap_set_t *s, uint32_t va);
/* Empties the store cache (its frames are shared with a copy now). */
void heap_pages_drop(heap_set_t *s);
/* The HEAP_ENTRY of b as it should be in memory, and writing it (with the
 * free links of a free block). */
void heap_entry_bytes(const heap_set_t *s, const heap_t *h, uint32_t b, uint8_t out[16], uint32_t *n);
bool heap_write_entry(mm_process_t *p, heap_set_t *s, const heap_t *h, uint32_t b);
/* The list entry address a free link points to: block b's user area, or
 * (b 0) the list head in the HEAP structure. */
static inline uint32_t heap_link_addr(const heap_t *h, uint32_t b, uint32_t list)
{
    return b ? b + 8 : h->base + HEAP_FREELISTS_OFFSET + 8 * (list < HEAP_EXACT_LISTS ? list : 0);
}

/* Blocks (heap_block.c). */
/* The heap's index in its set (records carry it). */
uint16_t heap_no(const heap_set_t *s, const heap_t *h);
/* Blocks are named by their header's address. */
/* Makes block b free, coalescing with free neighbours. fresh: b's size is
 * new to the block after it (a split left it), whose PreviousSize is then
 * written even when nothing merges. */
bool heap_free_range(mm_process_t *p, heap_set_t *s, heap_t *h, bool fresh, uint32_t b);
/* Splits block b of h after its first need units: the rest becomes a new
 * block with flags (0: free, not yet listed). Returns its address, 0 when
 * the host had no memory for its record (b unchanged). */
uint32_t heap_split(mm_process_t *p, heap_set_t *s, heap_t *h, uint32_t b, uint32_t need, uint8_t flags);
/* Takes need units of free block b for a busy block (splitting). */
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
