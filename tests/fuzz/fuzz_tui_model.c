/* Fuzzes the terminal UI's view model with key scripts. An input is a
 * scenario and keys: a first byte below SCENARIO_COUNT picks one of the
 * embedded scenarios and the rest are keys; otherwise the scenario is the
 * text up to the first NUL byte and the keys follow it.
 *
 * The keys are the UI's (see the table in key()), some taking argument
 * bytes, plus a screen size and mouse clicks; after each, the screen is
 * "drawn" without curses: every query draw.c makes for the panel shown.
 * Scenarios run on a small machine unless they configure another (fuzz.h).
 * Checked: the memory manager's invariants in the machine shown; the prose
 * of each statement as the history made it (from its copies of the machine
 * and by running again from them) equal to a straight run's; the history's
 * error equal to the straight run's; the layout's sizes not negative; the
 * title always holding the step. */
#include "fuzz.h"
#include "model.h"
#include "pagesim/format.h"
#include "pagesim/phys.h"
#include "pagesim/strbuf.h"
#include "pagesim/x86.h"
#include "tui_scenarios.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A scenario of the input is taken when it has at most MAX_STATEMENTS
 * statements and runs within BUDGET (the history runs statements again to
 * step back, and a key may step many times, so the budget is small); keys
 * after MAX_KEYS are ignored, and so are keys that may step back (b, r, g,
 * G, a click) after MAX_MOVES of them: each may run the scenario again
 * from the history's last copy of the machine, which for an embedded
 * scenario that pages costs a second under ASan. */
enum { MAX_STATEMENTS = 64, MAX_KEYS = 256, MAX_MOVES = 12, MAX_MAPS = 8 };
#define BUDGET (1u << 16)

/* The straight run: the prose of each statement, and the error that
 * stopped it (as the history words it), if any. */
typedef struct ref {
    char *text[MAX_STATEMENTS];
    size_t n;
    char error[600];
} ref_t;

static void ref_free(ref_t *ref)
{
    for (size_t i = 0; i < ref->n; i++) free(ref->text[i]);
}

static char *dup_text(const strbuf_t *b)
{
    if (strbuf_failed(b)) fuzz_fail("out of memory");
    size_t n = strlen(strbuf_str(b)) + 1;
    char *s = malloc(n);
    if (!s) fuzz_fail("out of memory");
    return memcpy(s, strbuf_str(b), n);
}

/* False when the scenario is too long or asks for more work than the
 * budget. */
static bool straight_run(const char *text, size_t len, bool budgeted, ref_t *ref)
{
    memset(ref, 0, sizeof *ref);
    scn_script_t *s;
    scn_error_t perr;
    if (scn_parse(fuzz_alloc(), text, len, &s, &perr) != PS_OK)
        fuzz_fail("the scenario does not parse a second time: %s", perr.msg);
    if (scn_script_count(s) > MAX_STATEMENTS) {
        scn_script_free(s);
        return false;
    }
    scn_runner_t *r;
    if (scn_runner_new_backend(fuzz_alloc(), s, fuzz_budget_backend(), NULL, &r) != PS_OK)
        fuzz_fail("scn_runner_new failed");
    fuzz_budget_t budget = { budgeted ? BUDGET : UINT64_MAX, false };
    strbuf_t b;
    strbuf_init(&b, NULL);
    for (;;) {
        scn_result_t res;
        scn_error_t err;
        fuzz_budget = &budget;
        scn_step_t st = scn_step(r, &res, &err);
        fuzz_budget = NULL;
        if (st == SCN_STEP_END) break;
        if (st == SCN_STEP_ERROR) {
            snprintf(ref->error, sizeof ref->error, "%u:%u: error: %s", err.line, err.col, err.msg);
            break;
        }
        strbuf_clear(&b);
        scn_format_text(&b, s, &res);
        ref->text[ref->n++] = dup_text(&b);
        if (budget.out) break;
    }
    strbuf_fini(&b);
    scn_runner_free(r);
    scn_script_free(s);
    if (budget.out) ref_free(ref);
    return !budget.out;
}

