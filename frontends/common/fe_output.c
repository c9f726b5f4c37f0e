/* Error lines safe on a terminal, and the checked end of standard output,
 * for every front end. */
#include "fe_output.h"
#include "pagesim/strbuf.h"
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef S_ISREG /* Windows */
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#endif

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>

/* On Windows, standard output and error are put in binary mode before main
 * runs, in every front end (this file is in each): a line ends in "\n" as
 * everywhere else, so a Windows build prints byte for byte what the golden
 * files hold, under Wine too. Standard input keeps its text mode. */
static void binary_stdio(void)
{
    (void)_setmode(_fileno(stdout), _O_BINARY);
    (void)_setmode(_fileno(stderr), _O_BINARY);
}
#if defined(__GNUC__) || defined(__clang__)
__attribute__((constructor)) static void binary_stdio_at_start(void) { binary_stdio(); }
#elif defined(_MSC_VER)
#pragma section(".CRT$XCU", read)
__declspec(allocate(".CRT$XCU")) void(__cdecl *const fe_binary_stdio_at_start)(void) = binary_stdio;
#ifdef _M_IX86
#pragma comment(linker, "/include:_fe_binary_stdio_at_start")
#else
#pragma comment(linker, "/include:fe_binary_stdio_at_start")
#endif
#endif
#endif

/* s made safe (strbuf_put_safe: the core's rule for input text), then end
 * as it is, in one write. */
static void put_safe(FILE *f, const char *s, size_t n, const char *end)
{
    strbuf_t b;
    strbuf_init(&b, NULL);
    strbuf_put_safe(&b, s, n, (size_t)-1);
    strbuf_puts(&b, end);
    if (strbuf_failed(&b)) fwrite(end, 1, strlen(end), f); /* out of memory: nothing of s */
    else fwrite(strbuf_str(&b), 1, b.len, f);
    strbuf_fini(&b);
}

void fe_put_safe(FILE *f, const char *s, size_t n)
{
    put_safe(f, s, n, "");
}

void fe_error_line(const char *file, unsigned line, unsigned col, const char *msg)
{
    fe_errorf("%s:%u:%u: error: %s", file, line ? line : 1, col ? col : 1, msg);
}

void fe_error_text(const char *file, const char *error)
{
    unsigned line = 0, col = 0;
    int at = 0;
    if (sscanf(error, "%u:%u: error: %n", &line, &col, &at) == 2 && at > 0) fe_error_line(file, line, col, error + at);
    else fe_error_line(file, 1, 1, error);
}

void fe_errorf(const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (need < 0) return;
    char *text = small;
    if ((size_t)need >= sizeof small && (text = malloc((size_t)need + 1)) != NULL) {
        va_start(ap, fmt);
        vsnprintf(text, (size_t)need + 1, fmt, ap);
        va_end(ap);
    }
    if (!text) text = small, need = (int)strlen(small); /* out of memory: the message cut */
    put_safe(stderr, text, (size_t)need, "\n");
    if (text != small) free(text);
}

void fe_remove_partial(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) remove(path);
}

int fe_finish_output(const char *prog, int status)
{
    errno = 0;
    bool failed = fflush(stdout) != 0;
    int why = errno;
    failed |= ferror(stdout) != 0;
    /* Flushed: nothing is pending, so a stdout closed from the start
     * (EBADF) lost nothing. */
    errno = 0;
    if (fclose(stdout) != 0 && !failed && errno != EBADF) {
        failed = true;
        why = errno;
    }
    if (!failed || status == 2) return status; /* a status of 2 was explained already */
    fe_errorf("%s: cannot write the output: %s", prog, why ? strerror(why) : "write error");
    return 2;
}
