/* Fuzzes the scenario language: the input is a scenario. When it parses it
 * runs statement by statement (on a small machine unless it configures
 * another, see fuzz.h), the memory manager's invariants checked after
 * every statement and every result formatted both ways (each JSON line
 * must be valid JSON). Halfway, a clone is taken; the rest runs on the
 * original and on the clone, which must print the same, byte for byte. */
#include "fuzz.h"
#include "pagesim/format.h"
#include "pagesim/strbuf.h"
#include <stdlib.h>
#include <string.h>

/* Statements run at most (the parser sees them all), and the work budget
 * of each runner (see fuzz.h): with the invariant check after every
 * statement, a few seconds under ASan at worst. */
enum { MAX_STATEMENTS = 128 };
#define BUDGET (1u << 20)

/* Lines the harness put in front of the input (fuzz.h): messages give the
 * input's line numbers. */
static uint32_t line_offset;

typedef struct side {
    const char *who;
    scn_runner_t *r;
    fuzz_budget_t budget;
    strbuf_t json, text;
    scn_error_t err;
    uint32_t line;
} side_t;

static void check_error(const scn_error_t *err, const char *what)
{
    if (!memchr(err->msg, '\0', sizeof err->msg)) fuzz_fail("%s: the error message is not terminated", what);
    if (!err->msg[0]) fuzz_fail("%s: an error without a message (line %u, col %u)", what, err->line, err->col);
}

/* Runs one statement of x, formats it and checks the machine. */
static scn_step_t step(const scn_script_t *s, side_t *x)
{
    scn_result_t res;
    memset(&x->err, 0, sizeof x->err);
    fuzz_budget = &x->budget;
    scn_step_t st = scn_step(x->r, &res, &x->err);
    fuzz_budget = NULL;
    strbuf_clear(&x->json);
    strbuf_clear(&x->text);
    x->line = st == SCN_STEP_ERROR && x->err.line > line_offset ? x->err.line - line_offset : 0;
    if (st == SCN_STEP_OK) {
        x->line = res.line - line_offset;
        scn_format_json(&x->json, &res);
        scn_format_text(&x->text, s, &res);
        const char *bad = fuzz_json_line_error(strbuf_str(&x->json), x->json.len);
        if (bad) fuzz_fail("%s, line %u: the JSON line is wrong (%s): %s", x->who, x->line, bad, strbuf_str(&x->json));
    } else if (st == SCN_STEP_ERROR) {
        check_error(&x->err, x->who);
    }
    char msg[512];
    if (!scn_runner_check(x->r, msg, sizeof msg))
        fuzz_fail("%s: invariant broken after the statement on line %u: %s", x->who, x->line, msg);
    return st;
}

/* The script's accessors agree with each other. */
static void check_script(const scn_script_t *s)
{
    size_t n = scn_script_count(s);
    uint32_t last = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = 0;
        const char *src = scn_script_source(s, i, &len);
        uint32_t line = scn_script_line(s, i);
        if ((unsigned)scn_script_verb(s, i) >= SCN_VERB_COUNT) fuzz_fail("statement %zu: verb out of range", i);
        if (line <= last) fuzz_fail("statement %zu: line %u after line %u", i, line, last);
        if (!src || memchr(src, '\n', len)) fuzz_fail("statement %zu (line %u): bad source text", i, line);
        last = line;
    }
    if (scn_script_bare(s) != (n > 0 && scn_script_verb(s, 0) == SCN_MACHINE))
        fuzz_fail("scn_script_bare disagrees with the first statement");
}

static void side_init(side_t *x, const char *who, scn_runner_t *r, fuzz_budget_t budget)
{
    memset(x, 0, sizeof *x);
    x->who = who;
    x->r = r;
    x->budget = budget;
    strbuf_init(&x->json, NULL);
    strbuf_init(&x->text, NULL);
}

static void side_fini(side_t *x)
{
    strbuf_fini(&x->json);
    strbuf_fini(&x->text);
    scn_runner_free(x->r);
}

