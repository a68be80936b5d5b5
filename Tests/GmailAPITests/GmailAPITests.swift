import Testing
import GmailAPI

@Suite struct GmailAPIPlaceholderTests {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
