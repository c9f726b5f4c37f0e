/* sim.quiz: the questions of a statement and their answers, checked against
 * the simulator's own results for the same statement; answers read in the
 * usual forms; generated exercises valid and reproducible. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "failing_alloc.h"
#include "pagesim/format.h"
#include "pagesim/inspect.h"
#include "pagesim/quiz.h"
#include "pagesim/scn.h"
#include "pagesim/winsdk.h"
#include "source_file.h"

typedef struct run {
    scn_script_t *s;
    scn_runner_t *r;
} run_t;

static void open_text(run_t *t, const char *text, size_t len)
{
    scn_error_t err;
    if (scn_parse(NULL, text, len, &t->s, &err) != PS_OK) fail_msg("%u:%u: %s", err.line, err.col, err.msg);
    assert_int_equal(scn_runner_new(NULL, t->s, &t->r), PS_OK);
}

static void close_run(run_t *t)
{
    scn_runner_free(t->r);
    scn_script_free(t->s);
}

/* Asks the next statement's questions, then steps the runner itself:
 * *res is the runner's own result for the statement asked about. */
static void ask_and_step(run_t *t, quiz_set_t *set, scn_result_t *res)
{
    assert_int_equal(quiz_ask(t->r, set), PS_OK);
    scn_error_t err;
    assert_int_equal(scn_step(t->r, res, &err), SCN_STEP_OK);
}

static const quiz_question_t *find(const quiz_set_t *set, const char *id)
{
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->q[i].id, id) == 0) return &set->q[i];
    return NULL;
}

static uint32_t answer(const quiz_set_t *set, const char *id)
{
    const quiz_question_t *q = find(set, id);
    if (!q) fail_msg("no question '%s'", id);
    return q->answer;
}

/* Runs the statements before index i. */
static void skip_to(run_t *t, size_t i)
{
    scn_result_t res;
    scn_error_t err;
    while (scn_runner_position(t->r) < i) assert_int_equal(scn_step(t->r, &res, &err), SCN_STEP_OK);
}

static void quiz__seed001_walk__answers_are_the_walk_record(void **state)
{
    (void)state;
    size_t len;
    char *text = source_file("scenarios/hardware/seed001-worked-walk.scn", &len);
    run_t t;
    open_text(&t, text, len);
    skip_to(&t, 4);
    quiz_set_t set;
    scn_result_t res;
    ask_and_step(&t, &set, &res);
    assert_true(res.has & SCN_HAS_WALK);
    const mmu_walk_t *w = &res.walk;
    assert_int_equal(answer(&set, "dir_index"), w->level[0].index);
    assert_int_equal(answer(&set, "dir_index"), 0x48);
    assert_int_equal(answer(&set, "table_index"), w->level[1].index);
    assert_int_equal(answer(&set, "offset"), w->phys - w->frame);
    assert_int_equal(answer(&set, "pde_addr"), w->level[0].entry_addr);
    assert_int_equal(answer(&set, "pte_addr"), w->level[1].entry_addr);
    assert_int_equal(answer(&set, "pde_present"), 1);
    assert_int_equal(answer(&set, "pte_present"), 1);
    assert_int_equal(answer(&set, "tlb"), w->tlb == MMU_TLB_HIT);
    assert_int_equal(answer(&set, "fault"), 0);
    assert_int_equal(answer(&set, "phys"), w->phys);
    assert_int_equal(answer(&set, "phys"), 0x40000678);
    assert_int_equal(answer(&set, "ad_set"), (w->set_accessed ? 1u : 0u) | (w->set_dirty ? 2u : 0u));
    assert_null(find(&set, "error_code"));
    assert_non_null(strstr(find(&set, "pde_addr")->explain, "0x00100120"));
    close_run(&t);
    free(text);
}

