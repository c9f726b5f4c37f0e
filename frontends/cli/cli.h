/* The pagesim command line: one function per subcommand. */
#ifndef PAGESIM_CLI_H
#define PAGESIM_CLI_H

#include <stddef.h>

/* Exit statuses (docs/scenario-language.md). */
enum { EXIT_RAN = 0, EXIT_EXPECT_FAILED = 1, EXIT_UNUSABLE = 2 };
/* run --check: an invariant of the memory manager broke (a bug of pagesim). */
enum { EXIT_INTERNAL = 3 };

int cmd_run(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_trace(int argc, char **argv);

/* Seconds from a monotonic clock. */
double cli_now(void);

#endif
