/* What the fuzz harnesses share: failing, the budgeted backend and a JSON
 * Lines checker. */
#include "fuzz.h"
#include "pagesim/heap.h"
#include "pagesim/winsdk.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FUZZ_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define FUZZ_ASAN 1
#endif
#ifdef FUZZ_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

void fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz: finding: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    fflush(stderr);
    abort();
}

/* The host allocator. --------------------------------------------------- */

enum { HEAD = 16, CACHED = 8, BIG = 64 << 10 };

static struct cached {
    unsigned char *block; /* HEAD + n bytes, all poisoned                  */
    size_t n;
} cache[CACHED];

static unsigned char *take_cached(size_t n)
{
    for (int i = 0; i < CACHED; i++) {
        if (cache[i].block && cache[i].n == n) {
            unsigned char *b = cache[i].block;
            cache[i].block = NULL;
            UNPOISON(b, HEAD + n);
            return b;
        }
    }
    return NULL;
}

static bool keep_cached(unsigned char *b, size_t n)
{
    if (n < BIG) return false;
    int slot = 0;
    for (int i = 0; i < CACHED; i++)
        if (!cache[i].block) slot = i;
    if (cache[slot].block) {
        UNPOISON(cache[slot].block, HEAD + cache[slot].n);
        free(cache[slot].block);
    }
    POISON(b, HEAD + n);
    cache[slot].block = b;
    cache[slot].n = n;
    return true;
}

static void *alloc_fn(void *ud, void *ptr, size_t osize, size_t nsize)
{
    (void)ud;
    unsigned char *b = ptr ? (unsigned char *)ptr - HEAD : NULL;
    if (b) {
        size_t had;
        UNPOISON(b, HEAD);
        memcpy(&had, b, sizeof had);
        if (had != osize)
            fuzz_fail("the core %s a block of %zu bytes as one of %zu bytes", nsize ? "resized" : "freed", had, osize);
    }
    if (nsize == 0) {
        if (b && !keep_cached(b, osize)) free(b);
        return NULL;
    }
    unsigned char *nb = b ? NULL : take_cached(nsize);
    if (!nb) nb = realloc(b, HEAD + nsize);
    if (!nb) {
        if (b) POISON(b, HEAD);
        return NULL;
    }
    memcpy(nb, &nsize, sizeof nsize);
    POISON(nb, HEAD);
    return nb + HEAD;
}

static const ps_alloc_t checking_alloc = { alloc_fn, NULL };

const ps_alloc_t *fuzz_alloc(void)
{
    return &checking_alloc;
}

char *fuzz_small_machine(const char *text, size_t len, size_t *out_len)
{
    size_t bom = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0; /* it stays first */
    size_t head = sizeof FUZZ_CONFIG_LINE - 1;
    char *s = malloc(head + len + 1);
    if (!s) fuzz_fail("out of memory");
    memcpy(s, text, bom);
    memcpy(s + bom, FUZZ_CONFIG_LINE, head);
    if (len > bom) memcpy(s + bom + head, text + bom, len - bom);
    s[head + len] = '\0';
    *out_len = head + len;
    return s;
}

/* The budgeted backend. ------------------------------------------------- */

fuzz_budget_t *fuzz_budget;

/* Costs, in units of about a byte access's time under ASan: a touch that
 * faults costs some 30 of them, a page of a range operation (commit,
 * decommit, protect, reset, release, map) about one, a page read from or
 * written to the page file (4096 bytes copied) about a thousand. */
enum { COST_BYTE = 1, COST_TOUCH = 32, COST_RANGE_PAGE = 1, COST_PAGE_COPY = 1024 };

/* Before an access: false (and out) when the budget cannot pay for it. */
static bool spend(uint64_t units)
{
    if (!fuzz_budget) return true;
    if (fuzz_budget->left < units) {
        fuzz_budget->left = 0;
        fuzz_budget->out = true;
        return false;
    }
    fuzz_budget->left -= units;
    return true;
}

/* After a range operation, whose cost is known only once it ran. */
static void charge_pages(uint64_t bytes)
{
    (void)spend((bytes / 4096 + 1) * COST_RANGE_PAGE);
}

