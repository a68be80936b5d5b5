import Foundation
import Testing
@testable import MIME

private func render(_ text: String) -> RenderedMessage { MessageRenderer.render(MIMEParser.parse(Data(text.utf8))) }

@Suite struct RendererTests {
    @Test func alternativePrefersNonEmptyPlainText() {
        let raw = "Content-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/plain\n\nplain\r\nline\n--b\nContent-Type: text/html\n\n<p>html</p>\n--b--\n"
        #expect(render(raw).text == "plain\nline")
        let emptyPlain = "Content-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/plain\n\n  \n--b\nContent-Type: text/html\n\n<p>html <i>only</i></p>\n--b--\n"
        #expect(render(emptyPlain).text == "html only")
    }

    @Test func mixedConcatenatesInlineTextAndListsAttachments() {
        let raw = """
        Content-Type: multipart/mixed; boundary=m

        --m
        Content-Type: text/plain; charset=koi8-r
        Content-Transfer-Encoding: base64

        8NLJ18XU
        --m
        Content-Type: application/pdf; name="=?utf-8?q?r=C3=A9sum=C3=A9.pdf?="
        Content-Transfer-Encoding: base64

        AAECAwQ=
        --m
        Content-Type: text/plain
        Content-Disposition: attachment; filename*=utf-8''notes%20%E2%82%AC.txt

        secret notes
        --m
        Content-Type: text/html; charset=iso-8859-1
        Content-Transfer-Encoding: quoted-printable

        <p>caf=E9</p>
        --m--
        """
        let r = render(raw)
        #expect(r.text == "Привет\n\ncafé")
        #expect(r.attachments == [
            .init(filename: "résumé.pdf", mimeType: "application/pdf", size: 5),
            .init(filename: "notes €.txt", mimeType: "text/plain", size: 12),
        ])
    }

    @Test func attachedMessageShowsItsHeadersAndBody() {
        let raw = """
        Content-Type: multipart/mixed; boundary=m

        --m

        See below.
        --m
        Content-Type: message/rfc822

        From: =?iso-8859-1?q?Andr=E9?= <a@b>
        To: x@y
        Subject: Old news
        Date: 1 Jan 2020 00:00:00 +0000

        The old body.
        --m--
        """
        #expect(render(raw).text == "See below.\n\n---------- Attached message ----------\nFrom: André <a@b>\nDate: 1 Jan 2020 00:00:00 +0000\nSubject: Old news\n\nThe old body.")
    }

    @Test func relatedShowsItsRootAndListsNamedResources() {
        let raw = """
        Content-Type: multipart/related; boundary=r; start="<root@x>"

        --r
        Content-Type: image/png; name=logo.png
        Content-ID: <logo@x>
        Content-Transfer-Encoding: base64

        iVBORw==
        --r
        Content-Type: text/html
        Content-ID: <root@x>

        <p>Hello <img src="cid:logo@x" alt="logo"></p>
        --r--
        """
        let r = render(raw)
        #expect(r.text == "Hello [image: logo]")
        #expect(r.attachments == [.init(filename: "logo.png", mimeType: "image/png", size: 4)])
    }

    @Test func knownSizeStandsInForAMissingBody() {
        let entity = MIMEEntity(headers: [MIMEHeader(name: "Content-Type", value: "multipart/mixed; boundary=x")], parts: [
            MIMEEntity(headers: [MIMEHeader(name: "Content-Type", value: "text/plain; charset=UTF-8")], body: Data("hi\r\n".utf8)),
            MIMEEntity(headers: [
                MIMEHeader(name: "Content-Type", value: "application/pdf"),
                MIMEHeader(name: "Content-Disposition", value: "attachment; filename=\"mock.pdf\""),
            ], knownSize: 292885),
        ])
        let r = MessageRenderer.render(entity)
        #expect(r.text == "hi")
        #expect(r.attachments == [.init(filename: "mock.pdf", mimeType: "application/pdf", size: 292885)])
    }

    @Test func noTextContent() {
        #expect(render("Content-Type: image/gif\nContent-Transfer-Encoding: base64\n\nR0lG").text == MessageRenderer.noTextContent)
        #expect(render("Subject: empty\n\n").text == MessageRenderer.noTextContent)
    }

    @Test func flowedTextIsJoined() {
        let raw = "Content-Type: text/plain; format=flowed\n\nThis is \none line.\n> quoted\n-- \nsig\n"
        #expect(render(raw).text == "This is one line.\n> quoted\n-- \nsig")
    }

    @Test func htmlWithoutCharsetParameterUsesItsMetaTag() {
        var raw = Data("Content-Type: text/html\n\n<html><head><META http-equiv=\"Content-Type\" content=\"text/html; charset=KOI8-R\"></head><body>".utf8)
        raw += Data([0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4]) + Data("</body></html>".utf8)
        #expect(MessageRenderer.render(MIMEParser.parse(raw)).text == "Привет")
        #expect(HTMLText.declaredCharset(Data("<meta charset='gb2312'>".utf8)) == "gb2312")
        #expect(HTMLText.declaredCharset(Data("<p>charset=no meta</p>".utf8)) == nil)
    }

    @Test func controlCharactersNeverReachTheTerminal() {
        let raw = "Content-Type: text/plain\n\n\u{FEFF}bell\u{07} esc\u{1B}[31mred\tTab\r\nnext\u{0C}\n"
        #expect(render(raw).text == "bell esc[31mred\tTab\nnext")
    }

    @Test func htmlLabelOnPlainTextKeepsLines() {
        #expect(render("Content-Type: text/html\n\nline one\nline two\n").text == "line one\nline two")
    }
}
