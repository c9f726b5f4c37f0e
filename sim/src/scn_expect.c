/* expect: the fields a statement's result has (one table: the parser checks
 * a field against the statement it follows, the runner reads the value,
 * the JSON prints the counters, the docs list them), and expect parsed and
 * run. */
#include "scn_parse_int.h"
#include "scn_run_int.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Getters. ---------------------------------------------------------------- */

static void get_ret(const scn_result_t *r, scn_value_t *v) { v->num = r->ret; }
static void get_count(const scn_result_t *r, scn_value_t *v) { v->num = r->count; }
static void get_error(const scn_result_t *r, scn_value_t *v) { v->num = r->ok ? 0 : r->error; }
static void get_old(const scn_result_t *r, scn_value_t *v) { v->num = r->old; }
static void get_value(const scn_result_t *r, scn_value_t *v) { v->num = r->value; }

static void get_exception(const scn_result_t *r, scn_value_t *v)
{
    v->none = !(r->has & SCN_HAS_EXC);
    v->num = r->exc.code;
}

static void get_bytes(const scn_result_t *r, scn_value_t *v)
{
    v->bytes = r->bytes;
    v->nbytes = r->nbytes;
}

#define MBI(f) \
    static void get_mbi_##f(const scn_result_t *r, scn_value_t *v) { v->num = r->mbi.f; }
MBI(BaseAddress) MBI(AllocationBase) MBI(AllocationProtect) MBI(RegionSize) MBI(State) MBI(Protect) MBI(Type)

/* In a process, a resolved fault is judged by the retried walk. */
static const mmu_walk_t *judged(const scn_result_t *r)
{
    return r->retried ? &r->retry : &r->walk;
}

static void get_phys(const scn_result_t *r, scn_value_t *v)
{
    v->none = judged(r)->reason != MMU_OK;
    v->num = judged(r)->phys;
}

static void get_fault(const scn_result_t *r, scn_value_t *v)
{
    v->none = r->walk.reason == MMU_OK;
    v->num = r->walk.error_code;
}

static void get_pde(const scn_result_t *r, scn_value_t *v) { v->num = judged(r)->level[0].value; }

static void get_pte(const scn_result_t *r, scn_value_t *v)
{
    v->none = judged(r)->nlevels < 2;
    v->num = judged(r)->level[1].value;
}

static void get_granularity(const scn_result_t *r, scn_value_t *v) { v->num = r->granularity; }
static void get_addresses(const scn_result_t *r, scn_value_t *v) { v->str = r->addresses ? r->addresses : ""; }

static void get_tlb(const scn_result_t *r, scn_value_t *v) { v->str = mmu_tlb_use_str(r->walk.tlb); }
static void get_stack_base(const scn_result_t *r, scn_value_t *v) { v->num = r->stack_base; }
static void get_stack_limit(const scn_result_t *r, scn_value_t *v) { v->num = r->stack_limit; }
static void get_dealloc_stack(const scn_result_t *r, scn_value_t *v) { v->num = r->dealloc_stack; }
static void get_guard(const scn_result_t *r, scn_value_t *v) { v->num = r->guard; v->none = r->guard == 0; }
static void get_esp(const scn_result_t *r, scn_value_t *v) { v->num = r->esp; }
static void get_resolved(const scn_result_t *r, scn_value_t *v) { v->str = mm_resolution_str(r->resolved); }

#define MMU_FIELD(f) \
    static void get_##f(const scn_result_t *r, scn_value_t *v) { v->num = r->stats.f; }
#define MM_FIELD(f) \
    static void get_##f(const scn_result_t *r, scn_value_t *v) { v->num = r->mm_stats.f; }
