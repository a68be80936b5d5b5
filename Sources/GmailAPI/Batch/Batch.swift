// Batch requests
// https://developers.google.com/workspace/gmail/api/guides/batch
import Foundation
import HTTPCore

/// Encodes and decodes Gmail batch bodies (`multipart/mixed` of `application/http` parts).
public enum GmailBatch {
    /// Google allows 100 calls a batch but advises against more than 50.
    public static let maxCallsPerBatch = 50

    /// The request body for some calls; part `n` (from 1) carries `Content-ID: <item-n>`.
    public static func encode(_ calls: [GmailCall], boundary: String, accessToken: String) -> Data {
        var text = ""
        for (index, call) in calls.enumerated() {
            text += "--\(boundary)\r\n"
            text += "Content-Type: application/http\r\n"
            text += "Content-Transfer-Encoding: binary\r\n"
            text += "Content-ID: <item-\(index + 1)>\r\n"
            text += "\r\n"
            text += "\(call.method.rawValue) \(call.pathAndQuery) HTTP/1.1\r\n"
            text += "Authorization: Bearer \(accessToken)\r\n"
            if let body = call.body {
                text += "Content-Type: application/json\r\n"
                text += "\r\n"
                text += String(decoding: body, as: UTF8.self) + "\r\n"
            }
            text += "\r\n"
        }
        text += "--\(boundary)--\r\n"
        return Data(text.utf8)
    }

    /// The per-call responses of a batch answer, in the order of the `count` calls sent.
    ///
    /// Parts are matched by `Content-ID: <response-item-n>`; parts without a usable id
    /// fill the remaining slots in order. A call with no part at all gets `nil`.
    public static func decode(_ body: Data, contentType: String, count: Int) throws(GmailError) -> [HTTPResponse?] {
        guard let boundary = ContentTypeParameters.boundary(contentType) else {
            throw .invalidResponse("batch answer is not multipart (Content-Type \(ServerText.safe(contentType, limit: 100)))")
        }
        let parts = splitMultipart(String(decoding: body, as: UTF8.self), boundary: boundary)
        var results = [HTTPResponse?](repeating: nil, count: count)
        var unmatched: [HTTPResponse] = []
        for part in parts {
            let (outerHeaders, inner) = splitHead(part)
            guard let response = parseHTTPResponse(inner) else { continue }
            if let id = outerHeaders["Content-ID"], let n = itemNumber(id), n >= 1, n <= count, results[n - 1] == nil {
                results[n - 1] = response
            } else {
                unmatched.append(response)
            }
        }
        for response in unmatched {
            guard let slot = results.firstIndex(where: { $0 == nil }) else { break }
            results[slot] = response
        }
        return results
    }

    /// `n` from `<response-item-n>` (also `response-item-n` without brackets).
    static func itemNumber(_ contentID: String) -> Int? {
        var id = contentID.trimmingCharacters(in: .whitespaces)
        if id.hasPrefix("<") && id.hasSuffix(">") { id = String(id.dropFirst().dropLast()) }
        guard id.hasPrefix("response-item-") else { return nil }
        return Int(id.dropFirst("response-item-".count))
    }

