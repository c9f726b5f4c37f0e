/* AVL tree of allocations with gap augmentation. */
#include "vad.h"
#include "mem.h"
#include <stdio.h>
#include <string.h>

#define X86_PAGE_SIZE_VAD 0x1000u

static uint32_t align_up(uint32_t v, uint32_t a)
{
    uint64_t r = ((uint64_t)v + a - 1) & ~(uint64_t)(a - 1);
    return r > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)r;
}

static int height(const vad_t *n) { return n ? n->height : 0; }
static uint32_t size_of(const vad_t *n) { return n ? n->size : 0; }
static uint32_t max_gap(const vad_t *n) { return n ? n->max_gap : 0; }

static void update(vad_t *n)
{
    int hl = height(n->left), hr = height(n->right);
    n->height = 1 + (hl > hr ? hl : hr);
    n->size = 1 + size_of(n->left) + size_of(n->right);
    uint32_t m = n->gap;
    if (max_gap(n->left) > m) m = max_gap(n->left);
    if (max_gap(n->right) > m) m = max_gap(n->right);
    n->max_gap = m;
}

static vad_t *rotate_right(vad_t *n)
{
    vad_t *l = n->left;
    n->left = l->right;
    l->right = n;
    update(n);
    update(l);
    return l;
}

static vad_t *rotate_left(vad_t *n)
{
    vad_t *r = n->right;
    n->right = r->left;
    r->left = n;
    update(n);
    update(r);
    return r;
}

static vad_t *balance(vad_t *n)
{
    update(n);
    int bf = height(n->left) - height(n->right);
    if (bf > 1) {
        if (height(n->left->left) < height(n->left->right)) n->left = rotate_left(n->left);
        return rotate_right(n);
    }
    if (bf < -1) {
        if (height(n->right->right) < height(n->right->left)) n->right = rotate_right(n->right);
        return rotate_left(n);
    }
    return n;
}

void vad_init(vad_tree_t *t, const ps_alloc_t *a, uint32_t lo, uint32_t hi)
{
    memset(t, 0, sizeof *t);
    t->alloc = a;
    t->lo = lo;
    t->hi = hi;
}

static void free_nodes(const ps_alloc_t *a, vad_t *n)
{
    while (n) {
        free_nodes(a, n->left);
        vad_t *r = n->right;
        if (n->watch) ps_free(a, n->watch, vad_watch_bytes(n->start, n->end));
        ps_free(a, n, sizeof *n);
        n = r;
    }
}

void vad_fini(vad_tree_t *t)
{
    free_nodes(t->alloc, t->root);
    t->root = NULL;
    t->count = 0;
}

static vad_t *copy_nodes(const ps_alloc_t *a, const vad_t *n, bool *ok)
{
    if (!n || !*ok) return NULL;
    vad_t *c = ps_malloc(a, sizeof *c);
    if (!c) {
        *ok = false;
        return NULL;
    }
    *c = *n;
    c->left = c->right = NULL;
    if (n->watch) {
        size_t nb = vad_watch_bytes(n->start, n->end);
        c->watch = ps_malloc(a, nb);
        if (!c->watch) {
            ps_free(a, c, sizeof *c);
            *ok = false;
            return NULL;
        }
        memcpy(c->watch, n->watch, nb);
    }
    c->left = copy_nodes(a, n->left, ok);
    c->right = copy_nodes(a, n->right, ok);
    return c;
}

ps_result_t vad_copy(vad_tree_t *dst, const vad_tree_t *src)
{
    *dst = *src;
    bool ok = true;
    dst->root = copy_nodes(src->alloc, src->root, &ok);
    if (!ok) {
        vad_fini(dst);
        return PS_ENOMEM;
    }
    return PS_OK;
}

vad_t *vad_find(const vad_tree_t *t, uint32_t addr)
{
    vad_t *n = t->root;
    while (n) {
        if (addr < n->start) n = n->left;
        else if (addr >= n->end) n = n->right;
        else return n;
    }
    return NULL;
}

vad_t *vad_next_from(const vad_tree_t *t, uint32_t addr)
{
    vad_t *n = t->root, *best = NULL;
    while (n) {
        if (n->end > addr) {
            best = n;
            n = n->left;
        } else {
            n = n->right;
        }
    }
    return best;
}

