/* The terminal UI's view model. */
#include "model.h"
#include "fe_title.h"
#include "pagesim/backend.h"
#include "pagesim/format.h"
#include "pagesim/phys.h"
#include "pagesim/strbuf.h"
#include "pagesim/winconst.h"
#include "pagesim/x86.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

bool model_open(tui_model_t *m, const char *text, size_t len)
{
    memset(m, 0, sizeof *m);
    m->zoom = MODEL_ZOOM_USER;
    m->xacc = MMU_READ;
    m->xmode = MMU_USER;
    scn_error_t err;
    if (scn_history_open(NULL, text, len, &m->h, &err) != PS_OK) {
        snprintf(m->error, sizeof m->error, "%u:%u: error: %s", err.line, err.col, err.msg);
        return false;
    }
    return true;
}

void model_close(tui_model_t *m)
{
    scn_history_free(m->h);
    memset(m, 0, sizeof *m);
}

size_t model_done(const tui_model_t *m) { return scn_history_done(m->h); }
size_t model_count(const tui_model_t *m) { return scn_history_count(m->h); }
scn_runner_t *model_runner(const tui_model_t *m) { return scn_history_runner(m->h); }

mm_process_t *model_process(const tui_model_t *m)
{
    mm_t *mm = scn_runner_mm(model_runner(m));
    return mm ? mm_current(mm) : NULL;
}

const char *model_last_text(const tui_model_t *m)
{
    size_t done = model_done(m);
    return done ? scn_history_text(m->h, done - 1) : NULL;
}

/* After the machine changed: views that depend on it start again. */
static void moved(tui_model_t *m)
{
    snprintf(m->error, sizeof m->error, "%s", scn_history_error(m->h));
    m->scroll = 0;
    if (m->xstep > 1) m->xstep = 1;
    mm_process_t *p = model_process(m);
    if (m->zoom >= 0 && (!p || (uint32_t)m->zoom >= mm_alloc_count(p))) m->zoom = MODEL_ZOOM_USER;
}

bool model_forward(tui_model_t *m)
{
    bool ok = scn_history_forward(m->h);
    moved(m);
    return ok;
}

bool model_back(tui_model_t *m)
{
    bool ok = scn_history_back(m->h);
    moved(m);
    return ok;
}

void model_restart(tui_model_t *m)
{
    scn_history_restart(m->h);
    moved(m);
}

void model_run_to(tui_model_t *m, size_t index)
{
    scn_history_run_to(m->h, index);
    moved(m);
}

void model_run_to_line(tui_model_t *m, uint32_t line)
{
    model_run_to(m, scn_history_index_of_line(m->h, line));
}

/* The stepper. ---------------------------------------------------------- */

void model_stepper_set(tui_model_t *m, uint32_t va, mmu_access_t acc, mmu_mode_t mode)
{
    m->xset = true;
    m->xva = va;
    m->xacc = acc;
    m->xmode = mode;
    m->xstep = 1;
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
 * statement's translate, else the last address used. */
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
    for (size_t k = model_done(m); k-- > 0;) {
        const scn_result_t *r = scn_history_result(m->h, k);
        if (r->has & SCN_HAS_WALK) *va = r->walk.va;
        else if ((r->has & SCN_HAS_EXC) && r->exc.code) *va = r->exc.addr;
        else if ((r->has & SCN_HAS_ADDR) && r->ok && r->ret) *va = r->ret;
        else continue;
        return;
    }
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

void model_bits(uint32_t va, char out[36])
{
    int k = 0;
    for (int i = 31; i >= 0; i--) {
        out[k++] = (va >> i) & 1u ? '1' : '0';
        if (i == 22 || i == 12) out[k++] = ' ';
    }
    out[k] = 0;
}

typedef struct lines {
    tui_line_t *v;
    int n, max;
} lines_t;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void add(lines_t *l, line_kind_t kind, const char *fmt, ...)
{
    if (l->n >= l->max) return;
    tui_line_t *e = &l->v[l->n++];
    e->kind = kind;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->text, sizeof e->text, fmt, ap);
    va_end(ap);
}

