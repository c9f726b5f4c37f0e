/* frontend.tui_draw: the terminal UI's drawing on screens of every size,
 * from 1 x 1 up, on a curses screen that writes to /dev/null. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "curses_compat.h"
#include "draw.h"
#include "model.h"
#include "source_file.h"

static const int k_rows[] = { 1, 2, 3, 4, 5, 6, 8, 11, 12, 13, 24, 40 };
static const int k_cols[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 16, 20, 33, 34, 35, 36, 40, 60, 61, 62, 80, 99, 100, 130 };

static int setup(void **state)
{
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    SCREEN *s = out && in ? newterm("vt100", out, in) : NULL;
    if (!s) return -1;
    set_term(s);
    draw_init_colors();
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    endwin();
    delscreen(*state);
    return 0;
}

static void open_file(tui_model_t *m, const char *rel)
{
    size_t len;
    char *text = source_file(rel, &len);
    assert_true(model_open(m, text, len));
    free(text);
}

/* The help line's text, as on the screen. */
static void bottom_line(int rows, int cols, char *out)
{
    int n = 0;
    for (int x = 0; x < cols && x < 200; x++) out[n++] = (char)(mvinch(rows - 1, x) & A_CHARTEXT);
    out[n] = '\0';
}

/* Every panel of m drawn at every size: each draw returns, and the help
 * line (or a prompt's answer) stays on the last row, cut to the width. */
static void draw_every_size(tui_model_t *m)
{
    for (size_t r = 0; r < sizeof k_rows / sizeof k_rows[0]; r++) {
        for (size_t c = 0; c < sizeof k_cols / sizeof k_cols[0]; c++) {
            int rows = k_rows[r], cols = k_cols[c];
            assert_int_equal(resize_term(rows, cols), OK);
            for (int p = 0; p < PANEL_COUNT; p++) {
                m->panel = (panel_t)p;
                draw(m, "a/scenario/with/a/long/name.scn");
                char line[256];
                bottom_line(rows, cols, line);
                const char *want = m->message[0] ? m->message : " n/Space step  b back";
                assert_memory_equal(line, want, (size_t)(cols < 21 ? cols : 21));
            }
            draw_help(0);
            draw_help(1000);
            draw_prompt("translate (ADDR [read|write] [user|kernel]): ", "0x12345678 write kernel");
        }
    }
}

static void draw__process_every_size_from_1x1__returns(void **state)
{
    (void)state;
    tui_model_t m;
    open_file(&m, "scenarios/tour/tour.scn");
    draw_every_size(&m);
    model_run_to(&m, 6);
    model_stepper_set(&m, 0x12340000u, MMU_WRITE, MMU_USER);
    m.xstep = 99;
    draw_every_size(&m);
    m.browse = BROWSE_FRAMES;
    draw_every_size(&m);
    model_zoom_pages(&m, 0x12340000u, 80); /* several cells a page: page starts */
    m.hscroll = 30;
    snprintf(m.message, sizeof m.message, "not an address: b: unknown name 'b' (column 1)");
    draw_every_size(&m);
    model_close(&m);
}

/* Row y of the screen as text (at most 255 columns). */
static void screen_row(int y, int cols, char *out)
{
    int n = 0;
    for (int x = 0; x < cols && x < 255; x++) out[n++] = (char)(mvinch(y, x) & A_CHARTEXT);
    while (n > 0 && out[n - 1] == ' ') n--;
    out[n] = '\0';
}

/* The row holding needle, from row `from`, or -1; *col its column. */
static int find_row(int rows, int cols, int from, const char *needle, int *col)
{
    char line[256];
    for (int y = from; y < rows; y++) {
        screen_row(y, cols, line);
        const char *p = strstr(line, needle);
        if (p) {
            *col = (int)(p - line);
            return y;
        }
    }
    return -1;
}

/* At 80 x 24 everything is whole: the bit string lined up with its
 * directory/table/offset header, the status line with every counter, the
 * map's label and a complete legend, and the story of the next statement. */
static void draw__80x24__aligned_whole_and_complete(void **state)
{
    (void)state;
    tui_model_t m;
    open_file(&m, "scenarios/tour/tour.scn");
    model_run_to_line(&m, 16); /* write a: its story is "# [Write] to page 1: it is read-only." */
    model_stepper_set(&m, 0x12345678u, MMU_READ, MMU_USER);
    assert_int_equal(resize_term(24, 80), OK);
    draw(&m, "tour (default)");
    char line[256];
    int bx = -1, hx = -1, tx = -1, ox = -1, y;
    int by = find_row(24, 80, 1, "0001001000 1101000101 011001111000", &bx);
    assert_true(by > 0);
    assert_int_equal(find_row(24, 80, by + 1, "directory", &hx), by + 1);
    find_row(24, 80, by + 1, "table", &tx);
    find_row(24, 80, by + 1, "offset", &ox);
    assert_int_equal(hx, bx);
    assert_int_equal(tx, bx + 11);
    assert_int_equal(ox, bx + 22);
    screen_row(0, 80, line);
    assert_non_null(strstr(line, "step 5/22"));
    assert_non_null(strstr(line, "  main  ws 7  commit 80K  dz 0 hard 0 av 0"));
    y = find_row(24, 80, 1, "6554 pages a cell", &hx);
    assert_int_equal(y, 20);
    screen_row(22, 80, line);
    assert_string_equal(line, ".free rrsv ccmt Rres Ddirty Ggrd Mmap Wcow Iimg Tpt Ssys Llock Ffile Hshr _guard");
    assert_true(find_row(24, 80, 1, "# [Write] to page 1: it", &hx) > 0);
    assert_true(find_row(24, 80, 1, "is read-only.", &hx) > 0);
    assert_true(find_row(24, 80, 1, ">  16 write a \"wuiasdf\"", &hx) > 0);
    model_close(&m);
}

