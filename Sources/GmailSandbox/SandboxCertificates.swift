import Foundation
import Crypto
import SwiftASN1
import X509
import NIOSSL

/// A throwaway certificate authority and the server certificate it signs for the sandbox's HTTPS.
///
/// Made fresh at every start and kept in memory: only the CA's certificate leaves the process (in
/// PEM, for clients to trust with `--ca-file`). Its private key is never written anywhere, so nothing
/// it signed can be trusted once the sandbox is gone.
public struct SandboxCertificates: Sendable {
    /// The CA certificate, PEM: what a client adds to its trust store.
    public let authorityPEM: String
    /// The server certificate (for 127.0.0.1, ::1 and localhost), PEM.
    public let serverPEM: String
    /// The server certificate's private key, PKCS#8 PEM.
    let serverKeyPEM: String

    /// The names the server certificate is valid for.
    public static let dnsNames = ["localhost"]
    public static let ipAddresses: [[UInt8]] = [[127, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]]

    /// A new CA and a server certificate signed by it, valid from an hour ago (clock skew) for `lifetime`.
    public static func make(now: Date = Date(), lifetime: TimeInterval = 30 * 24 * 3600) throws -> SandboxCertificates {
        let notBefore = now.addingTimeInterval(-3600)
        let notAfter = now.addingTimeInterval(lifetime)

        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName {
            OrganizationName("gmail-tui sandbox")
            CommonName("gmail-sandbox throwaway CA \(Self.stamp(now))")
        }
        let caKeyId = keyIdentifier(caKey.publicKey)
        let ca = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: caName, subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(keyIdentifier: caKeyId)
            },
            issuerPrivateKey: .init(caKey))

        let serverKey = P256.Signing.PrivateKey()
        let serverName = try DistinguishedName {
            OrganizationName("gmail-tui sandbox")
            CommonName("localhost")
        }
        let server = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(serverKey.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: caName, subject: serverName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectKeyIdentifier(keyIdentifier: keyIdentifier(serverKey.publicKey))
                AuthorityKeyIdentifier(keyIdentifier: caKeyId)
                SubjectAlternativeNames(
                    dnsNames.map { GeneralName.dnsName($0) }
                        + ipAddresses.map { GeneralName.ipAddress(ASN1OctetString(contentBytes: ArraySlice($0))) })
            },
            issuerPrivateKey: .init(caKey))

        return SandboxCertificates(
            authorityPEM: try ca.serializeAsPEM().pemString + "\n",
            serverPEM: try server.serializeAsPEM().pemString + "\n",
            serverKeyPEM: serverKey.pemRepresentation + "\n")
    }

    /// RFC 5280's usual key identifier: SHA-1 of the public key's bits (an identifier, not a security measure).
    static func keyIdentifier(_ key: P256.Signing.PublicKey) -> ArraySlice<UInt8> {
        ArraySlice(Insecure.SHA1.hash(data: key.x963Representation))
    }

    /// The CA's name carries its start time, so that two sandboxes' CAs are told apart in a trust store.
    static func stamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}

extension SandboxCertificates {
    /// swift-nio-ssl's server configuration for this certificate (Hummingbird adds the ALPN names).
    func serverConfiguration() throws -> TLSConfiguration {
        let certificate = try NIOSSLCertificate(bytes: Array(serverPEM.utf8), format: .pem)
        let key = try NIOSSLPrivateKey(bytes: Array(serverKeyPEM.utf8), format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(key))
        // Gmail's front ends speak TLS 1.2 and 1.3 only.
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }
}
