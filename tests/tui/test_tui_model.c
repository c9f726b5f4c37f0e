/* frontend.tui_model: the terminal UI's view model, without a terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "source_file.h"
#include "model.h"
#include "fe_title.h"
#include "pagesim/format.h"
#include "pagesim/strbuf.h"


static void open_file(tui_model_t *m, const char *rel)
{
    size_t len;
    char *text = source_file(rel, &len);
    assert_true(model_open(m, text, len));
    free(text);
}

/* Everything a front end can see of the machine, as one string: the
 * regions, the page states of the whole 4 GB, the frames, the counters. */
static char *fingerprint(const tui_model_t *m)
{
    strbuf_t b;
    strbuf_init(&b, NULL);
    mm_process_t *p = model_process(m);
    if (p) {
        fmt_address(&b, p, false, false, 0);
        mm_stats_t st;
        mm_stats(p, &st);
        strbuf_printf(&b, "ws %u dz %llu commit %llu\n", st.working_set, (unsigned long long)st.demand_zero_faults,
                      (unsigned long long)st.commit_charge);
        static uint8_t states[1u << 20];
        mm_page_states(p, 0, 1u << 20, states);
        uint64_t h = 1469598103934665603ull;
        for (uint32_t i = 0; i < 1u << 20; i++) h = (h ^ states[i]) * 1099511628211ull;
        strbuf_printf(&b, "states %llx\n", (unsigned long long)h);
        mm_t *mm = scn_runner_mm(model_runner(m));
        for (uint32_t f = 0; f < mm_frame_count(mm); f++) {
            mm_frame_info_t fi;
            mm_frame_info(mm, f, &fi);
            if (fi.kind != MM_FRAME_FREE && fi.kind != MM_FRAME_KERNEL)
                strbuf_printf(&b, "frame %x %d %d %x\n", f, fi.kind, fi.owner, fi.va);
        }
    }
    mmu_t *mmu = scn_runner_mmu(model_runner(m));
    if (!mmu) {
        char *s = strdup(strbuf_str(&b));
        strbuf_fini(&b);
        return s;
    }
    const mmu_stats_t *ms = mmu_stats(mmu);
    strbuf_printf(&b, "tlb %llu/%llu walks %llu\n", (unsigned long long)ms->tlb_hits,
                  (unsigned long long)ms->tlb_misses, (unsigned long long)ms->walks);
    char *s = strdup(strbuf_str(&b));
    strbuf_fini(&b);
    return s;
}

static void step__forward_then_back__gives_identical_state(void **state)
{
    (void)state;
    tui_model_t m;
    open_file(&m, "scenarios/tour/tour.scn");
    size_t count = model_count(&m);
    char **seen = calloc(count + 1, sizeof *seen);
    char **text = calloc(count + 1, sizeof *text);
    seen[0] = fingerprint(&m);
    for (size_t k = 1; k <= count; k++) {
        assert_true(model_forward(&m));
        seen[k] = fingerprint(&m);
        text[k] = strdup(model_last_text(&m));
    }
    assert_false(model_forward(&m));
    assert_int_not_equal(strcmp(seen[0], seen[count]), 0);
    /* Back one statement at a time: each state is the one seen going forward. */
    for (size_t k = count; k-- > 0;) {
        assert_true(model_back(&m));
        char *now = fingerprint(&m);
        assert_string_equal(now, seen[k]);
        free(now);
    }
    assert_false(model_back(&m));
    /* Forward again: the same results, the same states. */
    for (size_t k = 1; k <= count; k++) {
        assert_true(model_forward(&m));
        assert_string_equal(model_last_text(&m), text[k]);
        char *now = fingerprint(&m);
        assert_string_equal(now, seen[k]);
        free(now);
    }
    /* Jumps land on the same states as single steps. */
    model_run_to(&m, 3);
    char *now = fingerprint(&m);
    assert_string_equal(now, seen[3]);
    free(now);
    model_restart(&m);
    assert_int_equal(model_done(&m), 0);
    for (size_t k = 0; k <= count; k++) {
        free(seen[k]);
        free(text[k]);
    }
    free(seen);
    free(text);
    model_close(&m);
}

