/* A deep copy of the whole machine, for front ends that step back: the
 * MMU with physical memory and TLB, the PFN database, the page file and
 * the policy, the sections and handles, the files, and every process. */
#include "mem.h"
#include "heap_int.h"
#include <string.h>

static ps_result_t clone_processes(mm_t *mm, const mm_t *src)
{
    const ps_alloc_t *a = mm->alloc;
    mm->procs = ps_calloc(a, (src->nprocs ? src->nprocs : 1) * sizeof *mm->procs);
    if (!mm->procs) return PS_ENOMEM;
    mm->capprocs = src->nprocs ? src->nprocs : 1;
    for (uint32_t i = 0; i < src->nprocs; i++) {
        mm_process_t *p = ps_malloc(a, sizeof *p);
        if (!p) return PS_ENOMEM;
        *p = *src->procs[i];
        p->mm = mm;
        p->heaps = NULL;
        if (!mm_threads_copy(p, src->procs[i])) {
            ps_free(a, p, sizeof *p);
            return PS_ENOMEM;
        }
        if (vad_copy(&p->vads, &src->procs[i]->vads) != PS_OK) {
            mm_threads_free(p);
            ps_free(a, p, sizeof *p);
            return PS_ENOMEM;
        }
        /* The copy shares every frame, so the original's store cache,
         * which writes its frames in place, is emptied. */
        if (src->procs[i]->heaps) heap_pages_drop(src->procs[i]->heaps);
        if (src->procs[i]->heaps && !(p->heaps = heap_set_clone(a, src->procs[i]->heaps))) {
            vad_fini(&p->vads);
            ps_free(a, p, sizeof *p);
            return PS_ENOMEM;
        }
        mm->procs[mm->nprocs++] = p;
        if (src->current == src->procs[i]) mm->current = p;
        for (vad_t *v = vad_first(&p->vads); v; v = vad_next(&p->vads, v))
            if (v->section) v->section = mm->sections[v->section->index];
    }
    return strmap_copy(&mm->proc_names, &src->proc_names, mm);
}

mm_t *mm_clone(const mm_t *src)
{
    const ps_alloc_t *a = src->alloc;
    mm_t *mm = ps_calloc(a, sizeof *mm);
    if (!mm) return NULL;
    *mm = *src;
    mm->procs = NULL;
    mm->nprocs = mm->capprocs = 0;
    mm->current = NULL;
    mm_process_names_init(mm);
    memset(&mm->hooks, 0, sizeof mm->hooks);
    memset(mm->pfn_group, 0, sizeof mm->pfn_group);
    mm->mmu = NULL;
    memset(&mm->repl, 0, sizeof mm->repl);
    mm->slot_used = NULL;
    mm->pagefile = NULL;
    mm->sections = NULL;
    mm->handles = NULL;
    mm->nsections = mm->capsections = mm->nhandles = mm->caphandles = 0;
    mm_sections_init(mm);
    mm->files = NULL;
    mm->nfiles = mm->capfiles = 0;
    mm->awe_log = NULL;
    mm->capawe_log = 0;
    if (src->nawe_log && !ps_grow(a, (void **)&mm->awe_log, &mm->capawe_log, src->nawe_log, sizeof *mm->awe_log)) {
        mm->nawe_log = 0;
        mm_free(mm);
        return NULL;
    }
    if (mm->awe_log) memcpy(mm->awe_log, src->awe_log, src->nawe_log * sizeof *mm->awe_log);
    bool ok = mm_sections_clone(mm, src) == PS_OK && fs_clone(mm, src) == PS_OK && mm_paging_clone(mm, src) == PS_OK;
    if (ok) ok = (mm->mmu = mmu_clone(src->mmu)) != NULL;
    for (uint32_t g = 0; ok && g < sizeof mm->pfn_group / sizeof mm->pfn_group[0]; g++) {
        if (!src->pfn_group[g]) continue;
        mm->pfn_group[g] = ps_malloc(a, PFN_GROUP * sizeof(pfn_t));
        if (!mm->pfn_group[g]) ok = false;
        else memcpy(mm->pfn_group[g], src->pfn_group[g], PFN_GROUP * sizeof(pfn_t));
    }
    if (ok) ok = clone_processes(mm, src) == PS_OK;
    if (!ok) {
        mm_free(mm);
        return NULL;
    }
    return mm;
}
