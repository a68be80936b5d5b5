import Foundation

/// Lines of standard input, read by one thread for the whole process and handed to whoever asks next.
///
/// A waiter that is cancelled gives up its place, so a line typed later goes to the current
/// authorization attempt, never to one that has already ended.
final class StandardInputLines: @unchecked Sendable {
    static let shared = StandardInputLines()

    private let lock = NSLock()
    private var buffered: [String] = []
    private var finished = false
    private var waiters: [(id: UUID, continuation: CheckedContinuation<String?, Never>)] = []
    private var started = false

    /// The next line, or nil at end of input or when the calling task is cancelled.
    func next() async -> String? {
        let id = UUID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
                let ready: String?? = lock.withLock {
                    startReaderIfNeeded()
                    if Task.isCancelled { return .some(nil) }
                    if !buffered.isEmpty { return .some(buffered.removeFirst()) }
                    if finished { return .some(nil) }
                    waiters.append((id, continuation))
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = lock.withLock { () -> CheckedContinuation<String?, Never>? in
                guard let i = waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return waiters.remove(at: i).continuation
            }
            waiter?.resume(returning: nil)
        }
    }

    private func startReaderIfNeeded() {
        guard !started else { return }
        started = true
        let thread = Thread { [self] in
            while let line = readLine() { deliver(line) }
            let all = lock.withLock { () -> [CheckedContinuation<String?, Never>] in
                finished = true
                defer { waiters.removeAll() }
                return waiters.map(\.continuation)
            }
            all.forEach { $0.resume(returning: nil) }
        }
        thread.name = "gmail-tui stdin"
        thread.start()
    }

    private func deliver(_ line: String) {
        let waiter = lock.withLock { () -> CheckedContinuation<String?, Never>? in
            if waiters.isEmpty { buffered.append(line); return nil }
            return waiters.removeFirst().continuation
        }
        waiter?.resume(returning: line)
    }
}
