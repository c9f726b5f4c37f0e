/* Draws a model on the terminal: the title, the source column, the map bar
 * with its label and legend, the bottom line, and the help screen; the
 * right-hand panel is draw_panels.c's. */
#include "draw.h"
#include "draw_panels.h"
#include "draw_text.h"
#include <stdio.h>
#include <string.h>

/* One glyph and colour for each page state (the glyph alone in monochrome). */
static const char k_glyph[MM_PAGE_STATE_COUNT] = { '.', 'r', 'c', 'R', 'D', 'G', 'M', 'W', 'T', 'S', 'I', 'L', 'F',
                                                    'H', 'A' };
static const short k_fg[MM_PAGE_STATE_COUNT] = {
    COLOR_WHITE, COLOR_BLACK, COLOR_BLACK, COLOR_BLACK, COLOR_WHITE, COLOR_BLACK, COLOR_WHITE, COLOR_BLACK,
    COLOR_BLACK, COLOR_WHITE, COLOR_YELLOW, COLOR_BLACK, COLOR_WHITE, COLOR_WHITE, COLOR_BLACK,
};
static const short k_bg[MM_PAGE_STATE_COUNT] = {
    COLOR_BLACK, COLOR_YELLOW, COLOR_GREEN, COLOR_CYAN, COLOR_RED, COLOR_MAGENTA, COLOR_BLUE, COLOR_WHITE,
    COLOR_CYAN, COLOR_BLACK, COLOR_BLUE, COLOR_YELLOW, COLOR_GREEN, COLOR_MAGENTA, COLOR_CYAN,
};

void draw_init_colors(void)
{
    if (!has_colors()) return;
    start_color();
    init_pair(C_TITLE, COLOR_BLACK, COLOR_CYAN);
    init_pair(C_CURRENT, COLOR_BLACK, COLOR_YELLOW);
    init_pair(C_DIR, COLOR_RED, COLOR_BLACK);
    init_pair(C_TABLE, COLOR_GREEN, COLOR_BLACK);
    init_pair(C_OFFSET, COLOR_CYAN, COLOR_BLACK);
    init_pair(C_ERROR, COLOR_WHITE, COLOR_RED);
    init_pair(C_OK, COLOR_GREEN, COLOR_BLACK);
    init_pair(C_WHY, COLOR_YELLOW, COLOR_BLACK);
    init_pair(C_COMMENT, COLOR_CYAN, COLOR_BLACK);
    init_pair(C_STORY, COLOR_GREEN, COLOR_BLACK);
    init_pair(C_MORE, COLOR_BLACK, COLOR_WHITE);
    for (int s = 0; s < MM_PAGE_STATE_COUNT; s++) init_pair((short)(C_STATE0 + s), k_fg[s], k_bg[s]);
}

static void draw_status(const tui_model_t *m, const char *name, int cols)
{
    char s[512];
    model_status(m, name, cols, s, sizeof s);
    tx_on(C_TITLE, tx_colour() ? 0 : A_REVERSE);
    mvhline(0, 0, ' ', cols);
    tx_str(0, 0, cols, s);
    tx_off(C_TITLE, tx_colour() ? 0 : A_REVERSE);
}

/* The source column. ---------------------------------------------------- */

typedef struct look {
    int pair;
    attr_t attr;
} look_t;

/* The n bytes at s in h rows of w columns from y (wrapped, continuations
 * indented by 2), the bytes from `comment` on in the look of a comment. A
 * line cut short ends in '>'. */
static void source_text(const char *s, size_t n, size_t comment, int y, int x, int h, int w, look_t code, look_t note)
{
    size_t pos = 0;
    for (int row = 0; row < h && pos < n; row++) {
        int indent = row && w - 2 >= 8 ? 2 : 0;
        size_t take = row + 1 < h ? text_break(s + pos, n - pos, w - indent) : (size_t)(w - indent);
        size_t end = pos + take < n ? pos + take : n;
        size_t mid = comment < pos ? pos : comment > end ? end : comment;
        tx_on(code.pair, code.attr);
        tx_clip(y + row, x + indent, w - indent, s + pos, mid - pos);
        tx_off(code.pair, code.attr);
        tx_on(note.pair, note.attr);
        tx_clip(y + row, x + indent + (int)(mid - pos), w - indent - (int)(mid - pos), s + mid, end - mid);
        tx_off(note.pair, note.attr);
        pos = end;
    }
    if (pos < n) {
        tx_on(C_MORE, 0);
        tx_clip(y + h - 1, x + w - 1, 1, ">", 1);
        tx_off(C_MORE, 0);
    }
}

/* How line i looks: the next statement marked, its story (the comments
 * just above it) bright, what ran before dimmed, comments in their colour. */
static void line_looks(const tui_model_t *m, uint32_t i, look_t *code, look_t *note)
{
    uint32_t block, line;
    model_source_focus(m, &block, &line);
    attr_t past = i < block ? A_DIM : 0;
    *code = (look_t){ 0, past };
    *note = (look_t){ C_COMMENT, past | (tx_colour() ? 0 : A_DIM) };
    if (i >= block && i < line) *note = (look_t){ C_STORY, A_BOLD };
    if (i == line) *code = (look_t){ C_CURRENT, A_BOLD | (tx_colour() ? 0 : A_REVERSE) };
}

