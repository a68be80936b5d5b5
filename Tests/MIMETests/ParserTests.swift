import Foundation
import Testing
@testable import MIME

private func parse(_ text: String) -> MIMEEntity { MIMEParser.parse(Data(text.utf8)) }
private func bodyText(_ e: MIMEEntity) -> String { String(decoding: e.body, as: UTF8.self) }

@Suite struct ParserTests {
    @Test func unfoldsHeadersKeepingEncodedWordsRaw() {
        let e = parse("Subject: =?iso-8859-1?q?caf=E9?=\r\n and more\r\nFrom: a@b\r\n\r\nbody\r\n")
        #expect(e.headers == [MIMEHeader(name: "Subject", value: "=?iso-8859-1?q?caf=E9?= and more"), MIMEHeader(name: "From", value: "a@b")])
        #expect(bodyText(e) == "body\r\n")
    }

    @Test func lfOnlyAndCaseInsensitiveLookup() {
        let e = parse("content-type: text/plain; charset=\"koi8-r\"\nX-A: 1\n\nhi\n")
        #expect(e.header("Content-Type") == "text/plain; charset=\"koi8-r\"")
        #expect(e.contentType.charset == "koi8-r")
        #expect(bodyText(e) == "hi\n")
    }

    @Test func missingSeparatorStartsBodyAtFirstNonHeaderLine() {
        let e = parse("From: a@b\nSubject: x\nThis line is the body.\nmore\n")
        #expect(e.headers.map(\.name) == ["From", "Subject"])
        #expect(bodyText(e) == "This line is the body.\nmore\n")
    }

    @Test func indentedFirstFieldIsStillAField() {
        let e = parse(" From: a@b\nSubject: x\n\nbody")
        #expect(e.headers.map(\.name) == ["From", "Subject"])
        let noField = parse("  just indented text\nmore\n")
        #expect(noField.headers.isEmpty)
        #expect(bodyText(noField) == "  just indented text\nmore\n")
    }

    @Test func headersOnlyMessageHasEmptyBody() {
        let e = parse("From: a@b\nSubject: x")
        #expect(e.headers.count == 2)
        #expect(e.body.isEmpty)
    }

    @Test func skipsMboxFromLine() {
        let e = parse("From someone@example.com Mon Jan  1 00:00:00 2001\nFrom: a@b\n\nx")
        #expect(e.headers == [MIMEHeader(name: "From", value: "a@b")])
    }

    @Test func eightBitHeaderBytesAsUTF8OrLatin1() {
        var raw = Data("Subject: caf".utf8) + Data([0xC3, 0xA9]) + Data("\nX-Old: caf".utf8) + Data([0xE9]) + Data("\n\n".utf8)
        raw += Data("b".utf8)
        let e = MIMEParser.parse(raw)
        #expect(e.header("Subject") == "café")
        #expect(e.header("X-Old") == "café")
    }

    @Test func multipartWithPreambleEpilogueAndTrailingWhitespace() {
        let raw = "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\npreamble\r\n--b1  \r\nContent-Type: text/plain\r\n\r\none\r\n--b1\r\n\r\ntwo\r\n\r\n--b1--  \r\nepilogue\r\n"
        let e = parse(raw)
        #expect(e.parts.count == 2)
        #expect(e.body.isEmpty)
        #expect(bodyText(e.parts[0]) == "one")
        #expect(e.parts[1].headers.isEmpty)
        #expect(bodyText(e.parts[1]) == "two\r\n")
    }

    @Test func nestedMultipartsAndSimilarBoundaries() {
        let raw = """
        Content-Type: multipart/mixed; boundary=outer

        --outer
        Content-Type: multipart/alternative; boundary=outer-inner

        --outer-inner
        Content-Type: text/plain

        plain
        --outer-inner
        Content-Type: multipart/related; boundary=deep

        --deep
        Content-Type: text/html

        <b>html</b>
        --deep--
        --outer-inner--
        --outer
        Content-Type: application/octet-stream
        Content-Transfer-Encoding: base64

        AAEC
        --outer--
        """
        let e = parse(raw)
        #expect(e.parts.count == 2)
        #expect(e.parts[0].contentType.mimeType == "multipart/alternative")
        #expect(e.parts[0].parts.count == 2)
        #expect(bodyText(e.parts[0].parts[0]) == "plain")
        #expect(bodyText(e.parts[0].parts[1].parts[0]) == "<b>html</b>")
        #expect(e.parts[1].body == Data([0, 1, 2]))
    }

    @Test func unclosedFinalBoundaryTakesWhatIsThere() {
        let e = parse("Content-Type: multipart/mixed; boundary=z\n\n--z\n\nfirst\n--z\n\nsecond, cut off")
        #expect(e.parts.map(bodyText) == ["first", "second, cut off"])
    }

    @Test func boundaryNeverSeenLeavesALeaf() {
        let e = parse("Content-Type: multipart/mixed; boundary=nothere\n\njust text\n")
        #expect(e.parts.isEmpty)
        #expect(bodyText(e) == "just text\n")
    }

