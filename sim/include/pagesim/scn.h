/* Scenarios: the parser and runner of the scenario language (version 1, see
 * docs/scenario-language.md). Text comes in as a buffer; results come out as
 * scn_result_t values that scn_format.h turns into JSON Lines or prose.
 *
 *   scn_script_t *s;  scn_error_t err;
 *   if (scn_parse(NULL, "walk.scn", text, len, &s, &err) != PS_OK) report(err);
 *   scn_runner_t *r;  scn_runner_new(NULL, s, &r);
 *   scn_result_t res;
 *   while (scn_step(r, &res, &err) == SCN_STEP_OK) show(&res);
 */
#ifndef PAGESIM_SCN_H
#define PAGESIM_SCN_H

#include "pagesim/core.h"
#include "pagesim/backend.h"
#include "pagesim/mm.h"
#include "pagesim/mmu.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Every statement of the language, in the order of the statement table. */
typedef enum {
    SCN_MACHINE, SCN_CONFIG, SCN_PROCESS,
    SCN_CR3, SCN_CR0_WP, SCN_CR4_PSE, SCN_CR4_PGE,
    SCN_POKE32, SCN_PEEK32, SCN_INVLPG, SCN_FLUSH,
    SCN_TRANSLATE, SCN_STATS, SCN_MEMSTATUS, SCN_EXPECT,
    SCN_VIRTUALALLOC, SCN_VIRTUALFREE, SCN_VIRTUALPROTECT, SCN_VIRTUALQUERY,
    SCN_CREATEFILEMAPPING, SCN_MAPVIEWOFFILE, SCN_MAPVIEWOFFILEEX,
    SCN_UNMAPVIEWOFFILE, SCN_CLOSEHANDLE, SCN_GLOBALMEMORYSTATUS, SCN_GETSYSTEMINFO,
    SCN_READ, SCN_WRITE, SCN_TOUCH,
    SCN_ADDRESS, SCN_PTE, SCN_VAD, SCN_PFN,
    SCN_THREAD, SCN_PUSH, SCN_POP, SCN_ALLOCA,
    SCN_GETWRITEWATCH, SCN_RESETWRITEWATCH, SCN_GETPROCESSMEMORYINFO,
    SCN_VIRTUALLOCK, SCN_VIRTUALUNLOCK,
    /* files and file-backed sections */
    SCN_CREATEFILE, SCN_READFILE, SCN_WRITEFILE, SCN_SETFILEPOINTER, SCN_SETENDOFFILE, SCN_GETFILESIZE,
    SCN_FLUSHVIEWOFFILE,
    /* Heaps, the C runtime and Delphi's memory manager (scn_run_heap.c). */
    SCN_HEAPCREATE, SCN_HEAPDESTROY, SCN_HEAPALLOC, SCN_HEAPREALLOC, SCN_HEAPFREE, SCN_HEAPSIZE,
    SCN_HEAPVALIDATE, SCN_GETPROCESSHEAP, SCN_GETPROCESSHEAPS, SCN_HEAPWALK,
    SCN_MALLOC, SCN_CALLOC, SCN_REALLOC, SCN_FREE, SCN_GETMEMORY, SCN_FREEMEMORY, SCN_HEAP,
    /* Address Windowing Extensions. */
    SCN_ALLOCATEUSERPHYSICALPAGES, SCN_MAPUSERPHYSICALPAGES, SCN_FREEUSERPHYSICALPAGES,
    /* The working-set calls (scn_run_ws.c). */
    SCN_GETCURRENTPROCESS, SCN_SETPROCESSWORKINGSETSIZE, SCN_GETPROCESSWORKINGSETSIZE, SCN_EMPTYWORKINGSET,
    SCN_QUERYWORKINGSET,
    /* Other processes by handle (scn_run_proc.c). */
    SCN_OPENPROCESS, SCN_VIRTUALQUERYEX,
    SCN_VERB_COUNT
} scn_verb_id_t;

/* Which machines a statement runs on. */
enum {
    SCN_ON_BARE = 1,     /* a bare machine (machine bare ...)                */
    SCN_ON_PROCESS = 2,  /* a simulated Windows process                      */
    SCN_ON_WIN32 = 4,    /* the Win32 backend runs it (else: skipped there)  */
};

/* A statement descriptor: the one table the parser, the help text and the
 * error messages all read. */
typedef struct scn_verb {
    scn_verb_id_t id;
    const char *name;    /* as written: "VirtualAlloc", "cr0.wp", "flush"    */
    const char *usage;   /* "VirtualAlloc(addr, size, type, protect)"        */
    const char *summary; /* one line for --help                              */
    unsigned on;         /* SCN_ON_* bits                                    */
} scn_verb_t;

/* The row of statement id in the statement table (NULL past the last). */
const scn_verb_t *scn_verb(scn_verb_id_t id);

