/* sim.mm: the memory manager's rules through its API: rounding, placement,
 * commit, decommit, release, protection, queries, guard pages, page
 * tables, commit charge and the working set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "failing_alloc.h"
#include "pagesim/inspect.h"
#include "pagesim/mm.h"

enum {
    COMMIT = 0x1000, RESERVE = 0x2000, DECOMMIT = 0x4000, RELEASE = 0x8000, RESET = 0x80000, TOP_DOWN = 0x100000,
    NOACCESS = 1, RO = 2, RW = 4, WC = 8, ER = 0x20, GUARD = 0x100,
    E_NOMEM = 8, E_PARAM = 87, E_ADDR = 487, E_LIMIT = 1455,
    S_COMMIT = 0x1000, S_RESERVE = 0x2000, S_FREE = 0x10000,
};

typedef struct fixture {
    mm_t *mm;
    mm_process_t *p;
} fixture_t;

static fixture_t setup(uint64_t ram, uint64_t pagefile)
{
    mm_config_t cfg;
    mm_config_default(&cfg);
    cfg.layout_empty = true;
    if (ram) cfg.ram = ram;
    if (ram) cfg.pagefile = pagefile;
    fixture_t f;
    assert_int_equal(mm_new(NULL, &cfg, &f.mm), PS_OK);
    f.p = mm_current(f.mm);
    return f;
}

static uint32_t alloc(fixture_t *f, uint32_t addr, uint32_t size, uint32_t type, uint32_t prot)
{
    uint32_t base = 0xDEAD;
    uint32_t e = mm_virtual_alloc(f->p, addr, size, type, prot, &base, NULL);
    return e ? 0 : base;
}

static mm_mbi_t query(fixture_t *f, uint32_t addr)
{
    mm_mbi_t m;
    assert_int_equal(mm_virtual_query(f->p, addr, &m, NULL), 0);
    return m;
}

static mm_stats_t stats(fixture_t *f)
{
    mm_stats_t s;
    mm_stats(f->p, &s);
    return s;
}

static void mm__reserve__rounds_base_down_to_64k_and_end_up_to_a_page(void **state)
{
    (void)state;
    fixture_t f = setup(0, 0);
    assert_int_equal(alloc(&f, 0x10000000, 62 * 1024, RESERVE, RW), 0x10000000);
    assert_int_equal(query(&f, 0x10000000).RegionSize, 0x10000);
    assert_int_equal(alloc(&f, 0x10011234, 0x1000, RESERVE, RW), 0x10010000);
    mm_mbi_t m = query(&f, 0x10010000);
    assert_int_equal(m.RegionSize, 0x3000);
    assert_int_equal(m.State, S_RESERVE);
    assert_int_equal(alloc(&f, 0, 0x1001, RESERVE, RW) & 0xFFFF, 0);
    mm_free(f.mm);
}

static void mm__commit__covers_every_page_touched_by_the_range(void **state)
{
    (void)state;
    fixture_t f = setup(0, 0);
    uint32_t a = alloc(&f, 0x10000000, 0x10000, RESERVE, RW);
    assert_int_equal(alloc(&f, a + 0x800, 0x1800, COMMIT, RW), a);
    assert_int_equal(query(&f, a).RegionSize, 0x2000);
    assert_int_equal(query(&f, a + 0x2000).State, S_RESERVE);
    /* MEM_RESERVE|MEM_COMMIT at an unaligned address commits from the base. */
    assert_int_equal(alloc(&f, 0x10021000, 0x1000, RESERVE | COMMIT, RW), 0x10020000);
    mm_mbi_t m = query(&f, 0x10020000);
    assert_int_equal(m.State, S_COMMIT);
    assert_int_equal(m.RegionSize, 0x2000);
    mm_free(f.mm);
}

