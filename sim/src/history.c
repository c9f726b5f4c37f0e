/* A scenario run forwards and backwards, in bounded memory.
 *
 * The core is deterministic, so the machine after k statements can always
 * be made again by running them from an earlier copy. The history keeps:
 *
 *   cur    the machine after `done` statements, stepped in place (as fast
 *          as pagesim run: no copy per statement);
 *   ckpt   copies of the machine at some positions (checkpoints): the
 *          start, and every `interval` statements after it. When there are
 *          more than MAX_CKPT, every other one is dropped and the interval
 *          doubles, so memory stays bounded however long the scenario;
 *   text   the prose of every statement run so far (what the log shows),
 *          and the address each was about (what the stepper starts from).
 *
 * Going back to k (or forward past a checkpoint) makes a copy of the last
 * checkpoint at or before k and runs the statements from there to k: at
 * most `interval` of them. A copy shares its physical memory with the
 * checkpoint, frame by frame, until one of them writes a frame
 * (phys_clone), so checkpoints cost what changed between them. */
#include "pagesim/history.h"
#include "pagesim/format.h"
#include "mem.h"
#include <stdio.h>
#include <string.h>

#define MAX_CKPT 32
#define FIRST_INTERVAL 64

typedef struct ckpt {
    size_t at;               /* statements run in it                         */
    scn_runner_t *r;
} ckpt_t;

/* What statement k was about (scn_history_focus). */
typedef struct focus {
    uint32_t va;
    bool set;
} focus_t;

struct scn_history {
    const ps_alloc_t *alloc;
    scn_script_t *script;
    size_t count;
    scn_runner_t *cur;       /* the machine after `done` statements          */
    size_t done;
    scn_result_t last;       /* statement done - 1's result (pointers into cur) */
    bool have_last;
    ckpt_t ckpt[MAX_CKPT + 1];
    size_t nckpt, interval;
    /* The prose of statements [0, known) in one arena, and their focus. */
    char *arena;
    size_t alen, acap;
    size_t *toff;            /* count + 1 offsets                            */
    focus_t *focus;          /* count                                        */
    size_t known;
    /* An older result, made again on request (scn_history_result). */
    scn_runner_t *peek;
    scn_result_t peek_res;
    char error[600];
};

static void set_oom(scn_history_t *h)
{
    snprintf(h->error, sizeof h->error, "out of memory");
}

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
    bool ok = h != NULL;
    if (ok) {
        h->alloc = a;
        h->script = script;
        h->count = n;
        h->interval = FIRST_INTERVAL;
        h->toff = ps_calloc(a, (n + 1) * sizeof *h->toff);
        h->focus = ps_calloc(a, (n + 1) * sizeof *h->focus);
        ok = h->toff && h->focus && scn_runner_new(a, script, &h->cur) == PS_OK;
    }
    if (ok) {
        scn_runner_prepare(h->cur);
        h->ckpt[0].r = scn_runner_clone(h->cur);
        ok = h->ckpt[0].r != NULL;
        h->nckpt = ok;
    }
    if (!ok) {
        if (h) scn_history_free(h);
        else scn_script_free(script);
        if (err) {
            err->line = err->col = 0;
            snprintf(err->msg, sizeof err->msg, "out of memory");
        }
        return PS_ENOMEM;
    }
    *out = h;
    return PS_OK;
}

void scn_history_free(scn_history_t *h)
{
    if (!h) return;
    const ps_alloc_t *a = h->alloc;
    scn_runner_free(h->cur);
    scn_runner_free(h->peek);
    for (size_t i = 0; i < h->nckpt; i++) scn_runner_free(h->ckpt[i].r);
    ps_free(a, h->arena, h->acap);
    ps_free(a, h->toff, (h->count + 1) * sizeof *h->toff);
    ps_free(a, h->focus, (h->count + 1) * sizeof *h->focus);
    scn_script_free(h->script);
    ps_free(a, h, sizeof *h);
}

const scn_script_t *scn_history_script(const scn_history_t *h) { return h->script; }
size_t scn_history_count(const scn_history_t *h) { return h->count; }
size_t scn_history_done(const scn_history_t *h) { return h->done; }
const char *scn_history_error(const scn_history_t *h) { return h->error; }
scn_runner_t *scn_history_runner(const scn_history_t *h) { return h->cur; }

const char *scn_history_text(const scn_history_t *h, size_t k)
{
    return k < h->done && k < h->known ? h->arena + h->toff[k] : "";
}

bool scn_history_focus(const scn_history_t *h, size_t k, uint32_t *va)
{
    if (k >= h->done || k >= h->known || !h->focus[k].set) return false;
    *va = h->focus[k].va;
    return true;
}

/* The address a result is about: a translated address, an address that
 * faulted, or a new allocation's. */
static focus_t focus_of(const scn_result_t *r)
{
    focus_t f = { 0, true };
    if (r->has & SCN_HAS_WALK) f.va = r->walk.va;
    else if ((r->has & SCN_HAS_EXC) && r->exc.code) f.va = r->exc.addr;
    else if ((r->has & SCN_HAS_ADDR) && r->ok && r->ret) f.va = r->ret;
    else f.set = false;
    return f;
}

