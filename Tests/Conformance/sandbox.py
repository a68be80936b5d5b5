"""gmail-sandbox as a child process on 127.0.0.1, and its loopback control API."""

import ctypes
import http.client
import json
import queue
import re
import signal
import subprocess
import threading
import urllib.parse

PR_SET_PDEATHSIG = 1


def _die_with_parent():
    # The sandbox must stop whatever happens to the suite, even a SIGKILL of it.
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def http_request(url, method="GET", body=None, headers=None, timeout=30):
    """One request, redirects not followed: (status, lowercased headers, body bytes)."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        conn.request(method, target, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


class SandboxProcess:
    def __init__(self, binary, mailbox_dir):
        self.binary = binary
        self.mailbox_dir = mailbox_dir
        self.process = None
        self.root = None
        self.message_count = None

    def start(self, timeout=60):
        self.process = subprocess.Popen(
            [self.binary, "--port", "0", "--mailbox", self.mailbox_dir],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True, preexec_fn=_die_with_parent)
        lines = queue.Queue()

        def pump():
            for line in self.process.stdout:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=pump, daemon=True).start()
        while self.root is None or self.message_count is None:
            try:
                line = lines.get(timeout=timeout)
            except queue.Empty:
                raise RuntimeError("gmail-sandbox said neither where it listens nor how many messages it loaded "
                                   "within %d s" % timeout) from None
            if line is None:
                raise RuntimeError("gmail-sandbox exited with status %s before listening" % self.process.wait())
            listening = re.match(r"gmail-sandbox listening on (http://127\.0\.0\.1:\d+/)", line)
            loaded = re.match(r"(\d+) messages loaded", line)
            if listening:
                self.root = listening.group(1)
            elif loaded:
                self.message_count = int(loaded.group(1))
        return self

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    # The control API (loopback only).

    def control(self, op, method="GET", **params):
        query = urllib.parse.urlencode(params, doseq=True)
        url = self.root + "_sandbox/" + op + ("?" + query if query else "")
        status, _, body = http_request(url, method=method)
        if status != 200:
            raise RuntimeError("control %s answered %d: %s" % (op, status, body[:200]))
        return json.loads(body)

    def client_secrets(self, kind):
        return self.control("client-secrets", kind=kind)

    def messages(self, *label_ids):
        return self.control("messages", labelId=list(label_ids))["messages"]

    def log(self):
        return self.control("log")["requests"]

    def expire_tokens(self):
        self.control("expire-tokens", method="POST")

    def revoke_user(self, email):
        """What a user does in their Google account's settings: remove the app's access."""
        self.control("revoke", method="POST", email=email)

    def deliver(self, subject):
        """Mail arriving as Gmail receives it: in INBOX, unread. Returns its id, threadId and historyId."""
        return self.control("deliver", method="POST", subject=subject)

    def forget_history(self, before):
        """What a week does to Gmail's history: ids older than `before` are forgotten."""
        return self.control("forget-history", method="POST", before=before)
