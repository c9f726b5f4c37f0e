/* sim.mm_check: the invariant checker catches bookkeeping that drifted.
 * Each test builds a machine under memory pressure (resident pages, pages
 * in the page file, a page table, a section), checks that every invariant
 * holds, breaks one piece of bookkeeping on purpose (a counter bumped, a
 * PTE written behind mm_set_pte's back, a frame mapped twice, ...), and
 * expects mm_check to fail with a sentence naming the invariant and the
 * address; the damage undone, the check passes again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "mm_int.h"
#include "pagesim/phys.h"
#include "pagesim/winsdk.h"
#include "pagesim/x86.h"

#define BIG 0x10000000u    /* 8 MB committed and written: beyond RAM     */
#define SMALL 0x20000000u  /* 64 KB committed, never touched            */
#define LAST (BIG + (8u << 20) - 0x1000u) /* written last: in the TLB */

typedef struct fixture {
    mm_t *mm;
    mm_process_t *p;
    char msg[512];
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = test_calloc(1, sizeof *f);
    mm_config_t cfg;
    mm_config_default(&cfg);
    cfg.layout_empty = true;
    cfg.ram = 8u << 20;
    cfg.pagefile = 16u << 20;
    if (mm_new(NULL, &cfg, &f->mm) != PS_OK) return -1;
    f->p = mm_current(f->mm);
    uint32_t base, handle;
    if (mm_virtual_alloc(f->p, BIG, 8u << 20, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE, &base, NULL) ||
        mm_virtual_alloc(f->p, SMALL, 0x10000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE, &base, NULL) ||
        mm_create_section(f->p, PAGE_READWRITE, 0, 0x10000, "s", &handle, NULL))
        return -1;
    mm_access_t acc = { 0 };
    for (uint32_t va = BIG; va <= LAST; va += 0x1000)
        if (!mm_write8(f->p, va, (uint8_t)(va >> 12), &acc)) return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    mm_free(f->mm);
    test_free(f);
    return 0;
}

static void holds(fixture_t *f)
{
    if (!mm_check(f->mm, f->msg, sizeof f->msg)) fail_msg("an invariant is broken before the test: %s", f->msg);
}

/* mm_check fails, and its sentence holds each of the strings given. */
static void broken(fixture_t *f, const char *invariant, const char *where, const char *what)
{
    memset(f->msg, 0, sizeof f->msg);
    if (mm_check(f->mm, f->msg, sizeof f->msg)) fail_msg("mm_check passed; want '%s' broken", invariant);
    const char *want[] = { invariant, where, what };
    for (size_t i = 0; i < 3; i++)
        if (want[i] && !strstr(f->msg, want[i])) fail_msg("\"%s\" is not in: %s", want[i], f->msg);
}

static phys_t *ram(fixture_t *f) { return mmu_phys(mm_mmu(f->mm)); }

static uint32_t pte_addr(fixture_t *f, uint32_t va)
{
    return (mm_pde(f->p, va) & X86_FRAME_MASK) + X86_PTE_INDEX(va) * 4;
}

/* Writes a PTE the way no code may: straight into the page table. */
static void write_behind_the_door(fixture_t *f, uint32_t va, uint32_t pte)
{
    assert_int_equal(phys_write32(ram(f), pte_addr(f, va), pte), PS_OK);
}

/* A page of BIG in the state wanted: resident (P) or in the page file. */
static uint32_t page_of_big(fixture_t *f, bool resident)
{
    for (uint32_t va = BIG; va <= LAST; va += 0x1000) {
        uint32_t pte = mm_pte(f->p, va);
        if (resident ? (pte & X86_P) != 0 : !(pte & (X86_P | SPTE_TRANSITION)) && (pte >> SPTE_SLOT_SHIFT))
            return va;
    }
    fail_msg("no %s page", resident ? "resident" : "paged-out");
    return 0;
}

static void mm_check__untouched_machine__holds(void **state)
{
    fixture_t *f = *state;
    holds(f);
    mm_stats_t s;
    mm_stats(f->p, &s);
    assert_true(s.pagefile_writes > 0);
    assert_int_equal(s.free_frames, 0);
}