/* Whether text is on some row of a rows x cols screen. */
static bool on_screen(int rows, int cols, const char *text)
{
    int x;
    return find_row(rows, cols, 0, text, &x) >= 0;
}

/* Two instances of the program: the stepper's last line names the image,
 * its section and both processes that map the frame; the frame list shows
 * the image's frames with their sharers; the map's legend has file and
 * shared. */
static void draw__shared_image_page__backing_and_sharers_named(void **state)
{
    (void)state;
    tui_model_t m;
    open_file(&m, "scenarios/images/two-instances.scn");
    model_run_to(&m, scn_history_count(m.h));
    model_stepper_set(&m, 0x00401000u, MMU_READ, MMU_USER);
    while (model_stepper_next(&m)) {}
    m.panel = PANEL_STEPPER;
    assert_int_equal(resize_term(40, 130), OK);
    draw(&m, "two instances");
    assert_true(on_screen(40, 130, "page 1 of image \"program.exe\", section .text; mapped by 2 mappings"));
    assert_true(on_screen(40, 130, "in 2 processes: main 0x00401000, second 0x00401000"));
    assert_true(on_screen(40, 130, "Llock Ffile Hshr"));
    /* .data of this process: its own copy. */
    model_stepper_set(&m, 0x00404000u, MMU_READ, MMU_USER);
    while (model_stepper_next(&m)) {}
    draw(&m, "two instances");
    assert_true(on_screen(40, 130, "a private copy of a view's page"));
    /* The frame list. */
    m.panel = PANEL_TABLES;
    m.browse = BROWSE_FRAMES;
    draw(&m, "two instances");
    assert_true(on_screen(40, 130, "frame 0040E image      system program.exe .text p1, 2 maps: main second"));
    model_close(&m);
}

/* Seed 004's AWE program with a frame mapped twice over: the map's legend
 * gains AWE while an AWE page is on the map, the stepper says what backs
 * the page, and the frame list names the AWE frames, mapped or not. */
static void draw__awe_pages__a_kind_of_their_own(void **state)
{
    (void)state;
    tui_model_t m;
    open_file(&m, "scenarios/awe/seed004-awe.scn");
    model_run_to_line(&m, 69); /* before `stats`: two pages mapped */
    model_stepper_set(&m, 0x00410000u, MMU_READ, MMU_USER);
    while (model_stepper_next(&m)) {}
    m.panel = PANEL_STEPPER;
    assert_int_equal(resize_term(40, 130), OK);
    model_zoom_pages(&m, 0x00410000u, 130); /* a page a cell at the region's start */
    draw(&m, "seed004-awe");
    assert_true(on_screen(40, 130, "a physical page of the process's own (AWE)"));
    assert_true(on_screen(40, 130, "A AWE") || on_screen(40, 130, "Aawe"));
    m.panel = PANEL_TABLES;
    m.browse = BROWSE_FRAMES;
    draw(&m, "seed004-awe");
    assert_true(on_screen(40, 130, "frame 0040D awe        main   va 00410000"));
    assert_true(on_screen(40, 130, "frame 0040F awe        main   not mapped"));
    model_close(&m);
}

static void draw__bare_machine_every_size_from_1x1__returns(void **state)
{
    (void)state;
    tui_model_t m;
    open_file(&m, "scenarios/hardware/seed001-worked-walk.scn");
    model_run_to(&m, model_count(&m));
    m.browse = BROWSE_ENTRY;
    draw_every_size(&m);
    snprintf(m.error, sizeof m.error, "5:1: error: a long error message that the panel wraps over two lines at most");
    draw_every_size(&m);
    model_close(&m);
}

/* Quiz mode's reveal of a wrong address, drawn over the panel at every
 * size. */
static void draw__quiz_reveal_every_size_from_1x1__returns(void **state)
{
    (void)state;
    tui_model_t m;
    open_file(&m, "scenarios/hardware/seed001-worked-walk.scn");
    model_run_to(&m, 4);
    quiz_mode_toggle(&m);
    static const char *const before[] = { "1", "1", "1", "miss", "1", "yes", "1", "yes", "no" };
    for (size_t i = 0; i < sizeof before / sizeof before[0]; i++) assert_true(quiz_mode_answer(&m, before[i]));
    assert_true(quiz_mode_answer(&m, "0x40000778"));
    assert_true(quiz_mode_showing(&m));
    m.message[0] = '\0';
    draw_every_size(&m);
    assert_int_equal(resize_term(24, 80), OK);
    draw(&m, "walk");
    int col;
    assert_true(find_row(24, 80, 0, "1 bit wrong, in the offset (11-0)", &col) >= 0);
    assert_true(find_row(24, 80, 0, "WRONG: the machine says 0x40000678", &col) >= 0);
    model_close(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(draw__process_every_size_from_1x1__returns),
        cmocka_unit_test(draw__bare_machine_every_size_from_1x1__returns),
        cmocka_unit_test(draw__80x24__aligned_whole_and_complete),
        cmocka_unit_test(draw__awe_pages__a_kind_of_their_own),
        cmocka_unit_test(draw__shared_image_page__backing_and_sharers_named),
        cmocka_unit_test(draw__quiz_reveal_every_size_from_1x1__returns),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