vad_t *vad_prev_before(const vad_tree_t *t, uint32_t addr)
{
    vad_t *n = t->root, *best = NULL;
    while (n) {
        if (n->start < addr) {
            best = n;
            n = n->right;
        } else {
            n = n->left;
        }
    }
    return best;
}

vad_t *vad_at(const vad_tree_t *t, uint32_t i)
{
    vad_t *n = t->root;
    while (n) {
        uint32_t l = size_of(n->left);
        if (i < l) {
            n = n->left;
        } else if (i == l) {
            return n;
        } else {
            i -= l + 1;
            n = n->right;
        }
    }
    return NULL;
}

vad_t *vad_first(const vad_tree_t *t)
{
    vad_t *n = t->root;
    while (n && n->left) n = n->left;
    return n;
}

vad_t *vad_next(const vad_tree_t *t, const vad_t *v)
{
    return vad_next_from(t, v->end);
}

bool vad_range_free(const vad_tree_t *t, uint32_t start, uint32_t end)
{
    vad_t *n = vad_next_from(t, start);
    return !n || n->start >= end;
}

/* The gap in front of v, given the end of the allocation before it. */
static uint32_t gap_before(const vad_tree_t *t, const vad_t *v)
{
    vad_t *p = vad_prev_before(t, v->start);
    uint32_t from = align_up(p ? p->end : t->lo, VAD_GRANULE);
    return v->start > from ? v->start - from : 0;
}

/* Re-descends to key, recomputing the augmentation on the way back up. */
static void refresh(vad_t *n, uint32_t key)
{
    if (!n) return;
    if (key < n->start) refresh(n->left, key);
    else if (key > n->start) refresh(n->right, key);
    update(n);
}

static void set_gap(vad_tree_t *t, vad_t *v)
{
    if (!v) return;
    v->gap = gap_before(t, v);
    refresh(t->root, v->start);
}

static vad_t *insert_node(vad_t *n, vad_t *x)
{
    if (!n) return x;
    if (x->start < n->start) n->left = insert_node(n->left, x);
    else n->right = insert_node(n->right, x);
    return balance(n);
}

vad_t *vad_insert(vad_tree_t *t, const vad_t *proto)
{
    vad_t *x = ps_malloc(t->alloc, sizeof *x);
    if (!x) return NULL;
    *x = *proto;
    x->watch = NULL;
    if (proto->flags & VAD_WRITE_WATCH) {
        x->watch = ps_calloc(t->alloc, vad_watch_bytes(proto->start, proto->end));
        if (!x->watch) {
            ps_free(t->alloc, x, sizeof *x);
            return NULL;
        }
    }
    x->left = x->right = NULL;
    x->height = 1;
    x->size = 1;
    x->gap = x->max_gap = 0;
    t->root = insert_node(t->root, x);
    t->count++;
    set_gap(t, x);
    set_gap(t, vad_next(t, x));
    return x;
}

static vad_t *remove_min(vad_t *n, vad_t **min)
{
    if (!n->left) {
        *min = n;
        return n->right;
    }
    n->left = remove_min(n->left, min);
    return balance(n);
}

static vad_t *remove_node(vad_t *n, uint32_t key)
{
    if (!n) return NULL;
    if (key < n->start) {
        n->left = remove_node(n->left, key);
    } else if (key > n->start) {
        n->right = remove_node(n->right, key);
    } else {
        vad_t *l = n->left, *r = n->right;
        if (!r) return l;
        vad_t *min;
        r = remove_min(r, &min);
        min->left = l;
        min->right = r;
        return balance(min);
    }
    return balance(n);
}

void vad_remove(vad_tree_t *t, vad_t *v)
{
    uint32_t end = v->end;
    t->root = remove_node(t->root, v->start);
    t->count--;
    if (v->watch) ps_free(t->alloc, v->watch, vad_watch_bytes(v->start, v->end));
    ps_free(t->alloc, v, sizeof *v);
    set_gap(t, vad_next_from(t, end));
}

