import Testing
import MailUI

@Suite struct MailUIPlaceholderTests {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