    /// The bodies between `--boundary` lines (preamble and epilogue dropped).
    static func splitMultipart(_ text: String, boundary: String) -> [String] {
        let delimiter = "--" + boundary
        var parts: [String] = []
        var current: [Substring]? = nil
        for line in lines(text) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == delimiter + "--" {
                if let current { parts.append(current.joined(separator: "\r\n")) }
                return parts
            }
            if trimmed == delimiter {
                if let current { parts.append(current.joined(separator: "\r\n")) }
                current = []
                continue
            }
            current?.append(line)
        }
        if let current { parts.append(current.joined(separator: "\r\n")) }
        return parts
    }

    /// Headers up to the first empty line, and what follows.
    static func splitHead(_ text: String) -> (HTTPHeaders, String) {
        var headers = HTTPHeaders()
        let all = lines(text)
        var index = 0
        while index < all.count {
            let line = all[index]
            index += 1
            if line.isEmpty { break }
            if let colon = line.firstIndex(of: ":") {
                headers.add(String(line[..<colon]).trimmingCharacters(in: .whitespaces),
                            String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
            }
        }
        return (headers, all[min(index, all.count)...].joined(separator: "\r\n"))
    }

    /// `HTTP/1.1 200 OK`, headers, blank line, body.
    static func parseHTTPResponse(_ text: String) -> HTTPResponse? {
        var rest = Substring(text)
        while rest.hasPrefix("\r\n") || rest.hasPrefix("\n") { rest = rest.drop(while: { $0 == "\r\n" || $0 == "\n" }) }
        let statusLine = rest.prefix { $0 != "\r\n" && $0 != "\n" }
        let fields = statusLine.split(separator: " ", maxSplits: 2)
        // A status is three digits (RFC 9110 15); anything else is not an answer the client can classify.
        guard fields.count >= 2, fields[0].hasPrefix("HTTP/"), fields[1].count == 3, fields[1].allSatisfy({ $0.isASCII && $0.isNumber }),
              let status = Int(fields[1]), (100...599).contains(status) else { return nil }
        // Exactly one line break ends the status line; a second one would mean "no headers".
        let (headers, body) = splitHead(String(rest.dropFirst(statusLine.count + 1)))
        return HTTPResponse(status: status, headers: headers, body: Data(body.trimmingCharacters(in: .whitespacesAndNewlines).utf8))
    }

    static func lines(_ text: String) -> [Substring] {
        // Swift treats "\r\n" as one Character, so splitting on newlines handles CRLF and LF alike.
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    }
}

/// Reads parameters of a `Content-Type` header value.
enum ContentTypeParameters {
    static func boundary(_ value: String) -> String? {
        for piece in value.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            var v = pair[1].trimmingCharacters(in: .whitespaces)
            if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 { v = String(v.dropFirst().dropLast()) }
            return v.isEmpty ? nil : v
        }
        return nil
    }
}

extension GmailClient {
    /// Sends calls as batch requests of at most 50, and returns each call's own response, in order.
    ///
    /// A failed part is its own error response (the outer status is 200); a failed
    /// batch request throws. A part missing from the answer gets `.invalidResponse`.
    public func batch(_ calls: [GmailCall], accessToken: String) async throws(GmailError) -> [Result<HTTPResponse, GmailError>] {
        var results: [Result<HTTPResponse, GmailError>] = []
        var start = 0
        while start < calls.count {
            let chunk = Array(calls[start..<min(start + GmailBatch.maxCallsPerBatch, calls.count)])
            start += chunk.count
            let boundary = "batch_" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
            var headers: HTTPHeaders = [:]
            headers["Authorization"] = "Bearer \(accessToken)"
            headers["Content-Type"] = "multipart/mixed; boundary=\(boundary)"
            let request = HTTPRequest(method: .post, url: URL(string: rootText + "batch/gmail/v1") ?? apiRoot, headers: headers,
                                      body: GmailBatch.encode(chunk, boundary: boundary, accessToken: accessToken))
            let response = try await exchange(request)
            guard response.isSuccess else { throw GmailError(response: response, secrets: [accessToken]) }
            let parts = try GmailBatch.decode(response.body, contentType: response.headers["Content-Type"] ?? "", count: chunk.count)
            for part in parts {
                if let part {
                    results.append(part.isSuccess ? .success(part) : .failure(GmailError(response: part, secrets: [accessToken])))
                } else {
                    results.append(.failure(.invalidResponse("batch answer has no part for this call")))
                }
            }
        }
        return results
    }

    /// `messages.get` for many ids through batch requests, each decoded on its own.
    public func messagesGetBatch(_ parameters: [MessagesGetParameters], accessToken: String) async throws(GmailError) -> [Result<Message, GmailError>] {
        let responses = try await batch(parameters.map(Self.messagesGetCall), accessToken: accessToken)
        return responses.map { result in
            result.flatMap { (response: HTTPResponse) -> Result<Message, GmailError> in
                do throws(GmailError) { return .success(try GmailClient.decode(Message.self, from: response)) } catch { return .failure(error) }
            }
        }
    }
}
