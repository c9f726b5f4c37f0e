/* Sparse physical memory: a two-level table of frame pointers (1024 groups
 * of 1024 frames), so that a 4 GB machine with a handful of written frames
 * costs a few kilobytes.
 *
 * A frame stores its bytes up to the last one ever written non-zero,
 * rounded up to a power of two from 64 (the rest reads as zeros): a page
 * that holds a few bytes costs 64 of them, not 4096.
 *
 * A copy (phys_clone) shares every frame with its original: a frame counts
 * the memories that hold it, and the first write through one of them
 * gives that one a frame of its own. A history of many copies of one
 * machine so costs the frames that changed between them, not whole copies
 * (sim/src/history.c). */
#include "pagesim/phys.h"
#include "mem.h"
#include <stddef.h>
#include <string.h>

#define GROUPS 1024u
#define GROUP_FRAMES 1024u
#define FRAME 4096u
#define MIN_CAP 64u

typedef struct frame {
    uint32_t refs;           /* the memories that hold this frame            */
    uint32_t cap;            /* bytes stored (MIN_CAP..FRAME, a power of two) */
    uint8_t data[];
} frame_t;

typedef struct group {
    frame_t *frame[GROUP_FRAMES];
} group_t;

struct phys {
    const ps_alloc_t *alloc;
    uint64_t size;
    uint32_t stored;
    uint32_t groups_used;
    uint64_t bytes;          /* the frames this memory holds, with headers    */
    uint32_t gen;            /* changes when a frame's storage moves or goes  */
    group_t *group[GROUPS];
};

static size_t frame_bytes(uint32_t cap)
{
    return offsetof(frame_t, data) + cap;
}

/* This memory lets go of f (freed with its last holder). */
static void frame_put(phys_t *p, frame_t *f)
{
    p->bytes -= frame_bytes(f->cap);
    if (--f->refs == 0) ps_free(p->alloc, f, frame_bytes(f->cap));
}

ps_result_t phys_new(const ps_alloc_t *a, uint64_t size, phys_t **out)
{
    *out = NULL;
    if (!a) a = ps_default_alloc();
    if (size == 0 || size > PHYS_MAX_SIZE || size % FRAME != 0) return PS_EINVAL;
    phys_t *p = ps_calloc(a, sizeof *p);
    if (!p) return PS_ENOMEM;
    p->alloc = a;
    p->size = size;
    *out = p;
    return PS_OK;
}

void phys_free(phys_t *p)
{
    if (!p) return;
    for (uint32_t g = 0; g < GROUPS; g++) {
        group_t *grp = p->group[g];
        if (!grp) continue;
        for (uint32_t f = 0; f < GROUP_FRAMES; f++)
            if (grp->frame[f]) frame_put(p, grp->frame[f]);
        ps_free(p->alloc, grp, sizeof *grp);
    }
    ps_free(p->alloc, p, sizeof *p);
}

phys_t *phys_clone(const phys_t *p)
{
    phys_t *c;
    if (phys_new(p->alloc, p->size, &c) != PS_OK) return NULL;
    for (uint32_t g = 0; g < GROUPS; g++) {
        const group_t *src = p->group[g];
        if (!src) continue;
        group_t *dst = ps_malloc(p->alloc, sizeof *dst);
        if (!dst) {
            phys_free(c);
            return NULL;
        }
        *dst = *src;
        c->group[g] = dst;
        c->groups_used++;
        for (uint32_t f = 0; f < GROUP_FRAMES; f++) {
            if (!dst->frame[f]) continue;
            dst->frame[f]->refs++;
            c->stored++;
            c->bytes += frame_bytes(dst->frame[f]->cap);
        }
    }
    return c;
}

uint64_t phys_size(const phys_t *p)
{
    return p->size;
}

bool phys_contains(const phys_t *p, uint64_t addr, uint64_t len)
{
    return addr <= p->size && len <= p->size - addr;
}

static const frame_t *frame_ro(const phys_t *p, uint32_t pfn)
{
    const group_t *g = p->group[pfn / GROUP_FRAMES];
    return g ? g->frame[pfn % GROUP_FRAMES] : NULL;
}

const uint8_t *phys_frame_peek(const phys_t *p, uint32_t pfn, uint32_t *len)
{
    const frame_t *f = (uint64_t)pfn < p->size >> 12 ? frame_ro(p, pfn) : NULL;
    *len = f ? f->cap : 0;
    return f ? f->data : NULL;
}

/* Frame pfn's bytes, this memory's own and stored up to end at least
 * (1..FRAME): made, copied from a shared one or grown as needed. NULL when
 * memory runs out (nothing is changed then). */
static uint8_t *frame_rw(phys_t *p, uint32_t pfn, uint32_t end)
{
    group_t **gp = &p->group[pfn / GROUP_FRAMES];
    if (!*gp) {
        *gp = ps_calloc(p->alloc, sizeof **gp);
        if (!*gp) return NULL;
        p->groups_used++;
    }
    frame_t **fp = &(*gp)->frame[pfn % GROUP_FRAMES];
    frame_t *f = *fp;
    if (f && f->refs == 1 && f->cap >= end) return f->data;
    uint32_t cap = f ? f->cap : MIN_CAP;
    while (cap < end) cap <<= 1;
    frame_t *n = ps_malloc(p->alloc, frame_bytes(cap));
    if (!n) return NULL;
    n->refs = 1;
    n->cap = cap;
    uint32_t keep = f ? f->cap : 0;
    if (keep) memcpy(n->data, f->data, keep);
    memset(n->data + keep, 0, cap - keep);
    if (f) frame_put(p, f);
    else p->stored++;
    p->bytes += frame_bytes(cap);
    *fp = n;
    if (keep == FRAME) p->gen++; /* a frame stored in full moved (see phys_generation) */
    return n->data;
}

