/* frontend.sdl_layout: pagesim-sdl's layout, colours, map and walk, without
 * SDL. */
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
#include "pagesim/format.h"
#include "pagesim/strbuf.h"
#include "view.h"

static bool inside(const view_rect_t *in, const view_rect_t *out)
{
    return in->x >= out->x && in->y >= out->y && in->x + in->w <= out->x + out->w && in->y + in->h <= out->y + out->h;
}

static bool overlap(const view_rect_t *a, const view_rect_t *b)
{
    return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

/* Every panel inside the frame, none over another, the timeline's parts in it. */
static void assert_panels_apart(const view_layout_t *L)
{
    view_rect_t all = { 0, 0, L->w, L->h };
    const view_rect_t *r[] = { &L->title, &L->map, &L->legend, &L->frames, &L->slots, &L->info, &L->log, &L->timeline };
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) {
        assert_true(inside(r[i], &all));
        assert_true(r[i]->w > 0 && r[i]->h > 0);
        for (size_t j = 0; j < i; j++) assert_false(overlap(r[i], r[j]));
    }
    const view_rect_t *t[] = { &L->buttons[0], &L->buttons[1], &L->buttons[2], &L->buttons[3], &L->buttons[4],
                               &L->next, &L->bar };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        assert_true(inside(t[i], &L->timeline));
        for (size_t j = 0; j < i; j++) assert_false(overlap(t[i], t[j]));
    }
}

static void layout__default_size__map_is_1024_square_and_panels_apart(void **state)
{
    (void)state;
    view_layout_t L;
    view_layout(1760, 1200, 1, &L);
    assert_int_equal(L.map.w, 1024);
    assert_int_equal(L.map.h, 1024);
    assert_panels_apart(&L);
    /* A small window: a smaller map, still square and inside. */
    view_layout(800, 600, 1, &L);
    assert_int_equal(L.map.w, L.map.h);
    assert_true(L.map.w < 600 && L.map.w > 300);
    assert_panels_apart(&L);
    /* HiDPI: twice the pixels, the same proportions. */
    view_layout(3520, 2400, 2, &L);
    assert_int_equal(L.map.w, 2048);
    assert_int_equal(L.map.x, 16);
    assert_panels_apart(&L);
}

/* The default window fits a 1366x768 screen with a title bar and a task
 * bar; there, at 1366x768 and down to 1024x640 the map is large, the text
 * panels hold 50 columns or more, the legend has its rows. */
static void layout__default_and_small_sizes__readable(void **state)
{
    (void)state;
    assert_true(VIEW_DEFAULT_W <= 1366 && VIEW_DEFAULT_H <= 768 - 70);
    static const int sizes[][2] = { { VIEW_DEFAULT_W, VIEW_DEFAULT_H }, { 1366, 768 }, { 1024, 640 } };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        view_layout_t L;
        view_layout(sizes[i][0], sizes[i][1], 1, &L);
        assert_panels_apart(&L);
        assert_true(L.map.w >= 450);
        assert_true(L.info.w >= 50 * 8 && L.log.w >= 50 * 8); /* DejaVu Sans Mono at 13 px: 8 px a column */
        assert_true(L.info.h >= 15 * 16 && L.log.h >= 10 * 16);
        assert_true(L.legend.h >= 4 * 16);
        assert_true(L.info.h > L.log.h); /* the walk needs more room than the log */
    }
}

/* A width of 8 pixels a byte, or of 3 for 'i' and '.' (a proportional font). */
static long mono(const char *s, void *ctx)
{
    (void)ctx;
    return 8 * (long)strlen(s);
}

static long narrow_i(const char *s, void *ctx)
{
    (void)ctx;
    long w = 0;
    for (; *s; s++) w += *s == 'i' || *s == '.' ? 3 : 8;
    return w;
}

