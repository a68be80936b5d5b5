import Testing
@testable import MailService

/// Which stored rows a query's plain label terms still admit.
@Suite struct StoredQueryFilterTests {
    @Test func plainLabelTermsAreRequired() {
        let inbox = StoredQueryFilter(query: "in:inbox")
        #expect(inbox.keeps(["INBOX", "UNREAD"]))
        #expect(!inbox.keeps(["UNREAD"]), "archived")
        #expect(!inbox.keeps(["INBOX", "TRASH"]), "trashed: Gmail's lists leave trash out")
        let both = StoredQueryFilter(query: "is:unread In:Inbox from:ann")
        #expect(both.required == ["UNREAD", "INBOX"])
        #expect(!both.keeps(["INBOX"]))
    }

    @Test func whatLabelsCannotDecideKeepsTheRow() {
        for query in ["in:inbox OR is:starred", "-in:inbox", "{in:inbox is:starred}", "(in:inbox)", "\"in:inbox\"", "subject:lunch"] {
            #expect(StoredQueryFilter(query: query).keeps(["UNREAD"]), "\(query)")
        }
    }

    @Test func trashAndSpamListsKeepTheirRows() {
        #expect(StoredQueryFilter(query: "in:trash").keeps(["TRASH"]))
        #expect(!StoredQueryFilter(query: "in:trash").keeps(["INBOX"]), "untrashed")
        #expect(StoredQueryFilter(query: "in:anywhere lunch").keeps(["SPAM"]))
        #expect(!StoredQueryFilter(query: "").keeps(["SPAM"]))
    }

    @Test func aConversationIsJudgedByTheUnionOfItsLabels() {
        let inbox = StoredQueryFilter(query: "in:inbox")
        #expect(inbox.keepsConversation(["INBOX", "TRASH"]), "one message trashed says nothing of the others")
        #expect(!inbox.keepsConversation(["SENT"]))
    }
}
