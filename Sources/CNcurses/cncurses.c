#include "cncurses.h"
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t started = 0;
static int has_colors_enabled = 0;

#define PASTE_BEGIN_CODE (KEY_MAX + 1)
#define PASTE_END_CODE (KEY_MAX + 2)

static void write_all(const char *s, size_t n) {
    while (n > 0) {
        ssize_t w = write(STDOUT_FILENO, s, n);
        if (w <= 0) return;
        s += w; n -= (size_t)w;
    }
}

int cncurses_start(int no_color) {
    setlocale(LC_ALL, "");
    // newterm, not initscr: for a TERM it does not know, initscr prints its own message and exits;
    // newterm returns NULL, so the caller can say what is wrong in its own words.
    if (newterm(NULL, stdout, stdin) == NULL) return -1;
    started = 1;
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    scrollok(stdscr, FALSE);
    leaveok(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);
    define_key("\033[200~", PASTE_BEGIN_CODE);
    define_key("\033[201~", PASTE_END_CODE);
    if (!no_color && has_colors()) {
        start_color();
        use_default_colors();
        init_pair(1, COLOR_CYAN, -1);   // accent
        init_pair(2, COLOR_RED, -1);    // error
        init_pair(3, COLOR_BLUE, -1);   // url
        has_colors_enabled = 1;
    }
    refresh();
    write_all("\033[?2004h", 8);
    return 0;
}

void cncurses_stop(void) {
    if (!started) return;
    started = 0;
    write_all("\033[?2004l", 8);
    curs_set(1);
    endwin();
}

void cncurses_suspend(void) {
    if (!started) return;
    write_all("\033[?2004l", 8);
    curs_set(1);
    endwin();
    // Raw mode turns Ctrl-Z into a key, so the stop is raised here, with the default action whatever
    // handler curses installed; the shell's fg continues the process right after it.
    struct sigaction dfl, old;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGTSTP, &dfl, &old);
    // The terminal thread may have been started with signals blocked (as the runtime's threads are):
    // unblocked, the signal raised here stops the process before raise returns.
    sigset_t tstp, mask;
    sigemptyset(&tstp);
    sigaddset(&tstp, SIGTSTP);
    pthread_sigmask(SIG_UNBLOCK, &tstp, &mask);
    raise(SIGTSTP);
    pthread_sigmask(SIG_SETMASK, &mask, NULL);
    sigaction(SIGTSTP, &old, NULL);
    // Back from fg: refresh re-enters curses' mode; the caller repaints every cell.
    curs_set(0);
    clearok(curscr, TRUE);
    refresh();
    write_all("\033[?2004h", 8);
}

static void restore_and_reraise(int sig) {
    if (started) {
        started = 0;
        write_all("\033[?2004l", 8);
        endwin();
        // In case endwin could not run cleanly: show the cursor, leave the alternate screen, reset attributes.
        write_all("\033[?25h\033[?1049l\033[0m\r\n", 20);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

void cncurses_install_signal_handlers(void) {
    int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = restore_and_reraise;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESETHAND;
        sigaction(sigs[i], &sa, NULL);
    }
}

static int map_key(int code) {
    switch (code) {
    case KEY_UP: return CNCURSES_K_UP;
    case KEY_DOWN: return CNCURSES_K_DOWN;
    case KEY_LEFT: return CNCURSES_K_LEFT;
    case KEY_RIGHT: return CNCURSES_K_RIGHT;
    case KEY_HOME: return CNCURSES_K_HOME;
    case KEY_END: return CNCURSES_K_END;
    case KEY_PPAGE: return CNCURSES_K_PPAGE;
    case KEY_NPAGE: return CNCURSES_K_NPAGE;
    case KEY_BACKSPACE: return CNCURSES_K_BACKSPACE;
    case KEY_DC: return CNCURSES_K_DC;
    case KEY_ENTER: return CNCURSES_K_ENTER;
    case KEY_RESIZE: return CNCURSES_K_RESIZE;
    case KEY_BTAB: return CNCURSES_K_BTAB;
    case PASTE_BEGIN_CODE: return CNCURSES_K_PASTE_BEGIN;
    case PASTE_END_CODE: return CNCURSES_K_PASTE_END;
    default: return CNCURSES_K_OTHER;
    }
}

int cncurses_read(int timeout_ms, int *value) {
    wint_t ch = 0;
    timeout(timeout_ms);
    int r = wget_wch(stdscr, &ch);
    if (r == ERR) return CNCURSES_NONE;
    if (r == KEY_CODE_YES) { *value = map_key((int)ch); return CNCURSES_KEY; }
    *value = (int)ch;
    return CNCURSES_CHAR;
}

int cncurses_lines(void) { return LINES; }
int cncurses_cols(void) { return COLS; }

void cncurses_put(int y, int x, const wchar_t *wch, int n, int bold, int reverse, int dim, int underline, int pair) {
    wchar_t buf[CCHARW_MAX + 1];
    int count = n < CCHARW_MAX ? n : CCHARW_MAX;
    for (int i = 0; i < count; i++) buf[i] = wch[i];
    buf[count] = 0;
    attr_t attrs = A_NORMAL;
    if (bold) attrs |= A_BOLD;
    if (reverse) attrs |= A_REVERSE;
    if (dim) attrs |= A_DIM;
    if (underline) attrs |= A_UNDERLINE;
    cchar_t cc;
    if (setcchar(&cc, buf, attrs, (short)(has_colors_enabled ? pair : 0), NULL) != OK) return;
    mvadd_wch(y, x, &cc);
}

void cncurses_erase(void) { erase(); }
void cncurses_refresh(void) { refresh(); }
void cncurses_write_tty(const char *bytes, size_t length) { write_all(bytes, length); }
