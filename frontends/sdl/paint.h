/* pagesim-sdl's drawing primitives: filled and outlined boxes, lines and
 * arrows, and text, a line cut to a width or prose wrapped in a box, with
 * rendered lines kept in a cache (the panels draw mostly the same lines
 * every frame). */
#ifndef PAGESIM_SDL_PAINT_H
#define PAGESIM_SDL_PAINT_H

#include "view.h"
#include <SDL.h>
#include <SDL_ttf.h>
#include <stddef.h>
#include <stdint.h>

typedef struct paint_text {
    uint64_t key;              /* hash of the string and colour; 0: empty    */
    SDL_Texture *t;
    int w, h;
} paint_text_t;
#define PAINT_TEXT_CACHE 1024

typedef struct paint {
    SDL_Renderer *r;
    TTF_Font *font;
    int line;                  /* text line height, pixels                   */
    paint_text_t cache[PAINT_TEXT_CACHE];
} paint_t;

/* Draws with r in font (neither is owned). */
void paint_init(paint_t *p, SDL_Renderer *r, TTF_Font *font);
/* Destroys the cached text. */
void paint_fini(paint_t *p);

/* q filled with colour c (0xAARRGGBB). */
void paint_fill(paint_t *p, const view_rect_t *q, uint32_t c);
/* A frame of thick pixels around q, outside it. */
void paint_outline(paint_t *p, const view_rect_t *q, uint32_t c, int thick);
/* A line two pixels thick from (x0, y0) to (x1, y1) with a head at its end. */
void paint_arrow(paint_t *p, int x0, int y0, int x1, int y1, uint32_t c);

/* Text at (x, y) cut to max_w pixels (0: no limit); returns its width. */
int paint_text(paint_t *p, int x, int y, int max_w, uint32_t c, const char *s);
#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
int paint_textf(paint_t *p, int x, int y, int max_w, uint32_t c, const char *fmt, ...);
/* How many pixels wide s is in the font (ctx: the paint_t). */
long paint_width(const char *s, void *ctx);

/* Prose in a box: the n bytes at s wrapped to box->w pixels at word
 * boundaries (view_break), continuation rows `hang` pixels in. The first
 * row goes on row `row` of the box (rows of p->line pixels from box->y;
 * negative: above it); only rows inside the box are drawn. Returns the
 * rows the text takes. */
int paint_wrap(paint_t *p, const view_rect_t *box, int row, int hang, uint32_t c, const char *s, size_t n);
/* The rows paint_wrap would take in w pixels. */
int paint_rows(paint_t *p, int w, int hang, const char *s, size_t n);
/* The pixel width of the first n bytes of s. */
int paint_prefix_width(paint_t *p, const char *s, size_t n);

#endif
