/* The heap model's storage: the per-process set of heaps, the pool of
 * block records and its hash index, the free lists with their bitmap, and
 * copies and release of the whole set. The mirror of headers into the
 * process's simulated memory is heap_mem.c. */
#include "heap_int.h"
#include "mem.h"
#include <string.h>

heap_set_t *heap_set_of(mm_process_t *p)
{
    if (!p->heaps) p->heaps = ps_calloc(p->mm->alloc, sizeof *p->heaps);
    if (!p->heaps) mm_oom(p->mm);
    return p->heaps;
}

heap_t *heap_find(const mm_process_t *p, uint32_t handle, uint32_t *index)
{
    const heap_set_t *s = p->heaps;
    if (!s || !handle) return NULL;
    for (uint32_t i = 0; i < s->nheaps; i++)
        if (s->heaps[i]->base == handle) {
            if (index) *index = i;
            return s->heaps[i];
        }
    return NULL;
}

/* The pool's storage: cap records and the slack to put them on a 64-byte
 * boundary. */
static size_t blk_bytes(uint32_t cap)
{
    return cap ? (size_t)cap * sizeof(hblk_t) + 63u : 0;
}

/* Moves the pool to storage of cap records (at least nblk), with a stack
 * of free records as deep as the pool (so that freeing one never needs
 * memory); false when the host has none (the pool is unchanged). */
static bool blk_resize(const ps_alloc_t *a, heap_set_t *s, uint32_t cap)
{
    void *mem = ps_malloc(a, blk_bytes(cap));
    uint32_t *dead = ps_malloc(a, (size_t)cap * sizeof *dead);
    if (!mem || !dead) {
        ps_free(a, mem, mem ? blk_bytes(cap) : 0);
        ps_free(a, dead, dead ? (size_t)cap * sizeof *dead : 0);
        return false;
    }
    hblk_t *blk = (hblk_t *)(((uintptr_t)mem + 63u) & ~(uintptr_t)63u);
    if (s->nblk) memcpy(blk, s->blk, s->nblk * sizeof *blk);
    if (s->ndead) memcpy(dead, s->dead, s->ndead * sizeof *dead);
    ps_free(a, s->blk_mem, blk_bytes(s->capblk));
    ps_free(a, s->dead, (size_t)s->capblk * sizeof *s->dead);
    s->blk_mem = mem;
    s->blk = blk;
    s->dead = dead;
    s->capblk = cap;
    return true;
}

uint32_t heap_blk_new(mm_process_t *p, heap_set_t *s)
{
    uint32_t b;
    if (s->ndead) {
        b = s->dead[--s->ndead];
    } else {
        if (s->nblk == s->capblk && !blk_resize(p->mm->alloc, s, s->capblk ? s->capblk * 2 : 64)) {
            mm_oom(p->mm);
            return HEAP_NONE;
        }
        b = ++s->nblk;
    }
    *B(s, b) = (hblk_t){ 0 };
    return b;
}

void heap_blk_dead(heap_set_t *s, uint32_t b)
{
    *B(s, b) = (hblk_t){ 0 };
    s->dead[s->ndead++] = b;
}

bool heap_busy_mark(mm_process_t *p, heap_set_t *s, uint32_t addr, bool on)
{
    if (!s->busy) {
        if (!on) return true;
        s->busy = ps_calloc(p->mm->alloc, HEAP_BUSY_LEAVES * sizeof *s->busy);
        if (!s->busy) return mm_oom(p->mm);
    }
    uint64_t **leaf = &s->busy[addr / HEAP_BUSY_LEAF];
    if (!*leaf) {
        if (!on) return true;
        *leaf = ps_calloc(p->mm->alloc, HEAP_BUSY_WORDS * sizeof **leaf);
        if (!*leaf) return mm_oom(p->mm);
    }
    uint32_t g = (addr % HEAP_BUSY_LEAF) / 8u;
    if (on) (*leaf)[g / 64u] |= 1ull << (g % 64u);
    else (*leaf)[g / 64u] &= ~(1ull << (g % 64u));
    return true;
}

/* The index: linear probing over addresses (multiples of 8), deletion by
 * backward shift, so no tombstones and a probe ends at the first hole. */
static uint32_t slot_of(uint32_t addr, uint32_t cap)
{
    /* murmur3's finalizer: every bit of the address reaches the low bits
     * (segments a power of two apart would collide otherwise). */
    uint32_t h = addr >> 3;
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    h *= 0xC2B2AE35u;
    h ^= h >> 16;
    return h & (cap - 1);
}

uint32_t heap_index_find(const heap_set_t *s, uint32_t addr)
{
    if (!s || !s->icap) return HEAP_NONE;
    for (uint32_t i = slot_of(addr, s->icap);; i = (i + 1) & (s->icap - 1)) {
        const hslot_t *e = &s->index[i];
        if (!e->b || e->addr == addr) return e->b;
    }
}

static void index_put(heap_set_t *s, uint32_t addr, uint32_t b)
{
    uint32_t i = slot_of(addr, s->icap);
    while (s->index[i].b) i = (i + 1) & (s->icap - 1);
    s->index[i] = (hslot_t){ addr, b };
}