static void same(const side_t *a, const side_t *b, scn_step_t sa, scn_step_t sb)
{
    if (sa != sb) fuzz_fail("the clone's step status %d differs from the original's %d (line %u)", sb, sa, a->line);
    if (sa == SCN_STEP_ERROR &&
        (a->err.line != b->err.line || a->err.col != b->err.col || strcmp(a->err.msg, b->err.msg) != 0))
        fuzz_fail("the clone's error differs:\n  original %u:%u: %s\n  clone    %u:%u: %s", a->err.line, a->err.col,
                  a->err.msg, b->err.line, b->err.col, b->err.msg);
    if (strcmp(strbuf_str(&a->json), strbuf_str(&b->json)) != 0)
        fuzz_fail("the clone's JSON differs (line %u):\n  original %s  clone    %s", a->line, strbuf_str(&a->json),
                  strbuf_str(&b->json));
    if (strcmp(strbuf_str(&a->text), strbuf_str(&b->text)) != 0)
        fuzz_fail("the clone's text differs (line %u):\n--- original\n%s--- clone\n%s", a->line, strbuf_str(&a->text),
                  strbuf_str(&b->text));
    if (a->budget.left != b->budget.left || a->budget.out != b->budget.out)
        fuzz_fail("the clone did a different amount of work (line %u)", a->line);
    if (scn_runner_position(a->r) != scn_runner_position(b->r) ||
        scn_runner_failed_expects(a->r) != scn_runner_failed_expects(b->r))
        fuzz_fail("the clone's position or failed expects differ (line %u)", a->line);
}

/* Parses text; false (the error checked) when it does not parse. */
static bool parse(const char *text, size_t len, scn_script_t **s)
{
    scn_error_t err;
    memset(&err, 0, sizeof err);
    ps_result_t pr = scn_parse(fuzz_alloc(), text, len, s, &err);
    if (pr == PS_OK) return true;
    if (pr != PS_EINVAL) fuzz_fail("scn_parse returned %d (%s)", pr, ps_result_str(pr));
    check_error(&err, "scn_parse");
    return false;
}

static void run(const scn_script_t *s)
{
    size_t n = scn_script_count(s);
    if (n > MAX_STATEMENTS) n = MAX_STATEMENTS;
    scn_runner_t *r;
    if (scn_runner_new_backend(fuzz_alloc(), s, fuzz_budget_backend(), NULL, &r) != PS_OK)
        fuzz_fail("scn_runner_new failed");
    side_t a, b;
    side_init(&a, "original", r, (fuzz_budget_t){ BUDGET, false });
    scn_step_t st = SCN_STEP_OK;
    size_t i = 0;
    for (; i < n / 2 && st == SCN_STEP_OK && !a.budget.out; i++) st = step(s, &a);
    if (st == SCN_STEP_OK && !a.budget.out) {
        scn_runner_t *c = scn_runner_clone(a.r);
        if (!c) fuzz_fail("scn_runner_clone returned NULL before statement %zu", i);
        side_init(&b, "clone", c, a.budget);
        if (scn_runner_position(b.r) != i || scn_runner_failed_expects(b.r) != scn_runner_failed_expects(a.r))
            fuzz_fail("the clone's position or failed expects differ from the original's");
        /* The front ends make the process of a cloned runner early; the
         * output must not change. */
        if (!scn_runner_prepare(b.r)) fuzz_fail("scn_runner_prepare failed on the clone");
        char msg[512];
        if (!scn_runner_check(b.r, msg, sizeof msg)) fuzz_fail("clone: invariant broken as cloned: %s", msg);
        for (; i < n && st == SCN_STEP_OK && !a.budget.out; i++) {
            st = step(s, &a);
            same(&a, &b, st, step(s, &b));
        }
        side_fini(&b);
    }
    side_fini(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    scn_script_t *s;
    if (!parse((const char *)data, size, &s)) return 0;
    check_script(s);
    if (!scn_script_bare(s)) {
        /* A small machine unless the scenario configures another (fuzz.h). */
        scn_script_free(s);
        size_t len;
        char *text = fuzz_small_machine((const char *)data, size, &len);
        if (!parse(text, len, &s)) fuzz_fail("the scenario does not parse with '%.*s' in front of it",
                                             (int)sizeof FUZZ_CONFIG_LINE - 2, FUZZ_CONFIG_LINE);
        check_script(s);
        line_offset = 1;
        run(s);
        scn_script_free(s);
        free(text);
        return 0;
    }
    line_offset = 0;
    run(s);
    scn_script_free(s);
    return 0;
}
