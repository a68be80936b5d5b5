import Crypto
import Foundation
import HTTPCore

/// A PKCE pair (RFC 7636, S256).
public struct PKCE: Sendable, Equatable {
    public var verifier: String
    public var challenge: String

    /// RFC 3986's unreserved characters, the only ones a verifier may hold.
    static let unreserved = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// A fresh random verifier (96 characters, well inside RFC 7636's 43...128).
    public static func generate() -> PKCE {
        var rng = SystemRandomNumberGenerator()
        let chars = (0..<96).map { _ in unreserved.randomElement(using: &rng) ?? "a" }
        return PKCE(verifier: String(chars))
    }

    /// The pair for a given verifier: the challenge is BASE64URL-no-padding(SHA256(verifier)).
    public init(verifier: String) {
        self.verifier = verifier
        self.challenge = Base64URL.encode(Data(SHA256.hash(data: Data(verifier.utf8))))
    }
}

extension Base64URL {
    /// `count` bytes from the system's secure generator, base64url-encoded.
    static func randomToken(bytes count: Int = 32) -> String {
        var rng = SystemRandomNumberGenerator()
        return encode(Data((0..<count).map { _ in UInt8.random(in: .min ... .max, using: &rng) }))
    }
}
