import Foundation
import GoogleOAuth
import MailService
import MailUI

// The triage effects: changes of mail, the labels for the checklist, and the authorization that asks for
// `gmail.modify` (the same session, listener and paste field as any other authorization).
extension EffectRunner {
    func runTriage(_ effect: BrowserEffect) async -> BrowserEvent? {
        switch effect {
        case .changeMail(let change):
            guard let mail = currentMail() else { return .mailChangeFailed(change, needAuthorization()) }
            do throws(MailServiceError) {
                let altered = try await mail.apply(change.action, to: change.ids, target: change.target)
                return .mailChanged(change, altered: altered)
            } catch {
                logWarning("change failed: \(error.logDetail)")
                return .mailChangeFailed(change, error)
            }
        case .loadLabelChoices:
            guard let mail = currentMail() else { return .labelChoicesFailed(needAuthorization()) }
            do throws(MailServiceError) {
                return .labelChoicesLoaded(try await mail.labels())
            } catch {
                return .labelChoicesFailed(error)
            }
        case .requestModifyPermission(let loginHint):
            let current: AuthorizationSession
            do {
                current = try AuthorizationSession.addingModify(services: services, loginHint: loginHint)
            } catch {
                return .authorizationFailed("Could not listen on 127.0.0.1 for the browser (\(error)); paste the code instead.")
            }
            install(current)
            return .authorizationNeeded(url: current.url, email: loginHint, reason: nil)
        case .cancelAuthorization:
            cancelAuthorization()
            return nil
        default:
            return nil
        }
    }
}
