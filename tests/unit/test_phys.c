/* sim.phys: sparse physical memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "failing_alloc.h"
#include "pagesim/phys.h"

static phys_t *make(uint64_t size)
{
    phys_t *p = NULL;
    assert_int_equal(phys_new(NULL, size, &p), PS_OK);
    return p;
}

static void phys__unwritten_frames__read_zero(void **state)
{
    (void)state;
    phys_t *p = make(1u << 20);
    assert_int_equal(phys_read32(p, 0x1234), 0);
    assert_int_equal(phys_read8(p, 0xFFFFF), 0);
    assert_int_equal(phys_stored_frames(p), 0);
    phys_free(p);
}

static void phys__write32__is_little_endian(void **state)
{
    (void)state;
    phys_t *p = make(1u << 20);
    assert_int_equal(phys_write32(p, 0x100, 0x11223344), PS_OK);
    assert_int_equal(phys_read8(p, 0x100), 0x44);
    assert_int_equal(phys_read8(p, 0x103), 0x11);
    assert_int_equal(phys_read32(p, 0x100), 0x11223344);
    assert_int_equal(phys_stored_frames(p), 1);
    phys_free(p);
}

static void phys__unaligned_access__crosses_frames(void **state)
{
    (void)state;
    phys_t *p = make(1u << 20);
    assert_int_equal(phys_write32(p, 0x1FFE, 0xAABBCCDD), PS_OK);
    assert_int_equal(phys_read32(p, 0x1FFE), 0xAABBCCDD);
    assert_int_equal(phys_read8(p, 0x2000), 0xBB);
    assert_int_equal(phys_stored_frames(p), 2);
    phys_free(p);
}

static void phys__beyond_size__reads_ones_and_drops_writes(void **state)
{
    (void)state;
    phys_t *p = make(0x4000);
    assert_int_equal(phys_read32(p, 0x4000), 0xFFFFFFFF);
    assert_int_equal(phys_write32(p, 0x4000, 0x12345678), PS_OK);
    assert_int_equal(phys_read32(p, 0x4000), 0xFFFFFFFF);
    assert_int_equal(phys_stored_frames(p), 0);
    assert_true(phys_contains(p, 0x3FFC, 4));
    assert_false(phys_contains(p, 0x3FFD, 4));
    phys_free(p);
}

static void phys__4gb_with_three_frames__costs_kilobytes(void **state)
{
    (void)state;
    phys_t *p = make(PHYS_MAX_SIZE);
    phys_write32(p, 0x00100000, 1);
    phys_write32(p, 0xA0000000, 2);
    phys_write32(p, 0xFFFFF000, 3);
    assert_int_equal(phys_read32(p, 0xFFFFF000), 3);
    assert_true(phys_footprint(p) < 64 * 1024);
    phys_free(p);
}

static void phys__discard_frame__zeroes_it(void **state)
{
    (void)state;
    phys_t *p = make(1u << 20);
    phys_write32(p, 0x3000, 7);
    phys_discard_frame(p, 0x3004);
    assert_int_equal(phys_read32(p, 0x3000), 0);
    assert_int_equal(phys_stored_frames(p), 0);
    phys_free(p);
}

static void phys__clone__is_deep(void **state)
{
    (void)state;
    phys_t *p = make(1u << 20);
    phys_write32(p, 0x5000, 0x55);
    phys_t *c = phys_clone(p);
    assert_non_null(c);
    phys_write32(p, 0x5000, 0x66);
    assert_int_equal(phys_read32(c, 0x5000), 0x55);
    phys_free(c);
    phys_free(p);
}

static void phys__bad_sizes__are_refused(void **state)
{
    (void)state;
    phys_t *p = (phys_t *)1;
    assert_int_equal(phys_new(NULL, 0, &p), PS_EINVAL);
    assert_null(p);
    assert_int_equal(phys_new(NULL, 5000, &p), PS_EINVAL);
    assert_int_equal(phys_new(NULL, PHYS_MAX_SIZE + 4096, &p), PS_EINVAL);
}

static void phys__allocation_failures__leave_memory_unchanged(void **state)
{
    (void)state;
    for (long n = 0; n < 8; n++) {
        failing_alloc_t fa;
        failing_alloc_init(&fa, n);
        phys_t *p = NULL;
        ps_result_t r = phys_new(&fa.alloc, 1u << 20, &p);
        if (r != PS_OK) {
            assert_int_equal(r, PS_ENOMEM);
            assert_int_equal(fa.live, 0);
            continue;
        }
        r = phys_write32(p, 0x1FFE, 0x01020304);
        if (r == PS_OK) assert_int_equal(phys_read32(p, 0x1FFE), 0x01020304);
        else assert_int_equal(r, PS_ENOMEM);
        phys_free(p);
        assert_int_equal(fa.live, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(phys__unwritten_frames__read_zero),
        cmocka_unit_test(phys__write32__is_little_endian),
        cmocka_unit_test(phys__unaligned_access__crosses_frames),
        cmocka_unit_test(phys__beyond_size__reads_ones_and_drops_writes),
        cmocka_unit_test(phys__4gb_with_three_frames__costs_kilobytes),
        cmocka_unit_test(phys__discard_frame__zeroes_it),
        cmocka_unit_test(phys__clone__is_deep),
        cmocka_unit_test(phys__bad_sizes__are_refused),
        cmocka_unit_test(phys__allocation_failures__leave_memory_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