/* Appends the text of b as lines of kind (one per line of b). */
static void add_text(lines_t *l, line_kind_t kind, const char *indent, const char *s)
{
    while (s && *s) {
        const char *nl = strchr(s, '\n');
        int n = nl ? (int)(nl - s) : (int)strlen(s);
        if (n > 0) add(l, kind, "%s%.*s", indent, n, s);
        s += n + (nl ? 1 : 0);
    }
}

static void level_lines(lines_t *l, const mmu_walk_t *w, int i)
{
    const mmu_level_t *e = &w->level[i];
    const char *name = e->kind == MMU_LEVEL_PDE ? "PDE" : "PTE";
    add(l, LINE_HEAD, "%s at 0x%08X + 0x%03X*4 = 0x%08X: value 0x%08X", name, e->table, e->index, e->entry_addr,
        e->value);
    if (!(e->value & X86_P)) {
        add(l, LINE_WHY, "  P=0: not present, the walk stops with a page fault%s",
            e->value ? "; the other 31 bits are the memory manager's (a software PTE)" : "");
        return;
    }
    strbuf_t b;
    strbuf_init(&b, NULL);
    fmt_entry_flags(&b, e->value, e->kind, w->large && i == 0);
    add(l, LINE_PLAIN, "  %s", strbuf_str(&b));
    strbuf_fini(&b);
    if (e->kind == MMU_LEVEL_PDE && w->large)
        add(l, LINE_WHY, "  PS=1: a 4 MB page at 0x%08X; the low 22 bits are the offset", e->value & X86_LARGE_FRAME_MASK);
    else if (e->kind == MMU_LEVEL_PDE)
        add(l, LINE_WHY, "  present: the page table is at 0x%08X; the table index picks its entry",
            e->value & X86_FRAME_MASK);
    else add(l, LINE_WHY, "  present: the page is in frame 0x%05X", e->value >> 12);
}

static void result_lines(lines_t *l, const mmu_walk_t *w)
{
    if (w->reason == MMU_OK) {
        add(l, LINE_OK, "physical 0x%08X + 0x%0*X = 0x%08X", w->frame, w->large ? 6 : 3,
            w->large ? X86_LARGE_OFFSET(w->va) : X86_PAGE_OFFSET(w->va), w->phys);
        add(l, LINE_WHY, "  the frame's base plus the offset; the %s is allowed (R/W %d, U/S %d)",
            mmu_access_str(w->access), w->rw, w->us);
        return;
    }
    strbuf_t b;
    strbuf_init(&b, NULL);
    strbuf_printf(&b, "#PF: %s; error code ", mmu_reason_str(w->reason));
    fmt_error_code(&b, w->error_code);
    add(l, LINE_FAULT, "%s", strbuf_str(&b));
    strbuf_fini(&b);
}

