#!/usr/bin/env python3
"""Google's own Python client libraries as the judge of gmail-sandbox.

Runs the Gmail server-side authorization guide's flow (oauth2client, googleapiclient),
google-auth-oauthlib's installed-app flow, and changes to mail read back through
history.list (triage_steps.py) against `gmail-sandbox --port 0` on 127.0.0.1,
serving a mailbox written here. One PASS or FAIL line per step, then
`conformance: N passed, N failed`; the exit status is 1 when a step failed.

Usage: run.py PATH/TO/gmail-sandbox
CONFORMANCE_VERBOSE=1 also prints the sandbox's request log (secrets masked) to standard error.
"""

import logging
import os
import signal
import socket
import sys
import tempfile

# The sandbox speaks plain HTTP on loopback where Google speaks HTTPS: oauthlib refuses
# http:// token endpoints unless told otherwise. Nothing here may go through a proxy.
os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"

from checks import StepFailed, expect  # noqa: E402
from fixture_mailbox import COUNT, Mailbox  # noqa: E402
from sandbox import SandboxProcess  # noqa: E402

# No request may wait forever (httplib2 and requests take this default), nor the whole suite.
socket.setdefaulttimeout(60)
SUITE_LIMIT_S = 300


class SuiteTimeout(BaseException):
    """Raised by SIGALRM, past every `except Exception`, so that the clean-up still runs."""


def _time_is_up(*_):
    raise SuiteTimeout()


# Statuses Google gives the requests this suite makes; anything else (404 page, 405, 5xx) is a sandbox defect.
EXPECTED_STATUSES = {200, 204, 302, 400, 401}


def expected(entry):
    """403 only for a change a read-only grant asked for, 404 only for a forgotten history id."""
    path, status = entry["path"].split("?")[0], entry["status"]
    if status == 403:
        return entry["method"] == "POST" and path.rsplit("/", 1)[-1] in ("modify", "batchModify", "trash")
    if status == 404:
        return path == "/gmail/v1/users/me/history"
    return status in EXPECTED_STATUSES


class Report:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.ok = set()

    def run(self, key, title, step, needs=()):
        missing = [n for n in needs if n not in self.ok]
        if missing:
            return self._line(False, title, "not run: needs " + ", ".join(missing))
        try:
            detail = step()
        except StepFailed as error:
            return self._line(False, title, str(error))
        except Exception as error:
            return self._line(False, title, "%s: %s" % (type(error).__name__, str(error)[:300]))
        self.ok.add(key)
        self._line(True, title, detail)

    def fail(self, title, detail):
        self._line(False, title, detail)

    def _line(self, passed, title, detail):
        if passed:
            self.passed += 1
        else:
            self.failed += 1
        print("%s  %s%s" % ("PASS" if passed else "FAIL", title, ": " + detail if detail else ""), flush=True)


def main(binary):
    logging.basicConfig(level=logging.CRITICAL)
    # SIGTERM or SIGHUP still run the `finally` that stops the sandbox.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_, s=sig: sys.exit(128 + s))
    signal.signal(signal.SIGALRM, _time_is_up)
    signal.alarm(SUITE_LIMIT_S)
    report = Report()
    sandbox = None
    with tempfile.TemporaryDirectory(prefix="gmail-conformance-") as workdir:
        mailbox_dir = os.path.join(workdir, "mailbox")
        os.mkdir(mailbox_dir)
        mailbox = Mailbox(mailbox_dir).write()
        ctx = {}
        try:
            def start():
                nonlocal sandbox
                sandbox = SandboxProcess(binary, mailbox_dir).start()
                expect(sandbox.message_count == COUNT, "%s messages loaded, not %d" % (sandbox.message_count, COUNT))
                from guide_steps import GuideSteps
                ctx["guide"] = GuideSteps(sandbox, mailbox, workdir)
                return "%s --port 0 on %s, %d messages" % (os.path.basename(binary), sandbox.root, COUNT)

            try:
                report.run("sandbox", "sandbox started", start)
                run_steps(report, sandbox, ctx.get("guide"))
            except SuiteTimeout:
                report.fail("the suite finished within %d s" % SUITE_LIMIT_S, "it did not; the rest was not run")
        finally:
            signal.alarm(0)
            # A second signal must not cut the clean-up short.
            for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
                signal.signal(sig, signal.SIG_IGN)
            if sandbox is not None:
                sandbox.stop()
    print("conformance: %d passed, %d failed" % (report.passed, report.failed), flush=True)
    return 1 if report.failed else 0


