/* Memory-manager internals: the machine's frames and PFN database, the
 * process structure, and the PTE formats the memory manager writes.
 *
 * PTE formats (x86 without PAE, after the NT layout):
 *
 *   valid (P=1)   hardware bits; bit 9 copy-on-write; the page's protection
 *                 is kept in its PFN entry (as NT keeps OriginalPte)
 *   software P=0  bits 5-9  protection (MM_* below)
 *                 bit 10    prototype (the page belongs to a section)
 *                 bit 11    transition (bits 12-31: the frame still holds
 *                           the page, e.g. a guard or no-access page that
 *                           was resident)
 *                 bits 12-31 page-file slot + 1 (0: demand zero)
 *   zero          not committed (reserved, or free)
 *
 * Protections use NT's 5-bit encoding: a base (1..7) plus modifier bits.
 */
#ifndef PAGESIM_MM_INT_H
#define PAGESIM_MM_INT_H

#include "pagesim/mm.h"
#include "repl.h"
#include "strmap.h"
#include "vad.h"

/* NT protection encoding. */
enum {
    MM_READONLY = 1, MM_EXECUTE = 2, MM_EXECUTE_READ = 3, MM_READWRITE = 4,
    MM_WRITECOPY = 5, MM_EXECUTE_READWRITE = 6, MM_EXECUTE_WRITECOPY = 7,
    MM_NOCACHE = 0x08, MM_GUARD_PAGE = 0x10, MM_DECOMMIT = 0x10, MM_NOACCESS = 0x18,
    MM_WRITECOMBINE = 0x18,
};
#define MM_BASE(prot) ((prot) & 7u)
#define MM_MODS(prot) ((prot) & 0x18u)  /* NOCACHE, GUARD (with a base), ... */

/* A guard page (a base protection with the guard modifier). */
static inline bool mm_prot_guard(uint32_t prot) { return MM_BASE(prot) && MM_MODS(prot) == MM_GUARD_PAGE; }
/* A protection that lets some access through (not no-access, not guard). */
static inline bool mm_prot_accessible(uint32_t prot) { return MM_BASE(prot) && MM_MODS(prot) != MM_GUARD_PAGE; }

/* Software PTE fields. */
#define SPTE_PROT_SHIFT 5
#define SPTE_PROT_MASK  (0x1Fu << SPTE_PROT_SHIFT)
#define SPTE_PROTOTYPE  (1u << 10)
#define SPTE_TRANSITION (1u << 11)
#define SPTE_SLOT_SHIFT 12
#define PTE_COW         (1u << 9)   /* valid PTE: copy-on-write              */
/* A valid PTE of a section's frame keeps the view's protection in its
 * software bits (the frame is shared, so its PFN entry cannot): bit 10 an
 * execute protection, bit 11 execute without read (PAGE_EXECUTE). */
#define PTE_VIEW_EXEC   (1u << 10)
#define PTE_VIEW_XONLY  (1u << 11)
/* A decommitted page of a reservation: a software PTE whose protection is
 * MM_DECOMMIT (NT writes this, not zero, when a page is decommitted, so
 * the page table stays until the region is released). */
#define MM_DECOMMITTED_PTE (MM_DECOMMIT << 5)

static inline uint32_t spte_prot(uint32_t pte) { return (pte & SPTE_PROT_MASK) >> SPTE_PROT_SHIFT; }
static inline uint32_t spte_make(uint32_t prot) { return prot << SPTE_PROT_SHIFT; }

/* Whether a PTE says its page is committed (not zero, not decommitted;
 * a view's prototype PTE also needs its section page committed, which
 * mm_page_prot_of checks). */
static inline bool mm_pte_live(uint32_t pte) { return pte && pte != MM_DECOMMITTED_PTE; }

