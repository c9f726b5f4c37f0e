/* Drawing pagesim-sdl's frame: the grid, the legend, the physical strip,
 * the walk of the selected address, the text panels and the timeline. */
#include "render.h"
#include "pagesim/format.h"
#include "pagesim/strbuf.h"
#include "pagesim/winconst.h"
#include "pagesim/x86.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef PAGESIM_FONT_PATH
#define PAGESIM_FONT_PATH ""
#endif

static const uint32_t C_TEXT = 0xFFE0E0E0, C_DIM = 0xFF8A9199, C_BG = 0xFF1B1F24, C_PANEL = 0xFF242A31,
                      C_HILITE = 0xFFFFEB3B, C_ARROW = 0xFFFFEB3B;

TTF_Font *render_open_font(int px)
{
    const char *path = getenv("PAGESIM_FONT");
    if (!path || !*path) path = PAGESIM_FONT_PATH;
    if (!*path) {
        SDL_SetError("no font: set PAGESIM_FONT to a .ttf file");
        return NULL;
    }
    return TTF_OpenFont(path, px);
}

bool render_init(render_t *rd, SDL_Renderer *r, TTF_Font *font)
{
    memset(rd, 0, sizeof *rd);
    rd->r = r;
    rd->font = font;
    rd->line = TTF_FontLineSkip(font);
    rd->map = SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING, VIEW_MAP_CELLS,
                                VIEW_MAP_CELLS);
    return rd->map != NULL;
}

void render_fini(render_t *rd)
{
    for (int i = 0; i < RENDER_TEXT_CACHE; i++)
        if (rd->cache[i].t) SDL_DestroyTexture(rd->cache[i].t);
    memset(rd->cache, 0, sizeof rd->cache);
    if (rd->map) SDL_DestroyTexture(rd->map);
    if (rd->frames) SDL_DestroyTexture(rd->frames);
    if (rd->slots) SDL_DestroyTexture(rd->slots);
    rd->map = rd->frames = rd->slots = NULL;
}

void render_upload(render_t *rd, app_t *a)
{
    SDL_UpdateTexture(rd->map, NULL, a->pixels, VIEW_MAP_CELLS * (int)sizeof(uint32_t));
}

static void colour(SDL_Renderer *r, uint32_t c)
{
    SDL_SetRenderDrawColor(r, (Uint8)(c >> 16), (Uint8)(c >> 8), (Uint8)c, (Uint8)(c >> 24));
}

static void fill(SDL_Renderer *r, int x, int y, int w, int h, uint32_t c)
{
    colour(r, c);
    SDL_Rect q = { x, y, w, h };
    SDL_RenderFillRect(r, &q);
}

static void outline(SDL_Renderer *r, int x, int y, int w, int h, uint32_t c, int thick)
{
    colour(r, c);
    for (int i = 0; i < thick; i++) {
        SDL_Rect q = { x - i, y - i, w + 2 * i, h + 2 * i };
        SDL_RenderDrawRect(r, &q);
    }
}

static uint64_t text_key(const char *s, uint32_t c)
{
    uint64_t h = 1469598103934665603ull ^ c;
    for (; *s; s++) h = (h ^ (uint8_t)*s) * 1099511628211ull;
    return h ? h : 1;
}

/* Text at (x, y), clipped to max_w pixels (0: no limit); returns its width.
 * A line drawn before comes from the cache (a 64-bit hash names it). */
static int text(render_t *rd, int x, int y, int max_w, uint32_t c, const char *s)
{
    if (!s || !*s) return 0;
    uint64_t key = text_key(s, c);
    render_text_t *e = &rd->cache[key % RENDER_TEXT_CACHE];
    if (e->key != key) {
        SDL_Color col = { (Uint8)(c >> 16), (Uint8)(c >> 8), (Uint8)c, 255 };
        SDL_Surface *surf = TTF_RenderUTF8_Blended(rd->font, s, col);
        if (!surf) return 0;
        SDL_Texture *t = SDL_CreateTextureFromSurface(rd->r, surf);
        int w = surf->w, h = surf->h;
        SDL_FreeSurface(surf);
        if (!t) return 0;
        if (e->t) SDL_DestroyTexture(e->t);
        *e = (render_text_t){ key, t, w, h };
    }
    int shown = max_w > 0 && e->w > max_w ? max_w : e->w;
    SDL_Rect src = { 0, 0, shown, e->h }, dst = { x, y, shown, e->h };
    SDL_RenderCopy(rd->r, e->t, &src, &dst);
    return shown;
}

