import Foundation
import HTTPCore
internal import CCurl

/// The one place where libcurl's result codes become `TransportError`s.
enum CurlCodeMapping {
    /// The error for a failed transfer to `host`, given libcurl's code and its error-buffer text.
    static func transportError(code: CURLcode, host: String, message: String) -> TransportError {
        let summary = String(cString: curl_easy_strerror(code))
        let detail = message.isEmpty || message == summary ? summary : "\(summary): \(message)"
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .dnsFailure(host: host)
        case CURLE_COULDNT_CONNECT:
            return .connectionRefused(host: host)
        case CURLE_OPERATION_TIMEDOUT:
            return .timedOut(host: host)
        case CURLE_PEER_FAILED_VERIFICATION:
            // libcurl's summary ("SSL peer certificate or SSH remote key was not OK") says less than its buffer.
            return .untrustedCertificate(host: host, detail: message.isEmpty ? summary : message)
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_ENGINE_NOTFOUND,
            CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_ENGINE_INITFAILED,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR,
            CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT, CURLE_USE_SSL_FAILED:
            return .tls(host: host, detail: detail)
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2,
            CURLE_HTTP2_STREAM, CURLE_HTTP3, CURLE_WEIRD_SERVER_REPLY:
            return .connectionLost(host: host, detail: detail)
        default:
            return .other(code: Int(code.rawValue), detail: detail)
        }
    }

    /// `transportError(code:host:message:)` for a raw code number, so tests need no C types.
    static func transportError(rawCode: Int, host: String, message: String = "") -> TransportError {
        transportError(code: CURLcode(rawValue: UInt32(truncatingIfNeeded: rawCode)), host: host, message: message)
    }
}
