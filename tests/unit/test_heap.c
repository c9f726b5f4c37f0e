/* sim.heap: the XP heap on the simulated memory manager, the C runtime and
 * Delphi's large blocks. Every test checks the whole machine's invariants
 * (mm_check, which checks the heaps) after every heap call. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "heap_int.h"
#include "pagesim/winsdk.h"

typedef struct fixture {
    mm_t *mm;
    mm_process_t *p;
    char msg[256];
} fixture_t;

static int make(void **state, bool empty)
{
    fixture_t *f = test_calloc(1, sizeof *f);
    mm_config_t cfg;
    mm_config_default(&cfg);
    cfg.layout_empty = empty;
    if (mm_new(NULL, &cfg, &f->mm) != PS_OK) return -1;
    f->p = mm_current(f->mm);
    *state = f;
    return 0;
}

static int setup(void **state) { return make(state, false); }
static int setup_empty(void **state) { return make(state, true); }

static int teardown(void **state)
{
    fixture_t *f = *state;
    mm_free(f->mm);
    test_free(f);
    return 0;
}

static void invariants(fixture_t *f)
{
    if (!mm_check(f->mm, f->msg, sizeof f->msg)) fail_msg("%s", f->msg);
}

static uint32_t create(fixture_t *f, uint32_t options, uint32_t initial, uint32_t maximum)
{
    heap_result_t r;
    heap_create(f->p, options, initial, maximum, &r, NULL);
    invariants(f);
    return r.ptr;
}

static uint32_t alloc(fixture_t *f, uint32_t heap, uint32_t flags, uint32_t size)
{
    heap_result_t r;
    heap_alloc(f->p, heap, flags, size, &r, NULL);
    invariants(f);
    return r.ptr;
}

static uint32_t hfree(fixture_t *f, uint32_t heap, uint32_t ptr)
{
    uint32_t e = heap_free(f->p, heap, 0, ptr, NULL);
    invariants(f);
    return e;
}

static uint8_t byte_at(fixture_t *f, uint32_t va)
{
    uint8_t v = 0xEE;
    mm_access_t a = { 0 };
    assert_true(mm_read8(f->p, va, &v, &a));
    return v;
}

static mm_mbi_t query(fixture_t *f, uint32_t va)
{
    mm_mbi_t m;
    assert_int_equal(mm_virtual_query(f->p, va, &m, NULL), 0);
    return m;
}

static void process_heap__typical_layout__is_the_heap_at_0x140000(void **state)
{
    fixture_t *f = *state;
    uint32_t heaps[4];
    assert_int_equal(heap_process_heap(f->p), 0x00140000u);
    assert_int_equal(heap_list(f->p, heaps, 4), 1);
    assert_int_equal(heaps[0], 0x00140000u);
    /* The lookaside table comes first, so the first block is at +0x1E90. */
    assert_int_equal(alloc(f, 0x00140000u, 0, 16), 0x00141E90u);
    assert_int_equal(heap_destroy(f->p, 0x00140000u, NULL), ERROR_INVALID_PARAMETER);
}

static void create__growable__reserves_1mb_first_block_after_lookaside(void **state)
{
    fixture_t *f = *state;
    uint32_t h = create(f, 0, 0, 0);
    assert_int_equal(h & 0xFFFFu, 0);
    mm_mbi_t m = query(f, h);
    assert_int_equal(m.State, MEM_COMMIT);
    assert_int_equal(query(f, h + m.RegionSize).State, MEM_RESERVE);
    assert_int_equal(m.RegionSize + query(f, h + m.RegionSize).RegionSize, 0x100000u);
    assert_int_equal(alloc(f, h, 0, 1), h + 0x1E90u);
    uint32_t n = create(f, HEAP_NO_SERIALIZE, 0, 0);
    assert_int_equal(alloc(f, n, 0, 1), n + 0x688u);
}

static void alloc__100_bytes__header_says_14_units_12_unused(void **state)
{
    fixture_t *f = *state;
    uint32_t h = create(f, HEAP_NO_SERIALIZE, 0, 0);
    uint32_t a = alloc(f, h, 0, 100);
    assert_int_equal(byte_at(f, a - 8), 14);      /* Size                */
    assert_int_equal(byte_at(f, a - 8 + 5) & HEAP_ENTRY_BUSY, HEAP_ENTRY_BUSY);
    assert_int_equal(byte_at(f, a - 8 + 6), 12);  /* UnusedBytes          */
    uint32_t b = alloc(f, h, 0, 8);
    assert_int_equal(b, a + 14 * 8);
    assert_int_equal(byte_at(f, b - 8 + 2), 14);  /* PreviousSize         */
    uint32_t size;
    assert_int_equal(heap_size(f->p, h, 0, a, &size, NULL), 0);
    assert_int_equal(size, 100);
}

