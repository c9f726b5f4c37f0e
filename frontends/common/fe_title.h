/* What the front ends share: a title line that always shows the step. */
#ifndef PAGESIM_FE_TITLE_H
#define PAGESIM_FE_TITLE_H

#include <stddef.h>

/* How wide s is when drawn (columns in a terminal, pixels in a window). */
typedef long (*fe_width_fn)(const char *s, void *ctx);

/* The title head, name, step, counters in out, for a line room wide. The
 * step is kept whole: a name too long for the line is cut to its file name,
 * then to the end of that behind "...", and the counters, last, are what
 * the edge of the line may cut off. width NULL: one column a byte. */
void fe_title(char *out, size_t size, long room, const char *head, const char *name, const char *step,
              const char *counters, fe_width_fn width, void *ctx);

#endif
