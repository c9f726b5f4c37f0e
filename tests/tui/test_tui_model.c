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

static bool has_line(const fmt_line_t *l, int n, const char *label, const char *needle)
{
    for (int i = 0; i < n; i++)
        if ((!label || !strcmp(l[i].label, label)) && strstr(l[i].text, needle)) return true;
    return false;
}

/* The column where needle starts in s, or -1. */
static int column_of(const char *s, const char *needle)
{
    const char *p = strstr(s, needle);
    return p ? (int)(p - s) : -1;
}

static void stepper__seed001_walk__shows_indices_and_physical_address(void **state)
{
    (void)state;
    tui_model_t m;
    open_file(&m, "scenarios/hardware/seed001-worked-walk.scn");
    model_run_to(&m, 4); /* the tables are written; translate is next */
    model_stepper_set(&m, 0x12345678u, MMU_READ, MMU_USER);
    fmt_line_t l[MODEL_STEPPER_LINES];
    int total = 0;
    int n = model_stepper_lines(&m, 1, l, MODEL_STEPPER_LINES, &total);
    assert_int_equal(total, 6); /* split, TLB, CR3, PDE, PTE, outcome */
    assert_true(has_line(l, n, "", "0x048      0x345      0x678"));
    assert_false(has_line(l, n, "TLB", ""));
    /* The bit string and its header line up: directory, table, offset. */
    int bits = -1, head = -1;
    for (int i = 0; i < n; i++) {
        if (l[i].kind == FMT_BITS) bits = i;
        if (strstr(l[i].text, "directory")) head = i;
    }
    assert_true(bits >= 0 && head == bits + 1);
    assert_string_equal(l[bits].text, "0001001000 1101000101 011001111000");
    assert_int_equal(column_of(l[head].text, "directory"), 0);
    assert_int_equal(column_of(l[head].text, "table"), 11);
    assert_int_equal(column_of(l[head].text, "offset"), 22);
    while (model_stepper_next(&m)) {}
    assert_int_equal(m.xstep, 6);
    n = model_stepper_lines(&m, m.xstep, l, MODEL_STEPPER_LINES, NULL);
    assert_true(has_line(l, n, "TLB", "miss"));
    assert_true(has_line(l, n, "CR3", "0x00100000"));
    assert_true(has_line(l, n, "PDE", "= 0x00100120"));
    assert_true(has_line(l, n, "", "value 0xA0000007"));
    assert_true(has_line(l, n, "", "value 0x40000007"));
    assert_true(has_line(l, n, "physical", "= 0x40000678"));
    /* The stepper works on a copy: the machine did not walk. */
    assert_int_equal(mmu_stats(scn_runner_mmu(model_runner(&m)))->walks, 0);
    model_close(&m);
}

