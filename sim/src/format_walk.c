/* The paging walk as text: bits, entries, flags, rights and faults, told
 * once (fmt_walk_lines) for every front end: pagesim run prints all of it,
 * pagesim-tui a step at a time, pagesim-sdl as its animation goes. */
#include "pagesim/format.h"
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

void fmt_bits(uint32_t va, char out[36])
{
    int k = 0;
    for (int i = 31; i >= 0; i--) {
        out[k++] = (va >> i) & 1u ? '1' : '0';
        if (i == 22 || i == 12) out[k++] = ' ';
    }
    out[k] = 0;
}

void fmt_entry_flags(strbuf_t *b, uint32_t v, mmu_level_kind_t kind, bool large)
{
    strbuf_printf(b, "P=%u R/W=%u U/S=%u PWT=%u PCD=%u A=%u", v & 1u, (v >> 1) & 1u, (v >> 2) & 1u,
                  (v >> 3) & 1u, (v >> 4) & 1u, (v >> 5) & 1u);
    if (kind == MMU_LEVEL_PTE || large) strbuf_printf(b, " D=%u", (v >> 6) & 1u);
    if (kind == MMU_LEVEL_PDE) strbuf_printf(b, " PS=%u", (v >> 7) & 1u);
    else strbuf_printf(b, " PAT=%u", (v >> 7) & 1u);
    if (kind == MMU_LEVEL_PTE || large) strbuf_printf(b, " G=%u", (v >> 8) & 1u);
    strbuf_printf(b, " AVL=%u", (v & X86_AVL_MASK) >> X86_AVL_SHIFT);
}

void fmt_error_code(strbuf_t *b, uint32_t ec)
{
    strbuf_printf(b, "0x%" PRIX32 " = P=%u (%s), W/R=%u (%s), U/S=%u (%s)", ec, ec & 1u,
                  ec & X86_PF_P ? "protection violation" : "not present", (ec >> 1) & 1u,
                  ec & X86_PF_WR ? "write" : "read", (ec >> 2) & 1u, ec & X86_PF_US ? "user mode" : "supervisor mode");
    if (ec & X86_PF_RSVD) strbuf_puts(b, ", RSVD=1 (reserved bit set)");
}

/* The narrator: the walk as lines grouped in steps. ------------------------ */

typedef struct narr {
    fmt_line_t *v;
    int n, max, step;
} narr_t;

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void say(narr_t *n, fmt_kind_t kind, const char *label, const char *fmt, ...)
{
    if (n->n >= n->max) return;
    fmt_line_t *l = &n->v[n->n++];
    l->step = n->step;
    l->kind = kind;
    l->label = label;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->text, sizeof l->text, fmt, ap);
    va_end(ap);
}

static void split_step(narr_t *n, const mmu_walk_t *w)
{
    uint32_t va = w->va;
    say(n, FMT_HEAD, "linear", "0x%08" PRIX32 ", %s access in %s mode", va, mmu_access_str(w->access),
        w->mode == MMU_USER ? "user" : "supervisor");
    char bits[36];
    fmt_bits(va, bits);
    say(n, FMT_BITS, "", "%s", bits);
    say(n, FMT_PLAIN, "", "directory  table      offset");
    say(n, FMT_PLAIN, "", "0x%03" PRIX32 "      0x%03" PRIX32 "      0x%03" PRIX32 "   (%" PRIu32 ", %" PRIu32 ", %" PRIu32
        ")", X86_PDE_INDEX(va), X86_PTE_INDEX(va), X86_PAGE_OFFSET(va), X86_PDE_INDEX(va), X86_PTE_INDEX(va),
        X86_PAGE_OFFSET(va));
    say(n, FMT_WHY, "", w->large ? "bits 31-22 pick the PDE; with a 4 MB page, bits 21-0 are the offset"
                                 : "bits 31-22 pick the PDE, 21-12 the PTE, 11-0 the byte in the page");
}

