/* HeapAlloc, HeapReAlloc, HeapFree and HeapSize, with XP's rules:
 * requests round up to 8 bytes plus the 8-byte header (0 bytes takes 16);
 * the smallest free block that fits is split; a growable heap puts a
 * block of more than 0x7F000 bytes (0xFE00 units, VirtualMemoryThreshold)
 * in a region of its own, and a fixed heap refuses one of more than
 * 0x7FFF8; a failure returns NULL with ERROR_NOT_ENOUGH_MEMORY (MSDN says
 * HeapAlloc does not call SetLastError, but Wine dlls/kernel32/tests/heap.c
 * test_HeapCreate checks that error on Windows), or raises STATUS_NO_MEMORY
 * with HEAP_GENERATE_EXCEPTIONS (MSDN HeapAlloc); HeapFree of NULL is TRUE
 * whatever the heap; HeapReAlloc of NULL fails with no error set (the same
 * test); HeapFree and HeapSize of a pointer that is not a busy block of the
 * heap fail with ERROR_INVALID_PARAMETER. */
#include "heap_int.h"
#include "mem.h"
#include "pagesim/winsdk.h"

static void fail(const heap_t *h, uint32_t flags, heap_result_t *r)
{
    r->ptr = 0;
    r->error = ERROR_NOT_ENOUGH_MEMORY;
    if ((flags | h->flags) & PS_HEAP_GENERATE_EXCEPTIONS) r->exception = STATUS_NO_MEMORY;
}

/* The busy block whose user area starts at ptr, in heap h (0: none). */
static uint32_t busy_block(const mm_process_t *p, const heap_t *h, uint32_t ptr)
{
    const heap_set_t *s = p->heaps;
    const hblk_t *e = heap_blk_of_ptr(s, ptr);
    if (!e || !(e->flags & HEAP_ENTRY_BUSY) || s->heaps[e->heap] != h) return 0;
    return ptr - 8;
}

/* A block above the threshold: its own region, the HEAP_VIRTUAL_ALLOC_ENTRY
 * (links, extra, CommitSize, ReserveSize, then the busy entry) first. */
static void alloc_virtual(mm_process_t *p, heap_set_t *s, heap_t *h, uint32_t flags, uint32_t size, heap_result_t *r,
                          strbuf_t *why)
{
    uint64_t bytes = ((uint64_t)size + HEAP_VIRTUAL_HEADER + 0xFFFu) & ~0xFFFull;
    uint32_t base = 0, prot = h->flags & PS_HEAP_CREATE_ENABLE_EXECUTE ? PAGE_EXECUTE_READWRITE : PAGE_READWRITE;
    if (bytes > 0x7FFF0000u || mm_virtual_alloc(p, 0, (uint32_t)bytes, MEM_RESERVE | MEM_COMMIT, prot, &base, NULL)) {
        mm_say(why, "HeapAlloc of 0x%X bytes needs a region of its own (over the 0x7F000-byte threshold), and "
                    "VirtualAlloc cannot give one.", size);
        fail(h, flags, r);
        return;
    }
    uint32_t b = base + HEAP_VIRTUAL_HEADER - 8;
    hblk_t *e = ps_grow(p->mm->alloc, (void **)&h->virt, &h->capvirt, h->nvirt + 1, sizeof *h->virt)
                    ? heap_blk_new(p, s, b)
                    : NULL;
    if (!e) {
        (void)mm_virtual_free(p, base, 0, MEM_RELEASE, NULL);
        heap_blk_release(p->mm->alloc, s, base, base + X86_PAGE_SIZE);
        fail(h, flags, r);
        return;
    }
    e->vunits = (uint32_t)(bytes / 8);
    e->req = size;
    e->flags = HEAP_ENTRY_BUSY | HEAP_ENTRY_EXTRA_PRESENT | HEAP_ENTRY_VIRTUAL_ALLOC;
    e->heap = heap_no(s, h);
    h->virt[h->nvirt++] = b;
    uint8_t sizes[8];
    for (int i = 0; i < 4; i++) {
        sizes[i] = (uint8_t)(bytes >> (8 * i));
        sizes[4 + i] = sizes[i];
    }
    (void)heap_poke(p, base + 0x10, sizes, sizeof sizes);
    (void)heap_write_entry(p, s, h, b);
    mm_say(why, "A large block: 0x%X bytes committed for it alone at 0x%08X.", (uint32_t)bytes, base);
    r->ptr = base + HEAP_VIRTUAL_HEADER;
}