static void draw_source_line(const tui_model_t *m, const tui_layout_t *L, uint32_t i, int y, int h)
{
    uint32_t block, line;
    model_source_focus(m, &block, &line);
    look_t code, note;
    line_looks(m, i, &code, &note);
    char head[16];
    snprintf(head, sizeof head, "%c%4u ", i == line ? '>' : ' ', i + 1);
    tx_on(code.pair, code.attr);
    tx_str(y, 0, L->src_text, head);
    tx_off(code.pair, code.attr);
    size_t n;
    const char *s = src_line(&m->src, i, &n);
    size_t comment = src_kind(&m->src, i) == SRC_COMMENT ? 0 : src_comment_at(s, n);
    source_text(s, n, comment, y, L->src_text, h, L->src_w - L->src_text, code, note);
}

/* Every line of the scenario with its number, the next statement marked
 * with '>' and kept in view with its story. */
static void draw_source(const tui_model_t *m, const tui_layout_t *L)
{
    int w = L->src_w - L->src_text;
    if (L->src_h <= 0 || w <= 0) return;
    int row = 0;
    uint32_t i = model_source_top(m, L->src_h, w);
    for (; i < m->src.count && row < L->src_h; i++) {
        int rows = model_source_rows(m, i, w);
        draw_source_line(m, L, i, L->src_top + row, rows < L->src_h - row ? rows : L->src_h - row);
        row += rows;
    }
    if (i == m->src.count && model_done(m) >= model_count(m) && row < L->src_h) {
        tx_on(C_CURRENT, A_BOLD);
        tx_str(L->src_top + row, 0, L->src_w, ">  (end)");
        tx_off(C_CURRENT, A_BOLD);
    }
    if (L->src_w < L->cols) mvvline(L->src_top, L->src_w, ACS_VLINE, L->src_h);
}

/* The map. -------------------------------------------------------------- */

static void draw_bar(const tui_layout_t *L, const tui_cell_t *cells)
{
    for (int i = 0; i < L->map_cells; i++) {
        tui_cell_t c = cells[i];
        bool past = c.marks & MAP_CELL_PAST;
        chtype g = past ? ' ' : (c.marks & MAP_CELL_PAGE_START) ? '|' : (chtype)k_glyph[c.state];
        int pair = past ? 0 : C_STATE0 + c.state;
        attr_t a = (c.marks & MAP_CELL_GUARD) ? A_UNDERLINE : 0;
        tx_on(pair, a);
        mvaddch(L->map_y, i, g);
        tx_off(pair, a);
    }
}

/* The legend: each state's glyph and name, long names when they fit,
 * else short ones, else the glyphs alone (the help has them all); then
 * the marks the bar uses now. */
static void draw_legend(const tui_layout_t *L, const tui_cell_t *cells, const tui_map_view_t *v)
{
    static const struct { mm_page_state_t s; const char *name[3]; } k[] = {
        { MM_PAGE_FREE, { "free", "free", "" } }, { MM_PAGE_RESERVED, { "reserved", "rsv", "" } },
        { MM_PAGE_COMMITTED, { "committed", "cmt", "" } }, { MM_PAGE_RESIDENT, { "resident", "res", "" } },
        { MM_PAGE_DIRTY, { "dirty", "dirty", "" } }, { MM_PAGE_GUARD, { "guard", "grd", "" } },
        { MM_PAGE_MAPPED, { "mapped", "map", "" } }, { MM_PAGE_COPY_ON_WRITE, { "copy-on-write", "cow", "" } },
        { MM_PAGE_IMAGE, { "image", "img", "" } }, { MM_PAGE_PAGE_TABLE, { "page table", "pt", "" } },
        { MM_PAGE_SYSTEM, { "system", "sys", "" } }, { MM_PAGE_LOCKED, { "locked", "lock", "" } },
        { MM_PAGE_FILE, { "file", "file", "" } }, { MM_PAGE_SHARED, { "shared", "shr", "" } },
        { MM_PAGE_AWE, { "AWE", "awe", "" } },
    };
    /* A rare kind is listed only while the bar shows such a page (the 80x24
     * legend is full without it). */
    static const mm_page_state_t rare = MM_PAGE_AWE;
    static const char *const page[3] = { "| a page begins", "|page", "|" };
    static const char *const mark[3] = { "underlined: holds a guard page", "_guard", "" };
    static const int gap[3] = { 2, 1, 1 }, space[3] = { 1, 0, 0 };
    enum { N = sizeof k / sizeof k[0] };
    bool guard = false, shown[MM_PAGE_STATE_COUNT] = { false };
    for (int i = 0; i < L->map_cells; i++) {
        guard |= (cells[i].marks & MAP_CELL_GUARD) != 0;
        if (cells[i].state < MM_PAGE_STATE_COUNT) shown[cells[i].state] = true;
    }
    int form = 0;
    for (; form < 2; form++) {
        int width = 0;
        for (int i = 0; i < N; i++)
            if (k[i].s != rare || shown[rare]) width += 1 + space[form] + (int)strlen(k[i].name[form]) + gap[form];
        width += v->cpp > 1 ? (int)strlen(page[form]) + gap[form] : 0;
        width += guard ? (int)strlen(mark[form]) : 0;
        if (width <= L->cols) break;
    }
    int x = 0, y = L->map_y + 1;
    for (int i = 0; i < N; i++) {
        if (k[i].s == rare && !shown[rare]) continue;
        tx_on(C_STATE0 + (int)k[i].s, 0);
        tx_clip(y, x, 1, &k_glyph[k[i].s], 1);
        tx_off(C_STATE0 + (int)k[i].s, 0);
        tx_str(y, x + 1 + space[form], L->cols - x - 1 - space[form], k[i].name[form]);
        x += 1 + space[form] + (int)strlen(k[i].name[form]) + gap[form];
    }
    if (v->cpp > 1) {
        tx_str(y, x, L->cols - x, page[form]);
        x += (int)strlen(page[form]) + gap[form];
    }
    if (guard) tx_str(y, x, L->cols - x, mark[form]);
}

