import Foundation

/// URL-safe base64 (Gmail keeps the `=` padding in `data` and `raw`).
enum SandboxBase64 {
    static func encode(_ data: Data, padded: Bool = true) -> String {
        var s = data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
        if !padded { while s.hasSuffix("=") { s.removeLast() } }
        return s
    }

    static func decode(_ s: String) -> Data? {
        var t = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while t.count % 4 != 0 { t += "=" }
        return Data(base64Encoded: t)
    }
}

/// FNV-1a, 64 bits: a stable hash for ids (Swift's `Hasher` is seeded per process).
func fnv1a(_ bytes: some Sequence<UInt8>, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
    var h = seed
    for b in bytes {
        h ^= UInt64(b)
        h = h &* 0x0000_0100_0000_01B3
    }
    return h
}

func fnv1a(_ s: String) -> UInt64 { fnv1a(s.utf8) }

/// Sixteen lowercase hex digits.
func hex16(_ v: UInt64) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: max(0, 16 - s.count)) + s
}
