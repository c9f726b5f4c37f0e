/* The scenario parser: lines of tokens into statements, with every check
 * that needs no machine done here, so that a scenario either runs from its
 * first statement or is refused whole. */
#include "mem.h"
#include "pagesim/winconst.h"
#include "scn_check.h"
#include "scn_int.h"
#include "scn_lex.h"
#include "strmap.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_NESTING 64

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
    uint32_t capstack;
} parser_t;

/* Errors. ----------------------------------------------------------------- */

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static bool fail(parser_t *p, uint32_t col, const char *fmt, ...)
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

#define FAIL(...) return fail(__VA_ARGS__)

static const tok_t *cur(const parser_t *p)
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
    }
    return "a token";
}

/* "'foo'" for names, numbers and strings, else the kind. Uses a small
 * static-free buffer supplied by the caller. */
static const char *tok_show(const tok_t *t, char *buf, size_t n)
{
    if (t->kind == TOK_IDENT || t->kind == TOK_NUMBER) {
        int len = t->len > 40 ? 40 : (int)t->len;
        snprintf(buf, n, "'%.*s'", len, t->text);
        return buf;
    }
    return tok_desc(t);
}

static bool tok_is(const tok_t *t, const char *word)
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

static bool pool_string(parser_t *p, const uint8_t *bytes, uint32_t n, uint32_t *off)
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

static int32_t find_name(const parser_t *p, const char *name, size_t n)
{
    uint32_t slot = strmap_find(&p->names, name, n);
    return slot == STRMAP_NONE ? -1 : (int32_t)slot;
}

static bool check_bindable(parser_t *p, const tok_t *t)
{
    if (wc_find(t->text, t->len))
        FAIL(p, t->col, "'%.*s' is a constant and cannot name a value", (int)t->len, t->text);
    if (scn_verb_find(t->text, t->len))
        FAIL(p, t->col, "'%.*s' is a statement and cannot name a value", (int)t->len, t->text);
    if (t->len > SCN_NAME_MAX)
        FAIL(p, t->col, "the name '%.40s...' is %u characters long; names have at most %d", t->text, (unsigned)t->len,
             SCN_NAME_MAX);
    int32_t prev = find_name(p, t->text, t->len);
    if (prev >= 0) FAIL(p, t->col, "name '%.*s' is already bound; each name is bound once", (int)t->len, t->text);
    return true;
}

static bool add_name(parser_t *p, const tok_t *t, int32_t *slot)
{
    scn_script_t *s = p->s;
    if (!grow(p, (void **)&s->names, &s->capnames, s->nnames + 1, sizeof *s->names)) return false;
    char *copy = ps_malloc(s->alloc, t->len + 1);
    if (!copy) {
        p->oom = true;
        FAIL(p, t->col, "out of memory");
    }
    memcpy(copy, t->text, t->len);
    copy[t->len] = 0;
    s->names[s->nnames] = copy;
    if (strmap_add(&p->names, copy, t->len, s->nnames) != PS_OK) {
        ps_free(s->alloc, copy, t->len + 1);
        p->oom = true;
        FAIL(p, t->col, "out of memory");
    }
    *slot = (int32_t)s->nnames++;
    return true;
}

/* Expressions. ------------------------------------------------------------ */

static bool parse_or(parser_t *p, int nesting);

static bool parse_atom(parser_t *p, int nesting)
{
    const tok_t *t = cur(p);
    char buf[64];
    if (t->kind == TOK_NUMBER) {
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
        if (cur(p)->kind != TOK_RPAREN)
            FAIL(p, cur(p)->col, "expected ')' to close the '(' at column %u, found %s", t->col,
                 tok_show(cur(p), buf, sizeof buf));
        p->i++;
        return true;
    }
    if (t->kind == TOK_IDENT) {
        const wc_const_t *c = wc_find(t->text, t->len);
        if (c) {
            p->i++;
            return emit(p, OP_NUM, c->value, 0);
        }
        int32_t slot = find_name(p, t->text, t->len);
        if (slot >= 0) {
            p->i++;
            return emit(p, OP_NAME, 0, (uint32_t)slot);
        }
        const wc_const_t *near = wc_suggest(t->text, t->len);
        if (near)
            FAIL(p, t->col, "unknown constant or name '%.*s' (did you mean %s?)", (int)t->len, t->text, near->name);
        FAIL(p, t->col, "unknown name '%.*s%s': not a constant, and not bound by an earlier statement",
             (int)(t->len > 40 ? 40 : t->len), t->text, t->len > 40 ? "..." : "");
    }
    FAIL(p, t->col, "expected an expression, found %s", tok_show(t, buf, sizeof buf));
}

