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

#endif
