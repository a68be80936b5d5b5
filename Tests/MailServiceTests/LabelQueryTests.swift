import Testing
import MailService

/// Which stored rows a query's plain label terms still admit.
@Suite struct LabelQueryTests {
    @Test func plainLabelTermsAreRequired() {
        let inbox = LabelQuery(query: "in:inbox")
        #expect(inbox.keeps(["INBOX", "UNREAD"]))
        #expect(!inbox.keeps(["UNREAD"]), "archived")
        #expect(!inbox.keeps(["INBOX", "TRASH"]), "trashed: Gmail's lists leave trash out")
        let both = LabelQuery(query: "is:unread In:Inbox from:ann")
        #expect(both.required == ["UNREAD", "INBOX"])
        #expect(!both.keeps(["INBOX"]))
    }

    @Test func whatLabelsCannotDecideKeepsTheRow() {
        for query in ["in:inbox OR is:starred", "-in:inbox", "{in:inbox is:starred}", "(in:inbox)", "\"in:inbox\"", "subject:lunch"] {
            #expect(LabelQuery(query: query).keeps(["UNREAD"]), "\(query)")
        }
    }

    @Test func trashAndSpamListsKeepTheirRows() {
        #expect(LabelQuery(query: "in:trash").keeps(["TRASH"]))
        #expect(!LabelQuery(query: "in:trash").keeps(["INBOX"]), "untrashed")
        #expect(LabelQuery(query: "in:anywhere lunch").keeps(["SPAM"]))
        #expect(!LabelQuery(query: "").keeps(["SPAM"]))
    }

    @Test func aConversationIsJudgedByTheUnionOfItsLabels() {
        let inbox = LabelQuery(query: "in:inbox")
        #expect(inbox.keepsConversation(["INBOX", "TRASH"]), "one message trashed says nothing of the others")
        #expect(!inbox.keepsConversation(["SENT"]))
    }
}

/// Which lists a triaged row leaves on screen.
@Suite struct RemovesFromListTests {
    @Test func archiveLeavesTheListsWhereMailIsTriagedOnly() {
        for query in ["in:inbox", "is:unread", "from:ann lunch", "label:inbox is:unread"] {
            #expect(MailAction.archive.removesFromList(query), "\(query)")
        }
        for query in ["", "in:anywhere", "label:work", "is:starred", "in:sent", "label:Projects-Alpha"] {
            #expect(!MailAction.archive.removesFromList(query), "\(query)")
        }
    }

    @Test func trashLeavesEveryListButTheTrashs() {
        #expect(MailAction.trash.removesFromList(""))
        #expect(MailAction.trash.removesFromList("label:work"))
        #expect(!MailAction.trash.removesFromList("in:trash"))
        #expect(!MailAction.star.removesFromList("in:inbox"))
    }
}
