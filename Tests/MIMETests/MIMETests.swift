import Testing
import MIME

@Suite struct MIMEPlaceholderTests {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
