import Testing
import GmailSandbox

@Suite struct ScenarioPlaceholderTests {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
