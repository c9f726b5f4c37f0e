/* The paging unit: registers, the two-level walk, access rights, accessed
 * and dirty flags, and the TLB in front of it.
 *
 * Model of the processor, after Intel SDM vol. 3A chapter 4:
 *  - A translation exists only if every entry used is present and no
 *    reserved bit is set (4.3). Otherwise #PF, with P = 0 in the error code
 *    for a not-present entry and P = 1, RSVD = 1 for a reserved bit.
 *  - Rights are the AND of R/W and of U/S over the levels (4.6). User mode
 *    needs U/S = 1 and, to write, R/W = 1. Supervisor mode may read
 *    anything and may write anything when CR0.WP = 0; with CR0.WP = 1 it
 *    needs R/W = 1. Without PAE/NXE there is no execute protection, so an
 *    instruction fetch is checked as a read and the I/D bit stays 0 (4.7).
 *  - Accessed and dirty flags (4.8) are set, in memory, only when the access
 *    is allowed: A in every entry used, D in the entry that maps the page
 *    (the PTE, or the PDE of a 4 MB page) on a write. A page fault sets
 *    nothing.
 *  - The TLB (4.10) caches the frame, the combined rights and the dirty
 *    state. A hit uses the cached rights, so an entry changed in memory
 *    without INVLPG keeps its stale translation. A write through an entry
 *    cached clean walks again so that D gets set in memory. A page fault
 *    invalidates the TLB entries for the faulting address. */
#include "pagesim/mmu.h"
#include "mem.h"
#include "tlb.h"
#include <string.h>

struct mmu {
    const ps_alloc_t *alloc;
    phys_t *phys;
    uint32_t cr0, cr3, cr4;
    tlb_t tlb;
    mmu_stats_t stats;
    mmu_hooks_t hooks;
};

const char *mmu_reason_str(mmu_reason_t r)
{
    switch (r) {
    case MMU_OK: return "translated";
    case MMU_PDE_NOT_PRESENT: return "PDE not present";
    case MMU_PTE_NOT_PRESENT: return "PTE not present";
    case MMU_PDE_RESERVED: return "reserved bit set in a 4 MB PDE";
    case MMU_USER_SUPERVISOR: return "user-mode access to a supervisor page";
    case MMU_USER_WRITE_RO: return "user-mode write to a read-only page";
    case MMU_KERNEL_WRITE_RO: return "supervisor-mode write to a read-only page with CR0.WP=1";
    }
    return "unknown";
}

const char *mmu_access_str(mmu_access_t a)
{
    return a == MMU_WRITE ? "write" : a == MMU_EXEC ? "exec" : "read";
}

const char *mmu_mode_str(mmu_mode_t m)
{
    return m == MMU_KERNEL ? "kernel" : "user";
}

const char *mmu_tlb_use_str(mmu_tlb_use_t t)
{
    return t == MMU_TLB_HIT ? "hit" : t == MMU_TLB_MISS ? "miss" : "off";
}

ps_result_t mmu_new(const ps_alloc_t *a, const mmu_config_t *cfg, mmu_t **out)
{
    *out = NULL;
    if (!a) a = ps_default_alloc();
    if (cfg->tlb_entries > MMU_TLB_MAX) return PS_EINVAL;
    mmu_t *m = ps_calloc(a, sizeof *m);
    if (!m) return PS_ENOMEM;
    m->alloc = a;
    m->cr0 = X86_CR0_PG;
    ps_result_t r = phys_new(a, cfg->ram_size, &m->phys);
    if (r == PS_OK) r = tlb_init(&m->tlb, a, cfg->tlb_entries);
    if (r != PS_OK) {
        mmu_free(m);
        return r;
    }
    *out = m;
    return PS_OK;
}

void mmu_free(mmu_t *m)
{
    if (!m) return;
    phys_free(m->phys);
    tlb_fini(&m->tlb);
    ps_free(m->alloc, m, sizeof *m);
}

mmu_t *mmu_clone(const mmu_t *m)
{
    mmu_t *c = ps_calloc(m->alloc, sizeof *c);
    if (!c) return NULL;
    *c = *m;
    memset(&c->hooks, 0, sizeof c->hooks);
    c->phys = phys_clone(m->phys);
    if (!c->phys || tlb_copy(&c->tlb, &m->tlb) != PS_OK) {
        phys_free(c->phys);
        ps_free(m->alloc, c, sizeof *c);
        return NULL;
    }
    return c;
}

