/* sim.walk: the MMU: the two-level walk, rights, A/D flags, TLB, hooks
 * (Intel SDM vol. 3A 4.3, 4.6, 4.7, 4.8, 4.10). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "failing_alloc.h"
#include "pagesim/mmu.h"

#define DIR 0x00100000u

static mmu_t *machine(uint32_t tlb)
{
    mmu_config_t cfg = { 64u << 20, tlb };
    mmu_t *m = NULL;
    assert_int_equal(mmu_new(NULL, &cfg, &m), PS_OK);
    mmu_set_cr3(m, DIR);
    return m;
}

static void poke(mmu_t *m, uint32_t a, uint32_t v)
{
    assert_int_equal(phys_write32(mmu_phys(m), a, v), PS_OK);
}

static uint32_t peek(mmu_t *m, uint32_t a)
{
    return phys_read32(mmu_phys(m), a);
}

/* 0x00400000: PDE 1 -> table 0x00200000; PTE 0 -> frame 0x00300000. */
static mmu_t *one_page(uint32_t tlb, uint32_t pde_bits, uint32_t pte_bits)
{
    mmu_t *m = machine(tlb);
    poke(m, DIR + 4, 0x00200000 | pde_bits);
    poke(m, 0x00200000, 0x00300000 | pte_bits);
    return m;
}

static void peek_cr3__other_directory__walks_it_and_changes_nothing(void **state)
{
    (void)state;
    mmu_t *m = one_page(64, 0x7, 0x7);
    /* A second directory at 0x00500000 maps 0x00400000 to frame 0x00600000. */
    poke(m, 0x00500000 + 4, 0x00510000 | 0x7);
    poke(m, 0x00510000, 0x00600000 | 0x7);
    mmu_walk_t w;
    mmu_peek_cr3(m, 0x00500000, 0x00400123, MMU_WRITE, MMU_USER, &w);
    assert_int_equal(w.reason, MMU_OK);
    assert_int_equal(w.cr3, 0x00500000);
    assert_int_equal(w.level[0].entry_addr, 0x00500004);
    assert_int_equal(w.phys, 0x00600123);
    assert_int_equal(w.tlb, MMU_TLB_OFF);
    /* The loaded directory, its flags, the TLB and the counters are as they were. */
    assert_int_equal(mmu_cr3(m), DIR);
    assert_int_equal(peek(m, 0x00510000), 0x00600007);
    assert_int_equal(mmu_stats(m)->translations, 0);
    mmu_peek(m, 0x00400123, MMU_READ, MMU_USER, &w);
    assert_int_equal(w.phys, 0x00300123);
    mmu_free(m);
}

static void walk__seed_example__gives_0x40000678(void **state)
{
    (void)state;
    mmu_config_t cfg = { PHYS_MAX_SIZE, 64 };
    mmu_t *m;
    assert_int_equal(mmu_new(NULL, &cfg, &m), PS_OK);
    mmu_set_cr3(m, DIR);
    poke(m, 0x00100120, 0xA0000007);
    poke(m, 0xA0000D14, 0x40000007);
    mmu_walk_t w;
    assert_int_equal(mmu_translate(m, 0x12345678, MMU_READ, MMU_USER, &w), MMU_OK);
    assert_int_equal(w.phys, 0x40000678);
    assert_int_equal(w.level[0].index, 0x48);
    assert_int_equal(w.level[0].entry_addr, 0x00100120);
    assert_int_equal(w.level[1].index, 0x345);
    assert_int_equal(w.level[1].entry_addr, 0xA0000D14);
    assert_int_equal(w.nlevels, 2);
    mmu_free(m);
}

static void walk__pde_not_present__faults_with_codes_0_2_4_6(void **state)
{
    (void)state;
    mmu_t *m = machine(0);
    mmu_walk_t w;
    assert_int_equal(mmu_translate(m, 0x00400000, MMU_READ, MMU_KERNEL, &w), MMU_PDE_NOT_PRESENT);
    assert_int_equal(w.error_code, 0);
    assert_int_equal(w.nlevels, 1);
    mmu_translate(m, 0x00400000, MMU_WRITE, MMU_KERNEL, &w);
    assert_int_equal(w.error_code, 2);
    mmu_translate(m, 0x00400000, MMU_READ, MMU_USER, &w);
    assert_int_equal(w.error_code, 4);
    mmu_translate(m, 0x00400000, MMU_WRITE, MMU_USER, &w);
    assert_int_equal(w.error_code, 6);
    mmu_free(m);
}

