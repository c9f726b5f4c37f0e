/* Disjoint ranges in an AVL tree keyed by their start. */
#include "rmap.h"
#include "mem.h"
#include <string.h>

static int height(const rmap_node_t *n) { return n ? n->height : 0; }

static void update(rmap_node_t *n)
{
    int hl = height(n->left), hr = height(n->right);
    n->height = 1 + (hl > hr ? hl : hr);
}

static rmap_node_t *rotate_right(rmap_node_t *n)
{
    rmap_node_t *l = n->left;
    n->left = l->right;
    l->right = n;
    update(n);
    update(l);
    return l;
}

static rmap_node_t *rotate_left(rmap_node_t *n)
{
    rmap_node_t *r = n->right;
    n->right = r->left;
    r->left = n;
    update(n);
    update(r);
    return r;
}

static rmap_node_t *balance(rmap_node_t *n)
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

void rmap_init(rmap_t *m, const ps_alloc_t *a)
{
    memset(m, 0, sizeof *m);
    m->alloc = a ? a : ps_default_alloc();
}

static void free_nodes(const ps_alloc_t *a, rmap_node_t *n)
{
    while (n) {
        free_nodes(a, n->left);
        rmap_node_t *r = n->right;
        ps_free(a, n, sizeof *n);
        n = r;
    }
}

void rmap_fini(rmap_t *m)
{
    free_nodes(m->alloc, m->root);
    m->root = NULL;
    m->count = 0;
}

static rmap_node_t *copy_nodes(const ps_alloc_t *a, const rmap_node_t *n, bool *ok)
{
    if (!n || !*ok) return NULL;
    rmap_node_t *c = ps_malloc(a, sizeof *c);
    if (!c) {
        *ok = false;
        return NULL;
    }
    *c = *n;
    c->left = copy_nodes(a, n->left, ok);
    c->right = copy_nodes(a, n->right, ok);
    return c;
}

ps_result_t rmap_copy(rmap_t *dst, const rmap_t *src)
{
    *dst = *src;
    bool ok = true;
    dst->root = copy_nodes(src->alloc, src->root, &ok);
    if (!ok) {
        rmap_fini(dst);
        return PS_ENOMEM;
    }
    return PS_OK;
}

const rmap_node_t *rmap_find(const rmap_t *m, uint64_t key)
{
    const rmap_node_t *n = m->root;
    while (n) {
        if (key < n->lo) n = n->left;
        else if (key >= n->hi) n = n->right;
        else return n;
    }
    return NULL;
}

/* The first range that ends above key. */
static const rmap_node_t *next_from(const rmap_t *m, uint64_t key)
{
    const rmap_node_t *n = m->root, *best = NULL;
    while (n) {
        if (n->hi > key) {
            best = n;
            n = n->left;
        } else {
            n = n->right;
        }
    }
    return best;
}

static rmap_node_t *insert_node(rmap_node_t *n, rmap_node_t *x)
{
    if (!n) return x;
    if (x->lo < n->lo) n->left = insert_node(n->left, x);
    else n->right = insert_node(n->right, x);
    return balance(n);
}

static rmap_node_t *remove_min(rmap_node_t *n, rmap_node_t **min)
{
    if (!n->left) {
        *min = n;
        return n->right;
    }
    n->left = remove_min(n->left, min);
    return balance(n);
}

static rmap_node_t *remove_node(rmap_node_t *n, uint64_t lo, rmap_node_t **gone)
{
    if (!n) return NULL;
    if (lo < n->lo) {
        n->left = remove_node(n->left, lo, gone);
    } else if (lo > n->lo) {
        n->right = remove_node(n->right, lo, gone);
    } else {
        *gone = n;
        rmap_node_t *l = n->left, *r = n->right;
        if (!r) return l;
        rmap_node_t *min;
        r = remove_min(r, &min);
        min->left = l;
        min->right = r;
        return balance(min);
    }
    return balance(n);
}

void rmap_remove(rmap_t *m, uint64_t lo)
{
    rmap_node_t *gone = NULL;
    m->root = remove_node(m->root, lo, &gone);
    if (!gone) return;
    ps_free(m->alloc, gone, sizeof *gone);
    m->count--;
}

static ps_result_t add(rmap_t *m, uint64_t lo, uint64_t hi, uint32_t value)
{
    rmap_node_t *x = ps_malloc(m->alloc, sizeof *x);
    if (!x) return PS_ENOMEM;
    *x = (rmap_node_t){ lo, hi, value, 1, NULL, NULL };
    m->root = insert_node(m->root, x);
    m->count++;
    return PS_OK;
}

ps_result_t rmap_set(rmap_t *m, uint64_t lo, uint64_t hi, uint32_t value)
{
    const rmap_node_t *n;
    while ((n = next_from(m, lo)) != NULL && n->lo < hi) {
        rmap_node_t old = *n;
        rmap_remove(m, old.lo);
        if (old.lo < lo && add(m, old.lo, lo, old.value) != PS_OK) return PS_ENOMEM;
        if (old.hi > hi && add(m, hi, old.hi, old.value) != PS_OK) return PS_ENOMEM;
    }
    return add(m, lo, hi, value);
}
