import Testing
@testable import MailService

/// The budget's decisions, event by event, with no network, no tasks and no waiting: each event's
/// actions are compared with the ones expected.
@Suite struct RequestBudgetTests {
    typealias Action = RequestBudget.Action
    let prefetch = RequestLane(ticket: 7)
    let otherPrefetch = RequestLane(ticket: 8)

    /// Asks for `count` single slots on `lane` with ids from `first`, returning every action.
    static func ask(_ budget: inout RequestBudget, _ count: Int, lane: RequestLane, first: Int) -> [Action] {
        (first..<first + count).flatMap { budget.request(id: $0, lane: lane, weight: 1) }
    }

    static func admitted(_ ids: Range<Int>) -> [Action] { ids.map { .admit($0) } }

    @Test func aPrefetchWaitsOutAForegroundPageFromItsListToItsLastWave() {
        var budget = RequestBudget(ceiling: 25)
        // `r`: the page load begins and its list goes.
        budget.beginForeground()
        #expect(budget.request(id: 1, lane: .foreground, weight: 1) == [.admit(1)])
        // The selection's rest timer fires while the list is on the wire: 24 slots are free, yet it waits.
        #expect(budget.request(id: 2, lane: prefetch, weight: 1) == [.queue(2)])
        // The list comes back: the budget is idle, and still the prefetch does not go.
        #expect(budget.complete(weight: 1, .succeeded) == [])
        #expect(budget.inFlight == 0)
        // The first wave of metadata takes all 25 slots.
        #expect(Self.ask(&budget, 25, lane: .foreground, first: 100) == Self.admitted(100..<125))
        // Between the waves, answers come back one by one before the next requests are asked for:
        // no slot freed there goes to the prefetch, so the second wave is whole again.
        for _ in 0..<25 { #expect(budget.complete(weight: 1, .succeeded) == []) }
        #expect(Self.ask(&budget, 25, lane: .foreground, first: 200) == Self.admitted(200..<225))
        for _ in 0..<25 { #expect(budget.complete(weight: 1, .succeeded) == []) }
        // The page is done: now the prefetch goes.
        #expect(budget.finish(.foreground) == [.admit(2)])
        #expect(budget.inFlight == 1)
    }

    @Test func withNoForegroundLoadPrefetchesStopAtTheReserve() {
        var budget = RequestBudget(ceiling: 25)
        #expect(budget.reserve == 5)
        #expect(Self.ask(&budget, 21, lane: prefetch, first: 1) == Self.admitted(1..<21) + [.queue(21)])
        // A request the user makes meanwhile starts at once, in the reserve.
        budget.beginForeground()
        #expect(budget.request(id: 50, lane: .foreground, weight: 1) == [.admit(50)])
        #expect(budget.inFlight == 21)
    }

    @Test func aBatchTakesOneSlotPerPartAndWaitsForRoomForAllOfThem() {
        var budget = RequestBudget(ceiling: 10)
        budget.beginForeground()
        #expect(budget.request(id: 1, lane: .foreground, weight: 8) == [.admit(1)])
        #expect(budget.request(id: 2, lane: .foreground, weight: 5) == [.queue(2)])
        #expect(budget.complete(weight: 8, .succeeded) == [.admit(2)])
        #expect(budget.inFlight == 5)
    }

    @Test func foregroundWaitersGoBeforeEarlierPrefetches() {
        var budget = RequestBudget(ceiling: 2)
        #expect(Self.ask(&budget, 2, lane: prefetch, first: 1) == [.admit(1), .admit(2)])
        #expect(budget.request(id: 3, lane: otherPrefetch, weight: 1) == [.queue(3)])
        budget.beginForeground()
        #expect(budget.request(id: 4, lane: .foreground, weight: 1) == [.queue(4)])
        #expect(budget.complete(weight: 1, .succeeded) == [.admit(4)])
        #expect(budget.complete(weight: 1, .succeeded) == [], "the other prefetch waits while the foreground load runs")
        #expect(budget.complete(weight: 1, .succeeded) == [])
        #expect(budget.finish(.foreground) == [.admit(3)])
    }

    @Test func aPromotedPrefetchIsForegroundUntilItFinishes() {
        var budget = RequestBudget(ceiling: 10)
        #expect(budget.request(id: 1, lane: otherPrefetch, weight: 1) == [.admit(1)])
        // Someone waits for prefetch 7: its requests now go as foreground, and other prefetches wait.
        #expect(budget.promote(prefetch.ticket) == [])
        #expect(budget.request(id: 2, lane: prefetch, weight: 1) == [.admit(2)])
        #expect(budget.request(id: 3, lane: otherPrefetch, weight: 1) == [.queue(3)])
        #expect(!budget.isAbandonable(prefetch.ticket))
        #expect(budget.complete(weight: 1, .succeeded) == [])
        #expect(budget.finish(prefetch) == [.admit(3)])
    }

    @Test func promotingAQueuedPrefetchAdmitsIt() {
        var budget = RequestBudget(ceiling: 10)
        budget.beginForeground()
        #expect(budget.request(id: 1, lane: prefetch, weight: 1) == [.queue(1)])
        #expect(budget.promote(prefetch.ticket) == [.admit(1)])
        #expect(budget.promote(0) == [], "the foreground cannot be promoted")
    }

    @Test func abandonedPrefetchesAreRefusedNowAndLater() {
        var budget = RequestBudget(ceiling: 1)
        #expect(budget.request(id: 1, lane: .foreground, weight: 1) == [.admit(1)])
        #expect(budget.request(id: 2, lane: prefetch, weight: 1) == [.queue(2)])
        #expect(budget.request(id: 3, lane: otherPrefetch, weight: 1) == [.queue(3)])
        #expect(budget.abandon([prefetch.ticket, 0]) == [.refuse(2)])
        #expect(budget.waiting == 1)
        #expect(budget.request(id: 4, lane: prefetch, weight: 1) == [.refuse(4)])
        #expect(budget.request(id: 5, lane: .foreground, weight: 1) == [.queue(5)], "the foreground is never abandoned")
        #expect(budget.complete(weight: 1, .succeeded) == [.admit(5)])
        #expect(budget.complete(weight: 1, .succeeded) == [.admit(3)])
        // Once its load has finished, the ticket means nothing any more.
        #expect(budget.finish(prefetch) == [])
    }

    @Test func aRateLimitShrinksTheLimitAndSuccessesGrowItBack() {
        var budget = RequestBudget(ceiling: 8)
        #expect(budget.request(id: 1, lane: .foreground, weight: 1) == [.admit(1)])
        #expect(budget.complete(weight: 1, .rateLimited) == [.shrink(to: 4)])
        for _ in 0..<3 { #expect(budget.complete(weight: 0, .succeeded) == []) }
        #expect(budget.complete(weight: 0, .succeeded) == [.grow(to: 5)])
        #expect(budget.complete(weight: 0, .failed) == [], "a failure neither shrinks nor grows the limit")
        let growth = (0..<40).flatMap { _ in budget.complete(weight: 0, .succeeded) }
        #expect(growth == [.grow(to: 6), .grow(to: 7), .grow(to: 8)], "never above the ceiling")
        #expect(budget.limit == 8)
    }

    @Test func aShrunkLimitHoldsBackWaitersUntilThereIsRoom() {
        var budget = RequestBudget(ceiling: 4)
        budget.beginForeground()
        #expect(Self.ask(&budget, 5, lane: .foreground, first: 1) == Self.admitted(1..<5) + [.queue(5)])
        // A 429 halves the limit to 2 while 3 are still out: the freed slot does not go to the waiter.
        #expect(budget.complete(weight: 1, .rateLimited) == [.shrink(to: 2)])
        #expect(budget.complete(weight: 1, .failed) == [])
        #expect(budget.complete(weight: 1, .failed) == [.admit(5)])
    }
}
