/* The scenario lexer. */
#include "scn_lex.h"
#include "pagesim/strbuf.h"
#include "mem.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void scn_error_set(scn_error_t *err, uint32_t line, uint32_t col, const char *fmt, ...)
{
    if (!err) return;
    err->line = line;
    err->col = col;
    char raw[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    scn_error_safe(err, raw);
}

/* The allocator of a buffer that never grows. */
static void *fixed(void *ud, void *ptr, size_t osize, size_t nsize)
{
    (void)ud;
    (void)ptr;
    (void)osize;
    (void)nsize;
    return NULL;
}

void scn_error_safe(scn_error_t *err, const char *raw)
{
    /* Messages quote the input: control bytes and broken UTF-8 are shown
     * as \xHH, and a long message is cut at a character boundary. */
    static const ps_alloc_t no_growth = { fixed, NULL };
    strbuf_t b = { .alloc = &no_growth, .data = err->msg, .cap = sizeof err->msg };
    err->msg[0] = 0;
    strbuf_put_safe(&b, raw, strlen(raw), sizeof err->msg - 4);
}

bool lex_check_text(const char *src, size_t len, scn_error_t *err)
{
    const unsigned char *s = (const unsigned char *)src;
    uint32_t line = 1, col = 1;
    for (size_t i = 0; i < len;) {
        if (s[i] == 0) {
            scn_error_set(err, line, col, "NUL byte in the scenario: is this a binary file?");
            return false;
        }
        size_t n = strbuf_utf8_len(s + i, len - i);
        if (n == 0) {
            scn_error_set(err, line, col, "invalid UTF-8 byte 0x%02X: is this a binary file?", s[i]);
            return false;
        }
        if (s[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
        i += n;
    }
    return true;
}

void lex_init(lexer_t *lx, const ps_alloc_t *a, const char *src, size_t len)
{
    memset(lx, 0, sizeof *lx);
    lx->alloc = a;
    lx->src = src;
    lx->len = len;
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) lx->pos = 3; /* BOM */
}

void lex_fini(lexer_t *lx)
{
    ps_free(lx->alloc, lx->tok, lx->captok * sizeof *lx->tok);
    ps_free(lx->alloc, lx->str, lx->capstr);
}

static tok_t *push_tok(lexer_t *lx, scn_error_t *err, uint32_t col, bool end)
{
    if (!end && lx->ntok >= LEX_MAX_TOKENS) {
        scn_error_set(err, lx->line, col, "line too long: more than %u tokens", LEX_MAX_TOKENS);
        return NULL;
    }
    if (lx->ntok + 1 >= lx->captok) {
        uint32_t ncap = lx->captok ? lx->captok * 2 : 64;
        tok_t *t = ps_realloc(lx->alloc, lx->tok, lx->captok * sizeof *t, ncap * sizeof *t);
        if (!t) {
            scn_error_set(err, lx->line, col, "out of memory");
            lx->oom = true;
            return NULL;
        }
        lx->tok = t;
        lx->captok = ncap;
    }
    tok_t *t = &lx->tok[lx->ntok++];
    memset(t, 0, sizeof *t);
    t->col = col;
    return t;
}

static bool push_str(lexer_t *lx, uint8_t b)
{
    if (lx->nstr >= lx->capstr) {
        uint32_t ncap = lx->capstr ? lx->capstr * 2 : 256;
        uint8_t *p = ps_realloc(lx->alloc, lx->str, lx->capstr, ncap);
        if (!p) return false;
        lx->str = p;
        lx->capstr = ncap;
    }
    lx->str[lx->nstr++] = b;
    return true;
}

static bool is_ident_start(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool is_ident(char c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9');
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Columns count characters: a UTF-8 continuation byte adds none. */
static uint32_t advance_col(uint32_t col, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) col++;
    return col;
}

static bool lex_number(lexer_t *lx, tok_t *t, const char *s, size_t n, size_t *used, scn_error_t *err)
{
    size_t i = 0;
    uint64_t v = 0;
    unsigned base = 10;
    if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        i = 2;
    }
    size_t digits = 0;
    for (; i < n; i++) {
        int d = hexval(s[i]);
        if (d < 0 || (unsigned)d >= base) break;
        if (v > (UINT64_MAX - (uint64_t)d) / base) {
            scn_error_set(err, lx->line, t->col, "number too large: '%.*s' does not fit in 64 bits", (int)(n < 40 ? n : 40), s);
            return false;
        }
        v = v * base + (uint64_t)d;
        digits++;
    }
    if (digits == 0) {
        scn_error_set(err, lx->line, t->col, "malformed number: '0x' needs hexadecimal digits");
        return false;
    }
    uint64_t mul = 1;
    if (i < n && (s[i] == 'K' || s[i] == 'M' || s[i] == 'G')) {
        mul = s[i] == 'K' ? 1024u : s[i] == 'M' ? 1024u * 1024u : 1024u * 1024u * 1024u;
        i++;
    }
    if (i < n && is_ident(s[i])) {
        size_t end = i;
        while (end < n && is_ident(s[end])) end++;
        scn_error_set(err, lx->line, t->col,
                      "malformed number '%.*s' (numbers are decimal or 0x hex, with an optional K, M or G suffix)",
                      (int)(end < 40 ? end : 40), s);
        return false;
    }
    if (mul > 1 && v > UINT64_MAX / mul) {
        scn_error_set(err, lx->line, t->col, "number too large: '%.*s' does not fit in 64 bits", (int)i, s);
        return false;
    }
    t->kind = TOK_NUMBER;
    t->num = v * mul;
    *used = i;
    return true;
}

static bool lex_string(lexer_t *lx, tok_t *t, const char *s, size_t n, size_t *used, scn_error_t *err)
{
    t->kind = TOK_STRING;
    t->str_off = lx->nstr;
    uint32_t col = t->col + 1;
    size_t i = 1;
    while (i < n && s[i] != '"') {
        uint8_t b;
        if (s[i] == '\\') {
            if (i + 1 >= n) break;
            char e = s[i + 1];
            size_t adv = 2;
            switch (e) {
            case '\\': b = '\\'; break;
            case '"': b = '"'; break;
            case 'n': b = '\n'; break;
            case 't': b = '\t'; break;
            case '0': b = 0; break;
            case 'x': {
                int h = i + 2 < n ? hexval(s[i + 2]) : -1;
                int l = i + 3 < n ? hexval(s[i + 3]) : -1;
                if (h < 0 || l < 0) {
                    scn_error_set(err, lx->line, col, "bad escape: \\x needs two hexadecimal digits");
                    return false;
                }
                b = (uint8_t)(h * 16 + l);
                adv = 4;
                break;
            }
            default:
                scn_error_set(err, lx->line, col,
                              "unknown escape '\\%c' (use \\\\, \\\", \\n, \\t, \\0 or \\xHH)", e);
                return false;
            }
            if (!push_str(lx, b)) goto oom;
            col = advance_col(col, s + i, adv);
            i += adv;
        } else {
            if (!push_str(lx, (uint8_t)s[i])) goto oom;
            col = advance_col(col, s + i, 1);
            i++;
        }
    }
    if (i >= n) {
        scn_error_set(err, lx->line, t->col, "unterminated string: no closing '\"' on this line");
        return false;
    }
    t->str_len = lx->nstr - t->str_off;
    *used = i + 1;
    return true;
oom:
    scn_error_set(err, lx->line, t->col, "out of memory");
    lx->oom = true;
    return false;
}

int lex_line(lexer_t *lx, scn_error_t *err)
{
    if (lx->pos >= lx->len && !(lx->len == 0 && lx->line == 0)) return 0;
    const char *s = lx->src + lx->pos;
    size_t rest = lx->len - lx->pos;
    const char *nl = memchr(s, '\n', rest);
    size_t n = nl ? (size_t)(nl - s) : rest;
    lx->pos += nl ? n + 1 : n;
    if (lx->len == 0) lx->pos = 1; /* the empty text has one empty line */
    lx->line++;
    lx->line_start = s;
    lx->line_len = n;
    lx->ntok = 0;
    lx->nstr = 0;
    uint32_t col = 1;
    size_t i = 0;
    while (i < n) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            i++;
            col++;
            continue;
        }
        if (c == '#') break;
        tok_t *t = push_tok(lx, err, col, false);
        if (!t) return -1;
        t->text = s + i;
        size_t used = 1;
        if (is_ident_start(c)) {
            while (i + used < n && is_ident(s[i + used])) used++;
            t->kind = TOK_IDENT;
        } else if (c >= '0' && c <= '9') {
            if (!lex_number(lx, t, s + i, n - i, &used, err)) return -1;
        } else if (c == '"') {
            if (!lex_string(lx, t, s + i, n - i, &used, err)) return -1;
        } else if (c == '=' && i + 1 < n && s[i + 1] == '=') {
            t->kind = TOK_EQ;
            used = 2;
        } else {
            switch (c) {
            case '(': t->kind = TOK_LPAREN; break;
            case ')': t->kind = TOK_RPAREN; break;
            case ',': t->kind = TOK_COMMA; break;
            case '=': t->kind = TOK_ASSIGN; break;
            case '+': t->kind = TOK_PLUS; break;
            case '-': t->kind = TOK_MINUS; break;
            case '*': t->kind = TOK_STAR; break;
            case '|': t->kind = TOK_PIPE; break;
            case '.': t->kind = TOK_DOT; break;
            case '!': t->kind = TOK_BANG; break;
            case '[': t->kind = TOK_LBRACKET; break;
            case ']': t->kind = TOK_RBRACKET; break;
            default: {
                size_t cl = 1;
                while (i + cl < n && ((unsigned char)s[i + cl] & 0xC0) == 0x80) cl++;
                scn_error_set(err, lx->line, col, "unexpected character '%.*s'", (int)cl, s + i);
                return -1;
            }
            }
        }
        t->len = used;
        col = advance_col(col, s + i, used);
        i += used;
    }
    tok_t *end = push_tok(lx, err, col, true);
    if (!end) return -1;
    end->kind = TOK_END;
    end->text = s + i;
    lx->ntok--; /* TOK_END is not counted */
    return 1;
}
