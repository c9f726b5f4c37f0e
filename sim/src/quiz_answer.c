/* Answers as people write them, and what was wrong with one. Numbers in
 * hex (0x1F, 1Fh), decimal, binary (0b101, 101b) and with K/M suffixes;
 * an address is hex with or without 0x; the SDK's constant names
 * (PAGE_READWRITE|PAGE_GUARD, MEM_COMMIT, ERROR_INVALID_ADDRESS,
 * EXCEPTION_ACCESS_VIOLATION; the prefix may be left out); yes/no,
 * hit/miss, A/D. A wrong address is shown bit by bit against the
 * machine's, split as the processor splits it. */
#include "pagesim/format.h"
#include "pagesim/mm.h"
#include "pagesim/winconst.h"
#include "pagesim/winsdk.h"
#include "quiz_int.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *const type_names[QUIZ_TYPE_COUNT] = {
    "number", "address", "page", "bool", "tlb", "pf_code", "ad", "error", "protect", "state", "exception", "resolution",
};

const char *quiz_type_str(quiz_type_t t)
{
    return (unsigned)t < QUIZ_TYPE_COUNT ? type_names[t] : "unknown";
}

/* The answer with spaces around it taken off, in lower case, into out. */
static size_t clean(const char *text, char *out, size_t n)
{
    while (*text == ' ' || *text == '\t') text++;
    size_t len = strlen(text);
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t' || text[len - 1] == '\r' || text[len - 1] == '\n'))
        len--;
    if (len >= n) len = n - 1;
    for (size_t i = 0; i < len; i++) out[i] = (char)tolower((unsigned char)text[i]);
    out[len] = '\0';
    return len;
}

static bool digits_in(const char *s, size_t n, const char *set)
{
    if (!n) return false;
    for (size_t i = 0; i < n; i++)
        if (!strchr(set, s[i])) return false;
    return true;
}

static bool to_u32(const char *s, size_t n, unsigned base, uint64_t mult, uint32_t *v)
{
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        unsigned d = (unsigned)(c >= 'a' ? c - 'a' + 10 : c - '0');
        x = x * base + d;
        if (x > 0xFFFFFFFFull) return false;
    }
    x *= mult;
    if (x > 0xFFFFFFFFull) return false;
    *v = (uint32_t)x;
    return true;
}

/* One number (lower case, n bytes); hex when hex_default and nothing says
 * otherwise. */
static bool number(const char *s, size_t n, bool hex_default, uint32_t *v)
{
    static const char hex[] = "0123456789abcdef", dec[] = "0123456789", bin[] = "01";
    if (n > 2 && s[0] == '0' && s[1] == 'x') return digits_in(s + 2, n - 2, hex) && to_u32(s + 2, n - 2, 16, 1, v);
    if (n > 2 && s[0] == '0' && s[1] == 'b') return digits_in(s + 2, n - 2, bin) && to_u32(s + 2, n - 2, 2, 1, v);
    if (n > 1 && s[n - 1] == 'h') return digits_in(s, n - 1, hex) && to_u32(s, n - 1, 16, 1, v);
    if (hex_default) return digits_in(s, n, hex) && to_u32(s, n, 16, 1, v);
    if (n > 1 && s[n - 1] == 'b' && digits_in(s, n - 1, bin)) return to_u32(s, n - 1, 2, 1, v);
    if (n > 1 && (s[n - 1] == 'k' || s[n - 1] == 'm') && digits_in(s, n - 1, dec))
        return to_u32(s, n - 1, 10, s[n - 1] == 'k' ? 1024u : 1048576u, v);
    if (digits_in(s, n, dec)) return to_u32(s, n, 10, 1, v);
    return digits_in(s, n, hex) && to_u32(s, n, 16, 1, v);
}

/* A constant's name, with prefix added when it is left out. */
static bool constant(const char *s, size_t n, const char *prefix, uint32_t *v)
{
    char up[96];
    size_t pl = strlen(prefix);
    if (n + pl >= sizeof up) return false;
    for (int pass = 0; pass < 2; pass++) {
        size_t k = 0;
        if (pass) memcpy(up, prefix, pl), k = pl;
        for (size_t i = 0; i < n; i++) up[k++] = s[i] == ' ' || s[i] == '-' ? '_' : (char)toupper((unsigned char)s[i]);
        const wc_const_t *c = wc_find(up, k);
        if (c) {
            *v = c->value;
            return true;
        }
        if (!*prefix) break;
    }
    return false;
}

/* Terms joined by | or +: each a number or a constant. */
static bool terms(const char *s, bool hex_default, const char *prefix, uint32_t *v)
{
    uint32_t acc = 0;
    for (;;) {
        while (*s == ' ') s++;
        size_t n = strcspn(s, "|+");
        size_t m = n;
        while (m && s[m - 1] == ' ') m--;
        uint32_t x;
        if (!m || !(number(s, m, hex_default, &x) || constant(s, m, prefix, &x))) return false;
        acc |= x;
        if (!s[n]) break;
        s += n + 1;
    }
    *v = acc;
    return true;
}

