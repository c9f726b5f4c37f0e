/* Two runs of one scenario compared statement by statement, by the rule of
 * docs/scenario-language.md: lines with "skipped" are left out, and so are
 * the RegionSize of a MEM_FREE region and what GlobalMemoryStatus says of
 * the machine; a statement where either side says
 * "conflict" (the host process held the address) is an environment
 * conflict, counted apart, and so is an expect that checks one. Every
 * field that differs is shown side by side, with the reason of the known
 * difference that explains it, if any. */
#include "compare.h"
#include "fe_output.h"
#include "pagesim/strbuf.h"
#include <stdlib.h>
#include <string.h>

/* One differing field of the statement being compared. */
typedef struct row {
    const char *field;
    const char *reason;      /* the known difference's, or NULL            */
    char where[300];
} row_t;

/* The statement an expect checks: the last one before it that is not an
 * expect, and what differed in it. */
typedef struct checked {
    const char *op;          /* NULL before the first                         */
    const cmp_result_t *sim, *w32;
    bool conflict, compared;
    row_t *rows;
    size_t n;
} checked_t;

typedef struct ctx {
    const cmp_opts_t *o;
    const char *scenario;
    const scn_script_t *script;
    cmp_tally_t *t;
    checked_t last;
    row_t *rows;
    size_t n, cap;
} ctx_t;

static bool is_true(const cmp_result_t *r, const char *key)
{
    const cmp_field_t *f = cmp_result_get(r, key);
    return f && !f->string && strcmp(f->text, "true") == 0;
}

/* Whether field takes part in the comparison of r: not the RegionSize of
 * a free region (it depends on what else the process has mapped), nor what
 * GlobalMemoryStatus says of the machine (the host's RAM, page file, load,
 * and what is free), only the size of the process's address space, nor
 * GetProcessMemoryInfo's counters (the host process's: its working set,
 * faults and commit hold far more than the scenario's pages). */
static bool compared_field(const cmp_result_t *r, const char *field)
{
    static const char *const machine[] = { "dwMemoryLoad", "dwTotalPhys", "dwAvailPhys", "dwTotalPageFile",
                                           "dwAvailPageFile", "dwAvailVirtual" };
    if (!strcmp(field, "mbi.RegionSize") && !strcmp(cmp_result_text(r, "mbi.State"), "MEM_FREE")) return false;
    if (!strcmp(r->op, "GetProcessMemoryInfo")) return strcmp(field, "ok") == 0 || strcmp(field, "ret") == 0 ||
                                                    strncmp(field, "error", 5) == 0;
    if (!strcmp(r->op, "GlobalMemoryStatus"))
        for (size_t i = 0; i < sizeof machine / sizeof *machine; i++)
            if (!strcmp(field, machine[i])) return false;
    return true;
}

static bool push_row(ctx_t *c, const char *field)
{
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 16;
        row_t *nr = realloc(c->rows, ncap * sizeof *nr);
        if (!nr) return false;
        c->rows = nr;
        c->cap = ncap;
    }
    memset(&c->rows[c->n], 0, sizeof c->rows[c->n]);
    c->rows[c->n++].field = field;
    return true;
}

static bool listed(const ctx_t *c, const char *field)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->rows[i].field, field)) return true;
    return false;
}

/* The fields of a, then those only b has, that differ between a and b. */
static void differing_fields(ctx_t *c, const cmp_result_t *a, const cmp_result_t *b)
{
    c->n = 0;
    for (int side = 0; side < 2; side++) {
        const cmp_result_t *r = side ? b : a;
        for (size_t i = 0; i < r->n; i++) {
            const char *k = r->f[i].key;
            if (!compared_field(a, k) || !compared_field(b, k) || listed(c, k)) continue;
            const cmp_field_t *fa = cmp_result_get(a, k), *fb = cmp_result_get(b, k);
            if (fa && fb && fa->string == fb->string && !strcmp(fa->text, fb->text)) continue;
            if (!push_row(c, k)) return;
        }
    }
}

