/* lackey-parse: the yardstick of scripts/bench-trace. Reads a valgrind
 * lackey trace in 1 MB blocks and parses each access line (" L 04222cac,8")
 * as a hand-written reader would, with a newline as sentinel after each
 * block, into page numbers (two for an access that crosses a page), and
 * does nothing with them but count them and sum them. Prints the count,
 * the writes and the sum, so that its work cannot be optimized away and
 * its count can be checked against pagesim trace's.
 *   cc -O2 -o lackey-parse scripts/lackey-parse.c && ./lackey-parse TRACE */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK (1u << 20)

typedef struct totals {
    uint64_t refs, writes, sum;
} totals_t;

static int hexval(unsigned char c)
{
    if ((unsigned)(c - '0') < 10u) return c - '0';
    c |= 0x20;
    if ((unsigned)(c - 'a') < 6u) return c - 'a' + 10;
    return -1;
}

/* The whole lines of s[0, n), s[n] being a newline. */
static void parse(const char *s, size_t n, totals_t *t)
{
    const char *p = s, *end = s + n;
    while (p < end) {
        while (*p == ' ') p++;
        char k = *p;
        if ((k == 'I' || k == 'L' || k == 'S' || k == 'M') && p[1] == ' ') {
            p += 2;
            while (*p == ' ') p++;
            uint64_t addr = 0, size = 0;
            for (int d; (d = hexval((unsigned char)*p)) >= 0; p++) addr = addr << 4 | (uint64_t)d;
            if (*p == ',')
                for (p++; (unsigned)(*p - '0') < 10u; p++) size = size * 10 + (uint64_t)(*p - '0');
            if (size) {
                uint32_t a = (uint32_t)addr >> 12, last = (uint32_t)(addr + size - 1) >> 12;
                uint64_t pages = 1 + (a != last);
                t->refs += pages;
                t->sum += a + (a != last ? last : 0);
                if (k == 'S' || k == 'M') t->writes += pages;
            }
        }
        while (*p != '\n') p++;
        p++;
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: lackey-parse TRACE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    char *buf = malloc(BLOCK + 1);
    if (!f || !buf) {
        perror(argv[1]);
        return 2;
    }
    totals_t t = { 0, 0, 0 };
    size_t have = 0;
    for (int eof = 0; !eof;) {
        size_t got = fread(buf + have, 1, BLOCK - have, f);
        eof = got < BLOCK - have;
        have += got;
        size_t cut = have;
        if (!eof)
            while (cut > 0 && buf[cut - 1] != '\n') cut--;
        if (cut == 0 && !eof) {
            fprintf(stderr, "%s: a line longer than %u bytes\n", argv[1], BLOCK);
            return 2;
        }
        char saved = buf[cut];
        buf[cut] = '\n';
        parse(buf, cut, &t);
        buf[cut] = saved;
        memmove(buf, buf + cut, have - cut);
        have -= cut;
    }
    if (ferror(f)) {
        perror(argv[1]);
        return 2;
    }
    printf("%llu references, %llu writes, page sum %llu\n", (unsigned long long)t.refs,
           (unsigned long long)t.writes, (unsigned long long)t.sum);
    return 0;
}