static bool parse_product(parser_t *p, int nesting)
{
    if (!parse_atom(p, nesting)) return false;
    while (cur(p)->kind == TOK_STAR) {
        p->i++;
        if (!parse_atom(p, nesting) || !emit(p, OP_MUL, 0, 0)) return false;
    }
    return true;
}

static bool parse_sum(parser_t *p, int nesting)
{
    if (!parse_product(p, nesting)) return false;
    while (cur(p)->kind == TOK_PLUS || cur(p)->kind == TOK_MINUS) {
        op_kind_t op = cur(p)->kind == TOK_PLUS ? OP_ADD : OP_SUB;
        p->i++;
        if (!parse_product(p, nesting) || !emit(p, op, 0, 0)) return false;
    }
    return true;
}

static bool parse_or(parser_t *p, int nesting)
{
    if (!parse_sum(p, nesting)) return false;
    while (cur(p)->kind == TOK_PIPE) {
        p->i++;
        if (!parse_sum(p, nesting) || !emit(p, OP_OR, 0, 0)) return false;
    }
    return true;
}

static bool parse_expr(parser_t *p, scn_expr_t *e)
{
    e->first = p->s->nops;
    e->col = cur(p)->col;
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
    const tok_t *t = cur(p);
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
            return pool_string(p, lex_str(&p->lx, t->str_off), t->str_len, &a->str_off) &&
                   ((a->str_len = t->str_len), true);
        }
        return parse_expr(p, &a->expr);
    case PK_KEYWORD:
        a->keyword = keyword_index(pm->keywords, t);
        if (a->keyword < 0) {
            words_show(pm->keywords, buf, sizeof buf);
            char shown[64];
            FAIL(p, t->col, "%s: expected %s for %s, found %s", v->name, buf, pm->name,
                 tok_show(t, shown, sizeof shown));
        }
        p->i++;
        return true;
    case PK_DASHWORD:
        if (t->kind != TOK_MINUS || keyword_index(pm->keywords, &p->t[p->i + 1]) < 0)
            FAIL(p, t->col, "%s: expected %s", v->name, pm->name);
        p->i += 2;
        return true;
    case PK_IDENT:
        if (t->kind != TOK_IDENT) FAIL(p, t->col, "%s: expected a name, found %s", v->name, tok_show(t, buf, sizeof buf));
        if (wc_find(t->text, t->len))
            FAIL(p, t->col, "'%.*s' is a constant and cannot name a process", (int)t->len, t->text);
        p->i++;
        a->is_string = true;
        a->str_len = (uint32_t)t->len;
        return pool_string(p, (const uint8_t *)t->text, (uint32_t)t->len, &a->str_off);
    }
    return false;
}

static bool parse_call_args(parser_t *p, const scn_verb_t *v, const scn_syntax_t *sx, scn_stmt_t *st)
{
    char buf[64];
    if (cur(p)->kind != TOK_LPAREN)
        FAIL(p, cur(p)->col, "%s is a call: expected '(' after it, found %s (usage: %s)", v->name,
             tok_show(cur(p), buf, sizeof buf), v->usage);
    uint32_t open_col = cur(p)->col;
    p->i++;
    unsigned n = 0;
    if (cur(p)->kind != TOK_RPAREN) {
        for (;;) {
            if (n >= sx->nparams) {
                FAIL(p, cur(p)->col, "%s takes %u argument%s, got more (usage: %s)", v->name, sx->nparams,
                     sx->nparams == 1 ? "" : "s", v->usage);
            }
            if (!parse_param(p, v, &sx->params[n], &st->arg[n])) return false;
            n++;
            if (cur(p)->kind == TOK_COMMA) {
                p->i++;
                continue;
            }
            if (cur(p)->kind == TOK_RPAREN) break;
            if (cur(p)->kind == TOK_END)
                FAIL(p, cur(p)->col, "expected ')' to close the '(' at column %u", open_col);
            FAIL(p, cur(p)->col, "expected ',' or ')' after argument %u of %s, found %s", n, v->name,
                 tok_show(cur(p), buf, sizeof buf));
        }
    }
    if (n != sx->nparams)
        FAIL(p, cur(p)->col, "%s takes %u argument%s, got %u (usage: %s)", v->name, sx->nparams,
             sx->nparams == 1 ? "" : "s", n, v->usage);
    p->i++;
    st->nargs = n;
    return true;
}

