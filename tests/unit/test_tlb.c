/* sim.tlb: TLB slots, hash index and LRU replacement. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tlb.h"

static void init(tlb_t *t, uint32_t cap)
{
    assert_int_equal(tlb_init(t, ps_default_alloc(), cap), PS_OK);
}

static void tlb__insert_then_lookup__finds_4k_and_4m_entries(void **state)
{
    (void)state;
    tlb_t t;
    init(&t, 8);
    tlb_insert(&t, 0x12345678, 0x40000000, TLB_RW | TLB_US, NULL);
    tlb_insert(&t, 0x80123456, 0x00000000, TLB_LARGE | TLB_GLOBAL, NULL);
    tlb_entry_t *e = tlb_lookup(&t, 0x12345FFF);
    assert_non_null(e);
    assert_int_equal(e->frame, 0x40000000);
    assert_null(tlb_lookup(&t, 0x12346000));
    e = tlb_lookup(&t, 0x803FFFFF);
    assert_non_null(e);
    assert_true(e->flags & TLB_LARGE);
    assert_int_equal(t.count, 2);
    tlb_fini(&t);
}

static void tlb__full__evicts_the_least_recently_used(void **state)
{
    (void)state;
    tlb_t t;
    init(&t, 2);
    tlb_entry_t old;
    assert_false(tlb_insert(&t, 0x1000, 0xA000, 0, &old));
    assert_false(tlb_insert(&t, 0x2000, 0xB000, 0, &old));
    assert_non_null(tlb_lookup(&t, 0x1000)); /* 0x1000 is now the most recent */
    assert_true(tlb_insert(&t, 0x3000, 0xC000, 0, &old));
    assert_int_equal(old.tag, 0x2);
    assert_null(tlb_lookup(&t, 0x2000));
    assert_non_null(tlb_lookup(&t, 0x1000));
    tlb_fini(&t);
}

static void tlb__invalidate__removes_both_sizes(void **state)
{
    (void)state;
    tlb_t t;
    init(&t, 8);
    tlb_insert(&t, 0x00400000, 0x1000, 0, NULL);
    tlb_insert(&t, 0x00400000, 0x00C00000, TLB_LARGE, NULL);
    assert_int_equal(tlb_invalidate(&t, 0x00400123), 2);
    assert_int_equal(t.count, 0);
    assert_int_equal(t.nlarge, 0);
    tlb_fini(&t);
}

static void tlb__flush__keeps_globals_unless_asked(void **state)
{
    (void)state;
    tlb_t t;
    init(&t, 8);
    tlb_insert(&t, 0x1000, 0xA000, TLB_GLOBAL, NULL);
    tlb_insert(&t, 0x2000, 0xB000, 0, NULL);
    tlb_flush(&t, false);
    assert_int_equal(t.count, 1);
    assert_non_null(tlb_lookup(&t, 0x1000));
    tlb_flush(&t, true);
    assert_int_equal(t.count, 0);
    tlb_fini(&t);
}

static void tlb__same_tag_again__replaces_without_growing(void **state)
{
    (void)state;
    tlb_t t;
    init(&t, 4);
    tlb_insert(&t, 0x5000, 0xA000, 0, NULL);
    tlb_insert(&t, 0x5000, 0xB000, TLB_DIRTY, NULL);
    assert_int_equal(t.count, 1);
    assert_int_equal(tlb_lookup(&t, 0x5000)->frame, 0xB000);
    tlb_fini(&t);
}

static void tlb__capacity_one__always_holds_the_last(void **state)
{
    (void)state;
    tlb_t t;
    init(&t, 1);
    for (uint32_t i = 1; i <= 5; i++) tlb_insert(&t, i << 12, i << 20, 0, NULL);
    assert_int_equal(t.count, 1);
    assert_non_null(tlb_lookup(&t, 5u << 12));
    assert_null(tlb_lookup(&t, 4u << 12));
    tlb_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tlb__insert_then_lookup__finds_4k_and_4m_entries),
        cmocka_unit_test(tlb__full__evicts_the_least_recently_used),
        cmocka_unit_test(tlb__invalidate__removes_both_sizes),
        cmocka_unit_test(tlb__flush__keeps_globals_unless_asked),
        cmocka_unit_test(tlb__same_tag_again__replaces_without_growing),
        cmocka_unit_test(tlb__capacity_one__always_holds_the_last),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