phys_t *mmu_phys(mmu_t *m) { return m->phys; }
const phys_t *mmu_phys_const(const mmu_t *m) { return m->phys; }
uint32_t mmu_cr0(const mmu_t *m) { return m->cr0; }
uint32_t mmu_cr3(const mmu_t *m) { return m->cr3; }
uint32_t mmu_cr4(const mmu_t *m) { return m->cr4; }
const mmu_stats_t *mmu_stats(const mmu_t *m) { return &m->stats; }
uint32_t mmu_tlb_capacity(const mmu_t *m) { return m->tlb.cap; }
uint32_t mmu_tlb_count(const mmu_t *m) { return m->tlb.count; }

void mmu_set_hooks(mmu_t *m, const mmu_hooks_t *h)
{
    if (h) m->hooks = *h;
    else memset(&m->hooks, 0, sizeof m->hooks);
}

static void notify_flush(mmu_t *m, bool include_global)
{
    if (m->hooks.on_tlb) {
        for (uint32_t i = 0; i < m->tlb.cap; i++) {
            const tlb_entry_t *e = &m->tlb.e[i];
            if (!(e->flags & TLB_VALID) || (!include_global && (e->flags & TLB_GLOBAL))) continue;
            mmu_tlb_info_t info;
            tlb_entry_info(e, &info);
            m->hooks.on_tlb(m->hooks.ud, MMU_TLB_INVALIDATE, &info);
        }
    }
    tlb_flush(&m->tlb, include_global);
}

void mmu_flush_tlb(mmu_t *m, bool include_global)
{
    m->stats.tlb_flushes++;
    notify_flush(m, include_global);
}

void mmu_set_cr0(mmu_t *m, uint32_t v)
{
    m->cr0 = v | X86_CR0_PG;
}

void mmu_set_cr3(mmu_t *m, uint32_t v)
{
    m->cr3 = v;
    mmu_flush_tlb(m, false);
}

void mmu_set_cr4(mmu_t *m, uint32_t v)
{
    bool pge_changed = (m->cr4 ^ v) & X86_CR4_PGE;
    m->cr4 = v;
    if (pge_changed) mmu_flush_tlb(m, true);
}

/* Removes the entries translating va (4 KB and 4 MB), telling the hook. */
static void drop_entries(mmu_t *m, uint32_t va)
{
    if (m->hooks.on_tlb) {
        tlb_entry_t *e = tlb_find_tag(&m->tlb, va >> 12);
        tlb_entry_t *l = tlb_find_tag(&m->tlb, (va >> 22) | TLB_LARGE_TAG);
        mmu_tlb_info_t info;
        if (e) {
            tlb_entry_info(e, &info);
            m->hooks.on_tlb(m->hooks.ud, MMU_TLB_INVALIDATE, &info);
        }
        if (l) {
            tlb_entry_info(l, &info);
            m->hooks.on_tlb(m->hooks.ud, MMU_TLB_INVALIDATE, &info);
        }
    }
    tlb_invalidate(&m->tlb, va);
}

void mmu_invlpg(mmu_t *m, uint32_t va)
{
    m->stats.invlpgs++;
    if (m->tlb.cap) drop_entries(m, va);
}

bool mmu_tlb_get(const mmu_t *m, uint32_t i, mmu_tlb_info_t *out)
{
    for (uint32_t s = 0; s < m->tlb.cap; s++) {
        if (!(m->tlb.e[s].flags & TLB_VALID)) continue;
        if (i-- == 0) {
            tlb_entry_info(&m->tlb.e[s], out);
            return true;
        }
    }
    return false;
}

bool mmu_tlb_slot(const mmu_t *m, uint32_t slot, mmu_tlb_info_t *out)
{
    if (slot >= m->tlb.cap) return false;
    memset(out, 0, sizeof *out);
    if (m->tlb.e[slot].flags & TLB_VALID) tlb_entry_info(&m->tlb.e[slot], out);
    return true;
}

/* Rights check of SDM 4.6 for combined R/W and U/S. */
static mmu_reason_t check_rights(bool rw, bool us, mmu_access_t acc, mmu_mode_t mode, uint32_t cr0)
{
    if (mode == MMU_USER) {
        if (!us) return MMU_USER_SUPERVISOR;
        if (acc == MMU_WRITE && !rw) return MMU_USER_WRITE_RO;
    } else if (acc == MMU_WRITE && !rw && (cr0 & X86_CR0_WP)) {
        return MMU_KERNEL_WRITE_RO;
    }
    return MMU_OK;
}

static uint32_t error_code(mmu_reason_t r, mmu_access_t acc, mmu_mode_t mode)
{
    uint32_t ec = 0;
    if (r != MMU_PDE_NOT_PRESENT && r != MMU_PTE_NOT_PRESENT) ec |= X86_PF_P;
    if (r == MMU_PDE_RESERVED) ec |= X86_PF_RSVD;
    if (acc == MMU_WRITE) ec |= X86_PF_WR;
    if (mode == MMU_USER) ec |= X86_PF_US;
    return ec;
}

