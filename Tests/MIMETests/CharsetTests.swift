import Foundation
import Testing
@testable import MIME

@Suite struct CharsetTests {
    @Test func iconvCharsets() {
        #expect(Charset.decode(Data([0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4]), charset: "koi8-r") == "Привет")
        #expect(Charset.decode(Data([0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2]), charset: "windows-1251") == "Привет")
        #expect(Charset.decode(Data([0xC4, 0xE3, 0xBA, 0xC3]), charset: "gb2312") == "你好")
        #expect(Charset.decode(Data([0xC4, 0xE3, 0xBA, 0xC3]), charset: "x-gbk") == "你好")
        #expect(Charset.decode(Data([0xA1, 0xA4]), charset: "iso-8859-7") == "‘€")
        #expect(Charset.decode(Data([0xCA, 0xC7]), charset: "windows-874") == "สว")
        #expect(Charset.decode(Data([0xA4]), charset: "ISO-8859-15") == "€")
    }

    @Test func utf7() {
        #expect(Charset.decode(Data("Hi Mom -+Jjo--!".utf8), charset: "utf-7") == "Hi Mom -☺-!")
        #expect(Charset.decode(Data("+ZeVnLIqe-".utf8), charset: "UTF-7") == "日本語")
    }

    @Test func aliases() {
        let latin = Data([0x63, 0x61, 0x66, 0xE9])
        #expect(Charset.decode(latin, charset: "latin1") == "café")
        #expect(Charset.decode(latin, charset: "\"ISO-8859-1\"") == "café")
        #expect(Charset.decode(Data([0x93, 0x61, 0x94]), charset: "cp1252") == "\u{201C}a\u{201D}")
        #expect(Charset.decode(Data([0x93, 0x61, 0x94]), charset: "iso-8859-1") == "\u{201C}a\u{201D}")
        #expect(Charset.decode(Data("café".utf8), charset: "utf8") == "café")
        #expect(Charset.decode(Data("café".utf8), charset: "x-unknown") == "café")
    }

    @Test func unknownOrMissingCharsetsFallBack() {
        #expect(Charset.decode(Data("naïve".utf8), charset: "uft-8") == "naïve")
        #expect(Charset.decode(Data([0x6E, 0x61, 0xEF, 0x76, 0x65]), charset: "fakescii") == "naïve")
        #expect(Charset.decode(Data([0x6E, 0x61, 0xEF, 0x76, 0x65]), charset: nil) == "naïve")
        #expect(Charset.decode(Data("naïve".utf8), charset: nil) == "naïve")
        #expect(Charset.decode(Data([0x6E, 0x61, 0xEF, 0x76, 0x65]), charset: "us-ascii") == "naïve")
        #expect(Charset.decode(Data([0x81, 0x8D]), charset: "windows-1252") == "\u{81}\u{8D}")
    }

    @Test func invalidSequencesDoNotFailTheWholeBody() {
        // Shift_JIS with a stray lead byte in the middle.
        let text = Charset.decode(Data([0x82, 0xA0, 0x82, 0x41, 0x41]), charset: "shift_jis")
        #expect(text.hasPrefix("あ"))
        #expect(text.hasSuffix("A"))
        // UTF-8 with one damaged byte but real multi-byte characters keeps them.
        #expect(Charset.decode(Data([0xC3, 0xA9, 0xFF, 0x41]), charset: "utf-8") == "é\u{FFFD}A")
        // "UTF-8" that is really latin-1.
        #expect(Charset.decode(Data([0x63, 0x61, 0x66, 0xE9]), charset: "utf-8") == "café")
        // Truncated multi-byte sequence at the end.
        #expect(Charset.decode(Data([0x41, 0xC4]), charset: "gb2312") == "A\u{FFFD}")
    }
}

@Suite struct EncodedWordTests {
    @Test func bAndQInAnyCharset() {
        #expect(EncodedWords.decode("=?iso-8859-1?q?caf=E9_au_lait?=") == "café au lait")
        #expect(EncodedWords.decode("=?UTF-8?B?w6l0w6k=?=") == "été")
        #expect(EncodedWords.decode("=?koi8-r?B?8NLJ18XU?=") == "Привет")
        #expect(EncodedWords.decode("Re: =?windows-1251?Q?=CF=F0=E8=E2=E5=F2?= there") == "Re: Привет there")
        #expect(EncodedWords.decode("=?US-ASCII*EN?Q?Keith_Moore?=") == "Keith Moore")
    }

    @Test func adjacentWordsJoinWithoutSpace() {
        #expect(EncodedWords.decode("=?utf-8?q?a?= =?utf-8?q?b?=") == "ab")
        #expect(EncodedWords.decode("=?utf-8?q?a?=\r\n\t=?iso-8859-1?q?b?=") == "ab")
        #expect(EncodedWords.decode("=?utf-8?q?a?= b =?utf-8?q?c?=") == "a b c")
        // One character split over two words.
        #expect(EncodedWords.decode("=?utf-8?B?ww==?= =?utf-8?B?qQ==?=") == "é")
    }

    @Test func malformedWordsAreLeftAsIs() {
        #expect(EncodedWords.decode("=?utf-8?x?abc?=") == "=?utf-8?x?abc?=")
        #expect(EncodedWords.decode("=?utf-8?q?no end") == "=?utf-8?q?no end")
        #expect(EncodedWords.decode("=?utf-8?q?has space?=") == "=?utf-8?q?has space?=")
        #expect(EncodedWords.decode("plain = ? text") == "plain = ? text")
        #expect(EncodedWords.decode("=??q?x?=") == "=??q?x?=")
    }

    @Test func unknownCharsetFallsBack() {
        #expect(EncodedWords.decode("=?fakescii?q?na=EFve?=") == "naïve")
    }
}

@Suite struct HeaderParameterTests {
    @Test func quotedValuesAndSemicolons() {
        let type = ContentType.parse("Multipart/Mixed; Boundary=\"a;b=c\"; charset=utf-8 ")
        #expect(type.mimeType == "multipart/mixed")
        #expect(type.boundary == "a;b=c")
        #expect(type.charset == "utf-8")
    }

    @Test func rfc2231ContinuationsAndCharsets() {
        let (token, p) = HeaderParameters.parse("attachment; filename*0*=iso-8859-1''caf%E9; filename*1=\" menu.txt\"")
        #expect(token == "attachment")
        #expect(p["filename"] == "café menu.txt")
        let (_, q) = HeaderParameters.parse("inline; filename*=UTF-8'en'%E2%82%AC%20rates.pdf")
        #expect(q["filename"] == "€ rates.pdf")
        let (_, r) = HeaderParameters.parse("inline; name*1=\"two\"; name*0=\"one-\"")
        #expect(r["name"] == "one-two")
    }

    @Test func badValuesStillParse() {
        #expect(ContentType.parse("") == ContentType.default)
        #expect(ContentType.parse("text; charset=koi8-r").charset == "koi8-r")
        #expect(ContentType.parse("text/plain; name=\"unclosed").parameters["name"] == "unclosed")
        #expect(ContentType.parse("text/html; charset=a; charset=b").charset == "a")
    }
}
