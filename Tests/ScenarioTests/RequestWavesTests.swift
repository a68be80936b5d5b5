import Foundation
import Testing
import GmailSandbox

/// Waves read from send and answer times, as `make bench` reads them from the sandbox's log.
@Suite struct RequestWavesTests {
    /// `count` requests sent `at` ms (a little apart, as connections open) and answered `rtt` ms later.
    static func wave(_ count: Int, at start: Double, rtt: Double = 50) -> [(sent: Date, answered: Date)] {
        (0..<count).map { i in
            let sent = Date(timeIntervalSince1970: 1_000 + (start + Double(i) * 0.1) / 1000)
            return (sent, sent.addingTimeInterval(rtt / 1000))
        }
    }

    @Test func aPageOfFiftyUnderALimitOfTwentyFiveIsThreeWaves() {
        let spans = Self.wave(1, at: 0) + Self.wave(25, at: 51) + Self.wave(25, at: 104)
        #expect(requestWaves(spans.shuffled()) == [1, 25, 25])
    }

    @Test func aStragglerWaitingForAFreedSlotIsAWaveOfItsOwn() {
        // The second wave was one slot short: its last request left once one of the 24 was answered.
        let spans = Self.wave(1, at: 0) + Self.wave(25, at: 51) + Self.wave(24, at: 104) + Self.wave(1, at: 156)
        #expect(requestWaves(spans) == [1, 25, 24, 1])
    }

    @Test func aRequestSentLateButBeforeAnyAnswerIsInTheSameWave() {
        // One of the wave was held up 30 ms on the client (a connection to open), still before any answer.
        let spans = Self.wave(1, at: 0) + Self.wave(24, at: 51) + Self.wave(1, at: 81) + Self.wave(25, at: 106)
        #expect(requestWaves(spans) == [1, 25, 25])
        #expect(requestWaves([SandboxLogEntry]()) == [])
    }
}