/* Win32 PAGE_* <-> NT MM_*; mm_from_win32 returns 0 for an invalid one. */
uint32_t mm_from_win32(uint32_t page_protect);
uint32_t mm_to_win32(uint32_t mm_prot);
/* Hardware bits (R/W, PCD, PWT, COW) for a valid user PTE of prot. */
uint32_t mm_hw_bits(uint32_t mm_prot);
/* The same for a view's PTE of a section frame, with the execute bits. */
uint32_t mm_view_hw_bits(uint32_t mm_prot);
/* The access a Win32 protection gives, as bits (MM_ACCESS_*): what a view
 * or a section allows, and what a protection asks of it. */
enum { MM_ACCESS_READ = 1, MM_ACCESS_WRITE = 2, MM_ACCESS_EXECUTE = 4 };
uint32_t mm_prot_access(uint32_t page_protect);

/* The PFN database: one entry per physical frame in use. */
typedef struct pfn {
    uint32_t va;        /* the virtual address mapped (user pages); a free
                           frame: the next free frame + 1                    */
    uint16_t owner;     /* process id + 1; 0 for the system                  */
    uint8_t prot;       /* MM_* protection of the page                       */
    uint16_t flags;     /* PFN_*                                             */
    uint32_t share;     /* mappings of this frame                            */
    uint32_t slot;      /* page-file slot + 1 holding a current copy, or 0   */
    uint32_t file;      /* PFN_FILE: the file's index + 1                    */
} pfn_t;

enum { PFN_USED = 1, PFN_PAGE_TABLE = 2, PFN_DIRECTORY = 4, PFN_SYSTEM = 8, PFN_SECTION = 16, PFN_RESET = 32,
       PFN_LOCKED = 64, /* VirtualLock: a private page that stays in the working set */
       /* A page of a file in the file cache (with PFN_SECTION): va is its
        * page number in the file, slot the file's index + 1; PFN_MODIFIED
        * when it was written since it was last written to the file. */
       PFN_FILE = 128, PFN_MODIFIED = 256,
       /* AWE: a frame AllocateUserPhysicalPages gave a process (mm_awe.c):
        * owner its process, va where it is mapped (share 1) or 0 (share 0);
        * in no working set and never in the replacement policy. */
       PFN_AWE = 512 };

/* A frame that holds one process's page (not a section's, a table, a
 * directory or the system's). */
static inline bool mm_pfn_private(const pfn_t *e)
{
    return !(e->flags & (PFN_SECTION | PFN_SYSTEM | PFN_PAGE_TABLE | PFN_DIRECTORY | PFN_AWE));
}

/* A page-file-backed section: its pages are shared by every view. */
struct section {
    uint32_t index;         /* its place in mm->sections                     */
    char name[256];         /* "" when unnamed, or no longer named: the name
                               goes with the last handle (under 256 bytes)   */
    uint64_t size;          /* bytes: whole pages                            */
    uint32_t npages;
    uint32_t protect;       /* PAGE_* the section was created with           */
    uint32_t attributes;    /* SEC_*                                         */
    uint32_t *page;         /* per page: SECTION_COMMITTED | (frame + 1, or
                               0: demand zero)                               */
    uint32_t committed;     /* pages committed (charged to the system)       */
    uint32_t refs;          /* open handles + mapped views                   */
    uint32_t handles;       /* open handles                                  */
    uint32_t file;          /* a file-backed section: the file's index + 1
                               (its pages are the file's, page for page, held
                               in the file cache; page is NULL); 0: page-file
                               backed                                        */
};
#define SECTION_COMMITTED 0x80000000u
/* The frame + 1 holding page i of s, or 0. */
static inline uint32_t section_frame1(const section_t *s, uint32_t i) { return s->page[i] & ~SECTION_COMMITTED; }

typedef struct handle_entry {
    section_t *section;     /* a section handle, or NULL                     */
    uint32_t process;       /* owner's id; a free slot: the next free + 1    */
    uint32_t file;          /* a file handle: the file's index + 1, or 0     */
    uint32_t target;        /* a process handle: the process's id + 1, or 0;
                               a slot with none of the three is free         */
    uint32_t access, share; /* a file handle: GENERIC_*, FILE_SHARE_*; a
                               process handle: the PROCESS_* rights granted  */
    uint32_t pos;           /* a file handle: the file pointer               */
} handle_entry_t;

