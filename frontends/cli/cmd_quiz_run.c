/* pagesim quiz through a scenario: each statement's questions asked before
 * it runs (quiz_ask), then the statement run. Played: a question, a line of
 * standard input, the machine's answer with its explanation and what was
 * wrong, the score at the end (EOF ends early, with the score so far).
 * Printed: the scenario and its questions, with --answers the solutions;
 * --json: JSON Lines (docs/quiz.md). */
#include "cli.h"
#include "cmd_quiz.h"
#include "fe_output.h"
#include "pagesim/quiz.h"
#include "pagesim/scn.h"
#include <stdio.h>
#include <string.h>
#ifdef _WIN32
#include <io.h>
#define isatty _isatty
#else
#include <unistd.h>
#endif

typedef struct quiz_state {
    const quiz_opts_t *o;
    const scn_script_t *s;
    quiz_score_t score;
    uint32_t number;      /* questions so far                               */
    bool echo;            /* stdin is not a terminal: show what was read    */
    bool eof;
} quiz_state_t;

/* Text with each line after the first indented. */
static void put_indented(const char *s, const char *indent)
{
    for (; *s; s++) {
        putchar(*s);
        if (*s == '\n' && s[1]) fputs(indent, stdout);
    }
    putchar('\n');
}

static void put_source(const quiz_state_t *st, size_t i)
{
    size_t n;
    const char *src = scn_script_source(st->s, i, &n);
    printf("line %u | ", (unsigned)scn_script_line(st->s, i));
    fe_put_safe(stdout, src, n);
    putchar('\n');
}

/* A line of standard input into buf; false at EOF. */
static bool read_answer(char *buf, size_t n)
{
    if (!fgets(buf, (int)n, stdin)) return false;
    size_t len = strcspn(buf, "\r\n");
    if (buf[len] == '\0' && !feof(stdin)) {
        int c;
        while ((c = getchar()) != EOF && c != '\n') {}
    }
    buf[len] = '\0';
    return true;
}

static void play_question(quiz_state_t *st, const quiz_question_t *q, bool why)
{
    printf("  Q%u. %s\n", (unsigned)++st->number, q->text);
    char line[256];
    quiz_verdict_t v;
    do { /* an answer that cannot be read is asked again */
        fputs("  > ", stdout);
        fflush(stdout);
        if (!read_answer(line, sizeof line)) {
            st->eof = true;
            printf("\n");
            return;
        }
        if (st->echo) fe_put_safe(stdout, line, strlen(line)), putchar('\n');
        quiz_check(q, line, &v);
        if (!v.understood) printf("  %s; again:\n", v.diff);
    } while (!v.understood);
    st->score.asked++;
    if (v.correct) {
        st->score.right++;
        printf("  right: %s\n", q->shown);
    } else {
        printf("  wrong: the machine says %s\n    ", q->shown);
        put_indented(v.diff, "    ");
    }
    if (why && q->explain[0]) {
        fputs("  why: ", stdout);
        put_indented(q->explain, "       ");
    }
}

static void sheet_question(quiz_state_t *st, size_t i, const quiz_question_t *q, bool why)
{
    if (st->o->json) {
        size_t n;
        const char *src = scn_script_source(st->s, i, &n);
        strbuf_t b;
        strbuf_init(&b, NULL);
        strbuf_printf(&b, "{\"type\":\"question\",\"n\":%u,\"statement\":%u,\"line\":%u,\"source\":",
                      (unsigned)++st->number, (unsigned)i, (unsigned)scn_script_line(st->s, i));
        strbuf_json_str(&b, src, n);
        strbuf_printf(&b, ",\"id\":\"%s\",\"answer_type\":\"%s\",\"text\":", q->id, quiz_type_str(q->type));
        strbuf_json_str(&b, q->text, strlen(q->text));
        strbuf_puts(&b, ",\"answer\":");
        strbuf_json_str(&b, q->shown, strlen(q->shown));
        strbuf_printf(&b, ",\"value\":%u,\"explain\":", (unsigned)q->answer);
        strbuf_json_str(&b, q->explain, strlen(q->explain));
        strbuf_puts(&b, "}\n");
        fwrite(strbuf_str(&b), 1, b.len, stdout);
        strbuf_fini(&b);
        return;
    }
    printf("  %2u. %s\n", (unsigned)++st->number, q->text);
    if (!st->o->answers) return;
    printf("      answer: %s\n", q->shown);
    if (why && q->explain[0]) {
        fputs("      why: ", stdout);
        put_indented(q->explain, "           ");
    }
}