MMU_FIELD(translations) MMU_FIELD(tlb_hits) MMU_FIELD(tlb_misses) MMU_FIELD(walks) MMU_FIELD(page_faults)
MMU_FIELD(accessed_sets) MMU_FIELD(dirty_sets) MMU_FIELD(tlb_fills) MMU_FIELD(tlb_evictions) MMU_FIELD(tlb_flushes)
MMU_FIELD(invlpgs)
MM_FIELD(demand_zero_faults) MM_FIELD(soft_faults) MM_FIELD(hard_faults) MM_FIELD(cow_faults)
MM_FIELD(access_violations) MM_FIELD(guard_faults) MM_FIELD(stack_growths) MM_FIELD(stack_overflows)
MM_FIELD(pagefile_reads) MM_FIELD(pagefile_writes) MM_FIELD(file_reads) MM_FIELD(file_writes)
MM_FIELD(page_table_pages) MM_FIELD(working_set) MM_FIELD(peak_working_set) MM_FIELD(private_commit)
MM_FIELD(commit_charge) MM_FIELD(commit_limit) MM_FIELD(free_frames) MM_FIELD(allocations)
#define SI_FIELD(n, f) \
    static void get_si_##n(const scn_result_t *r, scn_value_t *v) { v->num = r->sysinfo.f; }
SI_FIELD(page_size, page_size) SI_FIELD(granularity, granularity) SI_FIELD(min_app, min_app)
SI_FIELD(max_app, max_app)
#define MS_FIELD(f) \
    static void get_ms_##f(const scn_result_t *r, scn_value_t *v) { v->num = r->memstatus.f; }
MS_FIELD(memory_load) MS_FIELD(total_phys) MS_FIELD(avail_phys) MS_FIELD(total_pagefile) MS_FIELD(avail_pagefile)
MS_FIELD(total_virtual) MS_FIELD(avail_virtual)
#define PMC_FIELD(f) \
    static void get_pmc_##f(const scn_result_t *r, scn_value_t *v) { v->num = r->pmc.f; }
PMC_FIELD(PageFaultCount) PMC_FIELD(PeakWorkingSetSize) PMC_FIELD(WorkingSetSize)
PMC_FIELD(QuotaPeakPagedPoolUsage) PMC_FIELD(QuotaPagedPoolUsage) PMC_FIELD(QuotaPeakNonPagedPoolUsage)
PMC_FIELD(QuotaNonPagedPoolUsage) PMC_FIELD(PagefileUsage) PMC_FIELD(PeakPagefileUsage) PMC_FIELD(PrivateUsage)
static void get_ws_min(const scn_result_t *r, scn_value_t *v) { v->num = r->ws_min; }
static void get_ws_max(const scn_result_t *r, scn_value_t *v) { v->num = r->ws_max; }

/* The table. -------------------------------------------------------------- */

#define HEX(n, r, g, d) { n, r, FIELD_HEX, false, false, g, d }
#define S(f, d) { "stats." #f, SCN_R_STATS, FIELD_COUNT, false, false, get_##f, d }
#define M(f, d) { "stats." #f, SCN_R_MMSTATS, FIELD_COUNT, false, true, get_##f, d }
#define SI(n, g, d) { "si." n, SCN_R_SYSINFO, FIELD_COUNT, false, false, get_si_##g, d }
#define MS(n, g, d) { "ms." n, SCN_R_MEMSTATUS, FIELD_COUNT, false, false, get_ms_##g, d }
#define PMC(f, d) { "pmc." #f, SCN_R_PMC, FIELD_COUNT, false, false, get_pmc_##f, d }