static void quiz__faulting_walk__asks_for_the_error_code(void **state)
{
    (void)state;
    static const char text[] = "machine bare ram=16M\ncr3 = 0x1000\npoke32 0x1000 0x2007\npoke32 0x2004 0x5005\n"
                               "translate 0x1000 write user\ntranslate 0x1000 read user\ntranslate 0x1000 read user\n";
    run_t t;
    open_text(&t, text, sizeof text - 1);
    skip_to(&t, 4);
    quiz_set_t set;
    scn_result_t res;
    ask_and_step(&t, &set, &res);
    assert_int_equal(answer(&set, "fault"), 1);
    assert_int_equal(answer(&set, "error_code"), res.walk.error_code);
    assert_int_equal(answer(&set, "error_code"), 7); /* P=1 W/R=1 U/S=1 */
    assert_null(find(&set, "phys"));
    ask_and_step(&t, &set, &res);
    assert_int_equal(answer(&set, "tlb"), 0);
    ask_and_step(&t, &set, &res);
    assert_int_equal(answer(&set, "tlb"), 1); /* the read before cached it */
    assert_int_equal(res.walk.tlb, MMU_TLB_HIT);
    close_run(&t);
}

static void quiz__win32_calls__answers_are_the_calls_results(void **state)
{
    (void)state;
    static const char text[] = "config layout=empty\n"
                               "a = VirtualAlloc(0x00123456, 0x1800, MEM_RESERVE|MEM_COMMIT, PAGE_READWRITE)\n"
                               "VirtualFree(a, 0x1000, MEM_RELEASE)\n"
                               "VirtualProtect(a, 1, PAGE_READONLY)\n"
                               "VirtualQuery(a + 0x1000)\n"
                               "write a 1\n";
    run_t t;
    open_text(&t, text, sizeof text - 1);
    skip_to(&t, 1);
    quiz_set_t set;
    scn_result_t res;
    ask_and_step(&t, &set, &res);
    assert_int_equal(answer(&set, "ok"), 1);
    assert_int_equal(answer(&set, "ret"), res.ret);
    assert_int_equal(answer(&set, "ret"), 0x00120000);
    mm_stats_t st;
    mm_stats(mm_current(scn_runner_mm(t.r)), &st);
    assert_int_equal(answer(&set, "commit_charge"), (uint32_t)st.commit_charge);
    mm_mbi_t m;
    assert_int_equal(mm_virtual_query(mm_current(scn_runner_mm(t.r)), res.ret, &m, NULL), 0);
    assert_int_equal(answer(&set, "state"), m.State);
    assert_int_equal(answer(&set, "protect"), PAGE_READWRITE);
    assert_int_equal(answer(&set, "region_size"), m.RegionSize);
    ask_and_step(&t, &set, &res);
    assert_int_equal(answer(&set, "ok"), 0);
    assert_int_equal(answer(&set, "error"), res.error);
    assert_int_equal(answer(&set, "error"), ERROR_INVALID_PARAMETER);
    ask_and_step(&t, &set, &res);
    assert_int_equal(answer(&set, "old_protect"), res.old);
    ask_and_step(&t, &set, &res);
    assert_int_equal(answer(&set, "state"), res.mbi.State);
    assert_int_equal(answer(&set, "region_size"), res.mbi.RegionSize);
    ask_and_step(&t, &set, &res);
    assert_int_equal(answer(&set, "exception"), res.exc.code);
    assert_int_equal(answer(&set, "exception"), EXCEPTION_ACCESS_VIOLATION);
    close_run(&t);
}

static void quiz__working_set_limit__names_the_page_the_policy_evicts(void **state)
{
    (void)state;
    static const char text[] = "config ram=64M pagefile=64M policy=fifo layout=empty wsmax=3\n"
                               "a = VirtualAlloc(0x00400000, 0x8000, MEM_RESERVE|MEM_COMMIT, PAGE_READWRITE)\n"
                               "touch a 0x3000 write\ntouch a+0x3000 1 read\n";
    run_t t;
    open_text(&t, text, sizeof text - 1);
    skip_to(&t, 2);
    quiz_set_t set;
    scn_result_t res;
    ask_and_step(&t, &set, &res);
    assert_int_equal(answer(&set, "resident"), 3);
    assert_int_equal(answer(&set, "evicted_page"), 0); /* none */
    assert_int_equal(answer(&set, "exception"), 0);
    mm_page_info_t before, after;
    mm_page_info(mm_current(scn_runner_mm(t.r)), 0x00400000, &before);
    ask_and_step(&t, &set, &res);
    uint32_t page = answer(&set, "evicted_page");
    assert_int_equal(page, 0x00400000); /* FIFO: the oldest */
    mm_page_info(mm_current(scn_runner_mm(t.r)), page, &after);
    assert_true(before.present);
    assert_false(after.present);
    close_run(&t);
}

