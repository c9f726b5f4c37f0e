/* Reference traces: a process whose pages are committed on first touch,
 * with a fixed number of frames for its pages (page tables not counted),
 * replaying virtual page references through a replacement policy. Traces
 * are read from text: "refs" (page numbers, "2w" for a write) or the output
 * of valgrind --tool=lackey --trace-mem=yes. */
#ifndef PAGESIM_TRACE_H
#define PAGESIM_TRACE_H

#include "pagesim/core.h"
#include "pagesim/scn.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { TRACE_FIFO = 0, TRACE_CLOCK, TRACE_LRU, TRACE_OPT } trace_policy_t;
typedef enum { TRACE_REFS = 0, TRACE_LACKEY } trace_format_t;

/* Parses a policy or format name; false when unknown. */
bool trace_policy_parse(const char *s, trace_policy_t *out);
bool trace_format_parse(const char *s, trace_format_t *out);

/* One reference: a virtual page number and whether it writes. */
typedef struct trace_ref {
    uint32_t vpn;
    bool write;
} trace_ref_t;

/* The references of a whole trace text. PS_EINVAL with *err (line and
 * column) for malformed input. */
typedef struct trace_refs {
    const ps_alloc_t *alloc;
    trace_ref_t *ref;
    size_t n, cap;
    uint64_t truncated;   /* lackey addresses wider than 32 bits           */
} trace_refs_t;

ps_result_t trace_parse(const ps_alloc_t *a, trace_format_t fmt, const char *text, size_t len, trace_refs_t *out,
                        scn_error_t *err);
void trace_refs_free(trace_refs_t *r);

typedef struct trace_result {
    uint64_t references;
    uint64_t page_faults;       /* first touches included                  */
    uint64_t first_touches;
    uint64_t pagefile_writes;   /* evictions of pages written since loaded  */
    uint64_t hits;
    uint32_t frames;
    uint32_t distinct_pages;
    uint32_t tlb_entries;       /* 0: no TLB modelled                      */
    uint64_t tlb_hits, tlb_misses;
} trace_result_t;

/* Replays refs with frames frames under policy, through a TLB of
 * tlb_entries entries (LRU, as the MMU's) when not 0. */
ps_result_t trace_run(const ps_alloc_t *a, const trace_refs_t *refs, uint32_t frames, trace_policy_t policy,
                      uint32_t tlb_entries, trace_result_t *out);

/* Streaming, for traces too long to hold (FIFO, Clock and LRU: memory does
 * not grow with the trace). trace_parse_lines takes whole lines (the text
 * must end at a line end, or be the last piece), numbering them from
 * first_line, and calls emit for each reference. */
typedef void (*trace_emit_fn)(void *ud, uint32_t vpn, bool write);
ps_result_t trace_parse_lines(trace_format_t fmt, const char *text, size_t len, uint32_t first_line,
                              trace_emit_fn emit, void *ud, uint64_t *truncated, scn_error_t *err);

typedef struct trace_sim trace_sim_t;
/* PS_EINVAL for OPT (it needs the whole trace: use trace_run). */
ps_result_t trace_sim_new(const ps_alloc_t *a, uint32_t frames, trace_policy_t policy, uint32_t tlb_entries,
                          trace_sim_t **out);
void trace_sim_ref(trace_sim_t *t, uint32_t vpn, bool write);
void trace_sim_result(const trace_sim_t *t, trace_result_t *out);
void trace_sim_free(trace_sim_t *t);

/* The working-set size W(t, window) (distinct pages among the last window
 * references) sampled at npoints evenly spaced t; out[i] for the i-th. */
ps_result_t trace_working_set(const ps_alloc_t *a, const trace_refs_t *refs, uint32_t window, uint32_t *out,
                              uint32_t npoints);

#endif
