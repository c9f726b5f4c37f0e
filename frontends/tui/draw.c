/* Draws a model on the terminal: one function, from the model alone. */
#include "draw.h"
#include "curses_compat.h"
#include "pagesim/format.h"
#include "pagesim/phys.h"
#include "pagesim/x86.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { C_TITLE = 1, C_CURRENT, C_DIR, C_TABLE, C_OFFSET, C_ERROR, C_OK, C_WHY, C_STATE0 };

/* One glyph and colour for each page state (the glyph alone in monochrome). */
static const char k_glyph[MM_PAGE_STATE_COUNT] = { '.', 'r', 'c', 'R', 'D', 'G', 'M', 'W', 'T', 'S', 'I' };
static const short k_fg[MM_PAGE_STATE_COUNT] = {
    COLOR_WHITE, COLOR_BLACK, COLOR_BLACK, COLOR_BLACK, COLOR_WHITE, COLOR_BLACK, COLOR_WHITE, COLOR_BLACK,
    COLOR_BLACK, COLOR_WHITE, COLOR_YELLOW,
};
static const short k_bg[MM_PAGE_STATE_COUNT] = {
    COLOR_BLACK, COLOR_YELLOW, COLOR_GREEN, COLOR_CYAN, COLOR_RED, COLOR_MAGENTA, COLOR_BLUE, COLOR_WHITE,
    COLOR_CYAN, COLOR_BLACK, COLOR_BLUE,
};

static bool colour;

void draw_init_colors(void)
{
    colour = has_colors();
    if (!colour) return;
    start_color();
    init_pair(C_TITLE, COLOR_BLACK, COLOR_CYAN);
    init_pair(C_CURRENT, COLOR_BLACK, COLOR_YELLOW);
    init_pair(C_DIR, COLOR_RED, COLOR_BLACK);
    init_pair(C_TABLE, COLOR_GREEN, COLOR_BLACK);
    init_pair(C_OFFSET, COLOR_CYAN, COLOR_BLACK);
    init_pair(C_ERROR, COLOR_WHITE, COLOR_RED);
    init_pair(C_OK, COLOR_GREEN, COLOR_BLACK);
    init_pair(C_WHY, COLOR_YELLOW, COLOR_BLACK);
    for (int s = 0; s < MM_PAGE_STATE_COUNT; s++) init_pair((short)(C_STATE0 + s), k_fg[s], k_bg[s]);
}

static void on(int pair, attr_t extra)
{
    attron((colour && pair ? COLOR_PAIR(pair) : 0) | extra);
}

static void off(int pair, attr_t extra)
{
    attroff((colour && pair ? COLOR_PAIR(pair) : 0) | extra);
}

/* At most w columns of the n bytes at s, from (y, x): only what is on the
 * screen (curses would wrap the rest onto the next line). */
static void clip(int y, int x, int w, const char *s, size_t n)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    if (y < 0 || y >= rows || x < 0 || x >= cols) return;
    if (w > cols - x) w = cols - x;
    if (w <= 0) return;
    mvaddnstr(y, x, s, (int)(n > (size_t)w ? (size_t)w : n));
}

static void clip_str(int y, int x, int w, const char *s)
{
    clip(y, x, w, s, strlen(s));
}

/* Text wrapped to w columns (continuations indented by 4), skipping the
 * first `skip` screen lines; returns the screen lines it needs in all (0
 * when w leaves no room). */
static int wrapped(const char *text, int top, int left, int h, int w, int skip)
{
    if (w <= 0) return 0;
    int row = 0;
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        size_t pos = 0;
        do {
            int indent = pos ? 4 : 0, room = w - indent;
            if (room < 8) room = w, indent = 0;
            size_t take = n - pos > (size_t)room ? (size_t)room : n - pos;
            if (take < n - pos) { /* break after the last space, if any */
                size_t sp = take;
                while (sp > (size_t)room / 2 && p[pos + sp - 1] != ' ') sp--;
                if (sp > (size_t)room / 2) take = sp;
            }
            if (row >= skip && row - skip < h) clip(top + row - skip, left + indent, room, p + pos, take);
            row++;
            pos += take;
        } while (pos < n);
        p += n + (nl ? 1 : 0);
    }
    return row;
}

