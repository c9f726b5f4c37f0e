/* Runner internals shared by the statement handlers. */
#ifndef PAGESIM_SCN_RUN_INT_H
#define PAGESIM_SCN_RUN_INT_H

#include "pagesim/strbuf.h"
#include "rmap.h"
#include "scn_int.h"

/* A name the scenario gave (or @N / #N) to an allocation or a handle. */
typedef struct scn_name {
    const char *bound;  /* the script's name, or NULL: gen                  */
    char gen[16];       /* "@12", "#3"                                       */
    bool handle;
    bool live;
    uint32_t process;   /* index of the process it belongs to               */
    uint32_t base, size;/* allocations                                       */
    uint32_t value;     /* handles: the backend's handle                     */
} scn_name_t;

struct scn_runner {
    const ps_alloc_t *alloc;
    const scn_script_t *s;
    size_t pc;
    /* the machine */
    mmu_t *mmu;              /* bare machine (owned) or the mm's             */
    mm_t *mm;                /* Windows machine (owned), NULL when bare      */
    mm_config_t cfg;
    bool cr3_loaded;
    ps_backend_t be;         /* the backend; its context is the mm for the
                                simulator                                   */
    uint32_t process;        /* current process index (win32: always 0)      */
    /* values */
    uint64_t *values;        /* per name slot                                 */
    uint64_t *stack;         /* expression evaluation                         */
    scn_name_t *names;
    uint32_t nnames, capnames;
    /* Which name an address shows as: the live allocations' names, and the
     * released ones' (an address keeps the name of the last allocation that
     * held it until a live one holds it), keyed by process << 32 | address;
     * the open handles' names, keyed by handle value. */
    rmap_t live, dead, handles;
    uint32_t next_alloc, next_handle; /* @N and #N                          */
    /* per step */
    strbuf_t why;
    strbuf_t text;
    strbuf_t watch;          /* the last GetWriteWatch's addresses           */
    uint8_t *bytes;
    uint32_t capbytes;
    scn_result_t last;       /* the last statement expect may check          */
    uint32_t failed_expects;
};

uint64_t run_eval(const scn_runner_t *r, const scn_expr_t *e);
uint32_t eval32(const scn_runner_t *r, const scn_expr_t *e);

/* Names. */
void names_init(scn_runner_t *r);
void names_fini(scn_runner_t *r);
bool names_copy(scn_runner_t *dst, const scn_runner_t *src);
/* Names a new allocation [base, base + size) or a new handle; the name's
 * text (valid while the runner is not stepped), or NULL when out of memory. */
const char *names_add(scn_runner_t *r, int32_t slot, bool handle, uint32_t base, uint32_t size, uint32_t value);
/* The allocation holding addr in the current process was released: its
 * name stays for its addresses, until a live allocation covers them. */
void names_kill(scn_runner_t *r, uint32_t addr);
/* The handle value was closed. */
void names_close_handle(scn_runner_t *r, uint32_t value);
/* NAME, NAME+0xOFF or 0x%08X for addr in the current process. */
void names_addr(const scn_runner_t *r, uint32_t addr, char *buf, size_t n);
/* The same in the process of that index (mm_process_id). */
void names_addr_in(const scn_runner_t *r, uint32_t process, uint32_t addr, char *buf, size_t n);
/* The name of a handle value, or NULL. */
const char *names_handle(const scn_runner_t *r, uint32_t value);
/* The namer the memory manager uses in explanations. */
const char *names_for_tag(void *ud, uint32_t tag);

/* The statements' handlers, named in the statement table (scn_verbs.c):
 * each fills res, or fills err (the statement cannot run) and returns false.
 * The machine's (scn_run.c): */
