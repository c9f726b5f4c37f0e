/* The map bar: which part of the 4 GB it shows and at what scale, the state
 * each cell stands for, and zooming. A bar of n cells shows n * per pages
 * (per pages a cell) or n / cpp pages (cpp cells a page). */
#include "model.h"
#include <stdio.h>
#include <string.h>

enum { PAGES_4G = 1u << 20 };

void map_cell_pages(const tui_map_view_t *v, int i, uint64_t *lo, uint64_t *hi)
{
    uint64_t a = v->cpp > 1 ? (uint64_t)v->first + (uint64_t)i / v->cpp : (uint64_t)v->first + (uint64_t)i * v->per;
    uint64_t b = a + (v->cpp > 1 ? 1 : v->per);
    if (a > PAGES_4G) a = PAGES_4G;
    if (b > PAGES_4G) b = PAGES_4G;
    *lo = a;
    *hi = b;
}

int map_page_cell(const tui_map_view_t *v, uint64_t page)
{
    if (page < v->first) return -1;
    uint64_t d = page - v->first;
    uint64_t cell = v->cpp > 1 ? d * v->cpp : d / v->per;
    return cell < (uint64_t)v->cells ? (int)cell : -1;
}

/* The view that fits pages [start, start + pages) into `cells` cells. */
static void fit(uint32_t start, uint64_t pages, int cells, tui_map_view_t *v)
{
    v->cells = cells;
    v->first = start;
    if (pages > (uint64_t)cells) {
        v->per = (uint32_t)((pages + (uint64_t)cells - 1) / (uint64_t)cells);
        v->cpp = 1;
    } else {
        v->per = 1;
        v->cpp = pages ? (uint32_t)((uint64_t)cells / pages) : 1;
    }
}

void model_map_view(const tui_model_t *m, int cells, tui_map_view_t *v)
{
    if (cells < 1) cells = 1;
    mm_process_t *p = model_process(m);
    mm_alloc_info_t a;
    const tui_map_t *z = &m->map;
    if (z->fit == MAP_SCALED) {
        *v = (tui_map_view_t){ z->first, z->per ? z->per : 1, z->cpp ? z->cpp : 1, cells };
    } else if (z->fit == MAP_FIT_ALLOC && p && z->alloc >= 0 && mm_alloc_at(p, (uint32_t)z->alloc, &a)) {
        fit(a.start >> 12, ((uint64_t)a.end - a.start) >> 12, cells, v);
    } else if (z->fit == MAP_FIT_4G || !p) {
        fit(0, PAGES_4G, cells, v);
    } else {
        uint64_t high = (uint64_t)mm_user_high(scn_runner_mm(model_runner(m))) + 1;
        fit(MM_USER_LOW >> 12, (high >> 12) - (MM_USER_LOW >> 12), cells, v);
    }
}

/* Which state wins a tie between as many pages: the rarer and more telling. */
static const uint8_t k_priority[MM_PAGE_STATE_COUNT] = {
    [MM_PAGE_FREE] = 0, [MM_PAGE_SYSTEM] = 1, [MM_PAGE_RESERVED] = 2, [MM_PAGE_COMMITTED] = 3,
    [MM_PAGE_RESIDENT] = 4, [MM_PAGE_DIRTY] = 5, [MM_PAGE_IMAGE] = 6, [MM_PAGE_FILE] = 7, [MM_PAGE_MAPPED] = 8,
    [MM_PAGE_SHARED] = 9, [MM_PAGE_COPY_ON_WRITE] = 10, [MM_PAGE_PAGE_TABLE] = 11, [MM_PAGE_GUARD] = 12,
    [MM_PAGE_LOCKED] = 13, [MM_PAGE_AWE] = 14,
};

/* A cell from the count of its pages in each state. */
static tui_cell_t cell_of(const uint32_t count[MM_PAGE_STATE_COUNT])
{
    tui_cell_t c = { MM_PAGE_FREE, 0 };
    uint32_t best = 0;
    for (int s = 1; s < MM_PAGE_STATE_COUNT; s++) {
        if (count[s] > best || (count[s] && count[s] == best && k_priority[s] > k_priority[c.state])) {
            best = count[s];
            c.state = (uint8_t)s;
        }
    }
    if (count[MM_PAGE_GUARD] && c.state != MM_PAGE_GUARD) c.marks |= MAP_CELL_GUARD;
    return c;
}

