/* The heap model's mirror in the process's simulated memory: writing and
 * reading bytes as the program's heap code would (faulting pages in), the
 * store cache that makes a store to a page needing nothing but the copy a
 * plain copy into its frame, and the HEAP_ENTRY bytes of a block. */
#include "heap_int.h"
#include "mem.h"
#include "pagesim/phys.h"
#include <string.h>

/* The store cache. A heap store to a page that is present, writable,
 * accessed and dirty changes nothing but the bytes: no PTE bit, no fault,
 * no working-set or policy state (under LRU every store counts, so then
 * there is no cache). Such a page's frame, when this memory holds it alone
 * and stores all of it, is kept in the page's leaf, so that the next
 * store to the page is a copy. An entry stays right while the page's PTE
 * stays (mm_set_pte forgets the page whenever it changes; the MMU only
 * ever adds A and D, which it already has) and the frame's storage stays
 * (phys_generation; mm_clone empties the cache of the machine it copies). */
void heap_page_forget(heap_set_t *s, uint32_t va)
{
    hleaf_t *l = s->leaf ? s->leaf[va / HEAP_LEAF] : NULL;
    if (l) l->cache[(va % HEAP_LEAF) / X86_PAGE_SIZE].data = NULL;
}

void heap_pages_drop(heap_set_t *s)
{
    s->epoch++;
}

void heap_prefetch(const heap_set_t *s, uint32_t va)
{
    const uint8_t *at = heap_cached(s, va);
    if (at) HEAP_PREFETCH(at);
}

/* Keeps the page at va in the cache, when a store to it needs nothing but
 * the copy (pte: its PTE now). */
static void page_keep(mm_process_t *p, heap_set_t *s, uint32_t va, uint32_t pte)
{
    uint32_t all = X86_P | X86_RW | X86_A | X86_D;
    if (!s || (pte & all) != all || p->mm->cfg.policy == MM_POLICY_LRU) return;
    hleaf_t *l = heap_leaf_of(p, s, va, false);
    if (!l) return; /* no host memory for it: every store looks its page up */
    /* Stored in full now, so that the frame's storage stays where it is
     * (storage that grows moves, and every entry would be looked up anew). */
    phys_t *ph = mmu_phys(p->mm->mmu);
    uint8_t *data = phys_frame_own(ph, pte & X86_FRAME_MASK);
    if (!data) return;
    s->gen = phys_generation_ref(ph);
    l->cache[(va % HEAP_LEAF) / X86_PAGE_SIZE] = (hpage_t){ *s->gen, s->epoch, data };
}

/* One store within a page, as the program makes it: the first byte
 * through the MMU unless the page needs nothing but the copy, the rest
 * copied into the frame (s: the process's heaps, NULL: none yet). */
static bool poke_page(mm_process_t *p, heap_set_t *s, uint32_t va, const uint8_t *d, uint32_t n)
{
    uint32_t pte = mm_pte(p, va), all = X86_P | X86_RW | X86_A | X86_D;
    uint32_t skip = 0;
    if ((pte & all) != all || p->mm->cfg.policy == MM_POLICY_LRU) {
        mm_access_t a = { 0 };
        if (!mm_write8(p, va, d[0], &a)) return false;
        pte = mm_pte(p, va);
        if (!(pte & X86_P)) return false;
        skip = 1;
    }
    if (n > skip) {
        uint32_t pa = (pte & X86_FRAME_MASK) + (va & 0xFFFu) + skip;
        phys_t *ph = mmu_phys(p->mm->mmu);
        uint8_t *at = phys_span_rw(ph, pa, n - skip);
        if (at) memcpy(at, d + skip, n - skip);
        else if (phys_write(ph, pa, d + skip, n - skip) != PS_OK) return mm_oom(p->mm);
    }
    page_keep(p, s, va, pte);
    return true;
}

bool heap_poke(mm_process_t *p, uint32_t va, const void *data, uint32_t n)
{
    const uint8_t *d = data;
    heap_set_t *s = p->heaps;
    if (s && s->direct) {
        /* The layout's resident pages, written as the loader left them. */
        for (uint32_t i = 0; i < n; i++) {
            uint32_t pte = mm_pte(p, va + i);
            if (!(pte & X86_P)) return false;
            if (phys_write(mmu_phys(p->mm->mmu), (pte & X86_FRAME_MASK) + ((va + i) & 0xFFFu), d + i, 1) != PS_OK)
                return mm_oom(p->mm);
        }
        return true;
    }
    while (n) {
        uint32_t chunk = X86_PAGE_SIZE - (va & 0xFFFu);
        if (chunk > n) chunk = n;
        /* The heap's own stores do not go through the TLB model. */
        uint8_t *at = s ? heap_cached(s, va) : NULL;
        if (at) memcpy(at, d, chunk);
        else if (!poke_page(p, s, va, d, chunk)) return false;
        va += chunk;
        d += chunk;
        n -= chunk;
    }
    return true;
}

bool heap_fill(mm_process_t *p, uint32_t va, uint8_t value, uint32_t n)
{
    uint8_t buf[256];
    memset(buf, value, sizeof buf);
    while (n) {
        uint32_t k = n < sizeof buf ? n : (uint32_t)sizeof buf;
        if (!heap_poke(p, va, buf, k)) return false;
        va += k;
        n -= k;
    }
    return true;
}

bool heap_peek(mm_process_t *p, uint32_t va, void *data, uint32_t n)
{
    uint8_t *d = data;
    for (uint32_t i = 0; i < n; i++) {
        mm_access_t a = { 0 };
        if (!mm_read8(p, va + i, &d[i], &a)) return false;
    }
    return true;
}

static void put16(uint8_t *o, uint32_t v) { o[0] = (uint8_t)v; o[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *o, uint32_t v) { put16(o, v & 0xFFFFu); put16(o + 2, v >> 16); }

void heap_entry_bytes(const heap_set_t *s, const heap_t *h, uint32_t b, uint8_t out[16], uint32_t *n)
{
    const hblk_t *e = B(s, b);
    uint32_t size = e->units, unused = 0, flags = e->flags;
    if (flags & HEAP_ENTRY_VIRTUAL_ALLOC) size = e->vunits * 8 - HEAP_VIRTUAL_HEADER - e->req;
    else if (flags & HEAP_ENTRY_BUSY) unused = e->units * 8u - e->req;
    if (!(flags & HEAP_ENTRY_VIRTUAL_ALLOC) && h->seg[e->seg].tail == b) flags |= HEAP_ENTRY_LAST_ENTRY;
    put32(out, (size & 0xFFFFu) | (uint32_t)e->prev_units << 16);
    put32(out + 4, (((b >> 3) ^ h->cookie) & 0xFFu) | flags << 8 | (unused & 0xFFu) << 16 | (uint32_t)e->seg << 24);
    *n = 8;
    if (!(e->flags & HEAP_ENTRY_BUSY)) {
        uint32_t l = heap_list_of(e->units);
        put32(out + 8, heap_link_addr(h, e->fnext, l));
        put32(out + 12, heap_link_addr(h, e->fprev, l));
        *n = 16;
    }
}

bool heap_write_entry(mm_process_t *p, heap_set_t *s, const heap_t *h, uint32_t b)
{
    uint8_t buf[16];
    uint32_t n;
    heap_entry_bytes(s, h, b, buf, &n);
    return heap_store(p, b, buf, n);
}
