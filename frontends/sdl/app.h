/* pagesim-sdl's state: the scenario as a history, the process shown, the
 * map's states and pixels, the view port, hover and the selected address
 * with its walk. No SDL here. */
#ifndef PAGESIM_SDL_APP_H
#define PAGESIM_SDL_APP_H

#include "pagesim/history.h"
#include "pagesim/mmu.h"
#include "view.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct app {
    scn_history_t *h;
    const char *name;
    char error[600];
    int proc;                 /* index of the process shown: the current one */
    bool pinned;              /* ... unless one was chosen                   */
    view_port_t vp;
    uint8_t *states;          /* VIEW_MAP_CELLS^2 page states               */
    uint32_t *pixels;         /* ... as colours                              */
    bool stale;               /* states, pixels and marks to recompute       */
    uint32_t *marks;          /* the scenario's allocations (not the layout's)
                                 in the process shown: [start, end) pairs    */
    size_t nmarks, capmarks;
    bool hover;
    uint32_t hover_va;
    bool selected;
    uint32_t sel_va;
    uint32_t anim_ms;         /* time since the selection, for the walk      */
    bool playing;
    bool walk_stale;          /* walk to read again                          */
    bool walk_ok;             /* walk holds the selected address's walk      */
    mmu_walk_t walk;          /* ... read without changing the machine       */
    mmu_walk_t walk_write;    /* the same page for a write                   */
} app_t;

/* Opens text as a scenario named name (kept, not copied), no statement
 * run, the whole grid in view; false with error "LINE:COL: error: ..."
 * when it does not parse, or "out of memory". app_close frees what either
 * left (after a failed open too). */
bool app_open(app_t *a, const char *text, size_t len, const char *name);
void app_close(app_t *a);

/* Steps (false when nothing happened: at an end, or a statement could not
 * run, error then saying why); each marks the map and the walk stale. */
bool app_forward(app_t *a);
bool app_back(app_t *a);
void app_run_to(app_t *a, size_t index);
/* Shows the next process, or process index, from now on (the current one
 * is shown until then). */
void app_next_process(app_t *a);
void app_show_process(app_t *a, int index);
/* Selects va: its walk is read and its animation starts again. */
void app_select(app_t *a, uint32_t va);

/* The machine and the process shown (NULL: a bare machine, or none yet). */
mm_t *app_mm(const app_t *a);
mm_process_t *app_process(const app_t *a);

/* Recomputes states, pixels and marks if stale: from the process's page
 * states and allocations, or, on a bare machine, from the page tables CR3
 * points to (no marks). */
void app_refresh(app_t *a);

/* How far the selected address's walk is drawn, APP_STAGE_MS a stage after
 * the selection: 0 CR3 (the directory), 1 the PDE (its row), 2 the PTE
 * (its cell), 3 the frame (and the rest of the walk). */
enum { APP_STAGE_MS = 450, APP_STAGES = 4 };
int app_walk_stage(const app_t *a);
/* The stage at which step `step` of the narrator's telling of w
 * (fmt_walk_lines: the split, the TLB, CR3, an entry a step, the outcome;
 * steps in all) is told: the split, the TLB and CR3 with the directory,
 * each entry with its level, the outcome with the frame. */
int app_step_stage(const mmu_walk_t *w, int step, int steps);
/* The page holding va in the process shown (on a bare machine, from the
 * tables CR3 points to): its entries, state and frame. */
void app_page(const app_t *a, uint32_t va, mm_page_info_t *out);

/* The selected address's walk as the processor would do it now in the
 * process shown (mmu_peek: no A/D flag set, the TLB untouched): a read,
 * and a write of the same address; in kernel mode for system pages and
 * page tables, else in user mode. Read once a step or selection (owned by
 * a). NULL with nothing selected or no machine; write may be NULL. */
const mmu_walk_t *app_walk(app_t *a, const mmu_walk_t **write);
/* The number of the 4 KB frame the walk reached (inside a 4 MB page too),
 * or -1 when it faulted before reaching one. */
long app_walk_frame(const mmu_walk_t *w);

#endif
