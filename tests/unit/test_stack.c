/* sim.stack: thread stacks as BaseCreateStack lays them out, their growth
 * one page at a time on a guard page fault, STATUS_STACK_OVERFLOW at the
 * exact page MiCheckForUserStackOverflow gives it, the access violation
 * past it, a second thread's stack, and the sizes the image header and
 * CreateThread ask for. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "mm_int.h"
#include "pagesim/stack.h"

enum { PAGE = 0x1000, S_COMMIT = 0x1000, S_RESERVE = 0x2000, RW = 4, GUARD = 0x100 };

typedef struct fixture {
    mm_t *mm;
    mm_process_t *p;
    char msg[256];
} fixture_t;

static fixture_t *setup_sizes(uint32_t reserve, uint32_t commit)
{
    static fixture_t f;
    mm_config_t cfg;
    mm_config_default(&cfg);
    if (reserve) cfg.stack_reserve = reserve;
    if (commit) cfg.stack_commit = commit;
    assert_int_equal(mm_new(NULL, &cfg, &f.mm), PS_OK);
    f.p = mm_current(f.mm);
    return &f;
}

static void check(fixture_t *f)
{
    if (!mm_check(f->mm, f->msg, sizeof f->msg)) fail_msg("%s", f->msg);
}

static mm_thread_info_t thread(fixture_t *f, uint32_t i)
{
    mm_thread_info_t t;
    assert_true(mm_thread_at(f->p, i, &t));
    return t;
}

static mm_mbi_t query(fixture_t *f, uint32_t addr)
{
    mm_mbi_t m;
    assert_int_equal(mm_virtual_query(f->p, addr, &m, NULL), 0);
    return m;
}

static void stack__main_thread__reserves_1mb_and_commits_a_page_and_a_guard(void **state)
{
    (void)state;
    fixture_t *f = setup_sizes(0, 0);
    assert_int_equal(mm_thread_count(f->p), 1);
    mm_thread_info_t t = thread(f, 0);
    assert_string_equal(t.name, "main");
    assert_int_equal(t.deallocation_stack, 0x00030000);
    assert_int_equal(t.stack_base, 0x00130000);
    assert_int_equal(t.stack_limit, 0x0012F000);
    assert_int_equal(t.guard, 0x0012E000);
    assert_int_equal(t.sp, 0x00130000);
    mm_mbi_t m = query(f, 0x0012F000);
    assert_int_equal(m.State, S_COMMIT);
    assert_int_equal(m.Protect, RW);
    assert_int_equal(m.RegionSize, PAGE);
    m = query(f, 0x0012E000);
    assert_int_equal(m.Protect, RW | GUARD);
    m = query(f, 0x00030000);
    assert_int_equal(m.State, S_RESERVE);
    assert_int_equal(m.RegionSize, 0xFE000);
    check(f);
    mm_free(f->mm);
}

static void stack__guard_hit__grows_one_page_with_no_exception(void **state)
{
    (void)state;
    fixture_t *f = setup_sizes(0, 0);
    for (uint32_t page = 0x0012E000; page > 0x00120000; page -= PAGE) {
        mm_access_t acc = { 0 };
        assert_true(mm_touch_write(f->p, page + 0x10, &acc));
        assert_int_equal(acc.exception, 0);
        assert_int_equal(acc.resolved, MM_RES_STACK_GROWTH);
        mm_thread_info_t t = thread(f, 0);
        assert_int_equal(t.stack_limit, page);
        assert_int_equal(t.guard, page - PAGE);
        assert_int_equal(query(f, page).RegionSize, 0x00130000 - page);
        assert_int_equal(query(f, page - PAGE).Protect, RW | GUARD);
        check(f);
    }
    mm_stats_t s;
    mm_stats(f->p, &s);
    assert_int_equal(s.stack_growths, 14);
    assert_int_equal(s.guard_faults, 14);
    assert_int_equal(s.stack_overflows, 0);
    mm_free(f->mm);
}

static void stack__skipping_the_guard__is_an_access_violation(void **state)
{
    (void)state;
    fixture_t *f = setup_sizes(0, 0);
    mm_access_t acc = { 0 };
    assert_false(mm_touch_write(f->p, 0x0012D000, &acc));
    assert_int_equal(acc.exception, 0xC0000005);
    assert_int_equal(thread(f, 0).stack_limit, 0x0012F000);
    check(f);
    mm_free(f->mm);
}

/* Probing down a page at a time: the guard walks down to the third page of
 * the reservation; touching it overflows, commits the second page, and
 * leaves the first reserved. */