#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
static int textf(render_t *rd, int x, int y, int max_w, uint32_t c, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return text(rd, x, y, max_w, c, buf);
}

/* Lines of s from the bottom of box upwards (the newest last), or from its
 * top; returns the lines drawn. */
static int lines(render_t *rd, const view_rect_t *box, const char *s, int first_y)
{
    int y = first_y, n = 0;
    char buf[512];
    while (s && *s && y + rd->line <= box->y + box->h) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        if (len >= sizeof buf) len = sizeof buf - 1;
        memcpy(buf, s, len);
        buf[len] = 0;
        text(rd, box->x + 4, y, box->w - 8, C_TEXT, buf);
        y += rd->line;
        n++;
        s += (nl ? (size_t)(nl - s) + 1 : strlen(s));
    }
    return n;
}

static void draw_title(render_t *rd, app_t *a, const view_layout_t *L)
{
    fill(rd->r, L->title.x, L->title.y, L->title.w, L->title.h, C_PANEL);
    char s[300];
    int n = snprintf(s, sizeof s, "pagesim-sdl  %s  step %zu/%zu", a->name, scn_history_done(a->h),
                     scn_history_count(a->h));
    mm_process_t *p = app_process(a);
    if (p) {
        mm_stats_t st;
        mm_stats(p, &st);
        snprintf(s + n, sizeof s - (size_t)n, "  process %s (%d of %u, Tab)  working set %u pages  commit %llu KB",
                 mm_process_name(p), a->proc + 1, mm_process_count(app_mm(a)), st.working_set,
                 (unsigned long long)(st.commit_charge >> 10));
    } else {
        snprintf(s + n, sizeof s - (size_t)n, "  %s", scn_runner_mmu(scn_history_runner(a->h)) ? "bare machine"
                                                                                              : "not started");
    }
    text(rd, 8 * L->scale, (L->title.h - rd->line) / 2, L->title.w, C_TEXT, s);
}

/* Grid lines and, when cells are large, each entry with its value and flags. */
static void draw_cells(render_t *rd, app_t *a, const view_layout_t *L)
{
    int cell = L->map.w / a->vp.n;
    if (cell < 6) return;
    colour(rd->r, 0x60000000);
    SDL_SetRenderDrawBlendMode(rd->r, SDL_BLENDMODE_BLEND);
    for (int i = 0; i <= a->vp.n; i++) {
        int x = L->map.x + (int)((long)i * L->map.w / a->vp.n), y = L->map.y + (int)((long)i * L->map.h / a->vp.n);
        SDL_RenderDrawLine(rd->r, x, L->map.y, x, L->map.y + L->map.h);
        SDL_RenderDrawLine(rd->r, L->map.x, y, L->map.x + L->map.w, y);
    }
    SDL_SetRenderDrawBlendMode(rd->r, SDL_BLENDMODE_NONE);
    if (cell < 5 * rd->line || cell < 96) return;
    for (int cy = a->vp.y; cy < a->vp.y + a->vp.n; cy++) {
        mm_page_info_t row;
        app_page(a, view_cell_va(a->vp.x, cy), &row);
        bool table = (row.pde & X86_P) && !(row.pde & X86_PS);
        for (int cx = a->vp.x; cx < a->vp.x + a->vp.n; cx++) {
            view_rect_t q;
            if (!view_cell_rect(&L->map, &a->vp, cx, cy, &q)) continue;
            mm_page_info_t pi;
            app_page(a, view_cell_va(cx, cy), &pi);
            uint32_t ink = pi.state == MM_PAGE_PAGE_TABLE || pi.state == MM_PAGE_RESERVED ? 0xFF000000u : C_TEXT;
            int x = q.x + 4, y = q.y + 3, w = q.w - 8;
            textf(rd, x, y, w, ink, "0x%08X", view_cell_va(cx, cy));
            y += rd->line;
            if (!table) {
                if (cx == a->vp.x)
                    textf(rd, x, y, w, C_DIM, "PDE %03X:", cy);
                if (cx == a->vp.x) text(rd, x, y + rd->line, w, C_DIM, (row.pde & X86_PS) ? "a 4 MB page" : "no table");
                continue;
            }
            textf(rd, x, y, w, ink, "PTE %03X =", cx);
            y += rd->line;
            textf(rd, x, y, w, ink, "0x%08X", pi.pte);
            y += rd->line;
            if (pi.pte & X86_P)
                textf(rd, x, y, w, ink, "P%s%s%s%s", (pi.pte & X86_RW) ? " RW" : " R", (pi.pte & X86_US) ? " U" : " S",
                      (pi.pte & X86_A) ? " A" : "", (pi.pte & X86_D) ? " D" : "");
            else
                text(rd, x, y, w, ink, mm_page_state_str(pi.state));
        }
    }
}