static void mm__bad_commits__fail_with_the_win32_codes(void **state)
{
    (void)state;
    fixture_t f = setup(0, 0);
    uint32_t base;
    assert_int_equal(mm_virtual_alloc(f.p, 0x10000000, 0x1000, COMMIT, RW, &base, NULL), E_ADDR);
    uint32_t a = alloc(&f, 0x10000000, 0x10000, RESERVE, RW);
    assert_int_equal(mm_virtual_alloc(f.p, a + 0xF000, 0x2000, COMMIT, RW, &base, NULL), E_ADDR);
    assert_int_equal(mm_virtual_alloc(f.p, a, 0, COMMIT, RW, &base, NULL), E_PARAM);
    assert_int_equal(mm_virtual_alloc(f.p, 0x80000000, 0x1000, RESERVE, RW, &base, NULL), E_PARAM);
    assert_int_equal(mm_virtual_alloc(f.p, 0x7FFF0000, 0x1000, RESERVE, RW, &base, NULL), E_PARAM);
    assert_int_equal(mm_virtual_alloc(f.p, a, 0xFFFFF000, COMMIT, RW, &base, NULL), E_PARAM);
    assert_int_equal(mm_virtual_alloc(f.p, 0x1000, 0x1000, RESERVE, RW, &base, NULL), E_ADDR);
    mm_free(f.mm);
}

static void mm__protections__are_validated(void **state)
{
    (void)state;
    fixture_t f = setup(0, 0);
    uint32_t a = alloc(&f, 0x10000000, 0x10000, RESERVE, RW), base;
    const uint32_t bad[] = { 0, RO | RW, GUARD, NOACCESS | GUARD, RW | GUARD | 0x200, WC, 0x1000 };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(mm_virtual_alloc(f.p, a, 0x1000, COMMIT, bad[i], &base, NULL), E_PARAM);
    mm_free(f.mm);
}

static void mm__top_down__takes_the_highest_free_range(void **state)
{
    (void)state;
    fixture_t f = setup(0, 0);
    uint32_t low = alloc(&f, 0, 0x10000, RESERVE, RW);
    uint32_t high = alloc(&f, 0, 0x10000, RESERVE | TOP_DOWN, RW);
    assert_int_equal(low, 0x00010000);
    assert_int_equal(high, 0x7FFD0000); /* under KUSER_SHARED_DATA */
    mm_free(f.mm);
}

static void mm__recommit__keeps_data_and_takes_the_new_protection(void **state)
{
    (void)state;
    fixture_t f = setup(0, 0);
    uint32_t a = alloc(&f, 0x10000000, 0x10000, RESERVE | COMMIT, RW);
    mm_access_t acc = { 0 };
    assert_true(mm_write8(f.p, a + 5, 0x77, &acc));
    assert_int_equal(alloc(&f, a, 0x1000, COMMIT, RO), a);
    uint8_t v = 0;
    assert_true(mm_read8(f.p, a + 5, &v, &acc));
    assert_int_equal(v, 0x77);
    assert_false(mm_write8(f.p, a + 5, 1, &acc));
    assert_int_equal(acc.exception, 0xC0000005);
    assert_int_equal(query(&f, a).Protect, RO);
    mm_free(f.mm);
}

static void mm__free__needs_the_base_and_size_0_to_release(void **state)
{
    (void)state;
    fixture_t f = setup(0, 0);
    uint32_t a = alloc(&f, 0x10000000, 0x4000, RESERVE | COMMIT, RW);
    assert_int_equal(mm_virtual_free(f.p, a + 0x1000, 0, RELEASE, NULL), E_ADDR);
    assert_int_equal(mm_virtual_free(f.p, a, 0x4000, RELEASE, NULL), E_PARAM);
    assert_int_equal(mm_virtual_free(f.p, a, 0, 0, NULL), E_PARAM);
    assert_int_equal(mm_virtual_free(f.p, a, 0, DECOMMIT | RELEASE, NULL), E_PARAM);
    assert_int_equal(mm_virtual_free(f.p, a + 0x1000, 0, DECOMMIT, NULL), E_ADDR);
    assert_int_equal(mm_virtual_free(f.p, a + 0x1000, 0x1000, DECOMMIT, NULL), 0);
    assert_int_equal(query(&f, a + 0x1000).State, S_RESERVE);
    assert_int_equal(mm_virtual_free(f.p, a, 0x10000, DECOMMIT, NULL), E_PARAM);
    assert_int_equal(mm_virtual_free(f.p, 0x20000000, 0, RELEASE, NULL), E_ADDR);
    assert_int_equal(mm_virtual_free(f.p, a, 0, RELEASE, NULL), 0);
    assert_int_equal(query(&f, a).State, S_FREE);
    mm_free(f.mm);
}

