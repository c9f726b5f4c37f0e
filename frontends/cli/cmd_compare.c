/* pagesim compare [--known FILE] [--win32 "CMD"] [-j N] [-q] SCENARIO...:
 * each scenario run by the simulator and by real Windows, compared
 * statement by statement; what differs is shown side by side, known
 * differences with their reason. Windows runs in this process in a
 * Windows build, or as `CMD run --json --backend=win32 FILE` (a Windows
 * build under an emulator: --win32 "wine build-w32/bin/pagesim.exe"), up
 * to N at a time. Exit status: 0 when every difference is known, 1 for an
 * unexplained difference, a stale rule or a broken invariant of the
 * simulator, 2 for bad input (a scenario or a rule file that cannot be
 * read, a run that cannot be made). */
#include "cli.h"
#include "compare.h"
#include "fe_file.h"
#include "fe_output.h"
#include <stdlib.h>
#include <string.h>

typedef struct job {
    const char *path;
    char *text;
    scn_script_t *script;    /* NULL: it could not be read or parsed         */
    cmp_child_t *child;
} job_t;

typedef struct args {
    const char *known, *win32;
    unsigned jobs;
    bool quiet;
    char **files;
    int nfiles;
} args_t;

typedef struct totals {
    cmp_tally_t t;
    unsigned scenarios, compared, sim_only, failing_shown;
    uint64_t stale;
    strbuf_t failing;        /* the scenarios with unexplained differences   */
} totals_t;

static const char usage_text[] =
    "usage: pagesim compare [--known FILE] [--win32 \"CMD\"] [-j N] [-q] SCENARIO...";

static int usage_error(const char *what, const char *arg)
{
    fe_errorf("pagesim compare: %s%s%s%s", what, arg ? " '" : "", arg ? arg : "", arg ? "'" : "");
    fprintf(stderr, "%s\n", usage_text);
    return EXIT_UNUSABLE;
}

/* The value of option argv[*i] (--opt VALUE, --opt=VALUE, -jN), or NULL. */
static const char *option(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n)) return NULL;
    if (argv[*i][n] == '=') return argv[*i] + n + 1;
    if (name[1] != '-' && argv[*i][n]) return argv[*i] + n;
    if (argv[*i][n] || *i + 1 >= argc) return NULL;
    return argv[++*i];
}

/* One option at argv[*i] (its value may be the next argument); 2 when it
 * is not one. */
static int parse_option(int argc, char **argv, int *i, args_t *a)
{
    const char *v;
    if (!strcmp(argv[*i], "-q") || !strcmp(argv[*i], "--quiet")) a->quiet = true;
    else if ((v = option(argc, argv, i, "--known"))) a->known = v;
    else if ((v = option(argc, argv, i, "--win32"))) a->win32 = v;
    else if ((v = option(argc, argv, i, "-j"))) {
        char *end;
        unsigned long j = strtoul(v, &end, 10);
        if (*end || !j || j > 64) return usage_error("-j wants a number from 1 to 64, not", v);
        a->jobs = (unsigned)j;
    } else return usage_error("unknown option (or one without its value)", argv[*i]);
    return EXIT_RAN;
}

/* Options anywhere before "--"; the other arguments are scenarios (moved
 * to the front of argv, in order). */
static int parse_args(int argc, char **argv, args_t *a)
{
    memset(a, 0, sizeof *a);
    a->jobs = 1;
    a->files = argv + 1;
    bool options = true;
    for (int i = 1; i < argc; i++) {
        if (options && !strcmp(argv[i], "--")) options = false;
        else if (options && argv[i][0] == '-' && argv[i][1]) {
            if (parse_option(argc, argv, &i, a) != EXIT_RAN) return EXIT_UNUSABLE;
        } else a->files[a->nfiles++] = argv[i];
    }
    if (!a->nfiles) return usage_error("no scenario given", NULL);
#ifndef PAGESIM_WIN32_BACKEND
    if (!a->win32)
        return usage_error("this build has no Win32 backend: give --win32 \"CMD\" with a Windows build of pagesim "
                           "(e.g. --win32 \"wine build-w32/bin/pagesim.exe\")", NULL);
#endif
    return EXIT_RAN;
}

/* Reads and parses the scenario of j; false (said) when it cannot. */
static bool load_job(job_t *j)
{
    size_t len;
    const char *why;
    if (!(j->text = fe_read_file(j->path, &len, &why))) {
        char msg[300];
        snprintf(msg, sizeof msg, "cannot read the scenario: %s", why);
        fe_error_line(j->path, 1, 1, msg);
        return false;
    }
    scn_error_t err = { 0 };
    if (scn_parse(NULL, j->text, len, &j->script, &err) != PS_OK) {
        fe_error_line(j->path, err.line, err.col, err.msg[0] ? err.msg : "out of memory");
        j->script = NULL;
        return false;
    }
    return true;
}

static bool compared(const job_t *j)
{
    return j->script && scn_script_compared(j->script);
}

/* Starts the Win32 runs of the compared jobs from *next on, while fewer
 * than max are running ahead of job i. */
static void start_ahead(const args_t *a, job_t *jobs, size_t n, size_t i, size_t *next)
{
    if (!a->win32) return;
    if (*next < i) *next = i;
    size_t running = 0;
    for (size_t k = i; k < *next; k++) running += jobs[k].child != NULL;
    for (; *next < n && running < a->jobs; (*next)++)
        if (compared(&jobs[*next])) {
            jobs[*next].child = cmp_child_start(a->win32, jobs[*next].path);
            running++;
        }
}

