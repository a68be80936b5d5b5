/// The slots of Gmail's per-user concurrency that one account's requests share, and who gets them.
///
/// A plain value with no I/O: `MailService` asks it whether a request may go, parks the ones that may
/// not under the `id` it chose, and wakes the ids that a release, a promotion or an abandonment returns.
///
/// The rules, in order of precedence:
/// - Foreground requests (the user waits for them) go before any waiting prefetch, in arrival order.
/// - While a foreground load is under way, no prefetch starts at all, not even into free slots. A page
///   is a list and then its metadata in waves of `limit`; a prefetch let in while the list is on the
///   wire, or between two waves, would still hold its slot when the next wave goes, which then leaves
///   without one request, and that request costs a round trip of its own (25 + 24 + 1 instead of 25 + 25).
/// - Otherwise prefetches stop `reserve` slots short of the limit, so that a request the user makes
///   while they run starts at once.
/// - A prefetch someone now waits for (`promote`) is foreground from then on.
/// - A prefetch whose result nobody will use (`abandon`, after the caches were dropped) gets no more slots.
/// - AIMD: the limit halves on a rate limit and grows by one after `limit` successes, up to `ceiling`.
struct RequestBudget: Sendable {
    /// A request parked until it may go.
    struct Waiter: Sendable, Equatable {
        let id: Int
        let lane: RequestLane
        let weight: Int
    }

    /// The answer to `request`: go now, never (an abandoned prefetch), or wait to be woken.
    enum Admission: Sendable, Equatable { case granted, refused, queued }

    /// Parked requests to wake: `granted` now hold their slots; `refused` belong to abandoned prefetches.
    struct Wakeups: Sendable, Equatable {
        var granted: [Int] = []
        var refused: [Int] = []
    }

    /// The most the limit grows back to.
    let ceiling: Int
    /// The adaptive bound on requests in flight.
    private(set) var limit: Int
    /// Slots taken now (a batch of n parts takes n).
    private(set) var inFlight = 0
    private var waiters: [Waiter] = []
    private var successesSinceIncrease = 0
    /// Foreground loads under way (each may span several requests: a list, then its metadata).
    private var foregroundLoads = 0
    private var promoted: Set<Int> = []
    private var abandoned: Set<Int> = []

    init(ceiling: Int) {
        self.ceiling = max(1, ceiling)
        limit = self.ceiling
    }

    /// Requests parked now.
    var waiting: Int { waiters.count }

    /// Slots kept for the foreground: prefetches stop this far below the limit.
    var reserve: Int { limit >= 10 ? limit / 5 : 0 }

    /// True while the user waits for something: a foreground load, or a prefetch that was promoted.
    var foregroundBusy: Bool { foregroundLoads > 0 || !promoted.isEmpty }

    func isForeground(_ lane: RequestLane) -> Bool { lane.ticket == 0 || promoted.contains(lane.ticket) }

    /// Whether `ticket` is a prefetch nobody waits for, which `abandon` would stop.
    func isAbandonable(_ ticket: Int) -> Bool { ticket != 0 && !promoted.contains(ticket) }

    /// Whether a request of `lane` and `weight` fits now (one request always fits in an idle budget,
    /// except a prefetch while the foreground is busy).
    func fits(_ lane: RequestLane, weight: Int) -> Bool {
        if isForeground(lane) { return inFlight == 0 || inFlight + weight <= limit }
        guard !foregroundBusy else { return false }
        return inFlight == 0 || inFlight + weight <= max(1, limit - reserve)
    }

    /// Takes `weight` slots for request `id` when it fits and nobody it must yield to is waiting;
    /// otherwise parks it (`.queued`) until a later call returns its id among the wakeups.
    mutating func request(id: Int, lane: RequestLane, weight: Int) -> Admission {
        if abandoned.contains(lane.ticket) { return .refused }
        let foreground = isForeground(lane)
        let yields = waiters.contains { !foreground || isForeground($0.lane) }
        if !yields, fits(lane, weight: weight) {
            inFlight += weight
            return .granted
        }
        waiters.append(Waiter(id: id, lane: lane, weight: weight))
        return .queued
    }

    /// A request came back: its slots go to the waiters that now fit.
    mutating func release(_ weight: Int) -> Wakeups {
        inFlight = max(0, inFlight - weight)
        return grant()
    }

    /// A foreground load starts: prefetches wait until it (and every other one) has finished.
    mutating func beginForeground() { foregroundLoads += 1 }

    /// A load of `lane` finished, with all its requests: a foreground one may let prefetches go again.
    mutating func finish(_ lane: RequestLane) -> Wakeups {
        if lane.ticket == 0 {
            foregroundLoads = max(0, foregroundLoads - 1)
        } else {
            promoted.remove(lane.ticket)
            abandoned.remove(lane.ticket)
        }
        return grant()
    }

    /// Someone now waits for prefetch `ticket`: its remaining requests go as foreground.
    mutating func promote(_ ticket: Int) -> Wakeups {
        guard ticket != 0 else { return Wakeups() }
        promoted.insert(ticket)
        abandoned.remove(ticket)
        return grant()
    }

    /// Prefetches whose results will be thrown away: their parked requests are refused, and so are later ones.
    mutating func abandon(_ tickets: some Sequence<Int>) -> Wakeups {
        let stale = Set(tickets.filter { isAbandonable($0) })
        abandoned.formUnion(stale)
        let refused = waiters.filter { stale.contains($0.lane.ticket) }.map(\.id)
        waiters.removeAll { stale.contains($0.lane.ticket) }
        var wakeups = grant()
        wakeups.refused = refused
        return wakeups
    }

    /// Gmail answered 429: halve the limit.
    mutating func noteRateLimited() {
        limit = max(1, limit / 2)
        successesSinceIncrease = 0
    }

    /// A request succeeded: after `limit` of them the limit grows by one, up to the ceiling.
    mutating func noteSuccess() -> Wakeups {
        guard limit < ceiling else { return Wakeups() }
        successesSinceIncrease += 1
        guard successesSinceIncrease >= limit else { return Wakeups() }
        limit += 1
        successesSinceIncrease = 0
        return grant()
    }

    /// Gives slots to the waiters that fit: foreground ones first, in arrival order.
    private mutating func grant() -> Wakeups {
        var wakeups = Wakeups()
        while let index = waiters.firstIndex(where: { isForeground($0.lane) }) ?? waiters.indices.first,
              fits(waiters[index].lane, weight: waiters[index].weight) {
            let waiter = waiters.remove(at: index)
            inFlight += waiter.weight
            wakeups.granted.append(waiter.id)
        }
        return wakeups
    }
}
