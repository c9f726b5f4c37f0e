/* Reference-trace replay: a machine whose memory is a two-level page table
 * (a table for each 4 MB region a page of the trace falls in) and its
 * frames, whatever the trace's length, fed packed references through the
 * shared replacement policies and a TLB; trace_run and the working-set
 * curve over a parsed trace. */
#include "mem.h"
#include "repl.h"
#include "tlb.h"
#include "trace_int.h"
#include <string.h>

/* The page table: a directory of PD_ENTRIES tables of PT_ENTRIES entries.
 * An entry is PTE_UNTOUCHED (never referenced), PTE_OUT (referenced, not
 * resident) or PTE_FRAME + f (resident in frame f). A directory entry
 * points at the machine's zero table, never written, until a page of its
 * region is first referenced: a lookup needs no test for a missing table. */
#define PTE_UNTOUCHED 0u
#define PTE_OUT 1u
#define PTE_FRAME 2u

struct trace_sim {
    const ps_alloc_t *alloc;
    repl_t repl;
    uint32_t frames, used;
    uint32_t *pd[PD_ENTRIES];
    uint32_t *zero;          /* the table of regions not referenced yet        */
    uint32_t *frame_page;
    uint8_t *dirty;          /* written since it was loaded                   */
    tlb_t tlb;               /* translations of resident pages                */
    ps_result_t status;      /* PS_ENOMEM once a table could not be had       */
    trace_result_t res;
};

void trace_sim_free(trace_sim_t *t)
{
    if (!t) return;
    const ps_alloc_t *a = t->alloc;
    for (uint32_t i = 0; i < PD_ENTRIES; i++)
        if (t->pd[i] && t->pd[i] != t->zero) ps_free(a, t->pd[i], PT_ENTRIES * sizeof *t->pd[i]);
    ps_free(a, t->zero, PT_ENTRIES * sizeof *t->zero);
    ps_free(a, t->frame_page, t->frames * sizeof *t->frame_page);
    ps_free(a, t->dirty, t->frames);
    repl_fini(&t->repl);
    tlb_fini(&t->tlb);
    ps_free(a, t, sizeof *t);
}

ps_result_t trace_sim_make(const ps_alloc_t *a, uint32_t frames, trace_policy_t policy, uint32_t tlb_entries,
                           trace_sim_t **out)
{
    *out = NULL;
    if (!a) a = ps_default_alloc();
    if (frames == 0 || frames > NPAGES || tlb_entries > MMU_TLB_MAX) return PS_EINVAL;
    trace_sim_t *t = ps_calloc(a, sizeof *t);
    if (!t) return PS_ENOMEM;
    t->alloc = a;
    t->frames = frames;
    ps_result_t r = repl_init(&t->repl, a, (repl_policy_t)policy, frames);
    if (r == PS_OK) r = tlb_init(&t->tlb, a, tlb_entries);
    t->zero = ps_calloc(a, PT_ENTRIES * sizeof *t->zero);
    t->frame_page = ps_malloc(a, frames * sizeof *t->frame_page);
    t->dirty = ps_calloc(a, frames);
    if (r != PS_OK || !t->zero || !t->frame_page || !t->dirty) {
        trace_sim_free(t);
        return r != PS_OK ? r : PS_ENOMEM;
    }
    for (uint32_t i = 0; i < PD_ENTRIES; i++) t->pd[i] = t->zero;
    t->res.frames = frames;
    t->res.tlb_entries = tlb_entries;
    *out = t;
    return PS_OK;
}

ps_result_t trace_sim_new(const ps_alloc_t *a, uint32_t frames, trace_policy_t policy, uint32_t tlb_entries,
                          trace_sim_t **out)
{
    if (policy == TRACE_OPT) {
        *out = NULL;
        return PS_EINVAL;
    }
    return trace_sim_make(a, frames, policy, tlb_entries, out);
}

/* A page fault on vpn: a frame for it, free or taken from the policy's
 * victim. Returns the frame, or NONE when its page table could not be
 * allocated (t->status says so). */
static uint32_t sim_fault(trace_sim_t *t, uint32_t vpn, uint64_t next_use)
{
    uint32_t *pt = t->pd[vpn >> PT_BITS];
    if (pt == t->zero) {
        if (!(pt = ps_calloc(t->alloc, PT_ENTRIES * sizeof *pt))) {
            t->status = PS_ENOMEM;
            return NONE;
        }
        t->pd[vpn >> PT_BITS] = pt;
    }
    t->res.page_faults++;
    if (pt[PT_INDEX(vpn)] == PTE_UNTOUCHED) t->res.first_touches++;
    uint32_t f;
    if (t->used < t->frames) {
        f = t->used++;
    } else {
        f = repl_victim(&t->repl);
        if (t->dirty[f]) t->res.pagefile_writes++;
        uint32_t old = t->frame_page[f];
        t->pd[old >> PT_BITS][PT_INDEX(old)] = PTE_OUT;
        if (t->tlb.cap) tlb_invalidate(&t->tlb, old << 12);
    }
    pt[PT_INDEX(vpn)] = PTE_FRAME + f;
    t->frame_page[f] = vpn;
    t->dirty[f] = 0;
    repl_loaded(&t->repl, f, next_use);
    return f;
}

