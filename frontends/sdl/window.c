/* pagesim-sdl's window: the event loop, keys, mouse and HiDPI scaling. */
#include "window.h"
#include "fe_output.h"
#include "render.h"
#include "save.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PLAY_MS = 700 };

typedef struct win {
    app_t *a;
    SDL_Window *w;
    SDL_Renderer *r;
    render_t rd;
    view_layout_t L;
    int ww, pw;                /* window and output widths: HiDPI's ratio   */
    bool drag;
    int drag_x, drag_y;        /* output pixels                             */
    const char *save_to;
} win_t;

static void relayout(win_t *v)
{
    int wh, ph;
    SDL_GetWindowSize(v->w, &v->ww, &wh);
    SDL_GetRendererOutputSize(v->r, &v->pw, &ph);
    if (v->ww <= 0) v->ww = v->pw;
    view_layout(v->pw, ph, v->pw >= 2 * v->ww ? 2 : 1, &v->L);
}

/* Window coordinates (points) to output pixels. */
static int px(const win_t *v, int x) { return v->ww > 0 ? x * v->pw / v->ww : x; }

static void save(win_t *v)
{
    const char *path = v->save_to ? v->save_to : "pagesim-sdl.png";
    render_frame(&v->rd, v->a, &v->L);
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, v->L.w, v->L.h, 32, SDL_PIXELFORMAT_ARGB8888);
    char why[300];
    bool ok = s && SDL_RenderReadPixels(v->r, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch) == 0;
    if (!ok) snprintf(why, sizeof why, "%s", SDL_GetError());
    else ok = save_png(s, path, why, sizeof why);
    SDL_FreeSurface(s);
    if (ok) {
        fputs("saved ", stdout);
        fe_put_safe(stdout, path, strlen(path));
        fputc('\n', stdout);
    } else {
        fe_errorf("pagesim-sdl: cannot write %s: %s", path, why);
    }
    fflush(stdout);
}

static void zoom_centre(app_t *a, int dir)
{
    int cx = a->vp.x + a->vp.n / 2, cy = a->vp.y + a->vp.n / 2;
    if (a->selected) {
        cx = view_va_x(a->sel_va);
        cy = view_va_y(a->sel_va);
    } else if (a->hover) {
        cx = view_va_x(a->hover_va);
        cy = view_va_y(a->hover_va);
    }
    view_port_zoom(&a->vp, dir, cx, cy);
}

/* False when the key quits. */
static bool on_key(win_t *v, const SDL_Keysym *k)
{
    app_t *a = v->a;
    int step = a->vp.n / 4 > 0 ? a->vp.n / 4 : 1;
    bool shift = (k->mod & KMOD_SHIFT) != 0;
    switch (k->sym) {
    case SDLK_q: case SDLK_ESCAPE: return false;
    case SDLK_RIGHT:
        if (shift) view_port_pan(&a->vp, step, 0);
        else app_forward(a);
        break;
    case SDLK_LEFT:
        if (shift) view_port_pan(&a->vp, -step, 0);
        else app_back(a);
        break;
    case SDLK_n: case SDLK_SPACE: app_forward(a); break;
    case SDLK_b: case SDLK_BACKSPACE: app_back(a); break;
    case SDLK_e: case SDLK_END: app_run_to(a, scn_history_count(a->h)); break;
    case SDLK_r: case SDLK_HOME: app_run_to(a, 0); break;
    case SDLK_p: a->playing = !a->playing; break;
    case SDLK_TAB: app_next_process(a); break;
    case SDLK_0: view_port_all(&a->vp); break;
    case SDLK_PLUS: case SDLK_EQUALS: case SDLK_KP_PLUS: zoom_centre(a, 1); break;
    case SDLK_MINUS: case SDLK_KP_MINUS: zoom_centre(a, -1); break;
    case SDLK_z: /* the entries around the selection, labelled */
        while (a->vp.n > 8) zoom_centre(a, 1);
        break;
    case SDLK_UP: view_port_pan(&a->vp, 0, -step); break;
    case SDLK_DOWN: view_port_pan(&a->vp, 0, step); break;
    case SDLK_s: save(v); break;
    default: break;
    }
    return true;
}

