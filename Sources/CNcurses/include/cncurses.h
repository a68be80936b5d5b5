#ifndef CNCURSES_H
#define CNCURSES_H
// SwiftPM drops the flags from ncursesw.pc: wide-character functions need these.
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <ncursesw/curses.h>
#include <locale.h>
#include <wchar.h>

// Typed shims for the ncurses macros, globals and variadics Swift cannot call.

/// Key kinds returned by cncurses_read.
#define CNCURSES_NONE 0   // timeout, nothing read
#define CNCURSES_CHAR 1   // *value is a Unicode scalar
#define CNCURSES_KEY 2    // *value is one of the CNCURSES_K_* codes below

#define CNCURSES_K_OTHER 0
#define CNCURSES_K_UP 1
#define CNCURSES_K_DOWN 2
#define CNCURSES_K_LEFT 3
#define CNCURSES_K_RIGHT 4
#define CNCURSES_K_HOME 5
#define CNCURSES_K_END 6
#define CNCURSES_K_PPAGE 7
#define CNCURSES_K_NPAGE 8
#define CNCURSES_K_BACKSPACE 9
#define CNCURSES_K_DC 10
#define CNCURSES_K_ENTER 11
#define CNCURSES_K_RESIZE 12
#define CNCURSES_K_PASTE_BEGIN 13
#define CNCURSES_K_PASTE_END 14
#define CNCURSES_K_BTAB 15

/// Starts curses: locale, newterm, raw, noecho, keypad, ESC delay, paste keys, colours unless no_color.
/// Returns 0 on success, -1 when the terminal cannot be initialised (TERM unset or unknown); prints nothing.
int cncurses_start(int no_color);
/// Ends curses (idempotent) after turning bracketed paste off.
void cncurses_stop(void);
/// Gives the terminal back and stops the process (SIGTSTP); once continued, takes the terminal again.
void cncurses_suspend(void);
/// Installs handlers for SIGINT, SIGTERM, SIGHUP, SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL that restore the
/// terminal and then re-raise the signal with its default action.
void cncurses_install_signal_handlers(void);
/// Waits up to timeout_ms for input. Returns a CNCURSES_* kind and stores the value.
int cncurses_read(int timeout_ms, int *value);
int cncurses_lines(void);
int cncurses_cols(void);
/// Draws one cell: wch holds the spacing character and up to 4 combining characters (count n).
void cncurses_put(int y, int x, const wchar_t *wch, int n, int bold, int reverse, int dim, int underline, int pair);
void cncurses_erase(void);
void cncurses_refresh(void);
/// Writes raw bytes to the terminal (OSC sequences), bypassing curses.
void cncurses_write_tty(const char *bytes, size_t length);
#endif
