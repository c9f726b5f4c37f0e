/* pagesim bench: translations per second through the TLB-hit path and
 * through full two-level walks, single-threaded, median of several runs. */
#include "cli.h"
#include "pagesim/mmu.h"
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

/* One run: as many batches as fit in about 0.25 s; returns translations/s. */
static double run_once(mmu_t *m, uint32_t pages, volatile uint32_t *sink)
{
    uint32_t acc = 0, pa = 0;
    uint64_t done = 0;
    double start = cli_now(), now;
    do {
        for (uint32_t i = 0; i < BATCH; i++) {
            uint32_t va = 0x10000000u + (i % pages) * X86_PAGE_SIZE + (i & 0xFFCu);
            if (mmu_access(m, va, MMU_READ, MMU_USER, &pa)) return -1;
            acc += pa;
        }
        done += BATCH;
        now = cli_now();
    } while (now - start < 0.25);
    *sink += acc;
    return (double)done / (now - start);
}

int cmd_bench(int argc, char **argv)
{
    int runs = 7;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--json") == 0) json = true;
        else {
            fprintf(stderr, "usage: pagesim bench [--runs N] [--json]\n");
            return EXIT_UNUSABLE;
        }
    }
    if (runs < 1 || runs > 99) {
        fprintf(stderr, "pagesim bench: --runs takes 1..99\n");
        return EXIT_UNUSABLE;
    }
    const bench_case_t cases[] = {
        { "tlb_hit", "TLB hit (64-entry TLB, 32 pages)", 64, 32 },
        { "full_walk", "full walk (tlb=0, 4096 pages)", 0, 4096 },
    };
    volatile uint32_t sink = 0;
    if (!json) printf("pagesim bench: translations per second, one thread, median of %d runs\n", runs);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        mmu_t *m = make_machine(cases[c].tlb, cases[c].pages);
        if (!m) return EXIT_UNUSABLE;
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
    if (!json) printf("reproduce: build/bin/pagesim bench --runs %d\n", runs);
    return 0;
}
