/* The memory manager's machine: its configuration, the kernel's frames, its
 * making and unmaking, and the explanations every call gives. */
#include "mem.h"
#include "mm_int.h"
#include "pagesim/stack.h"
#include "pagesim/winconst.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define KERNEL_FRAMES 1024u  /* the first 4 MB: the kernel image, 4 MB page */

void mm_config_default(mm_config_t *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->ram = 1024ull << 20;
    cfg->pagefile = 1536ull << 20;
    cfg->tlb = MMU_TLB_DEFAULT;
    cfg->policy = MM_POLICY_CLOCK;
    cfg->stack_reserve = MM_STACK_RESERVE_DEFAULT;
    cfg->stack_commit = MM_STACK_COMMIT_DEFAULT;
}

bool mm_config_valid(const mm_config_t *cfg)
{
    return cfg->ram >= (8u << 20) && cfg->ram <= PHYS_MAX_SIZE && cfg->ram % X86_PAGE_SIZE == 0 &&
           cfg->pagefile % X86_PAGE_SIZE == 0 && cfg->pagefile <= (4ull << 30) && cfg->tlb <= MMU_TLB_MAX &&
           (unsigned)cfg->policy <= MM_POLICY_LRU && mm_stack_sizes_valid(cfg->stack_reserve, cfg->stack_commit);
}

/* Explanations. ----------------------------------------------------------- */

void mm_say(strbuf_t *why, const char *fmt, ...)
{
    if (!why) return;
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(why, fmt, ap);
    va_end(ap);
}

uint32_t mm_fail(strbuf_t *why, uint32_t code, const char *fmt, ...)
{
    if (why) {
        va_list ap;
        va_start(ap, fmt);
        strbuf_vprintf(why, fmt, ap);
        va_end(ap);
    }
    return code;
}

bool mm_oom(mm_t *mm)
{
    mm->host_oom = true;
    return false;
}

bool mm_host_oom(const mm_t *mm)
{
    return mm->host_oom;
}

void mm_note(strbuf_t *why, unsigned kind, const char *fmt, ...)
{
    if (!why || !strbuf_tally(why, kind, MM_NOTES_SHOWN)) return;
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(why, fmt, ap);
    va_end(ap);
}

/* 524288 as "524,288". */
static void put_count(strbuf_t *b, uint64_t v)
{
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0) strbuf_putc(b, ',');
        strbuf_putc(b, digits[i]);
    }
}

void mm_explain_end(strbuf_t *why)
{
    static const char *const what[] = { "eviction", "demand-zero fault", "hard fault", "copy-on-write fault",
                                          "stack growth" };
    bool first = true;
    for (unsigned k = 0; k < sizeof what / sizeof what[0]; k++) {
        uint64_t more = strbuf_tally_more(why, k);
        if (!more) continue;
        strbuf_puts(why, first ? "(and " : ", ");
        put_count(why, more);
        strbuf_printf(why, " more %s%s", what[k], more == 1 ? "" : "s");
        first = false;
    }
    if (!first) strbuf_puts(why, " like these)");
}

/* Naming and hooks. ------------------------------------------------------- */

void mm_set_namer(mm_t *mm, mm_namer_fn fn, void *ud)
{
    mm->namer = fn;
    mm->namer_ud = ud;
}

void mm_set_hooks(mm_t *mm, const mm_hooks_t *h)
{
    if (h) mm->hooks = *h;
    else memset(&mm->hooks, 0, sizeof mm->hooks);
}

void mm_describe_vad(const mm_t *mm, strbuf_t *b, const vad_t *v)
{
    const char *name = v->tag && mm->namer ? mm->namer(mm->namer_ud, v->tag) : NULL;
    if (name) strbuf_printf(b, "allocation `%s`", name);
    else if (v->label) strbuf_printf(b, "the %s", v->label);
    else strbuf_puts(b, "an allocation");
    strbuf_printf(b, " (0x%08X-0x%08X)", v->start, v->end - 1);
}

bool mm_tag(mm_process_t *p, uint32_t addr, uint32_t tag)
{
    vad_t *v = vad_find(&p->vads, addr);
    if (!v) return false;
    v->tag = tag;
    return true;
}