void heap_alloc(mm_process_t *p, uint32_t heap, uint32_t flags, uint32_t size, heap_result_t *r, strbuf_t *why)
{
    *r = (heap_result_t){ 0, 0, 0 };
    heap_t *h = heap_find(p, heap, NULL);
    if (!h) {
        mm_say(why, "0x%08X is not a heap of this process (Windows would fault reading it).", heap);
        r->error = ERROR_INVALID_HANDLE;
        return;
    }
    heap_set_t *s = p->heaps;
    if (size > 0xFFFFFFFFu - 0x1000u) {
        mm_say(why, "0x%X bytes is more than any heap can hold.", size);
        fail(h, flags, r);
        return;
    }
    uint32_t need = heap_units(size);
    if (need > HEAP_MAX_BLOCK_UNITS) {
        if (h->flags & PS_HEAP_GROWABLE) {
            alloc_virtual(p, s, h, flags, size, r, why);
            return;
        }
        mm_say(why, "A fixed-size heap takes blocks of at most 0x%X bytes.", HEAP_MAX_FIXED_ALLOC);
        fail(h, flags, r);
        return;
    }
    uint32_t b = heap_list_fit(s, h, need);
    if (!b && heap_extend(p, s, h, need, why)) b = heap_list_fit(s, h, need);
    if (!b) {
        fail(h, flags, r);
        return;
    }
    uint32_t addr = b;
    if (!heap_take(p, s, h, b, need, size) ||
        (((flags | h->flags) & PS_HEAP_ZERO_MEMORY) && !heap_fill(p, addr + 8, 0, size))) {
        mm_say(why, "The heap's memory at 0x%08X cannot be written.", addr);
        r->error = ERROR_NOACCESS;
        return;
    }
    r->ptr = addr + 8;
}

uint32_t heap_free(mm_process_t *p, uint32_t heap, uint32_t flags, uint32_t ptr, strbuf_t *why)
{
    (void)flags;
    if (!ptr) return 0;
    heap_t *h = heap_find(p, heap, NULL);
    if (!h) {
        mm_say(why, "0x%08X is not a heap of this process.", heap);
        return ERROR_INVALID_HANDLE;
    }
    heap_set_t *s = p->heaps;
    if (s) heap_prefetch(s, ptr - 8); /* its header, while its record is read */
    uint32_t b = busy_block(p, h, ptr);
    if (!b) {
        const hblk_t *any = heap_blk_of_ptr(s, ptr);
        mm_say(why, "0x%08X is %s.", ptr,
               any && heap_blk_live(any) && !(any->flags & HEAP_ENTRY_BUSY) ? "a free block already (a double free)"
                                                                             : "not a block of this heap");
        return ERROR_INVALID_PARAMETER;
    }
    hblk_t *e = B(s, b);
    if (e->flags & HEAP_ENTRY_VIRTUAL_ALLOC) {
        uint32_t base = b - (HEAP_VIRTUAL_HEADER - 8);
        for (uint32_t i = 0; i < h->nvirt; i++)
            if (h->virt[i] == b) {
                memmove(&h->virt[i], &h->virt[i + 1], (h->nvirt - i - 1) * sizeof *h->virt);
                h->nvirt--;
                break;
            }
        heap_blk_dead(s, b);
        heap_blk_release(p->mm->alloc, s, base, base + X86_PAGE_SIZE);
        (void)mm_virtual_free(p, base, 0, MEM_RELEASE, NULL);
        mm_say(why, "A large block: its region at 0x%08X is released.", base);
        return 0;
    }
    uint32_t si = e->seg;
    if (!heap_free_range(p, s, h, false, b)) return ERROR_NOACCESS;
    /* The block may have merged into the one before it. */
    uint32_t t = h->seg[si].tail;
    if (t && !(B(s, t)->flags & HEAP_ENTRY_BUSY)) heap_maybe_decommit(p, s, h, t);
    return 0;
}

uint32_t heap_size(mm_process_t *p, uint32_t heap, uint32_t flags, uint32_t ptr, uint32_t *size, strbuf_t *why)
{
    (void)flags;
    *size = 0xFFFFFFFFu;
    heap_t *h = heap_find(p, heap, NULL);
    if (!h) return ERROR_INVALID_HANDLE;
    uint32_t b = busy_block(p, h, ptr);
    if (!b) {
        mm_say(why, "0x%08X is not a busy block of this heap.", ptr);
        return ERROR_INVALID_PARAMETER;
    }
    *size = B(p->heaps, b)->req;
    return 0;
}

