/* OPT (Belady's MIN) over a trace held in 8 bytes a reference: each
 * reference packed with the index of its page's next use, linked in one
 * backward pass, then replayed through the machine with that next use. */
#include "mem.h"
#include "repl.h"
#include "trace_int.h"
#include <string.h>

/* Each held reference is one word: the packed reference in the low
 * OPT_REF_BITS bits and above them the index of the next reference to the
 * same page, OPT_NEVER for none (0 until the references are linked). The
 * words live in chunks of OPT_CHUNK, so that growing never copies. */
#define OPT_REF_BITS 21u
#define OPT_REF_MASK ((1u << OPT_REF_BITS) - 1)
#define OPT_NEVER (((uint64_t)1 << (64 - OPT_REF_BITS)) - 1)
#define OPT_CHUNK_BITS 18u
#define OPT_CHUNK ((size_t)1 << OPT_CHUNK_BITS)

struct trace_opt {
    const ps_alloc_t *alloc;
    uint64_t n, max;
    uint64_t **chunk;
    size_t nchunks, chunks_cap;
    bool linked;
    ps_result_t status;
};

ps_result_t trace_opt_new(const ps_alloc_t *a, uint64_t max_refs, trace_opt_t **out)
{
    *out = NULL;
    if (!a) a = ps_default_alloc();
    if (max_refs > TRACE_OPT_MAX) return PS_EINVAL;
    trace_opt_t *o = ps_calloc(a, sizeof *o);
    if (!o) return PS_ENOMEM;
    o->alloc = a;
    o->max = max_refs;
    *out = o;
    return PS_OK;
}

void trace_opt_free(trace_opt_t *o)
{
    if (!o) return;
    for (size_t i = 0; i < o->nchunks; i++) ps_free(o->alloc, o->chunk[i], OPT_CHUNK * sizeof **o->chunk);
    ps_free(o->alloc, o->chunk, o->chunks_cap * sizeof *o->chunk);
    ps_free(o->alloc, o, sizeof *o);
}

uint64_t trace_opt_count(const trace_opt_t *o)
{
    return o->n;
}

static bool opt_new_chunk(trace_opt_t *o)
{
    if (o->nchunks == o->chunks_cap) {
        size_t ncap = o->chunks_cap ? o->chunks_cap * 2 : 16;
        uint64_t **c = ps_realloc(o->alloc, o->chunk, o->chunks_cap * sizeof *c, ncap * sizeof *c);
        if (!c) return false;
        o->chunk = c;
        o->chunks_cap = ncap;
    }
    uint64_t *c = ps_malloc(o->alloc, OPT_CHUNK * sizeof *c);
    if (!c) return false;
    o->chunk[o->nchunks++] = c;
    return true;
}

ps_result_t trace_opt_add(trace_opt_t *o, const uint32_t *refs, size_t n)
{
    if (o->status == PS_OK && n > o->max - o->n) o->status = PS_ERANGE;
    for (size_t i = 0; i < n && o->status == PS_OK;) {
        size_t at = (size_t)(o->n & (OPT_CHUNK - 1));
        if (at == 0 && (o->n >> OPT_CHUNK_BITS) == o->nchunks && !opt_new_chunk(o)) {
            o->status = PS_ENOMEM;
            break;
        }
        uint64_t *c = o->chunk[o->n >> OPT_CHUNK_BITS];
        size_t k = OPT_CHUNK - at < n - i ? OPT_CHUNK - at : n - i;
        for (size_t j = 0; j < k; j++) c[at + j] = refs[i + j];
        o->n += k;
        i += k;
    }
    return o->status;
}

/* Each reference's next use, from the last reference back: for each page
 * the index of its latest reference seen so far (plus one; 0 for none) in
 * a table for each 4 MB region the trace touches. */
static ps_result_t opt_link(trace_opt_t *o)
{
    uint64_t **seen = ps_calloc(o->alloc, PD_ENTRIES * sizeof *seen);
    ps_result_t r = seen ? PS_OK : PS_ENOMEM;
    for (uint64_t i = o->n; r == PS_OK && i-- > 0;) {
        uint64_t *w = &o->chunk[i >> OPT_CHUNK_BITS][i & (OPT_CHUNK - 1)];
        uint32_t vpn = TRACE_REF_VPN((uint32_t)(*w & OPT_REF_MASK));
        uint64_t **pt = &seen[vpn >> PT_BITS];
        if (!*pt && !(*pt = ps_calloc(o->alloc, PT_ENTRIES * sizeof **pt))) {
            r = PS_ENOMEM;
            break;
        }
        uint64_t last = (*pt)[PT_INDEX(vpn)];
        *w = (last ? last - 1 : OPT_NEVER) << OPT_REF_BITS | (*w & OPT_REF_MASK);
        (*pt)[PT_INDEX(vpn)] = i + 1;
    }
    if (seen)
        for (uint32_t i = 0; i < PD_ENTRIES; i++) ps_free(o->alloc, seen[i], PT_ENTRIES * sizeof *seen[i]);
    ps_free(o->alloc, seen, PD_ENTRIES * sizeof *seen);
    if (r == PS_OK) o->linked = true;
    return r;
}

ps_result_t trace_opt_run(trace_opt_t *o, uint32_t frames, uint32_t tlb_entries, trace_result_t *out)
{
    memset(out, 0, sizeof *out);
    if (o->status != PS_OK) return o->status;
    trace_sim_t *t;
    ps_result_t r = trace_sim_make(o->alloc, frames, TRACE_OPT, tlb_entries, &t);
    if (r == PS_OK && !o->linked) r = opt_link(o);
    if (r != PS_OK) {
        trace_sim_free(t);
        return r;
    }
    trace_sim_set_references(t, o->n);
    for (uint64_t i = 0; i < o->n; i += OPT_CHUNK) {
        const uint64_t *c = o->chunk[i >> OPT_CHUNK_BITS];
        size_t k = o->n - i < OPT_CHUNK ? (size_t)(o->n - i) : OPT_CHUNK;
        for (size_t j = 0; j < k; j++) {
            uint64_t next = c[j] >> OPT_REF_BITS;
            trace_sim_step_next(t, (uint32_t)(c[j] & OPT_REF_MASK), next == OPT_NEVER ? REPL_NEVER : next);
        }
    }
    r = trace_sim_result(t, out);
    trace_sim_free(t);
    return r;
}
