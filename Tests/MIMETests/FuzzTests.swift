import Foundation
import Testing
@testable import MIME

/// Bounded random-input tests of the parser, the decoders and the renderer: real corpus messages
/// mutated, random messages built from MIME's own tokens, and pathological shapes. Seeds are fixed,
/// so a failure repeats; each input must complete and its rendering keep the renderer's promises.
///
/// The loops yield between inputs: run beside the other tests, they must not hold the cooperative
/// pool for seconds (a test whose task starts a listener would wait for a free thread and time out).
@Suite struct MIMEFuzzTests {
    static let mutator = ByteMutator(tokens: [
        "\n\n", "\r\n\r\n", "\n ", "\n\t", ":", ";", "=", "\"", "\\", "<", ">", "(", ")", "--", "--b", "--b--\n", "\n--b\n",
        "Content-Type: multipart/mixed; boundary=b\n", "Content-Type: multipart/alternative; boundary=b\n",
        "Content-Type: multipart/digest; boundary=b\n", "Content-Type: message/rfc822\n", "Content-Type: text/html\n",
        "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=b\n",
        "Content-Type: application/pkcs7-mime\n", "Content-Disposition: attachment; filename=a.txt\n",
        "Content-Transfer-Encoding: base64\n", "Content-Transfer-Encoding: quoted-printable\n",
        "; charset=utf-7", "; charset=utf-16", "; charset=iso-2022-jp", "; charset=koi8-r", "; format=flowed; delsp=yes",
        "filename*0*=utf-8''%E2%82", "=?utf-8?B?", "=?koi8-r?Q?", "?=", "=?", "=E9", "=\n", "+", "+-", "+AGE",
        "<p>", "</p>", "<br>", "<a href=\"", "<!--", "-->", "&amp;", "&#x", "&#12", "<pre>", "<blockquote>", "<li>", "<script>",
        "From ", "From: ", "Subject: ", " at ", "@",
    ])

    /// The renderer's promises for any input: some text, LF line ends, no control characters but TAB, a bounded size.
    static func check(_ bytes: [UInt8], _ label: @autoclosure () -> String) {
        let entity = MIMEParser.parse(bytes: bytes)
        for rendered in [MessageRenderer.render(entity), MessageRenderer.render(gmailShaped(entity))] {
            let text = rendered.text
            #expect(!text.isEmpty, "\(label())")
            let controls = text.unicodeScalars.filter { $0.value < 0x20 && $0 != "\n" && $0 != "\t" || ($0.value >= 0x7F && $0.value < 0xA0) }
            #expect(controls.isEmpty, "\(label()): control characters \(controls.map(\.value))")
            // Decoding never makes text much longer than its bytes (at most 3 UTF-8 bytes per byte, plus headers shown).
            #expect(text.utf8.count <= 4 * bytes.count + 4096, "\(label()): \(text.utf8.count) bytes of text from \(bytes.count)")
            #expect(rendered.attachments.allSatisfy { $0.size >= 0 && !$0.filename.isEmpty }, "\(label())")
        }
        for header in entity.headers {
            _ = MessageRenderer.displayHeader(header.value)
            _ = MailAddressParser.parse(header.value)
            _ = RFC5322Date.parse(header.value)
        }
    }

    @Test func mutatedCorpusMessages() async {
        var rng = SeededGenerator(seed: 0x6D69_6D65)
        var count = 0
        for path in Corpus.files {
            let original = [UInt8](Corpus.data(path))
            for round in 0..<10 {
                let input = Self.mutator.mutate(original, using: &rng)
                Self.check(input, "\(path) mutation \(round)")
                await Task.yield()
                count += 1
            }
        }
        #expect(count == Corpus.files.count * 10)
    }

    @Test func randomMessagesFromMIMETokens() async {
        var rng = SeededGenerator(seed: 0xF022)
        for round in 0..<1500 {
            let input = Self.mutator.randomInput(maximumLength: 2048, using: &rng)
            Self.check(input, "random message \(round)")
            await Task.yield()
        }
    }

