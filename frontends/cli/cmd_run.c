/* pagesim run: a scenario, in prose or as JSON Lines, written statement by
 * statement. A scenario with a syntax error or a bad constant value is
 * refused before anything runs; one that stops at run time prints the
 * lines of the statements that ran, then its error. */
#include "cli.h"
#include "fe_file.h"
#include "pagesim/backend_win32.h"
#include "pagesim/format.h"
#include "pagesim/scn.h"
#include "pagesim/strbuf.h"
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>

static int unusable(const char *file, const scn_error_t *err)
{
    fprintf(stderr, "%s:%u:%u: error: %s\n", file, err->line ? err->line : 1, err->col ? err->col : 1, err->msg);
    return EXIT_UNUSABLE;
}

int cmd_run(int argc, char **argv)
{
    bool json = false, win32 = false, check = false;
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) json = true;
        else if (strcmp(argv[i], "--check") == 0) check = true;
        else if (strcmp(argv[i], "--backend=sim") == 0) win32 = false;
#ifdef _WIN32
        else if (strcmp(argv[i], "--backend=win32") == 0) win32 = true;
#endif
        else if (strncmp(argv[i], "--backend=", 10) == 0) {
            fprintf(stderr, "pagesim run: backend '%s' is not available in this build (sim is)\n", argv[i] + 10);
            return EXIT_UNUSABLE;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "pagesim run: unknown option '%s'\n", argv[i]);
            return EXIT_UNUSABLE;
        } else if (file) {
            fprintf(stderr, "pagesim run: one scenario at a time ('%s' and '%s')\n", file, argv[i]);
            return EXIT_UNUSABLE;
        } else {
            file = argv[i];
        }
    }
    if (!file) {
        fprintf(stderr, "usage: pagesim run [--json] FILE|-\n");
        return EXIT_UNUSABLE;
    }
    const char *shown = strcmp(file, "-") == 0 ? "<stdin>" : file;
    size_t len;
    const char *why;
    char *text = fe_read_file(file, &len, &why);
    scn_error_t err = { 0 };
    if (!text) {
        snprintf(err.msg, sizeof err.msg, "cannot read the scenario: %s", why);
        return unusable(shown, &err);
    }
    scn_script_t *script;
    ps_result_t pr = scn_parse(NULL, text, len, &script, &err);
    free(text);
    if (pr != PS_OK) {
        if (pr == PS_ENOMEM && !err.msg[0]) snprintf(err.msg, sizeof err.msg, "out of memory");
        return unusable(shown, &err);
    }
    scn_runner_t *runner;
    void *ctx = NULL;
    const ps_backend_ops_t *ops = ps_backend_sim();
#ifdef _WIN32
    if (win32) {
        ops = ps_backend_win32();
        ctx = ps_win32_open();
    }
#else
    (void)win32;
#endif
    if (scn_runner_new_backend(NULL, script, ops, ctx, &runner) != PS_OK) {
        scn_script_free(script);
        snprintf(err.msg, sizeof err.msg, "out of memory");
        return unusable(shown, &err);
    }
    /* Each statement's output is written as soon as it ran, so memory does
     * not grow with the output; a statement that cannot run stops the
     * scenario after the complete lines of those before it. */
    strbuf_t out;
    strbuf_init(&out, NULL);
    scn_result_t res;
    scn_step_t st;
    char broken[512] = "";
    bool write_failed = false;
    while ((st = scn_step(runner, &res, &err)) == SCN_STEP_OK) {
        strbuf_clear(&out);
        if (json) scn_format_json(&out, &res);
        else scn_format_text(&out, script, &res);
        if (strbuf_failed(&out)) {
            snprintf(err.msg, sizeof err.msg, "out of memory");
            st = SCN_STEP_ERROR;
            break;
        }
        if (fwrite(strbuf_str(&out), 1, out.len, stdout) != out.len) {
            write_failed = true;
            break;
        }
        if (check && !scn_runner_check(runner, broken, sizeof broken)) {
            fprintf(stderr, "%s:%u: internal error: %s\n", shown, res.line, broken);
            break;
        }
    }
    uint32_t failed = scn_runner_failed_expects(runner);
    int status = failed ? EXIT_EXPECT_FAILED : EXIT_RAN;
    if (broken[0]) status = EXIT_INTERNAL;
    else if (st == SCN_STEP_ERROR) status = unusable(shown, &err);
    else if (!json && failed && !write_failed) printf("%u expect%s failed\n", failed, failed == 1 ? "" : "s");
    if (write_failed || fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "pagesim run: cannot write the output: %s\n", strerror(errno));
        status = EXIT_UNUSABLE;
    }
    strbuf_fini(&out);
    scn_runner_free(runner);
    scn_script_free(script);
#ifdef _WIN32
    ps_win32_close(ctx);
#endif
    return status;
}
