import Foundation
import ArgumentParser

/// `gmail-tui config`: the configuration in force, as a config.toml that would give it.
struct ShowConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print the configuration in force (config.toml's keys, defaults filled in) as TOML.",
        discussion: """
        The output is itself a valid config.toml: save it as $XDG_CONFIG_HOME/gmail-tui/config.toml and edit it. \
        Key names for [keys]: one character ("e", "#"), ctrl-LETTER, or enter, esc, space, tab, backspace, delete, \
        up, down, left, right, home, end, pgup, pgdn; an action takes one key or a list of keys. \
        Command-line options (--query, --page-size) win over the file.

        """ + ExitStatus.help)

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let config = try Configuration(options)
        print(config.configFound ? "# read from \(config.configPath)" : "# defaults: there is no \(config.configPath)")
        print("# client secrets: \(config.clientSecretsPath)")
        print("# credentials: \(config.credentialsPath)")
        print("# log: \(config.logPath)")
        print("# query history: \(config.queryHistoryPath)")
        print(ConfigFile.render(config.settings), terminator: "")
    }
}
