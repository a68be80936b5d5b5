import Foundation
import Testing
import HTTPCore
import MailService
import GmailSandbox
import TestSupport

/// How many requests and round trips a first page costs against the sandbox at its default limits.
///
/// Not timed: round trips are waves the test itself releases (see `WaveGate`), so a busy machine cannot
/// make one wave look like two.
@Suite struct FirstPageRequestCountTests {
    static let transports: [SandboxTransportKind] = [.inProcess, .curl]

    /// The real client against a sandbox with `latency`, with a token minted by the sandbox, its Gmail calls
    /// through `gate` when there is one.
    static func options(latency: Duration, gate: WaveGate? = nil) -> SandboxClientOptions {
        .with {
            $0.sandbox.latency = latency
            $0.gate = gate
        }
    }

    @Test(arguments: transports) func theFirstPageOfFiftyIsOneListAndAtMostTwoMetadataRoundTrips(_ kind: SandboxTransportKind) async throws {
        let gate = WaveGate()
        try await withSandboxClient(kind, Self.options(latency: .zero, gate: gate)) { client in
            let (sandbox, mail) = (client.sandbox, client.mail)
            // Release the list alone, then each wave once the budget's worth of requests (or all that remain)
            // are waiting. A client that sent fewer at once would need more waves.
            let driver = Task {
                await gate.waitUntilHolding(1, timeout: 60)
                gate.releaseWave()
                var released = 0
                while released < 50 {
                    await gate.waitUntilHolding(min(25, 50 - released), timeout: 60)
                    released += gate.releaseWave()
                }
            }
            let page = try await mail.page(query: "", pageToken: nil, pageSize: 50, cache: .reload)
            await driver.value
            #expect(page.messages.count == 50)
            let log = sandbox.requestLog()
            let lists = log.filter { $0.path.hasPrefix("/gmail/v1/users/me/messages?") || $0.path == "/gmail/v1/users/me/messages" }
            let metadata = log.filter { $0.path.hasPrefix("/gmail/v1/users/me/messages/") }
            #expect(lists.count == 1)
            #expect(metadata.count == 50)
            #expect(metadata.allSatisfy { $0.path.contains("format=metadata") && $0.path.contains("fields=") && $0.path.contains("metadataHeaders=From") })
            #expect(log.count == 51, "nothing else: one list, fifty metadata GETs")
            #expect(sandbox.stats().tooManyRequests == 0)
            #expect(gate.waves.count <= 3, "the list, then at most two waves of metadata: \(gate.waves)")
            #expect(gate.waves.first == 1, "the list goes alone")
            #expect(gate.waves.dropFirst().count <= 2)
            #expect(sandbox.stats().maxInFlightPerUser[Sandbox.defaultUserEmail] ?? 0 <= 25)
        }
    }

    @Test(arguments: transports) func aPrefetchedNextPageAndAPrefetchedMessageCostNothingMore(_ kind: SandboxTransportKind) async throws {
        try await withSandboxClient(kind, Self.options(latency: .milliseconds(20))) { client in
            let (sandbox, mail) = (client.sandbox, client.mail)
            let first = try await mail.page(query: "", pageToken: nil, pageSize: 50, cache: .useCached)
            let next = try #require(first.nextPageToken)
            await mail.prefetchPage(query: "", pageToken: next, pageSize: 50)
            await mail.prefetchMessage(id: first.messages[0].id)
            let before = sandbox.requestLog().count
            let second = try await mail.page(query: "", pageToken: next, pageSize: 50, cache: .useCached)
            let opened = try await mail.message(id: first.messages[0].id, cache: .useCached)
            #expect(second.messages.count == 50)
            #expect(Set(second.messages.map(\.id)).isDisjoint(with: first.messages.map(\.id)))
            #expect(opened.id == first.messages[0].id)
            #expect(sandbox.requestLog().count == before, "both answered from memory")
            #expect(sandbox.stats().tooManyRequests == 0)
        }
    }