/* A file of the simulated file system. Its bytes live on its disk (sparse:
 * only pages ever written are stored); a page that a view or the cache
 * needs is read into a frame of the file cache, which every view of the
 * file maps and ReadFile and WriteFile go through, so a page has one copy
 * in memory. A file stays in the file system when its handles are closed. */
typedef struct ps_file {
    char name[64];          /* as created (names compare without case)       */
    uint32_t size;          /* bytes (files stay under 4 GB)                 */
    phys_t *disk;           /* the file's bytes, at their offsets            */
    uint32_t *cache;        /* per page: frame + 1 in the file cache, or 0   */
    uint32_t ncache;        /* entries of cache                              */
    uint32_t handles;       /* open file handles                             */
    uint32_t sections;      /* sections made on it (each holds it open)      */
    uint64_t reads, writes; /* pages read from and written to the disk       */
} ps_file_t;

#define PFN_GROUP 1024u

/* A thread of a process: what its TEB says of its stack (see mm_stack.c). */
typedef struct mm_thread {
    char name[32];
    uint32_t dealloc;            /* DeallocationStack: the reservation's base */
    uint32_t base;               /* StackBase: its top (exclusive)            */
    uint32_t limit;              /* StackLimit: the lowest committed page      */
    uint32_t sp;                 /* the simulated ESP                         */
    uint32_t teb;                /* its TEB page                              */
    bool guarded;                /* a guard page lies just under limit         */
    bool disturbed;              /* a Virtual* call changed pages of its stack:
                                    the layout below is no longer checked     */
} mm_thread_t;
typedef struct heap_set heap_set_t;   /* the process's heaps (heap_int.h) */

struct mm_process {
    mm_t *mm;
    uint32_t id;                 /* its index in mm->procs                    */
    char name[32];
    uint32_t pd;                 /* physical address of the page directory    */
    vad_tree_t vads;
    uint16_t pt_used[1024];      /* non-zero PTEs per user page table         */
    uint16_t pde_vads[1024];     /* allocations reaching into each 4 MB       */
    uint32_t pt_charged;         /* 4 MB blocks charged for a page table: an
                                    allocation reaches in, or a table is there */
    uint32_t pt_pages;
    uint32_t ws, peak_ws;
    uint64_t private_commit;     /* committed private pages                   */
    uint64_t demand_zero, soft, hard, cow, av, guard;
    uint64_t stack_growths, stack_overflows;
    mm_thread_t *threads;        /* its threads (none in an empty layout)     */
    uint32_t nthreads, capthreads, cur_thread;
    uint32_t watched;            /* allocations with write watch (VAD_WRITE_WATCH) */
    uint64_t peak_commit;        /* the most private_commit has been          */
    uint32_t locked;             /* its frames with PFN_LOCKED (VirtualLock)   */
    uint32_t ws_min;             /* the working-set minimum, pages: what it may
                                    lock is this less MM_LOCK_OVERHEAD        */
    uint32_t ws_max;             /* the working-set maximum, pages (reported;
                                    the wsmax= limit is what trims)          */
    heap_set_t *heaps;           /* NULL until the first heap is made          */
    uint32_t awe_frames;         /* its frames with PFN_AWE (mm_awe.c)         */
};

