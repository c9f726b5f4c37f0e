/* Reading the heaps: HeapWalk, HeapValidate, the invariant check, and the
 * queries !heap and the front ends use (which regions are heap segments,
 * a segment's blocks, a heap's totals). */
#include "heap_int.h"
#include "pagesim/phys.h"
#include "pagesim/winsdk.h"
#include <stdio.h>
#include <string.h>

static void block_entry(const heap_set_t *s, uint32_t b, uint32_t region, heap_walk_entry_t *e)
{
    const hblk_t *k = B(s, b);
    bool busy = k->flags & HEAP_ENTRY_BUSY;
    e->data = b + 8;
    e->size = busy ? k->req : k->units * 8u - 8u;
    e->overhead = busy ? heap_blk_units(k) * 8 - k->req : 8;
    e->region = region;
    e->flags = busy ? PS_PROCESS_HEAP_ENTRY_BUSY : 0;
}

uint32_t heap_walk(mm_process_t *p, uint32_t heap, heap_walk_entry_t *e)
{
    heap_t *h = heap_find(p, heap, NULL);
    if (!h) return ERROR_INVALID_HANDLE;
    const heap_set_t *s = p->heaps;
    uint32_t step = e->cursor[0], next = e->cursor[1];
    uint32_t c0 = e->cursor[0], c1 = e->cursor[1];
    memset(e, 0, sizeof *e);
    e->cursor[0] = c0;
    e->cursor[1] = c1;
    for (;;) {
        uint32_t si = step / 3, phase = step % 3;
        if (si >= h->nseg) {
            uint32_t vi = step - h->nseg * 3;
            if (vi >= h->nvirt) return ERROR_NO_MORE_ITEMS;
            block_entry(s, h->virt[vi], 0, e);
            e->cursor[0] = step + 1;
            return 0;
        }
        const hseg_t *g = &h->seg[si];
        if (phase == 0) {
            e->data = g->base;
            e->size = g->commit_end - g->base;
            e->region = si;
            e->flags = PS_PROCESS_HEAP_REGION;
            e->committed = g->commit_end - g->base;
            e->uncommitted = g->reserve_end - g->commit_end;
            e->first = g->first;
            e->last = g->reserve_end;
            e->cursor[0] = step + 1;
            e->cursor[1] = heap_first(g);
            return 0;
        }
        if (phase == 1 && next) {
            block_entry(s, next, si, e);
            e->cursor[0] = step;
            e->cursor[1] = heap_next(h, B(s, next), next);
            if (!e->cursor[1]) e->cursor[0] = step + 1;
            return 0;
        }
        if (phase == 1) {
            step++;
            continue;
        }
        if (g->reserve_end > g->commit_end) {
            e->data = g->commit_end;
            e->size = g->reserve_end - g->commit_end;
            e->region = si;
            e->flags = PS_PROCESS_HEAP_UNCOMMITTED_RANGE;
            e->cursor[0] = step + 1;
            e->cursor[1] = 0;
            return 0;
        }
        step++;
        next = 0;
    }
}

bool heap_info(const mm_process_t *p, uint32_t heap, heap_info_t *out)
{
    const heap_t *h = heap_find(p, heap, NULL);
    memset(out, 0, sizeof *out);
    if (!h) return false;
    const heap_set_t *s = p->heaps;
    out->handle = h->base;
    out->flags = h->flags;
    out->maximum = h->maximum;
    out->segments = h->nseg;
    out->process_heap = h->process_heap;
    for (uint32_t i = 0; i < h->nseg; i++) {
        out->reserved += h->seg[i].reserve_end - h->seg[i].base;
        out->committed += h->seg[i].commit_end - h->seg[i].base;
        for (uint32_t b = heap_first(&h->seg[i]); b; b = heap_next(h, B(s, b), b)) {
            const hblk_t *k = B(s, b);
            if (k->flags & HEAP_ENTRY_BUSY) {
                out->busy_blocks++;
                out->busy_bytes += k->req;
            } else {
                out->free_blocks++;
                out->free_bytes += k->units * 8;
            }
        }
    }
    for (uint32_t i = 0; i < h->nvirt; i++) {
        out->virtual_blocks++;
        out->virtual_bytes += B(s, h->virt[i])->req;
    }
    return true;
}

