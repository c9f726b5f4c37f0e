/* pagesim-sdl: the page tables as a picture. A window, or with
 * --screenshot one frame rendered offscreen (no display needed). */
#include "app.h"
#include "fe_file.h"
#include "render.h"
#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "default_scenario.h" /* DEFAULT_SCENARIO: scenarios/seeds/seed003-demo.scn */

typedef struct options {
    const char *file, *screenshot, *save_to;
    long step;              /* -1: all                                       */
    bool select;
    uint32_t select_va;
    view_port_t port;
    int w, h, process;
    bool bench;
    int runs;
} options_t;

static int usage(FILE *out, int rc)
{
    fprintf(out, "usage: pagesim-sdl [FILE] [--size WxH] [--step N] [--select VA] [--zoom X,Y,N] [--process I]\n"
                 "                   [--screenshot OUT.png] [--save-to OUT.png] [--bench [--runs N]]\n"
                 "Shows the 4 GB as a 1024x1024 grid: a row per page-directory entry, a cell per page.\n"
                 "Without FILE, seed 003's demo. --screenshot renders one frame offscreen and exits.\n");
    return rc;
}

/* "FILE:LINE:COL: error: ..." for a bad argument: the command line is line 1. */
static int bad(const char *what, const char *arg)
{
    fprintf(stderr, "pagesim-sdl:1:1: error: %s: '%s'\n", what, arg ? arg : "");
    return 2;
}

static bool number(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 0);
    if (end == s || *end || v < lo || v > hi) return false;
    *out = v;
    return true;
}

static int parse(int argc, char **argv, options_t *o)
{
    memset(o, 0, sizeof *o);
    o->step = -1;
    o->w = 1760;
    o->h = 1200;
    o->runs = 15;
    view_port_all(&o->port);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        long n, x, y;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) return usage(stdout, 0) - 1;
        if (!strcmp(a, "--bench")) o->bench = true;
        else if (a[0] != '-') {
            if (o->file) return bad("more than one scenario", a);
            o->file = a;
        } else if (!v) return bad("missing value for", a);
        else if (!strcmp(a, "--screenshot")) o->screenshot = argv[++i];
        else if (!strcmp(a, "--save-to")) o->save_to = argv[++i];
        else if (!strcmp(a, "--step")) {
            if (!number(v, 0, 1L << 30, &o->step)) return bad("not a step number", v);
            i++;
        } else if (!strcmp(a, "--runs")) {
            if (!number(v, 1, 10000, &n)) return bad("not a number of runs", v);
            o->runs = (int)n;
            i++;
        } else if (!strcmp(a, "--process")) {
            if (!number(v, 0, 1000, &n)) return bad("not a process index", v);
            o->process = (int)n;
            i++;
        } else if (!strcmp(a, "--select")) {
            if (!number(v, 0, 0xFFFFFFFFL, &n)) return bad("not an address", v);
            o->select = true;
            o->select_va = (uint32_t)n;
            i++;
        } else if (!strcmp(a, "--size")) {
            if (sscanf(v, "%ldx%ld", &x, &y) != 2 || x < 320 || y < 240 || x > 8192 || y > 8192)
                return bad("not a size WxH (320x240 to 8192x8192)", v);
            o->w = (int)x;
            o->h = (int)y;
            i++;
        } else if (!strcmp(a, "--zoom")) {
            if (sscanf(v, "%ld,%ld,%ld", &x, &y, &n) != 3 || n < 4 || n > 1024 || (n & (n - 1)) || x < 0 || y < 0 ||
                x + n > 1024 || y + n > 1024)
                return bad("not a view X,Y,N (N a power of 2 from 4 to 1024, inside the grid)", v);
            o->port = (view_port_t){ (int)x, (int)y, (int)n };
            i++;
        } else return bad("unknown option", a);
    }
    return 0;
}

static int save_png(SDL_Renderer *r, int w, int h, const char *path)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s) return -1;
    int rc = SDL_RenderReadPixels(r, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch);
    if (rc == 0) rc = IMG_SavePNG(s, path);
    SDL_FreeSurface(s);
    return rc;
}

