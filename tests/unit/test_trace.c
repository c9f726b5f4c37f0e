/* sim.trace: trace parsing and replay through the replacement policies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "failing_alloc.h"
#include "pagesim/trace.h"

static trace_result_t run(const char *text, trace_format_t fmt, uint32_t frames, trace_policy_t p)
{
    trace_refs_t refs;
    scn_error_t err;
    assert_int_equal(trace_parse(NULL, fmt, text, strlen(text), &refs, &err), PS_OK);
    trace_result_t res;
    assert_int_equal(trace_run(NULL, &refs, frames, p, 0, &res), PS_OK);
    trace_refs_free(&refs);
    return res;
}

static const char *CLASSIC = "7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1";
static const char *BELADY = "1 2 3 4 1 2 5 1 2 3 4 5";

static void trace__classic_string__gives_the_textbook_fault_counts(void **state)
{
    (void)state;
    assert_int_equal(run(CLASSIC, TRACE_REFS, 3, TRACE_FIFO).page_faults, 15);
    assert_int_equal(run(CLASSIC, TRACE_REFS, 3, TRACE_LRU).page_faults, 12);
    assert_int_equal(run(CLASSIC, TRACE_REFS, 3, TRACE_OPT).page_faults, 9);
    assert_int_equal(run(CLASSIC, TRACE_REFS, 3, TRACE_CLOCK).page_faults, 14);
}

static void trace__fifo__shows_beladys_anomaly(void **state)
{
    (void)state;
    assert_int_equal(run(BELADY, TRACE_REFS, 3, TRACE_FIFO).page_faults, 9);
    assert_int_equal(run(BELADY, TRACE_REFS, 4, TRACE_FIFO).page_faults, 10);
    assert_true(run(BELADY, TRACE_REFS, 4, TRACE_LRU).page_faults <= run(BELADY, TRACE_REFS, 3, TRACE_LRU).page_faults);
}

static void trace__evicting_a_written_page__writes_it_to_the_page_file(void **state)
{
    (void)state;
    trace_result_t r = run("1w 2 3 1 2w 3", TRACE_REFS, 2, TRACE_FIFO);
    assert_int_equal(r.page_faults, 6);
    assert_int_equal(r.pagefile_writes, 1); /* page 1 (written) goes when 3 comes; page 2 was clean then */
}

static void trace__lackey__splits_accesses_that_cross_pages(void **state)
{
    (void)state;
    const char *t = "==1== header\nI  04000000,3\n L 04001ffe,4\n S 7ff000398,8\n M 0421f508,4\n";
    trace_refs_t refs;
    scn_error_t err;
    assert_int_equal(trace_parse(NULL, TRACE_LACKEY, t, strlen(t), &refs, &err), PS_OK);
    assert_int_equal(refs.n, 5);
    assert_int_equal(refs.ref[1].vpn, 0x04001);
    assert_int_equal(refs.ref[2].vpn, 0x04002);
    assert_true(refs.ref[3].write);
    assert_int_equal(refs.ref[3].vpn, 0xFF000); /* 0x7FF000398 keeps its low 32 bits */
    assert_int_equal(refs.truncated, 1);
    trace_refs_free(&refs);
}

static void trace__bad_input__names_the_line(void **state)
{
    (void)state;
    trace_refs_t refs;
    scn_error_t err;
    assert_int_equal(trace_parse(NULL, TRACE_REFS, "1 2\n3 x4", 8, &refs, &err), PS_EINVAL);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 3);
    assert_int_equal(trace_parse(NULL, TRACE_LACKEY, " L zz,4\n", 8, &refs, &err), PS_EINVAL);
    assert_int_equal(err.line, 1);
}