/* Page-file reads and writes so far (machine-wide counters). */
static uint64_t page_copies(void *ctx)
{
    mm_stats_t st;
    mm_stats(mm_current((mm_t *)ctx), &st);
    return st.pagefile_reads + st.pagefile_writes;
}

static void charge_copies(void *ctx, uint64_t before)
{
    uint64_t n = page_copies(ctx) - before;
    if (n) (void)spend(n * COST_PAGE_COPY);
}

static bool refuse(uint32_t addr, mmu_access_t acc, ps_exception_t *exc, strbuf_t *why)
{
    exc->code = 0xC0000005u; /* EXCEPTION_ACCESS_VIOLATION */
    exc->access = acc;
    exc->addr = addr;
    if (why) strbuf_puts(why, "the fuzzer's work budget is spent");
    return false;
}

/* The size of the region at addr (for a size of 0: the whole allocation,
 * or the whole view, as the call means it). */
static uint32_t region_size(void *ctx, uint32_t addr)
{
    mm_mbi_t mbi;
    return ps_backend_sim()->virtual_query(ctx, addr, &mbi, NULL).error == 0 ? mbi.RegionSize : 0;
}

static ps_call_t b_alloc(void *ctx, uint32_t addr, uint32_t size, uint32_t type, uint32_t protect, uint32_t *base,
                         strbuf_t *why)
{
    uint64_t before = page_copies(ctx);
    ps_call_t c = ps_backend_sim()->virtual_alloc(ctx, addr, size, type, protect, base, why);
    charge_copies(ctx, before);
    if (type & (0x1000u | 0x80000u | 0x1000000u)) charge_pages(size); /* MEM_COMMIT, MEM_RESET, MEM_RESET_UNDO */
    return c;
}

static ps_call_t b_free(void *ctx, uint32_t addr, uint32_t size, uint32_t type, strbuf_t *why)
{
    uint32_t whole = size ? size : region_size(ctx, addr);
    uint64_t before = page_copies(ctx);
    ps_call_t c = ps_backend_sim()->virtual_free(ctx, addr, size, type, why);
    charge_copies(ctx, before);
    charge_pages(whole);
    return c;
}

static ps_call_t b_protect(void *ctx, uint32_t addr, uint32_t size, uint32_t protect, uint32_t *old, strbuf_t *why)
{
    uint64_t before = page_copies(ctx);
    ps_call_t c = ps_backend_sim()->virtual_protect(ctx, addr, size, protect, old, why);
    charge_copies(ctx, before);
    charge_pages(size);
    return c;
}

static ps_call_t b_query(void *ctx, uint32_t addr, mm_mbi_t *mbi, strbuf_t *why)
{
    return ps_backend_sim()->virtual_query(ctx, addr, mbi, why);
}

static ps_call_t b_create_mapping(void *ctx, uint32_t protect, uint32_t size_high, uint32_t size_low,
                                  const char *name, uint32_t *handle, strbuf_t *why)
{
    ps_call_t c = ps_backend_sim()->create_mapping(ctx, protect, size_high, size_low, name, handle, why);
    charge_pages(c.error == 0 ? size_low : 0);
    return c;
}

static ps_call_t b_map_view(void *ctx, uint32_t handle, uint32_t access, uint32_t off_high, uint32_t off_low,
                            uint32_t size, uint32_t base, uint32_t *addr, strbuf_t *why)
{
    ps_call_t c = ps_backend_sim()->map_view(ctx, handle, access, off_high, off_low, size, base, addr, why);
    charge_pages(c.error == 0 ? region_size(ctx, *addr) : 0);
    return c;
}

static ps_call_t b_unmap_view(void *ctx, uint32_t addr, strbuf_t *why)
{
    uint32_t whole = region_size(ctx, addr);
    ps_call_t c = ps_backend_sim()->unmap_view(ctx, addr, why);
    charge_pages(whole);
    return c;
}

static ps_call_t b_close_handle(void *ctx, uint32_t handle, strbuf_t *why)
{
    return ps_backend_sim()->close_handle(ctx, handle, why);
}

static void b_system_info(void *ctx, mm_sysinfo_t *si)
{
    ps_backend_sim()->system_info(ctx, si);
}

static void b_memory_status(void *ctx, mm_memstatus_t *ms)
{
    ps_backend_sim()->memory_status(ctx, ms);
}

