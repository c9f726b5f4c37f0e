/* The terminal UI's view model: the scenario as a history (stepping back
 * restores the whole machine), which panel shows what, the translation
 * stepper, the page-table browser's selection and the map's zoom. No curses
 * here: draw.c turns a model into a screen, so all of this is testable. */
#ifndef PAGESIM_TUI_MODEL_H
#define PAGESIM_TUI_MODEL_H

#include "pagesim/history.h"
#include "pagesim/inspect.h"
#include "pagesim/mm.h"
#include "pagesim/mmu.h"
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

/* One line of the stepper: its text and what it shows (for colour). */
typedef enum { LINE_PLAIN = 0, LINE_BITS, LINE_HEAD, LINE_WHY, LINE_OK, LINE_FAULT } line_kind_t;
typedef struct tui_line {
    line_kind_t kind;
    char text[160];
} tui_line_t;

typedef struct tui_model {
    scn_history_t *h;
    char error[600];         /* the last step that could not run            */
    panel_t panel;
    int scroll;              /* first line of the right panel              */
    /* The stepper: the address, the steps shown, the translation. */
    bool xset;               /* an address was typed or picked             */
    uint32_t xva;
    mmu_access_t xacc;
    mmu_mode_t xmode;
    int xstep;
    /* The page-table browser. */
    browse_t browse;
    uint32_t pde, pte;       /* selected indices                           */
    /* The map: MODEL_ZOOM_4G, MODEL_ZOOM_USER, else an allocation index,
     * and within it a window [zlo, zhi) of pages (zhi 0: all of it). */
    int zoom;
    uint32_t zlo, zhi;
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
/* Runs to the statement on source line `line` (or the next one). */
void model_run_to_line(tui_model_t *m, uint32_t line);

scn_runner_t *model_runner(const tui_model_t *m);
mm_process_t *model_process(const tui_model_t *m);   /* NULL: bare machine */
/* The prose of the last statement run, or NULL before the first. */
const char *model_last_text(const tui_model_t *m);

/* The stepper. model_stepper_set chooses an address and shows its split;
 * without one set, the address is the next statement's when it is a
 * translate (with its access and mode), else the last one used (the last
 * translate, faulting access or new allocation). */
void model_stepper_set(tui_model_t *m, uint32_t va, mmu_access_t acc, mmu_mode_t mode);
uint32_t model_stepper_address(const tui_model_t *m);
void model_stepper_translate(const tui_model_t *m, tui_translation_t *t);
/* The lines of the first `steps` steps (all when steps < 0); returns the
 * number of lines (at most max) and, in *total, the number of steps. */
int model_stepper_lines(const tui_model_t *m, int steps, tui_line_t *lines, int max, int *total);
/* Advances one step; false when all are shown. */
bool model_stepper_next(tui_model_t *m);

/* "0001001000 1101000101 011001111000" for va (the 10/10/12 split). */
void model_bits(uint32_t va, char out[36]);

/* The map: n cells over the zoomed range [*lo, *hi) (*hi is 0 for the top
 * of the 4 GB), the most telling page state in each cell's pages (a cell is one
 * page when the range is n pages or fewer). */
enum { MODEL_ZOOM_4G = -2, MODEL_ZOOM_USER = -1 };
void model_map(const tui_model_t *m, mm_page_state_t *cells, int n, uint32_t *lo, uint32_t *hi);
/* The zoomed range alone, as model_map gives it, without the page states. */
void model_map_range(const tui_model_t *m, uint32_t *lo, uint32_t *hi);
/* In: from the 4 GB to the user space, then onto each allocation in turn.
 * Out: from an allocation to the user space, from there to the 4 GB. */
void model_zoom_in(tui_model_t *m);
void model_zoom_out(tui_model_t *m);
/* Onto the first allocation that overlaps [va, va + len) (a map cell's
 * range; len 0 or 1: the one holding va); false when none does. */
bool model_zoom_at(tui_model_t *m, uint32_t va, uint32_t len);
/* Onto the allocation holding va and, when it has more pages than the bar's
 * `cells`, onto the `cells` pages around va in it (one page a cell); false
 * when va is in no allocation. model_zoom_out leaves the window first. */
bool model_zoom_pages(tui_model_t *m, uint32_t va, int cells);

/* The page-table browser. */
void model_browse_move(tui_model_t *m, int delta);  /* Up/Down           */
void model_browse_enter(tui_model_t *m);            /* Enter: one level in */
void model_browse_leave(tui_model_t *m);            /* Left: one level out */



/* Where things are on a screen of rows x cols (pure, so that the mouse and
 * the tests agree with the drawing). Any size from 1 x 1 up: every area is
 * inside the screen, of 0 rows or columns when there is no room for it
 * (tabs_y -1: no row for the panel names). */
typedef struct tui_layout {
    int rows, cols;
    int src_top, src_h, src_w;       /* the source, at column 0             */
    int tabs_y;                      /* the panel names                     */
    int pan_top, pan_left, pan_h, pan_w;
    int map_y;                       /* the map bar (-1: none), legend below */
    int help_y;
} tui_layout_t;
void model_layout(const tui_model_t *m, int rows, int cols, tui_layout_t *out);
/* The first statement shown in a source panel of h lines (the next one to
 * run is kept in the middle). */
size_t model_source_first(const tui_model_t *m, int h);
/* The title line for a terminal `cols` wide: the program, the scenario's
 * name, the step and the process's counters. The step always fits: a name
 * too long for the line is cut to its file name, then to the end of that
 * behind "...", and the counters, last, are what the edge cuts off. */
void model_status(const tui_model_t *m, const char *name, int cols, char *out, size_t size);

#endif