def run_steps(report, sandbox, g):
    def step(key, title, name, needs=()):
        report.run(key, title, (lambda: getattr(g, name)()) if g else None, ("sandbox",) + tuple(needs))

    step("url", "authorization URL (oauth2client, access_type=offline, approval_prompt=force, state)", "authorization_url")
    step("consent", "consent", "consent", ["url"])
    step("exchange", "code exchange without PKCE", "exchange", ["consent"])
    step("userinfo", "userinfo (oauth2 v2, googleapiclient)", "userinfo", ["exchange"])
    step("keyed", "credentials keyed by user id", "keyed_by_user_id", ["userinfo"])
    step("twice", "a code used twice is refused", "code_used_twice", ["exchange"])
    step("list", "messages.list q=label:UNREAD to the last nextPageToken", "list_unread", ["keyed"])
    step("empty", "an empty result", "empty_result", ["list"])
    step("batch", "a batch of messages.get (BatchHttpRequest)", "batch", ["list"])
    step("expired", "an expired access token refreshed after a 401", "expired_token_refreshed", ["list"])
    step("401", "the guide's 401 branch when refreshing cannot help (grant revoked)", "unauthorized_branch", ["list"])
    step("revoke", "revocation, then invalid_grant", "revocation", ["401"])
    step("secret", "a wrong client secret is refused with invalid_client", "wrong_client_secret", ["userinfo"])

    def installed():
        from installed_app import installed_app_flow
        return installed_app_flow(sandbox)

    report.run("installed", "InstalledAppFlow with PKCE and a loopback redirect", installed, ["sandbox"])

    triage = {}

    def changes(key, title, name, needs=()):
        def run():
            if "steps" not in triage:
                from triage_steps import TriageSteps
                triage["steps"] = TriageSteps(sandbox)
            return getattr(triage["steps"], name)()
        report.run(key, title, run, ("sandbox",) + tuple(needs))

    changes("grants", "gmail.modify and gmail.readonly grants (InstalledAppFlow)", "grants")
    changes("modify", "messages.modify", "modify", ["grants"])
    changes("batchModify", "messages.batchModify", "batch_modify", ["grants"])
    changes("trash", "messages.trash/untrash, threads.trash/untrash", "trash", ["grants"])
    changes("history", "history.list from getProfile's historyId gives back every change", "history", ["modify", "batchModify", "trash"])
    changes("delivered", "a delivered message in history.list (messageAdded)", "delivered", ["history"])
    changes("403", "a read-only grant gets 403 insufficientPermissions", "read_only_refused", ["grants"])
    changes("label", "an unknown label gets 400 Invalid label", "invalid_label", ["grants"])
    changes("stale", "a forgotten startHistoryId gets 404", "stale_history", ["delivered"])

    def every_request():
        from checks import RequestLog, summary
        entries = RequestLog(sandbox).all()
        if os.environ.get("CONFORMANCE_VERBOSE"):
            for e in entries:  # secrets are masked by the sandbox
                print("  %s %s %d" % (e["method"], e["path"], e["status"]), file=sys.stderr)
        odd = [e for e in entries if not expected(e)]
        expect(not odd, "answered as Google would not: " + summary(odd[:10]))
        return "%d requests, each answered 200, 204, 302, 400, 401, or 403 and 404 where refused on purpose" % len(entries)

    report.run("log", "every request the libraries made was served", every_request, ["sandbox"])


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
