/* The terminal UI's right-hand panel, drawn from the model. Internal to
 * the drawing. */
#ifndef PAGESIM_TUI_DRAW_PANELS_H
#define PAGESIM_TUI_DRAW_PANELS_H

#include "model.h"

/* The panel names on row L->tabs_y and the panel chosen below them (or the
 * error that stopped the last step). */
void panels_draw(const tui_model_t *m, const tui_layout_t *L);

#endif
