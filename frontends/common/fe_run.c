/* A scenario run straight through, for pagesim run and pagesim-tui. */
#include "fe_run.h"
#include "fe_output.h"
#include "pagesim/format.h"
#include "pagesim/scn.h"
#include "pagesim/strbuf.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int unusable(const char *shown, const scn_error_t *err)
{
    fe_error_line(shown, err->line, err->col, err->msg[0] ? err->msg : "out of memory");
    return 2;
}

/* Steps r to the end, writing each statement's lines as it ran. */
static int run_all(const char *shown, const scn_script_t *script, scn_runner_t *r, const fe_run_opts_t *o)
{
    strbuf_t out;
    strbuf_init(&out, NULL);
    scn_result_t res;
    scn_error_t err = { 0 };
    scn_step_t st;
    int status = 0;
    while (!status && (st = scn_step(r, &res, &err)) == SCN_STEP_OK) {
        strbuf_clear(&out);
        if (o->json) scn_format_json(&out, &res);
        else scn_format_text(&out, script, &res);
        if (strbuf_failed(&out)) {
            snprintf(err.msg, sizeof err.msg, "out of memory");
            status = unusable(shown, &err);
        } else if (fwrite(strbuf_str(&out), 1, out.len, stdout) != out.len) {
            fe_errorf("%s: cannot write the output: %s", o->prog, strerror(errno));
            status = 2;
        }
        char broken[512];
        if (!status && o->check && !scn_runner_check(r, broken, sizeof broken)) {
            fe_errorf("%s:%u: internal error: %s", shown, res.line, broken);
            status = 3;
        }
    }
    if (!status && st == SCN_STEP_ERROR) status = unusable(shown, &err);
    uint32_t failed = scn_runner_failed_expects(r);
    if (!status && failed) {
        if (!o->json) printf("%u expect%s failed\n", failed, failed == 1 ? "" : "s");
        status = 1;
    }
    strbuf_fini(&out);
    return status;
}

int fe_run(const char *shown, const char *text, size_t len, const fe_run_opts_t *o)
{
    scn_script_t *script;
    scn_error_t err = { 0 };
    if (scn_parse(NULL, text, len, &script, &err) != PS_OK) return unusable(shown, &err);
    scn_runner_t *r;
    if (scn_runner_new_backend(NULL, script, o->ops ? o->ops : ps_backend_sim(), o->ctx, &r) != PS_OK) {
        scn_script_free(script);
        snprintf(err.msg, sizeof err.msg, "out of memory");
        return unusable(shown, &err);
    }
    int status = run_all(shown, script, r, o);
    scn_runner_free(r);
    scn_script_free(script);
    return status;
}
