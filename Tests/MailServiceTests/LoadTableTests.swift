import Testing
@testable import MailService

/// The cache and in-flight join that pages and messages share, with loads named by numbers (no tasks).
@Suite struct LoadTableTests {
    typealias Table = LoadTable<String, String, Int>

    static func value(_ lookup: Table.Lookup) -> String? {
        if case .cached(let value) = lookup { return value }
        return nil
    }

    static func load(_ lookup: Table.Lookup) -> Int? {
        if case .loading(let load) = lookup { return load }
        return nil
    }

    @Test func aLoadIsJoinableUntilItEndsAndThenCached() {
        var table = Table(capacity: 4)
        #expect(!table.isKnown("a"))
        let started = table.begin("a", 1)
        #expect(table.isKnown("a"))
        #expect(!table.isCached("a"))
        #expect(Self.load(table.lookup("a")) == 1)
        table.end(started, value: "A")
        #expect(Self.value(table.lookup("a")) == "A")
        #expect(table.isCached("a"))
    }

    @Test func aFailedLoadLeavesNothingBehind() {
        var table = Table(capacity: 4)
        let started = table.begin("a", 1)
        table.end(started, value: nil)
        #expect(!table.isKnown("a"))
        if case .absent = table.lookup("a") {} else { Issue.record("a failed load must not be found") }
    }

    @Test func aLoadStartedBeforeInvalidationIsNotCachedAfterIt() {
        var table = Table(capacity: 4)
        let old = table.begin("a", 1)
        #expect(table.invalidate { _ in false } == [])
        // Still joinable (nobody dropped it), but what it brings is stale.
        #expect(Self.load(table.lookup("a")) == 1)
        table.end(old, value: "stale")
        #expect(!table.isKnown("a"))
    }

    @Test func invalidationDropsTheLoadsItIsToldToAndForgetsValues() {
        var table = Table(capacity: 4)
        table.end(table.begin("cached", 1), value: "C")
        _ = table.begin("prefetch", 7)
        _ = table.begin("request", 0)
        #expect(table.invalidate { $0 != 0 } == [7])
        #expect(!table.isKnown("cached"))
        #expect(!table.isKnown("prefetch"))
        #expect(Self.load(table.lookup("request")) == 0)
    }

    @Test func aNewerLoadOfTheSameKeyIsNotEndedByTheOlderOne() {
        var table = Table(capacity: 4)
        let older = table.begin("a", 1)
        let newer = table.begin("a", 2)
        table.end(older, value: "old")
        // The older load's value is cached, yet the newer one stays joinable until it ends.
        #expect(Self.value(table.lookup("a")) == "old")
        #expect(table.isKnown("a"))
        table.end(newer, value: "new")
        #expect(Self.value(table.lookup("a")) == "new")
    }

    @Test func theLeastRecentlyUsedValueGoesFirst() {
        var table = Table(capacity: 2)
        table.end(table.begin("a", 1), value: "A")
        table.end(table.begin("b", 2), value: "B")
        _ = table.lookup("a")
        table.end(table.begin("c", 3), value: "C")
        #expect(table.isCached("a"))
        #expect(!table.isCached("b"))
        #expect(table.isCached("c"))
    }
}
