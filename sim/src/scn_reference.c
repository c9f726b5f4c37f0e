/* The statement table as text: the list `pagesim --help` prints, and the
 * Markdown reference of docs/scenario-language.md (statements, settings,
 * and every field expect can check), both made from the table itself so
 * that neither drifts from what the parser accepts. */
#include "pagesim/format.h"
#include "scn_int.h"
#include <string.h>

static const char *where(unsigned on)
{
    if ((on & SCN_ON_BARE) && (on & SCN_ON_PROCESS)) return (on & SCN_ON_WIN32) ? "both backends" : "simulator";
    if (on & SCN_ON_BARE) return "simulator, bare machine";
    return (on & SCN_ON_WIN32) ? "both backends" : "simulator, Windows process";
}

static void put_keys(strbuf_t *b, const scn_key_t *keys)
{
    for (int k = 0; keys[k].name; k++)
        strbuf_printf(b, "%s%s=%s", k ? " " : "", keys[k].name, keys[k].words ? keys[k].words : "");
}

void scn_format_help(strbuf_t *b)
{
    for (unsigned i = 0; i < SCN_VERB_COUNT; i++) {
        const scn_row_t *r = scn_row((scn_verb_id_t)i);
        const char *w = (r->verb.on & SCN_ON_BARE) && (r->verb.on & SCN_ON_PROCESS) ? ""
                        : (r->verb.on & SCN_ON_BARE)                                  ? " [bare machine]"
                                                                                      : " [Windows process]";
        strbuf_printf(b, "  %s\n      %s%s\n", r->verb.usage, r->verb.summary, w);
        if (r->syntax.keys) {
            strbuf_puts(b, "      settings: ");
            put_keys(b, r->syntax.keys);
            strbuf_putc(b, '\n');
        }
    }
}

/* Markdown table cells: '|' would end the cell. */
static void cell(strbuf_t *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '|') strbuf_puts(b, "\\|");
        else strbuf_putc(b, *s);
    }
}

/* The statements after which expect may check field f. */
static void statements_with(strbuf_t *b, const scn_field_t *f)
{
    bool first = true;
    for (unsigned i = 0; i < SCN_VERB_COUNT; i++) {
        const scn_row_t *r = scn_row((scn_verb_id_t)i);
        if (!(r->results & f->result)) continue;
        strbuf_printf(b, "%s`%s`", first ? "" : ", ", r->verb.name);
        first = false;
    }
    if (f->process_only) strbuf_puts(b, " (in a Windows process)");
}

static const char *compared_as(const scn_field_t *f)
{
    switch (f->kind) {
    case FIELD_HEX: return f->none_ok ? "a 32-bit number, or none" : "a 32-bit number";
    case FIELD_COUNT: return f->none_ok ? "a number, or none" : "a number";
    case FIELD_TEXT: return "a string";
    case FIELD_BYTES: return "a string of bytes";
    }
    return "";
}

void scn_format_reference(strbuf_t *b)
{
    strbuf_puts(b, "### Statements\n\n| statement | runs on | what it does |\n|---|---|---|\n");
    for (unsigned i = 0; i < SCN_VERB_COUNT; i++) {
        const scn_row_t *r = scn_row((scn_verb_id_t)i);
        strbuf_puts(b, "| `");
        cell(b, r->verb.usage);
        strbuf_printf(b, "` | %s | ", where(r->verb.on));
        cell(b, r->verb.summary);
        strbuf_puts(b, " |\n");
    }
    strbuf_puts(b, "\n### Settings\n\n| statement | setting | values | what it sets |\n|---|---|---|---|\n");
    for (unsigned i = 0; i < SCN_VERB_COUNT; i++) {
        const scn_row_t *r = scn_row((scn_verb_id_t)i);
        for (int k = 0; r->syntax.keys && r->syntax.keys[k].name; k++) {
            const scn_key_t *key = &r->syntax.keys[k];
            strbuf_printf(b, "| `%s` | `%s=` | ", r->verb.name, key->name);
            if (key->words) {
                strbuf_putc(b, '`');
                cell(b, key->words);
                strbuf_putc(b, '`');
            } else {
                strbuf_puts(b, "an expression");
            }
            strbuf_printf(b, " | %s |\n", key->doc);
        }
    }
    strbuf_puts(b, "\n### What expect can check\n\n`expect FIELD == VALUE` checks the result of the statement before it.\n\n"
                   "| field | what it is | after | compared with |\n|---|---|---|---|\n");
    for (unsigned k = 0; k < scn_nfields; k++) {
        const scn_field_t *f = &scn_fields[k];
        strbuf_printf(b, "| `%s` | ", f->name);
        cell(b, f->doc);
        strbuf_puts(b, " | ");
        statements_with(b, f);
        strbuf_printf(b, " | %s |\n", compared_as(f));
    }
}