static bool parse_command_args(parser_t *p, const scn_verb_t *v, const scn_syntax_t *sx, scn_stmt_t *st)
{
    char buf[64];
    for (unsigned k = 0; k < sx->nparams; k++) {
        const scn_param_t *pm = &sx->params[k];
        if (cur(p)->kind == TOK_END) {
            if (pm->optional) break;
            FAIL(p, cur(p)->col, "%s: missing %s (usage: %s)", v->name, pm->name, v->usage);
        }
        if (pm->kind == PK_DASHWORD && pm->optional &&
            (cur(p)->kind != TOK_MINUS || keyword_index(pm->keywords, &p->t[p->i + 1]) < 0))
            continue;
        /* An optional keyword that does not match may be a later one's. */
        if (pm->kind == PK_KEYWORD && pm->optional && keyword_index(pm->keywords, cur(p)) < 0) {
            bool later = false;
            for (unsigned j = k + 1; j < sx->nparams; j++)
                if (sx->params[j].kind == PK_KEYWORD && keyword_index(sx->params[j].keywords, cur(p)) >= 0)
                    later = true;
            if (later) continue;
        }
        if (!parse_param(p, v, pm, &st->arg[k])) return false;
        st->nargs = k + 1;
    }
    if (cur(p)->kind != TOK_END)
        FAIL(p, cur(p)->col, "%s: unexpected %s after the arguments (usage: %s)", v->name,
             tok_show(cur(p), buf, sizeof buf), v->usage);
    return true;
}

static bool parse_keyval_args(parser_t *p, const scn_verb_t *v, const scn_syntax_t *sx, scn_stmt_t *st)
{
    char buf[96];
    if (sx->lead) {
        if (!tok_is(cur(p), sx->lead))
            FAIL(p, cur(p)->col, "%s: expected '%s', found %s (usage: %s)", v->name, sx->lead,
                 tok_show(cur(p), buf, sizeof buf), v->usage);
        p->i++;
    }
    while (cur(p)->kind != TOK_END) {
        const tok_t *key = cur(p);
        int idx = -1;
        const char *words = NULL;
        for (int k = 0; key->kind == TOK_IDENT && sx->keys[k]; k++) {
            const char *eq = strchr(sx->keys[k], '=');
            size_t n = eq ? (size_t)(eq - sx->keys[k]) : strlen(sx->keys[k]);
            if (n == key->len && memcmp(sx->keys[k], key->text, n) == 0) {
                idx = k;
                words = eq ? eq + 1 : NULL;
            }
        }
        if (idx < 0) {
            size_t k = 0;
            for (int j = 0; sx->keys[j] && k + 16 < sizeof buf; j++) {
                const char *eq = strchr(sx->keys[j], '=');
                int n = eq ? (int)(eq - sx->keys[j]) : (int)strlen(sx->keys[j]);
                k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%.*s=", j ? ", " : "", n, sx->keys[j]);
            }
            char shown[64];
            FAIL(p, key->col, "%s: unknown setting %s (known: %s)", v->name, tok_show(key, shown, sizeof shown), buf);
        }
        for (unsigned k = 0; k < st->nargs; k++)
            if (st->arg[k].key == idx) FAIL(p, key->col, "%s: %.*s= given twice", v->name, (int)key->len, key->text);
        if (st->nargs >= SCN_MAX_ARGS) FAIL(p, key->col, "%s: too many settings", v->name);
        p->i++;
        if (cur(p)->kind != TOK_ASSIGN)
            FAIL(p, cur(p)->col, "%s: expected '=' after %.*s (write %.*s=VALUE, without spaces around '=')",
                 v->name, (int)key->len, key->text, (int)key->len, key->text);
        p->i++;
        scn_arg_t *a = &st->arg[st->nargs];
        a->present = true;
        a->key = idx;
        a->col = cur(p)->col;
        if (words) {
            a->keyword = keyword_index(words, cur(p));
            if (a->keyword < 0) {
                char shown[64];
                words_show(words, buf, sizeof buf);
                FAIL(p, cur(p)->col, "%s: %.*s= takes %s, found %s", v->name, (int)key->len, key->text, buf,
                     tok_show(cur(p), shown, sizeof shown));
            }
            p->i++;
        } else if (!parse_expr(p, &a->expr)) {
            return false;
        }
        st->nargs++;
    }
    return true;
}

