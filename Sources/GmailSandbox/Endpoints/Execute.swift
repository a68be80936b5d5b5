import Foundation

/// The Gmail and userinfo methods, run after admission (token, scope, user, limits).
extension Sandbox {
    /// Runs the method a route names. Methods and the lookups they share refuse by
    /// throwing Google's answer, so the refusal becomes the response here, once.
    func execute(_ route: APIRoute, _ request: SandboxRequest, _ caller: Caller) -> SandboxResponse {
        do throws(ErrorResponse) {
            switch route.method {
            case .profile: return profile(caller)
            case .listMessages: return try listMessages(request, caller)
            case .listThreads: return try listThreads(request, caller)
            case .getMessage(let id): return try getMessage(id, request, caller)
            case .getAttachment(let message, let attachment): return try getAttachment(message, attachment)
            case .modifyMessage(let id): return try modifyMessage(id, request)
            case .trashMessage(let id): return try trashMessage(id)
            case .untrashMessage(let id): return try untrashMessage(id)
            case .batchModify: return try batchModify(request)
            case .listLabels: return listLabels()
            case .getLabel(let id): return getLabel(id)
            case .getThread(let id): return try getThread(id, request, caller)
            case .modifyThread(let id): return try modifyThread(id, request)
            case .trashThread(let id): return try trashThread(id)
            case .untrashThread(let id): return try untrashThread(id)
            case .history: return try listHistory(request)
            case .userinfo: return userinfo(caller)
            }
        } catch {
            return error.response
        }
    }
}
