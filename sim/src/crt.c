/* The C runtime's allocator and Delphi 7's large blocks, on the heap and
 * on VirtualAlloc.
 *
 * msvcrt.dll keeps its own heap: its start-up code calls HeapCreate (Wine
 * dlls/msvcrt/heap.c msvcrt_init_heap: HeapCreate(0, 0, 0); the VC6 CRT's
 * _heap_init did the same with an initial page), and malloc(n) is
 * HeapAlloc(that heap, 0, n ? n : 1). So malloc's header is the heap's
 * HEAP_ENTRY; the debug CRT's 0x20-byte _CrtMemBlockHeader and its
 * 4-byte 0xFD guards (seed 002's "header and tail") belong to _malloc_dbg,
 * which the simulator does not model. The simulator makes the CRT's heap
 * at the first CRT call rather than at process start, so a process that
 * never calls malloc keeps the typical layout.
 *
 * Delphi 7's GetMemory(n) is its memory manager's GetMem (getmem.inc): the
 * block is n + 4 bytes rounded up to cAlign (4), with a 4-byte header
 * holding that size | cThisUsedFlag (2). A block larger than its free
 * space gets new space: a region reserved in 1 MB steps (cSpaceAlloc) and
 * committed in 16 KB steps (cCommitAlloc). Seed 000: 1000 MB gives the
 * header 0x3E800006 (bytes 06 00 80 3E) and 0x3E804000 committed bytes.
 * The simulator models that path only: blocks of 1 MB and more, which no
 * 1 MB region of the manager's can hold; smaller ones come from its
 * sub-allocator, which is refused as not modeled. */
#include "heap_int.h"
#include "mem.h"
#include "pagesim/winsdk.h"

/* msvcrt's heap, made on first use (HeapCreate(0, 0, 0)). */
static uint32_t crt_heap(mm_process_t *p, strbuf_t *why)
{
    heap_set_t *s = heap_set_of(p);
    if (!s) return 0;
    if (s->crt_heap && heap_find(p, s->crt_heap, NULL)) return s->crt_heap;
    heap_result_t r;
    heap_create(p, 0, 0, 0, &r, NULL);
    if (!r.ptr) return 0;
    p->heaps->crt_heap = r.ptr;
    mm_say(why, "msvcrt's start-up makes its heap with HeapCreate(0, 0, 0): it is at 0x%08X.", r.ptr);
    return r.ptr;
}

void crt_malloc(mm_process_t *p, uint32_t size, heap_result_t *r, strbuf_t *why)
{
    *r = (heap_result_t){ 0, 0, 0 };
    uint32_t h = crt_heap(p, why);
    /* Over _HEAP_MAXREQ (0xFFFFFFE0) malloc sets errno (ENOMEM) alone; a
     * HeapAlloc that fails leaves its ERROR_NOT_ENOUGH_MEMORY. */
    if (!h || size > 0xFFFFFFE0u) return;
    heap_alloc(p, h, 0, size ? size : 1, r, why);
    r->exception = 0;
}

void crt_calloc(mm_process_t *p, uint32_t count, uint32_t size, heap_result_t *r, strbuf_t *why)
{
    *r = (heap_result_t){ 0, 0, 0 };
    uint64_t total = (uint64_t)count * size;
    uint32_t h = crt_heap(p, why);
    if (!h || total > 0xFFFFFFE0u) {
        mm_say(why, "calloc: %u x %u bytes is more than _HEAP_MAXREQ (errno ENOMEM).", count, size);
        return;
    }
    heap_alloc(p, h, PS_HEAP_ZERO_MEMORY, total ? (uint32_t)total : 1, r, why);
    r->exception = 0;
}

void crt_realloc(mm_process_t *p, uint32_t ptr, uint32_t size, heap_result_t *r, strbuf_t *why)
{
    *r = (heap_result_t){ 0, 0, 0 };
    if (!ptr) {
        crt_malloc(p, size, r, why);
        return;
    }
    if (!size) { /* realloc(p, 0) frees p and returns NULL */
        r->error = crt_free(p, ptr, why);
        return;
    }
    uint32_t h = crt_heap(p, why);
    if (!h || size > 0xFFFFFFE0u) return;
    heap_realloc(p, h, 0, ptr, size, r, why);
    r->exception = 0;
}