static void walk__pte_not_present__faults_at_the_second_level(void **state)
{
    (void)state;
    mmu_t *m = one_page(0, X86_P | X86_RW | X86_US, X86_RW | X86_US);
    mmu_walk_t w;
    assert_int_equal(mmu_translate(m, 0x00400000, MMU_READ, MMU_USER, &w), MMU_PTE_NOT_PRESENT);
    assert_int_equal(w.error_code, 4);
    assert_int_equal(w.nlevels, 2);
    mmu_free(m);
}

static void walk__user_read_of_supervisor_page__faults_with_code_5(void **state)
{
    (void)state;
    mmu_t *m = one_page(0, X86_P | X86_RW | X86_US, X86_P | X86_RW);
    mmu_walk_t w;
    assert_int_equal(mmu_translate(m, 0x00400000, MMU_READ, MMU_USER, &w), MMU_USER_SUPERVISOR);
    assert_int_equal(w.error_code, 5);
    assert_int_equal(mmu_translate(m, 0x00400000, MMU_READ, MMU_KERNEL, &w), MMU_OK);
    mmu_free(m);
}

static void walk__write_to_read_only__obeys_cr0_wp(void **state)
{
    (void)state;
    mmu_t *m = one_page(0, X86_P | X86_RW | X86_US, X86_P | X86_US);
    mmu_walk_t w;
    assert_int_equal(mmu_translate(m, 0x00400000, MMU_WRITE, MMU_USER, &w), MMU_USER_WRITE_RO);
    assert_int_equal(w.error_code, 7);
    assert_int_equal(mmu_translate(m, 0x00400000, MMU_WRITE, MMU_KERNEL, &w), MMU_OK);
    mmu_set_cr0(m, mmu_cr0(m) | X86_CR0_WP);
    assert_int_equal(mmu_translate(m, 0x00400000, MMU_WRITE, MMU_KERNEL, &w), MMU_KERNEL_WRITE_RO);
    assert_int_equal(w.error_code, 3);
    mmu_free(m);
}

static void walk__rights__are_the_and_of_both_levels(void **state)
{
    (void)state;
    mmu_t *m = one_page(0, X86_P | X86_US, X86_P | X86_RW | X86_US);
    mmu_walk_t w;
    assert_int_equal(mmu_translate(m, 0x00400000, MMU_WRITE, MMU_USER, &w), MMU_USER_WRITE_RO);
    assert_false(w.rw);
    assert_true(w.us);
    mmu_free(m);
}

static void walk__4mb_page__needs_cr4_pse(void **state)
{
    (void)state;
    mmu_t *m = machine(0);
    poke(m, DIR + 8, 0x00C00000 | X86_P | X86_RW | X86_US | X86_PS);
    poke(m, 0x00C00000 + 0x12 * 4, 0x01000007);
    mmu_walk_t w;
    mmu_set_cr4(m, X86_CR4_PSE);
    assert_int_equal(mmu_translate(m, 0x00812345, MMU_READ, MMU_USER, &w), MMU_OK);
    assert_true(w.large);
    assert_int_equal(w.phys, 0x00C12345);
    assert_int_equal(w.nlevels, 1);
    mmu_set_cr4(m, 0);
    assert_int_equal(mmu_translate(m, 0x00812345, MMU_READ, MMU_USER, &w), MMU_OK);
    assert_false(w.large);
    assert_int_equal(w.phys, 0x01000345);
    mmu_free(m);
}

static void walk__reserved_bit_in_4mb_pde__faults_with_rsvd(void **state)
{
    (void)state;
    mmu_t *m = machine(0);
    mmu_set_cr4(m, X86_CR4_PSE);
    poke(m, DIR + 8, 0x00C02000 | X86_P | X86_RW | X86_US | X86_PS);
    mmu_walk_t w;
    assert_int_equal(mmu_translate(m, 0x00800000, MMU_READ, MMU_USER, &w), MMU_PDE_RESERVED);
    assert_int_equal(w.error_code, X86_PF_P | X86_PF_RSVD | X86_PF_US);
    mmu_free(m);
}