/* One packed reference (t->res.references is the caller's); next_use
 * matters to OPT only. */
static ALWAYS_INLINE void sim_step(trace_sim_t *t, uint32_t ref, uint64_t next_use)
{
    uint32_t vpn = TRACE_REF_VPN(ref);
    bool tlb_hit = false;
    if (t->tlb.cap) {
        tlb_hit = tlb_lookup(&t->tlb, vpn << 12) != NULL;
        if (tlb_hit) t->res.tlb_hits++;
        else t->res.tlb_misses++;
    }
    uint32_t e = t->pd[vpn >> PT_BITS][PT_INDEX(vpn)], f;
    if (e >= PTE_FRAME) {
        f = e - PTE_FRAME;
        t->res.hits++;
        repl_used(&t->repl, f, next_use);
    } else if ((f = sim_fault(t, vpn, next_use)) == NONE) {
        return;
    }
    /* A TLB hit is a resident page, and it stays so: only a miss inserts. */
    if (t->tlb.cap && !tlb_hit) tlb_insert(&t->tlb, vpn << 12, f << 12, TLB_RW | TLB_US, NULL);
    if (TRACE_REF_WRITE(ref)) t->dirty[f] = 1;
}

void trace_sim_ref(trace_sim_t *t, uint32_t vpn, bool write)
{
    t->res.references++;
    sim_step(t, TRACE_REF(vpn, write), 0);
}

void trace_sim_refs(trace_sim_t *t, const uint32_t *refs, size_t n)
{
    t->res.references += n;
    for (size_t i = 0; i < n; i++) sim_step(t, refs[i], 0);
}

ps_result_t trace_sim_result(const trace_sim_t *t, trace_result_t *out)
{
    *out = t->res;
    out->distinct_pages = (uint32_t)t->res.first_touches;
    return t->status;
}

void trace_sim_step_next(trace_sim_t *t, uint32_t ref, uint64_t next_use)
{
    sim_step(t, ref, next_use);
}

void trace_sim_set_references(trace_sim_t *t, uint64_t n)
{
    t->res.references = n;
}
/* trace_run's OPT: the references held as trace_opt holds them. */
static ps_result_t opt_run_refs(const ps_alloc_t *a, const trace_refs_t *refs, uint32_t frames,
                                uint32_t tlb_entries, trace_result_t *out)
{
    if (frames == 0 || frames > NPAGES || tlb_entries > MMU_TLB_MAX) return PS_EINVAL;
    trace_opt_t *o;
    ps_result_t r = trace_opt_new(a, refs->n, &o);
    uint32_t batch[256];
    for (size_t i = 0; r == PS_OK && i < refs->n;) {
        size_t k = 0;
        for (; k < 256 && i < refs->n; k++, i++) batch[k] = TRACE_REF(refs->ref[i].vpn, refs->ref[i].write);
        r = trace_opt_add(o, batch, k);
    }
    if (r == PS_OK) r = trace_opt_run(o, frames, tlb_entries, out);
    trace_opt_free(o);
    return r;
}

ps_result_t trace_run(const ps_alloc_t *a, const trace_refs_t *refs, uint32_t frames, trace_policy_t policy,
                      uint32_t tlb_entries, trace_result_t *out)
{
    if (!a) a = ps_default_alloc();
    memset(out, 0, sizeof *out);
    if (policy == TRACE_OPT) return opt_run_refs(a, refs, frames, tlb_entries, out);
    trace_sim_t *t;
    ps_result_t r = trace_sim_make(a, frames, policy, tlb_entries, &t);
    if (r != PS_OK) return r;
    t->res.references = refs->n;
    for (size_t i = 0; i < refs->n; i++) sim_step(t, TRACE_REF(refs->ref[i].vpn, refs->ref[i].write), 0);
    r = trace_sim_result(t, out);
    trace_sim_free(t);
    return r;
}

ps_result_t trace_working_set(const ps_alloc_t *a, const trace_refs_t *refs, uint32_t window, uint32_t *out,
                              uint32_t npoints)
{
    if (!a) a = ps_default_alloc();
    if (!window || !npoints) return PS_EINVAL;
    uint32_t *count = ps_calloc(a, NPAGES * sizeof *count);
    if (!count) return PS_ENOMEM;
    uint32_t distinct = 0, next_point = 0;
    for (size_t i = 0; i < refs->n && next_point < npoints; i++) {
        if (count[refs->ref[i].vpn]++ == 0) distinct++;
        if (i >= window && --count[refs->ref[i - window].vpn] == 0) distinct--;
        while (next_point < npoints && i + 1 >= (refs->n * (next_point + 1)) / npoints) out[next_point++] = distinct;
    }
    while (next_point < npoints) out[next_point++] = distinct;
    ps_free(a, count, NPAGES * sizeof *count);
    return PS_OK;
}