static bool b_read8(void *ctx, uint32_t addr, uint8_t *value, ps_exception_t *exc, strbuf_t *why)
{
    if (!spend(COST_BYTE)) return refuse(addr, MMU_READ, exc, why);
    uint64_t before = page_copies(ctx);
    bool ok = ps_backend_sim()->read8(ctx, addr, value, exc, why);
    charge_copies(ctx, before);
    return ok;
}

static bool b_write8(void *ctx, uint32_t addr, uint8_t value, ps_exception_t *exc, strbuf_t *why)
{
    if (!spend(COST_BYTE)) return refuse(addr, MMU_WRITE, exc, why);
    uint64_t before = page_copies(ctx);
    bool ok = ps_backend_sim()->write8(ctx, addr, value, exc, why);
    charge_copies(ctx, before);
    return ok;
}

static bool b_touch(void *ctx, uint32_t addr, bool write, ps_exception_t *exc, strbuf_t *why)
{
    if (!spend(COST_TOUCH)) return refuse(addr, write ? MMU_WRITE : MMU_READ, exc, why);
    uint64_t before = page_copies(ctx);
    bool ok = ps_backend_sim()->touch(ctx, addr, write, exc, why);
    charge_copies(ctx, before);
    return ok;
}

static ps_call_t b_get_write_watch(void *ctx, uint32_t flags, uint32_t addr, uint32_t size, uint32_t *addrs,
                                   uint32_t *count, uint32_t *granularity, strbuf_t *why)
{
    charge_pages(size);
    return ps_backend_sim()->get_write_watch(ctx, flags, addr, size, addrs, count, granularity, why);
}

static ps_call_t b_reset_write_watch(void *ctx, uint32_t addr, uint32_t size, strbuf_t *why)
{
    charge_pages(size);
    return ps_backend_sim()->reset_write_watch(ctx, addr, size, why);
}

static ps_call_t b_process_memory_info(void *ctx, uint32_t process, mm_pmc_t *pmc, strbuf_t *why)
{
    return ps_backend_sim()->process_memory_info(ctx, process, pmc, why);
}

static ps_call_t b_virtual_lock(void *ctx, uint32_t addr, uint32_t size, bool lock, strbuf_t *why)
{
    charge_pages(size);
    return ps_backend_sim()->virtual_lock(ctx, addr, size, lock, why);
}

/* Files: a read, a write or a flush costs its pages; a file's size is
 * only a number until it is touched. */
#define SIMF (ps_backend_sim()->files)
static ps_call_t bf_create(void *ctx, const char *name, uint32_t access, uint32_t share, uint32_t disposition,
                           uint32_t attributes, uint32_t *handle, strbuf_t *why)
{
    return SIMF->create_file(ctx, name, access, share, disposition, attributes, handle, why);
}

static ps_call_t bf_read(void *ctx, uint32_t handle, uint8_t *buf, uint32_t count, uint32_t *done, strbuf_t *why)
{
    charge_pages(count);
    return SIMF->read_file(ctx, handle, buf, count, done, why);
}

static ps_call_t bf_write(void *ctx, uint32_t handle, const uint8_t *buf, uint32_t count, uint32_t *done, strbuf_t *why)
{
    charge_pages(count);
    return SIMF->write_file(ctx, handle, buf, count, done, why);
}

static ps_call_t bf_seek(void *ctx, uint32_t handle, int32_t distance, uint32_t method, uint32_t *pos, strbuf_t *why)
{
    return SIMF->set_file_pointer(ctx, handle, distance, method, pos, why);
}

static ps_call_t bf_eof(void *ctx, uint32_t handle, strbuf_t *why)
{
    return SIMF->set_end_of_file(ctx, handle, why);
}

static ps_call_t bf_size(void *ctx, uint32_t handle, uint32_t *size, strbuf_t *why)
{
    return SIMF->get_file_size(ctx, handle, size, why);
}

static ps_call_t bf_mapping(void *ctx, uint32_t file, uint32_t protect, uint32_t size_high, uint32_t size_low,
                            const char *name, uint32_t *handle, strbuf_t *why)
{
    return SIMF->create_file_mapping(ctx, file, protect, size_high, size_low, name, handle, why);
}