/* The UI's state beyond the model: the screen and the scenario's name. */
typedef struct ui {
    tui_model_t m;
    int rows, cols;
    char name[80];
    const ref_t *ref;
    bool checked[MAX_STATEMENTS + 1]; /* the machine after k statements   */
    int moves;                        /* keys that may step back          */
    /* What the last drawing was made from: a key that changes none of it
     * (most do change something) is not drawn again; nor is the map,
     * the costliest part (every page of the range), while its range and the
     * machine stay, nor after MAX_MAPS drawings. */
    bool drawn_once;
    tui_model_t drawn;
    int drawn_rows, drawn_cols;
    char drawn_name[80];
    size_t map_done;
    tui_map_view_t map_view;
    int maps;
    bool map_drawn;
} ui_t;

static uint32_t u32_at(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int bar_cells(int cols) { return cols < MODEL_MAP_CELLS ? cols : MODEL_MAP_CELLS; }

/* main.c's handle_click, at (x, y) (a panel name: the panel x picks). */
static void click(ui_t *u, int x, int y)
{
    tui_model_t *m = &u->m;
    tui_layout_t L;
    model_layout(m, u->rows, u->cols, &L);
    uint32_t va;
    if (y >= L.src_top && y < L.src_top + L.src_h && x < L.src_w) {
        long line = model_source_line_at(m, L.src_h, L.src_w - L.src_text, y - L.src_top);
        if (line >= 0) model_run_to_line(m, (uint32_t)line + 1);
    } else if (L.map_y >= 0 && y == L.map_y) {
        if (x < L.map_cells && model_map_click(m, x, L.map_cells, &va)) model_stepper_set(m, va, m->xacc, m->xmode);
    } else if (y == L.tabs_y) {
        m->panel = (panel_t)(x % PANEL_COUNT);
    }
}

static void scroll_by(tui_model_t *m, int d)
{
    m->scroll += d;
    if (m->scroll < 0) m->scroll = 0;
}

/* Left/Right, as main.c's sideways. */
static void sideways(tui_model_t *m, int d)
{
    if (m->panel == PANEL_TABLES) {
        if (d < 0) model_browse_leave(m);
        else model_browse_enter(m);
        return;
    }
    m->hscroll += 8 * d;
    if (m->hscroll < 0) m->hscroll = 0;
}

/* One key c, its arguments taken from the n bytes at arg; returns how many
 * it took, or -1 to stop (q, or too few bytes left). Keys as in main.c:
 *   n Space forward   b back   r restart   e end   g L  run to line L
 *   G I  run to statement I   t L B*  the translate prompt's text (L bytes)
 *   T A4 F  stepper_set(A, access F%3, mode F/3%2)   w u  write, kernel
 *   1-5 panels   Enter  stepper next / browse in   h l  Left Right
 *   f  frames   k j  Up Down   K J  PgUp PgDn   + = -  zoom in, out
 *   Tab a A  next, previous allocation   z  onto the stepper's address
 *   p A4 C  zoom_pages(A, 1 + 4C cells)   x  stepper_next
 *   s R C  screen size (1 + R rows, 1 + 4C columns)   c X Y  click
 *   m P S H  panel P, scroll S, hscroll H   N L B*  the scenario's name
 *   Q  quiz mode on/off   v L B*  answer the quiz's pending question
 *   ?  the help text   q  quit */
static int key(ui_t *u, uint8_t c, const uint8_t *arg, size_t n)
{
    tui_model_t *m = &u->m;
    int cells = bar_cells(u->cols);
    m->message[0] = '\0';
    if (c && strchr("brgGc", c) && u->moves++ >= MAX_MOVES) {
        int args = c == 'c' ? 2 : c == 'g' || c == 'G' ? 1 : 0;
        return n >= (size_t)args ? args : -1;
    }
    switch (c) {
    case 'q': return -1;
    case 'n': case ' ': model_forward(m); return 0;
    case 'b': model_back(m); return 0;
    case 'r': model_restart(m); return 0;
    case 'e': model_run_to(m, model_count(m)); return 0;
    case 'g': if (n < 1) return -1; model_run_to_line(m, arg[0]); return 1;
    case 'G': if (n < 1) return -1; model_run_to(m, arg[0]); return 1;
    case 't': {
        if (n < 1) return -1;
        char text[160];
        size_t len = arg[0] % sizeof text;
        if (len > n - 1) len = n - 1;
        memcpy(text, arg + 1, len);
        text[len] = '\0';
        if (!model_stepper_parse(m, text) && !m->message[0]) fuzz_fail("model_stepper_parse('%s') failed silently", text);
        return (int)len + 1;
    }
    case 'T':
        if (n < 5) return -1;
        model_stepper_set(m, u32_at(arg), (mmu_access_t)(arg[4] % 3), (arg[4] / 3) % 2 ? MMU_KERNEL : MMU_USER);
        return 5;
    case 'w': m->xacc = m->xacc == MMU_WRITE ? MMU_READ : MMU_WRITE; return 0;
    case 'u': m->xmode = m->xmode == MMU_USER ? MMU_KERNEL : MMU_USER; return 0;
    case '1': case '2': case '3': case '4': case '5':
        m->panel = (panel_t)(c - '1');
        m->scroll = m->hscroll = 0;
        if (m->panel == PANEL_STEPPER && m->xstep == 0) m->xstep = 1;
        return 0;
    case '\n': case '\r':
        if (m->panel == PANEL_STEPPER) model_stepper_next(m);
        else if (m->panel == PANEL_TABLES) model_browse_enter(m);
        return 0;
    case 'h': sideways(m, -1); return 0;
    case 'l': sideways(m, 1); return 0;
    case 'f':
        if (m->panel == PANEL_TABLES) {
            m->browse = BROWSE_FRAMES;
            m->scroll = 0;
        }
        return 0;
    case 'k': case 'j':
        if (m->panel == PANEL_TABLES) model_browse_move(m, c == 'k' ? -1 : 1);
        else scroll_by(m, c == 'k' ? -1 : 1);
        return 0;
    case 'K': scroll_by(m, -10); return 0;
    case 'J': scroll_by(m, 10); return 0;
    case '+': case '=': model_zoom(m, 1, cells); return 0;
    case '-': model_zoom(m, -1, cells); return 0;
    case '\t': case 'a': model_zoom_next(m, 1); return 0;
    case 'A': model_zoom_next(m, -1); return 0;
    case 'z': model_zoom_pages(m, model_stepper_address(m), cells); return 0;
    case 'p': if (n < 5) return -1; model_zoom_pages(m, u32_at(arg), bar_cells(1 + 4 * arg[4])); return 5;
    case 'x': model_stepper_next(m); return 0;
    case 's':
        if (n < 2) return -1;
        u->rows = 1 + arg[0];
        u->cols = 1 + 4 * arg[1];
        return 2;
    case 'c': if (n < 2) return -1; click(u, arg[0] * 4 % u->cols, arg[1] % u->rows); return 2;
    case 'm':
        if (n < 3) return -1;
        m->panel = (panel_t)(arg[0] % PANEL_COUNT);
        m->scroll = (int8_t)arg[1] < 0 ? 0 : (int8_t)arg[1];
        m->hscroll = arg[2];
        return 3;
    case 'N': {
        if (n < 1) return -1;
        size_t len = arg[0] % sizeof u->name;
        if (len > n - 1) len = n - 1;
        memcpy(u->name, arg + 1, len);
        u->name[len] = '\0';
        return (int)len + 1;
    }
    case 'Q': quiz_mode_toggle(m); return 0;
    case 'v': {
        if (n < 1) return -1;
        char text[160];
        size_t len = arg[0] % sizeof text;
        if (len > n - 1) len = n - 1;
        memcpy(text, arg + 1, len);
        text[len] = '\0';
        const quiz_question_t *q = quiz_mode_pending(m);
        if (q && !quiz_mode_answer(m, text) && !m->message[0]) fuzz_fail("quiz answer '%s' refused silently", text);
        if (q && m->quiz.score.right > m->quiz.score.asked) fuzz_fail("quiz score %u/%u", m->quiz.score.right,
                                                                      m->quiz.score.asked);
        return (int)len + 1;
    }
    case '?': {
        strbuf_t b;
        strbuf_init(&b, NULL);
        model_help(&b);
        if (strbuf_failed(&b) || b.len == 0) fuzz_fail("model_help wrote nothing");
        strbuf_fini(&b);
        return 0;
    }
    default: return 0; /* a redraw */
    }
}

/* draw.c's queries, without curses. --------------------------------------- */

static void draw_tables(const tui_model_t *m, const tui_layout_t *L)
{
    if (m->browse == BROWSE_FRAMES) {
        mm_t *mm = scn_runner_mm(model_runner(m));
        if (!mm) return;
        int shown = 0, skip = m->scroll;
        for (uint32_t f = 0; f < mm_frame_count(mm) && shown < L->pan_h; f++) {
            mm_frame_info_t fi;
            mm_frame_info(mm, f, &fi);
            if (fi.kind == MM_FRAME_FREE || fi.kind == MM_FRAME_KERNEL || skip-- > 0) continue;
            if (fi.owner >= 0 && !mm_process_name(mm_process_at(mm, (uint32_t)fi.owner)))
                fuzz_fail("frame 0x%05X: owner %d has no name", f, fi.owner);
            (void)mm_frame_kind_str(fi.kind);
            shown++;
        }
        uint32_t nslots = mm_slot_count(mm);
        if (!nslots) return;
        mm_slot_info_t *si = malloc(nslots * sizeof *si);
        if (!si) fuzz_fail("out of memory");
        mm_slot_infos(mm, 1, nslots, si);
        for (uint32_t i = 0; i < nslots; i++)
            if (si[i].used && si[i].owner >= 0 && !mm_process_name(mm_process_at(mm, (uint32_t)si[i].owner)))
                fuzz_fail("slot %u: owner %d has no name", i + 1, si[i].owner);
        free(si);
        return;
    }
    mmu_t *mmu = scn_runner_mmu(model_runner(m));
    if (!mmu) return;
    const phys_t *ph = mmu_phys_const(mmu);
    uint32_t dir = mmu_cr3(mmu) & X86_CR3_BASE;
    if (m->pde > 1023 || m->pte > 1023) fuzz_fail("browser indices out of range: PDE %u PTE %u", m->pde, m->pte);
    uint32_t pde = phys_read32(ph, dir + m->pde * 4);
    for (uint32_t i = 0; i < 1024; i++) (void)phys_read32(ph, dir + i * 4);
    if (m->browse == BROWSE_DIRECTORY) return;
    uint32_t table = pde & X86_FRAME_MASK, pte = phys_read32(ph, table + m->pte * 4);
    for (uint32_t i = 0; i < 1024; i++) (void)phys_read32(ph, table + i * 4);
    if (m->browse == BROWSE_ENTRY) {
        strbuf_t b;
        strbuf_init(&b, NULL);
        if (pte & X86_P) fmt_entry_flags(&b, pte, MMU_LEVEL_PTE, false);
        mm_process_t *p = model_process(m);
        if (p) fmt_pte(&b, p, m->pde << 22 | m->pte << 12);
        strbuf_fini(&b);
    }
}

static void draw_regions(const tui_model_t *m, const tui_layout_t *L)
{
    mm_process_t *p = model_process(m);
    if (!p) return;
    strbuf_t b;
    strbuf_init(&b, NULL);
    if (L->pan_w >= 100) {
        fmt_address(&b, p, false, false, 0);
    } else {
        uint64_t top = (uint64_t)mm_user_high(scn_runner_mm(model_runner(m))) + 1;
        unsigned regions = 0;
        for (uint64_t va = 0; va < top;) {
            mm_mbi_t mbi;
            if (mm_virtual_query(p, (uint32_t)va, &mbi, NULL) != 0 || !mbi.RegionSize) break;
            if ((uint64_t)mbi.BaseAddress + mbi.RegionSize <= va || ++regions > 1u << 20)
                fuzz_fail("VirtualQuery walk does not advance at 0x%08llX", (unsigned long long)va);
            va = (uint64_t)mbi.BaseAddress + mbi.RegionSize;
        }
    }
    mm_mbi_t mbi;
    uint32_t va = model_stepper_address(m);
    if (va) (void)mm_virtual_query(p, va, &mbi, NULL);
    strbuf_fini(&b);
}

static void draw_stepper(const tui_model_t *m)
{
    fmt_line_t lines[MODEL_STEPPER_LINES];
    int total = -1;
    int n = model_stepper_lines(m, m->xstep, lines, MODEL_STEPPER_LINES, &total);
    if (n < 0 || n > MODEL_STEPPER_LINES || total < 0) fuzz_fail("model_stepper_lines: %d lines, %d steps", n, total);
    for (int i = 0; i < n; i++)
        if (!memchr(lines[i].text, '\0', sizeof lines[i].text) || !lines[i].label ||
            (unsigned)lines[i].kind > FMT_FAULT)
            fuzz_fail("model_stepper_lines: line %d is malformed", i);
}

/* An area of h rows at y and w columns at x is inside the screen (one of
 * no rows or no columns is nowhere, so anywhere). */
static bool inside(int y, int h, int x, int w, int rows, int cols)
{
    return h >= 0 && w >= 0 && (h == 0 || w == 0 || (y >= 0 && x >= 0 && y + h <= rows && x + w <= cols));
}

/* The layout's promise: every area inside the screen. */
static void check_layout(const tui_layout_t *L, int rows, int cols)
{
    bool ok = inside(L->src_top, L->src_h, 0, L->src_w, rows, cols) && L->src_text >= 0 &&
              inside(L->pan_top, L->pan_h, L->pan_left, L->pan_w, rows, cols) &&
              L->tabs_y >= -1 && L->tabs_y < rows && L->help_y >= -1 && L->help_y < rows &&
              (L->map_y == -1 || (L->map_y >= 1 && L->map_y + 1 < rows)) && L->map_cells >= 0 &&
              L->map_cells <= cols && L->map_cells <= MODEL_MAP_CELLS;
    if (!ok)
        fuzz_fail("model_layout(%d x %d): an area outside the screen: source %d+%d x %d (text at %d), tabs %d, "
                  "panel %d+%d x %d+%d, map %d (%d cells), help %d", rows, cols, L->src_top, L->src_h, L->src_w,
                  L->src_text, L->tabs_y, L->pan_top, L->pan_h, L->pan_left, L->pan_w, L->map_y, L->map_cells,
                  L->help_y);
}

static void draw_map(ui_t *u, const tui_layout_t *L)
{
    const tui_model_t *m = &u->m;
    if (L->map_y < 0 || u->maps >= MAX_MAPS) return;
    tui_map_view_t v, w;
    model_map_view(m, L->map_cells, &v);
    if (u->map_drawn && u->map_done == model_done(m) && memcmp(&u->map_view, &v, sizeof v) == 0) return;
    u->maps++;
    u->map_drawn = true;
    u->map_done = model_done(m);
    u->map_view = v;
    static tui_cell_t cells[MODEL_MAP_CELLS];
    model_map(m, cells, L->map_cells, &w);
    if (memcmp(&v, &w, sizeof v) != 0) fuzz_fail("model_map and model_map_view disagree");
    if (v.per != 1 && v.cpp != 1) fuzz_fail("map view: %u pages a cell and %u cells a page", v.per, v.cpp);
    char label[160];
    model_map_label(&v, label, sizeof label);
    for (int i = 0; i < L->map_cells; i++) {
        if (cells[i].state >= MM_PAGE_STATE_COUNT) fuzz_fail("map cell %d: state %u", i, cells[i].state);
        uint64_t lo, hi;
        map_cell_pages(&v, i, &lo, &hi);
        if (hi < lo || hi > 1u << 20) fuzz_fail("map cell %d: pages [%llu, %llu)", i, (unsigned long long)lo,
                                                (unsigned long long)hi);
        if (v.cpp == 1 && lo < hi && map_page_cell(&v, lo) != i)
            fuzz_fail("map cell %d starts at page 0x%llX, which map_page_cell puts in cell %d", i,
                      (unsigned long long)lo, map_page_cell(&v, lo));
    }
}

static void draw_source(const tui_model_t *m, const tui_layout_t *L)
{
    int w = L->src_w - L->src_text;
    if (L->src_h <= 0 || w <= 0) return;
    uint32_t lines = m->src.count, block, line;
    model_source_focus(m, &block, &line);
    if (block > line || line > lines) fuzz_fail("model_source_focus: block %u, line %u of %u", block, line, lines);
    uint32_t top = model_source_top(m, L->src_h, w);
    if (top > lines) fuzz_fail("model_source_top %u past the %u lines", top, lines);
    int row = 0;
    for (uint32_t i = top; i <= lines && row < L->src_h; i++) {
        int r = model_source_rows(m, i, w);
        if (r < 1 || r > SRC_MAX_ROWS) fuzz_fail("model_source_rows(%u) = %d", i, r);
        row += r;
    }
    for (int y = 0; y < L->src_h; y++) {
        long at = model_source_line_at(m, L->src_h, w, y);
        if (at < -1 || at > (long)lines) fuzz_fail("model_source_line_at row %d: %ld of %u lines", y, at, lines);
    }
}

static void draw(ui_t *u)
{
    const tui_model_t *m = &u->m;
    if (u->drawn_once && memcmp(&u->drawn, m, sizeof *m) == 0 && u->drawn_rows == u->rows &&
        u->drawn_cols == u->cols && strcmp(u->drawn_name, u->name) == 0)
        return;
    u->drawn_once = true;
    memcpy(&u->drawn, m, sizeof *m);
    u->drawn_rows = u->rows;
    u->drawn_cols = u->cols;
    memcpy(u->drawn_name, u->name, sizeof u->name);
    tui_layout_t L;
    model_layout(m, u->rows, u->cols, &L);
    check_layout(&L, u->rows, u->cols);
    char title[512], step[64];
    model_status(m, u->name, u->cols, title, sizeof title);
    snprintf(step, sizeof step, "step %zu/%zu", model_done(m), model_count(m));
    if (!strstr(title, step)) fuzz_fail("the title '%s' (%d columns) lost the step", title, u->cols);
    draw_source(m, &L);
    if (quiz_mode_showing(m)) {
        strbuf_t b;
        strbuf_init(&b, NULL);
        quiz_mode_text(m, &b);
        if (strbuf_failed(&b) || !strstr(strbuf_str(&b), "QUIZ  score")) fuzz_fail("the quiz's reveal: %s", strbuf_str(&b));
        strbuf_fini(&b);
    } else if (!m->error[0]) {
        size_t done = model_done(m);
        switch (m->panel) {
        case PANEL_RESULT:
            if (done) (void)model_text_is_table(m, done - 1);
            break;
        case PANEL_REGIONS: draw_regions(m, &L); break;
        case PANEL_STEPPER: draw_stepper(m); break;
        case PANEL_TABLES: draw_tables(m, &L); break;
        case PANEL_LOG:
            for (size_t i = 0; i < done; i++) (void)model_text_is_table(m, i);
            break;
        default: fuzz_fail("panel %d", (int)m->panel);
        }
    }
    draw_map(u, &L);
}

static void check_machine(const tui_model_t *m, const char *when)
{
    char msg[512];
    if (!scn_runner_check(model_runner(m), msg, sizeof msg))
        fuzz_fail("invariant broken after %zu statements%s: %s", model_done(m), when, msg);
}

/* After every key: the machine shown says what the straight run said, and
 * keeps its invariants (checked the first time it is shown: the history's
 * machines do not change, which the check at the end confirms for the
 * last one). */
static void check(ui_t *u)
{
    const tui_model_t *m = &u->m;
    size_t done = model_done(m);
    if (done > MAX_STATEMENTS) fuzz_fail("%zu statements run of %zu", done, model_count(m));
    if (!u->checked[done]) check_machine(m, "");
    u->checked[done] = true;
    if (done > u->ref->n) fuzz_fail("the history ran %zu statements, the straight run %zu", done, u->ref->n);
    const char *t = model_last_text(m);
    if ((done == 0) != (t == NULL)) fuzz_fail("model_last_text after %zu statements", done);
    if (done && strcmp(t, u->ref->text[done - 1]) != 0)
        fuzz_fail("statement %zu as the history ran it:\n%s--- and as the straight run did:\n%s", done, t,
                  u->ref->text[done - 1]);
    if (m->error[0] && (done != u->ref->n || strcmp(m->error, u->ref->error) != 0))
        fuzz_fail("the history stopped after %zu statements with '%s'; the straight run after %zu with '%s'", done,
                  m->error, u->ref->n, u->ref->error);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    const char *text;
    size_t len;
    const uint8_t *keys;
    bool embedded = data[0] < SCENARIO_COUNT;
    ui_t u;
    memset(&u, 0, sizeof u);
    if (embedded) {
        text = k_scenarios[data[0]].text;
        len = k_scenarios[data[0]].len;
        snprintf(u.name, sizeof u.name, "%s", k_scenarios[data[0]].name);
        keys = data + 1;
    } else {
        const uint8_t *nul = memchr(data, 0, size);
        text = (const char *)data;
        len = nul ? (size_t)(nul - data) : size;
        keys = nul ? nul + 1 : data + size;
        snprintf(u.name, sizeof u.name, "fuzz/input.scn");
    }
    size_t nkeys = size - (size_t)(keys - data);
    /* Whether it parses, as model_open says too; then, unless it is a bare
     * machine, a small machine (fuzz.h). */
    scn_script_t *s;
    scn_error_t perr;
    memset(&perr, 0, sizeof perr);
    if (scn_parse(fuzz_alloc(), text, len, &s, &perr) != PS_OK) {
        char want[600];
        snprintf(want, sizeof want, "%u:%u: error: %s", perr.line, perr.col, perr.msg);
        if (model_open(&u.m, text, len)) fuzz_fail("model_open took a scenario that does not parse: %s", want);
        if (strcmp(u.m.error, want) != 0) fuzz_fail("model_open: '%s', scn_parse: '%s'", u.m.error, want);
        model_close(&u.m);
        return 0;
    }
    bool bare = scn_script_bare(s);
    scn_script_free(s);
    char *small = bare ? NULL : fuzz_small_machine(text, len, &len);
    if (small) text = small;
    ref_t ref;
    if (!straight_run(text, len, !embedded, &ref)) {
        free(small);
        return -1; /* too long or too much work: not for the corpus */
    }
    if (!model_open(&u.m, text, len)) fuzz_fail("model_open failed on a scenario that parses: %s", u.m.error);
    u.ref = &ref;
    u.rows = 24;
    u.cols = 80;
    draw(&u);
    check(&u);
    size_t used = 0;
    for (int k = 0; k < MAX_KEYS && used < nkeys; k++) {
        int more = key(&u, keys[used], keys + used + 1, nkeys - used - 1);
        if (more < 0) break;
        used += 1 + (size_t)more;
        draw(&u);
        check(&u);
    }
    check_machine(&u.m, ", at the end");
    model_close(&u.m);
    ref_free(&ref);
    free(small);
    return 0;
}
