import Foundation
import ArgumentParser
import HTTPCore
import GoogleOAuth
import MailService

/// One cause, one answer: the words and exit status every command gives for the same failure.
///
/// Exit statuses (sysexits.h): 75 try again later (network, Google, the credential lock held by another
/// process), 77 no usable authorization (authorize, or fix the credential file as the message says),
/// 78 configuration (client secrets, plain http:// off loopback, an OAuth client Google refuses).
enum CommandFailure {
    /// The documented status for an error, whatever command met it.
    static func status(for error: any Error) -> Int32 {
        switch error {
        case let error as CredentialStoreError:
            if case .locked = error { return ExitStatus.temporary }
            return ExitStatus.noAuthorization
        case let error as MailServiceError:
            switch error {
            case .reauthorizationRequired, .loggedOutElsewhere, .modifyPermissionRequired: return ExitStatus.noAuthorization
            case .configuration: return ExitStatus.config
            case .network, .rateLimited, .notFound, .api, .badAnswer, .tokenEndpoint: return ExitStatus.temporary
            }
        case let error as OAuthError:
            switch error {
            case .clientMisconfigured, .network(.insecureURL): return ExitStatus.config
            case .network, .server, .invalidResponse: return ExitStatus.temporary
            default: return ExitStatus.noAuthorization
            }
        case TransportError.insecureURL: return ExitStatus.config
        case is TransportError: return ExitStatus.temporary
        case is ClientSecretsError: return ExitStatus.config
        default: return 1
        }
    }

    /// Prints `gmail-tui: <what happened>` on standard error and returns the exit code to throw.
    static func report(_ error: any Error, context: String? = nil) -> ExitCode {
        printError("gmail-tui: \(context.map { "\($0): " } ?? "")\(words(for: error))")
        return ExitCode(status(for: error))
    }

    /// What the user reads (`ErrorWords`): it says how to fix it and carries no secret.
    static func words(for error: any Error) -> String { ErrorWords.commandLine(for: error) }

    /// The store's answer, or the common message and status for a credential file that cannot be used.
    static func load<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as CredentialStoreError {
            throw report(error)
        }
    }
}
