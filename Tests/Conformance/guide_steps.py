"""The server-side guide's flow, step by step, as oauth2client and googleapiclient do it."""

import datetime
import json
import os
import uuid

import httplib2
from googleapiclient import errors
from googleapiclient.discovery import build
from googleapiclient.http import BatchHttpRequest
from oauth2client.client import FlowExchangeError, HttpAccessTokenRefreshError, TokenRevokeError, flow_from_clientsecrets

from checks import RequestLog, consent, expect, expect_sequence, query_of
from guide import SCOPES, CodeExchangeException, CredentialsRevoked, Guide, list_messages_matching_query

# Google's words for a bad or expired token (docs/wire.md §5).
INVALID_CREDENTIALS = ("Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie "
                       "or other valid authentication credential. See "
                       "https://developers.google.com/identity/sign-in/web/devconsole-project.")
NOT_FOUND = "Requested entity was not found."
UNKNOWN_ID = "ffffffffffffffff"
# Gmail answers 429 to parts beyond the per-user concurrency (about 20 to 50 parts, docs/wire.md §6), and the
# sandbox holds 25 in flight: batches of 20, as practitioners chunk them.
BATCH_SIZE = 20


class GuideSteps:
    def __init__(self, sandbox, mailbox, workdir):
        self.sandbox = sandbox
        self.mailbox = mailbox
        self.workdir = workdir
        self.log = RequestLog(sandbox)
        web = sandbox.client_secrets("web")
        self.web = web["web"]
        self.secrets_path = self._write("web-client.json", web)
        self.redirect_uri = self.web["redirect_uris"][0]
        storage = os.path.join(workdir, "credentials")
        os.makedirs(storage, exist_ok=True)
        self.guide = Guide(self.secrets_path, self.redirect_uri, sandbox.root, storage)
        self.state = uuid.uuid4().hex

    def _write(self, name, obj):
        path = os.path.join(self.workdir, name)
        with open(path, "w") as f:
            json.dump(obj, f)
        return path

    def _consent(self, url):
        query, (landing_status, _, _) = consent(url, self.redirect_uri, self.state)
        expect(landing_status == 200, "the registered redirect URI answered %d" % landing_status)
        return query

    def authorization_url(self):
        self.auth_url = self.guide.get_authorization_url("", self.state)
        q = query_of(self.auth_url)
        expect(self.auth_url.startswith(self.web["auth_uri"] + "?"), "URL not below the auth_uri of the client secrets")
        for name, value in [("access_type", "offline"), ("approval_prompt", "force"), ("state", self.state),
                            ("response_type", "code"), ("client_id", self.web["client_id"]),
                            ("redirect_uri", self.redirect_uri), ("scope", " ".join(SCOPES))]:
            expect(q.get(name) == value, "%s is %r, not %r" % (name, q.get(name), value))
        expect("code_challenge" not in q, "oauth2client sent a PKCE challenge")
        return "oauth2client step1_get_authorize_url: access_type=offline, approval_prompt=force, state, no PKCE"

    def consent(self):
        self.code = self._consent(self.auth_url)["code"]
        return "302 to the registered redirect URI with code, state unchanged, scope"

    def exchange(self):
        self.log.mark()
        self.credentials = self.guide.exchange_code(self.code)
        c = self.credentials
        expect(c.access_token and c.refresh_token, "no access or refresh token (approval_prompt=force asks for one)")
        expect(c.token_expiry and c.token_expiry > datetime.datetime.utcnow() + datetime.timedelta(minutes=50),
               "expires_in shorter than Google's hour")
        expect(c.id_token and c.id_token.get("sub"), "no id_token with a sub")
        expect_sequence(self.log.since_mark(), [("POST", "/token", 200)])
        return "step2_exchange without code_verifier: access and refresh tokens, expires_in, id_token"

    def userinfo(self):
        info = self.guide.get_user_info(self.credentials)
        expect(info.get("id") == self.credentials.id_token["sub"], "userinfo id differs from the id_token's sub")
        expect(info.get("email") == self.credentials.id_token.get("email"), "userinfo email differs from the id_token's")
        expect(info.get("verified_email") is True, "verified_email is not true")
        self.user_id, self.email = info["id"], info["email"]
        return "oauth2 v2 userinfo through static discovery: id %s, %s" % (self.user_id, self.email)

    def keyed_by_user_id(self):
        self.guide.store_credentials(self.user_id, self.credentials)
        expect(os.path.exists(os.path.join(self.guide.storage_dir, self.user_id + ".json")), "nothing stored")
        # A returning user who is not asked again: the answer has no refresh token, so the guide takes the
        # credentials stored under the user id that userinfo gives.
        url = self.guide.get_authorization_url(self.email, self.state, approval_prompt=None)
        expect(query_of(url).get("user_id") == self.email, "user_id hint missing")
        returned = self.guide.get_credentials(self._consent(url)["code"], self.state)
        expect(self.guide.last_user_info["id"] == self.user_id, "a different user id the second time")
        expect(returned.refresh_token == self.credentials.refresh_token, "not the stored refresh token")
        expect(returned.access_token == self.credentials.access_token,
               "a new refresh token came back without consent, so the stored credentials were not used")
        # The guide's own URL (approval_prompt=force) shows consent again, so a new refresh token comes back
        # and replaces the stored one.
        forced = self.guide.get_credentials(self._consent(self.guide.get_authorization_url(self.email, self.state))["code"], self.state)
        expect(forced.refresh_token and forced.refresh_token != self.credentials.refresh_token,
               "approval_prompt=force gave no new refresh token")
        expect(self.guide.get_stored_credentials(self.user_id).refresh_token == forced.refresh_token,
               "the new refresh token was not stored under the user id")
        self.credentials = forced
        return ("stored under %s; a consent without a refresh token falls back to them; approval_prompt=force "
                "brings a new one" % self.user_id)

    def code_used_twice(self):
        self.log.mark()
        try:
            self.guide.get_credentials(self.code, self.state)
        except CodeExchangeException as error:
            cause = error.__cause__
            expect(isinstance(cause, FlowExchangeError) and str(cause).startswith("invalid_grant"),
                   "refused with %r, not invalid_grant" % str(cause))
            expect(error.authorization_url and query_of(error.authorization_url).get("state") == self.state,
                   "no authorization URL to send the user to")
        else:
            raise AssertionError("the second exchange of a code succeeded")
        expect_sequence(self.log.since_mark(), [("POST", "/token", 400)])
        return "400 invalid_grant (%s); the guide sends the user to a new authorization URL" % str(cause)

    def gmail(self):
        return self.guide.build("gmail", "v1", self.credentials)

    def list_unread(self):
        self.service = self.gmail()
        messages, pages = list_messages_matching_query(self.service, "me", "label:UNREAD")
        ids = [m["id"] for m in messages]
        view = [m for m in self.sandbox.messages("UNREAD") if not {"SPAM", "TRASH"} & set(m["labelIds"])]
        expect(pages >= 2, "one page only: nextPageToken was never followed")
        expect(all(m.get("threadId") for m in messages), "an entry without threadId")
        expect(len(set(ids)) == len(ids), "an id listed twice")
        expect(ids == [m["id"] for m in view], "%d ids listed, the sandbox's own view has %d (or another order)"
               % (len(ids), len(view)))
        files = [m.file for m in self.mailbox.unread_outside_spam_and_trash()]
        expect([m["file"] for m in view] == files, "the sandbox's view differs from the mailbox folder's labels")
        self.unread = view
        return "%d pages, %d ids equal to the sandbox's own view and the mailbox folder, newest first" % (pages, len(ids))

    def empty_result(self):
        response = self.service.users().messages().list(userId="me", q="label:UNREAD from:nobody@nowhere.invalid").execute()
        expect(response == {"resultSizeEstimate": 0}, "answer %r, not {'resultSizeEstimate': 0}" % response)
        return "{'resultSizeEstimate': 0}, no messages key"

    def batch(self):
        self.log.mark()
        answers = {}

        def callback(request_id, response, exception):
            answers[request_id] = (response, exception)

        ids = [m["id"] for m in self.unread] + [UNKNOWN_ID]
        roots = [self.sandbox.root + "batch", self.sandbox.root + "batch/gmail/v1"]
        for n, start in enumerate(range(0, len(ids), BATCH_SIZE)):
            batch = BatchHttpRequest(callback=callback, batch_uri=roots[n % 2])
            for message_id in ids[start:start + BATCH_SIZE]:
                batch.add(self.service.users().messages().get(userId="me", id=message_id, format="metadata",
                                                              metadataHeaders=["Message-ID"]), request_id=message_id)
            batch.execute()
        for m in self.unread:
            response, exception = answers.get(m["id"], (None, "no answer"))
            expect(exception is None, "part %s failed: %s" % (m["id"], exception))
            headers = {h["name"].lower(): h["value"] for h in response.get("payload", {}).get("headers", [])}
            expect(response.get("id") == m["id"], "part answered for id %r" % response.get("id"))
            expect(headers.get("message-id") == self.mailbox.by_file(m["file"]).message_id,
                   "message %s has Message-ID %r" % (m["id"], headers.get("message-id")))
        _, missing = answers[UNKNOWN_ID]
        expect(isinstance(missing, errors.HttpError) and missing.resp.status == 404 and missing.reason == NOT_FOUND,
               "an unknown id's part answered %r" % missing)
        entries = self.log.since_mark()
        expect_sequence(entries, [("POST", "/batch", 200), ("POST", "/batch/gmail/v1", 200)])
        return "%d parts in %d batches at /batch and /batch/gmail/v1, Message-IDs as in the folder; unknown id 404 in its part" % (
            len(ids), (len(ids) + BATCH_SIZE - 1) // BATCH_SIZE)

    def expired_token_refreshed(self):
        before = self.credentials.access_token
        self.sandbox.expire_tokens()
        self.log.mark()
        messages, _ = list_messages_matching_query(self.service, "me", "label:UNREAD")
        expect(len(messages) == len(self.unread), "a different list after the refresh")
        expect(self.credentials.access_token != before, "the access token was not replaced")
        expect_sequence(self.log.since_mark(), [("GET", "/gmail/v1/users/me/messages", 401), ("POST", "/token", 200),
                                                ("GET", "/gmail/v1/users/me/messages", 200)])
        return "401, refresh, the same request again: 200"

    def unauthorized_branch(self):
        dead = self.credentials.access_token
        self.sandbox.revoke_user(self.email)
        self.log.mark()
        try:
            list_messages_matching_query(self.service, "me", "label:UNREAD")
            raise AssertionError("a list with a revoked grant succeeded")
        except CredentialsRevoked as revoked:
            refused = revoked.__cause__
        expect(isinstance(refused, HttpAccessTokenRefreshError) and refused.status == 400
               and str(refused) == "invalid_grant: Token has been expired or revoked.",
               "the refresh was refused with %r" % str(refused))
        expect_sequence(self.log.since_mark(), [("GET", "/gmail/v1/users/me/messages", 401), ("POST", "/token", 400)])
        # The same 401 with a stored access token and nothing to refresh with: the guide's `error.resp.status == 401`.
        bare = build("gmail", "v1", http=FixedBearer(dead), static_discovery=True,
                     client_options={"api_endpoint": self.sandbox.root})
        try:
            list_messages_matching_query(bare, "me", "label:UNREAD")
            raise AssertionError("a revoked access token was accepted")
        except CredentialsRevoked as revoked:
            error = revoked.__cause__
        body = json.loads(error.content)["error"]
        expect(error.resp.status == 401 and error.reason == INVALID_CREDENTIALS, "401 with %r" % error.reason)
        expect(body.get("status") == "UNAUTHENTICATED" and body["errors"][0].get("reason") == "authError",
               "not Google's 401 body: %r" % body)
        expect('error="invalid_token"' in error.resp.get("www-authenticate", ""), "no WWW-Authenticate invalid_token")
        # The guide's way out: the authorization URL again, for this user.
        url = self.guide.get_authorization_url(self.email, self.state)
        self.credentials = self.guide.get_credentials(self._consent(url)["code"], self.state)
        self.service = self.gmail()
        expect(self.service.users().getProfile(userId="me").execute().get("emailAddress") == self.email, "no profile")
        return "Gmail 401, refresh 400 invalid_grant, HttpError 401 as Google words it; re-authorized via a new URL"

    def revocation(self):
        self.log.mark()
        self.credentials.revoke(httplib2.Http())
        expect(self.credentials.invalid, "oauth2client does not consider the credentials revoked")
        try:
            self.credentials.refresh(httplib2.Http())
            raise AssertionError("a revoked refresh token was refreshed")
        except HttpAccessTokenRefreshError as error:
            expect(str(error) == "invalid_grant: Token has been expired or revoked.", "refused with %r" % str(error))
        try:
            self.credentials.revoke(httplib2.Http())
            raise AssertionError("revoking twice succeeded")
        except TokenRevokeError as error:
            expect(str(error) == "invalid_token", "second revocation refused with %r" % str(error))
        expect_sequence(self.log.since_mark(), [("GET", "/revoke", 200), ("POST", "/token", 400), ("GET", "/revoke", 400)])
        return "revoke 200; refresh 400 invalid_grant; revoking again 400 invalid_token"

    def wrong_client_secret(self):
        url = self.guide.get_authorization_url(self.email, self.state)
        code = self._consent(url)["code"]
        wrong = {"web": dict(self.web, client_secret="not-the-secret")}
        flow = flow_from_clientsecrets(self._write("wrong-secret.json", wrong), " ".join(SCOPES), redirect_uri=self.redirect_uri)
        self.log.mark()
        try:
            flow.step2_exchange(code)
            raise AssertionError("a wrong client secret was accepted")
        except FlowExchangeError as error:
            expect(str(error) == "invalid_clientUnauthorized", "refused with %r" % str(error))
        expect_sequence(self.log.since_mark(), [("POST", "/token", 401)])
        return "401 invalid_client Unauthorized"


class FixedBearer(httplib2.Http):
    """An http that sends one stored access token and cannot refresh it."""

    def __init__(self, token):
        super().__init__()
        self._token = token

    def request(self, uri, method="GET", body=None, headers=None, *args, **kwargs):
        headers = dict(headers or {})
        headers["authorization"] = "Bearer " + self._token
        return super().request(uri, method, body, headers, *args, **kwargs)
