/* Results as JSON Lines (the contract) and as prose. */
#include "pagesim/format.h"
#include "scn_int.h"
#include <inttypes.h>
#include <string.h>

static void json_hex(strbuf_t *b, const char *key, uint32_t v)
{
    strbuf_printf(b, ",\"%s\":\"0x%08" PRIX32 "\"", key, v);
}

static void json_walk(strbuf_t *b, const mmu_walk_t *w)
{
    strbuf_printf(b, ",\"va\":\"0x%08" PRIX32 "\",\"access\":\"%s\",\"mode\":\"%s\"", w->va, mmu_access_str(w->access),
                  mmu_mode_str(w->mode));
    strbuf_printf(b, ",\"pde_index\":%" PRIu32 ",\"pte_index\":%" PRIu32 ",\"offset\":%" PRIu32, X86_PDE_INDEX(w->va),
                  X86_PTE_INDEX(w->va), w->large ? X86_LARGE_OFFSET(w->va) : X86_PAGE_OFFSET(w->va));
    if (w->nlevels >= 1) {
        json_hex(b, "pde_addr", w->level[0].entry_addr);
        json_hex(b, "pde", w->level[0].value);
    }
    if (w->nlevels >= 2) {
        json_hex(b, "pte_addr", w->level[1].entry_addr);
        json_hex(b, "pte", w->level[1].value);
    }
    strbuf_printf(b, ",\"large\":%s,\"tlb\":\"%s\"", w->large ? "true" : "false", mmu_tlb_use_str(w->tlb));
    if (w->reason == MMU_OK) {
        json_hex(b, "phys", w->phys);
    } else {
        strbuf_printf(b, ",\"fault\":{\"vector\":\"#PF\",\"error_code\":%" PRIu32 "},\"reason\":", w->error_code);
        const char *r = mmu_reason_str(w->reason);
        strbuf_json_str(b, r, strlen(r));
    }
}

void scn_format_json(strbuf_t *b, const scn_result_t *res)
{
    strbuf_printf(b, "{\"line\":%" PRIu32 ",\"op\":", res->line);
    strbuf_json_str(b, res->op, strlen(res->op));
    if (res->has & SCN_HAS_SKIPPED) {
        strbuf_puts(b, ",\"skipped\":");
        strbuf_json_str(b, res->skipped, strlen(res->skipped));
    }
    if (res->has & SCN_HAS_MACHINE)
        strbuf_printf(b, ",\"ram\":%" PRIu64 ",\"tlb\":%" PRIu32, res->ram, res->tlb_entries);
    if (res->has & SCN_HAS_REG) {
        if (res->verb == SCN_CR3) json_hex(b, "value", res->reg_value);
        else strbuf_printf(b, ",\"value\":%" PRIu32, res->reg_value);
    }
    if (res->has & SCN_HAS_VALUE) {
        json_hex(b, "paddr", res->paddr);
        json_hex(b, "value", res->value);
    }
    if ((res->has & SCN_HAS_RET) && res->verb != SCN_PEEK32) json_hex(b, "ret", res->ret);
    if (res->has & SCN_HAS_WALK) json_walk(b, &res->walk);
    if (res->has & SCN_HAS_INVAL) strbuf_printf(b, ",\"invalidated\":%" PRIu32, res->invalidated);
    if (res->has & SCN_HAS_STATS) {
        for (unsigned k = 0; k < scn_stats_nfields; k++)
            strbuf_printf(b, ",\"%s\":%" PRIu64, scn_stats_fields[k], scn_stats_value(&res->stats, k));
    }
    if (res->has & SCN_HAS_EXPECT) {
        strbuf_printf(b, ",\"ok\":%s", res->expect_ok ? "true" : "false");
        if (!res->expect_ok) {
            strbuf_puts(b, ",\"actual\":");
            strbuf_json_str(b, res->actual, strlen(res->actual));
            strbuf_puts(b, ",\"expected\":");
            strbuf_json_str(b, res->expected, strlen(res->expected));
        }
    }
    strbuf_puts(b, "}\n");
}

