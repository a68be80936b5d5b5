import Foundation
import Testing
import MailStore

/// Labels in the store: a listing and when it was made, read back in order; counts moved by triage.
@Suite struct LabelTests {
    static let listing = [
        StoredLabel(id: "INBOX", name: "INBOX", type: "system", messagesTotal: 120, messagesUnread: 7, threadsTotal: 100, threadsUnread: 6),
        StoredLabel(id: "UNREAD", name: "UNREAD", type: "system", messagesTotal: 9, messagesUnread: 9),
        StoredLabel(id: "SENT", name: "SENT", type: "system"),
        StoredLabel(id: "Label_1", name: "家族/旅行 ✈️", type: "user", messagesTotal: 3, messagesUnread: 0),
    ]

    @Test func aListingIsReadBackInOrderWithWhenGmailGaveIt() throws {
        try withCacheFolder { folder in
            let store = try MailStore(cacheDirectory: folder, userID: userID)
            #expect(try store.labels().isEmpty)
            #expect(try store.labelsFetchedAt() == nil)
            let at = gmailDate(1_700_000_123_456)
            try store.saveLabelList(Self.listing, fetchedAt: at)
            #expect(try store.labels() == Self.listing)
            #expect(try store.labelsFetchedAt() == at)
            // A later listing without a label: it was deleted in Gmail.
            try store.saveLabelList(Array(Self.listing.prefix(3)), fetchedAt: at.addingTimeInterval(60))
            #expect(try store.labels().map(\.id) == ["INBOX", "UNREAD", "SENT"])
            #expect(try store.labelsFetchedAt() == at.addingTimeInterval(60))
            // Read back by another instance, as the next start does.
            let again = try MailStore(cacheDirectory: folder, userID: userID)
            #expect(try again.labels() == Array(Self.listing.prefix(3)))
        }
    }

    @Test func oneLabelsFreshCountsKeepItsPlaceAndADeletedOneGoes() throws {
        try withCacheFolder { folder in
            let store = try MailStore(cacheDirectory: folder, userID: userID)
            try store.saveLabelList(Self.listing, fetchedAt: gmailDate(1_700_000_000_000))
            var inbox = Self.listing[0]
            inbox.messagesUnread = 6
            try store.saveLabel(inbox)
            try store.deleteLabel(id: "Label_1")
            #expect(try store.labels() == [inbox] + Self.listing[1...2])
        }
    }

    @Test func countsMoveByTriageNeverBelowZeroAndUnknownOnesStayUnknown() throws {
        try withCacheFolder { folder in
            let store = try MailStore(cacheDirectory: folder, userID: userID)
            try store.saveLabelList(Self.listing, fetchedAt: gmailDate(1_700_000_000_000))
            // One message read, one archived.
            try store.adjustLabelCounts(total: ["INBOX": -1, "UNREAD": -1, "SENT": 1, "Label_1": -5],
                                        unread: ["INBOX": -1, "UNREAD": -1, "Label_1": -1, "Nowhere": 1])
            let labels = try store.labels()
            #expect(labels[0].messagesTotal == 119 && labels[0].messagesUnread == 6)
            #expect(labels[0].threadsTotal == 100, "thread counts are Gmail's to give")
            #expect(labels[1].messagesTotal == 8 && labels[1].messagesUnread == 8)
            #expect(labels[2].messagesTotal == nil && labels[2].messagesUnread == nil)
            #expect(labels[3].messagesTotal == 0 && labels[3].messagesUnread == 0)
            #expect(labels.count == 4, "no label is made up")
        }
    }
}
