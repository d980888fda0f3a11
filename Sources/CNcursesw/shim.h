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
static inline attr_t foley_a_bold(void) { return A_BOLD; }
static inline attr_t foley_a_reverse(void) { return A_REVERSE; }
static inline attr_t foley_a_normal(void) { return A_NORMAL; }
static inline SCREEN *foley_newterm_stdio(void) { return newterm(NULL, stdout, stdin); }
static inline int foley_key_code_yes(void) { return KEY_CODE_YES; }
/// Puts one wide character with attributes and a colour pair (pairs above 255 need the
/// cchar_t route: COLOR_PAIR() only has 8 bits).
static inline int foley_put_cell(int y, int x, wchar_t ch, attr_t attrs, int pair) {
    cchar_t cc;
    wchar_t text[2] = { ch, 0 };
    if (setcchar(&cc, text, attrs, (short)pair, NULL) != OK) return ERR;
    return mvwadd_wch(stdscr, y, x, &cc);
}
#endif
