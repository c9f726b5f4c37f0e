/* Drawing the terminal UI from its model. Every function draws only what
 * fits the screen, whatever its size (1 x 1 up). */
#ifndef PAGESIM_TUI_DRAW_H
#define PAGESIM_TUI_DRAW_H

#include "model.h"

void draw_init_colors(void);
/* The whole screen for m; name is the scenario's, for the title line. */
void draw(const tui_model_t *m, const char *name);
/* The help (model_help), wrapped, over the whole screen from its row
 * `top`, with how to scroll and leave it on the last row. Returns the first
 * row of the last screenful: the largest useful top. */
int draw_help(int top);
/* The bottom line: question in bold, then the text typed so far. */
void draw_prompt(const char *question, const char *text);
/* Quiz mode's reveal over the right-hand panel (quiz_draw.c). */
void quiz_draw(const tui_model_t *m, const tui_layout_t *L);
/* The panel whose name is at column x of the row of names, or -1. */
int draw_tab_at(const tui_layout_t *L, int x);

#endif
