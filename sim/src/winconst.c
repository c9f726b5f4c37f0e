/* Windows SDK constants by name and value. */
#include "pagesim/winconst.h"
#include <string.h>

#define C(n, v, g) { #n, (uint32_t)(v), g }

static const wc_const_t consts[] = {
    C(NULL, 0, WC_MISC), C(FALSE, 0, WC_MISC), C(TRUE, 1, WC_MISC),
    C(INVALID_HANDLE_VALUE, 0xFFFFFFFFu, WC_MISC),
    C(PAGE_SIZE, 4096, WC_MISC), C(GRANULARITY, 65536, WC_MISC),
    C(AT_ROUND_TO_PAGE, 0x40000000u, WC_MISC),
    C(EXCEPTION_ACCESS_VIOLATION, 0xC0000005u, WC_STATUS),
    C(STATUS_GUARD_PAGE_VIOLATION, 0x80000001u, WC_STATUS),
    C(EXCEPTION_GUARD_PAGE, 0x80000001u, WC_STATUS),
    C(STATUS_ACCESS_VIOLATION, 0xC0000005u, WC_STATUS),

    C(MEM_COMMIT, 0x00001000, WC_MEM), C(MEM_RESERVE, 0x00002000, WC_MEM),
    C(MEM_REPLACE_PLACEHOLDER, 0x00004000, WC_MEM),
    C(MEM_DECOMMIT, 0x00004000, WC_MEM), C(MEM_RELEASE, 0x00008000, WC_MEM),
    C(MEM_FREE, 0x00010000, WC_MEM), C(MEM_PRIVATE, 0x00020000, WC_MEM),
    C(MEM_RESERVE_PLACEHOLDER, 0x00040000, WC_MEM),
    C(MEM_MAPPED, 0x00040000, WC_MEM), C(MEM_RESET, 0x00080000, WC_MEM),
    C(MEM_TOP_DOWN, 0x00100000, WC_MEM), C(MEM_WRITE_WATCH, 0x00200000, WC_MEM),
    C(MEM_PHYSICAL, 0x00400000, WC_MEM), C(MEM_ROTATE, 0x00800000, WC_MEM),
    C(MEM_DIFFERENT_IMAGE_BASE_OK, 0x00800000, WC_MEM),
    C(MEM_RESET_UNDO, 0x01000000, WC_MEM), C(MEM_IMAGE, 0x01000000, WC_MEM),
    C(MEM_LARGE_PAGES, 0x20000000, WC_MEM), C(MEM_4MB_PAGES, 0x80000000u, WC_MEM),
    C(MEM_COALESCE_PLACEHOLDERS, 0x00000001, WC_MEM),
    C(MEM_PRESERVE_PLACEHOLDER, 0x00000002, WC_MEM),

    C(PAGE_NOACCESS, 0x01, WC_PAGE), C(PAGE_READONLY, 0x02, WC_PAGE),
    C(PAGE_READWRITE, 0x04, WC_PAGE), C(PAGE_WRITECOPY, 0x08, WC_PAGE),
    C(PAGE_EXECUTE, 0x10, WC_PAGE), C(PAGE_EXECUTE_READ, 0x20, WC_PAGE),
    C(PAGE_EXECUTE_READWRITE, 0x40, WC_PAGE), C(PAGE_EXECUTE_WRITECOPY, 0x80, WC_PAGE),
    C(PAGE_GUARD, 0x100, WC_PAGE), C(PAGE_NOCACHE, 0x200, WC_PAGE),
    C(PAGE_WRITECOMBINE, 0x400, WC_PAGE),
    C(PAGE_TARGETS_INVALID, 0x40000000, WC_PAGE), C(PAGE_TARGETS_NO_UPDATE, 0x40000000, WC_PAGE),
    C(PAGE_REVERT_TO_FILE_MAP, 0x80000000u, WC_PAGE),

    C(SEC_PARTITION_OWNER_HANDLE, 0x00040000, WC_SEC), C(SEC_64K_PAGES, 0x00080000, WC_SEC),
    C(SEC_FILE, 0x00800000, WC_SEC), C(SEC_IMAGE, 0x01000000, WC_SEC),
    C(SEC_PROTECTED_IMAGE, 0x02000000, WC_SEC), C(SEC_RESERVE, 0x04000000, WC_SEC),
    C(SEC_COMMIT, 0x08000000, WC_SEC), C(SEC_NOCACHE, 0x10000000, WC_SEC),
    C(SEC_WRITECOMBINE, 0x40000000, WC_SEC), C(SEC_LARGE_PAGES, 0x80000000u, WC_SEC),
    C(SEC_IMAGE_NO_EXECUTE, 0x11000000, WC_SEC),

    C(FILE_MAP_COPY, 0x0001, WC_FILE_MAP), C(FILE_MAP_WRITE, 0x0002, WC_FILE_MAP),
    C(FILE_MAP_READ, 0x0004, WC_FILE_MAP), C(FILE_MAP_EXECUTE, 0x0020, WC_FILE_MAP),
    C(FILE_MAP_ALL_ACCESS, 0x000F001F, WC_FILE_MAP),
    C(FILE_MAP_LARGE_PAGES, 0x20000000, WC_FILE_MAP),
    C(FILE_MAP_TARGETS_INVALID, 0x40000000, WC_FILE_MAP),
    C(FILE_MAP_RESERVE, 0x80000000u, WC_FILE_MAP),

    C(ERROR_SUCCESS, 0, WC_ERROR), C(ERROR_INVALID_FUNCTION, 1, WC_ERROR),
    C(ERROR_FILE_NOT_FOUND, 2, WC_ERROR), C(ERROR_ACCESS_DENIED, 5, WC_ERROR),
    C(ERROR_INVALID_HANDLE, 6, WC_ERROR), C(ERROR_NOT_ENOUGH_MEMORY, 8, WC_ERROR),
    C(ERROR_INVALID_BLOCK, 9, WC_ERROR), C(ERROR_OUTOFMEMORY, 14, WC_ERROR),
    C(ERROR_BAD_LENGTH, 24, WC_ERROR), C(ERROR_NOT_SUPPORTED, 50, WC_ERROR),
    C(ERROR_INVALID_PARAMETER, 87, WC_ERROR), C(ERROR_DISK_FULL, 112, WC_ERROR),
    C(ERROR_INSUFFICIENT_BUFFER, 122, WC_ERROR), C(ERROR_NOT_LOCKED, 158, WC_ERROR),
    C(ERROR_ALREADY_EXISTS, 183, WC_ERROR), C(ERROR_INVALID_ADDRESS, 487, WC_ERROR),
    C(ERROR_COMMITMENT_MINIMUM, 635, WC_ERROR), C(ERROR_NOACCESS, 998, WC_ERROR),
    C(ERROR_INVALID_FLAGS, 1004, WC_ERROR), C(ERROR_FILE_INVALID, 1006, WC_ERROR),
    C(ERROR_MAPPED_ALIGNMENT, 1132, WC_ERROR), C(ERROR_USER_MAPPED_FILE, 1224, WC_ERROR),
    C(ERROR_PRIVILEGE_NOT_HELD, 1314, WC_ERROR), C(ERROR_WORKING_SET_QUOTA, 1453, WC_ERROR),
    C(ERROR_PAGEFILE_QUOTA, 1454, WC_ERROR), C(ERROR_COMMITMENT_LIMIT, 1455, WC_ERROR),
    C(ERROR_INVALID_USER_BUFFER, 1784, WC_ERROR),
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

const char *wc_error_name(uint32_t code)
{
    for (size_t i = 0; i < NCONSTS; i++)
        if (consts[i].group == WC_ERROR && consts[i].value == code) return consts[i].name;
    return NULL;
}

void wc_format_protect(strbuf_t *b, uint32_t protect)
{
    static const char *const names[] = {
        "PAGE_NOACCESS", "PAGE_READONLY", "PAGE_READWRITE", "PAGE_WRITECOPY",
        "PAGE_EXECUTE", "PAGE_EXECUTE_READ", "PAGE_EXECUTE_READWRITE", "PAGE_EXECUTE_WRITECOPY",
        "PAGE_GUARD", "PAGE_NOCACHE", "PAGE_WRITECOMBINE",
    };
    if (protect == 0) {
        strbuf_putc(b, '0');
        return;
    }
    bool first = true;
    for (unsigned i = 0; i < 11; i++) {
        if (!(protect & (1u << i))) continue;
        if (!first) strbuf_putc(b, '|');
        strbuf_puts(b, names[i]);
        first = false;
    }
    uint32_t rest = protect & ~0x7FFu;
    if (rest) strbuf_printf(b, "%s0x%X", first ? "" : "|", rest);
}

void wc_format_mem(strbuf_t *b, uint32_t value)
{
    switch (value) {
    case 0: strbuf_putc(b, '0'); return;
    case 0x1000: strbuf_puts(b, "MEM_COMMIT"); return;
    case 0x2000: strbuf_puts(b, "MEM_RESERVE"); return;
    case 0x10000: strbuf_puts(b, "MEM_FREE"); return;
    case 0x20000: strbuf_puts(b, "MEM_PRIVATE"); return;
    case 0x40000: strbuf_puts(b, "MEM_MAPPED"); return;
    case 0x1000000: strbuf_puts(b, "MEM_IMAGE"); return;
    default: strbuf_printf(b, "0x%X", value); return;
    }
}
