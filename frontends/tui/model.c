/* The terminal UI's view model: the history, the page-table browser, the
 * layout, the source column, the title and the help text. */
#include "model.h"
#include "fe_title.h"
#include "pagesim/phys.h"
#include "pagesim/x86.h"
#include <stdio.h>
#include <string.h>

bool model_open(tui_model_t *m, const char *text, size_t len)
{
    memset(m, 0, sizeof *m);
    m->map.fit = MAP_FIT_USER;
    m->map.alloc = -1;
    m->xacc = MMU_READ;
    m->xmode = MMU_USER;
    scn_error_t err;
    if (scn_history_open(NULL, text, len, &m->h, &err) != PS_OK) {
        snprintf(m->error, sizeof m->error, "%u:%u: error: %s", err.line, err.col, err.msg);
        return false;
    }
    if (!src_open(&m->src, text, len)) {
        snprintf(m->error, sizeof m->error, "out of memory");
        return false;
    }
    return true;
}

void model_close(tui_model_t *m)
{
    quiz_mode_close(m);
    scn_history_free(m->h);
    src_close(&m->src);
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

bool model_text_is_table(const tui_model_t *m, size_t k)
{
    if (k >= model_done(m)) return false;
    scn_verb_id_t v = scn_script_verb(scn_history_script(m->h), k);
    return v == SCN_ADDRESS || v == SCN_VAD || v == SCN_PTE || v == SCN_PFN;
}

/* After the machine changed: views that depend on it start again. */
static void moved(tui_model_t *m)
{
    snprintf(m->error, sizeof m->error, "%s", scn_history_error(m->h));
    m->scroll = 0;
    m->hscroll = 0;
    if (m->xstep > 1) m->xstep = 1;
    mm_process_t *p = model_process(m);
    uint32_t n = p ? mm_alloc_count(p) : 0;
    if (m->map.alloc >= (int)n) m->map.alloc = -1;
    if (m->map.fit == MAP_FIT_ALLOC && m->map.alloc < 0) m->map.fit = MAP_FIT_USER;
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
    out->map_cells = map ? (cols < MODEL_MAP_CELLS ? cols : MODEL_MAP_CELLS) : 0;
    out->src_top = 1;
    out->src_h = (map ? out->map_y - 1 : out->help_y) - 1;
    if (out->src_h < 0) out->src_h = 0; /* a screen of 1 or 2 rows: the title and the help line */
    /* The source gets 2/5 of a wide screen, 32 columns of a narrow one. */
    out->src_w = cols >= 100 ? cols * 2 / 5 : (cols > 60 ? 32 : cols / 2);
    out->src_text = out->src_w > 12 ? 6 : 0;
    out->tabs_y = out->src_h > 0 ? 1 : -1;
    out->pan_left = out->src_w + 1;
    out->pan_w = cols > out->pan_left ? cols - out->pan_left : 0;
    out->pan_top = 2;
    out->pan_h = out->src_h > 1 ? out->src_h - 1 : 0;
}

/* The source column. ---------------------------------------------------- */

void model_source_focus(const tui_model_t *m, uint32_t *block, uint32_t *line)
{
    size_t done = model_done(m);
    if (done >= model_count(m)) {
        *block = *line = m->src.count;
        return;
    }
    uint32_t l = scn_script_line(scn_history_script(m->h), done);
    *line = l ? l - 1 : 0;
    *block = src_block_start(&m->src, *line);
}

int model_source_rows(const tui_model_t *m, uint32_t i, int w)
{
    uint32_t block, line;
    model_source_focus(m, &block, &line);
    return i >= block && i <= line && i < m->src.count ? src_rows(&m->src, i, w) : 1;
}

static int rows_of(const tui_model_t *m, uint32_t i, int w)
{
    return model_source_rows(m, i, w);
}

uint32_t model_source_top(const tui_model_t *m, int h, int w)
{
    uint32_t block, line;
    model_source_focus(m, &block, &line);
    int room = h - rows_of(m, line, w), story = 0;
    for (uint32_t i = block; i < line; i++) story += rows_of(m, i, w);
    /* Above the statement: its story, and context up to half the column. */
    int above = story > h / 2 ? story : h / 2;
    if (above > room) above = room;
    uint32_t top = line;
    for (int used = 0; top > 0 && used + rows_of(m, top - 1, w) <= above; top--) used += rows_of(m, top - 1, w);
    /* No empty rows at the bottom while there are lines above to show. */
    int below = 0;
    for (uint32_t i = top; i <= m->src.count && below < h; i++) below += rows_of(m, i, w);
    while (top > 0 && below + rows_of(m, top - 1, w) <= h) below += rows_of(m, --top, w);
    return top;
}

long model_source_line_at(const tui_model_t *m, int h, int w, int row)
{
    if (row < 0 || row >= h) return -1;
    int y = 0;
    for (uint32_t i = model_source_top(m, h, w); i <= m->src.count; i++) {
        y += rows_of(m, i, w);
        if (row < y) return (long)i;
    }
    return -1;
}

/* The title line. ------------------------------------------------------- */

/* The process's or the bare machine's counters, spaced out or close. */
static void counters(const tui_model_t *m, bool close, char *out, size_t size)
{
    out[0] = '\0';
    const char *gap = close ? " " : "  ";
    mm_process_t *p = model_process(m);
    if (p) {
        mm_stats_t st;
        mm_stats(p, &st);
        snprintf(out, size, "  %s%sws %u%scommit %lluK%sdz %llu hard %llu av %llu", mm_process_name(p), gap,
                 st.working_set, gap, (unsigned long long)(st.commit_charge >> 10), gap,
                 (unsigned long long)st.demand_zero_faults, (unsigned long long)st.hard_faults,
                 (unsigned long long)st.access_violations);
    } else if (scn_runner_mmu(model_runner(m))) {
        const mmu_stats_t *st = mmu_stats(scn_runner_mmu(model_runner(m)));
        snprintf(out, size, "  bare machine%sTLB hits %llu misses %llu%s#PF %llu", gap,
                 (unsigned long long)st->tlb_hits, (unsigned long long)st->tlb_misses, gap,
                 (unsigned long long)st->page_faults);
    }
}

void model_status(const tui_model_t *m, const char *name, int cols, char *out, size_t size)
{
    static const char *const heads[] = { " pagesim-tui  ", " " };
    const char *base = name;
    for (const char *q = name; *q; q++)
        if (*q == '/' || *q == '\\') base = q + 1;
    char step[64], tail[256];
    size_t room = (size_t)(cols > 0 ? cols : 0);
    int n = snprintf(step, sizeof step, "  step %zu/%zu", model_done(m), model_count(m));
    /* The first way that keeps the file name whole, else the last one,
     * with the name cut behind "...". */
    for (int k = 0; k < 4; k++) {
        counters(m, k >= 2, tail, sizeof tail);
        const char *head = heads[k % 2];
        char whole[600];
        snprintf(whole, sizeof whole, "%s%s%s%s", head, *base ? base : name, step, tail);
        if (strlen(whole) > room && k < 3) continue;
        snprintf(tail, sizeof tail, "%s", step);
        counters(m, k >= 2, tail + n, sizeof tail - (size_t)n);
        fe_title(out, size, cols, head, name, tail, "", NULL, NULL);
        if (strlen(out) <= room) return;
        fe_title(out, size, cols, head, name, step, tail + n, NULL, NULL);
        return;
    }
}

/* The help text. -------------------------------------------------------- */

void model_help(strbuf_t *b)
{
    static const char keys[] =
        "pagesim-tui: step through a scenario like a debugger\n"
        "\n"
        "  n, Space    run the next statement\n"
        "  b           step back: the whole machine as it was\n"
        "  e, r        run to the end; restart\n"
        "  g           run to a line (type its number)\n"
        "  click       a source line: run to its statement\n"
        "  1 - 5       the panels: result, regions, translate, page tables, event log\n"
        "  Up/Down     scroll, or pick an entry; PgUp/PgDn scroll faster\n"
        "  Left/Right  (or h/l) scroll wide views (!address, !vad, !pte) sideways\n"
        "\n"
        "translate (3):\n"
        "  t           type an address: an expression of the language (a+0x10, a\n"
        "              bound name, PAGE_SIZE*3), then read/write/exec, user/kernel\n"
        "  Enter       the next step of the walk\n"
        "  w, u        toggle write, kernel mode\n"
        "\n"
        "page tables (4):\n"
        "  Enter, Left into a page table and an entry; back out\n"
        "  f           physical frames and page-file slots, with their owners\n"
        "\n"
        "map (the bar at the bottom):\n"
        "  +, -        zoom in, out by 2 around the selection (the translated\n"
        "              address, or the allocation or cell chosen last)\n"
        "  Tab, a      the next allocation, fitted to the bar (Shift+Tab, A: back)\n"
        "  z           the translated address's allocation, or a page a cell there\n"
        "  click       a cell: zoom onto its allocation, then a page a cell; at a\n"
        "              page a cell or closer, translate that page\n"
        "  The label above the bar says the range and the scale: N pages a cell,\n"
        "  or N cells a page (then | marks where each page begins). A cell of many\n"
        "  pages shows the state of most of its pages in use (free when none is);\n"
        "  an underlined cell holds a guard page though most of its pages are not.\n"
        "  . free  r reserved  c committed  R resident  D dirty  G guard  M mapped\n"
        "  W copy-on-write  I image  T page table  S system  L locked\n"
        "  F file (a view of a file)  H shared (a frame mapped more than once)\n"
        "  A AWE (a physical page MapUserPhysicalPages mapped: never paged)\n"
        "\n"
        "quiz:\n"
        "  Q           quiz mode on/off: before each statement runs, n asks its\n"
        "              questions one at a time (type the answer: 0x1F, 31, 0b11111,\n"
        "              yes/no, hit/miss, PAGE_READWRITE, ...), reveals the machine's\n"
        "              answer, why, and for an address which bits were wrong; the\n"
        "              score counts each question once, stepping back included\n"
        "\n"
        "  ?           this help (Up/Down, PgUp/PgDn scroll; another key returns)\n"
        "  q           quit\n"
        "\n"
        "The statements of the scenario language (pagesim --help):\n"
        "\n";
    strbuf_puts(b, keys);
    scn_format_help(b);
}
