/* The scenario's text, a line at a time, for the source column. */
#include "source.h"
#include <stdlib.h>
#include <string.h>

bool src_open(tui_source_t *s, const char *text, size_t len)
{
    memset(s, 0, sizeof *s);
    uint32_t lines = 1;
    for (size_t i = 0; i < len; i++) lines += text[i] == '\n';
    if (len && text[len - 1] == '\n') lines--;
    s->text = malloc(len + 1);
    s->start = malloc(((size_t)lines + 1) * sizeof *s->start);
    if (!s->text || !s->start) {
        src_close(s);
        return false;
    }
    memcpy(s->text, text, len);
    s->text[len] = '\0';
    s->start[0] = 0;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n' && i + 1 < len) s->start[++s->count] = i + 1;
    s->count = len ? s->count + 1 : 0;
    /* The end of line i is start[i + 1] - 1: its newline, or the text's end. */
    s->start[s->count] = len && text[len - 1] == '\n' ? len : len + 1;
    return true;
}

void src_close(tui_source_t *s)
{
    free(s->text);
    free(s->start);
    memset(s, 0, sizeof *s);
}

const char *src_line(const tui_source_t *s, uint32_t i, size_t *len)
{
    if (i >= s->count) {
        *len = 0;
        return "";
    }
    const char *p = s->text + s->start[i];
    size_t n = s->start[i + 1] - 1 - s->start[i];
    if (n && p[n - 1] == '\r') n--;
    *len = n;
    return p;
}

static size_t skip_blanks(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t')) i++;
    return i;
}

src_kind_t src_kind(const tui_source_t *s, uint32_t i)
{
    size_t n;
    const char *p = src_line(s, i, &n);
    size_t k = skip_blanks(p, n);
    if (k == n) return SRC_BLANK;
    return p[k] == '#' ? SRC_COMMENT : SRC_CODE;
}

size_t src_comment_at(const char *line, size_t len)
{
    bool quoted = false;
    for (size_t i = 0; i < len; i++) {
        if (quoted && line[i] == '\\') i++;
        else if (line[i] == '"') quoted = !quoted;
        else if (!quoted && line[i] == '#') return i;
    }
    return len;
}

uint32_t src_block_start(const tui_source_t *s, uint32_t line)
{
    uint32_t b = line;
    while (b > 0 && src_kind(s, b - 1) == SRC_COMMENT) b--;
    return b;
}

size_t text_break(const char *s, size_t n, int room)
{
    if (room < 1) room = 1;
    if (n <= (size_t)room) return n;
    size_t take = (size_t)room;
    while (take > (size_t)room / 2 && s[take - 1] != ' ') take--;
    return take > (size_t)room / 2 ? take : (size_t)room;
}

int text_rows(const char *s, size_t n, int w, int indent, int max)
{
    if (w < 1) return 1;
    int rows = 0;
    size_t pos = 0;
    do {
        int room = rows && w - indent >= 8 ? w - indent : w;
        pos += text_break(s + pos, n - pos, room);
        rows++;
    } while (pos < n && rows < max);
    return rows;
}

int src_rows(const tui_source_t *s, uint32_t i, int w)
{
    size_t n;
    const char *p = src_line(s, i, &n);
    return text_rows(p, n, w, 2, SRC_MAX_ROWS);
}
