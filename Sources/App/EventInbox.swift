import Foundation
import Glibc
import MailUI

/// Where events from other threads wait for the terminal thread: effect answers, the listener's code, a
/// browser opener's failure. Posting wakes the thread at once (a self-pipe it polls beside standard input), so
/// an answer is drawn as soon as it arrives.
final class EventInbox: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [BrowserEvent] = []
    private let wake: (read: Int32, write: Int32)

    init() {
        var fds: [Int32] = [0, 0]
        if pipe(&fds) == 0 {
            _ = fcntl(fds[0], F_SETFL, O_NONBLOCK)
            _ = fcntl(fds[1], F_SETFL, O_NONBLOCK)
        }
        wake = (fds[0], fds[1])
    }

    deinit {
        close(wake.read)
        close(wake.write)
    }

    /// Hands `event` to the terminal thread and wakes it.
    func post(_ event: BrowserEvent) {
        lock.withLock { events.append(event) }
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)
    }

    /// The events posted since the last call, oldest first.
    func take() -> [BrowserEvent] {
        lock.withLock { defer { events.removeAll() }; return events }
    }

    /// Sleeps until a key arrives on standard input, an event is posted, or the timeout passes; false once
    /// the terminal has hung up and no key can come any more.
    func waitForInput(timeoutMilliseconds: Int32) -> Bool {
        var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
        _ = poll(&fds, 2, timeoutMilliseconds)
        if fds[1].revents != 0 {
            var buffer = [UInt8](repeating: 0, count: 64)
            while read(wake.read, &buffer, buffer.count) > 0 {}
        }
        return Self.terminalAlive(revents: fds[0].revents)
    }

    /// False when standard input reports a hang-up, an error or a closed descriptor. A hung-up terminal
    /// also reports POLLIN for ever (reads return end of file), so POLLIN does not make it alive; keys
    /// typed just before the hang-up no longer matter, as no one is left to see what they do.
    static func terminalAlive(revents: Int16) -> Bool {
        revents & (Int16(POLLHUP) | Int16(POLLERR) | Int16(POLLNVAL)) == 0
    }
}