static void draw_status(const tui_model_t *m, const char *name, int cols)
{
    char s[512];
    model_status(m, name, cols, s, sizeof s);
    on(C_TITLE, colour ? 0 : A_REVERSE);
    mvhline(0, 0, ' ', cols);
    clip(0, 0, cols, s, strlen(s));
    off(C_TITLE, colour ? 0 : A_REVERSE);
}

/* The source, the statement to run next marked with '>'. */
static void draw_source(const tui_model_t *m, const tui_layout_t *L)
{
    const scn_script_t *sc = scn_history_script(m->h);
    size_t cur = model_done(m), count = model_count(m);
    size_t first = model_source_first(m, L->src_h);
    for (int row = 0; row < L->src_h && first + (size_t)row < count; row++) {
        size_t i = first + (size_t)row, n;
        const char *src = scn_script_source(sc, i, &n);
        char head[16];
        snprintf(head, sizeof head, "%c%4u ", i == cur ? '>' : ' ', scn_script_line(sc, i));
        attr_t a = i == cur ? A_BOLD | (colour ? 0 : A_REVERSE) : (i < cur ? A_DIM : 0);
        on(i == cur ? C_CURRENT : 0, a);
        clip_str(L->src_top + row, 0, L->src_w, head);
        clip(L->src_top + row, 6, L->src_w - 6, src, n);
        off(i == cur ? C_CURRENT : 0, a);
    }
    if (cur == count && L->src_h > 0) {
        int row = (int)(cur - first);
        if (row < L->src_h) clip_str(L->src_top + row, 0, L->src_w, ">  (end)");
    }
    if (L->src_h > 0 && L->src_w < L->cols) mvvline(L->src_top, L->src_w, ACS_VLINE, L->src_h);
}

/* The 10/10/12 split in three colours, in w columns from (y, x). */
static void draw_bits(const char *bits, int y, int x, int w)
{
    static const int pairs[3] = { C_DIR, C_TABLE, C_OFFSET };
    static const int start[3] = { 0, 11, 22 }, len[3] = { 10, 10, 12 };
    for (int k = 0; k < 3; k++) {
        on(pairs[k], A_BOLD | (colour ? 0 : (k == 1 ? A_UNDERLINE : 0)));
        clip(y, x + start[k], w - start[k], bits + start[k], (size_t)len[k]);
        off(pairs[k], A_BOLD | (colour ? 0 : (k == 1 ? A_UNDERLINE : 0)));
    }
}

/* Rows that line l takes at width w. */
static int rows_of(const tui_line_t *l, int w)
{
    return l->kind == LINE_BITS ? 1 : wrapped(l->text, 0, 0, 0, w, 1 << 30);
}

/* Lines from..to-1 in the rows [top, top + h), the first `skip` rows of
 * them left out. */
static void draw_lines(const tui_line_t *lines, int from, int to, int top, int left, int h, int w, int skip)
{
    static const int pair[] = { 0, 0, 0, C_WHY, C_OK, C_ERROR };
    int row = 0;
    for (int i = from; i < to; i++) {
        int rows = rows_of(&lines[i], w), y = top + row - skip;
        if (row + rows > skip && row - skip < h) {
            if (lines[i].kind == LINE_BITS) {
                draw_bits(lines[i].text, y, left, w);
            } else {
                int cut = skip > row ? skip - row : 0;
                attr_t a = lines[i].kind == LINE_HEAD ? A_BOLD : 0;
                on(pair[lines[i].kind], a);
                wrapped(lines[i].text, y + cut, left, top + h - (y + cut), w, cut);
                off(pair[lines[i].kind], a);
            }
        }
        row += rows;
    }
}

/* The stepper: the address and its split stay at the top; below, the steps
 * shown so far, the newest kept in view (Up scrolls back). */