const scn_field_t scn_fields[] = {
    HEX("ret", SCN_R_RET, get_ret,
      "what the call returned: an address, a handle, a BOOL, a count; `peek32`: the word read"),
    HEX("error", SCN_R_ERROR, get_error,
      "GetLastError after the call (0 when it succeeded); `process`: why it could not be created"),
    HEX("old", SCN_R_OLD, get_old, "the first page's protection before the change"),
    { "exception", SCN_R_EXCEPTION, FIELD_HEX, true, false, get_exception,
      "EXCEPTION_ACCESS_VIOLATION, STATUS_GUARD_PAGE_VIOLATION or STATUS_STACK_OVERFLOW (an access), STATUS_NO_MEMORY "
      "(a heap call with HEAP_GENERATE_EXCEPTIONS), or none" },
    { "bytes", SCN_R_BYTES, FIELD_BYTES, false, false, get_bytes, "the bytes read, compared with a string" },
    { "count", SCN_R_COUNT | SCN_R_WATCH, FIELD_COUNT, false, false, get_count,
      "the bytes ReadFile read or WriteFile wrote; `GetWriteWatch`: the addresses it returned; "
      "`AllocateUserPhysicalPages`, `FreeUserPhysicalPages`: the pages got or freed" },
    HEX("mbi.BaseAddress", SCN_R_MBI, get_mbi_BaseAddress, "the region's first page"),
    HEX("mbi.AllocationBase", SCN_R_MBI, get_mbi_AllocationBase, "the allocation that holds it"),
    HEX("mbi.AllocationProtect", SCN_R_MBI, get_mbi_AllocationProtect, "the protection the allocation was made with"),
    HEX("mbi.RegionSize", SCN_R_MBI, get_mbi_RegionSize, "bytes of pages alike from BaseAddress"),
    HEX("mbi.State", SCN_R_MBI, get_mbi_State, "MEM_COMMIT, MEM_RESERVE or MEM_FREE"),
    HEX("mbi.Protect", SCN_R_MBI, get_mbi_Protect, "the region's protection (0 when not committed)"),
    HEX("mbi.Type", SCN_R_MBI, get_mbi_Type, "MEM_PRIVATE, MEM_MAPPED or MEM_IMAGE (0 when free)"),
    { "phys", SCN_R_WALK, FIELD_HEX, true, false, get_phys,
      "the physical address (after the fault was resolved, in a process), or none" },
    { "fault", SCN_R_WALK, FIELD_COUNT, true, false, get_fault,
      "the #PF error code (bit 0 P, bit 1 W/R, bit 2 U/S), or none" },
    { "tlb", SCN_R_WALK, FIELD_TEXT, false, false, get_tlb, "\"hit\", \"miss\" or \"off\"" },
    HEX("pde", SCN_R_WALK, get_pde, "the PDE as the walk read it"),
    { "pte", SCN_R_WALK, FIELD_HEX, true, false, get_pte,
      "the PTE as the walk read it, or none (4 MB page, no table)" },
    { "resolved", SCN_R_RESOLVED, FIELD_TEXT, false, false, get_resolved,
      "how the memory manager resolved the fault: \"demand_zero\", \"soft\", \"pagefile\", "
      "\"copy_on_write\", \"access_violation\", \"guard\", \"stack_growth\", \"stack_overflow\", \"file\", \"none\"" },
    HEX("value", SCN_R_VALUE, get_value, "the word read"),
    HEX("teb.StackBase", SCN_R_STACK, get_stack_base, "the current thread's stack top (exclusive)"),
    HEX("teb.StackLimit", SCN_R_STACK, get_stack_limit, "the lowest committed page of the thread's stack"),
    HEX("teb.DeallocationStack", SCN_R_STACK, get_dealloc_stack, "the base of the stack's reservation"),
    { "guard", SCN_R_STACK, FIELD_HEX, true, false, get_guard,
      "the stack's guard page, or none once the stack has overflowed" },
    HEX("esp", SCN_R_STACK, get_esp, "the thread's stack pointer"),
    { "granularity", SCN_R_WATCH, FIELD_COUNT, false, false, get_granularity,
      "`GetWriteWatch`: the page size it reports in (4096; 0 when it failed)" },
    { "addresses", SCN_R_WATCH, FIELD_TEXT, false, false, get_addresses,
      "`GetWriteWatch`: the written pages' address strings, one space apart (\"buf+0x1000 buf+0x3000\"; \"\" for none)" },
    S(translations, "translations made"),
    S(tlb_hits, "translations from the TLB"),
    S(tlb_misses, "translations that walked the tables (TLB present)"),
    S(walks, "walks through memory"),
    S(page_faults, "#PF raised by the processor"),
    S(accessed_sets, "A flags the processor set"),
    S(dirty_sets, "D flags the processor set"),
    S(tlb_fills, "entries put in the TLB"),
    S(tlb_evictions, "entries the TLB dropped to make room"),
    S(tlb_flushes, "CR3 loads, CR4.PGE changes and flush tlb"),
    S(invlpgs, "single entries invalidated (invlpg, or a PTE changed by the memory manager)"),
    M(demand_zero_faults, "first touches of committed pages"),
    M(soft_faults, "faults on pages still in memory (transition, a section page)"),
    M(hard_faults, "pages read back from the page file or from a mapped file"),
    M(cow_faults, "private copies made on a write"),
    M(access_violations, "accesses that raised EXCEPTION_ACCESS_VIOLATION"),
    M(guard_faults, "guard pages touched"),
    M(stack_growths, "guard pages of the thread's own stack that grew it a page, with no exception"),
    M(stack_overflows, "guard pages at the end of a thread's stack: STATUS_STACK_OVERFLOW"),
    M(pagefile_reads, "pages read from the page file (the machine)"),
    M(pagefile_writes, "pages written to the page file (the machine)"),
    M(file_reads, "pages read from mapped files (the machine)"),
    M(file_writes, "pages written back to mapped files (the machine)"),
    M(page_table_pages, "the process's page tables (the directory not counted)"),
    M(working_set, "the process's resident user pages"),
    M(peak_working_set, "the most the working set has been"),
    M(private_commit, "bytes committed by the process"),
    M(commit_charge, "bytes committed in the machine (page tables and sections included)"),
    M(commit_limit, "RAM plus page file, in bytes"),
    M(free_frames, "physical frames free"),
    M(allocations, "the process's allocations (VAD nodes)"),
    SI("dwPageSize", page_size, "4096"),
    SI("dwAllocationGranularity", granularity, "65536: where allocations start"),
    SI("lpMinimumApplicationAddress", min_app, "the lowest application address"),
    SI("lpMaximumApplicationAddress", max_app, "the highest application address"),
    MS("dwMemoryLoad", memory_load, "percent of physical memory in use"),
    MS("dwTotalPhys", total_phys, "bytes of RAM"),
    MS("dwAvailPhys", avail_phys, "bytes of RAM free"),
    MS("dwTotalPageFile", total_pagefile, "the commit limit, in bytes"),
    MS("dwAvailPageFile", avail_pagefile, "what is left of the commit limit"),
    MS("dwTotalVirtual", total_virtual, "bytes of the process's user space"),
    MS("dwAvailVirtual", avail_virtual, "bytes of it not allocated"),
    PMC(PageFaultCount, "page faults of the process: demand-zero, soft, hard, copy-on-write, guard, and those that "
                        "raised an access violation"),
    PMC(PeakWorkingSetSize, "bytes: the most the working set has been"),
    PMC(WorkingSetSize, "bytes of the process's resident user pages"),
    PMC(QuotaPeakPagedPoolUsage, "0: the simulator has no kernel pools"),
    PMC(QuotaPagedPoolUsage, "0: the simulator has no kernel pools"),
    PMC(QuotaPeakNonPagedPoolUsage, "0: the simulator has no kernel pools"),
    PMC(QuotaNonPagedPoolUsage, "0: the simulator has no kernel pools"),
    PMC(PagefileUsage, "bytes of private memory committed (the commit charge the page file backs)"),
    PMC(PeakPagefileUsage, "bytes: the most PagefileUsage has been"),
    PMC(PrivateUsage, "bytes of private memory committed (PROCESS_MEMORY_COUNTERS_EX)"),
    { "ws.MinimumWorkingSetSize", SCN_R_WSSIZE, FIELD_COUNT, false, false, get_ws_min,
      "bytes: the working-set minimum (VirtualLock may lock it less 8 pages)" },
    { "ws.MaximumWorkingSetSize", SCN_R_WSSIZE, FIELD_COUNT, false, false, get_ws_max,
      "bytes: the working-set maximum" },
    { "NumberOfEntries", SCN_R_WSLIST, FIELD_COUNT, false, true, get_count,
      "QueryWorkingSet: the pages of the working set (all of them, even when count was too small)" },
    { "entries", SCN_R_WSLIST, FIELD_TEXT, false, true, get_addresses,
      "QueryWorkingSet: one ADDR:PROTECTION:SHARED:SHARECOUNT a page, one space apart (\"a:4:0:0 a+0x1000:4:0:0\"): "
      "the address by name, PSAPI_WORKING_SET_BLOCK's Protection (1 read-only, 4 read/write, ...), Shared (1: a "
      "section's frame) and ShareCount (the PTEs that map it, at most 7; 0 when not shared)" },
};
const unsigned scn_nfields = sizeof scn_fields / sizeof scn_fields[0];

