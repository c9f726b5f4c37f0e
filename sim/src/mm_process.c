/* Processes: each has its own page directory (mapping itself at
 * 0xC0300000 and sharing the system's upper entries), its own VAD tree and
 * counters. Names are found through a hash index; a process's id is its
 * index in the machine's list. */
#include "mem.h"
#include "pagesim/winsdk.h"
#include "heap_int.h"
#include <stdio.h>
#include <string.h>

static const char *proc_key(const void *ud, uint32_t id, size_t *n)
{
    const mm_t *mm = ud;
    *n = strlen(mm->procs[id]->name);
    return mm->procs[id]->name;
}

void mm_process_names_init(mm_t *mm)
{
    strmap_init(&mm->proc_names, mm->alloc, proc_key, mm);
}

static bool map_system(mm_process_t *p, strbuf_t *why)
{
    mm_t *mm = p->mm;
    phys_t *ph = mmu_phys(mm->mmu);
    /* Self-map: PDE 0x300 holds the directory's own frame, supervisor only;
     * the kernel image, a global 4 MB page over physical 0; the last 4 MB
     * of system space, shared by every process. The directory's frame was
     * stored when it was made, so these writes cannot fail. */
    (void)phys_write32(ph, p->pd + MM_SELFMAP_PDE * 4, p->pd | X86_P | X86_RW | X86_A | X86_D);
    (void)phys_write32(ph, p->pd + X86_PDE_INDEX(mm_kernel_base(mm)) * 4, X86_P | X86_RW | X86_PS | X86_G);
    (void)phys_write32(ph, p->pd + X86_PDE_INDEX(MM_SHARED_KERNEL) * 4, (mm->kernel_pt << X86_PAGE_SHIFT) | X86_P | X86_RW);
    /* KUSER_SHARED_DATA read-only in user space. */
    vad_t proto = { .start = MM_SHARED_USER, .end = MM_SHARED_USER + VAD_GRANULE, .type = MEM_PRIVATE,
                    .alloc_protect = PAGE_READONLY, .flags = VAD_SYSTEM, .label = "shared user data" };
    if (mm_vad_add(p, &proto, NULL, why)) return false;
    if (!mm_ensure_table(p, MM_SHARED_USER, why)) return false;
    mm_set_pte(p, MM_SHARED_USER, (mm->shared_frame << X86_PAGE_SHIFT) | X86_P | X86_US);
    return true;
}

/* Makes the page directory: a frame, stored at once (so that writes of its
 * entries cannot fail later). */
static bool make_directory(mm_process_t *p, strbuf_t *why)
{
    mm_t *mm = p->mm;
    uint32_t f;
    if (!mm_frame_alloc(mm, p, why, &f)) return false;
    pfn_t *e = mm_pfn(mm, f);
    e->flags |= PFN_DIRECTORY;
    e->owner = (uint16_t)(p->id + 1);
    e->va = MM_PDE_BASE;
    e->share = 1;
    p->pd = f << X86_PAGE_SHIFT;
    if (phys_write32(mmu_phys(mm->mmu), p->pd, 0) != PS_OK) {
        mm_frame_free(mm, f);
        p->pd = 0;
        return mm_oom(mm);
    }
    return true;
}

void mm_process_teardown(mm_process_t *p)
{
    mm_t *mm = p->mm;
    for (vad_t *v = vad_first(&p->vads); v; v = vad_first(&p->vads)) {
        section_t *s = v->section;
        if (s) mm_unmap_pages(p, v);
        else
            mm_decommit_range(p, v->start, v->end - 1, true);
        mm_vad_remove(p, v);
        if (s) mm_section_release(mm, s);
    }
    for (uint32_t i = 0; i <= X86_PDE_INDEX(mm_user_high(mm)); i++) mm_release_table_if_empty(p, i << 22);
    if (p->pd) {
        if (mm->current == p) mm->current = NULL;
        mm_frame_free(mm, p->pd >> X86_PAGE_SHIFT);
        p->pd = 0;
    }
}

static void process_free(mm_t *mm, mm_process_t *p)
{
    heap_set_free(mm->alloc, p->heaps);
    vad_fini(&p->vads);
    mm_threads_free(p);
    ps_free(mm->alloc, p, sizeof *p);
}

/* Undoes a creation that failed part of the way: nothing of it is left. */
static ps_result_t undo_create(mm_t *mm, mm_process_t *p, ps_result_t r)
{
    mm_process_teardown(p);
    if (mm->nprocs && mm->procs[mm->nprocs - 1] == p) {
        strmap_remove(&mm->proc_names, p->name, strlen(p->name), p->id);
        mm->nprocs--;
    }
    process_free(mm, p);
    return r;
}

ps_result_t mm_process_create(mm_t *mm, const char *name, strbuf_t *why, mm_process_t **out)
{
    *out = NULL;
    size_t n = strlen(name);
    if (n >= sizeof((mm_process_t *)0)->name || mm_process_find(mm, name) || mm->nprocs >= 0xFFFE)
        return PS_EINVAL;
    if (!ps_grow(mm->alloc, (void **)&mm->procs, &mm->capprocs, mm->nprocs + 1, sizeof *mm->procs)) return PS_ENOMEM;
    mm_process_t *p = ps_calloc(mm->alloc, sizeof *p);
    if (!p) return PS_ENOMEM;
    p->mm = mm;
    p->id = mm->nprocs;
    p->ws_min = MM_WS_MIN_DEFAULT;
    p->ws_max = MM_WS_MAX_DEFAULT;
    memcpy(p->name, name, n + 1);
    vad_init(&p->vads, mm->alloc, MM_USER_LOW, mm_user_high(mm) + 1);
    mm->procs[mm->nprocs++] = p;
    if (strmap_add(&mm->proc_names, name, n, p->id) != PS_OK) {
        mm->nprocs--;
        process_free(mm, p);
        return PS_ENOMEM;
    }
    if (!make_directory(p, why) || !map_system(p, why) || (!mm->cfg.layout_empty && !mm_layout_typical(p, why))) {
        mm_say(why, "The new process's address space (its page directory, page tables and first pages) cannot be "
                    "made, and what was made of it is released.");
        return undo_create(mm, p, mm->host_oom ? PS_ENOMEM : PS_ESTATE);
    }
    *out = p;
    return PS_OK;
}

mm_process_t *mm_process_find(mm_t *mm, const char *name)
{
    uint32_t id = strmap_find(&mm->proc_names, name, strlen(name));
    return id == STRMAP_NONE ? NULL : mm->procs[id];
}

void mm_switch(mm_t *mm, mm_process_t *p)
{
    if (mm->current == p) return;
    mm->current = p;
    mmu_set_cr3(mm->mmu, p->pd);
}

mm_process_t *mm_current(mm_t *mm) { return mm->current; }
const char *mm_process_name(const mm_process_t *p) { return p->name; }
uint32_t mm_process_id(const mm_process_t *p) { return p->id; }
uint32_t mm_process_count(const mm_t *mm) { return mm->nprocs; }
mm_process_t *mm_process_at(mm_t *mm, uint32_t i) { return i < mm->nprocs ? mm->procs[i] : NULL; }
uint32_t mm_process_cr3(const mm_process_t *p) { return p->pd; }

void mm_processes_free(mm_t *mm)
{
    for (uint32_t i = 0; i < mm->nprocs; i++) process_free(mm, mm->procs[i]);
    ps_free(mm->alloc, mm->procs, mm->capprocs * sizeof *mm->procs);
    strmap_fini(&mm->proc_names);
}
