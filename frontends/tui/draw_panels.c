/* The terminal UI's right-hand panel: the last result, the region list,
 * the translation stepper, the page-table browser and the event log. */
#include "draw.h"
#include "draw_panels.h"
#include "draw_text.h"
#include "pagesim/format.h"
#include "pagesim/heap.h"
#include "pagesim/inspect.h"
#include "pagesim/phys.h"
#include "pagesim/stack.h"
#include "pagesim/winsdk.h"
#include "pagesim/x86.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The prose of statements. ---------------------------------------------- */

/* The prose of one statement from row y (row r at y + r - skip, rows
 * skip .. skip + h - 1 drawn): its header, then its lines without the
 * prose's indent, wrapped, or for a WinDbg view one row each shifted by
 * hscroll. Returns the rows it takes (h 0: measures). */
static int prose(const char *t, bool table, int y, int x, int h, int w, int skip, int hscroll)
{
    int row = 0;
    for (bool first = true; *t; first = false) {
        size_t n = strcspn(t, "\n"), k = 0;
        while (!first && k < 4 && k < n && t[k] == ' ') k++;
        const char *s = t + k;
        size_t len = n - k;
        if (!first && table) {
            if (row >= skip && row - skip < h) tx_wide(y + row - skip, x, w, s, len, hscroll);
            row++;
        } else {
            bool why = !first && len > 4 && !strncmp(s, "why:", 4);
            tx_on(why ? C_WHY : 0, first ? A_BOLD : 0);
            row += tx_wrapped(s, len, y, x, h, w, tx_hang(s, len), skip - row);
            tx_off(why ? C_WHY : 0, first ? A_BOLD : 0);
        }
        t += n + (t[n] == '\n');
    }
    return row;
}

static void panel_result(const tui_model_t *m, const tui_layout_t *L)
{
    size_t done = model_done(m);
    if (!done) {
        tx_lines("n or Space runs the next statement, b steps back.\n3 shows the translation of an address "
                 "step by step; ? lists every key and statement.",
                 L->pan_top, L->pan_left, L->pan_h, L->pan_w, m->scroll);
        return;
    }
    prose(scn_history_text(m->h, done - 1), model_text_is_table(m, done - 1), L->pan_top, L->pan_left, L->pan_h,
          L->pan_w, m->scroll, m->hscroll);
}

/* The event log: the prose of the statements run, the newest at the
 * bottom; only the statements that reach the panel are looked at. */
static void panel_log(const tui_model_t *m, const tui_layout_t *L)
{
    size_t k = model_done(m);
    int need = 0;
    while (k > 0 && need < L->pan_h + m->scroll) {
        k--;
        need += prose(scn_history_text(m->h, k), model_text_is_table(m, k), 0, 0, 0, L->pan_w, 0, 0);
    }
    int skip = need - L->pan_h - m->scroll, row = 0;
    if (skip < 0) skip = 0;
    for (; k < model_done(m); k++)
        row += prose(scn_history_text(m->h, k), model_text_is_table(m, k), L->pan_top, L->pan_left, L->pan_h,
                     L->pan_w, skip - row, m->hscroll);
}

/* The region list. ------------------------------------------------------ */

/* "RW", "R+G", ...: a protection in a few columns. */
static void short_protect(char *out, size_t n, uint32_t protect)
{
    static const struct { uint32_t bit; const char *name; } base[] = {
        { PAGE_NOACCESS, "NA" }, { PAGE_READONLY, "R" }, { PAGE_READWRITE, "RW" }, { PAGE_WRITECOPY, "WC" },
        { PAGE_EXECUTE, "X" }, { PAGE_EXECUTE_READ, "XR" }, { PAGE_EXECUTE_READWRITE, "XRW" },
        { PAGE_EXECUTE_WRITECOPY, "XWC" },
    };
    const char *name = "-";
    for (size_t i = 0; i < sizeof base / sizeof base[0]; i++)
        if (protect & base[i].bit) name = base[i].name;
    snprintf(out, n, "%s%s%s", name, (protect & PAGE_GUARD) ? "+G" : "", (protect & PAGE_NOCACHE) ? "+NC" : "");
}

