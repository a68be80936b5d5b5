import Foundation
import GmailAPI
import HTTPCore

// The bytes of an attached file, for saving or opening it (`v` in the message view).
extension MailService {
    /// The decoded bytes of one attachment of message `messageID`.
    ///
    /// With an `attachmentID`, one `messages.attachments.get`. Gmail's attachment ids are not stable from one
    /// `messages.get` to the next, so when that one is refused, or when the part's bytes were in the message
    /// itself (no `attachmentID`), the message is fetched again (`format=full`) and the part found by its
    /// `partID`. Foreground requests of the request budget, like the message itself.
    public func attachmentData(messageID: String, attachment: AttachmentSummary) async throws(MailServiceError) -> Data {
        let gmail = self.gmail
        budget.beginForeground()
        defer { perform(budget.finish(.foreground)) }
        if let attachmentID = attachment.attachmentID {
            do throws(MailServiceError) {
                return try await attachmentBody(messageID: messageID, attachmentID: attachmentID)
            } catch {
                // A stale id: find the part again below. Anything else (offline, no grant) is the answer.
                guard attachment.partID != nil, Self.mayBeStaleAttachmentID(error) else { throw error }
            }
        }
        guard let partID = attachment.partID else {
            throw .api(status: 404, message: "Gmail has no address for this attachment on its own (it may be inside a forwarded message)")
        }
        let message = try await call { token throws(GmailError) in
            try await gmail.messagesGet(MessagesGetParameters(id: messageID, format: .full), accessToken: token)
        }
        guard let part = message.payload?.part(withID: partID), let body = part.body else { throw .notFound }
        if body.data != nil {
            guard let data = body.decodedData else { throw .badAnswer("Gmail sent an attachment that cannot be decoded", detail: "part \(partID)") }
            return data
        }
        guard let fresh = body.attachmentId else { return Data() }
        return try await attachmentBody(messageID: messageID, attachmentID: fresh)
    }

    private func attachmentBody(messageID: String, attachmentID: String) async throws(MailServiceError) -> Data {
        let gmail = self.gmail
        let body = try await call { token throws(GmailError) in
            try await gmail.attachmentsGet(AttachmentsGetParameters(messageId: messageID, id: attachmentID), accessToken: token)
        }
        guard let encoded = body.data else { return Data() }
        guard let data = Base64URL.decode(encoded) else {
            throw .badAnswer("Gmail sent an attachment that cannot be decoded", detail: "attachment of \(messageID)")
        }
        return data
    }

    /// Gmail answers an attachment id it no longer knows with 400 "Invalid attachment token" (or 404).
    static func mayBeStaleAttachmentID(_ error: MailServiceError) -> Bool {
        switch error {
        case .notFound: return true
        case .api(let status, _): return status == 400
        default: return false
        }
    }
}