static void text__break__at_words_else_where_it_fits(void **state)
{
    (void)state;
    const char *s = "rights   R/W = 1 AND 1 = 1, CR0.WP = 1: supervisor read allowed";
    size_t n = strlen(s);
    assert_int_equal(view_break(s, n, 8 * (long)n, mono, NULL), n); /* it fits */
    size_t k = view_break(s, n, 8 * 50, mono, NULL);
    assert_int_equal(k, strlen("rights   R/W = 1 AND 1 = 1, CR0.WP = 1: ")); /* after a space */
    assert_int_equal(view_break(s + k, n - k, 8 * 50, mono, NULL), n - k);
    /* A word longer than the row: cut where it fits. */
    assert_int_equal(view_break("0123456789abcdef", 16, 8 * 10, mono, NULL), 10);
    /* Nothing fits: one character, whole (UTF-8). */
    assert_int_equal(view_break("\xc3\xa9t\xc3\xa9", 5, 4, mono, NULL), 2);
    /* A cut never falls inside a character. */
    assert_int_equal(view_break("ab\xc3\xa9" "cd", 6, 8 * 3, mono, NULL), 2);
    /* Widths come from the function: narrow letters take less room. */
    assert_int_equal(view_break("iiiiiiiiii", 10, 30, narrow_i, NULL), 10);
    /* Where continuation rows start. */
    assert_int_equal(view_hang("  12 | VirtualAlloc(a, PAGE_SIZE)", 33), 7);
    assert_int_equal(view_hang("    linear   0x12345678, read", 29), 13);
    assert_int_equal(view_hang("    why: 0x00240000 is committed", 32), 6);
}

static void layout__timeline__buttons_and_bar_find_what_was_clicked(void **state)
{
    (void)state;
    view_layout_t L;
    view_layout(1760, 1200, 1, &L);
    for (int i = 0; i < VIEW_BUTTONS; i++) {
        const view_rect_t *b = &L.buttons[i];
        assert_int_equal(view_button_at(&L, b->x + b->w / 2, b->y + b->h / 2), i);
    }
    assert_int_equal(view_button_at(&L, L.map.x + 5, L.map.y + 5), -1);
    assert_string_equal(view_button_label(VIEW_BUTTON_PLAY, false), "play");
    assert_string_equal(view_button_label(VIEW_BUTTON_PLAY, true), "pause");
    assert_string_equal(view_button_label(VIEW_BUTTON_END, true), ">|");
    /* Each mark of the bar leads back to its step; the ends clamp. */
    for (size_t k = 0; k <= 51; k++) assert_int_equal(view_bar_step(&L.bar, 51, view_bar_x(&L.bar, 51, k)), k);
    assert_int_equal(view_bar_step(&L.bar, 51, L.bar.x - 10), 0);
    assert_int_equal(view_bar_step(&L.bar, 51, L.bar.x + L.bar.w + 10), 51);
    assert_int_equal(view_bar_x(&L.bar, 0, 0), L.bar.x);
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
    assert_true(view_cell_at(&map, &vp, q.x + 100, q.y + 100, &cx, &cy));
    assert_int_equal(cx, 0x345);
    assert_int_equal(cy, 0x048);
    view_port_pan(&vp, -5000, 5000);
    assert_int_equal(vp.x, 0);
    assert_int_equal(vp.y, 1020);
    assert_false(view_cell_rect(&map, &vp, 0x345, 0x048, &q));
    for (int i = 0; i < 10; i++) view_port_zoom(&vp, -1, 0, 0);
    assert_int_equal(vp.n, 1024);
    assert_int_equal(vp.x, 0);
    assert_int_equal(vp.y, 0);
}

