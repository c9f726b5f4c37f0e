/* The memory manager's machine: physical frames and the PFN database,
 * processes and their page directories, page tables on demand. */
#include "mem.h"
#include "mm_int.h"
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
}

/* Frames and the PFN database. ------------------------------------------ */

pfn_t *mm_pfn(mm_t *mm, uint32_t frame)
{
    uint32_t g = frame / PFN_GROUP;
    if (!mm->pfn_group[g]) {
        mm->pfn_group[g] = ps_calloc(mm->alloc, PFN_GROUP * sizeof(pfn_t));
        if (!mm->pfn_group[g]) return NULL;
    }
    return &mm->pfn_group[g][frame % PFN_GROUP];
}

const pfn_t *mm_pfn_peek(const mm_t *mm, uint32_t frame)
{
    const pfn_t *g = mm->pfn_group[frame / PFN_GROUP];
    return g ? &g[frame % PFN_GROUP] : NULL;
}

bool mm_frame_alloc(mm_t *mm, uint32_t *frame)
{
    uint32_t f;
    if (!mm->nfree && mm->next_fresh >= mm->nframes) (void)mm_evict(mm, NULL);
    if (mm->nfree) f = mm->free_stack[--mm->nfree];
    else if (mm->next_fresh < mm->nframes) f = mm->next_fresh++;
    else return false;
    pfn_t *e = mm_pfn(mm, f);
    if (!e) {
        mm_frame_free(mm, f);
        return false;
    }
    memset(e, 0, sizeof *e);
    e->flags = PFN_USED;
    phys_discard_frame(mmu_phys(mm->mmu), f << X86_PAGE_SHIFT); /* reads as zeros */
    *frame = f;
    return true;
}

void mm_frame_free(mm_t *mm, uint32_t frame)
{
    if (frame >= mm->first_free_frame && mm->repl.in) repl_removed(&mm->repl, frame - mm->first_free_frame);
    pfn_t *e = mm_pfn(mm, frame);
    if (e) memset(e, 0, sizeof *e);
    phys_discard_frame(mmu_phys(mm->mmu), frame << X86_PAGE_SHIFT);
    /* On failure the frame is lost to the pool, never to correctness. */
    if (!ps_grow(mm->alloc, (void **)&mm->free_stack, &mm->capfree, mm->nfree + 1, sizeof *mm->free_stack)) return;
    mm->free_stack[mm->nfree++] = frame;
}

uint32_t mm_free_frames(const mm_t *mm)
{
    return mm->nframes - mm->next_fresh + mm->nfree;
}

/* Page tables. ------------------------------------------------------------ */

uint32_t mm_pde(const mm_process_t *p, uint32_t va)
{
    return phys_read32(mmu_phys_const(p->mm->mmu), p->pd + X86_PDE_INDEX(va) * 4);
}

void mm_pte_cursor_init(mm_pte_cursor_t *c, const mm_process_t *p)
{
    c->p = p;
    c->pdi = 0x400u;
    c->table = NULL;
}

uint32_t mm_pte_next(mm_pte_cursor_t *c, uint32_t va)
{
    if (X86_PDE_INDEX(va) != c->pdi) {
        c->pdi = X86_PDE_INDEX(va);
        uint32_t pde = mm_pde(c->p, va);
        c->table = (pde & X86_P) && !(pde & X86_PS)
                       ? phys_frame_peek(mmu_phys_const(c->p->mm->mmu), pde >> X86_PAGE_SHIFT)
                       : NULL;
    }
    if (!c->table) return 0;
    return phys_le32(c->table + X86_PTE_INDEX(va) * 4);
}

uint32_t mm_pte(const mm_process_t *p, uint32_t va)
{
    mm_pte_cursor_t c;
    mm_pte_cursor_init(&c, p);
    return mm_pte_next(&c, va);
}

