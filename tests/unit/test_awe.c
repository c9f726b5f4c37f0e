/* sim.awe: Address Windowing Extensions through the memory manager's API.
 * The privilege, fewer pages than asked, frames outside the working set
 * and the replacement policy (kept under memory pressure), data following
 * a frame from one address to another, the rules of MEM_PHYSICAL regions
 * and of MapUserPhysicalPages and FreeUserPhysicalPages, a clone, and the
 * invariant check catching a broken AWE state. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "mm_int.h"
#include "pagesim/winsdk.h"

static mm_t *machine(uint64_t ram, bool lock_pages)
{
    mm_config_t cfg;
    mm_config_default(&cfg);
    cfg.layout_empty = true;
    cfg.lock_pages = lock_pages;
    if (ram) {
        cfg.ram = ram;
        cfg.pagefile = 16u << 20;
    }
    mm_t *mm;
    assert_int_equal(mm_new(NULL, &cfg, &mm), PS_OK);
    return mm;
}

static void sound(const mm_t *mm)
{
    char msg[512];
    bool ok = mm_check(mm, msg, sizeof msg);
    if (!ok) fail_msg("%s", msg);
}

static uint32_t region(mm_process_t *p, uint32_t size)
{
    uint32_t b;
    assert_int_equal(mm_virtual_alloc(p, 0, size, MEM_RESERVE | MEM_PHYSICAL, PAGE_READWRITE, &b, NULL), 0);
    return b;
}

static uint8_t peek(mm_process_t *p, uint32_t va)
{
    uint8_t v = 0xEE;
    mm_access_t acc = { 0 };
    assert_true(mm_read8(p, va, &v, &acc));
    return v;
}

static void awe__without_the_privilege__fails_and_takes_nothing(void **state)
{
    (void)state;
    mm_t *mm = machine(0, false);
    mm_process_t *p = mm_current(mm);
    uint32_t free = mm_free_frames(mm), got = 7, array = 7;
    assert_int_equal(mm_awe_alloc(p, 16, &got, &array, NULL), ERROR_PRIVILEGE_NOT_HELD);
    assert_int_equal(got, 0);
    assert_int_equal(array, 0);
    assert_int_equal(mm_free_frames(mm), free);
    assert_int_equal(p->awe_frames, 0);
    sound(mm);
    mm_free(mm);
}

static void awe__pages__come_from_free_memory_outside_the_working_set(void **state)
{
    (void)state;
    mm_t *mm = machine(0, true);
    mm_process_t *p = mm_current(mm);
    uint32_t free = mm_free_frames(mm), got, array, ws = p->ws;
    assert_int_equal(mm_awe_alloc(p, 16, &got, &array, NULL), 0);
    assert_int_equal(got, 16);
    assert_int_equal(mm_free_frames(mm), free - 16);
    uint32_t b = region(p, 0x10000);
    assert_int_equal(mm_awe_map(p, b, 16, array, NULL), 0);
    assert_int_equal(p->ws, ws); /* mapped, yet in no working set */
    for (uint32_t i = 0; i < 16; i++) {
        uint32_t f;
        assert_true(mm_awe_element(p, array + i, &f));
        assert_false(mm->repl.in[f - mm->first_free_frame]);
        assert_int_equal(mm_pte(p, b + i * 0x1000) >> 12, f);
    }
    sound(mm);
    mm_free(mm);
}

static void awe__fewer_free_frames__gives_fewer_then_none(void **state)
{
    (void)state;
    mm_t *mm = machine(8u << 20, true);
    mm_process_t *p = mm_current(mm);
    uint32_t free = mm_free_frames(mm), got, array;
    assert_int_equal(mm_awe_alloc(p, free + 100, &got, &array, NULL), 0);
    assert_int_equal(got, free);
    assert_int_equal(mm_free_frames(mm), 0);
    assert_int_equal(mm_awe_alloc(p, 1, &got, &array, NULL), ERROR_NOT_ENOUGH_MEMORY);
    assert_int_equal(got, 0);
    sound(mm);
    mm_free(mm);
}

static void awe__remapping__data_follows_the_frame(void **state)
{
    (void)state;
    mm_t *mm = machine(0, true);
    mm_process_t *p = mm_current(mm);
    uint32_t got, a, b = region(p, 0x10000);
    mm_access_t acc = { 0 };
    assert_int_equal(mm_awe_alloc(p, 2, &got, &a, NULL), 0);
    assert_false(mm_read8(p, b, &(uint8_t){ 0 }, &acc)); /* nothing mapped: reserved only */
    assert_int_equal(mm_awe_map(p, b, 1, a, NULL), 0);
    assert_true(mm_write8(p, b, 10, &acc));
    assert_int_equal(mm_awe_map(p, b, 1, a + 1, NULL), 0);
    assert_int_equal(peek(p, b), 0);
    assert_true(mm_write8(p, b, 21, &acc));
    assert_int_equal(mm_awe_map(p, b, 1, a, NULL), 0);
    assert_int_equal(peek(p, b), 10);
    assert_int_equal(mm_awe_map(p, b + 0x5000, 1, a + 1, NULL), 0); /* the other frame elsewhere */
    assert_int_equal(peek(p, b + 0x5000), 21);
    sound(mm);
    mm_t *c = mm_clone(mm); /* a clone keeps frames, mappings and arrays */
    assert_non_null(c);
    sound(c);
    assert_int_equal(peek(mm_current(c), b + 0x5000), 21);
    assert_int_equal(mm_current(c)->awe_frames, 2);
    mm_free(c);
    assert_int_equal(mm_awe_map(p, b, 16, 0, NULL), 0); /* NULL unmaps */
    assert_false(mm_read8(p, b, &(uint8_t){ 0 }, &acc));
    sound(mm);
    mm_free(mm);
}

