/* What the fuzz harnesses share: the libFuzzer entry point (also called by
 * the standalone driver), a failure that stops the process where libFuzzer
 * and the regression tests see it, a backend that bounds the work one input
 * may ask for, a checking host allocator, a small machine by default, and a
 * JSON Lines checker. */
#ifndef PAGESIM_FUZZ_H
#define PAGESIM_FUZZ_H

#include "pagesim/backend.h"
#include "pagesim/scn.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Runs one input; 0, or -1 for an input the harness does not take (too
 * much work: libFuzzer then keeps it out of the corpus). A broken
 * invariant or disagreement aborts the process with a message. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Prints "fuzz: finding: " and the message on standard error, then aborts. */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2), noreturn))
#endif
void fuzz_fail(const char *fmt, ...);

/* The work budget. A scenario may legitimately ask for hours of work
 * (touch 2 GB page by page, read 16M bytes a few hundred times); a fuzzer
 * wants milliseconds. The budget backend is the simulator's with every
 * user-mode access charged against the budget the harness points
 * fuzz_budget at: when it is spent, the access raises an access violation
 * at once (deterministically, so that a runner and its clone given the same
 * budget still agree) and `out` says so; the harness stops after that
 * statement. Range operations (commit, protect, free, map) run whole and
 * and page-file reads and writes are charged after they happened. Nothing
 * else changes: the machine only ever does less, and a crash within the
 * budget is still a crash. */
typedef struct fuzz_budget {
    uint64_t left;   /* units: a byte read or written 1, a page touched 32,
                        a page of a range operation 1, a page copied to or
                        from the page file 1024                            */
    bool out;        /* spent: the harness stops after this statement     */
} fuzz_budget_t;

extern fuzz_budget_t *fuzz_budget;

/* The simulator's backend, budgeted. Needs fuzz_budget set while a runner
 * made with it steps. */
const ps_backend_ops_t *fuzz_budget_backend(void);

/* The host allocator the harnesses give the core: the C library's, with
 * each block's size kept in front of it, so that every resize and free is
 * checked against the size the core says the block has (a host allocator
 * may rely on it); and the last few large blocks kept for reuse, poisoned
 * under ASan while kept (the trace replay takes tables of 2^20 entries
 * each time, which ASan would otherwise map afresh). */
const ps_alloc_t *fuzz_alloc(void);

/* A small machine by default: the scenario (len bytes) with
 * FUZZ_CONFIG_LINE in front, in a buffer to free(); *out_len its length.
 * For scenarios that do not start with machine bare: their own config keys
 * still win. The checks and clones cost time in proportion to the
 * machine's RAM and page file, and the 1 GB default is 25 times slower to
 * fuzz than 16 MB (which also pages sooner). Line numbers move down one. */
#define FUZZ_CONFIG_LINE "config ram=16M pagefile=32M\n"
char *fuzz_small_machine(const char *text, size_t len, size_t *out_len);

/* Checks that text (len bytes) is one JSON object and a newline, as the
 * JSON Lines contract wants: strings escaped, valid UTF-8, numbers and
 * literals well-formed. NULL when it is, else what is wrong. */
const char *fuzz_json_line_error(const char *text, size_t len);

#endif
