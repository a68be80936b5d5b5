import Foundation
import HTTPCore
import MIME

/// Gmail REST API v1 (to be built: one file per method, batch, error envelope).
public struct GmailClient: Sendable {
    public let transport: any HTTPTransport
    /// Everything goes below this root: `gmail/v1/users/...`, `batch/gmail/v1`.
    public let apiRoot: URL
    public init(transport: any HTTPTransport, apiRoot: URL = URL(string: "https://gmail.googleapis.com/")!) {
        self.transport = transport; self.apiRoot = apiRoot
    }
}
