/* Fault counts for a range of frame counts in one pass over a trace: LRU
 * by stack distances, FIFO and Clock by a machine for each count fed the
 * same parsed batches. */
#include "mem.h"
#include "trace_int.h"
#include <string.h>

/* LRU's stack property: with F frames LRU holds the F pages used most
 * recently, so a reference hits exactly when its page is among the first F
 * of the LRU stack (the pages in order of last use, the latest first). Its
 * stack distance, that position counted from 1, gives every F at once.
 *
 * The first SD_TOP pages of the stack are a move-to-front array, where most
 * references land. A page pushed out of it is given the next position, so
 * positions grow down the stack's order: a deeper page has a smaller one.
 * A page with position p has SD_TOP pages above it in the array and, above
 * it in the rest, the pages with positions after p, counted by a Fenwick
 * tree over the positions (1 where a page is marked). Positions run out
 * after cap; then the marked ones are renumbered 1..live in order, the
 * tree rebuilt and cap doubled when less than half of it would be free. */
#define SD_TOP 16u
#define SD_CAP_MIN 1024u

struct trace_sweep {
    const ps_alloc_t *alloc;
    trace_policy_t policy;
    uint32_t lo, hi;
    ps_result_t status;
    uint64_t refs;
    trace_sim_t **sims;      /* FIFO, Clock: a machine for each count         */
    /* LRU */
    uint64_t *hist;          /* hist[d - 1]: references at distance d <= hi   */
    uint32_t top[SD_TOP], ntop;
    uint32_t *pos[PD_ENTRIES]; /* each page's position, 0 while not in the tree
                              * (a table a 4 MB region, from its first mark) */
    uint32_t *tree;          /* Fenwick tree over positions 1..cap            */
    uint32_t *page_at;       /* the page each position was given to           */
    uint32_t cap, next, live;
};

static uint32_t fen_prefix(const uint32_t *tree, uint32_t p)
{
    uint32_t sum = 0;
    for (; p; p &= p - 1) sum += tree[p];
    return sum;
}

/* delta: 1, or UINT32_MAX for -1 (the counts wrap back). */
static void fen_add(uint32_t *tree, uint32_t cap, uint32_t p, uint32_t delta)
{
    for (; p <= cap; p += p & (0u - p)) tree[p] += delta;
}

/* The marked positions renumbered 1..live in order, in a tree with at
 * least half of it free. False when memory runs out. */
static bool sd_renumber(trace_sweep_t *s)
{
    uint32_t cap = s->cap ? s->cap : SD_CAP_MIN;
    while (cap < 2 * (s->live + 1)) cap *= 2;
    uint32_t k = 0;
    for (uint32_t p = 1; p < s->next; p++) {
        uint32_t page = s->page_at[p];
        uint32_t *at = &s->pos[page >> PT_BITS][PT_INDEX(page)];
        if (*at == p) {
            s->page_at[++k] = page;
            *at = k;
        }
    }
    if (cap != s->cap) {
        uint32_t *tree = ps_realloc(s->alloc, s->tree, (s->cap + 1) * sizeof *tree, (cap + 1) * sizeof *tree);
        if (tree) s->tree = tree;
        uint32_t *at = tree ? ps_realloc(s->alloc, s->page_at, (s->cap + 1) * sizeof *at, (cap + 1) * sizeof *at) : NULL;
        if (!at) {
            if (tree) s->tree = ps_realloc(s->alloc, tree, (cap + 1) * sizeof *tree, (s->cap + 1) * sizeof *tree);
            return false;
        }
        s->page_at = at;
        s->cap = cap;
    }
    /* tree[i] counts the marks in (i - lowbit(i), i], and 1..live are marked. */
    for (uint32_t i = 1; i <= s->cap; i++) {
        uint32_t below = i - (i & (0u - i));
        s->tree[i] = (i < s->live ? i : s->live) - (below < s->live ? below : s->live);
    }
    s->next = s->live + 1;
    return true;
}

static bool sd_mark(trace_sweep_t *s, uint32_t page)
{
    uint32_t **pt = &s->pos[page >> PT_BITS];
    if (!*pt && !(*pt = ps_calloc(s->alloc, PT_ENTRIES * sizeof **pt))) return false;
    if (s->next > s->cap && !sd_renumber(s)) return false;
    uint32_t p = s->next++;
    (*pt)[PT_INDEX(page)] = p;
    s->page_at[p] = page;
    fen_add(s->tree, s->cap, p, 1);
    s->live++;
    return true;
}