/* expect. ----------------------------------------------------------------- */

static const struct {
    const char *name;
    lhs_t lhs;
} lhs_names[] = {
    { "ret", LHS_RET }, { "error", LHS_ERROR }, { "old", LHS_OLD }, { "exception", LHS_EXCEPTION },
    { "bytes", LHS_BYTES }, { "mbi.BaseAddress", LHS_MBI_BASE }, { "mbi.AllocationBase", LHS_MBI_ALLOCBASE },
    { "mbi.AllocationProtect", LHS_MBI_ALLOCPROTECT }, { "mbi.RegionSize", LHS_MBI_SIZE },
    { "mbi.State", LHS_MBI_STATE }, { "mbi.Protect", LHS_MBI_PROTECT }, { "mbi.Type", LHS_MBI_TYPE },
    { "phys", LHS_PHYS }, { "fault", LHS_FAULT }, { "tlb", LHS_TLB }, { "pde", LHS_PDE }, { "pte", LHS_PTE },
    { "value", LHS_VALUE }, { "resolved", LHS_RESOLVED },
};

static bool lhs_applies(lhs_t lhs, scn_verb_id_t v)
{
    switch (lhs) {
    case LHS_RET:
        return v == SCN_PEEK32 || (v >= SCN_VIRTUALALLOC && v <= SCN_CLOSEHANDLE);
    case LHS_ERROR:
        return (v >= SCN_VIRTUALALLOC && v <= SCN_CLOSEHANDLE) || v == SCN_PROCESS;
    case LHS_OLD:
        return v == SCN_VIRTUALPROTECT;
    case LHS_EXCEPTION:
        return v == SCN_READ || v == SCN_WRITE || v == SCN_TOUCH;
    case LHS_BYTES:
        return v == SCN_READ;
    case LHS_MBI_BASE: case LHS_MBI_ALLOCBASE: case LHS_MBI_ALLOCPROTECT: case LHS_MBI_SIZE:
    case LHS_MBI_STATE: case LHS_MBI_PROTECT: case LHS_MBI_TYPE:
        return v == SCN_VIRTUALQUERY;
    case LHS_PHYS: case LHS_FAULT: case LHS_TLB: case LHS_PDE: case LHS_PTE:
        return v == SCN_TRANSLATE;
    case LHS_VALUE:
        return v == SCN_PEEK32;
    case LHS_FIELD:
        return false; /* decided by the field's table row */
    case LHS_RESOLVED:
        return v == SCN_TRANSLATE;
    }
    return false;
}

