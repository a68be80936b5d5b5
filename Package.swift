// swift-tools-version: 6.0
// gmail-tui: a terminal Gmail browser.
//
// Dependencies point one way, from the executables down to the C libraries
// (see docs/architecture.md). Setting GMAIL_TUI_ONLY to a comma-separated list
// of target names builds just those targets, their dependencies and the test
// targets whose dependencies are all present: developers working on one
// module avoid compiling (for example) Hummingbird when they do not need it.
import PackageDescription
import Foundation

let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let hummingbirdHTTP2 = Target.Dependency.product(name: "HummingbirdHTTP2", package: "hummingbird")
let nioSSL = Target.Dependency.product(name: "NIOSSL", package: "swift-nio-ssl")
let x509 = Target.Dependency.product(name: "X509", package: "swift-certificates")
let asn1 = Target.Dependency.product(name: "SwiftASN1", package: "swift-asn1")
let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
let httpTypes = Target.Dependency.product(name: "HTTPTypes", package: "swift-http-types")
let tomlKit = Target.Dependency.product(name: "TOMLKit", package: "TOMLKit")
let grdb = Target.Dependency.product(name: "GRDB", package: "GRDB.swift")
let serviceLifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")

let allTargets: [Target] = [
    // C shims.
    .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),
    .target(name: "CNcurses", linkerSettings: [.linkedLibrary("ncursesw")]),

    // Libraries.
    .target(name: "HTTPCore"),
    .target(name: "CurlTransport", dependencies: ["HTTPCore", "CCurl"]),
    .target(name: "MIME"),
    .target(name: "GoogleOAuth", dependencies: ["HTTPCore", crypto]),
    .target(name: "GmailAPI", dependencies: ["HTTPCore", "MIME"]),
    .target(name: "MailModels"),
    // The version both executables print, written once.
    .target(name: "ProductVersion"),
    .target(name: "MailStore", dependencies: [grdb]),
    .target(name: "MailService", dependencies: ["MailModels", "MailStore", "GoogleOAuth", "GmailAPI", "HTTPCore", "MIME"]),
    .target(name: "TerminalCells"),
    .target(name: "MailUI", dependencies: ["MailModels", "TerminalCells"]),
    .target(name: "TerminalUI", dependencies: ["TerminalCells", "CNcurses"]),
    .target(name: "GmailSandbox", dependencies: ["HTTPCore", "MIME", hummingbird, hummingbirdHTTP2, nioCore, nioSSL, httpTypes, logging, x509, asn1, crypto, serviceLifecycle], resources: [.copy("DemoMailbox")]),
    // The real client wired to a sandbox: for the bench and TestSupport, which share its set-up.
    .target(name: "GmailSandboxClient", dependencies: ["HTTPCore", "GoogleOAuth", "GmailAPI", "MailService", "GmailSandbox"]),
    .target(name: "TestSupport", dependencies: [
        "HTTPCore", "CurlTransport", "GoogleOAuth", "GmailAPI", "MailService", "GmailSandbox", "GmailSandboxClient",
    ]),

    // Executables.
    .executableTarget(name: "App", dependencies: [
        "HTTPCore", "CurlTransport", "GoogleOAuth", "GmailAPI", "MailService", "MailStore", "MailUI", "TerminalCells", "TerminalUI",
        "GmailSandbox", "ProductVersion", argumentParser, logging, tomlKit,
    ]),
    .executableTarget(name: "SandboxCommand", dependencies: ["GmailSandbox", "ProductVersion", argumentParser]),
    .executableTarget(name: "GmailBench", dependencies: [
        "HTTPCore", "CurlTransport", "GoogleOAuth", "GmailAPI", "MailService", "MailStore", "MailUI", "TerminalCells", "GmailSandbox", "GmailSandboxClient",
    ]),

    // Tests.
    .testTarget(name: "HTTPCoreTests", dependencies: ["HTTPCore"]),
    .testTarget(name: "CurlTransportTests", dependencies: ["CurlTransport", "HTTPCore", "GmailSandbox", "TestSupport", hummingbird, logging]),
    .testTarget(name: "MIMETests", dependencies: ["MIME"]),
    .testTarget(name: "GoogleOAuthTests", dependencies: ["GoogleOAuth", "TestSupport", "HTTPCore"]),
    .testTarget(name: "GmailAPITests", dependencies: ["GmailAPI", "TestSupport", "HTTPCore", "MIME"]),
    .testTarget(name: "MailServiceTests", dependencies: ["MailService", "TestSupport", "GoogleOAuth", "GmailAPI", "HTTPCore", "MailStore", "GmailSandbox"]),
    .testTarget(name: "MailStoreTests", dependencies: ["MailStore", grdb]),
    .testTarget(name: "MailUITests", dependencies: ["MailUI", "MailModels", "TerminalCells"]),
    .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "TerminalCells"]),
    .testTarget(name: "GmailSandboxTests", dependencies: ["GmailSandbox", "HTTPCore"]),
    .testTarget(name: "ScenarioTests", dependencies: [
        "GmailSandbox", "CurlTransport", "GoogleOAuth", "GmailAPI", "MailService", "MailStore", "HTTPCore", "TestSupport", "MIME",
    ]),
    .testTarget(name: "AppTests", dependencies: ["App", "GmailSandbox", "GoogleOAuth", "MailService", "MailStore", "MailUI", "TerminalUI", "HTTPCore", "TestSupport",
                                              "GmailAPI", "GmailSandboxClient", "MailModels", "MIME"]),
    .testTarget(name: "EndToEndTests", dependencies: ["GmailSandbox", "GmailSandboxClient", "GoogleOAuth", "TestSupport", "GmailAPI", "MIME"]),
]