/* Copies n bytes of the program's memory from src to dst. */
static bool copy_bytes(mm_process_t *p, uint32_t dst, uint32_t src, uint32_t n)
{
    uint8_t buf[256];
    for (uint32_t done = 0; done < n;) {
        uint32_t k = n - done < sizeof buf ? n - done : (uint32_t)sizeof buf;
        if (!heap_peek(p, src + done, buf, k) || !heap_poke(p, dst + done, buf, k)) return false;
        done += k;
    }
    return true;
}

/* In place: shrinking (the tail freed when two units or more) or growing
 * into a free block after it. False when it cannot stay. */
static bool resize_in_place(mm_process_t *p, heap_set_t *s, heap_t *h, uint32_t b, uint32_t need, uint32_t size)
{
    hblk_t *e = B(s, b);
    if (e->flags & HEAP_ENTRY_VIRTUAL_ALLOC) {
        if ((uint64_t)size + HEAP_VIRTUAL_HEADER > (uint64_t)e->vunits * 8) return false;
        e->req = size;
        return heap_write_entry(p, s, h, b);
    }
    uint32_t n = heap_next(h, e, b);
    if (need > e->units) {
        if (!n || (B(s, n)->flags & HEAP_ENTRY_BUSY) || e->units + B(s, n)->units < need) return false;
        /* Take the free neighbour whole, then give back what is over. */
        uint32_t units = B(s, n)->units;
        if (!heap_take(p, s, h, n, units, 0)) return false;
        hseg_t *g = &h->seg[e->seg];
        uint32_t after = heap_next(h, B(s, n), n);
        e->units = (uint16_t)(e->units + units);
        if (after) B(s, after)->prev_units = e->units;
        else g->tail = b;
        (void)heap_busy_mark(p, s, n, false); /* taken whole, into b */
        heap_blk_dead(s, n);
    }
    e->req = size;
    if (e->units - need >= 2) {
        uint32_t r = heap_split(p, s, h, b, need, HEAP_ENTRY_BUSY);
        if (!r || !heap_free_range(p, s, h, true, r)) return false;
    }
    n = heap_next(h, e, b);
    return heap_write_entry(p, s, h, b) && (n == 0 || heap_write_entry(p, s, h, n));
}

void heap_realloc(mm_process_t *p, uint32_t heap, uint32_t flags, uint32_t ptr, uint32_t size, heap_result_t *r,
                  strbuf_t *why)
{
    *r = (heap_result_t){ 0, 0, 0 };
    heap_t *h = heap_find(p, heap, NULL);
    if (!h) {
        r->error = ERROR_INVALID_HANDLE;
        return;
    }
    heap_set_t *s = p->heaps;
    uint32_t b = busy_block(p, h, ptr);
    if (!b) {
        mm_say(why, "0x%08X is not a busy block of this heap.", ptr);
        r->error = ptr ? ERROR_INVALID_PARAMETER : 0;
        return;
    }
    uint32_t old = B(s, b)->req;
    bool zero = ((flags | h->flags) & PS_HEAP_ZERO_MEMORY) != 0;
    bool big = size > 0xFFFFFFFFu - 0x1000u || heap_units(size) > HEAP_MAX_BLOCK_UNITS;
    bool was_big = (B(s, b)->flags & HEAP_ENTRY_VIRTUAL_ALLOC) != 0;
    if (size <= 0xFFFFFFFFu - 0x1000u && big == was_big && resize_in_place(p, s, h, b, heap_units(size), size)) {
        if (zero && size > old && !heap_fill(p, ptr + old, 0, size - old)) r->error = ERROR_NOACCESS;
        mm_say(why, "The block stays at 0x%08X.", ptr);
        r->ptr = ptr;
        return;
    }
    if (flags & PS_HEAP_REALLOC_IN_PLACE_ONLY) {
        mm_say(why, "HEAP_REALLOC_IN_PLACE_ONLY: the block at 0x%08X cannot grow where it is.", ptr);
        r->error = ERROR_NOT_ENOUGH_MEMORY;
        if ((flags | h->flags) & PS_HEAP_GENERATE_EXCEPTIONS) r->exception = STATUS_NO_MEMORY;
        return;
    }
    heap_alloc(p, heap, flags & ~PS_HEAP_ZERO_MEMORY, size, r, why);
    if (!r->ptr) {
        r->error = ERROR_NOT_ENOUGH_MEMORY;
        return;
    }
    uint32_t keep = old < size ? old : size;
    if (!copy_bytes(p, r->ptr, ptr, keep) || (zero && size > old && !heap_fill(p, r->ptr + old, 0, size - old)) ||
        heap_free(p, heap, 0, ptr, NULL)) {
        r->error = ERROR_NOACCESS;
        return;
    }
    mm_say(why, "The block moves from 0x%08X to 0x%08X (0x%X bytes copied).", ptr, r->ptr, keep);
}