static void mm__protect__reports_the_first_page_and_needs_commit(void **state)
{
    (void)state;
    fixture_t f = setup(0, 0);
    uint32_t a = alloc(&f, 0x10000000, 0x10000, RESERVE, NOACCESS), old = 0;
    alloc(&f, a, 0x1000, COMMIT, RO);
    alloc(&f, a + 0x1000, 0x1000, COMMIT, RW);
    assert_int_equal(mm_virtual_protect(f.p, a, 0x2000, ER, &old, NULL), 0);
    assert_int_equal(old, RO);
    assert_int_equal(mm_virtual_protect(f.p, a, 0x3000, RO, &old, NULL), E_ADDR);
    assert_int_equal(mm_virtual_protect(f.p, a, 0x1000, WC, &old, NULL), E_PARAM);
    assert_int_equal(mm_virtual_protect(f.p, 0x20000000, 0x1000, RO, &old, NULL), E_ADDR);
    mm_free(f.mm);
}

static void mm__query__splits_regions_and_describes_free_memory(void **state)
{
    (void)state;
    fixture_t f = setup(0, 0);
    uint32_t a = alloc(&f, 0x10000000, 0x8000, RESERVE, NOACCESS);
    alloc(&f, a + 0x2000, 0x2000, COMMIT, RW);
    mm_mbi_t m = query(&f, a + 0x1234);
    assert_int_equal(m.BaseAddress, a + 0x1000);
    assert_int_equal(m.RegionSize, 0x1000);
    assert_int_equal(m.State, S_RESERVE);
    assert_int_equal(m.Protect, 0);
    assert_int_equal(m.AllocationProtect, NOACCESS);
    m = query(&f, a + 0x2000);
    assert_int_equal(m.RegionSize, 0x2000);
    m = query(&f, a + 0x8000);
    assert_int_equal(m.State, S_FREE);
    assert_int_equal(m.AllocationBase, 0);
    assert_int_equal(m.Protect, NOACCESS);
    assert_int_equal(m.Type, 0);
    mm_mbi_t none;
    assert_int_equal(mm_virtual_query(f.p, 0x80000000, &none, NULL), E_PARAM);
    mm_free(f.mm);
}

static void mm__guard_page__fires_once(void **state)
{
    (void)state;
    fixture_t f = setup(0, 0);
    uint32_t a = alloc(&f, 0x10000000, 0x1000, RESERVE | COMMIT, RW | GUARD);
    mm_access_t acc = { 0 };
    uint8_t v;
    assert_false(mm_read8(f.p, a, &v, &acc));
    assert_int_equal(acc.exception, 0x80000001);
    assert_int_equal(query(&f, a).Protect, RW);
    assert_true(mm_read8(f.p, a, &v, &acc));
    assert_int_equal(v, 0);
    mm_free(f.mm);
}

/* Page tables are made by the first commit in their 4 MB and stay while a
 * decommitted PTE is in them (NT writes the decommitted PTE, not zero);
 * releasing the region frees them. */
