/* pagesim-sdl's text panels: status line, legend, walk and hover text,
 * event log, timeline. Prose wraps to its panel, continuing under its text
 * (view_hang); the walk is the core's narrator's, a stage at a time. */
#include "panels.h"
#include "fe_title.h"
#include "pagesim/format.h"
#include "pagesim/heap.h"
#include "pagesim/inspect.h"
#include "pagesim/strbuf.h"
#include "pagesim/winconst.h"
#include "pagesim/winsdk.h"
#include "pagesim/x86.h"
#include <stdio.h>
#include <string.h>

/* The inside of a panel: its padding taken off. */
static view_rect_t inner(const view_rect_t *q)
{
    return (view_rect_t){ q->x + 4, q->y + 4, q->w - 8, q->h - 8 };
}

/* The lines of s from row `row` of box (box NULL: measured in w pixels,
 * nothing drawn), each wrapped and continued under its text; for a table
 * (a WinDbg view) the lines after the first take a row each, cut. Returns
 * the rows they take. */
static int prose(paint_t *p, const view_rect_t *box, int w, int row, uint32_t c, const char *s, bool table)
{
    int rows = 0;
    char buf[512];
    for (bool first = true; *s; first = false) {
        size_t n = strcspn(s, "\n");
        if (table && !first) {
            int y = row + rows;
            if (box && y >= 0 && (y + 1) * p->line <= box->h) {
                size_t k = n < sizeof buf ? n : sizeof buf - 1;
                memcpy(buf, s, k);
                buf[k] = '\0';
                paint_text(p, box->x, box->y + y * p->line, box->w, c, buf);
            }
            rows++;
        } else {
            int hang = paint_prefix_width(p, s, view_hang(s, n));
            rows += box ? paint_wrap(p, box, row + rows, hang, c, s, n) : paint_rows(p, w, hang, s, n);
        }
        s += n + (s[n] == '\n');
    }
    return rows;
}

static void draw_title(render_t *rd, app_t *a, const view_layout_t *L)
{
    paint_fill(&rd->p, &L->title, VIEW_PANEL);
    char step[64], counters[200], s[400];
    snprintf(step, sizeof step, "  step %zu/%zu", scn_history_done(a->h), scn_history_count(a->h));
    mm_process_t *p = app_process(a);
    if (p) {
        mm_stats_t st;
        mm_stats(p, &st);
        snprintf(counters, sizeof counters,
                 "  process %s (%d of %u%s, Tab)  working set %u pages  commit %llu KB", mm_process_name(p),
                 a->proc + 1, mm_process_count(app_mm(a)), p == mm_current(app_mm(a)) ? ", current" : "",
                 st.working_set, (unsigned long long)(st.commit_charge >> 10));
    } else {
        snprintf(counters, sizeof counters, "  %s",
                 scn_runner_mmu(scn_history_runner(a->h)) ? "bare machine" : "not started");
    }
    int x = 8 * L->scale;
    fe_title(s, sizeof s, L->title.w - 2 * x, "pagesim-sdl  ", a->name, step, counters, paint_width, &rd->p);
    paint_text(&rd->p, x, (L->title.h - rd->p.line) / 2, L->title.w - 2 * x, VIEW_INK, s);
}

/* One legend item at *x, *y: a swatch (outlined only, for a mark) and a
 * name, on the next row when it does not fit this one. */
static void legend_item(paint_t *p, const view_rect_t *L, int *x, int *y, uint32_t c, bool mark, const char *name)
{
    int box = p->line - 4, item = box + 6 + (int)paint_width(name, p) + 12, right = L->x + L->w;
    if (*x + item - 12 > right && *x > L->x) *x = L->x, *y += p->line;
    view_rect_t q = { *x, *y + 2, box, box };
    if (mark) {
        paint_outline(p, &(view_rect_t){ q.x + 1, q.y + 1, q.w - 2, q.h - 2 }, c, 1);
    } else {
        paint_fill(p, &q, c);
        paint_outline(p, &(view_rect_t){ q.x + 1, q.y + 1, q.w - 2, q.h - 2 }, VIEW_DIM, 1);
    }
    paint_text(p, *x + box + 6, *y, right - *x - box - 6, VIEW_INK, name);
    *x += item;
}

/* Each state's colour and name, flowing onto more rows when the map is
 * narrow, the allocations' mark when the map shows it, then what the grid
 * shows. */
