/* A small JSON reader for the lines `pagesim run --json` prints: one object
 * a line, of strings, numbers, true, false, null and objects, which it
 * flattens ("mbi": {"State": ...} is the field "mbi.State"). */
#include "compare.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
    const char *s, *end;
    char *err;
    size_t errn;
    cmp_result_t *out;
} reader_t;

static bool fail(reader_t *rd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rd->err, rd->errn, fmt, ap);
    va_end(ap);
    return false;
}

static void skip_space(reader_t *rd)
{
    while (rd->s < rd->end && (*rd->s == ' ' || *rd->s == '\t' || *rd->s == '\r' || *rd->s == '\n')) rd->s++;
}

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Appends code point cp as UTF-8 to b (room for 4 bytes). */
static size_t put_utf8(char *b, unsigned cp)
{
    if (cp < 0x80) { b[0] = (char)cp; return 1; }
    if (cp < 0x800) { b[0] = (char)(0xC0 | cp >> 6); b[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        b[0] = (char)(0xE0 | cp >> 12); b[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); b[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    b[0] = (char)(0xF0 | cp >> 18); b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); b[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* A \u escape's four hex digits at rd->s (after the u). */
static bool read_u4(reader_t *rd, unsigned *cp)
{
    if (rd->end - rd->s < 4) return fail(rd, "a \\u escape needs four hex digits");
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int d = hex_digit(rd->s[i]);
        if (d < 0) return fail(rd, "a \\u escape needs four hex digits");
        v = v << 4 | (unsigned)d;
    }
    rd->s += 4;
    *cp = v;
    return true;
}

/* One escape after the backslash, appended to b at *k. */
static bool read_escape(reader_t *rd, char *b, size_t *k)
{
    char c = *rd->s++;
    const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
    const char *at = c ? strchr(from, c) : NULL;
    if (at) {
        b[(*k)++] = to[at - from];
        return true;
    }
    if (c != 'u') return fail(rd, "unknown escape \\%c", c);
    unsigned cp;
    if (!read_u4(rd, &cp)) return false;
    if (cp >= 0xD800 && cp < 0xDC00 && rd->end - rd->s >= 6 && rd->s[0] == '\\' && rd->s[1] == 'u') {
        unsigned lo;
        rd->s += 2;
        if (!read_u4(rd, &lo)) return false;
        if (lo >= 0xDC00 && lo < 0xE000) cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    }
    *k += put_utf8(b + *k, cp);
    return true;
}

/* A string at rd->s (its opening quote), decoded into a malloc'd *out. */
static bool read_string(reader_t *rd, char **out)
{
    rd->s++;
    const char *q = rd->s;
    while (q < rd->end && *q != '"') q += *q == '\\' && q + 1 < rd->end ? 2 : 1;
    if (q >= rd->end) return fail(rd, "a string does not end");
    char *b = malloc((size_t)(q - rd->s) * 2 + 1);
    if (!b) return fail(rd, "out of memory");
    size_t k = 0;
    while (rd->s < q) {
        if (*rd->s != '\\') {
            b[k++] = *rd->s++;
            continue;
        }
        rd->s++;
        if (!read_escape(rd, b, &k)) {
            free(b);
            return false;
        }
    }
    rd->s = q + 1;
    b[k] = 0;
    *out = b;
    return true;
}

static bool add_field(reader_t *rd, const char *prefix, const char *key, char *text, bool string)
{
    cmp_result_t *r = rd->out;
    size_t pl = strlen(prefix), kl = strlen(key);
    char *full = malloc(pl + kl + 1);
    if (full && r->n == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 16;
        cmp_field_t *nf = realloc(r->f, ncap * sizeof *nf);
        if (nf) {
            r->f = nf;
            r->cap = ncap;
        }
    }
    if (!full || r->n == r->cap) {
        free(full);
        free(text);
        return fail(rd, "out of memory");
    }
    memcpy(full, prefix, pl);
    memcpy(full + pl, key, kl + 1);
    r->f[r->n++] = (cmp_field_t){ full, text, string };
    return true;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* A literal at rd->s: true, false, null, or a number (-?digits, a
 * fraction, an exponent). */
static bool read_literal(reader_t *rd, char **out)
{
    const char *b = rd->s;
    bool word = *b >= 'a' && *b <= 'z';
    if (word)
        while (rd->s < rd->end && *rd->s >= 'a' && *rd->s <= 'z') rd->s++;
    else
        while (rd->s < rd->end && (is_digit(*rd->s) || strchr("+-.eE", *rd->s))) rd->s++;
    size_t n = (size_t)(rd->s - b);
    bool ok = word ? (n == 4 && (!memcmp(b, "true", 4) || !memcmp(b, "null", 4))) || (n == 5 && !memcmp(b, "false", 5))
                   : n && (is_digit(b[0]) || (b[0] == '-' && n > 1 && is_digit(b[1])));
    if (!ok) return fail(rd, "not a JSON value");
    if (!(*out = dup_n(b, n))) return fail(rd, "out of memory");
    return true;
}

static bool read_object(reader_t *rd, const char *prefix, int depth);

/* The value of key (prefix before it), added as fields. */
static bool read_value(reader_t *rd, const char *prefix, const char *key, int depth)
{
    skip_space(rd);
    if (rd->s >= rd->end) return fail(rd, "a value is missing");
    if (*rd->s == '{') {
        size_t pl = strlen(prefix), kl = strlen(key);
        char *sub = malloc(pl + kl + 2);
        if (!sub) return fail(rd, "out of memory");
        memcpy(sub, prefix, pl);
        memcpy(sub + pl, key, kl);
        memcpy(sub + pl + kl, ".", 2);
        bool ok = read_object(rd, sub, depth + 1);
        free(sub);
        return ok;
    }
    if (*rd->s == '[') return fail(rd, "arrays are not expected");
    char *text;
    bool string = *rd->s == '"';
    if (!(string ? read_string(rd, &text) : read_literal(rd, &text))) return false;
    return add_field(rd, prefix, key, text, string);
}

static bool read_object(reader_t *rd, const char *prefix, int depth)
{
    if (depth > 8) return fail(rd, "objects nested too deep");
    rd->s++; /* { */
    skip_space(rd);
    if (rd->s < rd->end && *rd->s == '}') {
        rd->s++;
        return true;
    }
    for (;;) {
        skip_space(rd);
        if (rd->s >= rd->end || *rd->s != '"') return fail(rd, "a key is missing");
        char *key;
        if (!read_string(rd, &key)) return false;
        skip_space(rd);
        bool ok = rd->s < rd->end && *rd->s == ':';
        if (ok) rd->s++;
        ok = ok ? read_value(rd, prefix, key, depth) : fail(rd, "':' is missing after a key");
        free(key);
        if (!ok) return false;
        skip_space(rd);
        if (rd->s < rd->end && *rd->s == ',') {
            rd->s++;
            continue;
        }
        if (rd->s < rd->end && *rd->s == '}') {
            rd->s++;
            return true;
        }
        return fail(rd, "',' or '}' is missing");
    }
}

static void result_clear(cmp_result_t *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->f[i].key);
        free(r->f[i].text);
    }
    free(r->f);
    memset(r, 0, sizeof *r);
}

/* "line" and "op", which every result has. */
static bool result_head(cmp_result_t *r, char *err, size_t errn)
{
    const cmp_field_t *line = cmp_result_get(r, "line"), *op = cmp_result_get(r, "op");
    char *end = NULL;
    unsigned long v = line && !line->string ? strtoul(line->text, &end, 10) : 0;
    if (!line || line->string || !end || *end || !v || v > UINT32_MAX || !op || !op->string) {
        snprintf(err, errn, "not a result (it needs \"line\" and \"op\")");
        return false;
    }
    r->line = (uint32_t)v;
    r->op = op->text;
    return true;
}

bool cmp_json_parse(const char *text, size_t len, cmp_result_t *out, char *err, size_t errn)
{
    memset(out, 0, sizeof *out);
    reader_t rd = { text, text + len, err, errn, out };
    skip_space(&rd);
    bool ok = rd.s < rd.end && *rd.s == '{' ? read_object(&rd, "", 0) : fail(&rd, "not a JSON object");
    if (ok) {
        skip_space(&rd);
        if (rd.s != rd.end) ok = fail(&rd, "text after the object");
    }
    if (ok) ok = result_head(out, err, errn);
    if (!ok) result_clear(out);
    return ok;
}

bool cmp_run_add_lines(cmp_run_t *run, const char *text, size_t len, char *err, size_t errn)
{
    const char *p = text, *end = text + len;
    for (unsigned n = 1; p < end; n++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        const char *q = p;
        while (q < e && (*q == ' ' || *q == '\r' || *q == '\t')) q++;
        if (q < e) {
            if (run->n == run->cap) {
                size_t ncap = run->cap ? run->cap * 2 : 64;
                cmp_result_t *nr = realloc(run->r, ncap * sizeof *nr);
                if (!nr) {
                    snprintf(err, errn, "out of memory");
                    return false;
                }
                run->r = nr;
                run->cap = ncap;
            }
            char why[256];
            if (!cmp_json_parse(p, (size_t)(e - p), &run->r[run->n], why, sizeof why)) {
                snprintf(err, errn, "line %u: %s", n, why);
                return false;
            }
            run->n++;
        }
        p = nl ? nl + 1 : end;
    }
    return true;
}

const cmp_field_t *cmp_result_get(const cmp_result_t *r, const char *key)
{
    for (size_t i = 0; r && i < r->n; i++)
        if (strcmp(r->f[i].key, key) == 0) return &r->f[i];
    return NULL;
}

const char *cmp_result_text(const cmp_result_t *r, const char *key)
{
    const cmp_field_t *f = cmp_result_get(r, key);
    return f ? f->text : "<absent>";
}

const cmp_result_t *cmp_run_find(const cmp_run_t *run, uint32_t line)
{
    for (size_t i = 0; i < run->n; i++)
        if (run->r[i].line == line) return &run->r[i];
    return NULL;
}

void cmp_run_free_results(cmp_run_t *run)
{
    for (size_t i = 0; i < run->n; i++) result_clear(&run->r[i]);
}

void cmp_run_free(cmp_run_t *run)
{
    cmp_run_free_results(run);
    free(run->r);
    memset(run, 0, sizeof *run);
}
