import Foundation
import HTTPCore

/// Holds every request until the test releases the wave it belongs to, then sends it on.
///
/// A wave is what one release lets go: requests the client had sent before any of them was answered.
/// With `isHolding` off, requests go straight through (for the set-up before the part being counted).
public final class WaveGate: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var held: [(request: HTTPRequest, resume: CheckedContinuation<Void, Never>)] = []
    private var _inner: (any HTTPTransport)?
    private var _waves: [[HTTPRequest]] = []
    private var _holding = true

    public init() {}

    /// Where released requests go.
    public var inner: (any HTTPTransport)? {
        get { lock.withLock { _inner } }
        set { lock.withLock { _inner = newValue } }
    }

    /// The size of each released wave, in order.
    public var waves: [Int] { lock.withLock { _waves.map(\.count) } }

    /// The requests of each released wave, in order.
    public var waveRequests: [[HTTPRequest]] { lock.withLock { _waves } }

    /// Whether requests are held; turning it off lets the held ones go as one last wave.
    public var isHolding: Bool {
        get { lock.withLock { _holding } }
        set {
            let pending = lock.withLock { _holding = newValue; return held.count }
            if !newValue, pending > 0 { releaseWave() }
        }
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        await withCheckedContinuation { continuation in
            let hold = lock.withLock { () -> Bool in
                if _holding { held.append((request, continuation)) }
                return _holding
            }
            if !hold { continuation.resume() }
        }
        guard let inner else { throw TransportError.cancelled }
        return try await inner.send(request)
    }

    /// Waits until `count` requests are held (or `timeout` seconds pass: then the wave is whatever arrived).
    /// A test that needs exactly `count` held gives a long timeout: a loaded machine can keep the
    /// cooperative pool busy for seconds, and the wait ends as soon as they are held.
    public func waitUntilHolding(_ count: Int, timeout: TimeInterval = 10) async {
        await waitUntilHolding(count, timeout: timeout, where: { _ in true })
    }

    /// Waits until `count` held requests match `belongs` (or `timeout` seconds pass).
    public func waitUntilHolding(_ count: Int, timeout: TimeInterval = 10, where belongs: (HTTPRequest) -> Bool) async {
        let deadline = Date().addingTimeInterval(timeout)
        while lock.withLock({ held.filter { belongs($0.request) }.count }) < count, Date() < deadline {
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Lets every held request go; returns how many.
    @discardableResult
    public func releaseWave() -> Int {
        let wave = lock.withLock { () -> [(request: HTTPRequest, resume: CheckedContinuation<Void, Never>)] in
            defer { held.removeAll() }
            _waves.append(held.map(\.request))
            return held
        }
        wave.forEach { $0.resume.resume() }
        return wave.count
    }
}