static void mm_check__working_set_counter_bumped__names_the_working_set(void **state)
{
    fixture_t *f = *state;
    holds(f);
    f->p->ws++;
    char what[96];
    snprintf(what, sizeof what, "%u valid user PTEs, the working set says %u", f->p->ws - 1, f->p->ws);
    broken(f, "invariant 'working set' broken", "in process main", what);
    f->p->ws--;
    holds(f);
}

static void mm_check__page_table_use_count_bumped__names_the_table(void **state)
{
    fixture_t *f = *state;
    holds(f);
    f->p->pt_used[X86_PDE_INDEX(SMALL)]++;
    broken(f, "invariant 'page tables' broken", "at 0x20000000 in process main",
           "the table has 16 non-zero entries, its use count says 17");
    f->p->pt_used[X86_PDE_INDEX(SMALL)]--;
    holds(f);
}

static void mm_check__pte_written_outside_every_allocation__names_the_page(void **state)
{
    fixture_t *f = *state;
    holds(f);
    uint32_t va = SMALL + 0x10000;  /* past the allocation, in its table */
    write_behind_the_door(f, va, spte_make(MM_READWRITE));
    f->p->pt_used[X86_PDE_INDEX(va)]++;
    broken(f, "invariant 'page tables' broken", "at 0x20010000 in process main", "outside every allocation");
    write_behind_the_door(f, va, 0);
    f->p->pt_used[X86_PDE_INDEX(va)]--;
    holds(f);
}

static void mm_check__frame_mapped_twice__names_the_second_page(void **state)
{
    fixture_t *f = *state;
    holds(f);
    uint32_t va = page_of_big(f, true), pte = mm_pte(f->p, va);
    uint32_t old = mm_pte(f->p, SMALL);
    write_behind_the_door(f, SMALL, pte);
    char what[96];
    snprintf(what, sizeof what, "frame 0x%05X is recorded for process 0 at 0x%08X", pte >> 12, va);
    broken(f, "invariant 'PFN database' broken", "at 0x20000000 in process main", what);
    write_behind_the_door(f, SMALL, old);
    holds(f);
}

static void mm_check__pfn_entry_names_another_page__names_the_page(void **state)
{
    fixture_t *f = *state;
    holds(f);
    uint32_t va = page_of_big(f, true), frame = mm_pte(f->p, va) >> 12;
    mm_pfn(f->mm, frame)->va += 0x1000;
    char where[64];
    snprintf(where, sizeof where, "at 0x%08X in process main", va);
    broken(f, "invariant 'PFN database' broken", where, "is recorded for process 0 at");
    mm_pfn(f->mm, frame)->va -= 0x1000;
    holds(f);
}

static void mm_check__free_count_bumped__names_the_free_list(void **state)
{
    fixture_t *f = *state;
    holds(f);
    f->mm->nfree++;
    broken(f, "invariant 'PFN database' broken", NULL, "0 frames on the free list, 1 counted");
    f->mm->nfree--;
    holds(f);
}

static void mm_check__resident_frame_left_out_of_the_policy__names_its_page(void **state)
{
    fixture_t *f = *state;
    holds(f);
    uint32_t va = page_of_big(f, true), frame = mm_pte(f->p, va) >> 12;
    uint8_t *in = &f->mm->repl.in[frame - f->mm->first_free_frame];
    assert_int_equal(*in, 1);
    *in = 0;
    char where[32], what[96];
    snprintf(where, sizeof where, "at 0x%08X", va);
    snprintf(what, sizeof what, "frame 0x%05X (resident) is not in the clock policy", frame);
    broken(f, "invariant 'replacement' broken", where, what);
    *in = 1;
    holds(f);
}

static void mm_check__pte_names_a_free_slot__names_the_page(void **state)
{
    fixture_t *f = *state;
    holds(f);
    uint32_t va = page_of_big(f, false), pte = mm_pte(f->p, va);
    uint32_t slot = 0;
    while (slot < f->mm->nslots && f->mm->slot_used[slot]) slot++;
    assert_true(slot < f->mm->nslots);
    write_behind_the_door(f, va, ((slot + 1) << SPTE_SLOT_SHIFT) | (pte & ((1u << SPTE_SLOT_SHIFT) - 1)));
    char where[64], what[64];
    snprintf(where, sizeof where, "at 0x%08X in process main", va);
    snprintf(what, sizeof what, "the PTE names slot %u, which is not in use", slot);
    broken(f, "invariant 'page-file slots' broken", where, what);
    write_behind_the_door(f, va, pte);
    holds(f);
}

