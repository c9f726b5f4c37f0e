/* sim.phys: sparse physical memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "failing_alloc.h"
#include "pagesim/phys.h"

static const uint8_t *peek(const phys_t *p, uint32_t pfn)
{
    uint32_t len;
    return phys_frame_peek(p, pfn, &len);
}

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

/* A copy shares its frames: writing one through either side gives that
 * side its own, and the other keeps what it had; the two free in any
 * order. */
static void phys__clone__shares_frames_until_written(void **state)
{
    (void)state;
    phys_t *p = make(1u << 20);
    phys_write32(p, 0x5000, 0x11);
    phys_write32(p, 0x6000, 0x22);
    phys_t *c = phys_clone(p);
    assert_non_null(c);
    assert_ptr_equal(peek(p, 5), peek(c, 5));
    phys_write32(c, 0x6000, 0x33);
    assert_ptr_not_equal(peek(p, 6), peek(c, 6));
    assert_ptr_equal(peek(p, 5), peek(c, 5));
    assert_int_equal(phys_read32(p, 0x6000), 0x22);
    assert_int_equal(phys_read32(c, 0x6000), 0x33);
    phys_t *cc = phys_clone(c);
    phys_discard_frame(c, 0x5000);
    assert_int_equal(phys_read32(c, 0x5000), 0);
    assert_int_equal(phys_read32(p, 0x5000), 0x11);
    assert_int_equal(phys_read32(cc, 0x5000), 0x11);
    phys_free(p);
    assert_int_equal(phys_read32(cc, 0x5000), 0x11);
    phys_free(cc);
    assert_int_equal(phys_read32(c, 0x6000), 0x33);
    phys_free(c);
}

/* The first write to a shared frame needs a frame: when there is none,
 * neither side changes. */
