/* pagesim-tui: step through a scenario in a terminal, forwards and back. */
#include "curses_compat.h"
#include "draw.h"
#include "fe_file.h"
#include "fe_output.h"
#include "fe_run.h"
#include "model.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#include <io.h>
#define isatty _isatty
#else
#include <unistd.h>
#endif

#include "default_scenario.h" /* DEFAULT_SCENARIO: scenarios/tour/tour.scn */

/* A line typed at the bottom: Enter takes it, Escape (or an empty line)
 * cancels, Backspace deletes. False when cancelled. */
static bool prompt(const char *question, char *out, int n)
{
    int len = 0;
    out[0] = 0;
    curs_set(1);
    for (;;) {
        draw_prompt(question, out);
        refresh();
        int c = getch();
        if (c == '\n' || c == '\r' || c == KEY_ENTER) break;
        if (c == 27 || c == ERR) {
            len = 0;
            break;
        }
        if ((c == KEY_BACKSPACE || c == 127 || c == 8) && len > 0) out[--len] = 0;
        else if (c >= 32 && c < 127 && len < n - 1) out[len++] = (char)c, out[len] = 0;
    }
    out[len] = 0;
    curs_set(0);
    return len > 0;
}

/* "0x12345678 [read|write] [user|kernel]" into the stepper. */
static void ask_address(tui_model_t *m)
{
    char buf[96];
    if (!prompt("translate (ADDR [read|write] [user|kernel]): ", buf, sizeof buf)) return;
    char *end;
    unsigned long va = strtoul(buf, &end, 0);
    if (end == buf || va > 0xFFFFFFFFul) {
        snprintf(m->error, sizeof m->error, "not an address: %s", buf);
        return;
    }
    mmu_access_t acc = strstr(end, "write") ? MMU_WRITE : strstr(end, "exec") ? MMU_EXEC : MMU_READ;
    mmu_mode_t mode = strstr(end, "kernel") ? MMU_KERNEL : MMU_USER;
    m->error[0] = 0;
    model_stepper_set(m, (uint32_t)va, acc, mode);
}

/* The map bar's number of cells on a screen `cols` wide. */
static int bar_cells(int cols) { return cols > 512 ? 512 : cols; }

/* A click: a source line runs to it; a map cell zooms onto its allocation,
 * then (an allocation wider than the bar) onto one page a cell around it,
 * and at one page a cell translates its page. */
static void handle_click(tui_model_t *m, const MEVENT *ev)
{
    if (!(ev->bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED))) return;
    tui_layout_t L;
    model_layout(m, getmaxy(stdscr), getmaxx(stdscr), &L);
    if (ev->y >= L.src_top && ev->y < L.src_top + L.src_h && ev->x < L.src_w) {
        size_t index = model_source_first(m, L.src_h) + (size_t)(ev->y - L.src_top);
        if (index <= model_count(m)) model_run_to(m, index);
    } else if (L.map_y >= 0 && ev->y == L.map_y) {
        int n = bar_cells(L.cols);
        uint32_t lo, hi;
        model_map_range(m, &lo, &hi);
        uint64_t span = (hi ? (uint64_t)hi : 0x100000000ull) - lo;
        uint32_t va = (uint32_t)(lo + span * (uint64_t)ev->x / (uint64_t)n);
        uint32_t next = (uint32_t)(lo + span * (uint64_t)(ev->x + 1) / (uint64_t)n);
        if (m->zoom < 0) model_zoom_at(m, va, next - va);
        else if (span > (uint64_t)n << 12) model_zoom_pages(m, va, n);
        else model_stepper_set(m, va & ~0xFFFu, m->xacc, m->xmode);
    } else if (ev->y == L.tabs_y && ev->x >= L.pan_left) {
        static const int ends[PANEL_COUNT] = { 8, 18, 30, 39, 45 };
        for (int i = 0; i < PANEL_COUNT; i++) {
            if (ev->x - L.pan_left < ends[i]) {
                m->panel = (panel_t)i;
                break;
            }
        }
    }
}

static void scroll_by(tui_model_t *m, int d)
{
    m->scroll += d;
    if (m->scroll < 0) m->scroll = 0;
}

