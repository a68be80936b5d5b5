import MailUI
internal import CNcurses

/// The ncurses terminal (to be built).
public enum TerminalUI {}
