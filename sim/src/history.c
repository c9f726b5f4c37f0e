/* A scenario run forwards and backwards.
 *
 * state[k] is the machine after k statements. Stepping forward clones
 * state[done] and runs one statement in the clone, which becomes
 * state[done + 1]; the runner that made result[k] is state[k + 1] and is
 * never stepped again, so the pointers in result[k] stay valid as long as
 * the result does. Stepping back only moves `done`; the states after it are
 * kept, and stepping forward again moves back onto them. */
#include "pagesim/history.h"
#include "pagesim/format.h"
#include "mem.h"
#include <stdio.h>

struct scn_history {
    const ps_alloc_t *alloc;
    scn_script_t *script;
    scn_runner_t **state;  /* count + 1                                      */
    scn_result_t *result;  /* count                                          */
    char **text;           /* count; each NUL-terminated, allocated          */
    size_t *text_size;
    size_t done, count;
    char error[600];
};

ps_result_t scn_history_open(const ps_alloc_t *a, const char *text, size_t len, scn_history_t **out,
                             scn_error_t *err)
{
    *out = NULL;
    if (!a) a = ps_default_alloc();
    scn_script_t *script;
    ps_result_t r = scn_parse(a, text, len, &script, err);
    if (r != PS_OK) return r;
    scn_history_t *h = ps_calloc(a, sizeof *h);
    size_t n = scn_script_count(script);
    if (h) {
        h->alloc = a;
        h->script = script;
        h->count = n;
        h->state = ps_calloc(a, (n + 1) * sizeof *h->state);
        h->result = ps_calloc(a, (n + 1) * sizeof *h->result);
        h->text = ps_calloc(a, (n + 1) * sizeof *h->text);
        h->text_size = ps_calloc(a, (n + 1) * sizeof *h->text_size);
    }
    if (!h || !h->state || !h->result || !h->text || !h->text_size ||
        scn_runner_new(a, script, &h->state[0]) != PS_OK) {
        if (h) scn_history_free(h);
        else scn_script_free(script);
        if (err) {
            err->line = err->col = 0;
            snprintf(err->msg, sizeof err->msg, "out of memory");
        }
        return PS_ENOMEM;
    }
    scn_runner_prepare(h->state[0]);
    *out = h;
    return PS_OK;
}

void scn_history_free(scn_history_t *h)
{
    if (!h) return;
    const ps_alloc_t *a = h->alloc;
    for (size_t i = 0; i <= h->count; i++) {
        if (h->state) scn_runner_free(h->state[i]);
        if (h->text && h->text_size) ps_free(a, h->text[i], h->text_size[i]);
    }
    ps_free(a, h->state, (h->count + 1) * sizeof *h->state);
    ps_free(a, h->result, (h->count + 1) * sizeof *h->result);
    ps_free(a, h->text, (h->count + 1) * sizeof *h->text);
    ps_free(a, h->text_size, (h->count + 1) * sizeof *h->text_size);
    scn_script_free(h->script);
    ps_free(a, h, sizeof *h);
}

const scn_script_t *scn_history_script(const scn_history_t *h) { return h->script; }
size_t scn_history_count(const scn_history_t *h) { return h->count; }
size_t scn_history_done(const scn_history_t *h) { return h->done; }
const char *scn_history_error(const scn_history_t *h) { return h->error; }
scn_runner_t *scn_history_runner(const scn_history_t *h) { return h->state[h->done]; }

const scn_result_t *scn_history_result(const scn_history_t *h, size_t k)
{
    return k < h->done ? &h->result[k] : NULL;
}

const char *scn_history_text(const scn_history_t *h, size_t k)
{
    return k < h->done && h->text[k] ? h->text[k] : "";
}

/* The prose of result k, kept in text[k]. False when out of memory. */
static bool keep_text(scn_history_t *h, size_t k, const scn_result_t *res)
{
    strbuf_t b;
    strbuf_init(&b, h->alloc);
    scn_format_text(&b, h->script, res);
    const char *s = strbuf_str(&b);
    size_t n = strlen(s) + 1;
    char *copy = strbuf_failed(&b) ? NULL : ps_malloc(h->alloc, n);
    if (copy) memcpy(copy, s, n);
    strbuf_fini(&b);
    if (!copy) return false;
    ps_free(h->alloc, h->text[k], h->text_size[k]);
    h->text[k] = copy;
    h->text_size[k] = n;
    return true;
}

bool scn_history_forward(scn_history_t *h)
{
    if (h->done >= h->count) return false;
    h->error[0] = 0;
    /* Stepped back over it: the machine after it is still here (the core
     * is deterministic, so running it again would give the same). */
    if (h->state[h->done + 1]) {
        h->done++;
        return true;
    }
    scn_runner_t *next = scn_runner_clone(h->state[h->done]);
    if (!next) {
        snprintf(h->error, sizeof h->error, "out of memory");
        return false;
    }
    scn_error_t err;
    scn_result_t res;
    if (scn_step(next, &res, &err) != SCN_STEP_OK) {
        snprintf(h->error, sizeof h->error, "%u:%u: error: %s", err.line, err.col, err.msg);
        scn_runner_free(next);
        return false;
    }
    if (!keep_text(h, h->done, &res)) {
        snprintf(h->error, sizeof h->error, "out of memory");
        scn_runner_free(next);
        return false;
    }
    scn_runner_prepare(next);
    h->result[h->done] = res;
    h->state[h->done + 1] = next;
    h->done++;
    return true;
}

bool scn_history_back(scn_history_t *h)
{
    h->error[0] = 0;
    if (h->done == 0) return false;
    h->done--;
    return true;
}

void scn_history_restart(scn_history_t *h)
{
    h->error[0] = 0;
    h->done = 0;
}

void scn_history_run_to(scn_history_t *h, size_t index)
{
    if (index > h->count) index = h->count;
    if (h->done > index) {
        h->done = index;
        h->error[0] = 0;
    }
    while (h->done < index && scn_history_forward(h)) {}
}

size_t scn_history_index_of_line(const scn_history_t *h, uint32_t line)
{
    for (size_t i = 0; i < h->count; i++)
        if (scn_script_line(h->script, i) >= line) return i;
    return h->count;
}