#define SCN_HANDLER(name) bool name(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
SCN_HANDLER(run_machine);
SCN_HANDLER(run_config);
SCN_HANDLER(run_process);
SCN_HANDLER(run_register);
SCN_HANDLER(run_poke_peek);
SCN_HANDLER(run_tlb);
SCN_HANDLER(run_translate);
SCN_HANDLER(run_stats);
/* expect (scn_expect.c): */
SCN_HANDLER(run_expect);
/* A Windows process's (scn_run_win.c): */
SCN_HANDLER(run_virtual_alloc);
SCN_HANDLER(run_virtual_free);
SCN_HANDLER(run_virtual_protect);
SCN_HANDLER(run_virtual_query);
SCN_HANDLER(run_create_mapping);
SCN_HANDLER(run_map_view);
SCN_HANDLER(run_unmap_view);
SCN_HANDLER(run_close_handle);
SCN_HANDLER(run_system_info);
SCN_HANDLER(run_memstatus);
SCN_HANDLER(run_read);
SCN_HANDLER(run_write);
SCN_HANDLER(run_touch);
SCN_HANDLER(run_process_translate);
SCN_HANDLER(run_address);
SCN_HANDLER(run_pte);
SCN_HANDLER(run_vad);
SCN_HANDLER(run_pfn);
/* Thread stacks (scn_run_stack.c): */
SCN_HANDLER(run_thread);
SCN_HANDLER(run_push_pop);
SCN_HANDLER(run_alloca);

/* Write watch, the working set, AWE (scn_run_mem.c): */
SCN_HANDLER(run_get_write_watch);
SCN_HANDLER(run_reset_write_watch);
SCN_HANDLER(run_process_memory_info);
/* The working-set calls (scn_run_ws.c): */
SCN_HANDLER(run_working_set);
SCN_HANDLER(run_query_working_set);
SCN_HANDLER(run_open_process);
SCN_HANDLER(run_virtual_query_ex);
SCN_HANDLER(run_virtual_lock);
/* AWE (scn_run_awe.c): */
SCN_HANDLER(run_awe_alloc);
SCN_HANDLER(run_awe_map);
SCN_HANDLER(run_awe_free);

/* Shared by the handlers of a Windows process (scn_run_win.c): a call's
 * outcome into res (ok, error, conflict). */
void set_call(scn_result_t *res, ps_call_t c);
/* A statement's argument i as a 32-bit value. */
static inline uint32_t arg32(const scn_runner_t *r, const scn_stmt_t *st, unsigned i)
{
    return (uint32_t)run_eval(r, &st->arg[i].expr);
}
/* err says "out of memory" at st; returns false. */
bool out_of_memory(const scn_stmt_t *st, scn_error_t *err);
/* A new handle h named as the statement binds it (or #N) in res; false with
 * err when the name cannot be stored. */
bool name_handle(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, uint32_t h, scn_error_t *err);
/* String argument i into buf (cut to size - 1 bytes), or NULL when the
 * argument is not a string (NULL). */
const char *arg_str(const scn_runner_t *r, const scn_stmt_t *st, unsigned i, char *buf, size_t size);
/* A call that returns a handle, NULL when it fails: c and h into res, h
 * bound to the statement's name and named; false with err when the name
 * cannot be stored. */
bool handle_result(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, ps_call_t c, uint32_t h, scn_error_t *err);
/* VirtualQuery's and VirtualQueryEx's outcome c (the MBI in res->mbi) into
 * res: the return value and the MBI's addresses by their names in the
 * process of index process. */
void query_result(scn_runner_t *r, scn_result_t *res, ps_call_t c, uint32_t process);
/* Room for n bytes of results in r->bytes; false when none can be had. */
bool grow_bytes(scn_runner_t *r, uint32_t n);
/* Files (scn_run_file.c): */
SCN_HANDLER(run_create_file);
SCN_HANDLER(run_read_file);
SCN_HANDLER(run_write_file);
SCN_HANDLER(run_set_file_pointer);
SCN_HANDLER(run_set_end_of_file);
SCN_HANDLER(run_get_file_size);
SCN_HANDLER(run_flush_view);
/* Heaps (scn_run_heap.c): */
SCN_HANDLER(run_heap_call);
SCN_HANDLER(run_heap_view);

#endif
