import Foundation

/// A resolved Gmail or userinfo method: what it is called, the scopes it accepts, what it costs.
struct APIRoute: Sendable, Equatable {
    enum Method: Sendable, Equatable {
        case profile
        case listMessages
        case getMessage(String)
        case getAttachment(message: String, attachment: String)
        case modifyMessage(String)
        case trashMessage(String)
        case untrashMessage(String)
        case batchModify
        case listLabels
        case getLabel(String)
        case listThreads
        case getThread(String)
        case modifyThread(String)
        case trashThread(String)
        case untrashThread(String)
        case history
        case userinfo
    }

    var method: Method
    var userId: String?

    private static let F = SandboxScope.full, M = SandboxScope.modify, R = SandboxScope.readonly
    private static let Md = SandboxScope.metadata, L = SandboxScope.labels, C = SandboxScope.compose

    /// The scopes that allow the method (docs/wire.md §4's table).
    var scopes: [String] {
        let F = APIRoute.F, M = APIRoute.M, R = APIRoute.R, Md = APIRoute.Md
        switch method {
        case .profile: return [F, M, R, Md, APIRoute.C]
        case .listMessages, .getMessage, .listThreads, .getThread, .history: return [F, M, R, Md]
        case .getAttachment: return [F, M, R]
        case .modifyMessage, .trashMessage, .untrashMessage, .batchModify, .modifyThread, .trashThread, .untrashThread: return [F, M]
        case .listLabels, .getLabel: return [F, M, R, Md, APIRoute.L]
        case .userinfo: return [SandboxScope.userinfoEmail, SandboxScope.userinfoProfile, SandboxScope.openid]
        }
    }

    /// Quota units (the legacy per-method table).
    var units: Int {
        switch method {
        case .profile, .listLabels, .getLabel, .userinfo: 1
        case .history: 2
        case .listMessages, .getMessage, .getAttachment, .modifyMessage, .trashMessage, .untrashMessage: 5
        case .listThreads, .getThread, .modifyThread, .trashThread, .untrashThread: 10
        case .batchModify: 50
        }
    }

    /// The RPC name Google puts in `ErrorInfo.metadata.method`.
    var rpc: String {
        let name: String
        switch method {
        case .profile: name = "GetProfile"
        case .listMessages: name = "ListMessages"
        case .getMessage: name = "GetMessage"
        case .getAttachment: name = "GetAttachment"
        case .modifyMessage: name = "ModifyMessage"
        case .trashMessage: name = "TrashMessage"
        case .untrashMessage: name = "UntrashMessage"
        case .batchModify: name = "BatchModifyMessages"
        case .listLabels: name = "ListLabels"
        case .getLabel: name = "GetLabel"
        case .listThreads: name = "ListThreads"
        case .getThread: name = "GetThread"
        case .modifyThread: name = "ModifyThread"
        case .trashThread: name = "TrashThread"
        case .untrashThread: name = "UntrashThread"
        case .history: name = "ListHistory"
        case .userinfo: return "google.identity.oauth2.Userinfo.Get"
        }
        return "caribou.api.proto.MailboxService." + name
    }

    /// Maps a method and path to a route; nil for paths Google does not serve.
    static func resolve(method: String, path: String) -> APIRoute? {
        if path == "/oauth2/v2/userinfo" || path == "/userinfo/v2/me" || path == "/v1/userinfo" || path == "/oauth2/v3/userinfo" {
            return method == "GET" || method == "POST" ? APIRoute(method: .userinfo, userId: nil) : nil
        }
        let prefix = "/gmail/v1/users/"
        guard path.hasPrefix(prefix) else { return nil }
        let rest = path.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard rest.count >= 2, !rest[0].isEmpty else { return nil }
        let user = rest[0]
        let segs = Array(rest.dropFirst())
        let m: Method?
        switch (method, segs.count) {
        case ("GET", 1) where segs[0] == "profile": m = .profile
        case ("GET", 1) where segs[0] == "messages": m = .listMessages
        case ("GET", 1) where segs[0] == "labels": m = .listLabels
        case ("GET", 1) where segs[0] == "threads": m = .listThreads
        case ("GET", 1) where segs[0] == "history": m = .history
        case ("POST", 2) where segs[0] == "messages" && segs[1] == "batchModify": m = .batchModify
        case ("GET", 2) where segs[0] == "messages": m = .getMessage(segs[1])
        case ("GET", 2) where segs[0] == "labels": m = .getLabel(segs[1])
        case ("GET", 2) where segs[0] == "threads": m = .getThread(segs[1])
        case ("POST", 3) where segs[0] == "messages" && segs[2] == "modify": m = .modifyMessage(segs[1])
        case ("POST", 3) where segs[0] == "messages" && segs[2] == "trash": m = .trashMessage(segs[1])
        case ("POST", 3) where segs[0] == "messages" && segs[2] == "untrash": m = .untrashMessage(segs[1])
        case ("POST", 3) where segs[0] == "threads" && segs[2] == "modify": m = .modifyThread(segs[1])
        case ("POST", 3) where segs[0] == "threads" && segs[2] == "trash": m = .trashThread(segs[1])
        case ("POST", 3) where segs[0] == "threads" && segs[2] == "untrash": m = .untrashThread(segs[1])
        case ("GET", 4) where segs[0] == "messages" && segs[2] == "attachments": m = .getAttachment(message: segs[1], attachment: segs[3])
        default: m = nil
        }
        return m.map { APIRoute(method: $0, userId: user) }
    }
}