/* Keeps the prose and focus of statement k (the next one not yet known). */
static bool keep_text(scn_history_t *h, size_t k, const scn_result_t *res)
{
    strbuf_t b;
    strbuf_init(&b, h->alloc);
    scn_format_text(&b, h->script, res);
    bool ok = !strbuf_failed(&b);
    size_t n = b.len + 1;
    if (ok && h->alen + n > h->acap) {
        size_t ncap = h->acap ? h->acap : 4096;
        while (ncap < h->alen + n) ncap *= 2;
        char *na = ps_realloc(h->alloc, h->arena, h->acap, ncap);
        ok = na != NULL;
        if (ok) {
            h->arena = na;
            h->acap = ncap;
        }
    }
    if (ok) {
        memcpy(h->arena + h->alen, strbuf_str(&b), n);
        h->toff[k] = h->alen;
        h->alen += n;
        h->focus[k] = focus_of(res);
        h->known = k + 1;
    }
    strbuf_fini(&b);
    return ok;
}

/* Every other checkpoint but the first goes, and the interval doubles. */
static void thin(scn_history_t *h)
{
    size_t kept = 1;
    for (size_t i = 1; i < h->nckpt; i++) {
        if (h->ckpt[i].at % (h->interval * 2) == 0) h->ckpt[kept++] = h->ckpt[i];
        else scn_runner_free(h->ckpt[i].r);
    }
    h->nckpt = kept;
    h->interval *= 2;
}

static void checkpoint(scn_history_t *h)
{
    if (h->done % h->interval || h->done <= h->ckpt[h->nckpt - 1].at) return;
    if (h->nckpt == MAX_CKPT) thin(h);
    if (h->done % h->interval) return;
    scn_runner_t *c = scn_runner_clone(h->cur);
    if (!c) return; /* no checkpoint here: going back replays further */
    h->ckpt[h->nckpt].at = h->done;
    h->ckpt[h->nckpt].r = c;
    h->nckpt++;
}

/* Runs statement done on cur. */
static bool step(scn_history_t *h)
{
    scn_error_t err;
    scn_result_t res;
    if (scn_step(h->cur, &res, &err) != SCN_STEP_OK) {
        snprintf(h->error, sizeof h->error, "%u:%u: error: %s", err.line, err.col, err.msg);
        return false;
    }
    if (h->done >= h->known && !keep_text(h, h->done, &res)) {
        set_oom(h);
        return false;
    }
    scn_runner_prepare(h->cur);
    h->last = res;
    h->have_last = true;
    h->done++;
    checkpoint(h);
    return true;
}

/* cur becomes a copy of the last checkpoint at or before k. */
static bool restore(scn_history_t *h, size_t k)
{
    size_t i = h->nckpt;
    while (i > 1 && h->ckpt[i - 1].at > k) i--;
    scn_runner_t *c = scn_runner_clone(h->ckpt[i - 1].r);
    if (!c) {
        set_oom(h);
        return false;
    }
    scn_runner_free(h->cur);
    h->cur = c;
    h->done = h->ckpt[i - 1].at;
    h->have_last = false;
    return true;
}

/* After a statement could not run, cur may be part-way through it: made
 * again as it was before (the statements before it ran, so this cannot
 * fail but for memory). */
static void recover(scn_history_t *h, size_t done)
{
    char error[sizeof h->error];
    memcpy(error, h->error, sizeof error);
    if (restore(h, done))
        while (h->done < done && step(h)) {}
    memcpy(h->error, error, sizeof error);
}

bool scn_history_forward(scn_history_t *h)
{
    if (h->done >= h->count) return false;
    h->error[0] = 0;
    size_t before = h->done;
    if (step(h)) return true;
    recover(h, before);
    return false;
}

void scn_history_run_to(scn_history_t *h, size_t index)
{
    if (index > h->count) index = h->count;
    h->error[0] = 0;
    /* Back: from the checkpoint before index. Forward past a checkpoint:
     * from the last one before index too, which is quicker than running
     * the statements between, and shares its memory with it. */
    size_t i = h->nckpt;
    while (i > 1 && h->ckpt[i - 1].at > index) i--;
    if ((index < h->done || h->ckpt[i - 1].at > h->done) && !restore(h, index)) return;
    while (h->done < index) {
        size_t before = h->done;
        if (!step(h)) {
            recover(h, before);
            return;
        }
    }
}

bool scn_history_back(scn_history_t *h)
{
    h->error[0] = 0;
    if (h->done == 0) return false;
    scn_history_run_to(h, h->done - 1);
    return !h->error[0];
}

void scn_history_restart(scn_history_t *h)
{
    scn_history_run_to(h, 0);
}

const scn_result_t *scn_history_result(scn_history_t *h, size_t k)
{
    if (k >= h->done) return NULL;
    if (k + 1 == h->done && h->have_last) return &h->last;
    /* Made again on a copy: the checkpoint before k, run to k + 1. */
    size_t i = h->nckpt;
    while (i > 1 && h->ckpt[i - 1].at > k) i--;
    scn_runner_free(h->peek);
    h->peek = scn_runner_clone(h->ckpt[i - 1].r);
    for (size_t at = h->ckpt[i - 1].at; h->peek && at <= k; at++) {
        scn_error_t err;
        if (scn_step(h->peek, &h->peek_res, &err) != SCN_STEP_OK) return NULL;
        scn_runner_prepare(h->peek);
    }
    return h->peek ? &h->peek_res : NULL;
}

size_t scn_history_index_of_line(const scn_history_t *h, uint32_t line)
{
    for (size_t i = 0; i < h->count; i++)
        if (scn_script_line(h->script, i) >= line) return i;
    return h->count;
}
