/* A scenario run straight through, its output written statement by
 * statement: what `pagesim run` does, and what pagesim-tui does without a
 * terminal. */
#ifndef PAGESIM_FE_RUN_H
#define PAGESIM_FE_RUN_H

#include "pagesim/backend.h"
#include <stdbool.h>
#include <stddef.h>

typedef struct fe_run_opts {
    const char *prog;             /* "pagesim run", for a failed write       */
    bool json;                    /* JSON Lines, else prose                  */
    bool check;                   /* the invariants after every statement    */
    const ps_backend_ops_t *ops;  /* NULL: the simulator                     */
    void *ctx;                    /* the backend's context                   */
} fe_run_opts_t;

/* Runs the len bytes of text (named shown in error lines). A scenario
 * that does not parse, or whose constant values are bad, prints nothing but
 * its error; one that stops at run time prints the lines of the statements
 * that ran, then its error. Returns the exit status: 0 when every statement
 * ran and every expect held, 1 when an expect failed, 2 when the scenario
 * could not run (or its output not be written), 3 when --check found a
 * broken invariant (a bug of pagesim). */
int fe_run(const char *shown, const char *text, size_t len, const fe_run_opts_t *o);

#endif
