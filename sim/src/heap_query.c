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
    const hblk_t *k = &s->blk[b - 1];
    bool busy = k->flags & HEAP_ENTRY_BUSY;
    bool virt = k->flags & HEAP_ENTRY_VIRTUAL_ALLOC;
    e->data = k->addr + 8;
    e->size = busy ? k->req : k->units * 8 - 8;
    e->overhead = busy ? k->units * 8 - k->req - (virt ? 0 : 0) : 8;
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
            e->cursor[1] = g->head;
            return 0;
        }
        if (phase == 1 && next) {
            block_entry(s, next, si, e);
            e->cursor[0] = step;
            e->cursor[1] = s->blk[next - 1].next;
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
        for (uint32_t b = h->seg[i].head; b; b = s->blk[b - 1].next) {
            const hblk_t *k = &s->blk[b - 1];
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
        out->virtual_bytes += s->blk[h->virt[i] - 1].req;
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
            const hblk_t *b = &s->blk[h->virt[i] - 1];
            uint32_t base = b->addr - (HEAP_VIRTUAL_HEADER - 8);
            *out = (heap_segment_info_t){ h->base, base, b->addr, base + b->units * 8, base + b->units * 8, true };
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
        uint32_t b = heap_index_find(s, g.first_block);
        if (!b || g.first_block < from) return false;
        const hblk_t *k = &s->blk[b - 1];
        *out = (heap_block_info_t){ k->addr, k->units, 0, k->flags, k->req };
        return true;
    }
    for (uint32_t i = 0; i < h->nseg; i++) {
        if (h->seg[i].base != g.base) continue;
        for (uint32_t b = h->seg[i].head; b; b = s->blk[b - 1].next) {
            const hblk_t *k = &s->blk[b - 1];
            if (k->addr < from) continue;
            uint32_t prev = k->prev ? s->blk[k->prev - 1].units : 0;
            *out = (heap_block_info_t){ k->addr, k->units, prev, k->flags | (k->next ? 0 : HEAP_ENTRY_LAST_ENTRY),
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
    for (uint64_t a = lo & ~(uint64_t)(HEAP_BUSY_LEAF - 1); s->busy && a < hi; a += HEAP_BUSY_LEAF) {
        const uint64_t *leaf = s->busy[a / HEAP_BUSY_LEAF];
        for (uint32_t w = 0; leaf && w < HEAP_BUSY_WORDS; w++)
            for (uint64_t v = leaf[w]; v; v &= v - 1) count++;
    }
    return count;
}

static bool check_segment(const heap_set_t *s, const heap_t *h, uint32_t si, uint32_t *nfree, uint64_t *free_bytes,
                          char *msg, size_t n)
{
    const hseg_t *g = &h->seg[si];
    uint32_t at = g->first, prev = HEAP_NONE, busy = 0;
    for (uint32_t b = g->head; b; prev = b, b = s->blk[b - 1].next) {
        const hblk_t *k = &s->blk[b - 1];
        if (k->addr != at || !k->units || k->units > HEAP_MAX_BLOCK_UNITS || k->prev != prev || k->seg != si ||
            k->prev_units != (prev ? s->blk[prev - 1].units : 0))
            return BAD("heap 0x%08X segment %u: the block at 0x%08X does not follow the one before (expected 0x%08X)",
                       h->base, si, k->addr, at);
        if (heap_index_find(s, k->addr) != b) return BAD("heap 0x%08X: the index does not find 0x%08X", h->base, k->addr);
        if (heap_busy_at(s, k->addr) != ((k->flags & HEAP_ENTRY_BUSY) != 0))
            return BAD("heap 0x%08X: the busy bit of 0x%08X is not the block's state", h->base, k->addr);
        busy += (k->flags & HEAP_ENTRY_BUSY) != 0;
        if (!(k->flags & HEAP_ENTRY_BUSY)) {
            (*nfree)++;
            *free_bytes += k->units * 8;
            if (prev && !(s->blk[prev - 1].flags & HEAP_ENTRY_BUSY) &&
                s->blk[prev - 1].units + k->units <= HEAP_MAX_BLOCK_UNITS)
                return BAD("heap 0x%08X: free neighbours at 0x%08X were not coalesced", h->base, k->addr);
        } else if (k->req > k->units * 8 - 8) {
            return BAD("heap 0x%08X: busy block 0x%08X holds 0x%X bytes in 0x%X units", h->base, k->addr, k->req,
                       k->units);
        }
        at += k->units * 8;
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
 * the other way; the links kept for memory are the neighbours' (the list
 * head's at either end); every free block is in one list, once. */
static bool check_lists(const heap_set_t *s, const heap_t *h, uint32_t nfree, char *msg, size_t n)
{
    uint32_t listed = 0;
    for (uint32_t l = 0; l < HEAP_NLISTS; l++) {
        bool on = (h->in_use[l / 32] >> (l % 32)) & 1u;
        if (on != (h->list[l] != HEAP_NONE)) return BAD("heap 0x%08X: the bitmap is wrong for list %u", h->base, l);
        uint32_t prev = HEAP_NONE;
        for (uint32_t b = h->list[l]; b; prev = b, b = s->blk[b - 1].fnext) {
            const hblk_t *k = &s->blk[b - 1];
            if ((k->flags & HEAP_ENTRY_BUSY) || !k->units || heap_list_of(k->units) != l || k->fprev != prev)
                return BAD("heap 0x%08X: list %u holds 0x%08X wrongly", h->base, l, k->addr);
            if (k->flink != heap_link_addr(s, h, k->fnext, l) || k->blink != heap_link_addr(s, h, k->fprev, l))
                return BAD("heap 0x%08X: the free links kept for 0x%08X are not its neighbours'", h->base, k->addr);
            if (++listed > nfree) return BAD("heap 0x%08X: list %u holds more blocks than are free", h->base, l);
        }
        /* The last block and its link, kept so that an insert reaches no
         * other record. */
        if (h->last[l] != prev || h->last_link[l] != (prev ? s->blk[prev - 1].addr + 8 : 0))
            return BAD("heap 0x%08X: list %u's last block is not the one its links end at", h->base, l);
    }
    return listed == nfree || BAD("heap 0x%08X: %u free blocks, %u in lists", h->base, nfree, listed);
}

static bool check_heap(const heap_set_t *s, const heap_t *h, uint32_t *live, char *msg, size_t n)
{
    uint32_t nfree = 0;
    uint64_t free_bytes = 0;
    for (uint32_t si = 0; si < h->nseg; si++) {
        if (!check_segment(s, h, si, &nfree, &free_bytes, msg, n)) return false;
        for (uint32_t b = h->seg[si].head; b; b = s->blk[b - 1].next) (*live)++;
    }
    if (free_bytes != h->free_bytes)
        return BAD("heap 0x%08X: the free blocks hold 0x%llX bytes, the total says 0x%llX", h->base,
                   (unsigned long long)free_bytes, (unsigned long long)h->free_bytes);
    for (uint32_t i = 0; i < h->nvirt; i++) {
        const hblk_t *k = &s->blk[h->virt[i] - 1];
        if (!(k->flags & HEAP_ENTRY_VIRTUAL_ALLOC) || heap_index_find(s, k->addr) != h->virt[i])
            return BAD("heap 0x%08X: large block %u is not one", h->base, i);
        (*live)++;
    }
    return check_lists(s, h, nfree, msg, n);
}

/* Every entry of the store cache that is in use is the page's frame now,
 * and a store to the page needs nothing but the copy. */
static bool check_pages(const mm_process_t *p, const heap_set_t *s, char *msg, size_t n)
{
    const phys_t *ph = mmu_phys_const(p->mm->mmu);
    uint32_t all = X86_P | X86_RW | X86_A | X86_D;
    for (uint32_t i = 0; s->pages && i < HEAP_PAGE_CACHE; i++) {
        const hpage_t *e = &s->pages[i];
        if (!e->page || e->gen != phys_generation(ph)) continue;
        uint32_t va = (e->page - 1) << X86_PAGE_SHIFT, pte = mm_pte(p, va), len;
        if (heap_page_slot(e->page - 1) != i || (pte & all) != all || p->mm->cfg.policy == MM_POLICY_LRU ||
            phys_frame_peek(ph, pte >> X86_PAGE_SHIFT, &len) != e->data || len != X86_PAGE_SIZE)
            return BAD("the heap store cache keeps page 0x%08X, whose stores need more than a copy", va);
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
        if (!check_heap(s, s->heaps[i], &live, msg, n)) return false;
    if (live != s->icount) return BAD("the heap index holds %u blocks, the heaps %u", s->icount, live);
    /* The records free for reuse: cleared, each once, and all the others. */
    if (s->ndead > s->nblk || s->nblk - s->ndead != live)
        return BAD("the heaps have %u records, %u of them free for reuse, and %u blocks", s->nblk, s->ndead, live);
    for (uint32_t i = 0; i < s->ndead; i++) {
        uint32_t b = s->dead[i];
        if (!b || b > s->nblk || s->blk[b - 1].units || s->blk[b - 1].flags || s->blk[b - 1].addr)
            return BAD("record %u is free for reuse but not cleared", b);
    }
    /* Every slot's address is its record's (the slots keep a copy). */
    uint32_t used = 0;
    for (uint32_t i = 0; i < s->icap; i++) {
        const hslot_t *e = &s->index[i];
        if (!e->b) continue;
        used++;
        if (e->b > s->nblk || s->blk[e->b - 1].addr != e->addr)
            return BAD("the heap index maps 0x%08X to a record at another address", e->addr);
    }
    if (used != s->icount) return BAD("the heap index has %u slots in use, its count says %u", used, s->icount);
    return check_pages(p, s, msg, n);
}

bool heap_validate(mm_process_t *p, uint32_t heap, uint32_t ptr, strbuf_t *why)
{
    heap_t *h = heap_find(p, heap, NULL);
    if (!h) return false;
    heap_set_t *s = p->heaps;
    char msg[160];
    uint32_t live = 0;
    if (!check_heap(s, h, &live, msg, sizeof msg)) {
        mm_say(why, "%s.", msg);
        return false;
    }
    uint32_t only = ptr ? heap_index_find(s, ptr - 8) : HEAP_NONE;
    if (ptr && (!only || !(B(s, only)->flags & HEAP_ENTRY_BUSY) || s->heaps[B(s, only)->heap] != h)) {
        mm_say(why, "0x%08X is not a busy block of this heap.", ptr);
        return false;
    }
    /* The headers as the program's memory holds them now. */
    for (uint32_t b = 1; b <= s->nblk; b++) {
        if (!B(s, b)->units || s->heaps[B(s, b)->heap] != h || (only && b != only)) continue;
        uint8_t want[16], have[16];
        uint32_t k;
        heap_entry_bytes(s, h, b, want, &k);
        if (!heap_peek(p, B(s, b)->addr, have, 8) || memcmp(want, have, 8) != 0) {
            mm_say(why, "The header of the block at 0x%08X has been overwritten.", B(s, b)->addr + 8);
            return false;
        }
    }
    return true;
}
