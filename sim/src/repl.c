/* Page replacement policies over numbered frames. */
#include "repl.h"
#include "mem.h"
#include <string.h>

#define NIL UINT32_MAX

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
    bool ok = true;
    if (policy == REPL_CLOCK) ok = (r->ref = ps_calloc(r->alloc, n)) != NULL;
    if (policy == REPL_LRU) {
        r->prev = ps_malloc(r->alloc, n * sizeof *r->prev);
        r->next = ps_malloc(r->alloc, n * sizeof *r->next);
        ok = r->prev && r->next;
    }
    if (policy == REPL_OPT) ok = (r->next_use = ps_malloc(r->alloc, n * sizeof *r->next_use)) != NULL;
    if (!ok) {
        repl_fini(r);
        return PS_ENOMEM;
    }
    return PS_OK;
}

void repl_fini(repl_t *r)
{
    ps_free(r->alloc, r->ref, r->n);
    ps_free(r->alloc, r->prev, r->n * sizeof *r->prev);
    ps_free(r->alloc, r->next, r->n * sizeof *r->next);
    ps_free(r->alloc, r->next_use, r->n * sizeof *r->next_use);
    r->ref = NULL;
    r->prev = r->next = NULL;
    r->next_use = NULL;
}

static void lru_unlink(repl_t *r, uint32_t f)
{
    if (r->prev[f] != NIL) r->next[r->prev[f]] = r->next[f];
    else r->head = r->next[f];
    if (r->next[f] != NIL) r->prev[r->next[f]] = r->prev[f];
    else r->tail = r->prev[f];
}

static void lru_push(repl_t *r, uint32_t f)
{
    r->prev[f] = NIL;
    r->next[f] = r->head;
    if (r->head != NIL) r->prev[r->head] = f;
    r->head = f;
    if (r->tail == NIL) r->tail = f;
}

void repl_loaded(repl_t *r, uint32_t f, uint64_t next_use)
{
    switch (r->policy) {
    case REPL_FIFO: break;
    case REPL_CLOCK: r->ref[f] = 1; break;
    case REPL_LRU: lru_push(r, f); break;
    case REPL_OPT: r->next_use[f] = next_use; break;
    }
}

void repl_used(repl_t *r, uint32_t f, uint64_t next_use)
{
    switch (r->policy) {
    case REPL_FIFO: break;
    case REPL_CLOCK: r->ref[f] = 1; break;
    case REPL_LRU:
        if (r->head != f) {
            lru_unlink(r, f);
            lru_push(r, f);
        }
        break;
    case REPL_OPT: r->next_use[f] = next_use; break;
    }
}

uint32_t repl_victim(repl_t *r)
{
    uint32_t v = 0;
    r->skipped = 0;
    switch (r->policy) {
    case REPL_FIFO:
        v = r->hand;
        r->hand = (r->hand + 1) % r->n;
        break;
    case REPL_CLOCK:
        for (;;) {
            bool referenced = r->test_clear ? r->test_clear(r->ud, r->hand) : r->ref[r->hand];
            r->ref[r->hand] = 0;
            if (!referenced) break;
            r->skipped++;
            r->hand = (r->hand + 1) % r->n;
        }
        v = r->hand;
        r->hand = (r->hand + 1) % r->n;
        break;
    case REPL_LRU:
        v = r->tail;
        lru_unlink(r, v);
        break;
    case REPL_OPT:
        for (uint32_t f = 1; f < r->n; f++)
            if (r->next_use[f] > r->next_use[v]) v = f;
        break;
    }
    return v;
}
