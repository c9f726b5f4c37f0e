/* Internal to the trace modules (trace_parse.c, trace.c, trace_sweep.c,
 * trace_opt.c): the page-number space and the replay machine's handle. */
#ifndef PAGESIM_TRACE_INT_H
#define PAGESIM_TRACE_INT_H

#include "pagesim/trace.h"
#include <stdint.h>

#define NPAGES (1u << 20)
#define NONE UINT32_MAX

#if defined(__GNUC__) || defined(__clang__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif

/* The machines' page tables and the sweep's and OPT's per-page tables: a
 * directory of PD_ENTRIES tables of PT_ENTRIES entries, one for each 4 MB
 * region of the 2^20 page numbers. */
#define PT_BITS 10u
#define PT_ENTRIES (1u << PT_BITS)
#define PD_ENTRIES (NPAGES >> PT_BITS)
#define PT_INDEX(vpn) ((vpn) & (PT_ENTRIES - 1))

/* A replay machine for any policy, OPT included (trace_sim_new refuses
 * OPT, whose victims need each reference's next use). Same results as
 * trace_sim_new. */
ps_result_t trace_sim_make(const ps_alloc_t *a, uint32_t frames, trace_policy_t policy, uint32_t tlb_entries,
                           trace_sim_t **out);

/* One packed reference (TRACE_REF) whose page is next used by reference
 * next_use (REPL_NEVER for never); the caller counts t's references with
 * trace_sim_set_references. */
void trace_sim_step_next(trace_sim_t *t, uint32_t ref, uint64_t next_use);
void trace_sim_set_references(trace_sim_t *t, uint64_t n);

#endif
