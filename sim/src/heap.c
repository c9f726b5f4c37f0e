/* Heaps: HeapCreate, HeapDestroy, GetProcessHeap(s) and the process heap
 * the typical layout starts with. The sizes are those of XP SP2/SP3's
 * kernel32 and ntdll (docs/heap.md gives the sources): a growable heap
 * reserves 1 MB (PEB HeapSegmentReserve) or its initial size rounded up to
 * 64 KB, a fixed one its maximum rounded up to a page; the initial size,
 * rounded up to a page (one page at least), is committed. The HEAP
 * structure and the first segment's HEAP_SEGMENT take the first 0x680
 * bytes; a growable heap that serializes then allocates its lookaside
 * table (128 lists of 0x30 bytes) as its first block, which is why a new
 * heap's first HeapAlloc on XP returns base + 0x1E90, and base + 0x688
 * with HEAP_NO_SERIALIZE. */
#include "heap_int.h"
#include "mem.h"
#include "pagesim/winsdk.h"
#include <string.h>

static uint32_t round_up(uint32_t v, uint32_t to)
{
    return (uint32_t)(((uint64_t)v + to - 1) & ~(uint64_t)(to - 1));
}

static void put32(uint8_t *o, uint32_t v)
{
    for (int i = 0; i < 4; i++) o[i] = (uint8_t)(v >> (8 * i));
}

/* The first 0x680 bytes: the heap's own entry and the fields WinDbg's
 * !heap reads first (Signature, Flags, thresholds), and the first segment's
 * HEAP_SEGMENT entry and signature. */
static bool write_heap_header(mm_process_t *p, const heap_t *h)
{
    uint8_t hdr[0x2C] = { 0xC8, 0, 0, 0, (uint8_t)((h->base >> 3) ^ h->cookie), HEAP_ENTRY_BUSY, 0, 0 };
    put32(hdr + 0x08, HEAP_SIGNATURE);
    put32(hdr + 0x0C, h->flags);
    put32(hdr + 0x14, HEAP_MAX_BLOCK_UNITS);
    put32(hdr + 0x18, HEAP_SEGMENT_RESERVE);
    put32(hdr + 0x1C, HEAP_SEGMENT_COMMIT);
    put32(hdr + 0x20, HEAP_DECOMMIT_BLOCK);
    put32(hdr + 0x24, HEAP_DECOMMIT_TOTAL);
    put32(hdr + 0x28, (uint32_t)(h->free_bytes / 8));
    uint8_t seg[0x10] = { 8, 0, 0xC8, 0, (uint8_t)(((h->base + 0x640) >> 3) ^ h->cookie), HEAP_ENTRY_BUSY, 0, 0 };
    put32(seg + 0x08, 0xFFEEFFEEu);
    return heap_poke(p, h->base, hdr, sizeof hdr) && heap_poke(p, h->base + 0x640, seg, sizeof seg);
}

static heap_t *add_heap(mm_process_t *p, heap_set_t *s, uint32_t base, uint32_t flags, uint32_t maximum,
                        uint32_t commit_end, uint32_t reserve_end)
{
    if (!ps_grow(p->mm->alloc, (void **)&s->heaps, &s->capheaps, s->nheaps + 1, sizeof *s->heaps)) return NULL;
    heap_t *h = ps_calloc(p->mm->alloc, sizeof *h);
    if (!h) return NULL;
    h->base = base;
    h->flags = flags;
    h->maximum = maximum;
    h->next_reserve = HEAP_SEGMENT_RESERVE * 2;
    /* A per-heap cookie byte, as XP SP2 keeps one; deterministic here. */
    h->cookie = (uint8_t)(base >> 16);
    h->nseg = 1;
    h->seg[0] = (hseg_t){ base, base + HEAP_FIRST_BLOCK, commit_end, reserve_end, 0 };
    s->heaps[s->nheaps++] = h;
    return h;
}

/* The first free block and, for a growable heap that serializes, the
 * lookaside table. */
