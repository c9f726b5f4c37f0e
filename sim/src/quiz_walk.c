/* The questions of one translation, in the order the processor meets them:
 * the address split, the TLB lookup, the PDE and the PTE, the outcome (the
 * physical address or the page fault and its error code), the A/D flags
 * the walk set and, in a Windows process, how the memory manager resolved
 * a fault. Answers are the walk record's fields; explanations are the
 * lines the core's narrator (fmt_walk_lines) tells for the same step. */
#include "pagesim/format.h"
#include "pagesim/mm.h"
#include "pagesim/x86.h"
#include "quiz_int.h"
#include <stdio.h>
#include <string.h>

/* The narrator's block labelled `label` (its first line and the
 * continuation lines after it), joined with "; ". */
static void block(const fmt_line_t *l, int n, const char *label, char *out, size_t size)
{
    out[0] = '\0';
    size_t len = 0;
    for (int i = 0; i < n; i++) {
        if (strcmp(l[i].label, label) != 0) continue;
        for (int j = i; j < n && (j == i || l[j].label[0] == '\0'); j++) {
            int w = snprintf(out + len, size - len, "%s%s", len ? "\n" : "", l[j].text);
            if (w < 0 || (size_t)w >= size - len) return;
            len += (size_t)w;
        }
        return;
    }
}

/* The split of the address, the TLB and the entries read. */
static void split_and_entries(quiz_set_t *s, const mmu_walk_t *w, const fmt_line_t *l, int n)
{
    char why[480];
    block(l, n, "linear", why, sizeof why);
    uint32_t dir = w->nlevels > 0 ? w->level[0].index : w->va >> 22;
    qz_add(s, "dir_index", QUIZ_NUMBER, dir, why, "Directory index (bits 31-22) of 0x%08X?", (unsigned)w->va);
    if (!w->large) {
        uint32_t tab = w->nlevels > 1 ? w->level[1].index : (w->va >> 12) & 0x3FFu;
        qz_add(s, "table_index", QUIZ_NUMBER, tab, why, "Table index (bits 21-12)?");
        qz_add(s, "offset", QUIZ_NUMBER, w->va & 0xFFFu, why, "Offset in the page (bits 11-0)?");
    } else {
        qz_add(s, "offset", QUIZ_NUMBER, w->va & 0x3FFFFFu, why, "Offset in the 4 MB page (bits 21-0)?");
    }
    if (w->tlb != MMU_TLB_OFF) {
        block(l, n, "TLB", why, sizeof why);
        qz_add(s, "tlb", QUIZ_TLB, w->tlb == MMU_TLB_HIT && !w->dirty_rewalk, why, "TLB hit or miss?");
    }
    if (w->nlevels > 0) {
        block(l, n, "PDE", why, sizeof why);
        qz_add(s, "pde_addr", QUIZ_ADDRESS, w->level[0].entry_addr, why, "Physical address of the PDE?");
        qz_add(s, "pde_present", QUIZ_BOOL, w->level[0].value & X86_P, why, "Is the PDE present (P=1)?");
    }
    if (w->nlevels > 1) {
        block(l, n, "PTE", why, sizeof why);
        qz_add(s, "pte_addr", QUIZ_ADDRESS, w->level[1].entry_addr, why, "Physical address of the PTE?");
        qz_add(s, "pte_present", QUIZ_BOOL, w->level[1].value & X86_P, why, "Is the PTE present (P=1)?");
    }
}

void qz_walk(quiz_set_t *s, const mmu_walk_t *w, bool process, int resolved)
{
    fmt_line_t l[FMT_WALK_LINES];
    int n = fmt_walk_lines(w, l, FMT_WALK_LINES, NULL);
    split_and_entries(s, w, l, n);
    char why[480];
    bool fault = w->reason != MMU_OK;
    block(l, n, fault ? "#PF" : "rights", why, sizeof why);
    qz_add(s, "fault", QUIZ_BOOL, fault, why, "Does the %s %s access raise a page fault?", mmu_mode_str(w->mode),
           mmu_access_str(w->access));
    if (!fault) {
        block(l, n, "physical", why, sizeof why);
        qz_add(s, "phys", QUIZ_ADDRESS, w->phys, why, "Physical address?");
    } else {
        qz_add(s, "error_code", QUIZ_PF_CODE, w->error_code, why,
               "Page-fault error code (bit 0 P, bit 1 W/R, bit 2 U/S)?");
    }
    if (w->tlb != MMU_TLB_HIT || w->dirty_rewalk) {
        unsigned ad = (w->set_accessed ? 1u : 0u) | (w->set_dirty ? 2u : 0u);
        char entries[480] = "";
        size_t len = 0;
        for (int i = 0; i < w->nlevels; i++) {
            const mmu_level_t *e = &w->level[i];
            if (e->value == e->value_after) continue;
            int k = snprintf(entries + len, sizeof entries - len, "%s%s 0x%08X -> 0x%08X", len ? "; " : "",
                             e->kind == MMU_LEVEL_PDE ? "PDE" : "PTE", (unsigned)e->value, (unsigned)e->value_after);
            if (k > 0 && (size_t)k < sizeof entries - len) len += (size_t)k;
        }
        qz_add(s, "ad_set", QUIZ_AD, ad, len ? entries : "no entry changed",
               "Which of A/D does the processor set (none, A, D, A D)?");
    }
    if (process && fault && resolved != MM_RES_NONE)
        qz_add(s, "resolved", QUIZ_RESOLUTION, (uint32_t)resolved, NULL,
               "How does the memory manager resolve the fault?");
}
