/// Whether a page or message may come from memory.
public enum CachePolicy: Sendable, Equatable {
    /// From memory when it was fetched or prefetched before, or by joining its load under way;
    /// otherwise from Gmail (and then kept).
    case useCached
    /// From Gmail whatever is in memory; the answer replaces what was kept.
    case reload
}
