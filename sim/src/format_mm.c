/* WinDbg's views of a process, made from the memory manager's own state:
 * !address walks VirtualQuery, !pte reads the PDE and PTE through the
 * self-map, !vad walks the allocation tree. */
#include "mm_int.h"
#include "pagesim/winsdk.h"
#include "pagesim/format.h"
#include "pagesim/winconst.h"
#include "pagesim/inspect.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* A region's state or type by its SDK name ("" for a free region's type). */
static const char *mem_name(uint32_t v)
{
    const char *name = wc_mem_name(v);
    return name ? name : "";
}

static void usage_of(const mm_process_t *p, const mm_mbi_t *m, char *buf, size_t n)
{
    const vad_t *v = m->State == MEM_FREE ? NULL : vad_find(&p->vads, m->BaseAddress);
    const char *name = v && v->tag && p->mm->namer ? p->mm->namer(p->mm->namer_ud, v->tag) : NULL;
    if (!v) snprintf(buf, n, "Free");
    else if (name) snprintf(buf, n, "%s", name);
    else if (v->label) snprintf(buf, n, "%s", v->label);
    else snprintf(buf, n, "%s", v->type == MEM_MAPPED ? "MappedFile" : "<unknown>");
    /* A thread's stack says whose, as WinDbg's "Stack [~0; ...]" does. */
    for (uint32_t i = 0; v && !name && i < p->nthreads; i++)
        if (p->threads[i].dealloc == v->start && p->threads[i].base == v->end)
            snprintf(buf, n, "%s [thread %s]", v->label ? v->label : "stack", p->threads[i].name);
}

static void region_line(strbuf_t *b, const mm_process_t *p, const mm_mbi_t *m)
{
    char usage[48];
    usage_of(p, m, usage, sizeof usage);
    strbuf_t prot;
    strbuf_init(&prot, b->alloc);
    if (m->State != MEM_RESERVE) wc_format_protect(&prot, m->Protect);
    strbuf_printf(b, "%c %8" PRIx32 " %8" PRIx32 " %8" PRIx32 " %-11s %-11s %-26s %s\n",
                  m->BaseAddress == m->AllocationBase && m->State != MEM_FREE ? '+' : ' ', m->BaseAddress,
                  m->BaseAddress + m->RegionSize, m->RegionSize, mem_name(m->Type), mem_name(m->State),
                  strbuf_str(&prot), usage);
    strbuf_fini(&prot);
}