static void colours__every_state__its_own_and_text_reads_on_it(void **state)
{
    (void)state;
    for (int i = 0; i < MM_PAGE_STATE_COUNT; i++) {
        assert_int_equal(view_state_colour((mm_page_state_t)i) >> 24, 0xFF);
        assert_non_null(view_state_name((mm_page_state_t)i));
        for (int j = 0; j < i; j++)
            assert_int_not_equal(view_state_colour((mm_page_state_t)i), view_state_colour((mm_page_state_t)j));
    }
    mm_frame_info_t f = { .kind = MM_FRAME_USER, .owner = 1 };
    assert_int_equal(view_frame_colour(&f), view_process_colour(1));
    assert_int_not_equal(view_process_colour(0), view_process_colour(1));
    f.kind = MM_FRAME_FREE;
    assert_int_equal(view_frame_colour(&f), view_state_colour(MM_PAGE_FREE));
    assert_int_equal(view_frames_per_cell(262144, 32, 512), 16);
    assert_int_equal(view_frames_per_cell(100, 32, 512), 1);
    assert_int_equal(view_ink_on(view_state_colour(MM_PAGE_PAGE_TABLE)), 0xFF000000u);
    assert_int_equal(view_ink_on(view_state_colour(MM_PAGE_FREE)), VIEW_INK);
    assert_int_equal(view_ink_on(view_state_colour(MM_PAGE_DIRTY)), VIEW_INK);
}

static void open_file(app_t *a, const char *rel)
{
    size_t len;
    char *text = source_file(rel, &len);
    assert_true(app_open(a, text, len, rel));
    free(text);
}

static size_t at(uint32_t va)
{
    return (size_t)view_va_y(va) * VIEW_MAP_CELLS + (size_t)view_va_x(va);
}

/* Two processes map one file: the hover text names the file, the page and
 * both mappings; a page of the copy-on-write view that was written is the
 * process's own copy; file and shared pages have their colours. */
static void hover__shared_file_page__file_and_sharers_named(void **state)
{
    (void)state;
    app_t a;
    open_file(&a, "scenarios/files/two-processes-share-file.scn");
    app_run_to(&a, 1000);
    app_refresh(&a);
    mm_t *mm = app_mm(&a);
    mm_process_t *b = mm_process_find(mm, "b");
    assert_non_null(b);
    strbuf_t t;
    strbuf_init(&t, NULL);
    view_backing_text(mm, b, 0x30000000u, &t);
    assert_string_equal(strbuf_str(&t), "backing: page 0 of file \"shared.bin\", frame 0x0040E\n"
                                        "mapped by 2 mappings in 2 processes: main 0x20000000, b 0x30000000\n");
    strbuf_clear(&t);
    view_backing_text(mm, b, 0x31000000u, &t);
    assert_non_null(strstr(strbuf_str(&t), "a private copy of a view's page"));
    assert_null(strstr(strbuf_str(&t), "mapped by"));
    strbuf_clear(&t);
    view_backing_text(mm, b, 0x31001000u, &t);
    assert_string_equal(strbuf_str(&t), "backing: page 1 of file \"shared.bin\", copy-on-write\n");
    strbuf_fini(&t);
    mm_page_info_t pi;
    mm_page_info(b, 0x30000000u, &pi);
    assert_int_equal(pi.state, MM_PAGE_SHARED);
    mm_page_info(b, 0x30001000u, &pi);
    assert_int_equal(pi.state, MM_PAGE_FILE);
    assert_string_equal(view_state_name(MM_PAGE_FILE), "file");
    mm_frame_info_t fi;
    mm_frame_info(mm, 0x40E, &fi);
    assert_int_equal(view_frame_colour(&fi), view_state_colour(MM_PAGE_FILE));
    app_close(&a);
}

/* Seed 004's AWE pages: their own colour in the map and the frame strip,
 * and the hover text says what backs them. */
static void hover__awe_page__own_colour_and_backing(void **state)
{
    (void)state;
    app_t a;
    open_file(&a, "scenarios/awe/seed004-awe.scn");
    app_run_to(&a, 43); /* the 43 statements before `stats`: two pages mapped */
    app_refresh(&a);
    mm_t *mm = app_mm(&a);
    mm_process_t *p = mm_process_find(mm, "main");
    assert_non_null(p);
    mm_page_info_t pi;
    mm_page_info(p, 0x00410000u, &pi);
    assert_int_equal(pi.state, MM_PAGE_AWE);
    strbuf_t t;
    strbuf_init(&t, NULL);
    view_backing_text(mm, p, 0x00410000u, &t);
    assert_non_null(strstr(strbuf_str(&t), "backing: a physical page of the process's own (AWE)"));
    assert_non_null(strstr(strbuf_str(&t), "mapped by 1 mapping in 1 process: main 0x00410000"));
    strbuf_fini(&t);
    mm_frame_info_t fi;
    mm_frame_info(mm, pi.frame, &fi);
    assert_int_equal(fi.kind, MM_FRAME_AWE);
    assert_int_equal(view_frame_colour(&fi), view_state_colour(MM_PAGE_AWE));
    app_close(&a);
}

