/* What the front ends share: error lines that are safe on a terminal, and
 * the end of a program's output, checked. */
#ifndef PAGESIM_FE_OUTPUT_H
#define PAGESIM_FE_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#if defined(__GNUC__) || defined(__clang__)
#define FE_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define FE_PRINTF(fmt, args)
#endif

/* Writes the n bytes of s to f so that no byte can drive a terminal: valid
 * UTF-8 text and tabs go out as they are; control characters (C0, DEL, and
 * C1 in UTF-8), other bytes below 0x20 (newline too) and bytes of invalid
 * UTF-8 go out as \xHH. NUL bytes in s are written as \x00. */
void fe_put_safe(FILE *f, const char *s, size_t n);

/* "FILE:LINE:COL: error: MSG\n" on stderr, FILE and MSG through
 * fe_put_safe. A line or column of 0 is shown as 1. */
void fe_error_line(const char *file, unsigned line, unsigned col, const char *msg);

/* An error string as the core's history gives it, "LINE:COL: error: MSG",
 * or a bare MSG ("out of memory"), reported as fe_error_line does (a bare
 * MSG at 1:1). */
void fe_error_text(const char *file, const char *error);

/* A printf-formatted line on stderr ("PROGRAM: MESSAGE"), through
 * fe_put_safe, with the newline added. */
void fe_errorf(const char *fmt, ...) FE_PRINTF(1, 2);

/* Removes what a failed write left at path when it is a regular file;
 * anything else (a device such as /dev/full, a pipe) stays. */
void fe_remove_partial(const char *path);

/* The last thing a program does: flushes and closes standard output and
 * checks that everything written reached it. Returns status when it did;
 * else says "PROGRAM: cannot write the output: REASON" on stderr and
 * returns 2 (said only when status is not 2 already: a program that
 * failed has said why). Nothing may be written to stdout afterwards. */
int fe_finish_output(const char *prog, int status);

#endif