static void mm__page_tables__come_with_commits_and_go_with_release(void **state)
{
    (void)state;
    fixture_t f = setup(0, 0);
    uint32_t before = stats(&f).page_table_pages;
    uint32_t a = alloc(&f, 0x10000000, 0x800000, RESERVE, RW);
    assert_int_equal(stats(&f).page_table_pages, before);
    alloc(&f, a, 0x1000, COMMIT, RW);
    alloc(&f, a + 0x400000, 0x1000, COMMIT, RW);
    assert_int_equal(stats(&f).page_table_pages, before + 2);
    assert_int_equal(mm_virtual_free(f.p, a, 0x1000, DECOMMIT, NULL), 0);
    assert_int_equal(stats(&f).page_table_pages, before + 2);
    mm_page_info_t pi;
    mm_page_info(f.p, a, &pi);
    assert_int_equal(pi.pte, 0x200);
    assert_int_equal(query(&f, a).State, 0x2000);
    assert_int_equal(mm_virtual_free(f.p, a, 0, RELEASE, NULL), 0);
    assert_int_equal(stats(&f).page_table_pages, before);
    mm_free(f.mm);
}

/* Reserving charges one page of commit for each page table the range will
 * need (here 16 MB: four); committing charges the pages, not the tables
 * again; releasing gives both back. */
static void mm__commit_charge__reservation_pays_for_its_page_tables(void **state)
{
    (void)state;
    fixture_t f = setup(0, 0);
    uint64_t c0 = stats(&f).commit_charge;
    uint32_t a = alloc(&f, 0x10000000, 0x1000000, RESERVE, RW);
    assert_true(stats(&f).commit_charge == c0 + 4 * 0x1000);
    alloc(&f, a, 0x10000, COMMIT, RW);
    assert_true(stats(&f).commit_charge == c0 + 0x10000 + 4 * 0x1000);
    assert_int_equal(stats(&f).working_set, 0);
    mm_access_t acc = { 0 };
    assert_true(mm_write8(f.p, a, 1, &acc));
    assert_true(mm_write8(f.p, a + 0x5000, 1, &acc));
    assert_int_equal(stats(&f).working_set, 2);
    assert_int_equal(mm_virtual_free(f.p, a, 0, RELEASE, NULL), 0);
    assert_true(stats(&f).commit_charge == c0);
    mm_free(f.mm);
}

static void mm__commit_limit__fails_whole_and_leaves_nothing(void **state)
{
    (void)state;
    fixture_t f = setup(16u << 20, 0);
    uint32_t base;
    uint32_t n = stats(&f).allocations;
    assert_int_equal(mm_virtual_alloc(f.p, 0, 32u << 20, RESERVE | COMMIT, RW, &base, NULL), E_LIMIT);
    assert_int_equal(stats(&f).allocations, n);
    mm_free(f.mm);
}

static void mm__address_space__runs_out_with_not_enough_memory(void **state)
{
    (void)state;
    fixture_t f = setup(0, 0);
    uint32_t base, e = 0, count = 0;
    while (!(e = mm_virtual_alloc(f.p, 0, 0x10000, RESERVE, NOACCESS, &base, NULL))) count++;
    assert_int_equal(e, E_NOMEM);
    assert_int_equal(count, 32765); /* 0x10000-0x7FFDFFFF, KUSER_SHARED_DATA above */
    mm_free(f.mm);
}

static void mm__clone__copies_the_whole_machine(void **state)
{
    (void)state;
    fixture_t f = setup(0, 0);
    uint32_t a = alloc(&f, 0x10000000, 0x1000, RESERVE | COMMIT, RW);
    mm_access_t acc = { 0 };
    mm_write8(f.p, a, 0x42, &acc);
    mm_t *c = mm_clone(f.mm);
    assert_non_null(c);
    mm_write8(f.p, a, 0x43, &acc);
    uint8_t v = 0;
    assert_true(mm_read8(mm_current(c), a, &v, &acc));
    assert_int_equal(v, 0x42);
    mm_free(c);
    mm_free(f.mm);
}