static void app__seed003_demo__pages_at_their_cells_in_their_colours(void **state)
{
    (void)state;
    app_t a;
    open_file(&a, "scenarios/seeds/seed003-demo.scn");
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
        assert_int_equal(view_va_y(va), 0);
        assert_int_equal(view_va_x(va), 0x240 + i);
        assert_int_equal(a.states[at(va)], want[i]);
        assert_int_equal(a.pixels[at(va)], view_state_colour(want[i]));
    }
    assert_int_equal(a.states[at(0x00400000u)], MM_PAGE_IMAGE);
    assert_int_equal(a.states[at(0x80005000u)], MM_PAGE_SYSTEM);
    assert_int_equal(a.pixels[at(0x80005000u)], view_state_colour(MM_PAGE_SYSTEM));
    /* The self-map: row 0x300 holds the page tables, the one of PDE 0 first. */
    assert_int_equal(a.states[at(0xC0000000u)], MM_PAGE_PAGE_TABLE);
    assert_int_equal(a.pixels[at(0xC0000000u)], view_state_colour(MM_PAGE_PAGE_TABLE));
    assert_int_equal(a.states[at(0xC0300000u)], MM_PAGE_PAGE_TABLE); /* the directory itself */
    assert_int_equal(a.states[at(0xC0100000u)], MM_PAGE_SYSTEM);     /* PDE 0x100: no table */
    /* Back to before the reservation: the cells are free again. */
    app_run_to(&a, 2);
    app_refresh(&a);
    assert_int_equal(a.states[at(base)], MM_PAGE_FREE);
    assert_int_equal(a.pixels[at(base)], view_state_colour(MM_PAGE_FREE));
    app_close(&a);
}

static void app__walk__peeks_without_changing_the_machine(void **state)
{
    (void)state;
    app_t a;
    open_file(&a, "scenarios/seeds/seed003-demo.scn");
    app_run_to(&a, 40);
    assert_null(app_walk(&a, NULL)); /* nothing selected */
    mm_page_info_t before, after;
    app_page(&a, 0x00240000u, &before);
    app_select(&a, 0x00240123u);
    const mmu_walk_t *write;
    const mmu_walk_t *w = app_walk(&a, &write);
    assert_non_null(w);
    assert_int_equal(w->reason, MMU_OK);
    assert_int_equal(w->mode, MMU_USER);
    assert_int_equal(w->nlevels, 2);
    assert_int_equal(w->level[0].index, 0);
    assert_int_equal(w->level[1].index, 0x240);
    assert_int_equal(w->phys & 0xFFFu, 0x123);
    assert_int_equal(app_walk_frame(w), before.frame);
    assert_int_equal(write->reason, MMU_OK); /* read-write since VirtualProtect */
    app_page(&a, 0x00240000u, &after);
    assert_int_equal(after.pte, before.pte);
    /* Page 1 is only reserved: the walk stops at a PTE that is not present. */
    app_select(&a, 0x00241000u);
    w = app_walk(&a, NULL);
    assert_int_equal(w->reason, MMU_PTE_NOT_PRESENT);
    assert_int_equal(app_walk_frame(w), -1);
    /* Kernel space is walked in kernel mode. */
    app_select(&a, 0x80000000u);
    assert_int_equal(app_walk(&a, NULL)->mode, MMU_KERNEL);
    /* A step reads the walk again: before the write, page 0 was read-only. */
    app_select(&a, 0x00240000u);
    app_run_to(&a, 20);
    app_walk(&a, &write);
    assert_int_not_equal(write->reason, MMU_OK);
    app_close(&a);
}

