// oauth2.userinfo.get
// https://developers.google.com/identity/openid-connect/openid-connect#obtaininguserprofileinformation
import Foundation

extension Sandbox {
    /// The id always; email and profile fields as the token's scopes allow.
    func userinfo(_ caller: Caller) -> SandboxResponse {
        guard let user = state.withLock({ $0.user(email: caller.email) }) else { return GoogleError.notFound }
        let scopes = Set(caller.scopes.map(SandboxScope.normalize))
        var out: [(String, JSON)] = [("id", .string(user.id))]
        if scopes.contains(SandboxScope.userinfoEmail) {
            out += [("email", .string(user.email)), ("verified_email", .bool(true))]
        }
        if scopes.contains(SandboxScope.userinfoProfile) {
            out += [("name", .string(user.name)), ("given_name", .string(user.givenName)), ("family_name", .string(user.familyName)),
                    ("picture", .string("https://lh3.googleusercontent.com/a/default-user=s96-c")), ("locale", .string("en"))]
        }
        return .json(200, .object(out))
    }
}
