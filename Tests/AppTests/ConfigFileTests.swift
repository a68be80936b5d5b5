import Foundation
import Testing
import MailUI
import TerminalCells
@testable import App

@Suite struct ConfigFileTests {
    func parse(_ text: String) throws(ConfigFileError) -> Settings { try ConfigFile.parse(text, path: "config.toml") }

    func error(_ text: String) -> ConfigFileError? {
        do { _ = try parse(text); return nil } catch { return error }
    }

    @Test func everyKeyOfTheDesignExampleIsRead() throws {
        let s = try parse("""
            query = "label:work is:unread"  # the list shown at start
            page_size = 25
            mark_read_on_open = false
            sync_interval_s = 300
            cache_size_mb = 64
            theme = "mono"
            [keys]
            archive = "a"
            quit = "Q"
            half_page_down = ["ctrl-f", "pgdn"]
            page_down = "space"
            """)
        #expect(s.query == "label:work is:unread")
        #expect(s.pageSize == 25)
        #expect(s.markReadOnOpen == false)
        #expect(s.syncIntervalSeconds == 300)
        #expect(s.cacheSizeMB == 64)
        #expect(s.theme == .mono)
        #expect(s.keymap.bindings["archive"] == [.character("a")])
        #expect(s.keymap.bindings["quit"] == [.character("Q")])
        #expect(s.keymap.bindings["half_page_down"] == [.control("f"), .pageDown])
        #expect(s.keymap.bindings["page_down"] == [.character(" ")])
        // What the file leaves out keeps its default.
        #expect(s.keymap.bindings["down"] == [.character("j"), .down])
    }

    @Test func anEmptyFileGivesTheDefaults() throws {
        #expect(try parse("# nothing set\n") == Settings())
        #expect(Settings().query == "is:unread" && Settings().pageSize == 50 && Settings().theme == .default)
    }

    @Test func theDefaultBindingsDoNotClash() throws {
        #expect(try Keymap(overrides: [:]) == Keymap())
    }

    @Test func unknownKeysAreNamedWithTheirLine() {
        let e = error("query = \"x\"\n\npagesize = 10\n")
        #expect(e?.line == 3)
        #expect(e?.problem.contains("unknown key pagesize") == true)
        let action = error("[keys]\nquit = \"q\"\narchiv = \"e\"\n")
        #expect(action?.line == 3)
        #expect(action?.problem.contains("unknown action archiv") == true)
    }

    @Test func badValuesAreNamedWithTheirLine() {
        let cases: [(String, Int, String)] = [
            ("page_size = 0", 1, "page_size must be a whole number from 1 to 500"),
            ("\npage_size = \"50\"", 2, "page_size must be a whole number"),
            ("mark_read_on_open = \"yes\"", 1, "mark_read_on_open must be true or false"),
            ("sync_interval_s = 2", 1, "sync_interval_s must be a whole number 0 (off) or from 5"),
            ("cache_size_mb = -1", 1, "cache_size_mb must be a whole number from 1"),
            ("theme = \"solarized\"", 1, "theme must be \"default\" or \"mono\""),
            ("query = 5", 1, "query must be a string"),
            ("keys = 3", 1, "keys must be a table"),
            ("[keys]\n\nquit = \"ctrl-c\"", 3, "quit = \"ctrl-c\" is not a key"),
            ("[keys]\nquit = \"qq\"", 2, "quit = \"qq\" is not a key"),
            ("[keys]\nquit = 1", 2, "quit must be a key"),
        ]
        for (text, line, words) in cases {
            let e = error(text)
            #expect(e?.line == line, "\(text)")
            #expect(e?.problem.contains(words) == true, "\(text): \(e?.problem ?? "no error")")
        }
        #expect((try? parse("sync_interval_s = 0"))?.syncIntervalSeconds == 0)
    }

    @Test func syntaxErrorsNameTheirLine() {
        let e = error("query = \"a\"\npage_size = \n")
        #expect(e?.line == 2)
        #expect(e?.description.hasPrefix("config.toml:2: not valid TOML") == true)
    }

    @Test func clashingBindingsNameBothActionsAndLines() {
        let both = error("[keys]\narchive = \"d\"\ntrash = \"d\"\n")
        #expect(both?.line == 3)
        #expect(both?.problem.contains("archive (line 2) and trash (line 3)") == true)
        // A key taken from an action that keeps its default clashes with that default.
        let withDefault = error("[keys]\narchive = \"j\"\n")
        #expect(withDefault?.line == 2)
        #expect(withDefault?.problem.contains("down (by default) and archive (line 2)") == true)
        // The same key on two actions that never share a screen is fine: n pages the list and moves in a message.
        #expect(error("[keys]\nnext_page = \"N\"\nnext_message = \"N\"\n") == nil)
        // Moving the default away first frees it.
        #expect(error("[keys]\ndown = \"J\"\narchive = \"j\"\n") == nil)
    }

    @Test func whatConfigPrintsReadsBackAsTheSameSettings() throws {
        var s = try parse("query = \"from:\\\"Zoë\\\" \\\\ x\"\ntheme = \"mono\"\n[keys]\nquit = \"Q\"\nsearch = [\"/\", \"s\"]\nstar = \"S\"\n")
        s.pageSize = 77
        let printed = ConfigFile.render(s)
        #expect(printed.contains("quit = \"Q\""))
        #expect(try parse(printed) == s)
    }

    @Test func aMissingDefaultFileIsFineAndAMissingNamedOneIsNot() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let found = try Settings.load(explicitPath: nil, environment: ["HOME": "/nonexistent", "XDG_CONFIG_HOME": folder])
        #expect(found.found == false)
        #expect(found.path == folder + "/gmail-tui/config.toml")
        #expect(throws: (any Error).self) { try Settings.load(explicitPath: folder + "/nope.toml", environment: [:]) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/mine.toml"
        try Data("page_size = 20\n".utf8).write(to: URL(fileURLWithPath: path))
        let fromEnvironment = try Settings.load(explicitPath: nil, environment: ["GMAIL_TUI_CONFIG": path])
        #expect(fromEnvironment.settings.pageSize == 20 && fromEnvironment.found)
    }

    @Test func keyNamesReadAsConfigWritesThem() {
        for key: Key in [.character("e"), .character("#"), .character(" "), .control("d"), .enter, .escape, .pageDown, .home, .up] {
            #expect(Key(configName: key.configName) == key)
        }
        #expect(Key(configName: "Ctrl-D") == .control("d"))
        #expect(Key(configName: "PgDn") == .pageDown)
        #expect(Key(configName: "") == nil)
        #expect(Key(configName: "ctrl-1") == nil)
    }
}