let allProducts: [(product: Product, target: String)] = [
    (.executable(name: "gmail-tui", targets: ["App"]), "App"),
    (.executable(name: "gmail-sandbox", targets: ["SandboxCommand"]), "SandboxCommand"),
    (.executable(name: "gmail-bench", targets: ["GmailBench"]), "GmailBench"),
]

// GMAIL_TUI_ONLY=MIME,GmailAPI keeps those targets, what they need, and their tests.
func selected(_ targets: [Target]) -> [Target] {
    guard let only = ProcessInfo.processInfo.environment["GMAIL_TUI_ONLY"], !only.isEmpty else { return targets }
    let byName = Dictionary(uniqueKeysWithValues: targets.map { ($0.name, $0) })
    func localDeps(_ t: Target) -> [String] {
        t.dependencies.compactMap {
            switch $0 {
            case .byNameItem(let name, _), .targetItem(let name, _): return name
            default: return nil
            }
        }
    }
    var keep = Set<String>()
    var work = only.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    while let name = work.popLast() {
        guard keep.insert(name).inserted, let t = byName[name] else { continue }
        work += localDeps(t).filter { byName[$0] != nil }
    }
    return targets.filter { t in
        if keep.contains(t.name) { return true }
        guard t.type == .test else { return false }
        let deps = localDeps(t).filter { byName[$0] != nil }
        return !deps.isEmpty && deps.allSatisfy { keep.contains($0) } && deps.contains { only.contains($0) }
    }
}

let targets = selected(allTargets)
let names = Set(targets.map(\.name))

let package = Package(
    name: "gmail-tui",
    platforms: [.macOS(.v14)],
    products: allProducts.filter { names.contains($0.target) }.map(\.product),
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        // The sandbox's HTTPS (--tls): HTTP/2 over swift-nio-ssl, and a throwaway CA made at start.
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", exact: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", exact: "1.7.4"),
        // Hummingbird's own dependencies, declared because the sandbox imports them (URLs as it names them).
        .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-http-types.git", exact: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
        // The local store (MailStore): SQLite through GRDB, linked against the system's libsqlite3.
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        // config.toml (TOML 1.0, through toml++).
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: targets,
    swiftLanguageModes: [.v6]
)
