/* sim.scn: the parser and runner through the public API, and the JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "failing_alloc.h"
#include "pagesim/format.h"
#include "pagesim/scn.h"

static const char *SEED =
    "machine bare ram=4G\n"
    "cr3 = 0x00100000\n"
    "poke32 0x00100120 0xA0000007\n"
    "poke32 0xA0000D14 0x40000007\n"
    "translate 0x12345678 read user\n";

static ps_result_t parse(const char *text, scn_script_t **s, scn_error_t *err)
{
    return scn_parse(NULL, text, strlen(text), s, err);
}

static void expect_parse_error(const char *text, uint32_t line, uint32_t col, const char *msg)
{
    scn_script_t *s = NULL;
    scn_error_t err;
    assert_int_equal(parse(text, &s, &err), PS_EINVAL);
    assert_null(s);
    if (err.line != line || err.col != col || !strstr(err.msg, msg))
        fail_msg("%s -> %u:%u: %s (wanted %u:%u: ...%s...)", text, err.line, err.col, err.msg, line, col, msg);
}

static void scn__parse_errors__name_the_place(void **state)
{
    (void)state;
    expect_parse_error("frobnicate\n", 1, 1, "unknown statement 'frobnicate'");
    expect_parse_error("virtualalloc(NULL, 1, MEM_COMMIT, PAGE_READWRITE)\n", 1, 1, "did you mean VirtualAlloc?");
    expect_parse_error("VirtualAlloc(NULL, 1, MEM_COMMIT)\n", 1, 33, "takes 4 arguments, got 3");
    expect_parse_error("VirtualAlloc(NULL, 1, MEM_COMMIT, PAGE_READWRITE\n", 1, 49, "expected ')'");
    expect_parse_error("VirtualAlloc(NULL, 1, MEM_COMMIT, PAGE_READWRTE)\n", 1, 35, "did you mean PAGE_READWRITE?");
    expect_parse_error("VirtualFree(a, 0, MEM_RELEASE)\n", 1, 13, "unknown name 'a'");
    expect_parse_error("a = VirtualAlloc(NULL, 1, MEM_COMMIT, 4)\na = VirtualAlloc(NULL, 1, MEM_COMMIT, 4)\n", 2, 1,
                       "already bound");
    expect_parse_error("stats\nmachine bare ram=4K\n", 2, 1, "must be the first statement");
    expect_parse_error("machine bare ram=4K\nconfig ram=16M\n", 2, 1, "a bare machine takes ram=");
    expect_parse_error("machine bare ram=4K\nVirtualAlloc(NULL, 1, MEM_COMMIT, 4)\n", 2, 1, "needs a Windows process");
    expect_parse_error("cr3 = 0\n", 1, 1, "needs a bare machine");
    expect_parse_error("expect ret == 0\n", 1, 8, "no earlier statement");
    expect_parse_error("machine bare ram=4K\ncr3 = 0\ntranslate 0\nexpect old == 0\n", 4, 8, "not a result of translate");
    expect_parse_error("", 1, 1, "no statements");
    expect_parse_error("# only a comment\n\n", 2, 1, "no statements");
}

/* Runs text to the end; returns the last result of statement op. */
static void run_all(const char *text, scn_verb_id_t op, scn_result_t *last, uint32_t *failed)
{
    scn_script_t *s;
    scn_error_t err;
    assert_int_equal(parse(text, &s, &err), PS_OK);
    scn_runner_t *r;
    assert_int_equal(scn_runner_new(NULL, s, &r), PS_OK);
    scn_result_t res;
    scn_step_t st;
    while ((st = scn_step(r, &res, &err)) == SCN_STEP_OK)
        if (res.verb == op) *last = res;
    assert_int_equal(st, SCN_STEP_END);
    if (failed) *failed = scn_runner_failed_expects(r);
    scn_runner_free(r);
    scn_script_free(s);
}

static void scn__expressions__follow_precedence_and_wrap(void **state)
{
    (void)state;
    scn_result_t res;
    run_all("machine bare ram=64K\npoke32 0 1+2*3\npeek32 0\n", SCN_PEEK32, &res, NULL);
    assert_int_equal(res.value, 7);
    run_all("machine bare ram=64K\npoke32 0 (1+2)*3\npeek32 0\n", SCN_PEEK32, &res, NULL);
    assert_int_equal(res.value, 9);
    run_all("machine bare ram=64K\npoke32 0 0xFFFFF000 + 0x2000\npeek32 0\n", SCN_PEEK32, &res, NULL);
    assert_int_equal(res.value, 0x1000);
    run_all("machine bare ram=64K\npoke32 0 (-1)\npeek32 0\n", SCN_PEEK32, &res, NULL);
    assert_int_equal(res.value, 0xFFFFFFFF);
    run_all("machine bare ram=64K\npoke32 0 PAGE_READWRITE|PAGE_GUARD\npeek32 0\n", SCN_PEEK32, &res, NULL);
    assert_int_equal(res.value, 0x104);
}