static void phys__shared_frame_write_without_memory__changes_nothing(void **state)
{
    (void)state;
    for (long n = 0; n < 12; n++) {
        failing_alloc_t fa;
        failing_alloc_init(&fa, n);
        phys_t *p = NULL;
        if (phys_new(&fa.alloc, 1u << 20, &p) != PS_OK) continue;
        if (phys_write32(p, 0x2000, 0x44) != PS_OK) {
            phys_free(p);
            continue;
        }
        phys_t *c = phys_clone(p);
        if (c) {
            uint8_t buf[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
            ps_result_t r = phys_write(c, 0x2FFC, buf, sizeof buf);
            if (r != PS_OK) assert_int_equal(r, PS_ENOMEM);
            assert_int_equal(phys_read32(p, 0x2000), 0x44);
            assert_int_equal(phys_read32(p, 0x2FFC), 0);
            if (r == PS_OK) assert_int_equal(phys_read32(c, 0x3000), 0x08070605);
            phys_free(c);
        }
        phys_free(p);
        assert_int_equal(fa.live, 0);
    }
}

/* phys_read and phys_write move whole runs of a frame, across frames and
 * up to the end of memory (past it, reads are ones and writes dropped). */
static void phys__read_write__cross_frames_and_the_end(void **state)
{
    (void)state;
    phys_t *p = make(0x3000);
    uint8_t in[0x1800], out[0x1800];
    for (size_t i = 0; i < sizeof in; i++) in[i] = (uint8_t)(i * 7 + 1);
    assert_int_equal(phys_write(p, 0x0F00, in, sizeof in), PS_OK);
    phys_read(p, 0x0F00, out, sizeof out);
    assert_memory_equal(in, out, sizeof in);
    assert_int_equal(phys_write(p, 0x2FFE, in, 4), PS_OK);
    phys_read(p, 0x2FFE, out, 4);
    assert_int_equal(out[0], in[0]);
    assert_int_equal(out[1], in[1]);
    assert_int_equal(out[2], 0xFF);
    assert_int_equal(out[3], 0xFF);
    phys_free(p);
}

/* A frame stores its bytes up to the last non-zero one written: a few
 * bytes cost 64, a byte near the end the whole frame; zeros written where
 * nothing is stored store nothing; what is not stored reads as zeros,
 * whatever the access. */
static void phys__frames__store_only_up_to_their_last_written_byte(void **state)
{
    (void)state;
    phys_t *p = make(1u << 20);
    uint64_t empty = phys_footprint(p);
    assert_int_equal(phys_write(p, 0x1000, "step 1", 6), PS_OK);
    uint64_t small = phys_footprint(p) - empty;
    assert_true(small < 8192 + 256); /* a group of pointers and 64 bytes */
    assert_int_equal(phys_write32(p, 0x2000, 0), PS_OK);
    assert_int_equal(phys_stored_frames(p), 1);
    uint32_t len;
    assert_non_null(phys_frame_peek(p, 1, &len));
    assert_int_equal(len, 64);
    assert_int_equal(phys_read32(p, 0x103E), 0); /* crosses the stored end */
    assert_int_equal(phys_write8(p, 0x103F, 0xAB), PS_OK);
    assert_int_equal(phys_read32(p, 0x103E), 0x0000AB00);
    assert_int_equal(phys_write8(p, 0x1FFF, 0xCD), PS_OK);
    phys_frame_peek(p, 1, &len);
    assert_int_equal(len, 4096);
    assert_int_equal(phys_read8(p, 0x1FFF), 0xCD);
    assert_int_equal(phys_read8(p, 0x1005), '1');
    assert_int_equal(phys_read32(p, 0x103E), 0x0000AB00);
    /* Zeros over stored bytes do overwrite them. */
    assert_int_equal(phys_write32(p, 0x1000, 0), PS_OK);
    assert_int_equal(phys_read32(p, 0x1000), 0);
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

/* A pointer phys_frame_own gave stays valid while the generation is
 * unchanged: making or growing another frame's storage leaves it so; the
 * frame copied away from a clone it shared, or dropped, changes it. */
static void phys__generation__changes_only_when_a_full_frame_moves(void **state)
{
    (void)state;
    phys_t *p = make(1u << 20);
    uint8_t *own = phys_frame_own(p, 0x3000);
    assert_non_null(own);
    uint32_t gen = phys_generation(p);
    assert_int_equal(phys_write8(p, 0x5000, 1), PS_OK);    /* another frame made */
    assert_int_equal(phys_write8(p, 0x5FFF, 2), PS_OK);    /* and grown */
    assert_int_equal(phys_write32(p, 0x3FFC, 0xAABBCCDDu), PS_OK);
    assert_int_equal(phys_generation(p), gen);
    own[0x10] = 0x5A; /* still the frame's bytes */
    assert_int_equal(phys_read8(p, 0x3010), 0x5A);
    assert_int_equal(phys_read32(p, 0x3FFC), 0xAABBCCDDu);
    phys_t *c = phys_clone(p);
    assert_non_null(c);
    assert_int_equal(phys_write8(p, 0x3020, 7), PS_OK);     /* copied away from the clone */
    assert_int_not_equal(phys_generation(p), gen);
    assert_int_equal(phys_read8(c, 0x3020), 0);
    gen = phys_generation(p);
    phys_discard_frame(p, 0x3000);
    assert_int_not_equal(phys_generation(p), gen);
    phys_free(c);
    phys_free(p);
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
        cmocka_unit_test(phys__clone__shares_frames_until_written),
        cmocka_unit_test(phys__shared_frame_write_without_memory__changes_nothing),
        cmocka_unit_test(phys__read_write__cross_frames_and_the_end),
        cmocka_unit_test(phys__frames__store_only_up_to_their_last_written_byte),
        cmocka_unit_test(phys__bad_sizes__are_refused),
        cmocka_unit_test(phys__allocation_failures__leave_memory_unchanged),
        cmocka_unit_test(phys__generation__changes_only_when_a_full_frame_moves),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
