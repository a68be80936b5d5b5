import Foundation
import GoogleOAuth
import MailService
import MailUI

// The account list's effects: reading the stored accounts, switching the runner to another account (its own
// service and local store), and the authorization that adds an account.
extension EffectRunner {
    func runAccounts(_ effect: BrowserEffect) async -> BrowserEvent? {
        switch effect {
        case .loadAccounts:
            do {
                return .accountsLoaded(try services.store.load().accounts.map(Self.entry))
            } catch {
                return .accountsFailed(ErrorWords.sentence(for: error))
            }
        case .switchAccount(let email, let query, let token, let size):
            return await switchAccount(email: email, query: query, pageToken: token, pageSize: size)
        case .addAccount:
            // Google's account chooser, and its consent screen so that the new grant comes with a refresh token.
            let current: AuthorizationSession
            do {
                current = try AuthorizationSession(services: services, loginHint: nil, forceConsent: true, selectAccount: true)
            } catch {
                return .authorizationFailed("Could not listen on 127.0.0.1 for the browser (\(error)); paste the code instead.")
            }
            install(current)
            return .authorizationNeeded(url: current.url, email: nil, reason: nil)
        default:
            return nil
        }
    }

    static func entry(_ c: Credentials) -> AccountEntry {
        AccountEntry(userID: c.userID, email: c.email, canModify: ModifyScope.isGranted(in: c.scopes), authorized: c.refreshToken != nil)
    }

    /// Serves the stored account `email` from now on: the service in use when it is already that account's,
    /// else a new one with the account's own local store. The account becomes the one used last (the default
    /// of the next run); the answer carries the stored page of the list the browser will show for it.
    private func switchAccount(email: String, query: String, pageToken: String?, pageSize: Int) async -> BrowserEvent {
        let stored: Credentials?
        do { stored = try services.store.account(email: email) } catch {
            return .accountSwitchFailed(email: email, message: ErrorWords.sentence(for: error))
        }
        guard let credentials = stored else {
            return .accountSwitchFailed(email: email, message: "\(email) is no longer stored; + adds it again")
        }
        var service: MailService?
        var storeNotice: String?
        if let current = currentMail(), await current.account.userID == credentials.userID {
            service = current
        } else if credentials.refreshToken != nil {
            // Without a refresh token there is nothing to serve: the first page asks for authorization.
            let mailStore = services.config.mailStore(for: credentials) { _ in
                storeNotice = "The local mail store of \(credentials.email) cannot be used as it was; the log says why"
            }
            if let moved = mailStore?.notice {
                storeNotice = "The local mail store was moved aside and is rebuilt from Gmail: \(moved.reason)"
            }
            service = services.mailService(for: credentials, mailStore: mailStore)
        }
        serve(service, email: credentials.email)
        do { try services.store.markUsed(userID: credentials.userID) } catch {
            logWarning("could not mark \(credentials.email) used last: \(error)")
        }
        // Before the answer, so that the new list is shown with its own grant.
        emit(.modifyPermission(ModifyScope.isGranted(in: credentials.scopes)))
        let page = service?.storedPage(query: query, pageToken: pageToken, pageSize: pageSize)
        return .accountSwitched(AccountSwitch(email: credentials.email, stored: page, storeNotice: storeNotice,
                                              labels: service?.storedLabels()))
    }
}

extension BrowserEffect {
    /// True for the effects whose answer is about one account's mail (dropped once another account is served).
    var isAccountBound: Bool {
        switch self {
        case .fetchPage, .sync, .fetchMessage, .fetchLabels, .changeMail, .loadLabelChoices,
             .fetchConversationPage, .fetchConversation, .syncConversations:
            return true
        default:
            return false
        }
    }
}
