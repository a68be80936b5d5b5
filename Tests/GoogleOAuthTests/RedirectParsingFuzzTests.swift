import Foundation
import Testing
import HTTPCore
import TestSupport
@testable import GoogleOAuth

/// Bounded random-input test of the loopback listener's request parsing: real browser redirects
/// mutated with fixed seeds, and random request heads. Anything on the machine can connect to the
/// listener, so every head must be read without a crash, only `GET /?code|error=...` may count as the
/// callback, and nothing from the request may reach the answer page unescaped.
///
/// The loops yield between inputs: run beside the other tests, they must not hold the cooperative
/// pool for seconds (a test whose task starts a listener would wait for a free thread and time out).
@Suite struct RedirectParsingFuzzTests {
    static let requests: [String] = [
        "GET /?state=Zx81_ab-c&code=4/0AeaYSHBx9Q&scope=email%20profile%20https://www.googleapis.com/auth/gmail.readonly&authuser=0&prompt=consent HTTP/1.1\r\n"
            + "Host: 127.0.0.1:8765\r\nConnection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36\r\n"
            + "Accept: text/html,application/xhtml+xml\r\nSec-Fetch-Site: cross-site\r\nAccept-Language: en-US,en;q=0.9",
        "GET /?error=access_denied&state=Zx81_ab-c HTTP/1.1\r\nHost: 127.0.0.1:8765",
        "GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1:8765\r\nReferer: http://127.0.0.1:8765/?code=x",
        "GET /?error=%3Cscript%3Ealert(1)%3C/script%3E&state=s HTTP/1.1\r\nHost: 127.0.0.1:8765",
    ]

    static let mutator = ByteMutator(tokens: [
        "GET ", "POST ", " HTTP/1.1", "/", "?", "&", "=", "+", "%", "%2", "%00", "%ZZ", "%3C", "%3E", "%22", "%26",
        "code=", "error=", "state=", "<script>", "\"", "&amp;", "\r\n", "\r\n\r\n", "\n", " ", "\u{202E}",
    ])

    static func check(_ bytes: [UInt8], _ label: String) {
        // The listener passes on what comes before the first empty line, read as UTF-8 with replacement.
        let end = bytes.firstRange(of: [13, 10, 13, 10])?.lowerBound ?? bytes.endIndex
        let head = String(decoding: bytes[..<end], as: UTF8.self)
        guard let query = RedirectListener.callbackQuery(head) else { return }
        // Empty lines before the request line are allowed (RFC 9112 2.2); the request line must be the callback's.
        #expect(head.drop { $0 == "\r\n" }.hasPrefix("GET /?"), "\(label)")
        #expect(query.contains { $0.0 == "code" || $0.0 == "error" }, "\(label)")
        let page = RedirectListener.page(for: query)
        #expect(page.hasPrefix("<!doctype html>"), "\(label)")
        // Whatever the request says shows as text: the page has the same markup as for a harmless request.
        let harmless = RedirectListener.page(for: query.map { ($0.0, "x") })
        #expect(page.filter { $0 == "<" }.count == harmless.filter { $0 == "<" }.count, "\(label): \(query)")
        #expect(!page.lowercased().contains("<script"), "\(label)")
    }

    @Test func mutatedRedirectRequests() async {
        var rng = SeededGenerator(seed: 0x4C49_5354)
        var count = 0
        for (index, request) in Self.requests.enumerated() {
            for round in 0..<1500 {
                Self.check(Self.mutator.mutate(Array(request.utf8), using: &rng), "request \(index) mutation \(round)")
                count += 1
                if round % 100 == 0 { await Task.yield() }
            }
        }
        for round in 0..<2000 {
            Self.check(Self.mutator.randomInput(maximumLength: 300, using: &rng), "random \(round)")
            count += 1
        }
        #expect(count == Self.requests.count * 1500 + 2000)
    }

    @Test func largeHeadsComplete() {
        // The listener caps a head at `maxRequestBytes`; parsing up to that size stays bounded.
        let size = RedirectListener.maxRequestBytes
        for filler in ["&", "=", "%", "a=b&", "\r\n", " "] {
            let head = "GET /?code=x&" + String(repeating: filler, count: size / filler.utf8.count) + " HTTP/1.1"
            Self.check(Array(head.utf8), "filler \(filler.debugDescription)")
        }
    }
}
