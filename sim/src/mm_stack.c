/* Thread stacks: their regions, their growth on a guard page fault, stack
 * overflow, and the stack pointer that push and alloca move.
 *
 * A stack is made as kernel32's BaseCreateStack makes it (ReactOS
 * dll/win32/kernel32/client/utils.c): the sizes come from the call, or else
 * from the image header (SizeOfStackReserve, SizeOfStackCommit); a commit
 * at least as large as the reservation raises the reservation to the commit
 * rounded up to 1 MB; the commit is rounded up to a page and the
 * reservation to 64 KB. The top `commit` bytes are committed read-write and,
 * when the reservation is larger, one more page under them is committed
 * PAGE_READWRITE|PAGE_GUARD. The TEB records StackBase (the top),
 * StackLimit (the lowest committed page above the guard) and
 * DeallocationStack (the reservation's base).
 *
 *     StackBase        +--------------------+
 *                      | committed, RW      |  the pages in use
 *     StackLimit       +--------------------+
 *                      | RW|GUARD, 1 page   |  the guard
 *                      +--------------------+
 *                      | reserved           |
 *                      +--------------------+
 *                      | reserved, 1 page   |  never committed
 *     DeallocationStack+--------------------+
 *
 * A touch of the guard page by the thread that owns the stack is resolved
 * by the kernel without the program seeing it (MiCheckForUserStackOverflow,
 * ReactOS ntoskrnl/mm/ARM3/pagfault.c; Windows Internals, "Stack
 * overflow"): the page loses PAGE_GUARD, the page under it becomes the new
 * guard, StackLimit moves down to the touched page, and the access is
 * retried. When the touched guard page is within two pages of
 * DeallocationStack (the page under it minus one page is at or below
 * DeallocationStack), no new guard is made: the page just above
 * DeallocationStack is committed read-write, StackLimit moves there, and
 * the thread gets STATUS_STACK_OVERFLOW. The bottom page stays reserved, so
 * a touch past that is an access violation, as is a touch that skips the
 * guard page (hence _chkstk's probes, one a page). A guard page of another
 * thread's stack, or outside any stack, raises STATUS_GUARD_PAGE_VIOLATION
 * once, as any guard page does: only the faulting thread's own TEB is
 * consulted. */
#include "mem.h"
#include "mm_int.h"
#include "pagesim/stack.h"
#include "pagesim/winsdk.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define PAGE X86_PAGE_SIZE
#define MB (1ull << 20)

static uint64_t round_up(uint64_t v, uint64_t to) { return (v + to - 1) / to * to; }

bool mm_stack_sizes_valid(uint32_t reserve, uint32_t commit)
{
    return reserve && commit && reserve <= MM_STACK_MAX && commit <= MM_STACK_MAX;
}

/* BaseCreateStack's sizes: reserve_in or commit_in 0 take the header's. */
static void stack_sizes(const mm_t *mm, uint64_t reserve_in, uint64_t commit_in, uint64_t *reserve, uint64_t *commit)
{
    uint64_t r = reserve_in ? reserve_in : mm->cfg.stack_reserve;
    uint64_t c = commit_in ? commit_in : mm->cfg.stack_commit;
    if (commit_in && c >= r) r = round_up(c, MB);
    c = round_up(c, PAGE);
    r = round_up(r, VAD_GRANULE);
    if (c >= r) r = round_up(c, MB);
    *reserve = r;
    *commit = c;
}

/* Commits page va of a stack with prot (MM_*): a page already committed
 * takes the protection; resident makes it present now (the main thread's
 * running top page). False when the commit limit or the frames run out. */
static bool commit_page(mm_process_t *p, uint32_t va, uint32_t prot, bool resident, strbuf_t *why)
{
    mm_t *mm = p->mm;
    uint32_t pte = mm_pte(p, va);
    if (mm_pte_live(pte)) {
        mm_set_page_prot(p, va, pte, prot);
        return true;
    }
    if (mm->commit_pages + 1 > mm->commit_limit_pages) {
        mm_say(why, "the commit limit (%llu pages) is reached: page 0x%08X of the stack cannot be committed",
               (unsigned long long)mm->commit_limit_pages, va);
        return false;
    }
    return mm_commit_private_page(p, va, prot, resident, why);
}

