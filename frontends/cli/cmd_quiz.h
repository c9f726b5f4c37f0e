/* pagesim quiz's options, and the part that goes through the scenario
 * (cmd_quiz_run.c). */
#ifndef PAGESIM_CMD_QUIZ_H
#define PAGESIM_CMD_QUIZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct quiz_opts {
    const char *file;     /* NULL: generated                                 */
    const char *shown;    /* the name in error lines                         */
    bool seeded;
    uint64_t seed;
    int level, topic;     /* topic -1: the seed's                           */
    bool answers, json, play;
} quiz_opts_t;

/* Goes through the scenario text as o says: plays it (questions on
 * stdout, answers from stdin, the score at the end), or prints the sheet
 * (with --answers its solutions), or the JSON Lines. The exit status. */
int quiz_run(const quiz_opts_t *o, const char *text, size_t len);

#endif
