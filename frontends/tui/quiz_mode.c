/* The terminal UI's quiz mode: which question is next, the answers and
 * the score, kept against the history so that stepping back and forth
 * asks again without scoring twice. */
#include "model.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void quiz_mode_toggle(tui_model_t *m)
{
    tui_quiz_t *q = &m->quiz;
    q->on = !q->on;
    q->have = false;
    q->revealed = false;
    snprintf(m->message, sizeof m->message, "quiz %s: score %u/%u", q->on ? "on (n asks, then steps)" : "off",
             (unsigned)q->score.right, (unsigned)q->score.asked);
}

void quiz_mode_close(tui_model_t *m)
{
    free(m->quiz.scored);
    memset(&m->quiz, 0, sizeof m->quiz);
}

/* The questions of the next statement, asked again when the machine moved. */
static bool sync(tui_model_t *m)
{
    tui_quiz_t *q = &m->quiz;
    size_t done = model_done(m);
    if (q->have && q->at == done) return true;
    q->have = false;
    q->revealed = false;
    q->asked = 0;
    if (!q->on || done >= model_count(m) || quiz_ask(model_runner(m), &q->set) != PS_OK) return false;
    q->have = true;
    q->at = done;
    return true;
}

const quiz_question_t *quiz_mode_pending(tui_model_t *m)
{
    if (!sync(m) || m->quiz.asked >= m->quiz.set.n) return NULL;
    return &m->quiz.set.q[m->quiz.asked];
}

void quiz_mode_position(const tui_model_t *m, size_t *number, size_t *count)
{
    *number = m->quiz.asked + 1;
    *count = m->quiz.set.n;
}

/* Counts question k of statement i unless it was counted before. */
static void score(tui_quiz_t *q, size_t i, size_t k, bool right)
{
    if (i >= q->nscored) {
        size_t n = q->nscored ? q->nscored : 64;
        while (n <= i) n *= 2;
        uint8_t *s = realloc(q->scored, n);
        if (!s) return;
        memset(s + q->nscored, 0, n - q->nscored);
        q->scored = s;
        q->nscored = n;
    }
    if (k < q->scored[i]) return;
    q->scored[i] = (uint8_t)(k + 1);
    q->score.asked++;
    q->score.right += right;
}

bool quiz_mode_answer(tui_model_t *m, const char *text)
{
    const quiz_question_t *question = quiz_mode_pending(m);
    if (!question) return false;
    tui_quiz_t *q = &m->quiz;
    quiz_verdict_t v;
    quiz_check(question, text, &v);
    if (!v.understood) {
        snprintf(m->message, sizeof m->message, "%.300s", v.diff);
        return false;
    }
    q->verdict = v;
    snprintf(q->typed, sizeof q->typed, "%s", text);
    score(q, q->at, q->asked, v.correct);
    q->asked++;
    q->revealed = true;
    return true;
}

bool quiz_mode_showing(const tui_model_t *m)
{
    const tui_quiz_t *q = &m->quiz;
    return q->on && q->have && q->revealed && q->at == model_done(m) && q->asked > 0;
}

void quiz_mode_text(const tui_model_t *m, strbuf_t *b)
{
    const tui_quiz_t *q = &m->quiz;
    const quiz_question_t *question = &q->set.q[q->asked - 1];
    size_t n;
    const char *src = scn_script_source(scn_history_script(m->h), q->at, &n);
    strbuf_printf(b, "QUIZ  score %u/%u\n", (unsigned)q->score.right, (unsigned)q->score.asked);
    strbuf_printf(b, "line %u: %.*s\n", (unsigned)q->set.line, (int)(n < 200 ? n : 200), src);
    strbuf_printf(b, "Q%u/%u %s\n", (unsigned)q->asked, (unsigned)q->set.n, question->text);
    strbuf_printf(b, "you: %s\n", q->typed);
    if (q->verdict.correct) strbuf_printf(b, "RIGHT: %s\n", question->shown);
    else strbuf_printf(b, "WRONG: the machine says %s\n%s\n", question->shown, q->verdict.diff);
    if (question->explain[0]) strbuf_printf(b, "why: %s\n", question->explain);
    strbuf_puts(b, q->asked < q->set.n ? "n: the next question" : "n: run the statement");
}
