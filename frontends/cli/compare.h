/* pagesim compare: one scenario run by the simulator and by real Windows,
 * compared statement by statement by the rule of docs/scenario-language.md
 * ("Comparing the two backends"), with the known differences of
 * tests/win32/known-differences.txt. The parts: reading the JSON Lines a
 * run prints (compare_json.c), the rules (compare_known.c), comparing two
 * runs and showing what differs (compare_diff.c), making the runs
 * (compare_run.c), and the command (cmd_compare.c). */
#ifndef PAGESIM_CLI_COMPARE_H
#define PAGESIM_CLI_COMPARE_H

#include "pagesim/scn.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Results. ----------------------------------------------------------------- */

/* One field of a result, nested objects flattened ("mbi.State"). text is a
 * string's characters (unescaped) or a literal as written (87, true, null). */
typedef struct cmp_field {
    char *key;
    char *text;
    bool string;
} cmp_field_t;

/* One JSON line of `pagesim run --json`: "line", "op" and the rest. */
typedef struct cmp_result {
    uint32_t line;
    const char *op;          /* the text of the "op" field                   */
    cmp_field_t *f;
    size_t n, cap;
} cmp_result_t;

/* A run: its results in the order printed. */
typedef struct cmp_run {
    cmp_result_t *r;
    size_t n, cap;
} cmp_run_t;

/* Parses one JSON object of len bytes (a line without its newline) into
 * *out (cleared first). False with a reason in err when it is not one, or
 * has no "line" or "op": the objects pagesim prints hold strings, numbers,
 * true, false, null and objects (no arrays). */
bool cmp_json_parse(const char *text, size_t len, cmp_result_t *out, char *err, size_t errn);
/* Adds the JSON Lines of text (len bytes) to run. False with err (naming
 * the line) at the first line that does not parse. */
bool cmp_run_add_lines(cmp_run_t *run, const char *text, size_t len, char *err, size_t errn);
/* The field key of r, or NULL. */
const cmp_field_t *cmp_result_get(const cmp_result_t *r, const char *key);
/* The field as the rules and the report show it: a string's characters,
 * a literal, or "<absent>" when r has no such field (or r is NULL). */
const char *cmp_result_text(const cmp_result_t *r, const char *key);
/* The result for source line line, or NULL. */
const cmp_result_t *cmp_run_find(const cmp_run_t *run, uint32_t line);
void cmp_run_free(cmp_run_t *run);
/* Frees run's results but not its array (for a part of a run). */
void cmp_run_free_results(cmp_run_t *run);

/* Known differences. ---------------------------------------------------- */

typedef struct cmp_rules cmp_rules_t;

/* One difference, with what a rule may look at. */
typedef struct cmp_diff {
    const char *scenario;        /* the path as given on the command line   */
    const char *op;              /* the statement's name                    */
    const char *field;           /* the flattened field that differs        */
    const cmp_result_t *sim, *w32;
    const char *source;          /* the statement as written, len bytes     */
    size_t source_len;
    /* expect only: what it checks. checked_op is NULL for another
     * statement; checked_known says that field of the checked statement
     * differed and that difference is known. */
    const char *checked_op, *checked_field;
    bool checked_known;
    const char *platform;        /* what Windows ran on: "windows", "wine"  */
} cmp_diff_t;

/* Reads the rules of path (the format is documented at the top of
 * tests/win32/known-differences.txt). NULL with err (PATH:LINE: why) when
 * the file cannot be read or a line is not a rule. */
cmp_rules_t *cmp_rules_load(const char *path, char *err, size_t errn);
void cmp_rules_free(cmp_rules_t *rules);
/* Marks the rules whose scenario glob matches scenario, a scenario being
 * compared on platform ("windows", "wine"), and that apply there: from now
 * on they must match a difference to be not stale. */
void cmp_rules_enter(cmp_rules_t *rules, const char *scenario, const char *platform);
/* The reason of the first rule that matches d, counted as used, and in
 * *where its place ("PATH:LINE"); NULL when none matches. rules may be
 * NULL (no rules). */
const char *cmp_rules_match(cmp_rules_t *rules, const cmp_diff_t *d, char *where, size_t n);
/* Says "stale rule at PATH:LINE: ..." on f for every rule that covered a
 * compared scenario but matched no difference; returns how many. */
size_t cmp_rules_report_stale(const cmp_rules_t *rules, FILE *f);

/* Glob matching: * any run of characters, ? one character, \ quotes the
 * next. cmp_glob_path matches pattern against the last components of path
 * (as many as pattern has; / and \ both separate), * not crossing a /. */
bool cmp_glob(const char *pattern, const char *s);
bool cmp_glob_path(const char *pattern, const char *path);

/* Argument n (1-based) of a statement as written ("VirtualAlloc(a, 0x1000,
 * MEM_COMMIT, PAGE_READWRITE)" has four, "read a 4" two), trimmed, into
 * buf; false when it has fewer. */
bool cmp_statement_arg(const char *src, size_t len, unsigned n, char *buf, size_t bufn);

/* Comparing. --------------------------------------------------------------- */

/* What one scenario's comparison found (and, added up, a whole run's). */
typedef struct cmp_tally {
    uint64_t compared;       /* statements compared                         */
    uint64_t diffs, known;   /* differing fields, of which known            */
    uint64_t conflicts;      /* statements in an environment conflict       */
    uint64_t invariants;     /* broken simulator invariants                 */
    uint64_t errors;         /* runs that could not be made or read         */
} cmp_tally_t;

typedef struct cmp_opts {
    const char *win32_cmd;   /* run the Win32 side as CMD run --json ...    */
    const char *platform;    /* what it runs on: "windows", "wine", ...     */
    cmp_rules_t *rules;      /* NULL: none                                  */
    bool quiet;              /* only unexplained differences                */
    FILE *out;
} cmp_opts_t;

/* Compares the runs sim and w32 of scenario (script: its statements) and
 * prints the statements that differ on o->out, adding to *t. */
void cmp_compare_runs(const cmp_opts_t *o, const char *scenario, const scn_script_t *script, const cmp_run_t *sim,
                      const cmp_run_t *w32, cmp_tally_t *t);

/* Running. ------------------------------------------------------------------ */

/* Runs script through the simulator, checking its invariants after every
 * statement, into *run. False when it stopped with an error or a broken
 * invariant (said on stderr, counted in *t); the statements that ran are
 * in *run. */
bool cmp_run_sim(const char *scenario, const scn_script_t *script, cmp_run_t *run, cmp_tally_t *t);
/* Runs script through the Win32 backend in this process (Windows builds
 * only; elsewhere false with a message), then releases what it left. */
bool cmp_run_win32_here(const char *scenario, const scn_script_t *script, cmp_run_t *run);

/* What the Win32 backend runs on, as "windows VERSION" or "wine VERSION",
 * into buf: this process's (a Windows build; elsewhere false), or with cmd
 * that of `CMD platform`. False when it cannot be told. */
bool cmp_platform(const char *cmd, char *buf, size_t n);

/* A child running `CMD run --json --backend=win32 FILE`; started ahead of
 * time so that several run at once. */
typedef struct cmp_child cmp_child_t;
cmp_child_t *cmp_child_start(const char *cmd, const char *path);
/* Reads the child's JSON Lines into *run and waits for it. False (said on
 * stderr) when it could not run or printed something else. */
bool cmp_child_finish(cmp_child_t *c, const char *scenario, cmp_run_t *run);

#endif
