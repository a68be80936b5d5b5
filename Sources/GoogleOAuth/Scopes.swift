/// The scopes gmail-tui asks for.
public enum OAuthScopes {
    public static let gmailReadonly = "https://www.googleapis.com/auth/gmail.readonly"
    public static let userinfoEmail = "https://www.googleapis.com/auth/userinfo.email"
    public static let userinfoProfile = "https://www.googleapis.com/auth/userinfo.profile"
    public static let all = [gmailReadonly, userinfoEmail, userinfoProfile]
    /// Changing mail: labels, read state, trash (never deleting or sending).
    public static let gmailModify = "https://www.googleapis.com/auth/gmail.modify"

    /// What to ask for when `granted` (empty: unknown, so the defaults) must be kept and `gmail.modify` added.
    public static func withModify(_ granted: [String]) -> [String] {
        let base = granted.isEmpty ? all : granted
        return base.contains(gmailModify) ? base : base + [gmailModify]
    }
}
