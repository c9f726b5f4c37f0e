/* The paging walk as text: bits, entries, flags, rights and faults. */
#include "pagesim/format.h"
#include <inttypes.h>

static void bits(strbuf_t *b, uint32_t v, int hi, int lo)
{
    for (int i = hi; i >= lo; i--) strbuf_putc(b, (v >> i) & 1u ? '1' : '0');
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

static void level_text(strbuf_t *b, const mmu_walk_t *w, const mmu_level_t *l, const char *ind)
{
    bool pde = l->kind == MMU_LEVEL_PDE;
    bool large = pde && w->large;
    const char *name = pde ? "PDE" : "PTE";
    strbuf_printf(b, "%s%s      0x%08" PRIX32 " + 0x%03" PRIX32 " * 4 = 0x%08" PRIX32 "%s\n", ind, name, l->table,
                  l->index, l->entry_addr, pde ? "  (CR3 base + directory index * 4)" : "  (page table + table index * 4)");
    if (!l->in_ram)
        strbuf_printf(b, "%s         outside physical memory: the bus reads all ones\n", ind);
    if (!(l->value & X86_P)) {
        strbuf_printf(b, "%s         value 0x%08" PRIX32 ": P=0: not present, the walk stops here%s\n", ind, l->value,
                      l->value ? " (the processor ignores the other bits: they are the OS's)" : "");
        return;
    }
    strbuf_printf(b, "%s         value 0x%08" PRIX32 ": ", ind, l->value);
    fmt_entry_flags(b, l->value, l->kind, large);
    strbuf_putc(b, '\n');
    if (pde && (l->value & X86_PS) && !(w->cr4 & X86_CR4_PSE))
        strbuf_printf(b, "%s         PS=1 is ignored because CR4.PSE=0: the entry points to a page table\n", ind);
    if (large) {
        strbuf_printf(b, "%s         PS=1 with CR4.PSE=1: a 4 MB page at 0x%08" PRIX32 "\n", ind,
                      l->value & X86_LARGE_FRAME_MASK);
        if (l->value & X86_LARGE_RSVD)
            strbuf_printf(b, "%s         bits 21:13 are reserved and not all 0 (0x%08" PRIX32 ")\n", ind,
                          l->value & X86_LARGE_RSVD);
    } else if (pde) {
        strbuf_printf(b, "%s         present: page table at 0x%08" PRIX32 "\n", ind, l->value & X86_FRAME_MASK);
    } else {
        strbuf_printf(b, "%s         present: frame at 0x%08" PRIX32 "\n", ind, l->value & X86_FRAME_MASK);
    }
    if (l->value_after != l->value) {
        bool a = (l->value_after ^ l->value) & X86_A, d = (l->value_after ^ l->value) & X86_D;
        strbuf_printf(b, "%s         the processor sets %s%s%s: now 0x%08" PRIX32 "\n", ind, a ? "A" : "",
                      a && d ? " and " : "", d ? "D" : "", l->value_after);
    }
}

static void rights_text(strbuf_t *b, const mmu_walk_t *w, const char *ind)
{
    const char *who = w->mode == MMU_USER ? "user" : "supervisor";
    if (w->nlevels == 2 && w->tlb != MMU_TLB_HIT) {
        uint32_t d = w->level[0].value, t = w->level[1].value;
        strbuf_printf(b, "%srights   R/W = %u AND %u = %u, U/S = %u AND %u = %u", ind, (d >> 1) & 1u, (t >> 1) & 1u,
                      w->rw, (d >> 2) & 1u, (t >> 2) & 1u, w->us);
    } else {
        strbuf_printf(b, "%srights   R/W = %u, U/S = %u%s", ind, w->rw, w->us, w->tlb == MMU_TLB_HIT ? " (cached)" : "");
    }
    strbuf_printf(b, ", CR0.WP = %u: %s %s %s\n", (w->cr0 & X86_CR0_WP) ? 1u : 0u, who, mmu_access_str(w->access),
                  w->reason == MMU_OK ? "allowed" : "refused");
}

void fmt_walk_text(strbuf_t *b, const mmu_walk_t *w, const char *ind)
{
    uint32_t va = w->va;
    strbuf_printf(b, "%slinear   0x%08" PRIX32 ", %s access in %s mode\n", ind, va, mmu_access_str(w->access),
                  w->mode == MMU_USER ? "user" : "supervisor");
    strbuf_printf(b, "%s         ", ind);
    bits(b, va, 31, 22);
    strbuf_putc(b, ' ');
    bits(b, va, 21, 12);
    strbuf_putc(b, ' ');
    bits(b, va, 11, 0);
    strbuf_printf(b, "\n%s         directory  table      offset\n", ind);
    strbuf_printf(b, "%s         0x%03" PRIX32 "      0x%03" PRIX32 "      0x%03" PRIX32 "   (%" PRIu32 ", %" PRIu32
                  ", %" PRIu32 ")\n", ind, X86_PDE_INDEX(va), X86_PTE_INDEX(va), X86_PAGE_OFFSET(va), X86_PDE_INDEX(va),
                  X86_PTE_INDEX(va), X86_PAGE_OFFSET(va));
    if (w->tlb == MMU_TLB_HIT) {
        strbuf_printf(b, "%sTLB      hit: the cached translation is used, no memory is read\n", ind);
        strbuf_printf(b, "%s         cached %s page at 0x%08" PRIX32 "\n", ind, w->large ? "4 MB" : "4 KB", w->frame);
        bool stale = w->nlevels == 0 || !(w->level[w->nlevels - 1].value & X86_P) ||
                     ((w->level[w->nlevels - 1].value & (w->large ? X86_LARGE_FRAME_MASK : X86_FRAME_MASK)) != w->frame);
        if (stale)
            strbuf_printf(b, "%s         memory now says otherwise: the entry is stale until invlpg or a CR3 load\n",
                          ind);
    } else {
        strbuf_printf(b, "%sCR3      0x%08" PRIX32 ": page directory at 0x%08" PRIX32 "\n", ind, w->cr3,
                      w->cr3 & X86_CR3_BASE);
        for (int i = 0; i < w->nlevels; i++) level_text(b, w, &w->level[i], ind);
    }
    bool translated = w->reason == MMU_OK || w->reason == MMU_USER_SUPERVISOR || w->reason == MMU_USER_WRITE_RO ||
                      w->reason == MMU_KERNEL_WRITE_RO;
    if (translated) rights_text(b, w, ind);
    if (w->reason == MMU_OK) {
        if (w->large)
            strbuf_printf(b, "%sphysical 0x%08" PRIX32 " + 0x%06" PRIX32 " (bits 21:0) = 0x%08" PRIX32 "\n", ind, w->frame,
                          X86_LARGE_OFFSET(va), w->phys);
        else
            strbuf_printf(b, "%sphysical 0x%08" PRIX32 " + 0x%03" PRIX32 " = 0x%08" PRIX32 "\n", ind, w->frame,
                          X86_PAGE_OFFSET(va), w->phys);
    } else {
        strbuf_printf(b, "%s#PF      %s\n%s         error code ", ind, mmu_reason_str(w->reason), ind);
        fmt_error_code(b, w->error_code);
        strbuf_putc(b, '\n');
    }
    if (w->dirty_rewalk)
        strbuf_printf(b, "%sTLB      the entry was cached clean: a write walks the tables again to set D in memory "
                      "(counted as a miss)%s\n", ind, w->reason == MMU_OK ? "; the entry is dirty now" : "");
    else if (w->tlb == MMU_TLB_MISS)
        strbuf_printf(b, "%sTLB      miss%s\n", ind, w->reason == MMU_OK ? ": the translation is cached now" : "");
}
