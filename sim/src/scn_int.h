/* Scenario internals shared by the parser, the statement table and the
 * runner: the parsed form of a statement. */
#ifndef PAGESIM_SCN_INT_H
#define PAGESIM_SCN_INT_H

#include "pagesim/scn.h"
#include <stdbool.h>
#include <stdint.h>

/* Expressions are stored in postfix order in one array per script, so that
 * evaluation needs no recursion however long the expression is. */
typedef enum { OP_NUM, OP_NAME, OP_ADD, OP_SUB, OP_MUL, OP_OR } op_kind_t;

typedef struct expr_op {
    op_kind_t kind;
    uint32_t slot;   /* OP_NAME */
    uint64_t num;    /* OP_NUM  */
} expr_op_t;

typedef struct scn_expr {
    uint32_t first, count; /* ops [first, first + count)                     */
    uint32_t depth;        /* evaluation stack needed                        */
    uint32_t col;
} scn_expr_t;

/* Parameter kinds of the statement table. */
typedef enum {
    PK_EXPR,     /* a numeric expression                                      */
    PK_BYTES,    /* a byte expression or a string (write VALUE)               */
    PK_NAME_STR, /* a string, or NULL (CreateFileMapping's name)             */
    PK_KEYWORD,  /* one of the words in keywords ("read|write|exec")         */
    PK_IDENT,    /* a bare name (process NAME)                                */
    PK_DASHWORD, /* -word (!address -summary)                                 */
} param_kind_t;

typedef struct scn_param {
    param_kind_t kind;
    const char *name;      /* for usage and errors                           */
    const char *keywords;  /* PK_KEYWORD                                     */
    bool optional;
} scn_param_t;

typedef enum {
    FORM_CALL,     /* Name(arg, arg, ...)                                    */
    FORM_COMMAND,  /* name arg arg ...                                       */
    FORM_ASSIGN,   /* name = expr        (cr3 =, cr0.wp =)                   */
    FORM_KEYVAL,   /* name [word] key=value ...  (config, machine bare)      */
    FORM_EXPECT,   /* expect LHS == RHS                                      */
} form_t;

/* A setting of config or machine bare: key=EXPR, or key=WORD for one of
 * the words ("fifo|clock|lru"). */
typedef struct scn_key {
    const char *name;
    const char *words;     /* NULL: an expression                           */
    const char *doc;       /* what it sets, for the language reference      */
} scn_key_t;

/* How a statement is written. */
typedef struct scn_syntax {
    form_t form;
    const scn_param_t *params;
    unsigned nparams;
    bool binds;            /* may be written NAME = ...                      */
    /* FORM_KEYVAL: accepted keys, ending with a NULL name. */
    const struct scn_key *keys;
    const char *lead;      /* FORM_KEYVAL: a required word first ("bare")    */
} scn_syntax_t;

/* What a statement's result holds that expect may check after it (a row's
 * results; each field of scn_fields belongs to one of these). */
enum {
    SCN_R_RET = 1u << 0, SCN_R_ERROR = 1u << 1, SCN_R_OLD = 1u << 2, SCN_R_EXCEPTION = 1u << 3,
    SCN_R_BYTES = 1u << 4, SCN_R_MBI = 1u << 5, SCN_R_WALK = 1u << 6, SCN_R_VALUE = 1u << 7,
    SCN_R_RESOLVED = 1u << 8, SCN_R_STATS = 1u << 9, SCN_R_MMSTATS = 1u << 10, SCN_R_SYSINFO = 1u << 11,
    SCN_R_MEMSTATUS = 1u << 12, SCN_R_STACK = 1u << 13, SCN_R_WATCH = 1u << 14, SCN_R_PMC = 1u << 15,
    SCN_R_COUNT = 1u << 16, SCN_R_WSSIZE = 1u << 17, SCN_R_WSLIST = 1u << 18,
};

typedef struct scn_stmt scn_stmt_t;
/* A statement's handler: fills res, or fills err (the statement cannot run)
 * and returns false. */
typedef bool (*scn_run_fn)(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err);

/* A statement's own rules for its values (scn_check.c), beyond its
 * syntax: fills err and returns false when they are broken. */
struct scn_check_ctx;
/* Appends the prose of one statement's result (after its source line). */
typedef void (*scn_text_fn)(strbuf_t *b, const scn_result_t *res);
void scn_text_machine(strbuf_t *b, const scn_result_t *res);
void scn_text_cr3(strbuf_t *b, const scn_result_t *res);
void scn_text_cr0_wp(strbuf_t *b, const scn_result_t *res);
void scn_text_cr4_pse(strbuf_t *b, const scn_result_t *res);
void scn_text_cr4_pge(strbuf_t *b, const scn_result_t *res);
void scn_text_poke32(strbuf_t *b, const scn_result_t *res);
void scn_text_peek32(strbuf_t *b, const scn_result_t *res);
void scn_text_tlb(strbuf_t *b, const scn_result_t *res);
void scn_text_translate(strbuf_t *b, const scn_result_t *res);
void scn_text_stats(strbuf_t *b, const scn_result_t *res);
void scn_text_expect(strbuf_t *b, const scn_result_t *res);

