/* Reference traces as text: the policy and format names, and the refs and
 * lackey parsers, which turn a block of text into packed references in
 * batches (trace_feed) or into a list (trace_parse). */
#include "mem.h"
#include "scn_lex.h"
#include "trace_int.h"
#include <string.h>

#define LACKEY_SIZE_MAX 4096u /* bytes in one lackey access */

bool trace_policy_parse(const char *s, trace_policy_t *out)
{
    static const char *const names[] = { "fifo", "clock", "lru", "opt" };
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (trace_policy_t)i;
            return true;
        }
    return false;
}

bool trace_format_parse(const char *s, trace_format_t *out)
{
    if (strcmp(s, "refs") == 0) *out = TRACE_REFS;
    else if (strcmp(s, "lackey") == 0) *out = TRACE_LACKEY;
    else return false;
    return true;
}

/* ---- Parsing --------------------------------------------------------- */

void trace_cursor_init(trace_cursor_t *c, trace_format_t fmt, uint32_t line_max)
{
    memset(c, 0, sizeof *c);
    c->format = fmt;
    c->line = 1;
    c->line_max = line_max;
}

/* One trace_feed call's text and how far it is parsed. */
typedef struct parse {
    trace_cursor_t *c;
    const char *s;
    size_t len, pos;
    size_t line_start;   /* refs: where the line at pos began (batches end mid-line) */
    size_t safe;         /* one past the text's last newline                 */
    scn_error_t *err;
} parse_t;

static bool is_sep(char c)
{
    return c == ' ' || c == '\t' || c == ',' || c == '\n' || c == '\r';
}

static inline int hexval(char ch)
{
    unsigned c = (unsigned char)ch;
    if (c - '0' < 10u) return (int)(c - '0');
    c |= 0x20;
    if (c - 'a' < 6u) return (int)(c - 'a' + 10);
    return -1;
}

/* Eight bytes at a time where the compiler and the byte order allow. */
#if (defined(__GNUC__) || defined(__clang__)) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HEX8 1
/* The hexadecimal digits among the 8 bytes at q (which must be readable),
 * up to the first other byte: their value, and *len their count. Each
 * byte's tests run in its own lane of a 64-bit word: ASCII bytes plus a
 * constant below 0x80 never carry into the next lane. */
static inline uint64_t hex8(const char *q, unsigned *len)
{
    const uint64_t ones = 0x0101010101010101u, high = ones * 0x80;
    uint64_t w;
    memcpy(&w, q, 8);
    uint64_t w7 = w & ~high, f = w7 | ones * 0x20;
    uint64_t digit = (w7 + ones * (0x80 - '0')) & ~(w7 + ones * (0x80 - '9' - 1));
    uint64_t letter = (f + ones * (0x80 - 'a')) & ~(f + ones * (0x80 - 'f' - 1));
    uint64_t stop = ~(digit | letter) & high;
    stop |= w & high; /* not ASCII */
    unsigned n = stop ? (unsigned)__builtin_ctzll(stop) >> 3 : 8;
    *len = n;
    if (n == 0) return 0;
    uint64_t v = (w7 & ones * 0x0F) + ((w7 >> 6) & ones) * 9; /* each lane's digit value */
    v = __builtin_bswap64(v) >> (64 - 8 * n);                 /* the last digit in the lowest lane */
    v = (v | v >> 4) & 0x00FF00FF00FF00FFu;
    v = (v | v >> 8) & 0x0000FFFF0000FFFFu;
    return (v | v >> 16) & 0xFFFFFFFFu;
}
#else
#define HEX8 0
static inline uint64_t hex8(const char *q, unsigned *len)
{
    (void)q;
    *len = 0;
    return 0;
}
#endif

static bool too_long(const parse_t *p, size_t start, size_t end)
{
    return p->c->line_max && end - start > p->c->line_max;
}

static ps_result_t long_line(const parse_t *p, uint32_t line)
{
    scn_error_set(p->err, line, p->c->line_max + 1, "line longer than %u bytes", p->c->line_max);
    return PS_EINVAL;
}

/* The end of the line holding s[i]: its newline, or the end of the text. */
static size_t line_end(const parse_t *p, size_t i)
{
    const char *nl = memchr(p->s + i, '\n', p->len - i);
    return nl ? (size_t)(nl - p->s) : p->len;
}

static bool lackey_kind(char k)
{
    return k == 'I' || k == 'L' || k == 'S' || k == 'M';
}

/* A lackey line's outcome. */
typedef enum { LINE_REFS, LINE_IGNORED, LINE_BAD, LINE_LONG } line_kind_t;

