/* Quiz mode: questions about what the next statement of a scenario will do,
 * asked before it runs, and answered by the simulator's own results for it
 * (the walk record, the call's result, VirtualQuery afterwards, the
 * counters, the page-table changes it made). Which questions a statement
 * gets follows from what it does (the results its row declares and the
 * ones it gave), never from its name, so a new statement gets questions by
 * the same rules. Also: reading answers in the forms people write them,
 * telling what was wrong (for an address, which bits), and seeded
 * exercises. No I/O: front ends display.
 *
 *   quiz_set_t set;
 *   if (quiz_ask(runner, &set) == PS_OK)
 *       for (size_t i = 0; i < set.n; i++) { show(set.q[i].text); quiz_check(&set.q[i], line, &v); }
 *   scn_step(runner, ...);
 */
#ifndef PAGESIM_QUIZ_H
#define PAGESIM_QUIZ_H

#include "pagesim/core.h"
#include "pagesim/scn.h"
#include "pagesim/strbuf.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What kind of value an answer is; it decides how typed text is read. */
typedef enum {
    QUIZ_NUMBER,     /* a count, index or size: decimal, or hex with 0x, an h
                        suffix or a-f digits; binary 0b101 or 101b; K/M      */
    QUIZ_ADDRESS,    /* an address or an entry: hex with or without 0x       */
    QUIZ_PAGE,       /* a page: any address in it; none (0) for no page      */
    QUIZ_BOOL,       /* yes/no, true/false, y/n, 1/0, present/absent         */
    QUIZ_TLB,        /* hit or miss                                          */
    QUIZ_PF_CODE,    /* a #PF error code: its bits P, W/R, U/S               */
    QUIZ_AD,         /* the flags a walk sets: none, A, D or A D (bit 0 A,
                        bit 1 D)                                             */
    QUIZ_ERROR,      /* a GetLastError code: ERROR_* or a number             */
    QUIZ_PROTECT,    /* a protection: PAGE_* (|PAGE_GUARD ...), or 0         */
    QUIZ_STATE,      /* MEM_COMMIT, MEM_RESERVE or MEM_FREE                  */
    QUIZ_EXCEPTION,  /* none, or EXCEPTION_* / STATUS_*                      */
    QUIZ_RESOLUTION, /* how the memory manager resolves a fault: an
                        mm_resolution_str name (demand_zero, soft, ...)      */
    QUIZ_TYPE_COUNT
} quiz_type_t;

/* "number", "address", ...: the type's name in the JSON form. */
const char *quiz_type_str(quiz_type_t t);

/* One question about the next statement, with the machine's answer. */
typedef struct quiz_question {
    const char *id;        /* stable key for graders: "dir_index", "phys",
                              "error", "state_after", ... (quiz.md)         */
    quiz_type_t type;
    bool linear;           /* an address that is linear (a wrong one is told
                              by directory, table and offset), not physical
                              (by frame and offset)                          */
    char text[200];        /* the question                                  */
    uint32_t answer;       /* the machine's answer as a value              */
    char shown[96];        /* the answer as written: "0x048 (72)"          */
    char explain[480];     /* why, from the statement's own result         */
} quiz_question_t;

#define QUIZ_MAX 16

/* The questions of one statement. */
typedef struct quiz_set {
    size_t index;          /* the statement's index in the script           */
    uint32_t line;         /* its source line                               */
    size_t n;
    quiz_question_t q[QUIZ_MAX];
} quiz_set_t;

/* Runs the next statement of r on a copy of the machine (r is not
 * changed) and fills *out with its questions and the answers that run
 * gave; out->n may be 0 (a statement with nothing to predict). PS_ESTATE
 * at the end of the script, when the statement cannot run or the runner
 * is not the simulator's; PS_ENOMEM. */
ps_result_t quiz_ask(const scn_runner_t *r, quiz_set_t *out);

/* Reads text (one line as typed) as a value of type t into *value. False
 * with a reason in why (n bytes) when it is not one. */
bool quiz_parse(quiz_type_t t, const char *text, uint32_t *value, char *why, size_t n);

/* How an answer compares with the machine's. */
typedef struct quiz_verdict {
    bool understood;       /* the text was read as a value of the type      */
    bool correct;
    uint32_t given;
    char diff[400];        /* what differs: the bits of an address, the
                              flags of an error code, or why the text could
                              not be read; "" when correct                  */
} quiz_verdict_t;

/* Checks text against q's answer. */
void quiz_check(const quiz_question_t *q, const char *text, quiz_verdict_t *v);

/* A running score. */
typedef struct quiz_score {
    uint32_t asked, right;
} quiz_score_t;

/* Generated exercises. ------------------------------------------------- */

typedef enum { QUIZ_TOPIC_WALK = 0, QUIZ_TOPIC_WIN32, QUIZ_TOPIC_PAGING, QUIZ_TOPIC_TLB, QUIZ_TOPIC_COUNT } quiz_topic_t;

/* "walk", "win32", "paging", "tlb"; quiz_topic_parse is false for another
 * name. */
const char *quiz_topic_str(quiz_topic_t t);
bool quiz_topic_parse(const char *s, quiz_topic_t *out);
/* The topic a seed chooses when none is asked for. */
quiz_topic_t quiz_topic_of_seed(uint64_t seed);

#define QUIZ_LEVEL_MIN 1
#define QUIZ_LEVEL_MAX 3

/* Appends to out a scenario made from seed: bare-machine page tables with
 * pokes and translations (walk), a TLB's hits, invalidations and evictions
 * (tlb), VirtualAlloc / VirtualProtect / VirtualFree / VirtualQuery
 * sequences and accesses (win32), or page references under a working-set
 * limit and a replacement policy (paging). level 1 to 3 adds harder cases
 * (faults, read-only pages, 4 MB pages, failing calls, ...). The same
 * arguments give the same text on every platform (the generator's own
 * PRNG, no rand()). PS_EINVAL for a level or topic out of range. */
ps_result_t quiz_generate(uint64_t seed, int level, quiz_topic_t topic, strbuf_t *out);

/* The generator's PRNG (splitmix64), for tests and front ends that need a
 * reproducible choice. */
typedef struct quiz_rng {
    uint64_t state;
} quiz_rng_t;
void quiz_rng_seed(quiz_rng_t *g, uint64_t seed);
uint64_t quiz_rng_next(quiz_rng_t *g);
/* Uniform in [0, n) (n > 0; 0 for n == 0). */
uint32_t quiz_rng_below(quiz_rng_t *g, uint32_t n);

#endif