static void trace__tlb__hits_repeated_pages_and_forgets_evicted_ones(void **state)
{
    (void)state;
    trace_refs_t refs;
    scn_error_t err;
    const char *t = "1 1 2 2 3 1";
    assert_int_equal(trace_parse(NULL, TRACE_REFS, t, strlen(t), &refs, &err), PS_OK);
    trace_result_t res;
    assert_int_equal(trace_run(NULL, &refs, 2, TRACE_FIFO, 8, &res), PS_OK);
    /* 1 miss, 1 hit, 2 miss, 2 hit, 3 miss (evicts 1), 1 miss */
    assert_int_equal(res.tlb_hits, 2);
    assert_int_equal(res.tlb_misses, 4);
    trace_refs_free(&refs);
}

/* A trace with locality: a loop over a working set that drifts, random
 * far references, writes on a third of them. xorshift32 from seed. */
static uint32_t gen_next(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

static size_t gen_trace(char *buf, size_t cap, uint32_t seed, uint32_t n)
{
    size_t len = 0;
    uint32_t x = seed, base = 0;
    for (uint32_t i = 0; i < n && len + 16 < cap; i++) {
        uint32_t r = gen_next(&x), page;
        if (i % 5000 == 0) base = (base + 37) % 3000;
        if (r % 10 < 7) page = base + r / 10 % 48;         /* the working set */
        else if (r % 10 < 9) page = r / 10 % 3000;         /* anywhere among 3000 */
        else page = 100000 + r / 10 % 200;                 /* a far region */
        len += (size_t)snprintf(buf + len, cap - len, "%u%s%c", page, r / 7 % 3 == 0 ? "w" : "", i % 8 == 7 ? '\n' : ' ');
    }
    return len;
}

/* The generated trace's references (seed 2463534242, 200000 of them). */
static trace_refs_t generated(uint32_t n)
{
    size_t cap = (size_t)n * 16 + 64;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t len = gen_trace(text, cap, 2463534242u, n);
    trace_refs_t refs;
    scn_error_t err;
    assert_int_equal(trace_parse(NULL, TRACE_REFS, text, len, &refs, &err), PS_OK);
    assert_int_equal(refs.n, n);
    free(text);
    return refs;
}

/* What the replay gave before it went by batches (pagesim 0.2.0, one
 * reference at a time through the flat page table), on the generated
 * trace: every policy, three frame counts, with and without a TLB. */
static const struct pinned {
    trace_policy_t policy;
    uint32_t frames, tlb;
    uint64_t faults, pagefile_writes, tlb_hits;
} PINNED[] = {
        { TRACE_FIFO, 8, 0, 184142, 64757, 0 },
        { TRACE_FIFO, 8, 16, 184142, 64757, 15858 },
        { TRACE_FIFO, 64, 0, 109945, 51932, 0 },
        { TRACE_FIFO, 64, 16, 109945, 51932, 31181 },
        { TRACE_FIFO, 500, 0, 50141, 22992, 0 },
        { TRACE_FIFO, 500, 16, 50141, 22992, 31589 },
        { TRACE_CLOCK, 8, 0, 184052, 64717, 0 },
        { TRACE_CLOCK, 8, 16, 184052, 64717, 15948 },
        { TRACE_CLOCK, 64, 0, 100490, 47026, 0 },
        { TRACE_CLOCK, 64, 16, 100490, 47026, 31605 },
        { TRACE_CLOCK, 500, 0, 45447, 18732, 0 },
        { TRACE_CLOCK, 500, 16, 45447, 18732, 31605 },
        { TRACE_LRU, 8, 0, 183898, 64652, 0 },
        { TRACE_LRU, 8, 16, 183898, 64652, 16102 },
        { TRACE_LRU, 64, 0, 93738, 43330, 0 },
        { TRACE_LRU, 64, 16, 93738, 43330, 31605 },
        { TRACE_LRU, 500, 0, 44796, 18418, 0 },
        { TRACE_LRU, 500, 16, 44796, 18418, 31605 },
        { TRACE_OPT, 8, 0, 138867, 56941, 0 },
        { TRACE_OPT, 8, 16, 138867, 56941, 61133 },
        { TRACE_OPT, 64, 0, 53395, 20301, 0 },
        { TRACE_OPT, 64, 16, 53395, 20301, 39762 },
        { TRACE_OPT, 500, 0, 25884, 12224, 0 },
        { TRACE_OPT, 500, 16, 25884, 12224, 33486 },
};

static void same_as_pinned(const struct pinned *p, const trace_result_t *r)
{
    assert_int_equal(r->references, 200000);
    assert_int_equal(r->page_faults, p->faults);
    assert_int_equal(r->pagefile_writes, p->pagefile_writes);
    assert_int_equal(r->hits, 200000 - p->faults);
    assert_int_equal(r->first_touches, 3200);
    assert_int_equal(r->tlb_hits, p->tlb_hits);
    assert_int_equal(r->tlb_misses, p->tlb ? 200000 - p->tlb_hits : 0);
}

static void pack(const trace_refs_t *refs, uint32_t *out)
{
    for (size_t i = 0; i < refs->n; i++) out[i] = TRACE_REF(refs->ref[i].vpn, refs->ref[i].write);
}

static void trace__generated_trace__keeps_the_counts_it_had_one_reference_at_a_time(void **state)
{
    (void)state;
    trace_refs_t refs = generated(200000);
    uint32_t *packed = malloc(refs.n * sizeof *packed);
    assert_non_null(packed);
    pack(&refs, packed);
    for (size_t i = 0; i < sizeof PINNED / sizeof PINNED[0]; i++) {
        const struct pinned *p = &PINNED[i];
        trace_result_t r;
        assert_int_equal(trace_run(NULL, &refs, p->frames, p->policy, p->tlb, &r), PS_OK);
        same_as_pinned(p, &r);
        if (p->policy == TRACE_OPT) {
            trace_opt_t *o;
            assert_int_equal(trace_opt_new(NULL, refs.n, &o), PS_OK);
            for (size_t at = 0; at < refs.n; at += 1000) assert_int_equal(trace_opt_add(o, packed + at, 1000), PS_OK);
            assert_int_equal(trace_opt_run(o, p->frames, p->tlb, &r), PS_OK);
            trace_opt_free(o);
        } else {
            trace_sim_t *t;
            assert_int_equal(trace_sim_new(NULL, p->frames, p->policy, p->tlb, &t), PS_OK);
            for (size_t at = 0; at < refs.n; at += TRACE_BATCH)
                trace_sim_refs(t, packed + at, refs.n - at < TRACE_BATCH ? refs.n - at : TRACE_BATCH);
            assert_int_equal(trace_sim_result(t, &r), PS_OK);
            trace_sim_free(t);
        }
        same_as_pinned(p, &r);
    }
    free(packed);
    trace_refs_free(&refs);
}

/* Every count of a sweep is the count of a run with that many frames. */
static void sweep_matches_runs(const trace_refs_t *refs, const uint32_t *packed, trace_policy_t policy, uint32_t lo,
                               uint32_t hi)
{
    trace_sweep_t *s;
    assert_int_equal(trace_sweep_new(NULL, policy, lo, hi, &s), PS_OK);
    for (size_t at = 0; at < refs->n; at += 777) trace_sweep_refs(s, packed + at, refs->n - at < 777 ? refs->n - at : 777);
    uint64_t faults[128];
    assert_true(hi - lo < 128);
    assert_int_equal(trace_sweep_faults(s, faults), PS_OK);
    trace_sweep_free(s);
    for (uint32_t f = lo; f <= hi; f++) {
        trace_result_t r;
        assert_int_equal(trace_run(NULL, refs, f, policy, 0, &r), PS_OK);
        if (faults[f - lo] != r.page_faults)
            fail_msg("policy %d, %u frames: the sweep counts %llu faults, a run %llu", (int)policy, f,
                     (unsigned long long)faults[f - lo], (unsigned long long)r.page_faults);
    }
}

static void trace__sweep__gives_each_count_a_single_run_gives(void **state)
{
    (void)state;
    trace_refs_t refs = generated(200000);
    uint32_t *packed = malloc(refs.n * sizeof *packed);
    assert_non_null(packed);
    pack(&refs, packed);
    sweep_matches_runs(&refs, packed, TRACE_LRU, 1, 40);
    sweep_matches_runs(&refs, packed, TRACE_LRU, 490, 520); /* distances from the tree, past renumbering */
    sweep_matches_runs(&refs, packed, TRACE_FIFO, 1, 40);
    sweep_matches_runs(&refs, packed, TRACE_CLOCK, 1, 40);
    trace_sweep_t *s;
    assert_int_equal(trace_sweep_new(NULL, TRACE_OPT, 1, 4, &s), PS_EINVAL);
    free(packed);
    trace_refs_free(&refs);
}

static void trace__sweep__classic_string__gives_the_textbook_curve(void **state)
{
    (void)state;
    static const uint64_t lru[] = { 20, 17, 12, 8, 7, 6, 6 }, fifo[] = { 20, 15, 15, 10, 9, 6, 6 };
    uint32_t packed[32];
    trace_refs_t refs;
    scn_error_t err;
    assert_int_equal(trace_parse(NULL, TRACE_REFS, CLASSIC, strlen(CLASSIC), &refs, &err), PS_OK);
    pack(&refs, packed);
    for (int p = 0; p < 2; p++) {
        trace_sweep_t *s;
        uint64_t faults[7];
        assert_int_equal(trace_sweep_new(NULL, p ? TRACE_FIFO : TRACE_LRU, 1, 7, &s), PS_OK);
        trace_sweep_refs(s, packed, refs.n);
        assert_int_equal(trace_sweep_faults(s, faults), PS_OK);
        trace_sweep_free(s);
        assert_memory_equal(faults, p ? fifo : lru, sizeof faults);
    }
    trace_refs_free(&refs);
}

/* An allocator that counts the bytes it holds, and their peak. */
typedef struct counting {
    ps_alloc_t alloc;
    size_t held, peak;
} counting_t;

static void *counting_fn(void *ud, void *ptr, size_t osize, size_t nsize)
{
    counting_t *c = ud;
    if (nsize == 0) {
        free(ptr);
        c->held -= ptr ? osize : 0;
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (!p) return NULL;
    c->held += nsize - (ptr ? osize : 0);
    if (c->held > c->peak) c->peak = c->held;
    return p;
}

static void trace__opt__holds_at_most_8_bytes_a_reference(void **state)
{
    (void)state;
    trace_refs_t refs = generated(200000);
    uint32_t *packed = malloc(refs.n * sizeof *packed);
    assert_non_null(packed);
    pack(&refs, packed);
    counting_t c = { { counting_fn, &c }, 0, 0 };
    trace_opt_t *o;
    uint64_t n = 5 * refs.n; /* a million references: four chunks, the last one nearly full */
    assert_int_equal(trace_opt_new(&c.alloc, n, &o), PS_OK);
    for (int k = 0; k < 5; k++)
        for (size_t at = 0; at < refs.n; at += 1000) assert_int_equal(trace_opt_add(o, packed + at, 1000), PS_OK);
    assert_int_equal(trace_opt_count(o), n);
    trace_result_t r;
    assert_int_equal(trace_opt_run(o, 64, 16, &r), PS_OK);
    assert_int_equal(r.references, n);
    trace_opt_free(o);
    assert_int_equal(c.held, 0);
    /* 8 bytes a reference (allocated in chunks of 2 MB), and the machine
     * and the next-use tables, less than 512 KB. */
    size_t store = ((size_t)n * 8 + (2u << 20) - 1) / (2u << 20) * (2u << 20);
    if (c.peak > store + (512u << 10))
        fail_msg("OPT held %zu bytes at its peak for %llu references", c.peak, (unsigned long long)n);
    free(packed);
    trace_refs_free(&refs);
}

static void trace__opt__past_its_limit__takes_no_more(void **state)
{
    (void)state;
    uint32_t packed[8] = { TRACE_REF(1, 0), TRACE_REF(2, 1), TRACE_REF(3, 0), TRACE_REF(1, 0),
                           TRACE_REF(4, 0), TRACE_REF(1, 1), TRACE_REF(2, 0), TRACE_REF(3, 0) };
    trace_opt_t *o;
    assert_int_equal(trace_opt_new(NULL, 10, &o), PS_OK);
    assert_int_equal(trace_opt_add(o, packed, 8), PS_OK);
    assert_int_equal(trace_opt_add(o, packed, 3), PS_ERANGE);
    assert_int_equal(trace_opt_count(o), 8);
    assert_int_equal(trace_opt_add(o, packed, 1), PS_ERANGE);
    trace_result_t r;
    assert_int_equal(trace_opt_run(o, 2, 0, &r), PS_ERANGE);
    trace_opt_free(o);
    assert_int_equal(trace_opt_new(NULL, TRACE_OPT_MAX + 1, &o), PS_EINVAL);
}

static void no_batch(void *ud, const uint32_t *refs, size_t n)
{
    (void)refs;
    *(size_t *)ud += n;
}

static void trace__feed__a_line_past_the_limit__is_refused_where_it_passes_it(void **state)
{
    (void)state;
    trace_cursor_t c;
    scn_error_t err;
    size_t n = 0;
    trace_cursor_init(&c, TRACE_REFS, 8);
    assert_int_equal(trace_feed(&c, "1 2\n12345 1 2\n3", 16, no_batch, &n, &err), PS_EINVAL);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 9);
    assert_string_equal(err.msg, "line longer than 8 bytes");
    trace_cursor_init(&c, TRACE_REFS, 8);
    assert_int_equal(trace_feed(&c, "1 2\n1 x 2 3 44 5\n", 18, no_batch, &n, &err), PS_EINVAL);
    assert_int_equal(err.col, 9); /* the long line wins over the bad reference in it */
    trace_cursor_init(&c, TRACE_LACKEY, 12);
    const char *t = " L 1000,4\n S 2000,4 and more\n";
    assert_int_equal(trace_feed(&c, t, strlen(t), no_batch, &n, &err), PS_EINVAL);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 13);
    trace_cursor_init(&c, TRACE_LACKEY, 12);
    n = 0;
    t = " L 1000,4\n S 2000,4\n";
    assert_int_equal(trace_feed(&c, t, strlen(t), no_batch, &n, &err), PS_OK);
    assert_int_equal(n, 2);
    assert_int_equal(c.line, 3);
}

