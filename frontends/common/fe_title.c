/* The title line, for every front end. */
#include "fe_title.h"
#include <stdio.h>
#include <string.h>

static long columns(const char *s, void *ctx)
{
    (void)ctx;
    return (long)strlen(s);
}

void fe_title(char *out, size_t size, long room, const char *head, const char *name, const char *step,
              const char *counters, fe_width_fn width, void *ctx)
{
    if (!width) width = columns;
    snprintf(out, size, "%s%s%s%s", head, name, step, counters);
    if (width(out, ctx) <= room) return;
    const char *base = name;
    for (const char *q = name; *q; q++)
        if (*q == '/' || *q == '\\') base = q + 1;
    if (!*base) base = name;
    snprintf(out, size, "%s%s%s", head, base, step);
    if (width(out, ctx) <= room) {
        snprintf(out, size, "%s%s%s%s", head, base, step, counters);
        return;
    }
    /* The end of the file name that fits behind "..."; none if nothing does.
     * A cut never falls inside a UTF-8 character. */
    for (size_t skip = 1, len = strlen(base); skip < len; skip++) {
        if (((unsigned char)base[skip] & 0xC0) == 0x80) continue;
        snprintf(out, size, "%s...%s%s", head, base + skip, step);
        if (width(out, ctx) <= room) {
            snprintf(out, size, "%s...%s%s%s", head, base + skip, step, counters);
            return;
        }
    }
    snprintf(out, size, "%s%s%s", head, step, counters);
}