/* One key; false to quit. */
static bool handle_key(tui_model_t *m, int c)
{
    switch (c) {
    case 'q': case 'Q': return false;
    case 'n': case ' ': model_forward(m); break;
    case 'b': model_back(m); break;
    case 'r': model_restart(m); break;
    case 'e': model_run_to(m, model_count(m)); break;
    case 'g': {
        char buf[32];
        if (prompt("run to line: ", buf, sizeof buf)) model_run_to_line(m, (uint32_t)strtoul(buf, NULL, 10));
        break;
    }
    case 't': ask_address(m); break;
    case 'w': m->xacc = m->xacc == MMU_WRITE ? MMU_READ : MMU_WRITE; break;
    case 'u': m->xmode = m->xmode == MMU_USER ? MMU_KERNEL : MMU_USER; break;
    case '1': case '2': case '3': case '4': case '5':
        m->panel = (panel_t)(c - '1');
        m->scroll = 0;
        if (m->panel == PANEL_STEPPER && m->xstep == 0) m->xstep = 1;
        break;
    case '\n': case '\r': case KEY_ENTER:
        if (m->panel == PANEL_STEPPER) model_stepper_next(m);
        else if (m->panel == PANEL_TABLES) model_browse_enter(m);
        break;
    case KEY_LEFT: case KEY_BACKSPACE:
        if (m->panel == PANEL_TABLES) model_browse_leave(m);
        break;
    case KEY_RIGHT:
        if (m->panel == PANEL_TABLES) model_browse_enter(m);
        break;
    case 'f':
        if (m->panel == PANEL_TABLES) {
            m->browse = BROWSE_FRAMES;
            m->scroll = 0;
        }
        break;
    case '+': model_zoom_in(m); break;
    case '-': model_zoom_out(m); break;
    case 'z': model_zoom_pages(m, model_stepper_address(m), bar_cells(getmaxx(stdscr))); break;
    case KEY_UP:
        if (m->panel == PANEL_TABLES) model_browse_move(m, -1);
        else scroll_by(m, -1);
        break;
    case KEY_DOWN:
        if (m->panel == PANEL_TABLES) model_browse_move(m, 1);
        else scroll_by(m, 1);
        break;
    case KEY_PPAGE: scroll_by(m, -10); break;
    case KEY_NPAGE: scroll_by(m, 10); break;
    case KEY_MOUSE: {
        MEVENT ev;
        if (getmouse(&ev) == OK) handle_click(m, &ev);
        break;
    }
#ifdef PAGESIM_PDCURSES
    case KEY_RESIZE: resize_term(0, 0); break; /* PDCurses leaves taking the new size to the program */
#endif
    default: break; /* KEY_RESIZE (ncurses has taken the new size) and the rest: a redraw */
    }
    return true;
}

static void usage(void)
{
    printf("usage: pagesim-tui [FILE|-]\n"
           "Steps through a scenario like a debugger (without FILE: scenarios/tour/tour.scn, built in);\n"
           "? in the UI lists the keys. Without a terminal, prints the scenario's trace as pagesim run does.\n");
}

/* The scenario named on the command line into *file (NULL: the default).
 * 0; 2 after saying why not; -1 after --help. */
static int parse_args(int argc, char **argv, const char **file)
{
    *file = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage();
            return -1;
        }
        if (a[0] == '-' && a[1] != '\0') {
            fe_errorf("pagesim-tui: unknown option '%s'", a);
            return 2;
        }
        if (*file) {
            fe_errorf("pagesim-tui: one scenario at a time ('%s' and '%s')", *file, a);
            return 2;
        }
        *file = a;
    }
    return 0;
}

/* The terminal UI until q (or the terminal is gone). */
static void run_terminal(tui_model_t *m, const char *name)
{
    initscr();
    compat_short_escdelay();
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    curs_set(0);
    mousemask(BUTTON1_CLICKED, NULL);
    draw_init_colors();
    bool help = false;
    for (int errors = 0; errors < 16;) {
        if (help) draw_help();
        else draw(m, name);
        refresh();
        int c = getch();
        errors = c == ERR ? errors + 1 : 0; /* ERR again and again: no terminal to read any more */
        if (help) {
            help = c == KEY_RESIZE || c == KEY_MOUSE;
            continue;
        }
        if (c == '?') help = true;
        else if (!handle_key(m, c)) break;
    }
    endwin();
}

/* The scenario's text and its name for error lines, or 2 (said). */
static int load(const char *file, char **text, size_t *len, const char **shown)
{
    *text = NULL;
    *len = sizeof DEFAULT_SCENARIO - 1;
    *shown = !file ? "<default>" : strcmp(file, "-") == 0 ? "<stdin>" : file;
    if (!file) return 0;
    const char *why = "";
    *text = fe_read_file(file, len, &why);
    if (*text) return 0;
    char msg[300];
    snprintf(msg, sizeof msg, "cannot read the scenario: %s", why);
    fe_error_line(*shown, 1, 1, msg);
    return 2;
}

static int run(int argc, char **argv)
{
    const char *file, *shown;
    int rc = parse_args(argc, argv, &file);
    if (rc) return rc < 0 ? 0 : rc;
    char *text;
    size_t len;
    if (load(file, &text, &len, &shown)) return 2;
    const char *scenario = text ? text : DEFAULT_SCENARIO;
    if (!isatty(0) || !isatty(1)) {
        /* No terminal (a pipe, CI): the scenario's trace as pagesim run
         * prints it. */
        fprintf(stderr, "pagesim-tui: no terminal; printing the scenario's trace instead\n");
        fe_run_opts_t o = { "pagesim-tui", false, false, NULL, NULL };
        rc = fe_run(shown, scenario, len, &o);
        free(text);
        return rc;
    }
    tui_model_t m;
    bool ok = model_open(&m, scenario, len);
    free(text);
    if (!ok) rc = 2, fe_error_text(shown, m.error);
    else run_terminal(&m, file ? file : "tour (default)");
    model_close(&m);
    return rc;
}

int main(int argc, char **argv)
{
    return fe_finish_output("pagesim-tui", run(argc, argv));
}