bool heap_index_add(mm_process_t *p, heap_set_t *s, uint32_t addr, uint32_t b)
{
    if ((s->icount + 1) * 2 > s->icap) {
        uint32_t ncap = s->icap ? s->icap * 2 : 256;
        uint32_t ocap = s->icap;
        hslot_t *old = s->index;
        s->index = ps_calloc(p->mm->alloc, (size_t)ncap * sizeof *s->index);
        if (!s->index) {
            s->index = old;
            return mm_oom(p->mm);
        }
        s->icap = ncap;
        for (uint32_t i = 0; i < ocap; i++)
            if (old[i].b) index_put(s, old[i].addr, old[i].b);
        ps_free(p->mm->alloc, old, (size_t)ocap * sizeof *old);
    }
    B(s, b)->addr = addr;
    index_put(s, addr, b);
    s->icount++;
    return true;
}

void heap_index_remove(heap_set_t *s, uint32_t addr)
{
    uint32_t m = s->icap - 1, i = slot_of(addr, s->icap);
    while (s->index[i].b && s->index[i].addr != addr) i = (i + 1) & m;
    if (!s->index[i].b) return;
    s->index[i] = (hslot_t){ 0, 0 };
    s->icount--;
    for (uint32_t j = (i + 1) & m; s->index[j].b; j = (j + 1) & m) {
        uint32_t home = slot_of(s->index[j].addr, s->icap);
        /* The entry at j may fill the hole at i when its home is not in (i, j]. */
        if (((j - home) & m) >= ((j - i) & m)) {
            s->index[i] = s->index[j];
            s->index[j] = (hslot_t){ 0, 0 };
            i = j;
        }
    }
}

/* Free lists. -------------------------------------------------------- */

uint32_t heap_list_of(uint32_t units)
{
    if (units < HEAP_EXACT_LISTS) return units;
    uint32_t bin = 0;
    for (uint32_t u = units >> 8; u && bin + 1 < HEAP_BIG_BINS; u >>= 1) bin++;
    return HEAP_EXACT_LISTS + bin;
}

static void mark(heap_t *h, uint32_t list, bool on)
{
    if (on) h->in_use[list / 32] |= 1u << (list % 32);
    else h->in_use[list / 32] &= ~(1u << (list % 32));
}

void heap_list_insert(heap_set_t *s, heap_t *h, uint32_t b)
{
    uint32_t l = heap_list_of(B(s, b)->units), tail = h->last[l];
    /* At the tail, as RtlpInsertFreeBlockDirect does. In memory the list
     * is circular through its head in the HEAP structure (the first
     * block's Blink and the last one's Flink hold the list head); the
     * host's list ends at its first and last blocks, so that an insert
     * reaches the last block's record alone. */
    hblk_t *e = B(s, b);
    e->flink = heap_link_addr(s, h, HEAP_NONE, l);
    e->fnext = HEAP_NONE;
    e->fprev = tail;
    if (!tail) {
        e->blink = e->flink;
        h->list[l] = b;
        mark(h, l, true);
    } else {
        e->blink = h->last_link[l];
        B(s, tail)->fnext = b;
        B(s, tail)->flink = e->addr + 8;
    }
    h->last[l] = b;
    h->last_link[l] = e->addr + 8;
}

void heap_list_remove(heap_set_t *s, heap_t *h, uint32_t b)
{
    uint32_t l = heap_list_of(B(s, b)->units);
    hblk_t *e = B(s, b);
    /* As memory unlinks it: the block before takes its Flink (the list
     * head's, not modelled, when it is first), the block after its Blink
     * (the list head's when it is last). */
    if (e->fprev) {
        B(s, e->fprev)->fnext = e->fnext;
        B(s, e->fprev)->flink = e->flink;
    } else {
        h->list[l] = e->fnext;
    }
    if (e->fnext) {
        B(s, e->fnext)->fprev = e->fprev;
        B(s, e->fnext)->blink = e->blink;
    } else {
        h->last[l] = e->fprev;
        h->last_link[l] = e->fprev ? e->blink : 0;
    }
    if (!h->list[l]) mark(h, l, false);
    e->fprev = e->fnext = HEAP_NONE;
    e->flink = e->blink = 0;
}

/* The number of the lowest bit set in w (not 0). */
static uint32_t lowest_bit(uint32_t w)
{
#if defined(__GNUC__) || defined(__clang__)
    return (uint32_t)__builtin_ctz(w);
#else
    uint32_t n = 0;
    while (!(w & 1u)) {
        w >>= 1;
        n++;
    }
    return n;
#endif
}

/* The next list at or above l that is not empty (HEAP_NLISTS: none). */
static uint32_t next_list(const heap_t *h, uint32_t l)
{
    while (l < HEAP_NLISTS) {
        uint32_t w = h->in_use[l / 32] >> (l % 32);
        if (w) return l + lowest_bit(w);
        l = (l / 32 + 1) * 32;
    }
    return HEAP_NLISTS;
}

