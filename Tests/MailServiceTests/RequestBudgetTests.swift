import Testing
@testable import MailService

/// The budget's decisions, step by step, with no network: who gets a slot, and when.
@Suite struct RequestBudgetTests {
    let prefetch = RequestLane(ticket: 7)
    let otherPrefetch = RequestLane(ticket: 8)

    /// Asks for `count` single slots on `lane` with ids from `first`, returning the admissions.
    static func ask(_ budget: inout RequestBudget, _ count: Int, lane: RequestLane, first: Int) -> [RequestBudget.Admission] {
        (first..<first + count).map { budget.request(id: $0, lane: lane, weight: 1) }
    }

    @Test func aPrefetchWaitsOutAForegroundPageFromItsListToItsLastWave() {
        var budget = RequestBudget(ceiling: 25)
        // `r`: the page load begins and its list goes.
        budget.beginForeground()
        #expect(budget.request(id: 1, lane: .foreground, weight: 1) == .granted)
        // The selection's rest timer fires while the list is on the wire: 24 slots are free, yet it waits.
        #expect(budget.request(id: 2, lane: prefetch, weight: 1) == .queued)
        // The list comes back: the budget is idle, and still the prefetch does not go.
        #expect(budget.release(1) == RequestBudget.Wakeups())
        #expect(budget.inFlight == 0)
        // The first wave of metadata takes all 25 slots.
        #expect(Self.ask(&budget, 25, lane: .foreground, first: 100) == [RequestBudget.Admission](repeating: .granted, count: 25))
        // Between the waves, answers come back one by one before the next requests are asked for:
        // no slot freed there goes to the prefetch, so the second wave is whole again.
        for _ in 0..<25 { #expect(budget.release(1).granted.isEmpty) }
        #expect(Self.ask(&budget, 25, lane: .foreground, first: 200) == [RequestBudget.Admission](repeating: .granted, count: 25))
        for _ in 0..<25 { #expect(budget.release(1).granted.isEmpty) }
        // The page is done: now the prefetch goes.
        #expect(budget.finish(.foreground).granted == [2])
        #expect(budget.inFlight == 1)
    }

    @Test func withNoForegroundLoadPrefetchesStopAtTheReserve() {
        var budget = RequestBudget(ceiling: 25)
        #expect(budget.reserve == 5)
        let admissions = Self.ask(&budget, 21, lane: prefetch, first: 1)
        #expect(admissions.filter { $0 == .granted }.count == 20)
        #expect(admissions.last == .queued)
        // A request the user makes meanwhile starts at once, in the reserve.
        budget.beginForeground()
        #expect(budget.request(id: 50, lane: .foreground, weight: 1) == .granted)
        #expect(budget.inFlight == 21)
    }

    @Test func foregroundWaitersGoBeforeEarlierPrefetches() {
        var budget = RequestBudget(ceiling: 2)
        #expect(Self.ask(&budget, 2, lane: prefetch, first: 1) == [.granted, .granted])
        #expect(budget.request(id: 3, lane: otherPrefetch, weight: 1) == .queued)
        budget.beginForeground()
        #expect(budget.request(id: 4, lane: .foreground, weight: 1) == .queued)
        #expect(budget.release(1).granted == [4])
        #expect(budget.release(1).granted.isEmpty, "the other prefetch waits while the foreground load runs")
        #expect(budget.release(1).granted.isEmpty)
        #expect(budget.finish(.foreground).granted == [3])
    }

    @Test func aPromotedPrefetchIsForegroundUntilItFinishes() {
        var budget = RequestBudget(ceiling: 10)
        #expect(budget.request(id: 1, lane: otherPrefetch, weight: 1) == .granted)
        // Someone waits for prefetch 7: its requests now go as foreground, and other prefetches wait.
        #expect(budget.promote(prefetch.ticket) == RequestBudget.Wakeups())
        #expect(budget.request(id: 2, lane: prefetch, weight: 1) == .granted)
        #expect(budget.request(id: 3, lane: otherPrefetch, weight: 1) == .queued)
        #expect(!budget.isAbandonable(prefetch.ticket))
        _ = budget.release(1)
        #expect(budget.finish(prefetch).granted == [3])
    }

    @Test func abandonedPrefetchesAreRefusedNowAndLater() {
        var budget = RequestBudget(ceiling: 1)
        #expect(budget.request(id: 1, lane: .foreground, weight: 1) == .granted)
        #expect(budget.request(id: 2, lane: prefetch, weight: 1) == .queued)
        #expect(budget.request(id: 3, lane: otherPrefetch, weight: 1) == .queued)
        let wakeups = budget.abandon([prefetch.ticket, 0])
        #expect(wakeups.refused == [2])
        #expect(wakeups.granted.isEmpty)
        #expect(budget.waiting == 1)
        #expect(budget.request(id: 4, lane: prefetch, weight: 1) == .refused)
        #expect(budget.request(id: 5, lane: .foreground, weight: 1) == .queued, "the foreground is never abandoned")
        #expect(budget.release(1).granted == [5])
        #expect(budget.release(1).granted == [3])
    }

    @Test func aRateLimitHalvesTheLimitAndSuccessesGrowItBack() {
        var budget = RequestBudget(ceiling: 8)
        budget.noteRateLimited()
        #expect(budget.limit == 4)
        for _ in 0..<3 { _ = budget.noteSuccess() }
        #expect(budget.limit == 4)
        _ = budget.noteSuccess()
        #expect(budget.limit == 5)
        for _ in 0..<40 { _ = budget.noteSuccess() }
        #expect(budget.limit == 8, "never above the ceiling")
    }
}
