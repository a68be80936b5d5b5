import Foundation
import Testing
import HTTPCore
import GoogleOAuth
import GmailAPI
import TestSupport
@testable import MailService

/// A fixed clock for token expiry checks.
let testNow = Date(timeIntervalSince1970: 1_800_000_000)

let tokenURL = URL(string: "https://oauth.example.test/token")!
let apiRoot = URL(string: "https://gmail.example.test/")!

func testSecrets() -> ClientSecrets {
    ClientSecrets(kind: .installed, clientID: "cid.apps.googleusercontent.com", clientSecret: "shh",
                  authURI: URL(string: "https://accounts.example.test/o/oauth2/auth")!, tokenURI: tokenURL,
                  redirectURIs: ["http://localhost"])
}

/// Credentials whose access token is good for an hour after `testNow`.
func validCredentials(access: String = "old-access", refresh: String? = "refresh-1", expiresIn: TimeInterval = 3600) -> Credentials {
    Credentials(userID: "u1", email: "me@example.com", refreshToken: refresh, accessToken: access,
                expiresAt: testNow.addingTimeInterval(expiresIn), scopes: ["https://www.googleapis.com/auth/gmail.readonly"], clientID: "cid")
}

/// A service over a routing fake, with recorded sleeps and no real waiting.
struct Harness {
    let transport: FakeTransport
    let store: InMemoryCredentialStore
    let sleeps = Recorder<Duration>()
    let service: MailService

    init(credentials: Credentials = validCredentials(), strategy: FetchStrategy = .default,
         retry: RetryPolicy = RetryPolicy(maxAttempts: 4, baseDelay: .seconds(1), maxDelay: .seconds(8), jitter: 1),
         routes: [Route]) {
        transport = FakeTransport.routing(routes)
        store = InMemoryCredentialStore([credentials])
        let sleeps = self.sleeps
        service = MailService(oauth: OAuthClient(secrets: testSecrets(), transport: transport, retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: .zero)), gmail: GmailClient(transport: transport, apiRoot: apiRoot),
                              store: store, account: credentials, retryPolicy: retry, fetchStrategy: strategy,
                              sleep: { sleeps.append($0) }, clock: { testNow }, random: { 0.5 })
    }

    func requests(_ prefix: String) -> [HTTPRequest] { transport.requests.filter { $0.url.path.hasPrefix(prefix) } }
}

let messagesPath = "/gmail/v1/users/me/messages"
let labelsPath = "/gmail/v1/users/me/labels"
let tokenPath = "/token"

func tokenJSON(_ access: String, refresh: String? = nil) -> HTTPResponse {
    let refreshPart = refresh.map { #","refresh_token":"\#($0)""# } ?? ""
    return jsonResponse(#"{"access_token":"\#(access)","expires_in":3599,"token_type":"Bearer","scope":"https://www.googleapis.com/auth/gmail.readonly"\#(refreshPart)}"#)
}

func listJSON(_ ids: [String], next: String? = nil) -> HTTPResponse {
    let entries = ids.map { #"{"id":"\#($0)","threadId":"t\#($0)"}"# }.joined(separator: ",")
    let nextPart = next.map { #","nextPageToken":"\#($0)""# } ?? ""
    return jsonResponse(#"{"messages":[\#(entries)]\#(nextPart),"resultSizeEstimate":\#(ids.count)}"#)
}

func metadataJSON(_ id: String, from: String = "Ann <ann@example.com>", subject: String = "Hello", date: String? = "Tue, 13 Feb 2024 14:31:55 +0700",
                  labels: [String] = ["INBOX", "UNREAD"]) -> HTTPResponse {
    var headers = [#"{"name":"From","value":"\#(from.replacingOccurrences(of: "\"", with: "\\\""))"}"#, #"{"name":"Subject","value":"\#(subject)"}"#]
    if let date { headers.append(#"{"name":"Date","value":"\#(date)"}"#) }
    let labelList = labels.map { "\"\($0)\"" }.joined(separator: ",")
    return jsonResponse(#"{"id":"\#(id)","threadId":"t\#(id)","labelIds":[\#(labelList)],"snippet":"snip \#(id)","internalDate":"1707809515000","payload":{"headers":[\#(headers.joined(separator: ","))]}}"#)
}

let notFound = jsonResponse(404, #"{"error":{"code":404,"message":"Requested entity was not found.","errors":[{"message":"Requested entity was not found.","domain":"global","reason":"notFound"}],"status":"NOT_FOUND"}}"#)
let unauthorized = jsonResponse(401, #"{"error":{"code":401,"message":"Request had invalid authentication credentials.","errors":[{"message":"Invalid Credentials","domain":"global","reason":"authError"}],"status":"UNAUTHENTICATED"}}"#)
let tooMany = jsonResponse(429, #"{"error":{"code":429,"message":"Too many concurrent requests for user","errors":[{"domain":"usageLimits","reason":"rateLimitExceeded","message":"Too many concurrent requests for user"}],"status":"RESOURCE_EXHAUSTED"}}"#)

/// The message id at the end of a `messages/ID` path.
func messageID(_ request: HTTPRequest) -> String { request.url.lastPathComponent }
