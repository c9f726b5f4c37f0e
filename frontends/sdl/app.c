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
    memset(a, 0, sizeof *a);
}

static void moved(app_t *a)
{
    snprintf(a->error, sizeof a->error, "%s", scn_history_error(a->h));
    a->stale = true;
    mm_t *mm = app_mm(a);
    if (!mm || a->proc >= (int)mm_process_count(mm)) a->proc = 0;
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

void app_next_process(app_t *a)
{
    mm_t *mm = app_mm(a);
    if (!mm) return;
    a->proc = (a->proc + 1) % (int)mm_process_count(mm);
    a->stale = true;
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

void app_refresh(app_t *a)
{
    if (!a->stale) return;
    mm_process_t *p = app_process(a);
    if (p) mm_page_states(p, 0, (uint32_t)VIEW_MAP_CELLS * VIEW_MAP_CELLS, a->states);
    else bare_states(a, a->states);
    view_map_pixels(a->states, a->pixels);
    a->stale = false;
}

int app_walk_stage(const app_t *a)
{
    int s = (int)(a->anim_ms / APP_STAGE_MS);
    return s < APP_STAGES - 1 ? s : APP_STAGES - 1;
}

void app_page(const app_t *a, uint32_t va, mm_page_info_t *out)
{
    mm_process_t *p = app_process(a);
    if (p) {
        mm_page_info(p, va, out);
        return;
    }
    memset(out, 0, sizeof *out);
    mmu_t *mmu = scn_runner_mmu(scn_history_runner(a->h));
    if (!mmu) return;
    const phys_t *ph = mmu_phys_const(mmu);
    out->pde = phys_read32(ph, (mmu_cr3(mmu) & X86_CR3_BASE) + X86_PDE_INDEX(va) * 4);
    if ((out->pde & X86_P) && (out->pde & X86_PS)) {
        out->present = true;
        out->frame = ((out->pde & X86_LARGE_FRAME_MASK) >> 12) + X86_PTE_INDEX(va);
    } else if (out->pde & X86_P) {
        out->pte = phys_read32(ph, (out->pde & X86_FRAME_MASK) + X86_PTE_INDEX(va) * 4);
        out->present = (out->pte & X86_P) != 0;
        out->frame = out->pte >> 12;
    }
    out->state = out->present ? ((out->pte & X86_D) ? MM_PAGE_DIRTY : MM_PAGE_RESIDENT) : MM_PAGE_FREE;
}