static void awe__regions__follow_the_rules(void **state)
{
    (void)state;
    mm_t *mm = machine(0, true);
    mm_process_t *p = mm_current(mm);
    uint32_t b, old;
    assert_int_equal(mm_virtual_alloc(p, 0, 0x10000, MEM_RESERVE | MEM_PHYSICAL, PAGE_READONLY, &b, NULL),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(mm_virtual_alloc(p, 0, 0x10000, MEM_RESERVE | MEM_COMMIT | MEM_PHYSICAL, PAGE_READWRITE, &b, NULL),
                     ERROR_INVALID_PARAMETER);
    b = region(p, 0x10000);
    assert_int_equal(mm_virtual_alloc(p, b, 0x1000, MEM_COMMIT, PAGE_READWRITE, &old, NULL), ERROR_INVALID_ADDRESS);
    assert_int_equal(mm_virtual_free(p, b, 0x1000, MEM_DECOMMIT, NULL), ERROR_INVALID_PARAMETER);
    assert_int_equal(mm_virtual_protect(p, b, 0x1000, PAGE_READONLY, &old, NULL), ERROR_INVALID_PARAMETER);
    uint32_t got, a, plain;
    assert_int_equal(mm_awe_alloc(p, 4, &got, &a, NULL), 0);
    assert_int_equal(mm_virtual_alloc(p, 0, 0x10000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE, &plain, NULL), 0);
    assert_int_equal(mm_awe_map(p, plain, 1, a, NULL), ERROR_INVALID_PARAMETER); /* not an AWE region */
    assert_int_equal(mm_awe_map(p, b + 0xF000, 2, a, NULL), ERROR_INVALID_PARAMETER); /* runs past its end */
    assert_int_equal(mm_awe_map(p, b, 5, a, NULL), ERROR_INVALID_PARAMETER);         /* past the array */
    assert_int_equal(mm_awe_map(p, b, 1, 0x1234, NULL), ERROR_INVALID_PARAMETER);    /* not an array */
    assert_int_equal(mm_awe_map(p, b, 1, a, NULL), 0);
    assert_int_equal(mm_awe_map(p, b + 0x1000, 1, a, NULL), ERROR_INVALID_PARAMETER); /* mapped at b */
    assert_int_equal(mm_awe_map(p, b, 2, a, NULL), 0); /* remapping in place is fine */
    assert_int_equal(mm_virtual_lock(p, b, 0x1000, NULL), ERROR_NOT_SUPPORTED);
    sound(mm);
    /* Free: all or nothing; then gone. */
    uint32_t freed;
    assert_int_equal(mm_awe_free(p, 5, a, &freed, NULL), ERROR_INVALID_PARAMETER);
    assert_int_equal(freed, 0);
    assert_int_equal(p->awe_frames, 4);
    assert_int_equal(mm_awe_free(p, 4, a, &freed, NULL), 0);
    assert_int_equal(freed, 4);
    assert_int_equal(p->awe_frames, 0);
    assert_int_equal(mm_pte(p, b), 0);
    assert_int_equal(mm_awe_free(p, 1, a, &freed, NULL), ERROR_INVALID_PARAMETER); /* freed already */
    assert_int_equal(mm_awe_map(p, b, 1, a, NULL), ERROR_INVALID_PARAMETER);
    sound(mm);
    /* A frame the program kept after freeing it, now another process's. */
    mm_process_t *q;
    assert_int_equal(mm_process_create(mm, "other", NULL, &q), PS_OK);
    uint32_t qa, pf, qf;
    assert_int_equal(mm_awe_alloc(q, 4, &got, &qa, NULL), 0);
    assert_true(mm_awe_element(p, a, &pf));
    bool taken = false;
    for (uint32_t i = 0; i < 4; i++) taken |= mm_awe_element(q, qa + i, &qf) && qf == pf;
    assert_true(taken);
    assert_int_equal(mm_awe_map(p, b, 1, a, NULL), ERROR_INVALID_PARAMETER);
    assert_int_equal(mm_awe_free(p, 1, a, &freed, NULL), ERROR_INVALID_PARAMETER);
    assert_int_equal(q->awe_frames, 4);
    sound(mm);
    mm_free(mm);
}

static void awe__another_process__cannot_use_the_frames(void **state)
{
    (void)state;
    mm_t *mm = machine(0, true);
    mm_process_t *p = mm_current(mm), *q;
    uint32_t got, a, freed;
    assert_int_equal(mm_awe_alloc(p, 2, &got, &a, NULL), 0);
    assert_int_equal(mm_process_create(mm, "other", NULL, &q), PS_OK);
    uint32_t qb = region(q, 0x10000);
    assert_int_equal(mm_awe_map(q, qb, 1, a, NULL), ERROR_INVALID_PARAMETER);
    assert_int_equal(mm_awe_free(q, 2, a, &freed, NULL), ERROR_INVALID_PARAMETER);
    assert_int_equal(p->awe_frames, 2);
    assert_int_equal(mm_pte(q, qb), 0);
    sound(mm);
    mm_free(mm);
}

static void awe__release__unmaps_and_keeps_the_frames(void **state)
{
    (void)state;
    mm_t *mm = machine(0, true);
    mm_process_t *p = mm_current(mm);
    uint32_t got, a, b = region(p, 0x10000);
    mm_access_t acc = { 0 };
    assert_int_equal(mm_awe_alloc(p, 3, &got, &a, NULL), 0);
    assert_int_equal(mm_awe_map(p, b, 3, a, NULL), 0);
    assert_true(mm_write8(p, b + 0x2000, 0x5A, &acc));
    assert_int_equal(mm_virtual_free(p, b, 0, MEM_RELEASE, NULL), 0);
    assert_int_equal(p->awe_frames, 3);
    sound(mm);
    uint32_t b2 = region(p, 0x20000);
    assert_int_equal(mm_awe_map(p, b2 + 0x10000, 1, a + 2, NULL), 0);
    assert_int_equal(peek(p, b2 + 0x10000), 0x5A);
    sound(mm);
    mm_free(mm);
}

static void awe__memory_pressure__never_takes_awe_frames(void **state)
{
    (void)state;
    mm_t *mm = machine(8u << 20, true);
    mm_process_t *p = mm_current(mm);
    uint32_t got, a, b = region(p, 0x10000), big;
    mm_access_t acc = { 0 };
    assert_int_equal(mm_awe_alloc(p, 16, &got, &a, NULL), 0);
    assert_int_equal(mm_awe_map(p, b, 16, a, NULL), 0);
    for (uint32_t i = 0; i < 16; i++) assert_true(mm_write8(p, b + i * 0x1000, (uint8_t)(i + 1), &acc));
    assert_int_equal(mm_virtual_alloc(p, 0, 8u << 20, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE, &big, NULL), 0);
    for (uint32_t off = 0; off < (8u << 20); off += 0x1000) assert_true(mm_write8(p, big + off, 1, &acc));
    assert_true(mm->pagefile_writes > 0); /* other pages went out */
    uint64_t hard = p->hard;
    for (uint32_t i = 0; i < 16; i++) assert_int_equal(peek(p, b + i * 0x1000), i + 1);
    assert_int_equal(p->hard, hard); /* no fault to read them */
    sound(mm);
    mm_free(mm);
}

static void awe__check__catches_a_broken_state(void **state)
{
    (void)state;
    char msg[512];
    mm_t *mm = machine(0, true);
    mm_process_t *p = mm_current(mm);
    uint32_t got, a, f, b = region(p, 0x10000);
    assert_int_equal(mm_awe_alloc(p, 2, &got, &a, NULL), 0);
    assert_int_equal(mm_awe_map(p, b, 1, a, NULL), 0);
    sound(mm);
    p->awe_frames++;
    assert_false(mm_check(mm, msg, sizeof msg));
    assert_non_null(strstr(msg, "AWE"));
    p->awe_frames--;
    assert_true(mm_awe_element(p, a + 1, &f));
    mm_pfn(mm, f)->va = b + 0x3000; /* unmapped, yet recorded as mapped */
    assert_false(mm_check(mm, msg, sizeof msg));
    assert_non_null(strstr(msg, "AWE"));
    mm_pfn(mm, f)->va = 0;
    sound(mm);
    mm_free(mm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(awe__without_the_privilege__fails_and_takes_nothing),
        cmocka_unit_test(awe__pages__come_from_free_memory_outside_the_working_set),
        cmocka_unit_test(awe__fewer_free_frames__gives_fewer_then_none),
        cmocka_unit_test(awe__remapping__data_follows_the_frame),
        cmocka_unit_test(awe__regions__follow_the_rules),
        cmocka_unit_test(awe__another_process__cannot_use_the_frames),
        cmocka_unit_test(awe__release__unmaps_and_keeps_the_frames),
        cmocka_unit_test(awe__memory_pressure__never_takes_awe_frames),
        cmocka_unit_test(awe__check__catches_a_broken_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
