/* sim.wsapi: GetProcessMemoryInfo's counters through the memory manager's
 * API: the working set grows on touch, not on commit; the private commit
 * grows on commit; faults are counted, access violations too; the peaks
 * stay when the values drop; a clone keeps them. VirtualLock and
 * VirtualUnlock: the quota, the rules, locked pages kept under pressure,
 * the invariant check over locked frames. SetProcessWorkingSetSize's
 * rules and the minimum's bound on VirtualLock; EmptyWorkingSet's
 * transition pages and the soft faults that bring them back; frames in
 * transition reclaimed under pressure; QueryWorkingSet's entries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "mm_int.h"
#include "pagesim/inspect.h"
#include "pagesim/winsdk.h"

/* The memory manager's invariants hold (the broken one is printed). */
static void assert_invariants(mm_t *mm)
{
    char msg[256];
    bool ok = mm_check(mm, msg, sizeof msg);
    if (!ok) print_error("%s\n", msg);
    assert_true(ok);
}

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
    assert_invariants(c);
    assert_invariants(mm);
    mm_free(c);
    mm_free(mm);
}

static void lock__quota_and_rules__give_windows_errors(void **state)
{
    (void)state;
    mm_t *mm = machine();
    mm_process_t *p = mm_current(mm);
    uint32_t b, r, old;
    assert_int_equal(mm_virtual_alloc(p, 0, 0x40000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE, &b, NULL), 0);
    assert_int_equal(mm_virtual_lock(p, b, 43 * 0x1000, NULL), ERROR_WORKING_SET_QUOTA);
    assert_int_equal(mm_virtual_lock(p, b + 0x10, 42 * 0x1000 - 0x10, NULL), 0);
    assert_int_equal(counters(p).WorkingSetSize, 42 * 0x1000);
    assert_int_equal(mm_virtual_lock(p, b, 0x1000, NULL), 0); /* already locked: no more quota */
    assert_int_equal(mm_virtual_lock(p, b + 42 * 0x1000, 1, NULL), ERROR_WORKING_SET_QUOTA);
    assert_int_equal(mm_virtual_alloc(p, 0, 0x10000, MEM_RESERVE, PAGE_READWRITE, &r, NULL), 0);
    assert_int_equal(mm_virtual_unlock(p, b, 0x1000, NULL), 0);
    assert_int_equal(mm_virtual_lock(p, r, 0x1000, NULL), ERROR_NOACCESS);
    assert_int_equal(mm_virtual_alloc(p, r, 0x1000, MEM_COMMIT, PAGE_NOACCESS, &r, NULL), 0);
    assert_int_equal(mm_virtual_lock(p, r, 0x1000, NULL), ERROR_NOACCESS);
    /* A protection without access ends the lock; a read-only one keeps it. */
    assert_int_equal(mm_virtual_protect(p, b + 0x1000, 0x1000, PAGE_READONLY, &old, NULL), 0);
    assert_int_equal(mm_virtual_protect(p, b + 0x2000, 0x1000, PAGE_NOACCESS, &old, NULL), 0);
    assert_int_equal(p->locked, 40);
    assert_int_equal(mm_virtual_unlock(p, b, 0x1000, NULL), ERROR_NOT_LOCKED);
    assert_int_equal(mm_virtual_unlock(p, b + 0x1000, 0x1000, NULL), 0);
    assert_invariants(mm);
    mm_free(mm);
}

