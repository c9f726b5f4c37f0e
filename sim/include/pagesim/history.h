/* A scenario run a statement at a time, forwards and backwards, in bounded
 * memory: stepping back restores the whole state (page tables, TLB, frames,
 * page file, allocations) by running again from a copy of the machine kept
 * at an earlier statement (the core is deterministic), at most a few
 * thousand statements, however long the scenario. The front ends' common
 * engine.
 *
 *   scn_history_t *h;  scn_error_t err;
 *   if (scn_history_open(NULL, text, len, &h, &err) != PS_OK) ...
 *   while (scn_history_forward(h)) { scn_history_text(h, scn_history_done(h) - 1); }
 *   scn_history_back(h);
 *   scn_history_free(h);
 */
#ifndef PAGESIM_HISTORY_H
#define PAGESIM_HISTORY_H

#include "pagesim/core.h"
#include "pagesim/scn.h"
#include <stdbool.h>
#include <stddef.h>

typedef struct scn_history scn_history_t;

/* Parses text; PS_EINVAL with err filled when it does not parse, PS_ENOMEM. */
ps_result_t scn_history_open(const ps_alloc_t *a, const char *text, size_t len, scn_history_t **out,
                             scn_error_t *err);
void scn_history_free(scn_history_t *h);

const scn_script_t *scn_history_script(const scn_history_t *h);
size_t scn_history_count(const scn_history_t *h);  /* statements            */
size_t scn_history_done(const scn_history_t *h);   /* statements run so far */

/* Runs the next statement; false at the end or when it cannot run (then
 * scn_history_error says why, and nothing changed). */
bool scn_history_forward(scn_history_t *h);
/* Goes back one statement: the machine as it was before it. */
bool scn_history_back(scn_history_t *h);
void scn_history_restart(scn_history_t *h);
/* Forward or back until done == index (or an error stops it). */
void scn_history_run_to(scn_history_t *h, size_t index);
/* "" or why the last step could not run ("LINE:COL: error: ..."). */
const char *scn_history_error(const scn_history_t *h);

/* The machine after the statements run so far (owned by h; valid until the
 * next step). */
scn_runner_t *scn_history_runner(const scn_history_t *h);
/* Of statement k < done: its result, or NULL (k >= done, or out of memory).
 * The last statement's is at hand; an older one is made again by running
 * from a copy. The result and what it points to are valid until the next
 * call on h. */
const scn_result_t *scn_history_result(scn_history_t *h, size_t k);
/* Of statement k < done: its prose, as `pagesim run` prints it. */
const char *scn_history_text(const scn_history_t *h, size_t k);
/* The address statement k < done was about: the address it translated, the
 * one that faulted, or the allocation it made. False when none. */
bool scn_history_focus(const scn_history_t *h, size_t k, uint32_t *va);
/* The statement index on source line `line` or after it, or count. */
size_t scn_history_index_of_line(const scn_history_t *h, uint32_t line);

#endif
