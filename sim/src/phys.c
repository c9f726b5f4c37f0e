/* Sparse physical memory: a two-level table of frame pointers (1024 groups
 * of 1024 frames), so that a 4 GB machine with a handful of written frames
 * costs a few kilobytes.
 *
 * A copy (phys_clone) shares every frame with its original: a frame counts
 * the memories that hold it, and the first write through one of them
 * gives that one a frame of its own. A history of many copies of one
 * machine so costs the frames that changed between them, not whole copies
 * (sim/src/history.c). */
#include "pagesim/phys.h"
#include "mem.h"
#include <string.h>

#define GROUPS 1024u
#define GROUP_FRAMES 1024u

typedef struct frame {
    uint32_t refs;           /* the memories that hold this frame            */
    uint8_t data[4096];
} frame_t;

typedef struct group {
    frame_t *frame[GROUP_FRAMES];
} group_t;

struct phys {
    const ps_alloc_t *alloc;
    uint64_t size;
    uint32_t stored;
    uint32_t groups_used;
    group_t *group[GROUPS];
};

ps_result_t phys_new(const ps_alloc_t *a, uint64_t size, phys_t **out)
{
    *out = NULL;
    if (!a) a = ps_default_alloc();
    if (size == 0 || size > PHYS_MAX_SIZE || size % 4096u != 0) return PS_EINVAL;
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
        for (uint32_t f = 0; f < GROUP_FRAMES; f++) {
            frame_t *fr = grp->frame[f];
            if (fr && --fr->refs == 0) ps_free(p->alloc, fr, sizeof *fr);
        }
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
        group_t *dst = ps_calloc(p->alloc, sizeof *dst);
        if (!dst) goto fail;
        c->group[g] = dst;
        c->groups_used++;
        for (uint32_t f = 0; f < GROUP_FRAMES; f++) {
            if (!src->frame[f]) continue;
            dst->frame[f] = src->frame[f];
            dst->frame[f]->refs++;
            c->stored++;
        }
    }
    return c;
fail:
    phys_free(c);
    return NULL;
}

uint64_t phys_size(const phys_t *p)
{
    return p->size;
}

bool phys_contains(const phys_t *p, uint64_t addr, uint64_t len)
{
    return addr <= p->size && len <= p->size - addr;
}

static const uint8_t *frame_ro(const phys_t *p, uint32_t pfn)
{
    const group_t *g = p->group[pfn / GROUP_FRAMES];
    const frame_t *f = g ? g->frame[pfn % GROUP_FRAMES] : NULL;
    return f ? f->data : NULL;
}

const uint8_t *phys_frame_peek(const phys_t *p, uint32_t pfn)
{
    return (uint64_t)pfn < p->size >> 12 ? frame_ro(p, pfn) : NULL;
}

static uint8_t *frame_rw(phys_t *p, uint32_t pfn)
{
    group_t **gp = &p->group[pfn / GROUP_FRAMES];
    if (!*gp) {
        *gp = ps_calloc(p->alloc, sizeof **gp);
        if (!*gp) return NULL;
        p->groups_used++;
    }
    frame_t **fp = &(*gp)->frame[pfn % GROUP_FRAMES];
    if (!*fp) {
        *fp = ps_calloc(p->alloc, sizeof **fp);
        if (!*fp) return NULL;
        (*fp)->refs = 1;
        p->stored++;
    } else if ((*fp)->refs > 1) {
        /* Shared with a copy: this memory takes a frame of its own. */
        frame_t *own = ps_malloc(p->alloc, sizeof *own);
        if (!own) return NULL;
        memcpy(own->data, (*fp)->data, sizeof own->data);
        own->refs = 1;
        (*fp)->refs--;
        *fp = own;
    }
    return (*fp)->data;
}

uint8_t phys_read8(const phys_t *p, uint32_t addr)
{
    if (addr >= p->size) return 0xFF;
    const uint8_t *f = frame_ro(p, addr >> 12);
    return f ? f[addr & 0xFFFu] : 0;
}

ps_result_t phys_write8(phys_t *p, uint32_t addr, uint8_t value)
{
    if (addr >= p->size) return PS_OK;
    uint8_t *f = frame_rw(p, addr >> 12);
    if (!f) return PS_ENOMEM;
    f[addr & 0xFFFu] = value;
    return PS_OK;
}

uint32_t phys_read32(const phys_t *p, uint32_t addr)
{
    if ((addr & 0xFFFu) <= 0xFFCu && (uint64_t)addr + 4 <= p->size) {
        const uint8_t *f = frame_ro(p, addr >> 12);
        if (!f) return 0;
        return phys_le32(f + (addr & 0xFFFu));
    }
    uint32_t v = 0;
    for (uint32_t i = 0; i < 4; i++) v |= (uint32_t)phys_read8(p, addr + i) << (8 * i);
    return v;
}

ps_result_t phys_write32(phys_t *p, uint32_t addr, uint32_t value)
{
    /* Make sure every frame exists first, so a failure changes nothing. */
    if ((uint64_t)addr < p->size && !frame_rw(p, addr >> 12)) return PS_ENOMEM;
    if ((uint64_t)addr + 3 < p->size && !frame_rw(p, (addr + 3) >> 12)) return PS_ENOMEM;
    for (uint32_t i = 0; i < 4; i++) (void)phys_write8(p, addr + i, (uint8_t)(value >> (8 * i)));
    return PS_OK;
}

/* Frame by frame: the bytes of [addr, addr+len) in frame addr >> 12, and
 * whether they lie in memory (the rest of the range is then handled a byte
 * at a time, past the end of memory). */
static uint32_t chunk(const phys_t *p, uint32_t addr, uint32_t len, bool *inside)
{
    uint32_t n = 4096u - (addr & 0xFFFu);
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
        const uint8_t *f = inside ? frame_ro(p, addr >> 12) : NULL;
        if (!inside) *out = phys_read8(p, addr);
        else if (f) memcpy(out, f + (addr & 0xFFFu), n);
        else memset(out, 0, n);
        out += n;
        addr += n;
        len -= n;
    }
}

ps_result_t phys_write(phys_t *p, uint32_t addr, const void *buf, uint32_t len)
{
    const uint8_t *in = buf;
    while (len) {
        bool inside;
        uint32_t n = chunk(p, addr, len, &inside);
        if (inside) {
            uint8_t *f = frame_rw(p, addr >> 12);
            if (!f) return PS_ENOMEM;
            memcpy(f + (addr & 0xFFFu), in, n);
        } /* else: past the end of memory, the byte is dropped */
        in += n;
        addr += n;
        len -= n;
    }
    return PS_OK;
}

void phys_discard_frame(phys_t *p, uint32_t addr)
{
    uint32_t pfn = addr >> 12;
    group_t *g = p->group[pfn / GROUP_FRAMES];
    frame_t *f = g ? g->frame[pfn % GROUP_FRAMES] : NULL;
    if (!f) return;
    if (--f->refs == 0) ps_free(p->alloc, f, sizeof *f);
    g->frame[pfn % GROUP_FRAMES] = NULL;
    p->stored--;
}

uint32_t phys_stored_frames(const phys_t *p)
{
    return p->stored;
}

uint64_t phys_footprint(const phys_t *p)
{
    return sizeof *p + (uint64_t)p->groups_used * sizeof(group_t) + (uint64_t)p->stored * 4096u;
}
