/* A growable text buffer over the host allocator. Formatters write into it;
 * the front end decides where the text goes. A failed growth makes the
 * buffer sticky-failed: later appends do nothing and strbuf_failed says so. */
#ifndef PAGESIM_STRBUF_H
#define PAGESIM_STRBUF_H

#include "pagesim/core.h"
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STRBUF_TALLIES 5

typedef struct strbuf {
    const ps_alloc_t *alloc;
    char *data;     /* always NUL-terminated once anything was appended */
    size_t len;
    size_t cap;
    bool failed;
    /* Repeated items (strbuf_tally): how many of each kind were shown, and
     * how many more were only counted. */
    uint32_t shown[STRBUF_TALLIES];
    uint64_t more[STRBUF_TALLIES];
} strbuf_t;

void strbuf_init(strbuf_t *b, const ps_alloc_t *a);
void strbuf_fini(strbuf_t *b);
void strbuf_clear(strbuf_t *b);
void strbuf_append(strbuf_t *b, const char *s, size_t n);
void strbuf_puts(strbuf_t *b, const char *s);
void strbuf_putc(strbuf_t *b, char c);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void strbuf_printf(strbuf_t *b, const char *fmt, ...);
void strbuf_vprintf(strbuf_t *b, const char *fmt, va_list ap);
/* Appends n bytes of text for a terminal: valid UTF-8 and tabs as they are,
 * control bytes (C0, DEL, C1), NUL and bytes of invalid UTF-8 as \xHH (so
 * that input can neither move the cursor nor ring the bell). At most max bytes are
 * appended for s, cut at a character boundary, and "..." after a cut. */
void strbuf_put_safe(strbuf_t *b, const char *s, size_t n, size_t max);
/* The length of the UTF-8 sequence at s (n bytes left), 0 when invalid. */
size_t strbuf_utf8_len(const unsigned char *s, size_t n);
/* Appends s as a JSON string literal, quotes included. */
void strbuf_json_str(strbuf_t *b, const char *s, size_t n);
/* Items that repeat (one note per page of a long run): true while fewer than
 * show items of this kind (0..STRBUF_TALLIES-1) were shown since the last
 * clear, and the caller appends this one; false once that many were, and
 * the item is only counted (strbuf_tally_more). */
bool strbuf_tally(strbuf_t *b, unsigned kind, uint32_t show);
uint64_t strbuf_tally_more(const strbuf_t *b, unsigned kind);
/* The text so far ("" when empty). */
const char *strbuf_str(const strbuf_t *b);
bool strbuf_failed(const strbuf_t *b);

#endif