uint64_t scn_field_count(const scn_field_t *f, const scn_result_t *res)
{
    scn_value_t v = { 0 };
    f->get(res, &v);
    return v.num;
}

/* Groups of counters are listed as their prefix: "stats.FIELD". */
static bool grouped(const scn_field_t *f)
{
    return f->kind == FIELD_COUNT && strchr(f->name, '.') != NULL;
}

/* "ret, error, ..., stats.FIELD, si.FIELD, ms.FIELD". */
static void field_list(char *buf, size_t n)
{
    size_t k = 0;
    buf[0] = 0;
    for (unsigned i = 0; i < scn_nfields && k < n; i++) {
        const scn_field_t *f = &scn_fields[i];
        int w;
        if (grouped(f)) {
            size_t pl = (size_t)(strchr(f->name, '.') - f->name);
            if (i && grouped(&scn_fields[i - 1]) && strncmp(scn_fields[i - 1].name, f->name, pl + 1) == 0) continue;
            w = snprintf(buf + k, n - k, "%s%.*s.FIELD", k ? ", " : "", (int)pl, f->name);
        } else {
            w = snprintf(buf + k, n - k, "%s%s", k ? ", " : "", f->name);
        }
        if (w < 0) break;
        k += (size_t)w;
    }
}

/* Parsing. ---------------------------------------------------------------- */

