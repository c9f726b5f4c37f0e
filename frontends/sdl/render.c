/* Drawing pagesim-sdl's frame: the grid, its entries when zoomed in, the
 * scenario's allocations marked when the grid is too small to see them,
 * the physical strips and the selected address's walk over them. */
#include "render.h"
#include "font.h"
#include "panels.h"
#include "pagesim/x86.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef PAGESIM_FONT_PATH
#define PAGESIM_FONT_PATH ""
#endif
#ifndef PAGESIM_FONT_SHARE
#define PAGESIM_FONT_SHARE "../share/pagesim/fonts/DejaVuSansMono.ttf"
#endif

TTF_Font *render_open_font(int px)
{
    char *base = SDL_GetBasePath();
    font_where_t w = { getenv("PAGESIM_FONT"), PAGESIM_FONT_PATH, base, PAGESIM_FONT_SHARE, NULL, NULL };
    char path[4096];
    const char *from;
    bool found = font_find(&w, path, sizeof path, &from);
    SDL_free(base);
    if (!found) {
        SDL_SetError("no font: none found at build time, beside the program (%s) or among the system fonts; "
                     "set PAGESIM_FONT to a .ttf file (DejaVuSansMono.ttf, say)", PAGESIM_FONT_SHARE);
        return NULL;
    }
    TTF_Font *f = TTF_OpenFont(path, px);
    if (!f)
        SDL_SetError("cannot open %s '%s' (%s); set PAGESIM_FONT to a .ttf file", from, path, TTF_GetError());
    return f;
}

bool render_init(render_t *rd, SDL_Renderer *r, TTF_Font *font)
{
    memset(rd, 0, sizeof *rd);
    paint_init(&rd->p, r, font);
    rd->map = SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING, VIEW_MAP_CELLS,
                                VIEW_MAP_CELLS);
    return rd->map != NULL;
}

void render_fini(render_t *rd)
{
    paint_fini(&rd->p);
    if (rd->map) SDL_DestroyTexture(rd->map);
    if (rd->frames) SDL_DestroyTexture(rd->frames);
    if (rd->slots) SDL_DestroyTexture(rd->slots);
    rd->map = rd->frames = rd->slots = NULL;
}

void render_upload(render_t *rd, app_t *a)
{
    app_refresh(a);
    SDL_UpdateTexture(rd->map, NULL, a->pixels, VIEW_MAP_CELLS * (int)sizeof(uint32_t));
}

static void colour(SDL_Renderer *r, uint32_t c)
{
    SDL_SetRenderDrawColor(r, (Uint8)(c >> 16), (Uint8)(c >> 8), (Uint8)c, (Uint8)(c >> 24));
}

/* One entry, zoomed in: its address, index, raw value and flags. */
static void draw_entry(render_t *rd, app_t *a, int cx, int cy, bool table, const view_rect_t *q)
{
    mm_page_info_t pi;
    uint32_t va = view_cell_va(cx, cy);
    app_page(a, va, &pi);
    paint_t *p = &rd->p;
    uint32_t ink = view_ink_on(view_state_colour(pi.state));
    int x = q->x + 4, y = q->y + 3, w = q->w - 8;
    paint_textf(p, x, y, w, ink, "0x%08X", va);
    y += p->line;
    if (!table) {
        if (cx == a->vp.x) {
            paint_textf(p, x, y, w, ink, "PDE %03X =", cy);
            paint_textf(p, x, y + p->line, w, ink, "0x%08X", pi.pde);
            paint_text(p, x, y + 2 * p->line, w, ink, (pi.pde & X86_PS) ? "a 4 MB page" : "no table");
        }
        return;
    }
    paint_textf(p, x, y, w, ink, "PTE %03X =", cx);
    y += p->line;
    paint_textf(p, x, y, w, ink, "0x%08X", pi.pte);
    y += p->line;
    if (pi.pte & X86_P) {
        paint_textf(p, x, y, w, ink, "P %s %s%s%s%s", (pi.pte & X86_RW) ? "RW" : "R", (pi.pte & X86_US) ? "U" : "S",
                    (pi.pte & X86_A) ? " A" : "", (pi.pte & X86_D) ? " D" : "", (pi.pte & X86_G) ? " G" : "");
        y += p->line;
    }
    if (y + p->line <= q->y + q->h) paint_text(p, x, y, w, ink, mm_page_state_str(pi.state));
}