/* What a region is for, after its type: the system allocation's label,
 * and for a thread's stack whose it is ("stack main"). */
static void put_usage(strbuf_t *b, const mm_process_t *p, uint32_t va)
{
    mm_alloc_info_t info;
    if (!mm_alloc_from(p, va, &info) || info.start > va || !info.label) return;
    strbuf_printf(b, " %s", info.label);
    mm_thread_info_t t;
    for (uint32_t i = 0; mm_thread_at(p, i, &t); i++)
        if (va >= t.deallocation_stack && va < t.stack_base) strbuf_printf(b, " %s", t.name);
}

/* A view's file, image or section: "program.exe", "data.bin", "section
 * \"name\"" or "section #1" (page-file backed). */
static void put_view(strbuf_t *b, mm_process_t *p, uint32_t va)
{
    mm_backing_t k;
    mm_page_backing(p, va, &k);
    if (k.kind == MM_BACK_FILE || k.kind == MM_BACK_IMAGE) strbuf_printf(b, " %s", k.file);
    else if (k.kind == MM_BACK_PAGEFILE && k.section_name[0]) strbuf_printf(b, " section \"%s\"", k.section_name);
    else if (k.kind == MM_BACK_PAGEFILE && k.section >= 0) strbuf_printf(b, " section #%d", k.section);
}

/* The regions as a VirtualQuery walk from 0 finds them, one a line. */
static void compact_regions(const tui_model_t *m, mm_process_t *p, strbuf_t *b)
{
    strbuf_puts(b, "base       size     state  prot  type\n");
    uint64_t top = (uint64_t)mm_user_high(scn_runner_mm(model_runner(m))) + 1;
    for (uint64_t va = 0; va < top;) {
        mm_mbi_t mbi;
        if (mm_virtual_query(p, (uint32_t)va, &mbi, NULL) != 0 || !mbi.RegionSize) break;
        char prot[16];
        bool commit = mbi.State == MEM_COMMIT;
        short_protect(prot, sizeof prot, commit ? mbi.Protect : 0);
        const char *state = commit ? "commit" : mbi.State == MEM_RESERVE ? "rsv" : "free";
        const char *type = mbi.Type == MEM_PRIVATE ? "private" : mbi.Type == MEM_MAPPED ? "mapped"
                         : mbi.Type == MEM_IMAGE ? "image" : "";
        /* A heap's segment, or a block of a heap in a region of its own. */
        heap_segment_info_t g;
        const char *heap = !heap_segment_of(p, mbi.BaseAddress, &g) ? "" : g.virtual_block ? " heap block" : " heap";
        strbuf_printf(b, "0x%08X %8X %-6s %-5s %s%s", mbi.BaseAddress, mbi.RegionSize, state, commit ? prot : "",
                      type, heap);
        if (commit && mbi.Type != MEM_PRIVATE) put_view(b, p, mbi.BaseAddress);
        put_usage(b, p, mbi.BaseAddress);
        strbuf_putc(b, '\n');
        va = (uint64_t)mbi.BaseAddress + mbi.RegionSize;
    }
}

/* The row of the region holding the stepper's address in the list. */
static int region_row(const tui_model_t *m, mm_process_t *p, const char *list, bool wide)
{
    mm_mbi_t mbi;
    uint32_t va = model_stepper_address(m);
    if (!va || mm_virtual_query(p, va, &mbi, NULL) != 0) return -1;
    char key[16];
    snprintf(key, sizeof key, wide ? "%8x" : "0x%08X", mbi.BaseAddress);
    const char *hit = strstr(list, key);
    int row = 0;
    for (const char *c = list; hit && c < hit; c++) row += *c == '\n';
    return hit ? row : -1;
}

/* The region list, as a VirtualQuery walk from 0 prints it: the full
 * !address table on a wide panel, a compact one on a narrow panel; unless
 * scrolled by hand, the region of the address in use is kept in view. */
