/// A load under way: the prefetch ticket it runs under (0 for the foreground) and the task that brings it.
struct Load<Value: Sendable>: Sendable, Equatable {
    let ticket: Int
    let task: Task<Result<Value, MailServiceError>, Never>
}

/// The pages and messages in memory, and their loads under way.
struct LoadTables: Sendable {
    var pages: LoadTable<PageKey, MessagePage, Load<MessagePage>>
    var messages: LoadTable<String, MessageDetail, Load<MessageDetail>>
    /// Pages of conversations (`t`), keyed as pages of messages are.
    var conversationPages: LoadTable<PageKey, ConversationPage, Load<ConversationPage>>
    var conversations: LoadTable<String, Conversation, Load<Conversation>>

    init(pageCapacity: Int, messageCapacity: Int) {
        pages = LoadTable(capacity: pageCapacity)
        messages = LoadTable(capacity: messageCapacity)
        conversationPages = LoadTable(capacity: pageCapacity)
        // A conversation holds several messages: a quarter as many keeps memory near the messages' bound.
        conversations = LoadTable(capacity: max(1, messageCapacity / 4))
    }

    /// Forgets every cached value; returns the tickets of the loads `drop` stopped being joinable.
    mutating func invalidate(dropping drop: (Int) -> Bool) -> [Int] {
        pages.invalidate { drop($0.ticket) }.map(\.ticket) + messages.invalidate { drop($0.ticket) }.map(\.ticket)
            + conversationPages.invalidate { drop($0.ticket) }.map(\.ticket)
            + conversations.invalidate { drop($0.ticket) }.map(\.ticket)
    }
}

// One routine loads pages and messages, for requests and prefetches alike.
extension MailService {
    /// The value for `key` in `table`, for someone who waits for it: from memory or by joining a load
    /// under way when `cache` allows, else by a new load of `fetch` that others can join.
    func obtain<Key, Value>(_ table: WritableKeyPath<LoadTables, LoadTable<Key, Value, Load<Value>>>, _ key: Key,
                            _ cache: CachePolicy,
                            _ fetch: @escaping @Sendable (MailService, RequestLane) async throws(MailServiceError) -> Value)
        async -> Result<Value, MailServiceError> {
        if cache == .useCached {
            switch tables[keyPath: table].lookup(key) {
            case .cached(let value): return .success(value)
            case .loading(let load):
                joinedLoads += 1
                // Someone now waits for it: a prefetch's remaining requests go as foreground.
                perform(budget.promote(load.ticket))
                return await load.task.value
            case .absent: break
            }
        }
        budget.beginForeground()
        return await load(table, key, lane: .foreground, fetch)
    }

    /// Loads `key` into `table` ahead of its use, unless it is there or loading already; failures are
    /// dropped (the request that follows reports them).
    func prefetch<Key, Value>(_ table: WritableKeyPath<LoadTables, LoadTable<Key, Value, Load<Value>>>, _ key: Key,
                              _ fetch: @escaping @Sendable (MailService, RequestLane) async throws(MailServiceError) -> Value) async {
        guard !tables[keyPath: table].isKnown(key) else { return }
        let lane = RequestLane(ticket: nextTicket)
        nextTicket += 1
        _ = await load(table, key, lane: lane, fetch)
    }

    /// The one load routine: `fetch` on `lane`, joinable while it runs, cached when it succeeds (unless
    /// the caches were dropped meanwhile), and the budget told when it is over.
    private func load<Key, Value>(_ table: WritableKeyPath<LoadTables, LoadTable<Key, Value, Load<Value>>>, _ key: Key,
                                  lane: RequestLane,
                                  _ fetch: @escaping @Sendable (MailService, RequestLane) async throws(MailServiceError) -> Value)
        async -> Result<Value, MailServiceError> {
        let task = Task { () -> Result<Value, MailServiceError> in
            do throws(MailServiceError) { return .success(try await fetch(self, lane)) } catch { return .failure(error) }
        }
        let started = tables[keyPath: table].begin(key, Load(ticket: lane.ticket, task: task))
        let result = await task.value
        tables[keyPath: table].end(started, value: try? result.get())
        perform(budget.finish(lane))
        return result
    }
}