/* Where and why a scenario cannot be run. */
typedef struct scn_error {
    uint32_t line, col;  /* 1-based; line 0 for errors with no place         */
    char msg[512];
} scn_error_t;

typedef struct scn_script scn_script_t;

/* Parses a whole scenario (len bytes of text, not NUL-terminated). All
 * static checks happen here: syntax, constants, names bound before use and
 * once, argument counts, statement placement. Returns PS_OK and *out, or
 * PS_EINVAL with *err filled (or PS_ENOMEM). */
ps_result_t scn_parse(const ps_alloc_t *a, const char *text, size_t len, scn_script_t **out, scn_error_t *err);
void scn_script_free(scn_script_t *s);

size_t scn_script_count(const scn_script_t *s);   /* statements */
/* The statement's verb, 1-based line, and its source text (no newline). */
scn_verb_id_t scn_script_verb(const scn_script_t *s, size_t i);
uint32_t scn_script_line(const scn_script_t *s, size_t i);
const char *scn_script_source(const scn_script_t *s, size_t i, size_t *len);
/* True when the scenario runs on a bare machine (starts with machine bare). */
bool scn_script_bare(const scn_script_t *s);
/* True when the scenario can be compared with real Windows: not a bare
 * machine, and not declared simulator-only (config compare=no). */
bool scn_script_compared(const scn_script_t *s);

/* Results. ------------------------------------------------------------- */

enum { /* scn_result_t.has bits */
    SCN_HAS_OK = 1u << 0,     /* ok (and error when !ok)                     */
    SCN_HAS_RET = 1u << 1,    /* ret                                         */
    SCN_HAS_WALK = 1u << 2,   /* walk (translate)                            */
    SCN_HAS_VALUE = 1u << 3,  /* paddr and value (peek32, poke32)            */
    SCN_HAS_STATS = 1u << 4,  /* stats                                       */
    SCN_HAS_EXPECT = 1u << 5, /* expect_ok, actual, expected                 */
    SCN_HAS_REG = 1u << 6,    /* reg_value (cr3 =, cr0.wp = ...)             */
    SCN_HAS_MACHINE = 1u << 7,/* ram, tlb_entries (machine bare)             */
    SCN_HAS_INVAL = 1u << 8,  /* invalidated (invlpg, flush, cr3 =)          */
    SCN_HAS_SKIPPED = 1u << 9,/* skipped (a reason)                          */
    SCN_HAS_ADDR = 1u << 10,  /* ret is an address (ret_str)                 */
    SCN_HAS_NAME = 1u << 11,  /* name (a new allocation or handle)           */
    SCN_HAS_OLD = 1u << 12,   /* old (VirtualProtect)                        */
    SCN_HAS_MBI = 1u << 13,   /* mbi, mbi_base, mbi_alloc                    */
    SCN_HAS_EXC = 1u << 14,   /* exc, exc_addr                               */
    SCN_HAS_BYTES = 1u << 15, /* bytes, nbytes (read)                        */
    SCN_HAS_SYSINFO = 1u << 16,
    SCN_HAS_MEMSTATUS = 1u << 17,
    SCN_HAS_MMSTATS = 1u << 18, /* mm_stats (a process)                      */
    SCN_HAS_RESOLVED = 1u << 19,/* resolved, retry (translate in a process)  */
    SCN_HAS_HANDLE = 1u << 20,  /* ret is a handle (ret_str is its name)     */
    SCN_HAS_PROCESS = 1u << 21, /* process: name, created                    */
    SCN_HAS_COUNT = 1u << 22,   /* count (touch: pages touched)              */
    SCN_HAS_TEXT = 1u << 23,    /* text (!address, !pte, !vad)               */
    SCN_HAS_CONFLICT = 1u << 24,/* the host process held a fixed address     */
    SCN_HAS_STACK = 1u << 25,   /* thread, stack: the current thread's stack */
    SCN_HAS_WATCH = 1u << 26,   /* count, granularity, addresses (GetWriteWatch) */
    SCN_HAS_PMC = 1u << 27,     /* pmc (GetProcessMemoryInfo)                 */
    SCN_HAS_WSSIZE = 1u << 28,  /* ws_min, ws_max (GetProcessWorkingSetSize)  */
    SCN_HAS_WSLIST = 1u << 29,  /* count, addresses: QueryWorkingSet's entries */
};

/* Room for an address string: NAME+0xOFFSET with the longest name (128). */
#define SCN_ADDR_STR 144

