/// The slots of Gmail's per-user concurrency that one account's requests share, and who gets them.
///
/// A plain value with no I/O, in the manner of async-http-client's connection-pool state machines:
/// each event (a request asks for slots, one completes, a load begins or finishes, a prefetch is promoted
/// or abandoned) returns the actions it calls for, and `MailService` only performs them (it resumes the
/// parked request an `.admit` or `.refuse` names). Tests feed events and compare actions.
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
    /// What the caller does after an event.
    enum Action: Sendable, Equatable {
        /// Request `id` holds its slots now: send it.
        case admit(Int)
        /// Request `id` waits until a later event admits or refuses it.
        case queue(Int)
        /// Request `id` belongs to a prefetch nobody will use: never send it.
        case refuse(Int)
        /// Gmail answered 429: the limit is now this.
        case shrink(to: Int)
        /// Enough requests succeeded in a row: the limit is now this.
        case grow(to: Int)
    }

    /// How a request that held slots ended, as far as the limit cares.
    enum Completion: Sendable, Equatable { case succeeded, rateLimited, failed }

    /// A request parked until it may go.
    private struct Waiter: Sendable, Equatable {
        let id: Int
        let lane: RequestLane
        let weight: Int
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

    // MARK: - Events

    /// Request `id` asks for `weight` slots: admitted when it fits and nobody it must yield to is
    /// waiting, refused when its prefetch was abandoned, otherwise queued.
    mutating func request(id: Int, lane: RequestLane, weight: Int) -> [Action] {
        if abandoned.contains(lane.ticket) { return [.refuse(id)] }
        let foreground = isForeground(lane)
        let yields = waiters.contains { !foreground || isForeground($0.lane) }
        if !yields, fits(lane, weight: weight) {
            inFlight += weight
            return [.admit(id)]
        }
        waiters.append(Waiter(id: id, lane: lane, weight: weight))
        return [.queue(id)]
    }

    /// A request that held `weight` slots came back: the limit shrinks on a rate limit and grows after
    /// `limit` successes in a row (up to `ceiling`), and the freed slots go to the waiters that now fit.
    mutating func complete(weight: Int, _ completion: Completion) -> [Action] {
        inFlight = max(0, inFlight - weight)
        var actions: [Action] = []
        switch completion {
        case .rateLimited:
            limit = max(1, limit / 2)
            successesSinceIncrease = 0
            actions.append(.shrink(to: limit))
        case .succeeded where limit < ceiling:
            successesSinceIncrease += 1
            if successesSinceIncrease >= limit {
                limit += 1
                successesSinceIncrease = 0
                actions.append(.grow(to: limit))
            }
        case .succeeded, .failed:
            break
        }
        return actions + grant()
    }

    /// A foreground load starts: prefetches wait until it (and every other one) has finished.
    /// Nobody is woken by it, so there is nothing to do.
    mutating func beginForeground() { foregroundLoads += 1 }

    /// A load of `lane` finished, with all its requests: a foreground one may let prefetches go again.
    mutating func finish(_ lane: RequestLane) -> [Action] {
        if lane.ticket == 0 {
            foregroundLoads = max(0, foregroundLoads - 1)
        } else {
            promoted.remove(lane.ticket)
            abandoned.remove(lane.ticket)
        }
        return grant()
    }

    /// Someone now waits for prefetch `ticket`: its remaining requests go as foreground.
    mutating func promote(_ ticket: Int) -> [Action] {
        guard ticket != 0 else { return [] }
        promoted.insert(ticket)
        abandoned.remove(ticket)
        return grant()
    }

    /// Prefetches whose results will be thrown away: their parked requests are refused, and so are later ones.
    mutating func abandon(_ tickets: some Sequence<Int>) -> [Action] {
        let stale = Set(tickets.filter { isAbandonable($0) })
        abandoned.formUnion(stale)
        let refused = waiters.filter { stale.contains($0.lane.ticket) }.map { Action.refuse($0.id) }
        waiters.removeAll { stale.contains($0.lane.ticket) }
        return refused + grant()
    }

    /// Gives slots to the waiters that fit: foreground ones first, in arrival order.
    private mutating func grant() -> [Action] {
        var admitted: [Action] = []
        while let index = waiters.firstIndex(where: { isForeground($0.lane) }) ?? waiters.indices.first,
              fits(waiters[index].lane, weight: waiters[index].weight) {
            let waiter = waiters.remove(at: index)
            inFlight += waiter.weight
            admitted.append(.admit(waiter.id))
        }
        return admitted
    }
}