static void strip_size(const view_rect_t *r, int *cols, int *rows)
{
    *cols = r->w / 2 > 0 ? r->w / 2 : 1;
    *rows = r->h / 2 > 0 ? r->h / 2 : 1;
}

static void frame_cell(const view_layout_t *L, uint32_t frame, uint32_t nframes, view_rect_t *out)
{
    int cols, rows;
    strip_size(&L->frames, &cols, &rows);
    int per = view_frames_per_cell(nframes, cols, rows);
    int i = (int)(frame / (uint32_t)per);
    *out = (view_rect_t){ L->frames.x + (i % cols) * 2, L->frames.y + (i / cols) * 2, 2, 2 };
}

static SDL_Texture *strip_texture(render_t *rd, SDL_Texture *old, int cols, int rows, const uint32_t *px)
{
    int w = 0, h = 0;
    if (old) SDL_QueryTexture(old, NULL, NULL, &w, &h);
    if (!old || w != cols || h != rows) {
        if (old) SDL_DestroyTexture(old);
        old = SDL_CreateTexture(rd->r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING, cols, rows);
    }
    if (old) SDL_UpdateTexture(old, NULL, px, cols * (int)sizeof(uint32_t));
    return old;
}

/* Rebuilds the strips: a cell of several frames shows its first frame in
 * use; page-file slots in their owner's colour. */
static void build_physical(render_t *rd, app_t *a, const view_layout_t *L)
{
    mm_t *mm = app_mm(a);
    int fc, fr, sc, sr;
    strip_size(&L->frames, &fc, &fr);
    strip_size(&L->slots, &sc, &sr);
    uint32_t *fp = calloc((size_t)fc * (size_t)fr, sizeof *fp), *sp = calloc((size_t)sc * (size_t)sr, sizeof *sp);
    if (!fp || !sp) {
        free(fp);
        free(sp);
        return;
    }
    for (int i = 0; i < fc * fr; i++) fp[i] = C_PANEL;
    for (int i = 0; i < sc * sr; i++) sp[i] = C_PANEL;
    uint32_t nframes = mm ? mm_frame_count(mm) : 0, nslots = mm ? mm_slot_count(mm) : 0;
    int per = view_frames_per_cell(nframes ? nframes : 1, fc, fr);
    for (uint32_t f0 = 0; f0 < nframes; f0 += (uint32_t)per) {
        mm_frame_info_t fi;
        memset(&fi, 0, sizeof fi);
        for (uint32_t f = f0; f < f0 + (uint32_t)per && f < nframes; f++) {
            mm_frame_info(mm, f, &fi);
            if (fi.kind != MM_FRAME_FREE) break;
        }
        if (fi.kind != MM_FRAME_FREE) fp[f0 / (uint32_t)per] = view_frame_colour(&fi);
    }
    mm_slot_info_t *si = nslots ? malloc(nslots * sizeof *si) : NULL;
    if (si) {
        mm_slot_infos(mm, 1, nslots, si);
        int sper = view_frames_per_cell(nslots, sc, sr);
        for (uint32_t i = 0; i < nslots; i++)
            if (si[i].used) sp[i / (uint32_t)sper] = view_process_colour(si[i].owner);
        free(si);
    }
    rd->frames = strip_texture(rd, rd->frames, fc, fr, fp);
    rd->slots = strip_texture(rd, rd->slots, sc, sr, sp);
    rd->fcols = fc;
    rd->frows = fr;
    rd->scols = sc;
    rd->srows = sr;
    free(fp);
    free(sp);
}

