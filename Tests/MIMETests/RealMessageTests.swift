import Foundation
import Testing
@testable import MIME

/// Shapes seen in real mail that once read badly: UTF-7 with stray `+`, names without addresses,
/// forwarded messages sent as one part, encrypted bodies, a text file as the only content.
@Suite struct RealMessageTests {
    private func render(_ text: String) -> RenderedMessage { MessageRenderer.render(MIMEParser.parse(Data(text.utf8))) }

    // MARK: UTF-7 (RFC 2152)

    @Test func utf7RunEndsAtTheLineBreak() {
        #expect(Charset.decode(Data("x+AGEAYgBj\nnext line".utf8), charset: "utf-7") == "xabc\nnext line")
        #expect(Charset.decode(Data("Gr+APwA3w-e 1 + 1 = 2, a+-b".utf8), charset: "UTF-7") == "Grüße 1 + 1 = 2, a+b")
        // The "-" closing a run is absorbed once; the one after it is text.
        #expect(Charset.decode(Data("+AGE--".utf8), charset: "utf-7") == "a-")
    }

    @Test func utf7BodyWithAPlusInAPGPSignatureKeepsTheRestOfTheMessage() {
        let raw = """
        From: sender@example.org
        Subject: signed
        Content-Type: text/plain; charset=UTF-7

        Hello +ZeVnLIqe-, the key is below.
        -----BEGIN PGP SIGNATURE-----
        Version: GnuPG v1.4.9 (GNU/Linux)

        iQEcBAEBAgAGBQJT+k7vAAoJEJ3x
        =q+Zx
        -----END PGP SIGNATURE-----
        The rest of the message, +AGE- run at the end.
        """
        let text = render(raw).text
        #expect(text == """
            Hello 日本語, the key is below.
            -----BEGIN PGP SIGNATURE-----
            Version: GnuPG v1.4.9 (GNU/Linux)

            iQEcBAEBAgAGBQJT+k7vAAoJEJ3x
            =q+Zx
            -----END PGP SIGNATURE-----
            The rest of the message, a run at the end.
            """)
        #expect(!text.contains("\u{FFFD}"))
    }

    @Test func utf7WithEightBitBytesIsMislabelledText() {
        #expect(Charset.decode(Data("caf\u{E9} +AGE-".utf8), charset: "utf-7") == "café +AGE-")
    }

    // MARK: Senders without an address, and old list software

    private func pairs(_ value: String) -> [String] {
        MailAddressParser.parse(value).map { "\($0.name ?? "-")|\($0.email)" }
    }

    @Test func anEncodedWordAsTheWholeFromIsAName() {
        #expect(pairs("=?koi8-r?B?6dfBziDwxdTSz9c=?=") == ["Иван Петров|"])
        #expect(pairs("\"Jane Doe\"") == ["Jane Doe|"])
        #expect(pairs("Jane Doe") == ["Jane Doe|"])
        // A single word without "@" may be a local mailbox; it stays the address.
        #expect(pairs("MAILER-DAEMON") == ["-|MAILER-DAEMON"])
        #expect(pairs("foo (Foo Bar)") == ["Foo Bar|foo"])
    }

    @Test func pipermailSpelledOutAddresses() {
        #expect(pairs("test at example.com (Test User)") == ["Test User|test@example.com"])
        #expect(pairs("barry at python.org (Barry =?iso-8859-1?q?W=E4rsaw?=)") == ["Barry Wärsaw|barry@python.org"])
        #expect(pairs("jdoe AT lists.example.org") == ["-|jdoe@lists.example.org"])
        // Words that merely include "at" are not an address.
        #expect(pairs("Meet at noon") == ["Meet at noon|"])
    }

    @Test func foldedSubjectKeepsItsTabAsWritten() {
        let message = MIMEParser.parse(Data("Subject: [list]\r\n\tRe: folded\r\n\r\nbody".utf8))
        // The header keeps the fold's TAB (for `list --json`); display code shows it as a space.
        #expect(message.header("Subject") == "[list]\tRe: folded")
        #expect(MessageRenderer.displayHeader(message.header("Subject") ?? "") == "[list] Re: folded")
    }

    // MARK: Forwarded messages

    static let inner = """
        From: =?iso-8859-1?q?Andr=E9?= <a@example.org>
        Date: Tue, 13 Feb 2024 14:31:55 +0700
        Subject: Original
        Content-Type: text/plain; charset=utf-8

        The original text.
        """

    static let expectedForward = """
        See the forwarded message.

        ---------- Attached message ----------
        From: André <a@example.org>
        Date: Tue, 13 Feb 2024 14:31:55 +0700
        Subject: Original

        The original text.
        """

    private func forward(innerPart: MIMEEntity) -> MIMEEntity {
        MIMEEntity(headers: [MIMEHeader(name: "Content-Type", value: "multipart/mixed; boundary=m")], parts: [
            MIMEEntity(headers: [MIMEHeader(name: "Content-Type", value: "text/plain")], body: Data("See the forwarded message.\n".utf8)),
            innerPart,
        ])
    }

    @Test func forwardedMessageAsOnePartWithTheMessageInItsBody() {
        // Gmail's other shape: message/rfc822 with no sub-parts, the whole message in `data`.
        let leaf = MIMEEntity(headers: [MIMEHeader(name: "Content-Type", value: "message/rfc822")], body: Data(Self.inner.utf8))
        let r = MessageRenderer.render(forward(innerPart: leaf))
        #expect(r.text == Self.expectedForward)
        #expect(r.attachments.isEmpty)
        // The same as the parsed shape (inner message as the one child).
        let parsed = render("Content-Type: multipart/mixed; boundary=m\n\n--m\nContent-Type: text/plain\n\nSee the forwarded message.\n--m\nContent-Type: message/rfc822\n\n\(Self.inner)\n--m--\n")
        #expect(parsed.text == r.text)
    }

    @Test func attachedEmlIsShownInlineAndListed() {
        let leaf = MIMEEntity(headers: [
            MIMEHeader(name: "Content-Type", value: "message/rfc822; name=\"Original.eml\""),
            MIMEHeader(name: "Content-Disposition", value: "attachment; filename=\"Original.eml\""),
        ], body: Data(Self.inner.utf8))
        let r = MessageRenderer.render(forward(innerPart: leaf))
        #expect(r.text == Self.expectedForward)
        #expect(r.attachments == [.init(filename: "Original.eml", mimeType: "message/rfc822", size: Self.inner.utf8.count)])
    }

    @Test func forwardedMessageWhoseBytesAreElsewhereIsListedNotDropped() {
        let leaf = MIMEEntity(headers: [MIMEHeader(name: "Content-Type", value: "message/rfc822")], knownSize: 30_000_000)
        #expect(MessageRenderer.needsBody(leaf))
        let r = MessageRenderer.render(forward(innerPart: leaf))
        #expect(r.text == "See the forwarded message.")
        #expect(r.attachments == [.init(filename: "message.eml", mimeType: "message/rfc822", size: 30_000_000)])
    }

    // MARK: Encrypted bodies

    @Test func pgpMimeEncryptedSaysSo() {
        let raw = """
        From: a@example.org
        Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary=e

        This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)
        --e
        Content-Type: application/pgp-encrypted
        Content-Description: PGP/MIME version identification