static void step__back_over_virtualalloc__region_is_gone(void **state)
{
    (void)state;
    tui_model_t m;
    const char text[] = "VirtualQuery(0x12340000)\n"
                        "a = VirtualAlloc(0x12340000, 0x14000, MEM_RESERVE, PAGE_READWRITE)\n";
    assert_true(model_open(&m, text, sizeof text - 1));
    model_run_to(&m, 1);
    uint32_t allocs = mm_alloc_count(model_process(&m));
    mm_mbi_t mbi;
    assert_int_equal(mm_virtual_query(model_process(&m), 0x12340000u, &mbi, NULL), 0);
    assert_int_equal(mbi.State, 0x10000); /* MEM_FREE */
    assert_true(model_forward(&m));
    assert_int_equal(mm_alloc_count(model_process(&m)), allocs + 1);
    assert_int_equal(mm_virtual_query(model_process(&m), 0x12340000u, &mbi, NULL), 0);
    assert_int_equal(mbi.State, 0x2000); /* MEM_RESERVE */
    assert_true(model_back(&m));
    assert_int_equal(mm_alloc_count(model_process(&m)), allocs);
    assert_int_equal(mm_virtual_query(model_process(&m), 0x12340000u, &mbi, NULL), 0);
    assert_int_equal(mbi.State, 0x10000);
    model_close(&m);
}

static void bits__seed001_address__splits_10_10_12(void **state)
{
    (void)state;
    char bits[36];
    model_bits(0x12345678u, bits);
    assert_string_equal(bits, "0001001000 1101000101 011001111000");
    model_bits(0xFFFFFFFFu, bits);
    assert_string_equal(bits, "1111111111 1111111111 111111111111");
    model_bits(0, bits);
    assert_string_equal(bits, "0000000000 0000000000 000000000000");
}

static bool has_line(const tui_line_t *l, int n, const char *needle)
{
    for (int i = 0; i < n; i++)
        if (strstr(l[i].text, needle)) return true;
    return false;
}

static void stepper__seed001_walk__shows_indices_and_physical_address(void **state)
{
    (void)state;
    tui_model_t m;
    open_file(&m, "scenarios/hardware/seed001-worked-walk.scn");
    model_run_to(&m, 4); /* the tables are written; translate is next */
    model_stepper_set(&m, 0x12345678u, MMU_READ, MMU_USER);
    tui_line_t l[64];
    int total = 0;
    int n = model_stepper_lines(&m, 1, l, 64, &total);
    assert_int_equal(total, 6); /* split, TLB, CR3, PDE, PTE, result */
    assert_true(has_line(l, n, "directory 0x048  table 0x345  offset 0x678"));
    assert_false(has_line(l, n, "TLB"));
    bool bits = false;
    for (int i = 0; i < n; i++) bits |= l[i].kind == LINE_BITS;
    assert_true(bits);
    while (model_stepper_next(&m)) {}
    assert_int_equal(m.xstep, 6);
    n = model_stepper_lines(&m, m.xstep, l, 64, NULL);
    assert_true(has_line(l, n, "TLB miss"));
    assert_true(has_line(l, n, "CR3 0x00100000"));
    assert_true(has_line(l, n, "0x00100120: value 0xA0000007"));
    assert_true(has_line(l, n, "0xA0000D14: value 0x40000007"));
    assert_true(has_line(l, n, "= 0x40000678"));
    /* The stepper works on a copy: the machine did not walk. */
    assert_int_equal(mmu_stats(scn_runner_mmu(model_runner(&m)))->walks, 0);
    model_close(&m);
}

static void stepper__reserved_page__memory_manager_says_why(void **state)
{
    (void)state;
    tui_model_t m;
    open_file(&m, "scenarios/tour/tour.scn");
    model_run_to_line(&m, 30); /* translate 0x12345678 is next; its page is reserved */
    model_stepper_set(&m, 0x12345678u, MMU_READ, MMU_USER);
    while (model_stepper_next(&m)) {}
    tui_line_t l[64];
    int n = model_stepper_lines(&m, -1, l, 64, NULL);
    assert_true(has_line(l, n, "#PF"));
    assert_true(has_line(l, n, "memory manager: access_violation"));
    assert_true(has_line(l, n, "reserved"));
    assert_true(has_line(l, n, "EXCEPTION_ACCESS_VIOLATION"));
    /* Committed and written, the same address ends in a frame. */
    model_run_to_line(&m, 33);
    n = model_stepper_lines(&m, -1, l, 64, NULL);
    assert_true(has_line(l, n, "TLB hit"));
    assert_true(has_line(l, n, "physical 0x"));
    model_close(&m);
}

