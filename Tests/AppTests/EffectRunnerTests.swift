import Foundation
import Testing
import HTTPCore
import GoogleOAuth
import MailService
import MailUI
import GmailSandbox
import TestSupport
import TerminalUI
@testable import App

/// The effect runner performing each effect against the sandbox on a loopback port, as the browser's loop does.
@Suite struct EffectRunnerTests {
    @Test func theListenerCompletesAuthorizationThenPagesAndMessagesLoad() async throws {
        try await withRunner { runner, services, sandbox, events in
            // Nothing authorized yet: a page asks for authorization instead of reaching Gmail.
            let refused = await runner.run(.fetchPage(query: "", pageToken: nil, pageSize: 5))
            guard case .pageFailed(_, _, .reauthorizationRequired)? = refused else { Issue.record("got \(String(describing: refused))"); return }

            guard case .authorizationNeeded(let url, nil, nil)? = await runner.run(.startAuthorization(loginHint: nil)) else {
                Issue.record("no authorization URL"); return
            }
            let query = URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []
            let redirect = try #require(query.first { $0.name == "redirect_uri" }?.value)
            #expect(redirect.hasPrefix("http://127.0.0.1:"))
            #expect(query.contains { $0.name == "code_challenge" })
            #expect(query.first { $0.name == "prompt" }?.value == "consent", "no refresh token is stored")

            // The browser comes back to the listener: the runner exchanges the code on its own.
            try await followRedirects(from: url, services.transport)
            #expect(await events.next { $0 == .authorizationExchangeStarted } != nil)
            #expect(await events.next { $0 == .authorizationSucceeded(email: Sandbox.defaultUserEmail) } != nil)
            #expect(try services.store.account(email: Sandbox.defaultUserEmail)?.refreshToken != nil)

            guard case .pageLoaded(let first)? = await runner.run(.fetchPage(query: "", pageToken: nil, pageSize: 5)) else {
                Issue.record("the first page did not load"); return
            }
            #expect(first.messages.count == 5)
            let next = try #require(first.nextPageToken)

            // A prefetched page answers the later fetch without another list call.
            #expect(await runner.run(.prefetchPage(query: "", pageToken: next, pageSize: 5)) == nil)
            let lists = sandbox.listCalls(), requests = sandbox.requests()
            guard case .pageLoaded(let second)? = await runner.run(.fetchPage(query: "", pageToken: next, pageSize: 5)) else {
                Issue.record("the second page did not load"); return
            }
            #expect(second.pageToken == next)
            #expect(sandbox.requests() == requests)

            // A reload asks Gmail again.
            _ = await runner.run(.fetchPage(query: "", pageToken: nil, pageSize: 5, reload: true))
            #expect(sandbox.listCalls() == lists + 1)

            // So does a prefetched message: the open is answered from memory.
            let id = second.messages[0].id
            #expect(await runner.run(.prefetchMessage(id: id)) == nil)
            let before = sandbox.requests()
            guard case .messageLoaded(let detail)? = await runner.run(.fetchMessage(id: id)) else {
                Issue.record("the message did not load"); return
            }
            #expect(detail.id == id)
            #expect(sandbox.requests() == before)

            #expect(await runner.run(.fetchMessage(id: "0000000000000000")) == .messageFailed(id: "0000000000000000", error: .notFound))
            #expect(runner.waitNote(now: Date()) == nil, "nothing is in flight")
        }
    }

    @Test(arguments: SandboxTransportKind.allCases)
    func aPastedAddressCompletesTheAttemptOnceAndABadPasteSaysWhy(_ way: SandboxTransportKind) async throws {
        try await withRunner(way) { runner, services, _, _ in
            #expect(await runner.run(.submitCode("4/abc")) == .authorizationFailed("No authorization is in progress."))
            guard case .authorizationNeeded(let url, _, _)? = await runner.run(.startAuthorization(loginHint: nil)) else {
                Issue.record("no authorization URL"); return
            }
            // Where the browser would end: the sandbox's redirect, not followed to the listener.
            let answer = try await services.transport.send(HTTPRequest(url: url))
            let location = try #require(answer.headers["Location"])

            let wrongState = location.replacingOccurrences(of: "state=", with: "state=x")
            guard case .authorizationFailed(let why)? = await runner.run(.submitCode(wrongState)) else {
                Issue.record("another attempt's address was accepted"); return
            }
            #expect(why.contains("state mismatch"))

            #expect(await runner.run(.submitCode(location)) == .authorizationSucceeded(email: Sandbox.defaultUserEmail))
            #expect(await runner.run(.submitCode(location)) == .authorizationFailed("No authorization is in progress."))
            guard case .pageLoaded? = await runner.run(.fetchPage(query: "", pageToken: nil, pageSize: 3)) else {
                Issue.record("no page after a pasted authorization"); return
            }
        }
    }