/* The stepper tells the walk with the core's narrator, word for word. */
static void stepper__lines__are_the_narrators(void **state)
{
    (void)state;
    tui_model_t m;
    open_file(&m, "scenarios/tour/tour.scn");
    model_run_to_line(&m, 33);
    tui_translation_t t;
    model_stepper_translate(&m, &t);
    fmt_line_t want[FMT_WALK_LINES], got[MODEL_STEPPER_LINES];
    int steps = 0, total = 0;
    int nw = fmt_walk_lines(&t.walk, want, FMT_WALK_LINES, &steps);
    int ng = model_stepper_lines(&m, -1, got, MODEL_STEPPER_LINES, &total);
    assert_int_equal(total, steps); /* no fault: no step of the memory manager */
    assert_int_equal(ng, nw);
    for (int i = 0; i < nw; i++) {
        assert_int_equal(got[i].step, want[i].step);
        assert_int_equal(got[i].kind, want[i].kind);
        assert_string_equal(got[i].label, want[i].label);
        assert_string_equal(got[i].text, want[i].text);
    }
    /* A step at a time: the lines of the steps shown, and no others. */
    for (int k = 0; k <= total; k++) {
        int n = model_stepper_lines(&m, k, got, MODEL_STEPPER_LINES, NULL);
        int expect = 0;
        for (int i = 0; i < nw; i++) expect += want[i].step < k;
        assert_int_equal(n, expect);
    }
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
    fmt_line_t l[MODEL_STEPPER_LINES];
    int total = 0;
    int n = model_stepper_lines(&m, -1, l, MODEL_STEPPER_LINES, &total);
    assert_int_equal(m.xstep, total);
    assert_true(has_line(l, n, "#PF", ""));
    assert_true(has_line(l, n, "MM", "memory manager: access_violation"));
    assert_true(has_line(l, n, NULL, "reserved"));
    assert_true(has_line(l, n, NULL, "the process gets EXCEPTION_ACCESS_VIOLATION"));
    assert_int_equal(l[n - 1].step, total - 1); /* the memory manager's is the last step */
    /* Committed and written, the same address ends in a frame. */
    model_run_to_line(&m, 33);
    n = model_stepper_lines(&m, -1, l, MODEL_STEPPER_LINES, NULL);
    assert_true(has_line(l, n, "TLB", "hit"));
    assert_true(has_line(l, n, "physical", "0x"));
    assert_false(has_line(l, n, "MM", ""));
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
    model_run_to_line(&m, 17); /* the write to page 0 faulted: its address */
    assert_int_equal(model_stepper_address(&m), 0x12340000u);
    model_run_to_line(&m, 16); /* the last commit: the address it returned */
    assert_int_equal(model_stepper_address(&m), 0x12353000u);
    model_close(&m);
}

/* The translate prompt takes what the language takes: numbers, names
 * bound so far, constants, + - * |, parentheses; then access and mode. */
static void stepper__prompt__takes_expressions_of_the_language(void **state)
{
    (void)state;
    tui_model_t m;
    open_file(&m, "scenarios/tour/tour.scn");
    assert_false(model_stepper_parse(&m, "a+0x10")); /* a is not bound before its statement ran */
    assert_non_null(strstr(m.message, "not an address: a+0x10: "));
    model_run_to_line(&m, 10);
    assert_true(model_stepper_parse(&m, "a+0x10"));
    assert_int_equal(m.xva, 0x12340010u);
    assert_int_equal(m.xacc, MMU_READ);
    assert_int_equal(m.xmode, MMU_USER);
    assert_int_equal(m.panel, PANEL_STEPPER);
    assert_string_equal(m.message, "");
    assert_true(model_stepper_parse(&m, "a + 3*PAGE_SIZE write kernel"));
    assert_int_equal(m.xva, 0x12343000u);
    assert_int_equal(m.xacc, MMU_WRITE);
    assert_int_equal(m.xmode, MMU_KERNEL);
    assert_true(model_stepper_parse(&m, "(GRANULARITY | 0x1234)*2 user exec"));
    assert_int_equal(m.xva, 0x22468u);
    assert_int_equal(m.xacc, MMU_EXEC);
    assert_int_equal(m.xmode, MMU_USER);
    assert_true(model_stepper_parse(&m, "0x12345678"));
    assert_int_equal(m.xva, 0x12345678u);
    static const char *const bad[] = { "b", "a+", "(1", "read", "", "0x123456789", "a ++ 1 write" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_false(model_stepper_parse(&m, bad[i]));
        assert_non_null(strstr(m.message, "not an address: "));
        assert_int_equal(m.xva, 0x12345678u); /* the stepper keeps its address */
    }
    model_close(&m);
}

/* Cell i's pages are all in state s. */
static void assert_cells(const tui_cell_t *c, int from, int to, mm_page_state_t s)
{
    for (int i = from; i < to; i++) assert_int_equal(c[i].state, s);
}

