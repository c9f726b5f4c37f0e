/* The TLB: a fully associative cache of translations with least-recently-
 * used replacement. A hash index from tag to slot keeps lookups O(1). 4 KB
 * entries are tagged by va >> 12, 4 MB entries by (va >> 22) | TLB_LARGE_TAG,
 * so both sizes share one set of slots, as a unified TLB does. */
#ifndef PAGESIM_TLB_H
#define PAGESIM_TLB_H

#include "pagesim/core.h"
#include "pagesim/mmu.h"
#include <stdbool.h>
#include <stdint.h>

#define TLB_LARGE_TAG 0x80000000u

enum {
    TLB_VALID = 1, TLB_LARGE = 2, TLB_RW = 4, TLB_US = 8, TLB_DIRTY = 16, TLB_GLOBAL = 32,
};

typedef struct tlb_entry {
    uint32_t tag;
    uint32_t frame;
    uint64_t stamp;   /* last use, for LRU                                   */
    int32_t next;     /* next slot in the same hash bucket, -1 ends          */
    uint8_t flags;
} tlb_entry_t;

typedef struct tlb {
    const ps_alloc_t *alloc;
    uint32_t cap;     /* slots; 0 means no TLB                                */
    uint32_t count;   /* valid slots                                          */
    uint32_t nlarge;  /* valid 4 MB slots (skip the second probe when 0)     */
    uint32_t shift;   /* 32 - log2(buckets)                                   */
    uint32_t nbuckets;
    uint64_t clock;
    int32_t *bucket;
    tlb_entry_t *e;
} tlb_t;

ps_result_t tlb_init(tlb_t *t, const ps_alloc_t *a, uint32_t cap);
ps_result_t tlb_copy(tlb_t *dst, const tlb_t *src);
void tlb_fini(tlb_t *t);

static inline uint32_t tlb_hash(const tlb_t *t, uint32_t tag)
{
    return (tag * 0x9E3779B1u) >> t->shift;
}

static inline tlb_entry_t *tlb_find_tag(tlb_t *t, uint32_t tag)
{
    for (int32_t i = t->bucket[tlb_hash(t, tag)]; i >= 0; i = t->e[i].next)
        if (t->e[i].tag == tag) return &t->e[i];
    return NULL;
}

/* The entry translating va, or NULL. Marks it used. */
static inline tlb_entry_t *tlb_lookup(tlb_t *t, uint32_t va)
{
    tlb_entry_t *e = tlb_find_tag(t, va >> 12);
    if (!e && t->nlarge) e = tlb_find_tag(t, (va >> 22) | TLB_LARGE_TAG);
    if (e) e->stamp = ++t->clock;
    return e;
}

/* Inserts (or replaces) the entry for va. When the TLB is full the least
 * recently used entry is evicted and copied to *evicted (returns true). */
bool tlb_insert(tlb_t *t, uint32_t va, uint32_t frame, uint8_t flags, tlb_entry_t *evicted);

/* Removes the entries translating va (4 KB and 4 MB). Returns how many. */
int tlb_invalidate(tlb_t *t, uint32_t va);

/* Removes every entry, or every non-global one. */
void tlb_flush(tlb_t *t, bool include_global);

void tlb_entry_info(const tlb_entry_t *e, mmu_tlb_info_t *out);

#endif
