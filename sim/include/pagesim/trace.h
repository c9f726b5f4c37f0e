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

/* Batches: the fast path. A reference packed in 32 bits is its page number
 * shifted left by one, bit 0 set for a write. */
#define TRACE_REF(vpn, write) ((uint32_t)(vpn) << 1 | ((write) ? 1u : 0u))
#define TRACE_REF_VPN(r) ((uint32_t)(r) >> 1)
#define TRACE_REF_WRITE(r) (((r) & 1u) != 0)
#define TRACE_BATCH 4096u /* references handed over at a time, at most */

/* Where the parser stands in a trace that comes in pieces of whole lines. */
typedef struct trace_cursor {
    trace_format_t format;
    uint32_t line;       /* the line of the next byte, from 1                 */
    uint32_t line_max;   /* a longer line is an error; 0: any length          */
    uint64_t truncated;  /* lackey addresses wider than 32 bits, so far       */
} trace_cursor_t;

void trace_cursor_init(trace_cursor_t *c, trace_format_t fmt, uint32_t line_max);

/* Takes n (1..TRACE_BATCH) packed references, in trace order. */
typedef void (*trace_batch_fn)(void *ud, const uint32_t *refs, size_t n);

/* Parses text[0, len), whole lines (the trace's last piece may end without
 * a newline), handing the references to batch in trace order and advancing
 * c. PS_EINVAL with *err (line and column) for malformed input or a line
 * longer than c->line_max ("line longer than N bytes", column N + 1: within
 * one line that error wins over any other); the references before the
 * error have been handed over. */
ps_result_t trace_feed(trace_cursor_t *c, const char *text, size_t len, trace_batch_fn batch, void *ud,
                       scn_error_t *err);

typedef struct trace_sim trace_sim_t;
/* PS_EINVAL for OPT (it needs the whole trace: use trace_run or trace_opt). */
ps_result_t trace_sim_new(const ps_alloc_t *a, uint32_t frames, trace_policy_t policy, uint32_t tlb_entries,
                          trace_sim_t **out);
void trace_sim_ref(trace_sim_t *t, uint32_t vpn, bool write);
/* n packed references, as trace_sim_ref would take them one by one. */
void trace_sim_refs(trace_sim_t *t, const uint32_t *refs, size_t n);
/* The counts so far. PS_ENOMEM when a page table could not be allocated
 * (the references after it were not counted), else PS_OK. */
ps_result_t trace_sim_result(const trace_sim_t *t, trace_result_t *out);
void trace_sim_free(trace_sim_t *t);

/* Page faults for every number of frames in lo..hi (1 <= lo <= hi <=
 * 1048576), the trace read once: LRU from each reference's stack distance
 * (its LRU stack position: every count in one pass, Mattson's method),
 * FIFO and Clock from one machine per count fed the same batches. OPT:
 * PS_EINVAL (it needs the whole trace: trace_opt). */
typedef struct trace_sweep trace_sweep_t;
ps_result_t trace_sweep_new(const ps_alloc_t *a, trace_policy_t policy, uint32_t lo, uint32_t hi,
                            trace_sweep_t **out);
void trace_sweep_refs(trace_sweep_t *s, const uint32_t *refs, size_t n);
/* faults[i] (out, hi - lo + 1 of them): the faults with lo + i frames.
 * PS_ENOMEM when memory ran out on the way (the counts are then unusable). */
ps_result_t trace_sweep_faults(const trace_sweep_t *s, uint64_t *faults);
void trace_sweep_free(trace_sweep_t *s);

/* OPT over a whole trace held in TRACE_OPT_BYTES a reference: each one's
 * packed reference and the index of the next reference to its page, in
 * one 64-bit word. Up to max_refs references (at most TRACE_OPT_MAX). */
#define TRACE_OPT_BYTES 8u
#define TRACE_OPT_MAX (((uint64_t)1 << 43) - 2)
typedef struct trace_opt trace_opt_t;
ps_result_t trace_opt_new(const ps_alloc_t *a, uint64_t max_refs, trace_opt_t **out);
/* Appends n packed references. PS_ERANGE (none taken) past max_refs,
 * PS_ENOMEM when the allocator fails; either is kept, and later calls
 * return it. */
ps_result_t trace_opt_add(trace_opt_t *o, const uint32_t *refs, size_t n);
uint64_t trace_opt_count(const trace_opt_t *o);
/* Replays the held references under OPT (the first replay links each
 * reference to its next use, with 8 KB a 4 MB region of pages touched
 * while it does). */
ps_result_t trace_opt_run(trace_opt_t *o, uint32_t frames, uint32_t tlb_entries, trace_result_t *out);
void trace_opt_free(trace_opt_t *o);

/* The working-set size W(t, window) (distinct pages among the last window
 * references) sampled at npoints evenly spaced t; out[i] for the i-th. */
ps_result_t trace_working_set(const ps_alloc_t *a, const trace_refs_t *refs, uint32_t window, uint32_t *out,
                              uint32_t npoints);

#endif