static ps_call_t bf_flush(void *ctx, uint32_t addr, uint32_t size, strbuf_t *why)
{
    charge_pages(region_size(ctx, addr));
    return SIMF->flush_view(ctx, addr, size, why);
}

static const ps_file_ops_t budget_files = {
    bf_create, bf_read, bf_write, bf_seek, bf_eof, bf_size, bf_mapping, bf_flush,
};

/* A heap call copies or zeroes at most the bytes its sizes (and, for a
 * reallocation, the block's old size) say: paid up front, a byte each. */
static void b_heap(void *ctx, ps_heap_op_t op, const uint32_t args[4], ps_heap_out_t *out, strbuf_t *why)
{
    uint64_t bytes = (uint64_t)args[0] + args[1] + args[2] + args[3], old = 0;
    if (op == PS_HEAP_REALLOC || op == PS_CRT_REALLOC) {
        uint32_t size = 0, heap = op == PS_HEAP_REALLOC ? args[0] : 0, ptr = op == PS_HEAP_REALLOC ? args[2] : args[0];
        if (heap && !heap_size(mm_current((mm_t *)ctx), heap, 0, ptr, &size, NULL)) old = size;
        if (!heap) old = 0xFFFFFFFFu; /* the CRT's heap: not known here, so the most */
    }
    if (op == PS_HEAP_CREATE || op == PS_DELPHI_GETMEMORY || op == PS_HEAP_ALLOC || op == PS_CRT_MALLOC) bytes = 0x80000;
    if (!spend(COST_TOUCH + (bytes + old) / 64 * COST_BYTE)) {
        memset(out, 0, sizeof *out);
        out->error = ERROR_NOT_ENOUGH_MEMORY;
        return;
    }
    uint64_t before = page_copies(ctx);
    ps_backend_sim()->heap(ctx, op, args, out, why);
    charge_copies(ctx, before);
}

/* Emptying the working set costs its pages. */
static ps_call_t b_working_set(void *ctx, ps_ws_op_t op, uint32_t process, uint32_t *min, uint32_t *max, strbuf_t *why)
{
    if (op != PS_WS_GET) {
        mm_pmc_t pmc;
        mm_process_memory_info(mm_current((mm_t *)ctx), &pmc, NULL);
        charge_pages(pmc.WorkingSetSize);
    }
    return ps_backend_sim()->working_set(ctx, op, process, min, max, why);
}

static ps_call_t b_open_process(void *ctx, uint32_t access, bool inherit, const char *name, uint32_t *handle,
                                strbuf_t *why)
{
    return ps_backend_sim()->open_process(ctx, access, inherit, name, handle, why);
}

static ps_call_t b_query_ex(void *ctx, uint32_t process, uint32_t addr, mm_mbi_t *mbi, strbuf_t *why)
{
    return ps_backend_sim()->virtual_query_ex(ctx, process, addr, mbi, why);
}

static const ps_backend_ops_t budget_ops = {
    PS_BACKEND_VERSION, "sim", true,
    b_alloc, b_free, b_protect, b_query,
    b_create_mapping, b_map_view, b_unmap_view, b_close_handle,
    b_system_info, b_memory_status, b_read8, b_write8, b_touch,
    b_get_write_watch, b_reset_write_watch, b_process_memory_info, b_virtual_lock,
    &budget_files,
    b_heap,
    b_working_set,
    b_open_process,
    b_query_ex,
};

const ps_backend_ops_t *fuzz_budget_backend(void)
{
    return &budget_ops;
}

/* JSON Lines. ----------------------------------------------------------- */

typedef struct json {
    const unsigned char *s;
    size_t i, n;
    const char *error;
    int depth;
} json_t;

static bool jfail(json_t *j, const char *why)
{
    if (!j->error) j->error = why;
    return false;
}

static void skip_ws(json_t *j)
{
    while (j->i < j->n && (j->s[j->i] == ' ' || j->s[j->i] == '\t')) j->i++;
}

static bool lit(json_t *j, const char *w)
{
    for (const char *p = w; *p; p++, j->i++)
        if (j->i >= j->n || j->s[j->i] != (unsigned char)*p) return jfail(j, "bad literal");
    return true;
}

