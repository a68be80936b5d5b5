"""What the steps share: assertions, the browser's part of consent, and reading the sandbox's request log."""

import urllib.parse

from sandbox import http_request


class StepFailed(AssertionError):
    pass


def expect(condition, message):
    if not condition:
        raise StepFailed(message)


def query_of(url):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query, keep_blank_values=True))


def consent(authorization_url, redirect_uri, state):
    """What the user's browser does: open the URL, approve (the sandbox approves at once), follow the redirect.

    Returns the redirect's query (code, state, scope) and what the redirect target answered.
    """
    status, headers, body = http_request(authorization_url)
    expect(status == 302, "consent answered %d, not a redirect: %s" % (status, page_text(body)))
    location = headers.get("location", "")
    expect(location.startswith(redirect_uri + "?"), "consent redirected elsewhere than %s" % redirect_uri)
    query = query_of(location)
    expect(query.get("state") == state, "state not echoed unchanged")
    expect(query.get("code"), "no code in the redirect")
    expect(query.get("scope"), "no scope in the redirect")
    landing = http_request(location)
    return query, landing


def page_text(body, limit=200):
    """An HTML error page's words, tags dropped, for a FAIL line."""
    text = body.decode("utf-8", "replace")
    out, inside = [], False
    for ch in text:
        if ch == "<":
            inside = True
        elif ch == ">":
            inside = False
            out.append(" ")
        elif not inside:
            out.append(ch)
    return " ".join("".join(out).split())[:limit]


class RequestLog:
    """The sandbox's log of API and OAuth requests (control requests left out), from a mark on."""

    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.start = 0

    def _entries(self):
        return [e for e in self.sandbox.log() if not e["path"].startswith("/_sandbox/")]

    def mark(self):
        self.start = len(self._entries())

    def since_mark(self):
        return self._entries()[self.start:]

    def all(self):
        return self._entries()


def summary(entries):
    """`GET /gmail/v1/users/me/messages 401, POST /token 200, ...` without query strings."""
    return ", ".join("%s %s %d" % (e["method"], e["path"].split("?")[0], e["status"]) for e in entries)


def expect_sequence(entries, wanted):
    """`wanted` is a list of (method, path prefix, status) that must appear in this order (others may come between)."""
    i = 0
    for e in entries:
        if i < len(wanted):
            method, prefix, status = wanted[i]
            if e["method"] == method and e["path"].startswith(prefix) and e["status"] == status:
                i += 1
    expect(i == len(wanted), "the sandbox saw %s; expected in order %s" % (
        summary(entries), ", ".join("%s %s %d" % w for w in wanted)))
