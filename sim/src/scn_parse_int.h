/* Parser internals shared by the statement parser (scn_parse.c) and the
 * parsing of expect (scn_expect.c). */
#ifndef PAGESIM_SCN_PARSE_INT_H
#define PAGESIM_SCN_PARSE_INT_H

#include "scn_check.h"
#include "scn_int.h"
#include "scn_lex.h"
#include "strmap.h"

typedef struct parser {
    scn_script_t *s;
    lexer_t lx;
    scn_error_t *err;
    const tok_t *t;       /* the current line's tokens                       */
    uint32_t i;           /* the next token                                  */
    bool failed;
    bool seen_statement;  /* a statement other than config was seen         */
    bool has_checkable;   /* a statement expect can check was seen          */
    uint32_t last_checkable;
    strmap_t names;       /* name -> slot                                    */
    bool oom;             /* the host allocator failed                       */
    scn_check_ctx_t check;/* the values known at parse time (scn_check.c)   */
    bool wide;            /* 64-bit literals allowed (config, machine)      */
    uint32_t capstack;
    bool borrowed;        /* names are the script's, read only (a prompt)   */
} parser_t;

/* Names: the slot of a name, or -1; a new slot for a name (false: out of
 * memory, reported). */
int32_t parse_find_name(const parser_t *p, const char *name, size_t n);
bool parse_add_name(parser_t *p, const char *text, size_t len, uint32_t col, int32_t *slot);
/* Arrays (scn_parse_awe.c): GetCurrentProcess() at the current token
 * (its tokens taken; the caller emits the value); the
 * element NAME[N] after the array name t (the current token is '['), its
 * slot into *slot; marks the name t as an array (AllocateUserPhysicalPages
 * bound it). */
bool parse_current_process(parser_t *p);
bool parse_element(parser_t *p, const tok_t *t, int32_t *slot);
bool parse_array_name(parser_t *p, const tok_t *t);

/* Records an error at column col of the current line; returns false. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
bool parse_fail(parser_t *p, uint32_t col, const char *fmt, ...);
#define FAIL(...) return parse_fail(__VA_ARGS__)

/* The current token; a token for messages ("'foo'", "the end of the line"),
 * in buf (n bytes); whether t is the word. */
const tok_t *parse_cur(const parser_t *p);
const char *parse_tok_show(const tok_t *t, char *buf, size_t n);
bool parse_tok_is(const tok_t *t, const char *word);
/* An expression at the current token, into e. */
bool parse_expr(parser_t *p, scn_expr_t *e);
/* n bytes into the script's string pool; *off their place. */
bool parse_pool_string(parser_t *p, const uint8_t *bytes, uint32_t n, uint32_t *off);

/* expect LHS == RHS, after the word expect (scn_expect.c). */
bool parse_expect(parser_t *p, scn_stmt_t *st);

#endif