static void walk__accessed_and_dirty__are_set_only_when_allowed(void **state)
{
    (void)state;
    mmu_t *m = one_page(0, X86_P | X86_RW | X86_US, X86_P | X86_RW | X86_US);
    poke(m, 0x00200004, 0x00301000 | X86_P | X86_US);
    mmu_walk_t w;
    mmu_translate(m, 0x00400000, MMU_READ, MMU_USER, &w);
    assert_int_equal(peek(m, DIR + 4), 0x00200000 | 0x27);
    assert_int_equal(peek(m, 0x00200000), 0x00300000 | 0x27);
    mmu_translate(m, 0x00400000, MMU_WRITE, MMU_USER, &w);
    assert_int_equal(peek(m, 0x00200000), 0x00300000 | 0x67);
    assert_int_equal(peek(m, DIR + 4) & X86_D, 0);
    assert_int_equal(mmu_translate(m, 0x00401000, MMU_WRITE, MMU_USER, &w), MMU_USER_WRITE_RO);
    assert_int_equal(peek(m, 0x00200004), 0x00301000 | X86_P | X86_US);
    mmu_free(m);
}

static void walk__dirty_of_a_4mb_page__goes_in_the_pde(void **state)
{
    (void)state;
    mmu_t *m = machine(0);
    mmu_set_cr4(m, X86_CR4_PSE);
    poke(m, DIR + 8, 0x00C00000 | X86_P | X86_RW | X86_US | X86_PS);
    mmu_walk_t w;
    mmu_translate(m, 0x00800000, MMU_WRITE, MMU_USER, &w);
    assert_int_equal(peek(m, DIR + 8), 0x00C00000 | 0xE7);
    mmu_free(m);
}

static void walk__stale_tlb_entry__is_used_until_invlpg(void **state)
{
    (void)state;
    mmu_t *m = one_page(8, X86_P | X86_RW | X86_US, X86_P | X86_RW | X86_US);
    mmu_walk_t w;
    mmu_translate(m, 0x00400010, MMU_READ, MMU_USER, &w);
    assert_int_equal(w.tlb, MMU_TLB_MISS);
    poke(m, 0x00200000, 0x00500007);
    mmu_translate(m, 0x00400010, MMU_READ, MMU_USER, &w);
    assert_int_equal(w.tlb, MMU_TLB_HIT);
    assert_int_equal(w.phys, 0x00300010);
    mmu_invlpg(m, 0x00400000);
    mmu_translate(m, 0x00400010, MMU_READ, MMU_USER, &w);
    assert_int_equal(w.tlb, MMU_TLB_MISS);
    assert_int_equal(w.phys, 0x00500010);
    mmu_free(m);
}

static void walk__global_entry__survives_cr3_only_with_pge(void **state)
{
    (void)state;
    mmu_t *m = one_page(8, X86_P | X86_RW, X86_P | X86_RW | X86_G);
    mmu_walk_t w;
    mmu_set_cr4(m, X86_CR4_PGE);
    mmu_translate(m, 0x00400000, MMU_READ, MMU_KERNEL, &w);
    assert_true(w.global);
    mmu_set_cr3(m, DIR);
    mmu_translate(m, 0x00400000, MMU_READ, MMU_KERNEL, &w);
    assert_int_equal(w.tlb, MMU_TLB_HIT);
    mmu_set_cr4(m, 0); /* a change of PGE flushes everything */
    assert_int_equal(mmu_tlb_count(m), 0);
    mmu_translate(m, 0x00400000, MMU_READ, MMU_KERNEL, &w);
    assert_false(w.global);
    mmu_set_cr3(m, DIR);
    mmu_translate(m, 0x00400000, MMU_READ, MMU_KERNEL, &w);
    assert_int_equal(w.tlb, MMU_TLB_MISS);
    mmu_free(m);
}