static void tlb_step(narr_t *n, const mmu_walk_t *w)
{
    if (w->tlb == MMU_TLB_HIT) {
        say(n, FMT_HEAD, "TLB", "hit: the cached translation is used, no memory is read");
        say(n, FMT_PLAIN, "", "cached %s page at 0x%08" PRIX32, w->large ? "4 MB" : "4 KB", w->frame);
        bool stale = w->nlevels == 0 || !(w->level[w->nlevels - 1].value & X86_P) ||
                     ((w->level[w->nlevels - 1].value & (w->large ? X86_LARGE_FRAME_MASK : X86_FRAME_MASK)) != w->frame);
        if (stale) say(n, FMT_WHY, "", "memory now says otherwise: the entry is stale until invlpg or a CR3 load");
    } else if (w->dirty_rewalk) {
        say(n, FMT_HEAD, "TLB", "hit, but the entry is cached clean (D=0)");
        say(n, FMT_WHY, "", "a write must set D in memory, so the processor walks the tables again");
    } else if (w->tlb == MMU_TLB_MISS) {
        say(n, FMT_HEAD, "TLB", "miss: no cached translation, the processor walks the tables in memory");
    } else {
        say(n, FMT_HEAD, "TLB", "none on this machine: every access walks the tables");
    }
}

static void level_step(narr_t *n, const mmu_walk_t *w, const mmu_level_t *l)
{
    bool pde = l->kind == MMU_LEVEL_PDE;
    bool large = pde && w->large;
    const char *name = pde ? "PDE" : "PTE";
    say(n, FMT_HEAD, name, "0x%08" PRIX32 " + 0x%03" PRIX32 " * 4 = 0x%08" PRIX32 "  (%s)", l->table, l->index,
        l->entry_addr, pde ? "CR3 base + directory index * 4" : "page table + table index * 4");
    if (!l->in_ram) say(n, FMT_WHY, "", "outside physical memory: the bus reads all ones");
    if (!(l->value & X86_P)) {
        say(n, FMT_FAULT, "", "value 0x%08" PRIX32 ": P=0: not present, the walk stops here%s", l->value,
            l->value ? " (the processor ignores the other bits: they are the OS's)" : "");
        return;
    }
    strbuf_t b;
    char buf[160];
    strbuf_init(&b, NULL);
    fmt_entry_flags(&b, l->value, l->kind, large);
    snprintf(buf, sizeof buf, "%s", strbuf_str(&b));
    strbuf_fini(&b);
    say(n, FMT_PLAIN, "", "value 0x%08" PRIX32 ": %s", l->value, buf);
    if (pde && (l->value & X86_PS) && !(w->cr4 & X86_CR4_PSE))
        say(n, FMT_WHY, "", "PS=1 is ignored because CR4.PSE=0: the entry points to a page table");
    if (large) {
        say(n, FMT_WHY, "", "PS=1 with CR4.PSE=1: a 4 MB page at 0x%08" PRIX32, l->value & X86_LARGE_FRAME_MASK);
        if (l->value & X86_LARGE_RSVD)
            say(n, FMT_FAULT, "", "bits 21:13 are reserved and not all 0 (0x%08" PRIX32 ")", l->value & X86_LARGE_RSVD);
    } else if (pde) {
        say(n, FMT_WHY, "", "present: page table at 0x%08" PRIX32, l->value & X86_FRAME_MASK);
    } else {
        say(n, FMT_WHY, "", "present: frame at 0x%08" PRIX32, l->value & X86_FRAME_MASK);
    }
    if (l->value_after != l->value) {
        bool a = (l->value_after ^ l->value) & X86_A, d = (l->value_after ^ l->value) & X86_D;
        say(n, FMT_PLAIN, "", "the processor sets %s%s%s: now 0x%08" PRIX32, a ? "A" : "", a && d ? " and " : "",
            d ? "D" : "", l->value_after);
    }
}