struct mm {
    const ps_alloc_t *alloc;
    mm_config_t cfg;
    mmu_t *mmu;
    uint32_t nframes;            /* frames of RAM                             */
    uint32_t first_free_frame;   /* frames below belong to the kernel         */
    uint32_t next_fresh;         /* never-used frames start here             */
    uint32_t free_head;          /* first free frame + 1 (0: none)            */
    uint32_t nfree;
    pfn_t *pfn_group[1u << 20 >> 10];
    mm_process_t **procs;
    uint32_t nprocs, capprocs;
    strmap_t proc_names;         /* name -> id                                */
    mm_process_t *current;
    uint32_t shared_frame;       /* KUSER_SHARED_DATA                         */
    uint32_t kernel_pt;          /* page table of the last 4 MB (0xFFC00000)  */
    uint64_t commit_pages;       /* system-wide commit charge                 */
    uint64_t commit_limit_pages;
    uint64_t pagefile_reads, pagefile_writes;
    mm_namer_fn namer;
    void *namer_ud;
    repl_t repl;                 /* replacement over frames from first_free    */
    phys_t *pagefile;            /* sparse: only slots in use hold data        */
    uint8_t *slot_used;          /* one byte a slot                            */
    uint32_t nslots, slots_used, slot_hint;
    mm_hooks_t hooks;
    bool host_oom;               /* a host allocation failed (mm_oom)         */
    section_t **sections;
    uint32_t nsections, capsections;
    handle_entry_t *handles;
    uint32_t nhandles, caphandles;
    uint32_t free_handle;        /* first free handle slot + 1 (0: none)      */
    strmap_t section_names;      /* name -> index in sections (named ones)    */
    ps_file_t **files;           /* the file system (fs.c)                     */
    uint32_t nfiles, capfiles;
    uint64_t file_reads, file_writes; /* pages, the machine's                 */
    uint32_t *awe_log;           /* every page-frame number AllocateUser-
                                    PhysicalPages wrote, in order: the
                                    programs' arrays, end to end (mm_awe.c)   */
    uint32_t nawe_log, capawe_log;
};

/* Commits the page va of p's private memory with MM protection prot: its
 * page table made if needed, then a frame (resident, accessed) or a
 * demand-zero PTE, and the page's commit charged. The caller has checked
 * the commit limit. False with why when a table or frame cannot be had. */
bool mm_commit_private_page(mm_process_t *p, uint32_t va, uint32_t prot, bool resident, strbuf_t *why);

/* One more page of private commit charged to p and to the system, with
 * p's peak (GetProcessMemoryInfo's PeakPagefileUsage) kept: every commit
 * of a private page goes through here. */
static inline void mm_charge_private_page(mm_t *mm, mm_process_t *p)
{
    if (++p->private_commit > p->peak_commit) p->peak_commit = p->private_commit;
    mm->commit_pages++;
}

/* Paging (mm_paging.c). */
ps_result_t mm_paging_init(mm_t *mm);
void mm_paging_fini(mm_t *mm);
ps_result_t mm_paging_clone(mm_t *dst, const mm_t *src);
/* Evicts one user page (a page of only, when only is not NULL: its working
 * set is at its limit), explaining into why; false when none can go. */
bool mm_evict(mm_t *mm, mm_process_t *only, strbuf_t *why);
/* The user page in frame was used again (LRU's order). */
void mm_page_used(mm_t *mm, uint32_t frame);
/* Page-file slots (numbered from 1). */
void mm_slot_free(mm_t *mm, uint32_t slot);
/* The hard fault: reads slot into frame. */
bool mm_slot_read(mm_t *mm, uint32_t slot, uint32_t frame);

/* Sections (mm_section.c). */
void mm_section_release(mm_t *mm, section_t *s);
/* Makes the section page behind a prototype PTE present at va. */
bool mm_section_fault(mm_process_t *p, uint32_t va, uint32_t prot, bool write, mm_access_t *res);
/* Whether the section page behind view v's page va is committed. */
bool mm_view_page_committed(const vad_t *v, uint32_t va);
/* VirtualAlloc(MEM_COMMIT) in a view: [start, end] (inclusive) inside v. */
uint32_t mm_view_commit(mm_process_t *p, vad_t *v, uint32_t start, uint32_t end, uint32_t protect, strbuf_t *why);
/* Whether protect (PAGE_*) fits a view whose AllocationProtect is
 * view_protect: VirtualProtect and VirtualAlloc in a view allow only that. */
