#ifndef BC260_CNCURSES_SHIM_H
#define BC260_CNCURSES_SHIM_H
/* Wide-character curses. Helpers for macros and globals Swift cannot import are added here. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>

/* Glibc's Swift module hides wcwidth; the console's grid needs it to measure CJK text. */
static inline int bc_wcwidth(wchar_t c) { return wcwidth(c); }

/* Mutable C globals Swift 6 refuses to read. */
static inline WINDOW *bc_stdscr(void) { return stdscr; }

/* Function-like macros. */
static inline int bc_key_f(int n) { return KEY_F(n); }
static inline int bc_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int bc_wattrset(WINDOW *w, int attrs) { return wattrset(w, attrs); }

/* Attribute bits (macros built from NCURSES_BITS). */
static inline int bc_a_normal(void) { return (int)A_NORMAL; }
static inline int bc_a_bold(void) { return (int)A_BOLD; }
static inline int bc_a_reverse(void) { return (int)A_REVERSE; }
static inline int bc_a_underline(void) { return (int)A_UNDERLINE; }
static inline int bc_a_dim(void) { return (int)A_DIM; }
#endif