static bool first_blocks(mm_process_t *p, heap_set_t *s, heap_t *h, strbuf_t *why)
{
    hseg_t *g = &h->seg[0];
    if (!write_heap_header(p, h)) return false;
    if (g->commit_end > g->first) {
        hblk_t *e = heap_blk_new(p, s, g->first);
        if (!e) return false;
        e->units = (uint16_t)((g->commit_end - g->first) / 8);
        e->heap = (uint16_t)(s->nheaps - 1);
        e->flags = HEAP_ENTRY_BUSY;
        g->tail = g->first;
        if (!heap_free_range(p, s, h, false, g->first)) return false;
    }
    if ((h->flags & PS_HEAP_GROWABLE) && !(h->flags & PS_HEAP_NO_SERIALIZE)) {
        heap_result_t r;
        heap_alloc(p, h->base, 0, HEAP_LOOKASIDE_BYTES, &r, why);
        if (!r.ptr) return false;
    }
    return true;
}

void heap_create(mm_process_t *p, uint32_t options, uint32_t initial, uint32_t maximum, heap_result_t *r,
                 strbuf_t *why)
{
    *r = (heap_result_t){ 0, 0, 0 };
    uint32_t flags = options & (PS_HEAP_GENERATE_EXCEPTIONS | PS_HEAP_NO_SERIALIZE | PS_HEAP_CREATE_ENABLE_EXECUTE);
    if (!maximum) flags |= PS_HEAP_GROWABLE;
    heap_set_t *s = heap_set_of(p);
    if (!s) {
        r->error = ERROR_NOT_ENOUGH_MEMORY;
        return;
    }
    if (s->nheaps >= HEAP_MAX_HEAPS) {
        mm_say(why, "The process already has %u heaps.", HEAP_MAX_HEAPS);
        r->error = ERROR_NOT_ENOUGH_MEMORY;
        return;
    }
    uint32_t commit = round_up(initial ? initial : 1, X86_PAGE_SIZE);
    uint32_t reserve = (flags & PS_HEAP_GROWABLE) ? round_up(commit, 0x10000u) : round_up(maximum, X86_PAGE_SIZE);
    if ((flags & PS_HEAP_GROWABLE) && reserve < HEAP_SEGMENT_RESERVE) reserve = HEAP_SEGMENT_RESERVE;
    if (!reserve || commit == 0 || initial > 0xFFFF0000u || maximum > 0xFFFF0000u) reserve = 0; /* wrapped */
    if (commit > reserve) commit = reserve;
    uint32_t prot = options & PS_HEAP_CREATE_ENABLE_EXECUTE ? PAGE_EXECUTE_READWRITE : PAGE_READWRITE;
    uint32_t base = 0, e = reserve ? mm_virtual_alloc(p, 0, reserve, MEM_RESERVE, prot, &base, NULL)
                                   : ERROR_NOT_ENOUGH_MEMORY;
    if (!e) e = mm_virtual_alloc(p, base, commit, MEM_COMMIT, prot, &base, NULL);
    if (e) {
        if (base) (void)mm_virtual_free(p, base, 0, MEM_RELEASE, NULL);
        mm_say(why, "HeapCreate cannot reserve 0x%X bytes and commit 0x%X of them.", reserve, commit);
        r->error = e == ERROR_INVALID_PARAMETER ? ERROR_NOT_ENOUGH_MEMORY : e;
        return;
    }
    heap_t *h = add_heap(p, s, base, flags, maximum, base + commit, base + reserve);
    if (!h || !first_blocks(p, s, h, why)) {
        if (h) (void)heap_destroy(p, base, NULL);
        else (void)mm_virtual_free(p, base, 0, MEM_RELEASE, NULL);
        r->error = ERROR_NOT_ENOUGH_MEMORY;
        return;
    }
    mm_say(why, "A %s heap at 0x%08X: 0x%X bytes reserved, 0x%X committed.",
           flags & PS_HEAP_GROWABLE ? "growable" : "fixed-size", base, reserve, commit);
    r->ptr = base;
}

