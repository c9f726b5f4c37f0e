/* sim.backing: what backs a page or a frame (mm_page_backing,
 * mm_frame_backing) and who maps it, on the scenarios that share frames
 * (two instances of the program, two processes mapping one file) and on a
 * page-file-backed section; and !pfn's text from the same query. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pagesim/format.h"
#include "pagesim/history.h"
#include "pagesim/inspect.h"
#include "source_file.h"

static scn_history_t *run(const char *text, size_t len)
{
    scn_history_t *h;
    scn_error_t err;
    assert_int_equal(scn_history_open(NULL, text, len, &h, &err), PS_OK);
    scn_history_run_to(h, scn_history_count(h));
    assert_string_equal(scn_history_error(h), "");
    assert_int_equal(scn_history_done(h), scn_history_count(h));
    return h;
}

static scn_history_t *run_file(const char *rel)
{
    size_t len;
    char *text = source_file(rel, &len);
    scn_history_t *h = run(text, len);
    free(text);
    return h;
}

static mm_t *mm_of(scn_history_t *h) { return scn_runner_mm(scn_history_runner(h)); }

static mm_process_t *named(scn_history_t *h, const char *name)
{
    mm_process_t *p = mm_process_find(mm_of(h), name);
    assert_non_null(p);
    return p;
}

static mm_page_state_t state_at(mm_process_t *p, uint32_t va)
{
    mm_page_info_t pi;
    mm_page_info(p, va, &pi);
    uint8_t bulk;
    mm_page_states(p, va >> 12, 1, &bulk);
    assert_int_equal(bulk, pi.state);
    return pi.state;
}

/* !pfn of frame says every one of the NULL-terminated texts. */
static void pfn_says(mm_t *mm, uint32_t frame, const char *const *texts)
{
    strbuf_t b;
    strbuf_init(&b, NULL);
    fmt_pfn(&b, mm, frame);
    for (; *texts; texts++) {
        if (!strstr(strbuf_str(&b), *texts)) print_error("!pfn says:\n%s\nnot: %s\n", strbuf_str(&b), *texts);
        assert_non_null(strstr(strbuf_str(&b), *texts));
    }
    strbuf_fini(&b);
}

/* The frame's own answer agrees with the page's. */
static void same_as_frame(mm_t *mm, const mm_backing_t *k)
{
    mm_backing_t f;
    mm_frame_backing(mm, k->frame, &f);
    assert_int_equal(f.kind, k->kind);
    assert_int_equal(f.page, k->page);
    assert_int_equal(f.mappings, k->mappings);
    assert_int_equal(f.processes, k->processes);
    assert_string_equal(f.file, k->file);
}

static void image__two_instances__text_shared_data_copied(void **state)
{
    (void)state;
    scn_history_t *h = run_file("scenarios/images/two-instances.scn");
    mm_t *mm = mm_of(h);
    mm_process_t *a = named(h, "main"), *b = named(h, "second");
    mm_backing_t k;
    /* .text: one frame of program.exe for both processes. */
    mm_page_backing(a, 0x00401000u, &k);
    assert_int_equal(k.kind, MM_BACK_IMAGE);
    assert_string_equal(k.file, "program.exe");
    assert_string_equal(k.image_section, ".text");
    assert_int_equal(k.page, 1);
    assert_true(k.resident);
    assert_false(k.copy_on_write);
    assert_int_equal(k.mappings, 2);
    assert_int_equal(k.processes, 2);
    assert_int_equal(k.nsharers, 2);
    assert_int_equal(k.sharers[0].process, 0);
    assert_int_equal(k.sharers[1].process, 1);
    assert_int_equal(k.sharers[1].va, 0x00401000u);
    same_as_frame(mm, &k);
    assert_int_equal(state_at(a, 0x00401000u), MM_PAGE_SHARED);
    mm_frame_info_t fi;
    mm_frame_info(mm, k.frame, &fi);
    assert_int_equal(fi.kind, MM_FRAME_IMAGE);
    assert_string_equal(mm_frame_kind_str(fi.kind), "image");
    /* .data, written by both: each has its own copy. */
    mm_backing_t ka, kb;
    mm_page_backing(a, 0x00404000u, &ka);
    mm_page_backing(b, 0x00404000u, &kb);
    assert_int_equal(ka.kind, MM_BACK_COPY);
    assert_int_equal(kb.kind, MM_BACK_COPY);
    assert_int_not_equal(ka.frame, kb.frame);
    assert_int_equal(ka.mappings, 1);
    assert_true(ka.modified);
    assert_int_equal(state_at(a, 0x00404000u), MM_PAGE_DIRTY);
    /* The second page of .data, never touched: still the image's, and a
     * write would copy it. */
    mm_page_backing(a, 0x00405000u, &k);
    assert_int_equal(k.kind, MM_BACK_IMAGE);
    assert_string_equal(k.image_section, ".data");
    assert_int_equal(k.page, 5);
    assert_true(k.copy_on_write);
    assert_false(k.resident);
    assert_int_equal(state_at(a, 0x00405000u), MM_PAGE_IMAGE);
    /* .shared: one writable frame that both map. */
    mm_page_backing(b, 0x00406000u, &k);
    assert_int_equal(k.kind, MM_BACK_IMAGE);
    assert_string_equal(k.image_section, ".shared");
    assert_int_equal(k.processes, 2);
    assert_true(k.modified);
    scn_history_free(h);
}

