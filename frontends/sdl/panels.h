/* pagesim-sdl's text panels: the status line, the legend, the selected
 * address's walk and the page under the pointer, the event log and the
 * timeline. */
#ifndef PAGESIM_SDL_PANELS_H
#define PAGESIM_SDL_PANELS_H

#include "render.h"

/* Draws every panel of L (all but the map and the physical strips). */
void panels_draw(render_t *rd, app_t *a, const view_layout_t *L);

#endif
