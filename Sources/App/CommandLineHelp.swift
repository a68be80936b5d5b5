import Foundation
import ArgumentParser

/// The words of the top-level help, and the answer to a mistyped command.
enum CommandLineHelp {
    /// Kept within 74 columns a line, so that neither an 80-column terminal nor the man page's indent
    /// wraps it mid-sentence.
    static let discussion = """
        With no command, gmail-tui opens the full-screen browser (= browse).
        Try it without a Google account, set-up or network:  gmail-tui --demo

        Options every command takes (environment variable; default):
          --client-secrets PATH  OAuth client (GMAIL_TUI_CLIENT_SECRETS;
                                 $XDG_CONFIG_HOME/gmail-tui/client_secret.json)
          --credentials PATH     stored grants (GMAIL_TUI_CREDENTIALS;
                                 $XDG_DATA_HOME/gmail-tui/credentials.json)
          --account EMAIL        the account (GMAIL_TUI_ACCOUNT; the last one)
          --config PATH          settings and keys (GMAIL_TUI_CONFIG;
                                 $XDG_CONFIG_HOME/gmail-tui/config.toml)
          --log-file PATH        the log (GMAIL_TUI_LOG;
                                 $XDG_STATE_HOME/gmail-tui/gmail-tui.log)
          --cache-dir DIR        local mail stores, mail in clear, 0600
                                 (GMAIL_TUI_CACHE_DIR; $XDG_CACHE_HOME/gmail-tui)
          --no-cache             keep no mail on disk (GMAIL_TUI_NO_CACHE=1)
          --api-root URL, --ca-file PATH, --network-timeout SECONDS:
                                 see gmail-tui help browse

        The browser also takes --demo, --query Q and --page-size N.

        Exit status:
          0   done
          64  usage: unknown command or option; no terminal for the browser
          75  the network, Google or a busy credential lock: try again later
          77  authorization needed, or the credential file is unusable
          78  configuration: client secrets, config.toml, http:// off loopback

        Examples:
          gmail-tui --demo                       browse a sample mailbox
          gmail-tui auth                         authorize your Google account
          gmail-tui                              browse your unread mail
          gmail-tui list --query 'is:starred' --max 10
          gmail-tui sync                         update the local store (cron)
          gmail-tui list --offline               from the local store, no network
          gmail-tui config > ~/.config/gmail-tui/config.toml

        More: man gmail-tui; the README's "Commands" and "Keys" sections.
        """

    /// Exits 64 with "did you mean" and the usage when the first argument names no command.
    ///
    /// Without this, a typo reaches the default command (browse) and its usage answers for the wrong command.
    static func checkCommand(_ arguments: [String], commands: [String]) {
        guard let first = arguments.first, !first.hasPrefix("-"), !commands.contains(first) else { return }
        var message = "gmail-tui: unknown command \"\(first)\""
        if let guess = closest(to: first, in: commands) { message += "; did you mean \(guess)?" }
        printError(message + "\n\n" + usage())
        exit(ExitStatus.usage)
    }

    /// The top-level usage: the commands with their one-line summaries.
    static func usage() -> String {
        let commands = GmailTUI.configuration.subcommands.map { ($0._commandName, $0.configuration.abstract) }
        let width = commands.map(\.0.count).max() ?? 0
        let lines = commands.map { "  " + $0.0.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.1 }
        return "Usage: gmail-tui [COMMAND] [OPTIONS] (no command: browse)\n\nCommands:\n" + lines.joined(separator: "\n")
            + "\n\nSee gmail-tui --help, gmail-tui help COMMAND, or man gmail-tui."
    }

    /// The command nearest to `word`: within two edits, or one it starts.
    static func closest(to word: String, in commands: [String]) -> String? {
        let ranked = commands.map { ($0, distance(word.lowercased(), $0)) }.sorted { $0.1 < $1.1 }
        if let best = ranked.first, best.1 <= min(2, max(1, word.count / 2)) { return best.0 }
        return commands.first { $0.hasPrefix(word.lowercased()) && word.count >= 2 }
    }

    /// Edit distance with adjacent swaps counted as one edit ("lsit" is one edit from "list").
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}

extension ExitStatus {
    /// EX_USAGE: an unknown command or option (ArgumentParser's own usage errors exit 64 too).
    static let usage: Int32 = 64
}
