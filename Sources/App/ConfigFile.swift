import Foundation
import ArgumentParser
import TOMLKit
import MailUI
import TerminalCells

/// What `config.toml` can set (design.md, "Configuration"), with the defaults for what it leaves out.
struct Settings: Sendable, Equatable {
    enum Theme: String, Sendable, CaseIterable { case `default`, mono }

    /// The list shown at start.
    var query = "is:unread"
    var pageSize = 50
    /// Opening an unread message marks it read (needs gmail.modify; used by triage).
    var markReadOnOpen = true
    /// Seconds between background syncs while the browser is open; 0 turns them off.
    var syncIntervalSeconds = 60
    /// The most the local store may keep on disk, in MiB.
    var cacheSizeMB = 512
    /// "mono" draws without colours; NO_COLOR turns colours off whatever the theme.
    var theme = Theme.default
    var keymap = Keymap()

    static let pageSizes = 1...500
    static let syncIntervals = 5...86_400
    static let cacheSizes = 1...1_048_576
}

/// A `config.toml` that cannot be used: the file, the line when one is to blame, and what is wrong.
struct ConfigFileError: Error, Equatable, CustomStringConvertible {
    var path: String
    var line: Int?
    var problem: String
    var description: String { "\(path)\(line.map { ":\($0)" } ?? ""): \(problem)" }
}

/// Reads `config.toml` with TOMLKit and checks every key and value against `Settings`.
enum ConfigFile {
    static let topKeys = ["query", "page_size", "mark_read_on_open", "sync_interval_s", "cache_size_mb", "theme", "keys"]

    /// The settings `text` gives; `path` only names the file in errors.
    static func parse(_ text: String, path: String) throws(ConfigFileError) -> Settings {
        func fail(_ line: Int?, _ problem: String) -> ConfigFileError { ConfigFileError(path: path, line: line, problem: problem) }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw fail(error.source.begin.line, "not valid TOML: \(error.description)")
        } catch {
            throw fail(nil, "not valid TOML: \(error)")
        }
        let lines = KeyLines(text)
        var settings = Settings()
        for key in table.keys.sorted(by: { lines.line(of: $0, in: nil) ?? 0 < lines.line(of: $1, in: nil) ?? 0 }) {
            let line = lines.line(of: key, in: nil)
            guard let value = table[key] else { continue }
            func integer(_ range: ClosedRange<Int>, unit: String, orZero: Bool = false) throws(ConfigFileError) -> Int {
                guard value.type == .int, let n = value.int, range.contains(n) || (orZero && n == 0) else {
                    throw fail(line, "\(key) must be a whole number \(orZero ? "0 (off) or " : "")from \(range.lowerBound) to \(range.upperBound)\(unit)")
                }
                return n
            }
            switch key {
            case "query":
                guard let s = value.string, value.type == .string else { throw fail(line, "query must be a string, such as \"is:unread\"") }
                settings.query = s
            case "page_size": settings.pageSize = try integer(Settings.pageSizes, unit: "")
            case "mark_read_on_open":
                guard value.type == .bool, let b = value.bool else { throw fail(line, "mark_read_on_open must be true or false") }
                settings.markReadOnOpen = b
            case "sync_interval_s": settings.syncIntervalSeconds = try integer(Settings.syncIntervals, unit: " seconds", orZero: true)
            case "cache_size_mb": settings.cacheSizeMB = try integer(Settings.cacheSizes, unit: " MiB")
            case "theme":
                guard let s = value.string, let theme = Settings.Theme(rawValue: s) else {
                    throw fail(line, "theme must be \"default\" or \"mono\"")
                }
                settings.theme = theme
            case "keys":
                guard value.type == .table, let keys = value.table else { throw fail(line, "keys must be a table: [keys] then lines such as archive = \"e\"") }
                settings.keymap = try keymap(keys, lines: lines, fail: fail)
            default:
                throw fail(line, "unknown key \(key) (known: \(topKeys.joined(separator: ", ")))")
            }
        }
        return settings
    }

    /// The bindings `[keys]` gives: each action by name, to one key or a list of keys.
    static func keymap(_ table: TOMLTable, lines: KeyLines, fail: (Int?, String) -> ConfigFileError) throws(ConfigFileError) -> Keymap {
        var overrides: [String: [Key]] = [:]
        var lineOf: [String: Int] = [:]
        for name in table.keys {
            let line = lines.line(of: name, in: "keys")
            lineOf[name] = line
            guard Keymap.action(named: name) != nil else {
                throw fail(line, "unknown action \(name) in [keys] (actions: \(Keymap.actions.map(\.name).joined(separator: ", ")))")
            }
            guard let value = table[name] else { continue }
            let raw: [String]
            if let s = value.string, value.type == .string {
                raw = [s]
            } else if value.type == .array, let array = value.array, !array.isEmpty, array.allSatisfy({ $0.type == .string }) {
                raw = array.compactMap(\.string)
            } else {
                throw fail(line, "\(name) must be a key such as \"e\", \"ctrl-d\" or \"pgdn\", or a list of them")
            }
            var keys: [Key] = []
            for text in raw {
                guard let key = Key(configName: text) else {
                    throw fail(line, "\(name) = \"\(text)\" is not a key: write one character (\"e\", \"#\"), ctrl-LETTER (not ctrl-c), "
                        + "or one of enter, esc, space, tab, backspace, delete, up, down, left, right, home, end, pgup, pgdn")
                }
                if !keys.contains(key) { keys.append(key) }
            }
            overrides[name] = keys
        }
        do {
            return try Keymap(overrides: overrides)
        } catch {
            let named = error.actions.sorted { (lineOf[$0] ?? 0) < (lineOf[$1] ?? 0) }.map { name in lineOf[name].map { "\(name) (line \($0))" } ?? "\(name) (by default)" }
            let line = error.actions.compactMap { lineOf[$0] }.max()
            throw fail(line, "\(error.key.configName) is bound to both \(named.joined(separator: " and ")) on the same screen; give one of them another key")
        }
    }

    /// The configuration in force, as a `config.toml` that gives it (what `gmail-tui config` prints).
    static func render(_ s: Settings) -> String {
        var out = """
        query = \(quoted(s.query))
        page_size = \(s.pageSize)
        mark_read_on_open = \(s.markReadOnOpen)
        sync_interval_s = \(s.syncIntervalSeconds)
        cache_size_mb = \(s.cacheSizeMB)
        theme = \(quoted(s.theme.rawValue))

        [keys]

        """
        for action in Keymap.actions {
            let keys = (s.keymap.bindings[action.name] ?? []).map { quoted($0.configName) }
            out += "\(action.name) = \(keys.count == 1 ? keys[0] : "[\(keys.joined(separator: ", "))]")\n"
        }
        return out
    }

    /// A TOML basic string.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f { out += String(format: "\\u%04X", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}

