#include "cncurses.h"
int cncurses_placeholder(void) { return 0; }
