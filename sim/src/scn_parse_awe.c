/* The parts of expressions that AWE brought: GetCurrentProcess(), the
 * pseudo handle a call may be given for its process, and the elements of
 * the page-frame-number array AllocateUserPhysicalPages binds to a name
 * (pfns[3]). An element is a name of its own ("pfns[3]") that the
 * statement fills when it runs; the array's name is marked by the name
 * "pfns[]", which no one can write. */
#include "mem.h"
#include "scn_parse_int.h"
#include <stdio.h>
#include <string.h>

/* Indexes stay under the most frames a machine has (4 GB of 4 KB pages). */
#define MAX_INDEX (1u << 20)

bool parse_current_process(parser_t *p)
{
    char buf[64];
    p->i++;
    const tok_t *t = parse_cur(p);
    if (t->kind == TOK_LPAREN) t = &p->t[p->i + 1]; /* the token list ends with TOK_END */
    if (parse_cur(p)->kind != TOK_LPAREN || t->kind != TOK_RPAREN)
        FAIL(p, t->col, "GetCurrentProcess takes no arguments: write GetCurrentProcess(), found %s",
             parse_tok_show(t, buf, sizeof buf));
    p->i += 2;
    return true;
}

bool parse_array_name(parser_t *p, const tok_t *t)
{
    char mark[SCN_NAME_MAX + 3];
    int n = snprintf(mark, sizeof mark, "%.*s[]", (int)t->len, t->text);
    int32_t slot;
    return parse_add_name(p, mark, (size_t)n, t->col, &slot);
}

bool parse_element(parser_t *p, const tok_t *t, int32_t *slot)
{
    char name[SCN_NAME_MAX + 16], buf[64];
    int n = snprintf(name, sizeof name, "%.*s[]", (int)t->len, t->text);
    int32_t array = parse_find_name(p, t->text, t->len);
    if (parse_find_name(p, name, (size_t)n) < 0)
        FAIL(p, parse_cur(p)->col, "'%.*s' is not an array: only AllocateUserPhysicalPages binds one", (int)t->len,
             t->text);
    p->i++;
    const tok_t *k = parse_cur(p);
    if (k->kind != TOK_NUMBER)
        FAIL(p, k->col, "an array index is a number, found %s", parse_tok_show(k, buf, sizeof buf));
    if (k->num >= MAX_INDEX) FAIL(p, k->col, "the index %llu is too large (at most %u)", (unsigned long long)k->num,
                                  MAX_INDEX - 1);
    p->i++;
    if (parse_cur(p)->kind != TOK_RBRACKET)
        FAIL(p, parse_cur(p)->col, "expected ']' after the index, found %s",
             parse_tok_show(parse_cur(p), buf, sizeof buf));
    p->i++;
    n = snprintf(name, sizeof name, "%.*s[%u]", (int)t->len, t->text, (unsigned)k->num);
    *slot = parse_find_name(p, name, (size_t)n);
    if (*slot >= 0) return true;
    if (p->borrowed)
        FAIL(p, k->col, "%s is not used by the scenario, so it has no value here", name);
    scn_script_t *s = p->s;
    if (!ps_grow(s->alloc, (void **)&s->elems, &s->capelems, s->nelems + 1, sizeof *s->elems)) {
        p->oom = true;
        FAIL(p, k->col, "out of memory");
    }
    if (!parse_add_name(p, name, (size_t)n, k->col, slot)) return false;
    s->elems[s->nelems++] = (scn_elem_t){ (uint32_t)array, (uint32_t)k->num, (uint32_t)*slot };
    return true;
}
