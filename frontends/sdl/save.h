/* pagesim-sdl's pictures as PNG files, written and checked like any other
 * output: a file that cannot be written comes with the reason. */
#ifndef PAGESIM_SDL_SAVE_H
#define PAGESIM_SDL_SAVE_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>

/* Encodes s as a PNG and writes it to path. True when all of it reached
 * the file; else false, no file left behind, and the reason in why (size
 * bytes: the system's for the file, SDL_image's for the encoding). */
bool save_png(SDL_Surface *s, const char *path, char *why, size_t size);

#endif
