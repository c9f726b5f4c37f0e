/* The terminal UI's view model: the scenario as a history (stepping back
 * restores the whole machine), its source a line at a time, which panel
 * shows what, the translation stepper, the page-table browser's selection
 * and the map's zoom. No curses here: draw.c turns a model into a screen,
 * so all of this is testable. */
#ifndef PAGESIM_TUI_MODEL_H
#define PAGESIM_TUI_MODEL_H

#include "pagesim/format.h"
#include "pagesim/history.h"
#include "pagesim/inspect.h"
#include "pagesim/mm.h"
#include "pagesim/mmu.h"
#include "pagesim/strbuf.h"
#include "quiz_mode.h"
#include "source.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { PANEL_RESULT = 0, PANEL_REGIONS, PANEL_STEPPER, PANEL_TABLES, PANEL_LOG, PANEL_COUNT } panel_t;

/* The page-table browser's level. */
typedef enum { BROWSE_DIRECTORY = 0, BROWSE_TABLE, BROWSE_ENTRY, BROWSE_FRAMES } browse_t;

/* One translation, made on a copy of the machine so that the real one is
 * untouched: the TLB lookup, the walk, and in a process how the memory
 * manager resolves a fault (and the walk retried after it). */
typedef struct tui_translation {
    uint32_t va;
    mmu_access_t acc;
    mmu_mode_t mode;
    bool process;             /* a Windows process (else a bare machine)      */
    mmu_walk_t walk, retry;
    bool retried;
    mm_resolution_t resolved;
    uint32_t exception;
    char why[512];
} tui_translation_t;

/* What the map bar shows: the whole 4 GB, the user space or an allocation
 * fitted to the bar, or a window at a scale chosen by zooming. */
typedef enum { MAP_FIT_4G = 0, MAP_FIT_USER, MAP_FIT_ALLOC, MAP_SCALED } map_fit_t;
typedef struct tui_map {
    map_fit_t fit;
    int alloc;               /* MAP_FIT_ALLOC: its index; else the last one
                                gone to, -1 for none                        */
    uint32_t first;          /* MAP_SCALED: the first page shown (va >> 12) */
    uint32_t per, cpp;       /* MAP_SCALED: pages a cell and cells a page;
                                one of the two is 1                         */
    bool sel_set;            /* the address zoomed around was chosen on the
                                map (else: the stepper's)                   */
    uint32_t sel;
} tui_map_t;

typedef struct tui_model {
    scn_history_t *h;
    tui_source_t src;
    char error[600];         /* the last step that could not run            */
    char message[320];       /* an answer to a prompt, until the next key   */
    panel_t panel;
    int scroll;              /* first line of the right panel              */
    int hscroll;             /* first column of its wide (WinDbg) lines    */
    /* The stepper: the address, the steps shown, the translation. */
    bool xset;               /* an address was typed or picked             */
    uint32_t xva;
    mmu_access_t xacc;
    mmu_mode_t xmode;
    int xstep;
    /* The page-table browser. */
    browse_t browse;
    uint32_t pde, pte;       /* selected indices                           */
    tui_map_t map;
    tui_quiz_t quiz;         /* quiz mode (quiz_mode.h)                      */
} tui_model_t;

/* Parses text; false with error filled ("LINE:COL: error: ...") when not. */
bool model_open(tui_model_t *m, const char *text, size_t len);
void model_close(tui_model_t *m);

size_t model_done(const tui_model_t *m);
size_t model_count(const tui_model_t *m);
/* Steps; false when nothing happens (at an end, or an error: m->error). */
bool model_forward(tui_model_t *m);
bool model_back(tui_model_t *m);
void model_restart(tui_model_t *m);
void model_run_to(tui_model_t *m, size_t index);
/* Runs to the statement on source line `line` (1-based) or the next one. */
void model_run_to_line(tui_model_t *m, uint32_t line);

scn_runner_t *model_runner(const tui_model_t *m);
mm_process_t *model_process(const tui_model_t *m);   /* NULL: bare machine */
/* The prose of the last statement run, or NULL before the first. */
const char *model_last_text(const tui_model_t *m);
/* True when the prose of statement k < done is a WinDbg view (!address,
 * !vad, !pte): its lines after the first are columns, never wrapped. */
bool model_text_is_table(const tui_model_t *m, size_t k);

/* The stepper. ----------------------------------------------------------- */

/* model_stepper_set chooses an address and shows its split; without one
 * set, the address is the next statement's when it is a translate (with
 * its access and mode), else the one the last statement that had one was
 * about (scn_history_focus). */
void model_stepper_set(tui_model_t *m, uint32_t va, mmu_access_t acc, mmu_mode_t mode);
/* What was typed at the translate prompt: an expression of the language
 * (numbers, constants, the names bound so far, + - * |, parentheses), then
 * optionally read/write/exec and user/kernel. True after setting the
 * stepper; false with m->message saying why when it is not one. */
bool model_stepper_parse(tui_model_t *m, const char *text);
uint32_t model_stepper_address(const tui_model_t *m);
void model_stepper_translate(const tui_model_t *m, tui_translation_t *t);
/* Room for every line of a translation: the walk's and the memory
 * manager's. */
#define MODEL_STEPPER_LINES (FMT_WALK_LINES + 16)
/* The lines of the first `steps` steps (all when steps < 0): the steps of
 * fmt_walk_lines, then, in a Windows process when the walk faults, how the
 * memory manager resolves it. Returns the number of lines (at most max)
 * and, in *total, the number of steps. */