static void walk__page_fault__invalidates_the_entry(void **state)
{
    (void)state;
    mmu_t *m = one_page(8, X86_P | X86_RW | X86_US, X86_P | X86_US);
    mmu_walk_t w;
    mmu_translate(m, 0x00400000, MMU_READ, MMU_USER, &w);
    assert_int_equal(mmu_tlb_count(m), 1);
    assert_int_equal(mmu_translate(m, 0x00400000, MMU_WRITE, MMU_USER, &w), MMU_USER_WRITE_RO);
    assert_int_equal(mmu_tlb_count(m), 0);
    mmu_free(m);
}

static void walk__write_through_clean_entry__walks_and_sets_dirty(void **state)
{
    (void)state;
    mmu_t *m = one_page(8, X86_P | X86_RW | X86_US, X86_P | X86_RW | X86_US);
    mmu_walk_t w;
    mmu_translate(m, 0x00400000, MMU_READ, MMU_USER, &w);
    mmu_translate(m, 0x00400000, MMU_WRITE, MMU_USER, &w);
    assert_int_equal(w.tlb, MMU_TLB_MISS);
    assert_true(peek(m, 0x00200000) & X86_D);
    mmu_translate(m, 0x00400000, MMU_WRITE, MMU_USER, &w);
    assert_int_equal(w.tlb, MMU_TLB_HIT);
    mmu_free(m);
}

static void walk__fast_path__agrees_with_the_full_walk(void **state)
{
    (void)state;
    mmu_t *m = one_page(8, X86_P | X86_RW | X86_US, X86_P | X86_US);
    uint32_t pa = 0;
    assert_int_equal(mmu_access(m, 0x00400123, MMU_READ, MMU_USER, &pa), 0);
    assert_int_equal(pa, 0x00300123);
    assert_int_equal(mmu_access(m, 0x00400123, MMU_READ, MMU_USER, &pa), 0); /* a hit */
    assert_int_equal(mmu_access(m, 0x00400123, MMU_WRITE, MMU_USER, &pa), MMU_FAULT | 7);
    assert_int_equal(mmu_access(m, 0x00800000, MMU_READ, MMU_KERNEL, &pa), MMU_FAULT | 0);
    assert_int_equal(mmu_stats(m)->tlb_hits, 1);
    mmu_free(m);
}

static int walks_seen, fills_seen, evicts_seen, invalidates_seen;

static void on_walk(void *ud, const mmu_walk_t *w)
{
    (void)ud;
    (void)w;
    walks_seen++;
}

static void on_tlb(void *ud, mmu_tlb_event_t ev, const mmu_tlb_info_t *e)
{
    (void)ud;
    (void)e;
    if (ev == MMU_TLB_FILL) fills_seen++;
    if (ev == MMU_TLB_EVICT) evicts_seen++;
    if (ev == MMU_TLB_INVALIDATE) invalidates_seen++;
}

static void walk__hooks__see_every_translation_and_tlb_event(void **state)
{
    (void)state;
    mmu_t *m = one_page(1, X86_P | X86_RW | X86_US, X86_P | X86_RW | X86_US);
    poke(m, 0x00200004, 0x00301007);
    mmu_hooks_t h = { on_walk, on_tlb, NULL };
    mmu_set_hooks(m, &h);
    walks_seen = fills_seen = evicts_seen = 0;
    uint32_t pa;
    mmu_access(m, 0x00400000, MMU_READ, MMU_USER, &pa);
    mmu_access(m, 0x00401000, MMU_READ, MMU_USER, &pa);
    assert_int_equal(walks_seen, 2);
    assert_int_equal(fills_seen, 2);
    assert_int_equal(evicts_seen, 1);
    mmu_free(m);
}

/* A page fault drops the faulting address's entries (SDM 4.10.4.2): the
 * hook, which reports every entry that enters or leaves, sees it leave,
 * and no invlpg is counted (the processor did it, not an instruction). */
