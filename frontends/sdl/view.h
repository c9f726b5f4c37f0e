/* pagesim-sdl's view: layout, colours and the map's pixels as pure
 * functions (state in, rectangles and colours out), so they are tested
 * without a window. The rendering (render.c) is a thin layer over them.
 *
 * The map is the whole 4 GB as a 1024 x 1024 grid: row r is page-directory
 * entry r, column c is entry c of that page table, so pixel (c, r) is the
 * 4 KB page at (r << 22) | (c << 12). */
#ifndef PAGESIM_SDL_VIEW_H
#define PAGESIM_SDL_VIEW_H

#include "pagesim/inspect.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VIEW_MAP_CELLS 1024

/* The window's size unless told otherwise: it fits a 1366 x 768 screen with
 * a title bar and a task bar. */
#define VIEW_DEFAULT_W 1280
#define VIEW_DEFAULT_H 680

typedef struct view_rect { int x, y, w, h; } view_rect_t;

/* The timeline's buttons, left to right. */
typedef enum {
    VIEW_BUTTON_PLAY = 0, VIEW_BUTTON_START, VIEW_BUTTON_BACK, VIEW_BUTTON_FORWARD, VIEW_BUTTON_END, VIEW_BUTTONS
} view_button_t;

/* Where everything goes in a frame of w x h pixels (scale: 1 on a normal
 * display, 2 on HiDPI; text and margins grow with it). */
typedef struct view_layout {
    int w, h, scale;
    view_rect_t title;       /* the status line                               */
    view_rect_t map;         /* the grid: a square                            */
    view_rect_t legend;      /* under the map                                 */
    view_rect_t frames;      /* the physical-memory strip, right of the map   */
    view_rect_t slots;       /* page-file slots, under the frames             */
    view_rect_t info;        /* hover and walk text, right of the strip       */
    view_rect_t log;         /* the event log, under the info                 */
    view_rect_t timeline;    /* the bottom bar, which holds:                  */
    view_rect_t buttons[VIEW_BUTTONS]; /* play, |<, <, >, >|                  */
    view_rect_t next;        /* the next statement's source line              */
    view_rect_t bar;         /* the statements, one mark each, those run blue */
    int line;                /* room for a line of text: 18 pixels a scale    */
} view_layout_t;
/* The layout does not depend on the font (text of 13 pixels a scale fits a
 * line), so a picture's cells are found from its size alone. */
void view_layout(int w, int h, int scale, view_layout_t *out);

/* "play", "|<", "<", ">", ">|" ("pause" for play while playing). */
const char *view_button_label(view_button_t b, bool playing);
/* The button under (x, y), or -1. */
int view_button_at(const view_layout_t *L, int x, int y);

/* The timeline's bar: the x of the mark after k of count statements, and
 * the number of statements run to the mark nearest x. */
int view_bar_x(const view_rect_t *bar, size_t count, size_t k);
size_t view_bar_step(const view_rect_t *bar, size_t count, int x);

/* The part of the grid shown: cells [x, x + n) x [y, y + n). */
typedef struct view_port { int x, y, n; } view_port_t;
void view_port_all(view_port_t *vp);
/* Zooms by a factor of 2 in (dir > 0) or out around grid cell (cx, cy),
 * keeping it under the same screen point; n stays within 4 .. 1024. */
void view_port_zoom(view_port_t *vp, int dir, int cx, int cy);
/* Moves by (dx, dy) cells, staying inside the grid. */
void view_port_pan(view_port_t *vp, int dx, int dy);
/* The grid cell under screen point (px, py) in map; false outside it. */
bool view_cell_at(const view_rect_t *map, const view_port_t *vp, int px, int py, int *cx, int *cy);
/* The screen rectangle of grid cell (cx, cy); false when not in view. */
bool view_cell_rect(const view_rect_t *map, const view_port_t *vp, int cx, int cy, view_rect_t *out);

/* The box that marks the allocation [start, end) on the map (around its
 * cells, whole rows when it spans several; at least 7 pixels each way,
 * kept inside the map); false when it is out of view. */
bool view_mark_rect(const view_rect_t *map, const view_port_t *vp, uint32_t start, uint32_t end, view_rect_t *out);

static inline uint32_t view_cell_va(int cx, int cy) { return (uint32_t)cy << 22 | (uint32_t)cx << 12; }
static inline int view_va_x(uint32_t va) { return (int)(va >> 12 & 1023u); }
static inline int view_va_y(uint32_t va) { return (int)(va >> 22); }

/* Colours, 0xAARRGGBB: the panels', then the page states'. */
#define VIEW_INK 0xFFE0E0E0u       /* text                                  */
#define VIEW_DIM 0xFF8A9199u       /* captions                              */
#define VIEW_BG 0xFF1B1F24u        /* behind everything                     */
#define VIEW_PANEL 0xFF242A31u     /* panels, and strip cells with no use   */
#define VIEW_HILITE 0xFFFFEB3Bu    /* the selected address's walk           */
#define VIEW_DONE 0xFF3F6E9Eu      /* statements run, on the timeline       */
#define VIEW_MARK 0xFFFF8A00u      /* the scenario's allocations, outlined  */
#define VIEW_GOOD 0xFF81C784u      /* text: a translation that succeeded    */
#define VIEW_BAD 0xFFEF9A9Au       /* text: a fault                         */
uint32_t view_state_colour(mm_page_state_t s);
const char *view_state_name(mm_page_state_t s);
/* A physical frame: free, kernel and system grey, page tables and
 * directories darker, user and section pages in their owner's colour. */
uint32_t view_frame_colour(const mm_frame_info_t *f);
/* The hover text's lines on what backs the page at va in p (its file,
 * image section or section, its page-file slot, its frame) and, for a
 * section's page in memory, every mapping of its frame; nothing for a page
 * that nothing backs or the system's. */
struct strbuf;
void view_backing_text(mm_t *mm, mm_process_t *p, uint32_t va, struct strbuf *b);
uint32_t view_process_colour(int process);   /* -1: none */
/* Text that reads on a background of colour c: black on light, else VIEW_INK. */
uint32_t view_ink_on(uint32_t c);

/* The map's pixels: states of the 1M pages (one byte each, from
 * mm_page_states) into 1M ARGB pixels. */
void view_map_pixels(const uint8_t *states, uint32_t *pixels);

/* Text. -------------------------------------------------------------- */

/* How wide a NUL-terminated string is when drawn (pixels), ctx passed on. */
typedef long (*view_width_fn)(const char *s, void *ctx);
/* How many of the n bytes at s go on a row max_w wide: all when they fit;
 * else up to and with the last space that lets them fit; else as many as
 * fit, never cutting a UTF-8 character, at least one character. Rows
 * longer than 1023 bytes are measured in their first 1023. */
size_t view_break(const char *s, size_t n, long max_w, view_width_fn width, void *ctx);
/* Where a line of prose continues when it wraps, in bytes from its start:
 * after "NN | " of a statement's header, after a label column ("PDE
 * text"), else two past its indent. */
size_t view_hang(const char *s, size_t n);

/* The physical strips (RAM, the page file): cells of VIEW_STRIP_CELL
 * pixels square, row by row, each showing as many frames (or slots) as it
 * takes for all of them to fit. */
#define VIEW_STRIP_CELL 2
int view_frames_per_cell(uint32_t nframes, int cols, int rows);
void view_strip_size(const view_rect_t *strip, int *cols, int *rows);
/* The cell of frame i of n. */
view_rect_t view_strip_cell(const view_rect_t *strip, uint32_t i, uint32_t n);

#endif
