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
    MM_PAGE_FILE,           /* a view of a file-backed section: the file's
                               page (MEM_MAPPED on a file)                    */
    MM_PAGE_SHARED,         /* a section's page (whatever backs it) in a frame
                               mapped more than once: by another process, or
                               by another view                                */
    MM_PAGE_AWE,            /* a page of a MEM_PHYSICAL region mapping one of
                               the process's AWE frames: not in the working
                               set, never paged                               */
    MM_PAGE_STATE_COUNT
} mm_page_state_t;

/* "free", "reserved", "committed", "resident", "dirty", "guard", "mapped",
 * "copy-on-write", "page table", "system", "image", "locked", "file",
 * "shared", "awe". "mapped" is a view of a page-file-backed section; "shared" wins
 * over "mapped", "file" and "image" while the frame has other mappings. */
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
    MM_FRAME_SECTION,       /* a page of a page-file-backed section, shared by
                               its views                                      */
    MM_FRAME_PAGE_TABLE,
    MM_FRAME_DIRECTORY,
    MM_FRAME_SYSTEM,        /* other system pages (KUSER_SHARED_DATA, ...)    */
    MM_FRAME_LOCKED,        /* a private page locked with VirtualLock         */
    MM_FRAME_FILE,          /* a page of a file in the file cache (its views
                               map it)                                        */
    MM_FRAME_IMAGE,         /* a page of an image file (SEC_IMAGE views)      */
    MM_FRAME_AWE,           /* a process's AWE page (AllocateUserPhysicalPages),
                               mapped in a MEM_PHYSICAL region or not         */
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

/* What backs a page or a frame, for the !pfn statement and the front ends'
 * detail text. */
typedef enum {
    MM_BACK_NONE = 0,       /* not committed, free, or not a user page        */
    MM_BACK_PRIVATE,        /* a private page (VirtualAlloc, stacks, heaps)   */
    MM_BACK_PAGEFILE,       /* a page of a page-file-backed section           */
    MM_BACK_FILE,           /* a page of a file: a file-backed view or the
                               file cache                                     */
    MM_BACK_IMAGE,          /* a page of an image section (SEC_IMAGE)         */
    MM_BACK_COPY,           /* a private copy of a view's page, made by a
                               write to it while it was copy-on-write         */
    MM_BACK_SYSTEM,         /* a page table, a directory, a system page, or
                               a frame below the first the manager hands out */
    MM_BACK_AWE,            /* a physical page of the process's own (AWE):
                               no backing store, never paged                  */
} mm_backing_kind_t;

/* "none", "private", "page-file section", "file", "image", "copy", "system",
 * "AWE". */
const char *mm_backing_kind_str(mm_backing_kind_t k);

#define MM_SHARERS_MAX 8
typedef struct mm_backing mm_backing_t;
typedef struct mm_sharer {
    int process;            /* process index (mm_process_at)                  */
    uint32_t va;            /* the virtual address its PTE maps the frame at  */
} mm_sharer_t;

struct mm_backing {
    mm_backing_kind_t kind;
    bool resident;          /* in a frame (frame is valid)                    */
    uint32_t frame;
    bool locked;            /* VirtualLock'ed                                 */
    bool copy_on_write;     /* still the section's page; a write copies it    */
    bool modified;          /* written since its backing store last had it    */
    bool accessed;          /* a PTE that maps it has its accessed bit (A)    */
    uint32_t slot;          /* page-file slot (from 1) with a copy, or 0      */
    char file[64];          /* FILE and IMAGE: the file's name                */
    const char *image_section; /* IMAGE: "headers", ".text", ".rdata",
                               ".data" or ".shared"; else NULL                */
    int section;            /* PAGEFILE: the section's index, else -1         */
    char section_name[64];  /* PAGEFILE: its name, "" when unnamed (a longer
                               name is cut)                                   */
    uint32_t page;          /* FILE, IMAGE, PAGEFILE: the page in the file or
                               section; PRIVATE, COPY: va's page number       */
    uint32_t mappings;      /* valid PTEs that map the frame (its share count)*/
    uint32_t processes;     /* how many processes those PTEs belong to       */
    uint32_t nsharers;      /* entries of sharers: the first MM_SHARERS_MAX
                               mappings, by process index then address        */
    mm_sharer_t sharers[MM_SHARERS_MAX];
};

/* What backs the page holding va in process p, and who else maps its frame. */
void mm_page_backing(mm_process_t *p, uint32_t va, mm_backing_t *out);
/* What frame holds and every valid PTE of every process that maps it. */
void mm_frame_backing(const mm_t *mm, uint32_t frame, mm_backing_t *out);

#endif