void fmt_address(strbuf_t *b, mm_process_t *p, bool summary, bool one, uint32_t addr)
{
    uint32_t high = mm_user_high(p->mm);
    mm_mbi_t m;
    if (one) {
        if (mm_virtual_query(p, addr, &m, NULL)) {
            strbuf_printf(b, "0x%08" PRIX32 " is not in user space (it ends at 0x%08" PRIX32 ")\n", addr, high);
            return;
        }
        strbuf_printf(b, "Usage:           ");
        char usage[48];
        usage_of(p, &m, usage, sizeof usage);
        strbuf_printf(b, "%s\nBase Address:    %08" PRIx32 "\nEnd Address:     %08" PRIx32 "\nRegion Size:     %08" PRIx32
                      "\nState:           %08" PRIx32 "  %s\n", usage, m.BaseAddress, m.BaseAddress + m.RegionSize,
                      m.RegionSize, m.State, mem_name(m.State));
        strbuf_printf(b, "Protect:         %08" PRIx32 "  ", m.Protect);
        wc_format_protect(b, m.Protect);
        strbuf_printf(b, "\nType:            %08" PRIx32 "  %s\nAllocation Base: %08" PRIx32 "\n", m.Type,
                      mem_name(m.Type), m.AllocationBase);
        return;
    }
    uint64_t by_state[3] = { 0 }, by_type[3] = { 0 };
    uint32_t nregions = 0, n_state[3] = { 0 }, n_type[3] = { 0 };
    if (!summary) {
        strbuf_puts(b, "  BaseAddr EndAddr+1  RgnSize Type        State       Protect                    Usage\n");
        strbuf_puts(b, "-----------------------------------------------------------------------------------------\n");
    }
    for (uint64_t a = 0; a <= high; a += m.RegionSize) {
        if (a < MM_USER_LOW) {
            m = (mm_mbi_t){ 0, 0, 0, MM_USER_LOW, MEM_FREE, PAGE_NOACCESS, 0 };
        } else if (mm_virtual_query(p, (uint32_t)a, &m, NULL) || !m.RegionSize) {
            break;
        }
        nregions++;
        int si = m.State == MEM_COMMIT ? 0 : m.State == MEM_RESERVE ? 1 : 2;
        by_state[si] += m.RegionSize;
        n_state[si]++;
        if (m.Type) {
            int ti = m.Type == MEM_PRIVATE ? 0 : m.Type == MEM_MAPPED ? 1 : 2;
            by_type[ti] += m.RegionSize;
            n_type[ti]++;
        }
        if (!summary) region_line(b, p, &m);
    }
    if (!summary) return;
    uint64_t total = (uint64_t)high + 1, busy = by_state[0] + by_state[1];
    static const uint32_t sn[] = { MEM_COMMIT, MEM_RESERVE, MEM_FREE };
    static const uint32_t tn[] = { MEM_PRIVATE, MEM_MAPPED, MEM_IMAGE };
    strbuf_puts(b, "--- State Summary ------ RgnCount ------ Total Size ------------ %ofAll\n");
    for (int i = 0; i < 3; i++)
        strbuf_printf(b, "%-22s %10" PRIu32 " %10" PRIx64 " (%9.3f MB) %7.2f%%\n", mem_name(sn[i]), n_state[i], by_state[i],
                      (double)by_state[i] / 1048576.0, 100.0 * (double)by_state[i] / (double)total);
    strbuf_puts(b, "--- Type Summary ------- RgnCount ------ Total Size ----------- %ofBusy\n");
    for (int i = 0; i < 3; i++)
        strbuf_printf(b, "%-22s %10" PRIu32 " %10" PRIx64 " (%9.3f MB) %7.2f%%\n", mem_name(tn[i]), n_type[i], by_type[i],
                      (double)by_type[i] / 1048576.0, busy ? 100.0 * (double)by_type[i] / (double)busy : 0.0);
    strbuf_printf(b, "%u regions\n", nregions);
}

/* WinDbg's flag letters of a valid entry: C G L D A N T U/K W/R E V. */
static void hw_flags(strbuf_t *b, uint32_t e, bool pde)
{
    char f[12] = "-----------";
    if (!pde && (e & PTE_COW)) f[0] = 'C';
    if (e & X86_G) f[1] = 'G';
    if (pde && (e & X86_PS)) f[2] = 'L';
    if (e & X86_D) f[3] = 'D';
    if (e & X86_A) f[4] = 'A';
    if (e & X86_PCD) f[5] = 'N';
    if (e & X86_PWT) f[6] = 'T';
    f[7] = (e & X86_US) ? 'U' : 'K';
    f[8] = (e & X86_RW) ? 'W' : 'R';
    f[9] = 'E';
    f[10] = 'V';
    strbuf_printf(b, "pfn %-5" PRIx32 " %s", e >> X86_PAGE_SHIFT, f);
}

static const char *mm_prot_name(uint32_t prot)
{
    static const char *const names[8] = { "NoAccess", "ReadOnly", "Execute", "ExecuteRead", "ReadWrite",
                                           "WriteCopy", "ExecuteReadWrite", "ExecuteWriteCopy" };
    if (prot == MM_NOACCESS) return "NoAccess";
    if (prot == MM_DECOMMIT) return "Decommitted";
    return names[MM_BASE(prot)];
}