    @Test func aCopyOutsideTmuxIsTheTerminalsAndQuitAnswersNothing() async throws {
        try await withRunner { runner, _, _, _ in
            if !TmuxBuffer.isInsideTmux() {
                #expect(await runner.run(.copyToClipboard("https://example.com/")) == .copiedToClipboard(.terminal))
            }
            #expect(await runner.run(.quit) == nil)
        }
    }
}

/// `o`: which opener started, what it said later, and the demo's stand-in for a browser.
@Suite(.serialized) struct OpenURLEffectTests {
    @Test func withNoOpenerTheAnswerSaysSo() async throws {
        let empty = try emptyFolder()
        defer { try? FileManager.default.removeItem(at: empty) }
        try await withRunner(environment: ["PATH": empty.path]) { runner, _, _, _ in
            let url = URL(string: "http://127.0.0.1:9/nothing")!
            #expect(await runner.run(.openURL(url)) == .browserLaunch(.noBrowser))
        }
    }

    @Test func anOpenerThatFailsLaterSaysSoInAnEventOfItsOwn() async throws {
        let empty = try emptyFolder()
        defer { try? FileManager.default.removeItem(at: empty) }
        try await withRunner(environment: ["PATH": empty.path, "BROWSER": "/bin/false"]) { runner, _, _, events in
            let answer = await runner.run(.openURL(URL(string: "http://127.0.0.1:9/nothing")!))
            let failed = BrowserEvent.browserLaunch(.failed(command: "/bin/false", status: 1))
            // The opener may exit before its start is answered; either way its failure is said once.
            if answer == failed {
                #expect(await events.next(waiting: .zero) { $0 == failed } == nil, "said in the answer, not again")
            } else {
                #expect(answer == .browserLaunch(.started(command: "/bin/false")))
                #expect(await events.next { $0 == failed } != nil)
            }
        }
    }

    @Test func inTheDemoOpeningTheURLFollowsItBackToTheListener() async throws {
        let empty = try emptyFolder()
        defer { try? FileManager.default.removeItem(at: empty) }
        try await withRunner(demo: true, environment: ["PATH": empty.path]) { runner, _, _, events in
            guard case .authorizationNeeded(let url, _, _)? = await runner.run(.startAuthorization(loginHint: nil)) else {
                Issue.record("no authorization URL"); return
            }
            #expect(await runner.run(.openURL(url)) == nil)
            #expect(await events.next { $0 == .authorizationSucceeded(email: Sandbox.defaultUserEmail) } != nil)
        }
    }

    func emptyFolder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gmail-tui-nobrowser-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

// MARK: - Support

/// The events the runner sends on its own, in order.
final class EventRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [BrowserEvent] = []
    func add(_ event: BrowserEvent) { lock.withLock { events.append(event) } }

    /// The first recorded event matching `match`, waiting up to `wait` for it (`.zero`: what is there now).
    func next(waiting wait: Duration = .seconds(20), _ match: (BrowserEvent) -> Bool) async -> BrowserEvent? {
        let deadline = ContinuousClock.now + wait
        while true {
            if let found = lock.withLock({ events.first(where: match) }) { return found }
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}

extension DemoSandbox {
    /// `messages.list` calls served so far.
    func listCalls() -> Int {
        server.sandbox.requestLog().filter { $0.path.hasPrefix("/gmail/v1/users/me/messages?") }.count
    }
    /// Requests served so far, of any kind.
    func requests() -> Int { server.sandbox.requestLog().count }
}

/// How the runner reaches the sandbox: its handler called in process, or libcurl over a loopback port.

/// A runner with nothing authorized, against a fresh sandbox that is stopped before this returns.
func withRunner(_ way: SandboxTransportKind = .curl, demo: Bool = false, environment: [String: String] = [:],
                _ body: (EffectRunner, Services, DemoSandbox, EventRecorder) async throws -> Void) async throws {
    let sandbox = try await DemoSandbox.start()
    var outcome: Result<Void, any Error> = .success(())
    do {
        let config = sandbox.configure(try Configuration(GlobalOptions.parse([]), environment: ["HOME": sandbox.folder.url.path]))
        let services = switch way {
        case .curl: try Services.make(config)
        case .inProcess: try Services.make(config, transport: SandboxTransport(sandbox.server.sandbox, rootURL: sandbox.server.rootURL))
        }
        let events = EventRecorder()
        let runner = EffectRunner(services: services, account: nil, demo: demo, environment: environment, events: events.add)
        do { try await body(runner, services, sandbox, events) } catch { outcome = .failure(error) }
        runner.stop()
    } catch {
        outcome = .failure(error)
    }
    await sandbox.stop()
    try outcome.get()
}

/// Follows the authorization URL's redirects by hand, as a browser does, until the listener answers.
func followRedirects(from url: URL, _ transport: any HTTPTransport) async throws {
    var next: URL? = url
    for _ in 0..<5 {
        guard let target = next else { return }
        let response = try await transport.send(HTTPRequest(url: target))
        next = response.headers["Location"].flatMap { URL(string: $0, relativeTo: target)?.absoluteURL }
    }
}