static void walk__hooks__see_a_faulting_entry_leave(void **state)
{
    (void)state;
    mmu_t *m = one_page(8, X86_P | X86_RW | X86_US, X86_P | X86_US);
    mmu_hooks_t h = { on_walk, on_tlb, NULL };
    mmu_set_hooks(m, &h);
    walks_seen = fills_seen = evicts_seen = invalidates_seen = 0;
    uint32_t pa;
    assert_int_equal(mmu_access(m, 0x00400000, MMU_READ, MMU_USER, &pa), 0);
    assert_int_equal(fills_seen, 1);
    assert_int_equal(mmu_tlb_count(m), 1);
    assert_int_equal(mmu_access(m, 0x00400000, MMU_WRITE, MMU_USER, &pa), MMU_FAULT | 7);
    assert_int_equal(invalidates_seen, 1);
    assert_int_equal(mmu_tlb_count(m), 0);
    assert_int_equal(mmu_stats(m)->invlpgs, 0);
    mmu_free(m);
}

static void walk__clone__is_independent(void **state)
{
    (void)state;
    mmu_t *m = one_page(8, X86_P | X86_RW | X86_US, X86_P | X86_RW | X86_US);
    mmu_t *c = mmu_clone(m);
    assert_non_null(c);
    poke(m, 0x00200000, 0x00500007);
    mmu_walk_t w;
    mmu_translate(c, 0x00400000, MMU_READ, MMU_USER, &w);
    assert_int_equal(w.phys, 0x00300000);
    mmu_free(c);
    mmu_free(m);
}

static void walk__no_tlb__walks_every_time(void **state)
{
    (void)state;
    mmu_t *m = one_page(0, X86_P | X86_RW | X86_US, X86_P | X86_RW | X86_US);
    mmu_walk_t w;
    mmu_translate(m, 0x00400000, MMU_READ, MMU_USER, &w);
    mmu_translate(m, 0x00400000, MMU_READ, MMU_USER, &w);
    assert_int_equal(w.tlb, MMU_TLB_OFF);
    assert_int_equal(mmu_stats(m)->walks, 2);
    mmu_free(m);
}

static void walk__allocation_failures__are_reported(void **state)
{
    (void)state;
    for (long n = 0; n < 6; n++) {
        failing_alloc_t fa;
        failing_alloc_init(&fa, n);
        mmu_config_t cfg = { 1u << 20, 16 };
        mmu_t *m = NULL;
        ps_result_t r = mmu_new(&fa.alloc, &cfg, &m);
        if (r == PS_OK) {
            mmu_t *c = mmu_clone(m);
            mmu_free(c);
            mmu_free(m);
        } else {
            assert_int_equal(r, PS_ENOMEM);
            assert_null(m);
        }
        assert_int_equal(fa.live, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(walk__seed_example__gives_0x40000678),
        cmocka_unit_test(peek_cr3__other_directory__walks_it_and_changes_nothing),
        cmocka_unit_test(walk__pde_not_present__faults_with_codes_0_2_4_6),
        cmocka_unit_test(walk__pte_not_present__faults_at_the_second_level),
        cmocka_unit_test(walk__user_read_of_supervisor_page__faults_with_code_5),
        cmocka_unit_test(walk__write_to_read_only__obeys_cr0_wp),
        cmocka_unit_test(walk__rights__are_the_and_of_both_levels),
        cmocka_unit_test(walk__4mb_page__needs_cr4_pse),
        cmocka_unit_test(walk__reserved_bit_in_4mb_pde__faults_with_rsvd),
        cmocka_unit_test(walk__accessed_and_dirty__are_set_only_when_allowed),
        cmocka_unit_test(walk__dirty_of_a_4mb_page__goes_in_the_pde),
        cmocka_unit_test(walk__stale_tlb_entry__is_used_until_invlpg),
        cmocka_unit_test(walk__global_entry__survives_cr3_only_with_pge),
        cmocka_unit_test(walk__page_fault__invalidates_the_entry),
        cmocka_unit_test(walk__write_through_clean_entry__walks_and_sets_dirty),
        cmocka_unit_test(walk__fast_path__agrees_with_the_full_walk),
        cmocka_unit_test(walk__hooks__see_every_translation_and_tlb_event),
        cmocka_unit_test(walk__hooks__see_a_faulting_entry_leave),
        cmocka_unit_test(walk__clone__is_independent),
        cmocka_unit_test(walk__no_tlb__walks_every_time),
        cmocka_unit_test(walk__allocation_failures__are_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