static void app__two_processes__each_shown_through_its_own_directory(void **state)
{
    (void)state;
    app_t a;
    open_file(&a, "scenarios/paging/two-processes.scn");
    app_run_to(&a, 7); /* both wrote 0x12345678; B is current */
    mm_t *mm = app_mm(&a);
    assert_ptr_equal(app_process(&a), mm_current(mm));
    assert_string_equal(mm_process_name(app_process(&a)), "B");
    app_select(&a, 0x12345678u);
    long frame_b = app_walk_frame(app_walk(&a, NULL));
    int index_a = -1;
    for (uint32_t i = 0; i < mm_process_count(mm); i++)
        if (mm_process_at(mm, i) == mm_process_find(mm, "A")) index_a = (int)i;
    app_show_process(&a, index_a);
    assert_string_equal(mm_process_name(app_process(&a)), "A");
    const mmu_walk_t *w = app_walk(&a, NULL);
    assert_int_equal(w->reason, MMU_OK);
    mm_page_info_t pi;
    app_page(&a, 0x12345678u, &pi);
    assert_int_equal(app_walk_frame(w), pi.frame);
    assert_int_not_equal(app_walk_frame(w), frame_b);
    assert_int_equal(w->cr3 & 0xFFFFF000u, mm_process_cr3(app_process(&a)) & 0xFFFFF000u);
    /* Chosen, A stays shown while B runs; Tab goes on to the next. */
    app_forward(&a);
    assert_string_equal(mm_process_name(app_process(&a)), "A");
    app_refresh(&a);
    assert_int_equal(a.states[at(0x12345000u)], MM_PAGE_DIRTY);
    app_next_process(&a);
    assert_int_equal(a.proc, (index_a + 1) % (int)mm_process_count(app_mm(&a)));
    app_close(&a);
}

static void app__bare_machine__cells_from_the_hand_written_tables(void **state)
{
    (void)state;
    app_t a;
    open_file(&a, "scenarios/hardware/seed001-worked-walk.scn");
    app_run_to(&a, 9);
    app_refresh(&a);
    assert_int_equal(a.states[0x048 * VIEW_MAP_CELLS + 0x345], MM_PAGE_RESIDENT);
    assert_int_equal(a.states[0x048 * VIEW_MAP_CELLS + 0x344], MM_PAGE_FREE);
    mm_page_info_t pi;
    app_page(&a, 0x12345678u, &pi);
    assert_int_equal(pi.frame, 0x40000);
    assert_int_equal(pi.pde & 0xFFFFF000u, 0xA0000000u);
    app_select(&a, 0x12345678u);
    const mmu_walk_t *w = app_walk(&a, NULL);
    assert_int_equal(w->reason, MMU_OK);
    assert_int_equal(w->phys, 0x40000678u);
    assert_int_equal(app_walk_frame(w), 0x40000);
    app_close(&a);
}

/* Which stage of the animation tells each step of the narrator's walk:
 * the split, the TLB and CR3 with the directory, the PDE, the PTE, the
 * outcome with the frame. */
static void app__narrator_steps__stages_of_the_walk(void **state)
{
    (void)state;
    app_t a;
    open_file(&a, "scenarios/seeds/seed003-demo.scn");
    app_run_to(&a, 40);
    app_select(&a, 0x00240000u);
    const mmu_walk_t *w = app_walk(&a, NULL);
    fmt_line_t l[FMT_WALK_LINES];
    int steps = 0, n = fmt_walk_lines(w, l, FMT_WALK_LINES, &steps);
    assert_int_equal(steps, 6);
    static const int stage[6] = { 0, 0, 0, 1, 2, 3 };
    for (int i = 0; i < n; i++) assert_int_equal(app_step_stage(w, l[i].step, steps), stage[l[i].step]);
    /* A walk that stops at the PDE: the outcome right after it. */
    app_select(&a, 0x60000000u);
    w = app_walk(&a, NULL);
    n = fmt_walk_lines(w, l, FMT_WALK_LINES, &steps);
    assert_int_equal(steps, 5);
    assert_int_equal(app_step_stage(w, 3, steps), 1);
    assert_int_equal(app_step_stage(w, 4, steps), APP_STAGES - 1);
    /* A TLB hit: the split and the TLB, then the outcome. */
    mmu_walk_t hit = *w;
    hit.tlb = MMU_TLB_HIT;
    assert_int_equal(app_step_stage(&hit, 1, 3), 0);
    assert_int_equal(app_step_stage(&hit, 2, 3), APP_STAGES - 1);
    app_close(&a);
}

