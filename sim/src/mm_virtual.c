/* VirtualAlloc, VirtualFree, VirtualProtect and VirtualQuery with the rules
 * and GetLastError codes of 32-bit Windows (NtAllocateVirtualMemory and its
 * siblings, as Wine's and ReactOS's API tests pin them down).
 *
 * Rounding, as the kernel does it:
 *   reserve:  base = addr rounded down to 64 KB,
 *             end  = (addr + size - 1) | 0xFFF            (inclusive)
 *   commit, decommit, protect, reset:
 *             base = addr rounded down to a page, end as above
 * so committing 6 KB from offset 2 KB covers two pages, and reserving 62 KB
 * at 0x10000000 covers 0x10000000-0x1000FFFF. */
#include "mm_int.h"
#include "pagesim/winsdk.h"
#include "pagesim/winconst.h"
#include <string.h>

#define PAGE 0x1000u
#define PAGE_MASK 0xFFFu

static void say_vad(const mm_process_t *p, strbuf_t *why, const vad_t *v)
{
    if (why) mm_describe_vad(p->mm, why, v);
}

static uint32_t user_high(const mm_process_t *p)
{
    return mm_user_high(p->mm);
}

/* The inclusive last byte of [addr, addr + size), in 64-bit arithmetic. */
static uint64_t last_byte(uint32_t addr, uint32_t size)
{
    return ((uint64_t)addr + size - 1) | PAGE_MASK;
}

/* Commit accounting. ------------------------------------------------------ */

static bool charge(mm_process_t *p, uint64_t pages, strbuf_t *why, uint32_t *err)
{
    mm_t *mm = p->mm;
    if (mm->commit_pages + pages > mm->commit_limit_pages) {
        *err = mm_fail(why, ERROR_COMMITMENT_LIMIT,
                    "committing %llu more pages would bring the commit charge to %llu pages, over the commit "
                    "limit of %llu pages (RAM plus page file)",
                    (unsigned long long)pages, (unsigned long long)(mm->commit_pages + pages),
                    (unsigned long long)mm->commit_limit_pages);
        return false;
    }
    return true;
}

/* Page-table pages not yet made for PTEs of [start, end]. */
static uint32_t tables_needed(const mm_process_t *p, uint32_t start, uint32_t end)
{
    uint32_t n = 0;
    for (uint32_t i = X86_PDE_INDEX(start); i <= X86_PDE_INDEX(end); i++)
        if (!(mm_pde(p, i << 22) & X86_P)) n++;
    return n;
}

/* Commits [start, end] (inclusive, page aligned) inside one allocation with
 * prot: uncommitted pages become demand-zero, committed ones take the new
 * protection and keep their data. The page tables it needs were charged
 * when the range was reserved; making them now costs frames, not commit. */
static uint32_t commit_range(mm_process_t *p, uint32_t start, uint32_t end, uint32_t prot, strbuf_t *why)
{
    mm_t *mm = p->mm;
    uint64_t fresh = 0;
    mm_pte_cursor_t c;
    mm_pte_cursor_init(&c, p);
    for (uint64_t va = start; va <= end; va += PAGE)
        if (!mm_pte_live(mm_pte_next(&c, (uint32_t)va))) fresh++;
    uint32_t tables = tables_needed(p, start, end);
    uint32_t err;
    if (!charge(p, fresh, why, &err)) return err;
    if (!mm_ensure_tables(p, start, end, why))
        return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "no physical frame is left for %u page-table page%s", tables,
                       tables == 1 ? "" : "s");
    uint64_t pages = ((uint64_t)end - start) / PAGE + 1;
    mm_say(why, "committed 0x%08X-0x%08X (%llu page%s) as ", start, end, (unsigned long long)pages, pages == 1 ? "" : "s");
    if (why) wc_format_protect(why, mm_to_win32(prot));
    mm_say(why, ": %llu newly committed (demand-zero: no frame until first touch)", (unsigned long long)fresh);
    if (pages > fresh) mm_say(why, ", %llu already committed keep their data and take the new protection",
                           (unsigned long long)(pages - fresh));
    if (tables)
        mm_say(why, "; %u page-table page%s made (charged when the range was reserved)", tables, tables == 1 ? "" : "s");
    for (uint64_t va = start; va <= end; va += PAGE) {
        uint32_t a = (uint32_t)va;
        uint32_t pte = mm_pte(p, a);
        if (!mm_pte_live(pte)) {
            mm_set_pte(p, a, spte_make(prot));
            mm_charge_private_page(mm, p);
        } else {
            mm_set_page_prot(p, a, pte, prot);
        }
    }
    return ERROR_SUCCESS;
}