typedef struct scn_result {
    scn_verb_id_t verb;
    const char *op;          /* the statement's name as written              */
    uint32_t line;
    size_t index;            /* statement index in the script                */
    unsigned has;            /* SCN_HAS_* bits                               */
    bool ok;
    uint32_t error;          /* GetLastError when !ok                        */
    uint32_t ret;
    mmu_walk_t walk;
    uint32_t paddr, value;
    mmu_stats_t stats;
    uint32_t reg_value;
    uint64_t ram;
    uint32_t tlb_entries;
    uint32_t invalidated;    /* TLB entries removed                          */
    bool expect_ok;
    char actual[80], expected[80];
    const char *skipped;
    /* A Windows process. Address strings are NAME, NAME+0xOFF or 0x%08X. */
    char ret_str[SCN_ADDR_STR];
    const char *name;        /* bound to a new allocation, handle, process   */
    bool created;            /* process: it was created by this statement    */
    uint32_t old;
    mm_mbi_t mbi;
    char mbi_base[SCN_ADDR_STR], mbi_alloc[SCN_ADDR_STR];
    ps_exception_t exc;
    char exc_addr[SCN_ADDR_STR];
    const uint8_t *bytes;    /* owned by the runner until the next step      */
    uint32_t nbytes;
    uint32_t count;
    mm_sysinfo_t sysinfo;
    char min_app[SCN_ADDR_STR], max_app[SCN_ADDR_STR];
    mm_memstatus_t memstatus;
    mm_stats_t mm_stats;
    mm_resolution_t resolved;
    bool retried;
    mmu_walk_t retry;        /* the walk again, after the fault was resolved */
    const char *why;         /* why it failed or faulted, or NULL            */
    const char *text;        /* !address, !pte, !vad: the report            */
    /* The current thread's stack after thread, push, pop and alloca: its
     * name in `name` and the TEB's fields, the guard page (0: none left)
     * and the stack pointer. */
    uint32_t stack_base, stack_limit, dealloc_stack, guard, esp;
    mm_pmc_t pmc;            /* GetProcessMemoryInfo                         */
    uint32_t granularity;    /* GetWriteWatch: the page size it reports in   */
    const char *addresses;   /* GetWriteWatch: the count address strings,
                                one space apart ("" for none); owned by the
                                runner until its next GetWriteWatch or
                                QueryWorkingSet, whose entries it holds:
                                ADDR:PROTECTION:SHARED:SHARECOUNT each     */
    uint32_t ws_min, ws_max; /* GetProcessWorkingSetSize: bytes              */
} scn_result_t;

/* Running. ------------------------------------------------------------- */

typedef struct scn_runner scn_runner_t;

typedef enum { SCN_STEP_OK = 0, SCN_STEP_END, SCN_STEP_ERROR } scn_step_t;

/* Creates a runner over s (which must outlive it) with the simulator as
 * its backend. */
ps_result_t scn_runner_new(const ps_alloc_t *a, const scn_script_t *s, scn_runner_t **out);
/* The same with another backend (ops, ctx); statements the backend does not
 * simulate are answered with a skipped result. */
ps_result_t scn_runner_new_backend(const ps_alloc_t *a, const scn_script_t *s, const ps_backend_ops_t *ops,
                                   void *ctx, scn_runner_t **out);
void scn_runner_free(scn_runner_t *r);

/* Runs the next statement and fills *res. SCN_STEP_END when there is none;
 * SCN_STEP_ERROR (with *err) when the statement cannot run: the scenario is
 * then unusable, as a syntax error would make it. */
scn_step_t scn_step(scn_runner_t *r, scn_result_t *res, scn_error_t *err);

/* A deep copy of a simulator runner at its current statement: machine,
 * memory manager, names, values. Stepping the copy does not touch the
 * original, so front ends keep copies to step back. NULL when out of
 * memory or when the backend is not the simulator. */
scn_runner_t *scn_runner_clone(const scn_runner_t *r);

/* When the configuration is complete (the next statement is not a config)
 * and the Windows process is not made yet, makes it now, so that front ends
 * show the process (its image, stack, heap, system space) before its first
 * statement. Nothing for a bare machine, another backend or a machine
 * already made. False only when it cannot be made; the next scn_step then
 * reports why, as it would have without this call. */
bool scn_runner_prepare(scn_runner_t *r);

/* Checks the memory manager's invariants (mm_check) of the machine as it is
 * now; true on a bare machine or before the machine is made. */
bool scn_runner_check(const scn_runner_t *r, char *msg, size_t n);

/* Evaluates an expression typed by a user (one line: numbers, constants,
 * the names the statements run so far have bound, + - * | and
 * parentheses), as a statement's argument would be, into *value. PS_EINVAL
 * with *err (columns counted in text) when it is not one; PS_ENOMEM. */
ps_result_t scn_runner_eval(const scn_runner_t *r, const char *text, size_t len, uint32_t *value, scn_error_t *err);

/* How many expect statements failed so far. */
uint32_t scn_runner_failed_expects(const scn_runner_t *r);
/* Index of the next statement to run. */
size_t scn_runner_position(const scn_runner_t *r);
/* The machine: the MMU (bare machine or Windows), or NULL before the first
 * statement made it; the memory manager, or NULL on a bare machine. */
mmu_t *scn_runner_mmu(scn_runner_t *r);
mm_t *scn_runner_mm(scn_runner_t *r);

#endif
