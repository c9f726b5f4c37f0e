/* The Windows SDK constants a scenario may name (MEM_*, PAGE_*, SEC_*,
 * FILE_MAP_*, ERROR_*, ...), with their SDK values, and the formatters that
 * turn values back into SDK names. */
#ifndef PAGESIM_WINCONST_H
#define PAGESIM_WINCONST_H

#include "pagesim/strbuf.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    WC_MISC = 0, WC_MEM, WC_PAGE, WC_SEC, WC_FILE_MAP, WC_ERROR, WC_STATUS,
} wc_group_t;

typedef struct wc_const {
    const char *name;
    uint32_t value;
    wc_group_t group;
} wc_const_t;

/* Looks a constant up by exact name (n bytes of name). Returns NULL when
 * there is none. */
const wc_const_t *wc_find(const char *name, size_t n);

/* The constant whose name is closest to name (for "did you mean"), or NULL
 * when nothing is close. */
const wc_const_t *wc_suggest(const char *name, size_t n);

/* Every constant a scenario may name, in table order (*count of them):
 * for tools that list them, such as the fuzzers' dictionary. */
const wc_const_t *wc_table(size_t *count);

/* "ERROR_INVALID_ADDRESS" for 487; NULL when unknown. */
const char *wc_error_name(uint32_t code);

/* "PAGE_READWRITE|PAGE_GUARD"; "0" for 0; unknown bits as 0x%X. */
void wc_format_protect(strbuf_t *b, uint32_t protect);
/* "MEM_COMMIT", "MEM_PRIVATE", ...; "0" for 0. */
void wc_format_mem(strbuf_t *b, uint32_t value);

/* The SDK name of a state or type VirtualQuery reports (MEM_COMMIT,
 * MEM_RESERVE, MEM_FREE, MEM_PRIVATE, MEM_MAPPED, MEM_IMAGE); NULL for
 * another value. */
const char *wc_mem_name(uint32_t value);

/* The SDK name of an exception code a simulated access can raise
 * (EXCEPTION_ACCESS_VIOLATION, STATUS_GUARD_PAGE_VIOLATION,
 * STATUS_STACK_OVERFLOW, ...); NULL for another code. */
const char *wc_exception_name(uint32_t code);

/* The bits of a PAGE_* protection that choose its base protection
 * (PAGE_NOACCESS ... PAGE_EXECUTE_WRITECOPY, one bit each). */
#define WC_PAGE_BASE_BITS                                                                                  \
    (PAGE_NOACCESS | PAGE_READONLY | PAGE_READWRITE | PAGE_WRITECOPY | PAGE_EXECUTE | PAGE_EXECUTE_READ | \
     PAGE_EXECUTE_READWRITE | PAGE_EXECUTE_WRITECOPY)
/* CreateFileMapping's flProtect: PAGE_* in the low word, SEC_* in the
 * high word. */
#define WC_SECTION_PAGE_BITS 0x0000FFFFu
#define WC_SECTION_ATTR_BITS 0xFFFF0000u

#endif