static void draw_physical(render_t *rd, app_t *a, const view_layout_t *L)
{
    int fc, fr, sc, sr;
    strip_size(&L->frames, &fc, &fr);
    strip_size(&L->slots, &sc, &sr);
    if (!rd->frames || fc != rd->fcols || fr != rd->frows || sc != rd->scols || sr != rd->srows)
        build_physical(rd, a, L);
    fill(rd->r, L->frames.x, L->frames.y, L->frames.w, L->frames.h, C_PANEL);
    fill(rd->r, L->slots.x, L->slots.y, L->slots.w, L->slots.h, C_PANEL);
    text(rd, L->frames.x, L->frames.y - rd->line, L->frames.w, C_DIM, "RAM");
    text(rd, L->slots.x, L->slots.y - rd->line, L->slots.w, C_DIM, "pagefile");
    SDL_Rect fd = { L->frames.x, L->frames.y, fc * 2, fr * 2 }, sd = { L->slots.x, L->slots.y, sc * 2, sr * 2 };
    if (rd->frames) SDL_RenderCopy(rd->r, rd->frames, NULL, &fd);
    if (rd->slots) SDL_RenderCopy(rd->r, rd->slots, NULL, &sd);
}

static void draw_legend(render_t *rd, const view_layout_t *L)
{
    static const mm_page_state_t order[] = { MM_PAGE_FREE, MM_PAGE_RESERVED, MM_PAGE_COMMITTED, MM_PAGE_RESIDENT,
                                             MM_PAGE_DIRTY, MM_PAGE_GUARD, MM_PAGE_MAPPED, MM_PAGE_COPY_ON_WRITE,
                                             MM_PAGE_IMAGE, MM_PAGE_PAGE_TABLE, MM_PAGE_SYSTEM };
    int x = L->legend.x, y = L->legend.y, box = rd->line - 4;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const char *name = view_state_name(order[i]);
        int w = box + 6 + (int)strlen(name) * rd->line / 2 + 12;
        if (x + w > L->legend.x + L->legend.w) {
            x = L->legend.x;
            y += rd->line;
        }
        fill(rd->r, x, y + 2, box, box, view_state_colour(order[i]));
        outline(rd->r, x, y + 2, box, box, C_DIM, 1);
        x += box + 6;
        x += text(rd, x, y, 0, C_TEXT, name) + 12;
    }
}

/* The selected address's walk, stage by stage: CR3, the directory row, the
 * table cell, an arrow to its frame. */
