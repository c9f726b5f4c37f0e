/* Windows SDK constants by name and value. */
#include "pagesim/winconst.h"
#include "pagesim/winsdk.h"
#include <string.h>

#define C(n, v, g) { #n, (uint32_t)(v), g },
#define SDK(n, g) { #n, (uint32_t)(n), g },

static const wc_const_t consts[] = {
    /* The scenario language's own names. */
    C(NULL, 0, WC_MISC) C(FALSE, 0, WC_MISC) C(TRUE, 1, WC_MISC) C(INVALID_HANDLE_VALUE, INVALID_HANDLE_VALUE, WC_MISC)
    C(PAGE_SIZE, 4096, WC_MISC) C(GRANULARITY, 65536, WC_MISC)
    C(PROCESS_ALL_ACCESS, PS_PROCESS_ALL_ACCESS_XP, WC_MISC)
    /* The SDK's, with the SDK's values (winsdk.h). */
    PS_SDK_CONSTANTS(SDK)
};

#define NCONSTS (sizeof consts / sizeof consts[0])

const wc_const_t *wc_find(const char *name, size_t n)
{
    for (size_t i = 0; i < NCONSTS; i++)
        if (strlen(consts[i].name) == n && memcmp(consts[i].name, name, n) == 0) return &consts[i];
    return NULL;
}

static char upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
}

/* Edit distance, case-insensitive, capped at 64 characters of each. */
static size_t distance(const char *a, size_t na, const char *b, size_t nb)
{
    size_t row[65];
    if (na > 64) na = 64;
    if (nb > 64) nb = 64;
    for (size_t j = 0; j <= nb; j++) row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t cost = upper(a[i - 1]) == upper(b[j - 1]) ? 0 : 1;
            size_t best = diag + cost;
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

const wc_const_t *wc_suggest(const char *name, size_t n)
{
    const wc_const_t *best = NULL;
    size_t bestd = (size_t)-1;
    for (size_t i = 0; i < NCONSTS; i++) {
        size_t d = distance(name, n, consts[i].name, strlen(consts[i].name));
        if (d < bestd) {
            bestd = d;
            best = &consts[i];
        }
    }
    return bestd <= 3 && bestd < n ? best : NULL;
}

const wc_const_t *wc_table(size_t *count)
{
    *count = NCONSTS;
    return consts;
}

const char *wc_error_name(uint32_t code)
{
    for (size_t i = 0; i < NCONSTS; i++)
        if (consts[i].group == WC_ERROR && consts[i].value == code) return consts[i].name;
    return NULL;
}

void wc_format_protect(strbuf_t *b, uint32_t protect)
{
    if (protect == 0) {
        strbuf_putc(b, '0');
        return;
    }
    /* Each bit of the protection is one PAGE_* constant, in bit order. */
    uint32_t rest = protect;
    for (uint32_t bit = PAGE_NOACCESS; bit <= PAGE_WRITECOMBINE; bit <<= 1) {
        if (!(protect & bit)) continue;
        for (size_t i = 0; i < NCONSTS; i++)
            if (consts[i].group == WC_PAGE && consts[i].value == bit) {
                strbuf_printf(b, "%s%s", rest == protect ? "" : "|", consts[i].name);
                rest &= ~bit;
                break;
            }
    }
    if (rest) strbuf_printf(b, "%s0x%X", rest == protect ? "" : "|", rest);
}

/* The constant's own token as its name: the names below are the SDK's
 * macros, never typed again as strings. Where two SDK names share a value
 * (MEM_MAPPED and MEM_RESERVE_PLACEHOLDER, STATUS_GUARD_PAGE_VIOLATION and
 * EXCEPTION_GUARD_PAGE), the one listed is the one the API reports. */
#define NAME_IF(value, c)                                                                                          \
    if ((value) == (uint32_t)(c)) return #c

const char *wc_mem_name(uint32_t value)
{
    NAME_IF(value, MEM_COMMIT);
    NAME_IF(value, MEM_RESERVE);
    NAME_IF(value, MEM_FREE);
    NAME_IF(value, MEM_PRIVATE);
    NAME_IF(value, MEM_MAPPED);
    NAME_IF(value, MEM_IMAGE);
    return NULL;
}

const char *wc_exception_name(uint32_t code)
{
    NAME_IF(code, EXCEPTION_ACCESS_VIOLATION);
    NAME_IF(code, STATUS_GUARD_PAGE_VIOLATION);
    NAME_IF(code, STATUS_STACK_OVERFLOW);
    NAME_IF(code, STATUS_NO_MEMORY);
    return NULL;
}

void wc_format_mem(strbuf_t *b, uint32_t value)
{
    const char *name = wc_mem_name(value);
    if (value == 0) strbuf_putc(b, '0');
    else if (name) strbuf_puts(b, name);
    else strbuf_printf(b, "0x%X", value);
}
