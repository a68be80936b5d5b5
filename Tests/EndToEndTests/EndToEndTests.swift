import Testing
import GmailSandbox

@Suite struct EndToEndPlaceholderTests {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
