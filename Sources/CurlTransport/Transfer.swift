import Foundation
import HTTPCore
internal import CCurl

/// Settings every transfer of one transport shares.
struct TransferOptions: Sendable {
    var connectTimeout: Duration
    var defaultTimeout: Duration
    var userAgent: String
    /// Extra CAs with the system's; nil trusts the system's store alone.
    var trusted: TrustedCertificates? = nil
    /// Offer HTTP/2 by ALPN (HTTP/1.1 if the server declines), or speak HTTP/1.1 only.
    var httpVersion: CurlTransport.HTTPVersion = .http2
    /// Longest time without a byte from the server before the transfer is abandoned as timed out.
    var silenceTimeout: Duration = .seconds(30)
    /// Largest response body kept, counted after decompression.
    var maxResponseBytes: Int = 64 << 20
}

/// One request in flight: owns its CURL easy handle, header list and error buffer, and collects the response.
///
/// libcurl's callbacks write the response fields on the loop thread only. The
/// continuation is shared with the cancelling task, so it sits behind a lock
/// and is resumed exactly once, by whichever of completion or cancellation
/// comes first.
final class Transfer: @unchecked Sendable {
    /// The CURL easy handle, freed in `deinit`.
    let handle: UnsafeMutableRawPointer
    /// The URL's host, for error messages (never the path or query, which may hold tokens).
    let host: String

    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>

    // Loop thread only.
    private(set) var responseHeaders = HTTPHeaders()
    private var body = Data()
    private let maxResponseBytes: Int
    /// The extra CAs libcurl reads without copying (`CURLOPT_CAINFO_BLOB`, no-copy): held as long as the
    /// handle that points at them, which can outlive the transport on the loop's thread.
    private let trusted: TrustedCertificates?
    /// Set when the body outgrew `maxResponseBytes` and the write callback stopped the transfer.
    private var tooLarge = false

    // Behind `lock`.
    private let lock = NSLock()
    private var continuation: CheckedContinuation<HTTPResponse, any Error>?
    private var finished = false

    init(request: HTTPRequest, options: TransferOptions) throws {
        guard let handle = curl_easy_init() else {
            throw TransportError.other(code: Int(CURLE_FAILED_INIT.rawValue), detail: "libcurl could not create a transfer")
        }
        trusted = options.trusted
        self.handle = handle
        self.host = request.url.host ?? ""
        self.maxResponseBytes = options.maxResponseBytes
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        try configure(request, options)
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    // MARK: Setup

    private func configure(_ request: HTTPRequest, _ options: TransferOptions) throws {
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        try set(CURLOPT_URL, request.url.absoluteString)
        try set(CURLOPT_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_FOLLOWLOCATION, 0)
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_SSL_VERIFYPEER, 1)
        try set(CURLOPT_SSL_VERIFYHOST, 2)
        if let trusted {
            try check(ccurl_easy_setopt_blob_nocopy(handle, CURLOPT_CAINFO_BLOB, trusted.bytes.baseAddress, trusted.count))
        }
        try set(CURLOPT_HTTP_VERSION, Int(options.httpVersion == .http2 ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_1_1))
        // Parallel requests to one host wait for a multiplexed HTTP/2 stream rather than open new connections.
        try set(CURLOPT_PIPEWAIT, 1)
        try set(CURLOPT_TCP_KEEPALIVE, 1)
        // An empty string asks for every encoding this libcurl can decode, and decodes it.
        try set(CURLOPT_ACCEPT_ENCODING, "")
        try set(CURLOPT_USERAGENT, options.userAgent)
        try set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(options.connectTimeout))
        var timeout = request.timeout ?? options.defaultTimeout
        if let left = RequestDeadline.remaining {
            // Nothing starts once the caller's deadline has passed; what starts ends by it.
            guard left > .zero else { throw TransportError.timedOut(host: host) }
            timeout = min(timeout, left)
        }
        try set(CURLOPT_TIMEOUT_MS, Self.milliseconds(timeout))
        // A server that accepts and then says nothing: under 1 byte/s for the whole silence limit ends the
        // transfer (CURLE_OPERATION_TIMEDOUT), to be retried like any network failure.
        try set(CURLOPT_LOW_SPEED_LIMIT, 1)
        try set(CURLOPT_LOW_SPEED_TIME, Self.wholeSeconds(options.silenceTimeout))