static void lock__memory_pressure__evicts_around_locked_pages(void **state)
{
    (void)state;
    mm_config_t cfg;
    mm_config_default(&cfg);
    cfg.layout_empty = true;
    cfg.ram = 8u << 20;
    cfg.pagefile = 16u << 20;
    mm_t *mm;
    assert_int_equal(mm_new(NULL, &cfg, &mm), PS_OK);
    mm_process_t *p = mm_current(mm);
    uint32_t keep, big;
    assert_int_equal(mm_virtual_alloc(p, 0, 0x10000, MEM_COMMIT, PAGE_READWRITE, &keep, NULL), 0);
    assert_int_equal(mm_virtual_lock(p, keep, 0x10000, NULL), 0);
    assert_int_equal(mm_virtual_alloc(p, 0, 8u << 20, MEM_COMMIT, PAGE_READWRITE, &big, NULL), 0);
    mm_access_t acc = { 0 };
    for (uint32_t i = 0; i < 2048; i++) assert_true(mm_touch_write(p, big + i * 0x1000, &acc));
    for (uint32_t i = 0; i < 16; i++) assert_int_not_equal(mm_pte(p, keep + i * 0x1000) & 1, 0);
    /* The front ends see locked pages and frames as kinds of their own. */
    uint8_t st[2];
    mm_page_states(p, keep >> 12, 1, st);
    mm_page_states(p, (big >> 12) + 2047, 1, st + 1);
    assert_int_equal(st[0], MM_PAGE_LOCKED);
    assert_int_not_equal(st[1], MM_PAGE_LOCKED);
    mm_frame_info_t fi;
    mm_frame_info(mm, mm_pte(p, keep) >> 12, &fi);
    assert_int_equal(fi.kind, MM_FRAME_LOCKED);
    assert_string_equal(mm_frame_kind_str(fi.kind), "locked");
    assert_string_equal(mm_page_state_str(MM_PAGE_LOCKED), "locked");
    char msg[256];
    assert_invariants(mm);
    /* The check sees a lock where there is none to hold. */
    pfn_t *e = mm_pfn(mm, mm_pte(p, keep) >> 12);
    e->flags = (uint8_t)(e->flags & ~PFN_LOCKED);
    assert_false(mm_check(mm, msg, sizeof msg)); /* a resident page out of the policy */
    e->flags |= PFN_LOCKED;
    assert_invariants(mm);
    p->locked--;
    assert_false(mm_check(mm, msg, sizeof msg));
    assert_non_null(strstr(msg, "locked"));
    p->locked++;
    mm_free(mm);
}

static void wsapi__set_working_set_size__follows_msdn_rules(void **state)
{
    (void)state;
    mm_t *mm = machine();
    mm_process_t *p = mm_current(mm);
    uint32_t lo, hi, b;
    mm_get_ws_size(p, &lo, &hi);
    assert_int_equal(lo, 50 * 0x1000);
    assert_int_equal(hi, 345 * 0x1000);
    assert_int_equal(mm_set_ws_size(p, 0x2000, 0x1000, NULL), ERROR_INVALID_PARAMETER);
    assert_int_equal(mm_set_ws_size(p, 0, 0x100000, NULL), ERROR_INVALID_PARAMETER);
    assert_int_equal(mm_set_ws_size(p, 0x1000, 0, NULL), ERROR_INVALID_PARAMETER);
    assert_int_equal(mm_set_ws_size(p, 0x1000, 12 * 0x1000, NULL), ERROR_INVALID_PARAMETER);
    assert_int_equal(mm_set_ws_size(p, 0x1000, 0xFFFFF000u, NULL), ERROR_INVALID_PARAMETER);
    mm_get_ws_size(p, &lo, &hi);
    assert_int_equal(lo, 50 * 0x1000); /* a failed call changes nothing */
    assert_int_equal(mm_set_ws_size(p, 0x1000, 13 * 0x1000, NULL), 0);
    mm_get_ws_size(p, &lo, &hi);
    assert_int_equal(lo, 20 * 0x1000); /* raised to the floor */
    assert_int_equal(hi, 20 * 0x1000);
    assert_int_equal(mm_set_ws_size(p, 100 * 0x1000 + 0xFFF, 200 * 0x1000, NULL), 0);
    mm_get_ws_size(p, &lo, &hi);
    assert_int_equal(lo, 100 * 0x1000);
    assert_int_equal(hi, 200 * 0x1000);
    /* The minimum bounds VirtualLock: 100 pages less 8. */
    assert_int_equal(mm_virtual_alloc(p, 0, 0x80000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE, &b, NULL), 0);
    assert_int_equal(mm_virtual_lock(p, b, 93 * 0x1000, NULL), ERROR_WORKING_SET_QUOTA);
    assert_int_equal(mm_virtual_lock(p, b, 92 * 0x1000, NULL), 0);
    /* A clone keeps the sizes. */
    mm_t *c = mm_clone(mm);
    assert_non_null(c);
    mm_get_ws_size(mm_current(c), &lo, &hi);
    assert_int_equal(lo, 100 * 0x1000);
    mm_free(c);
    mm_free(mm);
}

