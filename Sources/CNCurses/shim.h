#ifndef BC260_CNCURSES_SHIM_H
#define BC260_CNCURSES_SHIM_H
/* Wide-character curses. Helpers for macros and globals Swift cannot import are added here. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <ncursesw/ncurses.h>
#endif
