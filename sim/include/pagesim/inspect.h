/* Looking at the memory manager's state, for front ends: the state of each
 * virtual page as one word (the colour of a map cell), the page-table
 * entries behind it, and who owns each physical frame and page-file slot.
 * Nothing here changes the machine: no fault is taken, no A/D bit is set,
 * the TLB is left as it is. */
#ifndef PAGESIM_INSPECT_H
#define PAGESIM_INSPECT_H

#include "pagesim/mm.h"
#include <stdbool.h>
#include <stdint.h>

/* A virtual page's state (the colour of a map cell). */
typedef enum {
    MM_PAGE_FREE = 0,       /* MEM_FREE (also the NULL and no-access regions) */
    MM_PAGE_RESERVED,       /* MEM_RESERVE                                    */
    MM_PAGE_COMMITTED,      /* committed, not in memory (demand zero, page
                               file, transition)                              */
    MM_PAGE_RESIDENT,       /* committed, present, clean                      */
    MM_PAGE_DIRTY,          /* present and written (PTE.D)                    */
    MM_PAGE_GUARD,          /* committed with PAGE_GUARD                      */
    MM_PAGE_MAPPED,         /* a view of a section (MEM_MAPPED), shared       */
    MM_PAGE_COPY_ON_WRITE,  /* still shared, a write will copy it             */
    MM_PAGE_PAGE_TABLE,     /* a page table seen through the self-map         */
    MM_PAGE_SYSTEM,         /* kernel space                                   */
    MM_PAGE_IMAGE,          /* a view of an executable image (MEM_IMAGE)      */
    MM_PAGE_LOCKED,         /* present and locked (VirtualLock): never evicted */
    MM_PAGE_STATE_COUNT
} mm_page_state_t;

/* "free", "reserved", "committed", "resident", "dirty", "guard", "mapped",
 * "copy-on-write", "page table", "system", "image". */
const char *mm_page_state_str(mm_page_state_t s);

typedef struct mm_page_info {
    mm_page_state_t state;
    uint32_t pde, pte;      /* the raw entries (pte 0 without a page table)   */
    uint32_t state_mem;     /* MEM_FREE / MEM_RESERVE / MEM_COMMIT (user)     */
    uint32_t type;          /* MEM_PRIVATE / MEM_MAPPED / MEM_IMAGE, or 0     */
    uint32_t protect;       /* PAGE_* of a committed page, else 0             */
    uint32_t alloc_base;    /* AllocationBase, or 0                           */
    bool present;           /* PTE.P (or a 4 MB PDE)                          */
    uint32_t frame;         /* physical frame number, when present            */
    uint32_t slot;          /* page-file slot (from 1) holding it, or 0       */
} mm_page_info_t;

/* The page holding va in process p. */
void mm_page_info(mm_process_t *p, uint32_t va, mm_page_info_t *out);

/* The states of count pages from page number first (va >> 12), one byte a
 * page, as mm_page_info would give them; fast enough for the whole 4 GB
 * (1M pages) at every step: whole regions are filled at once and 4 MB
 * without a page table are skipped. */
void mm_page_states(mm_process_t *p, uint32_t first, uint32_t count, uint8_t *states);

/* Physical frames. */
typedef enum {
    MM_FRAME_FREE = 0,
    MM_FRAME_KERNEL,        /* below the first frame the manager hands out    */
    MM_FRAME_USER,          /* a private page of a process                    */
    MM_FRAME_SECTION,       /* a page of a section, shared by its views       */
    MM_FRAME_PAGE_TABLE,
    MM_FRAME_DIRECTORY,
    MM_FRAME_SYSTEM,        /* other system pages (KUSER_SHARED_DATA, ...)    */
    MM_FRAME_LOCKED,        /* a private page locked with VirtualLock         */
} mm_frame_kind_t;

typedef struct mm_frame_info {
    mm_frame_kind_t kind;
    int owner;              /* process index (mm_process_at), -1 for none     */
    uint32_t va;            /* the virtual address mapped (user pages)        */
    uint32_t share;         /* mappings of the frame                          */
    uint32_t slot;          /* page-file slot with a current copy, or 0       */
} mm_frame_info_t;

uint32_t mm_frame_count(const mm_t *mm);   /* frames of RAM                  */
void mm_frame_info(const mm_t *mm, uint32_t frame, mm_frame_info_t *out);
const char *mm_frame_kind_str(mm_frame_kind_t k);   /* "free", "user", ...   */

/* Page-file slots, numbered from 1. */
uint32_t mm_slot_count(const mm_t *mm);
typedef struct mm_slot_info {
    bool used;
    int owner;              /* process index, -1 when used by no PTE          */
    uint32_t va;            /* the page it holds                              */
} mm_slot_info_t;
/* Slots first .. first+count-1. A used slot belongs to the page it holds:
 * one out in the page file (its PTE names the slot) or a resident one whose
 * frame still has a current copy there. One scan of the frames and of every
 * process's page tables, whatever count is: ask for many slots at once. */
void mm_slot_infos(mm_t *mm, uint32_t first, uint32_t count, mm_slot_info_t *out);

#endif
