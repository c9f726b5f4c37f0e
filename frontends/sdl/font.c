/* Finding pagesim-sdl's font at run time (font.h has the order). */
#include "font.h"
#include <stdio.h>
#include <string.h>

const char *const font_system_paths[] = {
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",           /* Debian, Ubuntu      */
    "/usr/share/fonts/TTF/DejaVuSansMono.ttf",                       /* Arch                */
    "/usr/share/fonts/dejavu-sans-mono-fonts/DejaVuSansMono.ttf",    /* Fedora              */
    "/usr/share/fonts/dejavu/DejaVuSansMono.ttf",                    /* older Fedora, Alpine */
    "/usr/local/share/fonts/dejavu/DejaVuSansMono.ttf",              /* FreeBSD             */
    "/opt/homebrew/share/fonts/DejaVuSansMono.ttf",                  /* Homebrew            */
    "/Library/Fonts/DejaVuSansMono.ttf",                             /* macOS, installed    */
    "/System/Library/Fonts/Menlo.ttc",                               /* macOS, stock        */
    "C:\\Windows\\Fonts\\DejaVuSansMono.ttf",
    "C:\\Windows\\Fonts\\consola.ttf",                               /* Windows: Consolas   */
    NULL,
};

bool font_file_exists(const char *path, void *ctx)
{
    (void)ctx;
    FILE *f = fopen(path, "rb");
    if (f) fclose(f);
    return f != NULL;
}

/* a then b into out; false when it does not fit. */
static bool join(char *out, size_t n, const char *a, const char *b)
{
    int len = snprintf(out, n, "%s%s", a, b);
    return len >= 0 && (size_t)len < n;
}

/* Takes path into out when it exists. */
static bool take(const font_where_t *w, const char *a, const char *b, char *out, size_t n)
{
    bool (*exists)(const char *, void *) = w->exists ? w->exists : font_file_exists;
    return a && *a && join(out, n, a, b ? b : "") && exists(out, w->ctx);
}

bool font_find(const font_where_t *w, char *out, size_t n, const char **from)
{
    *from = NULL;
    if (n == 0) return false;
    if (w->env && *w->env) {
        if (join(out, n, w->env, "")) *from = "PAGESIM_FONT";
    } else if (take(w, w->built, NULL, out, n)) {
        *from = "the font found at build time";
    } else if (w->share && *w->share && take(w, w->base, w->share, out, n)) {
        *from = "the installed font";
    } else {
        for (const char *const *p = font_system_paths; *p && !*from; p++)
            if (take(w, *p, NULL, out, n)) *from = "a system font";
    }
    if (!*from) out[0] = '\0';
    return *from != NULL;
}
