/* A main() for the fuzz harnesses without libFuzzer: runs each file named
 * on the command line through LLVMFuzzerTestOneInput once, so that every
 * compiler builds the harnesses and every build replays the seed corpus and
 * the regression inputs. A finding aborts, with the file's name printed
 * just before. */
#include "fuzz.h"
#include <stdio.h>
#include <stdlib.h>

/* The whole file, or NULL. */
static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    unsigned char *buf = malloc(cap);
    for (size_t got; buf; n += got) {
        if (n == cap) {
            unsigned char *more = realloc(buf, cap *= 2);
            if (!more) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = more;
        }
        got = fread(buf + n, 1, cap - n, f);
        if (got == 0) break;
    }
    if (buf && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE...\nRuns each file through the fuzz harness once.\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        size_t len = 0;
        unsigned char *data = slurp(argv[i], &len);
        if (!data) {
            fprintf(stderr, "%s: cannot read\n", argv[i]);
            return 2;
        }
        fprintf(stderr, "running %s (%zu bytes)\n", argv[i], len);
        fflush(stderr);
        (void)LLVMFuzzerTestOneInput(data, len);
        free(data);
    }
    fprintf(stderr, "%d input%s: no finding\n", argc - 1, argc == 2 ? "" : "s");
    return 0;
}
