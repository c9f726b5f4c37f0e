/* The two runs of a comparison: the simulator in this process, with its
 * invariants checked after every statement; Windows in this process (a
 * Windows build), or a Windows build of pagesim run as a child process
 * (`CMD run --json --backend=win32 FILE`, e.g. under Wine). */
#include "cli.h"
#include "compare.h"
#include "fe_output.h"
#include "pagesim/backend_win32.h"
#include "pagesim/format.h"
#include "pagesim/strbuf.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <sys/wait.h>
#endif

/* Steps runner r to its end, its results as JSON Lines into *run. With
 * check, the simulator's invariants after every statement. */
static bool step_all(const char *scenario, scn_runner_t *r, bool check, cmp_run_t *run, cmp_tally_t *t)
{
    strbuf_t out;
    strbuf_init(&out, NULL);
    scn_result_t res;
    scn_error_t err = { 0 };
    scn_step_t st;
    char why[512];
    bool ok = true;
    while (ok && (st = scn_step(r, &res, &err)) == SCN_STEP_OK) {
        strbuf_clear(&out);
        scn_format_json(&out, &res);
        if (strbuf_failed(&out) || !cmp_run_add_lines(run, strbuf_str(&out), out.len, why, sizeof why)) {
            fe_errorf("pagesim compare: %s: %s", scenario, strbuf_failed(&out) ? "out of memory" : why);
            t->errors++;
            ok = false;
        } else if (check && !scn_runner_check(r, why, sizeof why)) {
            fe_errorf("%s:%u: broken invariant of the simulator: %s", scenario, res.line, why);
            t->invariants++;
            ok = false;
        }
    }
    if (ok && st == SCN_STEP_ERROR) {
        fe_error_line(scenario, err.line, err.col, err.msg[0] ? err.msg : "out of memory");
        t->errors++;
        ok = false;
    }
    strbuf_fini(&out);
    return ok;
}

bool cmp_run_sim(const char *scenario, const scn_script_t *script, cmp_run_t *run, cmp_tally_t *t)
{
    scn_runner_t *r;
    if (scn_runner_new_backend(NULL, script, ps_backend_sim(), NULL, &r) != PS_OK) {
        fe_errorf("pagesim compare: %s: out of memory", scenario);
        t->errors++;
        return false;
    }
    bool ok = step_all(scenario, r, true, run, t);
    scn_runner_free(r);
    return ok;
}

#ifdef PAGESIM_WIN32_BACKEND
#include <windows.h>

typedef const char *(__cdecl *wine_version_fn)(void);
typedef LONG(WINAPI *rtl_version_fn)(OSVERSIONINFOW *);

/* "wine VERSION" under Wine (its ntdll says so), else "windows
 * MAJOR.MINOR.BUILD" as the kernel reports it (GetVersionEx lies to
 * programs without a manifest). */
static bool platform_here(char *buf, size_t n)
{
    HMODULE nt = GetModuleHandleA("ntdll.dll");
    if (!nt) return false;
    wine_version_fn wine = (wine_version_fn)(void (*)(void))GetProcAddress(nt, "wine_get_version");
    if (wine) {
        snprintf(buf, n, "wine %s", wine());
        return true;
    }
    rtl_version_fn rtl = (rtl_version_fn)(void (*)(void))GetProcAddress(nt, "RtlGetVersion");
    OSVERSIONINFOW v = { sizeof v, 0, 0, 0, 0, { 0 } };
    if (!rtl || rtl(&v) != 0) return false;
    snprintf(buf, n, "windows %lu.%lu.%lu", (unsigned long)v.dwMajorVersion, (unsigned long)v.dwMinorVersion,
             (unsigned long)v.dwBuildNumber);
    return true;
}

/* The Win32 backend with a record of what the scenario allocated, mapped
 * and opened, so that what it leaves is released before the next scenario
 * runs in this same process. */
typedef struct tracked {
    uint32_t addr, size;
    int kind;                /* 0 allocation, 1 view, 2 handle, 3 heap       */
} tracked_t;

typedef struct tracker {
    void *inner;
    tracked_t *t;
    size_t n, cap;
} tracker_t;

static const ps_backend_ops_t *real(void) { return ps_backend_win32(); }

