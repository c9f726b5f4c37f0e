/* Names of allocations and handles: the one a statement bound, or @N / #N
 * in order. Addresses print relative to the allocation that holds them, so
 * that two runs agree even where two systems chose different addresses. A
 * released allocation keeps its name for the addresses it had, until a live
 * one covers them. Lookups go through range maps (rmap.h), so each costs a
 * logarithm of the number of names, not a scan of them. */
#include "mem.h"
#include "scn_run_int.h"
#include <stdio.h>
#include <string.h>

static const char *text_of(const scn_name_t *n)
{
    return n->bound ? n->bound : n->gen;
}

static uint64_t key(uint32_t process, uint32_t addr)
{
    return (uint64_t)process << 32 | addr;
}

void names_init(scn_runner_t *r)
{
    rmap_init(&r->live, r->alloc);
    rmap_init(&r->dead, r->alloc);
    rmap_init(&r->handles, r->alloc);
}

void names_fini(scn_runner_t *r)
{
    rmap_fini(&r->live);
    rmap_fini(&r->dead);
    rmap_fini(&r->handles);
    ps_free(r->alloc, r->names, r->capnames * sizeof *r->names);
}

bool names_copy(scn_runner_t *dst, const scn_runner_t *src)
{
    if (src->nnames) {
        if (!ps_grow(dst->alloc, (void **)&dst->names, &dst->capnames, src->nnames, sizeof *dst->names)) return false;
        memcpy(dst->names, src->names, src->nnames * sizeof *dst->names);
        dst->nnames = src->nnames;
    }
    return rmap_copy(&dst->live, &src->live) == PS_OK && rmap_copy(&dst->dead, &src->dead) == PS_OK &&
           rmap_copy(&dst->handles, &src->handles) == PS_OK;
}

const char *names_add(scn_runner_t *r, int32_t slot, bool handle, uint32_t base, uint32_t size, uint32_t value)
{
    if (!ps_grow(r->alloc, (void **)&r->names, &r->capnames, r->nnames + 1, sizeof *r->names)) return NULL;
    uint32_t index = r->nnames;
    scn_name_t *n = &r->names[index];
    memset(n, 0, sizeof *n);
    if (slot >= 0) n->bound = r->s->names[slot];
    else snprintf(n->gen, sizeof n->gen, "%c%u", handle ? '#' : '@', handle ? ++r->next_handle : ++r->next_alloc);
    n->handle = handle;
    n->live = true;
    n->process = r->process;
    n->base = base;
    n->size = size;
    n->value = value;
    ps_result_t pr = handle ? rmap_set(&r->handles, value, (uint64_t)value + 1, index)
                            : rmap_set(&r->live, key(r->process, base), key(r->process, base) + (size ? size : 1), index);
    if (pr != PS_OK) return NULL;
    r->nnames++;
    return text_of(n);
}

void names_kill(scn_runner_t *r, uint32_t addr)
{
    const rmap_node_t *node = rmap_find(&r->live, key(r->process, addr));
    if (!node) return;
    uint64_t lo = node->lo, hi = node->hi;
    uint32_t index = node->value;
    r->names[index].live = false;
    rmap_remove(&r->live, lo);
    (void)rmap_set(&r->dead, lo, hi, index); /* out of memory: the address shows as a number */
}

void names_close_handle(scn_runner_t *r, uint32_t value)
{
    const rmap_node_t *node = rmap_find(&r->handles, value);
    if (!node) return;
    r->names[node->value].live = false;
    rmap_remove(&r->handles, value);
}

void names_addr(const scn_runner_t *r, uint32_t addr, char *buf, size_t n)
{
    names_addr_in(r, r->process, addr, buf, n);
}

void names_addr_in(const scn_runner_t *r, uint32_t process, uint32_t addr, char *buf, size_t n)
{
    const rmap_node_t *node = rmap_find(&r->live, key(process, addr));
    if (!node) node = rmap_find(&r->dead, key(process, addr));
    if (!node) {
        snprintf(buf, n, "0x%08X", addr);
        return;
    }
    const scn_name_t *nm = &r->names[node->value];
    if (addr == nm->base) snprintf(buf, n, "%s", text_of(nm));
    else snprintf(buf, n, "%s+0x%x", text_of(nm), addr - nm->base);
}

const char *names_handle(const scn_runner_t *r, uint32_t value)
{
    const rmap_node_t *node = rmap_find(&r->handles, value);
    return node ? text_of(&r->names[node->value]) : NULL;
}

const char *names_for_tag(void *ud, uint32_t tag)
{
    const scn_runner_t *r = ud;
    return tag && tag <= r->nnames ? text_of(&r->names[tag - 1]) : NULL;
}