static void map__allocation_fitted__cells_a_page_and_page_starts(void **state)
{
    (void)state;
    tui_model_t m;
    open_file(&m, "scenarios/tour/tour.scn");
    model_run_to_line(&m, 21); /* after the second write to page 0 */
    model_zoom_pages(&m, 0x12345678u, 80);
    tui_cell_t c[80];
    tui_map_view_t v;
    char label[160];
    model_map(&m, c, 80, &v);
    model_map_label(&v, label, sizeof label);
    assert_string_equal(label, "0x12340000-0x12353FFF  4 cells a page");
    mm_page_state_t page[20];
    for (int i = 0; i < 20; i++) page[i] = MM_PAGE_RESERVED;
    page[0] = MM_PAGE_DIRTY;
    page[3] = page[4] = page[19] = MM_PAGE_COMMITTED;
    for (int i = 0; i < 80; i++) {
        assert_int_equal(c[i].state, page[i / 4]);
        assert_int_equal(c[i].marks, i % 4 == 0 ? MAP_CELL_PAGE_START : 0);
    }
    /* In 20 cells: a page a cell, no marks. */
    model_map(&m, c, 20, &v);
    model_map_label(&v, label, sizeof label);
    assert_string_equal(label, "0x12340000-0x12353FFF  1 page a cell");
    for (int i = 0; i < 20; i++) assert_int_equal(c[i].state, page[i]);
    /* In 30: a page a cell still, and the 10 cells after it show what follows. */
    model_map(&m, c, 30, &v);
    model_map_label(&v, label, sizeof label);
    assert_string_equal(label, "0x12340000-0x1235DFFF  1 page a cell");
    assert_cells(c, 20, 30, MM_PAGE_FREE);
    model_close(&m);
    /* A one-page allocation fills the bar, and says so. */
    const char one[] = "a = VirtualAlloc(NULL, 4096, MEM_COMMIT, PAGE_READWRITE)\n";
    assert_true(model_open(&m, one, sizeof one - 1));
    model_forward(&m);
    model_zoom_pages(&m, model_stepper_address(&m), 80);
    model_map(&m, c, 80, &v);
    model_map_label(&v, label, sizeof label);
    assert_non_null(strstr(label, "80 cells a page"));
    assert_int_equal(c[0].marks, MAP_CELL_PAGE_START);
    assert_cells(c, 0, 80, MM_PAGE_COMMITTED);
    model_close(&m);
}

/* A cell of many pages shows the state of most of its pages in use; a
 * guard page among others is a mark, not the cell's state. */
static void map__many_pages_a_cell__most_common_state_guard_marked(void **state)
{
    (void)state;
    tui_model_t m;
    open_file(&m, "scenarios/tour/tour.scn");
    model_run_to_line(&m, 21);
    tui_cell_t c[80];
    tui_map_view_t v;
    char label[160];
    model_map(&m, c, 80, &v); /* the user space, fitted */
    model_map_label(&v, label, sizeof label);
    assert_string_equal(label, "0x00010000-0x8002FFFF  6554 pages a cell");
    int cell = map_page_cell(&v, 0x12340);
    assert_int_equal(cell, 11);
    assert_int_equal(c[cell].state, MM_PAGE_RESERVED); /* 14 of its 20 pages */
    bool guard = false;
    for (int i = 0; i < 80; i++) {
        assert_int_not_equal(c[i].state, MM_PAGE_GUARD);
        guard |= (c[i].marks & MAP_CELL_GUARD) != 0;
    }
    assert_true(guard); /* the stack's guard page */
    assert_int_equal(c[40].state, MM_PAGE_FREE);
    /* Out to the 4 GB: the kernel's half is system. */
    model_zoom(&m, -1, 80);
    model_zoom(&m, -1, 80);
    model_map(&m, c, 80, &v);
    assert_int_equal(m.map.fit, MAP_FIT_4G);
    model_map_label(&v, label, sizeof label);
    assert_string_equal(label, "0x00000000-0xFFFFFFFF  13108 pages a cell");
    assert_int_equal(c[79].state, MM_PAGE_SYSTEM);
    static tui_cell_t mb[MODEL_MAP_CELLS]; /* 1 MB a cell */
    model_map(&m, mb, 1024, &v);
    assert_int_equal(v.per, 1024);
    assert_int_equal(mb[1].state, MM_PAGE_IMAGE);       /* 0x00400000: the image */
    assert_int_equal(mb[0x48].state, MM_PAGE_RESERVED); /* 0x12000000: the reservation */
    assert_int_equal(mb[0x300].state, MM_PAGE_SYSTEM); /* the self-map: most of its 1024 pages map no table */
    assert_int_equal(mb[0x200].state, MM_PAGE_SYSTEM);
    /* A page a cell there: the page tables. */
    model_zoom_pages(&m, 0xC0000000u, 80);
    model_map(&m, c, 80, &v);
    assert_int_equal(c[40].state, MM_PAGE_PAGE_TABLE);
    assert_int_equal(c[39].state, MM_PAGE_SYSTEM);
    model_close(&m);
}

