/// What is known of one kind of thing the service loads (pages, messages): the values in memory, the
/// loads under way that a new request can join, and a generation that keeps a load begun before
/// `invalidate` out of the cache after it.
///
/// A plain value with no I/O. `Load` is whatever the caller waits on (in `MailService`, the prefetch
/// ticket and the task); the table only needs to tell one load from another.
struct LoadTable<Key: Hashable & Sendable, Value: Sendable, Load: Equatable & Sendable>: Sendable {
    /// What a request finds.
    enum Lookup {
        case cached(Value)
        /// Being loaded: wait for that load rather than start another.
        case loading(Load)
        case absent
    }

    /// Marks a load begun with `begin`, to be handed back to `end`.
    struct Started: Sendable {
        fileprivate let key: Key
        fileprivate let load: Load
        fileprivate let generation: Int
    }

    private var cache: LRUCache<Key, Value>
    private var loads: [Key: Load] = [:]
    private var generation = 0

    init(capacity: Int) { cache = LRUCache(capacity: capacity) }

    /// The cached value (now the most recently used), else the load under way, else nothing.
    mutating func lookup(_ key: Key) -> Lookup {
        if let value = cache.get(key) { return .cached(value) }
        if let load = loads[key] { return .loading(load) }
        return .absent
    }

    /// Whether `key` is cached or being loaded (a prefetch of it would be wasted).
    func isKnown(_ key: Key) -> Bool { cache.contains(key) || loads[key] != nil }

    func isCached(_ key: Key) -> Bool { cache.contains(key) }

    /// Records a load of `key` that later requests join; it replaces any load of `key` already recorded.
    mutating func begin(_ key: Key, _ load: Load) -> Started {
        loads[key] = load
        return Started(key: key, load: load, generation: generation)
    }

    /// The load `started` ended: it stops being joinable, and a value it brought is cached unless the
    /// table was invalidated since it began.
    mutating func end(_ started: Started, value: Value?) {
        if loads[started.key] == started.load { loads[started.key] = nil }
        if let value, started.generation == generation { cache.set(started.key, value) }
    }

    /// Changes every cached value in place (a label change applied to what is in memory).
    mutating func updateCached(_ change: (inout Value) -> Void) { cache.updateAll(change) }
    /// Puts a value brought by other means than a load (a sync's page) in memory.
    mutating func set(_ key: Key, _ value: Value) { cache.set(key, value) }

    /// Forgets every cached value; loads under way finish but are not cached. The loads for which
    /// `drop` is true stop being joinable at once, and are returned.
    mutating func invalidate(dropping drop: (Load) -> Bool) -> [Load] {
        cache.removeAll()
        generation += 1
        let dropped = loads.filter { drop($0.value) }
        for key in dropped.keys { loads[key] = nil }
        return Array(dropped.values)
    }
}