static void read_level(const mmu_t *m, mmu_level_t *l, mmu_level_kind_t kind, uint32_t table, uint32_t index)
{
    l->kind = kind;
    l->table = table;
    l->index = index;
    l->entry_addr = table + index * 4u;
    l->value = phys_read32(m->phys, l->entry_addr);
    l->value_after = l->value;
    l->in_ram = phys_contains(m->phys, l->entry_addr, 4);
}

/* The walk through memory from the page directory cr3 names, without side
 * effects: fills *w and returns the reason. */
static mmu_reason_t resolve_at(const mmu_t *m, uint32_t cr3, uint32_t va, mmu_access_t acc, mmu_mode_t mode,
                               mmu_walk_t *w)
{
    w->va = va;
    w->access = acc;
    w->mode = mode;
    w->cr0 = m->cr0;
    w->cr3 = cr3;
    w->cr4 = m->cr4;
    w->nlevels = 1;
    w->large = w->global = w->rw = w->us = false;
    w->set_accessed = w->set_dirty = false;
    w->frame = w->phys = 0;
    w->dirty_rewalk = false;
    mmu_reason_t r = MMU_OK;
    mmu_level_t *pde = &w->level[0];
    read_level(m, pde, MMU_LEVEL_PDE, cr3 & X86_CR3_BASE, X86_PDE_INDEX(va));
    if (!(pde->value & X86_P)) {
        r = MMU_PDE_NOT_PRESENT;
    } else if ((m->cr4 & X86_CR4_PSE) && (pde->value & X86_PS)) {
        w->large = true;
        w->frame = pde->value & X86_LARGE_FRAME_MASK;
        w->rw = pde->value & X86_RW;
        w->us = pde->value & X86_US;
        w->global = (pde->value & X86_G) && (m->cr4 & X86_CR4_PGE);
        r = (pde->value & X86_LARGE_RSVD) ? MMU_PDE_RESERVED : MMU_OK;
    } else {
        mmu_level_t *pte = &w->level[1];
        w->nlevels = 2;
        read_level(m, pte, MMU_LEVEL_PTE, pde->value & X86_FRAME_MASK, X86_PTE_INDEX(va));
        if (!(pte->value & X86_P)) {
            r = MMU_PTE_NOT_PRESENT;
        } else {
            w->frame = pte->value & X86_FRAME_MASK;
            w->rw = pde->value & pte->value & X86_RW;
            w->us = pde->value & pte->value & X86_US;
            w->global = (pte->value & X86_G) && (m->cr4 & X86_CR4_PGE);
        }
    }
    if (r == MMU_OK) r = check_rights(w->rw, w->us, acc, mode, m->cr0);
    if (r == MMU_OK) w->phys = w->frame | (va & (w->large ? 0x3FFFFFu : 0xFFFu));
    w->reason = r;
    w->error_code = r == MMU_OK ? 0 : error_code(r, acc, mode);
    return r;
}

static mmu_reason_t resolve(const mmu_t *m, uint32_t va, mmu_access_t acc, mmu_mode_t mode, mmu_walk_t *w)
{
    return resolve_at(m, m->cr3, va, acc, mode, w);
}

static void set_flags(mmu_t *m, mmu_walk_t *w)
{
    for (int i = 0; i < w->nlevels; i++) {
        mmu_level_t *l = &w->level[i];
        uint32_t v = l->value | X86_A;
        bool leaf = i == w->nlevels - 1;
        if (leaf && w->access == MMU_WRITE) v |= X86_D;
        if (v == l->value) continue;
        if (!(l->value & X86_A)) {
            m->stats.accessed_sets++;
            w->set_accessed = true;
        }
        if ((v ^ l->value) & X86_D) {
            m->stats.dirty_sets++;
            w->set_dirty = true;
        }
        /* The entry was read as present, so its frame is stored (or it lies
         * outside RAM, where the write is dropped): this cannot allocate. */
        (void)phys_write32(m->phys, l->entry_addr, v);
        l->value_after = v;
    }
}

static void fill_tlb(mmu_t *m, const mmu_walk_t *w)
{
    uint8_t flags = 0;
    const mmu_level_t *leaf = &w->level[w->nlevels - 1];
    if (w->large) flags |= TLB_LARGE;
    if (w->rw) flags |= TLB_RW;
    if (w->us) flags |= TLB_US;
    if (w->global) flags |= TLB_GLOBAL;
    if (leaf->value_after & X86_D) flags |= TLB_DIRTY;
    tlb_entry_t old;
    bool evicted = tlb_insert(&m->tlb, w->va, w->frame, flags, &old);
    m->stats.tlb_fills++;
    if (evicted) m->stats.tlb_evictions++;
    if (m->hooks.on_tlb) {
        mmu_tlb_info_t info;
        if (evicted) {
            tlb_entry_info(&old, &info);
            m->hooks.on_tlb(m->hooks.ud, MMU_TLB_EVICT, &info);
        }
        tlb_entry_info(tlb_find_tag(&m->tlb, w->large ? (w->va >> 22) | TLB_LARGE_TAG : w->va >> 12), &info);
        m->hooks.on_tlb(m->hooks.ud, MMU_TLB_FILL, &info);
    }
}

