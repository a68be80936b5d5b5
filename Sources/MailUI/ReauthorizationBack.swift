import Foundation
import MailModels

// Esc on the authorization screen of an account the user switched to, whose grant Google no longer
// accepts: back to the account the user came from (its list as it was left), instead of quitting the
// browser while another stored account still works. With no switch made, Esc quits as before.
extension BrowserState {
    /// The account `Esc` on the authorization screen goes back to; nil when `Esc` quits there.
    /// Only a re-authorization of the account switched to qualifies: not the permission screen, not `+`.
    public var reauthorizationReturn: String? {
        guard screen == .authorization, let a = authorization, a.permission == nil, !a.addingAccount,
              let from = accounts.switchedFrom, let account,
              from.caseInsensitiveCompare(account) != .orderedSame else { return nil }
        // The runner names the account served; an empty name (no grant stored) is that account too.
        let who = a.email ?? ""
        guard who.isEmpty || who.caseInsensitiveCompare(account) == .orderedSame else { return nil }
        return from
    }

    /// Leaves the re-authorization for `email`: the attempt's listener stops, the requests waiting for the
    /// grant are dropped (they belong to the account left), and the runner is asked to serve `email` again
    /// on the list it had (`accountSwitched` draws it).
    mutating func leaveReauthorization(to email: String) -> [BrowserEffect] {
        authorization = nil
        pendingRetries = []
        list.pending = nil
        screens = [.list]
        let effects: [BrowserEffect] = [.cancelAuthorization] + beginSwitch(to: email)
        accounts.returning = true
        list.notice = "Back to \(email)…"
        return effects
    }

    /// Called by `accountSwitched` before the account changes: which account a later lost grant goes back to.
    /// After going back from a lost grant, that account is not offered again (its grant is known gone).
    mutating func noteSwitch(from old: String?, to new: String) {
        defer { accounts.returning = false }
        guard !accounts.returning, let old, old.caseInsensitiveCompare(new) != .orderedSame else {
            if accounts.returning { accounts.switchedFrom = nil }
            return
        }
        accounts.switchedFrom = old
    }
}
