import Testing
import MailService

@Suite struct MailServicePlaceholderTests {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