static void scn__seed_example__steps_to_0x40000678(void **state)
{
    (void)state;
    scn_script_t *s;
    scn_error_t err;
    assert_int_equal(parse(SEED, &s, &err), PS_OK);
    assert_int_equal(scn_script_count(s), 5);
    assert_true(scn_script_bare(s));
    scn_runner_t *r;
    assert_int_equal(scn_runner_new(NULL, s, &r), PS_OK);
    scn_result_t res;
    for (int i = 0; i < 5; i++) assert_int_equal(scn_step(r, &res, &err), SCN_STEP_OK);
    assert_int_equal(res.verb, SCN_TRANSLATE);
    assert_int_equal(res.walk.phys, 0x40000678);
    strbuf_t b;
    strbuf_init(&b, NULL);
    scn_format_json(&b, &res);
    assert_non_null(strstr(strbuf_str(&b), "\"phys\":\"0x40000678\""));
    assert_non_null(strstr(strbuf_str(&b), "\"pde_index\":72"));
    assert_non_null(strstr(strbuf_str(&b), "\"pte_index\":837"));
    assert_non_null(strstr(strbuf_str(&b), "\"offset\":1656"));
    strbuf_fini(&b);
    assert_int_equal(scn_step(r, &res, &err), SCN_STEP_END);
    scn_runner_free(r);
    scn_script_free(s);
}

static void expect_run_error(const char *text, uint32_t line, const char *msg)
{
    scn_script_t *s;
    scn_error_t err;
    assert_int_equal(parse(text, &s, &err), PS_OK);
    scn_runner_t *r;
    assert_int_equal(scn_runner_new(NULL, s, &r), PS_OK);
    scn_result_t res;
    scn_step_t st;
    while ((st = scn_step(r, &res, &err)) == SCN_STEP_OK) {}
    assert_int_equal(st, SCN_STEP_ERROR);
    assert_int_equal(err.line, line);
    if (!strstr(err.msg, msg)) fail_msg("%s: got '%s'", text, err.msg);
    scn_runner_free(r);
    scn_script_free(s);
}

/* A value known when the scenario is read is checked then: the scenario is
 * refused whole, before anything runs. */
static void scn__bad_constant_values__refuse_the_whole_scenario(void **state)
{
    (void)state;
    expect_parse_error("machine bare ram=16K\npoke32 0x4000 1\n", 2, 8, "outside physical memory");
    expect_parse_error("machine bare ram=16K\ntranslate 0\n", 2, 1, "translate before cr3 =");
    expect_parse_error("machine bare ram=16K\ncr3 = 0x10000\n", 2, 7, "outside physical memory");
    expect_parse_error("machine bare ram=16K\ncr0.wp = 2\n", 2, 10, "takes 0 or 1");
    expect_parse_error("machine bare ram=5000\n", 1, 18, "multiple of 4K");
    expect_parse_error("a = VirtualAlloc(NULL, 4096, MEM_COMMIT, PAGE_READWRITE)\nwrite a 0x100\n", 2, 9, "not a byte");
    expect_parse_error("config ram=1M\n", 1, 12, "from 8M to 4G");
}

/* A value computed from a name is checked when the statement runs. */
static void scn__bad_values_from_names__stop_the_scenario(void **state)
{
    (void)state;
    expect_run_error("a = VirtualAlloc(NULL, 4096, MEM_COMMIT, PAGE_READWRITE)\nwrite a a\n", 2, "not a byte");
    expect_run_error("a = VirtualAlloc(NULL, 4096, MEM_COMMIT, PAGE_READWRITE)\nread a a*100\n", 2,
                     "more than the 16M");
}

static void scn__failed_expects__are_counted(void **state)
{
    (void)state;
    scn_result_t res;
    uint32_t failed;
    run_all("machine bare ram=64K\npoke32 0 5\npeek32 0\nexpect value == 5\nexpect value == 6\nexpect ret == 5\n",
            SCN_EXPECT, &res, &failed);
    assert_int_equal(failed, 1);
    assert_true(res.expect_ok);
}