    /// `r` in the browser while prefetches are pending, as the run loop performs it, against Gmail's limit of
    /// 25 in flight: the next page's prefetch has its list request on the wire (holding a slot), and the
    /// selection's rest timer fires while the reload's first wave of metadata is on the wire. Waves are
    /// counted as in the test above: one leaves once 25 of the reload's requests (or all that remain) wait
    /// at the gate, so a slot held by a prefetch shows as a wave of 24 and a straggler of 1.
    @Test(arguments: transports) func aReloadWithPrefetchesPendingIsStillTheListAndTwoWavesOfTwentyFive(_ kind: SandboxTransportKind) async throws {
        let gate = WaveGate()
        gate.isHolding = false
        try await withSandboxClient(kind, Self.options(latency: .zero, gate: gate)) { client in
            let (sandbox, mail) = (client.sandbox, client.mail)
            // The first page is showing.
            let first = try await mail.page(query: "", pageToken: nil, pageSize: 50, cache: .useCached)
            let next = try #require(first.nextPageToken)
            let shown = Set(first.messages.map(\.id))
            try #require(shown.count == 50)
            let isReloadList = { (r: HTTPRequest) in r.url.path.hasSuffix("/messages") && !(r.url.query ?? "").contains("pageToken") }
            let isReloadMetadata = { (r: HTTPRequest) in (r.url.query ?? "").contains("format=metadata") && shown.contains(r.url.lastPathComponent) }

            gate.isHolding = true
            // `.pageLoaded` asked for the next page: its prefetch's list is on the wire.
            let nextPrefetch = Task { await mail.prefetchPage(query: "", pageToken: next, pageSize: 50) }
            await gate.waitUntilHolding(1, timeout: 60)
            // `r`: the run loop forgets the caches, then asks Gmail for the page again.
            await mail.invalidateCaches()
            let reload = Task { try await mail.page(query: "", pageToken: nil, pageSize: 50, cache: .reload) }
            await gate.waitUntilHolding(1, timeout: 60, where: isReloadList)
            gate.releaseWave()
            var released = 0
            var bodyPrefetch: Task<Void, Never>?
            for _ in 0..<6 where released < 50 {
                await gate.waitUntilHolding(min(25, 50 - released), timeout: 60, where: isReloadMetadata)
                if bodyPrefetch == nil {
                    // The rest timer fires: the selected message's body is prefetched.
                    bodyPrefetch = Task { await mail.prefetchMessage(id: first.messages[0].id) }
                }
                gate.releaseWave()
                released = gate.waveRequests.joined().filter(isReloadMetadata).count
            }
            gate.isHolding = false
            let page = try await reload.value
            await nextPrefetch.value
            await bodyPrefetch?.value

            #expect(page.messages.map(\.id) == first.messages.map(\.id))
            let reloadWaves = gate.waveRequests.map { $0.filter { isReloadList($0) || isReloadMetadata($0) } }.filter { !$0.isEmpty }
            #expect(reloadWaves.map(\.count) == [1, 25, 25], "the list, then two full waves of metadata; every wave: \(gate.waves)")
            #expect(reloadWaves.first?.allSatisfy(isReloadList) == true, "the list goes before any metadata")
            #expect(sandbox.stats().tooManyRequests == 0)
            #expect(sandbox.stats().maxInFlightPerUser[Sandbox.defaultUserEmail] ?? 0 <= 25)
            // The prefetches were not lost, only put after the page: the body came once the page was in, and the
            // next page, asked for again when the reloaded page arrives, lands in memory.
            #expect(await mail.hasCachedMessage(id: first.messages[0].id))
            await mail.prefetchPage(query: "", pageToken: next, pageSize: 50)
            #expect(await mail.hasCachedPage(query: "", pageToken: next, pageSize: 50))
            #expect(await mail.requestsInFlight == 0)
        }
    }
}
