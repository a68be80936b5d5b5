import Foundation
import HTTPCore
internal import CCurl

/// The CA certificates a transport trusts when it is given extra ones: the system's bundle and the extra
/// PEM, in one buffer that libcurl reads in place (CURLOPT_CAINFO_BLOB) for every connection it opens.
///
/// Setting CURLOPT_CAINFO to the extra file alone would replace the system's bundle, so the two are
/// joined here; verification itself stays libcurl's and OpenSSL's, and stays on.
final class TrustedCertificates: @unchecked Sendable {
    /// Written once in `init`, then only read (by libcurl, on the loop thread); freed in `deinit`.
    let bytes: UnsafeMutableRawBufferPointer

    /// The system bundle libcurl was built to use, followed by `extraPEM`.
    init(extraPEM: Data) {
        var combined = Self.systemBundle() ?? Data()
        if !combined.isEmpty && combined.last != 0x0A { combined.append(0x0A) }
        combined.append(extraPEM)
        bytes = .allocate(byteCount: max(1, combined.count), alignment: 1)
        combined.copyBytes(to: bytes)
        count = combined.count
    }

    deinit { bytes.deallocate() }

    /// How many bytes of `bytes` are the bundle.
    let count: Int

    /// The contents of libcurl's default CA bundle (CURLINFO_CAINFO), if it has one and it can be read.
    static func systemBundle() -> Data? {
        guard ccurl_global_init_once() == CURLE_OK, let probe = curl_easy_init() else { return nil }
        defer { curl_easy_cleanup(probe) }
        var path: UnsafePointer<CChar>?
        guard ccurl_easy_getinfo_str(probe, CURLINFO_CAINFO, &path) == CURLE_OK, let path else { return nil }
        return FileManager.default.contents(atPath: String(cString: path))
    }

}
