// users.threads.get
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.threads/get
import Foundation

/// Parameters of `users.threads.get` (`format` has no `raw` here).
public struct ThreadsGetParameters: Sendable, Equatable {
    public var id: String
    public var format: MessageFormat?
    public var metadataHeaders: [String]
    public init(id: String, format: MessageFormat? = nil, metadataHeaders: [String] = []) {
        self.id = id; self.format = format == .raw ? .full : format; self.metadataHeaders = metadataHeaders
    }

    var query: [QueryItem] {
        var items: [QueryItem] = []
        items.append("format", format?.rawValue)
        if format == .metadata { items.append("metadataHeaders", each: metadataHeaders) }
        return items
    }
}

extension GmailClient {
    /// `users.threads.get`: the call.
    public static func threadsGetCall(_ parameters: ThreadsGetParameters) -> GmailCall {
        GmailCall(segments: ["threads", parameters.id], query: parameters.query)
    }

    /// `users.threads.get`: a thread with its messages.
    public func threadsGet(_ parameters: ThreadsGetParameters, accessToken: String) async throws(GmailError) -> MailThread {
        try await perform(Self.threadsGetCall(parameters), as: MailThread.self, accessToken: accessToken)
    }
}