/* The highest free page under the PEB for a new thread's TEB (TEBs are
 * made top down under it, a page each). */
static bool teb_place(const mm_process_t *p, uint32_t *teb)
{
    for (uint32_t va = MM_SHARED_USER - 3 * PAGE; va >= MM_SHARED_USER - 1024 * PAGE; va -= PAGE)
        if (vad_range_free(&p->vads, va, va + PAGE)) {
            *teb = va;
            return true;
        }
    return false;
}

static uint32_t make_teb(mm_process_t *p, uint32_t *teb, strbuf_t *why)
{
    if (!teb_place(p, teb))
        return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "no free page is left under the PEB for another TEB");
    vad_t proto = { .start = *teb, .end = *teb + PAGE, .type = MEM_PRIVATE, .alloc_protect = PAGE_READWRITE,
                    .flags = VAD_SYSTEM, .label = "TEB" };
    uint32_t err = mm_vad_add(p, &proto, NULL, why);
    if (err) return err;
    if (!commit_page(p, *teb, MM_READWRITE, false, why)) {
        mm_decommit_range(p, *teb, *teb + PAGE - 1, true);
        mm_vad_remove(p, vad_find(&p->vads, *teb));
        return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, " (the TEB)");
    }
    return 0;
}

/* Reserves and commits a stack of the given sizes, first fit from the
 * bottom of the address space; fills t's stack fields. */
static uint32_t make_stack(mm_process_t *p, uint64_t reserve, uint64_t commit, bool resident_top, mm_thread_t *t,
                           strbuf_t *why)
{
    uint32_t base;
    if (reserve > mm_user_high(p->mm) || !vad_find_space(&p->vads, (uint32_t)reserve, false, &base))
        return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "no free range of 0x%llX bytes is left for the stack",
                       (unsigned long long)reserve);
    vad_t proto = { .start = base, .end = (uint32_t)(base + reserve), .type = MEM_PRIVATE,
                    .alloc_protect = PAGE_READWRITE, .flags = VAD_SYSTEM, .label = "stack" };
    vad_t *v = NULL;
    uint32_t err = mm_vad_add(p, &proto, &v, why);
    if (err) return err;
    uint32_t top = v->end, low = (uint32_t)(top - commit);
    bool guarded = reserve > commit;
    bool ok = true;
    for (uint32_t va = top - PAGE; ok && va >= low; va -= PAGE)
        ok = commit_page(p, va, MM_READWRITE, resident_top && va == top - PAGE, why);
    if (ok && guarded) ok = commit_page(p, low - PAGE, MM_READWRITE | MM_GUARD_PAGE, false, why);
    if (!ok) {
        bool limit = p->mm->commit_pages + 1 > p->mm->commit_limit_pages;
        mm_decommit_range(p, v->start, v->end - 1, true);
        mm_vad_remove(p, v);
        return limit ? ERROR_COMMITMENT_LIMIT : ERROR_NOT_ENOUGH_MEMORY;
    }
    t->dealloc = v->start;
    t->base = top;
    t->limit = low;
    t->sp = top;
    t->guarded = guarded;
    t->disturbed = false;
    return 0;
}

/* A new entry in p's thread list (not yet counted); NULL when the host is
 * out of memory. */
static mm_thread_t *new_thread(mm_process_t *p, const char *name)
{
    if (!ps_grow(p->mm->alloc, (void **)&p->threads, &p->capthreads, p->nthreads + 1, sizeof *p->threads)) {
        mm_oom(p->mm);
        return NULL;
    }
    mm_thread_t *t = &p->threads[p->nthreads];
    memset(t, 0, sizeof *t);
    memcpy(t->name, name, strlen(name) + 1);
    return t;
}

bool mm_stack_main(mm_process_t *p, strbuf_t *why)
{
    uint64_t reserve, commit;
    stack_sizes(p->mm, 0, 0, &reserve, &commit);
    mm_thread_t *t = new_thread(p, "main");
    if (!t || make_stack(p, reserve, commit, true, t, why)) return false;
    t->teb = MM_SHARED_USER - 2 * PAGE; /* the layout's first TEB */
    p->nthreads++;
    p->cur_thread = 0;
    return true;
}