static void scn__windows_process__runs_the_seed_003_story(void **state)
{
    (void)state;
    scn_result_t res;
    uint32_t failed;
    run_all("a = VirtualAlloc(NULL, 20*PAGE_SIZE, MEM_RESERVE, PAGE_READWRITE)\n"
            "VirtualAlloc(a, PAGE_SIZE, MEM_COMMIT, PAGE_READONLY)\n"
            "write a \"wuiasdf\"\n"
            "expect exception == EXCEPTION_ACCESS_VIOLATION\n"
            "VirtualProtect(a, PAGE_SIZE, PAGE_READWRITE)\n"
            "expect old == PAGE_READONLY\n"
            "write a \"wuiasdf\"\n"
            "read a 7\n"
            "expect bytes == \"wuiasdf\"\n"
            "VirtualQuery(a+PAGE_SIZE)\n"
            "expect mbi.State == MEM_RESERVE\n",
            SCN_VIRTUALQUERY, &res, &failed);
    assert_int_equal(failed, 0);
    assert_string_equal(res.mbi_base, "a+0x1000");
    assert_int_equal(res.mbi.RegionSize, 0x13000);
}

static void scn__allocation_failures__never_crash(void **state)
{
    (void)state;
    const char *text = "a = VirtualAlloc(NULL, 0x3000, MEM_COMMIT, PAGE_READWRITE)\nwrite a \"hi\"\nread a 2\nstats\n";
    int succeeded = 0;
    for (long n = 0; n < 400 && !succeeded; n++) {
        failing_alloc_t fa;
        failing_alloc_init(&fa, n);
        scn_script_t *s = NULL;
        scn_error_t err;
        ps_result_t pr = scn_parse(&fa.alloc, text, strlen(text), &s, &err);
        if (pr == PS_OK) {
            scn_runner_t *r = NULL;
            if (scn_runner_new(&fa.alloc, s, &r) == PS_OK) {
                scn_result_t res;
                scn_step_t st;
                while ((st = scn_step(r, &res, &err)) == SCN_STEP_OK) {}
                if (st == SCN_STEP_END) succeeded = 1;
                else assert_non_null(strstr(err.msg, "memory"));
                scn_runner_free(r);
            }
            scn_script_free(s);
        } else {
            assert_int_equal(pr, PS_ENOMEM);
        }
        assert_int_equal(fa.live, 0);
    }
    assert_true(succeeded);
}

/* The JSON of every remaining step of r. */
static void rest_json(scn_runner_t *r, strbuf_t *out)
{
    scn_result_t res;
    scn_error_t err;
    while (scn_step(r, &res, &err) == SCN_STEP_OK) scn_format_json(out, &res);
}

static void scn__clone__steps_on_exactly_as_the_original(void **state)
{
    (void)state;
    const char *texts[] = {
        "config ram=8M pagefile=16M layout=empty\n"
        "a = VirtualAlloc(NULL, 6M, MEM_COMMIT, PAGE_READWRITE)\n"
        "write a \"kept\"\n"
        "touch a 6M write\n"
        "process B\n"
        "h = CreateFileMapping(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0, 0x10000, \"s\")\n"
        "v = MapViewOfFile(h, FILE_MAP_COPY, 0, 0, 0)\n"
        "write v \"x\"\n"
        "process main\n"
        "read a 4\n"
        "expect bytes == \"kept\"\n"
        "stats\n",
        SEED,
        /* Thread stacks: the clone keeps each thread's TEB fields and ESP. */
        "thread worker 64K STACK_SIZE_PARAM_IS_A_RESERVATION\n"
        "push 5 * 4096\n"
        "thread main\n"
        "a = alloca(3 * 4096)\n"
        "thread worker\n"
        "push 64K\n"
        "pop 4\n"
        "thread main\n"
        "VirtualQuery(a)\n"
        "stats\n",
    };
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        scn_script_t *s;
        scn_error_t err;
        assert_int_equal(parse(texts[t], &s, &err), PS_OK);
        size_t n = scn_script_count(s);
        for (size_t cut = 0; cut < n; cut++) {
            scn_runner_t *r;
            assert_int_equal(scn_runner_new(NULL, s, &r), PS_OK);
            scn_result_t res;
            for (size_t i = 0; i < cut; i++) assert_int_equal(scn_step(r, &res, &err), SCN_STEP_OK);
            scn_runner_t *c = scn_runner_clone(r);
            assert_non_null(c);
            strbuf_t a, b;
            strbuf_init(&a, NULL);
            strbuf_init(&b, NULL);
            rest_json(r, &a);
            rest_json(c, &b);
            assert_string_equal(strbuf_str(&a), strbuf_str(&b));
            strbuf_fini(&a);
            strbuf_fini(&b);
            scn_runner_free(c);
            scn_runner_free(r);
        }
        scn_script_free(s);
    }
}

