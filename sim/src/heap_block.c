/* Blocks of a heap segment: freeing with coalescing, taking part of a free
 * block (splitting), growing a heap (committing more of a segment, or a
 * new segment) and decommitting free space at a segment's end. Each change
 * is made in the model and written to the headers in simulated memory. */
#include "heap_int.h"
#include "pagesim/winsdk.h"

/* A 16- or 32-bit field of a header or link in memory, as the heap code
 * stores it (alone: the rest of its entry is unchanged). */
static bool poke_field(mm_process_t *p, uint32_t va, uint32_t v, uint32_t n)
{
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    return heap_store(p, va, b, n);
}

/* Writes b, just put at the tail of its list, and the Flink of the block
 * that was last before it. */
static bool write_linked(mm_process_t *p, heap_set_t *s, const heap_t *h, uint32_t b)
{
    uint32_t fprev = B(s, b)->fprev;
    bool ok = heap_write_entry(p, s, h, b);
    if (fprev) ok = poke_field(p, fprev + 8, b + 8, 4) && ok;
    return ok;
}

/* Takes b out of its list, and in memory the Flink of the block before it
 * and the Blink of the one after (the list head's, not modelled, when it
 * is first or last). */
static bool unlist(mm_process_t *p, heap_set_t *s, heap_t *h, uint32_t b)
{
    const hblk_t *e = B(s, b);
    uint32_t l = heap_list_of(e->units), fprev = e->fprev, fnext = e->fnext;
    heap_list_remove(s, h, b);
    bool ok = true;
    if (fprev) ok = poke_field(p, fprev + 8, heap_link_addr(h, fnext, l), 4);
    if (fnext) ok = poke_field(p, fnext + 12, heap_link_addr(h, fprev, l), 4) && ok;
    return ok;
}

/* The PreviousSize of the block at va (the rest of its entry unchanged). */
static bool write_prev_size(mm_process_t *p, uint32_t va, uint32_t units)
{
    return poke_field(p, va + 2, units, 2);
}

/* Drops block b, merged into the block before it (which is the last of
 * the segment now when b was). */
static void unchain(heap_set_t *s, heap_t *h, uint32_t b)
{
    hblk_t *e = B(s, b);
    hseg_t *g = &h->seg[e->seg];
    if (g->tail == b) g->tail = heap_prev(e, b);
    heap_blk_dead(s, b);
}

bool heap_free_range(mm_process_t *p, heap_set_t *s, heap_t *h, bool fresh, uint32_t b)
{
    hblk_t *e = B(s, b);
    /* Whether a neighbour is busy comes from the busy bits: a record is
     * reached only when its block merges (most frees merge nothing). */
    (void)heap_busy_mark(p, s, b, false);
    e->flags = 0;
    e->req = 0;
    h->free_bytes += (uint64_t)e->units * 8;
    bool ok = true, grew = false;
    uint32_t n = heap_next(h, e, b);
    if (n && !heap_busy_at(s, n) && B(s, n)->units + e->units <= HEAP_MAX_BLOCK_UNITS) {
        ok = unlist(p, s, h, n) && ok;
        e->units = (uint16_t)(e->units + B(s, n)->units);
        unchain(s, h, n);
        grew = true;
    }
    uint32_t pv = heap_prev(e, b);
    if (pv && !heap_busy_at(s, pv) && B(s, pv)->units + e->units <= HEAP_MAX_BLOCK_UNITS) {
        ok = unlist(p, s, h, pv) && ok;
        B(s, pv)->units = (uint16_t)(B(s, pv)->units + e->units);
        unchain(s, h, b);
        b = pv;
        e = B(s, b);
        grew = true;
    }
    heap_list_insert(s, h, b);
    ok = write_linked(p, s, h, b) && ok;
    /* The block after learns the size only when it changed. */
    n = heap_next(h, e, b);
    if (n && (grew || fresh)) {
        B(s, n)->prev_units = e->units;
        ok = write_prev_size(p, n, e->units) && ok;
    }
    return ok;
}

uint32_t heap_split(mm_process_t *p, heap_set_t *s, heap_t *h, uint32_t b, uint32_t need, uint8_t flags)
{
    hblk_t *e = B(s, b);
    uint32_t r = b + need * 8, n = heap_next(h, e, b);
    hblk_t *f = heap_blk_new(p, s, r);
    if (!f) return 0;
    f->units = (uint16_t)(e->units - need);
    f->heap = e->heap;
    f->seg = e->seg;
    f->flags = flags;
    f->prev_units = (uint16_t)need;
    if (n) B(s, n)->prev_units = f->units;
    else h->seg[e->seg].tail = r;
    e->units = (uint16_t)need;
    return r;
}

