"""Google's server-side authorization guide for Gmail, its Python sample in Python 3.

Kept as close to the guide as its structure allows (oauth2client for the flow and
the stored credentials, googleapiclient for userinfo and Gmail); what differs is
only where the endpoints are: the client secrets file and `api_root` point at the
sandbox, and discovery is static because there is no internet here.
"""

import os

import httplib2
from googleapiclient import errors
from googleapiclient.discovery import build
from oauth2client.client import AccessTokenRefreshError, FlowExchangeError, flow_from_clientsecrets
from oauth2client.file import Storage

SCOPES = [
    "https://www.googleapis.com/auth/gmail.readonly",
    "https://www.googleapis.com/auth/userinfo.email",
    "https://www.googleapis.com/auth/userinfo.profile",
]


class GetCredentialsException(Exception):
    def __init__(self, authorization_url):
        super().__init__(authorization_url)
        self.authorization_url = authorization_url


class CodeExchangeException(GetCredentialsException):
    pass


class NoRefreshTokenException(GetCredentialsException):
    pass


class NoUserIdException(Exception):
    pass


class CredentialsRevoked(Exception):
    """The guide's 401 branch: "Credentials have been revoked", send the user to the authorization URL."""


class Guide:
    def __init__(self, client_secrets, redirect_uri, api_root, storage_dir):
        self.client_secrets = client_secrets
        self.redirect_uri = redirect_uri
        self.api_root = api_root
        self.storage_dir = storage_dir
        self.last_user_info = None

    def _flow(self):
        return flow_from_clientsecrets(self.client_secrets, " ".join(SCOPES), redirect_uri=self.redirect_uri)

    def _storage(self, user_id):
        return Storage(os.path.join(self.storage_dir, "%s.json" % user_id))

    def get_stored_credentials(self, user_id):
        return self._storage(user_id).get()

    def store_credentials(self, user_id, credentials):
        self._storage(user_id).put(credentials)

    def exchange_code(self, authorization_code):
        try:
            return self._flow().step2_exchange(authorization_code)
        except FlowExchangeError as error:
            raise CodeExchangeException(None) from error

    def build(self, name, version, credentials):
        return build(name, version, http=credentials.authorize(httplib2.Http()), static_discovery=True,
                     client_options={"api_endpoint": self.api_root})

    def get_user_info(self, credentials):
        user_info = None
        try:
            user_info = self.build("oauth2", "v2", credentials).userinfo().get().execute()
        except errors.HttpError:
            pass
        if user_info and user_info.get("id"):
            return user_info
        raise NoUserIdException()

    def get_authorization_url(self, email_address, state, approval_prompt="force"):
        flow = self._flow()
        flow.params["access_type"] = "offline"
        if approval_prompt:
            flow.params["approval_prompt"] = approval_prompt
        flow.params["user_id"] = email_address
        flow.params["state"] = state
        return flow.step1_get_authorize_url()

    def get_credentials(self, authorization_code, state):
        email_address = ""
        try:
            credentials = self.exchange_code(authorization_code)
            user_info = self.get_user_info(credentials)
            self.last_user_info = user_info
            email_address = user_info.get("email")
            user_id = user_info.get("id")
            if credentials.refresh_token is not None:
                self.store_credentials(user_id, credentials)
                return credentials
            credentials = self.get_stored_credentials(user_id)
            if credentials and credentials.refresh_token is not None:
                return credentials
        except CodeExchangeException as error:
            error.authorization_url = self.get_authorization_url(email_address, state)
            raise error
        except NoUserIdException:
            pass
        raise NoRefreshTokenException(self.get_authorization_url(email_address, state))


def list_messages_matching_query(service, user_id, query=""):
    """The guide's messages.list sample: every page, following nextPageToken. Returns (messages, pages)."""
    try:
        response = service.users().messages().list(userId=user_id, q=query).execute()
        messages = list(response.get("messages", []))
        pages = 1
        while "nextPageToken" in response:
            page_token = response["nextPageToken"]
            response = service.users().messages().list(userId=user_id, q=query, pageToken=page_token).execute()
            messages.extend(response.get("messages", []))
            pages += 1
        return messages, pages
    except errors.HttpError as error:
        if error.resp.status == 401:
            raise CredentialsRevoked(error) from error
        raise
    except AccessTokenRefreshError as error:
        # oauth2client answers the API's 401 by refreshing; when the refresh is refused, this is how
        # the same 401 reaches the caller.
        raise CredentialsRevoked(error) from error
