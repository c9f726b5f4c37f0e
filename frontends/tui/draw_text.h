/* Text on the terminal for the terminal UI's drawing: colour pairs, text
 * cut to a width, prose wrapped with a hanging indent, wide lines shifted
 * sideways, and the 10/10/12 bit string. Internal to the drawing. */
#ifndef PAGESIM_TUI_DRAW_TEXT_H
#define PAGESIM_TUI_DRAW_TEXT_H

#include "curses_compat.h"
#include <stdbool.h>
#include <stddef.h>

enum {
    C_TITLE = 1, C_CURRENT, C_DIR, C_TABLE, C_OFFSET, C_ERROR, C_OK, C_WHY, C_COMMENT, C_STORY, C_MORE,
    C_STATE0 /* one pair per page state from here */
};

/* Attributes on and off: pair (0: none) in colour, extra always. */
void tx_on(int pair, attr_t extra);
void tx_off(int pair, attr_t extra);
/* True when the terminal shows colours (else glyphs and attributes only). */
bool tx_colour(void);

/* At most w columns of the n bytes at s, from (y, x): only what is on the
 * screen (curses would wrap the rest onto the next line). */
void tx_clip(int y, int x, int w, const char *s, size_t n);
void tx_str(int y, int x, int w, const char *s);

/* A line of prose wrapped to w columns, its continuation rows at column
 * hang (0 when that leaves less than 8 columns): its row r is drawn at row
 * y + r - skip when skip <= r < skip + h (skip may be negative: the line
 * starts below y). Returns the rows it takes in all. */
int tx_wrapped(const char *s, size_t n, int y, int x, int h, int w, int hang, int skip);
/* Lines of text, each wrapped so (tx_hang), from row y: the first `skip`
 * rows left out, at most h drawn. Returns the rows they take in all. */
int tx_lines(const char *text, int y, int x, int h, int w, int skip);
/* The column a prose line's continuation rows start at: after "NN | " of
 * a statement's header, after a label column ("PDE      text"), or two
 * past its indent. */
int tx_hang(const char *s, size_t n);
/* A wide line (a table's): w columns of it from column `from`, with '<'
 * and '>' at the edges where more of it is off the panel. */
void tx_wide(int y, int x, int w, const char *s, size_t n, int from);

/* "0001001000 1101000101 011001111000" in three colours (directory, table,
 * offset) in w columns from (y, x). */
void tx_bits(const char *bits, int y, int x, int w);

#endif