    @Test func messageRFC822IsRawBodyAndOneParsedChild() {
        let inner = "From: x@y\nSubject: inner\n\ninner body\n"
        let raw = "Content-Type: multipart/mixed; boundary=q\n\n--q\nContent-Type: message/rfc822\n\n\(inner)--q--\n"
        let e = parse(raw)
        let attached = e.parts[0]
        #expect(bodyText(attached) == inner.dropLast() + "")
        #expect(attached.parts.count == 1)
        #expect(attached.parts[0].header("Subject") == "inner")
        #expect(bodyText(attached.parts[0]) == "inner body")
    }

    @Test func digestPartsDefaultToAttachedMessages() {
        let raw = "Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: one\n\nfirst\n--d\nContent-Type: text/plain\n\nnot a message\n--d--\n"
        let e = parse(raw)
        #expect(e.parts[0].isAttachedMessage)
        #expect(e.parts[0].parts.first?.header("Subject") == "one")
        #expect(!e.parts[1].isAttachedMessage)
        #expect(e.parts[1].parts.isEmpty)
        #expect(MessageRenderer.render(e).text == "---------- Attached message ----------\nSubject: one\n\nfirst\n\nnot a message")
    }

    @Test func decodesTransferEncodings() {
        let qp = parse("Content-Transfer-Encoding: Quoted-Printable\n\ncaf=c3=a9 =\nsoft =ZZ end  \nx")
        #expect(bodyText(qp) == "café soft =ZZ end\nx")
        let b64 = parse("Content-Transfer-Encoding: base64\n\naGVs\r\nbG8g*!\nd29y bGQ")
        #expect(bodyText(b64) == "hello world")
        let unknown = parse("Content-Transfer-Encoding: x-weird\n\nas=20is")
        #expect(bodyText(unknown) == "as=20is")
    }

    @Test func veryLongLinesAreKept() {
        let line = String(repeating: "x", count: 5000)
        let e = parse("Subject: \(line)\n\n\(line)\n")
        #expect(e.header("Subject")?.count == 5000)
        #expect(e.body.count == 5001)
    }

    @Test func deepNestingStopsAtTheDepthLimit() {
        var raw = ""
        for level in 0..<200 { raw += "Content-Type: multipart/mixed; boundary=b\(level)\n\n--b\(level)\n" }
        raw += "\nbottom\n"
        var e = parse(raw)
        var depth = 0
        while let child = e.parts.first { e = child; depth += 1 }
        #expect(depth == MIMEParser.maximumDepth)
        #expect(e.contentType.isMultipart)
    }

    @Test func garbageNeverCrashes() {
        // A fixed linear congruential sequence, so every run tries the same inputs.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func nextIndex(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        let alphabet: [UInt8] = [UInt8(ascii: "-"), UInt8(ascii: "\n"), UInt8(ascii: ":"), UInt8(ascii: "="), 0xFF, UInt8(ascii: "a"), UInt8(ascii: "<"), UInt8(ascii: "&")]
        let header = Data("Content-Type: multipart/mixed; boundary=a\nContent-Transfer-Encoding: quoted-printable\n\n--a\n".utf8)
        for _ in 0..<300 {
            let bytes = (0..<nextIndex(400)).map { _ in alphabet[nextIndex(alphabet.count)] }
            let rendered = MessageRenderer.render(MIMEParser.parse(header + Data(bytes)))
            #expect(!rendered.text.isEmpty)
            _ = HTMLText.render(String(decoding: bytes, as: UTF8.self))
            _ = EncodedWords.decode(String(decoding: bytes, as: UTF8.self))
        }
    }
}

@Suite struct TransferEncodingTests {
    @Test func base64ToleratesMissingPaddingAndURLSafeAlphabet() {
        #expect(TransferEncoding.base64(Array("YQ".utf8)) == [0x61])
        #expect(TransferEncoding.base64(Array("YWI".utf8)) == [0x61, 0x62])
        #expect(TransferEncoding.base64(Array("YWJj".utf8)) == [0x61, 0x62, 0x63])
        #expect(TransferEncoding.base64(Array("-_8=".utf8)) == TransferEncoding.base64(Array("+/8=".utf8)))
        #expect(TransferEncoding.base64(Array(" Y W\r\nJ j ".utf8)) == [0x61, 0x62, 0x63])
    }

    @Test func quotedPrintableCases() {
        #expect(TransferEncoding.quotedPrintable(Array("a=3db=3Dc".utf8)) == Array("a=b=c".utf8))
        #expect(TransferEncoding.quotedPrintable(Array("soft=\r\nbreak".utf8)) == Array("softbreak".utf8))
        #expect(TransferEncoding.quotedPrintable(Array("soft=  \nbreak".utf8)) == Array("softbreak".utf8))
        #expect(TransferEncoding.quotedPrintable(Array("bad=G1 and =4".utf8)) == Array("bad=G1 and =4".utf8))
        #expect(TransferEncoding.quotedPrintable(Array("pad \t\r\nnext".utf8)) == Array("pad\r\nnext".utf8))
        #expect(TransferEncoding.quotedPrintable(Array("in word =".utf8)) == Array("in word ".utf8))
    }
}
