#ifndef FOLEY_CNCURSESW_SHIM_H
#define FOLEY_CNCURSESW_SHIM_H
// SwiftPM drops ncursesw.pc's -D flags, which hide the wide-character API.
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <ncurses.h>

// Swift 6 rejects C mutable globals and function-like macros: expose them as functions.
static inline WINDOW *foley_stdscr(void) { return stdscr; }
static inline int foley_lines(void) { return LINES; }
static inline int foley_cols(void) { return COLS; }
static inline int foley_colors(void) { return COLORS; }
static inline int foley_color_pairs(void) { return COLOR_PAIRS; }
static inline int foley_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int foley_err(void) { return ERR; }
#endif