static void draw_stepper(const tui_model_t *m, const tui_layout_t *L)
{
    tui_line_t lines[64];
    int total = 0;
    int n = model_stepper_lines(m, m->xstep, lines, 63, &total);
    tui_line_t *hint = &lines[n++];
    hint->kind = LINE_PLAIN;
    snprintf(hint->text, sizeof hint->text, "%s", m->xstep < total
             ? "Enter: next step   t: another address   w: read/write   u: user/kernel"
             : "all steps shown   t: another address   w: read/write   u: user/kernel");
    int pinned = n > 4 ? 3 : 0, prow = 0; /* the heading, the bits, the indices */
    for (int i = 0; i < pinned; i++) prow += rows_of(&lines[i], L->pan_w);
    draw_lines(lines, 0, pinned, L->pan_top, L->pan_left, prow, L->pan_w, 0);
    int need = 0;
    for (int i = pinned; i < n; i++) need += rows_of(&lines[i], L->pan_w);
    int h = L->pan_h - prow, skip = need - h - m->scroll;
    draw_lines(lines, pinned, n, L->pan_top + prow, L->pan_left, h, L->pan_w, skip > 0 ? skip : 0);
}

static void row_text(int y, const tui_layout_t *L, bool selected, const char *s)
{
    if (selected) attron(A_REVERSE);
    clip(y, L->pan_left, L->pan_w, s, strlen(s));
    if (selected) attroff(A_REVERSE);
}

static void draw_frames(const tui_model_t *m, const tui_layout_t *L)
{
    mm_t *mm = scn_runner_mm(model_runner(m));
    int y = L->pan_top, end = L->pan_top + L->pan_h;
    if (!mm) {
        row_text(y, L, false, "a bare machine has no frame database");
        return;
    }
    char s[160];
    snprintf(s, sizeof s, "frames in use (of %u) and page-file slots (Left: back)", mm_frame_count(mm));
    row_text(y++, L, false, s);
    int skip = m->scroll;
    for (uint32_t f = 0; f < mm_frame_count(mm) && y < end; f++) {
        mm_frame_info_t fi;
        mm_frame_info(mm, f, &fi);
        if (fi.kind == MM_FRAME_FREE || fi.kind == MM_FRAME_KERNEL) continue;
        if (skip-- > 0) continue;
        const char *owner = fi.owner >= 0 ? mm_process_name(mm_process_at(mm, (uint32_t)fi.owner)) : "system";
        int k = snprintf(s, sizeof s, "frame %05X %-10s %-6s", f, mm_frame_kind_str(fi.kind), owner);
        if (fi.kind == MM_FRAME_USER || fi.kind == MM_FRAME_SECTION)
            snprintf(s + k, sizeof s - (size_t)k, " va %08X%s", fi.va, fi.slot ? " +slot" : "");
        row_text(y++, L, false, s);
    }
    uint32_t nslots = mm_slot_count(mm);
    if (y >= end || !nslots) return;
    /* One pass over the page tables names every slot's page. */
    mm_slot_info_t *si = malloc(nslots * sizeof *si);
    if (!si) return;
    mm_slot_infos(mm, 1, nslots, si);
    for (uint32_t i = 0; i < nslots && y < end; i++) {
        if (!si[i].used || skip-- > 0) continue;
        const char *owner = si[i].owner >= 0 ? mm_process_name(mm_process_at(mm, (uint32_t)si[i].owner)) : "-";
        snprintf(s, sizeof s, "slot  %05X page file  %-6s va %08X", i + 1, owner, si[i].va);
        row_text(y++, L, false, s);
    }
    free(si);
}

