/* Showing answers and comparing them: a value as the quiz writes it, and
 * for a wrong answer what differs — the bits of an address, split as the
 * processor splits it (directory, table, offset), or the flags of a
 * page-fault error code. */
#include "pagesim/format.h"
#include "pagesim/mm.h"
#include "pagesim/winconst.h"
#include "pagesim/winsdk.h"
#include "quiz_int.h"
#include <stdio.h>
#include <string.h>

static void bits3(uint32_t v, char out[4])
{
    out[0] = (v & 4) ? '1' : '0';
    out[1] = (v & 2) ? '1' : '0';
    out[2] = (v & 1) ? '1' : '0';
    out[3] = '\0';
}

static const char *ad_str(uint32_t v)
{
    static const char *const s[4] = { "none", "A", "D", "A and D" };
    return s[v & 3];
}

void qz_format(quiz_type_t t, uint32_t v, char *buf, size_t n)
{
    strbuf_t b;
    const char *name = NULL;
    char bits[4];
    switch (t) {
    case QUIZ_NUMBER:
        if (v < 10) snprintf(buf, n, "%u", (unsigned)v);
        else snprintf(buf, n, "0x%X (%u)", (unsigned)v, (unsigned)v);
        return;
    case QUIZ_ADDRESS: snprintf(buf, n, "0x%08X", (unsigned)v); return;
    case QUIZ_PAGE:
        if (v < 0x1000) snprintf(buf, n, "none");
        else snprintf(buf, n, "0x%08X", (unsigned)(v & ~0xFFFu));
        return;
    case QUIZ_BOOL: snprintf(buf, n, "%s", v ? "yes" : "no"); return;
    case QUIZ_TLB: snprintf(buf, n, "%s", v ? "hit" : "miss"); return;
    case QUIZ_PF_CODE:
        bits3(v, bits);
        snprintf(buf, n, "0x%X = 0b%s (U/S=%u W/R=%u P=%u)", (unsigned)v, bits, (unsigned)(v >> 2) & 1,
                 (unsigned)(v >> 1) & 1, (unsigned)v & 1);
        return;
    case QUIZ_AD: snprintf(buf, n, "%s", ad_str(v)); return;
    case QUIZ_ERROR: name = wc_error_name(v); break;
    case QUIZ_STATE: name = wc_mem_name(v); break;
    case QUIZ_EXCEPTION: name = v ? wc_exception_name(v) : "none"; break;
    case QUIZ_RESOLUTION: name = mm_resolution_str((mm_resolution_t)v); break;
    case QUIZ_PROTECT:
        strbuf_init(&b, NULL);
        wc_format_protect(&b, v);
        snprintf(buf, n, "%s", strbuf_failed(&b) ? "?" : strbuf_str(&b));
        strbuf_fini(&b);
        return;
    default: break;
    }
    if (name) snprintf(buf, n, "%s", name);
    else snprintf(buf, n, "%u (0x%X)", (unsigned)v, (unsigned)v);
}

static unsigned ones(uint32_t x)
{
    unsigned c = 0;
    for (; x; x &= x - 1) c++;
    return c;
}

/* An address against the machine's: both in bits, split 10/10/12, a
 * caret under each bit that differs, and which parts are wrong. */
static void address_diff(uint32_t given, uint32_t answer, bool page, bool linear, char *out, size_t n)
{
    char a[36], b[36], marks[36];
    fmt_bits(given, a);
    fmt_bits(answer, b);
    uint32_t x = given ^ answer;
    if (page) x &= ~0xFFFu;
    memset(marks, ' ', 35);
    marks[35] = '\0';
    for (int bit = 31, i = 0; bit >= 0; bit--, i++) {
        if (i == 10 || i == 21) i++;
        if ((x >> bit) & 1) marks[i] = '^';
    }
    size_t end = 35;
    while (end && marks[end - 1] == ' ') end--;
    marks[end] = '\0';
    const char *const lin[3] = { "directory index (31-22)", "table index (21-12)", "offset (11-0)" };
    const char *const phys[3] = { "frame (31-12)", "frame (31-12)", "offset (11-0)" };
    const char *const *parts = linear ? lin : phys;
    uint32_t masks[3] = { 0xFFC00000u, 0x003FF000u, 0x00000FFFu };
    if (!linear) masks[0] = 0xFFFFF000u, masks[1] = 0;
    char wrong[96] = "";
    size_t len = 0;
    for (int i = 0; i < 3; i++)
        if (x & masks[i]) {
            int k = snprintf(wrong + len, sizeof wrong - len, "%s%s", len ? ", " : "", parts[i]);
            if (k > 0 && (size_t)k < sizeof wrong - len) len += (size_t)k;
        }
    snprintf(out, n, "yours    %s\nmachine  %s\nwrong    %s\n%u bit%s wrong, in the %s", a, b, marks,
             ones(x), x & (x - 1) ? "s" : "", wrong);
}

/* A #PF error code against the machine's, flag by flag. */
static void pf_diff(uint32_t given, uint32_t answer, char *out, size_t n)
{
    static const struct { uint32_t bit; const char *name, *one, *zero; } f[] = {
        { 1, "P", "a protection violation", "a page not present" },
        { 2, "W/R", "a write", "a read" },
        { 4, "U/S", "in user mode", "in supervisor mode" },
    };
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (!((given ^ answer) & f[i].bit)) continue;
        bool m = (answer & f[i].bit) != 0;
        int k = snprintf(out + len, n - len, "%s%s: yours %u, the machine's %u (%s)", len ? "; " : "", f[i].name,
                         !m, m, m ? f[i].one : f[i].zero);
        if (k < 0 || (size_t)k >= n - len) return;
        len += (size_t)k;
    }
    if ((given ^ answer) & ~7u)
        snprintf(out + len, n - len, "%sbits above 2: yours 0x%X, the machine's 0x%X", len ? "; " : "",
                 (unsigned)(given & ~7u), (unsigned)(answer & ~7u));
}

void quiz_check(const quiz_question_t *q, const char *text, quiz_verdict_t *v)
{
    memset(v, 0, sizeof *v);
    v->understood = quiz_parse(q->type, text, &v->given, v->diff, sizeof v->diff);
    if (!v->understood) return;
    if (q->type == QUIZ_PAGE) v->correct = (v->given & ~0xFFFu) == q->answer;
    else if (q->type == QUIZ_BOOL) v->correct = (v->given != 0) == (q->answer != 0);
    else v->correct = v->given == q->answer;
    if (v->correct) return;
    char yours[96];
    qz_format(q->type, v->given, yours, sizeof yours);
    switch (q->type) {
    case QUIZ_ADDRESS: case QUIZ_PAGE: address_diff(v->given, q->answer, q->type == QUIZ_PAGE, q->linear, v->diff, sizeof v->diff); break;
    case QUIZ_PF_CODE: pf_diff(v->given, q->answer, v->diff, sizeof v->diff); break;
    case QUIZ_NUMBER:
        if (v->given > q->answer) snprintf(v->diff, sizeof v->diff, "yours %s is %u too many", yours, (unsigned)(v->given - q->answer));
        else snprintf(v->diff, sizeof v->diff, "yours %s is %u too few", yours, (unsigned)(q->answer - v->given));
        break;
    default: snprintf(v->diff, sizeof v->diff, "yours %s, the machine's %s", yours, q->shown); break;
    }
}
