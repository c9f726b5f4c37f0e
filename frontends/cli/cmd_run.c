/* pagesim run: a scenario, in prose or as JSON Lines, written statement by
 * statement. A scenario with a syntax error or a bad constant value is
 * refused before anything runs; one that stops at run time prints the
 * lines of the statements that ran, then its error. */
#include "cli.h"
#include "fe_file.h"
#include "fe_output.h"
#include "fe_run.h"
#include "pagesim/backend_win32.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_run(int argc, char **argv)
{
    bool json = false, win32 = false, check = false;
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) json = true;
        else if (strcmp(argv[i], "--check") == 0) check = true;
        else if (strcmp(argv[i], "--backend=sim") == 0) win32 = false;
#ifdef PAGESIM_WIN32_BACKEND
        else if (strcmp(argv[i], "--backend=win32") == 0) win32 = true;
#endif
        else if (strncmp(argv[i], "--backend=", 10) == 0) {
            fe_errorf("pagesim run: backend '%s' is not available in this build (sim is)", argv[i] + 10);
            return EXIT_UNUSABLE;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fe_errorf("pagesim run: unknown option '%s'", argv[i]);
            return EXIT_UNUSABLE;
        } else if (file) {
            fe_errorf("pagesim run: one scenario at a time ('%s' and '%s')", file, argv[i]);
            return EXIT_UNUSABLE;
        } else {
            file = argv[i];
        }
    }
    if (!file) {
        fe_errorf("usage: pagesim run [--json] [--check] FILE|-");
        return EXIT_UNUSABLE;
    }
    const char *shown = strcmp(file, "-") == 0 ? "<stdin>" : file;
    size_t len;
    const char *why;
    char *text = fe_read_file(file, &len, &why);
    if (!text) {
        char msg[300];
        snprintf(msg, sizeof msg, "cannot read the scenario: %s", why);
        fe_error_line(shown, 1, 1, msg);
        return EXIT_UNUSABLE;
    }
    fe_run_opts_t o = { "pagesim run", json, check, NULL, NULL };
#ifdef PAGESIM_WIN32_BACKEND
    if (win32) {
        o.ops = ps_backend_win32();
        o.ctx = ps_win32_open();
    }
#else
    (void)win32;
#endif
    int status = fe_run(shown, text, len, &o);
    free(text);
#ifdef PAGESIM_WIN32_BACKEND
    ps_win32_close(o.ctx);
#endif
    return status;
}
