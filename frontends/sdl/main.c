/* pagesim-sdl: the page tables as a picture. A window, or with
 * --screenshot one frame rendered offscreen (no display needed), or with
 * --bench the time a frame takes. */
#include "app.h"
#include "fe_file.h"
#include "fe_output.h"
#include "render.h"
#include "save.h"
#include "window.h"
#include <SDL.h>
#include <SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "default_scenario.h" /* DEFAULT_SCENARIO: scenarios/tour/tour.scn */

typedef struct options {
    const char *file, *screenshot, *save_to;
    long long step;         /* -1: all                                       */
    bool select;
    uint32_t select_va;
    view_port_t port;
    int w, h, scale, process;
    bool bench;
    int runs;
} options_t;

static int usage(void)
{
    printf("usage: pagesim-sdl [FILE] [--size WxH] [--step N] [--select VA] [--zoom X,Y,N] [--process I]\n"
           "                   [--scale 1|2] [--screenshot OUT.png] [--save-to OUT.png] [--bench [--runs N]]\n"
           "Shows the 4 GB as a 1024x1024 grid: a row per page-directory entry, a cell per page table entry.\n"
           "Without FILE, the tour (scenarios/tour/tour.scn, as pagesim-tui). --screenshot renders one frame\n"
           "offscreen after N statements (default: all) and exits; --bench times frames with the software\n"
           "renderer. The default size, %dx%d, fits a 1366x768 screen.\n"
           "Keys: n/Space/Right step, b/Left back, r restart, e end, p play/pause, Tab next process,\n"
           "wheel or +/- zoom, z the entries around the selection, 0 the whole 4 GB, arrows or right-drag pan,\n"
           "s save a PNG (to --save-to), q/Escape quit. Click a cell for its walk. PAGESIM_FONT picks the font.\n",
           VIEW_DEFAULT_W, VIEW_DEFAULT_H);
    return -1;
}

/* "<command line>:1:COL: error: ..." with COL where argument i starts in
 * "pagesim-sdl ARGUMENTS...". */
static int bad(char **argv, int i, const char *what)
{
    int col = (int)sizeof "pagesim-sdl ";
    for (int k = 1; k < i; k++) col += (int)strlen(argv[k]) + 1;
    fe_errorf("<command line>:1:%d: error: %s: '%s' (pagesim-sdl --help lists the options)", col, what, argv[i]);
    return 2;
}

static bool number(const char *s, long long lo, long long hi, long long *out)
{
    char *end;
    long long v = strtoll(s, &end, 0);
    if (end == s || *end || v < lo || v > hi) return false;
    *out = v;
    return true;
}

/* The option at argv[i] with its value v; false when v is not right. */
static bool option(options_t *o, const char *a, const char *v)
{
    long long n, x, y;
    if (!strcmp(a, "--screenshot")) o->screenshot = v;
    else if (!strcmp(a, "--save-to")) o->save_to = v;
    else if (!strcmp(a, "--step")) return number(v, 0, 1LL << 30, &o->step);
    else if (!strcmp(a, "--runs") && number(v, 1, 10000, &n)) o->runs = (int)n;
    else if (!strcmp(a, "--process") && number(v, 0, 1000000, &n)) o->process = (int)n;
    else if (!strcmp(a, "--scale") && number(v, 1, 2, &n)) o->scale = (int)n;
    else if (!strcmp(a, "--select") && number(v, 0, 0xFFFFFFFFLL, &n)) {
        o->select = true;
        o->select_va = (uint32_t)n;
    } else if (!strcmp(a, "--size")) {
        if (sscanf(v, "%lldx%lld", &x, &y) != 2 || x < 320 || y < 240 || x > 8192 || y > 8192) return false;
        o->w = (int)x;
        o->h = (int)y;
    } else if (!strcmp(a, "--zoom")) {
        if (sscanf(v, "%lld,%lld,%lld", &x, &y, &n) != 3 || n < 4 || n > 1024 || (n & (n - 1)) || x < 0 || y < 0 ||
            x + n > 1024 || y + n > 1024)
            return false;
        o->port = (view_port_t){ (int)x, (int)y, (int)n };
    } else return false;
    return true;
}

