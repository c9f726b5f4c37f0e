/* Reference traces: parsing (refs, lackey) and replay through the shared
 * replacement policies. Memory is a page table of 2^20 entries and the
 * frames, whatever the trace's length (OPT also keeps each reference's next
 * use, as it must know the future). */
#include "pagesim/trace.h"
#include "mem.h"
#include "repl.h"
#include "scn_lex.h"
#include "tlb.h"
#include <string.h>

#define NPAGES (1u << 20)
#define NONE UINT32_MAX
#define LACKEY_SIZE_MAX 4096u /* bytes in one lackey access */

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

static ps_result_t parse_refs(const char *s, size_t len, uint32_t line, trace_emit_fn emit, void *ud,
                              scn_error_t *err)
{
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
        emit(ud, (uint32_t)v, write);
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
static ps_result_t parse_lackey(const char *s, size_t len, uint32_t line, trace_emit_fn emit, void *ud,
                                uint64_t *truncated, scn_error_t *err)
{
    line--;
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
            for (i++; i < n && l[i] >= '0' && l[i] <= '9'; i++)
                if (size <= LACKEY_SIZE_MAX) size = size * 10 + (uint64_t)(l[i] - '0'); /* stops past the limit: no wrap-around */
        }
        if (!digits || size == 0 || size > LACKEY_SIZE_MAX || (i < n && l[i] != ' ' && l[i] != '\r')) {
            scn_error_set(err, line, 1, "malformed lackey line: want ' L ADDRESS,SIZE' (I, L, S or M)");
            return PS_EINVAL;
        }
        if (wide || addr > 0xFFFFFFFFu) (*truncated)++;
        uint32_t a = (uint32_t)addr, last = (uint32_t)(addr + size - 1);
        bool write = kind == 'S' || kind == 'M';
        emit(ud, a >> 12, write);
        if ((last >> 12) != (a >> 12)) emit(ud, last >> 12, write);
    }
    return PS_OK;
}

ps_result_t trace_parse_lines(trace_format_t fmt, const char *text, size_t len, uint32_t first_line,
                              trace_emit_fn emit, void *ud, uint64_t *truncated, scn_error_t *err)
{
    memset(err, 0, sizeof *err);
    return fmt == TRACE_LACKEY ? parse_lackey(text, len, first_line, emit, ud, truncated, err)
                               : parse_refs(text, len, first_line, emit, ud, err);
}

typedef struct collect {
    trace_refs_t *refs;
    bool failed;
} collect_t;

static void collect_ref(void *ud, uint32_t vpn, bool write)
{
    collect_t *c = ud;
    if (!c->failed && !push(c->refs, vpn, write)) c->failed = true;
}

