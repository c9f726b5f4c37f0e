/* pagesim-sdl's view: layout, colours, the map's pixels and the hover text on a
 * page's backing. */
#include "view.h"
#include "pagesim/format.h"
#include "pagesim/strbuf.h"
#include <string.h>

void view_layout(int w, int h, int scale, view_layout_t *o)
{
    if (scale < 1) scale = 1;
    int m = 8 * scale, line = 18 * scale;
    o->w = w;
    o->h = h;
    o->scale = scale;
    o->line = line;
    o->title = (view_rect_t){ 0, 0, w, line + m };
    o->timeline = (view_rect_t){ 0, h - 2 * line - m, w, 2 * line + m };
    int bw = 4 * line, bx = m;
    for (int i = 0; i < VIEW_BUTTONS; i++, bx += bw + m / 2)
        o->buttons[i] = (view_rect_t){ bx, o->timeline.y + m / 2, bw, line };
    o->next = (view_rect_t){ bx + m, o->timeline.y + m / 2, w - bx - 2 * m, line };
    o->bar = (view_rect_t){ m, o->timeline.y + line + m, w - 2 * m, line - m / 2 };
    int top = o->title.h + m / 2, bottom = o->timeline.y - m;
    int legend_h = 4 * line; /* the states, on up to three rows, and what the grid shows */
    /* The map: the largest square that leaves room for the legend and for
     * a 40% side column. */
    int side = bottom - top - legend_h;
    int room = (w - 3 * m) * 60 / 100;
    if (side > room) side = room;
    if (side > VIEW_MAP_CELLS * scale) side = VIEW_MAP_CELLS * scale; /* one page a pixel, at most */
    if (side < 64) side = 64;
    o->map = (view_rect_t){ m, top, side, side };
    o->legend = (view_rect_t){ m, top + side + m / 2, side, legend_h };
    int sx = o->map.x + side + m, sw = w - sx - m;
    int strip_w = sw / 3 < 64 * scale ? sw / 3 : 64 * scale;
    /* A line above each strip names it. */
    o->frames = (view_rect_t){ sx, top + line, strip_w, (bottom - top) * 3 / 4 - line };
    int sy = o->frames.y + o->frames.h + m + line;
    o->slots = (view_rect_t){ sx, sy, strip_w, bottom - sy };
    int ix = sx + strip_w + m, iw = w - ix - m;
    o->info = (view_rect_t){ ix, top, iw, (bottom - top) * 3 / 5 };
    o->log = (view_rect_t){ ix, o->info.y + o->info.h + m, iw, bottom - (o->info.y + o->info.h + m) };
}

const char *view_button_label(view_button_t b, bool playing)
{
    static const char *const label[VIEW_BUTTONS] = { "play", "|<", "<", ">", ">|" };
    if (b == VIEW_BUTTON_PLAY && playing) return "pause";
    return (unsigned)b < VIEW_BUTTONS ? label[b] : "";
}

static bool in_rect(const view_rect_t *r, int x, int y)
{
    return x >= r->x && y >= r->y && x < r->x + r->w && y < r->y + r->h;
}

int view_button_at(const view_layout_t *L, int x, int y)
{
    for (int i = 0; i < VIEW_BUTTONS; i++)
        if (in_rect(&L->buttons[i], x, y)) return i;
    return -1;
}

int view_bar_x(const view_rect_t *bar, size_t count, size_t k)
{
    if (!count) return bar->x;
    if (k > count) k = count;
    return bar->x + (int)((long)bar->w * (long)k / (long)count);
}

size_t view_bar_step(const view_rect_t *bar, size_t count, int x)
{
    if (x <= bar->x || !count || bar->w <= 0) return 0;
    if (x >= bar->x + bar->w) return count;
    return (size_t)(((long)(x - bar->x) * (long)count + bar->w / 2) / bar->w);
}

void view_port_all(view_port_t *vp)
{
    vp->x = vp->y = 0;
    vp->n = VIEW_MAP_CELLS;
}

