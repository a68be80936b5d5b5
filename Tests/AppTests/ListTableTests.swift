import Foundation
import Testing
import MailService
import TerminalCells
@testable import App

@Suite struct ListTableTests {
    func summary(_ id: String, from: String, subject: String, unread: Bool) -> MessageSummary {
        MessageSummary(id: id, threadID: id, from: MailAddress(name: from, email: "x@example.com"), subject: subject,
                       date: Date(timeIntervalSince1970: 1_795_000_000), snippet: "", isUnread: unread, labelIDs: [])
    }

    /// The terminal column where `subject` starts on `line`.
    func column(of subject: String, in line: Substring) -> Int? {
        guard let range = line.range(of: subject) else { return nil }
        return TextLayout.width(String(line[..<range.lowerBound]))
    }

    @Test func subjectsStartInOneTerminalColumnWhateverTheSendersWidth() {
        let messages = [summary("a1", from: "山田太郎", subject: "会議", unread: true),
                        summary("bb22", from: "Ann", subject: "Lunch", unread: false),
                        summary("c3", from: "Party Bot 🎉", subject: "Cake\tnow", unread: false)]
        let lines = ListTable.render(messages, header: true).split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0].contains("(* marks unread)"))
        let columns = [column(of: "SUBJECT", in: lines[0]), column(of: "会議", in: lines[1]),
                       column(of: "Lunch", in: lines[2]), column(of: "Cake now", in: lines[3])]
        #expect(Set(columns).count == 1 && columns[0] != nil, "\(columns) \(lines)")
        #expect(lines[1].contains("* 山田太郎") && lines[2].contains("  Ann"))
        // Without a header (a pipe), one line per message and nothing else.
        #expect(ListTable.render(messages, header: false).split(separator: "\n").count == 3)
    }

    @Test func aLongSenderIsShortenedSoTheSubjectStillShows() {
        let long = String(repeating: "Very Long Sender Name ", count: 4)
        let line = ListTable.render([summary("a", from: long, subject: "Hi", unread: false)], header: false)
        #expect(line.contains("…  Hi"))
        #expect(TextLayout.width(line) < 80)
    }
}
