/* pagesim trace: replay a reference trace through a replacement policy,
 * streaming the file (FIFO, Clock, LRU), or holding its references (OPT,
 * --sweep, --svg). */
#include "cli.h"
#include "fe_file.h"
#include "fe_output.h"
#include "pagesim/trace.h"
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct trace_opts {
    uint32_t frames;
    uint32_t tlb;
    trace_policy_t policy;
    trace_format_t format;
    bool json;
    uint32_t sweep_lo, sweep_hi;  /* 0: no sweep                          */
    const char *svg;
    const char *file, *shown;
} trace_opts_t;

static const char *const policy_names[] = { "fifo", "clock", "lru", "opt" };

static int usage_error(const char *msg)
{
    fprintf(stderr, "pagesim trace: %s\nusage: pagesim trace [--frames N] [--policy fifo|lru|clock|opt] "
                    "[--format lackey|refs] [--tlb N] [--sweep A..B] [--svg FILE] [--json] FILE|-\n", msg);
    return EXIT_UNUSABLE;
}

static int parse_args(int argc, char **argv, trace_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->frames = 3;
    o->tlb = 64;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--json") == 0) {
            o->json = true;
        } else if (strcmp(a, "--frames") == 0 && v) {
            char *end;
            unsigned long n = strtoul(v, &end, 10);
            if (*end || n == 0 || n > (1u << 20)) return usage_error("--frames takes 1..1048576");
            o->frames = (uint32_t)n;
            i++;
        } else if (strcmp(a, "--tlb") == 0 && v) {
            char *end;
            unsigned long n = strtoul(v, &end, 10);
            if (*end || n > 65536) return usage_error("--tlb takes 0..65536 entries");
            o->tlb = (uint32_t)n;
            i++;
        } else if (strcmp(a, "--policy") == 0 && v) {
            if (!trace_policy_parse(v, &o->policy)) return usage_error("--policy takes fifo, lru, clock or opt");
            i++;
        } else if (strcmp(a, "--format") == 0 && v) {
            if (!trace_format_parse(v, &o->format)) return usage_error("--format takes lackey or refs");
            i++;
        } else if (strcmp(a, "--sweep") == 0 && v) {
            unsigned lo, hi;
            char tail;
            if (sscanf(v, "%u..%u%c", &lo, &hi, &tail) != 2 || lo == 0 || hi < lo || hi > 4096)
                return usage_error("--sweep takes A..B with 1 <= A <= B <= 4096");
            o->sweep_lo = lo;
            o->sweep_hi = hi;
            i++;
        } else if (strcmp(a, "--svg") == 0 && v) {
            o->svg = v;
            i++;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option");
        } else if (o->file) {
            return usage_error("one trace at a time");
        } else {
            o->file = a;
        }
    }
    if (!o->file) return usage_error("no trace file");
    o->shown = strcmp(o->file, "-") == 0 ? "<stdin>" : o->file;
    return 0;
}

static void print_result(const trace_opts_t *o, const trace_result_t *r, uint64_t truncated)
{
    if (o->json) {
        printf("{\"references\":%" PRIu64 ",\"page_faults\":%" PRIu64 ",\"pagefile_writes\":%" PRIu64
               ",\"hits\":%" PRIu64 ",\"first_touches\":%" PRIu64 ",\"frames\":%" PRIu32 ",\"policy\":\"%s\""
               ",\"truncated_addresses\":%" PRIu64 ",\"tlb_entries\":%" PRIu32 ",\"tlb_hits\":%" PRIu64
               ",\"tlb_hit_rate\":%.4f}\n",
               r->references, r->page_faults, r->pagefile_writes, r->hits, r->first_touches, r->frames,
               policy_names[o->policy], truncated, r->tlb_entries, r->tlb_hits,
               r->references ? (double)r->tlb_hits / (double)r->references : 0.0);
        return;
    }
    printf("%" PRIu64 " references, %" PRIu32 " frames, %s: %" PRIu64 " page faults (%" PRIu64 " first touches), %" PRIu64
           " hits, %" PRIu64 " page-file writes\n", r->references, r->frames, policy_names[o->policy], r->page_faults,
           r->first_touches, r->hits, r->pagefile_writes);
    if (r->tlb_entries)
        printf("TLB of %" PRIu32 " entries: %" PRIu64 " hits, hit rate %.2f%%\n", r->tlb_entries, r->tlb_hits,
               r->references ? 100.0 * (double)r->tlb_hits / (double)r->references : 0.0);
    if (truncated) printf("%" PRIu64 " addresses were wider than 32 bits and keep their low 32 bits\n", truncated);
}