static void wsapi__empty_working_set__trims_to_transition_and_soft_faults_back(void **state)
{
    (void)state;
    mm_t *mm = machine();
    mm_process_t *p = mm_current(mm);
    uint32_t b;
    assert_int_equal(mm_virtual_alloc(p, 0, 0x20000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE, &b, NULL), 0);
    mm_access_t acc = { 0 };
    for (uint32_t i = 0; i < 32; i++) assert_true(mm_write8(p, b + i * 0x1000, (uint8_t)(i + 1), &acc));
    assert_int_equal(mm_virtual_lock(p, b, 0x4000, NULL), 0);
    uint32_t frame = mm_pte(p, b + 0x10000) >> 12;
    assert_int_equal(mm_empty_ws(p, NULL), 0);
    assert_int_equal(counters(p).WorkingSetSize, 4 * 0x1000); /* the locked pages stay */
    uint32_t pte = mm_pte(p, b + 0x10000);
    assert_int_equal(pte & X86_P, 0);
    assert_int_not_equal(pte & SPTE_TRANSITION, 0);
    assert_int_equal(pte >> 12, frame);
    assert_invariants(mm);
    uint64_t soft = p->soft, faults = counters(p).PageFaultCount;
    for (uint32_t i = 0; i < 32; i++) {
        uint8_t v = 0;
        assert_true(mm_read8(p, b + i * 0x1000, &v, &acc));
        assert_int_equal(v, i + 1);
    }
    assert_int_equal(p->soft - soft, 28);
    assert_int_equal(counters(p).PageFaultCount - faults, 28);
    assert_int_equal(counters(p).WorkingSetSize, 32 * 0x1000);
    assert_int_equal(mm_pte(p, b + 0x10000) >> 12, frame); /* the same frame back */
    /* Both sizes (SIZE_T)-1: the same as EmptyWorkingSet. */
    assert_int_equal(mm_set_ws_size(p, 0xFFFFFFFFu, 0xFFFFFFFFu, NULL), 0);
    assert_int_equal(counters(p).WorkingSetSize, 4 * 0x1000);
    assert_invariants(mm);
    mm_free(mm);
}

/* Process handles: OpenProcess by name with its rights, generic rights
 * mapped, VirtualQueryEx in the other process, the rights each call needs,
 * handles that name no process, and EmptyWorkingSet of another process
 * trimming its pages, not the caller's. */
static void process_handles__rights_and_targets__as_windows(void **state)
{
    (void)state;
    mm_t *mm = machine();
    mm_process_t *main_p = mm_current(mm), *b;
    assert_int_equal(mm_process_create(mm, "b", NULL, &b), PS_OK);
    mm_switch(mm, b);
    uint32_t x;
    assert_int_equal(mm_virtual_alloc(b, 0x10000000u, 0x10000, MEM_RESERVE | MEM_COMMIT, PAGE_READONLY, &x, NULL), 0);
    mm_access_t acc = { 0 };
    uint8_t v;
    assert_true(mm_read8(b, x, &v, &acc));
    mm_switch(mm, main_p);
    uint32_t hq, hv, hg, hall, h;
    assert_int_equal(mm_open_process(main_p, PROCESS_QUERY_INFORMATION, "b", &hq, NULL), 0);
    assert_int_equal(mm_open_process(main_p, PROCESS_VM_READ, "b", &hv, NULL), 0);
    assert_int_equal(mm_open_process(main_p, GENERIC_READ, "b", &hg, NULL), 0);
    assert_int_equal(mm_open_process(main_p, MAXIMUM_ALLOWED, "b", &hall, NULL), 0);
    assert_int_equal(mm_open_process(main_p, PS_PROCESS_ALL_ACCESS_XP, "nosuch", &h, NULL), ERROR_INVALID_PARAMETER);
    assert_int_equal(h, 0);
    mm_mbi_t mbi;
    assert_int_equal(mm_virtual_query_ex(main_p, hq, x, &mbi, NULL), 0);
    assert_int_equal(mbi.State, MEM_COMMIT);
    assert_int_equal(mbi.Protect, PAGE_READONLY);
    assert_int_equal(mm_virtual_query(main_p, x, &mbi, NULL), 0);
    assert_int_equal(mbi.State, MEM_FREE); /* not in main */
    assert_int_equal(mm_virtual_query_ex(main_p, hg, x, &mbi, NULL), 0);
    assert_int_equal(mm_virtual_query_ex(main_p, hv, x, &mbi, NULL), ERROR_ACCESS_DENIED);
    assert_int_equal(mbi.State, 0);
    assert_int_equal(mm_virtual_query_ex(main_p, MM_CURRENT_PROCESS, x, &mbi, NULL), 0);
    assert_int_equal(mbi.State, MEM_FREE);
    assert_int_equal(mm_virtual_query_ex(main_p, 0x1234, x, &mbi, NULL), ERROR_INVALID_HANDLE);
    /* A handle belongs to the process that opened it. */
    mm_process_t *t;
    assert_int_equal(mm_process_handle(b, hq, 0, &t, NULL), ERROR_INVALID_HANDLE);
    assert_int_equal(mm_process_handle(main_p, hall, PROCESS_SET_QUOTA | PROCESS_QUERY_INFORMATION, &t, NULL), 0);
    assert_ptr_equal(t, b);
    mm_process_t *none;
    assert_int_equal(mm_process_handle(main_p, hq, PROCESS_SET_QUOTA, &none, NULL), ERROR_ACCESS_DENIED);
    assert_null(none);
    /* EmptyWorkingSet through the handle: b's page leaves its working set. */
    assert_int_equal(counters(b).WorkingSetSize, 0x1000);
    assert_int_equal(mm_empty_ws(t, NULL), 0);
    assert_int_equal(counters(b).WorkingSetSize, 0);
    assert_invariants(mm);
    assert_int_equal(mm_close_handle(main_p, hq, NULL), 0);
    assert_int_equal(mm_virtual_query_ex(main_p, hq, x, &mbi, NULL), ERROR_INVALID_HANDLE);
    assert_int_equal(mm_close_handle(main_p, hq, NULL), ERROR_INVALID_HANDLE);
    assert_invariants(mm);
    mm_free(mm);
}