static void panel_regions(const tui_model_t *m, const tui_layout_t *L)
{
    mm_process_t *p = model_process(m);
    if (!p) {
        tx_str(L->pan_top, L->pan_left, L->pan_w, "no process yet (a bare machine has no regions)");
        return;
    }
    strbuf_t b;
    strbuf_init(&b, NULL);
    bool wide = L->pan_w >= 100;
    if (wide) fmt_address(&b, p, false, false, 0);
    else compact_regions(m, p, &b);
    int first = m->scroll;
    if (!first) {
        int row = region_row(m, p, strbuf_str(&b), wide);
        if (row >= L->pan_h) first = row - L->pan_h / 2;
    }
    const char *s = strbuf_str(&b);
    for (int row = 0; *s && row < first + L->pan_h; row++) {
        size_t n = strcspn(s, "\n");
        if (row >= first) tx_wide(L->pan_top + row - first, L->pan_left, L->pan_w, s, n, m->hscroll);
        s += n + (s[n] == '\n');
    }
    strbuf_fini(&b);
}

/* The stepper. ---------------------------------------------------------- */

/* The label column of the stepper: wide enough for "physical" and a
 * space, when the bit string still fits beside it. */
static int label_width(int w)
{
    return w >= 9 + 36 ? 9 : 0;
}

/* A narrator's line without a label column: the label before its text. */
static const char *inline_text(const fmt_line_t *l, char *buf, size_t size)
{
    if (!l->label[0] || l->kind == FMT_BITS) return l->text;
    snprintf(buf, size, "%s %s", l->label, l->text);
    return buf;
}

/* Draws line l (row r of it at y + r - skip, skip <= r < skip + h) in w
 * columns from x; returns its rows. */
static int step_line(const fmt_line_t *l, int y, int x, int h, int w, int skip)
{
    static const int pair[] = { [FMT_HEAD] = 0, [FMT_BITS] = 0, [FMT_PLAIN] = 0, [FMT_WHY] = C_WHY,
                                [FMT_OK] = C_OK, [FMT_FAULT] = C_ERROR };
    int lw = label_width(w);
    if (l->kind == FMT_BITS) {
        if (skip <= 0 && -skip < h) tx_bits(l->text, y - skip, x + lw, w - lw);
        return 1;
    }
    char buf[220];
    const char *s = lw ? l->text : inline_text(l, buf, sizeof buf);
    if (lw && l->label[0] && skip <= 0 && -skip < h) {
        tx_on(0, A_BOLD);
        tx_str(y - skip, x, lw, l->label);
        tx_off(0, A_BOLD);
    }
    attr_t a = l->kind == FMT_HEAD ? A_BOLD : 0;
    tx_on(pair[l->kind], a);
    int rows = tx_wrapped(s, strlen(s), y, x + lw, h, w - lw, 2, skip);
    tx_off(pair[l->kind], a);
    return rows;
}

/* Lines from..to-1 in rows [top, top + h), the first `skip` rows of them
 * left out; returns the rows they take in all. */
static int step_lines(const fmt_line_t *v, int from, int to, int top, int x, int h, int w, int skip)
{
    int row = 0;
    for (int i = from; i < to; i++) row += step_line(&v[i], top, x, h, w, skip - row);
    return row;
}

/* Once every step is shown, what backs the page (its file, image section
 * or section) and who maps its frame; 0 when no process has it. */
static int backing_line(const tui_model_t *m, fmt_line_t *l, int step)
{
    mm_process_t *p = model_process(m);
    if (!p || m->xva > mm_user_high(scn_runner_mm(model_runner(m)))) return 0;
    mm_backing_t k;
    mm_page_backing(p, m->xva, &k);
    if (k.kind == MM_BACK_NONE) return 0;
    strbuf_t b;
    strbuf_init(&b, NULL);
    fmt_backing(&b, &k);
    if (k.resident && k.kind != MM_BACK_PRIVATE && k.kind != MM_BACK_COPY) {
        strbuf_puts(&b, "; mapped by ");
        fmt_sharers(&b, scn_runner_mm(model_runner(m)), &k);
    }
    *l = (fmt_line_t){ .step = step, .kind = FMT_PLAIN, .label = "page" };
    snprintf(l->text, sizeof l->text, "%s", strbuf_str(&b));
    strbuf_fini(&b);
    return 1;
}

