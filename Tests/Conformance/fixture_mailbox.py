"""The mailbox the suite serves: its own RFC 822 files and labels sidecar.

The suite writes it, so what a list should return is known here, independently of
the sandbox's search code.
"""

import datetime
import email.utils
import json
import os

COUNT = 200
NEWEST = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.timezone.utc)


def labels_for(i):
    """Two thirds unread; a few unread messages sit in the trash or in spam, which a search leaves out."""
    if i % 20 == 1:
        return ["TRASH", "UNREAD"]
    if i % 20 == 2:
        return ["SPAM", "UNREAD"]
    return ["INBOX"] if i % 3 == 0 else ["INBOX", "UNREAD"]


class Message:
    def __init__(self, i):
        self.index = i
        self.file = "conformance-%03d.eml" % i
        self.message_id = "<conformance-%03d@sandbox.test>" % i
        # One hour apart, message 0 the newest, so that newest-first order is known.
        self.date = NEWEST - datetime.timedelta(hours=i)
        self.labels = labels_for(i)

    def rfc822(self):
        return (
            "From: Sender %d <sender%d@example.com>\r\n"
            "To: Demo User <demo@gmail-tui.example>\r\n"
            "Subject: Conformance message %d\r\n"
            "Date: %s\r\n"
            "Message-ID: %s\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "\r\n"
            "Body of message %d.\r\n"
        ) % (self.index, self.index, self.index, email.utils.format_datetime(self.date), self.message_id, self.index)


class Mailbox:
    def __init__(self, directory):
        self.directory = directory
        self.messages = [Message(i) for i in range(COUNT)]

    def write(self):
        for m in self.messages:
            with open(os.path.join(self.directory, m.file), "w", newline="") as f:
                f.write(m.rfc822())
        sidecar = {"labels": [], "messages": {m.file: m.labels for m in self.messages}}
        with open(os.path.join(self.directory, "labels.json"), "w") as f:
            json.dump(sidecar, f)
        return self

    def unread_outside_spam_and_trash(self):
        """What `q=label:UNREAD` must list, newest first."""
        return [m for m in self.messages if "UNREAD" in m.labels and "SPAM" not in m.labels and "TRASH" not in m.labels]

    def by_file(self, name):
        return next(m for m in self.messages if m.file == name)
