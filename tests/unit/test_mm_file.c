/* sim.mm_file: the simulated file system and file-backed sections through
 * the memory manager's API: CreateFile's dispositions and sharing, ReadFile
 * and WriteFile, sizes, CreateFileMapping's size and protection rules, hard
 * faults from the file, write-back on flush, unmap and eviction, the one
 * frame a file page has, copy-on-write views, and the invariant check after
 * each step. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "failing_alloc.h"
#include "pagesim/mm.h"
#include "pagesim/winsdk.h"
#include "mm_int.h" /* the invariant test breaks the file cache on purpose */

typedef struct fixture {
    mm_t *mm;
    mm_process_t *p;
} fixture_t;

static fixture_t setup(uint64_t ram)
{
    mm_config_t cfg;
    mm_config_default(&cfg);
    cfg.layout_empty = true;
    if (ram) cfg.ram = ram;
    fixture_t f;
    assert_int_equal(mm_new(NULL, &cfg, &f.mm), PS_OK);
    f.p = mm_current(f.mm);
    return f;
}

static void check(const fixture_t *f)
{
    char msg[256];
    if (!mm_check(f->mm, msg, sizeof msg)) fail_msg("%s", msg);
}

static uint32_t open_file(fixture_t *f, const char *name, uint32_t access, uint32_t share, uint32_t disp)
{
    uint32_t h = 0;
    assert_int_equal(mm_create_file(f->p, name, access, share, disp, FILE_ATTRIBUTE_NORMAL, &h, NULL), 0);
    return h;
}

static void put(fixture_t *f, uint32_t h, uint32_t pos, const char *s)
{
    uint32_t at, done;
    assert_int_equal(mm_set_file_pointer(f->p, h, (int32_t)pos, FILE_BEGIN, &at, NULL), 0);
    assert_int_equal(mm_write_file(f->p, h, (const uint8_t *)s, (uint32_t)strlen(s), &done, NULL), 0);
    assert_int_equal(done, strlen(s));
}

static void get(fixture_t *f, uint32_t h, uint32_t pos, uint8_t *buf, uint32_t n)
{
    uint32_t at, done;
    assert_int_equal(mm_set_file_pointer(f->p, h, (int32_t)pos, FILE_BEGIN, &at, NULL), 0);
    assert_int_equal(mm_read_file(f->p, h, buf, n, &done, NULL), 0);
    assert_int_equal(done, n);
}

static uint32_t map(fixture_t *f, uint32_t fh, uint32_t protect, uint32_t size, uint32_t access, uint32_t *section)
{
    uint32_t s = 0, v = 0;
    assert_int_equal(mm_create_file_mapping(f->p, fh, protect, 0, size, NULL, &s, NULL), 0);
    assert_int_equal(mm_map_view(f->p, s, access, 0, 0, 0, 0, &v, NULL), 0);
    if (section) *section = s;
    return v;
}

static void store(fixture_t *f, uint32_t va, const char *s)
{
    mm_access_t acc = { 0 };
    for (size_t i = 0; s[i]; i++) assert_true(mm_write8(f->p, va + (uint32_t)i, (uint8_t)s[i], &acc));
}

static uint8_t load(fixture_t *f, uint32_t va)
{
    mm_access_t acc = { 0 };
    uint8_t v = 0xEE;
    assert_true(mm_read8(f->p, va, &v, &acc));
    return v;
}

static mm_stats_t stats(fixture_t *f)
{
    mm_stats_t s;
    mm_stats(f->p, &s);
    return s;
}

static void files__dispositions__give_the_windows_errors(void **state)
{
    (void)state;
    fixture_t f = setup(0);
    uint32_t h;
    assert_int_equal(mm_create_file(f.p, "x.bin", GENERIC_READ, 0, OPEN_EXISTING, 0, &h, NULL), ERROR_FILE_NOT_FOUND);
    uint32_t a = open_file(&f, "x.bin", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, CREATE_NEW);
    assert_int_equal(mm_create_file(f.p, "X.BIN", GENERIC_READ, FILE_SHARE_READ, CREATE_NEW, 0, &h, NULL),
                     ERROR_FILE_EXISTS);
    assert_int_equal(mm_create_file(f.p, "y.bin", GENERIC_WRITE, 0, TRUNCATE_EXISTING, 0, &h, NULL),
                     ERROR_FILE_NOT_FOUND);
    assert_int_equal(mm_create_file(f.p, "x.bin", GENERIC_READ, FILE_SHARE_READ, OPEN_EXISTING, 0, &h, NULL),
                     ERROR_SHARING_VIOLATION);
    assert_int_equal(mm_close_handle(f.p, a, NULL), 0);
    assert_int_equal(mm_create_file(f.p, "x.bin", GENERIC_READ, 0, OPEN_EXISTING, 0, &h, NULL), 0);
    check(&f);
    mm_free(f.mm);
}