/* + and - zoom by 2 around the selection, which stays in view; the label
 * says the scale at every level. */
static void map__zoom_in_and_out__by_two_around_the_selection(void **state)
{
    (void)state;
    tui_model_t m;
    open_file(&m, "scenarios/tour/tour.scn");
    model_run_to_line(&m, 31); /* translate 0x12345678 ran: the stepper's address */
    static const char *const in[] = {
        "4096 pages a cell", "2048 pages a cell", "1024 pages a cell", "512 pages a cell", "256 pages a cell",
        "128 pages a cell", "64 pages a cell", "32 pages a cell", "16 pages a cell", "8 pages a cell",
        "4 pages a cell", "2 pages a cell", "1 page a cell", "2 cells a page", "4 cells a page", "8 cells a page",
        "16 cells a page", "32 cells a page", "64 cells a page", "64 cells a page",
    };
    tui_map_view_t v;
    char label[160];
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        model_zoom(&m, 1, 80);
        model_map_view(&m, 80, &v);
        model_map_label(&v, label, sizeof label);
        assert_non_null(strstr(label, in[i]));
        assert_true(map_page_cell(&v, 0x12345) >= 0);
    }
    for (size_t i = sizeof in / sizeof in[0] - 2; i-- > 0;) {
        model_zoom(&m, -1, 80);
        model_map_view(&m, 80, &v);
        model_map_label(&v, label, sizeof label);
        assert_non_null(strstr(label, in[i]));
        assert_true(map_page_cell(&v, 0x12345) >= 0);
    }
    model_zoom(&m, -1, 80);
    model_map_view(&m, 80, &v);
    model_map_label(&v, label, sizeof label);
    assert_non_null(strstr(label, "8192 pages a cell"));
    model_zoom(&m, -1, 80);
    assert_int_equal(m.map.fit, MAP_FIT_4G);
    model_zoom(&m, -1, 80);
    assert_int_equal(m.map.fit, MAP_FIT_4G);
    model_close(&m);
}

/* Seed 000's 1000 MB block is wider than any bar: z shows the pages
 * around an address one a cell, kept inside the block. */
