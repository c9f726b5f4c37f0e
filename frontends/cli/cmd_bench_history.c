/* pagesim bench history: what stepping through a long scenario costs the
 * front ends. Runs FILE to the end through the history (as pagesim-tui's
 * `e` does), steps back from many places (as `b` does), and runs the same
 * file straight through as pagesim run does; prints the peak memory of the
 * process, the median step back, and the two run times with their ratio.
 * Medians of several runs; the command that reproduces the figures last. */
#include "cli.h"
#include "fe_file.h"
#include "pagesim/format.h"
#include "pagesim/history.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#include <windows.h>
#include <psapi.h>
#else
#include <sys/resource.h>
#endif

/* Peak resident memory of this process, in MB. */
static double peak_mb(void)
{
#ifdef _WIN32
    PROCESS_MEMORY_COUNTERS pmc;
    if (!GetProcessMemoryInfo(GetCurrentProcess(), &pmc, sizeof pmc)) return 0;
    return (double)pmc.PeakWorkingSetSize / 1048576.0;
#else
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
    return (double)ru.ru_maxrss / 1024.0; /* KB on Linux */
#endif
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof v[0], cmp_double);
    return v[n / 2];
}

/* The scenario run straight through, formatted as pagesim run does. */
static double straight_run(const char *text, size_t len)
{
    double t0 = cli_now();
    scn_script_t *s;
    scn_error_t err;
    if (scn_parse(NULL, text, len, &s, &err) != PS_OK) return -1;
    scn_runner_t *r;
    if (scn_runner_new(NULL, s, &r) != PS_OK) {
        scn_script_free(s);
        return -1;
    }
    strbuf_t out;
    strbuf_init(&out, NULL);
    scn_result_t res;
    while (scn_step(r, &res, &err) == SCN_STEP_OK) {
        strbuf_clear(&out);
        scn_format_text(&out, s, &res);
    }
    strbuf_fini(&out);
    scn_runner_free(r);
    scn_script_free(s);
    return cli_now() - t0;
}

int cmd_bench_history(int argc, char **argv)
{
    int runs = 5, backs = 200;
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--backs") == 0 && i + 1 < argc) backs = atoi(argv[++i]);
        else if (argv[i][0] == '-' || file) {
            fprintf(stderr, "usage: pagesim bench history [--runs N] [--backs N] FILE\n");
            return EXIT_UNUSABLE;
        } else {
            file = argv[i];
        }
    }
    if (!file || runs < 1 || runs > 99 || backs < 1 || backs > 100000) {
        fprintf(stderr, "usage: pagesim bench history [--runs 1..99] [--backs 1..100000] FILE\n");
        return EXIT_UNUSABLE;
    }
    size_t len;
    const char *why;
    char *text = fe_read_file(file, &len, &why);
    if (!text) {
        fprintf(stderr, "pagesim bench history: %s: %s\n", file, why);
        return EXIT_UNUSABLE;
    }
    double to_end[99], straight[99], *back = malloc((size_t)backs * sizeof *back);
    size_t count = 0;
    int status = back ? 0 : EXIT_UNUSABLE;
    for (int r = 0; r < runs && !status; r++) {
        scn_history_t *h;
        scn_error_t err;
        if (scn_history_open(NULL, text, len, &h, &err) != PS_OK) {
            fprintf(stderr, "%s:%u:%u: error: %s\n", file, err.line, err.col, err.msg);
            status = EXIT_UNUSABLE;
            break;
        }
        count = scn_history_count(h);
        double t0 = cli_now();
        scn_history_run_to(h, count);
        to_end[r] = cli_now() - t0;
        if (scn_history_error(h)[0]) {
            fprintf(stderr, "pagesim bench history: %s: %s\n", file, scn_history_error(h));
            status = EXIT_UNUSABLE;
        }
        /* Steps back from places spread over the scenario, the last run's. */
        for (int b = 0; r == runs - 1 && !status && b < backs; b++) {
            size_t at = count - (size_t)((uint64_t)b * 2654435761u % (count ? count : 1));
            scn_history_run_to(h, at);
            double t1 = cli_now();
            scn_history_back(h);
            back[b] = cli_now() - t1;
        }
        scn_history_free(h);
        straight[r] = straight_run(text, len);
    }
    if (!status) {
        double e = median(to_end, (size_t)runs), s = median(straight, (size_t)runs), bk = median(back, (size_t)backs);
        printf("pagesim bench history: %s, %zu statements, median of %d runs (%d steps back)\n", file, count, runs,
               backs);
        printf("  run to the end through the history  %8.3f s\n", e);
        printf("  the same run straight (pagesim run)  %8.3f s   speed ratio %.2f\n", s, e > 0 ? s / e : 0.0);
        printf("  one step back                         %8.3f ms (median)\n", bk * 1000.0);
        printf("  peak memory of this process           %8.1f MB\n", peak_mb());
        printf("reproduce: pagesim bench history --runs %d --backs %d %s\n", runs, backs, file);
    }
    free(back);
    free(text);
    return status;
}
