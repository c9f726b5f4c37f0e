/* frontend.sdl_view: pagesim-sdl's layout, colours and map, without SDL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "source_file.h"
#include "app.h"
#include "view.h"

static bool inside(const view_rect_t *in, const view_rect_t *out)
{
    return in->x >= out->x && in->y >= out->y && in->x + in->w <= out->x + out->w && in->y + in->h <= out->y + out->h;
}

static bool overlap(const view_rect_t *a, const view_rect_t *b)
{
    return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

static void layout__default_size__map_is_1024_square_and_panels_apart(void **state)
{
    (void)state;
    view_layout_t L;
    view_layout(1760, 1200, 1, &L);
    assert_int_equal(L.map.w, 1024);
    assert_int_equal(L.map.h, 1024);
    view_rect_t all = { 0, 0, 1760, 1200 };
    const view_rect_t *r[] = { &L.title, &L.map, &L.legend, &L.frames, &L.slots, &L.info, &L.log, &L.timeline };
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) {
        assert_true(inside(r[i], &all));
        assert_true(r[i]->w > 0 && r[i]->h > 0);
        for (size_t j = 0; j < i; j++) assert_false(overlap(r[i], r[j]));
    }
    /* A small window: a smaller map, still square and inside. */
    view_layout(800, 600, 1, &L);
    assert_int_equal(L.map.w, L.map.h);
    assert_true(L.map.w < 600 && L.map.w > 300);
    /* HiDPI: twice the pixels, the same proportions. */
    view_layout(3520, 2400, 2, &L);
    assert_int_equal(L.map.w, 2048);
}

static void port__zoom_and_pan__keeps_the_cell_under_the_pointer(void **state)
{
    (void)state;
    view_rect_t map = { 10, 20, 1024, 1024 };
    view_port_t vp;
    view_port_all(&vp);
    int cx, cy;
    assert_true(view_cell_at(&map, &vp, 10 + 0x345, 20 + 0x048, &cx, &cy));
    assert_int_equal(cx, 0x345);
    assert_int_equal(cy, 0x048);
    assert_int_equal(view_cell_va(cx, cy), 0x12345000u);
    assert_false(view_cell_at(&map, &vp, 9, 20, &cx, &cy));
    view_port_zoom(&vp, 1, 0x345, 0x048);
    assert_int_equal(vp.n, 512);
    view_rect_t q;
    assert_true(view_cell_rect(&map, &vp, 0x345, 0x048, &q));
    assert_int_equal(q.w, 2);
    /* The cell stays under the same screen point. */
    assert_true(q.x <= 10 + 0x345 && q.x + q.w > 10 + 0x345);
    for (int i = 0; i < 10; i++) view_port_zoom(&vp, 1, 0x345, 0x048);
    assert_int_equal(vp.n, 4); /* at most a 4 x 4 view */
    assert_true(view_cell_rect(&map, &vp, 0x345, 0x048, &q));
    assert_int_equal(q.w, 256);
    view_port_pan(&vp, -5000, 5000);
    assert_int_equal(vp.x, 0);
    assert_int_equal(vp.y, 1020);
    for (int i = 0; i < 10; i++) view_port_zoom(&vp, -1, 0, 0);
    assert_int_equal(vp.n, 1024);
    assert_int_equal(vp.x, 0);
    assert_int_equal(vp.y, 0);
}

static void colours__every_state__its_own(void **state)
{
    (void)state;
    for (int i = 0; i < MM_PAGE_STATE_COUNT; i++) {
        assert_int_equal(view_state_colour((mm_page_state_t)i) >> 24, 0xFF);
        for (int j = 0; j < i; j++)
            assert_int_not_equal(view_state_colour((mm_page_state_t)i), view_state_colour((mm_page_state_t)j));
    }
    mm_frame_info_t f = { .kind = MM_FRAME_USER, .owner = 1 };
    assert_int_equal(view_frame_colour(&f), view_process_colour(1));
    assert_int_not_equal(view_process_colour(0), view_process_colour(1));
    assert_int_equal(view_frames_per_cell(262144, 32, 512), 16);
    assert_int_equal(view_frames_per_cell(100, 32, 512), 1);
}


static void app__seed003_demo__pages_at_their_cells_in_their_colours(void **state)
{
    (void)state;
    size_t len;
    char *text = source_file("scenarios/seeds/seed003-demo.scn", &len);
    app_t a;
    assert_true(app_open(&a, text, len, "seed003"));
    free(text);
    app_run_to(&a, 40); /* written page 0, read the byte at 0xFFF */
    app_refresh(&a);
    uint32_t base = 0x00240000u; /* a: the first free 64 KB above the layout's */
    mm_page_info_t pi;
    app_page(&a, base, &pi);
    assert_int_equal(pi.alloc_base, base);
    mm_page_state_t want[20];
    for (int i = 0; i < 20; i++) want[i] = MM_PAGE_RESERVED;
    want[0] = MM_PAGE_DIRTY;
    want[3] = want[4] = want[19] = MM_PAGE_COMMITTED;
    for (int i = 0; i < 20; i++) {
        uint32_t va = base + (uint32_t)i * 4096u;
        size_t at = (size_t)view_va_y(va) * VIEW_MAP_CELLS + (size_t)view_va_x(va);
        assert_int_equal(view_va_y(va), 0);
        assert_int_equal(view_va_x(va), 0x240 + i);
        assert_int_equal(a.states[at], want[i]);
        assert_int_equal(a.pixels[at], view_state_colour(want[i]));
    }
    assert_int_equal(a.states[1 * VIEW_MAP_CELLS + 0], MM_PAGE_IMAGE);          /* 0x00400000 */
    assert_int_equal(a.states[0x200 * VIEW_MAP_CELLS + 5], MM_PAGE_SYSTEM);     /* 0x80005000 */
    assert_int_equal(a.states[0x300 * VIEW_MAP_CELLS + 0], MM_PAGE_PAGE_TABLE); /* PDE 0's table */
    assert_int_equal(a.states[0x300 * VIEW_MAP_CELLS + 0x100], MM_PAGE_SYSTEM); /* no table there */
    /* Back to before the reservation: the cells are free again. */
    app_run_to(&a, 2);
    app_refresh(&a);
    assert_int_equal(a.states[0x240], MM_PAGE_FREE);
    app_close(&a);
}

static void app__bare_machine__cells_from_the_hand_written_tables(void **state)
{
    (void)state;
    size_t len;
    char *text = source_file("scenarios/hardware/seed001-worked-walk.scn", &len);
    app_t a;
    assert_true(app_open(&a, text, len, "seed001"));
    free(text);
    app_run_to(&a, 9);
    app_refresh(&a);
    assert_int_equal(a.states[0x048 * VIEW_MAP_CELLS + 0x345], MM_PAGE_RESIDENT);
    assert_int_equal(a.states[0x048 * VIEW_MAP_CELLS + 0x344], MM_PAGE_FREE);
    mm_page_info_t pi;
    app_page(&a, 0x12345678u, &pi);
    assert_int_equal(pi.frame, 0x40000);
    assert_int_equal(pi.pde & 0xFFFFF000u, 0xA0000000u);
    app_close(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(layout__default_size__map_is_1024_square_and_panels_apart),
        cmocka_unit_test(port__zoom_and_pan__keeps_the_cell_under_the_pointer),
        cmocka_unit_test(colours__every_state__its_own),
        cmocka_unit_test(app__seed003_demo__pages_at_their_cells_in_their_colours),
        cmocka_unit_test(app__bare_machine__cells_from_the_hand_written_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
