import Foundation
import ArgumentParser
import GoogleOAuth
import MailService

/// `gmail-tui list`: prints matching messages and exits.
struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print matching messages (id, date, from, subject) and exit.",
        discussion: "Exit status: 0 done, 77 authorization needed (run gmail-tui auth), 75 network or Google failure, 78 client secrets unusable.")

    @OptionGroup var options: GlobalOptions

    @Option(help: "Gmail search query, as in Gmail's search box.")
    var query = "is:unread"

    @Option(help: "At most this many messages.")
    var max = 50

    @Option(help: "Messages fetched per request (1 to 500).")
    var pageSize = 50

    @Flag(help: "Print JSON (one array of objects) instead of a table.")
    var json = false

    func validate() throws {
        guard max >= 1 else { throw ValidationError("--max must be at least 1") }
        guard (1...500).contains(pageSize) else { throw ValidationError("--page-size must be between 1 and 500") }
    }

    func run() async throws {
        let config = try Configuration(options)
        FileLogHandler.bootstrap(path: config.logPath)
        let services = try Services.make(config)
        let account = try services.storedAccount()
        let service = services.mailService(for: account)
        var messages: [MessageSummary] = []
        var token: String? = nil
        do throws(MailServiceError) {
            repeat {
                let page = try await service.page(query: query, pageToken: token, pageSize: min(pageSize, max - messages.count))
                messages += page.messages
                token = page.nextPageToken
            } while token != nil && messages.count < max
        } catch {
            switch error {
            case .reauthorizationRequired(let email, _):
                printError("gmail-tui: Google no longer accepts the saved authorization for \(email). Run: gmail-tui auth --account \(email)")
                throw ExitCode(ExitStatus.noAuthorization)
            default:
                printError("gmail-tui: \(error)")
                throw ExitCode(ExitStatus.temporary)
            }
        }
        print(json ? Self.json(messages) : Self.table(messages), terminator: "")
    }

    static func table(_ messages: [MessageSummary]) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return messages.map { m in
            let date = m.date.map(formatter.string(from:)) ?? "-"
            // One message, one line: a TAB or CR in a header prints as a space (`--json` keeps the text).
            return "\(m.id)  \(date)  \(m.isUnread ? "*" : " ") \(OneLine.display(m.from.displayName))  \(OneLine.display(m.subject))\n"
        }.joined()
    }

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
