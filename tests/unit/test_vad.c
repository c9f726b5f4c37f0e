/* sim.vad: the allocation tree and its free-space search. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vad.h"

#define LO 0x00010000u
#define HI 0x7FFF0000u
#define G VAD_GRANULE

static vad_t *add(vad_tree_t *t, uint32_t start, uint32_t end)
{
    vad_t proto;
    memset(&proto, 0, sizeof proto);
    proto.start = start;
    proto.end = end;
    vad_t *v = vad_insert(t, &proto);
    assert_non_null(v);
    return v;
}

static int height_of(const vad_t *n)
{
    if (!n) return 0;
    int l = height_of(n->left), r = height_of(n->right);
    return 1 + (l > r ? l : r);
}

static void vad__insert_find_remove__work_by_address(void **state)
{
    (void)state;
    vad_tree_t t;
    vad_init(&t, ps_default_alloc(), LO, HI);
    add(&t, 0x10000000, 0x10003000);
    vad_t *b = add(&t, 0x20000000, 0x20010000);
    assert_ptr_equal(vad_find(&t, 0x20000FFF), b);
    assert_null(vad_find(&t, 0x10003000));
    assert_ptr_equal(vad_next_from(&t, 0x10003000), b);
    assert_false(vad_range_free(&t, 0x1FFF0000, 0x20000001));
    assert_true(vad_range_free(&t, 0x10003000, 0x20000000));
    vad_remove(&t, b);
    assert_null(vad_find(&t, 0x20000000));
    assert_int_equal(t.count, 1);
    vad_fini(&t);
}

static void vad__find_space__bottom_up_and_top_down(void **state)
{
    (void)state;
    vad_tree_t t;
    vad_init(&t, ps_default_alloc(), LO, HI);
    add(&t, 0x00010000, 0x00013000); /* ends unaligned: next free granule 0x20000 */
    add(&t, 0x00030000, 0x00040000);
    uint32_t base;
    assert_true(vad_find_space(&t, 0x10000, false, &base));
    assert_int_equal(base, 0x00020000);
    assert_true(vad_find_space(&t, 0x20000, false, &base));
    assert_int_equal(base, 0x00040000);
    assert_true(vad_find_space(&t, 0x10000, true, &base));
    assert_int_equal(base, HI - 0x10000);
    assert_true(vad_find_space(&t, 0x1001, true, &base));
    assert_int_equal(base, HI - 0x10000);
    vad_fini(&t);
}

static void vad__user_space__fills_with_32766_reservations_bottom_up(void **state)
{
    (void)state;
    vad_tree_t t;
    vad_init(&t, ps_default_alloc(), LO, HI);
    uint32_t n = (HI - LO) / G;
    assert_int_equal(n, 32766);
    uint32_t base;
    for (uint32_t i = 0; i < n; i++) {
        assert_true(vad_find_space(&t, G, false, &base));
        assert_int_equal(base, LO + i * G);
        add(&t, base, base + G);
    }
    assert_false(vad_find_space(&t, G, false, &base));
    assert_false(vad_find_space(&t, G, true, &base));
    assert_true(height_of(t.root) <= 22); /* 1.44 * log2(32768) */
    /* Free every other one: the holes come back in address order. */
    for (uint32_t i = 0; i < n; i += 2) vad_remove(&t, vad_find(&t, LO + i * G));
    for (uint32_t i = 0; i < n; i += 2) {
        assert_true(vad_find_space(&t, G, false, &base));
        assert_int_equal(base, LO + i * G);
        add(&t, base, base + G);
    }
    assert_false(vad_find_space(&t, G, false, &base));
    vad_fini(&t);
}

/* A brute-force model: sorted starts and ends of the allocations. */
static uint32_t model_lo[2048], model_hi[2048];
static unsigned model_n;

static bool model_find(uint32_t size, bool top_down, uint32_t *base)
{
    bool found = false;
    uint32_t prev_end = LO;
    for (unsigned i = 0; i <= model_n; i++) {
        uint32_t from = (prev_end + G - 1) & ~(G - 1);
        uint32_t to = i < model_n ? model_lo[i] : HI;
        if (to > from && to - from >= size) {
            if (!top_down) {
                *base = from;
                return true;
            }
            *base = (to - size) & ~(G - 1);
            found = true;
        }
        if (i < model_n) prev_end = model_hi[i];
    }
    return found;
}

static void model_add(uint32_t lo, uint32_t hi)
{
    unsigned i = model_n;
    while (i > 0 && model_lo[i - 1] > lo) {
        model_lo[i] = model_lo[i - 1];
        model_hi[i] = model_hi[i - 1];
        i--;
    }
    model_lo[i] = lo;
    model_hi[i] = hi;
    model_n++;
}

static void model_remove(unsigned i)
{
    for (; i + 1 < model_n; i++) {
        model_lo[i] = model_lo[i + 1];
        model_hi[i] = model_hi[i + 1];
    }
    model_n--;
}

static void vad__random_operations__match_a_brute_force_model(void **state)
{
    (void)state;
    vad_tree_t t;
    vad_init(&t, ps_default_alloc(), LO, HI);
    model_n = 0;
    uint32_t seed = 12345;
    for (int step = 0; step < 20000; step++) {
        seed = seed * 1103515245u + 12345u;
        uint32_t r = seed >> 8;
        uint32_t size = ((r % 64) + 1) * 0x1000 * ((r & 0x100) ? 64 : 1);
        bool top = r & 0x200;
        if (model_n < 2000 && (r & 3) != 0) {
            uint32_t a, b;
            bool fa = vad_find_space(&t, size, top, &a), fb = model_find(size, top, &b);
            assert_int_equal(fa, fb);
            if (!fa) continue;
            assert_int_equal(a, b);
            add(&t, a, a + size);
            model_add(a, a + size);
        } else if (model_n) {
            unsigned i = r % model_n;
            vad_remove(&t, vad_find(&t, model_lo[i]));
            model_remove(i);
        }
        assert_int_equal(t.count, model_n);
        char msg[160];
        if ((step & 255) == 0 && !vad_check(&t, msg, sizeof msg)) fail_msg("%s", msg);
        if ((step & 255) == 0 && model_n) {
            unsigned i = r % model_n;
            const vad_t *v = vad_find(&t, model_lo[i]);
            unsigned below = 0;
            for (unsigned k = 0; k < model_n; k++) below += model_lo[k] < model_lo[i];
            assert_ptr_equal(vad_at(&t, below), v);
        }
    }
    assert_null(vad_at(&t, model_n));
    int h = height_of(t.root);
    unsigned n = model_n + 2, lg = 0;
    while (n >>= 1) lg++;
    assert_true((double)h <= 1.45 * (lg + 1));
    vad_fini(&t);
}

static void vad__copy__is_deep(void **state)
{
    (void)state;
    vad_tree_t t, c;
    vad_init(&t, ps_default_alloc(), LO, HI);
    add(&t, 0x10000000, 0x10010000);
    assert_int_equal(vad_copy(&c, &t), PS_OK);
    vad_remove(&t, vad_find(&t, 0x10000000));
    assert_non_null(vad_find(&c, 0x10000000));
    vad_fini(&c);
    vad_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vad__insert_find_remove__work_by_address),
        cmocka_unit_test(vad__find_space__bottom_up_and_top_down),
        cmocka_unit_test(vad__user_space__fills_with_32766_reservations_bottom_up),
        cmocka_unit_test(vad__random_operations__match_a_brute_force_model),
        cmocka_unit_test(vad__copy__is_deep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