uint32_t heap_list_fit(heap_set_t *s, const heap_t *h, uint32_t units)
{
    for (uint32_t l = next_list(h, heap_list_of(units)); l < HEAP_NLISTS; l = next_list(h, l + 1)) {
        if (l < HEAP_EXACT_LISTS) return h->list[l];
        /* A bin: the smallest block that fits, the first of equals. */
        uint32_t best = HEAP_NONE;
        for (uint32_t b = h->list[l]; b; b = B(s, b)->fnext)
            if (B(s, b)->units >= units && (!best || B(s, b)->units < B(s, best)->units)) best = b;
        if (best) return best;
    }
    return HEAP_NONE;
}

/* Copies and release. ------------------------------------------------ */

static heap_t *heap_copy(const ps_alloc_t *a, const heap_t *src)
{
    heap_t *h = ps_malloc(a, sizeof *h);
    if (!h) return NULL;
    *h = *src;
    h->virt = NULL;
    if (src->capvirt) {
        h->virt = ps_malloc(a, src->capvirt * sizeof *h->virt);
        if (!h->virt) {
            ps_free(a, h, sizeof *h);
            return NULL;
        }
        memcpy(h->virt, src->virt, src->nvirt * sizeof *h->virt);
    }
    return h;
}

heap_set_t *heap_set_clone(const ps_alloc_t *a, const heap_set_t *src)
{
    heap_set_t *s = ps_calloc(a, sizeof *s);
    if (!s) return NULL;
    s->heaps = src->capheaps ? ps_calloc(a, src->capheaps * sizeof *s->heaps) : NULL;
    s->index = src->icap ? ps_malloc(a, src->icap * sizeof *s->index) : NULL;
    s->capheaps = src->capheaps;
    s->icap = src->icap;
    bool ok = (s->heaps || !src->capheaps) && (!src->capblk || blk_resize(a, s, src->capblk)) &&
              (s->index || !src->icap);
    for (uint32_t i = 0; ok && i < src->nheaps; i++) {
        s->heaps[i] = heap_copy(a, src->heaps[i]);
        if (!s->heaps[i]) ok = false;
        else s->nheaps++;
    }
    if (!ok) {
        heap_set_free(a, s);
        return NULL;
    }
    if (src->busy) {
        s->busy = ps_calloc(a, HEAP_BUSY_LEAVES * sizeof *s->busy);
        for (uint32_t i = 0; s->busy && i < HEAP_BUSY_LEAVES; i++) {
            if (!src->busy[i]) continue;
            s->busy[i] = ps_malloc(a, HEAP_BUSY_WORDS * sizeof **s->busy);
            if (!s->busy[i]) {
                heap_set_free(a, s);
                return NULL;
            }
            memcpy(s->busy[i], src->busy[i], HEAP_BUSY_WORDS * sizeof **s->busy);
        }
        if (!s->busy) {
            heap_set_free(a, s);
            return NULL;
        }
    }
    if (src->nblk) memcpy(s->blk, src->blk, src->nblk * sizeof *s->blk);
    if (src->icap) memcpy(s->index, src->index, src->icap * sizeof *s->index);
    s->nblk = src->nblk;
    if (src->ndead) memcpy(s->dead, src->dead, src->ndead * sizeof *s->dead);
    s->ndead = src->ndead;
    s->icount = src->icount;
    s->crt_heap = src->crt_heap;
    if (src->capdelphi) {
        s->delphi = ps_malloc(a, src->capdelphi * sizeof *s->delphi);
        if (!s->delphi) {
            heap_set_free(a, s);
            return NULL;
        }
        memcpy(s->delphi, src->delphi, src->ndelphi * sizeof *s->delphi);
        s->capdelphi = src->capdelphi;
        s->ndelphi = src->ndelphi;
    }
    return s;
}

void heap_set_free(const ps_alloc_t *a, heap_set_t *s)
{
    if (!s) return;
    for (uint32_t i = 0; i < s->nheaps; i++) {
        ps_free(a, s->heaps[i]->virt, s->heaps[i]->capvirt * sizeof *s->heaps[i]->virt);
        ps_free(a, s->heaps[i], sizeof *s->heaps[i]);
    }
    ps_free(a, s->heaps, s->capheaps * sizeof *s->heaps);
    ps_free(a, s->blk_mem, blk_bytes(s->capblk));
    ps_free(a, s->dead, (size_t)s->capblk * sizeof *s->dead);
    ps_free(a, s->index, s->icap * sizeof *s->index);
    ps_free(a, s->delphi, s->capdelphi * sizeof *s->delphi);
    ps_free(a, s->pages, s->pages ? HEAP_PAGE_CACHE * sizeof *s->pages : 0);
    for (uint32_t i = 0; s->busy && i < HEAP_BUSY_LEAVES; i++)
        ps_free(a, s->busy[i], HEAP_BUSY_WORDS * sizeof **s->busy);
    ps_free(a, s->busy, s->busy ? HEAP_BUSY_LEAVES * sizeof *s->busy : 0);
    ps_free(a, s, sizeof *s);
}
