import Foundation
import Testing
@testable import MIME

/// A tree shaped like the one the Gmail client rebuilds from a `format=full` payload: attachment
/// bodies stay on Gmail's side (`attachmentId`), so only their size is known, and an attached
/// message keeps its parsed inner message as the single child part.
func gmailShaped(_ entity: MIMEEntity) -> MIMEEntity {
    var copy = entity
    copy.parts = entity.parts.map(gmailShaped)
    if entity.isAttachment || entity.isAttachedMessage {
        copy.knownSize = entity.body.count
        copy.body = Data()
    }
    return copy
}

private func rendered(_ path: String) -> RenderedMessage { MessageRenderer.render(MIMEParser.parse(Corpus.data(path))) }

@Suite struct CorpusTests {
    /// Files with no readable text: empty parts, attachments only, or headers only.
    static let withoutText: Set<String> = [
        "cpython-test_email/msg_08.txt", "cpython-test_email/msg_09.txt", "cpython-test_email/msg_12.txt",
        "cpython-test_email/msg_12a.txt", "cpython-test_email/msg_18.txt", "cpython-test_email/msg_24.txt",
        "enmime/mail/attachment-only-inline.raw", "enmime/mail/attachment-only-no-disposition.raw",
        "enmime/mail/attachment-only.raw", "enmime/mail/header-only.raw",
        "enmime/parts/barren-content-type.raw", "enmime/parts/chardet-fail-non-txt.raw", "enmime/parts/chardet-fail.raw",
        "enmime/parts/header-only.raw", "enmime/parts/malformed-content-type-params.raw",
        "enmime/parts/missing-closing-param-quote.raw", "enmime/parts/unquoted-ctype-param-special.raw",
    ]

    @Test func corpusIsComplete() {
        #expect(Corpus.files.count == 259)
        #expect(FileManager.default.fileExists(atPath: Corpus.root.appendingPathComponent("README.md").path))
    }

    @Test func everyMessageRendersDirectlyAndAsAGmailPayload() {
        var empty: Set<String> = []
        for path in Corpus.files {
            let entity = MIMEParser.parse(Corpus.data(path))
            let direct = MessageRenderer.render(entity)
            let viaGmail = MessageRenderer.render(gmailShaped(entity))
            #expect(!direct.text.isEmpty, "\(path)")
            #expect(!direct.text.contains("\r"), "\(path)")
            #expect(viaGmail.attachments == direct.attachments, "\(path)")
            // Inline text files are shown from their body, which Gmail keeps behind an attachmentId.
            if !direct.attachments.contains(where: { $0.mimeType.hasPrefix("text/") }) {
                #expect(viaGmail.text == direct.text, "\(path)")
            }
            if direct.text == MessageRenderer.noTextContent { empty.insert(path) }
        }
        #expect(empty == Self.withoutText)
    }

    @Test func aTextFileAsTheOnlyPartIsShown() {
        // Once "(no text content)": the message's one part is a small text/plain attachment.
        let r = rendered("enmime/mail/attachment-only-text-attachment.raw")
        #expect(r.text == "Test;Test")
        #expect(r.attachments == [.init(filename: "test.csv", mimeType: "text/plain", size: 10)])
        // Two text files and nothing else: the first is shown.
        #expect(rendered("cpython-test_email/msg_44.txt").text == "a simple kind of mirror\nto reflect upon our own")
        // A GIF labelled text/plain is not text: nothing is shown rather than noise.
        #expect(rendered("enmime/parts/chardet-fail.raw").text == MessageRenderer.noTextContent)
    }

    @Test func koi8rBody() {
        #expect(rendered("flufl-bounce/newmailru_01.txt").text == Expected.newmailru)
    }