/* The Win32 run of job j, from its child or made here. */
static bool win32_run(const args_t *a, job_t *j, cmp_run_t *run)
{
    if (!a->win32) return cmp_run_win32_here(j->path, j->script, run);
    cmp_child_t *c = j->child;
    j->child = NULL;
    if (!c) c = cmp_child_start(a->win32, j->path);
    return cmp_child_finish(c, j->path, run);
}

static void note_failing(totals_t *s, const char *path)
{
    if (s->failing_shown++ < 40) strbuf_printf(&s->failing, " %s", path);
}

/* Drops the results of run after source line last: the simulator stopped
 * there (a broken invariant, an error), which is said already. */
static void stop_at(cmp_run_t *run, uint32_t last)
{
    cmp_run_t rest = { 0 };
    size_t keep = 0;
    while (keep < run->n && run->r[keep].line <= last) keep++;
    rest.r = run->r + keep;
    rest.n = run->n - keep;
    cmp_run_free_results(&rest);
    run->n = keep;
}

/* Compares one compared scenario, adding to the totals. */
static void compare_job(const args_t *a, const cmp_opts_t *o, job_t *j, totals_t *s)
{
    cmp_run_t sim = { 0 }, w32 = { 0 };
    cmp_tally_t t = { 0 };
    bool w_ok = win32_run(a, j, &w32);
    if (!cmp_run_sim(j->path, j->script, &sim, &t)) stop_at(&w32, sim.n ? sim.r[sim.n - 1].line : 0);
    if (!w_ok) t.errors++;
    cmp_rules_enter(o->rules, j->path, o->platform);
    cmp_compare_runs(o, j->path, j->script, &sim, &w32, &t);
    if (t.diffs > t.known || t.invariants || t.errors) note_failing(s, j->path);
    s->t.compared += t.compared;
    s->t.diffs += t.diffs;
    s->t.known += t.known;
    s->t.conflicts += t.conflicts;
    s->t.invariants += t.invariants;
    s->t.errors += t.errors;
    s->compared++;
    cmp_run_free(&sim);
    cmp_run_free(&w32);
}

static void say_sim_only(const cmp_opts_t *o, const job_t *j)
{
    if (o->quiet) return;
    fprintf(o->out, "%s: simulator-only (%s), not compared\n", j->path,
            scn_script_bare(j->script) ? "a bare machine" : "config compare=no");
}

static void run_jobs(const args_t *a, const cmp_opts_t *o, job_t *jobs, size_t n, totals_t *s)
{
    size_t next = 0;
    for (size_t i = 0; i < n; i++) {
        job_t *j = &jobs[i];
        s->scenarios++;
        if (!j->script) {
            s->t.errors++;
            continue;
        }
        if (!compared(j)) {
            s->sim_only++;
            say_sim_only(o, j);
            continue;
        }
        start_ahead(a, jobs, n, i, &next);
        compare_job(a, o, j, s);
    }
}

static void summary(const cmp_opts_t *o, const totals_t *s)
{
    const cmp_tally_t *t = &s->t;
    fprintf(o->out,
            "%u scenarios (%u compared, %u simulator-only): %llu statements compared, %llu differences (%llu known, "
            "%llu unexplained), %llu environment conflicts, %llu stale rules, %llu broken invariants\n",
            s->scenarios, s->compared, s->sim_only, (unsigned long long)t->compared, (unsigned long long)t->diffs,
            (unsigned long long)t->known, (unsigned long long)(t->diffs - t->known), (unsigned long long)t->conflicts,
            (unsigned long long)s->stale, (unsigned long long)t->invariants);
    if (s->failing_shown)
        fprintf(o->out, "failing scenarios (unexplained differences, broken invariants, errors):%s%s\n", strbuf_str(&s->failing),
                s->failing_shown > 40 ? " ..." : "");
}

static int status_of(const totals_t *s)
{
    if (s->t.errors) return EXIT_UNUSABLE;
    return s->t.diffs > s->t.known || s->stale || s->t.invariants ? 1 : EXIT_RAN;
}

int cmd_compare(int argc, char **argv)
{
    args_t a;
    if (parse_args(argc, argv, &a) != EXIT_RAN) return EXIT_UNUSABLE;
    char err[600], platform[128], word[128];
    if (!cmp_platform(a.win32, platform, sizeof platform)) snprintf(platform, sizeof platform, "unknown");
    snprintf(word, sizeof word, "%.*s", (int)strcspn(platform, " "), platform);
    cmp_opts_t o = { a.win32, word, NULL, a.quiet, stdout };
    if (!a.quiet) fprintf(o.out, "the Win32 backend runs on %s\n", platform);
    if (a.known && !(o.rules = cmp_rules_load(a.known, err, sizeof err))) {
        fe_errorf("pagesim compare: %s", err);
        return EXIT_UNUSABLE;
    }
    job_t *jobs = calloc((size_t)a.nfiles, sizeof *jobs);
    if (!jobs) {
        cmp_rules_free(o.rules);
        fe_errorf("pagesim compare: out of memory");
        return EXIT_UNUSABLE;
    }
    for (int i = 0; i < a.nfiles; i++) {
        jobs[i].path = a.files[i];
        load_job(&jobs[i]);
    }
    totals_t s;
    memset(&s, 0, sizeof s);
    strbuf_init(&s.failing, NULL);
    run_jobs(&a, &o, jobs, (size_t)a.nfiles, &s);
    s.stale = cmp_rules_report_stale(o.rules, o.out);
    summary(&o, &s);
    for (int i = 0; i < a.nfiles; i++) {
        scn_script_free(jobs[i].script);
        free(jobs[i].text);
    }
    free(jobs);
    strbuf_fini(&s.failing);
    cmp_rules_free(o.rules);
    return status_of(&s);
}
