/* Where pagesim-sdl finds its font, in order: PAGESIM_FONT (the user's
 * choice, taken as it is), the file the build found, the installed share
 * folder beside the program (BINDIR/../share/pagesim/fonts), then the
 * places systems keep DejaVu Sans Mono (or a monospaced font of their own).
 * No SDL: the order is tested without a window. */
#ifndef PAGESIM_SDL_FONT_H
#define PAGESIM_SDL_FONT_H

#include <stdbool.h>
#include <stddef.h>

/* What the search starts from. Any string may be NULL or empty. */
typedef struct font_where {
    const char *env;       /* PAGESIM_FONT                                    */
    const char *built;     /* the font the build found (PAGESIM_FONT_PATH)    */
    const char *base;      /* the program's folder, ending in a separator     */
    const char *share;     /* the font relative to base, "../share/..."       */
    bool (*exists)(const char *path, void *ctx); /* NULL: font_file_exists   */
    void *ctx;
} font_where_t;

/* The system places, in the order they are tried; NULL-terminated. */
extern const char *const font_system_paths[];

/* True when path names a file that can be opened for reading (ctx unused). */
bool font_file_exists(const char *path, void *ctx);

/* The font to open, into out (n bytes), and in *from what it is (for
 * messages: "PAGESIM_FONT", "the font found at build time", "the installed
 * font", "a system font"). PAGESIM_FONT is returned whether it exists or
 * not (opening it says what is wrong); every other candidate only if it
 * exists. False when none does (out then holds "" and *from NULL) or when
 * a path is longer than n. */
bool font_find(const font_where_t *w, char *out, size_t n, const char **from);

#endif