/* The statement's questions, played or printed. */
static void visit(quiz_state_t *st, const quiz_set_t *set)
{
    bool json = st->o->json, play = st->o->play;
    if (!json && (play || set->n)) put_source(st, set->index);
    for (size_t k = 0; k < set->n && !st->eof; k++) {
        /* An explanation is told once, at the first question it answers. */
        bool why = k == 0 || strcmp(set->q[k].explain, set->q[k - 1].explain) != 0;
        if (play) play_question(st, &set->q[k], why);
        else sheet_question(st, set->index, &set->q[k], why);
    }
}

static void header(const quiz_state_t *st, const char *text, size_t len)
{
    const quiz_opts_t *o = st->o;
    if (o->json) {
        strbuf_t b;
        strbuf_init(&b, NULL);
        strbuf_puts(&b, "{\"type\":\"exercise\",\"version\":1,");
        if (o->seeded)
            strbuf_printf(&b, "\"seed\":%llu,\"level\":%d,\"topic\":\"%s\",", (unsigned long long)o->seed, o->level,
                          quiz_topic_str((quiz_topic_t)o->topic));
        else strbuf_puts(&b, "\"file\":"), strbuf_json_str(&b, o->shown, strlen(o->shown)), strbuf_putc(&b, ',');
        strbuf_puts(&b, "\"scenario\":");
        strbuf_json_str(&b, text, len);
        strbuf_puts(&b, "}\n");
        fwrite(strbuf_str(&b), 1, b.len, stdout);
        strbuf_fini(&b);
    } else if (!o->play) {
        if (o->seeded) fwrite(text, 1, len, stdout);
        printf("%sQuestions (answer each before its statement runs):\n", o->seeded ? "\n" : "");
    }
}

int quiz_run(const quiz_opts_t *o, const char *text, size_t len)
{
    scn_script_t *s;
    scn_error_t err;
    if (scn_parse(NULL, text, len, &s, &err) != PS_OK) {
        fe_error_line(o->shown, err.line, err.col, err.msg);
        return EXIT_UNUSABLE;
    }
    scn_runner_t *r = NULL;
    if (scn_runner_new(NULL, s, &r) != PS_OK) {
        scn_script_free(s);
        fe_errorf("pagesim quiz: out of memory");
        return EXIT_UNUSABLE;
    }
    quiz_state_t st = { o, s, { 0, 0 }, 0, !isatty(0), false };
    header(&st, text, len);
    int rc = EXIT_RAN;
    while (!st.eof && scn_runner_position(r) < scn_script_count(s)) {
        quiz_set_t set;
        ps_result_t q = quiz_ask(r, &set);
        if (q == PS_ENOMEM) {
            fe_errorf("pagesim quiz: out of memory");
            rc = EXIT_UNUSABLE;
            break;
        }
        if (q == PS_OK) visit(&st, &set);
        scn_result_t res;
        if (scn_step(r, &res, &err) != SCN_STEP_OK) {
            fe_error_line(o->shown, err.line, err.col, err.msg);
            rc = EXIT_UNUSABLE;
            break;
        }
    }
    if (o->play) printf("score: %u/%u%s\n", (unsigned)st.score.right, (unsigned)st.score.asked,
                        st.eof ? " (input ended)" : "");
    scn_runner_free(r);
    scn_script_free(s);
    return rc;
}
