import Foundation
import ArgumentParser
import HTTPCore
import GoogleOAuth
import MailService
import MailStore
import Logging

extension Configuration {
    /// The account's local store, nil with `--no-cache`. A store moved aside (corrupt, or from a newer
    /// version) is logged and told to `report`; one that cannot be opened at all is too, and the
    /// client runs without it.
    func mailStore(for account: Credentials, report: ((String) -> Void)?) -> MailStore? {
        guard !noCache else { return nil }
        let log = Logger(label: "gmail-tui.store")
        do {
            let store = try openMailStore(userID: account.userID)
            if let notice = store.notice {
                log.warning("\(notice.description)")
                report?(notice.description)
            }
            return store
        } catch {
            log.error("local mail store not opened: \(error)")
            report?("The local mail store cannot be used (\(error)); going on without it.")
            return nil
        }
    }

    /// Opens the account's store in the cache folder, bounded by `cache_size_mb`: the one place a store is opened.
    func openMailStore(userID: String) throws(MailStoreError) -> MailStore {
        try MailStore(cacheDirectory: cacheDirectory, userID: userID, sizeLimit: settings.cacheSizeMB * 1024 * 1024)
    }
}

/// `gmail-tui sync`: brings the local store up to date without a screen.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Bring the local mail store up to date without a screen (for cron); progress on standard error.",
        discussion: ExitStatus.help)

    @OptionGroup var options: GlobalOptions

    @Option(help: "Gmail search query whose pages are synced.")
    var query = "is:unread"

    @Option(help: "How many pages of the query to sync.")
    var pages = 1

    @Option(help: "Messages per page (1 to 500).")
    var pageSize = 50

    func validate() throws {
        guard pages >= 1 else { throw ValidationError("--pages must be at least 1") }
        guard (1...500).contains(pageSize) else { throw ValidationError("--page-size must be between 1 and 500") }
    }

    func run() async throws {
        let config = try Configuration(options)
        guard !config.noCache else {
            throw ValidationError("sync writes the local mail store, which --no-cache (or GMAIL_TUI_NO_CACHE=1) turns off")
        }
        FileLogHandler.bootstrap(path: config.logPath)
        let services = try Services.make(config)
        let account = try services.storedAccount()
        let store: MailStore
        do {
            store = try config.openMailStore(userID: account.userID)
        } catch {
            printError("gmail-tui: the local mail store cannot be used: \(error)")
            throw ExitCode(Self.status(for: error))
        }
        if let notice = store.notice { printError("gmail-tui: \(notice.description)") }
        let service = services.mailService(for: account, mailStore: store)
        let (query, pages, pageSize) = (self.query, self.pages, self.pageSize)
        let outcome: Result<Void, MailServiceError> = await RequestDeadline.$current.withValue(.now + List.deadline) {
            var token: String?
            do throws(MailServiceError) {
                for number in 1...pages {
                    let result = try await service.sync(query: query, pageToken: token, pageSize: pageSize)
                    let how = result.resynced ? " (full resync)" : ""
                    printError("Synced page \(number) of \(query.isEmpty ? "all mail" : query): \(result.page.messages.count) messages, "
                               + "\(result.newMessageIDs.count) new\(how).")
                    token = result.page.nextPageToken
                    if token == nil { break }
                }
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        if case .failure(let error) = outcome {
            Logger(label: "gmail-tui.sync").error("sync failed: \(error.logDetail)")
            throw CommandFailure.report(error)
        }
    }

    /// 75 when another instance holds the store (try again), 78 when the folder or file cannot be made.
    static func status(for error: MailStoreError) -> Int32 {
        switch error {
        case .locked, .unusable, .database: return ExitStatus.temporary
        case .io, .invalidUserID: return ExitStatus.config
        }
    }
}

extension List {
    /// `list --offline`: the stored pages of the query, no request; a clear message when none is stored.
    func offlineMessages(_ config: Configuration) throws -> [MessageSummary] {
        guard !config.noCache else {
            throw ValidationError("--offline reads the local mail store, which --no-cache (or GMAIL_TUI_NO_CACHE=1) turns off")
        }
        let credentials = FileCredentialStore(path: config.credentialsPath)
        guard let account = try CommandFailure.load({ try credentials.account(email: config.account) }) else {
            printError("gmail-tui: no stored account\(config.account.map { " for \($0)" } ?? ""), so no local mail store. Run: gmail-tui auth")
            throw ExitCode(ExitStatus.noAuthorization)
        }
        let store: MailStore
        do {
            store = try config.openMailStore(userID: account.userID)
        } catch {
            printError("gmail-tui: the local mail store cannot be used: \(error)")
            throw ExitCode(SyncCommand.status(for: error))
        }
        var messages: [MessageSummary] = []
        var token: String?
        var listedAt: Date?
        repeat {
            guard let page = MailService.storedPage(in: store, query: query, pageToken: token) else { break }
            messages += page.messages.prefix(max - messages.count)
            listedAt = listedAt ?? page.storedAt
            token = page.nextPageToken
        } while token != nil && messages.count < max
        guard let listedAt else {
            printError("gmail-tui: nothing is stored for the query \"\(query)\" of \(account.email). "
                       + "Run gmail-tui sync --query '\(query)' (or list without --offline) while online first.")
            throw ExitCode.failure
        }
        let formatter = ISO8601DateFormatter()
        printError("From the local mail store: Gmail listed these at \(formatter.string(from: listedAt)).")
        return messages
    }
}