bool mm_ensure_table(mm_process_t *p, uint32_t va)
{
    mm_t *mm = p->mm;
    if (mm_pde(p, va) & X86_P) return true;
    uint32_t f;
    if (!mm_frame_alloc(mm, &f)) return false;
    pfn_t *e = mm_pfn(mm, f);
    e->flags |= PFN_PAGE_TABLE;
    e->owner = (uint16_t)(p->id + 1);
    e->va = MM_PTE_BASE + X86_PDE_INDEX(va) * X86_PAGE_SIZE;
    e->share = 1;
    uint32_t pde = (f << X86_PAGE_SHIFT) | X86_P | X86_RW | X86_US;
    (void)phys_write32(mmu_phys(mm->mmu), p->pd + X86_PDE_INDEX(va) * 4, pde);
    p->pt_pages++;
    p->pt_used[X86_PDE_INDEX(va)] = 0;
    mm->commit_pages++;
    /* The self-map makes the new table visible at 0xC0000000 + index * 4K. */
    if (mm->current == p) mmu_invlpg(mm->mmu, MM_PTE_BASE + X86_PDE_INDEX(va) * X86_PAGE_SIZE);
    return true;
}

void mm_set_pte(mm_process_t *p, uint32_t va, uint32_t pte)
{
    mm_t *mm = p->mm;
    uint32_t pde = mm_pde(p, va);
    uint32_t addr = (pde & X86_FRAME_MASK) + X86_PTE_INDEX(va) * 4;
    uint32_t old = phys_read32(mmu_phys_const(mm->mmu), addr);
    (void)phys_write32(mmu_phys(mm->mmu), addr, pte);
    uint32_t i = X86_PDE_INDEX(va);
    if (!old && pte) p->pt_used[i]++;
    if (old && !pte) p->pt_used[i]--;
    if (mm->current == p) mmu_invlpg(mm->mmu, va);
}

void mm_release_table_if_empty(mm_process_t *p, uint32_t va)
{
    uint32_t i = X86_PDE_INDEX(va);
    uint32_t pde = mm_pde(p, va);
    if (!(pde & X86_P) || p->pt_used[i] || va > mm_user_high(p->mm)) return;
    mm_t *mm = p->mm;
    (void)phys_write32(mmu_phys(mm->mmu), p->pd + i * 4, 0);
    mm_frame_free(mm, pde >> X86_PAGE_SHIFT);
    p->pt_pages--;
    mm->commit_pages--;
    if (mm->current == p) {
        mmu_invlpg(mm->mmu, MM_PTE_BASE + i * X86_PAGE_SIZE);
        mmu_invlpg(mm->mmu, va);
    }
}

uint32_t mm_page_prot(const mm_process_t *p, uint32_t va)
{
    return mm_page_prot_of(p, va, mm_pte(p, va));
}

uint32_t mm_page_prot_of(const mm_process_t *p, uint32_t va, uint32_t pte)
{
    if (!pte) return 0;
    if (!(pte & X86_P)) return spte_prot(pte);
    const pfn_t *e = mm_pfn_peek(p->mm, pte >> X86_PAGE_SHIFT);
    if (!e) return 0;
    if (!(e->flags & PFN_SECTION)) return e->prot;
    /* A shared section page: the view's PTE bits say what this mapping
     * allows (the frame may be mapped differently elsewhere). */
    const vad_t *v = vad_find(&p->vads, va);
    bool exec = v && (v->alloc_protect & 0xF0u);
    uint32_t base = (pte & PTE_COW) ? (exec ? MM_EXECUTE_WRITECOPY : MM_WRITECOPY)
                    : (pte & X86_RW) ? (exec ? MM_EXECUTE_READWRITE : MM_READWRITE)
                                     : (exec ? MM_EXECUTE_READ : MM_READONLY);
    if ((pte & (X86_PCD | X86_PWT)) == (X86_PCD | X86_PWT)) return base | MM_WRITECOMBINE;
    if (pte & X86_PCD) return base | MM_NOCACHE;
    return base;
}

