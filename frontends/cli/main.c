/* pagesim: run scenarios of x86 paging and the Windows memory manager. */
#include "cli.h"
#include "fe_output.h"
#include "pagesim/core.h"
#include "pagesim/format.h"
#include "pagesim/scn.h"
#include <stdio.h>
#include <string.h>

/* The statement table as text: scn_format_help or scn_format_reference. */
static void put_table(FILE *f, void (*format)(strbuf_t *))
{
    strbuf_t b;
    strbuf_init(&b, NULL);
    format(&b);
    fwrite(strbuf_str(&b), 1, b.len, f);
    strbuf_fini(&b);
}

static void usage(FILE *f)
{
    fputs("usage: pagesim run [--json] [--check] FILE|-  run a scenario\n"
          "       pagesim bench [--runs N] [--json]      measure translations per second\n"
          "       pagesim bench heap [--runs N] [--json] measure HeapAlloc+HeapFree pairs alone\n"
          "       pagesim bench history FILE             measure stepping through a long scenario\n"
          "       pagesim trace [--frames N] [--policy fifo|lru|clock|opt] [--format lackey|refs] [--json] FILE|-\n"
          "                                             replay a page reference trace\n"
          "       pagesim compare [--known FILE] [--win32 \"CMD\"] [-j N] [-q] FILE...\n"
          "                                             run scenarios on the simulator and on Windows, show\n"
          "                                             what differs (exit 1 for an unexplained difference)\n"
          "       pagesim quiz [--answers|--json] FILE   predict each statement's outcome, then see it\n"
          "       pagesim quiz --seed N [--level 1-3] [--topic walk|win32|paging|tlb] [--answers|--json|--play]\n"
          "                                             a generated exercise (docs/quiz.md)\n"
          "       pagesim platform                       what the Win32 backend runs on (Windows builds)\n"
          "       pagesim reference                      the language reference (Markdown)\n"
          "       pagesim --help | --version\n"
          "\n"
          "run prints what each statement did and why; --json prints one JSON object per\n"
          "statement (JSON Lines). Exit status: 0 when every statement ran and every\n"
          "expect held, 1 when an expect failed, 2 when the scenario cannot be run.\n"
          "\n"
          "Statements:\n", f);
    put_table(f, scn_format_help);
}

/* The subcommand's status, or 2 for a command line that names none. */
static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_UNUSABLE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return EXIT_RAN;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("pagesim %s\n", PAGESIM_VERSION);
        return EXIT_RAN;
    }
    if (strcmp(cmd, "reference") == 0 && argc == 2) {
        put_table(stdout, scn_format_reference);
        return EXIT_RAN;
    }
    if (strcmp(cmd, "run") == 0) return cmd_run(argc - 1, argv + 1);
    if (strcmp(cmd, "bench") == 0) return cmd_bench(argc - 1, argv + 1);
    if (strcmp(cmd, "trace") == 0) return cmd_trace(argc - 1, argv + 1);
    if (strcmp(cmd, "compare") == 0) return cmd_compare(argc - 1, argv + 1);
    if (strcmp(cmd, "quiz") == 0) return cmd_quiz(argc - 1, argv + 1);
    if (strcmp(cmd, "platform") == 0) return cmd_platform(argc - 1, argv + 1);
    fe_errorf("pagesim: unknown command '%s' (try pagesim --help)", cmd);
    return EXIT_UNUSABLE;
}

int main(int argc, char **argv)
{
    return fe_finish_output("pagesim", dispatch(argc, argv));
}