static void files__sharing__an_open_without_data_access_is_not_checked(void **state)
{
    (void)state;
    fixture_t f = setup(0);
    open_file(&f, "s.bin", GENERIC_READ | GENERIC_WRITE, 0, CREATE_ALWAYS);
    uint32_t h;
    assert_int_equal(mm_create_file(f.p, "s.bin", 0, 0, OPEN_EXISTING, 0, &h, NULL), 0);
    assert_int_equal(mm_create_file(f.p, "s.bin", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING, 0,
                                    &h, NULL), ERROR_SHARING_VIOLATION);
    mm_free(f.mm);
}

static void files__write_past_the_end__grows_the_file_with_zeros(void **state)
{
    (void)state;
    fixture_t f = setup(0);
    uint32_t h = open_file(&f, "g.bin", GENERIC_READ | GENERIC_WRITE, 0, CREATE_ALWAYS);
    put(&f, h, 0x3000, "end");
    uint32_t size = 0;
    assert_int_equal(mm_get_file_size(f.p, h, &size, NULL), 0);
    assert_int_equal(size, 0x3003);
    uint8_t buf[4];
    get(&f, h, 0x1000, buf, 4);
    assert_memory_equal(buf, "\0\0\0\0", 4);
    uint32_t at, done;
    assert_int_equal(mm_set_file_pointer(f.p, h, 0, FILE_END, &at, NULL), 0);
    assert_int_equal(mm_read_file(f.p, h, buf, 4, &done, NULL), 0);
    assert_int_equal(done, 0);
    assert_int_equal(mm_set_file_pointer(f.p, h, -1, FILE_BEGIN, &at, NULL), ERROR_NEGATIVE_SEEK);
    mm_free(f.mm);
}

static void mapping__size_and_protection__follow_the_file(void **state)
{
    (void)state;
    fixture_t f = setup(0);
    uint32_t rw = open_file(&f, "m.bin", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, CREATE_ALWAYS);
    uint32_t ro = open_file(&f, "m.bin", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING);
    uint32_t s, size;
    assert_int_equal(mm_create_file_mapping(f.p, rw, PAGE_READWRITE, 0, 0, NULL, &s, NULL), ERROR_FILE_INVALID);
    assert_int_equal(mm_create_file_mapping(f.p, ro, PAGE_READWRITE, 0, 0x1000, NULL, &s, NULL), ERROR_ACCESS_DENIED);
    assert_int_equal(mm_create_file_mapping(f.p, ro, PAGE_READONLY, 0, 0x1000, NULL, &s, NULL), ERROR_NOT_ENOUGH_MEMORY);
    assert_int_equal(mm_create_file_mapping(f.p, rw, PAGE_EXECUTE_READ, 0, 0x1000, NULL, &s, NULL),
                     ERROR_ACCESS_DENIED);
    assert_int_equal(mm_create_file_mapping(f.p, rw, PAGE_WRITECOPY, 0, 0x1000, NULL, &s, NULL),
                     ERROR_NOT_ENOUGH_MEMORY);
    /* A writable section extends the file; nothing is charged for it. */
    mm_stats_t before = stats(&f);
    assert_int_equal(mm_create_file_mapping(f.p, rw, PAGE_READWRITE, 0, 0x2800, NULL, &s, NULL), 0);
    assert_int_equal(stats(&f).commit_charge, before.commit_charge);
    assert_int_equal(mm_get_file_size(f.p, ro, &size, NULL), 0);
    assert_int_equal(size, 0x2800);
    /* The file cannot end before the section does. */
    uint32_t at;
    assert_int_equal(mm_set_file_pointer(f.p, rw, 0x1000, FILE_BEGIN, &at, NULL), 0);
    assert_int_equal(mm_set_end_of_file(f.p, rw, NULL), ERROR_USER_MAPPED_FILE);
    check(&f);
    mm_free(f.mm);
}

