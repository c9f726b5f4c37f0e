/* Reference traces: parsing (refs, lackey) and replay through the shared
 * replacement policies. Memory is a page table of 2^20 entries and the
 * frames, whatever the trace's length (OPT also keeps each reference's next
 * use, as it must know the future). */
#include "pagesim/trace.h"
#include "mem.h"
#include "repl.h"
#include "scn_lex.h"
#include <string.h>

#define NPAGES (1u << 20)
#define NONE UINT32_MAX

bool trace_policy_parse(const char *s, trace_policy_t *out)
{
    static const char *const names[] = { "fifo", "clock", "lru", "opt" };
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (trace_policy_t)i;
            return true;
        }
    return false;
}

bool trace_format_parse(const char *s, trace_format_t *out)
{
    if (strcmp(s, "refs") == 0) *out = TRACE_REFS;
    else if (strcmp(s, "lackey") == 0) *out = TRACE_LACKEY;
    else return false;
    return true;
}

static bool push(trace_refs_t *r, uint32_t vpn, bool write)
{
    if (r->n == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 4096;
        trace_ref_t *p = ps_realloc(r->alloc, r->ref, r->cap * sizeof *p, ncap * sizeof *p);
        if (!p) return false;
        r->ref = p;
        r->cap = ncap;
    }
    r->ref[r->n].vpn = vpn;
    r->ref[r->n].write = write;
    r->n++;
    return true;
}

static bool is_sep(char c)
{
    return c == ' ' || c == '\t' || c == ',' || c == '\n' || c == '\r';
}

static ps_result_t parse_refs(trace_refs_t *r, const char *s, size_t len, scn_error_t *err)
{
    uint32_t line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < len;) {
        if (s[i] == '\n') {
            line++;
            line_start = i + 1;
        }
        if (is_sep(s[i])) {
            i++;
            continue;
        }
        size_t start = i;
        uint64_t v = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            v = v * 10 + (uint64_t)(s[i] - '0');
            if (v >= NPAGES) break;
            i++;
        }
        bool write = false;
        if (i < len && (s[i] == 'w' || s[i] == 'W') && i > start) {
            write = true;
            i++;
        }
        if (i == start || (i < len && !is_sep(s[i])) || v >= NPAGES) {
            size_t end = start;
            while (end < len && !is_sep(s[end])) end++;
            scn_error_set(err, line, (uint32_t)(start - line_start + 1),
                          "'%.*s' is not a page reference (a page number below 1048576, 'w' after it for a write)",
                          (int)(end - start > 40 ? 40 : end - start), s + start);
            return PS_EINVAL;
        }
        if (!push(r, (uint32_t)v, write)) return PS_ENOMEM;
    }
    return PS_OK;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* " L 04222cac,8": kind, address, size. Other lines are ignored. */
static ps_result_t parse_lackey(trace_refs_t *r, const char *s, size_t len, scn_error_t *err)
{
    uint32_t line = 0;
    for (size_t pos = 0; pos < len;) {
        const char *l = s + pos;
        const char *nl = memchr(l, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - l) : len - pos;
        pos += n + 1;
        line++;
        size_t i = 0;
        while (i < n && l[i] == ' ') i++;
        if (i >= n) continue;
        char kind = l[i];
        if ((kind != 'I' && kind != 'L' && kind != 'S' && kind != 'M') || i + 1 >= n || l[i + 1] != ' ') continue;
        i++;
        while (i < n && l[i] == ' ') i++;
        uint64_t addr = 0;
        size_t digits = 0;
        bool wide = false;
        for (int d; i < n && (d = hexval(l[i])) >= 0; i++, digits++) {
            if (addr >> 60) wide = true;
            addr = addr << 4 | (uint64_t)d;
        }
        uint64_t size = 0;
        if (digits && i < n && l[i] == ',') {
            for (i++; i < n && l[i] >= '0' && l[i] <= '9'; i++) size = size * 10 + (uint64_t)(l[i] - '0');
        }
        if (!digits || size == 0 || size > 4096 || (i < n && l[i] != ' ' && l[i] != '\r')) {
            scn_error_set(err, line, 1, "malformed lackey line: want ' L ADDRESS,SIZE' (I, L, S or M)");
            return PS_EINVAL;
        }
        if (wide || addr > 0xFFFFFFFFu) r->truncated++;
        uint32_t a = (uint32_t)addr, last = (uint32_t)(addr + size - 1);
        bool write = kind == 'S' || kind == 'M';
        if (!push(r, a >> 12, write)) return PS_ENOMEM;
        if ((last >> 12) != (a >> 12) && !push(r, last >> 12, write)) return PS_ENOMEM;
    }
    return PS_OK;
}