static void track(tracker_t *k, int kind, uint32_t addr)
{
    uint32_t size = 0;
    MEMORY_BASIC_INFORMATION m;
    if (kind == 1 && VirtualQuery((void *)(uintptr_t)addr, &m, sizeof m)) size = (uint32_t)m.RegionSize;
    if (k->n == k->cap) {
        size_t ncap = k->cap ? k->cap * 2 : 32;
        tracked_t *nt = realloc(k->t, ncap * sizeof *nt);
        if (!nt) return;
        k->t = nt;
        k->cap = ncap;
    }
    k->t[k->n++] = (tracked_t){ addr, size, kind };
}

/* Forgets the record of kind that holds addr. */
static void untrack(tracker_t *k, int kind, uint32_t addr)
{
    for (size_t i = 0; i < k->n; i++) {
        tracked_t *e = &k->t[i];
        bool hit = e->kind == kind && (kind == 1 ? addr >= e->addr && addr - e->addr < (e->size ? e->size : 1)
                                                 : addr == e->addr);
        if (hit) {
            *e = k->t[--k->n];
            return;
        }
    }
}

static ps_call_t t_alloc(void *ctx, uint32_t addr, uint32_t size, uint32_t type, uint32_t protect, uint32_t *base,
                         strbuf_t *why)
{
    tracker_t *k = ctx;
    ps_call_t c = real()->virtual_alloc(k->inner, addr, size, type, protect, base, why);
    if (!c.error && *base && ((type & MEM_RESERVE) || !addr)) track(k, 0, *base);
    return c;
}

static ps_call_t t_free(void *ctx, uint32_t addr, uint32_t size, uint32_t type, strbuf_t *why)
{
    tracker_t *k = ctx;
    ps_call_t c = real()->virtual_free(k->inner, addr, size, type, why);
    if (!c.error && (type & MEM_RELEASE)) untrack(k, 0, addr);
    return c;
}

static ps_call_t t_protect(void *ctx, uint32_t addr, uint32_t size, uint32_t protect, uint32_t *old, strbuf_t *why)
{
    return real()->virtual_protect(((tracker_t *)ctx)->inner, addr, size, protect, old, why);
}

static ps_call_t t_query(void *ctx, uint32_t addr, mm_mbi_t *mbi, strbuf_t *why)
{
    return real()->virtual_query(((tracker_t *)ctx)->inner, addr, mbi, why);
}

static ps_call_t t_create(void *ctx, uint32_t protect, uint32_t hi, uint32_t lo, const char *name, uint32_t *h,
                          strbuf_t *why)
{
    tracker_t *k = ctx;
    ps_call_t c = real()->create_mapping(k->inner, protect, hi, lo, name, h, why);
    if (!c.error && *h) track(k, 2, *h);
    return c;
}

static ps_call_t t_map(void *ctx, uint32_t h, uint32_t access, uint32_t offh, uint32_t offl, uint32_t size,
                       uint32_t base, uint32_t *addr, strbuf_t *why)
{
    tracker_t *k = ctx;
    ps_call_t c = real()->map_view(k->inner, h, access, offh, offl, size, base, addr, why);
    if (!c.error && *addr) track(k, 1, *addr);
    return c;
}

static ps_call_t t_unmap(void *ctx, uint32_t addr, strbuf_t *why)
{
    tracker_t *k = ctx;
    ps_call_t c = real()->unmap_view(k->inner, addr, why);
    if (!c.error) untrack(k, 1, addr);
    return c;
}

static ps_call_t t_close(void *ctx, uint32_t h, strbuf_t *why)
{
    tracker_t *k = ctx;
    ps_call_t c = real()->close_handle(k->inner, h, why);
    if (!c.error) untrack(k, 2, h);
    return c;
}

static void t_sysinfo(void *ctx, mm_sysinfo_t *si) { real()->system_info(((tracker_t *)ctx)->inner, si); }
static void t_memstatus(void *ctx, mm_memstatus_t *ms) { real()->memory_status(((tracker_t *)ctx)->inner, ms); }

static bool t_read8(void *ctx, uint32_t addr, uint8_t *v, ps_exception_t *exc, strbuf_t *why)
{
    return real()->read8(((tracker_t *)ctx)->inner, addr, v, exc, why);
}

