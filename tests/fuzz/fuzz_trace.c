/* Fuzzes reference traces. The input's first line is a header,
 * "FORMAT POLICY FRAMES TLB SEED" (words in any order: refs or lackey, fifo,
 * clock, lru or opt, then three numbers; missing ones default), the rest a
 * trace. The trace is parsed whole and replayed (held); with FIFO, Clock
 * and LRU it is also streamed, in line-aligned pieces the seed chooses.
 * Held and streamed must agree on whether the trace is valid (and where it
 * is not) and on every counter; the counters must add up; and, one of
 * these an input (the seed picks): OPT faults no more than the policy, LRU
 * and OPT fault no more with one frame more (they have no Belady anomaly),
 * the working set stays within its window and the distinct pages. With
 * FIFO, Clock and LRU a sweep over the frames and one more counts what
 * the replays count. */
#include "fuzz.h"
#include "pagesim/trace.h"
#include <stdlib.h>
#include <string.h>

typedef struct header {
    trace_format_t fmt;
    trace_policy_t policy;
    uint32_t frames;     /* 1..8 */
    uint32_t tlb;        /* 0..8 */
    uint32_t seed;
} header_t;

/* The header line (n bytes): words separated by spaces. */
static void parse_header(const char *s, size_t n, header_t *h)
{
    memset(h, 0, sizeof *h);
    uint64_t num[3] = { 3, 0, 0 };
    int nums = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')) i++;
        size_t start = i;
        while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\r') i++;
        char word[16];
        size_t len = i - start;
        if (len == 0 || len >= sizeof word) continue;
        memcpy(word, s + start, len);
        word[len] = '\0';
        if (word[0] >= '0' && word[0] <= '9') {
            if (nums < 3) num[nums++] = strtoull(word, NULL, 10);
        } else if (!trace_format_parse(word, &h->fmt)) {
            (void)trace_policy_parse(word, &h->policy);
        }
    }
    h->frames = (uint32_t)(num[0] >= 1 && num[0] <= 8 ? num[0] : 1 + num[0] % 8);
    h->tlb = (uint32_t)(num[1] % 9);
    h->seed = (uint32_t)num[2];
}