static void reads_as(quiz_type_t t, const char *text, uint32_t want)
{
    uint32_t v = 0xDEADBEEF;
    char why[200];
    if (!quiz_parse(t, text, &v, why, sizeof why)) fail_msg("'%s' as %s: %s", text, quiz_type_str(t), why);
    if (v != want) fail_msg("'%s' as %s: 0x%X, wanted 0x%X", text, quiz_type_str(t), v, want);
}

static void refused(quiz_type_t t, const char *text)
{
    uint32_t v;
    char why[200];
    if (quiz_parse(t, text, &v, why, sizeof why)) fail_msg("'%s' read as %s 0x%X", text, quiz_type_str(t), v);
}

static void quiz__answers__are_read_in_the_usual_forms(void **state)
{
    (void)state;
    reads_as(QUIZ_NUMBER, "72", 72);
    reads_as(QUIZ_NUMBER, "0x48", 72);
    reads_as(QUIZ_NUMBER, " 48h ", 72);
    reads_as(QUIZ_NUMBER, "0b1001000", 72);
    reads_as(QUIZ_NUMBER, "1001000b", 72);
    reads_as(QUIZ_NUMBER, "3ff", 0x3FF);
    reads_as(QUIZ_NUMBER, "64K", 0x10000);
    reads_as(QUIZ_ADDRESS, "40000678", 0x40000678);
    reads_as(QUIZ_ADDRESS, "0x40000678", 0x40000678);
    reads_as(QUIZ_ADDRESS, "0X40000678", 0x40000678);
    reads_as(QUIZ_PF_CODE, "0b101", 5);
    reads_as(QUIZ_PF_CODE, "101b", 5);
    reads_as(QUIZ_PF_CODE, "5", 5);
    reads_as(QUIZ_BOOL, "Yes", 1);
    reads_as(QUIZ_BOOL, "false", 0);
    reads_as(QUIZ_BOOL, "n", 0);
    reads_as(QUIZ_TLB, "HIT", 1);
    reads_as(QUIZ_TLB, "miss", 0);
    reads_as(QUIZ_AD, "A and D", 3);
    reads_as(QUIZ_AD, "a", 1);
    reads_as(QUIZ_AD, "none", 0);
    reads_as(QUIZ_PROTECT, "PAGE_READWRITE", PAGE_READWRITE);
    reads_as(QUIZ_PROTECT, "page_readwrite|PAGE_GUARD", PAGE_READWRITE | PAGE_GUARD);
    reads_as(QUIZ_PROTECT, "readonly", PAGE_READONLY);
    reads_as(QUIZ_PROTECT, "0x04", PAGE_READWRITE);
    reads_as(QUIZ_STATE, "MEM_COMMIT", MEM_COMMIT);
    reads_as(QUIZ_STATE, "reserved", MEM_RESERVE);
    reads_as(QUIZ_ERROR, "ERROR_INVALID_ADDRESS", ERROR_INVALID_ADDRESS);
    reads_as(QUIZ_ERROR, "487", ERROR_INVALID_ADDRESS);
    reads_as(QUIZ_ERROR, "invalid_parameter", ERROR_INVALID_PARAMETER);
    reads_as(QUIZ_EXCEPTION, "EXCEPTION_ACCESS_VIOLATION", EXCEPTION_ACCESS_VIOLATION);
    reads_as(QUIZ_EXCEPTION, "none", 0);
    reads_as(QUIZ_EXCEPTION, "0xC0000005", EXCEPTION_ACCESS_VIOLATION);
    reads_as(QUIZ_EXCEPTION, "STATUS_GUARD_PAGE_VIOLATION", STATUS_GUARD_PAGE_VIOLATION);
    reads_as(QUIZ_RESOLUTION, "demand zero", MM_RES_DEMAND_ZERO);
    reads_as(QUIZ_RESOLUTION, "pagefile", MM_RES_PAGEFILE);
    refused(QUIZ_NUMBER, "");
    refused(QUIZ_NUMBER, "0x1FFFFFFFF");
    refused(QUIZ_ADDRESS, "0xZZ");
    refused(QUIZ_BOOL, "maybe");
    refused(QUIZ_TLB, "yes");
    refused(QUIZ_PROTECT, "PAGE_READWRTE");
    refused(QUIZ_STATE, "commited-ish");
}

