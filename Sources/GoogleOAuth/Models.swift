import Foundation

/// The token endpoint's answer.
public struct TokenResponse: Sendable, Equatable, CustomStringConvertible {
    public var accessToken: String
    public var expiresIn: Int?

    /// When the access token expires. Google always sends `expires_in`; without it an hour is assumed
    /// (its usual lifetime), since an unknown expiry would mean refreshing before every call.
    public func expiry(from now: Date) -> Date { now.addingTimeInterval(TimeInterval(expiresIn ?? 3600)) }
    public var refreshToken: String?
    public var scope: String?
    public var tokenType: String?
    public init(accessToken: String, expiresIn: Int?, refreshToken: String?, scope: String?, tokenType: String?) {
        self.accessToken = accessToken; self.expiresIn = expiresIn; self.refreshToken = refreshToken
        self.scope = scope; self.tokenType = tokenType
    }

    /// Never shows a token.
    public var description: String {
        "TokenResponse(expires in \(expiresIn.map(String.init) ?? "?") s, refresh token \(refreshToken == nil ? "absent" : "present"))"
    }

    /// The granted scopes, split on spaces.
    public var scopes: [String] { (scope ?? "").split(separator: " ").map(String.init) }
}

/// The userinfo call's answer: who authorized.
public struct UserInfo: Sendable, Equatable {
    public var id: String
    public var email: String
    public var name: String?
    public init(id: String, email: String, name: String? = nil) { self.id = id; self.email = email; self.name = name }
}

/// One account's stored credentials. `description` never shows a token.
public struct Credentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public var userID: String
    public var email: String
    public var refreshToken: String?
    public var accessToken: String?
    public var expiresAt: Date?
    public var scopes: [String]
    public var clientID: String
    public init(userID: String, email: String, refreshToken: String?, accessToken: String?, expiresAt: Date?, scopes: [String], clientID: String) {
        self.userID = userID; self.email = email; self.refreshToken = refreshToken; self.accessToken = accessToken
        self.expiresAt = expiresAt; self.scopes = scopes; self.clientID = clientID
    }
    public var description: String { "Credentials(\(email), user \(userID), refresh token \(refreshToken == nil ? "absent" : "present"))" }
    public var debugDescription: String { description }

    /// Whether the access token is missing or expires within `margin`.
    public func needsRefresh(now: Date, margin: TimeInterval = 300) -> Bool {
        guard accessToken != nil, let expiresAt else { return true }
        return expiresAt.timeIntervalSince(now) <= margin
    }
}