static void text_stats(strbuf_t *b, const mmu_stats_t *s)
{
    strbuf_printf(b, "    translations %" PRIu64 ": TLB hits %" PRIu64 ", misses %" PRIu64 ", walks through memory %" PRIu64
                  "\n", s->translations, s->tlb_hits, s->tlb_misses, s->walks);
    strbuf_printf(b, "    page faults %" PRIu64 "; accessed flags set %" PRIu64 ", dirty flags set %" PRIu64 "\n",
                  s->page_faults, s->accessed_sets, s->dirty_sets);
    strbuf_printf(b, "    TLB fills %" PRIu64 ", evictions %" PRIu64 ", flushes %" PRIu64 ", invlpg %" PRIu64 "\n",
                  s->tlb_fills, s->tlb_evictions, s->tlb_flushes, s->invlpgs);
}

void scn_format_text(strbuf_t *b, const scn_script_t *s, const scn_result_t *res)
{
    size_t n;
    const char *src = scn_script_source(s, res->index, &n);
    while (n && (*src == ' ' || *src == '\t')) {
        src++;
        n--;
    }
    strbuf_printf(b, "%4" PRIu32 " | %.*s\n", res->line, (int)(n > 200 ? 200 : n), src);
    switch (res->verb) {
    case SCN_MACHINE:
        strbuf_printf(b, "    a bare x86 machine: %" PRIu64 " KB of physical memory, ", res->ram / 1024);
        if (res->tlb_entries) strbuf_printf(b, "a %" PRIu32 "-entry TLB", res->tlb_entries);
        else strbuf_puts(b, "no TLB");
        strbuf_puts(b, "; paging on, CR0.WP=0, CR4.PSE=0, CR4.PGE=0\n");
        break;
    case SCN_CR3:
        strbuf_printf(b, "    CR3 = 0x%08" PRIX32 ": the page directory is at physical 0x%08" PRIX32
                      "; %" PRIu32 " non-global TLB entr%s flushed\n",
                      res->reg_value, res->reg_value & X86_CR3_BASE, res->invalidated, res->invalidated == 1 ? "y" : "ies");
        break;
    case SCN_CR0_WP:
        strbuf_printf(b, "    CR0.WP = %" PRIu32 ": supervisor writes %s read-only pages\n", res->reg_value,
                      res->reg_value ? "fault on" : "may write");
        break;
    case SCN_CR4_PSE:
        strbuf_printf(b, "    CR4.PSE = %" PRIu32 ": a PDE with PS=1 %s\n", res->reg_value,
                      res->reg_value ? "maps a 4 MB page" : "is an ordinary PDE (PS ignored)");
        break;
    case SCN_CR4_PGE:
        strbuf_printf(b, "    CR4.PGE = %" PRIu32 ": global entries %s a CR3 load; the change flushed %" PRIu32
                      " TLB entr%s\n", res->reg_value, res->reg_value ? "survive" : "do not survive",
                      res->invalidated, res->invalidated == 1 ? "y" : "ies");
        break;
    case SCN_POKE32:
        strbuf_printf(b, "    physical [0x%08" PRIX32 "] <- 0x%08" PRIX32 "\n", res->paddr, res->value);
        break;
    case SCN_PEEK32:
        strbuf_printf(b, "    physical [0x%08" PRIX32 "] = 0x%08" PRIX32 "\n", res->paddr, res->value);
        break;
    case SCN_INVLPG:
    case SCN_FLUSH:
        strbuf_printf(b, "    %" PRIu32 " TLB entr%s invalidated\n", res->invalidated, res->invalidated == 1 ? "y" : "ies");
        break;
    case SCN_TRANSLATE:
        fmt_walk_text(b, &res->walk, "    ");
        break;
    case SCN_STATS:
        text_stats(b, &res->stats);
        break;
    case SCN_EXPECT:
        if (res->expect_ok) strbuf_puts(b, "    ok\n");
        else strbuf_printf(b, "    FAILED: expected %s, got %s\n", res->expected, res->actual);
        break;
    default:
        if (res->has & SCN_HAS_SKIPPED) strbuf_printf(b, "    skipped: %s\n", res->skipped);
        break;
    }
}