/* The i-th segment or large block over all heaps. */
bool heap_segment_at(const mm_process_t *p, uint32_t i, heap_segment_info_t *out)
{
    const heap_set_t *s = p->heaps;
    for (uint32_t k = 0; s && k < s->nheaps; k++) {
        const heap_t *h = s->heaps[k];
        if (i < h->nseg) {
            const hseg_t *g = &h->seg[i];
            *out = (heap_segment_info_t){ h->base, g->base, g->first, g->commit_end, g->reserve_end, false };
            return true;
        }
        i -= h->nseg;
        if (i < h->nvirt) {
            uint32_t b = h->virt[i], base = b - (HEAP_VIRTUAL_HEADER - 8), end = base + B(s, b)->vunits * 8;
            *out = (heap_segment_info_t){ h->base, base, b, end, end, true };
            return true;
        }
        i -= h->nvirt;
    }
    return false;
}

bool heap_segment_of(const mm_process_t *p, uint32_t addr, heap_segment_info_t *out)
{
    for (uint32_t i = 0; heap_segment_at(p, i, out); i++)
        if (addr >= out->base && addr < out->reserve_end) return true;
    return false;
}

bool heap_block_from(const mm_process_t *p, uint32_t seg_addr, uint32_t from, heap_block_info_t *out)
{
    heap_segment_info_t g;
    if (!heap_segment_of(p, seg_addr, &g)) return false;
    const heap_set_t *s = p->heaps;
    const heap_t *h = heap_find(p, g.heap, NULL);
    if (g.virtual_block) {
        const hblk_t *k = B(s, g.first_block);
        if (g.first_block < from) return false;
        *out = (heap_block_info_t){ g.first_block, k->vunits, 0, k->flags, k->req };
        return true;
    }
    for (uint32_t i = 0; i < h->nseg; i++) {
        if (h->seg[i].base != g.base) continue;
        for (uint32_t b = heap_first(&h->seg[i]); b; b = heap_next(h, B(s, b), b)) {
            const hblk_t *k = B(s, b);
            if (b < from) continue;
            *out = (heap_block_info_t){ b, k->units, k->prev_units,
                                        k->flags | (heap_next(h, k, b) ? 0 : HEAP_ENTRY_LAST_ENTRY),
                                        k->flags & HEAP_ENTRY_BUSY ? k->req : 0 };
            return true;
        }
    }
    return false;
}

/* The invariants. ---------------------------------------------------- */

#define BAD(...) (snprintf(msg, n, __VA_ARGS__), false)

/* The busy bits set in [lo, hi) (whole leaves: a segment's reservation
 * starts on a 64 KB boundary, so no other segment shares its leaves). */
static uint32_t busy_bits(const heap_set_t *s, uint32_t lo, uint32_t hi)
{
    uint32_t count = 0;
    for (uint64_t a = lo & ~(uint64_t)(HEAP_LEAF - 1); s->leaf && a < hi; a += HEAP_LEAF) {
        const hleaf_t *leaf = s->leaf[a / HEAP_LEAF];
        for (uint32_t w = 0; leaf && w < HEAP_BUSY_WORDS; w++)
            for (uint64_t v = leaf->busy[w]; v; v &= v - 1) count++;
    }
    return count;
}

/* The live record at b, belonging to heap hi (NULL: none). */
static const hblk_t *record(const heap_set_t *s, uint32_t b, uint32_t hi)
{
    const hblk_t *k = (b & 7u) ? NULL : heap_blk_at(s, b);
    return k && heap_blk_live(k) && k->heap == hi ? k : NULL;
}

