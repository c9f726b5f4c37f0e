/* WinDbg's !heap for the simulated process: the list of heaps, and with
 * -a a heap's segments and every entry as XP's ntsdexts prints them
 * ("ADDR: PREV . SIZE [FLAGS] - busy (REQ)"), the uncommitted ranges and
 * the large blocks. It reads the heap model through heap.h's queries. */
#include "pagesim/format.h"
#include "pagesim/heap.h"
#include <inttypes.h>

static void list_heaps(strbuf_t *b, const mm_process_t *p)
{
    uint32_t handles[64], n = heap_list(p, handles, 64);
    strbuf_puts(b, "Index   Address  Name      Debugging options enabled\n");
    for (uint32_t i = 0; i < n && i < 64; i++) {
        heap_info_t info;
        heap_info(p, handles[i], &info);
        strbuf_printf(b, "%3" PRIu32 ":   %08" PRIx32 "%s\n", i + 1, handles[i],
                      info.process_heap ? "  (process heap)" : "");
    }
    if (!n) strbuf_puts(b, "(no heaps)\n");
}

static void entries(strbuf_t *b, const mm_process_t *p, const heap_segment_info_t *g)
{
    heap_block_info_t k;
    for (uint32_t at = g->first_block; heap_block_from(p, g->base, at, &k); at = k.header + 8) {
        if (k.flags & HEAP_ENTRY_VIRTUAL_ALLOC) break;
        strbuf_printf(b, "        %08" PRIx32 ": %05" PRIx32 " . %05" PRIx32 " [%02" PRIx32 "]", k.header,
                      k.prev_units * 8, k.units * 8, k.flags);
        if (k.flags & HEAP_ENTRY_BUSY) strbuf_printf(b, " - busy (%" PRIx32 ")\n", k.requested);
        else strbuf_puts(b, "\n");
    }
    if (g->reserve_end > g->commit_end)
        strbuf_printf(b, "        %08" PRIx32 ":      %08" PRIx32 "      - uncommitted bytes.\n", g->commit_end,
                      g->reserve_end - g->commit_end);
}

static void one_heap(strbuf_t *b, const mm_process_t *p, uint32_t heap)
{
    heap_info_t info;
    heap_info(p, heap, &info);
    strbuf_printf(b, "Heap %08" PRIx32 "%s\n", heap, info.process_heap ? " (process heap)" : "");
    strbuf_printf(b, "    Flags:                %08" PRIx32 "\n", info.flags);
    strbuf_printf(b, "    Maximum size:         %08" PRIx32 "%s\n", info.maximum, info.maximum ? "" : " (growable)");
    strbuf_printf(b, "    Segment Reserve:      %08x\n    Segment Commit:       %08x\n", HEAP_SEGMENT_RESERVE,
                  HEAP_SEGMENT_COMMIT);
    strbuf_printf(b, "    DeCommit Block Thres: %08x\n    DeCommit Total Thres: %08x\n", HEAP_DECOMMIT_BLOCK,
                  HEAP_DECOMMIT_TOTAL);
    strbuf_printf(b, "    Total Free Size:      %08" PRIx32 " (units)\n", info.free_bytes / 8);
    strbuf_printf(b, "    Busy blocks:          %" PRIu32 " (0x%" PRIx32 " bytes), free blocks %" PRIu32
                     ", large blocks %" PRIu32 " (0x%" PRIx32 " bytes)\n",
                  info.busy_blocks, info.busy_bytes, info.free_blocks, info.virtual_blocks, info.virtual_bytes);
    heap_segment_info_t g;
    uint32_t si = 0;
    for (uint32_t i = 0; heap_segment_at(p, i, &g); i++) {
        if (g.heap != heap) continue;
        if (g.virtual_block) {
            heap_block_info_t k;
            heap_block_from(p, g.base, 0, &k);
            strbuf_printf(b, "    Virtual block: %08" PRIx32 " - %08" PRIx32 " (%08" PRIx32 " bytes), busy (%" PRIx32
                             ")\n", g.base, g.reserve_end, g.reserve_end - g.base, k.requested);
            continue;
        }
        strbuf_printf(b, "    Segment%02" PRIu32 " at %08" PRIx32 " to %08" PRIx32 " (%08" PRIx32 " bytes committed)\n",
                      si, g.base, g.reserve_end, g.commit_end - g.base);
        strbuf_printf(b, "    Heap entries for Segment%02" PRIu32 " in Heap %08" PRIx32 "\n", si, heap);
        entries(b, p, &g);
        si++;
    }
}

void fmt_heap(strbuf_t *b, mm_process_t *p, bool all, bool one, uint32_t addr)
{
    if (!one) {
        list_heaps(b, p);
        if (!all) return;
        uint32_t handles[64], n = heap_list(p, handles, 64);
        for (uint32_t i = 0; i < n && i < 64; i++) one_heap(b, p, handles[i]);
        return;
    }
    heap_info_t info;
    heap_segment_info_t g;
    if (heap_info(p, addr, &info)) one_heap(b, p, addr);
    else if (heap_segment_of(p, addr, &g)) one_heap(b, p, g.heap);
    else strbuf_printf(b, "%08" PRIx32 " is not in a heap of this process\n", addr);
}
