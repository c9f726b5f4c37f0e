/* Text on the terminal: cut, wrapped, shifted, coloured. */
#include "draw_text.h"
#include "source.h"
#include <string.h>

bool tx_colour(void)
{
    return has_colors();
}

void tx_on(int pair, attr_t extra)
{
    attron((tx_colour() && pair ? COLOR_PAIR(pair) : 0) | extra);
}

void tx_off(int pair, attr_t extra)
{
    attroff((tx_colour() && pair ? COLOR_PAIR(pair) : 0) | extra);
}

void tx_clip(int y, int x, int w, const char *s, size_t n)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    if (y < 0 || y >= rows || x < 0 || x >= cols) return;
    if (w > cols - x) w = cols - x;
    if (w <= 0 || !n) return;
    mvaddnstr(y, x, s, (int)(n > (size_t)w ? (size_t)w : n));
}

void tx_str(int y, int x, int w, const char *s)
{
    tx_clip(y, x, w, s, strlen(s));
}

int tx_wrapped(const char *s, size_t n, int y, int x, int h, int w, int hang, int skip)
{
    if (w <= 0) return 0;
    if (w - hang < 8) hang = 0;
    int row = 0;
    size_t pos = 0;
    do {
        int indent = row ? hang : 0;
        size_t take = text_break(s + pos, n - pos, w - indent);
        if (row >= skip && row - skip < h) tx_clip(y + row - skip, x + indent, w - indent, s + pos, take);
        row++;
        pos += take;
    } while (pos < n);
    return row;
}

int tx_lines(const char *text, int y, int x, int h, int w, int skip)
{
    int row = 0;
    for (const char *s = text; s && *s;) {
        size_t n = strcspn(s, "\n");
        row += tx_wrapped(s, n, y, x, h, w, tx_hang(s, n), skip - row);
        s += n + (s[n] == '\n');
    }
    return row;
}

int tx_hang(const char *s, size_t n)
{
    size_t k = 0;
    while (k < n && s[k] == ' ') k++;
    for (size_t i = k; i + 1 < n && i < 10; i++)
        if (s[i] == '|' && s[i + 1] == ' ') return (int)i + 2;
    for (size_t i = k; i + 2 < n && i < 12; i++) {
        if (s[i] == ' ' && s[i + 1] == ' ') {
            size_t j = i;
            while (j < n && s[j] == ' ') j++;
            if (j < n && j <= 12) return (int)j;
            break;
        }
    }
    return (int)k + 2;
}

void tx_wide(int y, int x, int w, const char *s, size_t n, int from)
{
    if (w <= 0) return;
    size_t start = from > 0 ? (size_t)from : 0;
    if (start < n) tx_clip(y, x, w, s + start, n - start);
    tx_on(C_MORE, A_BOLD);
    if (start > 0 && n > 0) tx_clip(y, x, 1, "<", 1);
    if (n > start + (size_t)w) tx_clip(y, x + w - 1, 1, ">", 1);
    tx_off(C_MORE, A_BOLD);
}

void tx_bits(const char *bits, int y, int x, int w)
{
    static const int pairs[3] = { C_DIR, C_TABLE, C_OFFSET };
    static const int start[3] = { 0, 11, 22 }, len[3] = { 10, 10, 12 };
    for (int k = 0; k < 3; k++) {
        attr_t a = A_BOLD | (tx_colour() ? 0 : (k == 1 ? A_UNDERLINE : 0));
        tx_on(pairs[k], a);
        tx_clip(y, x + start[k], w - start[k], bits + start[k], (size_t)len[k]);
        tx_off(pairs[k], a);
    }
}