static void alloc__zero_bytes__a_block_of_two_units(void **state)
{
    fixture_t *f = *state;
    uint32_t h = create(f, HEAP_NO_SERIALIZE, 0, 0);
    uint32_t a = alloc(f, h, 0, 0), b = alloc(f, h, 0, 0), size;
    assert_int_not_equal(a, 0);
    assert_int_equal(b - a, 16);
    assert_int_equal(heap_size(f->p, h, 0, a, &size, NULL), 0);
    assert_int_equal(size, 0);
}

static void free__three_neighbours__coalesce_into_one_free_block(void **state)
{
    fixture_t *f = *state;
    uint32_t h = create(f, HEAP_NO_SERIALIZE, 0, 0);
    heap_info_t before, after;
    assert_true(heap_info(f->p, h, &before));
    uint32_t a = alloc(f, h, 0, 40), b = alloc(f, h, 0, 40), c = alloc(f, h, 0, 40);
    alloc(f, h, 0, 40); /* keeps c from merging with the rest */
    assert_int_equal(hfree(f, h, a), 0);
    assert_int_equal(hfree(f, h, c), 0);
    assert_int_equal(hfree(f, h, b), 0);
    assert_true(heap_info(f->p, h, &after));
    assert_int_equal(after.free_blocks, 2);
    assert_int_equal(after.busy_blocks, 1);
    /* The merged block is found first by the same request. */
    assert_int_equal(alloc(f, h, 0, 40), a);
    assert_int_equal(alloc(f, h, 0, 88), a + 48);
}

static void free__twice_or_foreign__fail_with_invalid_parameter(void **state)
{
    fixture_t *f = *state;
    uint32_t h = create(f, 0, 0, 0), g = create(f, 0, 0, 0);
    uint32_t a = alloc(f, h, 0, 32), size;
    assert_int_equal(heap_free(f->p, g, 0, a, NULL), ERROR_INVALID_PARAMETER);
    assert_int_equal(hfree(f, h, a), 0);
    assert_int_equal(hfree(f, h, a), ERROR_INVALID_PARAMETER);
    assert_int_equal(hfree(f, h, a + 4), ERROR_INVALID_PARAMETER);
    assert_int_equal(hfree(f, h, 0x12345678u), ERROR_INVALID_PARAMETER);
    assert_int_equal(hfree(f, h, 0), 0);
    assert_int_equal(heap_size(f->p, h, 0, a, &size, NULL), ERROR_INVALID_PARAMETER);
    assert_int_equal(size, 0xFFFFFFFFu);
    assert_int_equal(heap_free(f->p, 0x12340000u, 0, a, NULL), ERROR_INVALID_HANDLE);
}

static void alloc__huge__null_with_not_enough_memory_or_an_exception(void **state)
{
    fixture_t *f = *state;
    uint32_t h = create(f, 0, 0, 0);
    heap_result_t r;
    heap_alloc(f->p, h, 0, 0xFFFFFFFFu, &r, NULL);
    assert_int_equal(r.ptr, 0);
    assert_int_equal(r.error, ERROR_NOT_ENOUGH_MEMORY);
    assert_int_equal(r.exception, 0);
    heap_alloc(f->p, h, HEAP_GENERATE_EXCEPTIONS, 0x7FFFFFF0u, &r, NULL);
    assert_int_equal(r.ptr, 0);
    assert_int_equal(r.exception, STATUS_NO_MEMORY);
    uint32_t x = create(f, HEAP_GENERATE_EXCEPTIONS, 0, 0);
    heap_alloc(f->p, x, 0, 0xFFFFFFFFu, &r, NULL);
    assert_int_equal(r.exception, STATUS_NO_MEMORY);
    invariants(f);
}

static void alloc__over_threshold__a_region_of_its_own(void **state)
{
    fixture_t *f = *state;
    uint32_t h = create(f, 0, 0, 0);
    uint32_t small = alloc(f, h, 0, 0x7F000u - 8), big = alloc(f, h, 0, 0x7F000u);
    assert_true(small > h && small < h + 0x200000u);
    assert_int_equal(big & 0xFFFFu, HEAP_VIRTUAL_HEADER);
    mm_mbi_t m = query(f, big);
    assert_int_equal(m.AllocationBase, big - HEAP_VIRTUAL_HEADER);
    assert_int_equal(m.RegionSize, 0x80000u);
    assert_int_equal(m.State, MEM_COMMIT);
    heap_segment_info_t g;
    assert_true(heap_segment_of(f->p, big, &g));
    assert_true(g.virtual_block);
    assert_int_equal(hfree(f, h, big), 0);
    assert_int_equal(query(f, big).State, MEM_FREE);
}