/* One UTF-8 sequence starting at j->i (not ASCII); advances past it. */
static bool utf8(json_t *j)
{
    unsigned char c = j->s[j->i];
    int more = c >= 0xF0 && c <= 0xF4 ? 3 : c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xC2 && c <= 0xDF ? 1 : -1;
    if (more < 0) return jfail(j, "invalid UTF-8 in a string");
    uint32_t cp = c & (0x3Fu >> more);
    for (int k = 1; k <= more; k++) {
        if (j->i + (size_t)k >= j->n || (j->s[j->i + (size_t)k] & 0xC0) != 0x80)
            return jfail(j, "invalid UTF-8 in a string");
        cp = cp << 6 | (j->s[j->i + (size_t)k] & 0x3Fu);
    }
    if ((more == 2 && cp < 0x800) || (more == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
        return jfail(j, "invalid UTF-8 in a string");
    j->i += (size_t)more + 1;
    return true;
}

static bool string(json_t *j)
{
    if (j->i >= j->n || j->s[j->i] != '"') return jfail(j, "expected a string");
    for (j->i++; j->i < j->n;) {
        unsigned char c = j->s[j->i];
        if (c == '"') {
            j->i++;
            return true;
        }
        if (c < 0x20) return jfail(j, "unescaped control character in a string");
        if (c == '\\') {
            if (++j->i >= j->n) break;
            c = j->s[j->i++];
            if (c == 'u') {
                for (int k = 0; k < 4; k++, j->i++) {
                    unsigned char h = j->i < j->n ? j->s[j->i] : 0;
                    if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F')))
                        return jfail(j, "bad \\u escape");
                }
            } else if (!(c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' || c == 'r' ||
                         c == 't')) {
                return jfail(j, "bad escape in a string");
            }
        } else if (c >= 0x80) {
            if (!utf8(j)) return false;
        } else {
            j->i++;
        }
    }
    return jfail(j, "unterminated string");
}

static bool digits(json_t *j)
{
    size_t start = j->i;
    while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9') j->i++;
    return j->i > start || jfail(j, "expected digits");
}

static bool number(json_t *j)
{
    if (j->i < j->n && j->s[j->i] == '-') j->i++;
    if (j->i < j->n && j->s[j->i] == '0') j->i++;
    else if (!digits(j)) return false;
    if (j->i < j->n && j->s[j->i] == '.') {
        j->i++;
        if (!digits(j)) return false;
    }
    if (j->i < j->n && (j->s[j->i] == 'e' || j->s[j->i] == 'E')) {
        j->i++;
        if (j->i < j->n && (j->s[j->i] == '+' || j->s[j->i] == '-')) j->i++;
        if (!digits(j)) return false;
    }
    return true;
}

static bool value(json_t *j);

static bool members(json_t *j, char close, bool keyed)
{
    j->i++;
    if (++j->depth > 32) return jfail(j, "nested too deeply");
    skip_ws(j);
    if (j->i < j->n && j->s[j->i] == (unsigned char)close) {
        j->i++;
        j->depth--;
        return true;
    }
    for (;;) {
        skip_ws(j);
        if (keyed) {
            if (!string(j)) return false;
            skip_ws(j);
            if (j->i >= j->n || j->s[j->i] != ':') return jfail(j, "expected ':'");
            j->i++;
            skip_ws(j);
        }
        if (!value(j)) return false;
        skip_ws(j);
        if (j->i < j->n && j->s[j->i] == ',') {
            j->i++;
            continue;
        }
        if (j->i < j->n && j->s[j->i] == (unsigned char)close) {
            j->i++;
            j->depth--;
            return true;
        }
        return jfail(j, keyed ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static bool value(json_t *j)
{
    if (j->i >= j->n) return jfail(j, "expected a value");
    switch (j->s[j->i]) {
    case '{': return members(j, '}', true);
    case '[': return members(j, ']', false);
    case '"': return string(j);
    case 't': return lit(j, "true");
    case 'f': return lit(j, "false");
    case 'n': return lit(j, "null");
    default: return number(j);
    }
}

const char *fuzz_json_line_error(const char *text, size_t len)
{
    json_t j = { (const unsigned char *)text, 0, len, NULL, 0 };
    if (len == 0 || text[0] != '{') return "does not start with '{'";
    if (!value(&j)) return j.error;
    if (j.i + 1 != len || text[j.i] != '\n') return "not one object and a newline";
    return NULL;
}
