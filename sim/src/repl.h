/* Page replacement: which resident page gives up its frame. One mechanism
 * for every user of frames (reference traces now, the memory manager's
 * working sets next): the caller numbers its frames 0..n-1, reports loads
 * and uses, and asks for a victim when all are taken.
 *
 *   FIFO   the frame loaded longest ago (a hand that goes round in load order)
 *   Clock  second chance: the hand skips, and clears, referenced frames
 *   LRU    the frame used longest ago (a doubly linked recency list: O(1))
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
    uint32_t hand;       /* FIFO and Clock                                    */
    uint8_t *ref;        /* Clock: referenced bits                            */
    uint32_t *prev, *next; /* LRU: recency list, head = most recent         */
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
/* A page was loaded into frame f (next_use: OPT only). */
void repl_loaded(repl_t *r, uint32_t f, uint64_t next_use);
/* The page in frame f was used again. */
void repl_used(repl_t *r, uint32_t f, uint64_t next_use);
/* The frame to take; every frame is in use. */
uint32_t repl_victim(repl_t *r);
const char *repl_policy_str(repl_policy_t p);

#endif
