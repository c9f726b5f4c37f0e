/* Formatters: results and walks into text, for every front end. The JSON
 * Lines form is the contract of docs/scenario-language.md; the prose form
 * explains each outcome the way a teacher would at the board. */
#ifndef PAGESIM_FORMAT_H
#define PAGESIM_FORMAT_H

#include "pagesim/mm.h"
#include "pagesim/mmu.h"
#include "pagesim/scn.h"
#include "pagesim/strbuf.h"

/* "P=1 R/W=1 U/S=1 PWT=0 PCD=0 A=1 D=0 PS=0 G=0 AVL=0" for an entry of the
 * given level; large selects the 4 MB PDE layout. */
void fmt_entry_flags(strbuf_t *b, uint32_t value, mmu_level_kind_t kind, bool large);

/* "0x00000005 = P=1 (protection violation), W/R=0 (read), U/S=1 (user)". */
void fmt_error_code(strbuf_t *b, uint32_t error_code);

/* "0001001000 1101000101 011001111000": va's bits, split 10/10/12. */
void fmt_bits(uint32_t va, char out[36]);

/* The narrator of a walk: lines, each in a step (0: the address split,
 * 1: the TLB, then CR3 and one step per entry read when the tables are
 * walked, then the outcome: rights, the physical address or the page fault,
 * what the TLB keeps), with a kind for display, a label (the prose's first
 * column, "" for a continuation) and its text. */
typedef enum { FMT_HEAD, FMT_BITS, FMT_PLAIN, FMT_WHY, FMT_OK, FMT_FAULT } fmt_kind_t;
typedef struct fmt_line {
    int step;
    fmt_kind_t kind;
    const char *label;
    char text[200];
} fmt_line_t;
#define FMT_WALK_LINES 32
/* Fills at most max lines; returns how many, and in *steps (may be NULL)
 * the number of steps. */
int fmt_walk_lines(const mmu_walk_t *w, fmt_line_t *lines, int max, int *steps);

/* The walk told whole, each line starting with indent: "LABEL    text". */
void fmt_walk_text(strbuf_t *b, const mmu_walk_t *w, const char *indent);

/* WinDbg-style views of a process: !address (every region, or the one
 * holding addr, or totals with summary), !pte (PDE and PTE through the
 * self-map), !vad (the allocation tree). */
void fmt_address(strbuf_t *b, mm_process_t *p, bool summary, bool one, uint32_t addr);
void fmt_pte(strbuf_t *b, mm_process_t *p, uint32_t addr);
void fmt_vad(strbuf_t *b, mm_process_t *p);

/* What backs a page or frame (mm_page_backing, mm_frame_backing), one line
 * without its newline: 'page 1 of image "program.exe", section .text'. */
struct mm_backing;
void fmt_backing(strbuf_t *b, const struct mm_backing *k);
/* Its mappings: "2 mappings in 2 processes: main 0x00401000, second ...",
 * or "no PTE". */
void fmt_sharers(strbuf_t *b, mm_t *mm, const struct mm_backing *k);
/* !pfn: frame's PFN entry, as WinDbg's !pfn prints it: state, share count,
 * flags, what backs it and who maps it (format_pfn.c). */
void fmt_pfn(strbuf_t *b, mm_t *mm, uint32_t frame);
/* !heap: the process's heaps; all (-a): each with its segments and entries;
 * one: only the heap that is, or holds, addr (format_heap.c). */
void fmt_heap(strbuf_t *b, mm_process_t *p, bool all, bool one, uint32_t addr);

/* The statements of the language, as `pagesim --help` lists them: usage,
 * summary, where each runs, and the settings of config and machine bare. */
void scn_format_help(strbuf_t *b);
/* The language reference in Markdown, made from the statement table: the
 * statements, the settings, and every field expect can check. */
void scn_format_reference(strbuf_t *b);

/* One JSON object (and a newline) for a result. */
void scn_format_json(strbuf_t *b, const scn_result_t *res);

/* The prose form of a result: the statement's source line, then what
 * happened and why. */
void scn_format_text(strbuf_t *b, const scn_script_t *s, const scn_result_t *res);

#endif
