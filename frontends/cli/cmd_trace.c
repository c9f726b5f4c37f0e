/* pagesim trace: replay a reference trace through a replacement policy,
 * streaming the file (FIFO, Clock, LRU), or holding it (OPT, --sweep). */
#include "cli.h"
#include "fe_file.h"
#include "pagesim/trace.h"
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

static int trace_error(const char *shown, const scn_error_t *err)
{
    fprintf(stderr, "%s:%u:%u: error: %s\n", shown, err->line ? err->line : 1, err->col ? err->col : 1, err->msg);
    return EXIT_UNUSABLE;
}

static void sim_emit(void *ud, uint32_t vpn, bool write)
{
    trace_sim_ref(ud, vpn, write);
}

/* FIFO, Clock, LRU: the file in 1 MB pieces, cut at line ends. */
static int run_streaming(const trace_opts_t *o)
{
    FILE *f = strcmp(o->file, "-") == 0 ? stdin : fopen(o->file, "rb");
    if (!f) {
        fprintf(stderr, "%s:1:1: error: cannot read the trace\n", o->shown);
        return EXIT_UNUSABLE;
    }
    trace_sim_t *sim;
    if (trace_sim_new(NULL, o->frames, o->policy, o->tlb, &sim) != PS_OK) {
        if (f != stdin) fclose(f);
        fprintf(stderr, "%s:1:1: error: out of memory\n", o->shown);
        return EXIT_UNUSABLE;
    }
    size_t cap = 1u << 20, have = 0;
    char *buf = malloc(cap);
    uint32_t line = 1;
    uint64_t truncated = 0;
    scn_error_t err;
    int status = EXIT_RAN;
    bool eof = false;
    while (buf && !eof) {
        size_t got = fread(buf + have, 1, cap - have, f);
        have += got;
        eof = got == 0 || feof(f);
        size_t cut = have;
        if (!eof) {
            while (cut > 0 && buf[cut - 1] != '\n') cut--;
            if (cut == 0) { /* a line longer than the buffer: grow it */
                char *nb = realloc(buf, cap * 2);
                if (!nb) break;
                buf = nb;
                cap *= 2;
                continue;
            }
        }
        if (trace_parse_lines(o->format, buf, cut, line, sim_emit, sim, &truncated, &err) != PS_OK) {
            status = trace_error(o->shown, &err);
            break;
        }
        for (size_t i = 0; i < cut; i++) line += buf[i] == '\n';
        memmove(buf, buf + cut, have - cut);
        have -= cut;
    }
    if (f != stdin) fclose(f);
    if (!buf) {
        fprintf(stderr, "%s:1:1: error: out of memory\n", o->shown);
        status = EXIT_UNUSABLE;
    }
    if (status == EXIT_RAN) {
        trace_result_t r;
        trace_sim_result(sim, &r);
        print_result(o, &r, truncated);
    }
    free(buf);
    trace_sim_free(sim);
    return status;
}

static void write_svg(const char *path, const uint32_t *frames, const uint64_t *faults, uint32_t n,
                      const uint32_t *ws, uint32_t nws, const char *policy)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "pagesim trace: cannot write %s\n", path);
        return;
    }
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
    fclose(f);
}

/* OPT and sweeps: the whole trace in memory. */
static int run_held(const trace_opts_t *o)
{
    size_t len;
    const char *why;
    char *text = fe_read_file(o->file, &len, &why);
    if (!text) {
        fprintf(stderr, "%s:1:1: error: cannot read the trace: %s\n", o->shown, why);
        return EXIT_UNUSABLE;
    }
    trace_refs_t refs;
    scn_error_t err;
    ps_result_t r = trace_parse(NULL, o->format, text, len, &refs, &err);
    free(text);
    if (r != PS_OK) return trace_error(o->shown, &err);
    uint32_t lo = o->sweep_lo ? o->sweep_lo : o->frames, hi = o->sweep_lo ? o->sweep_hi : o->frames;
    uint32_t n = hi - lo + 1;
    uint32_t *frames = malloc(n * sizeof *frames);
    uint64_t *faults = malloc(n * sizeof *faults);
    int status = EXIT_RAN;
    for (uint32_t i = 0; frames && faults && i < n; i++) {
        trace_result_t res;
        if (trace_run(NULL, &refs, lo + i, o->policy, o->tlb, &res) != PS_OK) {
            fprintf(stderr, "%s:1:1: error: out of memory\n", o->shown);
            status = EXIT_UNUSABLE;
            break;
        }
        frames[i] = lo + i;
        faults[i] = res.page_faults;
        if (!o->sweep_lo) print_result(o, &res, refs.truncated);
        else if (o->json) printf("{\"frames\":%u,\"page_faults\":%" PRIu64 ",\"policy\":\"%s\"}\n", lo + i,
                                 res.page_faults, policy_names[o->policy]);
        else printf("%4u frames: %" PRIu64 " page faults\n", lo + i, res.page_faults);
    }
    if (status == EXIT_RAN && o->svg && frames && faults) {
        uint32_t ws[200];
        uint32_t window = refs.n / 50 > 10 ? (uint32_t)(refs.n / 50) : 10;
        if (trace_working_set(NULL, &refs, window, ws, 200) == PS_OK)
            write_svg(o->svg, frames, faults, n, ws, 200, policy_names[o->policy]);
    }
    free(frames);
    free(faults);
    trace_refs_free(&refs);
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