        try configureMethodAndBody(request)
        try configureHeaders(request)

        let me = Unmanaged.passUnretained(self).toOpaque()
        try check(ccurl_easy_setopt_data_cb(handle, CURLOPT_WRITEFUNCTION, Transfer.writeCallback))
        try set(CURLOPT_WRITEDATA, pointer: me)
        try check(ccurl_easy_setopt_data_cb(handle, CURLOPT_HEADERFUNCTION, Transfer.headerCallback))
        try set(CURLOPT_HEADERDATA, pointer: me)
    }

    private func configureMethodAndBody(_ request: HTTPRequest) throws {
        switch request.method {
        case .get where request.body == nil:
            try set(CURLOPT_HTTPGET, 1)
        case .head:
            try set(CURLOPT_NOBODY, 1)
        default:
            // POSTFIELDS makes libcurl send a body; CUSTOMREQUEST then renames the method (PUT, PATCH, DELETE).
            let body = request.body ?? Data()
            if request.method != .post { try set(CURLOPT_CUSTOMREQUEST, request.method.rawValue) }
            if request.method == .delete && request.body == nil { return }
            // The size must come first: COPYPOSTFIELDS copies that many bytes, so the body may hold zeros.
            try check(ccurl_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
            try body.withUnsafeBytes { raw in
                if let base = raw.baseAddress, raw.count > 0 {
                    try set(CURLOPT_COPYPOSTFIELDS, pointer: UnsafeMutableRawPointer(mutating: base))
                } else {
                    try set(CURLOPT_COPYPOSTFIELDS, "")
                }
            }
        }
    }

    private func configureHeaders(_ request: HTTPRequest) throws {
        var lines: [String] = []
        for field in request.headers {
            guard !field.name.isEmpty, !Self.hasLineBreak(field.name), !Self.hasLineBreak(field.value) else {
                throw TransportError.other(
                    code: Int(CURLE_BAD_FUNCTION_ARGUMENT.rawValue),
                    detail: "header \"\(Self.hasLineBreak(field.name) ? "<invalid>" : field.name)\" has an empty name or a line break")
            }
            // "Name;" is libcurl's way to send a header with an empty value ("Name:" would remove it).
            lines.append(field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)")
        }
        // A server's 100-continue round trip only slows uploads down.
        if request.headers["Expect"] == nil { lines.append("Expect:") }
        // libcurl would otherwise label every body as a form.
        if request.body != nil && request.headers["Content-Type"] == nil { lines.append("Content-Type:") }
        for line in lines {
            guard let appended = curl_slist_append(headerList, line) else {
                throw TransportError.other(code: Int(CURLE_OUT_OF_MEMORY.rawValue), detail: "no memory for request headers")
            }
            headerList = appended
        }
        try check(ccurl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList))
    }

    private func set(_ option: CURLoption, _ value: Int) throws {
        try check(ccurl_easy_setopt_long(handle, option, value))
    }

    private func set(_ option: CURLoption, _ value: String) throws {
        // libcurl copies string options (except COPYPOSTFIELDS' bytes, which it copies by size).
        try check(ccurl_easy_setopt_str(handle, option, value))
    }

    private func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer) throws {
        try check(ccurl_easy_setopt_ptr(handle, option, pointer))
    }

    private func check(_ code: CURLcode) throws {
        guard code == CURLE_OK else {
            throw CurlCodeMapping.transportError(code: code, host: host, message: "while setting up the request")
        }
    }

    private static func hasLineBreak(_ s: String) -> Bool {
        s.utf8.contains { $0 == 0x0A || $0 == 0x0D || $0 == 0 }
    }

    /// A duration in whole seconds, rounded up, at least 1 (0 would turn the check off).
    static func wholeSeconds(_ d: Duration) -> Int {
        let (seconds, attoseconds) = d.components
        return max(1, Int(clamping: seconds) + (attoseconds > 0 ? 1 : 0))
    }

    /// A duration in whole milliseconds, at least 1 (0 would mean "no timeout" to libcurl).
    static func milliseconds(_ d: Duration) -> Int {
        let (seconds, attoseconds) = d.components
        let ms = seconds.multipliedReportingOverflow(by: 1000)
        guard !ms.overflow else { return Int.max }
        return max(1, Int(clamping: ms.partialValue + attoseconds / 1_000_000_000_000_000))
    }

    // MARK: libcurl callbacks (loop thread)

    private static let writeCallback: ccurl_data_callback = { data, size, count, userdata in
        let length = size * count
        guard let userdata else { return 0 }
        let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
        // libcurl hands over decoded bytes: counting them here caps what a small compressed answer can inflate to.
        if transfer.body.count + length > transfer.maxResponseBytes {
            transfer.tooLarge = true
            return 0
        }
        if let data, length > 0 { transfer.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: length) }
        return length
    }

    private static let headerCallback: ccurl_data_callback = { data, size, count, userdata in
        let length = size * count
        guard let userdata else { return 0 }
        let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
        if let data, length > 0 {
            let bytes = UnsafeRawBufferPointer(start: data, count: length)
            transfer.receivedHeaderLine(String(decoding: bytes, as: UTF8.self))
        }
        return length
    }

    /// Folds one raw header line into the response headers.
    func receivedHeaderLine(_ raw: String) {
        let line = raw.trimmingCharacters(in: CharacterSet(charactersIn: "\r\n"))
        if line.hasPrefix("HTTP/") {
            // A new status line: an earlier block (100 Continue, 103 Early Hints) is not this response's.
            responseHeaders = HTTPHeaders()
            return
        }
        guard !line.isEmpty else { return }
        if line.first == " " || line.first == "\t", var last = responseHeaders.fields.last {
            // Obsolete line folding continues the previous field's value.
            last.value += " " + line.trimmingCharacters(in: .whitespaces)
            var fields = responseHeaders.fields
            fields[fields.count - 1] = last
            responseHeaders = HTTPHeaders(fields)
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
        let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        responseHeaders.add(name, value)
    }

    // MARK: Completion

    /// The number of connections this transfer opened (0 when it reused one).
    func connectionsOpened() -> Int {
        var count = 0
        return ccurl_easy_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &count) == CURLE_OK ? count : 0
    }

    /// The response, or the error that stopped it, once libcurl reports the transfer done (loop thread).
    func outcome(of code: CURLcode) -> Result<HTTPResponse, any Error> {
        if tooLarge {
            body = Data()
            return .failure(TransportError.responseTooLarge(host: host, limit: maxResponseBytes))
        }
        guard code == CURLE_OK else {
            let message = String(cString: errorBuffer)
            return .failure(CurlCodeMapping.transportError(code: code, host: host, message: message))
        }
        var status = 0
        _ = ccurl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return .success(HTTPResponse(status: status, headers: responseHeaders, body: body))
    }

    /// Stores the caller's continuation; false (and the continuation resumed) when cancelled already.
    func begin(_ continuation: CheckedContinuation<HTTPResponse, any Error>) -> Bool {
        lock.lock()
        guard !finished else {
            lock.unlock()
            continuation.resume(throwing: TransportError.cancelled)
            return false
        }
        self.continuation = continuation
        lock.unlock()
        return true
    }

    /// Whether the transfer has been completed or cancelled.
    var isFinished: Bool {
        lock.lock()
        defer { lock.unlock() }
        return finished
    }

    /// Completes the caller's wait with `result`, unless it was completed already.
    func finish(_ result: Result<HTTPResponse, any Error>) {
        lock.lock()
        guard !finished else { lock.unlock(); return }
        finished = true
        let continuation = self.continuation
        self.continuation = nil
        lock.unlock()
        continuation?.resume(with: result)
    }

    /// Ends the caller's wait with `.cancelled`; true when this call did it (the loop must then drop the handle).
    func cancel() -> Bool {
        lock.lock()
        guard !finished else { lock.unlock(); return false }
        finished = true
        let continuation = self.continuation
        self.continuation = nil
        lock.unlock()
        continuation?.resume(throwing: TransportError.cancelled)
        return true
    }
}