bool mm_view_prot_fits(uint32_t view_protect, uint32_t protect);
/* The MM_* protection a page of view v (or of a private allocation v)
 * takes for PAGE_* protect: its caching (PAGE_NOCACHE, PAGE_WRITECOMBINE)
 * is the allocation's, not the caller's. */
uint32_t mm_alloc_page_prot(const vad_t *v, uint32_t protect);
/* Unmaps every page of a view (frees private copies, drops shared ones). */
void mm_unmap_pages(mm_process_t *p, vad_t *v);
/* Deep copies for mm_clone. */
ps_result_t mm_sections_clone(mm_t *dst, const mm_t *src);
/* A named section that exists: a new handle to it in *handle (or *err)
 * and true; false when there is none by that name (or no name). */
bool mm_section_open_named(mm_process_t *p, const char *name, uint32_t *handle, uint32_t *err, strbuf_t *why);
/* A new section of npages (file1: the file's index + 1 for a file-backed
 * one, else page-file backed and charged when attrs has SEC_COMMIT) and a
 * handle to it; 0, or the error with nothing made. */
uint32_t mm_section_make(mm_process_t *p, const char *name, uint32_t npages, uint32_t page_prot, uint32_t attrs,
                         uint32_t file1, section_t **out, uint32_t *handle, strbuf_t *why);
/* Handles (mm_section.c): the open handle h of process p (a section's or a
 * file's), or NULL; a new handle slot for *proto (owned by p), false when
 * the host is out of memory. */
handle_entry_t *mm_handle_find(const mm_process_t *p, uint32_t h);
bool mm_handle_new(mm_process_t *p, const handle_entry_t *proto, uint32_t *h);

/* The file system (fs.c) and file-backed sections (mm_file.c). --------- */
/* The file of a file handle's or a section's index + 1. */
static inline ps_file_t *mm_file(const mm_t *mm, uint32_t file1) { return mm->files[file1 - 1]; }
/* The file named name (index + 1), or 0; a new empty file of that name
 * (index + 1), or 0 when the host is out of memory. */
uint32_t fs_find(const mm_t *mm, const char *name);
uint32_t fs_create(mm_t *mm, const char *name);
/* Maps the program's image (program.exe, made on first use) at 0x00400000
 * in p, the image section every process shares (mm_image.c). */
bool mm_image_map(mm_process_t *p, strbuf_t *why);
/* The name of the image section ("headers", ".text", ...) that page of the
 * image file belongs to, or NULL past its end. */
const char *mm_image_section_name(uint32_t page);
/* Whether file1 (index + 1) is an image's file: a SEC_IMAGE section is made
 * on it (mm_backing.c). */
bool mm_file_is_image(const mm_t *mm, uint32_t file1);
/* A file handle was closed. */
void fs_handle_closed(mm_t *mm, handle_entry_t *e);
/* Makes file f at least size bytes (zeros), or exactly size when shrink;
 * false when the host is out of memory. */
bool fs_set_size(mm_t *mm, ps_file_t *f, uint32_t size);
ps_result_t fs_clone(mm_t *dst, const mm_t *src);
void fs_free(mm_t *mm);
/* CreateFileMapping on file handle fh (protect and attributes as given). */
uint32_t mm_file_section_create(mm_process_t *p, uint32_t fh, uint32_t protect, uint32_t size_high, uint32_t size_low,
                                const char *name, uint32_t *handle, strbuf_t *why);
/* The fault on page i of a file-backed section: the page is made resident
 * in the file cache (read from the disk: a hard fault), *frame its frame. */
bool mm_file_page_in(mm_process_t *p, section_t *s, uint32_t i, uint32_t va, uint32_t *frame, mm_access_t *res);
/* Writes the modified cached pages [first, last] of file f to its disk,
 * taking the dirty bits of every view's PTEs first; pages written. */
uint32_t mm_file_write_back(mm_t *mm, uint32_t file1, uint32_t first, uint32_t last);
/* Evicts the file-cache frame (its PFN entry says PFN_FILE): every view's
 * PTE goes back to its prototype, a modified page is written to the file. */
