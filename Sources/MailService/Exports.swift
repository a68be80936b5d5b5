// The values the UI and the service share are part of the service's interface: a caller that imports
// MailService sees them without a second import.
@_exported import MailModels
