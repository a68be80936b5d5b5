#ifndef CNCURSES_H
#define CNCURSES_H
// SwiftPM drops the flags from ncursesw.pc: wide-character functions need these.
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <ncursesw/curses.h>
#include <locale.h>
// Typed shims for ncurses macros and variadics. (Filled in by the TerminalUI work.)
int cncurses_placeholder(void);
#endif
