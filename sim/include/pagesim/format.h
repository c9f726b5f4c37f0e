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

/* The walk drawn step by step, each line starting with indent. */
void fmt_walk_text(strbuf_t *b, const mmu_walk_t *w, const char *indent);

/* WinDbg-style views of a process: !address (every region, or the one
 * holding addr, or totals with summary), !pte (PDE and PTE through the
 * self-map), !vad (the allocation tree). */
void fmt_address(strbuf_t *b, mm_process_t *p, bool summary, bool one, uint32_t addr);
void fmt_pte(strbuf_t *b, mm_process_t *p, uint32_t addr);
void fmt_vad(strbuf_t *b, mm_process_t *p);

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