/* EmptyWorkingSet on two views of one section: both PTEs go back to the
 * prototype, the section keeps its frame (share count 0), and a touch of
 * each is a soft fault onto the same frame. */
static void wsapi__empty_working_set__trims_view_pages_to_their_prototype(void **state)
{
    (void)state;
    mm_t *mm = machine();
    mm_process_t *p = mm_current(mm);
    uint32_t h, v, w;
    assert_int_equal(mm_create_section(p, PAGE_READWRITE, 0, 0x1000, NULL, &h, NULL), 0);
    assert_int_equal(mm_map_view(p, h, FILE_MAP_WRITE, 0, 0, 0, 0, &v, NULL), 0);
    assert_int_equal(mm_map_view(p, h, FILE_MAP_READ, 0, 0, 0, 0, &w, NULL), 0);
    mm_access_t acc = { 0 };
    uint8_t b = 0;
    assert_true(mm_write8(p, v, 7, &acc));
    assert_true(mm_read8(p, w, &b, &acc));
    uint32_t frame = mm_pte(p, v) >> 12;
    assert_int_equal(mm_pfn(mm, frame)->share, 2);
    assert_int_equal(counters(p).WorkingSetSize, 2 * 0x1000);
    assert_int_equal(mm_empty_ws(p, NULL), 0);
    assert_int_equal(counters(p).WorkingSetSize, 0);
    assert_int_not_equal(mm_pte(p, v) & SPTE_PROTOTYPE, 0);
    assert_int_equal(mm_pte(p, v) & X86_P, 0);
    assert_int_equal(mm_pfn(mm, frame)->share, 0);
    assert_invariants(mm);
    uint64_t soft = p->soft;
    assert_true(mm_read8(p, w, &b, &acc));
    assert_int_equal(b, 7);
    assert_true(mm_read8(p, v, &b, &acc));
    assert_int_equal(p->soft - soft, 2);
    assert_int_equal(mm_pte(p, v) >> 12, frame);
    assert_int_equal(mm_pte(p, w) >> 12, frame);
    assert_invariants(mm);
    mm_free(mm);
}

/* 8 MB of RAM, a 16 MB page file. */
static mm_t *small_machine(void)
{
    mm_config_t cfg;
    mm_config_default(&cfg);
    cfg.layout_empty = true;
    cfg.ram = 8u << 20;
    cfg.pagefile = 16u << 20;
    mm_t *mm;
    assert_int_equal(mm_new(NULL, &cfg, &mm), PS_OK);
    return mm;
}

static void wsapi__transition_frames__are_reclaimed_under_pressure(void **state)
{
    (void)state;
    mm_t *mm = small_machine();
    mm_process_t *p = mm_current(mm);
    uint32_t a, big;
    mm_access_t acc = { 0 };
    assert_int_equal(mm_virtual_alloc(p, 0, 4u << 20, MEM_COMMIT, PAGE_READWRITE, &a, NULL), 0);
    for (uint32_t i = 0; i < 1024; i++) assert_true(mm_write8(p, a + i * 0x1000, (uint8_t)(i * 7 + 1), &acc));
    assert_int_equal(mm_empty_ws(p, NULL), 0);
    assert_invariants(mm);
    /* Another 8 MB: more than RAM holds, so the trimmed frames must go. */
    assert_int_equal(mm_virtual_alloc(p, 0, 8u << 20, MEM_COMMIT, PAGE_READWRITE, &big, NULL), 0);
    for (uint32_t i = 0; i < 2048; i++) assert_true(mm_touch_write(p, big + i * 0x1000, &acc));
    assert_invariants(mm);
    uint64_t hard = p->hard;
    for (uint32_t i = 0; i < 1024; i++) {
        uint8_t v = 0;
        assert_true(mm_read8(p, a + i * 0x1000, &v, &acc));
        assert_int_equal(v, (uint8_t)(i * 7 + 1));
    }
    assert_true(p->hard > hard); /* the written pages came back from the page file */
    assert_invariants(mm);
    mm_free(mm);
}