/* VirtualAlloc. ----------------------------------------------------------- */

static uint32_t check_alloc_type(uint32_t type, strbuf_t *why)
{
    uint32_t known = MEM_COMMIT | MEM_RESERVE | MEM_RESET | MEM_RESET_UNDO | MEM_TOP_DOWN | MEM_WRITE_WATCH | MEM_PHYSICAL |
                     MEM_LARGE_PAGES;
    if (type & ~known)
        return mm_fail(why, ERROR_INVALID_PARAMETER, "the allocation type 0x%X has bits VirtualAlloc does not know (0x%X)",
                    type, type & ~known);
    if (!(type & (MEM_COMMIT | MEM_RESERVE | MEM_RESET | MEM_RESET_UNDO)))
        return mm_fail(why, ERROR_INVALID_PARAMETER,
                    "the allocation type needs MEM_COMMIT, MEM_RESERVE, MEM_RESET or MEM_RESET_UNDO");
    if ((type & MEM_RESET) && type != MEM_RESET)
        return mm_fail(why, ERROR_INVALID_PARAMETER, "MEM_RESET cannot be combined with other allocation types");
    if ((type & MEM_RESET_UNDO) && type != MEM_RESET_UNDO)
        return mm_fail(why, ERROR_INVALID_PARAMETER, "MEM_RESET_UNDO cannot be combined with other allocation types");
    if ((type & MEM_WRITE_WATCH) && !(type & MEM_RESERVE))
        return mm_fail(why, ERROR_INVALID_PARAMETER, "MEM_WRITE_WATCH needs MEM_RESERVE");
    if ((type & MEM_PHYSICAL) && (type & ~(uint32_t)(MEM_PHYSICAL | MEM_TOP_DOWN)) != MEM_RESERVE)
        return mm_fail(why, ERROR_INVALID_PARAMETER, "MEM_PHYSICAL goes with MEM_RESERVE alone");
    if (type & MEM_LARGE_PAGES)
        return mm_fail(why, ERROR_PRIVILEGE_NOT_HELD,
                    "MEM_LARGE_PAGES needs the SeLockMemoryPrivilege, which the process does not hold");
    return ERROR_SUCCESS;
}

static uint32_t check_protect(uint32_t protect, bool private_memory, strbuf_t *why, uint32_t *mm_prot)
{
    uint32_t m = mm_from_win32(protect);
    if (!m)
        return mm_fail(why, ERROR_INVALID_PARAMETER,
                    "0x%X is not a valid protection: it needs exactly one base PAGE_* value, with at most one of "
                    "PAGE_GUARD, PAGE_NOCACHE or PAGE_WRITECOMBINE, and none of them with PAGE_NOACCESS", protect);
    if (private_memory && (MM_BASE(m) == MM_WRITECOPY || MM_BASE(m) == MM_EXECUTE_WRITECOPY))
        return mm_fail(why, ERROR_INVALID_PARAMETER,
                    "copy-on-write protections apply only to mapped views; private memory cannot be PAGE_WRITECOPY");
    *mm_prot = m;
    return ERROR_SUCCESS;
}