static void stepper__no_address_set__picks_the_last_one_used(void **state)
{
    (void)state;
    tui_model_t m;
    open_file(&m, "scenarios/tour/tour.scn");
    assert_int_equal(model_stepper_address(&m), 0);
    model_forward(&m);
    assert_int_equal(model_stepper_address(&m), 0x12340000u);
    model_run_to_line(&m, 30); /* translate 0x12345678 is next: its address */
    assert_int_equal(model_stepper_address(&m), 0x12345678u);
    model_run_to_line(&m, 31); /* it ran: still the last one used */
    assert_int_equal(model_stepper_address(&m), 0x12345678u);
    model_run_to_line(&m, 24);
    assert_int_equal(model_stepper_address(&m), 0x12340000u);
    model_close(&m);
}

static void map__zoom_onto_allocation__one_page_a_cell(void **state)
{
    (void)state;
    tui_model_t m;
    open_file(&m, "scenarios/tour/tour.scn");
    model_run_to_line(&m, 21); /* after the second write to page 0 */
    assert_true(model_zoom_at(&m, 0x12345678u, 1));
    mm_page_state_t c[20];
    uint32_t lo, hi;
    model_map(&m, c, 20, &lo, &hi);
    assert_int_equal(lo, 0x12340000u);
    assert_int_equal(hi, 0x12354000u);
    assert_int_equal(c[0], MM_PAGE_DIRTY);
    assert_int_equal(c[1], MM_PAGE_RESERVED);
    assert_int_equal(c[2], MM_PAGE_RESERVED);
    assert_int_equal(c[3], MM_PAGE_COMMITTED);
    assert_int_equal(c[4], MM_PAGE_COMMITTED);
    for (int i = 5; i < 19; i++) assert_int_equal(c[i], MM_PAGE_RESERVED);
    assert_int_equal(c[19], MM_PAGE_COMMITTED);
    /* In 80 cells each page takes four, with no gaps between them. */
    mm_page_state_t c80[80];
    model_map(&m, c80, 80, &lo, &hi);
    for (int i = 0; i < 80; i++) assert_int_equal(c80[i], c[i / 4]);
    /* In 30 cells a page takes one or two, in address order. */
    mm_page_state_t c30[30];
    model_map(&m, c30, 30, &lo, &hi);
    for (int i = 0; i < 30; i++) assert_int_equal(c30[i], c[i * 20 / 30]);
    /* Zoomed out, the whole user space; the allocation's cell is its strongest page. */
    model_zoom_out(&m);
    mm_page_state_t w[128];
    model_map(&m, w, 128, &lo, &hi);
    assert_int_equal(lo, 0x00010000u);
    assert_int_equal(hi, 0x7FFF0000u);
    int cell = (int)(((uint64_t)(0x12340000u - lo) >> 12) * 128 / ((hi - lo) >> 12));
    assert_int_equal(w[cell], MM_PAGE_DIRTY);
    assert_int_equal(w[64], MM_PAGE_FREE);
    /* Out once more: the 4 GB, with the kernel's half system. */
    model_zoom_out(&m);
    model_map(&m, w, 128, &lo, &hi);
    assert_int_equal(lo, 0);
    assert_int_equal(hi, 0);
    assert_int_equal(w[127], MM_PAGE_SYSTEM);
    assert_int_equal(w[96], MM_PAGE_PAGE_TABLE); /* 0xC0000000: the self-map */
    static mm_page_state_t mb[4096]; /* 1 MB a cell */
    model_map(&m, mb, 4096, &lo, &hi);
    assert_int_equal(mb[4], MM_PAGE_IMAGE);     /* 0x00400000: the image */
    assert_int_equal(mb[0x123], MM_PAGE_DIRTY); /* 0x12300000: page 0 of the reservation, written */
    assert_int_equal(mb[0x800], MM_PAGE_SYSTEM);
    model_zoom_in(&m);
    assert_int_equal(m.zoom, MODEL_ZOOM_USER);
    model_close(&m);
}