static int clamp(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

void view_port_zoom(view_port_t *vp, int dir, int cx, int cy)
{
    int n = dir > 0 ? vp->n / 2 : vp->n * 2;
    n = clamp(n, 4, VIEW_MAP_CELLS);
    if (n == vp->n) return;
    /* (cx - x) / n stays the same fraction of the view. */
    long fx = (long)(cx - vp->x) * n / vp->n, fy = (long)(cy - vp->y) * n / vp->n;
    vp->n = n;
    vp->x = clamp(cx - (int)fx, 0, VIEW_MAP_CELLS - n);
    vp->y = clamp(cy - (int)fy, 0, VIEW_MAP_CELLS - n);
}

void view_port_pan(view_port_t *vp, int dx, int dy)
{
    vp->x = clamp(vp->x + dx, 0, VIEW_MAP_CELLS - vp->n);
    vp->y = clamp(vp->y + dy, 0, VIEW_MAP_CELLS - vp->n);
}

bool view_cell_at(const view_rect_t *map, const view_port_t *vp, int px, int py, int *cx, int *cy)
{
    if (!in_rect(map, px, py)) return false;
    *cx = vp->x + (int)((long)(px - map->x) * vp->n / map->w);
    *cy = vp->y + (int)((long)(py - map->y) * vp->n / map->h);
    return true;
}

bool view_cell_rect(const view_rect_t *map, const view_port_t *vp, int cx, int cy, view_rect_t *out)
{
    if (cx < vp->x || cy < vp->y || cx >= vp->x + vp->n || cy >= vp->y + vp->n) return false;
    int x0 = map->x + (int)((long)(cx - vp->x) * map->w / vp->n);
    int x1 = map->x + (int)((long)(cx - vp->x + 1) * map->w / vp->n);
    int y0 = map->y + (int)((long)(cy - vp->y) * map->h / vp->n);
    int y1 = map->y + (int)((long)(cy - vp->y + 1) * map->h / vp->n);
    *out = (view_rect_t){ x0, y0, x1 - x0 > 0 ? x1 - x0 : 1, y1 - y0 > 0 ? y1 - y0 : 1 };
    return true;
}

/* The screen x (or y) of grid column (row) c in the view. */
static int screen_at(int origin, int size, const view_port_t *vp, int first, int c)
{
    return origin + (int)((long)(c - first) * size / vp->n);
}

bool view_mark_rect(const view_rect_t *map, const view_port_t *vp, uint32_t start, uint32_t end, view_rect_t *out)
{
    if (end <= start) return false;
    uint32_t sp = start >> 12, ep = (end - 1) >> 12;
    int y0 = (int)(sp >> 10), y1 = (int)(ep >> 10);
    int x0 = y0 == y1 ? (int)(sp & 1023u) : 0, x1 = y0 == y1 ? (int)(ep & 1023u) : 1023;
    if (y1 < vp->y || y0 >= vp->y + vp->n || x1 < vp->x || x0 >= vp->x + vp->n) return false;
    view_rect_t q = { screen_at(map->x, map->w, vp, vp->x, x0), screen_at(map->y, map->h, vp, vp->y, y0), 0, 0 };
    q.w = screen_at(map->x, map->w, vp, vp->x, x1 + 1) - q.x;
    q.h = screen_at(map->y, map->h, vp, vp->y, y1 + 1) - q.y;
    if (q.w < 7) q.x -= (7 - q.w) / 2, q.w = 7;
    if (q.h < 7) q.y -= (7 - q.h) / 2, q.h = 7;
    if (q.x + q.w > map->x + map->w) q.x = map->x + map->w - q.w;
    if (q.y + q.h > map->y + map->h) q.y = map->y + map->h - q.h;
    if (q.x < map->x) q.x = map->x;
    if (q.y < map->y) q.y = map->y;
    *out = q;
    return true;
}

static const uint32_t k_state_colour[MM_PAGE_STATE_COUNT] = {
    [MM_PAGE_FREE] = 0xFF101418,          /* near black                     */
    [MM_PAGE_RESERVED] = 0xFFC8A000,      /* amber                          */
    [MM_PAGE_COMMITTED] = 0xFF2E7D32,     /* green: committed, not in RAM   */
    [MM_PAGE_RESIDENT] = 0xFF66BB6A,      /* light green: in a frame        */
    [MM_PAGE_DIRTY] = 0xFFE53935,         /* red: written                   */
    [MM_PAGE_GUARD] = 0xFFD81B60,         /* magenta                        */
    [MM_PAGE_MAPPED] = 0xFF1E88E5,        /* blue: a page-file-backed view  */
    [MM_PAGE_COPY_ON_WRITE] = 0xFF00ACC1, /* cyan                           */
    [MM_PAGE_PAGE_TABLE] = 0xFFFFFFFF,    /* white: page tables (self-map)  */
    [MM_PAGE_SYSTEM] = 0xFF424A52,        /* slate: kernel space            */
    [MM_PAGE_IMAGE] = 0xFF8E24AA,         /* purple: an executable image    */
    [MM_PAGE_LOCKED] = 0xFFFFD600,        /* yellow: locked in memory       */
    [MM_PAGE_FILE] = 0xFFFF7043,          /* orange: a file's page          */
    [MM_PAGE_SHARED] = 0xFF3949AB,        /* indigo: a frame mapped twice+  */
    [MM_PAGE_AWE] = 0xFF00897B,           /* teal: an AWE physical page     */
};

uint32_t view_state_colour(mm_page_state_t s)
{
    return (unsigned)s < MM_PAGE_STATE_COUNT ? k_state_colour[s] : 0xFF000000u;
}

const char *view_state_name(mm_page_state_t s)
{
    return mm_page_state_str(s);
}

uint32_t view_process_colour(int process)
{
    static const uint32_t palette[] = { 0xFF66BB6A, 0xFF42A5F5, 0xFFFFA726, 0xFFAB47BC, 0xFF26C6DA, 0xFFEC407A };
    if (process < 0) return 0xFF9E9E9E;
    return palette[process % (int)(sizeof palette / sizeof palette[0])];
}

uint32_t view_ink_on(uint32_t c)
{
    uint32_t r = c >> 16 & 0xFF, g = c >> 8 & 0xFF, b = c & 0xFF;
    return 299 * r + 587 * g + 114 * b > 140000 ? 0xFF000000u : VIEW_INK;
}

uint32_t view_frame_colour(const mm_frame_info_t *f)
{
    switch (f->kind) {
    case MM_FRAME_FREE: return k_state_colour[MM_PAGE_FREE];
    case MM_FRAME_KERNEL: return 0xFF424A52;
    case MM_FRAME_SYSTEM: return 0xFF757575;
    case MM_FRAME_PAGE_TABLE:
    case MM_FRAME_DIRECTORY: return 0xFFFFFFFF;
    case MM_FRAME_SECTION: return 0xFF1E88E5;
    case MM_FRAME_USER: return view_process_colour(f->owner);
    case MM_FRAME_LOCKED: return k_state_colour[MM_PAGE_LOCKED];
    case MM_FRAME_FILE: return k_state_colour[MM_PAGE_FILE];
    case MM_FRAME_IMAGE: return k_state_colour[MM_PAGE_IMAGE];
    case MM_FRAME_AWE: return k_state_colour[MM_PAGE_AWE];
    }
    return 0xFF000000u;
}

void view_map_pixels(const uint8_t *states, uint32_t *pixels)
{
    for (uint32_t i = 0; i < (uint32_t)VIEW_MAP_CELLS * VIEW_MAP_CELLS; i++)
        pixels[i] = view_state_colour((mm_page_state_t)states[i]);
}

int view_frames_per_cell(uint32_t nframes, int cols, int rows)
{
    long cells = (long)cols * rows;
    if (cells <= 0) return 1;
    long per = ((long)nframes + cells - 1) / cells;
    return per < 1 ? 1 : (int)per;
}

void view_strip_size(const view_rect_t *strip, int *cols, int *rows)
{
    *cols = strip->w / VIEW_STRIP_CELL > 0 ? strip->w / VIEW_STRIP_CELL : 1;
    *rows = strip->h / VIEW_STRIP_CELL > 0 ? strip->h / VIEW_STRIP_CELL : 1;
}

view_rect_t view_strip_cell(const view_rect_t *strip, uint32_t i, uint32_t n)
{
    int cols, rows;
    view_strip_size(strip, &cols, &rows);
    int c = (int)(i / (uint32_t)view_frames_per_cell(n, cols, rows));
    return (view_rect_t){ strip->x + c % cols * VIEW_STRIP_CELL, strip->y + c / cols * VIEW_STRIP_CELL,
                          VIEW_STRIP_CELL, VIEW_STRIP_CELL };
}

/* The width of the first k bytes of s. */
static long prefix_width(const char *s, size_t k, view_width_fn width, void *ctx)
{
    char buf[1024];
    if (k >= sizeof buf) k = sizeof buf - 1;
    memcpy(buf, s, k);
    buf[k] = '\0';
    return width(buf, ctx);
}

size_t view_break(const char *s, size_t n, long max_w, view_width_fn width, void *ctx)
{
    size_t limit = n < 1023 ? n : 1023;
    if (n == limit && prefix_width(s, n, width, ctx) <= max_w) return n;
    size_t lo = 0, hi = limit; /* the longest prefix that fits: lo */
    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        if (prefix_width(s, mid, width, ctx) <= max_w) lo = mid;
        else hi = mid - 1;
    }
    while (lo > 0 && lo < n && ((unsigned char)s[lo] & 0xC0) == 0x80) lo--;
    for (size_t k = lo; k > lo / 3; k--)
        if (s[k - 1] == ' ') return k;
    if (lo > 0) return lo;
    size_t one = 1;
    while (one < n && ((unsigned char)s[one] & 0xC0) == 0x80) one++;
    return one;
}