static void draw_legend(render_t *rd, app_t *a, const view_layout_t *L)
{
    static const mm_page_state_t order[] = { MM_PAGE_FREE, MM_PAGE_RESERVED, MM_PAGE_COMMITTED, MM_PAGE_RESIDENT,
                                             MM_PAGE_DIRTY, MM_PAGE_GUARD, MM_PAGE_MAPPED, MM_PAGE_COPY_ON_WRITE,
                                             MM_PAGE_IMAGE, MM_PAGE_FILE, MM_PAGE_SHARED, MM_PAGE_PAGE_TABLE,
                                             MM_PAGE_SYSTEM, MM_PAGE_LOCKED, MM_PAGE_AWE };
    paint_t *p = &rd->p;
    const view_port_t *vp = &a->vp;
    int x = L->legend.x, y = L->legend.y;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        legend_item(p, &L->legend, &x, &y, view_state_colour(order[i]), false, view_state_name(order[i]));
    if (a->nmarks && L->map.w / vp->n < 4)
        legend_item(p, &L->legend, &x, &y, VIEW_MARK, true, "an allocation of the scenario");
    char s[200];
    snprintf(s, sizeof s, "rows: PDE 0x%03X-0x%03X, columns: PTE 0x%03X-0x%03X%s", vp->y, vp->y + vp->n - 1, vp->x,
             vp->x + vp->n - 1, L->map.w == vp->n * L->scale ? ", a pixel a page" : "");
    view_rect_t rest = { L->legend.x, y + p->line, L->legend.w, L->legend.y + L->legend.h - y - p->line };
    prose(p, &rest, rest.w, 0, VIEW_DIM, s, false);
}

/* The label column's width in a box w wide: room for "physical" and a
 * space, or 0 when the text beside it would be too narrow (the label then
 * takes a row of its own above its text). */
static int label_width(paint_t *p, int w)
{
    int lw = (int)paint_width("physical ", p);
    return w - lw < 12 * p->line ? 0 : lw;
}

/* A narrator's line: its label in a column, its text beside it, wrapped.
 * Returns its rows. */
static int walk_line(paint_t *p, const view_rect_t *box, int row, const fmt_line_t *l)
{
    static const uint32_t ink[] = { [FMT_HEAD] = VIEW_INK, [FMT_BITS] = VIEW_HILITE, [FMT_PLAIN] = VIEW_INK,
                                    [FMT_WHY] = VIEW_DIM, [FMT_OK] = VIEW_GOOD, [FMT_FAULT] = VIEW_BAD };
    int lw = label_width(p, box->w), rows = 0;
    if (l->label[0]) {
        if (row >= 0 && (row + 1) * p->line <= box->h)
            paint_text(p, box->x, box->y + row * p->line, lw ? lw : box->w, VIEW_HILITE, l->label);
        rows = lw ? 0 : 1;
    }
    view_rect_t text = { box->x + lw, box->y, box->w - lw, box->h };
    return rows + paint_wrap(p, &text, row + rows, (int)paint_width("  ", p), ink[l->kind], l->text, strlen(l->text));
}

static int walk_line_rows(paint_t *p, int w, const fmt_line_t *l)
{
    int lw = label_width(p, w);
    return (l->label[0] && !lw ? 1 : 0) + paint_rows(p, w - lw, (int)paint_width("  ", p), l->text, strlen(l->text));
}

static int walk_rows(paint_t *p, int w, const fmt_line_t *l, int n)
{
    int rows = 0;
    for (int i = 0; i < n; i++) rows += walk_line_rows(p, w, &l[i]);
    return rows;
}

/* The lines of the walk told so far: the narrator's steps up to the
 * animation's stage; a look at the tables consults no TLB, so a machine
 * with one is not said to have none. Returns how many. */
static int walk_lines(app_t *a, const mmu_walk_t *w, fmt_line_t *out, int max)
{
    fmt_line_t all[FMT_WALK_LINES];
    int steps = 0, n = fmt_walk_lines(w, all, FMT_WALK_LINES, &steps), k = 0;
    mmu_t *mmu = scn_runner_mmu(scn_history_runner(a->h));
    bool peeked = w->tlb == MMU_TLB_OFF && mmu && mmu_tlb_capacity(mmu) > 0;
    for (int i = 0; i < n && k < max; i++) {
        if (peeked && all[i].step == 1) continue;
        if (app_step_stage(w, all[i].step, steps) <= app_walk_stage(a)) out[k++] = all[i];
    }
    return k;
}

/* The rest, once the walk is told whole: where its contents are, and
 * whether a write would do. */
