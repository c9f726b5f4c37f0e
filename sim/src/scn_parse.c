/* The scenario parser: lines of tokens into statements, with every check
 * that needs no machine done here, so that a scenario either runs from its
 * first statement or is refused whole. */
#include "mem.h"
#include "pagesim/winconst.h"
#include "scn_parse_int.h"
#include "scn_run_int.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_NESTING 64

/* Errors. ----------------------------------------------------------------- */

bool parse_fail(parser_t *p, uint32_t col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    p->err->line = p->lx.line;
    p->err->col = col;
    char raw[sizeof p->err->msg];
    vsnprintf(raw, sizeof raw, fmt, ap);
    scn_error_safe(p->err, raw);
    va_end(ap);
    p->failed = true;
    return false;
}

const tok_t *parse_cur(const parser_t *p)
{
    return &p->t[p->i];
}

static const char *tok_desc(const tok_t *t)
{
    switch (t->kind) {
    case TOK_END: return "the end of the line";
    case TOK_IDENT: return "a name";
    case TOK_NUMBER: return "a number";
    case TOK_STRING: return "a string";
    case TOK_LPAREN: return "'('";
    case TOK_RPAREN: return "')'";
    case TOK_COMMA: return "','";
    case TOK_ASSIGN: return "'='";
    case TOK_EQ: return "'=='";
    case TOK_PLUS: return "'+'";
    case TOK_MINUS: return "'-'";
    case TOK_STAR: return "'*'";
    case TOK_PIPE: return "'|'";
    case TOK_DOT: return "'.'";
    case TOK_BANG: return "'!'";
    case TOK_LBRACKET: return "'['";
    case TOK_RBRACKET: return "']'";
    }
    return "a token";
}

/* "'foo'" for names, numbers and strings, else the kind. Uses a small
 * static-free buffer supplied by the caller. */
const char *parse_tok_show(const tok_t *t, char *buf, size_t n)
{
    if (t->kind == TOK_IDENT || t->kind == TOK_NUMBER) {
        int len = t->len > 40 ? 40 : (int)t->len;
        snprintf(buf, n, "'%.*s'", len, t->text);
        return buf;
    }
    return tok_desc(t);
}

bool parse_tok_is(const tok_t *t, const char *word)
{
    return t->kind == TOK_IDENT && t->len == strlen(word) && memcmp(t->text, word, t->len) == 0;
}

/* Growth of the script's arrays. ------------------------------------------ */

static bool grow(parser_t *p, void **arr, uint32_t *cap, uint32_t need, size_t elem)
{
    if (ps_grow(p->s->alloc, arr, cap, need, elem)) return true;
    scn_error_set(p->err, p->lx.line, 1, "out of memory");
    p->failed = true;
    p->oom = true;
    return false;
}

static bool emit(parser_t *p, op_kind_t kind, uint64_t num, uint32_t slot)
{
    scn_script_t *s = p->s;
    if (!grow(p, (void **)&s->ops, &s->capops, s->nops + 1, sizeof *s->ops)) return false;
    s->ops[s->nops++] = (expr_op_t){ kind, slot, num };
    return true;
}

bool parse_pool_string(parser_t *p, const uint8_t *bytes, uint32_t n, uint32_t *off)
{
    scn_script_t *s = p->s;
    if (!grow(p, (void **)&s->strs, &s->capstrs, s->nstrs + n + 1, 1)) return false;
    *off = s->nstrs;
    if (n) memcpy(s->strs + s->nstrs, bytes, n);
    s->nstrs += n;
    s->strs[s->nstrs++] = 0;
    return true;
}

/* Names. ------------------------------------------------------------------ */

static const char *name_key(const void *ud, uint32_t slot, size_t *n)
{
    const scn_script_t *s = ud;
    *n = strlen(s->names[slot]);
    return s->names[slot];
}

int32_t parse_find_name(const parser_t *p, const char *name, size_t n)
{
    uint32_t slot = strmap_find(&p->names, name, n);
    return slot == STRMAP_NONE ? -1 : (int32_t)slot;
}

static bool check_bindable(parser_t *p, const tok_t *t)
{
    if (wc_find(t->text, t->len))
        FAIL(p, t->col, "'%.*s' is a constant and cannot name a value", (int)t->len, t->text);
    if (scn_row_find(t->text, t->len))
        FAIL(p, t->col, "'%.*s' is a statement and cannot name a value", (int)t->len, t->text);
    if (t->len > SCN_NAME_MAX)
        FAIL(p, t->col, "the name '%.40s...' is %u characters long; names have at most %d", t->text, (unsigned)t->len,
             SCN_NAME_MAX);
    int32_t prev = parse_find_name(p, t->text, t->len);
    if (prev >= 0) FAIL(p, t->col, "name '%.*s' is already bound; each name is bound once", (int)t->len, t->text);
    return true;
}

