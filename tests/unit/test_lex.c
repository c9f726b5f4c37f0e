/* sim.lex: the scenario lexer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "scn_lex.h"

typedef struct lexed {
    lexer_t lx;
    scn_error_t err;
    int rc;
} lexed_t;

static void lex_one(lexed_t *l, const char *text)
{
    memset(l, 0, sizeof *l);
    lex_init(&l->lx, ps_default_alloc(), text, strlen(text));
    l->rc = lex_line(&l->lx, &l->err);
}

static void lex__numbers__take_hex_and_suffixes(void **state)
{
    (void)state;
    lexed_t l;
    lex_one(&l, "4096 0x1000 64K 1M 4G 0X10");
    assert_int_equal(l.rc, 1);
    assert_int_equal(l.lx.ntok, 6);
    assert_int_equal(l.lx.tok[0].num, 4096);
    assert_int_equal(l.lx.tok[1].num, 0x1000);
    assert_int_equal(l.lx.tok[2].num, 65536);
    assert_int_equal(l.lx.tok[3].num, 1048576);
    assert_true(l.lx.tok[4].num == 4294967296ull);
    assert_int_equal(l.lx.tok[5].num, 16);
    lex_fini(&l.lx);
}

static void lex__malformed_numbers__report_line_and_column(void **state)
{
    (void)state;
    const struct { const char *text; unsigned col; const char *msg; } cases[] = {
        { "poke32 12abc", 8, "malformed number" },
        { "poke32 0x", 8, "'0x' needs hexadecimal digits" },
        { "poke32 0xZZ", 8, "'0x' needs hexadecimal digits" },
        { "x 0x1FFFFFFFFFFFFFFFF", 3, "does not fit in 64 bits" },
        { "x 20000000000G", 3, "does not fit in 64 bits" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lexed_t l;
        lex_one(&l, cases[i].text);
        assert_int_equal(l.rc, -1);
        assert_int_equal(l.err.line, 1);
        assert_int_equal(l.err.col, cases[i].col);
        assert_non_null(strstr(l.err.msg, cases[i].msg));
        lex_fini(&l.lx);
    }
}

static void lex__strings__decode_escapes(void **state)
{
    (void)state;
    lexed_t l;
    lex_one(&l, "\"a\\\\b\\\"c\\n\\t\\0\\x41\\xff\"");
    assert_int_equal(l.rc, 1);
    assert_int_equal(l.lx.tok[0].kind, TOK_STRING);
    const uint8_t want[] = { 'a', '\\', 'b', '"', 'c', '\n', '\t', 0, 'A', 0xFF };
    assert_int_equal(l.lx.tok[0].str_len, sizeof want);
    assert_memory_equal(l.lx.str + l.lx.tok[0].str_off, want, sizeof want);
    lex_fini(&l.lx);
}

static void lex__bad_strings__are_errors(void **state)
{
    (void)state;
    const struct { const char *text; unsigned col; const char *msg; } cases[] = {
        { "write a \"abc", 9, "unterminated string" },
        { "write a \"a\\qb\"", 11, "unknown escape" },
        { "write a \"\\x4\"", 10, "two hexadecimal digits" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lexed_t l;
        lex_one(&l, cases[i].text);
        assert_int_equal(l.rc, -1);
        assert_int_equal(l.err.col, cases[i].col);
        assert_non_null(strstr(l.err.msg, cases[i].msg));
        lex_fini(&l.lx);
    }
}

static void lex__comments_and_blank_lines__give_no_tokens(void **state)
{
    (void)state;
    lexed_t l;
    lex_one(&l, "   # just a comment (with \"quotes\"");
    assert_int_equal(l.rc, 1);
    assert_int_equal(l.lx.ntok, 0);
    assert_int_equal(l.lx.tok[0].kind, TOK_END);
    lex_fini(&l.lx);
}

static void lex__columns__count_characters_not_bytes(void **state)
{
    (void)state;
    lexed_t l;
    lex_one(&l, "write a \"\xc3\xa9\xc3\xa9\" $");
    assert_int_equal(l.rc, -1);
    assert_int_equal(l.err.col, 14);
    lex_fini(&l.lx);
}

static void lex__operators__are_told_apart(void **state)
{
    (void)state;
    lexed_t l;
    lex_one(&l, "a = b == (c+d-e*f|g).h !x ,");
    assert_int_equal(l.rc, 1);
    const tok_kind_t want[] = { TOK_IDENT, TOK_ASSIGN, TOK_IDENT, TOK_EQ, TOK_LPAREN, TOK_IDENT, TOK_PLUS, TOK_IDENT,
                                TOK_MINUS, TOK_IDENT, TOK_STAR, TOK_IDENT, TOK_PIPE, TOK_IDENT, TOK_RPAREN, TOK_DOT,
                                TOK_IDENT, TOK_BANG, TOK_IDENT, TOK_COMMA, TOK_END };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) assert_int_equal(l.lx.tok[i].kind, want[i]);
    lex_fini(&l.lx);
}

static void lex__check_text__refuses_nul_and_bad_utf8(void **state)
{
    (void)state;
    scn_error_t err;
    assert_true(lex_check_text("ok \xe4\xb8\xad\n", 7, &err));
    assert_false(lex_check_text("ab\ncd\0e", 7, &err));
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 3);
    assert_false(lex_check_text("x\xff", 2, &err));
    assert_int_equal(err.col, 2);
    assert_non_null(strstr(err.msg, "0xFF"));
    assert_false(lex_check_text("\xc0\x80", 2, &err)); /* overlong */
}

static void lex__too_many_tokens__is_an_error(void **state)
{
    (void)state;
    size_t n = 2 * (LEX_MAX_TOKENS + 5);
    char *text = test_malloc(n + 1);
    for (size_t i = 0; i < n; i += 2) {
        text[i] = '1';
        text[i + 1] = ' ';
    }
    text[n] = 0;
    lexed_t l;
    lex_one(&l, text);
    assert_int_equal(l.rc, -1);
    assert_non_null(strstr(l.err.msg, "line too long"));
    lex_fini(&l.lx);
    test_free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lex__numbers__take_hex_and_suffixes),
        cmocka_unit_test(lex__malformed_numbers__report_line_and_column),
        cmocka_unit_test(lex__strings__decode_escapes),
        cmocka_unit_test(lex__bad_strings__are_errors),
        cmocka_unit_test(lex__comments_and_blank_lines__give_no_tokens),
        cmocka_unit_test(lex__columns__count_characters_not_bytes),
        cmocka_unit_test(lex__operators__are_told_apart),
        cmocka_unit_test(lex__check_text__refuses_nul_and_bad_utf8),
        cmocka_unit_test(lex__too_many_tokens__is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