static void quiz__wrong_address__names_the_wrong_bits(void **state)
{
    (void)state;
    quiz_question_t q;
    memset(&q, 0, sizeof q);
    q.type = QUIZ_ADDRESS;
    q.answer = 0x40000678;
    quiz_verdict_t v;
    quiz_check(&q, "0x40000778", &v);
    assert_true(v.understood);
    assert_false(v.correct);
    assert_non_null(strstr(v.diff, "1 bit wrong, in the offset (11-0)"));
    assert_non_null(strstr(v.diff, "machine  0100000000 0000000000 011001111000\nwrong    " "                         ^\n"));
    quiz_check(&q, "40000678", &v);
    assert_true(v.correct);
    quiz_check(&q, "0x50001678", &v);
    assert_non_null(strstr(v.diff, "2 bits wrong, in the frame (31-12)"));
    q.linear = true; /* a linear address: told by its parts */
    quiz_check(&q, "0x50001678", &v);
    assert_non_null(strstr(v.diff, "2 bits wrong, in the directory index (31-22), table index (21-12)"));
    q.type = QUIZ_PF_CODE;
    q.answer = 5;
    quiz_check(&q, "0b111", &v);
    assert_false(v.correct);
    assert_non_null(strstr(v.diff, "W/R: yours 1, the machine's 0 (a read)"));
    q.type = QUIZ_PAGE;
    q.answer = 0x00401000;
    quiz_check(&q, "0x00401ABC", &v);
    assert_true(v.correct);
    quiz_check(&q, "none", &v);
    assert_true(v.understood);
    assert_false(v.correct);
    q.answer = 0;
    quiz_check(&q, "none", &v);
    assert_true(v.correct);
}

/* Runs a whole text, with the invariant check after every statement and
 * the questions of each; false when a statement cannot run. */
static void run_checked(const char *text, size_t len, size_t *questions, const char *id, bool *seen)
{
    run_t t;
    open_text(&t, text, len);
    scn_result_t res;
    scn_error_t err;
    *questions = 0;
    while (scn_runner_position(t.r) < scn_script_count(t.s)) {
        quiz_set_t set;
        assert_int_equal(quiz_ask(t.r, &set), PS_OK);
        *questions += set.n;
        const quiz_question_t *q = find(&set, id);
        if (q && (q->type != QUIZ_PAGE || q->answer)) *seen = true; /* a page: one that is evicted */
        if (scn_step(t.r, &res, &err) != SCN_STEP_OK) fail_msg("%u:%u: %s\n%.*s", err.line, err.col, err.msg, (int)len, text);
        char msg[300];
        if (!scn_runner_check(t.r, msg, sizeof msg)) fail_msg("invariant: %s\n%.*s", msg, (int)len, text);
    }
    assert_int_equal(scn_runner_failed_expects(t.r), 0);
    close_run(&t);
}

static void quiz__generated_exercises__run_and_repeat(void **state)
{
    (void)state;
    /* A question each topic is about, asked in every exercise of it. */
    static const char *const topic_question[QUIZ_TOPIC_COUNT] = { "phys", "state", "evicted_page", "tlb" };
    for (int topic = 0; topic < QUIZ_TOPIC_COUNT; topic++)
        for (int level = QUIZ_LEVEL_MIN; level <= QUIZ_LEVEL_MAX; level++)
            for (uint64_t seed = 0; seed < 12; seed++) {
                strbuf_t a, b;
                strbuf_init(&a, NULL);
                strbuf_init(&b, NULL);
                assert_int_equal(quiz_generate(seed, level, (quiz_topic_t)topic, &a), PS_OK);
                assert_int_equal(quiz_generate(seed, level, (quiz_topic_t)topic, &b), PS_OK);
                assert_string_equal(strbuf_str(&a), strbuf_str(&b));
                size_t questions;
                bool seen = false;
                run_checked(strbuf_str(&a), a.len, &questions, topic_question[topic], &seen);
                assert_true(questions > 0);
                if (!seen) fail_msg("no '%s' question in\n%s", topic_question[topic], strbuf_str(&a));
                strbuf_clear(&b);
                assert_int_equal(quiz_generate(seed + 1, level, (quiz_topic_t)topic, &b), PS_OK);
                assert_string_not_equal(strbuf_str(&a), strbuf_str(&b));
                strbuf_fini(&a);
                strbuf_fini(&b);
            }
    strbuf_t c;
    strbuf_init(&c, NULL);
    assert_int_equal(quiz_generate(1, 0, QUIZ_TOPIC_WALK, &c), PS_EINVAL);
    assert_int_equal(quiz_generate(1, 4, QUIZ_TOPIC_WALK, &c), PS_EINVAL);
    assert_int_equal(quiz_generate(1, 1, QUIZ_TOPIC_COUNT, &c), PS_EINVAL);
    strbuf_fini(&c);
}

