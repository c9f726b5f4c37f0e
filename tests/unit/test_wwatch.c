/* sim.wwatch: write watch through the memory manager's API: which writes
 * count, WRITE_WATCH_FLAG_RESET and the count limit, ResetWriteWatch, the
 * errors, what survives a protection change, a decommit and a clone, the
 * invariant check over the bitmaps, and a host out of memory on the way.
 * The rules are Wine dlls/kernel32/tests/virtual.c, test_write_watch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "failing_alloc.h"
#include "mm_int.h"
#include "pagesim/winsdk.h"

typedef struct fixture {
    mm_t *mm;
    mm_process_t *p;
} fixture_t;

static fixture_t setup(const ps_alloc_t *a)
{
    mm_config_t cfg;
    mm_config_default(&cfg);
    cfg.layout_empty = true;
    fixture_t f;
    assert_int_equal(mm_new(a, &cfg, &f.mm), PS_OK);
    f.p = mm_current(f.mm);
    return f;
}

static uint32_t alloc(fixture_t *f, uint32_t size, uint32_t type, uint32_t prot)
{
    uint32_t base = 0;
    return mm_virtual_alloc(f->p, 0, size, type, prot, &base, NULL) ? 0 : base;
}

static void poke(fixture_t *f, uint32_t addr)
{
    mm_access_t acc = { 0 };
    assert_true(mm_write8(f->p, addr, 0x44, &acc));
}

/* GetWriteWatch into list (room for cap); returns the count, or fails the
 * test when the call fails. */
static uint32_t watch(fixture_t *f, uint32_t flags, uint32_t addr, uint32_t size, uint32_t cap, uint32_t *list)
{
    uint32_t n = cap, gran = 0;
    assert_int_equal(mm_get_write_watch(f->p, flags, addr, size, list, &n, &gran, NULL), 0);
    assert_int_equal(gran, 4096);
    return n;
}

static void check(const fixture_t *f)
{
    char msg[256];
    bool ok = mm_check(f->mm, msg, sizeof msg);
    if (!ok) print_error("%s\n", msg);
    assert_true(ok);
}

static void wwatch__writes__list_their_pages_once_in_order(void **state)
{
    (void)state;
    fixture_t f = setup(NULL);
    uint32_t b = alloc(&f, 0x10000, MEM_RESERVE | MEM_COMMIT | MEM_WRITE_WATCH, PAGE_READWRITE), list[16];
    assert_int_not_equal(b, 0);
    assert_int_equal(watch(&f, 0, b, 0x10000, 16, list), 0);
    poke(&f, b + 0x4008);
    poke(&f, b + 0x2003);
    poke(&f, b + 0x2004);
    uint8_t v;
    mm_access_t acc = { 0 };
    assert_true(mm_read8(f.p, b + 0x6000, &v, &acc)); /* a read is not a write */
    assert_int_equal(watch(&f, 0, b, 0x10000, 16, list), 2);
    assert_int_equal(list[0], b + 0x2000);
    assert_int_equal(list[1], b + 0x4000);
    /* A range that holds one of them, its base inside a page. */
    assert_int_equal(watch(&f, 0, b + 0x3800, 0x1000, 16, list), 1);
    assert_int_equal(list[0], b + 0x4000);
    check(&f);
    mm_free(f.mm);
}

