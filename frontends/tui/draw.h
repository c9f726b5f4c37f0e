/* Drawing the terminal UI from its model. Every function draws only what
 * fits the screen, whatever its size (1 x 1 up). */
#ifndef PAGESIM_TUI_DRAW_H
#define PAGESIM_TUI_DRAW_H

#include "model.h"

void draw_init_colors(void);
/* The whole screen for m; name is the scenario's, for the title line. */
void draw(const tui_model_t *m, const char *name);
/* The list of keys, over the whole screen. */
void draw_help(void);
/* The bottom line: question in bold, then the text typed so far. */
void draw_prompt(const char *question, const char *text);

#endif
