/* pagesim-sdl's text panels: status line, legend, walk and hover text,
 * event log, timeline. */
#include "panels.h"
#include "fe_title.h"
#include "pagesim/format.h"
#include "pagesim/strbuf.h"
#include "pagesim/winconst.h"
#include "pagesim/x86.h"
#include <stdio.h>
#include <string.h>

/* Lines of s from y down, cut to box; returns the y after the last. */
static int lines(render_t *rd, const view_rect_t *box, const char *s, int y, uint32_t ink)
{
    char buf[512];
    while (s && *s && y + rd->line <= box->y + box->h) {
        size_t len = strcspn(s, "\n");
        size_t n = len < sizeof buf ? len : sizeof buf - 1;
        memcpy(buf, s, n);
        buf[n] = 0;
        render_text(rd, box->x + 4, y, box->w - 8, ink, buf);
        y += rd->line;
        s += len + (s[len] == '\n');
    }
    return y;
}

static void draw_title(render_t *rd, app_t *a, const view_layout_t *L)
{
    render_fill(rd, &L->title, VIEW_PANEL);
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
    fe_title(s, sizeof s, L->title.w - 2 * x, "pagesim-sdl  ", a->name, step, counters, render_width, rd);
    render_text(rd, x, (L->title.h - rd->line) / 2, L->title.w - 2 * x, VIEW_INK, s);
}

/* Each state's colour and name, then what the grid shows. */
static void draw_legend(render_t *rd, app_t *a, const view_layout_t *L)
{
    static const mm_page_state_t order[] = { MM_PAGE_FREE, MM_PAGE_RESERVED, MM_PAGE_COMMITTED, MM_PAGE_RESIDENT,
                                             MM_PAGE_DIRTY, MM_PAGE_GUARD, MM_PAGE_MAPPED, MM_PAGE_COPY_ON_WRITE,
                                             MM_PAGE_IMAGE, MM_PAGE_PAGE_TABLE, MM_PAGE_SYSTEM };
    int x = L->legend.x, y = L->legend.y, box = rd->line - 4;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        view_rect_t q = { x, y + 2, box, box };
        render_fill(rd, &q, view_state_colour(order[i]));
        render_outline(rd, &(view_rect_t){ x + 1, y + 3, box - 2, box - 2 }, VIEW_DIM, 1);
        x += box + 6;
        x += render_text(rd, x, y, 0, VIEW_INK, view_state_name(order[i])) + 12;
    }
    const view_port_t *vp = &a->vp;
    render_textf(rd, L->legend.x, y + rd->line, L->legend.w, VIEW_DIM,
                 "rows: PDE 0x%03X-0x%03X, columns: PTE 0x%03X-0x%03X%s", vp->y, vp->y + vp->n - 1, vp->x,
                 vp->x + vp->n - 1,
                 vp->n == VIEW_MAP_CELLS ? ": the 4 GB, a pixel a page" : "");
}

/* The animation stage that shows a line of fmt_walk_text: the address and
 * CR3 first, then the PDE, then the PTE, then the outcome. Continuation
 * lines (indented) and the TLB's lines go with the line before. */
static int walk_stage_of(const char *line, int stage)
{
    if (line[0] == ' ' || !strncmp(line, "TLB", 3)) return stage;
    if (!strncmp(line, "linear", 6) || !strncmp(line, "CR3", 3)) return 0;
    if (!strncmp(line, "PDE", 3)) return 1;
    if (!strncmp(line, "PTE", 3)) return 2;
    return 3;
}