static double now_ms(void)
{
    return (double)SDL_GetPerformanceCounter() * 1000.0 / (double)SDL_GetPerformanceFrequency();
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

static void report(const char *what, double *t, int n)
{
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    printf("%-34s median %8.3f ms  min %8.3f  max %8.3f  (%d runs)\n", what, t[n / 2], t[0], t[n - 1], n);
}

/* Offscreen: a software renderer drawing into a surface, no video driver. */
static int offscreen(app_t *a, const options_t *o)
{
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, o->w, o->h, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    TTF_Font *font = render_open_font(13);
    render_t rd;
    if (!r || !font || !render_init(&rd, r, font)) {
        fprintf(stderr, "pagesim-sdl: %s\n", SDL_GetError());
        if (font) TTF_CloseFont(font);
        if (r) SDL_DestroyRenderer(r);
        SDL_FreeSurface(surf);
        return 1;
    }
    view_layout_t L;
    view_layout(o->w, o->h, 1, &L);
    int rc = 0;
    if (o->bench) {
        double *t = malloc(sizeof(double) * (size_t)o->runs);
        for (int i = 0; t && i < o->runs; i++) {
            double t0 = now_ms();
            a->stale = true;
            app_refresh(a);
            render_upload(&rd, a);
            SDL_RenderFlush(r);
            t[i] = now_ms() - t0;
        }
        if (t) report("map states + pixels + upload", t, o->runs);
        for (int i = 0; t && i < o->runs; i++) {
            double t0 = now_ms();
            SDL_Rect src = { 0, 0, VIEW_MAP_CELLS, VIEW_MAP_CELLS }, dst = { L.map.x, L.map.y, L.map.w, L.map.h };
            SDL_RenderCopy(r, rd.map, &src, &dst);
            SDL_RenderFlush(r); /* the software renderer batches: draw now */
            t[i] = now_ms() - t0;
        }
        if (t) report("draw the 1024x1024 map", t, o->runs);
        for (int i = 0; t && i < o->runs; i++) {
            double t0 = now_ms();
            render_frame(&rd, a, &L);
            SDL_RenderFlush(r);
            t[i] = now_ms() - t0;
        }
        if (t) report("whole frame (map, panels, text)", t, o->runs);
        for (int i = 0; t && i < o->runs; i++) {
            double t0 = now_ms();
            a->stale = true; /* as after a step: page states, strips, frame */
            render_frame(&rd, a, &L);
            SDL_RenderFlush(r);
            t[i] = now_ms() - t0;
        }
        if (t) report("frame after a step (all rebuilt)", t, o->runs);
        printf("software renderer, %dx%d, map %dx%d px; reproduce: pagesim-sdl --bench --runs %d%s%s\n", o->w, o->h,
               L.map.w, L.map.h, o->runs, o->file ? " " : "", o->file ? o->file : "");
        free(t);
    } else {
        render_frame(&rd, a, &L);
        if (IMG_SavePNG(surf, o->screenshot) != 0) {
            fprintf(stderr, "pagesim-sdl: %s: %s\n", o->screenshot, SDL_GetError());
            rc = 1;
        }
    }
    render_fini(&rd);
    TTF_CloseFont(font);
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(surf);
    return rc;
}

typedef struct win {
    SDL_Window *w;
    SDL_Renderer *r;
    render_t rd;
    view_layout_t L;
    int scale;
    bool drag;
    int drag_x, drag_y;
} win_t;

static void relayout(win_t *v)
{
    int ww, wh, pw, ph;
    SDL_GetWindowSize(v->w, &ww, &wh);
    SDL_GetRendererOutputSize(v->r, &pw, &ph);
    v->scale = ww > 0 && pw >= 2 * ww ? 2 : 1;
    view_layout(pw, ph, v->scale, &v->L);
}

/* Prints what a click selected, for scripts and tests. */
static void select_cell(app_t *a, int cx, int cy)
{
    a->selected = true;
    a->sel_va = view_cell_va(cx, cy);
    a->anim_ms = 0;
    printf("selected 0x%08X (PDE 0x%03X, PTE 0x%03X)\n", a->sel_va, cy, cx);
    fflush(stdout);
}

static bool on_key(app_t *a, win_t *v, const options_t *o, SDL_Keycode k)
{
    switch (k) {
    case SDLK_q: case SDLK_ESCAPE: return false;
    case SDLK_n: case SDLK_SPACE: case SDLK_RIGHT: app_forward(a); break;
    case SDLK_b: case SDLK_LEFT: app_back(a); break;
    case SDLK_e: case SDLK_END: app_run_to(a, scn_history_count(a->h)); break;
    case SDLK_r: case SDLK_HOME: app_run_to(a, 0); break;
    case SDLK_p: a->playing = !a->playing; break;
    case SDLK_TAB: app_next_process(a); break;
    case SDLK_0: view_port_all(&a->vp); break;
    case SDLK_PLUS: case SDLK_EQUALS: case SDLK_KP_PLUS:
        view_port_zoom(&a->vp, 1, a->vp.x + a->vp.n / 2, a->vp.y + a->vp.n / 2);
        break;
    case SDLK_MINUS: case SDLK_KP_MINUS: view_port_zoom(&a->vp, -1, a->vp.x + a->vp.n / 2, a->vp.y + a->vp.n / 2); break;
    case SDLK_UP: view_port_pan(&a->vp, 0, -(a->vp.n / 4 > 0 ? a->vp.n / 4 : 1)); break;
    case SDLK_DOWN: view_port_pan(&a->vp, 0, a->vp.n / 4 > 0 ? a->vp.n / 4 : 1); break;
    case SDLK_s: {
        const char *path = o->save_to ? o->save_to : "pagesim-sdl.png";
        render_frame(&v->rd, a, &v->L);
        if (save_png(v->r, v->L.w, v->L.h, path) == 0) printf("saved %s\n", path);
        else fprintf(stderr, "pagesim-sdl: %s: %s\n", path, SDL_GetError());
        fflush(stdout);
        break;
    }
    default: break;
    }
    return true;
}

static void on_click(app_t *a, win_t *v, int x, int y)
{
    int cx, cy;
    const view_rect_t *t = &v->L.timeline;
    if (view_cell_at(&v->L.map, &a->vp, x, y, &cx, &cy)) {
        select_cell(a, cx, cy);
    } else if (y >= t->y && x >= t->x + 8 && x < t->x + t->w - 8) {
        size_t count = scn_history_count(a->h);
        size_t k = (size_t)(((long)(x - t->x - 8) * (long)count + (t->w - 16) / 2) / (t->w - 16));
        if (y > t->y + v->rd.line) app_run_to(a, k);
        else if (x < t->x + 8 + v->rd.line * 3) a->playing = !a->playing;
    }
}

static int window(app_t *a, const options_t *o)
{
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "pagesim-sdl: no display: %s (--screenshot needs none)\n", SDL_GetError());
        return 1;
    }
    win_t v;
    memset(&v, 0, sizeof v);
    v.w = SDL_CreateWindow("pagesim-sdl", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, o->w, o->h,
                           SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    v.r = v.w ? SDL_CreateRenderer(v.w, -1, SDL_RENDERER_PRESENTVSYNC) : NULL;
    if (v.w && !v.r) v.r = SDL_CreateRenderer(v.w, -1, SDL_RENDERER_SOFTWARE);
    relayout(&v);
    TTF_Font *font = v.r ? render_open_font(13 * v.scale) : NULL;
    if (!font || !render_init(&v.rd, v.r, font)) {
        fprintf(stderr, "pagesim-sdl: %s\n", SDL_GetError());
        SDL_Quit();
        return 1;
    }
    printf("map at %d,%d size %d; scale %d\n", v.L.map.x, v.L.map.y, v.L.map.w, v.scale);
    fflush(stdout);
    Uint32 last = SDL_GetTicks(), played = last;
    for (bool run = true; run;) {
        SDL_Event ev;
        bool busy = a->playing || (a->selected && app_walk_stage(a) < APP_STAGES - 1);
        if (busy ? SDL_WaitEventTimeout(&ev, 16) : SDL_WaitEvent(&ev)) {
            do {
                int sx = v.scale;
                switch (ev.type) {
                case SDL_QUIT: run = false; break;
                case SDL_KEYDOWN: run = on_key(a, &v, o, ev.key.keysym.sym) && run; break;
                case SDL_WINDOWEVENT: relayout(&v); break;
                case SDL_MOUSEMOTION: {
                    int cx, cy;
                    a->hover = view_cell_at(&v.L.map, &a->vp, ev.motion.x * sx, ev.motion.y * sx, &cx, &cy);
                    if (a->hover) a->hover_va = view_cell_va(cx, cy);
                    if (v.drag && (ev.motion.state & SDL_BUTTON_RMASK)) {
                        int dx = (v.drag_x - ev.motion.x * sx) * a->vp.n / v.L.map.w;
                        int dy = (v.drag_y - ev.motion.y * sx) * a->vp.n / v.L.map.h;
                        if (dx || dy) {
                            view_port_pan(&a->vp, dx, dy);
                            v.drag_x = ev.motion.x * sx;
                            v.drag_y = ev.motion.y * sx;
                        }
                    }
                    break;
                }
                case SDL_MOUSEBUTTONDOWN:
                    if (ev.button.button == SDL_BUTTON_LEFT) on_click(a, &v, ev.button.x * sx, ev.button.y * sx);
                    if (ev.button.button == SDL_BUTTON_RIGHT) {
                        v.drag = true;
                        v.drag_x = ev.button.x * sx;
                        v.drag_y = ev.button.y * sx;
                    }
                    break;
                case SDL_MOUSEBUTTONUP: v.drag = false; break;
                case SDL_MOUSEWHEEL: {
                    int mx, my, cx, cy;
                    SDL_GetMouseState(&mx, &my);
                    if (view_cell_at(&v.L.map, &a->vp, mx * sx, my * sx, &cx, &cy))
                        view_port_zoom(&a->vp, ev.wheel.y > 0 ? 1 : -1, cx, cy);
                    break;
                }
                default: break;
                }
            } while (run && SDL_PollEvent(&ev));
        }
        Uint32 t = SDL_GetTicks();
        a->anim_ms += t - last;
        last = t;
        if (a->playing && t - played >= 700) {
            played = t;
            if (!app_forward(a)) a->playing = false;
        }
        render_frame(&v.rd, a, &v.L);
        SDL_RenderPresent(v.r);
    }
    render_fini(&v.rd);
    TTF_CloseFont(font);
    SDL_DestroyRenderer(v.r);
    SDL_DestroyWindow(v.w);
    SDL_Quit();
    return 0;
}

