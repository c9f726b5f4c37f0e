/* Test helper: a file of the source tree (a scenario), read whole. */
#ifndef PAGESIM_SOURCE_FILE_H
#define PAGESIM_SOURCE_FILE_H

#include <stddef.h>

/* The file at rel (relative to the source tree) in a malloc'd buffer;
 * fails the running cmocka test when it cannot be read. */
char *source_file(const char *rel, size_t *len);

#endif