int model_stepper_lines(const tui_model_t *m, int steps, tui_line_t *out, int max, int *total)
{
    tui_translation_t t;
    model_stepper_translate(m, &t);
    const mmu_walk_t *w = &t.walk;
    lines_t l = { out, 0, max };
    bool hit = w->tlb == MMU_TLB_HIT;
    bool fault = w->reason != MMU_OK;
    int n = 2 + 1 + w->nlevels + 1 + (fault && t.process ? 1 : 0);
    if (total) *total = n;
    if (steps < 0 || steps > n) steps = n;
    char bits[36];
    model_bits(t.va, bits);
    int s = 0;
    add(&l, LINE_HEAD, "translate 0x%08X, %s in %s mode", t.va, mmu_access_str(t.acc),
        mmu_mode_str(t.mode));
    if (s++ < steps) {
        add(&l, LINE_BITS, "%s", bits);
        add(&l, LINE_PLAIN, "directory 0x%03X  table 0x%03X  offset 0x%03X", X86_PDE_INDEX(t.va), X86_PTE_INDEX(t.va),
            X86_PAGE_OFFSET(t.va));
        add(&l, LINE_WHY, "  bits 31-22 pick the PDE, 21-12 the PTE, 11-0 the byte in the page");
    }
    if (s++ < steps) {
        if (w->tlb == MMU_TLB_OFF) add(&l, LINE_HEAD, "TLB: none on this machine");
        else add(&l, LINE_HEAD, "TLB %s", hit ? "hit" : "miss");
        add(&l, LINE_WHY, hit ? "  the translation is cached: the processor reads no memory; below, what the "
                                "tables in memory say"
                              : "  no cached translation: the processor walks the tables in memory");
    }
    if (s++ < steps) {
        add(&l, LINE_HEAD, "CR3 0x%08X", w->cr3);
        add(&l, LINE_WHY, "  CR3 holds the page directory's physical address, 0x%08X", w->cr3 & X86_CR3_BASE);
    }
    for (int i = 0; i < w->nlevels; i++)
        if (s++ < steps) level_lines(&l, w, i);
    if (s++ < steps) result_lines(&l, w);
    if (fault && t.process && s++ < steps) {
        add(&l, LINE_HEAD, "memory manager: %s", mm_resolution_str(t.resolved));
        add_text(&l, LINE_WHY, "  ", t.why);
        if (t.retried && t.retry.reason == MMU_OK)
            add(&l, LINE_OK, "retried: physical 0x%08X (PTE now 0x%08X)", t.retry.phys,
                t.retry.nlevels > 1 ? t.retry.level[1].value : t.retry.level[0].value);
        else if (t.exception)
            add(&l, LINE_FAULT, "the process gets %s", t.exception == 0x80000001u ? "STATUS_GUARD_PAGE_VIOLATION"
                                                                                  : "EXCEPTION_ACCESS_VIOLATION");
    }
    return l.n;
}

bool model_stepper_next(tui_model_t *m)
{
    int total = 0;
    tui_line_t scratch[1];
    (void)model_stepper_lines(m, 0, scratch, 1, &total);
    if (m->xstep >= total) return false;
    m->xstep++;
    return true;
}

/* The map. -------------------------------------------------------------- */

/* Which state a cell of several pages shows: the rarest and most telling. */
static const uint8_t k_priority[MM_PAGE_STATE_COUNT] = {
    [MM_PAGE_FREE] = 0, [MM_PAGE_SYSTEM] = 1, [MM_PAGE_RESERVED] = 2, [MM_PAGE_COMMITTED] = 3,
    [MM_PAGE_RESIDENT] = 4, [MM_PAGE_DIRTY] = 5, [MM_PAGE_IMAGE] = 6, [MM_PAGE_MAPPED] = 7,
    [MM_PAGE_COPY_ON_WRITE] = 8, [MM_PAGE_PAGE_TABLE] = 9, [MM_PAGE_GUARD] = 10,
};

void model_map_range(const tui_model_t *m, uint32_t *lo, uint32_t *hi)
{
    mm_process_t *p = model_process(m);
    uint64_t low = MM_USER_LOW, high = p ? (uint64_t)mm_user_high(scn_runner_mm(model_runner(m))) + 1 : 0x80000000u;
    mm_alloc_info_t a;
    if (m->zoom == MODEL_ZOOM_4G) {
        low = 0;
        high = 0x100000000ull;
    } else if (p && m->zoom >= 0 && mm_alloc_at(p, (uint32_t)m->zoom, &a)) {
        low = a.start;
        high = a.end;
        /* The window, while it is inside the allocation (a step may have
         * changed what the index names). */
        if (m->zhi && m->zlo >= low && m->zhi <= high && m->zlo < m->zhi) {
            low = m->zlo;
            high = m->zhi;
        }
    }
    *lo = (uint32_t)low;
    *hi = (uint32_t)(high - 1) + 1u; /* 0 for the top of the 4 GB */
}

