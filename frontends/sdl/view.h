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
#include <stdint.h>

#define VIEW_MAP_CELLS 1024

typedef struct view_rect { int x, y, w, h; } view_rect_t;

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
    view_rect_t timeline;    /* the bottom bar                                */
} view_layout_t;
void view_layout(int w, int h, int scale, view_layout_t *out);

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

static inline uint32_t view_cell_va(int cx, int cy) { return (uint32_t)cy << 22 | (uint32_t)cx << 12; }
static inline int view_va_x(uint32_t va) { return (int)(va >> 12 & 1023u); }
static inline int view_va_y(uint32_t va) { return (int)(va >> 22); }

/* Colours, 0xAARRGGBB. */
uint32_t view_state_colour(mm_page_state_t s);
const char *view_state_name(mm_page_state_t s);
/* A physical frame: free, kernel and system grey, page tables and
 * directories darker, user and section pages in their owner's colour. */
uint32_t view_frame_colour(const mm_frame_info_t *f);
uint32_t view_process_colour(int process);   /* -1: none */

/* The map's pixels: states of the 1M pages (one byte each, from
 * mm_page_states) into 1M ARGB pixels. */
void view_map_pixels(const uint8_t *states, uint32_t *pixels);

/* The physical strip: frame i's cell in a strip of cols x rows cells
 * (frames run row by row); the number of frames a cell shows. */
int view_frames_per_cell(uint32_t nframes, int cols, int rows);

#endif