void mm_file_evict(mm_t *mm, uint32_t frame, strbuf_t *why, const char *head);
/* Frees the cached pages of file f from page first on (they are mapped by
 * no view); the file is being shrunk. */
void mm_file_drop_cache(mm_t *mm, ps_file_t *f, uint32_t first);
void mm_sections_free(mm_t *mm);
void mm_sections_init(mm_t *mm);

/* Frames (mm_frame.c). mm_frame_alloc takes a zeroed frame for process
 * p's use (p may be NULL: the system's), evicting a user page when none is
 * free and explaining that eviction into why; false when no frame can be
 * had. mm_frame_free returns a frame no PTE maps any more. */
bool mm_frame_alloc(mm_t *mm, mm_process_t *p, strbuf_t *why, uint32_t *frame);
void mm_frame_free(mm_t *mm, uint32_t frame);
/* Frees frame f (MM_NO_FRAME: nothing) when it is a private frame that no
 * PTE maps any more, with its page-file copy. */
void mm_release_frame_if_unused(mm_t *mm, uint32_t f);
uint32_t mm_free_frames(const mm_t *mm);
pfn_t *mm_pfn(mm_t *mm, uint32_t frame);          /* NULL if out of memory  */
const pfn_t *mm_pfn_peek(const mm_t *mm, uint32_t frame);

/* Page tables of a process, read and written through physical memory
 * (mm_pte.c). */
uint32_t mm_pde(const mm_process_t *p, uint32_t va);
uint32_t mm_pte(const mm_process_t *p, uint32_t va);   /* 0 without a table */
/* mm_pte for page after page: the page table found once per 4 MB. Start
 * with mm_pte_cursor_init; valid while nothing is written. */
typedef struct mm_pte_cursor {
    const mm_process_t *p;
    uint32_t pdi;              /* the directory index read, or 0x400: none */
    const uint8_t *table;      /* its page table's bytes, NULL: all zeros */
    uint32_t stored;           /* how many of them are stored (the rest: 0) */
} mm_pte_cursor_t;
void mm_pte_cursor_init(mm_pte_cursor_t *c, const mm_process_t *p);
uint32_t mm_pte_next(mm_pte_cursor_t *c, uint32_t va);
/* The frame a PTE maps (valid or transition), or MM_NO_FRAME. */
#define MM_NO_FRAME UINT32_MAX
uint32_t mm_pte_frame(uint32_t pte);
/* Whether a committed PTE is charged to its process's private commit: not
 * a prototype PTE, not a section's or the system's frame. */
bool mm_pte_charged(const mm_t *mm, uint32_t pte);
/* Ensures the page table for va exists (allocating and charging it, and
 * explaining any eviction that needed into why). */
bool mm_ensure_table(mm_process_t *p, uint32_t va, strbuf_t *why);
/* The same for every table [start, end] (inclusive) needs: all of them, or
 * none made (false). */
bool mm_ensure_tables(mm_process_t *p, uint32_t start, uint32_t end, strbuf_t *why);
/* The one door: writes the PTE of va (its table must exist) and derives
 * from the old and the new value the table's use count, the working set
 * and its peak, the frames' share counts, replacement membership, TLB
 * invalidation and the hooks (see mm_pte.c). */
void mm_set_pte(mm_process_t *p, uint32_t va, uint32_t pte);
/* Whether the PTE pte of va counts as a page of the working set: valid,
 * user, and not the system's shared page nor an AWE frame (MSDN
 * AllocateUserPhysicalPages: those are not part of the working set). */
bool mm_in_working_set(const mm_t *mm, uint32_t va, uint32_t pte);
/* The heaps' store cache forgets page va (its PTE changed; heap_mem.c). */
void heap_page_forget(heap_set_t *s, uint32_t va);
/* The other door, for a page's lock: locks or unlocks the valid private
 * page at va (nothing when it is not one), keeping the process's count and
 * the replacement policy's membership (a locked page is never evicted).
 * mm_set_pte drops the lock of a page whose PTE stops mapping its frame
 * validly (decommit, release, a protection that allows no access). */