static uint32_t reserve(mm_process_t *p, uint32_t addr, uint32_t size, uint32_t type, uint32_t protect,
                        uint32_t *base, strbuf_t *why)
{
    uint32_t start = 0, end; /* end inclusive */
    if (addr) {
        start = addr & ~(VAD_GRANULE - 1);
        end = (uint32_t)last_byte(addr, size);
        if (start < MM_USER_LOW)
            return mm_fail(why, ERROR_INVALID_ADDRESS,
                        "0x%08X rounds down to 0x%08X, in the NULL region (0x00000000-0x0000FFFF), which is never "
                        "allocated", addr, start);
        if (!vad_range_free(&p->vads, start, end + 1)) {
            vad_t *v = vad_next_from(&p->vads, start);
            mm_say(why, "the range 0x%08X-0x%08X (0x%08X rounded down to the 64 KB allocation granule) overlaps ", start,
                end, addr);
            say_vad(p, why, v);
            return ERROR_INVALID_ADDRESS;
        }
    } else {
        uint32_t rsize = (uint32_t)(last_byte(0, size) + 1);
        if (!vad_find_space(&p->vads, rsize, type & MEM_TOP_DOWN, &start))
            return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY,
                        "no free range of 0x%X bytes on a 64 KB boundary is left in user space", rsize);
        end = start + rsize - 1;
    }
    vad_t proto = { .start = start, .end = end + 1, .type = MEM_PRIVATE, .alloc_protect = protect,
                    .flags = ((type & MEM_WRITE_WATCH) ? VAD_WRITE_WATCH : 0u) | ((type & MEM_PHYSICAL) ? VAD_PHYSICAL : 0u) };
    uint32_t tables = mm_vad_table_charge(p, start, end + 1);
    uint32_t err = mm_vad_add(p, &proto, NULL, why);
    if (err) return err;
    mm_say(why, "reserved 0x%08X-0x%08X (0x%X bytes, %u pages)", start, end, end - start + 1, (end - start + 1) / PAGE);
    if (addr && start != addr) mm_say(why, ": 0x%08X rounds down to the 64 KB granule 0x%08X", addr, start);
    else if (!addr) mm_say(why, ": the %s free range on a 64 KB boundary", (type & MEM_TOP_DOWN) ? "highest" : "lowest");
    if (addr && (uint64_t)addr + size != (uint64_t)end + 1)
        mm_say(why, ", and the end 0x%08llX rounds up to a page", (unsigned long long)addr + size);
    if (tables)
        mm_say(why, "; %u page of commit charged for the page table%s it will need", tables, tables == 1 ? "" : "s");
    if (type & MEM_WRITE_WATCH) mm_say(why, "; with write watch: GetWriteWatch tells which pages are written");
    if (type & MEM_PHYSICAL)
        mm_say(why, "; an AWE region: MapUserPhysicalPages maps the process's physical pages into it, nothing commits");
    *base = start;
    return ERROR_SUCCESS;
}

static uint32_t reset(mm_process_t *p, uint32_t addr, uint32_t size, bool undo, uint32_t *base, strbuf_t *why)
{
    uint32_t start = addr & ~PAGE_MASK;
    uint64_t end = last_byte(addr, size);
    vad_t *v = vad_find(&p->vads, start);
    if (!v || end >= v->end) {
        if (!v) return mm_fail(why, ERROR_INVALID_ADDRESS, "0x%08X is not in an allocation", addr);
        mm_say(why, "the range 0x%08X-0x%08llX runs past the end of ", start, (unsigned long long)end);
        say_vad(p, why, v);
        return ERROR_INVALID_ADDRESS;
    }
    if (v->flags & VAD_PHYSICAL)
        return mm_fail(why, ERROR_INVALID_ADDRESS, "0x%08X is in an AWE (MEM_PHYSICAL) region: its pages are "
                                                   "never paged out, there is nothing to reset", addr);
    if (!undo) {
        /* The pages' contents are no longer needed: a resident page is no
         * longer dirty, so memory pressure may drop it without writing it to
         * the page file (and a later touch reads zeros). */
        for (uint64_t va = start; va <= end; va += PAGE) {
            uint32_t pte = mm_pte(p, (uint32_t)va);
            if (pte & X86_P) {
                pfn_t *e = mm_pfn(p->mm, pte >> X86_PAGE_SHIFT);
                if (e && !(e->flags & PFN_SECTION)) e->flags |= PFN_RESET;
                mm_set_pte(p, (uint32_t)va, pte & ~X86_D);
            } else if (pte && !(pte & (SPTE_TRANSITION | SPTE_PROTOTYPE)) && (pte >> SPTE_SLOT_SHIFT)) {
                /* In the page file: the copy is no longer needed either. */
                mm_slot_free(p->mm, pte >> SPTE_SLOT_SHIFT);
                mm_set_pte(p, (uint32_t)va, pte & SPTE_PROT_MASK);
            }
        }
        mm_say(why, "0x%08X-0x%08llX: the data is no longer needed; the pages stay committed, but memory pressure may "
                 "now drop them without writing them to the page file", start, (unsigned long long)end);
    }
    *base = start;
    return ERROR_SUCCESS;
}

