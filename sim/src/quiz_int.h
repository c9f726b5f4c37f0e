/* Quiz internals shared by the question rules (quiz.c, quiz_walk.c) and
 * the answer reader (quiz_answer.c). */
#ifndef PAGESIM_QUIZ_INT_H
#define PAGESIM_QUIZ_INT_H

#include "pagesim/mmu.h"
#include "pagesim/quiz.h"
#include <stddef.h>
#include <stdint.h>

/* Appends a question of type t with the machine's answer, the explanation
 * (may be NULL) and the question's text; nothing when the set is full.
 * Returns the question, or NULL. */
#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
quiz_question_t *qz_add(quiz_set_t *s, const char *id, quiz_type_t t, uint32_t answer, const char *explain,
                        const char *fmt, ...);

/* A value of type t as an answer is shown: "0x048 (72)", "PAGE_READWRITE",
 * "yes", "A and D", ... */
void qz_format(quiz_type_t t, uint32_t v, char *buf, size_t n);

/* The questions of a walk: the split, the TLB, the entries, the outcome,
 * the A/D flags; with process, how the memory manager resolved a fault
 * (resolved, from the statement's result). */
void qz_walk(quiz_set_t *s, const mmu_walk_t *w, bool process, int resolved);

#endif
