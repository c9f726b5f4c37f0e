/* The heap model's storage: the per-process set of heaps, the shadow that
 * keeps each block's record at its address (with the busy bits), the free
 * lists with their bitmap, and copies and release of the whole set. The
 * mirror of headers into the
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

/* The shadow. ------------------------------------------------------ */

#define PAGE_BYTES (HEAP_PAGE_SLOTS * sizeof(hblk_t))

hleaf_t *heap_leaf_of(mm_process_t *p, heap_set_t *s, uint32_t addr, bool need)
{
    const ps_alloc_t *a = p->mm->alloc;
    hleaf_t **l = NULL;
    if (s->leaf || (s->leaf = ps_calloc(a, HEAP_LEAVES * sizeof *s->leaf))) l = &s->leaf[addr / HEAP_LEAF];
    if (l && !*l && ps_grow(a, (void **)&s->used, &s->capused, s->nused + 1, sizeof *s->used) &&
        (*l = ps_calloc(a, sizeof **l)))
        s->used[s->nused++] = addr / HEAP_LEAF;
    if ((!l || !*l) && need) mm_oom(p->mm);
    return l ? *l : NULL;
}

hblk_t *heap_blk_new(mm_process_t *p, heap_set_t *s, uint32_t addr)
{
    hleaf_t *l = heap_leaf_of(p, s, addr, true);
    if (!l) return NULL;
    uint32_t pi = (addr % HEAP_LEAF) / X86_PAGE_SIZE;
    if (!l->page[pi] && !(l->page[pi] = ps_calloc(p->mm->alloc, PAGE_BYTES))) {
        mm_oom(p->mm);
        return NULL;
    }
    hblk_t *e = &l->page[pi][(addr % X86_PAGE_SIZE) / 8u];
    *e = (hblk_t){ 0 };
    l->count[pi]++;
    s->nrec++;
    return e;
}

void heap_blk_dead(heap_set_t *s, uint32_t b)
{
    *B(s, b) = (hblk_t){ 0 };
    s->leaf[b / HEAP_LEAF]->count[(b % HEAP_LEAF) / X86_PAGE_SIZE]--;
    s->nrec--;
}

void heap_blk_release(const ps_alloc_t *a, heap_set_t *s, uint32_t lo, uint32_t hi)
{
    for (uint64_t at = lo & ~(uint64_t)(X86_PAGE_SIZE - 1); s->leaf && at < hi; at += X86_PAGE_SIZE) {
        hleaf_t *l = s->leaf[at / HEAP_LEAF];
        uint32_t pi = (uint32_t)(at % HEAP_LEAF) / X86_PAGE_SIZE;
        if (!l || !l->page[pi] || l->count[pi]) continue;
        ps_free(a, l->page[pi], PAGE_BYTES);
        l->page[pi] = NULL;
    }
}

/* heap_busy_mark where the leaf is missing: made for a bit set. */
bool heap_busy_mark_slow(mm_process_t *p, heap_set_t *s, uint32_t addr, bool on)
{
    return !on || (heap_leaf_of(p, s, addr, true) && heap_busy_mark(p, s, addr, on));
}

/* Free lists. -------------------------------------------------------- */

static void mark(heap_t *h, uint32_t list, bool on)
{
    if (on) h->in_use[list / 32] |= 1u << (list % 32);
    else h->in_use[list / 32] &= ~(1u << (list % 32));
}

void heap_list_insert(heap_set_t *s, heap_t *h, uint32_t b)
{
    hblk_t *e = B(s, b);
    uint32_t l = heap_list_of(e->units), tail = h->last[l];
    /* At the tail, as RtlpInsertFreeBlockDirect does. In memory the list
     * is circular through its head in the HEAP structure (the first
     * block's Blink and the last one's Flink hold the list head); the
     * host's list ends at its first and last blocks, so that an insert
     * reaches the last block's record alone. */
    e->fnext = 0;
    e->fprev = tail;
    if (!tail) {
        h->list[l] = b;
        mark(h, l, true);
    } else {
        B(s, tail)->fnext = b;
    }
    h->last[l] = b;
}