/* Grid lines and, when cells are large, each entry with its value and flags. */
static void draw_cells(render_t *rd, app_t *a, const view_layout_t *L)
{
    int cell = L->map.w / a->vp.n;
    if (cell < 6) return;
    colour(rd->p.r, 0x60000000);
    SDL_SetRenderDrawBlendMode(rd->p.r, SDL_BLENDMODE_BLEND);
    for (int i = 0; i <= a->vp.n; i++) {
        int x = L->map.x + (int)((long)i * L->map.w / a->vp.n), y = L->map.y + (int)((long)i * L->map.h / a->vp.n);
        SDL_RenderDrawLine(rd->p.r, x, L->map.y, x, L->map.y + L->map.h);
        SDL_RenderDrawLine(rd->p.r, L->map.x, y, L->map.x + L->map.w, y);
    }
    SDL_SetRenderDrawBlendMode(rd->p.r, SDL_BLENDMODE_NONE);
    if (cell < 5 * rd->p.line || cell < 96) return;
    for (int cy = a->vp.y; cy < a->vp.y + a->vp.n; cy++) {
        mm_page_info_t row;
        app_page(a, view_cell_va(a->vp.x, cy), &row);
        bool table = (row.pde & X86_P) && !(row.pde & X86_PS);
        for (int cx = a->vp.x; cx < a->vp.x + a->vp.n; cx++) {
            view_rect_t q;
            if (view_cell_rect(&L->map, &a->vp, cx, cy, &q)) draw_entry(rd, a, cx, cy, table, &q);
        }
    }
}

/* The scenario's allocations, outlined when the grid is too small for
 * them to be seen. */
static void draw_marks(render_t *rd, const app_t *a, const view_layout_t *L)
{
    if (L->map.w / a->vp.n >= 4) return;
    for (size_t i = 0; i + 1 < a->nmarks; i += 2) {
        view_rect_t q;
        if (view_mark_rect(&L->map, &a->vp, a->marks[i], a->marks[i + 1], &q)) paint_outline(&rd->p, &q, VIEW_MARK, 1);
    }
}

static SDL_Texture *strip_texture(render_t *rd, SDL_Texture *old, int cols, int rows, const uint32_t *px)
{
    int w = 0, h = 0;
    if (old) SDL_QueryTexture(old, NULL, NULL, &w, &h);
    if (!old || w != cols || h != rows) {
        if (old) SDL_DestroyTexture(old);
        old = SDL_CreateTexture(rd->p.r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING, cols, rows);
    }
    if (old) SDL_UpdateTexture(old, NULL, px, cols * (int)sizeof(uint32_t));
    return old;
}

/* A cell of several frames shows its first frame in use. */
static void frame_pixels(mm_t *mm, uint32_t *px, int cells)
{
    uint32_t nframes = mm ? mm_frame_count(mm) : 0;
    int per = view_frames_per_cell(nframes ? nframes : 1, cells, 1);
    for (uint32_t f0 = 0; f0 < nframes; f0 += (uint32_t)per) {
        mm_frame_info_t fi = { .kind = MM_FRAME_FREE, .owner = -1 };
        for (uint32_t f = f0; f < f0 + (uint32_t)per && f < nframes; f++) {
            mm_frame_info(mm, f, &fi);
            if (fi.kind != MM_FRAME_FREE) break;
        }
        if (fi.kind != MM_FRAME_FREE) px[f0 / (uint32_t)per] = view_frame_colour(&fi);
    }
}

/* Page-file slots in their owner's colour. */
static void slot_pixels(mm_t *mm, uint32_t *px, int cells)
{
    uint32_t nslots = mm ? mm_slot_count(mm) : 0;
    mm_slot_info_t *si = nslots ? malloc(nslots * sizeof *si) : NULL;
    if (!si) return;
    mm_slot_infos(mm, 1, nslots, si);
    int per = view_frames_per_cell(nslots, cells, 1);
    for (uint32_t i = 0; i < nslots; i++)
        if (si[i].used) px[i / (uint32_t)per] = view_process_colour(si[i].owner);
    free(si);
}

static void build_physical(render_t *rd, app_t *a, const view_layout_t *L)
{
    int fc, fr, sc, sr;
    view_strip_size(&L->frames, &fc, &fr);
    view_strip_size(&L->slots, &sc, &sr);
    uint32_t *fp = malloc((size_t)fc * (size_t)fr * sizeof *fp), *sp = malloc((size_t)sc * (size_t)sr * sizeof *sp);
    if (fp && sp) {
        for (int i = 0; i < fc * fr; i++) fp[i] = VIEW_PANEL;
        for (int i = 0; i < sc * sr; i++) sp[i] = VIEW_PANEL;
        frame_pixels(app_mm(a), fp, fc * fr);
        slot_pixels(app_mm(a), sp, sc * sr);
        rd->frames = strip_texture(rd, rd->frames, fc, fr, fp);
        rd->slots = strip_texture(rd, rd->slots, sc, sr, sp);
        rd->fcols = fc;
        rd->frows = fr;
        rd->scols = sc;
        rd->srows = sr;
    }
    free(fp);
    free(sp);
}

