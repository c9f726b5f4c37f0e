/* Known differences: rules that say what differs between the simulator and
 * the Win32 backend, and why, so that a comparison shows them without
 * failing. A rule names a scenario glob, a statement, a field glob and
 * conditions (the format is documented at the top of
 * tests/win32/known-differences.txt); a rule that covered a compared
 * scenario but matched nothing is stale, and reported. */
#include "compare.h"
#include "fe_file.h"
#include <stdlib.h>
#include <string.h>

typedef enum {
    COND_SIM,       /* sim=V: the field's value on the simulator            */
    COND_WIN32,     /* win32=V: on Windows                                  */
    COND_IF,        /* if:F=V: field F on both sides                        */
    COND_IF_SIM,    /* sim:F=V                                              */
    COND_IF_WIN32,  /* win32:F=V                                            */
    COND_ARG,       /* argN=V: the statement's Nth argument as written      */
    COND_CHECKS,    /* checks:OP.FIELD: what an expect checks               */
    COND_AS,        /* as:A=B: win32's value is the simulator's, A as B     */
    COND_ON,        /* on:P: Windows ran on platform P (windows, wine)      */
    COND_SELDOM,    /* seldom: a case a run seldom reaches (never stale)    */
} cond_kind_t;

typedef struct cond {
    cond_kind_t kind;
    unsigned arg;
    char *field;    /* if:, sim:, win32: (as: its A)                        */
    char *value;    /* a glob                                               */
} cond_t;

typedef struct rule {
    unsigned line;
    char *scenario, *op, *field, *reason;
    cond_t *cond;
    size_t ncond;
    uint64_t hits;
    uint64_t covered;   /* compared scenarios its scenario glob matched     */
    char *text;         /* the line as written, for the stale report        */
} rule_t;

struct cmp_rules {
    char *path;
    rule_t *r;
    size_t n, cap;
};

/* Globs. -------------------------------------------------------------------- */

bool cmp_glob(const char *p, const char *s)
{
    for (;; p++, s++) {
        if (*p == '*') {
            while (*p == '*') p++;
            if (!*p) return true;
            for (; *s; s++)
                if (cmp_glob(p, s)) return true;
            return false;
        }
        if (*p == '\\' && p[1]) p++;
        else if (*p == '?' && *s) continue;
        if (*p != *s) return false;
        if (!*p) return true;
    }
}

bool cmp_glob_path(const char *pattern, const char *path)
{
    size_t n = strlen(path);
    char *norm = malloc(n + 1);
    if (!norm) return false;
    for (size_t i = 0; i <= n; i++) norm[i] = path[i] == '\\' ? '/' : path[i];
    bool ok = false;
    for (size_t i = 0; i < n && !ok; i++)
        if (i == 0 || norm[i - 1] == '/') ok = cmp_glob(pattern, norm + i);
    free(norm);
    return ok;
}

/* Statement arguments. ------------------------------------------------------ */