static bool t_write8(void *ctx, uint32_t addr, uint8_t v, ps_exception_t *exc, strbuf_t *why)
{
    return real()->write8(((tracker_t *)ctx)->inner, addr, v, exc, why);
}

static bool t_touch(void *ctx, uint32_t addr, bool write, ps_exception_t *exc, strbuf_t *why)
{
    return real()->touch(((tracker_t *)ctx)->inner, addr, write, exc, why);
}

static ps_call_t t_get_ww(void *ctx, uint32_t flags, uint32_t addr, uint32_t size, uint32_t *addrs, uint32_t *count,
                          uint32_t *gran, strbuf_t *why)
{
    return real()->get_write_watch(((tracker_t *)ctx)->inner, flags, addr, size, addrs, count, gran, why);
}

static ps_call_t t_reset_ww(void *ctx, uint32_t addr, uint32_t size, strbuf_t *why)
{
    return real()->reset_write_watch(((tracker_t *)ctx)->inner, addr, size, why);
}

static ps_call_t t_pmc(void *ctx, uint32_t process, mm_pmc_t *pmc, strbuf_t *why)
{
    return real()->process_memory_info(((tracker_t *)ctx)->inner, process, pmc, why);
}

static ps_call_t t_lock(void *ctx, uint32_t addr, uint32_t size, bool lock, strbuf_t *why)
{
    return real()->virtual_lock(((tracker_t *)ctx)->inner, addr, size, lock, why);
}

/* Files: handles are tracked like section handles (the backend removes
 * its temporary files when it is closed). */
#define REALF (real()->files)
#define INNER (((tracker_t *)ctx)->inner)
static ps_call_t tf_create(void *ctx, const char *name, uint32_t access, uint32_t share, uint32_t disposition,
                           uint32_t attributes, uint32_t *h, strbuf_t *why)
{
    ps_call_t c = REALF->create_file(INNER, name, access, share, disposition, attributes, h, why);
    if (!c.error && *h) track(ctx, 2, *h);
    return c;
}

static ps_call_t tf_read(void *ctx, uint32_t h, uint8_t *buf, uint32_t count, uint32_t *done, strbuf_t *why)
{
    return REALF->read_file(INNER, h, buf, count, done, why);
}

static ps_call_t tf_write(void *ctx, uint32_t h, const uint8_t *buf, uint32_t count, uint32_t *done, strbuf_t *why)
{
    return REALF->write_file(INNER, h, buf, count, done, why);
}

static ps_call_t tf_seek(void *ctx, uint32_t h, int32_t distance, uint32_t method, uint32_t *pos, strbuf_t *why)
{
    return REALF->set_file_pointer(INNER, h, distance, method, pos, why);
}

static ps_call_t tf_eof(void *ctx, uint32_t h, strbuf_t *why) { return REALF->set_end_of_file(INNER, h, why); }

static ps_call_t tf_size(void *ctx, uint32_t h, uint32_t *size, strbuf_t *why)
{
    return REALF->get_file_size(INNER, h, size, why);
}

static ps_call_t tf_mapping(void *ctx, uint32_t file, uint32_t protect, uint32_t hi, uint32_t lo, const char *name,
                            uint32_t *h, strbuf_t *why)
{
    ps_call_t c = REALF->create_file_mapping(INNER, file, protect, hi, lo, name, h, why);
    if (!c.error && *h) track(ctx, 2, *h);
    return c;
}

static ps_call_t tf_flush(void *ctx, uint32_t addr, uint32_t size, strbuf_t *why)
{
    return REALF->flush_view(INNER, addr, size, why);
}

static const ps_file_ops_t tracked_files = {
    tf_create, tf_read, tf_write, tf_seek, tf_eof, tf_size, tf_mapping, tf_flush,
};

