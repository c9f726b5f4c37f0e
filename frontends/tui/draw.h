/* Drawing the terminal UI from its model. */
#ifndef PAGESIM_TUI_DRAW_H
#define PAGESIM_TUI_DRAW_H

#include "model.h"

void draw_init_colors(void);
void draw(const tui_model_t *m, const char *name);
void draw_help(void);

#endif