/* A TLB hit: the record shows the cached translation and, beside it, what
 * memory holds now. Returns the reason from the cached rights. */
static mmu_reason_t hit(mmu_t *m, const tlb_entry_t *e, uint32_t va, mmu_access_t acc, mmu_mode_t mode, mmu_walk_t *w)
{
    (void)resolve(m, va, acc, mode, w);
    w->tlb = MMU_TLB_HIT;
    w->large = e->flags & TLB_LARGE;
    w->global = e->flags & TLB_GLOBAL;
    w->rw = e->flags & TLB_RW;
    w->us = e->flags & TLB_US;
    w->frame = e->frame;
    mmu_reason_t r = check_rights(w->rw, w->us, acc, mode, m->cr0);
    w->reason = r;
    w->error_code = r == MMU_OK ? 0 : error_code(r, acc, mode);
    w->phys = r == MMU_OK ? e->frame | (va & (w->large ? 0x3FFFFFu : 0xFFFu)) : 0;
    return r;
}

static mmu_reason_t translate(mmu_t *m, uint32_t va, mmu_access_t acc, mmu_mode_t mode, mmu_walk_t *w)
{
    m->stats.translations++;
    mmu_reason_t r;
    tlb_entry_t *e = m->tlb.cap ? tlb_lookup(&m->tlb, va) : NULL;
    bool clean_write = e && acc == MMU_WRITE && !(e->flags & TLB_DIRTY);
    if (e && !clean_write) {
        m->stats.tlb_hits++;
        r = hit(m, e, va, acc, mode, w);
    } else {
        if (m->tlb.cap) m->stats.tlb_misses++;
        m->stats.walks++;
        r = resolve(m, va, acc, mode, w);
        w->tlb = m->tlb.cap ? MMU_TLB_MISS : MMU_TLB_OFF;
        /* A write the cached rights allow, through an entry cached clean:
         * the walk is for D. (One they refuse walks too, and faults.) */
        w->dirty_rewalk = clean_write && check_rights((e->flags & TLB_RW) != 0, (e->flags & TLB_US) != 0, acc, mode,
                                                      m->cr0) == MMU_OK;
        if (r == MMU_OK) {
            set_flags(m, w);
            if (m->tlb.cap) fill_tlb(m, w);
        }
    }
    if (r != MMU_OK) {
        m->stats.page_faults++;
        if (m->tlb.cap) drop_entries(m, va);
    }
    if (m->hooks.on_walk) m->hooks.on_walk(m->hooks.ud, w);
    return r;
}

mmu_reason_t mmu_translate(mmu_t *m, uint32_t va, mmu_access_t acc, mmu_mode_t mode, mmu_walk_t *w)
{
    return translate(m, va, acc, mode, w);
}

uint32_t mmu_access(mmu_t *m, uint32_t va, mmu_access_t acc, mmu_mode_t mode, uint32_t *pa)
{
    if (m->tlb.cap && !m->hooks.on_walk) {
        tlb_entry_t *e = tlb_lookup(&m->tlb, va);
        if (e) {
            uint8_t f = e->flags;
            bool ok = mode == MMU_KERNEL || (f & TLB_US);
            if (acc == MMU_WRITE) {
                bool writable = (f & TLB_RW) || (mode == MMU_KERNEL && !(m->cr0 & X86_CR0_WP));
                ok = ok && writable && (f & TLB_DIRTY);
            }
            if (ok) {
                m->stats.translations++;
                m->stats.tlb_hits++;
                *pa = e->frame | (va & ((f & TLB_LARGE) ? 0x3FFFFFu : 0xFFFu));
                return 0;
            }
        }
    }
    mmu_walk_t w;
    if (translate(m, va, acc, mode, &w) != MMU_OK) return MMU_FAULT | w.error_code;
    *pa = w.phys;
    return 0;
}

void mmu_peek(const mmu_t *m, uint32_t va, mmu_access_t acc, mmu_mode_t mode, mmu_walk_t *w)
{
    mmu_peek_cr3(m, m->cr3, va, acc, mode, w);
}

void mmu_peek_cr3(const mmu_t *m, uint32_t cr3, uint32_t va, mmu_access_t acc, mmu_mode_t mode, mmu_walk_t *w)
{
    (void)resolve_at(m, cr3, va, acc, mode, w);
    w->tlb = MMU_TLB_OFF;
}
