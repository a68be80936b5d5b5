import Foundation
import HTTPCore
import Testing
@testable import CurlTransport

/// Behaviour that needs no server: refusals before the network and the error mapping.
@Suite struct OfflineTests {
    @Test func plainHTTPToARemoteHostIsRefusedBeforeAnyNetworkCall() async throws {
        let transport = CurlTransport()
        let request = HTTPRequest(url: try #require(URL(string: "http://example.com/token")))
        await #expect(throws: TransportError.insecureURL(host: "example.com")) {
            try await transport.send(request)
        }
        #expect(transport.statistics.requestsSent == 0)
    }

    @Test func unsupportedSchemeIsInvalid() async throws {
        let transport = CurlTransport()
        let request = HTTPRequest(url: try #require(URL(string: "ftp://127.0.0.1/file")))
        await #expect(throws: TransportError.invalidURL("ftp://127.0.0.1/file")) {
            try await transport.send(request)
        }
    }

    /// `.invalid` never resolves (RFC 6761), and the resolver knows it without asking the network.
    @Test func unknownHostIsDNSFailure() async throws {
        let transport = CurlTransport()
        let request = HTTPRequest(url: try #require(URL(string: "https://no-such-host.invalid/")), timeout: .seconds(20))
        await #expect(throws: TransportError.dnsFailure(host: "no-such-host.invalid")) {
            try await transport.send(request)
        }
    }

    @Test func curlCodesMapToTypedErrors() {
        let host = "gmail.googleapis.com"
        #expect(CurlCodeMapping.transportError(rawCode: 6, host: host) == .dnsFailure(host: host))
        #expect(CurlCodeMapping.transportError(rawCode: 5, host: host) == .dnsFailure(host: host))
        #expect(CurlCodeMapping.transportError(rawCode: 7, host: host) == .connectionRefused(host: host))
        #expect(CurlCodeMapping.transportError(rawCode: 28, host: host) == .timedOut(host: host))
        // 60 (PEER_FAILED_VERIFICATION) is a certificate not trusted, not retried: see TLSTests.
        guard case .untrustedCertificate(let h60, let detail60) = CurlCodeMapping.transportError(rawCode: 60, host: host) else {
            Issue.record("code 60 is not an untrusted certificate")
            return
        }
        #expect(h60 == host && !detail60.isEmpty)
        #expect(!TransportError.untrustedCertificate(host: host, detail: detail60).isTransient)
        for tlsCode in [35, 58, 77, 90] {
            guard case .tls(let h, let detail) = CurlCodeMapping.transportError(rawCode: tlsCode, host: host) else {
                Issue.record("code \(tlsCode) is not a TLS error")
                continue
            }
            #expect(h == host)
            #expect(!detail.isEmpty)
        }
        for lostCode in [16, 18, 52, 55, 56, 92] {
            guard case .connectionLost(let h, _) = CurlCodeMapping.transportError(rawCode: lostCode, host: host) else {
                Issue.record("code \(lostCode) is not a lost connection")
                continue
            }
            #expect(h == host)
        }
        guard case .other(let code, let detail) = CurlCodeMapping.transportError(
            rawCode: 3, host: host, message: "bad port number")
        else {
            Issue.record("URL_MALFORMAT should be .other")
            return
        }
        #expect(code == 3)
        #expect(detail.contains("bad port number"))
        #expect(detail.contains("URL"))
    }

    @Test func onlyTheFinalResponsesHeadersAreKept() throws {
        let options = TransferOptions(connectTimeout: .seconds(1), defaultTimeout: .seconds(1), userAgent: "t")
        let transfer = try Transfer(request: HTTPRequest(url: try #require(URL(string: "https://example.com/"))), options: options)
        for line in [
            "HTTP/1.1 100 Continue\r\n", "X-Interim: yes\r\n", "\r\n",
            "HTTP/1.1 200 OK\r\n", "Set-Cookie: a=1\r\n", "set-cookie:b=2\r\n",
            "X-Long: first\r\n", "\t second\r\n", "not a header\r\n", "\r\n",
        ] {
            transfer.receivedHeaderLine(line)
        }
        #expect(transfer.responseHeaders["X-Interim"] == nil)
        #expect(transfer.responseHeaders.values(for: "Set-Cookie") == ["a=1", "b=2"])
        #expect(transfer.responseHeaders["X-Long"] == "first second")
        #expect(transfer.responseHeaders.fields.count == 3)
    }

    @Test func timeoutsBecomeWholeMillisecondsOfAtLeastOne() {
        #expect(Transfer.milliseconds(.seconds(10)) == 10_000)
        #expect(Transfer.milliseconds(.milliseconds(250)) == 250)
        #expect(Transfer.milliseconds(.microseconds(1500)) == 1)
        #expect(Transfer.milliseconds(.zero) == 1)
        #expect(Transfer.milliseconds(.seconds(Int64.max)) == Int.max)
    }

    @Test func releasingTheTransportStopsItsLoop() async throws {
        weak var weakTransport: CurlTransport?
        weak var weakLoop: MultiLoop?
        do {
            let transport = CurlTransport()
            weakTransport = transport
            weakLoop = transport.loop
            #expect(weakLoop != nil)
        }
        #expect(weakTransport == nil)
        // The loop thread holds the loop until it notices the stop; give it a generous while.
        for _ in 0..<500 where weakLoop != nil {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(weakLoop == nil)
    }
}