int model_stepper_lines(const tui_model_t *m, int steps, fmt_line_t *lines, int max, int *total);
/* Advances one step; false when all are shown. */
bool model_stepper_next(tui_model_t *m);

/* The map. -------------------------------------------------------------- */

/* The part of the 4 GB shown in a bar of `cells` cells: from page first,
 * per pages a cell (cpp 1) or cpp cells a page (per 1). Cells past the
 * 4 GB show nothing. */
typedef struct tui_map_view {
    uint32_t first, per, cpp;
    int cells;
} tui_map_view_t;
/* The pages of cell i, [*lo, *hi) as page numbers; *hi == *lo past the
 * end of the 4 GB. */
void map_cell_pages(const tui_map_view_t *v, int i, uint64_t *lo, uint64_t *hi);
/* The cell showing page `page`, or -1 when it is not in view. */
int map_page_cell(const tui_map_view_t *v, uint64_t page);

/* A cell: the state of most of its pages in use (free when none is), and
 * marks. */
enum {
    MAP_CELL_PAGE_START = 1, /* a page begins here (several cells a page)  */
    MAP_CELL_GUARD = 2,      /* holds a guard page, though most are not    */
    MAP_CELL_PAST = 4,       /* beyond the 4 GB: nothing                    */
};
typedef struct tui_cell {
    uint8_t state;           /* mm_page_state_t                             */
    uint8_t marks;           /* MAP_CELL_*                                  */
} tui_cell_t;
#define MODEL_MAP_CELLS 1024 /* the widest bar                             */

void model_map_view(const tui_model_t *m, int cells, tui_map_view_t *v);
/* The view for `cells` cells and each cell's state (cells <= MODEL_MAP_CELLS). */
void model_map(const tui_model_t *m, tui_cell_t *out, int cells, tui_map_view_t *v);
/* "0x00010000-0x8002FFFF  6554 pages a cell": the range and the scale. */
void model_map_label(const tui_map_view_t *v, char *out, size_t size);
/* Zoom in (dir > 0) or out by a factor of 2 around the map's selection
 * (the stepper's address until one is chosen on the map), kept in its cell
 * when it is in view. Out from the widest scale: the whole 4 GB. */
void model_zoom(tui_model_t *m, int dir, int cells);
/* The next (dir > 0) or previous allocation, fitted to the bar; false when
 * the process has none. */
bool model_zoom_next(tui_model_t *m, int dir);
/* The allocation holding va fitted to the bar when it has at most `cells`
 * pages, else one page a cell around va, kept inside the allocation (when
 * va is in none, inside the 4 GB). */
void model_zoom_pages(tui_model_t *m, uint32_t va, int cells);
/* A click on cell i of `cells`. A cell of several pages zooms: onto an
 * allocation in it when fitting that one zooms in, else one page a cell
 * around it when the view already fits it, else by a factor of 2. A cell
 * of a page or less returns true with its page's address in *va (to
 * translate it). */
bool model_map_click(tui_model_t *m, int i, int cells, uint32_t *va);

/* The page-table browser. ------------------------------------------------ */
void model_browse_move(tui_model_t *m, int delta);  /* Up/Down           */
void model_browse_enter(tui_model_t *m);            /* Enter: one level in */
void model_browse_leave(tui_model_t *m);            /* Left: one level out */

/* The screen. ------------------------------------------------------------ */

/* Where things are on a screen of rows x cols (pure, so that the mouse and
 * the tests agree with the drawing). Any size from 1 x 1 up: every area is
 * inside the screen, of 0 rows or columns when there is no room for it
 * (tabs_y, map_y -1: no row for the panel names, no map). The map takes
 * three rows: its label, the bar, the legend. */
typedef struct tui_layout {
    int rows, cols;
    int src_top, src_h, src_w;       /* the source, at column 0             */
    int src_text;                    /* its text's first column             */
    int tabs_y;                      /* the panel names                     */
    int pan_top, pan_left, pan_h, pan_w;
    int map_y, map_cells;            /* the bar, its label above, legend below */
    int help_y;
} tui_layout_t;
void model_layout(const tui_model_t *m, int rows, int cols, tui_layout_t *out);

/* The source column: every line of the scenario, the next statement (or
 * the end) and the comment block above it (its story) kept in view, the
 * statement in the middle when there is room. model_source_top is the
 * first line shown in h rows of text w columns wide. */
uint32_t model_source_top(const tui_model_t *m, int h, int w);
/* Rows line i takes in a text column w wide: the next statement and its
 * story wrap (up to SRC_MAX_ROWS rows), every other line takes one (the
 * end marker, i == the line count, too). */
int model_source_rows(const tui_model_t *m, uint32_t i, int w);
/* The next statement's line (0-based; the line count at the end) and the
 * first line of its comment block. */
void model_source_focus(const tui_model_t *m, uint32_t *block, uint32_t *line);
/* The line drawn at row `row` of the source column (the line count for
 * the row after the last line), or -1 for none. */
long model_source_line_at(const tui_model_t *m, int h, int w, int row);

/* The title line for a terminal `cols` wide: the program, the scenario's
 * name, the step and the process's counters. The step always fits; the
 * rest is made to fit whole when it can: the program's name goes first,
 * then the counters are written closer, then the scenario's name is cut to
 * its file name and to its end behind "..."; only on a very narrow
 * terminal does the edge cut the counters. */
void model_status(const tui_model_t *m, const char *name, int cols, char *out, size_t size);

/* The help screen's text: the keys, the map's legend, then the statements
 * of the language as `pagesim --help` lists them. */
void model_help(strbuf_t *b);

#endif
