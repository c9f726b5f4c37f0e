/* pagesim-sdl's state: the scenario as a history, the process shown, the
 * map's states and pixels, the view port, hover and the selected address
 * with its walk. No SDL here. */
#ifndef PAGESIM_SDL_APP_H
#define PAGESIM_SDL_APP_H

#include "pagesim/history.h"
#include "view.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct app {
    scn_history_t *h;
    const char *name;
    char error[600];
    int proc;                 /* index of the process shown                  */
    view_port_t vp;
    uint8_t *states;          /* VIEW_MAP_CELLS^2 page states               */
    uint32_t *pixels;         /* ... as colours                              */
    bool stale;               /* states and pixels to recompute              */
    bool hover;
    uint32_t hover_va;
    bool selected;
    uint32_t sel_va;
    uint32_t anim_ms;         /* time since the selection, for the walk      */
    bool playing;
} app_t;

/* Opens text as a scenario; false with error "LINE:COL: error: ...". */
bool app_open(app_t *a, const char *text, size_t len, const char *name);
void app_close(app_t *a);

/* Steps (false when nothing happened); each marks the map stale. */
bool app_forward(app_t *a);
bool app_back(app_t *a);
void app_run_to(app_t *a, size_t index);
void app_next_process(app_t *a);

/* The machine and the process shown (NULL: a bare machine, or none yet). */
mm_t *app_mm(const app_t *a);
mm_process_t *app_process(const app_t *a);

/* Recomputes states and pixels if stale: from the process's page states,
 * or, on a bare machine, from the page tables CR3 points to. */
void app_refresh(app_t *a);

/* The walk to show for the selected address, as far as stage (0 CR3,
 * 1 the PDE, 2 the PTE, 3 the frame). */
enum { APP_STAGE_MS = 450, APP_STAGES = 4 };
int app_walk_stage(const app_t *a);
/* The selected address's page: its entries and frame. */
void app_page(const app_t *a, uint32_t va, mm_page_info_t *out);

#endif
