/* frontend.sdl_font: where pagesim-sdl looks for its font, and in which
 * order, with the file system replaced by a list of the files that exist. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "font.h"

#define BUILT "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
#define BASE "/opt/pagesim/bin/"
#define SHARE "../share/pagesim/fonts/DejaVuSansMono.ttf"
#define INSTALLED BASE SHARE

/* ctx: a NULL-terminated list of the paths that exist. */
static bool in_list(const char *path, void *ctx)
{
    for (const char *const *p = ctx; *p; p++)
        if (!strcmp(*p, path)) return true;
    return false;
}

/* font_find over files that exist, with PAGESIM_FONT env; its path into out. */
static const char *find(const char *env, const char *const *files, char *out, size_t n)
{
    font_where_t w = { env, BUILT, BASE, SHARE, in_list, (void *)files };
    const char *from = "unset";
    bool ok = font_find(&w, out, n, &from);
    assert_true(ok == (from != NULL));
    return from;
}

static void font__pagesim_font_set__taken_even_when_missing(void **state)
{
    (void)state;
    const char *files[] = { BUILT, INSTALLED, NULL };
    char out[256];
    assert_string_equal(find("/nowhere/mine.ttf", files, out, sizeof out), "PAGESIM_FONT");
    assert_string_equal(out, "/nowhere/mine.ttf");
}

static void font__pagesim_font_empty__as_if_unset(void **state)
{
    (void)state;
    const char *files[] = { BUILT, NULL };
    char out[256];
    assert_string_equal(find("", files, out, sizeof out), "the font found at build time");
    assert_string_equal(out, BUILT);
}

static void font__build_font_there__before_installed_and_system(void **state)
{
    (void)state;
    const char *files[] = { INSTALLED, "/usr/share/fonts/TTF/DejaVuSansMono.ttf", BUILT, NULL };
    char out[256];
    assert_string_equal(find(NULL, files, out, sizeof out), "the font found at build time");
    assert_string_equal(out, BUILT);
}

static void font__build_font_gone__installed_beside_the_program(void **state)
{
    (void)state;
    const char *files[] = { "/usr/share/fonts/TTF/DejaVuSansMono.ttf", INSTALLED, NULL };
    char out[256];
    assert_string_equal(find(NULL, files, out, sizeof out), "the installed font");
    assert_string_equal(out, "/opt/pagesim/bin/../share/pagesim/fonts/DejaVuSansMono.ttf");
}

static void font__neither__first_system_font_in_order(void **state)
{
    (void)state;
    const char *files[] = { "C:\\Windows\\Fonts\\consola.ttf", "/Library/Fonts/DejaVuSansMono.ttf", NULL };
    char out[256];
    assert_string_equal(find(NULL, files, out, sizeof out), "a system font");
    assert_string_equal(out, "/Library/Fonts/DejaVuSansMono.ttf");
    const char *windows[] = { "C:\\Windows\\Fonts\\consola.ttf", NULL };
    assert_string_equal(find(NULL, windows, out, sizeof out), "a system font");
    assert_string_equal(out, "C:\\Windows\\Fonts\\consola.ttf");
}

static void font__none_anywhere__false_and_empty(void **state)
{
    (void)state;
    const char *files[] = { "/somewhere/else.ttf", NULL };
    char out[256] = "stale";
    assert_null(find(NULL, files, out, sizeof out));
    assert_string_equal(out, "");
}

static void font__no_base_folder__installed_font_skipped(void **state)
{
    (void)state;
    const char *files[] = { SHARE, "/usr/share/fonts/TTF/DejaVuSansMono.ttf", NULL };
    font_where_t w = { NULL, "", NULL, SHARE, in_list, (void *)files };
    char out[256];
    const char *from;
    assert_true(font_find(&w, out, sizeof out, &from));
    assert_string_equal(from, "a system font");
    assert_string_equal(out, "/usr/share/fonts/TTF/DejaVuSansMono.ttf");
}

static void font__path_longer_than_buffer__not_taken(void **state)
{
    (void)state;
    const char *files[] = { INSTALLED, "/usr/share/fonts/TTF/DejaVuSansMono.ttf", NULL };
    char out[48]; /* INSTALLED does not fit, the Arch path does */
    assert_string_equal(find(NULL, files, out, sizeof out), "a system font");
    assert_string_equal(out, "/usr/share/fonts/TTF/DejaVuSansMono.ttf");
    char tiny[8];
    assert_null(find("/a/long/pagesim/font.ttf", files, tiny, sizeof tiny));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(font__pagesim_font_set__taken_even_when_missing),
        cmocka_unit_test(font__pagesim_font_empty__as_if_unset),
        cmocka_unit_test(font__build_font_there__before_installed_and_system),
        cmocka_unit_test(font__build_font_gone__installed_beside_the_program),
        cmocka_unit_test(font__neither__first_system_font_in_order),
        cmocka_unit_test(font__none_anywhere__false_and_empty),
        cmocka_unit_test(font__no_base_folder__installed_font_skipped),
        cmocka_unit_test(font__path_longer_than_buffer__not_taken),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
