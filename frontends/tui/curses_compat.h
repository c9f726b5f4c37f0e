/* The one place the terminal UI includes curses: ncurses here, PDCurses on
 * Windows (PAGESIM_PDCURSES). Only the subset both provide is used. */
#ifndef PAGESIM_CURSES_COMPAT_H
#define PAGESIM_CURSES_COMPAT_H

#ifdef PAGESIM_PDCURSES
#include <curses.h>
#else
#include <ncurses.h>
#endif

#endif