ps_result_t trace_parse(const ps_alloc_t *a, trace_format_t fmt, const char *text, size_t len, trace_refs_t *out,
                        scn_error_t *err)
{
    memset(out, 0, sizeof *out);
    memset(err, 0, sizeof *err);
    out->alloc = a ? a : ps_default_alloc();
    ps_result_t r = fmt == TRACE_LACKEY ? parse_lackey(out, text, len, err) : parse_refs(out, text, len, err);
    if (r == PS_ENOMEM) scn_error_set(err, 0, 0, "out of memory");
    if (r != PS_OK) trace_refs_free(out);
    return r;
}

void trace_refs_free(trace_refs_t *r)
{
    ps_free(r->alloc, r->ref, r->cap * sizeof *r->ref);
    r->ref = NULL;
    r->n = r->cap = 0;
}

/* OPT: for each reference, the index of the next one to the same page. */
static uint64_t *next_uses(const ps_alloc_t *a, const trace_refs_t *refs)
{
    uint64_t *next = ps_malloc(a, (refs->n ? refs->n : 1) * sizeof *next);
    uint64_t *seen = ps_malloc(a, NPAGES * sizeof *seen);
    if (!next || !seen) {
        ps_free(a, next, (refs->n ? refs->n : 1) * sizeof *next);
        ps_free(a, seen, NPAGES * sizeof *seen);
        return NULL;
    }
    for (uint32_t i = 0; i < NPAGES; i++) seen[i] = REPL_NEVER;
    for (size_t i = refs->n; i-- > 0;) {
        next[i] = seen[refs->ref[i].vpn];
        seen[refs->ref[i].vpn] = i;
    }
    ps_free(a, seen, NPAGES * sizeof *seen);
    return next;
}

ps_result_t trace_run(const ps_alloc_t *a, const trace_refs_t *refs, uint32_t frames, trace_policy_t policy,
                      trace_result_t *out)
{
    if (!a) a = ps_default_alloc();
    memset(out, 0, sizeof *out);
    if (frames == 0 || frames > NPAGES) return PS_EINVAL;
    repl_t r;
    ps_result_t res = repl_init(&r, a, (repl_policy_t)policy, frames);
    if (res != PS_OK) return res;
    uint32_t *page_frame = ps_malloc(a, NPAGES * sizeof *page_frame);
    uint32_t *frame_page = ps_malloc(a, frames * sizeof *frame_page);
    uint8_t *dirty = ps_calloc(a, frames);
    uint8_t *touched = ps_calloc(a, NPAGES / 8);
    uint64_t *next = policy == TRACE_OPT ? next_uses(a, refs) : NULL;
    if (!page_frame || !frame_page || !dirty || !touched || (policy == TRACE_OPT && !next)) {
        res = PS_ENOMEM;
        goto done;
    }
    for (uint32_t i = 0; i < NPAGES; i++) page_frame[i] = NONE;
    uint32_t used = 0;
    for (size_t i = 0; i < refs->n; i++) {
        uint32_t vpn = refs->ref[i].vpn;
        uint64_t nu = next ? next[i] : 0;
        uint32_t f = page_frame[vpn];
        if (f != NONE) {
            out->hits++;
            repl_used(&r, f, nu);
        } else {
            out->page_faults++;
            if (!(touched[vpn / 8] & (1u << (vpn % 8)))) {
                touched[vpn / 8] |= (uint8_t)(1u << (vpn % 8));
                out->first_touches++;
            }
            if (used < frames) {
                f = used++;
            } else {
                f = repl_victim(&r);
                if (dirty[f]) out->pagefile_writes++;
                page_frame[frame_page[f]] = NONE;
            }
            page_frame[vpn] = f;
            frame_page[f] = vpn;
            dirty[f] = 0;
            repl_loaded(&r, f, nu);
        }
        if (refs->ref[i].write) dirty[f] = 1;
    }
    out->references = refs->n;
    out->frames = frames;
    out->distinct_pages = (uint32_t)out->first_touches;
done:
    ps_free(a, page_frame, NPAGES * sizeof *page_frame);
    ps_free(a, frame_page, frames * sizeof *frame_page);
    ps_free(a, dirty, frames);
    ps_free(a, touched, NPAGES / 8);
    ps_free(a, next, (refs->n ? refs->n : 1) * sizeof *next);
    repl_fini(&r);
    return res;
}