static const char *what_value(const char *a)
{
    if (!strcmp(a, "--size")) return "not a size WxH (320x240 to 8192x8192)";
    if (!strcmp(a, "--zoom")) return "not a view X,Y,N (N a power of 2 from 4 to 1024, inside the grid)";
    if (!strcmp(a, "--select")) return "not an address (0 to 0xFFFFFFFF)";
    if (!strcmp(a, "--scale")) return "not a scale (1 or 2)";
    return "not a number in range";
}

/* 0, 2 (bad arguments, said on stderr) or -1 (--help printed). */
static int parse(int argc, char **argv, options_t *o)
{
    memset(o, 0, sizeof *o);
    o->step = -1;
    o->scale = 1;
    o->process = -1;
    o->runs = 15;
    view_port_all(&o->port);
    static const char *const known[] = { "--screenshot", "--save-to", "--step", "--runs", "--process",
                                         "--scale", "--select", "--size", "--zoom" };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) return usage();
        if (!strcmp(a, "--bench")) {
            o->bench = true;
            continue;
        }
        if (a[0] != '-' || !a[1]) {
            if (o->file) return bad(argv, i, "more than one scenario");
            o->file = a;
            continue;
        }
        bool is_known = false;
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) is_known |= !strcmp(a, known[k]);
        if (!is_known) return bad(argv, i, "unknown option");
        if (i + 1 >= argc) return bad(argv, i, "a value must follow");
        if (!option(o, a, argv[i + 1])) return bad(argv, i + 1, what_value(a));
        i++;
    }
    return 0;
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

typedef enum { BENCH_UPLOAD, BENCH_MAP, BENCH_FRAME, BENCH_STEP } bench_t;

/* Times one kind of work runs times and prints median, min and max. */
static void bench_one(render_t *rd, app_t *a, const view_layout_t *L, bench_t kind, int runs, double *t)
{
    static const char *const what[] = { "map states + pixels + upload", "draw the 1024x1024 map",
                                        "whole frame (map, panels, text)", "frame after a step (all rebuilt)" };
    for (int i = 0; i < runs; i++) {
        double t0 = now_ms();
        if (kind == BENCH_UPLOAD || kind == BENCH_STEP) a->stale = true;
        if (kind == BENCH_UPLOAD) render_upload(rd, a);
        if (kind == BENCH_MAP) {
            SDL_Rect dst = { L->map.x, L->map.y, L->map.w, L->map.h };
            SDL_RenderCopy(rd->p.r, rd->map, NULL, &dst);
        }
        if (kind == BENCH_FRAME || kind == BENCH_STEP) render_frame(rd, a, L);
        SDL_RenderFlush(rd->p.r); /* the software renderer batches: draw now */
        t[i] = now_ms() - t0;
    }
    qsort(t, (size_t)runs, sizeof *t, cmp_double);
    printf("%-34s median %8.3f ms  min %8.3f  max %8.3f  (%d runs)\n", what[kind], t[runs / 2], t[0], t[runs - 1],
           runs);
}

static int bench(render_t *rd, app_t *a, const view_layout_t *L, const options_t *o)
{
    double *t = malloc(sizeof(double) * (size_t)o->runs);
    if (!t) {
        fe_errorf("pagesim-sdl: out of memory");
        return 2;
    }
    render_frame(rd, a, L); /* text and strips made once, as in a window */
    for (int k = BENCH_UPLOAD; k <= BENCH_STEP; k++) bench_one(rd, a, L, (bench_t)k, o->runs, t);
    printf("software renderer, %dx%d, map %dx%d px; reproduce: pagesim-sdl --bench --runs %d%s%s%s\n", L->w, L->h,
           L->map.w, L->map.h, o->runs, o->scale > 1 ? " --scale 2" : "", o->file ? " " : "", o->file ? o->file : "");
    free(t);
    return 0;
}

/* Offscreen: a software renderer drawing into a surface, no video driver;
 * without --size, the default window's size. */