void model_map(const tui_model_t *m, mm_page_state_t *cells, int n, uint32_t *lo, uint32_t *hi)
{
    mm_process_t *p = model_process(m);
    model_map_range(m, lo, hi);
    uint64_t low = *lo, high = *hi ? *hi : 0x100000000ull;
    for (int i = 0; i < n; i++) cells[i] = MM_PAGE_FREE;
    if (!p || n <= 0) return;
    uint32_t first = (uint32_t)(low >> 12), pages = (uint32_t)((high - low) >> 12);
    uint8_t chunk[4096];
    if (pages < (uint32_t)n && pages <= sizeof chunk) {
        /* Fewer pages than cells: each page spreads over the cells whose
         * addresses it holds (cell i starts at page i * pages / n). */
        mm_page_states(p, first, pages, chunk);
        for (int i = 0; i < n; i++) cells[i] = (mm_page_state_t)chunk[(uint64_t)i * pages / (uint64_t)n];
        return;
    }
    for (uint32_t done = 0; done < pages;) {
        uint32_t k = pages - done < sizeof chunk ? pages - done : (uint32_t)sizeof chunk;
        mm_page_states(p, first + done, k, chunk);
        for (uint32_t j = 0; j < k; j++) {
            int cell = (int)((uint64_t)(done + j) * (uint64_t)n / pages);
            if (k_priority[chunk[j]] > k_priority[cells[cell]]) cells[cell] = (mm_page_state_t)chunk[j];
        }
        done += k;
    }
}

void model_zoom_in(tui_model_t *m)
{
    mm_process_t *p = model_process(m);
    m->zlo = m->zhi = 0;
    if (m->zoom == MODEL_ZOOM_4G) {
        m->zoom = MODEL_ZOOM_USER;
        return;
    }
    uint32_t n = p ? mm_alloc_count(p) : 0;
    if (n) m->zoom = (m->zoom + 1) % (int)n;
}

void model_zoom_out(tui_model_t *m)
{
    if (m->zoom >= 0 && m->zhi) m->zlo = m->zhi = 0;
    else m->zoom = m->zoom >= 0 ? MODEL_ZOOM_USER : MODEL_ZOOM_4G;
}

bool model_zoom_at(tui_model_t *m, uint32_t va, uint32_t len)
{
    mm_process_t *p = model_process(m);
    mm_alloc_info_t a;
    uint64_t end = (uint64_t)va + (len ? len : 1);
    for (uint32_t i = 0; p && mm_alloc_at(p, i, &a); i++) {
        if (a.start < end && va < a.end) {
            m->zoom = (int)i;
            m->zlo = m->zhi = 0;
            return true;
        }
    }
    return false;
}

bool model_zoom_pages(tui_model_t *m, uint32_t va, int cells)
{
    if (cells < 1 || !model_zoom_at(m, va, 1)) return false;
    mm_alloc_info_t a;
    mm_alloc_at(model_process(m), (uint32_t)m->zoom, &a);
    uint64_t span = (uint64_t)(uint32_t)cells << 12;
    if ((uint64_t)a.end - a.start <= span) return true;
    /* va's page in the middle, the window kept inside the allocation. */
    uint64_t lo = (uint64_t)(va & ~0xFFFu) - ((uint64_t)(uint32_t)cells / 2 << 12);
    if (lo < a.start || lo > (uint64_t)va) lo = a.start;
    if (lo + span > a.end) lo = a.end - span;
    m->zlo = (uint32_t)lo;
    m->zhi = (uint32_t)(lo + span);
    return true;
}

/* The page-table browser. ----------------------------------------------- */

static uint32_t entry_at(const tui_model_t *m, uint32_t table, uint32_t i)
{
    mmu_t *mmu = scn_runner_mmu(model_runner(m));
    return mmu ? phys_read32(mmu_phys_const(mmu), table + i * 4) : 0;
}

static uint32_t directory(const tui_model_t *m)
{
    mmu_t *mmu = scn_runner_mmu(model_runner(m));
    return mmu ? mmu_cr3(mmu) & X86_CR3_BASE : 0;
}

/* The next index from i in direction d (+1/-1) whose entry is not zero,
 * or i when there is none. */
static uint32_t next_used(const tui_model_t *m, uint32_t table, uint32_t i, int d)
{
    for (uint32_t k = 1; k < 1024; k++) {
        uint32_t j = (uint32_t)((int)i + d * (int)k) & 1023u;
        if (entry_at(m, table, j)) return j;
    }
    return i;
}

