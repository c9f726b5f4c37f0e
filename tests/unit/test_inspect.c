/* sim.inspect: page, frame and slot states as front ends see them, and
 * sim.history's forward/back through the same scenarios. */
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

static scn_history_t *run(const char *text)
{
    scn_history_t *h;
    scn_error_t err;
    assert_int_equal(scn_history_open(NULL, text, strlen(text), &h, &err), PS_OK);
    scn_history_run_to(h, scn_history_count(h));
    assert_string_equal(scn_history_error(h), "");
    assert_int_equal(scn_history_done(h), scn_history_count(h));
    return h;
}

static mm_process_t *proc(scn_history_t *h)
{
    return mm_current(scn_runner_mm(scn_history_runner(h)));
}

static mm_page_state_t state_of(scn_history_t *h, uint32_t va)
{
    mm_page_info_t pi;
    mm_page_info(proc(h), va, &pi);
    uint8_t bulk;
    mm_page_states(proc(h), va >> 12, 1, &bulk);
    assert_int_equal(bulk, pi.state); /* the bulk walk agrees page by page */
    return pi.state;
}

static void page_states__each_kind__as_the_page_is(void **state)
{
    (void)state;
    scn_history_t *h = run("config layout=empty\n"
                           "a = VirtualAlloc(0x10000000, 8*PAGE_SIZE, MEM_RESERVE, PAGE_READWRITE)\n"
                           "VirtualAlloc(a, 4*PAGE_SIZE, MEM_COMMIT, PAGE_READWRITE)\n"
                           "VirtualAlloc(a + 4*PAGE_SIZE, PAGE_SIZE, MEM_COMMIT, PAGE_READWRITE|PAGE_GUARD)\n"
                           "write a \"x\"\n"
                           "read a + PAGE_SIZE 1\n"
                           "s = CreateFileMapping(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 2*PAGE_SIZE, NULL)\n"
                           "v = MapViewOfFile(s, FILE_MAP_WRITE, 0, 0, 0)\n"
                           "write v \"y\"\n"
                           "c = MapViewOfFile(s, FILE_MAP_COPY, 0, 0, 0)\n"
                           "read c 1\n");
    assert_int_equal(state_of(h, 0x10000000u), MM_PAGE_DIRTY);
    assert_int_equal(state_of(h, 0x10001000u), MM_PAGE_RESIDENT);
    assert_int_equal(state_of(h, 0x10002000u), MM_PAGE_COMMITTED);
    assert_int_equal(state_of(h, 0x10004000u), MM_PAGE_GUARD);
    assert_int_equal(state_of(h, 0x10005000u), MM_PAGE_RESERVED);
    assert_int_equal(state_of(h, 0x20000000u), MM_PAGE_FREE);
    assert_int_equal(state_of(h, 0x7FFF0000u), MM_PAGE_FREE);   /* the no-access region */
    assert_int_equal(state_of(h, 0x80000000u), MM_PAGE_SYSTEM);
    /* The page table of 0x10000000 (PDE 0x40) seen through the self-map. */
    assert_int_equal(state_of(h, MM_PTE_BASE + 0x40u * 4096u), MM_PAGE_PAGE_TABLE);
    assert_int_equal(state_of(h, MM_PTE_BASE + 0x41u * 4096u), MM_PAGE_SYSTEM);
    /* The views: the shared one, and a copy-on-write one not yet written. */
    mm_page_info_t pi;
    mm_mbi_t mbi;
    assert_int_equal(mm_virtual_query(proc(h), 0x10000000u, &mbi, NULL), 0);
    uint32_t v = 0, c = 0;
    mm_alloc_info_t ai;
    for (uint32_t i = 0; mm_alloc_at(proc(h), i, &ai); i++) {
        if (ai.type != 0x40000) continue;
        if (!v) v = ai.start;
        else c = ai.start;
    }
    assert_true(v && c);
    /* Both views map the section's one frame: it is shared. */
    assert_int_equal(state_of(h, v), MM_PAGE_SHARED);
    assert_int_equal(state_of(h, c), MM_PAGE_COPY_ON_WRITE);
    mm_page_info(proc(h), c, &pi);
    assert_true(pi.present);
    assert_int_equal(pi.type, 0x40000);
    assert_string_equal(mm_page_state_str(MM_PAGE_COPY_ON_WRITE), "copy-on-write");
    scn_history_free(h);
}