uint32_t crt_free(mm_process_t *p, uint32_t ptr, strbuf_t *why)
{
    if (!ptr) return 0;
    uint32_t h = crt_heap(p, why);
    return h ? heap_free(p, h, 0, ptr, why) : ERROR_INVALID_PARAMETER;
}

/* Delphi. ---------------------------------------------------------------- */

static uint32_t round_up(uint64_t v, uint32_t to)
{
    return (uint32_t)((v + to - 1) & ~(uint64_t)(to - 1));
}

void delphi_get_memory(mm_process_t *p, uint32_t size, heap_result_t *r, strbuf_t *why)
{
    *r = (heap_result_t){ 0, 0, 0 };
    heap_set_t *s = heap_set_of(p);
    uint64_t block = ((uint64_t)size + 4 + DELPHI_ALIGN - 1) & ~(uint64_t)(DELPHI_ALIGN - 1);
    if (!s || block > 0x7FFF0000u) {
        mm_say(why, "GetMemory(0x%X): more than a process can reserve; Delphi raises EOutOfMemory.", size);
        r->error = ERROR_NOT_ENOUGH_MEMORY;
        return;
    }
    if (block < DELPHI_SPACE_ALLOC) {
        mm_say(why, "GetMemory(0x%X): blocks under 1 MB come from Delphi's sub-allocator, which the simulator does "
                    "not model.", size);
        r->error = ERROR_CALL_NOT_IMPLEMENTED;
        return;
    }
    uint32_t reserve = round_up(block, DELPHI_SPACE_ALLOC), commit = round_up(block, DELPHI_COMMIT_ALLOC);
    uint32_t base = 0, e = mm_virtual_alloc(p, 0, reserve, MEM_RESERVE, PAGE_READWRITE, &base, NULL);
    if (!e) e = mm_virtual_alloc(p, base, commit, MEM_COMMIT, PAGE_READWRITE, &base, NULL);
    if (!e && !ps_grow(p->mm->alloc, (void **)&s->delphi, &s->capdelphi, s->ndelphi + 1, sizeof *s->delphi))
        e = ERROR_NOT_ENOUGH_MEMORY;
    uint8_t hdr[4] = { (uint8_t)(block | DELPHI_USED_FLAG), (uint8_t)(block >> 8), (uint8_t)(block >> 16),
                       (uint8_t)(block >> 24) };
    if (!e && !heap_poke(p, base, hdr, sizeof hdr)) e = ERROR_NOACCESS;
    if (e) {
        if (base) (void)mm_virtual_free(p, base, 0, MEM_RELEASE, NULL);
        mm_say(why, "GetMemory(0x%X): VirtualAlloc cannot give 0x%X bytes; Delphi raises EOutOfMemory.", size, reserve);
        r->error = e;
        return;
    }
    s->delphi[s->ndelphi++] = base;
    mm_say(why, "GetMemory(0x%X): a block of 0x%X bytes (the request, its 4-byte header, to a multiple of 4); "
                "0x%X bytes reserved at 0x%08X (1 MB steps), 0x%X committed (16 KB steps).",
           size, (uint32_t)block, reserve, base, commit);
    r->ptr = base + 4;
}

uint32_t delphi_free_memory(mm_process_t *p, uint32_t ptr, strbuf_t *why)
{
    heap_set_t *s = p->heaps;
    if (!ptr) return 0; /* FreeMemory(nil) is 0 */
    for (uint32_t i = 0; s && i < s->ndelphi; i++) {
        if (s->delphi[i] + 4 != ptr) continue;
        (void)mm_virtual_free(p, s->delphi[i], 0, MEM_RELEASE, NULL);
        s->delphi[i] = s->delphi[--s->ndelphi];
        mm_say(why, "FreeMemory: the large block's region at 0x%08X is released.", ptr - 4);
        return 0;
    }
    mm_say(why, "0x%08X is not a block GetMemory returned; Delphi raises EInvalidPointer.", ptr);
    return ERROR_INVALID_PARAMETER;
}
