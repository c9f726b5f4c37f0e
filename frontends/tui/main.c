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

/* An address typed as the language writes one (a+0x10, a name, PAGE_SIZE*3),
 * then read/write/exec and user/kernel, into the stepper. */
static void ask_address(tui_model_t *m)
{
    char buf[160];
    if (prompt("translate (EXPR [read|write|exec] [user|kernel]): ", buf, sizeof buf)) model_stepper_parse(m, buf);
}

/* n in quiz mode: the next statement's next question, asked at the bottom
 * (asked again while the answer cannot be read; Escape leaves it for
 * later); when none is left, the step. */
static void quiz_forward(tui_model_t *m)
{
    const quiz_question_t *q = quiz_mode_pending(m);
    if (!q) {
        model_forward(m);
        return;
    }
    size_t number, count;
    quiz_mode_position(m, &number, &count);
    char ask[300], buf[160];
    for (;;) {
        /* 16 columns at least are left for the answer */
        int room = getmaxx(stdscr) - 16 - 12;
        int len = (int)strlen(q->text);
        if (len > room) snprintf(ask, sizeof ask, "Q%u/%u %.*s... ", (unsigned)number, (unsigned)count, room > 0 ? room : 0, q->text);
        else snprintf(ask, sizeof ask, "Q%u/%u %s ", (unsigned)number, (unsigned)count, q->text);
        if (!prompt(ask, buf, sizeof buf) || quiz_mode_answer(m, buf)) return;
        draw_prompt(m->message, "");
        refresh();
        napms(900);
    }
}

/* A click: a source line runs to its statement (a comment, to the one it
 * tells of); a map cell zooms or, close enough, translates its page; a
 * panel name shows that panel. */
static void handle_click(tui_model_t *m, const MEVENT *ev)
{
    if (!(ev->bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED))) return;
    tui_layout_t L;
    model_layout(m, getmaxy(stdscr), getmaxx(stdscr), &L);
    uint32_t va;
    if (ev->y >= L.src_top && ev->y < L.src_top + L.src_h && ev->x < L.src_w) {
        long line = model_source_line_at(m, L.src_h, L.src_w - L.src_text, ev->y - L.src_top);
        if (line >= 0) model_run_to_line(m, (uint32_t)line + 1);
    } else if (L.map_y >= 0 && ev->y == L.map_y) {
        if (model_map_click(m, ev->x, L.map_cells, &va)) model_stepper_set(m, va, m->xacc, m->xmode);
    } else if (ev->y == L.tabs_y) {
        int panel = draw_tab_at(&L, ev->x);
        if (panel >= 0) m->panel = (panel_t)panel;
    }
}

static void scroll_by(tui_model_t *m, int d)
{
    m->scroll += d;
    if (m->scroll < 0) m->scroll = 0;
}

/* Left/Right: out of and into the page tables in the browser, elsewhere
 * the wide views sideways. */
static void sideways(tui_model_t *m, int d)
{
    if (m->panel == PANEL_TABLES) {
        if (d < 0) model_browse_leave(m);
        else model_browse_enter(m);
        return;
    }
    m->hscroll += 8 * d;
    if (m->hscroll < 0) m->hscroll = 0;
}

/* The map's keys; false when c is not one. */
static bool map_key(tui_model_t *m, int c)
{
    int cells = getmaxx(stdscr) < MODEL_MAP_CELLS ? getmaxx(stdscr) : MODEL_MAP_CELLS;
    switch (c) {
    case '+': case '=': model_zoom(m, 1, cells); break;
    case '-': model_zoom(m, -1, cells); break;
    case '\t': case 'a': model_zoom_next(m, 1); break;
    case KEY_BTAB: case 'A': model_zoom_next(m, -1); break;
    case 'z': model_zoom_pages(m, model_stepper_address(m), cells); break;
    default: return false;
    }
    return true;
}

/* One key; false to quit. */
static bool handle_key(tui_model_t *m, int c)
{
    if (map_key(m, c)) return true;
    switch (c) {
    case 'q': return false;
    case 'Q': quiz_mode_toggle(m); break;
    case 'n': case ' ':
        if (m->quiz.on) quiz_forward(m);
        else model_forward(m);
        break;
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
        m->scroll = m->hscroll = 0;
        if (m->panel == PANEL_STEPPER && m->xstep == 0) m->xstep = 1;
        break;
    case '\n': case '\r': case KEY_ENTER:
        if (m->panel == PANEL_STEPPER) model_stepper_next(m);
        else if (m->panel == PANEL_TABLES) model_browse_enter(m);
        break;
    case KEY_LEFT: case 'h': case KEY_BACKSPACE: sideways(m, -1); break;
    case KEY_RIGHT: case 'l': sideways(m, 1); break;
    case 'f':
        if (m->panel == PANEL_TABLES) {
            m->browse = BROWSE_FRAMES;
            m->scroll = 0;
        }
        break;
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

/* A key on the help screen: scrolls it (*top), or leaves it (false). */
static bool help_key(int c, int *top, int last)
{
    switch (c) {
    case KEY_UP: case 'k': *top -= 1; break;
    case KEY_DOWN: case 'j': *top += 1; break;
    case KEY_PPAGE: *top -= 10; break;
    case KEY_NPAGE: case ' ': *top += 10; break;
    case KEY_HOME: *top = 0; break;
    case KEY_END: *top = last; break;
    case KEY_RESIZE: case KEY_MOUSE: case ERR: break;
    default: return false;
    }
    if (*top > last) *top = last;
    if (*top < 0) *top = 0;
    return true;
}

static void usage(void)
{
    printf("usage: pagesim-tui [FILE|-]\n"
           "Steps through a scenario like a debugger (without FILE: scenarios/tour/tour.scn, built in);\n"
           "? in the UI lists the keys and the statements. Without a terminal, prints the scenario's trace\n"
           "as pagesim run does.\n");
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
    int top = 0, last = 0;
    for (int errors = 0; errors < 16;) {
        if (help) last = draw_help(top);
        else draw(m, name);
        refresh();
        int c = getch();
        errors = c == ERR ? errors + 1 : 0; /* ERR again and again: no terminal to read any more */
        if (help) {
            help = help_key(c, &top, last);
            continue;
        }
        if (c != KEY_RESIZE && c != ERR) m->message[0] = '\0';
        if (c == '?') help = true, top = 0;
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
