/* Drawing pagesim-sdl's frame with SDL2 and SDL2_ttf, from the app state and
 * the view's layout. */
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
 * found. NULL (with SDL's error set) when it cannot be opened. */
TTF_Font *render_open_font(int px);
/* Creates the map texture; false on failure (SDL's error set). */
bool render_init(render_t *rd, SDL_Renderer *r, TTF_Font *font);
void render_fini(render_t *rd);
/* One whole frame of w x h pixels; uploads the map when it changed. */
void render_frame(render_t *rd, app_t *a, const view_layout_t *L);
/* Uploads the map's pixels (app_refresh first). */
void render_upload(render_t *rd, app_t *a);

#endif