static void map__zoom_pages__one_page_a_cell_inside_a_large_allocation(void **state)
{
    (void)state;
    tui_model_t m;
    open_file(&m, "scenarios/seeds/seed000-getmemory-1000mb.scn");
    model_run_to(&m, model_count(&m));
    tui_cell_t c[80];
    tui_map_view_t v;
    char label[160];
    /* The middle: the address's page at cell 40. */
    model_zoom_pages(&m, 0x20000123u, 80);
    model_map(&m, c, 80, &v);
    model_map_label(&v, label, sizeof label);
    assert_string_equal(label, "0x1FFD8000-0x20027FFF  1 page a cell");
    assert_int_equal(map_page_cell(&v, 0x20000), 40);
    assert_cells(c, 0, 80, MM_PAGE_COMMITTED);
    /* The start: the window begins at the block; its first page was written. */
    model_zoom_pages(&m, 0x10040000u, 80);
    model_map(&m, c, 80, &v);
    assert_int_equal(v.first, 0x10040);
    assert_int_equal(c[0].state, MM_PAGE_DIRTY);
    assert_int_equal(c[1].state, MM_PAGE_COMMITTED);
    /* The end of the committed block, inside its 1 MB-step reservation: the
     * page read is the 4th from the committed end, reserved pages follow. */
    model_zoom_pages(&m, 0x4E843FFFu, 80);
    model_map(&m, c, 80, &v);
    assert_int_equal(v.first + 40, 0x4E843);
    assert_int_equal(c[37].state, MM_PAGE_RESIDENT);
    assert_cells(c, 38, 41, MM_PAGE_COMMITTED);
    assert_cells(c, 41, 80, MM_PAGE_RESERVED);
    /* In no allocation: the pages around it. */
    model_zoom_pages(&m, 0x60000000u, 80);
    model_map_view(&m, 80, &v);
    assert_int_equal(map_page_cell(&v, 0x60000), 40);
    /* A small allocation: fitted whole. */
    model_run_to_line(&m, 20); /* after `below`, 0x3C000 bytes at 0x10000000 */
    model_zoom_pages(&m, 0x10000000u, 80);
    model_map_view(&m, 80, &v);
    model_map_label(&v, label, sizeof label);
    assert_string_equal(label, "0x10000000-0x1004FFFF  1 page a cell");
    /* A click on a cell of the fitted block: one page a cell from there. */
    model_run_to(&m, model_count(&m));
    m.map.fit = MAP_FIT_USER;
    uint32_t va = 0;
    model_map(&m, c, 80, &v);
    int cell = map_page_cell(&v, 0x20000); /* a cell of the block alone */
    assert_false(model_map_click(&m, cell, 80, &va));
    assert_int_equal(m.map.fit, MAP_FIT_ALLOC);
    model_map_view(&m, 80, &v);
    model_map_label(&v, label, sizeof label);
    assert_string_equal(label, "0x10040000-0x4E97FFFF  3204 pages a cell");
    assert_false(model_map_click(&m, 0, 80, &va));
    model_map_view(&m, 80, &v);
    model_map_label(&v, label, sizeof label);
    assert_string_equal(label, "0x10040000-0x1008FFFF  1 page a cell");
    /* At a page a cell a click asks for that page's translation. */
    assert_true(model_map_click(&m, 3, 80, &va));
    assert_int_equal(va, 0x10043000u);
    model_close(&m);
}

static void map__tab__goes_through_the_allocations(void **state)
{
    (void)state;
    tui_model_t m;
    open_file(&m, "scenarios/tour/tour.scn");
    model_forward(&m);
    uint32_t n = mm_alloc_count(model_process(&m));
    assert_true(n > 1);
    for (uint32_t i = 0; i < n; i++) {
        assert_true(model_zoom_next(&m, 1));
        assert_int_equal(m.map.fit, MAP_FIT_ALLOC);
        assert_int_equal(m.map.alloc, (int)i);
    }
    assert_true(model_zoom_next(&m, 1));
    assert_int_equal(m.map.alloc, 0);
    assert_true(model_zoom_next(&m, -1));
    assert_int_equal(m.map.alloc, (int)n - 1);
    /* Onto the reservation; stepping back past it leaves the fit. */
    model_zoom_pages(&m, 0x12340000u, 80);
    assert_int_equal(m.map.fit, MAP_FIT_ALLOC);
    model_back(&m);
    tui_map_view_t v;
    model_map_view(&m, 80, &v);
    assert_int_not_equal(v.first, 0x12340);
    model_close(&m);
}

/* Among 3,000 reservations, z and a click on a cell find the allocation
 * under them by its place in address order (one walk, not a lookup of
 * every index). */
