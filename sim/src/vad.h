/* The VAD tree: a process's allocations (reservations, mapped views, image
 * and system regions), as a balanced (AVL) tree keyed by start address.
 *
 * Invariant: allocations never overlap, and each node knows the free gap in
 * front of it (from the previous allocation's end, rounded up to the 64 KB
 * allocation granularity, to its own start) and the largest such gap in its
 * subtree. A search for free space therefore descends one path: 32768
 * reservations cost log2(32768) = 15 steps to place a new one, not a scan. */
#ifndef PAGESIM_VAD_H
#define PAGESIM_VAD_H

#include "pagesim/core.h"
#include <stdbool.h>
#include <stdint.h>

#define VAD_GRANULE 0x10000u

/* Bytes of a write-watch bitmap for the allocation [start, end). */
static inline size_t vad_watch_bytes(uint32_t start, uint32_t end)
{
    return ((size_t)(end - start) / 4096u + 7u) / 8u;
}

typedef struct section section_t;

typedef struct vad {
    uint32_t start, end;      /* [start, end), page aligned                  */
    uint32_t type;            /* MEM_PRIVATE, MEM_MAPPED or MEM_IMAGE         */
    uint32_t alloc_protect;   /* the protection given when it was created     */
    uint32_t tag;             /* the host's name for it, 0 for none           */
    uint32_t flags;           /* VAD_* below                                  */
    const char *label;        /* system allocations: "image", "stack", ...   */
    section_t *section;       /* MEM_MAPPED: the section viewed               */
    uint32_t section_offset;  /* MEM_MAPPED: the view's offset in it         */
    uint32_t view_access;     /* MEM_MAPPED: FILE_MAP_* of the view           */
    uint8_t *watch;           /* VAD_WRITE_WATCH: one bit a page, set when
                                 the page is written (owned by the tree)      */
    /* tree */
    struct vad *left, *right;
    int height;
    uint32_t size;            /* nodes in this subtree (for vad_at)           */
    uint32_t gap;             /* free bytes in front of this node             */
    uint32_t max_gap;         /* largest gap in this subtree                  */
} vad_t;

enum {
    VAD_SYSTEM = 1,           /* made by the process layout, not by a call    */
    VAD_WRITE_WATCH = 2,      /* reserved with MEM_WRITE_WATCH: has watch     */
    VAD_PHYSICAL = 4,         /* reserved with MEM_PHYSICAL: an AWE region     */
};

typedef struct vad_tree {
    const ps_alloc_t *alloc;
    vad_t *root;
    uint32_t count;
    uint32_t lo, hi;          /* the range allocations may use: [lo, hi)     */
} vad_tree_t;

void vad_init(vad_tree_t *t, const ps_alloc_t *a, uint32_t lo, uint32_t hi);
void vad_fini(vad_tree_t *t);
/* A deep copy; sections are shared (the caller remaps them). */
ps_result_t vad_copy(vad_tree_t *dst, const vad_tree_t *src);

/* Inserts a copy of *proto (start/end/type/... fields); returns the node or
 * NULL when the allocator fails. The range must be free. With
 * VAD_WRITE_WATCH in proto->flags the node gets a cleared watch bitmap
 * (proto->watch is ignored). */
vad_t *vad_insert(vad_tree_t *t, const vad_t *proto);
void vad_remove(vad_tree_t *t, vad_t *v);

/* The allocation containing addr, or NULL. */
vad_t *vad_find(const vad_tree_t *t, uint32_t addr);
/* The first allocation whose end is above addr (containing or after it). */
vad_t *vad_next_from(const vad_tree_t *t, uint32_t addr);
/* The last allocation that starts below addr. */
vad_t *vad_prev_before(const vad_tree_t *t, uint32_t addr);
/* The i-th allocation in address order (0-based), or NULL: O(log n). */
vad_t *vad_at(const vad_tree_t *t, uint32_t i);
/* The lowest and the next allocation, for in-order walks. */
vad_t *vad_first(const vad_tree_t *t);
vad_t *vad_next(const vad_tree_t *t, const vad_t *v);

/* True when [start, end) touches no allocation. */
bool vad_range_free(const vad_tree_t *t, uint32_t start, uint32_t end);

/* Free space for size bytes at a 64 KB boundary: the lowest fit
 * (bottom-up) or the highest (top_down). Returns false when none. */
bool vad_find_space(const vad_tree_t *t, uint32_t size, bool top_down, uint32_t *base);

/* Checks the tree's invariants (order, no overlap, AVL balance and heights,
 * the gaps and their augmentation, the count). False with a sentence in msg
 * (n bytes) for the first one broken. */
bool vad_check(const vad_tree_t *t, char *msg, size_t n);

#endif