uint32_t mm_thread_create(mm_process_t *p, const char *name, uint32_t stack_size, uint32_t flags, strbuf_t *why)
{
    uint32_t index;
    if (strlen(name) >= sizeof p->threads[0].name || !name[0] || mm_thread_find(p, name, &index))
        return mm_fail(why, ERROR_INVALID_PARAMETER, "a thread's name must be new in the process and 1 to 31 bytes long");
    if (flags & ~(uint32_t)(STACK_SIZE_PARAM_IS_A_RESERVATION | CREATE_SUSPENDED))
        return mm_fail(why, ERROR_INVALID_PARAMETER, "the creation flags 0x%X have bits CreateThread does not know (0x%X)",
                       flags, flags & ~(uint32_t)(STACK_SIZE_PARAM_IS_A_RESERVATION | CREATE_SUSPENDED));
    bool as_reserve = flags & STACK_SIZE_PARAM_IS_A_RESERVATION;
    uint64_t reserve, commit;
    stack_sizes(p->mm, as_reserve ? stack_size : 0, as_reserve ? 0 : stack_size, &reserve, &commit);
    mm_thread_t *t = new_thread(p, name);
    if (!t) return ERROR_NOT_ENOUGH_MEMORY;
    uint32_t err = make_stack(p, reserve, commit, false, t, why);
    if (err) return err;
    err = make_teb(p, &t->teb, why);
    if (err) {
        vad_t *v = vad_find(&p->vads, t->dealloc);
        mm_decommit_range(p, v->start, v->end - 1, true);
        mm_vad_remove(p, v);
        return err;
    }
    p->nthreads++;
    mm_say(why, "thread %s: its stack reserves 0x%08X-0x%08X (0x%llX bytes) and commits the top 0x%llX bytes", name,
           t->dealloc, t->base - 1, (unsigned long long)reserve, (unsigned long long)commit);
    if (t->guarded) mm_say(why, " and a guard page at 0x%08X under them", t->limit - PAGE);
    mm_say(why, "; its TEB is at 0x%08X", t->teb);
    return 0;
}

uint32_t mm_thread_count(const mm_process_t *p) { return p->nthreads; }
uint32_t mm_thread_current(const mm_process_t *p) { return p->cur_thread; }

bool mm_thread_at(const mm_process_t *p, uint32_t i, mm_thread_info_t *out)
{
    memset(out, 0, sizeof *out);
    if (i >= p->nthreads) return false;
    const mm_thread_t *t = &p->threads[i];
    out->name = t->name;
    out->stack_base = t->base;
    out->stack_limit = t->limit;
    out->deallocation_stack = t->dealloc;
    out->guard = t->guarded ? t->limit - PAGE : 0;
    out->sp = t->sp;
    out->teb = t->teb;
    return true;
}

bool mm_thread_find(const mm_process_t *p, const char *name, uint32_t *index)
{
    for (uint32_t i = 0; i < p->nthreads; i++)
        if (strcmp(p->threads[i].name, name) == 0) {
            *index = i;
            return true;
        }
    return false;
}

void mm_thread_switch(mm_process_t *p, uint32_t index)
{
    if (index < p->nthreads) p->cur_thread = index;
}

/* Growth and overflow. ------------------------------------------------------ */

static mm_resolution_t overflow(mm_process_t *p, mm_thread_t *t, uint32_t va, mmu_access_t acc, mm_access_t *res)
{
    uint32_t last = t->dealloc + PAGE;
    bool ok = commit_page(p, last, MM_READWRITE, false, res->why);
    if (ok) t->limit = last;
    t->guarded = false;
    p->stack_overflows++;
    res->exception = STATUS_STACK_OVERFLOW;
    res->access = acc;
    res->fault_addr = va;
    res->resolved = MM_RES_STACK_OVERFLOW;
    mm_say(res->why, "0x%08X is the guard page of thread %s's stack, two pages from its end (DeallocationStack "
           "0x%08X): no new guard page is made; ", va, t->name, t->dealloc);
    if (ok) mm_say(res->why, "0x%08X-0x%08X is committed read-write for the exception handler, StackLimit is now "
                   "0x%08X, ", last, last + PAGE - 1, last);
    mm_say(res->why, "the page at 0x%08X stays reserved, and the thread gets STATUS_STACK_OVERFLOW; a touch below "
           "StackLimit is now an access violation. ", t->dealloc);
    return MM_RES_STACK_OVERFLOW;
}