/* Pages [lo, hi) counted by state into count (added to it). */
static void count_pages(mm_process_t *p, uint64_t lo, uint64_t hi, uint32_t count[MM_PAGE_STATE_COUNT])
{
    uint8_t chunk[4096];
    while (lo < hi) {
        uint32_t k = hi - lo < sizeof chunk ? (uint32_t)(hi - lo) : (uint32_t)sizeof chunk;
        mm_page_states(p, (uint32_t)lo, k, chunk);
        for (uint32_t j = 0; j < k; j++) count[chunk[j] < MM_PAGE_STATE_COUNT ? chunk[j] : MM_PAGE_FREE]++;
        lo += k;
    }
}

void model_map(const tui_model_t *m, tui_cell_t *out, int cells, tui_map_view_t *v)
{
    model_map_view(m, cells, v);
    mm_process_t *p = model_process(m);
    for (int i = 0; i < cells; i++) {
        uint64_t lo, hi;
        map_cell_pages(v, i, &lo, &hi);
        uint32_t count[MM_PAGE_STATE_COUNT] = { 0 };
        if (p) count_pages(p, lo, hi, count);
        out[i] = cell_of(count);
        if (hi == lo) out[i].marks |= MAP_CELL_PAST;
        if (v->cpp > 1 && i % (int)v->cpp == 0) out[i].marks |= MAP_CELL_PAGE_START;
    }
}

void model_map_label(const tui_map_view_t *v, char *out, size_t size)
{
    uint64_t lo, hi, end;
    map_cell_pages(v, 0, &lo, &hi);
    map_cell_pages(v, v->cells - 1, &hi, &end);
    char scale[48];
    if (v->cpp > 1) snprintf(scale, sizeof scale, "%u cells a page", v->cpp);
    else snprintf(scale, sizeof scale, "%u page%s a cell", v->per, v->per > 1 ? "s" : "");
    snprintf(out, size, "0x%08X-0x%08X  %s", (uint32_t)(lo << 12), (uint32_t)((end << 12) - 1), scale);
}

/* Powers of 2 around x: the largest below it, the smallest above it. */
static uint32_t pow2_below(uint32_t x)
{
    uint32_t p = 1;
    while (p * 2 < x) p *= 2;
    return p;
}

static uint32_t pow2_above(uint32_t x)
{
    uint32_t p = 1;
    while (p <= x) p *= 2;
    return p;
}

/* Shows page f at cell x, per pages a cell or cpp cells a page, the window
 * kept inside [lo, hi) pages where it fits there. */
static void place(tui_model_t *m, uint64_t f, int x, uint32_t per, uint32_t cpp, int cells, uint64_t lo, uint64_t hi)
{
    uint64_t span = cpp > 1 ? ((uint64_t)cells + cpp - 1) / cpp : (uint64_t)cells * per;
    uint64_t back = cpp > 1 ? (uint64_t)x / cpp : (uint64_t)x * per;
    uint64_t first = f > back ? f - back : 0;
    if (per > 1) first &= ~(uint64_t)(per - 1);
    if (first + span > hi) first = hi > span ? hi - span : 0;
    if (first < lo && lo + span <= hi) first = lo;
    m->map.fit = MAP_SCALED;
    m->map.first = (uint32_t)first;
    m->map.per = per;
    m->map.cpp = cpp;
}

/* The page zoomed around, and its cell (the middle when out of view). */
static void focus(const tui_model_t *m, const tui_map_view_t *v, uint64_t *f, int *x)
{
    uint64_t lo, hi;
    map_cell_pages(v, v->cells / 2, &lo, &hi);
    *f = lo;
    uint32_t va = m->map.sel_set ? m->map.sel : model_stepper_address(m);
    if (m->map.sel_set || va) *f = va >> 12;
    *x = map_page_cell(v, *f);
    if (*x < 0) *x = v->cells / 2;
}