uint32_t mm_virtual_alloc(mm_process_t *p, uint32_t addr, uint32_t size, uint32_t type, uint32_t protect,
                          uint32_t *base, strbuf_t *why)
{
    *base = 0;
    uint32_t err = check_alloc_type(type, why);
    if (err) return err;
    bool resetting = type & (MEM_RESET | MEM_RESET_UNDO);
    bool do_reserve = (type & MEM_RESERVE) || !addr;
    uint32_t prot = 0;
    if (!resetting) { /* MEM_RESET ignores the protection */
        /* A commit may land in a view, which takes copy-on-write; that is
         * known once the address is looked up below. */
        err = check_protect(protect, do_reserve, why, &prot);
        if (err) return err;
    }
    /* MSDN VirtualAlloc, MEM_PHYSICAL: "used with MEM_RESERVE"; an AWE
     * region is read/write (MSDN MapUserPhysicalPages maps pages read/write). */
    if ((type & MEM_PHYSICAL) && protect != PAGE_READWRITE)
        return mm_fail(why, ERROR_INVALID_PARAMETER, "a MEM_PHYSICAL region must be PAGE_READWRITE, not 0x%X", protect);
    if (addr > user_high(p))
        return mm_fail(why, ERROR_INVALID_PARAMETER, "0x%08X is above the highest application address 0x%08X", addr,
                    user_high(p));
    if ((uint64_t)user_high(p) + 1 - addr < size)
        return mm_fail(why, ERROR_INVALID_PARAMETER,
                    "0x%08X + 0x%X runs past the highest application address 0x%08X", addr, size, user_high(p));
    if (!size) return mm_fail(why, ERROR_INVALID_PARAMETER, "the size is 0");
    if (resetting) {
        if (!addr) return mm_fail(why, ERROR_INVALID_ADDRESS, "MEM_RESET needs the address of committed memory");
        return reset(p, addr, size, type & MEM_RESET_UNDO, base, why);
    }

    if (do_reserve) {
        /* Reserving costs no commit; check the commit first so that a
         * failed commit leaves no reservation behind. */
        uint32_t start = 0;
        err = reserve(p, addr, size, type, protect, &start, why);
        if (err) return err;
        if (type & MEM_COMMIT) {
            vad_t *v = vad_find(&p->vads, start);
            mm_say(why, "; ");
            err = commit_range(p, v->start, v->end - 1, mm_alloc_page_prot(v, protect), why);
            if (err) {
                mm_vad_remove(p, v);
                return err;
            }
        }
        *base = start;
        return ERROR_SUCCESS;
    }
    /* Commit inside an existing reservation. */
    uint32_t start = addr & ~PAGE_MASK;
    uint64_t end = last_byte(addr, size);
    vad_t *v = vad_find(&p->vads, start);
    if (!v) {
        mm_say(why, "MEM_COMMIT at 0x%08X: ", addr);
        vad_t *n = vad_next_from(&p->vads, start);
        if (n && n->start <= end) {
            mm_say(why, "0x%08X is not reserved; the range reaches into ", start);
            say_vad(p, why, n);
            mm_say(why, " but a commit must lie inside one reservation");
        } else {
            mm_say(why, "the range 0x%08X-0x%08llX is not reserved", start, (unsigned long long)end);
        }
        return ERROR_INVALID_ADDRESS;
    }
    if (end >= v->end) {
        mm_say(why, "MEM_COMMIT of 0x%08X-0x%08llX runs past the end of ", start, (unsigned long long)end);
        say_vad(p, why, v);
        return ERROR_INVALID_ADDRESS;
    }
    if (v->type == MEM_MAPPED && v->section) {
        err = mm_view_commit(p, v, start, (uint32_t)end, protect, why);
        if (!err) *base = start;
        return err;
    }
    if (v->type != MEM_PRIVATE)
        return mm_fail(why, ERROR_INVALID_ADDRESS, "0x%08X is in an image, not in private memory", addr);
    if (v->flags & VAD_PHYSICAL)
        return mm_fail(why, ERROR_INVALID_ADDRESS, "0x%08X is in an AWE (MEM_PHYSICAL) region, which nothing "
                                                   "commits: MapUserPhysicalPages maps pages there", addr);
    if (MM_BASE(prot) == MM_WRITECOPY || MM_BASE(prot) == MM_EXECUTE_WRITECOPY)
        return mm_fail(why, ERROR_INVALID_PARAMETER,
                       "copy-on-write protections apply only to mapped views; private memory cannot be PAGE_WRITECOPY");
    err = commit_range(p, start, (uint32_t)end, mm_alloc_page_prot(v, protect), why);
    if (err) return err;
    mm_stack_changed(p, start, (uint32_t)end);
    *base = start;
    return ERROR_SUCCESS;
}