/* The lackey line at q: " L 04222cac,8" (kind, address, size) gives one
 * reference, or two when the access crosses a page; any other line is
 * ignored. *next: where the next line starts. Bounded: the line may end at
 * p's end without a newline (each byte is checked against it); unbounded:
 * a newline ends it, which stops every scan below. */
static ALWAYS_INLINE line_kind_t lackey_line(const parse_t *p, const char *q, bool bounded, uint32_t *out,
                                             size_t *n, bool *truncated, const char **next)
{
    const char *s = p->s, *end = s + p->len, *l = q;
#define CH(x) ((bounded && (x) >= end) ? '\n' : *(x))
    while (CH(q) == ' ') q++;
    char kind = CH(q);
    line_kind_t r = LINE_REFS;
    uint64_t addr = 0, size = 0;
    if (!lackey_kind(kind) || CH(q + 1) != ' ') {
        r = LINE_IGNORED;
    } else {
        q += 2;
        while (CH(q) == ' ') q++;
        const char *digits = q;
        if (HEX8 && end - q >= 8) {
            unsigned k;
            addr = hex8(q, &k);
            q += k;
        }
        for (int d; (d = hexval(CH(q))) >= 0; q++) addr = addr << 4 | (uint64_t)d;
        if (q - digits > 16) { /* more than 64 bits unless the excess is leading zeros */
            const char *z = digits;
            while (z < q && *z == '0') z++;
            *truncated = q - z > 16;
        }
        if (q > digits && CH(q) == ',' && (unsigned)(CH(q + 1) - '1') < 9u && CH(q + 2) == '\n') {
            size = (uint64_t)(q[1] - '0'); /* the usual ",8\n" */
            q += 2;
        } else if (q > digits && CH(q) == ',')
            for (q++; (unsigned)(CH(q) - '0') < 10u; q++)
                if (size <= LACKEY_SIZE_MAX) size = size * 10 + (uint64_t)(*q - '0'); /* stops past the limit: no wrap-around */
        char t = CH(q);
        if (q == digits || size == 0 || size > LACKEY_SIZE_MAX || (t != '\n' && t != ' ' && t != '\r')) r = LINE_BAD;
    }
#undef CH
    size_t e = (bounded && q >= end) || *q == '\n' ? (size_t)(q - s) : line_end(p, (size_t)(q - s));
    *next = s + e + (e < p->len);
    if (too_long(p, (size_t)(l - s), e)) return LINE_LONG;
    if (r != LINE_REFS) return r;
    if (addr > 0xFFFFFFFFu) *truncated = true;
    bool write = kind == 'S' || kind == 'M';
    uint32_t a = (uint32_t)addr, last = (uint32_t)(addr + size - 1);
    out[(*n)++] = TRACE_REF(a >> 12, write);
    if ((last >> 12) != (a >> 12)) out[(*n)++] = TRACE_REF(last >> 12, write);
    return LINE_REFS;
}

/* Whole lackey lines from p->pos while two more references fit in out[cap]:
 * the lines before the text's last newline unbounded, the rest bounded. */
static ps_result_t lackey_some(parse_t *p, uint32_t *out, size_t cap, size_t *nout)
{
    const char *s = p->s, *end = s + p->len, *q = s + p->pos, *safe = s + p->safe;
    uint32_t line = p->c->line;
    uint64_t truncated = 0;
    size_t n = 0;
    line_kind_t k = LINE_REFS;
    while (q < safe && n + 2 <= cap) {
        bool wide = false;
        k = lackey_line(p, q, false, out, &n, &wide, &q);
        if (k == LINE_LONG || k == LINE_BAD) break;
        truncated += wide;
        line++;
    }
    while (k != LINE_LONG && k != LINE_BAD && q < end && n + 2 <= cap) {
        bool wide = false;
        k = lackey_line(p, q, true, out, &n, &wide, &q);
        if (k == LINE_LONG || k == LINE_BAD) break;
        truncated += wide;
        line += q[-1] == '\n';
    }
    ps_result_t r = PS_OK;
    if (k == LINE_LONG) r = long_line(p, line);
    if (k == LINE_BAD) {
        scn_error_set(p->err, line, 1, "malformed lackey line: want ' L ADDRESS,SIZE' (I, L, S or M)");
        r = PS_EINVAL;
    }
    p->pos = (size_t)(q - s);
    p->c->line = line;
    p->c->truncated += truncated;
    *nout = n;
    return r;
}

/* Page numbers, "2w" for a write, between spaces, tabs, commas and line
 * ends; from p->pos while out[cap] has room. */