static void alloc__fixed_heap__refuses_large_and_stops_when_full(void **state)
{
    fixture_t *f = *state;
    uint32_t h = create(f, 0, 0x1000, 0x10000);
    heap_result_t r;
    heap_alloc(f->p, h, 0, HEAP_MAX_FIXED_ALLOC + 1, &r, NULL);
    assert_int_equal(r.ptr, 0);
    uint32_t n = 0;
    while (alloc(f, h, 0, 0x1000)) n++;
    assert_int_equal(n, 15); /* (0x10000 - 0x680 of headers) / 0x1008 a block */
    mm_mbi_t m = query(f, h);
    assert_int_equal(m.RegionSize, 0x10000u);
}

static void alloc__segment_full__growable_heap_adds_a_segment(void **state)
{
    fixture_t *f = *state;
    uint32_t h = create(f, HEAP_NO_SERIALIZE, 0, 0);
    uint32_t last = 0;
    for (int i = 0; i < 40; i++) last = alloc(f, h, 0, 0x7E000u);
    assert_int_not_equal(last, 0);
    heap_info_t info;
    assert_true(heap_info(f->p, h, &info));
    assert_true(info.segments >= 2);
    heap_segment_info_t g;
    assert_true(heap_segment_at(f->p, 2, &g)); /* 0: the process heap */
    assert_int_equal(g.heap, h);
    assert_int_equal(query(f, g.base).AllocationBase, g.base);
    assert_int_equal(byte_at(f, g.base + 8), 0xFF); /* the segment's signature */
}

static void free__large_free_tail__decommits_its_pages(void **state)
{
    fixture_t *f = *state;
    uint32_t h = create(f, HEAP_NO_SERIALIZE, 0, 0);
    uint32_t a[8];
    for (int i = 0; i < 8; i++) a[i] = alloc(f, h, 0, 0x8000);
    heap_info_t grown, shrunk;
    assert_true(heap_info(f->p, h, &grown));
    for (int i = 7; i >= 0; i--) assert_int_equal(hfree(f, h, a[i]), 0);
    assert_true(heap_info(f->p, h, &shrunk));
    assert_true(shrunk.committed < grown.committed);
    assert_int_equal(shrunk.committed, 0x1000u);
    assert_int_equal(query(f, h + 0x1000).State, MEM_RESERVE);
}

static void realloc__shrink_grow_move_and_in_place_only(void **state)
{
    fixture_t *f = *state;
    uint32_t h = create(f, HEAP_NO_SERIALIZE, 0, 0);
    uint32_t a = alloc(f, h, 0, 64);
    mm_access_t acc = { 0 };
    assert_true(mm_write8(f->p, a, 0x5A, &acc));
    heap_result_t r;
    heap_realloc(f->p, h, 0, a, 16, &r, NULL);
    invariants(f);
    assert_int_equal(r.ptr, a);
    heap_realloc(f->p, h, HEAP_ZERO_MEMORY, a, 200, &r, NULL); /* grows into the free space after it */
    invariants(f);
    assert_int_equal(r.ptr, a);
    assert_int_equal(byte_at(f, a + 100), 0);
    uint32_t wall = alloc(f, h, 0, 8);
    assert_int_equal(wall, a + 208);
    heap_realloc(f->p, h, HEAP_REALLOC_IN_PLACE_ONLY, a, 400, &r, NULL);
    assert_int_equal(r.ptr, 0);
    assert_int_equal(r.error, ERROR_NOT_ENOUGH_MEMORY);
    heap_realloc(f->p, h, 0, a, 400, &r, NULL);
    invariants(f);
    assert_int_not_equal(r.ptr, a);
    assert_int_equal(byte_at(f, r.ptr), 0x5A);
    heap_realloc(f->p, h, 0, a, 10, &r, NULL);
    assert_int_equal(r.error, ERROR_INVALID_PARAMETER);
}