static void draw_tables(const tui_model_t *m, const tui_layout_t *L)
{
    if (m->browse == BROWSE_FRAMES) {
        draw_frames(m, L);
        return;
    }
    mmu_t *mmu = scn_runner_mmu(model_runner(m));
    if (!mmu) {
        row_text(L->pan_top, L, false, "no machine yet: step to create it");
        return;
    }
    const phys_t *ph = mmu_phys_const(mmu);
    uint32_t dir = mmu_cr3(mmu) & X86_CR3_BASE, pde = phys_read32(ph, dir + m->pde * 4);
    int y = L->pan_top, end = L->pan_top + L->pan_h;
    char s[200];
    snprintf(s, sizeof s, "page directory at 0x%08X (CR3)  Up/Down Enter Left  f frames", dir);
    row_text(y++, L, false, s);
    if (m->browse == BROWSE_DIRECTORY) {
        int half = (end - y) / 2, before = 0;
        uint32_t from = m->pde;
        for (uint32_t k = 0; k < 1024 && before < half; k++) {
            uint32_t j = (m->pde + 1024 - k - 1) & 1023u;
            if (j >= m->pde) break;
            if (phys_read32(ph, dir + j * 4)) from = j, before++;
        }
        for (uint32_t i = from; i < 1024 && y < end; i++) {
            uint32_t e = phys_read32(ph, dir + i * 4);
            if (!e && i != m->pde) continue;
            snprintf(s, sizeof s, "PDE 0x%03X  va 0x%08X  0x%08X  %s", i, i << 22, e,
                     !(e & X86_P) ? "not present" : (e & X86_PS) ? "4 MB page" : "page table");
            row_text(y++, L, i == m->pde, s);
        }
        return;
    }
    uint32_t table = pde & X86_FRAME_MASK, pte = phys_read32(ph, table + m->pte * 4);
    snprintf(s, sizeof s, "PDE 0x%03X 0x%08X: page table at 0x%08X", m->pde, pde, table);
    row_text(y++, L, false, s);
    if (m->browse == BROWSE_ENTRY) {
        uint32_t va = m->pde << 22 | m->pte << 12;
        snprintf(s, sizeof s, "PTE 0x%03X at 0x%08X = 0x%08X (va 0x%08X)", m->pte, table + m->pte * 4, pte, va);
        row_text(y++, L, true, s);
        strbuf_t b;
        strbuf_init(&b, NULL);
        if (pte & X86_P) fmt_entry_flags(&b, pte, MMU_LEVEL_PTE, false);
        mm_process_t *p = model_process(m);
        if (p) {
            strbuf_puts(&b, (pte & X86_P) ? "\n" : "");
            fmt_pte(&b, p, va);
        }
        wrapped(strbuf_str(&b), y, L->pan_left, end - y, L->pan_w, 0);
        strbuf_fini(&b);
        return;
    }
    int half = (end - y) / 2, before = 0;
    uint32_t from = m->pte;
    for (uint32_t j = m->pte; j-- > 0 && before < half;)
        if (phys_read32(ph, table + j * 4)) from = j, before++;
    for (uint32_t i = from; i < 1024 && y < end; i++) {
        uint32_t e = phys_read32(ph, table + i * 4);
        if (!e && i != m->pte) continue;
        snprintf(s, sizeof s, "PTE 0x%03X  va 0x%08X  0x%08X  %s", i, m->pde << 22 | i << 12, e,
                 (e & X86_P) ? "present" : e ? "software PTE" : "zero");
        row_text(y++, L, i == m->pte, s);
    }
}

/* "RW", "R+G", ...: a protection in a few columns. */
static void short_protect(char *out, size_t n, uint32_t protect)
{
    static const struct { uint32_t bit; const char *name; } base[] = {
        { 0x01, "NA" }, { 0x02, "R" }, { 0x04, "RW" }, { 0x08, "WC" }, { 0x10, "X" }, { 0x20, "XR" },
        { 0x40, "XRW" }, { 0x80, "XWC" },
    };
    const char *name = "-";
    for (size_t i = 0; i < sizeof base / sizeof base[0]; i++)
        if (protect & base[i].bit) name = base[i].name;
    snprintf(out, n, "%s%s%s", name, (protect & 0x100) ? "+G" : "", (protect & 0x200) ? "+NC" : "");
}

/* The region list, as a VirtualQuery walk from 0 prints it: the full
 * !address table on a wide panel, a compact one on a narrow panel. */