/* The stepper: the address and its split stay at the top (when there is
 * room); below, the steps shown so far, the newest kept in view (Up
 * scrolls back), and what the keys do. */
static void panel_stepper(const tui_model_t *m, const tui_layout_t *L)
{
    fmt_line_t v[MODEL_STEPPER_LINES + 2];
    int total = 0;
    int n = model_stepper_lines(m, m->xstep, v, MODEL_STEPPER_LINES, &total);
    if (m->xstep >= total) n += backing_line(m, &v[n], total);
    fmt_line_t *hint = &v[n++];
    *hint = (fmt_line_t){ .step = total, .kind = FMT_PLAIN, .label = "" };
    snprintf(hint->text, sizeof hint->text, "%s   t: another address   w: read/write   u: user/kernel",
             m->xstep < total ? "Enter: next step" : "all steps shown");
    int pinned = 0;
    if (L->pan_h >= 12)
        while (pinned < n - 1 && v[pinned].step == 0 && v[pinned].kind != FMT_WHY) pinned++;
    int prow = step_lines(v, 0, pinned, L->pan_top, L->pan_left, 0, L->pan_w, 0);
    step_lines(v, 0, pinned, L->pan_top, L->pan_left, prow, L->pan_w, 0);
    int need = step_lines(v, pinned, n, 0, 0, 0, L->pan_w, 0);
    int h = L->pan_h - prow, skip = need - h - m->scroll;
    /* Unless scrolled by hand, whole lines leave the top. */
    for (int i = pinned, rows = 0; !m->scroll && skip > 0 && i < n && rows < skip; i++) {
        rows += step_line(&v[i], 0, 0, 0, L->pan_w, 0);
        if (rows >= skip) skip = rows;
    }
    step_lines(v, pinned, n, L->pan_top + prow, L->pan_left, h, L->pan_w, skip > 0 ? skip : 0);
}

/* The page-table browser. ----------------------------------------------- */

static void row_text(int y, const tui_layout_t *L, bool selected, const char *s)
{
    if (selected) attron(A_REVERSE);
    tx_str(y, L->pan_left, L->pan_w, s);
    if (selected) attroff(A_REVERSE);
}

/* A section's frame: what it holds and who maps it (" program.exe .text
 * p1, 2 maps: main second"). */
static void shared_frame_text(mm_t *mm, uint32_t f, char *s, size_t n)
{
    mm_backing_t k;
    mm_frame_backing(mm, f, &k);
    strbuf_t b;
    strbuf_init(&b, NULL);
    if (k.kind == MM_BACK_FILE || k.kind == MM_BACK_IMAGE) strbuf_printf(&b, " %s", k.file);
    else if (k.section_name[0]) strbuf_printf(&b, " \"%s\"", k.section_name);
    else strbuf_printf(&b, " section #%d", k.section);
    if (k.image_section) strbuf_printf(&b, " %s", k.image_section);
    strbuf_printf(&b, " p%u, %u map%s", k.page, k.mappings, k.mappings == 1 ? "" : "s");
    for (uint32_t i = 0; i < k.nsharers; i++)
        strbuf_printf(&b, "%s%s", i ? " " : ": ", mm_process_name(mm_process_at(mm, (uint32_t)k.sharers[i].process)));
    snprintf(s, n, "%s", strbuf_str(&b));
    strbuf_fini(&b);
}

