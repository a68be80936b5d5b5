import Foundation
import MIME

extension MessagePart {
    /// This payload as a `MIMEEntity`, so that `MessageRenderer` can read it.
    ///
    /// Gmail has already removed the transfer encoding (`data` is the decoded bytes in
    /// base64url), so `Content-Transfer-Encoding` is dropped: leaving it would invite a
    /// second decoding. Parts kept behind an `attachmentId` get an empty body and
    /// `knownSize`. A missing `Content-Type` header is rebuilt from `mimeType`, and a
    /// `filename` without `Content-Disposition` becomes an attachment disposition.
    /// A `message/rfc822` part comes in either of Gmail's shapes (the inner message as its one
    /// child, or as the bytes of its body) and converts as it came: the renderer reads both.
    public func mimeEntity() -> MIMEEntity {
        var headers = (self.headers ?? []).filter { $0.name.caseInsensitiveCompare("Content-Transfer-Encoding") != .orderedSame }
            .map { MIMEHeader(name: $0.name, value: $0.value) }
        func has(_ name: String) -> Bool { headers.contains { $0.name.caseInsensitiveCompare(name) == .orderedSame } }
        if !has("Content-Type"), let mimeType, !mimeType.isEmpty {
            headers.append(MIMEHeader(name: "Content-Type", value: mimeType))
        }
        if !has("Content-Disposition"), let filename, !filename.isEmpty {
            let escaped = filename.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            headers.append(MIMEHeader(name: "Content-Disposition", value: "attachment; filename=\"\(escaped)\""))
        }
        let children = (parts ?? []).map { $0.mimeEntity() }
        // Behind an attachmentId and not fetched yet: only the size is known.
        if body?.attachmentId != nil, body?.data == nil {
            return MIMEEntity(headers: headers, body: Data(), parts: children, knownSize: body?.size, partID: partId)
        }
        return MIMEEntity(headers: headers, body: body?.decodedData ?? Data(), parts: children, partID: partId)
    }
}

extension Message {
    /// The message as a `MIMEEntity`: from `payload` (`format=full`) or from `raw` (`format=raw`).
    public func mimeEntity() -> MIMEEntity? {
        if let payload { return payload.mimeEntity() }
        if let data = rawData { return MIMEParser.parse(data) }
        return nil
    }
}
