/* Drawing pagesim-sdl's frame with SDL2 and SDL2_ttf, from the app state and
 * the view's layout: the map, the physical strips and the walk here, the
 * text panels in panels.c. */
#ifndef PAGESIM_SDL_RENDER_H
#define PAGESIM_SDL_RENDER_H

#include "app.h"
#include <SDL.h>
#include <SDL_ttf.h>

/* Rendered text, kept: the panels draw mostly the same lines every frame. */
typedef struct render_text {
    uint64_t key;              /* hash of the string and colour; 0: empty    */
    SDL_Texture *t;
    int w, h;
} render_text_t;
#define RENDER_TEXT_CACHE 1024

typedef struct render {
    SDL_Renderer *r;
    render_text_t cache[RENDER_TEXT_CACHE];
    SDL_Texture *map;          /* 1024 x 1024, ARGB8888, streaming           */
    SDL_Texture *frames, *slots; /* the physical strip and the page file, a
                                  texel a cell, rebuilt with the map        */
    int fcols, frows, scols, srows;
    TTF_Font *font;
    int line;                  /* text line height, pixels                   */
} render_t;

/* The font: PAGESIM_FONT from the environment, else the one the build
 * found, at px pixels. NULL, with SDL's error saying which file and how to
 * choose another, when it cannot be opened. */
TTF_Font *render_open_font(int px);
/* Creates the map texture; false on failure (SDL's error set). */
bool render_init(render_t *rd, SDL_Renderer *r, TTF_Font *font);
/* Destroys the textures (not the font nor the renderer). */
void render_fini(render_t *rd);
/* One whole frame of L->w x L->h pixels; recomputes and uploads the map
 * and the strips first when a step made them stale. */
void render_frame(render_t *rd, app_t *a, const view_layout_t *L);
/* Recomputes the map's states and pixels and uploads them (for the
 * benchmark: what a step costs). */
void render_upload(render_t *rd, app_t *a);

/* Drawing primitives for the panels. Text is drawn at (x, y), cut to max_w
 * pixels (0: no limit), and its width returned. */
int render_text(render_t *rd, int x, int y, int max_w, uint32_t c, const char *s);
#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
int render_textf(render_t *rd, int x, int y, int max_w, uint32_t c, const char *fmt, ...);
/* How many pixels wide s is in rd's font (ctx: the render_t). */
long render_width(const char *s, void *ctx);
void render_fill(render_t *rd, const view_rect_t *q, uint32_t c);
/* A frame of thick pixels around q, outside it. */
void render_outline(render_t *rd, const view_rect_t *q, uint32_t c, int thick);

#endif