static void map__zoom_and_click__find_the_allocation_by_its_place(void **state)
{
    (void)state;
    strbuf_t b;
    strbuf_init(&b, NULL);
    strbuf_puts(&b, "config layout=empty\n");
    for (int i = 0; i < 3000; i++) strbuf_puts(&b, "VirtualAlloc(NULL, 64K, MEM_RESERVE, PAGE_READWRITE)\n");
    tui_model_t m;
    assert_true(model_open(&m, strbuf_str(&b), strlen(strbuf_str(&b))));
    strbuf_fini(&b);
    model_run_to(&m, model_count(&m));
    assert_int_equal(mm_alloc_count(model_process(&m)), 3001); /* and the shared user data */
    const int k[] = { 0, 1, 1234, 2999 };
    for (size_t j = 0; j < sizeof k / sizeof k[0]; j++) {
        m.map.fit = MAP_FIT_USER;
        model_zoom_pages(&m, 0x10000u * (uint32_t)(k[j] + 1) + 0x1234u, 80);
        assert_int_equal(m.map.fit, MAP_FIT_ALLOC);
        assert_int_equal(m.map.alloc, k[j]);
    }
    model_zoom_pages(&m, 0x7FFE0000u, 80);
    assert_int_equal(m.map.alloc, 3000);
    /* A cell of many pages: the first allocation in it. */
    m.map.fit = MAP_FIT_USER;
    tui_map_view_t v;
    model_map_view(&m, 80, &v);
    uint32_t va = 0;
    int cell = map_page_cell(&v, 0x10000u * 2000 >> 12);
    assert_false(model_map_click(&m, cell, 80, &va));
    mm_alloc_info_t a;
    assert_true(mm_alloc_at(model_process(&m), (uint32_t)m.map.alloc, &a));
    uint64_t lo, hi;
    map_cell_pages(&v, cell, &lo, &hi);
    assert_true(a.end > lo << 12 && a.start < hi << 12);
    assert_true(m.map.alloc == 0 || !mm_alloc_at(model_process(&m), (uint32_t)m.map.alloc - 1, &a) ||
                a.end <= lo << 12);
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
    assert_int_equal(L.map_y, 21); /* its label on row 20, the legend on 22 */
    assert_int_equal(L.map_cells, 80);
    assert_int_equal(L.help_y, 23);
    assert_int_equal(L.src_h, 19);
    assert_int_equal(L.pan_left + L.pan_w, 80);
    assert_true(L.pan_w >= 45); /* a label column and the 34 columns of the bit string */
    model_layout(&m, 60, 200, &L);
    assert_int_equal(L.src_w, 80);
    assert_int_equal(L.map_y, 57);
    assert_int_equal(L.map_cells, 200);
    model_layout(&m, 60, 2000, &L);
    assert_int_equal(L.map_cells, MODEL_MAP_CELLS);
    model_close(&m);
    open_file(&m, "scenarios/hardware/seed001-worked-walk.scn");
    model_layout(&m, 24, 80, &L);
    assert_int_equal(L.map_y, -1); /* a bare machine has no address-space map */
    assert_int_equal(L.src_h, 22);
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
            assert_true(L.src_text >= 0 && L.src_text <= L.src_w);
            assert_true(L.tabs_y == -1 || (L.tabs_y >= 1 && L.tabs_y < rows - 1));
            assert_true(L.map_y == -1 || (L.map_y - 1 > L.src_top + L.src_h - 1 && L.map_y + 1 < rows - 1));
            assert_true(L.map_cells >= 0 && L.map_cells <= cols);
        }
    }
    model_close(&m);
}

/* The row of line i in the source column, or -1. */
static int row_of(const tui_model_t *m, int h, int w, uint32_t i)
{
    for (int row = 0; row < h; row++)
        if (model_source_line_at(m, h, w, row) == (long)i) return row;
    return -1;
}

/* Every line is there with its number; the next statement and the comment
 * block above it (its story) are in view at every step and every height. */
