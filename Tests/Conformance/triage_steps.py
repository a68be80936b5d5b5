"""Changing mail as Gmail's Python client does: modify, batchModify, trash, untrash, threads, then history.

The changes go through googleapiclient with google-auth credentials from the installed-app flow, one grant
with gmail.modify and one read-only; what each change should leave is computed here and compared with the
sandbox's own view (`/_sandbox/messages`) and with history.list read back from getProfile's historyId.
"""

import json

from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from checks import RequestLog, expect, expect_sequence
from installed_app import authorize

MODIFY = "https://www.googleapis.com/auth/gmail.modify"
READONLY = "https://www.googleapis.com/auth/gmail.readonly"
INSUFFICIENT = "Request had insufficient authentication scopes."
NOT_FOUND = "Requested entity was not found."


def error_body(error):
    return json.loads(error.content)["error"]


class TriageSteps:
    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.log = RequestLog(sandbox)
        # (kind, message id, label ids) of every change made here, in order: what history.list must give back.
        self.expected = []

    def _gmail(self, credentials):
        return build("gmail", "v1", credentials=credentials, static_discovery=True,
                     client_options={"api_endpoint": self.sandbox.root})

    def _labels(self, message_id):
        return next(m["labelIds"] for m in self.sandbox.messages() if m["id"] == message_id)

    def grants(self):
        _, modify, _ = authorize(self.sandbox, [MODIFY])
        _, readonly, _ = authorize(self.sandbox, [READONLY])
        expect(MODIFY in (modify.granted_scopes or []), "granted %r, not gmail.modify" % modify.granted_scopes)
        expect(READONLY in (readonly.granted_scopes or []) and MODIFY not in readonly.granted_scopes,
               "read-only grant has %r" % readonly.granted_scopes)
        self.gmail, self.readonly = self._gmail(modify), self._gmail(readonly)
        self.start = self.gmail.users().getProfile(userId="me").execute()["historyId"]
        inbox_unread = [m["id"] for m in self.sandbox.messages("INBOX", "UNREAD")]
        expect(len(inbox_unread) >= 6, "too few unread messages in the inbox to work on")
        self.targets = inbox_unread[:6]
        return "InstalledAppFlow twice: gmail.modify and gmail.readonly; getProfile's historyId %s" % self.start

    def modify(self):
        target = self.targets[0]
        answer = self.gmail.users().messages().modify(
            userId="me", id=target, body={"addLabelIds": ["STARRED"], "removeLabelIds": ["UNREAD"]}).execute()
        expect(set(answer) == {"id", "threadId", "labelIds"} and answer["id"] == target, "answer %r" % answer)
        expect(answer["labelIds"] == ["INBOX", "STARRED"], "labels %r after the change" % answer["labelIds"])
        expect(self._labels(target) == ["INBOX", "STARRED"], "the sandbox holds %r" % self._labels(target))
        self.expected += [("labelsAdded", target, ["STARRED"]), ("labelsRemoved", target, ["UNREAD"])]
        return "UNREAD off, STARRED on: {id, threadId, labelIds} as the sandbox holds them"

    def batch_modify(self):
        ids = self.targets[1:4]
        self.log.mark()
        answer = self.gmail.users().messages().batchModify(
            userId="me", body={"ids": ids, "addLabelIds": ["IMPORTANT"], "removeLabelIds": ["UNREAD"]}).execute()
        expect(not answer, "batchModify answered %r, not an empty body" % answer)
        expect_sequence(self.log.since_mark(), [("POST", "/gmail/v1/users/me/messages/batchModify", 204)])
        for i in ids:
            expect(self._labels(i) == ["IMPORTANT", "INBOX"], "message %s holds %r" % (i, self._labels(i)))
            self.expected += [("labelsAdded", i, ["IMPORTANT"]), ("labelsRemoved", i, ["UNREAD"])]
        return "3 ids in one call: 204, each message IMPORTANT and read"

    def trash(self):
        target = self.targets[4]
        trashed = self.gmail.users().messages().trash(userId="me", id=target).execute()
        expect(trashed["labelIds"] == ["INBOX", "TRASH", "UNREAD"], "trash left %r" % trashed["labelIds"])
        listed = self.gmail.users().messages().list(userId="me", maxResults=500).execute()
        expect(target not in [m["id"] for m in listed.get("messages", [])], "a trashed message is still listed")
        back = self.gmail.users().messages().untrash(userId="me", id=target).execute()
        expect(back["labelIds"] == ["INBOX", "UNREAD"], "untrash left %r" % back["labelIds"])
        thread = self.gmail.users().threads().trash(userId="me", id=trashed["threadId"]).execute()
        expect(all("TRASH" in m["labelIds"] for m in thread["messages"]), "threads.trash left %r" % thread)
        self.gmail.users().threads().untrash(userId="me", id=trashed["threadId"]).execute()
        self.expected += [("labelsAdded", target, ["TRASH"]), ("labelsRemoved", target, ["TRASH"])]
        for m in thread["messages"]:
            self.expected.append(("labelsAdded", m["id"], ["TRASH"]))
        for m in thread["messages"]:
            self.expected.append(("labelsRemoved", m["id"], ["TRASH"]))
        return "messages.trash, unlisted, untrash; threads.trash and untrash: only TRASH changes"

    def _history(self, **params):
        """Every record from the start, following nextPageToken; returns (records, pages, last answer)."""
        history = self.gmail.users().history()
        request = history.list(userId="me", startHistoryId=self.start, **params)
        records, pages, answer = [], 0, None
        while request is not None:
            answer = request.execute()
            records += answer.get("history", [])
            pages += 1
            request = history.list_next(request, answer)
        return records, pages, answer

    @staticmethod
    def _kind(record):
        kinds = [k for k in ("messagesAdded", "messagesDeleted", "labelsAdded", "labelsRemoved") if k in record]
        expect(len(kinds) == 1, "a record with %r" % kinds)
        change = record[kinds[0]][0]
        return kinds[0], change["message"]["id"], change.get("labelIds", [])

    def history(self):
        records, pages, answer = self._history(maxResults=3)
        got = [self._kind(r) for r in records]
        expect(got == self.expected, "history gave %r, the changes were %r" % (got[:6], self.expected[:6]))
        ids = [int(r["id"]) for r in records]
        expect(ids == sorted(set(ids)) and ids[0] > int(self.start), "record ids do not rise from the start: %r" % ids)
        expect(pages == (len(records) + 2) // 3, "%d pages for %d records of 3 a page" % (pages, len(records)))
        profile = self.gmail.users().getProfile(userId="me").execute()["historyId"]
        expect(answer["historyId"] == profile == str(ids[-1]), "historyId %s, getProfile %s, last record %d"
               % (answer["historyId"], profile, ids[-1]))
        removed, _, _ = self._history(historyTypes="labelRemoved", labelId="UNREAD")
        expect([self._kind(r) for r in removed] == [e for e in self.expected if e[0] == "labelsRemoved" and e[2] == ["UNREAD"]],
               "historyTypes=labelRemoved&labelId=UNREAD gave %r" % [self._kind(r) for r in removed])
        return "%d records in %d pages of 3 (list_next), equal to the changes made; historyTypes and labelId filter them" % (
            len(records), pages)

    def delivered(self):
        arrived = self.sandbox.deliver("Conformance delivery")
        records, _, _ = self._history(historyTypes="messageAdded")
        expect([self._kind(r) for r in records] == [("messagesAdded", arrived["id"], [])], "messageAdded gave %r" % records)
        message = records[0]["messagesAdded"][0]["message"]
        expect(message.get("labelIds") == ["INBOX", "UNREAD"] and message.get("threadId") == arrived["threadId"],
               "the added message is %r" % message)
        first = self.gmail.users().messages().list(userId="me", maxResults=1).execute()["messages"][0]
        expect(first["id"] == arrived["id"], "the new message is not listed first")
        return "a message delivered through the control API: one messagesAdded record, listed first"

    def read_only_refused(self):
        target = self.targets[5]
        before = self._labels(target)
        calls = [
            ("messages.modify", self.readonly.users().messages().modify(userId="me", id=target, body={"removeLabelIds": ["UNREAD"]})),
            ("messages.batchModify", self.readonly.users().messages().batchModify(userId="me", body={"ids": [target], "removeLabelIds": ["UNREAD"]})),
            ("messages.trash", self.readonly.users().messages().trash(userId="me", id=target)),
            ("threads.modify", self.readonly.users().threads().modify(userId="me", id=target, body={"addLabelIds": ["STARRED"]})),
        ]
        for name, call in calls:
            try:
                call.execute()
                raise AssertionError("%s succeeded with a read-only grant" % name)
            except HttpError as error:
                body = error_body(error)
                expect(error.resp.status == 403 and error.reason == INSUFFICIENT, "%s: %d %r" % (name, error.resp.status, error.reason))
                expect(body["errors"][0]["reason"] == "insufficientPermissions" and body["status"] == "PERMISSION_DENIED",
                       "%s: not Google's 403 body: %r" % (name, body))
                expect('error="insufficient_scope"' in error.resp.get("www-authenticate", ""), "%s: no insufficient_scope" % name)
        expect(self._labels(target) == before, "a refused change changed the message")
        return "modify, batchModify, trash, threads.modify: 403 insufficientPermissions, Google's words; nothing changed"

    def invalid_label(self):
        try:
            self.gmail.users().messages().modify(userId="me", id=self.targets[5], body={"addLabelIds": ["Label_404"]}).execute()
            raise AssertionError("an unknown label was accepted")
        except HttpError as error:
            expect(error.resp.status == 400 and error.reason == "Invalid label: Label_404", "%d %r" % (error.resp.status, error.reason))
        return "400 Invalid label: Label_404"

    def stale_history(self):
        now = self.gmail.users().getProfile(userId="me").execute()["historyId"]
        self.sandbox.forget_history(now)
        try:
            self._history()
            raise AssertionError("history from a forgotten id answered")
        except HttpError as error:
            expect(error.resp.status == 404 and error.reason == NOT_FOUND and error_body(error)["status"] == "NOT_FOUND",
                   "%d %r" % (error.resp.status, error.reason))
        answer = self.gmail.users().history().list(userId="me", startHistoryId=now).execute()
        expect(answer == {"historyId": now}, "from the current id: %r" % answer)
        return "a forgotten startHistoryId: 404 %s; the current one: {historyId} alone" % NOT_FOUND
