import Foundation
import MIME

/// Reads address and date headers as Gmail hands them over, through the MIME module's parsers.
public enum HeaderParsing {
    /// The addresses of a From/To/Cc value, display names RFC 2047-decoded.
    ///
    /// A display name written with no address (`From: =?koi8-r?B?...?=`) is kept, with an empty `email`.
    public static func addresses(_ value: String) -> [MailAddress] {
        MailAddressParser.parse(value).compactMap { entry in
            let email = entry.email.trimmingCharacters(in: .whitespaces)
            let name = entry.name?.trimmingCharacters(in: .whitespaces)
            guard !email.isEmpty || name?.isEmpty == false else { return nil }
            return MailAddress(name: name?.isEmpty == false ? name : nil, email: email)
        }
    }

    /// One address, or nil when the value holds none.
    public static func address(_ value: String) -> MailAddress? { addresses(value).first }

    /// An RFC 5322 date (`Tue, 13 Feb 2024 14:31:55 +0700`, comments and obsolete forms allowed).
    public static func date(_ value: String) -> Date? { RFC5322Date.parse(value) }
}