/* The JSON key that the expect's left-hand side names in the checked
 * statement's result: itself (ret, mbi.State), or without its prefix
 * (si.dwPageSize is dwPageSize, ms.dwTotalPhys is dwTotalPhys). */
static const char *checked_key(const checked_t *k, const char *lhs)
{
    if (cmp_result_get(k->sim, lhs) || cmp_result_get(k->w32, lhs)) return lhs;
    const char *dot = strchr(lhs, '.');
    return dot ? dot + 1 : lhs;
}

/* What d needs to know about the statement an expect checks. */
static void describe_checked(const ctx_t *c, cmp_diff_t *d, char *lhs, size_t n)
{
    if (strcmp(d->op, "expect") || !c->last.op || !cmp_statement_arg(d->source, d->source_len, 1, lhs, n)) return;
    const char *key = checked_key(&c->last, lhs);
    d->checked_op = c->last.op;
    d->checked_field = key;
    for (size_t i = 0; i < c->last.n; i++)
        if (!strcmp(c->last.rows[i].field, key)) d->checked_known = c->last.rows[i].reason != NULL;
}

/* Shows a value as JSON would (strings quoted), safely, into b. */
static void put_value(strbuf_t *b, const cmp_result_t *r, const char *key)
{
    const cmp_field_t *f = cmp_result_get(r, key);
    const char *t = f ? f->text : "<absent>";
    if (f && f->string) strbuf_putc(b, '"');
    strbuf_put_safe(b, t, strlen(t), 200);
    if (f && f->string) strbuf_putc(b, '"');
}

static size_t value_width(const cmp_result_t *r, const char *key)
{
    strbuf_t b;
    strbuf_init(&b, NULL);
    put_value(&b, r, key);
    size_t n = b.len;
    strbuf_fini(&b);
    return n;
}

static void pad(strbuf_t *b, size_t from, size_t to)
{
    while (from++ < to) strbuf_putc(b, ' ');
}

/* The statement's differing fields, side by side, each with its reason. */
static void show(const ctx_t *c, size_t stmt, const cmp_result_t *a, const cmp_result_t *b)
{
    size_t fw = 5, sw = 9, ww = 5, len;
    for (size_t i = 0; i < c->n; i++) {
        size_t l = strlen(c->rows[i].field), v = value_width(a, c->rows[i].field), w = value_width(b, c->rows[i].field);
        if (l > fw) fw = l;
        if (v > sw) sw = v;
        if (w > ww) ww = w;
    }
    const char *src = scn_script_source(c->script, stmt, &len);
    strbuf_t o;
    strbuf_init(&o, NULL);
    strbuf_put_safe(&o, c->scenario, strlen(c->scenario), 400);
    strbuf_printf(&o, ":%u: ", scn_script_line(c->script, stmt));
    strbuf_put_safe(&o, src, len, 200);
    strbuf_printf(&o, "\n    %-*s  %-*s  %s\n", (int)fw, "field", (int)sw, "simulator", "win32");
    for (size_t i = 0; i < c->n; i++) {
        const row_t *r = &c->rows[i];
        size_t at = o.len;
        strbuf_printf(&o, "    %-*s  ", (int)fw, r->field);
        put_value(&o, a, r->field);
        pad(&o, o.len - at, 4 + fw + 2 + sw + 2);
        put_value(&o, b, r->field);
        pad(&o, o.len - at, 4 + fw + 2 + sw + 2 + ww + 2);
        bool again = r->reason && i && c->rows[i - 1].reason && !strcmp(r->where, c->rows[i - 1].where);
        if (again) strbuf_printf(&o, "known (%s)\n", r->where);
        else if (r->reason) strbuf_printf(&o, "known (%s): %s\n", r->where, r->reason);
        else strbuf_puts(&o, "UNEXPLAINED\n");
    }
    fwrite(strbuf_str(&o), 1, o.len, c->o->out);
    strbuf_fini(&o);
}