static void stack__overflow__comes_at_the_third_page_from_the_end(void **state)
{
    (void)state;
    fixture_t *f = setup_sizes(0, 0);
    uint32_t addr = 0;
    mm_access_t acc = { 0 };
    unsigned pushes = 0;
    while (mm_stack_alloc(f->p, PAGE, 4, &addr, &acc)) {
        pushes++;
        check(f);
    }
    assert_int_equal(acc.exception, 0xC00000FD);
    assert_int_equal(acc.resolved, MM_RES_STACK_OVERFLOW);
    assert_int_equal(acc.fault_addr & ~0xFFFu, 0x00032000);
    mm_thread_info_t t = thread(f, 0);
    assert_int_equal(t.stack_limit, 0x00031000);
    assert_int_equal(t.guard, 0);
    assert_int_equal(t.sp, 0x00033000); /* the overflowing push did not happen */
    assert_int_equal(pushes, (0x00130000 - 0x00033000) / PAGE);
    mm_mbi_t m = query(f, 0x00030000);
    assert_int_equal(m.State, S_RESERVE);
    assert_int_equal(m.RegionSize, PAGE);
    m = query(f, 0x00031000);
    assert_int_equal(m.State, S_COMMIT);
    assert_int_equal(m.Protect, RW);
    assert_int_equal(m.RegionSize, 0x00130000 - 0x00031000);
    mm_stats_t s;
    mm_stats(f->p, &s);
    assert_int_equal(s.stack_growths, (0x0012E000 - 0x00033000) / PAGE + 1);
    assert_int_equal(s.stack_overflows, 1);
    check(f);
    /* The handler's pages are there; the last page is not. */
    assert_true(mm_stack_alloc(f->p, 2 * PAGE, 4, &addr, &acc));
    assert_false(mm_stack_alloc(f->p, PAGE, 4, &addr, &acc));
    assert_int_equal(acc.exception, 0xC0000005);
    assert_int_equal(acc.fault_addr, 0x00030FFF);
    check(f);
    mm_free(f->mm);
}

static void stack__guard_outside_a_stack__fires_once(void **state)
{
    (void)state;
    fixture_t *f = setup_sizes(0, 0);
    uint32_t a;
    assert_int_equal(mm_virtual_alloc(f->p, 0, PAGE, 0x3000, RW | GUARD, &a, NULL), 0);
    mm_access_t acc = { 0 };
    assert_false(mm_touch_write(f->p, a, &acc));
    assert_int_equal(acc.exception, 0x80000001);
    assert_int_equal(acc.resolved, MM_RES_GUARD);
    assert_true(mm_touch_write(f->p, a, &acc));
    check(f);
    mm_free(f->mm);
}