/* VirtualFree. ------------------------------------------------------------ */


uint32_t mm_virtual_free(mm_process_t *p, uint32_t addr, uint32_t size, uint32_t type, strbuf_t *why)
{
    if (type != MEM_DECOMMIT && type != MEM_RELEASE)
        return mm_fail(why, ERROR_INVALID_PARAMETER, "the free type must be MEM_DECOMMIT or MEM_RELEASE, exactly one");
    if (type == MEM_RELEASE && size)
        return mm_fail(why, ERROR_INVALID_PARAMETER, "MEM_RELEASE frees a whole allocation: the size must be 0, not 0x%X",
                    size);
    if (addr > user_high(p))
        return mm_fail(why, ERROR_INVALID_PARAMETER, "0x%08X is above the highest application address 0x%08X", addr,
                    user_high(p));
    if ((uint64_t)user_high(p) - addr < size)
        return mm_fail(why, ERROR_INVALID_PARAMETER, "0x%08X + 0x%X runs past the highest application address", addr, size);
    uint32_t start = addr & ~PAGE_MASK;
    vad_t *v = vad_find(&p->vads, start);
    if (!v) return mm_fail(why, ERROR_INVALID_ADDRESS, "0x%08X is not in an allocation", addr);
    if (v->type != MEM_PRIVATE || (v->flags & VAD_SYSTEM && v->type != MEM_PRIVATE)) {
        mm_say(why, "0x%08X is in ", addr);
        say_vad(p, why, v);
        mm_say(why, ", which is not private memory (use UnmapViewOfFile for a view)");
        return ERROR_INVALID_PARAMETER;
    }
    if (type == MEM_RELEASE) {
        if (start != v->start) {
            mm_say(why, "MEM_RELEASE needs the allocation's base address: 0x%08X is inside ", addr);
            say_vad(p, why, v);
            return ERROR_INVALID_ADDRESS;
        }
        mm_say(why, "released ");
        say_vad(p, why, v);
        if (v->flags & VAD_PHYSICAL) { /* MSDN FreeUserPhysicalPages: the pages stay allocated */
            mm_say(why, ": its physical pages are unmapped and stay the process's");
            mm_awe_release_region(p, v);
            mm_vad_remove(p, v);
            return ERROR_SUCCESS;
        }
        mm_say(why, ": its committed pages are decommitted, their frames and empty page tables freed");
        mm_stack_changed(p, v->start, v->end - 1);
        mm_decommit_range(p, v->start, v->end - 1, true);
        mm_vad_remove(p, v);
        return ERROR_SUCCESS;
    }
    if (v->flags & VAD_PHYSICAL)
        return mm_fail(why, ERROR_INVALID_PARAMETER, "0x%08X is in an AWE (MEM_PHYSICAL) region, which has nothing "
                                                     "committed to decommit: MapUserPhysicalPages unmaps", addr);
    if (!size && start != v->start) {
        mm_say(why, "MEM_DECOMMIT with size 0 decommits a whole allocation and needs its base: 0x%08X is inside ", addr);
        say_vad(p, why, v);
        return ERROR_INVALID_ADDRESS;
    }
    uint64_t end = size ? last_byte(addr, size) : v->end - 1;
    if (end >= v->end) {
        mm_say(why, "MEM_DECOMMIT of 0x%08X-0x%08llX runs past the end of ", start, (unsigned long long)end);
        say_vad(p, why, v);
        return ERROR_INVALID_PARAMETER;
    }
    mm_say(why, "decommitted 0x%08X-0x%08llX: the pages are reserved again, their frames freed and their PTEs "
                "marked decommitted (the page tables stay until the region is released)", start,
        (unsigned long long)end);
    if (!size) mm_say(why, " (size 0 at the base: the whole allocation)");
    mm_decommit_range(p, start, (uint32_t)end, false);
    mm_stack_changed(p, start, (uint32_t)end);
    return ERROR_SUCCESS;
}