/* The lowest node whose gap holds size bytes. */
static const vad_t *lowest_fit(const vad_t *n, uint32_t size)
{
    while (n) {
        if (max_gap(n->left) >= size) n = n->left;
        else if (n->gap >= size) return n;
        else if (max_gap(n->right) >= size) n = n->right;
        else return NULL;
    }
    return NULL;
}

static const vad_t *highest_fit(const vad_t *n, uint32_t size)
{
    while (n) {
        if (max_gap(n->right) >= size) n = n->right;
        else if (n->gap >= size) return n;
        else if (max_gap(n->left) >= size) n = n->left;
        else return NULL;
    }
    return NULL;
}

bool vad_find_space(const vad_tree_t *t, uint32_t size, bool top_down, uint32_t *base)
{
    if (size == 0) return false;
    /* The gap after the last allocation, up to hi. */
    vad_t *last = vad_prev_before(t, t->hi);
    uint32_t tail_from = align_up(last ? last->end : t->lo, VAD_GRANULE);
    bool tail_fits = tail_from < t->hi && t->hi - tail_from >= size;
    if (top_down) {
        if (tail_fits) {
            *base = (t->hi - size) & ~(VAD_GRANULE - 1);
            return true;
        }
        const vad_t *n = highest_fit(t->root, size);
        if (!n) return false;
        *base = (n->start - size) & ~(VAD_GRANULE - 1);
        return true;
    }
    const vad_t *n = lowest_fit(t->root, size);
    if (n) {
        *base = n->start - n->gap;
        return true;
    }
    if (tail_fits) {
        *base = tail_from;
        return true;
    }
    return false;
}

/* Checking. --------------------------------------------------------------- */

typedef struct vad_walk {
    const vad_tree_t *t;
    uint32_t prev_end;      /* end of the allocation before, or lo          */
    uint32_t count;
    char *msg;
    size_t n;
} vad_walk_t;

static bool vad_bad(vad_walk_t *w, const vad_t *v, const char *what)
{
    snprintf(w->msg, w->n, "VAD tree: %s at the allocation 0x%08X-0x%08X", what, v->start, v->end - 1);
    return false;
}

/* In order: ranges ordered and disjoint inside [lo, hi); every node's
 * height, balance, gap and largest gap recomputed and compared. */
static bool vad_check_node(vad_walk_t *w, const vad_t *v, int *h, uint32_t *mg)
{
    if (!v) {
        *h = 0;
        *mg = 0;
        return true;
    }
    if (v->size != 1 + size_of(v->left) + size_of(v->right)) return vad_bad(w, v, "a wrong subtree size");
    int hl, hr;
    uint32_t gl, gr;
    if (!vad_check_node(w, v->left, &hl, &gl)) return false;
    if (v->start >= v->end || v->start % X86_PAGE_SIZE_VAD || v->end % X86_PAGE_SIZE_VAD)
        return vad_bad(w, v, "an empty or unaligned range");
    if (v->start < w->prev_end || v->start < w->t->lo || v->end > w->t->hi)
        return vad_bad(w, v, "an overlapping or out-of-range allocation");
    uint32_t from = align_up(w->prev_end, VAD_GRANULE);
    uint32_t gap = v->start > from ? v->start - from : 0;
    if (v->gap != gap) return vad_bad(w, v, "a stale gap");
    w->prev_end = v->end;
    w->count++;
    if (!vad_check_node(w, v->right, &hr, &gr)) return false;
    *h = 1 + (hl > hr ? hl : hr);
    if (v->height != *h) return vad_bad(w, v, "a wrong height");
    if (hl - hr > 1 || hr - hl > 1) return vad_bad(w, v, "an unbalanced node");
    *mg = gap;
    if (gl > *mg) *mg = gl;
    if (gr > *mg) *mg = gr;
    if (v->max_gap != *mg) return vad_bad(w, v, "a stale largest gap");
    return true;
}

bool vad_check(const vad_tree_t *t, char *msg, size_t n)
{
    vad_walk_t w = { t, t->lo, 0, msg, n };
    int h;
    uint32_t mg;
    if (!vad_check_node(&w, t->root, &h, &mg)) return false;
    if (w.count != t->count) {
        snprintf(msg, n, "VAD tree: %u nodes counted, %u recorded", w.count, t->count);
        return false;
    }
    return true;
}