static void walk__fresh_heap__region_blocks_then_uncommitted(void **state)
{
    fixture_t *f = *state;
    uint32_t h = create(f, 0, 0, 0);
    uint32_t a = alloc(f, h, 0, 24);
    heap_walk_entry_t e;
    memset(&e, 0, sizeof e);
    assert_int_equal(heap_walk(f->p, h, &e), 0);
    assert_int_equal(e.flags, PS_PROCESS_HEAP_REGION);
    assert_int_equal(e.data, h);
    uint32_t busy = 0, uncommitted = 0, n = 0, seen_a = 0;
    while (heap_walk(f->p, h, &e) == 0) {
        n++;
        if (e.flags & PS_PROCESS_HEAP_ENTRY_BUSY) busy++;
        if (e.flags & PS_PROCESS_HEAP_UNCOMMITTED_RANGE) uncommitted++;
        if (e.data == a) seen_a = e.size;
    }
    assert_int_equal(busy, 2); /* the lookaside table and a */
    assert_int_equal(uncommitted, 1);
    assert_int_equal(seen_a, 24);
    assert_int_equal(n, 4);
    assert_int_equal(heap_walk(f->p, 0x12340000u, &e), ERROR_INVALID_HANDLE);
}

static void validate__header_overwritten__fails(void **state)
{
    fixture_t *f = *state;
    uint32_t h = create(f, 0, 0, 0);
    uint32_t a = alloc(f, h, 0, 24);
    assert_true(heap_validate(f->p, h, 0, NULL));
    assert_true(heap_validate(f->p, h, a, NULL));
    mm_access_t acc = { 0 };
    assert_true(mm_write8(f->p, a - 8, 0x77, &acc));
    assert_false(heap_validate(f->p, h, a, NULL));
    assert_false(heap_validate(f->p, h, 0, NULL));
    invariants(f); /* the model is intact: the program broke its memory */
}

static void destroy__releases_segments_and_large_blocks(void **state)
{
    fixture_t *f = *state;
    uint32_t h = create(f, 0, 0, 0);
    uint32_t big = alloc(f, h, 0, 0x100000);
    for (int i = 0; i < 20; i++) alloc(f, h, 0, 0x70000);
    assert_int_equal(heap_destroy(f->p, h, NULL), 0);
    invariants(f);
    assert_int_equal(query(f, h).State, MEM_FREE);
    assert_int_equal(query(f, big).State, MEM_FREE);
    uint32_t heaps[4];
    assert_int_equal(heap_list(f->p, heaps, 4), 1);
    assert_int_equal(heap_destroy(f->p, h, NULL), ERROR_INVALID_HANDLE);
}

static void clone__copies_heaps_independently(void **state)
{
    fixture_t *f = *state;
    uint32_t h = create(f, 0, 0, 0);
    uint32_t a = alloc(f, h, 0, 24);
    mm_t *c = mm_clone(f->mm);
    assert_non_null(c);
    mm_process_t *cp = mm_current(c);
    heap_result_t r;
    heap_alloc(cp, h, 0, 24, &r, NULL);
    assert_int_equal(r.ptr, a + 32);
    assert_int_equal(heap_free(cp, h, 0, a, NULL), 0);
    assert_true(mm_check(c, f->msg, sizeof f->msg));
    mm_free(c);
    uint32_t size;
    assert_int_equal(heap_size(f->p, h, 0, a, &size, NULL), 0);
    assert_int_equal(alloc(f, h, 0, 24), a + 32);
}

/* The bytes of the program's memory at va..va+n, as a read sees them. */
static void read_bytes(mm_process_t *p, uint32_t va, uint8_t *out, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        mm_access_t acc = { 0 };
        assert_true(mm_read8(p, va + i, &out[i], &acc));
    }
}

static void store_cache__after_clone__the_copy_keeps_its_bytes(void **state)
{
    fixture_t *f = *state;
    uint32_t h = create(f, 0, 0, 0);
    uint32_t a = alloc(f, h, 0, 24); /* its page is dirty now, and cached */
    mm_t *c = mm_clone(f->mm);
    assert_non_null(c);
    uint8_t before[16], after[16];
    read_bytes(mm_current(c), a + 24, before, sizeof before); /* the free block after a */
    assert_int_equal(alloc(f, h, 0, 24), a + 32);             /* the original splits it */
    read_bytes(f->p, a + 24, after, sizeof after);
    assert_memory_not_equal(before, after, 8);
    read_bytes(mm_current(c), a + 24, after, sizeof after);
    assert_memory_equal(before, after, sizeof after);
    assert_true(mm_check(c, f->msg, sizeof f->msg));
    mm_free(c);
}