/* Seed 000's 1000 MB block is wider than any bar: z (or a click) shows the
 * pages around an address one a cell, kept inside the block; - goes back
 * to the whole block, then to the user space. */
static void map__zoom_pages__one_page_a_cell_inside_a_large_allocation(void **state)
{
    (void)state;
    tui_model_t m;
    open_file(&m, "scenarios/seeds/seed000-getmemory-1000mb.scn");
    model_run_to(&m, model_count(&m));
    mm_page_state_t c[80];
    uint32_t lo, hi;
    assert_false(model_zoom_pages(&m, 0x60000000u, 80)); /* in no allocation */
    /* The middle: the address's page at cell 40. */
    assert_true(model_zoom_pages(&m, 0x20000123u, 80));
    model_map(&m, c, 80, &lo, &hi);
    assert_int_equal(lo, 0x20000000u - 40 * 0x1000u);
    assert_int_equal(hi, lo + 80 * 0x1000u);
    for (int i = 0; i < 80; i++) assert_int_equal(c[i], MM_PAGE_COMMITTED);
    /* The start: the window begins at the block; its first page was written. */
    assert_true(model_zoom_pages(&m, 0x10040000u, 80));
    model_map(&m, c, 80, &lo, &hi);
    assert_int_equal(lo, 0x10040000u);
    assert_int_equal(c[0], MM_PAGE_DIRTY);
    assert_int_equal(c[1], MM_PAGE_COMMITTED);
    /* The end: the window ends with the block; the page read is the 4th from the end. */
    assert_true(model_zoom_pages(&m, 0x4E843FFFu, 80));
    model_map(&m, c, 80, &lo, &hi);
    assert_int_equal(hi, 0x4E844000u);
    assert_int_equal(c[75], MM_PAGE_COMMITTED);
    assert_int_equal(c[76], MM_PAGE_RESIDENT);
    assert_int_equal(c[79], MM_PAGE_COMMITTED);
    /* Out: the whole block, then the user space. */
    model_zoom_out(&m);
    model_map(&m, c, 80, &lo, &hi);
    assert_int_equal(lo, 0x10040000u);
    assert_int_equal(hi, 0x4E844000u);
    model_zoom_out(&m);
    model_map(&m, c, 80, &lo, &hi);
    assert_int_equal(lo, 0x00010000u);
    /* A small allocation: onto it whole, no window. */
    model_run_to_line(&m, 16); /* after `below`, 0x3C000 bytes at 0x10000000 */
    assert_true(model_zoom_pages(&m, 0x10000000u, 80));
    model_map(&m, c, 80, &lo, &hi);
    assert_int_equal(lo, 0x10000000u);
    assert_int_equal(hi, 0x1003C000u);
    model_close(&m);
}

static void map__zoom_in__cycles_through_allocations(void **state)
{
    (void)state;
    tui_model_t m;
    open_file(&m, "scenarios/tour/tour.scn");
    model_forward(&m);
    uint32_t n = mm_alloc_count(model_process(&m));
    assert_true(n > 1);
    for (uint32_t i = 0; i < n; i++) {
        model_zoom_in(&m);
        assert_int_equal(m.zoom, (int)i);
    }
    model_zoom_in(&m);
    assert_int_equal(m.zoom, 0);
    assert_false(model_zoom_at(&m, 0x50000000u, 1));
    /* A map cell's range that begins before the allocation finds it too. */
    assert_true(model_zoom_at(&m, 0x12340000u, 1));
    int at = m.zoom;
    model_zoom_out(&m);
    assert_true(model_zoom_at(&m, 0x1200D400u, 0x01FF0000u));
    assert_int_equal(m.zoom, at);
    /* Stepping back past the allocation zoomed on leaves the zoom. */
    assert_true(model_zoom_at(&m, 0x12340000u, 1));
    model_back(&m);
    mm_page_state_t c[8];
    uint32_t lo, hi;
    model_map(&m, c, 8, &lo, &hi);
    assert_int_not_equal(lo, 0x12340000u);
    model_close(&m);
}

