/* The one place the terminal UI includes curses: ncurses here, PDCurses on
 * Windows (PAGESIM_PDCURSES). Only the subset both provide is used. */
#ifndef PAGESIM_CURSES_COMPAT_H
#define PAGESIM_CURSES_COMPAT_H

#ifdef PAGESIM_PDCURSES
#include <curses.h>
#else
#include <ncurses.h>
#endif

/* Escape alone is a key here (it cancels a prompt): ncurses waits a second
 * for the rest of a sequence after it unless told otherwise; PDCurses
 * does not wait. */
static inline void compat_short_escdelay(void)
{
#ifdef NCURSES_VERSION
    set_escdelay(25);
#endif
}

#endif
