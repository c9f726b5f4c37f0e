/* pagesim quiz: predict, then see. A scenario (a file, or one generated
 * from a seed) is gone through statement by statement with the core's
 * questions (pagesim/quiz.h): played on the terminal (answers read from
 * standard input, so it can be scripted), or printed as a sheet, with
 * --answers its solutions, with --json as JSON Lines for graders
 * (docs/quiz.md). */
#include "cli.h"
#include "cmd_quiz.h"
#include "fe_file.h"
#include "fe_output.h"
#include "pagesim/quiz.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char quiz_usage[] =
    "usage: pagesim quiz [--answers|--json] FILE        play a scenario's quiz (answers on stdin), or print it\n"
    "       pagesim quiz --seed N [--level 1-3] [--topic walk|win32|paging|tlb] [--answers|--json|--play]";

static int bad(const char *fmt, const char *arg)
{
    char msg[300];
    snprintf(msg, sizeof msg, fmt, arg);
    fe_errorf("pagesim quiz: %s (see pagesim quiz --help)", msg);
    return EXIT_UNUSABLE;
}

/* A whole number in [lo, hi] from s, or false. */
static bool whole(const char *s, unsigned long long lo, unsigned long long hi, unsigned long long *out)
{
    if (!*s || *s == '-' || *s == '+' || *s == ' ') return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno || v < lo || v > hi) return false;
    *out = v;
    return true;
}

/* One option with its value (argv[*i + 1]). 0, or EXIT_UNUSABLE said. */
static int option_value(int argc, char **argv, int *i, quiz_opts_t *o)
{
    const char *a = argv[*i];
    if (*i + 1 >= argc) return bad("'%s' needs a value", a);
    const char *v = argv[++*i];
    unsigned long long n;
    if (strcmp(a, "--seed") == 0) {
        if (!whole(v, 0, 0xFFFFFFFFFFFFFFFFull, &n)) return bad("--seed takes a whole number, not '%s'", v);
        o->seed = n;
        o->seeded = true;
    } else if (strcmp(a, "--level") == 0) {
        if (!whole(v, QUIZ_LEVEL_MIN, QUIZ_LEVEL_MAX, &n)) return bad("--level takes 1, 2 or 3, not '%s'", v);
        o->level = (int)n;
    } else {
        quiz_topic_t t;
        if (!quiz_topic_parse(v, &t)) return bad("--topic takes walk, win32, paging or tlb, not '%s'", v);
        o->topic = (int)t;
    }
    return 0;
}

static int parse_args(int argc, char **argv, quiz_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->level = 1;
    o->topic = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            printf("%s\n", quiz_usage);
            return -1;
        }
        if (strcmp(a, "--seed") == 0 || strcmp(a, "--level") == 0 || strcmp(a, "--topic") == 0) {
            if (option_value(argc, argv, &i, o)) return EXIT_UNUSABLE;
        } else if (strcmp(a, "--answers") == 0) o->answers = true;
        else if (strcmp(a, "--json") == 0) o->json = true;
        else if (strcmp(a, "--play") == 0) o->play = true;
        else if (a[0] == '-' && a[1] != '\0') return bad("unknown option '%s'", a);
        else if (o->file) return bad("one scenario at a time ('%s' and another)", a);
        else o->file = a;
    }
    if (o->file && o->seeded) return bad("a scenario file or --seed, not both ('%s')", o->file);
    if (!o->file && !o->seeded) return bad("%s", "a scenario file or --seed N is needed");
    if ((o->answers || o->json) + o->play > 1 || (o->answers && o->json))
        return bad("%s", "choose one of --answers, --json and --play");
    if (o->file && (o->level != 1 || o->topic >= 0)) return bad("%s", "--level and --topic go with --seed");
    if (o->file && strcmp(o->file, "-") == 0 && !o->answers && !o->json)
        return bad("%s", "playing reads answers on standard input: the scenario must be a file, not '-'");
    o->play = o->file ? !(o->answers || o->json) : o->play;
    return 0;
}

int cmd_quiz(int argc, char **argv)
{
    quiz_opts_t o;
    int rc = parse_args(argc, argv, &o);
    if (rc) return rc < 0 ? EXIT_RAN : rc;
    char *text;
    size_t len;
    strbuf_t gen;
    strbuf_init(&gen, NULL);
    if (o.seeded) {
        quiz_topic_t topic = o.topic >= 0 ? (quiz_topic_t)o.topic : quiz_topic_of_seed(o.seed);
        o.topic = (int)topic;
        if (quiz_generate(o.seed, o.level, topic, &gen) != PS_OK) {
            strbuf_fini(&gen);
            fe_errorf("pagesim quiz: out of memory");
            return EXIT_UNUSABLE;
        }
        o.shown = "<generated>";
        text = (char *)strbuf_str(&gen);
        len = gen.len;
    } else {
        const char *why;
        o.shown = strcmp(o.file, "-") == 0 ? "<stdin>" : o.file;
        text = fe_read_file(o.file, &len, &why);
        if (!text) {
            char msg[300];
            snprintf(msg, sizeof msg, "cannot read the scenario: %s", why);
            fe_error_line(o.shown, 1, 1, msg);
            strbuf_fini(&gen);
            return EXIT_UNUSABLE;
        }
    }
    rc = quiz_run(&o, text, len);
    if (!o.seeded) free(text);
    strbuf_fini(&gen);
    return rc;
}