/* Where a write of in[0..n) at offset off of frame pfn must end: past its
 * last non-zero byte, and over whatever of the range the frame stores (a
 * zero written where nothing is stored changes nothing). 0: nothing to
 * write. */
static uint32_t write_end(const phys_t *p, uint32_t pfn, uint32_t off, const uint8_t *in, uint32_t n)
{
    const frame_t *f = frame_ro(p, pfn);
    uint32_t stored = f ? f->cap : 0, end = off + n < stored ? off + n : stored;
    for (uint32_t j = n; j > 0 && off + j > end; j--)
        if (in[j - 1]) return off + j;
    return end > off ? end : 0;
}

uint8_t phys_read8(const phys_t *p, uint32_t addr)
{
    if (addr >= p->size) return 0xFF;
    const frame_t *f = frame_ro(p, addr >> 12);
    uint32_t off = addr & 0xFFFu;
    return f && off < f->cap ? f->data[off] : 0;
}

uint32_t phys_read32(const phys_t *p, uint32_t addr)
{
    uint32_t off = addr & 0xFFFu;
    if (off <= FRAME - 4 && (uint64_t)addr + 4 <= p->size) {
        const frame_t *f = frame_ro(p, addr >> 12);
        if (!f || off >= f->cap) return 0;
        if (off + 4 <= f->cap) return phys_le32(f->data + off);
    }
    uint32_t v = 0;
    for (uint32_t i = 0; i < 4; i++) v |= (uint32_t)phys_read8(p, addr + i) << (8 * i);
    return v;
}

/* The part of [addr, addr+len) in frame addr >> 12, and whether it lies
 * in memory (past the end of memory, a byte at a time). */
static uint32_t chunk(const phys_t *p, uint32_t addr, uint32_t len, bool *inside)
{
    uint32_t n = FRAME - (addr & 0xFFFu);
    if (n > len) n = len;
    *inside = (uint64_t)addr + n <= p->size;
    return *inside ? n : 1;
}

void phys_read(const phys_t *p, uint32_t addr, void *buf, uint32_t len)
{
    uint8_t *out = buf;
    while (len) {
        bool inside;
        uint32_t n = chunk(p, addr, len, &inside);
        if (!inside) {
            *out = phys_read8(p, addr);
        } else {
            const frame_t *f = frame_ro(p, addr >> 12);
            uint32_t off = addr & 0xFFFu, have = f && off < f->cap ? f->cap - off : 0;
            if (have > n) have = n;
            if (have) memcpy(out, f->data + off, have);
            memset(out + have, 0, n - have);
        }
        out += n;
        addr += n;
        len -= n;
    }
}

/* Writes in two passes: every frame the write needs is made first, so a
 * write that runs out of memory changes nothing. */
ps_result_t phys_write(phys_t *p, uint32_t addr, const void *buf, uint32_t len)
{
    for (int pass = 0; pass < 2; pass++) {
        const uint8_t *in = buf;
        uint32_t a = addr, left = len;
        while (left) {
            bool inside;
            uint32_t n = chunk(p, a, left, &inside);
            uint32_t off = a & 0xFFFu, end = inside ? write_end(p, a >> 12, off, in, n) : 0;
            if (end) {
                uint8_t *f = frame_rw(p, a >> 12, end);
                if (!f) return PS_ENOMEM;
                if (pass) memcpy(f + off, in, end - off);
            }
            in += n;
            a += n;
            left -= n;
        }
    }
    return PS_OK;
}

uint8_t *phys_span_rw(phys_t *p, uint32_t addr, uint32_t len)
{
    uint32_t off = addr & 0xFFFu;
    if (!len || len > FRAME - off || (uint64_t)addr + len > p->size) return NULL;
    const group_t *g = p->group[(addr >> 12) / GROUP_FRAMES];
    frame_t *f = g ? g->frame[(addr >> 12) % GROUP_FRAMES] : NULL;
    return f && f->refs == 1 && f->cap >= off + len ? f->data + off : NULL;
}

uint8_t *phys_frame_own(phys_t *p, uint32_t addr)
{
    if ((uint64_t)addr >= p->size) return NULL;
    return frame_rw(p, addr >> 12, FRAME);
}

uint32_t phys_generation(const phys_t *p)
{
    return p->gen;
}

const uint32_t *phys_generation_ref(const phys_t *p)
{
    return &p->gen;
}

ps_result_t phys_write8(phys_t *p, uint32_t addr, uint8_t value)
{
    return phys_write(p, addr, &value, 1);
}

ps_result_t phys_write32(phys_t *p, uint32_t addr, uint32_t value)
{
    const uint8_t b[4] = { (uint8_t)value, (uint8_t)(value >> 8), (uint8_t)(value >> 16), (uint8_t)(value >> 24) };
    return phys_write(p, addr, b, 4);
}

void phys_discard_frame(phys_t *p, uint32_t addr)
{
    uint32_t pfn = addr >> 12;
    group_t *g = p->group[pfn / GROUP_FRAMES];
    frame_t *f = g ? g->frame[pfn % GROUP_FRAMES] : NULL;
    if (!f) return;
    frame_put(p, f);
    g->frame[pfn % GROUP_FRAMES] = NULL;
    p->stored--;
    p->gen++;
}

uint32_t phys_stored_frames(const phys_t *p)
{
    return p->stored;
}

uint64_t phys_footprint(const phys_t *p)
{
    return sizeof *p + (uint64_t)p->groups_used * sizeof(group_t) + p->bytes;
}