size_t view_hang(const char *s, size_t n)
{
    size_t k = 0;
    while (k < n && s[k] == ' ') k++;
    for (size_t i = k; i + 1 < n && i < 10; i++)
        if (s[i] == '|' && s[i + 1] == ' ') return i + 2;
    for (size_t i = k; i + 2 < n && i < 12; i++) {
        if (s[i] == ' ' && s[i + 1] == ' ') {
            size_t j = i;
            while (j < n && s[j] == ' ') j++;
            if (j < n && j <= 16) return j;
            break;
        }
    }
    return k + 2 < n ? k + 2 : k;
}

void view_backing_text(mm_t *mm, mm_process_t *p, uint32_t va, strbuf_t *b)
{
    mm_backing_t k;
    mm_page_backing(p, va, &k);
    if (k.kind == MM_BACK_NONE || k.kind == MM_BACK_SYSTEM) return;
    strbuf_puts(b, "backing: ");
    fmt_backing(b, &k);
    if (k.resident) strbuf_printf(b, ", frame 0x%05X", k.frame);
    strbuf_puts(b, "\n");
    if (k.resident && k.kind != MM_BACK_PRIVATE && k.kind != MM_BACK_COPY) {
        strbuf_puts(b, "mapped by ");
        fmt_sharers(b, mm, &k);
        strbuf_puts(b, "\n");
    }
}