/* NAME or NAME.FIELD at the current token, into name (n bytes). */
static bool field_name(parser_t *p, char *name, size_t n)
{
    char buf[64], list[512];
    const tok_t *t = parse_cur(p);
    if (t->kind != TOK_IDENT) {
        field_list(list, sizeof list);
        FAIL(p, t->col, "expect: expected what to check (%s), found %s", list, parse_tok_show(t, buf, sizeof buf));
    }
    size_t len = t->len < 30 ? t->len : 30;
    memcpy(name, t->text, len);
    name[len] = 0;
    p->i++;
    if (parse_cur(p)->kind != TOK_DOT) return true;
    p->i++;
    const tok_t *f = parse_cur(p);
    if (f->kind != TOK_IDENT) FAIL(p, f->col, "expect: expected a field name after '%s.'", name);
    snprintf(name + len, n - len, ".%.*s", (int)(f->len < 30 ? f->len : 30), f->text);
    p->i++;
    return true;
}

static bool expect_value(parser_t *p, scn_stmt_t *st, const scn_field_t *f)
{
    scn_arg_t *a = &st->arg[0];
    a->present = true;
    a->col = parse_cur(p)->col;
    if (parse_tok_is(parse_cur(p), "none")) {
        st->rhs = RHS_NONE;
        p->i++;
    } else if (parse_cur(p)->kind == TOK_STRING) {
        st->rhs = RHS_STRING;
        a->is_string = true;
        a->str_len = parse_cur(p)->str_len;
        if (!parse_pool_string(p, lex_str(&p->lx, parse_cur(p)->str_off), parse_cur(p)->str_len, &a->str_off))
            return false;
        p->i++;
    } else {
        st->rhs = RHS_EXPR;
        if (!parse_expr(p, &a->expr)) return false;
    }
    if (st->rhs == RHS_NONE && !f->none_ok) FAIL(p, a->col, "expect: %s cannot be none", f->name);
    bool text = f->kind == FIELD_TEXT || f->kind == FIELD_BYTES;
    if (st->rhs == RHS_STRING && !text) FAIL(p, a->col, "expect: %s is compared with a number, not a string", f->name);
    if (f->get == get_tlb && st->rhs != RHS_STRING)
        FAIL(p, a->col, "expect: tlb is compared with \"hit\", \"miss\" or \"off\"");
    if (f->get == get_addresses && st->rhs != RHS_STRING)
        FAIL(p, a->col, "expect: addresses is compared with a string (\"buf buf+0x2000\", or \"\" for none)");
    if (f->get == get_resolved && st->rhs != RHS_STRING)
        FAIL(p, a->col, "expect: resolved is compared with a string (\"demand_zero\", \"access_violation\", ...)");
    return true;
}

