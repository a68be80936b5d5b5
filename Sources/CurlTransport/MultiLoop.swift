import Foundation
import HTTPCore
internal import CCurl

/// Owns a CURL multi handle and the thread that drives every transfer on it.
///
/// Other threads never touch the multi handle except through
/// `curl_multi_wakeup` (which libcurl allows from any thread): they queue a
/// command and wake the loop, which adds or removes easy handles, performs,
/// collects finished transfers and polls again.
final class MultiLoop: @unchecked Sendable {
    private enum Command {
        case add(Transfer)
        case remove(Transfer)
    }

    private let multi: UnsafeMutableRawPointer

    // Behind `lock`.
    private let lock = NSLock()
    private var commands: [Command] = []
    private var stopping = false
    private var counters = CurlTransport.Statistics()

    // Loop thread only: the transfers added to `multi`, which keeps them (and their easy handles) alive.
    private var active: [UnsafeMutableRawPointer: Transfer] = [:]

    /// A loop whose multi handle multiplexes HTTP/2 and opens at most `maxConnectionsPerHost` connections per host; nil when libcurl cannot start.
    init?(maxConnectionsPerHost: Int) {
        guard ccurl_global_init_once() == CURLE_OK, let multi = curl_multi_init() else { return nil }
        self.multi = multi
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, max(1, maxConnectionsPerHost))
    }

    deinit {
        curl_multi_cleanup(multi)
    }

    /// Starts the loop thread, which keeps this object alive until `stop()`.
    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "CurlTransport"
        thread.start()
    }

    /// Ends the loop thread; transfers still running end with `.cancelled`.
    func stop() {
        lock.lock()
        stopping = true
        lock.unlock()
        curl_multi_wakeup(multi)
    }

    /// Hands a configured transfer to the loop.
    func submit(_ transfer: Transfer) {
        enqueue(.add(transfer))
    }

    /// Asks the loop to drop a cancelled transfer's easy handle.
    func withdraw(_ transfer: Transfer) {
        enqueue(.remove(transfer))
    }

    /// Totals since the loop started.
    var statistics: CurlTransport.Statistics {
        lock.lock()
        defer { lock.unlock() }
        return counters
    }

    private func enqueue(_ command: Command) {
        lock.lock()
        let accepted = !stopping
        if accepted { commands.append(command) }
        lock.unlock()
        if accepted {
            curl_multi_wakeup(multi)
        } else if case .add(let transfer) = command {
            transfer.finish(.failure(TransportError.cancelled))
        }
    }

    // MARK: Loop thread

    private func run() {
        while true {
            lock.lock()
            let pending = commands
            commands.removeAll()
            let stop = stopping
            lock.unlock()

            for command in pending { apply(command, stopping: stop) }
            if stop { break }

            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            collectFinished()
            // libcurl shortens the wait to its own next timer (timeouts, connection attempts).
            _ = curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        for transfer in Array(active.values) {
            detach(transfer)
            transfer.finish(.failure(TransportError.cancelled))
        }
    }

    private func apply(_ command: Command, stopping: Bool) {
        switch command {
        case .add(let transfer):
            guard !stopping else { transfer.finish(.failure(TransportError.cancelled)); return }
            // Cancelled between submission and now: never start it.
            guard !transfer.isFinished else { return }
            let code = curl_multi_add_handle(multi, transfer.handle)
            guard code == CURLM_OK else {
                let detail = String(cString: curl_multi_strerror(code))
                transfer.finish(.failure(TransportError.other(code: Int(code.rawValue), detail: detail)))
                return
            }
            active[transfer.handle] = transfer
            lock.lock()
            counters.requestsSent += 1
            lock.unlock()
        case .remove(let transfer):
            detach(transfer)
        }
    }

    private func collectFinished() {
        var easy: UnsafeMutableRawPointer?
        var code = CURLE_OK
        while ccurl_multi_next_done(multi, &easy, &code) == 1 {
            guard let easy, let transfer = active[easy] else { continue }
            // Read the outcome before detaching: both need the handle, which stays alive through `transfer`.
            let outcome = transfer.outcome(of: code)
            detach(transfer)
            transfer.finish(outcome)
        }
    }

    /// Takes a transfer off the multi handle, counting the connections it opened.
    private func detach(_ transfer: Transfer) {
        guard active.removeValue(forKey: transfer.handle) != nil else { return }
        let opened = transfer.connectionsOpened()
        _ = curl_multi_remove_handle(multi, transfer.handle)
        lock.lock()
        counters.connectionsOpened += opened
        lock.unlock()
    }
}
