import Testing
import GmailSandbox

@Suite struct GmailSandboxPlaceholderTests {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
