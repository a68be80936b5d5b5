// users.messages.modify
// https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages/modify
import Foundation

/// The label change of `modify`, `batchModify` and `threads.modify`: `{"addLabelIds", "removeLabelIds"}`.
public struct LabelChangeRequest: Sendable, Equatable {
    public var addLabelIds: [String]
    public var removeLabelIds: [String]
    public init(addLabelIds: [String] = [], removeLabelIds: [String] = []) {
        self.addLabelIds = addLabelIds; self.removeLabelIds = removeLabelIds
    }

    /// The JSON members, an empty list left out (Google treats a missing list as empty).
    var members: [(String, [String])] {
        [("addLabelIds", addLabelIds), ("removeLabelIds", removeLabelIds)].filter { !$0.1.isEmpty }
    }

    var json: Data { GmailJSON.object(members.map { ($0.0, $0.1) }) }
}

/// The short answer of `modify`, `trash` and `untrash`: the message's labels after the change.
public struct ModifiedMessage: Codable, Sendable, Equatable {
    public var id: String
    public var threadId: String?
    /// Left out by Gmail when the message has no label left.
    public var labelIds: [String]?
}

extension GmailClient {
    /// `users.messages.modify`: the call.
    public static func messagesModifyCall(id: String, _ change: LabelChangeRequest) -> GmailCall {
        GmailCall(method: .post, segments: ["messages", id, "modify"], body: change.json)
    }

    /// `users.messages.modify`: adds and removes labels of one message; returns its labels afterwards.
    public func messagesModify(id: String, _ change: LabelChangeRequest, accessToken: String) async throws(GmailError) -> ModifiedMessage {
        try await perform(Self.messagesModifyCall(id: id, change), as: ModifiedMessage.self, accessToken: accessToken)
    }
}

/// The JSON bodies of the methods that change mail: objects of string lists, written by hand so that
/// member order is fixed (requests compare byte for byte in tests).
enum GmailJSON {
    static func object(_ members: [(String, [String])]) -> Data {
        let text = members.map { name, values in
            "\"\(name)\":[" + values.map(string).joined(separator: ",") + "]"
        }.joined(separator: ",")
        return Data(("{" + text + "}").utf8)
    }

    /// A JSON string literal (label ids and message ids are plain ASCII, but nothing relies on it).
    static func string(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
