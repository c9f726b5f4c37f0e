/* Checks pixels of a pagesim-sdl PNG:
 *   png_check FILE W H [--scale S] [--port X,Y,N] CHECK...
 * where CHECK is VA=STATE (the middle of VA's map cell has STATE's colour)
 * or VA=selected (the cell is outlined in the walk's colour) or
 * ram:F/N=selected (frame F of N, in the RAM strip, likewise) or
 * mark:START-END (the allocation [START, END) is outlined as the
 * scenario's) or text:PANEL (info or log: no ink in the panel's padding,
 * so no text ran past the width it wraps at; prints "PANEL text down to
 * row N", the lowest row of ink from the panel's top, to compare how far
 * the same text reaches at two sizes). The cells are found with the view's
 * own layout for a W x H frame at scale S, the grid shown as X,Y,N (the
 * whole grid by default); the PNG must be W x H. Exit 0 when all hold;
 * each check prints ok or FAIL with what it found. */
#include "view.h"
#include <SDL.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t pixel(SDL_Surface *s, int x, int y)
{
    if (x < 0 || y < 0 || x >= s->w || y >= s->h) return 0;
    return ((const uint32_t *)((const uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch))[x] | 0xFF000000u;
}

static int state_named(const char *name)
{
    for (int k = 0; k < MM_PAGE_STATE_COUNT; k++)
        if (!strcmp(name, mm_page_state_str((mm_page_state_t)k))) return k;
    return -1;
}

/* ram:F/N=selected: frame F of N is outlined in the RAM strip. */
static int check_ram(SDL_Surface *s, const view_layout_t *L, const char *arg)
{
    long f, n;
    if (sscanf(arg, "ram:%li/%li=selected", &f, &n) != 2 || f < 0 || f >= n) return -1;
    view_rect_t q = view_strip_cell(&L->frames, (uint32_t)f, (uint32_t)n);
    uint32_t got = pixel(s, q.x - 2, q.y - 2);
    bool ok = got == VIEW_HILITE;
    printf("%s: frame 0x%lX outlined in the RAM strip: 0x%08X at (%d,%d)\n", ok ? "ok" : "FAIL", f, got, q.x - 2,
           q.y - 2);
    return ok;
}

/* mark:START-END: the allocation is outlined on the map. */
static int check_mark(SDL_Surface *s, const view_layout_t *L, const view_port_t *vp, const char *arg)
{
    unsigned long start, end;
    view_rect_t q;
    if (sscanf(arg, "mark:%li-%li", &start, &end) != 2 || end <= start || end > 0xFFFFFFFFul) return -1;
    if (!view_mark_rect(&L->map, vp, (uint32_t)start, (uint32_t)end, &q)) {
        printf("FAIL: 0x%08lX-0x%08lX is not in view\n", start, end);
        return 0;
    }
    uint32_t got = pixel(s, q.x - 1, q.y + q.h / 2);
    bool ok = got == VIEW_MARK;
    printf("%s: 0x%08lX-0x%08lX marked: 0x%08X at (%d,%d)\n", ok ? "ok" : "FAIL", start, end, got, q.x - 1,
           q.y + q.h / 2);
    return ok;
}

/* text:PANEL: nothing drawn in the padding; prints how far down it goes. */
static int check_text(SDL_Surface *s, const view_layout_t *L, const char *arg)
{
    const view_rect_t *q = !strcmp(arg, "text:info") ? &L->info : !strcmp(arg, "text:log") ? &L->log : NULL;
    if (!q) return -1;
    int lowest = -1, stray = 0;
    for (int y = q->y; y < q->y + q->h; y++) {
        for (int x = q->x; x < q->x + q->w; x++) {
            if (pixel(s, x, y) == VIEW_PANEL) continue;
            if (x < q->x + 4 || x >= q->x + q->w - 4 || y < q->y + 4 || y >= q->y + q->h - 4) stray++;
            else lowest = y - q->y;
        }
    }
    printf("%s: %s text down to row %d, %d pixels of ink in the padding\n", stray ? "FAIL" : "ok", arg + 5, lowest,
           stray);
    return !stray;
}

/* One check; true when it holds (-1: the check is malformed). */
static int check(SDL_Surface *s, const view_layout_t *L, const view_port_t *vp, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (!eq && strncmp(arg, "mark:", 5) && strncmp(arg, "text:", 5)) return -1;
    if (!strncmp(arg, "ram:", 4)) return check_ram(s, L, arg);
    if (!strncmp(arg, "mark:", 5)) return check_mark(s, L, vp, arg);
    if (!strncmp(arg, "text:", 5)) return check_text(s, L, arg);
    uint32_t va = (uint32_t)strtoul(arg, NULL, 0);
    view_rect_t q;
    if (!view_cell_rect(&L->map, vp, view_va_x(va), view_va_y(va), &q)) {
        printf("FAIL: 0x%08X is not in view\n", va);
        return 0;
    }
    if (!strcmp(eq + 1, "selected")) {
        uint32_t got = pixel(s, q.x - 2, q.y - 2);
        bool ok = got == VIEW_HILITE;
        printf("%s: 0x%08X outlined: 0x%08X at (%d,%d)\n", ok ? "ok" : "FAIL", va, got, q.x - 2, q.y - 2);
        return ok;
    }
    int st = state_named(eq + 1);
    if (st < 0) return -1;
    uint32_t want = view_state_colour((mm_page_state_t)st), got = pixel(s, q.x + q.w / 2, q.y + q.h / 2);
    bool ok = got == want;
    printf("%s: 0x%08X %s: pixel (%d,%d) 0x%08X, expected 0x%08X\n", ok ? "ok" : "FAIL", va, eq + 1, q.x + q.w / 2,
           q.y + q.h / 2, got, want);
    return ok;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: png_check FILE W H [--scale S] [--port X,Y,N] "
                        "VA=STATE|VA=selected|ram:F/N=selected|mark:START-END|text:info|text:log ...\n");
        return 2;
    }
    int w = atoi(argv[2]), h = atoi(argv[3]), scale = 1, first = 4, fails = 0;
    view_port_t vp;
    view_port_all(&vp);
    for (; first + 1 < argc && argv[first][0] == '-'; first += 2) {
        const char *opt = argv[first], *v = argv[first + 1];
        if (!strcmp(opt, "--scale")) scale = atoi(v);
        else if (strcmp(opt, "--port") || sscanf(v, "%d,%d,%d", &vp.x, &vp.y, &vp.n) != 3) return 2;
        if (scale < 1) return 2;
    }
    SDL_Surface *raw = IMG_Load(argv[1]);
    if (!raw) {
        printf("FAIL: cannot load %s: %s\n", argv[1], IMG_GetError());
        return 1;
    }
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    if (!s || s->w != w || s->h != h) {
        printf("FAIL: %s is not %dx%d\n", argv[1], w, h);
        SDL_FreeSurface(s);
        return 1;
    }
    view_layout_t L;
    view_layout(w, h, scale, &L);
    for (int i = first; i < argc; i++) {
        int ok = check(s, &L, &vp, argv[i]);
        if (ok < 0) {
            fprintf(stderr, "png_check: not a check: %s\n", argv[i]);
            SDL_FreeSurface(s);
            return 2;
        }
        fails += !ok;
    }
    SDL_FreeSurface(s);
    return fails ? 1 : 0;
}