static void source__every_line__story_of_the_next_statement_in_view(void **state)
{
    (void)state;
    tui_model_t m;
    open_file(&m, "scenarios/tour/tour.scn");
    assert_int_equal(m.src.count, 40);
    assert_int_equal(src_kind(&m.src, 0), SRC_COMMENT);
    assert_int_equal(src_kind(&m.src, 6), SRC_BLANK);
    assert_int_equal(src_kind(&m.src, 8), SRC_CODE);
    size_t n;
    const char *s = src_line(&m.src, 14, &n);
    assert_int_equal(n, strlen("# [Write] to page 1: it is read-only."));
    assert_memory_equal(s, "# [Write] to page 1: it is read-only.", n);
    for (size_t k = 0; k <= model_count(&m); k++) {
        model_run_to(&m, k);
        uint32_t block, line;
        model_source_focus(&m, &block, &line);
        if (k < model_count(&m)) assert_int_equal(line + 1, scn_script_line(scn_history_script(m.h), k));
        else assert_int_equal(line, m.src.count);
        for (int h = 8; h <= 30; h += 11) {
            for (int w = 26; w <= 80; w += 54) {
                int at = row_of(&m, h, w, line);
                assert_true(at >= 0);
                assert_true(at + model_source_rows(&m, line, w) <= h);
                /* The story whole when it fits with the statement, else the
                 * lines nearest the statement. */
                int need = model_source_rows(&m, line, w);
                for (uint32_t i = line; i-- > block;) {
                    need += model_source_rows(&m, i, w);
                    assert_true(need > h || row_of(&m, h, w, i) >= 0);
                }
            }
        }
    }
    /* The write to page 1: its story is the comment just above it. */
    model_run_to_line(&m, 16);
    uint32_t block, line;
    model_source_focus(&m, &block, &line);
    assert_int_equal(block, 14);
    assert_int_equal(line, 15);
    assert_int_equal(model_source_rows(&m, 14, 26), 2); /* wrapped, not cut */
    assert_int_equal(model_source_rows(&m, 12, 26), 1); /* another line: one row */
    /* Trailing comments start at the first '#' outside a string. */
    const char *code = "write a \"#1\" 2   # two bytes";
    assert_int_equal(src_comment_at(code, strlen(code)), 17);
    assert_int_equal(src_comment_at("flush tlb", 9), 9);
    model_close(&m);
}

static void status__long_path__step_and_counters_whole(void **state)
{
    (void)state;
    tui_model_t m;
    char s[512];
    open_file(&m, "scenarios/hardware/seed001-worked-walk.scn");
    model_forward(&m); /* the machine statement: now there are counters */
    const char *shortname = "seed001.scn";
    model_status(&m, shortname, 200, s, sizeof s);
    assert_string_equal(s, " pagesim-tui  seed001.scn  step 1/9  bare machine  TLB hits 0 misses 0  #PF 0");
    /* A deep checkout at 80 columns: the file name, the step and the
     * counters whole; the program's name gives way. */
    const char *deep = "/a/checkout/somewhere/rather/deep/in/the/tree/scenarios/hardware/seed001-worked-walk.scn";
    model_status(&m, deep, 80, s, sizeof s);
    assert_string_equal(s, " seed001-worked-walk.scn  step 1/9  bare machine  TLB hits 0 misses 0  #PF 0");
    /* Wide enough for the whole path and the counters: all of it. */
    model_status(&m, deep, 300, s, sizeof s);
    assert_non_null(strstr(s, deep));
    assert_non_null(strstr(s, " pagesim-tui  "));
    /* A file name longer than the line: its end, behind "..."; the counters closer. */
    model_status(&m, "/x/an-extraordinarily-long-scenario-file-name-that-goes-on-and-on-and-on.scn", 60, s, sizeof s);
    assert_string_equal(s, " ...on.scn  step 1/9  bare machine TLB hits 0 misses 0 #PF 0");
    assert_true(strlen(s) <= 60);
    model_close(&m);
    /* A process at 80 columns, at the end of the tour: all its counters. */
    open_file(&m, "scenarios/tour/tour.scn");
    model_run_to(&m, model_count(&m));
    model_status(&m, "tour (default)", 80, s, sizeof s);
    assert_true(strlen(s) <= 80);
    assert_non_null(strstr(s, "step 22/22"));
    assert_non_null(strstr(s, "  main  ws 7  commit 60K  dz 2 hard 0 av 2"));
    model_close(&m);
}

static void help__keys_then_every_statement(void **state)
{
    (void)state;
    strbuf_t b, statements;
    strbuf_init(&b, NULL);
    strbuf_init(&statements, NULL);
    model_help(&b);
    scn_format_help(&statements);
    const char *keys = strstr(strbuf_str(&b), "n, Space");
    const char *list = strstr(strbuf_str(&b), strbuf_str(&statements));
    assert_non_null(keys);
    assert_non_null(list);
    assert_true(keys < list);
    assert_non_null(strstr(list, "VirtualAlloc(addr, size, type, protect)"));
    assert_non_null(strstr(strbuf_str(&b), "cells a page"));
    strbuf_fini(&b);
    strbuf_fini(&statements);
}

