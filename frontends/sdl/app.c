/* pagesim-sdl's state and actions. */
#include "app.h"
#include "pagesim/phys.h"
#include "pagesim/x86.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool app_open(app_t *a, const char *text, size_t len, const char *name)
{
    memset(a, 0, sizeof *a);
    a->name = name;
    view_port_all(&a->vp);
    a->stale = true;
    scn_error_t err;
    ps_result_t r = scn_history_open(NULL, text, len, &a->h, &err);
    if (r != PS_OK) {
        snprintf(a->error, sizeof a->error, "%u:%u: error: %s", err.line, err.col, err.msg);
        return false;
    }
    a->states = malloc((size_t)VIEW_MAP_CELLS * VIEW_MAP_CELLS);
    a->pixels = malloc((size_t)VIEW_MAP_CELLS * VIEW_MAP_CELLS * sizeof *a->pixels);
    if (!a->states || !a->pixels) {
        snprintf(a->error, sizeof a->error, "out of memory");
        return false;
    }
    return true;
}

void app_close(app_t *a)
{
    scn_history_free(a->h);
    free(a->states);
    free(a->pixels);
    free(a->marks);
    memset(a, 0, sizeof *a);
}

static void moved(app_t *a)
{
    snprintf(a->error, sizeof a->error, "%s", scn_history_error(a->h));
    a->stale = true;
    a->walk_stale = true;
    mm_t *mm = app_mm(a);
    if (!mm || a->proc >= (int)mm_process_count(mm)) a->proc = 0;
    if (!mm || a->pinned) return;
    mm_process_t *cur = mm_current(mm);
    for (uint32_t i = 0; i < mm_process_count(mm); i++)
        if (mm_process_at(mm, i) == cur) a->proc = (int)i;
}

bool app_forward(app_t *a)
{
    bool ok = scn_history_forward(a->h);
    moved(a);
    return ok;
}

bool app_back(app_t *a)
{
    bool ok = scn_history_back(a->h);
    moved(a);
    return ok;
}

void app_run_to(app_t *a, size_t index)
{
    scn_history_run_to(a->h, index);
    moved(a);
}

void app_show_process(app_t *a, int index)
{
    mm_t *mm = app_mm(a);
    if (!mm || index < 0 || index >= (int)mm_process_count(mm)) return;
    a->proc = index;
    a->pinned = true;
    a->stale = true;
    a->walk_stale = true;
}

void app_next_process(app_t *a)
{
    mm_t *mm = app_mm(a);
    if (!mm) return;
    a->proc = (a->proc + 1) % (int)mm_process_count(mm);
    a->pinned = true;
    a->stale = true;
    a->walk_stale = true;
}

void app_select(app_t *a, uint32_t va)
{
    a->selected = true;
    a->sel_va = va;
    a->anim_ms = 0;
    a->walk_stale = true;
}

mm_t *app_mm(const app_t *a)
{
    return scn_runner_mm(scn_history_runner(a->h));
}

mm_process_t *app_process(const app_t *a)
{
    mm_t *mm = app_mm(a);
    return mm && mm_process_count(mm) ? mm_process_at(mm, (uint32_t)a->proc) : NULL;
}

/* A bare machine: the pages its tables map, present (or dirty) or not. */
static void bare_states(const app_t *a, uint8_t *states)
{
    memset(states, MM_PAGE_FREE, (size_t)VIEW_MAP_CELLS * VIEW_MAP_CELLS);
    mmu_t *mmu = scn_runner_mmu(scn_history_runner(a->h));
    if (!mmu) return;
    const phys_t *ph = mmu_phys_const(mmu);
    uint32_t dir = mmu_cr3(mmu) & X86_CR3_BASE;
    for (uint32_t d = 0; d < 1024; d++) {
        uint32_t pde = phys_read32(ph, dir + d * 4);
        if (!(pde & X86_P)) continue;
        uint8_t *row = states + (size_t)d * VIEW_MAP_CELLS;
        if (pde & X86_PS) {
            memset(row, (pde & X86_D) ? MM_PAGE_DIRTY : MM_PAGE_RESIDENT, VIEW_MAP_CELLS);
            continue;
        }
        for (uint32_t t = 0; t < 1024; t++) {
            uint32_t pte = phys_read32(ph, (pde & X86_FRAME_MASK) + t * 4);
            if (pte & X86_P) row[t] = (pte & X86_D) ? MM_PAGE_DIRTY : MM_PAGE_RESIDENT;
        }
    }
}