void model_browse_move(tui_model_t *m, int delta)
{
    int d = delta < 0 ? -1 : 1;
    uint32_t dir = directory(m);
    if (m->browse == BROWSE_DIRECTORY) m->pde = next_used(m, dir, m->pde, d);
    else if (m->browse == BROWSE_TABLE) {
        uint32_t pde = entry_at(m, dir, m->pde);
        m->pte = next_used(m, pde & X86_FRAME_MASK, m->pte, d);
    } else if (m->browse == BROWSE_FRAMES) {
        m->scroll += d;
        if (m->scroll < 0) m->scroll = 0;
    }
}

void model_browse_enter(tui_model_t *m)
{
    uint32_t pde = entry_at(m, directory(m), m->pde);
    if (m->browse == BROWSE_DIRECTORY && (pde & X86_P) && !(pde & X86_PS)) {
        m->browse = BROWSE_TABLE;
        m->pte = entry_at(m, pde & X86_FRAME_MASK, 0) ? 0 : next_used(m, pde & X86_FRAME_MASK, 0, 1);
    } else if (m->browse == BROWSE_TABLE) {
        m->browse = BROWSE_ENTRY;
    }
}

void model_browse_leave(tui_model_t *m)
{
    if (m->browse == BROWSE_ENTRY) m->browse = BROWSE_TABLE;
    else if (m->browse == BROWSE_TABLE || m->browse == BROWSE_FRAMES) m->browse = BROWSE_DIRECTORY;
}

/* Layout. --------------------------------------------------------------- */

void model_layout(const tui_model_t *m, int rows, int cols, tui_layout_t *out)
{
    memset(out, 0, sizeof *out);
    out->rows = rows;
    out->cols = cols;
    bool map = model_process(m) != NULL && rows >= 12;
    out->help_y = rows - 1;
    out->map_y = map ? rows - 3 : -1;
    out->src_top = 1;
    out->src_h = (map ? out->map_y : out->help_y) - 1;
    if (out->src_h < 0) out->src_h = 0; /* a screen of 1 or 2 rows: the title and the help line */
    /* The source gets 2/5 of a wide screen, 34 columns of a narrow one. */
    out->src_w = cols >= 100 ? cols * 2 / 5 : (cols > 60 ? 34 : cols / 2);
    out->tabs_y = out->src_h > 0 ? 1 : -1;
    out->pan_left = out->src_w + 1;
    out->pan_w = cols > out->pan_left ? cols - out->pan_left : 0;
    out->pan_top = 2;
    out->pan_h = out->src_h > 1 ? out->src_h - 1 : 0;
}

size_t model_source_first(const tui_model_t *m, int h)
{
    size_t cur = model_done(m), half = (size_t)(h > 1 ? h / 2 : 0);
    return cur > half ? cur - half : 0;
}

void model_status(const tui_model_t *m, const char *name, int cols, char *out, size_t size)
{
    static const char head[] = " pagesim-tui  ";
    char step[64], counters[192];
    snprintf(step, sizeof step, "  step %zu/%zu", model_done(m), model_count(m));
    counters[0] = '\0';
    mm_process_t *p = model_process(m);
    if (p) {
        mm_stats_t st;
        mm_stats(p, &st);
        snprintf(counters, sizeof counters, "  %s  ws %u  commit %lluK  dz %llu hard %llu av %llu",
                 mm_process_name(p), st.working_set, (unsigned long long)(st.commit_charge >> 10),
                 (unsigned long long)st.demand_zero_faults, (unsigned long long)st.hard_faults,
                 (unsigned long long)st.access_violations);
    } else if (scn_runner_mmu(model_runner(m))) {
        const mmu_stats_t *st = mmu_stats(scn_runner_mmu(model_runner(m)));
        snprintf(counters, sizeof counters, "  bare machine  TLB hits %llu misses %llu  #PF %llu",
                 (unsigned long long)st->tlb_hits, (unsigned long long)st->tlb_misses,
                 (unsigned long long)st->page_faults);
    }
    fe_title(out, size, cols, head, name, step, counters, NULL, NULL);
}
