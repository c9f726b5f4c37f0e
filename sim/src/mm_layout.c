/* The typical layout of a new 32-bit process, after Windows XP's as the
 * source articles show it: the environment and process parameters at
 * 0x00010000 and 0x00020000, the main thread's stack (1 MB by default, from
 * 0x00030000: the first free range that fits, see mm_stack.c), the default
 * heap at 0x00140000, the image at 0x00400000 (program.exe's image section,
 * shared: mm_image.c), the TEB and PEB just under 0x7FFE0000 and
 * KUSER_SHARED_DATA read-only at 0x7FFE0000 (made with the address space
 * itself). A stack larger than the room under the heap goes to the first
 * free range above it (Windows would make it before the heap and move the
 * heap instead: not modelled). */
#include "heap_int.h"
#include "mm_int.h"
#include "pagesim/winsdk.h"
#include <string.h>


/* Reserves [start, end) as a system allocation. */
static vad_t *region(mm_process_t *p, uint32_t start, uint32_t end, uint32_t type, uint32_t protect,
                     const char *label, strbuf_t *why)
{
    vad_t proto = { .start = start, .end = end, .type = type, .alloc_protect = protect, .flags = VAD_SYSTEM,
                    .label = label };
    vad_t *v = NULL;
    if (mm_vad_add(p, &proto, &v, why)) return NULL;
    return v;
}

/* Commits [start, end) with a Win32 protection; resident pages are made
 * present now, as a running process would have touched them. False when
 * the machine has no frame or commit left. */
static bool commit(mm_process_t *p, uint32_t start, uint32_t end, uint32_t protect, bool resident, strbuf_t *why)
{
    mm_t *mm = p->mm;
    uint32_t prot = mm_from_win32(protect);
    bool accessible = mm_prot_accessible(prot);
    for (uint32_t va = start; va < end; va += X86_PAGE_SIZE) {
        if (mm->commit_pages + 1 > mm->commit_limit_pages) {
            mm_say(why, "the commit limit is reached: no commit is left for the new process's %s", "layout");
            return false;
        }
        if (!mm_commit_private_page(p, va, prot, resident && accessible, why)) return false;
    }
    return true;
}

bool mm_commit_private_page(mm_process_t *p, uint32_t va, uint32_t prot, bool resident, strbuf_t *why)
{
    mm_t *mm = p->mm;
    if (!mm_ensure_table(p, va, why)) return false;
    if (resident) {
        uint32_t frame;
        if (!mm_frame_alloc(mm, p, why, &frame)) return false;
        pfn_t *e = mm_pfn(mm, frame);
        e->owner = (uint16_t)(p->id + 1);
        e->va = va;
        e->prot = (uint8_t)prot;
        mm_set_pte(p, va, (frame << X86_PAGE_SHIFT) | mm_hw_bits(prot) | X86_A);
    } else {
        mm_set_pte(p, va, spte_make(prot));
    }
    mm_charge_private_page(mm, p);
    return true;
}

static bool write_bytes(mm_process_t *p, uint32_t va, const char *s, uint32_t n)
{
    uint32_t pte = mm_pte(p, va);
    if (!(pte & X86_P)) return false;
    return phys_write(mmu_phys(p->mm->mmu), (pte & X86_FRAME_MASK) + (va & 0xFFFu), s, n) == PS_OK || mm_oom(p->mm);
}

/* One system allocation of the layout, with its committed pieces. */
typedef struct piece {
    uint32_t start, end, protect;
    bool resident;
} piece_t;

static bool place(mm_process_t *p, uint32_t start, uint32_t end, uint32_t type, uint32_t protect, const char *label,
                  const piece_t *pieces, size_t n, strbuf_t *why)
{
    if (!region(p, start, end, type, protect, label, why)) return false;
    for (size_t i = 0; i < n; i++)
        if (!commit(p, pieces[i].start, pieces[i].end, pieces[i].protect, pieces[i].resident, why)) return false;
    return true;
}

#define PIECES(a) a, sizeof a / sizeof a[0]

/* The process heap in the default heap's region, its headers written
 * straight into the resident pages (no fault is counted: the loader made
 * it before the program ran). */
static bool process_heap(mm_process_t *p, strbuf_t *why)
{
    heap_set_t *s = heap_set_of(p);
    if (!s) return false;
    s->direct = true;
    bool ok = heap_create_process_heap(p, 0x00140000u, 0x00100000u, 0x6000u, why);
    s->direct = false;
    return ok;
}

bool mm_layout_typical(mm_process_t *p, strbuf_t *why)
{
    /* Environment block and process parameters. */
    static const piece_t env[] = { { 0x00010000u, 0x00011000u, PAGE_READWRITE, true } };
    static const piece_t params[] = { { 0x00020000u, 0x00021000u, PAGE_READWRITE, true } };
    /* The default process heap: 1 MB reserved, its first pages committed;
     * the two that hold the HEAP structure and the lookaside table are
     * resident (heap.c makes it a heap below). */
    static const piece_t heap[] = { { 0x00140000u, 0x00142000u, PAGE_READWRITE, true },
                                    { 0x00142000u, 0x00146000u, PAGE_READWRITE, false } };
    /* TEB and PEB, one page each, allocated from the top down. */
    static const piece_t teb[] = { { 0x7FFDE000u, 0x7FFDF000u, PAGE_READWRITE, true } };
    static const piece_t peb[] = { { 0x7FFDF000u, 0x7FFE0000u, PAGE_READWRITE, true } };
    bool ok = place(p, 0x00010000u, 0x00011000u, MEM_PRIVATE, PAGE_READWRITE, "environment block", PIECES(env), why) &&
              place(p, 0x00020000u, 0x00021000u, MEM_PRIVATE, PAGE_READWRITE, "process parameters", PIECES(params), why) &&
              place(p, 0x00140000u, 0x00240000u, MEM_PRIVATE, PAGE_READWRITE, "default heap", PIECES(heap), why) &&
              mm_image_map(p, why) &&
              place(p, 0x7FFDE000u, 0x7FFDF000u, MEM_PRIVATE, PAGE_READWRITE, "TEB", PIECES(teb), why) &&
              place(p, 0x7FFDF000u, 0x7FFE0000u, MEM_PRIVATE, PAGE_READWRITE, "PEB", PIECES(peb), why) &&
              mm_stack_main(p, why);
    if (!ok || !process_heap(p, why)) return false;
    return write_bytes(p, 0x00010000u, "=C:=C:\\\0PATH=C:\\WINDOWS\\system32\0", 33);
}