bool heap_take(mm_process_t *p, heap_set_t *s, heap_t *h, uint32_t b, uint32_t need, uint32_t req)
{
    bool ok = unlist(p, s, h, b);
    hblk_t *e = B(s, b);
    /* A remainder of one unit cannot hold a free entry: the block keeps it
     * (its UnusedBytes grow), as RtlAllocateHeap does. */
    if (e->units - need >= 2) {
        uint32_t r = heap_split(p, s, h, b, need, 0);
        if (!r) return false;
        hblk_t *f = B(s, r);
        heap_list_insert(s, h, r);
        ok = write_linked(p, s, h, r) && ok;
        uint32_t n = heap_next(h, f, r);
        if (n) ok = write_prev_size(p, n, f->units) && ok;
    }
    e->flags = HEAP_ENTRY_BUSY;
    e->req = req;
    h->free_bytes -= (uint64_t)e->units * 8;
    return heap_busy_mark(p, s, b, true) && heap_write_entry(p, s, h, b) && ok;
}

uint16_t heap_no(const heap_set_t *s, const heap_t *h)
{
    for (uint32_t i = 0; i < s->nheaps; i++)
        if (s->heaps[i] == h) return (uint16_t)i;
    return 0;
}

/* Appends [g->commit_end, + bytes) to segment si as free blocks (each at
 * most HEAP_MAX_BLOCK_UNITS), after committing it. */
static bool grow_segment(mm_process_t *p, heap_set_t *s, heap_t *h, uint32_t si, uint32_t bytes, strbuf_t *why)
{
    hseg_t *g = &h->seg[si];
    uint32_t base;
    if (mm_virtual_alloc(p, g->commit_end, bytes, MEM_COMMIT, PAGE_READWRITE, &base, NULL)) {
        mm_say(why, "The heap at 0x%08X cannot commit 0x%X more bytes at 0x%08X: the commit limit is reached.",
               h->base, bytes, g->commit_end);
        return false;
    }
    uint32_t at = g->commit_end;
    g->commit_end += bytes;
    uint32_t old_tail = g->tail;
    while (at < g->commit_end) {
        uint32_t units = (g->commit_end - at) / 8;
        if (units > HEAP_MAX_BLOCK_UNITS) units = HEAP_MAX_BLOCK_UNITS;
        hblk_t *e = heap_blk_new(p, s, at);
        if (!e) return false;
        e->units = (uint16_t)units;
        e->heap = heap_no(s, h);
        e->seg = (uint8_t)si;
        e->prev_units = g->tail ? B(s, g->tail)->units : 0;
        g->tail = at;
        e->flags = HEAP_ENTRY_BUSY; /* freed just below */
        if (!heap_free_range(p, s, h, false, at)) return false;
        at += units * 8;
    }
    /* The old last block is no longer the last: its LAST_ENTRY flag goes. */
    if (old_tail && old_tail != g->tail && !heap_write_entry(p, s, h, old_tail)) return false;
    return true;
}

static uint32_t round_up(uint32_t v, uint32_t to)
{
    return (uint32_t)(((uint64_t)v + to - 1) & ~(uint64_t)(to - 1));
}