/* Trace lines longer than this are refused (lackey lines are short, and a
 * refs line of this many bytes holds thousands of references), so that a
 * file without newlines never fills memory. */
#define LINE_MAX_BYTES 65536u
/* The trace is read this many bytes at a time; more than a line. */
#define PIECE_BYTES (1u << 20)
/* OPT, --sweep and --svg hold every reference (8 bytes each, and OPT as
 * much again for each one's next use): an endless input stops here. */
#define HELD_MAX ((size_t)1 << 27)

static int trace_error(const char *shown, unsigned line, unsigned col, const char *msg)
{
    fe_error_line(shown, line, col, msg);
    return EXIT_UNUSABLE;
}

static bool from_stdin(const trace_opts_t *o)
{
    return strcmp(o->file, "-") == 0;
}

/* The trace file opened, or NULL (said on stderr). */
static FILE *open_trace(const trace_opts_t *o)
{
    if (from_stdin(o)) return stdin;
    FILE *f = fopen(o->file, "rb");
    if (!f) {
        char msg[256];
        snprintf(msg, sizeof msg, "cannot read the trace: %s", strerror(errno));
        trace_error(o->shown, 1, 1, msg);
    }
    return f;
}

static int read_failed(const trace_opts_t *o, int e, unsigned line)
{
    char msg[256];
    snprintf(msg, sizeof msg, "cannot read the trace: %s", fe_read_error(e, from_stdin(o)));
    return trace_error(o->shown, line, 1, msg);
}

/* Counts the lines of the n bytes at s into *line, and the bytes of the
 * line read so far into *len; EXIT_UNUSABLE (said) at a line too long. */
static int count_lines(const trace_opts_t *o, const char *s, size_t n, uint32_t *line, size_t *len)
{
    for (const char *end = s + n; s < end;) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        *len += (size_t)((nl ? nl : end) - s);
        if (*len > LINE_MAX_BYTES) {
            char msg[64];
            snprintf(msg, sizeof msg, "line longer than %u bytes", LINE_MAX_BYTES);
            return trace_error(o->shown, *line, LINE_MAX_BYTES + 1, msg);
        }
        if (!nl) break;
        *len = 0;
        (*line)++;
        s = nl + 1;
    }
    return EXIT_RAN;
}

/* The end of the last whole line in buf[0, n), or 0. */
static size_t last_line_end(const char *buf, size_t n)
{
    while (n > 0 && buf[n - 1] != '\n') n--;
    return n;
}

/* The whole trace through emit, a piece of whole lines at a time: memory
 * is one piece, whatever the file's length; it stops early once *stop (when
 * not NULL) is set. EXIT_RAN, or EXIT_UNUSABLE when it cannot be read or
 * parsed (said on stderr: no reference counts then). */
static int read_trace(const trace_opts_t *o, trace_emit_fn emit, void *ud, uint64_t *truncated, const bool *stop)
{
    FILE *f = open_trace(o);
    if (!f) return EXIT_UNUSABLE;
    char *buf = malloc(PIECE_BYTES);
    int status = buf ? EXIT_RAN : trace_error(o->shown, 1, 1, "out of memory");
    size_t have = 0, len = 0;
    uint32_t first = 1, line = 1; /* the lines of buf[0] and of the next byte read */
    for (bool eof = false; status == EXIT_RAN && !eof && !(stop && *stop);) {
        errno = 0;
        size_t want = PIECE_BYTES - have, got = fread(buf + have, 1, want, f);
        if (got < want && ferror(f)) {
            status = read_failed(o, errno, line);
            break;
        }
        eof = got < want;
        status = count_lines(o, buf + have, got, &line, &len);
        have += got;
        size_t cut = eof ? have : last_line_end(buf, have);
        scn_error_t err;
        if (status == EXIT_RAN && trace_parse_lines(o->format, buf, cut, first, emit, ud, truncated, &err) != PS_OK)
            status = trace_error(o->shown, err.line, err.col, err.msg);
        memmove(buf, buf + cut, have - cut);
        have -= cut;
        first = line;
    }
    if (f != stdin) fclose(f);
    free(buf);
    return status;
}