static void draw_regions(const tui_model_t *m, const tui_layout_t *L)
{
    mm_process_t *p = model_process(m);
    if (!p) {
        row_text(L->pan_top, L, false, "no process yet (a bare machine has no regions)");
        return;
    }
    strbuf_t b;
    strbuf_init(&b, NULL);
    if (L->pan_w >= 100) {
        fmt_address(&b, p, false, false, 0);
    } else {
        strbuf_puts(&b, "base       size     state  prot  type\n");
        uint64_t top = (uint64_t)mm_user_high(scn_runner_mm(model_runner(m))) + 1;
        for (uint64_t va = 0; va < top;) {
            mm_mbi_t mbi;
            if (mm_virtual_query(p, (uint32_t)va, &mbi, NULL) != 0 || !mbi.RegionSize) break;
            char prot[16];
            short_protect(prot, sizeof prot, mbi.State == 0x1000 ? mbi.Protect : 0);
            const char *state = mbi.State == 0x1000 ? "commit" : mbi.State == 0x2000 ? "rsv" : "free";
            const char *type = mbi.Type == 0x20000 ? "private" : mbi.Type == 0x40000 ? "mapped"
                             : mbi.Type == 0x1000000 ? "image" : "";
            strbuf_printf(&b, "0x%08X %8X %-6s %-5s %s\n", mbi.BaseAddress, mbi.RegionSize, state,
                          mbi.State == 0x1000 ? prot : "", type);
            va = (uint64_t)mbi.BaseAddress + mbi.RegionSize;
        }
    }
    /* Unless scrolled by hand, the region of the address in use is kept in
     * view (the one the stepper would pick). */
    int first = m->scroll;
    if (!first) {
        mm_mbi_t mbi;
        uint32_t va = model_stepper_address(m);
        char key[16];
        if (va && mm_virtual_query(p, va, &mbi, NULL) == 0) {
            snprintf(key, sizeof key, L->pan_w >= 100 ? "%8x" : "0x%08X", mbi.BaseAddress);
            const char *hit = strstr(strbuf_str(&b), key);
            int row = 0;
            for (const char *c = strbuf_str(&b); hit && c < hit; c++) row += *c == '\n';
            if (row >= L->pan_h) first = row - L->pan_h / 2;
        }
    }
    const char *s = strbuf_str(&b);
    for (int row = 0; *s && row < first + L->pan_h; row++) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        if (row >= first) clip(L->pan_top + row - first, L->pan_left, L->pan_w, s, n);
        s += n + (nl ? 1 : 0);
    }
    strbuf_fini(&b);
}

/* The event log: the prose of every statement run, the newest last. */
static void draw_log(const tui_model_t *m, const tui_layout_t *L)
{
    strbuf_t b;
    strbuf_init(&b, NULL);
    for (size_t i = 0; i < model_done(m); i++) strbuf_puts(&b, scn_history_text(m->h, i));
    int need = wrapped(strbuf_str(&b), 0, 0, 0, L->pan_w, 1 << 30);
    int skip = need - L->pan_h - m->scroll;
    wrapped(strbuf_str(&b), L->pan_top, L->pan_left, L->pan_h, L->pan_w, skip > 0 ? skip : 0);
    strbuf_fini(&b);
}

static void draw_map(const tui_model_t *m, const tui_layout_t *L)
{
    mm_page_state_t cells[512];
    int n = L->cols > 512 ? 512 : L->cols;
    uint32_t lo, hi;
    model_map(m, cells, n, &lo, &hi);
    for (int i = 0; i < n; i++) {
        on(C_STATE0 + (int)cells[i], 0);
        mvaddch(L->map_y, i, (chtype)k_glyph[cells[i]]);
        off(C_STATE0 + (int)cells[i], 0);
    }
    char s[200];
    uint64_t pages = ((hi ? (uint64_t)hi : 0x100000000ull) - lo) >> 12;
    int k = snprintf(s, sizeof s, "0x%08X-0x%08X %s", lo, hi - 1,
                     pages <= (uint64_t)n ? "1 page a cell" : "+/- zoom");
    clip_str(L->map_y + 1, 0, L->cols, s);
    int x = k + 1;
    static const char *const names[MM_PAGE_STATE_COUNT] = { "free", "rsv", "commit", "res", "dirty", "guard",
                                                           "map", "cow", "pt", "sys", "img" };
    static const mm_page_state_t order[] = { MM_PAGE_FREE, MM_PAGE_RESERVED, MM_PAGE_COMMITTED, MM_PAGE_RESIDENT,
                                             MM_PAGE_DIRTY, MM_PAGE_GUARD, MM_PAGE_MAPPED, MM_PAGE_COPY_ON_WRITE,
                                             MM_PAGE_IMAGE, MM_PAGE_PAGE_TABLE, MM_PAGE_SYSTEM };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        int st = (int)order[i];
        if (x + 2 + (int)strlen(names[st]) > L->cols) break;
        on(C_STATE0 + st, 0);
        mvaddch(L->map_y + 1, x, (chtype)k_glyph[st]);
        off(C_STATE0 + st, 0);
        clip_str(L->map_y + 1, x + 1, L->cols - x - 1, names[st]);
        x += 2 + (int)strlen(names[st]);
    }
}