static void browse__directory_table_entry__and_back(void **state)
{
    (void)state;
    tui_model_t m;
    open_file(&m, "scenarios/hardware/seed001-worked-walk.scn");
    model_run_to(&m, 4);
    m.panel = PANEL_TABLES;
    model_browse_move(&m, 1);
    assert_int_equal(m.pde, 0x048); /* the only PDE in use */
    model_browse_enter(&m);
    assert_int_equal(m.browse, BROWSE_TABLE);
    assert_int_equal(m.pte, 0x345);
    model_browse_enter(&m);
    assert_int_equal(m.browse, BROWSE_ENTRY);
    model_browse_leave(&m);
    model_browse_leave(&m);
    assert_int_equal(m.browse, BROWSE_DIRECTORY);
    model_close(&m);
}

static void layout__80x24_and_wide__source_left_map_at_bottom(void **state)
{
    (void)state;
    tui_model_t m;
    open_file(&m, "scenarios/tour/tour.scn");
    tui_layout_t L;
    model_layout(&m, 24, 80, &L);
    assert_int_equal(L.map_y, 21); /* the process is there before its first statement */
    model_forward(&m);
    model_layout(&m, 24, 80, &L);
    assert_int_equal(L.map_y, 21);
    assert_int_equal(L.help_y, 23);
    assert_int_equal(L.src_h, 20);
    assert_int_equal(L.pan_left + L.pan_w, 80);
    assert_true(L.pan_w >= 40);
    model_layout(&m, 60, 200, &L);
    assert_int_equal(L.src_w, 80);
    assert_int_equal(L.map_y, 57);
    assert_int_equal(model_source_first(&m, 20), 0);
    model_run_to(&m, 15);
    assert_int_equal(model_source_first(&m, 20), 5);
    model_close(&m);
    open_file(&m, "scenarios/hardware/seed001-worked-walk.scn");
    model_layout(&m, 24, 80, &L);
    assert_int_equal(L.map_y, -1); /* a bare machine has no address-space map */
    model_close(&m);
}

/* Rows [top, top + h) and columns [left, left + w) are on a rows x cols
 * screen, below the title and above the help line (h, w may be 0). */
static void assert_inside(int top, int h, int left, int w, int rows, int cols)
{
    assert_true(h >= 0 && w >= 0);
    if (!h || !w) return;
    assert_true(top >= 1 && top + h <= rows - 1);
    assert_true(left >= 0 && left + w <= cols);
}

static void layout__every_size_from_1x1__areas_inside_the_screen(void **state)
{
    (void)state;
    tui_model_t m;
    open_file(&m, "scenarios/tour/tour.scn");
    for (int rows = 1; rows <= 40; rows++) {
        for (int cols = 1; cols <= 130; cols++) {
            tui_layout_t L;
            model_layout(&m, rows, cols, &L);
            assert_int_equal(L.help_y, rows - 1);
            assert_inside(L.src_top, L.src_h, 0, L.src_w, rows, cols);
            assert_inside(L.pan_top, L.pan_h, L.pan_left, L.pan_w, rows, cols);
            assert_true(L.tabs_y == -1 || (L.tabs_y >= 1 && L.tabs_y < rows - 1));
            assert_true(L.map_y == -1 || (L.map_y >= 1 && L.map_y + 1 < rows - 1));
        }
    }
    model_close(&m);
}

static void status__long_path__step_always_fits(void **state)
{
    (void)state;
    tui_model_t m;
    char s[512];
    open_file(&m, "scenarios/hardware/seed001-worked-walk.scn");
    model_forward(&m); /* the machine statement: now there are counters */
    const char *shortname = "seed001.scn";
    model_status(&m, shortname, 200, s, sizeof s);
    assert_string_equal(s, " pagesim-tui  seed001.scn  step 1/9  bare machine  TLB hits 0 misses 0  #PF 0");
    /* A deep checkout: the file name alone, and the step on screen. */
    const char *deep = "/a/checkout/somewhere/rather/deep/in/the/tree/scenarios/hardware/seed001-worked-walk.scn";
    model_status(&m, deep, 80, s, sizeof s);
    assert_true(strncmp(s, " pagesim-tui  seed001-worked-walk.scn  step 1/9  bare machine", 61) == 0);
    /* Wide enough for the whole path and the counters: all of it. */
    model_status(&m, deep, 300, s, sizeof s);
    assert_non_null(strstr(s, deep));
    /* A file name longer than the line: its end, behind "...". */
    model_status(&m, "/x/an-extraordinarily-long-scenario-file-name-that-goes-on-and-on-and-on.scn", 60, s, sizeof s);
    assert_string_equal(s, " pagesim-tui  ...me-that-goes-on-and-on-and-on.scn  step 1/9  bare machine  TLB hits 0 misses 0  #PF 0");
    assert_int_equal((size_t)(strstr(s, "  step") - s) + strlen("  step 1/9"), 60);
    model_close(&m);
}