static void sd_ref(trace_sweep_t *s, uint32_t vpn)
{
    uint32_t *top = s->top, j = 0;
    while (j < s->ntop && top[j] != vpn) j++;
    if (j < s->ntop) {
        if (j < s->hi) s->hist[j]++;
        memmove(top + 1, top, j * sizeof *top);
        top[0] = vpn;
        return;
    }
    uint32_t *pt = s->pos[vpn >> PT_BITS], p = pt ? pt[PT_INDEX(vpn)] : 0;
    if (p) {
        uint64_t d = SD_TOP + (s->live - fen_prefix(s->tree, p)) + 1;
        if (d <= s->hi) s->hist[d - 1]++;
        fen_add(s->tree, s->cap, p, UINT32_MAX);
        s->live--;
        pt[PT_INDEX(vpn)] = 0;
    }
    if (s->ntop == SD_TOP) {
        if (!sd_mark(s, top[SD_TOP - 1])) {
            s->status = PS_ENOMEM;
            return;
        }
    } else {
        s->ntop++;
    }
    memmove(top + 1, top, (s->ntop - 1) * sizeof *top);
    top[0] = vpn;
}

void trace_sweep_free(trace_sweep_t *s)
{
    if (!s) return;
    const ps_alloc_t *a = s->alloc;
    uint32_t n = s->hi - s->lo + 1;
    if (s->sims)
        for (uint32_t i = 0; i < n; i++) trace_sim_free(s->sims[i]);
    ps_free(a, s->sims, n * sizeof *s->sims);
    ps_free(a, s->hist, s->hi * sizeof *s->hist);
    for (uint32_t i = 0; i < PD_ENTRIES; i++) ps_free(a, s->pos[i], PT_ENTRIES * sizeof *s->pos[i]);
    ps_free(a, s->tree, (s->cap + 1) * sizeof *s->tree);
    ps_free(a, s->page_at, (s->cap + 1) * sizeof *s->page_at);
    ps_free(a, s, sizeof *s);
}

ps_result_t trace_sweep_new(const ps_alloc_t *a, trace_policy_t policy, uint32_t lo, uint32_t hi,
                            trace_sweep_t **out)
{
    *out = NULL;
    if (!a) a = ps_default_alloc();
    if (policy == TRACE_OPT || lo == 0 || hi < lo || hi > NPAGES) return PS_EINVAL;
    trace_sweep_t *s = ps_calloc(a, sizeof *s);
    if (!s) return PS_ENOMEM;
    s->alloc = a;
    s->policy = policy;
    s->lo = lo;
    s->hi = hi;
    ps_result_t r = PS_OK;
    if (policy == TRACE_LRU) {
        s->hist = ps_calloc(a, hi * sizeof *s->hist);
        s->tree = ps_calloc(a, sizeof *s->tree);
        s->page_at = ps_calloc(a, sizeof *s->page_at);
        s->next = 1;
        if (!s->hist || !s->tree || !s->page_at) r = PS_ENOMEM;
    } else if (!(s->sims = ps_calloc(a, (hi - lo + 1) * sizeof *s->sims))) {
        r = PS_ENOMEM;
    } else {
        for (uint32_t i = 0; r == PS_OK && i <= hi - lo; i++) r = trace_sim_make(a, lo + i, policy, 0, &s->sims[i]);
    }
    if (r != PS_OK) {
        trace_sweep_free(s);
        return r;
    }
    *out = s;
    return PS_OK;
}

void trace_sweep_refs(trace_sweep_t *s, const uint32_t *refs, size_t n)
{
    if (s->status != PS_OK) return;
    s->refs += n;
    if (s->sims) {
        for (uint32_t i = 0; i <= s->hi - s->lo; i++) trace_sim_refs(s->sims[i], refs, n);
        return;
    }
    for (size_t i = 0; i < n && s->status == PS_OK; i++) sd_ref(s, TRACE_REF_VPN(refs[i]));
}

ps_result_t trace_sweep_faults(const trace_sweep_t *s, uint64_t *faults)
{
    ps_result_t r = s->status;
    uint64_t hits = 0;
    for (uint32_t f = 1; f <= s->hi; f++) {
        if (s->hist) hits += s->hist[f - 1];
        if (f < s->lo) continue;
        if (s->hist) {
            faults[f - s->lo] = s->refs - hits;
        } else {
            trace_result_t res;
            if (trace_sim_result(s->sims[f - s->lo], &res) != PS_OK) r = PS_ENOMEM;
            faults[f - s->lo] = res.page_faults;
        }
    }
    return r;
}
