import Foundation
import Testing
import TestSupport

extension HostileServerCommandTests {
    /// `messages.list` answers an empty list for a query that matches nothing, so a 404 to it is no deleted
    /// message: the words say what Gmail answered, for the list.
    @Test func a404ToTheListIsNotCalledADeletion() async throws {
        let server = try ScriptedHTTPServer { request in
            request.target.contains("/messages")
                ? ScriptedHTTPServer.response(404, "Not Found", headers: [("Content-Type", "application/json")],
                                              text: #"{"error":{"code":404,"message":"Requested entity was not found.","status":"NOT_FOUND"}}"#)
                : ScriptedHTTPServer.response(500, "Internal Server Error", text: "unexpected \(request.target)")
        }
        let setup = try Setup(server: server)
        defer { setup.remove() }
        let r = try await run(["list", "--query", "label:work"] + setup.arguments())
        #expect(server.requests.first?.target.contains("/messages") == true, "\(server.requests.map(\.target))")
        #expect(r.status == 75)
        #expect(r.stderr.hasPrefix("gmail-tui: Gmail answered 404 Not found for the list: "), "\(r.stderr)")
        #expect(r.stderr.contains("\"label:work\""), "\(r.stderr)")
        #expect(!r.stderr.contains("deleted"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }
}
