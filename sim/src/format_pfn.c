/* What backs a page or a frame, told in prose (mm_page_backing and
 * mm_frame_backing): the line !pte adds, the front ends' detail text, and
 * WinDbg's !pfn, a frame's PFN entry: its state, share count, flags, the
 * file page or page-file slot behind it and every PTE that maps it. */
#include "mm_int.h"
#include "pagesim/format.h"
#include "pagesim/inspect.h"
#include "pagesim/x86.h"
#include <inttypes.h>

void fmt_backing(strbuf_t *b, const mm_backing_t *k)
{
    switch (k->kind) {
    case MM_BACK_NONE: strbuf_puts(b, k->resident ? "a frame in use" : "nothing (not committed, or a free frame)"); break;
    case MM_BACK_PRIVATE: strbuf_puts(b, "a private page"); break;
    case MM_BACK_COPY: strbuf_puts(b, "a private copy of a view's page (written while copy-on-write)"); break;
    case MM_BACK_SYSTEM: strbuf_puts(b, "the system's (a page table, a directory or a system page)"); break;
    case MM_BACK_PAGEFILE:
        if (k->section < 0) strbuf_printf(b, "a page of a page-file-backed section");
        else if (k->section_name[0])
            strbuf_printf(b, "page %" PRIu32 " of section \"%s\" (page-file backed)", k->page, k->section_name);
        else strbuf_printf(b, "page %" PRIu32 " of unnamed section #%d (page-file backed)", k->page, k->section);
        break;
    case MM_BACK_FILE: strbuf_printf(b, "page %" PRIu32 " of file \"%s\"", k->page, k->file); break;
    case MM_BACK_IMAGE:
        strbuf_printf(b, "page %" PRIu32 " of image \"%s\"", k->page, k->file);
        if (k->image_section) strbuf_printf(b, ", section %s", k->image_section);
        break;
    case MM_BACK_AWE:
        strbuf_puts(b, "a physical page of the process's own (AWE): no backing store, never paged, not in the working set");
        break;
    }
    if (k->copy_on_write) strbuf_puts(b, ", copy-on-write");
    if (k->locked) strbuf_puts(b, ", locked");
    if (k->slot) strbuf_printf(b, ", page-file slot %" PRIu32, k->slot);
}

void fmt_sharers(strbuf_t *b, mm_t *mm, const mm_backing_t *k)
{
    if (!k->mappings) {
        strbuf_puts(b, "no PTE");
        return;
    }
    strbuf_printf(b, "%" PRIu32 " mapping%s in %" PRIu32 " process%s", k->mappings, k->mappings == 1 ? "" : "s",
                  k->processes, k->processes == 1 ? "" : "es");
    for (uint32_t i = 0; i < k->nsharers; i++) {
        const mm_process_t *p = mm_process_at(mm, (uint32_t)k->sharers[i].process);
        strbuf_printf(b, "%s%s 0x%08" PRIX32, i ? ", " : ": ", p ? mm_process_name(p) : "?", k->sharers[i].va);
    }
    if (k->mappings > k->nsharers) strbuf_puts(b, ", ...");
}

/* NT's page state: in use and mapped, or held for its page with no PTE
 * mapping it (standby when its backing store has it, else modified). */
static const char *pfn_state(const pfn_t *e, const mm_backing_t *k)
{
    if (!k->resident) return "Free";
    if (!e || k->kind == MM_BACK_SYSTEM || k->kind == MM_BACK_AWE || e->share) return "Active";
    return k->modified ? "Modified" : "Standby";
}

static void pfn_flags(strbuf_t *b, const pfn_t *e)
{
    static const struct { uint16_t flag; const char *name; } k[] = {
        { PFN_PAGE_TABLE, "page-table" }, { PFN_DIRECTORY, "directory" }, { PFN_SYSTEM, "system" },
        { PFN_SECTION, "section" }, { PFN_FILE, "file" }, { PFN_MODIFIED, "modified" }, { PFN_LOCKED, "locked" },
        { PFN_RESET, "reset" }, { PFN_AWE, "awe" },
    };
    strbuf_puts(b, "    flags");
    bool any = false;
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (e->flags & k[i].flag) {
            strbuf_printf(b, " %s", k[i].name);
            any = true;
        }
    strbuf_puts(b, any ? "\n" : " none\n");
}

void fmt_pfn(strbuf_t *b, mm_t *mm, uint32_t frame)
{
    if (frame >= mm->nframes) {
        strbuf_printf(b, "    0x%" PRIX32 " is not a frame of this machine (it has 0x%" PRIX32 " frames)\n", frame, mm->nframes);
        return;
    }
    mm_backing_t k;
    mm_frame_backing(mm, frame, &k);
    const pfn_t *e = frame >= mm->first_free_frame ? mm_pfn_peek(mm, frame) : NULL;
    if (e && !(e->flags & PFN_USED)) e = NULL;
    strbuf_printf(b, "    PFN %08" PRIX32 " at physical address %08" PRIX32 "\n", frame, frame << X86_PAGE_SHIFT);
    if (frame < mm->first_free_frame) {
        strbuf_puts(b, "    Active, the kernel's: below the first frame the memory manager hands out\n");
        return;
    }
    if (!e) {
        strbuf_puts(b, "    Free\n");
        return;
    }
    strbuf_printf(b, "    share count %08" PRIX32 "  %s  %s%s\n", e->share, pfn_state(e, &k),
                  k.modified ? "M" : "-", k.accessed ? "A" : "-");
    pfn_flags(b, e);
    strbuf_puts(b, "    backing ");
    fmt_backing(b, &k);
    strbuf_putc(b, '\n');
    const mm_process_t *owner = e->owner ? mm->procs[e->owner - 1] : NULL;
    if (k.kind == MM_BACK_SYSTEM) {
        if (owner) strbuf_printf(b, "    owner %s, at 0x%08" PRIX32 "\n", owner->name, e->va);
        return;
    }
    if (k.kind == MM_BACK_AWE && owner) strbuf_printf(b, "    owner %s\n", owner->name);
    strbuf_puts(b, "    mapped by ");
    fmt_sharers(b, mm, &k);
    strbuf_putc(b, '\n');
}