static void stack__second_thread__has_its_own_stack_and_teb(void **state)
{
    (void)state;
    fixture_t *f = setup_sizes(0, 0);
    assert_int_equal(mm_thread_create(f->p, "worker", 64 * 1024, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL), 0);
    assert_int_equal(mm_thread_count(f->p), 2);
    mm_thread_info_t t = thread(f, 1);
    assert_int_equal(t.stack_base - t.deallocation_stack, 64 * 1024);
    assert_int_equal(t.stack_limit, t.stack_base - PAGE);
    assert_int_equal(t.guard, t.stack_base - 2 * PAGE);
    assert_int_equal(t.teb, 0x7FFDD000);
    assert_int_equal(query(f, t.teb).State, S_COMMIT);
    mm_mbi_t m = query(f, t.deallocation_stack);
    assert_int_equal(m.AllocationBase, t.deallocation_stack);
    check(f);
    /* The main thread touching the worker's guard page: a plain guard page
     * violation, and the worker's stack does not grow. */
    mm_access_t acc = { 0 };
    assert_false(mm_touch_write(f->p, t.guard, &acc));
    assert_int_equal(acc.exception, 0x80000001);
    assert_int_equal(thread(f, 1).stack_limit, t.stack_limit);
    check(f);
    /* The worker's own guard grows its stack. */
    assert_int_equal(mm_thread_create(f->p, "second", 0, 0, NULL), 0);
    uint32_t i;
    assert_true(mm_thread_find(f->p, "second", &i));
    mm_thread_switch(f->p, i);
    t = thread(f, i);
    mm_stats_t s;
    mm_stats(f->p, &s);
    assert_true(mm_touch_write(f->p, t.guard, &acc));
    assert_int_equal(acc.exception, 0);
    assert_int_equal(thread(f, i).stack_limit, t.guard);
    uint64_t grown = s.stack_growths;
    mm_stats(f->p, &s);
    assert_int_equal(s.stack_growths, grown + 1);
    check(f);
    /* Names are unique; flags are known ones. */
    assert_int_equal(mm_thread_create(f->p, "second", 0, 0, NULL), 87);
    assert_int_equal(mm_thread_create(f->p, "third", 0, 0x80, NULL), 87);
    assert_int_equal(mm_thread_create(f->p, "big", 0xFFFFF000u, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL), 8);
    assert_int_equal(mm_thread_count(f->p), 3);
    check(f);
    mm_free(f->mm);
}

/* BaseCreateStack's rounding: a commit at least the reservation raises the
 * reservation to the commit rounded up to 1 MB (and leaves no guard page
 * when they are then equal); the commit is rounded to pages. */
static void stack__sizes__follow_basecreatestack(void **state)
{
    (void)state;
    fixture_t *f = setup_sizes(0, 0);
    assert_int_equal(mm_thread_create(f->p, "c100k", 100000, 0, NULL), 0);
    mm_thread_info_t t = thread(f, 1);
    assert_int_equal(t.stack_base - t.deallocation_stack, 1u << 20);
    assert_int_equal(t.stack_base - t.stack_limit, 0x19000);
    assert_int_equal(mm_thread_create(f->p, "c2m", 2u << 20, 0, NULL), 0);
    t = thread(f, 2);
    assert_int_equal(t.stack_base - t.deallocation_stack, 2u << 20);
    assert_int_equal(t.stack_limit, t.deallocation_stack);
    assert_int_equal(t.guard, 0);
    assert_int_equal(mm_thread_create(f->p, "r100k", 100000, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL), 0);
    t = thread(f, 3);
    assert_int_equal(t.stack_base - t.deallocation_stack, 0x20000);
    assert_int_equal(t.stack_base - t.stack_limit, PAGE);
    check(f);
    mm_free(f->mm);
}

static void stack__config__sets_the_main_threads_sizes(void **state)
{
    (void)state;
    fixture_t *f = setup_sizes(256 * 1024, 64 * 1024);
    mm_thread_info_t t = thread(f, 0);
    assert_int_equal(t.stack_base - t.deallocation_stack, 256 * 1024);
    assert_int_equal(t.stack_base - t.stack_limit, 64 * 1024);
    assert_int_equal(t.guard, t.stack_limit - PAGE);
    check(f);
    mm_free(f->mm);
    f = setup_sizes(4u << 20, 0);
    t = thread(f, 0);
    assert_int_equal(t.stack_base - t.deallocation_stack, 4u << 20);
    check(f);
    mm_free(f->mm);
    mm_config_t cfg;
    mm_config_default(&cfg);
    cfg.stack_reserve = 0;
    assert_false(mm_stack_sizes_valid(cfg.stack_reserve, cfg.stack_commit));
    mm_t *mm = NULL;
    assert_int_equal(mm_new(NULL, &cfg, &mm), PS_EINVAL);
    cfg.stack_reserve = MM_STACK_MAX + 1;
    assert_int_equal(mm_new(NULL, &cfg, &mm), PS_EINVAL);
    cfg.stack_reserve = 1u << 20;
    cfg.stack_commit = 0;
    assert_int_equal(mm_new(NULL, &cfg, &mm), PS_EINVAL);
}

