import Foundation
import Testing
@testable import GmailSandbox

/// The sandbox's one JSON reader: what it accepts, what it refuses, and that it reads the writer back.
@Suite struct JSONReaderTests {
    func read(_ text: String) -> JSON? { JSONReader.parse(Data(text.utf8)) }

    @Test func readsWhatTheWriterWrites() {
        let value = JSON.object([
            ("s", .string("quote \" backslash \\ tab \t nl \n bell \u{07} line \u{2028} emoji 📬 e\u{301}")),
            ("n", .array([.int(0), .int(-42), .int(Int.max), .null, .bool(true), .bool(false)])),
            ("o", .object([("", .object([])), ("k", .array([]))])),
        ])
        #expect(read(value.text) == value)
        #expect(read(value.text)?["s"]?.string == "quote \" backslash \\ tab \t nl \n bell \u{07} line \u{2028} emoji 📬 e\u{301}")
    }

    @Test func keepsKeyOrderAndNumbersAsWritten() {
        #expect(read(#" { "b" : 1 , "a" : [ 2.50 , 1E+3 , -0 , 99999999999999999999 ] } "#)?.text == #"{"b":1,"a":[2.50,1E+3,0,99999999999999999999]}"#)
        #expect(read(#""\ud83d\udcec \/""#)?.string == "📬 /")
    }

    @Test func refusesWhatRFC8259Refuses() {
        let bad = [
            "", "{", "[1,]", "{\"a\":1,}", "{'a':1}", "01", "1.", ".5", "-", "1e", "+1", "tru", "nul", "[1 2]",
            "\"\\x\"", "\"\\u12\"", "\"\\ud83d\"", "\"\\udcec\"", "\"a\tb\"", "\"open", "{} {}", "{\"a\"}", "NaN",
        ]
        for text in bad { #expect(read(text) == nil, "\(text)") }
        #expect(JSONReader.parse(Data([0x22, 0xFF, 0x22])) == nil)
    }

    @Test func deepNestingIsRefusedNotRecursedInto() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(read(deep) == nil)
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(read(fine) != nil)
    }

    @Test func bodiesAreObjects() {
        #expect(JSONReader.object(Data()) == .object([]))
        #expect(JSONReader.object(Data("[]".utf8)) == nil)
        #expect(JSONReader.object(Data(#"{"ids":["a",1,"b"]}"#.utf8))?["ids"]?.strings == ["a", "b"])
    }
}
