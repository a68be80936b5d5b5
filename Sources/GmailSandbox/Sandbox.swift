import Foundation
import HTTPCore
import MIME
import Hummingbird

/// The local Google emulator (to be built).
public enum GmailSandbox {}
