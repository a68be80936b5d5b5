import Foundation
import HTTPCore

extension OAuthClient {
    /// Who the access token belongs to (`GET oauth2/v2/userinfo`).
    ///
    /// A 401 throws `.unauthorized`, so the caller can refresh once and try again.
    public func userInfo(accessToken: String) async throws(OAuthError) -> UserInfo {
        var headers = HTTPHeaders()
        headers["Authorization"] = "Bearer \(accessToken)"
        headers["Accept"] = "application/json"
        let response = try await sendRetrying(HTTPRequest(method: .get, url: userinfoURL, headers: headers))
        if response.status == 401 { throw .unauthorized }
        guard response.isSuccess else {
            let body = ErrorBody(response, secrets: [accessToken])
            throw .invalidRequest("userinfo: HTTP \(response.status)\(body.error.map { " \($0)" } ?? "")")
        }
        guard let json = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] else {
            throw .invalidResponse("userinfo answer is not a JSON object")
        }
        // v2 says `id`; the OpenID Connect endpoint says `sub`.
        guard let id = (json["id"] as? String) ?? (json["sub"] as? String), !id.isEmpty else {
            throw .invalidResponse("userinfo answer has no id")
        }
        guard let email = json["email"] as? String, !email.isEmpty else {
            throw .invalidResponse("userinfo answer has no email (was the userinfo.email scope granted?)")
        }
        return UserInfo(id: id, email: email, name: json["name"] as? String)
    }
}
