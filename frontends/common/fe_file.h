/* What the front ends share: reading a scenario file. */
#ifndef PAGESIM_FE_FILE_H
#define PAGESIM_FE_FILE_H

#include <stdbool.h>
#include <stddef.h>

/* The most fe_read_file reads: a larger file is refused, not held. */
#define FE_FILE_MAX ((size_t)16 << 20)

/* The whole of path ("-": standard input) in a malloc'd buffer, its size in
 * *len. NULL with *why when it cannot be read: it does not open (the
 * system's reason), "is a directory", "larger than 16 MiB", "standard input
 * is not open for reading", a read error's reason, or "out of memory". *why
 * is a static string or strerror's, valid until the next call. */
char *fe_read_file(const char *path, size_t *len, const char **why);

/* Why a read failed with errno e, in fe_read_file's words: "is a
 * directory", "standard input is not open for reading" (EBADF on standard
 * input, from_stdin), else the system's reason. */
const char *fe_read_error(int e, bool from_stdin);

#endif