static bool parse_expect(parser_t *p, scn_stmt_t *st)
{
    char name[64], buf[64];
    const tok_t *t = cur(p);
    if (t->kind != TOK_IDENT)
        FAIL(p, t->col, "expect: expected what to check (ret, error, old, exception, bytes, mbi.FIELD, ...), found %s",
             tok_show(t, buf, sizeof buf));
    size_t n = t->len < 30 ? t->len : 30;
    memcpy(name, t->text, n);
    name[n] = 0;
    p->i++;
    const tok_t *field = NULL;
    if (cur(p)->kind == TOK_DOT) {
        p->i++;
        field = cur(p);
        if (field->kind != TOK_IDENT) FAIL(p, field->col, "expect: expected a field name after '%s.'", name);
        size_t fn = field->len < 30 ? field->len : 30;
        name[n] = '.';
        memcpy(name + n + 1, field->text, fn);
        name[n + 1 + fn] = 0;
        p->i++;
    }
    bool found = false;
    for (unsigned k = 0; k < scn_nfields; k++) {
        size_t pl = strlen(scn_fields[k].prefix);
        if (strncmp(name, scn_fields[k].prefix, pl) == 0 && name[pl] == '.' &&
            strcmp(name + pl + 1, scn_fields[k].name) == 0) {
            st->lhs = LHS_FIELD;
            st->field = (int)k;
            found = true;
        }
    }
    for (size_t k = 0; !found && k < sizeof lhs_names / sizeof lhs_names[0]; k++)
        if (strcmp(name, lhs_names[k].name) == 0) {
            st->lhs = lhs_names[k].lhs;
            found = true;
        }
    if (!found)
        FAIL(p, t->col, "expect: unknown field '%s' (ret, error, old, exception, bytes, mbi.BaseAddress, "
             "mbi.AllocationBase, mbi.AllocationProtect, mbi.RegionSize, mbi.State, mbi.Protect, mbi.Type, phys, "
             "fault, tlb, pde, pte, resolved, value, stats.FIELD, si.FIELD, ms.FIELD)", name);
    if (!p->has_checkable) FAIL(p, t->col, "expect has no earlier statement to check");
    st->checked = p->last_checkable;
    const scn_stmt_t *prev = &p->s->stmt[st->checked];
    bool applies = lhs_applies(st->lhs, prev->verb);
    if (st->lhs == LHS_FIELD) {
        unsigned has = scn_fields[st->field].has;
        applies = (has == SCN_HAS_STATS && prev->verb == SCN_STATS) ||
                  (has == SCN_HAS_MMSTATS && prev->verb == SCN_STATS && !p->s->bare) ||
                  (has == SCN_HAS_SYSINFO && prev->verb == SCN_GETSYSTEMINFO) ||
                  (has == SCN_HAS_MEMSTATUS && prev->verb == SCN_MEMSTATUS);
    }
    if (!applies)
        FAIL(p, t->col, "expect: %s is not a result of %s (the statement on line %u)", name,
             scn_verbs()[prev->verb].name, prev->line);
    if (cur(p)->kind != TOK_EQ)
        FAIL(p, cur(p)->col, "expect: expected '==' after %s, found %s", name, tok_show(cur(p), buf, sizeof buf));
    p->i++;
    scn_arg_t *a = &st->arg[0];
    a->present = true;
    a->col = cur(p)->col;
    if (tok_is(cur(p), "none")) {
        st->rhs = RHS_NONE;
        p->i++;
    } else if (cur(p)->kind == TOK_STRING) {
        st->rhs = RHS_STRING;
        a->is_string = true;
        a->str_len = cur(p)->str_len;
        if (!pool_string(p, lex_str(&p->lx, cur(p)->str_off), cur(p)->str_len, &a->str_off)) return false;
        p->i++;
    } else {
        st->rhs = RHS_EXPR;
        if (!parse_expr(p, &a->expr)) return false;
    }
    bool none_ok = st->lhs == LHS_EXCEPTION || st->lhs == LHS_FAULT || st->lhs == LHS_PTE || st->lhs == LHS_PHYS;
    if (st->rhs == RHS_NONE && !none_ok) FAIL(p, a->col, "expect: %s cannot be none", name);
    bool string_ok = st->lhs == LHS_BYTES || st->lhs == LHS_TLB || st->lhs == LHS_RESOLVED;
    if (st->rhs == RHS_STRING && !string_ok) FAIL(p, a->col, "expect: %s is compared with a number, not a string", name);
    if (st->lhs == LHS_TLB && st->rhs != RHS_STRING)
        FAIL(p, a->col, "expect: tlb is compared with \"hit\", \"miss\" or \"off\"");
    if (st->lhs == LHS_RESOLVED && st->rhs != RHS_STRING)
        FAIL(p, a->col, "expect: resolved is compared with a string (\"demand_zero\", \"access_violation\", ...)");
    st->nargs = 1;
    if (cur(p)->kind != TOK_END)
        FAIL(p, cur(p)->col, "expect: unexpected %s after the value", tok_show(cur(p), buf, sizeof buf));
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

/* Which verb the line starts with; sets p->i past its name. */
static const scn_verb_t *statement_verb(parser_t *p, int32_t *bind_slot, const tok_t **bind_tok)
{
    char buf[64];
    const tok_t *t = cur(p);
    *bind_tok = NULL;
    if (t->kind == TOK_BANG) {
        const tok_t *w = &p->t[p->i + 1];
        char name[48];
        int n = snprintf(name, sizeof name, "!%.*s", w->kind == TOK_IDENT ? (int)(w->len < 40 ? w->len : 40) : 0,
                         w->text);
        const scn_verb_t *v = w->kind == TOK_IDENT ? scn_verb_find(name, (size_t)n) : NULL;
        if (!v) {
            fail(p, t->col, "unknown statement '%s' (!address, !pte and !vad are known)", name);
            return NULL;
        }
        p->i += 2;
        return v;
    }
    if (t->kind != TOK_IDENT)
        {
            fail(p, t->col, "expected a statement, found %s", tok_show(t, buf, sizeof buf));
            return NULL;
        }
    /* cr0.wp = ..., cr4.pse = ... */
    if (p->t[p->i + 1].kind == TOK_DOT && p->t[p->i + 2].kind == TOK_IDENT) {
        char name[80];
        int n = snprintf(name, sizeof name, "%.*s.%.*s", (int)(t->len < 30 ? t->len : 30), t->text,
                         (int)(p->t[p->i + 2].len < 30 ? p->t[p->i + 2].len : 30), p->t[p->i + 2].text);
        const scn_verb_t *v = scn_verb_find(name, (size_t)n);
        if (!v) {
            fail(p, t->col, "unknown statement '%s' (cr0.wp, cr4.pse and cr4.pge are known)", name);
            return NULL;
        }
        p->i += 3;
        return v;
    }
    const scn_verb_t *v = scn_verb_find(t->text, t->len);
    if (!v && p->t[p->i + 1].kind == TOK_ASSIGN) { /* NAME = Call(...) */
        if (!check_bindable(p, t)) return NULL;
        *bind_tok = t;
        p->i += 2;
        const tok_t *c = cur(p);
        v = c->kind == TOK_IDENT ? scn_verb_find(c->text, c->len) : NULL;
        if (!v || !scn_syntax(v->id)->binds)
            {
            fail(p, c->col, "only VirtualAlloc, CreateFileMapping, MapViewOfFile and MapViewOfFileEx can be "
                        "bound to a name, found %s", tok_show(c, buf, sizeof buf));
            return NULL;
        }
        (void)bind_slot;
        p->i++;
        return v;
    }
    if (!v) {
        /* Suggest the statement that differs only in case. */
        const scn_verb_t *all = scn_verbs();
        for (unsigned k = 0; k < SCN_VERB_COUNT; k++) {
            size_t n = strlen(all[k].name);
            if (n == t->len && same_ignoring_case(all[k].name, t->text, n)) {
                fail(p, t->col, "unknown statement '%.*s' (did you mean %s?)", (int)t->len, t->text, all[k].name);
                return NULL;
            }
        }
        if (wc_find(t->text, t->len) || find_name(p, t->text, t->len) >= 0)
            fail(p, t->col, "'%.*s' is a value, not a statement", (int)t->len, t->text);
        else
            fail(p, t->col, "unknown statement '%.*s' (pagesim --help lists them)", (int)(t->len < 40 ? t->len : 40),
                 t->text);
        return NULL;
    }
    p->i++;
    return v;
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

static bool parse_statement(parser_t *p)
{
    scn_script_t *s = p->s;
    const tok_t *first = cur(p);
    int32_t slot = -1;
    const tok_t *bind_tok;
    const scn_verb_t *v = statement_verb(p, &slot, &bind_tok);
    if (!v) return false;
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
    const scn_syntax_t *sx = scn_syntax(v->id);
    char buf[64];
    bool ok = true;
    switch (sx->form) {
    case FORM_CALL:
        ok = parse_call_args(p, v, sx, st);
        if (ok && cur(p)->kind != TOK_END)
            FAIL(p, cur(p)->col, "unexpected %s after the call to %s", tok_show(cur(p), buf, sizeof buf), v->name);
        break;
    case FORM_COMMAND:
        ok = parse_command_args(p, v, sx, st);
        break;
    case FORM_ASSIGN:
        if (cur(p)->kind != TOK_ASSIGN)
            FAIL(p, cur(p)->col, "%s: expected '=', found %s (usage: %s)", v->name, tok_show(cur(p), buf, sizeof buf),
                 v->usage);
        p->i++;
        ok = parse_param(p, v, &sx->params[0], &st->arg[0]);
        st->nargs = 1;
        if (ok && cur(p)->kind != TOK_END)
            FAIL(p, cur(p)->col, "%s: unexpected %s after the value", v->name, tok_show(cur(p), buf, sizeof buf));
        break;
    case FORM_KEYVAL:
        ok = parse_keyval_args(p, v, sx, st);
        if (ok && v->id == SCN_MACHINE) {
            bool has_ram = false;
            for (unsigned k = 0; k < st->nargs; k++) has_ram |= st->arg[k].key == 0;
            if (!has_ram) FAIL(p, cur(p)->col, "machine bare needs ram=SIZE (usage: %s)", v->usage);
        }
        break;
    case FORM_EXPECT:
        ok = parse_expect(p, st);
        break;
    }
    if (!ok) return false;
    if (bind_tok && !add_name(p, bind_tok, &st->bind)) return false;
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

const char *scn_script_source(const scn_script_t *s, size_t i, size_t *len)
{
    *len = s->stmt[i].src_len;
    return s->src + s->stmt[i].src_off;
}