ps_result_t trace_parse(const ps_alloc_t *a, trace_format_t fmt, const char *text, size_t len, trace_refs_t *out,
                        scn_error_t *err)
{
    memset(out, 0, sizeof *out);
    out->alloc = a ? a : ps_default_alloc();
    collect_t c = { out, false };
    ps_result_t r = trace_parse_lines(fmt, text, len, 1, collect_ref, &c, &out->truncated, err);
    if (r == PS_OK && c.failed) r = PS_ENOMEM;
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

struct trace_sim {
    const ps_alloc_t *alloc;
    repl_t repl;
    uint32_t frames, used;
    uint32_t *page_frame;   /* per page: its frame, or NONE                  */
    uint32_t *frame_page;
    uint8_t *dirty;         /* written since it was loaded                   */
    uint8_t *touched;       /* pages seen at least once (bitmap)              */
    tlb_t tlb;              /* translations of resident pages                 */
    trace_result_t res;
};

void trace_sim_free(trace_sim_t *t)
{
    if (!t) return;
    const ps_alloc_t *a = t->alloc;
    ps_free(a, t->page_frame, NPAGES * sizeof *t->page_frame);
    ps_free(a, t->frame_page, t->frames * sizeof *t->frame_page);
    ps_free(a, t->dirty, t->frames);
    ps_free(a, t->touched, NPAGES / 8);
    repl_fini(&t->repl);
    tlb_fini(&t->tlb);
    ps_free(a, t, sizeof *t);
}

static ps_result_t sim_new(const ps_alloc_t *a, uint32_t frames, trace_policy_t policy, uint32_t tlb_entries,
                           trace_sim_t **out)
{
    *out = NULL;
    if (!a) a = ps_default_alloc();
    if (frames == 0 || frames > NPAGES || tlb_entries > MMU_TLB_MAX) return PS_EINVAL;
    trace_sim_t *t = ps_calloc(a, sizeof *t);
    if (!t) return PS_ENOMEM;
    t->alloc = a;
    t->frames = frames;
    ps_result_t r = repl_init(&t->repl, a, (repl_policy_t)policy, frames);
    if (r == PS_OK) r = tlb_init(&t->tlb, a, tlb_entries);
    t->page_frame = ps_malloc(a, NPAGES * sizeof *t->page_frame);
    t->frame_page = ps_malloc(a, frames * sizeof *t->frame_page);
    t->dirty = ps_calloc(a, frames);
    t->touched = ps_calloc(a, NPAGES / 8);
    if (r != PS_OK || !t->page_frame || !t->frame_page || !t->dirty || !t->touched) {
        trace_sim_free(t);
        return r != PS_OK ? r : PS_ENOMEM;
    }
    for (uint32_t i = 0; i < NPAGES; i++) t->page_frame[i] = NONE;
    t->res.frames = frames;
    t->res.tlb_entries = tlb_entries;
    *out = t;
    return PS_OK;
}

ps_result_t trace_sim_new(const ps_alloc_t *a, uint32_t frames, trace_policy_t policy, uint32_t tlb_entries,
                          trace_sim_t **out)
{
    if (policy == TRACE_OPT) {
        *out = NULL;
        return PS_EINVAL;
    }
    return sim_new(a, frames, policy, tlb_entries, out);
}

/* One reference; next_use matters to OPT only. */
static void sim_ref(trace_sim_t *t, uint32_t vpn, bool write, uint64_t next_use)
{
    t->res.references++;
    if (t->tlb.cap) {
        if (tlb_lookup(&t->tlb, vpn << 12)) t->res.tlb_hits++;
        else t->res.tlb_misses++;
    }
    uint32_t f = t->page_frame[vpn];
    if (f != NONE) {
        t->res.hits++;
        repl_used(&t->repl, f, next_use);
    } else {
        t->res.page_faults++;
        if (!(t->touched[vpn / 8] & (1u << (vpn % 8)))) {
            t->touched[vpn / 8] |= (uint8_t)(1u << (vpn % 8));
            t->res.first_touches++;
        }
        if (t->used < t->frames) {
            f = t->used++;
        } else {
            f = repl_victim(&t->repl);
            if (t->dirty[f]) t->res.pagefile_writes++;
            t->page_frame[t->frame_page[f]] = NONE;
            if (t->tlb.cap) tlb_invalidate(&t->tlb, t->frame_page[f] << 12);
        }
        t->page_frame[vpn] = f;
        t->frame_page[f] = vpn;
        t->dirty[f] = 0;
        repl_loaded(&t->repl, f, next_use);
    }
    if (t->tlb.cap && !tlb_lookup(&t->tlb, vpn << 12)) tlb_insert(&t->tlb, vpn << 12, f << 12, TLB_RW | TLB_US, NULL);
    if (write) t->dirty[f] = 1;
}

void trace_sim_ref(trace_sim_t *t, uint32_t vpn, bool write)
{
    sim_ref(t, vpn, write, 0);
}

void trace_sim_result(const trace_sim_t *t, trace_result_t *out)
{
    *out = t->res;
    out->distinct_pages = (uint32_t)t->res.first_touches;
}

ps_result_t trace_run(const ps_alloc_t *a, const trace_refs_t *refs, uint32_t frames, trace_policy_t policy,
                      uint32_t tlb_entries, trace_result_t *out)
{
    if (!a) a = ps_default_alloc();
    memset(out, 0, sizeof *out);
    trace_sim_t *t;
    ps_result_t r = sim_new(a, frames, policy, tlb_entries, &t);
    if (r != PS_OK) return r;
    uint64_t *next = policy == TRACE_OPT ? next_uses(a, refs) : NULL;
    if (policy == TRACE_OPT && !next) {
        trace_sim_free(t);
        return PS_ENOMEM;
    }
    for (size_t i = 0; i < refs->n; i++) sim_ref(t, refs->ref[i].vpn, refs->ref[i].write, next ? next[i] : 0);
    trace_sim_result(t, out);
    ps_free(a, next, (refs->n ? refs->n : 1) * sizeof *next);
    trace_sim_free(t);
    return PS_OK;
}

ps_result_t trace_working_set(const ps_alloc_t *a, const trace_refs_t *refs, uint32_t window, uint32_t *out,
                              uint32_t npoints)
{
    if (!a) a = ps_default_alloc();
    if (!window || !npoints) return PS_EINVAL;
    uint32_t *count = ps_calloc(a, NPAGES * sizeof *count);
    if (!count) return PS_ENOMEM;
    uint32_t distinct = 0, next_point = 0;
    for (size_t i = 0; i < refs->n && next_point < npoints; i++) {
        if (count[refs->ref[i].vpn]++ == 0) distinct++;
        if (i >= window && --count[refs->ref[i - window].vpn] == 0) distinct--;
        while (next_point < npoints && i + 1 >= (refs->n * (next_point + 1)) / npoints) out[next_point++] = distinct;
    }
    while (next_point < npoints) out[next_point++] = distinct;
    ps_free(a, count, NPAGES * sizeof *count);
    return PS_OK;
}