uint32_t mm_count_committed(const mm_process_t *p, uint32_t start, uint32_t end)
{
    uint32_t n = 0;
    for (uint64_t va = start; va < end; va += X86_PAGE_SIZE) {
        if (!(mm_pde(p, (uint32_t)va) & X86_P)) {
            va = (va | 0x3FFFFFu) - X86_PAGE_SIZE + 1;
            continue;
        }
        if (mm_pte(p, (uint32_t)va)) n++;
    }
    return n;
}

void mm_drop_page(mm_process_t *p, uint32_t va)
{
    mm_t *mm = p->mm;
    uint32_t pte = mm_pte(p, va);
    if (!pte) return;
    uint32_t frame = 0;
    if (pte & X86_P) frame = pte >> X86_PAGE_SHIFT;
    else if (pte & SPTE_TRANSITION) frame = pte >> X86_PAGE_SHIFT;
    else if (!(pte & SPTE_PROTOTYPE)) mm_slot_free(mm, pte >> SPTE_SLOT_SHIFT);
    if (frame) {
        pfn_t *e = mm_pfn(mm, frame);
        if (e && !(e->flags & PFN_SECTION)) mm_slot_free(mm, e->slot);
        if (e && e->share > 1) {
            e->share--;
        } else {
            mm_frame_free(mm, frame);
        }
        if (pte & X86_P) p->ws--;
    }
    mm_set_pte(p, va, 0);
    p->private_commit--;
    mm->commit_pages--;
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

/* Naming. ----------------------------------------------------------------- */

void mm_set_namer(mm_t *mm, mm_namer_fn fn, void *ud)
{
    mm->namer = fn;
    mm->namer_ud = ud;
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

/* Processes. -------------------------------------------------------------- */

uint32_t mm_user_high(const mm_t *mm)
{
    return mm->cfg.split_3g ? MM_USER_HIGH_3G : MM_USER_HIGH_2G;
}

uint32_t mm_kernel_base(const mm_t *mm)
{
    return mm->cfg.split_3g ? MM_KERNEL_BASE_3G : MM_KERNEL_BASE;
}

static bool map_system(mm_process_t *p)
{
    mm_t *mm = p->mm;
    phys_t *ph = mmu_phys(mm->mmu);
    /* Self-map: PDE 0x300 holds the directory's own frame, supervisor only. */
    (void)phys_write32(ph, p->pd + MM_SELFMAP_PDE * 4, p->pd | X86_P | X86_RW | X86_A | X86_D);
    /* The kernel image: a global 4 MB page over physical 0. */
    (void)phys_write32(ph, p->pd + X86_PDE_INDEX(mm_kernel_base(mm)) * 4, X86_P | X86_RW | X86_PS | X86_G);
    /* The last 4 MB of system space, shared by every process. */
    (void)phys_write32(ph, p->pd + X86_PDE_INDEX(MM_SHARED_KERNEL) * 4,
                       (mm->kernel_pt << X86_PAGE_SHIFT) | X86_P | X86_RW);
    /* KUSER_SHARED_DATA read-only in user space. */
    if (!mm_ensure_table(p, MM_SHARED_USER)) return false;
    pfn_t *e = mm_pfn(mm, mm->shared_frame);
    e->share++;
    mm_set_pte(p, MM_SHARED_USER, (mm->shared_frame << X86_PAGE_SHIFT) | X86_P | X86_US);
    vad_t proto = { .start = MM_SHARED_USER, .end = MM_SHARED_USER + VAD_GRANULE, .type = 0x20000,
                    .alloc_protect = 0x02, .flags = VAD_SYSTEM, .label = "shared user data" };
    return vad_insert(&p->vads, &proto) != NULL;
}

ps_result_t mm_process_create(mm_t *mm, const char *name, mm_process_t **out)
{
    *out = NULL;
    if (strlen(name) >= sizeof((mm_process_t *)0)->name || mm_process_find(mm, name) || mm->nprocs >= 0xFFFE)
        return PS_EINVAL;
    if (!ps_grow(mm->alloc, (void **)&mm->procs, &mm->capprocs, mm->nprocs + 1, sizeof *mm->procs)) return PS_ENOMEM;
    mm_process_t *p = ps_calloc(mm->alloc, sizeof *p);
    if (!p) return PS_ENOMEM;
    p->mm = mm;
    p->id = mm->nprocs;
    snprintf(p->name, sizeof p->name, "%s", name);
    vad_init(&p->vads, mm->alloc, MM_USER_LOW, mm_user_high(mm) + 1);
    uint32_t f;
    if (!mm_frame_alloc(mm, &f)) {
        ps_free(mm->alloc, p, sizeof *p);
        return PS_ENOMEM;
    }
    pfn_t *e = mm_pfn(mm, f);
    e->flags |= PFN_DIRECTORY;
    e->owner = (uint16_t)(p->id + 1);
    e->va = MM_PDE_BASE;
    e->share = 1;
    p->pd = f << X86_PAGE_SHIFT;
    mm->procs[mm->nprocs++] = p;
    if (!map_system(p)) return PS_ENOMEM;
    if (!mm->cfg.layout_empty) mm_layout_typical(p);
    *out = p;
    return PS_OK;
}

mm_process_t *mm_process_find(mm_t *mm, const char *name)
{
    for (uint32_t i = 0; i < mm->nprocs; i++)
        if (strcmp(mm->procs[i]->name, name) == 0) return mm->procs[i];
    return NULL;
}

void mm_switch(mm_t *mm, mm_process_t *p)
{
    if (mm->current == p) return;
    mm->current = p;
    mmu_set_cr3(mm->mmu, p->pd);
}

mm_process_t *mm_current(mm_t *mm) { return mm->current; }
const char *mm_process_name(const mm_process_t *p) { return p->name; }
uint32_t mm_process_count(const mm_t *mm) { return mm->nprocs; }
mm_process_t *mm_process_at(mm_t *mm, uint32_t i) { return i < mm->nprocs ? mm->procs[i] : NULL; }
uint32_t mm_process_cr3(const mm_process_t *p) { return p->pd; }
mmu_t *mm_mmu(mm_t *mm) { return mm->mmu; }
const mm_config_t *mm_config(const mm_t *mm) { return &mm->cfg; }

/* The machine. ------------------------------------------------------------ */

ps_result_t mm_new(const ps_alloc_t *a, const mm_config_t *cfg, mm_t **out)
{
    *out = NULL;
    if (!a) a = ps_default_alloc();
    if (cfg->ram < (8u << 20) || cfg->ram > PHYS_MAX_SIZE || cfg->ram % X86_PAGE_SIZE ||
        cfg->pagefile % X86_PAGE_SIZE || cfg->pagefile > (4ull << 30) || cfg->tlb > MMU_TLB_MAX)
        return PS_EINVAL;
    mm_t *mm = ps_calloc(a, sizeof *mm);
    if (!mm) return PS_ENOMEM;
    mm->alloc = a;
    mm->cfg = *cfg;
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
    mm_process_t *p;
    r = mm_paging_init(mm);
    if (r != PS_OK) {
        mm_free(mm);
        return r;
    }
    if (!mm_frame_alloc(mm, &mm->shared_frame) || !mm_frame_alloc(mm, &mm->kernel_pt)) goto oom;
    mm_pfn(mm, mm->shared_frame)->flags |= PFN_SYSTEM;
    mm_pfn(mm, mm->shared_frame)->prot = MM_READONLY;
    mm_pfn(mm, mm->kernel_pt)->flags |= PFN_SYSTEM | PFN_PAGE_TABLE;
    /* KUSER_SHARED_DATA's kernel view, writable by the kernel only. */
    (void)phys_write32(mmu_phys(mm->mmu), (mm->kernel_pt << X86_PAGE_SHIFT) + X86_PTE_INDEX(MM_SHARED_KERNEL) * 4,
                       (mm->shared_frame << X86_PAGE_SHIFT) | X86_P | X86_RW | X86_G);
    r = mm_process_create(mm, "main", &p);
    if (r != PS_OK) {
        mm_free(mm);
        return r;
    }
    mm_switch(mm, p);
    *out = mm;
    return PS_OK;
oom:
    mm_free(mm);
    return PS_ENOMEM;
}

static void process_free(mm_t *mm, mm_process_t *p)
{
    vad_fini(&p->vads);
    ps_free(mm->alloc, p, sizeof *p);
}

void mm_free(mm_t *mm)
{
    if (!mm) return;
    mm_sections_free(mm);
    mm_paging_fini(mm);
    for (uint32_t i = 0; i < mm->nprocs; i++) process_free(mm, mm->procs[i]);
    ps_free(mm->alloc, mm->procs, mm->capprocs * sizeof *mm->procs);
    ps_free(mm->alloc, mm->free_stack, mm->capfree * sizeof *mm->free_stack);
    for (uint32_t g = 0; g < sizeof mm->pfn_group / sizeof mm->pfn_group[0]; g++)
        ps_free(mm->alloc, mm->pfn_group[g], PFN_GROUP * sizeof(pfn_t));
    mmu_free(mm->mmu);
    ps_free(mm->alloc, mm, sizeof *mm);
}

mm_t *mm_clone(const mm_t *src)
{
    const ps_alloc_t *a = src->alloc;
    mm_t *mm = ps_calloc(a, sizeof *mm);
    if (!mm) return NULL;
    *mm = *src;
    mm->procs = NULL;
    mm->free_stack = NULL;
    mm->sections = NULL;
    mm->handles = NULL;
    mm->nsections = mm->capsections = mm->nhandles = mm->caphandles = 0;
    mm->nprocs = mm->capprocs = mm->capfree = 0;
    memset(mm->pfn_group, 0, sizeof mm->pfn_group);
    mm->mmu = mmu_clone(src->mmu);
    if (!mm->mmu) goto fail;
    if (src->nfree) {
        mm->free_stack = ps_malloc(a, src->nfree * sizeof *mm->free_stack);
        if (!mm->free_stack) goto fail;
        memcpy(mm->free_stack, src->free_stack, src->nfree * sizeof *mm->free_stack);
        mm->capfree = src->nfree;
    }
    for (uint32_t g = 0; g < sizeof mm->pfn_group / sizeof mm->pfn_group[0]; g++) {
        if (!src->pfn_group[g]) continue;
        mm->pfn_group[g] = ps_malloc(a, PFN_GROUP * sizeof(pfn_t));
        if (!mm->pfn_group[g]) goto fail;
        memcpy(mm->pfn_group[g], src->pfn_group[g], PFN_GROUP * sizeof(pfn_t));
    }
    memset(&mm->repl, 0, sizeof mm->repl);
    mm->slot_used = NULL;
    mm->pagefile = NULL;
    if (mm_sections_clone(mm, src) != PS_OK || mm_paging_clone(mm, src) != PS_OK) goto fail;
    mm->procs = ps_calloc(a, (src->nprocs ? src->nprocs : 1) * sizeof *mm->procs);
    if (!mm->procs) goto fail;
    mm->capprocs = src->nprocs ? src->nprocs : 1;
    for (uint32_t i = 0; i < src->nprocs; i++) {
        mm_process_t *p = ps_malloc(a, sizeof *p);
        if (!p) goto fail;
        *p = *src->procs[i];
        p->mm = mm;
        if (vad_copy(&p->vads, &src->procs[i]->vads) != PS_OK) {
            ps_free(a, p, sizeof *p);
            goto fail;
        }
        mm->procs[mm->nprocs++] = p;
        if (src->current == src->procs[i]) mm->current = p;
        for (vad_t *v = vad_first(&p->vads); v; v = vad_next(&p->vads, v))
            for (uint32_t k = 0; v->section && k < src->nsections; k++)
                if (v->section == src->sections[k]) {
                    v->section = mm->sections[k];
                    break;
                }
    }
    return mm;
fail:
    mm_free(mm);
    return NULL;
}