        Version: 1
        --e
        Content-Type: application/octet-stream; name="encrypted.asc"
        Content-Disposition: inline; filename="encrypted.asc"

        -----BEGIN PGP MESSAGE-----
        hQEMA5ccm6ATL9IdAQf/Z
        -----END PGP MESSAGE-----
        --e--
        """
        let r = render(raw)
        #expect(r.text == MessageRenderer.encryptedPGP)
        #expect(r.text == "encrypted message (PGP)")
        #expect(r.attachments.map(\.filename) == ["encrypted.asc"])
    }

    @Test func smimeEncryptedSaysSo() {
        let raw = """
        From: a@example.org
        Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"
        Content-Transfer-Encoding: base64
        Content-Disposition: attachment; filename="smime.p7m"

        MIAGCSqGSIb3DQEHA6CAMIACAQAxggFA
        """
        let r = render(raw)
        #expect(r.text == "encrypted message (S/MIME)")
        #expect(r.attachments.map(\.filename) == ["smime.p7m"])
        // Old mailers write the x- type and leave smime-type out.
        #expect(render("Content-Type: application/x-pkcs7-mime; name=smime.p7m\n\nMIAG").text == MessageRenderer.encryptedSMIME)
        #expect(render("Content-Type: application/pkcs7-mime; smime-type=signed-data\n\nMIAG").text == MessageRenderer.signedSMIME)
    }

    @Test func encryptedPartInsideAMixedMessageFollowsItsText() {
        let raw = "Content-Type: multipart/mixed; boundary=m\n\n--m\nContent-Type: text/plain\n\nCover note.\n--m\nContent-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=e\n\n--e\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n--e\nContent-Type: application/octet-stream\n\n-----BEGIN PGP MESSAGE-----\n--e--\n--m--\n"
        #expect(render(raw).text == "Cover note.\n\nencrypted message (PGP)")
    }

    // MARK: A text file as the only content

    @Test func onlyPartIsASmallTextAttachment() {
        let r = render("""
            From: alice@test.com
            Content-Type: text/plain; name="test.csv"
            Content-Disposition: attachment; filename="test.csv"
            Content-Transfer-Encoding: base64