static bool is_ident(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* The end of a string literal that starts at p (its quote), or e. */
static const char *skip_string(const char *p, const char *e)
{
    for (p++; p < e && *p != '"'; p++)
        if (*p == '\\' && p + 1 < e) p++;
    return p < e ? p + 1 : e;
}

/* Where the statement's arguments start: after "NAME =" and its name. */
static const char *args_start(const char *p, const char *e)
{
    while (p < e && (*p == ' ' || *p == '\t')) p++;
    const char *q = p;
    while (q < e && is_ident(*q)) q++;
    const char *r = q;
    while (r < e && (*r == ' ' || *r == '\t')) r++;
    if (q > p && r < e && *r == '=' && (r + 1 >= e || r[1] != '=')) p = r + 1;
    while (p < e && (*p == ' ' || *p == '\t')) p++;
    while (p < e && (is_ident(*p) || *p == '.' || *p == '!')) p++;
    while (p < e && (*p == ' ' || *p == '\t')) p++;
    return p;
}

static bool is_op(char c)
{
    return c == '+' || c == '-' || c == '*' || c == '|';
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Where the argument that starts at p ends: at a comma or the closing
 * parenthesis of a call, for a call; else at spaces between two operands
 * (`read p + 0x1B000 4` has two arguments, p + 0x1B000 and 4). */
static const char *arg_end(const char *p, const char *e, bool call)
{
    int depth = 0;
    char prev = 0; /* the last character that is not a space */
    for (; p < e; p++) {
        if (*p == '"') {
            p = skip_string(p, e) - 1;
            prev = '"';
            continue;
        }
        if (*p == ')' && !depth) return p;
        depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
        if (!depth && call && *p == ',') return p;
        if (!depth && !call && is_space(*p)) {
            const char *q = p;
            while (q < e && is_space(*q)) q++;
            if (q < e && prev && !is_op(prev) && !is_op(*q)) return p;
            p = q - 1;
            continue;
        }
        prev = *p;
    }
    return e;
}

/* Copies [b, e) into buf without the spaces outside strings. */
static void put_compact(const char *b, const char *e, char *buf, size_t n)
{
    size_t k = 0;
    for (const char *p = b; p < e && k + 1 < n; p++) {
        if (*p == '"') {
            const char *q = skip_string(p, e);
            while (p < q && k + 1 < n) buf[k++] = *p++;
            p--;
        } else if (!is_space(*p)) {
            buf[k++] = *p;
        }
    }
    buf[k] = 0;
}

bool cmp_statement_arg(const char *src, size_t len, unsigned n, char *buf, size_t bufn)
{
    const char *e = src, *end = src + len;
    while (e < end && *e != '#') e = *e == '"' ? skip_string(e, end) : e + 1;
    const char *p = args_start(src, e);
    bool call = p < e && *p == '(';
    p += call;
    for (unsigned k = 1;; k++) {
        while (p < e && is_space(*p)) p++;
        if (p >= e || *p == ')') return false;
        const char *q = arg_end(p, e, call);
        if (k == n) {
            put_compact(p, q, buf, bufn);
            return true;
        }
        if (call && (q >= e || *q != ',')) return false;
        p = q + call;
    }
}

/* Reading the rules. -------------------------------------------------------- */

static char *dup_s(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

static bool all_stars(const char *s)
{
    for (; *s; s++)
        if (*s != '*') return false;
    return true;
}

/* The condition in word (a condition's syntax), into *c; false when word
 * is not a condition (the reason starts there). */
static bool parse_cond(const char *word, cond_t *c)
{
    memset(c, 0, sizeof *c);
    const char *v = NULL;
    if (!strncmp(word, "sim=", 4)) c->kind = COND_SIM, v = word + 4;
    else if (!strncmp(word, "win32=", 6)) c->kind = COND_WIN32, v = word + 6;
    else if (!strncmp(word, "checks:", 7)) c->kind = COND_CHECKS, v = word + 7;
    else if (!strncmp(word, "on:", 3)) c->kind = COND_ON, v = word + 3;
    else if (!strcmp(word, "seldom")) c->kind = COND_SELDOM, v = "";
    else if (!strncmp(word, "arg", 3) && word[3] >= '1' && word[3] <= '9' && word[4] == '=')
        c->kind = COND_ARG, c->arg = (unsigned)(word[3] - '0'), v = word + 5;
    else {
        const char *f = !strncmp(word, "if:", 3) ? word + 3 : !strncmp(word, "sim:", 4) ? word + 4
                      : !strncmp(word, "win32:", 6) ? word + 6 : !strncmp(word, "as:", 3) ? word + 3 : NULL;
        const char *eq = f ? strchr(f, '=') : NULL;
        if (!eq || eq == f) return false;
        c->kind = word[0] == 'i' ? COND_IF : word[0] == 's' ? COND_IF_SIM : word[0] == 'w' ? COND_IF_WIN32 : COND_AS;
        c->field = dup_s(f, (size_t)(eq - f));
        v = eq + 1;
    }
    c->value = dup_s(v, strlen(v));
    return true;
}

/* The next word of *p (advanced past it), its length in *n; NULL at the end. */
static const char *next_word(const char **p, size_t *n)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t') s++;
    if (!*s) return NULL;
    const char *b = s;
    while (*s && *s != ' ' && *s != '\t') s++;
    *n = (size_t)(s - b);
    *p = s;
    return b;
}

static const char *check_rule(const rule_t *r)
{
    bool checks = false;
    for (size_t i = 0; i < r->ncond; i++) checks |= r->cond[i].kind == COND_CHECKS;
    if (all_stars(r->scenario) && all_stars(r->op) && all_stars(r->field))
        return "a rule must name a scenario, a statement or a field (not * for all three)";
    if (!strcmp(r->op, "expect") && !checks)
        return "an expect rule needs checks:STATEMENT.FIELD (what the expect checks)";
    if (strcmp(r->op, "expect") && checks) return "checks: is for expect rules only";
    for (size_t i = 0; i < r->ncond; i++)
        if (r->cond[i].kind == COND_SELDOM && strncmp(r->scenario, "random/", 7))
            return "seldom is for the random sequences' rules only (random/...)";
    if (!r->reason[0]) return "a known difference needs a reason";
    return NULL;
}

/* Fills r from one line of text (no comment, not blank). */
static const char *parse_rule(const char *text, rule_t *r)
{
    const char *p = text, *w[3];
    size_t n[3];
    for (int i = 0; i < 3; i++)
        if (!(w[i] = next_word(&p, &n[i]))) return "want SCENARIO STATEMENT FIELD [CONDITION...] REASON";
    r->scenario = dup_s(w[0], n[0]);
    r->op = dup_s(w[1], n[1]);
    r->field = dup_s(w[2], n[2]);
    const char *before = p, *word;
    size_t wn;
    while ((word = next_word(&p, &wn))) {
        char *s = dup_s(word, wn);
        cond_t c;
        bool is_cond = s && parse_cond(s, &c);
        free(s);
        if (!is_cond) break;
        cond_t *nc = realloc(r->cond, (r->ncond + 1) * sizeof *nc);
        if (!nc) return "out of memory";
        r->cond = nc;
        r->cond[r->ncond++] = c;
        before = p;
    }
    while (*before == ' ' || *before == '\t') before++;
    r->reason = dup_s(before, strlen(before));
    r->text = dup_s(text, strlen(text));
    if (!r->scenario || !r->op || !r->field || !r->reason || !r->text) return "out of memory";
    return check_rule(r);
}

static void rule_free(rule_t *r)
{
    for (size_t i = 0; i < r->ncond; i++) {
        free(r->cond[i].field);
        free(r->cond[i].value);
    }
    free(r->cond);
    free(r->scenario);
    free(r->op);
    free(r->field);
    free(r->reason);
    free(r->text);
}

void cmp_rules_free(cmp_rules_t *rules)
{
    if (!rules) return;
    for (size_t i = 0; i < rules->n; i++) rule_free(&rules->r[i]);
    free(rules->r);
    free(rules->path);
    free(rules);
}

/* Adds the rule on line (its text, comment and newline gone). */
static const char *add_line(cmp_rules_t *rules, const char *text, unsigned line)
{
    if (rules->n == rules->cap) {
        size_t ncap = rules->cap ? rules->cap * 2 : 32;
        rule_t *nr = realloc(rules->r, ncap * sizeof *nr);
        if (!nr) return "out of memory";
        rules->r = nr;
        rules->cap = ncap;
    }
    rule_t *r = &rules->r[rules->n++];
    memset(r, 0, sizeof *r);
    r->line = line;
    return parse_rule(text, r);
}

static bool load_text(cmp_rules_t *rules, char *text, size_t len, char *err, size_t errn)
{
    unsigned line = 1;
    for (char *p = text, *end = text + len; p < end; line++) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *e = nl ? nl : end;
        *e = 0;
        while (e > p && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t')) *--e = 0;
        char *s = p;
        while (*s == ' ' || *s == '\t') s++;
        if (*s && *s != '#') {
            const char *why = add_line(rules, s, line);
            if (why) {
                snprintf(err, errn, "%s:%u: %s", rules->path, line, why);
                return false;
            }
        }
        p = nl ? nl + 1 : end;
    }
    return true;
}

cmp_rules_t *cmp_rules_load(const char *path, char *err, size_t errn)
{
    size_t len;
    const char *why;
    char *text = fe_read_file(path, &len, &why);
    if (!text) {
        snprintf(err, errn, "%s: cannot read the known differences: %s", path, why);
        return NULL;
    }
    cmp_rules_t *rules = calloc(1, sizeof *rules);
    if (rules) rules->path = dup_s(path, strlen(path));
    if (!rules || !rules->path) {
        snprintf(err, errn, "out of memory");
        free(text);
        cmp_rules_free(rules);
        return NULL;
    }
    bool ok = load_text(rules, text, len, err, errn);
    free(text);
    if (!ok) {
        cmp_rules_free(rules);
        return NULL;
    }
    return rules;
}

/* Matching. ----------------------------------------------------------------- */

/* Whether rule r applies on platform (all its on: conditions hold). */
static bool applies_on(const rule_t *r, const char *platform)
{
    for (size_t i = 0; i < r->ncond; i++)
        if (r->cond[i].kind == COND_ON && !cmp_glob(r->cond[i].value, platform)) return false;
    return true;
}

void cmp_rules_enter(cmp_rules_t *rules, const char *scenario, const char *platform)
{
    for (size_t i = 0; rules && i < rules->n; i++)
        if (cmp_glob_path(rules->r[i].scenario, scenario) && applies_on(&rules->r[i], platform)) rules->r[i].covered++;
}

/* Whether b is a with every A in it written as B (and a has an A). */
static bool rewritten(const char *a, const char *b, const char *from, const char *to)
{
    size_t fl = strlen(from), tl = strlen(to);
    bool any = false;
    while (*a) {
        if (!strncmp(a, from, fl)) {
            if (strncmp(b, to, tl)) return false;
            a += fl;
            b += tl;
            any = true;
        } else if (*a++ != *b++) {
            return false;
        }
    }
    return any && !*b;
}

static bool cond_holds(const cond_t *c, const cmp_diff_t *d)
{
    char buf[512];
    switch (c->kind) {
    case COND_SIM: return cmp_glob(c->value, cmp_result_text(d->sim, d->field));
    case COND_WIN32: return cmp_glob(c->value, cmp_result_text(d->w32, d->field));
    case COND_IF:
        return cmp_glob(c->value, cmp_result_text(d->sim, c->field)) &&
               cmp_glob(c->value, cmp_result_text(d->w32, c->field));
    case COND_IF_SIM: return cmp_glob(c->value, cmp_result_text(d->sim, c->field));
    case COND_IF_WIN32: return cmp_glob(c->value, cmp_result_text(d->w32, c->field));
    case COND_ARG:
        return cmp_statement_arg(d->source, d->source_len, c->arg, buf, sizeof buf) && cmp_glob(c->value, buf);
    case COND_AS:
        return rewritten(cmp_result_text(d->sim, d->field), cmp_result_text(d->w32, d->field), c->field, c->value);
    case COND_ON: return cmp_glob(c->value, d->platform);
    case COND_SELDOM: return true;
    case COND_CHECKS:
        if (!d->checked_op || !d->checked_known) return false;
        snprintf(buf, sizeof buf, "%s.%s", d->checked_op, d->checked_field);
        return cmp_glob(c->value, buf);
    }
    return false;
}

static bool rule_matches(const rule_t *r, const cmp_diff_t *d)
{
    if (!cmp_glob(r->op, d->op) || !cmp_glob(r->field, d->field) || !cmp_glob_path(r->scenario, d->scenario))
        return false;
    for (size_t i = 0; i < r->ncond; i++)
        if (!cond_holds(&r->cond[i], d)) return false;
    return true;
}

const char *cmp_rules_match(cmp_rules_t *rules, const cmp_diff_t *d, char *where, size_t n)
{
    for (size_t i = 0; rules && i < rules->n; i++) {
        rule_t *r = &rules->r[i];
        if (!rule_matches(r, d)) continue;
        r->hits++;
        snprintf(where, n, "%s:%u", rules->path, r->line);
        return r->reason;
    }
    return NULL;
}

size_t cmp_rules_report_stale(const cmp_rules_t *rules, FILE *f)
{
    size_t stale = 0;
    for (size_t i = 0; rules && i < rules->n; i++) {
        const rule_t *r = &rules->r[i];
        bool seldom = false;
        for (size_t k = 0; k < r->ncond; k++) seldom |= r->cond[k].kind == COND_SELDOM;
        if (!r->covered || r->hits || seldom) continue;
        fprintf(f, "stale rule at %s:%u: it matched no difference in the %llu compared scenario%s it covers: %s\n",
                rules->path, r->line, (unsigned long long)r->covered, r->covered == 1 ? "" : "s", r->text);
        stale++;
    }
    return stale;
}