/* Heaps the scenario made are destroyed at the end (kind 3). */
static void t_heap(void *ctx, ps_heap_op_t op, const uint32_t args[4], ps_heap_out_t *out, strbuf_t *why)
{
    tracker_t *k = ctx;
    real()->heap(k->inner, op, args, out, why);
    if (op == PS_HEAP_CREATE && out->ret) track(k, 3, out->ret);
    if (op == PS_HEAP_DESTROY && out->ret) untrack(k, 3, args[0]);
    /* Delphi's large blocks are regions of their own, 4 bytes before. */
    if (op == PS_DELPHI_GETMEMORY && out->ret) track(k, 0, out->ret - 4);
    if (op == PS_DELPHI_FREEMEMORY && !out->ret && args[0]) untrack(k, 0, args[0] - 4);
}

static ps_call_t t_working_set(void *ctx, ps_ws_op_t op, uint32_t process, uint32_t *min, uint32_t *max,
                               strbuf_t *why)
{
    return real()->working_set(((tracker_t *)ctx)->inner, op, process, min, max, why);
}

/* Process handles are closed at the end (kind 2, as sections'). */
static ps_call_t t_open_process(void *ctx, uint32_t access, bool inherit, const char *name, uint32_t *handle,
                                strbuf_t *why)
{
    tracker_t *k = ctx;
    ps_call_t c = real()->open_process(k->inner, access, inherit, name, handle, why);
    if (!c.error) track(k, 2, *handle);
    return c;
}

static ps_call_t t_query_ex(void *ctx, uint32_t process, uint32_t addr, mm_mbi_t *mbi, strbuf_t *why)
{
    return real()->virtual_query_ex(((tracker_t *)ctx)->inner, process, addr, mbi, why);
}

static const ps_backend_ops_t tracked_ops = {
    PS_BACKEND_VERSION, "win32", false,
    t_alloc, t_free, t_protect, t_query, t_create, t_map, t_unmap, t_close,
    t_sysinfo, t_memstatus, t_read8, t_write8, t_touch,
    t_get_ww, t_reset_ww, t_pmc, t_lock,
    &tracked_files,
    t_heap,
    t_working_set,
    t_open_process,
    t_query_ex,
};

/* Unmaps, releases and closes what the scenario left: views first, then
 * allocations, then handles. */
static void release_all(tracker_t *k)
{
    for (int kind = 0; kind < 4; kind++)
        for (size_t i = 0; i < k->n; i++) {
            void *p = (void *)(uintptr_t)k->t[i].addr;
            if (kind == 3 && k->t[i].kind == 3) HeapDestroy((HANDLE)p);
            if (kind == 0 && k->t[i].kind == 1) UnmapViewOfFile(p);
            if (kind == 1 && k->t[i].kind == 0) VirtualFree(p, 0, MEM_RELEASE);
            if (kind == 2 && k->t[i].kind == 2) CloseHandle((HANDLE)p);
        }
    k->n = 0;
}

bool cmp_run_win32_here(const char *scenario, const scn_script_t *script, cmp_run_t *run)
{
    tracker_t k = { ps_win32_open(), NULL, 0, 0 };
    cmp_tally_t t = { 0 };
    scn_runner_t *r = NULL;
    bool ok = k.inner && scn_runner_new_backend(NULL, script, &tracked_ops, &k, &r) == PS_OK;
    if (!ok) fe_errorf("pagesim compare: %s: out of memory", scenario);
    else ok = step_all(scenario, r, false, run, &t);
    scn_runner_free(r);
    release_all(&k);
    free(k.t);
    ps_win32_close(k.inner);
    return ok;
}
#else
static bool platform_here(char *buf, size_t n)
{
    (void)buf;
    (void)n;
    return false;
}

bool cmp_run_win32_here(const char *scenario, const scn_script_t *script, cmp_run_t *run)
{
    (void)script;
    (void)run;
    fe_errorf("pagesim compare: %s: this build has no Win32 backend; give --win32 \"CMD\" (a Windows build of "
              "pagesim, e.g. --win32 \"wine build-w32/bin/pagesim.exe\")", scenario);
    return false;
}
#endif

/* Child processes. ---------------------------------------------------------- */

struct cmp_child {
    FILE *p;
    char *line;      /* the command line, for messages                        */
};

/* CMD run --json --backend=win32 "PATH", quoted for the system's shell.
 * On Windows the whole line is quoted once more: cmd /c takes off the
 * first and the last quote of a line that has more than two. */
