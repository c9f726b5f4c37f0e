/* The terminal UI's quiz mode (key Q): before the next statement runs, its
 * questions (pagesim/quiz.h) are asked one at a time; each answer is
 * revealed against the machine's with its explanation and what differs,
 * and a score is kept. Stepping back asks the statement's questions again
 * but scores each question of each statement once. No curses here. */
#ifndef PAGESIM_TUI_QUIZ_MODE_H
#define PAGESIM_TUI_QUIZ_MODE_H

#include "pagesim/quiz.h"
#include "pagesim/strbuf.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tui_model;

typedef struct tui_quiz {
    bool on;
    bool have;                /* set holds statement `at`'s questions       */
    size_t at;
    quiz_set_t set;
    size_t asked;             /* questions of set answered so far           */
    bool revealed;            /* the answer to question asked - 1 is shown  */
    char typed[160];          /* what was answered to it                    */
    quiz_verdict_t verdict;
    quiz_score_t score;
    uint8_t *scored;          /* per statement: its questions scored         */
    size_t nscored;
} tui_quiz_t;

/* Q: quiz mode on or off (the score stays). */
void quiz_mode_toggle(struct tui_model *m);
/* Frees what the quiz holds; it is off afterwards. */
void quiz_mode_close(struct tui_model *m);
/* The question to ask before the next statement runs, or NULL when it has
 * none left (quiz off, at the end, all answered: the step may run). */
const quiz_question_t *quiz_mode_pending(struct tui_model *m);
/* Its number among the statement's questions (1-based) and their count. */
void quiz_mode_position(const struct tui_model *m, size_t *number, size_t *count);
/* Answers the pending question with text. False (and m->message says
 * why) when the text cannot be read as an answer: ask again. */
bool quiz_mode_answer(struct tui_model *m, const char *text);
/* True when an answer's reveal is to be shown (the statement it is about
 * has not run yet). */
bool quiz_mode_showing(const struct tui_model *m);
/* The reveal as text: the question, the answer given, right or wrong with
 * what differs, the machine's answer and why, the score. */
void quiz_mode_text(const struct tui_model *m, strbuf_t *b);

#endif
