/* The translation stepper: which address to walk, the walk made on a copy
 * of the machine, and its lines a step at a time, told by the core's one
 * narrator (fmt_walk_lines) and, in a Windows process, by the memory
 * manager when the walk faults. */
#include "model.h"
#include "pagesim/winconst.h"
#include "pagesim/winsdk.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void model_stepper_set(tui_model_t *m, uint32_t va, mmu_access_t acc, mmu_mode_t mode)
{
    m->xset = true;
    m->xva = va;
    m->xacc = acc;
    m->xmode = mode;
    m->xstep = 1;
    m->scroll = 0;
    m->panel = PANEL_STEPPER;
}

/* The walk of the next statement when it is a translate, run on a copy. */
static bool next_translate(const tui_model_t *m, mmu_walk_t *w)
{
    size_t done = model_done(m);
    if (done >= model_count(m) || scn_script_verb(scn_history_script(m->h), done) != SCN_TRANSLATE) return false;
    scn_runner_t *copy = scn_runner_clone(model_runner(m));
    scn_result_t res;
    scn_error_t err;
    bool ok = copy && scn_step(copy, &res, &err) == SCN_STEP_OK && (res.has & SCN_HAS_WALK);
    if (ok) *w = res.walk;
    scn_runner_free(copy);
    return ok;
}

/* The address to walk, with its access and mode: the one set, else the next
 * statement's translate, else the address of the last statement that was
 * about one. */
static void stepper_choice(const tui_model_t *m, uint32_t *va, mmu_access_t *acc, mmu_mode_t *mode)
{
    *va = m->xva;
    *acc = m->xacc;
    *mode = m->xmode;
    if (m->xset) return;
    mmu_walk_t next;
    if (next_translate(m, &next)) {
        *va = next.va;
        *acc = next.access;
        *mode = next.mode;
        return;
    }
    *va = 0;
    for (size_t k = model_done(m); k-- > 0;)
        if (scn_history_focus(m->h, k, va)) return;
}

uint32_t model_stepper_address(const tui_model_t *m)
{
    uint32_t va;
    mmu_access_t acc;
    mmu_mode_t mode;
    stepper_choice(m, &va, &acc, &mode);
    return va;
}

void model_stepper_translate(const tui_model_t *m, tui_translation_t *t)
{
    memset(t, 0, sizeof *t);
    stepper_choice(m, &t->va, &t->acc, &t->mode);
    scn_runner_t *copy = scn_runner_clone(model_runner(m));
    if (!copy) {
        snprintf(t->why, sizeof t->why, "out of memory");
        return;
    }
    mm_t *mm = scn_runner_mm(copy);
    mmu_t *mmu = scn_runner_mmu(copy);
    if (mm) {
        t->process = true;
        strbuf_t why;
        strbuf_init(&why, NULL);
        mm_access_t res;
        memset(&res, 0, sizeof res);
        res.why = &why;
        mm_translate(mm_current(mm), t->va, t->acc, t->mode, &t->walk, &t->retry, &t->retried, &res);
        t->resolved = res.resolved;
        t->exception = res.exception;
        snprintf(t->why, sizeof t->why, "%s", strbuf_str(&why));
        strbuf_fini(&why);
    } else if (mmu) {
        mmu_translate(mmu, t->va, t->acc, t->mode, &t->walk);
    }
    scn_runner_free(copy);
}

/* The stepper's own lines, after the narrator's. */
typedef struct more {
    fmt_line_t *v;
    int n, max, step;
} more_t;

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void say(more_t *l, fmt_kind_t kind, const char *label, const char *fmt, ...)
{
    if (l->n >= l->max) return;
    fmt_line_t *e = &l->v[l->n++];
    e->step = l->step;
    e->kind = kind;
    e->label = label;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->text, sizeof e->text, fmt, ap);
    va_end(ap);
}

/* How the memory manager resolves the fault: its verdict, why (a line of
 * the explanation each), and the walk retried or the exception raised. */