static void frame_rows(mm_t *mm, int *y, int end, int *skip, const tui_layout_t *L)
{
    char s[160];
    for (uint32_t f = 0; f < mm_frame_count(mm) && *y < end; f++) {
        mm_frame_info_t fi;
        mm_frame_info(mm, f, &fi);
        if (fi.kind == MM_FRAME_FREE || fi.kind == MM_FRAME_KERNEL) continue;
        if ((*skip)-- > 0) continue;
        const char *owner = fi.owner >= 0 ? mm_process_name(mm_process_at(mm, (uint32_t)fi.owner)) : "system";
        int k = snprintf(s, sizeof s, "frame %05X %-10s %-6s", f, mm_frame_kind_str(fi.kind), owner);
        if (fi.kind == MM_FRAME_USER || fi.kind == MM_FRAME_LOCKED)
            snprintf(s + k, sizeof s - (size_t)k, " va %08X%s", fi.va, fi.slot ? " +slot" : "");
        else if (fi.kind == MM_FRAME_SECTION || fi.kind == MM_FRAME_FILE || fi.kind == MM_FRAME_IMAGE)
            shared_frame_text(mm, f, s + k, sizeof s - (size_t)k);
        else if (fi.kind == MM_FRAME_AWE)
            snprintf(s + k, sizeof s - (size_t)k, fi.share ? " va %08X" : " not mapped", fi.va);
        row_text((*y)++, L, false, s);
    }
}

static void slot_rows(mm_t *mm, int *y, int end, int *skip, const tui_layout_t *L)
{
    uint32_t nslots = mm_slot_count(mm);
    if (*y >= end || !nslots) return;
    /* One pass over the page tables names every slot's page. */
    mm_slot_info_t *si = malloc(nslots * sizeof *si);
    if (!si) return;
    mm_slot_infos(mm, 1, nslots, si);
    char s[160];
    for (uint32_t i = 0; i < nslots && *y < end; i++) {
        if (!si[i].used || (*skip)-- > 0) continue;
        const char *owner = si[i].owner >= 0 ? mm_process_name(mm_process_at(mm, (uint32_t)si[i].owner)) : "-";
        snprintf(s, sizeof s, "slot  %05X page file  %-6s va %08X", i + 1, owner, si[i].va);
        row_text((*y)++, L, false, s);
    }
    free(si);
}

static void panel_frames(const tui_model_t *m, const tui_layout_t *L)
{
    mm_t *mm = scn_runner_mm(model_runner(m));
    int y = L->pan_top, end = L->pan_top + L->pan_h, skip = m->scroll;
    if (!mm) {
        row_text(y, L, false, "a bare machine has no frame database");
        return;
    }
    char s[160];
    snprintf(s, sizeof s, "frames in use (of %u) and page-file slots (Left: back)", mm_frame_count(mm));
    row_text(y++, L, false, s);
    frame_rows(mm, &y, end, &skip, L);
    slot_rows(mm, &y, end, &skip, L);
}

static void directory_rows(const tui_model_t *m, const phys_t *ph, uint32_t dir, int y, int end,
                           const tui_layout_t *L)
{
    char s[200];
    int half = (end - y) / 2, before = 0;
    uint32_t from = m->pde;
    for (uint32_t k = 0; k < 1024 && before < half; k++) {
        uint32_t j = (m->pde + 1024 - k - 1) & 1023u;
        if (j >= m->pde) break;
        if (phys_read32(ph, dir + j * 4)) from = j, before++;
    }
    for (uint32_t i = from; i < 1024 && y < end; i++) {
        uint32_t e = phys_read32(ph, dir + i * 4);
        if (!e && i != m->pde) continue;
        snprintf(s, sizeof s, "PDE 0x%03X  va 0x%08X  0x%08X  %s", i, i << 22, e,
                 !(e & X86_P) ? "not present" : (e & X86_PS) ? "4 MB page" : "page table");
        row_text(y++, L, i == m->pde, s);
    }
}

static void entry_rows(const tui_model_t *m, uint32_t table, uint32_t pte, int y, int end, const tui_layout_t *L)
{
    char s[200];
    uint32_t va = m->pde << 22 | m->pte << 12;
    snprintf(s, sizeof s, "PTE 0x%03X at 0x%08X = 0x%08X (va 0x%08X)", m->pte, table + m->pte * 4, pte, va);
    row_text(y++, L, true, s);
    strbuf_t b;
    strbuf_init(&b, NULL);
    if (pte & X86_P) fmt_entry_flags(&b, pte, MMU_LEVEL_PTE, false);
    mm_process_t *p = model_process(m);
    if (p) {
        strbuf_puts(&b, (pte & X86_P) ? "\n" : "");
        fmt_pte(&b, p, va);
    }
    tx_lines(strbuf_str(&b), y, L->pan_left, end - y, L->pan_w, 0);
    strbuf_fini(&b);
}