static void on_click(win_t *v, int x, int y)
{
    app_t *a = v->a;
    int cx, cy, b = view_button_at(&v->L, x, y);
    const view_rect_t *bar = &v->L.bar;
    if (view_cell_at(&v->L.map, &a->vp, x, y, &cx, &cy)) {
        app_select(a, view_cell_va(cx, cy));
        printf("selected 0x%08X (PDE 0x%03X, PTE 0x%03X)\n", a->sel_va, cy, cx);
        fflush(stdout);
    } else if (b == VIEW_BUTTON_PLAY) a->playing = !a->playing;
    else if (b == VIEW_BUTTON_START) app_run_to(a, 0);
    else if (b == VIEW_BUTTON_BACK) app_back(a);
    else if (b == VIEW_BUTTON_FORWARD) app_forward(a);
    else if (b == VIEW_BUTTON_END) app_run_to(a, scn_history_count(a->h));
    else if (y >= bar->y && y < bar->y + bar->h && x >= bar->x && x < bar->x + bar->w)
        app_run_to(a, view_bar_step(bar, scn_history_count(a->h), x));
}

static void on_motion(win_t *v, const SDL_MouseMotionEvent *m)
{
    app_t *a = v->a;
    int x = px(v, m->x), y = px(v, m->y), cx, cy;
    a->hover = view_cell_at(&v->L.map, &a->vp, x, y, &cx, &cy);
    if (a->hover) a->hover_va = view_cell_va(cx, cy);
    if (!v->drag || !(m->state & SDL_BUTTON_RMASK)) return;
    int dx = (v->drag_x - x) * a->vp.n / v->L.map.w, dy = (v->drag_y - y) * a->vp.n / v->L.map.h;
    if (!dx && !dy) return;
    view_port_pan(&a->vp, dx, dy);
    v->drag_x = x;
    v->drag_y = y;
}

/* One event; false when it quits. */
static bool on_event(win_t *v, const SDL_Event *ev)
{
    app_t *a = v->a;
    switch (ev->type) {
    case SDL_QUIT: return false;
    case SDL_KEYDOWN: return on_key(v, &ev->key.keysym);
    case SDL_WINDOWEVENT: relayout(v); break;
    case SDL_MOUSEMOTION: on_motion(v, &ev->motion); break;
    case SDL_MOUSEBUTTONDOWN:
        if (ev->button.button == SDL_BUTTON_LEFT) on_click(v, px(v, ev->button.x), px(v, ev->button.y));
        if (ev->button.button == SDL_BUTTON_RIGHT) {
            v->drag = true;
            v->drag_x = px(v, ev->button.x);
            v->drag_y = px(v, ev->button.y);
        }
        break;
    case SDL_MOUSEBUTTONUP: v->drag = false; break;
    case SDL_MOUSEWHEEL: {
        int mx, my, cx, cy;
        SDL_GetMouseState(&mx, &my);
        if (ev->wheel.y && view_cell_at(&v->L.map, &a->vp, px(v, mx), px(v, my), &cx, &cy))
            view_port_zoom(&a->vp, ev->wheel.y > 0 ? 1 : -1, cx, cy);
        break;
    }
    default: break;
    }
    return true;
}

/* The default size, made smaller when the display's usable area (less a
 * title bar) is: at least 640 x 400. */
static void default_size(int *w, int *h)
{
    SDL_Rect r;
    *w = VIEW_DEFAULT_W;
    *h = VIEW_DEFAULT_H;
    if (SDL_GetDisplayUsableBounds(0, &r) != 0) return;
    if (r.w - 16 < *w) *w = r.w - 16 > 640 ? r.w - 16 : 640;
    if (r.h - 40 < *h) *h = r.h - 40 > 400 ? r.h - 40 : 400;
}