static ps_result_t refs_some(parse_t *p, uint32_t *out, size_t cap, size_t *nout)
{
    const char *s = p->s;
    size_t len = p->len, i = p->pos, n = 0;
    uint32_t line = p->c->line;
    ps_result_t r = PS_OK;
    while (i < len && n < cap) {
        if (s[i] == '\n') {
            if (too_long(p, p->line_start, i)) {
                r = long_line(p, line);
                break;
            }
            line++;
            p->line_start = ++i;
            continue;
        }
        if (is_sep(s[i])) {
            i++;
            continue;
        }
        size_t start = i;
        uint64_t v = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            v = v * 10 + (uint64_t)(s[i] - '0');
            if (v >= NPAGES) break;
            i++;
        }
        bool write = false;
        if (i < len && (s[i] == 'w' || s[i] == 'W') && i > start) {
            write = true;
            i++;
        }
        if (i == start || (i < len && !is_sep(s[i])) || v >= NPAGES) {
            if (too_long(p, p->line_start, line_end(p, start))) {
                r = long_line(p, line);
                break;
            }
            size_t end = start;
            while (end < len && !is_sep(s[end])) end++;
            scn_error_set(p->err, line, (uint32_t)(start - p->line_start + 1),
                          "'%.*s' is not a page reference (a page number below 1048576, 'w' after it for a write)",
                          (int)(end - start > 40 ? 40 : end - start), s + start);
            r = PS_EINVAL;
            break;
        }
        out[n++] = TRACE_REF(v, write);
    }
    if (r == PS_OK && i == len && too_long(p, p->line_start, len)) r = long_line(p, line);
    p->pos = i;
    p->c->line = line;
    *nout = n;
    return r;
}

ps_result_t trace_feed(trace_cursor_t *c, const char *text, size_t len, trace_batch_fn batch, void *ud,
                       scn_error_t *err)
{
    uint32_t refs[TRACE_BATCH];
    parse_t p = { c, text, len, 0, 0, len, err };
    while (p.safe > 0 && text[p.safe - 1] != '\n') p.safe--;
    memset(err, 0, sizeof *err);
    ps_result_t r = PS_OK;
    while (r == PS_OK && p.pos < len) {
        size_t n = 0;
        r = c->format == TRACE_LACKEY ? lackey_some(&p, refs, TRACE_BATCH, &n) : refs_some(&p, refs, TRACE_BATCH, &n);
        if (n) batch(ud, refs, n);
    }
    return r;
}

typedef struct emit_to {
    trace_emit_fn emit;
    void *ud;
} emit_to_t;

static void emit_batch(void *ud, const uint32_t *refs, size_t n)
{
    const emit_to_t *e = ud;
    for (size_t i = 0; i < n; i++) e->emit(e->ud, TRACE_REF_VPN(refs[i]), TRACE_REF_WRITE(refs[i]));
}

ps_result_t trace_parse_lines(trace_format_t fmt, const char *text, size_t len, uint32_t first_line,
                              trace_emit_fn emit, void *ud, uint64_t *truncated, scn_error_t *err)
{
    trace_cursor_t c;
    trace_cursor_init(&c, fmt, 0);
    c.line = first_line;
    emit_to_t e = { emit, ud };
    ps_result_t r = trace_feed(&c, text, len, emit_batch, &e, err);
    *truncated += c.truncated;
    return r;
}

static bool push(trace_refs_t *r, uint32_t vpn, bool write)
{
    if (r->n == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 4096;
        trace_ref_t *p = ps_realloc(r->alloc, r->ref, r->cap * sizeof *p, ncap * sizeof *p);
        if (!p) return false;
        r->ref = p;
        r->cap = ncap;
    }
    r->ref[r->n].vpn = vpn;
    r->ref[r->n].write = write;
    r->n++;
    return true;
}

typedef struct collect {
    trace_refs_t *refs;
    bool failed;
} collect_t;

static void collect_ref(void *ud, uint32_t vpn, bool write)
{
    collect_t *c = ud;
    if (!c->failed && !push(c->refs, vpn, write)) c->failed = true;
}

ps_result_t trace_parse(const ps_alloc_t *a, trace_format_t fmt, const char *text, size_t len, trace_refs_t *out,
                        scn_error_t *err)
{
    memset(out, 0, sizeof *out);
    out->alloc = a ? a : ps_default_alloc();
    collect_t c = { out, false };
    ps_result_t r = trace_parse_lines(fmt, text, len, 1, collect_ref, &c, &out->truncated, err);
    if (r == PS_OK && c.failed) r = PS_ENOMEM;
    if (r == PS_ENOMEM) scn_error_set(err, 0, 0, "out of memory");
    if (r != PS_OK) trace_refs_free(out);
    return r;
}

void trace_refs_free(trace_refs_t *r)
{
    ps_free(r->alloc, r->ref, r->cap * sizeof *r->ref);
    r->ref = NULL;
    r->n = r->cap = 0;
}
