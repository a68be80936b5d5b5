import Foundation
import Testing
@testable import HTTPCore

/// Server text is shown and logged only after `ServerText.safe`: no token, code or secret survives it.
@Suite struct ServerTextTests {
    let access = "ya29.a0AfH6SMBx-Q7_kk3lJ9vQ2s4Ww8e.ZZtop"

    @Test func everyRuleCompiles() {
        #expect(ServerText.rules.count == ServerText.ruleCount)
    }

    @Test func anEchoedAuthorizationHeaderIsMasked() {
        for body in ["bad: Authorization: Bearer \(access)", "bad: Bearer \(access)", #"{"h":"authorization: Bearer \#(access)"}"#,
                     #"{"authorization":"Bearer \#(access)"}"#, "you sent bearer%20\(access)"] {
            let shown = ServerText.safe(body)
            #expect(!shown.contains("ya29"), "\(shown)")
            #expect(!shown.contains("SMBx"), "\(shown)")
            #expect(shown.contains(ServerText.mask), "\(shown)")
        }
    }

    @Test func googleTokenShapesAreMaskedWhereverTheyStand() {
        let text = "tokens ya29.abc-DEF_123 and 1//0gAbCdEf-GhIj and 4/0AfJohXn3kLm-abc and GOCSPX-s3cr3t_Value."
        let shown = ServerText.safe(text)
        for secret in ["ya29.abc", "1//0gAb", "4/0AfJohX", "GOCSPX-s3"] { #expect(!shown.contains(secret), "\(shown)") }
        #expect(shown.hasPrefix("tokens <redacted> and <redacted>"))
    }

    @Test func secretFieldsInJSONFormsAndQueriesAreMasked() {
        let samples = [
            #"{"access_token": "opaque-A1", "expires_in": 3599}"#,
            #"{\"refresh_token\":\"opaque-A2\"}"#,
            "grant_type=refresh_token&refresh_token=opaque-A3&client_secret=opaque-A4",
            "GET /cb?code=opaque-A5&state=xyz",
            "code_verifier: opaque-A6",
            "password=opaque-A7",
        ]
        for sample in samples {
            let shown = ServerText.safe(sample)
            #expect(!shown.contains("opaque-A"), "\(shown)")
        }
        // Names that are not secrets, and numbers, are left alone.
        #expect(ServerText.safe("grant_type=refresh_token&state=xyz").contains("state=xyz"))
        #expect(ServerText.safe(#"{"error":{"code":400,"message":"Invalid pageToken"}}"#).contains(#""code":400"#))
        #expect(ServerText.safe("error code: 400") == "error code: 400")
    }

    @Test func exactSecretsAreMaskedWhateverTheirShape() {
        let shown = ServerText.safe("you sent sbx-at-9f8e7d6c back", secrets: ["sbx-at-9f8e7d6c"])
        #expect(shown == "you sent <redacted> back")
    }

    @Test func controlCharactersAndEscapesNeverReachTheScreen() {
        let shown = ServerText.safe("red\u{1b}[31m alert\r\n\tnext\u{7}\u{202e}txt")
        #expect(!shown.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f || $0.value == 0x202e })
        #expect(shown == "red [31m alert next txt")
    }

    @Test func longTextIsCut() {
        let shown = ServerText.safe(String(repeating: "x", count: 5000), limit: 100)
        #expect(shown.count == 101)
        #expect(shown.hasSuffix("…"))
    }

    @Test func plainWordsPassUnchanged() {
        let text = "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential."
        #expect(ServerText.safe(text) == text)
    }
}

@Suite struct RequestDeadlineTests {
    @Test func noDeadlineAllowsEveryRetry() {
        #expect(RequestDeadline.current == nil)
        #expect(RequestDeadline.allowsRetry(after: .seconds(3600)))
        #expect(RequestDeadline.remaining == nil)
    }

    @Test func aDeadlineRefusesARetryThatWouldStartAfterIt() async {
        await RequestDeadline.$current.withValue(.now + .seconds(5)) {
            #expect(RequestDeadline.allowsRetry(after: .seconds(1)))
            #expect(!RequestDeadline.allowsRetry(after: .seconds(10)))
            // Tasks started inside see it too.
            let inner = await Task { RequestDeadline.remaining }.value
            #expect(inner != nil && inner! <= .seconds(5))
        }
    }
}