static void file__two_processes__one_frame_and_a_private_copy(void **state)
{
    (void)state;
    scn_history_t *h = run_file("scenarios/files/two-processes-share-file.scn");
    mm_t *mm = mm_of(h);
    mm_process_t *a = named(h, "main"), *b = named(h, "b");
    mm_backing_t k;
    mm_page_backing(a, 0x20000000u, &k);
    assert_int_equal(k.kind, MM_BACK_FILE);
    assert_string_equal(k.file, "shared.bin");
    assert_null(k.image_section);
    assert_int_equal(k.page, 0);
    assert_int_equal(k.mappings, 2); /* main's view and b's; b's copy is its own */
    assert_int_equal(k.processes, 2);
    assert_int_equal(k.sharers[0].va, 0x20000000u);
    assert_int_equal(k.sharers[1].va, 0x30000000u);
    same_as_frame(mm, &k);
    assert_int_equal(state_at(a, 0x20000000u), MM_PAGE_SHARED);
    mm_frame_info_t fi;
    mm_frame_info(mm, k.frame, &fi);
    assert_int_equal(fi.kind, MM_FRAME_FILE);
    /* Page 1 of the file, in no frame yet: the file's, not resident. */
    mm_page_backing(a, 0x20001000u, &k);
    assert_int_equal(k.kind, MM_BACK_FILE);
    assert_int_equal(k.page, 1);
    assert_false(k.resident);
    assert_int_equal(k.mappings, 0);
    assert_int_equal(state_at(a, 0x20001000u), MM_PAGE_FILE);
    /* b's copy-on-write view after its write: a private copy. */
    mm_page_backing(b, 0x31000000u, &k);
    assert_int_equal(k.kind, MM_BACK_COPY);
    assert_int_equal(k.mappings, 1);
    assert_int_equal(k.sharers[0].process, 1);
    same_as_frame(mm, &k);
    /* ... and its untouched pages still the file's, copy-on-write. */
    mm_page_backing(b, 0x31001000u, &k);
    assert_int_equal(k.kind, MM_BACK_FILE);
    assert_true(k.copy_on_write);
    scn_history_free(h);
}

static void pagefile_section__named_views__shared_then_alone(void **state)
{
    (void)state;
    static const char text[] =
        "config layout=empty\n"
        "s = CreateFileMapping(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 2*PAGE_SIZE, \"counts\")\n"
        "v = MapViewOfFileEx(s, FILE_MAP_WRITE, 0, 0, 0, 0x20000000)\n"
        "w = MapViewOfFileEx(s, FILE_MAP_WRITE, 0, 0, 0, 0x30000000)\n"
        "write v \"y\"\n"
        "read w 1\n"
        "read w + PAGE_SIZE 1\n"
        "a = VirtualAlloc(0x10000000, PAGE_SIZE, MEM_RESERVE|MEM_COMMIT, PAGE_READWRITE)\n"
        "VirtualLock(a, PAGE_SIZE)\n"
        "expect ret == 1\n";
    scn_history_t *h = run(text, sizeof text - 1);
    mm_t *mm = mm_of(h);
    mm_process_t *p = named(h, "main");
    mm_backing_t k;
    mm_page_backing(p, 0x30000000u, &k);
    assert_int_equal(k.kind, MM_BACK_PAGEFILE);
    assert_string_equal(k.section_name, "counts");
    assert_true(k.section >= 0);
    assert_int_equal(k.page, 0);
    assert_int_equal(k.mappings, 2); /* two views of one process */
    assert_int_equal(k.processes, 1);
    same_as_frame(mm, &k);
    assert_int_equal(state_at(p, 0x20000000u), MM_PAGE_SHARED);
    /* The second page: only w maps it. */
    mm_page_backing(p, 0x30001000u, &k);
    assert_int_equal(k.page, 1);
    assert_int_equal(k.mappings, 1);
    assert_int_equal(state_at(p, 0x30001000u), MM_PAGE_MAPPED);
    assert_int_equal(state_at(p, 0x20001000u), MM_PAGE_MAPPED);
    mm_frame_info_t fi;
    mm_frame_info(mm, k.frame, &fi);
    assert_int_equal(fi.kind, MM_FRAME_SECTION);
    /* A locked private page. */
    mm_page_backing(p, 0x10000000u, &k);
    assert_int_equal(k.kind, MM_BACK_PRIVATE);
    assert_true(k.locked);
    assert_int_equal(k.mappings, 1);
    /* !pfn tells the same. */
    mm_page_backing(p, 0x20000000u, &k);
    pfn_says(mm, k.frame, (const char *const[]){ "share count 00000002  Active",
                                                 "page 0 of section \"counts\" (page-file backed)",
                                                 "2 mappings in 1 process: main 0x20000000, main 0x30000000", NULL });
    scn_history_free(h);
}

