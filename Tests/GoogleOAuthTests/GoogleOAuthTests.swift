import Testing
import GoogleOAuth

@Suite struct GoogleOAuthPlaceholderTests {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
