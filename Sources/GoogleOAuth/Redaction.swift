// Values that hold secrets describe and mirror themselves without them, so that `print`, `dump`,
// string interpolation and test failure messages never show a token, a code, a client secret or a
// PKCE verifier.

extension Credentials: CustomReflectable {
    public var customMirror: Mirror {
        Mirror(self, children: ["userID": userID, "email": email,
                                "refreshToken": refreshToken == nil ? "absent" : "<redacted>",
                                "accessToken": accessToken == nil ? "absent" : "<redacted>",
                                "expiresAt": expiresAt as Any, "scopes": scopes, "clientID": clientID])
    }
}

extension TokenResponse: CustomReflectable {
    public var customMirror: Mirror {
        Mirror(self, children: ["accessToken": "<redacted>", "expiresIn": expiresIn as Any,
                                "refreshToken": refreshToken == nil ? "absent" : "<redacted>",
                                "scope": scope as Any, "tokenType": tokenType as Any])
    }
}

extension PKCE: CustomStringConvertible, CustomReflectable {
    public var description: String { "PKCE(S256, challenge \(challenge))" }
    public var customMirror: Mirror { Mirror(self, children: ["verifier": "<redacted>", "challenge": challenge]) }
}

extension AuthorizationRequest: CustomStringConvertible, CustomReflectable {
    /// The URL is safe to show (it carries only the challenge); the verifier is not.
    public var description: String {
        "AuthorizationRequest(redirect \(redirectURI), login hint \(loginHint ?? "none"), consent \(forcedConsent ? "forced" : "if needed"))"
    }
    public var customMirror: Mirror {
        Mirror(self, children: ["url": url, "state": state, "pkce": pkce, "redirectURI": redirectURI,
                                "loginHint": loginHint as Any, "forcedConsent": forcedConsent])
    }
}

extension ClientSecrets: CustomStringConvertible, CustomReflectable {
    public var description: String { "ClientSecrets(\(kind.rawValue), client \(clientID), token endpoint \(tokenURI.absoluteString))" }
    public var customMirror: Mirror {
        Mirror(self, children: ["kind": kind, "clientID": clientID, "clientSecret": "<redacted>", "authURI": authURI,
                                "tokenURI": tokenURI, "revokeURI": revokeURI as Any, "redirectURIs": redirectURIs])
    }
}
