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
 * line stays on the last row, cut to the width. */
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
                assert_memory_equal(line, " n/Space step  b back", (size_t)(cols < 21 ? cols : 21));
            }
            draw_help();
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(draw__process_every_size_from_1x1__returns),
        cmocka_unit_test(draw__bare_machine_every_size_from_1x1__returns),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
