/* TLB slots, hash index and LRU replacement. */
#include "tlb.h"
#include "mem.h"
#include <string.h>

ps_result_t tlb_init(tlb_t *t, const ps_alloc_t *a, uint32_t cap)
{
    memset(t, 0, sizeof *t);
    t->alloc = a;
    if (cap == 0) return PS_OK;
    if (cap > MMU_TLB_MAX) return PS_EINVAL;
    uint32_t bits = 1;
    while ((1u << bits) < 2 * cap) bits++;
    t->cap = cap;
    t->nbuckets = 1u << bits;
    t->shift = 32 - bits;
    t->bucket = ps_malloc(a, t->nbuckets * sizeof *t->bucket);
    t->e = ps_calloc(a, cap * sizeof *t->e);
    if (!t->bucket || !t->e) {
        tlb_fini(t);
        return PS_ENOMEM;
    }
    for (uint32_t i = 0; i < t->nbuckets; i++) t->bucket[i] = -1;
    return PS_OK;
}

ps_result_t tlb_copy(tlb_t *dst, const tlb_t *src)
{
    ps_result_t r = tlb_init(dst, src->alloc, src->cap);
    if (r != PS_OK || src->cap == 0) return r;
    memcpy(dst->bucket, src->bucket, src->nbuckets * sizeof *src->bucket);
    memcpy(dst->e, src->e, src->cap * sizeof *src->e);
    dst->count = src->count;
    dst->nlarge = src->nlarge;
    dst->clock = src->clock;
    return PS_OK;
}

void tlb_fini(tlb_t *t)
{
    ps_free(t->alloc, t->bucket, t->nbuckets * sizeof *t->bucket);
    ps_free(t->alloc, t->e, t->cap * sizeof *t->e);
    t->bucket = NULL;
    t->e = NULL;
    t->cap = 0;
}

static void unlink_slot(tlb_t *t, int32_t slot)
{
    tlb_entry_t *e = &t->e[slot];
    int32_t *link = &t->bucket[tlb_hash(t, e->tag)];
    while (*link != slot) link = &t->e[*link].next;
    *link = e->next;
    if (e->flags & TLB_LARGE) t->nlarge--;
    e->flags = 0;
    e->next = -1;
    t->count--;
}

static int32_t victim_slot(const tlb_t *t)
{
    int32_t best = 0;
    for (uint32_t i = 0; i < t->cap; i++) {
        if (!(t->e[i].flags & TLB_VALID)) return (int32_t)i;
        if (t->e[i].stamp < t->e[best].stamp) best = (int32_t)i;
    }
    return best;
}

bool tlb_insert(tlb_t *t, uint32_t va, uint32_t frame, uint8_t flags, tlb_entry_t *evicted)
{
    bool large = flags & TLB_LARGE;
    uint32_t tag = large ? (va >> 22) | TLB_LARGE_TAG : va >> 12;
    bool did_evict = false;
    tlb_entry_t *old = tlb_find_tag(t, tag);
    int32_t slot;
    if (old) {
        slot = (int32_t)(old - t->e);
        unlink_slot(t, slot);
    } else {
        slot = victim_slot(t);
        if (t->e[slot].flags & TLB_VALID) {
            if (evicted) *evicted = t->e[slot];
            unlink_slot(t, slot);
            did_evict = true;
        }
    }
    tlb_entry_t *e = &t->e[slot];
    e->tag = tag;
    e->frame = frame;
    e->flags = (uint8_t)(flags | TLB_VALID);
    e->stamp = ++t->clock;
    uint32_t h = tlb_hash(t, tag);
    e->next = t->bucket[h];
    t->bucket[h] = slot;
    t->count++;
    if (large) t->nlarge++;
    return did_evict;
}

int tlb_invalidate(tlb_t *t, uint32_t va)
{
    int n = 0;
    tlb_entry_t *e = tlb_find_tag(t, va >> 12);
    if (e) {
        unlink_slot(t, (int32_t)(e - t->e));
        n++;
    }
    e = tlb_find_tag(t, (va >> 22) | TLB_LARGE_TAG);
    if (e) {
        unlink_slot(t, (int32_t)(e - t->e));
        n++;
    }
    return n;
}

void tlb_flush(tlb_t *t, bool include_global)
{
    for (uint32_t i = 0; i < t->cap; i++) {
        uint8_t f = t->e[i].flags;
        if ((f & TLB_VALID) && (include_global || !(f & TLB_GLOBAL))) unlink_slot(t, (int32_t)i);
    }
}

void tlb_entry_info(const tlb_entry_t *e, mmu_tlb_info_t *out)
{
    bool large = e->flags & TLB_LARGE;
    out->valid = (e->flags & TLB_VALID) != 0;
    out->va = large ? (e->tag & ~TLB_LARGE_TAG) << 22 : e->tag << 12;
    out->frame = e->frame;
    out->large = large;
    out->global = e->flags & TLB_GLOBAL;
    out->rw = e->flags & TLB_RW;
    out->us = e->flags & TLB_US;
    out->dirty = e->flags & TLB_DIRTY;
}