/* AWE: a mapped page is the process's own physical page, a kind of its
 * own in the page's state, the frame's kind and its backing; an unmapped
 * one is still the process's, mapped by no PTE, and !pfn says both. */
static void awe__mapped_and_not__own_kind(void **state)
{
    (void)state;
    static const char text[] = "config lockpages=yes layout=empty\n"
                               "r = VirtualAlloc(NULL, 0x10000, MEM_RESERVE | MEM_PHYSICAL, PAGE_READWRITE)\n"
                               "pfns = AllocateUserPhysicalPages(GetCurrentProcess(), 2)\n"
                               "MapUserPhysicalPages(r + 0x2000, 1, pfns + 1)\n"
                               "write r + 0x2000 1\n";
    scn_history_t *h = run(text, sizeof text - 1);
    mm_t *mm = mm_of(h);
    mm_process_t *p = named(h, "main");
    uint32_t va = 0x00012000u;
    assert_int_equal(state_at(p, va), MM_PAGE_AWE);
    assert_int_equal(state_at(p, va - 0x1000u), MM_PAGE_RESERVED);
    mm_backing_t k;
    mm_page_backing(p, va, &k);
    assert_int_equal(k.kind, MM_BACK_AWE);
    assert_true(k.resident);
    assert_true(k.modified);
    assert_int_equal(k.mappings, 1);
    assert_int_equal(k.sharers[0].va, va);
    assert_string_equal(mm_backing_kind_str(k.kind), "AWE");
    same_as_frame(mm, &k);
    mm_frame_info_t fi;
    mm_frame_info(mm, k.frame, &fi);
    assert_int_equal(fi.kind, MM_FRAME_AWE);
    assert_string_equal(mm_frame_kind_str(fi.kind), "awe");
    assert_string_equal(mm_page_state_str(MM_PAGE_AWE), "awe");
    /* The other frame: the one before it, allocated with it, not mapped. */
    mm_frame_backing(mm, k.frame - 1, &k);
    assert_int_equal(k.kind, MM_BACK_AWE);
    assert_int_equal(k.mappings, 0);
    pfn_says(mm, k.frame, (const char *const[]){ "Active", "flags awe", "owner main", "mapped by no PTE", NULL });
    scn_history_free(h);
}

static void backing__no_page__none_and_strings(void **state)
{
    (void)state;
    static const char text[] = "config layout=empty\n"
                               "a = VirtualAlloc(0x10000000, PAGE_SIZE, MEM_RESERVE, PAGE_READWRITE)\n";
    scn_history_t *h = run(text, sizeof text - 1);
    mm_t *mm = mm_of(h);
    mm_backing_t k;
    mm_page_backing(named(h, "main"), 0x10000000u, &k);
    assert_int_equal(k.kind, MM_BACK_NONE);
    assert_false(k.resident);
    mm_frame_backing(mm, mm_frame_count(mm), &k); /* past RAM */
    assert_int_equal(k.kind, MM_BACK_NONE);
    mm_frame_backing(mm, 0, &k); /* the kernel's */
    assert_int_equal(k.kind, MM_BACK_SYSTEM);
    assert_string_equal(mm_backing_kind_str(MM_BACK_PAGEFILE), "page-file section");
    assert_string_equal(mm_backing_kind_str((mm_backing_kind_t)99), "?");
    assert_string_equal(mm_page_state_str(MM_PAGE_FILE), "file");
    assert_string_equal(mm_page_state_str(MM_PAGE_SHARED), "shared");
    scn_history_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(image__two_instances__text_shared_data_copied),
        cmocka_unit_test(file__two_processes__one_frame_and_a_private_copy),
        cmocka_unit_test(pagefile_section__named_views__shared_then_alone),
        cmocka_unit_test(awe__mapped_and_not__own_kind),
        cmocka_unit_test(backing__no_page__none_and_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
