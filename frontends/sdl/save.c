/* Writing a PNG: SDL_image encodes into memory, and the file is written
 * here, so that every failure (no such folder, a full disk) has a reason
 * and leaves no partial file behind. */
#include "save.h"
#include "fe_output.h"
#include <SDL_image.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growing buffer behind an SDL_RWops that only writes. */
typedef struct membuf {
    unsigned char *data;
    size_t len, cap;
    bool failed;
} membuf_t;

/* Room for n more bytes in m (at least doubling); false when none. */
static bool mem_grow(membuf_t *m, size_t n)
{
    if (n <= m->cap - m->len) return true;
    if (n > SIZE_MAX - m->len) return false;
    size_t need = m->len + n, ncap = m->cap <= SIZE_MAX / 2 ? m->cap * 2 : need;
    if (ncap < need) ncap = need;
    if (ncap < 65536) ncap = 65536;
    unsigned char *nd = realloc(m->data, ncap);
    if (!nd) return false;
    m->data = nd;
    m->cap = ncap;
    return true;
}

static size_t SDLCALL mem_write(SDL_RWops *rw, const void *p, size_t size, size_t num)
{
    membuf_t *m = rw->hidden.unknown.data1;
    size_t n = size * num;
    if (m->failed || (num && n / num != size) || !mem_grow(m, n)) {
        m->failed = true;
        return 0;
    }
    if (n) memcpy(m->data + m->len, p, n);
    m->len += n;
    return num;
}

static Sint64 SDLCALL mem_size(SDL_RWops *rw)
{
    return (Sint64)((membuf_t *)rw->hidden.unknown.data1)->len;
}

static Sint64 SDLCALL mem_seek(SDL_RWops *rw, Sint64 offset, int whence)
{
    (void)rw, (void)offset, (void)whence;
    return SDL_SetError("a PNG is written in one pass");
}

static size_t SDLCALL mem_read(SDL_RWops *rw, void *p, size_t size, size_t num)
{
    (void)rw, (void)p, (void)size, (void)num;
    return 0;
}

static int SDLCALL mem_close(SDL_RWops *rw)
{
    SDL_FreeRW(rw);
    return 0;
}

/* The PNG of s in m; false with SDL's error. */
static bool encode(SDL_Surface *s, membuf_t *m)
{
    SDL_RWops *rw = SDL_AllocRW();
    if (!rw) return false;
    rw->type = SDL_RWOPS_UNKNOWN;
    rw->size = mem_size;
    rw->seek = mem_seek;
    rw->read = mem_read;
    rw->write = mem_write;
    rw->close = mem_close;
    rw->hidden.unknown.data1 = m;
    int rc = IMG_SavePNG_RW(s, rw, 1);
    if (rc == 0 && m->failed) SDL_SetError("out of memory");
    return rc == 0 && !m->failed;
}

/* data to path; 0, or the errno of what failed. */
static int write_file(const char *path, const unsigned char *data, size_t len)
{
    errno = 0;
    FILE *f = fopen(path, "wb");
    if (!f) return errno ? errno : EIO;
    errno = 0;
    size_t put = fwrite(data, 1, len, f);
    int e = put == len && fflush(f) == 0 ? 0 : (errno ? errno : EIO);
    if (fclose(f) != 0 && !e) e = errno ? errno : EIO;
    if (e) fe_remove_partial(path);
    return e;
}

bool save_png(SDL_Surface *s, const char *path, char *why, size_t size)
{
    membuf_t m = { NULL, 0, 0, false };
    bool ok = encode(s, &m);
    if (!ok) snprintf(why, size, "cannot encode the PNG: %s", SDL_GetError());
    int e = ok ? write_file(path, m.data, m.len) : 0;
    if (e) snprintf(why, size, "%s", strerror(e));
    free(m.data);
    return ok && !e;
}
