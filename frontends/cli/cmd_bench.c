/* pagesim bench: translations per second through the TLB-hit path and
 * through full two-level walks, the memory manager's calls with many live
 * allocations, listing them all, and the heap (cmd_bench_heap.c);
 * single-threaded, median of several runs. */
#include "cli.h"
#include "pagesim/mm.h"
#include "pagesim/mmu.h"
#include "pagesim/winsdk.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIR_BASE 0x00100000u
#define TABLE_BASE 0x00200000u
#define FRAME_BASE 0x01000000u
#define BATCH 1000000u

typedef struct bench_case {
    const char *name;
    const char *what;
    uint32_t tlb;
    uint32_t pages;
} bench_case_t;

/* Maps `pages` consecutive 4 KB user pages from 0x10000000, one page table
 * per 4 MB. */
static mmu_t *make_machine(uint32_t tlb, uint32_t pages)
{
    mmu_config_t cfg = { 64u << 20, tlb };
    mmu_t *m;
    if (mmu_new(NULL, &cfg, &m) != PS_OK) return NULL;
    phys_t *ph = mmu_phys(m);
    for (uint32_t p = 0; p < pages; p++) {
        uint32_t va = 0x10000000u + p * X86_PAGE_SIZE;
        uint32_t table = TABLE_BASE + (p / 1024u) * X86_PAGE_SIZE;
        phys_write32(ph, DIR_BASE + X86_PDE_INDEX(va) * 4, table | X86_P | X86_RW | X86_US);
        phys_write32(ph, table + X86_PTE_INDEX(va) * 4, (FRAME_BASE + p * X86_PAGE_SIZE) | X86_P | X86_RW | X86_US);
    }
    mmu_set_cr3(m, DIR_BASE);
    return m;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* One run: as many batches as fit in about 0.25 s; returns translations/s.
 * pages is a power of two, so the page is picked with a mask, not a
 * division, to keep the loop's own cost small beside a translation. */
static double run_once(mmu_t *m, uint32_t pages, volatile uint32_t *sink)
{
    uint32_t acc = 0, pa = 0;
    uint64_t done = 0;
    double start = cli_now(), now;
    do {
        for (uint32_t i = 0; i < BATCH; i++) {
            uint32_t va = 0x10000000u + (i & (pages - 1)) * X86_PAGE_SIZE + (i & 0xFFCu);
            if (mmu_access(m, va, MMU_READ, MMU_USER, &pa)) return -1;
            acc += pa;
        }
        done += BATCH;
        now = cli_now();
    } while (now - start < 0.25);
    *sink += acc;
    return (double)done / (now - start);
}

/* A counting allocator: the bytes the core holds now and at most. */
typedef struct counter {
    size_t now, peak;
} counter_t;

static void *count_fn(void *ud, void *ptr, size_t osize, size_t nsize)
{
    counter_t *c = ud;
    if (nsize == 0) {
        free(ptr);
        c->now -= ptr ? osize : 0;
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (!p) return NULL;
    c->now += nsize - (ptr ? osize : 0);
    if (c->now > c->peak) c->peak = c->now;
    return p;
}

static double median_of(double *v, int n)
{
    qsort(v, (size_t)n, sizeof v[0], cmp_double);
    return v[n / 2];
}

#define LIVE_ALLOCS 30000u

/* A machine with n 64 KB reservations (and the shared user data page). */
static mm_t *reserved_machine(uint32_t n)
{
    mm_config_t cfg;
    mm_config_default(&cfg);
    cfg.layout_empty = true;
    mm_t *mm;
    if (mm_new(NULL, &cfg, &mm) != PS_OK) return NULL;
    uint32_t base, err = 0;
    for (uint32_t i = 0; i < n && !err; i++)
        err = mm_virtual_alloc(mm_current(mm), 0, 0x10000, MEM_RESERVE, PAGE_READWRITE, &base, NULL);
    if (err) {
        fprintf(stderr, "pagesim bench: reserving %u allocations failed (%u)\n", n, err);
        mm_free(mm);
        return NULL;
    }
    return mm;
}

/* Seconds to list every allocation of a process with n reservations in
 * address order through the public walk (mm_alloc_from), the way the
 * front ends list them: the median of runs, each as many listings as fit
 * in about 0.1 s. Linear: twice the allocations, twice the time. -1 when
 * the machine cannot be made or the walk misses an allocation. */
static double bench_listing(uint32_t n, int runs)
{
    mm_t *mm = reserved_machine(n);
    if (!mm) return -1;
    const mm_process_t *p = mm_current(mm);
    double t[99];
    for (int r = 0; r < runs; r++) {
        uint64_t lists = 0;
        double t0 = cli_now(), now;
        do {
            uint32_t seen = 0;
            mm_alloc_info_t info;
            for (uint32_t va = 0; mm_alloc_from(p, va, &info) && info.end; va = info.end) seen++;
            if (seen != mm_alloc_count(p)) {
                fprintf(stderr, "pagesim bench: the walk listed %u of %u allocations\n", seen, mm_alloc_count(p));
                mm_free(mm);
                return -1;
            }
            lists++;
            now = cli_now();
        } while (now - t0 < 0.1);
        t[r] = (now - t0) / (double)lists;
    }
    mm_free(mm);
    return median_of(t, runs);
}

/* VirtualQuery and VirtualAlloc/VirtualFree per second with 30000 live
 * reservations, and the memory a 2 GB reservation with 1 GB committed
 * (untouched) costs. */
static int bench_mm(int runs, bool json)
{
    mm_config_t cfg;
    mm_config_default(&cfg);
    cfg.layout_empty = true;
    mm_t *mm = reserved_machine(LIVE_ALLOCS);
    if (!mm) return EXIT_UNUSABLE;
    mm_process_t *p = mm_current(mm);
    uint32_t base, err = 0;
    double q[99], af[99];
    uint32_t seed = 12345;
    for (int r = 0; r < runs; r++) {
        mm_mbi_t mbi;
        uint64_t n = 0;
        double t0 = cli_now(), t;
        do {
            for (int k = 0; k < 100000; k++) {
                seed = seed * 1103515245u + 12345u;
                (void)mm_virtual_query(p, 0x10000u + (seed >> 1) % 0x7FFE0000u, &mbi, NULL);
            }
            n += 100000;
            t = cli_now();
        } while (t - t0 < 0.25);
        q[r] = (double)n / (t - t0);
        n = 0;
        t0 = cli_now();
        do {
            for (int k = 0; k < 10000; k++) {
                (void)mm_virtual_alloc(p, 0, 0x10000, MEM_RESERVE, PAGE_READWRITE, &base, NULL);
                (void)mm_virtual_free(p, base, 0, MEM_RELEASE, NULL);
            }
            n += 20000;
            t = cli_now();
        } while (t - t0 < 0.25);
        af[r] = (double)n / (t - t0);
    }
    mm_free(mm);

    counter_t c = { 0, 0 };
    ps_alloc_t counting = { count_fn, &c };
    if (mm_new(&counting, &cfg, &mm) != PS_OK) return EXIT_UNUSABLE;
    p = mm_current(mm);
    uint32_t a = 0;
    err = mm_virtual_alloc(p, 0, 0x7F000000u, MEM_RESERVE, PAGE_READWRITE, &a, NULL);
    if (!err) err = mm_virtual_alloc(p, a, 0x40000000u, MEM_COMMIT, PAGE_READWRITE, &base, NULL);
    size_t peak = c.peak;
    mm_free(mm);
    if (err) {
        fprintf(stderr, "pagesim bench: the 2 GB reservation failed (%u)\n", err);
        return EXIT_UNUSABLE;
    }
    double list_all = bench_listing(LIVE_ALLOCS, runs), list_half = bench_listing(LIVE_ALLOCS / 2, runs);
    if (list_all < 0 || list_half < 0) return EXIT_UNUSABLE;
    double mq = median_of(q, runs), maf = median_of(af, runs);
    if (json)
        printf("{\"case\":\"mm\",\"live_allocations\":%u,\"virtual_query_per_s\":%.0f,"
               "\"alloc_free_per_s\":%.0f,\"peak_bytes_2g_reserved_1g_committed\":%zu,"
               "\"list_allocations_s\":%.6f,\"list_half_allocations_s\":%.6f}\n",
               LIVE_ALLOCS, mq, maf, peak, list_all, list_half);
    else
        printf("  %-36s median %7.2f M/s\n  %-36s median %7.2f M/s\n  %-36s %.2f MB\n"
               "  %-36s median %7.2f ms  (%.0f ns each; %u of them: %.2f ms, ratio %.2f)\n",
               "VirtualQuery, 30000 live allocations", mq / 1e6, "VirtualAlloc+VirtualFree (ops)", maf / 1e6,
               "2 GB reserved + 1 GB committed", (double)peak / 1048576.0, "listing 30000 allocations in order",
               list_all * 1e3, list_all * 1e9 / (LIVE_ALLOCS + 1), LIVE_ALLOCS / 2, list_half * 1e3,
               list_all / list_half);
    return 0;
}

int cmd_bench(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "history") == 0) return cmd_bench_history(argc - 1, argv + 1);
    /* pagesim bench heap: the heap case alone (for profiling it). */
    bool heap_only = argc > 1 && strcmp(argv[1], "heap") == 0;
    if (heap_only) {
        argc--;
        argv++;
    }
    int runs = 7;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            char *end;
            long n = strtol(argv[++i], &end, 10);
            runs = *end || end == argv[i] || n < 1 || n > 99 ? 0 : (int)n;
        }
        else if (strcmp(argv[i], "--json") == 0) json = true;
        else {
            fprintf(stderr, "usage: pagesim bench [heap] [--runs N] [--json]\n");
            return EXIT_UNUSABLE;
        }
    }
    if (runs < 1 || runs > 99) {
        fprintf(stderr, "pagesim bench: --runs takes 1..99\n");
        return EXIT_UNUSABLE;
    }
    if (heap_only) {
        int rc = bench_heap(runs, json);
        if (!json) printf("reproduce: build/bin/pagesim bench heap --runs %d\n", runs);
        return rc;
    }
    const bench_case_t cases[] = {
        { "tlb_hit", "TLB hit (64-entry TLB, 32 pages)", 64, 32 },
        { "full_walk", "full walk (tlb=0, 4096 pages)", 0, 4096 },
    };
    volatile uint32_t sink = 0;
    if (!json) printf("pagesim bench: translations per second, one thread, median of %d runs\n", runs);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        mmu_t *m = make_machine(cases[c].tlb, cases[c].pages);
        if (!m) {
            fprintf(stderr, "pagesim bench: out of memory\n");
            return EXIT_UNUSABLE;
        }
        double rate[99];
        for (int r = 0; r < runs; r++) rate[r] = run_once(m, cases[c].pages, &sink);
        const mmu_stats_t *st = mmu_stats(m);
        double hit_rate = st->translations ? (double)st->tlb_hits / (double)st->translations : 0;
        qsort(rate, (size_t)runs, sizeof rate[0], cmp_double);
        double med = rate[runs / 2];
        if (json)
            printf("{\"case\":\"%s\",\"median_per_s\":%.0f,\"min_per_s\":%.0f,\"max_per_s\":%.0f,\"runs\":%d,"
                   "\"tlb_hit_rate\":%.4f}\n", cases[c].name, med, rate[0], rate[runs - 1], runs, hit_rate);
        else
            printf("  %-36s median %7.1f M/s  (min %.1f, max %.1f; TLB hit rate %.1f%%)\n", cases[c].what, med / 1e6,
                   rate[0] / 1e6, rate[runs - 1] / 1e6, hit_rate * 100);
        mmu_free(m);
    }
    if (!json) printf("memory manager, median of %d runs:\n", runs);
    int rc = bench_mm(runs, json);
    if (!rc) rc = bench_heap(runs, json);
    if (!json) printf("reproduce: build/bin/pagesim bench --runs %d\n", runs);
    return rc;
}