static void draw_walk(render_t *rd, app_t *a, const view_layout_t *L, view_rect_t *text_box)
{
    uint32_t va = a->sel_va;
    int stage = app_walk_stage(a);
    mm_page_info_t pi;
    app_page(a, va, &pi);
    mm_process_t *p = app_process(a);
    mmu_t *mmu = scn_runner_mmu(scn_history_runner(a->h));
    uint32_t cr3 = p ? mm_process_cr3(p) : mmu ? mmu_cr3(mmu) : 0;
    int y = text_box->y;
    textf(rd, text_box->x + 4, y, text_box->w - 8, C_HILITE, "walk of 0x%08X: directory 0x%03X, table 0x%03X, offset 0x%03X",
          va, X86_PDE_INDEX(va), X86_PTE_INDEX(va), X86_PAGE_OFFSET(va));
    y += rd->line;
    textf(rd, text_box->x + 4, y, text_box->w - 8, C_TEXT, "CR3 0x%08X: the page directory", cr3 & X86_CR3_BASE);
    y += rd->line;
    int cy = view_va_y(va), cx = view_va_x(va);
    /* The directory row across the view. */
    if (stage >= 1 && cy >= a->vp.y && cy < a->vp.y + a->vp.n) {
        view_rect_t q;
        view_cell_rect(&L->map, &a->vp, a->vp.x, cy, &q);
        if (q.h >= 4) outline(rd->r, L->map.x, q.y, L->map.w, q.h, C_HILITE, 2);
        else { /* rows of a pixel or two: marks in the margins beside the row */
            fill(rd->r, L->map.x - 6, q.y - 1, 5, q.h + 2, C_HILITE);
            fill(rd->r, L->map.x + L->map.w + 1, q.y - 1, 5, q.h + 2, C_HILITE);
        }
    }
    if (stage >= 1) {
        textf(rd, text_box->x + 4, y, text_box->w - 8, C_TEXT, "PDE 0x%03X at 0x%08X = 0x%08X %s", cy,
              (cr3 & X86_CR3_BASE) + (uint32_t)cy * 4, pi.pde,
              !(pi.pde & X86_P) ? "not present" : (pi.pde & X86_PS) ? "4 MB page" : "-> page table");
        y += rd->line;
    }
    view_rect_t cell;
    bool in_view = view_cell_rect(&L->map, &a->vp, cx, cy, &cell);
    if (stage >= 2 && in_view) outline(rd->r, cell.x - 2, cell.y - 2, cell.w + 4, cell.h + 4, C_HILITE, 3);
    if (stage >= 2 && (pi.pde & X86_P) && !(pi.pde & X86_PS)) {
        textf(rd, text_box->x + 4, y, text_box->w - 8, C_TEXT, "PTE 0x%03X at 0x%08X = 0x%08X %s", cx,
              (pi.pde & X86_FRAME_MASK) + (uint32_t)cx * 4, pi.pte, (pi.pte & X86_P) ? "present" : "not present");
        y += rd->line;
    }
    if (stage >= 3) {
        mm_t *mm = app_mm(a);
        if (pi.present) {
            textf(rd, text_box->x + 4, y, text_box->w - 8, C_TEXT, "frame 0x%05X: physical 0x%08X", pi.frame,
                  pi.frame << 12 | X86_PAGE_OFFSET(va));
            uint32_t nframes = mm ? mm_frame_count(mm) : 0;
            if (nframes && pi.frame < nframes && in_view) {
                view_rect_t fq;
                frame_cell(L, pi.frame, nframes, &fq);
                outline(rd->r, fq.x - 2, fq.y - 2, fq.w + 4, fq.h + 4, C_ARROW, 2);
                colour(rd->r, C_ARROW);
                SDL_RenderDrawLine(rd->r, cell.x + cell.w / 2, cell.y + cell.h / 2, fq.x, fq.y + 1);
            }
        } else {
            textf(rd, text_box->x + 4, y, text_box->w - 8, C_TEXT, "no frame: %s%s", mm_page_state_str(pi.state),
                  pi.slot ? " (in the page file)" : "");
        }
        y += rd->line;
    }
    text_box->h -= y - text_box->y;
    text_box->y = y;
}

static void draw_info(render_t *rd, app_t *a, const view_layout_t *L)
{
    fill(rd->r, L->info.x, L->info.y, L->info.w, L->info.h, C_PANEL);
    view_rect_t box = { L->info.x, L->info.y + 4, L->info.w, L->info.h - 4 };
    if (a->selected) draw_walk(rd, a, L, &box);
    if (!a->hover) {
        if (!a->selected)
            lines(rd, &box, "Hover over the map for a page, click it for its walk.\n"
                            "Wheel or +/-: zoom; arrows or drag: pan; 0: the whole 4 GB.\n"
                            "n/Space/Right: step; b/Left: back; e: end; r: restart;\n"
                            "p: play/pause; Tab: next process; s: save a PNG; q: quit.", box.y);
        return;
    }
    uint32_t va = a->hover_va;
    mm_page_info_t pi;
    app_page(a, va, &pi);
    strbuf_t b;
    strbuf_init(&b, NULL);
    strbuf_printf(&b, "\n0x%08X  PDE 0x%03X  PTE 0x%03X  %s\n", va, X86_PDE_INDEX(va), X86_PTE_INDEX(va),
                  mm_page_state_str(pi.state));
    strbuf_printf(&b, "PDE 0x%08X  PTE 0x%08X%s\n", pi.pde, pi.pte, pi.present ? "" : "  (not present)");
    mm_process_t *p = app_process(a);
    mm_mbi_t mbi;
    if (p && mm_virtual_query(p, va, &mbi, NULL) == 0) {
        strbuf_printf(&b, "region 0x%08X + 0x%X  ", mbi.BaseAddress, mbi.RegionSize);
        wc_format_mem(&b, mbi.State);
        if (mbi.State == 0x1000) {
            strbuf_puts(&b, " ");
            wc_format_protect(&b, mbi.Protect);
        }
        if (mbi.Type) {
            strbuf_puts(&b, " ");
            wc_format_mem(&b, mbi.Type);
        }
        strbuf_puts(&b, "\n");
    }
    lines(rd, &box, strbuf_str(&b), box.y);
    strbuf_fini(&b);
}