bool parse_add_name(parser_t *p, const char *text, size_t len, uint32_t col, int32_t *slot)
{
    scn_script_t *s = p->s;
    if (!grow(p, (void **)&s->names, &s->capnames, s->nnames + 1, sizeof *s->names)) return false;
    char *copy = ps_malloc(s->alloc, len + 1);
    if (!copy) {
        p->oom = true;
        FAIL(p, col, "out of memory");
    }
    memcpy(copy, text, len);
    copy[len] = 0;
    s->names[s->nnames] = copy;
    if (strmap_add(&p->names, copy, len, s->nnames) != PS_OK) {
        ps_free(s->alloc, copy, len + 1);
        p->oom = true;
        FAIL(p, col, "out of memory");
    }
    *slot = (int32_t)s->nnames++;
    return true;
}

/* Expressions. ------------------------------------------------------------ */

static bool parse_or(parser_t *p, int nesting);

static bool parse_atom(parser_t *p, int nesting)
{
    const tok_t *t = parse_cur(p);
    char buf[64];
    if (t->kind == TOK_NUMBER) {
        /* Expressions are 32-bit; a literal that does not fit would wrap
         * silently. Only the sizes of a machine (ram=4G) take 64 bits. */
        if (t->num > 0xFFFFFFFFu && !p->wide)
            FAIL(p, t->col, "the number '%.*s' does not fit in 32 bits (the largest is 4294967295, 0xFFFFFFFF)",
                 (int)(t->len < 40 ? t->len : 40), t->text);
        p->i++;
        return emit(p, OP_NUM, t->num, 0);
    }
    if ((t->kind == TOK_MINUS || t->kind == TOK_LPAREN) && nesting >= MAX_NESTING)
        FAIL(p, t->col, "expression nested too deeply (more than %d levels of parentheses and unary minus)",
             MAX_NESTING);
    if (t->kind == TOK_MINUS) { /* unary minus: 0 - x, wrapping */
        p->i++;
        if (!emit(p, OP_NUM, 0, 0) || !parse_atom(p, nesting + 1)) return false;
        return emit(p, OP_SUB, 0, 0);
    }
    if (t->kind == TOK_LPAREN) {
        p->i++;
        if (!parse_or(p, nesting + 1)) return false;
        if (parse_cur(p)->kind != TOK_RPAREN)
            FAIL(p, parse_cur(p)->col, "expected ')' to close the '(' at column %u, found %s", t->col,
                 parse_tok_show(parse_cur(p), buf, sizeof buf));
        p->i++;
        return true;
    }
    if (t->kind == TOK_IDENT && parse_tok_is(t, "GetCurrentProcess")) /* the pseudo handle (HANDLE)-1 */
        return parse_current_process(p) && emit(p, OP_NUM, 0xFFFFFFFFu, 0);
    if (t->kind == TOK_IDENT) {
        const wc_const_t *c = wc_find(t->text, t->len);
        if (c) {
            p->i++;
            return emit(p, OP_NUM, c->value, 0);
        }
        int32_t slot = parse_find_name(p, t->text, t->len);
        if (slot >= 0) {
            p->i++;
            if (parse_cur(p)->kind == TOK_LBRACKET && !parse_element(p, t, &slot)) return false;
            return emit(p, OP_NAME, 0, (uint32_t)slot);
        }
        const wc_const_t *near = wc_suggest(t->text, t->len);
        if (near)
            FAIL(p, t->col, "unknown constant or name '%.*s' (did you mean %s?)", (int)t->len, t->text, near->name);
        FAIL(p, t->col, "unknown name '%.*s%s': not a constant, and not bound by an earlier statement",
             (int)(t->len > 40 ? 40 : t->len), t->text, t->len > 40 ? "..." : "");
    }
    FAIL(p, t->col, "expected an expression, found %s", parse_tok_show(t, buf, sizeof buf));
}

static bool parse_product(parser_t *p, int nesting)
{
    if (!parse_atom(p, nesting)) return false;
    while (parse_cur(p)->kind == TOK_STAR) {
        p->i++;
        if (!parse_atom(p, nesting) || !emit(p, OP_MUL, 0, 0)) return false;
    }
    return true;
}