void heap_list_remove(heap_set_t *s, heap_t *h, uint32_t b)
{
    hblk_t *e = B(s, b);
    uint32_t l = heap_list_of(e->units);
    if (e->fprev) B(s, e->fprev)->fnext = e->fnext;
    else h->list[l] = e->fnext;
    if (e->fnext) B(s, e->fnext)->fprev = e->fprev;
    else h->last[l] = e->fprev;
    if (!h->list[l]) mark(h, l, false);
    e->fprev = e->fnext = 0;
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
        uint32_t best = 0;
        for (uint32_t b = h->list[l]; b; b = B(s, b)->fnext)
            if (B(s, b)->units >= units && (!best || B(s, b)->units < B(s, best)->units)) best = b;
        if (best) return best;
    }
    return 0;
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

/* A copy of leaf src (NULL: no host memory). */
static hleaf_t *leaf_copy(const ps_alloc_t *a, const hleaf_t *src)
{
    hleaf_t *l = ps_malloc(a, sizeof *l);
    if (!l) return NULL;
    *l = *src;
    memset(l->cache, 0, sizeof l->cache); /* the copy's frames are not these */
    for (uint32_t i = 0; i < HEAP_LEAF_PAGES; i++) {
        if (!src->page[i]) continue;
        if (!(l->page[i] = ps_malloc(a, PAGE_BYTES))) {
            while (i--) ps_free(a, l->page[i], PAGE_BYTES);
            ps_free(a, l, sizeof *l);
            return NULL;
        }
        memcpy(l->page[i], src->page[i], PAGE_BYTES);
    }
    return l;
}

static void leaf_free(const ps_alloc_t *a, hleaf_t *l)
{
    for (uint32_t i = 0; l && i < HEAP_LEAF_PAGES; i++) ps_free(a, l->page[i], PAGE_BYTES);
    ps_free(a, l, sizeof *l);
}

heap_set_t *heap_set_clone(const ps_alloc_t *a, const heap_set_t *src)
{
    heap_set_t *s = ps_calloc(a, sizeof *s);
    if (!s) return NULL;
    s->heaps = src->capheaps ? ps_calloc(a, src->capheaps * sizeof *s->heaps) : NULL;
    s->capheaps = src->capheaps;
    bool ok = s->heaps || !src->capheaps;
    for (uint32_t i = 0; ok && i < src->nheaps; i++) {
        s->heaps[i] = heap_copy(a, src->heaps[i]);
        if (!s->heaps[i]) ok = false;
        else s->nheaps++;
    }
    if (ok && src->leaf) {
        s->leaf = ps_calloc(a, HEAP_LEAVES * sizeof *s->leaf);
        s->used = src->capused ? ps_malloc(a, src->capused * sizeof *s->used) : NULL;
        ok = s->leaf && (s->used || !src->capused);
        if (ok) s->capused = src->capused;
        for (uint32_t i = 0; ok && i < src->nused; i++) {
            uint32_t k = src->used[i];
            if (!(s->leaf[k] = leaf_copy(a, src->leaf[k]))) ok = false;
            else s->used[s->nused++] = k;
        }
    }
    if (ok && src->capdelphi) {
        s->delphi = ps_malloc(a, src->capdelphi * sizeof *s->delphi);
        if (s->delphi) {
            memcpy(s->delphi, src->delphi, src->ndelphi * sizeof *s->delphi);
            s->capdelphi = src->capdelphi;
            s->ndelphi = src->ndelphi;
        }
        ok = s->delphi != NULL;
    }
    if (!ok) {
        heap_set_free(a, s);
        return NULL;
    }
    s->nrec = src->nrec;
    s->crt_heap = src->crt_heap;
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
    ps_free(a, s->delphi, s->capdelphi * sizeof *s->delphi);
    for (uint32_t i = 0; i < s->nused; i++) leaf_free(a, s->leaf[s->used[i]]);
    ps_free(a, s->used, s->capused * sizeof *s->used);
    ps_free(a, s->leaf, s->leaf ? HEAP_LEAVES * sizeof *s->leaf : 0);
    ps_free(a, s, sizeof *s);
}