bool heap_create_process_heap(mm_process_t *p, uint32_t base, uint32_t reserve, uint32_t commit, strbuf_t *why)
{
    heap_set_t *s = heap_set_of(p);
    if (!s) return false;
    heap_t *h = add_heap(p, s, base, PS_HEAP_GROWABLE, 0, base + commit, base + reserve);
    if (!h) return mm_oom(p->mm);
    h->process_heap = true;
    return first_blocks(p, s, h, why);
}

/* Renumbers the records of the blocks of h (its index in the set is hi
 * now). */
static void renumber(heap_set_t *s, const heap_t *h, uint16_t hi)
{
    for (uint32_t si = 0; si < h->nseg; si++)
        for (uint32_t b = heap_first(&h->seg[si]); b; b = heap_next(h, B(s, b), b)) B(s, b)->heap = hi;
    for (uint32_t i = 0; i < h->nvirt; i++) B(s, h->virt[i])->heap = hi;
}

/* Releases the records of a heap (its regions are released) and
 * renumbers the others' records. */
static void drop_heap(mm_process_t *p, heap_set_t *s, uint32_t hi)
{
    heap_t *h = s->heaps[hi];
    const ps_alloc_t *a = p->mm->alloc;
    for (uint32_t si = 0; si < h->nseg; si++) {
        hseg_t *g = &h->seg[si];
        for (uint32_t b = heap_first(g), n; b; b = n) {
            n = heap_next(h, B(s, b), b);
            (void)heap_busy_mark(p, s, b, false);
            heap_blk_dead(s, b);
        }
        heap_blk_release(a, s, g->base, g->reserve_end);
    }
    for (uint32_t i = 0; i < h->nvirt; i++) {
        heap_blk_dead(s, h->virt[i]);
        heap_blk_release(a, s, h->virt[i], h->virt[i] + 1);
    }
    ps_free(a, h->virt, h->capvirt * sizeof *h->virt);
    ps_free(a, h, sizeof *h);
    memmove(&s->heaps[hi], &s->heaps[hi + 1], (s->nheaps - hi - 1) * sizeof *s->heaps);
    s->nheaps--;
    for (uint32_t i = hi; i < s->nheaps; i++) renumber(s, s->heaps[i], (uint16_t)i);
}

uint32_t heap_destroy(mm_process_t *p, uint32_t heap, strbuf_t *why)
{
    uint32_t hi;
    heap_t *h = heap_find(p, heap, &hi);
    if (!h) {
        mm_say(why, "0x%08X is not a heap of this process.", heap);
        return ERROR_INVALID_HANDLE;
    }
    if (h->process_heap) {
        mm_say(why, "The process heap cannot be destroyed.");
        return ERROR_INVALID_PARAMETER;
    }
    heap_set_t *s = p->heaps;
    for (uint32_t i = 0; i < h->nvirt; i++)
        (void)mm_virtual_free(p, h->virt[i] - (HEAP_VIRTUAL_HEADER - 8), 0, MEM_RELEASE, NULL);
    for (uint32_t i = 0; i < h->nseg; i++) (void)mm_virtual_free(p, h->seg[i].base, 0, MEM_RELEASE, NULL);
    mm_say(why, "The heap at 0x%08X releases its %u segment%s and %u large block%s.", heap, h->nseg,
           h->nseg == 1 ? "" : "s", h->nvirt, h->nvirt == 1 ? "" : "s");
    drop_heap(p, s, hi);
    return 0;
}

uint32_t heap_process_heap(const mm_process_t *p)
{
    const heap_set_t *s = p->heaps;
    for (uint32_t i = 0; s && i < s->nheaps; i++)
        if (s->heaps[i]->process_heap) return s->heaps[i]->base;
    return 0;
}

uint32_t heap_list(const mm_process_t *p, uint32_t *out, uint32_t n)
{
    const heap_set_t *s = p->heaps;
    if (!s) return 0;
    for (uint32_t i = 0; i < s->nheaps && i < n; i++) out[i] = s->heaps[i]->base;
    return s->nheaps;
}
