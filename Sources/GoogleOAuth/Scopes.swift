/// The scopes gmail-tui asks for.
public enum OAuthScopes {
    public static let gmailReadonly = "https://www.googleapis.com/auth/gmail.readonly"
    public static let userinfoEmail = "https://www.googleapis.com/auth/userinfo.email"
    public static let userinfoProfile = "https://www.googleapis.com/auth/userinfo.profile"
    public static let all = [gmailReadonly, userinfoEmail, userinfoProfile]
    /// Changing mail: labels, read state, trash (never deleting or sending).
    public static let gmailModify = "https://www.googleapis.com/auth/gmail.modify"

    /// What to ask for to add `gmail.modify`: the defaults (the userinfo call needs its two), every scope
    /// already granted, and `gmail.modify`, each once.
    public static func withModify(_ granted: [String]) -> [String] {
        var scopes: [String] = []
        for scope in all + granted + [gmailModify] where !scopes.contains(scope) { scopes.append(scope) }
        return scopes
    }
}
