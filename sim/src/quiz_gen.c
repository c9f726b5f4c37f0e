/* Generated exercises: a seeded scenario of one topic, valid by
 * construction (its page tables lie inside the machine's memory, its calls
 * name addresses in user space), to be quizzed statement by statement. The
 * PRNG is splitmix64, so a seed gives the same text on every platform. */
#include "pagesim/quiz.h"
#include "pagesim/x86.h"
#include <string.h>

void quiz_rng_seed(quiz_rng_t *g, uint64_t seed)
{
    g->state = seed;
}

uint64_t quiz_rng_next(quiz_rng_t *g)
{
    uint64_t z = (g->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint32_t quiz_rng_below(quiz_rng_t *g, uint32_t n)
{
    return n ? (uint32_t)(quiz_rng_next(g) % n) : 0;
}

static const char *const topics[QUIZ_TOPIC_COUNT] = { "walk", "win32", "paging", "tlb" };

const char *quiz_topic_str(quiz_topic_t t)
{
    return (unsigned)t < QUIZ_TOPIC_COUNT ? topics[t] : "unknown";
}

bool quiz_topic_parse(const char *s, quiz_topic_t *out)
{
    for (int i = 0; i < QUIZ_TOPIC_COUNT; i++)
        if (strcmp(s, topics[i]) == 0) {
            *out = (quiz_topic_t)i;
            return true;
        }
    return false;
}

quiz_topic_t quiz_topic_of_seed(uint64_t seed)
{
    return (quiz_topic_t)(seed % QUIZ_TOPIC_COUNT);
}

/* True one time in n. */
static bool one_in(quiz_rng_t *g, uint32_t n)
{
    return quiz_rng_below(g, n) == 0;
}

/* The walk. ---------------------------------------------------------------- */

#define GEN_RAM_FRAMES 4096u /* machine bare ram=16M */

/* A page directory and up to 4 page tables, in distinct frames. */
typedef struct tables {
    uint32_t cr3;
    uint32_t dir[4], table[4];
    int n;
} tables_t;

/* The page table of directory index d (poked present now when new), 0
 * when it is left not present. */
static uint32_t table_for(strbuf_t *b, quiz_rng_t *g, tables_t *t, uint32_t d, int level, bool missing)
{
    for (int i = 0; i < t->n; i++)
        if (t->dir[i] == d) return t->table[i];
    if (missing || t->n == 4) return 0;
    uint32_t table = (0x200u + (uint32_t)t->n * 0x40u + quiz_rng_below(g, 0x40)) << 12;
    uint32_t flags = X86_P | X86_RW | X86_US;
    if (level >= 3 && one_in(g, 3)) flags &= ~(one_in(g, 2) ? X86_RW : X86_US);
    strbuf_printf(b, "poke32 0x%08X 0x%08X     # PDE 0x%03X\n", (unsigned)(t->cr3 + d * 4), (unsigned)(table | flags),
                  (unsigned)d);
    t->dir[t->n] = d;
    t->table[t->n++] = table;
    return table;
}

/* One page mapped (or left not present) and translated. */
/* The first translation of an exercise always reaches a frame (hard
 * false); later ones may meet entries not present. */
static void walk_one(strbuf_t *b, quiz_rng_t *g, tables_t *t, int level, bool large_ok, bool hard)
{
    uint32_t va = (uint32_t)quiz_rng_next(g);
    uint32_t d = va >> 22, ti = (va >> 12) & 0x3FFu;
    if (large_ok && one_in(g, 3)) {
        uint32_t frame = (uint32_t)quiz_rng_below(g, 1024) << 22;
        strbuf_printf(b, "poke32 0x%08X 0x%08X     # PDE 0x%03X: a 4 MB page\n", (unsigned)(t->cr3 + d * 4),
                      (unsigned)(frame | X86_P | X86_RW | X86_US | X86_PS), (unsigned)d);
    } else {
        uint32_t table = table_for(b, g, t, d, level, hard && one_in(g, 5));
        if (table) {
            uint32_t flags = X86_P | X86_RW | X86_US;
            if (hard && one_in(g, 4)) flags = 0;
            else if (level >= 2 && one_in(g, 3)) flags &= ~X86_RW;
            uint32_t pte = ((uint32_t)quiz_rng_next(g) & X86_FRAME_MASK) | flags;
            strbuf_printf(b, "poke32 0x%08X 0x%08X     # PTE 0x%03X\n", (unsigned)(table + ti * 4), (unsigned)pte,
                          (unsigned)ti);
        }
    }
    bool write = level >= 2 && one_in(g, 2);
    bool kernel = level >= 3 && one_in(g, 3);
    strbuf_printf(b, "translate 0x%08X %s %s\n", (unsigned)va, write ? "write" : "read", kernel ? "kernel" : "user");
    if (level >= 2 && one_in(g, 2))
        strbuf_printf(b, "translate 0x%08X %s user\n", (unsigned)((va & ~0xFFFu) | quiz_rng_below(g, 0x1000)),
                      write ? "read" : "write");
}

static void gen_walk(strbuf_t *b, quiz_rng_t *g, int level)
{
    tables_t t;
    memset(&t, 0, sizeof t);
    t.cr3 = (0x100u + quiz_rng_below(g, 0x100)) << 12;
    strbuf_printf(b, "machine bare ram=16M\ncr3 = 0x%08X\n", (unsigned)t.cr3);
    if (level >= 3) strbuf_printf(b, "cr4.pse = 1\ncr0.wp = %u\n", (unsigned)quiz_rng_below(g, 2));
    for (int i = 0; i < level + 1; i++) walk_one(b, g, &t, level, level >= 3, i > 0 && level >= 2);
}

/* The TLB. ----------------------------------------------------------------- */

static void gen_tlb(strbuf_t *b, quiz_rng_t *g, int level)
{
    uint32_t entries = level == 1 ? 4 : 2, pages = entries + 2;
    uint32_t cr3 = (0x100u + quiz_rng_below(g, 0x100)) << 12, table = (0x300u + quiz_rng_below(g, 0x100)) << 12;
    uint32_t d = 1 + quiz_rng_below(g, 0x1FF), first = quiz_rng_below(g, 0x3F0);
    strbuf_printf(b, "machine bare ram=16M tlb=%u\ncr3 = 0x%08X\n", (unsigned)entries, (unsigned)cr3);
    if (level >= 3) strbuf_printf(b, "cr4.pge = 1\n");
    strbuf_printf(b, "poke32 0x%08X 0x%08X\n", (unsigned)(cr3 + d * 4), (unsigned)(table | 7u));
    for (uint32_t p = 0; p < pages; p++) {
        uint32_t flags = 7u | (level >= 3 && p == 0 ? X86_G : 0u);
        strbuf_printf(b, "poke32 0x%08X 0x%08X\n", (unsigned)(table + (first + p) * 4),
                      (unsigned)((0x800u + quiz_rng_below(g, 0x700)) << 12 | flags));
    }
    uint32_t base = d << 22 | first << 12;
    int n = 6 + 2 * level;
    for (int i = 0; i < n; i++) {
        uint32_t p = quiz_rng_below(g, i < 3 ? 2 : pages);
        uint32_t va = base + p * 0x1000u + quiz_rng_below(g, 0x1000);
        if (level >= 2 && i == n / 2) strbuf_printf(b, "invlpg 0x%08X\n", (unsigned)(base + p * 0x1000u));
        if (level >= 3 && i == n - 3) strbuf_printf(b, "cr3 = 0x%08X\n", (unsigned)cr3);
        strbuf_printf(b, "translate 0x%08X %s user\n", (unsigned)va, one_in(g, 3) ? "write" : "read");
    }
    if (level >= 2) strbuf_printf(b, "flush tlb\ntranslate 0x%08X read user\n", (unsigned)base);
}

/* Win32 calls. ------------------------------------------------------------- */

static const char *const protects[] = { "PAGE_READWRITE", "PAGE_READONLY", "PAGE_NOACCESS", "PAGE_EXECUTE_READ" };

static void gen_win32(strbuf_t *b, quiz_rng_t *g, int level)
{
    uint32_t base = (0x10u + quiz_rng_below(g, 0x600)) << 16;
    if (level >= 2) base += quiz_rng_below(g, 0x10000) & ~0xFFu;
    uint32_t pages = 4 + quiz_rng_below(g, 12), size = pages * 0x1000u;
    if (level >= 2) size -= quiz_rng_below(g, 0x800);
    uint32_t c = 1 + quiz_rng_below(g, pages - 2), cn = 1 + quiz_rng_below(g, pages - c - 1);
    strbuf_printf(b, "config layout=empty\na = VirtualAlloc(0x%08X, 0x%X, MEM_RESERVE, PAGE_READWRITE)\n",
                  (unsigned)base, (unsigned)size);
    /* One draw a statement: the order of a call's arguments is unspecified. */
    uint32_t at = c * 0x1000u + quiz_rng_below(g, 0x1000);
    uint32_t csize = cn * 0x1000u - (level >= 2 ? quiz_rng_below(g, 0x800) : 0);
    const char *prot = protects[level >= 2 ? quiz_rng_below(g, 2) : 0];
    strbuf_printf(b, "VirtualAlloc(a + 0x%X, 0x%X, MEM_COMMIT, %s)\n", (unsigned)at, (unsigned)csize, prot);
    strbuf_printf(b, "write a + 0x%X 0x41\n", (unsigned)(c * 0x1000u + quiz_rng_below(g, 0x1000)));
    strbuf_printf(b, "read a + 0x%X\n", (unsigned)(quiz_rng_below(g, pages) * 0x1000u));
    strbuf_printf(b, "VirtualProtect(a + 0x%X, 1, %s)\n", (unsigned)(c * 0x1000u), protects[1 + quiz_rng_below(g, 3)]);
    strbuf_printf(b, "VirtualQuery(a + 0x%X)\n", (unsigned)(quiz_rng_below(g, pages) * 0x1000u));
    if (level >= 2) {
        strbuf_printf(b, "VirtualAlloc(a + 0x%X, 0x2000, MEM_COMMIT, PAGE_READWRITE)\n", (unsigned)(size + 0x10000u));
        strbuf_printf(b, "VirtualFree(a, 0x1000, MEM_RELEASE)\n");
    }
    if (level >= 3) {
        strbuf_printf(b, "VirtualAlloc(a, 0x1000, MEM_COMMIT, PAGE_READWRITE|PAGE_GUARD)\nread a\nread a\n");
        strbuf_printf(b, "VirtualFree(a + 0x%X, 0x1000, MEM_DECOMMIT)\nread a + 0x%X\n", (unsigned)(c * 0x1000u),
                      (unsigned)(c * 0x1000u));
    }
    strbuf_printf(b, "VirtualFree(a, 0, MEM_RELEASE)\nVirtualQuery(a)\n");
}

/* Paging. ------------------------------------------------------------------ */

static void gen_paging(strbuf_t *b, quiz_rng_t *g, int level)
{
    static const char *const policies[] = { "fifo", "lru", "clock" };
    uint32_t ws = level == 1 ? 3 : 4, pages = ws + (uint32_t)level;
    uint32_t base = (0x10u + quiz_rng_below(g, 0x600)) << 16;
    strbuf_printf(b, "config ram=64M pagefile=64M layout=empty wsmax=%u policy=%s\n", (unsigned)ws,
                  policies[level == 1 ? 0 : quiz_rng_below(g, 3)]);
    strbuf_printf(b, "a = VirtualAlloc(0x%08X, 0x%X, MEM_RESERVE|MEM_COMMIT, PAGE_READWRITE)\n",
                  (unsigned)base,
                  (unsigned)(pages * 0x1000u));
    int n = (int)ws + 4 + 2 * level;
    for (int i = 0; i < n; i++) {
        uint32_t p = i <= (int)ws ? (uint32_t)i : quiz_rng_below(g, pages); /* the (ws+1)th page evicts */
        strbuf_printf(b, "touch a + 0x%X 1 %s\n", (unsigned)(p * 0x1000u),
                      level >= 2 && one_in(g, 3) ? "write" : "read");
    }
}

ps_result_t quiz_generate(uint64_t seed, int level, quiz_topic_t topic, strbuf_t *out)
{
    if (level < QUIZ_LEVEL_MIN || level > QUIZ_LEVEL_MAX || (unsigned)topic >= QUIZ_TOPIC_COUNT) return PS_EINVAL;
    quiz_rng_t g;
    quiz_rng_seed(&g, seed * 4 + (uint64_t)topic);
    strbuf_printf(out, "# pagesim quiz --seed %llu --level %d --topic %s\n", (unsigned long long)seed, level,
                  quiz_topic_str(topic));
    switch (topic) {
    case QUIZ_TOPIC_WALK: gen_walk(out, &g, level); break;
    case QUIZ_TOPIC_TLB: gen_tlb(out, &g, level); break;
    case QUIZ_TOPIC_WIN32: gen_win32(out, &g, level); break;
    default: gen_paging(out, &g, level); break;
    }
    return strbuf_failed(out) ? PS_ENOMEM : PS_OK;
}