/// Where each key is written in the file, for errors: TOMLKit keeps no positions of keys and values.
struct KeyLines {
    private var entries: [(table: String?, key: String, line: Int)] = []

    init(_ text: String) {
        var table: String? = nil
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                let name = line.trimmingCharacters(in: CharacterSet(charactersIn: "[] ")).split(separator: "]").first.map(String.init) ?? ""
                table = name.trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
                continue
            }
            guard let equals = line.firstIndex(of: "="), !line.hasPrefix("#") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            // `keys.quit = "x"` at the top level writes into [keys].
            let parts = key.split(separator: ".", maxSplits: 1).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"' ")) }
            if table == nil, parts.count == 2 {
                entries.append((parts[0], parts[1], index + 1))
                entries.append((nil, parts[0], index + 1))
            } else {
                entries.append((table, parts[0], index + 1))
            }
        }
    }

    /// The first line that sets `key` in `table` (nil: the top level), or the first header of that table.
    func line(of key: String, in table: String?) -> Int? {
        entries.first { $0.table == table && $0.key == key }?.line
            ?? (table == nil ? nil : entries.first { $0.table == table }?.line)
    }
}

extension Settings {
    /// `--config`, else `GMAIL_TUI_CONFIG`, else `$XDG_CONFIG_HOME/gmail-tui/config.toml` (missing is fine there).
    static func load(explicitPath: String?, environment: [String: String]) throws -> (settings: Settings, path: String, found: Bool) {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let given = [explicitPath, environment["GMAIL_TUI_CONFIG"]].compactMap { $0 }.first { !$0.isEmpty }
        let configHome = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? (home as NSString).appendingPathComponent(".config")
        let path = given ?? (configHome as NSString).appendingPathComponent("gmail-tui/config.toml")
        guard FileManager.default.fileExists(atPath: path) else {
            if given == nil { return (Settings(), path, false) }
            throw report(ConfigFileError(path: path, line: nil, problem: "no such file (named by --config or GMAIL_TUI_CONFIG); see the README's \"Configuration\" section"))
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw report(ConfigFileError(path: path, line: nil, problem: "cannot be read as UTF-8 text"))
        }
        do {
            return (try ConfigFile.parse(text, path: path), path, true)
        } catch {
            throw report(error)
        }
    }

    /// Says what is wrong on standard error and gives the exit status for configuration (78).
    private static func report(_ error: ConfigFileError) -> ExitCode {
        printError("gmail-tui: configuration file \(error)")
        return ExitCode(ExitStatus.config)
    }
}