static void sw_entry(strbuf_t *b, uint32_t e)
{
    if (!e) {
        strbuf_puts(b, "not valid (zero: nothing committed)");
        return;
    }
    uint32_t prot = spte_prot(e);
    strbuf_puts(b, "not valid\n    ");
    if (e == MM_DECOMMITTED_PTE) {
        strbuf_printf(b, "Decommitted: the page was committed and is only reserved now (the table stays until the "
                         "region is released)\n    Protect: %" PRIx32 " - Decommitted", prot);
        return;
    }
    if (e & SPTE_TRANSITION) strbuf_printf(b, "Transition: %" PRIx32 "", e >> X86_PAGE_SHIFT);
    else if (e & SPTE_PROTOTYPE) strbuf_puts(b, "Proto: section page");
    else if (e >> SPTE_SLOT_SHIFT) strbuf_printf(b, "PageFile: 0 Offset: %" PRIx32, (e >> SPTE_SLOT_SHIFT) - 1);
    else strbuf_puts(b, "DemandZero");
    strbuf_printf(b, "\n    Protect: %" PRIx32 " - %s", prot, mm_prot_name(prot));
    if (mm_prot_guard(prot)) strbuf_puts(b, " Guard");
    if (MM_MODS(prot) == MM_NOCACHE) strbuf_puts(b, " NoCache");
}

void fmt_pte(strbuf_t *b, mm_process_t *p, uint32_t va)
{
    uint32_t pde_va = MM_PDE_BASE + X86_PDE_INDEX(va) * 4;
    uint32_t pte_va = MM_PTE_BASE + (va >> X86_PAGE_SHIFT) * 4;
    uint32_t pde = mm_pde(p, va);
    strbuf_printf(b, "                    VA %08" PRIx32 "\n", va);
    strbuf_printf(b, "PDE at %08" PRIX32 "            PTE at %08" PRIX32 "\n", pde_va, pte_va);
    strbuf_printf(b, "contains %08" PRIX32 "\n", pde);
    if (!(pde & X86_P)) {
        strbuf_puts(b, "not valid: no page table, so nothing in these 4 MB is committed\n");
        return;
    }
    hw_flags(b, pde, true);
    strbuf_putc(b, '\n');
    if (pde & X86_PS) {
        strbuf_puts(b, "a 4 MB page: there is no PTE\n");
        return;
    }
    uint32_t pte = phys_read32(mmu_phys_const(p->mm->mmu), (pde & X86_FRAME_MASK) + X86_PTE_INDEX(va) * 4);
    strbuf_printf(b, "PTE contains %08" PRIX32 "\n", pte);
    if (pte & X86_P) hw_flags(b, pte, false);
    else sw_entry(b, pte);
    strbuf_putc(b, '\n');
    if (va >= mm_user_high(p->mm)) return;
    mm_backing_t k;
    mm_page_backing(p, va, &k);
    if (k.kind == MM_BACK_NONE) return;
    strbuf_puts(b, "backing: ");
    fmt_backing(b, &k);
    strbuf_putc(b, '\n');
}

static void vad_walk(strbuf_t *b, const mm_process_t *p, const vad_t *v, int level)
{
    if (!v) return;
    vad_walk(b, p, v->left, level + 1);
    uint32_t commit = mm_count_committed(p, v->start, v->end);
    const char *name = v->tag && p->mm->namer ? p->mm->namer(p->mm->namer_ud, v->tag) : v->label;
    strbuf_printf(b, "(%2d) %8" PRIx32 " %8" PRIx32 " %8" PRIu32 " %-8s %-18s %s\n", level, v->start >> 12,
                  (v->end - 1) >> 12, commit, v->type == MEM_PRIVATE ? "Private" : v->type == MEM_MAPPED ? "Mapped" : "Image",
                  mm_prot_name(mm_from_win32(v->alloc_protect)), name ? name : "");
    vad_walk(b, p, v->right, level + 1);
}

void fmt_vad(strbuf_t *b, mm_process_t *p)
{
    strbuf_puts(b, "level    start      end   commit type     protection         name\n");
    vad_walk(b, p, p->vads.root, 1);
    strbuf_printf(b, "Total VADs: %u\n", p->vads.count);
}