static bool check_segment(const heap_set_t *s, const heap_t *h, uint32_t hi, uint32_t si, uint32_t *live,
                          uint32_t *nfree, uint64_t *free_bytes, char *msg, size_t n)
{
    const hseg_t *g = &h->seg[si];
    uint32_t at = g->first, prev = 0, busy = 0;
    while (at < g->commit_end) {
        const hblk_t *k = record(s, at, hi);
        if (!k || !k->units || k->units > HEAP_MAX_BLOCK_UNITS || (k->flags & HEAP_ENTRY_VIRTUAL_ALLOC) ||
            k->seg != si || k->prev_units != (prev ? B(s, prev)->units : 0))
            return BAD("heap 0x%08X segment %u: no block at 0x%08X follows the one before", h->base, si, at);
        if (heap_busy_at(s, at) != ((k->flags & HEAP_ENTRY_BUSY) != 0))
            return BAD("heap 0x%08X: the busy bit of 0x%08X is not the block's state", h->base, at);
        busy += (k->flags & HEAP_ENTRY_BUSY) != 0;
        (*live)++;
        if (!(k->flags & HEAP_ENTRY_BUSY)) {
            (*nfree)++;
            *free_bytes += k->units * 8;
            if (prev && !(B(s, prev)->flags & HEAP_ENTRY_BUSY) && B(s, prev)->units + k->units <= HEAP_MAX_BLOCK_UNITS)
                return BAD("heap 0x%08X: free neighbours at 0x%08X were not coalesced", h->base, at);
        } else if (k->req > k->units * 8u - 8u) {
            return BAD("heap 0x%08X: busy block 0x%08X holds 0x%X bytes in 0x%X units", h->base, at, k->req,
                       k->units);
        }
        prev = at;
        at += k->units * 8;
        if (prev == g->tail) break;
    }
    if (at != g->commit_end || g->tail != prev)
        return BAD("heap 0x%08X segment %u: the blocks end at 0x%08X, the committed space at 0x%08X", h->base, si, at,
                   g->commit_end);
    if (busy_bits(s, g->base, g->reserve_end) != busy)
        return BAD("heap 0x%08X segment %u: %u busy bits set for %u busy blocks", h->base, si,
                   busy_bits(s, g->base, g->reserve_end), busy);
    return true;
}

/* Each list runs from its first block to its last through fnext, fprev
 * the other way; every free block is in one list, once. */
static bool check_lists(const heap_set_t *s, const heap_t *h, uint32_t hi, uint32_t nfree, char *msg, size_t n)
{
    uint32_t listed = 0;
    for (uint32_t l = 0; l < HEAP_NLISTS; l++) {
        bool on = (h->in_use[l / 32] >> (l % 32)) & 1u;
        if (on != (h->list[l] != 0)) return BAD("heap 0x%08X: the bitmap is wrong for list %u", h->base, l);
        uint32_t prev = 0;
        for (uint32_t b = h->list[l]; b; prev = b, b = B(s, b)->fnext) {
            const hblk_t *k = record(s, b, hi);
            if (!k || (k->flags & HEAP_ENTRY_BUSY) || !k->units || heap_list_of(k->units) != l || k->fprev != prev)
                return BAD("heap 0x%08X: list %u holds 0x%08X wrongly", h->base, l, b);
            if (++listed > nfree) return BAD("heap 0x%08X: list %u holds more blocks than are free", h->base, l);
        }
        /* The last block, kept so that an insert reaches no other record. */
        if (h->last[l] != prev)
            return BAD("heap 0x%08X: list %u's last block is not the one its links end at", h->base, l);
    }
    return listed == nfree || BAD("heap 0x%08X: %u free blocks, %u in lists", h->base, nfree, listed);
}

static bool check_heap(const heap_set_t *s, uint32_t hi, uint32_t *live, char *msg, size_t n)
{
    const heap_t *h = s->heaps[hi];
    uint32_t nfree = 0;
    uint64_t free_bytes = 0;
    for (uint32_t si = 0; si < h->nseg; si++)
        if (!check_segment(s, h, hi, si, live, &nfree, &free_bytes, msg, n)) return false;
    if (free_bytes != h->free_bytes)
        return BAD("heap 0x%08X: the free blocks hold 0x%llX bytes, the total says 0x%llX", h->base,
                   (unsigned long long)free_bytes, (unsigned long long)h->free_bytes);
    for (uint32_t i = 0; i < h->nvirt; i++) {
        const hblk_t *k = record(s, h->virt[i], hi);
        if (!k || !(k->flags & HEAP_ENTRY_VIRTUAL_ALLOC) || k->units || heap_busy_at(s, h->virt[i]))
            return BAD("heap 0x%08X: large block %u is not one", h->base, i);
        (*live)++;
    }
    return check_lists(s, h, hi, nfree, msg, n);
}

/* The shadow: each page counts its live records, and they are all the
 * blocks the heaps hold (so none is left where no block starts). */