static int offscreen(app_t *a, const options_t *o)
{
    int w = o->w ? o->w : VIEW_DEFAULT_W * o->scale, h = o->h ? o->h : VIEW_DEFAULT_H * o->scale;
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    TTF_Font *font = r ? render_open_font(13 * o->scale) : NULL;
    render_t rd;
    if (!font || !render_init(&rd, r, font)) {
        fe_errorf("pagesim-sdl: %s", SDL_GetError());
        if (font) {
            render_fini(&rd);
            TTF_CloseFont(font);
        }
        if (r) SDL_DestroyRenderer(r);
        SDL_FreeSurface(surf);
        return 2;
    }
    view_layout_t L;
    view_layout(w, h, o->scale, &L);
    int rc = 0;
    if (o->bench) rc = bench(&rd, a, &L, o);
    else {
        render_frame(&rd, a, &L);
        SDL_RenderFlush(r);
        char why[300];
        if (!save_png(surf, o->screenshot, why, sizeof why)) {
            fe_errorf("pagesim-sdl: cannot write %s: %s", o->screenshot, why);
            rc = 2;
        } else {
            const mmu_walk_t *walk = app_walk(a, NULL);
            if (walk) /* what the walk drew, for scripts */
                printf("selected 0x%08X: %s, frame %ld of %u\n", walk->va, walk->reason == MMU_OK ? "translated" :
                       mmu_reason_str(walk->reason), app_walk_frame(walk), app_mm(a) ? mm_frame_count(app_mm(a)) : 0);
        }
    }
    render_fini(&rd);
    TTF_CloseFont(font);
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(surf);
    return rc;
}

/* The scenario's name in error lines. */
static const char *shown(const options_t *o)
{
    return !o->file ? "<default>" : strcmp(o->file, "-") == 0 ? "<stdin>" : o->file;
}

/* Runs the statements asked for; 2 (said on stderr) when one cannot run
 * and there is no window to show it in. */
static int start(app_t *a, const options_t *o)
{
    app_run_to(a, o->step < 0 ? scn_history_count(a->h) : (size_t)o->step);
    if (a->error[0]) {
        fe_error_text(shown(o), a->error);
        if (o->screenshot || o->bench) return 2; /* no picture of a scenario that cannot run */
    }
    mm_t *mm = app_mm(a);
    if (o->process >= 0 && (!mm || o->process >= (int)mm_process_count(mm))) {
        fe_errorf("<command line>:1:1: error: --process %d: the scenario has %u process(es) at that step", o->process,
                  mm ? mm_process_count(mm) : 0);
        return 2;
    }
    if (o->process >= 0) app_show_process(a, o->process);
    a->vp = o->port;
    if (o->select) {
        app_select(a, o->select_va);
        a->anim_ms = APP_STAGE_MS * APP_STAGES; /* the whole walk */
    }
    return 0;
}

static int run(int argc, char **argv)
{
    options_t o;
    int rc = parse(argc, argv, &o);
    if (rc) return rc < 0 ? 0 : rc;
    size_t len = sizeof DEFAULT_SCENARIO - 1;
    char *text = NULL;
    const char *why = "";
    if (o.file && !(text = fe_read_file(o.file, &len, &why))) {
        char msg[300];
        snprintf(msg, sizeof msg, "cannot read the scenario: %s", why);
        fe_error_line(shown(&o), 1, 1, msg);
        return 2;
    }
    app_t a;
    bool ok = app_open(&a, text ? text : DEFAULT_SCENARIO, len, o.file ? o.file : "tour (default)");
    free(text);
    if (!ok) {
        fe_error_text(shown(&o), a.error);
        app_close(&a);
        return 2;
    }
    rc = start(&a, &o);
    if (!rc && TTF_Init() != 0) {
        fe_errorf("pagesim-sdl: %s", TTF_GetError());
        rc = 2;
    } else if (!rc) {
        rc = o.screenshot || o.bench ? offscreen(&a, &o) : window_run(&a, o.w, o.h, o.save_to);
        TTF_Quit();
    }
    app_close(&a);
    return rc;
}

int main(int argc, char **argv)
{
    return fe_finish_output("pagesim-sdl", run(argc, argv));
}
