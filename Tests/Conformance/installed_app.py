"""google-auth-oauthlib's installed-app flow: PKCE and a loopback redirect, then Gmail through google-auth."""

import base64
import contextlib
import hashlib
import io
import json
import queue
import threading

import requests
from google.auth.exceptions import RefreshError
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


def id_token_email(id_token):
    """The email claim of an id_token (its signature is not this suite's business)."""
    payload = id_token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))).get("email")


def authorize(sandbox, scopes):
    """The installed-app flow as a user runs it: the printed URL opened, consent, the loopback listener.

    Returns the flow, its credentials and what the browser saw.
    """
    config = sandbox.client_secrets("installed")
    flow = InstalledAppFlow.from_client_config(config, scopes=scopes)
    lines, seen = queue.Queue(), {}
    thread = threading.Thread(target=browser, args=(lines, seen), daemon=True)
    thread.start()
    with contextlib.redirect_stdout(LineTap(lines)):
        credentials = flow.run_local_server(host="127.0.0.1", port=0, open_browser=False,
                                            authorization_prompt_message="{url}", success_message=DONE,
                                            timeout_seconds=30)
    thread.join(30)
    expect("error" not in seen, "the browser failed: %s" % seen.get("error"))
    return flow, credentials, seen


def installed_app_flow(sandbox):
    config = sandbox.client_secrets("installed")
    log = RequestLog(sandbox)
    log.mark()
    flow, credentials, seen = authorize(sandbox, SCOPES)
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
    expect(credentials.id_token, "no id_token although openid was asked for")
    email = id_token_email(credentials.id_token)
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

    # Revocation as Google's web-server guide writes it in Python: POST with the access token as a parameter,
    # which takes the refresh token with it.
    log.mark()
    revoke = requests.post(config["installed"]["revoke_uri"], params={"token": credentials.token},
                           headers={"content-type": "application/x-www-form-urlencoded"}, timeout=30)
    expect(revoke.status_code == 200, "revoke answered %d" % revoke.status_code)
    try:
        credentials.refresh(Request())
        raise AssertionError("the refresh token outlived the revocation of its access token")
    except RefreshError as error:
        expect("invalid_grant" in str(error) and "Token has been expired or revoked." in str(error),
               "refresh refused with %r" % str(error)[:200])
    expect_sequence(log.since_mark(), [("POST", "/revoke", 200), ("POST", "/token", 400)])
    return ("S256 challenge, 128-character verifier, redirect to %s; getProfile, refresh, retry after a 401; "
            "revoking the access token ends the refresh token" % q["redirect_uri"])