static void view__first_touch__is_a_hard_fault_from_the_file(void **state)
{
    (void)state;
    fixture_t f = setup(0);
    uint32_t h = open_file(&f, "h.bin", GENERIC_READ | GENERIC_WRITE, 0, CREATE_ALWAYS);
    put(&f, h, 0, "abc");
    put(&f, h, 0x1000, "def");
    uint32_t v = map(&f, h, PAGE_READONLY, 0, FILE_MAP_READ, NULL);
    mm_mbi_t m;
    assert_int_equal(mm_virtual_query(f.p, v, &m, NULL), 0);
    assert_int_equal(m.Type, MEM_MAPPED);
    assert_int_equal(m.RegionSize, 0x2000);
    assert_int_equal(load(&f, v + 1), 'b');
    assert_int_equal(load(&f, v + 0x1002), 'f');
    assert_int_equal(load(&f, v + 2), 'c');
    mm_stats_t s = stats(&f);
    assert_int_equal(s.hard_faults, 2);
    assert_int_equal(s.file_reads, 2);
    assert_int_equal(s.pagefile_reads, 0);
    check(&f);
    mm_free(f.mm);
}

static void view__writes__are_read_by_readfile_and_kept_after_unmap(void **state)
{
    (void)state;
    fixture_t f = setup(0);
    uint32_t h = open_file(&f, "w.bin", GENERIC_READ | GENERIC_WRITE, 0, CREATE_ALWAYS);
    uint32_t s;
    uint32_t v = map(&f, h, PAGE_READWRITE, 0x3000, FILE_MAP_WRITE, &s);
    store(&f, v + 0x1000, "view");
    uint8_t buf[4];
    get(&f, h, 0x1000, buf, 4);
    assert_memory_equal(buf, "view", 4);
    assert_int_equal(stats(&f).file_writes, 0);
    assert_int_equal(mm_flush_view(f.p, v, 0, NULL), 0);
    assert_int_equal(stats(&f).file_writes, 1);
    /* Flushing again writes nothing: the page is clean. */
    assert_int_equal(mm_flush_view(f.p, v, 0, NULL), 0);
    assert_int_equal(stats(&f).file_writes, 1);
    store(&f, v + 0x2000, "more");
    assert_int_equal(mm_unmap_view(f.p, v, NULL), 0);
    assert_int_equal(stats(&f).file_writes, 2);
    check(&f);
    assert_int_equal(mm_close_handle(f.p, s, NULL), 0);
    uint32_t r = map(&f, h, PAGE_READONLY, 0, FILE_MAP_READ, NULL);
    assert_int_equal(load(&f, r + 0x2001), 'o');
    check(&f);
    mm_free(f.mm);
}

static void view__two_processes__map_the_one_frame_of_a_file_page(void **state)
{
    (void)state;
    fixture_t f = setup(0);
    uint32_t h = open_file(&f, "t.bin", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, CREATE_ALWAYS);
    uint32_t v = map(&f, h, PAGE_READWRITE, 0x1000, FILE_MAP_WRITE, NULL);
    store(&f, v, "A");
    mm_process_t *b;
    assert_int_equal(mm_process_create(f.mm, "b", NULL, &b), PS_OK);
    mm_switch(f.mm, b);
    fixture_t g = { f.mm, b };
    uint32_t hb = open_file(&g, "t.bin", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, OPEN_EXISTING);
    uint32_t vb = map(&g, hb, PAGE_READWRITE, 0, FILE_MAP_WRITE, NULL);
    assert_int_equal(load(&g, vb), 'A');
    store(&g, vb, "B");
    assert_int_equal(stats(&g).file_reads, 1);
    assert_int_equal(stats(&g).soft_faults, 1);
    check(&g);
    mm_switch(f.mm, f.p);
    assert_int_equal(load(&f, v), 'B');
    check(&f);
    mm_free(f.mm);
}

static void view__copy_on_write__never_reaches_the_file(void **state)
{
    (void)state;
    fixture_t f = setup(0);
    uint32_t h = open_file(&f, "c.bin", GENERIC_READ | GENERIC_WRITE, 0, CREATE_ALWAYS);
    put(&f, h, 0, "file");
    uint32_t v = map(&f, h, PAGE_WRITECOPY, 0, FILE_MAP_COPY, NULL);
    store(&f, v, "COW!");
    mm_mbi_t m;
    assert_int_equal(mm_virtual_query(f.p, v, &m, NULL), 0);
    assert_int_equal(m.Protect, PAGE_READWRITE);
    assert_int_equal(stats(&f).cow_faults, 1);
    assert_int_equal(mm_flush_view(f.p, v, 0, NULL), 0);
    assert_int_equal(mm_unmap_view(f.p, v, NULL), 0);
    uint8_t buf[4];
    get(&f, h, 0, buf, 4);
    assert_memory_equal(buf, "file", 4);
    assert_int_equal(stats(&f).file_writes, 0);
    check(&f);
    mm_free(f.mm);
}

