"""google-auth-oauthlib's installed-app flow: PKCE and a loopback redirect, then Gmail through google-auth."""

import base64
import contextlib
import hashlib
import io
import queue
import threading

from google.auth.transport.requests import Request
from google_auth_oauthlib.flow import InstalledAppFlow
from googleapiclient.discovery import build

from checks import RequestLog, expect, expect_sequence, query_of
from sandbox import http_request

SCOPES = ["https://www.googleapis.com/auth/gmail.readonly", "https://www.googleapis.com/auth/userinfo.email", "openid"]
DONE = "The authentication flow has completed. You may close this window."


class LineTap(io.TextIOBase):
    """Standard output as the user reads it: each printed line goes to a queue."""

    def __init__(self, lines):
        self.lines = lines
        self.pending = ""

    def write(self, text):
        self.pending += text
        while "\n" in self.pending:
            line, self.pending = self.pending.split("\n", 1)
            if line.strip():
                self.lines.put(line.strip())
        return len(text)


def browser(lines, seen):
    """The user's browser: opens the printed URL, consents, and follows the redirect to the loopback listener."""
    try:
        url = lines.get(timeout=30)
        seen["url"] = url
        status, headers, _ = http_request(url)
        seen["consent"] = status
        seen["location"] = headers.get("location", "")
        if status == 302:
            seen["listener"] = http_request(seen["location"])
    except Exception as error:  # reported by the step, which checks what was seen
        seen["error"] = repr(error)


def installed_app_flow(sandbox, email):
    config = sandbox.client_secrets("installed")
    flow = InstalledAppFlow.from_client_config(config, scopes=SCOPES)
    log = RequestLog(sandbox)
    log.mark()
    lines, seen = queue.Queue(), {}
    thread = threading.Thread(target=browser, args=(lines, seen), daemon=True)
    thread.start()
    with contextlib.redirect_stdout(LineTap(lines)):
        credentials = flow.run_local_server(host="127.0.0.1", port=0, open_browser=False,
                                            authorization_prompt_message="{url}", success_message=DONE,
                                            timeout_seconds=30)
    thread.join(30)
    expect("error" not in seen, "the browser failed: %s" % seen.get("error"))
    q = query_of(seen["url"])
    verifier = flow.code_verifier
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    expect(len(verifier) == 128, "verifier of %d characters" % len(verifier))
    expect(q.get("code_challenge") == challenge and q.get("code_challenge_method") == "S256", "no S256 challenge")
    expect(q.get("redirect_uri", "").startswith("http://127.0.0.1:") and q.get("access_type") == "offline",
           "redirect_uri %r, access_type %r" % (q.get("redirect_uri"), q.get("access_type")))
    expect(seen.get("consent") == 302 and seen["location"].startswith(q["redirect_uri"] + "?"),
           "consent answered %r to %r" % (seen.get("consent"), q.get("redirect_uri")))
    status, _, body = seen["listener"]
    expect(status == 200 and DONE in body.decode(), "the loopback listener answered %d" % status)
    expect(credentials.token and credentials.refresh_token, "no access or refresh token")
    expect_sequence(log.since_mark(), [("GET", "/o/oauth2/auth", 302), ("POST", "/token", 200)])

    # google-auth's side: Gmail with these credentials, a refresh, and the retry after a 401.
    gmail = build("gmail", "v1", credentials=credentials, static_discovery=True,
                  client_options={"api_endpoint": sandbox.root})
    expect(gmail.users().getProfile(userId="me").execute().get("emailAddress") == email, "profile of another user")
    first = credentials.token
    credentials.refresh(Request())
    expect(credentials.token != first and credentials.refresh_token, "refresh gave no new access token")
    second = credentials.token
    sandbox.expire_tokens()
    log.mark()
    expect(gmail.users().getProfile(userId="me").execute().get("emailAddress") == email, "no profile after a 401")
    expect(credentials.token != second, "the expired token was not replaced")
    expect_sequence(log.since_mark(), [("GET", "/gmail/v1/users/me/profile", 401), ("POST", "/token", 200),
                                       ("GET", "/gmail/v1/users/me/profile", 200)])
    return "S256 challenge, 128-character verifier, redirect to %s; getProfile, refresh, retry after a 401" % (
        q["redirect_uri"])