static void draw_map(const tui_model_t *m, const tui_layout_t *L)
{
    tui_cell_t cells[MODEL_MAP_CELLS];
    tui_map_view_t v;
    model_map(m, cells, L->map_cells, &v);
    char label[200];
    model_map_label(&v, label, sizeof label);
    static const char *const keys[] = { "   +/- zoom", "  Tab next allocation", "  z translated page" };
    size_t n = strlen(label);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0] && n + strlen(keys[i]) <= (size_t)L->cols; i++)
        n += (size_t)snprintf(label + n, sizeof label - n, "%s", keys[i]);
    tx_str(L->map_y - 1, 0, L->cols, label);
    draw_bar(L, cells);
    draw_legend(L, cells, &v);
}

/* The bottom line. ------------------------------------------------------ */

/* The keys that fit, in order, and "? help" last whenever it fits. */
static void draw_keys(const tui_model_t *m, const tui_layout_t *L)
{
    char quiz[48] = "Q quiz";
    if (m->quiz.on)
        snprintf(quiz, sizeof quiz, "Q quiz %u/%u", (unsigned)m->quiz.score.right, (unsigned)m->quiz.score.asked);
    const char *const keys[] = { "n/Space step", "b back", quiz, "e end", "r restart", "g line", "t address",
                                 "1-5 panels", "+/- zoom", "q quit" };
    static const char help[] = "  ? help";
    char s[256];
    size_t n = 0, room = (size_t)(L->cols > 0 ? L->cols : 0);
    s[n++] = ' ';
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        size_t k = strlen(keys[i]) + (i ? 2 : 0);
        if (n + k + (sizeof help - 1) > room && i > 1) break;
        n += (size_t)snprintf(s + n, sizeof s - n, "%s%s", i ? "  " : "", keys[i]);
    }
    snprintf(s + n, sizeof s - n, "%s", help);
    tx_str(L->help_y, 0, L->cols, s);
}

static void draw_bottom(const tui_model_t *m, const tui_layout_t *L)
{
    bool note = m->message[0] != '\0';
    int pair = note ? C_ERROR : 0;
    attr_t a = note && tx_colour() ? 0 : A_REVERSE;
    tx_on(pair, a);
    mvhline(L->help_y, 0, ' ', L->cols);
    if (note) tx_str(L->help_y, 0, L->cols, m->message);
    else draw_keys(m, L);
    tx_off(pair, a);
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
    if (quiz_mode_showing(m) && L.pan_h > 0) quiz_draw(m, &L);
    else if (L.tabs_y >= 0) panels_draw(m, &L);
    if (L.map_y >= 0) draw_map(m, &L);
    draw_bottom(m, &L);
}

/* The help screen and the prompt. --------------------------------------- */

int draw_help(int top)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    erase();
    strbuf_t b;
    strbuf_init(&b, NULL);
    model_help(&b);
    int h = rows > 1 ? rows - 1 : rows;
    int all = tx_lines(strbuf_str(&b), 0, 1, h, cols - 1, top);
    strbuf_fini(&b);
    if (rows > 1) {
        char s[160];
        snprintf(s, sizeof s, " rows %d-%d of %d   Up/Down PgUp/PgDn Home/End scroll   another key returns", top + 1,
                 top + h < all ? top + h : all, all);
        attron(A_REVERSE);
        mvhline(rows - 1, 0, ' ', cols);
        tx_str(rows - 1, 0, cols, s);
        attroff(A_REVERSE);
    }
    return all > h ? all - h : 0;
}

void draw_prompt(const char *question, const char *text)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    move(rows - 1, 0);
    clrtoeol();
    attron(A_BOLD);
    tx_str(rows - 1, 0, cols, question);
    attroff(A_BOLD);
    int x = (int)strlen(question);
    if (x < cols) tx_str(rows - 1, x, cols - x, text);
}