static int walk_tail(app_t *a, const mmu_walk_t *w, const mmu_walk_t *write, fmt_line_t *out)
{
    if (app_walk_stage(a) < APP_STAGES - 1) return 0;
    int k = 0;
    mm_page_info_t pi;
    app_page(a, w->va, &pi);
    if (w->reason != MMU_OK && pi.slot) {
        out[k] = (fmt_line_t){ .kind = FMT_WHY, .label = "" };
        snprintf(out[k++].text, sizeof out[0].text, "its contents are in the page file, slot %u", pi.slot);
    }
    bool ok = write->reason == MMU_OK;
    out[k] = (fmt_line_t){ .kind = ok ? FMT_OK : FMT_FAULT, .label = "write" };
    snprintf(out[k++].text, sizeof out[0].text, "a %s write: %s%s", mmu_mode_str(write->mode),
             ok ? "allowed" : "#PF, ", ok ? "" : mmu_reason_str(write->reason));
    return k;
}

/* The selected address's walk from row `row` of box: its heading, then
 * its lines; when they do not all fit, without the explanations (FMT_WHY),
 * and if they still do not, the newest kept in view. */
static void draw_walk(render_t *rd, app_t *a, const view_rect_t *box, int row)
{
    const mmu_walk_t *write;
    const mmu_walk_t *w = app_walk(a, &write);
    if (!w) return;
    paint_t *p = &rd->p;
    mm_page_info_t pi;
    app_page(a, w->va, &pi);
    char head[160];
    snprintf(head, sizeof head, "walk of 0x%08X (%s), a %s read:", w->va, mm_page_state_str(pi.state),
             mmu_mode_str(w->mode));
    row += row ? 1 : 0;
    row += prose(p, box, box->w, row, VIEW_HILITE, head, false);
    fmt_line_t l[FMT_WALK_LINES + 2];
    int n = walk_lines(a, w, l, FMT_WALK_LINES);
    n += walk_tail(a, w, write, l + n);
    int room = box->h / p->line - row, need = walk_rows(p, box->w, l, n);
    if (need > room) { /* short of room: the explanations go first */
        int k = 0;
        for (int i = 0; i < n; i++)
            if (l[i].kind != FMT_WHY) l[k++] = l[i];
        n = k;
        need = walk_rows(p, box->w, l, n);
    }
    view_rect_t below = { box->x, box->y + row * p->line, box->w, box->h - row * p->line };
    int r = need > room ? room - need : 0;
    for (int i = 0; i < n; i++) r += walk_line(p, &below, r, &l[i]);
}

/* A heap's segment, and the block that holds va in it, or a heap's block
 * in a region of its own. */
static void heap_text(const mm_process_t *p, uint32_t va, strbuf_t *b)
{
    heap_segment_info_t g;
    if (!heap_segment_of(p, va, &g)) return;
    strbuf_printf(b, "%s of heap 0x%08X", g.virtual_block ? "a large block" : "a segment", g.heap);
    heap_block_info_t k, hit = { 0 };
    for (uint32_t at = g.first_block; heap_block_from(p, g.base, at, &k) && k.header <= va; at = k.header + 8)
        hit = k;
    if (hit.header && va < hit.header + hit.units * 8)
        strbuf_printf(b, ": block 0x%08X, %u bytes, %s (%u asked)", hit.header + 8, hit.units * 8,
                      hit.flags & HEAP_ENTRY_BUSY ? "busy" : "free", hit.requested);
    strbuf_puts(b, "\n");
}

static void hover_text(app_t *a, strbuf_t *b)
{
    uint32_t va = a->hover_va;
    mm_page_info_t pi;
    app_page(a, va, &pi);
    strbuf_printf(b, "0x%08X  PDE 0x%03X  PTE 0x%03X  %s\n", va, X86_PDE_INDEX(va), X86_PTE_INDEX(va),
                  mm_page_state_str(pi.state));
    strbuf_printf(b, "PDE 0x%08X  PTE 0x%08X%s\n", pi.pde, pi.pte, pi.present ? "" : "  (not present)");
    mm_process_t *p = app_process(a);
    mm_mbi_t mbi;
    if (!p || mm_virtual_query(p, va, &mbi, NULL) != 0) return;
    strbuf_printf(b, "region 0x%08X + 0x%X  ", mbi.BaseAddress, mbi.RegionSize);
    wc_format_mem(b, mbi.State);
    if (mbi.State == MEM_COMMIT) {
        strbuf_puts(b, " ");
        wc_format_protect(b, mbi.Protect);
    }
    if (mbi.Type) {
        strbuf_puts(b, " ");
        wc_format_mem(b, mbi.Type);
    }
    strbuf_puts(b, "\n");
    if (mbi.AllocationBase) {
        strbuf_printf(b, "allocation 0x%08X, ", mbi.AllocationBase);
        wc_format_protect(b, mbi.AllocationProtect);
        strbuf_puts(b, "\n");
    }
    view_backing_text(app_mm(a), p, va, b);
    heap_text(p, va, b);
}