void mm_set_locked(mm_process_t *p, uint32_t va, bool locked);
/* The file cache takes (in) or gives back a frame: its membership in the
 * replacement policy (mm_pte.c, beside every other change of it). */
void mm_cache_frame(mm_t *mm, uint32_t frame, bool in);
/* Frees the page table of va if no PTE in it is in use. */
void mm_release_table_if_empty(mm_process_t *p, uint32_t va);

/* Allocations (VADs) with their page-table commitment: a reservation is
 * charged one page of commit for each 4 MB it reaches into that no other
 * allocation or page table of the process has charged already (the page
 * tables it will need). mm_vad_add fails with ERROR_COMMITMENT_LIMIT (or
 * ERROR_NOT_ENOUGH_MEMORY when the host is out of memory) and changes
 * nothing; mm_vad_remove gives the charge back for blocks left with no
 * allocation and no table. */
uint32_t mm_vad_add(mm_process_t *p, const vad_t *proto, vad_t **out, strbuf_t *why);
void mm_vad_remove(mm_process_t *p, vad_t *v);
/* Page-table pages a new allocation [start, end) would be charged for. */
uint32_t mm_vad_table_charge(const mm_process_t *p, uint32_t start, uint32_t end);

/* Makes a committed page non-committed: its PTE (pte, as read) becomes
 * to (zero, or the decommitted PTE), it is uncharged when it was charged,
 * its frame or page-file slot freed. */
void mm_unmap_page(mm_process_t *p, uint32_t va, uint32_t pte, uint32_t to);
void mm_drop_page(mm_process_t *p, uint32_t va);
/* Decommits the committed pages of [start, end] (inclusive): their PTEs
 * become the decommitted PTE, or zero when the region is being released
 * (release), and the page tables left empty are freed. */
void mm_decommit_range(mm_process_t *p, uint32_t start, uint32_t end, bool release);
/* Gives the committed page va (its PTE pte, not a view's prototype) the
 * protection prot: a valid page stays valid with new rights, or goes to
 * transition when prot allows no access (its frame stays); a page in
 * transition comes back the same way; a page out of memory keeps its slot. */
void mm_set_page_prot(mm_process_t *p, uint32_t va, uint32_t pte, uint32_t prot);

/* Committed pages in [start, end), skipping 4 MB without a page table. */
uint32_t mm_count_committed(const mm_process_t *p, uint32_t start, uint32_t end);

/* The protection of a committed page (0 when not committed). */
uint32_t mm_page_prot(const mm_process_t *p, uint32_t va);
/* The same for a PTE already read (pte = mm_pte(p, va)). */
uint32_t mm_page_prot_of(const mm_process_t *p, uint32_t va, uint32_t pte);
/* VirtualQuery of user address addr (at or below the highest application
 * address), with the region measured no further than limit: the region
 * may go on past it. For callers that only need the pages up to limit, so
 * that a region of many pages is not scanned to its end again and again. */
void mm_query_upto(const mm_process_t *p, uint32_t addr, uint64_t limit, mm_mbi_t *mbi);

/* "allocation `a` (0x10000000-0x10013FFF)" or "the stack (...)". */
void mm_describe_vad(const mm_t *mm, strbuf_t *b, const vad_t *v);

/* Write watch (mm_wwatch.c): the user-mode write to va succeeded (sets
 * its page's bit when va is in a write-watch allocation); and the check of
 * the bitmaps for mm_check (false with a sentence in msg). */
void mm_watch_written(mm_process_t *p, uint32_t va);
/* VirtualLock (mm_lock.c): the check of the locked frames for mm_check. */
bool mm_lock_check(const mm_t *mm, char *msg, size_t n);
/* AWE (mm_awe.c): unmaps every page of the MEM_PHYSICAL region v (it is
 * being released; the frames stay the process's); the AWE invariant. */