static void draw_panel(const tui_model_t *m, const tui_layout_t *L)
{
    static const char *const names[] = { "1 result", "2 regions", "3 translate", "4 tables", "5 log" };
    int x = L->pan_left;
    for (int i = 0; i < PANEL_COUNT && x < L->cols; i++) {
        if ((int)m->panel == i) attron(A_REVERSE);
        clip(L->tabs_y, x, L->cols - x, names[i], strlen(names[i]));
        if ((int)m->panel == i) attroff(A_REVERSE);
        x += (int)strlen(names[i]) + 1;
    }
    if (m->error[0]) {
        on(C_ERROR, colour ? 0 : A_REVERSE);
        wrapped(m->error, L->pan_top, L->pan_left, 2, L->pan_w, 0);
        off(C_ERROR, colour ? 0 : A_REVERSE);
        return;
    }
    switch (m->panel) {
    case PANEL_RESULT: {
        const char *t = model_last_text(m);
        wrapped(t ? t : "n or Space runs the next statement, b steps back.\n3 shows the translation of an address "
                         "step by step; ? lists every key.",
                L->pan_top, L->pan_left, L->pan_h, L->pan_w, m->scroll);
        break;
    }
    case PANEL_REGIONS: draw_regions(m, L); break;
    case PANEL_STEPPER: draw_stepper(m, L); break;
    case PANEL_TABLES: draw_tables(m, L); break;
    case PANEL_LOG: draw_log(m, L); break;
    case PANEL_COUNT: break;
    }
}

void draw(const tui_model_t *m, const char *name)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    tui_layout_t L;
    model_layout(m, rows, cols, &L);
    erase();
    draw_status(m, name, cols);
    draw_source(m, &L);
    draw_panel(m, &L);
    if (L.map_y >= 0) draw_map(m, &L);
    attron(A_REVERSE);
    mvhline(L.help_y, 0, ' ', cols);
    static const char help[] = " n/Space step  b back  r restart  e end  g line  t address  1-5 panels  ? help  q quit";
    clip(L.help_y, 0, cols, help, strlen(help));
    attroff(A_REVERSE);
}

void draw_help(void)
{
    erase();
    static const char *const lines[] = {
        "pagesim-tui: step through a scenario like a debugger",
        "",
        "  n, Space  run the next statement        b      step back (restores the whole machine)",
        "  r         restart                       e      run to the end",
        "  g         run to a line (type it)       click  a source line: run to it",
        "  1 result  2 regions  3 translate  4 page tables  5 event log",
        "  Up/Down   scroll, or pick an entry      PgUp/PgDn  scroll faster",
        "",
        "translate (3):",
        "  t         type an address (and read/write, user/kernel)",
        "  Enter     the next step of the walk     w / u  toggle write / kernel mode",
        "",
        "page tables (4):",
        "  Enter     into a page table, an entry   Left   back out",
        "  f         physical frames and page-file slots, with their owners",
        "",
        "map (bottom bar):",
        "  + / -     zoom in: the 4 GB, the user space, each allocation in turn / out",
        "  z         onto the translated address's page: one page a cell around it",
        "  click     a cell: zoom onto its allocation, then to one page a cell;",
        "            there, translate that page",
        "",
        "  q         quit                          any key returns",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) clip_str((int)i + 1, 2, COLS - 2, lines[i]);
}

void draw_prompt(const char *question, const char *text)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    move(rows - 1, 0);
    clrtoeol();
    attron(A_BOLD);
    clip_str(rows - 1, 0, cols, question);
    attroff(A_BOLD);
    int x = (int)strlen(question);
    if (x < cols) clip_str(rows - 1, x, cols - x, text);
}
