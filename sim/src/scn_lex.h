/* The scenario lexer: one line of text at a time into tokens. */
#ifndef PAGESIM_SCN_LEX_H
#define PAGESIM_SCN_LEX_H

#include "pagesim/core.h"
#include "pagesim/scn.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    TOK_END = 0,  /* end of the line                                        */
    TOK_IDENT, TOK_NUMBER, TOK_STRING,
    TOK_LPAREN, TOK_RPAREN, TOK_COMMA, TOK_ASSIGN, TOK_EQ,
    TOK_PLUS, TOK_MINUS, TOK_STAR, TOK_PIPE, TOK_DOT, TOK_BANG,
    TOK_LBRACKET, TOK_RBRACKET, /* an element of an array: pfns[3]          */
} tok_kind_t;

typedef struct tok {
    tok_kind_t kind;
    uint32_t col;        /* 1-based, in characters                           */
    const char *text;    /* into the source                                  */
    size_t len;          /* bytes of source text                             */
    uint64_t num;        /* TOK_NUMBER                                       */
    uint32_t str_off;    /* TOK_STRING: bytes in the lexer's string buffer   */
    uint32_t str_len;
} tok_t;

#define LEX_MAX_TOKENS 100000u

typedef struct lexer {
    const ps_alloc_t *alloc;
    const char *src;
    size_t len;
    size_t pos;          /* start of the next line                           */
    uint32_t line;       /* the current line's number                        */
    const char *line_start;
    size_t line_len;
    tok_t *tok;          /* the current line's tokens, ending in TOK_END     */
    uint32_t ntok, captok;
    uint8_t *str;        /* decoded string bytes of the current line         */
    uint32_t nstr, capstr;
    bool oom;            /* an error was the host allocator's                */
} lexer_t;

/* The decoded bytes of a string token of the current line (never NULL). */
static inline const uint8_t *lex_str(const lexer_t *lx, uint32_t off)
{
    return lx->str ? lx->str + off : (const uint8_t *)"";
}

/* Checks that the whole text is UTF-8 without NUL bytes. */
bool lex_check_text(const char *src, size_t len, scn_error_t *err);

void lex_init(lexer_t *lx, const ps_alloc_t *a, const char *src, size_t len);
void lex_fini(lexer_t *lx);
/* Tokenizes the next line. Returns 1 when a line was read, 0 at the end of
 * the text, -1 on an error (*err filled). A blank or comment-only line gives
 * just TOK_END. */
int lex_line(lexer_t *lx, scn_error_t *err);

/* Sets *err from raw text made safe for a terminal (strbuf_put_safe). */
void scn_error_safe(scn_error_t *err, const char *raw);
void scn_error_set(scn_error_t *err, uint32_t line, uint32_t col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

#endif