void mm_awe_release_region(mm_process_t *p, const vad_t *v);
bool mm_awe_check(const mm_t *mm, char *msg, size_t n);
/* Pages of the working-set minimum a process cannot lock (MSDN VirtualLock:
 * "its minimum working set minus a small overhead"), and the minimum a
 * process starts with (Windows Internals: 50 pages by default). */
#define MM_LOCK_OVERHEAD 8u
#define MM_WS_MIN_DEFAULT 50u
/* The maximum a process starts with (MSDN SetProcessWorkingSetSize: 345
 * pages). */
#define MM_WS_MAX_DEFAULT 345u
/* Takes the valid private page va (pte, frame e, not locked) out of p's
 * working set to a transition PTE (mm_wsapi.c). */
void mm_ws_trim(mm_process_t *p, uint32_t va, uint32_t pte, pfn_t *e);
bool mm_watch_check(const mm_process_t *p, char *msg, size_t n);

/* Builds the typical process layout; false when the machine has no frame
 * or commit left for it (the process is then torn down by the caller). */
bool mm_layout_typical(mm_process_t *p, strbuf_t *why);

/* Thread stacks (mm_stack.c). The main thread of a typical layout, with
 * the configured sizes; false when the machine has no room left for it. */
bool mm_stack_main(mm_process_t *p, strbuf_t *why);
/* A guard page fault at va (its guard bit just cleared) that may be the
 * current thread's stack's: MM_RES_GUARD when it is not (the caller raises
 * STATUS_GUARD_PAGE_VIOLATION), MM_RES_STACK_GROWTH when the stack grew and
 * the access is retried, MM_RES_STACK_OVERFLOW with res filled in. */
mm_resolution_t mm_stack_guard_fault(mm_process_t *p, uint32_t va, mmu_access_t acc, mm_access_t *res);
/* A Virtual* call changed [start, end] (inclusive): a thread stack it
 * reaches is no longer in the layout mm_stack_check expects. */
void mm_stack_changed(mm_process_t *p, uint32_t start, uint32_t end);
/* The stacks' invariants (mm_check); false with one sentence in msg. */
bool mm_stack_check(const mm_process_t *p, char *msg, size_t n);
/* Copies the thread list for mm_clone; frees it. */
bool mm_threads_copy(mm_process_t *dst, const mm_process_t *src);
void mm_threads_free(mm_process_t *p);

/* Processes (mm_process.c): a process's whole address space released
 * (views unmapped, pages decommitted, tables and directory freed). */
void mm_process_teardown(mm_process_t *p);
void mm_process_names_init(mm_t *mm);
void mm_processes_free(mm_t *mm);
/* A configuration the machine can have (mm_new's check). */
bool mm_config_valid(const mm_config_t *cfg);

/* Explanations: append to why (which may be NULL). mm_fail returns code. */
#if defined(__GNUC__)
#define MM_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define MM_PRINTF(f, a)
#endif
void mm_say(strbuf_t *why, const char *fmt, ...) MM_PRINTF(2, 3);
/* Records that a host allocation failed (the machine may be left part way
 * through a change: mm_host_oom tells the caller to give up); returns
 * false, for `return mm_oom(mm);`. */
bool mm_oom(mm_t *mm);
/* A note that repeats once per page of a long run (an eviction, a fault):
 * the first few of each kind are shown, the rest counted, and
 * mm_explain_end says how many more there were. */
enum { MM_NOTE_EVICT = 0, MM_NOTE_DEMAND_ZERO, MM_NOTE_HARD, MM_NOTE_COPY, MM_NOTE_STACK };
#define MM_NOTES_SHOWN 4u
void mm_note(strbuf_t *why, unsigned kind, const char *fmt, ...) MM_PRINTF(3, 4);
uint32_t mm_fail(strbuf_t *why, uint32_t code, const char *fmt, ...) MM_PRINTF(3, 4);

#endif