    @Test func encodedWordSubjectsInNonUTF8Charsets() {
        let message = MIMEParser.parse(Corpus.data("flufl-bounce/dsn_10.txt"))
        let attached = message.parts[2].parts[0]
        #expect(MessageRenderer.displayHeader(attached.header("Subject") ?? "") == "[lb] Probleme gelöst, Bugs gefunden")
        #expect(rendered("flufl-bounce/dsn_10.txt").text.hasSuffix("""
            ---------- Attached message ----------
            From: b.a.dude@example.com (Peer Heinlein)
            Date: 21 Oct 2002 14:25:12 GMT
            Subject: [lb] Probleme gelöst, Bugs gefunden

            A message about stuff.
            """))
        let from = MIMEParser.parse(Corpus.data("enmime/mail/qp-utf8-header.raw")).header("From") ?? ""
        #expect(MailAddressParser.parse(from).map(\.name) == ["James Hillyerd", "André Pirard"])
        // A UTF-8 character split across two encoded words.
        let subject = MIMEParser.parse(Corpus.data("flufl-bounce/simple_39.txt")).header("Subject") ?? ""
        #expect(MessageRenderer.displayHeader(subject) == "Ваше сообщение не доставлено. Mail failure.")
    }

    @Test func htmlOnlyMessageInNestedMultiparts() {
        let message = MIMEParser.parse(Corpus.data("enmime/mail/html-only-inline.raw"))
        #expect(message.contentType.mimeType == "multipart/alternative")
        #expect(message.parts[0].parts.map(\.contentType.mimeType) == ["text/html", "image/png"])
        let r = MessageRenderer.render(message)
        #expect(r.text == "Test of HTML section")
        #expect(r.attachments == [.init(filename: "favicon.png", mimeType: "image/png", size: 687)])
    }

    @Test func nestedMultipartThreeDeep() {
        // mixed > related > alternative > html, then mixed > alternative > html.
        let message = MIMEParser.parse(Corpus.data("enmime/mail/mime-mixed-related.raw"))
        #expect(message.parts[0].parts[0].parts[0].contentType.mimeType == "text/html")
        #expect(MessageRenderer.render(message).text == "html1\n\nhtml2")
    }

    @Test func utf7Body() {
        let message = MIMEParser.parse(Corpus.data("flufl-bounce/dsn_13.txt"))
        #expect(message.parts[0].parts[0].contentType.charset == "unicode-1-1-utf-7")
        #expect(MessageRenderer.render(message).text.hasPrefix("""
            This is an automatically generated Delivery Status Notification.

            Delivery to the following recipients failed.

                   userx@example.com

            Reporting-MTA: dns;DUBCONN01.cahapps.net
            """))
    }

    @Test func bogusAndWrongCharsets() {
        let unknown = rendered("enmime/low-quality/unk-charset-part.raw")
        #expect(unknown.text == "A text section")
        #expect(unknown.attachments == [.init(filename: "foo_9E5D72.zip", mimeType: "application/x-zip-compressed", size: 7)])
        // Declared us-ascii, really UTF-8.
        let wrong = rendered("enmime/low-quality/incorrect-charset.raw").text
        #expect(wrong.contains("∮ E⋅da = Q,  n → ∞, ∑ f(i) = ∏ g(i),"))
        #expect(wrong.contains("ði ıntəˈnæʃənəl fəˈnɛtık əsoʊsiˈeıʃn"))
        #expect(rendered("enmime/mail/html-mime-bad-unknown-charset-inline.raw").text == "Test of text section")
    }

    @Test func base64AttachmentWithFilenameAndSize() {
        let r = rendered("cpython-test_email/msg_07.txt")
        #expect(r.text == "Hi there,\n\nThis is the dingus fish.")
        #expect(r.attachments == [.init(filename: "dingusfish.gif", mimeType: "image/gif", size: 3512)])
        let gif = MIMEParser.parse(Corpus.data("cpython-test_email/msg_07.txt")).parts[1].body
        #expect(gif.prefix(6) == Data("GIF87a".utf8))
    }
}

enum Expected {
    static let newmailru = """
        This is the machine generated message from mail service.
        Unfortunately, we were not able to deliver your message to the following address(es):

        Это сообщение создано автоматически mail-сервисом.
        К сожалению, невозможно доставить сообщение по следующему адресу:

        <zzzzz@newmail.ru>:
        This person's account is exceeding their quota.

        --- Below the next line is a copy of the message.
        --- Ниже этой линии находится копия сообщения.

        Return-Path: <python-list-admin@python.org>
        Received: (qmail 1924 invoked from network); 7 Dec 2000 19:57:26 -0000
        Received: from unknown (HELO dinsdale.python.org) (132.151.1.21)

        Message truncated
        """
}
