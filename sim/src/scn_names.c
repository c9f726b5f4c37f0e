/* Names of allocations and handles: the one a statement bound, or @N / #N
 * in order. Addresses print relative to the allocation that holds them, so
 * that two runs agree even where two systems chose different addresses. A
 * released allocation keeps its name for the addresses it had, until a live
 * one covers them. */
#include "mem.h"
#include "scn_run_int.h"
#include <stdio.h>
#include <string.h>

const char *names_add(scn_runner_t *r, int32_t slot, bool handle, uint32_t base, uint32_t size, uint32_t value)
{
    if (!ps_grow(r->alloc, (void **)&r->names, &r->capnames, r->nnames + 1, sizeof *r->names)) return NULL;
    scn_name_t *n = &r->names[r->nnames];
    memset(n, 0, sizeof *n);
    if (slot >= 0) snprintf(n->text, sizeof n->text, "%s", r->s->names[slot]);
    else if (handle) snprintf(n->text, sizeof n->text, "#%u", ++r->next_handle);
    else snprintf(n->text, sizeof n->text, "@%u", ++r->next_alloc);
    n->handle = handle;
    n->live = true;
    n->process = r->process;
    n->base = base;
    n->size = size;
    n->value = value;
    r->nnames++;
    return n->text;
}

void names_kill(scn_runner_t *r, uint32_t base)
{
    for (uint32_t i = r->nnames; i-- > 0;) {
        scn_name_t *n = &r->names[i];
        if (!n->handle && n->live && n->process == r->process && n->base == base) {
            n->live = false;
            return;
        }
    }
}

static const scn_name_t *covering(const scn_runner_t *r, uint32_t addr, bool live)
{
    for (uint32_t i = r->nnames; i-- > 0;) {
        const scn_name_t *n = &r->names[i];
        if (!n->handle && n->live == live && n->process == r->process && addr >= n->base &&
            addr - n->base < n->size)
            return n;
    }
    return NULL;
}

void names_addr(const scn_runner_t *r, uint32_t addr, char *buf, size_t n)
{
    const scn_name_t *nm = covering(r, addr, true);
    if (!nm) nm = covering(r, addr, false);
    if (!nm) snprintf(buf, n, "0x%08X", addr);
    else if (addr == nm->base) snprintf(buf, n, "%s", nm->text);
    else snprintf(buf, n, "%s+0x%x", nm->text, addr - nm->base);
}

const char *names_handle(const scn_runner_t *r, uint32_t value)
{
    for (uint32_t i = r->nnames; i-- > 0;)
        if (r->names[i].handle && r->names[i].live && r->names[i].value == value) return r->names[i].text;
    return NULL;
}

const char *names_for_tag(void *ud, uint32_t tag)
{
    const scn_runner_t *r = ud;
    return tag && tag <= r->nnames ? r->names[tag - 1].text : NULL;
}
