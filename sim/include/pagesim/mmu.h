/* The simulated x86 processor's paging unit: control registers, the 32-bit
 * two-level walk of Intel SDM vol. 3A section 4.3 (with 4 MB pages under
 * CR4.PSE), the access-rights rules of section 4.6, accessed and dirty flags
 * (4.8) and a TLB (4.10). It knows nothing of any operating system.
 *
 * Every translation can be reported as data: an mmu_walk_t holds one entry
 * per level read, the outcome, and the page-fault error code when there is
 * one. Front ends may also install hooks to see each translation and each
 * TLB event as it happens. */
#ifndef PAGESIM_MMU_H
#define PAGESIM_MMU_H

#include "pagesim/core.h"
#include "pagesim/phys.h"
#include "pagesim/x86.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct mmu mmu_t;

typedef enum { MMU_READ = 0, MMU_WRITE = 1, MMU_EXEC = 2 } mmu_access_t;
typedef enum { MMU_USER = 0, MMU_KERNEL = 1 } mmu_mode_t; /* CPL 3 / CPL 0-2 */

/* Why a translation faulted (MMU_OK when it did not). */
typedef enum {
    MMU_OK = 0,
    MMU_PDE_NOT_PRESENT,    /* PDE.P = 0                                  */
    MMU_PTE_NOT_PRESENT,    /* PTE.P = 0                                  */
    MMU_PDE_RESERVED,       /* 4 MB PDE with a reserved bit (21:13) set   */
    MMU_USER_SUPERVISOR,    /* user-mode access to a supervisor page      */
    MMU_USER_WRITE_RO,      /* user-mode write to a read-only page        */
    MMU_KERNEL_WRITE_RO,    /* supervisor write to a read-only page, WP=1 */
} mmu_reason_t;

/* "PTE not present", "user-mode write to a read-only page", ... */
const char *mmu_reason_str(mmu_reason_t r);
const char *mmu_access_str(mmu_access_t a);  /* "read", "write", "exec"  */
const char *mmu_mode_str(mmu_mode_t m);      /* "user", "kernel"         */

typedef enum { MMU_TLB_OFF = 0, MMU_TLB_MISS, MMU_TLB_HIT } mmu_tlb_use_t;
const char *mmu_tlb_use_str(mmu_tlb_use_t t); /* "off", "miss", "hit"    */

typedef enum { MMU_LEVEL_PDE = 0, MMU_LEVEL_PTE = 1 } mmu_level_kind_t;

/* One paging-structure entry the walk read. */
typedef struct mmu_level {
    mmu_level_kind_t kind;
    uint32_t table;       /* physical base of the table (CR3 or PDE frame)    */
    uint32_t index;       /* 0..1023                                          */
    uint32_t entry_addr;  /* table + index * 4                                */
    uint32_t value;       /* the entry as read                                */
    uint32_t value_after; /* the entry after accessed/dirty updates           */
    bool in_ram;          /* entry_addr lies inside physical memory           */
} mmu_level_t;

/* The full record of one translation. */
typedef struct mmu_walk {
    uint32_t va;
    mmu_access_t access;
    mmu_mode_t mode;
    uint32_t cr0, cr3, cr4;   /* the registers the walk used                  */
    mmu_tlb_use_t tlb;
    /* Levels read from memory. On a TLB hit the processor reads nothing; the
     * levels are then what memory holds now (read without side effects), so
     * a stale translation can be shown next to the entries it came from. */
    int nlevels;              /* 0, 1 (stopped at the PDE or 4 MB page) or 2  */
    mmu_level_t level[2];
    bool large;               /* translated through a 4 MB page               */
    bool global;              /* the translation is global (G=1, CR4.PGE=1)   */
    bool rw, us;              /* effective R/W and U/S (AND of both levels)   */
    mmu_reason_t reason;      /* MMU_OK, or why it faulted                    */
    uint32_t error_code;      /* #PF error code when reason != MMU_OK         */
    uint32_t frame;           /* physical base of the page (when translated)  */
    uint32_t phys;            /* the physical address (when reason == MMU_OK) */
    bool dirty_rewalk;        /* the TLB held the page clean, and a write walks
                                 the tables again to set D in memory (counted
                                 as a miss: the processor reads memory)      */
    bool set_accessed;        /* this walk set an A flag                      */
    bool set_dirty;           /* this walk set a D flag                       */
} mmu_walk_t;

typedef struct mmu_stats {
    uint64_t translations;
    uint64_t tlb_hits;
    uint64_t tlb_misses;
    uint64_t walks;           /* walks through memory                         */
    uint64_t page_faults;     /* #PF raised                                   */
    uint64_t accessed_sets;   /* A flags set by the processor                 */
    uint64_t dirty_sets;      /* D flags set by the processor                 */
    uint64_t tlb_fills;
    uint64_t tlb_evictions;
    uint64_t tlb_flushes;     /* CR3 loads, CR4.PGE changes, flush tlb        */
    uint64_t invlpgs;
} mmu_stats_t;