static void collect_one(void *ud, uint32_t vpn, bool write)
{
    trace_refs_t *r = ud;
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->ref = realloc(r->ref, r->cap * sizeof *r->ref);
        assert_non_null(r->ref);
    }
    r->ref[r->n].vpn = vpn;
    r->ref[r->n++].write = write;
}

static void trace__lackey__a_line_at_a_time__parses_as_the_whole_text(void **state)
{
    (void)state;
    /* The last line without a newline, a hex address of 9 to 17 digits
     * (leading zeros do not make it wide), sizes of several digits. */
    const char *t = "==1== x\nI  0400d7d4,3\n L 1ffefff8f8,8\n S 00000000004001ff8,16\n M 10000000000000000,4\n"
                    "I  04000ffe,4096\n\n   \nI  ABCDEF12,2\r\n L 7,1";
    trace_refs_t whole;
    scn_error_t err;
    assert_int_equal(trace_parse(NULL, TRACE_LACKEY, t, strlen(t), &whole, &err), PS_OK);
    static const uint32_t want[] = { 0x0400d, 0xfefff, 0x04001, 0x04002, 0x00000, 0x04000, 0x04001, 0xABCDE, 0x00000 };
    assert_int_equal(whole.n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < whole.n; i++) assert_int_equal(whole.ref[i].vpn, want[i]);
    assert_int_equal(whole.truncated, 2);
    trace_refs_t pieces;
    memset(&pieces, 0, sizeof pieces);
    pieces.alloc = ps_default_alloc();
    uint32_t line = 1;
    for (const char *l = t; *l; line++) {
        const char *nl = strchr(l, '\n');
        size_t len = nl ? (size_t)(nl - l) + 1 : strlen(l);
        assert_int_equal(trace_parse_lines(TRACE_LACKEY, l, len, line, collect_one, &pieces, &pieces.truncated, &err),
                         PS_OK);
        l += len;
    }
    assert_int_equal(pieces.n, whole.n);
    assert_int_equal(pieces.truncated, whole.truncated);
    for (size_t i = 0; i < whole.n; i++) {
        assert_int_equal(pieces.ref[i].vpn, whole.ref[i].vpn);
        assert_int_equal(pieces.ref[i].write, whole.ref[i].write);
    }
    free(pieces.ref);
    trace_refs_free(&whole);
}

