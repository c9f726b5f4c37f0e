/* Page replacement: which resident page gives up its frame. One mechanism
 * for every user of frames (reference traces now, the memory manager's
 * working sets next): the caller numbers its frames 0..n-1, reports loads
 * and uses, and asks for a victim when all are taken.
 *
 *   FIFO   the frame loaded longest ago (a list in load order: O(1))
 *   Clock  second chance: the hand skips, and clears, referenced frames
 *   LRU    the frame used longest ago (the same list, in order of use)
 *   OPT    the frame whose next use is furthest away (Belady's optimum; the
 *          caller tells the next use, so it needs the future: traces only)
 */
#ifndef PAGESIM_REPL_H
#define PAGESIM_REPL_H

#include "pagesim/core.h"
#include <stdbool.h>
#include <stdint.h>

typedef enum { REPL_FIFO = 0, REPL_CLOCK, REPL_LRU, REPL_OPT } repl_policy_t;

typedef struct repl {
    const ps_alloc_t *alloc;
    repl_policy_t policy;
    uint32_t n;          /* frames                                            */
    uint32_t hand;       /* Clock                                             */
    uint8_t *ref;        /* Clock: referenced bits                            */
    uint8_t *in;         /* the frame holds a page the policy may take        */
    uint32_t *prev, *next; /* FIFO, LRU: list, head = the next victim        */
    uint32_t head, tail;
    uint64_t *next_use;  /* OPT: when each frame's page is used next         */
    /* Clock may read and clear the referenced bit elsewhere (a PTE's A). */
    bool (*test_clear)(void *ud, uint32_t frame);
    void *ud;
    /* why the last victim was chosen: the hand and the bits it passed */
    uint32_t skipped;
} repl_t;

#define REPL_NEVER UINT64_MAX

ps_result_t repl_init(repl_t *r, const ps_alloc_t *a, repl_policy_t policy, uint32_t n);
void repl_fini(repl_t *r);
/* A deep copy (the callback too). */
ps_result_t repl_copy(repl_t *dst, const repl_t *src);
/* A page was loaded into frame f (next_use: OPT only). */
void repl_loaded(repl_t *r, uint32_t f, uint64_t next_use);
/* The page in frame f was used again. Inline: replaying a trace calls it
 * for every reference that hits. */
static inline void repl_used(repl_t *r, uint32_t f, uint64_t next_use);
/* The frame no longer holds a page the policy may take. */
void repl_removed(repl_t *r, uint32_t f);
/* The frame to take (among the frames in use); when accept is not NULL,
 * only a frame it accepts (a process's own, under a working-set limit).
 * Returns UINT32_MAX when there is none. The frame stays in the policy
 * until the caller reports it removed (or loaded again). */
uint32_t repl_victim(repl_t *r);
uint32_t repl_victim_if(repl_t *r, bool (*accept)(void *ud, uint32_t f), void *ud);
const char *repl_policy_str(repl_policy_t p);

/* The list runs from the next victim (head) to the newest (tail). */
#define REPL_NIL UINT32_MAX

static inline void repl_list_unlink(repl_t *r, uint32_t f)
{
    if (r->prev[f] != REPL_NIL) r->next[r->prev[f]] = r->next[f];
    else r->head = r->next[f];
    if (r->next[f] != REPL_NIL) r->prev[r->next[f]] = r->prev[f];
    else r->tail = r->prev[f];
}

static inline void repl_list_append(repl_t *r, uint32_t f)
{
    r->next[f] = REPL_NIL;
    r->prev[f] = r->tail;
    if (r->tail != REPL_NIL) r->next[r->tail] = f;
    r->tail = f;
    if (r->head == REPL_NIL) r->head = f;
}

static inline void repl_used(repl_t *r, uint32_t f, uint64_t next_use)
{
    if (!r->in[f]) return;
    switch (r->policy) {
    case REPL_FIFO: break;
    case REPL_CLOCK: r->ref[f] = 1; break;
    case REPL_LRU:
        if (r->tail != f) {
            repl_list_unlink(r, f);
            repl_list_append(r, f);
        }
        break;
    case REPL_OPT: r->next_use[f] = next_use; break;
    }
}

#endif