static void draw_info(render_t *rd, app_t *a, const view_layout_t *L)
{
    paint_fill(&rd->p, &L->info, VIEW_PANEL);
    view_rect_t box = inner(&L->info);
    strbuf_t b;
    strbuf_init(&b, NULL);
    if (a->hover) hover_text(a, &b);
    else if (!a->selected)
        strbuf_puts(&b, "Hover over the map for a page, click it for its walk.\n"
                        "Wheel or +/-: zoom; arrows or right-drag: pan; 0: the whole 4 GB.\n"
                        "n/Space/Right: step; b/Left: back; e: end; r: restart;\n"
                        "p: play/pause; Tab: next process; s: save a PNG; q: quit.\n");
    int row = prose(&rd->p, &box, box.w, 0, VIEW_INK, strbuf_str(&b), false);
    strbuf_fini(&b);
    draw_walk(rd, a, &box, row);
}

/* True when the prose of statement k is a WinDbg view (!address, !vad,
 * !pte): columns, never wrapped. */
static bool is_table(const app_t *a, size_t k)
{
    scn_verb_id_t v = scn_script_verb(scn_history_script(a->h), k);
    return v == SCN_ADDRESS || v == SCN_VAD || v == SCN_PTE || v == SCN_PFN;
}

/* The prose of the statements run, the newest at the bottom; only the
 * statements that reach the panel are looked at. */
static void draw_log(render_t *rd, app_t *a, const view_layout_t *L)
{
    paint_fill(&rd->p, &L->log, VIEW_PANEL);
    paint_t *p = &rd->p;
    view_rect_t box = inner(&L->log);
    int room = box.h / p->line, need = 0;
    if (a->error[0]) need += prose(p, NULL, box.w, 0, 0, a->error, false);
    size_t k = scn_history_done(a->h);
    while (k > 0 && need < room) {
        k--;
        need += prose(p, NULL, box.w, 0, 0, scn_history_text(a->h, k), is_table(a, k));
    }
    int row = need > room ? room - need : 0;
    for (size_t i = k; i < scn_history_done(a->h); i++)
        row += prose(p, &box, box.w, row, VIEW_INK, scn_history_text(a->h, i), is_table(a, i));
    if (a->error[0]) prose(p, &box, box.w, row, VIEW_BAD, a->error, false);
}

static void draw_timeline(render_t *rd, app_t *a, const view_layout_t *L)
{
    paint_t *p = &rd->p;
    paint_fill(p, &L->timeline, VIEW_PANEL);
    for (int i = 0; i < VIEW_BUTTONS; i++) {
        const view_rect_t *q = &L->buttons[i];
        paint_fill(p, q, VIEW_BG);
        const char *label = view_button_label((view_button_t)i, a->playing);
        int tw = (int)paint_width(label, p);
        paint_text(p, q->x + (q->w - tw) / 2, q->y + (q->h - p->line) / 2, q->w, VIEW_INK, label);
    }
    size_t done = scn_history_done(a->h), count = scn_history_count(a->h);
    const scn_script_t *sc = scn_history_script(a->h);
    if (done < count) {
        size_t n;
        const char *src = scn_script_source(sc, done, &n);
        paint_textf(p, L->next.x, L->next.y, L->next.w, VIEW_INK, "next: line %u  %.*s", scn_script_line(sc, done),
                    (int)(n > 200 ? 200 : n), src);
    } else {
        paint_text(p, L->next.x, L->next.y, L->next.w, VIEW_DIM, "(the end)");
    }
    const view_rect_t *bar = &L->bar;
    paint_fill(p, bar, VIEW_BG);
    paint_fill(p, &(view_rect_t){ bar->x, bar->y, view_bar_x(bar, count, done) - bar->x, bar->h }, VIEW_DONE);
    /* A mark a statement while they are at least 3 pixels apart. */
    if (count && bar->w / (long)count >= 3)
        for (size_t k = 0; k <= count; k++)
            paint_fill(p, &(view_rect_t){ view_bar_x(bar, count, k), bar->y, 1, bar->h }, VIEW_DIM);
}

void panels_draw(render_t *rd, app_t *a, const view_layout_t *L)
{
    draw_title(rd, a, L);
    draw_legend(rd, a, L);
    draw_info(rd, a, L);
    draw_log(rd, a, L);
    draw_timeline(rd, a, L);
}