/* A window's font: 'i' and '.' are narrow, everything else is wide. */
static long proportional(const char *s, void *ctx)
{
    long w = 0;
    for (; *s; s++) w += *s == 'i' || *s == '.' ? 3 : 8;
    *(int *)ctx += 1;
    return w;
}

static void title__proportional_width__cut_to_what_fits(void **state)
{
    (void)state;
    char s[256];
    int calls = 0;
    fe_title(s, sizeof s, 1000, "sim  ", "/a/b/iii.scn", "  step 1/2", "  counters", proportional, &calls);
    assert_string_equal(s, "sim  /a/b/iii.scn  step 1/2  counters");
    assert_int_equal(calls, 1);
    /* "sim  " is 35, "iii.scn" 36, the step 80: the file name fits in 160, not the path. */
    fe_title(s, sizeof s, 160, "sim  ", "/a/b/iii.scn", "  step 1/2", "  counters", proportional, &calls);
    assert_string_equal(s, "sim  iii.scn  step 1/2  counters");
    /* In 150: "..." (9) and the end "scn" (24) of the name, 148; "....scn" is 151. */
    fe_title(s, sizeof s, 150, "sim  ", "/a/b/iii.scn", "  step 1/2", "  counters", proportional, &calls);
    assert_string_equal(s, "sim  ...scn  step 1/2  counters");
    /* Room for the head and the step alone: no name. */
    fe_title(s, sizeof s, 120, "sim  ", "/a/b/iii.scn", "  step 1/2", "  counters", proportional, &calls);
    assert_string_equal(s, "sim    step 1/2  counters");
    /* A name with no directory, or one ending in '/': cut as it is. */
    fe_title(s, sizeof s, 1000, "", "dir/", "", "", NULL, NULL);
    assert_string_equal(s, "dir/");
    fe_title(s, sizeof s, 6, "", "abcdefgh", "", "", NULL, NULL);
    assert_string_equal(s, "...fgh");
    fe_title(s, sizeof s, 5, "", "ab\xc3\xa9\xc3\xa9", "", "", NULL, NULL); /* "abéé", 6 bytes */
    assert_string_equal(s, "...\xc3\xa9");
}

static void open__bad_scenario__error_with_line_and_column(void **state)
{
    (void)state;
    tui_model_t m;
    const char text[] = "VirtualAlloc(NULL, 4096, MEM_COMMIT, PAGE_READWRITE)\nfrobnicate 3\n";
    assert_false(model_open(&m, text, sizeof text - 1));
    assert_non_null(strstr(m.error, "2:1: error:"));
    model_close(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(step__forward_then_back__gives_identical_state),
        cmocka_unit_test(step__back_over_virtualalloc__region_is_gone),
        cmocka_unit_test(bits__seed001_address__splits_10_10_12),
        cmocka_unit_test(stepper__seed001_walk__shows_indices_and_physical_address),
        cmocka_unit_test(stepper__reserved_page__memory_manager_says_why),
        cmocka_unit_test(stepper__no_address_set__picks_the_last_one_used),
        cmocka_unit_test(map__zoom_onto_allocation__one_page_a_cell),
        cmocka_unit_test(map__zoom_pages__one_page_a_cell_inside_a_large_allocation),
        cmocka_unit_test(map__zoom_in__cycles_through_allocations),
        cmocka_unit_test(browse__directory_table_entry__and_back),
        cmocka_unit_test(layout__80x24_and_wide__source_left_map_at_bottom),
        cmocka_unit_test(layout__every_size_from_1x1__areas_inside_the_screen),
        cmocka_unit_test(status__long_path__step_always_fits),
        cmocka_unit_test(title__proportional_width__cut_to_what_fits),
        cmocka_unit_test(open__bad_scenario__error_with_line_and_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
