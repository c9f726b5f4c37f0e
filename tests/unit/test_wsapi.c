/* sim.wsapi: GetProcessMemoryInfo's counters through the memory manager's
 * API: the working set grows on touch, not on commit; the private commit
 * grows on commit; faults are counted, access violations too; the peaks
 * stay when the values drop; a clone keeps them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pagesim/mm.h"
#include "pagesim/winsdk.h"

static mm_t *machine(void)
{
    mm_config_t cfg;
    mm_config_default(&cfg);
    cfg.layout_empty = true;
    mm_t *mm;
    assert_int_equal(mm_new(NULL, &cfg, &mm), PS_OK);
    return mm;
}

static mm_pmc_t counters(mm_process_t *p)
{
    mm_pmc_t m;
    memset(&m, 0xCC, sizeof m);
    mm_process_memory_info(p, &m, NULL);
    return m;
}

static void wsapi__commit_then_touch__grows_commit_then_working_set(void **state)
{
    (void)state;
    mm_t *mm = machine();
    mm_process_t *p = mm_current(mm);
    mm_pmc_t m = counters(p);
    assert_int_equal(m.WorkingSetSize, 0);
    assert_int_equal(m.PrivateUsage, 0);
    uint32_t b;
    assert_int_equal(mm_virtual_alloc(p, 0, 0x100000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE, &b, NULL), 0);
    m = counters(p);
    assert_int_equal(m.WorkingSetSize, 0);
    assert_int_equal(m.PrivateUsage, 0x100000);
    assert_int_equal(m.PagefileUsage, 0x100000);
    assert_int_equal(m.PageFaultCount, 0);
    mm_access_t acc = { 0 };
    for (uint32_t i = 0; i < 8; i++) assert_true(mm_write8(p, b + i * 0x1000, 1, &acc));
    assert_true(mm_write8(p, b + 5, 2, &acc)); /* resident already: no fault */
    m = counters(p);
    assert_int_equal(m.WorkingSetSize, 0x8000);
    assert_int_equal(m.PeakWorkingSetSize, 0x8000);
    assert_int_equal(m.PageFaultCount, 8);
    assert_int_equal(m.QuotaPagedPoolUsage, 0);
    assert_int_equal(m.QuotaNonPagedPoolUsage, 0);
    mm_free(mm);
}

static void wsapi__release__drops_values_and_keeps_peaks(void **state)
{
    (void)state;
    mm_t *mm = machine();
    mm_process_t *p = mm_current(mm);
    uint32_t b;
    assert_int_equal(mm_virtual_alloc(p, 0, 0x10000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE, &b, NULL), 0);
    mm_access_t acc = { 0 };
    assert_true(mm_write8(p, b, 1, &acc));
    assert_false(mm_write8(p, 0x7FFE0000, 1, &acc)); /* an access violation is a page fault too */
    mm_t *c = mm_clone(mm);
    assert_non_null(c);
    assert_int_equal(mm_virtual_free(p, b, 0, MEM_RELEASE, NULL), 0);
    mm_pmc_t m = counters(p);
    assert_int_equal(m.WorkingSetSize, 0);
    assert_int_equal(m.PeakWorkingSetSize, 0x1000);
    assert_int_equal(m.PrivateUsage, 0);
    assert_int_equal(m.PeakPagefileUsage, 0x10000);
    assert_int_equal(m.PageFaultCount, 2);
    m = counters(mm_current(c));
    assert_int_equal(m.PrivateUsage, 0x10000);
    assert_int_equal(m.PeakPagefileUsage, 0x10000);
    char msg[256];
    assert_true(mm_check(c, msg, sizeof msg));
    assert_true(mm_check(mm, msg, sizeof msg));
    mm_free(c);
    mm_free(mm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wsapi__commit_then_touch__grows_commit_then_working_set),
        cmocka_unit_test(wsapi__release__drops_values_and_keeps_peaks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