void model_zoom(tui_model_t *m, int dir, int cells)
{
    if (cells < 1) return;
    tui_map_view_t v;
    model_map_view(m, cells, &v);
    uint64_t f;
    int x;
    focus(m, &v, &f, &x);
    uint32_t per = v.per, cpp = v.cpp;
    if (dir > 0 && per > 1) per = pow2_below(per);
    else if (dir > 0) cpp = pow2_above(cpp) <= (uint32_t)cells ? pow2_above(cpp) : cpp;
    else if (cpp > 1) cpp = pow2_below(cpp);
    else per = pow2_above(per);
    if ((uint64_t)per * (uint64_t)cells >= PAGES_4G) {
        m->map.fit = MAP_FIT_4G;
        return;
    }
    place(m, f, x, per, cpp, cells, 0, PAGES_4G);
}

bool model_zoom_next(tui_model_t *m, int dir)
{
    mm_process_t *p = model_process(m);
    int n = p ? (int)mm_alloc_count(p) : 0;
    if (!n) return false;
    int i = m->map.alloc < 0 ? (dir > 0 ? 0 : n - 1) : ((m->map.alloc + (dir > 0 ? 1 : -1)) % n + n) % n;
    mm_alloc_info_t a;
    mm_alloc_at(p, (uint32_t)i, &a);
    m->map.fit = MAP_FIT_ALLOC;
    m->map.alloc = i;
    m->map.sel_set = true;
    m->map.sel = a.start;
    return true;
}

/* The index of the first allocation overlapping pages [lo, hi), or -1:
 * found at once, then counted by one walk in address order up to it. */
static int alloc_in(mm_process_t *p, uint64_t lo, uint64_t hi, mm_alloc_info_t *a)
{
    if (!p || lo >= PAGES_4G) return -1;
    if (!mm_alloc_from(p, (uint32_t)(lo << 12), a) || (uint64_t)a->start >= hi << 12) return -1;
    int i = 0;
    for (uint32_t va = 0; mm_alloc_from(p, va, a) && a->end; va = a->end, i++)
        if ((uint64_t)a->end > lo << 12) return i;
    return -1;
}

void model_zoom_pages(tui_model_t *m, uint32_t va, int cells)
{
    if (cells < 1) return;
    mm_alloc_info_t a;
    uint64_t page = va >> 12;
    int i = alloc_in(model_process(m), page, page + 1, &a);
    m->map.sel_set = true;
    m->map.sel = va;
    if (i >= 0 && ((uint64_t)a.end - a.start) >> 12 <= (uint64_t)cells) {
        m->map.fit = MAP_FIT_ALLOC;
        m->map.alloc = i;
        return;
    }
    uint64_t lo = i >= 0 ? a.start >> 12 : 0, hi = i >= 0 ? ((uint64_t)a.end) >> 12 : PAGES_4G;
    place(m, page, cells / 2, 1, 1, cells, lo, hi);
}

bool model_map_click(tui_model_t *m, int i, int cells, uint32_t *va)
{
    tui_map_view_t v;
    model_map_view(m, cells, &v);
    if (i < 0 || i >= cells) return false;
    uint64_t lo, hi;
    map_cell_pages(&v, i, &lo, &hi);
    if (hi == lo) return false;
    m->map.sel_set = true;
    m->map.sel = (uint32_t)(lo << 12);
    if (v.per == 1) {
        *va = (uint32_t)(lo << 12);
        return true;
    }
    mm_alloc_info_t a;
    int k = alloc_in(model_process(m), lo, hi, &a);
    tui_map_view_t fitted;
    if (k >= 0) fit(a.start >> 12, ((uint64_t)a.end - a.start) >> 12, cells, &fitted);
    if (k >= 0 && fitted.per < v.per) {
        m->map.fit = MAP_FIT_ALLOC;
        m->map.alloc = k;
        if (a.start > m->map.sel) m->map.sel = a.start;
    } else if (k >= 0) {
        place(m, lo, i, 1, 1, cells, a.start >> 12, (uint64_t)a.end >> 12);
    } else {
        place(m, lo, i, pow2_below(v.per), 1, cells, 0, PAGES_4G);
    }
    return false;
}