static void outcome_step(narr_t *n, const mmu_walk_t *w)
{
    const char *who = w->mode == MMU_USER ? "user" : "supervisor";
    bool translated = w->reason == MMU_OK || w->reason == MMU_USER_SUPERVISOR || w->reason == MMU_USER_WRITE_RO ||
                      w->reason == MMU_KERNEL_WRITE_RO;
    if (translated) {
        char rights[96];
        if (w->nlevels == 2 && w->tlb != MMU_TLB_HIT) {
            uint32_t d = w->level[0].value, t = w->level[1].value;
            snprintf(rights, sizeof rights, "R/W = %u AND %u = %u, U/S = %u AND %u = %u", (d >> 1) & 1u, (t >> 1) & 1u,
                     w->rw, (d >> 2) & 1u, (t >> 2) & 1u, w->us);
        } else {
            snprintf(rights, sizeof rights, "R/W = %u, U/S = %u%s", w->rw, w->us, w->tlb == MMU_TLB_HIT ? " (cached)" : "");
        }
        say(n, w->reason == MMU_OK ? FMT_PLAIN : FMT_FAULT, "rights", "%s, CR0.WP = %u: %s %s %s", rights,
            (w->cr0 & X86_CR0_WP) ? 1u : 0u, who, mmu_access_str(w->access), w->reason == MMU_OK ? "allowed" : "refused");
    }
    if (w->reason == MMU_OK) {
        if (w->large)
            say(n, FMT_OK, "physical", "0x%08" PRIX32 " + 0x%06" PRIX32 " (bits 21:0) = 0x%08" PRIX32, w->frame,
                X86_LARGE_OFFSET(w->va), w->phys);
        else
            say(n, FMT_OK, "physical", "0x%08" PRIX32 " + 0x%03" PRIX32 " = 0x%08" PRIX32, w->frame,
                X86_PAGE_OFFSET(w->va), w->phys);
    } else {
        say(n, FMT_FAULT, "#PF", "%s", mmu_reason_str(w->reason));
        strbuf_t b;
        char buf[160];
        strbuf_init(&b, NULL);
        fmt_error_code(&b, w->error_code);
        snprintf(buf, sizeof buf, "%s", strbuf_str(&b));
        strbuf_fini(&b);
        say(n, FMT_FAULT, "", "error code %s", buf);
    }
    if (w->dirty_rewalk)
        say(n, FMT_WHY, "TLB", "the entry %s", w->reason == MMU_OK ? "is cached dirty now" : "is dropped");
    else if (w->tlb == MMU_TLB_MISS)
        say(n, FMT_WHY, "TLB", "%s", w->reason == MMU_OK ? "the translation is cached now" : "nothing is cached");
}

int fmt_walk_lines(const mmu_walk_t *w, fmt_line_t *lines, int max, int *steps)
{
    narr_t n = { lines, 0, max, 0 };
    split_step(&n, w);
    n.step++;
    tlb_step(&n, w);
    if (w->tlb != MMU_TLB_HIT) {
        n.step++;
        say(&n, FMT_HEAD, "CR3", "0x%08" PRIX32 ": page directory at 0x%08" PRIX32, w->cr3, w->cr3 & X86_CR3_BASE);
        say(&n, FMT_WHY, "", "CR3 holds the page directory's physical address");
        for (int i = 0; i < w->nlevels; i++) {
            n.step++;
            level_step(&n, w, &w->level[i]);
        }
    }
    n.step++;
    outcome_step(&n, w);
    if (steps) *steps = n.step + 1;
    return n.n;
}

void fmt_walk_text(strbuf_t *b, const mmu_walk_t *w, const char *ind)
{
    fmt_line_t lines[FMT_WALK_LINES];
    int n = fmt_walk_lines(w, lines, FMT_WALK_LINES, NULL);
    for (int i = 0; i < n; i++) strbuf_printf(b, "%s%-8s %s\n", ind, lines[i].label, lines[i].text);
}
