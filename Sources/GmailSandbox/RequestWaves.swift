import Foundation

/// The sizes of the waves in which requests went, from when each was sent and answered.
///
/// A wave is the requests sent before any of them was answered; the first request sent after one of them
/// was answered starts the next. This is how `make bench` reads round trips from a server's request log,
/// and how the scenario tests' gate counts them from the client's side (it lets a wave go once the
/// client has sent all it will before an answer). A page of 50 under a limit of 25 is `[1, 25, 25]`; one
/// whose second wave was short of a slot is `[1, 25, 24, 1]`: the straggler could only leave after an answer.
public func requestWaves(_ spans: [(sent: Date, answered: Date)]) -> [Int] {
    var waves: [Int] = []
    var firstAnswer = Date.distantPast
    for span in spans.sorted(by: { $0.sent < $1.sent }) {
        if waves.isEmpty || span.sent >= firstAnswer {
            waves.append(1)
            firstAnswer = span.answered
        } else {
            waves[waves.count - 1] += 1
            firstAnswer = min(firstAnswer, span.answered)
        }
    }
    return waves
}

/// The sizes of the waves the requests of a sandbox's `log` went in.
///
/// The log keeps whole milliseconds, so a start (read as `end - ms`) is late by under 1 ms: two requests
/// of one wave are told apart only if one left within 1 ms of the other's answer.
public func requestWaves(_ log: [SandboxLogEntry]) -> [Int] {
    requestWaves(log.map { (sent: $0.time.addingTimeInterval(-Double($0.milliseconds) / 1000), answered: $0.time) })
}

/// The round trips of the requests in `log`: how many waves they went in.
public func roundTrips(_ log: [SandboxLogEntry]) -> Int { requestWaves(log).count }