static bool parse_sum(parser_t *p, int nesting)
{
    if (!parse_product(p, nesting)) return false;
    while (parse_cur(p)->kind == TOK_PLUS || parse_cur(p)->kind == TOK_MINUS) {
        op_kind_t op = parse_cur(p)->kind == TOK_PLUS ? OP_ADD : OP_SUB;
        p->i++;
        if (!parse_product(p, nesting) || !emit(p, op, 0, 0)) return false;
    }
    return true;
}

static bool parse_or(parser_t *p, int nesting)
{
    if (!parse_sum(p, nesting)) return false;
    while (parse_cur(p)->kind == TOK_PIPE) {
        p->i++;
        if (!parse_sum(p, nesting) || !emit(p, OP_OR, 0, 0)) return false;
    }
    return true;
}

bool parse_expr(parser_t *p, scn_expr_t *e)
{
    e->first = p->s->nops;
    e->col = parse_cur(p)->col;
    if (!parse_or(p, 0)) return false;
    e->count = p->s->nops - e->first;
    uint32_t depth = 0, max = 0;
    for (uint32_t k = e->first; k < p->s->nops; k++) {
        if (p->s->ops[k].kind == OP_NUM || p->s->ops[k].kind == OP_NAME) {
            if (++depth > max) max = depth;
        } else {
            depth--;
        }
    }
    e->depth = max;
    if (max > p->s->max_depth) p->s->max_depth = max;
    return true;
}

/* Arguments. -------------------------------------------------------------- */

static int keyword_index(const char *words, const tok_t *t)
{
    if (t->kind != TOK_IDENT) return -1;
    int idx = 0;
    for (const char *w = words; *w;) {
        const char *bar = strchr(w, '|');
        size_t n = bar ? (size_t)(bar - w) : strlen(w);
        if (n == t->len && memcmp(w, t->text, n) == 0) return idx;
        idx++;
        w += n + (bar ? 1 : 0);
    }
    return -1;
}

/* "read, write or exec" from "read|write|exec". */
static void words_show(const char *words, char *buf, size_t n)
{
    size_t k = 0;
    int count = 0;
    for (const char *w = words; *w; w++) count += *w == '|';
    int seen = 0;
    for (const char *w = words; *w && k + 8 < n; w++) {
        if (*w == '|') {
            const char *sep = ++seen == count ? " or " : ", ";
            for (; *sep && k + 1 < n; sep++) buf[k++] = *sep;
        } else {
            buf[k++] = *w;
        }
    }
    buf[k] = 0;
}

static bool parse_param(parser_t *p, const scn_verb_t *v, const scn_param_t *pm, scn_arg_t *a)
{
    const tok_t *t = parse_cur(p);
    char buf[96];
    a->present = true;
    a->col = t->col;
    switch (pm->kind) {
    case PK_EXPR:
        return parse_expr(p, &a->expr);
    case PK_BYTES:
    case PK_NAME_STR:
        if (t->kind == TOK_STRING) {
            a->is_string = true;
            p->i++;
            return parse_pool_string(p, lex_str(&p->lx, t->str_off), t->str_len, &a->str_off) &&
                   ((a->str_len = t->str_len), true);
        }
        return parse_expr(p, &a->expr);
    case PK_KEYWORD:
        a->keyword = keyword_index(pm->keywords, t);
        if (a->keyword < 0) {
            words_show(pm->keywords, buf, sizeof buf);
            char shown[64];
            FAIL(p, t->col, "%s: expected %s for %s, found %s", v->name, buf, pm->name,
                 parse_tok_show(t, shown, sizeof shown));
        }
        p->i++;
        return true;
    case PK_DASHWORD:
        if (t->kind != TOK_MINUS || keyword_index(pm->keywords, &p->t[p->i + 1]) < 0)
            FAIL(p, t->col, "%s: expected %s", v->name, pm->name);
        p->i += 2;
        return true;
    case PK_IDENT:
        if (t->kind != TOK_IDENT) FAIL(p, t->col, "%s: expected a name, found %s", v->name, parse_tok_show(t, buf, sizeof buf));
        if (wc_find(t->text, t->len))
            FAIL(p, t->col, "'%.*s' is a constant and cannot name a process", (int)t->len, t->text);
        p->i++;
        a->is_string = true;
        a->str_len = (uint32_t)t->len;
        return parse_pool_string(p, (const uint8_t *)t->text, (uint32_t)t->len, &a->str_off);
    }
    return false;
}