static void store_cache__page_made_read_only__the_store_faults(void **state)
{
    fixture_t *f = *state;
    uint32_t h = create(f, 0, 0, 0);
    uint32_t a = alloc(f, h, 0, 24), old;
    assert_int_equal(mm_virtual_protect(f->p, a & ~0xFFFu, X86_PAGE_SIZE, PAGE_READONLY, &old, NULL), 0);
    invariants(f);
    assert_int_equal(hfree(f, h, a), ERROR_NOACCESS);
    assert_int_equal(mm_virtual_protect(f->p, a & ~0xFFFu, X86_PAGE_SIZE, PAGE_READWRITE, &old, NULL), 0);
    invariants(f);
}

static void crt__malloc_uses_its_own_heap(void **state)
{
    fixture_t *f = *state;
    heap_result_t r;
    crt_malloc(f->p, 100, &r, NULL);
    invariants(f);
    uint32_t heaps[4];
    assert_int_equal(heap_list(f->p, heaps, 4), 2);
    assert_int_equal(r.ptr, heaps[1] + 0x1E90u);
    uint32_t m = r.ptr;
    assert_true(mm_write8(f->p, m, 9, &(mm_access_t){ 0 }));
    crt_realloc(f->p, m, 5000, &r, NULL);
    assert_int_equal(byte_at(f, r.ptr), 9);
    crt_calloc(f->p, 10, 10, &r, NULL);
    assert_int_equal(byte_at(f, r.ptr + 99), 0);
    crt_calloc(f->p, 0x10000, 0x10000, &r, NULL);
    assert_int_equal(r.ptr, 0);
    assert_int_equal(r.error, 0); /* over _HEAP_MAXREQ: errno only, no HeapAlloc */
    assert_int_equal(crt_free(f->p, 0, NULL), 0);
    invariants(f);
}

static void delphi__get_memory_1000mb__seed_000s_numbers(void **state)
{
    fixture_t *f = *state;
    uint32_t base;
    assert_int_equal(mm_virtual_alloc(f->p, 0x10000000u, 0x3C000, MEM_RESERVE, PAGE_READWRITE, &base, NULL), 0);
    heap_result_t r;
    delphi_get_memory(f->p, 1000u << 20, &r, NULL);
    assert_int_equal(r.ptr, 0x10040004u);
    mm_mbi_t m = query(f, r.ptr);
    assert_int_equal(m.AllocationBase, 0x10040000u);
    assert_int_equal(m.RegionSize, 0x3E804000u);
    assert_int_equal(byte_at(f, 0x10040000u), 0x06);
    assert_int_equal(byte_at(f, 0x10040001u), 0x00);
    assert_int_equal(byte_at(f, 0x10040002u), 0x80);
    assert_int_equal(byte_at(f, 0x10040003u), 0x3E);
    delphi_get_memory(f->p, 1000, &r, NULL);
    assert_int_equal(r.error, ERROR_CALL_NOT_IMPLEMENTED);
    assert_int_equal(delphi_free_memory(f->p, 0x10040004u, NULL), 0);
    assert_int_equal(query(f, 0x10040000u).State, MEM_FREE);
    assert_int_equal(delphi_free_memory(f->p, 0x10040004u, NULL), ERROR_INVALID_PARAMETER);
}

/* A long deterministic mix of calls, the invariants after each. */
static void mix__thousands_of_calls__invariants_hold(void **state)
{
    fixture_t *f = *state;
    uint32_t h = create(f, 0, 0, 0), live[256] = { 0 }, seed = 12345;
    for (int i = 0; i < 4000; i++) {
        seed = seed * 1103515245u + 12345u;
        uint32_t k = (seed >> 8) % 256, size = (seed >> 16) % 3 == 0 ? (seed >> 4) % 0x3000 : (seed >> 4) % 200;
        if (live[k]) {
            if ((seed >> 20) & 1) {
                heap_result_t r;
                heap_realloc(f->p, h, 0, live[k], size, &r, NULL);
                invariants(f);
                if (r.ptr) live[k] = r.ptr;
            } else {
                assert_int_equal(hfree(f, h, live[k]), 0);
                live[k] = 0;
            }
        } else {
            live[k] = alloc(f, h, (seed >> 21) & 1 ? HEAP_ZERO_MEMORY : 0, size);
            assert_int_not_equal(live[k], 0);
        }
    }
    assert_true(heap_validate(f->p, h, 0, NULL));
}