static void wwatch__reset_flag__resets_only_the_pages_returned(void **state)
{
    (void)state;
    fixture_t f = setup(NULL);
    uint32_t b = alloc(&f, 0x10000, MEM_RESERVE | MEM_COMMIT | MEM_WRITE_WATCH, PAGE_READWRITE), list[16];
    poke(&f, b + 0x1000);
    poke(&f, b + 0x2000);
    poke(&f, b + 0x4000);
    assert_int_equal(watch(&f, WRITE_WATCH_FLAG_RESET, b, 0x10000, 1, list), 1);
    assert_int_equal(list[0], b + 0x1000);
    assert_int_equal(watch(&f, 0, b, 0x10000, 16, list), 2);
    assert_int_equal(list[0], b + 0x2000);
    assert_int_equal(mm_reset_write_watch(f.p, b, 0x3000, NULL), 0);
    assert_int_equal(watch(&f, 0, b, 0x10000, 16, list), 1);
    assert_int_equal(list[0], b + 0x4000);
    assert_int_equal(watch(&f, WRITE_WATCH_FLAG_RESET, b, 0x10000, 16, list), 1);
    assert_int_equal(watch(&f, 0, b, 0x10000, 16, list), 0);
    mm_free(f.mm);
}

static void wwatch__bad_arguments__give_invalid_parameter(void **state)
{
    (void)state;
    fixture_t f = setup(NULL);
    uint32_t b = alloc(&f, 0x10000, MEM_RESERVE | MEM_COMMIT | MEM_WRITE_WATCH, PAGE_READWRITE);
    uint32_t plain = alloc(&f, 0x10000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE), list[4], n, g;
    poke(&f, b);
    struct { uint32_t flags, addr, size, count; } bad[] = {
        { 0, plain, 0x1000, 4 }, { 0, 0, 0x1000, 4 }, { 0, b, 0x20000, 4 }, { 0, b + 0xF000, 0x1001, 4 },
        { 0, b, 0, 4 },          { 0, b, 0x1000, 0 }, { 2, b, 0x1000, 4 },  { 0xDEADBEEF, b, 0x1000, 4 },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        n = bad[i].count;
        g = 7;
        assert_int_equal(mm_get_write_watch(f.p, bad[i].flags, bad[i].addr, bad[i].size, list, &n, &g, NULL),
                         ERROR_INVALID_PARAMETER);
        assert_int_equal(n, 0);
        assert_int_equal(g, 0);
    }
    assert_int_equal(mm_reset_write_watch(f.p, b, 0, NULL), ERROR_INVALID_PARAMETER);
    assert_int_equal(mm_reset_write_watch(f.p, plain, 0x1000, NULL), ERROR_INVALID_PARAMETER);
    assert_int_equal(mm_reset_write_watch(f.p, b + 0x8000, 0x9000, NULL), ERROR_INVALID_PARAMETER);
    /* MEM_WRITE_WATCH needs MEM_RESERVE. */
    assert_int_equal(alloc(&f, 0x10000, MEM_COMMIT | MEM_WRITE_WATCH, PAGE_READWRITE), 0);
    /* Nothing was reset by the failures. */
    assert_int_equal(watch(&f, 0, b, 0x10000, 4, list), 1);
    mm_free(f.mm);
}

static void wwatch__protection_decommit_and_clone__keep_the_record(void **state)
{
    (void)state;
    fixture_t f = setup(NULL);
    uint32_t b = alloc(&f, 0x10000, MEM_RESERVE | MEM_WRITE_WATCH, PAGE_NOACCESS), list[16], old;
    assert_int_not_equal(b, 0);
    uint32_t base;
    assert_int_equal(mm_virtual_alloc(f.p, b, 0x10000, MEM_COMMIT, PAGE_NOACCESS, &base, NULL), 0);
    mm_access_t acc = { 0 };
    assert_false(mm_write8(f.p, b + 0x5000, 3, &acc)); /* an access violation writes nothing */
    assert_int_equal(watch(&f, 0, b, 0x10000, 16, list), 0);
    assert_int_equal(mm_virtual_protect(f.p, b, 0x6000, PAGE_READWRITE, &old, NULL), 0);
    poke(&f, b + 0x50C8);
    assert_int_equal(mm_virtual_protect(f.p, b, 0x6000, PAGE_NOACCESS, &old, NULL), 0);
    assert_int_equal(mm_virtual_free(f.p, b, 0x10000, MEM_DECOMMIT, NULL), 0);
    assert_int_equal(watch(&f, 0, b, 0x10000, 16, list), 1);
    assert_int_equal(list[0], b + 0x5000);
    mm_t *c = mm_clone(f.mm);
    assert_non_null(c);
    fixture_t g = { c, mm_current(c) };
    assert_int_equal(watch(&g, WRITE_WATCH_FLAG_RESET, b, 0x10000, 16, list), 1);
    assert_int_equal(watch(&f, 0, b, 0x10000, 16, list), 1); /* the original keeps its bit */
    check(&g);
    mm_free(c);
    assert_int_equal(mm_virtual_free(f.p, b, 0, MEM_RELEASE, NULL), 0);
    uint32_t n = 16, gran;
    assert_int_equal(mm_get_write_watch(f.p, 0, b, 0x1000, list, &n, &gran, NULL), ERROR_INVALID_PARAMETER);
    check(&f);
    mm_free(f.mm);
}

