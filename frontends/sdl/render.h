/* Drawing pagesim-sdl's frame with SDL2 and SDL2_ttf, from the app state and
 * the view's layout: the map, the scenario's allocations marked on it, the
 * physical strips and the walk here, the text panels in panels.c, the
 * primitives in paint.c. */
#ifndef PAGESIM_SDL_RENDER_H
#define PAGESIM_SDL_RENDER_H

#include "app.h"
#include "paint.h"
#include <SDL.h>
#include <SDL_ttf.h>

typedef struct render {
    paint_t p;                 /* the renderer, the font, the text cache     */
    SDL_Texture *map;          /* 1024 x 1024, ARGB8888, streaming           */
    SDL_Texture *frames, *slots; /* the physical strip and the page file, a
                                  texel a cell, rebuilt with the map        */
    int fcols, frows, scols, srows;
} render_t;

/* The font, at px pixels: PAGESIM_FONT from the environment, else the first
 * that exists of the one the build found, the installed one and the system
 * fonts (font.h). NULL, with SDL's error saying which file and how to
 * choose another, when there is none or it cannot be opened. */
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

#endif