static char *command_line(const char *cmd, const char *path)
{
    strbuf_t b;
    strbuf_init(&b, NULL);
#ifdef _WIN32
    strbuf_printf(&b, "\"%s run --json --backend=win32 \"%s\"\"", cmd, path);
#else
    strbuf_printf(&b, "%s run --json --backend=win32 ", cmd);
    strbuf_putc(&b, '\'');
    for (const char *s = path; *s; s++) {
        if (*s == '\'') strbuf_puts(&b, "'\\''");
        else strbuf_putc(&b, *s);
    }
    strbuf_putc(&b, '\'');
#endif
    char *line = strbuf_failed(&b) ? NULL : strdup(strbuf_str(&b));
    strbuf_fini(&b);
    return line;
}

cmp_child_t *cmp_child_start(const char *cmd, const char *path)
{
    cmp_child_t *c = calloc(1, sizeof *c);
    if (!c || !(c->line = command_line(cmd, path))) {
        free(c);
        return NULL;
    }
    fflush(NULL);
#ifdef _WIN32
    c->p = _popen(c->line, "rb");
#else
    c->p = popen(c->line, "r");
#endif
    return c;
}

/* Everything the child prints, in a malloc'd buffer. */
static char *read_all(FILE *f, size_t *n)
{
    size_t cap = 65536, have = 0;
    char *b = malloc(cap);
    while (b) {
        have += fread(b + have, 1, cap - have, f);
        if (have < cap) break;
        char *nb = realloc(b, cap *= 2);
        if (!nb) free(b);
        b = nb;
    }
    *n = have;
    return b;
}

/* The child's exit status, or -1 when it did not exit normally. */
static int child_status(FILE *p)
{
#ifdef _WIN32
    return _pclose(p);
#else
    int st = pclose(p);
    return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
#endif
}

bool cmp_child_finish(cmp_child_t *c, const char *scenario, cmp_run_t *run)
{
    if (!c || !c->p) {
        fe_errorf("pagesim compare: %s: cannot start the Win32 run%s%s", scenario, c ? ": " : "",
                  c ? strerror(errno) : "");
        if (c) free(c->line);
        free(c);
        return false;
    }
    size_t n;
    char *text = read_all(c->p, &n), err[300];
    int status = child_status(c->p);
    bool ok = text && (status == 0 || status == 1);
    if (!ok)
        fe_errorf("pagesim compare: %s: the Win32 run (%s) failed (exit status %d)", scenario, c->line, status);
    else if (!(ok = cmp_run_add_lines(run, text, n, err, sizeof err)))
        fe_errorf("pagesim compare: %s: the Win32 run printed something else than results: %s", scenario, err);
    free(text);
    free(c->line);
    free(c);
    return ok;
}

/* The platform. -------------------------------------------------------------- */

/* The first line of what `CMD platform` prints, into buf. */
static bool platform_of(const char *cmd, char *buf, size_t n)
{
    strbuf_t b;
    strbuf_init(&b, NULL);
    strbuf_printf(&b, "%s platform", cmd);
    fflush(NULL);
#ifdef _WIN32
    FILE *p = strbuf_failed(&b) ? NULL : _popen(strbuf_str(&b), "r");
#else
    FILE *p = strbuf_failed(&b) ? NULL : popen(strbuf_str(&b), "r");
#endif
    strbuf_fini(&b);
    if (!p) return false;
    bool ok = fgets(buf, (int)n, p) != NULL;
    while (fgetc(p) != EOF) continue;
    ok = child_status(p) == 0 && ok;
    buf[strcspn(buf, "\r\n")] = 0;
    return ok && buf[0];
}

bool cmp_platform(const char *cmd, char *buf, size_t n)
{
    return cmd ? platform_of(cmd, buf, n) : platform_here(buf, n);
}

int cmd_platform(int argc, char **argv)
{
    (void)argv;
    char buf[128];
    if (argc != 1) {
        fe_errorf("usage: pagesim platform");
        return EXIT_UNUSABLE;
    }
    if (!platform_here(buf, sizeof buf)) {
        fe_errorf("pagesim platform: this build has no Win32 backend");
        return EXIT_UNUSABLE;
    }
    printf("%s\n", buf);
    return EXIT_RAN;
}