    @Test func pathologicalShapesComplete() async {
        let shapes: [String] = [
            String(repeating: "Content-Type: message/rfc822\n\n", count: 4000) + "deep",
            String(repeating: "Content-Type: multipart/mixed; boundary=b\n\n--b\n", count: 2000) + "deep\n--b--",
            "Content-Type: multipart/mixed; boundary=b\n\n" + String(repeating: "--b\n\nx\n", count: 20000) + "--b--",
            "Subject: " + String(repeating: "=?utf-8?q?", count: 20000) + "\n\nbody",
            "Subject: " + String(repeating: "=?", count: 50000) + "\n\nbody",
            "From: " + String(repeating: "(", count: 30000) + String(repeating: "\"", count: 30000) + "\n\nbody",
            "Content-Type: text/html\n\n" + String(repeating: "<", count: 100_000),
            "Content-Type: text/html\n\n" + String(repeating: "<!--", count: 30000),
            "Content-Type: text/html\n\n" + String(repeating: "<blockquote><li><ol>", count: 10000),
            // Each line repeats its nesting: quotes and lists nested thousands deep, with text at every level.
            "Content-Type: text/html\n\n" + String(repeating: "<blockquote>x", count: 10000),
            "Content-Type: text/html\n\n" + String(repeating: "<ol><li>x", count: 10000),
            "Content-Type: text/html\n\n" + String(repeating: "&#x", count: 30000),
            "Content-Type: text/plain; charset=utf-7\n\n" + String(repeating: "+AGE", count: 30000),
            "Content-Type: text/plain; format=flowed\n\n" + String(repeating: "word ", count: 50000),
            "Content-Transfer-Encoding: quoted-printable\n\n" + String(repeating: "= \t", count: 50000),
            String(repeating: " x: y\n", count: 50000) + "\nbody",
            String(repeating: "\n", count: 100_000),
        ]
        for (i, shape) in shapes.enumerated() {
            Self.check(Array(shape.utf8), "shape \(i)")
            await Task.yield()
        }
    }

    @Test func headerDecodersOnRandomText() async {
        var rng = SeededGenerator(seed: 0x4845_4144)
        let headerMutator = ByteMutator(tokens: ["=?", "?=", "?B?", "?Q?", "?b?", "utf-8", "koi8-r", "utf-7", "iso-2022-jp", "_", "=C3",
                                                 "\"", "\\", "(", ")", "<", ">", ",", ";", ":", "@", " at ", "\t", "\r", " "])
        let seeds = ["=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>", "=?koi8-r?B?6dfBziDwxdTSz9c=?=",
                     "test at example.com (Test User)", "\"A, B\" <a@b>, c@d (C), Team: e@f;", "Tue, 13 Feb 2024 14:31:55 +0700 (ICT)"]
        for round in 0..<4000 {
            let seed = Array(seeds[round % seeds.count].utf8)
            let bytes = round % 4 == 0 ? headerMutator.randomInput(maximumLength: 200, using: &rng) : headerMutator.mutate(seed, using: &rng)
            let text = MIMEParser.headerText(bytes)
            let decoded = EncodedWords.decode(text)
            #expect(decoded.utf8.count <= 3 * text.utf8.count + 8, "round \(round)")
            for entry in MailAddressParser.parse(text) {
                let spaced = entry.email.contains { $0.isWhitespace }
                #expect(!spaced, "round \(round): \(entry.email)")
            }
            _ = RFC5322Date.parse(text)
            _ = ContentType.parse(text)
            _ = ContentDisposition.parse(text)
            if round % 100 == 0 { await Task.yield() }
        }
    }

    @Test func charsetsOnRandomBytes() async {
        var rng = SeededGenerator(seed: 0xC4A2)
        let charsets = ["utf-7", "utf-8", "us-ascii", "iso-8859-1", "koi8-r", "utf-16", "utf-16le", "utf-32", "iso-2022-jp",
                        "gb2312", "big5", "shift_jis", "euc-kr", "windows-1251", "uft-8", "fakescii", nil]
        let utf7 = ByteMutator(tokens: ["+", "-", "+-", "+AGE", "+ZeVnLIqe-", "\n", "/", "A", "z", "9"])
        for round in 0..<3000 {
            if round % 100 == 0 { await Task.yield() }
            let charset = charsets[round % charsets.count]
            let bytes = utf7.randomInput(maximumLength: 256, using: &rng)
            let text = Charset.decode(bytes, charset: charset)
            #expect(text.utf8.count <= 4 * bytes.count + 4, "round \(round) \(charset ?? "none")")
            if charset == "utf-7", bytes.allSatisfy({ $0 < 0x80 }) {
                // UTF-7 from ASCII bytes: a run either decodes or stays as written, never a replacement character.
                #expect(!text.contains("\u{FFFD}"), "round \(round): \(bytes)")
            }
        }
    }
}