static void sim_emit(void *ud, uint32_t vpn, bool write)
{
    trace_sim_ref(ud, vpn, write);
}

/* FIFO, Clock, LRU: the trace streamed through the policy. */
static int run_streaming(const trace_opts_t *o)
{
    trace_sim_t *sim;
    if (trace_sim_new(NULL, o->frames, o->policy, o->tlb, &sim) != PS_OK)
        return trace_error(o->shown, 1, 1, "out of memory");
    uint64_t truncated = 0;
    int status = read_trace(o, sim_emit, sim, &truncated, NULL);
    if (status == EXIT_RAN) {
        trace_result_t r;
        trace_sim_result(sim, &r);
        print_result(o, &r, truncated);
    }
    trace_sim_free(sim);
    return status;
}

/* The references of a held trace, in an array of this file's own (malloc,
 * free: not trace_refs_free). */
typedef struct held {
    trace_refs_t refs;
    bool full, failed;
    bool stop;               /* full or failed: reading further is no use   */
} held_t;

static void held_emit(void *ud, uint32_t vpn, bool write)
{
    held_t *h = ud;
    if (h->stop) return;
    if (h->refs.n == h->refs.cap) {
        size_t ncap = h->refs.cap ? h->refs.cap * 2 : 4096;
        if (ncap > HELD_MAX) ncap = HELD_MAX;
        if (h->refs.n == ncap) {
            h->full = h->stop = true;
            return;
        }
        trace_ref_t *p = realloc(h->refs.ref, ncap * sizeof *p);
        if (!p) {
            h->failed = h->stop = true;
            return;
        }
        h->refs.ref = p;
        h->refs.cap = ncap;
    }
    h->refs.ref[h->refs.n].vpn = vpn;
    h->refs.ref[h->refs.n].write = write;
    h->refs.n++;
}

/* The whole trace into h; EXIT_UNUSABLE (said) when it cannot be. */
static int hold_trace(const trace_opts_t *o, held_t *h)
{
    memset(h, 0, sizeof *h);
    int status = read_trace(o, held_emit, h, &h->refs.truncated, &h->stop);
    if (status != EXIT_RAN) return status;
    if (h->failed) return trace_error(o->shown, 1, 1, "out of memory");
    if (h->full) {
        char msg[160];
        snprintf(msg, sizeof msg, "more than %zu references: OPT, --sweep and --svg hold the whole trace "
                 "(FIFO, LRU and Clock stream a trace of any length)", HELD_MAX);
        return trace_error(o->shown, 1, 1, msg);
    }
    return EXIT_RAN;
}

static void svg_plot(FILE *f, const uint32_t *frames, const uint64_t *faults, uint32_t n, const uint32_t *ws,
                     uint32_t nws, const char *policy)
{
    uint64_t maxf = 1;
    for (uint32_t i = 0; i < n; i++) if (faults[i] > maxf) maxf = faults[i];
    uint32_t maxw = 1;
    for (uint32_t i = 0; i < nws; i++) if (ws[i] > maxw) maxw = ws[i];
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"560\" font-family=\"sans-serif\" "
               "font-size=\"12\">\n<rect width=\"640\" height=\"560\" fill=\"white\"/>\n");
    fprintf(f, "<text x=\"60\" y=\"20\">page faults by frames (%s)</text>\n", policy);
    fprintf(f, "<line x1=\"60\" y1=\"250\" x2=\"620\" y2=\"250\" stroke=\"black\"/><line x1=\"60\" y1=\"30\" x2=\"60\" "
               "y2=\"250\" stroke=\"black\"/>\n<text x=\"0\" y=\"40\">%" PRIu64 "</text><text x=\"60\" y=\"265\">%u"
               "</text><text x=\"590\" y=\"265\">%u</text>\n", maxf, frames[0], frames[n - 1]);
    fprintf(f, "<polyline fill=\"none\" stroke=\"#c0392b\" stroke-width=\"2\" points=\"");
    for (uint32_t i = 0; i < n; i++)
        fprintf(f, "%.1f,%.1f ", 60.0 + 560.0 * (n > 1 ? (double)i / (n - 1) : 0), 250.0 - 220.0 * (double)faults[i] / (double)maxf);
    fprintf(f, "\"/>\n<text x=\"60\" y=\"300\">working-set size W(t, window) over the trace</text>\n");
    fprintf(f, "<line x1=\"60\" y1=\"530\" x2=\"620\" y2=\"530\" stroke=\"black\"/><line x1=\"60\" y1=\"310\" x2=\"60\" "
               "y2=\"530\" stroke=\"black\"/>\n<text x=\"0\" y=\"320\">%u</text>\n", maxw);
    fprintf(f, "<polyline fill=\"none\" stroke=\"#2471a3\" stroke-width=\"2\" points=\"");
    for (uint32_t i = 0; i < nws; i++)
        fprintf(f, "%.1f,%.1f ", 60.0 + 560.0 * (nws > 1 ? (double)i / (nws - 1) : 0), 530.0 - 220.0 * ws[i] / (double)maxw);
    fprintf(f, "\"/>\n</svg>\n");
}