static void stack__pop__stops_at_stackbase(void **state)
{
    (void)state;
    fixture_t *f = setup_sizes(0, 0);
    uint32_t addr;
    mm_access_t acc = { 0 };
    assert_true(mm_stack_alloc(f->p, 10, 4, &addr, &acc));
    assert_int_equal(addr, 0x00130000 - 12);
    assert_false(mm_stack_free(f->p, 13, NULL));
    assert_true(mm_stack_free(f->p, 12, NULL));
    assert_int_equal(thread(f, 0).sp, 0x00130000);
    mm_free(f->mm);
}

/* The invariant check catches a StackLimit that does not match the PTEs,
 * and stops checking a stack the program changed itself. */
static void stack__check__catches_a_wrong_limit(void **state)
{
    (void)state;
    fixture_t *f = setup_sizes(0, 0);
    f->p->threads[0].limit -= PAGE;
    assert_false(mm_check(f->mm, f->msg, sizeof f->msg));
    assert_non_null(strstr(f->msg, "thread stacks"));
    f->p->threads[0].limit += PAGE;
    check(f);
    uint32_t old;
    assert_int_equal(mm_virtual_protect(f->p, 0x0012E000, PAGE, RW, &old, NULL), 0);
    check(f);
    mm_free(f->mm);
}

/* A program that releases its own stack and reserves something else there
 * has no stack to grow: its guard page is a plain one. */
static void stack__released_stack__guard_is_plain(void **state)
{
    (void)state;
    fixture_t *f = setup_sizes(0, 0);
    assert_int_equal(mm_virtual_free(f->p, 0x00030000, 0, 0x8000, NULL), 0);
    uint32_t a;
    assert_int_equal(mm_virtual_alloc(f->p, 0x00030000, 0x10000, 0x2000, RW, &a, NULL), 0);
    assert_int_equal(mm_virtual_alloc(f->p, 0x0003F000, PAGE, 0x1000, RW | GUARD, &a, NULL), 0);
    mm_access_t acc = { 0 };
    assert_false(mm_touch_write(f->p, 0x0003F000, &acc));
    assert_int_equal(acc.exception, 0x80000001);
    assert_int_equal(query(f, 0x0003E000).State, S_RESERVE);
    check(f);
    mm_free(f->mm);
}

static void stack__clone__copies_the_threads(void **state)
{
    (void)state;
    fixture_t *f = setup_sizes(0, 0);
    assert_int_equal(mm_thread_create(f->p, "worker", 0, 0, NULL), 0);
    mm_t *c = mm_clone(f->mm);
    assert_non_null(c);
    mm_process_t *cp = mm_current(c);
    assert_int_equal(mm_thread_count(cp), 2);
    mm_thread_info_t a, b;
    assert_true(mm_thread_at(cp, 1, &b));
    a = thread(f, 1);
    assert_string_equal(a.name, b.name);
    assert_int_equal(a.stack_limit, b.stack_limit);
    mm_free(c);
    mm_free(f->mm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stack__main_thread__reserves_1mb_and_commits_a_page_and_a_guard),
        cmocka_unit_test(stack__guard_hit__grows_one_page_with_no_exception),
        cmocka_unit_test(stack__skipping_the_guard__is_an_access_violation),
        cmocka_unit_test(stack__overflow__comes_at_the_third_page_from_the_end),
        cmocka_unit_test(stack__guard_outside_a_stack__fires_once),
        cmocka_unit_test(stack__second_thread__has_its_own_stack_and_teb),
        cmocka_unit_test(stack__sizes__follow_basecreatestack),
        cmocka_unit_test(stack__config__sets_the_main_threads_sizes),
        cmocka_unit_test(stack__pop__stops_at_stackbase),
        cmocka_unit_test(stack__check__catches_a_wrong_limit),
        cmocka_unit_test(stack__released_stack__guard_is_plain),
        cmocka_unit_test(stack__clone__copies_the_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
