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

/* Statement-table rows beyond what scn_verb_t shows. */
typedef struct scn_syntax {
    form_t form;
    const scn_param_t *params;
    unsigned nparams;
    bool binds;            /* may be written NAME = ...                      */
    /* FORM_KEYVAL: accepted keys, NULL-terminated; "key" takes an
     * expression, "key=w1|w2" one of the words. */
    const char *const *keys;
    const char *lead;      /* FORM_KEYVAL: a required word first ("bare")    */
} scn_syntax_t;

const scn_syntax_t *scn_syntax(scn_verb_id_t id);
/* Finds a verb by its written name (n bytes). */
const scn_verb_t *scn_verb_find(const char *name, size_t n);

/* The fields expect can check. */
typedef enum {
    LHS_RET, LHS_ERROR, LHS_OLD, LHS_EXCEPTION, LHS_BYTES,
    LHS_MBI_BASE, LHS_MBI_ALLOCBASE, LHS_MBI_ALLOCPROTECT, LHS_MBI_SIZE,
    LHS_MBI_STATE, LHS_MBI_PROTECT, LHS_MBI_TYPE,
    LHS_PHYS, LHS_FAULT, LHS_TLB, LHS_PDE, LHS_PTE, LHS_VALUE,
    LHS_FIELD, LHS_RESOLVED,
} lhs_t;

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

typedef struct scn_stmt {
    scn_verb_id_t verb;
    uint32_t line, col;
    uint32_t src_off, src_len;  /* the line's text in the script's copy     */
    int32_t bind;               /* name slot bound, or -1                    */
    unsigned nargs;
    scn_arg_t arg[SCN_MAX_ARGS];
    /* expect */
    lhs_t lhs;
    int field;                  /* LHS_FIELD: index in scn_fields            */
    rhs_kind_t rhs;
    uint32_t checked;           /* index of the statement expect checks     */
} scn_stmt_t;

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
    bool bare;
};

/* Numbers a statement reports that expect can check by name, after a
 * prefix: stats.FIELD (stats), si.FIELD (GetSystemInfo), ms.FIELD
 * (memstatus). One table serves the parser, the runner and the JSON. */
typedef struct scn_field {
    const char *prefix;      /* "stats", "si", "ms"                           */
    const char *name;        /* "tlb_hits", "dwPageSize", ...                 */
    unsigned has;            /* the SCN_HAS_* bit the value needs            */
    uint64_t (*get)(const scn_result_t *res);
} scn_field_t;

/* The bytes of a string in the script's pool (never NULL, even when the
 * script has no string at all). */
static inline const uint8_t *scn_str(const scn_script_t *s, uint32_t off)
{
    return s->strs ? s->strs + off : (const uint8_t *)"";
}

extern const scn_field_t scn_fields[];
extern const unsigned scn_nfields;

#endif