static bool parse_call_args(parser_t *p, const scn_verb_t *v, const scn_syntax_t *sx, scn_stmt_t *st)
{
    char buf[64];
    if (parse_cur(p)->kind != TOK_LPAREN)
        FAIL(p, parse_cur(p)->col, "%s is a call: expected '(' after it, found %s (usage: %s)", v->name,
             parse_tok_show(parse_cur(p), buf, sizeof buf), v->usage);
    uint32_t open_col = parse_cur(p)->col;
    p->i++;
    unsigned n = 0;
    if (parse_cur(p)->kind != TOK_RPAREN) {
        for (;;) {
            if (n >= sx->nparams) {
                FAIL(p, parse_cur(p)->col, "%s takes %s%u argument%s, got more (usage: %s)", v->name,
                     sx->nparams && sx->params[sx->nparams - 1].optional ? "at most " : "", sx->nparams,
                     sx->nparams == 1 ? "" : "s", v->usage);
            }
            if (!parse_param(p, v, &sx->params[n], &st->arg[n])) return false;
            n++;
            if (parse_cur(p)->kind == TOK_COMMA) {
                p->i++;
                continue;
            }
            if (parse_cur(p)->kind == TOK_RPAREN) break;
            if (parse_cur(p)->kind == TOK_END)
                FAIL(p, parse_cur(p)->col, "expected ')' to close the '(' at column %u", open_col);
            FAIL(p, parse_cur(p)->col, "expected ',' or ')' after argument %u of %s, found %s", n, v->name,
                 parse_tok_show(parse_cur(p), buf, sizeof buf));
        }
    }
    /* Trailing optional parameters may be left out. */
    unsigned need = 0;
    for (unsigned k = 0; k < sx->nparams; k++)
        if (!sx->params[k].optional) need = k + 1;
    if (n < need || n > sx->nparams) {
        if (need != sx->nparams)
            FAIL(p, parse_cur(p)->col, "%s takes %u to %u arguments, got %u (usage: %s)", v->name, need, sx->nparams,
                 n, v->usage);
        FAIL(p, parse_cur(p)->col, "%s takes %u argument%s, got %u (usage: %s)", v->name, sx->nparams,
             sx->nparams == 1 ? "" : "s", n, v->usage);
    }
    p->i++;
    st->nargs = n;
    return true;
}

static bool parse_command_args(parser_t *p, const scn_verb_t *v, const scn_syntax_t *sx, scn_stmt_t *st)
{
    char buf[64];
    for (unsigned k = 0; k < sx->nparams; k++) {
        const scn_param_t *pm = &sx->params[k];
        if (parse_cur(p)->kind == TOK_END) {
            if (pm->optional) break;
            FAIL(p, parse_cur(p)->col, "%s: missing %s (usage: %s)", v->name, pm->name, v->usage);
        }
        if (pm->kind == PK_DASHWORD && pm->optional &&
            (parse_cur(p)->kind != TOK_MINUS || keyword_index(pm->keywords, &p->t[p->i + 1]) < 0))
            continue;
        /* An optional keyword that does not match may be a later one's. */
        if (pm->kind == PK_KEYWORD && pm->optional && keyword_index(pm->keywords, parse_cur(p)) < 0) {
            bool later = false;
            for (unsigned j = k + 1; j < sx->nparams; j++)
                if (sx->params[j].kind == PK_KEYWORD && keyword_index(sx->params[j].keywords, parse_cur(p)) >= 0)
                    later = true;
            if (later) continue;
        }
        if (!parse_param(p, v, pm, &st->arg[k])) return false;
        st->nargs = k + 1;
    }
    if (parse_cur(p)->kind != TOK_END)
        FAIL(p, parse_cur(p)->col, "%s: unexpected %s after the arguments (usage: %s)", v->name,
             parse_tok_show(parse_cur(p), buf, sizeof buf), v->usage);
    return true;
}