static void table_rows(const tui_model_t *m, const phys_t *ph, uint32_t table, int y, int end, const tui_layout_t *L)
{
    char s[200];
    int half = (end - y) / 2, before = 0;
    uint32_t from = m->pte;
    for (uint32_t j = m->pte; j-- > 0 && before < half;)
        if (phys_read32(ph, table + j * 4)) from = j, before++;
    for (uint32_t i = from; i < 1024 && y < end; i++) {
        uint32_t e = phys_read32(ph, table + i * 4);
        if (!e && i != m->pte) continue;
        snprintf(s, sizeof s, "PTE 0x%03X  va 0x%08X  0x%08X  %s", i, m->pde << 22 | i << 12, e,
                 (e & X86_P) ? "present" : e ? "software PTE" : "zero");
        row_text(y++, L, i == m->pte, s);
    }
}

static void panel_tables(const tui_model_t *m, const tui_layout_t *L)
{
    if (m->browse == BROWSE_FRAMES) {
        panel_frames(m, L);
        return;
    }
    mmu_t *mmu = scn_runner_mmu(model_runner(m));
    if (!mmu) {
        row_text(L->pan_top, L, false, "no machine yet: step to create it");
        return;
    }
    const phys_t *ph = mmu_phys_const(mmu);
    uint32_t dir = mmu_cr3(mmu) & X86_CR3_BASE, pde = phys_read32(ph, dir + m->pde * 4);
    int y = L->pan_top, end = L->pan_top + L->pan_h;
    char s[200];
    snprintf(s, sizeof s, "page directory at 0x%08X (CR3)  Up/Down Enter Left  f frames", dir);
    row_text(y++, L, false, s);
    if (m->browse == BROWSE_DIRECTORY) {
        directory_rows(m, ph, dir, y, end, L);
        return;
    }
    uint32_t table = pde & X86_FRAME_MASK, pte = phys_read32(ph, table + m->pte * 4);
    snprintf(s, sizeof s, "PDE 0x%03X 0x%08X: page table at 0x%08X", m->pde, pde, table);
    row_text(y++, L, false, s);
    if (m->browse == BROWSE_ENTRY) entry_rows(m, table, pte, y, end, L);
    else table_rows(m, ph, table, y, end, L);
}

/* The panel. ------------------------------------------------------------ */

void panels_draw(const tui_model_t *m, const tui_layout_t *L)
{
    static const char *const names[] = { "1 result", "2 regions", "3 translate", "4 tables", "5 log" };
    int x = L->pan_left;
    for (int i = 0; i < PANEL_COUNT && x < L->cols; i++) {
        if ((int)m->panel == i) attron(A_REVERSE);
        tx_str(L->tabs_y, x, L->cols - x, names[i]);
        if ((int)m->panel == i) attroff(A_REVERSE);
        x += (int)strlen(names[i]) + 1;
    }
    if (m->error[0]) {
        tx_on(C_ERROR, tx_colour() ? 0 : A_REVERSE);
        tx_wrapped(m->error, strlen(m->error), L->pan_top, L->pan_left, 2, L->pan_w, 4, 0);
        tx_off(C_ERROR, tx_colour() ? 0 : A_REVERSE);
        return;
    }
    switch (m->panel) {
    case PANEL_RESULT: panel_result(m, L); break;
    case PANEL_REGIONS: panel_regions(m, L); break;
    case PANEL_STEPPER: panel_stepper(m, L); break;
    case PANEL_TABLES: panel_tables(m, L); break;
    case PANEL_LOG: panel_log(m, L); break;
    case PANEL_COUNT: break;
    }
}

int draw_tab_at(const tui_layout_t *L, int x)
{
    static const int ends[PANEL_COUNT] = { 8, 18, 30, 39, 45 };
    for (int i = 0; i < PANEL_COUNT; i++)
        if (x >= L->pan_left && x - L->pan_left < ends[i]) return i;
    return -1;
}
