/* The pagesim command line: one function per subcommand. */
#ifndef PAGESIM_CLI_H
#define PAGESIM_CLI_H

#include <stdbool.h>
#include <stddef.h>

/* Exit statuses (docs/scenario-language.md). */
enum { EXIT_RAN = 0, EXIT_EXPECT_FAILED = 1, EXIT_UNUSABLE = 2 };


int cmd_run(int argc, char **argv);
int cmd_bench(int argc, char **argv);
/* pagesim bench history FILE: stepping through a long scenario. */
int cmd_bench_history(int argc, char **argv);
/* The heap case of pagesim bench (cmd_bench_heap.c). */
int bench_heap(int runs, bool json);
int cmd_trace(int argc, char **argv);
/* pagesim compare: the simulator against real Windows (cmd_compare.c). */
int cmd_compare(int argc, char **argv);
/* pagesim quiz: questions before each statement (cmd_quiz.c). */
int cmd_quiz(int argc, char **argv);
/* pagesim platform: what the Win32 backend runs on, "windows VERSION" or
 * "wine VERSION" (Windows builds; elsewhere status 2). */
int cmd_platform(int argc, char **argv);

/* Seconds from a monotonic clock. */
double cli_now(void);

#endif
