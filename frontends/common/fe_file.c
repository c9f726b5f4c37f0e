/* Reading a scenario file, for every front end: all of it, up to
 * FE_FILE_MAX bytes, or a reason. */
#include "fe_file.h"
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *fe_read_error(int e, bool from_stdin)
{
    if (e == EISDIR) return "is a directory";
    if (e == EBADF && from_stdin) return "standard input is not open for reading";
    return e ? strerror(e) : "read error";
}

/* Reads f to its end into *buf (malloc'd), n bytes; NULL, or why not. More
 * than FE_FILE_MAX bytes is a reason, found after reading one byte past it. */
static const char *read_all(FILE *f, bool from_stdin, char **buf, size_t *n)
{
    size_t cap = 0, have = 0;
    char *b = NULL;
    for (;;) {
        if (have == cap) {
            if (cap > FE_FILE_MAX) {
                free(b);
                return "larger than 16 MiB";
            }
            size_t ncap = cap ? cap * 2 : 65536;
            if (ncap > FE_FILE_MAX) ncap = FE_FILE_MAX + 1;
            char *nb = realloc(b, ncap);
            if (!nb) {
                free(b);
                return "out of memory";
            }
            b = nb;
            cap = ncap;
        }
        errno = 0;
        size_t got = fread(b + have, 1, cap - have, f);
        have += got;
        if (have < cap) { /* fread stops short at the end or at an error */
            if (ferror(f)) {
                free(b);
                return fe_read_error(errno, from_stdin);
            }
            break;
        }
    }
    *buf = b;
    *n = have;
    return NULL;
}

char *fe_read_file(const char *path, size_t *len, const char **why)
{
    bool from_stdin = strcmp(path, "-") == 0;
    FILE *f = from_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        *why = strerror(errno);
        return NULL;
    }
    char *buf = NULL;
    size_t n = 0;
    *why = read_all(f, from_stdin, &buf, &n);
    if (!from_stdin) fclose(f);
    if (*why) return NULL;
    *len = n;
    return buf;
}
