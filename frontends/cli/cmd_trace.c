/* pagesim trace: replay a reference trace through a replacement policy,
 * streaming the file (FIFO, Clock, LRU, and their --sweep), or holding its
 * references (OPT, in 8 bytes each; --svg, for the working set). */
#include "cli.h"
#include "fe_file.h"
#include "fe_output.h"
#include "pagesim/trace.h"
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif

typedef struct trace_opts {
    uint32_t frames;
    uint32_t tlb;
    trace_policy_t policy;
    trace_format_t format;
    bool json;
    uint32_t sweep_lo, sweep_hi;  /* 0: no sweep                          */
    uint64_t memory_limit;        /* bytes OPT may hold; 0: what is free  */
    const char *svg;
    const char *file, *shown;
} trace_opts_t;

static const char *const policy_names[] = { "fifo", "clock", "lru", "opt" };

static int usage_error(const char *msg)
{
    fprintf(stderr, "pagesim trace: %s\nusage: pagesim trace [--frames N] [--policy fifo|lru|clock|opt] "
                    "[--format lackey|refs] [--tlb N] [--sweep A..B] [--svg FILE] [--memory-limit SIZE] "
                    "[--json] FILE|-\n", msg);
    return EXIT_UNUSABLE;
}

/* "512M": bytes, with K, M or G (powers of 1024) after the number. */
static bool parse_size(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    unsigned shift = 0;
    if (*end == 'K' || *end == 'k') shift = 10;
    else if (*end == 'M' || *end == 'm') shift = 20;
    else if (*end == 'G' || *end == 'g') shift = 30;
    if (shift) end++;
    if (end == s || *end || errno || s[0] == '-' || n == 0 || n > (UINT64_MAX >> 30)) return false;
    *out = (uint64_t)n << shift;
    return true;
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
        } else if (strcmp(a, "--memory-limit") == 0 && v) {
            if (!parse_size(v, &o->memory_limit))
                return usage_error("--memory-limit takes a size in bytes, K, M or G after it (512M)");
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
/* The trace is read this many bytes at a time; more than two lines. */
#define PIECE_BYTES (1u << 20)
/* --svg holds every reference (8 bytes each) for the working set: an
 * endless input stops here. */
#define HELD_MAX ((size_t)1 << 27)
/* The fewest bytes of a trace that make one reference: "1\n" in refs,
 * half of "L ffe,8\n" (two pages) in lackey. */
#define REFS_MIN_BYTES 2u
#define LACKEY_MIN_BYTES 4u

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

/* The end of the last whole line in buf[0, n), or 0. */
static size_t last_line_end(const char *buf, size_t n)
{
    while (n > 0 && buf[n - 1] != '\n') n--;
    return n;
}

/* The whole trace through batch, a piece of whole lines at a time: memory
 * is one piece, whatever the file's length; it stops early once *stop (when
 * not NULL) is set. EXIT_RAN with *truncated, or EXIT_UNUSABLE when it
 * cannot be read or parsed (said on stderr: no reference counts then). */
static int read_trace(const trace_opts_t *o, trace_batch_fn batch, void *ud, uint64_t *truncated, const bool *stop)
{
    FILE *f = open_trace(o);
    if (!f) return EXIT_UNUSABLE;
    char *buf = malloc(PIECE_BYTES);
    int status = buf ? EXIT_RAN : trace_error(o->shown, 1, 1, "out of memory");
    trace_cursor_t c;
    trace_cursor_init(&c, o->format, LINE_MAX_BYTES);
    size_t have = 0;
    for (bool eof = false; status == EXIT_RAN && !eof && !(stop && *stop);) {
        errno = 0;
        size_t want = PIECE_BYTES - have, got = fread(buf + have, 1, want, f);
        if (got < want && ferror(f)) {
            status = read_failed(o, errno, c.line);
            break;
        }
        eof = got < want;
        have += got;
        size_t cut = eof ? have : last_line_end(buf, have);
        scn_error_t err;
        if (trace_feed(&c, buf, cut, batch, ud, &err) != PS_OK) {
            status = trace_error(o->shown, err.line, err.col, err.msg);
        } else if (have - cut > LINE_MAX_BYTES) {
            char msg[64];
            snprintf(msg, sizeof msg, "line longer than %u bytes", LINE_MAX_BYTES);
            status = trace_error(o->shown, c.line, LINE_MAX_BYTES + 1, msg);
        }
        memmove(buf, buf + cut, have - cut);
        have -= cut;
    }
    if (f != stdin) fclose(f);
    free(buf);
    *truncated = c.truncated;
    return status;
}

/* The references of a trace held for --svg, in an array of this file's
 * own (malloc, free: not trace_refs_free). */
typedef struct held {
    trace_refs_t refs;
    bool full, failed;
} held_t;

static void held_add(held_t *h, const uint32_t *refs, size_t n)
{
    for (size_t i = 0; i < n && !h->full && !h->failed; i++) {
        if (h->refs.n == h->refs.cap) {
            size_t ncap = h->refs.cap ? h->refs.cap * 2 : 4096;
            if (ncap > HELD_MAX) ncap = HELD_MAX;
            if (h->refs.n == ncap) {
                h->full = true;
                return;
            }
            trace_ref_t *p = realloc(h->refs.ref, ncap * sizeof *p);
            if (!p) {
                h->failed = true;
                return;
            }
            h->refs.ref = p;
            h->refs.cap = ncap;
        }
        h->refs.ref[h->refs.n].vpn = TRACE_REF_VPN(refs[i]);
        h->refs.ref[h->refs.n].write = TRACE_REF_WRITE(refs[i]);
        h->refs.n++;
    }
}

/* Where the references go, a batch at a time: each consumer not NULL. */
typedef struct sink {
    trace_sim_t *sim;
    trace_sweep_t *sweep;
    trace_opt_t *opt;
    held_t *held;
    uint64_t count;
    bool stop;               /* reading further is no use                  */
} sink_t;

static void sink_batch(void *ud, const uint32_t *refs, size_t n)
{
    sink_t *k = ud;
    k->count += n;
    if (k->sim) trace_sim_refs(k->sim, refs, n);
    if (k->sweep) trace_sweep_refs(k->sweep, refs, n);
    if (k->opt && trace_opt_add(k->opt, refs, n) != PS_OK) k->stop = true;
    if (k->held) {
        held_add(k->held, refs, n);
        if (k->held->full || k->held->failed) k->stop = true;
    }
}

/* EXIT_RAN, or the error said when --svg could not hold the trace. */
static int held_status(const trace_opts_t *o, const held_t *h)
{
    if (h->failed) return trace_error(o->shown, 1, 1, "out of memory");
    if (h->full) {
        char msg[160];
        snprintf(msg, sizeof msg, "more than %zu references: --svg holds the whole trace "
                 "(without it, FIFO, LRU and Clock stream a trace of any length)", HELD_MAX);
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

/* The counts: one result, or a fault count for each number of frames. */
static void print_counts(const trace_opts_t *o, const trace_result_t *one, const uint64_t *faults, uint64_t truncated)
{
    if (!o->sweep_lo) {
        print_result(o, one, truncated);
        return;
    }
    for (uint32_t f = o->sweep_lo; f <= o->sweep_hi; f++) {
        uint64_t n = faults[f - o->sweep_lo];
        if (o->json) printf("{\"frames\":%u,\"page_faults\":%" PRIu64 ",\"policy\":\"%s\"}\n", f, n,
                            policy_names[o->policy]);
        else printf("%4u frames: %" PRIu64 " page faults\n", f, n);
    }
}

/* The SVG (when asked for), then the counts. */
static int finish(const trace_opts_t *o, const held_t *h, const trace_result_t *one, const uint64_t *faults,
                  uint64_t truncated)
{
    if (o->svg) {
        uint32_t lo = o->sweep_lo ? o->sweep_lo : o->frames, hi = o->sweep_lo ? o->sweep_hi : o->frames;
        uint32_t n = hi - lo + 1, *frames = malloc(n * sizeof *frames);
        if (!frames) return trace_error(o->shown, 1, 1, "out of memory");
        for (uint32_t i = 0; i < n; i++) frames[i] = lo + i;
        int status = write_svg(o, &h->refs, frames, o->sweep_lo ? faults : &one->page_faults, n);
        free(frames);
        if (status != EXIT_RAN) return status;
    }
    print_counts(o, one, faults, truncated);
    return EXIT_RAN;
}

/* FIFO, Clock, LRU: the trace streamed through one machine, or through a
 * sweep (every count in one pass). */
static int run_streaming(const trace_opts_t *o)
{
    sink_t k;
    held_t h;
    memset(&k, 0, sizeof k);
    memset(&h, 0, sizeof h);
    uint32_t n = o->sweep_lo ? o->sweep_hi - o->sweep_lo + 1 : 1;
    uint64_t *faults = calloc(n, sizeof *faults);
    ps_result_t r = !faults ? PS_ENOMEM
                    : o->sweep_lo ? trace_sweep_new(NULL, o->policy, o->sweep_lo, o->sweep_hi, &k.sweep)
                                  : trace_sim_new(NULL, o->frames, o->policy, o->tlb, &k.sim);
    if (o->svg) k.held = &h;
    uint64_t truncated = 0;
    int status = r == PS_OK ? read_trace(o, sink_batch, &k, &truncated, &k.stop)
                            : trace_error(o->shown, 1, 1, "out of memory");
    if (status == EXIT_RAN) status = held_status(o, &h);
    trace_result_t one;
    memset(&one, 0, sizeof one);
    if (status == EXIT_RAN && (k.sweep ? trace_sweep_faults(k.sweep, faults) : trace_sim_result(k.sim, &one)) != PS_OK)
        status = trace_error(o->shown, 1, 1, "out of memory");
    if (status == EXIT_RAN) status = finish(o, &h, &one, faults, truncated);
    trace_sim_free(k.sim);
    trace_sweep_free(k.sweep);
    free(faults);
    free(h.refs.ref);
    return status;
}

/* The bytes of memory OPT may hold: --memory-limit, else the memory the
 * system has available (Linux: MemAvailable), else half of it all, else
 * 1 GB. */
static uint64_t memory_limit(const trace_opts_t *o)
{
    if (o->memory_limit) return o->memory_limit;
    FILE *f = fopen("/proc/meminfo", "r");
    unsigned long long kb = 0;
    if (f) {
        char line[128];
        while (fgets(line, sizeof line, f))
            if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1) break;
        fclose(f);
        if (kb) return (uint64_t)kb << 10;
    }
#if defined(_SC_PHYS_PAGES) && defined(_SC_PAGESIZE)
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    if (pages > 0 && size > 0) return (uint64_t)pages * (uint64_t)size / 2;
#endif
    return (uint64_t)1 << 30;
}

/* The most references the file can hold (from its size), or UINT64_MAX
 * when it is not a regular file (a pipe cannot be read twice). */
static uint64_t refs_bound(const trace_opts_t *o)
{
    struct stat st;
    if (from_stdin(o) || stat(o->file, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0) return UINT64_MAX;
    return (uint64_t)st.st_size / (o->format == TRACE_LACKEY ? LACKEY_MIN_BYTES : REFS_MIN_BYTES) + 1;
}

static int opt_refused(const trace_opts_t *o, uint64_t refs, bool more, uint64_t limit)
{
    char msg[320], size[32];
    if (limit >= (1u << 20)) snprintf(size, sizeof size, "%" PRIu64 " MB", limit >> 20);
    else snprintf(size, sizeof size, "%" PRIu64 " KB", limit >> 10);
    snprintf(msg, sizeof msg, "%s%" PRIu64 " references: OPT holds the whole trace in %u bytes a reference, more "
             "than the %s it may take (--memory-limit; FIFO, LRU and Clock stream a trace of any length)",
             more ? "more than " : "", refs, TRACE_OPT_BYTES, size);
    return trace_error(o->shown, 1, 1, msg);
}

/* OPT: the trace held in 8 bytes a reference, within the memory limit;
 * when the file's size allows more references than that, they are counted
 * first, and a trace too long is refused before any of it is held. */
static int run_opt(const trace_opts_t *o)
{
    uint64_t limit = memory_limit(o), max = limit / TRACE_OPT_BYTES, truncated = 0;
    if (max > TRACE_OPT_MAX) max = TRACE_OPT_MAX;
    sink_t k;
    held_t h;
    memset(&k, 0, sizeof k);
    memset(&h, 0, sizeof h);
    int status = EXIT_RAN;
    uint64_t bound = refs_bound(o);
    if (bound != UINT64_MAX && bound > max) {
        status = read_trace(o, sink_batch, &k, &truncated, NULL);
        if (status == EXIT_RAN && k.count > max) return opt_refused(o, k.count, false, limit);
        if (status == EXIT_RAN) max = k.count;
        k.count = 0;
    }
    uint32_t lo = o->sweep_lo ? o->sweep_lo : o->frames, hi = o->sweep_lo ? o->sweep_hi : o->frames;
    trace_result_t *res = status == EXIT_RAN ? calloc(hi - lo + 1, sizeof *res) : NULL;
    uint64_t *faults = res ? calloc(hi - lo + 1, sizeof *faults) : NULL;
    if (status == EXIT_RAN && (!faults || trace_opt_new(NULL, max, &k.opt) != PS_OK))
        status = trace_error(o->shown, 1, 1, "out of memory");
    if (o->svg) k.held = &h;
    if (status == EXIT_RAN) status = read_trace(o, sink_batch, &k, &truncated, &k.stop);
    if (status == EXIT_RAN) status = held_status(o, &h);
    ps_result_t r = k.opt ? trace_opt_add(k.opt, NULL, 0) : PS_OK;
    if (status == EXIT_RAN && r != PS_OK)
        status = r == PS_ERANGE ? opt_refused(o, max, true, limit) : trace_error(o->shown, 1, 1, "out of memory");
    for (uint32_t f = lo; status == EXIT_RAN && f <= hi; f++) {
        if (trace_opt_run(k.opt, f, o->tlb, &res[f - lo]) != PS_OK) status = trace_error(o->shown, 1, 1, "out of memory");
        faults[f - lo] = res[f - lo].page_faults;
    }
    if (status == EXIT_RAN) status = finish(o, &h, &res[0], faults, truncated);
    trace_opt_free(k.opt);
    free(res);
    free(faults);
    free(h.refs.ref);
    return status;
}

int cmd_trace(int argc, char **argv)
{
    trace_opts_t o;
    int rc = parse_args(argc, argv, &o);
    if (rc) return rc;
    return o.policy == TRACE_OPT ? run_opt(&o) : run_streaming(&o);
}