static bool parse_keyval_args(parser_t *p, const scn_verb_t *v, const scn_syntax_t *sx, scn_stmt_t *st)
{
    char buf[96];
    if (sx->lead) {
        if (!parse_tok_is(parse_cur(p), sx->lead))
            FAIL(p, parse_cur(p)->col, "%s: expected '%s', found %s (usage: %s)", v->name, sx->lead,
                 parse_tok_show(parse_cur(p), buf, sizeof buf), v->usage);
        p->i++;
    }
    while (parse_cur(p)->kind != TOK_END) {
        const tok_t *key = parse_cur(p);
        int idx = -1;
        const char *words = NULL;
        for (int k = 0; key->kind == TOK_IDENT && sx->keys[k].name; k++) {
            size_t n = strlen(sx->keys[k].name);
            if (n == key->len && memcmp(sx->keys[k].name, key->text, n) == 0) {
                idx = k;
                words = sx->keys[k].words;
            }
        }
        if (idx < 0) {
            size_t k = 0;
            for (int j = 0; sx->keys[j].name && k + 16 < sizeof buf; j++)
                k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%s=", j ? ", " : "", sx->keys[j].name);
            char shown[64];
            FAIL(p, key->col, "%s: unknown setting %s (known: %s)", v->name, parse_tok_show(key, shown, sizeof shown), buf);
        }
        for (unsigned k = 0; k < st->nargs; k++)
            if (st->arg[k].key == idx) FAIL(p, key->col, "%s: %.*s= given twice", v->name, (int)key->len, key->text);
        if (st->nargs >= SCN_MAX_ARGS) FAIL(p, key->col, "%s: too many settings", v->name);
        p->i++;
        if (parse_cur(p)->kind != TOK_ASSIGN)
            FAIL(p, parse_cur(p)->col, "%s: expected '=' after %.*s (write %.*s=VALUE, without spaces around '=')",
                 v->name, (int)key->len, key->text, (int)key->len, key->text);
        p->i++;
        scn_arg_t *a = &st->arg[st->nargs];
        a->present = true;
        a->key = idx;
        a->col = parse_cur(p)->col;
        if (words) {
            a->keyword = keyword_index(words, parse_cur(p));
            if (a->keyword < 0) {
                char shown[64];
                words_show(words, buf, sizeof buf);
                FAIL(p, parse_cur(p)->col, "%s: %.*s= takes %s, found %s", v->name, (int)key->len, key->text, buf,
                     parse_tok_show(parse_cur(p), shown, sizeof shown));
            }
            p->i++;
        } else {
            p->wide = true; /* a machine's sizes: ram=4G */
            bool ok = parse_expr(p, &a->expr);
            p->wide = false;
            if (!ok) return false;
        }
        st->nargs++;
    }
    return true;
}

/* Statements. ------------------------------------------------------------- */

static bool same_ignoring_case(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char x = a[i] >= 'a' && a[i] <= 'z' ? (char)(a[i] - 32) : a[i];
        char y = b[i] >= 'a' && b[i] <= 'z' ? (char)(b[i] - 32) : b[i];
        if (x != y) return false;
    }
    return true;
}

static bool is_bang(const scn_row_t *r) { return r->verb.name[0] == '!'; }
static bool is_dotted(const scn_row_t *r) { return strchr(r->verb.name, '.') != NULL; }
static bool binds(const scn_row_t *r) { return r->syntax.binds; }

/* "unknown statement 'NAME' (A, B and C are known)" for the rows pick takes. */
static bool unknown_among(parser_t *p, uint32_t col, const char *name, bool (*pick)(const scn_row_t *))
{
    char list[256];
    scn_rows_list(list, sizeof list, pick);
    return parse_fail(p, col, "unknown statement '%s' (%s are known)", name, list);
}

