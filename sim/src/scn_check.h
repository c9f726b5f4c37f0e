/* The rules a statement's values must follow before it can run, shared by
 * the parser (constant arguments) and the runner (the rest); see
 * scn_check.c. */
#ifndef PAGESIM_SCN_CHECK_H
#define PAGESIM_SCN_CHECK_H

#include "scn_int.h"

/* The most a read or write statement moves. */
#define SCN_MAX_TRANSFER (16u << 20)

/* The keys of config, in the statement table's order. */
enum {
    SCN_CONFIG_RAM = 0, SCN_CONFIG_PAGEFILE, SCN_CONFIG_TLB, SCN_CONFIG_POLICY, SCN_CONFIG_LAYOUT, SCN_CONFIG_SPLIT,
    SCN_CONFIG_WSMAX, SCN_CONFIG_COMPARE, SCN_CONFIG_STACKRESERVE, SCN_CONFIG_STACKCOMMIT,
    SCN_CONFIG_LOCKPAGES,
};

typedef struct scn_check_ctx {
    const scn_script_t *s;
    const uint64_t *values;   /* per name slot; NULL at parse time (unknown)  */
    uint64_t *stack;          /* room for the deepest expression              */
    uint64_t ram;             /* the bare machine's memory; 0: not known      */
    bool cr3_loaded;          /* a cr3 statement ran (or was parsed) before  */
    bool no_threads;          /* config layout=empty: no process has a stack */
} scn_check_ctx_t;

/* The statements' own checks (the statement table names each row's). */
bool scn_check_machine(scn_check_ctx_t *c, const scn_stmt_t *st, scn_error_t *err);
bool scn_check_config(scn_check_ctx_t *c, const scn_stmt_t *st, scn_error_t *err);
bool scn_check_register(scn_check_ctx_t *c, const scn_stmt_t *st, scn_error_t *err);
bool scn_check_phys(scn_check_ctx_t *c, const scn_stmt_t *st, scn_error_t *err);
bool scn_check_translate(scn_check_ctx_t *c, const scn_stmt_t *st, scn_error_t *err);
bool scn_check_mapping(scn_check_ctx_t *c, const scn_stmt_t *st, scn_error_t *err);
bool scn_check_transfer(scn_check_ctx_t *c, const scn_stmt_t *st, scn_error_t *err);
bool scn_check_stack(scn_check_ctx_t *c, const scn_stmt_t *st, scn_error_t *err);
bool scn_check_create_file(scn_check_ctx_t *c, const scn_stmt_t *st, scn_error_t *err);
/* OpenProcess: the process is named by a string of 1 to 63 characters. */
bool scn_check_open_process(scn_check_ctx_t *c, const scn_stmt_t *st, scn_error_t *err);
bool scn_check_file_io(scn_check_ctx_t *c, const scn_stmt_t *st, scn_error_t *err);

/* Evaluates e in 64-bit wrapping arithmetic (callers that need 32 bits take
 * the low half, which equals 32-bit wrapping arithmetic for + - * and |).
 * False when e uses a name and values is NULL. */
bool scn_eval(const scn_script_t *s, const scn_expr_t *e, const uint64_t *values, uint64_t *stack, uint64_t *out);

/* Checks st's values that are known; false with *err for the first rule
 * broken. Notes what the statement tells later ones (a bare machine's
 * memory, a loaded CR3) in *c. */
bool scn_check(scn_check_ctx_t *c, const scn_stmt_t *st, scn_error_t *err);

#endif
