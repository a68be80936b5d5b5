import Foundation
import GoogleOAuth
import GmailAPI

/// What the UI asks for (to be built).
public actor MailService {
    public init() {}
}