/* Explains (or not) each differing field of statement stmt. */
static size_t explain(ctx_t *c, size_t stmt, const cmp_result_t *a, const cmp_result_t *b)
{
    size_t len, unknown = 0;
    char lhs[128];
    cmp_diff_t d = { c->scenario, a->op, NULL, a, b, NULL, 0, NULL, NULL, false, c->o->platform };
    d.source = scn_script_source(c->script, stmt, &len);
    d.source_len = len;
    describe_checked(c, &d, lhs, sizeof lhs);
    for (size_t i = 0; i < c->n; i++) {
        row_t *r = &c->rows[i];
        d.field = r->field;
        r->reason = cmp_rules_match(c->o->rules, &d, r->where, sizeof r->where);
        unknown += !r->reason;
    }
    return unknown;
}

/* Remembers statement a/b (not an expect) for the expects that follow. */
static void remember(ctx_t *c, const cmp_result_t *a, const cmp_result_t *b, bool conflict, bool compared)
{
    free(c->last.rows);
    c->last = (checked_t){ a->op, a, b, conflict, compared, NULL, 0 };
    if (!compared || !c->n) return;
    c->last.rows = malloc(c->n * sizeof *c->rows);
    if (!c->last.rows) return;
    memcpy(c->last.rows, c->rows, c->n * sizeof *c->rows);
    c->last.n = c->n;
}

static void only_one(ctx_t *c, size_t stmt, const cmp_result_t *a)
{
    fprintf(c->o->out, "%s:%u: only the %s ran this statement   UNEXPLAINED\n", c->scenario,
            scn_script_line(c->script, stmt), a ? "simulator" : "win32 backend");
    c->t->diffs++;
}

static void conflict(ctx_t *c, size_t stmt, const char *op, bool expect)
{
    if (!c->o->quiet)
        fprintf(c->o->out, "%s:%u: environment conflict (%s): %s\n", c->scenario, scn_script_line(c->script, stmt), op,
                expect ? "it checks a statement in conflict" : "the host process uses the address");
    c->t->conflicts++;
}

/* One statement: both results a and b, or one of them. */
static void compare_one(ctx_t *c, size_t stmt, const cmp_result_t *a, const cmp_result_t *b)
{
    if (!a || !b) {
        only_one(c, stmt, a);
        return;
    }
    bool expect = !strcmp(a->op, "expect");
    c->n = 0;
    if (cmp_result_get(a, "skipped") || cmp_result_get(b, "skipped")) {
        if (!expect) remember(c, a, b, false, false);
        return;
    }
    bool in_conflict = is_true(a, "conflict") || is_true(b, "conflict") || (expect && c->last.conflict);
    if (in_conflict) {
        conflict(c, stmt, a->op, !is_true(a, "conflict") && !is_true(b, "conflict"));
        if (!expect) remember(c, a, b, true, false);
        return;
    }
    c->t->compared++;
    differing_fields(c, a, b);
    size_t unknown = explain(c, stmt, a, b);
    c->t->diffs += c->n;
    c->t->known += c->n - unknown;
    if (c->n && (unknown || !c->o->quiet)) show(c, stmt, a, b);
    if (!expect) remember(c, a, b, false, true);
}

void cmp_compare_runs(const cmp_opts_t *o, const char *scenario, const scn_script_t *script, const cmp_run_t *sim,
                      const cmp_run_t *w32, cmp_tally_t *t)
{
    ctx_t c = { o, scenario, script, t, { 0 }, NULL, 0, 0 };
    size_t n = scn_script_count(script);
    for (size_t i = 0; i < n; i++) {
        uint32_t line = scn_script_line(script, i);
        const cmp_result_t *a = cmp_run_find(sim, line), *b = cmp_run_find(w32, line);
        if (a || b) compare_one(&c, i, a, b);
    }
    free(c.last.rows);
    free(c.rows);
}
