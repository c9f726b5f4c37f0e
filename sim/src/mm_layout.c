/* The typical layout of a new 32-bit process, after Windows XP's as the
 * source articles show it: the environment and process parameters at
 * 0x00010000 and 0x00020000, the main thread's 1 MB stack from 0x00030000
 * with its guard page, the default heap at 0x00140000, the image at
 * 0x00400000, the TEB and PEB just under 0x7FFE0000 and KUSER_SHARED_DATA
 * read-only at 0x7FFE0000 (made with the address space itself). */
#include "mm_int.h"
#include <string.h>

enum { TYPE_PRIVATE = 0x20000, TYPE_IMAGE = 0x1000000 };
enum { P_RO = 0x02, P_RW = 0x04, P_WC = 0x08, P_ER = 0x20, P_ERWC = 0x80 };

/* Reserves [start, end) as a system allocation. */
static vad_t *region(mm_process_t *p, uint32_t start, uint32_t end, uint32_t type, uint32_t protect,
                     const char *label)
{
    vad_t proto = { .start = start, .end = end, .type = type, .alloc_protect = protect, .flags = VAD_SYSTEM,
                    .label = label };
    return vad_insert(&p->vads, &proto);
}

/* Commits [start, end) with a Win32 protection; resident pages are made
 * present now, as a running process would have touched them. */
static void commit(mm_process_t *p, uint32_t start, uint32_t end, uint32_t protect, bool resident)
{
    mm_t *mm = p->mm;
    uint32_t prot = mm_from_win32(protect);
    for (uint32_t va = start; va < end; va += X86_PAGE_SIZE) {
        if (!mm_ensure_table(p, va)) return;
        uint32_t frame;
        bool accessible = MM_BASE(prot) && (prot & 0x18u) != MM_GUARD_PAGE;
        if (resident && accessible && mm_frame_alloc(mm, &frame)) {
            pfn_t *e = mm_pfn(mm, frame);
            e->owner = (uint16_t)(p->id + 1);
            e->va = va;
            e->prot = (uint8_t)prot;
            e->share = 1;
            mm_set_pte(p, va, (frame << X86_PAGE_SHIFT) | mm_hw_bits(prot) | X86_A);
            p->ws++;
            mm_resident(mm, frame);
        } else {
            mm_set_pte(p, va, spte_make(prot));
        }
        p->private_commit++;
        mm->commit_pages++;
    }
    if (p->ws > p->peak_ws) p->peak_ws = p->ws;
}

static void write_bytes(mm_process_t *p, uint32_t va, const char *s, uint32_t n)
{
    uint32_t pte = mm_pte(p, va);
    if (!(pte & X86_P)) return;
    (void)phys_write(mmu_phys(p->mm->mmu), (pte & X86_FRAME_MASK) + (va & 0xFFFu), s, n);
}

void mm_layout_typical(mm_process_t *p)
{
    /* Environment block and process parameters. */
    if (region(p, 0x00010000u, 0x00011000u, TYPE_PRIVATE, P_RW, "environment block"))
        commit(p, 0x00010000u, 0x00011000u, P_RW, true);
    if (region(p, 0x00020000u, 0x00021000u, TYPE_PRIVATE, P_RW, "process parameters"))
        commit(p, 0x00020000u, 0x00021000u, P_RW, true);
    write_bytes(p, 0x00010000u, "=C:=C:\\\0PATH=C:\\WINDOWS\\system32\0", 33);
    /* The main thread's stack: 1 MB reserved, the top pages committed, and a
     * guard page under them that grows the stack on first touch. */
    if (region(p, 0x00030000u, 0x00130000u, TYPE_PRIVATE, P_RW, "stack")) {
        commit(p, 0x0012D000u, 0x00130000u, P_RW, true);
        commit(p, 0x0012C000u, 0x0012D000u, P_RW | 0x100u, false);
    }
    /* The default process heap: 1 MB reserved, its first pages committed. */
    if (region(p, 0x00140000u, 0x00240000u, TYPE_PRIVATE, P_RW, "default heap")) {
        commit(p, 0x00140000u, 0x00141000u, P_RW, true);
        commit(p, 0x00141000u, 0x00146000u, P_RW, false);
    }
    /* The image: headers, code, read-only data, writable data. */
    if (region(p, 0x00400000u, 0x00406000u, TYPE_IMAGE, P_ERWC, "image")) {
        commit(p, 0x00400000u, 0x00401000u, P_RO, true);
        commit(p, 0x00401000u, 0x00403000u, P_ER, false);
        commit(p, 0x00403000u, 0x00404000u, P_RO, false);
        commit(p, 0x00404000u, 0x00406000u, P_WC, false);
        write_bytes(p, 0x00400000u, "MZ", 2);
    }
    /* TEB and PEB, one page each, allocated from the top down. */
    if (region(p, 0x7FFDE000u, 0x7FFDF000u, TYPE_PRIVATE, P_RW, "TEB"))
        commit(p, 0x7FFDE000u, 0x7FFDF000u, P_RW, true);
    if (region(p, 0x7FFDF000u, 0x7FFE0000u, TYPE_PRIVATE, P_RW, "PEB"))
        commit(p, 0x7FFDF000u, 0x7FFE0000u, P_RW, true);
}