static void wwatch__check__catches_a_bitmap_out_of_place(void **state)
{
    (void)state;
    fixture_t f = setup(NULL);
    uint32_t b = alloc(&f, 0x3000, MEM_RESERVE | MEM_WRITE_WATCH, PAGE_READWRITE);
    uint32_t plain = alloc(&f, 0x3000, MEM_RESERVE, PAGE_READWRITE);
    char msg[256];
    vad_t *v = vad_find(&f.p->vads, b);
    v->watch[0] |= 0x80; /* page 7 of a 3-page allocation */
    assert_false(mm_check(f.mm, msg, sizeof msg));
    assert_non_null(strstr(msg, "write watch"));
    v->watch[0] = 0;
    check(&f);
    f.p->watched++;
    assert_false(mm_check(f.mm, msg, sizeof msg));
    f.p->watched--;
    vad_find(&f.p->vads, plain)->flags |= VAD_WRITE_WATCH;
    assert_false(mm_check(f.mm, msg, sizeof msg));
    vad_find(&f.p->vads, plain)->flags &= ~(uint32_t)VAD_WRITE_WATCH;
    check(&f);
    mm_free(f.mm);
}

/* Every allocation of the calls in turn fails once: each call then fails
 * cleanly or succeeds, the machine stays consistent, nothing leaks. */
static void wwatch__host_out_of_memory__leaves_a_consistent_machine(void **state)
{
    (void)state;
    for (long at = 0;; at++) {
        failing_alloc_t fa;
        failing_alloc_init(&fa, -1);
        fixture_t f = setup(&fa.alloc);
        fa.fail_at = fa.count + at;
        uint32_t b = alloc(&f, 0x10000, MEM_RESERVE | MEM_COMMIT | MEM_WRITE_WATCH, PAGE_READWRITE);
        mm_t *c = NULL;
        if (b && !mm_host_oom(f.mm)) {
            mm_access_t acc = { 0 };
            (void)mm_write8(f.p, b + 0x1000, 1, &acc);
            c = mm_clone(f.mm);
        }
        bool done = fa.count <= fa.fail_at;
        fa.fail_at = -1; /* the check allocates too */
        if (!mm_host_oom(f.mm)) check(&f);
        if (c) check(&(fixture_t){ c, mm_current(c) });
        if (c) mm_free(c);
        mm_free(f.mm);
        assert_int_equal(fa.live, 0);
        if (done) break;
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wwatch__writes__list_their_pages_once_in_order),
        cmocka_unit_test(wwatch__reset_flag__resets_only_the_pages_returned),
        cmocka_unit_test(wwatch__bad_arguments__give_invalid_parameter),
        cmocka_unit_test(wwatch__protection_decommit_and_clone__keep_the_record),
        cmocka_unit_test(wwatch__check__catches_a_bitmap_out_of_place),
        cmocka_unit_test(wwatch__host_out_of_memory__leaves_a_consistent_machine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