            VGVzdDtUZXN0Cg==
            """)
        #expect(r.text == "Test;Test")
        #expect(r.attachments == [.init(filename: "test.csv", mimeType: "text/plain", size: 10)])
    }

    @Test func textAttachmentIsNotShownWhenTheMessageHasText() {
        let raw = "Content-Type: multipart/mixed; boundary=m\n\n--m\nContent-Type: text/plain\n\nThe body.\n--m\nContent-Type: text/plain\nContent-Disposition: attachment; filename=notes.txt\n\nnotes\n--m--\n"
        #expect(render(raw).text == "The body.")
        // A whitespace-only body is no text: the first small text file is shown instead.
        let blank = "Content-Type: multipart/mixed; boundary=m\n\n--m\nContent-Type: text/plain\n\n \n--m\nContent-Type: image/png; name=a.png\n\nPNG\n--m\nContent-Type: text/plain\nContent-Disposition: attachment; filename=notes.txt\n\nnotes\n--m\nContent-Type: text/plain\nContent-Disposition: attachment; filename=more.txt\n\nmore\n--m--\n"
        #expect(render(blank).text == "notes")
        #expect(MessageRenderer.fallbackTextAttachment(in: MIMEParser.parse(Data(blank.utf8))) == [2])
    }

    @Test func largeTextAttachmentIsNotShown() {
        let big = String(repeating: "x", count: MessageRenderer.fallbackTextLimit + 1)
        let raw = "Content-Type: text/plain\nContent-Disposition: attachment; filename=big.log\n\n\(big)"
        #expect(render(raw).text == MessageRenderer.noTextContent)
    }

    @Test func textAttachmentWhoseBytesAreElsewhereIsFoundByItsSize() {
        // A Gmail-shaped tree: the attachment's bytes are behind an attachmentId, only its size is known.
        let entity = MIMEEntity(headers: [MIMEHeader(name: "Content-Type", value: "multipart/mixed; boundary=m")], parts: [
            MIMEEntity(headers: [MIMEHeader(name: "Content-Type", value: "image/png"), MIMEHeader(name: "Content-Disposition", value: "attachment; filename=a.png")], knownSize: 100),
            MIMEEntity(headers: [MIMEHeader(name: "Content-Type", value: "text/plain"), MIMEHeader(name: "Content-Disposition", value: "attachment; filename=a.txt")], knownSize: 100),
        ])
        #expect(MessageRenderer.fallbackTextAttachment(in: entity) == [1])
        #expect(MessageRenderer.render(entity).text == MessageRenderer.noTextContent)
    }
}