bool parse_expect(parser_t *p, scn_stmt_t *st)
{
    char name[64], buf[64], list[512];
    uint32_t col = parse_cur(p)->col;
    if (!field_name(p, name, sizeof name)) return false;
    unsigned k = 0;
    while (k < scn_nfields && strcmp(scn_fields[k].name, name) != 0) k++;
    if (k == scn_nfields) {
        field_list(list, sizeof list);
        FAIL(p, col, "expect: unknown field '%s' (%s)", name, list);
    }
    const scn_field_t *f = &scn_fields[k];
    if (!p->has_checkable) FAIL(p, col, "expect has no earlier statement to check");
    st->field = k;
    st->checked = p->last_checkable;
    const scn_stmt_t *prev = &p->s->stmt[st->checked];
    if (!(scn_row(prev->verb)->results & f->result) || (f->process_only && p->s->bare))
        FAIL(p, col, "expect: %s is not a result of %s (the statement on line %u)", name, scn_verb(prev->verb)->name,
             prev->line);
    if (parse_cur(p)->kind != TOK_EQ)
        FAIL(p, parse_cur(p)->col, "expect: expected '==' after %s, found %s", name,
             parse_tok_show(parse_cur(p), buf, sizeof buf));
    p->i++;
    if (!expect_value(p, st, f)) return false;
    st->nargs = 1;
    if (parse_cur(p)->kind != TOK_END)
        FAIL(p, parse_cur(p)->col, "expect: unexpected %s after the value", parse_tok_show(parse_cur(p), buf, sizeof buf));
    return true;
}

/* Running. ---------------------------------------------------------------- */

static void show_bytes(char *buf, size_t n, const uint8_t *b, uint32_t len)
{
    size_t k = 0;
    buf[k++] = '"';
    for (uint32_t i = 0; i < len && k + 6 < n; i++) {
        uint8_t c = b[i];
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') buf[k++] = (char)c;
        else k += (size_t)snprintf(buf + k, n - k, "\\x%02x", c);
    }
    if (k + 1 < n) buf[k++] = '"';
    buf[k] = 0;
}

static void show_number(char *buf, size_t n, const scn_field_t *f, uint64_t v)
{
    if (f->kind == FIELD_COUNT) snprintf(buf, n, "%" PRIu64, v);
    else snprintf(buf, n, "0x%08" PRIX32, (uint32_t)v);
}

bool run_expect(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)err;
    const scn_field_t *f = &scn_fields[st->field];
    const scn_arg_t *a = &st->arg[0];
    scn_value_t act = { 0 };
    f->get(&r->last, &act);
    const uint8_t *want_s = scn_str(r->s, a->str_off);
    uint64_t want = st->rhs == RHS_EXPR ? run_eval(r, &a->expr) : 0;
    bool ok;
    if (f->kind == FIELD_TEXT) {
        ok = a->str_len == strlen(act.str) && memcmp(want_s, act.str, a->str_len) == 0;
        snprintf(res->actual, sizeof res->actual, "\"%s\"", act.str);
    } else if (f->kind == FIELD_BYTES) {
        ok = st->rhs == RHS_STRING && a->str_len == act.nbytes && memcmp(want_s, act.bytes, act.nbytes) == 0;
        show_bytes(res->actual, sizeof res->actual, act.bytes, act.nbytes);
    } else {
        ok = st->rhs == RHS_NONE ? act.none
                                 : !act.none && (f->kind == FIELD_COUNT ? act.num == want : (uint32_t)act.num == (uint32_t)want);
        if (act.none) snprintf(res->actual, sizeof res->actual, "none");
        else show_number(res->actual, sizeof res->actual, f, act.num);
    }
    if (st->rhs == RHS_NONE) snprintf(res->expected, sizeof res->expected, "none");
    else if (st->rhs == RHS_STRING) show_bytes(res->expected, sizeof res->expected, want_s, a->str_len);
    else show_number(res->expected, sizeof res->expected, f, want);
    res->has |= SCN_HAS_EXPECT;
    res->expect_ok = ok;
    if (!ok) r->failed_expects++;
    return true;
}
