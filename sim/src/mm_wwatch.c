/* Write watch: allocations reserved with MEM_WRITE_WATCH remember which of
 * their pages were written since the last reset (GetWriteWatch,
 * ResetWriteWatch), as garbage collectors use them.
 *
 * Each such allocation carries a bitmap, one bit a page (vad_t.watch). A
 * user-mode write that succeeds sets its page's bit; nothing else does: not
 * committing, not a protection change (a page made read-only and back keeps
 * its bit), not a decommit (the bit stays until a reset or the release of
 * the allocation). Wine dlls/kernel32/tests/virtual.c, test_write_watch,
 * checks each of these on Windows. The bits live as long as the allocation;
 * mm_check verifies that only write-watch allocations have a bitmap, that no
 * bit is set past the allocation's last page, and that the process's count
 * of write-watch allocations is right. */
#include "mm_int.h"
#include "pagesim/winsdk.h"
#include <stdio.h>

#define PAGE 0x1000u

static bool watch_bit(const vad_t *v, uint32_t va)
{
    uint32_t i = (va - v->start) / PAGE;
    return (v->watch[i / 8] >> (i % 8)) & 1u;
}

static void watch_clear(vad_t *v, uint32_t va)
{
    uint32_t i = (va - v->start) / PAGE;
    v->watch[i / 8] = (uint8_t)(v->watch[i / 8] & ~(1u << (i % 8)));
}

void mm_watch_written(mm_process_t *p, uint32_t va)
{
    if (!p->watched) return;
    vad_t *v = vad_find(&p->vads, va);
    if (!v || !v->watch) return;
    uint32_t i = (va - v->start) / PAGE;
    v->watch[i / 8] = (uint8_t)(v->watch[i / 8] | 1u << (i % 8));
}

/* The write-watch allocation that holds all of [addr, addr + size), pages
 * rounded out; NULL (with the reason in why) when there is none, which both
 * calls answer with ERROR_INVALID_PARAMETER (Wine dlls/ntdll, NtGetWriteWatch
 * and NtResetWriteWatch: the range must lie in one view with write watch). */
static vad_t *watched_range(mm_process_t *p, uint32_t addr, uint32_t size, uint32_t *start, uint32_t *end,
                            strbuf_t *why)
{
    *start = addr & ~(PAGE - 1);
    uint64_t last = (uint64_t)addr + size - 1;
    vad_t *v = vad_find(&p->vads, *start);
    if (!v) {
        mm_say(why, "0x%08X is not in an allocation", addr);
        return NULL;
    }
    if (!v->watch) {
        mm_say(why, "0x%08X is in ", addr);
        if (why) mm_describe_vad(p->mm, why, v);
        mm_say(why, ", which was not reserved with MEM_WRITE_WATCH");
        return NULL;
    }
    if (last >= v->end) {
        mm_say(why, "the range 0x%08X-0x%08llX runs past the end of ", *start, (unsigned long long)last);
        if (why) mm_describe_vad(p->mm, why, v);
        return NULL;
    }
    *end = (uint32_t)(last | (PAGE - 1));
    return v;
}

uint32_t mm_get_write_watch(mm_process_t *p, uint32_t flags, uint32_t addr, uint32_t size, uint32_t *addrs,
                            uint32_t *count, uint32_t *granularity, strbuf_t *why)
{
    uint32_t cap = *count, start, end;
    *count = 0;
    *granularity = 0;
    if (flags & ~(uint32_t)WRITE_WATCH_FLAG_RESET)
        return mm_fail(why, ERROR_INVALID_PARAMETER, "the flags 0x%X are not 0 or WRITE_WATCH_FLAG_RESET", flags);
    if (!size) return mm_fail(why, ERROR_INVALID_PARAMETER, "the size is 0");
    if (!cap) return mm_fail(why, ERROR_INVALID_PARAMETER, "the array has room for no address (count 0)");
    vad_t *v = watched_range(p, addr, size, &start, &end, why);
    if (!v) return ERROR_INVALID_PARAMETER;
    uint32_t n = 0;
    uint64_t va = start;
    for (; va <= end && n < cap; va += PAGE) {
        if (!watch_bit(v, (uint32_t)va)) continue;
        addrs[n++] = (uint32_t)va;
        if (flags & WRITE_WATCH_FLAG_RESET) watch_clear(v, (uint32_t)va);
    }
    *count = n;
    *granularity = PAGE;
    mm_say(why, "%u page%s of 0x%08X-0x%08X written since the last reset", n, n == 1 ? "" : "s", start, end);
    if (n == cap && va <= end) mm_say(why, " (the array held %u: later pages were not looked at)", cap);
    if (flags & WRITE_WATCH_FLAG_RESET) mm_say(why, "; the pages returned are watched again from now");
    return ERROR_SUCCESS;
}

uint32_t mm_reset_write_watch(mm_process_t *p, uint32_t addr, uint32_t size, strbuf_t *why)
{
    uint32_t start, end;
    if (!size) return mm_fail(why, ERROR_INVALID_PARAMETER, "the size is 0");
    vad_t *v = watched_range(p, addr, size, &start, &end, why);
    if (!v) return ERROR_INVALID_PARAMETER;
    for (uint64_t va = start; va <= end; va += PAGE) watch_clear(v, (uint32_t)va);
    mm_say(why, "0x%08X-0x%08X: no page counts as written from now", start, end);
    return ERROR_SUCCESS;
}

bool mm_watch_check(const mm_process_t *p, char *msg, size_t n)
{
    uint32_t watched = 0;
    for (const vad_t *v = vad_first(&p->vads); v; v = vad_next(&p->vads, v)) {
        if (!(v->flags & VAD_WRITE_WATCH) != !v->watch || (v->watch && v->type != MEM_PRIVATE)) {
            snprintf(msg, n, "write watch: the allocation 0x%08X-0x%08X has %s bitmap but %s", v->start, v->end - 1,
                     v->watch ? "a" : "no", (v->flags & VAD_WRITE_WATCH) ? "was reserved with MEM_WRITE_WATCH"
                                                                       : "is not a private MEM_WRITE_WATCH one");
            return false;
        }
        if (!v->watch) continue;
        watched++;
        uint32_t pages = (v->end - v->start) / PAGE;
        size_t nb = vad_watch_bytes(v->start, v->end);
        if (pages % 8 && (v->watch[nb - 1] >> (pages % 8))) {
            snprintf(msg, n, "write watch: the allocation 0x%08X-0x%08X has bits set past its last page", v->start,
                     v->end - 1);
            return false;
        }
    }
    if (watched != p->watched) {
        snprintf(msg, n, "write watch: process %s counts %u write-watch allocations, its tree has %u", p->name,
                 p->watched, watched);
        return false;
    }
    return true;
}
