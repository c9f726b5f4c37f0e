/* Page replacement policies over numbered frames. */
#include "repl.h"
#include "mem.h"
#include <string.h>

#define NIL REPL_NIL

const char *repl_policy_str(repl_policy_t p)
{
    switch (p) {
    case REPL_FIFO: return "fifo";
    case REPL_CLOCK: return "clock";
    case REPL_LRU: return "lru";
    case REPL_OPT: return "opt";
    }
    return "?";
}

ps_result_t repl_init(repl_t *r, const ps_alloc_t *a, repl_policy_t policy, uint32_t n)
{
    memset(r, 0, sizeof *r);
    r->alloc = a ? a : ps_default_alloc();
    r->policy = policy;
    r->n = n;
    r->head = r->tail = NIL;
    if (n == 0) return PS_EINVAL;
    bool ok = (r->in = ps_calloc(r->alloc, n)) != NULL;
    if (policy == REPL_CLOCK) ok = ok && (r->ref = ps_calloc(r->alloc, n)) != NULL;
    if (policy == REPL_LRU || policy == REPL_FIFO) {
        r->prev = ps_malloc(r->alloc, n * sizeof *r->prev);
        r->next = ps_malloc(r->alloc, n * sizeof *r->next);
        ok = ok && r->prev && r->next;
    }
    if (policy == REPL_OPT) ok = ok && (r->next_use = ps_malloc(r->alloc, n * sizeof *r->next_use)) != NULL;
    if (!ok) {
        repl_fini(r);
        return PS_ENOMEM;
    }
    return PS_OK;
}

void repl_fini(repl_t *r)
{
    ps_free(r->alloc, r->ref, r->n);
    ps_free(r->alloc, r->in, r->n);
    ps_free(r->alloc, r->prev, r->n * sizeof *r->prev);
    ps_free(r->alloc, r->next, r->n * sizeof *r->next);
    ps_free(r->alloc, r->next_use, r->n * sizeof *r->next_use);
    r->ref = r->in = NULL;
    r->prev = r->next = NULL;
    r->next_use = NULL;
}

/* The list runs from the next victim (head) to the newest (tail). */
ps_result_t repl_copy(repl_t *dst, const repl_t *src)
{
    ps_result_t r = repl_init(dst, src->alloc, src->policy, src->n);
    if (r != PS_OK) return r;
    uint8_t *ref = dst->ref, *in = dst->in;
    uint32_t *prev = dst->prev, *next = dst->next;
    uint64_t *nu = dst->next_use;
    *dst = *src;
    dst->ref = ref;
    dst->in = in;
    dst->prev = prev;
    dst->next = next;
    dst->next_use = nu;
    memcpy(dst->in, src->in, src->n);
    if (ref) memcpy(ref, src->ref, src->n);
    if (prev) memcpy(prev, src->prev, src->n * sizeof *prev);
    if (next) memcpy(next, src->next, src->n * sizeof *next);
    if (nu) memcpy(nu, src->next_use, src->n * sizeof *nu);
    return PS_OK;
}

void repl_loaded(repl_t *r, uint32_t f, uint64_t next_use)
{
    if (r->in[f]) repl_removed(r, f);
    r->in[f] = 1;
    switch (r->policy) {
    case REPL_FIFO:
    case REPL_LRU: repl_list_append(r, f); break;
    case REPL_CLOCK: r->ref[f] = 1; break;
    case REPL_OPT: r->next_use[f] = next_use; break;
    }
}

void repl_removed(repl_t *r, uint32_t f)
{
    if (!r->in[f]) return;
    r->in[f] = 0;
    if (r->policy == REPL_FIFO || r->policy == REPL_LRU) repl_list_unlink(r, f);
}

uint32_t repl_victim_if(repl_t *r, bool (*accept)(void *ud, uint32_t f), void *ud)
{
    uint32_t v = NIL;
    r->skipped = 0;
    switch (r->policy) {
    case REPL_FIFO:
    case REPL_LRU:
        for (v = r->head; v != NIL && accept && !accept(ud, v); v = r->next[v]) {}
        break;
    case REPL_CLOCK:
        /* Two turns at most: the first clears every referenced bit. */
        for (uint64_t steps = 0; steps < 2ull * r->n + 1; steps++) {
            uint32_t f = r->hand;
            r->hand = (r->hand + 1) % r->n;
            if (!r->in[f] || (accept && !accept(ud, f))) continue;
            bool referenced = r->test_clear ? r->test_clear(r->ud, f) : r->ref[f];
            r->ref[f] = 0;
            if (referenced) {
                r->skipped++;
                continue;
            }
            v = f;
            break;
        }
        break;
    case REPL_OPT:
        for (uint32_t f = 0; f < r->n; f++)
            if (r->in[f] && (v == NIL || r->next_use[f] > r->next_use[v])) v = f;
        break;
    }
    return v;
}

uint32_t repl_victim(repl_t *r)
{
    return repl_victim_if(r, NULL, NULL);
}
