/* The program's image: a file of the simulated file system (program.exe),
 * mapped into every process of the typical layout at 0x00400000 as an image
 * section (SEC_IMAGE), one per image file for the whole machine, as NT keeps
 * one image control area per file. Every process that runs the program maps
 * the same section, so its pages are the same frames of the file cache:
 *
 *   section   pages                 protection              shared?
 *   headers   0x00400000-0x00400FFF PAGE_READONLY           yes
 *   .text     0x00401000-0x00402FFF PAGE_EXECUTE_READ       yes
 *   .rdata    0x00403000-0x00403FFF PAGE_READONLY           yes
 *   .data     0x00404000-0x00405FFF PAGE_WRITECOPY          until written
 *   .shared   0x00406000-0x00406FFF PAGE_READWRITE          yes, always
 *
 * (seed article 004, "loading EXE and DLL files": code pages get READ, the
 * global variables' section COPY-ON-WRITE, and a section linked with
 * /SECTION:name,RWS is shared by every instance of the program, which is
 * how #pragma data_seg(".share") variables count the instances.) A write to
 * .data gives the writer a private copy of the page; a write to .shared is
 * seen by every process at once. VirtualQuery reports MEM_IMAGE with
 * AllocationProtect PAGE_EXECUTE_WRITECOPY, as Windows does for an image.
 * Not modelled: Windows backs an image's shared writable pages with the page
 * file and never writes the executable; here a modified .shared page that
 * leaves memory goes back to program.exe (which no statement reads). */
#include "mem.h"
#include "pagesim/winsdk.h"
#include "mm_int.h"
#include <string.h>

#define IMAGE_BASE 0x00400000u
#define IMAGE_PAGES 7u
#define IMAGE_NAME "program.exe"

/* Per page: the protection (PAGE_*). */
static const uint32_t page_protect[IMAGE_PAGES] = {
    PAGE_READONLY, PAGE_EXECUTE_READ, PAGE_EXECUTE_READ, PAGE_READONLY, PAGE_WRITECOPY, PAGE_WRITECOPY,
    PAGE_READWRITE,
};

/* Per page: the name of the image section it belongs to. */
static const char *const page_section[IMAGE_PAGES] = {
    "headers", ".text", ".text", ".rdata", ".data", ".data", ".shared",
};

const char *mm_image_section_name(uint32_t page)
{
    return page < IMAGE_PAGES ? page_section[page] : NULL;
}

/* The file's bytes: a DOS header, a few instructions, a string, the
 * initialised data and the shared counter (zero). */
static bool write_image_file(mm_t *mm, ps_file_t *f)
{
    static const uint8_t text[] = { 0x55, 0x8B, 0xEC, 0xFF, 0x05, 0x00, 0x60, 0x40, 0x00, 0x5D, 0xC3 };
    if (!fs_set_size(mm, f, IMAGE_PAGES << X86_PAGE_SHIFT)) return false;
    return phys_write(f->disk, 0, "MZ", 2) == PS_OK && phys_write(f->disk, 0x1000, text, sizeof text) == PS_OK &&
           phys_write(f->disk, 0x3000, "hello from .rdata", 17) == PS_OK &&
           phys_write(f->disk, 0x4000, "initial .data", 13) == PS_OK;
}

/* The image section of program.exe: the one every process maps, or a new
 * one (with a handle, which the caller closes once its view holds it). */
static section_t *image_section(mm_process_t *p, uint32_t *handle, strbuf_t *why)
{
    mm_t *mm = p->mm;
    *handle = 0;
    uint32_t file1 = fs_find(mm, IMAGE_NAME);
    for (uint32_t i = 0; file1 && i < mm->nsections; i++)
        if (mm->sections[i]->file == file1 && (mm->sections[i]->attributes & SEC_IMAGE)) return mm->sections[i];
    if (!file1 && (!(file1 = fs_create(mm, IMAGE_NAME)) || !write_image_file(mm, mm_file(mm, file1)))) {
        mm_oom(mm);
        return NULL;
    }
    section_t *s;
    if (mm_section_make(p, NULL, IMAGE_PAGES, PAGE_EXECUTE_WRITECOPY, SEC_IMAGE, file1, &s, handle, why)) return NULL;
    return s;
}

bool mm_image_map(mm_process_t *p, strbuf_t *why)
{
    uint32_t h;
    section_t *s = image_section(p, &h, why);
    if (!s) return false;
    vad_t proto = { .start = IMAGE_BASE, .end = IMAGE_BASE + (IMAGE_PAGES << X86_PAGE_SHIFT), .type = MEM_IMAGE,
                    .alloc_protect = PAGE_EXECUTE_WRITECOPY, .flags = VAD_SYSTEM, .label = "image", .section = s };
    vad_t *v;
    bool ok = mm_vad_add(p, &proto, &v, why) == 0;
    if (ok && !mm_ensure_tables(p, proto.start, proto.end - 1, why)) {
        mm_vad_remove(p, v);
        ok = false;
    }
    if (ok) {
        s->refs++;
        for (uint32_t i = 0; i < IMAGE_PAGES; i++)
            mm_set_pte(p, IMAGE_BASE + (i << X86_PAGE_SHIFT), SPTE_PROTOTYPE | spte_make(mm_from_win32(page_protect[i])));
    }
    if (h) mm_close_handle(p, h, NULL); /* the view holds the section now */
    return ok;
}