static uint32_t next_random(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

static void stream_ref(void *ud, uint32_t vpn, bool write)
{
    trace_sim_ref(ud, vpn, write);
}

/* The trace streamed in pieces of whole lines; PS_OK with *out, or the
 * parser's error. */
static ps_result_t streamed(const header_t *h, const char *text, size_t len, trace_result_t *out, uint64_t *truncated,
                            scn_error_t *err)
{
    trace_sim_t *t;
    if (trace_sim_new(fuzz_alloc(), h->frames, h->policy, h->tlb, &t) != PS_OK) fuzz_fail("trace_sim_new failed");
    uint32_t rnd = h->seed * 2654435761u | 1u, line = 1;
    ps_result_t r = PS_OK;
    *truncated = 0;
    for (size_t pos = 0; pos < len && r == PS_OK;) {
        /* A piece: one line, then more while the dice say so. */
        size_t end = pos;
        uint32_t lines = 0;
        do {
            const char *nl = memchr(text + end, '\n', len - end);
            end = nl ? (size_t)(nl - text) + 1 : len;
            lines += nl != NULL;
        } while (end < len && next_random(&rnd) % 4 != 0);
        r = trace_parse_lines(h->fmt, text + pos, end - pos, line, stream_ref, t, truncated, err);
        line += lines;
        pos = end;
    }
    if (r == PS_OK) trace_sim_result(t, out);
    trace_sim_free(t);
    return r;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* The number of distinct pages, counted here. */
static uint32_t distinct_pages(const trace_refs_t *refs)
{
    if (refs->n == 0) return 0;
    uint32_t *v = malloc(refs->n * sizeof *v);
    if (!v) fuzz_fail("out of memory");
    for (size_t i = 0; i < refs->n; i++) v[i] = refs->ref[i].vpn;
    qsort(v, refs->n, sizeof *v, cmp_u32);
    uint32_t d = 1;
    for (size_t i = 1; i < refs->n; i++) d += v[i] != v[i - 1];
    free(v);
    return d;
}

static const char *const policy_names[] = { "fifo", "clock", "lru", "opt" };

static void run_held(const trace_refs_t *refs, uint32_t frames, trace_policy_t p, uint32_t tlb, trace_result_t *out)
{
    if (trace_run(fuzz_alloc(), refs, frames, p, tlb, out) != PS_OK)
        fuzz_fail("trace_run failed (%s, %u frames, tlb %u)", policy_names[p], frames, tlb);
}

/* The counters add up. */
static void check_result(const trace_result_t *r, const trace_refs_t *refs, uint32_t distinct, uint32_t frames,
                         uint32_t tlb, const char *what)
{
    uint64_t loaded = r->page_faults < frames ? r->page_faults : frames;
    if (r->references != refs->n) fuzz_fail("%s: %llu references, the trace has %zu", what,
                                            (unsigned long long)r->references, refs->n);
    if (r->hits + r->page_faults != r->references) fuzz_fail("%s: hits + faults != references", what);
    if (r->first_touches != distinct || r->distinct_pages != distinct)
        fuzz_fail("%s: %llu first touches, %u distinct pages; the trace has %u", what,
                  (unsigned long long)r->first_touches, r->distinct_pages, distinct);
    if (r->page_faults < r->first_touches) fuzz_fail("%s: fewer faults than first touches", what);
    if (distinct <= frames && r->page_faults != distinct) fuzz_fail("%s: evictions with enough frames", what);
    if (r->pagefile_writes > r->page_faults - loaded) fuzz_fail("%s: more page-file writes than evictions", what);
    if (r->frames != frames || r->tlb_entries != tlb) fuzz_fail("%s: frames or TLB size not as asked", what);
    if (tlb ? r->tlb_hits + r->tlb_misses != r->references : r->tlb_hits || r->tlb_misses)
        fuzz_fail("%s: TLB hits and misses do not add up", what);
}

static void same_result(const trace_result_t *a, const trace_result_t *b)
{
#define SAME(f)                                                                                                    \
    if (a->f != b->f)                                                                                              \
        fuzz_fail("held and streamed differ: " #f " %llu and %llu", (unsigned long long)a->f, (unsigned long long)b->f)
    SAME(references);
    SAME(page_faults);
    SAME(first_touches);
    SAME(pagefile_writes);
    SAME(hits);
    SAME(frames);
    SAME(distinct_pages);
    SAME(tlb_entries);
    SAME(tlb_hits);
    SAME(tlb_misses);
#undef SAME
}

static void check_working_set(const trace_refs_t *refs, uint32_t distinct, uint32_t seed)
{
    uint32_t window = 1 + seed % 16, out[8];
    uint32_t npoints = 1 + (seed >> 4) % 8;
    if (trace_working_set(fuzz_alloc(), refs, window, out, npoints) != PS_OK) fuzz_fail("trace_working_set failed");
    for (uint32_t i = 0; i < npoints; i++)
        if (out[i] > window || out[i] > distinct || (refs->n && out[i] == 0))
            fuzz_fail("working set %u at point %u (window %u, %u distinct pages)", out[i], i, window, distinct);
}

/* A sweep over frames and the next count (LRU: stack distances; FIFO and
 * Clock: a machine each) counts what held replays count. */
static void check_sweep(const trace_refs_t *refs, trace_policy_t p, uint32_t frames, uint64_t faults)
{
    trace_sweep_t *s;
    uint64_t got[2];
    if (trace_sweep_new(fuzz_alloc(), p, frames, frames + 1, &s) != PS_OK) fuzz_fail("trace_sweep_new failed");
    uint32_t batch[64];
    for (size_t i = 0; i < refs->n;) {
        size_t k = 0;
        for (; k < 64 && i < refs->n; k++, i++) batch[k] = TRACE_REF(refs->ref[i].vpn, refs->ref[i].write);
        trace_sweep_refs(s, batch, k);
    }
    if (trace_sweep_faults(s, got) != PS_OK) fuzz_fail("trace_sweep_faults failed");
    trace_sweep_free(s);
    trace_result_t more;
    run_held(refs, frames + 1, p, 0, &more);
    if (got[0] != faults || got[1] != more.page_faults)
        fuzz_fail("%s sweep: %llu and %llu faults with %u and %u frames, replays %llu and %llu", policy_names[p],
                  (unsigned long long)got[0], (unsigned long long)got[1], frames, frames + 1,
                  (unsigned long long)faults, (unsigned long long)more.page_faults);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    const char *nl = memchr(s, '\n', size);
    size_t hlen = nl ? (size_t)(nl - s) : size;
    header_t h;
    parse_header(s, hlen, &h);
    const char *text = nl ? nl + 1 : s + size;
    size_t len = size - (size_t)(text - s);

    trace_refs_t refs;
    scn_error_t herr, serr;
    memset(&herr, 0, sizeof herr);
    ps_result_t hr = trace_parse(fuzz_alloc(), h.fmt, text, len, &refs, &herr);
    if (hr != PS_OK && hr != PS_EINVAL) fuzz_fail("trace_parse returned %d", hr);
    trace_result_t held, str;
    uint64_t truncated = 0;
    bool streams = h.policy != TRACE_OPT;
    ps_result_t sr = streams ? streamed(&h, text, len, &str, &truncated, &serr) : hr;
    if (hr != sr) fuzz_fail("held parse says %s, streamed says %s", ps_result_str(hr), ps_result_str(sr));
    if (hr != PS_OK) {
        if (!herr.msg[0] || !memchr(herr.msg, '\0', sizeof herr.msg)) fuzz_fail("an error without a message");
        if (streams && (herr.line != serr.line || herr.col != serr.col || strcmp(herr.msg, serr.msg) != 0))
            fuzz_fail("held and streamed errors differ:\n  held     %u:%u: %s\n  streamed %u:%u: %s", herr.line,
                      herr.col, herr.msg, serr.line, serr.col, serr.msg);
        return 0;
    }
    uint32_t distinct = distinct_pages(&refs);
    run_held(&refs, h.frames, h.policy, h.tlb, &held);
    check_result(&held, &refs, distinct, h.frames, h.tlb, "held");
    if (streams) {
        if (truncated != refs.truncated) fuzz_fail("held and streamed differ on truncated addresses");
        same_result(&held, &str);
        check_sweep(&refs, h.policy, h.frames, held.page_faults);
    }
    /* One more check an input, the seed choosing (each replay costs the
     * same 2^20-entry tables, whatever the trace's length): a frame more
     * (LRU and OPT only: FIFO and Clock may fault more with more frames),
     * OPT against the policy, or the working set. */
    unsigned extra = h.seed % 3;
    if (extra == 0 && h.policy != TRACE_LRU && h.policy != TRACE_OPT) extra = 1;
    if (extra == 1 && h.policy == TRACE_OPT) extra = 2;
    if (extra == 0) {
        trace_result_t more;
        run_held(&refs, h.frames + 1, h.policy, h.tlb, &more);
        check_result(&more, &refs, distinct, h.frames + 1, h.tlb, "one frame more");
        if (more.page_faults > held.page_faults)
            fuzz_fail("%s faults more with %u frames (%llu) than with %u (%llu)", policy_names[h.policy],
                      h.frames + 1, (unsigned long long)more.page_faults, h.frames,
                      (unsigned long long)held.page_faults);
    } else if (extra == 1) {
        trace_result_t opt;
        run_held(&refs, h.frames, TRACE_OPT, h.tlb, &opt);
        check_result(&opt, &refs, distinct, h.frames, h.tlb, "opt");
        if (opt.page_faults > held.page_faults)
            fuzz_fail("OPT faults more (%llu) than %s (%llu) with %u frames", (unsigned long long)opt.page_faults,
                      policy_names[h.policy], (unsigned long long)held.page_faults, h.frames);
    } else {
        check_working_set(&refs, distinct, h.seed / 3);
    }
    trace_refs_free(&refs);
    return 0;
}