static bool check_shadow(const heap_set_t *s, uint32_t live, char *msg, size_t n)
{
    uint32_t total = 0;
    for (uint32_t u = 0; u < s->nused; u++) {
        uint32_t i = s->used[u];
        const hleaf_t *l = s->leaf[i];
        for (uint32_t pi = 0; l && pi < HEAP_LEAF_PAGES; pi++) {
            uint32_t count = 0;
            for (uint32_t k = 0; l->page[pi] && k < HEAP_PAGE_SLOTS; k++) count += heap_blk_live(&l->page[pi][k]);
            if (count != l->count[pi])
                return BAD("the heap records of page 0x%08X count %u, %u are there", i * HEAP_LEAF + pi * X86_PAGE_SIZE,
                           l->count[pi], count);
            total += count;
        }
    }
    if (total != s->nrec || total != live)
        return BAD("the heaps hold %u blocks, %u records are kept (%u counted)", live, total, s->nrec);
    return true;
}

/* Every entry of the store cache that is in use is the page's frame now,
 * and a store to the page needs nothing but the copy. */
static bool check_pages(const mm_process_t *p, const heap_set_t *s, char *msg, size_t n)
{
    const phys_t *ph = mmu_phys_const(p->mm->mmu);
    uint32_t all = X86_P | X86_RW | X86_A | X86_D;
    for (uint32_t u = 0; u < s->nused; u++) {
        uint32_t i = s->used[u];
        for (uint32_t k = 0; k < HEAP_LEAF_PAGES; k++) {
            const hpage_t *e = &s->leaf[i]->cache[k];
            if (!e->data || e->gen != phys_generation(ph) || e->epoch != s->epoch) continue;
            uint32_t va = i * HEAP_LEAF + k * X86_PAGE_SIZE, pte = mm_pte(p, va), len;
            if ((pte & all) != all || p->mm->cfg.policy == MM_POLICY_LRU ||
                phys_frame_peek(ph, pte >> X86_PAGE_SHIFT, &len) != e->data || len != X86_PAGE_SIZE)
                return BAD("the heap store cache keeps page 0x%08X, whose stores need more than a copy", va);
        }
    }
    return true;
}

bool heap_check(const mm_process_t *p, char *msg, size_t n)
{
    if (n) msg[0] = 0;
    const heap_set_t *s = p->heaps;
    if (!s) return true;
    uint32_t live = 0;
    for (uint32_t i = 0; i < s->nheaps; i++)
        if (!check_heap(s, i, &live, msg, n)) return false;
    return check_shadow(s, live, msg, n) && check_pages(p, s, msg, n);
}

/* Whether the header of block b is in memory as the model says. */
static bool header_intact(mm_process_t *p, const heap_set_t *s, const heap_t *h, uint32_t b, strbuf_t *why)
{
    uint8_t want[16], have[16];
    uint32_t k;
    heap_entry_bytes(s, h, b, want, &k);
    if (heap_peek(p, b, have, 8) && memcmp(want, have, 8) == 0) return true;
    mm_say(why, "The header of the block at 0x%08X has been overwritten.", b + 8);
    return false;
}

bool heap_validate(mm_process_t *p, uint32_t heap, uint32_t ptr, strbuf_t *why)
{
    uint32_t hi;
    heap_t *h = heap_find(p, heap, &hi);
    if (!h) return false;
    heap_set_t *s = p->heaps;
    char msg[160];
    uint32_t live = 0;
    if (!check_heap(s, hi, &live, msg, sizeof msg)) {
        mm_say(why, "%s.", msg);
        return false;
    }
    if (ptr) {
        const hblk_t *k = ptr >= 8 ? record(s, ptr - 8, hi) : NULL;
        if (!k || !(k->flags & HEAP_ENTRY_BUSY)) {
            mm_say(why, "0x%08X is not a busy block of this heap.", ptr);
            return false;
        }
        return header_intact(p, s, h, ptr - 8, why);
    }
    /* The headers as the program's memory holds them now, in address
     * order. */
    for (uint32_t si = 0; si < h->nseg; si++)
        for (uint32_t b = heap_first(&h->seg[si]); b; b = heap_next(h, B(s, b), b))
            if (!header_intact(p, s, h, b, why)) return false;
    for (uint32_t i = 0; i < h->nvirt; i++)
        if (!header_intact(p, s, h, h->virt[i], why)) return false;
    return true;
}