/* VirtualProtect. --------------------------------------------------------- */

uint32_t mm_virtual_protect(mm_process_t *p, uint32_t addr, uint32_t size, uint32_t protect, uint32_t *old,
                            strbuf_t *why)
{
    *old = 0;
    uint32_t start = addr & ~PAGE_MASK;
    uint64_t end = last_byte(addr, size);
    vad_t *v = vad_find(&p->vads, start);
    uint32_t prot;
    uint32_t err = check_protect(protect, !v || v->type == MEM_PRIVATE, why, &prot);
    if (err) return err;
    if (addr > user_high(p) || (uint64_t)user_high(p) + 1 - addr < size)
        return mm_fail(why, ERROR_INVALID_PARAMETER, "0x%08X + 0x%X runs past the highest application address 0x%08X",
                       addr, size, user_high(p));
    if (!v) return mm_fail(why, ERROR_INVALID_ADDRESS, "0x%08X is not in an allocation", addr);
    if (v->type == MEM_MAPPED && v->section && !mm_view_prot_fits(v->alloc_protect, protect)) {
        mm_say(why, "in a view, a protection must allow no more than the view does: ");
        if (why) wc_format_protect(why, protect);
        mm_say(why, " does not fit the view's ");
        if (why) wc_format_protect(why, v->alloc_protect);
        return ERROR_INVALID_PARAMETER;
    }
    if (end < start) {
        /* Size 0 at a page boundary: (addr + 0 - 1) | 0xFFF ends before
         * addr, so no page changes; the page at addr must still be
         * committed, and its protection is reported. At any other address
         * size 0 covers the page holding addr. */
        if (!mm_page_prot(p, start))
            return mm_fail(why, ERROR_INVALID_ADDRESS, "the size is 0, and the page at 0x%08X is not committed", addr);
        *old = mm_to_win32(mm_page_prot(p, start));
        mm_say(why, "the size is 0 at a page boundary: the range is empty, no page changes");
        return ERROR_SUCCESS;
    }
    if (end >= v->end) {
        mm_say(why, "the range 0x%08X-0x%08llX runs past the end of ", start, (unsigned long long)end);
        say_vad(p, why, v);
        return ERROR_INVALID_ADDRESS;
    }
    if (v->flags & VAD_PHYSICAL)
        return mm_fail(why, ERROR_INVALID_PARAMETER, "0x%08X is in an AWE (MEM_PHYSICAL) region: its pages stay "
                                                     "read/write", addr);
    for (uint64_t va = start; va <= end; va += PAGE) {
        if (!mm_page_prot(p, (uint32_t)va)) {
            mm_say(why, "every page must be committed, and 0x%08llX in ", (unsigned long long)va);
            say_vad(p, why, v);
            mm_say(why, " is only reserved");
            return ERROR_INVALID_ADDRESS;
        }
    }
    *old = mm_to_win32(mm_page_prot(p, start));
    prot = mm_alloc_page_prot(v, protect);
    mm_say(why, "0x%08X-0x%08llX is now ", start, (unsigned long long)end);
    if (why) wc_format_protect(why, mm_to_win32(prot));
    mm_say(why, "; the old protection reported is the first page's (");
    if (why) wc_format_protect(why, *old);
    mm_say(why, ")");
    for (uint64_t va = start; va <= end; va += PAGE) mm_set_page_prot(p, (uint32_t)va, mm_pte(p, (uint32_t)va), prot);
    mm_stack_changed(p, start, (uint32_t)end);
    return ERROR_SUCCESS;
}

/* VirtualQuery. ----------------------------------------------------------- */

/* State and protection of one page inside an allocation. */
static void page_state(mm_pte_cursor_t *c, uint32_t va, uint32_t *state, uint32_t *protect)
{
    uint32_t prot = mm_page_prot_of(c->p, va, mm_pte_next(c, va));
    if (!prot) {
        *state = MEM_RESERVE;
        *protect = 0;
    } else {
        *state = MEM_COMMIT;
        *protect = mm_to_win32(prot);
    }
}

