import Foundation

/// One `application/http` part of a batch request.
struct BatchPart: Sendable {
    var contentID: String?
    var request: SandboxRequest
}

/// `multipart/mixed` batch bodies, both ways (docs/wire.md §6).
enum BatchCodec {
    /// The boundary parameter of a `Content-Type`.
    static func boundary(_ contentType: String?) -> String? {
        guard let contentType else { return nil }
        for piece in contentType.split(separator: ";").dropFirst() {
            let kv = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2, kv[0].lowercased() == "boundary" {
                return kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    /// Splits a multipart body into part texts (preamble and epilogue dropped).
    static func split(_ body: Data, boundary: String) -> [Data] {
        let delimiter = Data(("--" + boundary).utf8)
        var parts: [Data] = []
        var searchStart = body.startIndex
        var current: Int?
        while let r = body.range(of: delimiter, in: searchStart..<body.endIndex) {
            if let start = current {
                var part = body[start..<r.lowerBound]
                if part.last == 10 { part = part.dropLast() }
                if part.last == 13 { part = part.dropLast() }
                parts.append(Data(part))
            }
            var after = r.upperBound
            if body[after...].starts(with: Data("--".utf8)) { return parts }
            while after < body.endIndex, body[after] == 32 || body[after] == 9 { after += 1 }
            if after < body.endIndex, body[after] == 13 { after += 1 }
            if after < body.endIndex, body[after] == 10 { after += 1 }
            current = after
            searchStart = after
        }
        return parts
    }

    /// Header block and body of an HTTP-like text (CRLF or LF).
    static func headBody(_ data: Data) -> (head: [String], body: Data) {
        let crlf = data.range(of: Data("\r\n\r\n".utf8))
        let lf = data.range(of: Data("\n\n".utf8))
        let sep = [crlf, lf].compactMap { $0 }.min { $0.lowerBound < $1.lowerBound }
        let headData = sep.map { data[data.startIndex..<$0.lowerBound] } ?? data[...]
        let body = sep.map { Data(data[$0.upperBound...]) } ?? Data()
        // Split on bytes: in a Swift String "\r\n" is one Character and would not match "\n".
        let lines = headData.split(separator: 10, omittingEmptySubsequences: true).map { line -> String in
            let trimmed = line.last == 13 ? line.dropLast() : line[...]
            return String(decoding: trimmed, as: UTF8.self)
        }.filter { !$0.isEmpty }
        return (lines, body)
    }

    static func headerFields(_ lines: some Sequence<String>) -> [(String, String)] {
        lines.compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]).trimmingCharacters(in: .whitespaces), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
        }
    }

    /// Parses the parts; outer non-`Content-` headers apply to each inner request unless it sets its own.
    static func parse(_ body: Data, boundary: String, outerHeaders: [(String, String)]) -> [BatchPart]? {
        var result: [BatchPart] = []
        for raw in split(body, boundary: boundary) {
            let (partHead, partBody) = headBody(raw)
            let partHeaders = headerFields(partHead)
            let contentID = partHeaders.first { $0.0.lowercased() == "content-id" }?.1
            let (innerHead, innerBody) = headBody(partBody)
            guard let requestLine = innerHead.first else { return nil }
            let words = requestLine.split(separator: " ")
            guard words.count >= 2 else { return nil }
            var headers = headerFields(innerHead.dropFirst())
            let innerNames = Set(headers.map { $0.0.lowercased() })
            for h in outerHeaders where !h.0.lowercased().hasPrefix("content-") && !innerNames.contains(h.0.lowercased()) && h.0.lowercased() != "host" {
                headers.append(h)
            }
            var request = SandboxRequest(method: String(words[0]), url: String(words[1]), headers: headers, body: innerBody)
            request.remoteAddress = nil
            result.append(BatchPart(contentID: contentID, request: request))
        }
        return result
    }