/* The allocations the scenario made in p, in address order. */
static void read_marks(app_t *a, mm_process_t *p)
{
    a->nmarks = 0;
    mm_alloc_info_t info;
    for (uint32_t va = 0; p && mm_alloc_from(p, va, &info) && info.end; va = info.end) {
        if (info.system) continue;
        if (a->nmarks + 2 > a->capmarks) {
            size_t cap = a->capmarks ? a->capmarks * 2 : 64;
            uint32_t *m = realloc(a->marks, cap * sizeof *m);
            if (!m) return; /* the marks are a help: fewer of them is no error */
            a->marks = m;
            a->capmarks = cap;
        }
        a->marks[a->nmarks++] = info.start;
        a->marks[a->nmarks++] = info.end;
    }
}

void app_refresh(app_t *a)
{
    if (!a->stale) return;
    mm_process_t *p = app_process(a);
    if (p) mm_page_states(p, 0, (uint32_t)VIEW_MAP_CELLS * VIEW_MAP_CELLS, a->states);
    else bare_states(a, a->states);
    read_marks(a, p);
    view_map_pixels(a->states, a->pixels);
    a->stale = false;
}

int app_walk_stage(const app_t *a)
{
    int s = (int)(a->anim_ms / APP_STAGE_MS);
    return s < APP_STAGES - 1 ? s : APP_STAGES - 1;
}

int app_step_stage(const mmu_walk_t *w, int step, int steps)
{
    if (step >= steps - 1) return APP_STAGES - 1;
    int level = w->tlb == MMU_TLB_HIT ? -1 : step - 3; /* steps 3, 4: the PDE, the PTE */
    if (level < 0) return 0;
    return level + 1 < APP_STAGES - 1 ? level + 1 : APP_STAGES - 2;
}

/* The walk through the tables of the process shown (running or not). */
static bool peek(const app_t *a, uint32_t va, mmu_access_t acc, mmu_mode_t mode, mmu_walk_t *w)
{
    mmu_t *mmu = scn_runner_mmu(scn_history_runner(a->h));
    if (!mmu) return false;
    mm_process_t *p = app_process(a);
    mmu_peek_cr3(mmu, p ? mm_process_cr3(p) : mmu_cr3(mmu), va, acc, mode, w);
    return true;
}

void app_page(const app_t *a, uint32_t va, mm_page_info_t *out)
{
    mm_process_t *p = app_process(a);
    if (p) {
        mm_page_info(p, va, out);
        return;
    }
    memset(out, 0, sizeof *out);
    mmu_walk_t w;
    if (!peek(a, va, MMU_READ, MMU_KERNEL, &w)) return;
    out->pde = w.level[0].value;
    out->pte = w.nlevels > 1 ? w.level[1].value : 0;
    out->present = (out->pde & X86_P) && (w.large || (out->pte & X86_P));
    out->frame = (uint32_t)(w.large ? (out->pde & X86_LARGE_FRAME_MASK) >> 12 | X86_PTE_INDEX(va) : out->pte >> 12);
    out->state = out->present ? ((out->pte & X86_D) ? MM_PAGE_DIRTY : MM_PAGE_RESIDENT) : MM_PAGE_FREE;
}

const mmu_walk_t *app_walk(app_t *a, const mmu_walk_t **write)
{
    if (write) *write = NULL;
    if (!a->selected) return NULL;
    if (a->walk_stale) {
        mm_page_info_t pi;
        app_page(a, a->sel_va, &pi);
        mmu_mode_t mode = pi.state == MM_PAGE_SYSTEM || pi.state == MM_PAGE_PAGE_TABLE ? MMU_KERNEL : MMU_USER;
        a->walk_ok = peek(a, a->sel_va, MMU_READ, mode, &a->walk) &&
                     peek(a, a->sel_va, MMU_WRITE, mode, &a->walk_write);
        a->walk_stale = false;
    }
    if (!a->walk_ok) return NULL;
    if (write) *write = &a->walk_write;
    return &a->walk;
}

long app_walk_frame(const mmu_walk_t *w)
{
    bool reached = w->reason == MMU_OK || w->reason == MMU_USER_SUPERVISOR || w->reason == MMU_USER_WRITE_RO ||
                   w->reason == MMU_KERNEL_WRITE_RO;
    if (!reached) return -1;
    return (long)((w->large ? w->frame + (X86_LARGE_OFFSET(w->va) & ~0xFFFu) : w->frame) >> 12);
}
