/* pagesim-sdl's interactive window: events in, app actions out, a frame
 * drawn when something changed (or while an animation or play runs). */
#ifndef PAGESIM_SDL_WINDOW_H
#define PAGESIM_SDL_WINDOW_H

#include "app.h"

/* Opens a w x h window (0 x 0: VIEW_DEFAULT_W x VIEW_DEFAULT_H, or less on
 * a smaller display; HiDPI-aware, resizable) on a, runs until q, Escape
 * or the window is closed. The s key saves the frame as a PNG to save_to
 * (NULL: pagesim-sdl.png). For scripts, prints "map at X,Y size N; scale S"
 * (output pixels) and "button LABEL at X,Y" (window points) once the window
 * is up, "selected 0x... (PDE ..., PTE ...)" on each click of the map and
 * "saved FILE" on each s (a save that fails is said on stderr, and the
 * window stays). Returns 0, or 2 when there is no display, renderer or
 * font (the reason on stderr, at once). SDL must not be initialised; TTF
 * must be. */
int window_run(app_t *a, int w, int h, const char *save_to);

#endif