static void check__broken_total__names_the_heap(void **state)
{
    fixture_t *f = *state;
    uint32_t h = create(f, 0, 0, 0);
    heap_t *hp = heap_find(f->p, h, NULL);
    hp->free_bytes += 8;
    assert_false(heap_check(f->p, f->msg, sizeof f->msg));
    assert_non_null(strstr(f->msg, "free blocks hold"));
    hp->free_bytes -= 8;
    assert_true(heap_check(f->p, f->msg, sizeof f->msg));
}

/* Destroying a heap between two others: their records take their new
 * numbers (a block still tells its heap), and the released segments' and
 * large blocks' record pages go. */
static void destroy__middle_of_three__the_others_keep_their_blocks(void **state)
{
    fixture_t *f = *state;
    uint32_t h[3], a[3], big = 0;
    for (int i = 0; i < 3; i++) {
        h[i] = create(f, 0, 0, 0);
        a[i] = alloc(f, h[i], 0, 40);
    }
    big = alloc(f, h[1], 0, 0x100000);
    assert_int_equal(heap_destroy(f->p, h[1], NULL), 0);
    invariants(f);
    const heap_set_t *s = f->p->heaps;
    assert_null(heap_blk_at(s, a[1] - 8));
    assert_null(heap_blk_at(s, big - 8));
    uint32_t size;
    assert_int_equal(heap_size(f->p, h[2], 0, a[2], &size, NULL), 0);
    assert_int_equal(size, 40);
    assert_int_equal(heap_size(f->p, h[0], 0, a[2], &size, NULL), ERROR_INVALID_PARAMETER);
    assert_int_equal(hfree(f, h[2], a[2]), 0);
    assert_int_equal(hfree(f, h[0], a[0]), 0);
    assert_true(heap_validate(f->p, h[2], 0, NULL));
}

/* The check finds a record left where no block starts, and a page whose
 * count of records is wrong. */
static void check__stray_record__is_found(void **state)
{
    fixture_t *f = *state;
    uint32_t h = create(f, 0, 0, 0);
    uint32_t a = alloc(f, h, 0, 64);
    heap_set_t *s = f->p->heaps;
    hblk_t *e = heap_blk_new(f->p, s, a + 16); /* inside the block */
    assert_non_null(e);
    e->units = 2;
    assert_false(heap_check(f->p, f->msg, sizeof f->msg));
    assert_non_null(strstr(f->msg, "records are kept"));
    heap_blk_dead(s, a + 16);
    invariants(f);
    s->leaf[a / HEAP_LEAF]->count[(a % HEAP_LEAF) / X86_PAGE_SIZE]++;
    assert_false(heap_check(f->p, f->msg, sizeof f->msg));
    assert_non_null(strstr(f->msg, "count"));
    s->leaf[a / HEAP_LEAF]->count[(a % HEAP_LEAF) / X86_PAGE_SIZE]--;
    invariants(f);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define TE(fn) cmocka_unit_test_setup_teardown(fn, setup_empty, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(process_heap__typical_layout__is_the_heap_at_0x140000),
        T(create__growable__reserves_1mb_first_block_after_lookaside),
        T(alloc__100_bytes__header_says_14_units_12_unused),
        T(alloc__zero_bytes__a_block_of_two_units),
        T(free__three_neighbours__coalesce_into_one_free_block),
        T(free__twice_or_foreign__fail_with_invalid_parameter),
        T(alloc__huge__null_with_not_enough_memory_or_an_exception),
        T(alloc__over_threshold__a_region_of_its_own),
        T(alloc__fixed_heap__refuses_large_and_stops_when_full),
        T(alloc__segment_full__growable_heap_adds_a_segment),
        T(free__large_free_tail__decommits_its_pages),
        T(realloc__shrink_grow_move_and_in_place_only),
        T(walk__fresh_heap__region_blocks_then_uncommitted),
        T(validate__header_overwritten__fails),
        T(destroy__releases_segments_and_large_blocks),
        T(clone__copies_heaps_independently),
        T(store_cache__after_clone__the_copy_keeps_its_bytes),
        T(store_cache__page_made_read_only__the_store_faults),
        T(crt__malloc_uses_its_own_heap),
        TE(delphi__get_memory_1000mb__seed_000s_numbers),
        T(mix__thousands_of_calls__invariants_hold),
        T(check__broken_total__names_the_heap),
        T(destroy__middle_of_three__the_others_keep_their_blocks),
        T(check__stray_record__is_found),
    };
    return cmocka_run_group_tests_name("sim.heap", tests, NULL, NULL);
}