mm_resolution_t mm_stack_guard_fault(mm_process_t *p, uint32_t va, mmu_access_t acc, mm_access_t *res)
{
    if (!p->nthreads) return MM_RES_GUARD;
    mm_thread_t *t = &p->threads[p->cur_thread];
    if (va >= t->base || va < t->dealloc) {
        /* Another thread's guard page is a plain guard page to this one:
         * that stack has lost its guard, and will fault when it grows. */
        mm_stack_changed(p, va, va);
        return MM_RES_GUARD;
    }
    /* The TEB still names the range, but the program released the stack:
     * there is no reservation to commit the next page in. */
    const vad_t *v = vad_find(&p->vads, t->dealloc);
    if (!v || v->start != t->dealloc || v->end != t->base) return MM_RES_GUARD;
    uint32_t page = va & ~(PAGE - 1);
    if ((uint64_t)page <= (uint64_t)t->dealloc + 2 * PAGE) return overflow(p, t, va, acc, res);
    uint32_t next = page - PAGE;
    if (!commit_page(p, next, MM_READWRITE | MM_GUARD_PAGE, false, res->why)) {
        /* The stack cannot grow: the thread gets a stack overflow with
         * what it has. */
        t->limit = page;
        t->guarded = false;
        p->stack_overflows++;
        res->exception = STATUS_STACK_OVERFLOW;
        res->access = acc;
        res->fault_addr = va;
        res->resolved = MM_RES_STACK_OVERFLOW;
        mm_say(res->why, ": thread %s's stack cannot grow past 0x%08X, and the thread gets STATUS_STACK_OVERFLOW",
               t->name, page);
        return MM_RES_STACK_OVERFLOW;
    }
    t->limit = page;
    p->stack_growths++;
    res->resolved = MM_RES_STACK_GROWTH;
    mm_note(res->why, MM_NOTE_STACK, "guard page hit at 0x%08X: thread %s's stack grew by one page to 0x%08X-0x%08X (StackLimit "
           "0x%08X), the new guard page is 0x%08X, and the access goes through with no exception. ", va, t->name,
           page, t->base - 1, page, next);
    return MM_RES_STACK_GROWTH;
}

/* The stack pointer. -------------------------------------------------------- */

bool mm_stack_alloc(mm_process_t *p, uint32_t size, uint32_t align, uint32_t *addr, mm_access_t *res)
{
    mm_thread_t *t = &p->threads[p->cur_thread];
    uint64_t sp = t->sp;
    /* Past address 0 the touches below stop at the NULL region anyway. */
    uint64_t want = sp >= size ? (sp - size) & ~(uint64_t)(align - 1) : 0;
    *addr = 0;
    if (want < sp) {
        /* One write a page, from the page under the old stack pointer down,
         * each at the highest byte the allocation uses in that page. */
        uint32_t first = (uint32_t)((sp - 1) & ~(uint64_t)(PAGE - 1)), last = (uint32_t)want & ~(PAGE - 1);
        for (uint32_t pg = first;; pg -= PAGE) {
            uint32_t va = pg == first ? (uint32_t)(sp - 1) : pg + PAGE - 1;
            if (!mm_touch_write(p, va, res)) return false;
            if (pg == last) break;
        }
    }
    t->sp = (uint32_t)want;
    *addr = t->sp;
    return true;
}

bool mm_stack_free(mm_process_t *p, uint32_t size, strbuf_t *why)
{
    mm_thread_t *t = &p->threads[p->cur_thread];
    if ((uint64_t)t->sp + size > t->base) {
        mm_say(why, "popping 0x%X bytes would take the stack pointer 0x%08X above StackBase 0x%08X", size, t->sp,
               t->base);
        return false;
    }
    t->sp += size;
    return true;
}