uint32_t mm_user_high(const mm_t *mm)
{
    return mm->cfg.split_3g ? MM_USER_HIGH_3G : MM_USER_HIGH_2G;
}

uint32_t mm_kernel_base(const mm_t *mm)
{
    return mm->cfg.split_3g ? MM_KERNEL_BASE_3G : MM_KERNEL_BASE;
}

mmu_t *mm_mmu(mm_t *mm) { return mm->mmu; }
const mm_config_t *mm_config(const mm_t *mm) { return &mm->cfg; }

/* The machine. ------------------------------------------------------------ */

/* KUSER_SHARED_DATA's frame, and the page table of the last 4 MB of system
 * space (its kernel view, writable by the kernel only). */
static bool make_system(mm_t *mm)
{
    if (!mm_frame_alloc(mm, NULL, NULL, &mm->shared_frame) || !mm_frame_alloc(mm, NULL, NULL, &mm->kernel_pt))
        return false;
    mm_pfn(mm, mm->shared_frame)->flags |= PFN_SYSTEM;
    mm_pfn(mm, mm->shared_frame)->prot = MM_READONLY;
    mm_pfn(mm, mm->kernel_pt)->flags |= PFN_SYSTEM | PFN_PAGE_TABLE;
    return phys_write32(mmu_phys(mm->mmu), (mm->kernel_pt << X86_PAGE_SHIFT) + X86_PTE_INDEX(MM_SHARED_KERNEL) * 4,
                        (mm->shared_frame << X86_PAGE_SHIFT) | X86_P | X86_RW | X86_G) == PS_OK;
}

ps_result_t mm_new(const ps_alloc_t *a, const mm_config_t *cfg, mm_t **out)
{
    *out = NULL;
    if (!a) a = ps_default_alloc();
    if (!mm_config_valid(cfg)) return PS_EINVAL;
    mm_t *mm = ps_calloc(a, sizeof *mm);
    if (!mm) return PS_ENOMEM;
    mm->alloc = a;
    mm->cfg = *cfg;
    mm_process_names_init(mm);
    mm_sections_init(mm);
    mmu_config_t mc = { cfg->ram, cfg->tlb };
    ps_result_t r = mmu_new(a, &mc, &mm->mmu);
    if (r != PS_OK) {
        ps_free(a, mm, sizeof *mm);
        return r;
    }
    /* Windows runs with 4 MB pages and global pages enabled, and CR0.WP
     * set so that the kernel cannot write read-only user pages. */
    mmu_set_cr0(mm->mmu, mmu_cr0(mm->mmu) | X86_CR0_WP);
    mmu_set_cr4(mm->mmu, X86_CR4_PSE | X86_CR4_PGE);
    mm->nframes = (uint32_t)(cfg->ram >> X86_PAGE_SHIFT);
    mm->first_free_frame = KERNEL_FRAMES;
    mm->next_fresh = KERNEL_FRAMES;
    mm->commit_limit_pages = (cfg->ram + cfg->pagefile) >> X86_PAGE_SHIFT;
    r = mm_paging_init(mm);
    if (r == PS_OK && !make_system(mm)) r = PS_ENOMEM;
    mm_process_t *p = NULL;
    if (r == PS_OK) r = mm_process_create(mm, MM_FIRST_PROCESS, NULL, &p);
    if (r != PS_OK) {
        if (r == PS_ESTATE) r = mm->host_oom ? PS_ENOMEM : PS_EINVAL;
        mm_free(mm);
        return r;
    }
    mm_switch(mm, p);
    *out = mm;
    return PS_OK;
}

void mm_free(mm_t *mm)
{
    if (!mm) return;
    mm_sections_free(mm);
    fs_free(mm);
    mm_paging_fini(mm);
    mm_processes_free(mm);
    for (uint32_t g = 0; g < sizeof mm->pfn_group / sizeof mm->pfn_group[0]; g++)
        ps_free(mm->alloc, mm->pfn_group[g], PFN_GROUP * sizeof(pfn_t));
    mmu_free(mm->mmu);
    ps_free(mm->alloc, mm->awe_log, mm->capawe_log * sizeof *mm->awe_log);
    ps_free(mm->alloc, mm, sizeof *mm);
}
