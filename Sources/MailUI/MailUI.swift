import MailService

/// The browser's pure state machine (to be built).
public enum MailUI {}