/* A scenario of thousands of statements: to the end, back, and the views a
 * screen asks for. */
static void history__long_scenario__end_back_and_views(void **state)
{
    (void)state;
    strbuf_t b;
    strbuf_init(&b, NULL);
    strbuf_puts(&b, "a = VirtualAlloc(NULL, 64*PAGE_SIZE, MEM_RESERVE, PAGE_READWRITE)\n");
    for (int i = 0; i < 1000; i++)
        strbuf_printf(&b, "# step %d\nVirtualAlloc(a + %d*PAGE_SIZE, PAGE_SIZE, MEM_COMMIT, PAGE_READWRITE)\n"
                          "write a + %d*PAGE_SIZE + %d 0x41\ntranslate a + %d read user\n",
                      i, i % 64, i % 64, i, i % 64 * 4096 + 16);
    tui_model_t m;
    assert_true(model_open(&m, strbuf_str(&b), strlen(strbuf_str(&b))));
    assert_int_equal(model_count(&m), 3001);
    model_run_to(&m, model_count(&m));
    assert_int_equal(model_done(&m), 3001);
    assert_true(model_back(&m));
    assert_int_equal(model_done(&m), 3000);
    uint32_t block, line;
    model_source_focus(&m, &block, &line);
    assert_int_equal(line, 4000); /* the last translate: no comment just above it */
    assert_int_equal(block, 4000);
    mm_alloc_info_t a;
    assert_true(mm_alloc_from(model_process(&m), 0x00010000u, &a));
    uint32_t base = 0;
    for (uint32_t i = 0; mm_alloc_at(model_process(&m), i, &a); i++)
        if (a.end - a.start == 64 * 4096u && !a.system) base = a.start;
    assert_int_not_equal(base, 0);
    assert_int_equal(model_stepper_address(&m), base + 999 % 64 * 4096 + 16); /* the next translate's */
    fmt_line_t l[MODEL_STEPPER_LINES];
    assert_true(model_stepper_lines(&m, -1, l, MODEL_STEPPER_LINES, NULL) > 0);
    tui_cell_t c[80];
    tui_map_view_t v;
    model_map(&m, c, 80, &v);
    model_back(&m);
    model_back(&m);
    model_source_focus(&m, &block, &line);
    assert_int_equal(line, 3998); /* the last commit, told by "# step 999" */
    assert_int_equal(block, 3997);
    model_close(&m);
    strbuf_fini(&b);
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
        cmocka_unit_test(stepper__seed001_walk__shows_indices_and_physical_address),
        cmocka_unit_test(stepper__lines__are_the_narrators),
        cmocka_unit_test(stepper__reserved_page__memory_manager_says_why),
        cmocka_unit_test(stepper__no_address_set__picks_the_last_one_used),
        cmocka_unit_test(stepper__prompt__takes_expressions_of_the_language),
        cmocka_unit_test(map__allocation_fitted__cells_a_page_and_page_starts),
        cmocka_unit_test(map__many_pages_a_cell__most_common_state_guard_marked),
        cmocka_unit_test(map__zoom_in_and_out__by_two_around_the_selection),
        cmocka_unit_test(map__zoom_pages__one_page_a_cell_inside_a_large_allocation),
        cmocka_unit_test(map__tab__goes_through_the_allocations),
        cmocka_unit_test(map__zoom_and_click__find_the_allocation_by_its_place),
        cmocka_unit_test(browse__directory_table_entry__and_back),
        cmocka_unit_test(layout__80x24_and_wide__source_left_map_at_bottom),
        cmocka_unit_test(layout__every_size_from_1x1__areas_inside_the_screen),
        cmocka_unit_test(source__every_line__story_of_the_next_statement_in_view),
        cmocka_unit_test(status__long_path__step_and_counters_whole),
        cmocka_unit_test(help__keys_then_every_statement),
        cmocka_unit_test(history__long_scenario__end_back_and_views),
        cmocka_unit_test(title__proportional_width__cut_to_what_fits),
        cmocka_unit_test(open__bad_scenario__error_with_line_and_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