static void frames_and_slots__beyond_ram__owned_by_the_process(void **state)
{
    (void)state;
    scn_history_t *h = run("config ram=8M pagefile=16M policy=fifo layout=empty\n"
                           "a = VirtualAlloc(NULL, 8M, MEM_COMMIT, PAGE_READWRITE)\n"
                           "touch a 8M write\n"
                           "read a 1\n"); /* a hard fault: back in memory, the copy kept */
    mm_t *mm = scn_runner_mm(scn_history_runner(h));
    assert_int_equal(mm_frame_count(mm), 2048);
    uint32_t user = 0, kernel = 0, tables = 0;
    for (uint32_t f = 0; f < mm_frame_count(mm); f++) {
        mm_frame_info_t fi;
        mm_frame_info(mm, f, &fi);
        if (fi.kind == MM_FRAME_USER) {
            user++;
            assert_int_equal(fi.owner, 0);
        }
        kernel += fi.kind == MM_FRAME_KERNEL;
        tables += fi.kind == MM_FRAME_PAGE_TABLE;
    }
    assert_true(user > 0 && kernel > 0 && tables > 0);
    /* The pages that did not fit are in the page file, each slot naming its page. */
    uint32_t nslots = mm_slot_count(mm), used = 0, out = 0;
    assert_int_equal(nslots, 4096);
    static mm_slot_info_t si[4096];
    mm_slot_infos(mm, 1, nslots, si);
    for (uint32_t i = 0; i < nslots; i++) {
        if (!si[i].used) continue;
        used++;
        assert_int_equal(si[i].owner, 0);
        mm_page_info_t pi;
        mm_page_info(proc(h), si[i].va, &pi);
        if (pi.present) { /* back in memory, its copy kept */
            mm_frame_info_t fi;
            mm_frame_info(mm, pi.frame, &fi);
            assert_int_equal(fi.slot, i + 1);
            assert_int_equal(fi.va, si[i].va);
            continue;
        }
        assert_int_equal(pi.slot, i + 1);
        assert_int_equal(pi.state, MM_PAGE_COMMITTED);
        out++;
    }
    assert_int_equal(out + user, 2048);
    assert_true(used > out); /* the page read back still owns its slot */
    scn_history_free(h);
}

/* A long committed region with a different page here and there: the states
 * read in pieces of any size are the states read at once. */
static void page_states__in_pieces__same_as_at_once(void **state)
{
    (void)state;
    scn_history_t *h = run("config layout=empty\n"
                           "a = VirtualAlloc(0x10000000, 0x2000000, MEM_RESERVE, PAGE_READWRITE)\n"
                           "VirtualAlloc(a + 0x10000, 0x1800000, MEM_COMMIT, PAGE_READWRITE)\n"
                           "VirtualProtect(a + 0x800000, 0x3000, PAGE_READONLY)\n"
                           "VirtualProtect(a + 0x1234000, 0x1000, PAGE_READWRITE | PAGE_GUARD)\n"
                           "write a + 0x10000 \"x\"\n"
                           "write a + 0x17FF000 \"y\"\n");
    enum { FIRST = 0x0FFF0, COUNT = 0x2020 }; /* from below the reservation to past its end */
    static uint8_t whole[COUNT], piece[COUNT];
    mm_page_states(proc(h), FIRST, COUNT, whole);
    assert_int_equal(whole[0], MM_PAGE_FREE);
    assert_int_equal(whole[0x10], MM_PAGE_RESERVED);
    assert_int_equal(whole[0x20], MM_PAGE_DIRTY);
    assert_int_equal(whole[0x21], MM_PAGE_COMMITTED);
    assert_int_equal(whole[0x810], MM_PAGE_COMMITTED);
    assert_int_equal(whole[0x1244], MM_PAGE_GUARD);
    assert_int_equal(whole[0x180F], MM_PAGE_DIRTY);
    assert_int_equal(whole[0x181F], MM_PAGE_COMMITTED);
    assert_int_equal(whole[0x1820], MM_PAGE_RESERVED);
    assert_int_equal(whole[COUNT - 1], MM_PAGE_FREE);
    static const uint32_t sizes[] = { 1, 7, 1000, 4096 };
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        memset(piece, 0xFF, sizeof piece);
        for (uint32_t at = 0; at < COUNT; at += sizes[k])
            mm_page_states(proc(h), FIRST + at, at + sizes[k] <= COUNT ? sizes[k] : COUNT - at, piece + at);
        assert_memory_equal(piece, whole, COUNT);
    }
    scn_history_free(h);
}