/* The prose of the statements run, the newest at the bottom. */
static void draw_log(render_t *rd, app_t *a, const view_layout_t *L)
{
    fill(rd->r, L->log.x, L->log.y, L->log.w, L->log.h, C_PANEL);
    int room = L->log.h / rd->line;
    strbuf_t b;
    strbuf_init(&b, NULL);
    if (a->error[0]) strbuf_printf(&b, "%s\n", a->error);
    for (size_t k = scn_history_done(a->h); k-- > 0;) {
        strbuf_t one;
        strbuf_init(&one, NULL);
        strbuf_puts(&one, scn_history_text(a->h, k));
        strbuf_puts(&one, strbuf_str(&b));
        strbuf_fini(&b);
        b = one;
        int count = 0;
        for (const char *c = strbuf_str(&b); *c; c++) count += *c == '\n';
        if (count >= room) break;
    }
    const char *s = strbuf_str(&b);
    int count = 0;
    for (const char *c = s; *c; c++) count += *c == '\n';
    while (count > room && *s) {
        s = strchr(s, '\n');
        if (!s) break;
        s++;
        count--;
    }
    lines(rd, &L->log, s, L->log.y + 2);
    strbuf_fini(&b);
}

static void draw_timeline(render_t *rd, app_t *a, const view_layout_t *L)
{
    const view_rect_t *t = &L->timeline;
    fill(rd->r, t->x, t->y, t->w, t->h, C_PANEL);
    size_t done = scn_history_done(a->h), count = scn_history_count(a->h);
    const scn_script_t *sc = scn_history_script(a->h);
    char next[200] = "(end)";
    if (done < count) {
        size_t n;
        const char *src = scn_script_source(sc, done, &n);
        snprintf(next, sizeof next, "next: line %u  %.*s", scn_script_line(sc, done), (int)(n > 150 ? 150 : n), src);
    }
    textf(rd, t->x + 8, t->y + 4, t->w - 16, C_TEXT, "%s  |<  <  %s  >  >|   %s", a->playing ? "pause" : "play",
          "step", next);
    int bx = t->x + 8, bw = t->w - 16, by = t->y + 4 + rd->line + 2, bh = t->h - rd->line - 10;
    fill(rd->r, bx, by, bw, bh, C_BG);
    if (count) fill(rd->r, bx, by, (int)((long)bw * (long)done / (long)count), bh, 0xFF3F6E9E);
    for (size_t k = 0; k <= count; k++) {
        int x = bx + (int)((long)bw * (long)k / (long)(count ? count : 1));
        fill(rd->r, x, by, 1, bh, C_DIM);
    }
}

void render_frame(render_t *rd, app_t *a, const view_layout_t *L)
{
    if (a->stale) {
        app_refresh(a);
        render_upload(rd, a);
        build_physical(rd, a, L);
    }
    colour(rd->r, C_BG);
    SDL_RenderClear(rd->r);
    draw_title(rd, a, L);
    SDL_Rect src = { a->vp.x, a->vp.y, a->vp.n, a->vp.n };
    SDL_Rect dst = { L->map.x, L->map.y, L->map.w, L->map.h };
    SDL_RenderCopy(rd->r, rd->map, &src, &dst);
    draw_cells(rd, a, L);
    draw_legend(rd, L);
    draw_physical(rd, a, L);
    draw_info(rd, a, L);
    draw_log(rd, a, L);
    draw_timeline(rd, a, L);
}