static void manager_step(more_t *l, const tui_translation_t *t)
{
    say(l, FMT_HEAD, "MM", "memory manager: %s", mm_resolution_str(t->resolved));
    for (const char *s = t->why; *s;) {
        size_t n = strcspn(s, "\n");
        if (n) say(l, FMT_WHY, "", "%.*s", (int)(n < 190 ? n : 190), s);
        s += n + (s[n] == '\n');
    }
    if (t->retried && t->retry.reason == MMU_OK)
        say(l, FMT_OK, "", "retried: physical 0x%08X (PTE now 0x%08X)", t->retry.phys,
            t->retry.nlevels > 1 ? t->retry.level[1].value : t->retry.level[0].value);
    else if (t->exception) {
        const char *name = wc_exception_name(t->exception);
        if (name) say(l, FMT_FAULT, "", "the process gets %s", name);
        else say(l, FMT_FAULT, "", "the process gets exception 0x%08X", (unsigned)t->exception);
    }
}

int model_stepper_lines(const tui_model_t *m, int steps, fmt_line_t *out, int max, int *total)
{
    tui_translation_t t;
    model_stepper_translate(m, &t);
    fmt_line_t walk[FMT_WALK_LINES];
    int nwalk = 0, n = fmt_walk_lines(&t.walk, walk, FMT_WALK_LINES, &nwalk);
    bool manager = t.process && t.walk.reason != MMU_OK;
    int all = nwalk + (manager ? 1 : 0);
    if (total) *total = all;
    if (steps < 0 || steps > all) steps = all;
    more_t l = { out, 0, max, nwalk };
    for (int i = 0; i < n && l.n < max; i++)
        if (walk[i].step < steps) out[l.n++] = walk[i];
    if (manager && steps > nwalk) manager_step(&l, &t);
    return l.n;
}

bool model_stepper_next(tui_model_t *m)
{
    int total = 0;
    fmt_line_t scratch[1];
    (void)model_stepper_lines(m, 0, scratch, 1, &total);
    if (m->xstep >= total) return false;
    m->xstep++;
    return true;
}

/* The access and mode words at the end of text, taken off it: the length
 * of the expression before them. */
static size_t take_words(const char *text, size_t len, mmu_access_t *acc, mmu_mode_t *mode)
{
    static const struct { const char *word; int access, mode; } words[] = {
        { "read", MMU_READ, -1 }, { "write", MMU_WRITE, -1 }, { "exec", MMU_EXEC, -1 }, { "execute", MMU_EXEC, -1 },
        { "user", -1, MMU_USER }, { "kernel", -1, MMU_KERNEL }, { "supervisor", -1, MMU_KERNEL },
    };
    for (;;) {
        while (len && text[len - 1] == ' ') len--;
        size_t start = len;
        while (start && text[start - 1] != ' ') start--;
        size_t k = 0, nw = sizeof words / sizeof words[0];
        while (k < nw && !(strlen(words[k].word) == len - start && !memcmp(words[k].word, text + start, len - start)))
            k++;
        if (k == nw || start == 0) return len;
        if (words[k].access >= 0) *acc = (mmu_access_t)words[k].access;
        if (words[k].mode >= 0) *mode = (mmu_mode_t)words[k].mode;
        len = start;
    }
}

bool model_stepper_parse(tui_model_t *m, const char *text)
{
    mmu_access_t acc = MMU_READ;
    mmu_mode_t mode = MMU_USER;
    size_t len = take_words(text, strlen(text), &acc, &mode);
    uint32_t va = 0;
    scn_error_t err;
    ps_result_t r = scn_runner_eval(model_runner(m), text, len, &va, &err);
    if (r != PS_OK) {
        snprintf(m->message, sizeof m->message, "not an address: %.*s: %.200s (column %u)",
                 (int)(len < 80 ? len : 80), text, err.msg, err.col);
        return false;
    }
    m->message[0] = '\0';
    model_stepper_set(m, va, acc, mode);
    return true;
}