static bool open_window(win_t *v, int w, int h)
{
    if (!w || !h) default_size(&w, &h);
    v->w = SDL_CreateWindow("pagesim-sdl", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, w, h,
                            SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (!v->w) return false;
    v->r = SDL_CreateRenderer(v->w, -1, SDL_RENDERER_PRESENTVSYNC);
    if (!v->r) v->r = SDL_CreateRenderer(v->w, -1, SDL_RENDERER_SOFTWARE);
    if (!v->r) return false;
    relayout(v);
    return true;
}

/* Waits for events; while playing or animating, at most a frame (16 ms). */
static bool run_events(win_t *v)
{
    app_t *a = v->a;
    SDL_Event ev;
    bool busy = a->playing || (a->selected && app_walk_stage(a) < APP_STAGES - 1);
    if (!(busy ? SDL_WaitEventTimeout(&ev, 16) : SDL_WaitEvent(&ev))) return true;
    do {
        if (!on_event(v, &ev)) return false;
    } while (SDL_PollEvent(&ev));
    return true;
}

/* SDL's video drivers that show nothing: a window there waits for events
 * that never come. SDL falls back on them when there is no display. */
static bool shows_nothing(const char *driver)
{
    static const char *const names[] = { "offscreen", "dummy", "evdev" };
    if (!driver) return true;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (SDL_strcasecmp(driver, names[i]) == 0) return true;
    return false;
}

/* SDL's video on a display; false with SDL's error set. Where X11 or
 * Wayland would be the display, neither named in the environment means
 * none, found at once: no driver is probed (SDL_VIDEODRIVER still picks one,
 * the console's kmsdrm say). */
static bool init_video(void)
{
#if defined(__unix__) && !defined(__APPLE__) && !defined(__ANDROID__)
    const char *d = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY"), *drv = getenv("SDL_VIDEODRIVER");
    if ((!d || !*d) && (!wl || !*wl) && (!drv || !*drv)) {
        SDL_SetError("no display: neither DISPLAY nor WAYLAND_DISPLAY is set");
        return false;
    }
#endif
    if (SDL_Init(SDL_INIT_VIDEO) != 0) return false;
    const char *driver = SDL_GetCurrentVideoDriver();
    if (!shows_nothing(driver)) return true;
    char name[32];
    snprintf(name, sizeof name, "%s", driver ? driver : "none");
    SDL_Quit();
    SDL_SetError("no display: SDL found only its '%s' video driver, which shows nothing", name);
    return false;
}

static void close_window(win_t *v)
{
    if (v->r) SDL_DestroyRenderer(v->r);
    if (v->w) SDL_DestroyWindow(v->w);
    SDL_Quit();
}

int window_run(app_t *a, int w, int h, const char *save_to)
{
    win_t v;
    memset(&v, 0, sizeof v);
    v.a = a;
    v.save_to = save_to;
    if (!init_video() || !open_window(&v, w, h)) {
        fe_errorf("pagesim-sdl: cannot open a window: %s; --screenshot OUT.png needs no display", SDL_GetError());
        if (SDL_WasInit(SDL_INIT_VIDEO)) close_window(&v);
        return 2;
    }
    TTF_Font *font = render_open_font(13 * v.L.scale);
    if (!font || !render_init(&v.rd, v.r, font)) {
        fe_errorf("pagesim-sdl: %s", SDL_GetError());
        if (font) TTF_CloseFont(font);
        close_window(&v);
        return 2;
    }
    printf("map at %d,%d size %d; scale %d\n", v.L.map.x, v.L.map.y, v.L.map.w, v.L.scale);
    for (int i = 0; i < VIEW_BUTTONS; i++) {
        const view_rect_t *b = &v.L.buttons[i];
        printf("button %s at %d,%d\n", view_button_label((view_button_t)i, false), (b->x + b->w / 2) / v.L.scale,
               (b->y + b->h / 2) / v.L.scale);
    }
    fflush(stdout);
    Uint32 last = SDL_GetTicks(), played = last;
    for (bool run = true; run;) {
        run = run_events(&v);
        Uint32 t = SDL_GetTicks();
        a->anim_ms += t - last;
        last = t;
        if (a->playing && t - played >= PLAY_MS) {
            played = t;
            if (!app_forward(a)) a->playing = false;
        }
        render_frame(&v.rd, a, &v.L);
        SDL_RenderPresent(v.r);
    }
    render_fini(&v.rd);
    TTF_CloseFont(font);
    close_window(&v);
    return 0;
}
