/* Growable text buffer. */
#include "pagesim/strbuf.h"
#include "mem.h"
#include <stdio.h>
#include <string.h>

void strbuf_init(strbuf_t *b, const ps_alloc_t *a)
{
    memset(b, 0, sizeof *b);
    b->alloc = a ? a : ps_default_alloc();
}

void strbuf_fini(strbuf_t *b)
{
    ps_free(b->alloc, b->data, b->cap);
    b->data = NULL;
    b->len = b->cap = 0;
}

void strbuf_clear(strbuf_t *b)
{
    b->len = 0;
    b->failed = false;
    memset(b->shown, 0, sizeof b->shown);
    memset(b->more, 0, sizeof b->more);
    if (b->data) b->data[0] = '\0';
}

static bool reserve(strbuf_t *b, size_t extra)
{
    if (b->failed) return false;
    if (b->len + extra + 1 <= b->cap) return true;
    size_t ncap = b->cap ? b->cap : 256;
    while (ncap < b->len + extra + 1) ncap *= 2;
    char *p = ps_realloc(b->alloc, b->data, b->cap, ncap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = ncap;
    return true;
}

void strbuf_append(strbuf_t *b, const char *s, size_t n)
{
    if (!reserve(b, n)) return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void strbuf_puts(strbuf_t *b, const char *s)
{
    strbuf_append(b, s, strlen(s));
}

void strbuf_putc(strbuf_t *b, char c)
{
    strbuf_append(b, &c, 1);
}

void strbuf_vprintf(strbuf_t *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || !reserve(b, (size_t)n)) return;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void strbuf_printf(strbuf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(b, fmt, ap);
    va_end(ap);
}

size_t strbuf_utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t need;
    uint32_t min;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) { need = 2; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { need = 3; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { need = 4; min = 0x10000; }
    else return 0;
    if (n < need) return 0;
    uint32_t cp = c & (0x7Fu >> need);
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = cp << 6 | (s[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return need;
}

void strbuf_put_safe(strbuf_t *b, const char *s, size_t n, size_t max)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, out = 0;
    while (i < n) {
        size_t k = strbuf_utf8_len(u + i, n - i);
        bool c1 = k == 2 && u[i] == 0xC2 && u[i + 1] < 0xA0; /* U+0080-U+009F: C1 controls */
        bool escape = k == 0 || (u[i] < 0x20 && u[i] != '\t') || u[i] == 0x7F || c1;
        size_t len = k ? k : 1, shown = escape ? 4 * len : k;
        if (out + shown > max) {
            strbuf_puts(b, "...");
            return;
        }
        if (escape) {
            for (size_t j = 0; j < len; j++) strbuf_printf(b, "\\x%02X", u[i + j]);
            i += len;
        } else {
            strbuf_append(b, s + i, k);
            i += k;
        }
        out += shown;
    }
}

void strbuf_json_str(strbuf_t *b, const char *s, size_t n)
{
    strbuf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            strbuf_putc(b, '\\');
            strbuf_putc(b, (char)c);
        } else if (c == '\n') {
            strbuf_puts(b, "\\n");
        } else if (c == '\t') {
            strbuf_puts(b, "\\t");
        } else if (c < 0x20 || c == 0x7F) {
            strbuf_printf(b, "\\u%04x", c);
        } else {
            strbuf_putc(b, (char)c);
        }
    }
    strbuf_putc(b, '"');
}

bool strbuf_tally(strbuf_t *b, unsigned kind, uint32_t show)
{
    if (kind >= STRBUF_TALLIES) return true;
    if (b->shown[kind] < show) {
        b->shown[kind]++;
        return true;
    }
    b->more[kind]++;
    return false;
}

uint64_t strbuf_tally_more(const strbuf_t *b, unsigned kind)
{
    return kind < STRBUF_TALLIES ? b->more[kind] : 0;
}

const char *strbuf_str(const strbuf_t *b)
{
    return b->data ? b->data : "";
}

bool strbuf_failed(const strbuf_t *b)
{
    return b->failed;
}