static void mm_check__slot_in_use_without_a_page__names_the_slot(void **state)
{
    fixture_t *f = *state;
    holds(f);
    uint32_t slot = 0;
    while (slot < f->mm->nslots && f->mm->slot_used[slot]) slot++;
    assert_true(slot < f->mm->nslots);
    f->mm->slot_used[slot] = 1;
    f->mm->slots_used++;
    char what[64];
    snprintf(what, sizeof what, "slot %u is in use and named by 0 pages", slot);
    broken(f, "invariant 'page-file slots' broken", NULL, what);
    f->mm->slot_used[slot] = 0;
    f->mm->slots_used--;
    holds(f);
}

static void mm_check__process_charge_bumped__names_the_commit_charge(void **state)
{
    fixture_t *f = *state;
    holds(f);
    f->p->private_commit++;
    broken(f, "invariant 'commit charge' broken", "in process main",
           "2064 committed private pages, the process is charged 2065");
    f->p->private_commit--;
    f->mm->commit_pages++;
    broken(f, "invariant 'commit charge' broken", NULL, "the system charge is");
    f->mm->commit_pages--;
    holds(f);
}

static void mm_check__section_reference_bumped__names_the_section(void **state)
{
    fixture_t *f = *state;
    holds(f);
    assert_int_equal(f->mm->nsections, 1);
    f->mm->sections[0]->refs++;
    broken(f, "invariant 'sections' broken", NULL, "section 0 (\"s\") has 1 handles and views, its count says 2");
    f->mm->sections[0]->refs--;
    holds(f);
}

static void mm_check__stale_gap_in_the_vad_tree__names_the_allocation(void **state)
{
    fixture_t *f = *state;
    holds(f);
    vad_t *v = vad_find(&f->p->vads, SMALL);
    assert_non_null(v);
    v->gap += 0x10000;
    broken(f, "VAD tree", "at the allocation 0x20000000-0x2000FFFF", "a stale gap");
    v->gap -= 0x10000;
    holds(f);
}

/* The page written last is in the TLB, writable and dirty: a PTE made
 * read-only with no invalidation leaves a stale translation. */
static void mm_check__pte_changed_without_invalidation__names_the_cached_page(void **state)
{
    fixture_t *f = *state;
    holds(f);
    uint32_t pte = mm_pte(f->p, LAST);
    assert_true(pte & X86_P);
    write_behind_the_door(f, LAST, pte & ~(uint32_t)X86_RW);
    broken(f, "invariant 'TLB' broken", "at 0x107FF000 in process main", "a cached translation to");
    write_behind_the_door(f, LAST, pte);
    holds(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(mm_check__untouched_machine__holds, setup, teardown),
        cmocka_unit_test_setup_teardown(mm_check__working_set_counter_bumped__names_the_working_set, setup, teardown),
        cmocka_unit_test_setup_teardown(mm_check__page_table_use_count_bumped__names_the_table, setup, teardown),
        cmocka_unit_test_setup_teardown(mm_check__pte_written_outside_every_allocation__names_the_page, setup, teardown),
        cmocka_unit_test_setup_teardown(mm_check__frame_mapped_twice__names_the_second_page, setup, teardown),
        cmocka_unit_test_setup_teardown(mm_check__pfn_entry_names_another_page__names_the_page, setup, teardown),
        cmocka_unit_test_setup_teardown(mm_check__free_count_bumped__names_the_free_list, setup, teardown),
        cmocka_unit_test_setup_teardown(mm_check__resident_frame_left_out_of_the_policy__names_its_page, setup, teardown),
        cmocka_unit_test_setup_teardown(mm_check__pte_names_a_free_slot__names_the_page, setup, teardown),
        cmocka_unit_test_setup_teardown(mm_check__slot_in_use_without_a_page__names_the_slot, setup, teardown),
        cmocka_unit_test_setup_teardown(mm_check__process_charge_bumped__names_the_commit_charge, setup, teardown),
        cmocka_unit_test_setup_teardown(mm_check__section_reference_bumped__names_the_section, setup, teardown),
        cmocka_unit_test_setup_teardown(mm_check__stale_gap_in_the_vad_tree__names_the_allocation, setup, teardown),
        cmocka_unit_test_setup_teardown(mm_check__pte_changed_without_invalidation__names_the_cached_page, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