static int draw_walk_text(render_t *rd, app_t *a, const view_rect_t *box, int y)
{
    const mmu_walk_t *write;
    const mmu_walk_t *w = app_walk(a, &write);
    if (!w) return y;
    mm_page_info_t pi;
    app_page(a, w->va, &pi);
    y += rd->line / 2;
    render_textf(rd, box->x + 4, y, box->w - 8, VIEW_HILITE, "walk of 0x%08X (%s), a %s read:", w->va,
                 mm_page_state_str(pi.state), mmu_mode_str(w->mode));
    y += rd->line;
    strbuf_t b;
    strbuf_init(&b, NULL);
    fmt_walk_text(&b, w, "");
    int stage = 0, shown = app_walk_stage(a);
    for (const char *s = strbuf_str(&b); *s && y + rd->line <= box->y + box->h;) {
        size_t len = strcspn(s, "\n");
        stage = walk_stage_of(s, stage);
        if (stage > shown) break;
        render_textf(rd, box->x + 4, y, box->w - 8, VIEW_INK, "%.*s", (int)len, s);
        y += rd->line;
        s += len + (s[len] == '\n');
    }
    strbuf_fini(&b);
    if (shown < APP_STAGES - 1) return y;
    if (w->reason != MMU_OK && pi.slot) {
        render_textf(rd, box->x + 4, y, box->w - 8, VIEW_INK, "its contents are in the page file, slot %u", pi.slot);
        y += rd->line;
    }
    bool ok = write->reason == MMU_OK;
    render_textf(rd, box->x + 4, y, box->w - 8, VIEW_INK, "a %s write: %s%s", mmu_mode_str(write->mode),
                 ok ? "allowed" : "#PF, ", ok ? "" : mmu_reason_str(write->reason));
    return y + rd->line;
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
    if (mbi.State == 0x1000 /* MEM_COMMIT */) {
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
}

static void draw_info(render_t *rd, app_t *a, const view_layout_t *L)
{
    render_fill(rd, &L->info, VIEW_PANEL);
    view_rect_t box = { L->info.x, L->info.y + 4, L->info.w, L->info.h - 4 };
    int y = box.y;
    strbuf_t b;
    strbuf_init(&b, NULL);
    if (a->hover) hover_text(a, &b);
    else if (!a->selected)
        strbuf_puts(&b, "Hover over the map for a page, click it for its walk.\n"
                        "Wheel or +/-: zoom; arrows or right-drag: pan; 0: the whole 4 GB.\n"
                        "n/Space/Right: step; b/Left: back; e: end; r: restart;\n"
                        "p: play/pause; Tab: next process; s: save a PNG; q: quit.\n");
    y = lines(rd, &box, strbuf_str(&b), y, VIEW_INK);
    strbuf_fini(&b);
    draw_walk_text(rd, a, &box, y);
}

/* The prose of the statements run, the newest at the bottom. */
static void draw_log(render_t *rd, app_t *a, const view_layout_t *L)
{
    render_fill(rd, &L->log, VIEW_PANEL);
    int room = L->log.h / rd->line, count = 0;
    size_t k = scn_history_done(a->h);
    /* From the newest statement back, as many as fill the panel. */
    while (k > 0 && count < room) {
        const char *t = scn_history_text(a->h, --k);
        for (; *t; t++) count += *t == '\n';
    }
    strbuf_t b;
    strbuf_init(&b, NULL);
    for (size_t i = k; i < scn_history_done(a->h); i++) strbuf_puts(&b, scn_history_text(a->h, i));
    if (a->error[0]) {
        strbuf_printf(&b, "%s\n", a->error);
        count++;
    }
    const char *s = strbuf_str(&b);
    for (; count > room && *s; count--) {
        size_t len = strcspn(s, "\n");
        s += len + (s[len] == '\n');
    }
    lines(rd, &L->log, s, L->log.y + 2, VIEW_INK);
    strbuf_fini(&b);
}

static void draw_timeline(render_t *rd, app_t *a, const view_layout_t *L)
{
    render_fill(rd, &L->timeline, VIEW_PANEL);
    for (int i = 0; i < VIEW_BUTTONS; i++) {
        const view_rect_t *q = &L->buttons[i];
        render_fill(rd, q, VIEW_BG);
        const char *label = view_button_label((view_button_t)i, a->playing);
        int tw = 0;
        TTF_SizeUTF8(rd->font, label, &tw, NULL);
        render_text(rd, q->x + (q->w - tw) / 2, q->y + (q->h - rd->line) / 2, q->w, VIEW_INK, label);
    }
    size_t done = scn_history_done(a->h), count = scn_history_count(a->h);
    const scn_script_t *sc = scn_history_script(a->h);
    if (done < count) {
        size_t n;
        const char *src = scn_script_source(sc, done, &n);
        render_textf(rd, L->next.x, L->next.y, L->next.w, VIEW_INK, "next: line %u  %.*s",
                     scn_script_line(sc, done), (int)(n > 200 ? 200 : n), src);
    } else {
        render_text(rd, L->next.x, L->next.y, L->next.w, VIEW_DIM, "(the end)");
    }
    const view_rect_t *bar = &L->bar;
    render_fill(rd, bar, VIEW_BG);
    render_fill(rd, &(view_rect_t){ bar->x, bar->y, view_bar_x(bar, count, done) - bar->x, bar->h }, VIEW_DONE);
    for (size_t k = 0; k <= count; k++)
        render_fill(rd, &(view_rect_t){ view_bar_x(bar, count, k), bar->y, 1, bar->h }, VIEW_DIM);
}

void panels_draw(render_t *rd, app_t *a, const view_layout_t *L)
{
    draw_title(rd, a, L);
    draw_legend(rd, a, L);
    draw_info(rd, a, L);
    draw_log(rd, a, L);
    draw_timeline(rd, a, L);
}
