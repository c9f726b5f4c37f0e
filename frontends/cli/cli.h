/* The pagesim command line: one function per subcommand. */
#ifndef PAGESIM_CLI_H
#define PAGESIM_CLI_H

#include <stddef.h>

/* Exit statuses (docs/scenario-language.md). */
enum { EXIT_RAN = 0, EXIT_EXPECT_FAILED = 1, EXIT_UNUSABLE = 2 };

int cmd_run(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_trace(int argc, char **argv);

/* Reads a whole file ("-" for standard input) into a malloc'd buffer.
 * Returns NULL and sets *why on failure. */
char *cli_read_file(const char *path, size_t *len, const char **why);

/* Seconds from a monotonic clock. */
double cli_now(void);

#endif
