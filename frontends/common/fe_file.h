/* What the front ends share: reading a scenario file. */
#ifndef PAGESIM_FE_FILE_H
#define PAGESIM_FE_FILE_H

#include <stddef.h>

/* The whole of path ("-": standard input) in a malloc'd buffer, its size in
 * *len. NULL with *why (a static string) when it cannot be read. */
char *fe_read_file(const char *path, size_t *len, const char **why);

#endif