static void eviction__writes_file_pages_to_their_file(void **state)
{
    (void)state;
    fixture_t f = setup(8u << 20);
    uint32_t h = open_file(&f, "e.bin", GENERIC_READ | GENERIC_WRITE, 0, CREATE_ALWAYS);
    uint32_t v = map(&f, h, PAGE_READWRITE, 12u << 20, FILE_MAP_WRITE, NULL);
    mm_access_t acc = { 0 };
    for (uint32_t off = 0; off < (12u << 20); off += 0x1000)
        assert_true(mm_write8(f.p, v + off, (uint8_t)(off >> 12), &acc));
    check(&f);
    mm_stats_t s = stats(&f);
    assert_true(s.file_writes > 0);
    assert_int_equal(s.pagefile_writes, 0);
    for (uint32_t off = 0; off < (12u << 20); off += 0x1000) assert_int_equal(load(&f, v + off), (uint8_t)(off >> 12));
    uint8_t b;
    get(&f, h, 0x5000, &b, 1);
    assert_int_equal(b, 5);
    check(&f);
    mm_free(f.mm);
}

static void files__clone__keeps_the_file_system(void **state)
{
    (void)state;
    fixture_t f = setup(0);
    uint32_t h = open_file(&f, "k.bin", GENERIC_READ | GENERIC_WRITE, 0, CREATE_ALWAYS);
    uint32_t v = map(&f, h, PAGE_READWRITE, 0x1000, FILE_MAP_WRITE, NULL);
    store(&f, v, "one");
    mm_t *c = mm_clone(f.mm);
    assert_non_null(c);
    store(&f, v, "two");
    fixture_t g = { c, mm_current(c) };
    assert_int_equal(load(&g, v), 'o');
    check(&g);
    mm_free(c);
    mm_free(f.mm);
}

static void files__allocation_failures__never_crash(void **state)
{
    (void)state;
    for (long n = 0; n < 80; n++) {
        failing_alloc_t fa;
        failing_alloc_init(&fa, n);
        mm_config_t cfg;
        mm_config_default(&cfg);
        cfg.layout_empty = true;
        mm_t *mm = NULL;
        if (mm_new(&fa.alloc, &cfg, &mm) == PS_OK) {
            mm_process_t *p = mm_current(mm);
            uint32_t h = 0, s = 0, v = 0, done;
            if (!mm_create_file(p, "f.bin", GENERIC_READ | GENERIC_WRITE, 0, CREATE_ALWAYS, 0, &h, NULL)) {
                (void)mm_write_file(p, h, (const uint8_t *)"data", 4, &done, NULL);
                if (!mm_create_file_mapping(p, h, PAGE_READWRITE, 0, 0x4000, NULL, &s, NULL) &&
                    !mm_map_view(p, s, FILE_MAP_WRITE, 0, 0, 0, 0, &v, NULL)) {
                    mm_access_t acc = { 0 };
                    (void)mm_write8(p, v, 1, &acc);
                }
            }
            mm_free(mm);
        }
        assert_int_equal(fa.live, 0);
    }
}

static void check__a_file_page_in_two_frames__is_caught(void **state)
{
    (void)state;
    fixture_t f = setup(0);
    uint32_t h = open_file(&f, "i.bin", GENERIC_READ | GENERIC_WRITE, 0, CREATE_ALWAYS);
    uint32_t v = map(&f, h, PAGE_READWRITE, 0x2000, FILE_MAP_WRITE, NULL);
    store(&f, v, "x");
    store(&f, v + 0x1000, "y");
    check(&f);
    ps_file_t *file = f.mm->files[0];
    uint32_t keep = file->cache[1];
    file->cache[1] = file->cache[0]; /* page 1 said to be in page 0's frame */
    char msg[256];
    assert_false(mm_check(f.mm, msg, sizeof msg));
    assert_non_null(strstr(msg, "files"));
    file->cache[1] = keep;
    check(&f);
    mm_free(f.mm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(files__dispositions__give_the_windows_errors),
        cmocka_unit_test(files__sharing__an_open_without_data_access_is_not_checked),
        cmocka_unit_test(files__write_past_the_end__grows_the_file_with_zeros),
        cmocka_unit_test(mapping__size_and_protection__follow_the_file),
        cmocka_unit_test(view__first_touch__is_a_hard_fault_from_the_file),
        cmocka_unit_test(view__writes__are_read_by_readfile_and_kept_after_unmap),
        cmocka_unit_test(view__two_processes__map_the_one_frame_of_a_file_page),
        cmocka_unit_test(view__copy_on_write__never_reaches_the_file),
        cmocka_unit_test(eviction__writes_file_pages_to_their_file),
        cmocka_unit_test(files__clone__keeps_the_file_system),
        cmocka_unit_test(files__allocation_failures__never_crash),
        cmocka_unit_test(check__a_file_page_in_two_frames__is_caught),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
