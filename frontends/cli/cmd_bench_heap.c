/* pagesim bench, the heap: HeapAlloc/HeapFree pairs per second on a heap
 * that holds 100,000 live blocks (each pair frees a random live block and
 * allocates one of a random small size in its place, so the live count
 * stays), median of several runs. */
#include "cli.h"
#include "pagesim/heap.h"
#include "pagesim/mm.h"
#include <stdio.h>
#include <stdlib.h>

#define LIVE_BLOCKS 100000u

#if defined(__GNUC__) || defined(__clang__)
#define BENCH_PREFETCH(addr) __builtin_prefetch(addr)
#else
#define BENCH_PREFETCH(addr) ((void)(addr))
#endif

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int bench_heap(int runs, bool json)
{
    mm_config_t cfg;
    mm_config_default(&cfg);
    cfg.layout_empty = true;
    mm_t *mm;
    if (mm_new(NULL, &cfg, &mm) != PS_OK) return EXIT_UNUSABLE;
    mm_process_t *p = mm_current(mm);
    heap_result_t r;
    heap_create(p, PS_HEAP_NO_SERIALIZE, 0, 0, &r, NULL);
    uint32_t h = r.ptr, *live = malloc(LIVE_BLOCKS * sizeof *live), seed = 12345;
    bool ok = h && live;
    for (uint32_t i = 0; ok && i < LIVE_BLOCKS; i++) {
        seed = seed * 1103515245u + 12345u;
        heap_alloc(p, h, 0, 16 + (seed >> 16) % 240, &r, NULL);
        live[i] = r.ptr;
        ok = r.ptr != 0;
    }
    double rate[99];
    for (int k = 0; ok && k < runs; k++) {
        uint64_t n = 0;
        double t0 = cli_now(), t;
        do {
            /* The pairs draw their numbers one ahead, so that the table's
             * entry for the next pair is on its way while this one runs
             * (the table's 400 KB are not the heap's to count). */
            uint32_t next = seed * 1103515245u + 12345u;
            for (int j = 0; ok && j < 100000; j++) {
                seed = next;
                next = seed * 1103515245u + 12345u;
                BENCH_PREFETCH(&live[(next >> 8) % LIVE_BLOCKS]);
                uint32_t i = (seed >> 8) % LIVE_BLOCKS;
                ok = heap_free(p, h, 0, live[i], NULL) == 0;
                heap_alloc(p, h, 0, 16 + (seed >> 16) % 240, &r, NULL);
                live[i] = r.ptr;
                ok = ok && r.ptr;
            }
            n += 100000;
            t = cli_now();
        } while (ok && t - t0 < 0.5);
        rate[k] = (double)n / (t - t0);
    }
    char msg[256];
    if (ok && !mm_check(mm, msg, sizeof msg)) {
        fprintf(stderr, "pagesim bench: the heap's invariants broke: %s\n", msg);
        ok = false;
    }
    free(live);
    mm_free(mm);
    if (!ok) {
        fprintf(stderr, "pagesim bench: the heap benchmark could not run\n");
        return EXIT_UNUSABLE;
    }
    qsort(rate, (size_t)runs, sizeof rate[0], cmp);
    double med = rate[runs / 2];
    if (json)
        printf("{\"case\":\"heap\",\"live_blocks\":%u,\"alloc_free_pairs_per_s\":%.0f,\"min_per_s\":%.0f,"
               "\"max_per_s\":%.0f,\"runs\":%d}\n", LIVE_BLOCKS, med, rate[0], rate[runs - 1], runs);
    else
        printf("  %-36s median %7.2f M/s  (min %.2f, max %.2f)\n", "HeapAlloc+HeapFree pairs, 100000 live",
               med / 1e6, rate[0] / 1e6, rate[runs - 1] / 1e6);
    return 0;
}
