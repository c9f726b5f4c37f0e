/* sim.trace: trace parsing and replay through the replacement policies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(trace__classic_string__gives_the_textbook_fault_counts),
        cmocka_unit_test(trace__fifo__shows_beladys_anomaly),
        cmocka_unit_test(trace__evicting_a_written_page__writes_it_to_the_page_file),
        cmocka_unit_test(trace__lackey__splits_accesses_that_cross_pages),
        cmocka_unit_test(trace__bad_input__names_the_line),
        cmocka_unit_test(trace__tlb__hits_repeated_pages_and_forgets_evicted_ones),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