static void draw_physical(render_t *rd, app_t *a, const view_layout_t *L)
{
    int fc, fr, sc, sr;
    view_strip_size(&L->frames, &fc, &fr);
    view_strip_size(&L->slots, &sc, &sr);
    if (!rd->frames || fc != rd->fcols || fr != rd->frows || sc != rd->scols || sr != rd->srows)
        build_physical(rd, a, L);
    paint_fill(&rd->p, &L->frames, VIEW_PANEL);
    paint_fill(&rd->p, &L->slots, VIEW_PANEL);
    paint_text(&rd->p, L->frames.x, L->frames.y - rd->p.line, L->frames.w, VIEW_DIM, "RAM");
    paint_text(&rd->p, L->slots.x, L->slots.y - rd->p.line, L->slots.w, VIEW_DIM, "pagefile");
    SDL_Rect fd = { L->frames.x, L->frames.y, fc * VIEW_STRIP_CELL, fr * VIEW_STRIP_CELL };
    SDL_Rect sd = { L->slots.x, L->slots.y, sc * VIEW_STRIP_CELL, sr * VIEW_STRIP_CELL };
    if (rd->frames) SDL_RenderCopy(rd->p.r, rd->frames, NULL, &fd);
    if (rd->slots) SDL_RenderCopy(rd->p.r, rd->slots, NULL, &sd);
}

/* The selected address's walk over the grid, stage by stage: CR3 names the
 * directory (the whole grid), the PDE its row, the PTE its cell, and an
 * arrow goes from the row to the frame in the RAM strip. */
static void draw_walk(render_t *rd, app_t *a, const view_layout_t *L)
{
    const mmu_walk_t *w = app_walk(a, NULL);
    if (!w) return;
    int stage = app_walk_stage(a), cx = view_va_x(w->va), cy = view_va_y(w->va);
    if (stage == 0) paint_outline(&rd->p, &L->map, VIEW_HILITE, 2);
    if (stage >= 1 && cy >= a->vp.y && cy < a->vp.y + a->vp.n) {
        view_rect_t q;
        view_cell_rect(&L->map, &a->vp, a->vp.x, cy, &q);
        view_rect_t row = { L->map.x, q.y, L->map.w, q.h };
        if (q.h >= 4) paint_outline(&rd->p, &row, VIEW_HILITE, 2);
        else { /* a row of a pixel or two: marks beside it, in the margins */
            paint_fill(&rd->p, &(view_rect_t){ L->map.x - 7, q.y - 1, 5, q.h + 2 }, VIEW_HILITE);
            paint_fill(&rd->p, &(view_rect_t){ L->map.x + L->map.w + 2, q.y - 1, 5, q.h + 2 }, VIEW_HILITE);
        }
    }
    view_rect_t cell;
    bool in_view = view_cell_rect(&L->map, &a->vp, cx, cy, &cell);
    if (stage >= 2 && in_view) paint_outline(&rd->p, &(view_rect_t){ cell.x - 1, cell.y - 1, cell.w + 2, cell.h + 2 },
                                              VIEW_HILITE, 2);
    long frame = app_walk_frame(w);
    mm_t *mm = app_mm(a);
    uint32_t nframes = mm ? mm_frame_count(mm) : 0;
    if (stage >= 3 && frame >= 0 && (uint32_t)frame < nframes && in_view) {
        view_rect_t fq = view_strip_cell(&L->frames, (uint32_t)frame, nframes);
        paint_outline(&rd->p, &fq, VIEW_HILITE, 2);
        /* From the end of the outlined row, so that no entry is crossed. */
        paint_arrow(&rd->p, L->map.x + L->map.w + 3, cell.y + cell.h / 2, fq.x - 3, fq.y + 1, VIEW_HILITE);
    }
}

void render_frame(render_t *rd, app_t *a, const view_layout_t *L)
{
    if (a->stale) {
        render_upload(rd, a);
        build_physical(rd, a, L);
    }
    colour(rd->p.r, VIEW_BG);
    SDL_RenderClear(rd->p.r);
    SDL_Rect src = { a->vp.x, a->vp.y, a->vp.n, a->vp.n };
    SDL_Rect dst = { L->map.x, L->map.y, L->map.w, L->map.h };
    SDL_RenderCopy(rd->p.r, rd->map, &src, &dst);
    draw_cells(rd, a, L);
    draw_marks(rd, a, L);
    draw_physical(rd, a, L);
    panels_draw(rd, a, L);
    draw_walk(rd, a, L);
}