uint32_t mm_virtual_query(mm_process_t *p, uint32_t addr, mm_mbi_t *mbi, strbuf_t *why)
{
    memset(mbi, 0, sizeof *mbi);
    if (addr > user_high(p))
        return mm_fail(why, ERROR_INVALID_PARAMETER, "0x%08X is above the highest application address 0x%08X", addr,
                    user_high(p));
    mm_query_upto(p, addr, 0x100000000ull, mbi);
    return ERROR_SUCCESS;
}

void mm_query_upto(const mm_process_t *p, uint32_t addr, uint64_t limit, mm_mbi_t *mbi)
{
    memset(mbi, 0, sizeof *mbi);
    uint32_t page = addr & ~PAGE_MASK;
    vad_t *v = vad_find(&p->vads, page);
    if (!v) {
        vad_t *n = vad_next_from(&p->vads, page);
        uint32_t top = n ? n->start : user_high(p) + 1;
        mbi->BaseAddress = page;
        mbi->RegionSize = top - page;
        mbi->State = MEM_FREE;
        mbi->Protect = PAGE_NOACCESS;
        return;
    }
    uint32_t state, protect;
    mm_pte_cursor_t c;
    mm_pte_cursor_init(&c, p);
    page_state(&c, page, &state, &protect);
    uint64_t va = (uint64_t)page + PAGE, end = limit < v->end ? limit : v->end;
    while (va < end) {
        if (state == MEM_RESERVE && !(mm_pde(p, (uint32_t)va) & X86_P)) {
            va = (va | 0x3FFFFFu) + 1; /* no page table: the rest of these 4 MB is reserved */
            continue;
        }
        uint32_t s, pr;
        page_state(&c, (uint32_t)va, &s, &pr);
        if (s != state || pr != protect) break;
        va += PAGE;
    }
    if (va > end) va = end;
    mbi->BaseAddress = page;
    mbi->AllocationBase = v->start;
    mbi->AllocationProtect = v->alloc_protect;
    mbi->RegionSize = (uint32_t)(va - page);
    mbi->State = state;
    mbi->Protect = protect;
    mbi->Type = v->type;
}

void mm_system_info(const mm_t *mm, mm_sysinfo_t *si)
{
    si->page_size = PAGE;
    si->granularity = VAD_GRANULE;
    si->min_app = MM_USER_LOW;
    si->max_app = mm_user_high(mm);
    si->processors = 1;
}

void mm_global_memory_status(const mm_t *mm, mm_memstatus_t *ms)
{
    memset(ms, 0, sizeof *ms);
    ms->total_phys = mm->cfg.ram;
    ms->avail_phys = (uint64_t)mm_free_frames(mm) * PAGE;
    ms->memory_load = (uint32_t)(100 - ms->avail_phys * 100 / ms->total_phys);
    ms->total_pagefile = mm->commit_limit_pages * PAGE;
    ms->avail_pagefile = (mm->commit_limit_pages - mm->commit_pages) * PAGE;
    ms->total_virtual = (uint64_t)mm_user_high(mm) + 1 - MM_USER_LOW;
    const mm_process_t *p = mm->current;
    uint64_t used = 0;
    for (const vad_t *v = vad_first(&p->vads); v; v = vad_next(&p->vads, v)) used += v->end - v->start;
    ms->avail_virtual = ms->total_virtual - used;
}

/* Allocations for the front ends. ----------------------------------------- */

uint32_t mm_alloc_count(const mm_process_t *p)
{
    return p->vads.count;
}

static bool alloc_info(const mm_process_t *p, const vad_t *v, mm_alloc_info_t *out)
{
    if (!v) return false;
    memset(out, 0, sizeof *out);
    out->start = v->start;
    out->end = v->end;
    out->type = v->type;
    out->alloc_protect = v->alloc_protect;
    out->tag = v->tag;
    out->system = v->flags & VAD_SYSTEM;
    out->label = v->label;
    out->committed_pages = mm_count_committed(p, v->start, v->end);
    return true;
}

bool mm_alloc_at(const mm_process_t *p, uint32_t i, mm_alloc_info_t *out)
{
    return alloc_info(p, vad_at(&p->vads, i), out);
}

bool mm_alloc_from(const mm_process_t *p, uint32_t addr, mm_alloc_info_t *out)
{
    return alloc_info(p, vad_next_from(&p->vads, addr), out);
}
