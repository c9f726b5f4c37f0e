/* String-keyed hash index: open addressing, linear probing, FNV-1a. */
#include "strmap.h"
#include "mem.h"
#include <string.h>

static uint32_t fnv(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

void strmap_init(strmap_t *m, const ps_alloc_t *a, strmap_key_fn key, const void *ud)
{
    memset(m, 0, sizeof *m);
    m->alloc = a ? a : ps_default_alloc();
    m->key = key;
    m->ud = ud;
}

void strmap_fini(strmap_t *m)
{
    ps_free(m->alloc, m->value, (size_t)m->cap * sizeof *m->value);
    ps_free(m->alloc, m->hash, (size_t)m->cap * sizeof *m->hash);
    m->value = m->hash = NULL;
    m->cap = m->count = 0;
}

ps_result_t strmap_copy(strmap_t *dst, const strmap_t *src, const void *ud)
{
    *dst = *src;
    dst->ud = ud;
    dst->value = dst->hash = NULL;
    if (!src->cap) return PS_OK;
    dst->value = ps_malloc(src->alloc, (size_t)src->cap * sizeof *dst->value);
    dst->hash = ps_malloc(src->alloc, (size_t)src->cap * sizeof *dst->hash);
    if (!dst->value || !dst->hash) {
        strmap_fini(dst);
        return PS_ENOMEM;
    }
    memcpy(dst->value, src->value, (size_t)src->cap * sizeof *dst->value);
    memcpy(dst->hash, src->hash, (size_t)src->cap * sizeof *dst->hash);
    return PS_OK;
}

static bool same(const strmap_t *m, uint32_t slot, uint32_t h, const char *key, size_t n)
{
    if (m->hash[slot] != h) return false;
    size_t kn;
    const char *k = m->key(m->ud, m->value[slot] - 1, &kn);
    return kn == n && memcmp(k, key, n) == 0;
}

uint32_t strmap_find(const strmap_t *m, const char *key, size_t n)
{
    if (!m->cap) return STRMAP_NONE;
    uint32_t h = fnv(key, n), mask = m->cap - 1;
    for (uint32_t s = h & mask; m->value[s]; s = (s + 1) & mask)
        if (same(m, s, h, key, n)) return m->value[s] - 1;
    return STRMAP_NONE;
}

static void put(uint32_t *value, uint32_t *hash, uint32_t cap, uint32_t h, uint32_t v)
{
    uint32_t s = h & (cap - 1);
    while (value[s]) s = (s + 1) & (cap - 1);
    value[s] = v;
    hash[s] = h;
}

static bool grow(strmap_t *m)
{
    uint32_t ncap = m->cap ? m->cap * 2 : 16;
    if (ncap < m->cap) return false;
    uint32_t *nv = ps_calloc(m->alloc, (size_t)ncap * sizeof *nv);
    uint32_t *nh = ps_malloc(m->alloc, (size_t)ncap * sizeof *nh);
    if (!nv || !nh) {
        ps_free(m->alloc, nv, (size_t)ncap * sizeof *nv);
        ps_free(m->alloc, nh, (size_t)ncap * sizeof *nh);
        return false;
    }
    for (uint32_t s = 0; s < m->cap; s++)
        if (m->value[s]) put(nv, nh, ncap, m->hash[s], m->value[s]);
    strmap_fini(m);
    m->value = nv;
    m->hash = nh;
    m->cap = ncap;
    return true;
}

ps_result_t strmap_add(strmap_t *m, const char *key, size_t n, uint32_t value)
{
    uint32_t count = m->count;
    if ((count + 1) * 4 > m->cap * 3 && !grow(m)) return PS_ENOMEM;
    m->count = count + 1;
    put(m->value, m->hash, m->cap, fnv(key, n), value + 1);
    return PS_OK;
}

static uint32_t slot_of(const strmap_t *m, const char *key, size_t n, uint32_t value)
{
    if (!m->cap) return STRMAP_NONE;
    uint32_t h = fnv(key, n), mask = m->cap - 1;
    for (uint32_t s = h & mask; m->value[s]; s = (s + 1) & mask)
        if (m->value[s] == value + 1) return s;
    return STRMAP_NONE;
}

void strmap_remove(strmap_t *m, const char *key, size_t n, uint32_t value)
{
    uint32_t s = slot_of(m, key, n, value), mask = m->cap - 1;
    if (s == STRMAP_NONE) return;
    m->value[s] = 0;
    m->count--;
    /* Shift back the entries of the run after s that probed past it. */
    for (uint32_t j = (s + 1) & mask; m->value[j]; j = (j + 1) & mask) {
        uint32_t home = m->hash[j] & mask;
        bool past = s <= j ? (home <= s || home > j) : (home <= s && home > j);
        if (!past) continue;
        m->value[s] = m->value[j];
        m->hash[s] = m->hash[j];
        m->value[j] = 0;
        s = j;
    }
}

void strmap_rename(strmap_t *m, const char *key, size_t n, uint32_t old, uint32_t value)
{
    uint32_t s = slot_of(m, key, n, old);
    if (s != STRMAP_NONE) m->value[s] = value + 1;
}