/* The invariant. ----------------------------------------------------------- */

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static bool bad(const mm_process_t *p, uint32_t va, char *msg, size_t n, const char *fmt, ...)
{
    int k = snprintf(msg, n, "invariant 'thread stacks' broken at 0x%08X in process %s: ", va, p->name);
    if (k > 0 && (size_t)k < n) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg + k, n - (size_t)k, fmt, ap);
        va_end(ap);
    }
    return false;
}

/* A stack no Virtual* call has changed holds exactly what its TEB says:
 * its fields in order inside one allocation of exactly the reservation,
 * every page from StackLimit to StackBase committed and not a guard page,
 * and under them either (before an overflow) exactly one guard page and
 * nothing committed below it, or (after one) no guard page at all. */
static bool check_thread(const mm_process_t *p, const mm_thread_t *t, char *msg, size_t n)
{
    const vad_t *v = vad_find(&p->vads, t->dealloc);
    if (!v || v->start != t->dealloc || v->end != t->base)
        return bad(p, t->dealloc, msg, n, "thread %s's DeallocationStack..StackBase 0x%08X-0x%08X is not one allocation",
                   t->name, t->dealloc, t->base);
    if (t->limit < t->dealloc || t->limit > t->base || (t->limit & (PAGE - 1)) || t->sp < t->limit || t->sp > t->base)
        return bad(p, t->limit, msg, n, "thread %s's StackLimit 0x%08X or stack pointer 0x%08X is outside its stack "
                   "0x%08X-0x%08X", t->name, t->limit, t->sp, t->dealloc, t->base);
    mm_pte_cursor_t c;
    mm_pte_cursor_init(&c, p);
    uint32_t guard = t->guarded ? t->limit - PAGE : 0;
    if (t->guarded && t->limit - PAGE < t->dealloc)
        return bad(p, t->limit, msg, n, "thread %s's guard page would be under its reservation", t->name);
    for (uint32_t va = t->dealloc; va < t->base; va += PAGE) {
        uint32_t pte = mm_pte_next(&c, va);
        bool live = mm_pte_live(pte);
        uint32_t prot = live ? mm_page_prot_of(p, va, pte) : 0;
        if (va >= t->limit && (!live || mm_prot_guard(prot)))
            return bad(p, va, msg, n, "thread %s's page above StackLimit 0x%08X is %s", t->name, t->limit,
                       live ? "a guard page" : "not committed");
        if (va == guard && !(live && mm_prot_guard(prot)))
            return bad(p, va, msg, n, "thread %s's guard page under StackLimit is not a committed guard page", t->name);
        if (t->guarded && va < guard && live)
            return bad(p, va, msg, n, "thread %s's page under its guard page is committed", t->name);
        if (!t->guarded && va < t->limit && live && mm_prot_guard(prot))
            return bad(p, va, msg, n, "thread %s's stack has overflowed but keeps a guard page", t->name);
    }
    return true;
}

bool mm_stack_check(const mm_process_t *p, char *msg, size_t n)
{
    if (p->cur_thread >= p->nthreads && p->nthreads)
        return bad(p, 0, msg, n, "the current thread %u is not one of its %u", p->cur_thread, p->nthreads);
    for (uint32_t i = 0; i < p->nthreads; i++)
        if (!p->threads[i].disturbed && !check_thread(p, &p->threads[i], msg, n)) return false;
    return true;
}

/* Bookkeeping. -------------------------------------------------------------- */

void mm_stack_changed(mm_process_t *p, uint32_t start, uint32_t end)
{
    for (uint32_t i = 0; i < p->nthreads; i++)
        if (start < p->threads[i].base && end >= p->threads[i].dealloc) p->threads[i].disturbed = true;
}

bool mm_threads_copy(mm_process_t *dst, const mm_process_t *src)
{
    dst->threads = NULL;
    dst->capthreads = 0;
    if (!src->nthreads) return true;
    dst->threads = ps_malloc(dst->mm->alloc, src->nthreads * sizeof *dst->threads);
    if (!dst->threads) return false;
    memcpy(dst->threads, src->threads, src->nthreads * sizeof *dst->threads);
    dst->capthreads = src->nthreads;
    return true;
}

void mm_threads_free(mm_process_t *p)
{
    ps_free(p->mm->alloc, p->threads, p->capthreads * sizeof *p->threads);
    p->threads = NULL;
    p->nthreads = p->capthreads = 0;
}