static void mm__allocation_failures__never_crash(void **state)
{
    (void)state;
    for (long n = 0; n < 60; n++) {
        failing_alloc_t fa;
        failing_alloc_init(&fa, n);
        mm_config_t cfg;
        mm_config_default(&cfg);
        mm_t *mm = NULL;
        if (mm_new(&fa.alloc, &cfg, &mm) == PS_OK) {
            uint32_t base;
            (void)mm_virtual_alloc(mm_current(mm), 0, 0x20000, RESERVE | COMMIT, RW, &base, NULL);
            mm_free(mm);
        }
        assert_int_equal(fa.live, 0);
    }
}

static void mm__memory_pressure__pages_out_and_back_with_their_data(void **state)
{
    (void)state;
    fixture_t f = setup(8u << 20, 16u << 20);
    uint32_t a = alloc(&f, 0, 8u << 20, COMMIT, RW);
    mm_access_t acc = { 0 };
    for (uint32_t off = 0; off < (8u << 20); off += 0x1000) assert_true(mm_write8(f.p, a + off, (uint8_t)(off >> 12), &acc));
    mm_stats_t s = stats(&f);
    assert_true(s.pagefile_writes > 0);
    for (uint32_t off = 0; off < (8u << 20); off += 0x1000) {
        uint8_t v = 0xEE;
        assert_true(mm_read8(f.p, a + off, &v, &acc));
        assert_int_equal(v, (uint8_t)(off >> 12));
    }
    assert_true(stats(&f).hard_faults > 0);
    mm_free(f.mm);
}

static void mm__mem_reset_page__comes_back_as_zeros_under_pressure(void **state)
{
    (void)state;
    fixture_t f = setup(8u << 20, 16u << 20);
    uint32_t r = alloc(&f, 0, 0x1000, COMMIT, RW), base;
    mm_access_t acc = { 0 };
    assert_true(mm_write8(f.p, r, 'V', &acc));
    assert_int_equal(mm_virtual_alloc(f.p, r, 0x1000, RESET, RW, &base, NULL), 0);
    uint32_t big = alloc(&f, 0, 8u << 20, COMMIT, RW);
    for (uint32_t off = 0; off < (8u << 20); off += 0x1000) assert_true(mm_write8(f.p, big + off, 1, &acc));
    uint8_t v = 0xEE;
    assert_true(mm_read8(f.p, r, &v, &acc));
    assert_int_equal(v, 0);
    mm_free(f.mm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mm__reserve__rounds_base_down_to_64k_and_end_up_to_a_page),
        cmocka_unit_test(mm__commit__covers_every_page_touched_by_the_range),
        cmocka_unit_test(mm__bad_commits__fail_with_the_win32_codes),
        cmocka_unit_test(mm__protections__are_validated),
        cmocka_unit_test(mm__top_down__takes_the_highest_free_range),
        cmocka_unit_test(mm__recommit__keeps_data_and_takes_the_new_protection),
        cmocka_unit_test(mm__free__needs_the_base_and_size_0_to_release),
        cmocka_unit_test(mm__protect__reports_the_first_page_and_needs_commit),
        cmocka_unit_test(mm__query__splits_regions_and_describes_free_memory),
        cmocka_unit_test(mm__guard_page__fires_once),
        cmocka_unit_test(mm__page_tables__come_with_commits_and_go_with_release),
        cmocka_unit_test(mm__commit_charge__reservation_pays_for_its_page_tables),
        cmocka_unit_test(mm__commit_limit__fails_whole_and_leaves_nothing),
        cmocka_unit_test(mm__address_space__runs_out_with_not_enough_memory),
        cmocka_unit_test(mm__clone__copies_the_whole_machine),
        cmocka_unit_test(mm__allocation_failures__never_crash),
        cmocka_unit_test(mm__memory_pressure__pages_out_and_back_with_their_data),
        cmocka_unit_test(mm__mem_reset_page__comes_back_as_zeros_under_pressure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
