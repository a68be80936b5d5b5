/// The scopes gmail-tui asks for.
public enum OAuthScopes {
    public static let gmailReadonly = "https://www.googleapis.com/auth/gmail.readonly"
    public static let userinfoEmail = "https://www.googleapis.com/auth/userinfo.email"
    public static let userinfoProfile = "https://www.googleapis.com/auth/userinfo.profile"
    public static let all = [gmailReadonly, userinfoEmail, userinfoProfile]
}
