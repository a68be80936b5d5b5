import Foundation

/// A small least-recently-used map: reading or writing a key makes it the newest; the oldest goes when full.
///
/// Capacities here are tens to hundreds of entries, so the recency order is a plain array.
struct LRUCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    let capacity: Int
    private var values: [Key: Value] = [:]
    /// Oldest first.
    private var order: [Key] = []

    init(capacity: Int) { self.capacity = max(0, capacity) }

    var count: Int { values.count }

    /// The value for `key`, now the most recently used.
    mutating func get(_ key: Key) -> Value? {
        guard let value = values[key] else { return nil }
        touch(key)
        return value
    }

    /// Stores `value`, dropping the least recently used entry when over capacity.
    mutating func set(_ key: Key, _ value: Value) {
        guard capacity > 0 else { return }
        if values.updateValue(value, forKey: key) != nil {
            touch(key)
        } else {
            order.append(key)
        }
        while order.count > capacity { values[order.removeFirst()] = nil }
    }

    func contains(_ key: Key) -> Bool { values[key] != nil }

    mutating func removeAll() { values = [:]; order = [] }

    /// Changes every value in place, without making any of them more recent.
    mutating func updateAll(_ change: (inout Value) -> Void) {
        for key in values.keys { change(&values[key]!) }
    }

    private mutating func touch(_ key: Key) {
        if let index = order.lastIndex(of: key) { order.remove(at: index) }
        order.append(key)
    }
}

/// What identifies a page: the query, where it starts, and how many it holds.
struct PageKey: Hashable, Sendable {
    var query: String
    var pageToken: String?
    var pageSize: Int
}

/// Who a request is for: the user waiting on the screen, or a guess about what they will want next.
///
/// Foreground requests are granted a slot before any waiting prefetch, no prefetch starts while a
/// foreground load is under way, and prefetches leave `RequestBudget.reserve` slots free, so a prefetch
/// never splits a wave of what the user is looking at. A prefetch whose result the user then asks for
/// is promoted.
struct RequestLane: Sendable, Hashable {
    /// 0 is the foreground; other numbers are prefetches until promoted.
    var ticket: Int
    static let foreground = RequestLane(ticket: 0)
}
