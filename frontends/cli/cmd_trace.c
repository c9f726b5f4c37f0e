/* pagesim trace: replay a reference trace through a replacement policy. */
#include "cli.h"
#include "pagesim/trace.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage_error(const char *msg)
{
    fprintf(stderr, "pagesim trace: %s\nusage: pagesim trace [--frames N] [--policy fifo|lru|clock|opt] "
                    "[--format lackey|refs] [--json] FILE|-\n", msg);
    return EXIT_UNUSABLE;
}

int cmd_trace(int argc, char **argv)
{
    uint32_t frames = 3;
    trace_policy_t policy = TRACE_FIFO;
    trace_format_t format = TRACE_REFS;
    bool json = false;
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--json") == 0) {
            json = true;
        } else if (strcmp(a, "--frames") == 0 && v) {
            char *end;
            unsigned long n = strtoul(v, &end, 10);
            if (*end || n == 0 || n > (1u << 20)) return usage_error("--frames takes 1..1048576");
            frames = (uint32_t)n;
            i++;
        } else if (strcmp(a, "--policy") == 0 && v) {
            if (!trace_policy_parse(v, &policy)) return usage_error("--policy takes fifo, lru, clock or opt");
            i++;
        } else if (strcmp(a, "--format") == 0 && v) {
            if (!trace_format_parse(v, &format)) return usage_error("--format takes lackey or refs");
            i++;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option");
        } else if (file) {
            return usage_error("one trace at a time");
        } else {
            file = a;
        }
    }
    if (!file) return usage_error("no trace file");
    const char *shown = strcmp(file, "-") == 0 ? "<stdin>" : file;
    size_t len;
    const char *why;
    char *text = cli_read_file(file, &len, &why);
    if (!text) {
        fprintf(stderr, "%s:1:1: error: cannot read the trace: %s\n", shown, why);
        return EXIT_UNUSABLE;
    }
    trace_refs_t refs;
    scn_error_t err;
    ps_result_t r = trace_parse(NULL, format, text, len, &refs, &err);
    free(text);
    if (r != PS_OK) {
        fprintf(stderr, "%s:%u:%u: error: %s\n", shown, err.line ? err.line : 1, err.col ? err.col : 1, err.msg);
        return EXIT_UNUSABLE;
    }
    trace_result_t res;
    r = trace_run(NULL, &refs, frames, policy, &res);
    uint64_t truncated = refs.truncated;
    trace_refs_free(&refs);
    if (r != PS_OK) {
        fprintf(stderr, "%s:1:1: error: %s\n", shown, ps_result_str(r));
        return EXIT_UNUSABLE;
    }
    static const char *const names[] = { "fifo", "clock", "lru", "opt" };
    if (json) {
        printf("{\"references\":%" PRIu64 ",\"page_faults\":%" PRIu64 ",\"pagefile_writes\":%" PRIu64
               ",\"hits\":%" PRIu64 ",\"first_touches\":%" PRIu64 ",\"frames\":%" PRIu32 ",\"policy\":\"%s\""
               ",\"truncated_addresses\":%" PRIu64 "}\n",
               res.references, res.page_faults, res.pagefile_writes, res.hits, res.first_touches, res.frames,
               names[policy], truncated);
    } else {
        printf("%" PRIu64 " references, %" PRIu32 " frames, %s: %" PRIu64 " page faults (%" PRIu64
               " first touches), %" PRIu64 " hits, %" PRIu64 " page-file writes\n",
               res.references, res.frames, names[policy], res.page_faults, res.first_touches, res.hits,
               res.pagefile_writes);
        if (truncated)
            printf("%" PRIu64 " addresses were wider than 32 bits and keep their low 32 bits\n", truncated);
    }
    return 0;
}