/* Which statement the line starts with; sets p->i past its name. */
static const scn_row_t *statement_row(parser_t *p, const tok_t **bind_tok)
{
    char buf[64];
    const tok_t *t = parse_cur(p);
    *bind_tok = NULL;
    if (t->kind == TOK_BANG) {
        const tok_t *w = &p->t[p->i + 1];
        char name[48];
        int n = snprintf(name, sizeof name, "!%.*s", w->kind == TOK_IDENT ? (int)(w->len < 40 ? w->len : 40) : 0,
                         w->text);
        const scn_row_t *r = w->kind == TOK_IDENT ? scn_row_find(name, (size_t)n) : NULL;
        if (!r) {
            unknown_among(p, t->col, name, is_bang);
            return NULL;
        }
        p->i += 2;
        return r;
    }
    if (t->kind != TOK_IDENT) {
        parse_fail(p, t->col, "expected a statement, found %s", parse_tok_show(t, buf, sizeof buf));
        return NULL;
    }
    /* cr0.wp = ..., cr4.pse = ... */
    if (p->t[p->i + 1].kind == TOK_DOT && p->t[p->i + 2].kind == TOK_IDENT) {
        char name[80];
        int n = snprintf(name, sizeof name, "%.*s.%.*s", (int)(t->len < 30 ? t->len : 30), t->text,
                         (int)(p->t[p->i + 2].len < 30 ? p->t[p->i + 2].len : 30), p->t[p->i + 2].text);
        const scn_row_t *r = scn_row_find(name, (size_t)n);
        if (!r) {
            unknown_among(p, t->col, name, is_dotted);
            return NULL;
        }
        p->i += 3;
        return r;
    }
    const scn_row_t *r = scn_row_find(t->text, t->len);
    if (!r && p->t[p->i + 1].kind == TOK_ASSIGN) { /* NAME = Call(...) */
        if (!check_bindable(p, t)) return NULL;
        *bind_tok = t;
        p->i += 2;
        const tok_t *c = parse_cur(p);
        r = c->kind == TOK_IDENT ? scn_row_find(c->text, c->len) : NULL;
        if (!r || !r->syntax.binds) {
            char list[256];
            scn_rows_list(list, sizeof list, binds);
            parse_fail(p, c->col, "only %s can be bound to a name, found %s", list, parse_tok_show(c, buf, sizeof buf));
            return NULL;
        }
        p->i++;
        return r;
    }
    if (!r) {
        /* Suggest the statement that differs only in case. */
        for (unsigned k = 0; k < SCN_VERB_COUNT; k++) {
            const char *name = scn_row((scn_verb_id_t)k)->verb.name;
            size_t n = strlen(name);
            if (n == t->len && same_ignoring_case(name, t->text, n)) {
                parse_fail(p, t->col, "unknown statement '%.*s' (did you mean %s?)", (int)t->len, t->text, name);
                return NULL;
            }
        }
        if (wc_find(t->text, t->len) || parse_find_name(p, t->text, t->len) >= 0)
            parse_fail(p, t->col, "'%.*s' is a value, not a statement", (int)t->len, t->text);
        else
            parse_fail(p, t->col, "unknown statement '%.*s' (pagesim --help lists them)",
                       (int)(t->len < 40 ? t->len : 40), t->text);
        return NULL;
    }
    p->i++;
    return r;
}

static bool check_placement(parser_t *p, const scn_verb_t *v, uint32_t col)
{
    scn_script_t *s = p->s;
    if (v->id == SCN_MACHINE && s->nstmt > 0)
        FAIL(p, col, "machine bare must be the first statement of a scenario");
    if (s->bare && v->id == SCN_CONFIG)
        FAIL(p, col, "config sets up a Windows process; a bare machine takes ram= and tlb= on its machine line");
    if (v->id == SCN_CONFIG && p->seen_statement)
        FAIL(p, col, "config must come before any other statement");
    if (s->bare && !(v->on & SCN_ON_BARE)) {
        FAIL(p, col, "%s needs a Windows process, and this scenario runs on a bare machine (machine bare, line %u)",
             v->name, s->stmt[0].line);
    }
    if (!s->bare && !(v->on & SCN_ON_PROCESS))
        FAIL(p, col, "%s needs a bare machine: start the scenario with 'machine bare ram=SIZE'", v->name);
    return true;
}

/* The arguments, as the row's syntax says they are written. */
static bool parse_args(parser_t *p, const scn_row_t *row, scn_stmt_t *st)
{
    const scn_verb_t *v = &row->verb;
    const scn_syntax_t *sx = &row->syntax;
    char buf[64];
    switch (sx->form) {
    case FORM_CALL:
        if (!parse_call_args(p, v, sx, st)) return false;
        if (parse_cur(p)->kind != TOK_END)
            FAIL(p, parse_cur(p)->col, "unexpected %s after the call to %s",
                 parse_tok_show(parse_cur(p), buf, sizeof buf), v->name);
        return true;
    case FORM_COMMAND:
        return parse_command_args(p, v, sx, st);
    case FORM_ASSIGN:
        if (parse_cur(p)->kind != TOK_ASSIGN)
            FAIL(p, parse_cur(p)->col, "%s: expected '=', found %s (usage: %s)", v->name,
                 parse_tok_show(parse_cur(p), buf, sizeof buf), v->usage);
        p->i++;
        st->nargs = 1;
        if (!parse_param(p, v, &sx->params[0], &st->arg[0])) return false;
        if (parse_cur(p)->kind != TOK_END)
            FAIL(p, parse_cur(p)->col, "%s: unexpected %s after the value", v->name,
                 parse_tok_show(parse_cur(p), buf, sizeof buf));
        return true;
    case FORM_KEYVAL:
        if (!parse_keyval_args(p, v, sx, st)) return false;
        if (sx->lead) { /* machine bare: ram= is required */
            bool has_ram = false;
            for (unsigned k = 0; k < st->nargs; k++) has_ram |= st->arg[k].key == 0;
            if (!has_ram) FAIL(p, parse_cur(p)->col, "machine bare needs ram=SIZE (usage: %s)", v->usage);
        }
        return true;
    case FORM_EXPECT:
        return parse_expect(p, st);
    }
    return false;
}

