import Testing
@testable import App

@Suite struct CommandLineHelpTests {
    let commands = ["browse", "auth", "list", "accounts", "logout", "config", "help"]

    @Test func aTypoFindsTheCommandItMeant() {
        #expect(CommandLineHelp.closest(to: "lsit", in: commands) == "list")
        #expect(CommandLineHelp.closest(to: "acount", in: commands) == "accounts")
        #expect(CommandLineHelp.closest(to: "logot", in: commands) == "logout")
        #expect(CommandLineHelp.closest(to: "conf", in: commands) == "config")
        #expect(CommandLineHelp.closest(to: "LIST", in: commands) == "list")
    }

    @Test func aWordFarFromEveryCommandGetsNoGuess() {
        #expect(CommandLineHelp.closest(to: "xyzzy", in: commands) == nil)
        #expect(CommandLineHelp.closest(to: "q", in: commands) == nil)
    }

    @Test func theTopLevelHelpFitsEightyColumnsAndTheManPageIndent() {
        #expect(CommandLineHelp.discussion.split(separator: "\n").allSatisfy { $0.count <= 74 })
    }
}