static void history__run_to_and_back__results_stay_readable(void **state)
{
    (void)state;
    scn_history_t *h = run("a = VirtualAlloc(NULL, 4096, MEM_COMMIT, PAGE_READWRITE)\n"
                           "write a \"hello\"\n"
                           "read a 5\n");
    const scn_result_t *r = scn_history_result(h, 2);
    assert_non_null(r);
    assert_int_equal(r->nbytes, 5);
    assert_memory_equal(r->bytes, "hello", 5);
    assert_non_null(strstr(scn_history_text(h, 2), "68 65 6c 6c 6f"));
    scn_history_run_to(h, 1);
    assert_null(scn_history_result(h, 1));
    assert_string_equal(scn_history_text(h, 1), "");
    assert_true(scn_history_forward(h));
    assert_true(scn_history_back(h));
    assert_int_equal(scn_history_index_of_line(h, 2), 1);
    assert_int_equal(scn_history_index_of_line(h, 99), 3);
    scn_history_free(h);
}

static void history__bad_text_or_the_end__refused(void **state)
{
    (void)state;
    scn_history_t *h;
    scn_error_t err;
    const char text[] = "machine bare ram=4M\ncr3 = 0x100000\n";
    assert_int_equal(scn_history_open(NULL, "frob 1\n", 7, &h, &err), PS_EINVAL);
    assert_int_equal(err.line, 1);
    assert_int_equal(scn_history_open(NULL, text, sizeof text - 1, &h, &err), PS_OK);
    assert_true(scn_history_forward(h));
    assert_true(scn_history_forward(h));
    assert_false(scn_history_forward(h));
    assert_string_equal(scn_history_error(h), "");
    scn_history_free(h);
}

/* A scenario long enough for the history to thin its checkpoints many
 * times: every position it goes back to gives the same machine (its
 * invariants, its counters, its prose) as running straight there. */
static char *long_scenario(unsigned n, size_t *len)
{
    strbuf_t b;
    strbuf_init(&b, NULL);
    strbuf_puts(&b, "config ram=16M pagefile=16M layout=empty\na = VirtualAlloc(NULL, 16M, MEM_COMMIT, PAGE_READWRITE)\n");
    for (unsigned i = 0; i < n; i++) {
        if (i % 7 == 0) strbuf_puts(&b, "stats\n");
        else strbuf_printf(&b, "write a+%u 0x%02X\n", (i * 2654435761u) % (16u << 20), i & 0xFF);
    }
    *len = b.len;
    char *t = malloc(b.len + 1);
    memcpy(t, strbuf_str(&b), b.len + 1);
    strbuf_fini(&b);
    return t;
}

static void history__long_run__goes_back_to_the_same_machine(void **state)
{
    (void)state;
    size_t len;
    char *text = long_scenario(3000, &len);
    scn_history_t *h, *straight;
    scn_error_t err;
    assert_int_equal(scn_history_open(NULL, text, len, &h, &err), PS_OK);
    scn_history_run_to(h, scn_history_count(h));
    assert_string_equal(scn_history_error(h), "");
    static const size_t stops[] = { 2999, 1500, 8, 0, 2222, 2221, 2220, 64, 3001 };
    for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++) {
        size_t k = stops[i] < scn_history_count(h) ? stops[i] : scn_history_count(h);
        scn_history_run_to(h, k);
        assert_int_equal(scn_history_done(h), k);
        assert_int_equal(scn_history_open(NULL, text, len, &straight, &err), PS_OK);
        scn_history_run_to(straight, k);
        char msg[256];
        if (!scn_runner_check(scn_history_runner(h), msg, sizeof msg)) fail_msg("%s", msg);
        if (k) {
            assert_string_equal(scn_history_text(h, k - 1), scn_history_text(straight, k - 1));
            strbuf_t a, b;
            strbuf_init(&a, NULL);
            strbuf_init(&b, NULL);
            scn_format_json(&a, scn_history_result(h, k - 1));
            scn_format_json(&b, scn_history_result(straight, k - 1));
            assert_string_equal(strbuf_str(&a), strbuf_str(&b));
            strbuf_fini(&a);
            strbuf_fini(&b);
        }
        /* The next statement runs the same from both. */
        if (k < scn_history_count(h)) {
            assert_true(scn_history_forward(h));
            assert_true(scn_history_forward(straight));
            assert_string_equal(scn_history_text(h, k), scn_history_text(straight, k));
        }
        scn_history_free(straight);
    }
    scn_history_free(h);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(page_states__each_kind__as_the_page_is),
        cmocka_unit_test(frames_and_slots__beyond_ram__owned_by_the_process),
        cmocka_unit_test(page_states__in_pieces__same_as_at_once),
        cmocka_unit_test(history__run_to_and_back__results_stay_readable),
        cmocka_unit_test(history__bad_text_or_the_end__refused),
        cmocka_unit_test(history__long_run__goes_back_to_the_same_machine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