static bool parse_statement(parser_t *p)
{
    scn_script_t *s = p->s;
    const tok_t *first = parse_cur(p);
    const tok_t *bind_tok;
    const scn_row_t *row = statement_row(p, &bind_tok);
    if (!row) return false;
    const scn_verb_t *v = &row->verb;
    if (s->nstmt == 0 && v->id == SCN_MACHINE) s->bare = true;
    if (!check_placement(p, v, first->col)) return false;
    if (!grow(p, (void **)&s->stmt, &s->capstmt, s->nstmt + 1, sizeof *s->stmt)) return false;
    scn_stmt_t *st = &s->stmt[s->nstmt];
    memset(st, 0, sizeof *st);
    st->verb = v->id;
    st->line = p->lx.line;
    st->col = first->col;
    st->src_off = (uint32_t)(p->lx.line_start - s->src);
    st->src_len = (uint32_t)p->lx.line_len;
    while (st->src_len && (s->src[st->src_off + st->src_len - 1] == '\r')) st->src_len--;
    st->bind = -1;
    if (!parse_args(p, row, st)) return false;
    if (bind_tok && !parse_add_name(p, bind_tok->text, bind_tok->len, bind_tok->col, &st->bind)) return false;
    if (bind_tok && v->id == SCN_ALLOCATEUSERPHYSICALPAGES && !parse_array_name(p, bind_tok)) return false;
    if (v->id != SCN_CONFIG) p->seen_statement = true;
    if (v->id != SCN_EXPECT) {
        p->has_checkable = true;
        p->last_checkable = s->nstmt;
    }
    s->nstmt++;
    return true;
}

/* The rules for a statement's values, for those known now (constants), so
 * that a bad value refuses the scenario before anything runs. */
static bool check_constants(parser_t *p)
{
    scn_script_t *s = p->s;
    if (!grow(p, (void **)&p->check.stack, &p->capstack, s->max_depth + 1, sizeof *p->check.stack)) return false;
    if (scn_check(&p->check, &s->stmt[s->nstmt - 1], p->err)) return true;
    p->failed = true;
    return false;
}

ps_result_t scn_parse(const ps_alloc_t *a, const char *text, size_t len, scn_script_t **out, scn_error_t *err)
{
    *out = NULL;
    if (!a) a = ps_default_alloc();
    memset(err, 0, sizeof *err);
    if (!lex_check_text(text, len, err)) return PS_EINVAL;
    scn_script_t *s = ps_calloc(a, sizeof *s);
    if (!s) return PS_ENOMEM;
    s->alloc = a;
    s->src = ps_malloc(a, len + 1);
    if (!s->src) {
        scn_script_free(s);
        return PS_ENOMEM;
    }
    memcpy(s->src, text, len);
    s->src[len] = 0;
    s->src_len = len;
    parser_t p = { .s = s, .err = err };
    strmap_init(&p.names, a, name_key, s);
    lex_init(&p.lx, a, s->src, len);
    p.check.s = s;
    int r;
    while ((r = lex_line(&p.lx, err)) == 1) {
        p.t = p.lx.tok;
        p.i = 0;
        if (p.t[0].kind == TOK_END) continue;
        if (!parse_statement(&p) || !check_constants(&p)) break;
    }
    ps_free(a, p.check.stack, p.capstack * sizeof *p.check.stack);
    bool oom = p.oom || p.lx.oom;
    lex_fini(&p.lx);
    strmap_fini(&p.names);
    if (r == 1 || r < 0) {
        scn_script_free(s);
        return oom ? PS_ENOMEM : PS_EINVAL;
    }
    if (s->nstmt == 0) {
        scn_error_set(err, p.lx.line ? p.lx.line : 1, 1, "the scenario has no statements");
        scn_script_free(s);
        return PS_EINVAL;
    }
    *out = s;
    return PS_OK;
}

