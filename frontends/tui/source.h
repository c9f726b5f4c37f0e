/* The scenario's text as the terminal UI shows it: every line with its true
 * number, what kind of line it is (code, comment, blank), the comment block
 * that tells the story of a statement, and how a line wraps in a column of
 * a given width. Pure: no curses, no machine. */
#ifndef PAGESIM_TUI_SOURCE_H
#define PAGESIM_TUI_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { SRC_BLANK = 0, SRC_COMMENT, SRC_CODE } src_kind_t;

typedef struct tui_source {
    char *text;              /* a copy of the scenario                      */
    size_t *start;           /* line i begins at text + start[i]            */
    uint32_t count;          /* lines                                       */
} tui_source_t;

/* Rows a long line may take in the source column; the rest is cut. */
#define SRC_MAX_ROWS 4

/* Splits len bytes of text into lines (a copy is kept); false when out of
 * memory (s is then empty, and src_close is still safe). */
bool src_open(tui_source_t *s, const char *text, size_t len);
void src_close(tui_source_t *s);

/* Line i (0-based, i < count) without its line ending, *len bytes. */
const char *src_line(const tui_source_t *s, uint32_t i, size_t *len);
src_kind_t src_kind(const tui_source_t *s, uint32_t i);
/* Where a trailing comment starts in a line of code: the offset of the
 * first '#' outside a string, or len when there is none. */
size_t src_comment_at(const char *line, size_t len);
/* The first line of the comment block just above line (comment lines with
 * nothing between them and it); line itself when there is none. */
uint32_t src_block_start(const tui_source_t *s, uint32_t line);

/* How many of the n bytes at s go on a row of `room` columns: all when they
 * fit, else up to the last space in the second half of the row, else room
 * (a word longer than half the row is cut). At least 1 when n > 0. */
size_t text_break(const char *s, size_t n, int room);
/* Rows n bytes take wrapped at w columns (at most max), continuation rows
 * indented by indent (no indent when that leaves less than 8 columns). */
int text_rows(const char *s, size_t n, int w, int indent, int max);

/* Rows line i takes in a text column w wide: at least 1, at most
 * SRC_MAX_ROWS. */
int src_rows(const tui_source_t *s, uint32_t i, int w);

#endif