/* What a user types at a prompt: the language's expressions, with the
 * names bound so far. */
static void scn__runner_eval__takes_expressions_with_the_names_bound_so_far(void **state)
{
    (void)state;
    const char *text = "config layout=empty\na = VirtualAlloc(NULL, 4096, MEM_COMMIT, PAGE_READWRITE)\n"
                       "b = VirtualAlloc(NULL, 4096, MEM_COMMIT, PAGE_READWRITE)\n";
    scn_script_t *s;
    scn_error_t err;
    assert_int_equal(parse(text, &s, &err), PS_OK);
    scn_runner_t *r;
    assert_int_equal(scn_runner_new(NULL, s, &r), PS_OK);
    scn_result_t res;
    assert_int_equal(scn_step(r, &res, &err), SCN_STEP_OK);
    assert_int_equal(scn_step(r, &res, &err), SCN_STEP_OK);
    uint32_t a = res.ret, v;
    assert_int_equal(scn_runner_eval(r, "a+0x10", 6, &v, &err), PS_OK);
    assert_int_equal(v, a + 0x10);
    assert_int_equal(scn_runner_eval(r, "MEM_COMMIT | 1", 14, &v, &err), PS_OK);
    assert_int_equal(v, 0x1001);
    assert_int_equal(scn_runner_eval(r, "-(2*PAGE_SIZE)", 14, &v, &err), PS_OK);
    assert_int_equal(v, 0xFFFFE000u);
    assert_int_equal(scn_runner_eval(r, "b", 1, &v, &err), PS_EINVAL); /* bound by a statement not run yet */
    assert_non_null(strstr(err.msg, "unknown name 'b'"));
    assert_int_equal(scn_runner_eval(r, "1 +", 3, &v, &err), PS_EINVAL);
    assert_int_equal(err.col, 4);
    assert_int_equal(scn_runner_eval(r, "1 2", 3, &v, &err), PS_EINVAL);
    assert_int_equal(scn_runner_eval(r, "", 0, &v, &err), PS_EINVAL);
    assert_int_equal(scn_runner_eval(r, "0x100000000", 11, &v, &err), PS_EINVAL);
    scn_runner_free(r);
    scn_script_free(s);
}

/* The prose of the last statement of text (its "why"), run to the end. */
static void last_why(const char *text, char *out, size_t n)
{
    scn_script_t *s;
    scn_error_t err;
    assert_int_equal(parse(text, &s, &err), PS_OK);
    scn_runner_t *r;
    assert_int_equal(scn_runner_new(NULL, s, &r), PS_OK);
    scn_result_t res;
    out[0] = 0;
    while (scn_step(r, &res, &err) == SCN_STEP_OK) snprintf(out, n, "%s", res.why ? res.why : "");
    scn_runner_free(r);
    scn_script_free(s);
}

/* What the simulator does not model is said, never done silently as
 * something else. */
static void scn__unmodelled_features__are_noted(void **state)
{
    (void)state;
    char why[1024];
    last_why("config lockpages=yes\nr = VirtualAlloc(NULL, 64K, MEM_RESERVE|MEM_PHYSICAL, PAGE_READWRITE)\n"
             "p = AllocateUserPhysicalPages(GetCurrentProcess(), 1)\nMapUserPhysicalPages(r, 1, p)\n"
             "VirtualLock(r, 4K)\nexpect error == ERROR_NOT_SUPPORTED\nVirtualLock(r, 4K)\n", why, sizeof why);
    assert_non_null(strstr(why, "not modelled: locking the pages of an AWE region"));
    last_why("read 0x00401000 1\n", why, sizeof why); /* the image's code: modelled, read from the file */
    assert_non_null(strstr(why, "hard fault, page 1 of file \"program.exe\""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scn__parse_errors__name_the_place),
        cmocka_unit_test(scn__expressions__follow_precedence_and_wrap),
        cmocka_unit_test(scn__seed_example__steps_to_0x40000678),
        cmocka_unit_test(scn__bad_constant_values__refuse_the_whole_scenario),
        cmocka_unit_test(scn__bad_values_from_names__stop_the_scenario),
        cmocka_unit_test(scn__runner_eval__takes_expressions_with_the_names_bound_so_far),
        cmocka_unit_test(scn__unmodelled_features__are_noted),
        cmocka_unit_test(scn__failed_expects__are_counted),
        cmocka_unit_test(scn__windows_process__runs_the_seed_003_story),
        cmocka_unit_test(scn__allocation_failures__never_crash),
        cmocka_unit_test(scn__clone__steps_on_exactly_as_the_original),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
