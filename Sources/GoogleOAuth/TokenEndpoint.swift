import Foundation
import HTTPCore

/// Which grant a token call used: `invalid_grant` means a bad code on one, a dead refresh token on the other.
enum TokenGrant: Sendable {
    case authorizationCode
    case refreshToken
}

extension OAuthClient {
    static let misconfigurationErrors: Set<String> = ["invalid_client", "deleted_client", "redirect_uri_mismatch", "unauthorized_client"]

    /// POSTs `fields` to the token endpoint and reads the answer (docs/wire.md §2).
    func tokenCall(_ fields: [(String, String)], grant: TokenGrant) async throws(OAuthError) -> TokenResponse {
        let response = try await sendRetrying(.form(secrets.tokenURI, fields))
        // Everything sent but the grant type and client id is a secret the answer must not show.
        let sent = fields.filter { !["grant_type", "client_id", "redirect_uri"].contains($0.0) }.map(\.1)
        guard response.isSuccess else { throw Self.tokenError(response, grant: grant, secrets: sent) }
        return try Self.decodeToken(response.body)
    }

    /// Maps a token endpoint error answer to `OAuthError` (docs/wire.md §2's table).
    static func tokenError(_ response: HTTPResponse, grant: TokenGrant, secrets: [String] = []) -> OAuthError {
        let body = ErrorBody(response, secrets: secrets)
        let detail = body.detail(status: response.status)
        switch body.error {
        case "invalid_grant":
            return grant == .authorizationCode ? .codeRejected(detail) : .grantRevoked(detail)
        case let error? where misconfigurationErrors.contains(error):
            return .clientMisconfigured(error: error, description: body.errorDescription ?? "")
        case let error?:
            if (400..<500).contains(response.status) { return .invalidRequest("\(error): \(detail)") }
            return .invalidResponse("HTTP \(response.status): \(error)")
        case nil:
            if (400..<500).contains(response.status) { return .invalidRequest("HTTP \(response.status)") }
            return .invalidResponse("HTTP \(response.status)")
        }
    }

    /// Reads a token answer; `expires_in` may be a number or a string, unknown fields are ignored.
    static func decodeToken(_ data: Data) throws(OAuthError) -> TokenResponse {
        guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .invalidResponse("token answer is not a JSON object")
        }
        guard let accessToken = json["access_token"] as? String, !accessToken.isEmpty else {
            throw .invalidResponse("token answer has no access_token")
        }
        var expiresIn: Int?
        switch json["expires_in"] {
        case let n as NSNumber: expiresIn = n.doubleValue.isFinite ? Int(exactly: n.doubleValue.rounded(.down)) : nil
        case let s as String:
            // "3599", "3599.0"; never trap on "nan" or "1e30".
            expiresIn = Int(s.trimmingCharacters(in: .whitespaces)) ?? Double(s).flatMap { $0.isFinite ? Int(exactly: $0.rounded(.down)) : nil }
        default: expiresIn = nil
        }
        let refreshToken = (json["refresh_token"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        return TokenResponse(accessToken: accessToken, expiresIn: expiresIn, refreshToken: refreshToken,
                             scope: json["scope"] as? String, tokenType: json["token_type"] as? String)
    }
}