/* The generator's numbers are fixed for every platform: splitmix64's
 * first outputs for seed 0 (its published reference values). */
static void quiz__rng__is_splitmix64(void **state)
{
    (void)state;
    quiz_rng_t g;
    quiz_rng_seed(&g, 0);
    assert_true(quiz_rng_next(&g) == 0xE220A8397B1DCDAFull);
    assert_true(quiz_rng_next(&g) == 0x6E789E6AA1B965F4ull);
    assert_int_equal(quiz_rng_below(&g, 0), 0);
}

static void quiz__asking__leaves_the_runner_as_it_was(void **state)
{
    (void)state;
    size_t len;
    char *text = source_file("scenarios/paging/working-set-limit.scn", &len);
    run_t asked, plain;
    open_text(&asked, text, len);
    open_text(&plain, text, len);
    scn_result_t ra, rp;
    scn_error_t err;
    strbuf_t ja, jp;
    strbuf_init(&ja, NULL);
    strbuf_init(&jp, NULL);
    while (scn_runner_position(plain.r) < scn_script_count(plain.s)) {
        quiz_set_t set;
        assert_int_equal(quiz_ask(asked.r, &set), PS_OK);
        assert_int_equal(scn_step(asked.r, &ra, &err), SCN_STEP_OK);
        assert_int_equal(scn_step(plain.r, &rp, &err), SCN_STEP_OK);
        scn_format_json(&ja, &ra);
        scn_format_json(&jp, &rp);
    }
    assert_string_equal(strbuf_str(&ja), strbuf_str(&jp));
    strbuf_fini(&ja);
    strbuf_fini(&jp);
    close_run(&asked);
    close_run(&plain);
    free(text);
}

static void quiz__allocation_failures__never_crash(void **state)
{
    (void)state;
    static const char text[] = "config layout=empty\na = VirtualAlloc(NULL, 0x3000, MEM_COMMIT, PAGE_READWRITE)\n"
                               "touch a 0x3000 write\n";
    bool asked = false;
    for (long n = 0; n < 2000 && !asked; n++) {
        failing_alloc_t fa;
        failing_alloc_init(&fa, -1);
        scn_script_t *s;
        scn_error_t err;
        assert_int_equal(scn_parse(&fa.alloc, text, sizeof text - 1, &s, &err), PS_OK);
        scn_runner_t *r;
        assert_int_equal(scn_runner_new(&fa.alloc, s, &r), PS_OK);
        scn_result_t res;
        assert_int_equal(scn_step(r, &res, &err), SCN_STEP_OK);
        fa.fail_at = fa.count + n;
        quiz_set_t set;
        ps_result_t rc = quiz_ask(r, &set);
        if (rc == PS_OK) asked = true;
        else assert_int_equal(rc, PS_ENOMEM);
        scn_runner_free(r);
        scn_script_free(s);
        assert_int_equal(fa.live, 0);
    }
    assert_true(asked);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quiz__seed001_walk__answers_are_the_walk_record),
        cmocka_unit_test(quiz__faulting_walk__asks_for_the_error_code),
        cmocka_unit_test(quiz__win32_calls__answers_are_the_calls_results),
        cmocka_unit_test(quiz__working_set_limit__names_the_page_the_policy_evicts),
        cmocka_unit_test(quiz__answers__are_read_in_the_usual_forms),
        cmocka_unit_test(quiz__wrong_address__names_the_wrong_bits),
        cmocka_unit_test(quiz__generated_exercises__run_and_repeat),
        cmocka_unit_test(quiz__rng__is_splitmix64),
        cmocka_unit_test(quiz__asking__leaves_the_runner_as_it_was),
        cmocka_unit_test(quiz__allocation_failures__never_crash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
