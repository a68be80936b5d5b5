import Testing
import CurlTransport

@Suite struct CurlTransportPlaceholderTests {
    @Test func moduleLoads() { #expect(Bool(true)) }
}
