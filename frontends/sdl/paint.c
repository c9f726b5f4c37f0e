/* pagesim-sdl's drawing primitives over SDL2 and SDL2_ttf. */
#include "paint.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void paint_init(paint_t *p, SDL_Renderer *r, TTF_Font *font)
{
    memset(p, 0, sizeof *p);
    p->r = r;
    p->font = font;
    p->line = TTF_FontLineSkip(font);
}

void paint_fini(paint_t *p)
{
    for (int i = 0; i < PAINT_TEXT_CACHE; i++)
        if (p->cache[i].t) SDL_DestroyTexture(p->cache[i].t);
    memset(p->cache, 0, sizeof p->cache);
}

static void colour(SDL_Renderer *r, uint32_t c)
{
    SDL_SetRenderDrawColor(r, (Uint8)(c >> 16), (Uint8)(c >> 8), (Uint8)c, (Uint8)(c >> 24));
}

void paint_fill(paint_t *p, const view_rect_t *q, uint32_t c)
{
    colour(p->r, c);
    SDL_Rect s = { q->x, q->y, q->w, q->h };
    SDL_RenderFillRect(p->r, &s);
}

void paint_outline(paint_t *p, const view_rect_t *q, uint32_t c, int thick)
{
    colour(p->r, c);
    for (int i = 1; i <= thick; i++) {
        SDL_Rect s = { q->x - i, q->y - i, q->w + 2 * i, q->h + 2 * i };
        SDL_RenderDrawRect(p->r, &s);
    }
}

void paint_arrow(paint_t *p, int x0, int y0, int x1, int y1, uint32_t c)
{
    colour(p->r, c);
    SDL_RenderDrawLine(p->r, x0, y0, x1, y1);
    SDL_RenderDrawLine(p->r, x0, y0 + 1, x1, y1 + 1);
    int dx = x1 > x0 ? -6 : 6;
    SDL_RenderDrawLine(p->r, x1, y1, x1 + dx, y1 - 4);
    SDL_RenderDrawLine(p->r, x1, y1, x1 + dx, y1 + 4);
}

static uint64_t text_key(const char *s, uint32_t c)
{
    uint64_t h = 1469598103934665603ull ^ c;
    for (; *s; s++) h = (h ^ (uint8_t)*s) * 1099511628211ull;
    return h ? h : 1;
}

/* A line drawn before comes from the cache (a 64-bit hash names it). */
int paint_text(paint_t *p, int x, int y, int max_w, uint32_t c, const char *s)
{
    if (!s || !*s) return 0;
    uint64_t key = text_key(s, c);
    paint_text_t *e = &p->cache[key % PAINT_TEXT_CACHE];
    if (e->key != key) {
        SDL_Color col = { (Uint8)(c >> 16), (Uint8)(c >> 8), (Uint8)c, 255 };
        SDL_Surface *surf = TTF_RenderUTF8_Blended(p->font, s, col);
        if (!surf) return 0;
        SDL_Texture *t = SDL_CreateTextureFromSurface(p->r, surf);
        int w = surf->w, h = surf->h;
        SDL_FreeSurface(surf);
        if (!t) return 0;
        if (e->t) SDL_DestroyTexture(e->t);
        *e = (paint_text_t){ key, t, w, h };
    }
    int shown = max_w > 0 && e->w > max_w ? max_w : e->w;
    SDL_Rect src = { 0, 0, shown, e->h }, dst = { x, y, shown, e->h };
    SDL_RenderCopy(p->r, e->t, &src, &dst);
    return shown;
}

int paint_textf(paint_t *p, int x, int y, int max_w, uint32_t c, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return paint_text(p, x, y, max_w, c, buf);
}

long paint_width(const char *s, void *ctx)
{
    const paint_t *p = ctx;
    int w = 0, h = 0;
    return *s && TTF_SizeUTF8(p->font, s, &w, &h) == 0 ? w : 0;
}

int paint_prefix_width(paint_t *p, const char *s, size_t n)
{
    char buf[256];
    if (n >= sizeof buf) n = sizeof buf - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return (int)paint_width(buf, p);
}

/* The wrapping of paint_wrap and paint_rows; draws only with box. */
static int wrap(paint_t *p, const view_rect_t *box, int w, int row, int hang, uint32_t c, const char *s, size_t n)
{
    if (w - hang < 4 * p->line) hang = 0;
    int rows = 0;
    size_t pos = 0;
    char buf[1024];
    do {
        int indent = rows ? hang : 0;
        size_t take = view_break(s + pos, n - pos, w - indent, paint_width, p);
        int y = row + rows;
        if (box && y >= 0 && (y + 1) * p->line <= box->h) {
            size_t k = take < sizeof buf ? take : sizeof buf - 1;
            memcpy(buf, s + pos, k);
            buf[k] = '\0';
            paint_text(p, box->x + indent, box->y + y * p->line, w - indent, c, buf);
        }
        pos += take;
        rows++;
    } while (pos < n);
    return rows;
}

int paint_wrap(paint_t *p, const view_rect_t *box, int row, int hang, uint32_t c, const char *s, size_t n)
{
    return wrap(p, box, box->w, row, hang, c, s, n);
}

int paint_rows(paint_t *p, int w, int hang, const char *s, size_t n)
{
    return wrap(p, NULL, w, 0, hang, 0, s, n);
}