void scn_script_free(scn_script_t *s)
{
    if (!s) return;
    const ps_alloc_t *a = s->alloc;
    for (uint32_t i = 0; i < s->nnames; i++) ps_free(a, s->names[i], strlen(s->names[i]) + 1);
    ps_free(a, s->names, s->capnames * sizeof *s->names);
    ps_free(a, s->elems, s->capelems * sizeof *s->elems);
    ps_free(a, s->stmt, s->capstmt * sizeof *s->stmt);
    ps_free(a, s->ops, s->capops * sizeof *s->ops);
    ps_free(a, s->strs, s->capstrs);
    ps_free(a, s->src, s->src_len + 1);
    ps_free(a, s, sizeof *s);
}

size_t scn_script_count(const scn_script_t *s) { return s->nstmt; }
scn_verb_id_t scn_script_verb(const scn_script_t *s, size_t i) { return s->stmt[i].verb; }
uint32_t scn_script_line(const scn_script_t *s, size_t i) { return s->stmt[i].line; }
bool scn_script_bare(const scn_script_t *s) { return s->bare; }

bool scn_script_compared(const scn_script_t *s)
{
    if (s->bare) return false;
    for (uint32_t i = 0; i < s->nstmt && s->stmt[i].verb == SCN_CONFIG; i++)
        for (unsigned k = 0; k < s->stmt[i].nargs; k++)
            if (s->stmt[i].arg[k].key == SCN_CONFIG_COMPARE && s->stmt[i].arg[k].keyword == 1) return false;
    return true;
}

const char *scn_script_source(const scn_script_t *s, size_t i, size_t *len)
{
    *len = s->stmt[i].src_len;
    return s->src + s->stmt[i].src_off;
}

/* An expression typed by a user (a front end's prompt), with the names the
 * statements run so far have bound. ------------------------------------- */

ps_result_t scn_runner_eval(const scn_runner_t *r, const char *text, size_t len, uint32_t *value, scn_error_t *err)
{
    const scn_script_t *s = r->s;
    *value = 0;
    memset(err, 0, sizeof *err);
    if (memchr(text, '\n', len)) {
        scn_error_set(err, 1, 1, "one line, please");
        return PS_EINVAL;
    }
    if (!lex_check_text(text, len, err)) return PS_EINVAL;
    /* A scratch script that borrows the real one's names. */
    scn_script_t tmp = { .alloc = s->alloc, .names = s->names, .nnames = s->nnames };
    parser_t p = { .s = &tmp, .err = err };
    strmap_init(&p.names, s->alloc, name_key, s);
    bool ok = true;
    for (size_t i = 0; ok && i < r->pc && i < s->nstmt; i++) {
        int32_t slot = s->stmt[i].bind;
        if (slot >= 0) ok = strmap_add(&p.names, s->names[slot], strlen(s->names[slot]), (uint32_t)slot) == PS_OK;
    }
    /* The elements of arrays the scenario uses, and the arrays' marks. */
    for (uint32_t i = 0; ok && i < s->nnames; i++) {
        size_t n = strlen(s->names[i]);
        if (n && s->names[i][n - 1] == ']') ok = strmap_add(&p.names, s->names[i], n, i) == PS_OK;
    }
    p.borrowed = true;
    lex_init(&p.lx, s->alloc, text, len);
    scn_expr_t e;
    ok = ok && lex_line(&p.lx, err) == 1;
    if (ok) {
        p.t = p.lx.tok;
        if (p.t[0].kind == TOK_END) ok = parse_fail(&p, 1, "an expression, please");
        else ok = parse_expr(&p, &e);
        if (ok && parse_cur(&p)->kind != TOK_END) {
            char buf[64];
            ok = parse_fail(&p, parse_cur(&p)->col, "unexpected %s after the expression",
                            parse_tok_show(parse_cur(&p), buf, sizeof buf));
        }
    }
    uint64_t *stack = ok ? ps_malloc(s->alloc, (tmp.max_depth + 1) * sizeof *stack) : NULL;
    uint64_t v = 0;
    if (stack) *value = scn_eval(&tmp, &e, r->values, stack, &v) ? (uint32_t)v : 0;
    bool oom = (ok && !stack) || p.oom || p.lx.oom;
    if (oom) scn_error_set(err, 1, 1, "out of memory");
    ps_free(s->alloc, stack, (tmp.max_depth + 1) * sizeof *stack);
    ps_free(s->alloc, tmp.ops, tmp.capops * sizeof *tmp.ops);
    lex_fini(&p.lx);
    strmap_fini(&p.names);
    return oom ? PS_ENOMEM : ok ? PS_OK : PS_EINVAL;
}
