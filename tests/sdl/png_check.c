/* Checks pixels of a pagesim-sdl PNG: png_check FILE W H [--port X,Y,N]
 * CHECK... where CHECK is VA=STATE (the map cell of VA has STATE's colour)
 * or VA=selected (the cell is outlined in the highlight colour). Exit 0
 * when all hold; each check prints ok or FAIL with what it found. */
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

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: png_check FILE W H [--port X,Y,N] VA=STATE|VA=selected ...\n");
        return 2;
    }
    SDL_Surface *raw = IMG_Load(argv[1]);
    if (!raw) {
        printf("FAIL: cannot load %s: %s\n", argv[1], IMG_GetError());
        return 1;
    }
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    int w = atoi(argv[2]), h = atoi(argv[3]), first = 4, fails = 0;
    if (!s || s->w != w || s->h != h) {
        printf("FAIL: %s is not %dx%d\n", argv[1], w, h);
        return 1;
    }
    view_layout_t L;
    view_layout(w, h, 1, &L);
    view_port_t vp;
    view_port_all(&vp);
    if (argc > 5 && !strcmp(argv[4], "--port")) {
        if (sscanf(argv[5], "%d,%d,%d", &vp.x, &vp.y, &vp.n) != 3) return 2;
        first = 6;
    }
    for (int i = first; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (!eq) return 2;
        uint32_t va = (uint32_t)strtoul(argv[i], NULL, 0);
        view_rect_t q;
        if (!view_cell_rect(&L.map, &vp, view_va_x(va), view_va_y(va), &q)) {
            printf("FAIL: 0x%08X is not in view\n", va);
            fails++;
            continue;
        }
        if (!strcmp(eq + 1, "selected")) {
            uint32_t got = pixel(s, q.x - 2, q.y - 2);
            bool ok = got == 0xFFFFEB3Bu;
            printf("%s: 0x%08X outlined: 0x%08X at (%d,%d)\n", ok ? "ok" : "FAIL", va, got, q.x - 2, q.y - 2);
            fails += !ok;
            continue;
        }
        int st = -1;
        for (int k = 0; k < MM_PAGE_STATE_COUNT; k++)
            if (!strcmp(eq + 1, mm_page_state_str((mm_page_state_t)k))) st = k;
        if (st < 0) return 2;
        uint32_t want = view_state_colour((mm_page_state_t)st), got = pixel(s, q.x + q.w / 2, q.y + q.h / 2);
        bool ok = got == want;
        printf("%s: 0x%08X %s: pixel (%d,%d) 0x%08X, expected 0x%08X\n", ok ? "ok" : "FAIL", va, eq + 1,
               q.x + q.w / 2, q.y + q.h / 2, got, want);
        fails += !ok;
    }
    SDL_FreeSurface(s);
    return fails ? 1 : 0;
}
