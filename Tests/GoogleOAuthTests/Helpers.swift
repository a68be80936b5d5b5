import Foundation
import HTTPCore
@testable import GoogleOAuth
import TestSupport

let testSecrets = ClientSecrets(
    kind: .installed, clientID: "cid.apps.googleusercontent.com", clientSecret: "GOCSPX-secret",
    authURI: URL(string: "https://accounts.example.com/o/oauth2/auth")!,
    tokenURI: URL(string: "https://oauth2.example.com/token")!,
    redirectURIs: ["http://localhost"])

/// A client over `transport` that retries without waiting.
func makeClient(_ transport: FakeTransport) -> OAuthClient {
    OAuthClient(secrets: testSecrets, transport: transport,
                userinfoURL: URL(string: "https://www.example.com/oauth2/v2/userinfo")!,
                retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: .zero))
}

/// The form fields of a recorded request's body.
func formFields(_ request: HTTPRequest) -> [String: String] {
    let pairs = FormEncoding.decode(String(decoding: request.body ?? Data(), as: UTF8.self))
    return Dictionary(pairs, uniquingKeysWith: { first, _ in first })
}

/// The query of a URL, decoded, in order.
func queryPairs(_ url: URL) -> [(String, String)] {
    FormEncoding.decode(URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedQuery ?? "")
}

/// A fresh empty folder under the temporary directory.
func makeTempFolder() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("oauth-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    return dir
}
