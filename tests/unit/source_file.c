/* Test helper: reading a file of the source tree. */
#include "source_file.h"
#include "fe_file.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

char *source_file(const char *rel, size_t *len)
{
    char path[1024];
    const char *why = "";
    snprintf(path, sizeof path, "%s/%s", PAGESIM_SOURCE_DIR, rel);
    char *text = fe_read_file(path, len, &why);
    if (!text) fail_msg("%s: %s", path, why);
    return text;
}