    /// The `multipart/mixed` response, one `application/http` part per request, in order.
    static func encode(_ responses: [(contentID: String?, response: SandboxResponse)], boundary: String) -> Data {
        var out = Data()
        for (cid, r) in responses {
            out.append(Data("--\(boundary)\r\nContent-Type: application/http\r\n".utf8))
            if let cid {
                let bare = cid.trimmingCharacters(in: CharacterSet(charactersIn: "<>"))
                out.append(Data("Content-ID: <response-\(bare)>\r\n".utf8))
            }
            out.append(Data("\r\nHTTP/1.1 \(r.status) \(ReasonPhrase.of(r.status))\r\n".utf8))
            for h in r.headers { out.append(Data("\(h.0): \(h.1)\r\n".utf8)) }
            out.append(Data("Content-Length: \(r.body.count)\r\n\r\n".utf8))
            out.append(r.body)
            out.append(Data("\r\n".utf8))
        }
        out.append(Data("--\(boundary)--\r\n".utf8))
        return out
    }
}

extension Sandbox {
    /// Google's limit on calls in one batch.
    static let maxBatchParts = 100

    /// `POST /batch/gmail/v1` and `POST /batch`: each part admitted and limited as its own request.
    func batch(_ request: SandboxRequest) async -> SandboxResponse {
        guard request.method == "POST" else { return Sandbox.unknownPath(request) }
        guard let boundary = BatchCodec.boundary(request.header("Content-Type")),
              request.header("Content-Type")?.lowercased().hasPrefix("multipart/") == true,
              let parts = BatchCodec.parse(request.body, boundary: boundary, outerHeaders: request.headers), !parts.isEmpty
        else {
            await sleepLatency()
            return GoogleError.invalidArgument("Failed to parse batch request, error: Failed in parsing multipart body. Received batch body: (\(request.body.count)) bytes, redacted")
        }
        guard parts.count <= Sandbox.maxBatchParts else {
            await sleepLatency()
            return GoogleError.invalidArgument("Too many requests in batch request (\(parts.count)); the limit is \(Sandbox.maxBatchParts).")
        }
        enum Plan { case done(SandboxResponse); case run(APIRoute, Caller) }
        var plans: [Plan] = []
        var held: [String] = []
        for part in parts {
            if let fault = takeFault(part.request.path) { plans.append(.done(fault)); continue }
            guard let route = APIRoute.resolve(method: part.request.method, path: part.request.path) else {
                plans.append(.done(Sandbox.unknownPath(part.request)))
                continue
            }
            let caller: Caller
            do throws(ErrorResponse) { caller = try admit(part.request, route: route) } catch { plans.append(.done(error.response)); continue }
            // Every part holds a concurrency slot for the whole batch, as Gmail counts them.
            guard acquireSlot(caller.email) else { plans.append(.done(GoogleError.tooManyConcurrent)); continue }
            held.append(caller.email)
            if let quota = chargeQuota(caller.email, units: route.units) { plans.append(.done(quota)); continue }
            plans.append(.run(route, caller))
        }
        defer { for email in held { releaseSlot(email) } }
        await sleepLatency()
        var responses: [(contentID: String?, response: SandboxResponse)] = []
        var tooMany = 0
        for (part, plan) in zip(parts, plans) {
            let r: SandboxResponse
            switch plan {
            case .done(let resp): r = resp
            case .run(let route, let caller): r = Sandbox.selectFields(execute(route, part.request, caller), part.request)
            }
            if r.status == 429 { tooMany += 1 }
            responses.append((part.contentID, r))
        }
        if tooMany > 0 { state.withLock { $0.tooManyRequests += tooMany } }
        let outBoundary = "batch_" + Sandbox.randomToken("", length: 24)
        return SandboxResponse(status: 200, headers: [("Content-Type", "multipart/mixed; boundary=\(outBoundary)")], body: BatchCodec.encode(responses, boundary: outBoundary))
    }
}