/* The scenario's allocations (not the layout's) are kept as marks, boxed
 * on the map at least 7 pixels each way, inside it. */
static void app__marks__the_scenarios_allocations(void **state)
{
    (void)state;
    app_t a;
    open_file(&a, "scenarios/tour/tour.scn");
    app_refresh(&a);
    assert_int_equal(a.nmarks, 0); /* the layout's image, stack, heap: not marked */
    app_run_to(&a, 1);
    app_refresh(&a);
    assert_int_equal(a.nmarks, 2);
    assert_int_equal(a.marks[0], 0x12340000u);
    assert_int_equal(a.marks[1], 0x12354000u);
    view_rect_t map = { 8, 30, 512, 512 }, q;
    view_port_t vp;
    view_port_all(&vp);
    assert_true(view_mark_rect(&map, &vp, a.marks[0], a.marks[1], &q));
    assert_true(q.w >= 7 && q.h >= 7);
    assert_true(q.x <= 8 + 0x340 / 2 && q.x + q.w >= 8 + 0x354 / 2);
    assert_true(q.y <= 30 + 0x48 / 2 && q.y + q.h > 30 + 0x48 / 2);
    /* A block on row 0 is boxed inside the map. */
    assert_true(view_mark_rect(&map, &vp, 0x00240000u, 0x00254000u, &q));
    assert_int_equal(q.y, 30);
    /* Out of view: no box. */
    vp = (view_port_t){ 0, 512, 512 };
    assert_false(view_mark_rect(&map, &vp, a.marks[0], a.marks[1], &q));
    app_run_to(&a, scn_history_count(a.h));
    app_refresh(&a);
    assert_int_equal(a.nmarks, 0); /* released at the end of the tour */
    app_close(&a);
}

static void app__bad_scenario__says_where(void **state)
{
    (void)state;
    app_t a;
    const char *text = "GetSystemInfo()\nfrobnicate 1\n";
    assert_false(app_open(&a, text, strlen(text), "bad"));
    assert_non_null(strstr(a.error, "2:1: error: "));
    app_close(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(layout__default_size__map_is_1024_square_and_panels_apart),
        cmocka_unit_test(layout__default_and_small_sizes__readable),
        cmocka_unit_test(text__break__at_words_else_where_it_fits),
        cmocka_unit_test(layout__timeline__buttons_and_bar_find_what_was_clicked),
        cmocka_unit_test(port__zoom_and_pan__keeps_the_cell_under_the_pointer),
        cmocka_unit_test(colours__every_state__its_own_and_text_reads_on_it),
        cmocka_unit_test(hover__shared_file_page__file_and_sharers_named),
        cmocka_unit_test(hover__awe_page__own_colour_and_backing),
        cmocka_unit_test(app__seed003_demo__pages_at_their_cells_in_their_colours),
        cmocka_unit_test(app__walk__peeks_without_changing_the_machine),
        cmocka_unit_test(app__two_processes__each_shown_through_its_own_directory),
        cmocka_unit_test(app__bare_machine__cells_from_the_hand_written_tables),
        cmocka_unit_test(app__narrator_steps__stages_of_the_walk),
        cmocka_unit_test(app__marks__the_scenarios_allocations),
        cmocka_unit_test(app__bad_scenario__says_where),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