/* A new segment big enough for need units (growable heaps only). */
static bool new_segment(mm_process_t *p, heap_set_t *s, heap_t *h, uint32_t need, strbuf_t *why)
{
    if (h->nseg >= HEAP_MAX_SEGMENTS) {
        mm_say(why, "The heap at 0x%08X already has its %u segments.", h->base, HEAP_MAX_SEGMENTS);
        return false;
    }
    uint32_t want = need * 8 + HEAP_SEGMENT_HEADER;
    uint32_t reserve = h->next_reserve;
    if (reserve < round_up(want, 0x10000u)) reserve = round_up(want, 0x10000u);
    uint32_t base;
    /* Halving on failure, as the address space fills (not below the need). */
    while (mm_virtual_alloc(p, 0, reserve, MEM_RESERVE, PAGE_READWRITE, &base, NULL)) {
        if (reserve / 2 < round_up(want, 0x10000u)) {
            mm_say(why, "The heap at 0x%08X cannot reserve a new segment of 0x%X bytes: no free range is large enough.",
                   h->base, reserve);
            return false;
        }
        reserve /= 2;
    }
    uint32_t si = h->nseg++;
    hseg_t *g = &h->seg[si];
    *g = (hseg_t){ base, base + HEAP_SEGMENT_HEADER, base + HEAP_SEGMENT_HEADER, base + reserve, 0 };
    if (h->next_reserve < 0x40000000u) h->next_reserve *= 2;
    uint32_t commit = round_up(want, X86_PAGE_SIZE);
    if (commit < HEAP_SEGMENT_COMMIT) commit = HEAP_SEGMENT_COMMIT;
    /* The HEAP_SEGMENT heading it is committed with the first block. */
    if (mm_virtual_alloc(p, base, X86_PAGE_SIZE, MEM_COMMIT, PAGE_READWRITE, &base, NULL)) {
        mm_virtual_free(p, base, 0, MEM_RELEASE, NULL);
        h->nseg--;
        return false;
    }
    g->commit_end = base + X86_PAGE_SIZE;
    mm_say(why, "The heap at 0x%08X makes segment %u: 0x%X bytes reserved at 0x%08X.", h->base, si, reserve, base);
    uint8_t hdr[16] = { HEAP_SEGMENT_HEADER / 8, 0, 0, 0, 0, HEAP_ENTRY_BUSY, 0, (uint8_t)si,
                        0xFF, 0xEE, 0xFF, 0xEE, 0, 0, 0, 0 }; /* Entry, Signature */
    if (!heap_poke(p, base, hdr, sizeof hdr)) return false;
    hblk_t *e = heap_blk_new(p, s, g->first);
    if (!e) return false;
    e->units = (uint16_t)((g->commit_end - g->first) / 8);
    e->heap = heap_no(s, h);
    e->seg = (uint8_t)si;
    e->flags = HEAP_ENTRY_BUSY;
    g->tail = g->first;
    if (!heap_free_range(p, s, h, false, g->first)) return false;
    return commit <= X86_PAGE_SIZE || grow_segment(p, s, h, si, commit - X86_PAGE_SIZE, why);
}

bool heap_extend(mm_process_t *p, heap_set_t *s, heap_t *h, uint32_t need, strbuf_t *why)
{
    for (uint32_t si = 0; si < h->nseg; si++) {
        hseg_t *g = &h->seg[si];
        uint32_t t = g->tail, have = 0;
        if (t && !(B(s, t)->flags & HEAP_ENTRY_BUSY) && B(s, t)->units + need <= HEAP_MAX_BLOCK_UNITS)
            have = B(s, t)->units;
        uint32_t bytes = round_up((need - have) * 8, X86_PAGE_SIZE);
        if (bytes < HEAP_SEGMENT_COMMIT) bytes = HEAP_SEGMENT_COMMIT;
        if (bytes > g->reserve_end - g->commit_end) bytes = g->reserve_end - g->commit_end;
        if (bytes < (need - have) * 8) continue;
        return grow_segment(p, s, h, si, bytes, why);
    }
    if (!(h->flags & PS_HEAP_GROWABLE)) {
        mm_say(why, "The heap at 0x%08X is fixed at 0x%X bytes and has no free block of 0x%X bytes.", h->base,
               h->maximum, need * 8);
        return false;
    }
    return new_segment(p, s, h, need, why);
}

void heap_maybe_decommit(mm_process_t *p, heap_set_t *s, heap_t *h, uint32_t b)
{
    hblk_t *e = B(s, b);
    hseg_t *g = &h->seg[e->seg];
    if (heap_next(h, e, b) || (e->flags & HEAP_ENTRY_BUSY) || (uint64_t)e->units * 8 < HEAP_DECOMMIT_BLOCK ||
        h->free_bytes < HEAP_DECOMMIT_TOTAL)
        return;
    uint32_t keep = round_up(b + 16, X86_PAGE_SIZE);
    if (keep >= g->commit_end) return;
    uint32_t gone = g->commit_end - keep;
    unlist(p, s, h, b);
    (void)mm_virtual_free(p, keep, gone, MEM_DECOMMIT, NULL);
    g->commit_end = keep;
    e->units = (uint16_t)((keep - b) / 8);
    h->free_bytes -= gone;
    heap_list_insert(s, h, b);
    (void)write_linked(p, s, h, b);
}