static void wsapi__no_access_page_written_after_a_hard_fault__keeps_its_new_bytes(void **state)
{
    (void)state;
    mm_t *mm = small_machine();
    mm_process_t *p = mm_current(mm);
    uint32_t a, big, old;
    mm_access_t acc = { 0 };
    assert_int_equal(mm_virtual_alloc(p, 0, 0x1000, MEM_COMMIT, PAGE_READWRITE, &a, NULL), 0);
    assert_true(mm_write8(p, a, 1, &acc));
    assert_int_equal(mm_virtual_alloc(p, 0, 8u << 20, MEM_COMMIT, PAGE_READWRITE, &big, NULL), 0);
    for (uint32_t i = 0; i < 2048; i++) assert_true(mm_touch_write(p, big + i * 0x1000, &acc));
    /* Read back (its slot now a current copy), written, made no-access. */
    assert_true(mm_write8(p, a, 2, &acc));
    assert_int_equal(mm_virtual_protect(p, a, 0x1000, PAGE_NOACCESS, &old, NULL), 0);
    for (uint32_t i = 0; i < 2048; i++) assert_true(mm_touch_write(p, big + i * 0x1000, &acc));
    assert_invariants(mm);
    assert_int_equal(mm_virtual_protect(p, a, 0x1000, PAGE_READWRITE, &old, NULL), 0);
    uint8_t v = 0;
    assert_true(mm_read8(p, a, &v, &acc));
    assert_int_equal(v, 2);
    assert_invariants(mm);
    mm_free(mm);
}

static void wsapi__query_working_set__lists_pages_and_says_how_many(void **state)
{
    (void)state;
    mm_t *mm = machine();
    mm_process_t *p = mm_current(mm);
    uint32_t b, old, total = 99;
    mm_access_t acc = { 0 };
    assert_int_equal(mm_virtual_alloc(p, 0, 0x3000, MEM_COMMIT, PAGE_READWRITE, &b, NULL), 0);
    assert_true(mm_write8(p, b + 0x2000, 1, &acc));
    assert_true(mm_write8(p, b, 1, &acc));
    assert_int_equal(mm_virtual_protect(p, b, 0x1000, PAGE_READONLY, &old, NULL), 0);
    mm_ws_entry_t w[4];
    assert_int_equal(mm_query_ws(p, w, 1, &total, NULL), ERROR_BAD_LENGTH);
    assert_int_equal(total, 2);
    assert_int_equal(mm_query_ws(p, w, 4, &total, NULL), 0);
    assert_int_equal(total, 2);
    assert_int_equal(w[0].va, b);
    assert_int_equal(w[0].protection, 1); /* the 5-bit protection: read-only */
    assert_false(w[0].shared);
    assert_int_equal(w[1].va, b + 0x2000);
    assert_int_equal(w[1].protection, 4);
    assert_int_equal(w[1].share_count, 0);
    assert_int_equal(mm_empty_ws(p, NULL), 0);
    assert_int_equal(mm_query_ws(p, w, 0, &total, NULL), 0);
    assert_int_equal(total, 0);
    mm_free(mm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lock__quota_and_rules__give_windows_errors),
        cmocka_unit_test(lock__memory_pressure__evicts_around_locked_pages),
        cmocka_unit_test(wsapi__commit_then_touch__grows_commit_then_working_set),
        cmocka_unit_test(wsapi__release__drops_values_and_keeps_peaks),
        cmocka_unit_test(wsapi__set_working_set_size__follows_msdn_rules),
        cmocka_unit_test(wsapi__empty_working_set__trims_to_transition_and_soft_faults_back),
        cmocka_unit_test(wsapi__transition_frames__are_reclaimed_under_pressure),
        cmocka_unit_test(wsapi__query_working_set__lists_pages_and_says_how_many),
        cmocka_unit_test(process_handles__rights_and_targets__as_windows),
        cmocka_unit_test(wsapi__empty_working_set__trims_view_pages_to_their_prototype),
        cmocka_unit_test(wsapi__no_access_page_written_after_a_hard_fault__keeps_its_new_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