static void trace__out_of_memory__anywhere__fails_cleanly(void **state)
{
    (void)state;
    trace_refs_t refs = generated(20000);
    uint32_t *packed = malloc(refs.n * sizeof *packed);
    assert_non_null(packed);
    pack(&refs, packed);
    for (int what = 0; what < 3; what++) {
        bool done = false;
        for (long at = 0; !done && at < 10000; at++) {
            failing_alloc_t fa;
            failing_alloc_init(&fa, at);
            ps_result_t r;
            trace_result_t res;
            if (what == 0) {
                trace_sweep_t *s;
                uint64_t faults[4];
                r = trace_sweep_new(&fa.alloc, TRACE_LRU, 1, 4, &s);
                if (r == PS_OK) {
                    trace_sweep_refs(s, packed, refs.n);
                    r = trace_sweep_faults(s, faults);
                    trace_sweep_free(s);
                }
            } else if (what == 1) {
                trace_opt_t *o;
                r = trace_opt_new(&fa.alloc, refs.n, &o);
                if (r == PS_OK) r = trace_opt_add(o, packed, refs.n);
                if (r == PS_OK) r = trace_opt_run(o, 16, 4, &res);
                trace_opt_free(o);
            } else {
                trace_sim_t *t;
                r = trace_sim_new(&fa.alloc, 16, TRACE_CLOCK, 4, &t);
                if (r == PS_OK) {
                    trace_sim_refs(t, packed, refs.n);
                    r = trace_sim_result(t, &res);
                    trace_sim_free(t);
                }
            }
            assert_true(r == PS_OK || r == PS_ENOMEM);
            assert_int_equal(fa.live, 0);
            done = r == PS_OK;
        }
        assert_true(done);
    }
    free(packed);
    trace_refs_free(&refs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(trace__classic_string__gives_the_textbook_fault_counts),
        cmocka_unit_test(trace__fifo__shows_beladys_anomaly),
        cmocka_unit_test(trace__evicting_a_written_page__writes_it_to_the_page_file),
        cmocka_unit_test(trace__lackey__splits_accesses_that_cross_pages),
        cmocka_unit_test(trace__bad_input__names_the_line),
        cmocka_unit_test(trace__tlb__hits_repeated_pages_and_forgets_evicted_ones),
        cmocka_unit_test(trace__generated_trace__keeps_the_counts_it_had_one_reference_at_a_time),
        cmocka_unit_test(trace__sweep__gives_each_count_a_single_run_gives),
        cmocka_unit_test(trace__sweep__classic_string__gives_the_textbook_curve),
        cmocka_unit_test(trace__opt__holds_at_most_8_bytes_a_reference),
        cmocka_unit_test(trace__opt__past_its_limit__takes_no_more),
        cmocka_unit_test(trace__feed__a_line_past_the_limit__is_refused_where_it_passes_it),
        cmocka_unit_test(trace__lackey__a_line_at_a_time__parses_as_the_whole_text),
        cmocka_unit_test(trace__out_of_memory__anywhere__fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
