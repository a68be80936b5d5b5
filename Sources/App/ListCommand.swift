import Foundation
import ArgumentParser
import HTTPCore
import GoogleOAuth
import MailService
import Logging

/// `gmail-tui list`: prints matching messages and exits.
struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print matching messages (id, date, from, subject) and exit.",
        discussion: "The table's columns are aligned in terminal columns; * before the sender marks an unread message. "
            + "--json prints every field instead.\n\n" + ExitStatus.help)

    /// The most a screenless command waits for Gmail, retries included.
    static let deadline: Duration = .seconds(90)

    @OptionGroup var options: GlobalOptions

    @Option(help: "Gmail search query, as in Gmail's search box.")
    var query = "is:unread"

    @Option(help: "At most this many messages.")
    var max = 50

    @Option(help: "Messages fetched per request (1 to 500).")
    var pageSize = 50

    @Flag(help: "Print JSON (one array of objects) instead of a table.")
    var json = false

    @Flag(help: "Answer from the local mail store only, with no request to Gmail.")
    var offline = false

    func validate() throws {
        guard max >= 1 else { throw ValidationError("--max must be at least 1") }
        guard (1...500).contains(pageSize) else { throw ValidationError("--page-size must be between 1 and 500") }
    }

    func run() async throws {
        let config = try Configuration(options)
        FileLogHandler.bootstrap(path: config.logPath)
        if offline {
            let stored = try offlineMessages(config)
            print(json ? Self.json(stored) : Self.table(stored), terminator: "")
            return
        }
        let services = try Services.make(config)
        let account = try services.storedAccount()
        let service = services.mailService(for: account, mailStore: config.mailStore(for: account) { printError("gmail-tui: \($0)") })
        var messages: [MessageSummary] = []
        let log = Logger(label: "gmail-tui.list")
        let (query, max, pageSize) = (self.query, self.max, self.pageSize)
        let outcome: Result<([MessageSummary], Date?), MailServiceError> = await RequestDeadline.$current.withValue(.now + Self.deadline) {
            var messages: [MessageSummary] = []
            var token: String? = nil
            var storedAt: Date? = nil
            do throws(MailServiceError) {
                repeat {
                    let page = try await service.page(query: query, pageToken: token, pageSize: min(pageSize, max - messages.count), cache: .reload)
                    // A page the store answered (Gmail unreachable) has the size it was listed with, not the one asked for.
                    messages += page.messages.prefix(max - messages.count)
                    storedAt = storedAt ?? page.storedAt
                    token = page.nextPageToken
                } while token != nil && messages.count < max
                return .success((messages, storedAt))
            } catch {
                return .failure(error)
            }
        }
        switch outcome {
        case .success(let (found, storedAt)):
            messages = found
            if let storedAt {
                // Said on standard error, as `--offline` says it: a script reading the output keeps working.
                printError("gmail-tui: Gmail cannot be reached; from the local mail store: Gmail listed these at \(ISO8601DateFormatter().string(from: storedAt)).")
            }
        case .failure(let error):
            log.error("list failed: \(error.logDetail)")
            if case .notFound = error {
                printError("gmail-tui: \(ErrorWords.listSentence(error, query: query))")
                throw ExitCode(CommandFailure.status(for: error))
            }
            throw CommandFailure.report(error)
        }
        // A header naming the columns for a reader; none for a script reading a pipe.
        print(json ? Self.json(messages) : Self.table(messages, header: isatty(STDOUT_FILENO) == 1), terminator: "")
    }

    static func table(_ messages: [MessageSummary], header: Bool = false) -> String { ListTable.render(messages, header: header) }

    static func json(_ messages: [MessageSummary]) -> String {
        let iso = ISO8601DateFormatter()
        let objects: [[String: Any]] = messages.map { m in
            var o: [String: Any] = ["id": m.id, "threadId": m.threadID, "from": m.from.email, "fromName": m.from.name ?? "",
                                    "subject": m.subject, "snippet": m.snippet, "unread": m.isUnread, "labelIds": m.labelIDs]
            o["date"] = m.date.map(iso.string(from:)) ?? NSNull()
            return o
        }
        let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
