import Foundation
import Testing
@testable import HTTPCore

@Suite struct HTTPCoreTests {
    @Test func headersAreCaseInsensitiveAndOrdered() {
        var h: HTTPHeaders = ["Content-Type": "text/plain", "X-A": "1"]
        h.add("x-a", "2")
        #expect(h["content-type"] == "text/plain")
        #expect(h.values(for: "X-A") == ["1", "2"])
        h["X-A"] = "3"
        #expect(h.values(for: "x-a") == ["3"])
    }

    @Test func formEncodingEscapesEverythingButUnreserved() {
        #expect(FormEncoding.encode([("redirect_uri", "http://127.0.0.1:9004/"), ("scope", "a b+c")])
                == "redirect_uri=http%3A%2F%2F127.0.0.1%3A9004%2F&scope=a%20b%2Bc")
        let decoded = FormEncoding.decode("code=4%2F0Ab&scope=email+profile&empty")
        #expect(decoded.map(\.0) == ["code", "scope", "empty"])
        #expect(FormEncoding.value("code", in: decoded) == "4/0Ab")
        #expect(FormEncoding.value("scope", in: decoded) == "email profile")
    }

    @Test func repeatedQueryKeysStayRepeated() {
        let url = FormEncoding.url(URL(string: "https://x.test/m")!, query: [("labelIds", "INBOX"), ("labelIds", "UNREAD")])
        #expect(url.absoluteString == "https://x.test/m?labelIds=INBOX&labelIds=UNREAD")
    }

    @Test(arguments: ["127.0.0.1", "127.8.9.10", "localhost", "::1", "[::1]", "LOCALHOST"])
    func loopbackHosts(host: String) { #expect(Loopback.isLoopback(host: host)) }

    @Test(arguments: ["128.0.0.1", "example.com", "127.0.0.1.evil.com", "10.0.0.1", "1270.0.0.1"])
    func nonLoopbackHosts(host: String) { #expect(!Loopback.isLoopback(host: host)) }

    @Test func plainHTTPIsRefusedOffLoopback() throws {
        try Loopback.checkSecure(URL(string: "https://gmail.googleapis.com/")!)
        try Loopback.checkSecure(URL(string: "http://127.0.0.1:8080/x")!)
        #expect(throws: TransportError.insecureURL(host: "example.com")) { try Loopback.checkSecure(URL(string: "http://example.com/")!) }
        #expect(throws: TransportError.self) { try Loopback.checkSecure(URL(string: "ftp://example.com/")!) }
    }

    @Test func retryAfterReadsDeltaSeconds() {
        #expect(HTTPResponse(status: 429, headers: ["Retry-After": "3"]).retryAfter == .seconds(3))
        #expect(HTTPResponse(status: 429, headers: ["Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"]).retryAfter == nil)
    }

    @Test func redactedDescriptionDropsQueryAndHeaders() {
        let r = HTTPRequest(url: URL(string: "https://o.test/token?access_token=SECRET")!, headers: ["Authorization": "Bearer SECRET"])
        #expect(!r.redactedDescription.contains("SECRET"))
    }
}