int main(int argc, char **argv)
{
    options_t o;
    int rc = parse(argc, argv, &o);
    if (rc) return rc < 0 ? 0 : rc;
    size_t len = sizeof DEFAULT_SCENARIO - 1;
    char *text = NULL;
    const char *why = "";
    if (o.file && !(text = fe_read_file(o.file, &len, &why))) {
        fprintf(stderr, "%s:1:1: error: cannot read the scenario: %s\n", o.file, why);
        return 2;
    }
    const char *name = o.file ? o.file : "seed 003's demo (default)";
    app_t a;
    bool ok = app_open(&a, text ? text : DEFAULT_SCENARIO, len, name);
    free(text);
    if (!ok) {
        fprintf(stderr, "%s:%s\n", o.file ? o.file : "<default>", a.error);
        app_close(&a);
        return 2;
    }
    app_run_to(&a, o.step < 0 ? scn_history_count(a.h) : (size_t)o.step);
    if (a.error[0]) {
        fprintf(stderr, "%s:%s\n", o.file ? o.file : "<default>", a.error);
        if (o.screenshot || o.bench) { /* no picture of a scenario that cannot run */
            app_close(&a);
            return 2;
        }
    }
    mm_t *mm = app_mm(&a);
    a.proc = mm && o.process < (int)mm_process_count(mm) ? o.process : 0;
    a.vp = o.port;
    if (o.select) {
        a.selected = true;
        a.sel_va = o.select_va;
        a.anim_ms = APP_STAGE_MS * APP_STAGES; /* the whole walk */
    }
    if (TTF_Init() != 0) {
        fprintf(stderr, "pagesim-sdl: %s\n", TTF_GetError());
        app_close(&a);
        return 1;
    }
    rc = o.screenshot || o.bench ? offscreen(&a, &o) : window(&a, &o);
    TTF_Quit();
    app_close(&a);
    return rc;
}