/* A TLB entry, as front ends see it. */
typedef struct mmu_tlb_info {
    bool valid;         /* the slot holds an entry (mmu_tlb_slot)             */
    uint32_t va;        /* first linear address of the page                   */
    uint32_t frame;     /* physical base                                      */
    bool large, global, rw, us, dirty;
} mmu_tlb_info_t;

typedef enum { MMU_TLB_FILL, MMU_TLB_EVICT, MMU_TLB_INVALIDATE } mmu_tlb_event_t;

typedef struct mmu_hooks {
    /* After each translation made through mmu_translate or mmu_access. */
    void (*on_walk)(void *ud, const mmu_walk_t *w);
    /* When an entry enters or leaves the TLB. */
    void (*on_tlb)(void *ud, mmu_tlb_event_t ev, const mmu_tlb_info_t *e);
    void *ud;
} mmu_hooks_t;

typedef struct mmu_config {
    uint64_t ram_size;      /* bytes of physical memory (4 KB multiple)        */
    uint32_t tlb_entries;   /* 0: no TLB; at most MMU_TLB_MAX                  */
} mmu_config_t;

#define MMU_TLB_MAX 65536u
#define MMU_TLB_DEFAULT 64u

/* Creates a machine with paging enabled (CR0.PG = 1), CR0.WP = 0, CR3 = 0,
 * CR4 = 0 and an empty TLB. Returns PS_EINVAL for a bad configuration. */
ps_result_t mmu_new(const ps_alloc_t *a, const mmu_config_t *cfg, mmu_t **out);
void mmu_free(mmu_t *m);

/* A deep copy (memory, registers, TLB, counters); hooks are not copied.
 * NULL when the allocator fails. */
mmu_t *mmu_clone(const mmu_t *m);

phys_t *mmu_phys(mmu_t *m);
const phys_t *mmu_phys_const(const mmu_t *m);

uint32_t mmu_cr0(const mmu_t *m);
uint32_t mmu_cr3(const mmu_t *m);
uint32_t mmu_cr4(const mmu_t *m);

/* MOV to CR0: a change of WP takes effect at once (the TLB caches rights,
 * not decisions); PG stays set. */
void mmu_set_cr0(mmu_t *m, uint32_t v);
/* MOV to CR3: flushes every non-global TLB entry (all when CR4.PGE = 0). */
void mmu_set_cr3(mmu_t *m, uint32_t v);
/* MOV to CR4: a change of PGE flushes the whole TLB, global entries too. A
 * change of PSE flushes nothing (SDM 4.10.4.1). */
void mmu_set_cr4(mmu_t *m, uint32_t v);

/* Translates va for the given access and mode, filling *w. Sets A and D
 * flags and fills the TLB as the processor would. Returns the reason (also
 * in w->reason): MMU_OK, or why a #PF would be raised. */
mmu_reason_t mmu_translate(mmu_t *m, uint32_t va, mmu_access_t acc, mmu_mode_t mode, mmu_walk_t *w);

/* The same translation without a record: returns 0 and sets *pa, or returns
 * the #PF error code with bit 31 set (MMU_FAULT). The fast path. */
#define MMU_FAULT 0x80000000u
uint32_t mmu_access(mmu_t *m, uint32_t va, mmu_access_t acc, mmu_mode_t mode, uint32_t *pa);

/* Reads the walk for va as memory holds it now, without touching A/D flags,
 * the TLB or the counters (for displays). */
void mmu_peek(const mmu_t *m, uint32_t va, mmu_access_t acc, mmu_mode_t mode, mmu_walk_t *w);
/* The same from the page directory cr3 names instead of the loaded one (the
 * tables of a process that is not running). */
void mmu_peek_cr3(const mmu_t *m, uint32_t cr3, uint32_t va, mmu_access_t acc, mmu_mode_t mode, mmu_walk_t *w);

void mmu_invlpg(mmu_t *m, uint32_t va);
/* Empties the TLB; global entries too when include_global. */
void mmu_flush_tlb(mmu_t *m, bool include_global);

uint32_t mmu_tlb_capacity(const mmu_t *m);
uint32_t mmu_tlb_count(const mmu_t *m);
/* Fills *out with the i-th valid entry (0 <= i < mmu_tlb_count), in slot
 * order. Returns false past the end. */
bool mmu_tlb_get(const mmu_t *m, uint32_t i, mmu_tlb_info_t *out);
/* Slot `slot` as it is (out->valid false when empty). False past the last
 * slot, so that a loop from 0 visits every slot in constant time each. */
bool mmu_tlb_slot(const mmu_t *m, uint32_t slot, mmu_tlb_info_t *out);

const mmu_stats_t *mmu_stats(const mmu_t *m);
void mmu_set_hooks(mmu_t *m, const mmu_hooks_t *h);

#endif