/* The fault curve and the working set as an SVG file at o->svg;
 * EXIT_UNUSABLE (said, the file removed) when it cannot be written. */
static int write_svg(const trace_opts_t *o, const trace_refs_t *refs, const uint32_t *frames, const uint64_t *faults,
                     uint32_t n)
{
    uint32_t ws[200];
    uint32_t window = refs->n / 50 > 10 ? (uint32_t)(refs->n / 50) : 10;
    if (trace_working_set(NULL, refs, window, ws, 200) != PS_OK) return trace_error(o->shown, 1, 1, "out of memory");
    errno = 0;
    FILE *f = fopen(o->svg, "w");
    int e = errno;
    if (f) {
        svg_plot(f, frames, faults, n, ws, 200, policy_names[o->policy]);
        errno = 0;
        bool bad = ferror(f) != 0;
        e = errno;
        if (fclose(f) != 0 && !bad) e = errno, bad = true;
        if (!bad) return EXIT_RAN;
        fe_remove_partial(o->svg);
    }
    fe_errorf("pagesim trace: cannot write %s: %s", o->svg, e ? strerror(e) : "write error");
    return EXIT_UNUSABLE;
}

/* OPT and sweeps: every reference held, each number of frames replayed,
 * the SVG written, and only then anything printed. */
static int run_held(const trace_opts_t *o)
{
    held_t h;
    int status = hold_trace(o, &h);
    uint32_t lo = o->sweep_lo ? o->sweep_lo : o->frames, hi = o->sweep_lo ? o->sweep_hi : o->frames;
    uint32_t n = hi - lo + 1;
    trace_result_t *res = status == EXIT_RAN ? malloc(n * sizeof *res) : NULL;
    uint32_t *frames = res ? malloc(n * sizeof *frames) : NULL;
    uint64_t *faults = frames ? malloc(n * sizeof *faults) : NULL;
    if (status == EXIT_RAN && !faults) status = trace_error(o->shown, 1, 1, "out of memory");
    for (uint32_t i = 0; status == EXIT_RAN && i < n; i++) {
        if (trace_run(NULL, &h.refs, lo + i, o->policy, o->tlb, &res[i]) != PS_OK)
            status = trace_error(o->shown, 1, 1, "out of memory");
        frames[i] = lo + i;
        faults[i] = res[i].page_faults;
    }
    if (status == EXIT_RAN && o->svg) status = write_svg(o, &h.refs, frames, faults, n);
    for (uint32_t i = 0; status == EXIT_RAN && i < n; i++) {
        if (!o->sweep_lo) print_result(o, &res[i], h.refs.truncated);
        else if (o->json) printf("{\"frames\":%u,\"page_faults\":%" PRIu64 ",\"policy\":\"%s\"}\n", lo + i,
                                 res[i].page_faults, policy_names[o->policy]);
        else printf("%4u frames: %" PRIu64 " page faults\n", lo + i, res[i].page_faults);
    }
    free(res);
    free(frames);
    free(faults);
    free(h.refs.ref);
    return status;
}

int cmd_trace(int argc, char **argv)
{
    trace_opts_t o;
    int rc = parse_args(argc, argv, &o);
    if (rc) return rc;
    if (o.policy == TRACE_OPT || o.sweep_lo || o.svg) return run_held(&o);
    return run_streaming(&o);
}