typedef bool (*scn_check_fn)(struct scn_check_ctx *c, const scn_stmt_t *st, scn_error_t *err);

/* One row of the statement table: everything about a statement, in one
 * place (scn_verbs.c). The parser reads its syntax and its checks, the
 * runner its handler, expect its results, --help and the language
 * reference its usage. */
typedef struct scn_row {
    scn_verb_t verb;         /* id, name, usage, summary, where it runs       */
    scn_syntax_t syntax;
    unsigned results;        /* SCN_R_*                                       */
    scn_run_fn run;
    scn_check_fn check;      /* NULL: nothing beyond the syntax               */
    scn_text_fn text;        /* its prose; NULL: told from what the result has */
} scn_row_t;

const scn_row_t *scn_row(scn_verb_id_t id);
/* Finds a row by its written name (n bytes); NULL when none. */
const scn_row_t *scn_row_find(const char *name, size_t n);
/* "A, B and C": the names of the rows pick accepts. */
void scn_rows_list(char *buf, size_t n, bool (*pick)(const scn_row_t *row));

typedef enum { RHS_EXPR, RHS_STRING, RHS_NONE } rhs_kind_t;

typedef struct scn_arg {
    bool present;
    bool is_string;
    scn_expr_t expr;
    uint32_t str_off, str_len;  /* into the script's string pool           */
    int keyword;                /* PK_KEYWORD: index in the word list        */
    int key;                    /* FORM_KEYVAL: index in the key list        */
    /* FORM_KEYVAL with words: keyword holds the word's index. */
    uint32_t col;
} scn_arg_t;

#define SCN_MAX_ARGS 8
/* The longest name a statement may bind (results print NAME+0xOFFSET). */
#define SCN_NAME_MAX 128

struct scn_stmt {
    scn_verb_id_t verb;
    uint32_t line, col;
    uint32_t src_off, src_len;  /* the line's text in the script's copy     */
    int32_t bind;               /* name slot bound, or -1                    */
    unsigned nargs;
    scn_arg_t arg[SCN_MAX_ARGS];
    /* expect */
    uint32_t field;             /* what it checks: index in scn_fields       */
    rhs_kind_t rhs;
    uint32_t checked;           /* index of the statement expect checks     */
};

/* An element NAME[N] of an array a statement binds (AllocateUserPhysical-
 * Pages): the array's slot, N, and the element's own slot, which the
 * statement fills when it runs. */
typedef struct scn_elem {
    uint32_t array, index, slot;
} scn_elem_t;

struct scn_script {
    const ps_alloc_t *alloc;
    char *src;                  /* a copy of the text                        */
    size_t src_len;
    scn_stmt_t *stmt;
    uint32_t nstmt, capstmt;
    expr_op_t *ops;
    uint32_t nops, capops;
    uint8_t *strs;              /* string pool                               */
    uint32_t nstrs, capstrs;
    char **names;               /* slot -> name                              */
    uint32_t nnames, capnames;
    uint32_t max_depth;         /* deepest expression stack                  */
    struct scn_elem *elems;     /* array elements used (NAME[N]), in order    */
    uint32_t nelems, capelems;
    bool bare;
};

/* A value expect compares: a number, "none", or a text or bytes. */
typedef struct scn_value {
    bool none;
    uint64_t num;
    const char *str;          /* compared as text (tlb, resolved)            */
    const uint8_t *bytes;     /* compared as bytes (read)                    */
    uint32_t nbytes;
} scn_value_t;

typedef enum {
    FIELD_HEX,    /* a 32-bit value, shown in hex                           */
    FIELD_COUNT,  /* a 64-bit counter, shown in decimal                     */
    FIELD_TEXT,   /* a word ("hit", "demand_zero")                           */
    FIELD_BYTES,  /* bytes read                                             */
} field_kind_t;

/* What expect can check, by the name it is written with: one table
 * (scn_expect.c) for the parser, the runner, the JSON and the docs. */
typedef struct scn_field {
    const char *name;         /* "ret", "mbi.State", "stats.tlb_hits", ...  */
    unsigned result;          /* SCN_R_*: which results have it             */
    field_kind_t kind;
    bool none_ok;             /* may be "none" (nothing faulted, ...)        */
    bool process_only;        /* only in a Windows process                  */
    void (*get)(const scn_result_t *res, scn_value_t *v);
    const char *doc;          /* what it is, for the language reference      */
} scn_field_t;

/* The bytes of a string in the script's pool (never NULL, even when the
 * script has no string at all). */
static inline const uint8_t *scn_str(const scn_script_t *s, uint32_t off)
{
    return s->strs ? s->strs + off : (const uint8_t *)"";
}

extern const scn_field_t scn_fields[];
extern const unsigned scn_nfields;
/* The counter named name after "stats." of a stats result (for JSON). */
uint64_t scn_field_count(const scn_field_t *f, const scn_result_t *res);

#endif