/* One of the words listed as "word=value" pairs. */
typedef struct word {
    const char *w;
    uint32_t v;
} word_t;

static bool word(const word_t *list, const char *s, uint32_t *v)
{
    for (; list->w; list++)
        if (strcmp(list->w, s) == 0) {
            *v = list->v;
            return true;
        }
    return false;
}

static const word_t bools[] = { { "yes", 1 }, { "y", 1 }, { "true", 1 }, { "t", 1 }, { "1", 1 }, { "present", 1 },
                                { "no", 0 }, { "n", 0 }, { "false", 0 }, { "f", 0 }, { "0", 0 }, { "not present", 0 },
                                { "absent", 0 }, { NULL, 0 } };
static const word_t nones[] = { { "none", 0 }, { "no", 0 }, { "-", 0 }, { NULL, 0 } };
static const word_t tlbs[] = { { "hit", 1 }, { "h", 1 }, { "miss", 0 }, { "m", 0 }, { NULL, 0 } };
static const word_t ads[] = { { "none", 0 }, { "neither", 0 }, { "-", 0 }, { "a", 1 }, { "d", 2 }, { "ad", 3 },
                              { "a d", 3 }, { "a+d", 3 }, { "a,d", 3 }, { "a, d", 3 }, { "a and d", 3 },
                              { "a|d", 3 }, { "both", 3 }, { "da", 3 }, { "d a", 3 }, { NULL, 0 } };
static const word_t states[] = { { "commit", MEM_COMMIT }, { "committed", MEM_COMMIT }, { "reserve", MEM_RESERVE },
                                 { "reserved", MEM_RESERVE }, { "free", MEM_FREE }, { NULL, 0 } };
static const word_t exceptions[] = { { "none", 0 }, { "no", 0 }, { "0", 0 }, { "av", EXCEPTION_ACCESS_VIOLATION },
                                     { "access violation", EXCEPTION_ACCESS_VIOLATION },
                                     { "guard", STATUS_GUARD_PAGE_VIOLATION },
                                     { "guard page violation", STATUS_GUARD_PAGE_VIOLATION }, { NULL, 0 } };

static bool resolution(const char *s, uint32_t *v)
{
    static const word_t more[] = { { "demand zero", MM_RES_DEMAND_ZERO }, { "hard", MM_RES_PAGEFILE },
                                   { "page file", MM_RES_PAGEFILE }, { "cow", MM_RES_COPY_ON_WRITE },
                                   { "copy on write", MM_RES_COPY_ON_WRITE }, { "av", MM_RES_ACCESS_VIOLATION },
                                   { "access violation", MM_RES_ACCESS_VIOLATION }, { NULL, 0 } };
    for (uint32_t r = MM_RES_NONE; r <= MM_RES_GUARD; r++)
        if (strcmp(mm_resolution_str((mm_resolution_t)r), s) == 0) {
            *v = r;
            return true;
        }
    return word(more, s, v);
}

bool quiz_parse(quiz_type_t t, const char *text, uint32_t *value, char *why, size_t n)
{
    char s[128];
    size_t len = clean(text, s, sizeof s);
    bool ok = false;
    const char *want = "";
    switch (t) {
    case QUIZ_NUMBER: ok = len && terms(s, false, "", value); want = "a number (72, 0x48, 48h, 0b1001000)"; break;
    case QUIZ_ADDRESS: ok = len && number(s, len, true, value); want = "an address in hex (0x40000678 or 40000678)"; break;
    case QUIZ_PAGE:
        ok = (len && number(s, len, true, value)) || word(nones, s, value);
        want = "an address in hex (0x00400000 or 400000), or none";
        break;
    case QUIZ_BOOL: ok = word(bools, s, value); want = "yes or no"; break;
    case QUIZ_TLB: ok = word(tlbs, s, value); want = "hit or miss"; break;
    case QUIZ_PF_CODE: ok = len && number(s, len, false, value); want = "an error code (5, 0x5, 0b101, 101b)"; break;
    case QUIZ_AD: ok = word(ads, s, value) || (len && number(s, len, false, value) && *value <= 3); want = "none, A, D or A D"; break;
    case QUIZ_ERROR: ok = len && terms(s, false, "ERROR_", value); want = "an error (ERROR_INVALID_ADDRESS or 487)"; break;
    case QUIZ_PROTECT: ok = len && terms(s, true, "PAGE_", value); want = "a protection (PAGE_READWRITE, 0x04)"; break;
    case QUIZ_STATE: ok = word(states, s, value) || (len && terms(s, true, "MEM_", value)); want = "MEM_COMMIT, MEM_RESERVE or MEM_FREE"; break;
    case QUIZ_EXCEPTION: ok = word(exceptions, s, value) || (len && terms(s, true, "EXCEPTION_", value)); want = "none or an exception (EXCEPTION_ACCESS_VIOLATION)"; break;
    case QUIZ_RESOLUTION: ok = resolution(s, value); want = "demand_zero, soft, pagefile, copy_on_write, access_violation or guard"; break;
    default: break;
    }
    if (!ok && why) snprintf(why, n, "'%.60s' is not %s", s, want);
    return ok;
}
