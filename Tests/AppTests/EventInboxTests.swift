import Foundation
import Glibc
import Testing
import MailUI
@testable import App

@Suite struct EventInboxTests {
    @Test func eventsPostedFromOtherTasksAreTakenOnceInOrder() async {
        let inbox = EventInbox()
        await Task.detached { inbox.post(.tick); inbox.post(.waitNote("waiting for Gmail (3 s)")) }.value
        #expect(inbox.take() == [.tick, .waitNote("waiting for Gmail (3 s)")])
        #expect(inbox.take() == [])
    }

    @Test func aHungUpTerminalIsNotAliveEvenWhenItReportsInput() {
        #expect(EventInbox.terminalAlive(revents: Int16(POLLIN)))
        #expect(!EventInbox.terminalAlive(revents: Int16(POLLIN) | Int16(POLLHUP)))
        #expect(!EventInbox.terminalAlive(revents: Int16(POLLNVAL)))
    }
}
